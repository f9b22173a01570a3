/* demo_identity.c: the demo sellers' legal identities (issue 13). The numbers
 * are made up for the demo but valid by their rules (check digits computed as
 * src/compliance/checkdigits.c checks them); SZ-ANKO has two versions, so the
 * dashboard shows a history and an as-of read answers the older one. */
#include "cli.h"

#include "compliance/compliance.h"

static int record(hc_store *s, hc_arena *a, struct hc_identity *id, int64_t days_ago,
                  hc_err *err)
{
    bool changed;
    id->recorded_at = hc_now_ms() - days_ago * HC_DAY_MS;
    id->recorded_by = "demo";
    return hc_identity_record(s, a, id, &changed, err);
}

static int identities_job(hc_store *s, void *ctx, hc_err *err)
{
    (void)ctx;
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_identity anko = {
        .seller = "SZ-ANKO",
        .legal_name_zh = "深圳安科电子有限公司",
        .legal_name_en = "Shenzhen Anko Electronics Co., Ltd.",
        .uscc = "91440300MA5F0A1B2N",
        .customs_code = "4403960ABC",
        .registered_address = "广东省深圳市宝安区西乡街道固戍一路 88 号 3 栋 501",
        .contact_name = "陈晓 Chen Xiao",
        .contact_phone = "+86 755 2345 6789",
        .contact_email = "compliance@anko-demo.cn",
        .nmarkets = 3,
        .markets = {{.country = "DE", .eori = "DE4711235", .vat = "DE312456782",
                     .ioss = "IM2760001234"},
                    {.country = "GB", .eori = "GB287654312000", .vat = "GB287654312"},
                    {.country = "US", .ior = "27-4815162"}},
    };
    int rc = record(s, a, &anko, 90, err);
    if (rc == HC_OK) { /* moved offices and registered for VAT in France */
        anko.registered_address = "广东省深圳市南山区粤海街道科技南十二路 2 号 12 楼";
        anko.markets[anko.nmarkets++] =
            (struct hc_identity_market){.country = "FR", .vat = "FR19812345676"};
        rc = record(s, a, &anko, 30, err);
    }
    struct hc_identity homa = {
        .seller = "YW-HOMA",
        .legal_name_zh = "义乌好美家居用品有限公司",
        .legal_name_en = "Yiwu Homa Home Goods Co., Ltd.",
        .uscc = "91330782MA2E0B3D4Y",
        .customs_code = "3318960DEF",
        .registered_address = "浙江省义乌市稠城街道工人北路 1088 号",
        .contact_name = "王芳 Wang Fang",
        .contact_phone = "+86 579 8512 3456",
        .contact_email = "export@homa-demo.cn",
        .nmarkets = 6,
        .markets = {{.country = "DE", .eori = "DE5822346", .vat = "DE298712340"},
                    {.country = "NL", .vat = "NL860123452B01"},
                    {.country = "PL", .vat = "PL5271234563"},
                    {.country = "ES", .vat = "ESB76123454"},
                    {.country = "IT", .vat = "IT03812340218"},
                    {.country = "US", .ior = "240512-00731"}},
    };
    if (rc == HC_OK)
        rc = record(s, a, &homa, 60, err);
    hc_arena_free(a);
    return rc;
}

int hc_demo_identities(hc_db *db, hc_err *err)
{
    return hc_db_write(db, identities_job, NULL, err);
}

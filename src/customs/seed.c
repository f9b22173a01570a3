/* seed.c: customs data for `haicang demo`, so a newcomer finds declared
 * lists in the API: the demo sellers' customs parties and their received
 * inbounds declared as 9810. The demo's orders ship from its warehouses in
 * Duisburg and Los Angeles: those goods left China under 9810 and are not
 * declared again (9610 is for parcels leaving China). The codes are
 * made up but have the right shape (10 characters; the consignors' 18-digit
 * credit codes are the demo sellers' tax ids). */
#include "records.h"

#include "warehouse/warehouse.h"

#include <string.h>


struct seed_party {
    const char *seller, *role, *code, *name, *dxp_id;
};

static const struct seed_party parties[] = {
    {"SZ-ANKO", "ebc", "4403960ABC", "深圳安科电子有限公司", NULL},
    {"SZ-ANKO", "ebp", "4403980PLT", "深圳前海跨境电商平台有限公司", NULL},
    {"SZ-ANKO", "logistics", "1105910159", "中外运-敦豪国际航空快件有限公司 (DHL)", NULL},
    {"SZ-ANKO", "agent", "3301960AGT", "杭州海仓报关有限公司", "DXPENT0000102938"},
    {"YW-HOMA", "ebc", "3318960DEF", "义乌好美家居用品有限公司", NULL},
    {"YW-HOMA", "ebp", "3318980YWG", "义乌小商品城跨境电商平台有限公司", NULL},
    {"YW-HOMA", "logistics", "3122480063", "优比速包裹运送(广东)有限公司 (UPS)", NULL},
    {"YW-HOMA", "agent", "3301960AGT", "杭州海仓报关有限公司", "DXPENT0000102938"},
};

/* Exit customs of each seller: Shenzhen (5300) and Yiwu (2933). */
static const char *customs_of(const char *seller)
{
    return strcmp(seller, "SZ-ANKO") == 0 ? "5300" : "2933";
}

struct seed_count {
    size_t lists, records, skipped;
};

/* One declaration in its own transaction; a record refused (e.g. a SKU
 * without an HS code) is counted as skipped, not fatal. */
static int declare_one(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                       const struct hc_customs_declare *d, struct seed_count *c, hc_err *err)
{
    struct hc_customs_list out;
    hc_err e = {0}, tmp = {0};
    int rc = hc_store_begin(s, err);
    if (rc != HC_OK)
        return rc;
    rc = hc_customs_declare(s, a, x, d, &out, &e);
    if (rc == HC_OK)
        rc = hc_store_commit(s, err);
    else
        hc_store_rollback(s, &tmp);
    if (rc == HC_OK) {
        c->lists += (size_t)out.parts;
        c->records++;
    } else if (e.code == HC_EINVAL || e.code == HC_ECONFLICT) {
        c->skipped++;
        rc = HC_OK;
    } else if (e.code) {
        *err = e;
    }
    return rc;
}

int hc_customs_demo_seed(hc_store *s, FILE *out, hc_err *err)
{
    hc_customs_config c;
    hc_customs_ctx *x = NULL;
    hc_err e = {0}, tmp = {0};
    struct seed_count in_c = {0};
    size_t written = 0;
    int rc;
    hc_customs_config_env(&c);
    /* The demo is a test environment: without a key its messages go
     * unsigned, and its inbounds (far above RMB 5,000) are declared as lists
     * though a real shipment that size needs a customs declaration form.
     * Both are said in the line it prints. */
    bool demo_unsigned = c.key_pem == NULL && c.cert_pem == NULL;
    if (hc_customs_ctx_open(&x, &c, &e) != HC_OK) {
        fprintf(out, "customs: skipped (%s%s%s); see docs/customs.md\n", e.field,
                e.field[0] ? ": " : "", e.msg);
        return HC_OK;
    }
    if (demo_unsigned)
        rec_allow_unsigned(x);
    rec_rules_allow_over_max(x);
    hc_arena *a = hc_arena_new(1 << 20);
    if ((rc = hc_store_begin(s, err)) != HC_OK)
        goto done;
    for (size_t i = 0; i < HC_ARRAY_LEN(parties); i++) {
        const struct seed_party *p = &parties[i];
        struct hc_customs_registration g = {.seller = p->seller, .role = p->role,
                                            .code = p->code, .name = p->name,
                                            .dxp_id = p->dxp_id};
        if ((rc = hc_customs_registration_put(s, &g, err)) != HC_OK) {
            hc_store_rollback(s, &tmp);
            goto done;
        }
    }
    if ((rc = hc_store_commit(s, err)) != HC_OK)
        goto done;

    static const char *const sellers[] = {"SZ-ANKO", "YW-HOMA"};
    for (size_t k = 0; k < HC_ARRAY_LEN(sellers); k++) {
        struct hc_inbound *ins;
        size_t n;
        const char *next;
        struct hc_list_page pg = {.limit = 100};
        if ((rc = hc_inbound_list(s, a, sellers[k], NULL, NULL, &pg, &ins, &n, &next, err)) !=
            HC_OK)
            goto done;
        for (size_t i = 0; i < n; i++) {
            int64_t on_shipment = 0; /* booked on a head-haul shipment: on its way */
            if (strcmp(ins[i].status, "expected") == 0 &&
                hc_store_int(s, &tmp, &on_shipment,
                             "SELECT COUNT(*) FROM inbounds WHERE id = ? AND shipment IS NOT NULL",
                             "s", ins[i].id) == HC_OK &&
                on_shipment == 0)
                continue; /* not on its way yet: nothing to book */
            struct hc_customs_declare d = {.trade_mode = "9810", .inbound_id = ins[i].id,
                                           .customs_code = customs_of(sellers[k]),
                                           .actor = "demo"};
            if ((rc = declare_one(s, a, x, &d, &in_c, err)) != HC_OK)
                goto done;
        }
    }
    rc = hc_customs_flush_outbox(s, hc_customs_ctx_outbox(x), NULL, 0, &written, err);
    if (rc == HC_OK)
        fprintf(out,
                "customs: %zu inbounds declared as 9810 (%zu lists), %zu skipped; %zu messages "
                "in %s (demo: %sRMB 5,000 list limit lifted)\n",
                in_c.records, in_c.lists, in_c.skipped, written, hc_customs_ctx_outbox(x),
                demo_unsigned ? "unsigned, " : "");
done:
    hc_arena_free(a);
    hc_customs_ctx_free(x);
    return rc;
}

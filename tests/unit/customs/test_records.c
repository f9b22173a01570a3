/* Store-backed tests of the customs record layer: declarations from orders and
 * inbounds on a temporary database, messages in the outbox checked against the
 * XSD and their SM2 signatures, receipts moving states, CEB792 entry ids, the
 * monthly summary, bad records, returns (also cross-zone), the container gate.
 * The tests run in order on one database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../helpers.h"
#include "customs/customs.h"
#include "warehouse/warehouse.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <sys/stat.h>

static char url[512], tmp_dir[256], outbox[512], codes_dir[1200], xsd_dir[1200];
static char key_pem[512], cert_pem[512];
static hc_store *st;
static hc_customs_ctx *cx;
static hc_customs_xsd *xsd;
static hc_arena *A;
static const char *order_ids[5], *list_9610[4], *list_9810, *order_abroad;

/* ---- helpers ---- */

static size_t count_xml(const char *dir, const char *prefix)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".xml") && (!prefix || strncmp(e->d_name, prefix, strlen(prefix)) == 0))
            n++;
    if (d)
        closedir(d);
    return n;
}

/* Every message of a list in the outbox: as written, XSD-valid and signed. */
static void expect_sent(const struct hc_customs_list *l, size_t n_msgs)
{
    assert_int_equal(l->n_messages, n_msgs);
    for (size_t i = 0; i < l->n_messages; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", outbox, l->messages[i].file);
        xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET);
        if (d == NULL)
            fail_msg("%s: missing or not XML", path);
        hc_err err = {0};
        assert_int_equal(hc_customs_doc_type(d), (int)l->messages[i].type);
        if (hc_customs_xsd_validate(xsd, d, &err) != HC_OK)
            fail_msg("%s: %s %s", path, err.field, err.msg);
        int alg = 0;
        if (hc_customs_verify(d, cert_pem, &alg, &err) != HC_OK)
            fail_msg("%s: signature: %s %s", path, err.field, err.msg);
        assert_int_equal(alg, HC_CUSTOMS_SIG_SM2_SM3);
        xmlFreeDoc(d);
    }
}

/* Commit, then write the queued messages as the API and CLI do. */
static int commit_flush(hc_err *err)
{
    int rc = hc_store_commit(st, err);
    if (rc == HC_OK)
        rc = hc_customs_flush_outbox(st, outbox, NULL, 0, NULL, err);
    return rc;
}

static int write_job(int (*fn)(void *), void *ctx, hc_err *err)
{
    int rc = hc_store_begin(st, err);
    if (rc != HC_OK)
        return rc;
    rc = fn(ctx);
    hc_err tmp = {0};
    if (rc == HC_OK)
        rc = commit_flush(err);
    else
        hc_store_rollback(st, &tmp);
    return rc;
}

struct decl_job {
    struct hc_customs_declare d;
    struct hc_customs_list out;
    hc_err err;
};

static int decl_fn(void *p)
{
    struct decl_job *j = p;
    return hc_customs_declare(st, A, cx, &j->d, &j->out, &j->err);
}

static int declare(struct decl_job *j)
{
    memset(&j->err, 0, sizeof(j->err));
    return write_job(decl_fn, j, &j->err);
}

static void receipt(const char *type, const char *body)
{
    char *x = hc_arena_printf(
        A,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB%sMessage guid=\"%s\" "
        "version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">%s</ceb:CEB%sMessage>",
        type, "311af125-6fed-4603-8c5d-49b1fa4b4b9b", body, type);
    hc_customs_receipts r;
    hc_err err = {0};
    size_t applied = 0;
    assert_int_equal(hc_customs_receipt_parse(A, x, strlen(x), &r, &err), HC_OK);
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_receipt_apply(st, &r, "test", &applied, &err) != HC_OK)
        fail_msg("apply CEB%s: %s %s", type, err.field, err.msg);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
    assert_true(applied >= 1);
}

static const char *r604(const char *cop, const char *invt, int status, const char *time,
                        const char *info)
{
    return hc_arena_printf(A,
                           "<ceb:InventoryReturn><ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94"
                           "</ceb:guid><ceb:agentCode>3301960ABC</ceb:agentCode><ceb:copNo>%s"
                           "</ceb:copNo><ceb:preNo>P20260315000000001</ceb:preNo><ceb:invtNo>%s"
                           "</ceb:invtNo><ceb:returnStatus>%d</ceb:returnStatus><ceb:returnTime>"
                           "%s</ceb:returnTime><ceb:returnInfo>%s</ceb:returnInfo>"
                           "</ceb:InventoryReturn>",
                           cop, invt, status, time, info);
}

static struct hc_customs_list get(const char *id)
{
    struct hc_customs_list l;
    hc_err err = {0};
    assert_int_equal(hc_customs_list_get(st, A, id, &l, &err), HC_OK);
    return l;
}

/* ---- fixture: a seller with registrations, a warehouse, SKUs, orders ---- */

static void fixture(void)
{
    hc_err err = {0};
    struct hc_seller sl = {"SZ-ANKO", "深圳安克贸易有限公司", "CN", NULL, "4403960ABC", 0};
    struct hc_seller s2 = {"S2", "No registrations", "CN", NULL, NULL, 0};
    struct hc_warehouse w = {.code = "US-LAX", .name = "海仓洛杉矶仓", .country = "US",
                             .address_json = "{}", .timezone = "America/Los_Angeles",
                             .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    /* the 9610 orders ship from China: made while CN-SZX is the only warehouse */
    struct hc_warehouse cn = {.code = "CN-SZX", .name = "深圳直邮仓", .country = "CN",
                              .address_json = "{}", .timezone = "Asia/Shanghai",
                              .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_sku k1 = {.seller = "SZ-ANKO", .sku = "EAR-1", .name = "Bluetooth earphones",
                        .name_zh = "蓝牙耳机", .hs_code = "8518300000", .value_minor = 1250,
                        .currency = "USD", .origin_country = "CN", .dims_mm = {100, 80, 40},
                        .weight_g = 150, .barcode = "6901234567892", .brand = "Anko"};
    struct hc_sku k2 = {.seller = "SZ-ANKO", .sku = "TEE-1", .name = "Cotton T-shirt",
                        .name_zh = "棉制T恤", .hs_code = "6109100021", .value_minor = 999,
                        .currency = "USD", .origin_country = "CN", .dims_mm = {300, 200, 20},
                        .weight_g = 200};
    struct hc_sku k3 = {.seller = "SZ-ANKO", .sku = "LONGBAR", .name = "Lamp",
                        .hs_code = "9405219000", .value_minor = 500, .currency = "USD",
                        .origin_country = "CN", .dims_mm = {100, 100, 100}, .weight_g = 300,
                        .barcode = "123456789012345678901234567890123456789012345678901234567890"};
    struct hc_sku k4 = {.seller = "S2", .sku = "X", .name = "Lamp", .hs_code = "9405219000",
                        .value_minor = 500, .currency = "USD", .origin_country = "CN",
                        .dims_mm = {100, 100, 100}, .weight_g = 300};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_seller_create(st, &sl, &err) || hc_seller_create(st, &s2, &err) ||
        hc_warehouse_create(st, &cn, &err) || hc_sku_create(st, &k1, &err) ||
        hc_sku_create(st, &k2, &err) || hc_sku_create(st, &k3, &err) ||
        hc_sku_create(st, &k4, &err))
        fail_msg("fixture: %s %s", err.field, err.msg);
    struct hc_customs_registration regs[] = {
        {"SZ-ANKO", "ebp", "3301960ABC", "海仓平台", NULL, 0, 0},
        {"SZ-ANKO", "logistics", "3301980XYZ", "海仓物流", NULL, 0, 0},
        {"SZ-ANKO", "agent", "3301960AGT", "杭州海仓报关有限公司", "DXPENT0000000001", 0, 0},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(regs); i++)
        assert_int_equal(hc_customs_registration_put(st, &regs[i], &err), HC_OK);
    struct hc_customs_registration bad = {"SZ-ANKO", "agent", "12345", "x", NULL, 0, 0};
    assert_int_equal(hc_customs_registration_put(st, &bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "code");
    hc_err_clear(&err);
    bad = (struct hc_customs_registration){"SZ-ANKO", "bank", "3301960AGT", "x", NULL, 0, 0};
    assert_int_equal(hc_customs_registration_put(st, &bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "role");
    hc_err_clear(&err);

    /* four consumer orders to the US and Germany (backordered: no stock needed) */
    static const char *cty[5] = {"US", "US", "DE", "US", "US"};
    for (int i = 0; i < 5; i++) {
        struct hc_order_line *l = hc_arena_alloc(A, 2 * sizeof(*l));
        l[0] = (struct hc_order_line){"EAR-1", 2, 1999, "USD", 0};
        l[1] = (struct hc_order_line){"TEE-1", 1, 1500, "USD", 0};
        struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop",
                             .channel_order_id = hc_arena_printf(A, "A-%d", i),
                             .ship_to_json = "{}", .ship_country = cty[i], .lines = l,
                             .nlines = i == 3 ? 1 : 2};
        bool existed;
        if (hc_order_create(st, A, &o, "test", &existed, &err) != HC_OK)
            fail_msg("order: %s %s", err.field, err.msg);
        order_ids[i] = o.id;
    }
    if (hc_warehouse_create(st, &w, &err) != HC_OK)
        fail_msg("fixture: %s %s", err.field, err.msg);
    /* an order shipped from the warehouse abroad */
    struct hc_order_line *l = hc_arena_alloc(A, sizeof(*l));
    l[0] = (struct hc_order_line){"EAR-1", 1, 1999, "USD", 0};
    struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop", .channel_order_id = "ABROAD-1",
                         .ship_to_json = "{}", .ship_country = "US", .lines = l, .nlines = 1};
    bool existed;
    if (hc_order_create(st, A, &o, "test", &existed, &err) != HC_OK)
        fail_msg("order: %s %s", err.field, err.msg);
    order_abroad = o.id;
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
}

/* ---- tests ---- */

static void test_9810_booking(void **state)
{
    hc_err err = {0};
    /* issue 8: above RMB 5,000 (USD 3698.80 at the rules' 7.1) it is no list */
    struct hc_inbound_line big[2] = {{"EAR-1", 200, 0, 0}, {"TEE-1", 120, 0, 0}};
    struct hc_inbound inb = {.seller = "SZ-ANKO", .warehouse = "US-LAX", .reference = "PO-76",
                             .lines = big, .nlines = 2};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_inbound_create(st, A, &inb, "test", &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
    struct decl_job over = {.d = {.trade_mode = "9810", .inbound_id = inb.id, .actor = "test"}};
    assert_int_equal(declare(&over), HC_ECONFLICT);
    assert_string_equal(over.err.field, "total_price");
    /* 9610 of an order shipped from US-LAX: refused */
    struct decl_job abroad = {.d = {.trade_mode = "9610", .order_id = order_abroad,
                                    .actor = "test"}};
    assert_int_equal(declare(&abroad), HC_ECONFLICT);
    assert_string_equal(abroad.err.field, "mode");

    struct hc_inbound_line lines[2] = {{"EAR-1", 20, 0, 0}, {"TEE-1", 12, 0, 0}};
    struct hc_inbound in = {.seller = "SZ-ANKO", .warehouse = "US-LAX", .reference = "PO-77",
                            .lines = lines, .nlines = 2};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_inbound_create(st, A, &in, "test", &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);

    struct decl_job j = {.d = {.trade_mode = "9810", .inbound_id = in.id, .actor = "test"}};
    if (declare(&j) != HC_OK)
        fail_msg("9810: %s %s", j.err.field, j.err.msg);
    struct hc_customs_list *l = &j.out;
    list_9810 = l->id;
    assert_string_equal(l->trade_mode, "9810");
    assert_string_equal(l->ref, in.id);
    assert_int_equal(l->state, HC_CUSTOMS_DECLARED);
    assert_string_equal(l->country, "502");
    assert_string_equal(l->total_price, "369.88"); /* 20 x 12.50 + 12 x 9.99 */
    assert_string_equal(l->gross_weight, "5.4");   /* 20 x 150 g + 12 x 200 g */
    assert_int_equal(l->n_items, 2);
    assert_string_equal(l->items[0].gcode, "8518300000");
    assert_string_equal(l->items[0].gname, "蓝牙耳机");
    assert_int_equal(l->n_history, 1);
    expect_sent(l, 2); /* CEB303 booking + CEB603 */
    hc_arena *a = A;
    const char *seller, *xml;
    assert_int_equal(hc_customs_message_xml(st, a, l->id, 303, &seller, &xml, &err), HC_OK);
    assert_non_null(strstr(xml, "<ceb:orderType>W</ceb:orderType>"));
    assert_non_null(strstr(xml, "海仓洛杉矶仓")); /* the warehouse is the booking party */
    assert_int_equal(hc_customs_message_xml(st, a, l->id, 603, &seller, &xml, &err), HC_OK);
    assert_non_null(strstr(xml, "<ceb:tradeMode>9810</ceb:tradeMode>"));
    assert_string_equal(seller, "SZ-ANKO");

    /* the same inbound again: refused */
    struct decl_job again = {.d = {.trade_mode = "9810", .inbound_id = in.id, .actor = "t"}};
    assert_int_equal(declare(&again), HC_ECONFLICT);
    assert_string_equal(again.err.field, "inbound");
}

static void test_9610_orders(void **state)
{
    for (int i = 0; i < 4; i++) {
        struct decl_job j = {.d = {.trade_mode = "9610", .order_id = order_ids[i],
                                   .actor = "test"}};
        if (declare(&j) != HC_OK)
            fail_msg("9610 %d: %s %s", i, j.err.field, j.err.msg);
        list_9610[i] = j.out.id;
        assert_string_equal(j.out.country, i == 2 ? "304" : "502");
        assert_string_equal(j.out.traf_mode, "5");
        expect_sent(&j.out, 3); /* CEB303 + CEB505 + CEB603 */
    }
    assert_int_equal(count_xml(outbox, NULL), 2 + 4 * 3);
    assert_int_equal(count_xml(outbox, "CEB505_"), 4);
    /* 9710: a B2B order, CEB303 orderType B + CEB603, no waybill, by sea */
    struct decl_job b2b = {.d = {.trade_mode = "9710", .order_id = order_ids[4], .actor = "t"}};
    if (declare(&b2b) != HC_OK)
        fail_msg("9710: %s %s", b2b.err.field, b2b.err.msg);
    expect_sent(&b2b.out, 2);
    assert_string_equal(b2b.out.traf_mode, "2");
    const char *seller, *xml;
    hc_err e = {0};
    assert_int_equal(hc_customs_message_xml(st, A, b2b.out.id, 303, &seller, &xml, &e), HC_OK);
    assert_non_null(strstr(xml, "<ceb:orderType>B</ceb:orderType>"));
    struct hc_customs_list l = get(list_9610[0]);
    assert_string_equal(l.total_price, "54.98"); /* 2 x 19.99 + 15.00 */
    assert_string_equal(l.items[0].total_price, "39.98");
    /* another seller's key cannot declare this order */
    struct decl_job j = {.d = {.trade_mode = "9610", .order_id = order_ids[0],
                               .tenant_seller = "S2"}};
    assert_int_equal(declare(&j), HC_ENOTFOUND);
    assert_string_equal(j.err.field, "order");
    /* list search by state */
    struct hc_customs_list *items;
    size_t n;
    const char *next;
    hc_err err = {0};
    struct hc_customs_list_filter f = {.seller = "SZ-ANKO", .state = 2, .limit = 3};
    assert_int_equal(hc_customs_list_find(st, A, &f, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 3);
    assert_non_null(next);
    f.cursor = next;
    assert_int_equal(hc_customs_list_find(st, A, &f, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 3); /* 1 booking + 4 parcels + 1 B2B = 6 */
    assert_null(next);
}

static void test_bad_records(void **state)
{
    size_t before = count_xml(outbox, NULL);
    hc_err err = {0};
    struct hc_order_line l[2] = {{"LONGBAR", 1, 500, "USD", 0}, {"EAR-1", 1, 100, "EUR", 0}};
    /* to Japan: routed to CN-SZX, the nearest, so 9610 applies */
    struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop", .channel_order_id = "BAD-1",
                         .ship_to_json = "{}", .ship_country = "JP", .lines = l, .nlines = 1};
    struct hc_order o2 = o;
    o2.channel_order_id = "BAD-2";
    o2.lines = &l[0];
    o2.nlines = 2;
    struct hc_order_line l3 = {"X", 1, 500, "USD", 0};
    struct hc_order o3 = {.seller = "S2", .channel = "shop", .channel_order_id = "BAD-3",
                          .ship_to_json = "{}", .ship_country = "JP", .lines = &l3, .nlines = 1};
    bool existed;
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_order_create(st, A, &o, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_order_create(st, A, &o2, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_order_create(st, A, &o3, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);

    /* a 60-character barcode: refused by the C checks, naming the message field */
    struct decl_job j = {.d = {.trade_mode = "9610", .order_id = o.id}};
    assert_int_equal(declare(&j), HC_EINVAL);
    assert_non_null(strstr(j.err.field, "CEB303."));
    assert_non_null(strstr(j.err.field, "barCode"));
    /* two currencies in one order */
    j = (struct decl_job){.d = {.trade_mode = "9610", .order_id = o2.id}};
    assert_int_equal(declare(&j), HC_EINVAL);
    assert_string_equal(j.err.field, "lines[1].currency");
    /* a seller without customs code or registrations */
    j = (struct decl_job){.d = {.trade_mode = "9610", .order_id = o3.id}};
    assert_int_equal(declare(&j), HC_EINVAL);
    assert_string_equal(j.err.field, "registrations.ebc");
    /* bad options */
    j = (struct decl_job){.d = {.trade_mode = "9999", .order_id = o2.id}};
    assert_int_equal(declare(&j), HC_EINVAL);
    assert_string_equal(j.err.field, "mode");
    j = (struct decl_job){.d = {.trade_mode = "9610", .order_id = o2.id, .customs_code = "29"}};
    assert_int_equal(declare(&j), HC_EINVAL);
    assert_string_equal(j.err.field, "customs_code");
    j = (struct decl_job){.d = {.trade_mode = "9610", .order_id = "ord_0"}};
    assert_int_equal(declare(&j), HC_ENOTFOUND);
    assert_string_equal(j.err.field, "order");
    /* nothing reached the outbox, no list was stored */
    assert_int_equal(count_xml(outbox, NULL), before);
    struct hc_customs_list *items;
    size_t n;
    const char *next;
    struct hc_customs_list_filter f = {.seller = "S2"};
    assert_int_equal(hc_customs_list_find(st, A, &f, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 0);
}

static void test_receipts_move_states(void **state)
{
    /* 0, 1, 3 released in March 2026, 2 (Germany) too; the booking rejected */
    receipt("604", r604(list_9610[0], "29922026E000000001", 120, "20260310100000000", "入库成功"));
    receipt("604", r604(list_9610[0], "29922026E000000001", 800, "20260310120000000", "放行"));
    /* an older receipt arriving late is history only */
    receipt("604", r604(list_9610[0], "29922026E000000001", 120, "20260310110000000", "迟到"));
    struct hc_customs_list l = get(list_9610[0]);
    assert_int_equal(l.state, HC_CUSTOMS_RELEASED);
    assert_string_equal(l.state_name, "released");
    assert_string_equal(l.invt_no, "29922026E000000001");
    assert_string_equal(l.pre_no, "P20260315000000001");
    assert_int_equal(l.n_history, 4);
    assert_true(l.released_at > 0);
    receipt("604", r604(list_9610[1], "29922026E000000002", 800, "20260311120000000", "放行"));
    receipt("604", r604(list_9610[2], "29922026E000000003", 800, "20260312120000000", "放行"));
    receipt("604", r604(list_9610[3], "29922026E000000004", 800, "20260401120000000", "放行"));
    receipt("604", r604(list_9810, "", 100, "20260312120000000", "表体商品编码不存在"));
    l = get(list_9810);
    assert_int_equal(l.state, HC_CUSTOMS_REJECTED);
    assert_string_equal(l.state_info, "表体商品编码不存在");
    /* a receipt about nothing we sent */
    hc_customs_receipts r;
    hc_err err = {0};
    size_t applied;
    const char *x = hc_arena_printf(
        A, "<ceb:CEB604Message guid=\"g\" version=\"1.0\" "
           "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">%s</ceb:CEB604Message>",
        r604("cil_0", "nope", 800, "20260310120000000", "x"));
    assert_int_equal(hc_customs_receipt_parse(A, x, strlen(x), &r, &err), HC_OK);
    assert_int_equal(hc_customs_receipt_apply(st, &r, "t", &applied, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "InventoryReturn[0].copNo");
    /* a rejected booking may be declared again */
    struct hc_inbound in;
    assert_int_equal(hc_inbound_get(st, A, l.ref, &in, &err), HC_OK);
    struct decl_job j = {.d = {.trade_mode = "9810", .inbound_id = in.id}};
    if (declare(&j) != HC_OK)
        fail_msg("redeclare: %s %s", j.err.field, j.err.msg);
}

static void test_summary_and_792(void **state)
{
    struct hc_customs_summary_row *rows;
    size_t n;
    hc_err err = {0};
    size_t before = count_xml(outbox, "CEB701_");
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_summary_run(st, A, cx, "SZ-ANKO", "2026-03", 1, 0, false, "t", &rows, &n, &err))
        fail_msg("summary: %s %s", err.field, err.msg);
    assert_int_equal(commit_flush(&err), HC_OK);
    /* US lists 0 and 1 merge, the German one goes alone; list 3 is April's */
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].country, "502");
    assert_int_equal(rows[0].n_lists, 2);
    assert_int_equal(rows[0].n_lines, 2); /* earphones, T-shirts */
    assert_string_equal(rows[0].total_price, "109.96");
    assert_string_equal(rows[1].country, "304");
    assert_int_equal(rows[1].n_lists, 1);
    assert_int_equal(count_xml(outbox, "CEB701_"), before + 2);
    struct hc_customs_list l = get(list_9610[1]);
    assert_string_equal(l.summary_id, rows[0].id);
    const char *seller, *xml;
    assert_int_equal(hc_customs_message_xml(st, A, rows[0].id, 701, &seller, &xml, &err), HC_OK);
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    assert_int_equal(hc_customs_xsd_validate(xsd, d, &err), HC_OK);
    assert_int_equal(hc_customs_verify(d, cert_pem, NULL, &err), HC_OK);
    xmlFreeDoc(d);
    /* summarised lists are not summarised twice */
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_customs_summary_run(st, A, cx, "SZ-ANKO", "2026-03", 1, 0, false, "t", &rows,
                                            &n, &err),
                     HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    hc_err_clear(&err);
    assert_int_equal(hc_customs_summary_run(st, A, cx, "SZ-ANKO", "2026-13", 1, 0, false, "t", &rows,
                                            &n, &err),
                     HC_EINVAL);
    hc_store_rollback(st, &err);
    hc_err_clear(&err);

    /* CEB702 gives the summary its number, CEB792 the declaration */
    receipt("702", hc_arena_printf(A,
                                   "<ceb:SummaryReturn><ceb:guid>%s</ceb:guid><ceb:copNo>%s"
                                   "</ceb:copNo><ceb:sumNo>S29922026000000001</ceb:sumNo>"
                                   "<ceb:returnStatus>399</ceb:returnStatus><ceb:returnTime>"
                                   "20260402100000000</ceb:returnTime><ceb:returnInfo>ok"
                                   "</ceb:returnInfo></ceb:SummaryReturn>",
                                   rows[0].guid, rows[0].id));
    receipt("792",
            "<ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>X</ceb:guid>"
            "<ceb:opDate>20260403101112012</ceb:opDate>"
            "<ceb:sumNo>S29922026000000001</ceb:sumNo><ceb:entryId>292920261000012345"
            "</ceb:entryId><ceb:decState>10</ceb:decState></ceb:SummaryResultHead>"
            "<ceb:SummaryResultList><ceb:invtNo>29922026E000000001</ceb:invtNo><ceb:logisticsNo>L"
            "</ceb:logisticsNo><ceb:gseqno>1</ceb:gseqno><ceb:gnum>1</ceb:gnum><ceb:gcode>"
            "8518300000</ceb:gcode></ceb:SummaryResultList><ceb:SummaryResultList><ceb:invtNo>"
            "29922026E000000001</ceb:invtNo><ceb:logisticsNo>L</ceb:logisticsNo><ceb:gseqno>2"
            "</ceb:gseqno><ceb:gnum>2</ceb:gnum><ceb:gcode>6109100021</ceb:gcode>"
            "</ceb:SummaryResultList></ceb:SummaryResult>");
    l = get(list_9610[0]);
    assert_string_equal(l.entry_id, "292920261000012345");
    assert_string_equal(l.items[1].entry_id, "292920261000012345");
    assert_int_equal(l.items[1].entry_gnum, 2);
    assert_string_equal(l.history[l.n_history - 1].receipt, "CEB792");
    /* month filter: released in March */
    struct hc_customs_list *items;
    const char *next;
    struct hc_customs_list_filter f = {.seller = "SZ-ANKO", .month = "2026-03"};
    assert_int_equal(hc_customs_list_find(st, A, &f, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 3);
}

static void test_bill_607(void **state)
{
    hc_err err = {0};
    const char *ids[2] = {list_9610[0], list_9610[1]};
    struct hc_customs_bill_req b = {.seller = "SZ-ANKO", .bill_no = "CA1234-20260312",
                                    .traf_mode = "5", .voyage_no = "CA1234", .list_ids = ids,
                                    .n_lists = 2, .actor = "t"};
    const char *cop;
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_bill_link(st, A, cx, &b, &cop, &err) != HC_OK)
        fail_msg("607: %s %s", err.field, err.msg);
    assert_int_equal(commit_flush(&err), HC_OK);
    struct hc_customs_list l = get(list_9610[1]);
    assert_string_equal(l.bill_no, "CA1234-20260312");
    const char *seller, *xml;
    assert_int_equal(hc_customs_message_xml(st, A, cop, 607, &seller, &xml, &err), HC_OK);
    /* another seller's list cannot go on the bill */
    b.seller = "S2";
    assert_int_equal(hc_customs_bill_link(st, A, cx, &b, &cop, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "lists[0]");
}

static void test_inspection_gate(void **state)
{
    hc_err err = {0};
    bool ok;
    const char **blocking;
    size_t nb;
    const char *ids[3] = {list_9610[0], list_9610[1], list_9610[3]};
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 3, &ok, &blocking, &nb, &err), HC_OK);
    assert_true(ok);
    /* customs picks a parcel: CEB604 500 holds it; the container waits */
    receipt("604", r604(list_9610[3], "29922026E000000004", 500, "20260402120000000", "查验"));
    assert_string_equal(get(list_9610[3]).inspection, "held");
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 3, &ok, &blocking, &nb, &err), HC_OK);
    assert_false(ok);
    assert_int_equal(nb, 1);
    assert_string_equal(blocking[0], list_9610[3]);
    /* taken out, the others go */
    assert_int_equal(hc_customs_inspection(st, list_9610[3], "remove", "bay 4", "op", &err),
                     HC_OK);
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 3, &ok, &blocking, &nb, &err), HC_OK);
    assert_true(ok);
    struct hc_customs_list l = get(list_9610[3]);
    assert_string_equal(l.inspection, "removed");
    assert_string_equal(l.history[l.n_history - 1].receipt, "inspect");
    assert_non_null(strstr(l.history[l.n_history - 1].info, "taken out"));
    assert_int_equal(hc_customs_inspection(st, list_9610[3], "done", NULL, "op", &err),
                     HC_ECONFLICT);
    hc_err_clear(&err);
    /* hold then done */
    assert_int_equal(hc_customs_inspection(st, list_9610[2], "hold", NULL, "op", &err), HC_OK);
    ids[0] = list_9610[2];
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 1, &ok, &blocking, &nb, &err), HC_OK);
    assert_false(ok);
    assert_int_equal(hc_customs_inspection(st, list_9610[2], "done", NULL, "op", &err), HC_OK);
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 1, &ok, &blocking, &nb, &err), HC_OK);
    assert_true(ok);
    ids[0] = "cil_0";
    assert_int_equal(hc_customs_container_can_close(st, A, ids, 1, &ok, &blocking, &nb, &err),
                     HC_ENOTFOUND);
    assert_string_equal(err.field, "lists[0]");
}

static void test_returns(void **state)
{
    hc_err err = {0};
    struct hc_customs_return ret;
    /* partial, cross-zone: left via 2992, re-enters at 5141 */
    struct hc_customs_return_item it = {.gnum = 1, .qty = 1};
    struct hc_customs_return_req r = {.list_id = list_9610[1], .customs_code = "5141",
                                      .reason = "消费者退货", .logistics_no = "RET000001",
                                      .items = &it, .n_items = 1, .actor = "t"};
    /* issue 8: the conveyance is given, never made up (no voyage, no return) */
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &ret, &err), HC_EINVAL);
    assert_string_equal(err.field, "traf_name");
    hc_err_clear(&err);
    r.traf_name = "CA1234";
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &ret, &err), HC_EINVAL);
    assert_string_equal(err.field, "voyage_no");
    hc_err_clear(&err);
    hc_store_rollback(st, &err);
    r.voyage_no = "CA1234/20260405";
    size_t before = count_xml(outbox, "CEB213_");
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_return_start(st, A, cx, &r, &ret, &err) != HC_OK)
        fail_msg("213: %s %s", err.field, err.msg);
    assert_int_equal(commit_flush(&err), HC_OK);
    assert_true(ret.cross_zone);
    assert_string_equal(ret.customs_code, "5141");
    assert_int_equal(count_xml(outbox, "CEB213_"), before + 1);
    const char *seller, *xml;
    assert_int_equal(hc_customs_message_xml(st, A, ret.id, 213, &seller, &xml, &err), HC_OK);
    assert_non_null(strstr(xml, "<ceb:customsCode>5141</ceb:customsCode>"));
    assert_non_null(strstr(xml, "<ceb:invtNo>29922026E000000002</ceb:invtNo>"));
    assert_non_null(strstr(xml, "<ceb:tradeMode>9661</ceb:tradeMode>")); /* spec table 2-59 */
    assert_non_null(strstr(xml, "<ceb:voyageNo>CA1234/20260405</ceb:voyageNo>"));
    /* a second return of the same list, a bad quantity, an unreleased list */
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    struct hc_customs_return other;
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &other, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    r.list_id = list_9610[0];
    it.qty = 3; /* the list has 2 */
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &other, &err), HC_EINVAL);
    assert_string_equal(err.field, "items[0].qty");
    hc_err_clear(&err);
    r.list_id = list_9810;
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &other, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    r.list_id = list_9610[0];
    r.n_items = 0;
    r.tenant_seller = "S2";
    assert_int_equal(hc_customs_return_start(st, A, cx, &r, &other, &err), HC_ENOTFOUND);
    hc_store_rollback(st, &err);
    hc_err_clear(&err);

    /* the receipt, then the tally at the re-entry site */
    receipt("214", hc_arena_printf(A,
                                   "<ceb:RefundReturn><ceb:guid>%s</ceb:guid><ceb:coElNo>%s"
                                   "</ceb:coElNo><ceb:invtNo>29922026E000000002</ceb:invtNo>"
                                   "<ceb:returnStatus>800</ceb:returnStatus><ceb:returnTime>"
                                   "20260405100000000</ceb:returnTime><ceb:returnInfo>退货放行"
                                   "</ceb:returnInfo></ceb:RefundReturn>",
                                   ret.guid, ret.id));
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_return_tally(st, A, cx, ret.id, "4401960OPR", "广州监管场所", "A-01", "t",
                                &ret, &err) != HC_OK)
        fail_msg("215: %s %s", err.field, err.msg);
    assert_int_equal(commit_flush(&err), HC_OK);
    assert_int_equal(ret.state, 800);
    assert_true(ret.tallied_at > 0);
    assert_int_equal(hc_customs_message_xml(st, A, ret.id, 215, &seller, &xml, &err), HC_OK);
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    assert_int_equal(hc_customs_xsd_validate(xsd, d, &err), HC_OK);
    xmlFreeDoc(d);
    struct hc_customs_list l = get(list_9610[1]);
    assert_string_equal(l.history[l.n_history - 1].receipt, "CEB215");
}

/* The inbox scan applies receipts and sorts the files. */
static int apply_cb(void *ctx, const char *path, const hc_customs_receipts *r, hc_err *err)
{
    size_t applied;
    return hc_customs_receipt_apply(st, r, "inbox", &applied, err);
}

static void test_inbox(void **state)
{
    char inbox[600], p[700];
    snprintf(inbox, sizeof(inbox), "%s", hc_customs_ctx_inbox(cx));
    snprintf(p, sizeof(p), "%s/a.xml", inbox);
    FILE *f = fopen(p, "w");
    fprintf(f,
            "<ceb:CEB604Message guid=\"g\" version=\"1.0\" "
            "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">%s</ceb:CEB604Message>",
            r604(list_9610[3], "29922026E000000004", 899, "20260420120000000", "结关"));
    fclose(f);
    snprintf(p, sizeof(p), "%s/b.xml", inbox);
    f = fopen(p, "w");
    fprintf(f,
            "<ceb:CEB604Message guid=\"g\" version=\"1.0\" "
            "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">%s</ceb:CEB604Message>",
            r604("cil_1", "unknown", 800, "20260420120000000", "x"));
    fclose(f);
    size_t ok = 0, bad = 0;
    hc_err err = {0};
    assert_int_equal(hc_customs_inbox_scan(inbox, apply_cb, NULL, &ok, &bad, &err), HC_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(bad, 1);
    assert_int_equal(get(list_9610[3]).state, HC_CUSTOMS_CLEARED);
}

/* ---- splitting, the 50-line summary limit, the outbox ---- */

/* n SKUs SPL-000.. with HS codes cycling over n_hs codes, 1.00 USD + i cents. */
static void split_skus(int n, int n_hs)
{
    hc_err err = {0};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    for (int i = 0; i < n; i++) {
        struct hc_sku k = {.seller = "SZ-ANKO", .sku = hc_arena_printf(A, "SPL-%03d", i),
                           .name = hc_arena_printf(A, "Part %d", i), .name_zh = "零件",
                           .hs_code = hc_arena_printf(A, "84733%05d", i % n_hs),
                           .value_minor = 100 + i, .currency = "USD", .origin_country = "CN",
                           .dims_mm = {10, 10, 10}, .weight_g = 10};
        if (hc_sku_create(st, &k, &err) != HC_OK)
            fail_msg("sku: %s %s", err.field, err.msg);
    }
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
}

static void test_split_9810(void **state)
{
    hc_err err = {0};
    split_skus(150, 150);
    struct hc_inbound_line *lines = hc_arena_alloc(A, 150 * sizeof(*lines));
    int64_t whole = 0;
    for (int i = 0; i < 150; i++) {
        lines[i] = (struct hc_inbound_line){hc_arena_printf(A, "SPL-%03d", i), 2, 0, 0};
        whole += 2 * (100 + i);
    }
    struct hc_inbound in = {.seller = "SZ-ANKO", .warehouse = "US-LAX", .reference = "PO-150",
                            .lines = lines, .nlines = 150};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_inbound_create(st, A, &in, "test", &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);

    struct decl_job j = {.d = {.trade_mode = "9810", .inbound_id = in.id, .actor = "test"}};
    if (declare(&j) != HC_OK)
        fail_msg("9810 split: %s %s", j.err.field, j.err.msg);
    assert_int_equal(j.out.parts, 2);
    assert_int_equal(j.out.n_part_ids, 2);
    assert_string_equal(j.out.part_ids[0], j.out.id);
    struct hc_customs_list p1 = get(j.out.part_ids[0]), p2 = get(j.out.part_ids[1]);
    assert_int_equal(p1.n_items, 100);
    assert_int_equal(p2.n_items, 50);
    assert_int_equal(p1.part, 1);
    assert_int_equal(p2.part, 2);
    assert_string_equal(p2.decl, p1.id);
    assert_string_equal(p1.ref, in.id); /* both linked to the inbound */
    assert_string_equal(p2.ref, in.id);
    assert_string_equal(p1.cop_no, p1.id); /* each its own copNo */
    assert_string_equal(p2.cop_no, p2.id);
    assert_string_not_equal(p1.order_no, p2.order_no);
    assert_string_equal(p2.order_no, hc_arena_printf(A, "%s-2", in.id));
    assert_int_equal(p2.items[0].gnum, 1); /* numbered per list */
    assert_string_equal(p2.items[0].sku, "SPL-100");
    int64_t t1, t2;
    assert_int_equal(hc_decimal_parse(p1.total_price, 2, &t1), HC_OK);
    assert_int_equal(hc_decimal_parse(p2.total_price, 2, &t2), HC_OK);
    assert_int_equal(t1 + t2, whole); /* nothing lost or doubled */
    expect_sent(&p1, 2);
    expect_sent(&p2, 2);
    const char *seller, *xml;
    assert_int_equal(hc_customs_message_xml(st, A, p2.id, 303, &seller, &xml, &err), HC_OK);
    assert_non_null(strstr(xml, hc_arena_printf(A, "<ceb:orderNo>%s-2</ceb:orderNo>", in.id)));
    /* the record stays declared: refused again */
    struct decl_job again = {.d = {.trade_mode = "9810", .inbound_id = in.id}};
    assert_int_equal(declare(&again), HC_ECONFLICT);

    /* a 9610 order of 120 lines: two lists, two waybills with their own numbers */
    struct hc_order_line *ol = hc_arena_alloc(A, 120 * sizeof(*ol));
    for (int i = 0; i < 120; i++)
        ol[i] = (struct hc_order_line){hc_arena_printf(A, "SPL-%03d", i), 1, 250, "USD", 0};
    struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop", .channel_order_id = "BIG-1",
                         .ship_to_json = "{}", .ship_country = "JP", .lines = ol, .nlines = 120};
    bool existed;
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_order_create(st, A, &o, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
    struct decl_job oj = {.d = {.trade_mode = "9610", .order_id = o.id, .actor = "t"}};
    if (declare(&oj) != HC_OK)
        fail_msg("9610 split: %s %s", oj.err.field, oj.err.msg);
    assert_int_equal(oj.out.parts, 2);
    struct hc_customs_list q2 = get(oj.out.part_ids[1]);
    assert_int_equal(q2.n_items, 20);
    assert_string_not_equal(q2.logistics_no, oj.out.logistics_no);
    expect_sent(&oj.out, 3);
    expect_sent(&q2, 3);
}

/* 9610 lists released in May with 60 distinct HS codes in one merge group:
 * two summary declarations of at most 50 lines, sums exact. */
static void test_summary_split(void **state)
{
    hc_err err = {0};
    const char *ids[3];
    int64_t expect_total = 0;
    for (int k = 0; k < 3; k++) { /* lines k*20 .. k*20+19: HS codes 84733000xx all distinct */
        struct hc_order_line *ol = hc_arena_alloc(A, 20 * sizeof(*ol));
        for (int i = 0; i < 20; i++) {
            ol[i] = (struct hc_order_line){hc_arena_printf(A, "SPL-%03d", 40 + k * 20 + i), 1,
                                           300 + i, "USD", 0};
            expect_total += 300 + i;
        }
        struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop",
                             .channel_order_id = hc_arena_printf(A, "MAY-%d", k),
                             .ship_to_json = "{}", .ship_country = "JP", .lines = ol,
                             .nlines = 20};
        bool existed;
        assert_int_equal(hc_store_begin(st, &err), HC_OK);
        assert_int_equal(hc_order_create(st, A, &o, "t", &existed, &err), HC_OK);
        assert_int_equal(hc_store_commit(st, &err), HC_OK);
        struct decl_job j = {.d = {.trade_mode = "9610", .order_id = o.id, .actor = "t"}};
        if (declare(&j) != HC_OK)
            fail_msg("may %d: %s %s", k, j.err.field, j.err.msg);
        ids[k] = j.out.id;
        receipt("604", r604(ids[k], hc_arena_printf(A, "29922026E00000050%d", k), 800,
                            "20260510120000000", "放行"));
    }
    struct hc_customs_summary_row *rows;
    size_t n;
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    if (hc_customs_summary_run(st, A, cx, "SZ-ANKO", "2026-05", 1, 0, false, "t", &rows, &n, &err))
        fail_msg("summary: %s %s", err.field, err.msg);
    assert_int_equal(commit_flush(&err), HC_OK);
    assert_int_equal(n, 2);
    int64_t got = 0, lists = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(rows[i].n_lines <= HC_CUSTOMS_SUM_LINES_MAX);
        assert_int_equal(rows[i].part, (int64_t)i + 1);
        assert_int_equal(rows[i].parts, 2);
        assert_string_equal(rows[i].country, "116");
        int64_t t;
        assert_int_equal(hc_decimal_parse(rows[i].total_price, 2, &t), HC_OK);
        got += t;
        lists += rows[i].n_lists;
    }
    assert_int_equal(rows[0].n_lines, 40);
    assert_int_equal(rows[1].n_lines, 20);
    assert_int_equal(lists, 3);
    assert_int_equal(got, expect_total);
    assert_string_equal(get(ids[2]).summary_id, rows[1].id);
}

/* Files only after the commit; a crash between commit and file leaves the
 * rows queued, and any later flush writes them, once. */
static void test_outbox_after_commit(void **state)
{
    hc_err err = {0};
    struct hc_order_line l = {"EAR-1", 1, 1999, "USD", 0};
    struct hc_order o = {.seller = "SZ-ANKO", .channel = "shop", .channel_order_id = "OBX-1",
                         .ship_to_json = "{}", .ship_country = "JP", .lines = &l, .nlines = 1};
    bool existed;
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_order_create(st, A, &o, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
    size_t before = count_xml(outbox, NULL);

    /* a job that rolls back (a failed commit) leaves neither rows nor files */
    struct hc_customs_list out;
    struct hc_customs_declare d = {.trade_mode = "9610", .order_id = o.id, .actor = "t"};
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_customs_declare(st, A, cx, &d, &out, &err), HC_OK);
    assert_int_equal(count_xml(outbox, NULL), before); /* nothing written inside the job */
    assert_string_equal(out.messages[0].outbox, "queued");
    hc_store_rollback(st, &err);
    struct hc_customs_outmsg *m;
    size_t n;
    assert_int_equal(hc_customs_outbox_queued(st, A, NULL, 0, &m, &n, &err), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hc_customs_flush_outbox(st, outbox, NULL, 0, NULL, &err), HC_OK);
    assert_int_equal(count_xml(outbox, NULL), before);

    /* committed, then "crashed" before the files: rows queued, no files */
    assert_int_equal(hc_store_begin(st, &err), HC_OK);
    assert_int_equal(hc_customs_declare(st, A, cx, &d, &out, &err), HC_OK);
    assert_int_equal(hc_store_commit(st, &err), HC_OK);
    assert_int_equal(count_xml(outbox, NULL), before);
    assert_int_equal(hc_customs_outbox_queued(st, A, out.id, 0, &m, &n, &err), HC_OK);
    assert_int_equal(n, 3);
    /* the file of one is written, its mark lost: written again, still one file */
    assert_int_equal(hc_customs_outbox_put(outbox, m[0].file, m[0].xml, strlen(m[0].xml), &err),
                     HC_OK);
    assert_int_equal(count_xml(outbox, NULL), before + 1);
    /* restart: the flush writes what is queued, once */
    size_t written = 0;
    assert_int_equal(hc_customs_flush_outbox(st, outbox, NULL, 0, &written, &err), HC_OK);
    assert_int_equal(written, 3);
    assert_int_equal(count_xml(outbox, NULL), before + 3);
    assert_int_equal(hc_customs_flush_outbox(st, outbox, NULL, 0, &written, &err), HC_OK);
    assert_int_equal(written, 0);
    assert_int_equal(count_xml(outbox, NULL), before + 3);
    struct hc_customs_list l2 = get(out.id);
    for (size_t i = 0; i < l2.n_messages; i++)
        assert_string_equal(l2.messages[i].outbox, "sent");
    expect_sent(&l2, 3); /* the file holds the stored bytes: valid and signed */
    /* no temp file left behind */
    DIR *dir = opendir(outbox);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        assert_null(strstr(e->d_name, ".tmp"));
    closedir(dir);
}

/* ---- setup ---- */

static int setup(void **state)
{
    /* the repository's data/ (HC_DATA overrides) */
    const char *d = getenv("HC_DATA");
    char data_dir[1024], extra_dir[1200];
    snprintf(data_dir, sizeof(data_dir), "%s", d ? d : HC_SOURCE_DIR "/data");
    snprintf(codes_dir, sizeof(codes_dir), "%s/customs-codes", data_dir);
    snprintf(xsd_dir, sizeof(xsd_dir), "%s/customs-ceb-202205/xsd", data_dir);
    snprintf(extra_dir, sizeof(extra_dir), "%s/customs-codes-extra", data_dir);
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/hc-customs-rec-XXXXXX");
    if (mkdtemp(tmp_dir) == NULL)
        return -1;
    snprintf(key_pem, sizeof(key_pem), "%s/sm2-key.pem", tmp_dir);
    snprintf(cert_pem, sizeof(cert_pem), "%s/sm2-cert.pem", tmp_dir);
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "openssl genpkey -algorithm SM2 -out %s 2>/dev/null && openssl req -new -x509 -key "
             "%s -sm3 -subj /CN=haicang-test -days 2 -out %s 2>/dev/null",
             key_pem, key_pem, cert_pem);
    if (system(cmd) != 0)
        return -1;
    hc_err err = {0};
    if (hc_catalog_load_reference(data_dir, &err) != HC_OK)
        goto fail;
    hc_customs_config c = {.dir = tmp_dir, .refdata = codes_dir,
                           .refextra = extra_dir, .xsd = xsd_dir,
                           .key_pem = key_pem, .cert_pem = cert_pem, .customs_code = "2992"};
    if (hc_customs_ctx_open(&cx, &c, &err) != HC_OK || hc_customs_xsd_load(&xsd, xsd_dir, &err))
        goto fail;
    snprintf(outbox, sizeof(outbox), "%s", hc_customs_ctx_outbox(cx));
    test_db_url(url, sizeof(url));
    st = test_store(url);
    A = hc_arena_new(1 << 16);
    fixture();
    return 0;
fail:
    fprintf(stderr, "setup: %s: %s\n", err.field, err.msg);
    return -1;
}

static int teardown(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        return -1;
    hc_store_close(st);
    hc_customs_ctx_free(cx);
    hc_customs_xsd_free(xsd);
    hc_arena_free(A);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_9810_booking),     cmocka_unit_test(test_9610_orders),
        cmocka_unit_test(test_bad_records),      cmocka_unit_test(test_receipts_move_states),
        cmocka_unit_test(test_summary_and_792),  cmocka_unit_test(test_bill_607),
        cmocka_unit_test(test_inspection_gate),  cmocka_unit_test(test_returns),
        cmocka_unit_test(test_inbox),            cmocka_unit_test(test_split_9810),
        cmocka_unit_test(test_summary_split),    cmocka_unit_test(test_outbox_after_commit),
    };
    return cmocka_run_group_tests_name("customs_records", tests, setup, teardown);
}

/* Unit tests for src/orders: routing, and the life of an order on a real
 * store: allocate, backorder, fill on arrival, cancel, idempotent creation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "helpers.h"
#include "orders/orders.h"

static char url[512];

static void routing_prefers_country_then_distance(void **state)
{
    struct hc_route_candidate c[3] = {
        {"US-LAX", "US", 34.0, -117.6, true, true},
        {"DE-DUI", "DE", 51.4, 6.7, true, true},
        {"PL-WAW", "PL", 52.2, 21.0, true, true},
    };
    bool complete;
    assert_int_equal(hc_route_choose(c, 3, "DE", &complete), 1);
    assert_true(complete);
    assert_int_equal(hc_route_choose(c, 3, "US", &complete), 0);
    /* no warehouse in France: the nearest, Duisburg */
    assert_int_equal(hc_route_choose(c, 3, "FR", &complete), 1);
    /* Lithuania is nearer Warsaw */
    assert_int_equal(hc_route_choose(c, 3, "LT", &complete), 2);
    /* the in-country warehouse cannot ship complete: the nearest that can */
    c[1].complete = false;
    assert_int_equal(hc_route_choose(c, 3, "DE", &complete), 2);
    assert_true(complete);
    /* nobody can: backorder at the preferred one */
    c[0].complete = c[2].complete = false;
    assert_int_equal(hc_route_choose(c, 3, "DE", &complete), 1);
    assert_false(complete);
    assert_int_equal(hc_route_choose(c, 0, "DE", &complete), -1);
}

static int setup(hc_store *s, hc_err *err)
{
    struct hc_seller sl = {"S1", "Seller one", "CN", NULL, NULL, 0};
    struct hc_warehouse w = {.code = "DE-DUI", .name = "Duisburg", .country = "DE",
                             .address_json = "{}", .timezone = "Europe/Berlin",
                             .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_sku k = {.seller = "S1", .sku = "SKU1", .name = "Lamp", .hs_code = "9405219000",
                       .value_minor = 1250, .currency = "USD", .origin_country = "CN",
                       .dims_mm = {100, 100, 100}, .weight_g = 300};
    if (hc_seller_create(s, &sl, err) || hc_warehouse_create(s, &w, err) ||
        hc_sku_create(s, &k, err))
        return err->code;
    struct hc_move m = {"S1", "SKU1", 5, "origin", "wh/DE-DUI/RECEIVING", "inb_0", "t", 0, 0};
    return hc_ledger_move(s, &m, err);
}

static struct hc_order order(const char *id, int64_t qty, struct hc_order_line *line)
{
    *line = (struct hc_order_line){"SKU1", qty, 999, "EUR", 0};
    return (struct hc_order){.seller = "S1", .channel = "shop", .channel_order_id = id,
                             .ship_to_json = "{\"country\":\"FR\"}", .ship_country = "FR",
                             .lines = line, .nlines = 1};
}

static void order_life(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(setup(s, &err), HC_OK);
    hc_arena *a = hc_arena_new(4096);
    struct hc_order_line l1, l2, l3;
    struct hc_order o1 = order("A-1", 4, &l1);
    bool existed;
    assert_int_equal(hc_order_create(s, a, &o1, "t", &existed, &err), HC_OK);
    assert_false(existed);
    assert_string_equal(o1.status, "allocated");
    assert_string_equal(o1.warehouse, "DE-DUI");
    /* the same channel order again: found, not booked twice */
    struct hc_order again = order("A-1", 4, &l3);
    assert_int_equal(hc_order_create(s, a, &again, "t", &existed, &err), HC_OK);
    assert_true(existed);
    assert_string_equal(again.id, o1.id);
    int64_t avail;
    hc_ledger_available(s, "S1", "DE-DUI", "SKU1", &avail, &err);
    assert_int_equal(avail, 1);
    /* more than is left: backordered */
    struct hc_order o2 = order("A-2", 3, &l2);
    assert_int_equal(hc_order_create(s, a, &o2, "t", &existed, &err), HC_OK);
    assert_string_equal(o2.status, "backordered");
    /* cancelling the first frees 4: the backorder is filled at once */
    struct hc_order out;
    assert_int_equal(hc_order_cancel(s, a, o1.id, "t", &out, &err), HC_OK);
    assert_string_equal(out.status, "cancelled");
    assert_int_equal(hc_order_get(s, a, o2.id, &out, &err), HC_OK);
    assert_string_equal(out.status, "allocated");
    assert_int_equal(out.nhistory, 2);
    hc_ledger_available(s, "S1", "DE-DUI", "SKU1", &avail, &err);
    assert_int_equal(avail, 2);
    /* a cancelled order cannot be cancelled again */
    assert_int_equal(hc_order_cancel(s, a, o1.id, "t", &out, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    /* shipping needs packing first */
    assert_int_equal(hc_order_ship(s, a, o2.id, "DHL", "1", "[]", "t", &out, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    hc_arena_free(a);
    hc_store_close(s);
}

/* 250 older backorders of SKU1 that nothing fills, then one of SKU2: stock
 * of SKU2 arriving fills it (a fill used to read the oldest 200 only), and
 * oldest first while the stock lasts. */
static void backorders_beyond_200(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    if (setup(s, &err) != HC_OK) /* the tests share a database: S1 and DE-DUI may exist */
        hc_err_clear(&err);
    struct hc_sku k2 = {.seller = "S1", .sku = "SKU2", .name = "Shade", .hs_code = "9405219000",
                        .value_minor = 500, .currency = "USD", .origin_country = "CN",
                        .dims_mm = {100, 100, 100}, .weight_g = 100};
    assert_int_equal(hc_sku_create(s, &k2, &err), HC_OK);
    int64_t n = 0, before = 0, free1 = 0;
    assert_int_equal(hc_store_int(s, &err, &before,
                                  "SELECT COUNT(*) FROM backorder_lines WHERE seller = 'S1'", ""),
                     HC_OK);
    hc_ledger_available(s, "S1", "DE-DUI", "SKU1", &free1, &err);
    hc_arena *a = hc_arena_new(1 << 16);
    bool existed;
    char id[32];
    for (int i = 0; i < 250; i++) { /* more SKU1 than there is */
        struct hc_order_line l;
        snprintf(id, sizeof(id), "X-%d", i);
        struct hc_order o = order(hc_arena_strdup(a, id), free1 + 6, &l);
        o.created_at = 1000 + i;
        assert_int_equal(hc_order_create(s, a, &o, "t", &existed, &err), HC_OK);
        assert_string_equal(o.status, "backordered");
    }
    struct hc_order_line ly1, ly2;
    struct hc_order y1 = order("Y-1", 2, &ly1), y2 = order("Y-2", 2, &ly2);
    ly1.sku = ly2.sku = "SKU2";
    y1.created_at = 5000;
    y2.created_at = 5001;
    assert_int_equal(hc_order_create(s, a, &y1, "t", &existed, &err), HC_OK);
    assert_int_equal(hc_order_create(s, a, &y2, "t", &existed, &err), HC_OK);
    assert_string_equal(y2.status, "backordered");
    /* 3 units of SKU2 arrive: the older Y order is filled, the newer waits */
    struct hc_move m = {"S1", "SKU2", 3, "origin", "wh/DE-DUI/RECEIVING", "inb_1", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    const char *skus[] = {"SKU2", "SKU2"};
    int filled = -1;
    assert_int_equal(hc_order_fill_backorders(s, "S1", skus, 2, "t", &filled, &err), HC_OK);
    assert_int_equal(filled, 1);
    struct hc_order out;
    assert_int_equal(hc_order_get(s, a, y1.id, &out, &err), HC_OK);
    assert_string_equal(out.status, "allocated");
    assert_int_equal(hc_order_get(s, a, y2.id, &out, &err), HC_OK);
    assert_string_equal(out.status, "backordered");
    /* one more unit: the newer one too; the SKU1 backorders stay */
    m.qty = 1;
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    assert_int_equal(hc_order_fill_backorders(s, "S1", skus, 1, "t", &filled, &err), HC_OK);
    assert_int_equal(filled, 1);
    assert_int_equal(hc_order_get(s, a, y2.id, &out, &err), HC_OK);
    assert_string_equal(out.status, "allocated");
    assert_int_equal(hc_store_int(s, &err, &n,
                                  "SELECT COUNT(*) FROM backorder_lines WHERE seller = 'S1'", ""),
                     HC_OK);
    assert_int_equal(n, before + 250);
    /* SKU1 arrives for 1 order: only the oldest is filled */
    struct hc_move m1 = {"S1", "SKU1", 6, "origin", "wh/DE-DUI/RECEIVING", "inb_2", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &m1, &err), HC_OK);
    const char *sku1[] = {"SKU1"};
    assert_int_equal(hc_order_fill_backorders(s, "S1", sku1, 1, "t", &filled, &err), HC_OK);
    assert_int_equal(filled, 1);
    assert_int_equal(hc_store_int(s, &err, &n,
                                  "SELECT COUNT(*) FROM backorder_lines bl JOIN orders o ON"
                                  " o.seller = bl.seller AND o.id = bl.order_id WHERE"
                                  " o.channel_order_id = 'X-0'", ""),
                     HC_OK);
    assert_int_equal(n, 0);
    hc_arena_free(a);
    hc_store_close(s);
}

static void bad_orders_name_the_field(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    hc_arena *a = hc_arena_new(4096);
    struct hc_order_line l;
    struct hc_order o = order("B-1", 1, &l);
    l.sku = "NOPE";
    bool existed;
    assert_int_equal(hc_order_create(s, a, &o, "t", &existed, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines[0].sku");
    hc_err_clear(&err);
    o = order("B-2", 0, &l);
    assert_int_equal(hc_order_create(s, a, &o, "t", &existed, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines[0].qty");
    hc_err_clear(&err);
    o = order("B-3", 1, &l);
    o.ship_country = "XX";
    assert_int_equal(hc_order_create(s, a, &o, "t", &existed, &err), HC_EINVAL);
    assert_string_equal(err.field, "ship_to.country");
    hc_arena_free(a);
    hc_store_close(s);
}

/* Order statuses are one enum with one name table (issue 8 §5): every status
 * has its word, each word reads back as its status, nothing else does. */
static void status_names(void **state)
{
    (void)state;
    static const char *const words[] = {"backordered", "allocated", "picking", "packed",
                                        "shipped",     "delivered", "cancelled",
                                        "on_hold"};
    assert_int_equal(HC_ORDER_NSTATUS, sizeof(words) / sizeof(words[0]));
    for (int i = 0; i < HC_ORDER_NSTATUS; i++) {
        const char *w = hc_order_status_name((enum hc_order_status)i);
        assert_non_null(w);
        assert_int_equal(hc_order_status_parse(w), i);
        int found = 0;
        for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
            found += strcmp(words[k], w) == 0;
        assert_int_equal(found, 1);
    }
    assert_int_equal(hc_order_status_parse("Allocated"), -1);
    assert_int_equal(hc_order_status_parse(""), -1);
    assert_int_equal(hc_order_status_parse(NULL), -1);
    assert_string_equal(hc_order_status_name(HC_ORDER_NSTATUS), "unknown");
}

int main(void)
{
    hc_err err = {0};
    const char *data = getenv("HAICANG_DATA");
    if (hc_catalog_load_reference(data ? data : HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routing_prefers_country_then_distance),
        cmocka_unit_test(order_life),
        cmocka_unit_test(backorders_beyond_200),
        cmocka_unit_test(bad_orders_name_the_field),
        cmocka_unit_test(status_names),
    };
    return cmocka_run_group_tests_name("orders", tests, NULL, NULL);
}

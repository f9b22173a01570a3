/* Unit tests for src/orders: routing, and the life of an order on a real
 * store: allocate, backorder, fill on arrival, cancel, idempotent creation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
        cmocka_unit_test(bad_orders_name_the_field),
    };
    return cmocka_run_group_tests_name("orders", tests, NULL, NULL);
}

/* test_scan.c: the scan matcher (warehouse/scan.c), pure: which bin a code
 * names, which picks an item scan counts against, refusals naming the field,
 * the next stop and the direction towards it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "warehouse/warehouse.h"

/* Route order: A-01-1 (two orders want SKU1), C-05-1 (SKU2), A-01-1 again
 * is not repeated; D-02-1 (SKU3 with no barcode). */
static struct hc_scan_pick picks[] = {
    {.seq = 1, .location = "A-01-1", .seller = "S1", .sku = "SKU1", .order = "o1",
     .barcode = "6900000000011", .qty = 2, .aisle = 1, .bay = 1, .open = true},
    {.seq = 2, .location = "A-01-1", .seller = "S1", .sku = "SKU1", .order = "o2",
     .barcode = "6900000000011", .qty = 3, .aisle = 1, .bay = 1, .open = true},
    {.seq = 3, .location = "C-05-1", .seller = "S1", .sku = "SKU2", .order = "o1",
     .barcode = "6900000000028", .qty = 1, .aisle = 3, .bay = 5, .open = true},
    {.seq = 4, .location = "D-02-1", .seller = "S1", .sku = "SKU3", .order = "o2",
     .barcode = NULL, .qty = 4, .aisle = 4, .bay = 2, .open = true},
};
#define N (sizeof(picks) / sizeof(picks[0]))

static void reset(void)
{
    for (size_t i = 0; i < N; i++) {
        picks[i].done = 0;
        picks[i].open = true;
    }
}

static void bin_codes(void **state)
{
    (void)state;
    reset();
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "A-01-1"), 0);
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "c-05-1"), 2);
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "wh/D-02-1"), 3);
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "XX/D-02-1"), -1);
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "B-01-1"), -1);
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "WH/"), -1);
    assert_int_equal(hc_scan_find_bin(picks, N, NULL, "A-01-1"), 0);
    picks[2].open = false; /* a done bin is no stop */
    assert_int_equal(hc_scan_find_bin(picks, N, "WH", "C-05-1"), -1);
}

static void item_codes(void **state)
{
    (void)state;
    reset();
    assert_true(hc_scan_item_is(&picks[0], "6900000000011"));
    assert_true(hc_scan_item_is(&picks[0], "SKU1"));
    assert_false(hc_scan_item_is(&picks[0], "sku1")); /* SKU codes are exact */
    assert_false(hc_scan_item_is(&picks[0], "6900000000028"));
    assert_true(hc_scan_item_is(&picks[3], "SKU3"));
    assert_false(hc_scan_item_is(&picks[3], ""));
}

static void spread_in_route_order(void **state)
{
    (void)state;
    reset();
    int64_t take[N];
    hc_err err = {0};
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "6900000000011", NULL, 3, take, &err),
                     HC_OK);
    assert_int_equal(take[0], 2); /* the first pick filled first */
    assert_int_equal(take[1], 1);
    assert_int_equal(take[2], 0);
    assert_int_equal(take[3], 0);
    /* naming an order counts only its pick */
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "SKU1", "o2", 3, take, &err), HC_OK);
    assert_int_equal(take[0], 0);
    assert_int_equal(take[1], 3);
    /* qty 0: what they still need (a short pick) */
    picks[0].done = 1;
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "SKU1", NULL, 0, take, &err), HC_OK);
    assert_int_equal(take[0], 1);
    assert_int_equal(take[1], 3);
}

static void refusals_name_the_field(void **state)
{
    (void)state;
    reset();
    int64_t take[N];
    hc_err err = {0};
    /* the right item at the wrong bin */
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "SKU2", NULL, 1, take, &err),
                     HC_EUNPROC);
    assert_string_equal(err.field, "code");
    hc_err_clear(&err);
    /* an item of another order at this bin */
    assert_int_equal(hc_scan_match_item(picks, N, "C-05-1", "SKU2", "o2", 1, take, &err),
                     HC_EUNPROC);
    assert_string_equal(err.field, "code");
    hc_err_clear(&err);
    /* more than the picks need: 5 at A-01-1 */
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "SKU1", NULL, 6, take, &err),
                     HC_EUNPROC);
    assert_string_equal(err.field, "qty");
    hc_err_clear(&err);
    assert_int_equal(hc_scan_match_item(picks, N, "A-01-1", "SKU1", NULL, 5, take, &err), HC_OK);
    /* no bin scanned, or a bin with nothing left */
    assert_int_equal(hc_scan_match_item(picks, N, NULL, "SKU1", NULL, 1, take, &err), HC_EUNPROC);
    assert_string_equal(err.field, "code");
    hc_err_clear(&err);
    picks[2].done = 1;
    picks[2].open = false;
    assert_int_equal(hc_scan_match_item(picks, N, "C-05-1", "SKU2", NULL, 1, take, &err),
                     HC_EUNPROC);
    assert_string_equal(err.field, "code");
    for (size_t i = 0; i < N; i++)
        assert_int_equal(take[i], 0); /* nothing taken on a refusal */
}

static void next_stop_and_direction(void **state)
{
    (void)state;
    reset();
    assert_int_equal(hc_scan_next(picks, N), 0);
    picks[0].open = picks[1].open = false;
    assert_int_equal(hc_scan_next(picks, N), 2);
    for (size_t i = 0; i < N; i++)
        picks[i].open = false;
    assert_int_equal(hc_scan_next(picks, N), -1);
    assert_string_equal(hc_scan_direction(1, 1, 1, 1), "here");
    assert_string_equal(hc_scan_direction(1, 1, 3, 5), "right");
    assert_string_equal(hc_scan_direction(3, 5, 1, 9), "left");
    assert_string_equal(hc_scan_direction(2, 3, 2, 7), "forward");
    assert_string_equal(hc_scan_direction(2, 7, 2, 3), "back");
    enum hc_scan_kind k;
    assert_true(hc_scan_kind_parse("short", &k));
    assert_int_equal(k, HC_SCAN_SHORT);
    assert_false(hc_scan_kind_parse("Bin", &k));
    assert_false(hc_scan_kind_parse(NULL, &k));
    assert_string_equal(hc_scan_kind_name(HC_SCAN_ITEM), "item");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bin_codes),
        cmocka_unit_test(item_codes),
        cmocka_unit_test(spread_in_route_order),
        cmocka_unit_test(refusals_name_the_field),
        cmocka_unit_test(next_stop_and_direction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

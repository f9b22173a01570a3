/* Unit tests for the warehouse planners: bin capacity, putaway, and the
 * S-shape and return pick routes on layouts worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "warehouse/warehouse.h"

static void capacity_by_grid_volume_and_weight(void **state)
{
    struct hc_bin b = {.code = "A", .dims_mm = {1000, 1000, 1000}, .max_weight_g = 100000};
    int64_t box[3] = {100, 100, 100};
    assert_int_equal(hc_bin_capacity(&b, box, 100), 1000);
    /* weight binds first */
    assert_int_equal(hc_bin_capacity(&b, box, 1000), 100);
    /* a box that fits only when turned */
    int64_t plank[3] = {1200, 100, 100};
    struct hc_bin tall = {.code = "T", .dims_mm = {1000, 1000, 1300}, .max_weight_g = 100000};
    assert_int_equal(hc_bin_capacity(&tall, plank, 10), 100);
    /* too big in every orientation */
    int64_t huge[3] = {2000, 2000, 2000};
    assert_int_equal(hc_bin_capacity(&b, huge, 10), 0);
    /* what is already there takes room */
    b.used_volume_mm3 = 500LL * 1000000;
    assert_int_equal(hc_bin_capacity(&b, box, 100), 500);
}

static void putaway_prefers_the_same_sku_then_tight_fits(void **state)
{
    struct hc_bin bins[3] = {
        {.code = "A-01-1", .dims_mm = {1000, 1000, 1000}, .max_weight_g = 1000000, .aisle = 1, .bay = 1},
        {.code = "B-01-1", .dims_mm = {500, 500, 500}, .max_weight_g = 1000000, .holds_sku = true,
         .aisle = 2, .bay = 1},
        {.code = "A-02-1", .dims_mm = {600, 500, 500}, .max_weight_g = 1000000, .aisle = 1, .bay = 2},
    };
    int64_t box[3] = {100, 100, 100};
    struct hc_bin_alloc out[3];
    int64_t unplaced;
    size_t n = hc_putaway_plan(bins, 3, box, 100, 50, out, &unplaced);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].bin, 1); /* the bin that holds the SKU */
    assert_int_equal(out[0].qty, 50);
    assert_int_equal(unplaced, 0);
    /* 200 more: the SKU's bin takes its last 75, then the tightest bin that
     * holds the remaining 125 in one go, A-02-1 (150), over A-01-1 (1000) */
    n = hc_putaway_plan(bins, 3, box, 100, 200, out, &unplaced);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].bin, 1);
    assert_int_equal(out[0].qty, 75);
    assert_int_equal(out[1].bin, 2);
    assert_int_equal(out[1].qty, 125);
    assert_int_equal(unplaced, 0);
    /* more than all bins hold: the rest is reported, not invented */
    n = hc_putaway_plan(bins, 3, box, 100, 5000, out, &unplaced);
    assert_int_equal(unplaced, 5000 - 1000 - 25);
}

static const struct hc_layout layout = {.aisle_pitch_mm = 3000, .bay_pitch_mm = 1000,
                                        .depot_aisle = 1, .bays_per_aisle = 10};

static void sshape_odd_aisles(void **state)
{
    struct hc_pick_point pts[4] = {{1, 2}, {3, 5}, {3, 1}, {4, 9}};
    size_t order[4];
    /* across: depot at aisle 1 out to aisle 4 and back = 2 * 3 * 3000;
     * aisle 1 up and aisle 3 down, 10000 each; aisle 4 in and out to bay 9 */
    assert_int_equal(hc_route_sshape(&layout, pts, 4, order), 18000 + 10000 + 10000 + 17000);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1); /* aisle 3 walked down: bay 5 before bay 1 */
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 3);
}

static void sshape_even_aisles(void **state)
{
    struct hc_pick_point pts[3] = {{5, 3}, {2, 7}, {2, 1}};
    size_t order[3];
    assert_int_equal(hc_route_sshape(&layout, pts, 3, order), 2 * 4 * 3000 + 2 * 10000);
    assert_int_equal(order[0], 2); /* aisle 2 up: bay 1, then bay 7 */
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
}

static void return_route(void **state)
{
    struct hc_pick_point pts[4] = {{1, 2}, {3, 5}, {3, 1}, {4, 9}};
    size_t order[4];
    assert_int_equal(hc_route_return(&layout, pts, 4, order), 18000 + 3000 + 9000 + 17000);
    struct hc_pick_point none[1];
    assert_int_equal(hc_route_sshape(&layout, none, 0, order), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(capacity_by_grid_volume_and_weight),
        cmocka_unit_test(putaway_prefers_the_same_sku_then_tight_fits),
        cmocka_unit_test(sshape_odd_aisles),
        cmocka_unit_test(sshape_even_aisles),
        cmocka_unit_test(return_route),
    };
    return cmocka_run_group_tests_name("warehouse", tests, NULL, NULL);
}

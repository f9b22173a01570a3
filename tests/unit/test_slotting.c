/* test_slotting.c: the pure slotting planner (warehouse/slotting.c) and the
 * velocity zones of putaway: the fastest SKU ends nearest, capacity holds,
 * the saving is what the expected distances recomputed here say, nothing
 * moves when the slotting is already optimal, max_moves bounds the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warehouse/warehouse.h"

static const struct hc_slot_costs COSTS = {3000, 1000, 1, 1, 2, 2000};

/* A row of bins along aisle 1 (the depot's), one per bay, level 1. */
static void row(struct hc_bin *b, size_t n, int64_t side_mm, int64_t max_g)
{
    static char codes[64][32];
    for (size_t i = 0; i < n; i++) {
        snprintf(codes[i], sizeof(codes[i]), "A-%02zu-1", i + 1);
        b[i] = (struct hc_bin){.code = codes[i],
                               .dims_mm = {side_mm, side_mm, side_mm},
                               .max_weight_g = max_g,
                               .aisle = 1,
                               .bay = (int64_t)i + 1,
                               .level = 1};
    }
}

static struct hc_slot_item item(const char *sku, size_t bin, int64_t qty, double ppd)
{
    return (struct hc_slot_item){"S1", sku, qty, {100, 100, 100}, 100, bin, ppd};
}

static void fill(struct hc_bin *bins, const struct hc_slot_item *it, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        bins[it[k].bin].used_volume_mm3 += it[k].qty * 100 * 100 * 100;
        bins[it[k].bin].used_weight_g += it[k].qty * it[k].weight_g;
    }
}

/* Where each item is after the moves. */
static void final_bins(const struct hc_slot_item *it, size_t n, const struct hc_slot_move *mv,
                       size_t nm, size_t *where)
{
    for (size_t k = 0; k < n; k++)
        where[k] = it[k].bin;
    for (size_t m = 0; m < nm; m++) {
        assert_int_equal(where[mv[m].item], mv[m].from);
        where[mv[m].item] = mv[m].to;
    }
}

static void test_walk_cost(void **state)
{
    (void)state;
    /* depot at aisle 1: bay 1 is 500 mm in, round trip 1000; aisle 3 adds 2 x 6000 */
    assert_int_equal(hc_slot_walk_mm(&COSTS, 1, 1), 1000);
    assert_int_equal(hc_slot_walk_mm(&COSTS, 3, 2), 2 * (6000 + 1500));
    struct hc_bin b = {.aisle = 1, .bay = 1, .level = 4};
    assert_int_equal(hc_slot_cost_mm(&COSTS, &b), 1000 + 2 * 2000); /* 2 levels above 1..2 */
    b.level = 2;
    assert_int_equal(hc_slot_cost_mm(&COSTS, &b), 1000);
}

static void test_fastest_ends_nearest(void **state)
{
    (void)state;
    struct hc_bin bins[8];
    row(bins, 8, 1000, 1000000);
    /* slow in the nearest bin, fast at the far end, the rest empty */
    struct hc_slot_item it[3] = {item("SLOW", 0, 10, 0.1), item("MID", 4, 10, 1.0),
                                 item("FAST", 7, 10, 5.0)};
    fill(bins, it, 3);
    bool usable[8];
    for (int i = 0; i < 8; i++)
        usable[i] = true;
    struct hc_slot_move mv[8];
    size_t nm = hc_slotting_plan(&COSTS, bins, 8, usable, it, 3, 8, mv);
    size_t where[3];
    final_bins(it, 3, mv, nm, where);
    /* FAST swapped with SLOW into bay 1; MID into bay 2 (the nearest free) */
    assert_int_equal(where[2], 0);
    assert_int_equal(where[1], 1);
    for (size_t k = 0; k < 3; k++)
        for (size_t j = 0; j < 3; j++)
            if (it[k].picks_per_day > it[j].picks_per_day)
                assert_true(hc_slot_walk_mm(&COSTS, 1, bins[where[k]].bay) <=
                            hc_slot_walk_mm(&COSTS, 1, bins[where[j]].bay));
    /* a swap is a pair pointing at each other; each bin used once */
    for (size_t m = 0; m < nm; m++)
        if (mv[m].swap >= 0)
            assert_int_equal(mv[mv[m].swap].swap, (ptrdiff_t)m);
}

static void test_capacity_respected(void **state)
{
    (void)state;
    struct hc_bin bins[4];
    row(bins, 4, 1000, 1000000);
    bins[0].dims_mm[0] = bins[0].dims_mm[1] = bins[0].dims_mm[2] = 200; /* 8 units */
    bins[1].max_weight_g = 500;                                          /* 5 units */
    /* 20 units of a fast SKU at bay 4: bays 1 and 2 cannot take them, bay 3 can */
    struct hc_slot_item it[1] = {item("FAST", 3, 20, 3.0)};
    fill(bins, it, 1);
    bool usable[4] = {true, true, true, true};
    struct hc_slot_move mv[4];
    size_t nm = hc_slotting_plan(&COSTS, bins, 4, usable, it, 1, 4, mv);
    assert_int_equal(nm, 1);
    assert_int_equal(mv[0].to, 2);
    struct hc_bin empty = bins[mv[0].to];
    empty.used_volume_mm3 = empty.used_weight_g = 0;
    assert_true(hc_bin_capacity(&empty, it[0].dims_mm, it[0].weight_g) >= it[0].qty);
    /* 8 units fit bay 1 exactly: then it goes there */
    it[0].qty = 8;
    row(bins, 4, 1000, 1000000);
    bins[0].dims_mm[0] = bins[0].dims_mm[1] = bins[0].dims_mm[2] = 200;
    fill(bins, it, 1);
    nm = hc_slotting_plan(&COSTS, bins, 4, usable, it, 1, 4, mv);
    assert_int_equal(nm, 1);
    assert_int_equal(mv[0].to, 0);
    /* a bin that is not usable (an open wave, two SKUs) is never used */
    row(bins, 4, 1000, 1000000);
    fill(bins, it, 1);
    usable[0] = usable[1] = false;
    nm = hc_slotting_plan(&COSTS, bins, 4, usable, it, 1, 4, mv);
    assert_int_equal(nm, 1);
    assert_int_equal(mv[0].to, 2);
    /* a swap needs the colder item to fit the hot one's old bin */
    row(bins, 2, 1000, 1000000);
    bins[1].dims_mm[0] = bins[1].dims_mm[1] = bins[1].dims_mm[2] = 200; /* 8 units */
    struct hc_slot_item sw[2] = {item("COLD", 0, 20, 0.5), item("HOT", 1, 5, 4.0)};
    fill(bins, sw, 2);
    bool u2[2] = {true, true};
    nm = hc_slotting_plan(&COSTS, bins, 2, u2, sw, 2, 4, mv);
    assert_int_equal(nm, 0); /* 20 COLD do not fit the small bin */
}

static void test_saving_matches_recomputed(void **state)
{
    (void)state;
    enum { NB = 40, NI = 25 };
    struct hc_bin bins[NB];
    static char codes[NB][32];
    for (size_t i = 0; i < NB; i++) { /* 4 aisles x 5 bays x 2 levels... and level 3 */
        snprintf(codes[i], sizeof(codes[i]), "B%02zu", i);
        bins[i] = (struct hc_bin){.code = codes[i],
                                  .dims_mm = {800, 800, 800},
                                  .max_weight_g = 1000000,
                                  .aisle = 1 + (int64_t)(i / 10),
                                  .bay = 1 + (int64_t)(i % 10) / 2,
                                  .level = 1 + (int64_t)(i % 3)};
    }
    struct hc_slot_item it[NI];
    static char names[NI][32];
    srand(7);
    for (size_t k = 0; k < NI; k++) {
        snprintf(names[k], sizeof(names[k]), "K%02zu", k);
        it[k] = item(names[k], NB - 1 - k, 1 + rand() % 50, (double)(rand() % 1000) / 100.0);
    }
    fill(bins, it, NI);
    bool usable[NB];
    for (size_t i = 0; i < NB; i++)
        usable[i] = true;
    struct hc_slot_move mv[30];
    size_t nm = hc_slotting_plan(&COSTS, bins, NB, usable, it, NI, 30, mv);
    assert_true(nm > 0 && nm <= 30);
    double before, after;
    hc_slotting_walk(&COSTS, bins, it, NI, mv, nm, &before, &after);
    /* recompute: expected walk = sum of picks/day x round trip of where each item is */
    size_t where[NI];
    final_bins(it, NI, mv, nm, where);
    double b2 = 0, a2 = 0;
    bool used[NB] = {false};
    for (size_t k = 0; k < NI; k++) {
        b2 += it[k].picks_per_day * (double)(2 * ((it[k].bin / 10) * 3000) +
                                             2 * (bins[it[k].bin].bay * 1000 - 500));
        a2 += it[k].picks_per_day * (double)(2 * ((where[k] / 10) * 3000) +
                                             2 * (bins[where[k]].bay * 1000 - 500));
        assert_false(used[where[k]]); /* one SKU per bin afterwards */
        used[where[k]] = true;
    }
    assert_true(before - b2 < 1e-6 && b2 - before < 1e-6);
    assert_true(after - a2 < 1e-6 && a2 - after < 1e-6);
    /* the cost (walk + level penalty) never rises */
    double cb = 0, ca = 0;
    for (size_t k = 0; k < NI; k++) {
        cb += it[k].picks_per_day * (double)hc_slot_cost_mm(&COSTS, &bins[it[k].bin]);
        ca += it[k].picks_per_day * (double)hc_slot_cost_mm(&COSTS, &bins[where[k]]);
    }
    assert_true(ca < cb);
    /* max_moves bounds the plan, a swap counting two */
    for (size_t cap = 1; cap <= 5; cap++) {
        size_t n = hc_slotting_plan(&COSTS, bins, NB, usable, it, NI, cap, mv);
        assert_true(n <= cap);
    }
}

static void test_no_move_when_optimal(void **state)
{
    (void)state;
    struct hc_bin bins[6];
    row(bins, 6, 1000, 1000000);
    struct hc_slot_item it[4] = {item("A", 0, 5, 9.0), item("B", 1, 5, 4.0), item("C", 2, 5, 4.0),
                                 item("D", 3, 5, 0.5)};
    fill(bins, it, 4);
    bool usable[6] = {true, true, true, true, true, true};
    struct hc_slot_move mv[6];
    assert_int_equal(hc_slotting_plan(&COSTS, bins, 6, usable, it, 4, 6, mv), 0);
    double before, after;
    hc_slotting_walk(&COSTS, bins, it, 4, mv, 0, &before, &after);
    assert_true(before == after);
    /* items never picked stay where they are */
    struct hc_slot_item cold[1] = {item("Z", 5, 5, 0)};
    row(bins, 6, 1000, 1000000);
    fill(bins, cold, 1);
    assert_int_equal(hc_slotting_plan(&COSTS, bins, 6, usable, cold, 1, 6, mv), 0);
}

static void test_putaway_zone(void **state)
{
    (void)state;
    struct hc_bin bins[5];
    row(bins, 5, 1000, 1000000);
    int64_t costs[5];
    for (int i = 0; i < 5; i++)
        costs[i] = hc_slot_cost_mm(&COSTS, &bins[i]);
    const int64_t box[3] = {100, 100, 100};
    struct hc_bin_alloc out[5];
    int64_t unplaced;
    /* fast: nearest; slow: farthest; none: as hc_putaway_plan (nearest on ties) */
    size_t n = hc_putaway_plan_zone(bins, 5, costs, HC_VELOCITY_FAST, box, 100, 10, out, &unplaced);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].bin, 0);
    row(bins, 5, 1000, 1000000);
    n = hc_putaway_plan_zone(bins, 5, costs, HC_VELOCITY_SLOW, box, 100, 10, out, &unplaced);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].bin, 4);
    struct hc_bin ref[5];
    row(bins, 5, 1000, 1000000);
    row(ref, 5, 1000, 1000000);
    bins[0].dims_mm[0] = ref[0].dims_mm[0] = 150; /* tighter: the plain rule's choice */
    struct hc_bin_alloc o2[5];
    int64_t u2;
    n = hc_putaway_plan_zone(bins, 5, costs, HC_VELOCITY_NONE, box, 100, 10, out, &unplaced);
    size_t n2 = hc_putaway_plan(ref, 5, box, 100, 10, o2, &u2);
    assert_int_equal(n, n2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(out[i].bin, o2[i].bin);
        assert_int_equal(out[i].qty, o2[i].qty);
    }
    /* a bin already holding the SKU still comes first, fast or slow */
    row(bins, 5, 1000, 1000000);
    bins[2].holds_sku = true;
    n = hc_putaway_plan_zone(bins, 5, costs, HC_VELOCITY_SLOW, box, 100, 10, out, &unplaced);
    assert_int_equal(out[0].bin, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_cost),
        cmocka_unit_test(test_fastest_ends_nearest),
        cmocka_unit_test(test_capacity_respected),
        cmocka_unit_test(test_saving_matches_recomputed),
        cmocka_unit_test(test_no_move_when_optimal),
        cmocka_unit_test(test_putaway_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

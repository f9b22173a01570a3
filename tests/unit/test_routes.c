/* test_routes.c: hc_route_plan against brute force.
 *
 * The reference shares no code with route.c: distances in the aisle graph
 * are computed here from the geometry written in warehouse.h (bay centres,
 * cross aisles between bays), the shortest tour through the distinct pick
 * positions by a Held-Karp dynamic programme over subsets, and every policy's
 * steps are walked again leg by leg, checking that each leg runs along one
 * aisle or along one cross aisle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warehouse/warehouse.h"

#define MAXP 10

struct ref {
    const struct hc_layout *l;
    int64_t len_bays;
    int64_t levels[HC_CROSS_AISLES_MAX + 2];
    int nlev;
};

static void ref_init(struct ref *r, const struct hc_layout *l, const struct hc_pick_point *p,
                     size_t n)
{
    r->l = l;
    r->len_bays = l->bays_per_aisle;
    for (size_t i = 0; i < n; i++)
        if (p[i].bay > r->len_bays)
            r->len_bays = p[i].bay;
    r->nlev = 0;
    r->levels[r->nlev++] = 0;
    for (size_t k = 0; k < l->ncross; k++)
        r->levels[r->nlev++] = l->cross_aisles[k] * l->bay_pitch_mm;
    r->levels[r->nlev++] = r->len_bays * l->bay_pitch_mm;
}

static int64_t y_of(const struct hc_layout *l, int64_t bay)
{
    /* the centre of the bay (warehouse.h): bays are bay_pitch_mm wide, bay 1
     * starts at the front cross aisle */
    return bay * l->bay_pitch_mm - l->bay_pitch_mm / 2;
}

static int64_t iabs(int64_t x)
{
    return x < 0 ? -x : x;
}

/* Shortest walk between (a1, y1) and (a2, y2) in the aisle graph. */
static int64_t dist(const struct ref *r, int64_t a1, int64_t y1, int64_t a2, int64_t y2)
{
    if (a1 == a2)
        return iabs(y1 - y2);
    int64_t best = INT64_MAX;
    for (int k = 0; k < r->nlev; k++) {
        int64_t d = iabs(y1 - r->levels[k]) + iabs(a1 - a2) * r->l->aisle_pitch_mm +
                    iabs(y2 - r->levels[k]);
        if (d < best)
            best = d;
    }
    return best;
}

static int64_t held_karp(const struct ref *r, const struct hc_pick_point *p, size_t n)
{
    int64_t a[MAXP + 1], y[MAXP + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t yi = y_of(r->l, p[i].bay);
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= a[j] == p[i].aisle && y[j] == yi;
        if (!dup) {
            a[k] = p[i].aisle;
            y[k++] = yi;
        }
    }
    int64_t da = r->l->depot_aisle;
    size_t full = (size_t)1 << k;
    int64_t *dp = malloc(full * k * sizeof(*dp));
    assert_non_null(dp);
    for (size_t s = 0; s < full * k; s++)
        dp[s] = INT64_MAX;
    for (size_t i = 0; i < k; i++)
        dp[((size_t)1 << i) * k + i] = dist(r, da, 0, a[i], y[i]);
    for (size_t s = 1; s < full; s++)
        for (size_t i = 0; i < k; i++) {
            int64_t c = dp[s * k + i];
            if (c == INT64_MAX || !(s >> i & 1))
                continue;
            for (size_t j = 0; j < k; j++) {
                if (s >> j & 1)
                    continue;
                size_t t = s | (size_t)1 << j;
                int64_t d = c + dist(r, a[i], y[i], a[j], y[j]);
                if (d < dp[t * k + j])
                    dp[t * k + j] = d;
            }
        }
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < k; i++) {
        int64_t d = dp[(full - 1) * k + i] + dist(r, a[i], y[i], da, 0);
        if (d < best)
            best = d;
    }
    free(dp);
    return best;
}

/* Walks the steps again: depot, steps, depot. Each leg must run along one
 * aisle or along one cross aisle; every pick once, at its place; order[] is
 * the PICK steps. Returns the walked length. */
static int64_t walk_steps(const struct ref *r, const struct hc_pick_point *p, size_t n,
                          const struct hc_route_step *st, size_t ns, const size_t *order)
{
    int64_t ca = r->l->depot_aisle, cy = 0, len = 0;
    int seen[MAXP] = {0};
    size_t no = 0;
    for (size_t i = 0; i <= ns; i++) {
        int64_t na = i < ns ? st[i].aisle : r->l->depot_aisle, ny = i < ns ? st[i].y_mm : 0;
        if (na == ca) {
            len += iabs(ny - cy);
        } else {
            assert_int_equal(ny, cy); /* horizontal legs stay on one cross aisle */
            bool on_level = false;
            for (int k = 0; k < r->nlev; k++)
                on_level |= r->levels[k] == cy;
            assert_true(on_level);
            len += iabs(na - ca) * r->l->aisle_pitch_mm;
        }
        if (i < ns && st[i].kind == HC_STEP_PICK) {
            size_t q = st[i].pick;
            assert_true(q < n);
            assert_int_equal(st[i].aisle, p[q].aisle);
            assert_int_equal(st[i].y_mm, y_of(r->l, p[q].bay));
            assert_int_equal(st[i].cross, -1);
            seen[q]++;
            assert_true(no < n);
            assert_int_equal(order[no], q);
            no++;
        } else if (i < ns) {
            assert_int_equal(st[i].kind, HC_STEP_TURN);
            if (st[i].cross >= 0) {
                assert_true(st[i].cross < r->nlev);
                assert_int_equal(r->levels[st[i].cross], st[i].y_mm);
            }
        }
        ca = na;
        cy = ny;
    }
    assert_int_equal(no, n);
    for (size_t q = 0; q < n; q++)
        assert_int_equal(seen[q], 1);
    return len;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

static int64_t check_all(const struct hc_layout *l, const struct hc_pick_point *p, size_t n)
{
    struct ref r;
    ref_init(&r, l, p, n);
    int64_t opt = held_karp(&r, p, n);
    size_t cap = hc_route_steps_max(l, p, n);
    struct hc_route_step *st = malloc(cap * sizeof(*st));
    size_t order[MAXP], ns = 0;
    assert_non_null(st);
    for (int pol = 0; pol < HC_ROUTE_POLICIES; pol++) {
        int64_t len = hc_route_plan(l, (enum hc_route_policy)pol, p, n, st, &ns, order);
        assert_true(ns <= cap);
        int64_t walked = walk_steps(&r, p, n, st, ns, order);
        if (walked != len || (pol == HC_ROUTE_OPTIMAL && len != opt) || len < opt) {
            print_error("policy %s: reported %lld walked %lld optimum %lld; depot %lld, %zu "
                        "cross, bays %lld\n",
                        hc_route_policy_name((enum hc_route_policy)pol), (long long)len,
                        (long long)walked, (long long)opt, (long long)l->depot_aisle, l->ncross,
                        (long long)l->bays_per_aisle);
            for (size_t i = 0; i < n; i++)
                print_error("  (%lld, %lld)\n", (long long)p[i].aisle, (long long)p[i].bay);
            fail();
        }
        /* without steps: the same length and order */
        size_t order2[MAXP];
        assert_int_equal(hc_route_plan(l, (enum hc_route_policy)pol, p, n, NULL, NULL, order2),
                         len);
        assert_memory_equal(order, order2, n * sizeof(*order));
    }
    free(st);
    return opt;
}

/* Thousands of random cases: 1-12 aisles, 0-2 cross aisles, depot in every
 * aisle, 1-10 picks. */
static void optimal_equals_brute_force(void **state)
{
    (void)state;
    int cases = 0;
    for (int aisles = 1; aisles <= 12; aisles++)
        for (size_t ncross = 0; ncross <= 2; ncross++)
            for (int64_t depot = 1; depot <= aisles; depot++)
                for (int rep = 0; rep < 8; rep++) {
                    struct hc_layout l = {.aisle_pitch_mm = 1000 + (int64_t)rnd(4000),
                                          .bay_pitch_mm = 300 + (int64_t)rnd(1500),
                                          .depot_aisle = depot,
                                          .bays_per_aisle = 6 + (int64_t)rnd(20)};
                    l.ncross = ncross;
                    int64_t prev = 0;
                    for (size_t k = 0; k < ncross; k++) {
                        int64_t room = l.bays_per_aisle - 1 - prev - (int64_t)(ncross - k - 1);
                        l.cross_aisles[k] = prev + 1 + (int64_t)rnd((uint64_t)(room > 1 ? room : 1));
                        prev = l.cross_aisles[k];
                    }
                    size_t n = 1 + rnd(MAXP);
                    struct hc_pick_point p[MAXP];
                    for (size_t i = 0; i < n; i++) {
                        p[i].aisle = 1 + (int64_t)rnd((uint64_t)aisles);
                        p[i].bay = 1 + (int64_t)rnd((uint64_t)l.bays_per_aisle);
                        if (i > 0 && rnd(6) == 0)
                            p[i] = p[rnd(i)]; /* the same bin twice */
                    }
                    check_all(&l, p, n);
                    cases++;
                }
    assert_true(cases > 1500);
}

/* Small layouts with depot 0 (left of every aisle) and picks at the very
 * ends and next to cross aisles. */
static void edges_of_the_grid(void **state)
{
    (void)state;
    for (int rep = 0; rep < 600; rep++) {
        struct hc_layout l = {.aisle_pitch_mm = 2500, .bay_pitch_mm = 1001,
                              .depot_aisle = (int64_t)rnd(4), .bays_per_aisle = 8};
        l.ncross = rnd(3);
        int64_t cr[2][2] = {{4, 0}, {2, 6}};
        if (l.ncross == 1)
            l.cross_aisles[0] = cr[0][0];
        if (l.ncross == 2) {
            l.cross_aisles[0] = cr[1][0];
            l.cross_aisles[1] = cr[1][1];
        }
        static const int64_t bays[] = {1, 2, 3, 4, 5, 6, 7, 8};
        size_t n = 1 + rnd(8);
        struct hc_pick_point p[MAXP];
        for (size_t i = 0; i < n; i++)
            p[i] = (struct hc_pick_point){1 + (int64_t)rnd(5), bays[rnd(8)]};
        check_all(&l, p, n);
    }
}

/* Worked by hand: single block, 10 bays of 1 m, aisles 3 m apart, depot at
 * aisle 1. Picks in aisle 1 at bay 2 and aisle 3 at bay 1: up and back in
 * aisle 1 (2 * 1.5 m), across to aisle 3 (6 m), up and back (2 * 0.5 m),
 * and back to the depot (6 m). */
static void by_hand(void **state)
{
    (void)state;
    struct hc_layout l = {.aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1,
                          .bays_per_aisle = 10};
    struct hc_pick_point p[2] = {{3, 1}, {1, 2}};
    size_t order[2], ns;
    struct hc_route_step st[64];
    assert_true(hc_route_steps_max(&l, p, 2) <= 64);
    assert_int_equal(hc_route_plan(&l, HC_ROUTE_OPTIMAL, p, 2, st, &ns, order),
                     3000 + 6000 + 1000 + 6000);
    /* picks in the far ends of two aisles: through both beats in and out */
    struct hc_pick_point q[2] = {{1, 10}, {2, 10}};
    assert_int_equal(hc_route_plan(&l, HC_ROUTE_OPTIMAL, q, 2, st, &ns, order),
                     10000 + 3000 + 10000 + 3000);
    assert_int_equal(hc_route_plan(&l, HC_ROUTE_RETURN, q, 2, st, &ns, order),
                     2 * 9500 + 2 * 9500 + 2 * 3000);
    /* the steps, one way round or the other: two picks, turns at the back of
     * both aisles and at the front of aisle 2 */
    hc_route_plan(&l, HC_ROUTE_OPTIMAL, q, 2, st, &ns, order);
    assert_int_equal(ns, 5);
    int turns = 0, back = 0;
    for (size_t i = 0; i < ns; i++) {
        turns += st[i].kind == HC_STEP_TURN;
        back += st[i].kind == HC_STEP_TURN && st[i].cross == 1 && st[i].y_mm == 10000;
    }
    assert_int_equal(turns, 3);
    assert_int_equal(back, 2);
    /* a middle cross aisle after bay 5 lets a picker cross over at 5 m */
    l.ncross = 1;
    l.cross_aisles[0] = 5;
    struct hc_pick_point c[2] = {{1, 5}, {2, 6}};
    assert_int_equal(hc_route_plan(&l, HC_ROUTE_OPTIMAL, c, 2, st, &ns, order),
                     17000);
    /* no picks */
    assert_int_equal(hc_route_plan(&l, HC_ROUTE_OPTIMAL, c, 0, st, &ns, order), 0);
    assert_int_equal(ns, 0);
}

static void policy_names(void **state)
{
    (void)state;
    static const char *names[] = {"optimal", "s-shape", "return", "largest-gap", "combined"};
    for (int i = 0; i < 5; i++) {
        enum hc_route_policy p;
        assert_true(hc_route_policy_parse(names[i], &p));
        assert_string_equal(hc_route_policy_name(p), names[i]);
    }
    enum hc_route_policy p;
    assert_false(hc_route_policy_parse("S-shape", &p));
    assert_false(hc_route_policy_parse("", &p));
    assert_false(hc_route_policy_parse(NULL, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),
        cmocka_unit_test(policy_names),
        cmocka_unit_test(edges_of_the_grid),
        cmocka_unit_test(optimal_equals_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

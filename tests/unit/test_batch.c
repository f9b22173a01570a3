/* Unit tests for order batching (src/warehouse/batch.c) on random order
 * sets: carts are never overfilled, every order is in exactly one trip and
 * tote, trips walk no more than one trip per order, windows go out in order,
 * a seed gives the same plan, an order bigger than the cart is refused
 * naming the field. Lengths are checked against the router itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "warehouse/warehouse.h"

struct gen {
    struct hc_layout l;
    struct hc_batch_order *o;
    const char **ids;
    size_t n;
};

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* n orders of 1..maxl lines in a layout of `aisles` x `bays`, dues spread
 * over `hours` hours. */
static void generate(hc_arena *a, struct gen *g, uint64_t seed, size_t n, int aisles, int bays,
                     int maxl, int hours, size_t ncross)
{
    uint64_t s = seed * 2654435761ULL + 88172645463325252ULL;
    memset(g, 0, sizeof(*g));
    g->l = (struct hc_layout){.aisle_pitch_mm = 3000, .bay_pitch_mm = 1000,
                              .depot_aisle = (int64_t)(rnd(&s) % (uint64_t)aisles),
                              .bays_per_aisle = bays, .route_policy = HC_ROUTE_OPTIMAL};
    if (ncross) {
        g->l.ncross = 1;
        g->l.cross_aisles[0] = bays / 2;
    }
    g->n = n;
    g->o = hc_arena_alloc(a, sizeof(*g->o) * n);
    g->ids = hc_arena_alloc(a, sizeof(*g->ids) * n);
    for (size_t i = 0; i < n; i++) {
        size_t k = 1 + rnd(&s) % (uint64_t)maxl;
        struct hc_pick_point *p = hc_arena_alloc(a, sizeof(*p) * k);
        for (size_t j = 0; j < k; j++)
            p[j] = (struct hc_pick_point){(int64_t)(rnd(&s) % (uint64_t)aisles),
                                          1 + (int64_t)(rnd(&s) % (uint64_t)bays)};
        g->o[i] = (struct hc_batch_order){.pts = p, .npts = k, .lines = (int64_t)k,
                                          .volume_mm3 = (int64_t)(1 + rnd(&s) % 20000) * 1000,
                                          .weight_g = (int64_t)(1 + rnd(&s) % 5000),
                                          .due = (int64_t)(rnd(&s) % (uint64_t)(hours * 3600000))};
        g->ids[i] = hc_arena_printf(a, "o%zu", i);
    }
}

static int64_t union_length(const struct gen *g, const struct hc_batch *b)
{
    size_t np = 0;
    for (size_t k = 0; k < b->norders; k++)
        np += g->o[b->orders[k]].npts;
    struct hc_pick_point *pts = malloc(sizeof(*pts) * (np ? np : 1));
    size_t *ord = malloc(sizeof(*ord) * (np ? np : 1));
    np = 0;
    for (size_t k = 0; k < b->norders; k++) {
        const struct hc_batch_order *o = &g->o[b->orders[k]];
        memcpy(pts + np, o->pts, sizeof(*pts) * o->npts);
        np += o->npts;
    }
    int64_t len = hc_route_plan(&g->l, g->l.route_policy, pts, np, NULL, NULL, ord);
    free(pts);
    free(ord);
    return len;
}

/* Every invariant of one plan; returns its total walk. */
static int64_t check_plan(const struct gen *g, const struct hc_cart *c, int64_t window,
                          const struct hc_batch *b, size_t nb)
{
    int *seen = calloc(g->n, sizeof(*seen));
    int64_t total = 0, last_win = INT64_MIN;
    int64_t lim = c->max_orders;
    if (c->totes > 0 && (lim == 0 || c->totes < lim))
        lim = c->totes;
    for (size_t t = 0; t < nb; t++) {
        assert_true(b[t].norders > 0);
        if (lim > 0)
            assert_true((int64_t)b[t].norders <= lim);
        int64_t lines = 0, vol = 0, wt = 0;
        int64_t win = INT64_MIN;
        for (size_t k = 0; k < b[t].norders; k++) {
            size_t i = b[t].orders[k];
            assert_true(i < g->n);
            seen[i]++;
            lines += g->o[i].lines;
            vol += g->o[i].volume_mm3;
            wt += g->o[i].weight_g;
            int64_t w = window > 0 ? g->o[i].due / window : 0;
            if (k == 0)
                win = w;
            assert_int_equal(w, win); /* one window per trip */
        }
        assert_true(win >= last_win); /* windows go out in order */
        last_win = win;
        assert_int_equal(lines, b[t].lines);
        assert_int_equal(vol, b[t].volume_mm3);
        assert_int_equal(wt, b[t].weight_g);
        if (c->max_lines)
            assert_true(lines <= c->max_lines);
        if (c->max_volume_mm3)
            assert_true(vol <= c->max_volume_mm3);
        if (c->max_weight_g)
            assert_true(wt <= c->max_weight_g);
        assert_int_equal(b[t].length_mm, union_length(g, &b[t]));
        total += b[t].length_mm;
    }
    for (size_t i = 0; i < g->n; i++)
        assert_int_equal(seen[i], 1); /* exactly one trip, one tote */
    free(seen);
    return total;
}

static void random_cases_respect_the_cart_and_walk_less(void **state)
{
    (void)state;
    int64_t sum_batched = 0, sum_single = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        hc_arena *a = hc_arena_new(1 << 16);
        struct gen g;
        generate(a, &g, seed, 10 + seed % 50, 4 + (int)(seed % 12), 10 + (int)(seed % 30),
                 1 + (int)(seed % 6), 1, seed % 3 == 0);
        struct hc_cart c = {.max_orders = (int64_t)(seed % 4 ? 2 + seed % 9 : 0),
                            .max_lines = (int64_t)(seed % 5 ? 8 + seed % 20 : 0),
                            .max_volume_mm3 = seed % 2 ? 60000000 : 0,
                            .max_weight_g = seed % 3 ? 15000 : 0,
                            .totes = (int64_t)(seed % 7 ? 3 + seed % 8 : 0)};
        if (c.max_orders == 0 && c.max_lines == 0 && c.totes == 0)
            c.totes = 6;
        struct hc_batch_opts opt = {.seed = seed, .max_rounds = 20};
        struct hc_batch *b;
        size_t nb;
        hc_err err = {0};
        assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b, &nb, &err), HC_OK);
        int64_t total = check_plan(&g, &c, 0, b, nb);
        int64_t single = 0;
        for (size_t i = 0; i < g.n; i++)
            single += hc_batch_route_length(&g.l, g.o[i].pts, g.o[i].npts);
        assert_true(total <= single);
        sum_batched += total;
        sum_single += single;
        hc_arena_free(a);
    }
    assert_true(sum_batched < sum_single); /* and some saving overall */
}

static void same_seed_same_plan(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 16);
    struct gen g;
    generate(a, &g, 7, 80, 12, 30, 5, 1, 0);
    struct hc_cart c = {.max_orders = 6, .max_lines = 20, .totes = 8};
    struct hc_batch_opts opt = {.seed = 42, .max_rounds = 40};
    struct hc_batch *b1, *b2;
    size_t n1, n2;
    hc_err err = {0};
    assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b1, &n1, &err), HC_OK);
    assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b2, &n2, &err), HC_OK);
    assert_int_equal(n1, n2);
    for (size_t t = 0; t < n1; t++) {
        assert_int_equal(b1[t].norders, b2[t].norders);
        assert_int_equal(b1[t].length_mm, b2[t].length_mm);
        for (size_t k = 0; k < b1[t].norders; k++)
            assert_int_equal(b1[t].orders[k], b2[t].orders[k]);
    }
    /* the local search never makes the construction worse */
    struct hc_batch_opts none = {.seed = 42};
    struct hc_batch *b0;
    size_t n0;
    assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &none, &b0, &n0, &err), HC_OK);
    assert_true(check_plan(&g, &c, 0, b1, n1) <= check_plan(&g, &c, 0, b0, n0));
    hc_arena_free(a);
}

static void windows_go_out_in_order(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        hc_arena *a = hc_arena_new(1 << 16);
        struct gen g;
        generate(a, &g, seed, 60, 10, 20, 4, 6, 0);
        struct hc_cart c = {.max_orders = 5, .totes = 5};
        struct hc_batch_opts opt = {.due_window_ms = 3600000, .seed = seed, .max_rounds = 10};
        struct hc_batch *b;
        size_t nb;
        hc_err err = {0};
        assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b, &nb, &err), HC_OK);
        check_plan(&g, &c, opt.due_window_ms, b, nb);
        /* within a trip, totes by due: the most urgent order in tote 1 */
        for (size_t t = 0; t < nb; t++)
            for (size_t k = 1; k < b[t].norders; k++)
                assert_true(g.o[b[t].orders[k - 1]].due <= g.o[b[t].orders[k]].due);
        hc_arena_free(a);
    }
}

static void a_window_that_fits_is_one_trip(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 16);
    struct gen g;
    generate(a, &g, 3, 12, 8, 20, 3, 1, 0);
    struct hc_cart c = {0};
    struct hc_batch_opts opt = {.seed = 1, .max_rounds = 5};
    struct hc_batch *b;
    size_t nb;
    hc_err err = {0};
    assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b, &nb, &err), HC_OK);
    assert_int_equal(nb, 1);
    check_plan(&g, &c, 0, b, nb);
    hc_arena_free(a);
}

static void an_order_bigger_than_the_cart_is_refused(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 16);
    struct gen g;
    generate(a, &g, 5, 10, 8, 20, 3, 1, 0);
    g.o[4].lines = 50;
    struct hc_cart c = {.max_lines = 40, .totes = 4};
    struct hc_batch_opts opt = {.seed = 1};
    struct hc_batch *b;
    size_t nb;
    hc_err err = {0};
    assert_int_equal(hc_batch_check(&c, g.o, g.n, g.ids, &err), HC_EINVAL);
    assert_string_equal(err.field, "cart.max_lines");
    assert_non_null(strstr(err.msg, "o4"));
    hc_err_clear(&err);
    assert_int_equal(hc_batch_plan(a, &g.l, g.o, g.n, &c, &opt, &b, &nb, &err), HC_EINVAL);
    g.o[4].lines = 1;
    g.o[2].weight_g = 20001;
    c.max_weight_g = 20000;
    hc_err_clear(&err);
    assert_int_equal(hc_batch_check(&c, g.o, g.n, g.ids, &err), HC_EINVAL);
    assert_string_equal(err.field, "cart.max_weight_g");
    g.o[2].weight_g = 1;
    g.o[1].volume_mm3 = 1000000;
    c.max_volume_mm3 = 999999;
    hc_err_clear(&err);
    assert_int_equal(hc_batch_check(&c, g.o, g.n, g.ids, &err), HC_EINVAL);
    assert_string_equal(err.field, "cart.max_volume_mm3");
    c = (struct hc_cart){.totes = -1};
    hc_err_clear(&err);
    assert_int_equal(hc_batch_check(&c, g.o, g.n, g.ids, &err), HC_EINVAL);
    assert_string_equal(err.field, "cart.totes");
    hc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_cases_respect_the_cart_and_walk_less),
        cmocka_unit_test(same_seed_same_plan),
        cmocka_unit_test(windows_go_out_in_order),
        cmocka_unit_test(a_window_that_fits_is_one_trip),
        cmocka_unit_test(an_order_bigger_than_the_cart_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* batching.c: order batching benchmark (issue 11, part 2).
 *
 * On generated layouts and order sets: the total walk per order line of
 *   single  one order per trip,
 *   fcfs    first come, first served: carts filled in cut-off order,
 *   seed    haicang's construction only (seed + savings),
 *   ils     haicang's construction + iterated local search (--budget ms),
 * every trip routed by hc_route_plan under the optimal policy. Then the
 * speed: a wave of 10,000 order lines batched and routed (steps included).
 *
 *   build-batch-rel/bench/picking-batching/batching [--instances N] [--budget MS] [--seed S]
 */
#include "warehouse/warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct layout_case {
    const char *name;
    int aisles, bays, depot;
    int cross; /* a middle cross aisle at bays / 2 when 1 */
};

static const struct layout_case layouts[] = {
    {"10x25 single block, depot left", 10, 25, 0, 0},
    {"20x40 single block, depot centre", 20, 40, 10, 0},
    {"16x50 two blocks, depot left", 16, 50, 0, 1},
};

struct orderset {
    struct hc_batch_order *o;
    size_t n, lines;
};

/* n orders, 1 + geometric(p) lines each (mean about 1/p), bins uniform or
 * skewed (skew: 80 % of lines in the 20 % of aisles nearest the depot). */
static void gen_orders(struct orderset *s, size_t n, const struct layout_case *lc, double p,
                       int skew)
{
    s->n = n;
    s->lines = 0;
    s->o = calloc(n, sizeof(*s->o));
    for (size_t i = 0; i < n; i++) {
        size_t k = 1;
        while (k < 12 && (double)(rnd() % 1000) / 1000.0 >= p)
            k++;
        struct hc_pick_point *pt = malloc(sizeof(*pt) * k);
        for (size_t j = 0; j < k; j++) {
            int64_t a = (int64_t)(rnd() % (uint64_t)lc->aisles);
            if (skew && rnd() % 10 < 8) {
                int hot = lc->aisles / 5 ? lc->aisles / 5 : 1;
                a = lc->depot + (int64_t)(rnd() % (uint64_t)hot) - hot / 2;
                if (a < 0)
                    a = -a;
                if (a >= lc->aisles)
                    a = lc->aisles - 1;
            }
            pt[j] = (struct hc_pick_point){a, 1 + (int64_t)(rnd() % (uint64_t)lc->bays)};
        }
        s->o[i] = (struct hc_batch_order){.pts = pt, .npts = k, .lines = (int64_t)k,
                                          .volume_mm3 = (int64_t)k * 2000000,
                                          .weight_g = (int64_t)k * 600, .due = (int64_t)i};
        s->lines += k;
    }
}

static void free_orders(struct orderset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free((void *)s->o[i].pts);
    free(s->o);
}

static int64_t route_of(const struct hc_layout *l, const struct hc_batch_order *o,
                        const size_t *idx, size_t m)
{
    size_t np = 0;
    for (size_t k = 0; k < m; k++)
        np += o[idx[k]].npts;
    struct hc_pick_point *pts = malloc(sizeof(*pts) * (np ? np : 1));
    np = 0;
    for (size_t k = 0; k < m; k++) {
        memcpy(pts + np, o[idx[k]].pts, sizeof(*pts) * o[idx[k]].npts);
        np += o[idx[k]].npts;
    }
    int64_t len = hc_batch_route_length(l, pts, np);
    free(pts);
    return len;
}

static bool fits(const struct hc_cart *c, size_t n, int64_t lines, int64_t vol, int64_t wt)
{
    int64_t lim = c->max_orders;
    if (c->totes && (!lim || c->totes < lim))
        lim = c->totes;
    return (!lim || (int64_t)n <= lim) && (!c->max_lines || lines <= c->max_lines) &&
           (!c->max_volume_mm3 || vol <= c->max_volume_mm3) &&
           (!c->max_weight_g || wt <= c->max_weight_g);
}

/* First come, first served: a cart takes orders in cut-off order until the
 * next does not fit. */
static int64_t fcfs(const struct hc_layout *l, const struct orderset *s, const struct hc_cart *c)
{
    size_t *idx = malloc(sizeof(*idx) * s->n);
    int64_t total = 0;
    size_t m = 0;
    int64_t lines = 0, vol = 0, wt = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct hc_batch_order *o = &s->o[i];
        if (m > 0 && !fits(c, m + 1, lines + o->lines, vol + o->volume_mm3, wt + o->weight_g)) {
            total += route_of(l, s->o, idx, m);
            m = 0;
            lines = vol = wt = 0;
        }
        idx[m++] = i;
        lines += o->lines;
        vol += o->volume_mm3;
        wt += o->weight_g;
    }
    if (m)
        total += route_of(l, s->o, idx, m);
    free(idx);
    return total;
}

static int64_t planned(hc_arena *a, const struct hc_layout *l, const struct orderset *s,
                       const struct hc_cart *c, int64_t budget, uint64_t seed, size_t *ntrips)
{
    struct hc_batch_opts opt = {.seed = seed, .budget_ms = budget};
    struct hc_batch *b;
    size_t nb;
    hc_err err = {0};
    if (hc_batch_plan(a, l, s->o, s->n, c, &opt, &b, &nb, &err) != HC_OK) {
        fprintf(stderr, "plan: %s %s\n", err.field, err.msg);
        exit(1);
    }
    int64_t total = 0;
    for (size_t t = 0; t < nb; t++)
        total += b[t].length_mm;
    *ntrips = nb;
    return total;
}

int main(int argc, char **argv)
{
    int instances = 10;
    int64_t budget = 300;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--instances") == 0)
            instances = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--budget") == 0)
            budget = atoll(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
    }
    rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    struct hc_cart carts[] = {{.totes = 8, .max_lines = 24}, {.totes = 4, .max_lines = 12}};
    printf("walk per order line (m), mean over %d instances of 200 orders; saving vs single and vs fcfs\n",
           instances);
    printf("%-34s %-6s %-5s %8s %8s %8s %8s %9s %9s %6s\n", "layout", "orders", "cart", "single",
           "fcfs", "seed", "ils", "ils/sngl", "ils/fcfs", "trips");
    for (size_t li = 0; li < HC_ARRAY_LEN(layouts); li++)
        for (int skew = 0; skew < 2; skew++)
            for (size_t ci = 0; ci < HC_ARRAY_LEN(carts); ci++) {
                const struct layout_case *lc = &layouts[li];
                struct hc_layout l = {.aisle_pitch_mm = 3000, .bay_pitch_mm = 1000,
                                      .depot_aisle = lc->depot, .bays_per_aisle = lc->bays,
                                      .route_policy = HC_ROUTE_OPTIMAL};
                if (lc->cross) {
                    l.ncross = 1;
                    l.cross_aisles[0] = lc->bays / 2;
                }
                double s_single = 0, s_fcfs = 0, s_seed = 0, s_ils = 0, trips = 0;
                for (int it = 0; it < instances; it++) {
                    struct orderset s;
                    gen_orders(&s, 200, lc, 0.45, skew);
                    hc_arena *a = hc_arena_new(1 << 16);
                    int64_t single = 0;
                    for (size_t i = 0; i < s.n; i++)
                        single += hc_batch_route_length(&l, s.o[i].pts, s.o[i].npts);
                    size_t nb;
                    int64_t f = fcfs(&l, &s, &carts[ci]);
                    int64_t sd = planned(a, &l, &s, &carts[ci], 0, seed, &nb);
                    int64_t il = planned(a, &l, &s, &carts[ci], budget, seed, &nb);
                    double per = 1000.0 * (double)s.lines;
                    s_single += (double)single / per;
                    s_fcfs += (double)f / per;
                    s_seed += (double)sd / per;
                    s_ils += (double)il / per;
                    trips += (double)nb;
                    hc_arena_free(a);
                    free_orders(&s);
                }
                printf("%-34s %-6s %-5s %8.2f %8.2f %8.2f %8.2f %8.1f%% %8.1f%% %6.1f\n", lc->name,
                       skew ? "skewed" : "unif", ci ? "4/12" : "8/24", s_single / instances,
                       s_fcfs / instances, s_seed / instances, s_ils / instances,
                       100.0 * (1 - s_ils / s_single), 100.0 * (1 - s_ils / s_fcfs),
                       trips / instances);
            }

    /* speed: 10,000 lines, batched and routed with the steps a handheld shows */
    printf("\nspeed: a wave of 10,000 order lines, batched (budget B ms) and every trip routed\n");
    printf("%-34s %-22s %6s %8s %10s %10s %10s\n", "layout", "orders x lines", "B", "trips",
           "plan ms", "route ms", "total ms");
    struct { size_t n; double p; const char *what; } waves[] = {
        {500, 0.0, "500 x 20"}, {2500, 0.0, "2,500 x 4"}};
    for (size_t li = 0; li < HC_ARRAY_LEN(layouts); li++)
        for (size_t wi = 0; wi < 2; wi++)
            for (int bi = 0; bi < 2; bi++) {
                const struct layout_case *lc = &layouts[li];
                struct hc_layout l = {.aisle_pitch_mm = 3000, .bay_pitch_mm = 1000,
                                      .depot_aisle = lc->depot, .bays_per_aisle = lc->bays,
                                      .route_policy = HC_ROUTE_OPTIMAL};
                if (lc->cross) {
                    l.ncross = 1;
                    l.cross_aisles[0] = lc->bays / 2;
                }
                struct orderset s = {0};
                size_t per = 10000 / waves[wi].n;
                s.n = waves[wi].n;
                s.o = calloc(s.n, sizeof(*s.o));
                for (size_t i = 0; i < s.n; i++) {
                    struct hc_pick_point *pt = malloc(sizeof(*pt) * per);
                    for (size_t j = 0; j < per; j++)
                        pt[j] = (struct hc_pick_point){(int64_t)(rnd() % (uint64_t)lc->aisles),
                                                       1 + (int64_t)(rnd() % (uint64_t)lc->bays)};
                    s.o[i] = (struct hc_batch_order){.pts = pt, .npts = per,
                                                      .lines = (int64_t)per, .due = (int64_t)i};
                    s.lines += per;
                }
                struct hc_cart c = {.totes = 10, .max_lines = 200};
                int64_t b = bi ? 1000 : 0;
                hc_arena *a = hc_arena_new(1 << 20);
                int64_t t0 = hc_mono_ns();
                struct hc_batch_opts opt = {.seed = seed, .budget_ms = b};
                struct hc_batch *bt;
                size_t nb;
                hc_err err = {0};
                if (hc_batch_plan(a, &l, s.o, s.n, &c, &opt, &bt, &nb, &err) != HC_OK) {
                    fprintf(stderr, "plan: %s\n", err.msg);
                    return 1;
                }
                int64_t t1 = hc_mono_ns();
                for (size_t t = 0; t < nb; t++) {
                    size_t np = 0;
                    for (size_t k = 0; k < bt[t].norders; k++)
                        np += s.o[bt[t].orders[k]].npts;
                    struct hc_pick_point *pts = malloc(sizeof(*pts) * np);
                    size_t *ord = malloc(sizeof(*ord) * np);
                    np = 0;
                    for (size_t k = 0; k < bt[t].norders; k++) {
                        const struct hc_batch_order *o = &s.o[bt[t].orders[k]];
                        memcpy(pts + np, o->pts, sizeof(*pts) * o->npts);
                        np += o->npts;
                    }
                    size_t ms = hc_route_steps_max(&l, pts, np), ns = 0;
                    struct hc_route_step *st = malloc(sizeof(*st) * (ms ? ms : 1));
                    if (hc_route_plan(&l, l.route_policy, pts, np, st, &ns, ord) != bt[t].length_mm) {
                        fprintf(stderr, "trip %zu: route length differs from the plan's\n", t);
                        return 1;
                    }
                    free(st);
                    free(ord);
                    free(pts);
                }
                int64_t t2 = hc_mono_ns();
                printf("%-34s %-22s %6lld %8zu %10.1f %10.1f %10.1f\n", lc->name, waves[wi].what,
                       (long long)b, nb, (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6,
                       (double)(t2 - t0) / 1e6);
                hc_arena_free(a);
                free_orders(&s);
            }
    return 0;
}

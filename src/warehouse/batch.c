/* batch.c: order batching: which orders one picker's cart takes together.
 *
 * The problem is the order batching problem of De Koster, Le-Duc &
 * Roodbergen, "Design and control of warehouse order picking: a literature
 * review", EJOR 182 (2007): partition the orders into trips that fit the
 * cart so that the total walk (each trip routed by the router) is least.
 *
 * 1. Windows. Orders are grouped by cut-off window (floor(due / window)); a
 *    trip never mixes windows, and trips go out window by window, earliest
 *    first, so an order whose carrier collects later never lengthens the
 *    trip of one that must leave sooner.
 * 2. Construction, per window: seed batching (De Koster et al. 2007,
 *    section 5.2): the seed is the order with the longest walk of its own
 *    (the farthest order, the seed rule their comparisons favour); orders
 *    are then added by Clarke-Wright savings (Clarke & Wright 1964, as
 *    adapted to batching by De Koster, Van der Poort & Wolters 1999):
 *    the order with the largest d(B) + d(o) - d(B + o) that still fits. To
 *    keep a wave of 10,000 lines fast, the savings are computed exactly (by
 *    the router) for the K orders that add the fewest new aisles to the trip.
 *    When a whole window fits one cart it is one trip (merging two tours
 *    never lengthens the shortest tour).
 * 3. Improvement: iterated local search after Henn & Wäscher, "Tabu search
 *    heuristics for the order batching problem in manual order picking
 *    systems", EJOR 222 (2012), and Henn, Koch, Doerner, Strauss & Wäscher,
 *    "Metaheuristics for the order batching problem", BuR 3 (2010): a local
 *    search of SHIFT (move one order to another trip) and SWAP (exchange two
 *    orders of two trips) moves, first improvement, over pairs of trips of
 *    one window, until no move gains; then a perturbation (random swaps and
 *    shifts, from a seeded generator) and local search again, keeping the
 *    result only when the total walk is shorter. It runs until budget_ms or
 *    max_rounds.
 *
 * Pure: no I/O, no SQL; scratch memory is malloc'd and freed here, results
 * live in the caller's arena. */
#include "warehouse.h"

#include <stdlib.h>
#include <string.h>

#define CANDIDATES 12 /* orders whose savings are computed exactly, per addition */

int64_t hc_batch_route_length(const struct hc_layout *l, const struct hc_pick_point *pts,
                              size_t n)
{
    if (n == 0)
        return 0;
    size_t *order = malloc(sizeof(*order) * n);
    if (order == NULL)
        return -1;
    int64_t len = hc_route_plan(l, l->route_policy, pts, n, NULL, NULL, order);
    free(order);
    return len;
}

static const char *const limit_field[] = {"cart.max_lines", "cart.max_volume_mm3",
                                          "cart.max_weight_g"};

int hc_batch_check(const struct hc_cart *c, const struct hc_batch_order *o, size_t n,
                   const char *const *ids, hc_err *err)
{
    const int64_t lim[5] = {c->max_orders, c->max_lines, c->max_volume_mm3, c->max_weight_g,
                            c->totes};
    static const char *const names[5] = {"cart.max_orders", "cart.max_lines",
                                         "cart.max_volume_mm3", "cart.max_weight_g",
                                         "cart.totes"};
    for (int k = 0; k < 5; k++)
        if (lim[k] < 0)
            return hc_err_set(err, HC_EINVAL, names[k], "must be >= 0 (0: no limit)");
    for (size_t i = 0; i < n; i++) {
        const int64_t need[3] = {o[i].lines, o[i].volume_mm3, o[i].weight_g};
        const int64_t cap[3] = {c->max_lines, c->max_volume_mm3, c->max_weight_g};
        static const char *const what[3] = {"lines", "mm3", "g"};
        for (int k = 0; k < 3; k++)
            if (cap[k] > 0 && need[k] > cap[k])
                return hc_err_set(err, HC_EINVAL, limit_field[k],
                                  "order %s alone needs %lld %s, the cart takes %lld",
                                  ids ? ids[i] : "", (long long)need[k], what[k],
                                  (long long)cap[k]);
    }
    return HC_OK;
}

/* ---- the working state ------------------------------------------------------- */

struct trip {
    uint32_t *mem; /* cap members */
    size_t n;
    int64_t lines, vol, wt, len;
    int64_t win;
    bool dirty; /* changed since the local search last looked at it */
};

struct plan {
    const struct hc_layout *l;
    struct hc_layout search; /* the layout and policy trips are compared by */
    const struct hc_batch_order *o;
    size_t norders;
    int64_t lim_orders, lim_lines, lim_vol, lim_wt; /* 0: none */
    int64_t *win;                                   /* per order */
    struct trip *t;
    size_t nt, cap;  /* trips, members per trip at most */
    uint32_t *store; /* nt * cap members */
    struct hc_pick_point *buf;
    size_t nbuf;
    size_t words;      /* aisle bitset words */
    int64_t aisle_min; /* bitset bit = aisle - aisle_min */
    uint64_t *omask;   /* per order: aisles it visits */
    int64_t deadline_ns;
    uint64_t rng;
    bool oom;
};

static uint64_t next_rand(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static bool fits(const struct plan *p, size_t n, int64_t lines, int64_t vol, int64_t wt)
{
    return (p->lim_orders == 0 || (int64_t)n <= p->lim_orders) &&
           (p->lim_lines == 0 || lines <= p->lim_lines) && (p->lim_vol == 0 || vol <= p->lim_vol) &&
           (p->lim_wt == 0 || wt <= p->lim_wt);
}

/* Route length of trip members less `drop` (or UINT32_MAX) plus `add`
 * (or UINT32_MAX). */
static int64_t length_of(struct plan *p, const uint32_t *mem, size_t n, uint32_t drop, uint32_t add)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (mem[i] == drop)
            continue;
        const struct hc_batch_order *o = &p->o[mem[i]];
        memcpy(p->buf + k, o->pts, sizeof(*o->pts) * o->npts);
        k += o->npts;
    }
    if (add != UINT32_MAX) {
        const struct hc_batch_order *o = &p->o[add];
        memcpy(p->buf + k, o->pts, sizeof(*o->pts) * o->npts);
        k += o->npts;
    }
    int64_t len = hc_batch_route_length(&p->search, p->buf, k);
    if (len < 0) {
        p->oom = true;
        return INT64_MAX / 4;
    }
    return len;
}

static void trip_add(struct plan *p, struct trip *t, uint32_t i)
{
    t->mem[t->n++] = i;
    t->lines += p->o[i].lines;
    t->vol += p->o[i].volume_mm3;
    t->wt += p->o[i].weight_g;
    t->dirty = true;
}

static void trip_drop(struct plan *p, struct trip *t, uint32_t i)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->mem[k] == i) {
            t->mem[k] = t->mem[--t->n];
            break;
        }
    t->lines -= p->o[i].lines;
    t->vol -= p->o[i].volume_mm3;
    t->wt -= p->o[i].weight_g;
    t->dirty = true;
}

static bool time_left(const struct plan *p)
{
    return !p->oom && (p->deadline_ns == 0 || hc_mono_ns() < p->deadline_ns);
}

/* ---- construction --------------------------------------------------------------- */

static size_t popcount_new(const struct plan *p, const uint64_t *have, const uint64_t *add)
{
    size_t c = 0;
    for (size_t w = 0; w < p->words; w++)
        c += (size_t)__builtin_popcountll(add[w] & ~have[w]);
    return c;
}

/* Orders idx[0..m-1] of one window into trips. */
static void construct_window(struct plan *p, const uint32_t *idx, size_t m, const int64_t *alone)
{
    bool *used = calloc(m ? m : 1, sizeof(*used));
    uint64_t *have = calloc(p->words, sizeof(*have));
    if (used == NULL || have == NULL) {
        p->oom = true;
        goto done;
    }
    int64_t lines = 0, vol = 0, wt = 0;
    for (size_t i = 0; i < m; i++) {
        lines += p->o[idx[i]].lines;
        vol += p->o[idx[i]].volume_mm3;
        wt += p->o[idx[i]].weight_g;
    }
    if (fits(p, m, lines, vol, wt) && m <= p->cap) { /* the whole window on one cart */
        struct trip *t = &p->t[p->nt];
        t->mem = p->store + p->nt * p->cap;
        t->win = p->win[idx[0]];
        p->nt++;
        for (size_t i = 0; i < m; i++)
            trip_add(p, t, idx[i]);
        t->len = length_of(p, t->mem, t->n, UINT32_MAX, UINT32_MAX);
        goto done;
    }
    size_t left = m;
    while (left > 0 && !p->oom) {
        size_t seed = SIZE_MAX;
        for (size_t i = 0; i < m; i++)
            if (!used[i] && (seed == SIZE_MAX || alone[idx[i]] > alone[idx[seed]]))
                seed = i;
        struct trip *t = &p->t[p->nt];
        t->mem = p->store + p->nt * p->cap;
        t->win = p->win[idx[seed]];
        p->nt++;
        used[seed] = true;
        left--;
        trip_add(p, t, idx[seed]);
        t->len = alone[idx[seed]];
        memcpy(have, p->omask + (size_t)idx[seed] * p->words, sizeof(*have) * p->words);
        for (;;) {
            /* the K fitting orders that add the fewest new aisles */
            size_t cand[CANDIDATES], cnew[CANDIDATES], nc = 0;
            for (size_t i = 0; i < m; i++) {
                if (used[i])
                    continue;
                const struct hc_batch_order *o = &p->o[idx[i]];
                if (t->n + 1 > p->cap ||
                    !fits(p, t->n + 1, t->lines + o->lines, t->vol + o->volume_mm3,
                          t->wt + o->weight_g))
                    continue;
                size_t c = popcount_new(p, have, p->omask + (size_t)idx[i] * p->words);
                if (nc < CANDIDATES || c < cnew[nc - 1]) {
                    size_t k = nc < CANDIDATES ? nc++ : nc - 1;
                    while (k > 0 && cnew[k - 1] > c) {
                        cand[k] = cand[k - 1];
                        cnew[k] = cnew[k - 1];
                        k--;
                    }
                    cand[k] = i;
                    cnew[k] = c;
                }
            }
            if (nc == 0)
                break;
            size_t best = SIZE_MAX;
            int64_t best_sav = 0, best_len = 0;
            for (size_t k = 0; k < nc; k++) {
                uint32_t oi = idx[cand[k]];
                int64_t len = length_of(p, t->mem, t->n, UINT32_MAX, oi);
                int64_t sav = t->len + alone[oi] - len;
                if (best == SIZE_MAX || sav > best_sav ||
                    (sav == best_sav && cand[k] < best)) {
                    best = cand[k];
                    best_sav = sav;
                    best_len = len;
                }
            }
            used[best] = true;
            left--;
            trip_add(p, t, idx[best]);
            t->len = best_len;
            for (size_t w = 0; w < p->words; w++)
                have[w] |= p->omask[(size_t)idx[best] * p->words + w];
        }
    }
done:
    free(used);
    free(have);
}

/* ---- local search ----------------------------------------------------------------- */

/* Tries SHIFT and SWAP moves between trips a and b; applies the first that
 * shortens the total walk and returns true. */
static bool improve_pair(struct plan *p, struct trip *a, struct trip *b)
{
    for (int dir = 0; dir < 2; dir++) {
        struct trip *from = dir ? b : a, *to = dir ? a : b;
        for (size_t k = 0; k < from->n; k++) {
            uint32_t i = from->mem[k];
            const struct hc_batch_order *o = &p->o[i];
            if (to->n + 1 > p->cap || !fits(p, to->n + 1, to->lines + o->lines,
                                             to->vol + o->volume_mm3, to->wt + o->weight_g))
                continue;
            int64_t lf = length_of(p, from->mem, from->n, i, UINT32_MAX);
            int64_t lt = length_of(p, to->mem, to->n, UINT32_MAX, i);
            if (lf + lt < from->len + to->len) {
                trip_drop(p, from, i);
                trip_add(p, to, i);
                from->len = lf;
                to->len = lt;
                return true;
            }
        }
    }
    for (size_t x = 0; x < a->n; x++)
        for (size_t y = 0; y < b->n; y++) {
            uint32_t i = a->mem[x], j = b->mem[y];
            const struct hc_batch_order *oi = &p->o[i], *oj = &p->o[j];
            if (!fits(p, a->n, a->lines - oi->lines + oj->lines,
                      a->vol - oi->volume_mm3 + oj->volume_mm3,
                      a->wt - oi->weight_g + oj->weight_g) ||
                !fits(p, b->n, b->lines - oj->lines + oi->lines,
                      b->vol - oj->volume_mm3 + oi->volume_mm3,
                      b->wt - oj->weight_g + oi->weight_g))
                continue;
            int64_t la = length_of(p, a->mem, a->n, i, j);
            if (la >= a->len + b->len)
                continue;
            int64_t lb = length_of(p, b->mem, b->n, j, i);
            if (la + lb < a->len + b->len) {
                trip_drop(p, a, i);
                trip_add(p, a, j);
                trip_drop(p, b, j);
                trip_add(p, b, i);
                a->len = la;
                b->len = lb;
                return true;
            }
        }
    return false;
}

/* Local search over pairs of trips of one window where one of them changed
 * since it was last looked at; until no move gains or time runs out. */
static void local_search(struct plan *p)
{
    bool *seen = calloc(p->nt ? p->nt : 1, sizeof(*seen));
    if (seen == NULL) {
        p->oom = true;
        return;
    }
    bool any = true;
    while (any && time_left(p)) {
        any = false;
        for (size_t a = 0; a < p->nt; a++)
            seen[a] = p->t[a].dirty;
        for (size_t a = 0; a < p->nt; a++)
            p->t[a].dirty = false;
        for (size_t a = 0; a < p->nt && time_left(p); a++)
            for (size_t b = a + 1; b < p->nt; b++) {
                if (p->t[a].win != p->t[b].win || !(seen[a] || seen[b]))
                    continue;
                if (p->t[a].n == 0 && p->t[b].n == 0)
                    continue;
                while (improve_pair(p, &p->t[a], &p->t[b]))
                    any = true;
            }
    }
    free(seen);
}

static int64_t total_length(const struct plan *p)
{
    int64_t s = 0;
    for (size_t a = 0; a < p->nt; a++)
        s += p->t[a].len;
    return s;
}

/* Random shifts and swaps between trips of one window (feasible ones only). */
static void perturb(struct plan *p)
{
    int moves = 2 + (int)(next_rand(&p->rng) % 3);
    for (int tries = 0; moves > 0 && tries < 50; tries++) {
        size_t a = (size_t)(next_rand(&p->rng) % p->nt), b = (size_t)(next_rand(&p->rng) % p->nt);
        struct trip *ta = &p->t[a], *tb = &p->t[b];
        if (a == b || ta->win != tb->win || ta->n == 0)
            continue;
        uint32_t i = ta->mem[next_rand(&p->rng) % ta->n];
        const struct hc_batch_order *oi = &p->o[i];
        if (tb->n > 0 && next_rand(&p->rng) % 2) {
            uint32_t j = tb->mem[next_rand(&p->rng) % tb->n];
            const struct hc_batch_order *oj = &p->o[j];
            if (!fits(p, ta->n, ta->lines - oi->lines + oj->lines,
                      ta->vol - oi->volume_mm3 + oj->volume_mm3,
                      ta->wt - oi->weight_g + oj->weight_g) ||
                !fits(p, tb->n, tb->lines - oj->lines + oi->lines,
                      tb->vol - oj->volume_mm3 + oi->volume_mm3,
                      tb->wt - oj->weight_g + oi->weight_g))
                continue;
            trip_drop(p, ta, i);
            trip_add(p, ta, j);
            trip_drop(p, tb, j);
            trip_add(p, tb, i);
        } else {
            if (tb->n + 1 > p->cap || !fits(p, tb->n + 1, tb->lines + oi->lines,
                                             tb->vol + oi->volume_mm3, tb->wt + oi->weight_g))
                continue;
            trip_drop(p, ta, i);
            trip_add(p, tb, i);
        }
        ta->len = length_of(p, ta->mem, ta->n, UINT32_MAX, UINT32_MAX);
        tb->len = length_of(p, tb->mem, tb->n, UINT32_MAX, UINT32_MAX);
        moves--;
    }
}

struct snapshot {
    struct trip *t;
    uint32_t *store;
};

static void save(const struct plan *p, struct snapshot *s)
{
    memcpy(s->t, p->t, sizeof(*p->t) * p->nt);
    memcpy(s->store, p->store, sizeof(*p->store) * p->nt * p->cap);
}

static void restore(struct plan *p, const struct snapshot *s)
{
    memcpy(p->t, s->t, sizeof(*p->t) * p->nt);
    memcpy(p->store, s->store, sizeof(*p->store) * p->nt * p->cap);
}

/* ---- the planner ------------------------------------------------------------------ */

/* Release order of orders: window, due, index (a total order). */
static bool before(const struct plan *p, uint32_t i, uint32_t j)
{
    if (p->win[i] != p->win[j])
        return p->win[i] < p->win[j];
    if (p->o[i].due != p->o[j].due)
        return p->o[i].due < p->o[j].due;
    return i < j;
}

/* Shell sort (Ciura's gaps) by before(): qsort has no context argument. */
static void sort_orders(const struct plan *p, uint32_t *v, size_t n)
{
    static const size_t gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
    for (size_t g = 0; g < HC_ARRAY_LEN(gaps); g++) {
        size_t gap = gaps[g];
        for (size_t i = gap; i < n; i++) {
            uint32_t x = v[i];
            size_t k = i;
            while (k >= gap && before(p, x, v[k - gap])) {
                v[k] = v[k - gap];
                k -= gap;
            }
            v[k] = x;
        }
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int hc_batch_plan(hc_arena *a, const struct hc_layout *l, const struct hc_batch_order *o,
                  size_t n, const struct hc_cart *c, const struct hc_batch_opts *opt,
                  struct hc_batch **out, size_t *nout, hc_err *err)
{
    int rc = hc_batch_check(c, o, n, NULL, err);
    if (rc != HC_OK)
        return rc;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return HC_OK;
    if (n > UINT32_MAX / 2)
        return hc_err_set(err, HC_ETOOBIG, "orders", "too many orders to batch");
    struct plan p = {.l = l, .o = o, .norders = n};
    p.lim_orders = c->max_orders;
    if (c->totes > 0 && (p.lim_orders == 0 || c->totes < p.lim_orders))
        p.lim_orders = c->totes;
    p.lim_lines = c->max_lines;
    p.lim_vol = c->max_volume_mm3;
    p.lim_wt = c->max_weight_g;
    p.cap = p.lim_orders > 0 && (size_t)p.lim_orders < n ? (size_t)p.lim_orders : n;
    p.rng = opt->seed ^ 0x6861696361ULL;
    /* The exact router costs 40-70 us a trip on one block and ~0.5 ms on
     * two: under the optimal policy the search compares trips by the combined
     * heuristic over the front and back cross aisles (5-100 times faster, so
     * the local search runs that many more rounds in its budget; measured in
     * bench/picking-batching, it ends shorter than searching by the exact
     * length), and every trip's length answered is the layout's own. */
    p.search = *l;
    if (l->route_policy == HC_ROUTE_OPTIMAL) {
        p.search.ncross = 0;
        p.search.route_policy = HC_ROUTE_COMBINED;
    }
    int64_t start = hc_mono_ns();
    p.deadline_ns = opt->budget_ms > 0 ? start + opt->budget_ms * 1000000 : 0;

    size_t npts = 0;
    int64_t amin = INT64_MAX, amax = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        npts += o[i].npts;
        for (size_t k = 0; k < o[i].npts; k++) {
            amin = o[i].pts[k].aisle < amin ? o[i].pts[k].aisle : amin;
            amax = o[i].pts[k].aisle > amax ? o[i].pts[k].aisle : amax;
        }
    }
    if (amin > amax)
        amin = amax = 0;
    p.aisle_min = amin;
    p.words = (size_t)((amax - amin) / 64 + 1);
    if (p.words > 1024) /* a pathological span: compare aisles modulo 65536 */
        p.words = 1024;

    uint32_t *idx = malloc(sizeof(*idx) * n);
    int64_t *alone = malloc(sizeof(*alone) * n);
    p.win = malloc(sizeof(*p.win) * n);
    p.t = calloc(n, sizeof(*p.t));
    p.store = calloc(n * p.cap, sizeof(*p.store));
    p.buf = malloc(sizeof(*p.buf) * (npts ? npts : 1));
    p.omask = calloc(n * p.words, sizeof(*p.omask));
    struct snapshot snap = {calloc(n, sizeof(*p.t)), calloc(n * p.cap, sizeof(*p.store))};
    if (!idx || !alone || !p.win || !p.t || !p.store || !p.buf || !p.omask || !snap.t ||
        !snap.store) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory batching %zu orders", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        idx[i] = (uint32_t)i;
        p.win[i] = opt->due_window_ms > 0 ? floor_div(o[i].due, opt->due_window_ms) : 0;
        for (size_t k = 0; k < o[i].npts; k++) {
            uint64_t bit = (uint64_t)(o[i].pts[k].aisle - amin) % (p.words * 64);
            p.omask[i * p.words + bit / 64] |= 1ULL << (bit % 64);
        }
        alone[i] = hc_batch_route_length(&p.search, o[i].pts, o[i].npts);
        if (alone[i] < 0) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory routing order %zu", i);
            goto done;
        }
    }
    sort_orders(&p, idx, n);
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e < n && p.win[idx[e]] == p.win[idx[s]])
            e++;
        construct_window(&p, idx + s, e - s, alone);
        s = e;
    }
    if (!p.oom && (opt->budget_ms > 0 || opt->max_rounds > 0)) {
        local_search(&p);
        int64_t best = total_length(&p);
        save(&p, &snap);
        for (int64_t round = 0; p.nt > 1 && time_left(&p) &&
                                (opt->max_rounds == 0 || round < opt->max_rounds);
             round++) {
            perturb(&p);
            local_search(&p);
            int64_t now = total_length(&p);
            if (now < best && !p.oom) {
                best = now;
                save(&p, &snap);
            } else {
                restore(&p, &snap);
            }
        }
        restore(&p, &snap);
    }
    if (p.oom) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory batching %zu orders", n);
        goto done;
    }
    p.search = *l; /* from here on, lengths by the layout's own policy */
    /* release order: window, then earliest due, then first order; totes by due */
    size_t nb = 0;
    struct hc_batch *b = hc_arena_alloc(a, sizeof(*b) * p.nt);
    uint32_t *first = malloc(sizeof(*first) * p.nt);
    if (first == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto done;
    }
    for (size_t t = 0; t < p.nt; t++) {
        struct trip *tr = &p.t[t];
        if (tr->n == 0)
            continue;
        sort_orders(&p, tr->mem, tr->n);
        first[nb] = tr->mem[0];
        b[nb].orders = hc_arena_alloc(a, sizeof(size_t) * tr->n);
        for (size_t k = 0; k < tr->n; k++)
            b[nb].orders[k] = tr->mem[k];
        b[nb].norders = tr->n;
        b[nb].lines = tr->lines;
        b[nb].volume_mm3 = tr->vol;
        b[nb].weight_g = tr->wt;
        b[nb].length_mm = length_of(&p, tr->mem, tr->n, UINT32_MAX, UINT32_MAX);
        nb++;
    }
    /* insertion sort of the trips by their first (most urgent) order */
    for (size_t i = 1; i < nb; i++) {
        struct hc_batch bi = b[i];
        uint32_t fi = first[i];
        size_t k = i;
        while (k > 0 && before(&p, fi, first[k - 1])) {
            b[k] = b[k - 1];
            first[k] = first[k - 1];
            k--;
        }
        b[k] = bi;
        first[k] = fi;
    }
    free(first);
    if (p.oom) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory routing %zu trips", nb);
        goto done;
    }
    *out = b;
    *nout = nb;
done:
    free(idx);
    free(alone);
    free(p.win);
    free(p.t);
    free(p.store);
    free(p.buf);
    free(p.omask);
    free(snap.t);
    free(snap.store);
    return rc;
}

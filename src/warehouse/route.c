/* route.c: walking routes through a picker's bins (warehouse.h, "pick routes").
 *
 * Geometry: see warehouse.h. Every policy builds a walk as a list of
 * waypoints (aisle, y) on the aisle graph, starting and ending at the depot;
 * emit() turns it into steps (picks and turning points) and sums its legs,
 * so the length answered is the length of the sequence answered.
 *
 * Heuristics (De Koster, Le-Duc & Roodbergen 2007, "Design and control of
 * warehouse order picking: a literature review", section 6; Roodbergen & De
 * Koster 2001, "Routing methods for warehouses with multiple cross aisles")
 * use the front and back cross aisles only:
 *   s-shape      every aisle with picks walked end to end, alternating; an odd
 *                last aisle is entered and left from the front;
 *   return       every aisle entered and left from the front;
 *   largest-gap  the first and last aisles with picks walked end to end, the
 *                others entered from the front and from the back up to their
 *                largest gap between picks (or aisle ends);
 *   combined     aisles visited left to right, each either walked through or
 *                entered and left on the side the picker is on, chosen by a
 *                two-state dynamic programme (front/back).
 * The optimum: see opt_*() below. */
#include "warehouse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[HC_ROUTE_POLICIES] = {
    [HC_ROUTE_OPTIMAL] = "optimal",         [HC_ROUTE_S_SHAPE] = "s-shape",
    [HC_ROUTE_RETURN] = "return",           [HC_ROUTE_LARGEST_GAP] = "largest-gap",
    [HC_ROUTE_COMBINED] = "combined",
};

const char *hc_route_policy_name(enum hc_route_policy p)
{
    return (unsigned)p < HC_ROUTE_POLICIES ? policy_names[p] : "optimal";
}

bool hc_route_policy_parse(const char *name, enum hc_route_policy *out)
{
    for (int i = 0; name && i < HC_ROUTE_POLICIES; i++)
        if (strcmp(name, policy_names[i]) == 0) {
            *out = (enum hc_route_policy)i;
            return true;
        }
    return false;
}

/* ---- geometry ---------------------------------------------------------------- */
struct geo {
    const struct hc_layout *l;
    int64_t ap, bp;     /* pitches */
    int64_t len_bays;   /* aisle length */
    int64_t lo, hi;     /* aisles in play: picks and depot */
    int m;              /* cross aisles including front and back */
    int64_t level[HC_CROSS_AISLES_MAX + 2]; /* their y, ascending */
};

static int64_t bay_y(int64_t bp, int64_t bay)
{
    if (bay < 1)
        bay = 1;
    return bay * bp - bp / 2;
}

static void geo_init(struct geo *g, const struct hc_layout *l, const struct hc_pick_point *pts,
                     size_t n)
{
    g->l = l;
    g->ap = l->aisle_pitch_mm;
    g->bp = l->bay_pitch_mm;
    g->len_bays = l->bays_per_aisle > 0 ? l->bays_per_aisle : 1;
    g->lo = g->hi = l->depot_aisle;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].bay > g->len_bays)
            g->len_bays = pts[i].bay;
        if (pts[i].aisle < g->lo)
            g->lo = pts[i].aisle;
        if (pts[i].aisle > g->hi)
            g->hi = pts[i].aisle;
    }
    g->m = 0;
    g->level[g->m++] = 0;
    int64_t prev = 0;
    for (size_t k = 0; k < l->ncross && k < HC_CROSS_AISLES_MAX; k++) {
        int64_t c = l->cross_aisles[k];
        if (c <= prev || c >= g->len_bays)
            continue;
        g->level[g->m++] = c * g->bp;
        prev = c;
    }
    g->level[g->m++] = g->len_bays * g->bp;
}

static int level_of(const struct geo *g, int64_t y)
{
    for (int i = 0; i < g->m; i++)
        if (g->level[i] == y)
            return i;
    return -1;
}

/* ---- walks ------------------------------------------------------------------- */
struct wpt {
    int64_t aisle, y;
    size_t pick; /* SIZE_MAX: none */
};
struct walk {
    struct wpt *p;
    size_t n, cap;
    bool oom;
};

static void wadd(struct walk *w, int64_t aisle, int64_t y, size_t pick)
{
    if (w->oom)
        return;
    if (pick == SIZE_MAX && w->n > 0 && w->p[w->n - 1].aisle == aisle && w->p[w->n - 1].y == y)
        return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct wpt *p = realloc(w->p, cap * sizeof(*p));
        if (!p) {
            w->oom = true;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    w->p[w->n++] = (struct wpt){aisle, y, pick};
}

/* Leg direction: 0 none, 1/2 along an aisle (+y/-y), 3/4 along a cross aisle. */
static int dir(const struct wpt *a, const struct wpt *b)
{
    if (a->aisle != b->aisle)
        return b->aisle > a->aisle ? 3 : 4;
    if (a->y != b->y)
        return b->y > a->y ? 1 : 2;
    return 0;
}

/* Sums the walk's legs and writes its steps: every pick, and every point
 * where the direction changes. */
static int64_t emit(const struct geo *g, const struct walk *w, struct hc_route_step *steps,
                    size_t *nsteps, size_t *order, size_t n)
{
    int64_t len = 0;
    size_t ns = 0, no = 0;
    for (size_t i = 1; i < w->n; i++) {
        const struct wpt *a = &w->p[i - 1], *b = &w->p[i];
        HC_ASSERT(a->aisle == b->aisle || a->y == b->y);
        len += a->aisle != b->aisle ? (b->aisle > a->aisle ? b->aisle - a->aisle : a->aisle - b->aisle) * g->ap
                                    : (b->y > a->y ? b->y - a->y : a->y - b->y);
    }
    int last_dir = 0;
    int64_t last_a = 0, last_y = -1;
    for (size_t i = 1; i + 1 < w->n; i++) {
        const struct wpt *a = &w->p[i - 1], *b = &w->p[i];
        int d_in = dir(a, b);
        if (d_in)
            last_dir = d_in;
        if (b->pick != SIZE_MAX) {
            HC_ASSERT(no < n);
            order[no++] = b->pick;
            last_a = b->aisle;
            last_y = b->y;
            if (steps)
                steps[ns] = (struct hc_route_step){HC_STEP_PICK, b->pick, b->aisle, b->y, -1};
            ns++;
            continue;
        }
        /* the next move away from here */
        size_t j = i + 1;
        while (j < w->n && dir(b, &w->p[j]) == 0)
            j++;
        int d_out = j < w->n ? dir(b, &w->p[j]) : 0;
        if (d_out == 0 || d_out == last_dir)
            continue;
        /* a turn, unless the previous step already stands here */
        if (ns > 0 && last_a == b->aisle && last_y == b->y)
            continue;
        last_a = b->aisle;
        last_y = b->y;
        if (steps)
            steps[ns] = (struct hc_route_step){HC_STEP_TURN, SIZE_MAX, b->aisle, b->y,
                                               level_of(g, b->y)};
        ns++;
    }
    (void)n;
    HC_ASSERT(no == n);
    if (nsteps)
        *nsteps = ns;
    return len;
}

size_t hc_route_steps_max(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n)
{
    struct geo g;
    geo_init(&g, l, pts, n);
    size_t aisles = (size_t)(g.hi - g.lo + 1);
    return 3 * n + 6 * (size_t)g.m * aisles + 8;
}

/* ---- pick points by aisle ----------------------------------------------------- */
struct aisle_picks {
    int64_t aisle;
    size_t first, count; /* into the sorted index */
};
struct sorted {
    size_t *idx;      /* pts sorted by aisle, then bay */
    int64_t *y;       /* y of pts[i] */
    struct aisle_picks *a;
    size_t na;
};

static int cmp_point(const void *x, const void *y, void *ctx)
{
    const struct hc_pick_point *pts = ctx;
    const struct hc_pick_point *p = &pts[*(const size_t *)x], *q = &pts[*(const size_t *)y];
    if (p->aisle != q->aisle)
        return p->aisle < q->aisle ? -1 : 1;
    if (p->bay != q->bay)
        return p->bay < q->bay ? -1 : 1;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    return i < j ? -1 : i > j;
}

static int sorted_init(struct sorted *s, const struct geo *g, const struct hc_pick_point *pts,
                       size_t n)
{
    memset(s, 0, sizeof(*s));
    s->idx = malloc((n ? n : 1) * sizeof(*s->idx));
    s->y = malloc((n ? n : 1) * sizeof(*s->y));
    s->a = malloc((n ? n : 1) * sizeof(*s->a));
    if (!s->idx || !s->y || !s->a)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s->idx[i] = i;
        s->y[i] = bay_y(g->bp, pts[i].bay);
    }
    qsort_r(s->idx, n, sizeof(*s->idx), cmp_point, (void *)pts);
    for (size_t i = 0; i < n; i++) {
        int64_t a = pts[s->idx[i]].aisle;
        if (s->na == 0 || s->a[s->na - 1].aisle != a)
            s->a[s->na++] = (struct aisle_picks){a, i, 0};
        s->a[s->na - 1].count++;
    }
    return 0;
}

static void sorted_free(struct sorted *s)
{
    free(s->idx);
    free(s->y);
    free(s->a);
}

/* Picks of aisle group k with y in [y0, y1], walking up (+1) or down (-1). */
static void pick_run(struct walk *w, const struct sorted *s, size_t k, int64_t y0, int64_t y1,
                     int up)
{
    const struct aisle_picks *ap = &s->a[k];
    for (size_t t = 0; t < ap->count; t++) {
        size_t i = s->idx[up > 0 ? ap->first + t : ap->first + ap->count - 1 - t];
        if (s->y[i] >= y0 && s->y[i] <= y1)
            wadd(w, ap->aisle, s->y[i], i);
    }
}

static int64_t ymin(const struct sorted *s, size_t k)
{
    return s->y[s->idx[s->a[k].first]];
}
static int64_t ymax(const struct sorted *s, size_t k)
{
    return s->y[s->idx[s->a[k].first + s->a[k].count - 1]];
}

/* Aisle k walked through from the front (up) or from the back (down). */
static void traverse(struct walk *w, const struct sorted *s, const struct geo *g, size_t k, int up)
{
    int64_t a = s->a[k].aisle, back = g->level[g->m - 1];
    wadd(w, a, up > 0 ? 0 : back, SIZE_MAX);
    pick_run(w, s, k, 0, back, up);
    wadd(w, a, up > 0 ? back : 0, SIZE_MAX);
}

/* Aisle k entered and left from the front (from_back 0) or the back, taking
 * the picks on that side of limit (inclusive). */
static void visit_side(struct walk *w, const struct sorted *s, const struct geo *g, size_t k,
                       bool from_back, int64_t lo_y, int64_t hi_y)
{
    int64_t a = s->a[k].aisle, back = g->level[g->m - 1];
    wadd(w, a, from_back ? back : 0, SIZE_MAX);
    pick_run(w, s, k, lo_y, hi_y, from_back ? -1 : 1);
    wadd(w, a, from_back ? back : 0, SIZE_MAX);
}

static void walk_sshape(struct walk *w, const struct sorted *s, const struct geo *g)
{
    size_t k = s->na;
    int64_t back = g->level[g->m - 1];
    for (size_t i = 0; i < k; i++) {
        if (i == k - 1 && k % 2 == 1)
            visit_side(w, s, g, i, false, 0, back);
        else
            traverse(w, s, g, i, i % 2 == 0 ? 1 : -1);
    }
}

static void walk_return(struct walk *w, const struct sorted *s, const struct geo *g)
{
    int64_t back = g->level[g->m - 1];
    for (size_t i = 0; i < s->na; i++)
        visit_side(w, s, g, i, false, 0, back);
}

/* Largest gap of aisle k (between 0, its picks, and the back): picks with
 * y <= *cut are taken from the front, the rest from the back. */
static void largest_gap(const struct sorted *s, const struct geo *g, size_t k, int64_t *cut)
{
    int64_t back = g->level[g->m - 1];
    int64_t best = ymin(s, k) - 0, prev = ymin(s, k);
    *cut = -1; /* everything from the back */
    for (size_t t = 1; t < s->a[k].count; t++) {
        int64_t y = s->y[s->idx[s->a[k].first + t]];
        if (y - prev > best) {
            best = y - prev;
            *cut = prev;
        }
        prev = y;
    }
    if (back - ymax(s, k) > best)
        *cut = back; /* everything from the front */
}

static void walk_largest_gap(struct walk *w, const struct sorted *s, const struct geo *g)
{
    size_t k = s->na;
    int64_t back = g->level[g->m - 1], depot = g->l->depot_aisle;
    if (k == 1) {
        visit_side(w, s, g, 0, false, 0, back);
        return;
    }
    /* front parts of the middle aisles left of the depot on the way out */
    for (size_t i = k - 1; i >= 1; i--)
        if (i < k - 1 && s->a[i].aisle < depot) {
            int64_t cut;
            largest_gap(s, g, i, &cut);
            if (cut >= 0)
                visit_side(w, s, g, i, false, 0, cut);
        }
    traverse(w, s, g, 0, 1);
    for (size_t i = 1; i + 1 < k; i++) {
        int64_t cut;
        largest_gap(s, g, i, &cut);
        if (cut < back)
            visit_side(w, s, g, i, true, cut + 1, back);
    }
    traverse(w, s, g, k - 1, -1);
    for (size_t i = k - 2; i >= 1; i--)
        if (s->a[i].aisle >= depot) {
            int64_t cut;
            largest_gap(s, g, i, &cut);
            if (cut >= 0)
                visit_side(w, s, g, i, false, 0, cut);
        }
}

static void walk_combined(struct walk *w, const struct sorted *s, const struct geo *g)
{
    size_t k = s->na;
    int64_t back = g->level[g->m - 1];
    /* cost[i][side]: least vertical walking for aisles i.. from side
     * (0 front, 1 back), ending at the front; how[i][side] 1 = traverse */
    int64_t(*cost)[2] = malloc((k + 1) * sizeof(*cost));
    unsigned char(*how)[2] = malloc((k + 1) * sizeof(*how));
    if (!cost || !how) {
        free(cost);
        free(how);
        w->oom = true;
        return;
    }
    const int64_t inf = INT64_MAX / 4;
    cost[k][0] = 0;
    cost[k][1] = inf;
    for (size_t i = k; i-- > 0;) {
        for (int side = 0; side < 2; side++) {
            int64_t ret = side == 0 ? 2 * ymax(s, i) : 2 * (back - ymin(s, i));
            int64_t r = ret + cost[i + 1][side];
            int64_t t = back + cost[i + 1][1 - side];
            how[i][side] = t < r;
            cost[i][side] = t < r ? t : r;
        }
    }
    int side = 0;
    for (size_t i = 0; i < k; i++) {
        if (how[i][side]) {
            traverse(w, s, g, i, side == 0 ? 1 : -1);
            side = 1 - side;
        } else {
            visit_side(w, s, g, i, side == 1, 0, back);
        }
    }
    free(cost);
    free(how);
}

static int64_t plan_optimal(struct walk *w, const struct sorted *s, const struct geo *g,
                            const struct hc_pick_point *pts, size_t n);

int64_t hc_route_plan(const struct hc_layout *l, enum hc_route_policy p,
                      const struct hc_pick_point *pts, size_t n, struct hc_route_step *steps,
                      size_t *nsteps, size_t *order)
{
    HC_ASSERT(l && (n == 0 || (pts && order)));
    HC_ASSERT(l->aisle_pitch_mm > 0 && l->bay_pitch_mm > 0);
    if (nsteps)
        *nsteps = 0;
    if (n == 0)
        return 0;
    struct geo g;
    geo_init(&g, l, pts, n);
    struct sorted s;
    struct walk w = {0};
    int64_t len = -1;
    if (sorted_init(&s, &g, pts, n) != 0)
        goto done;
    wadd(&w, l->depot_aisle, 0, SIZE_MAX);
    switch (p) {
    case HC_ROUTE_S_SHAPE: walk_sshape(&w, &s, &g); break;
    case HC_ROUTE_RETURN: walk_return(&w, &s, &g); break;
    case HC_ROUTE_LARGEST_GAP: walk_largest_gap(&w, &s, &g); break;
    case HC_ROUTE_COMBINED: walk_combined(&w, &s, &g); break;
    case HC_ROUTE_OPTIMAL:
    default:
        if (plan_optimal(&w, &s, &g, pts, n) < 0)
            w.oom = true;
        break;
    }
    wadd(&w, w.n ? w.p[w.n - 1].aisle : l->depot_aisle, 0, SIZE_MAX);
    wadd(&w, l->depot_aisle, 0, SIZE_MAX);
    if (w.oom)
        goto done;
    len = emit(&g, &w, steps, nsteps, order, n);
done:
    free(w.p);
    sorted_free(&s);
    return len;
}

int64_t hc_route_sshape(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order)
{
    return hc_route_plan(l, HC_ROUTE_S_SHAPE, pts, n, NULL, NULL, order);
}

int64_t hc_route_return(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order)
{
    return hc_route_plan(l, HC_ROUTE_RETURN, pts, n, NULL, NULL, order);
}

/* ---- the optimum ------------------------------------------------------------- */
/* An exact dynamic programme over the aisles, left to right: Ratliff &
 * Rosenthal (1983, "Order-picking in a rectangular warehouse: a solvable case
 * of the traveling salesman problem", Operations Research 31(3)) for one
 * block, with its state generalised to any number of cross aisles as Roodbergen
 * & De Koster (2001, "Routing order pickers in a warehouse with a middle
 * aisle", EJOR 133(1)) do for two blocks.
 *
 * A walk is an Euler tour of a multigraph on the aisle graph: the nodes are
 * where aisles meet cross aisles ("levels"), the depot and the pick points; an
 * optimal one uses every edge at most twice. Between two adjacent levels in
 * one aisle (a "segment") an optimal tour does one of six things: nothing
 * (no picks there), walks it once, twice, goes in from the lower level and
 * back, from the upper level and back, or from both leaving the largest gap
 * between two of its picks unwalked. The state at the cut between aisles j
 * and j + 1 is, for each level, how often the tour crosses the cut there
 * (0, 1, 2) and which connected component of the tour so far that edge
 * belongs to. Every node must end with an even degree, every component must
 * reach the cut (or the tour would be closed without the rest), and after the
 * last aisle one component must remain. The number of states depends on the
 * number of levels only, so the programme is linear in the number of aisles
 * and picks. The chosen edges are then walked as an Euler circuit from the
 * depot (Hierholzer). */
enum { SEG_NONE, SEG_ONCE, SEG_TWICE, SEG_LOW, SEG_HIGH, SEG_GAP, SEG_KINDS };
#define ML (HC_CROSS_AISLES_MAX + 2)

struct vsig {        /* one choice for all segments of an aisle */
    uint32_t key;    /* parity bits, touch bits, join bits */
    uint32_t cfg;    /* 3 bits per segment */
    int64_t cost;
};
struct dp_state {
    uint32_t code;   /* 5 bits per level: multiplicity (2), component (3) */
    int32_t prev;
    uint32_t vsig;
    uint8_t r;       /* which even levels cross with 2 */
    int64_t cost;
};
struct dp_col {
    struct dp_state *s;
    size_t n, cap;
    struct vsig *v;
    size_t nv;
};
struct hmap {
    uint32_t *key;
    int32_t *val;
    size_t cap;
};

static int hmap_reset(struct hmap *h, size_t want)
{
    size_t cap = 64;
    while (cap < want * 2)
        cap *= 2;
    if (cap > h->cap) {
        free(h->key);
        free(h->val);
        h->key = malloc(cap * sizeof(*h->key));
        h->val = malloc(cap * sizeof(*h->val));
        h->cap = cap;
        if (!h->key || !h->val)
            return -1;
    }
    memset(h->val, 0xff, h->cap * sizeof(*h->val));
    return 0;
}

static int32_t *hmap_slot(struct hmap *h, uint32_t key)
{
    uint32_t x = key;
    x ^= x >> 16; /* mix: states differ mostly in their high bits */
    x *= 0x45d9f3bu;
    x ^= x >> 16;
    x *= 0x45d9f3bu;
    x ^= x >> 16;
    size_t mask = h->cap - 1, i = x & mask;
    while (h->val[i] >= 0 && h->key[i] != key)
        i = (i + 1) & mask;
    h->key[i] = key;
    return &h->val[i];
}

/* picks of one aisle in one segment: [first, first + count) of s->idx */
struct seg {
    size_t first, count;
    int64_t gap_lo, gap_hi; /* the largest gap between two of its picks */
};

static void seg_of(const struct sorted *s, const struct geo *g, ptrdiff_t k, int b,
                   struct seg *out)
{
    memset(out, 0, sizeof(*out));
    if (k < 0)
        return;
    const struct aisle_picks *ap = &s->a[k];
    size_t t = ap->first, end = ap->first + ap->count;
    while (t < end && s->y[s->idx[t]] < g->level[b])
        t++;
    out->first = t;
    while (t < end && s->y[s->idx[t]] < g->level[b + 1])
        t++;
    out->count = t - out->first;
    int64_t best = -1;
    for (size_t u = out->first + 1; u < out->first + out->count; u++) {
        int64_t y0 = s->y[s->idx[u - 1]], y1 = s->y[s->idx[u]];
        if (y1 - y0 > best) {
            best = y1 - y0;
            out->gap_lo = y0;
            out->gap_hi = y1;
        }
    }
}

static int64_t seg_cost(const struct sorted *s, const struct geo *g, const struct seg *sg, int b,
                        int kind)
{
    int64_t d = g->level[b + 1] - g->level[b];
    int64_t lo = sg->count ? s->y[s->idx[sg->first]] : 0;
    int64_t hi = sg->count ? s->y[s->idx[sg->first + sg->count - 1]] : 0;
    switch (kind) {
    case SEG_NONE: return sg->count ? -1 : 0;
    case SEG_ONCE: return d;
    case SEG_TWICE: return 2 * d;
    case SEG_LOW: return sg->count ? 2 * (hi - g->level[b]) : -1;
    case SEG_HIGH: return sg->count ? 2 * (g->level[b + 1] - lo) : -1;
    case SEG_GAP: return sg->count >= 2 && sg->gap_hi > sg->gap_lo ? 2 * (d - (sg->gap_hi - sg->gap_lo)) : -1;
    }
    return -1;
}

/* The distinct (parity, touch, join) signatures of an aisle's segment
 * choices, each with its cheapest choice. */
static int col_sigs(struct dp_col *c, const struct sorted *s, const struct geo *g, ptrdiff_t k,
                    int32_t *stamp, uint32_t *slot, uint32_t tick)
{
    int m = g->m, nseg = m - 1;
    struct seg sg[ML];
    for (int b = 0; b < nseg; b++)
        seg_of(s, g, k, b, &sg[b]);
    size_t combos = 1;
    for (int b = 0; b < nseg; b++)
        combos *= SEG_KINDS;
    c->v = malloc(combos * sizeof(*c->v));
    c->nv = 0;
    if (!c->v)
        return -1;
    for (size_t x = 0; x < combos; x++) {
        size_t y = x;
        uint32_t par = 0, touch = 0, join = 0, cfg = 0;
        int64_t cost = 0;
        for (int b = 0; b < nseg; b++, y /= SEG_KINDS) {
            int kind = (int)(y % SEG_KINDS);
            int64_t sc = seg_cost(s, g, &sg[b], b, kind);
            if (sc < 0)
                goto next;
            cost += sc;
            cfg |= (uint32_t)kind << (3 * b);
            if (kind == SEG_ONCE) {
                par ^= 3u << b;
                touch |= 3u << b;
                join |= 1u << b;
            } else if (kind == SEG_TWICE) {
                touch |= 3u << b;
                join |= 1u << b;
            } else if (kind == SEG_LOW) {
                touch |= 1u << b;
            } else if (kind == SEG_HIGH) {
                touch |= 2u << b;
            } else if (kind == SEG_GAP) {
                touch |= 3u << b;
            }
        }
        uint32_t key = par | touch << m | join << (2 * m);
        if ((uint32_t)stamp[key] == tick) {
            struct vsig *v = &c->v[slot[key]];
            if (cost < v->cost) {
                v->cost = cost;
                v->cfg = cfg;
            }
        } else {
            stamp[key] = (int32_t)tick;
            slot[key] = (uint32_t)c->nv;
            c->v[c->nv++] = (struct vsig){key, cfg, cost};
        }
    next:;
    }
    return 0;
}

static int push_state(struct dp_col *c, struct hmap *h, const struct dp_state *st)
{
    int32_t *sl = hmap_slot(h, st->code);
    if (*sl >= 0) {
        if (st->cost < c->s[*sl].cost)
            c->s[*sl] = *st;
        return 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct dp_state *p = realloc(c->s, cap * sizeof(*p));
        if (!p)
            return -1;
        c->s = p;
        c->cap = cap;
    }
    *sl = (int32_t)c->n;
    c->s[c->n++] = *st;
    if (c->n * 2 > h->cap) { /* rehash into a bigger table */
        if (hmap_reset(h, c->n * 2) != 0)
            return -1;
        for (size_t i = 0; i < c->n; i++)
            *hmap_slot(h, c->s[i].code) = (int32_t)i;
    }
    return 0;
}

static int uf_find(int *p, int x)
{
    while (p[x] != x)
        x = p[x] = p[p[x]];
    return x;
}

/* One aisle's transitions from every state of prev into cur (or, for the
 * last aisle, into the best closed tour). Two phases: every (state, segment
 * choice) pair gives the aisle's nodes a parity, touched-ness and a partition
 * into components ("mid" states, many pairs give the same one: the cheapest
 * is kept); each mid state then chooses which even levels cross on with 2. */
struct mid {
    uint32_t key; /* par | touch << m | 3-bit component label per node << 2m */
    int32_t si;
    uint32_t vi;
    int64_t cost;
};

static int dp_step(const struct geo *g, const struct dp_col *prev, struct dp_col *cur,
                   struct hmap *h, bool depot_here, bool last, int64_t *best_cost,
                   struct dp_state *best)
{
    int m = g->m;
    uint32_t all = (1u << m) - 1;
    size_t nmid = 0, capmid = prev->n * cur->nv + 1;
    struct mid *mids = malloc(capmid * sizeof(*mids));
    struct hmap mh = {0};
    int rc = -1;
    if (!mids || hmap_reset(&mh, capmid < 4096 ? capmid : 4096) != 0)
        goto out;
    for (size_t si = 0; si < prev->n; si++) {
        const struct dp_state *ps = &prev->s[si];
        uint32_t lpar = 0, ltouch = 0;
        int first[8];
        for (int i = 0; i < 8; i++)
            first[i] = -1;
        int lroot[ML];
        for (int i = 0; i < m; i++) {
            int mult = (int)(ps->code >> (5 * i)) & 3, lab = (int)(ps->code >> (5 * i + 2)) & 7;
            lroot[i] = i;
            if (mult) {
                ltouch |= 1u << i;
                lpar ^= (uint32_t)(mult & 1) << i;
                if (first[lab] < 0)
                    first[lab] = i;
                lroot[i] = first[lab];
            }
        }
        for (size_t vi = 0; vi < cur->nv; vi++) {
            const struct vsig *v = &cur->v[vi];
            uint32_t par = (v->key & all) ^ lpar, touch = ((v->key >> m) & all) | ltouch;
            uint32_t join = v->key >> (2 * m);
            int uf[ML];
            for (int i = 0; i < m; i++)
                uf[i] = lroot[i];
            for (int b = 0; b + 1 < m; b++)
                if (join >> b & 1)
                    uf[uf_find(uf, b)] = uf_find(uf, b + 1);
            /* canonical labels: components numbered by their lowest node */
            int lab[ML], nl = 0;
            uint32_t key = par | touch << m;
            for (int i = 0; i < m; i++)
                lab[i] = -1;
            for (int i = 0; i < m; i++) {
                int r = uf_find(uf, i);
                if (lab[r] < 0)
                    lab[r] = nl++;
                key |= (uint32_t)lab[r] << (2 * m + 3 * i);
            }
            int64_t cost = ps->cost + v->cost;
            int32_t *sl = hmap_slot(&mh, key);
            if (*sl >= 0) {
                if (cost < mids[*sl].cost)
                    mids[*sl] = (struct mid){key, (int32_t)si, (uint32_t)vi, cost};
                continue;
            }
            *sl = (int32_t)nmid;
            mids[nmid++] = (struct mid){key, (int32_t)si, (uint32_t)vi, cost};
            if (nmid * 2 > mh.cap) {
                if (hmap_reset(&mh, nmid * 2) != 0)
                    goto out;
                for (size_t t = 0; t < nmid; t++)
                    *hmap_slot(&mh, mids[t].key) = (int32_t)t;
            }
        }
    }
    for (size_t t = 0; t < nmid; t++) {
        const struct mid *md = &mids[t];
        uint32_t par = md->key & all, touch = (md->key >> m) & all;
        int lab[ML];
        uint32_t comp[ML] = {0}; /* nodes of each component */
        int ncomp = 0;
        for (int i = 0; i < m; i++) {
            lab[i] = (int)(md->key >> (2 * m + 3 * i)) & 7;
            comp[lab[i]] |= 1u << i;
            if (lab[i] + 1 > ncomp)
                ncomp = lab[i] + 1;
        }
        if (last) {
            if (par || (depot_here && !(touch & 1)) || !touch)
                continue;
            int touched_comps = 0;
            for (int c = 0; c < ncomp; c++)
                touched_comps += (comp[c] & touch) != 0;
            if (touched_comps == 1 && md->cost < *best_cost) {
                *best_cost = md->cost;
                *best = (struct dp_state){0, md->si, md->vi, 0, md->cost};
            }
            continue;
        }
        uint32_t even_free = ~par & all;
        for (uint32_t r = even_free;; r = (r - 1) & even_free) {
            uint32_t cross = par | r, tt = touch | cross;
            bool ok = !(depot_here && !(tt & 1));
            /* every component with a touched node must cross the cut */
            for (int c = 0; c < ncomp && ok; c++)
                if ((comp[c] & tt) && !(comp[c] & cross))
                    ok = false;
            if (ok) {
                uint32_t code = 0;
                int nlab = 0, relab[ML];
                for (int c = 0; c < ML; c++)
                    relab[c] = -1;
                int64_t cost = md->cost;
                for (int i = 0; i < m; i++) {
                    if (!(cross >> i & 1))
                        continue;
                    if (relab[lab[i]] < 0)
                        relab[lab[i]] = nlab++;
                    uint32_t mult = (par >> i & 1) ? 1 : 2;
                    cost += (int64_t)mult * g->ap;
                    code |= (mult | (uint32_t)relab[lab[i]] << 2) << (5 * i);
                }
                struct dp_state st = {code, md->si, md->vi, (uint8_t)r, cost};
                if (push_state(cur, h, &st) != 0)
                    goto out;
            }
            if (r == 0)
                break;
        }
    }
    rc = 0;
out:
    free(mids);
    free(mh.key);
    free(mh.val);
    return rc;
}

/* The multigraph of the chosen tour and its Euler circuit. */
struct mg {
    size_t nnodes;
    int64_t *na, *ny;    /* node positions */
    size_t (*e)[2];      /* edges */
    size_t ne, ecap;
    size_t *head, *next; /* adjacency: 2 half-edges per edge */
    bool *used;
};

static int mg_edge(struct mg *g, size_t u, size_t v, int copies)
{
    for (int c = 0; c < copies; c++) {
        if (g->ne == g->ecap) {
            size_t cap = g->ecap ? g->ecap * 2 : 64;
            void *p = realloc(g->e, cap * sizeof(*g->e));
            if (!p)
                return -1;
            g->e = p;
            g->ecap = cap;
        }
        g->e[g->ne][0] = u;
        g->e[g->ne][1] = v;
        g->ne++;
    }
    return 0;
}

static int64_t plan_optimal(struct walk *w, const struct sorted *s, const struct geo *g,
                            const struct hc_pick_point *pts, size_t n)
{
    int m = g->m;
    size_t ncols = (size_t)(g->hi - g->lo + 1);
    int64_t result = -1;
    struct dp_col *cols = calloc(ncols, sizeof(*cols));
    int32_t *stamp = malloc(sizeof(int32_t) << (3 * m - 1));
    uint32_t *slot = malloc(sizeof(uint32_t) << (3 * m - 1));
    struct hmap h = {0};
    struct mg mg = {0};
    size_t *pnode = malloc((n ? n : 1) * sizeof(*pnode)); /* pick -> node */
    if (!cols || !stamp || !slot || !pnode)
        goto done;
    memset(stamp, 0xff, sizeof(int32_t) << (3 * m - 1));
    /* aisle group of each column */
    ptrdiff_t *grp = malloc(ncols * sizeof(*grp));
    if (!grp)
        goto done;
    for (size_t j = 0; j < ncols; j++)
        grp[j] = -1;
    for (size_t k = 0; k < s->na; k++)
        grp[s->a[k].aisle - g->lo] = (ptrdiff_t)k;
    struct dp_col start = {0};
    struct dp_state st0 = {0, -1, 0, 0, 0};
    start.s = &st0;
    start.n = 1;
    int64_t best_cost = INT64_MAX;
    struct dp_state best = {0};
    for (size_t j = 0; j < ncols; j++) {
        if (col_sigs(&cols[j], s, g, grp[j], stamp, slot, (uint32_t)j) != 0)
            goto fail;
        if (hmap_reset(&h, 256) != 0)
            goto fail;
        bool depot_here = g->lo + (int64_t)j == g->l->depot_aisle;
        if (dp_step(g, j ? &cols[j - 1] : &start, &cols[j], &h, depot_here, j + 1 == ncols,
                    &best_cost, &best) != 0)
            goto fail;
    }
    HC_ASSERT(best_cost < INT64_MAX);
    /* nodes: levels of each column, then distinct pick positions */
    mg.nnodes = ncols * (size_t)m + n;
    mg.na = malloc(mg.nnodes * sizeof(*mg.na));
    mg.ny = malloc(mg.nnodes * sizeof(*mg.ny));
    if (!mg.na || !mg.ny)
        goto fail;
    for (size_t j = 0; j < ncols; j++)
        for (int i = 0; i < m; i++) {
            mg.na[j * (size_t)m + (size_t)i] = g->lo + (int64_t)j;
            mg.ny[j * (size_t)m + (size_t)i] = g->level[i];
        }
    size_t nn = ncols * (size_t)m;
    for (size_t t = 0; t < n; t++) {
        size_t i = s->idx[t];
        if (t > 0 && pts[s->idx[t - 1]].aisle == pts[i].aisle && s->y[s->idx[t - 1]] == s->y[i]) {
            pnode[i] = pnode[s->idx[t - 1]];
            continue;
        }
        mg.na[nn] = pts[i].aisle;
        mg.ny[nn] = s->y[i];
        pnode[i] = nn++;
    }
    /* edges, back from the last aisle */
    int32_t si = best.prev;
    uint32_t vi = best.vsig;
    for (size_t j = ncols; j-- > 0;) {
        const struct vsig *v = &cols[j].v[vi];
        for (int b = 0; b + 1 < m; b++) {
            int kind = (int)(v->cfg >> (3 * b)) & 7;
            if (kind == SEG_NONE)
                continue;
            struct seg sg;
            seg_of(s, g, grp[j], b, &sg);
            size_t lo_node = j * (size_t)m + (size_t)b, hi_node = lo_node + 1;
            /* the chain lo -> its picks -> hi, over distinct nodes */
            size_t prevn = lo_node;
            int copies = kind == SEG_ONCE ? 1 : 2;
            for (size_t u = 0; u <= sg.count; u++) {
                size_t node = u < sg.count ? pnode[s->idx[sg.first + u]] : hi_node;
                if (node == prevn)
                    continue;
                bool skip = (kind == SEG_LOW && u == sg.count) ||    /* above the highest pick */
                            (kind == SEG_HIGH && prevn == lo_node) || /* below the lowest */
                            (kind == SEG_GAP && prevn != lo_node && mg.ny[prevn] == sg.gap_lo);
                if (!skip && mg_edge(&mg, prevn, node, copies) != 0)
                    goto fail;
                prevn = node;
            }
        }
        const struct dp_state *ps = si >= 0 && j > 0 ? &cols[j - 1].s[si] : NULL;
        if (ps) {
            /* the crossing into aisle j from aisle j - 1 */
            for (int i = 0; i < m; i++) {
                int mult = (int)(ps->code >> (5 * i)) & 3;
                if (mult && mg_edge(&mg, (j - 1) * (size_t)m + (size_t)i, j * (size_t)m + (size_t)i,
                                    mult) != 0)
                    goto fail;
            }
            vi = ps->vsig;
            si = ps->prev;
        }
    }
    /* Euler circuit from the depot */
    mg.head = malloc(mg.nnodes * sizeof(*mg.head));
    mg.next = malloc(2 * (mg.ne ? mg.ne : 1) * sizeof(*mg.next));
    mg.used = calloc(mg.ne ? mg.ne : 1, sizeof(*mg.used));
    size_t *stack = malloc((mg.ne + 2) * sizeof(*stack));
    size_t *circ = malloc((mg.ne + 2) * sizeof(*circ));
    bool *seen = calloc(mg.nnodes, sizeof(*seen));
    if (!mg.head || !mg.next || !mg.used || !stack || !circ || !seen) {
        free(stack);
        free(circ);
        free(seen);
        goto fail;
    }
    for (size_t i = 0; i < mg.nnodes; i++)
        mg.head[i] = SIZE_MAX;
    for (size_t e = mg.ne; e-- > 0;)
        for (int side = 0; side < 2; side++) {
            size_t he = 2 * e + (size_t)side, u = mg.e[e][side];
            mg.next[he] = mg.head[u];
            mg.head[u] = he;
        }
    size_t sp = 0, nc = 0;
    stack[sp++] = (size_t)(g->l->depot_aisle - g->lo) * (size_t)m;
    while (sp > 0) {
        size_t u = stack[sp - 1];
        while (mg.head[u] != SIZE_MAX && mg.used[mg.head[u] / 2])
            mg.head[u] = mg.next[mg.head[u]];
        if (mg.head[u] == SIZE_MAX) {
            circ[nc++] = u;
            sp--;
        } else {
            size_t he = mg.head[u];
            mg.used[he / 2] = true;
            stack[sp++] = mg.e[he / 2][1 - he % 2];
        }
    }
    for (size_t t = nc; t-- > 0;) {
        size_t u = circ[t];
        wadd(w, mg.na[u], mg.ny[u], SIZE_MAX);
        if (u >= ncols * (size_t)m && !seen[u]) {
            seen[u] = true;
            for (size_t q = 0; q < n; q++) /* the picks standing here, in index order */
                if (pnode[q] == u)
                    wadd(w, mg.na[u], mg.ny[u], q);
        }
    }
    free(stack);
    free(circ);
    free(seen);
    result = best_cost;
fail:
    free(grp);
done:
    for (size_t j = 0; cols && j < ncols; j++) {
        free(cols[j].s);
        free(cols[j].v);
    }
    free(cols);
    free(stamp);
    free(slot);
    free(h.key);
    free(h.val);
    free(mg.na);
    free(mg.ny);
    free(mg.e);
    free(mg.head);
    free(mg.next);
    free(mg.used);
    free(pnode);
    return result;
}

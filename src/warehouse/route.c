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
/* Interim: the best of the heuristics (combined is never longer than s-shape
 * or return). */
static int64_t plan_optimal(struct walk *w, const struct sorted *s, const struct geo *g,
                            const struct hc_pick_point *pts, size_t n)
{
    (void)pts;
    (void)n;
    walk_combined(w, s, g);
    return w->oom ? -1 : 0;
}

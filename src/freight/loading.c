/* Container loading solver.
 *
 * Approach (after Fanslau & Bortfeldt's CLTRS and Zhu & Lim's block
 * building): cartons are grouped into blocks, either simple blocks
 * (nx * ny * nz cartons of one line in one orientation) or general blocks
 * (two blocks joined along x, y or z whose bounding box is at least
 * MIN_FILL full and wastes at most MAX_WASTE of the container). Each block
 * has a packing area: the rectangle at its back-left top corner that is
 * entirely covered by carton tops, so that with full support anything
 * placed above a block stands on that area only.
 *
 * Free space is a list of maximal spaces: boxes of empty room whose floor is
 * fully supported (the container floor, or carton tops all at the same
 * height). They may overlap one another. A block goes into the anchor corner
 * of a space: the floor corner nearest to a container corner (distances
 * compared as a sorted triple, smallest first); the space chosen is the one
 * whose anchor corner is nearest, ties to the larger space. Every space the
 * block cuts is replaced by the parts of it left, right, behind, in front
 * of and below the block; the room above the block becomes a new space over
 * its packing area, which is also joined with neighbouring spaces whose floor
 * lies at the same height (so two blocks of equal height carry one wider
 * space). Spaces contained in others are dropped. With support "none" the
 * room above a block is kept as parts of the spaces it cut.
 *
 * The search is a look-ahead tree search: at each step, the w best blocks
 * (by volume) for the chosen space are each tried and the subtree below them
 * (depth d, width w) is completed greedily; the block whose subtree packs
 * most volume is taken. The effort w^d doubles until the time is up
 * (iterative doubling, after Zhu & Lim); each effort level runs in turn with
 * all blocks, with simple blocks only (fewer than 60 carton lines, where
 * general blocks may hurt) and with spaces filled wall by wall from the back;
 * when the levels run out, rounds perturb the ranking with a seeded
 * generator. The best completion seen is the answer. Its blocks are then put
 * in loading order: back wall first, every block after those it rests on.
 *
 * Fragile cartons: a block carries top_cap, the weight that may be put on
 * it; spaces above it carry a budget chain so the total weight placed above
 * never exceeds what any carton below can carry. */
#include "freight/freight.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 6
#define MAX_BLOCKS 12000
#define MAX_SIMPLE 8000 /* simple blocks kept when there are many carton lines */
#define MIN_FILL 0.98
#define MAX_WASTE 0.001 /* general block: empty room at most this share of the container */
#define GEN_MAX_MS 1000 /* general block generation: at most this long */
#define POST_NS_PER_CARTON 20000 /* kept back from the search per carton: ordering, checking, JSON */
#define MAX_DEPTH 4
#define MAX_WIDTH 64
#define INF_W HC_LOADING_NO_LIMIT

typedef struct part {
    int32_t t; /* local type index */
    int32_t n;
} part;

typedef struct blk {
    int32_t d[3];        /* bounding box */
    int32_t px, py;      /* packing area at the back-left top corner */
    int64_t vol;         /* carton volume (not bounding box) */
    int64_t weight, top_cap;
    int32_t kind;        /* -1 simple, 0/1/2 general joined along x/y/z */
    int32_t a, b;        /* general: children; simple: local type, unused */
    int32_t od[3], n[3]; /* simple: carton dims as placed, counts */
    int32_t group;       /* loading-order group index */
    int32_t np;
    part parts[MAX_PARTS];
    double key;          /* ranking key (larger first) */
} blk;

typedef struct space {
    int32_t x, y, z, dx, dy, dz;
    int32_t budget; /* -1: no load limit */
    int32_t skip;   /* loading group that found no block for it; -1 none */
} space;

typedef struct budget {
    int64_t rem;
    int32_t parent;
} budget;

typedef struct pblk {
    int32_t b, x, y, z;
} pblk;

typedef struct state {
    space *sp;
    int32_t nsp, capsp;
    int32_t *av;
    budget *bu;
    int32_t nbu, capbu;
    pblk *pb;
    int32_t npb, cappb;
    int64_t vol, weight;
    int32_t grp;
} state;

typedef struct ctx {
    const hc_loading_problem *p;
    const hc_loading_container *c;
    int32_t nt;          /* local types */
    int32_t *tcarton;    /* local type -> carton index */
    int32_t *tgroup;     /* local type -> loading group */
    int32_t ngroups;     /* loading groups in use (>= 1) */
    bool full;           /* full support */
    blk *bl;
    int32_t nb, capb;
    int32_t *order;      /* block indices, best rank first */
    int64_t *pmin;       /* pmin[i]: smallest bounding box among order[0..i] */
    int32_t (*rd)[3];    /* rd[i]: bounding box of block order[i] (compact, for scans) */
    char *rsimple;       /* rsimple[i]: block order[i] is a simple block */
    bool simple_only;    /* this pass uses simple blocks only */
    int sel;             /* space selection rule, see select_space() */
    int32_t *alive;      /* during a greedy completion: rank positions still affordable */
    int32_t *alive_buf, nalive;
    int32_t *rpo;        /* rank position i: its parts are rpv[rpo[i] .. rpo[i + 1]) */
    part *rpv;
    int32_t (*otd)[6][3];/* per local type: its allowed orientations (dims as placed) */
    int32_t *notd;
    int32_t mind;        /* smallest carton side among local types */
    int64_t deadline_ns;
    uint64_t rng;
    bool timed_out;
    int64_t best_vol;
    state best;
    state trial, cur;
    state lv[MAX_DEPTH], lvc[MAX_DEPTH];
    space *nw;           /* scratch: spaces made by one placement */
    char *dead;          /* scratch: per space, removed by this placement */
    char *drop;          /* scratch: per new space, inside another */
    int32_t capnw, capdead, capdrop;
} ctx;

/* ---- small helpers ------------------------------------------------------ */


static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        abort();
    return q;
}

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64: small, seedable, good enough for ranking noise */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static bool time_up(ctx *x)
{
    if (!x->timed_out && hc_mono_ns() >= x->deadline_ns)
        x->timed_out = true;
    return x->timed_out;
}

/* ---- state --------------------------------------------------------------- */

static void state_init(state *s, int32_t nt)
{
    memset(s, 0, sizeof(*s));
    s->av = xrealloc(NULL, sizeof(int32_t) * (size_t)(nt ? nt : 1));
}

static void state_free(state *s)
{
    free(s->sp);
    free(s->av);
    free(s->bu);
    free(s->pb);
    memset(s, 0, sizeof(*s));
}

static void sp_reserve(state *s, int32_t n)
{
    if (n <= s->capsp)
        return;
    int32_t cap = s->capsp ? s->capsp : 64;
    while (cap < n)
        cap *= 2;
    s->sp = xrealloc(s->sp, sizeof(space) * (size_t)cap);
    s->capsp = cap;
}

static void bu_reserve(state *s, int32_t n)
{
    if (n <= s->capbu)
        return;
    int32_t cap = s->capbu ? s->capbu : 16;
    while (cap < n)
        cap *= 2;
    s->bu = xrealloc(s->bu, sizeof(budget) * (size_t)cap);
    s->capbu = cap;
}

static void pb_reserve(state *s, int32_t n)
{
    if (n <= s->cappb)
        return;
    int32_t cap = s->cappb ? s->cappb : 64;
    while (cap < n)
        cap *= 2;
    s->pb = xrealloc(s->pb, sizeof(pblk) * (size_t)cap);
    s->cappb = cap;
}

static void state_copy(state *d, const state *s, int32_t nt)
{
    sp_reserve(d, s->nsp + 1);
    if (s->nsp > 0)
        memcpy(d->sp, s->sp, sizeof(space) * (size_t)s->nsp);
    d->nsp = s->nsp;
    memcpy(d->av, s->av, sizeof(int32_t) * (size_t)nt);
    bu_reserve(d, s->nbu + 1);
    if (s->nbu > 0)
        memcpy(d->bu, s->bu, sizeof(budget) * (size_t)s->nbu);
    d->nbu = s->nbu;
    pb_reserve(d, s->npb + 1);
    if (s->npb > 0)
        memcpy(d->pb, s->pb, sizeof(pblk) * (size_t)s->npb);
    d->npb = s->npb;
    d->vol = s->vol;
    d->weight = s->weight;
    d->grp = s->grp;
}

/* ---- spaces ------------------------------------------------------------------ */

static bool sp_inside(const space *a, const space *b) /* a within b */
{
    return a->x >= b->x && a->y >= b->y && a->z >= b->z && a->x + a->dx <= b->x + b->dx &&
           a->y + a->dy <= b->y + b->dy && a->z + a->dz <= b->z + b->dz;
}

/* b may stand for a: a within b, and b's load limit no stricter */
static bool sp_covers(const space *b, const space *a)
{
    return (b->budget == a->budget || b->budget < 0) && sp_inside(a, b);
}

static void nw_push(ctx *x, int32_t *n, int32_t X, int32_t Y, int32_t Z, int32_t dx, int32_t dy,
                    int32_t dz, int32_t budget_ix, int32_t skip)
{
    if (dx < x->mind || dy < x->mind || dz < x->mind)
        return;
    if (*n == x->capnw) {
        x->capnw = x->capnw ? x->capnw * 2 : 64;
        x->nw = xrealloc(x->nw, sizeof(space) * (size_t)x->capnw);
    }
    x->nw[(*n)++] = (space){X, Y, Z, dx, dy, dz, budget_ix, skip};
}

static int32_t imax(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static int32_t imin(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

/* Joins the new space at index k of x->nw with the spaces whose floor lies
 * at the same height and touches it along x or y: the common part of the two
 * floors, stretched over both, is fully supported and free up to the lower
 * of the two ceilings. */
static void join_floors(ctx *x, const state *s, int32_t *n, int32_t k)
{
    int32_t lim = s->nsp + *n;
    for (int32_t i = 0; i < lim; i++) {
        const space *t = i < s->nsp ? &s->sp[i] : &x->nw[i - s->nsp];
        if (i - s->nsp == k || (i < s->nsp && x->dead[i]))
            continue;
        space nsp = x->nw[k]; /* copied: nw may move */
        if (t->z != nsp.z || t->budget != -1 || nsp.budget != -1)
            continue;
        if (t->x + t->dx == nsp.x || nsp.x + nsp.dx == t->x) {
            int32_t lo = imax(t->y, nsp.y), hi = imin(t->y + t->dy, nsp.y + nsp.dy);
            if (hi - lo >= x->mind)
                nw_push(x, n, imin(t->x, nsp.x), lo, nsp.z, t->dx + nsp.dx, hi - lo,
                        imin(t->dz, nsp.dz), -1, -1);
        } else if (t->y + t->dy == nsp.y || nsp.y + nsp.dy == t->y) {
            int32_t lo = imax(t->x, nsp.x), hi = imin(t->x + t->dx, nsp.x + nsp.dx);
            if (hi - lo >= x->mind)
                nw_push(x, n, lo, imin(t->y, nsp.y), nsp.z, hi - lo, t->dy + nsp.dy,
                        imin(t->dz, nsp.dz), -1, -1);
        }
    }
}

/* ---- fitting and placing ---------------------------------------------------- */

static int64_t budget_room(const state *s, int32_t b)
{
    int64_t room = INF_W;
    for (; b >= 0; b = s->bu[b].parent)
        if (s->bu[b].rem < room)
            room = s->bu[b].rem;
    return room;
}

static bool fits(const ctx *x, const state *s, const space *sp, const blk *b)
{
    if (b->d[0] > sp->dx || b->d[1] > sp->dy || b->d[2] > sp->dz)
        return false;
    if (b->group != s->grp)
        return false;
    for (int32_t i = 0; i < b->np; i++)
        if (s->av[b->parts[i].t] < b->parts[i].n)
            return false;
    if (x->c->max_weight_g != INF_W && s->weight + b->weight > x->c->max_weight_g)
        return false;
    if (sp->budget >= 0 && b->weight > budget_room(s, sp->budget))
        return false;
    return true;
}

static void ensure_drop(ctx *x, int32_t n)
{
    if (n > x->capdrop) {
        x->capdrop = n * 2;
        x->drop = xrealloc(x->drop, (size_t)x->capdrop);
    }
}

static void ensure_dead(ctx *x, int32_t n)
{
    if (n > x->capdead) {
        x->capdead = n * 2;
        x->dead = xrealloc(x->dead, (size_t)x->capdead);
    }
}

/* Places block bi into the anchor corner (bit 0: front, bit 1: right) of
 * space si of s (which it must fit) and updates the spaces. */
static void place(ctx *x, state *s, int32_t si, int corner, int32_t bi)
{
    const blk *b = &x->bl[bi];
    space sp = s->sp[si];
    int32_t bx = (corner & 1) ? sp.x + sp.dx - b->d[0] : sp.x;
    int32_t by = (corner & 2) ? sp.y + sp.dy - b->d[1] : sp.y;
    int32_t bz = sp.z;
    pb_reserve(s, s->npb + 1);
    s->pb[s->npb++] = (pblk){bi, bx, by, bz};
    for (int32_t i = 0; i < b->np; i++)
        s->av[b->parts[i].t] -= b->parts[i].n;
    s->vol += b->vol;
    s->weight += b->weight;
    for (int32_t k = sp.budget; k >= 0; k = s->bu[k].parent)
        s->bu[k].rem -= b->weight;
    int32_t above_budget = sp.budget;
    if (b->top_cap != INF_W) {
        bu_reserve(s, s->nbu + 1);
        s->bu[s->nbu] = (budget){b->top_cap, sp.budget};
        above_budget = s->nbu++;
    }

    const int32_t x0 = bx, y0 = by, z0 = bz;
    const int32_t x1 = bx + b->d[0], y1 = by + b->d[1], z1 = bz + b->d[2];
    bool keep_above = !x->full && b->top_cap == INF_W;
    int32_t n = 0;
    ensure_dead(x, s->nsp);
    memset(x->dead, 0, (size_t)s->nsp);
    for (int32_t i = 0; i < s->nsp; i++) {
        const space *t = &s->sp[i];
        if (t->x >= x1 || t->x + t->dx <= x0 || t->y >= y1 || t->y + t->dy <= y0 || t->z >= z1 ||
            t->z + t->dz <= z0)
            continue;
        x->dead[i] = 1;
        space u = *t;
        if (x0 > u.x)
            nw_push(x, &n, u.x, u.y, u.z, x0 - u.x, u.dy, u.dz, u.budget, u.skip);
        if (x1 < u.x + u.dx)
            nw_push(x, &n, x1, u.y, u.z, u.x + u.dx - x1, u.dy, u.dz, u.budget, u.skip);
        if (y0 > u.y)
            nw_push(x, &n, u.x, u.y, u.z, u.dx, y0 - u.y, u.dz, u.budget, u.skip);
        if (y1 < u.y + u.dy)
            nw_push(x, &n, u.x, y1, u.z, u.dx, u.y + u.dy - y1, u.dz, u.budget, u.skip);
        if (z0 > u.z)
            nw_push(x, &n, u.x, u.y, u.z, u.dx, u.dy, z0 - u.z, u.budget, u.skip);
        if (keep_above && z1 < u.z + u.dz)
            nw_push(x, &n, u.x, u.y, z1, u.dx, u.dy, u.z + u.dz - z1, u.budget, u.skip);
    }
    if (!keep_above) {
        int32_t n0 = n;
        nw_push(x, &n, x0, y0, z1, x->full ? b->px : b->d[0], x->full ? b->py : b->d[1],
                sp.z + sp.dz - z1, above_budget, -1);
        if (n > n0 && x->full)
            join_floors(x, s, &n, n0);
    }
    /* keep the maximal ones: drop new spaces inside a surviving or another
     * new space, then old spaces inside a new one */
    ensure_drop(x, n);
    for (int32_t i = 0; i < n; i++) {
        const space *a = &x->nw[i];
        bool in = false;
        for (int32_t j = 0; j < s->nsp && !in; j++)
            in = !x->dead[j] && sp_covers(&s->sp[j], a);
        for (int32_t j = 0; j < n && !in; j++)
            if (j != i && sp_covers(&x->nw[j], a))
                in = !sp_covers(a, &x->nw[j]) || j < i; /* equal twins: keep the first */
        x->drop[i] = in;
    }
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++)
        if (!x->drop[i])
            x->nw[m++] = x->nw[i];
    n = m;
    int32_t k = 0;
    for (int32_t i = 0; i < s->nsp; i++) {
        if (x->dead[i])
            continue;
        bool in = false;
        for (int32_t j = 0; j < n && !in; j++)
            in = sp_covers(&x->nw[j], &s->sp[i]);
        if (!in)
            s->sp[k++] = s->sp[i];
    }
    s->nsp = k;
    sp_reserve(s, k + n + 1);
    if (n > 0) /* x->nw may be NULL while nothing new was made */
        memcpy(s->sp + k, x->nw, sizeof(space) * (size_t)n);
    s->nsp += n;
}

static bool group_left(const ctx *x, const state *s)
{
    for (int32_t t = 0; t < x->nt; t++)
        if (x->tgroup[t] == s->grp && s->av[t] > 0)
            return true;
    return false;
}

/* Lexicographic comparison of sorted distance triples. */
static int cmp3(const int32_t *a, const int32_t *b)
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void sort3(int32_t *v)
{
    int32_t t;
    if (v[0] > v[1]) { t = v[0]; v[0] = v[1]; v[1] = t; }
    if (v[1] > v[2]) { t = v[1]; v[1] = v[2]; v[2] = t; }
    if (v[0] > v[1]) { t = v[0]; v[0] = v[1]; v[1] = t; }
}

/* The space to fill next for the current group and its anchor corner;
 * -1 when none is left. Rule 0: the anchor corner nearest a container
 * corner (sorted distance triples), ties to the larger space. Rule 1: walls
 * from the back, the back corner with the least x, then z, then distance
 * to a side wall. */
static int32_t select_space(const ctx *x, const state *s, int *corner)
{
    int32_t best = -1, bd[3] = {0, 0, 0};
    int64_t bv = 0;
    for (int32_t i = 0; i < s->nsp; i++) {
        const space *t = &s->sp[i];
        if (t->skip == s->grp)
            continue;
        int64_t v = (int64_t)t->dx * t->dy * t->dz;
        for (int c = 0; c < 4; c++) {
            int32_t d[3] = {(c & 1) ? x->c->l - t->x - t->dx : t->x,
                            (c & 2) ? x->c->w - t->y - t->dy : t->y, t->z};
            if (x->sel == 0) {
                sort3(d);
            } else {
                if (c & 1)
                    continue;
                int32_t dy = d[1];
                d[1] = d[2];
                d[2] = dy;
            }
            int r = best < 0 ? -1 : cmp3(d, bd);
            if (r < 0 || (r == 0 && v > bv)) {
                best = i;
                memcpy(bd, d, sizeof(bd));
                bv = v;
                *corner = c;
            }
        }
    }
    return best;
}

/* Some carton of the current group left takes space sp in some orientation. */
static bool some_type_fits(const ctx *x, const state *s, const space *sp)
{
    for (int32_t t = 0; t < x->nt; t++) {
        if (s->av[t] <= 0 || x->tgroup[t] != s->grp)
            continue;
        for (int32_t o = 0; o < x->notd[t]; o++)
            if (x->otd[t][o][0] <= sp->dx && x->otd[t][o][1] <= sp->dy &&
                x->otd[t][o][2] <= sp->dz)
                return true;
    }
    return false;
}

/* Collects up to w fitting blocks for space si, best rank first. */
static int32_t candidates(const ctx *x, const state *s, int32_t si, int32_t *out, int32_t w)
{
    const space *sp = &s->sp[si];
    if (!some_type_fits(x, s, sp))
        return 0;
    /* skip the leading blocks whose bounding boxes are all larger than sp */
    int64_t v = (int64_t)sp->dx * sp->dy * sp->dz;
    int32_t lo = 0, hi = x->nb;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (x->pmin[mid] > v)
            lo = mid + 1;
        else
            hi = mid;
    }
    int32_t n = 0;
    if (x->alive != NULL) {
        /* greedy: only the rank positions still alive, from lo on */
        int32_t a = 0, b = x->nalive;
        while (a < b) {
            int32_t mid = (a + b) / 2;
            if (x->alive[mid] < lo)
                a = mid + 1;
            else
                b = mid;
        }
        for (int32_t k = a; k < x->nalive && n < w; k++) {
            int32_t i = x->alive[k];
            if (x->rd[i][0] <= sp->dx && x->rd[i][1] <= sp->dy && x->rd[i][2] <= sp->dz &&
                (x->rsimple[i] || !x->simple_only) && fits(x, s, sp, &x->bl[x->order[i]]))
                out[n++] = x->order[i];
        }
        return n;
    }
    for (int32_t i = lo; i < x->nb && n < w; i++)
        if (x->rd[i][0] <= sp->dx && x->rd[i][1] <= sp->dy && x->rd[i][2] <= sp->dz &&
            (x->rsimple[i] || !x->simple_only) && fits(x, s, sp, &x->bl[x->order[i]]))
            out[n++] = x->order[i];
    return n;
}

/* Keeps in x->alive the rank positions of blocks s can still afford. */
static void prune_alive(ctx *x, const state *s)
{
    int32_t m = 0;
    for (int32_t k = 0; k < x->nalive; k++) {
        int32_t i = x->alive[k];
        bool ok = !x->simple_only || x->rsimple[i];
        for (int32_t j = x->rpo[i]; j < x->rpo[i + 1] && ok; j++)
            ok = s->av[x->rpv[j].t] >= x->rpv[j].n;
        if (ok)
            x->alive[m++] = i;
    }
    x->nalive = m;
}

/* Finds the next space to fill and up to w blocks for it, dropping (or
 * keeping for a later group) spaces nothing fits and moving on to the next
 * group when the current one is done. Returns the number of candidates; 0
 * when the packing is finished. */
static int32_t next_step(ctx *x, state *s, int32_t *si, int *corner, int32_t *cand, int32_t w)
{
    for (;;) {
        int32_t i = -1;
        if (group_left(x, s))
            i = select_space(x, s, corner);
        if (i < 0) {
            if (s->grp + 1 >= x->ngroups)
                return 0;
            s->grp++;
            continue;
        }
        int32_t n = candidates(x, s, i, cand, w);
        if (n > 0) {
            *si = i;
            return n;
        }
        if (s->grp + 1 >= x->ngroups)
            s->sp[i] = s->sp[--s->nsp];
        else
            s->sp[i].skip = s->grp;
    }
}

static void record(ctx *x, const state *s)
{
    if (s->vol > x->best_vol) {
        x->best_vol = s->vol;
        state_copy(&x->best, s, x->nt);
    }
}

/* Completes s greedily (best-ranked fitting block each time). */
static void greedy(ctx *x, state *s)
{
    int32_t bi, si;
    int corner;
    /* the blocks s can no longer afford are dropped from the scan, at the
     * start and every 16 blocks (availability only falls) */
    x->alive = x->alive_buf;
    x->nalive = x->nb;
    for (int32_t i = 0; i < x->nb; i++)
        x->alive[i] = i;
    prune_alive(x, s);
    int32_t placed = 0;
    /* a step costs a scan of the spaces and the blocks left: the clock is
     * read at every one, so no completion outlives the deadline by more
     * than a step */
    while (!time_up(x) && next_step(x, s, &si, &corner, &bi, 1) == 1) {
        place(x, s, si, corner, bi);
        if (++placed % 16 == 0)
            prune_alive(x, s);
    }
    x->alive = NULL;
    record(x, s);
}

/* Best volume reachable from s: try the w best blocks for the next space,
 * recurse depth - 1 levels, complete greedily at the leaves. s is not
 * modified; lv[depth] is scratch for this level. */
static int64_t evaluate(ctx *x, const state *s, int32_t depth, int32_t w)
{
    state *t = &x->lv[depth];
    state_copy(t, s, x->nt);
    if (depth == 0) {
        greedy(x, t);
        return t->vol;
    }
    int32_t cand[MAX_WIDTH], si;
    int corner;
    int32_t n = next_step(x, t, &si, &corner, cand, w);
    if (n == 0) {
        record(x, t);
        return t->vol;
    }
    int64_t best = -1;
    state *c = &x->lvc[depth];
    for (int32_t i = 0; i < n && !time_up(x); i++) {
        state_copy(c, t, x->nt);
        place(x, c, si, corner, cand[i]);
        int64_t v = evaluate(x, c, depth - 1, w);
        if (v > best)
            best = v;
    }
    return best;
}

/* One pass of the tree search: from the initial state, at each step take
 * the block whose subtree (depth d, width w) reaches the most volume. */
static void lookahead(ctx *x, const state *init, int32_t w, int32_t d)
{
    int32_t cand[MAX_WIDTH], si;
    int corner;
    state *cur = &x->cur, *trial = &x->trial;
    state_copy(cur, init, x->nt);
    for (;;) {
        int32_t n = next_step(x, cur, &si, &corner, cand, w);
        if (n == 0)
            break;
        int32_t pick = cand[0];
        if (n > 1) {
            int64_t best = -1;
            for (int32_t i = 0; i < n; i++) {
                state_copy(trial, cur, x->nt);
                place(x, trial, si, corner, cand[i]);
                int64_t v = evaluate(x, trial, d - 1, w);
                if (v > best) {
                    best = v;
                    pick = cand[i];
                }
                if (time_up(x))
                    break;
            }
        }
        if (time_up(x))
            break;
        place(x, cur, si, corner, pick);
    }
    record(x, cur);
}

/* ---- blocks ----------------------------------------------------------------- */

static int32_t add_block(ctx *x, const blk *b)
{
    if (x->nb == x->capb) {
        x->capb = x->capb ? x->capb * 2 : 1024;
        x->bl = xrealloc(x->bl, sizeof(blk) * (size_t)x->capb);
    }
    x->bl[x->nb] = *b;
    return x->nb++;
}

/* One simple block of a line before it is built: orientation and counts. */
typedef struct srec {
    int64_t vol;
    int32_t o, n[3];
} srec;

static int cmp_srec_vol(const void *a, const void *b)
{
    const srec *p = a, *q = b;
    if (p->vol != q->vol)
        return p->vol > q->vol ? -1 : 1;
    return p->o != q->o ? (p->o < q->o ? -1 : 1) : memcmp(p->n, q->n, sizeof(p->n));
}

/* The simple blocks of local type t in generation order (orientation, then
 * nz, ny, nx), into out (NULL: only counted); od[] gets the distinct allowed
 * orientations, *nod their count. */
static int32_t simple_of(const ctx *x, int32_t t, int32_t avail, srec *out, int32_t od[6][3],
                         int *nod)
{
    static const int perm[6][3] = {{0, 1, 2}, {1, 0, 2}, {0, 2, 1}, {2, 0, 1}, {1, 2, 0}, {2, 1, 0}};
    const hc_loading_container *c = x->c;
    const hc_loading_carton *k = &x->p->cartons[x->tcarton[t]];
    int32_t n = 0;
    *nod = 0;
    for (int o = 0; o < 6; o++) {
        int32_t d[3] = {k->dims[perm[o][0]], k->dims[perm[o][1]], k->dims[perm[o][2]]};
        if (!k->vertical_ok[perm[o][2]])
            continue;
        bool dup = false;
        for (int j = 0; j < *nod; j++)
            if (od[j][0] == d[0] && od[j][1] == d[1] && od[j][2] == d[2])
                dup = true;
        if (dup)
            continue;
        int oi = (*nod)++;
        memcpy(od[oi], d, sizeof(d));
        if (d[0] > c->l || d[1] > c->w || d[2] > c->h)
            continue;
        for (int32_t nz = 1; nz * d[2] <= c->h && nz <= avail; nz++) {
            if (k->max_load_g != INF_W && (int64_t)(nz - 1) * k->weight_g > k->max_load_g)
                break;
            for (int32_t ny = 1; ny * d[1] <= c->w && ny * nz <= avail; ny++)
                for (int32_t nx = 1; nx * d[0] <= c->l && nx * ny * nz <= avail; nx++) {
                    int64_t cnt = (int64_t)nx * ny * nz;
                    if (c->max_weight_g != INF_W && cnt * k->weight_g > c->max_weight_g)
                        continue;
                    if (out != NULL)
                        out[n] = (srec){(int64_t)nx * d[0] * ny * d[1] * nz * d[2], oi,
                                        {nx, ny, nz}};
                    n++;
                }
        }
    }
    return n;
}

/* Simple blocks of every local type in every allowed orientation. With many
 * carton lines there would be hundreds of thousands (every nx * ny * nz up
 * to the line's qty), more than a search could look at in its time and
 * costly to build: over MAX_BLOCKS in all, each line keeps its single
 * cartons (one per orientation, so every gap a carton fits stays fillable)
 * and its largest blocks, MAX_SIMPLE / lines (at least 12) in all. Blocks
 * are added in generation order either way. */
static void simple_blocks(ctx *x, const int32_t *avail)
{
    int32_t od[6][3];
    int nod;
    int64_t total = 0;
    for (int32_t t = 0; t < x->nt && total <= MAX_BLOCKS; t++)
        total += simple_of(x, t, avail[t], NULL, od, &nod);
    int32_t per_type = INT32_MAX;
    if (total > MAX_BLOCKS) {
        per_type = MAX_SIMPLE / (x->nt ? x->nt : 1);
        if (per_type < 12)
            per_type = 12;
    }
    srec *r = NULL, *sorted = NULL;
    char *keep = NULL;
    int32_t capr = 0;
    for (int32_t t = 0; t < x->nt; t++) {
        const hc_loading_carton *k = &x->p->cartons[x->tcarton[t]];
        int32_t n = simple_of(x, t, avail[t], NULL, od, &nod);
        if (n > capr) {
            capr = n * 2;
            r = xrealloc(r, sizeof(srec) * (size_t)capr);
            sorted = xrealloc(sorted, sizeof(srec) * (size_t)capr);
            keep = xrealloc(keep, (size_t)capr);
        }
        simple_of(x, t, avail[t], r, od, &nod);
        if (n > per_type) {
            /* singles, then the largest, marked in generation order */
            int32_t room = per_type;
            for (int32_t i = 0; i < n; i++) {
                keep[i] = r[i].n[0] * r[i].n[1] * r[i].n[2] == 1;
                room -= keep[i];
            }
            int32_t m = 0;
            for (int32_t i = 0; i < n; i++)
                if (!keep[i])
                    sorted[m++] = r[i];
            int64_t cut = INT64_MAX;
            if (room > 0 && m > 0 && room < 64) {
                /* the room largest by insertion: room is small, m is not */
                int32_t h = 0;
                for (int32_t i = 0; i < m; i++) {
                    if (h == room && sorted[i].vol <= sorted[h - 1].vol)
                        continue;
                    int32_t j = h < room ? h++ : h - 1;
                    srec v = sorted[i];
                    for (; j > 0 && sorted[j - 1].vol < v.vol; j--)
                        sorted[j] = sorted[j - 1];
                    sorted[j] = v;
                }
                cut = sorted[h - 1].vol;
            } else if (room > 0 && m > 0) {
                qsort(sorted, (size_t)m, sizeof(srec), cmp_srec_vol);
                cut = sorted[(room < m ? room : m) - 1].vol;
            }
            for (int32_t i = 0; i < n && room > 0; i++)
                if (!keep[i] && r[i].vol >= cut) {
                    keep[i] = 1;
                    room--;
                }
        } else if (n > 0) { /* keep is NULL until a type has a block */
            memset(keep, 1, (size_t)n);
        }
        for (int32_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            const int32_t *d = od[r[i].o];
            int32_t nx = r[i].n[0], ny = r[i].n[1], nz = r[i].n[2], cnt = nx * ny * nz;
            blk b = {0};
            b.d[0] = nx * d[0];
            b.d[1] = ny * d[1];
            b.d[2] = nz * d[2];
            b.px = b.d[0];
            b.py = b.d[1];
            b.vol = r[i].vol;
            b.weight = (int64_t)cnt * k->weight_g;
            b.top_cap = k->max_load_g == INF_W ? INF_W
                                                : k->max_load_g - (int64_t)(nz - 1) * k->weight_g;
            b.kind = -1;
            b.a = t;
            memcpy(b.od, d, sizeof(b.od));
            b.n[0] = nx;
            b.n[1] = ny;
            b.n[2] = nz;
            b.group = x->tgroup[t];
            b.np = 1;
            b.parts[0] = (part){t, cnt};
            add_block(x, &b);
        }
    }
    free(r);
    free(sorted);
    free(keep);
}

static int cmp_vol_desc(const void *a, const void *b, void *arg)
{
    const blk *bl = arg;
    const blk *p = &bl[*(const int32_t *)a], *q = &bl[*(const int32_t *)b];
    if (p->key != q->key)
        return p->key > q->key ? -1 : 1;
    /* deterministic tie-break: shallower first, then index */
    if (p->d[0] != q->d[0])
        return p->d[0] < q->d[0] ? -1 : 1;
    return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

/* Joins a and b along axis ax into *out; false if the result is not a
 * valid general block. */
static bool join(const ctx *x, const blk *a, const blk *b, int ax, const int32_t *avail, blk *out)
{
    const hc_loading_container *c = x->c;
    if (a->group != b->group)
        return false;
    blk g = {0};
    if (ax == 0) {
        if (a->d[2] != b->d[2])
            return false;
        g.d[0] = a->d[0] + b->d[0];
        g.d[1] = a->d[1] > b->d[1] ? a->d[1] : b->d[1];
        g.d[2] = a->d[2];
        /* the packing area must be one rectangle across both */
        if (a->px != a->d[0])
            return false;
        g.px = a->px + b->px;
        g.py = a->py < b->py ? a->py : b->py;
    } else if (ax == 1) {
        if (a->d[2] != b->d[2])
            return false;
        g.d[0] = a->d[0] > b->d[0] ? a->d[0] : b->d[0];
        g.d[1] = a->d[1] + b->d[1];
        g.d[2] = a->d[2];
        if (a->py != a->d[1])
            return false;
        g.px = a->px < b->px ? a->px : b->px;
        g.py = a->py + b->py;
    } else {
        bool full = x->p->support == HC_LOADING_SUPPORT_FULL;
        if (full ? (b->d[0] > a->px || b->d[1] > a->py) : (b->d[0] > a->d[0] || b->d[1] > a->d[1]))
            return false;
        if (b->weight > a->top_cap)
            return false;
        g.d[0] = a->d[0];
        g.d[1] = a->d[1];
        g.d[2] = a->d[2] + b->d[2];
        g.px = b->px;
        g.py = b->py;
    }
    if (g.d[0] > c->l || g.d[1] > c->w || g.d[2] > c->h)
        return false;
    g.vol = a->vol + b->vol;
    if ((double)g.vol < MIN_FILL * (double)g.d[0] * (double)g.d[1] * (double)g.d[2])
        return false;
    {
        double box = (double)g.d[0] * (double)g.d[1] * (double)g.d[2];
        double cv = (double)c->l * (double)c->w * (double)c->h;
        if (box - (double)g.vol > MAX_WASTE * cv)
            return false;
    }
    if (g.px < x->mind || g.py < x->mind) {
        /* too small a top to stack on: keep the block, nothing goes above */
        g.px = g.px < x->mind ? 0 : g.px;
        g.py = g.py < x->mind ? 0 : g.py;
    }
    g.weight = a->weight + b->weight;
    if (c->max_weight_g != INF_W && g.weight > c->max_weight_g)
        return false;
    if (ax == 2) {
        int64_t lower = a->top_cap == INF_W ? INF_W : a->top_cap - b->weight;
        g.top_cap = b->top_cap < lower ? b->top_cap : lower;
    } else {
        g.top_cap = a->top_cap < b->top_cap ? a->top_cap : b->top_cap;
    }
    g.kind = ax;
    g.group = a->group;
    /* merge part lists */
    g.np = a->np;
    memcpy(g.parts, a->parts, sizeof(part) * (size_t)a->np);
    for (int32_t i = 0; i < b->np; i++) {
        int32_t j;
        for (j = 0; j < g.np; j++)
            if (g.parts[j].t == b->parts[i].t)
                break;
        if (j == g.np) {
            if (g.np == MAX_PARTS)
                return false;
            g.parts[g.np++] = b->parts[i];
        } else {
            g.parts[j].n += b->parts[i].n;
        }
    }
    for (int32_t i = 0; i < g.np; i++)
        if (g.parts[i].n > avail[g.parts[i].t])
            return false;
    *out = g;
    return true;
}

static uint64_t blk_hash(const blk *b)
{
    int32_t v[5 + 2 * MAX_PARTS] = {b->d[0], b->d[1], b->d[2], b->px, b->py};
    int k = 5;
    /* parts as a multiset: order-insensitive sum of mixed values */
    uint64_t h = hc_hash64(v, sizeof(int32_t) * (size_t)k);
    for (int32_t i = 0; i < b->np; i++) {
        int32_t pv[2] = {b->parts[i].t, b->parts[i].n};
        h += hc_hash64(pv, sizeof(pv)) * 0x9E3779B97F4A7C15ull;
    }
    return h;
}

/* General blocks: repeatedly joins pairs of blocks until MAX_BLOCKS or the
 * time budget for generation. Duplicates (same box, area and content) are
 * dropped through a hash set. */
static void general_blocks(ctx *x, const int32_t *avail, int64_t gen_deadline)
{
    size_t hcap = 1;
    while (hcap < (size_t)MAX_BLOCKS * 4)
        hcap <<= 1;
    uint64_t *set = calloc(hcap, sizeof(uint64_t));
    if (set == NULL)
        abort();
    for (int32_t i = 0; i < x->nb; i++) {
        uint64_t h = blk_hash(&x->bl[i]) | 1;
        size_t j = h & (hcap - 1);
        while (set[j] != 0 && set[j] != h)
            j = (j + 1) & (hcap - 1);
        set[j] = h;
    }
    int32_t start = 0;
    for (int round = 0; round < 3 && x->nb < MAX_BLOCKS; round++) {
        int32_t end = x->nb;
        for (int32_t i = 0; i < end && x->nb < MAX_BLOCKS; i++) {
            for (int32_t j = (i < start ? start : 0); j < end && x->nb < MAX_BLOCKS; j++) {
                /* a clock read per 256 pairs (768 joins, some microseconds):
                 * the pairs are many, the budget is a share of the time */
                if ((j & 255) == 0 && hc_mono_ns() > gen_deadline)
                    goto done;
                for (int ax = 0; ax < 3; ax++) {
                    blk g;
                    if (!join(x, &x->bl[i], &x->bl[j], ax, avail, &g))
                        continue;
                    /* a join of two identical simple blocks of one line is already a simple block */
                    if (x->bl[i].kind == -1 && x->bl[j].kind == -1 && x->bl[i].a == x->bl[j].a &&
                        memcmp(x->bl[i].od, x->bl[j].od, sizeof(g.od)) == 0 &&
                        g.vol == (int64_t)g.d[0] * g.d[1] * g.d[2])
                        continue;
                    uint64_t h = blk_hash(&g) | 1;
                    size_t k = h & (hcap - 1);
                    while (set[k] != 0 && set[k] != h)
                        k = (k + 1) & (hcap - 1);
                    if (set[k] == h)
                        continue;
                    set[k] = h;
                    g.a = i;
                    g.b = j;
                    add_block(x, &g);
                }
            }
        }
        start = end;
    }
done:
    free(set);
}

static void rank_blocks(ctx *x, double noise)
{
    for (int32_t i = 0; i < x->nb; i++) {
        blk *b = &x->bl[i];
        double k = (double)b->vol;
        if (noise > 0) {
            double r = (double)(rng_next(&x->rng) >> 11) / 9007199254740992.0;
            k *= 1.0 + noise * (r - 0.5);
        }
        b->key = k;
        x->order[i] = i;
    }
    qsort_r(x->order, (size_t)x->nb, sizeof(int32_t), cmp_vol_desc, x->bl);
    x->rpo[0] = 0;
    for (int32_t i = 0; i < x->nb; i++) {
        const blk *b = &x->bl[x->order[i]];
        int64_t v = (int64_t)b->d[0] * b->d[1] * b->d[2];
        memcpy(x->rpv + x->rpo[i], b->parts, sizeof(part) * (size_t)b->np);
        x->rpo[i + 1] = x->rpo[i] + b->np;
        memcpy(x->rd[i], b->d, sizeof(x->rd[i]));
        x->rsimple[i] = b->kind == -1;
        x->pmin[i] = i > 0 && x->pmin[i - 1] < v ? x->pmin[i - 1] : v;
    }
}

/* ---- expanding blocks into placements ----------------------------------------- */

typedef struct outv {
    hc_loading_placement *v;
    size_t n, cap;
} outv;

static void emit(const ctx *x, int32_t bi, int32_t X, int32_t Y, int32_t Z, int32_t ci,
                 int32_t step, outv *o)
{
    const blk *b = &x->bl[bi];
    if (b->kind == -1) {
        for (int32_t ix = 0; ix < b->n[0]; ix++)
            for (int32_t iz = 0; iz < b->n[2]; iz++)
                for (int32_t iy = 0; iy < b->n[1]; iy++) {
                    if (o->n == o->cap) {
                        o->cap = o->cap ? o->cap * 2 : 256;
                        o->v = xrealloc(o->v, sizeof(*o->v) * o->cap);
                    }
                    o->v[o->n++] = (hc_loading_placement){
                        x->tcarton[b->a], ci, X + ix * b->od[0], Y + iy * b->od[1],
                        Z + iz * b->od[2], b->od[0], b->od[1], b->od[2], step};
                }
        return;
    }
    const blk *a = &x->bl[b->a];
    emit(x, b->a, X, Y, Z, ci, step, o);
    int32_t off[3] = {0, 0, 0};
    off[b->kind] = a->d[b->kind];
    emit(x, b->b, X + off[0], Y + off[1], Z + off[2], ci, step, o);
}

/* ---- loading order ------------------------------------------------------------ */

/* Orders the blocks of s for the crew: groups in their order, within a group
 * from the back wall to the door (then bottom up, then left to right), every
 * block after the blocks it rests on. Writes block positions into ord. */
static void loading_order(const ctx *x, const state *s, int32_t *ord)
{
    int32_t n = s->npb;
    int32_t *need = xrealloc(NULL, sizeof(int32_t) * (size_t)(n + 1));
    char *done = calloc((size_t)n + 1, 1);
    if (done == NULL)
        abort();
    for (int32_t i = 0; i < n; i++) {
        const pblk *q = &s->pb[i];
        const blk *b = &x->bl[q->b];
        need[i] = 0;
        for (int32_t j = 0; j < n; j++) {
            const pblk *r = &s->pb[j];
            const blk *c = &x->bl[r->b];
            if (r->z + c->d[2] == q->z && r->x < q->x + b->d[0] && q->x < r->x + c->d[0] &&
                r->y < q->y + b->d[1] && q->y < r->y + c->d[1])
                need[i]++;
        }
    }
    for (int32_t k = 0; k < n; k++) {
        int32_t pick = -1;
        for (int32_t i = 0; i < n; i++) {
            if (done[i] || need[i] > 0)
                continue;
            if (pick < 0) {
                pick = i;
                continue;
            }
            const pblk *q = &s->pb[i], *r = &s->pb[pick];
            int32_t gq = x->bl[q->b].group, gr = x->bl[r->b].group;
            if (gq != gr ? gq < gr
                         : q->x != r->x ? q->x < r->x : q->z != r->z ? q->z < r->z : q->y < r->y)
                pick = i;
        }
        if (pick < 0)
            abort(); /* support is acyclic: cannot happen */
        done[pick] = 1;
        ord[k] = pick;
        const pblk *q = &s->pb[pick];
        const blk *b = &x->bl[q->b];
        for (int32_t j = 0; j < n; j++) {
            const pblk *r = &s->pb[j];
            const blk *c = &x->bl[r->b];
            if (!done[j] && q->z + b->d[2] == r->z && r->x < q->x + b->d[0] &&
                q->x < r->x + c->d[0] && r->y < q->y + b->d[1] && q->y < r->y + c->d[1])
                need[j]--;
        }
    }
    free(need);
    free(done);
}

/* ---- one container ------------------------------------------------------------ */

/* Packs container ci with what avail (per carton line) still holds: the
 * search ends at deadline, the first greedy packing (the answer when there
 * is no time to search) at hard; appends placements to o (steps from 0,
 * one per block) and decrements avail. */
static void solve_container(const hc_loading_problem *p, int32_t ci, int32_t *avail,
                            int64_t deadline, int64_t hard, outv *o)
{
    ctx x;
    memset(&x, 0, sizeof(x));
    x.p = p;
    x.c = &p->containers[ci];
    x.full = p->support == HC_LOADING_SUPPORT_FULL;
    x.deadline_ns = deadline;
    x.rng = p->seed ^ 0x5DEECE66Dull ^ ((uint64_t)ci << 32);
    x.tcarton = xrealloc(NULL, sizeof(int32_t) * (p->n_cartons + 1));
    x.tgroup = xrealloc(NULL, sizeof(int32_t) * (p->n_cartons + 1));
    int32_t *lav = xrealloc(NULL, sizeof(int32_t) * (p->n_cartons + 1));
    x.mind = INT32_MAX;
    /* loading group: ungrouped first, then groups in reverse drop order */
    x.ngroups = p->n_groups > 0 ? (int32_t)p->n_groups + 1 : 1;
    for (size_t i = 0; i < p->n_cartons; i++) {
        if (avail[i] <= 0)
            continue;
        const hc_loading_carton *k = &p->cartons[i];
        x.tcarton[x.nt] = (int32_t)i;
        x.tgroup[x.nt] = (p->n_groups > 0 && k->group >= 0) ? (int32_t)p->n_groups - k->group : 0;
        lav[x.nt] = avail[i];
        for (int d = 0; d < 3; d++)
            if (k->dims[d] < x.mind)
                x.mind = k->dims[d];
        x.nt++;
    }
    if (x.nt == 0)
        goto done;
    int64_t all_vol = 0; /* everything left: packing it all ends the search */
    for (int32_t t = 0; t < x.nt; t++) {
        const hc_loading_carton *k = &p->cartons[x.tcarton[t]];
        all_vol += (int64_t)lav[t] * k->dims[0] * k->dims[1] * k->dims[2];
    }
    int64_t now = hc_mono_ns();
    simple_blocks(&x, lav);
    int32_t nsimple = x.nb;
    /* general blocks: a fifth of the time, at most GEN_MAX_MS; more of
     * them help with many carton lines (measured at 3 s: 600 ms beat 200) */
    int64_t gen = (deadline - now) / 5;
    int64_t gcap = (int64_t)GEN_MAX_MS * 1000000;
    general_blocks(&x, lav, now + (gen < gcap ? gen : gcap));
    if (x.nb == 0)
        goto done;
    x.order = xrealloc(NULL, sizeof(int32_t) * (size_t)x.nb);
    x.pmin = xrealloc(NULL, sizeof(int64_t) * (size_t)x.nb);
    x.rd = xrealloc(NULL, sizeof(*x.rd) * (size_t)x.nb);
    x.rsimple = xrealloc(NULL, (size_t)x.nb);
    x.alive_buf = xrealloc(NULL, sizeof(int32_t) * (size_t)x.nb);
    x.rpo = xrealloc(NULL, sizeof(int32_t) * (size_t)(x.nb + 1));
    x.rpv = xrealloc(NULL, sizeof(part) * (size_t)x.nb * MAX_PARTS);
    x.otd = xrealloc(NULL, sizeof(*x.otd) * (size_t)x.nt);
    x.notd = xrealloc(NULL, sizeof(int32_t) * (size_t)x.nt);
    for (int32_t t = 0; t < x.nt; t++) {
        static const int perm[6][3] = {{0, 1, 2}, {1, 0, 2}, {0, 2, 1},
                                       {2, 0, 1}, {1, 2, 0}, {2, 1, 0}};
        const hc_loading_carton *k = &p->cartons[x.tcarton[t]];
        x.notd[t] = 0;
        for (int o = 0; o < 6; o++)
            if (k->vertical_ok[perm[o][2]]) {
                for (int d = 0; d < 3; d++)
                    x.otd[t][x.notd[t]][d] = k->dims[perm[o][d]];
                x.notd[t]++;
            }
    }
    rank_blocks(&x, 0.0);
    int64_t t_blocks = hc_mono_ns();

    state init;
    state_init(&init, x.nt);
    state_init(&x.best, x.nt);
    state_init(&x.cur, x.nt);
    state_init(&x.trial, x.nt);
    for (int i = 0; i < MAX_DEPTH; i++) {
        state_init(&x.lv[i], x.nt);
        state_init(&x.lvc[i], x.nt);
    }
    memcpy(init.av, lav, sizeof(int32_t) * (size_t)x.nt);
    init.grp = 0;
    sp_reserve(&init, 1);
    if (x.c->l >= x.mind && x.c->w >= x.mind && x.c->h >= x.mind)
        init.sp[init.nsp++] = (space){0, 0, 0, x.c->l, x.c->w, x.c->h, -1, -1};
    x.best_vol = -1;
    state g;
    state_init(&g, x.nt);
    state_copy(&g, &init, x.nt);
    x.deadline_ns = hard > deadline ? hard : deadline;
    greedy(&x, &g);
    state_free(&g);
    x.deadline_ns = deadline;
    x.timed_out = false;
    int64_t t_greedy = hc_mono_ns();

    /* effort schedule, after Zhu & Lim's iterative doubling: the effort e
     * (about w^d greedy completions per step) doubles; for each e the
     * widest w at depth 1, 2 and 3 within it, when it is new. After the
     * schedule, seeded perturbations of the ranking. */
    int32_t sched[96][2];
    size_t nsched = 0;
    {
        int32_t lastw[MAX_DEPTH + 1] = {1, 1, 1, 1, 1};
        for (int64_t e = 2; e <= (int64_t)MAX_WIDTH * MAX_WIDTH * MAX_WIDTH * MAX_WIDTH &&
                            nsched < HC_ARRAY_LEN(sched) - 1;
             e *= 2)
            for (int32_t d = 1; d <= MAX_DEPTH; d++) {
                int32_t w = 1;
                for (;;) {
                    int64_t pw = 1;
                    for (int32_t k = 0; k < d; k++)
                        pw *= w + 1;
                    if (pw > e || w + 1 > MAX_WIDTH)
                        break;
                    w++;
                }
                if (w < 2 || w <= lastw[d])
                    continue;
                lastw[d] = w;
                sched[nsched][0] = w;
                sched[nsched][1] = d;
                nsched++;
            }
    }
    size_t si = 0;
    int round = 0;
    /* variants take turns at each effort level: all blocks with the anchor
     * corner rule; simple blocks only, when there are general blocks and
     * fewer than 60 carton lines (general blocks help with many lines and
     * may hurt with few); all blocks, walls from the back */
    bool two = x.nb > nsimple && x.nt < 60;
    int nmem = two ? 3 : 2;
    int mem = 0;
    while (!time_up(&x)) {
        int32_t w, d;
        x.simple_only = two && mem == 1;
        x.sel = mem == nmem - 1 ? 1 : 0;
        if (si < nsched) {
            w = sched[si][0];
            d = sched[si][1];
        } else {
            rank_blocks(&x, 0.1);
            w = 4 + (int32_t)(rng_next(&x.rng) % 6);
            d = 2;
        }
        lookahead(&x, &init, w, d);
        if (++mem == nmem) {
            mem = 0;
            si++;
        }
        round++;
        if (x.best_vol >= (int64_t)x.c->l * x.c->w * x.c->h || x.best_vol >= all_vol)
            break;
    }

    hc_log(HC_LOG_DEBUG,
           "loading: container %d: %d types, %d blocks (%d simple), %d search passes, best %.4f;"
           " ms: blocks %.1f, first greedy %.1f, all %.1f, over deadline %.1f",
           ci, x.nt, x.nb, nsimple, round, (double)x.best_vol / ((double)x.c->l * x.c->w * x.c->h),
           (t_blocks - now) / 1e6, (t_greedy - t_blocks) / 1e6, (hc_mono_ns() - now) / 1e6,
           (hc_mono_ns() - deadline) / 1e6);
    int32_t *ord = xrealloc(NULL, sizeof(int32_t) * (size_t)(x.best.npb + 1));
    loading_order(&x, &x.best, ord);
    for (int32_t i = 0; i < x.best.npb; i++) {
        const pblk *q = &x.best.pb[ord[i]];
        emit(&x, q->b, q->x, q->y, q->z, ci, i, o);
        const blk *b = &x.bl[q->b];
        for (int32_t j = 0; j < b->np; j++)
            avail[x.tcarton[b->parts[j].t]] -= b->parts[j].n;
    }
    free(ord);
    state_free(&init);
    state_free(&x.best);
    state_free(&x.cur);
    state_free(&x.trial);
    for (int i = 0; i < MAX_DEPTH; i++) {
        state_free(&x.lv[i]);
        state_free(&x.lvc[i]);
    }
done:
    free(x.nw);
    free(x.dead);
    free(x.drop);
    free(x.order);
    free(x.pmin);
    free(x.rd);
    free(x.rsimple);
    free(x.alive_buf);
    free(x.rpo);
    free(x.rpv);
    free(x.otd);
    free(x.notd);
    free(x.bl);
    free(x.tcarton);
    free(x.tgroup);
    free(lav);
}

/* ---- public ------------------------------------------------------------------- */

int hc_loading_validate(const hc_loading_problem *p, hc_err *err)
{
    char f[HC_ERR_FIELD_MAX];
    if (p->n_containers < 1 || p->n_containers > 4096)
        return hc_err_set(err, HC_EINVAL, "containers", "between 1 and 4096 containers");
    if (p->n_cartons < 1 || p->n_cartons > 100000)
        return hc_err_set(err, HC_EINVAL, "cartons", "between 1 and 100000 carton lines");
    for (size_t i = 0; i < p->n_containers; i++) {
        const hc_loading_container *c = &p->containers[i];
        snprintf(f, sizeof(f), "containers[%zu].dims_mm", i);
        if (c->l < 1 || c->w < 1 || c->h < 1 || c->l > HC_LOADING_DIM_MAX ||
            c->w > HC_LOADING_DIM_MAX || c->h > HC_LOADING_DIM_MAX)
            return hc_err_set(err, HC_EINVAL, f, "each side must be 1..%d", HC_LOADING_DIM_MAX);
        snprintf(f, sizeof(f), "containers[%zu].max_weight_g", i);
        if (c->max_weight_g < 0)
            return hc_err_set(err, HC_EINVAL, f, "must be >= 0");
    }
    int64_t total = 0;
    for (size_t i = 0; i < p->n_cartons; i++) {
        const hc_loading_carton *k = &p->cartons[i];
        snprintf(f, sizeof(f), "cartons[%zu].dims_mm", i);
        for (int d = 0; d < 3; d++)
            if (k->dims[d] < 1 || k->dims[d] > HC_LOADING_DIM_MAX)
                return hc_err_set(err, HC_EINVAL, f, "each side must be 1..%d",
                                  HC_LOADING_DIM_MAX);
        snprintf(f, sizeof(f), "cartons[%zu].qty", i);
        if (k->qty < 1 || k->qty > 1000000)
            return hc_err_set(err, HC_EINVAL, f, "must be 1..1000000");
        total += k->qty;
        snprintf(f, sizeof(f), "cartons[%zu].weight_g", i);
        if (k->weight_g < 0 || k->weight_g > 100000000)
            return hc_err_set(err, HC_EINVAL, f, "must be 0..100000000");
        snprintf(f, sizeof(f), "cartons[%zu].max_load_g", i);
        if (k->max_load_g < 0)
            return hc_err_set(err, HC_EINVAL, f, "must be >= 0");
        snprintf(f, sizeof(f), "cartons[%zu].vertical_ok", i);
        if (!k->vertical_ok[0] && !k->vertical_ok[1] && !k->vertical_ok[2])
            return hc_err_set(err, HC_EINVAL, f, "at least one side must be allowed vertical");
        snprintf(f, sizeof(f), "cartons[%zu].group", i);
        if (k->group < -1 || (k->group >= 0 && (size_t)k->group >= p->n_groups))
            return hc_err_set(err, HC_EINVAL, f, "unknown group");
    }
    if (total > 1000000)
        return hc_err_set(err, HC_EINVAL, "cartons", "total qty over 1000000");
    if (p->support != HC_LOADING_SUPPORT_FULL && p->support != HC_LOADING_SUPPORT_NONE)
        return hc_err_set(err, HC_EINVAL, "options.support", "must be full or none");
    if (p->time_limit_ms < 1 || p->time_limit_ms > 3600000)
        return hc_err_set(err, HC_EINVAL, "options.time_limit_ms", "must be 1..3600000");
    return HC_OK;
}

void hc_loading_plan_free(hc_loading_plan *plan)
{
    if (plan == NULL)
        return;
    free(plan->placements);
    free(plan->stats);
    free(plan->unplaced);
    memset(plan, 0, sizeof(*plan));
}

static void fill_stats(const hc_loading_problem *p, hc_loading_plan *plan)
{
    int64_t vol_used = 0, vol_cap = 0, w_used = 0, w_cap = 0;
    for (size_t i = 0; i < plan->n_placements; i++) {
        const hc_loading_placement *q = &plan->placements[i];
        hc_loading_container_stats *s = &plan->stats[q->container];
        int64_t v = (int64_t)q->dx * q->dy * q->dz;
        int64_t w = p->cartons[q->carton].weight_g;
        s->n_placed++;
        s->volume += v;
        s->weight_g += w;
        if (q->step + 1 > s->n_steps)
            s->n_steps = q->step + 1;
        /* weigh by mass; fall back to volume below if the container carries no mass */
        s->cog[0] += (double)w * (q->x + q->dx / 2.0);
        s->cog[1] += (double)w * (q->y + q->dy / 2.0);
        s->cog[2] += (double)w * (q->z + q->dz / 2.0);
    }
    for (size_t c = 0; c < plan->n_containers; c++) {
        hc_loading_container_stats *s = &plan->stats[c];
        const hc_loading_container *k = &p->containers[c];
        if (s->n_placed == 0)
            continue;
        plan->n_used++;
        if (s->weight_g > 0) {
            for (int d = 0; d < 3; d++)
                s->cog[d] /= (double)s->weight_g;
        } else {
            memset(s->cog, 0, sizeof(s->cog));
            for (size_t i = 0; i < plan->n_placements; i++) {
                const hc_loading_placement *q = &plan->placements[i];
                if ((size_t)q->container != c)
                    continue;
                double v = (double)q->dx * q->dy * q->dz;
                s->cog[0] += v * (q->x + q->dx / 2.0);
                s->cog[1] += v * (q->y + q->dy / 2.0);
                s->cog[2] += v * (q->z + q->dz / 2.0);
            }
            for (int d = 0; d < 3; d++)
                s->cog[d] /= (double)s->volume;
        }
        int64_t cv = (int64_t)k->l * k->w * k->h;
        s->util_volume = (double)s->volume / (double)cv;
        vol_used += s->volume;
        vol_cap += cv;
        if (k->max_weight_g != INF_W && k->max_weight_g > 0) {
            s->util_weight = (double)s->weight_g / (double)k->max_weight_g;
            w_used += s->weight_g;
            w_cap += k->max_weight_g;
        }
    }
    plan->util_volume = vol_cap ? (double)vol_used / (double)vol_cap : 0;
    plan->util_weight = w_cap ? (double)w_used / (double)w_cap : 0;
}

void hc_loading_plan_stats(const hc_loading_problem *p, hc_loading_plan *plan)
{
    free(plan->stats);
    plan->n_containers = p->n_containers;
    plan->stats = calloc(p->n_containers, sizeof(*plan->stats));
    if (plan->stats == NULL)
        abort();
    plan->n_used = 0;
    fill_stats(p, plan);
}

int hc_loading_solve(const hc_loading_problem *p, hc_loading_plan *plan, hc_err *err)
{
    int rc = HC_OK;
    int64_t t0 = hc_mono_ns();
    int32_t *avail = NULL;
    outv o = {0};
    memset(plan, 0, sizeof(*plan));
    if ((rc = hc_loading_validate(p, err)) != HC_OK)
        goto fail;
    avail = xrealloc(NULL, sizeof(int32_t) * p->n_cartons);
    int64_t left_vol = 0;
    for (size_t i = 0; i < p->n_cartons; i++) {
        avail[i] = p->cartons[i].qty;
        left_vol += (int64_t)p->cartons[i].qty * p->cartons[i].dims[0] * p->cartons[i].dims[1] *
                    p->cartons[i].dims[2];
    }
    /* the search leaves time for what follows it, all of which grows with
     * the cartons placed: loading order, the checker, and the caller's JSON
     * and storage: a twentieth of the limit and POST_NS_PER_CARTON per carton,
     * at most half the limit */
    int64_t total_qty = 0;
    for (size_t i = 0; i < p->n_cartons; i++)
        total_qty += p->cartons[i].qty;
    int64_t limit_ns = p->time_limit_ms * 1000000;
    int64_t reserve = limit_ns / 20 + total_qty * POST_NS_PER_CARTON;
    if (reserve > limit_ns / 2)
        reserve = limit_ns / 2;
    int64_t end = t0 + limit_ns - reserve;
    for (size_t ci = 0; ci < p->n_containers && left_vol > 0; ci++) {
        const hc_loading_container *c = &p->containers[ci];
        int64_t cv = (int64_t)c->l * c->w * c->h;
        /* share the time among the containers still likely needed */
        int64_t need = (left_vol + cv - 1) / cv;
        int64_t more = (int64_t)(p->n_containers - ci);
        if (need > more)
            need = more;
        if (need < 1)
            need = 1;
        int64_t now = hc_mono_ns();
        if (now >= end) /* out of time: what is left stays unplaced */
            break;
        int64_t slice = (end - now) / need;
        if (slice < 0)
            slice = 0;
        size_t before = o.n;
        solve_container(p, (int32_t)ci, avail, now + slice, end, &o);
        for (size_t i = before; i < o.n; i++)
            left_vol -= (int64_t)o.v[i].dx * o.v[i].dy * o.v[i].dz;
    }
    plan->placements = o.v;
    plan->n_placements = o.n;
    o.v = NULL;
    plan->n_containers = p->n_containers;
    plan->stats = calloc(p->n_containers, sizeof(*plan->stats));
    plan->unplaced = calloc(p->n_cartons, sizeof(int32_t));
    if (plan->stats == NULL || plan->unplaced == NULL)
        abort();
    for (size_t i = 0; i < p->n_cartons; i++)
        plan->unplaced[i] = avail[i];
    fill_stats(p, plan);
    if ((rc = hc_loading_check(p, plan->placements, plan->n_placements, err)) != HC_OK) {
        hc_log(HC_LOG_ERROR, "loading: solver produced a plan the checker rejects: %s: %s",
               err ? err->field : "", err ? err->msg : "");
        if (err)
            err->code = HC_EINTERNAL;

        rc = HC_EINTERNAL;
        goto fail;
    }
    plan->elapsed_ms = (hc_mono_ns() - t0) / 1000000;
    goto done;
fail:
    hc_loading_plan_free(plan);
done:
    free(o.v);
    free(avail);
    return rc;
}

/* plan.c: the pure planners: putaway into bins, and walking routes. */
#include "warehouse.h"

#include <stdlib.h>
#include <string.h>

int64_t hc_bin_capacity(const struct hc_bin *b, const int64_t d[3], int64_t weight_g)
{
    static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    int64_t grid = 0;
    for (int p = 0; p < 6; p++) {
        int64_t n = 1;
        for (int k = 0; k < 3; k++)
            n *= b->dims_mm[k] / d[perm[p][k]];
        if (n > grid)
            grid = n;
    }
    if (grid == 0)
        return 0;
    int64_t unit = d[0] * d[1] * d[2];
    int64_t bin_volume = b->dims_mm[0] * b->dims_mm[1] * b->dims_mm[2];
    int64_t by_volume = (bin_volume - b->used_volume_mm3) / unit;
    int64_t used_slots = (b->used_volume_mm3 + unit - 1) / unit;
    int64_t by_grid = grid - used_slots;
    int64_t by_weight = weight_g > 0 ? (b->max_weight_g - b->used_weight_g) / weight_g : by_grid;
    int64_t cap = by_grid < by_volume ? by_grid : by_volume;
    if (by_weight < cap)
        cap = by_weight;
    return cap > 0 ? cap : 0;
}

static bool nearer(const struct hc_bin *a, const struct hc_bin *b)
{
    if (a->aisle != b->aisle)
        return a->aisle < b->aisle;
    if (a->bay != b->bay)
        return a->bay < b->bay;
    if (a->level != b->level)
        return a->level < b->level;
    return strcmp(a->code, b->code) < 0;
}

size_t hc_putaway_plan(struct hc_bin *bins, size_t nbins, const int64_t dims_mm[3],
                       int64_t weight_g, int64_t qty, struct hc_bin_alloc *out, int64_t *unplaced)
{
    size_t nout = 0;
    int64_t unit = dims_mm[0] * dims_mm[1] * dims_mm[2];
    while (qty > 0 && nout < nbins) {
        ptrdiff_t best = -1;
        int64_t best_cap = 0;
        for (size_t i = 0; i < nbins; i++) {
            int64_t cap = hc_bin_capacity(&bins[i], dims_mm, weight_g);
            if (cap <= 0)
                continue;
            if (best < 0) {
                best = (ptrdiff_t)i;
                best_cap = cap;
                continue;
            }
            const struct hc_bin *b = &bins[best], *c = &bins[i];
            bool better;
            bool c_empty = c->used_volume_mm3 == 0, b_empty = b->used_volume_mm3 == 0;
            if (c->holds_sku != b->holds_sku)
                better = c->holds_sku;
            else if (!c->holds_sku && c_empty != b_empty)
                better = c_empty; /* a SKU of its own per bin keeps picking simple */
            else if ((cap >= qty) != (best_cap >= qty))
                better = cap >= qty; /* one bin for the rest beats splitting */
            else if (cap >= qty && cap != best_cap)
                better = cap < best_cap; /* tightest fit keeps big bins free */
            else if (cap < qty && cap != best_cap)
                better = cap > best_cap; /* when splitting, fewest bins */
            else
                better = nearer(c, b);
            if (better) {
                best = (ptrdiff_t)i;
                best_cap = cap;
            }
        }
        if (best < 0)
            break;
        int64_t take = best_cap < qty ? best_cap : qty;
        struct hc_bin *b = &bins[best];
        b->used_volume_mm3 += take * unit;
        b->used_weight_g += take * weight_g;
        b->holds_sku = true;
        out[nout++] = (struct hc_bin_alloc){(size_t)best, take};
        qty -= take;
    }
    *unplaced = qty;
    return nout;
}

/* Aisles with picks, ascending, and for each the picks sorted by bay. */
struct aisle_group {
    int64_t aisle, max_bay, min_bay;
};

static int cmp_point(const void *a, const void *b, void *ctx)
{
    const struct hc_pick_point *pts = ctx;
    const struct hc_pick_point *x = &pts[*(const size_t *)a], *y = &pts[*(const size_t *)b];
    if (x->aisle != y->aisle)
        return x->aisle < y->aisle ? -1 : 1;
    if (x->bay != y->bay)
        return x->bay < y->bay ? -1 : 1;
    return 0;
}

static void sort_points(const struct hc_pick_point *pts, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof(*order), cmp_point, (void *)pts);
}

/* y of a bay's centre along the aisle, from the front cross aisle. */
static int64_t bay_y(const struct hc_layout *l, int64_t bay)
{
    if (bay < 1)
        bay = 1;
    return bay * l->bay_pitch_mm - l->bay_pitch_mm / 2;
}

static int64_t aisle_length(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n)
{
    int64_t bays = l->bays_per_aisle;
    for (size_t i = 0; i < n; i++)
        if (pts[i].bay > bays)
            bays = pts[i].bay;
    return bays * l->bay_pitch_mm;
}

static int64_t horizontal(const struct hc_layout *l, int64_t first, int64_t last)
{
    int64_t depot = l->depot_aisle;
    int64_t lo = first < depot ? first : depot, hi = last > depot ? last : depot;
    return 2 * (hi - lo) * l->aisle_pitch_mm;
}

int64_t hc_route_sshape(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order)
{
    if (n == 0)
        return 0;
    sort_points(pts, n, order);
    int64_t len = aisle_length(l, pts, n);
    size_t naisles = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || pts[order[i]].aisle != pts[order[i - 1]].aisle)
            naisles++;
    int64_t dist = horizontal(l, pts[order[0]].aisle, pts[order[n - 1]].aisle);
    size_t k = 0, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && pts[order[j]].aisle == pts[order[i]].aisle)
            j++;
        bool last = ++k == naisles;
        if (last && naisles % 2 == 1) {
            dist += 2 * bay_y(l, pts[order[j - 1]].bay); /* in and back out from the front */
        } else {
            dist += len;
            if (k % 2 == 0) /* walked back down: visit in descending bay order */
                for (size_t a = i, b = j - 1; a < b; a++, b--) {
                    size_t t = order[a];
                    order[a] = order[b];
                    order[b] = t;
                }
        }
        i = j;
    }
    return dist;
}

int64_t hc_route_return(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order)
{
    if (n == 0)
        return 0;
    sort_points(pts, n, order);
    int64_t dist = horizontal(l, pts[order[0]].aisle, pts[order[n - 1]].aisle);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pts[order[j]].aisle == pts[order[i]].aisle)
            j++;
        dist += 2 * bay_y(l, pts[order[j - 1]].bay);
        i = j;
    }
    return dist;
}

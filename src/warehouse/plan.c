/* plan.c: the pure putaway planner (walking routes: route.c). */
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
    return hc_putaway_plan_zone(bins, nbins, NULL, HC_VELOCITY_NONE, dims_mm, weight_g, qty, out,
                                unplaced);
}

size_t hc_putaway_plan_zone(struct hc_bin *bins, size_t nbins, const int64_t *costs,
                            enum hc_velocity v, const int64_t dims_mm[3], int64_t weight_g,
                            int64_t qty, struct hc_bin_alloc *out, int64_t *unplaced)
{
    /* fast SKUs near the depot, slow ones far (slotting.c); others as ever */
    int zone = costs == NULL ? 0 : v == HC_VELOCITY_FAST ? 1 : v == HC_VELOCITY_SLOW ? -1 : 0;
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
            else if (zone != 0 && costs[i] != costs[best])
                better = zone > 0 ? costs[i] < costs[best] : costs[i] > costs[best];
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

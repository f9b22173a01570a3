/* bench/slotting: time of the slotting planner (hc_slotting_plan) and the
 * walk it saves, on generated warehouses: A aisles x B bays x L levels of
 * equal bins, S SKUs with Pareto-like pick rates (a few fast, a long tail)
 * stocked in random bins, the depot at aisle 1.
 *
 *   build-rel/bench/slotting/slotting_bench [BINS SKUS MAX_MOVES SEED]
 *
 * With no arguments it runs the two sizes of bench/RESULTS.md ("Slotting"):
 * 960 bins / 300 SKUs and 20,000 bins / 5,000 SKUs, max_moves 50, 1000 and
 * unbounded, and prints one line per run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "warehouse/warehouse.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unit(void) { return (double)(next() >> 11) / 9007199254740992.0; }

/* u^(1/1.2) for u in (0, 1]: 1 / that is a Pareto(1.2) variate */
static double pow_approx(double u)
{
    return pow(u < 1e-4 ? 1e-4 : u, 1.0 / 1.2);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void run(size_t nbins, size_t nskus, size_t max_moves, uint64_t seed)
{
    rng = seed * 2654435761ULL + 1;
    /* about square: aisles x 3 m wide ~ bays x 1 m long, 4 levels */
    size_t levels = 4, aisles = 1;
    while (12 * aisles * aisles < nbins)
        aisles++;
    size_t bays = (nbins + aisles * levels - 1) / (aisles * levels);
    struct hc_slot_costs c = {3000, 1000, 1, 1, 2, 2000};
    struct hc_bin *bins = calloc(nbins, sizeof(*bins));
    char (*codes)[80] = calloc(nbins, sizeof(*codes));
    for (size_t i = 0; i < nbins; i++) {
        snprintf(codes[i], sizeof(codes[i]), "%zu-%zu-%zu", i / (bays * levels) + 1,
                 (i / levels) % bays + 1, i % levels + 1);
        bins[i] = (struct hc_bin){.code = codes[i],
                                  .dims_mm = {1200, 800, 1000},
                                  .max_weight_g = 500000,
                                  .aisle = (int64_t)(i / (bays * levels)) + 1,
                                  .bay = (int64_t)((i / levels) % bays) + 1,
                                  .level = (int64_t)(i % levels) + 1};
    }
    (void)aisles;
    /* SKUs into random distinct bins (a shuffled prefix) */
    size_t *perm = malloc(sizeof(*perm) * nbins);
    for (size_t i = 0; i < nbins; i++)
        perm[i] = i;
    for (size_t i = nbins - 1; i > 0; i--) {
        size_t j = next() % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    struct hc_slot_item *items = calloc(nskus, sizeof(*items));
    char (*names)[32] = calloc(nskus, sizeof(*names));
    double total = 0;
    for (size_t k = 0; k < nskus && k < nbins; k++) {
        snprintf(names[k], sizeof(names[k]), "K%05zu", k);
        int64_t side = 100 + (int64_t)(next() % 200);
        items[k] = (struct hc_slot_item){"S", names[k], 1 + (int64_t)(next() % 40),
                                         {side, side, side}, 200 + (int64_t)(next() % 2000),
                                         perm[k], 0};
        /* Pareto(1.2) rates: about 20 % of the SKUs carry 70-80 % of the lines */
        items[k].picks_per_day = 0.2 / pow_approx(unit());
        total += items[k].picks_per_day;
        int64_t v = side * side * side;
        bins[perm[k]].used_volume_mm3 = items[k].qty * v;
        bins[perm[k]].used_weight_g = items[k].qty * items[k].weight_g;
    }
    bool *usable = malloc(nbins);
    memset(usable, 1, nbins);
    struct hc_slot_move *mv = malloc(sizeof(*mv) * (max_moves ? max_moves : 1));
    double t0 = now_ms();
    size_t nm = hc_slotting_plan(&c, bins, nbins, usable, items, nskus, max_moves, mv);
    double t1 = now_ms();
    double before, after;
    hc_slotting_walk(&c, bins, items, nskus, mv, nm, &before, &after);
    printf("bins %6zu  skus %5zu  max_moves %6zu  moves %5zu  plan %8.1f ms  picks/day %8.0f"
           "  walk/pick %6.1f -> %6.1f m  saved %5.1f %%\n",
           nbins, nskus, max_moves, nm, t1 - t0, total, before / total / 1000.0,
           after / total / 1000.0, 100.0 * (before - after) / before);
    free(bins);
    free(codes);
    free(perm);
    free(items);
    free(names);
    free(usable);
    free(mv);
}

int main(int argc, char **argv)
{
    if (argc == 5) {
        run(strtoul(argv[1], NULL, 10), strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
            strtoul(argv[4], NULL, 10));
        return 0;
    }
    const size_t sizes[2][2] = {{960, 300}, {20000, 5000}};
    const size_t moves[3] = {50, 1000, 20000};
    for (int s = 0; s < 2; s++)
        for (int m = 0; m < 3; m++)
            run(sizes[s][0], sizes[s][1], moves[m], 1);
    return 0;
}

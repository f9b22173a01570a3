/* Transfer packing benchmark: the carton proposal (and pallets) for a
 * transfer of N lines, each a SKU of its own with sizes and weights drawn
 * from a fixed seed. Prints the wall time, the cartons against the lower
 * bound by volume and weight, and the pallets.
 *
 *   transfer_bench LINES [MAX_QTY] [LOADER_MS] */
#include "transfer/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rnd_state = 12345;
static int64_t rnd(int64_t lo, int64_t hi)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (int64_t)((rnd_state >> 33) % (uint64_t)(hi - lo + 1));
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 500;
    int64_t maxq = argc > 2 ? atol(argv[2]) : 40, ms = argc > 3 ? atol(argv[3]) : 0;
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_tr_unit *u = calloc(n, sizeof(*u));
    char (*names)[32] = calloc(n, 32);
    int64_t vol = 0, w = 0, units = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], 32, "SKU-%05zu", i);
        u[i] = (struct hc_tr_unit){.sku = names[i], .qty = rnd(1, maxq),
                                   .dims_mm = {rnd(60, 300), rnd(40, 200), rnd(20, 150)},
                                   .weight_g = rnd(50, 2500)};
        vol += u[i].dims_mm[0] * u[i].dims_mm[1] * u[i].dims_mm[2] * u[i].qty;
        w += u[i].weight_g * u[i].qty;
        units += u[i].qty;
    }
    struct hc_tr_pack_opts o = {.carton_mm = {600, 400, 400}, .carton_max_g = 22500,
                                .carton_tare_g = 500, .pallet_mm = {1200, 800, 1500},
                                .time_limit_ms = ms};
    struct hc_tr_proposal p;
    hc_err err = {0};
    double t0 = now_s();
    int rc = hc_tr_pack_propose(a, u, n, &o, &p, &err);
    double dt = now_s() - t0;
    if (rc != HC_OK) {
        fprintf(stderr, "propose: %s: %s\n", err.field, err.msg);
        return 1;
    }
    int64_t cv = 600LL * 400 * 400, lb_v = (vol + cv - 1) / cv, lb_w = (w + 21999) / 22000;
    printf("lines %zu units %lld: %zu cartons (lower bound %lld by volume, %lld by weight), "
           "%zu pallets, %.2f s\n",
           n, (long long)units, p.ncartons, (long long)lb_v, (long long)lb_w, p.npallets, dt);
    hc_arena_free(a);
    free(u);
    free(names);
    return p.units == units ? 0 : 1;
}

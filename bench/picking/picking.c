/* picking.c: route quality and speed of hc_route_plan (bench/RESULTS.md,
 * "Pick routes").
 *
 * Generated layouts (1, 2 and 3 blocks; 5-30 aisles of 30 bays, 3 m between
 * aisles, 1 m bays, middle cross aisles evenly spaced, depot in a random
 * aisle) and pick lists (5-60 picks, bins drawn uniformly). For each list
 * every policy's length is divided by the optimum; the optimum is checked
 * against a Held-Karp programme over exact aisle-graph distances (written
 * here, sharing no code with route.c) on every list of up to 12 picks.
 *
 *   picking [instances per cell (default 40)] [seed]
 */
#include "warehouse/warehouse.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXN 64
#define HK_MAX 12

static uint64_t rng;
static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Held-Karp reference ------------------------------------------------------ */
static int64_t levels[8];
static int nlev;

static int64_t iabs(int64_t x)
{
    return x < 0 ? -x : x;
}

static int64_t dist(const struct hc_layout *l, int64_t a1, int64_t y1, int64_t a2, int64_t y2)
{
    if (a1 == a2)
        return iabs(y1 - y2);
    int64_t best = INT64_MAX;
    for (int k = 0; k < nlev; k++) {
        int64_t d = iabs(y1 - levels[k]) + iabs(a1 - a2) * l->aisle_pitch_mm + iabs(y2 - levels[k]);
        if (d < best)
            best = d;
    }
    return best;
}

static int64_t held_karp(const struct hc_layout *l, const struct hc_pick_point *p, size_t n)
{
    nlev = 0;
    levels[nlev++] = 0;
    for (size_t k = 0; k < l->ncross; k++)
        levels[nlev++] = l->cross_aisles[k] * l->bay_pitch_mm;
    levels[nlev++] = l->bays_per_aisle * l->bay_pitch_mm;
    int64_t a[MAXN], y[MAXN];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t yi = p[i].bay * l->bay_pitch_mm - l->bay_pitch_mm / 2;
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= a[j] == p[i].aisle && y[j] == yi;
        if (!dup) {
            a[k] = p[i].aisle;
            y[k++] = yi;
        }
    }
    size_t full = (size_t)1 << k;
    int64_t *dp = malloc(full * k * sizeof(*dp));
    if (!dp)
        abort();
    for (size_t s = 0; s < full * k; s++)
        dp[s] = INT64_MAX;
    for (size_t i = 0; i < k; i++)
        dp[((size_t)1 << i) * k + i] = dist(l, l->depot_aisle, 0, a[i], y[i]);
    for (size_t s = 1; s < full; s++)
        for (size_t i = 0; i < k; i++) {
            int64_t c = dp[s * k + i];
            if (c == INT64_MAX)
                continue;
            for (size_t j = 0; j < k; j++)
                if (!(s >> j & 1)) {
                    int64_t d = c + dist(l, a[i], y[i], a[j], y[j]);
                    size_t t = (s | (size_t)1 << j) * k + j;
                    if (d < dp[t])
                        dp[t] = d;
                }
        }
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < k; i++) {
        int64_t d = dp[(full - 1) * k + i] + dist(l, a[i], y[i], l->depot_aisle, 0);
        if (d < best)
            best = d;
    }
    free(dp);
    return best;
}

/* ---- the run ------------------------------------------------------------------ */
static void make_layout(struct hc_layout *l, int blocks, int aisles)
{
    memset(l, 0, sizeof(*l));
    l->aisle_pitch_mm = 3000;
    l->bay_pitch_mm = 1000;
    l->bays_per_aisle = 30;
    l->depot_aisle = 1 + (int64_t)rnd((uint64_t)aisles);
    l->ncross = (size_t)blocks - 1;
    for (size_t k = 0; k < l->ncross; k++)
        l->cross_aisles[k] = 30 * (int64_t)(k + 1) / blocks;
}

static void make_picks(struct hc_pick_point *p, size_t n, int aisles)
{
    for (size_t i = 0; i < n; i++) {
        p[i].aisle = 1 + (int64_t)rnd((uint64_t)aisles);
        p[i].bay = 1 + (int64_t)rnd(30);
    }
}

int main(int argc, char **argv)
{
    int per = argc > 1 ? atoi(argv[1]) : 40;
    rng = argc > 2 ? strtoull(argv[2], NULL, 10) : 20240611ULL;
    if (per < 1)
        per = 1;
    static const int aisles_set[] = {5, 10, 20, 30};
    static const size_t n_set[] = {5, 10, 12, 20, 30, 45, 60};
    static const enum hc_route_policy pol[] = {HC_ROUTE_OPTIMAL, HC_ROUTE_S_SHAPE,
                                               HC_ROUTE_RETURN, HC_ROUTE_LARGEST_GAP,
                                               HC_ROUTE_COMBINED};
    const int npol = 5;
    printf("Route length / optimum, %d instances per (blocks, aisles, picks) cell, seed %" PRIu64
           "\n",
           per, rng);
    printf("optimum = hc_route_plan(optimal), checked against Held-Karp for <= %d picks\n\n",
           HK_MAX);
    printf("%-6s %-5s %-9s | %-13s | %-13s | %-13s | %-13s | %-13s\n", "blocks", "picks",
           "HK check", "optimal", "s-shape", "return", "largest-gap", "combined");
    printf("%-6s %-5s %-9s | %-13s | %-13s | %-13s | %-13s | %-13s\n", "", "", "", "mean  worst",
           "mean  worst", "mean  worst", "mean  worst", "mean  worst");
    struct hc_pick_point p[MAXN];
    size_t order[MAXN];
    int bad = 0;
    for (int blocks = 1; blocks <= 3; blocks++) {
        double tsum[5] = {0}, tworst[5] = {0};
        long tcnt = 0;
        for (size_t ni = 0; ni < sizeof(n_set) / sizeof(n_set[0]); ni++) {
            size_t n = n_set[ni];
            double sum[5] = {0}, worst[5] = {0};
            long cnt = 0, hk_ok = 0, hk_n = 0;
            for (size_t ai = 0; ai < sizeof(aisles_set) / sizeof(aisles_set[0]); ai++)
                for (int r = 0; r < per; r++) {
                    struct hc_layout l;
                    make_layout(&l, blocks, aisles_set[ai]);
                    make_picks(p, n, aisles_set[ai]);
                    int64_t len[5];
                    for (int k = 0; k < npol; k++)
                        len[k] = hc_route_plan(&l, pol[k], p, n, NULL, NULL, order);
                    if (n <= HK_MAX) {
                        hk_n++;
                        int64_t hk = held_karp(&l, p, n);
                        if (hk == len[0])
                            hk_ok++;
                        else
                            bad++;
                    }
                    for (int k = 0; k < npol; k++) {
                        double q = (double)len[k] / (double)len[0];
                        sum[k] += q;
                        tsum[k] += q;
                        if (q > worst[k])
                            worst[k] = q;
                        if (q > tworst[k])
                            tworst[k] = q;
                    }
                    cnt++;
                    tcnt++;
                }
            char hk[48] = "-";
            if (hk_n)
                snprintf(hk, sizeof(hk), "%ld/%ld", hk_ok, hk_n);
            printf("%-6d %-5zu %-9s", blocks, n, hk);
            for (int k = 0; k < npol; k++)
                printf(" | %.3f %.3f", sum[k] / (double)cnt, worst[k]);
            printf("\n");
        }
        printf("%-6d %-5s %-9s", blocks, "all", "");
        for (int k = 0; k < npol; k++)
            printf(" | %.3f %.3f", tsum[k] / (double)tcnt, tworst[k]);
        printf("\n\n");
    }
    /* speed: 30-pick lists on 20 aisles */
    printf("Speed, 30-pick lists on 20 aisles of 30 bays (routes/s, one core):\n");
    printf("%-6s | %-10s %-10s %-10s %-12s %-10s\n", "blocks", "optimal", "s-shape", "return",
           "largest-gap", "combined");
    for (int blocks = 1; blocks <= 3; blocks++) {
        enum { LISTS = 200 };
        static struct hc_pick_point lists[LISTS][30];
        struct hc_layout lays[LISTS];
        for (int i = 0; i < LISTS; i++) {
            make_layout(&lays[i], blocks, 20);
            make_picks(lists[i], 30, 20);
        }
        printf("%-6d |", blocks);
        for (int k = 0; k < npol; k++) {
            long routes = 0;
            double t0 = now_s(), t;
            do {
                for (int i = 0; i < LISTS; i++)
                    if (hc_route_plan(&lays[i], pol[k], lists[i], 30, NULL, NULL, order) < 0)
                        return 2;
                routes += LISTS;
                t = now_s() - t0;
            } while (t < 0.5);
            printf(" %-10.0f", (double)routes / t);
            if (k == 3)
                printf("  ");
        }
        printf("\n");
    }
    if (bad) {
        printf("\n%d lists where the optimum differs from Held-Karp\n", bad);
        return 1;
    }
    return 0;
}

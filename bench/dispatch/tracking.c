/* tracking.c: applying carriers' tracking events (src/lastmile/tracking.c).
 *
 *   tracking_bench DB_URL [EVENTS] [BATCH]
 *
 * Makes EVENTS / 4 shipped orders with one parcel each (rows written
 * directly), then applies EVENTS (100,000) events in batches of BATCH (1,000),
 * one transaction per batch, as POST /v1/tracking-events does: per parcel
 * in_transit twice, out_for_delivery, delivered (which moves the order to
 * delivered). Then the same events again (all duplicates). Prints events/s. */
#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(int rc, const hc_err *err, const char *what)
{
    if (rc != HC_OK) {
        fprintf(stderr, "%s: %s: %s\n", what, err->field, err->msg);
        exit(1);
    }
}

static void make_parcels(hc_store *s, long n)
{
    hc_err err = {0};
    must(hc_store_begin(s, &err), &err, "begin");
    for (long i = 0; i < n; i++) {
        char id[32], tn[32];
        snprintf(id, sizeof(id), "ord_b%ld", i);
        snprintf(tn, sizeof(tn), "RR%08ld0DE", i);
        must(hc_store_run(s, &err, NULL,
                          "INSERT INTO orders (seller, id, channel, channel_order_id, status,"
                          " warehouse, ship_to, ship_country, carrier, created_at, updated_at)"
                          " VALUES ('S1', ?, 'shop', ?, 'shipped', 'W1', '{}', 'DE', 'DHL', 1, 1)",
                          "ss", id, id),
             &err, "order");
        must(hc_store_run(s, &err, NULL,
                          "INSERT INTO lm_parcels (warehouse, id, order_id, seller, seq, service_id,"
                          " service_code, carrier, service_name, tracking_no, numbering, two_d, box,"
                          " weight_g, l_mm, w_mm, h_mm, billable_g, price_minor, currency, ship_day,"
                          " deliver_day, chosen_by, created_at, created_by, manifest) VALUES ('W1',"
                          " ?, ?, 'S1', 1, 'svc', 'DHL', 'DHL', 'Paket', ?, 's10', 'none', '', 500,"
                          " 200, 150, 100, 600, 590, 'EUR', '2026-11-27', '2026-11-30', 'operator',"
                          " 1, 'bench', 'mnf_b')",
                          "sss", id, id, tn),
             &err, "parcel");
    }
    must(hc_store_commit(s, &err), &err, "commit");
}

static const char *const statuses[] = {"in_transit", "in_transit", "out_for_delivery",
                                       "delivered"};

/* Event k: parcel k / 4, its (k % 4)-th step, an hour apart. */
static void event_of(hc_arena *a, long k, struct hc_lm_track_event *e)
{
    memset(e, 0, sizeof(*e));
    e->tracking_no = hc_arena_printf(a, "RR%08ld0DE", k / 4);
    e->status = statuses[k % 4];
    e->at = 1795800000000LL + (k % 4) * 3600000LL;
    e->location = "Hub";
    e->detail = "";
}

static double apply_all(hc_store *s, long n, long batch, struct hc_lm_track_result *sum)
{
    memset(sum, 0, sizeof(*sum));
    double t0 = now_s();
    for (long k = 0; k < n; k += batch) {
        long m = n - k < batch ? n - k : batch;
        hc_arena *a = hc_arena_new(1 << 20);
        struct hc_lm_track_event *ev = hc_arena_alloc(a, sizeof(*ev) * (size_t)m);
        for (long i = 0; i < m; i++)
            event_of(a, k + i, &ev[i]);
        hc_err err = {0};
        struct hc_lm_track_result r;
        must(hc_store_begin(s, &err), &err, "begin");
        must(hc_lm_track_apply(s, a, ev, (size_t)m, NULL, "bench", &r, &err), &err, "apply");
        must(hc_store_commit(s, &err), &err, "commit");
        sum->stored += r.stored;
        sum->duplicates += r.duplicates;
        sum->delivered_orders += r.delivered_orders;
        hc_arena_free(a);
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tracking_bench DB_URL [EVENTS] [BATCH]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 100000, batch = argc > 3 ? atol(argv[3]) : 1000;
    if (n < 4 || batch < 1 || batch > HC_LM_TRACK_BATCH_MAX) {
        fprintf(stderr, "EVENTS >= 4, 1 <= BATCH <= %d\n", HC_LM_TRACK_BATCH_MAX);
        return 2;
    }
    n -= n % 4;
    hc_store *s;
    hc_err err = {0};
    must(hc_store_open(argv[1], &s, &err), &err, "open");
    must(hc_store_migrate(s, &err), &err, "migrate");
    make_parcels(s, n / 4);
    struct hc_lm_track_result r;
    double t = apply_all(s, n, batch, &r);
    printf("tracking: %ld events in batches of %ld: %.2f s, %.0f events/s (%zu stored, %zu "
           "orders delivered)\n",
           n, batch, t, n / t, r.stored, r.delivered_orders);
    t = apply_all(s, n, batch, &r);
    printf("tracking again: %ld events, all duplicates: %.2f s, %.0f events/s (%zu duplicates)\n",
           n, t, n / t, r.duplicates);
    hc_store_close(s);
    return r.duplicates == (size_t)n ? 0 : 1;
}

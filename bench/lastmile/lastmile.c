/* lastmile.c: the last-mile benchmarks.
 *
 *   lastmile_bench rates [ORDERS] [SERVICES]   rate shopping: ORDERS (100,000) one-parcel
 *       requests over SERVICES (20) services of 300 ZIP ranges (3-digit prefixes in
 *       ten zones) and 12 weight breaks per zone; compile once, then every request;
 *       promised dates skip the US holidays of data/holidays/US.csv (every second
 *       service follows the carrier calendar) and a closed day of the warehouse,
 *       asked on the day before Thanksgiving 2026
 *   lastmile_bench rates-plain [ORDERS] [SERVICES]   the same without any calendar
 *   lastmile_bench labels [N]                  N (2,000) 4x6 PDF labels (SSCC GS1-128 and a
 *       QR code), and as many ZPL labels
 *   lastmile_bench labels-mt [N] [T]           N PDF labels on T (2) threads
 *   lastmile_bench labels-doc [N]              N PDF labels as the pages of one PDF (bulk
 *       printing: hc_lm_labels_pdf)
 *
 * Inputs come from a fixed seed; each run prints the seconds and the rate. */
#include "catalog/catalog.h"
#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

/* CPU seconds of this process: on a machine shared with other work the wall
 * clock counts the waits too; both are printed. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t seed = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

#define RANGES 300
#define BREAKS 12

static void make_service(hc_arena *a, struct hc_lm_service *s, int k)
{
    memset(s, 0, sizeof(*s));
    s->warehouse = "US-LAX";
    s->code = hc_arena_printf(a, "SVC-%02d", k);
    s->carrier = "Carrier";
    s->name = s->code;
    s->currency = "USD";
    s->effective_from = "2026-01-01";
    s->dim_divisor = 5022;
    s->max_weight_g = 31751;
    s->max_length_girth_mm = 3302 + 100 * (k % 5);
    s->fuel_bp = 1500;
    s->residential_minor = 500;
    s->transit_days = 1 + k % 6;
    s->cutoff_min = 17 * 60;
    s->pickup_days = 0x1f;
    s->delivery_days = k % 3 == 0 ? 0x3f : 0x1f;
    s->holidays = k % 2 ? "CARRIER" : NULL;
    s->numbering = HC_LM_NUM_SSCC;
    s->num_prefix = "0614141";
    s->num_to = 999999999;
    s->zones = hc_arena_alloc(a, sizeof(*s->zones) * RANGES);
    s->prices = hc_arena_alloc(a, sizeof(*s->prices) * 10 * BREAKS);
    /* 3-digit ZIP prefixes 100..399, 400..699, 700..999 in turn: 300 ranges of 3 prefixes */
    for (int i = 0; i < RANGES; i++) {
        struct hc_lm_zone_range *z = &s->zones[s->nzones++];
        int lo = 100 + i * 3;
        z->zone = hc_arena_printf(a, "Z%d", (i + k) % 10);
        memcpy(z->country, "US", 3);
        z->from = hc_arena_printf(a, "%03d00", lo);
        z->to = hc_arena_printf(a, "%03d99", lo + 2);
    }
    for (int z = 0; z < 10; z++)
        for (int b = 0; b < BREAKS; b++) {
            struct hc_lm_price *p = &s->prices[s->nprices++];
            p->zone = hc_arena_printf(a, "Z%d", z);
            p->max_weight_g = b == BREAKS - 1 ? 31751 : 500 * (b + 1);
            p->minor = 500 + 37 * z + 90 * b + 11 * k;
        }
}

/* data/holidays/US.csv as a book; NULL (after a line on stderr) when unreadable. */
static hc_lm_holidays *us_book(hc_arena *a)
{
    hc_err err = {0};
    static char text[1 << 16];
    FILE *f = fopen(HC_SOURCE_DIR "/data/holidays/US.csv", "rb");
    size_t len = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    if (f)
        fclose(f);
    struct hc_lm_holiday *rows;
    size_t n;
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK ||
        hc_lm_holidays_csv(a, text, len, &rows, &n, &err) != HC_OK) {
        fprintf(stderr, "holidays: %s %s\n", err.field, err.msg);
        return NULL;
    }
    return hc_lm_holidays_book(a, rows, n);
}

static int bench_rates(long orders, int nsv, bool calendars)
{
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_lm_service *sv = hc_arena_alloc(a, sizeof(*sv) * (size_t)nsv);
    for (int k = 0; k < nsv; k++)
        make_service(a, &sv[k], k);
    struct hc_lm_parcel_in *p = malloc(sizeof(*p) * (size_t)orders);
    char(*pc)[8] = malloc(8 * (size_t)orders);
    for (long i = 0; i < orders; i++) {
        p[i].weight_g = 100 + (int64_t)(next_rand() % 20000);
        for (int d = 0; d < 3; d++)
            p[i].dims_mm[d] = 50 + (int64_t)(next_rand() % 450);
        snprintf(pc[i], 8, "%05d", (int)(next_rand() % 100000)); /* some outside every range */
    }
    hc_err err = {0};
    int64_t t0 = hc_mono_ns();
    hc_lm_rater *r;
    if (hc_lm_rater_new(sv, (size_t)nsv, &r, &err) != HC_OK) {
        fprintf(stderr, "rater: %s %s\n", err.field, err.msg);
        return 1;
    }
    if (calendars) {
        hc_lm_holidays *book = us_book(a);
        int64_t closed = 0;
        if (book == NULL || !hc_lm_day_parse("2026-12-31", &closed))
            return 1;
        struct hc_lm_origin o = {"US", "", &closed, 1};
        hc_lm_rater_calendars(r, a, book, &o);
    }
    int64_t t1 = hc_mono_ns();
    double c1 = cpu_s();
    struct hc_lm_quote *q = malloc(sizeof(*q) * (size_t)nsv);
    long answered = 0, refused = 0, quotes = 0;
    int64_t total = 0, days = 0; /* sum of the promised delivery days' numbers, a checksum */
    for (long i = 0; i < orders; i++) {
        struct hc_lm_request rq = {.country = "US", .postcode = pc[i], .residential = i % 2,
                                   .parcels = &p[i], .nparcels = 1, .local_day = "2026-11-25",
                                   .local_min = 600};
        size_t n = 0;
        hc_err_clear(&err);
        if (hc_lm_rate(r, &rq, q, &n, &err) == HC_OK) {
            answered++;
            quotes += (long)n;
            total += q[0].total_minor;
            int64_t d = 0;
            hc_lm_day_parse(q[0].deliver_day, &d);
            days += d;
        } else {
            refused++;
        }
    }
    int64_t t2 = hc_mono_ns();
    double s = (double)(t2 - t1) / 1e9, cs = cpu_s() - c1;
    printf("rates%s: %ld orders over %d services (%d ZIP ranges, %d breaks per zone each)\n",
           calendars ? " (US holidays)" : " (no calendar)", orders, nsv, RANGES, BREAKS);
    printf("  compile %.3f ms; shop %.3f s wall (%.3f s CPU) = %.0f orders/s; %ld answered (%ld quotes, cheapest "
           "sum %lld, delivery days sum %lld), %ld refused (no zone / over limits)\n",
           (double)(t1 - t0) / 1e6, s, cs, (double)orders / s, answered, quotes, (long long)total,
           (long long)days, refused);
    hc_lm_rater_free(r);
    free(q);
    free(p);
    free(pc);
    hc_arena_free(a);
    return 0;
}

static int bench_labels(long n)
{
    struct hc_lm_label l = {.carrier = "FedEx", .service_name = "FedEx Home Delivery",
                            .numbering = HC_LM_NUM_SSCC, .two_d = HC_LM_2D_QR,
                            .from = {"US-LAX Ontario CA fulfilment centre", "1 Harbor Blvd",
                                     "90731 Los Angeles", "US"},
                            .to = {"Jane Doe", "1 World Way", "Apt 5", "90045 Los Angeles", "US"},
                            .to_postcode = "90045", .to_country = "US",
                            .reference = "ord_7410032417931264", .weight_g = 1350,
                            .parcel_no = 1, .parcel_count = 1, .ship_day = "2026-11-27"};
    char trk[19];
    hc_err err = {0};
    size_t bytes = 0;
    for (int pass = 0; pass < 2; pass++) {
        int64_t t0 = hc_mono_ns();
        double c0 = cpu_s();
        for (long i = 0; i < n; i++) {
            hc_lm_sscc_format(0, "0614141", i, trk);
            l.tracking_no = trk;
            hc_buf b;
            hc_buf_init(&b, 4 << 20);
            int rc = pass == 0 ? hc_lm_label_pdf(&l, &b, &err) : hc_lm_label_zpl(&l, &b, &err);
            if (rc != HC_OK) {
                fprintf(stderr, "label: %s\n", err.msg);
                return 1;
            }
            bytes += b.n;
            hc_buf_free(&b);
        }
        double s = (double)(hc_mono_ns() - t0) / 1e9, cs = cpu_s() - c0;
        printf("labels %s: %ld in %.3f s wall = %.0f labels/s; %.3f s CPU = %.0f labels per "
               "CPU-second; %.1f KiB each\n",
               pass == 0 ? "PDF" : "ZPL", n, s, (double)n / s, cs, (double)n / cs,
               (double)bytes / (double)n / 1024);
        bytes = 0;
    }
    return 0;
}

/* N labels, one page each, in one PDF: the fonts are subset once for all. */
static int bench_labels_doc(long n)
{
    struct hc_lm_label *v = calloc((size_t)n, sizeof(*v));
    char(*trk)[19] = calloc((size_t)n, sizeof(*trk));
    if (v == NULL || trk == NULL)
        return 1;
    for (long i = 0; i < n; i++) {
        hc_lm_sscc_format(0, "0614141", i, trk[i]);
        v[i] = (struct hc_lm_label){.carrier = "FedEx", .service_name = "FedEx Home Delivery",
                                    .tracking_no = trk[i], .numbering = HC_LM_NUM_SSCC,
                                    .two_d = HC_LM_2D_QR,
                                    .from = {"US-LAX Ontario CA fulfilment centre",
                                             "1 Harbor Blvd", "90731 Los Angeles", "US"},
                                    .to = {"Jane Doe", "1 World Way", "Apt 5",
                                           "90045 Los Angeles", "US"},
                                    .to_postcode = "90045", .to_country = "US",
                                    .reference = "ord_7410032417931264", .weight_g = 1350,
                                    .parcel_no = 1, .parcel_count = 1, .ship_day = "2026-11-27"};
    }
    hc_err err = {0};
    hc_buf b;
    hc_buf_init(&b, 512u << 20);
    int64_t t0 = hc_mono_ns();
    double c0 = cpu_s();
    int rc = hc_lm_labels_pdf(v, (size_t)n, &b, &err);
    double s = (double)(hc_mono_ns() - t0) / 1e9, cs = cpu_s() - c0;
    if (rc != HC_OK)
        fprintf(stderr, "labels: %s\n", err.msg);
    else
        printf("labels PDF in one document: %ld in %.3f s wall = %.0f labels/s; %.3f s CPU = %.0f "
               "labels per CPU-second; %.1f KiB each\n",
               n, s, (double)n / s, cs, (double)n / cs, (double)b.n / (double)n / 1024);
    hc_buf_free(&b);
    free(v);
    free(trk);
    return rc == HC_OK ? 0 : 1;
}

struct pdf_worker {
    long from, to;
    int rc;
};

static void *pdf_thread(void *arg)
{
    struct pdf_worker *w = arg;
    struct hc_lm_label l = {.carrier = "DHL", .service_name = "DHL Paket",
                            .numbering = HC_LM_NUM_SSCC, .two_d = HC_LM_2D_QR,
                            .from = {"DE-DUI Duisburg", "Hafenstrasse 1", "47119 Duisburg"},
                            .to = {"Erika Mustermann", "Heidestrasse 17", "51147 Koeln", "DE"},
                            .to_postcode = "51147", .to_country = "DE", .reference = "ord_1",
                            .weight_g = 1250, .parcel_no = 1, .parcel_count = 1,
                            .ship_day = "2026-11-27"};
    char trk[19];
    hc_err err = {0};
    for (long i = w->from; i < w->to && w->rc == 0; i++) {
        hc_lm_sscc_format(0, "4012345", i, trk);
        l.tracking_no = trk;
        hc_buf b;
        hc_buf_init(&b, 4 << 20);
        w->rc = hc_lm_label_pdf(&l, &b, &err);
        hc_buf_free(&b);
    }
    return NULL;
}

/* PDF labels on T threads at once (one cairo surface per label). */
static int bench_labels_mt(long n, int t)
{
    pthread_t th[16];
    struct pdf_worker w[16];
    if (t < 1 || t > 16)
        return 2;
    int64_t t0 = hc_mono_ns();
    double c0 = cpu_s();
    for (int i = 0; i < t; i++) {
        w[i] = (struct pdf_worker){n * i / t, n * (i + 1) / t, 0};
        pthread_create(&th[i], NULL, pdf_thread, &w[i]);
    }
    int rc = 0;
    for (int i = 0; i < t; i++) {
        pthread_join(th[i], NULL);
        rc |= w[i].rc;
    }
    double s = (double)(hc_mono_ns() - t0) / 1e9, cs = cpu_s() - c0;
    printf("labels PDF on %d threads: %ld in %.3f s wall = %.0f labels/s; %.3f s CPU = %.0f "
           "labels per CPU-second\n",
           t, n, s, (double)n / s, cs, (double)n / cs);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "rates") == 0 || strcmp(argv[1], "rates-plain") == 0))
        return bench_rates(argc > 2 ? atol(argv[2]) : 100000, argc > 3 ? atoi(argv[3]) : 20,
                           strcmp(argv[1], "rates") == 0);
    if (argc >= 2 && strcmp(argv[1], "labels") == 0)
        return bench_labels(argc > 2 ? atol(argv[2]) : 2000);
    if (argc >= 2 && strcmp(argv[1], "labels-doc") == 0)
        return bench_labels_doc(argc > 2 ? atol(argv[2]) : 2000);
    if (argc >= 2 && strcmp(argv[1], "labels-mt") == 0)
        return bench_labels_mt(argc > 2 ? atol(argv[2]) : 2000, argc > 3 ? atoi(argv[3]) : 2);
    fprintf(stderr, "usage: lastmile_bench rates [ORDERS] [SERVICES] | labels [N] | labels-mt [N] "
                    "[THREADS] | labels-doc [N]\n");
    return 2;
}

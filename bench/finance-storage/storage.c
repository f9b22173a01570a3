/* Storage-run benchmark (bench/RESULTS.md, "Storage run"): the nightly
 * storage charge of one warehouse for one day over N lots, beside a raw
 * SQLite aggregate of the same journal rows.
 *
 *   storage_bench DB_PATH [LOTS (1000000)] [SKUS (10000)] [SELLERS (20)]
 *
 * Builds DB_PATH once (kept: a second run reuses it): sellers, warehouse
 * W1 (Europe/Berlin), SKUS SKUs, LOTS receipts into W1 spread over the last
 * 400 days, and for every fourth lot a later move out of part of its SKU
 * (FIFO consumes the oldest), plus a rate card in 4 age tiers per m3. Then
 * times hc_storage_run(W1, yesterday) (books one entry per seller), the same
 * again (books nothing), and the raw SQLite query: inflows of the same rows
 * summed per seller and age tier (no FIFO), prepared and stepped by
 * sqlite3 directly. */
#include "finance/finance.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double secs(int64_t t0)
{
    return (double)(hc_mono_ns() - t0) / 1e9;
}

static void die(const char *what, const hc_err *err)
{
    fprintf(stderr, "storage_bench: %s: %s %s\n", what, err->field, err->msg);
    exit(1);
}

static void generate(const char *url, int64_t lots, int64_t skus, int64_t sellers)
{
    hc_store *s;
    hc_err err = {0};
    if (hc_store_open(url, &s, &err) || hc_store_migrate(s, &err) || hc_store_begin(s, &err))
        die("open", &err);
    int64_t t0 = hc_mono_ns(), now = hc_now_ms();
    char a[64], b[64];
    for (int64_t i = 0; i < sellers; i++) {
        snprintf(a, sizeof(a), "S%03lld", (long long)i);
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO sellers (code, name, country, created_at) VALUES (?, ?,"
                         " 'CN', 0)",
                         "ss", a, a))
            die("seller", &err);
    }
    if (hc_store_run(s, &err, NULL,
                     "INSERT INTO warehouses (code, name, country, address, timezone,"
                     " aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at) VALUES ('W1', 'W1',"
                     " 'DE', '{}', 'Europe/Berlin', 3000, 1000, 1, 0)",
                     ""))
        die("warehouse", &err);
    for (int64_t k = 0; k < skus; k++) {
        snprintf(a, sizeof(a), "S%03lld", (long long)(k % sellers));
        snprintf(b, sizeof(b), "SKU%07lld", (long long)k);
        int64_t l = 100 + k % 400, w = 100 + k % 300, h = 50 + k % 200;
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO skus (seller, sku, name, hs_code, value_minor, currency,"
                         " origin, l, w, h, weight_g, created_at) VALUES (?, ?, ?, '8504409999',"
                         " 100, 'EUR', 'CN', ?, ?, ?, 500, 0)",
                         "sssiii", a, b, b, l, w, h))
            die("sku", &err);
    }
    uint64_t x = 88172645463325252ULL;
    int64_t outs = 0;
    for (int64_t i = 0; i < lots; i++) {
        int64_t k = i % skus;
        snprintf(a, sizeof(a), "S%03lld", (long long)(k % sellers));
        snprintf(b, sizeof(b), "SKU%07lld", (long long)k);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t at = now - 2 * HC_DAY_MS - (int64_t)(x % (400ULL * 86400000ULL));
        int64_t qty = 1 + (int64_t)(x % 20);
        char bin[32];
        snprintf(bin, sizeof(bin), "wh/W1/A-%03lld-%lld", (long long)(k % 500),
                 (long long)(k % 4));
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place,"
                         " to_place, ref, actor) VALUES (?, ?, ?, 'move', ?, ?, 'origin', ?,"
                         " 'bench', 'bench')",
                         "siisis", a, hc_id_next(), at, b, qty, bin))
            die("journal in", &err);
        if (i % 4 == 3) { /* a later sale of part of the SKU (never more than came in) */
            if (hc_store_run(s, &err, NULL,
                             "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place,"
                             " to_place, ref, actor) VALUES (?, ?, ?, 'move', ?, ?, ?,"
                             " 'customer', 'bench', 'bench')",
                             "siisis", a, hc_id_next(), now - 2 * HC_DAY_MS + 1000 + i, b,
                             (int64_t)1, bin))
                die("journal out", &err);
            outs++;
        }
    }
    if (hc_store_commit(s, &err))
        die("commit", &err);
    if (hc_store_exec(s, "ANALYZE", &err))
        die("analyze", &err);
    hc_store_close(s);
    printf("generated %lld lots, %lld moves out, %lld SKUs, %lld sellers in %.1f s\n",
           (long long)lots, (long long)outs, (long long)skus, (long long)sellers, secs(t0));
}

struct card_job {
    struct hc_ratecard c;
    hc_arena *a;
};
static int card_job(hc_store *s, void *ctx, hc_err *err)
{
    struct card_job *j = ctx;
    return hc_ratecard_create(s, j->a, &j->c, "bench", err);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: storage_bench DB_PATH [LOTS] [SKUS] [SELLERS]\n");
        return 2;
    }
    int64_t lots = argc > 2 ? atoll(argv[2]) : 1000000, skus = argc > 3 ? atoll(argv[3]) : 10000,
            sellers = argc > 4 ? atoll(argv[4]) : 20;
    if (lots <= 0 || skus <= 0 || sellers <= 0 || sellers > 999) {
        fprintf(stderr, "storage_bench: LOTS, SKUS > 0, SELLERS 1..999\n");
        return 2;
    }
    char url[600];
    snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
    bool fresh = access(argv[1], F_OK) != 0;
    if (fresh)
        generate(url, lots, skus, sellers);
    hc_err err = {0};
    hc_db *db;
    if (hc_db_open(url, NULL, &db, &err))
        die("db", &err);
    char y[11];
    hc_tz_day("Europe/Berlin", hc_now_ms() - HC_DAY_MS, y);
    if (fresh) {
        hc_arena *a = hc_arena_new(4096);
        struct card_job j = {.a = a,
                             .c = {.warehouse = "W1", .currency = "EUR",
                                   .effective_from = "2020-01-01", .storage_basis = HC_RC_PER_M3,
                                   .inbound_basis = HC_RC_PER_UNIT, .ntiers = 4, .nbreaks = 1,
                                   .surcharge_bp = 550}};
        j.c.tiers[0] = (struct hc_rc_tier){0, 30, 4500000};
        j.c.tiers[1] = (struct hc_rc_tier){31, 90, 6000000};
        j.c.tiers[2] = (struct hc_rc_tier){91, 180, 9000000};
        j.c.tiers[3] = (struct hc_rc_tier){181, HC_RC_DAY_OPEN, 15000000};
        j.c.breaks[0] = (struct hc_rc_break){HC_RC_DAY_OPEN, 10000, 0};
        if (hc_db_write(db, card_job, &j, &err))
            die("card", &err);
        hc_arena_free(a);
    }
    for (int run = 1; run <= 2; run++) {
        struct hc_storage_result r;
        int64_t t0 = hc_mono_ns();
        if (hc_storage_run(db, "W1", y, "bench", &r, &err))
            die("storage run", &err);
        printf("storage run %d (%s): %.3f s, %lld lots priced, %d entries booked\n", run, y,
               secs(t0), (long long)r.lots, r.entries);
    }
    hc_db_close(db);

    /* raw SQLite: the same rows, one aggregate (inflows per seller and age tier) */
    sqlite3 *raw;
    if (sqlite3_open_v2(argv[1], &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "storage_bench: raw open failed\n");
        return 1;
    }
    int64_t end = hc_tz_midnight("Europe/Berlin", y) + HC_DAY_MS;
    const char *sql =
        "SELECT j.seller, CASE WHEN (? - j.at) / 86400000 <= 30 THEN 0"
        " WHEN (? - j.at) / 86400000 <= 90 THEN 1 WHEN (? - j.at) / 86400000 <= 180 THEN 2"
        " ELSE 3 END AS tier, SUM(j.qty * s.l * s.w * s.h) FROM journal j JOIN skus s"
        " ON s.seller = j.seller AND s.sku = j.sku WHERE j.kind = 'move' AND j.at < ?"
        " AND j.to_place LIKE 'wh/W1/%' GROUP BY j.seller, tier";
    for (int run = 1; run <= 2; run++) {
        sqlite3_stmt *st;
        int64_t t0 = hc_mono_ns();
        if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "storage_bench: %s\n", sqlite3_errmsg(raw));
            return 1;
        }
        for (int i = 1; i <= 4; i++)
            sqlite3_bind_int64(st, i, end);
        int groups = 0, rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            groups++;
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "storage_bench: %s\n", sqlite3_errmsg(raw));
            return 1;
        }
        printf("raw sqlite aggregate %d: %.3f s, %d groups\n", run, secs(t0), groups);
    }
    sqlite3_close(raw);
    return 0;
}

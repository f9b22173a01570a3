/* sqlite_baseline.c: the raw SQLite rate for the rows one order writes.
 *
 * On a database made by `haicang migrate` (same tables, same indexes), with
 * the same pragmas as the server's SQLite driver (WAL, synchronous=FULL,
 * 64 MiB cache, mmap), a minimal C loop writes per order:
 *   UPDATE stock (allocate 1 unit, guarded by on_hand - allocated >= 1),
 *   INSERT journal (the 'allocate' posting), INSERT orders, INSERT order_lines,
 *   INSERT order_history
 * with prepared statements, and commits every --batch orders (1 = one
 * transaction and one fsync per order; the server's figure comes from its
 * /metrics: haicang_db_write_jobs_total / haicang_db_write_batches_total).
 *
 * --with-reads adds what the server's order job also does inside the writer
 * (a savepoint per order, the duplicate channel-order lookup, the seller and
 * SKU checks, the warehouse list and the availability read), so the gap
 * between "raw rows" and "raw rows + the server's statements" is visible.
 *
 *   sqlite_baseline --db PATH --skus N [--seller S1] [--warehouse DE1]
 *                   [--sku-prefix SKU-] [--batch 1] [--count 20000 | --seconds 10]
 *                   [--with-reads] [--seed-stock]
 *
 * --seed-stock inserts the stock rows (N SKUs, 1e9 on hand) before the loop.
 * Last line: "RESULT ..." */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sqlite3 *db;

static void check(int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_baseline: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sqlite_baseline: %s: %s\n", sql, msg ? msg : "?");
        exit(1);
    }
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *s;
    check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL), sql);
    return s;
}

static void step_reset(sqlite3_stmt *s, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    check(rc, what);
    sqlite3_reset(s);
}

static void bt(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *seller = "S1", *wh = "DE1", *prefix = "SKU-", *sync = "FULL";
    long skus = 1000, batch = 1, count = 0;
    double seconds = 0;
    bool reads = false, seed = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--with-reads")) {
            reads = true;
            continue;
        }
        if (!strcmp(a, "--seed-stock")) {
            seed = true;
            continue;
        }
        if (i + 1 >= argc)
            goto usage;
        const char *v = argv[++i];
        if (!strcmp(a, "--db"))
            path = v;
        else if (!strcmp(a, "--skus"))
            skus = atol(v);
        else if (!strcmp(a, "--seller"))
            seller = v;
        else if (!strcmp(a, "--warehouse"))
            wh = v;
        else if (!strcmp(a, "--sku-prefix"))
            prefix = v;
        else if (!strcmp(a, "--batch"))
            batch = atol(v);
        else if (!strcmp(a, "--count"))
            count = atol(v);
        else if (!strcmp(a, "--seconds"))
            seconds = atof(v);
        else if (!strcmp(a, "--synchronous")) /* diagnosis only: FULL is the server's */
            sync = v;
        else
            goto usage;
    }
    if (path == NULL || skus < 1 || batch < 1 || (count <= 0 && seconds <= 0))
        goto usage;

    check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), path);
    sqlite3_busy_timeout(db, 10000);
    /* the server's pragmas (src/store/sqlite.c) */
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
         "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;");
    char pragma[64];
    snprintf(pragma, sizeof(pragma), "PRAGMA synchronous=%s", strcmp(sync, "FULL") ? sync : "FULL");
    exec(pragma);
    char sku[80];
    if (seed) {
        exec("BEGIN");
        sqlite3_stmt *s = prep("INSERT OR IGNORE INTO stock (seller, warehouse, sku, on_hand, allocated,"
                               " in_transit, first_in_at) VALUES (?, ?, ?, 1000000000, 0, 0, ?)");
        for (long k = 1; k <= skus; k++) {
            snprintf(sku, sizeof(sku), "%s%07ld", prefix, k);
            bt(s, 1, seller);
            bt(s, 2, wh);
            bt(s, 3, sku);
            sqlite3_bind_int64(s, 4, wall_ms());
            step_reset(s, "seed stock");
        }
        sqlite3_finalize(s);
        exec("COMMIT");
    }

    sqlite3_stmt *up = prep("UPDATE stock SET allocated = allocated + ? WHERE seller = ? AND"
                            " warehouse = ? AND sku = ? AND on_hand - allocated >= ?");
    sqlite3_stmt *jr = prep("INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place,"
                            " ref, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *od = prep("INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse,"
                            " ship_to, ship_country, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *ol = prep("INSERT INTO order_lines (seller, order_id, line_no, sku, qty,"
                            " price_minor, currency, allocated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *oh = prep("INSERT INTO order_history (seller, order_id, id, status, at)"
                            " VALUES (?, ?, ?, ?, ?)");
    sqlite3_stmt *r_dup = prep("SELECT id FROM orders WHERE seller = ? AND channel = ? AND"
                               " channel_order_id = ?");
    sqlite3_stmt *r_seller = prep("SELECT 1 FROM sellers WHERE code = ?");
    sqlite3_stmt *r_sku = prep("SELECT 1 FROM skus WHERE seller = ? AND sku = ?");
    sqlite3_stmt *r_wh = prep("SELECT code, country, lat_e6, lon_e6 FROM warehouses ORDER BY code");
    sqlite3_stmt *r_av = prep("SELECT on_hand - allocated FROM stock WHERE seller = ? AND"
                              " warehouse = ? AND sku = ?");
    const char *ship_to = "{\"name\":\"Max Mustermann\",\"country\":\"DE\",\"postcode\":\"47051\","
                          "\"city\":\"Duisburg\",\"line1\":\"Koenigstrasse 1\"}";
    /* ids like the server's: time-based, unique within this run */
    int64_t id = ((wall_ms() - 1704067200000LL) << 22) | ((int64_t)(getpid() & 0x3FF) << 12);
    uint64_t rng = (uint64_t)now_ns() | 1;
    char oid[48], coid[64], from[96], to[96];
    snprintf(from, sizeof(from), "wh/%s", wh);
    long done = 0, commits = 0;
    int64_t t0 = now_ns(), tend = seconds > 0 ? t0 + (int64_t)(seconds * 1e9) : INT64_MAX;
    bool open = false;
    while ((count <= 0 || done < count) && (done % batch != 0 || now_ns() < tend)) {
        if (!open) {
            exec("BEGIN");
            open = true;
        }
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        snprintf(sku, sizeof(sku), "%s%07ld", prefix, (long)(rng % (uint64_t)skus) + 1);
        snprintf(oid, sizeof(oid), "ord_%lld", (long long)++id);
        snprintf(coid, sizeof(coid), "base-%d-%ld", (int)getpid(), done);
        snprintf(to, sizeof(to), "order/%s", oid);
        int64_t at = wall_ms();
        if (reads) {
            exec("SAVEPOINT job");
            bt(r_dup, 1, seller), bt(r_dup, 2, "bench"), bt(r_dup, 3, coid);
            step_reset(r_dup, "dup");
            bt(r_seller, 1, seller);
            step_reset(r_seller, "seller");
            bt(r_sku, 1, seller), bt(r_sku, 2, sku);
            step_reset(r_sku, "sku");
            step_reset(r_wh, "warehouses");
            bt(r_av, 1, seller), bt(r_av, 2, wh), bt(r_av, 3, sku);
            step_reset(r_av, "available");
        }
        sqlite3_bind_int64(up, 1, 1), bt(up, 2, seller), bt(up, 3, wh), bt(up, 4, sku);
        sqlite3_bind_int64(up, 5, 1);
        step_reset(up, "update stock");
        if (sqlite3_changes(db) != 1) {
            fprintf(stderr, "sqlite_baseline: no stock for %s (use --seed-stock?)\n", sku);
            return 1;
        }
        bt(jr, 1, seller), sqlite3_bind_int64(jr, 2, ++id), sqlite3_bind_int64(jr, 3, at);
        bt(jr, 4, "allocate"), bt(jr, 5, sku), sqlite3_bind_int64(jr, 6, 1), bt(jr, 7, from);
        bt(jr, 8, to), bt(jr, 9, oid), bt(jr, 10, "bench");
        step_reset(jr, "journal");
        bt(od, 1, seller), bt(od, 2, oid), bt(od, 3, "bench"), bt(od, 4, coid), bt(od, 5, "allocated");
        bt(od, 6, wh), bt(od, 7, ship_to), bt(od, 8, "DE"), sqlite3_bind_int64(od, 9, at);
        sqlite3_bind_int64(od, 10, at);
        step_reset(od, "orders");
        bt(ol, 1, seller), bt(ol, 2, oid), sqlite3_bind_int64(ol, 3, 0), bt(ol, 4, sku);
        sqlite3_bind_int64(ol, 5, 1), sqlite3_bind_int64(ol, 6, 1999), bt(ol, 7, "EUR");
        sqlite3_bind_int64(ol, 8, 1);
        step_reset(ol, "order_lines");
        bt(oh, 1, seller), bt(oh, 2, oid), sqlite3_bind_int64(oh, 3, ++id), bt(oh, 4, "allocated");
        sqlite3_bind_int64(oh, 5, at);
        step_reset(oh, "order_history");
        if (reads)
            exec("RELEASE SAVEPOINT job");
        done++;
        if (done % batch == 0) {
            exec("COMMIT");
            open = false;
            commits++;
        }
    }
    if (open) {
        exec("COMMIT");
        commits++;
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    printf("sqlite baseline (synchronous=%s): batch %ld%s: %ld orders in %.2f s = %.0f orders/s, %ld commits (%.0f fsync'd commits/s)\n",
           sync, batch, reads ? " + server's reads/savepoints" : "", done, secs, (double)done / secs,
           commits, (double)commits / secs);
    printf("RESULT batch=%ld reads=%d n=%ld secs=%.2f orders_per_s=%.0f commits=%ld\n", batch,
           reads, done, secs, (double)done / secs, commits);
    sqlite3_stmt *all[] = {up, jr, od, ol, oh, r_dup, r_seller, r_sku, r_wh, r_av};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(db);
    return 0;
usage:
    fprintf(stderr, "usage: sqlite_baseline --db PATH --skus N [--seller S1] [--warehouse DE1]\n"
                    "       [--sku-prefix SKU-] [--batch 1] [--count N | --seconds S] [--with-reads]\n"
                    "       [--seed-stock]\n");
    return 2;
}

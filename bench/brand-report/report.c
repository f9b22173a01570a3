/* brand_report_bench: the infringement inquiry report (hc_brand_report)
 * over a goods journal of N entries (default 10,000,000).
 *
 *   brand_report_bench [--entries N] [--db PATH] [--keep]
 *
 * The database is migrated by hc_store_migrate (the production schema and
 * indexes, v24's skus_brand included), then filled with raw SQLite inserts
 * (the ledger's balances are not what the report reads): 200 sellers, 5,000
 * SKUs (25 each) over 4 warehouses, every fifth SKU of the brand BIG (20 %
 * of the journal), the others spread over 19 brands BR00..BR18 (about 4.2 %
 * each). Each SKU's journal is a receipt, a putaway, then orders of one unit
 * (allocate, pick, release, ship, deliver) with a return now and then; a
 * seller's 25 SKUs interleaved in time as a busy warehouse writes them (one
 * SKU's rows about 1.6 to a 4 KiB page, scattered over the seller's part of
 * the table), the sellers one after another (interleaving all 5,000 SKUs
 * makes every index insert a random write: the load then takes hours, the
 * reads differ little, as a SKU's rows are on separate pages either way).
 * The times (at) grow with the id. A --db that already holds them
 * (--keep) is reused. It then times hc_brand_report for a typical brand, the
 * big one, and one seller's rows of the big one, each twice (the second run
 * with the pages cached), beside the raw SQLite scan of the same rows. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "compliance/compliance.h"

#define SELLERS 200
#define SKUS_PER_SELLER 25
#define SKUS (SELLERS * SKUS_PER_SELLER)
#define BATCH 200000

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "brand_report_bench: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

static double secs(int64_t ns)
{
    return (double)ns / 1e9;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        die(sql, msg);
}

static const char *brand_of(int sku)
{
    static char buf[8];
    if (sku % 5 == 0)
        return "BIG";
    snprintf(buf, sizeof(buf), "BR%02d", sku % 19);
    return buf;
}

static void catalog_rows(sqlite3 *db)
{
    sqlite3_stmt *sl, *sk;
    if (sqlite3_prepare_v2(db, "INSERT INTO sellers (code, name, country, uscc, created_at)"
                               " VALUES (?, ?, 'CN', ?, 0)", -1, &sl, NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO skus (seller, sku, name, hs_code, value_minor,"
                               " currency, origin, l, w, h, weight_g, brand, created_at)"
                               " VALUES (?, ?, ?, '8517130000', 1000, 'USD', 'CN', 100, 100,"
                               " 100, 300, ?, 0)", -1, &sk, NULL))
        die("prepare", sqlite3_errmsg(db));
    for (int s = 0; s < SELLERS; s++) {
        char code[16], name[64], uscc[24];
        snprintf(code, sizeof(code), "S%03d", s);
        snprintf(name, sizeof(name), "Bench seller %d Co., Ltd.", s);
        snprintf(uscc, sizeof(uscc), "91440300MA5%07d", s);
        sqlite3_bind_text(sl, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sl, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sl, 3, uscc, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(sl) != SQLITE_DONE)
            die("seller", sqlite3_errmsg(db));
        sqlite3_reset(sl);
        for (int k = 0; k < SKUS_PER_SELLER; k++) {
            int i = s * SKUS_PER_SELLER + k;
            char sku[16];
            snprintf(sku, sizeof(sku), "K%05d", i);
            sqlite3_bind_text(sk, 1, code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sk, 2, sku, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sk, 3, sku, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sk, 4, brand_of(i), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(sk) != SQLITE_DONE)
                die("sku", sqlite3_errmsg(db));
            sqlite3_reset(sk);
        }
    }
    sqlite3_finalize(sl);
    sqlite3_finalize(sk);
}

/* Row t of SKU i's journal: kind, qty, from, to, ref. */
static void row_of(int i, int64_t t, const char **kind, int *qty, char *from, char *to, char *ref)
{
    const char *w = (const char *[]){"DE1", "DE2", "NL1", "US1"}[i % 4];
    int64_t order = (t - 2) / 5;
    snprintf(ref, 32, "o%d-%lld", i, (long long)order);
    *kind = "move";
    *qty = 1;
    if (t == 0) {
        *qty = 1000;
        strcpy(from, "origin");
        snprintf(to, 64, "wh/%s/RECEIVING", w);
        snprintf(ref, 32, "in%d", i);
        return;
    }
    if (t == 1) {
        *qty = 1000;
        snprintf(from, 64, "wh/%s/RECEIVING", w);
        snprintf(to, 64, "wh/%s/A-%02d-1", w, i % 40 + 1);
        snprintf(ref, 32, "in%d", i);
        return;
    }
    switch ((t - 2) % 5) {
    case 0:
        *kind = "allocate";
        snprintf(from, 64, "wh/%s", w);
        snprintf(to, 64, "order/%s", ref);
        break;
    case 1:
        snprintf(from, 64, "wh/%s/A-%02d-1", w, i % 40 + 1);
        snprintf(to, 64, "order/%s", ref);
        break;
    case 2:
        *kind = "release";
        snprintf(from, 64, "order/%s", ref);
        snprintf(to, 64, "wh/%s", w);
        break;
    case 3:
        snprintf(from, 64, "order/%s", ref);
        strcpy(to, "carrier/DHL");
        break;
    default:
        if (order % 25 == 24) { /* a return instead of the delivery's echo */
            strcpy(from, "customer");
            snprintf(to, 64, "wh/%s/RETURNS", w);
        } else {
            strcpy(from, "carrier/DHL");
            strcpy(to, "customer");
        }
    }
}

static void journal_rows(sqlite3 *db, int64_t n)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place,"
                               " to_place, ref, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
                           -1, &q, NULL))
        die("prepare", sqlite3_errmsg(db));
    int64_t steps = (n + SKUS - 1) / SKUS, id = 0, t0 = hc_mono_ns();
    int64_t at0 = 1767225600000LL; /* 2026-01-01 */
    exec(db, "BEGIN");
    for (int64_t k = 0; k < (int64_t)SELLERS * steps * SKUS_PER_SELLER && id < n; k++) {
        /* seller by seller; within one, step by step over its SKUs */
        int64_t sl = k / (steps * SKUS_PER_SELLER), rest = k % (steps * SKUS_PER_SELLER);
        int64_t t = rest / SKUS_PER_SELLER;
        int i = (int)(sl * SKUS_PER_SELLER + rest % SKUS_PER_SELLER);
        const char *kind;
        int qty;
        char seller[16], sku[16], from[64], to[64], ref[32];
        snprintf(seller, sizeof(seller), "S%03d", i / SKUS_PER_SELLER);
        snprintf(sku, sizeof(sku), "K%05d", i);
        row_of(i, t, &kind, &qty, from, to, ref);
        sqlite3_bind_text(q, 1, seller, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 2, ++id);
        sqlite3_bind_int64(q, 3, at0 + id * 3);
        sqlite3_bind_text(q, 4, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, sku, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 6, qty);
        sqlite3_bind_text(q, 7, from, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 8, to, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 9, ref, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_DONE)
            die("journal", sqlite3_errmsg(db));
        sqlite3_reset(q);
        if (id % BATCH == 0) {
            exec(db, "COMMIT");
            exec(db, "BEGIN");
            fprintf(stderr, "\r%lld entries, %.0f s", (long long)id, secs(hc_mono_ns() - t0));
        }
    }
    exec(db, "COMMIT");
    sqlite3_finalize(q);
    fprintf(stderr, "\n");
    printf("loaded %lld journal entries in %.1f s\n", (long long)id, secs(hc_mono_ns() - t0));
}

static void fill(const char *path, int64_t n)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("open", path);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=OFF");
    exec(db, "PRAGMA cache_size=-262144");
    exec(db, "BEGIN");
    catalog_rows(db);
    exec(db, "COMMIT");
    journal_rows(db, n);
    exec(db, "ANALYZE");
    sqlite3_close(db);
}

/* The same rows straight from SQLite: the brand's SKUs, each SKU's moves. */
static int64_t raw_scan(const char *path, const char *brand, const char *seller)
{
    sqlite3 *db;
    sqlite3_stmt *k, *j;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seller, sku FROM skus WHERE brand = ? AND (? = '' OR"
                               " seller = ?) ORDER BY seller, sku", -1, &k, NULL) ||
        sqlite3_prepare_v2(db, "SELECT at, qty, from_place, to_place FROM journal WHERE"
                               " seller = ? AND sku = ? AND kind = 'move' ORDER BY id", -1, &j,
                           NULL))
        die("raw", sqlite3_errmsg(db));
    sqlite3_bind_text(k, 1, brand, -1, SQLITE_STATIC);
    sqlite3_bind_text(k, 2, seller ? seller : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(k, 3, seller ? seller : "", -1, SQLITE_STATIC);
    int64_t rows = 0, sum = 0;
    while (sqlite3_step(k) == SQLITE_ROW) {
        sqlite3_bind_text(j, 1, (const char *)sqlite3_column_text(k, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(j, 2, (const char *)sqlite3_column_text(k, 1), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(j) == SQLITE_ROW) {
            sum += sqlite3_column_int64(j, 1) + (int64_t)sqlite3_column_bytes(j, 2) +
                   (int64_t)sqlite3_column_bytes(j, 3);
            rows++;
        }
        sqlite3_reset(j);
    }
    sqlite3_finalize(k);
    sqlite3_finalize(j);
    sqlite3_close(db);
    return rows + (sum == -1); /* sum keeps the reads from being optimised away */
}

static void run(hc_store *s, const char *path, const char *label, const char *brand,
                const char *seller)
{
    for (int pass = 1; pass <= 2; pass++) {
        hc_arena *a = hc_arena_new(1 << 20);
        hc_err err = {0};
        struct hc_brand_report r;
        int64_t t0 = hc_mono_ns();
        if (hc_brand_report(s, a, brand, seller, NULL, &r, &err) != HC_OK)
            die("report", err.msg);
        int64_t t1 = hc_mono_ns();
        int64_t raw = raw_scan(path, brand, seller);
        int64_t t2 = hc_mono_ns();
        int64_t on_hand = 0, sold = 0;
        for (size_t i = 0; i < r.n; i++)
            on_hand += r.rows[i].on_hand, sold += r.rows[i].sold;
        printf("| %s, run %d | %lld | %lld | %zu | %.3f s | %.3f s | sold %lld, on hand %lld |\n",
               label, pass, (long long)r.skus, (long long)r.journal_rows, r.n, secs(t1 - t0),
               secs(t2 - t1), (long long)sold, (long long)on_hand);
        if (raw != r.journal_rows)
            die("raw scan", "read another number of rows than the report");
        hc_arena_free(a);
    }
}

int main(int argc, char **argv)
{
    int64_t n = 10000000;
    const char *path = NULL;
    bool keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--entries") == 0 && i + 1 < argc)
            n = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else
            die("usage", "brand_report_bench [--entries N] [--db PATH] [--keep]");
    }
    char tmp[] = "/tmp/brand-report-XXXXXX", file[128], url[160];
    if (path == NULL) {
        if (mkdtemp(tmp) == NULL)
            die("mkdtemp", tmp);
        snprintf(file, sizeof(file), "%s/bench.db", tmp);
        path = file;
    }
    snprintf(url, sizeof(url), "sqlite:%s", path);
    hc_store *s;
    hc_err err = {0};
    if (hc_store_open(url, &s, &err) != HC_OK || hc_store_migrate(s, &err) != HC_OK)
        die("open", err.msg);
    int64_t have = 0;
    if (hc_store_int(s, &err, &have, "SELECT COUNT(*) FROM journal", "") != HC_OK)
        die("count", err.msg);
    if (have == 0) {
        hc_store_close(s);
        fill(path, n);
        if (hc_store_open(url, &s, &err) != HC_OK)
            die("open", err.msg);
    } else {
        printf("reusing %lld journal entries in %s\n", (long long)have, path);
    }
    printf("| report | SKUs | moves read | rows | hc_brand_report | raw SQLite scan | check |\n"
           "|---|---|---|---|---|---|---|\n");
    run(s, path, "typical brand BR07", "BR07", NULL);
    run(s, path, "big brand BIG (20 %)", "BIG", NULL);
    run(s, path, "BIG, one seller", "BIG", "S042");
    hc_store_close(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
    if (!keep && path == file) {
        unlink(file);
        char wal[160];
        snprintf(wal, sizeof(wal), "%s-wal", file);
        unlink(wal);
        snprintf(wal, sizeof(wal), "%s-shm", file);
        unlink(wal);
        rmdir(tmp);
    }
    return 0;
}

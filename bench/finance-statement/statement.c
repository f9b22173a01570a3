/* finance_statement_bench: a seller's monthly statement with N wallet
 * postings in the month (default 1,000,000), built by hc_statement_build
 * and written as PDF and XLSX (and CSV), beside a raw SQLite aggregate and
 * ordered scan of the same rows.
 *
 *   finance_statement_bench [--postings N] [--db PATH] [--keep] [--only pdf|xlsx|csv|none]
 *                           [--pdf-all-lines]
 *
 * The books are made through hc_money_post (each charge an entry of two
 * lines: Dr seller/B1/wallet, Cr wh/BW/revenue, alternating order, inbound,
 * return and storage causes, spread over October 2026 Beijing time), plus a
 * top-up in September for the opening balance, in transactions of 20,000
 * entries. A --db that already holds them (--keep) is reused. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "catalog/catalog.h"
#include "finance/finance.h"
#include "render/render.h"

/* CPU seconds of the calling thread: with the process's, what a step would
 * take on two idle cores is at least max(thread, process / 2). */
static double thread_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void load(hc_store *s, int64_t n)
{
    hc_err err = {0};
    if (hc_store_begin(s, &err))
        bench_die("begin", &err);
    bench_seed_seller(s, "B1", "BW");
    struct hc_money_line top[2] = {{"seller/B1/receipts", "EUR", 100000000, NULL, NULL, NULL},
                                   {"seller/B1/wallet", "EUR", -100000000, NULL, NULL, NULL}};
    struct hc_money_entry e = {.actor = "bench", .cause_kind = "topup", .cause_id = "BANK-1",
                               .seller = "B1", .warehouse = "", .at = bench_at_ms("2026-09-15T00:00:00Z"),
                               .lines = top, .nlines = 2};
    struct hc_money_posted p;
    if (hc_money_post(s, &e, &p, &err) || hc_store_commit(s, &err))
        bench_die("top-up", &err);
    static const char *kinds[4] = {"order", "inbound", "return", "storage"};
    int64_t from = bench_at_ms("2026-09-30T16:00:00Z"), span = 31 * HC_DAY_MS;
    char cause[64], memo[64];
    int64_t t0 = hc_mono_ns();
    for (int64_t i = 0; i < n; i++) {
        if (i % 20000 == 0 && hc_store_begin(s, &err))
            bench_die("begin", &err);
        int64_t minor = 25 + (i * 7919) % 2000;
        snprintf(cause, sizeof(cause), "%s_%lld", kinds[i % 4], (long long)(i / 4));
        snprintf(memo, sizeof(memo), "%s charge %lld", kinds[i % 4], (long long)i);
        struct hc_money_line l[2] = {{"seller/B1/wallet", "EUR", minor, NULL, NULL, memo},
                                     {"wh/BW/revenue", "EUR", -minor, NULL, NULL, memo}};
        struct hc_money_entry c = {.actor = "bench", .cause_kind = kinds[i % 4],
                                   .cause_id = cause, .seller = "B1", .warehouse = "BW",
                                   .at = from + i * (span / n), .lines = l, .nlines = 2};
        if (hc_money_post(s, &c, &p, &err))
            bench_die("post", &err);
        if ((i % 20000 == 19999 || i == n - 1) && hc_store_commit(s, &err))
            bench_die("commit", &err);
    }
    printf("load: %lld charges (2 lines each) through hc_money_post in %.1f s\n", (long long)n,
           bench_secs(hc_mono_ns() - t0));
}

/* The same month read straight from SQLite: the opening aggregate and the
 * scan of the month's lines by the statement's SQL, summed per currency;
 * then the same scan written as plain CSV (snprintf per row, no quoting):
 * the floor under the statement and under its CSV. */
static const char *SCAN_SQL =
    "SELECT seq, at, minor, entry, currency, cause_kind, cause_id, warehouse, memo, fx_rate,"
    " fx_day FROM money_postings WHERE account = ? AND at >= ? AND at < ? ORDER BY at";

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, int64_t from, int64_t to)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        bench_die(sqlite3_errmsg(db), NULL);
    sqlite3_bind_text(st, 1, "seller/B1/wallet", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    if (to)
        sqlite3_bind_int64(st, 3, to);
    return st;
}

static void raw(const char *path, int64_t from, int64_t to)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        bench_die("sqlite open", NULL);
    int64_t t0 = hc_mono_ns(), open = 0, sum = 0, rows = 0;
    double c0 = bench_secs(bench_cpu_ns());
    sqlite3_stmt *st = prepare(db,
                               "SELECT currency, SUM(minor) FROM money_postings WHERE account = ?"
                               " AND at < ? GROUP BY currency",
                               from, 0);
    while (sqlite3_step(st) == SQLITE_ROW)
        open += -sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    st = prepare(db, SCAN_SQL, from, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        sum += -sqlite3_column_int64(st, 2);
        rows++;
    }
    sqlite3_finalize(st);
    double scan = bench_secs(hc_mono_ns() - t0), scan_cpu = bench_secs(bench_cpu_ns()) - c0;
    printf("raw sqlite: opening + scan of %lld rows %.3f s (CPU %.3f s; closing %lld)\n",
           (long long)rows, scan, scan_cpu, (long long)(open + sum));
    t0 = hc_mono_ns();
    c0 = bench_secs(bench_cpu_ns());
    hc_buf b;
    hc_buf_init(&b, (size_t)1 << 32);
    st = prepare(db, SCAN_SQL, from, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char line[1024];
        int n = snprintf(line, sizeof(line), "%lld,%lld,%lld,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
                         (long long)sqlite3_column_int64(st, 0),
                         (long long)sqlite3_column_int64(st, 1),
                         (long long)-sqlite3_column_int64(st, 2), sqlite3_column_text(st, 3),
                         sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
                         sqlite3_column_text(st, 6), sqlite3_column_text(st, 7),
                         sqlite3_column_text(st, 8), sqlite3_column_text(st, 9),
                         sqlite3_column_text(st, 10));
        if (n < 0 || hc_buf_add(&b, line, (size_t)n < sizeof(line) ? (size_t)n : 0) != HC_OK)
            bench_die("raw csv", NULL);
    }
    sqlite3_finalize(st);
    printf("raw sqlite scan + plain CSV: %.1f MB in %.3f s (CPU %.3f s)\n", (double)b.n / 1e6,
           bench_secs(hc_mono_ns() - t0), bench_secs(bench_cpu_ns()) - c0);
    hc_buf_free(&b);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    int64_t n = 1000000;
    const char *path = NULL;
    bool keep = false;
    const char *only = NULL;
    bool pdf_all_lines = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--postings") == 0 && i + 1 < argc) {
            if (hc_parse_i64(argv[++i], 1, 100000000, &n) != HC_OK)
                bench_die("--postings: 1..100000000", NULL);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (strcmp(argv[i], "--pdf-all-lines") == 0) {
            pdf_all_lines = true;
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = true;
        } else {
            fprintf(stderr, "usage: finance_statement_bench [--postings N] [--db PATH] [--keep]"
                            " [--only pdf|xlsx|csv|none] [--pdf-all-lines]\n");
            return 2;
        }
    }
    hc_err err = {0};
    if (hc_catalog_load_reference(NULL, &err) != HC_OK)
        bench_die("reference data", &err);
    struct bench_db db;
    bench_db_open(&db, path, "hc-bench-stmt");
    hc_store *s = db.s;
    int64_t have = 0;
    if (hc_store_int(s, &err, &have,
                     "SELECT COUNT(*) FROM money_postings WHERE account = 'seller/B1/wallet'",
                     "") != HC_OK)
        bench_die("count", &err);
    if (have == 0)
        load(s, n);
    else
        printf("reusing %s: %lld wallet postings\n", db.path, (long long)have);

    int64_t now = bench_at_ms("2026-11-05T00:00:00Z");
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_statement st;
    int64_t t0 = hc_mono_ns();
    double c0 = bench_secs(bench_cpu_ns());
    if (hc_statement_build(s, a, "B1", "2026-10", now, &st, &err) != HC_OK)
        bench_die("statement", &err);
    double build = bench_secs(hc_mono_ns() - t0), build_cpu = bench_secs(bench_cpu_ns()) - c0;
    printf("statement: %zu lines, opening %lld, closing %lld (EUR minor) built in %.3f s"
           " (CPU %.3f s)\n",
           st.nlines, (long long)st.totals[0].opening, (long long)st.totals[0].closing, build,
           build_cpu);
    struct hc_doc d;
    hc_statement_doc(a, &st, "zh", &d);
    if (pdf_all_lines && d.ntables == 4) {
        /* measure the PDF of every line that the product no longer draws
         * above HC_STATEMENT_PDF_LINES: the lines table for all formats,
         * no day table */
        ((struct hc_doc_table *)d.tables)[2].formats = 0;
        d.ntables = 3;
    }
    static const struct {
        const char *name;
        int (*fn)(const struct hc_doc *, hc_buf *, hc_err *);
    } fmts[] = {{"pdf", hc_render_pdf}, {"xlsx", hc_render_xlsx}, {"csv", hc_render_csv}};
    for (size_t i = 0; i < 3; i++) {
        if (only && strcmp(only, fmts[i].name) != 0)
            continue;
        hc_buf b;
        hc_buf_init(&b, (size_t)1 << 32);
        t0 = hc_mono_ns();
        c0 = bench_secs(bench_cpu_ns());
        double tc0 = thread_cpu_s();
        if (fmts[i].fn(&d, &b, &err) != HC_OK)
            bench_die(fmts[i].name, &err);
        double r = bench_secs(hc_mono_ns() - t0), rc = bench_secs(bench_cpu_ns()) - c0,
               rt = thread_cpu_s() - tc0;
        printf("%-4s: %.1f MB in %.3f s (CPU %.3f s, of it the calling thread %.3f s);"
               " statement + %s %.3f s\n",
               fmts[i].name, (double)b.n / 1e6, r, rc, rt, fmts[i].name, build + r);
        hc_buf_free(&b);
    }
    hc_arena_free(a);
    hc_store_close(s);
    db.s = NULL;
    raw(db.path, st.from_ms, st.to_ms);
    if (keep || path)
        printf("kept %s\n", db.path);
    bench_db_close(&db, keep);
    return 0;
}

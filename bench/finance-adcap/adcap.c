/* finance_adcap_bench: the advertising-cap report of a seller with N shipped
 * orders in a year (default 1,000,000, one line each, EUR, a rate for every
 * day), timed beside a raw SQLite scan of the same join; and the XLSX sheet
 * reader on a workbook of R rows x 10 columns (default 100,000) written by
 * libxlsxwriter.
 *
 *   finance_adcap_bench [--orders N] [--rows R] [--db PATH] [--keep]
 *
 * The orders are written straight into order_lines and order_history (the
 * rows hc_order_* leaves for a shipped order; the report reads no other),
 * in transactions of 20,000, shipped evenly over 2025 (Beijing time); EUR/CNY
 * rates for each of its days through hc_fx_rates_put, spend for two years
 * through hc_adcap_spend_put. A --db that already holds them is reused. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "bench.h"
#include "catalog/catalog.h"
#include "finance/finance.h"
#include "render/render.h"

static void load(hc_store *s, int64_t n)
{
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    if (hc_store_begin(s, &err))
        bench_die("begin", &err);
    bench_seed_seller(s, "AD1", NULL);
    int64_t jan1 = bench_at_ms("2024-12-31T16:00:00Z"); /* 2025-01-01 00:00 Beijing */
    struct hc_fx_rate r[365];
    char days[365][11];
    for (int d = 0; d < 365; d++) {
        char iso[32];
        hc_time_iso(jan1 + (int64_t)d * HC_DAY_MS + 8 * 3600 * 1000LL, iso, sizeof(iso));
        memcpy(days[d], iso, 10);
        days[d][10] = '\0';
        r[d] = (struct hc_fx_rate){"EUR", "CNY", days[d], 78000000000 + d * 1000000, "bench"};
    }
    struct hc_ad_spend sp[2] = {
        {.channel = "amazon", .month = "2024-06", .currency = "CNY", .minor = 900000000},
        {.channel = "tiktok", .month = "2025-03", .currency = "CNY", .minor = 1200000000}};
    if (hc_fx_rates_put(s, r, 365, "bench", &err) ||
        hc_adcap_spend_put(s, a, "AD1", sp, 2, "bench", &err) || hc_store_commit(s, &err))
        bench_die("rates and spend", &err);
    int64_t t0 = hc_mono_ns(), span = 365 * HC_DAY_MS;
    char id[32];
    for (int64_t i = 0; i < n; i++) {
        if (i % 20000 == 0 && hc_store_begin(s, &err))
            bench_die("begin", &err);
        snprintf(id, sizeof(id), "ord_%010lld", (long long)i);
        int64_t price = 999 + (i * 7919) % 4000, qty = 1 + i % 3;
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO order_lines (seller, order_id, line_no, sku, qty, price_minor,"
                         " currency, allocated) VALUES ('AD1', ?, 1, 'SKU', ?, ?, 'EUR', ?)",
                         "siii", id, qty, price, qty) ||
            hc_store_run(s, &err, NULL,
                         "INSERT INTO order_history (seller, order_id, id, status, at) VALUES"
                         " ('AD1', ?, 1, 'shipped', ?)",
                         "si", id, jan1 + i * (span / n)))
            bench_die("insert", &err);
        if ((i % 20000 == 19999 || i == n - 1) && hc_store_commit(s, &err))
            bench_die("commit", &err);
    }
    printf("load: %lld shipped orders in %.1f s\n", (long long)n, bench_secs(hc_mono_ns() - t0));
    hc_arena_free(a);
}

/* The same join read straight from SQLite, summed per day in SQL. */
static void raw(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        bench_die("sqlite open", NULL);
    int64_t t0 = hc_mono_ns(), rows = 0, sum = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT h.at, h.order_id, l.currency, l.qty * l.price_minor FROM"
                           " order_history h JOIN order_lines l ON l.seller = h.seller AND"
                           " l.order_id = h.order_id WHERE h.seller = 'AD1' AND h.status ="
                           " 'shipped' AND h.at >= ? AND h.at < ? ORDER BY h.at, h.order_id",
                           -1, &st, NULL) != SQLITE_OK)
        bench_die(sqlite3_errmsg(db), NULL);
    sqlite3_bind_int64(st, 1, bench_at_ms("2024-12-31T16:00:00Z"));
    sqlite3_bind_int64(st, 2, bench_at_ms("2025-12-31T16:00:00Z"));
    while (sqlite3_step(st) == SQLITE_ROW) {
        sum += sqlite3_column_int64(st, 3);
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("raw sqlite: the same ordered join, %lld rows, %.3f s (EUR minor %lld)\n",
           (long long)rows, bench_secs(hc_mono_ns() - t0), (long long)sum);
}

static void sheet_bench(const char *dir, int64_t rows)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/sheet.xlsx", dir);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "cards");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    char card[32];
    int64_t t0 = hc_mono_ns();
    for (int64_t r = 0; r < rows; r++) {
        snprintf(card, sizeof(card), "card-%lld", (long long)(r / 8));
        worksheet_write_string(ws, (lxw_row_t)r, 0, card, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, "DE-DUI", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, "SZ-ANKO", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 3, "EUR", NULL);
        lxw_datetime d = {2027, 1, 1, 0, 0, 0};
        worksheet_write_datetime(ws, (lxw_row_t)r, 4, &d, date);
        worksheet_write_string(ws, (lxw_row_t)r, 6, "storage_m3", NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 7, (double)(r % 8) * 30, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 8, (double)(r % 8) * 30 + 29, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 9, 0.45 + (double)(r % 100) / 100, NULL);
    }
    if (workbook_close(wb) != LXW_NO_ERROR)
        bench_die("workbook_close", NULL);
    double write = bench_secs(hc_mono_ns() - t0);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        bench_die(path, NULL);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *bytes = malloc((size_t)len);
    if (bytes == NULL || fread(bytes, 1, (size_t)len, f) != (size_t)len)
        bench_die("read", NULL);
    fclose(f);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_sheet sh;
    hc_err err = {0};
    t0 = hc_mono_ns();
    int rc = hc_sheet_read_xlsx(a, bytes, (size_t)len, &sh, &err);
    double read = bench_secs(hc_mono_ns() - t0);
    if (rc != HC_OK)
        printf("sheet: %lld rows x 10 columns, %ld bytes: %s %s\n", (long long)rows, len,
               err.field, err.msg);
    else
        printf("sheet: %lld rows x 10 columns, %ld bytes written in %.3f s, read in %.3f s"
               " (%zu rows; last rate %s)\n",
               (long long)rows, len, write, read, sh.nrows,
               sh.nrows ? sh.cells[sh.nrows - 1][9] : "-");
    hc_arena_free(a);
    free(bytes);
    unlink(path);
}

int main(int argc, char **argv)
{
    int64_t n = 1000000, rows = 100000;
    const char *path = NULL;
    bool keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--orders") == 0 && i + 1 < argc) {
            if (hc_parse_i64(argv[++i], 1, 100000000, &n) != HC_OK)
                bench_die("--orders: 1..100000000", NULL);
        } else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
            if (hc_parse_i64(argv[++i], 1, HC_SHEET_ROWS_MAX, &rows) != HC_OK)
                bench_die("--rows: 1..100000", NULL);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = true;
        } else {
            fprintf(stderr, "usage: finance_adcap_bench [--orders N] [--rows R] [--db PATH]"
                            " [--keep]\n");
            return 2;
        }
    }
    hc_err err = {0};
    if (hc_catalog_load_reference(NULL, &err) != HC_OK)
        bench_die("reference data", &err);
    struct bench_db db;
    bench_db_open(&db, path, "hc-bench-adcap");
    hc_store *s = db.s;
    int64_t have = 0;
    if (hc_store_int(s, &err, &have, "SELECT COUNT(*) FROM order_history WHERE seller = 'AD1'",
                     "") != HC_OK)
        bench_die("count", &err);
    if (have == 0)
        load(s, n);
    else
        printf("reusing %s: %lld shipped orders\n", db.path, (long long)have);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_adcap_report rep;
    for (int run = 0; run < 2; run++) {
        int64_t t0 = hc_mono_ns();
        if (hc_adcap_report(s, a, "AD1", 2025, bench_at_ms("2026-06-01T00:00:00Z"), &rep, &err))
            bench_die("report", &err);
        const struct hc_adcap_year *y = &rep.years[rep.n - 1];
        printf("report 2025 (run %d): %lld orders, revenue %lld, cap %lld, allowed %lld, "
               "carried out %lld (CNY fen) in %.3f s\n",
               run + 1, (long long)y->orders, (long long)y->revenue, (long long)y->cap,
               (long long)y->allowed, (long long)y->carried_out, bench_secs(hc_mono_ns() - t0));
    }
    hc_arena_free(a);
    hc_store_close(s);
    db.s = NULL;
    raw(db.path);
    sheet_bench(db.dir, rows);
    bench_db_close(&db, keep);
    return 0;
}

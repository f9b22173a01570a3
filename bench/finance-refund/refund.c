/* finance_refund_bench: the export VAT refund report (hc_refund_report_build)
 * of a seller with N 9810 declaration items (default 100,000), and the item
 * list with its sold/unsold split (hc_refund_items), on a fresh SQLite file.
 *
 *   finance_refund_bench [--items N] [--db PATH] [--keep]
 *
 * The data: 2 overseas warehouses x 1,000 SKUs; lists of 100 items (USD,
 * customs code 502), each item 20 units of one SKU, released by customs on
 * days spread over the last 100 days (Beijing) with CEB792 numbers; N/2
 * consumer shipments of 4 units (orders shipped from the lists' warehouses,
 * goods-journal moves order/ -> carrier/) over the last 90 days; a
 * manufacturer profile, refund rates per 4-digit heading, USD/CNY for every
 * release day; then one filing (with its grant) of every item exported by 50
 * days ago, made by hc_refund_file and timed too. Rows go in directly
 * (prepared INSERTs, one transaction per table); a --db that holds them
 * (--keep) is reused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "finance/finance.h"

#define SKUS 1000
#define ITEMS_PER_LIST 100
#define UNITS 20

static void run(hc_store *s, const char *what, int rc, hc_err *err)
{
    if (rc != HC_OK)
        bench_die(what, err);
}

static void load_lists(hc_store *s, int64_t n, int64_t now, hc_err *err)
{
    int64_t lists = (n + ITEMS_PER_LIST - 1) / ITEMS_PER_LIST;
    run(s, "begin", hc_store_begin(s, err), err);
    for (int64_t l = 0; l < lists; l++) {
        char id[32], entry[48];
        snprintf(id, sizeof(id), "cil_%08lld", (long long)l);
        snprintf(entry, sizeof(entry), "29922026%010lld", (long long)l);
        int64_t released = now - (100 - 100 * l / lists) * HC_DAY_MS + 3600000LL;
        const char *wh = l % 2 ? "US-LAX" : "DE-DUI";
        run(s, "list",
            hc_store_run(s, err, NULL,
                         "INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref,"
                         " warehouse, cop_no, invt_guid, order_no, logistics_no, state, inspection,"
                         " customs_code, port_code, traf_mode, country, currency, ebc_code,"
                         " owner_code, total_price, gross_weight, net_weight, released_at,"
                         " created_at, updated_at) VALUES ('B1', ?, '9810', 'inbound', ?, ?, ?,"
                         " 'g', 'o', 'l', 800, '', '2992', '2992', '2', '502', '502', 'e', 'o',"
                         " '0', '0', '0', ?, 0, 0)",
                         "ssssi", id, id, wh, id, released),
            err);
        for (int64_t g = 1; g <= ITEMS_PER_LIST && l * ITEMS_PER_LIST + g <= n; g++) {
            int64_t k = (l * ITEMS_PER_LIST + g) % SKUS;
            char sku[32], gcode[32], total[48];
            snprintf(sku, sizeof(sku), "SKU-%04lld", (long long)k);
            snprintf(gcode, sizeof(gcode), "%04lld300000", (long long)(8401 + k % 90));
            snprintf(total, sizeof(total), "%lld.50", (long long)(UNITS * (5 + k % 40)));
            run(s, "item",
                hc_store_run(s, err, NULL,
                             "INSERT INTO customs_list_items (seller, list_id, gnum, sku,"
                             " item_name, gname, gcode, qty, unit, qty1, unit1, price,"
                             " total_price, currency, country, entry_id, entry_gnum) VALUES"
                             " ('B1', ?, ?, ?, 'x', 'x', ?, ?, '011', '1', '011', '1', ?, '502',"
                             " '502', ?, ?)",
                             "sississi", id, g, sku, gcode, (int64_t)UNITS, total, entry, g),
                err);
        }
    }
    run(s, "commit", hc_store_commit(s, err), err);
}

static void load_sales(hc_store *s, int64_t n, int64_t now, hc_err *err)
{
    run(s, "begin", hc_store_begin(s, err), err);
    for (int64_t i = 0; i < n / 2; i++) {
        char id[32], sku[32];
        snprintf(id, sizeof(id), "ord_%08lld", (long long)i);
        snprintf(sku, sizeof(sku), "SKU-%04lld", (long long)(i * 7 % SKUS));
        const char *wh = (i / SKUS) % 2 ? "US-LAX" : "DE-DUI";
        int64_t at = now - 90 * HC_DAY_MS + i * (90 * HC_DAY_MS / (n / 2 + 1));
        run(s, "order",
            hc_store_run(s, err, NULL,
                         "INSERT INTO orders (seller, id, channel, channel_order_id, status,"
                         " warehouse, ship_to, ship_country, created_at, updated_at) VALUES"
                         " ('B1', ?, 'shop', ?, 'shipped', ?, '{}', 'US', ?, ?)",
                         "sssii", id, id, wh, at, at),
            err);
        run(s, "line",
            hc_store_run(s, err, NULL,
                         "INSERT INTO order_lines (seller, order_id, line_no, sku, qty,"
                         " price_minor, currency, allocated) VALUES ('B1', ?, 1, ?, 4, 1999,"
                         " 'USD', 0)",
                         "ss", id, sku),
            err);
        char from[48];
        snprintf(from, sizeof(from), "order/%s", id);
        run(s, "journal",
            hc_store_run(s, err, NULL,
                         "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place,"
                         " to_place, ref, actor) VALUES ('B1', ?, ?, 'move', ?, 4, ?,"
                         " 'carrier/DHL', ?, 'bench')",
                         "iisss", i + 1, at, sku, from, id),
            err);
    }
    run(s, "commit", hc_store_commit(s, err), err);
}

static void load_reference(hc_store *s, int64_t now, hc_err *err)
{
    run(s, "begin", hc_store_begin(s, err), err);
    run(s, "seller",
        hc_store_run(s, err, NULL,
                     "INSERT INTO sellers (code, name, country, created_at) VALUES ('B1',"
                     " 'Bench seller', 'CN', 0)",
                     ""),
        err);
    struct hc_refund_profile p = {"B1", HC_REFUND_MANUFACTURER, 1300};
    run(s, "profile", hc_refund_profile_put(s, &p, "bench", err), err);
    struct hc_refund_rate r[90];
    char codes[90][8];
    for (int k = 0; k < 90; k++) {
        snprintf(codes[k], sizeof(codes[k]), "%04d", 8401 + k);
        r[k] = (struct hc_refund_rate){codes[k], "2020-01-01", k % 3 ? 1300 : 900, "bench"};
    }
    run(s, "rates", hc_refund_rates_put(s, "B1", r, 90, "bench", err), err);
    for (int d = 0; d <= 101; d++) {
        char day[11];
        bench_beijing_day(now - d * HC_DAY_MS, day);
        struct hc_fx_rate x = {"USD", "CNY", day, 71234000000LL + d * 1000000LL, "bench"};
        run(s, "fx", hc_fx_rates_put(s, &x, 1, "bench", err), err);
    }
    run(s, "commit", hc_store_commit(s, err), err);
}

int main(int argc, char **argv)
{
    int64_t n = 100000;
    const char *path = NULL;
    bool keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--items") == 0 && i + 1 < argc) {
            if (hc_parse_i64(argv[++i], 100, 10000000, &n) != HC_OK)
                bench_die("--items: 100 to 10,000,000", NULL);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = true;
        } else {
            fprintf(stderr, "usage: finance_refund_bench [--items N] [--db PATH] [--keep]\n");
            return 2;
        }
    }
    hc_err err = {0};
    struct bench_db db;
    bench_db_open(&db, path, "hc-refund-bench");
    hc_store *s = db.s;
    if (hc_currency_load("data/currencies.csv", &err) != HC_OK)
        hc_err_clear(&err); /* run from elsewhere: any 3 letters pass */
    int64_t now = hc_now_ms(), have = 0;
    run(s, "count", hc_store_int(s, &err, &have, "SELECT COUNT(*) FROM customs_list_items", ""),
        &err);
    int64_t t0 = hc_mono_ns();
    if (have == 0) {
        load_reference(s, now, &err);
        load_lists(s, n, now, &err);
        load_sales(s, n, now, &err);
        printf("loaded %lld items, %lld shipments in %.1f s\n", (long long)n, (long long)n / 2,
               bench_secs(hc_mono_ns() - t0));
    } else {
        n = have;
        printf("reusing %lld items in %s\n", (long long)n, db.path);
    }
    char today[11], filed[11], granted[11];
    bench_beijing_day(now, today);
    bench_beijing_day(now - 50 * HC_DAY_MS, filed);
    bench_beijing_day(now - 45 * HC_DAY_MS, granted);
    hc_arena *a = hc_arena_new(1 << 24);
    int64_t filings = 0;
    run(s, "filings", hc_store_int(s, &err, &filings, "SELECT COUNT(*) FROM refund_filings", ""),
        &err);
    if (filings == 0) {
        struct hc_refund_filing f;
        t0 = hc_mono_ns();
        run(s, "begin", hc_store_begin(s, &err), &err);
        run(s, "file", hc_refund_file(s, a, "B1", filed, granted, NULL, 0, "bench", &f, &err),
            &err);
        run(s, "commit", hc_store_commit(s, &err), &err);
        printf("filing at %s: %zu items, %lld lines, refund %lld fen: %.3f s\n", filed, f.nitems,
               (long long)f.nlines, (long long)f.refund_fen, bench_secs(hc_mono_ns() - t0));
    }
    for (int round = 0; round < 3; round++) {
        hc_arena *r = hc_arena_new(1 << 24);
        struct hc_refund_report rep;
        t0 = hc_mono_ns();
        int64_t c0 = bench_cpu_ns();
        run(s, "report", hc_refund_report_build(s, r, "B1", today, &rep, &err), &err);
        int64_t ns = hc_mono_ns() - t0, cpu = bench_cpu_ns() - c0;
        size_t blocked = 0;
        for (size_t i = 0; i < rep.nto_file; i++)
            blocked += rep.to_file[i].blocked_field != NULL;
        printf("report of %lld items: %.3f s wall, %.3f s CPU (to file %zu, %zu blocked, refund "
               "%lld fen;"
               " to reconcile %zu; repay %zu; recovered %zu)\n",
               (long long)n, bench_secs(ns), bench_secs(cpu), rep.nto_file, blocked,
               (long long)rep.file_refund_fen, rep.nto_reconcile, rep.nto_repay, rep.nrecovered);
        struct hc_refund_item *v;
        size_t m;
        t0 = hc_mono_ns();
        c0 = bench_cpu_ns();
        run(s, "items", hc_refund_items(s, r, "B1", today, &v, &m, &err), &err);
        int64_t sold = 0;
        for (size_t i = 0; i < m; i++)
            sold += v[i].sold;
        printf("items with their split: %.3f s wall, %.3f s CPU (%zu items, %lld units sold)\n",
               bench_secs(hc_mono_ns() - t0), bench_secs(bench_cpu_ns() - c0), m, (long long)sold);
        hc_arena_free(r);
    }
    hc_arena_free(a);
    bench_db_close(&db, keep);
    return 0;
}

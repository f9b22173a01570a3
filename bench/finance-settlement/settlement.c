/* finance_settlement_bench: the netting settlement statement of a seller
 * with N orders sold in a month (default 100,000), built by
 * hc_settlement_build and written as canonical JSON, CSV and XLSX (and
 * signed when HAICANG_SETTLEMENT_KEY/CERT are set).
 *
 *   finance_settlement_bench [--orders N] [--db PATH] [--keep] [--build-only]
 *
 * The month is written straight into the tables, as the modules store them
 * (making 100,000 orders through waves, packing and shipping would time
 * those instead): seller B1 at warehouse BW, 100 SKUs received by 20
 * inbounds (1,000 units each) each declared as a 9810 list of 100 items;
 * N orders shipped over October 2026 (Beijing time; 70 % EUR, 30 % USD, one
 * line of 1-3 units) with their pick moves in the goods journal, an
 * outbound charge each, a storage charge a day, a last-mile external fee
 * each, and head-haul, taxes and advertising for the period; EUR/USD rates
 * for every day. A --db that already holds them (--keep) is reused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "api/api.h"
#include "catalog/catalog.h"
#include "finance/finance.h"
#include "render/render.h"

#define SKUS 100
#define INBOUNDS 20
#define UNITS 1000 /* per inbound and SKU */

#define RUN(...)                                                                                   \
    do {                                                                                           \
        if (hc_store_run(s, &err, NULL, __VA_ARGS__) != HC_OK)                                     \
            bench_die("insert", &err);                                                                   \
    } while (0)

static void stock(hc_store *s, int64_t t)
{
    hc_err err = {0};
    char ib[32], list[32], sku[16];
    for (int i = 0; i < INBOUNDS; i++) {
        snprintf(ib, sizeof(ib), "inb_bench_%02d", i);
        snprintf(list, sizeof(list), "cil_bench_%02d", i);
        RUN("INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref, warehouse, cop_no,"
            " invt_guid, invt_no, order_no, logistics_no, state, inspection, entry_id,"
            " customs_code, port_code, traf_mode, country, currency, ebc_code, owner_code,"
            " total_price, gross_weight, net_weight, created_at, updated_at) VALUES ('B1', ?,"
            " '9810', 'inbound', ?, 'BW', ?, '00000000-0000-0000-0000-000000000000', ?, ?, ?,"
            " 800, 'none', ?, '5300', '5300', '2', 'DEU', 'EUR', '4403960000', '4403960000', '1',"
            " '1', '1', 0, 0)",
            "sssssss", list, ib, list, list, ib, ib, "531620261000000001");
        for (int k = 0; k < SKUS; k++) {
            snprintf(sku, sizeof(sku), "SKU%03d", k);
            RUN("INSERT INTO customs_list_items (seller, list_id, gnum, sku, item_name, gname,"
                " gcode, qty, unit, qty1, unit1, price, total_price, currency, country, entry_id,"
                " entry_gnum) VALUES ('B1', ?, ?, ?, 'Item', 'Item', '8517130000', ?, '011', '1',"
                " '011', '1', '1', 'EUR', 'DEU', '531620261000000001', ?)",
                "sisii", list, (int64_t)k + 1, sku, (int64_t)UNITS, (int64_t)k + 1);
            RUN("INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref,"
                " actor) VALUES ('B1', ?, ?, 'move', ?, ?, 'dock/BW', 'wh/BW/RECV', ?, 'bench')",
                "iisis", (int64_t)(i * SKUS + k + 1), t + i * 1000 + k, sku, (int64_t)UNITS, ib);
        }
    }
}

static void load(hc_store *s, int64_t n)
{
    hc_err err = {0};
    int64_t t0 = hc_mono_ns();
    if (hc_store_begin(s, &err))
        bench_die("begin", &err);
    bench_seed_seller(s, "B1", "BW");
    stock(s, bench_at_ms("2026-09-01T00:00:00Z"));
    for (int d = 0; d < 40; d++) { /* rates 2026-09-25 .. 2026-11-03 */
        char day[11];
        bench_beijing_day(bench_at_ms("2026-09-25T00:00:00Z") + d * HC_DAY_MS, day);
        RUN("INSERT INTO fx_rates (base, quote, day, rate_e10, source, actor, created_at) VALUES"
            " ('EUR', 'USD', ?, ?, 'bench', 'bench', 0)",
            "si", day, (int64_t)10800000000 + d * 1000000);
    }
    int64_t from = bench_at_ms("2026-09-30T16:00:00Z"), span = 31 * HC_DAY_MS;
    for (int d = 0; d < 31; d++) {
        char day[11], id[32], cause[40];
        bench_beijing_day(from + d * HC_DAY_MS, day);
        snprintf(id, sizeof(id), "chg_bench_st_%02d", d);
        snprintf(cause, sizeof(cause), "BW/%s", day);
        RUN("INSERT INTO fin_charges (warehouse, id, seller, kind, cause_kind, cause_id, day, card,"
            " currency, minor, entry, at) VALUES ('BW', ?, 'B1', 'storage', 'storage', ?, ?,"
            " 'card', 'EUR', ?, '', ?)",
            "sssii", id, cause, day, (int64_t)350000 + d * 1000, from + d * HC_DAY_MS + 3600000);
    }
    if (hc_store_commit(s, &err))
        bench_die("commit", &err);
    char id[32], sku[16], day[11], place[48];
    for (int64_t i = 0; i < n; i++) {
        if (i % 20000 == 0 && hc_store_begin(s, &err))
            bench_die("begin", &err);
        bool usd = i % 10 >= 7;
        int64_t at = from + i * (span / n) + 1000, qty = 1 + i % 3;
        snprintf(id, sizeof(id), "ord_bench_%07lld", (long long)i);
        snprintf(sku, sizeof(sku), "SKU%03lld", (long long)((i * 7) % SKUS));
        snprintf(place, sizeof(place), "order/%s", id);
        bench_beijing_day(at, day);
        RUN("INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse, ship_to,"
            " ship_country, created_at, updated_at) VALUES ('B1', ?, 'shop', ?, 'shipped', 'BW',"
            " '{}', 'DE', ?, ?)",
            "ssii", id, id + 4, at - 7200000, at);
        RUN("INSERT INTO order_lines (seller, order_id, line_no, sku, qty, price_minor, currency,"
            " allocated) VALUES ('B1', ?, 0, ?, ?, ?, ?, 0)",
            "ssiis", id, sku, qty, (int64_t)999 + (i * 37) % 4000, usd ? "USD" : "EUR");
        RUN("INSERT INTO order_history (seller, order_id, id, status, at) VALUES ('B1', ?, ?,"
            " 'shipped', ?)",
            "sii", id, i + 1, at);
        RUN("INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref, actor)"
            " VALUES ('B1', ?, ?, 'move', ?, ?, 'wh/BW/A-01-1', ?, ?, 'bench')",
            "iisiss", (int64_t)INBOUNDS * SKUS + 1 + i, at - 3600000, sku, qty, place, id);
        char chg[40];
        snprintf(chg, sizeof(chg), "chg_bench_o%07lld", (long long)i);
        RUN("INSERT INTO fin_charges (warehouse, id, seller, kind, cause_kind, cause_id, day, card,"
            " currency, minor, entry, at) VALUES ('BW', ?, 'B1', 'outbound', 'order', ?, ?, 'card',"
            " 'EUR', ?, '', ?)",
            "sssii", chg, id, day, (int64_t)250 + 50 * (qty - 1), at);
        snprintf(chg, sizeof(chg), "xfee_bench_%07lld", (long long)i);
        RUN("INSERT INTO external_fees (seller, id, order_id, fee_type, minor, currency, day,"
            " reference, actor, created_at) VALUES ('B1', ?, ?, 'last_mile', ?, ?, ?, 'DHL-BENCH',"
            " 'bench', 0)",
            "ssiss", chg, id, (int64_t)(usd ? 690 : 455), usd ? "USD" : "EUR", day);
        if ((i % 20000 == 19999 || i == n - 1) && hc_store_commit(s, &err))
            bench_die("commit", &err);
    }
    static const struct {
        const char *type, *cur, *ref;
        int64_t minor;
    } period[] = {{"head_haul", "EUR", "FRT-BENCH", 24000000},
                  {"taxes", "EUR", "EUST-BENCH", 8500000},
                  {"advertising", "USD", "ADS-BENCH", 6000000}};
    if (hc_store_begin(s, &err))
        bench_die("begin", &err);
    for (size_t k = 0; k < 3; k++) {
        snprintf(id, sizeof(id), "xfee_bench_p%zu", k);
        RUN("INSERT INTO external_fees (seller, id, order_id, fee_type, minor, currency, day,"
            " reference, actor, created_at) VALUES ('B1', ?, '', ?, ?, ?, '2026-10-31', ?,"
            " 'bench', 0)",
            "ssiss", id, period[k].type, period[k].minor, period[k].cur, period[k].ref);
    }
    if (hc_store_commit(s, &err))
        bench_die("commit", &err);
    printf("load: %lld orders with lines, history, pick moves, charges and external fees in"
           " %.1f s\n",
           (long long)n, bench_secs(hc_mono_ns() - t0));
}

static void render(const char *name, int (*fn)(const struct hc_doc *, hc_buf *, hc_err *),
                   const struct hc_doc *d, double build)
{
    hc_buf b;
    hc_err err = {0};
    hc_buf_init(&b, (size_t)1 << 32);
    int64_t t0 = hc_mono_ns(), c0 = bench_cpu_ns();
    if (fn(d, &b, &err) != HC_OK)
        bench_die(name, &err);
    double t = bench_secs(hc_mono_ns() - t0), c = bench_secs(bench_cpu_ns() - c0);
    printf("%-5s %7.1f MB in %.3f s, cpu %.3f s (with the build: %.3f s)\n", name,
           (double)b.n / 1e6, t, c, t + build);
    hc_buf_free(&b);
}

int main(int argc, char **argv)
{
    int64_t n = 100000;
    const char *path = NULL;
    bool build_only = false, keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--orders") == 0 && i + 1 < argc) {
            if (hc_parse_i64(argv[++i], 1, 10000000, &n) != HC_OK)
                bench_die("--orders: 1..10000000", NULL);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--build-only") == 0) {
            build_only = true;
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = true;
        } else {
            fprintf(stderr, "usage: finance_settlement_bench [--orders N] [--db PATH] [--keep]"
                            " [--build-only]\n");
            return 2;
        }
    }
    hc_err err = {0};
    if (hc_catalog_load_reference(NULL, &err) != HC_OK)
        bench_die("reference data", &err);
    struct bench_db db;
    bench_db_open(&db, path, "hc-bench-settle");
    hc_store *s = db.s;
    int64_t have = 0;
    if (hc_store_int(s, &err, &have, "SELECT COUNT(*) FROM orders WHERE seller = 'B1'", "") != HC_OK)
        bench_die("count", &err);
    if (have == 0)
        load(s, n);
    else
        printf("reusing %s: %lld orders\n", db.path, (long long)have);

    int64_t now = bench_at_ms("2026-11-05T00:00:00Z");
    for (int round = 0; round < 2; round++) {
        hc_arena *a = hc_arena_new(1 << 20);
        struct hc_settlement st;
        int64_t t0 = hc_mono_ns(), c0 = bench_cpu_ns();
        if (hc_settlement_build(s, a, "B1", "2026-10-01", "2026-10-31", now, &st, &err) != HC_OK)
            bench_die("settlement", &err);
        double build = bench_secs(hc_mono_ns() - t0);
        printf("run %d: settlement of %zu orders, %zu fee lines, %zu customs lines, %zu pools "
               "built in %.3f s, cpu %.3f s\n",
               round + 1, st.norders, st.nfees, st.ncustoms, st.npools, build,
               bench_secs(bench_cpu_ns() - c0));
        for (size_t i = 0; i < st.ntotals; i++)
            printf("  %s: %lld orders, gross %lld, fees %lld, net %lld (minor units)\n",
                   st.totals[i].currency, (long long)st.totals[i].orders,
                   (long long)st.totals[i].gross, (long long)st.totals[i].fees_total,
                   (long long)st.totals[i].net);
        if (build_only) {
            hc_arena_free(a);
            continue;
        }
        t0 = hc_mono_ns();
        c0 = bench_cpu_ns();
        char *json = hc_api_settlement_json(&st, now);
        double tj = bench_secs(hc_mono_ns() - t0);
        if (json == NULL)
            bench_die("json", NULL);
        printf("json  %7.1f MB in %.3f s, cpu %.3f s (with the build: %.3f s)\n",
               (double)strlen(json) / 1e6, tj, bench_secs(bench_cpu_ns() - c0), tj + build);
        free(json);
        if (getenv("HAICANG_SETTLEMENT_KEY")) {
            t0 = hc_mono_ns();
            c0 = bench_cpu_ns();
            char *signed_doc = hc_api_settlement_signed(&st, now, &err);
            if (signed_doc == NULL)
                bench_die("signed", &err);
            double ts = bench_secs(hc_mono_ns() - t0);
            printf("signed %6.1f MB in %.3f s, cpu %.3f s (with the build: %.3f s)\n",
                   (double)strlen(signed_doc) / 1e6, ts, bench_secs(bench_cpu_ns() - c0), ts + build);
            free(signed_doc);
        }
        struct hc_doc d;
        hc_settlement_doc(a, &st, "zh", &d);
        render("csv", hc_render_csv, &d, build);
        render("xlsx", hc_render_xlsx, &d, build);
        hc_arena_free(a);
    }
    bench_db_close(&db, keep);
    return 0;
}

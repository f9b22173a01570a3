/* Unit tests for the advertising deduction cap (src/finance/adcap.c, EIT
 * Art. 44): the arithmetic of one year (half-even cap, 0 % category, the
 * carry), a carry-forward across three years with categories changing by
 * year against figures worked out by hand below, revenue converted per
 * Beijing ship day, and the CSV reader's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "catalog/catalog.h"
#include "finance/finance.h"

static char url[512];

static int64_t t(const char *iso)
{
    int64_t ms = 0;
    assert_int_equal(hc_time_parse_iso(iso, &ms), HC_OK);
    return ms;
}

static struct hc_adcap_year year(int64_t revenue, int64_t spend, int64_t in, int64_t bp)
{
    struct hc_adcap_year y = {.year = 2025, .rate_bp = bp, .revenue = revenue, .spend = spend,
                              .carried_in = in};
    hc_err err = {0};
    assert_int_equal(hc_adcap_compute(&y, &err), HC_OK);
    return y;
}

static void test_compute_one_year(void **state)
{
    (void)state;
    /* spend under the cap: all of it and the carry allowed */
    struct hc_adcap_year y = year(1000000, 50000, 20000, 1500); /* cap 1500.00 */
    assert_int_equal(y.cap, 150000);
    assert_int_equal(y.allowed, 70000);
    assert_int_equal(y.carried_out, 0);
    /* over the cap: the excess carried */
    y = year(1000000, 200000, 30000, 1500);
    assert_int_equal(y.allowed, 150000);
    assert_int_equal(y.carried_out, 80000);
    /* 0 % (tobacco): nothing allowed, everything carried */
    y = year(1000000, 12345, 100, 0);
    assert_int_equal(y.cap, 0);
    assert_int_equal(y.allowed, 0);
    assert_int_equal(y.carried_out, 12445);
    /* 100 %: the whole revenue */
    y = year(999, 5000, 0, 10000);
    assert_int_equal(y.allowed, 999);
    assert_int_equal(y.carried_out, 4001);
}

static void test_compute_rounding(void **state)
{
    (void)state;
    /* cap = revenue x rate, half-even to the fen */
    assert_int_equal(year(10, 100, 0, 1500).cap, 2);  /* 1.5 -> 2 */
    assert_int_equal(year(30, 100, 0, 1500).cap, 4);  /* 4.5 -> 4 */
    assert_int_equal(year(50, 100, 0, 1500).cap, 8);  /* 7.5 -> 8 */
    assert_int_equal(year(1, 100, 0, 1500).cap, 0);   /* 0.15 -> 0 */
    assert_int_equal(year(4, 100, 0, 1250).cap, 0);   /* 0.5 -> 0 */
    assert_int_equal(year(12, 100, 0, 1250).cap, 2);  /* 1.5 -> 2 */
    assert_int_equal(year(93701, 0, 0, 1250).cap, 11713); /* 11712.625 -> 11713 */
    /* allowed + carried_out is always spend + carried_in */
    struct hc_adcap_year y = year(30, 7, 3, 1500);
    assert_int_equal(y.allowed + y.carried_out, 10);
    assert_int_equal(y.allowed, 4);
}

static void test_compute_overflow(void **state)
{
    (void)state;
    struct hc_adcap_year y = {.rate_bp = 1500, .spend = INT64_MAX, .carried_in = 1};
    hc_err err = {0};
    assert_int_equal(hc_adcap_compute(&y, &err), HC_EINVAL);
    assert_string_equal(err.field, "spend");
}

/* A shipped order of seller: one line qty x price, its shipped event at `at`. */
static void shipped(hc_store *s, const char *seller, const char *id, int64_t qty, int64_t price,
                    const char *cur, int64_t at)
{
    hc_err err = {0};
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO order_lines (seller, order_id, line_no, sku, qty,"
                                  " price_minor, currency, allocated) VALUES (?, ?, 1, 'SKU', ?,"
                                  " ?, ?, 0)",
                                  "ssiis", seller, id, qty, price, cur),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO order_history (seller, order_id, id, status, at)"
                                  " VALUES (?, ?, 1, 'shipped', ?)",
                                  "ssi", seller, id, at),
                     HC_OK);
}

static void put_spend(hc_store *s, const char *seller, const char *channel, const char *month,
                      int64_t minor, const char *cur)
{
    hc_arena *a = hc_arena_new(4096);
    struct hc_ad_spend x = {.channel = channel, .month = month, .currency = cur, .minor = minor};
    hc_err err = {0};
    assert_int_equal(hc_adcap_spend_put(s, a, seller, &x, 1, "t", &err), HC_OK);
    hc_arena_free(a);
}

static void set_category(hc_store *s, const char *seller, const char *cat, int from)
{
    struct hc_ad_category c = {.seller = seller, .category = cat, .year_from = from,
                               .rate_bp = -1};
    hc_err err = {0};
    assert_int_equal(hc_adcap_category_set(s, &c, "t", &err), HC_OK);
}

/* Three years of seller A1:
 *  2024 general 15 %: spend 1000.00 CNY; revenue 3000.00 CNY -> cap 450.00,
 *       allowed 450.00, carried 550.00
 *  2025 tobacco 0 %: spend 100.00 EUR at 7.8 on 2025-06-30 = 780.00; revenue
 *       EUR 100.00 shipped 2025-12-31 23:30 Beijing (15:30 UTC) at 7.85 =
 *       785.00 -> cap 0, allowed 0, carried 550.00 + 780.00 = 1330.00
 *  2026 cosmetics 30 %: no spend; revenue EUR 0.01 on 2026-01-01 00:30 Beijing
 *       (2025-12-31 16:30 UTC) and 0.01 more that day at 7.9 = 0.158 -> 0.16
 *       (summed per day, then converted), plus 5000.00 CNY -> 5000.16; cap
 *       1500.048 -> 1500.05; allowed 1330.00, carried 0 */
static void test_carry_forward_three_years(void **state)
{
    (void)state;
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_seller a1 = {"A1", "Ad seller", "CN", NULL, NULL, 0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &a1, &err), HC_OK);
    struct hc_fx_rate r[] = {{"EUR", "CNY", "2025-06-30", 78000000000, "t"},
                             {"EUR", "CNY", "2025-12-31", 78500000000, "t"},
                             {"EUR", "CNY", "2026-01-01", 79000000000, "t"}};
    assert_int_equal(hc_fx_rates_put(s, r, 3, "t", &err), HC_OK);
    put_spend(s, "A1", "amazon", "2024-02", 60000, "CNY");
    put_spend(s, "A1", "douyin", "2024-11", 40000, "CNY");
    put_spend(s, "A1", "tiktok", "2025-06", 10000, "EUR");
    set_category(s, "A1", "tobacco", 2025);
    set_category(s, "A1", "cosmetics", 2026);
    shipped(s, "A1", "o1", 3, 100000, "CNY", t("2024-05-01T00:00:00Z"));
    shipped(s, "A1", "o2", 1, 10000, "EUR", t("2025-12-31T15:30:00Z"));
    shipped(s, "A1", "o3", 1, 1, "EUR", t("2025-12-31T16:30:00Z"));
    shipped(s, "A1", "o4", 1, 1, "EUR", t("2026-01-01T03:00:00Z"));
    shipped(s, "A1", "o5", 2, 250000, "CNY", t("2026-03-01T00:00:00Z"));
    assert_int_equal(hc_store_commit(s, &err), HC_OK);

    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_adcap_report rep;
    assert_int_equal(hc_adcap_report(s, a, "A1", 2026, t("2026-12-31T00:00:00Z"), &rep, &err),
                     HC_OK);
    assert_int_equal(rep.n, 3);
    const struct hc_adcap_year *y = rep.years;
    assert_int_equal(y[0].year, 2024);
    assert_string_equal(y[0].category, "general");
    assert_int_equal(y[0].revenue, 300000);
    assert_int_equal(y[0].spend, 100000);
    assert_int_equal(y[0].cap, 45000);
    assert_int_equal(y[0].allowed, 45000);
    assert_int_equal(y[0].carried_out, 55000);
    assert_string_equal(y[1].category, "tobacco");
    assert_int_equal(y[1].rate_bp, 0);
    assert_int_equal(y[1].revenue, 78500);
    assert_int_equal(y[1].orders, 1);
    assert_int_equal(y[1].spend, 78000);
    assert_int_equal(y[1].carried_in, 55000);
    assert_int_equal(y[1].allowed, 0);
    assert_int_equal(y[1].carried_out, 133000);
    assert_string_equal(y[2].category, "cosmetics");
    assert_int_equal(y[2].orders, 3);
    assert_int_equal(y[2].revenue, 500016);
    assert_int_equal(y[2].cap, 150005);
    assert_int_equal(y[2].allowed, 133000);
    assert_int_equal(y[2].carried_out, 0);
    assert_int_equal(y[2].ncur, 2);

    /* the report of 2025 alone ends where 2026 begins */
    assert_int_equal(hc_adcap_report(s, a, "A1", 2025, t("2026-12-31T00:00:00Z"), &rep, &err),
                     HC_OK);
    assert_int_equal(rep.n, 2);
    assert_int_equal(rep.years[1].carried_out, 133000);
    /* a year to come, and a day without a rate */
    assert_int_equal(hc_adcap_report(s, a, "A1", 2027, t("2026-12-31T00:00:00Z"), &rep, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "year");
    hc_err_clear(&err);
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    shipped(s, "A1", "o6", 1, 100, "USD", t("2026-06-01T00:00:00Z"));
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    assert_int_equal(hc_adcap_report(s, a, "A1", 2026, t("2026-12-31T00:00:00Z"), &rep, &err),
                     HC_ECONFLICT);
    assert_string_equal(err.field, "currency");
    assert_non_null(strstr(err.msg, "2026-06-01"));
    hc_arena_free(a);
    hc_store_close(s);
}

static void test_csv_refusals(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    struct hc_ad_spend *rows;
    size_t n;
    hc_err err = {0};
    const char ok[] = "\xEF\xBB\xBF"
                      "channel,month,amount,currency\r\namazon,2025-01,1.50,CNY\r\n\r\n"
                      "ebay,2025-02,2,USD,2025-02-27,INV 7\n";
    assert_int_equal(hc_adcap_spend_csv_parse(a, ok, strlen(ok), &rows, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].minor, 150);
    assert_string_equal(rows[1].fx_day, "2025-02-27");
    assert_string_equal(rows[1].reference, "INV 7");
    static const struct {
        const char *csv, *field;
    } bad[] = {
        {"amazon,2025-01,-1,CNY\n", "line 1: amount"},
        {"amazon,2025-1,1,CNY\n", "line 1: month"},
        {"amazon,2025-13,1,CNY\n", "line 1: month"},
        {"amazon,1999-12,1,CNY\n", "line 1: month"},
        {"amazon,2025-01,1,CNY\nfriendster,2025-01,1,CNY\n", "line 2: channel"},
        {"amazon,2025-01,1.001,CNY\n", "line 1: amount"},
        {"amazon,2025-01,1,ABCD\n", "line 1: currency"},
        {"amazon,2025-01,1,CNY,2025-02-30\n", "line 1: fx_day"},
        {"amazon,2025-01\n", "line 1"},
        {"\n\n", "body"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hc_err_clear(&err);
        assert_int_equal(hc_adcap_spend_csv_parse(a, bad[i].csv, strlen(bad[i].csv), &rows, &n,
                                                  &err),
                         HC_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    hc_arena_free(a);
}

static void test_categories(void **state)
{
    (void)state;
    assert_int_equal(hc_adcap_category_bp("general"), 1500);
    assert_int_equal(hc_adcap_category_bp("soft_drinks"), 3000);
    assert_int_equal(hc_adcap_category_bp("tobacco"), 0);
    assert_int_equal(hc_adcap_category_bp("beer"), -1);
    assert_true(hc_adcap_channel_known("tiktok"));
    assert_false(hc_adcap_channel_known("TikTok"));
    hc_store *s = test_store(url);
    struct hc_ad_category c = {.seller = "A1", .category = "general", .year_from = 2025,
                               .rate_bp = 10001};
    hc_err err = {0};
    assert_int_equal(hc_adcap_category_set(s, &c, "t", &err), HC_EINVAL);
    assert_string_equal(err.field, "rate_pct");
    hc_store_close(s);
}

int main(void)
{
    hc_err err = {0};
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_one_year),
        cmocka_unit_test(test_compute_rounding),
        cmocka_unit_test(test_compute_overflow),
        cmocka_unit_test(test_carry_forward_three_years),
        cmocka_unit_test(test_csv_refusals),
        cmocka_unit_test(test_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

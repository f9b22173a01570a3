/* Unit tests for the money journal (src/ledger/money.c) and FX
 * (src/finance/fx.c): entries must balance per currency and are refused
 * whole otherwise, amounts round half-even to each currency's minor units,
 * verify finds a tampered balance or posting, and no conversion happens
 * without a rate of that very day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "finance/finance.h"

static char url[512];

static int64_t count(hc_store *s, const char *sql)
{
    hc_err err = {0};
    int64_t v = -1;
    if (hc_store_int(s, &err, &v, sql, "") != HC_OK)
        return -1;
    return v;
}

static int post(hc_store *s, const struct hc_money_line *l, size_t n, const char *idem,
                struct hc_money_posted *out, hc_err *err)
{
    struct hc_money_entry e = {.actor = "t", .idem_key = idem, .cause_kind = HC_CAUSE_TOPUP,
                               .cause_id = "ref-1", .seller = "S1", .warehouse = "",
                               .lines = l, .nlines = n};
    if (hc_store_begin(s, err) != HC_OK)
        return err->code;
    int rc = hc_money_post(s, &e, out, err);
    hc_err tmp = {0};
    if (rc == HC_OK)
        rc = hc_store_commit(s, err);
    else
        hc_store_rollback(s, &tmp);
    return rc;
}

static void balanced_entries_enforced(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_money_posted p;
    /* debits 1000, credits 999: refused naming lines, nothing written */
    struct hc_money_line bad[2] = {{"seller/S1/receipts", "EUR", 1000, NULL, NULL, NULL},
                                   {"seller/S1/wallet", "EUR", -999, NULL, NULL, NULL}};
    assert_int_equal(post(s, bad, 2, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines");
    assert_non_null(strstr(err.msg, "EUR"));
    hc_err_clear(&err);
    /* balanced in total but not per currency */
    struct hc_money_line mixed[2] = {{"seller/S1/receipts", "EUR", 1000, NULL, NULL, NULL},
                                     {"seller/S1/wallet", "USD", -1000, NULL, NULL, NULL}};
    assert_int_equal(post(s, mixed, 2, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines");
    hc_err_clear(&err);
    struct hc_money_line zero[2] = {{"seller/S1/receipts", "EUR", 0, NULL, NULL, NULL},
                                    {"seller/S1/wallet", "EUR", 0, NULL, NULL, NULL}};
    assert_int_equal(post(s, zero, 2, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines[0].minor");
    hc_err_clear(&err);
    struct hc_money_line acct[2] = {{"seller/S1/receipts", "EUR", 5, NULL, NULL, NULL},
                                    {"bank/S1/wallet", "EUR", -5, NULL, NULL, NULL}};
    assert_int_equal(post(s, acct, 2, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines[1].account");
    hc_err_clear(&err);
    struct hc_money_line cur[2] = {{"seller/S1/receipts", "EURO", 5, NULL, NULL, NULL},
                                   {"seller/S1/wallet", "EURO", -5, NULL, NULL, NULL}};
    assert_int_equal(post(s, cur, 2, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines[0].currency");
    hc_err_clear(&err);
    struct hc_money_line one[1] = {{"seller/S1/receipts", "EUR", 5, NULL, NULL, NULL}};
    assert_int_equal(post(s, one, 1, NULL, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "lines");
    hc_err_clear(&err);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM money_entries"), 0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM money_postings"), 0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM money_balances"), 0);

    /* a balanced entry in two currencies books, and balances follow */
    struct hc_money_line ok[4] = {{"seller/S1/wallet", "EUR", 1000, NULL, NULL, NULL},
                                  {"seller/S1/fx", "EUR", -1000, NULL, NULL, NULL},
                                  {"seller/S1/fx", "CNY", 7812, "7.812", "2026-11-02", NULL},
                                  {"seller/S1/wallet", "CNY", -7812, "7.812", "2026-11-02", NULL}};
    assert_int_equal(post(s, ok, 4, "k1", &p, &err), HC_OK);
    assert_false(p.replayed);
    assert_int_equal(strncmp(p.id, "mny_", 4), 0);
    int64_t b = 0;
    assert_int_equal(hc_money_balance(s, "seller/S1/wallet", "CNY", &b, &err), HC_OK);
    assert_int_equal(b, -7812);
    /* the same idempotency key books nothing more and names the first entry */
    char first[HC_MONEY_ID_MAX];
    hc_strlcpy(first, p.id, sizeof(first));
    assert_int_equal(post(s, ok, 4, "k1", &p, &err), HC_OK);
    assert_true(p.replayed);
    assert_string_equal(p.id, first);
    assert_int_equal(hc_money_balance(s, "seller/S1/wallet", "CNY", &b, &err), HC_OK);
    assert_int_equal(b, -7812);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM money_postings"), 4);
    /* the posting carries its rate and day */
    hc_arena *a = hc_arena_new(4096);
    struct hc_money_posting *rows;
    size_t n;
    int64_t next;
    struct hc_money_filter f = {.account = "seller/S1/wallet", .limit = 1};
    assert_int_equal(hc_money_postings(s, a, &f, &rows, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_true(next > 0);
    assert_string_equal(rows[0].currency, "EUR");
    f.after = next;
    assert_int_equal(hc_money_postings(s, a, &f, &rows, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(next, 0);
    assert_string_equal(rows[0].fx_rate, "7.812");
    assert_string_equal(rows[0].fx_day, "2026-11-02");
    hc_arena_free(a);
    hc_store_close(s);
}

static void rounding_per_currency(void **state)
{
    hc_err err = {0};
    int64_t out = 0, rate = 0;
    /* EUR 100.00 at 7.8125 CNY: exact */
    assert_int_equal(hc_fx_rate_parse("7.8125", &rate), HC_OK);
    assert_int_equal(rate, 78125000000LL);
    assert_int_equal(hc_fx_apply(10000, "EUR", "CNY", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 78125);
    /* USD 1.00 to JPY (0 minor digits): 150.5 -> 150 (even), 151.5 -> 152 */
    assert_int_equal(hc_fx_rate_parse("150.5", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(100, "USD", "JPY", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 150);
    assert_int_equal(hc_fx_rate_parse("151.5", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(100, "USD", "JPY", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 152);
    assert_int_equal(hc_fx_rate_parse("150.50001", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(100, "USD", "JPY", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 151);
    /* EUR 1.00 to KWD (3 minor digits): 0.3335 -> 0.334, 0.3345 -> 0.334 */
    assert_int_equal(hc_fx_rate_parse("0.3335", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(100, "EUR", "KWD", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 334);
    assert_int_equal(hc_fx_rate_parse("0.3345", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(100, "EUR", "KWD", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 334);
    /* JPY 1000 to EUR at 0.0061234 -> 6.1234 EUR -> 6.12 */
    assert_int_equal(hc_fx_rate_parse("0.0061234", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(1000, "JPY", "EUR", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, 612);
    /* negative amounts round symmetrically */
    assert_int_equal(hc_fx_rate_parse("150.5", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(-100, "USD", "JPY", rate, false, &out, &err), HC_OK);
    assert_int_equal(out, -150);
    /* inverse: CNY 7.81 at EUR/CNY 7.8125 -> EUR 0.99968 -> 1.00 */
    assert_int_equal(hc_fx_rate_parse("7.8125", &rate), HC_OK);
    assert_int_equal(hc_fx_apply(781, "CNY", "EUR", rate, true, &out, &err), HC_OK);
    assert_int_equal(out, 100);
    /* amounts in minor units: more digits than the currency has is refused, never rounded */
    int64_t m = 0;
    assert_int_equal(hc_decimal_parse("12.345", hc_currency_scale("EUR"), &m), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("12.345", hc_currency_scale("KWD"), &m), HC_OK);
    assert_int_equal(m, 12345);
    assert_int_equal(hc_decimal_parse("12.3", hc_currency_scale("JPY"), &m), HC_EINVAL);
    /* rates: positive decimals of at most 10 fraction digits */
    assert_int_equal(hc_fx_rate_parse("0", &rate), HC_EINVAL);
    assert_int_equal(hc_fx_rate_parse("-1.2", &rate), HC_EINVAL);
    assert_int_equal(hc_fx_rate_parse("1.12345678901", &rate), HC_EINVAL);
    assert_int_equal(hc_fx_rate_parse("1e3", &rate), HC_EINVAL);
    assert_int_equal(hc_fx_rate_parse("0.0000000001", &rate), HC_OK);
    assert_int_equal(rate, 1);
    char buf[HC_FX_RATE_MAX];
    hc_fx_rate_format(78125000000LL, buf, sizeof(buf));
    assert_string_equal(buf, "7.8125");
    hc_fx_rate_format(10000000000LL, buf, sizeof(buf));
    assert_string_equal(buf, "1.0");
}

static void verify_finds_tampering(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_money_posted p;
    struct hc_money_line l[2] = {{"seller/S2/receipts", "EUR", 5000, NULL, NULL, NULL},
                                 {"seller/S2/wallet", "EUR", -5000, NULL, NULL, NULL}};
    assert_int_equal(post(s, l, 2, NULL, &p, &err), HC_OK);
    struct hc_money_verify_result v;
    assert_int_equal(hc_money_verify(s, NULL, NULL, &v, &err), HC_OK);
    int64_t clean = v.diffs; /* other tests' entries may share the database */
    assert_int_equal(clean, 0);
    assert_true(v.entries >= 1);
    /* a balance edited behind the journal's back */
    assert_int_equal(hc_store_exec(s, "UPDATE money_balances SET balance = balance + 1 WHERE"
                                      " account = 'seller/S2/wallet'",
                                   &err),
                     HC_OK);
    assert_int_equal(hc_money_verify(s, NULL, NULL, &v, &err), HC_OK);
    assert_int_equal(v.diffs, 1);
    /* and through hc_ledger_verify (haicang verify) too */
    struct hc_verify_result lv;
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &lv, &err), HC_OK);
    assert_int_equal(lv.diffs, 1);
    assert_true(lv.money_postings >= 2);
    assert_int_equal(hc_store_exec(s, "UPDATE money_balances SET balance = balance - 1 WHERE"
                                      " account = 'seller/S2/wallet'",
                                   &err),
                     HC_OK);
    /* a posting edited: its entry no longer balances, nor its account */
    assert_int_equal(hc_store_exec(s, "UPDATE money_postings SET minor = 4999 WHERE"
                                      " account = 'seller/S2/receipts'",
                                   &err),
                     HC_OK);
    assert_int_equal(hc_money_verify(s, NULL, NULL, &v, &err), HC_OK);
    assert_int_equal(v.diffs, 2);
    /* a posting deleted: the entry lacks a line */
    assert_int_equal(hc_store_exec(s, "DELETE FROM money_postings WHERE"
                                      " account = 'seller/S2/receipts'",
                                   &err),
                     HC_OK);
    assert_int_equal(hc_money_verify(s, NULL, NULL, &v, &err), HC_OK);
    assert_true(v.diffs >= 3);
    hc_store_close(s);
}

static void fx_missing_rate(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_fx_conversion c;
    assert_int_equal(hc_fx_convert(s, "EUR", "CNY", "2026-11-03", 10000, &c, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "currency");
    assert_non_null(strstr(err.msg, "EUR"));
    assert_non_null(strstr(err.msg, "2026-11-03"));
    hc_err_clear(&err);
    struct hc_fx_rate r = {"EUR", "CNY", "2026-11-03", 78125000000LL, "test"};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_fx_rates_put(s, &r, 1, "t", &err), HC_OK);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    assert_int_equal(hc_fx_convert(s, "EUR", "CNY", "2026-11-03", 10000, &c, &err), HC_OK);
    assert_int_equal(c.minor, 78125);
    assert_string_equal(c.rate, "7.8125");
    assert_string_equal(c.day, "2026-11-03");
    /* the inverse pair is read from the same rate */
    assert_int_equal(hc_fx_convert(s, "CNY", "EUR", "2026-11-03", 78125, &c, &err), HC_OK);
    assert_int_equal(c.minor, 10000);
    assert_string_equal(c.rate, "0.128");
    /* the day before has no rate: no conversion at a neighbouring day's */
    assert_int_equal(hc_fx_convert(s, "EUR", "CNY", "2026-11-02", 10000, &c, &err), HC_ECONFLICT);
    assert_non_null(strstr(err.msg, "2026-11-02"));
    hc_err_clear(&err);
    /* bad rates are refused naming the field */
    struct hc_fx_rate bad = {"EUR", "EUR", "2026-11-03", 1, "test"};
    assert_int_equal(hc_fx_rate_validate(&bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "quote");
    hc_err_clear(&err);
    struct hc_fx_rate bad_day = {"EUR", "USD", "2026-13-03", 1, "test"};
    assert_int_equal(hc_fx_rate_validate(&bad_day, &err), HC_EINVAL);
    assert_string_equal(err.field, "day");
    hc_err_clear(&err);
    /* CSV: a header, rates, and an error naming its line */
    hc_arena *a = hc_arena_new(4096);
    struct hc_fx_rate *rates;
    size_t n;
    const char *csv = "base,quote,day,rate,source\nEUR,USD,2026-11-03,1.0812,\"ECB, demo\"\n"
                      "USD,CNY,2026-11-03,7.1\n";
    assert_int_equal(hc_fx_csv_parse(a, csv, strlen(csv), "default", &rates, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rates[0].source, "ECB, demo");
    assert_string_equal(rates[1].source, "default");
    assert_int_equal(rates[1].rate_e10, 71000000000LL);
    const char *bom = "\xEF\xBB\xBF" "base,quote,day,rate\r\nEUR,USD,2026-11-05,1.09\r\n";
    assert_int_equal(hc_fx_csv_parse(a, bom, strlen(bom), "spreadsheet", &rates, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rates[0].day, "2026-11-05");
    const char *bad_csv = "EUR,USD,2026-11-03,1.08\nEUR,USD,2026-11-04,-1\n";
    assert_int_equal(hc_fx_csv_parse(a, bad_csv, strlen(bad_csv), "d", &rates, &n, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "line 2: rate");
    hc_arena_free(a);
    hc_store_close(s);
}

int main(void)
{
    hc_err err = {0};
    if (hc_currency_load(HC_SOURCE_DIR "/data/currencies.csv", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(balanced_entries_enforced),
        cmocka_unit_test(rounding_per_currency),
        cmocka_unit_test(verify_finds_tampering),
        cmocka_unit_test(fx_missing_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

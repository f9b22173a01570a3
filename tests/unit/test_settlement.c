/* Unit tests for the netting settlement's pure parts (src/finance/
 * settlement.c, settle_fees.c): the largest-remainder allocation (shares sum
 * to the total exactly, hand-worked cases, ties, negative totals, many
 * random cases), FIFO attribution of units going out to the lots that came
 * in, and the external fee checks and CSV import. The whole statement is
 * checked line by line in tests/api/test_settlement.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "finance/finance.h"

static void allocation_by_hand(void **state)
{
    (void)state;
    /* 10.00 over gross 57.03, 20.00, 3.00 (all 80.03):
     * 1000 * 5703 / 8003 = 712.607.. -> 712 (.607), 1000 * 2000 / 8003 = 249.906.. -> 249
     * (.906), 1000 * 300 / 8003 = 37.485.. -> 37 (.485); 998 given, 2 left: to .906
     * and .607 -> 713, 250, 37 */
    int64_t w[] = {5703, 2000, 300}, sh[3];
    assert_int_equal(hc_settle_allocate(1000, w, 3, sh), HC_OK);
    assert_int_equal(sh[0], 713);
    assert_int_equal(sh[1], 250);
    assert_int_equal(sh[2], 37);
    /* equal weights, 100 over 3: 33.33 each, the one left to the earliest */
    int64_t e[] = {7, 7, 7};
    assert_int_equal(hc_settle_allocate(100, e, 3, sh), HC_OK);
    assert_int_equal(sh[0], 34);
    assert_int_equal(sh[1], 33);
    assert_int_equal(sh[2], 33);
    /* a negative total (a correction pool) mirrors the positive one */
    assert_int_equal(hc_settle_allocate(-1000, w, 3, sh), HC_OK);
    assert_int_equal(sh[0], -713);
    assert_int_equal(sh[1], -250);
    assert_int_equal(sh[2], -37);
    /* an order with no gross carries nothing */
    int64_t z[] = {0, 5, 0};
    assert_int_equal(hc_settle_allocate(99, z, 3, sh), HC_OK);
    assert_int_equal(sh[0], 0);
    assert_int_equal(sh[1], 99);
    assert_int_equal(sh[2], 0);
    /* nothing to carry it, or a negative weight: refused */
    int64_t none[] = {0, 0};
    assert_int_equal(hc_settle_allocate(5, none, 2, sh), HC_EINVAL);
    int64_t bad[] = {3, -1};
    assert_int_equal(hc_settle_allocate(5, bad, 2, sh), HC_EINVAL);
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void allocation_sums_exactly(void **state)
{
    (void)state;
    enum { N = 2000 };
    static int64_t w[N], sh[N];
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + rnd() % N;
        int64_t total = (int64_t)(rnd() % 100000000) - 20000000;
        for (size_t i = 0; i < n; i++)
            w[i] = (int64_t)(rnd() % 1000000);
        w[rnd() % n] += 1; /* never all zero */
        assert_int_equal(hc_settle_allocate(total, w, n, sh), HC_OK);
        __int128 sum = 0, wsum = 0;
        for (size_t i = 0; i < n; i++) {
            sum += sh[i];
            wsum += w[i];
        }
        assert_true(sum == total);
        /* each share within one minor unit of its exact part */
        for (size_t i = 0; i < n; i++) {
            __int128 exact_num = (__int128)total * w[i]; /* share ~ exact_num / wsum */
            __int128 diff = (__int128)sh[i] * wsum - exact_num;
            assert_true(diff < wsum && diff > -wsum);
            if (w[i] == 0)
                assert_int_equal(sh[i], 0);
        }
    }
}

static void fifo_takes_oldest_first(void **state)
{
    (void)state;
    /* lots: #0 10 units, #1 5 units; out 4 (#2), in 3 (#3), out 8 (#4), out 7 (#5) */
    int64_t moves[] = {10, 5, -4, 3, -8, -7};
    struct hc_fifo_take t[16];
    size_t k = hc_settle_fifo(moves, 6, t, 16);
    /* #2: 4 from #0; #4: 6 from #0, 2 from #1; #5: 3 from #1, 3 from #3, 1 beyond */
    struct hc_fifo_take want[] = {{2, 0, 4}, {4, 0, 6}, {4, 1, 2}, {5, 1, 3}, {5, 3, 3},
                                  {5, SIZE_MAX, 1}};
    assert_int_equal(k, 6);
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(t[i].out, want[i].out);
        assert_true(t[i].lot == want[i].lot);
        assert_int_equal(t[i].qty, want[i].qty);
    }
    /* takes count even when fewer fit */
    assert_int_equal(hc_settle_fifo(moves, 6, t, 2), 6);
    /* every unit out is accounted for, in random sequences */
    for (int round = 0; round < 200; round++) {
        int64_t m[64];
        size_t n = 1 + rnd() % 64;
        int64_t out = 0;
        for (size_t i = 0; i < n; i++) {
            m[i] = (int64_t)(rnd() % 20) - 8;
            if (m[i] < 0)
                out -= m[i];
        }
        struct hc_fifo_take big[2048];
        size_t nk = hc_settle_fifo(m, n, big, 2048);
        int64_t got = 0;
        for (size_t i = 0; i < nk; i++) {
            assert_true(m[big[i].out] < 0);
            assert_true(big[i].lot == SIZE_MAX || big[i].lot < big[i].out);
            got += big[i].qty;
        }
        assert_int_equal(got, out);
    }
}

static const int64_t NOW = 1795000000000; /* 2026-11-17 */

static void external_fee_checks(void **state)
{
    (void)state;
    hc_err err = {0};
    struct hc_external_fee ok = {.order = "ord_1", .type = HC_FEE_LASTMILE, .minor = 450,
                                 .currency = "EUR", .day = "2026-11-10", .reference = "DHL-77"};
    assert_int_equal(hc_external_fee_validate(&ok, NOW, &err), HC_OK);
    struct {
        struct hc_external_fee f;
        const char *field;
    } bad[] = {
        {{.type = 99, .minor = 1, .currency = "EUR", .day = "2026-11-10", .reference = "r"},
         "type"},
        {{.type = 0, .minor = 0, .currency = "EUR", .day = "2026-11-10", .reference = "r"},
         "amount"},
        {{.type = 0, .minor = 1, .currency = "EURO", .day = "2026-11-10", .reference = "r"},
         "currency"},
        {{.type = 0, .minor = 1, .currency = "EUR", .day = "2026-02-30", .reference = "r"},
         "date"},
        {{.type = 0, .minor = 1, .currency = "EUR", .day = "2026-12-01", .reference = "r"},
         "date"},
        {{.type = 0, .minor = 1, .currency = "EUR", .day = "2026-11-10", .reference = ""},
         "reference"},
        {{.order = "", .type = 0, .minor = 1, .currency = "EUR", .day = "2026-11-10",
          .reference = "r"},
         "order"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hc_err_clear(&err);
        assert_int_equal(hc_external_fee_validate(&bad[i].f, NOW, &err), HC_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    assert_int_equal(hc_fee_type_parse("advertising"), HC_FEE_ADVERTISING);
    assert_int_equal(hc_fee_type_parse("ads"), -1);
}

static void external_fee_csv(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_external_fee *f;
    size_t n;
    const char *csv = "\xEF\xBB\xBForder,type,amount,currency,date,reference\r\n"
                      "ord_1,last_mile,4.50,EUR,2026-11-10,DHL-77\r\n"
                      ",advertising,120.00,USD,2026-11-01,\"Ads, November\"\r\n"
                      "\n";
    assert_int_equal(hc_external_fee_csv_parse(a, csv, strlen(csv), "S1", NOW, &f, &n, &err),
                     HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].order, "ord_1");
    assert_int_equal(f[0].type, HC_FEE_LASTMILE);
    assert_int_equal(f[0].minor, 450);
    assert_null(f[1].order);
    assert_int_equal(f[1].minor, 12000);
    assert_string_equal(f[1].reference, "Ads, November");
    const char *bad = "ord_1,last_mile,4.50,EUR,2026-11-10,DHL-77\n"
                      "ord_2,last_mile,4.505,EUR,2026-11-10,DHL-78\n";
    assert_int_equal(hc_external_fee_csv_parse(a, bad, strlen(bad), "S1", NOW, &f, &n, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "line 2: amount");
    const char *short_line = "ord_1,last_mile,4.50,EUR\n";
    hc_err_clear(&err);
    assert_int_equal(
        hc_external_fee_csv_parse(a, short_line, strlen(short_line), "S1", NOW, &f, &n, &err),
        HC_EINVAL);
    assert_string_equal(err.field, "line 1");
    hc_arena_free(a);
}

int main(void)
{
    hc_err err = {0};
    char path[1024];
    snprintf(path, sizeof(path), "%s/data/currencies.csv", HC_SOURCE_DIR);
    if (hc_currency_load(path, &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocation_by_hand),
        cmocka_unit_test(allocation_sums_exactly),
        cmocka_unit_test(fifo_takes_oldest_first),
        cmocka_unit_test(external_fee_checks),
        cmocka_unit_test(external_fee_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

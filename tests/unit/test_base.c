/* Unit tests for src/base: decimals, parsing, UTF-8, ids, arenas, buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>

#include "base/base.h"

static void decimals_are_exact(void **state)
{
    int64_t v;
    assert_int_equal(hc_decimal_parse("12.34", 2, &v), HC_OK);
    assert_int_equal(v, 1234);
    assert_int_equal(hc_decimal_parse("12.3", 2, &v), HC_OK);
    assert_int_equal(v, 1230);
    assert_int_equal(hc_decimal_parse("7", 2, &v), HC_OK);
    assert_int_equal(v, 700);
    assert_int_equal(hc_decimal_parse("0.00001", 5, &v), HC_OK);
    assert_int_equal(v, 1);
    /* more digits than the scale is refused, never rounded */
    assert_int_equal(hc_decimal_parse("12.345", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("1e3", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse(".5", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("5.", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("1234567890123456", 2, &v), HC_OK);
    assert_int_equal(hc_decimal_parse("12345678901234567", 2, &v), HC_EINVAL);
    assert_int_equal(hc_decimal_parse("99999999999999", 5, &v), HC_EINVAL);
    char buf[32];
    hc_decimal_format(1234, 2, buf, sizeof(buf));
    assert_string_equal(buf, "12.34");
    hc_decimal_format(-5, 2, buf, sizeof(buf));
    assert_string_equal(buf, "-0.05");
    hc_decimal_format(42, 0, buf, sizeof(buf));
    assert_string_equal(buf, "42");
}

static void currency_scales(void **state)
{
    assert_int_equal(hc_currency_scale("EUR"), 2);
    assert_int_equal(hc_currency_scale("JPY"), 0);
    assert_int_equal(hc_currency_scale("KWD"), 3);
    assert_int_equal(hc_currency_scale("eur"), -1);
    assert_int_equal(hc_currency_scale("EURO"), -1);
    assert_int_equal(hc_currency_scale(NULL), -1);
}

static void bounded_integers(void **state)
{
    int64_t v;
    assert_int_equal(hc_parse_i64("42", 0, 100, &v), HC_OK);
    assert_int_equal(v, 42);
    assert_int_equal(hc_parse_i64("101", 0, 100, &v), HC_EINVAL);
    assert_int_equal(hc_parse_i64("4x", 0, 100, &v), HC_EINVAL);
    assert_int_equal(hc_parse_i64("", 0, 100, &v), HC_EINVAL);
    assert_int_equal(hc_parse_i64("99999999999999999999", 0, INT64_MAX, &v), HC_EINVAL);
}

static void utf8(void **state)
{
    assert_true(hc_utf8_valid("海仓 ok", strlen("海仓 ok")));
    assert_int_equal(hc_utf8_len("海仓ab"), 4);
    assert_false(hc_utf8_valid("\xff", 1));
    assert_false(hc_utf8_valid("\xc0\xaf", 2));        /* overlong */
    assert_false(hc_utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
    assert_false(hc_utf8_valid("\xe6\xb5", 2));        /* cut short */
}

static void ids_are_unique_and_ordered(void **state)
{
    int64_t prev = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t id = hc_id_next();
        assert_true(id > prev);
        prev = id;
    }
    char buf[32];
    hc_id_format("ord", 12, buf, sizeof(buf));
    assert_string_equal(buf, "ord_12");
}

static void times_round_trip(void **state)
{
    int64_t ms;
    assert_int_equal(hc_time_parse_iso("2026-11-27T22:21:24.123Z", &ms), HC_OK);
    char buf[40];
    hc_time_iso(ms, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-27T22:21:24.123Z");
    assert_int_equal(hc_time_parse_iso("2026-11-27", &ms), HC_OK);
    hc_time_iso(ms, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-27T00:00:00.000Z");
    assert_int_equal(hc_time_parse_iso("2026-13-01", &ms), HC_EINVAL);
    assert_int_equal(hc_time_parse_iso("yesterday", &ms), HC_EINVAL);
}

static void arena_array_grows(void **state)
{
    hc_arena *a = hc_arena_new(64);
    int64_t *v = NULL;
    size_t n = 0, cap = 0;
    for (int64_t i = 0; i < 1000; i++) {
        int64_t *before = v;
        size_t cap_before = cap;
        v = hc_arena_grow(a, v, n, &cap, sizeof(*v));
        assert_true(cap > n);
        if (n < cap_before) /* room left: the same array */
            assert_ptr_equal(v, before);
        v[n++] = i * 7;
    }
    assert_int_equal(cap, 1024); /* 8, 16, ... doubling */
    for (size_t i = 0; i < n; i++) /* every item kept through the copies */
        assert_int_equal(v[i], (int64_t)i * 7);
    hc_arena_free(a);
}

static void arena_and_buffer(void **state)
{
    hc_arena *a = hc_arena_new(64);
    char *big = hc_arena_alloc(a, 100000);
    memset(big, 1, 100000);
    char *s = hc_arena_printf(a, "%s-%d", "x", 7);
    assert_string_equal(s, "x-7");
    assert_int_equal((uintptr_t)hc_arena_alloc(a, 3) % 16, 0);
    hc_arena_free(a);
    hc_buf b;
    hc_buf_init(&b, 8);
    assert_int_equal(hc_buf_puts(&b, "1234567"), HC_OK);
    assert_int_equal(hc_buf_puts(&b, "8"), HC_ETOOBIG);
    assert_string_equal(b.p, "1234567");
    hc_buf_free(&b);
}

static void first_error_wins(void **state)
{
    hc_err e = {0};
    assert_int_equal(hc_err_set(&e, HC_EINVAL, "lines[0].qty", "must be > %d", 0), HC_EINVAL);
    hc_err_set(&e, HC_EINTERNAL, "other", "later");
    assert_int_equal(e.code, HC_EINVAL);
    assert_string_equal(e.field, "lines[0].qty");
    assert_string_equal(e.msg, "must be > 0");
}

/* Beijing time (issue 8 §5: defined once in base): UTC+8 all year, so a
 * customs month starts 8 hours before the UTC one. */
static void beijing_time(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(hc_time_parse_iso("2026-07-31T16:00:00Z", &ms), HC_OK);
    struct tm tm;
    hc_time_beijing(ms, &tm);
    assert_int_equal(tm.tm_year + 1900, 2026);
    assert_int_equal(tm.tm_mon + 1, 8);
    assert_int_equal(tm.tm_mday, 1);
    assert_int_equal(tm.tm_hour, 0);
    hc_time_beijing(ms - 1000, &tm);
    assert_int_equal(tm.tm_mon + 1, 7);
    assert_int_equal(tm.tm_mday, 31);
    assert_int_equal(tm.tm_hour, 23);
    struct tm start = {.tm_year = 2026 - 1900, .tm_mon = 7, .tm_mday = 1};
    assert_int_equal(hc_time_from_beijing(&start), ms);
    struct tm jan = {.tm_year = 2026 - 1900, .tm_mon = 0, .tm_mday = 15, .tm_hour = 3};
    int64_t j = hc_time_from_beijing(&jan);
    hc_time_beijing(j, &tm); /* no daylight saving: the same hour in winter */
    assert_int_equal(tm.tm_hour, 3);
    assert_int_equal(HC_DAY_MS, 86400000LL);
}

/* HC_ASSERT is live in debug and sanitizer builds (issue 8 §5): a violated
 * one aborts the process naming the expression, a kept one does nothing.
 * Checked in a child process, so the abort ends the child only. */
#ifndef NDEBUG
static int assert_in_child(int value)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2); /* the assertion's message is not the test's output */
        signal(SIGABRT, SIG_DFL);
        HC_ASSERT(value == 1);
        _exit(0);
    }
    int st = 0;
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}
#endif

static void assertions_abort(void **state)
{
    (void)state;
#ifdef NDEBUG
    skip(); /* release builds compile HC_ASSERT to nothing */
#else
    int st = assert_in_child(1);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    st = assert_in_child(2);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
#endif
}

/* hc_csv_split: quotes with commas and "", blanks and CR dropped, a field
 * beyond max counted as max + 1, empty fields kept. */
static void csv_split(void **state)
{
    char line[] = " EUR , \"a, \"\"b\"\"\" ,, 1.5\r";
    char *f[4];
    assert_int_equal(hc_csv_split(line, f, 4), 4);
    assert_string_equal(f[0], "EUR");
    assert_string_equal(f[1], "a, \"b\"");
    assert_string_equal(f[2], "");
    assert_string_equal(f[3], "1.5");
    char more[] = "a,b,c";
    assert_int_equal(hc_csv_split(more, f, 2), 3);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[1], "b");
    char open[] = "\"unterminated, still one";
    assert_int_equal(hc_csv_split(open, f, 4), 1);
    assert_string_equal(f[0], "unterminated, still one");
    char empty[] = "";
    assert_int_equal(hc_csv_split(empty, f, 4), 1);
    assert_string_equal(f[0], "");
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimals_are_exact),  cmocka_unit_test(currency_scales),
        cmocka_unit_test(bounded_integers),    cmocka_unit_test(utf8),
        cmocka_unit_test(ids_are_unique_and_ordered), cmocka_unit_test(times_round_trip),
        cmocka_unit_test(arena_and_buffer),    cmocka_unit_test(arena_array_grows),    cmocka_unit_test(first_error_wins),
        cmocka_unit_test(assertions_abort),    cmocka_unit_test(beijing_time),
        cmocka_unit_test(csv_split),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}

/* fx.c: dated reference rates per currency pair and conversions at the
 * rate of a day, in integers (rate * 10^10, amounts in minor units),
 * rounded half-even once, at the end. */
#include "finance.h"

#include <stdio.h>
#include <string.h>

static const int64_t E10 = 10000000000LL;

int hc_fx_rate_parse(const char *s, int64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return HC_EINVAL;
    __int128 v = 0;
    int ints = 0, frac = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (++ints > 8)
            return HC_EINVAL; /* < 10^8 per unit keeps rate * 10^10 in an int64 */
        v = v * 10 + (*p - '0');
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return HC_EINVAL;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (++frac > HC_FX_RATE_SCALE)
                return HC_EINVAL;
            v = v * 10 + (*p - '0');
        }
    }
    if (*p != '\0')
        return HC_EINVAL;
    for (; frac < HC_FX_RATE_SCALE; frac++)
        v *= 10;
    if (v <= 0 || v > INT64_MAX)
        return HC_EINVAL;
    *out = (int64_t)v;
    return HC_OK;
}

void hc_fx_rate_format(int64_t rate_e10, char *buf, size_t size)
{
    char tmp[40];
    hc_decimal_format(rate_e10 / 10, 9, tmp, sizeof(tmp));
    /* the tenth digit, then trailing zeros dropped (keep one fraction digit) */
    size_t n = strlen(tmp);
    if (n + 1 < sizeof(tmp)) {
        tmp[n] = (char)('0' + rate_e10 % 10);
        tmp[n + 1] = '\0';
        n++;
    }
    while (n > 0 && tmp[n - 1] == '0' && tmp[n - 2] != '.')
        tmp[--n] = '\0';
    hc_strlcpy(buf, tmp, size);
}

bool hc_fx_day_valid(const char *d)
{
    int64_t ms;
    if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-' ||
        hc_time_parse_iso(d, &ms) != HC_OK)
        return false;
    char back[32]; /* a day that exists reads back as itself (not 02-30 -> 03-02) */
    hc_time_iso(ms, back, sizeof(back));
    return strncmp(back, d, 10) == 0;
}

#define day_valid hc_fx_day_valid

static bool currency_valid(const char *c)
{
    return c && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && hc_currency_scale(c) >= 0;
}

int hc_fx_rate_validate(const struct hc_fx_rate *r, hc_err *err)
{
    if (!currency_valid(r->base))
        return hc_err_set(err, HC_EINVAL, "base", "not an ISO 4217 currency");
    if (!currency_valid(r->quote))
        return hc_err_set(err, HC_EINVAL, "quote", "not an ISO 4217 currency");
    if (strcmp(r->base, r->quote) == 0)
        return hc_err_set(err, HC_EINVAL, "quote", "a pair of two different currencies");
    if (!day_valid(r->day))
        return hc_err_set(err, HC_EINVAL, "day", "a date YYYY-MM-DD");
    if (r->rate_e10 <= 0)
        return hc_err_set(err, HC_EINVAL, "rate", "a positive decimal, at most %d fraction digits",
                          HC_FX_RATE_SCALE);
    if (r->source == NULL || r->source[0] == '\0' || strlen(r->source) > HC_FX_SOURCE_MAX)
        return hc_err_set(err, HC_EINVAL, "source", "1 to %d characters naming where the rate"
                          " comes from", HC_FX_SOURCE_MAX);
    return HC_OK;
}

int hc_fx_rates_put(hc_store *s, const struct hc_fx_rate *r, size_t n, const char *actor,
                    hc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = hc_fx_rate_validate(&r[i], err);
        if (rc != HC_OK)
            return rc;
    }
    static const char *const cols[] = {"base",   "quote", "day",        "rate_e10",
                                       "source", "actor", "created_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "fx_rates", cols, 3);
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        int rc = hc_store_run(s, err, NULL, sql, "sssissi", r[i].base, r[i].quote, r[i].day,
                              r[i].rate_e10, r[i].source, actor ? actor : "", now);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

int hc_fx_csv_parse(hc_arena *a, const char *text, size_t len, const char *default_source,
                    struct hc_fx_rate **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte order mark */
        text += 3;
        len -= 3;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct hc_fx_rate *r = hc_arena_alloc(a, lines * sizeof(*r));
    char *copy = hc_arena_strndup(a, text, len);
    size_t lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *f[5] = {0};
        size_t nf = hc_csv_split(line, f, 5);
        if (nf == 1 && f[0][0] == '\0')
            continue; /* blank line */
        if (line[0] == '#')
            continue;
        if (lineno == 1 && strcmp(f[0], "base") == 0)
            continue; /* header */
        char field[HC_ERR_FIELD_MAX + 32];
        if (nf < 4 || nf > 5) {
            snprintf(field, sizeof(field), "line %zu", lineno);
            return hc_err_set(err, HC_EINVAL, field, "base,quote,day,rate[,source] expected");
        }
        struct hc_fx_rate *x = &r[*n];
        x->base = f[0];
        x->quote = f[1];
        x->day = f[2];
        x->source = nf >= 5 && f[4][0] ? f[4] : default_source;
        if (hc_fx_rate_parse(f[3], &x->rate_e10) != HC_OK)
            x->rate_e10 = 0;
        hc_err e = {0};
        if (hc_fx_rate_validate(x, &e) != HC_OK) {
            snprintf(field, sizeof(field), "line %zu: %s", lineno, e.field);
            return hc_err_set(err, HC_EINVAL, field, "%s", e.msg);
        }
        (*n)++;
    }
    if (*n == 0)
        return hc_err_set(err, HC_EINVAL, "body", "no rates");
    *out = r;
    return HC_OK;
}

/* q = num / den rounded half to even; den > 0. */
static __int128 div_half_even(__int128 num, __int128 den)
{
    __int128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    __int128 twice = 2 * r;
    if (twice > den || (twice == den && (q % 2 != 0)))
        q += num < 0 ? -1 : 1;
    return q;
}

int hc_fx_apply(int64_t minor, const char *from, const char *to, int64_t rate_e10, bool inverse,
                int64_t *out, hc_err *err)
{
    int sf = hc_currency_scale(from), st = hc_currency_scale(to);
    if (sf < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "%s is not an ISO 4217 currency", from);
    if (st < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "%s is not an ISO 4217 currency", to);
    if (rate_e10 <= 0)
        return hc_err_set(err, HC_EINVAL, "rate", "must be > 0");
    /* amount_to = minor / 10^sf * rate * 10^st; rate = rate_e10 / 10^10
     * (inverse: rate = 10^10 / rate_e10) */
    __int128 num = minor, den = 1;
    if (inverse) {
        num *= E10;
        den *= rate_e10;
    } else {
        num *= rate_e10;
        den *= E10;
    }
    for (int i = 0; i < st; i++)
        num *= 10;
    for (int i = 0; i < sf; i++)
        den *= 10;
    __int128 q = div_half_even(num, den);
    if (q > INT64_MAX || q < -INT64_MAX)
        return hc_err_set(err, HC_EINVAL, "amount", "too large to convert");
    *out = (int64_t)q;
    return HC_OK;
}

static int rate_of(hc_store *s, const char *base, const char *quote, const char *day,
                   int64_t *rate, hc_err *err)
{
    int rc = hc_store_int(s, err, rate,
                          "SELECT rate_e10 FROM fx_rates WHERE base = ? AND quote = ? AND day = ?",
                          "sss", base, quote, day);
    if (rc == HC_ENOTFOUND)
        hc_err_clear(err);
    return rc;
}

int hc_fx_convert(hc_store *s, const char *from, const char *to, const char *day, int64_t minor,
                  struct hc_fx_conversion *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!currency_valid(from))
        return hc_err_set(err, HC_EINVAL, "currency", "not an ISO 4217 currency");
    if (!currency_valid(to))
        return hc_err_set(err, HC_EINVAL, "to", "not an ISO 4217 currency");
    if (!day_valid(day))
        return hc_err_set(err, HC_EINVAL, "day", "a date YYYY-MM-DD");
    hc_strlcpy(out->day, day, sizeof(out->day));
    if (strcmp(from, to) == 0) {
        out->minor = minor;
        hc_strlcpy(out->rate, "1", sizeof(out->rate));
        return HC_OK;
    }
    int64_t rate = 0;
    bool inverse = false;
    int rc = rate_of(s, from, to, day, &rate, err);
    if (rc == HC_ENOTFOUND) {
        inverse = true;
        rc = rate_of(s, to, from, day, &rate, err);
    }
    if (rc == HC_ENOTFOUND)
        return hc_err_set(err, HC_ECONFLICT, "currency", "no %s/%s rate for %s", from, to, day);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_fx_apply(minor, from, to, rate, inverse, &out->minor, err)) != HC_OK)
        return rc;
    if (inverse) {
        /* the rate used, to per 1 from, to 10 places */
        __int128 inv = div_half_even((__int128)E10 * E10, rate);
        hc_fx_rate_format(inv > INT64_MAX ? INT64_MAX : (int64_t)inv, out->rate,
                          sizeof(out->rate));
    } else {
        hc_fx_rate_format(rate, out->rate, sizeof(out->rate));
    }
    return HC_OK;
}

int hc_fx_rates_list(hc_store *s, hc_arena *a, const struct hc_fx_filter *f,
                     struct hc_fx_rate **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT base, quote, day, rate_e10, source FROM fx_rates WHERE (? = '' OR base = ?) AND"
        " (? = '' OR quote = ?) AND (? = '' OR day >= ?) AND (? = '' OR day <= ?)"
        " ORDER BY day DESC, base, quote LIMIT ?",
        "ssssssssi", f->base ? f->base : "", f->base ? f->base : "", f->quote ? f->quote : "",
        f->quote ? f->quote : "", f->from_day ? f->from_day : "", f->from_day ? f->from_day : "",
        f->to_day ? f->to_day : "", f->to_day ? f->to_day : "", (int64_t)limit);
    if (rc != HC_OK)
        return rc;
    *out = hc_arena_alloc(a, (size_t)limit * sizeof(**out));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)limit) {
        struct hc_fx_rate *r = &(*out)[(*n)++];
        r->base = hc_arena_strdup(a, hc_stmt_text(q, 0));
        r->quote = hc_arena_strdup(a, hc_stmt_text(q, 1));
        r->day = hc_arena_strdup(a, hc_stmt_text(q, 2));
        r->rate_e10 = hc_stmt_int(q, 3);
        r->source = hc_arena_strdup(a, hc_stmt_text(q, 4));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

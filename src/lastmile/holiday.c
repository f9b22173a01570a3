/* holiday.c: dates as day numbers, closed-day sets and the business-day
 * arithmetic of promised dates, and the holiday book (rows grouped by
 * calendar, each group's days sorted for bisection). Pure: no store (the
 * store side is holiday_store.c). */
#include "lastmile.h"

#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ------------------------------------------------------------------------------ */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

bool hc_lm_day_parse(const char *s, int64_t *day)
{
    if (s == NULL || strlen(s) != 10 || !hc_all_digits(s, 4) || s[4] != '-' ||
        !hc_all_digits(s + 5, 2) || s[7] != '-' || !hc_all_digits(s + 8, 2))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0';
    int m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return false;
    *day = days_from_civil(y, m, d);
    return true;
}

void hc_lm_day_format(int64_t z, char out[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    unsigned yy = (unsigned)((y + (m <= 2)) % 10000), mm = (unsigned)m % 13, dd = (unsigned)d % 32;
    out[0] = (char)('0' + yy / 1000), out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10), out[3] = (char)('0' + yy % 10), out[4] = '-';
    out[5] = (char)('0' + mm / 10), out[6] = (char)('0' + mm % 10), out[7] = '-';
    out[8] = (char)('0' + dd / 10), out[9] = (char)('0' + dd % 10), out[10] = '\0';
}

int hc_lm_weekday(int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

/* ---- checks ----------------------------------------------------------------------------- */

static bool region_ok(const char *r)
{
    size_t n = strlen(r);
    if (n > HC_LM_REGION_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= '0' && r[i] <= '9')))
            return false;
    return true;
}

int hc_lm_holiday_check(const struct hc_lm_holiday *h, const char *prefix, hc_err *err)
{
    char f[HC_ERR_FIELD_MAX];
    int64_t day;
    const char *bad = NULL, *why = NULL;
    if (h->country == NULL || strlen(h->country) != 2 || !hc_country_valid(h->country))
        bad = "country", why = "is not an ISO 3166-1 alpha-2 country code";
    else if (h->region == NULL || !region_ok(h->region))
        bad = "region", why = "must be empty or up to 8 of A-Z 0-9 (e.g. BY, SCT, CARRIER)";
    else if (!hc_lm_day_parse(h->day, &day))
        bad = "date", why = "must be a real date YYYY-MM-DD";
    else if (h->name == NULL || h->name[0] == '\0' || hc_utf8_len(h->name) > HC_LM_HOLIDAY_NAME_MAX)
        bad = "name", why = "must be 1 to 128 characters";
    if (bad == NULL)
        return HC_OK;
    snprintf(f, sizeof(f), "%s%s", prefix ? prefix : "", bad);
    return hc_err_set(err, HC_EINVAL, f, "%s", why);
}

/* ---- closed days and business days ------------------------------------------------------ */

bool hc_lm_closed_has(const struct hc_lm_closed *c, int64_t day)
{
    size_t lo = 0, hi = c ? c->n : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c && lo < c->n && c->days[lo] == day;
}

static bool on_mask(int mask, int64_t day)
{
    return (mask >> (hc_lm_weekday(day) - 1)) & 1;
}

#define SEARCH_DAYS 366

int64_t hc_lm_next_pickup(int mask, int cutoff_min, const struct hc_lm_closed *closed, int64_t day,
                          int local_min)
{
    mask = mask & 0x7f ? mask & 0x7f : 0x1f;
    if (local_min >= cutoff_min)
        day++;
    for (int i = 0; i < SEARCH_DAYS; i++, day++)
        if (on_mask(mask, day) && !hc_lm_closed_has(closed, day))
            return day;
    return day;
}

int64_t hc_lm_add_delivery_days(int mask, const struct hc_lm_closed *closed, int64_t ship,
                                int64_t transit)
{
    mask = mask & 0x7f ? mask & 0x7f : 0x1f;
    int64_t day = ship;
    /* every week holds a delivery weekday, and a year of closed days at most */
    for (int64_t left = transit, guard = 0; left > 0 && guard < transit * 7 + SEARCH_DAYS;
         guard++) {
        day++;
        if (on_mask(mask, day) && !hc_lm_closed_has(closed, day))
            left--;
    }
    return day;
}

/* ---- the book --------------------------------------------------------------------------- */

struct group {
    char key[3 + HC_LM_REGION_MAX + 1]; /* "DE" "/" region */
    struct hc_lm_closed days;
};
struct hc_lm_holidays {
    struct group *g;
    size_t n;
};
struct keyed {
    char key[3 + HC_LM_REGION_MAX + 1];
    int64_t day;
};

static void key_of(const char *country, const char *region, char out[3 + HC_LM_REGION_MAX + 1])
{
    snprintf(out, 3 + HC_LM_REGION_MAX + 1, "%.2s/%.8s", country ? country : "",
             region ? region : "");
}

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->day > y->day) - (x->day < y->day);
}

static const char *calendar_name(hc_arena *a, const char *key)
{
    const char *slash = strchr(key, '/');
    HC_ASSERT(slash != NULL);
    return slash[1] ? hc_arena_printf(a, "%.2s-%s", key, slash + 1)
                    : hc_arena_printf(a, "%.2s", key);
}

hc_lm_holidays *hc_lm_holidays_book(hc_arena *a, const struct hc_lm_holiday *rows, size_t n)
{
    hc_lm_holidays *b = hc_arena_alloc(a, sizeof(*b));
    struct keyed *k = hc_arena_alloc(a, sizeof(*k) * (n ? n : 1));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (hc_lm_day_parse(rows[i].day, &k[m].day))
            key_of(rows[i].country, rows[i].region, k[m++].key);
    qsort(k, m, sizeof(*k), keyed_cmp);
    b->g = hc_arena_alloc(a, sizeof(*b->g) * (m ? m : 1));
    int64_t *days = hc_arena_alloc(a, sizeof(*days) * (m ? m : 1));
    size_t j = 0;
    for (size_t i = 0; i < m; i++) {
        struct group *g = b->n ? &b->g[b->n - 1] : NULL;
        if (g == NULL || strcmp(g->key, k[i].key) != 0) {
            g = &b->g[b->n++];
            memcpy(g->key, k[i].key, sizeof(g->key));
            g->days.days = &days[j];
            g->days.name = calendar_name(a, g->key);
        } else if (days[j - 1] == k[i].day) {
            continue; /* the same day twice */
        }
        days[j++] = k[i].day; /* a group's days are contiguous */
        g->days.n++;
    }
    return b;
}

struct hc_lm_closed hc_lm_holidays_of(const hc_lm_holidays *b, const char *country,
                                      const char *region)
{
    struct hc_lm_closed none = {0};
    if (b == NULL || country == NULL)
        return none;
    char key[3 + HC_LM_REGION_MAX + 1];
    key_of(country, region, key);
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(b->g[mid].key, key);
        if (c == 0)
            return b->g[mid].days;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return none;
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

struct hc_lm_closed hc_lm_closed_union(hc_arena *a, const struct hc_lm_closed *sets, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sets[i].n;
    int64_t *v = hc_arena_alloc(a, sizeof(*v) * (total ? total : 1));
    size_t k = 0, len = 0;
    char name[128] = "";
    for (size_t i = 0; i < n; i++) {
        if (sets[i].n == 0)
            continue;
        memcpy(v + k, sets[i].days, sizeof(*v) * sets[i].n);
        k += sets[i].n;
        int w = snprintf(name + len, sizeof(name) - len, "%s%s", len ? "+" : "", sets[i].name);
        len = w < 0 || (size_t)w >= sizeof(name) - len ? sizeof(name) - 1 : len + (size_t)w;
    }
    qsort(v, k, sizeof(*v), i64_cmp);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || v[u - 1] != v[i])
            v[u++] = v[i];
    return (struct hc_lm_closed){v, u, hc_arena_strdup(a, len ? name : "none")};
}

/* ---- CSV -------------------------------------------------------------------------------- */

static bool is_header(char **f)
{
    return strcmp(f[0], "country") == 0 && strcmp(f[2], "date") == 0;
}

int hc_lm_holidays_csv(hc_arena *a, const char *text, size_t len, struct hc_lm_holiday **out,
                       size_t *n, hc_err *err)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    struct hc_lm_holiday *v = hc_arena_alloc(a, sizeof(*v) * cap);
    size_t k = 0;
    int lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        char *line = hc_arena_strndup(a, text + pos, end - pos), *f[5];
        pos = end + 1;
        lineno++;
        size_t nf = hc_csv_split(line, f, 4);
        if (nf == 1 && f[0][0] == '\0')
            continue; /* a blank line */
        char where[32];
        snprintf(where, sizeof(where), "line %d", lineno);
        if (nf != 4)
            return hc_err_set(err, HC_EINVAL, where, "has %zu fields, not 4 (country,region,date,name)",
                              nf);
        if (k == 0 && lineno == 1 && is_header(f))
            continue;
        if (k == HC_LM_HOLIDAY_ROWS_MAX)
            return hc_err_set(err, HC_EINVAL, where, "more than %d rows",
                              HC_LM_HOLIDAY_ROWS_MAX);
        v[k] = (struct hc_lm_holiday){f[0], f[1], f[2], f[3]};
        snprintf(where, sizeof(where), "line %d: ", lineno);
        if (hc_lm_holiday_check(&v[k], where, err) != HC_OK)
            return err->code;
        k++;
    }
    if (k == 0)
        return hc_err_set(err, HC_EINVAL, "line 1", "holds no holiday");
    *out = v;
    *n = k;
    return HC_OK;
}

/* holiday_store.c: holiday rows, a warehouse's closed days and region in
 * the store (tables of migration v31), and the rater with the calendars a
 * warehouse's promises need. Runs in the caller's transaction. */
#include "lastmile.h"

#include "catalog/catalog.h"

#include <stdio.h>
#include <string.h>

/* Promises look this far ahead: the longest transit plus the pickup search. */
#define HORIZON_DAYS 500

static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

int hc_lm_holidays_import(hc_store *s, const struct hc_lm_holiday *rows, size_t n,
                          const char *actor, int64_t *added, int64_t *replaced, hc_err *err)
{
    char prefix[32];
    if (n == 0)
        return hc_err_set(err, HC_EINVAL, "rows", "holds no holiday");
    if (n > HC_LM_HOLIDAY_ROWS_MAX)
        return hc_err_set(err, HC_EINVAL, "rows", "at most %d rows at once",
                          HC_LM_HOLIDAY_ROWS_MAX);
    for (size_t i = 0; i < n; i++) {
        snprintf(prefix, sizeof(prefix), "rows[%zu].", i);
        if (hc_lm_holiday_check(&rows[i], prefix, err) != HC_OK)
            return err->code;
    }
    *added = *replaced = 0;
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        int64_t gone = 0;
        int rc = hc_store_run(s, err, &gone,
                              "DELETE FROM lm_holidays WHERE country = ? AND region = ? AND day = ?",
                              "sss", rows[i].country, rows[i].region, rows[i].day);
        if (rc == HC_OK)
            rc = hc_store_run(s, err, NULL,
                              "INSERT INTO lm_holidays (country, region, day, name, created_at,"
                              " created_by) VALUES (?, ?, ?, ?, ?, ?)",
                              "ssssis", rows[i].country, rows[i].region, rows[i].day,
                              rows[i].name, now, str_or(actor, ""));
        if (rc != HC_OK)
            return rc;
        *(gone ? replaced : added) += 1;
    }
    return HC_OK;
}

/* "DE/BY/2026-06-04" -> its three parts; false when malformed. */
static bool cursor_parts(hc_arena *a, const char *cur, const char **c, const char **r,
                         const char **d)
{
    const char *s1 = strchr(cur, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
    int64_t day;
    if (s1 == NULL || s2 == NULL || s1 - cur != 2 || !hc_lm_day_parse(s2 + 1, &day))
        return false;
    *c = hc_arena_strndup(a, cur, 2);
    *r = hc_arena_strndup(a, s1 + 1, (size_t)(s2 - s1 - 1));
    *d = s2 + 1;
    return true;
}

int hc_lm_holidays_list(hc_store *s, hc_arena *a, const struct hc_lm_holiday_filter *f,
                        struct hc_lm_holiday **out, size_t *n, const char **next, hc_err *err)
{
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    const char *cc = "", *cr = "", *cd = "";
    if (f->cursor && !cursor_parts(a, f->cursor, &cc, &cr, &cd))
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor of this list");
    const char *country = str_or(f->country, ""), *from = str_or(f->from, ""),
               *to = str_or(f->to, "");
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT country, region, day, name FROM lm_holidays WHERE (? = '' OR country = ?)"
        " AND (? = 0 OR region = ?) AND (? = '' OR day >= ?) AND (? = '' OR day <= ?)"
        " AND (? = '' OR country > ? OR (country = ? AND (region > ? OR (region = ? AND day > ?))))"
        " ORDER BY country, region, day LIMIT ?",
        "ssisssssssssssi", country, country, (int64_t)(f->region != NULL), str_or(f->region, ""),
        from, from, to, to, cc, cc, cc, cr, cr, cd, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_holiday *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k <= (size_t)limit) {
        v[k].country = hc_arena_strdup(a, hc_stmt_text(q, 0));
        v[k].region = hc_arena_strdup(a, hc_stmt_text(q, 1));
        v[k].day = hc_arena_strdup(a, hc_stmt_text(q, 2));
        v[k].name = hc_arena_strdup(a, hc_stmt_text(q, 3));
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = hc_arena_printf(a, "%s/%s/%s", v[k - 1].country, v[k - 1].region, v[k - 1].day);
    }
    *out = v;
    *n = k;
    return HC_OK;
}

int hc_lm_holiday_delete(hc_store *s, const char *country, const char *region, const char *day,
                         hc_err *err)
{
    int64_t gone = 0;
    int rc = hc_store_run(s, err, &gone,
                          "DELETE FROM lm_holidays WHERE country = ? AND region = ? AND day = ?",
                          "sss", country, str_or(region, ""), day);
    if (rc == HC_OK && gone == 0)
        return hc_err_set(err, HC_ENOTFOUND, "date", "no holiday %s of %s%s%s", day, country,
                          region && *region ? "-" : "", str_or(region, ""));
    return rc;
}

static int need_warehouse(hc_store *s, const char *warehouse, hc_err *err)
{
    if (hc_warehouse_exists(s, warehouse, err))
        return HC_OK;
    return err->code ? err->code
                     : hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", warehouse);
}

int hc_lm_holiday_region_set(hc_store *s, const char *warehouse, const char *region, hc_err *err)
{
    struct hc_lm_holiday probe = {"DE", str_or(region, ""), "2026-01-01", "x"};
    if (hc_lm_holiday_check(&probe, "", err) != HC_OK)
        return err->code; /* naming region */
    int rc = need_warehouse(s, warehouse, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "DELETE FROM lm_holiday_regions WHERE warehouse = ?", "s",
                          warehouse);
    if (rc == HC_OK && region && *region)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_holiday_regions (warehouse, region) VALUES (?, ?)", "ss",
                          warehouse, region);
    return rc;
}

int hc_lm_holiday_region_get(hc_store *s, hc_arena *a, const char *warehouse, const char **out,
                             hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT region FROM lm_holiday_regions WHERE warehouse = ?",
                            "s", warehouse);
    if (rc != HC_OK)
        return rc;
    *out = "";
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *out = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_lm_closed_day_put(hc_store *s, const struct hc_lm_closed_day *d, const char *actor,
                         hc_err *err)
{
    int64_t day;
    if (!hc_lm_day_parse(d->day, &day))
        return hc_err_set(err, HC_EINVAL, "date", "must be a real date YYYY-MM-DD");
    if (d->reason == NULL || hc_utf8_len(d->reason) > HC_LM_HOLIDAY_NAME_MAX)
        return hc_err_set(err, HC_EINVAL, "reason", "must be at most 128 characters");
    int rc = need_warehouse(s, d->warehouse, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "DELETE FROM lm_closed_days WHERE warehouse = ? AND day = ?",
                          "ss", d->warehouse, d->day);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_closed_days (warehouse, day, reason, created_at,"
                          " created_by) VALUES (?, ?, ?, ?, ?)",
                          "sssis", d->warehouse, d->day, d->reason, hc_now_ms(), str_or(actor, ""));
    return rc;
}

int hc_lm_closed_day_delete(hc_store *s, const char *warehouse, const char *day, hc_err *err)
{
    int64_t gone = 0;
    int rc = hc_store_run(s, err, &gone, "DELETE FROM lm_closed_days WHERE warehouse = ? AND day = ?",
                          "ss", warehouse, day);
    if (rc == HC_OK && gone == 0)
        return hc_err_set(err, HC_ENOTFOUND, "date", "warehouse %s is not closed on %s",
                          warehouse, day);
    return rc;
}

int hc_lm_closed_day_list(hc_store *s, hc_arena *a, const char *warehouse, const char *from,
                          const char *to, struct hc_lm_closed_day **out, size_t *n, hc_err *err)
{
    enum { MAX = 1000 };
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT day, reason FROM lm_closed_days WHERE warehouse = ?"
                            " AND (? = '' OR day >= ?) AND (? = '' OR day <= ?) ORDER BY day"
                            " LIMIT 1000",
                            "sssss", warehouse, str_or(from, ""), str_or(from, ""),
                            str_or(to, ""), str_or(to, ""));
    if (rc != HC_OK)
        return rc;
    struct hc_lm_closed_day *v = hc_arena_alloc(a, sizeof(*v) * MAX);
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < MAX) {
        v[k].warehouse = warehouse;
        v[k].day = hc_arena_strdup(a, hc_stmt_text(q, 0));
        v[k].reason = hc_arena_strdup(a, hc_stmt_text(q, 1));
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    *out = v;
    *n = k;
    return HC_OK;
}

/* Holiday rows of country (and dest, NULL: none) from..to, into a book. */
static int load_book(hc_store *s, hc_arena *a, const char *country, const char *dest,
                     const char *from, const char *to, hc_lm_holidays **out, hc_err *err)
{
    const char *d = str_or(dest, country);
    int64_t cnt = 0;
    int rc = hc_store_int(s, err, &cnt,
                          "SELECT COUNT(*) FROM lm_holidays WHERE country IN (?, ?)"
                          " AND day >= ? AND day <= ?",
                          "ssss", country, d, from, to);
    hc_stmt *q;
    if (rc == HC_OK)
        rc = hc_store_query(s, err, &q,
                            "SELECT country, region, day FROM lm_holidays WHERE country IN (?, ?)"
                            " AND day >= ? AND day <= ?",
                            "ssss", country, d, from, to);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_holiday *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(cnt + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)cnt) {
        v[k].country = hc_arena_strdup(a, hc_stmt_text(q, 0));
        v[k].region = hc_arena_strdup(a, hc_stmt_text(q, 1));
        v[k].day = hc_arena_strdup(a, hc_stmt_text(q, 2));
        v[k].name = "";
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    *out = hc_lm_holidays_book(a, v, k);
    return HC_OK;
}

int hc_lm_rater_for(hc_store *s, hc_arena *a, const char *warehouse, const char *country,
                    const char *day, const struct hc_lm_service *sv, size_t n, hc_lm_rater **out,
                    hc_err *err)
{
    struct hc_warehouse w;
    int64_t d0;
    if (!hc_lm_day_parse(day, &d0))
        return hc_err_set(err, HC_EINTERNAL, "day", "is not a date");
    char to[11];
    hc_lm_day_format(d0 + HORIZON_DAYS, to);
    const char *region = "";
    hc_lm_holidays *book = NULL;
    struct hc_lm_closed_day *cd = NULL;
    size_t ncd = 0;
    int rc = hc_warehouse_get(s, a, warehouse, &w, err);
    if (rc == HC_OK)
        rc = hc_lm_holiday_region_get(s, a, warehouse, &region, err);
    if (rc == HC_OK)
        rc = load_book(s, a, w.country, country, day, to, &book, err);
    if (rc == HC_OK)
        rc = hc_lm_closed_day_list(s, a, warehouse, day, to, &cd, &ncd, err);
    if (rc == HC_OK)
        rc = hc_lm_rater_new(sv, n, out, err);
    if (rc != HC_OK)
        return rc;
    int64_t *closed = hc_arena_alloc(a, sizeof(*closed) * (ncd ? ncd : 1));
    size_t k = 0;
    for (size_t i = 0; i < ncd; i++)
        k += hc_lm_day_parse(cd[i].day, &closed[k]);
    struct hc_lm_origin o = {w.country, region, closed, k};
    hc_lm_rater_calendars(*out, a, book, &o);
    return HC_OK;
}

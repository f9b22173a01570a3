/* h_holidays.c: public-holiday calendars (GET/POST/DELETE /v1/holidays) and
 * a warehouse's calendar: its region and own closed days
 * (/v1/warehouses/{wh}/calendar, /closed-days/{date}). The domain is
 * src/lastmile/holiday.c and holiday_store.c. */
#include "internal.h"

#include "h_holidays.h"
#include "lastmile/lastmile.h"

#include <string.h>

#define UPCOMING 6 /* next holidays per country in a warehouse's calendar */

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* 400 naming the first field of body b that is not among names (comma list). */
static int only_fields(struct req *r, json_t *b, const char *names)
{
    const char *key;
    json_t *val;
    json_object_foreach(b, key, val)
    {
        size_t n = strlen(key);
        const char *p = strstr(names, key);
        bool ok = false;
        for (; p && !ok; p = strstr(p + 1, key))
            ok = (p == names || p[-1] == ',') && (p[n] == ',' || p[n] == '\0');
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, hc_arena_strdup(r->arena, key),
                              "is not a field here");
    }
    return HC_OK;
}

static bool is_date(const char *s)
{
    int64_t d;
    return hc_lm_day_parse(s, &d);
}

static json_t *render_holiday(const struct hc_lm_holiday *h)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "country", h->country, "region", h->region, "date",
                     h->day, "name", h->name);
}

/* ---- GET /v1/holidays ----------------------------------------------------------------------- */

int h_holidays_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_lm_holiday_filter f = {.country = api_query(r, "country"),
                                     .region = api_query(r, "region"),
                                     .from = api_query(r, "from"),
                                     .to = api_query(r, "to"),
                                     .cursor = pg.cursor,
                                     .limit = pg.limit};
    if (f.region && strcmp(f.region, "-") == 0)
        f.region = ""; /* nationwide only */
    struct hc_lm_holiday probe = {f.country ? f.country : "DE", f.region ? f.region : "",
                                  "2026-01-01", "x"};
    if (hc_lm_holiday_check(&probe, "", &r->err))
        return api_fail(r);
    if (f.from && !is_date(f.from))
        return fail_field(r, HC_EINVAL, "from", "must be a date YYYY-MM-DD");
    if (f.to && !is_date(f.to))
        return fail_field(r, HC_EINVAL, "to", "must be a date YYYY-MM-DD");
    struct hc_lm_holiday *v;
    size_t n;
    const char *next;
    if (hc_lm_holidays_list(st, r->arena, &f, &v, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_holiday(&v[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- POST /v1/holidays ---------------------------------------------------------------------- */

struct import_ctx {
    struct hc_lm_holiday *rows;
    size_t n;
    const char *actor;
    int64_t added, replaced;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_ctx *c = ctx;
    return hc_lm_holidays_import(s, c->rows, c->n, c->actor, &c->added, &c->replaced, err);
}

static int import_render(struct req *r)
{
    struct import_ctx *c = r->ctx;
    return api_reply(r, 201, json_pack("{s:I,s:I,s:I}", "rows", (json_int_t)c->n, "added",
                                       (json_int_t)c->added, "replaced",
                                       (json_int_t)c->replaced));
}

/* {"rows": [{country, region?, date, name}]}: each row's fields checked here
 * for their type, the values by hc_lm_holidays_import (rows[i].field). */
static int rows_of_json(struct req *r, struct import_ctx *c)
{
    json_t *b, *arr;
    if (jv_body(r, &b) || only_fields(r, b, "rows") ||
        jv_array(r, b, "", "rows", HC_LM_HOLIDAY_ROWS_MAX, &arr))
        return r->err.code;
    c->n = json_array_size(arr);
    c->rows = hc_arena_alloc(r->arena, sizeof(*c->rows) * (c->n ? c->n : 1));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p;
        struct hc_lm_holiday *h = &c->rows[i];
        if (jv_item(r, arr, "rows", i, &e, &p) || only_fields(r, e, "country,region,date,name") ||
            jv_str(r, e, p, "country", true, &h->country) ||
            jv_str(r, e, p, "region", false, &h->region) || jv_str(r, e, p, "date", true, &h->day) ||
            jv_str(r, e, p, "name", true, &h->name))
            return r->err.code;
        if (h->region == NULL)
            h->region = "";
    }
    return HC_OK;
}

int h_holidays_import(struct req *r)
{
    struct import_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->actor = api_actor(r);
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    if (api_body_is_csv(r)) {
        if (api_csv_text(r, "a CSV body in UTF-8 is required"))
            return api_fail(r);
        if (hc_lm_holidays_csv(r->arena, r->body.p, r->body.n, &c->rows, &c->n, &r->err))
            return api_fail(r);
    } else if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
        return fail_field(r, HC_EINVAL, "Content-Type",
                          "must be text/csv (country,region,date,name) or application/json "
                          "({\"rows\": [...]})");
    } else if (rows_of_json(r, c)) {
        return api_fail(r);
    }
    /* the same checks the writer makes, so that a bad row is a 400 before it queues */
    struct hc_lm_holiday *v = c->rows;
    for (size_t i = 0; i < c->n; i++)
        if (hc_lm_holiday_check(&v[i], hc_arena_printf(r->arena, "rows[%zu].", i), &r->err))
            return api_fail(r);
    if (c->n == 0)
        return fail_field(r, HC_EINVAL, "rows", "holds no holiday");
    return api_write(r, import_job, import_render, c);
}

/* ---- DELETE /v1/holidays/{country}/{region}/{date} -------------------------------------------- */

struct del_ctx {
    const char *country, *region, *day;
};

static int delete_job(hc_store *s, void *ctx, hc_err *err)
{
    struct del_ctx *c = ctx;
    return hc_lm_holiday_delete(s, c->country, c->region, c->day, err);
}

static int delete_render(struct req *r)
{
    struct del_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:s,s:s,s:b}", "country", c->country, "region",
                                       c->region, "date", c->day, "deleted", 1));
}

int h_holiday_delete(struct req *r)
{
    struct del_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->country = r->params[0];
    c->region = strcmp(r->params[1], "-") == 0 ? "" : r->params[1];
    c->day = r->params[2];
    struct hc_lm_holiday probe = {c->country, c->region, c->day, "x"};
    if (hc_lm_holiday_check(&probe, "", &r->err))
        return api_fail(r);
    return api_write(r, delete_job, delete_render, c);
}

/* ---- a warehouse's calendar ------------------------------------------------------------------- */

static bool seen(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* Does a holiday row of country count for the warehouse (country wc,
 * region wr) or its services (carrier calendars cal)? */
static bool counts(const struct hc_lm_holiday *h, const char *wc, const char *wr,
                   const char *const *cal, size_t ncal)
{
    if (h->region[0] == '\0')
        return true;
    return (strcmp(h->country, wc) == 0 && strcmp(h->region, wr) == 0) ||
           seen(cal, ncal, h->region);
}

/* The next holidays of each country the warehouse ships from or to. */
static int upcoming(struct req *r, hc_store *st, const struct hc_warehouse *w, const char *region,
                    const char *today, json_t **out)
{
    struct hc_lm_service *sv;
    size_t nsv;
    if (hc_lm_services_on(st, r->arena, w->code, today, &sv, &nsv, &r->err))
        return r->err.code;
    const char **countries = hc_arena_alloc(r->arena, sizeof(char *) * (1 + nsv * HC_LM_ZONES_MAX));
    const char **cal = hc_arena_alloc(r->arena, sizeof(char *) * (nsv + 1));
    size_t nc = 0, ncal = 0;
    countries[nc++] = w->country;
    for (size_t i = 0; i < nsv; i++) {
        if (sv[i].holidays && !seen(cal, ncal, sv[i].holidays))
            cal[ncal++] = sv[i].holidays;
        for (size_t z = 0; z < sv[i].nzones; z++)
            if (!seen(countries, nc, sv[i].zones[z].country))
                countries[nc++] = sv[i].zones[z].country;
    }
    *out = json_array();
    for (size_t i = 0; i < nc; i++) {
        struct hc_lm_holiday_filter f = {.country = countries[i], .from = today, .limit = 200};
        struct hc_lm_holiday *v;
        size_t n, k = 0;
        const char *next;
        if (hc_lm_holidays_list(st, r->arena, &f, &v, &n, &next, &r->err))
            return r->err.code;
        json_t *days = json_array();
        /* the list is by region then date: take the counting rows, in date order */
        struct hc_lm_holiday *pick = hc_arena_alloc(r->arena, sizeof(*pick) * (n + 1));
        for (size_t j = 0; j < n; j++)
            if (counts(&v[j], w->country, region, cal, ncal))
                pick[k++] = v[j];
        for (size_t a = 1; a < k; a++) /* insertion sort by date, few rows */
            for (size_t b = a; b > 0 && strcmp(pick[b - 1].day, pick[b].day) > 0; b--) {
                struct hc_lm_holiday t = pick[b];
                pick[b] = pick[b - 1];
                pick[b - 1] = t;
            }
        for (size_t j = 0; j < k && j < UPCOMING; j++)
            json_array_append_new(days, render_holiday(&pick[j]));
        json_array_append_new(*out, json_pack("{s:s,s:b,s:o}", "country", countries[i],
                                              "warehouse_country", i == 0, "holidays", days));
    }
    return HC_OK;
}

int h_calendar_get(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *wh = r->params[0];
    if (st == NULL)
        return api_fail(r);
    if (!api_may_warehouse(r, wh))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    struct hc_warehouse w;
    char today[11];
    int min;
    const char *region;
    struct hc_lm_closed_day *cd;
    size_t ncd;
    json_t *up = NULL;
    if (hc_warehouse_get(st, r->arena, wh, &w, &r->err) ||
        hc_lm_local_now(st, r->arena, wh, today, &min, &r->err) ||
        hc_lm_holiday_region_get(st, r->arena, wh, &region, &r->err) ||
        hc_lm_closed_day_list(st, r->arena, wh, today, NULL, &cd, &ncd, &r->err) ||
        upcoming(r, st, &w, region, today, &up))
        return api_fail(r);
    json_t *closed = json_array();
    for (size_t i = 0; i < ncd; i++)
        json_array_append_new(closed, json_pack("{s:s,s:s}", "date", cd[i].day, "reason",
                                                cd[i].reason));
    return api_reply(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "warehouse", wh, "country",
                                       w.country, "region", region, "today", today,
                                       "closed_days", closed, "upcoming", up));
}

struct region_ctx {
    const char *warehouse, *region;
};

static int region_job(hc_store *s, void *ctx, hc_err *err)
{
    struct region_ctx *c = ctx;
    return hc_lm_holiday_region_set(s, c->warehouse, c->region, err);
}

static int region_render(struct req *r)
{
    struct region_ctx *c = r->ctx;
    return api_reply(r, 200,
                     json_pack("{s:s,s:s}", "warehouse", c->warehouse, "region", c->region));
}

int h_calendar_put(struct req *r)
{
    json_t *b;
    struct region_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->warehouse = r->params[0];
    if (!api_may_warehouse(r, c->warehouse))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (jv_body(r, &b) || only_fields(r, b, "region") ||
        jv_str(r, b, "", "region", true, &c->region))
        return api_fail(r);
    struct hc_lm_holiday probe = {"DE", c->region, "2026-01-01", "x"};
    if (hc_lm_holiday_check(&probe, "", &r->err))
        return api_fail(r);
    return api_write(r, region_job, region_render, c);
}

struct closed_ctx {
    struct hc_lm_closed_day d;
    const char *actor;
};

static int closed_put_job(hc_store *s, void *ctx, hc_err *err)
{
    struct closed_ctx *c = ctx;
    return hc_lm_closed_day_put(s, &c->d, c->actor, err);
}

static int closed_delete_job(hc_store *s, void *ctx, hc_err *err)
{
    struct closed_ctx *c = ctx;
    return hc_lm_closed_day_delete(s, c->d.warehouse, c->d.day, err);
}

static int closed_render(struct req *r)
{
    struct closed_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:s,s:s}", "warehouse", c->d.warehouse, "date",
                                       c->d.day, "reason", c->d.reason));
}

static struct closed_ctx *closed_ctx_of(struct req *r)
{
    struct closed_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->d.warehouse = r->params[0];
    c->d.day = r->params[1];
    c->d.reason = "";
    c->actor = api_actor(r);
    if (!api_may_warehouse(r, c->d.warehouse)) {
        fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
        return NULL;
    }
    if (!is_date(c->d.day)) {
        fail_field(r, HC_EINVAL, "date", "must be a real date YYYY-MM-DD");
        return NULL;
    }
    return c;
}

int h_closed_day_put(struct req *r)
{
    json_t *b;
    struct closed_ctx *c = closed_ctx_of(r);
    if (c == NULL)
        return HC_OK;
    if (jv_body(r, &b) || only_fields(r, b, "reason") ||
        jv_str(r, b, "", "reason", false, &c->d.reason))
        return api_fail(r);
    if (c->d.reason == NULL)
        c->d.reason = "";
    return api_write(r, closed_put_job, closed_render, c);
}

int h_closed_day_delete(struct req *r)
{
    struct closed_ctx *c = closed_ctx_of(r);
    return c ? api_write(r, closed_delete_job, closed_render, c) : HC_OK;
}

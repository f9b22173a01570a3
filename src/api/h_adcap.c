/* h_adcap.c: the advertising deduction cap (EIT Art. 44; src/finance/adcap.c):
 * POST|GET /v1/sellers/{code}/ad-spend (JSON or text/csv),
 * POST|GET /v1/sellers/{code}/ad-categories and
 * GET /v1/sellers/{code}/ad-cap/{year}. A seller's tax matter: the seller's
 * own key or an admin; another seller's code is a 404 naming code. Money on
 * the wire is {"amount": "12.34", "currency": "CNY"}. */
#include "internal.h"

#include <assert.h>
#include <string.h>

#include "finance/finance.h"
#include "h_adcap.h"

#define SPEND_ROWS_MAX 20000

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

static bool seller_ok(struct req *r)
{
    return api_may_seller(r, r->params[0]);
}

static json_t *render_spend(const struct hc_ad_spend *x)
{
    return json_pack("{s:s,s:s,s:o,s:o,s:{s:s,s:s},s:o,s:s,s:o}", "channel", x->channel, "month",
                     x->month, "amount", j_money(x->minor, x->currency), "amount_cny",
                     j_money(x->cny_minor, "CNY"), "fx", "rate", x->fx_rate, "day", x->fx_day,
                     "reference", j_str_or_null(x->reference), "actor", x->actor, "recorded_at",
                     j_time(x->created_at));
}

/* ---- POST /v1/sellers/{code}/ad-spend ------------------------------------------------- */
struct spend_ctx {
    const char *seller, *actor;
    struct hc_ad_spend *rows;
    size_t n;
    hc_arena *arena;
};

static int spend_job(hc_store *s, void *ctx, hc_err *err)
{
    struct spend_ctx *c = ctx;
    return hc_adcap_spend_put(s, c->arena, c->seller, c->rows, c->n, c->actor, err);
}

static int spend_render(struct req *r)
{
    struct spend_ctx *c = r->ctx;
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(items, render_spend(&c->rows[i]));
    return api_reply(r, 201, json_pack("{s:s,s:I,s:o}", "seller", c->seller, "imported",
                                       (json_int_t)c->n, "spend", items));
}

/* One JSON row: {channel, month, amount, currency, fx_day?, reference?}. */
static int spend_json_row(struct req *r, json_t *arr, size_t i, struct hc_ad_spend *x)
{
    json_t *e;
    const char *p, *amount;
    if (jv_item(r, arr, "spend", i, &e, &p) || jv_str(r, e, p, "channel", true, &x->channel) ||
        jv_str(r, e, p, "month", true, &x->month) || jv_str(r, e, p, "amount", true, &amount) ||
        jv_str(r, e, p, "currency", true, &x->currency) ||
        jv_str(r, e, p, "fx_day", false, &x->fx_day) ||
        jv_str(r, e, p, "reference", false, &x->reference))
        return r->err.code;
    int scale = hc_currency_scale(x->currency);
    if (strlen(x->currency) != 3 || scale < 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "currency"),
                          "must be an ISO 4217 code");
    if (amount[0] == '-')
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "amount"),
                          "spend is an amount >= 0");
    if (hc_decimal_parse(amount, scale, &x->minor) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "amount"),
                          "must be a decimal string with at most %d fraction digits", scale);
    hc_err e2 = {0};
    if (hc_adcap_spend_validate(x, &e2) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, e2.field), "%s", e2.msg);
    return HC_OK;
}

static int spend_from_csv(struct req *r, struct spend_ctx *c)
{
    if (api_csv_text(r, "a CSV body channel,month,amount,currency[,fx_day[,reference]]"))
        return r->err.code;
    return hc_adcap_spend_csv_parse(r->arena, r->body.p, r->body.n, &c->rows, &c->n, &r->err);
}

static int spend_from_json(struct req *r, struct spend_ctx *c)
{
    json_t *b, *arr;
    if (jv_body(r, &b) || jv_array(r, b, "", "spend", SPEND_ROWS_MAX, &arr))
        return r->err.code;
    c->n = json_array_size(arr);
    if (c->n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "spend", "must hold at least one row");
    c->rows = hc_arena_alloc(r->arena, c->n * sizeof(*c->rows));
    memset(c->rows, 0, c->n * sizeof(*c->rows));
    for (size_t i = 0; i < c->n; i++)
        if (spend_json_row(r, arr, i, &c->rows[i]) != HC_OK)
            return r->err.code;
    return HC_OK;
}

int h_adspend_import(struct req *r)
{
    struct spend_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->arena = r->arena;
    c->seller = r->params[0];
    c->actor = api_actor(r);
    if (!seller_ok(r))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    int rc = api_body_is_csv(r) ? spend_from_csv(r, c) : spend_from_json(r, c);
    if (rc != HC_OK)
        return api_fail(r);
    if (c->n > SPEND_ROWS_MAX)
        return fail_field(r, HC_EINVAL, "spend", "at most 20000 rows in one import");
    return api_write(r, spend_job, spend_render, c);
}

/* ?year=YYYY (optional unless required) */
static int year_param(struct req *r, const char *v, int *year)
{
    int64_t y;
    *year = 0;
    if (v == NULL)
        return HC_OK;
    if (strlen(v) != 4 || hc_parse_i64(v, HC_ADCAP_YEAR_MIN, HC_ADCAP_YEAR_MAX, &y) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, "year", "must be a year YYYY from %d",
                          HC_ADCAP_YEAR_MIN);
    *year = (int)y;
    return HC_OK;
}

/* ---- GET /v1/sellers/{code}/ad-spend -------------------------------------------------- */
int h_adspend_list(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    int year;
    if (year_param(r, api_query(r, "year"), &year))
        return api_fail(r);
    if (!seller_ok(r))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    struct hc_ad_spend *rows;
    size_t n;
    if (hc_adcap_spend_list(st, r->arena, r->params[0], year, &rows, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_spend(&rows[i]));
    return api_reply(r, 200, j_page(items, NULL));
}

/* ---- categories ------------------------------------------------------------------------- */
static json_t *render_category(const struct hc_ad_category *c)
{
    char pct[16];
    hc_decimal_format(c->rate_bp, 2, pct, sizeof(pct));
    return json_pack("{s:s,s:i,s:s,s:o}", "category", c->category, "year_from", c->year_from,
                     "rate_pct", pct, "set_at", j_time(c->created_at));
}

struct category_ctx {
    struct hc_ad_category c;
    const char *actor;
};

static int category_job(hc_store *s, void *ctx, hc_err *err)
{
    struct category_ctx *c = ctx;
    return hc_adcap_category_set(s, &c->c, c->actor, err);
}

static int category_render(struct req *r)
{
    struct category_ctx *c = r->ctx;
    json_t *o = render_category(&c->c);
    if (o)
        json_object_set_new(o, "seller", json_string(c->c.seller));
    return api_reply(r, 201, o);
}

int h_adcategory_set(struct req *r)
{
    json_t *b;
    const char *rate = NULL;
    int64_t year;
    struct category_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->c.seller = r->params[0];
    c->actor = api_actor(r);
    c->c.rate_bp = -1;
    if (jv_body(r, &b) || jv_str(r, b, "", "category", true, &c->c.category) ||
        jv_int(r, b, "", "year_from", true, HC_ADCAP_YEAR_MIN, HC_ADCAP_YEAR_MAX, &year) ||
        jv_str(r, b, "", "rate_pct", false, &rate))
        return api_fail(r);
    c->c.year_from = (int)year;
    if (hc_adcap_category_bp(c->c.category) < 0)
        return fail_field(r, HC_EINVAL, "category",
                          "one of general, cosmetics, pharmaceuticals, soft_drinks, tobacco");
    if (rate && (hc_decimal_parse(rate, 2, &c->c.rate_bp) != HC_OK || c->c.rate_bp < 0 ||
                 c->c.rate_bp > 10000))
        return fail_field(r, HC_EINVAL, "rate_pct",
                          "a percentage from 0 to 100 with at most 2 decimals, as a string");
    if (!seller_ok(r))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    return api_write(r, category_job, category_render, c);
}

int h_adcategory_list(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!seller_ok(r))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    struct hc_ad_category *rows;
    size_t n;
    if (hc_adcap_category_list(st, r->arena, r->params[0], &rows, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_category(&rows[i]));
    return api_reply(r, 200, j_page(items, NULL));
}

/* ---- GET /v1/sellers/{code}/ad-cap/{year} --------------------------------------------- */
static json_t *render_year(const struct hc_adcap_year *y)
{
    char pct[16];
    hc_decimal_format(y->rate_bp, 2, pct, sizeof(pct));
    json_t *cur = json_array();
    for (size_t i = 0; i < y->ncur; i++)
        json_array_append_new(cur, json_pack("{s:o,s:o}", "amount",
                                             j_money(y->by_currency[i].minor,
                                                     y->by_currency[i].currency),
                                             "amount_cny",
                                             j_money(y->by_currency[i].cny_minor, "CNY")));
    return json_pack("{s:i,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "year", y->year,
                     "category", y->category, "rate_pct", pct, "orders", (json_int_t)y->orders,
                     "revenue_by_currency", cur, "revenue", j_money(y->revenue, "CNY"), "spend",
                     j_money(y->spend, "CNY"), "carried_in", j_money(y->carried_in, "CNY"), "cap",
                     j_money(y->cap, "CNY"), "allowed", j_money(y->allowed, "CNY"),
                     "carried_out", j_money(y->carried_out, "CNY"));
}

int h_adcap_report(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    int year;
    if (year_param(r, r->params[1], &year))
        return api_fail(r);
    if (!seller_ok(r))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    struct hc_adcap_report rep;
    if (hc_adcap_report(st, r->arena, r->params[0], year, hc_now_ms(), &rep, &r->err))
        return api_fail(r);
    assert(rep.n > 0);
    json_t *years = json_array();
    for (size_t i = 0; i < rep.n; i++)
        json_array_append_new(years, render_year(&rep.years[i]));
    json_t *o = render_year(&rep.years[rep.n - 1]);
    json_object_set_new(o, "seller", json_string(rep.seller));
    json_object_set_new(o, "currency", json_string("CNY"));
    json_object_set_new(o, "timezone", json_string("Asia/Shanghai"));
    json_object_set_new(o, "history", years);
    return api_reply(r, 200, o);
}

/* h_money.c: the money journal (accounts, postings), sellers' wallets,
 * top-ups and credit limits, FX reference rates and conversions. Money on
 * the wire is {"amount": "12.34", "currency": "EUR"}. Sellers see only
 * their own money; an operator sees its warehouse's accounts. */
#include "internal.h"

#include "finance/finance.h"

#include <stdio.h>
#include <string.h>

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* A flat amount: body.amount (decimal string) with body.currency. */
static int parse_amount(struct req *r, json_t *b, const char *amount_key, int64_t *minor,
                        const char **currency)
{
    const char *amount;
    if (jv_str(r, b, "", "currency", true, currency) ||
        jv_str(r, b, "", amount_key, true, &amount))
        return r->err.code;
    int scale = hc_currency_scale(*currency);
    if (strlen(*currency) != 3 || scale < 0)
        return hc_err_set(&r->err, HC_EINVAL, "currency", "must be an ISO 4217 code");
    if (hc_decimal_parse(amount, scale, minor) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, amount_key,
                          "must be a decimal string with at most %d fraction digits", scale);
    return HC_OK;
}

static int date_param(struct req *r, const char *name, int64_t *ms)
{
    const char *v = api_query(r, name);
    *ms = 0;
    if (v == NULL)
        return HC_OK;
    if (hc_time_parse_iso(v, ms) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, name, "must be YYYY-MM-DD or an ISO 8601 UTC time");
    if (strlen(v) == 10 && strcmp(name, "to") == 0)
        *ms += HC_DAY_MS; /* a date includes its whole day */
    return HC_OK;
}

static json_t *render_balance(const char *account, const char *currency, int64_t stored)
{
    int normal = hc_money_account_normal(account);
    return json_pack("{s:s,s:s,s:s,s:o,s:o}", "account", account, "currency", currency, "side",
                     normal > 0 ? "debit" : "credit", "balance",
                     j_money(normal > 0 ? stored : -stored, currency), "debits_minus_credits",
                     j_money(stored, currency));
}

/* An operator acts on the money of sellers that have (had) stock in its warehouse. */
static bool operator_may(struct req *r, hc_store *st, const char *seller)
{
    if (r->who.role != ROLE_OPERATOR)
        return true;
    bool uses = false;
    return hc_wallet_seller_uses(st, seller, r->who.warehouse, &uses, &r->err) == HC_OK && uses;
}

/* the same inside a write job: 404 naming code */
static int operator_check(hc_store *s, const char *warehouse, const char *seller, hc_err *err)
{
    if (warehouse == NULL)
        return HC_OK;
    bool uses = false;
    int rc = hc_wallet_seller_uses(s, seller, warehouse, &uses, err);
    if (rc == HC_OK && !uses)
        rc = hc_err_set(err, HC_ENOTFOUND, "code", "no seller %s", seller);
    return rc;
}

/* ---- GET /v1/money/accounts -------------------------------------------------------- */
int h_money_accounts(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    const char *currency = api_query(r, "currency");
    if (seller && wh)
        return fail_field(r, HC_EINVAL, "warehouse", "give seller or warehouse, not both");
    /* a seller sees its own accounts; an operator its warehouse's */
    if (r->who.role == ROLE_SELLER) {
        if ((seller && strcmp(seller, r->who.seller) != 0) || wh)
            return api_reply(r, 200, j_page(json_array(), NULL));
        seller = r->who.seller;
    } else if (r->who.role == ROLE_OPERATOR) {
        if ((wh && strcmp(wh, r->who.warehouse) != 0) || seller)
            return api_reply(r, 200, j_page(json_array(), NULL));
        wh = r->who.warehouse;
    }
    const char *prefix = seller ? hc_arena_printf(r->arena, "seller/%s/", seller)
                         : wh   ? hc_arena_printf(r->arena, "wh/%s/", wh)
                                : "";
    struct hc_money_balance_row *rows;
    size_t n;
    if (hc_money_balances(st, r->arena, prefix, &rows, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        if (currency == NULL || strcmp(currency, rows[i].currency) == 0)
            json_array_append_new(items, render_balance(rows[i].account, rows[i].currency,
                                                        rows[i].balance));
    return api_reply(r, 200, j_page(items, NULL));
}

/* ---- GET /v1/money/postings -------------------------------------------------------- */
static json_t *render_posting(const struct hc_money_posting *p)
{
    json_t *o = json_pack("{s:s,s:I,s:s,s:o,s:s,s:o,s:s,s:{s:s,s:s},s:o,s:o,s:s,s:s}", "entry",
                          p->entry, "line_seq", (json_int_t)p->seq, "account", p->account, "at",
                          j_time(p->at), "side", p->minor > 0 ? "debit" : "credit", "amount",
                          j_money(p->minor > 0 ? p->minor : -p->minor, p->currency), "currency",
                          p->currency, "cause", "kind", p->cause_kind, "id", p->cause_id,
                          "seller", j_str_or_null(p->seller[0] ? p->seller : NULL), "warehouse",
                          j_str_or_null(p->warehouse[0] ? p->warehouse : NULL), "actor",
                          p->actor, "memo", p->memo);
    if (o && p->fx_rate[0])
        json_object_set_new(o, "fx", json_pack("{s:s,s:s}", "rate", p->fx_rate, "day",
                                               p->fx_day));
    return o;
}

int h_money_postings(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_money_filter f = {.account = api_query(r, "account"),
                                .seller = api_query(r, "seller"),
                                .warehouse = api_query(r, "warehouse"),
                                .entry = api_query(r, "entry"),
                                .limit = pg.limit};
    if (f.account && !hc_money_account_valid(f.account))
        return fail_field(r, HC_EINVAL, "account",
                          "not an account (seller/<code>/<kind> or wh/<code>/<kind>)");
    if (date_param(r, "from", &f.from_ms) || date_param(r, "to", &f.to_ms))
        return api_fail(r);
    if (pg.cursor && hc_parse_i64(pg.cursor, 1, INT64_MAX, &f.after) != HC_OK)
        return fail_field(r, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_money_posting *rows;
    size_t n;
    int64_t next;
    if (hc_money_postings(st, r->arena, &f, &rows, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_posting(&rows[i]));
    return api_reply(r, 200, j_page(items, next ? hc_arena_printf(r->arena, "%lld",
                                                                  (long long)next)
                                                : NULL));
}

/* ---- wallet --------------------------------------------------------------------------- */
static json_t *render_wallet(const struct hc_wallet *w)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < w->n; i++) {
        const struct hc_wallet_row *x = &w->rows[i];
        json_array_append_new(
            rows, json_pack("{s:s,s:o,s:o,s:b}", "currency", x->currency, "balance",
                            j_money(x->available, x->currency), "credit_limit",
                            x->credit_limit >= 0 ? j_money(x->credit_limit, x->currency)
                                                 : json_null(),
                            "over_limit", x->over_limit));
    }
    return json_pack("{s:s,s:o,s:b,s:I}", "seller", w->seller, "balances", rows, "held",
                     w->held, "held_orders", (json_int_t)w->held_orders);
}

static json_t *wallet_json(struct req *r, const struct hc_wallet *w)
{
    json_t *o = render_wallet(w);
    if (o)
        json_object_set_new(o, "postings",
                            json_string(hc_arena_printf(r->arena, "/v1/money/postings?seller=%s",
                                                        w->seller)));
    return o;
}

int h_seller_wallet(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!api_may_seller(r, r->params[0]) || !operator_may(r, st, r->params[0]))
        return r->err.code ? api_fail(r) : fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    struct hc_wallet w;
    if (hc_wallet_get(st, r->arena, r->params[0], &w, &r->err))
        return api_fail(r);
    return api_reply(r, 200, wallet_json(r, &w));
}

struct topup_ctx {
    const char *operator_wh; /* an operator's warehouse, or NULL */
    struct hc_topup t;
    struct hc_topup_result res;
    struct hc_wallet w;
    hc_arena *arena;
};

static int topup_job(hc_store *s, void *ctx, hc_err *err)
{
    struct topup_ctx *c = ctx;
    int rc = operator_check(s, c->operator_wh, c->t.seller, err);
    if (rc == HC_OK)
        rc = hc_wallet_topup(s, c->arena, &c->t, &c->res, err);
    if (rc == HC_OK)
        rc = hc_wallet_get(s, c->arena, c->t.seller, &c->w, err);
    return rc;
}

static int topup_render(struct req *r)
{
    struct topup_ctx *c = r->ctx;
    json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:i,s:o}", "entry", c->res.posted.id, "seller",
                          c->t.seller, "amount", j_money(c->t.minor, c->t.currency), "reference",
                          c->t.reference, "released_orders", c->res.released, "wallet",
                          wallet_json(r, &c->w));
    return api_reply(r, c->res.posted.replayed ? 200 : 201, o);
}

int h_seller_topup(struct req *r)
{
    json_t *b;
    struct topup_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->t.seller = r->params[0];
    c->t.actor = api_actor(r);
    c->t.idem_key = r->idem_key[0] ? r->idem_key : NULL;
    c->operator_wh = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    if (jv_body(r, &b) || parse_amount(r, b, "amount", &c->t.minor, &c->t.currency) ||
        jv_str(r, b, "", "reference", true, &c->t.reference))
        return api_fail(r);
    if (c->t.minor <= 0)
        return fail_field(r, HC_EINVAL, "amount", "a top-up is a positive amount");
    if (strlen(c->t.reference) == 0 || strlen(c->t.reference) > HC_TOPUP_REF_MAX)
        return fail_field(r, HC_EINVAL, "reference", "1 to 64 characters");
    if (!api_may_seller(r, c->t.seller))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    return api_write(r, topup_job, topup_render, c);
}

struct credit_ctx {
    const char *seller, *currency, *actor, *operator_wh;
    int64_t limit;
    int released;
    struct hc_wallet w;
    hc_arena *arena;
};

static int credit_job(hc_store *s, void *ctx, hc_err *err)
{
    struct credit_ctx *c = ctx;
    int rc = operator_check(s, c->operator_wh, c->seller, err);
    if (rc == HC_OK)
        rc = hc_credit_set(s, c->arena, c->seller, c->currency, c->limit, c->actor, &c->released,
                           err);
    if (rc == HC_OK)
        rc = hc_wallet_get(s, c->arena, c->seller, &c->w, err);
    return rc;
}

static int credit_render(struct req *r)
{
    struct credit_ctx *c = r->ctx;
    json_t *o = wallet_json(r, &c->w);
    if (o)
        json_object_set_new(o, "released_orders", json_integer(c->released));
    return api_reply(r, 200, o);
}

int h_seller_credit(struct req *r)
{
    json_t *b;
    struct credit_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->seller = r->params[0];
    c->actor = api_actor(r);
    c->operator_wh = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    if (jv_body(r, &b) || parse_amount(r, b, "credit_limit", &c->limit, &c->currency))
        return api_fail(r);
    if (c->limit < 0)
        return fail_field(r, HC_EINVAL, "credit_limit", "must be >= 0");
    return api_write(r, credit_job, credit_render, c);
}

struct convert_ctx {
    const char *seller, *from, *to, *day, *actor, *idem, *operator_wh;
    int64_t minor;
    struct hc_money_posted posted;
    struct hc_fx_conversion conv;
};

static int convert_job(hc_store *s, void *ctx, hc_err *err)
{
    struct convert_ctx *c = ctx;
    int rc = operator_check(s, c->operator_wh, c->seller, err);
    if (rc != HC_OK)
        return rc;
    return hc_wallet_convert(s, c->seller, c->from, c->minor, c->to, c->day, c->actor, c->idem,
                             &c->posted, &c->conv, err);
}

static int convert_render(struct req *r)
{
    struct convert_ctx *c = r->ctx;
    return api_reply(r, c->posted.replayed ? 200 : 201,
                     json_pack("{s:s,s:o,s:o,s:s,s:s}", "entry", c->posted.id, "from",
                               j_money(c->minor, c->from), "to", j_money(c->conv.minor, c->to),
                               "rate", c->conv.rate, "day", c->conv.day));
}

int h_seller_convert(struct req *r)
{
    json_t *b;
    struct convert_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->seller = r->params[0];
    c->actor = api_actor(r);
    c->idem = r->idem_key[0] ? r->idem_key : NULL;
    c->operator_wh = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    if (jv_body(r, &b) || parse_amount(r, b, "amount", &c->minor, &c->from) ||
        jv_str(r, b, "", "to", true, &c->to) || jv_str(r, b, "", "day", true, &c->day))
        return api_fail(r);
    if (c->minor <= 0)
        return fail_field(r, HC_EINVAL, "amount", "a conversion moves a positive amount");
    if (strlen(c->to) != 3 || hc_currency_scale(c->to) < 0)
        return fail_field(r, HC_EINVAL, "to", "must be an ISO 4217 code");
    if (!hc_fx_day_valid(c->day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    if (!api_may_seller(r, c->seller))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    return api_write(r, convert_job, convert_render, c);
}

/* ---- FX rates ------------------------------------------------------------------------- */
struct fx_ctx {
    struct hc_fx_rate *rates;
    size_t n;
    const char *actor;
};

static int fx_job(hc_store *s, void *ctx, hc_err *err)
{
    struct fx_ctx *c = ctx;
    return hc_fx_rates_put(s, c->rates, c->n, c->actor, err);
}

static int fx_render(struct req *r)
{
    struct fx_ctx *c = r->ctx;
    return api_reply(r, 201, json_pack("{s:I}", "imported", (json_int_t)c->n));
}

#define FX_RATES_MAX 20000

int h_fx_rates_import(struct req *r)
{
    struct fx_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->actor = api_actor(r);
    if (api_body_is_csv(r)) {
        if (api_csv_text(r, "a CSV body base,quote,day,rate[,source]"))
            return api_fail(r);
        const char *src = api_query(r, "source");
        if (hc_fx_csv_parse(r->arena, r->body.p, r->body.n, src, &c->rates, &c->n, &r->err))
            return api_fail(r);
    } else {
        json_t *b, *arr;
        const char *source = NULL;
        if (jv_body(r, &b) || jv_str(r, b, "", "source", false, &source) ||
            jv_array(r, b, "", "rates", FX_RATES_MAX, &arr))
            return api_fail(r);
        c->n = json_array_size(arr);
        if (c->n == 0)
            return fail_field(r, HC_EINVAL, "rates", "must hold at least one rate");
        c->rates = hc_arena_alloc(r->arena, c->n * sizeof(*c->rates));
        for (size_t i = 0; i < c->n; i++) {
            json_t *e;
            const char *p, *rate;
            struct hc_fx_rate *x = &c->rates[i];
            if (jv_item(r, arr, "rates", i, &e, &p) || jv_str(r, e, p, "base", true, &x->base) ||
                jv_str(r, e, p, "quote", true, &x->quote) ||
                jv_str(r, e, p, "day", true, &x->day) || jv_str(r, e, p, "rate", true, &rate) ||
                jv_str(r, e, p, "source", false, &x->source))
                return api_fail(r);
            if (x->source == NULL)
                x->source = source;
            if (hc_fx_rate_parse(rate, &x->rate_e10) != HC_OK)
                x->rate_e10 = 0;
            hc_err e2 = {0};
            if (hc_fx_rate_validate(x, &e2) != HC_OK) {
                hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, e2.field), "%s", e2.msg);
                return api_fail(r);
            }
        }
    }
    if (c->n > FX_RATES_MAX)
        return fail_field(r, HC_EINVAL, "rates", "at most 20000 rates in one import");
    return api_write(r, fx_job, fx_render, c);
}

static json_t *render_rate(const struct hc_fx_rate *x)
{
    char rate[HC_FX_RATE_MAX];
    hc_fx_rate_format(x->rate_e10, rate, sizeof(rate));
    return json_pack("{s:s,s:s,s:s,s:s,s:s}", "base", x->base, "quote", x->quote, "day", x->day,
                     "rate", rate, "source", x->source);
}

static int day_param(struct req *r, const char *name, bool required, const char **out)
{
    *out = api_query(r, name);
    if (*out == NULL && !required)
        return HC_OK;
    if (*out == NULL)
        return hc_err_set(&r->err, HC_EINVAL, name, "is required (YYYY-MM-DD)");
    if (!hc_fx_day_valid(*out))
        return hc_err_set(&r->err, HC_EINVAL, name, "must be a date YYYY-MM-DD");
    return HC_OK;
}

static int currency_param(struct req *r, const char *name, bool required, const char **out)
{
    *out = api_query(r, name);
    if (*out == NULL && !required)
        return HC_OK;
    if (*out == NULL)
        return hc_err_set(&r->err, HC_EINVAL, name, "is required (ISO 4217)");
    if (strlen(*out) != 3 || hc_currency_scale(*out) < 0)
        return hc_err_set(&r->err, HC_EINVAL, name, "must be an ISO 4217 code");
    return HC_OK;
}

int h_fx_rates_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    if (pg.cursor)
        return fail_field(r, HC_EINVAL, "cursor", "rates come in one page; narrow by from/to");
    struct hc_fx_filter f = {.limit = pg.limit};
    if (currency_param(r, "base", false, &f.base) || currency_param(r, "quote", false, &f.quote) ||
        day_param(r, "from", false, &f.from_day) || day_param(r, "to", false, &f.to_day))
        return api_fail(r);
    struct hc_fx_rate *rates;
    size_t n;
    if (hc_fx_rates_list(st, r->arena, &f, &rates, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_rate(&rates[i]));
    return api_reply(r, 200, j_page(items, NULL));
}

/* GET /v1/fx/convert?from=EUR&to=CNY&day=2026-11-03&amount=12.34: a quote, nothing booked. */
int h_fx_convert(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    const char *from, *to, *day, *amount = api_query(r, "amount");
    if (currency_param(r, "from", true, &from) || currency_param(r, "to", true, &to) ||
        day_param(r, "day", true, &day))
        return api_fail(r);
    int64_t minor;
    if (amount == NULL)
        return fail_field(r, HC_EINVAL, "amount", "is required (a decimal string)");
    if (hc_decimal_parse(amount, hc_currency_scale(from), &minor) != HC_OK)
        return fail_field(r, HC_EINVAL, "amount", "must be a decimal with the minor units of from");
    struct hc_fx_conversion conv;
    if (hc_fx_convert(st, from, to, day, minor, &conv, &r->err))
        return api_fail(r);
    return api_reply(r, 200, json_pack("{s:o,s:o,s:s,s:s}", "from", j_money(minor, from), "to",
                                       j_money(conv.minor, to), "rate", conv.rate, "day",
                                       conv.day));
}

/* h_refund.c: the overseas-warehouse export VAT refund (src/finance/refund.c,
 * refund_report.c): a seller's refund profile, refund rates and purchase
 * invoices (JSON or CSV), its 9810 items with their amounts, filings,
 * grants, monthly reconciliations and the report. Amounts are CNY decimal
 * strings ("1234.56"), rates percent strings ("13"). A seller's key sees
 * and acts on its own refund only; an admin names the seller. */
#include "internal.h"

#include "finance/finance.h"
#include "h_refund.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REFUND_ROWS_MAX 20000

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* Unknown body fields are a 400 naming them (a misspelt "granted_on" must not
 * pass as absent). */
static int only_keys(struct req *r, json_t *obj, const char *prefix, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, j_safe(r, key, 64)),
                              "is not a field here");
    }
    return HC_OK;
}

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

static json_t *yuan(int64_t fen)
{
    char buf[40];
    hc_decimal_format(fen, 2, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *pct(int64_t bp)
{
    char buf[24];
    hc_refund_pct_format(bp, buf, sizeof(buf));
    return json_string(buf);
}

/* The seller a request concerns: a seller key's own (another named: 404),
 * an admin's `seller` (required). */
static int which_seller(struct req *r, const char *given, const char **out)
{
    if (r->who.role == ROLE_SELLER) {
        if (given && strcmp(given, r->who.seller) != 0)
            return hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no such seller");
        *out = r->who.seller;
        return HC_OK;
    }
    if (given == NULL || given[0] == '\0')
        return hc_err_set(&r->err, HC_EINVAL, "seller", "is required (a seller code)");
    *out = given;
    return HC_OK;
}

static int day_query(struct req *r, const char **day)
{
    *day = api_query(r, "date");
    if (*day == NULL) {
        char iso[32];
        hc_time_iso(hc_now_ms() + HC_BEIJING_OFFSET_MS, iso, sizeof(iso));
        *day = hc_arena_strndup(r->arena, iso, 10);
    }
    return HC_OK;
}

/* ---- profile ---------------------------------------------------------------------------- */
static json_t *render_profile(const struct hc_refund_profile *p)
{
    return json_pack("{s:s,s:s,s:o,s:s}", "seller", p->seller, "company_type", p->company,
                     "vat_rate", pct(p->vat_bp), "basis",
                     strcmp(p->company, HC_REFUND_TRADING) == 0
                         ? "purchase invoice excl. VAT x refund rate (免退)"
                         : "FOB x exchange rate x refund rate, less FOB x rate x (VAT - refund "
                           "rate) not creditable (免抵退)");
}

int h_refund_profile_get(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!api_may_seller(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    struct hc_refund_profile p;
    if (hc_refund_profile_get(st, r->arena, r->params[0], &p, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_profile(&p));
}

struct profile_ctx {
    struct hc_refund_profile p;
    const char *actor;
};

static int profile_job(hc_store *s, void *ctx, hc_err *err)
{
    struct profile_ctx *c = ctx;
    return hc_refund_profile_put(s, &c->p, c->actor, err);
}

static int profile_render(struct req *r)
{
    struct profile_ctx *c = r->ctx;
    return api_reply(r, 200, render_profile(&c->p));
}

int h_refund_profile_put(struct req *r)
{
    json_t *b;
    const char *vat;
    struct profile_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->p.seller = r->params[0];
    c->actor = api_actor(r);
    if (jv_body(r, &b) || only_keys(r, b, "", KEYS("company_type", "vat_rate")) ||
        jv_str(r, b, "", "company_type", true, &c->p.company) ||
        jv_str(r, b, "", "vat_rate", true, &vat))
        return api_fail(r);
    if (hc_refund_pct_parse(vat, "vat_rate", &c->p.vat_bp, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, c->p.seller))
        return fail_field(r, HC_ENOTFOUND, "code", "no such seller");
    return api_write(r, profile_job, profile_render, c);
}

/* ---- imports: rates and invoices, from text/csv (the seller in ?seller=) or JSON
 * {seller?, <rows>: [...]} ------------------------------------------------------------- */
struct import_ctx {
    const char *seller, *actor;
    struct hc_refund_rate *rates;
    struct hc_refund_invoice *invoices;
    size_t n;
};

static struct import_ctx *import_ctx_new(struct req *r)
{
    struct import_ctx *c = hc_arena_alloc(r->arena, sizeof(*c)); /* zeroed */
    c->actor = api_actor(r);
    return c;
}

/* The import's seller and, for a JSON body, its array `key` of at least one
 * row (*arr NULL for a CSV body, whose text is checked). */
static int import_source(struct req *r, const char *key, const char *one, struct import_ctx *c,
                         json_t **arr)
{
    *arr = NULL;
    if (api_body_is_csv(r)) {
        if (which_seller(r, api_query(r, "seller"), &c->seller))
            return r->err.code;
        return api_csv_text(r, "a CSV body");
    }
    json_t *b;
    const char *seller = NULL;
    if (api_query(r, "seller"))
        return hc_err_set(&r->err, HC_EINVAL, "seller", "give seller in the JSON body");
    if (jv_body(r, &b) || only_keys(r, b, "", KEYS("seller", key)) ||
        jv_str(r, b, "", "seller", false, &seller) || which_seller(r, seller, &c->seller) ||
        jv_array(r, b, "", key, REFUND_ROWS_MAX, arr))
        return r->err.code;
    if (json_array_size(*arr) == 0)
        return hc_err_set(&r->err, HC_EINVAL, key, "must hold at least one %s", one);
    return HC_OK;
}

static int imported_render(struct req *r)
{
    struct import_ctx *c = r->ctx;
    return api_reply(r, 201,
                     json_pack("{s:s,s:I}", "seller", c->seller, "imported", (json_int_t)c->n));
}

static int import_write(struct req *r, const char *key, hc_write_fn job, struct import_ctx *c)
{
    if (c->n > REFUND_ROWS_MAX) {
        hc_err_set(&r->err, HC_EINVAL, key, "at most 20000 %s in one import", key);
        return api_fail(r);
    }
    return api_write(r, job, imported_render, c);
}

/* A row the domain refused: its message, naming the field within row p. */
static int row_refused(struct req *r, const char *p, const hc_err *e)
{
    return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, e->field), "%s", e->msg);
}

/* ---- rates ---------------------------------------------------------------------------------- */
static int rates_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_ctx *c = ctx;
    return hc_refund_rates_put(s, c->seller, c->rates, c->n, c->actor, err);
}

static int rates_json(struct req *r, json_t *arr, struct import_ctx *c)
{
    c->n = json_array_size(arr);
    c->rates = hc_arena_alloc(r->arena, c->n * sizeof(*c->rates));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p, *rate;
        struct hc_refund_rate *x = &c->rates[i];
        if (jv_item(r, arr, "rates", i, &e, &p) ||
            only_keys(r, e, p, KEYS("hs_code", "effective_from", "rate", "source")) ||
            jv_str(r, e, p, "hs_code", true, &x->hs_code) ||
            jv_str(r, e, p, "effective_from", true, &x->effective_from) ||
            jv_str(r, e, p, "rate", true, &rate) || jv_str(r, e, p, "source", false, &x->source))
            return r->err.code;
        if (hc_refund_pct_parse(rate, jv_field(r, p, "rate"), &x->rate_bp, &r->err))
            return r->err.code;
        hc_err e2 = {0};
        if (hc_refund_rate_validate(x, "", &e2) != HC_OK)
            return row_refused(r, p, &e2);
    }
    return HC_OK;
}

int h_refund_rates_import(struct req *r)
{
    struct import_ctx *c = import_ctx_new(r);
    json_t *arr;
    if (import_source(r, "rates", "rate", c, &arr) ||
        (arr ? rates_json(r, arr, c)
             : hc_refund_rates_csv(r->arena, r->body.p, r->body.n, &c->rates, &c->n, &r->err)))
        return api_fail(r);
    return import_write(r, "rates", rates_job, c);
}

int h_refund_rates_list(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL;
    if (st == NULL || which_seller(r, api_query(r, "seller"), &seller))
        return api_fail(r);
    struct hc_refund_rate *v;
    size_t n;
    if (hc_refund_rates_list(st, r->arena, seller, &v, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:s}", "hs_code", v[i].hs_code,
                                               "effective_from", v[i].effective_from, "rate",
                                               pct(v[i].rate_bp), "source", v[i].source));
    return api_reply(r, 200, j_page(items, NULL));
}

/* ---- invoices -------------------------------------------------------------------------------- */
static int invoices_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_ctx *c = ctx;
    return hc_refund_invoices_put(s, c->seller, c->invoices, c->n, c->actor, err);
}

/* "1234.56" (or "-1.00", refused by the domain naming amount) -> fen */
static int amount_fen(struct req *r, const char *field, const char *s, int64_t *fen)
{
    bool neg = s[0] == '-';
    if (hc_decimal_parse(neg ? s + 1 : s, 2, fen) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, field, "a CNY amount such as \"1234.56\"");
    if (neg)
        *fen = -*fen;
    return HC_OK;
}

static int invoices_json(struct req *r, json_t *arr, struct import_ctx *c)
{
    c->n = json_array_size(arr);
    c->invoices = hc_arena_alloc(r->arena, c->n * sizeof(*c->invoices));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p, *amount;
        struct hc_refund_invoice *x = &c->invoices[i];
        if (jv_item(r, arr, "invoices", i, &e, &p) ||
            only_keys(r, e, p, KEYS("entry_id", "entry_gnum", "sku", "amount", "invoice_no")) ||
            jv_str(r, e, p, "entry_id", false, &x->entry_id) ||
            jv_int(r, e, p, "entry_gnum", x->entry_id != NULL, 1, 999, &x->entry_gnum) ||
            jv_str(r, e, p, "sku", false, &x->sku) || jv_str(r, e, p, "amount", true, &amount) ||
            jv_str(r, e, p, "invoice_no", false, &x->invoice_no) ||
            amount_fen(r, jv_field(r, p, "amount"), amount, &x->amount_fen))
            return r->err.code;
        hc_err e2 = {0};
        if (hc_refund_invoice_validate(x, "", &e2) != HC_OK)
            return row_refused(r, p, &e2);
    }
    return HC_OK;
}

int h_refund_invoices_import(struct req *r)
{
    struct import_ctx *c = import_ctx_new(r);
    json_t *arr;
    if (import_source(r, "invoices", "invoice", c, &arr) ||
        (arr ? invoices_json(r, arr, c)
             : hc_refund_invoices_csv(r->arena, r->body.p, r->body.n, &c->invoices, &c->n,
                                      &r->err)))
        return api_fail(r);
    return import_write(r, "invoices", invoices_job, c);
}

int h_refund_invoices_list(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL;
    if (st == NULL || which_seller(r, api_query(r, "seller"), &seller))
        return api_fail(r);
    struct hc_refund_invoice *v;
    size_t n;
    if (hc_refund_invoices_list(st, r->arena, seller, &v, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o =
            json_pack("{s:o,s:s}", "amount", yuan(v[i].amount_fen), "invoice_no", v[i].invoice_no);
        if (v[i].entry_id) {
            json_object_set_new(o, "entry_id", json_string(v[i].entry_id));
            json_object_set_new(o, "entry_gnum", json_integer(v[i].entry_gnum));
            json_object_set_new(o, "per", json_string("item"));
        } else {
            json_object_set_new(o, "sku", json_string(v[i].sku));
            json_object_set_new(o, "per", json_string("unit"));
        }
        json_array_append_new(items, o);
    }
    return api_reply(r, 200, j_page(items, NULL));
}

/* ---- items and filings ------------------------------------------------------------------------
 */
static json_t *render_amount(const struct hc_refund_amount *a)
{
    return json_pack("{s:o,s:o,s:o}", "basis", yuan(a->basis_fen), "non_creditable",
                     yuan(a->non_creditable_fen), "refund", yuan(a->refund_fen));
}

static json_t *render_item(const struct hc_refund_item *p)
{
    json_t *parts = json_array();
    for (size_t k = 0; k < p->nparts; k++) {
        json_t *x = render_amount(&p->parts[k].amt);
        json_object_set_new(x, "part", json_string(p->parts[k].part));
        json_object_set_new(x, "business_type", json_string(p->parts[k].business_type));
        json_object_set_new(x, "qty", json_integer(p->parts[k].qty));
        json_array_append_new(parts, x);
    }
    json_t *o =
        json_pack("{s:o,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:o,s:o}", "entry_id",
                  j_str_or_null(p->entry_id), "entry_gnum", (json_int_t)p->entry_gnum, "list_id",
                  p->list_id, "gnum", (json_int_t)p->gnum, "sku", p->sku, "warehouse", p->warehouse,
                  "hs_code", p->hs_code, "qty", (json_int_t)p->qty, "sold", (json_int_t)p->sold,
                  "exported_on", p->exported_on, "fob", p->fob ? p->fob : "", "currency",
                  p->currency, "parts", parts, "filing", j_str_or_null(p->filing_id));
    if (p->blocked_field == NULL) {
        json_object_set_new(o, "refund_rate", pct(p->rate_bp));
        json_object_set_new(o, "fx_rate", j_str_or_null(p->fx_rate));
        json_object_set_new(o, "total", render_amount(&p->total));
    } else {
        json_object_set_new(
            o, "blocked", json_pack("{s:s,s:s}", "field", p->blocked_field, "reason", p->blocked));
    }
    if (p->file_by)
        json_object_set_new(o, "file_by", json_string(p->file_by));
    return o;
}

int h_refund_items(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL, *day = NULL, *next = NULL;
    struct hc_list_page pg;
    if (st == NULL || which_seller(r, api_query(r, "seller"), &seller) || day_query(r, &day) ||
        api_page(r, &pg))
        return api_fail(r);
    struct hc_refund_item *v;
    size_t n;
    if (hc_refund_items_page(st, r->arena, seller, day, pg.cursor, pg.limit, &v, &n, &next,
                             &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_item(&v[i]));
    json_t *o = j_page(items, next);
    json_object_set_new(o, "date", json_string(day));
    return api_reply(r, 200, o);
}

static json_t *render_filing(const struct hc_refund_filing *f)
{
    json_t *items = json_array();
    for (size_t i = 0; i < f->nitems; i++)
        json_array_append_new(items, render_item(&f->items[i]));
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:s}", "id", f->id, "seller", f->seller,
                          "filed_on", f->filed_on, "granted_on",
                          j_str_or_null(f->granted_on[0] ? f->granted_on : NULL), "lines",
                          (json_int_t)f->nlines, "basis", yuan(f->basis_fen), "refund",
                          yuan(f->refund_fen), "items", items, "actor", f->actor ? f->actor : "");
    if (f->skipped) {
        json_t *sk = json_array();
        for (size_t i = 0; i < f->nskipped; i++)
            json_array_append_new(sk, render_item(&f->skipped[i]));
        json_object_set_new(o, "not_filed", sk);
    }
    return o;
}

struct filing_ctx {
    const char *seller, *filed_on, *granted_on, *actor, *id;
    struct hc_refund_key *keys;
    size_t n;
    struct hc_refund_filing out;
    hc_arena *arena;
};

static int filing_job(hc_store *s, void *ctx, hc_err *err)
{
    struct filing_ctx *c = ctx;
    return hc_refund_file(s, c->arena, c->seller, c->filed_on, c->granted_on, c->keys, c->n,
                          c->actor, &c->out, err);
}

static int filing_render(struct req *r)
{
    struct filing_ctx *c = r->ctx;
    return api_reply(r, 201, render_filing(&c->out));
}

int h_refund_file(struct req *r)
{
    json_t *b, *arr = NULL;
    const char *seller = NULL;
    struct filing_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || only_keys(r, b, "", KEYS("seller", "filed_on", "granted_on", "items")) ||
        jv_str(r, b, "", "seller", false, &seller) ||
        jv_str(r, b, "", "filed_on", true, &c->filed_on) ||
        jv_str(r, b, "", "granted_on", false, &c->granted_on) ||
        which_seller(r, seller, &c->seller))
        return api_fail(r);
    if (json_object_get(b, "items") && jv_array(r, b, "", "items", REFUND_ROWS_MAX, &arr))
        return api_fail(r);
    c->n = arr ? json_array_size(arr) : 0;
    if (arr && c->n == 0)
        return fail_field(r, HC_EINVAL, "items", "leave items out to file every ready item");
    c->keys = hc_arena_alloc(r->arena, (c->n + 1) * sizeof(*c->keys));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, "items", i, &e, &p) ||
            only_keys(r, e, p, KEYS("entry_id", "entry_gnum")) ||
            jv_str(r, e, p, "entry_id", false, &c->keys[i].entry_id))
            return api_fail(r);
        if (c->keys[i].entry_id == NULL || c->keys[i].entry_id[0] == '\0')
            return fail_field(r, HC_EINVAL, jv_field(r, p, "entry_id"),
                              "a refund item needs its declaration number (CEB792 entryId)");
        if (jv_int(r, e, p, "entry_gnum", true, 1, 999, &c->keys[i].entry_gnum))
            return api_fail(r);
    }
    return api_write(r, filing_job, filing_render, c);
}

int h_refund_filing_list(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL;
    if (st == NULL || which_seller(r, api_query(r, "seller"), &seller))
        return api_fail(r);
    struct hc_refund_filing *v;
    size_t n;
    if (hc_refund_filing_list(st, r->arena, seller, &v, &n, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = render_filing(&v[i]);
        json_object_del(o, "items");
        json_array_append_new(items, o);
    }
    return api_reply(r, 200, j_page(items, NULL));
}

int h_refund_filing_get(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    struct hc_refund_filing f;
    if (hc_refund_filing_get(st, r->arena, r->who.role == ROLE_SELLER ? r->who.seller : NULL,
                             r->params[0], &f, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_filing(&f));
}

static int grant_job(hc_store *s, void *ctx, hc_err *err)
{
    struct filing_ctx *c = ctx;
    return hc_refund_grant(s, c->arena, c->seller, c->id, c->granted_on, &c->out, err);
}

static int grant_render(struct req *r)
{
    struct filing_ctx *c = r->ctx;
    return api_reply(r, 200, render_filing(&c->out));
}

int h_refund_grant(struct req *r)
{
    json_t *b;
    struct filing_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->id = r->params[0];
    c->seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    if (jv_body(r, &b) || only_keys(r, b, "", KEYS("granted_on")) ||
        jv_str(r, b, "", "granted_on", true, &c->granted_on))
        return api_fail(r);
    return api_write(r, grant_job, grant_render, c);
}

/* ---- reconciliation and the report
 * --------------------------------------------------------------- */
static json_t *render_recon_line(const struct hc_refund_recon_line *l)
{
    json_t *o = json_pack(
        "{s:s,s:I,s:s,s:s,s:I,s:I,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "entry_id", l->entry_id,
        "entry_gnum", (json_int_t)l->entry_gnum, "filing", l->filing_id, "sku", l->sku,
        "pre_refund_qty", (json_int_t)l->pre_qty, "sold_qty", (json_int_t)l->sold_qty, "pre_refund",
        yuan(l->pre_refund_fen), "outcome", hc_refund_outcome_name(l->r.outcome), "new_refund",
        yuan(l->r.new_refund_fen), "difference", yuan(l->r.diff_fen), "repay", yuan(l->r.repay_fen),
        "granted_on", j_str_or_null(l->granted_on[0] ? l->granted_on : NULL), "first_month",
        j_str_or_null(l->first_month), "deadline", j_str_or_null(l->deadline));
    char sale[40];
    hc_decimal_format(l->sale_e5, 5, sale, sizeof(sale));
    json_object_set_new(
        o, "sold_for",
        json_pack("{s:s,s:s}", "amount", sale, "currency", l->currency ? l->currency : ""));
    if (l->reconciled_in)
        json_object_set_new(o, "reconciled_in", json_string(l->reconciled_in));
    return o;
}

struct recon_ctx {
    const char *seller, *period, *recorded_on, *actor;
    struct hc_refund_recon out;
    hc_arena *arena;
};

static int recon_job(hc_store *s, void *ctx, hc_err *err)
{
    struct recon_ctx *c = ctx;
    return hc_refund_reconcile_record(s, c->arena, c->seller, c->period, c->recorded_on, c->actor,
                                      &c->out, err);
}

static int recon_render(struct req *r)
{
    struct recon_ctx *c = r->ctx;
    json_t *lines = json_array();
    for (size_t i = 0; i < c->out.nlines; i++)
        json_array_append_new(lines, render_recon_line(&c->out.lines[i]));
    return api_reply(r, 201,
                     json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", c->out.id, "seller",
                               c->out.seller, "period", c->out.period, "recorded_on",
                               c->out.recorded_on, "difference", yuan(c->out.diff_fen), "repay",
                               yuan(c->out.repay_fen), "lines", lines));
}

int h_refund_reconcile(struct req *r)
{
    json_t *b;
    const char *seller = NULL;
    struct recon_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || only_keys(r, b, "", KEYS("seller", "period", "recorded_on")) ||
        jv_str(r, b, "", "seller", false, &seller) ||
        jv_str(r, b, "", "period", true, &c->period) ||
        jv_str(r, b, "", "recorded_on", false, &c->recorded_on) ||
        which_seller(r, seller, &c->seller))
        return api_fail(r);
    return api_write(r, recon_job, recon_render, c);
}

static json_t *render_repay(const struct hc_refund_repay *p)
{
    return json_pack("{s:s,s:I,s:s,s:I,s:o,s:s,s:s}", "entry_id", p->entry_id, "entry_gnum",
                     (json_int_t)p->entry_gnum, "reason", p->reason, "qty", (json_int_t)p->qty,
                     "repay", yuan(p->repay_fen), "due", p->due ? p->due : "", "cause",
                     p->cause ? p->cause : "");
}

/* limit: at most this many lines in each section (the counts and totals
 * cover them all); absent: every line. */
static int limit_param(struct req *r, size_t *limit)
{
    const char *v = api_query(r, "limit");
    int64_t n = 0;
    *limit = SIZE_MAX;
    if (v == NULL)
        return HC_OK;
    if (hc_parse_i64(v, 1, 1000000, &n) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, "limit", "a number of lines 1 to 1000000");
    *limit = (size_t)n;
    return HC_OK;
}

int h_refund_report(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL, *day = NULL;
    size_t limit;
    if (st == NULL || which_seller(r, api_query(r, "seller"), &seller) || day_query(r, &day) ||
        limit_param(r, &limit))
        return api_fail(r);
    struct hc_refund_report rep;
    if (hc_refund_report_build(st, r->arena, seller, day, &rep, &r->err))
        return api_fail(r);
    json_t *file = json_array(), *rec = json_array(), *repay = json_array(), *lost = json_array();
    size_t ready = 0;
    for (size_t i = 0; i < rep.nto_file; i++) {
        ready += rep.to_file[i].blocked_field == NULL;
        if (i < limit)
            json_array_append_new(file, render_item(&rep.to_file[i]));
    }
    for (size_t i = 0; i < rep.nto_reconcile && i < limit; i++)
        json_array_append_new(rec, render_recon_line(&rep.to_reconcile[i]));
    for (size_t i = 0; i < rep.nto_repay && i < limit; i++)
        json_array_append_new(repay, render_repay(&rep.to_repay[i]));
    for (size_t i = 0; i < rep.nrecovered && i < limit; i++)
        json_array_append_new(lost, render_recon_line(&rep.recovered[i]));
    return api_reply(
        r, 200,
        json_pack("{s:s,s:s,s:s,s:s,s:{s:o,s:I,s:I,s:o,s:o},s:{s:o,s:I,s:o},s:{s:o,s:I,s:o},"
                  "s:{s:o,s:I,s:o}}",
                  "seller", seller, "date", day, "company_type", rep.company, "currency", "CNY",
                  "file", "items", file, "count", (json_int_t)rep.nto_file, "ready",
                  (json_int_t)ready, "basis", yuan(rep.file_basis_fen), "refund",
                  yuan(rep.file_refund_fen), "reconcile", "lines", rec, "count",
                  (json_int_t)rep.nto_reconcile, "next_month",
                  j_str_or_null(rep.next_reconcile_month), "repay", "lines", repay, "count",
                  (json_int_t)rep.nto_repay, "total", yuan(rep.repay_fen), "recovered", "lines",
                  lost, "count", (json_int_t)rep.nrecovered, "total", yuan(rep.recovered_fen)));
}

/* h_settle.c: the netting settlement statement (GET /v1/settlements as
 * JSON, CSV, XLSX or a signed JSON document) and external fees (POST and
 * GET /v1/external-fees); the domain is src/finance/settlement.c. Also the
 * canonical JSON and the signed envelope the CLI writes and checks.
 *
 * The signed envelope is {"document": TEXT, "signature": {"algorithm",
 * "value" (base64), "certificate" (PEM)}}: TEXT is the statement serialised
 * once (compact, keys sorted, ASCII only) and the signature is over its
 * bytes, so a verifier never re-serialises anything. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "finance/finance.h"
#include "h_finance.h"
#include "render/render.h"

#define DOC_MAX ((size_t)1 << 30)
#define INLINE_ORDERS 5000

/* ---- the canonical document ------------------------------------------------------------
 * Written straight into a buffer (a statement of 100,000 orders is some
 * 3 million values: building Jansson objects for them would take longer
 * than the statement itself). Canonical: no whitespace, the keys of every
 * object in byte order (each writer below emits them sorted), strings
 * escaped to ASCII (\" \\ \b \f \n \r \t, else \u00XX below 0x20 and \uXXXX,
 * surrogate pairs beyond the BMP, above 0x7F). */

struct w {
    hc_buf b;
    int rc;
};

static void raw(struct w *w, const char *s)
{
    if (w->rc == HC_OK)
        w->rc = hc_buf_puts(&w->b, s);
}

/* The next UTF-8 code point at *p (advanced); U+FFFD for a bad byte. */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0], n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c < 0xC0 || c >= 0xF8) {
        *p = s + 1;
        return 0xFFFD;
    }
    unsigned cp = c & (0x3F >> n);
    for (unsigned i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p = s + n + 1;
    return cp;
}

static void str(struct w *w, const char *s)
{
    char esc[16];
    raw(w, "\"");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p && w->rc == HC_OK) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            w->rc = hc_buf_add(&w->b, run, (size_t)(p - run));
        if (*p == '\0')
            break;
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            w->rc = hc_buf_add(&w->b, c == '"' ? "\\\"" : "\\\\", 2);
            p++;
            continue;
        } else if (c < 0x20) {
            const char *named = c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n"
                                : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (named)
                hc_strlcpy(esc, named, sizeof(esc));
            else
                snprintf(esc, sizeof(esc), "\\u%04x", c);
            p++;
        } else {
            unsigned cp = next_cp(&p);
            if (cp >= 0x10000)
                snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
                         0xDC00 + ((cp - 0x10000) & 0x3FF));
            else
                snprintf(esc, sizeof(esc), "\\u%04x", cp);
        }
        raw(w, esc);
    }
    raw(w, "\"");
}

/* "key": (with the comma before it unless first) */
static void key(struct w *w, const char *k, bool first)
{
    if (!first)
        raw(w, ",");
    str(w, k);
    raw(w, ":");
}

static void num(struct w *w, int64_t v)
{
    char b[32];
    snprintf(b, sizeof(b), "%lld", (long long)v);
    raw(w, b);
}

static void str_or_null(struct w *w, const char *s)
{
    if (s && *s)
        str(w, s);
    else
        raw(w, "null");
}

static void money(struct w *w, int64_t minor, const char *currency)
{
    char b[40];
    int scale = hc_currency_scale(currency);
    hc_decimal_format(minor, scale < 0 ? 2 : scale, b, sizeof(b));
    raw(w, "{\"amount\":");
    str(w, b);
    raw(w, ",\"currency\":");
    str(w, currency);
    raw(w, "}");
}

static void time_iso(struct w *w, int64_t ms)
{
    char b[40];
    hc_time_iso(ms, b, sizeof(b));
    str(w, b);
}

/* {type: money} with the types' names in byte order */
static void fee_map(struct w *w, const int64_t *fees, const char *currency)
{
    static const int sorted[HC_FEE_NTYPES] = {HC_FEE_ADVERTISING, HC_FEE_COMPENSATION,
                                              HC_FEE_FULFILMENT,  HC_FEE_HEADHAUL,
                                              HC_FEE_LASTMILE,    HC_FEE_STORAGE,
                                              HC_FEE_TAXES};
    raw(w, "{");
    for (int i = 0; i < HC_FEE_NTYPES; i++) {
        key(w, hc_fee_type_names[sorted[i]], i == 0);
        money(w, fees[sorted[i]], currency);
    }
    raw(w, "}");
}

static void fee_line(struct w *w, const struct hc_settle_fee *f)
{
    key(w, "amount", true), money(w, f->orig_minor, f->orig_currency);
    key(w, "basis", false);
    if (f->basis_of > 0) {
        raw(w, "{");
        key(w, "gross", true);
        money(w, f->basis, f->orig_currency);
        key(w, "of", false), money(w, f->basis_of, f->orig_currency);
        raw(w, "}");
    } else {
        raw(w, "null");
    }
    key(w, "day", false), str(w, f->day);
    key(w, "fx", false), raw(w, "{\"day\":"), str(w, f->fx_day), raw(w, ",\"rate\":");
    str(w, f->fx_rate), raw(w, "}");
    key(w, "netted", false), money(w, f->minor, f->currency);
    key(w, "ref", false), str(w, f->ref);
    key(w, "reference", false), str(w, f->reference);
    key(w, "source", false), str(w, f->source);
    key(w, "type", false), str(w, hc_fee_type_names[f->type]);
}

static void customs_line(struct w *w, const struct hc_settle_customs *c)
{
    key(w, "entry_id", true), str_or_null(w, c->entry_id);
    key(w, "entry_item", false);
    c->entry_gnum ? num(w, c->entry_gnum) : raw(w, "null");
    key(w, "invt_no", false), str_or_null(w, c->invt_no);
    key(w, "item", false);
    c->gnum ? num(w, c->gnum) : raw(w, "null");
    key(w, "list", false), str_or_null(w, c->list);
    key(w, "lot", false), str_or_null(w, c->lot);
    key(w, "qty", false), num(w, c->qty);
    key(w, "rule", false), str(w, c->rule);
    key(w, "sku", false), str(w, c->sku);
    key(w, "trade_mode", false), str_or_null(w, c->trade_mode);
}

static void order(struct w *w, const struct hc_settle_order *o)
{
    key(w, "channel_order_id", true), str(w, o->channel_order_id);
    key(w, "currency", false), str(w, o->currency);
    key(w, "customs", false), raw(w, "[");
    for (size_t i = 0; i < o->ncustoms; i++) {
        raw(w, i ? ",{" : "{");
        customs_line(w, &o->customs[i]);
        raw(w, "}");
    }
    raw(w, "]");
    key(w, "fee_lines", false), raw(w, "[");
    for (size_t i = 0; i < o->nfee; i++) {
        raw(w, i ? ",{" : "{");
        fee_line(w, &o->fee[i]);
        raw(w, "}");
    }
    raw(w, "]");
    key(w, "fees", false), fee_map(w, o->fees, o->currency);
    key(w, "fees_total", false), money(w, o->gross - o->net, o->currency);
    key(w, "gross", false), money(w, o->gross, o->currency);
    key(w, "id", false), str(w, o->id);
    key(w, "net", false), money(w, o->net, o->currency);
    key(w, "net_without_advertising", false), money(w, o->net_without_ads, o->currency);
    key(w, "sold_at", false), time_iso(w, o->sold_at);
    key(w, "sold_day", false), str(w, o->sold_day);
    key(w, "warehouse", false), str(w, o->warehouse);
}

static void total(struct w *w, const struct hc_settle_total *t)
{
    key(w, "currency", true), str(w, t->currency);
    key(w, "fees", false), fee_map(w, t->fees, t->currency);
    key(w, "fees_total", false), money(w, t->fees_total, t->currency);
    key(w, "gross", false), money(w, t->gross, t->currency);
    key(w, "net", false), money(w, t->net, t->currency);
    key(w, "net_without_advertising", false), money(w, t->net_without_ads, t->currency);
    key(w, "orders", false), num(w, t->orders);
}

static void document(struct w *w, const struct hc_settlement *st, int64_t generated_at)
{
    raw(w, "{\"fee_types\":[");
    for (int i = 0; i < HC_FEE_NTYPES; i++) {
        raw(w, i ? "," : "");
        str(w, hc_fee_type_names[i]);
    }
    raw(w, "]");
    key(w, "from", false), str(w, st->from);
    key(w, "generated_at", false), time_iso(w, generated_at);
    key(w, "kind", false), str(w, "netting-settlement");
    key(w, "orders", false), raw(w, "[");
    for (size_t i = 0; i < st->norders; i++) {
        raw(w, i ? ",{" : "{");
        order(w, &st->orders[i]);
        raw(w, "}");
    }
    raw(w, "]");
    key(w, "period", false), raw(w, "{\"from\":"), time_iso(w, st->from_ms);
    raw(w, ",\"timezone\":\"Asia/Shanghai\",\"to\":"), time_iso(w, st->to_ms), raw(w, "}");
    key(w, "pools", false), raw(w, "[");
    for (size_t i = 0; i < st->npools; i++) {
        const struct hc_settle_pool *p = &st->pools[i];
        raw(w, i ? ",{\"allocated\":" : "{\"allocated\":");
        raw(w, p->allocated ? "true" : "false");
        key(w, "amount", false), money(w, p->minor, p->currency);
        key(w, "fees", false), num(w, p->items);
        key(w, "type", false), str(w, hc_fee_type_names[p->type]);
        key(w, "warehouse", false), str_or_null(w, p->warehouse);
        raw(w, "}");
    }
    raw(w, "]");
    key(w, "rules", false);
    raw(w, "{\"advertising\":");
    str(w, "its own type; whether it may be netted is the bank's decision");
    raw(w, ",\"allocation\":");
    str(w, "fees without an order: pro rata by gross, largest remainder, pool currency");
    raw(w, ",\"customs\":");
    str(w, "the order's own list (9610/9710), else FIFO over the goods journal (9810)");
    raw(w, ",\"regulation\":");
    str(w, "SAFE Hui Fa [2020] No. 11");
    raw(w, "}");
    key(w, "seller", false), str(w, st->seller);
    key(w, "to", false), str(w, st->to);
    key(w, "totals", false), raw(w, "[");
    for (size_t i = 0; i < st->ntotals; i++) {
        raw(w, i ? ",{" : "{");
        total(w, &st->totals[i]);
        raw(w, "}");
    }
    raw(w, "]}");
}

char *hc_api_settlement_json(const struct hc_settlement *st, int64_t generated_at)
{
    struct w w = {.rc = HC_OK};
    hc_buf_init(&w.b, DOC_MAX);
    document(&w, st, generated_at);
    if (w.rc != HC_OK || w.b.p == NULL) {
        hc_buf_free(&w.b);
        return NULL;
    }
    return w.b.p; /* NUL-terminated by hc_buf; malloc'd */
}

char *hc_api_settlement_signed(const struct hc_settlement *st, int64_t generated_at, hc_err *err)
{
    char *doc = hc_api_settlement_json(st, generated_at);
    if (doc == NULL) {
        hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        return NULL;
    }
    struct hc_settle_sig sig;
    if (hc_settle_sign(doc, strlen(doc), &sig, err) != HC_OK) {
        free(doc);
        return NULL;
    }
    /* {"document": the text, "signature": {...}} written as the document is */
    struct w w = {.rc = HC_OK};
    hc_buf_init(&w.b, DOC_MAX);
    raw(&w, "{\"document\":");
    str(&w, doc);
    raw(&w, ",\n\"signature\":{\"algorithm\":");
    str(&w, sig.alg);
    raw(&w, ",\"certificate\":");
    str(&w, sig.cert_pem);
    raw(&w, ",\"value\":");
    str(&w, sig.sig_b64);
    raw(&w, "}}\n");
    hc_settle_sig_free(&sig);
    free(doc);
    if (w.rc != HC_OK || w.b.p == NULL) {
        hc_buf_free(&w.b);
        hc_err_set(err, HC_ETOOBIG, "", "the signed document is too large");
        return NULL;
    }
    return w.b.p;
}

int hc_api_settlement_verify(const char *text, size_t len, char *summary, size_t size,
                             hc_err *err)
{
    json_error_t je;
    json_t *env = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    const char *doc = NULL, *alg = NULL, *val = NULL, *cert = NULL;
    int rc = HC_OK;
    if (env == NULL || json_unpack(env, "{s:s,s:{s:s,s:s,s:s}}", "document", &doc, "signature",
                                   "algorithm", &alg, "value", &val, "certificate", &cert) != 0) {
        rc = hc_err_set(err, HC_EINVAL, "document",
                        "not a signed settlement: {\"document\", \"signature\": {\"algorithm\", "
                        "\"value\", \"certificate\"}} expected");
        goto done;
    }
    size_t dn = json_string_length(json_object_get(env, "document"));
    if ((rc = hc_settle_verify(doc, dn, alg, val, cert, err)) != HC_OK)
        goto done;
    json_t *d = json_loadb(doc, dn, JSON_REJECT_DUPLICATES, &je);
    const char *seller = "?", *from = "?", *to = "?";
    json_unpack(d, "{s?s,s?s,s?s}", "seller", &seller, "from", &from, "to", &to);
    snprintf(summary, size, "signature OK (%s): settlement of %s, %s .. %s, %zu orders", alg,
             seller, from, to, json_array_size(json_object_get(d, "orders")));
    json_decref(d);
done:
    json_decref(env);
    return rc;
}

/* ---- GET /v1/settlements -------------------------------------------------------------- */

enum sfmt { S_JSON, S_CSV, S_XLSX, S_SIGNED };

struct settle_job {
    const char *seller, *from, *to, *lang;
    enum sfmt f;
    struct hc_settlement st;
};

/* Builds the statement and writes the answer (on an HTTP thread for a
 * small period, on a planner thread for a long one). */
static void settle_answer(struct req *r)
{
    struct settle_job *j = r->ctx;
    hc_store *s = api_reader(r);
    if (s == NULL || hc_settlement_build(s, r->arena, j->seller, j->from, j->to, hc_now_ms(),
                                         &j->st, &r->err) != HC_OK) {
        api_fail(r);
        return;
    }
    if (j->f == S_CSV || j->f == S_XLSX) {
        struct hc_doc d;
        hc_settlement_doc(r->arena, &j->st, j->lang, &d);
        hc_buf b;
        hc_buf_init(&b, DOC_MAX);
        int rc = j->f == S_XLSX ? hc_render_xlsx(&d, &b, &r->err) : hc_render_csv(&d, &b, &r->err);
        if (rc == HC_OK && b.p == NULL)
            rc = hc_err_set(&r->err, HC_EINTERNAL, "", "empty document");
        if (rc != HC_OK) {
            hc_buf_free(&b);
            api_fail(r);
            return;
        }
        api_reply_bytes(r, &b,
                        j->f == S_XLSX
                            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8");
        return;
    }
    char *text = j->f == S_SIGNED ? hc_api_settlement_signed(&j->st, hc_now_ms(), &r->err)
                                  : hc_api_settlement_json(&j->st, hc_now_ms());
    if (text == NULL) {
        if (r->err.code == HC_OK)
            hc_err_set(&r->err, HC_ETOOBIG, "", "the document is too large");
        api_fail(r);
        return;
    }
    r->status = 200;
    r->raw = text;
    r->raw_len = strlen(text);
    r->raw_type = "application/json; charset=utf-8";
}

static int parse_format(struct req *r, enum sfmt *f, const char **lang)
{
    const char *fs = api_query(r, "format"), *l = api_query(r, "lang");
    *f = S_JSON;
    if (fs == NULL || strcmp(fs, "json") == 0)
        *f = S_JSON;
    else if (strcmp(fs, "csv") == 0)
        *f = S_CSV;
    else if (strcmp(fs, "xlsx") == 0)
        *f = S_XLSX;
    else if (strcmp(fs, "signed") == 0)
        *f = S_SIGNED;
    else
        return hc_err_set(&r->err, HC_EINVAL, "format", "must be json, csv, xlsx or signed");
    *lang = l ? l : "en";
    if (strcmp(*lang, "zh") != 0 && strcmp(*lang, "en") != 0)
        return hc_err_set(&r->err, HC_EINVAL, "lang", "must be zh or en");
    return HC_OK;
}

/* The seller a request is about: a seller key's own (seller= may only name
 * it), else seller= (required). false: answered. */
static bool seller_of(struct req *r, const char **seller)
{
    *seller = api_query(r, "seller");
    if (r->who.role == ROLE_SELLER && *seller == NULL)
        *seller = r->who.seller;
    if (*seller == NULL) {
        hc_err_set(&r->err, HC_EINVAL, "seller", "is required");
        api_fail(r);
        return false;
    }
    if (!api_may_seller(r, *seller)) {
        hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no seller %s", j_safe(r, *seller, 40));
        api_fail(r);
        return false;
    }
    return true;
}

int h_settlement_get(struct req *r)
{
    struct settle_job *j = hc_arena_alloc(r->arena, sizeof(*j));
    j->from = api_query(r, "from");
    j->to = api_query(r, "to");
    if (parse_format(r, &j->f, &j->lang) != HC_OK)
        return api_fail(r);
    if (!seller_of(r, &j->seller))
        return HC_OK;
    if (j->from == NULL)
        return hc_err_set(&r->err, HC_EINVAL, "from", "is required (YYYY-MM-DD)"), api_fail(r);
    if (j->to == NULL)
        return hc_err_set(&r->err, HC_EINVAL, "to", "is required (YYYY-MM-DD)"), api_fail(r);
    /* the period and seller checked, and the work sized, before any of it */
    hc_store *s = api_reader(r);
    int64_t orders = 0;
    if (s == NULL ||
        hc_settlement_count(s, j->seller, j->from, j->to, hc_now_ms(), &orders, &r->err) != HC_OK)
        return api_fail(r);
    r->ctx = j;
    if (orders < INLINE_ORDERS) {
        settle_answer(r);
        return HC_OK;
    }
    /* a long statement is built and written on a planner thread, not an HTTP
     * one: about 10 us of CPU an order for the statement and its JSON, 110 us
     * for its XLSX (bench/RESULTS.md, "Netting settlement") */
    return api_offload(r, settle_answer, orders / (j->f == S_XLSX ? 9 : 50));
}

/* ---- external fees -------------------------------------------------------------------- */

struct xfee_ctx {
    hc_arena *arena;
    const char *seller, *actor;
    struct hc_external_fee *fees;
    size_t n;
};

static int xfee_job(hc_store *s, void *ctx, hc_err *err)
{
    struct xfee_ctx *c = ctx;
    return hc_external_fees_put(s, c->arena, c->seller, c->fees, c->n, c->actor, err);
}

static json_t *render_xfee(const struct hc_external_fee *f)
{
    return json_pack("{s:s,s:s,s:{s:s,s:o},s:s,s:o,s:s,s:s,s:s,s:o}", "id", f->id, "seller",
                     f->seller, "cause", "kind", f->order ? "order" : "period", "order",
                     j_str_or_null(f->order), "type",
                     f->type >= 0 ? hc_fee_type_names[f->type] : "unknown", "amount",
                     j_money(f->minor, f->currency), "date", f->day, "reference", f->reference,
                     "actor", f->actor ? f->actor : "", "created_at", j_time(f->created_at));
}

static int xfee_render(struct req *r)
{
    struct xfee_ctx *c = r->ctx;
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(items, render_xfee(&c->fees[i]));
    return api_reply(r, 201, json_pack("{s:s,s:I,s:o}", "seller", c->seller, "recorded",
                                       (json_int_t)c->n, "items", items));
}

/* HC_EINVAL naming a key of obj that is not in allowed (NULL-ended). */
static int only_fields(struct req *r, json_t *obj, const char *prefix,
                       const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], k) != 0)
            i++;
        if (allowed[i] == NULL)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, j_safe(r, k, 40)),
                              "is not a field here");
    }
    return HC_OK;
}

static int xfee_json(struct req *r, struct xfee_ctx *c)
{
    json_t *b, *arr;
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &c->seller) ||
        jv_array(r, b, "", "fees", HC_EXTFEE_IMPORT_MAX, &arr))
        return r->err.code;
    static const char *const body_fields[] = {"seller", "fees", NULL};
    static const char *const fee_fields[] = {"order", "type", "amount", "date", "reference", NULL};
    if (only_fields(r, b, "", body_fields) != HC_OK)
        return r->err.code;
    c->n = json_array_size(arr);
    if (c->n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "fees", "must hold at least one fee");
    c->fees = hc_arena_alloc(r->arena, c->n * sizeof(*c->fees));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p, *type;
        struct hc_external_fee *x = &c->fees[i];
        if (jv_item(r, arr, "fees", i, &e, &p) || jv_str(r, e, p, "order", false, &x->order) ||
            jv_str(r, e, p, "type", true, &type) ||
            jv_money(r, e, p, "amount", true, &x->minor, &x->currency) ||
            jv_str(r, e, p, "date", true, &x->day) ||
            jv_str(r, e, p, "reference", true, &x->reference))
            return r->err.code;
        if (only_fields(r, e, p, fee_fields) != HC_OK)
            return r->err.code;
        x->type = hc_fee_type_parse(type);
        x->seller = c->seller;
        hc_err e2 = {0};
        if (hc_external_fee_validate(x, hc_now_ms(), &e2) != HC_OK) {
            const char *f = strcmp(e2.field, "amount") == 0     ? "amount.amount"
                            : strcmp(e2.field, "currency") == 0 ? "amount.currency"
                                                                : e2.field;
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, f), "%s", e2.msg);
        }
    }
    return HC_OK;
}

int h_external_fee_create(struct req *r)
{
    struct xfee_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (api_body_is_csv(r)) {
        c->seller = api_query(r, "seller");
        if (c->seller == NULL && r->who.role == ROLE_SELLER)
            c->seller = r->who.seller;
        if (c->seller == NULL)
            return hc_err_set(&r->err, HC_EINVAL, "seller", "is required with a CSV body"),
                   api_fail(r);
        if (api_csv_text(r, "a UTF-8 CSV body order,type,amount,currency,date,reference"))
            return api_fail(r);
        if (hc_external_fee_csv_parse(r->arena, r->body.p, r->body.n, c->seller, hc_now_ms(),
                                      &c->fees, &c->n, &r->err) != HC_OK)
            return api_fail(r);
    } else {
        if (api_query(r, "seller"))
            return hc_err_set(&r->err, HC_EINVAL, "seller",
                              "the query's seller is for a CSV body; a JSON body names it"),
                   api_fail(r);
        if (xfee_json(r, c) != HC_OK)
            return api_fail(r);
    }
    if (!api_may_seller(r, c->seller))
        return hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no seller %s",
                          j_safe(r, c->seller, 40)),
               api_fail(r);
    return api_write(r, xfee_job, xfee_render, c);
}

int h_external_fee_list(struct req *r)
{
    const char *seller, *from = api_query(r, "from"), *to = api_query(r, "to");
    if (!seller_of(r, &seller))
        return HC_OK;
    if (from && !hc_fx_day_valid(from))
        return hc_err_set(&r->err, HC_EINVAL, "from", "must be a date YYYY-MM-DD"), api_fail(r);
    if (to && !hc_fx_day_valid(to))
        return hc_err_set(&r->err, HC_EINVAL, "to", "must be a date YYYY-MM-DD"), api_fail(r);
    struct hc_list_page pg;
    if (api_page(r, &pg) != HC_OK)
        return api_fail(r);
    hc_store *s = api_reader(r);
    struct hc_external_fee *v;
    size_t n;
    const char *next;
    if (s == NULL || hc_external_fee_list(s, r->arena, seller, from, to, pg.cursor, pg.limit, &v,
                                          &n, &next, &r->err) != HC_OK)
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_xfee(&v[i]));
    return api_reply(r, 200, j_page(items, next));
}

/* h_finance.c: GET /v1/sellers/{code}/statements/{YYYY-MM} as JSON, .pdf,
 * .xlsx or .csv (or ?format=), in zh or en (?lang=); POST /v1/invoices,
 * GET /v1/invoices[/{id}[.pdf]]; GET /v1/warehouses/{wh}/receivables.
 * Statements are the seller's (admin or the seller's own key); invoices
 * are issued by the warehouse's operator (or an admin) and read by the
 * issuer's operator and the invoiced seller. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "finance/finance.h"
#include "h_finance.h"
#include "render/render.h"

#define DOC_MAX ((size_t)1 << 30) /* 1 GiB: a million-line statement is ~100 MB */

enum fmt { F_JSON, F_PDF, F_XLSX, F_CSV };

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, j_safe(r, id, 80));
    return api_fail(r);
}

static int lang_of(struct req *r, const char **lang)
{
    const char *l = api_query(r, "lang");
    *lang = "en";
    if (l == NULL)
        return HC_OK;
    if (strcmp(l, "zh") != 0 && strcmp(l, "en") != 0)
        return hc_err_set(&r->err, HC_EINVAL, "lang", "must be zh or en");
    *lang = l;
    return HC_OK;
}

/* The rendered document as the answer (r->raw owns the bytes). */
static int reply_doc(struct req *r, const struct hc_doc *d, enum fmt f, const char *name)
{
    hc_buf b;
    hc_buf_init(&b, DOC_MAX);
    int rc = f == F_PDF    ? hc_render_pdf(d, &b, &r->err)
             : f == F_XLSX ? hc_render_xlsx(d, &b, &r->err)
                           : hc_render_csv(d, &b, &r->err);
    if (rc == HC_OK && b.p == NULL)
        rc = hc_err_set(&r->err, HC_EINTERNAL, "", "empty document");
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return api_fail(r);
    }
    (void)name;
    return api_reply_bytes(
        r, &b,
        f == F_PDF    ? "application/pdf"
        : f == F_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                      : "text/csv; charset=utf-8");
}

/* Statements of more lines than this are rendered off the HTTP threads. */
#define DOC_INLINE_LINES 5000

struct doc_job {
    struct hc_doc d;
    enum fmt f;
};

static void doc_work(struct req *r)
{
    struct doc_job *j = r->ctx;
    reply_doc(r, &j->d, j->f, "statement");
}

static json_t *render_statement(const struct hc_statement *st)
{
    json_t *totals = json_array(), *kinds = json_array(), *lines = json_array();
    for (size_t i = 0; i < st->ntotals; i++) {
        const struct hc_statement_total *t = &st->totals[i];
        json_array_append_new(totals,
                              json_pack("{s:s,s:o,s:o,s:o,s:o,s:I}", "currency", t->currency,
                                        "opening", j_money(t->opening, t->currency), "credits",
                                        j_money(t->credits, t->currency), "debits",
                                        j_money(t->debits, t->currency), "closing",
                                        j_money(t->closing, t->currency), "lines",
                                        (json_int_t)t->lines));
    }
    for (size_t i = 0; i < st->nkinds; i++) {
        const struct hc_statement_kind *k = &st->kinds[i];
        json_array_append_new(kinds, json_pack("{s:s,s:s,s:I,s:o}", "currency", k->currency,
                                               "type", k->cause_kind, "lines",
                                               (json_int_t)k->lines, "amount",
                                               j_money(k->amount, k->currency)));
    }
    for (size_t i = 0; i < st->nlines; i++) {
        const struct hc_statement_line *l = &st->lines[i];
        json_array_append_new(
            lines,
            json_pack("{s:I,s:o,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:o,s:o,s:o}", "seq",
                      (json_int_t)l->seq, "at", j_time(l->at), "entry", l->entry, "type",
                      l->cause_kind, "cause", "kind", l->cause_kind, "id", l->cause_id,
                      "warehouse", l->warehouse, "memo", l->memo, "amount",
                      j_money(l->amount, l->currency), "balance",
                      j_money(l->balance, l->currency), "fx",
                      *l->fx_rate ? json_pack("{s:s,s:s}", "rate", l->fx_rate, "day", l->fx_day)
                                  : json_null()));
    }
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "seller", st->seller, "month",
                     st->month, "timezone", "Asia/Shanghai", "from", j_time(st->from_ms), "to",
                     j_time(st->to_ms), "totals", totals, "by_type", kinds, "lines", lines);
}

/* GET .../statements/{month}?limit=&cursor=: the totals of the month and a
 * page of its lines, next_cursor "<at>.<seq>" of the last line while more
 * follow. */
static int statement_page(struct req *r, const char *seller, const char *month)
{
    struct hc_list_page pg;
    struct hc_statement_cursor after, next = {0};
    bool more = false;
    if (api_page(r, &pg) != HC_OK)
        return api_fail(r);
    if (pg.cursor && hc_statement_cursor_parse(pg.cursor, &after) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        return api_fail(r);
    }
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    struct hc_statement *s = hc_arena_alloc(r->arena, sizeof(*s));
    int rc = hc_statement_page(st, r->arena, seller, month, hc_now_ms(), pg.cursor ? &after : NULL,
                               pg.limit, s, &next, &more, &r->err);
    if (rc == HC_ENOTFOUND && strcmp(r->err.field, "seller") == 0) {
        hc_err_clear(&r->err);
        return not_found(r, "code", "seller", seller);
    }
    if (rc != HC_OK)
        return api_fail(r);
    json_t *o = render_statement(s);
    json_object_set_new(o, "next_cursor",
                        more ? json_string(hc_arena_printf(r->arena, "%lld.%lld",
                                                           (long long)next.at,
                                                           (long long)next.seq))
                             : json_null());
    return api_reply(r, 200, o);
}

static int statement(struct req *r, enum fmt f)
{
    const char *seller = r->params[0], *month = r->params[1], *lang;
    if (lang_of(r, &lang) != HC_OK)
        return api_fail(r);
    const char *fs = api_query(r, "format");
    if (fs && f == F_JSON) {
        if (strcmp(fs, "json") == 0)
            f = F_JSON;
        else if (strcmp(fs, "pdf") == 0)
            f = F_PDF;
        else if (strcmp(fs, "xlsx") == 0)
            f = F_XLSX;
        else if (strcmp(fs, "csv") == 0)
            f = F_CSV;
        else {
            hc_err_set(&r->err, HC_EINVAL, "format", "must be json, pdf, xlsx or csv");
            return api_fail(r);
        }
    }
    bool paged = api_query(r, "limit") || api_query(r, "cursor");
    if (paged && f != F_JSON) {
        hc_err_set(&r->err, HC_EINVAL, api_query(r, "limit") ? "limit" : "cursor",
                   "pages are for the JSON document; a file holds the whole month");
        return api_fail(r);
    }
    if (!api_may_seller(r, seller))
        return not_found(r, "code", "seller", seller);
    if (paged)
        return statement_page(r, seller, month);
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    /* in the arena: the document's rows point into it, also on a planner thread */
    struct hc_statement *s = hc_arena_alloc(r->arena, sizeof(*s));
    int rc = hc_statement_build(st, r->arena, seller, month, hc_now_ms(), s, &r->err);
    if (rc == HC_ENOTFOUND && strcmp(r->err.field, "seller") == 0) {
        hc_err_clear(&r->err);
        return not_found(r, "code", "seller", seller);
    }
    if (rc != HC_OK)
        return api_fail(r);
    if (f == F_JSON) {
        json_t *o = render_statement(s);
        json_object_set_new(o, "next_cursor", json_null()); /* every line */
        return api_reply(r, 200, o);
    }
    struct doc_job *j = hc_arena_alloc(r->arena, sizeof(*j));
    hc_statement_doc(r->arena, s, lang, &j->d);
    j->f = f;
    if (s->nlines < DOC_INLINE_LINES)
        return reply_doc(r, &j->d, f, "statement");
    /* a long statement is drawn on a planner thread, not an HTTP one (about
     * 25 us a line as PDF, 12 as XLSX: bench/RESULTS.md) */
    r->ctx = j;
    return api_offload(r, doc_work, (int64_t)s->nlines / (f == F_PDF ? 40 : f == F_XLSX ? 80 : 500));
}

int h_statement_get(struct req *r)
{
    return statement(r, F_JSON);
}
int h_statement_pdf(struct req *r)
{
    return statement(r, F_PDF);
}
int h_statement_xlsx(struct req *r)
{
    return statement(r, F_XLSX);
}
int h_statement_csv(struct req *r)
{
    return statement(r, F_CSV);
}

static json_t *render_invoice(const struct hc_invoice *inv)
{
    json_t *lines = json_array(), *totals = json_array();
    for (size_t i = 0; i < inv->nlines; i++) {
        const struct hc_invoice_line *l = &inv->lines[i];
        json_array_append_new(lines, json_pack("{s:s,s:I,s:o}", "type", l->cause_kind, "lines",
                                               (json_int_t)l->lines, "amount",
                                               j_money(l->amount, l->currency)));
    }
    for (size_t i = 0; i < inv->ntotals; i++)
        json_array_append_new(totals, j_money(inv->totals[i].amount, inv->totals[i].currency));
    return json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:o,s:s,s:o,s:o}", "id", inv->id, "number",
                     inv->number, "seq", (json_int_t)inv->seq, "warehouse", inv->issuer,
                     "seller", inv->seller, "month", inv->month, "issued_at",
                     j_time(inv->issued_at), "issued_by", inv->issued_by, "lines", lines,
                     "totals", totals);
}

struct inv_ctx {
    hc_arena *arena;
    const char *seller, *warehouse, *month, *actor;
    struct hc_invoice inv;
};

static int invoice_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inv_ctx *c = ctx;
    return hc_invoice_issue(s, c->arena, c->seller, c->warehouse, c->month, hc_now_ms(),
                            c->actor, &c->inv, err);
}

static int invoice_render(struct req *r)
{
    struct inv_ctx *c = r->ctx;
    return api_reply(r, 201, render_invoice(&c->inv));
}

int h_invoice_create(struct req *r)
{
    json_t *b;
    struct inv_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &c->seller) ||
        jv_str(r, b, "", "warehouse", true, &c->warehouse) ||
        jv_str(r, b, "", "month", true, &c->month))
        return api_fail(r);
    int64_t from, to;
    if (hc_month_closed(c->month, hc_now_ms(), &from, &to, &r->err) != HC_OK)
        return api_fail(r);
    if (!api_may_warehouse(r, c->warehouse))
        return not_found(r, "warehouse", "warehouse", c->warehouse);
    return api_write(r, invoice_job, invoice_render, c);
}

/* May the caller read this invoice? Others' answer 404, as if absent. */
static bool may_invoice(const struct req *r, const struct hc_invoice *inv)
{
    return api_may_seller(r, inv->seller) && api_may_warehouse(r, inv->issuer) &&
           (r->who.role != ROLE_OPERATOR || strcmp(r->who.warehouse, inv->issuer) == 0);
}

static int invoice_read(struct req *r, enum fmt f)
{
    const char *lang;
    if (lang_of(r, &lang) != HC_OK)
        return api_fail(r);
    hc_store *st = api_reader(r);
    struct hc_invoice inv;
    if (st == NULL)
        return api_fail(r);
    int rc = hc_invoice_get(st, r->arena, r->params[0], &inv, &r->err);
    if (rc == HC_OK && !may_invoice(r, &inv)) {
        hc_err_clear(&r->err);
        return not_found(r, "id", "invoice", r->params[0]);
    }
    if (rc != HC_OK)
        return api_fail(r);
    if (f == F_JSON)
        return api_reply(r, 200, render_invoice(&inv));
    struct hc_doc d;
    hc_invoice_doc(r->arena, &inv, lang, &d);
    return reply_doc(r, &d, f, "invoice");
}

int h_invoice_get(struct req *r)
{
    return invoice_read(r, F_JSON);
}
int h_invoice_pdf(struct req *r)
{
    return invoice_read(r, F_PDF);
}

int h_invoice_list(struct req *r)
{
    const char *seller = api_query(r, "seller"), *warehouse = api_query(r, "warehouse");
    struct hc_list_page pg;
    if (api_page(r, &pg) != HC_OK)
        return api_fail(r);
    if (!api_scope(r, &seller, &warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_invoice_cursor after, next;
    if (pg.cursor && hc_invoice_cursor_parse(pg.cursor, &after) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        return api_fail(r);
    }
    hc_store *st = api_reader(r);
    struct hc_invoice *inv;
    size_t n;
    bool more = false;
    if (st == NULL || hc_invoice_page(st, r->arena, seller, warehouse, pg.cursor ? &after : NULL,
                                      pg.limit, &inv, &n, &next, &more, &r->err) != HC_OK)
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_invoice(&inv[i]));
    return api_reply(r, 200, j_page(items, more ? hc_arena_printf(r->arena, "%lld.%lld.%s",
                                                                  (long long)next.issued_at,
                                                                  (long long)next.seq,
                                                                  next.issuer)
                                                : NULL));
}

int h_receivables(struct req *r)
{
    const char *wh = r->params[0], *month = api_query(r, "month");
    if (!api_may_warehouse(r, wh))
        return not_found(r, "wh", "warehouse", wh);
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!hc_warehouse_exists(st, wh, &r->err)) {
        if (r->err.code != HC_ENOTFOUND && r->err.code != HC_OK)
            return api_fail(r);
        hc_err_clear(&r->err);
        return not_found(r, "wh", "warehouse", wh);
    }
    struct hc_receivable *rows;
    size_t n;
    int64_t from, to;
    if (month && hc_month_range(month, &from, &to, &r->err) != HC_OK)
        return api_fail(r);
    if (hc_receivables(st, r->arena, wh, month, &rows, &n, &r->err) != HC_OK)
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items,
                              json_pack("{s:s,s:o,s:o,s:o}", "seller", rows[i].seller, "charged",
                                        j_money(rows[i].charged, rows[i].currency), "invoiced",
                                        j_money(rows[i].invoiced, rows[i].currency),
                                        "uninvoiced",
                                        j_money(rows[i].uninvoiced, rows[i].currency)));
    return api_reply(r, 200,
                     json_pack("{s:s,s:o,s:o}", "warehouse", wh, "month", j_str_or_null(month),
                               "items", items));
}

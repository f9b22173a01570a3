/* h_stock.c: inbounds, inventory, the journal, the overview. */
#include "internal.h"

#include "compliance/compliance.h"
#include "h_compliance.h"

#include "finance/finance.h"

#include <stdio.h>
#include <string.h>

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, id);
    return api_fail(r);
}

/* Parses lines[{sku, qty}] (or another list name) into qty lines. */
static int parse_qty_lines(struct req *r, json_t *b, const char *key, size_t max, bool locations,
                           bool conditions, struct hc_qty_line **out, size_t *n)
{
    json_t *arr;
    if (jv_array(r, b, "", key, max, &arr))
        return r->err.code;
    *n = json_array_size(arr);
    *out = hc_arena_alloc(r->arena, sizeof(**out) * (*n ? *n : 1));
    for (size_t i = 0; i < *n; i++) {
        json_t *e;
        const char *p;
        struct hc_qty_line *l = &(*out)[i];
        if (jv_item(r, arr, key, i, &e, &p) || jv_str(r, e, p, "sku", true, &l->sku) ||
            jv_int(r, e, p, "qty", true, 1, 10000000, &l->qty))
            return r->err.code;
        if (hc_check_code(l->sku, jv_field(r, p, "sku"), HC_SKU_MAX, &r->err))
            return r->err.code;
        if (locations && jv_str(r, e, p, "location", true, &l->location))
            return r->err.code;
        if (conditions && jv_str(r, e, p, "condition", true, &l->condition))
            return r->err.code;
    }
    return HC_OK;
}

/* ---- inbounds ---------------------------------------------------------------------- */

json_t *render_inbound(const struct hc_inbound *in)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < in->nlines; i++) {
        const struct hc_inbound_line *l = &in->lines[i];
        json_array_append_new(lines, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "sku", l->sku, "qty",
                                               (json_int_t)l->expected, "expected",
                                               (json_int_t)l->expected, "received",
                                               (json_int_t)l->received, "put_away",
                                               (json_int_t)l->put_away, "difference",
                                               (json_int_t)(l->received - l->expected)));
    }
    json_t *closed = in->closed_at ? json_pack("{s:o,s:s,s:o}", "at", j_time(in->closed_at), "by",
                                               in->closed_by ? in->closed_by : "", "reason",
                                               j_str_or_null(in->close_reason))
                                   : json_null();
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id", in->id, "seller",
                          in->seller, "warehouse", in->warehouse, "reference", in->reference,
                          "status", in->status, "lines", lines, "created_at",
                          j_time(in->created_at), "updated_at", j_time(in->updated_at), "closed",
                          closed);
    if (j && in->hold_reason) /* on_hold: why (the compliance gate) */
        json_object_set_new(j, "hold_reason", json_string(in->hold_reason));
    return j;
}

struct inbound_ctx {
    struct hc_inbound in;
    struct hc_qty_line *lines;
    size_t n;
    const char *id, *actor;
    hc_arena *arena;
    struct hc_qty_line *moves;
    size_t nmoves;
    /* tenancy, checked in the job against the stored inbound */
    const char *tenant_seller, *tenant_warehouse;
    const char *reason; /* close */
};

static int inbound_create_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inbound_ctx *c = ctx;
    /* the compliance gate: missing product data holds it (src/compliance) */
    return hc_gate_inbound_create(s, c->arena, &c->in, c->actor, err);
}

/* An inbound answer, with the missing items when held for compliance. */
static json_t *render_inbound_full(struct req *r, const struct hc_inbound *in)
{
    json_t *j = render_inbound(in);
    if (in->hold_reason && strcmp(in->hold_reason, HC_HOLD_COMPLIANCE) == 0)
        api_add_hold_items(r, j, "inbound", in->id);
    return j;
}

static int inbound_render_201(struct req *r)
{
    struct inbound_ctx *c = r->ctx;
    return api_reply(r, 201, render_inbound_full(r, &c->in));
}

static int inbound_render_200(struct req *r)
{
    struct inbound_ctx *c = r->ctx;
    return api_reply(r, 200, render_inbound(&c->in));
}

int h_inbound_create(struct req *r)
{
    json_t *b, *arr;
    struct inbound_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &c->in.seller) ||
        jv_str(r, b, "", "warehouse", true, &c->in.warehouse) ||
        jv_str(r, b, "", "reference", true, &c->in.reference) ||
        jv_array(r, b, "", "lines", HC_INBOUND_LINES_MAX, &arr))
        return api_fail(r);
    if (!api_may_seller(r, c->in.seller))
        return not_found(r, "seller", "seller", c->in.seller);
    if (!api_may_warehouse(r, c->in.warehouse))
        return not_found(r, "warehouse", "warehouse", c->in.warehouse);
    c->in.nlines = json_array_size(arr);
    c->in.lines = hc_arena_alloc(r->arena, sizeof(*c->in.lines) * (c->in.nlines ? c->in.nlines : 1));
    for (size_t i = 0; i < c->in.nlines; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, "lines", i, &e, &p) ||
            jv_str(r, e, p, "sku", true, &c->in.lines[i].sku) ||
            jv_int(r, e, p, "qty", true, 1, 10000000, &c->in.lines[i].expected))
            return api_fail(r);
    }
    return api_write(r, inbound_create_job, inbound_render_201, c);
}

/* Loads an inbound the caller may see, or answers 404. */
static bool visible_inbound(struct req *r, const struct hc_inbound *in)
{
    return api_may_seller(r, in->seller) && api_may_warehouse(r, in->warehouse);
}

int h_inbound_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_inbound in;
    if (st == NULL || hc_inbound_get(st, r->arena, r->params[0], &in, &r->err))
        return api_fail(r);
    if (!visible_inbound(r, &in))
        return not_found(r, "id", "inbound", r->params[0]);
    return api_reply(r, 200, render_inbound_full(r, &in));
}

int h_inbound_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    if (!api_scope(r, &seller, &wh))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_inbound *items;
    size_t n;
    const char *next;
    if (hc_inbound_list(st, r->arena, seller, wh, api_query(r, "status"), &pg, &items, &n, &next,
                        &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_inbound(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

static int check_inbound_tenant(hc_store *s, struct inbound_ctx *c, hc_err *err)
{
    struct hc_inbound in;
    int rc = hc_inbound_get(s, c->arena, c->id, &in, err);
    if (rc != HC_OK)
        return rc;
    if ((c->tenant_seller && strcmp(in.seller, c->tenant_seller) != 0) ||
        (c->tenant_warehouse && strcmp(in.warehouse, c->tenant_warehouse) != 0))
        return hc_err_set(err, HC_ENOTFOUND, "id", "no inbound %s", c->id);
    return HC_OK;
}

/* A held inbound is not received: 409 naming what it waits for. */
static int refuse_compliance_hold(hc_store *s, struct inbound_ctx *c, hc_err *err)
{
    struct hc_hold h;
    bool found = false;
    int rc = hc_gate_hold_get(s, c->arena, "inbound", c->id, &h, &found, err);
    if (rc != HC_OK || !found || h.released_at != 0)
        return rc;
    char list[HC_ERR_MSG_MAX];
    size_t o = 0;
    list[0] = '\0';
    for (size_t i = 0; i < h.nmissing && o < sizeof(list); i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", h.missing[i]);
    return hc_err_set(err, HC_ECONFLICT, "status",
                      "inbound %s is on_hold for compliance in %s; missing: %s", c->id, h.market,
                      list);
}

static int receive_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inbound_ctx *c = ctx;
    int rc = check_inbound_tenant(s, c, err);
    if (rc == HC_OK)
        rc = refuse_compliance_hold(s, c, err);
    if (rc == HC_OK)
        rc = hc_inbound_receive(s, c->arena, c->id, c->lines, c->n, c->actor, &c->in, err);
    /* the receiving charge, in the same transaction as the goods entry */
    return rc ? rc : hc_charge_receipt(s, c->arena, c->id, c->lines, c->n, c->actor, err);
}

static struct inbound_ctx *inbound_ctx_for(struct req *r)
{
    struct inbound_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->id = r->params[0];
    c->tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    c->tenant_warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    return c;
}

int h_inbound_receive(struct req *r)
{
    json_t *b;
    struct inbound_ctx *c = inbound_ctx_for(r);
    if (jv_body(r, &b) ||
        parse_qty_lines(r, b, "lines", HC_INBOUND_LINES_MAX, false, false, &c->lines, &c->n))
        return api_fail(r);
    if (c->n == 0) {
        hc_err_set(&r->err, HC_EINVAL, "lines", "must hold at least one line");
        return api_fail(r);
    }
    return api_write(r, receive_job, inbound_render_200, c);
}

static int putaway_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inbound_ctx *c = ctx;
    int rc = check_inbound_tenant(s, c, err);
    return rc ? rc
              : hc_inbound_putaway(s, c->arena, c->id, c->lines, c->n, c->actor, &c->moves,
                                   &c->nmoves, err);
}

static int putaway_render(struct req *r)
{
    struct inbound_ctx *c = r->ctx;
    json_t *moves = json_array();
    for (size_t i = 0; i < c->nmoves; i++)
        json_array_append_new(moves, json_pack("{s:s,s:I,s:s}", "sku", c->moves[i].sku, "qty",
                                               (json_int_t)c->moves[i].qty, "location",
                                               c->moves[i].location));
    return api_reply(r, 200, json_pack("{s:s,s:o}", "inbound", c->id, "moves", moves));
}

int h_inbound_putaway(struct req *r)
{
    json_t *b;
    struct inbound_ctx *c = inbound_ctx_for(r);
    if (r->body.n == 0) {
        c->n = 0;
    } else {
        if (jv_body(r, &b))
            return api_fail(r);
        if (json_object_get(b, "moves") &&
            parse_qty_lines(r, b, "moves", HC_INBOUND_LINES_MAX, true, false, &c->lines, &c->n))
            return api_fail(r);
    }
    return api_write(r, putaway_job, putaway_render, c);
}

static int close_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inbound_ctx *c = ctx;
    int rc = check_inbound_tenant(s, c, err);
    return rc ? rc : hc_inbound_close(s, c->arena, c->id, c->reason, c->actor, &c->in, err);
}

int h_inbound_close(struct req *r)
{
    json_t *b;
    struct inbound_ctx *c = inbound_ctx_for(r);
    if (r->body.n > 0 && (jv_body(r, &b) || jv_str(r, b, "", "reason", false, &c->reason)))
        return api_fail(r);
    if (hc_check_text(c->reason, "reason", 200, true, &r->err))
        return api_fail(r);
    return api_write(r, close_job, inbound_render_200, c);
}

/* ---- inventory, journal, overview ----------------------------------------------------- */

int h_inventory(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_stock_filter f = {0};
    if (st == NULL || api_page(r, &f.page))
        return api_fail(r);
    f.seller = api_query(r, "seller");
    f.warehouse = api_query(r, "warehouse");
    f.sku = api_query(r, "sku");
    f.q = api_query(r, "q");
    f.sort = api_query(r, "sort");
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_stock_row *rows;
    size_t n;
    const char *next;
    if (hc_inventory_list(st, r->arena, &f, &rows, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "seller", rows[i].seller,
                             "warehouse", rows[i].warehouse, "sku", rows[i].sku, "on_hand",
                             (json_int_t)rows[i].on_hand, "allocated",
                             (json_int_t)rows[i].allocated, "available",
                             (json_int_t)rows[i].available, "in_transit",
                             (json_int_t)rows[i].in_transit, "inbound_planned",
                             (json_int_t)rows[i].inbound_planned, "arrived",
                             (json_int_t)rows[i].arrived));
    return api_reply(r, 200, j_page(items, next));
}

/* The journal by ref: the document must be one the caller may see. */
static int ref_visible(struct req *r, hc_store *st, const char *ref, bool *ok)
{
    *ok = r->who.role == ROLE_ADMIN;
    if (*ok)
        return HC_OK;
    const char *seller, *warehouse;
    int rc = hc_document_tenant(st, r->arena, ref, &seller, &warehouse, &r->err);
    if (rc == HC_ENOTFOUND) { /* no such document: an empty page, as before */
        hc_err_clear(&r->err);
        return HC_OK;
    }
    if (rc == HC_OK)
        *ok = api_may_seller(r, seller) && api_may_warehouse(r, warehouse);
    return rc;
}

int h_journal(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_journal_filter f = {0};
    if (st == NULL || api_page(r, &f.page))
        return api_fail(r);
    f.ref = api_query(r, "ref");
    f.seller = api_query(r, "seller");
    f.sku = api_query(r, "sku");
    f.warehouse = api_query(r, "warehouse");
    if (f.ref == NULL && (f.seller == NULL || f.sku == NULL)) {
        hc_err_set(&r->err, HC_EINVAL, "ref", "give ref, or seller and sku");
        return api_fail(r);
    }
    if (f.ref) {
        bool ok;
        if (ref_visible(r, st, f.ref, &ok))
            return api_fail(r);
        if (!ok)
            return api_reply(r, 200, j_page(json_array(), NULL));
    } else if (!api_may_seller(r, f.seller)) {
        return api_reply(r, 200, j_page(json_array(), NULL));
    }
    /* the key's tenancy always holds, also by ref and with a warehouse= of
     * the query, which can only narrow it */
    if (r->who.role == ROLE_SELLER)
        f.tenant_seller = r->who.seller;
    if (r->who.role == ROLE_OPERATOR)
        f.tenant_warehouse = r->who.warehouse;
    struct hc_posting *p;
    size_t n;
    const char *next;
    if (hc_journal_list(st, r->arena, &f, &p, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:s,s:o,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id",
                             hc_arena_printf(r->arena, "%lld", (long long)p[i].id), "at",
                             j_time(p[i].at), "kind", p[i].kind, "seller", p[i].seller, "sku",
                             p[i].sku, "qty", (json_int_t)p[i].qty, "from", p[i].from, "to",
                             p[i].to, "ref", p[i].ref, "actor", p[i].actor));
    return api_reply(r, 200, j_page(items, next));
}

int h_overview(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    if (r->who.role == ROLE_SELLER)
        seller = r->who.seller;
    if (r->who.role == ROLE_OPERATOR)
        wh = r->who.warehouse;
    struct hc_overview o;
    if (hc_overview_get(st, r->arena, seller, wh, &o, &r->err))
        return api_fail(r);
    json_t *stock = json_array();
    for (size_t i = 0; i < o.nstock; i++)
        json_array_append_new(stock, json_pack("{s:s,s:s,s:I,s:I,s:I}", "warehouse",
                                               o.stock[i].warehouse, "seller", o.stock[i].seller,
                                               "on_hand", (json_int_t)o.stock[i].on_hand,
                                               "allocated", (json_int_t)o.stock[i].allocated,
                                               "available", (json_int_t)o.stock[i].available));
    json_t *by = json_object(), *today = json_object();
    for (int i = 0; o.status_names[i]; i++) {
        json_object_set_new(by, o.status_names[i], json_integer(o.by_status[i]));
        json_object_set_new(today, o.status_names[i], json_integer(o.today_by_status[i]));
    }
    json_t *days = json_array();
    for (int i = 0; i < HC_OVERVIEW_DAYS; i++) {
        char d[40];
        hc_time_iso(o.day_start_ms[i], d, sizeof(d));
        d[10] = '\0';
        json_array_append_new(days, json_pack("{s:s,s:I}", "day", d, "count",
                                              (json_int_t)o.per_day[i]));
    }
    static const char *buckets[4] = {"0-30", "31-60", "61-90", "90+"};
    json_t *age = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(age, json_pack("{s:s,s:I}", "bucket", buckets[i], "qty",
                                             (json_int_t)o.age_qty[i]));
    return api_reply(r, 200,
                     json_pack("{s:o,s:o,s:o,s:o,s:I,s:I,s:o}", "stock", stock, "orders_by_status",
                               by, "orders_today", today, "orders_per_day", days, "backorders",
                               (json_int_t)o.backorders, "inbounds_expected",
                               (json_int_t)o.inbounds_expected, "inventory_age", age));
}

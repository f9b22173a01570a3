/* h_labels.c: labels beside the parcel's own — a ready shipping label a
 * seller uploads for its order (PDF), read back as it was uploaded.
 * src/lastmile checks and stores it. */
#include "internal.h"

#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* The order when the caller may see it: its seller's key, its warehouse's
 * operator, an admin. An order not yet routed has no warehouse: only its
 * seller and admins see it. */
static int order_for(struct req *r, hc_store *st, const char *id, struct hc_order *o)
{
    if (hc_order_get(st, r->arena, id, o, &r->err))
        return r->err.code;
    bool wh_ok = o->warehouse ? api_may_warehouse(r, o->warehouse)
                              : r->who.role != ROLE_OPERATOR;
    if (!api_may_seller(r, o->seller) || !wh_ok)
        return hc_err_set(&r->err, HC_ENOTFOUND, "id", "no order %s", id);
    return HC_OK;
}

/* 400 naming the first key of body not among keys (NULL-ended). */
static int only_keys(struct req *r, json_t *body, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (keys[i] == NULL)
            return hc_err_set(&r->err, HC_EINVAL, k, "is not a field of this request");
    }
    return HC_OK;
}

static json_t *render_upload(const struct hc_lm_upload *u)
{
    char url[96];
    snprintf(url, sizeof(url), "/v1/orders/%s/label.pdf", u->order_id);
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:s}", "order", u->order_id, "seller",
                     u->seller, "carrier", u->carrier, "tracking_no", u->tracking_no, "bytes",
                     (json_int_t)u->pdf_len, "label", url,
                     "created_at", j_time(u->created_at), "created_by", u->created_by);
}

struct upload_ctx {
    struct hc_lm_upload u;
    const char *actor;
    bool replaced;
    hc_arena *arena;
};

static int upload_job(hc_store *s, void *ctx, hc_err *err)
{
    struct upload_ctx *c = ctx;
    return hc_lm_upload_put(s, c->arena, &c->u, c->actor, &c->replaced, err);
}

static int upload_render(struct req *r)
{
    struct upload_ctx *c = r->ctx;
    return api_reply(r, c->replaced ? 200 : 201, render_upload(&c->u));
}

int h_order_label_put(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    if (st == NULL || order_for(r, st, r->params[0], &o))
        return api_fail(r);
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    if (ct == NULL || strncmp(ct, "application/pdf", 15) != 0)
        return fail_field(r, HC_EINVAL, "label", "the body must be the label as application/pdf");
    struct upload_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->u = (struct hc_lm_upload){.order_id = o.id, .warehouse = o.warehouse, .seller = o.seller,
                                 .order_status = o.status, .carrier = api_query(r, "carrier"),
                                 .tracking_no = api_query(r, "tracking_no"),
                                 .pdf = r->body.p, .pdf_len = r->body.n};
    /* checked here too so that a bad upload never reaches the writer */
    if (hc_lm_upload_validate(&c->u, &r->err))
        return api_fail(r);
    char *copy = hc_arena_alloc(r->arena, r->body.n + 1);
    memcpy(copy, r->body.p, r->body.n);
    c->u.pdf = copy;
    return api_write(r, upload_job, upload_render, c);
}

int h_order_label_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    struct hc_lm_upload u;
    if (st == NULL || order_for(r, st, r->params[0], &o) ||
        hc_lm_upload_get(st, r->arena, o.id, false, &u, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_upload(&u));
}

int h_order_label_pdf(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    struct hc_lm_upload u;
    if (st == NULL || order_for(r, st, r->params[0], &o) ||
        hc_lm_upload_get(st, r->arena, o.id, true, &u, &r->err))
        return api_fail(r);
    return api_reply_copy(r, u.pdf, u.pdf_len, "application/pdf");
}

/* ---- the warehouse's GS1 company prefix ------------------------------------------------- */

static json_t *render_gs1(const struct hc_lm_gs1 *g)
{
    return json_pack("{s:s,s:s,s:i}", "warehouse", g->warehouse, "company_prefix",
                     g->company_prefix, "extension", g->extension);
}

struct gs1_ctx {
    struct hc_lm_gs1 g;
    const char *actor;
};

static int gs1_job(hc_store *s, void *ctx, hc_err *err)
{
    struct gs1_ctx *c = ctx;
    return hc_lm_gs1_put(s, &c->g, c->actor, err);
}

static int gs1_render(struct req *r)
{
    struct gs1_ctx *c = r->ctx;
    return api_reply(r, 200, render_gs1(&c->g));
}

int h_gs1_put(struct req *r)
{
    json_t *b;
    int64_t ext = 0;
    struct gs1_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    static const char *const keys[] = {"company_prefix", "extension", NULL};
    if (jv_body(r, &b) || only_keys(r, b, keys) ||
        jv_str(r, b, "", "company_prefix", true, &c->g.company_prefix) ||
        jv_int(r, b, "", "extension", false, 0, 9, &ext))
        return api_fail(r);
    c->g.warehouse = r->params[0];
    c->g.extension = (int)ext;
    c->actor = api_actor(r);
    if (hc_lm_gs1_put_check(&c->g, &r->err))
        return api_fail(r);
    hc_store *st = api_reader(r);
    struct hc_warehouse w;
    if (st == NULL || hc_warehouse_get(st, r->arena, c->g.warehouse, &w, &r->err))
        return api_fail(r);
    return api_write(r, gs1_job, gs1_render, c);
}

int h_gs1_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_gs1 g;
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (st == NULL || hc_lm_gs1_get(st, r->arena, r->params[0], &g, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_gs1(&g));
}

/* ---- inbound carton labels ----------------------------------------------------------------- */

struct cartons_ctx {
    struct hc_inbound in;
    int64_t n;
    bool pdf;
    const char **sscc;
    hc_arena *arena;
};

static int cartons_job(hc_store *s, void *ctx, hc_err *err)
{
    struct cartons_ctx *c = ctx;
    return hc_lm_cartons_assign(s, c->arena, c->in.id, c->in.warehouse, c->n, &c->sscc, err);
}

static int cartons_render(struct req *r)
{
    struct cartons_ctx *c = r->ctx;
    struct hc_lm_carton_label *v = hc_arena_alloc(r->arena, sizeof(*v) * (size_t)c->n);
    for (int64_t i = 0; i < c->n; i++)
        v[i] = (struct hc_lm_carton_label){.sscc = c->sscc[i], .inbound = c->in.id,
                                           .seller = c->in.seller, .warehouse = c->in.warehouse,
                                           .reference = c->in.reference, .carton_no = i + 1,
                                           .carton_count = c->n};
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    int rc = c->pdf ? hc_lm_carton_pdf(v, (size_t)c->n, &b, &r->err)
                    : hc_lm_carton_zpl(v, (size_t)c->n, &b, &r->err);
    if (rc != HC_OK || b.p == NULL) {
        hc_buf_free(&b);
        if (rc == HC_OK)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty labels");
        return api_fail(r);
    }
    return api_reply_bytes(r, &b, c->pdf ? "application/pdf" : "application/zpl; charset=utf-8");
}

static int carton_labels(struct req *r, bool pdf)
{
    hc_store *st = api_reader(r);
    struct cartons_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->pdf = pdf;
    const char *q = api_query(r, "cartons");
    if (q == NULL || hc_parse_i64(q, 1, HC_LM_CARTONS_MAX, &c->n) != HC_OK)
        return fail_field(r, HC_EINVAL, "cartons", "must be a whole number 1-999");
    if (st == NULL || hc_inbound_get(st, r->arena, r->params[0], &c->in, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, c->in.seller) || !api_may_warehouse(r, c->in.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such inbound");
    struct hc_lm_gs1 g;
    hc_err e = {0};
    int rc = hc_lm_gs1_get(st, r->arena, c->in.warehouse, &g, &e);
    if (rc != HC_OK) {
        if (rc == HC_ENOTFOUND)
            e.code = HC_ECONFLICT; /* the warehouse's set-up is missing, not the inbound */
        r->err = e;
        return api_fail(r);
    }
    return api_write(r, cartons_job, cartons_render, c);
}

int h_inbound_cartons_pdf(struct req *r)
{
    return carton_labels(r, true);
}

int h_inbound_cartons_zpl(struct req *r)
{
    return carton_labels(r, false);
}

/* ---- product labels ------------------------------------------------------------------------ */

int h_sku_labels_pdf(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_sku k;
    int64_t qty = 1;
    const char *q = api_query(r, "qty"), *code = api_query(r, "code");
    const char *sheet = api_query(r, "sheet"), *fnsku = api_query(r, "fnsku");
    if (q && hc_parse_i64(q, 1, HC_LM_PRODUCT_QTY_MAX, &qty) != HC_OK)
        return fail_field(r, HC_EINVAL, "qty", "must be a whole number 1-2000");
    int sh = sheet == NULL || strcmp(sheet, "roll") == 0 ? HC_LM_SHEET_ROLL
             : strcmp(sheet, "a4") == 0                 ? HC_LM_SHEET_A4
                                                         : 0;
    if (sh == 0)
        return fail_field(r, HC_EINVAL, "sheet", "must be roll or a4");
    if (!api_may_seller(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "sku", "no such SKU");
    if (st == NULL || hc_sku_get(st, r->arena, r->params[0], r->params[1], &k, &r->err))
        return api_fail(r);
    struct hc_lm_product_label l = {.code = HC_LM_CODE_SKU, .data = k.sku, .name = k.name};
    if (code == NULL || strcmp(code, "sku") == 0) {
        if (fnsku)
            return fail_field(r, HC_EINVAL, "fnsku", "only with code=fnsku");
    } else if (strcmp(code, "fnsku") == 0) {
        if (fnsku == NULL)
            return fail_field(r, HC_EINVAL, "fnsku", "is required with code=fnsku");
        l.code = HC_LM_CODE_FNSKU;
        l.data = fnsku;
    } else if (strcmp(code, "barcode") == 0) {
        if (k.barcode == NULL || *k.barcode == '\0')
            return fail_field(r, HC_ECONFLICT, "code", "the SKU has no barcode (EAN/UPC)");
        l.code = strlen(k.barcode) == 12 ? HC_LM_CODE_UPCA : HC_LM_CODE_EAN13;
        l.data = k.barcode;
    } else {
        return fail_field(r, HC_EINVAL, "code", "must be sku, fnsku or barcode");
    }
    /* a stored barcode failing its check digit is the SKU's fault, not this request's */
    if (hc_lm_product_check(&l, &r->err)) {
        if (l.code == HC_LM_CODE_EAN13 || l.code == HC_LM_CODE_UPCA)
            r->err.code = HC_ECONFLICT;
        return api_fail(r);
    }
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    if (hc_lm_product_pdf(&l, qty, sh, &b, &r->err) || b.p == NULL) {
        hc_buf_free(&b);
        if (r->err.code == 0)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty labels");
        return api_fail(r);
    }
    return api_reply_bytes(r, &b, "application/pdf");
}

/* ---- carrier connectors ----------------------------------------------------------------- */

static json_t *render_connector(const struct hc_lm_connector *c)
{
    /* credentials_ref is a name of where the secret lives, never the secret */
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:b,s:o}", "warehouse", c->warehouse, "name",
                     c->name, "kind", c->kind, "base_url", j_str_or_null(*c->base_url ? c->base_url : NULL),
                     "credentials_ref",
                     j_str_or_null(*c->credentials_ref ? c->credentials_ref : NULL), "status",
                     c->status, "implemented", hc_lm_connector_implemented(c->kind),
                     "updated_at", c->updated_at ? j_time(c->updated_at) : json_null());
}

struct conn_ctx {
    struct hc_lm_connector c;
    const char *actor;
};

static int conn_job(hc_store *s, void *ctx, hc_err *err)
{
    struct conn_ctx *c = ctx;
    return hc_lm_connector_put(s, &c->c, c->actor, err);
}

static int conn_render(struct req *r)
{
    struct conn_ctx *c = r->ctx;
    return api_reply(r, 200, render_connector(&c->c));
}

int h_connector_put(struct req *r)
{
    json_t *b;
    struct conn_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    c->c.warehouse = r->params[0];
    c->c.name = r->params[1];
    c->c.status = "disabled";
    static const char *const keys[] = {"kind", "base_url", "credentials_ref", "status", NULL};
    if (jv_body(r, &b) || only_keys(r, b, keys) || jv_str(r, b, "", "kind", true, &c->c.kind) ||
        jv_str(r, b, "", "base_url", true, &c->c.base_url) ||
        jv_str(r, b, "", "credentials_ref", true, &c->c.credentials_ref) ||
        jv_str(r, b, "", "status", false, &c->c.status))
        return api_fail(r);
    if (c->c.status == NULL)
        c->c.status = "disabled";
    c->actor = api_actor(r);
    hc_store *st = api_reader(r);
    struct hc_warehouse w;
    if (hc_lm_connector_validate(&c->c, &r->err) || st == NULL ||
        hc_warehouse_get(st, r->arena, c->c.warehouse, &w, &r->err))
        return api_fail(r);
    return api_write(r, conn_job, conn_render, c);
}

int h_connector_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_connector *v;
    size_t n;
    struct hc_warehouse w;
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (st == NULL || hc_warehouse_get(st, r->arena, r->params[0], &w, &r->err) ||
        hc_lm_connector_list(st, r->arena, r->params[0], &v, &n, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_connector(&v[i]));
    return api_reply(r, 200, j_page(arr, NULL));
}

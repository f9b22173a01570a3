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
    char *raw = malloc(u.pdf_len ? u.pdf_len : 1);
    if (raw == NULL)
        return fail_field(r, HC_EINTERNAL, "", "out of memory");
    memcpy(raw, u.pdf, u.pdf_len);
    r->status = 200;
    r->raw = raw;
    r->raw_len = u.pdf_len;
    r->raw_type = "application/pdf";
    return HC_OK;
}

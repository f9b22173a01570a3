/* h_webhooks.c: webhook subscriptions and their delivery log
 * (src/webhooks): POST|GET /v1/webhooks, GET|DELETE /v1/webhooks/{id},
 * PUT /v1/webhooks/{id}/thresholds, GET /v1/webhooks/{id}/deliveries (a
 * stock.low delivery carries its available and threshold in data) and
 * POST /v1/webhooks/{id}/deliveries/{did}/redeliver. A seller's key sees
 * and makes only its own subscriptions, an operator's only its warehouse's;
 * another tenant's is a 404 naming id. The secret is in the create answer
 * only. */
#include "internal.h"

#include <string.h>

#include "webhooks/webhooks.h"

static json_t *render_webhook(const struct hc_webhook *w)
{
    json_t *ev = json_array();
    for (size_t i = 0; i < w->nevents; i++)
        json_array_append_new(ev, json_string(w->events[i]));
    json_t *o = json_pack("{s:s,s:o,s:o,s:s,s:o,s:s,s:s,s:o,s:{s:I,s:I,s:I}}", "id", w->id,
                          "seller", j_str_or_null(w->seller[0] ? w->seller : NULL), "warehouse",
                          j_str_or_null(w->warehouse[0] ? w->warehouse : NULL), "url", w->url,
                          "events", ev, "description", w->description, "actor", w->actor,
                          "created_at", j_time(w->created_at), "deliveries", "pending",
                          (json_int_t)w->pending, "delivered", (json_int_t)w->delivered,
                          "failed", (json_int_t)w->failed);
    if (w->secret)
        json_object_set_new(o, "secret", json_string(w->secret));
    json_object_set_new(o, "stock_threshold",
                        w->stock_threshold >= 0 ? json_integer(w->stock_threshold) : json_null());
    json_t *th = json_array();
    for (size_t i = 0; i < w->nthresholds; i++)
        json_array_append_new(th, json_pack("{s:s,s:I}", "sku", w->thresholds[i].sku, "below",
                                            (json_int_t)w->thresholds[i].below));
    json_object_set_new(o, "thresholds", th);
    return o;
}

static json_t *render_delivery(const struct hc_webhook_delivery *d)
{
    json_t *tries = json_array();
    for (size_t i = 0; i < d->ntries; i++) {
        const struct hc_webhook_attempt *t = &d->tries[i];
        json_array_append_new(
            tries, json_pack("{s:I,s:o,s:o,s:o,s:I}", "n", (json_int_t)t->n, "at", j_time(t->at),
                             "http_status", t->http_status ? json_integer(t->http_status) : json_null(),
                             "error", j_str_or_null(t->error[0] ? t->error : NULL), "ms",
                             (json_int_t)t->ms));
    }
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)d->id);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:o,s:s,s:I,s:o,s:o,s:o,s:o}",
                          "id", id, "webhook", d->sub_id, "event_id", d->event_id, "type",
                          d->event_type, "data", "seller", d->seller, "warehouse", d->warehouse,
                          "subject", d->subject, "status", d->status, "event_at",
                          j_time(d->event_at), "state", d->state, "attempts",
                          (json_int_t)d->attempts, "next_attempt_at",
                          d->next_at && strcmp(d->state, "pending") == 0 ? j_time(d->next_at)
                                                                         : json_null(),
                          "last_error", j_str_or_null(d->last_error[0] ? d->last_error : NULL),
                          "created_at", j_time(d->created_at), "attempt_log", tries);
    if (strcmp(d->event_type, "stock.low") == 0) { /* the crossing: what the body carried */
        json_t *data = json_object_get(o, "data");
        json_object_set_new(data, "available", json_integer(d->available));
        json_object_set_new(data, "threshold", json_integer(d->threshold));
    }
    if (d->redelivery_of) {
        snprintf(id, sizeof(id), "%lld", (long long)d->redelivery_of);
        json_object_set_new(o, "redelivery_of", json_string(id));
    }
    return o;
}

/* May the caller see subscription w? */
static bool may_see(const struct req *r, const struct hc_webhook *w)
{
    if (r->who.role == ROLE_SELLER)
        return strcmp(w->seller, r->who.seller) == 0;
    if (r->who.role == ROLE_OPERATOR)
        return strcmp(w->warehouse, r->who.warehouse) == 0;
    return true;
}

/* Subscription {id} of the caller's tenancy, read in store s. */
static int own_webhook(const struct req *r, hc_store *s, hc_arena *a, const char *id,
                       struct hc_webhook *w, hc_err *err)
{
    int rc = hc_webhook_get(s, a, id, w, err);
    if (rc == HC_OK && !may_see(r, w))
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no webhook %s", id);
    return rc;
}

/* ---- POST /v1/webhooks ----------------------------------------------------- */
struct create_ctx {
    struct hc_webhook w;
    const char *actor;
    hc_arena *arena;
};

static int create_job(hc_store *s, void *ctx, hc_err *err)
{
    struct create_ctx *c = ctx;
    return hc_webhook_create(s, c->arena, &c->w, c->actor, err);
}

static int create_render(struct req *r)
{
    struct create_ctx *c = r->ctx;
    return api_reply(r, 201, render_webhook(&c->w));
}

static int unknown_fields(struct req *r, json_t *b)
{
    static const char *const known[] = {"url",    "events",          "description",
                                        "seller", "warehouse",       "stock_threshold",
                                        "thresholds"};
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v) {
        size_t i = 0;
        while (i < HC_ARRAY_LEN(known) && strcmp(key, known[i]) != 0)
            i++;
        if (i == HC_ARRAY_LEN(known))
            return hc_err_set(&r->err, HC_EINVAL, j_safe(r, key, 100), "is not a field of a webhook");
    }
    return HC_OK;
}

/* The owner: a seller's own, an operator's warehouse, an admin's choice. */
static int owner_of(struct req *r, json_t *b, struct hc_webhook *w)
{
    const char *seller = NULL, *wh = NULL;
    if (jv_str(r, b, "", "seller", false, &seller) || jv_str(r, b, "", "warehouse", false, &wh))
        return r->err.code;
    if (r->who.role == ROLE_SELLER) {
        if ((seller && strcmp(seller, r->who.seller) != 0) || wh)
            return hc_err_set(&r->err, HC_EINVAL, seller && strcmp(seller, r->who.seller) ? "seller" : "warehouse",
                              "a seller's key subscribes for its own seller only");
        seller = r->who.seller;
    } else if (r->who.role == ROLE_OPERATOR) {
        if ((wh && strcmp(wh, r->who.warehouse) != 0) || seller)
            return hc_err_set(&r->err, HC_EINVAL, seller ? "seller" : "warehouse",
                              "an operator's key subscribes for its own warehouse only");
        wh = r->who.warehouse;
    }
    w->seller = seller ? seller : "";
    w->warehouse = wh ? wh : "";
    return HC_OK;
}

/* stock.low: optional stock_threshold and thresholds [{sku, below}]. */
static int parse_thresholds(struct req *r, json_t *b, struct hc_webhook *w)
{
    json_t *arr = NULL, *given = json_object_get(b, "thresholds");
    w->stock_threshold = -1;
    w->stock_threshold_set = json_object_get(b, "stock_threshold") != NULL &&
                             !json_is_null(json_object_get(b, "stock_threshold"));
    if (jv_int(r, b, "", "stock_threshold", false, 0, HC_WEBHOOK_THRESHOLD_MAX,
               &w->stock_threshold) ||
        (given && !json_is_null(given) &&
         jv_array(r, b, "", "thresholds", HC_WEBHOOK_THRESHOLDS_MAX, &arr)))
        return r->err.code;
    w->nthresholds = arr ? json_array_size(arr) : 0;
    w->thresholds = hc_arena_alloc(r->arena, sizeof(*w->thresholds) * (w->nthresholds + 1));
    for (size_t i = 0; i < w->nthresholds; i++) {
        json_t *it;
        const char *path;
        if (jv_item(r, arr, "thresholds", i, &it, &path) ||
            jv_str(r, it, path, "sku", true, &w->thresholds[i].sku) ||
            jv_int(r, it, path, "below", true, 0, HC_WEBHOOK_THRESHOLD_MAX,
                   &w->thresholds[i].below))
            return r->err.code;
    }
    return HC_OK;
}

static int parse_create(struct req *r, struct hc_webhook *w)
{
    json_t *b, *arr;
    if (jv_body(r, &b) || unknown_fields(r, b) || jv_str(r, b, "", "url", true, &w->url) ||
        jv_str(r, b, "", "description", false, &w->description) ||
        jv_array(r, b, "", "events", HC_WEBHOOK_EVENTS_MAX, &arr) || owner_of(r, b, w) ||
        parse_thresholds(r, b, w))
        return r->err.code;
    if (!arr)
        return hc_err_set(&r->err, HC_EINVAL, "events", "is required");
    w->nevents = json_array_size(arr);
    w->events = hc_arena_alloc(r->arena, sizeof(*w->events) * (w->nevents + 1));
    for (size_t i = 0; i < w->nevents; i++)
        if (jv_item_str(r, arr, "events", i, &w->events[i]))
            return r->err.code;
    return hc_webhook_url_check(w->url, hc_webhook_loopback_allowed(), "url", &r->err);
}

int h_webhook_create(struct req *r)
{
    struct create_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (parse_create(r, &c->w) != HC_OK)
        return api_fail(r);
    return api_write(r, create_job, create_render, c);
}

/* ---- GET /v1/webhooks, /v1/webhooks/{id} -------------------------------------- */
int h_webhook_list(struct req *r)
{
    struct hc_list_page pg;
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    if (api_page(r, &pg) != HC_OK)
        return api_fail(r);
    if (!api_scope(r, &seller, &wh))
        return api_reply(r, 200, j_page(json_array(), NULL));
    hc_store *s = api_reader(r);
    struct hc_webhook *items;
    size_t n;
    const char *next;
    if (!s || hc_webhook_list(s, r->arena, seller, wh, pg.cursor, pg.limit, &items, &n, &next,
                              &r->err) != HC_OK)
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_webhook(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

int h_webhook_get(struct req *r)
{
    hc_store *s = api_reader(r);
    struct hc_webhook w;
    if (!s || own_webhook(r, s, r->arena, r->params[0], &w, &r->err) != HC_OK)
        return api_fail(r);
    return api_reply(r, 200, render_webhook(&w));
}

/* ---- PUT /v1/webhooks/{id}/thresholds --------------------------------------------- */
struct thresholds_ctx {
    struct req *r;
    struct hc_webhook w;
};

static int thresholds_job(hc_store *s, void *ctx, hc_err *err)
{
    struct thresholds_ctx *c = ctx;
    struct hc_webhook seen;
    int rc = own_webhook(c->r, s, c->r->arena, c->w.id, &seen, err);
    return rc == HC_OK ? hc_webhook_set_thresholds(s, c->r->arena, &c->w, err) : rc;
}

static int thresholds_render(struct req *r)
{
    struct thresholds_ctx *c = r->ctx;
    return api_reply(r, 200, render_webhook(&c->w));
}

int h_webhook_thresholds_put(struct req *r)
{
    static const char *const known[] = {"stock_threshold", "thresholds"};
    struct thresholds_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->r = r;
    c->w.id = r->params[0];
    json_t *b, *v;
    const char *key;
    if (jv_body(r, &b))
        return api_fail(r);
    json_object_foreach(b, key, v) {
        if (strcmp(key, known[0]) != 0 && strcmp(key, known[1]) != 0) {
            hc_err_set(&r->err, HC_EINVAL, j_safe(r, key, 100), "is not a field here");
            return api_fail(r);
        }
    }
    if (parse_thresholds(r, b, &c->w))
        return api_fail(r);
    return api_write(r, thresholds_job, thresholds_render, c);
}

/* ---- DELETE /v1/webhooks/{id} ---------------------------------------------------- */
struct del_ctx {
    struct req *r;
    const char *id;
};

static int delete_job(hc_store *s, void *ctx, hc_err *err)
{
    struct del_ctx *c = ctx;
    struct hc_webhook w;
    hc_arena *a = hc_arena_new(4096);
    int rc = own_webhook(c->r, s, a, c->id, &w, err);
    hc_arena_free(a);
    return rc == HC_OK ? hc_webhook_delete(s, c->id, err) : rc;
}

static int delete_render(struct req *r)
{
    struct del_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:b}", "id", c->id, "deleted", 1));
}

int h_webhook_delete(struct req *r)
{
    struct del_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->r = r;
    c->id = r->params[0];
    return api_write(r, delete_job, delete_render, c);
}

/* ---- GET /v1/webhooks/{id}/deliveries ------------------------------------------- */
static int cursor_id(struct req *r, const char *v, const char *field, int64_t *out)
{
    *out = 0;
    if (v && hc_parse_i64(v, 1, INT64_MAX, out) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, field, "is not one this API gave out");
    return HC_OK;
}

int h_webhook_deliveries(struct req *r)
{
    struct hc_list_page pg;
    const char *state = api_query(r, "state");
    int64_t cursor;
    if (api_page(r, &pg) != HC_OK || cursor_id(r, pg.cursor, "cursor", &cursor) != HC_OK)
        return api_fail(r);
    if (state && strcmp(state, "pending") && strcmp(state, "delivered") &&
        strcmp(state, "failed") && strcmp(state, "cancelled")) {
        hc_err_set(&r->err, HC_EINVAL, "state", "must be pending, delivered, failed or cancelled");
        return api_fail(r);
    }
    hc_store *s = api_reader(r);
    struct hc_webhook w;
    struct hc_webhook_delivery *items;
    size_t n;
    int64_t next;
    if (!s || own_webhook(r, s, r->arena, r->params[0], &w, &r->err) != HC_OK ||
        hc_webhook_deliveries(s, r->arena, w.id, state, cursor, pg.limit, &items, &n, &next,
                              &r->err) != HC_OK)
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_delivery(&items[i]));
    char nb[24];
    snprintf(nb, sizeof(nb), "%lld", (long long)next);
    return api_reply(r, 200, j_page(arr, next ? nb : NULL));
}

/* ---- POST /v1/webhooks/{id}/deliveries/{did}/redeliver --------------------------- */
struct redeliver_ctx {
    struct req *r;
    const char *id;
    int64_t did;
    struct hc_webhook_delivery out;
    hc_arena *arena;
};

static int redeliver_job(hc_store *s, void *ctx, hc_err *err)
{
    struct redeliver_ctx *c = ctx;
    struct hc_webhook w;
    int rc = own_webhook(c->r, s, c->arena, c->id, &w, err);
    return rc == HC_OK ? hc_webhook_redeliver(s, c->arena, c->id, c->did, &c->out, err) : rc;
}

static int redeliver_render(struct req *r)
{
    struct redeliver_ctx *c = r->ctx;
    return api_reply(r, 201, render_delivery(&c->out));
}

/* {} or no body; a field is a 400 naming it. */
static int empty_body(struct req *r)
{
    json_t *b;
    if (r->body.n == 0)
        return HC_OK;
    if (jv_body(r, &b) != HC_OK)
        return r->err.code;
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v)
        return hc_err_set(&r->err, HC_EINVAL, j_safe(r, key, 100), "redeliver takes no fields");
    return HC_OK;
}

int h_webhook_redeliver(struct req *r)
{
    struct redeliver_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->r = r;
    c->arena = r->arena;
    c->id = r->params[0];
    if (empty_body(r) != HC_OK)
        return api_fail(r);
    if (hc_parse_i64(r->params[1], 1, INT64_MAX, &c->did) != HC_OK) {
        hc_err_set(&r->err, HC_ENOTFOUND, "delivery", "no delivery %s", j_safe(r, r->params[1], 40));
        return api_fail(r);
    }
    return api_write(r, redeliver_job, redeliver_render, c);
}

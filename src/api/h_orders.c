/* h_orders.c: orders, waves, packing, shipping, returns. */
#include "internal.h"

#include "lastmile/lastmile.h"

#include "compliance/compliance.h"
#include "finance/finance.h"
#include "h_compliance.h"

#include <stdio.h>
#include <string.h>

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, id);
    return api_fail(r);
}

/* How far an order's goods have gone. Orders move whole: packing confirms
 * every pick (goods leave their bins for order/<id>), shipping hands all of
 * it to the carrier, so each line's counts follow from the status. */
static int status_stage(const char *status)
{
    switch (hc_order_status_parse(status)) {
    case HC_ORDER_PACKED:
        return 1;
    case HC_ORDER_SHIPPED:
        return 2;
    case HC_ORDER_DELIVERED:
        return 3;
    default:
        return 0;
    }
}

json_t *render_order(const struct hc_order *o)
{
    json_t *lines = json_array();
    int stage = status_stage(o->status);
    for (size_t i = 0; i < o->nlines; i++) {
        const struct hc_order_line *l = &o->lines[i];
        json_int_t q = (json_int_t)l->qty;
        json_array_append_new(
            lines, json_pack("{s:s,s:I,s:o,s:I,s:I,s:I,s:I,s:I}", "sku", l->sku, "qty", q,
                             "unit_price", j_money(l->price_minor, l->currency), "allocated",
                             (json_int_t)l->allocated, "picked", stage >= 1 ? q : 0, "packed",
                             stage >= 1 ? q : 0, "shipped", stage >= 2 ? q : 0, "delivered",
                             stage >= 3 ? q : 0));
    }
    json_t *history = json_array();
    for (size_t i = 0; i < o->nhistory; i++)
        json_array_append_new(history, json_pack("{s:s,s:o}", "status", o->history[i].status, "at",
                                                 j_time(o->history[i].at)));
    json_t *ship_to = o->ship_to_json ? json_loads(o->ship_to_json, 0, NULL) : NULL;
    json_t *parcels = o->parcels_json ? json_loads(o->parcels_json, 0, NULL) : NULL;
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", o->id,
                     "seller", o->seller, "channel", o->channel, "channel_order_id",
                     o->channel_order_id, "status", o->status, "warehouse",
                     j_str_or_null(o->warehouse), "ship_to", ship_to ? ship_to : json_object(),
                     "lines", lines, "carrier", j_str_or_null(o->carrier), "tracking_no",
                     j_str_or_null(o->tracking_no), "parcels", parcels ? parcels : json_array(),
                     "wave", j_str_or_null(o->wave), "created_at", j_time(o->created_at),
                     "updated_at", j_time(o->updated_at), "history", history);
    if (j && o->hold_reason) /* on_hold: why (finance's credit hold) */
        json_object_set_new(j, "hold_reason", json_string(o->hold_reason));
    return j;
}

/* ---- create ------------------------------------------------------------------------ */

struct order_ctx {
    struct hc_order o;
    bool existed;
    const char *actor;
    hc_arena *arena;
};

static int order_create_job(hc_store *s, void *ctx, hc_err *err)
{
    struct order_ctx *c = ctx;
    /* a seller over its credit limit: new orders wait on_hold (finance) */
    bool over = false;
    int rc = hc_credit_over(s, c->o.seller, &over, err);
    if (rc != HC_OK)
        return rc;
    /* the compliance gate: missing product data holds it (src/compliance) */
    return hc_gate_order_create(s, c->arena, &c->o, over, c->actor, &c->existed, err);
}

/* An order answer, with the missing items when held for compliance. */
static json_t *render_order_full(struct req *r, const struct hc_order *o)
{
    json_t *j = render_order(o);
    if (o->hold_reason && strcmp(o->hold_reason, HC_HOLD_COMPLIANCE) == 0)
        api_add_hold_items(r, j, "order", o->id);
    return j;
}

static int order_create_render(struct req *r)
{
    struct order_ctx *c = r->ctx;
    return api_reply(r, c->existed ? 200 : 201, render_order_full(r, &c->o));
}

static int parse_ship_to(struct req *r, json_t *b, struct hc_order *o)
{
    json_t *st;
    if (jv_object(r, b, "", "ship_to", true, &st))
        return r->err.code;
    static const struct {
        const char *key;
        size_t max;
        bool required;
    } fields[] = {{"name", 100, true},   {"country", 2, true},  {"postcode", 20, true},
                  {"city", 100, true},   {"line1", 200, true},  {"line2", 200, false},
                  {"state", 100, false}, {"phone", 40, false},  {"email", 200, false},
                  {"company", 100, false}};
    json_t *clean = json_object();
    for (size_t i = 0; i < HC_ARRAY_LEN(fields); i++) {
        const char *v;
        const char *f = jv_field(r, "ship_to", fields[i].key);
        if (jv_str(r, st, "ship_to", fields[i].key, fields[i].required, &v) ||
            hc_check_text(v, f, fields[i].max, !fields[i].required, &r->err)) {
            json_decref(clean);
            return r->err.code;
        }
        if (v)
            json_object_set_new(clean, fields[i].key, json_string(v));
    }
    o->ship_country = hc_arena_strdup(r->arena, json_string_value(json_object_get(clean, "country")));
    o->ship_name = hc_arena_strdup(r->arena, json_string_value(json_object_get(clean, "name")));
    char *text = json_dumps(clean, JSON_COMPACT);
    o->ship_to_json = hc_arena_strdup(r->arena, text);
    free(text);
    json_decref(clean);
    return HC_OK;
}

int h_order_create(struct req *r)
{
    json_t *b, *arr;
    struct order_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    struct hc_order *o = &c->o;
    c->actor = api_actor(r);
    c->arena = r->arena;
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &o->seller) ||
        jv_str(r, b, "", "channel", true, &o->channel) ||
        jv_str(r, b, "", "channel_order_id", true, &o->channel_order_id) ||
        parse_ship_to(r, b, o) || jv_array(r, b, "", "lines", HC_ORDER_LINES_MAX, &arr))
        return api_fail(r);
    if (!api_may_seller(r, o->seller))
        return not_found(r, "seller", "seller", o->seller);
    o->nlines = json_array_size(arr);
    o->lines = hc_arena_alloc(r->arena, sizeof(*o->lines) * (o->nlines ? o->nlines : 1));
    for (size_t i = 0; i < o->nlines; i++) {
        json_t *e;
        const char *p;
        struct hc_order_line *l = &o->lines[i];
        if (jv_item(r, arr, "lines", i, &e, &p) || jv_str(r, e, p, "sku", true, &l->sku) ||
            jv_int(r, e, p, "qty", true, 1, HC_ORDER_QTY_MAX, &l->qty) ||
            jv_money(r, e, p, "unit_price", true, &l->price_minor, &l->currency))
            return api_fail(r);
    }
    if (hc_order_validate(o, &r->err))
        return api_fail(r);
    return api_write(r, order_create_job, order_create_render, c);
}

/* ---- read ------------------------------------------------------------------------------- */

static bool visible_order(const struct req *r, const struct hc_order *o)
{
    return api_may_seller(r, o->seller) && api_may_warehouse(r, o->warehouse);
}

int h_order_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    if (st == NULL || hc_order_get(st, r->arena, r->params[0], &o, &r->err))
        return api_fail(r);
    if (!visible_order(r, &o))
        return not_found(r, "id", "order", r->params[0]);
    return api_reply(r, 200, render_order_full(r, &o));
}

int h_order_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_order_filter f = {.seller = api_query(r, "seller"),
                                .warehouse = api_query(r, "warehouse"),
                                .status = api_query(r, "status"),
                                .channel = api_query(r, "channel"),
                                .country = api_query(r, "country"),
                                .channel_order_id = api_query(r, "channel_order_id"),
                                .tracking_no = api_query(r, "tracking"),
                                .customer = api_query(r, "customer"),
                                .q = api_query(r, "q"),
                                .cursor = pg.cursor,
                                .limit = pg.limit};
    if (f.country) { /* ISO codes are upper case; accept "de" too */
        char *c = hc_arena_strdup(r->arena, f.country);
        for (char *p = c; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        f.country = c;
    }
    const char *from = api_query(r, "from"), *to = api_query(r, "to");
    if (from && hc_time_parse_iso(from, &f.from_ms)) {
        hc_err_set(&r->err, HC_EINVAL, "from", "must be YYYY-MM-DD or an ISO 8601 UTC time");
        return api_fail(r);
    }
    if (to && hc_time_parse_iso(to, &f.to_ms)) {
        hc_err_set(&r->err, HC_EINVAL, "to", "must be YYYY-MM-DD or an ISO 8601 UTC time");
        return api_fail(r);
    }
    if (to && strlen(to) == 10)
        f.to_ms += HC_DAY_MS; /* a date includes its whole day */
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_order *items;
    size_t n;
    const char *next;
    if (hc_order_list(st, r->arena, &f, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_order(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- actions on one order ----------------------------------------------------------------- */

enum order_action { ACT_CANCEL, ACT_PACK, ACT_SHIP, ACT_DELIVER };

struct action_ctx {
    enum order_action act;
    const char *id, *actor, *carrier, *tracking_no, *parcels_json;
    const char *tenant_seller, *tenant_warehouse;
    hc_arena *arena;
    struct hc_order o;
};

static int action_job(hc_store *s, void *ctx, hc_err *err)
{
    struct action_ctx *c = ctx;
    struct hc_order cur;
    int rc = hc_order_get(s, c->arena, c->id, &cur, err);
    if (rc != HC_OK)
        return rc;
    if ((c->tenant_seller && strcmp(cur.seller, c->tenant_seller) != 0) ||
        (c->tenant_warehouse && (cur.warehouse == NULL ||
                                 strcmp(cur.warehouse, c->tenant_warehouse) != 0)))
        return hc_err_set(err, HC_ENOTFOUND, "id", "no order %s", c->id);
    switch (c->act) {
    case ACT_CANCEL: /* a parcel on a closed manifest has left */
        if ((rc = hc_lm_order_frozen(s, c->arena, c->id, err)) != HC_OK)
            return rc;
        return hc_order_cancel(s, c->arena, c->id, c->actor, &c->o, err);
    case ACT_PACK:
        return hc_order_pack(s, c->arena, c->id, c->actor, &c->o, err);
    case ACT_SHIP:
        rc = hc_order_ship(s, c->arena, c->id, c->carrier, c->tracking_no, c->parcels_json,
                           c->actor, &c->o, err);
        /* the outbound charge, in the same transaction as the goods entry */
        return rc ? rc : hc_charge_shipment(s, c->arena, c->id, c->actor, err);
    case ACT_DELIVER:
        return hc_order_deliver(s, c->arena, c->id, c->actor, &c->o, err);
    }
    return HC_EINTERNAL;
}

static int action_render(struct req *r)
{
    struct action_ctx *c = r->ctx;
    return api_reply(r, 200, render_order(&c->o));
}

static struct action_ctx *action_for(struct req *r, enum order_action act)
{
    struct action_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->act = act;
    c->id = r->params[0];
    c->actor = api_actor(r);
    c->arena = r->arena;
    c->tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    c->tenant_warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    return c;
}

/* Actions take {} or no body; anything else must at least be a JSON object. */
static int empty_body(struct req *r)
{
    json_t *b;
    if (r->body.n == 0)
        return HC_OK;
    return jv_body(r, &b);
}

int h_order_cancel(struct req *r)
{
    if (empty_body(r))
        return api_fail(r);
    return api_write(r, action_job, action_render, action_for(r, ACT_CANCEL));
}

int h_order_pack(struct req *r)
{
    if (empty_body(r))
        return api_fail(r);
    return api_write(r, action_job, action_render, action_for(r, ACT_PACK));
}

int h_order_deliver(struct req *r)
{
    if (empty_body(r))
        return api_fail(r);
    return api_write(r, action_job, action_render, action_for(r, ACT_DELIVER));
}

/* A ship body without carrier, tracking_no and parcels ships the parcels
 * recorded at the pack step (src/lastmile): the first parcel's carrier and
 * tracking number, every parcel's weight, dims and number. */
static int ship_recorded(struct req *r, struct action_ctx *c)
{
    hc_store *st = api_reader(r);
    struct hc_lm_parcel *ps;
    size_t n = 0;
    if (st == NULL || hc_lm_parcels_of(st, r->arena, c->id, &ps, &n, &r->err))
        return api_fail(r);
    if (n == 0) {
        hc_err_set(&r->err, HC_EINVAL, "carrier",
                   "is required, unless parcels were recorded (POST /v1/orders/{id}/parcels)");
        return api_fail(r);
    }
    c->carrier = ps[0].carrier;
    c->tracking_no = ps[0].tracking_no;
    json_t *clean = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(clean, json_pack("{s:I,s:o,s:s}", "weight_g",
                                               (json_int_t)ps[i].weight_g, "dims_mm",
                                               j_dims(ps[i].dims_mm), "tracking_no",
                                               ps[i].tracking_no));
    char *text = json_dumps(clean, JSON_COMPACT);
    c->parcels_json = hc_arena_strdup(r->arena, text);
    free(text);
    json_decref(clean);
    return api_write(r, action_job, action_render, c);
}

int h_order_ship(struct req *r)
{
    json_t *b, *arr;
    struct action_ctx *c = action_for(r, ACT_SHIP);
    if (jv_body(r, &b))
        return api_fail(r);
    if (!json_object_get(b, "carrier") && !json_object_get(b, "tracking_no") &&
        !json_object_get(b, "parcels"))
        return ship_recorded(r, c);
    if (jv_str(r, b, "", "carrier", true, &c->carrier) ||
        jv_str(r, b, "", "tracking_no", true, &c->tracking_no) ||
        jv_array(r, b, "", "parcels", 100, &arr))
        return api_fail(r);
    if (hc_check_code(c->carrier, "carrier", 64, &r->err) ||
        hc_check_text(c->tracking_no, "tracking_no", 64, false, &r->err))
        return api_fail(r);
    if (json_array_size(arr) == 0) {
        hc_err_set(&r->err, HC_EINVAL, "parcels", "must hold at least one parcel");
        return api_fail(r);
    }
    json_t *clean = json_array();
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e;
        const char *p;
        int64_t w = 0, d[3];
        if (jv_item(r, arr, "parcels", i, &e, &p) ||
            jv_int(r, e, p, "weight_g", true, 1, 1000000000, &w) ||
            jv_dims(r, e, p, "dims_mm", true, d)) {
            json_decref(clean);
            return api_fail(r);
        }
        json_array_append_new(clean, json_pack("{s:I,s:o}", "weight_g", (json_int_t)w, "dims_mm",
                                               j_dims(d)));
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    c->parcels_json = hc_arena_strdup(r->arena, text);
    free(text);
    json_decref(clean);
    return api_write(r, action_job, action_render, c);
}

/* ---- waves ---------------------------------------------------------------------------------- */

static json_t *render_wave(const struct hc_wave *w)
{
    json_t *orders = json_array(), *picks = json_array(), *batches = json_array();
    for (size_t i = 0; i < w->norders; i++)
        json_array_append_new(orders, json_string(w->orders[i]));
    for (size_t i = 0; i < w->npicks; i++) {
        const struct hc_pick *p = &w->picks[i];
        json_array_append_new(picks, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I}", "seq",
                                               (json_int_t)p->seq, "location", p->location,
                                               "seller", p->seller, "sku", p->sku, "qty",
                                               (json_int_t)p->qty, "order", p->order, "batch",
                                               (json_int_t)(p->batch ? p->batch : 1)));
    }
    for (size_t b = 0; b < w->nbatches; b++) {
        const struct hc_wave_batch *wb = &w->batches[b];
        json_t *totes = json_array(), *seq = json_array(), *route = json_array();
        for (size_t k = 0; k < wb->norders; k++)
            json_array_append_new(totes, json_pack("{s:I,s:s}", "tote", (json_int_t)k + 1,
                                                   "order", wb->orders[k]));
        /* the walk: picks by seq, with the turn points between them */
        size_t t = 0;
        for (int64_t sq = wb->first_seq - 1; sq <= wb->last_seq; sq++) {
            if (sq >= wb->first_seq) {
                json_array_append_new(seq, json_integer(sq));
                json_array_append_new(route, json_pack("{s:s,s:I}", "kind", "pick", "seq",
                                                       (json_int_t)sq));
            }
            for (; t < wb->nturns && wb->turns[t].after_seq == sq; t++)
                json_array_append_new(route, json_pack("{s:s,s:I,s:I,s:i}", "kind", "turn",
                                                       "aisle", (json_int_t)wb->turns[t].aisle,
                                                       "y_mm", (json_int_t)wb->turns[t].y_mm,
                                                       "cross", wb->turns[t].cross));
        }
        json_t *jb = json_pack("{s:I,s:I,s:o,s:o,s:o,s:I,s:I,s:I}", "batch", (json_int_t)wb->no,
                               "route_length_mm", (json_int_t)wb->route_length_mm, "picks", seq,
                               "route", route, "totes", totes, "lines", (json_int_t)wb->lines,
                               "volume_mm3", (json_int_t)wb->volume_mm3, "weight_g",
                               (json_int_t)wb->weight_g);
        if (wb->route_policy)
            json_object_set_new(jb, "route_policy", json_string(wb->route_policy));
        json_array_append_new(batches, jb);
    }
    json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:I,s:o,s:o}", "id", w->id, "warehouse", w->warehouse,
                          "orders", orders, "picks", picks, "route_length_mm",
                          (json_int_t)w->route_length_mm, "created_at", j_time(w->created_at),
                          "batches", batches);
    if (w->route_policy)
        json_object_set_new(o, "route_policy", json_string(w->route_policy));
    return o;
}

struct wave_ctx {
    const char *warehouse, *actor;
    int64_t max_orders;
    hc_arena *arena;
    bool has_cart;
    struct hc_wave_cart cart;
    const char **orders; /* NULL: the oldest allocated orders */
    size_t norders;
    struct hc_wave w;
};

static int wave_job(hc_store *s, void *ctx, hc_err *err)
{
    struct wave_ctx *c = ctx;
    if (c->orders)
        return hc_wave_release_orders(s, c->arena, c->warehouse, c->orders, c->norders,
                                      c->has_cart ? &c->cart : NULL, c->actor, &c->w, err);
    return hc_wave_release_cart(s, c->arena, c->warehouse, (int)c->max_orders,
                                c->has_cart ? &c->cart : NULL, NULL, c->actor, &c->w, err);
}

static int wave_render(struct req *r)
{
    struct wave_ctx *c = r->ctx;
    return api_reply(r, 201, render_wave(&c->w));
}

/* The body's orders: 1..HC_WAVE_ORDERS_MAX order ids, without max_orders. */
static int wave_orders(struct req *r, json_t *b, struct wave_ctx *c)
{
    json_t *arr;
    if (jv_array(r, b, "", "orders", HC_WAVE_ORDERS_MAX, &arr))
        return r->err.code;
    if (json_array_size(arr) == 0)
        return hc_err_set(&r->err, HC_EINVAL, "orders", "must list at least one order");
    if (json_object_get(b, "max_orders"))
        return hc_err_set(&r->err, HC_EINVAL, "max_orders", "not allowed with orders");
    c->norders = json_array_size(arr);
    c->orders = hc_arena_alloc(r->arena, sizeof(*c->orders) * c->norders);
    for (size_t i = 0; i < c->norders; i++)
        if (jv_item_str(r, arr, "orders", i, &c->orders[i]))
            return r->err.code;
    return HC_OK;
}

/* POST /v1/waves: warehouse, max_orders? (orders in the wave), cart? (the
 * picker's cart: max_orders, max_lines, max_volume_mm3, max_weight_g, totes;
 * each optional, 0 or absent = no limit), cutoff_window_min? (orders whose
 * cut-off key falls in the same window may share a trip; default 60),
 * orders? (exactly these order ids, each an allocated order of the warehouse;
 * max_orders is then not allowed). */
int h_wave_create(struct req *r)
{
    json_t *b, *cart;
    struct wave_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->max_orders = 50;
    c->actor = api_actor(r);
    c->arena = r->arena;
    int64_t window_min = 60;
    if (jv_body(r, &b) || jv_str(r, b, "", "warehouse", true, &c->warehouse) ||
        jv_int(r, b, "", "max_orders", false, 1, HC_WAVE_ORDERS_MAX, &c->max_orders) ||
        jv_object(r, b, "", "cart", false, &cart) ||
        jv_int(r, b, "", "cutoff_window_min", false, 1, 7 * 24 * 60, &window_min))
        return api_fail(r);
    if (json_object_get(b, "orders") && wave_orders(r, b, c))
        return api_fail(r);
    if (cart) {
        struct hc_cart *k = &c->cart.cart;
        if (jv_int(r, cart, "cart", "max_orders", false, 0, HC_WAVE_ORDERS_MAX, &k->max_orders) ||
            jv_int(r, cart, "cart", "max_lines", false, 0, 100000, &k->max_lines) ||
            jv_int(r, cart, "cart", "max_volume_mm3", false, 0, INT64_C(1000000000000),
                   &k->max_volume_mm3) ||
            jv_int(r, cart, "cart", "max_weight_g", false, 0, INT64_C(10000000), &k->max_weight_g) ||
            jv_int(r, cart, "cart", "totes", false, 0, 200, &k->totes))
            return api_fail(r);
        c->has_cart = true;
        c->cart.due_window_ms = window_min * 60000;
        c->cart.budget_ms = 100;
    }
    if (!api_may_warehouse(r, c->warehouse))
        return not_found(r, "warehouse", "warehouse", c->warehouse);
    return api_write(r, wave_job, wave_render, c);
}

int h_wave_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_wave w;
    if (st == NULL || hc_wave_get(st, r->arena, r->params[0], &w, &r->err))
        return api_fail(r);
    if (!api_may_warehouse(r, w.warehouse))
        return not_found(r, "id", "wave", r->params[0]);
    return api_reply(r, 200, render_wave(&w));
}

int h_wave_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *wh = api_query(r, "warehouse");
    if (!api_scope(r, NULL, &wh))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_wave *items;
    size_t n;
    const char *next;
    if (hc_wave_list(st, r->arena, wh, &pg, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_wave(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- returns ---------------------------------------------------------------------------------- */

static json_t *render_return(const struct hc_return *rt)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < rt->nlines; i++)
        json_array_append_new(lines, json_pack("{s:s,s:I,s:s}", "sku", rt->lines[i].sku, "qty",
                                               (json_int_t)rt->lines[i].qty, "condition",
                                               rt->lines[i].condition));
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", rt->id, "order", rt->order, "seller",
                     rt->seller, "warehouse", rt->warehouse, "lines", lines, "created_at",
                     j_time(rt->created_at));
}

struct return_ctx {
    struct hc_return rt;
    const char *actor, *tenant_seller, *tenant_warehouse;
    hc_arena *arena;
};

static int return_job(hc_store *s, void *ctx, hc_err *err)
{
    struct return_ctx *c = ctx;
    struct hc_order o;
    int rc = hc_order_get(s, c->arena, c->rt.order, &o, err);
    if (rc == HC_ENOTFOUND ||
        (rc == HC_OK && ((c->tenant_seller && strcmp(o.seller, c->tenant_seller) != 0) ||
                         (c->tenant_warehouse &&
                          (o.warehouse == NULL || strcmp(o.warehouse, c->tenant_warehouse) != 0))))) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "order", "no order %s", c->rt.order);
    }
    if (rc != HC_OK)
        return rc;
    c->rt.seller = NULL;
    rc = hc_return_create(s, c->arena, &c->rt, c->actor, err);
    return rc ? rc : hc_charge_return(s, c->arena, &c->rt, c->actor, err);
}

static int return_render(struct req *r)
{
    struct return_ctx *c = r->ctx;
    return api_reply(r, 201, render_return(&c->rt));
}

int h_return_create(struct req *r)
{
    json_t *b, *arr;
    struct return_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->actor = api_actor(r);
    c->arena = r->arena;
    c->tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    c->tenant_warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    if (jv_body(r, &b) || jv_str(r, b, "", "order", true, &c->rt.order) ||
        jv_array(r, b, "", "lines", HC_ORDER_LINES_MAX, &arr))
        return api_fail(r);
    c->rt.nlines = json_array_size(arr);
    if (c->rt.nlines == 0) {
        hc_err_set(&r->err, HC_EINVAL, "lines", "must hold at least one line");
        return api_fail(r);
    }
    c->rt.lines = hc_arena_alloc(r->arena, sizeof(*c->rt.lines) * c->rt.nlines);
    for (size_t i = 0; i < c->rt.nlines; i++) {
        json_t *e;
        const char *p;
        struct hc_qty_line *l = &c->rt.lines[i];
        if (jv_item(r, arr, "lines", i, &e, &p) || jv_str(r, e, p, "sku", true, &l->sku) ||
            jv_int(r, e, p, "qty", true, 1, HC_ORDER_QTY_MAX, &l->qty) ||
            jv_str(r, e, p, "condition", true, &l->condition))
            return api_fail(r);
        if (strcmp(l->condition, "sellable") != 0 && strcmp(l->condition, "damaged") != 0) {
            hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "condition"),
                       "must be \"sellable\" or \"damaged\"");
            return api_fail(r);
        }
    }
    return api_write(r, return_job, return_render, c);
}

int h_return_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_return rt;
    if (st == NULL || hc_return_get(st, r->arena, r->params[0], &rt, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, rt.seller) || !api_may_warehouse(r, rt.warehouse))
        return not_found(r, "id", "return", r->params[0]);
    return api_reply(r, 200, render_return(&rt));
}

int h_return_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    if (!api_scope(r, &seller, &wh))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_return *items;
    size_t n;
    const char *next;
    if (hc_return_list(st, r->arena, seller, wh, &pg, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_return(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* h_lastmile.c: carrier services, rate shopping, boxes, choice rules,
 * parcels and their labels over HTTP (src/lastmile does the work).
 * Operators and admins write services, boxes, rules and parcels; sellers
 * read the services of the warehouses, shop rates, and read their own
 * orders' parcels and labels. */
#include "internal.h"

#include "lastmile/lastmile.h"
#include "render/render.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX (4 << 20)
#define IMPORT_MAX 200

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* ---- rendering ------------------------------------------------------------------------- */

static json_t *j_dec(int64_t minor, const char *currency)
{
    char buf[40];
    int sc = hc_currency_scale(currency);
    hc_decimal_format(minor, sc < 0 ? 2 : sc, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *render_service(const struct hc_lm_service *s)
{
    const char *cur = s->currency;
    json_t *zones = json_array(), *prices = json_array(), *days = json_array();
    json_t *ddays = json_array();
    for (size_t i = 0; i < s->nzones; i++)
        json_array_append_new(zones, json_pack("{s:s,s:s,s:s,s:s}", "zone", s->zones[i].zone,
                                               "country", s->zones[i].country, "from",
                                               s->zones[i].from, "to", s->zones[i].to));
    for (size_t i = 0; i < s->nprices; i++)
        json_array_append_new(prices, json_pack("{s:s,s:I,s:o}", "zone", s->prices[i].zone,
                                                "max_weight_g",
                                                (json_int_t)s->prices[i].max_weight_g, "price",
                                                j_dec(s->prices[i].minor, cur)));
    int dmask = s->delivery_days ? s->delivery_days : 0x1f;
    for (int d = 0; d < 7; d++) {
        if (s->pickup_days & (1 << d))
            json_array_append_new(days, json_integer(d + 1));
        if (dmask & (1 << d))
            json_array_append_new(ddays, json_integer(d + 1));
    }
    char pct[16], cut[8];
    hc_decimal_format(s->fuel_bp, 2, pct, sizeof(pct));
    snprintf(cut, sizeof(cut), "%02d:%02d", s->cutoff_min / 60 % 100, s->cutoff_min % 60);
    json_t *num = json_pack("{s:s,s:s,s:I,s:I}", "kind", hc_lm_numbering_name(s->numbering),
                            "prefix", s->num_prefix ? s->num_prefix : "", "from",
                            (json_int_t)s->num_from, "to", (json_int_t)s->num_to);
    if (s->numbering == HC_LM_NUM_S10)
        json_object_set_new(num, "country", json_string(s->num_country ? s->num_country : ""));
    else
        json_object_set_new(num, "extension", json_integer(s->num_extension));
    json_t *out = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:s,s:o,s:I,s:s,s:o,"
        "s:o,s:s,s:o,s:o,s:o,s:s}",
        "id", s->id, "warehouse", s->warehouse, "code", s->code, "carrier", s->carrier, "name",
        s->name, "version", (json_int_t)s->version, "currency", cur, "effective_from",
        s->effective_from, "effective_to", j_str_or_null(s->effective_to), "replaces",
        j_str_or_null(s->replaces), "superseded_by", j_str_or_null(s->superseded_by),
        "dim_divisor", (json_int_t)s->dim_divisor, "max_weight_g", (json_int_t)s->max_weight_g,
        "max_length_mm", (json_int_t)s->max_length_mm, "max_girth_mm",
        (json_int_t)s->max_girth_mm, "max_length_girth_mm", (json_int_t)s->max_length_girth_mm,
        "fuel_pct", pct, "residential_surcharge", j_dec(s->residential_minor, cur),
        "transit_days", (json_int_t)s->transit_days, "cutoff", cut, "pickup_days", days,
        "numbering", num, "two_d", hc_lm_2d_name(s->two_d), "zones", zones, "prices", prices,
        "created_at", j_time(s->created_at), "created_by", s->created_by ? s->created_by : "");
    json_object_set_new(out, "delivery_days", ddays);
    json_object_set_new(out, "holidays", j_str_or_null(s->holidays));
    return out;
}

/* ---- POST /v1/carrier-services ------------------------------------------------------------ */

static int dec_field(struct req *r, json_t *obj, const char *prefix, const char *key,
                     bool required, const char *currency, int64_t *out)
{
    const char *s;
    if (jv_str(r, obj, prefix, key, required, &s))
        return r->err.code;
    if (s == NULL)
        return HC_OK;
    int sc = hc_currency_scale(currency);
    if (sc < 0 || hc_decimal_parse(s, sc, out) != HC_OK || *out < 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                          "must be a decimal string >= 0 with at most %d fraction digits", sc);
    return HC_OK;
}

static int parse_numbering(struct req *r, json_t *b, struct hc_lm_service *s)
{
    json_t *n;
    const char *kind;
    int64_t ext = 0;
    if (jv_object(r, b, "", "numbering", true, &n) ||
        jv_str(r, n, "numbering", "kind", true, &kind) ||
        jv_str(r, n, "numbering", "prefix", true, &s->num_prefix) ||
        jv_str(r, n, "numbering", "country", false, &s->num_country) ||
        jv_int(r, n, "numbering", "extension", false, 0, 9, &ext) ||
        jv_int(r, n, "numbering", "from", false, 0, INT64_MAX / 4, &s->num_from) ||
        jv_int(r, n, "numbering", "to", true, 0, INT64_MAX / 4, &s->num_to))
        return r->err.code;
    s->num_extension = (int)ext;
    if ((s->numbering = hc_lm_numbering_parse(kind)) < 0)
        return hc_err_set(&r->err, HC_EINVAL, "numbering.kind", "must be s10 or sscc");
    return HC_OK;
}

static int parse_zones(struct req *r, json_t *b, struct hc_lm_service *s)
{
    json_t *za, *pa;
    if (jv_array(r, b, "", "zones", HC_LM_ZONES_MAX, &za) ||
        jv_array(r, b, "", "prices", HC_LM_PRICES_MAX, &pa))
        return r->err.code;
    s->nzones = json_array_size(za);
    s->nprices = json_array_size(pa);
    s->zones = hc_arena_alloc(r->arena, sizeof(*s->zones) * (s->nzones + 1));
    s->prices = hc_arena_alloc(r->arena, sizeof(*s->prices) * (s->nprices + 1));
    for (size_t i = 0; i < s->nzones; i++) {
        json_t *e;
        const char *p, *country;
        struct hc_lm_zone_range *z = &s->zones[i];
        if (jv_item(r, za, "zones", i, &e, &p) || jv_str(r, e, p, "zone", true, &z->zone) ||
            jv_str(r, e, p, "country", true, &country) ||
            jv_str(r, e, p, "from", false, &z->from) || jv_str(r, e, p, "to", false, &z->to))
            return r->err.code;
        if (strlen(country) != 2)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "country"),
                              "must be an ISO 3166-1 alpha-2 code");
        memcpy(z->country, country, 3);
        z->from = z->from ? z->from : "";
        z->to = z->to ? z->to : "";
    }
    for (size_t i = 0; i < s->nprices; i++) {
        json_t *e;
        const char *p;
        struct hc_lm_price *x = &s->prices[i];
        if (jv_item(r, pa, "prices", i, &e, &p) || jv_str(r, e, p, "zone", true, &x->zone) ||
            jv_int(r, e, p, "max_weight_g", true, 1, 10000000, &x->max_weight_g) ||
            dec_field(r, e, p, "price", true, s->currency, &x->minor))
            return r->err.code;
    }
    return HC_OK;
}

/* ISO weekdays [1-7] of key as a mask into *mask (Monday-Friday when absent or empty). */
static int weekdays_of(struct req *r, json_t *b, const char *key, int *mask)
{
    json_t *d;
    *mask = 0x1f;
    if (json_object_get(b, key) == NULL && strcmp(key, "delivery_days") == 0)
        return HC_OK; /* optional; pickup_days stays required as before */
    if (jv_array(r, b, "", key, 7, &d))
        return r->err.code;
    *mask = 0;
    for (size_t i = 0; i < json_array_size(d); i++) {
        json_t *v = json_array_get(d, i);
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;
        if (x < 1 || x > 7)
            return hc_err_set(&r->err, HC_EINVAL, hc_arena_printf(r->arena, "%s[%zu]", key, i),
                              "must be an ISO weekday 1 (Monday) to 7");
        *mask |= 1 << (x - 1);
    }
    if (json_array_size(d) == 0)
        *mask = 0x1f;
    return HC_OK;
}

static int parse_days(struct req *r, json_t *b, struct hc_lm_service *s)
{
    if (weekdays_of(r, b, "pickup_days", &s->pickup_days) ||
        weekdays_of(r, b, "delivery_days", &s->delivery_days) ||
        jv_str(r, b, "", "holidays", false, &s->holidays))
        return r->err.code;
    return HC_OK;
}

static int parse_service(struct req *r, json_t *b, struct hc_lm_service *s)
{
    const char *pct = NULL, *cutoff = NULL, *two_d = NULL;
    if (jv_str(r, b, "", "warehouse", true, &s->warehouse) ||
        jv_str(r, b, "", "code", true, &s->code) ||
        jv_str(r, b, "", "carrier", true, &s->carrier) ||
        jv_str(r, b, "", "name", true, &s->name) ||
        jv_str(r, b, "", "currency", true, &s->currency) ||
        jv_str(r, b, "", "effective_from", true, &s->effective_from) ||
        jv_str(r, b, "", "effective_to", false, &s->effective_to) ||
        jv_str(r, b, "", "replaces", false, &s->replaces) ||
        jv_int(r, b, "", "dim_divisor", false, 0, 1000000, &s->dim_divisor) ||
        jv_int(r, b, "", "max_weight_g", false, 0, 10000000, &s->max_weight_g) ||
        jv_int(r, b, "", "max_length_mm", false, 0, 20000, &s->max_length_mm) ||
        jv_int(r, b, "", "max_girth_mm", false, 0, 60000, &s->max_girth_mm) ||
        jv_int(r, b, "", "max_length_girth_mm", false, 0, 80000, &s->max_length_girth_mm) ||
        jv_str(r, b, "", "fuel_pct", false, &pct) ||
        jv_int(r, b, "", "transit_days", true, 0, 60, &s->transit_days) ||
        jv_str(r, b, "", "cutoff", false, &cutoff) || jv_str(r, b, "", "two_d", false, &two_d))
        return r->err.code;
    if (hc_currency_scale(s->currency) < 0)
        return hc_err_set(&r->err, HC_EINVAL, "currency", "is not an ISO 4217 currency");
    if (pct && (hc_decimal_parse(pct, 2, &s->fuel_bp) != HC_OK || s->fuel_bp < 0 ||
                s->fuel_bp > 10000))
        return hc_err_set(&r->err, HC_EINVAL, "fuel_pct",
                          "must be a percentage from 0 to 100 with at most 2 decimals");
    s->cutoff_min = cutoff ? hc_lm_cutoff_parse(cutoff) : 17 * 60;
    if (s->cutoff_min < 0)
        return hc_err_set(&r->err, HC_EINVAL, "cutoff", "must be a local time HH:MM");
    if ((s->two_d = two_d ? hc_lm_2d_parse(two_d) : HC_LM_2D_NONE) < 0)
        return hc_err_set(&r->err, HC_EINVAL, "two_d", "must be none, qr or datamatrix");
    if (dec_field(r, b, "", "residential_surcharge", false, s->currency, &s->residential_minor) ||
        parse_days(r, b, s) || parse_numbering(r, b, s) || parse_zones(r, b, s))
        return r->err.code;
    return hc_lm_service_validate(s, &r->err);
}

/* an import names service i "services[i]." */
static const struct api_row_name svc_row = {"services[", "].", 0};

struct svc_ctx {
    struct hc_lm_service *v;
    size_t n;
    const char *actor;
    hc_arena *arena;
};

static int svc_put(hc_store *s, void *ctx, size_t i, hc_err *err)
{
    struct svc_ctx *c = ctx;
    return hc_lm_service_create(s, c->arena, &c->v[i], c->actor, err);
}

static int svc_job(hc_store *s, void *ctx, hc_err *err)
{
    struct svc_ctx *c = ctx;
    if (c->n == 1) /* one service created: its own fields */
        return svc_put(s, ctx, 0, err);
    return api_rows_put(s, ctx, c->n, svc_put, &svc_row, err);
}

static int svc_render(struct req *r)
{
    struct svc_ctx *c = r->ctx;
    return api_reply(r, 201, render_service(&c->v[0]));
}

static int svc_import_render(struct req *r)
{
    struct svc_ctx *c = r->ctx;
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(arr, render_service(&c->v[i]));
    return api_reply(r, 201, json_pack("{s:I,s:o}", "created", (json_int_t)c->n, "items", arr));
}

static struct svc_ctx *svc_ctx_new(struct req *r)
{
    struct svc_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    return c;
}

int h_carrier_service_create(struct req *r)
{
    json_t *b;
    struct svc_ctx *c = svc_ctx_new(r);
    c->v = hc_arena_alloc(r->arena, sizeof(*c->v));
    c->n = 1;
    if (jv_body(r, &b) || parse_service(r, b, c->v))
        return api_fail(r);
    if (!api_may_warehouse(r, c->v->warehouse))
        return fail_field(r, HC_EINVAL, "warehouse", "no such warehouse");
    return api_write(r, svc_job, svc_render, c);
}

int h_carrier_service_import(struct req *r)
{
    struct svc_ctx *c = svc_ctx_new(r);
    struct api_sheet_body body;
    if (api_sheet_body(r, "service,warehouse,item,key,from,to,value", &body) ||
        (body.xlsx ? hc_lm_sheet_parse(r->arena, &body.sheet, &c->v, &c->n, &r->err)
                   : hc_lm_csv_parse(r->arena, r->body.p, r->body.n, &c->v, &c->n, &r->err)))
        return api_fail(r);
    if (c->n > IMPORT_MAX)
        return fail_field(r, HC_EINVAL, "body", "at most 200 services in one import");
    if (api_rows_warehouses(r, c->v, c->n, sizeof(*c->v), offsetof(struct hc_lm_service, warehouse),
                            &svc_row))
        return api_fail(r);
    return api_write(r, svc_job, svc_import_render, c);
}

int h_carrier_service_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_service s;
    if (st == NULL || hc_lm_service_get(st, r->arena, r->params[0], &s, &r->err))
        return api_fail(r);
    if (!api_may_warehouse(r, s.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such carrier service");
    return api_reply(r, 200, render_service(&s));
}

int h_carrier_service_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_lm_service_filter f = {.warehouse = api_query(r, "warehouse"),
                                     .carrier = api_query(r, "carrier"),
                                     .code = api_query(r, "code"),
                                     .cursor = pg.cursor,
                                     .limit = pg.limit};
    if (api_query_bool(r, "all", false, &f.include_superseded))
        return api_fail(r);
    const char *seller = NULL;
    if (r->who.role != ROLE_SELLER && !api_scope(r, &seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_lm_service *v;
    size_t n;
    const char *next;
    if (hc_lm_service_list(st, r->arena, &f, &v, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_service(&v[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- POST /v1/rates ------------------------------------------------------------------------ */

struct rates_in {
    const char *warehouse, *country, *postcode, *deliver_by, *service;
    const char *order, *channel, *seller;
    bool residential;
    struct hc_lm_parcel_in parcels[HC_LM_PARCELS_MAX];
    size_t nparcels;
};

static int parse_parcels_in(struct req *r, json_t *b, struct rates_in *in)
{
    json_t *arr;
    if (jv_array(r, b, "", "parcels", HC_LM_PARCELS_MAX, &arr))
        return r->err.code;
    if (json_array_size(arr) == 0)
        return hc_err_set(&r->err, HC_EINVAL, "parcels", "must hold at least one parcel");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e;
        const char *p;
        struct hc_lm_parcel_in *x = &in->parcels[i];
        if (jv_item(r, arr, "parcels", i, &e, &p) ||
            jv_int(r, e, p, "weight_g", true, 1, 10000000, &x->weight_g) ||
            jv_dims(r, e, p, "dims_mm", true, x->dims_mm))
            return r->err.code;
        for (int d = 0; d < 3; d++)
            if (x->dims_mm[d] < 1 || x->dims_mm[d] > 20000)
                return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "dims_mm"),
                                  "each side from 1 to 20000 mm");
        in->nparcels++;
    }
    return HC_OK;
}

static int ship_to_of(struct req *r, json_t *st, const char *prefix, struct rates_in *in)
{
    if (jv_str(r, st, prefix, "country", true, &in->country) ||
        jv_str(r, st, prefix, "postcode", true, &in->postcode) ||
        jv_bool(r, st, prefix, "residential", false, &in->residential))
        return r->err.code;
    char pc[HC_LM_POSTCODE_MAX + 1];
    if (strlen(in->country) != 2)
        return hc_err_set(&r->err, HC_EINVAL, "ship_to.country",
                          "must be an ISO 3166-1 alpha-2 code");
    if (!hc_lm_postcode_norm(in->postcode, pc) || pc[0] == '\0')
        return hc_err_set(&r->err, HC_EINVAL, "ship_to.postcode",
                          "must be letters and digits (spaces and dashes are dropped)");
    return HC_OK;
}

/* The order's warehouse, ship-to and (unless parcels are given) one parcel
 * of its lines' volume and weight. */
static int rates_from_order(struct req *r, hc_store *st, json_t *b, struct rates_in *in)
{
    struct hc_order o;
    if (hc_order_get(st, r->arena, in->order, &o, &r->err)) {
        if (r->err.code == HC_ENOTFOUND) {
            hc_err_clear(&r->err);
            return hc_err_set(&r->err, HC_EINVAL, "order", "no order %s", in->order);
        }
        return r->err.code;
    }
    if (!api_may_seller(r, o.seller) || !api_may_warehouse(r, o.warehouse) || !o.warehouse)
        return hc_err_set(&r->err, HC_EINVAL, "order", "no order %s with a warehouse",
                          in->order);
    in->warehouse = o.warehouse;
    in->channel = o.channel;
    in->seller = o.seller;
    json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
    const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
    in->country = o.ship_country;
    in->postcode = hc_arena_strdup(r->arena, pc ? pc : "");
    json_decref(sh);
    if (json_object_get(b, "parcels"))
        return parse_parcels_in(r, b, in);
    struct hc_lm_parcel_in *p = &in->parcels[0];
    double vol = 0;
    for (size_t i = 0; i < o.nlines; i++) {
        struct hc_sku k;
        if (hc_sku_get(st, r->arena, o.seller, o.lines[i].sku, &k, &r->err))
            return r->err.code;
        p->weight_g += k.weight_g * o.lines[i].qty;
        vol += (double)k.dims_mm[0] * (double)k.dims_mm[1] * (double)k.dims_mm[2] *
               (double)o.lines[i].qty;
    }
    /* a cube of the lines' volume: a stand-in until the pack step measures it */
    double side = ceil(cbrt(vol));
    p->dims_mm[0] = p->dims_mm[1] = p->dims_mm[2] =
        side < 1 ? 1 : side > 20000 ? 20000 : (int64_t)side;
    if (p->weight_g < 1)
        p->weight_g = 1;
    in->nparcels = 1;
    return HC_OK;
}

static json_t *render_quote(const struct hc_lm_service *sv, const struct hc_lm_quote *q,
                            size_t nparcels)
{
    const struct hc_lm_service *s = &sv[q->service];
    json_t *ps = json_array();
    for (size_t i = 0; i < nparcels; i++)
        json_array_append_new(ps, json_pack("{s:I}", "billable_weight_g",
                                             (json_int_t)q->billable_g[i]));
    json_t *out = json_pack("{s:{s:s,s:s,s:s,s:s},s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:s,s:s,s:I}", "service",
                     "id", s->id, "code", s->code, "carrier", s->carrier, "name", s->name,
                     "zone", q->zone, "price", j_money(q->total_minor, s->currency), "base",
                     j_money(q->base_minor, s->currency), "fuel",
                     j_money(q->fuel_minor, s->currency), "residential",
                     j_money(q->residential_minor, s->currency), "billable_weight_g",
                     (json_int_t)q->billable_total_g, "parcels", ps, "ship_day", q->ship_day,
                     "deliver_day", q->deliver_day, "transit_days",
                     (json_int_t)s->transit_days);
    json_object_set_new(out, "calendars",
                        json_pack("{s:s?,s:s?}", "pickup", q->pickup_calendar, "delivery",
                                  q->delivery_calendar));
    return out;
}

static int rule_of(hc_store *st, struct req *r, const char *wh, const char *kind,
                   const char *match, const char **out)
{
    *out = NULL;
    struct hc_lm_rule *v;
    size_t n;
    if (match == NULL || hc_lm_rule_list(st, r->arena, wh, &v, &n, &r->err))
        return match == NULL ? HC_OK : r->err.code;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].kind, kind) == 0 && strcmp(v[i].match, match) == 0)
            *out = v[i].service;
    return HC_OK;
}

int h_rates(struct req *r)
{
    hc_store *st = api_reader(r);
    json_t *b, *sh;
    struct rates_in *in = hc_arena_alloc(r->arena, sizeof(*in));
    if (st == NULL || jv_body(r, &b) || jv_str(r, b, "", "order", false, &in->order) ||
        jv_str(r, b, "", "deliver_by", false, &in->deliver_by))
        return api_fail(r);
    int64_t ms;
    if (in->deliver_by && (strlen(in->deliver_by) != 10 ||
                           hc_time_parse_iso(in->deliver_by, &ms) != HC_OK))
        return fail_field(r, HC_EINVAL, "deliver_by", "must be a date YYYY-MM-DD");
    if (in->order) {
        if (rates_from_order(r, st, b, in))
            return api_fail(r);
    } else if (jv_str(r, b, "", "warehouse", true, &in->warehouse) ||
               jv_object(r, b, "", "ship_to", true, &sh) || ship_to_of(r, sh, "ship_to", in) ||
               parse_parcels_in(r, b, in)) {
        return api_fail(r);
    } else if (!api_may_warehouse(r, in->warehouse) || !hc_warehouse_exists(st, in->warehouse,
                                                                              &r->err)) {
        return r->err.code ? api_fail(r)
                           : fail_field(r, HC_EINVAL, "warehouse", "no such warehouse");
    }
    struct hc_lm_request rq = {.country = in->country, .postcode = in->postcode,
                               .residential = in->residential, .parcels = in->parcels,
                               .nparcels = in->nparcels};
    char day[11];
    struct hc_lm_service *sv;
    size_t nsv, nq = 0;
    if (hc_lm_local_now(st, r->arena, in->warehouse, day, &rq.local_min, &r->err) ||
        hc_lm_services_on(st, r->arena, in->warehouse, day, &sv, &nsv, &r->err))
        return api_fail(r);
    rq.local_day = day;
    if (nsv == 0)
        return fail_field(r, HC_ECONFLICT, "warehouse", "the warehouse has no carrier service");
    hc_lm_rater *rt;
    struct hc_lm_quote *q = hc_arena_alloc(r->arena, sizeof(*q) * nsv);
    if (hc_lm_rater_for(st, r->arena, in->warehouse, in->country, day, sv, nsv, &rt, &r->err))
        return api_fail(r);
    int rc = hc_lm_rate(rt, &rq, q, &nq, &r->err);
    hc_lm_rater_free(rt);
    if (rc != HC_OK)
        return api_fail(r);
    const char *by_channel = NULL, *by_seller = NULL, *why = NULL;
    if (rule_of(st, r, in->warehouse, "channel", in->channel, &by_channel) ||
        rule_of(st, r, in->warehouse, "seller", in->seller, &by_seller))
        return api_fail(r);
    ptrdiff_t pick = hc_lm_choose(sv, q, nq, by_channel, by_seller, in->deliver_by, &why);
    json_t *arr = json_array();
    for (size_t i = 0; i < nq; i++)
        json_array_append_new(arr, render_quote(sv, &q[i], in->nparcels));
    json_t *chosen = pick < 0 ? json_null()
                              : json_pack("{s:s,s:s}", "service", sv[q[pick].service].code,
                                          "by", why);
    return api_reply(r, 200,
                     json_pack("{s:s,s:s,s:o,s:o}", "warehouse", in->warehouse, "asked_day", day,
                               "items", arr, "chosen", chosen));
}

/* ---- boxes and rules --------------------------------------------------------------------- */

struct box_ctx {
    const char *warehouse;
    struct hc_lm_box *v;
    size_t n;
};

static int box_job(hc_store *s, void *ctx, hc_err *err)
{
    struct box_ctx *c = ctx;
    for (size_t i = 0; i < c->n; i++) {
        int rc = hc_lm_box_put(s, &c->v[i], err);
        if (rc != HC_OK) {
            char f[HC_ERR_FIELD_MAX + 32];
            snprintf(f, sizeof(f), "boxes[%zu].%s", i, err->field);
            hc_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
    }
    return HC_OK;
}

static json_t *render_boxes(const struct hc_lm_box *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:o,s:I,s:I}", "code", v[i].code, "dims_mm",
                                             j_dims(v[i].dims_mm), "max_weight_g",
                                             (json_int_t)v[i].max_weight_g, "tare_g",
                                             (json_int_t)v[i].tare_g));
    return arr;
}

static int box_render(struct req *r)
{
    struct box_ctx *c = r->ctx;
    return api_reply(r, 201, json_pack("{s:I,s:o}", "created", (json_int_t)c->n, "items",
                                       render_boxes(c->v, c->n)));
}

int h_boxes_put(struct req *r)
{
    json_t *b, *arr;
    struct box_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->warehouse = r->params[0];
    if (!api_may_warehouse(r, c->warehouse))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (jv_body(r, &b) || jv_array(r, b, "", "boxes", 200, &arr))
        return api_fail(r);
    c->n = json_array_size(arr);
    if (c->n == 0)
        return fail_field(r, HC_EINVAL, "boxes", "must hold at least one box");
    c->v = hc_arena_alloc(r->arena, sizeof(*c->v) * c->n);
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p;
        struct hc_lm_box *x = &c->v[i];
        x->warehouse = c->warehouse;
        if (jv_item(r, arr, "boxes", i, &e, &p) || jv_str(r, e, p, "code", true, &x->code) ||
            jv_dims(r, e, p, "dims_mm", true, x->dims_mm) ||
            jv_int(r, e, p, "max_weight_g", true, 1, 10000000, &x->max_weight_g) ||
            jv_int(r, e, p, "tare_g", false, 0, 1000000, &x->tare_g))
            return api_fail(r);
    }
    return api_write(r, box_job, box_render, c);
}

int h_boxes_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_box *v;
    size_t n;
    if (st == NULL)
        return api_fail(r);
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (hc_lm_box_list(st, r->arena, r->params[0], &v, &n, &r->err))
        return api_fail(r);
    return api_reply(r, 200, j_page(render_boxes(v, n), NULL));
}

struct rule_ctx {
    struct hc_lm_rule rule;
};

static int rule_job(hc_store *s, void *ctx, hc_err *err)
{
    struct rule_ctx *c = ctx;
    return hc_lm_rule_put(s, &c->rule, err);
}

static int rule_render(struct req *r)
{
    struct rule_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:s,s:s,s:o}", "warehouse", c->rule.warehouse,
                                       "kind", c->rule.kind, "match", c->rule.match, "service",
                                       j_str_or_null(c->rule.service)));
}

int h_rules_put(struct req *r)
{
    json_t *b;
    struct rule_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->rule.warehouse = r->params[0];
    if (!api_may_warehouse(r, c->rule.warehouse))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (jv_body(r, &b) || jv_str(r, b, "", "kind", true, &c->rule.kind) ||
        jv_str(r, b, "", "match", true, &c->rule.match) ||
        jv_str(r, b, "", "service", false, &c->rule.service))
        return api_fail(r);
    return api_write(r, rule_job, rule_render, c);
}

int h_rules_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_rule *v;
    size_t n;
    if (st == NULL)
        return api_fail(r);
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (hc_lm_rule_list(st, r->arena, r->params[0], &v, &n, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "kind", v[i].kind, "match",
                                             v[i].match, "service", v[i].service));
    return api_reply(r, 200, j_page(arr, NULL));
}

/* ---- parcels ------------------------------------------------------------------------------- */

static json_t *render_parcel(const struct hc_lm_parcel *p)
{
    json_t *items = json_array();
    for (size_t i = 0; i < p->nitems; i++)
        json_array_append_new(items, json_pack("{s:s,s:I}", "sku", p->items[i].sku, "qty",
                                               (json_int_t)p->items[i].qty));
    char pdf[96], zpl[96];
    snprintf(pdf, sizeof(pdf), "/v1/parcels/%s/label.pdf", p->id);
    snprintf(zpl, sizeof(zpl), "/v1/parcels/%s/label.zpl", p->id);
    return json_pack(
        "{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:s,s:s},s:s,s:s,s:o,s:I,s:o,s:I,s:o,s:s,s:s,s:s,s:o,"
        "s:{s:s,s:s},s:o}",
        "id", p->id, "order", p->order_id, "warehouse", p->warehouse, "seq", (json_int_t)p->seq,
        "service", "id", p->service_id, "code", p->service_code, "carrier", p->carrier, "name",
        p->service_name, "tracking_no", p->tracking_no, "numbering",
        hc_lm_numbering_name(p->numbering), "box", j_str_or_null(*p->box ? p->box : NULL),
        "weight_g", (json_int_t)p->weight_g, "dims_mm", j_dims(p->dims_mm), "billable_weight_g",
        (json_int_t)p->billable_g, "price", j_money(p->price_minor, p->currency), "ship_day",
        p->ship_day, "deliver_day", p->deliver_day, "chosen_by", p->chosen_by, "items", items,
        "labels", "pdf", pdf, "zpl", zpl, "created_at", j_time(p->created_at));
}

struct parcels_ctx {
    const char *order, *country, *postcode, *service, *deliver_by, *actor;
    bool residential;
    struct hc_lm_parcel_req *req;
    size_t n;
    struct hc_lm_parcel *out;
    size_t nout;
    hc_arena *arena;
};

static int parcels_job(hc_store *s, void *ctx, hc_err *err)
{
    struct parcels_ctx *c = ctx;
    return hc_lm_parcels_record(s, c->arena, c->order, c->req, c->n, c->country, c->postcode,
                                c->service, c->deliver_by, c->residential, c->actor, &c->out,
                                &c->nout, err);
}

static int parcels_render(struct req *r)
{
    struct parcels_ctx *c = r->ctx;
    json_t *arr = json_array();
    for (size_t i = 0; i < c->nout; i++)
        json_array_append_new(arr, render_parcel(&c->out[i]));
    return api_reply(r, 201, j_page(arr, NULL));
}

static int visible_order(struct req *r, hc_store *st, const char *id, struct hc_order *o)
{
    if (hc_order_get(st, r->arena, id, o, &r->err))
        return r->err.code;
    if (!api_may_seller(r, o->seller) || !o->warehouse || !api_may_warehouse(r, o->warehouse))
        return hc_err_set(&r->err, HC_ENOTFOUND, "id", "no order %s", id);
    return HC_OK;
}

static int parse_items(struct req *r, json_t *e, const char *p, struct hc_lm_parcel_req *x)
{
    json_t *arr;
    if (jv_array(r, e, p, "items", HC_LM_ITEMS_MAX, &arr))
        return r->err.code;
    x->nitems = json_array_size(arr);
    x->items = hc_arena_alloc(r->arena, sizeof(*x->items) * (x->nitems + 1));
    const char *ip = hc_arena_printf(r->arena, "%s.items", p);
    for (size_t j = 0; j < x->nitems; j++) {
        json_t *it;
        const char *q;
        if (jv_item(r, arr, ip, j, &it, &q) || jv_str(r, it, q, "sku", true, &x->items[j].sku) ||
            jv_int(r, it, q, "qty", true, 1, HC_ORDER_QTY_MAX, &x->items[j].qty))
            return r->err.code;
    }
    return HC_OK;
}

int h_parcels_record(struct req *r)
{
    hc_store *st = api_reader(r);
    json_t *b, *arr;
    struct hc_order o;
    struct parcels_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->order = r->params[0];
    if (st == NULL || visible_order(r, st, c->order, &o) || jv_body(r, &b) ||
        jv_str(r, b, "", "service", false, &c->service) ||
        jv_str(r, b, "", "deliver_by", false, &c->deliver_by) ||
        jv_bool(r, b, "", "residential", false, &c->residential) ||
        jv_array(r, b, "", "parcels", HC_LM_PARCELS_MAX, &arr))
        return api_fail(r);
    int64_t ms;
    if (c->deliver_by && (strlen(c->deliver_by) != 10 ||
                          hc_time_parse_iso(c->deliver_by, &ms) != HC_OK))
        return fail_field(r, HC_EINVAL, "deliver_by", "must be a date YYYY-MM-DD");
    c->n = json_array_size(arr);
    c->req = hc_arena_alloc(r->arena, sizeof(*c->req) * (c->n + 1));
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p;
        struct hc_lm_parcel_req *x = &c->req[i];
        if (jv_item(r, arr, "parcels", i, &e, &p) || jv_str(r, e, p, "box", false, &x->box) ||
            jv_int(r, e, p, "weight_g", false, 1, 10000000, &x->weight_g) ||
            jv_dims(r, e, p, "dims_mm", false, x->dims_mm) || parse_items(r, e, p, x))
            return api_fail(r);
        if (x->dims_mm[0] && x->weight_g == 0)
            return fail_field(r, HC_EINVAL, jv_field(r, p, "weight_g"),
                              "is required with dims_mm");
    }
    json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
    const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
    c->postcode = hc_arena_strdup(r->arena, pc ? pc : "");
    c->country = o.ship_country;
    json_decref(sh);
    return api_write(r, parcels_job, parcels_render, c);
}

int h_parcels_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    struct hc_lm_parcel *v;
    size_t n;
    if (st == NULL || visible_order(r, st, r->params[0], &o) ||
        hc_lm_parcels_of(st, r->arena, o.id, &v, &n, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_parcel(&v[i]));
    return api_reply(r, 200, j_page(arr, NULL));
}

int h_box_suggestion(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    struct hc_lm_box *boxes;
    size_t nb;
    if (st == NULL || visible_order(r, st, r->params[0], &o) ||
        hc_lm_box_list(st, r->arena, o.warehouse, &boxes, &nb, &r->err))
        return api_fail(r);
    struct hc_lm_item *items = hc_arena_alloc(r->arena, sizeof(*items) * (o.nlines + 1));
    for (size_t i = 0; i < o.nlines; i++) {
        struct hc_sku k;
        if (hc_sku_get(st, r->arena, o.seller, o.lines[i].sku, &k, &r->err))
            return api_fail(r);
        items[i] = (struct hc_lm_item){.sku = o.lines[i].sku, .qty = o.lines[i].qty,
                                       .weight_g = k.weight_g};
        memcpy(items[i].dims_mm, k.dims_mm, sizeof(k.dims_mm));
    }
    ptrdiff_t bi;
    int64_t w;
    if (hc_lm_box_suggest(boxes, nb, items, o.nlines, &bi, &w, &r->err))
        return api_fail(r);
    return api_reply(r, 200,
                     json_pack("{s:s,s:o,s:I}", "order", o.id,
                               "box", bi < 0 ? json_null() : render_boxes(&boxes[bi], 1),
                               "weight_g", (json_int_t)w));
}

/* ---- labels ------------------------------------------------------------------------------- */

static void address_lines(hc_arena *a, json_t *addr, const char **lines, size_t max,
                          const char *const keys[], size_t nkeys)
{
    size_t k = 0;
    const char *city = NULL, *pc = NULL;
    for (size_t i = 0; i < nkeys && k + 1 < max; i++) {
        const char *v = json_string_value(json_object_get(addr, keys[i]));
        if (v == NULL || *v == '\0')
            continue;
        if (strcmp(keys[i], "postcode") == 0)
            pc = v;
        else if (strcmp(keys[i], "city") == 0)
            city = v;
        else
            lines[k++] = hc_arena_strdup(a, v);
    }
    if ((pc || city) && k + 1 < max)
        lines[k++] = hc_arena_printf(a, "%s %s", pc ? pc : "", city ? city : "");
    const char *c = json_string_value(json_object_get(addr, "country"));
    if (c && k < max)
        lines[k++] = hc_arena_strdup(a, c);
}

int hc_api_parcel_label(hc_store *st, hc_arena *a, const struct hc_lm_parcel *p,
                        const struct hc_warehouse *w, struct hc_lm_label *l, hc_err *err)
{
    struct hc_order o;
    int64_t count = 0;
    int rc = hc_order_get(st, a, p->order_id, &o, err);
    if (rc != HC_OK || (rc = hc_lm_parcel_count(st, p->order_id, &count, err)) != HC_OK)
        return rc;
    *l = (struct hc_lm_label){.carrier = p->carrier, .service_name = p->service_name,
                              .tracking_no = p->tracking_no, .numbering = p->numbering,
                              .two_d = p->two_d, .reference = p->order_id,
                              .weight_g = p->weight_g, .parcel_no = p->seq,
                              .parcel_count = count, .ship_day = p->ship_day};
    json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
    json_t *wa = json_loads(w->address_json ? w->address_json : "{}", 0, NULL);
    static const char *const to_keys[] = {"name", "line1", "line2", "postcode", "city"};
    static const char *const from_keys[] = {"line1", "postcode", "city"};
    l->from[0] = hc_arena_printf(a, "%s %s", w->code, w->name ? w->name : "");
    address_lines(a, wa, l->from + 1, 3, from_keys, HC_ARRAY_LEN(from_keys));
    address_lines(a, sh, l->to, 6, to_keys, HC_ARRAY_LEN(to_keys));
    const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
    l->to_postcode = hc_arena_strdup(a, pc ? pc : "");
    l->to_country = o.ship_country;
    json_decref(sh);
    json_decref(wa);
    return HC_OK;
}

int api_parcel_label(struct req *r, hc_store *st, const struct hc_lm_parcel *p,
                     const struct hc_warehouse *w, struct hc_lm_label *l)
{
    return hc_api_parcel_label(st, r->arena, p, w, l, &r->err);
}

/* A parcel of an order with an uploaded label prints that file (PDF only):
 * HC_ENOTFOUND when the order has none. */
static int uploaded_label(struct req *r, hc_store *st, const struct hc_lm_parcel *p, bool pdf)
{
    struct hc_lm_upload u;
    hc_err e = {0};
    int rc = hc_lm_upload_get(st, r->arena, p->order_id, pdf, &u, &e);
    if (rc == HC_ENOTFOUND)
        return rc;
    if (rc != HC_OK) {
        r->err = e;
        return api_fail(r);
    }
    if (!pdf)
        return fail_field(r, HC_ECONFLICT, "id",
                          "the parcel's label is the PDF the seller uploaded: no ZPL");
    return api_reply_copy(r, u.pdf, u.pdf_len, "application/pdf");
}

static int label_of(struct req *r, bool pdf)
{
    hc_store *st = api_reader(r);
    struct hc_lm_parcel p;
    struct hc_warehouse w;
    if (st == NULL || hc_lm_parcel_get(st, r->arena, r->params[0], &p, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, p.seller) || !api_may_warehouse(r, p.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such parcel");
    if (hc_warehouse_get(st, r->arena, p.warehouse, &w, &r->err))
        return api_fail(r);
    int urc = uploaded_label(r, st, &p, pdf);
    if (urc != HC_ENOTFOUND)
        return urc;
    struct hc_lm_label l;
    if (api_parcel_label(r, st, &p, &w, &l))
        return api_fail(r);
    hc_buf b;
    hc_buf_init(&b, LABEL_MAX);
    int rc = pdf ? hc_lm_label_pdf(&l, &b, &r->err) : hc_lm_label_zpl(&l, &b, &r->err);
    if (rc != HC_OK || b.p == NULL) {
        hc_buf_free(&b);
        if (rc == HC_OK)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty label");
        return api_fail(r);
    }
    return api_reply_bytes(r, &b, pdf ? "application/pdf" : "application/zpl; charset=utf-8");
}

int h_parcel_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_parcel p;
    if (st == NULL || hc_lm_parcel_get(st, r->arena, r->params[0], &p, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, p.seller) || !api_may_warehouse(r, p.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such parcel");
    return api_reply(r, 200, render_parcel(&p));
}

int h_parcel_label_pdf(struct req *r)
{
    return label_of(r, true);
}

int h_parcel_label_zpl(struct req *r)
{
    return label_of(r, false);
}

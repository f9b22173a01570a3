/* h_catalog.c: sellers, warehouses, locations, SKUs and /v1/me. */
#include "internal.h"

#include "compliance/compliance.h"

#include <stdio.h>
#include <string.h>

int h_me(struct req *r)
{
    static const char *roles[] = {"", "admin", "operator", "", "seller"};
    return api_reply(r, 200,
                     json_pack("{s:s,s:o,s:o}", "role", roles[r->who.role], "seller",
                               j_str_or_null(r->who.seller[0] ? r->who.seller : NULL), "warehouse",
                               j_str_or_null(r->who.warehouse[0] ? r->who.warehouse : NULL)));
}

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, id);
    return api_fail(r);
}

/* ---- sellers ---------------------------------------------------------------- */

static json_t *render_seller(const struct hc_seller *s)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "code", s->code, "name", s->name, "country",
                     s->country, "uscc", j_str_or_null(s->uscc), "customs_code",
                     j_str_or_null(s->customs_code), "created_at", j_time(s->created_at));
}

/* The registration's uscc and customs code by the rules of compliance
 * (check character of GB 32100-2015; customs code format). */
static int seller_codes_check(const struct hc_seller *s, hc_err *err)
{
    const char *p = s->uscc && *s->uscc ? hc_uscc_problem(s->uscc) : NULL;
    if (p)
        return hc_err_set(err, HC_EINVAL, "uscc", "%s", p);
    p = s->customs_code && *s->customs_code ? hc_customs_code_problem(s->customs_code) : NULL;
    return p ? hc_err_set(err, HC_EINVAL, "customs_code", "%s", p) : HC_OK;
}

static int seller_job(hc_store *s, void *ctx, hc_err *err)
{
    return hc_seller_create(s, ctx, err);
}

static int seller_render(struct req *r)
{
    return api_reply(r, 201, render_seller(r->ctx));
}

int h_seller_create(struct req *r)
{
    json_t *b;
    struct hc_seller *s = hc_arena_alloc(r->arena, sizeof(*s));
    if (jv_body(r, &b) || jv_str(r, b, "", "code", true, &s->code) ||
        jv_str(r, b, "", "name", true, &s->name) || jv_str(r, b, "", "country", true, &s->country) ||
        jv_str(r, b, "", "uscc", false, &s->uscc) ||
        jv_str(r, b, "", "customs_code", false, &s->customs_code) ||
        hc_seller_validate(s, &r->err) || seller_codes_check(s, &r->err))
        return api_fail(r);
    s->created_at = hc_now_ms();
    return api_write(r, seller_job, seller_render, s);
}

int h_seller_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_seller s;
    if (!api_may_seller(r, r->params[0]))
        return not_found(r, "code", "seller", r->params[0]);
    if (st == NULL || hc_seller_get(st, r->arena, r->params[0], &s, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_seller(&s));
}

int h_seller_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_seller *s;
    const char *next;
    size_t n;
    if (hc_seller_list(st, r->arena, r->who.role == ROLE_SELLER ? r->who.seller : NULL, pg.cursor,
                       pg.limit, &s, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_seller(&s[i]));
    return api_reply(r, 200, j_page(items, next));
}

/* ---- warehouses ------------------------------------------------------------------ */

static json_t *render_warehouse(const struct hc_warehouse *w)
{
    json_t *addr = json_loads(w->address_json, 0, NULL);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:s,s:{s:I,s:I,s:I},s:o}", "code", w->code, "name",
                          w->name, "country", w->country, "address", addr ? addr : json_object(),
                          "timezone", w->timezone, "layout", "aisle_pitch_mm",
                          (json_int_t)w->aisle_pitch_mm, "bay_pitch_mm",
                          (json_int_t)w->bay_pitch_mm, "depot_aisle", (json_int_t)w->depot_aisle,
                          "created_at", j_time(w->created_at));
    json_t *layout = json_object_get(o, "layout"), *cross = json_array();
    for (size_t i = 0; i < w->ncross; i++)
        json_array_append_new(cross, json_integer((json_int_t)w->cross_aisles[i]));
    json_object_set_new(layout, "cross_aisles", cross);
    json_object_set_new(layout, "bays_per_aisle", json_integer((json_int_t)w->bays_per_aisle));
    json_object_set_new(layout, "route_policy",
                        json_string(w->route_policy && w->route_policy[0] ? w->route_policy
                                                                          : "optimal"));
    if (w->has_geo) {
        json_object_set_new(o, "lat", json_real(w->lat));
        json_object_set_new(o, "lon", json_real(w->lon));
    }
    return o;
}

static int warehouse_job(hc_store *s, void *ctx, hc_err *err)
{
    return hc_warehouse_create(s, ctx, err);
}

static int warehouse_render(struct req *r)
{
    return api_reply(r, 201, render_warehouse(r->ctx));
}

int h_warehouse_create(struct req *r)
{
    json_t *b, *addr, *layout;
    struct hc_warehouse *w = hc_arena_alloc(r->arena, sizeof(*w));
    w->aisle_pitch_mm = 3000;
    w->bay_pitch_mm = 1000;
    w->depot_aisle = 1;
    if (jv_body(r, &b) || jv_str(r, b, "", "code", true, &w->code) ||
        jv_str(r, b, "", "name", true, &w->name) || jv_str(r, b, "", "country", true, &w->country) ||
        jv_str(r, b, "", "timezone", true, &w->timezone) ||
        jv_object(r, b, "", "address", true, &addr) ||
        jv_object(r, b, "", "layout", false, &layout))
        return api_fail(r);
    if (layout && (jv_int(r, layout, "layout", "aisle_pitch_mm", false, 500, 50000,
                          &w->aisle_pitch_mm) ||
                   jv_int(r, layout, "layout", "bay_pitch_mm", false, 100, 20000, &w->bay_pitch_mm) ||
                   jv_int(r, layout, "layout", "depot_aisle", false, 0, 10000, &w->depot_aisle) ||
                   jv_int(r, layout, "layout", "bays_per_aisle", false, 0, 10000,
                          &w->bays_per_aisle) ||
                   jv_str(r, layout, "layout", "route_policy", false, &w->route_policy)))
        return api_fail(r);
    json_t *cross = layout ? json_object_get(layout, "cross_aisles") : NULL;
    if (cross && !json_is_null(cross)) {
        if (jv_array(r, layout, "layout", "cross_aisles", HC_LAYOUT_CROSS_AISLES_MAX, &cross))
            return api_fail(r);
        for (size_t i = 0; i < json_array_size(cross); i++) {
            json_t *c = json_array_get(cross, i);
            if (!json_is_integer(c) || json_integer_value(c) < 1 || json_integer_value(c) > 10000) {
                hc_err_set(&r->err, HC_EINVAL,
                           hc_arena_printf(r->arena, "layout.cross_aisles[%zu]", i),
                           "must be an integer 1..10000 (bays from the front)");
                return api_fail(r);
            }
            w->cross_aisles[w->ncross++] = json_integer_value(c);
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach(addr, k, v)
    {
        const char *line;
        if (jv_str(r, addr, "address", k, true, &line))
            return api_fail(r);
    }
    w->address_json = hc_arena_strdup(r->arena, "");
    char *text = json_dumps(addr, JSON_COMPACT | JSON_SORT_KEYS);
    w->address_json = hc_arena_strdup(r->arena, text);
    free(text);
    bool has_lat, has_lon;
    if (jv_num(r, b, "", "lat", false, &w->lat, &has_lat) ||
        jv_num(r, b, "", "lon", false, &w->lon, &has_lon))
        return api_fail(r);
    if (has_lat != has_lon) {
        hc_err_set(&r->err, HC_EINVAL, has_lat ? "lon" : "lat", "lat and lon must both be numbers");
        return api_fail(r);
    }
    w->has_geo = has_lat;
    if (hc_warehouse_validate(w, &r->err))
        return api_fail(r);
    w->created_at = hc_now_ms();
    if (!w->has_geo) /* the record answered shows the centroid the store will keep */
        w->has_geo = hc_country_centroid(w->country, &w->lat, &w->lon);
    return api_write(r, warehouse_job, warehouse_render, w);
}

int h_warehouse_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_warehouse w;
    if (st == NULL || hc_warehouse_get(st, r->arena, r->params[0], &w, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_warehouse(&w));
}

int h_warehouse_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_warehouse *w;
    const char *next;
    size_t n;
    if (hc_warehouse_list(st, r->arena, pg.cursor, pg.limit, &w, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_warehouse(&w[i]));
    return api_reply(r, 200, j_page(items, next));
}

/* ---- locations ------------------------------------------------------------------------ */

#define LOCATIONS_PER_CALL 5000

struct locations_ctx {
    const char *warehouse;
    struct hc_location *l;
    size_t n;
};

static int locations_job(hc_store *s, void *ctx, hc_err *err)
{
    struct locations_ctx *c = ctx;
    if (!hc_warehouse_exists(s, c->warehouse, err)) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", c->warehouse);
    }
    for (size_t i = 0; i < c->n; i++) {
        int rc = hc_location_create(s, c->warehouse, &c->l[i], err);
        if (rc != HC_OK) {
            if (rc == HC_ECONFLICT) {
                char f[48];
                snprintf(f, sizeof(f), "locations[%zu].code", i);
                hc_strlcpy(err->field, f, sizeof(err->field));
            }
            return rc;
        }
    }
    return HC_OK;
}

static int locations_render(struct req *r)
{
    struct locations_ctx *c = r->ctx;
    return api_reply(r, 201, json_pack("{s:I}", "created", (json_int_t)c->n));
}

int h_location_create(struct req *r)
{
    if (!api_may_warehouse(r, r->params[0]))
        return not_found(r, "warehouse", "warehouse", r->params[0]);
    json_t *b, *arr;
    if (jv_body(r, &b) || jv_array(r, b, "", "locations", LOCATIONS_PER_CALL, &arr))
        return api_fail(r);
    if (json_array_size(arr) == 0) {
        hc_err_set(&r->err, HC_EINVAL, "locations", "must hold at least one location");
        return api_fail(r);
    }
    struct locations_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->warehouse = r->params[0];
    c->n = json_array_size(arr);
    c->l = hc_arena_alloc(r->arena, sizeof(*c->l) * c->n);
    for (size_t i = 0; i < c->n; i++) {
        json_t *e;
        const char *p;
        struct hc_location *l = &c->l[i];
        l->aisle = l->bay = l->level = -1;
        l->pickable = true;
        if (jv_item(r, arr, "locations", i, &e, &p))
            return api_fail(r);
        if (jv_str(r, e, p, "code", true, &l->code) || jv_str(r, e, p, "zone", true, &l->zone) ||
            jv_dims(r, e, p, "dims_mm", true, l->dims_mm) ||
            jv_int(r, e, p, "max_weight_g", true, 1, 100000000000LL, &l->max_weight_g) ||
            jv_int(r, e, p, "aisle", false, 0, 1000000, &l->aisle) ||
            jv_int(r, e, p, "bay", false, 0, 1000000, &l->bay) ||
            jv_int(r, e, p, "level", false, 0, 1000000, &l->level) ||
            hc_location_validate(l, p, &r->err))
            return api_fail(r);
        if (strcmp(l->zone, "RECEIVING") == 0)
            l->pickable = false;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->l[j].code, l->code) == 0) {
                hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "code"),
                           "location %s is listed twice", l->code);
                return api_fail(r);
            }
    }
    return api_write(r, locations_job, locations_render, c);
}

int h_location_list(struct req *r)
{
    if (!api_may_warehouse(r, r->params[0]))
        return not_found(r, "warehouse", "warehouse", r->params[0]);
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_location *l;
    const char *next;
    size_t n;
    if (hc_location_list(st, r->arena, r->params[0], api_query(r, "zone"), pg.cursor, pg.limit, &l,
                         &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:o,s:I,s:I,s:I,s:I}", "code", l[i].code, "zone", l[i].zone,
                             "dims_mm", j_dims(l[i].dims_mm), "max_weight_g",
                             (json_int_t)l[i].max_weight_g, "aisle", (json_int_t)l[i].aisle, "bay",
                             (json_int_t)l[i].bay, "level", (json_int_t)l[i].level));
    return api_reply(r, 200, j_page(items, next));
}

/* ---- SKUs -------------------------------------------------------------------------------- */

static json_t *render_sku(const struct hc_sku *s)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:I,s:o,s:o,s:o}", "seller", s->seller,
                     "sku", s->sku, "name", s->name, "name_zh", j_str_or_null(s->name_zh),
                     "hs_code", s->hs_code, "declared_value", j_money(s->value_minor, s->currency),
                     "origin_country", s->origin_country, "dims_mm", j_dims(s->dims_mm), "weight_g",
                     (json_int_t)s->weight_g, "barcode", j_str_or_null(s->barcode), "brand",
                     j_str_or_null(s->brand), "created_at", j_time(s->created_at));
}

static int sku_job(hc_store *s, void *ctx, hc_err *err)
{
    struct hc_sku *k = ctx;
    if (!hc_seller_exists(s, k->seller, err)) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", k->seller);
    }
    return hc_sku_create(s, k, err);
}

static int sku_render(struct req *r)
{
    return api_reply(r, 201, render_sku(r->ctx));
}

int h_sku_create(struct req *r)
{
    json_t *b;
    struct hc_sku *s = hc_arena_alloc(r->arena, sizeof(*s));
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &s->seller) ||
        jv_str(r, b, "", "sku", true, &s->sku) || jv_str(r, b, "", "name", true, &s->name) ||
        jv_str(r, b, "", "name_zh", false, &s->name_zh) ||
        jv_str(r, b, "", "hs_code", true, &s->hs_code) ||
        jv_money(r, b, "", "declared_value", true, &s->value_minor, &s->currency) ||
        jv_str(r, b, "", "origin_country", true, &s->origin_country) ||
        jv_dims(r, b, "", "dims_mm", true, s->dims_mm) ||
        jv_int(r, b, "", "weight_g", true, 1, 100000000, &s->weight_g) ||
        jv_str(r, b, "", "barcode", false, &s->barcode) ||
        jv_str(r, b, "", "brand", false, &s->brand) || hc_sku_validate(s, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, s->seller))
        return not_found(r, "seller", "seller", s->seller);
    s->created_at = hc_now_ms();
    return api_write(r, sku_job, sku_render, s);
}

int h_sku_get(struct req *r)
{
    if (!api_may_seller(r, r->params[0]))
        return not_found(r, "sku", "SKU", r->params[1]);
    hc_store *st = api_reader(r);
    struct hc_sku s;
    if (st == NULL || hc_sku_get(st, r->arena, r->params[0], r->params[1], &s, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_sku(&s));
}

int h_sku_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *qtext = api_query(r, "q");
    if (!api_scope(r, &seller, NULL))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_sku *k;
    const char *next;
    size_t n;
    if (hc_sku_list(st, r->arena, seller, qtext, pg.cursor, pg.limit, &k, &n, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_sku(&k[i]));
    return api_reply(r, 200, j_page(items, next));
}

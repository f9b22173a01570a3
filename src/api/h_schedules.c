/* h_schedules.c: head-haul schedules — import of DCSA Commercial Schedules
 * point-to-point routings, and the departures search.
 *
 * DCSA CS 1.0 (github.com/dcsaorg/DCSA-OpenAPI cs/v1): a routing is
 * {placeOfReceipt{location{UNLocationCode}, dateTime}, placeOfDelivery{...},
 * cutOffTimes[{cutOffDateTimeCode, cutOffDateTime}], transitTime, legs[{
 * transport{modeOfTransport, servicePartners[{carrierCode, carrierServiceName,
 * carrierServiceCode}]}, departure{location, dateTime}, arrival{...}}]}.
 * haicang also reads servicePartners on RAIL/TRUCK/AIR legs (DCSA defines
 * them for VESSEL and BARGE only) and takes AIR as a mode. */
#include "internal.h"

#include <string.h>

static int place(struct req *r, json_t *obj, const char *prefix, const char *key, char *code,
                 int64_t *at)
{
    json_t *p, *loc;
    const char *pp = jv_field(r, prefix, key);
    const char *c, *dt;
    if (jv_object(r, obj, prefix, key, true, &p) || jv_object(r, p, pp, "location", true, &loc) ||
        jv_str(r, loc, jv_field(r, pp, "location"), "UNLocationCode", true, &c) ||
        jv_str(r, p, pp, "dateTime", true, &dt))
        return r->err.code;
    if (strlen(c) != HC_LOCODE_LEN)
        return hc_err_set(&r->err, HC_EINVAL,
                          jv_field(r, jv_field(r, pp, "location"), "UNLocationCode"),
                          "must be a UN/LOCODE of 5 characters");
    memcpy(code, c, HC_LOCODE_LEN + 1);
    if (hc_hh_parse_time(dt, at))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, pp, "dateTime"),
                          "must be an ISO 8601 date-time with its offset");
    return HC_OK;
}

/* The first cut-off (any code: DCSA lists DCO, FCO, PCO, ...), the earliest. */
static int cutoffs(struct req *r, json_t *obj, const char *prefix, int64_t *out)
{
    json_t *arr = json_object_get(obj, "cutOffTimes");
    if (arr == NULL || json_is_null(arr))
        return HC_OK;
    if (jv_array(r, obj, prefix, "cutOffTimes", 32, &arr))
        return r->err.code;
    const char *ap = jv_field(r, prefix, "cutOffTimes");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e;
        const char *p, *code, *dt;
        int64_t at;
        if (jv_item(r, arr, ap, i, &e, &p) || jv_str(r, e, p, "cutOffDateTimeCode", true, &code) ||
            jv_str(r, e, p, "cutOffDateTime", true, &dt))
            return r->err.code;
        if (strlen(code) != 3)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "cutOffDateTimeCode"),
                              "must be a DCSA cut-off code of 3 letters");
        if (hc_hh_parse_time(dt, &at))
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "cutOffDateTime"),
                              "must be an ISO 8601 date-time with its offset");
        if (*out == 0 || at < *out)
            *out = at;
    }
    return HC_OK;
}

static int parse_routing(struct req *r, json_t *e, const char *p, struct hc_schedule *s)
{
    json_t *legs;
    int64_t transit = -1;
    if (place(r, e, p, "placeOfReceipt", s->origin, &s->departs_at) ||
        place(r, e, p, "placeOfDelivery", s->destination, &s->arrives_at) ||
        cutoffs(r, e, p, &s->cutoff_at) ||
        jv_int(r, e, p, "transitTime", false, 0, 365, &transit) ||
        jv_array(r, e, p, "legs", HC_SCHED_LEGS_MAX, &legs))
        return r->err.code;
    const char *lp = jv_field(r, p, "legs");
    s->nlegs = json_array_size(legs);
    if (s->nlegs == 0)
        return hc_err_set(&r->err, HC_EINVAL, lp, "must hold at least one leg");
    s->legs = hc_arena_alloc(r->arena, sizeof(*s->legs) * s->nlegs);
    for (size_t i = 0; i < s->nlegs; i++) {
        json_t *leg, *tr, *sp;
        const char *legp, *mode;
        struct hc_schedule_leg *l = &s->legs[i];
        if (jv_item(r, legs, lp, i, &leg, &legp) ||
            jv_object(r, leg, legp, "transport", true, &tr) ||
            jv_str(r, tr, jv_field(r, legp, "transport"), "modeOfTransport", true, &mode) ||
            place(r, leg, legp, "departure", l->origin, &l->departs_at) ||
            place(r, leg, legp, "arrival", l->destination, &l->arrives_at))
            return r->err.code;
        const char *tp = jv_field(r, legp, "transport");
        l->mode = hc_sched_mode_parse(mode);
        if (l->mode == 0 || strcmp(mode, hc_sched_mode_name(l->mode)) != 0)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, tp, "modeOfTransport"),
                              "must be RAIL, VESSEL, AIR, TRUCK or MULTIMODAL");
        sp = json_object_get(tr, "servicePartners");
        if (sp && !json_is_null(sp)) {
            if (jv_array(r, tr, tp, "servicePartners", 16, &sp))
                return r->err.code;
            const char *spp = jv_field(r, tp, "servicePartners");
            for (size_t k = 0; k < json_array_size(sp) && s->service == NULL; k++) {
                json_t *x;
                const char *xp;
                if (jv_item(r, sp, spp, k, &x, &xp) ||
                    jv_str(r, x, xp, "carrierServiceName", false, &s->service) ||
                    jv_str(r, x, xp, "carrierServiceCode", false, &s->service_code) ||
                    jv_str(r, x, xp, "carrierCode", false, &s->carrier))
                    return r->err.code;
            }
        }
    }
    s->mode = hc_schedule_mode_of(s->legs, s->nlegs);
    if (s->service == NULL)
        return hc_err_set(&r->err, HC_EINVAL,
                          jv_field(r, jv_field(r, lp, "[0].transport"), "servicePartners"),
                          "a leg must name the service (servicePartners[].carrierServiceName)");
    if (s->carrier && strlen(s->carrier) > 64)
        return hc_err_set(&r->err, HC_EINVAL, "carrierCode", "at most 64 characters");
    s->transit_days = transit >= 0 ? (int)transit
                                   : (int)((s->arrives_at - s->departs_at + HC_DAY_MS / 2) /
                                           HC_DAY_MS);
    /* field names of the domain check are relative to the routing */
    hc_err e2 = {0};
    if (hc_schedule_validate(s, &e2) != HC_OK) {
        hc_err_set(&r->err, e2.code, jv_field(r, p, e2.field), "%s", e2.msg);
        return r->err.code;
    }
    return HC_OK;
}

#define ROUTINGS_MAX 10000

static int parse_routings(struct req *r, json_t *arr, const char *prefix, struct hc_schedule **out,
                          size_t *n)
{
    *n = json_array_size(arr);
    if (*n > ROUTINGS_MAX)
        return hc_err_set(&r->err, HC_ETOOBIG, prefix, "at most %d routings at once",
                          ROUTINGS_MAX);
    *out = hc_arena_alloc(r->arena, sizeof(**out) * (*n + 1));
    for (size_t i = 0; i < *n; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, prefix, i, &e, &p) || parse_routing(r, e, p, &(*out)[i]))
            return r->err.code;
    }
    return HC_OK;
}

int hc_api_parse_schedules(const char *text, size_t len, hc_arena *a, struct hc_schedule **out,
                           size_t *n, hc_err *err)
{
    struct req r = {.arena = a};
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    int rc;
    if (doc == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "body", "not JSON: line %d column %d: %s", je.line,
                        je.column, je.text);
        return rc;
    }
    json_t *arr = doc;
    const char *prefix = "";
    if (json_is_object(doc)) {
        r.json = doc;
        if (jv_array(&r, doc, "", "routings", ROUTINGS_MAX, &arr)) {
            *err = r.err;
            json_decref(doc);
            return err->code;
        }
        prefix = "routings";
    } else if (!json_is_array(doc)) {
        json_decref(doc);
        return hc_err_set(err, HC_EINVAL, "body",
                          "must be a DCSA point-to-point array or {\"routings\": [...]}");
    }
    rc = parse_routings(&r, arr, prefix, out, n);
    if (rc != HC_OK)
        *err = r.err;
    /* strings point into doc: copy them before it goes */
    for (size_t i = 0; rc == HC_OK && i < *n; i++) {
        struct hc_schedule *s = &(*out)[i];
        s->service = hc_arena_strdup(a, s->service);
        s->service_code = s->service_code ? hc_arena_strdup(a, s->service_code) : NULL;
        s->carrier = s->carrier ? hc_arena_strdup(a, s->carrier) : NULL;
    }
    json_decref(doc);
    return rc;
}

/* ---- import ---------------------------------------------------------------------------- */
struct import_ctx {
    struct hc_schedule *items;
    size_t n, imported, replaced;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_ctx *c = ctx;
    c->imported = c->replaced = 0;
    for (size_t i = 0; i < c->n; i++) {
        bool replaced;
        int rc = hc_schedule_put(s, &c->items[i], &replaced, err);
        if (rc != HC_OK)
            return rc;
        c->imported++;
        c->replaced += replaced;
    }
    return HC_OK;
}

static int import_render(struct req *r)
{
    struct import_ctx *c = r->ctx;
    return api_reply(r, 200,
                     json_pack("{s:I,s:I,s:I}", "imported", (json_int_t)c->imported, "new",
                               (json_int_t)(c->imported - c->replaced), "replaced",
                               (json_int_t)c->replaced));
}

int h_schedule_import(struct req *r)
{
    json_t *b, *arr;
    struct import_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    if (jv_body(r, &b) || jv_array(r, b, "", "routings", ROUTINGS_MAX, &arr) ||
        parse_routings(r, arr, "routings", &c->items, &c->n))
        return api_fail(r);
    if (c->n == 0) {
        hc_err_set(&r->err, HC_EINVAL, "routings", "must hold at least one routing");
        return api_fail(r);
    }
    return api_write(r, import_job, import_render, c);
}

/* ---- search ---------------------------------------------------------------------------- */
json_t *render_schedule(const struct hc_schedule *s)
{
    json_t *legs = json_array();
    for (size_t i = 0; i < s->nlegs; i++) {
        const struct hc_schedule_leg *l = &s->legs[i];
        json_array_append_new(
            legs, json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "sequenceNumber", (json_int_t)(i + 1),
                            "modeOfTransport", hc_sched_mode_name(l->mode), "from", l->origin,
                            "to", l->destination, "departure", j_time(l->departs_at), "arrival",
                            j_time(l->arrives_at)));
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "id", s->id, "from",
                     s->origin, "to", s->destination, "mode", hc_sched_mode_name(s->mode),
                     "service", json_string(s->service), "service_code",
                     j_str_or_null(s->service_code), "carrier", j_str_or_null(s->carrier),
                     "cutoff", s->cutoff_at ? j_time(s->cutoff_at) : json_null(), "departure",
                     j_time(s->departs_at), "arrival", j_time(s->arrives_at), "transit_days",
                     (json_int_t)s->transit_days, "legs", legs);
}

static int locode_param(struct req *r, const char *name, const char **out)
{
    const char *v = api_query(r, name);
    *out = NULL;
    if (v == NULL)
        return HC_OK;
    char *up = hc_arena_strdup(r->arena, v);
    for (char *p = up; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (hc_locode_check(up, name, &r->err))
        return r->err.code;
    *out = up;
    return HC_OK;
}

int h_schedule_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    struct hc_schedule_query q = {0};
    if (st == NULL || api_page(r, &pg) || locode_param(r, "from", &q.origin) ||
        locode_param(r, "to", &q.destination))
        return api_fail(r);
    const char *mode = api_query(r, "mode"), *after = api_query(r, "after");
    if (mode && (q.mode = hc_sched_mode_parse(mode)) == 0) {
        hc_err_set(&r->err, HC_EINVAL, "mode",
                   "must be rail, vessel (or sea), air, truck or multimodal");
        return api_fail(r);
    }
    q.after = hc_now_ms();
    if (after && hc_hh_parse_time(after, &q.after)) {
        hc_err_set(&r->err, HC_EINVAL, "after",
                   "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with its offset");
        return api_fail(r);
    }
    q.cursor = pg.cursor;
    q.limit = pg.limit;
    struct hc_schedule *items;
    size_t n;
    const char *next;
    if (hc_schedule_search(st, r->arena, &q, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_schedule(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

int h_schedule_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_schedule s;
    if (st == NULL || hc_schedule_get(st, r->arena, r->params[0], &s, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_schedule(&s));
}

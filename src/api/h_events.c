/* h_events.c: DCSA Track & Trace v3 events — a batch per shipment, the
 * shipment's history and container states, and the feed of events and
 * haicang's milestones (GET /v1/events).
 *
 * An event is {"metadata": {eventID, eventCreatedDateTime, eventType,
 * publisher{partyName}, publisherRole}, "payload": {eventType,
 * eventClassifierCode, eventDateTime, equipmentEventTypeCode +
 * equipmentReference | transportEventTypeCode + transportCall{
 * modeOfTransport, location{UNLocationCode}} | shipmentEventTypeCode +
 * documentTypeCode + documentReference, reason}} (github.com/dcsaorg/
 * DCSA-OpenAPI tnt/v3). A flat event (the payload's fields beside eventID)
 * is read too. */
#include "internal.h"

#include <string.h>

static int time_field(struct req *r, json_t *obj, const char *prefix, const char *key,
                      bool required, int64_t *out)
{
    const char *v;
    if (jv_str(r, obj, prefix, key, required, &v))
        return r->err.code;
    if (v && hc_hh_parse_time(v, out))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                          "must be an ISO 8601 date-time with its offset");
    return HC_OK;
}

static int parse_event(struct req *r, json_t *e, const char *p, struct hc_event *ev)
{
    json_t *meta = json_object_get(e, "metadata"), *pay = json_object_get(e, "payload");
    const char *mp = p, *pp = p, *mtype = NULL, *ptype;
    if (meta) {
        if (jv_object(r, e, p, "metadata", true, &meta))
            return r->err.code;
        mp = jv_field(r, p, "metadata");
    } else {
        meta = e;
    }
    if (pay || meta != e) {
        if (jv_object(r, e, p, "payload", true, &pay))
            return r->err.code;
        pp = jv_field(r, p, "payload");
    } else {
        pay = e;
    }
    json_t *pub = json_object_get(meta, "publisher"), *tc;
    if (jv_str(r, meta, mp, "eventID", true, &ev->event_id) ||
        time_field(r, meta, mp, "eventCreatedDateTime", meta != e, &ev->created_at) ||
        jv_str(r, meta, mp, "eventType", false, &mtype) ||
        jv_str(r, pay, pp, "eventType", true, &ptype) ||
        jv_str(r, pay, pp, "eventClassifierCode", true, &ev->classifier) ||
        time_field(r, pay, pp, "eventDateTime", true, &ev->event_at))
        return r->err.code;
    if (pub && !json_is_null(pub)) {
        if (jv_object(r, meta, mp, "publisher", false, &pub) ||
            jv_str(r, pub, jv_field(r, mp, "publisher"), "partyName", false, &ev->publisher))
            return r->err.code;
    }
    ev->type = hc_event_type_parse(ptype);
    if (ev->type == 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, pp, "eventType"),
                          "must be EQUIPMENT, TRANSPORT or SHIPMENT");
    if (mtype && strcmp(mtype, ptype) != 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, mp, "eventType"),
                          "must be the payload's eventType");
    static const char *const code_key[] = {[HC_EVT_EQUIPMENT] = "equipmentEventTypeCode",
                                           [HC_EVT_TRANSPORT] = "transportEventTypeCode",
                                           [HC_EVT_SHIPMENT] = "shipmentEventTypeCode"};
    if (jv_str(r, pay, pp, code_key[ev->type], true, &ev->type_code) ||
        jv_str(r, pay, pp, "equipmentReference", false, &ev->equipment) ||
        jv_str(r, pay, pp, "documentTypeCode", false, &ev->document_type) ||
        jv_str(r, pay, pp, "documentReference", false, &ev->document_ref) ||
        jv_str(r, pay, pp, "reason", false, &ev->reason))
        return r->err.code;
    tc = json_object_get(pay, "transportCall");
    if (tc && !json_is_null(tc)) {
        json_t *loc;
        const char *tp = jv_field(r, pp, "transportCall");
        if (jv_object(r, pay, pp, "transportCall", false, &tc) ||
            jv_str(r, tc, tp, "modeOfTransport", false, &ev->mode))
            return r->err.code;
        loc = json_object_get(tc, "location");
        if (loc && !json_is_null(loc) &&
            (jv_object(r, tc, tp, "location", false, &loc) ||
             jv_str(r, loc, jv_field(r, tp, "location"), "UNLocationCode", false, &ev->location)))
            return r->err.code;
    }
    /* copies: the strings must outlive the parsed document (CLI) */
    ev->event_id = hc_arena_strdup(r->arena, ev->event_id);
    ev->classifier = hc_arena_strdup(r->arena, ev->classifier);
    ev->type_code = hc_arena_strdup(r->arena, ev->type_code);
    ev->equipment = hc_arena_strdup(r->arena, ev->equipment);
    ev->location = hc_arena_strdup(r->arena, ev->location);
    ev->mode = hc_arena_strdup(r->arena, ev->mode);
    ev->publisher = hc_arena_strdup(r->arena, ev->publisher);
    ev->document_type = hc_arena_strdup(r->arena, ev->document_type);
    ev->document_ref = hc_arena_strdup(r->arena, ev->document_ref);
    ev->reason = hc_arena_strdup(r->arena, ev->reason);
    ev->path = p;
    return hc_event_validate(ev, &r->err);
}

static int parse_events(struct req *r, json_t *b, struct hc_event **out, size_t *n)
{
    json_t *arr;
    if (jv_array(r, b, "", "events", HC_EVENTS_BATCH_MAX, &arr))
        return r->err.code;
    *n = json_array_size(arr);
    if (*n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "events", "must hold at least one event");
    *out = hc_arena_alloc(r->arena, sizeof(**out) * *n);
    for (size_t i = 0; i < *n; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, "events", i, &e, &p) || parse_event(r, e, p, &(*out)[i]))
            return r->err.code;
    }
    return HC_OK;
}

int hc_api_parse_events(const char *text, size_t len, hc_arena *a, const char **shipment,
                        struct hc_event **out, size_t *n, hc_err *err)
{
    struct req r = {.arena = a};
    r.body.p = (char *)text;
    r.body.n = len;
    json_t *b;
    const char *shp;
    int rc = HC_OK;
    if (jv_body(&r, &b) || jv_str(&r, b, "", "shipment", true, &shp) ||
        parse_events(&r, b, out, n))
        rc = r.err.code;
    else
        *shipment = hc_arena_strdup(a, shp);
    if (rc != HC_OK)
        *err = r.err;
    json_decref(r.json);
    return rc;
}

/* ---- rendering -------------------------------------------------------------------------- */
json_t *render_event(const struct hc_event *e)
{
    json_t *meta = json_pack("{s:s,s:o,s:s,s:{s:s},s:s}", "eventID", e->event_id,
                             "eventCreatedDateTime", j_time(e->created_at), "eventType",
                             hc_event_type_name(e->type), "publisher", "partyName",
                             e->publisher ? e->publisher : "", "publisherRole",
                             e->milestone ? "TR" : "CA");
    json_t *pay = json_pack("{s:s,s:s,s:o}", "eventType", hc_event_type_name(e->type),
                            "eventClassifierCode", e->classifier, "eventDateTime",
                            j_time(e->event_at));
    switch (e->type) {
    case HC_EVT_EQUIPMENT:
        json_object_set_new(pay, "equipmentEventTypeCode", json_string(e->type_code));
        json_object_set_new(pay, "equipmentReference", json_string(e->equipment ? e->equipment : ""));
        break;
    case HC_EVT_TRANSPORT:
        json_object_set_new(pay, "transportEventTypeCode", json_string(e->type_code));
        break;
    default:
        json_object_set_new(pay, "shipmentEventTypeCode", json_string(e->type_code));
    }
    if (e->location || e->mode) {
        json_t *tc = json_object();
        if (e->mode)
            json_object_set_new(tc, "modeOfTransport", json_string(e->mode));
        if (e->location)
            json_object_set_new(tc, "location", json_pack("{s:s,s:s}", "locationType", "UNLO",
                                                          "UNLocationCode", e->location));
        json_object_set_new(pay, "transportCall", tc);
    }
    if (e->document_type)
        json_object_set_new(pay, "documentTypeCode", json_string(e->document_type));
    if (e->document_ref)
        json_object_set_new(pay, "documentReference", json_string(e->document_ref));
    if (e->reason)
        json_object_set_new(pay, "reason", json_string(e->reason));
    json_object_set_new(pay, "relatedDocumentReferences",
                        json_pack("[{s:s,s:s}]", "type", "SHI", "value", e->shipment));
    return json_pack("{s:o,s:o,s:s,s:o,s:o}", "metadata", meta, "payload", pay, "shipment",
                     e->shipment, "receivedDateTime", j_time(e->received_at), "milestone",
                     j_str_or_null(e->milestone));
}

static json_t *render_leg_times(const struct hc_leg_times *t, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:o,s:o,s:o,s:o}", "seq", (json_int_t)i, "etd_estimated",
                           t[i].etd_estimated > 0 ? j_time(t[i].etd_estimated) : json_null(),
                           "eta_estimated",
                           t[i].eta_estimated > 0 ? j_time(t[i].eta_estimated) : json_null(),
                           "atd", t[i].atd > 0 ? j_time(t[i].atd) : json_null(), "ata",
                           t[i].ata > 0 ? j_time(t[i].ata) : json_null()));
    return arr;
}

/* ---- POST /v1/shipments/{id}/events ------------------------------------------------------ */
struct batch_ctx {
    const char *shipment, *tenant_seller, *tenant_warehouse;
    struct hc_event *ev;
    size_t n;
    hc_arena *arena;
    struct hc_events_result res;
};

static int batch_job(hc_store *s, void *ctx, hc_err *err)
{
    struct batch_ctx *c = ctx;
    return hc_events_apply(s, c->arena, c->shipment, c->ev, c->n, c->tenant_seller,
                           c->tenant_warehouse, &c->res, err);
}

static int batch_render(struct req *r)
{
    struct batch_ctx *c = r->ctx;
    json_t *dups = json_array();
    for (size_t i = 0; i < c->n; i++)
        if (c->ev[i].duplicate)
            json_array_append_new(dups, json_string(c->ev[i].event_id));
    return api_reply(r, 200,
                     json_pack("{s:s,s:I,s:I,s:o,s:o}", "shipment", c->shipment, "applied",
                               (json_int_t)c->res.applied, "duplicates",
                               (json_int_t)c->res.duplicates, "duplicate_ids", dups, "legs",
                               render_leg_times(c->res.legs, c->res.nlegs)));
}

int h_shipment_events_post(struct req *r)
{
    json_t *b;
    struct batch_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->shipment = r->params[0];
    c->arena = r->arena;
    c->tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    c->tenant_warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    if (jv_body(r, &b) || parse_events(r, b, &c->ev, &c->n))
        return api_fail(r);
    return api_write(r, batch_job, batch_render, c);
}

/* ---- reads ----------------------------------------------------------------------------------- */
static int feed(struct req *r, const char *shipment, bool states)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_events_filter f = {.shipment = shipment, .cursor = pg.cursor, .limit = pg.limit};
    const char *after = api_query(r, "after");
    if (after && hc_hh_parse_time(after, &f.after)) {
        hc_err_set(&r->err, HC_EINVAL, "after",
                   "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with its offset");
        return api_fail(r);
    }
    if (f.shipment && (strlen(f.shipment) > 32 || !hc_utf8_valid(f.shipment, strlen(f.shipment)))) {
        hc_err_set(&r->err, HC_EINVAL, "shipment", "not a shipment id");
        return api_fail(r);
    }
    if (r->who.role == ROLE_SELLER)
        f.seller = r->who.seller;
    if (r->who.role == ROLE_OPERATOR)
        f.warehouse = r->who.warehouse;
    if (states) {
        /* the shipment itself must be visible: 404 otherwise */
        struct hc_shipment sh;
        if (hc_shipment_get(st, r->arena, shipment, f.seller, f.warehouse, &sh, &r->err)) {
            if (r->err.code == HC_ENOTFOUND) {
                hc_err_clear(&r->err);
                hc_err_set(&r->err, HC_ENOTFOUND, "id", "no shipment %s", shipment);
            }
            return api_fail(r);
        }
    }
    struct hc_event *items;
    size_t n;
    const char *next;
    if (hc_events_list(st, r->arena, &f, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_event(&items[i]));
    json_t *page = j_page(arr, next);
    if (states) {
        /* the containers' states over every event of the shipment (by eventDateTime) */
        struct hc_events_filter all = {.shipment = shipment, .limit = HC_EVENTS_BATCH_MAX};
        struct hc_event *ev;
        size_t nev;
        const char *more;
        if (hc_events_list(st, r->arena, &all, &ev, &nev, &more, &r->err)) {
            json_decref(page);
            return api_fail(r);
        }
        const struct hc_event **latest = hc_arena_alloc(r->arena, sizeof(*latest) * (nev + 1));
        size_t nl;
        hc_events_latest(ev, nev, latest, &nl);
        json_t *eq = json_array();
        for (size_t i = 0; i < nl; i++)
            json_array_append_new(eq, json_pack("{s:s,s:s,s:s,s:o,s:o}", "equipmentReference",
                                                latest[i]->equipment, "equipmentEventTypeCode",
                                                latest[i]->type_code, "eventClassifierCode",
                                                latest[i]->classifier, "eventDateTime",
                                                j_time(latest[i]->event_at), "location",
                                                j_str_or_null(latest[i]->location)));
        json_object_set_new(page, "equipment", eq);
    }
    return api_reply(r, 200, page);
}

int h_shipment_events_get(struct req *r)
{
    return feed(r, r->params[0], true);
}

int h_events_list(struct req *r)
{
    return feed(r, api_query(r, "shipment"), false);
}

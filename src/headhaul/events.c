/* events.c: DCSA Track & Trace v3 events of shipments, the ETA they move,
 * and the feed that shows them beside haicang's own milestones.
 *
 * Code lists: DCSA Track & Trace 2.2/3.0 (equipmentEventTypeCode,
 * transportEventTypeCode, shipmentEventTypeCode, eventClassifierCode,
 * documentTypeCode); github.com/dcsaorg/DCSA-OpenAPI tnt/v3/tnt.yaml.
 * Idempotency: tracking_events is keyed by eventID; INSERT OR IGNORE /
 * INSERT IGNORE tells a new event from one seen before. Order: seq comes
 * from hc_id_next (time-ordered), so the history is in arrival order, and
 * the state is read by event_at. */
#include "headhaul.h"

#include <stdio.h>
#include <string.h>

static const char *const equipment_codes[] = {"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP",
                                              "PICK", "DROP", "INSP", "RSEA", "RMVD", NULL};
static const char *const transport_codes[] = {"ARRI", "DEPA", NULL};
static const char *const shipment_codes[] = {"RECE", "DRFT", "PENA", "PENU", "REJE",
                                             "APPR", "ISSU", "SURR", "SUBM", "VOID",
                                             "CONF", "REQS", "CMPL", "HOLD", "RELS", NULL};
static const char *const classifiers[] = {"ACT", "EST", "PLN", "REQ", NULL};
static const char *const document_types[] = {"CBR", "BKG", "SHI", "VGM", "SRM", "TRD",
                                             "ARN", "CAS", "CUS", "DGD", "OOG", NULL};
static const char *const modes[] = {"VESSEL", "RAIL", "TRUCK", "BARGE", "AIR", NULL};

static bool in_list(const char *const *l, const char *v)
{
    for (; v && *l; l++)
        if (strcmp(*l, v) == 0)
            return true;
    return false;
}

static const char *const type_names[] = {[HC_EVT_EQUIPMENT] = "EQUIPMENT",
                                         [HC_EVT_TRANSPORT] = "TRANSPORT",
                                         [HC_EVT_SHIPMENT] = "SHIPMENT"};

const char *hc_event_type_name(int type)
{
    return type > 0 && type <= HC_EVT_SHIPMENT ? type_names[type] : "";
}

int hc_event_type_parse(const char *s)
{
    for (int t = 1; s && t <= HC_EVT_SHIPMENT; t++)
        if (strcmp(s, type_names[t]) == 0)
            return t;
    return 0;
}

/* An error naming "<path>.<key>" (or key alone without a path). */
static int fail_at(hc_err *err, int code, const struct hc_event *e, const char *key,
                   const char *msg)
{
    char f[HC_ERR_FIELD_MAX];
    const char *p = e->path ? e->path : "";
    snprintf(f, sizeof(f), "%s%s%s", p, *p ? "." : "", key);
    return hc_err_set(err, code, f, "%s", msg);
}

static int bad(hc_err *err, const struct hc_event *e, const char *key, const char *msg)
{
    return fail_at(err, HC_EINVAL, e, key, msg);
}

static bool text_ok(const char *v, size_t max)
{
    return v == NULL || (strlen(v) <= max && hc_utf8_valid(v, strlen(v)));
}

int hc_event_validate(const struct hc_event *e, hc_err *err)
{
    HC_ASSERT(e != NULL);
    if (e->event_id == NULL || e->event_id[0] == '\0' || !text_ok(e->event_id, HC_EVENT_ID_MAX))
        return bad(err, e, "metadata.eventID", "must be text of 1..100 bytes");
    for (const char *p = e->event_id; *p; p++)
        if ((unsigned char)*p < 0x20)
            return bad(err, e, "metadata.eventID", "must not hold control characters");
    if (e->type < HC_EVT_EQUIPMENT || e->type > HC_EVT_SHIPMENT)
        return bad(err, e, "payload.eventType", "must be EQUIPMENT, TRANSPORT or SHIPMENT");
    if (!in_list(classifiers, e->classifier))
        return bad(err, e, "payload.eventClassifierCode", "must be ACT, EST, PLN or REQ");
    switch (e->type) {
    case HC_EVT_EQUIPMENT:
        if (!in_list(equipment_codes, e->type_code))
            return bad(err, e, "payload.equipmentEventTypeCode",
                       "must be a DCSA equipment event code (LOAD, DISC, GTIN, GTOT, ...)");
        if (e->equipment == NULL)
            return bad(err, e, "payload.equipmentReference", "is required");
        break;
    case HC_EVT_TRANSPORT:
        if (!in_list(transport_codes, e->type_code))
            return bad(err, e, "payload.transportEventTypeCode", "must be ARRI or DEPA");
        if (e->location == NULL)
            return bad(err, e, "payload.transportCall.location.UNLocationCode", "is required");
        break;
    case HC_EVT_SHIPMENT:
        if (!in_list(shipment_codes, e->type_code))
            return bad(err, e, "payload.shipmentEventTypeCode",
                       "must be a DCSA shipment event code (RECE, CONF, ISSU, RELS, ...)");
        if (e->document_type && !in_list(document_types, e->document_type))
            return bad(err, e, "payload.documentTypeCode", "must be a DCSA document type code");
        break;
    }
    if (e->equipment && (strlen(e->equipment) > HC_CONTAINER_NO_LEN || e->equipment[0] == '\0'))
        return bad(err, e, "payload.equipmentReference", "must be a container number");
    if (e->location) {
        char f[HC_ERR_FIELD_MAX];
        const char *p = e->path ? e->path : "";
        snprintf(f, sizeof(f), "%s%spayload.transportCall.location.UNLocationCode", p,
                 *p ? "." : "");
        if (hc_locode_check(e->location, f, err))
            return err->code;
    }
    if (e->mode && !in_list(modes, e->mode))
        return bad(err, e, "payload.transportCall.modeOfTransport",
                   "must be VESSEL, RAIL, TRUCK, BARGE or AIR");
    if (!text_ok(e->publisher, 100))
        return bad(err, e, "metadata.publisher.partyName", "at most 100 bytes of UTF-8");
    if (!text_ok(e->document_ref, 100))
        return bad(err, e, "payload.documentReference", "at most 100 bytes of UTF-8");
    if (!text_ok(e->reason, 250))
        return bad(err, e, "payload.reason", "at most 250 bytes of UTF-8");
    if (e->event_at <= 0)
        return bad(err, e, "payload.eventDateTime", "is required");
    return HC_OK;
}

/* ---- pure: ETA and state ---------------------------------------------------------- */
/* Is a newer than b as information: later eventCreatedDateTime, then later
 * arrival. */
static bool newer(const struct hc_event *a, const struct hc_event *b)
{
    return b == NULL || a->created_at > b->created_at ||
           (a->created_at == b->created_at && a->seq > b->seq);
}

void hc_eta_from_events(const struct hc_event *ev, size_t n, const struct hc_leg *legs,
                        size_t nlegs, struct hc_leg_times *t)
{
    for (size_t i = 0; i < nlegs; i++) {
        const struct hc_event *est_arr = NULL, *act_arr = NULL, *est_dep = NULL, *act_dep = NULL;
        for (size_t k = 0; k < n; k++) {
            const struct hc_event *e = &ev[k];
            if (e->type != HC_EVT_TRANSPORT || e->location == NULL || e->classifier == NULL)
                continue;
            bool act = strcmp(e->classifier, "ACT") == 0;
            bool est = strcmp(e->classifier, "EST") == 0 || strcmp(e->classifier, "PLN") == 0;
            if (strcmp(e->type_code, "ARRI") == 0 && legs[i].to &&
                strcmp(e->location, legs[i].to) == 0) {
                if (act && newer(e, act_arr))
                    act_arr = e;
                if (est && newer(e, est_arr))
                    est_arr = e;
            } else if (strcmp(e->type_code, "DEPA") == 0 && legs[i].from &&
                       strcmp(e->location, legs[i].from) == 0) {
                if (act && newer(e, act_dep))
                    act_dep = e;
                if (est && newer(e, est_dep))
                    est_dep = e;
            }
        }
        t[i].eta_estimated = est_arr ? est_arr->event_at : -1;
        t[i].ata = act_arr ? act_arr->event_at : -1;
        t[i].etd_estimated = est_dep ? est_dep->event_at : -1;
        t[i].atd = act_dep ? act_dep->event_at : -1;
    }
}

void hc_events_latest(const struct hc_event *ev, size_t n, const struct hc_event **out,
                      size_t *nout)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hc_event *e = &ev[i];
        if (e->type != HC_EVT_EQUIPMENT || e->equipment == NULL)
            continue;
        size_t j = 0;
        while (j < k && strcmp(out[j]->equipment, e->equipment) != 0)
            j++;
        if (j == k)
            out[k++] = e;
        else if (e->event_at > out[j]->event_at ||
                 (e->event_at == out[j]->event_at && e->seq > out[j]->seq))
            out[j] = e;
    }
    *nout = k;
}

/* ---- store ----------------------------------------------------------------------------- */
#define EVENT_COLS                                                                                \
    "SELECT event_id, shipment_id, seq, event_type, classifier, type_code, event_at, created_at," \
    " received_at, equipment, location, mode, publisher, document_type, document_ref, reason"    \
    " FROM tracking_events"

static const char *opt_text(hc_stmt *q, int col, hc_arena *a)
{
    return hc_stmt_is_null(q, col) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, col));
}

static void read_event(hc_stmt *q, hc_arena *a, struct hc_event *e)
{
    memset(e, 0, sizeof(*e));
    e->event_id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    e->shipment = hc_arena_strdup(a, hc_stmt_text(q, 1));
    e->seq = hc_stmt_int(q, 2);
    e->type = hc_event_type_parse(hc_stmt_text(q, 3));
    e->classifier = hc_arena_strdup(a, hc_stmt_text(q, 4));
    e->type_code = hc_arena_strdup(a, hc_stmt_text(q, 5));
    e->event_at = hc_stmt_int(q, 6);
    e->created_at = hc_stmt_int(q, 7);
    e->received_at = hc_stmt_int(q, 8);
    e->equipment = opt_text(q, 9, a);
    e->location = opt_text(q, 10, a);
    e->mode = opt_text(q, 11, a);
    e->publisher = opt_text(q, 12, a);
    e->document_type = opt_text(q, 13, a);
    e->document_ref = opt_text(q, 14, a);
    e->reason = opt_text(q, 15, a);
}

static int transport_events(hc_store *s, hc_arena *a, const char *shipment,
                            struct hc_event **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            EVENT_COLS " WHERE shipment_id = ? AND event_type = 'TRANSPORT'"
                                       " ORDER BY seq",
                            "s", shipment);
    if (rc != HC_OK)
        return rc;
    size_t cap = 16, k = 0; /* a list, empty or not, is never NULL */
    struct hc_event *ev = hc_arena_alloc(a, sizeof(*ev) * cap);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ev = hc_arena_grow(a, ev, k, &cap, sizeof(*ev));
        read_event(q, a, &ev[k++]);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *out = ev;
    *n = k;
    return HC_OK;
}

int hc_events_apply(hc_store *s, hc_arena *a, const char *shipment, struct hc_event *ev, size_t n,
                    const char *tenant_seller, const char *tenant_warehouse,
                    struct hc_events_result *res, hc_err *err)
{
    HC_ASSERT(s != NULL && shipment != NULL && res != NULL);
    memset(res, 0, sizeof(*res));
    struct hc_shipment sh;
    int rc = hc_shipment_get(s, a, shipment, tenant_seller, tenant_warehouse, &sh, err);
    if (rc != HC_OK)
        return rc == HC_ENOTFOUND ? (hc_err_clear(err),
                                     hc_err_set(err, HC_ENOTFOUND, "id", "no shipment %s", shipment))
                                  : rc;
    bool transport = false;
    const char *ins = hc_store_dialect(s) == HC_MYSQL ? "INSERT IGNORE" : "INSERT OR IGNORE";
    char sql[512];
    snprintf(sql, sizeof(sql),
             "%s INTO tracking_events (event_id, shipment_id, seq, event_type, classifier,"
             " type_code, event_at, created_at, received_at, equipment, location, mode, publisher,"
             " document_type, document_ref, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
             " ?, ?, ?, ?)",
             ins);
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        struct hc_event *e = &ev[i];
        if ((rc = hc_event_validate(e, err)) != HC_OK)
            return rc;
        if (e->equipment) {
            /* a tenant sees only its own containers' contents, but any
             * container of a shipment it may see is one of the shipment */
            bool found = false;
            for (size_t c = 0; c < sh.ncontainers && !found; c++)
                found = sh.containers[c].number && strcmp(sh.containers[c].number, e->equipment) == 0;
            if (!found)
                return bad(err, e, "payload.equipmentReference",
                           "no such container on this shipment");
        }
        e->shipment = shipment;
        e->seq = hc_id_next();
        e->received_at = now;
        if (e->created_at <= 0)
            e->created_at = now;
        hc_stmt *q;
        if ((rc = hc_store_prepare(s, sql, &q, err)) != HC_OK)
            return rc;
        hc_stmt_bind_text(q, 1, e->event_id);
        hc_stmt_bind_text(q, 2, shipment);
        hc_stmt_bind_int(q, 3, e->seq);
        hc_stmt_bind_text(q, 4, hc_event_type_name(e->type));
        hc_stmt_bind_text(q, 5, e->classifier);
        hc_stmt_bind_text(q, 6, e->type_code);
        hc_stmt_bind_int(q, 7, e->event_at);
        hc_stmt_bind_int(q, 8, e->created_at);
        hc_stmt_bind_int(q, 9, e->received_at);
        hc_stmt_bind_text(q, 10, e->equipment);
        hc_stmt_bind_text(q, 11, e->location);
        hc_stmt_bind_text(q, 12, e->mode);
        hc_stmt_bind_text(q, 13, e->publisher);
        hc_stmt_bind_text(q, 14, e->document_type);
        hc_stmt_bind_text(q, 15, e->document_ref);
        hc_stmt_bind_text(q, 16, e->reason);
        rc = hc_stmt_step(q, err);
        int64_t changed = hc_stmt_changes(q);
        hc_stmt_reset(q);
        if (rc != HC_DONE && rc != HC_ROW)
            return rc;
        if (changed == 0) {
            /* seen before: the same event again, unless another shipment has it */
            hc_stmt *o;
            if ((rc = hc_store_query(s, err, &o,
                                     "SELECT shipment_id FROM tracking_events WHERE event_id = ?",
                                     "s", e->event_id)) != HC_OK)
                return rc;
            rc = hc_stmt_step(o, err);
            bool other = rc == HC_ROW && strcmp(hc_stmt_text(o, 0), shipment) != 0;
            hc_stmt_reset(o);
            if (rc != HC_ROW)
                return rc == HC_DONE ? hc_err_set(err, HC_EINTERNAL, "", "event vanished") : rc;
            if (other)
                return fail_at(err, HC_ECONFLICT, e, "metadata.eventID",
                               "this eventID belongs to another shipment");
            e->duplicate = true;
            res->duplicates++;
            continue;
        }
        res->applied++;
        transport |= e->type == HC_EVT_TRANSPORT;
    }
    res->nlegs = sh.nlegs;
    res->legs = hc_arena_alloc(a, sizeof(*res->legs) * (sh.nlegs + 1));
    for (size_t i = 0; i < sh.nlegs; i++)
        res->legs[i] = (struct hc_leg_times){sh.legs[i].etd_estimated, sh.legs[i].eta_estimated,
                                             sh.legs[i].atd, sh.legs[i].ata};
    if (!transport)
        return HC_OK;
    struct hc_event *all = NULL;
    size_t nall = 0;
    if ((rc = transport_events(s, a, shipment, &all, &nall, err)) != HC_OK)
        return rc;
    struct hc_leg_times *t = hc_arena_alloc(a, sizeof(*t) * (sh.nlegs + 1));
    hc_eta_from_events(all, nall, sh.legs, sh.nlegs, t);
    for (size_t i = 0; i < sh.nlegs; i++) {
        if (t[i].etd_estimated < 0 && t[i].eta_estimated < 0 && t[i].atd < 0 && t[i].ata < 0)
            continue;
        if ((rc = hc_shipment_leg_set_times(s, shipment, sh.legs[i].seq, &t[i], err)) != HC_OK)
            return rc;
        if (t[i].etd_estimated >= 0)
            res->legs[i].etd_estimated = t[i].etd_estimated;
        if (t[i].eta_estimated >= 0)
            res->legs[i].eta_estimated = t[i].eta_estimated;
        if (t[i].atd >= 0)
            res->legs[i].atd = t[i].atd;
        if (t[i].ata >= 0)
            res->legs[i].ata = t[i].ata;
    }
    return HC_OK;
}

/* ---- milestones in the DCSA shape --------------------------------------------------------- */
static const struct {
    const char *kind;
    int type;
    const char *code, *doc;
} milestone_map[] = {
    {"booked", HC_EVT_SHIPMENT, "CONF", "BKG"},
    {"customs_released", HC_EVT_SHIPMENT, "RELS", "CUS"},
    {"gated_out", HC_EVT_EQUIPMENT, "GTOT", NULL},
    {"departed", HC_EVT_TRANSPORT, "DEPA", NULL},
    {"arrived", HC_EVT_TRANSPORT, "ARRI", NULL},
    {"received", HC_EVT_SHIPMENT, "CMPL", "SHI"},
};

void hc_event_from_milestone(const char *shipment, const struct hc_milestone *m,
                             struct hc_event *out, hc_arena *a)
{
    memset(out, 0, sizeof(*out));
    out->event_id = hc_arena_printf(a, "hc-%s-%lld", shipment, (long long)m->id);
    out->shipment = shipment;
    out->seq = m->id;
    out->classifier = "ACT";
    out->event_at = m->at;
    out->created_at = m->recorded_at;
    out->received_at = m->recorded_at;
    out->publisher = "haicang";
    out->milestone = m->kind;
    out->location = m->place;
    out->type = HC_EVT_SHIPMENT;
    out->type_code = "CMPL";
    out->document_type = "SHI";
    for (size_t i = 0; i < HC_ARRAY_LEN(milestone_map); i++)
        if (strcmp(milestone_map[i].kind, m->kind) == 0) {
            out->type = milestone_map[i].type;
            out->type_code = milestone_map[i].code;
            out->document_type = milestone_map[i].doc;
        }
    /* an equipment event needs its container; without one it is the shipment's */
    if (out->type == HC_EVT_EQUIPMENT && (m->container == NULL || m->container[0] == '\0')) {
        out->type = HC_EVT_SHIPMENT;
        out->type_code = "CMPL";
        out->document_type = "SHI";
    }
    if (out->type == HC_EVT_EQUIPMENT)
        out->equipment = m->container;
    if (out->type == HC_EVT_SHIPMENT)
        out->document_ref = shipment;
}

/* ---- the feed ------------------------------------------------------------------------------ */
/* Which shipments a tenant sees: those of its warehouse (operator), those it
 * booked or carries inbounds of (seller). */
#define VISIBLE_SELLER                                                                             \
    " AND %s IN (SELECT id FROM shipments WHERE owner = ? UNION"                                \
    " SELECT shipment_id FROM shipment_inbounds WHERE seller = ?)"
#define VISIBLE_WAREHOUSE " AND %s IN (SELECT id FROM shipments WHERE warehouse = ?)"

static int list_part(hc_store *s, hc_arena *a, const struct hc_events_filter *f, bool milestones,
                     int64_t after_seq, struct hc_event *out, size_t *n, hc_err *err)
{
    hc_buf sql;
    hc_buf_init(&sql, 4096);
    const char *col = "shipment_id";
    if (milestones)
        hc_buf_puts(&sql, "SELECT shipment_id, id, kind, container, place, at, recorded_at, actor"
                          " FROM shipment_milestones WHERE id > ? AND recorded_at > ?");
    else
        hc_buf_puts(&sql, EVENT_COLS " WHERE seq > ? AND received_at > ?");
    if (f->shipment)
        hc_buf_printf(&sql, " AND %s = ?", col);
    if (f->seller)
        hc_buf_printf(&sql, VISIBLE_SELLER, col);
    if (f->warehouse)
        hc_buf_printf(&sql, VISIBLE_WAREHOUSE, col);
    hc_buf_printf(&sql, " ORDER BY %s LIMIT %d", milestones ? "id" : "seq", f->limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql.p, &q, err);
    hc_buf_free(&sql);
    if (rc != HC_OK)
        return rc;
    int i = 1;
    hc_stmt_bind_int(q, i++, after_seq);
    hc_stmt_bind_int(q, i++, f->after);
    if (f->shipment)
        hc_stmt_bind_text(q, i++, f->shipment);
    if (f->seller) {
        hc_stmt_bind_text(q, i++, f->seller);
        hc_stmt_bind_text(q, i++, f->seller);
    }
    if (f->warehouse)
        hc_stmt_bind_text(q, i++, f->warehouse);
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)f->limit + 1) {
        if (milestones) {
            struct hc_milestone m = {.id = hc_stmt_int(q, 1),
                                     .kind = hc_arena_strdup(a, hc_stmt_text(q, 2)),
                                     .container = opt_text(q, 3, a),
                                     .place = opt_text(q, 4, a),
                                     .at = hc_stmt_int(q, 5),
                                     .recorded_at = hc_stmt_int(q, 6),
                                     .actor = hc_arena_strdup(a, hc_stmt_text(q, 7))};
            hc_event_from_milestone(hc_arena_strdup(a, hc_stmt_text(q, 0)), &m, &out[k++], a);
        } else {
            read_event(q, a, &out[k++]);
        }
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *n = k;
    return HC_OK;
}

int hc_events_list(hc_store *s, hc_arena *a, const struct hc_events_filter *f,
                   struct hc_event **items, size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(f->limit > 0);
    int64_t after_seq = 0;
    if (f->cursor && *f->cursor && hc_parse_i64(f->cursor, 0, INT64_MAX, &after_seq))
        return hc_err_set(err, HC_EINVAL, "cursor", "not a cursor of this list");
    size_t lim = (size_t)f->limit + 1;
    struct hc_event *ev = hc_arena_alloc(a, sizeof(*ev) * lim);
    struct hc_event *ms = hc_arena_alloc(a, sizeof(*ms) * lim);
    size_t nev = 0, nms = 0;
    int rc = list_part(s, a, f, false, after_seq, ev, &nev, err);
    if (rc == HC_OK)
        rc = list_part(s, a, f, true, after_seq, ms, &nms, err);
    if (rc != HC_OK)
        return rc;
    /* merge by seq (both are hc_id_next values: one arrival order) */
    struct hc_event *out = hc_arena_alloc(a, sizeof(*out) * lim);
    size_t i = 0, j = 0, k = 0;
    while (k < lim && (i < nev || j < nms)) {
        if (j == nms || (i < nev && ev[i].seq < ms[j].seq))
            out[k++] = ev[i++];
        else
            out[k++] = ms[j++];
    }
    *next = NULL;
    if (k > (size_t)f->limit) {
        k = (size_t)f->limit;
        *next = hc_arena_printf(a, "%lld", (long long)out[k - 1].seq);
    }
    *items = out;
    *n = k;
    return HC_OK;
}

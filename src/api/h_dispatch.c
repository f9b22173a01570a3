/* h_dispatch.c: the day's dispatch (parcels by carrier service and cut-off),
 * manifests (close, PDF, CSV), scan-out, the warehouse's ship-at setting,
 * and tracking events (batch and inbox) with what the seller sees of them.
 * The domain is src/lastmile/manifest.c and tracking.c. */
#include "h_dispatch.h"
#include "internal.h"

#include "lastmile/lastmile.h"
#include "orders/orders.h"
#include "render/render.h"
#include "warehouse/warehouse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOC_MAX (64u << 20)

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

static bool is_day(const char *d)
{
    int64_t ms;
    return d && strlen(d) == 10 && hc_time_parse_iso(d, &ms) == HC_OK;
}

/* The warehouse a request is about: the query's or body's, else an
 * operator's own; NULL (after answering) when missing or not the caller's. */
static const char *warehouse_of(struct req *r, const char *given, const char *field)
{
    if (given == NULL && r->who.role == ROLE_OPERATOR)
        given = r->who.warehouse;
    if (given == NULL) {
        fail_field(r, HC_EINVAL, field, "is required");
        return NULL;
    }
    if (!api_may_warehouse(r, given)) {
        fail_field(r, HC_ENOTFOUND, field, "no such warehouse");
        return NULL;
    }
    return given;
}

static json_t *render_parcel_short(const struct hc_lm_parcel *p)
{
    return json_pack("{s:s,s:s,s:I,s:s,s:I,s:o,s:s}", "id", p->id, "order", p->order_id, "seq",
                     (json_int_t)p->seq, "tracking_no", p->tracking_no, "weight_g",
                     (json_int_t)p->weight_g, "dims_mm", j_dims(p->dims_mm), "ship_day",
                     p->ship_day);
}

static json_t *render_manifest(const struct hc_lm_manifest *m, bool with_parcels)
{
    char pdf[96], csv[96];
    snprintf(pdf, sizeof(pdf), "/v1/manifests/%s.pdf", m->id);
    snprintf(csv, sizeof(csv), "/v1/manifests/%s.csv", m->id);
    json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s,s:s},s:s,s:I,s:I,s:s,s:o,s:s,s:{s:s,s:s}}", "id",
                          m->id, "warehouse", m->warehouse, "service", "code", m->service_code,
                          "carrier", m->carrier, "name", m->service_name, "pickup_day",
                          m->pickup_day, "parcel_count", (json_int_t)m->nparcels, "weight_g",
                          (json_int_t)m->weight_g, "ship_at", hc_lm_ship_at_name(m->ship_at),
                          "closed_at", j_time(m->closed_at), "closed_by", m->closed_by,
                          "documents", "pdf", pdf, "csv", csv);
    if (with_parcels) {
        json_t *arr = json_array();
        for (size_t i = 0; i < m->n; i++)
            json_array_append_new(arr, render_parcel_short(&m->parcels[i]));
        json_object_set_new(o, "parcels", arr);
    }
    return o;
}

/* ---- GET /v1/dispatch ------------------------------------------------------------------ */

/* ISO weekday (1 Monday .. 7 Sunday) of a valid day. */
static int iso_weekday(const char *day)
{
    int64_t ms = 0;
    hc_time_parse_iso(day, &ms);
    int64_t d = ms / HC_DAY_MS; /* 1970-01-01 was a Thursday (4) */
    return (int)(((d % 7) + 7 + 3) % 7) + 1;
}

/* Service i's pickup: day when asked for one, else its next pickup (today
 * before the cut-off, else the next pickup day that is no holiday or closed
 * day of the warehouse, as rt promises), with the parcels waiting. */
static json_t *render_service_day(struct req *r, hc_store *st, const hc_lm_rater *rt,
                                  const struct hc_lm_service *sv, size_t i, const char *day,
                                  const char *today, int now_min)
{
    char pickup[11];
    if (day) {
        hc_strlcpy(pickup, day, sizeof(pickup));
    } else {
        struct hc_lm_quote q;
        hc_lm_rater_promise(rt, i, NULL, today, now_min, &q);
        hc_strlcpy(pickup, q.ship_day, sizeof(pickup));
    }
    struct hc_lm_parcel *ps;
    size_t n = 0;
    if (hc_lm_manifest_pending(st, r->arena, sv->warehouse, sv->code, pickup, &ps, &n, &r->err))
        return NULL;
    bool picks_up = (sv->pickup_days >> (iso_weekday(today) - 1)) & 1;
    char cutoff[32];
    snprintf(cutoff, sizeof(cutoff), "%02d:%02d", sv->cutoff_min / 60, sv->cutoff_min % 60);
    json_t *left = json_null();
    if (picks_up && strcmp(pickup, today) == 0)
        left = json_integer(sv->cutoff_min - now_min);
    int64_t weight = 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        weight += ps[i].weight_g;
        json_array_append_new(arr, render_parcel_short(&ps[i]));
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:I,s:I,s:o}", "code", sv->code, "carrier",
                     sv->carrier, "name", sv->name, "cutoff", cutoff, "pickup_day", pickup,
                     "pickup_today", picks_up, "minutes_to_cutoff", left, "parcel_count",
                     (json_int_t)n, "weight_g", (json_int_t)weight, "parcels", arr);
}

int h_dispatch_day(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *wh = warehouse_of(r, api_query(r, "warehouse"), "warehouse");
    if (st == NULL || wh == NULL)
        return st ? HC_OK : api_fail(r);
    char today[11];
    int now_min = 0, ship_at = 0;
    if (hc_lm_local_now(st, r->arena, wh, today, &now_min, &r->err) ||
        hc_lm_ship_at_get(st, wh, &ship_at, &r->err))
        return api_fail(r);
    const char *asked = api_query(r, "day"), *day = asked ? asked : today;
    if (asked && !is_day(asked))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    struct hc_lm_service *sv;
    size_t n = 0;
    hc_lm_rater *rt = NULL;
    if (hc_lm_services_on(st, r->arena, wh, day, &sv, &n, &r->err) ||
        hc_lm_rater_for(st, r->arena, wh, NULL, today, sv, n, &rt, &r->err))
        return api_fail(r);
    json_t *services = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *s = render_service_day(r, st, rt, &sv[i], i, asked, today, now_min);
        if (s == NULL) {
            hc_lm_rater_free(rt);
            json_decref(services);
            return api_fail(r);
        }
        json_array_append_new(services, s);
    }
    hc_lm_rater_free(rt);
    struct hc_lm_manifest_filter f = {.warehouse = wh, .day = asked, .limit = 20};
    struct hc_lm_manifest *ms;
    size_t nm = 0;
    const char *next;
    if (hc_lm_manifest_list(st, r->arena, &f, &ms, &nm, &next, &r->err)) {
        json_decref(services);
        return api_fail(r);
    }
    json_t *closed = json_array();
    for (size_t i = 0; i < nm; i++)
        json_array_append_new(closed, render_manifest(&ms[i], false));
    return api_reply(r, 200,
                     json_pack("{s:s,s:s,s:s,s:i,s:s,s:o,s:o}", "warehouse", wh, "day", day,
                               "today", today, "local_minute", now_min, "ship_at",
                               hc_lm_ship_at_name(ship_at), "services", services, "manifests",
                               closed));
}

/* ---- ship-at setting ---------------------------------------------------------------------- */

struct setting_ctx {
    const char *warehouse;
    int ship_at;
};

static int setting_job(hc_store *s, void *ctx, hc_err *err)
{
    struct setting_ctx *c = ctx;
    return hc_lm_ship_at_set(s, c->warehouse, c->ship_at, err);
}

static int setting_render(struct req *r)
{
    struct setting_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:s}", "warehouse", c->warehouse, "ship_at",
                                       hc_lm_ship_at_name(c->ship_at)));
}

int h_dispatch_settings_put(struct req *r)
{
    json_t *b;
    const char *v = NULL;
    struct setting_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->warehouse = r->params[0];
    if (!api_may_warehouse(r, c->warehouse))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (jv_body(r, &b) || jv_str(r, b, "", "ship_at", true, &v))
        return api_fail(r);
    const char *key;
    json_t *val;
    json_object_foreach(b, key, val)
    {
        if (strcmp(key, "ship_at") != 0)
            return fail_field(r, HC_EINVAL, hc_arena_strdup(r->arena, key), "is not a field here");
    }
    if ((c->ship_at = hc_lm_ship_at_parse(v)) < 0)
        return fail_field(r, HC_EINVAL, "ship_at", "must be manifest or scan_out");
    return api_write(r, setting_job, setting_render, c);
}

int h_dispatch_settings_get(struct req *r)
{
    hc_store *st = api_reader(r);
    int v = 0;
    if (st == NULL)
        return api_fail(r);
    if (!api_may_warehouse(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (hc_lm_ship_at_get(st, r->params[0], &v, &r->err))
        return api_fail(r);
    return api_reply(r, 200, json_pack("{s:s,s:s}", "warehouse", r->params[0], "ship_at",
                                       hc_lm_ship_at_name(v)));
}

/* ---- manifests ------------------------------------------------------------------------------ */

struct close_ctx {
    const char *warehouse, *service, *day, *actor;
    hc_arena *arena;
    struct hc_lm_manifest m;
};

static int close_job(hc_store *s, void *ctx, hc_err *err)
{
    struct close_ctx *c = ctx;
    return hc_lm_manifest_close(s, c->arena, c->warehouse, c->service, c->day, c->actor, &c->m,
                                err);
}

static int close_render(struct req *r)
{
    struct close_ctx *c = r->ctx;
    return api_reply(r, 201, render_manifest(&c->m, true));
}

int h_manifest_close(struct req *r)
{
    hc_store *st = api_reader(r);
    json_t *b;
    struct close_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    const char *wh = NULL;
    if (st == NULL || jv_body(r, &b) || jv_str(r, b, "", "warehouse", false, &wh) ||
        jv_str(r, b, "", "service", true, &c->service) ||
        jv_str(r, b, "", "day", false, &c->day))
        return api_fail(r);
    const char *key;
    json_t *val;
    json_object_foreach(b, key, val)
    {
        if (strcmp(key, "warehouse") && strcmp(key, "service") && strcmp(key, "day"))
            return fail_field(r, HC_EINVAL, hc_arena_strdup(r->arena, key), "is not a field here");
    }
    if ((c->warehouse = warehouse_of(r, wh, "warehouse")) == NULL)
        return HC_OK;
    if (c->day && !is_day(c->day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    if (c->day == NULL) {
        char *today = hc_arena_alloc(r->arena, 11);
        int min;
        if (hc_lm_local_now(st, r->arena, c->warehouse, today, &min, &r->err))
            return api_fail(r);
        c->day = today;
    }
    return api_write(r, close_job, close_render, c);
}

/* The manifest of params[0] when the caller may see it; answers otherwise. */
static int visible_manifest(struct req *r, hc_store *st, struct hc_lm_manifest *m)
{
    if (st == NULL || hc_lm_manifest_get(st, r->arena, r->params[0], m, &r->err))
        return api_fail(r), HC_EINVAL;
    if (!api_may_warehouse(r, m->warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such manifest"), HC_ENOTFOUND;
    return HC_OK;
}

int h_manifest_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_manifest m;
    if (visible_manifest(r, st, &m))
        return HC_OK;
    return api_reply(r, 200, render_manifest(&m, true));
}

int h_manifest_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_lm_manifest_filter f = {.warehouse = api_query(r, "warehouse"),
                                      .service_code = api_query(r, "service"),
                                      .day = api_query(r, "day"),
                                      .cursor = pg.cursor,
                                      .limit = pg.limit};
    if (f.day && !is_day(f.day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    const char *seller = NULL;
    if (!api_scope(r, &seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_lm_manifest *v;
    size_t n;
    const char *next;
    if (hc_lm_manifest_list(st, r->arena, &f, &v, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_manifest(&v[i], false));
    return api_reply(r, 200, j_page(arr, next));
}

/* "DE 10115" for each parcel of m, from its order's ship-to. */
static const char **destinations(struct req *r, hc_store *st, const struct hc_lm_manifest *m)
{
    const char **d = hc_arena_alloc(r->arena, sizeof(*d) * (m->n + 1));
    for (size_t i = 0; i < m->n; i++) {
        struct hc_order o;
        if (i > 0 && strcmp(m->parcels[i].order_id, m->parcels[i - 1].order_id) == 0) {
            d[i] = d[i - 1];
            continue;
        }
        if (hc_order_get(st, r->arena, m->parcels[i].order_id, &o, &r->err))
            return NULL;
        json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
        const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
        d[i] = hc_arena_printf(r->arena, "%s %s", o.ship_country ? o.ship_country : "",
                               pc ? pc : "");
        json_decref(sh);
    }
    return d;
}

static int manifest_doc(struct req *r, bool pdf)
{
    hc_store *st = api_reader(r);
    struct hc_lm_manifest m;
    const char *lang = api_query(r, "lang");
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
        return fail_field(r, HC_EINVAL, "lang", "must be zh or en");
    if (visible_manifest(r, st, &m))
        return HC_OK;
    const char **dest = destinations(r, st, &m);
    if (dest == NULL)
        return api_fail(r);
    struct hc_doc d;
    hc_lm_manifest_doc(r->arena, &m, dest, lang ? lang : "zh", &d);
    hc_buf b;
    hc_buf_init(&b, DOC_MAX);
    int rc = pdf ? hc_render_pdf(&d, &b, &r->err) : hc_render_csv(&d, &b, &r->err);
    if (rc != HC_OK || b.p == NULL) {
        hc_buf_free(&b);
        if (rc == HC_OK)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty document");
        return api_fail(r);
    }
    return api_reply_bytes(r, &b, pdf ? "application/pdf" : "text/csv; charset=utf-8");
}

int h_manifest_pdf(struct req *r)
{
    return manifest_doc(r, true);
}

int h_manifest_csv(struct req *r)
{
    return manifest_doc(r, false);
}

/* ---- scan-out -------------------------------------------------------------------------------- */

struct scan_ctx {
    const char *parcel, *actor;
    hc_arena *arena;
    bool shipped;
};

static int scan_job(hc_store *s, void *ctx, hc_err *err)
{
    struct scan_ctx *c = ctx;
    return hc_lm_scan_out(s, c->arena, c->parcel, c->actor, &c->shipped, err);
}

static int scan_render(struct req *r)
{
    struct scan_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:b,s:b}", "parcel", c->parcel, "scanned_out", 1,
                                       "order_shipped", c->shipped));
}

int h_parcel_scan_out(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_parcel p;
    json_t *b;
    if (st == NULL || hc_lm_parcel_get(st, r->arena, r->params[0], &p, &r->err))
        return api_fail(r);
    if (!api_may_warehouse(r, p.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such parcel");
    if (r->body.n > 0 && jv_body(r, &b))
        return api_fail(r);
    struct scan_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->parcel = p.id;
    c->actor = api_actor(r);
    c->arena = r->arena;
    return api_write(r, scan_job, scan_render, c);
}

/* ---- tracking events ------------------------------------------------------------------------- */

struct track_ctx {
    struct hc_lm_track_event *ev;
    size_t n;
    const char *warehouse, *source;
    hc_arena *arena;
    struct hc_lm_track_result res;
};

static int track_job(hc_store *s, void *ctx, hc_err *err)
{
    struct track_ctx *c = ctx;
    return hc_lm_track_apply(s, c->arena, c->ev, c->n, c->warehouse, c->source, &c->res, err);
}

static json_t *render_result(const struct hc_lm_track_result *x)
{
    return json_pack("{s:I,s:I,s:I,s:I}", "stored", (json_int_t)x->stored, "duplicates",
                     (json_int_t)x->duplicates, "orders_delivered",
                     (json_int_t)x->delivered_orders, "orders_flagged",
                     (json_int_t)x->flagged_orders);
}

static int track_render(struct req *r)
{
    struct track_ctx *c = r->ctx;
    return api_reply(r, c->res.stored > 0 ? 201 : 200, render_result(&c->res));
}

static int parse_event(struct req *r, json_t *arr, size_t i, struct hc_lm_track_event *e)
{
    static const char *const known[] = {"tracking_no", "status", "time", "location", "detail"};
    json_t *o, *val;
    const char *p, *t = NULL, *key;
    if (jv_item(r, arr, "events", i, &o, &p) ||
        jv_str(r, o, p, "tracking_no", true, &e->tracking_no) ||
        jv_str(r, o, p, "status", true, &e->status) || jv_str(r, o, p, "time", true, &t) ||
        jv_str(r, o, p, "location", false, &e->location) ||
        jv_str(r, o, p, "detail", false, &e->detail))
        return r->err.code;
    json_object_foreach(o, key, val)
    {
        bool ok = false;
        for (size_t k = 0; k < HC_ARRAY_LEN(known); k++)
            ok = ok || strcmp(key, known[k]) == 0;
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, key), "is not a field of an event");
    }
    if (strlen(t) < 20 || hc_time_parse_iso(t, &e->at) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, p, "time"),
                          "must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    return HC_OK;
}

int h_tracking_events(struct req *r)
{
    json_t *b, *arr;
    if (jv_body(r, &b) || jv_array(r, b, "", "events", HC_LM_TRACK_BATCH_MAX, &arr))
        return api_fail(r);
    struct track_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->n = json_array_size(arr);
    c->ev = hc_arena_alloc(r->arena, sizeof(*c->ev) * (c->n + 1));
    c->arena = r->arena;
    c->source = "api";
    c->warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
    for (size_t i = 0; i < c->n; i++)
        if (parse_event(r, arr, i, &c->ev[i]))
            return api_fail(r);
    if (c->n == 0)
        return fail_field(r, HC_EINVAL, "events", "must hold at least one event");
    return api_write(r, track_job, track_render, c);
}

/* POST /v1/tracking-events/inbox: the inbox directory now (the server also
 * polls it, see h_tracking_inbox_poll). */
struct inbox_ctx {
    const char *warehouse;
    json_t *files;
};

static int inbox_apply(void *p, struct hc_lm_track_event *ev, size_t n, hc_err *err)
{
    struct inbox_ctx *ic = p;
    hc_arena *a = hc_arena_new(64 * 1024);
    struct track_ctx c = {.ev = ev, .n = n, .warehouse = ic ? ic->warehouse : NULL,
                          .source = "inbox", .arena = a};
    int rc = hc_db_write(hc_srv.db, track_job, &c, err);
    hc_arena_free(a);
    if (ic && ic->files)
        json_array_append_new(ic->files, json_pack("{s:I,s:I,s:o}", "stored",
                                                   (json_int_t)c.res.stored, "duplicates",
                                                   (json_int_t)c.res.duplicates, "error",
                                                   rc == HC_OK ? json_null()
                                                               : json_string(err->msg)));
    return rc;
}

const char *h_tracking_inbox_dir(void)
{
    const char *d = getenv("HAICANG_TRACKING_INBOX");
    return d && *d ? d : NULL;
}

int h_tracking_inbox(struct req *r)
{
    const char *dir = h_tracking_inbox_dir();
    json_t *b;
    if (r->body.n > 0 && jv_body(r, &b))
        return api_fail(r);
    if (dir == NULL)
        return fail_field(r, HC_ECONFLICT, "inbox",
                          "no tracking inbox: set HAICANG_TRACKING_INBOX for the server");
    struct inbox_ctx ic = {.warehouse = r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL,
                           .files = json_array()};
    size_t ok = 0, bad = 0;
    if (hc_lm_track_inbox_scan(dir, inbox_apply, &ic, &ok, &bad, &r->err)) {
        json_decref(ic.files);
        return api_fail(r);
    }
    return api_reply(r, 200, json_pack("{s:I,s:I,s:o}", "processed", (json_int_t)ok, "failed",
                                       (json_int_t)bad, "files", ic.files));
}

void h_tracking_inbox_poll(void)
{
    const char *dir = h_tracking_inbox_dir();
    hc_err err = {0};
    size_t ok = 0, bad = 0;
    if (dir && hc_lm_track_inbox_scan(dir, inbox_apply, NULL, &ok, &bad, &err) != HC_OK)
        hc_log(HC_LOG_WARN, "tracking inbox: %s", err.msg);
}

static json_t *render_track_event(const struct hc_lm_track_event *e)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:s,s:s,s:s}", "id", e->id, "parcel", e->parcel,
                     "tracking_no", e->tracking_no, "time", j_time(e->at), "status", e->status,
                     "location", e->location, "detail", e->detail);
}

static int tracking_reply(struct req *r, hc_store *st, const struct hc_order *o,
                          const char *parcel)
{
    struct hc_lm_track_event *ev, flag;
    size_t n = 0;
    bool flagged = false;
    if (hc_lm_track_of(st, r->arena, o->id, parcel, &ev, &n, &r->err) ||
        hc_lm_order_flag(st, r->arena, o->id, &flagged, &flag, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_track_event(&ev[i]));
    json_t *fl = flagged ? json_pack("{s:s,s:s,s:o,s:s,s:s}", "status", flag.status,
                                     "tracking_no", flag.tracking_no, "time", j_time(flag.at),
                                     "location", flag.location, "detail", flag.detail)
                         : json_null();
    return api_reply(r, 200, json_pack("{s:s,s:s,s:o,s:o}", "order", o->id, "status", o->status,
                                       "exception", fl, "events", arr));
}

int h_order_tracking(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_order o;
    if (st == NULL || hc_order_get(st, r->arena, r->params[0], &o, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, o.seller) || (r->who.role == ROLE_OPERATOR &&
                                         (!o.warehouse || !api_may_warehouse(r, o.warehouse))))
        return fail_field(r, HC_ENOTFOUND, "id", "no such order");
    return tracking_reply(r, st, &o, NULL);
}

int h_parcel_tracking(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_lm_parcel p;
    struct hc_order o;
    if (st == NULL || hc_lm_parcel_get(st, r->arena, r->params[0], &p, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, p.seller) || !api_may_warehouse(r, p.warehouse))
        return fail_field(r, HC_ENOTFOUND, "id", "no such parcel");
    if (hc_order_get(st, r->arena, p.order_id, &o, &r->err))
        return api_fail(r);
    return tracking_reply(r, st, &o, p.id);
}

/* ---- labels in bulk ---------------------------------------------------------------------------- */

#define BULK_LABELS_MAX 500
#define BULK_DOC_MAX (64u << 20)

/* The label of parcel p (as the pickup's list holds it) as GET
 * /v1/parcels/{id}/label.pdf draws it. */
static int label_for(struct req *r, hc_store *st, const struct hc_warehouse *w,
                     const struct hc_lm_parcel *p, struct hc_lm_label *l)
{
    struct hc_lm_parcel full;
    if (hc_lm_parcel_get(st, r->arena, p->id, &full, &r->err))
        return r->err.code;
    return api_parcel_label(r, st, &full, w, l);
}

/* Hands buffer b to the reply as a PDF or ZPL document. */
static int reply_doc(struct req *r, hc_buf *b, bool pdf)
{
    HC_ASSERT(b->p != NULL);
    return api_reply_bytes(r, b, pdf ? "application/pdf" : "application/zpl; charset=utf-8");
}

static int reply_labels(struct req *r, const struct hc_lm_label *ls, size_t n, bool pdf,
                        const char *field)
{
    hc_buf b;
    hc_buf_init(&b, BULK_DOC_MAX);
    int rc = pdf ? hc_lm_labels_pdf(ls, n, &b, &r->err) : hc_lm_labels_zpl(ls, n, &b, &r->err);
    if (rc != HC_OK || b.p == NULL) {
        hc_buf_free(&b);
        if (rc == HC_ETOOBIG || r->err.code == HC_ETOOBIG) {
            hc_err_clear(&r->err);
            return fail_field(r, HC_ETOOBIG, field, "the labels are over 64 MiB");
        }
        if (r->err.code == 0)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty document");
        return api_fail(r);
    }
    return reply_doc(r, &b, pdf);
}

/* GET /v1/dispatch/labels.pdf|zpl?warehouse&service&day: the labels of the
 * parcels waiting for a service's pickup (orders with an uploaded label
 * print that file instead and are left out). */
static int pickup_labels(struct req *r, hc_store *st, bool pdf)
{
    if (r->who.role == ROLE_SELLER)
        return fail_field(r, HC_EFORBIDDEN, "orders",
                          "a seller key prints the labels of chosen orders only: give orders");
    const char *wh = warehouse_of(r, api_query(r, "warehouse"), "warehouse");
    if (wh == NULL)
        return HC_OK;
    const char *svc = api_query(r, "service"), *day = api_query(r, "day");
    if (svc == NULL || *svc == '\0')
        return fail_field(r, HC_EINVAL, "service", "is required");
    if (day && !is_day(day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    char today[11];
    int min;
    struct hc_warehouse w;
    struct hc_lm_parcel *ps;
    size_t n = 0;
    if (hc_lm_local_now(st, r->arena, wh, today, &min, &r->err) ||
        hc_warehouse_get(st, r->arena, wh, &w, &r->err) ||
        hc_lm_manifest_pending(st, r->arena, wh, svc, day ? day : today, &ps, &n, &r->err))
        return api_fail(r);
    struct hc_lm_label *ls = hc_arena_alloc(r->arena, sizeof(*ls) * (n + 1));
    size_t k = 0;
    for (size_t i = 0; i < n && k < BULK_LABELS_MAX; i++) {
        struct hc_lm_upload u;
        hc_err e2 = {0};
        int urc = hc_lm_upload_get(st, r->arena, ps[i].order_id, false, &u, &e2);
        if (urc == HC_OK)
            continue;
        if (urc != HC_ENOTFOUND)
            return hc_err_set(&r->err, urc, e2.field, "%s", e2.msg), api_fail(r);
        if (label_for(r, st, &w, &ps[i], &ls[k]))
            return api_fail(r);
        k++;
    }
    if (k == 0)
        return fail_field(r, HC_ECONFLICT, "service", "no parcel of the service waits for a label");
    return reply_labels(r, ls, k, pdf, "service");
}

/* GET /v1/dispatch/labels.pdf|zpl?orders=ID,ID[&warehouse]: the labels of
 * exactly those orders, in the order given (bulk_labels.c). */
static int orders_labels(struct req *r, hc_store *st, const char *list, bool pdf)
{
    static const char *const pickup_only[] = {"service", "day"};
    for (size_t i = 0; i < HC_ARRAY_LEN(pickup_only); i++)
        if (api_query(r, pickup_only[i]))
            return fail_field(r, HC_EINVAL, pickup_only[i], "is not used with orders");
    struct hc_api_label_scope sc = {.warehouse = api_query(r, "warehouse")};
    if (sc.warehouse && !api_may_warehouse(r, sc.warehouse))
        return fail_field(r, HC_ENOTFOUND, "warehouse", "no such warehouse");
    if (r->who.role == ROLE_OPERATOR)
        sc.warehouse = r->who.warehouse;
    if (r->who.role == ROLE_SELLER)
        sc.seller = r->who.seller;
    char **ids;
    size_t n = 0;
    if (hc_api_order_ids(r->arena, list, &ids, &n, &r->err))
        return api_fail(r);
    hc_buf b;
    hc_buf_init(&b, BULK_DOC_MAX);
    if (hc_api_order_labels(st, r->arena, ids, n, &sc, pdf, &b, &r->err) != HC_OK) {
        hc_buf_free(&b);
        return api_fail(r);
    }
    return reply_doc(r, &b, pdf);
}

static int dispatch_labels(struct req *r, bool pdf)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    /* present but empty is refused, not taken for absent */
    const char *list = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "orders");
    return list ? orders_labels(r, st, list, pdf) : pickup_labels(r, st, pdf);
}

int h_dispatch_labels(struct req *r)
{
    return dispatch_labels(r, true);
}

int h_dispatch_labels_zpl(struct req *r)
{
    return dispatch_labels(r, false);
}

/* ---- the inbox poller ------------------------------------------------------------------------ */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool running, stop;
    int period_s;
} poller = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false, false, 10};

static void *poller_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&poller.mu);
    while (!poller.stop) {
        pthread_mutex_unlock(&poller.mu);
        h_tracking_inbox_poll();
        pthread_mutex_lock(&poller.mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += poller.period_s;
        while (!poller.stop && pthread_cond_timedwait(&poller.cv, &poller.mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&poller.mu);
    return NULL;
}

void h_tracking_poller_start(void)
{
    if (h_tracking_inbox_dir() == NULL)
        return;
    const char *per = getenv("HAICANG_TRACKING_POLL_S");
    int64_t p = 10;
    if (per && hc_parse_i64(per, 1, 86400, &p) != HC_OK)
        p = 10;
    pthread_mutex_lock(&poller.mu);
    if (!poller.running) {
        poller.period_s = (int)p;
        poller.stop = false;
        poller.running = pthread_create(&poller.th, NULL, poller_main, NULL) == 0;
        if (!poller.running)
            hc_log(HC_LOG_WARN, "tracking inbox: cannot start the poller thread");
    }
    pthread_mutex_unlock(&poller.mu);
}

void h_tracking_poller_stop(void)
{
    pthread_mutex_lock(&poller.mu);
    bool was = poller.running;
    poller.stop = true;
    pthread_cond_broadcast(&poller.cv);
    pthread_mutex_unlock(&poller.mu);
    if (was)
        pthread_join(poller.th, NULL);
    poller.running = false;
}

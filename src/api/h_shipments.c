/* h_shipments.c: head-haul shipments, their containers, departure, arrival
 * and a warehouse's arrivals; JSON glue around src/headhaul. */
#include "internal.h"

#include "h_customs.h"
#include "headhaul/headhaul.h"

#include <stdio.h>
#include <string.h>

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_clear(&r->err);
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, id);
    return api_fail(r);
}

static const char *tenant_seller(const struct req *r)
{
    return r->who.role == ROLE_SELLER ? r->who.seller : NULL;
}
static const char *tenant_warehouse(const struct req *r)
{
    return r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
}

/* ---- rendering ------------------------------------------------------------- */

static json_t *j_time_or_null(int64_t ms)
{
    return ms ? j_time(ms) : json_null();
}

static json_t *render_leg(const struct hc_leg *l)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "seq",
                     (json_int_t)l->seq, "from", l->from, "to", l->to, "mode", l->mode, "carrier",
                     j_str_or_null(l->carrier), "service", j_str_or_null(l->service), "departure",
                     j_str_or_null(l->departure), "voyage", j_str_or_null(l->voyage),
                     "etd_planned", j_time_or_null(l->etd_planned), "eta_planned",
                     j_time_or_null(l->eta_planned), "etd_estimated",
                     j_time_or_null(l->etd_estimated), "eta_estimated",
                     j_time_or_null(l->eta_estimated), "atd", j_time_or_null(l->atd), "ata",
                     j_time_or_null(l->ata));
}

static json_t *render_container(const struct hc_container *c)
{
    json_t *seals = json_array(), *contents = json_array();
    for (size_t i = 0; i < c->nseals; i++)
        json_array_append_new(seals, json_string(c->seals[i]));
    int64_t cartons = 0;
    for (size_t i = 0; i < c->ncontents; i++) {
        cartons += c->contents[i].cartons;
        json_array_append_new(contents, json_pack("{s:s,s:s,s:I}", "seller", c->contents[i].seller,
                                                  "inbound", c->contents[i].inbound, "cartons",
                                                  (json_int_t)c->contents[i].cartons));
    }
    json_t *plan = json_null();
    if (c->loading_plan) {
        char url[128];
        snprintf(url, sizeof(url), "/v1/loading-plans/%s", c->loading_plan);
        plan = json_pack("{s:s,s:s}", "id", c->loading_plan, "url", url);
    }
    bool loose = c->number[0] == '\0';
    return json_pack("{s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:I,s:o}", "number",
                     loose ? json_null() : json_string(c->number), "loose", loose, "size_type",
                     loose ? json_null() : json_string(c->size_type), "seals", seals, "bill_no",
                     j_str_or_null(c->bill_no), "bill_id", j_str_or_null(c->bill_cop_no),
                     "loading_plan", plan, "status",
                     c->status == HC_CONTAINER_CLOSED ? "closed" : "loading", "closed_at",
                     j_time_or_null(c->closed_at), "cartons", (json_int_t)cartons, "contents",
                     contents);
}

static json_t *render_shipment(const struct hc_shipment *sh, bool whole)
{
    json_t *legs = json_array();
    for (size_t i = 0; i < sh->nlegs; i++)
        json_array_append_new(legs, render_leg(&sh->legs[i]));
    const struct hc_leg *last = sh->nlegs ? &sh->legs[sh->nlegs - 1] : NULL;
    int64_t eta = last ? (last->ata ? last->ata : last->eta_estimated ? last->eta_estimated
                                                                      : last->eta_planned)
                       : 0;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "id", sh->id,
                          "mode", hc_transport_mode_name(sh->mode), "status",
                          hc_shipment_status_name(sh->status), "warehouse", sh->warehouse, "site",
                          sh->site, "reference", sh->reference, "late", sh->late, "eta",
                          j_time_or_null(eta), "legs", legs, "created_at", j_time(sh->created_at),
                          "updated_at", j_time(sh->updated_at), "departed_at",
                          j_time_or_null(sh->departed_at), "arrived_at",
                          j_time_or_null(sh->arrived_at));
    if (!whole)
        return o;
    json_t *containers = json_array(), *inbounds = json_array(), *goods = json_array(),
           *ms = json_array();
    for (size_t i = 0; i < sh->ncontainers; i++)
        json_array_append_new(containers, render_container(&sh->containers[i]));
    for (size_t i = 0; i < sh->ninbounds; i++)
        json_array_append_new(inbounds, json_string(sh->inbounds[i]));
    int64_t tot[5] = {0};
    for (size_t i = 0; i < sh->ngoods; i++) {
        const struct hc_shipment_goods *g = &sh->goods[i];
        bool arrived = sh->status >= HC_SHIPMENT_ARRIVED;
        int64_t at_dock = arrived ? g->arrived - g->received : 0;
        int64_t diff = arrived ? g->received - g->departed : 0;
        json_array_append_new(
            goods, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "seller", g->seller, "sku",
                             g->sku, "planned", (json_int_t)g->planned, "departed",
                             (json_int_t)g->departed, "arrived", (json_int_t)g->arrived,
                             "received", (json_int_t)g->received, "at_dock", (json_int_t)at_dock,
                             "difference", (json_int_t)diff));
        tot[0] += g->planned;
        tot[1] += g->departed;
        tot[2] += g->arrived;
        tot[3] += g->received;
        tot[4] += at_dock;
    }
    for (size_t i = 0; i < sh->nmilestones; i++) {
        const struct hc_milestone *m = &sh->milestones[i];
        json_array_append_new(ms, json_pack("{s:s,s:o,s:o,s:o,s:o,s:s}", "kind", m->kind, "at",
                                            j_time(m->at), "recorded_at", j_time(m->recorded_at),
                                            "container", j_str_or_null(m->container), "place",
                                            j_str_or_null(m->place), "actor", m->actor));
    }
    json_object_set_new(o, "containers", containers);
    json_object_set_new(o, "inbounds", inbounds);
    json_object_set_new(o, "goods", goods);
    json_object_set_new(o, "totals",
                        json_pack("{s:I,s:I,s:I,s:I,s:I}", "planned", (json_int_t)tot[0],
                                  "departed", (json_int_t)tot[1], "arrived", (json_int_t)tot[2],
                                  "received", (json_int_t)tot[3], "at_dock", (json_int_t)tot[4]));
    json_object_set_new(o, "milestones", ms);
    return o;
}

/* ---- parsing ---------------------------------------------------------------- */

static int jv_time(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
                   int64_t *out)
{
    const char *v = NULL;
    *out = 0;
    if (jv_str(r, obj, prefix, key, required, &v))
        return r->err.code;
    if (v && hc_time_parse_iso(v, out) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                          "must be an ISO 8601 time (2026-12-01T08:00:00Z) or date");
    return HC_OK;
}

static int parse_container(struct req *r, json_t *c, const char *prefix, struct hc_container *out)
{
    json_t *seals = NULL, *contents = NULL;
    memset(out, 0, sizeof(*out));
    if (jv_str(r, c, prefix, "number", false, &out->number) ||
        jv_str(r, c, prefix, "size_type", false, &out->size_type) ||
        jv_str(r, c, prefix, "bill_no", false, &out->bill_no) ||
        jv_str(r, c, prefix, "loading_plan", false, &out->loading_plan))
        return r->err.code;
    if (json_object_get(c, "seals") && jv_array(r, c, prefix, "seals", HC_SEALS_MAX, &seals))
        return r->err.code;
    for (size_t i = 0; seals && i < json_array_size(seals); i++) {
        char f[128];
        snprintf(f, sizeof(f), "%s%sseals", prefix, prefix[0] ? "." : "");
        if (jv_item_str(r, seals, f, i, &out->seals[i]))
            return r->err.code;
        out->nseals++;
    }
    if (jv_array(r, c, prefix, "contents", HC_SHIPMENT_INBOUNDS_MAX, &contents))
        return r->err.code;
    out->ncontents = json_array_size(contents);
    out->contents = hc_arena_alloc(r->arena, sizeof(*out->contents) * (out->ncontents + 1));
    char cp[128];
    snprintf(cp, sizeof(cp), "%s%scontents", prefix, prefix[0] ? "." : "");
    for (size_t i = 0; i < out->ncontents; i++) {
        json_t *it;
        const char *path;
        if (jv_item(r, contents, cp, i, &it, &path) ||
            jv_str(r, it, path, "inbound", true, &out->contents[i].inbound) ||
            jv_int(r, it, path, "cartons", true, 1, 100000, &out->contents[i].cartons))
            return r->err.code;
    }
    return HC_OK;
}

/* ---- create ----------------------------------------------------------------- */

struct ship_ctx {
    struct hc_shipment sh;
    struct hc_shipment out; /* as the job left it, read in its transaction */
    struct hc_container c;
    const char *id, *number, *tenant_seller, *tenant_warehouse, *actor;
    int64_t at;
    hc_customs_ctx *x;
    hc_arena *arena;
};

/* The answer is rendered from what the job read in its own transaction: with
 * an Idempotency-Key it is rendered (and stored) before the commit. */
static int job_result(hc_store *s, struct ship_ctx *c, const char *id, hc_err *err)
{
    return hc_shipment_get(s, c->arena, id, c->tenant_seller, c->tenant_warehouse, &c->out, err);
}

static int render_after(struct req *r, int status)
{
    struct ship_ctx *c = r->ctx;
    const struct hc_shipment sh = c->out;
    const char **bills = hc_arena_alloc(r->arena, sizeof(*bills) * (sh.ncontainers + 1));
    size_t nb = 0;
    for (size_t i = 0; i < sh.ncontainers; i++)
        if (sh.containers[i].bill_cop_no)
            bills[nb++] = sh.containers[i].bill_cop_no;
    h_customs_flush(c->x, bills, nb); /* the CEB607 messages this job queued */
    return api_reply(r, status, render_shipment(&sh, true));
}

static int create_job(hc_store *s, void *p, hc_err *err)
{
    struct ship_ctx *c = p;
    struct hc_shipment sh = c->sh; /* the job may run again: start from the input */
    int rc = hc_shipment_create(s, c->arena, c->x, &sh, c->tenant_seller, c->actor, err);
    if (rc == HC_OK)
        rc = job_result(s, c, sh.id, err);
    return rc;
}

static int create_render(struct req *r)
{
    return render_after(r, 201);
}

static hc_customs_ctx *bill_ctx(struct req *r, const struct hc_container *cs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cs[i].bill_no)
            return h_customs_ctx(r); /* NULL with r->err set: customs not configured */
    return NULL;
}

/* The body of POST /v1/shipments into sh (strings point into r->json). */
static int parse_shipment(struct req *r, struct hc_shipment *sh)
{
    json_t *b, *legs, *containers = NULL;
    const char *mode = NULL;
    if (jv_body(r, &b) || jv_str(r, b, "", "mode", true, &mode) ||
        jv_str(r, b, "", "warehouse", true, &sh->warehouse) ||
        jv_str(r, b, "", "site", false, &sh->site) ||
        jv_str(r, b, "", "reference", false, &sh->reference) ||
        jv_array(r, b, "", "legs", HC_SHIPMENT_LEGS_MAX, &legs))
        return r->err.code;
    if ((sh->mode = hc_transport_mode_parse(mode)) == 0)
        return hc_err_set(&r->err, HC_EINVAL, "mode", "must be rail, sea, air, truck or multimodal");
    sh->nlegs = json_array_size(legs);
    sh->legs = hc_arena_alloc(r->arena, sizeof(*sh->legs) * (sh->nlegs + 1));
    for (size_t i = 0; i < sh->nlegs; i++) {
        json_t *it;
        const char *path;
        struct hc_leg *l = &sh->legs[i];
        if (jv_item(r, legs, "legs", i, &it, &path) ||
            jv_str(r, it, path, "from", true, &l->from) ||
            jv_str(r, it, path, "to", true, &l->to) ||
            jv_str(r, it, path, "mode", false, &l->mode) ||
            jv_str(r, it, path, "carrier", false, &l->carrier) ||
            jv_str(r, it, path, "service", false, &l->service) ||
            jv_str(r, it, path, "departure", false, &l->departure) ||
            jv_str(r, it, path, "voyage", false, &l->voyage) ||
            jv_time(r, it, path, "etd", true, &l->etd_planned) ||
            jv_time(r, it, path, "eta", true, &l->eta_planned))
            return r->err.code;
    }
    if (json_object_get(b, "containers") &&
        jv_array(r, b, "", "containers", HC_SHIPMENT_CONTAINERS_MAX, &containers))
        return r->err.code;
    sh->ncontainers = containers ? json_array_size(containers) : 0;
    json_t *loose = json_object_get(b, "loose");
    size_t total = sh->ncontainers + (loose && !json_is_null(loose) ? 1 : 0);
    sh->containers = hc_arena_alloc(r->arena, sizeof(*sh->containers) * (total + 1));
    for (size_t i = 0; i < sh->ncontainers; i++) {
        json_t *it;
        const char *path;
        if (jv_item(r, containers, "containers", i, &it, &path) ||
            parse_container(r, it, path, &sh->containers[i]))
            return r->err.code;
    }
    if (total > sh->ncontainers) { /* loose cargo: {"contents":[...]} */
        json_t *lo;
        if (jv_object(r, b, "", "loose", true, &lo) ||
            parse_container(r, lo, "loose", &sh->containers[sh->ncontainers]))
            return r->err.code;
        if (sh->containers[sh->ncontainers].number)
            return hc_err_set(&r->err, HC_EINVAL, "loose.number",
                              "loose cargo has no container number");
        sh->ncontainers++;
    }
    return HC_OK;
}

int hc_api_parse_shipment(const char *text, size_t len, hc_arena *a, struct hc_shipment *sh,
                          hc_err *err)
{
    struct req r = {.arena = a};
    r.body.p = (char *)text;
    r.body.n = len;
    memset(sh, 0, sizeof(*sh));
    int rc = parse_shipment(&r, sh);
    if (rc != HC_OK) {
        *err = r.err;
    } else { /* the strings outlive the JSON document */
        sh->warehouse = hc_arena_strdup(a, sh->warehouse);
        sh->site = hc_arena_strdup(a, sh->site);
        sh->reference = hc_arena_strdup(a, sh->reference);
        for (size_t i = 0; i < sh->nlegs; i++) {
            struct hc_leg *l = &sh->legs[i];
            l->from = hc_arena_strdup(a, l->from);
            l->to = hc_arena_strdup(a, l->to);
            l->mode = hc_arena_strdup(a, l->mode);
            l->carrier = hc_arena_strdup(a, l->carrier);
            l->service = hc_arena_strdup(a, l->service);
            l->departure = hc_arena_strdup(a, l->departure);
            l->voyage = hc_arena_strdup(a, l->voyage);
        }
        for (size_t i = 0; i < sh->ncontainers; i++) {
            struct hc_container *c = &sh->containers[i];
            c->number = hc_arena_strdup(a, c->number);
            c->size_type = hc_arena_strdup(a, c->size_type);
            c->bill_no = hc_arena_strdup(a, c->bill_no);
            c->loading_plan = hc_arena_strdup(a, c->loading_plan);
            for (size_t k = 0; k < c->nseals; k++)
                c->seals[k] = hc_arena_strdup(a, c->seals[k]);
            for (size_t k = 0; k < c->ncontents; k++)
                c->contents[k].inbound = hc_arena_strdup(a, c->contents[k].inbound);
        }
    }
    json_decref(r.json);
    return rc;
}

int h_shipment_create(struct req *r)
{
    struct ship_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    struct hc_shipment *sh = &c->sh;
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->tenant_seller = tenant_seller(r);
    c->tenant_warehouse = tenant_warehouse(r);
    if (parse_shipment(r, sh))
        return api_fail(r);
    if (!api_may_warehouse(r, sh->warehouse))
        return not_found(r, "warehouse", "warehouse", sh->warehouse);
    c->x = bill_ctx(r, sh->containers, sh->ncontainers);
    if (c->x == NULL && r->err.code)
        return api_fail(r);
    return api_write(r, create_job, create_render, c);
}

/* ---- reads ------------------------------------------------------------------ */

int h_shipment_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_shipment sh;
    if (st == NULL || hc_shipment_get(st, r->arena, r->params[0], tenant_seller(r),
                                      tenant_warehouse(r), &sh, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_shipment(&sh, true));
}

int h_shipment_list(struct req *r)
{
    struct hc_shipment_filter f = {0};
    hc_store *st = api_reader(r);
    if (st == NULL || api_page(r, &f.page))
        return api_fail(r);
    if (f.page.cursor && strncmp(f.page.cursor, "shp_", 4) != 0) {
        hc_err_set(&r->err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        return api_fail(r);
    }
    f.seller = api_query(r, "seller");
    f.warehouse = api_query(r, "warehouse");
    const char *status = api_query(r, "status"), *mode = api_query(r, "mode");
    if (status && (f.status = hc_shipment_status_parse(status)) == 0) {
        hc_err_set(&r->err, HC_EINVAL, "status", "must be booked, departed, arrived or received");
        return api_fail(r);
    }
    if (mode && (f.mode = hc_transport_mode_parse(mode)) == 0) {
        hc_err_set(&r->err, HC_EINVAL, "mode", "must be rail, sea, air, truck or multimodal");
        return api_fail(r);
    }
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_shipment *items;
    size_t n;
    const char *next;
    if (hc_shipment_list(st, r->arena, &f, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_shipment(&items[i], false));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- containers ---------------------------------------------------------------- */

/* The shipment must be visible to the caller (404 otherwise), inside the job. */
static int visible(hc_store *s, struct ship_ctx *c, hc_err *err)
{
    struct hc_shipment sh;
    return hc_shipment_get(s, c->arena, c->id, c->tenant_seller, c->tenant_warehouse, &sh, err);
}

static int container_job(hc_store *s, void *p, hc_err *err)
{
    struct ship_ctx *c = p;
    struct hc_container box = c->c;
    int rc = visible(s, c, err);
    if (rc == HC_OK)
        rc = hc_shipment_add_container(s, c->arena, c->x, c->id, &box, c->tenant_seller, c->actor,
                                       err);
    return rc == HC_OK ? job_result(s, c, c->id, err) : rc;
}

static int container_render(struct req *r)
{
    return render_after(r, 201);
}

static struct ship_ctx *ship_ctx(struct req *r)
{
    struct ship_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->id = r->params[0];
    c->tenant_seller = tenant_seller(r);
    c->tenant_warehouse = tenant_warehouse(r);
    return c;
}

int h_shipment_container_add(struct req *r)
{
    json_t *b;
    struct ship_ctx *c = ship_ctx(r);
    if (jv_body(r, &b) || parse_container(r, b, "", &c->c))
        return api_fail(r);
    c->x = bill_ctx(r, &c->c, 1);
    if (c->x == NULL && r->err.code)
        return api_fail(r);
    return api_write(r, container_job, container_render, c);
}

static int close_job(hc_store *s, void *p, hc_err *err)
{
    struct ship_ctx *c = p;
    int rc = visible(s, c, err);
    if (rc == HC_OK)
        rc = hc_shipment_close_container(s, c->arena, c->id, c->number, c->actor, err);
    return rc == HC_OK ? job_result(s, c, c->id, err) : rc;
}

static int ok_render(struct req *r)
{
    return render_after(r, 200);
}

int h_shipment_container_close(struct req *r)
{
    json_t *b;
    struct ship_ctx *c = ship_ctx(r);
    c->number = r->params[1];
    if (jv_body(r, &b))
        return api_fail(r);
    return api_write(r, close_job, ok_render, c);
}

/* ---- departure, arrival -------------------------------------------------------- */

static int depart_job(hc_store *s, void *p, hc_err *err)
{
    struct ship_ctx *c = p;
    int rc = visible(s, c, err);
    if (rc == HC_OK)
        rc = hc_shipment_depart(s, c->arena, c->id, c->at, c->actor, err);
    return rc == HC_OK ? job_result(s, c, c->id, err) : rc;
}

static int arrive_job(hc_store *s, void *p, hc_err *err)
{
    struct ship_ctx *c = p;
    int rc = visible(s, c, err);
    if (rc == HC_OK)
        rc = hc_shipment_arrive(s, c->arena, c->id, c->at, c->actor, err);
    return rc == HC_OK ? job_result(s, c, c->id, err) : rc;
}

static int move_route(struct req *r, hc_write_fn job)
{
    json_t *b;
    struct ship_ctx *c = ship_ctx(r);
    if (jv_body(r, &b) || jv_time(r, b, "", "at", false, &c->at))
        return api_fail(r);
    if (c->at > hc_now_ms() + HC_DAY_MS) {
        hc_err_set(&r->err, HC_EINVAL, "at", "is in the future");
        return api_fail(r);
    }
    return api_write(r, job, ok_render, c);
}

int h_shipment_depart(struct req *r)
{
    return move_route(r, depart_job);
}

int h_shipment_arrive(struct req *r)
{
    return move_route(r, arrive_job);
}

/* ---- arrivals ------------------------------------------------------------------ */

int h_warehouse_arrivals(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    const char *wh = r->params[0];
    if (!api_may_warehouse(r, wh))
        return not_found(r, "wh", "warehouse", wh);
    if (!hc_warehouse_exists(st, wh, &r->err)) {
        /* no row leaves err clear or HC_ENOTFOUND: a 404, not a 500 */
        if (r->err.code != HC_ENOTFOUND && r->err.code != HC_OK)
            return api_fail(r);
        hc_err_clear(&r->err);
        return not_found(r, "wh", "warehouse", wh);
    }
    int64_t from = hc_now_ms();
    int64_t days = 28;
    const char *f = api_query(r, "from"), *d = api_query(r, "days");
    if (f && hc_time_parse_iso(f, &from) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "from", "must be a date (2026-12-01)");
        return api_fail(r);
    }
    if (d && hc_parse_i64(d, 1, 366, &days) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "days", "must be an integer 1..366");
        return api_fail(r);
    }
    /* the last day listed must still be a four-digit year: before 10000-01-01 */
    const int64_t year_10000_ms = INT64_C(253402300800000);
    if (from > year_10000_ms - days * HC_DAY_MS) {
        hc_err_set(&r->err, HC_EINVAL, "from", "with days, must end before the year 10000");
        return api_fail(r);
    }
    struct hc_arrival_day *out;
    if (hc_arrivals(st, r->arena, wh, tenant_seller(r), from, (int)days, &out, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (int i = 0; i < days; i++) {
        json_t *ids = json_array();
        for (int64_t k = 0; k < out[i].shipments; k++)
            json_array_append_new(ids, json_string(out[i].ids[k]));
        char day[32];
        hc_time_iso(out[i].day, day, sizeof(day));
        day[10] = '\0';
        json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:I,s:o}", "day", day, "shipments",
                                               (json_int_t)out[i].shipments, "containers",
                                               (json_int_t)out[i].containers, "units",
                                               (json_int_t)out[i].units, "ids", ids));
    }
    return api_reply(r, 200, json_pack("{s:s,s:o}", "warehouse", wh, "days", items));
}

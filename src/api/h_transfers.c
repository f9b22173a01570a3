/* h_transfers.c: /v1/transfers — transfer orders (FBA replenishment and
 * other B2B outbound), their work orders, cartons, labels, shipping. */
#include "internal.h"

#include "h_transfers.h"

#include "catalog/catalog.h"
#include "compliance/compliance.h"
#include "transfer/transfer.h"

#include <stdio.h>
#include <string.h>

#define LABELS_MAX (64 << 20)

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_clear(&r->err);
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* A 400 naming the first key of obj not in allowed ("a,b,c"). */
static int only_keys(struct req *r, json_t *obj, const char *prefix, const char *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        size_t n = strlen(k);
        const char *p = allowed;
        bool ok = false;
        while (n > 0 && !ok && (p = strstr(p, k)) != NULL) {
            ok = (p == allowed || p[-1] == ',') && (p[n] == ',' || p[n] == '\0');
            p += n;
        }
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, k), "is not a known field");
    }
    return HC_OK;
}

static json_t *render_work(const struct hc_tr_work *w)
{
    return json_pack("{s:s,s:s,s:I,s:s,s:s,s:o,s:o,s:o}", "id", w->id, "service", w->service,
                     "units", (json_int_t)w->units, "status", w->status, "note", w->note,
                     "charge", *w->currency ? j_money(w->charge_minor, w->currency) : json_null(),
                     "created_at", j_time(w->created_at),
                     "done_at", w->done_at ? j_time(w->done_at) : json_null());
}

static json_t *render_carton(const struct hc_tr_carton *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->nitems; i++)
        json_array_append_new(items, json_pack("{s:s,s:I}", "sku", c->items[i].sku, "qty",
                                               (json_int_t)c->items[i].qty));
    json_t *o = json_pack("{s:I,s:o,s:I,s:o,s:o}", "box_no", (json_int_t)c->box_no, "dims_mm",
                          j_dims(c->dims_mm), "weight_g", (json_int_t)c->weight_g, "pallet",
                          c->pallet_no ? json_integer(c->pallet_no) : json_null(), "items",
                          items);
    json_object_set_new(o, "carton_id", j_str_or_null(c->carton_id));
    return o;
}

static json_t *render_pallets(const struct hc_tr_pallet *p, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I,s:o,s:I,s:I}", "pallet_no",
                                             (json_int_t)p[i].pallet_no, "sscc",
                                             j_str_or_null(p[i].sscc), "cartons",
                                             (json_int_t)p[i].cartons, "weight_g",
                                             (json_int_t)p[i].weight_g));
    return arr;
}

static json_t *render_transfer(const struct hc_transfer *t, bool full)
{
    json_t *lines = json_array(), *work = json_array();
    bool arrival = t->inbound_id && *t->inbound_id;
    for (size_t i = 0; i < t->nlines; i++) {
        const struct hc_tr_line *l = &t->lines[i];
        json_t *o = json_pack("{s:s,s:I,s:o}", "sku", l->sku, "qty", (json_int_t)l->qty, "fnsku",
                              j_str_or_null(*l->fnsku ? l->fnsku : NULL));
        /* to a haicang warehouse, once shipped: received + in_transit + lost == qty */
        json_object_set_new(o, "received", arrival ? json_integer(l->received) : json_null());
        json_object_set_new(o, "in_transit", arrival ? json_integer(l->in_transit) : json_null());
        json_object_set_new(o, "lost", arrival ? json_integer(l->lost) : json_null());
        json_array_append_new(lines, o);
    }
    for (size_t i = 0; i < t->nwork; i++)
        json_array_append_new(work, render_work(&t->work[i]));
    json_t *missing = json_array();
    char *m = strdup(t->missing ? t->missing : ""), *save = NULL;
    for (char *p = m ? strtok_r(m, "\n", &save) : NULL; p; p = strtok_r(NULL, "\n", &save))
        json_array_append_new(missing, json_string(p));
    free(m);
    json_t *addr = json_loads(t->address_json ? t->address_json : "{}", 0, NULL);
    json_t *dest = json_pack("{s:s,s:o,s:s,s:o}", "type", hc_tr_dest_name(t->dest_type),
                             "warehouse", j_str_or_null(*t->dest_warehouse ? t->dest_warehouse
                                                                           : NULL),
                             "country", t->dest_country, "address",
                             addr ? addr : json_object());
    char labels[96];
    snprintf(labels, sizeof(labels), "/v1/transfers/%s/labels.pdf", t->id);
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", t->id, "seller",
        t->seller, "warehouse", t->warehouse, "destination", dest, "shipment_id", t->shipment_id,
        "status", t->status, "hold_reason", j_str_or_null(*t->hold_reason ? t->hold_reason : NULL),
        "missing", missing, "freight_ref", j_str_or_null(*t->freight_ref ? t->freight_ref : NULL),
        "inbound", j_str_or_null(*t->inbound_id ? t->inbound_id : NULL), "lines", lines,
        "work_orders", work, "created_at", j_time(t->created_at), "updated_at",
        j_time(t->updated_at), "shipped_at", t->shipped_at ? j_time(t->shipped_at) : json_null());
    if (full) {
        json_t *cartons = json_array();
        for (size_t i = 0; i < t->ncartons; i++)
            json_array_append_new(cartons, render_carton(&t->cartons[i]));
        json_object_set_new(o, "cartons", cartons);
        json_object_set_new(o, "pallets", render_pallets(t->pallets, t->npallets));
        json_object_set_new(o, "labels", t->ncartons ? json_string(labels) : json_null());
    }
    return o;
}

/* The transfer id names, when the caller may see it (else 404). */
static int visible(struct req *r, hc_store *st, const char *id, struct hc_transfer *t)
{
    if (hc_transfer_get(st, r->arena, id, t, &r->err))
        return r->err.code;
    if (!api_may_seller(r, t->seller) || !api_may_warehouse(r, t->warehouse)) {
        hc_err_clear(&r->err);
        return hc_err_set(&r->err, HC_ENOTFOUND, "id", "no transfer %s", id);
    }
    return HC_OK;
}

/* ---- create ------------------------------------------------------------------------------ */

struct tr_ctx {
    struct hc_transfer t;
    struct hc_tr_service_req *svc;
    size_t nsvc;
    const char *id, *actor, *freight_ref, *work_id, *gs1_prefix;
    struct hc_tr_work work;
    struct hc_tr_carton *cartons;
    size_t ncartons;
    struct hc_tr_pallet *pallets;
    size_t npallets;
    int status; /* of the answer */
    hc_arena *arena;
    /* a carton proposal: the units read and the options parsed beforehand */
    struct hc_tr_unit *units;
    struct hc_tr_pack_opts opts;
    bool record;
};

static struct tr_ctx *ctx_new(struct req *r)
{
    struct tr_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->status = 200;
    return c;
}

/* After a job: the transfer as it is now, in the same transaction. */
static int reread(hc_store *s, struct tr_ctx *c, int rc, hc_err *err)
{
    return rc == HC_OK ? hc_transfer_get(s, c->arena, c->id, &c->t, err) : rc;
}

static int render_ctx(struct req *r)
{
    struct tr_ctx *c = r->ctx;
    return api_reply(r, c->status, render_transfer(&c->t, true));
}

static int create_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    int rc = hc_transfer_create(s, c->arena, &c->t, c->svc, c->nsvc, c->actor, err);
    c->id = c->t.id;
    return reread(s, c, rc, err);
}

static int parse_address(struct req *r, json_t *dest, struct hc_transfer *t)
{
    json_t *ad = NULL;
    bool need = t->dest_type != HC_TR_HAICANG;
    if (jv_object(r, dest, "destination", "address", need, &ad))
        return r->err.code;
    if (ad == NULL) {
        t->address_json = "{}";
        return HC_OK;
    }
    const char *v;
    static const char *const req_keys[] = {"name", "line1", "city", "postcode", "country"};
    if (only_keys(r, ad, "destination.address", "name,line1,line2,city,state,postcode,country,"
                                                "fc_code,phone"))
        return r->err.code;
    for (size_t i = 0; i < HC_ARRAY_LEN(req_keys); i++)
        if (jv_str(r, ad, "destination.address", req_keys[i], need, &v))
            return r->err.code;
    const char *k;
    json_t *x;
    json_object_foreach(ad, k, x)
    {
        if (!json_is_string(x) || strlen(json_string_value(x)) > 200)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, "destination.address", k),
                              "must be a string of at most 200 characters");
    }
    if (jv_str(r, ad, "destination.address", "country", need, &t->dest_country))
        return r->err.code;
    char *dump = json_dumps(ad, JSON_COMPACT | JSON_SORT_KEYS);
    t->address_json = hc_arena_strdup(r->arena, dump ? dump : "{}");
    free(dump);
    return HC_OK;
}

static int parse_lines(struct req *r, json_t *b, struct hc_transfer *t)
{
    json_t *arr;
    if (jv_array(r, b, "", "lines", HC_TR_LINES_MAX, &arr))
        return r->err.code;
    t->nlines = json_array_size(arr);
    t->lines = hc_arena_alloc(r->arena, sizeof(*t->lines) * (t->nlines + 1));
    for (size_t i = 0; i < t->nlines; i++) {
        json_t *e;
        const char *p;
        struct hc_tr_line *l = &t->lines[i];
        if (jv_item(r, arr, "lines", i, &e, &p) || only_keys(r, e, p, "sku,qty,fnsku") ||
            jv_str(r, e, p, "sku", true, &l->sku) ||
            jv_int(r, e, p, "qty", true, 1, 1000000, &l->qty) ||
            jv_str(r, e, p, "fnsku", false, &l->fnsku))
            return r->err.code;
        if (l->fnsku == NULL)
            l->fnsku = "";
    }
    return HC_OK;
}

static int parse_services(struct req *r, json_t *b, struct tr_ctx *c)
{
    json_t *arr = json_object_get(b, "services");
    if (arr == NULL || json_is_null(arr))
        return HC_OK;
    if (jv_array(r, b, "", "services", HC_TR_WORK_MAX, &arr))
        return r->err.code;
    c->nsvc = json_array_size(arr);
    c->svc = hc_arena_alloc(r->arena, sizeof(*c->svc) * (c->nsvc + 1));
    for (size_t i = 0; i < c->nsvc; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, "services", i, &e, &p) || only_keys(r, e, p, "service,units,note") ||
            jv_str(r, e, p, "service", true, &c->svc[i].service) ||
            jv_int(r, e, p, "units", true, 1, 1000000, &c->svc[i].units) ||
            jv_str(r, e, p, "note", false, &c->svc[i].note))
            return r->err.code;
    }
    return HC_OK;
}

int h_transfer_create(struct req *r)
{
    struct tr_ctx *c = ctx_new(r);
    struct hc_transfer *t = &c->t;
    json_t *b, *dest;
    const char *type = NULL;
    c->status = 201;
    if (jv_body(r, &b) ||
        only_keys(r, b, "", "seller,warehouse,destination,shipment_id,freight_ref,lines,services") ||
        jv_str(r, b, "", "seller", r->who.role != ROLE_SELLER, &t->seller) ||
        jv_str(r, b, "", "warehouse", true, &t->warehouse) ||
        jv_object(r, b, "", "destination", true, &dest) ||
        only_keys(r, dest, "destination", "type,warehouse,address") ||
        jv_str(r, dest, "destination", "type", true, &type) ||
        jv_str(r, dest, "destination", "warehouse", false, &t->dest_warehouse) ||
        jv_str(r, b, "", "shipment_id", false, &t->shipment_id) ||
        jv_str(r, b, "", "freight_ref", false, &t->freight_ref))
        return api_fail(r);
    if (r->who.role == ROLE_SELLER) {
        if (t->seller && strcmp(t->seller, r->who.seller) != 0)
            return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
        t->seller = r->who.seller;
    }
    if (!api_may_seller(r, t->seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (!api_may_warehouse(r, t->warehouse))
        return fail_field(r, HC_ENOTFOUND, "warehouse", "no such warehouse");
    t->dest_type = hc_tr_dest_parse(type);
    if (t->dest_type == 0)
        return fail_field(r, HC_EINVAL, "destination.type",
                          "must be fba, awd, wfs, temu, haicang or address");
    if (t->dest_type == HC_TR_HAICANG && t->dest_warehouse == NULL)
        return fail_field(r, HC_EINVAL, "destination.warehouse", "is required for haicang");
    if (parse_address(r, dest, t) || parse_lines(r, b, t) || parse_services(r, b, c))
        return api_fail(r);
    return api_write(r, create_job, render_ctx, c);
}

/* ---- read ---------------------------------------------------------------------------------- */

int h_transfer_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_transfer t;
    if (st == NULL || visible(r, st, r->params[0], &t))
        return api_fail(r);
    return api_reply(r, 200, render_transfer(&t, true));
}

int h_transfer_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    struct hc_tr_filter f = {.seller = api_query(r, "seller"),
                             .warehouse = api_query(r, "warehouse"),
                             .status = api_query(r, "status")};
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    if (f.status && hc_tr_status_parse(f.status) == 0)
        return fail_field(r, HC_EINVAL, "status",
                          "must be on_hold, open, packed, shipped or cancelled");
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    struct hc_transfer *v;
    size_t n;
    const char *next;
    if (hc_transfer_list(st, r->arena, &f, &v, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_transfer(&v[i], false));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- work orders ----------------------------------------------------------------------------- */

static int work_add_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    return reread(s, c, hc_tr_work_add(s, c->arena, c->id, c->svc, c->actor, &c->work, err), err);
}

static int render_work_ctx(struct req *r)
{
    struct tr_ctx *c = r->ctx;
    return api_reply(r, c->status, render_work(&c->work));
}

int h_transfer_work_add(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    c->id = r->params[0];
    c->status = 201;
    c->svc = hc_arena_alloc(r->arena, sizeof(*c->svc));
    memset(c->svc, 0, sizeof(*c->svc));
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) ||
        only_keys(r, b, "", "service,units,note") ||
        jv_str(r, b, "", "service", true, &c->svc->service) ||
        jv_int(r, b, "", "units", true, 1, 1000000, &c->svc->units) ||
        jv_str(r, b, "", "note", false, &c->svc->note))
        return api_fail(r);
    return api_write(r, work_add_job, render_work_ctx, c);
}

int h_transfer_work_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_transfer t;
    if (st == NULL || visible(r, st, r->params[0], &t))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < t.nwork; i++)
        json_array_append_new(arr, render_work(&t.work[i]));
    return api_reply(r, 200, j_page(arr, NULL));
}

static int work_done_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    return hc_tr_work_complete(s, c->arena, c->id, c->work_id, c->actor, &c->work, err);
}

int h_transfer_work_complete(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    c->id = r->params[0];
    c->work_id = r->params[1];
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) || only_keys(r, b, "", ""))
        return api_fail(r);
    return api_write(r, work_done_job, render_work_ctx, c);
}

/* ---- cartons ---------------------------------------------------------------------------------- */

static int parse_size(struct req *r, json_t *b, const char *key, bool required, int64_t dims[3],
                      int64_t *max_g, int64_t *tare_g)
{
    json_t *o = NULL;
    if (jv_object(r, b, "", key, required, &o))
        return r->err.code;
    if (o == NULL)
        return HC_OK;
    return only_keys(r, o, key, tare_g ? "dims_mm,max_weight_g,tare_g" : "dims_mm,max_weight_g") ||
                   jv_dims(r, o, key, "dims_mm", true, dims) ||
                   jv_int(r, o, key, "max_weight_g", false, 1, 10000000, max_g) ||
                   (tare_g && jv_int(r, o, key, "tare_g", false, 0, 1000000, tare_g))
               ? r->err.code
               : HC_OK;
}

static int parse_cartons(struct req *r, json_t *b, struct tr_ctx *c)
{
    json_t *arr;
    int64_t np = 0;
    if (jv_array(r, b, "", "cartons", HC_TR_CARTONS_MAX, &arr) ||
        jv_int(r, b, "", "pallets", false, 0, HC_TR_CARTONS_MAX, &np))
        return r->err.code;
    c->ncartons = json_array_size(arr);
    c->cartons = hc_arena_alloc(r->arena, sizeof(*c->cartons) * (c->ncartons + 1));
    c->npallets = (size_t)np;
    c->pallets = hc_arena_alloc(r->arena, sizeof(*c->pallets) * (c->npallets + 1));
    memset(c->pallets, 0, sizeof(*c->pallets) * (c->npallets + 1));
    for (size_t i = 0; i < c->ncartons; i++) {
        json_t *e, *items;
        const char *p;
        struct hc_tr_carton *ct = &c->cartons[i];
        memset(ct, 0, sizeof(*ct));
        if (jv_item(r, arr, "cartons", i, &e, &p) ||
            only_keys(r, e, p, "dims_mm,weight_g,pallet,items") ||
            jv_dims(r, e, p, "dims_mm", true, ct->dims_mm) ||
            jv_int(r, e, p, "weight_g", true, 1, 10000000, &ct->weight_g) ||
            jv_int(r, e, p, "pallet", false, 0, HC_TR_CARTONS_MAX, &ct->pallet_no) ||
            jv_array(r, e, p, "items", HC_TR_LINES_MAX, &items))
            return r->err.code;
        ct->nitems = json_array_size(items);
        ct->items = hc_arena_alloc(r->arena, sizeof(*ct->items) * (ct->nitems + 1));
        const char *ip = hc_arena_printf(r->arena, "%s.items", p);
        for (size_t j = 0; j < ct->nitems; j++) {
            json_t *it;
            const char *q;
            if (jv_item(r, items, ip, j, &it, &q) || only_keys(r, it, q, "sku,qty") ||
                jv_str(r, it, q, "sku", true, &ct->items[j].sku) ||
                jv_int(r, it, q, "qty", true, 1, 1000000, &ct->items[j].qty))
                return r->err.code;
        }
    }
    return HC_OK;
}

static int cartons_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    int rc = hc_tr_cartons_record(s, c->arena, c->id, c->cartons, c->ncartons, c->pallets,
                                  c->npallets, c->gs1_prefix, c->actor, err);
    return reread(s, c, rc, err);
}

static json_t *render_proposal(const struct hc_tr_proposal *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->ncartons; i++)
        json_array_append_new(arr, render_carton(&p->cartons[i]));
    return json_pack("{s:b,s:o,s:o,s:I,s:I,s:I,s:I}", "recorded", 0, "cartons", arr, "pallets",
                     render_pallets(p->pallets, p->npallets), "carton_count",
                     (json_int_t)p->ncartons, "pallet_count", (json_int_t)p->npallets, "units",
                     (json_int_t)p->units, "weight_g", (json_int_t)p->weight_g);
}

/* Proposing cartons for more lines than this runs on a planner thread
 * (planq.c); PROPOSE_MS_PER_LINE is about its cost, for Retry-After. */
#define PROPOSE_INLINE_MAX 50
#define PROPOSE_MS_PER_LINE 10

/* The proposal from c->units and c->opts, answered (or recorded through the
 * writer). On a planner thread for a large transfer: it touches only r's
 * arena, r->err and c, never a store (a store belongs to the thread that
 * opened it) nor the connection (suspended meanwhile). */
static void propose_work(struct req *r)
{
    struct tr_ctx *c = r->ctx;
    struct hc_tr_proposal p;
    if (hc_tr_pack_propose(r->arena, c->units, c->t.nlines, &c->opts, &p, &r->err)) {
        api_fail(r);
        return;
    }
    if (!c->record) {
        api_reply(r, 200, render_proposal(&p));
        return;
    }
    c->cartons = p.cartons;
    c->ncartons = p.ncartons;
    c->pallets = p.pallets;
    c->npallets = p.npallets;
    c->status = 201;
    api_write(r, cartons_job, render_ctx, c);
}

int h_transfer_cartons(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    bool record = false;
    struct hc_tr_pack_opts o = {0};
    c->id = r->params[0];
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) ||
        only_keys(r, b, "", "carton,pallet,record,gs1_prefix,cartons,pallets") ||
        jv_bool(r, b, "", "record", false, &record) ||
        jv_str(r, b, "", "gs1_prefix", false, &c->gs1_prefix))
        return api_fail(r);
    if (json_object_get(b, "cartons")) { /* cartons as packed by hand */
        if (parse_cartons(r, b, c))
            return api_fail(r);
        c->status = 201;
        return api_write(r, cartons_job, render_ctx, c);
    }
    if (parse_size(r, b, "carton", true, o.carton_mm, &o.carton_max_g, &o.carton_tare_g) ||
        parse_size(r, b, "pallet", false, o.pallet_mm, &o.pallet_max_g, NULL))
        return api_fail(r);
    c->record = record;
    c->opts = o;
    r->ctx = c;
    /* every read here, on this thread's store: the planner only computes */
    if (hc_tr_units(st, r->arena, &c->t, &c->units, &r->err))
        return api_fail(r);
    if (c->t.nlines > PROPOSE_INLINE_MAX)
        return api_offload(r, propose_work, (int64_t)c->t.nlines * PROPOSE_MS_PER_LINE);
    propose_work(r);
    return HC_OK;
}

int h_transfer_cartons_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_transfer t;
    if (st == NULL || visible(r, st, r->params[0], &t))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < t.ncartons; i++)
        json_array_append_new(arr, render_carton(&t.cartons[i]));
    return api_reply(r, 200, json_pack("{s:o,s:o}", "cartons", arr, "pallets",
                                       render_pallets(t.pallets, t.npallets)));
}

/* ---- labels ----------------------------------------------------------------------------------- */

static size_t address_lines(hc_arena *a, const char *json, const char **out, size_t max)
{
    static const char *const keys[] = {"name", "fc_code", "line1", "line2"};
    json_t *ad = json_loads(json ? json : "{}", 0, NULL);
    size_t k = 0;
    for (size_t i = 0; ad && i < HC_ARRAY_LEN(keys) && k + 2 < max; i++) {
        const char *v = json_string_value(json_object_get(ad, keys[i]));
        if (v && *v)
            out[k++] = hc_arena_strdup(a, v);
    }
    if (ad) {
        const char *pc = json_string_value(json_object_get(ad, "postcode"));
        const char *city = json_string_value(json_object_get(ad, "city"));
        const char *cc = json_string_value(json_object_get(ad, "country"));
        out[k++] = hc_arena_printf(a, "%s %s %s", pc ? pc : "", city ? city : "", cc ? cc : "");
    }
    json_decref(ad);
    return k;
}

int h_transfer_labels_pdf(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_transfer t;
    struct hc_warehouse w, dw;
    if (st == NULL || visible(r, st, r->params[0], &t) ||
        hc_warehouse_get(st, r->arena, t.warehouse, &w, &r->err))
        return api_fail(r);
    const char *from[4], *to[6];
    from[0] = hc_arena_printf(r->arena, "%s %s", w.code, w.name ? w.name : "");
    size_t nfrom = 1 + address_lines(r->arena, w.address_json, from + 1, 3);
    size_t nto;
    if (t.dest_type == HC_TR_HAICANG) {
        if (hc_warehouse_get(st, r->arena, t.dest_warehouse, &dw, &r->err))
            return api_fail(r);
        to[0] = hc_arena_printf(r->arena, "haicang %s %s", dw.code, dw.name ? dw.name : "");
        nto = 1 + address_lines(r->arena, dw.address_json, to + 1, 5);
    } else {
        nto = address_lines(r->arena, t.address_json, to, 6);
    }
    hc_buf b;
    hc_buf_init(&b, LABELS_MAX);
    int rc = hc_tr_labels_pdf(&t, from, nfrom, to, nto, &b, &r->err);
    if (rc != HC_OK || b.p == NULL) {
        hc_buf_free(&b);
        if (rc == HC_OK)
            hc_err_set(&r->err, HC_EINTERNAL, "", "empty labels");
        return api_fail(r);
    }
    return api_reply_bytes(r, &b, "application/pdf");
}

/* ---- ship, cancel ------------------------------------------------------------------------------ */

static int ship_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    return reread(s, c, hc_transfer_ship(s, c->arena, c->id, c->freight_ref, c->actor, err),
                  err);
}

int h_transfer_ship(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    c->id = r->params[0];
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) ||
        only_keys(r, b, "", "freight_ref") || jv_str(r, b, "", "freight_ref", false, &c->freight_ref))
        return api_fail(r);
    return api_write(r, ship_job, render_ctx, c);
}

static int cancel_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    return reread(s, c, hc_transfer_cancel(s, c->arena, c->id, c->actor, err), err);
}

int h_transfer_cancel(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    c->id = r->params[0];
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) || only_keys(r, b, "", ""))
        return api_fail(r);
    return api_write(r, cancel_job, render_ctx, c);
}

static int recheck_job(hc_store *s, void *ctx, hc_err *err)
{
    struct tr_ctx *c = ctx;
    int released = 0;
    return reread(s, c, hc_transfer_recheck(s, c->arena, c->t.seller, c->actor, &released, err),
                  err);
}

int h_transfer_recheck(struct req *r)
{
    hc_store *st = api_reader(r);
    struct tr_ctx *c = ctx_new(r);
    json_t *b;
    c->id = r->params[0];
    if (st == NULL || visible(r, st, c->id, &c->t) || jv_body(r, &b) || only_keys(r, b, "", ""))
        return api_fail(r);
    return api_write(r, recheck_job, render_ctx, c);
}

int api_recheck_all(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                    int *released, hc_err *err)
{
    return hc_transfer_recheck_all(s, a, seller, actor, released, err);
}

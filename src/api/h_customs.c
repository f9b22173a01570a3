/* h_customs.c: the customs routes; JSON in and out around src/customs. */
#include "internal.h"

#include "h_customs.h"

#include "customs/customs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the process-wide customs context, loaded on first use ------------------------ */

static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static hc_customs_ctx *ctx_loaded;
static hc_err ctx_err;

/* Writes the messages a crash left queued (docs NULL), or those of the
 * documents a job just committed. Called after the job's transaction is
 * durable, never inside it. A failure is logged, not answered: what was
 * declared stands and its messages stay queued for the next flush. */
static bool flush_docs(const char *outbox, const char *const *docs, size_t n)
{
    hc_err err = {0};
    size_t written = 0;
    if (hc_customs_flush_outbox_db(hc_srv.db, outbox, docs, n, &written, &err) != HC_OK) {
        hc_log(HC_LOG_WARN, "customs: outbox %s: %s%s%s (messages stay queued)", outbox,
               err.field, err.field[0] ? ": " : "", err.msg);
        return false;
    }
    if (docs == NULL && written > 0)
        hc_log(HC_LOG_INFO, "customs: %zu queued messages written to %s", written, outbox);
    return true;
}

static void ctx_load(void)
{
    hc_customs_config c;
    hc_customs_config_env(&c);
    if (hc_customs_ctx_open(&ctx_loaded, &c, &ctx_err) != HC_OK)
        hc_log(HC_LOG_WARN, "customs: %s: %s", ctx_err.field, ctx_err.msg);
    else
        flush_docs(hc_customs_ctx_outbox(ctx_loaded), NULL, 0); /* if start-up did not */
}

int h_customs_config_check(void)
{
    hc_customs_config c;
    hc_err err = {0};
    hc_customs_config_env(&c);
    if (hc_customs_config_check(&c, &err) != HC_OK) {
        fprintf(stderr, "haicang: customs: %s: %s\n", err.field, err.msg);
        return HC_EINVAL;
    }
    if (c.key_pem == NULL && c.unsigned_mode)
        hc_log(HC_LOG_WARN, "customs: HAICANG_CUSTOMS_UNSIGNED=test-only: CEB603/607/701 go "
                            "UNSIGNED (a test environment only; customs refuses them)");
    return HC_OK;
}

int h_customs_startup(void)
{
    hc_customs_config c;
    char outbox[1024];
    hc_customs_config_env(&c);
    hc_customs_config_outbox(&c, outbox, sizeof(outbox));
    return flush_docs(outbox, NULL, 0) ? HC_OK : HC_EINTERNAL;
}

static hc_customs_ctx *customs_ctx(struct req *r)
{
    pthread_once(&ctx_once, ctx_load);
    if (ctx_loaded == NULL)
        hc_err_set(&r->err, HC_EBUSY, ctx_err.field, "customs is not configured: %s",
                   ctx_err.msg);
    return ctx_loaded;
}

hc_customs_ctx *h_customs_ctx(struct req *r)
{
    return customs_ctx(r);
}

void h_customs_flush(hc_customs_ctx *x, const char *const *docs, size_t n)
{
    if (x && n > 0)
        flush_docs(hc_customs_ctx_outbox(x), docs, n);
}

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_clear(&r->err);
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, id);
    return api_fail(r);
}

/* The seller a request acts for: the body's (or query's) for an admin, the
 * key's own for a seller key (another seller's answers 404). */
static int acting_seller(struct req *r, const char *given, const char **out)
{
    if (r->who.role == ROLE_SELLER) {
        if (given && strcmp(given, r->who.seller) != 0)
            return hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no seller %s", given);
        *out = r->who.seller;
        return HC_OK;
    }
    if (given == NULL)
        return hc_err_set(&r->err, HC_EINVAL, "seller", "required");
    *out = given;
    return HC_OK;
}

static json_t *j_opt(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *j_time_or_null(int64_t ms)
{
    return ms > 0 ? j_time(ms) : json_null();
}

/* ---- renderers -------------------------------------------------------------------- */

static json_t *render_registration(const struct hc_customs_registration *g)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "seller", g->seller, "role", g->role,
                     "code", g->code, "name", g->name, "dxp_id", j_opt(g->dxp_id), "created_at",
                     j_time(g->created_at), "updated_at", j_time(g->updated_at));
}

static json_t *render_list(const struct hc_customs_list *l, bool full)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(l->id));
    json_object_set_new(o, "seller", json_string(l->seller));
    json_object_set_new(o, "mode", json_string(l->trade_mode));
    json_object_set_new(o, l->ref_kind, json_string(l->ref));
    json_object_set_new(o, "warehouse", j_opt(l->warehouse));
    json_object_set_new(o, "state", json_integer(l->state));
    json_object_set_new(o, "state_name", json_string(l->state_name));
    json_object_set_new(o, "state_info", j_opt(l->state_info));
    json_object_set_new(o, "inspection", j_opt(l->inspection));
    static const struct {
        const char *key;
        size_t off;
    } text[] = {
        {"cop_no", offsetof(struct hc_customs_list, cop_no)},
        {"pre_no", offsetof(struct hc_customs_list, pre_no)},
        {"invt_no", offsetof(struct hc_customs_list, invt_no)},
        {"order_no", offsetof(struct hc_customs_list, order_no)},
        {"logistics_no", offsetof(struct hc_customs_list, logistics_no)},
        {"entry_id", offsetof(struct hc_customs_list, entry_id)},
        {"customs_code", offsetof(struct hc_customs_list, customs_code)},
        {"port_code", offsetof(struct hc_customs_list, port_code)},
        {"traf_mode", offsetof(struct hc_customs_list, traf_mode)},
        {"country", offsetof(struct hc_customs_list, country)},
        {"currency", offsetof(struct hc_customs_list, currency)},
        {"ebc_code", offsetof(struct hc_customs_list, ebc_code)},
        {"total_price", offsetof(struct hc_customs_list, total_price)},
        {"gross_weight_kg", offsetof(struct hc_customs_list, gross_weight)},
        {"net_weight_kg", offsetof(struct hc_customs_list, net_weight)},
        {"bill_no", offsetof(struct hc_customs_list, bill_no)},
        {"summary", offsetof(struct hc_customs_list, summary_id)},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(text); i++)
        json_object_set_new(o, text[i].key,
                            j_opt(*(const char *const *)((const char *)l + text[i].off)));
    json_object_set_new(o, "released_at", j_time_or_null(l->released_at));
    json_object_set_new(o, "created_at", j_time(l->created_at));
    json_object_set_new(o, "updated_at", j_time(l->updated_at));
    json_object_set_new(o, "part", json_integer(l->part));
    json_object_set_new(o, "parts", json_integer(l->parts));
    if (!full)
        return o;
    json_t *parts = json_array();
    for (size_t i = 0; i < l->n_part_ids; i++)
        json_array_append_new(parts, json_string(l->part_ids[i]));
    json_object_set_new(o, "lists", parts);
    json_t *items = json_array();
    for (size_t i = 0; i < l->n_items; i++) {
        const struct hc_customs_list_item *it = &l->items[i];
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}",
                             "gnum", (json_int_t)it->gnum, "sku", it->sku, "item_name",
                             it->item_name, "gname", it->gname, "hs_code", it->gcode, "qty",
                             (json_int_t)it->qty, "unit", it->unit, "qty1", it->qty1, "unit1",
                             it->unit1, "price", it->price, "total_price", it->total_price,
                             "currency", it->currency, "country", it->country, "entry_id",
                             j_opt(it->entry_id), "entry_item",
                             it->entry_gnum ? json_integer(it->entry_gnum) : json_null()));
    }
    json_object_set_new(o, "items", items);
    json_t *hist = json_array();
    for (size_t i = 0; i < l->n_history; i++) {
        const struct hc_customs_event *e = &l->history[i];
        json_array_append_new(hist, json_pack("{s:I,s:s,s:o,s:s,s:o,s:s}", "state",
                                              (json_int_t)e->state, "state_name",
                                              hc_customs_status_name((int)e->state), "at",
                                              j_time(e->at), "receipt", e->receipt, "info",
                                              j_opt(e->info), "actor", e->actor));
    }
    json_object_set_new(o, "history", hist);
    json_t *msgs = json_array();
    for (size_t i = 0; i < l->n_messages; i++) {
        char type[16];
        snprintf(type, sizeof(type), "CEB%lld", (long long)l->messages[i].type);
        json_array_append_new(msgs, json_pack("{s:s,s:s,s:s,s:o,s:s}", "type", type, "guid",
                                              l->messages[i].guid, "file", l->messages[i].file,
                                              "at", j_time(l->messages[i].created_at), "outbox",
                                              l->messages[i].outbox ? l->messages[i].outbox
                                                                    : "sent"));
    }
    json_object_set_new(o, "messages", msgs);
    return o;
}

static json_t *render_return(const struct hc_customs_return *t)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:I,s:s,s:o,s:o,s:o}", "id", t->id,
                     "seller", t->seller, "list", t->list_id, "customs_code", t->customs_code,
                     "port_code", t->port_code, "cross_zone", t->cross_zone, "reason", t->reason,
                     "logistics_no", t->logistics_no, "state", (json_int_t)t->state,
                     "state_name", hc_customs_status_name((int)t->state), "state_info",
                     j_opt(t->state_info), "tallied_at", j_time_or_null(t->tallied_at),
                     "created_at", j_time(t->created_at));
}

/* ---- registrations ---------------------------------------------------------------- */

struct reg_ctx {
    struct hc_customs_registration g;
    hc_arena *arena;
    struct hc_customs_registration out;
};

static int reg_job(hc_store *s, void *p, hc_err *err)
{
    struct reg_ctx *c = p;
    struct hc_customs_registration *items;
    size_t n;
    int rc = hc_customs_registration_put(s, &c->g, err);
    if (rc == HC_OK)
        rc = hc_customs_registration_list(s, c->arena, c->g.seller, &items, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        if (strcmp(items[i].role, c->g.role) == 0)
            c->out = items[i];
    return rc;
}

static int reg_render(struct req *r)
{
    struct reg_ctx *c = r->ctx;
    return api_reply(r, 201, render_registration(&c->out));
}

int h_customs_registration_put(struct req *r)
{
    json_t *b;
    const char *seller = NULL;
    struct reg_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", r->who.role != ROLE_SELLER, &seller) ||
        acting_seller(r, seller, &c->g.seller) ||
        jv_str(r, b, "", "role", true, &c->g.role) || jv_str(r, b, "", "code", true, &c->g.code) ||
        jv_str(r, b, "", "name", true, &c->g.name) ||
        jv_str(r, b, "", "dxp_id", false, &c->g.dxp_id))
        return api_fail(r);
    return api_write(r, reg_job, reg_render, c);
}

int h_customs_registration_list(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = NULL;
    struct hc_customs_registration *items;
    size_t n;
    if (st == NULL || acting_seller(r, api_query(r, "seller"), &seller) ||
        hc_customs_registration_list(st, r->arena, seller, &items, &n, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_registration(&items[i]));
    return api_reply(r, 200, j_page(arr, NULL));
}

/* ---- lists ------------------------------------------------------------------------ */

struct declare_ctx {
    struct hc_customs_declare d;
    hc_customs_ctx *x;
    hc_arena *arena;
    struct hc_customs_list out;
};

static int declare_job(hc_store *s, void *p, hc_err *err)
{
    struct declare_ctx *c = p;
    return hc_customs_declare(s, c->arena, c->x, &c->d, &c->out, err);
}

static int declare_render(struct req *r)
{
    struct declare_ctx *c = r->ctx;
    hc_store *st;
    if (flush_docs(hc_customs_ctx_outbox(c->x), c->out.part_ids, c->out.n_part_ids) &&
        (st = api_reader(r)) != NULL) {
        struct hc_customs_list l; /* read back: the messages are sent now */
        hc_err e = {0};
        if (hc_customs_list_get(st, r->arena, c->out.id, &l, &e) == HC_OK)
            c->out = l;
    }
    return api_reply(r, 201, render_list(&c->out, true));
}

int h_customs_list_create(struct req *r)
{
    json_t *b;
    struct declare_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->d.actor = api_actor(r);
    c->d.tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    if ((c->x = customs_ctx(r)) == NULL)
        return api_fail(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "mode", true, &c->d.trade_mode) ||
        jv_str(r, b, "", "order", false, &c->d.order_id) ||
        jv_str(r, b, "", "inbound", false, &c->d.inbound_id) ||
        jv_str(r, b, "", "customs_code", false, &c->d.customs_code) ||
        jv_str(r, b, "", "port_code", false, &c->d.port_code) ||
        jv_str(r, b, "", "traf_mode", false, &c->d.traf_mode))
        return api_fail(r);
    return api_write(r, declare_job, declare_render, c);
}

static bool may_see(struct req *r, const char *seller)
{
    return api_may_seller(r, seller);
}

int h_customs_list_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_customs_list l;
    if (st == NULL)
        return api_fail(r);
    int rc = hc_customs_list_get(st, r->arena, r->params[0], &l, &r->err);
    if (rc == HC_ENOTFOUND || (rc == HC_OK && !may_see(r, l.seller)))
        return not_found(r, "id", "customs list", r->params[0]);
    if (rc != HC_OK)
        return api_fail(r);
    return api_reply(r, 200, render_list(&l, true));
}

int h_customs_list_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    struct hc_customs_list_filter f = {0};
    const char *state = api_query(r, "state"), *seller = api_query(r, "seller");
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    if (r->who.role == ROLE_SELLER) {
        if (seller && strcmp(seller, r->who.seller) != 0)
            return api_reply(r, 200, j_page(json_array(), NULL));
        seller = r->who.seller;
    }
    f.seller = seller;
    f.month = api_query(r, "month");
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    if (state && hc_parse_i64(state, -999, 999, &f.state) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "state", "must be a CEB status code (e.g. 800)");
        return api_fail(r);
    }
    struct hc_customs_list *items;
    size_t n;
    const char *next;
    if (hc_customs_list_find(st, r->arena, &f, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_list(&items[i], false));
    return api_reply(r, 200, j_page(arr, next));
}

/* GET .../{id}/xml?msg=CEB603: the message as stored (the bytes written to the
 * outbox). Works for lists, and for summary, return and bill ids too. */
int h_customs_list_xml(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *msg = api_query(r, "msg"), *seller, *xml;
    int64_t type = 603;
    if (st == NULL)
        return api_fail(r);
    if (msg) {
        const char *p = strncmp(msg, "CEB", 3) == 0 ? msg + 3 : msg;
        if (hc_parse_i64(p, 100, 999, &type) != HC_OK) {
            hc_err_set(&r->err, HC_EINVAL, "msg", "must name a message, e.g. CEB603");
            return api_fail(r);
        }
    }
    int rc = hc_customs_message_xml(st, r->arena, r->params[0], (int)type, &seller, &xml,
                                    &r->err);
    if (rc == HC_ENOTFOUND || (rc == HC_OK && !may_see(r, seller)))
        return not_found(r, "id", hc_arena_printf(r->arena, "CEB%lld message for",
                                                  (long long)type),
                         r->params[0]);
    if (rc != HC_OK)
        return api_fail(r);
    r->status = 200;
    r->raw = strdup(xml);
    r->raw_type = "application/xml; charset=utf-8";
    return HC_OK;
}

/* ---- inspection and the container gate ---------------------------------------------- */

struct insp_ctx {
    const char *id, *action, *info, *actor;
    hc_arena *arena;
    struct hc_customs_list out;
};

static int insp_job(hc_store *s, void *p, hc_err *err)
{
    struct insp_ctx *c = p;
    int rc = hc_customs_inspection(s, c->id, c->action, c->info, c->actor, err);
    return rc == HC_OK ? hc_customs_list_get(s, c->arena, c->id, &c->out, err) : rc;
}

static int insp_render(struct req *r)
{
    struct insp_ctx *c = r->ctx;
    return api_reply(r, 200, render_list(&c->out, true));
}

int h_customs_inspection(struct req *r)
{
    json_t *b;
    struct insp_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->id = r->params[0];
    c->actor = api_actor(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "action", true, &c->action) ||
        jv_str(r, b, "", "info", false, &c->info) ||
        hc_check_text(c->info, "info", 500, true, &r->err))
        return api_fail(r);
    return api_write(r, insp_job, insp_render, c);
}

int h_customs_container_check(struct req *r)
{
    json_t *b, *arr;
    hc_store *st = api_reader(r);
    if (st == NULL || jv_body(r, &b) || jv_array(r, b, "", "lists", 10000, &arr))
        return api_fail(r);
    size_t n = json_array_size(arr);
    const char **ids = hc_arena_alloc(r->arena, (n ? n : 1) * sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        if (jv_item_str(r, arr, "lists", i, &ids[i]))
            return api_fail(r);
    }
    bool ok;
    const char **blocking;
    size_t nb;
    if (hc_customs_container_can_close(st, r->arena, ids, n, &ok, &blocking, &nb, &r->err))
        return api_fail(r);
    json_t *held = json_array();
    for (size_t i = 0; i < nb; i++)
        json_array_append_new(held, json_string(blocking[i]));
    return api_reply(r, 200, json_pack("{s:b,s:o}", "can_close", ok, "blocking", held));
}

/* ---- receipts ----------------------------------------------------------------------- */

struct receipt_ctx {
    hc_customs_receipts rs;
    const char *actor;
    size_t applied;
};

static int receipt_job(hc_store *s, void *p, hc_err *err)
{
    struct receipt_ctx *c = p;
    return hc_customs_receipt_apply(s, &c->rs, c->actor, &c->applied, err);
}

static int receipt_render(struct req *r)
{
    struct receipt_ctx *c = r->ctx;
    char type[16];
    snprintf(type, sizeof(type), "CEB%d", c->rs.type);
    return api_reply(r, 200, json_pack("{s:s,s:I}", "type", type, "applied",
                                       (json_int_t)c->applied));
}

struct inbox_ctx {
    struct req *r;
    json_t *files;
};

/* One inbox file: applied in its own write transaction, moved after it. */
static int inbox_file(void *p, const char *path, const hc_customs_receipts *rs, hc_err *err)
{
    struct inbox_ctx *ic = p;
    struct receipt_ctx c = {.rs = *rs, .actor = api_actor(ic->r)};
    int rc = hc_db_write(hc_srv.db, receipt_job, &c, err);
    const char *base = strrchr(path, '/');
    json_array_append_new(ic->files,
                          json_pack("{s:s,s:i,s:I,s:o}", "file", base ? base + 1 : path, "type",
                                    rs->type, "applied", (json_int_t)c.applied, "error",
                                    rc == HC_OK ? json_null() : json_string(err->msg)));
    return rc;
}

int h_customs_receipts(struct req *r)
{
    hc_customs_ctx *x = customs_ctx(r);
    if (x == NULL)
        return api_fail(r);
    if (r->body.n > 0 && r->body.p[0] == '<') {
        struct receipt_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
        c->actor = api_actor(r);
        if (hc_customs_receipt_parse(r->arena, r->body.p, r->body.n, &c->rs, &r->err))
            return api_fail(r);
        return api_write(r, receipt_job, receipt_render, c);
    }
    json_t *b;
    const char *src = NULL;
    if (jv_body(r, &b) || jv_str(r, b, "", "import", true, &src))
        return api_fail(r);
    if (strcmp(src, "inbox") != 0) {
        hc_err_set(&r->err, HC_EINVAL, "import",
                   "must be \"inbox\" (or send the receipt XML as the body)");
        return api_fail(r);
    }
    struct inbox_ctx ic = {.r = r, .files = json_array()};
    size_t ok = 0, bad = 0;
    if (hc_customs_inbox_scan(hc_customs_ctx_inbox(x), inbox_file, &ic, &ok, &bad, &r->err)) {
        json_decref(ic.files);
        return api_fail(r);
    }
    return api_reply(r, 200, json_pack("{s:I,s:I,s:o}", "processed", (json_int_t)ok, "failed",
                                       (json_int_t)bad, "files", ic.files));
}

/* ---- bills (CEB607) ---------------------------------------------------------------- */

struct bill_ctx {
    struct hc_customs_bill_req b;
    hc_customs_ctx *x;
    hc_arena *arena;
    const char *cop;
};

static int bill_job(hc_store *s, void *p, hc_err *err)
{
    struct bill_ctx *c = p;
    return hc_customs_bill_link(s, c->arena, c->x, &c->b, &c->cop, err);
}

static int bill_render(struct req *r)
{
    struct bill_ctx *c = r->ctx;
    flush_docs(hc_customs_ctx_outbox(c->x), &c->cop, 1);
    json_t *ids = json_array();
    for (size_t i = 0; i < c->b.n_lists; i++)
        json_array_append_new(ids, json_string(c->b.list_ids[i]));
    return api_reply(r, 201, json_pack("{s:s,s:s,s:s,s:o}", "id", c->cop, "seller", c->b.seller,
                                       "bill_no", c->b.bill_no, "lists", ids));
}

int h_customs_bill_create(struct req *r)
{
    json_t *b, *arr;
    const char *seller = NULL;
    struct bill_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->b.actor = api_actor(r);
    if ((c->x = customs_ctx(r)) == NULL)
        return api_fail(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", r->who.role != ROLE_SELLER, &seller) ||
        acting_seller(r, seller, &c->b.seller) ||
        jv_str(r, b, "", "bill_no", true, &c->b.bill_no) ||
        jv_str(r, b, "", "traf_mode", true, &c->b.traf_mode) ||
        jv_str(r, b, "", "traf_name", false, &c->b.traf_name) ||
        jv_str(r, b, "", "voyage_no", true, &c->b.voyage_no) ||
        jv_str(r, b, "", "gross_weight_kg", false, &c->b.gross_weight) ||
        jv_array(r, b, "", "lists", 1000, &arr))
        return api_fail(r);
    c->b.n_lists = json_array_size(arr);
    const char **ids = hc_arena_alloc(r->arena, (c->b.n_lists + 1) * sizeof(*ids));
    for (size_t i = 0; i < c->b.n_lists; i++) {
        const char *v;
        if (jv_item_str(r, arr, "lists", i, &v))
            return api_fail(r);
        ids[i] = hc_arena_strdup(r->arena, v);
    }
    c->b.list_ids = ids;
    return api_write(r, bill_job, bill_render, c);
}

/* ---- summaries (CEB701) ------------------------------------------------------------ */

struct summary_ctx {
    const char *seller, *month, *actor;
    int64_t summary_flag, item_name_flag;
    bool supplement;
    hc_customs_ctx *x;
    hc_arena *arena;
    struct hc_customs_summary_row *rows;
    size_t n;
};

static int summary_job(hc_store *s, void *p, hc_err *err)
{
    struct summary_ctx *c = p;
    return hc_customs_summary_run(s, c->arena, c->x, c->seller, c->month, (int)c->summary_flag,
                                  (int)c->item_name_flag, c->supplement, c->actor, &c->rows,
                                  &c->n, err);
}

static int summary_render(struct req *r)
{
    struct summary_ctx *c = r->ctx;
    const char **docs = hc_arena_alloc(r->arena, (c->n + 1) * sizeof(*docs));
    for (size_t i = 0; i < c->n; i++)
        docs[i] = c->rows[i].id;
    flush_docs(hc_customs_ctx_outbox(c->x), docs, c->n);
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n; i++) {
        const struct hc_customs_summary_row *g = &c->rows[i];
        json_t *ids = json_array();
        for (int64_t k = 0; k < g->n_lists; k++)
            json_array_append_new(ids, json_string(g->list_ids[k]));
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:I,s:I,s:s,s:I,s:I,s:o}", "id",
                           g->id, "seller", g->seller, "month", g->month, "ebc_code",
                           g->ebc_code, "owner_code", j_opt(g->owner_code), "traf_mode",
                           g->traf_mode, "country", g->country, "port_code", g->port_code,
                           "summary_flag", (json_int_t)g->summary_flag, "item_name_flag",
                           (json_int_t)g->item_name_flag, "total_price", g->total_price,
                           "n_lists", (json_int_t)g->n_lists, "n_lines", (json_int_t)g->n_lines,
                           "lists", ids));
        json_object_set_new(json_array_get(arr, i), "part", json_integer(g->part));
        json_object_set_new(json_array_get(arr, i), "parts", json_integer(g->parts));
        json_object_set_new(json_array_get(arr, i), "customs_code", json_string(g->customs_code));
        json_object_set_new(json_array_get(arr, i), "supplement", json_boolean(g->supplement));
        json_object_set_new(json_array_get(arr, i), "supplement_of", j_opt(g->supplement_of));
    }
    return api_reply(r, 201, json_pack("{s:o}", "items", arr));
}

int h_customs_summary_create(struct req *r)
{
    json_t *b;
    const char *seller = NULL;
    struct summary_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    c->summary_flag = 1;
    if ((c->x = customs_ctx(r)) == NULL)
        return api_fail(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", r->who.role != ROLE_SELLER, &seller) ||
        acting_seller(r, seller, &c->seller) || jv_str(r, b, "", "month", true, &c->month) ||
        jv_int(r, b, "", "summary_flag", false, 1, 2, &c->summary_flag) ||
        jv_int(r, b, "", "item_name_flag", false, 0, 1, &c->item_name_flag))
        return api_fail(r);
    c->supplement = false;
    if (jv_bool(r, b, "", "supplement", false, &c->supplement))
        return api_fail(r);
    return api_write(r, summary_job, summary_render, c);
}

/* ---- returns (CEB213, CEB215) ------------------------------------------------------ */

struct return_ctx {
    struct hc_customs_return_req q;
    const char *id, *operator_code, *operator_name, *location;
    hc_customs_ctx *x;
    hc_arena *arena;
    struct hc_customs_return out;
};

static int return_job(hc_store *s, void *p, hc_err *err)
{
    struct return_ctx *c = p;
    return hc_customs_return_start(s, c->arena, c->x, &c->q, &c->out, err);
}

static int tally_job(hc_store *s, void *p, hc_err *err)
{
    struct return_ctx *c = p;
    return hc_customs_return_tally(s, c->arena, c->x, c->id, c->operator_code,
                                   c->operator_name, c->location, c->q.actor, &c->out, err);
}

static int return_render_201(struct req *r)
{
    struct return_ctx *c = r->ctx;
    flush_docs(hc_customs_ctx_outbox(c->x), &c->out.id, 1);
    return api_reply(r, 201, render_return(&c->out));
}

static int return_render_200(struct req *r)
{
    struct return_ctx *c = r->ctx;
    flush_docs(hc_customs_ctx_outbox(c->x), &c->out.id, 1);
    return api_reply(r, 200, render_return(&c->out));
}

int h_customs_return_create(struct req *r)
{
    json_t *b, *arr = NULL;
    struct return_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->q.actor = api_actor(r);
    c->q.tenant_seller = r->who.role == ROLE_SELLER ? r->who.seller : NULL;
    if ((c->x = customs_ctx(r)) == NULL)
        return api_fail(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "list", true, &c->q.list_id) ||
        jv_str(r, b, "", "customs_code", false, &c->q.customs_code) ||
        jv_str(r, b, "", "port_code", false, &c->q.port_code) ||
        jv_str(r, b, "", "reason", true, &c->q.reason) ||
        jv_str(r, b, "", "logistics_no", false, &c->q.logistics_no) ||
        jv_str(r, b, "", "traf_mode", false, &c->q.traf_mode) ||
        jv_str(r, b, "", "traf_name", false, &c->q.traf_name) ||
        jv_str(r, b, "", "voyage_no", false, &c->q.voyage_no) ||
        jv_str(r, b, "", "bill_no", false, &c->q.bill_no))
        return api_fail(r);
    if (json_object_get(b, "items") && jv_array(r, b, "", "items", 100, &arr))
        return api_fail(r);
    size_t n = arr ? json_array_size(arr) : 0;
    struct hc_customs_return_item *items = hc_arena_alloc(r->arena, (n + 1) * sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        json_t *e;
        const char *p;
        if (jv_item(r, arr, "items", i, &e, &p) ||
            jv_int(r, e, p, "gnum", true, 1, 100, &items[i].gnum) ||
            jv_int(r, e, p, "qty", true, 1, HC_ORDER_QTY_MAX, &items[i].qty))
            return api_fail(r);
    }
    c->q.items = items;
    c->q.n_items = n;
    return api_write(r, return_job, return_render_201, c);
}

int h_customs_return_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_customs_return t;
    if (st == NULL)
        return api_fail(r);
    int rc = hc_customs_return_get(st, r->arena, r->params[0], &t, &r->err);
    if (rc == HC_ENOTFOUND || (rc == HC_OK && !may_see(r, t.seller)))
        return not_found(r, "id", "customs return", r->params[0]);
    if (rc != HC_OK)
        return api_fail(r);
    return api_reply(r, 200, render_return(&t));
}

int h_customs_return_tally(struct req *r)
{
    json_t *b;
    struct return_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->q.actor = api_actor(r);
    c->id = r->params[0];
    if ((c->x = customs_ctx(r)) == NULL)
        return api_fail(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "operator_code", true, &c->operator_code) ||
        jv_str(r, b, "", "operator_name", true, &c->operator_name) ||
        jv_str(r, b, "", "location", false, &c->location))
        return api_fail(r);
    return api_write(r, tally_job, return_render_200, c);
}

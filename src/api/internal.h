/* internal.h: what the api module's files share; not a public header. */
#ifndef HC_API_INTERNAL_H
#define HC_API_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdatomic.h>

#include "api.h"
#include "auth/auth.h"
#include "warehouse/warehouse.h"
#include "headhaul/headhaul.h"
#include "render/render.h"

enum hc_role { ROLE_ADMIN = 1, ROLE_OPERATOR = 2, ROLE_SELLER = 4 };
#define ROLES_ALL (ROLE_ADMIN | ROLE_OPERATOR | ROLE_SELLER)

struct principal {
    char key_id[40];
    char key_name[HC_KEY_NAME_MAX * 4 + 1]; /* the journal's actor */
    int role;
    char seller[HC_CODE_MAX + 1];    /* seller role */
    char warehouse[HC_CODE_MAX + 1]; /* operator role */
};

struct req;
typedef int (*handler_fn)(struct req *r);
typedef int (*render_fn)(struct req *r);

#define MAX_PARAMS 4

struct route {
    const char *method, *pattern;
    handler_fn fn;
    int roles; /* 0: no auth */
    const char *summary;
    const char *body; /* request body fields, for the OpenAPI document */
    const char *query; /* the query parameters it accepts, "a,b,c"; others are a 400 */
    atomic_llong hits, errors;
};

/* One request: everything it allocates lives in its arena. */
struct req {
    struct MHD_Connection *conn;
    const char *method, *path;
    hc_arena *arena;
    hc_buf body;
    bool too_big;
    bool is_static;    /* answered from the web directory */
    const char *allow; /* the Allow header of a 405 */
    const struct route *route;
    const char *params[MAX_PARAMS];
    struct principal who;
    json_t *json; /* parsed body, or NULL */
    hc_err err;
    int64_t started_ns;

    /* the answer */
    int status;
    json_t *out;          /* JSON answer, or */
    char *raw;            /* a prepared text (malloc'd) with raw_type */
    const char *raw_type;
    size_t raw_len;       /* bytes of raw when it is binary (PDF, XLSX); 0: strlen */

    /* a write: handler sets job (+ render), the dispatcher runs it through
     * the group-commit writer with idempotency around it */
    hc_write_fn job;
    render_fn render;
    void *ctx;
    bool pending, resumed;
    int job_rc;
    /* long work (planq.c): fn runs on a planner thread while the
     * connection is suspended; answered says it left the answer itself */
    void (*offload)(struct req *r);
    int64_t offload_ms;
    bool answered;
    int retry_after_s; /* > 0: a Retry-After header with the answer */
    char idem_key[256];
    char idem_hash[65];
    char *idem_body; /* stored or replayed answer */
    int idem_status;
    bool idem_replay;
};

struct server {
    hc_db *db;
    const struct hc_server_options *opt;
    struct MHD_Daemon *daemon;
};
extern struct server hc_srv;

/* routes.c */
extern struct route hc_routes[];
extern const size_t hc_nroutes;

/* server.c */
/* Opens (and migrates) the database and fills hc_srv; opt must outlive the
 * server. 0, or 1 after a line on stderr. */
int api_open(const struct hc_server_options *opt);
/* Starts libmicrohttpd with the request callbacks, the connection limits of
 * hc_srv.opt and extra flags (MHD_USE_NO_LISTEN_SOCKET with sa NULL for a
 * daemon fed by MHD_add_connection, as the HTTP fuzz target does). */
struct MHD_Daemon *api_daemon_start(unsigned extra_flags, const struct sockaddr *sa);
void api_close(void);
hc_store *api_reader(struct req *r);
const char *api_query(struct req *r, const char *name);
/* limit and cursor from the query: limit 1..1000 (default 100) */
int api_page(struct req *r, struct hc_list_page *pg);
/* A query parameter true or false (absent: *out = absent); else a 400 naming it. */
int api_query_bool(struct req *r, const char *name, bool absent, bool *out);
/* Sets an error answer from r->err (or code + message). Returns HC_OK so a
 * handler can `return api_fail(r);` */
int api_fail(struct req *r);
/* Sets a JSON answer; takes the reference to body. */
int api_reply(struct req *r, int status, json_t *body);
/* Sets a 200 answer of type `type` (a static string) from b's bytes, which
 * the request takes over (freed with it); b is left empty (none: an empty
 * answer). */
int api_reply_bytes(struct req *r, hc_buf *b, const char *type);
/* The same with a copy of data[0..n). */
int api_reply_copy(struct req *r, const void *data, size_t n, const char *type);
/* Queues a write job: fn runs in the writer; render (in an HTTP thread)
 * builds the answer after it committed. */
int api_write(struct req *r, hc_write_fn fn, render_fn render, void *ctx);
/* Tenancy: may the caller see/act on this seller's or warehouse's data? */
bool api_may_seller(const struct req *r, const char *seller);
bool api_may_warehouse(const struct req *r, const char *warehouse);
const char *api_actor(const struct req *r);
/* Narrows a list's seller / warehouse filters (either may be NULL to skip)
 * to the caller's tenancy. False when the caller asked for another tenant's
 * data: answer an empty page then. */
bool api_scope(const struct req *r, const char **seller, const char **warehouse);

/* planq.c: long work off the HTTP threads. A handler calls api_offload()
 * (work_ms: about how long fn computes, for Retry-After); fn then runs on
 * a planner thread and answers as a handler does (api_reply, api_fail, or
 * api_write to go on to the writer). When the queue is full the request
 * is answered 503 with Retry-After. */
typedef void (*offload_fn)(struct req *r);
int api_offload(struct req *r, offload_fn fn, int64_t work_ms);
int api_planq_start(int threads, void (*done)(struct req *r)); /* threads <= 0: one per core */
void api_planq_stop(void);
bool api_planq_reserve(struct req *r); /* false: r answered 503 */
void api_planq_submit(struct req *r);  /* after a reserve, with the connection suspended */
void api_planq_metrics(hc_buf *b);

/* json.c: typed field access; on a type or limit error they set r->err naming
 * the field (with prefix) and return its code. */
int jv_str(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           const char **out);
int jv_int(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           int64_t min, int64_t max, int64_t *out);
int jv_dims(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
            int64_t out[3]);
int jv_money(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
             int64_t *minor, const char **currency);
int jv_array(struct req *r, json_t *obj, const char *prefix, const char *key, size_t max,
             json_t **out);
int jv_object(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
              json_t **out);
/* true or false; *out is left alone when the field is absent (or null). */
int jv_bool(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
            bool *out);
/* A JSON number (integer or real); *present (may be NULL) says whether it was given. */
int jv_num(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           double *out, bool *present);
/* Element i of an array (from jv_array) that must be an object, or a string; errors
 * name "prefix[i]", which *path (may be NULL) gets for the element's own fields. */
int jv_item(struct req *r, json_t *arr, const char *prefix, size_t i, json_t **out,
            const char **path);
int jv_item_str(struct req *r, json_t *arr, const char *prefix, size_t i, const char **out);
/* The body as an object; 400 naming "" when it is missing or not JSON. */
int jv_body(struct req *r, json_t **out);
const char *jv_field(struct req *r, const char *prefix, const char *key);
json_t *j_time(int64_t ms);
json_t *j_money(int64_t minor, const char *currency);
json_t *j_dims(const int64_t d[3]);
json_t *j_str_or_null(const char *s);
json_t *j_page(json_t *items, const char *next);
/* problem+json for an error; its field and message are cleaned to valid
 * UTF-8 first, and it never returns NULL but on memory exhaustion. */
json_t *j_problem(int status, const hc_err *err);
const char *j_title(int status);
/* Copies n bytes of s into out (size >= 4) as valid UTF-8 that Jansson
 * accepts: each byte that is not part of a valid character, and each control
 * character, as "\xNN"; cut at a character boundary with "…" when out is
 * too small. Returns the length written. */
size_t j_clean(char *out, size_t size, const char *s, size_t n);
/* j_clean of a string into the request's arena, at most max bytes: for
 * quoting client bytes (a path, a method) in a message. */
const char *j_safe(struct req *r, const char *s, size_t max);

/* import.c: the body of an import (many rows in one POST). */
bool api_body_is_csv(struct req *r); /* Content-Type text/csv */
/* The body as CSV text: a 400 naming "body" saying `wanted` when it is empty,
 * or that it is not UTF-8 text. */
int api_csv_text(struct req *r, const char *wanted);
/* A body of rows with the given columns ("card,warehouse,..."): an XLSX
 * workbook (by its Content-Type or a zip's first bytes; xlsx set, sheet
 * read) or CSV text (Content-Type text/csv, checked by api_csv_text); any
 * other a 400 naming Content-Type, an empty one naming body. */
struct api_sheet_body {
    bool xlsx;
    struct hc_sheet sheet;
};
int api_sheet_body(struct req *r, const char *columns, struct api_sheet_body *out);
/* How an error names row i of an import: before, i + first, after, then the
 * field ("services[" 0 "]." "zone", "card " 1 ": " "warehouse"). */
struct api_row_name {
    const char *before, *after;
    size_t first;
};
typedef int (*api_row_put_fn)(hc_store *s, void *ctx, size_t i, hc_err *err);
/* A write job's loop: put(s, ctx, i) for each row, in order; the first
 * failure stops it with the row named in err's field. */
int api_rows_put(hc_store *s, void *ctx, size_t n, api_row_put_fn put,
                 const struct api_row_name *name, hc_err *err);
/* Each row's warehouse (a const char * at wh_offset in rows of size bytes)
 * must be the caller's to act on: else a 400 naming the row's warehouse. */
int api_rows_warehouses(struct req *r, const void *rows, size_t n, size_t size, size_t wh_offset,
                        const struct api_row_name *name);

/* handlers, by resource */
int h_healthz(struct req *r);
int h_metrics(struct req *r);
int h_openapi(struct req *r);
int h_me(struct req *r);
int h_key_create(struct req *r);
int h_key_list(struct req *r);
int h_key_get(struct req *r);
int h_key_revoke(struct req *r);
int h_seller_create(struct req *r);
int h_seller_list(struct req *r);
int h_seller_get(struct req *r);
int h_warehouse_create(struct req *r);
int h_warehouse_list(struct req *r);
int h_warehouse_get(struct req *r);
int h_location_create(struct req *r);
int h_location_list(struct req *r);
int h_sku_create(struct req *r);
int h_sku_list(struct req *r);
int h_sku_get(struct req *r);
int h_inbound_create(struct req *r);
int h_inbound_list(struct req *r);
int h_inbound_get(struct req *r);
int h_inbound_receive(struct req *r);
int h_inbound_putaway(struct req *r);
int h_inbound_close(struct req *r);
int h_inventory(struct req *r);
int h_journal(struct req *r);
int h_overview(struct req *r);
int h_order_create(struct req *r);
int h_order_list(struct req *r);
int h_order_get(struct req *r);
int h_order_cancel(struct req *r);
int h_order_pack(struct req *r);
int h_order_ship(struct req *r);
int h_order_deliver(struct req *r);
int h_wave_create(struct req *r);
int h_wave_list(struct req *r);
int h_wave_get(struct req *r);
int h_return_create(struct req *r);
int h_return_list(struct req *r);
int h_return_get(struct req *r);
int h_plan_create(struct req *r);
int h_plan_get(struct req *r);
int h_plan_svg(struct req *r);
int h_shipment_create(struct req *r);
int h_shipment_list(struct req *r);
int h_shipment_get(struct req *r);
int h_shipment_container_add(struct req *r);
int h_shipment_container_close(struct req *r);
int h_shipment_depart(struct req *r);
int h_shipment_arrive(struct req *r);
int h_warehouse_arrivals(struct req *r);
int h_wave_progress(struct req *r);
int h_wave_scan(struct req *r);
int h_pack_progress(struct req *r);
int h_pack_scan(struct req *r);
int h_barcode_code128(struct req *r);

/* h_schedules.c, h_events.c */
int h_schedule_import(struct req *r);
int h_schedule_list(struct req *r);
int h_schedule_get(struct req *r);
int h_shipment_events_post(struct req *r);
int h_shipment_events_get(struct req *r);
int h_events_list(struct req *r);
json_t *render_schedule(const struct hc_schedule *s);
json_t *render_event(const struct hc_event *e);

/* h_money.c (issue 10: money journal, wallets, credit, FX) */
int h_money_accounts(struct req *r);
int h_money_postings(struct req *r);
int h_seller_wallet(struct req *r);
int h_seller_topup(struct req *r);
int h_seller_credit(struct req *r);
int h_seller_convert(struct req *r);
int h_fx_rates_import(struct req *r);
int h_fx_rates_list(struct req *r);
int h_fx_convert(struct req *r);

/* h_ratecards.c (issue 10: rate cards, charges, the storage run) */
int h_ratecard_create(struct req *r);
int h_ratecard_import(struct req *r);
int h_ratecard_list(struct req *r);
int h_ratecard_get(struct req *r);
int h_charge_list(struct req *r);
int h_storage_run(struct req *r);
int h_service_create(struct req *r);

/* h_brands.c (issue 13: brands, trademarks, authorisations, packaging, reports) */
int h_brand_create(struct req *r);
int h_brand_list(struct req *r);
int h_brand_get(struct req *r);
int h_trademark_create(struct req *r);
int h_auth_create(struct req *r);
int h_brand_skus(struct req *r);
int h_packaging_put(struct req *r);
int h_packaging_get(struct req *r);
int h_packaging_list(struct req *r);
int h_brand_report(struct req *r);
int h_epr_report(struct req *r);
/* h_lastmile.c (issue 12: carrier services, rates, parcels, labels) */
int h_carrier_service_create(struct req *r);
int h_carrier_service_import(struct req *r);
int h_carrier_service_list(struct req *r);
int h_carrier_service_get(struct req *r);
int h_rates(struct req *r);
int h_boxes_put(struct req *r);
int h_boxes_list(struct req *r);
int h_rules_put(struct req *r);
int h_rules_list(struct req *r);
int h_parcels_record(struct req *r);
int h_parcels_list(struct req *r);
int h_box_suggestion(struct req *r);
int h_parcel_get(struct req *r);
int h_parcel_label_pdf(struct req *r);
int h_parcel_label_zpl(struct req *r);
struct hc_lm_parcel;
struct hc_lm_label;
struct hc_warehouse;
/* The label of parcel p (read whole) as GET /v1/parcels/{id}/label.pdf draws
 * it: its order's ship-to, warehouse w's address, parcel k of n. Strings in
 * r's arena; r->err set on failure. */
int api_parcel_label(struct req *r, hc_store *st, const struct hc_lm_parcel *p,
                     const struct hc_warehouse *w, struct hc_lm_label *l);
/* h_labels.c (issue 12 part 3: uploaded labels) */
int h_order_label_put(struct req *r);
int h_order_label_get(struct req *r);
int h_order_label_pdf(struct req *r);
/* h_labels.c (issue 12 part 3: carton and product labels) */
int h_gs1_put(struct req *r);
int h_gs1_get(struct req *r);
int h_inbound_cartons_pdf(struct req *r);
int h_inbound_cartons_zpl(struct req *r);
int h_sku_labels_pdf(struct req *r);
int h_connector_put(struct req *r);
int h_connector_list(struct req *r);

/* h_webhooks.c (issue 12: webhook subscriptions, their delivery log) */
int h_webhook_create(struct req *r);
int h_webhook_list(struct req *r);
int h_webhook_get(struct req *r);
int h_webhook_delete(struct req *r);
int h_webhook_thresholds_put(struct req *r);
int h_webhook_deliveries(struct req *r);
int h_webhook_redeliver(struct req *r);

/* renderers shared between handlers */
json_t *render_order(const struct hc_order *o);
json_t *render_inbound(const struct hc_inbound *in);

#endif

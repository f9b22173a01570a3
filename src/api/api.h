/* api: the HTTP face of haicang (libmicrohttpd + Jansson): the route table,
 * auth and tenancy, idempotency, problem+json errors, /healthz, /metrics,
 * /v1/openapi.json, and the dashboard's static files.
 *
 * The only module that knows HTTP or JSON; domain modules are called with
 * plain structs. */
#ifndef HC_API_H
#define HC_API_H

#include "base/base.h"

struct hc_server_options {
    const char *db_url;   /* "sqlite:PATH" or "mysql://..." */
    const char *listen;   /* "HOST:PORT" */
    const char *web_dir;  /* dashboard files; NULL serves none */
    int threads;          /* HTTP worker threads (default: one per core, at least 2) */
    size_t max_body;      /* bytes (default 1 MiB) */
    int db_writers;       /* MySQL writer connections (default 4) */
    int max_conn_per_ip;  /* open connections one client address may hold (default 256) */
    int conn_timeout;     /* seconds a connection may stay idle (default 30) */
};

/* Migrates the database, serves until SIGINT or SIGTERM, returns 0 after a
 * clean stop; on a start-up failure, prints one line to stderr and returns 1. */
int hc_api_serve(const struct hc_server_options *opt);

/* DCSA documents read the way the API reads them, for the CLI:
 * schedules: a DCSA Commercial Schedules point-to-point array, or
 * {"routings": [...]}; events: {"shipment": ID, "events": [DCSA TNT v3
 * events]}. Results live in a; err names the field. */
struct hc_schedule;
struct hc_event;
int hc_api_parse_schedules(const char *text, size_t len, hc_arena *a, struct hc_schedule **out,
                           size_t *n, hc_err *err);
int hc_api_parse_events(const char *text, size_t len, hc_arena *a, const char **shipment,
                        struct hc_event **out, size_t *n, hc_err *err);
/* A POST /v1/shipments body (haicang shipment create FILE.json); strings in a. */
struct hc_shipment;
int hc_api_parse_shipment(const char *text, size_t len, hc_arena *a, struct hc_shipment *sh,
                          hc_err *err);

/* Netting settlement documents (h_settle.c), for the API and the CLI: the
 * statement as canonical JSON text (compact, keys sorted, ASCII only;
 * malloc'd), the signed envelope {"document": that text, "signature":
 * {"algorithm", "value", "certificate"}} (malloc'd; NULL and err when no
 * key is configured), and the check of an envelope (summary: one line). */
struct hc_settlement;
char *hc_api_settlement_json(const struct hc_settlement *st, int64_t generated_at);
char *hc_api_settlement_signed(const struct hc_settlement *st, int64_t generated_at, hc_err *err);
int hc_api_settlement_verify(const char *text, size_t len, char *summary, size_t size,
                             hc_err *err);
/* Labels of chosen orders (bulk_labels.c), for GET /v1/dispatch/labels.pdf|zpl
 * ?orders= and `haicang label orders`. hc_api_order_ids splits "ID,ID": 1 to
 * HC_API_ORDER_LABELS_MAX ids, none empty, none twice (else HC_EINVAL naming
 * orders). hc_api_order_labels writes each order's parcel labels (by seq) in
 * the order given, as PDF (a page each; an uploaded label as its own pages)
 * or ZPL II (a ^XA..^XZ each) into out: HC_ENOTFOUND naming orders when an
 * order does not exist or is outside scope (seller, warehouse: NULL any);
 * HC_ECONFLICT naming orders[i] when order i has no parcels and no upload,
 * or (ZPL) has an uploaded PDF, or its upload cannot be read; HC_ETOOBIG
 * naming orders over out's limit. Strings in a. */
#define HC_API_ORDER_LABELS_MAX 500
struct hc_store;
struct hc_api_label_scope {
    const char *seller, *warehouse;
};
int hc_api_order_ids(hc_arena *a, const char *list, char ***ids, size_t *n, hc_err *err);
int hc_api_order_labels(struct hc_store *st, hc_arena *a, char **ids, size_t n,
                        const struct hc_api_label_scope *sc, bool pdf, hc_buf *out, hc_err *err);
/* The label of parcel p (read whole) as GET /v1/parcels/{id}/label.pdf draws
 * it: its order's ship-to, warehouse w's address, parcel k of n (strings in a). */
struct hc_lm_parcel;
struct hc_lm_label;
struct hc_warehouse;
int hc_api_parcel_label(struct hc_store *st, hc_arena *a, const struct hc_lm_parcel *p,
                        const struct hc_warehouse *w, struct hc_lm_label *l, hc_err *err);
/* The OpenAPI 3 document of every route, as JSON text (malloc'd). */
char *hc_api_openapi(void);

#endif

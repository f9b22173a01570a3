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
/* The OpenAPI 3 document of every route, as JSON text (malloc'd). */
char *hc_api_openapi(void);

#endif

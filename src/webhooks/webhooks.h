/* webhooks: subscriptions of URLs to event types, the outbox of deliveries
 * written in the transaction of each change, signatures, the backoff
 * schedule and the URL / address checks against server-side request forgery.
 *
 * Domain part (check.c, outbox.c): no HTTP, no JSON. The sender (sender.c)
 * is the one file that speaks HTTP (libcurl) and builds the JSON body.
 * Mutating functions run in the caller's write transaction; strings in
 * results live in the caller's arena. */
#ifndef HC_WEBHOOKS_H
#define HC_WEBHOOKS_H

#include <sys/socket.h>

#include "store/store.h"
#include "orders/orders.h"
#include "ledger/ledger.h"

#define HC_WEBHOOK_URL_MAX 2048
#define HC_WEBHOOK_EVENTS_MAX 16
#define HC_WEBHOOK_PER_OWNER_MAX 50 /* live subscriptions of one seller or warehouse */
#define HC_WEBHOOK_GIVE_UP_MS (72LL * 3600 * 1000) /* retried for 72 h after it was queued */
#define HC_WEBHOOK_THRESHOLDS_MAX 100   /* per-SKU stock.low thresholds of one subscription */
#define HC_WEBHOOK_THRESHOLD_MAX 1000000000 /* units */
#define HC_WEBHOOK_SECRET_HEX 64                   /* 32 random bytes, hex: "whsec_" + 64 */

/* The event types one may subscribe to (NULL-terminated). transfer.shipped
 * and order.exception are accepted but nothing emits them yet. */
extern const char *const hc_webhook_event_types[];
bool hc_webhook_event_known(const char *type);

/* ---- checks (check.c), pure but for hc_webhook_url_check's DNS lookup -- */
struct hc_url {
    char scheme[8]; /* "http" or "https" */
    char host[256]; /* without brackets for an IPv6 literal */
    int port;
    bool host_is_ip6;
};
/* Parses an absolute http(s) URL (no user:password@, no fragment). err
 * names field. */
int hc_url_parse(const char *url, const char *field, struct hc_url *out, hc_err *err);
/* May a delivery go to this address? Refused: unspecified, loopback (unless
 * allow_loopback), link-local, private (RFC 1918, fc00::/7), CGNAT,
 * multicast, reserved, broadcast; IPv4-mapped and NAT64 IPv6 by their IPv4. */
bool hc_webhook_addr_allowed(const struct sockaddr *sa, bool allow_loopback, const char **why);
/* A host given as an IP literal in any form inet_aton reads (dotted, decimal
 * "2130706433", hex "0x7f.1", octal) or IPv6: fills *ss, true. */
bool hc_host_literal(const char *host, struct sockaddr_storage *ss);
/* Resolves u's host and checks every address; out (may be NULL) gets the
 * first, as text. A name that does not resolve is HC_ENOTFOUND. */
int hc_webhook_resolve(const struct hc_url *u, bool allow_loopback, const char *field,
                       char *out, size_t size, hc_err *err);
/* At subscription: parse, then the addresses; a name that does not resolve
 * (yet) is accepted, the sender checks again at each attempt. */
int hc_webhook_url_check(const char *url, bool allow_loopback, const char *field, hc_err *err);
/* Loopback is allowed only with HAICANG_WEBHOOKS_ALLOW_LOOPBACK=test-only. */
bool hc_webhook_loopback_allowed(void);

/* HMAC-SHA256 over "<t>.<body>" with secret, as 64 hex digits in out[65]. */
void hc_webhook_sign(const char *secret, int64_t t, const char *body, size_t n, char out[65]);
/* The Haicang-Signature header's value: "t=<t>,v1=<hex>". */
void hc_webhook_signature_header(const char *secret, int64_t t, const char *body, size_t n,
                                 char *out, size_t size);
/* Delay before attempt n+1 after n failed attempts (n >= 1): base_ms *
 * 2^(n-1), at most 360 * base_ms (1 h with the default 10 s). */
int64_t hc_webhook_backoff_ms(int64_t attempts, int64_t base_ms);
/* stock.low fires only on the crossing: before >= threshold > after
 * (threshold < 0: none, never). */
bool hc_stock_crossed_below(int64_t before, int64_t after, int64_t threshold);

/* ---- subscriptions and the outbox (outbox.c) ---------------------------- */
struct hc_webhook_threshold {
    const char *sku;
    int64_t below; /* units, >= 0 */
};
struct hc_webhook {
    const char *id, *seller, *warehouse; /* one of seller / warehouse is "" */
    const char *url, *description, *actor;
    const char **events;
    size_t nevents;
    const char *secret; /* set by create only; never read back */
    /* stock.low: the default threshold (-1: none) and per-SKU ones; a
     * subscription to stock.low has at least one of them */
    bool stock_threshold_set; /* create: stock_threshold given */
    int64_t stock_threshold;  /* -1 when not set */
    struct hc_webhook_threshold *thresholds;
    size_t nthresholds;
    int64_t created_at, deleted_at;
    int64_t pending, delivered, failed; /* deliveries by state (get and list) */
};

/* Stores w (url checked by the caller with hc_webhook_url_check), making
 * its id and secret. HC_ECONFLICT naming seller / warehouse when the owner
 * has HC_WEBHOOK_PER_OWNER_MAX live ones. */
int hc_webhook_create(hc_store *s, hc_arena *a, struct hc_webhook *w, const char *actor,
                      hc_err *err);
/* deleted ones are not found */
int hc_webhook_get(hc_store *s, hc_arena *a, const char *id, struct hc_webhook *out, hc_err *err);
/* seller / warehouse: "" or NULL for any. Newest first. */
int hc_webhook_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    const char *cursor, int limit, struct hc_webhook **items, size_t *n,
                    const char **next, hc_err *err);
/* Replaces the stock.low thresholds of subscription w->id with w's
 * stock_threshold (when stock_threshold_set) and thresholds, checked as at
 * creation (HC_EINVAL naming stock_threshold / thresholds[i].sku ...; the
 * subscription must take stock.low). On success *w is the subscription as
 * now stored. HC_ENOTFOUND naming id when there is none (or it is deleted). */
int hc_webhook_set_thresholds(hc_store *s, hc_arena *a, struct hc_webhook *w, hc_err *err);
/* Marks it deleted; its pending deliveries are cancelled. */
int hc_webhook_delete(hc_store *s, const char *id, hc_err *err);

/* The hc_change listener: a delivery row per matching subscription. */
int hc_webhook_on_change(hc_store *s, const struct hc_change *c, hc_err *err);
/* The hc_stock_fn listener: a stock.low delivery per subscription whose
 * threshold for c's SKU the change crosses from above. Costs no query while
 * no live subscription takes stock.low (a per-process flag, re-read at
 * most once a second and at once after a change of this process's
 * subscriptions). */
int hc_webhook_on_stock(hc_store *s, const struct hc_stock_change *c, hc_err *err);
/* Registers both listeners (every process that writes orders or stock). */
void hc_webhooks_install(void);

struct hc_webhook_attempt {
    int64_t n, at, http_status, ms;
    const char *error;
};
struct hc_webhook_delivery {
    int64_t id;
    const char *sub_id, *event_id, *event_type, *seller, *warehouse, *subject, *status;
    int64_t event_at, attempts, next_at, last_code, redelivery_of, created_at, done_at;
    const char *state; /* pending, delivered, failed (given up), cancelled */
    const char *last_error;
    int64_t available, threshold; /* stock.low: subject is the SKU */
    struct hc_webhook_attempt *tries;
    size_t ntries;
    /* for the sender */
    const char *url, *secret;
};
/* Newest first; state "" or NULL for any. cursor is a delivery id. With
 * attempts. */
int hc_webhook_deliveries(hc_store *s, hc_arena *a, const char *sub_id, const char *state,
                          int64_t cursor, int limit, struct hc_webhook_delivery **items,
                          size_t *n, int64_t *next, hc_err *err);
int hc_webhook_delivery_get(hc_store *s, hc_arena *a, const char *sub_id, int64_t id,
                            struct hc_webhook_delivery *out, hc_err *err);
/* A new pending delivery of the same event (after the subscription's
 * earlier ones), due now. *out gets it. */
int hc_webhook_redeliver(hc_store *s, hc_arena *a, const char *sub_id, int64_t id,
                         struct hc_webhook_delivery *out, hc_err *err);

/* For the sender: the head (lowest id pending) of each subscription's
 * queue that is due at now, at most limit, with url and secret. */
int hc_webhook_due(hc_store *s, hc_arena *a, int64_t now, int limit,
                   struct hc_webhook_delivery **items, size_t *n, hc_err *err);
/* Records attempt of delivery d: delivered (2xx), else pending again after
 * the backoff, or failed once the delivery is 72 h old (from when its
 * outbox row was written: a back-dated event, or one sent again by hand,
 * still gets its 72 h). */
int hc_webhook_record(hc_store *s, const struct hc_webhook_delivery *d,
                      const struct hc_webhook_attempt *at, int64_t base_ms, hc_err *err);

/* ---- the sender (sender.c): a background thread of `haicang serve` ------ */
struct hc_webhook_sender_opts {
    int64_t base_ms;      /* backoff base (default 10000; HAICANG_WEBHOOKS_RETRY_BASE_MS) */
    int in_flight;        /* requests at once at most (default 8) */
    int connect_ms, timeout_ms; /* per request (default 3000, 10000) */
    bool allow_loopback;
};
int hc_webhook_sender_start(hc_db *db, const struct hc_webhook_sender_opts *o, hc_err *err);
void hc_webhook_sender_stop(void);
/* The JSON body of a delivery (malloc'd): compact, keys sorted. */
char *hc_webhook_body(const struct hc_webhook_delivery *d);

#endif

/* orders: channel orders, routing to a warehouse, allocation, backorders,
 * cancellation, shipping and delivery.
 *
 * Status (enum hc_order_status) moves allocated -> picking -> packed ->
 * shipped -> delivered, or backordered -> allocated when stock arrives, or
 * -> cancelled before shipping. Mutating functions run in the caller's write
 * transaction (a job of hc_db_write); strings in results live in the caller's
 * arena. */
#ifndef HC_ORDERS_H
#define HC_ORDERS_H

#include "catalog/catalog.h"
#include "ledger/ledger.h"

#define HC_ORDER_LINES_MAX 500
#define HC_ORDER_QTY_MAX 1000000 /* units on one order line, and on one return line */
#define HC_CHANNEL_MAX 32
#define HC_CHANNEL_ORDER_MAX 64
#define HC_ID_MAX 32

/* The statuses of an order, in the order of its life; hc_order_status_names
 * holds the word each is stored and answered as (status.c). */
enum hc_order_status {
    HC_ORDER_BACKORDERED,
    HC_ORDER_ALLOCATED,
    HC_ORDER_PICKING,
    HC_ORDER_PACKED,
    HC_ORDER_SHIPPED,
    HC_ORDER_DELIVERED,
    HC_ORDER_CANCELLED,
    /* held before routing (hold_reason says why, e.g. "credit"); released
     * by hc_order_release_hold, or cancelled */
    HC_ORDER_ON_HOLD,
    HC_ORDER_NSTATUS
};
extern const char *const hc_order_status_names[HC_ORDER_NSTATUS];
const char *hc_order_status_name(enum hc_order_status st);
/* The status named word, or -1 when word (may be NULL) names none. */
int hc_order_status_parse(const char *word);

/* Changes other modules hear of inside the transaction that makes them (the
 * webhooks outbox): type is "order.created" or "order.<status>" for each
 * status an order enters, "inbound.received" when an inbound is received
 * in full. warehouse may be NULL (the listener looks it up). */
struct hc_change {
    const char *type, *seller, *warehouse, *subject, *status;
    int64_t at;
};
typedef int (*hc_change_fn)(hc_store *s, const struct hc_change *c, hc_err *err);
/* Sets the one listener (start-up, before any write; NULL: none). */
void hc_change_listen(hc_change_fn fn);
/* Calls the listener in s's transaction; HC_OK when there is none. */
int hc_change_emit(hc_store *s, const struct hc_change *c, hc_err *err);

struct hc_order_line {
    const char *sku;
    int64_t qty;
    int64_t price_minor;
    const char *currency;
    int64_t allocated;
};

struct hc_order_event {
    const char *status;
    int64_t at;
};

struct hc_order {
    const char *id, *seller, *channel, *channel_order_id, *status, *warehouse;
    const char *ship_to_json; /* the ship_to object as given, re-rendered by the API */
    const char *ship_name;    /* ship_to.name, stored apart to find orders by customer */
    const char *ship_country;
    const char *carrier, *tracking_no, *parcels_json, *wave;
    /* Input to hc_order_create: when set, the order is created on_hold for
     * this reason (finance's credit hold), not allocated. Read back by get. */
    const char *hold_reason;
    int64_t created_at, updated_at;
    struct hc_order_line *lines;
    size_t nlines;
    struct hc_order_event *history;
    size_t nhistory;
};

/* Field checks that need no store: lengths, codes, qty > 0, line count. */
int hc_order_validate(const struct hc_order *o, hc_err *err);

/* Creates the order, or finds the one with the same seller + channel +
 * channel_order_id (then *existed is true and nothing is written). Routes it
 * to a warehouse that can ship it complete and allocates, or backorders it.
 * Unknown SKUs are refused naming lines[i].sku. On success *o is filled.
 * o->created_at, when > 0, dates the order (imports and the demo). */
int hc_order_create(hc_store *s, hc_arena *a, struct hc_order *o, const char *actor,
                    bool *existed, hc_err *err);

int hc_order_get(hc_store *s, hc_arena *a, const char *id, struct hc_order *out, hc_err *err);
int hc_order_cancel(hc_store *s, hc_arena *a, const char *id, const char *actor,
                    struct hc_order *out, hc_err *err);
int hc_order_ship(hc_store *s, hc_arena *a, const char *id, const char *carrier,
                  const char *tracking_no, const char *parcels_json, const char *actor,
                  struct hc_order *out, hc_err *err);
int hc_order_deliver(hc_store *s, hc_arena *a, const char *id, const char *actor,
                     struct hc_order *out, hc_err *err);
/* Moves an order from one status to another, recording the history; for the
 * warehouse module (picking, packed). HC_ECONFLICT if it is not in `from`. */
int hc_order_set_status(hc_store *s, const char *seller, const char *id,
                        enum hc_order_status from, enum hc_order_status to, hc_err *err);

/* An on_hold order is routed and allocated as a new order is (or
 * backordered); its hold reason is cleared. HC_ECONFLICT when it is not on
 * hold. *status (may be NULL) gets "allocated" or "backordered". */
int hc_order_release_hold(hc_store *s, hc_arena *a, const char *id, const char *actor,
                          const char **status, hc_err *err);

/* An on_hold order (o as created, routed to o->warehouse) takes its stock
 * there now when every line is available (the hold then keeps it, as a
 * warehouse may configure for compliance holds); else nothing changes.
 * *allocated (may be NULL) says which. Releasing the hold then makes it
 * allocated at once; cancelling gives the stock back. */
int hc_order_allocate_held(hc_store *s, hc_arena *a, struct hc_order *o, const char *actor,
                           bool *allocated, hc_err *err);
/* Changes why an on_hold order is held (e.g. from compliance to credit).
 * HC_ECONFLICT when it is not on hold. */
int hc_order_set_hold_reason(hc_store *s, const char *seller, const char *id, const char *reason,
                             hc_err *err);

/* An allocated order, or one being picked, that cannot be picked as planned
 * (a short pick): its allocation is given back, it leaves its wave, and it is
 * routed again as a backorder is: allocated where some warehouse can now
 * ship it complete, else backordered (oldest first by its created_at).
 * *status (may be NULL) gets "allocated" or "backordered". */
int hc_order_requeue(hc_store *s, hc_arena *a, const char *id, const char *actor,
                     const char **status, hc_err *err);

/* Stock of seller's skus (nskus of them, repeats allowed) arrived or was
 * freed: routes the backorders that need one of those SKUs again, oldest
 * first, as many as there are (a page at a time, until no warehouse has
 * the SKU free), and allocates each that some warehouse can now ship
 * complete, moving it there if need be. *filled (may be NULL) gets the
 * count. */
int hc_order_fill_backorders(hc_store *s, const char *seller, const char *const *skus,
                             size_t nskus, const char *actor, int *filled, hc_err *err);

struct hc_order_filter {
    const char *seller, *warehouse, *status, *channel, *country;
    /* exact: the channel's order id, the carrier's tracking number, the
     * ship-to name */
    const char *channel_order_id, *tracking_no, *customer;
    /* a search box: an order id, tracking number, or the start of a channel
     * order id or ship-to name */
    const char *q;
    int64_t from_ms, to_ms; /* created_at range, 0 = open */
    const char *cursor;     /* from a previous page, or NULL */
    int limit;
};
/* Newest first. *next gets the cursor of the next page or NULL. */
int hc_order_list(hc_store *s, hc_arena *a, const struct hc_order_filter *f,
                  struct hc_order **items, size_t *n, const char **next, hc_err *err);

/* Routing, pure: candidates are the warehouses; complete[i] says whether
 * warehouse i can ship the whole order. Picks a complete one in the ship-to
 * country, else the nearest complete one, else (backorder) the preferred one
 * among all: in-country, else nearest. Returns the index, or -1 when n == 0.
 * *is_complete tells which case it was. */
struct hc_route_candidate {
    const char *code, *country;
    double lat, lon;
    bool has_geo, complete;
};
int hc_route_choose(const struct hc_route_candidate *c, size_t n, const char *ship_country,
                    bool *is_complete);

#endif

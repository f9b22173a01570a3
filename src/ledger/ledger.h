/* ledger: the append-only goods journal and the balances kept beside it.
 *
 * Goods move between places: "origin" (the seller's own stock in China, the
 * one account that may go negative: it is where goods enter the books),
 * "wh/<code>/<location>", "order/<id>", "carrier/<code>", "transit/<id>",
 * "customer", "scrap". Every move writes one journal row and updates
 * balances(seller, sku, place) in the caller's transaction; a move that would
 * take a physical place below zero is refused with HC_ECONFLICT.
 *
 * Allocation reserves stock of a warehouse for an order without moving it:
 * stock(seller, warehouse, sku) keeps on_hand (sum of the warehouse's places)
 * and allocated; allocation is a conditional update that never lets
 * allocated exceed on_hand, so concurrent writers (even several servers on
 * one MySQL database) cannot over-allocate. Allocations are journalled too
 * (kind "allocate"/"release", from "wh/<code>" to "order/<id>" and back).
 *
 * All functions take the writer connection of an open transaction. */
#ifndef HC_LEDGER_H
#define HC_LEDGER_H

#include "store/store.h"

#define HC_PLACE_MAX 160
#define HC_REF_MAX 64

struct hc_move {
    const char *seller, *sku;
    int64_t qty; /* > 0 */
    const char *from, *to;
    const char *ref;   /* document the move belongs to: order, inbound, return id */
    const char *actor; /* API key id or "cli" */
    /* The size of one unit, given by moves into or out of a warehouse bin:
     * place_load(place) keeps what each bin holds in mm3 and g, so putaway
     * need not add up every balance of the warehouse. 0 when not known. */
    int64_t unit_volume_mm3, unit_weight_g;
};

int hc_ledger_move(hc_store *s, const struct hc_move *m, hc_err *err);

/* Reserves qty of (seller, sku) in warehouse for order ref. HC_ECONFLICT when
 * available (on_hand - allocated) is short; nothing is written then. */
int hc_ledger_allocate(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                       int64_t qty, const char *ref, const char *actor, hc_err *err);
/* Gives back a reservation (cancel) or consumes it (goods picked). */
int hc_ledger_release(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                      int64_t qty, const char *ref, const char *actor, hc_err *err);

/* Places outside a warehouse that count in one of its stock buckets (the
 * head-haul: "site/..." inbound_planned, "transit/..." in_transit,
 * "dock/..." arrived). Bind a place before the first move into it; moves in
 * and out of a bound place then keep stock.<bucket> of (seller, warehouse,
 * sku) in step, as moves of "wh/..." places keep on_hand. */
#define HC_BUCKET_PLANNED "inbound_planned"
#define HC_BUCKET_TRANSIT "in_transit"
#define HC_BUCKET_ARRIVED "arrived"
int hc_ledger_bind_place(hc_store *s, const char *place, const char *warehouse,
                         const char *bucket, hc_err *err);

/* Available units of (seller, warehouse, sku); 0 when never stocked. */
int hc_ledger_available(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                        int64_t *out, hc_err *err);

/* The warehouse code of a "wh/<code>/..." place into buf; false otherwise. */
bool hc_place_warehouse(const char *place, char *buf, size_t size);
/* Places that must never go negative: all but "origin". */
bool hc_place_is_physical(const char *place);

/* What a place holds by volume and weight (0, 0 when nothing is known). */
int hc_ledger_place_load(hc_store *s, const char *place, int64_t *volume_mm3, int64_t *weight_g,
                         hc_err *err);

/* Recomputes balances and stock from the journal and compares. Each
 * difference is reported through report(line, ctx) (may be NULL); *diffs
 * gets their count. */
struct hc_verify_result {
    int64_t journal_rows, balance_rows, stock_rows, diffs;
};
int hc_ledger_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                     struct hc_verify_result *out, hc_err *err);

#endif

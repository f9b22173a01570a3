/* ledger: the append-only goods journal and the balances kept beside it.
 *
 * Goods move between places: "origin" (the seller's own stock in China, the
 * one account that may go negative: it is where goods enter the books),
 * "wh/<code>/<location>", "order/<id>", "carrier/<code>", "transit/<id>",
 * "customer", "scrap", "lost" (units a pick found missing) and "lost/<place>"
 * (units written off from <place>: an inbound of a transfer closed short
 * moves what it never took from "transfer/<id>" to "lost/transfer/<id>",
 * the journal row's ref naming the inbound). Every move writes one journal row and updates
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

/* A change of one stock row's available (on_hand - allocated) by delta
 * (after - before, never 0), heard in the transaction that makes it: every
 * move into or out of a warehouse, allocation and release. Modules above
 * (the webhooks' stock.low) install the one listener at start-up; the
 * ledger knows nothing of them. */
struct hc_stock_change {
    const char *seller, *warehouse, *sku;
    int64_t delta;
};
typedef int (*hc_stock_fn)(hc_store *s, const struct hc_stock_change *c, hc_err *err);
/* Sets the one listener (start-up, before any write; NULL: none). */
void hc_stock_listen(hc_stock_fn fn);

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
/* Places that may be bound to a bucket: "site/", "transit/", "dock/" (the
 * head-haul) and "transfer/" (a transfer on its way to a haicang warehouse). */
bool hc_place_may_bind(const char *place);

/* Available units of (seller, warehouse, sku); 0 when never stocked. */
int hc_ledger_available(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                        int64_t *out, hc_err *err);

/* The warehouse code of a "wh/<code>/..." place into buf; false otherwise. */
bool hc_place_warehouse(const char *place, char *buf, size_t size);
/* The loss place of place: "lost/<place>" into buf; false when too long. */
bool hc_place_lost(const char *place, char *buf, size_t size);
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
    int64_t money_entries, money_postings, money_balance_rows; /* hc_money_verify's */
};
int hc_ledger_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                     struct hc_verify_result *out, hc_err *err);

/* ---- money (money.c) ------------------------------------------------------
 * The money half of the journal: double-entry postings in exact integers of
 * ISO 4217 minor units (hc_currency_scale), never floating point.
 *
 * Accounts are text: "seller/<code>/<kind>" and "wh/<code>/<kind>", kind one
 * of wallet, receipts, receivable, revenue, passthrough, fx. The books are
 * the warehouse operator's; a line's minor is > 0 for a debit, < 0 for a
 * credit, and an account's stored balance is the sum of its lines. Each kind
 * has a normal side (hc_money_account_normal): debit for receipts,
 * receivable, fx; credit for wallet (what the operator holds for the seller),
 * revenue, passthrough. Shown balances are on the normal side:
 *   top-up:  Dr seller/S/receipts   Cr seller/S/wallet
 *   charge:  Dr seller/S/wallet      Cr wh/W/revenue   (M2's charges)
 * so a wallet "available" = -stored balance, negative when credit is used.
 *
 * An entry is a set of lines (2..HC_MONEY_LINES_MAX) whose debits equal its
 * credits per currency; no line is 0. Entries are append-only: a correction
 * is a new entry (cause kind "correction", cause id the entry corrected).
 * money_balances(account, currency) is updated in the same transaction;
 * hc_money_verify proves both. Functions take the writer connection of an
 * open transaction (reads: any connection). */
#define HC_ACCOUNT_MAX 96
#define HC_MONEY_LINES_MAX 64
#define HC_MONEY_ID_MAX 32

/* Causes: what an entry books (cause_kind), with cause_id naming it. */
#define HC_CAUSE_JOURNAL "journal"     /* a goods journal entry (its id) */
#define HC_CAUSE_ORDER "order"
#define HC_CAUSE_INBOUND "inbound"
#define HC_CAUSE_RETURN "return"
#define HC_CAUSE_SHIPMENT "shipment"
#define HC_CAUSE_STORAGE "storage"     /* cause_id "<warehouse>/<YYYY-MM-DD>" */
#define HC_CAUSE_SERVICE "service"
#define HC_CAUSE_TOPUP "topup"         /* cause_id: the receipt's reference */
#define HC_CAUSE_FX "fx"
#define HC_CAUSE_CORRECTION "correction" /* cause_id: the entry corrected */
bool hc_money_cause_valid(const char *kind);

struct hc_money_line {
    const char *account;  /* "seller/<code>/wallet", "wh/<code>/revenue", ... */
    const char *currency; /* ISO 4217, known to hc_currency_scale */
    int64_t minor;        /* > 0 debit, < 0 credit, never 0 */
    /* A line converted from another currency records the rate and the day
     * of the rate used (hc_fx_convert); NULL otherwise. */
    const char *fx_rate; /* decimal string, e.g. "7.8123" (quote per 1 base) */
    const char *fx_day;  /* "YYYY-MM-DD" */
    const char *memo;    /* NULL or a short text ("storage 0-30 d, 1.2 m3") */
};

struct hc_money_entry {
    const char *actor;    /* API key id or "cli" */
    const char *idem_key; /* NULL/"" or unique: a second post with it books nothing */
    const char *cause_kind, *cause_id;
    const char *seller;    /* the seller the entry concerns, "" when none */
    const char *warehouse; /* the warehouse it concerns, "" when none */
    int64_t at;            /* ms; 0 = now (back-dated storage days set it) */
    const struct hc_money_line *lines;
    size_t nlines;
};

struct hc_money_posted {
    char id[HC_MONEY_ID_MAX]; /* "mny_<n>" */
    bool replayed;            /* idem_key seen before: id is the first entry's */
};

/* Checks and books one entry: HC_EINVAL naming lines[i].account / currency /
 * minor, or "lines" when debits and credits differ in a currency; nothing is
 * written then. */
int hc_money_post(hc_store *s, const struct hc_money_entry *e, struct hc_money_posted *out,
                  hc_err *err);
/* Field checks only (no store): what hc_money_post refuses before writing. */
int hc_money_validate(const struct hc_money_entry *e, hc_err *err);

/* Account helpers. hc_money_account formats "<owner>/<code>/<kind>" into buf. */
int hc_money_account(char *buf, size_t size, const char *owner, const char *code,
                     const char *kind);
bool hc_money_account_valid(const char *account);
int hc_money_account_normal(const char *account); /* +1 debit-normal, -1 credit-normal */
/* The seller code of "seller/<code>/..." or warehouse of "wh/<code>/...". */
bool hc_money_account_owner(const char *account, char *kind, size_t ksize, char *code,
                            size_t csize);

/* Stored balance (debits - credits) of account in currency; 0 when none. */
int hc_money_balance(hc_store *s, const char *account, const char *currency, int64_t *out,
                     hc_err *err);

struct hc_money_balance_row {
    const char *account, *currency;
    int64_t balance; /* stored sign: debits - credits */
};
/* Balances of accounts whose name starts with prefix ("seller/S/", "wh/W/",
 * "" for all), by account and currency. Strings live in a. */
int hc_money_balances(hc_store *s, hc_arena *a, const char *prefix,
                      struct hc_money_balance_row **rows, size_t *n, hc_err *err);

struct hc_money_posting {
    int64_t seq; /* order of booking; the page cursor */
    const char *entry, *account, *currency, *actor, *cause_kind, *cause_id;
    const char *seller, *warehouse, *fx_rate, *fx_day, *memo;
    int64_t at, minor;
};
struct hc_money_filter {
    const char *account;   /* exact, or NULL */
    const char *seller;    /* lines of entries concerning this seller (entry.seller) */
    const char *warehouse; /* lines of entries concerning this warehouse */
    const char *entry;     /* the lines of one entry, or NULL */
    int64_t from_ms, to_ms; /* at in [from, to), 0 = open */
    int64_t after;          /* cursor: seq of the last row seen, 0 = first page */
    int limit;              /* 1..1000 */
};
/* Oldest first. *next gets the cursor of the next page, 0 when none. */
int hc_money_postings(hc_store *s, hc_arena *a, const struct hc_money_filter *f,
                      struct hc_money_posting **rows, size_t *n, int64_t *next, hc_err *err);

/* Recomputes money_balances from the postings and checks every entry
 * balances per currency; each difference through report (as
 * hc_ledger_verify). */
struct hc_money_verify_result {
    int64_t entries, postings, balance_rows, diffs;
};
int hc_money_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                    struct hc_money_verify_result *out, hc_err *err);

#endif

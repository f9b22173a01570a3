/* finance: FX reference rates, wallets and credit, rate cards and charges,
 * statements and invoices. Above warehouse (and orders, ledger); nothing
 * below includes it. Money is booked through the money journal of
 * src/ledger (hc_money_post); this module decides what to book.
 *
 * Mutating functions run in the caller's write transaction (a job of
 * hc_db_write), so an API job can compose a warehouse call and its charge in
 * one transaction. Strings in results live in the caller's arena. */
#ifndef HC_FINANCE_H
#define HC_FINANCE_H

#include "ledger/ledger.h"
#include "warehouse/warehouse.h"

/* ---- fx (fx.c; M1) -------------------------------------------------------
 * Dated reference rates per currency pair: on day D, 1 unit of base is
 * `rate` units of quote. Rates are exact decimal strings with up to
 * HC_FX_RATE_SCALE fraction digits, stored as integers rate * 10^10. A
 * conversion uses the rate of that very day (the direct pair, else the
 * inverse pair), rounds half-even to the target's minor units and records
 * the rate and its day; without a rate for the day it is HC_ECONFLICT naming
 * the currency and the date. */
#define HC_FX_RATE_SCALE 10
#define HC_FX_RATE_MAX 24 /* "12345678901.1234567890" and its NUL */
#define HC_FX_SOURCE_MAX 200

struct hc_fx_rate {
    const char *base, *quote; /* ISO 4217 */
    const char *day;          /* "YYYY-MM-DD" */
    int64_t rate_e10;         /* > 0 */
    const char *source;       /* where the figure comes from */
};
/* Checks one rate (fields named base, quote, day, rate, source). */
int hc_fx_rate_validate(const struct hc_fx_rate *r, hc_err *err);
/* Stores rates (a rate of the same pair and day is replaced). */
int hc_fx_rates_put(hc_store *s, const struct hc_fx_rate *r, size_t n, const char *actor,
                    hc_err *err);
/* Parses a CSV "base,quote,day,rate[,source]" (a header line allowed) into
 * rates living in a; HC_EINVAL naming "line N: field". */
int hc_fx_csv_parse(hc_arena *a, const char *text, size_t len, const char *default_source,
                    struct hc_fx_rate **out, size_t *n, hc_err *err);
/* A day "YYYY-MM-DD" that exists on the calendar. */
bool hc_fx_day_valid(const char *day);
/* "7.8123" -> 78123000000; HC_EINVAL naming field. */
int hc_fx_rate_parse(const char *s, int64_t *out);
void hc_fx_rate_format(int64_t rate_e10, char *buf, size_t size);

struct hc_fx_conversion {
    int64_t minor;                /* amount in the target currency */
    char rate[HC_FX_RATE_MAX];    /* the rate used, target per 1 source */
    char day[11];                 /* its day */
};
/* amount (minor units of from) converted to `to` at the rate of `day`. */
int hc_fx_convert(hc_store *s, const char *from, const char *to, const char *day,
                  int64_t minor, struct hc_fx_conversion *out, hc_err *err);
/* Pure: minor * rate in to's minor units, half-even (for tests and fx.c). */
int hc_fx_apply(int64_t minor, const char *from, const char *to, int64_t rate_e10,
                bool inverse, int64_t *out, hc_err *err);

struct hc_fx_filter {
    const char *base, *quote, *from_day, *to_day; /* NULL = any */
    int limit;
};
int hc_fx_rates_list(hc_store *s, hc_arena *a, const struct hc_fx_filter *f,
                     struct hc_fx_rate **out, size_t *n, hc_err *err);

/* ---- wallet and credit (wallet.c; M1) --------------------------------------
 * A seller's wallet is seller/<code>/wallet, one balance per currency. A
 * top-up is a recorded receipt: Dr seller/S/receipts, Cr seller/S/wallet.
 * A seller may have a credit limit per currency (set by an operator or
 * admin); a seller without one is not credit-controlled. When a wallet's
 * available balance is below minus its limit, new outbound orders of the
 * seller are held (status on_hold, hold reason "credit"); a top-up that
 * brings every wallet back within its limit releases them, oldest first,
 * routed and allocated as a new order would be. */
#define HC_TOPUP_REF_MAX 64
#define HC_HOLD_CREDIT "credit"

struct hc_topup {
    const char *seller, *currency;
    int64_t minor;         /* > 0 */
    const char *reference; /* the receipt's reference (bank transfer id...) */
    const char *actor, *idem_key;
    int64_t at; /* 0 = now */
};
struct hc_topup_result {
    struct hc_money_posted posted;
    int released; /* held orders released by this top-up */
};
/* HC_EINVAL naming amount / currency / reference; HC_ENOTFOUND for an
 * unknown seller. Releases held orders in the same transaction. */
int hc_wallet_topup(hc_store *s, hc_arena *a, const struct hc_topup *t,
                    struct hc_topup_result *out, hc_err *err);

struct hc_wallet_row {
    const char *currency;
    int64_t available;    /* -(stored wallet balance): what the seller has */
    int64_t credit_limit; /* minor units; -1 when no limit is set */
    bool over_limit;      /* available < -credit_limit */
};
struct hc_wallet {
    const char *seller;
    struct hc_wallet_row *rows; /* one per currency with a balance or a limit */
    size_t n;
    bool held;     /* new orders are held */
    int64_t held_orders;
};
int hc_wallet_get(hc_store *s, hc_arena *a, const char *seller, struct hc_wallet *out,
                  hc_err *err);

/* Sets (limit >= 0) the credit limit of seller in currency. Releases held
 * orders when the new limit allows. */
int hc_credit_set(hc_store *s, hc_arena *a, const char *seller, const char *currency,
                  int64_t limit_minor, const char *actor, int *released, hc_err *err);
/* Whether seller has, or had, stock in warehouse: an operator of
 * that warehouse may then see its wallet, record its top-ups and set its credit. */
int hc_wallet_seller_uses(hc_store *s, const char *seller, const char *warehouse, bool *uses,
                          hc_err *err);
/* Whether seller's new orders are to be held now. */
int hc_credit_over(hc_store *s, const char *seller, bool *over, hc_err *err);
/* Releases seller's orders held for credit when no wallet is over its limit
 * (routes and allocates each, oldest first). *released (may be NULL). */
int hc_credit_release(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                      int *released, hc_err *err);

/* Converts minor of the seller's wallet in `from` into `to` at the rate of
 * day (HC_ECONFLICT naming currency and day without one): Dr wallet(from),
 * Cr seller/S/fx(from); Dr seller/S/fx(to), Cr wallet(to); the `to` lines
 * record the rate and its day. HC_EINVAL naming amount when minor <= 0;
 * HC_ECONFLICT naming amount when the wallet would go below minus its
 * credit limit (0 without one). */
int hc_wallet_convert(hc_store *s, const char *seller, const char *from, int64_t minor,
                      const char *to, const char *day, const char *actor, const char *idem_key,
                      struct hc_money_posted *posted, struct hc_fx_conversion *conv,
                      hc_err *err);

/* ---- rate cards and charges (ratecard.c, charge.c, storage.c; M2) -----------
 * A rate card prices a warehouse's services for all its sellers (seller
 * NULL) or for one seller (that card overrides the warehouse card on the days
 * it covers). Cards of one scope (warehouse, seller) are versions: each covers
 * effective_from..effective_to (local dates of the warehouse, to NULL = open)
 * and the days of two live cards of one scope never overlap. A card may
 * replace an earlier one (`replaces`): the old one is then superseded for all
 * its days, and storage days already charged are re-rated by correction
 * postings on the next storage run (never edited).
 *
 * Rates are exact decimal strings with up to 4 digits beyond the currency's
 * minor units, stored as integers "e4" (minor units * 10^4). A charge is a
 * list of lines (basis * rate, each rounded half-even to minor units), then a
 * "minimum" line lifting the subtotal to the card's minimum, then a
 * "surcharge" line (surcharge_bp / 100 % of the subtotal, half-even); the
 * total is the sum of the lines. Booked as Dr seller/S/wallet, Cr
 * wh/W/revenue with the cause (inbound, order, return, storage). */
#define HC_RC_TIERS_MAX 16
#define HC_RC_BREAKS_MAX 16
#define HC_RC_RATE_EXTRA 4 /* digits beyond the minor units */
#define HC_RC_DAY_OPEN (-1)

enum hc_rc_storage_basis { HC_RC_PER_M3 = 1, HC_RC_PER_PALLET = 2, HC_RC_PER_BIN = 3 };
enum hc_rc_inbound_basis { HC_RC_PER_CARTON = 1, HC_RC_PER_INBOUND_M3 = 2, HC_RC_PER_UNIT = 3 };

struct hc_rc_tier {
    int64_t from_day, to_day; /* lot age in days since receipt; to_day -1 = open */
    int64_t rate_e4;          /* per m3 / pallet / bin per day */
};
struct hc_rc_break {
    int64_t max_weight_g;   /* the order's weight up to this; -1 = open (last) */
    int64_t order_e4;       /* per order */
    int64_t extra_unit_e4;  /* per unit after the first */
};

struct hc_ratecard {
    const char *id, *warehouse, *seller; /* seller NULL: the warehouse card */
    const char *currency;
    const char *effective_from, *effective_to; /* "YYYY-MM-DD"; to NULL = open */
    const char *replaces, *superseded_by;      /* card ids or NULL */
    int64_t version, created_at;
    const char *created_by;
    int64_t surcharge_bp; /* 1/100 of a percent: 550 = 5.5 % */
    int storage_basis;    /* enum hc_rc_storage_basis */
    int64_t pallet_mm3;   /* per-pallet basis: volume of one pallet place */
    struct hc_rc_tier tiers[HC_RC_TIERS_MAX];
    size_t ntiers;
    int inbound_basis;    /* enum hc_rc_inbound_basis */
    int64_t inbound_e4, carton_units; /* carton basis: units per carton */
    struct hc_rc_break breaks[HC_RC_BREAKS_MAX];
    size_t nbreaks;
    int64_t return_unit_e4, relabel_unit_e4, kitting_unit_e4;
    /* minimum of one charge, minor units (0 = none) */
    int64_t min_inbound, min_outbound, min_storage, min_return, min_service;
};

/* Field checks (no store): tiers start at 0, ascend without gaps or overlaps
 * and end open ("storage.tiers[i].from_day"); weight breaks ascend and end
 * open; dates; currency. HC_EINVAL naming the field. */
int hc_ratecard_validate(const struct hc_ratecard *c, hc_err *err);
/* "0.4500" in currency -> rate_e4; HC_EINVAL naming field. */
int hc_rc_rate_parse(const char *s, const char *currency, const char *field, int64_t *out,
                     hc_err *err);
void hc_rc_rate_format(int64_t e4, const char *currency, char *buf, size_t size);
/* Percent "5.5" -> 550 bp (0..100 %). */
int hc_rc_pct_parse(const char *s, const char *field, int64_t *bp, hc_err *err);

/* Stores a new card (id, version, created_* set here). Overlapping effective
 * dates with a live card of the same scope: HC_EINVAL naming effective_from;
 * unknown warehouse / seller: HC_EINVAL naming them; replaces names a live
 * card of the same scope or HC_EINVAL. A back-dated card marks the
 * warehouse's charged storage days from its first day for re-rating. */
int hc_ratecard_create(hc_store *s, hc_arena *a, struct hc_ratecard *c, const char *actor,
                       hc_err *err);
int hc_ratecard_get(hc_store *s, hc_arena *a, const char *id, struct hc_ratecard *out,
                    hc_err *err);
/* Cards of a warehouse (NULL: all), for a seller: its own and the warehouse
 * cards (seller_only false), newest first. */
struct hc_ratecard_filter {
    const char *warehouse, *seller;
    bool include_superseded;
    const char *cursor; /* an id: cards created before it */
    int limit;
};
int hc_ratecard_list(hc_store *s, hc_arena *a, const struct hc_ratecard_filter *f,
                     struct hc_ratecard **out, size_t *n, const char **next, hc_err *err);
/* The card applying to seller in warehouse on day: the seller's live card
 * covering it, else the warehouse's; HC_ENOTFOUND when none. */
int hc_ratecard_for(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                    const char *day, struct hc_ratecard *out, hc_err *err);
/* CSV import: one card per `card` value, rows
 * card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate
 * where item is storage_m3|storage_pallet|storage_bin (from/to: lot age days),
 * inbound_carton|inbound_m3|inbound_unit (from: units per carton),
 * outbound (to: max weight g, rate per order), outbound_extra_unit (to: as
 * outbound), return_unit, relabel_unit, kitting_unit, surcharge_pct,
 * pallet_mm3 (rate: the volume), min_inbound|min_outbound|min_storage|
 * min_return|min_service. Empty to = open. HC_EINVAL naming "line N: field". */
int hc_ratecard_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_ratecard **out,
                          size_t *n, hc_err *err);
/* The same columns from the rows of a sheet (hc_sheet_read_xlsx of an
 * .xlsx): empty cells at a row's end are empty fields; HC_EINVAL naming
 * "row N: field" with N the sheet's row number. */
struct hc_sheet;
int hc_ratecard_sheet_parse(hc_arena *a, const struct hc_sheet *sh, struct hc_ratecard **out,
                            size_t *n, hc_err *err);

/* ---- charge arithmetic (pure) */
#define HC_CHARGE_LINES_MAX 24
struct hc_charge_line {
    char label[48]; /* "storage 31-90 d", "minimum", "surcharge 5.5 %" */
    int64_t basis;  /* units, cartons, mm3, bins... of the line */
    int64_t minor;
};
struct hc_charge {
    const char *currency;
    struct hc_charge_line lines[HC_CHARGE_LINES_MAX];
    size_t n;
    int64_t total; /* the sum of the lines */
};
/* round half-even of num / den (den > 0). */
int64_t hc_round_half_even(__int128 num, __int128 den);
/* Adds a line of basis * rate_e4 / per (per: 1 for units, 10^9 for mm3 -> m3),
 * rounded half-even; lines of 0 are kept out. */
void hc_charge_add(struct hc_charge *c, const char *label, int64_t basis, int64_t rate_e4,
                   int64_t per);
/* Adds the minimum line and the surcharge line and sets total. */
void hc_charge_finish(struct hc_charge *c, int64_t minimum, int64_t surcharge_bp);

/* Lots on hand at a snapshot, for the storage charge: qty of a SKU received
 * on `day_no` (days since the epoch, local), unit volume, bin index. */
struct hc_storage_lot {
    int64_t age_days, qty, unit_mm3;
};
/* Storage charge of one seller for one day from its lots (and, for the bin
 * basis, the age of the oldest goods in each occupied bin). */
void hc_storage_price(const struct hc_ratecard *c, const struct hc_storage_lot *lots, size_t n,
                      const int64_t *bin_ages, size_t nbins, struct hc_charge *out);
/* The lots left by FIFO consumption: ins[] (age, qty) oldest first, `out`
 * units consumed from the oldest; writes the remaining into rem (same
 * order), returns their count. */
size_t hc_fifo_remaining(const struct hc_storage_lot *ins, size_t n, int64_t out,
                         struct hc_storage_lot *rem);

/* ---- charges at events (in the caller's transaction) */
/* A receipt of an inbound: lines as received in this call. No card: nothing. */
int hc_charge_receipt(hc_store *s, hc_arena *a, const char *inbound_id,
                      const struct hc_qty_line *lines, size_t n, const char *actor, hc_err *err);
/* An order just shipped. */
int hc_charge_shipment(hc_store *s, hc_arena *a, const char *order_id, const char *actor,
                       hc_err *err);
/* A return just booked (units of every line). */
int hc_charge_return(hc_store *s, hc_arena *a, const struct hc_return *r, const char *actor,
                     hc_err *err);
/* A value-added service done for a seller (service "relabel" or "kitting"):
 * units at the card's per-unit rate, the service minimum, the surcharge;
 * cause "service" with id. HC_EINVAL naming service / units / seller;
 * HC_ECONFLICT naming warehouse when no card covers today. *out gets the
 * charge booked. */
int hc_charge_service(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                      const char *service, int64_t units, const char *id, const char *actor,
                      struct hc_charge *out, hc_err *err);

struct hc_charge_row {
    const char *id, *warehouse, *seller, *kind, *cause_kind, *cause_id, *day, *card;
    const char *currency, *entry;
    int64_t minor, at;
};
struct hc_charge_filter {
    const char *warehouse, *seller, *kind, *cause_id, *day;
    const char *cursor;
    int limit;
};
int hc_charge_list(hc_store *s, hc_arena *a, const struct hc_charge_filter *f,
                   struct hc_charge_row **out, size_t *n, const char **next, hc_err *err);

/* ---- the nightly storage run (storage.c) */
struct hc_storage_result {
    int days;          /* warehouse-days run */
    int entries;       /* money entries posted (charges and corrections) */
    int64_t lots;      /* lots priced */
};
/* Charges storage of warehouse (NULL: every warehouse) for day ("YYYY-MM-DD",
 * NULL: every local day that has ended since the last run, and the days
 * marked for re-rating). A day already charged posts only the difference to
 * what its cards say now (nothing when unchanged). Days of the future or the
 * running day: HC_EINVAL naming date. */
int hc_storage_run(hc_db *db, const char *warehouse, const char *day, const char *actor,
                   struct hc_storage_result *out, hc_err *err);
/* The server's timer: runs hc_storage_run(NULL, NULL) at once and then every
 * period_s seconds on a thread of its own until hc_storage_timer_stop. */
int hc_storage_timer_start(hc_db *db, int period_s, hc_err *err);
void hc_storage_timer_stop(void);
/* Local civil date of ms in the IANA time zone tz ("YYYY-MM-DD"), and the
 * UTC ms of local midnight starting day. */
int hc_tz_day(const char *tz, int64_t ms, char out[11]);
int64_t hc_tz_midnight(const char *tz, const char *day);

/* ---- statements and invoices (statement.c, invoice.c, document.c; M3) -----
 * Months are Beijing calendar months (UTC+8, "YYYY-MM"): the seller's books
 * and the customs month run on that clock, and one seller's warehouses lie
 * in several time zones, so no warehouse's local month could be the
 * seller's. A month may be stated or invoiced once it has ended: the
 * current or a future month is HC_ECONFLICT naming "month"; a malformed one
 * HC_EINVAL naming "month".
 *
 * A statement is the seller's wallet (seller/<code>/wallet) over the month,
 * seen from the seller: a line's amount is what it did to the seller's
 * money (a top-up +, a charge -; the stored credit-normal minor negated),
 * lines oldest first (at, then booking order) with their cause and the
 * running balance in their currency; per currency the opening balance (every
 * line before the month), credits, debits and the closing balance
 * (closing = opening + credits + debits); per currency and cause kind a count
 * and a sum. Computed from the postings on each call, never stored. */
#define HC_MONTH_LEN 7 /* "YYYY-MM" */
int hc_month_range(const char *month, int64_t *from_ms, int64_t *to_ms, hc_err *err);
/* hc_month_range, and HC_ECONFLICT naming "month" unless it ended by now_ms. */
int hc_month_closed(const char *month, int64_t now_ms, int64_t *from_ms, int64_t *to_ms,
                    hc_err *err);

struct hc_statement_line {
    int64_t seq, at, amount, balance; /* amount and running balance: minor units */
    const char *entry, *currency, *cause_kind, *cause_id, *warehouse, *memo, *fx_rate, *fx_day;
};
struct hc_statement_total {
    const char *currency;
    int64_t opening, credits, debits, closing; /* debits <= 0 */
    int64_t lines;
};
struct hc_statement_kind {
    const char *currency, *cause_kind;
    int64_t lines, amount;
};
struct hc_statement {
    const char *seller, *month;
    int64_t from_ms, to_ms; /* [from, to) */
    struct hc_statement_line *lines;
    size_t nlines;
    struct hc_statement_total *totals; /* by currency */
    size_t ntotals;
    struct hc_statement_kind *kinds; /* by currency, then cause kind */
    size_t nkinds;
};
/* HC_ENOTFOUND naming "seller" for an unknown seller. Any connection. */
int hc_statement_build(hc_store *s, hc_arena *a, const char *seller, const char *month,
                       int64_t now_ms, struct hc_statement *out, hc_err *err);

/* One page of the statement, for the JSON document of a long month: the
 * same totals and counts by type as hc_statement_build (over the whole
 * month), and at most limit (1..1000) lines after `after` (NULL: from the
 * month's first) in the same order with the same running balances. *more
 * says whether lines follow; then *next is the cursor of the page after.
 * statement_page.c. */
struct hc_statement_cursor {
    int64_t at, seq; /* the last line given */
};
/* "<at>.<seq>" as hc_statement_page's caller prints it; HC_EINVAL otherwise. */
int hc_statement_cursor_parse(const char *s, struct hc_statement_cursor *c);
int hc_statement_page(hc_store *s, hc_arena *a, const char *seller, const char *month,
                      int64_t now_ms, const struct hc_statement_cursor *after, int limit,
                      struct hc_statement *out, struct hc_statement_cursor *next, bool *more,
                      hc_err *err);

/* An invoice: what warehouse (the issuer) charged seller in a month, the
 * credits of wh/<code>/revenue and wh/<code>/passthrough booked for the
 * seller, per cause kind and currency, stored once when issued. Numbers run
 * per issuer, 1, 2, 3, ... without gaps: the number is taken in the
 * transaction that stores the invoice (invoice_counters), so a transaction
 * that fails takes none. One invoice per issuer, seller and month
 * (HC_ECONFLICT naming "month" for a second, or for a month with no
 * charges); "<issuer>-<seq, 6 digits>" is the printed number. */
#define HC_INVOICE_ID_MAX 32
struct hc_invoice_line {
    const char *cause_kind, *currency;
    int64_t lines, amount; /* postings behind it, sum in minor units */
};
struct hc_invoice_total {
    const char *currency;
    int64_t amount;
};
struct hc_invoice {
    const char *id, *number, *issuer, *seller, *month, *issued_by;
    int64_t seq, issued_at;
    struct hc_invoice_line *lines;
    size_t nlines;
    struct hc_invoice_total *totals;
    size_t ntotals;
};
/* Issues in the caller's write transaction. HC_ENOTFOUND naming "seller" or
 * "warehouse" when absent. */
int hc_invoice_issue(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                     const char *month, int64_t now_ms, const char *actor,
                     struct hc_invoice *out, hc_err *err);
/* By id ("inv_...") or printed number; HC_ENOTFOUND naming "id". */
int hc_invoice_get(hc_store *s, hc_arena *a, const char *id, struct hc_invoice *out,
                   hc_err *err);
/* Invoices of a seller and/or issuer (NULL = any), newest first. */
int hc_invoice_list(hc_store *s, hc_arena *a, const char *seller, const char *issuer,
                    int limit, struct hc_invoice **out, size_t *n, hc_err *err);
/* The same by pages of limit (1..1000): the invoices after `after` (NULL:
 * from the newest) in that order (issued_at down, issuer up, seq down);
 * *more says whether others follow, then *next is the page after's cursor,
 * printed "<issued_at>.<seq>.<issuer>". */
struct hc_invoice_cursor {
    int64_t issued_at, seq;
    char issuer[HC_CODE_MAX + 1];
};
int hc_invoice_cursor_parse(const char *s, struct hc_invoice_cursor *c);
int hc_invoice_page(hc_store *s, hc_arena *a, const char *seller, const char *issuer,
                    const struct hc_invoice_cursor *after, int limit, struct hc_invoice **out,
                    size_t *n, struct hc_invoice_cursor *next, bool *more, hc_err *err);

/* What a warehouse charged each seller (revenue + passthrough credits for
 * the seller) in [from, to) (0 = open), what of it was invoiced, and the
 * rest; by seller and currency. */
struct hc_receivable {
    const char *seller, *currency;
    int64_t charged, invoiced, uninvoiced;
};
int hc_receivables(hc_store *s, hc_arena *a, const char *warehouse, const char *month,
                   struct hc_receivable **out, size_t *n, hc_err *err);

/* Documents for src/render: labels in "zh" or "en". A statement's XLSX and
 * CSV list every line. Its PDF lists every line up to
 * HC_STATEMENT_PDF_LINES lines (~1,400 pages); above that, cairo's cost per
 * glyph makes a PDF of every line take longer than a statement may
 * (bench/RESULTS.md), and the PDF shows the line count, totals per day,
 * currency and type with each day's closing balance instead, and says that
 * the lines are in the XLSX and CSV. */
#define HC_STATEMENT_PDF_LINES 100000
struct hc_doc;
int hc_statement_doc(hc_arena *a, const struct hc_statement *st, const char *lang,
                     struct hc_doc *out);
int hc_invoice_doc(hc_arena *a, const struct hc_invoice *inv, const char *lang,
                   struct hc_doc *out);

/* ---- advertising deduction cap (adcap.c) ------------------------------------
 * EIT Regulations Art. 44 (RULES.md "Advertising spend"): a seller's
 * advertising and traffic-purchase (投流) spend is deductible up to
 * rate x the year's sales revenue; the excess carries forward without a time
 * limit. Per year, all in CNY fen:
 *   cap = rate x revenue (half-even to the fen)
 *   allowed = min(spend + carried_in, cap)
 *   carried_out = spend + carried_in - allowed
 * and carried_in is the previous year's carried_out (0 before the first
 * year with spend).
 * Spend is imported per seller, channel, month and currency; a row of the
 * same four replaces the one before. An amount not in CNY is converted when
 * stored at the reference rate of fx_day (default: the month's last day),
 * the rate and its day kept with it (HC_ECONFLICT naming currency without).
 * Revenue: the seller's orders whose "shipped" event falls in the Beijing
 * calendar year (delivered orders were shipped first), qty x unit price of
 * every line, gross of returns; summed per currency and Beijing ship day and
 * converted to CNY at that day's rate (HC_ECONFLICT naming currency and day
 * without one).
 * Rate: the seller's category from the year it applies (general 15 %;
 * cosmetics, pharmaceuticals, soft drinks 30 %; tobacco 0), or a rate given
 * with it (0..100 %); no category set: general. */
#define HC_ADCAP_REF_MAX 64
#define HC_ADCAP_CUR_MAX 16   /* revenue currencies shown per year */
#define HC_ADCAP_YEAR_MIN 2000
#define HC_ADCAP_YEAR_MAX 9999
#define HC_ADCAP_DEFAULT_BP 1500

/* The advertising channels spend may be booked to, NULL-terminated. */
extern const char *const hc_adcap_channels[];
bool hc_adcap_channel_known(const char *channel);
/* The default rate of a category in basis points, or -1 for an unknown one. */
int64_t hc_adcap_category_bp(const char *category);
extern const char *const hc_adcap_categories[]; /* NULL-terminated */

struct hc_ad_spend {
    const char *seller, *channel, *month, *currency;
    int64_t minor;         /* >= 0, in currency's minor units */
    const char *fx_day;    /* the conversion's day; NULL: the month's last day */
    const char *reference; /* the platform's invoice or bill number, or NULL */
    /* set when stored (and on listing) */
    int64_t cny_minor;
    const char *fx_rate; /* "1" for CNY */
    const char *actor;
    int64_t created_at;
};
/* Field checks (no store): channel, month (YYYY-MM), amount (>= 0),
 * currency, fx_day, reference; HC_EINVAL naming the field. */
int hc_adcap_spend_validate(const struct hc_ad_spend *x, hc_err *err);
/* Stores n rows of seller (each validated, converted; all or none in the
 * caller's transaction); fills cny_minor, fx_day, fx_rate. HC_ENOTFOUND
 * naming "code" for an unknown seller. */
int hc_adcap_spend_put(hc_store *s, hc_arena *a, const char *seller, struct hc_ad_spend *x,
                       size_t n, const char *actor, hc_err *err);
/* CSV "channel,month,amount,currency[,fx_day[,reference]]" (a header line
 * allowed); HC_EINVAL naming "line N: field". */
int hc_adcap_spend_csv_parse(hc_arena *a, const char *text, size_t len,
                             struct hc_ad_spend **out, size_t *n, hc_err *err);
/* Spend of seller, of year (0: every year), by month then channel. */
int hc_adcap_spend_list(hc_store *s, hc_arena *a, const char *seller, int year,
                        struct hc_ad_spend **out, size_t *n, hc_err *err);

struct hc_ad_category {
    const char *seller, *category;
    int year_from;   /* applies from this year until the next row's */
    int64_t rate_bp; /* 1/100 %: 1500 = 15 % */
    const char *actor;
    int64_t created_at;
};
/* Sets the category of seller from year_from (a row of the same year is
 * replaced). rate_bp < 0: the category's default. HC_EINVAL naming
 * category / year_from / rate_pct. */
int hc_adcap_category_set(hc_store *s, struct hc_ad_category *c, const char *actor,
                          hc_err *err);
int hc_adcap_category_list(hc_store *s, hc_arena *a, const char *seller,
                           struct hc_ad_category **out, size_t *n, hc_err *err);

struct hc_adcap_revenue {
    const char *currency;
    int64_t minor, cny_minor; /* in the currency, and converted day by day */
};
struct hc_adcap_year {
    int year;
    const char *category;
    int64_t rate_bp;
    int64_t orders; /* shipped in the year */
    struct hc_adcap_revenue by_currency[HC_ADCAP_CUR_MAX];
    size_t ncur;
    int64_t revenue, spend, carried_in, cap, allowed, carried_out; /* CNY fen */
};
/* Pure: cap, allowed and carried_out of y from revenue, spend, carried_in
 * and rate_bp. HC_EINVAL naming "spend" when the sum would overflow. */
int hc_adcap_compute(struct hc_adcap_year *y, hc_err *err);
struct hc_adcap_report {
    const char *seller;
    struct hc_adcap_year *years; /* the first year with spend (or year) .. year */
    size_t n;
};
/* The report of seller for year (HC_ADCAP_YEAR_MIN..the running Beijing
 * year, else HC_EINVAL naming "year"), with every year before it back to the
 * first with spend, whose carry it takes in. */
int hc_adcap_report(hc_store *s, hc_arena *a, const char *seller, int year, int64_t now_ms,
                    struct hc_adcap_report *out, hc_err *err);

/* ---- export VAT refund, overseas-warehouse mode (refund.c, refund_report.c)
 * STA Announcement 2025 No. 3 (docs/refund.md). A seller's refund profile
 * says how it is refunded: a trading company (免退, "trading") on its
 * purchase invoices excluding VAT, a manufacturer (免抵退, "manufacturer")
 * on FOB x the exchange rate of the export day, less the non-creditable
 * part FOB x rate x (VAT rate - refund rate). Refund rates are per HS code
 * (4 to 10 digits; the longest prefix of an item's code wins) from an
 * effective date until the next one of that code. Rates and percentages are
 * basis points (1300 = 13 %); amounts are fen (CNY minor units), each line
 * rounded half-even, every total the sum of its lines.
 *
 * An item is a line of a released 9810 list that CEB792 gave a declaration
 * number (entry_id) and item number (entry_gnum). At a filing date each item
 * is split into the part sold abroad by then (consumer shipments from the
 * list's warehouse attributed first in, first out: see refund_report.c) and
 * the unsold part (pre-refund, business type HWC-YT). Pre-refunds are
 * reconciled monthly from the month after they were granted until April of
 * the following year. */
#define HC_REFUND_TRADING "trading"
#define HC_REFUND_MANUFACTURER "manufacturer"
#define HC_REFUND_RATE_MAX_BP 1300 /* 13 %: the highest VAT and refund rate */
#define HC_REFUND_HWC_YT "HWC-YT"  /* business type of a pre-refund */

struct hc_refund_profile {
    const char *seller, *company; /* HC_REFUND_TRADING | HC_REFUND_MANUFACTURER */
    int64_t vat_bp;               /* 0..1300 */
};
/* HC_EINVAL naming company_type / vat_rate; HC_ENOTFOUND naming seller. */
int hc_refund_profile_put(hc_store *s, const struct hc_refund_profile *p, const char *actor,
                          hc_err *err);
int hc_refund_profile_get(hc_store *s, hc_arena *a, const char *seller,
                          struct hc_refund_profile *out, hc_err *err);
/* "13" or "9.5" percent -> basis points within 0..13 %; HC_EINVAL naming field. */
int hc_refund_pct_parse(const char *s, const char *field, int64_t *bp, hc_err *err);
void hc_refund_pct_format(int64_t bp, char *buf, size_t size);

struct hc_refund_rate {
    const char *hs_code;        /* 4..10 digits */
    const char *effective_from; /* YYYY-MM-DD */
    int64_t rate_bp;            /* 0..1300 */
    const char *source;         /* may be NULL */
};
/* Field checks; fields named with prefix ("rates[2]." or "line 3: "). */
int hc_refund_rate_validate(const struct hc_refund_rate *r, const char *prefix, hc_err *err);
/* Stores seller's rates (same code and date: replaced). */
int hc_refund_rates_put(hc_store *s, const char *seller, const struct hc_refund_rate *r,
                        size_t n, const char *actor, hc_err *err);
/* CSV "hs_code,effective_from,rate[,source]" (a header line allowed). */
int hc_refund_rates_csv(hc_arena *a, const char *text, size_t len, struct hc_refund_rate **out,
                        size_t *n, hc_err *err);
int hc_refund_rates_list(hc_store *s, hc_arena *a, const char *seller,
                         struct hc_refund_rate **out, size_t *n, hc_err *err);

/* A purchase invoice amount excluding VAT: for one declaration item
 * (entry_id + entry_gnum: the item's whole quantity) or per unit of a SKU. */
struct hc_refund_invoice {
    const char *entry_id; /* with entry_gnum, or NULL for a SKU */
    int64_t entry_gnum;
    const char *sku;        /* NULL for an item */
    int64_t amount_fen;     /* >= 0 */
    const char *invoice_no; /* may be NULL */
};
int hc_refund_invoice_validate(const struct hc_refund_invoice *v, const char *prefix,
                               hc_err *err);
int hc_refund_invoices_put(hc_store *s, const char *seller, const struct hc_refund_invoice *v,
                           size_t n, const char *actor, hc_err *err);
/* CSV "entry_id,entry_gnum,sku,amount[,invoice_no]": entry_id+entry_gnum or sku. */
int hc_refund_invoices_csv(hc_arena *a, const char *text, size_t len,
                           struct hc_refund_invoice **out, size_t *n, hc_err *err);
int hc_refund_invoices_list(hc_store *s, hc_arena *a, const char *seller,
                            struct hc_refund_invoice **out, size_t *n, hc_err *err);

/* ---- arithmetic (pure) */
struct hc_refund_amount {
    int64_t basis_fen;          /* invoice excl. VAT, or FOB x rate */
    int64_t non_creditable_fen; /* manufacturer: FOB x rate x (VAT - refund rate) */
    int64_t refund_fen;         /* basis x refund rate */
};
/* One line's amounts from its basis. */
void hc_refund_compute(const char *company, int64_t basis_fen, int64_t vat_bp, int64_t rate_bp,
                       struct hc_refund_amount *out);
/* FOB in e5 of its currency x rate_e10 -> fen, half-even. */
int64_t hc_refund_fob_fen(int64_t fob_e5, int64_t rate_e10);
/* Splits an item's basis of qty units into sold units (half-even) and the
 * rest, and computes each part: sold + unsold == the item, line by line. */
void hc_refund_split(const char *company, int64_t basis_fen, int64_t qty, int64_t sold,
                     int64_t vat_bp, int64_t rate_bp, struct hc_refund_amount *sold_part,
                     struct hc_refund_amount *unsold_part);

/* Outcome of reconciling one pre-refund line. */
enum hc_refund_outcome {
    HC_REFUND_PENDING = 1,   /* not all sold, before the deadline: again next month */
    HC_REFUND_NO_ADJUST = 2, /* all sold at the refunded (declared) amount */
    HC_REFUND_REFILE = 3,    /* all sold at another amount: reverse, refile, difference */
    HC_REFUND_REPAY = 4,     /* still unsold at the deadline: repay the whole pre-refund */
    HC_REFUND_RECOVERED = 5, /* not reconciled by the deadline: the tax office recovers */
};
const char *hc_refund_outcome_name(int outcome);
struct hc_refund_recon_in {
    const char *company;
    int64_t vat_bp, rate_bp, rate_e10; /* the rate of the export day */
    int64_t pre_qty, pre_refund_fen, pre_basis_fen; /* the pre-refund as filed */
    int64_t item_qty, item_fob_e5;                  /* the declared item */
    int64_t sold_qty;   /* of pre_qty, sold by now */
    int64_t sale_e5;    /* what they sold for, in e5 of the declared currency */
    bool at_deadline;   /* this reconciliation is the last (April) one */
};
struct hc_refund_recon_out {
    int outcome;
    int64_t new_refund_fen; /* refund on the actual sale (refile) */
    int64_t diff_fen;       /* new - pre (refile), flows into the next period */
    int64_t repay_fen;      /* repay: the whole pre-refund */
};
void hc_refund_reconcile(const struct hc_refund_recon_in *in, struct hc_refund_recon_out *out);
/* The last day to reconcile a pre-refund granted on day: 30 April of the
 * following year; the first month: the month after the grant. */
void hc_refund_deadline(const char *granted_on, char deadline[11], char first_month[8]);

/* ---- the seller's items, filings, reconciliations, report (refund_report.c) */
struct hc_refund_part {
    const char *part;          /* "sold" | "unsold" */
    const char *business_type; /* "" for sold, HC_REFUND_HWC_YT for unsold */
    int64_t qty;
    struct hc_refund_amount amt;
};
struct hc_refund_item {
    const char *entry_id;
    int64_t entry_gnum;
    const char *list_id, *sku, *warehouse, *hs_code, *currency, *exported_on, *fob;
    int64_t gnum, qty, fob_e5;
    int64_t rate_bp, rate_e10; /* refund rate; FX to CNY of the export day (manufacturer) */
    const char *fx_rate;
    int64_t sold;              /* units sold abroad by the date */
    struct hc_refund_amount total;
    struct hc_refund_part parts[2]; /* sold, unsold (a part of 0 units is left out) */
    size_t nparts;
    const char *blocked_field; /* NULL when it can be filed; else what is missing */
    const char *blocked;       /* why */
    const char *filing_id;     /* filed already: its filing */
    const char *file_by;       /* 30 April of the year after the export */
};
/* Items of seller exported by day (YYYY-MM-DD) with their amounts and
 * their split at day. HC_ECONFLICT naming "profile" without a profile. */
int hc_refund_items(hc_store *s, hc_arena *a, const char *seller, const char *day,
                    struct hc_refund_item **out, size_t *n, hc_err *err);
/* One page of those items in the same order (warehouse, SKU, export, list,
 * item): at most limit (> 0) after cursor (NULL or "": from the first; else a
 * *next this gave, HC_EINVAL naming "cursor" when it names no item of the
 * seller by day); *next NULL after the last page. */
int hc_refund_items_page(hc_store *s, hc_arena *a, const char *seller, const char *day,
                         const char *cursor, int limit, struct hc_refund_item **out, size_t *n,
                         const char **next, hc_err *err);

struct hc_refund_key {
    const char *entry_id;
    int64_t entry_gnum;
};
struct hc_refund_filing {
    const char *id, *seller, *filed_on, *granted_on; /* granted_on "" until granted */
    int64_t nlines, basis_fen, refund_fen, created_at;
    const char *actor;
    struct hc_refund_item *items; /* filed items with their parts */
    size_t nitems;
    struct hc_refund_item *skipped; /* not filed (no keys given): why */
    size_t nskipped;
};
/* Files items of seller at filed_on (not in the future): keys (n > 0) or,
 * with n == 0, every item ready and not filed. A key without entry_id:
 * HC_EINVAL naming "items[i].entry_id"; unknown, already filed or blocked:
 * 4xx naming "items[i]...". HC_ECONFLICT naming "items" when nothing is left
 * to file. granted_on may be NULL. */
int hc_refund_file(hc_store *s, hc_arena *a, const char *seller, const char *filed_on,
                   const char *granted_on, const struct hc_refund_key *keys, size_t n,
                   const char *actor, struct hc_refund_filing *out, hc_err *err);
int hc_refund_grant(hc_store *s, hc_arena *a, const char *seller, const char *id,
                    const char *granted_on, struct hc_refund_filing *out, hc_err *err);
int hc_refund_filing_get(hc_store *s, hc_arena *a, const char *seller, const char *id,
                         struct hc_refund_filing *out, hc_err *err);
int hc_refund_filing_list(hc_store *s, hc_arena *a, const char *seller,
                          struct hc_refund_filing **out, size_t *n, hc_err *err);

/* One pre-refund line reconciled, or as the report sees it now. */
struct hc_refund_recon_line {
    const char *entry_id, *filing_id, *sku, *currency;
    int64_t entry_gnum, pre_qty, sold_qty, sale_e5, pre_refund_fen;
    const char *granted_on, *first_month, *deadline;
    struct hc_refund_recon_out r;
    const char *reconciled_in; /* the period of the reconciliation that closed it, or NULL */
};
struct hc_refund_recon {
    const char *id, *seller, *period, *recorded_on;
    struct hc_refund_recon_line *lines;
    size_t nlines;
    int64_t diff_fen, repay_fen;
};
/* Records the reconciliation of filing period `period` (YYYY-MM) done on
 * recorded_on (NULL: today): every granted pre-refund line open in that
 * period. HC_ECONFLICT naming period when there is none or it was recorded. */
int hc_refund_reconcile_record(hc_store *s, hc_arena *a, const char *seller, const char *period,
                               const char *recorded_on, const char *actor,
                               struct hc_refund_recon *out, hc_err *err);

struct hc_refund_repay {
    const char *entry_id, *reason; /* "unsold at deadline" | "returned" */
    int64_t entry_gnum, qty, repay_fen;
    const char *due, *cause; /* due date; the return or filing behind it */
};
struct hc_refund_report {
    const char *seller, *day, *company;
    struct hc_refund_item *to_file; /* ready or blocked */
    size_t nto_file;
    int64_t file_refund_fen, file_basis_fen; /* of the ready ones */
    struct hc_refund_recon_line *to_reconcile; /* open, and awaiting grant */
    size_t nto_reconcile;
    struct hc_refund_repay *to_repay;
    size_t nto_repay;
    int64_t repay_fen;
    struct hc_refund_recon_line *recovered;
    size_t nrecovered;
    int64_t recovered_fen;
    const char *next_reconcile_month; /* NULL when nothing is open */
};
int hc_refund_report_build(hc_store *s, hc_arena *a, const char *seller, const char *day,
                           struct hc_refund_report *out, hc_err *err);

/* ---- netting settlement (settlement.c, settle_sign.c; issue 10 part 7) ------
 * SAFE Hui Fa [2020] No. 11: an exporter may net overseas fees against its
 * export proceeds and must report the net flow and the reconstructed gross.
 * A settlement statement covers a seller and a period of Beijing calendar
 * days [from, to] (to at most today). Its orders are those shipped in the
 * period (order_history 'shipped'); per order: the gross sale (its lines,
 * qty x unit price, in the order's currency), each fee netted against it by
 * type, the net, and the customs list items behind the sale.
 *
 * Fees: haicang's own charges (fin_charges: outbound, returns -> fulfilment
 * of their order; storage -> storage, inbound and services -> fulfilment,
 * pooled) and external fees (recorded here: head-haul, last mile, taxes,
 * compensation, advertising, or any type, with an order or a period cause).
 * An order's own fees are netted against it whenever booked; fees without an
 * order dated in the period are pooled per (type, currency, warehouse) and
 * allocated pro rata by gross (largest remainder, exact to the minor unit)
 * to the period's orders shipped from that warehouse (external fees, or a
 * warehouse that shipped none: to all the period's orders); the basis is
 * each order's gross in the pool's currency.
 * Conversions use src/finance/fx.c: an order's own fee at the rate of the
 * fee's day, a pooled share (and a gross weighed in another currency) at the
 * rate of `to`; no rate: HC_ECONFLICT naming "currency" and the day. */
enum hc_fee_type {
    HC_FEE_STORAGE,
    HC_FEE_FULFILMENT,
    HC_FEE_HEADHAUL,
    HC_FEE_LASTMILE,
    HC_FEE_TAXES,
    HC_FEE_COMPENSATION,
    HC_FEE_ADVERTISING, /* its own type: whether a bank nets it is the bank's call */
    HC_FEE_NTYPES
};
extern const char *const hc_fee_type_names[HC_FEE_NTYPES];
/* The type named word, or -1. */
int hc_fee_type_parse(const char *word);

#define HC_EXTFEE_REF_MAX 64
#define HC_EXTFEE_IMPORT_MAX 10000
struct hc_external_fee {
    const char *id, *seller;
    const char *order;     /* the order it is a cost of, or NULL: a cost of its period */
    int type;              /* enum hc_fee_type */
    int64_t minor;         /* > 0 */
    const char *currency;
    const char *day;       /* "YYYY-MM-DD", Beijing; not after today */
    const char *reference; /* the invoice or document it comes from */
    const char *actor;
    int64_t created_at;
};
/* Field checks without the store (fields order, type, amount, currency,
 * date, reference). */
int hc_external_fee_validate(const struct hc_external_fee *f, int64_t now_ms, hc_err *err);
/* Stores fees of one seller, all or none (ids, actor, created_at set here).
 * HC_ENOTFOUND naming "seller"; HC_EINVAL naming "fees[i].order" for an
 * order that is not the seller's; HC_ECONFLICT naming "fees[i].reference"
 * when a fee of that seller, type, order and reference exists. */
int hc_external_fees_put(hc_store *s, hc_arena *a, const char *seller, struct hc_external_fee *f,
                         size_t n, const char *actor, hc_err *err);
/* CSV "order,type,amount,currency,date,reference" (a header line allowed,
 * empty order = a period cost) into fees of seller in a; HC_EINVAL naming
 * "line N: field". */
int hc_external_fee_csv_parse(hc_arena *a, const char *text, size_t len, const char *seller,
                              int64_t now_ms, struct hc_external_fee **out, size_t *n,
                              hc_err *err);
/* A seller's external fees dated in [from, to] (NULL: open), oldest first (by
 * day, then id), at most limit, after cursor (NULL: from the first); *next
 * gets the cursor of the next page ("day|id") or NULL. HC_EINVAL naming
 * "cursor" for one this function did not give out. */
int hc_external_fee_list(hc_store *s, hc_arena *a, const char *seller, const char *from,
                         const char *to, const char *cursor, int limit,
                         struct hc_external_fee **out, size_t *n, const char **next,
                         hc_err *err);

/* Largest remainder: shares[i] = total * w[i] / sum(w) rounded so that the
 * shares sum to total exactly; the remainder goes one minor unit at a time to
 * the largest fractional parts (ties: the earlier index). Weights >= 0;
 * HC_EINVAL when they sum to 0. total may be negative (shares mirror it). */
int hc_settle_allocate(int64_t total, const int64_t *w, size_t n, int64_t *shares);

/* FIFO over one stock: moves in order, qty > 0 a lot coming in, < 0 units
 * going out. Each out is taken from the oldest lots left; takes[] gets (out
 * move, lot move, qty), an out beyond the lots on hand a take with lot
 * SIZE_MAX. Returns the number of takes (at most cap are written). */
struct hc_fifo_take {
    size_t out, lot;
    int64_t qty;
};
size_t hc_settle_fifo(const int64_t *qty, size_t n, struct hc_fifo_take *takes, size_t cap);

#define HC_SETTLE_DAYS_MAX 366
struct hc_settle_fee {
    const char *order;
    int type;
    const char *source;        /* "charge" (booked by haicang), "external", "allocated" */
    const char *ref;           /* fin_charges id, external fee id, or the pool */
    const char *reference;     /* external: its document; charge: kind/cause; pool: "" */
    const char *day;           /* the fee's day, or the pool's period end */
    int64_t orig_minor;        /* in the fee's (pool's) currency */
    const char *orig_currency;
    const char *fx_rate, *fx_day; /* "1" and the day when no conversion */
    int64_t minor;             /* netted, in the order's currency */
    const char *currency;      /* the order's */
    int64_t basis, basis_of;   /* allocated: the order's gross and all gross, pool currency */
};
struct hc_settle_customs {
    const char *order, *sku;
    int64_t qty;
    const char *rule;      /* "order_list" (9610/9710) or "fifo" (9810 stock) */
    const char *list, *trade_mode, *invt_no, *entry_id; /* "" when unknown */
    int64_t gnum, entry_gnum;  /* 0 when unknown */
    const char *lot;       /* fifo: the inbound (or return) the units came in with */
};
struct hc_settle_order {
    const char *id, *channel_order_id, *warehouse, *currency, *sold_day;
    int64_t sold_at, gross;
    int64_t fees[HC_FEE_NTYPES];
    int64_t net;             /* gross - every fee */
    int64_t net_without_ads; /* gross - every fee but advertising */
    struct hc_settle_fee *fee;
    size_t nfee;
    struct hc_settle_customs *customs;
    size_t ncustoms;
};
struct hc_settle_total {
    const char *currency; /* the orders' currency */
    int64_t orders, gross, fees[HC_FEE_NTYPES], fees_total, net, net_without_ads;
};
struct hc_settle_pool {
    int type;
    const char *currency;
    const char *warehouse; /* a charge's warehouse (its orders carry it), "" external */
    int64_t minor, items;
    bool allocated; /* false: no order of the period had a gross to carry it */
};
struct hc_settlement {
    const char *seller, *from, *to;
    int64_t from_ms, to_ms; /* [from_ms, to_ms) */
    struct hc_settle_order *orders; /* by time shipped */
    size_t norders;
    struct hc_settle_total *totals; /* by currency */
    size_t ntotals;
    struct hc_settle_pool *pools;
    size_t npools;
    struct hc_settle_fee *fees; /* every fee line, by order (each order's slice) */
    size_t nfees;
    struct hc_settle_customs *customs; /* every customs line, by order */
    size_t ncustoms;
};
/* HC_EINVAL naming from / to (a bad day, from after to, more than
 * HC_SETTLE_DAYS_MAX days); HC_ECONFLICT naming "to" after today (Beijing);
 * HC_ENOTFOUND naming "seller". Any connection. */
int hc_settlement_build(hc_store *s, hc_arena *a, const char *seller, const char *from,
                        const char *to, int64_t now_ms, struct hc_settlement *out, hc_err *err);
/* The period checked as hc_settlement_build checks it, and the number of
 * the seller's orders shipped in it (to size the work before doing it). */
int hc_settlement_count(hc_store *s, const char *seller, const char *from, const char *to,
                        int64_t now_ms, int64_t *orders, hc_err *err);
/* The settlement as a render document (tables Orders, Fees, Customs, Totals). */
int hc_settlement_doc(hc_arena *a, const struct hc_settlement *st, const char *lang,
                      struct hc_doc *out);

/* Detached signatures of a settlement document's bytes (settle_sign.c,
 * OpenSSL 3): the key and certificate of HAICANG_SETTLEMENT_KEY /
 * HAICANG_SETTLEMENT_CERT, else HAICANG_CUSTOMS_KEY / HAICANG_CUSTOMS_CERT
 * (PEM paths). RSA and EC keys sign SHA-256 (PKCS#1 v1.5, ECDSA DER), SM2
 * keys SM3 with the default id 1234567812345678. */
#define HC_SETTLE_ALG_MAX 32
struct hc_settle_sig {
    char alg[HC_SETTLE_ALG_MAX]; /* "rsa-sha256", "ecdsa-sha256", "sm2-sm3" */
    char *sig_b64;               /* malloc'd */
    char *cert_pem;              /* malloc'd */
};
void hc_settle_sig_free(struct hc_settle_sig *s);
/* HC_ECONFLICT naming "HAICANG_SETTLEMENT_KEY" without a configured key;
 * HC_EINVAL naming it when the files cannot be read or do not match. */
int hc_settle_sign(const void *doc, size_t n, struct hc_settle_sig *out, hc_err *err);
/* Checks sig_b64 over doc with the public key of cert_pem (PEM text);
 * HC_EINVAL naming "signature" when it does not verify. */
int hc_settle_verify(const void *doc, size_t n, const char *alg, const char *sig_b64,
                     const char *cert_pem, hc_err *err);

#endif

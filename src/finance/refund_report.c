/* refund_report.c: a seller's 9810 declaration items with their refund
 * amounts, what the goods journal says was sold of them, filings, monthly
 * reconciliations and the report of what to file, reconcile and repay.
 *
 * Attribution rule (sold or unsold). A declaration item is the goods of one
 * 9810 list line: a SKU sent to the list's overseas warehouse, exported on
 * the Beijing day customs released the list (CEB604 800). A consumer sale
 * is a goods-journal move of an order from "order/<id>" to "carrier/..."
 * (the order shipped from its warehouse). Per seller, warehouse and SKU the
 * shipped units, oldest first, are given to the items first in, first out
 * (oldest export first, then list and item number), a unit only to an item
 * exported before it was shipped. Units that find no item (stock of other
 * origin, or shipped before any declared export) are not anyone's sale, and
 * an item's units no shipment reached are unsold: goods not told apart
 * count as unsold. Dates are Beijing days; "by day D" is before the end of
 * D. The journal is append-only, so the split of a past day never changes. */
#include "finance.h"

#include "customs/customs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E5 100000LL
#define SIX_MONTHS_DAYS 183

/* ---- dates ------------------------------------------------------------------------ */

static void beijing_day(int64_t ms, char out[11])
{
    char iso[32];
    hc_time_iso(ms + HC_BEIJING_OFFSET_MS, iso, sizeof(iso));
    memcpy(out, iso, 10);
    out[10] = '\0';
}

/* The first ms after Beijing day d. */
static int64_t day_end(const char *d)
{
    int64_t ms = 0;
    (void)hc_time_parse_iso(d, &ms);
    return ms + HC_DAY_MS - HC_BEIJING_OFFSET_MS;
}

static int64_t day_number(const char *d)
{
    int64_t ms = 0;
    (void)hc_time_parse_iso(d, &ms);
    return ms / HC_DAY_MS;
}

static void today(char out[11])
{
    beijing_day(hc_now_ms(), out);
}

static bool month_valid(const char *m)
{
    if (m == NULL || strlen(m) != 7 || m[4] != '-')
        return false;
    char d[11];
    snprintf(d, sizeof(d), "%s-01", m);
    return hc_fx_day_valid(d);
}

/* ---- currencies: customs lists carry the customs 3-digit code ("502") */
static hc_customs_ref *currency_ref;
static pthread_once_t currency_once = PTHREAD_ONCE_INIT;

static void currency_load(void)
{
    hc_customs_config c;
    hc_customs_paths p;
    hc_err err = {0};
    hc_customs_config_env(&c);
    hc_customs_config_paths(&c, &p);
    if (hc_customs_ref_load(&currency_ref, p.refdata, &err) != HC_OK) {
        hc_log(HC_LOG_WARN, "refund: customs currency codes not loaded: %s", err.msg);
        currency_ref = NULL;
    }
}

/* The ISO 4217 code of a list's currency (an ISO code is kept as it is). */
static const char *currency_iso(hc_arena *a, const char *code)
{
    if (strlen(code) == 3 && !hc_all_digits(code, 3))
        return hc_arena_strdup(a, code);
    pthread_once(&currency_once, currency_load);
    const char *iso = currency_ref ? hc_customs_currency_iso(currency_ref, code) : NULL;
    return hc_arena_strdup(a, iso ? iso : code);
}

/* ---- what a seller's report is computed from ------------------------------------------- */

struct filed {
    const char *entry_id, *filing_id, *filed_on, *granted_on;
    int64_t entry_gnum;
    int64_t sold_qty, pre_qty; /* the parts as filed */
    struct hc_refund_amount sold, pre;
    int64_t rate_bp, vat_bp, fx_rate_e10;
    int64_t created_at; /* when the filing was recorded */
    const char *company;
    /* reconciliation: the period that closed the pre-refund line, its outcome */
    const char *closed_in;
    int closed_outcome;
    int64_t closed_repay;
    struct hc_refund_recon_out closed;
};

struct item {
    struct hc_refund_item pub;
    int64_t export_ms, cut_ms; /* released; end of the filing day (0: not filed) */
    int64_t sold_by_cut;       /* units sold before the filing day ended */
    int64_t sale_after_e5;     /* what units sold after it sold for */
    const char *sale_error;    /* a sale that could not be converted */
    struct filed *f;
};

struct fx_memo {
    char key[24];
    int64_t rate_e10; /* 0: no rate */
};

struct book {
    hc_store *s;
    hc_arena *a;
    const char *seller, *day;
    int64_t cutoff; /* end of day */
    struct hc_refund_profile prof;
    struct hc_refund_rate *rates;
    size_t nrates;
    struct hc_refund_invoice *inv;
    size_t ninv;
    struct item *items; /* by warehouse, SKU, export */
    size_t nitems;
    struct item **by_key; /* by entry_id, entry_gnum (items with an entry id) */
    size_t nkeys;
    struct filed *filed;
    size_t nfiled;
    struct fx_memo *fx;
    size_t nfx, fxcap;
    /* returns by the buyer: (order, sku) -> units of items their shipment took */
    struct ret_pick *picks;
    size_t npicks, pickcap;
    struct ret_key *rets;
    size_t nrets;
    size_t repay_cap;     /* room in the report's to_repay (repay_push grows it) */
    const char **periods; /* reconciliations recorded (YYYY-MM) */
    size_t nperiods;
};

/* ---- FX of a day, remembered (one query per currency pair and day) */
static int fx_rate(struct book *b, const char *from, const char *to, const char *day,
                   int64_t *rate_e10, hc_err *err)
{
    if (strcmp(from, to) == 0) {
        *rate_e10 = 10000000000LL;
        return HC_OK;
    }
    char key[24];
    snprintf(key, sizeof(key), "%.3s%.3s%.10s", from, to, day);
    uint64_t h = hc_hash64(key, strlen(key));
    if (b->fxcap == 0 || b->nfx * 2 >= b->fxcap) {
        size_t cap = b->fxcap ? b->fxcap * 2 : 256;
        struct fx_memo *t = hc_arena_alloc(b->a, cap * sizeof(*t));
        for (size_t i = 0; i < b->fxcap; i++)
            if (b->fx[i].key[0]) {
                size_t j = hc_hash64(b->fx[i].key, strlen(b->fx[i].key)) % cap;
                while (t[j].key[0])
                    j = (j + 1) % cap;
                t[j] = b->fx[i];
            }
        b->fx = t;
        b->fxcap = cap;
    }
    size_t j = h % b->fxcap;
    while (b->fx[j].key[0] && strcmp(b->fx[j].key, key) != 0)
        j = (j + 1) % b->fxcap;
    if (!b->fx[j].key[0]) {
        struct hc_fx_conversion conv;
        hc_err e = {0};
        int rc = hc_fx_convert(b->s, from, to, day, 0, &conv, &e);
        if (rc != HC_OK && rc != HC_ECONFLICT && rc != HC_EINVAL) {
            *err = e;
            return rc;
        }
        hc_strlcpy(b->fx[j].key, key, sizeof(b->fx[j].key));
        b->fx[j].rate_e10 = 0;
        if (rc == HC_OK && hc_fx_rate_parse(conv.rate, &b->fx[j].rate_e10) != HC_OK)
            b->fx[j].rate_e10 = 0;
        b->nfx++;
    }
    *rate_e10 = b->fx[j].rate_e10;
    return HC_OK;
}

/* ---- reference data lookups */
static const struct hc_refund_rate *rate_for(const struct book *b, const char *hs, const char *day)
{
    /* the longest prefix of hs with a rate effective on day */
    size_t len = strlen(hs);
    for (size_t n = len < 10 ? len : 10; n >= 4; n--) {
        const struct hc_refund_rate *best = NULL;
        size_t lo = 0, hi = b->nrates;
        while (lo < hi) { /* first rate of code hs[0..n) */
            size_t mid = (lo + hi) / 2;
            int c = strncmp(b->rates[mid].hs_code, hs, n);
            if (c < 0 || (c == 0 && strlen(b->rates[mid].hs_code) < n))
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < b->nrates; i++) {
            const struct hc_refund_rate *r = &b->rates[i];
            if (strlen(r->hs_code) != n || strncmp(r->hs_code, hs, n) != 0)
                break;
            if (strcmp(r->effective_from, day) <= 0)
                best = r;
        }
        if (best)
            return best;
    }
    return NULL;
}

static const struct hc_refund_invoice *invoice_for(const struct book *b, const char *entry_id,
                                                   int64_t gnum, const char *sku)
{
    const struct hc_refund_invoice *by_sku = NULL;
    for (size_t i = 0; i < b->ninv; i++) { /* sorted: items, then SKUs; few per seller */
        const struct hc_refund_invoice *v = &b->inv[i];
        if (v->entry_id && entry_id && v->entry_gnum == gnum && strcmp(v->entry_id, entry_id) == 0)
            return v;
        if (v->sku && strcmp(v->sku, sku) == 0)
            by_sku = v;
    }
    return by_sku;
}

/* ---- loading */
static int load_reference(struct book *b, hc_err *err)
{
    int rc = hc_refund_profile_get(b->s, b->a, b->seller, &b->prof, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        if (!hc_seller_exists(b->s, b->seller, err))
            return err->code ? err->code
                             : hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", b->seller);
        return hc_err_set(err, HC_ECONFLICT, "profile",
                          "seller %s has no refund profile (company type and VAT rate)", b->seller);
    }
    if (rc == HC_OK)
        rc = hc_refund_rates_list(b->s, b->a, b->seller, &b->rates, &b->nrates, err);
    if (rc == HC_OK)
        rc = hc_refund_invoices_list(b->s, b->a, b->seller, &b->inv, &b->ninv, err);
    return rc;
}

static int load_items(struct book *b, hc_err *err)
{
    int64_t count = 0;
    int rc = hc_store_int(b->s, err, &count,
                          "SELECT COUNT(*) FROM customs_list_items i JOIN customs_lists l ON"
                          " l.seller = i.seller AND l.id = i.list_id WHERE i.seller = ? AND"
                          " l.trade_mode = '9810' AND l.released_at IS NOT NULL AND"
                          " l.released_at > 0 AND l.released_at < ?",
                          "si", b->seller, b->cutoff);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(b->s, err, &q,
                        "SELECT i.list_id, i.gnum, i.sku, i.gcode, i.qty, i.total_price,"
                        " i.currency, i.entry_id, i.entry_gnum, l.warehouse, l.released_at"
                        " FROM customs_list_items i JOIN customs_lists l ON l.seller = i.seller"
                        " AND l.id = i.list_id WHERE i.seller = ? AND l.trade_mode = '9810' AND"
                        " l.released_at IS NOT NULL AND l.released_at > 0 AND l.released_at < ?"
                        " ORDER BY l.warehouse, i.sku, l.released_at, i.list_id, i.gnum",
                        "si", b->seller, b->cutoff);
    if (rc != HC_OK)
        return rc;
    b->items = hc_arena_alloc(b->a, (size_t)(count + 1) * sizeof(*b->items));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && b->nitems < (size_t)count) {
        struct item *it = &b->items[b->nitems++];
        struct hc_refund_item *p = &it->pub;
        p->list_id = hc_arena_strdup(b->a, hc_stmt_text(q, 0));
        p->gnum = hc_stmt_int(q, 1);
        p->sku = hc_arena_strdup(b->a, hc_stmt_text(q, 2));
        p->hs_code = hc_arena_strdup(b->a, hc_stmt_text(q, 3));
        p->qty = hc_stmt_int(q, 4);
        p->fob = hc_arena_strdup(b->a, hc_stmt_text(q, 5));
        p->currency = currency_iso(b->a, hc_stmt_text(q, 6));
        p->entry_id = hc_stmt_is_null(q, 7) || !hc_stmt_text(q, 7)[0]
                          ? NULL
                          : hc_arena_strdup(b->a, hc_stmt_text(q, 7));
        p->entry_gnum = hc_stmt_is_null(q, 8) ? 0 : hc_stmt_int(q, 8);
        p->warehouse = hc_arena_strdup(b->a, hc_stmt_text(q, 9));
        it->export_ms = hc_stmt_int(q, 10);
        char d[11];
        beijing_day(it->export_ms, d);
        p->exported_on = hc_arena_strdup(b->a, d);
        if (hc_decimal_parse(p->fob, 5, &p->fob_e5) != HC_OK)
            p->fob_e5 = 0;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static int key_cmp(const char *ea, int64_t ga, const char *eb, int64_t gb)
{
    int c = strcmp(ea, eb);
    return c ? c : (ga > gb) - (ga < gb);
}

static int item_key_cmp(const void *x, const void *y)
{
    const struct item *a = *(struct item *const *)x, *b = *(struct item *const *)y;
    return key_cmp(a->pub.entry_id, a->pub.entry_gnum, b->pub.entry_id, b->pub.entry_gnum);
}

static struct item *item_by_key(const struct book *b, const char *entry_id, int64_t gnum)
{
    size_t lo = 0, hi = b->nkeys;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c =
            key_cmp(b->by_key[mid]->pub.entry_id, b->by_key[mid]->pub.entry_gnum, entry_id, gnum);
        if (c == 0)
            return b->by_key[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void index_items(struct book *b)
{
    b->by_key = hc_arena_alloc(b->a, (b->nitems + 1) * sizeof(*b->by_key));
    for (size_t i = 0; i < b->nitems; i++)
        if (b->items[i].pub.entry_id)
            b->by_key[b->nkeys++] = &b->items[i];
    qsort(b->by_key, b->nkeys, sizeof(*b->by_key), item_key_cmp);
}

static int load_filed(struct book *b, hc_err *err)
{
    int64_t count = 0;
    int rc =
        hc_store_int(b->s, err, &count, "SELECT COUNT(*) FROM refund_filing_lines WHERE seller = ?",
                     "s", b->seller);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(
        b->s, err, &q,
        "SELECT l.entry_id, l.entry_gnum, l.part, l.filing_id, f.filed_on,"
        " f.granted_on, l.qty, l.basis_fen, l.non_creditable_fen, l.refund_fen,"
        " l.rate_bp, l.vat_bp, l.fx_rate_e10, l.company, f.created_at FROM refund_filing_lines l"
        " JOIN refund_filings f ON f.seller = l.seller AND f.id = l.filing_id"
        " WHERE l.seller = ? ORDER BY l.entry_id, l.entry_gnum, l.part",
        "s", b->seller);
    if (rc != HC_OK)
        return rc;
    b->filed = hc_arena_alloc(b->a, (size_t)(count + 1) * sizeof(*b->filed));
    int64_t rows = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && rows++ < count) {
        const char *eid = hc_stmt_text(q, 0);
        int64_t g = hc_stmt_int(q, 1);
        struct filed *f = b->nfiled ? &b->filed[b->nfiled - 1] : NULL;
        if (f == NULL || key_cmp(f->entry_id, f->entry_gnum, eid, g) != 0) {
            f = &b->filed[b->nfiled++];
            f->entry_id = hc_arena_strdup(b->a, eid);
            f->entry_gnum = g;
            f->filing_id = hc_arena_strdup(b->a, hc_stmt_text(q, 3));
            f->filed_on = hc_arena_strdup(b->a, hc_stmt_text(q, 4));
            f->granted_on = hc_arena_strdup(b->a, hc_stmt_text(q, 5));
            f->rate_bp = hc_stmt_int(q, 10);
            f->vat_bp = hc_stmt_int(q, 11);
            f->fx_rate_e10 = hc_stmt_int(q, 12);
            f->company = hc_arena_strdup(b->a, hc_stmt_text(q, 13));
            f->created_at = hc_stmt_int(q, 14);
        }
        bool sold = strcmp(hc_stmt_text(q, 2), "sold") == 0;
        struct hc_refund_amount amt = {hc_stmt_int(q, 7), hc_stmt_int(q, 8), hc_stmt_int(q, 9)};
        if (sold) {
            f->sold_qty = hc_stmt_int(q, 6);
            f->sold = amt;
        } else {
            f->pre_qty = hc_stmt_int(q, 6);
            f->pre = amt;
        }
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    /* the reconciliation that closed each pre-refund line */
    rc = hc_store_query(b->s, err, &q,
                        "SELECT entry_id, entry_gnum, period, outcome, new_refund_fen, diff_fen,"
                        " repay_fen FROM refund_recon_lines WHERE seller = ? AND outcome <>"
                        " 'pending'",
                        "s", b->seller);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *eid = hc_stmt_text(q, 0);
        int64_t g = hc_stmt_int(q, 1);
        size_t lo = 0, hi = b->nfiled;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (key_cmp(b->filed[mid].entry_id, b->filed[mid].entry_gnum, eid, g) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= b->nfiled || key_cmp(b->filed[lo].entry_id, b->filed[lo].entry_gnum, eid, g))
            continue;
        struct filed *f = &b->filed[lo];
        f->closed_in = hc_arena_strdup(b->a, hc_stmt_text(q, 2));
        const char *o = hc_stmt_text(q, 3);
        for (int k = HC_REFUND_PENDING; k <= HC_REFUND_RECOVERED; k++)
            if (strcmp(o, hc_refund_outcome_name(k)) == 0)
                f->closed.outcome = k;
        f->closed.new_refund_fen = hc_stmt_int(q, 4);
        f->closed.diff_fen = hc_stmt_int(q, 5);
        f->closed.repay_fen = hc_stmt_int(q, 6);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = hc_store_query(b->s, err, &q,
                        "SELECT period FROM refund_recons WHERE seller = ? ORDER BY period", "s",
                        b->seller);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (b->nperiods == cap) {
            cap = cap ? cap * 2 : 32;
            const char **v = hc_arena_alloc(b->a, cap * sizeof(*v));
            if (b->nperiods)
                memcpy(v, b->periods, b->nperiods * sizeof(*v));
            b->periods = v;
        }
        b->periods[b->nperiods++] = hc_arena_strdup(b->a, hc_stmt_text(q, 0));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < b->nfiled; i++) {
        struct item *it = item_by_key(b, b->filed[i].entry_id, b->filed[i].entry_gnum);
        if (it) {
            it->f = &b->filed[i];
            it->pub.filing_id = b->filed[i].filing_id;
            /* the split filed was what had sold by the end of the filing
             * day, or by the time it was recorded when that came first */
            int64_t end = day_end(b->filed[i].filed_on);
            it->cut_ms = b->filed[i].created_at < end ? b->filed[i].created_at : end;
        }
    }
    return HC_OK;
}

/* ---- returns by the buyer: which items the returned units came from */
struct ret_key {
    const char *order, *sku, *id, *day;
    int64_t qty;
};
struct ret_pick {
    size_t ret; /* index into rets */
    struct item *it;
    int64_t units;
    bool before_filing; /* shipped before the item's filing: of its sold part */
};

static int ret_cmp(const void *x, const void *y)
{
    const struct ret_key *a = x, *b = y;
    int c = strcmp(a->order, b->order);
    return c ? c : strcmp(a->sku, b->sku);
}

static int load_returns(struct book *b, hc_err *err)
{
    int64_t count = 0;
    int rc = hc_store_int(b->s, err, &count,
                          "SELECT COUNT(*) FROM return_lines l JOIN returns r ON r.seller ="
                          " l.seller AND r.id = l.return_id WHERE r.seller = ? AND"
                          " r.created_at < ?",
                          "si", b->seller, b->cutoff);
    if (rc != HC_OK || count == 0)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(b->s, err, &q,
                        "SELECT r.order_id, l.sku, r.id, r.created_at, l.qty FROM return_lines l"
                        " JOIN returns r ON r.seller = l.seller AND r.id = l.return_id"
                        " WHERE r.seller = ? AND r.created_at < ?",
                        "si", b->seller, b->cutoff);
    if (rc != HC_OK)
        return rc;
    b->rets = hc_arena_alloc(b->a, (size_t)(count + 1) * sizeof(*b->rets));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && b->nrets < (size_t)count) {
        struct ret_key *k = &b->rets[b->nrets++];
        k->order = hc_arena_strdup(b->a, hc_stmt_text(q, 0));
        k->sku = hc_arena_strdup(b->a, hc_stmt_text(q, 1));
        k->id = hc_arena_strdup(b->a, hc_stmt_text(q, 2));
        char d[11];
        beijing_day(hc_stmt_int(q, 3), d);
        k->day = hc_arena_strdup(b->a, d);
        k->qty = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    qsort(b->rets, b->nrets, sizeof(*b->rets), ret_cmp);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static void note_pick(struct book *b, const char *order, const char *sku, struct item *it,
                      int64_t units, bool before_filing)
{
    if (b->nrets == 0)
        return;
    struct ret_key k = {.order = order, .sku = sku};
    struct ret_key *r = bsearch(&k, b->rets, b->nrets, sizeof(k), ret_cmp);
    if (r == NULL)
        return;
    /* every return of that order and SKU (bsearch found one of them) */
    while (r > b->rets && ret_cmp(r - 1, &k) == 0)
        r--;
    for (; r < b->rets + b->nrets && ret_cmp(r, &k) == 0; r++) {
        if (b->npicks == b->pickcap) {
            size_t cap = b->pickcap ? b->pickcap * 2 : 64;
            struct ret_pick *t = hc_arena_alloc(b->a, cap * sizeof(*t));
            if (b->npicks)
                memcpy(t, b->picks, b->npicks * sizeof(*t));
            b->picks = t;
            b->pickcap = cap;
        }
        b->picks[b->npicks++] = (struct ret_pick){(size_t)(r - b->rets), it, units, before_filing};
    }
}

/* ---- attribution: consumer shipments to items, first in first out */
struct ship {
    const char *order, *currency;
    int64_t at, qty, price; /* price per unit, minor units of currency */
};

/* Units of one shipment given to the items of its group. */
static int attribute(struct book *b, struct item *grp, size_t ngrp, size_t *next,
                     const struct ship *sh, hc_err *err)
{
    int64_t left = sh->qty;
    while (left > 0 && *next < ngrp) {
        struct item *it = &grp[*next];
        if (it->export_ms > sh->at)
            break; /* not yet exported when this left: not told apart */
        int64_t room = it->pub.qty - it->pub.sold;
        if (room <= 0) {
            (*next)++;
            continue;
        }
        int64_t units = left < room ? left : room;
        it->pub.sold += units;
        left -= units;
        if (it->cut_ms && sh->at < it->cut_ms) {
            it->sold_by_cut += units;
        } else if (it->cut_ms) {
            /* a sale after the filing: in e5 of the declared currency */
            char d[11];
            beijing_day(sh->at, d);
            int64_t rate = 0, minor = 0;
            int rc = fx_rate(b, sh->currency, it->pub.currency, d, &rate, err);
            if (rc != HC_OK)
                return rc;
            hc_err e = {0};
            int scale = hc_currency_scale(it->pub.currency);
            if (rate == 0 || scale < 0 ||
                hc_fx_apply(sh->price * units, sh->currency, it->pub.currency, rate, false, &minor,
                            &e) != HC_OK) {
                it->sale_error = hc_arena_printf(b->a, "no %s/%s rate for %s", sh->currency,
                                                 it->pub.currency, d);
            } else {
                for (int k = scale; k < 5; k++)
                    minor *= 10;
                it->sale_after_e5 += minor;
            }
        }
        note_pick(b, sh->order, it->pub.sku, it, units, it->cut_ms && sh->at < it->cut_ms);
    }
    return HC_OK;
}

static int group_cmp(const struct item *it, const char *wh, const char *sku)
{
    int c = strcmp(it->pub.warehouse, wh);
    return c ? c : strcmp(it->pub.sku, sku);
}

static int attribute_all(struct book *b, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        b->s, err, &q,
        "SELECT o.warehouse, j.sku, j.at, j.qty, j.ref, (SELECT MIN(l.price_minor) FROM"
        " order_lines l WHERE l.seller = j.seller AND l.order_id = j.ref AND l.sku = j.sku),"
        " (SELECT MIN(l.currency) FROM order_lines l WHERE l.seller = j.seller AND"
        " l.order_id = j.ref AND l.sku = j.sku) FROM journal j JOIN orders o ON o.seller ="
        " j.seller AND o.id = j.ref WHERE j.seller = ? AND j.from_place >= 'order/' AND"
        " j.from_place < 'order0' AND j.to_place >= 'carrier/' AND j.to_place < 'carrier0' AND"
        " j.at < ? AND o.warehouse IS NOT NULL ORDER BY o.warehouse, j.sku, j.at, j.id",
        "si", b->seller, b->cutoff);
    if (rc != HC_OK)
        return rc;
    size_t g = 0, gend = 0, next = 0; /* the group [g, gend) of the current shipment */
    char cur_wh[64] = "", cur_sku[80] = "";
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *wh = hc_stmt_text(q, 0), *sku = hc_stmt_text(q, 1);
        if (strcmp(wh, cur_wh) != 0 || strcmp(sku, cur_sku) != 0) {
            hc_strlcpy(cur_wh, wh, sizeof(cur_wh));
            hc_strlcpy(cur_sku, sku, sizeof(cur_sku));
            /* groups come in the same order as the items: move forward */
            g = gend;
            while (g < b->nitems && group_cmp(&b->items[g], wh, sku) < 0)
                g++;
            gend = g;
            while (gend < b->nitems && group_cmp(&b->items[gend], wh, sku) == 0)
                gend++;
            next = 0;
        }
        if (g == gend)
            continue; /* nothing declared of this SKU for this warehouse */
        struct ship sh = {.order = hc_stmt_text(q, 4),
                          .currency = hc_stmt_text(q, 6),
                          .at = hc_stmt_int(q, 2),
                          .qty = hc_stmt_int(q, 3),
                          .price = hc_stmt_int(q, 5)};
        if (sh.currency[0] == '\0') /* the row's text, valid until the next step */
            sh.currency = "CNY";
        if ((rc = attribute(b, &b->items[g], gend - g, &next, &sh, err)) != HC_OK)
            break;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* ---- an item's amounts */
static const char *file_by(hc_arena *a, const char *exported_on)
{
    int y = atoi(exported_on);
    return hc_arena_printf(a, "%04d-04-30", y + 1);
}

static int price_item(struct book *b, struct item *it, hc_err *err)
{
    struct hc_refund_item *p = &it->pub;
    p->file_by = file_by(b->a, p->exported_on);
    if (p->entry_id == NULL) {
        p->blocked_field = "entry_id";
        p->blocked = "no declaration number yet (CEB792)";
        return HC_OK;
    }
    const struct hc_refund_rate *r = rate_for(b, p->hs_code, p->exported_on);
    if (r == NULL) {
        p->blocked_field = "hs_code";
        p->blocked =
            hc_arena_printf(b->a, "no refund rate for HS %s on %s", p->hs_code, p->exported_on);
        return HC_OK;
    }
    p->rate_bp = r->rate_bp;
    int64_t basis = 0;
    if (strcmp(b->prof.company, HC_REFUND_TRADING) == 0) {
        const struct hc_refund_invoice *v = invoice_for(b, p->entry_id, p->entry_gnum, p->sku);
        if (v == NULL) {
            p->blocked_field = "invoice";
            p->blocked = hc_arena_printf(b->a, "no purchase invoice for item %s/%lld or SKU %s",
                                         p->entry_id, (long long)p->entry_gnum, p->sku);
            return HC_OK;
        }
        basis = v->entry_id ? v->amount_fen : v->amount_fen * p->qty;
    }
    int64_t rate = 0;
    int rc = fx_rate(b, p->currency, "CNY", p->exported_on, &rate, err);
    if (rc != HC_OK)
        return rc;
    p->rate_e10 = rate;
    char buf[HC_FX_RATE_MAX];
    hc_fx_rate_format(rate, buf, sizeof(buf));
    p->fx_rate = rate ? hc_arena_strdup(b->a, buf) : NULL;
    if (strcmp(b->prof.company, HC_REFUND_MANUFACTURER) == 0) {
        if (rate == 0) {
            p->blocked_field = "currency";
            p->blocked =
                hc_arena_printf(b->a, "no %s/CNY rate for %s", p->currency, p->exported_on);
            return HC_OK;
        }
        basis = hc_refund_fob_fen(p->fob_e5, rate);
    }
    /* the split at the filing (filed) or at the report's day */
    int64_t sold = it->f ? it->f->sold_qty : p->sold;
    struct hc_refund_amount parts[2];
    hc_refund_split(b->prof.company, basis, p->qty, sold, b->prof.vat_bp, p->rate_bp, &parts[0],
                    &parts[1]);
    p->nparts = 0;
    for (int k = 0; k < 2; k++) {
        int64_t q = k == 0 ? sold : p->qty - sold;
        if (q == 0)
            continue;
        p->parts[p->nparts++] = (struct hc_refund_part){
            k == 0 ? "sold" : "unsold", k == 0 ? "" : HC_REFUND_HWC_YT, q, parts[k]};
    }
    p->total = (struct hc_refund_amount){parts[0].basis_fen + parts[1].basis_fen,
                                         parts[0].non_creditable_fen + parts[1].non_creditable_fen,
                                         parts[0].refund_fen + parts[1].refund_fen};
    HC_ASSERT(p->total.basis_fen == basis);
    return HC_OK;
}

/* Loads everything for seller as of day and prices the items. */
static int book_open(struct book *b, hc_store *s, hc_arena *a, const char *seller, const char *day,
                     hc_err *err)
{
    memset(b, 0, sizeof(*b));
    b->s = s;
    b->a = a;
    b->seller = seller;
    b->day = day;
    b->cutoff = day_end(day);
    int rc = load_reference(b, err);
    if (rc == HC_OK)
        rc = load_items(b, err);
    if (rc == HC_OK) {
        index_items(b);
        rc = load_filed(b, err);
    }
    if (rc == HC_OK)
        rc = load_returns(b, err);
    if (rc == HC_OK)
        rc = attribute_all(b, err);
    for (size_t i = 0; rc == HC_OK && i < b->nitems; i++)
        rc = price_item(b, &b->items[i], err);
    return rc;
}

static int day_param(const char *day, const char *field, hc_err *err)
{
    if (day == NULL || !hc_fx_day_valid(day))
        return hc_err_set(err, HC_EINVAL, field, "a date YYYY-MM-DD");
    char t[11];
    today(t);
    if (strcmp(day, t) > 0)
        return hc_err_set(err, HC_EINVAL, field, "%s is in the future", day);
    return HC_OK;
}

int hc_refund_items(hc_store *s, hc_arena *a, const char *seller, const char *day,
                    struct hc_refund_item **out, size_t *n, hc_err *err)
{
    struct book b;
    *out = NULL;
    *n = 0;
    int rc = day_param(day, "date", err);
    if (rc == HC_OK)
        rc = book_open(&b, s, a, seller, day, err);
    if (rc != HC_OK)
        return rc;
    struct hc_refund_item *v = hc_arena_alloc(a, (b.nitems + 1) * sizeof(*v));
    for (size_t i = 0; i < b.nitems; i++)
        v[i] = b.items[i].pub;
    *out = v;
    *n = b.nitems;
    return HC_OK;
}

/* A page's cursor: the last item's "list_id/gnum". */
static const char *item_cursor(hc_arena *a, const struct hc_refund_item *p)
{
    return hc_arena_printf(a, "%s/%lld", p->list_id, (long long)p->gnum);
}

/* Where the page after cursor starts in b's items. */
static int cursor_start(const struct book *b, const char *cursor, size_t *start, hc_err *err)
{
    *start = 0;
    if (cursor == NULL || cursor[0] == '\0')
        return HC_OK;
    const char *slash = strrchr(cursor, '/');
    int64_t gnum;
    if (slash == NULL || hc_parse_i64(slash + 1, 1, INT32_MAX, &gnum) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    size_t idlen = (size_t)(slash - cursor);
    for (size_t i = 0; i < b->nitems; i++) {
        const struct hc_refund_item *p = &b->items[i].pub;
        if (p->gnum == gnum && strlen(p->list_id) == idlen &&
            memcmp(p->list_id, cursor, idlen) == 0) {
            *start = i + 1;
            return HC_OK;
        }
    }
    return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
}

int hc_refund_items_page(hc_store *s, hc_arena *a, const char *seller, const char *day,
                         const char *cursor, int limit, struct hc_refund_item **out, size_t *n,
                         const char **next, hc_err *err)
{
    HC_ASSERT(limit > 0);
    struct book b;
    size_t start = 0;
    *out = NULL;
    *n = 0;
    *next = NULL;
    int rc = day_param(day, "date", err);
    if (rc == HC_OK)
        rc = book_open(&b, s, a, seller, day, err);
    if (rc == HC_OK)
        rc = cursor_start(&b, cursor, &start, err);
    if (rc != HC_OK)
        return rc;
    size_t take = b.nitems - start < (size_t)limit ? b.nitems - start : (size_t)limit;
    struct hc_refund_item *v = hc_arena_alloc(a, (take + 1) * sizeof(*v));
    for (size_t i = 0; i < take; i++)
        v[i] = b.items[start + i].pub;
    if (start + take < b.nitems && take > 0)
        *next = item_cursor(a, &v[take - 1]);
    *out = v;
    *n = take;
    return HC_OK;
}

/* ---- filings
 * -------------------------------------------------------------------------------------- */

static int store_filing(struct book *b, const char *id, const char *filed_on,
                        const char *granted_on, struct item **pick, size_t n, const char *actor,
                        struct hc_refund_filing *out, hc_err *err)
{
    int64_t basis = 0, refund = 0, lines = 0;
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        const struct hc_refund_item *p = &pick[i]->pub;
        for (size_t k = 0; rc == HC_OK && k < p->nparts; k++) {
            const struct hc_refund_part *x = &p->parts[k];
            rc = hc_store_run(
                b->s, err, NULL,
                "INSERT INTO refund_filing_lines (seller, entry_id, entry_gnum, part, filing_id,"
                " business_type, list_id, gnum, sku, warehouse, hs_code, exported_on, item_qty,"
                " qty, currency, fob_e5, fx_rate_e10, rate_bp, vat_bp, company, basis_fen,"
                " non_creditable_fen, refund_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "ssissssissssiisiiiisiii", b->seller, p->entry_id, p->entry_gnum, x->part, id,
                x->business_type, p->list_id, p->gnum, p->sku, p->warehouse, p->hs_code,
                p->exported_on, p->qty, x->qty, p->currency, p->fob_e5, p->rate_e10, p->rate_bp,
                b->prof.vat_bp, b->prof.company, x->amt.basis_fen, x->amt.non_creditable_fen,
                x->amt.refund_fen);
            if (rc == HC_ECONFLICT) {
                hc_err_clear(err);
                rc = hc_err_set(err, HC_ECONFLICT, "items", "item %s/%lld is filed already",
                                p->entry_id, (long long)p->entry_gnum);
            }
            lines++;
        }
        basis += p->total.basis_fen;
        refund += p->total.refund_fen;
    }
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    rc = hc_store_run(
        b->s, err, NULL,
        "INSERT INTO refund_filings (seller, id, filed_on, granted_on, nlines,"
        " basis_fen, refund_fen, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "ssssiiisi", b->seller, id, filed_on, granted_on ? granted_on : "", lines, basis, refund,
        actor ? actor : "", now);
    if (rc != HC_OK)
        return rc;
    out->id = hc_arena_strdup(b->a, id);
    out->seller = b->seller;
    out->filed_on = filed_on;
    out->granted_on = granted_on ? granted_on : "";
    out->nlines = lines;
    out->basis_fen = basis;
    out->refund_fen = refund;
    out->created_at = now;
    out->actor = actor;
    out->items = hc_arena_alloc(b->a, (n + 1) * sizeof(*out->items));
    for (size_t i = 0; i < n; i++)
        out->items[i] = pick[i]->pub;
    out->nitems = n;
    return HC_OK;
}

static int pick_keys(struct book *b, const struct hc_refund_key *keys, size_t n, struct item **pick,
                     hc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char f[64];
        if (keys[i].entry_id == NULL || keys[i].entry_id[0] == '\0') {
            snprintf(f, sizeof(f), "items[%zu].entry_id", i);
            return hc_err_set(err, HC_EINVAL, f, "a refund item needs its declaration number");
        }
        struct item *it = item_by_key(b, keys[i].entry_id, keys[i].entry_gnum);
        snprintf(f, sizeof(f), "items[%zu].entry_gnum", i);
        if (it == NULL)
            return hc_err_set(err, HC_EINVAL, f, "no exported 9810 item %s/%lld", keys[i].entry_id,
                              (long long)keys[i].entry_gnum);
        if (it->f)
            return hc_err_set(err, HC_ECONFLICT, f, "item %s/%lld is filed already (%s)",
                              keys[i].entry_id, (long long)keys[i].entry_gnum, it->f->filing_id);
        if (it->pub.blocked_field) {
            snprintf(f, sizeof(f), "items[%zu].%s", i, it->pub.blocked_field);
            return hc_err_set(err, HC_ECONFLICT, f, "%s", it->pub.blocked);
        }
        for (size_t j = 0; j < i; j++)
            if (pick[j] == it)
                return hc_err_set(err, HC_EINVAL, f, "item given twice");
        pick[i] = it;
    }
    return HC_OK;
}

int hc_refund_file(hc_store *s, hc_arena *a, const char *seller, const char *filed_on,
                   const char *granted_on, const struct hc_refund_key *keys, size_t n,
                   const char *actor, struct hc_refund_filing *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    struct book b;
    int rc = day_param(filed_on, "filed_on", err);
    if (rc == HC_OK && granted_on && (rc = day_param(granted_on, "granted_on", err)) == HC_OK &&
        strcmp(granted_on, filed_on) < 0)
        rc = hc_err_set(err, HC_EINVAL, "granted_on", "before the filing");
    if (rc == HC_OK)
        rc = book_open(&b, s, a, seller, filed_on, err);
    if (rc != HC_OK)
        return rc;
    struct item **pick = hc_arena_alloc(a, (b.nitems + n + 1) * sizeof(*pick));
    size_t np = 0;
    if (n) {
        if ((rc = pick_keys(&b, keys, n, pick, err)) != HC_OK)
            return rc;
        np = n;
    } else {
        out->skipped = hc_arena_alloc(a, (b.nitems + 1) * sizeof(*out->skipped));
        for (size_t i = 0; i < b.nitems; i++) {
            struct item *it = &b.items[i];
            if (it->f)
                continue;
            if (it->pub.blocked_field)
                out->skipped[out->nskipped++] = it->pub;
            else
                pick[np++] = it;
        }
    }
    if (np == 0)
        return hc_err_set(err, HC_ECONFLICT, "items", "no item is ready to file by %s", filed_on);
    char id[32];
    hc_id_format("rfd", hc_id_next(), id, sizeof(id));
    struct hc_refund_item *skipped = out->skipped;
    size_t nskipped = out->nskipped;
    rc = store_filing(&b, id, filed_on, granted_on, pick, np, actor, out, err);
    out->skipped = skipped;
    out->nskipped = nskipped;
    return rc;
}

static int filing_row(hc_stmt *q, hc_arena *a, struct hc_refund_filing *f)
{
    f->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    f->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
    f->filed_on = hc_arena_strdup(a, hc_stmt_text(q, 2));
    f->granted_on = hc_arena_strdup(a, hc_stmt_text(q, 3));
    f->nlines = hc_stmt_int(q, 4);
    f->basis_fen = hc_stmt_int(q, 5);
    f->refund_fen = hc_stmt_int(q, 6);
    f->actor = hc_arena_strdup(a, hc_stmt_text(q, 7));
    f->created_at = hc_stmt_int(q, 8);
    return HC_OK;
}

#define FILING_COLS                                                                                \
    "SELECT id, seller, filed_on, granted_on, nlines, basis_fen, refund_fen, actor, created_at"    \
    " FROM refund_filings"

/* The filed items of a filing with their parts, as filed. */
static int filing_lines(hc_store *s, hc_arena *a, struct hc_refund_filing *f, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT entry_id, entry_gnum, part, business_type, list_id, gnum, sku, warehouse,"
        " hs_code, exported_on, item_qty, qty, currency, fob_e5, fx_rate_e10, rate_bp,"
        " basis_fen, non_creditable_fen, refund_fen FROM refund_filing_lines WHERE filing_id = ?"
        " ORDER BY entry_id, entry_gnum, part",
        "s", f->id);
    if (rc != HC_OK)
        return rc;
    f->items = hc_arena_alloc(a, (size_t)(f->nlines + 1) * sizeof(*f->items));
    f->nitems = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_refund_item *p = f->nitems ? &f->items[f->nitems - 1] : NULL;
        if (p == NULL || strcmp(p->entry_id, hc_stmt_text(q, 0)) != 0 ||
            p->entry_gnum != hc_stmt_int(q, 1)) {
            if (f->nitems >= (size_t)f->nlines)
                break;
            p = &f->items[f->nitems++];
            p->entry_id = hc_arena_strdup(a, hc_stmt_text(q, 0));
            p->entry_gnum = hc_stmt_int(q, 1);
            p->list_id = hc_arena_strdup(a, hc_stmt_text(q, 4));
            p->gnum = hc_stmt_int(q, 5);
            p->sku = hc_arena_strdup(a, hc_stmt_text(q, 6));
            p->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 7));
            p->hs_code = hc_arena_strdup(a, hc_stmt_text(q, 8));
            p->exported_on = hc_arena_strdup(a, hc_stmt_text(q, 9));
            p->qty = hc_stmt_int(q, 10);
            p->currency = hc_arena_strdup(a, hc_stmt_text(q, 12));
            p->fob_e5 = hc_stmt_int(q, 13);
            p->rate_e10 = hc_stmt_int(q, 14);
            p->rate_bp = hc_stmt_int(q, 15);
            p->filing_id = f->id;
            char buf[HC_FX_RATE_MAX];
            hc_fx_rate_format(p->rate_e10, buf, sizeof(buf));
            p->fx_rate = hc_arena_strdup(a, buf);
            hc_decimal_format(p->fob_e5, 5, buf, sizeof(buf));
            p->fob = hc_arena_strdup(a, buf);
        }
        if (p->nparts >= 2)
            continue;
        struct hc_refund_part *x = &p->parts[p->nparts++];
        x->part = strcmp(hc_stmt_text(q, 2), "sold") == 0 ? "sold" : "unsold";
        x->business_type = x->part[0] == 'u' ? HC_REFUND_HWC_YT : "";
        x->qty = hc_stmt_int(q, 11);
        x->amt =
            (struct hc_refund_amount){hc_stmt_int(q, 16), hc_stmt_int(q, 17), hc_stmt_int(q, 18)};
        p->total.basis_fen += x->amt.basis_fen;
        p->total.non_creditable_fen += x->amt.non_creditable_fen;
        p->total.refund_fen += x->amt.refund_fen;
        if (x->part[0] == 's')
            p->sold = x->qty;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_refund_filing_get(hc_store *s, hc_arena *a, const char *seller, const char *id,
                         struct hc_refund_filing *out, hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(s, err, &q, FILING_COLS " WHERE id = ?", "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW && (seller == NULL || strcmp(hc_stmt_text(q, 1), seller) == 0))
        rc = filing_row(q, a, out);
    else if (rc == HC_ROW || rc == HC_DONE)
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no refund filing %s", id);
    hc_stmt_reset(q);
    if (rc == HC_OK)
        rc = filing_lines(s, a, out, err);
    return rc;
}

int hc_refund_filing_list(hc_store *s, hc_arena *a, const char *seller,
                          struct hc_refund_filing **out, size_t *n, hc_err *err)
{
    int64_t count = 0;
    *out = NULL;
    *n = 0;
    int rc = hc_store_int(s, err, &count, "SELECT COUNT(*) FROM refund_filings WHERE seller = ?",
                          "s", seller);
    hc_stmt *q;
    if (rc == HC_OK)
        rc = hc_store_query(s, err, &q, FILING_COLS " WHERE seller = ? ORDER BY id DESC", "s",
                            seller);
    if (rc != HC_OK)
        return rc;
    struct hc_refund_filing *v = hc_arena_alloc(a, (size_t)(count + 1) * sizeof(*v));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)count)
        filing_row(q, a, &v[(*n)++]);
    hc_stmt_reset(q);
    *out = v;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_refund_grant(hc_store *s, hc_arena *a, const char *seller, const char *id,
                    const char *granted_on, struct hc_refund_filing *out, hc_err *err)
{
    int rc = day_param(granted_on, "granted_on", err);
    if (rc == HC_OK)
        rc = hc_refund_filing_get(s, a, seller, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (out->granted_on[0])
        return hc_err_set(err, HC_ECONFLICT, "granted_on", "filing %s was granted on %s", id,
                          out->granted_on);
    if (strcmp(granted_on, out->filed_on) < 0)
        return hc_err_set(err, HC_EINVAL, "granted_on", "before the filing (%s)", out->filed_on);
    rc = hc_store_run(s, err, NULL,
                      "UPDATE refund_filings SET granted_on = ? WHERE seller = ? AND id = ?", "sss",
                      granted_on, out->seller, id);
    if (rc == HC_OK)
        out->granted_on = hc_arena_strdup(a, granted_on);
    return rc;
}

/* ---- reconciliation
 * -------------------------------------------------------------------------------- */

/* The pre-refund line of item it as of the book's day: at_deadline when
 * this is the April reconciliation. */
static void recon_line(struct book *b, struct item *it, bool at_deadline,
                       struct hc_refund_recon_line *out)
{
    const struct filed *f = it->f;
    memset(out, 0, sizeof(*out));
    out->entry_id = f->entry_id;
    out->entry_gnum = f->entry_gnum;
    out->filing_id = f->filing_id;
    out->sku = it->pub.sku;
    out->currency = it->pub.currency;
    out->pre_qty = f->pre_qty;
    out->pre_refund_fen = f->pre.refund_fen;
    out->granted_on = f->granted_on;
    int64_t sold = it->pub.sold - f->sold_qty;
    out->sold_qty = sold < 0 ? 0 : sold > f->pre_qty ? f->pre_qty : sold;
    out->sale_e5 = it->sale_after_e5;
    if (f->granted_on[0]) {
        char dl[11], fm[8];
        hc_refund_deadline(f->granted_on, dl, fm);
        out->deadline = hc_arena_strdup(b->a, dl);
        out->first_month = hc_arena_strdup(b->a, fm);
    }
    struct hc_refund_recon_in in = {.company = f->company,
                                    .vat_bp = f->vat_bp,
                                    .rate_bp = f->rate_bp,
                                    .rate_e10 = f->fx_rate_e10,
                                    .pre_qty = f->pre_qty,
                                    .pre_refund_fen = f->pre.refund_fen,
                                    .pre_basis_fen = f->pre.basis_fen,
                                    .item_qty = it->pub.qty,
                                    .item_fob_e5 = it->pub.fob_e5,
                                    .sold_qty = out->sold_qty,
                                    .sale_e5 = out->sale_e5,
                                    .at_deadline = at_deadline};
    /* the declared amount of the pre-refund's units, pro rata of the item */
    hc_refund_reconcile(&in, &out->r);
    if (f->closed_in) {
        out->reconciled_in = f->closed_in;
        out->r = f->closed;
    }
}

static struct item *pre_item(struct book *b, size_t i)
{
    struct item *it = &b->items[i];
    return it->f && it->f->pre_qty > 0 ? it : NULL;
}

static int store_recon(struct book *b, const char *id, const char *period, const char *recorded_on,
                       const char *actor, struct hc_refund_recon *out, hc_err *err)
{
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < out->nlines; i++) {
        const struct hc_refund_recon_line *l = &out->lines[i];
        rc = hc_store_run(b->s, err, NULL,
                          "INSERT INTO refund_recon_lines (seller, recon_id, entry_id, entry_gnum,"
                          " period, pre_qty, sold_qty, sale_e5, outcome, new_refund_fen, diff_fen,"
                          " repay_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssisiiisiii", b->seller, id, l->entry_id, l->entry_gnum, period,
                          l->pre_qty, l->sold_qty, l->sale_e5, hc_refund_outcome_name(l->r.outcome),
                          l->r.new_refund_fen, l->r.diff_fen, l->r.repay_fen);
    }
    if (rc == HC_OK)
        rc = hc_store_run(b->s, err, NULL,
                          "INSERT INTO refund_recons (seller, id, period, recorded_on, diff_fen,"
                          " repay_fen, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssiisi", b->seller, id, period, recorded_on, out->diff_fen,
                          out->repay_fen, actor ? actor : "", hc_now_ms());
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        rc =
            hc_err_set(err, HC_ECONFLICT, "period", "the reconciliation of %s is recorded", period);
    }
    return rc;
}

int hc_refund_reconcile_record(hc_store *s, hc_arena *a, const char *seller, const char *period,
                               const char *recorded_on, const char *actor,
                               struct hc_refund_recon *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    char t[11];
    today(t);
    if (recorded_on == NULL)
        recorded_on = hc_arena_strdup(a, t);
    if (!month_valid(period))
        return hc_err_set(err, HC_EINVAL, "period", "a filing period YYYY-MM");
    int rc = day_param(recorded_on, "recorded_on", err);
    if (rc == HC_OK && strncmp(recorded_on, period, 7) < 0)
        rc = hc_err_set(err, HC_EINVAL, "recorded_on", "before the period %s", period);
    struct book b;
    if (rc == HC_OK)
        rc = book_open(&b, s, a, seller, recorded_on, err);
    if (rc != HC_OK)
        return rc;
    out->lines = hc_arena_alloc(a, (b.nitems + 1) * sizeof(*out->lines));
    for (size_t i = 0; i < b.nitems; i++) {
        struct item *it = pre_item(&b, i);
        if (it == NULL || it->f->closed_in || !it->f->granted_on[0])
            continue;
        char dl[11], fm[8];
        hc_refund_deadline(it->f->granted_on, dl, fm);
        if (strcmp(period, fm) < 0 || strncmp(period, dl, 7) > 0)
            continue; /* not in this line's reconciliation months */
        struct hc_refund_recon_line *l = &out->lines[out->nlines++];
        recon_line(&b, it, strncmp(period, dl, 7) == 0, l);
        out->diff_fen += l->r.diff_fen;
        out->repay_fen += l->r.repay_fen;
    }
    if (out->nlines == 0)
        return hc_err_set(err, HC_ECONFLICT, "period",
                          "no granted pre-refund is to be reconciled in %s", period);
    char id[32];
    hc_id_format("rcn", hc_id_next(), id, sizeof(id));
    out->id = hc_arena_strdup(a, id);
    out->seller = seller;
    out->period = period;
    out->recorded_on = recorded_on;
    return store_recon(&b, id, period, recorded_on, actor, out, err);
}

/* ---- the report
 * ---------------------------------------------------------------------------------- */

/* Appends x to the report's repayments, growing the array in the arena. */
static void repay_push(struct book *b, struct hc_refund_report *r, struct hc_refund_repay x)
{
    if (r->nto_repay == b->repay_cap) {
        size_t cap = b->repay_cap ? b->repay_cap * 2 : 64;
        struct hc_refund_repay *v = hc_arena_alloc(b->a, cap * sizeof(*v));
        if (r->nto_repay)
            memcpy(v, r->to_repay, r->nto_repay * sizeof(*v));
        r->to_repay = v;
        b->repay_cap = cap;
    }
    r->to_repay[r->nto_repay++] = x;
    r->repay_fen += x.repay_fen;
}

static void report_returns(struct book *b, struct hc_refund_report *r)
{
    for (size_t i = 0; i < b->npicks; i++) {
        const struct ret_pick *p = &b->picks[i];
        const struct ret_key *k = &b->rets[p->ret];
        const struct filed *f = p->it->f;
        if (f == NULL || f->sold_qty == 0 || !p->before_filing)
            continue; /* not of the sold part filed: nothing refunded on these units yet */
        if (day_number(k->day) - day_number(p->it->pub.exported_on) > SIX_MONTHS_DAYS)
            continue;
        int64_t units = p->units < k->qty ? p->units : k->qty;
        if (units > f->sold_qty)
            units = f->sold_qty;
        int64_t fen = hc_round_half_even((__int128)f->sold.refund_fen * units, f->sold_qty);
        repay_push(b, r,
                   (struct hc_refund_repay){f->entry_id, "returned", f->entry_gnum, units, fen,
                                            k->day, k->id});
    }
}

static int report_customs_returns(struct book *b, struct hc_refund_report *r, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(b->s, err, &q,
                            "SELECT id, list_id, created_at FROM customs_returns WHERE seller = ?"
                            " AND created_at < ? ORDER BY created_at",
                            "si", b->seller, b->cutoff);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *list = hc_stmt_text(q, 1);
        char d[11];
        beijing_day(hc_stmt_int(q, 2), d);
        for (size_t i = 0; i < b->nitems; i++) {
            struct item *it = &b->items[i];
            if (it->f == NULL || strcmp(it->pub.list_id, list) != 0 || it->f->pre_qty == 0)
                continue;
            if (day_number(d) - day_number(it->pub.exported_on) > SIX_MONTHS_DAYS)
                continue;
            repay_push(b, r,
                       (struct hc_refund_repay){it->f->entry_id, "returned", it->f->entry_gnum,
                                                it->f->pre_qty, it->f->pre.refund_fen,
                                                hc_arena_strdup(b->a, d),
                                                hc_arena_strdup(b->a, hc_stmt_text(q, 0))});
        }
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* "YYYY-MM" one month on, in place. */
static void month_next(char m[8])
{
    int y = atoi(m) % 10000, mo = atoi(m + 5) % 100;
    char buf[32];
    snprintf(buf, sizeof(buf), "%04d-%02d", mo == 12 ? (y + 1) % 10000 : y % 10000,
             mo == 12 ? 1 : mo + 1);
    hc_strlcpy(m, buf, 8);
}

/* Whether the seller's reconciliation of period m is recorded. */
static bool period_recorded(const struct book *b, const char *m)
{
    for (size_t i = 0; i < b->nperiods; i++)
        if (strcmp(b->periods[i], m) == 0)
            return true;
    return false;
}

static void report_pre(struct book *b, struct hc_refund_report *r, char *next_month)
{
    char month[8];
    snprintf(month, sizeof(month), "%.7s", b->day);
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = pre_item(b, i);
        if (it == NULL)
            continue;
        struct hc_refund_recon_line l;
        bool granted = it->f->granted_on[0] != '\0';
        recon_line(b, it, false, &l);
        if (l.reconciled_in) {
            if (l.r.outcome == HC_REFUND_REPAY) {
                repay_push(b, r,
                           (struct hc_refund_repay){l.entry_id, "unsold at deadline", l.entry_gnum,
                                                    l.pre_qty - l.sold_qty, l.r.repay_fen,
                                                    l.deadline, l.filing_id});
            }
            continue;
        }
        if (granted && strcmp(b->day, l.deadline) > 0) {
            l.r = (struct hc_refund_recon_out){.outcome = HC_REFUND_RECOVERED,
                                               .repay_fen = l.pre_refund_fen};
            r->recovered[r->nrecovered++] = l;
            r->recovered_fen += l.pre_refund_fen;
            continue;
        }
        r->to_reconcile[r->nto_reconcile++] = l;
        if (granted) {
            char m[8];
            hc_strlcpy(m, strcmp(l.first_month, month) > 0 ? l.first_month : month, sizeof(m));
            while (period_recorded(b, m) && strncmp(m, l.deadline, 7) < 0)
                month_next(m);
            if (next_month[0] == '\0' || strcmp(m, next_month) < 0)
                hc_strlcpy(next_month, m, 8);
        }
    }
}

int hc_refund_report_build(hc_store *s, hc_arena *a, const char *seller, const char *day,
                           struct hc_refund_report *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    struct book b;
    int rc = day_param(day, "date", err);
    if (rc == HC_OK)
        rc = book_open(&b, s, a, seller, day, err);
    if (rc != HC_OK)
        return rc;
    out->seller = seller;
    out->day = day;
    out->company = b.prof.company;
    size_t unfiled = 1, pre = 1; /* the arrays' sizes (+1: never 0) */
    for (size_t i = 0; i < b.nitems; i++) {
        unfiled += b.items[i].f == NULL;
        pre += pre_item(&b, i) != NULL;
    }
    out->to_file = hc_arena_alloc(a, unfiled * sizeof(*out->to_file));
    out->to_reconcile = hc_arena_alloc(a, pre * sizeof(*out->to_reconcile));
    out->recovered = hc_arena_alloc(a, pre * sizeof(*out->recovered));
    for (size_t i = 0; i < b.nitems; i++) {
        const struct item *it = &b.items[i];
        if (it->f)
            continue;
        out->to_file[out->nto_file++] = it->pub;
        if (it->pub.blocked_field == NULL) {
            out->file_basis_fen += it->pub.total.basis_fen;
            out->file_refund_fen += it->pub.total.refund_fen;
        }
    }
    char next[8] = "";
    report_pre(&b, out, next);
    report_returns(&b, out);
    rc = report_customs_returns(&b, out, err);
    out->next_reconcile_month = next[0] ? hc_arena_strdup(a, next) : NULL;
    return rc;
}

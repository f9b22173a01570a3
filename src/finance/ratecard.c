/* ratecard.c: rate cards: field checks, storage, lookup by scope and day,
 * and the CSV import. See the rate card section of finance.h. */
#include "fin_private.h"

#include "catalog/catalog.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int rate_scale(const char *currency)
{
    int sc = hc_currency_scale(currency);
    return sc < 0 ? -1 : sc + HC_RC_RATE_EXTRA;
}

int hc_rc_rate_parse(const char *s, const char *currency, const char *field, int64_t *out,
                     hc_err *err)
{
    int sc = rate_scale(currency);
    if (sc < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "is not an ISO 4217 currency");
    if (s == NULL || hc_decimal_parse(s, sc, out) != HC_OK || *out < 0)
        return hc_err_set(err, HC_EINVAL, field,
                          "must be a decimal string >= 0 with at most %d fraction digits", sc);
    return HC_OK;
}

void hc_rc_rate_format(int64_t e4, const char *currency, char *buf, size_t size)
{
    int sc = rate_scale(currency);
    hc_decimal_format(e4, sc < 0 ? HC_RC_RATE_EXTRA + 2 : sc, buf, size);
}

int hc_rc_pct_parse(const char *s, const char *field, int64_t *bp, hc_err *err)
{
    if (s == NULL || hc_decimal_parse(s, 2, bp) != HC_OK || *bp < 0 || *bp > 10000)
        return hc_err_set(err, HC_EINVAL, field,
                          "must be a percentage from 0 to 100 with at most 2 decimals");
    return HC_OK;
}

/* "YYYY-MM-DD" of a day on the calendar (2026-02-30 is not). */
static bool valid_day(const char *d)
{
    int64_t ms;
    if (d == NULL || strlen(d) != 10 || hc_time_parse_iso(d, &ms) != HC_OK)
        return false;
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char back[40];
    gmtime_r(&t, &tm);
    snprintf(back, sizeof(back), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return strcmp(back, d) == 0;
}

int hc_ratecard_validate(const struct hc_ratecard *c, hc_err *err)
{
    if (hc_check_code(c->warehouse, "warehouse", HC_CODE_MAX, err))
        return err->code;
    if (c->seller && hc_check_code(c->seller, "seller", HC_CODE_MAX, err))
        return err->code;
    if (c->currency == NULL || hc_currency_scale(c->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "is not an ISO 4217 currency");
    if (!valid_day(c->effective_from))
        return hc_err_set(err, HC_EINVAL, "effective_from", "must be a date YYYY-MM-DD");
    if (c->effective_to && !valid_day(c->effective_to))
        return hc_err_set(err, HC_EINVAL, "effective_to", "must be a date YYYY-MM-DD");
    if (c->effective_to && strcmp(c->effective_to, c->effective_from) < 0)
        return hc_err_set(err, HC_EINVAL, "effective_to", "is before effective_from");
    if (c->surcharge_bp < 0 || c->surcharge_bp > 10000)
        return hc_err_set(err, HC_EINVAL, "surcharge_pct", "must be from 0 to 100");
    if (c->storage_basis < HC_RC_PER_M3 || c->storage_basis > HC_RC_PER_BIN)
        return hc_err_set(err, HC_EINVAL, "storage.basis", "must be m3, pallet or bin");
    if (c->storage_basis == HC_RC_PER_PALLET && c->pallet_mm3 <= 0)
        return hc_err_set(err, HC_EINVAL, "storage.pallet_mm3", "must be > 0 for basis pallet");
    if (c->ntiers == 0)
        return hc_err_set(err, HC_EINVAL, "storage.tiers", "must hold at least one tier");
    char f[64];
    for (size_t i = 0; i < c->ntiers; i++) {
        const struct hc_rc_tier *t = &c->tiers[i];
        int64_t want = i == 0 ? 0 : c->tiers[i - 1].to_day + 1;
        if (t->from_day != want) {
            snprintf(f, sizeof(f), "storage.tiers[%zu].from_day", i);
            return hc_err_set(err, HC_EINVAL, f,
                              i == 0 ? "the first tier must start at day 0"
                                     : "must be %lld: tiers follow each other without gap or "
                                       "overlap",
                              (long long)want);
        }
        bool last = i + 1 == c->ntiers;
        if ((t->to_day == HC_RC_DAY_OPEN) != last ||
            (t->to_day != HC_RC_DAY_OPEN && t->to_day < t->from_day)) {
            snprintf(f, sizeof(f), "storage.tiers[%zu].to_day", i);
            return hc_err_set(err, HC_EINVAL, f,
                              last ? "the last tier must be open (null)"
                                   : "must be >= from_day, and only the last tier is open");
        }
        if (t->rate_e4 < 0) {
            snprintf(f, sizeof(f), "storage.tiers[%zu].rate", i);
            return hc_err_set(err, HC_EINVAL, f, "must be >= 0");
        }
    }
    if (c->inbound_basis < HC_RC_PER_CARTON || c->inbound_basis > HC_RC_PER_UNIT)
        return hc_err_set(err, HC_EINVAL, "inbound.basis", "must be carton, m3 or unit");
    if (c->inbound_basis == HC_RC_PER_CARTON && c->carton_units <= 0)
        return hc_err_set(err, HC_EINVAL, "inbound.units_per_carton",
                          "must be > 0 for basis carton");
    if (c->nbreaks == 0)
        return hc_err_set(err, HC_EINVAL, "outbound.breaks", "must hold at least one break");
    for (size_t i = 0; i < c->nbreaks; i++) {
        const struct hc_rc_break *b = &c->breaks[i];
        bool last = i + 1 == c->nbreaks;
        if ((b->max_weight_g == HC_RC_DAY_OPEN) != last ||
            (!last && (b->max_weight_g <= 0 ||
                       (i > 0 && b->max_weight_g <= c->breaks[i - 1].max_weight_g)))) {
            snprintf(f, sizeof(f), "outbound.breaks[%zu].max_weight_g", i);
            return hc_err_set(err, HC_EINVAL, f,
                              "breaks ascend by weight without overlap and the last is open "
                              "(null)");
        }
    }
    int64_t mins[] = {c->min_inbound, c->min_outbound, c->min_storage, c->min_return,
                      c->min_service};
    for (size_t i = 0; i < HC_ARRAY_LEN(mins); i++)
        if (mins[i] < 0)
            return hc_err_set(err, HC_EINVAL, "minimums", "must be >= 0");
    return HC_OK;
}

/* ---- store ---------------------------------------------------------------------------- */

static const char *basis_name(int b, bool storage)
{
    if (storage)
        return b == HC_RC_PER_PALLET ? "pallet" : b == HC_RC_PER_BIN ? "bin" : "m3";
    return b == HC_RC_PER_CARTON ? "carton" : b == HC_RC_PER_INBOUND_M3 ? "m3" : "unit";
}

static int basis_value(const char *s, bool storage)
{
    if (storage)
        return strcmp(s, "m3") == 0 ? HC_RC_PER_M3 : strcmp(s, "pallet") == 0 ? HC_RC_PER_PALLET
               : strcmp(s, "bin") == 0                                     ? HC_RC_PER_BIN
                                                                           : 0;
    return strcmp(s, "carton") == 0 ? HC_RC_PER_CARTON : strcmp(s, "m3") == 0 ? HC_RC_PER_INBOUND_M3
           : strcmp(s, "unit") == 0                                            ? HC_RC_PER_UNIT
                                                                               : 0;
}

#define CARD_COLS                                                                          \
    "warehouse, id, seller, version, currency, effective_from, effective_to, replaces,"   \
    " superseded_by, surcharge_bp, storage_basis, pallet_mm3, inbound_basis, inbound_e4," \
    " carton_units, return_e4, relabel_e4, kitting_e4, min_inbound, min_outbound,"        \
    " min_storage, min_return, min_service, created_at, created_by"

/* Rate cards are versioned per warehouse and seller ('' for the warehouse's own). */
static const struct hc_versioned card_chain = {"rate_cards", "seller", "card"};

static void card_from_row(hc_arena *a, hc_stmt *q, struct hc_ratecard *c)
{
    memset(c, 0, sizeof(*c));
    c->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
    c->id = hc_arena_strdup(a, hc_stmt_text(q, 1));
    c->seller = hc_stmt_text_opt(a, q, 2);
    c->version = hc_stmt_int(q, 3);
    c->currency = hc_arena_strdup(a, hc_stmt_text(q, 4));
    c->effective_from = hc_arena_strdup(a, hc_stmt_text(q, 5));
    c->effective_to = hc_stmt_text_opt(a, q, 6);
    c->replaces = hc_stmt_text_opt(a, q, 7);
    c->superseded_by = hc_stmt_text_opt(a, q, 8);
    c->surcharge_bp = hc_stmt_int(q, 9);
    c->storage_basis = basis_value(hc_stmt_text(q, 10), true);
    c->pallet_mm3 = hc_stmt_int(q, 11);
    c->inbound_basis = basis_value(hc_stmt_text(q, 12), false);
    c->inbound_e4 = hc_stmt_int(q, 13);
    c->carton_units = hc_stmt_int(q, 14);
    c->return_unit_e4 = hc_stmt_int(q, 15);
    c->relabel_unit_e4 = hc_stmt_int(q, 16);
    c->kitting_unit_e4 = hc_stmt_int(q, 17);
    c->min_inbound = hc_stmt_int(q, 18);
    c->min_outbound = hc_stmt_int(q, 19);
    c->min_storage = hc_stmt_int(q, 20);
    c->min_return = hc_stmt_int(q, 21);
    c->min_service = hc_stmt_int(q, 22);
    c->created_at = hc_stmt_int(q, 23);
    c->created_by = hc_arena_strdup(a, hc_stmt_text(q, 24));
}

static int load_lines(hc_store *s, struct hc_ratecard *c, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT kind, lo, hi, rate_e4, extra_e4 FROM rate_card_lines"
                            " WHERE warehouse = ? AND card = ? ORDER BY kind, seq",
                            "ss", c->warehouse, c->id);
    if (rc != HC_OK)
        return rc;
    c->ntiers = c->nbreaks = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (strcmp(hc_stmt_text(q, 0), "tier") == 0 && c->ntiers < HC_RC_TIERS_MAX)
            c->tiers[c->ntiers++] = (struct hc_rc_tier){hc_stmt_int(q, 1), hc_stmt_int(q, 2),
                                                         hc_stmt_int(q, 3)};
        else if (strcmp(hc_stmt_text(q, 0), "break") == 0 && c->nbreaks < HC_RC_BREAKS_MAX)
            c->breaks[c->nbreaks++] = (struct hc_rc_break){hc_stmt_int(q, 2), hc_stmt_int(q, 3),
                                                            hc_stmt_int(q, 4)};
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_ratecard_get(hc_store *s, hc_arena *a, const char *id, struct hc_ratecard *out,
                    hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT " CARD_COLS " FROM rate_cards WHERE id = ?", "s",
                            id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        card_from_row(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no rate card %s", id);
    if (rc != HC_ROW)
        return rc;
    return load_lines(s, out, err);
}

int hc_ratecard_create(hc_store *s, hc_arena *a, struct hc_ratecard *c, const char *actor,
                       hc_err *err)
{
    int rc = hc_ratecard_validate(c, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_warehouse_exists(s, c->warehouse, err))
        return err->code ? err->code
                         : hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", c->warehouse);
    if (c->seller) {
        struct hc_seller sl;
        rc = hc_seller_get(s, a, c->seller, &sl, err);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", c->seller);
        }
        if (rc != HC_OK)
            return rc;
    }
    const char *rerate_from = NULL;
    if (c->replaces) {
        struct hc_ratecard old;
        rc = hc_ratecard_get(s, a, c->replaces, &old, err);
        if (rc == HC_ENOTFOUND || (rc == HC_OK && (strcmp(old.warehouse, c->warehouse) != 0 ||
                                                   (old.seller == NULL) != (c->seller == NULL) ||
                                                   (old.seller && strcmp(old.seller, c->seller)) ||
                                                   old.superseded_by != NULL))) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, "replaces",
                              "is not a live card of the same warehouse and seller");
        }
        if (rc != HC_OK)
            return rc;
        rerate_from = strcmp(old.effective_from, c->effective_from) < 0 ? old.effective_from
                                                                        : c->effective_from;
    }
    const char *hit, *seller = c->seller ? c->seller : "";
    if ((rc = hc_versioned_overlap(s, a, &card_chain, c->warehouse, seller, c->effective_from,
                                   c->effective_to, c->replaces, &hit, err)) != HC_OK)
        return rc;
    if (hit)
        return hc_err_set(err, HC_EINVAL, "effective_from",
                          "the days overlap those of card %s of the same warehouse and seller",
                          hit);
    if ((rc = hc_versioned_next(s, &card_chain, c->warehouse, seller, &c->version, err)) != HC_OK)
        return rc;
    char id[32];
    hc_id_format("rc", hc_id_next(), id, sizeof(id));
    c->id = hc_arena_strdup(a, id);
    c->created_at = hc_now_ms();
    c->created_by = actor ? actor : "";
    c->superseded_by = NULL;
    rc = hc_store_run(
        s, err, NULL,
        "INSERT INTO rate_cards (" CARD_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "sssissssisisiiiiiiiiiiis", c->warehouse, c->id, c->seller ? c->seller : "", c->version,
        c->currency, c->effective_from, c->effective_to ? c->effective_to : "",
        c->replaces ? c->replaces : "", c->surcharge_bp, basis_name(c->storage_basis, true),
        c->pallet_mm3, basis_name(c->inbound_basis, false), c->inbound_e4, c->carton_units,
        c->return_unit_e4, c->relabel_unit_e4, c->kitting_unit_e4, c->min_inbound,
        c->min_outbound, c->min_storage, c->min_return, c->min_service, c->created_at,
        c->created_by);
    for (size_t i = 0; rc == HC_OK && i < c->ntiers; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO rate_card_lines (warehouse, card, kind, seq, lo, hi,"
                          " rate_e4, extra_e4) VALUES (?, ?, 'tier', ?, ?, ?, ?, 0)",
                          "ssiiii", c->warehouse, c->id, (int64_t)i, c->tiers[i].from_day,
                          c->tiers[i].to_day, c->tiers[i].rate_e4);
    for (size_t i = 0; rc == HC_OK && i < c->nbreaks; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO rate_card_lines (warehouse, card, kind, seq, lo, hi,"
                          " rate_e4, extra_e4) VALUES (?, ?, 'break', ?, 0, ?, ?, ?)",
                          "ssiiii", c->warehouse, c->id, (int64_t)i, c->breaks[i].max_weight_g,
                          c->breaks[i].order_e4, c->breaks[i].extra_unit_e4);
    if (rc == HC_OK && c->replaces)
        rc = hc_versioned_supersede(s, &card_chain, c->warehouse, c->replaces, c->id, err);
    /* Days already charged from the first day this card changes (up to
     * today: charges at events) are re-rated by the next storage run, the
     * difference as a correction. A card starting after today changes none. */
    if (rerate_from == NULL)
        rerate_from = c->effective_from;
    const char *tz;
    char today[11];
    if (rc == HC_OK && (rc = fin_warehouse_tz(s, a, c->warehouse, &tz, err)) == HC_OK &&
        hc_tz_day(tz, hc_now_ms(), today) == HC_OK && strcmp(rerate_from, today) <= 0) {
        rc = hc_store_run(s, err, NULL,
                          hc_store_dialect(s) == HC_MYSQL
                              ? "INSERT IGNORE INTO fin_storage_state (warehouse, last_day,"
                                " rerate_from, updated_at) VALUES (?, '', '', ?)"
                              : "INSERT OR IGNORE INTO fin_storage_state (warehouse, last_day,"
                                " rerate_from, updated_at) VALUES (?, '', '', ?)",
                          "si", c->warehouse, hc_now_ms());
        if (rc == HC_OK)
            rc = hc_store_run(s, err, NULL,
                              "UPDATE fin_storage_state SET rerate_from = ? WHERE warehouse = ?"
                              " AND (rerate_from = '' OR rerate_from > ?)",
                              "sss", rerate_from, c->warehouse, rerate_from);
    }
    return rc;
}

int hc_ratecard_list(hc_store *s, hc_arena *a, const struct hc_ratecard_filter *f,
                     struct hc_ratecard **out, size_t *n, const char **next, hc_err *err)
{
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT " CARD_COLS " FROM rate_cards WHERE (? = '' OR warehouse = ?)"
             " AND (? = '' OR seller = '' OR seller = ?) %s AND (? = '' OR id < ?)"
             " ORDER BY id DESC LIMIT ?",
             f->include_superseded ? "" : "AND superseded_by = ''");
    const char *w = f->warehouse ? f->warehouse : "", *sl = f->seller ? f->seller : "",
               *cur = f->cursor ? f->cursor : "";
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, sql, "ssssssi", w, w, sl, sl, cur, cur,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_ratecard *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        card_from_row(a, q, &v[k++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = v[k - 1].id;
    }
    for (size_t i = 0; i < k; i++)
        if ((rc = load_lines(s, &v[i], err)) != HC_OK)
            return rc;
    *out = v;
    *n = k;
    return HC_OK;
}

static int card_covering(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                         const char *day, struct hc_ratecard *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " CARD_COLS " FROM rate_cards WHERE warehouse = ?"
                            " AND seller = ? AND superseded_by = '' AND effective_from <= ?"
                            " AND (effective_to = '' OR effective_to >= ?)"
                            " ORDER BY effective_from DESC LIMIT 1",
                            "ssss", warehouse, seller, day, day);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        card_from_row(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return HC_ENOTFOUND;
    if (rc != HC_ROW)
        return rc;
    return load_lines(s, out, err);
}

int hc_ratecard_for(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                    const char *day, struct hc_ratecard *out, hc_err *err)
{
    int rc = seller ? card_covering(s, a, warehouse, seller, day, out, err) : HC_ENOTFOUND;
    if (rc == HC_ENOTFOUND)
        rc = card_covering(s, a, warehouse, "", day, out, err);
    if (rc == HC_ENOTFOUND)
        return hc_err_set(err, HC_ENOTFOUND, "warehouse", "no rate card of %s covers %s",
                          warehouse, day);
    return rc;
}

/* ---- CSV ------------------------------------------------------------------------------- */

#define CSV_COLS 10
static const char *const csv_head[CSV_COLS] = {"card", "warehouse", "seller", "currency",
                                               "effective_from", "effective_to", "item",
                                               "from", "to", "rate"};

static int csv_int(const char *s, bool open_ok, int64_t *out)
{
    if (*s == '\0' && open_ok) {
        *out = HC_RC_DAY_OPEN;
        return HC_OK;
    }
    return hc_parse_i64(s, 0, INT64_MAX / 4, out);
}

/* One row of the import, from a CSV line or a sheet row: its number in the
 * file ("line N" / "row N") and its fields; nf != CSV_COLS is refused. */
struct rc_row {
    int lineno, nf;
    const char *f[CSV_COLS];
};

/* The cards of rows (the header and blank rows already left out). */
static int parse_rows(hc_arena *a, const struct rc_row *rows, size_t nrows, const char *unit,
                      struct hc_ratecard **out, size_t *n, hc_err *err)
{
    size_t cap = 16, k = 0;
    struct hc_ratecard *cards = malloc(cap * sizeof(*cards));
    const char **names = malloc(cap * sizeof(*names));
    int rc = HC_OK;
    char fld[192];
    if (cards == NULL || names == NULL)
        abort();
    for (size_t r = 0; rc == HC_OK && r < nrows; r++) {
        int lineno = rows[r].lineno, nf = rows[r].nf;
        const char *const *f = rows[r].f;
        if (nf != CSV_COLS) {
            snprintf(fld, sizeof(fld), "%s %d", unit, lineno);
            rc = hc_err_set(err, HC_EINVAL, fld, "needs %d fields: %s,...,%s", CSV_COLS,
                            csv_head[0], csv_head[CSV_COLS - 1]);
            break;
        }
        size_t i;
        for (i = 0; i < k; i++)
            if (strcmp(names[i], f[0]) == 0)
                break;
        if (i == k) {
            if (k == cap) {
                cap *= 2;
                cards = realloc(cards, cap * sizeof(*cards));
                names = realloc(names, cap * sizeof(*names));
                if (cards == NULL || names == NULL)
                    abort();
            }
            struct hc_ratecard *c = &cards[k];
            memset(c, 0, sizeof(*c));
            names[k] = hc_arena_strdup(a, f[0]);
            c->warehouse = hc_arena_strdup(a, f[1]);
            c->seller = *f[2] ? hc_arena_strdup(a, f[2]) : NULL;
            c->currency = hc_arena_strdup(a, f[3]);
            c->effective_from = hc_arena_strdup(a, f[4]);
            c->effective_to = *f[5] ? hc_arena_strdup(a, f[5]) : NULL;
            c->storage_basis = HC_RC_PER_M3;
            c->inbound_basis = HC_RC_PER_UNIT;
            k++;
        }
        struct hc_ratecard *c = &cards[i];
        const char *item = f[6];
        int64_t lo = 0, hi = 0, rate = 0;
#define BAD(col, msg)                                                                      \
    do {                                                                                   \
        snprintf(fld, sizeof(fld), "%s %d: %s", unit, lineno, col);                        \
        rc = hc_err_set(err, HC_EINVAL, fld, "%s", msg);                                   \
        goto next;                                                                         \
    } while (0)
        if (strcmp(item, "surcharge_pct") == 0) {
            hc_err e = {0};
            if (hc_rc_pct_parse(f[9], "rate", &c->surcharge_bp, &e))
                BAD("rate", e.msg);
            continue;
        }
        if (strcmp(item, "pallet_mm3") == 0) {
            if (hc_parse_i64(f[9], 1, INT64_MAX / 4, &c->pallet_mm3))
                BAD("rate", "must be a volume in mm3 > 0");
            continue;
        }
        {
            hc_err e = {0};
            if (hc_rc_rate_parse(f[9], c->currency, "rate", &rate, &e))
                BAD(e.field, e.msg);
        }
        if (strncmp(item, "storage_", 8) == 0) {
            int b = basis_value(item + 8, true);
            if (b == 0)
                BAD("item", "storage_m3, storage_pallet or storage_bin");
            if (csv_int(f[7], false, &lo))
                BAD("from", "must be a day number >= 0");
            if (csv_int(f[8], true, &hi))
                BAD("to", "must be a day number >= 0 or empty (open)");
            if (c->ntiers == HC_RC_TIERS_MAX)
                BAD("item", "too many storage tiers");
            c->storage_basis = b;
            c->tiers[c->ntiers++] = (struct hc_rc_tier){lo, hi, rate};
        } else if (strncmp(item, "inbound_", 8) == 0) {
            int b = basis_value(item + 8, false);
            if (b == 0)
                BAD("item", "inbound_carton, inbound_m3 or inbound_unit");
            c->inbound_basis = b;
            c->inbound_e4 = rate;
            if (b == HC_RC_PER_CARTON && hc_parse_i64(f[7], 1, 1000000, &c->carton_units))
                BAD("from", "units per carton must be > 0");
        } else if (strcmp(item, "outbound") == 0 || strcmp(item, "outbound_extra_unit") == 0) {
            if (csv_int(f[8], true, &hi))
                BAD("to", "must be a weight in g or empty (open)");
            size_t b;
            for (b = 0; b < c->nbreaks; b++)
                if (c->breaks[b].max_weight_g == hi)
                    break;
            if (b == c->nbreaks) {
                if (b == HC_RC_BREAKS_MAX)
                    BAD("item", "too many weight breaks");
                c->breaks[c->nbreaks++] = (struct hc_rc_break){hi, 0, 0};
            }
            if (item[8] == '\0')
                c->breaks[b].order_e4 = rate;
            else
                c->breaks[b].extra_unit_e4 = rate;
        } else if (strcmp(item, "return_unit") == 0) {
            c->return_unit_e4 = rate;
        } else if (strcmp(item, "relabel_unit") == 0) {
            c->relabel_unit_e4 = rate;
        } else if (strcmp(item, "kitting_unit") == 0) {
            c->kitting_unit_e4 = rate;
        } else if (strncmp(item, "min_", 4) == 0) {
            /* a minimum is an amount in minor units, not a rate */
            int64_t m = rate / 10000;
            if (rate % 10000)
                BAD("rate", "a minimum has the currency's minor units at most");
            if (strcmp(item, "min_inbound") == 0)
                c->min_inbound = m;
            else if (strcmp(item, "min_outbound") == 0)
                c->min_outbound = m;
            else if (strcmp(item, "min_storage") == 0)
                c->min_storage = m;
            else if (strcmp(item, "min_return") == 0)
                c->min_return = m;
            else if (strcmp(item, "min_service") == 0)
                c->min_service = m;
            else
                BAD("item", "min_inbound, min_outbound, min_storage, min_return or min_service");
        } else {
            BAD("item", "is not a rate card item");
        }
#undef BAD
    next:;
    }
    /* breaks ascend, the open one last */
    for (size_t i = 0; rc == HC_OK && i < k; i++) {
        struct hc_ratecard *c = &cards[i];
        for (size_t x = 1; x < c->nbreaks; x++)
            for (size_t y = x; y > 0; y--) {
                int64_t p = c->breaks[y - 1].max_weight_g, q = c->breaks[y].max_weight_g;
                if (p == HC_RC_DAY_OPEN || (q != HC_RC_DAY_OPEN && q < p)) {
                    struct hc_rc_break t = c->breaks[y];
                    c->breaks[y] = c->breaks[y - 1];
                    c->breaks[y - 1] = t;
                }
            }
        hc_err e = {0};
        if (hc_ratecard_validate(c, &e) != HC_OK) {
            snprintf(fld, sizeof(fld), "card %s: %s", names[i], e.field);
            rc = hc_err_set(err, HC_EINVAL, fld, "%s", e.msg);
        }
    }
    if (rc == HC_OK && k == 0)
        rc = hc_err_set(err, HC_EINVAL, "file", "holds no rate card rows");
    if (rc == HC_OK) {
        *out = hc_arena_alloc(a, k * sizeof(**out));
        memcpy(*out, cards, k * sizeof(**out));
        *n = k;
    }
    free(cards);
    free(names);
    return rc;
}

int hc_ratecard_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_ratecard **out,
                          size_t *n, hc_err *err)
{
    char *buf = hc_arena_strndup(a, text, len);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct rc_row *rows = hc_arena_alloc(a, lines * sizeof(*rows));
    size_t nrows = 0;
    int lineno = 0;
    for (char *line = buf, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        lineno++;
        char *f[CSV_COLS + 1];
        if (line[0] == '\0' || line[0] == '\r' || line[0] == '#')
            continue;
        int nf = (int)hc_csv_split(line, f, CSV_COLS + 1);
        if (lineno == 1 && strcmp(f[0], "card") == 0)
            continue;
        struct rc_row *r = &rows[nrows++];
        r->lineno = lineno;
        r->nf = nf;
        for (int i = 0; i < nf && i < CSV_COLS; i++)
            r->f[i] = f[i];
    }
    return parse_rows(a, rows, nrows, "line", out, n, err);
}

/* A sheet cell as an import field: blanks trimmed. */
static const char *sheet_field(hc_arena *a, const char *cell)
{
    while (*cell == ' ')
        cell++;
    size_t n = strlen(cell);
    while (n && (cell[n - 1] == ' ' || cell[n - 1] == '\r' || cell[n - 1] == '\n'))
        n--;
    return hc_arena_strndup(a, cell, n);
}

int hc_ratecard_sheet_parse(hc_arena *a, const struct hc_sheet *sh, struct hc_ratecard **out,
                            size_t *n, hc_err *err)
{
    struct rc_row *rows = hc_arena_alloc(a, (sh->nrows + 1) * sizeof(*rows));
    size_t nrows = 0;
    bool first = true;
    for (size_t r = 0; r < sh->nrows; r++) {
        size_t nc = sh->ncells[r];
        while (nc > 0 && sheet_field(a, sh->cells[r][nc - 1])[0] == '\0')
            nc--; /* empty cells at the end of a row are no fields */
        if (nc == 0 || sh->cells[r][0][0] == '#')
            continue;
        bool header = first && strcmp(sheet_field(a, sh->cells[r][0]), "card") == 0;
        first = false;
        if (header)
            continue;
        struct rc_row *x = &rows[nrows++];
        x->lineno = (int)(r + 1);
        x->nf = nc > CSV_COLS ? CSV_COLS + 1 : (int)nc;
        for (size_t i = 0; i < nc && i < CSV_COLS; i++)
            x->f[i] = sheet_field(a, sh->cells[r][i]);
        for (size_t i = nc; i < CSV_COLS; i++)
            x->f[i] = "";
    }
    return parse_rows(a, rows, nrows, "row", out, n, err);
}

/* invoice.c: invoices issued by a warehouse operator to a seller for a
 * month, numbered per issuer without gaps (see finance.h), and the
 * receivables by seller that the operator reads. */
#include "finance.h"

#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"

static int must_exist(bool found, hc_err *err, const char *field, const char *what,
                      const char *code)
{
    if (found)
        return HC_OK;
    if (err->code != HC_ENOTFOUND && err->code != HC_OK)
        return err->code;
    return hc_err_set(err, HC_ENOTFOUND, field, "no %s %s", what, code);
}

/* The two accounts whose credits for a seller are the warehouse's charges. */
static int charge_accounts(const char *warehouse, char rev[HC_ACCOUNT_MAX],
                           char pass[HC_ACCOUNT_MAX], hc_err *err)
{
    if (hc_money_account(rev, HC_ACCOUNT_MAX, "wh", warehouse, "revenue") != HC_OK ||
        hc_money_account(pass, HC_ACCOUNT_MAX, "wh", warehouse, "passthrough") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "warehouse", "not a warehouse code");
    return HC_OK;
}

static void totals_of(hc_arena *a, struct hc_invoice *inv)
{
    inv->totals = hc_arena_alloc(a, (inv->nlines ? inv->nlines : 1) * sizeof(*inv->totals));
    inv->ntotals = 0;
    for (size_t i = 0; i < inv->nlines; i++) {
        struct hc_invoice_total *t = NULL;
        for (size_t j = 0; j < inv->ntotals && t == NULL; j++)
            if (strcmp(inv->totals[j].currency, inv->lines[i].currency) == 0)
                t = &inv->totals[j];
        if (t == NULL) {
            t = &inv->totals[inv->ntotals++];
            t->currency = inv->lines[i].currency;
        }
        t->amount += inv->lines[i].amount;
    }
}

static int load_lines(hc_store *s, hc_arena *a, struct hc_invoice *inv, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT cause_kind, currency, nlines, amount FROM invoice_lines"
                            " WHERE issuer = ? AND seq = ? ORDER BY line",
                            "si", inv->issuer, inv->seq);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (inv->nlines == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct hc_invoice_line *l = hc_arena_alloc(a, ncap * sizeof(*l));
            if (inv->nlines)
                memcpy(l, inv->lines, inv->nlines * sizeof(*l));
            inv->lines = l;
            cap = ncap;
        }
        struct hc_invoice_line *l = &inv->lines[inv->nlines++];
        l->cause_kind = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->currency = hc_arena_strdup(a, hc_stmt_text(q, 1));
        l->lines = hc_stmt_int(q, 2);
        l->amount = hc_stmt_int(q, 3);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    totals_of(a, inv);
    return HC_OK;
}

/* Takes the issuer's next number: the counter row is created at 0 when
 * absent, then raised by one under its row lock, in the caller's
 * transaction: a rollback gives the number back. */
static int next_number(hc_store *s, const char *issuer, int64_t *seq, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          hc_store_dialect(s) == HC_MYSQL
                              ? "INSERT IGNORE INTO invoice_counters (issuer, last_seq)"
                                " VALUES (?, 0)"
                              : "INSERT OR IGNORE INTO invoice_counters (issuer, last_seq)"
                                " VALUES (?, 0)",
                          "s", issuer);
    int64_t n = 0;
    if (rc == HC_OK)
        rc = hc_store_run(s, err, &n,
                          "UPDATE invoice_counters SET last_seq = last_seq + 1 WHERE issuer = ?",
                          "s", issuer);
    if (rc == HC_OK && n != 1)
        return hc_err_set(err, HC_EINTERNAL, "", "invoice counter of %s not found", issuer);
    if (rc == HC_OK)
        rc = hc_store_int(s, err, seq, "SELECT last_seq FROM invoice_counters WHERE issuer = ?",
                          "s", issuer);
    return rc;
}

int hc_invoice_issue(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                     const char *month, int64_t now_ms, const char *actor,
                     struct hc_invoice *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    int64_t from, to, seq;
    char rev[HC_ACCOUNT_MAX], pass[HC_ACCOUNT_MAX];
    int rc = hc_month_closed(month, now_ms, &from, &to, err);
    if (rc == HC_OK)
        rc = must_exist(hc_seller_exists(s, seller, err), err, "seller", "seller", seller);
    if (rc == HC_OK)
        rc = must_exist(hc_warehouse_exists(s, warehouse, err), err, "warehouse", "warehouse",
                        warehouse);
    if (rc == HC_OK)
        rc = charge_accounts(warehouse, rev, pass, err);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT number FROM invoices WHERE issuer = ? AND seller = ? AND month = ?",
                        "sss", warehouse, seller, month);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        hc_err_set(err, HC_ECONFLICT, "month", "%s is invoiced already: %s", month,
                   hc_stmt_text(q, 0));
        hc_stmt_reset(q);
        return HC_ECONFLICT;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;

    out->issuer = hc_arena_strdup(a, warehouse);
    out->seller = hc_arena_strdup(a, seller);
    out->month = hc_arena_strdup(a, month);
    out->issued_by = hc_arena_strdup(a, actor ? actor : "");
    out->issued_at = now_ms;
    /* the charges: credits of revenue and passthrough booked for the seller */
    rc = hc_store_query(s, err, &q,
                        "SELECT cause_kind, currency, COUNT(*), SUM(minor) FROM money_postings"
                        " WHERE account IN (?, ?) AND seller = ? AND at >= ? AND at < ?"
                        " GROUP BY currency, cause_kind ORDER BY currency, cause_kind",
                        "sssii", rev, pass, seller, from, to);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (out->nlines == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct hc_invoice_line *l = hc_arena_alloc(a, ncap * sizeof(*l));
            if (out->nlines)
                memcpy(l, out->lines, out->nlines * sizeof(*l));
            out->lines = l;
            cap = ncap;
        }
        struct hc_invoice_line *l = &out->lines[out->nlines++];
        l->cause_kind = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->currency = hc_arena_strdup(a, hc_stmt_text(q, 1));
        l->lines = hc_stmt_int(q, 2);
        l->amount = -hc_stmt_int(q, 3); /* credit-normal accounts */
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (out->nlines == 0)
        return hc_err_set(err, HC_ECONFLICT, "month", "%s charged %s nothing in %s", warehouse,
                          seller, month);
    totals_of(a, out);

    if ((rc = next_number(s, warehouse, &seq, err)) != HC_OK)
        return rc;
    char id[HC_INVOICE_ID_MAX];
    hc_id_format("inv", hc_id_next(), id, sizeof(id));
    out->id = hc_arena_strdup(a, id);
    out->seq = seq;
    out->number = hc_arena_printf(a, "%s-%06lld", warehouse, (long long)seq);
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO invoices (issuer, seq, id, number, seller, month, issued_at,"
                      " issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "sissssis", warehouse, seq, out->id, out->number, seller, month, now_ms,
                      out->issued_by);
    for (size_t i = 0; rc == HC_OK && i < out->nlines; i++) {
        const struct hc_invoice_line *l = &out->lines[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO invoice_lines (issuer, seq, line, cause_kind, currency,"
                          " nlines, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "siissii", warehouse, seq, (int64_t)i, l->cause_kind, l->currency,
                          l->lines, l->amount);
    }
    if (rc == HC_ECONFLICT) /* another writer issued the same month first */
        return hc_err_set(err, HC_ECONFLICT, "month", "%s is invoiced already", month);
    return rc;
}

#define INVOICE_COLS "issuer, seq, id, number, seller, month, issued_at, issued_by"

static void read_head(hc_stmt *q, hc_arena *a, struct hc_invoice *inv)
{
    memset(inv, 0, sizeof(*inv));
    inv->issuer = hc_arena_strdup(a, hc_stmt_text(q, 0));
    inv->seq = hc_stmt_int(q, 1);
    inv->id = hc_arena_strdup(a, hc_stmt_text(q, 2));
    inv->number = hc_arena_strdup(a, hc_stmt_text(q, 3));
    inv->seller = hc_arena_strdup(a, hc_stmt_text(q, 4));
    inv->month = hc_arena_strdup(a, hc_stmt_text(q, 5));
    inv->issued_at = hc_stmt_int(q, 6);
    inv->issued_by = hc_arena_strdup(a, hc_stmt_text(q, 7));
}

int hc_invoice_get(hc_store *s, hc_arena *a, const char *id, struct hc_invoice *out,
                   hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(s, err, &q,
                            "SELECT " INVOICE_COLS " FROM invoices WHERE id = ? OR number = ?",
                            "ss", id, id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_head(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no invoice %s", id);
    if (rc != HC_ROW)
        return rc;
    return load_lines(s, a, out, err);
}

int hc_invoice_cursor_parse(const char *s, struct hc_invoice_cursor *c)
{
    char num[24];
    const char *dot = s ? strchr(s, '.') : NULL, *dot2 = dot ? strchr(dot + 1, '.') : NULL;
    if (dot2 == NULL || (size_t)(dot - s) >= sizeof(num) || (size_t)(dot2 - dot - 1) >= sizeof(num))
        return HC_EINVAL;
    memcpy(num, s, (size_t)(dot - s));
    num[dot - s] = '\0';
    if (hc_parse_i64(num, 0, INT64_MAX, &c->issued_at) != HC_OK)
        return HC_EINVAL;
    memcpy(num, dot + 1, (size_t)(dot2 - dot - 1));
    num[dot2 - dot - 1] = '\0';
    if (hc_parse_i64(num, 1, INT64_MAX, &c->seq) != HC_OK || strlen(dot2 + 1) == 0 ||
        strlen(dot2 + 1) >= sizeof(c->issuer))
        return HC_EINVAL;
    memcpy(c->issuer, dot2 + 1, strlen(dot2 + 1) + 1);
    return HC_OK;
}

int hc_invoice_page(hc_store *s, hc_arena *a, const char *seller, const char *issuer,
                    const struct hc_invoice_cursor *after, int limit, struct hc_invoice **out,
                    size_t *n, struct hc_invoice_cursor *next, bool *more, hc_err *err)
{
    HC_ASSERT(limit >= 1 && limit <= 1000);
    *out = hc_arena_alloc(a, (size_t)limit * sizeof(**out));
    *n = 0;
    *more = false;
    /* newest first: issued_at down, issuer up, seq down; after the cursor's invoice */
    int64_t at = after ? after->issued_at : INT64_MAX, seq = after ? after->seq : 0;
    const char *iss = after ? after->issuer : "";
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " INVOICE_COLS " FROM invoices WHERE (? = '' OR seller = ?)"
                            " AND (? = '' OR issuer = ?) AND (? = 0 OR issued_at < ? OR"
                            " (issued_at = ? AND (issuer > ? OR (issuer = ? AND seq < ?))))"
                            " ORDER BY issued_at DESC, issuer, seq DESC LIMIT ?",
                            "ssssiiissii", seller ? seller : "", seller ? seller : "",
                            issuer ? issuer : "", issuer ? issuer : "", (int64_t)(after != NULL),
                            at, at, iss, iss, seq, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == (size_t)limit) {
            *more = true;
            break;
        }
        read_head(q, a, &(*out)[(*n)++]);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if ((rc = load_lines(s, a, &(*out)[i], err)) != HC_OK)
            return rc;
    if (*more) {
        const struct hc_invoice *last = &(*out)[*n - 1];
        next->issued_at = last->issued_at;
        next->seq = last->seq;
        hc_strlcpy(next->issuer, last->issuer, sizeof(next->issuer));
    }
    return HC_OK;
}

int hc_invoice_list(hc_store *s, hc_arena *a, const char *seller, const char *issuer,
                    int limit, struct hc_invoice **out, size_t *n, hc_err *err)
{
    HC_ASSERT(limit >= 1 && limit <= 1000);
    *out = hc_arena_alloc(a, (size_t)limit * sizeof(**out));
    *n = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " INVOICE_COLS " FROM invoices WHERE (? = '' OR seller = ?)"
                            " AND (? = '' OR issuer = ?) ORDER BY issued_at DESC, issuer, seq DESC"
                            " LIMIT ?",
                            "ssssi", seller ? seller : "", seller ? seller : "",
                            issuer ? issuer : "", issuer ? issuer : "", (int64_t)limit);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)limit)
        read_head(q, a, &(*out)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if ((rc = load_lines(s, a, &(*out)[i], err)) != HC_OK)
            return rc;
    return HC_OK;
}

static struct hc_receivable *recv_of(hc_arena *a, struct hc_receivable **rows, size_t *n,
                                     size_t *cap, const char *seller, const char *currency)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*rows)[i].seller, seller) == 0 && strcmp((*rows)[i].currency, currency) == 0)
            return &(*rows)[i];
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct hc_receivable *r = hc_arena_alloc(a, ncap * sizeof(*r));
        if (*n)
            memcpy(r, *rows, *n * sizeof(*r));
        *rows = r;
        *cap = ncap;
    }
    struct hc_receivable *r = &(*rows)[(*n)++];
    r->seller = hc_arena_strdup(a, seller);
    r->currency = hc_arena_strdup(a, currency);
    return r;
}

int hc_receivables(hc_store *s, hc_arena *a, const char *warehouse, const char *month,
                   struct hc_receivable **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    int64_t from = 0, to = INT64_MAX;
    char rev[HC_ACCOUNT_MAX], pass[HC_ACCOUNT_MAX];
    int rc = month ? hc_month_range(month, &from, &to, err) : HC_OK;
    if (rc == HC_OK)
        rc = charge_accounts(warehouse, rev, pass, err);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT seller, currency, SUM(minor) FROM money_postings WHERE account IN"
                        " (?, ?) AND at >= ? AND at < ? GROUP BY seller, currency",
                        "ssii", rev, pass, from, to);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        recv_of(a, out, n, &cap, hc_stmt_text(q, 0), hc_stmt_text(q, 1))->charged =
            -hc_stmt_int(q, 2);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = hc_store_query(s, err, &q,
                        "SELECT i.seller, l.currency, SUM(l.amount) FROM invoices i JOIN"
                        " invoice_lines l ON l.issuer = i.issuer AND l.seq = i.seq WHERE"
                        " i.issuer = ? AND (? = '' OR i.month = ?) GROUP BY i.seller, l.currency",
                        "sss", warehouse, month ? month : "", month ? month : "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        recv_of(a, out, n, &cap, hc_stmt_text(q, 0), hc_stmt_text(q, 1))->invoiced =
            hc_stmt_int(q, 2);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < *n; i++)
        (*out)[i].uninvoiced = (*out)[i].charged - (*out)[i].invoiced;
    return HC_OK;
}

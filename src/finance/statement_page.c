/* statement_page.c: one page of a seller's monthly statement (see
 * hc_statement_page in finance.h). The totals and the counts by type come
 * from aggregates over the month, the page's lines from a keyset scan of
 * the wallet's postings by (at, seq), and their running balances start from
 * the opening plus everything of the month before the page: the same
 * figures as hc_statement_build, without holding the month's lines. */
#include "finance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

int hc_statement_cursor_parse(const char *s, struct hc_statement_cursor *c)
{
    char at[24];
    const char *dot = s ? strchr(s, '.') : NULL;
    if (dot == NULL || (size_t)(dot - s) >= sizeof(at))
        return HC_EINVAL;
    memcpy(at, s, (size_t)(dot - s));
    at[dot - s] = '\0';
    if (hc_parse_i64(at, 0, INT64_MAX, &c->at) != HC_OK ||
        hc_parse_i64(dot + 1, 0, INT64_MAX, &c->seq) != HC_OK)
        return HC_EINVAL;
    return HC_OK;
}

static struct hc_statement_total *total_of(hc_arena *a, struct hc_statement *st,
                                           const char *currency)
{
    for (size_t i = 0; i < st->ntotals; i++)
        if (strcmp(st->totals[i].currency, currency) == 0)
            return &st->totals[i];
    /* currencies come in order from the aggregates; a few per seller */
    struct hc_statement_total *t = hc_arena_alloc(a, (st->ntotals + 1) * sizeof(*t));
    if (st->ntotals)
        memcpy(t, st->totals, st->ntotals * sizeof(*t));
    st->totals = t;
    t = &st->totals[st->ntotals++];
    t->currency = hc_arena_strdup(a, currency);
    return t;
}

/* Opening balances, then the month by currency and cause kind. */
static int month_totals(hc_store *s, hc_arena *a, const char *account, struct hc_statement *st,
                        hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT currency, SUM(minor) FROM money_postings WHERE account = ?"
                            " AND at < ? GROUP BY currency ORDER BY currency",
                            "si", account, st->from_ms);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        total_of(a, st, hc_stmt_text(q, 0))->opening = -hc_stmt_int(q, 1);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    /* a line's amount is -minor: credits are the negative minors */
    rc = hc_store_query(s, err, &q,
                        "SELECT currency, cause_kind, COUNT(*), SUM(CASE WHEN minor < 0 THEN"
                        " -minor ELSE 0 END), SUM(CASE WHEN minor > 0 THEN -minor ELSE 0 END)"
                        " FROM money_postings WHERE account = ? AND at >= ? AND at < ?"
                        " GROUP BY currency, cause_kind ORDER BY currency, cause_kind",
                        "sii", account, st->from_ms, st->to_ms);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (st->nkinds == cap) {
            cap = cap ? cap * 2 : 8;
            struct hc_statement_kind *k = hc_arena_alloc(a, cap * sizeof(*k));
            if (st->nkinds)
                memcpy(k, st->kinds, st->nkinds * sizeof(*k));
            st->kinds = k;
        }
        struct hc_statement_kind *k = &st->kinds[st->nkinds++];
        struct hc_statement_total *t = total_of(a, st, hc_stmt_text(q, 0));
        k->currency = t->currency;
        k->cause_kind = hc_arena_strdup(a, hc_stmt_text(q, 1));
        k->lines = hc_stmt_int(q, 2);
        int64_t credits = hc_stmt_int(q, 3), debits = hc_stmt_int(q, 4);
        k->amount = credits + debits;
        t->lines += k->lines;
        t->credits += credits;
        t->debits += debits;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < st->ntotals; i++) {
        struct hc_statement_total *t = &st->totals[i];
        t->closing = t->opening + t->credits + t->debits;
    }
    /* totals by currency (opening-only currencies may have come first) */
    for (size_t i = 1; i < st->ntotals; i++)
        for (size_t j = i; j > 0 && strcmp(st->totals[j - 1].currency,
                                           st->totals[j].currency) > 0; j--) {
            struct hc_statement_total x = st->totals[j];
            st->totals[j] = st->totals[j - 1];
            st->totals[j - 1] = x;
        }
    return HC_OK;
}

/* bal[i]: the balance in totals[i]'s currency just after `after` (the
 * opening, plus the month up to and with it); the opening without one. */
static int balances_before(hc_store *s, const char *account, const struct hc_statement *st,
                           const struct hc_statement_cursor *after, int64_t *bal, hc_err *err)
{
    for (size_t i = 0; i < st->ntotals; i++)
        bal[i] = st->totals[i].opening;
    if (after == NULL)
        return HC_OK;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT currency, SUM(minor) FROM money_postings WHERE account = ?"
                            " AND at >= ? AND at < ? AND (at < ? OR (at = ? AND seq <= ?))"
                            " GROUP BY currency",
                            "siiiii", account, st->from_ms, st->to_ms, after->at, after->at,
                            after->seq);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        for (size_t i = 0; i < st->ntotals; i++)
            if (strcmp(st->totals[i].currency, hc_stmt_text(q, 0)) == 0)
                bal[i] -= hc_stmt_int(q, 1);
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static void read_line(hc_stmt *q, hc_arena *a, struct hc_statement_line *l)
{
    l->seq = hc_stmt_int(q, 0);
    l->at = hc_stmt_int(q, 1);
    l->amount = -hc_stmt_int(q, 2);
    l->entry = hc_arena_strdup(a, hc_stmt_text(q, 3));
    l->currency = hc_arena_strdup(a, hc_stmt_text(q, 4));
    l->cause_kind = hc_arena_strdup(a, hc_stmt_text(q, 5));
    l->cause_id = hc_arena_strdup(a, hc_stmt_text(q, 6));
    l->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 7));
    l->memo = hc_arena_strdup(a, hc_stmt_text(q, 8));
    l->fx_rate = hc_arena_strdup(a, hc_stmt_text(q, 9));
    l->fx_day = hc_arena_strdup(a, hc_stmt_text(q, 10));
}

static int page_lines(hc_store *s, hc_arena *a, const char *account, struct hc_statement *st,
                      const struct hc_statement_cursor *after, int limit,
                      struct hc_statement_cursor *next, bool *more, hc_err *err)
{
    hc_stmt *q;
    int64_t at = after ? after->at : -1, seq = after ? after->seq : -1;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seq, at, minor, entry, currency, cause_kind, cause_id,"
                            " warehouse, memo, fx_rate, fx_day FROM money_postings WHERE"
                            " account = ? AND at >= ? AND at < ? AND (at > ? OR (at = ? AND"
                            " seq > ?)) ORDER BY at, seq LIMIT ?",
                            "siiiiii", account, st->from_ms, st->to_ms, at, at, seq,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    st->lines = hc_arena_alloc(a, (size_t)limit * sizeof(*st->lines));
    *more = false;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (st->nlines == (size_t)limit) {
            *more = true;
            break;
        }
        read_line(q, a, &st->lines[st->nlines++]);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    if (*more) {
        next->at = st->lines[st->nlines - 1].at;
        next->seq = st->lines[st->nlines - 1].seq;
    }
    return HC_OK;
}

int hc_statement_page(hc_store *s, hc_arena *a, const char *seller, const char *month,
                      int64_t now_ms, const struct hc_statement_cursor *after, int limit,
                      struct hc_statement *out, struct hc_statement_cursor *next, bool *more,
                      hc_err *err)
{
    HC_ASSERT(limit >= 1 && limit <= 1000);
    memset(out, 0, sizeof(*out));
    *more = false;
    int64_t from, to;
    int rc = hc_month_closed(month, now_ms, &from, &to, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_seller_exists(s, seller, err)) {
        if (err->code != HC_ENOTFOUND && err->code != HC_OK)
            return err->code;
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
    }
    char account[HC_ACCOUNT_MAX];
    if (hc_money_account(account, sizeof(account), "seller", seller, "wallet") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "seller", "not a seller code");
    out->seller = hc_arena_strdup(a, seller);
    out->month = hc_arena_strdup(a, month);
    out->from_ms = from;
    out->to_ms = to;
    if ((rc = month_totals(s, a, account, out, err)) != HC_OK ||
        (rc = page_lines(s, a, account, out, after, limit, next, more, err)) != HC_OK)
        return rc;
    int64_t *bal = hc_arena_alloc(a, (out->ntotals + 1) * sizeof(*bal));
    if ((rc = balances_before(s, account, out, after, bal, err)) != HC_OK)
        return rc;
    for (size_t i = 0; i < out->nlines; i++) {
        struct hc_statement_line *l = &out->lines[i];
        size_t t = 0;
        while (t < out->ntotals && strcmp(out->totals[t].currency, l->currency) != 0)
            t++;
        if (t == out->ntotals) /* a posting booked between the reads */
            return hc_err_set(err, HC_EUNAVAILABLE, "", "the statement changed while read");
        bal[t] += l->amount;
        l->balance = bal[t];
    }
    return HC_OK;
}

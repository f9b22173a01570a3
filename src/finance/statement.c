/* statement.c: a seller's monthly statement, computed from the wallet's
 * postings (see finance.h): one aggregate for the opening balances, one
 * ordered scan of the month's lines. Months are Beijing calendar months. */
#include "finance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"

int hc_month_range(const char *month, int64_t *from_ms, int64_t *to_ms, hc_err *err)
{
    int64_t y, m;
    char ys[5], ms[3];
    if (month == NULL || strlen(month) != HC_MONTH_LEN || month[4] != '-' ||
        !hc_all_digits(month, 4) || !hc_all_digits(month + 5, 2))
        return hc_err_set(err, HC_EINVAL, "month", "must be YYYY-MM");
    memcpy(ys, month, 4);
    ys[4] = '\0';
    memcpy(ms, month + 5, 2);
    ms[2] = '\0';
    if (hc_parse_i64(ys, 1970, 9999, &y) != HC_OK || hc_parse_i64(ms, 1, 12, &m) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "month", "must be YYYY-MM (1970-01 to 9999-12)");
    struct tm a = {.tm_year = (int)y - 1900, .tm_mon = (int)m - 1, .tm_mday = 1};
    struct tm b = {.tm_year = (int)y - 1900, .tm_mon = (int)m, .tm_mday = 1};
    *from_ms = hc_time_from_beijing(&a);
    *to_ms = hc_time_from_beijing(&b);
    return HC_OK;
}

int hc_month_closed(const char *month, int64_t now_ms, int64_t *from_ms, int64_t *to_ms,
                    hc_err *err)
{
    int rc = hc_month_range(month, from_ms, to_ms, err);
    if (rc != HC_OK)
        return rc;
    if (*to_ms > now_ms)
        return hc_err_set(err, HC_ECONFLICT, "month",
                          "%s has not ended yet (Beijing time); a month is stated once it is over",
                          month);
    return HC_OK;
}

/* A few short strings repeat on every line (currency, cause kind,
 * warehouse): kept once. */
struct intern {
    const char *s[64];
    size_t n;
};

static const char *intern(hc_arena *a, struct intern *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->s[i], s) == 0)
            return t->s[i];
    const char *c = hc_arena_strdup(a, s);
    if (t->n < sizeof(t->s) / sizeof(t->s[0]))
        t->s[t->n++] = c;
    return c;
}

static struct hc_statement_total *total_of(hc_arena *a, struct hc_statement *st, size_t *cap,
                                           const char *currency)
{
    for (size_t i = 0; i < st->ntotals; i++)
        if (strcmp(st->totals[i].currency, currency) == 0)
            return &st->totals[i];
    if (st->ntotals == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        struct hc_statement_total *t = hc_arena_alloc(a, ncap * sizeof(*t));
        if (st->ntotals)
            memcpy(t, st->totals, st->ntotals * sizeof(*t));
        st->totals = t;
        *cap = ncap;
    }
    struct hc_statement_total *t = &st->totals[st->ntotals++];
    memset(t, 0, sizeof(*t));
    t->currency = currency;
    return t;
}

static int by_currency(const void *x, const void *y)
{
    return strcmp(((const struct hc_statement_total *)x)->currency,
                  ((const struct hc_statement_total *)y)->currency);
}

static int by_kind(const void *x, const void *y)
{
    const struct hc_statement_kind *a = x, *b = y;
    int c = strcmp(a->currency, b->currency);
    return c ? c : strcmp(a->cause_kind, b->cause_kind);
}

int hc_statement_build(hc_store *s, hc_arena *a, const char *seller, const char *month,
                       int64_t now_ms, struct hc_statement *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
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
    if ((rc = hc_money_account(account, sizeof(account), "seller", seller, "wallet")) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "seller", "not a seller code");
    out->seller = hc_arena_strdup(a, seller);
    out->month = hc_arena_strdup(a, month);
    out->from_ms = from;
    out->to_ms = to;

    struct intern names = {0};
    size_t tcap = 0;
    hc_stmt *q;
    /* opening: everything booked before the month (stored minor negated:
     * the wallet is credit-normal) */
    rc = hc_store_query(s, err, &q,
                        "SELECT currency, SUM(minor) FROM money_postings WHERE account = ?"
                        " AND at < ? GROUP BY currency",
                        "si", account, from);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_statement_total *t =
            total_of(a, out, &tcap, intern(a, &names, hc_stmt_text(q, 0)));
        t->opening = -hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;

    /* the month's lines, oldest first; storage days are booked at their day */
    size_t cap = 0;
    rc = hc_store_query(s, err, &q,
                        "SELECT seq, at, minor, entry, currency, cause_kind, cause_id, warehouse,"
                        " memo, fx_rate, fx_day FROM money_postings WHERE account = ? AND at >= ?"
                        " AND at < ? ORDER BY at, seq",
                        "sii", account, from, to);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (out->nlines == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct hc_statement_line *l = hc_arena_alloc(a, ncap * sizeof(*l));
            if (out->nlines)
                memcpy(l, out->lines, out->nlines * sizeof(*l));
            out->lines = l;
            cap = ncap;
        }
        struct hc_statement_line *l = &out->lines[out->nlines++];
        l->seq = hc_stmt_int(q, 0);
        l->at = hc_stmt_int(q, 1);
        l->amount = -hc_stmt_int(q, 2);
        l->entry = hc_arena_strdup(a, hc_stmt_text(q, 3));
        l->currency = intern(a, &names, hc_stmt_text(q, 4));
        l->cause_kind = intern(a, &names, hc_stmt_text(q, 5));
        l->cause_id = hc_arena_strdup(a, hc_stmt_text(q, 6));
        l->warehouse = intern(a, &names, hc_stmt_text(q, 7));
        l->memo = *hc_stmt_text(q, 8) ? hc_arena_strdup(a, hc_stmt_text(q, 8)) : "";
        l->fx_rate = *hc_stmt_text(q, 9) ? hc_arena_strdup(a, hc_stmt_text(q, 9)) : "";
        l->fx_day = *hc_stmt_text(q, 10) ? hc_arena_strdup(a, hc_stmt_text(q, 10)) : "";
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;

    /* running balances and totals in one pass */
    for (size_t i = 0; i < out->ntotals; i++)
        out->totals[i].closing = out->totals[i].opening;
    size_t kcap = 0;
    for (size_t i = 0; i < out->nlines; i++) {
        struct hc_statement_line *l = &out->lines[i];
        struct hc_statement_total *t = total_of(a, out, &tcap, l->currency);
        if (l->amount > 0)
            t->credits += l->amount;
        else
            t->debits += l->amount;
        t->closing += l->amount;
        t->lines++;
        l->balance = t->closing;
        struct hc_statement_kind *k = NULL;
        for (size_t j = 0; j < out->nkinds && k == NULL; j++)
            if (strcmp(out->kinds[j].currency, l->currency) == 0 &&
                strcmp(out->kinds[j].cause_kind, l->cause_kind) == 0)
                k = &out->kinds[j];
        if (k == NULL) {
            if (out->nkinds == kcap) {
                size_t ncap = kcap ? kcap * 2 : 8;
                struct hc_statement_kind *nk = hc_arena_alloc(a, ncap * sizeof(*nk));
                if (out->nkinds)
                    memcpy(nk, out->kinds, out->nkinds * sizeof(*nk));
                out->kinds = nk;
                kcap = ncap;
            }
            k = &out->kinds[out->nkinds++];
            k->currency = l->currency;
            k->cause_kind = l->cause_kind;
        }
        k->lines++;
        k->amount += l->amount;
    }
    if (out->ntotals > 1)
        qsort(out->totals, out->ntotals, sizeof(*out->totals), by_currency);
    if (out->nkinds > 1)
        qsort(out->kinds, out->nkinds, sizeof(*out->kinds), by_kind);
    return HC_OK;
}

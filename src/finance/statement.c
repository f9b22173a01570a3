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
 * warehouse): kept once. The last one found is tried first. */
struct intern {
    const char *s[64];
    size_t n, last;
};

static const char *intern(hc_arena *a, struct intern *t, const char *s)
{
    if (t->n > 0 && strcmp(t->s[t->last], s) == 0)
        return t->s[t->last];
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->s[i], s) == 0)
            return t->s[t->last = i];
    const char *c = hc_arena_strdup(a, s);
    if (t->n < sizeof(t->s) / sizeof(t->s[0]))
        t->s[t->last = t->n++] = c;
    return c;
}

/* The other strings of the lines, packed end to end in slabs of the arena
 * (one allocation per slab, not per string). */
struct slab {
    char *p;
    size_t left;
};
#define SLAB_BYTES ((size_t)1 << 20)

static const char *keep(hc_arena *a, struct slab *sl, const char *s)
{
    if (*s == '\0')
        return "";
    size_t n = strlen(s) + 1;
    if (n > sl->left) {
        size_t size = n > SLAB_BYTES ? n : SLAB_BYTES;
        sl->p = hc_arena_alloc(a, size);
        sl->left = size;
    }
    char *c = sl->p;
    memcpy(c, s, n);
    sl->p += n;
    sl->left -= n;
    return c;
}

/* The month's lines as read, in blocks (malloc'd) so that a million lines
 * are not copied at each doubling; joined into one arena array at the end. */
#define BLOCK_LINES 65536
struct blocks {
    struct hc_statement_line **b;
    size_t nb, cap, n;
};

static struct hc_statement_line *next_line(struct blocks *bl)
{
    if (bl->n == bl->nb * BLOCK_LINES) {
        if (bl->nb == bl->cap) {
            size_t cap = bl->cap ? bl->cap * 2 : 16;
            struct hc_statement_line **b = realloc(bl->b, cap * sizeof(*b));
            if (b == NULL)
                return NULL;
            bl->b = b;
            bl->cap = cap;
        }
        if ((bl->b[bl->nb] = malloc(BLOCK_LINES * sizeof(**bl->b))) == NULL)
            return NULL;
        bl->nb++;
    }
    struct hc_statement_line *l = &bl->b[bl->n / BLOCK_LINES][bl->n % BLOCK_LINES];
    bl->n++;
    return l;
}

static void blocks_join(hc_arena *a, struct blocks *bl, struct hc_statement *out)
{
    out->nlines = bl->n;
    out->lines = bl->n ? hc_arena_alloc(a, bl->n * sizeof(*out->lines)) : NULL;
    for (size_t i = 0; i < bl->nb; i++) {
        size_t k = bl->n - i * BLOCK_LINES < BLOCK_LINES ? bl->n - i * BLOCK_LINES : BLOCK_LINES;
        memcpy(out->lines + i * BLOCK_LINES, bl->b[i], k * sizeof(*out->lines));
    }
}

static void blocks_free(struct blocks *bl)
{
    for (size_t i = 0; i < bl->nb; i++)
        free(bl->b[i]);
    free(bl->b);
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

static int by_seq(const void *x, const void *y)
{
    int64_t a = ((const struct hc_statement_line *)x)->seq;
    int64_t b = ((const struct hc_statement_line *)y)->seq;
    return a < b ? -1 : a > b;
}

/* Lines read in `at` order: each run of lines at the same instant put in
 * booking order (a run already in order is left as it is). */
static void seq_within_instants(struct hc_statement *out)
{
    for (size_t i = 0; i < out->nlines;) {
        size_t j = i + 1;
        bool sorted = true;
        while (j < out->nlines && out->lines[j].at == out->lines[i].at) {
            sorted = sorted && out->lines[j].seq > out->lines[j - 1].seq;
            j++;
        }
        if (!sorted)
            qsort(out->lines + i, j - i, sizeof(*out->lines), by_seq);
        i = j;
    }
}

static bool same(const char *x, const char *y)
{
    return x == y || strcmp(x, y) == 0; /* interned: mostly the same pointer */
}

static struct hc_statement_kind *kind_of(hc_arena *a, struct hc_statement *out, size_t *cap,
                                         const struct hc_statement_line *l)
{
    for (size_t j = 0; j < out->nkinds; j++)
        if (same(out->kinds[j].cause_kind, l->cause_kind) &&
            same(out->kinds[j].currency, l->currency))
            return &out->kinds[j];
    if (out->nkinds == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct hc_statement_kind *nk = hc_arena_alloc(a, ncap * sizeof(*nk));
        if (out->nkinds)
            memcpy(nk, out->kinds, out->nkinds * sizeof(*nk));
        out->kinds = nk;
        *cap = ncap;
    }
    struct hc_statement_kind *k = &out->kinds[out->nkinds++];
    k->currency = l->currency;
    k->cause_kind = l->cause_kind;
    return k;
}

/* Running balances, totals per currency and per cause kind, in one pass. */
static void sum_lines(hc_arena *a, struct hc_statement *out, size_t *tcap)
{
    for (size_t i = 0; i < out->ntotals; i++)
        out->totals[i].closing = out->totals[i].opening;
    size_t kcap = 0;
    struct hc_statement_total *t = NULL;
    struct hc_statement_kind *k = NULL;
    for (size_t i = 0; i < out->nlines; i++) {
        struct hc_statement_line *l = &out->lines[i];
        if (t == NULL || !same(t->currency, l->currency))
            t = total_of(a, out, tcap, l->currency);
        if (l->amount > 0)
            t->credits += l->amount;
        else
            t->debits += l->amount;
        t->closing += l->amount;
        t->lines++;
        l->balance = t->closing;
        if (k == NULL || !same(k->cause_kind, l->cause_kind) || !same(k->currency, l->currency))
            k = kind_of(a, out, &kcap, l);
        k->lines++;
        k->amount += l->amount;
    }
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

    /* the month's lines, oldest first; storage days are booked at their day.
     * By `at` only, in the order of the index on (account, at): lines of the
     * same instant are put in booking order (seq) below, which costs nothing
     * where they already are, while "ORDER BY at, seq" makes SQLite sort
     * every run of equal `at` (a third of the scan's time at 1M lines). */
    rc = hc_store_query(s, err, &q,
                        "SELECT seq, at, minor, entry, currency, cause_kind, cause_id, warehouse,"
                        " memo, fx_rate, fx_day FROM money_postings WHERE account = ? AND at >= ?"
                        " AND at < ? ORDER BY at",
                        "sii", account, from, to);
    if (rc != HC_OK)
        return rc;
    struct blocks bl = {0};
    struct slab text = {0};
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_statement_line *l = next_line(&bl);
        if (l == NULL) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory for the statement's lines");
            break;
        }
        l->seq = hc_stmt_int(q, 0);
        l->at = hc_stmt_int(q, 1);
        l->amount = -hc_stmt_int(q, 2);
        l->balance = 0;
        l->entry = keep(a, &text, hc_stmt_text(q, 3));
        l->currency = intern(a, &names, hc_stmt_text(q, 4));
        l->cause_kind = intern(a, &names, hc_stmt_text(q, 5));
        l->cause_id = keep(a, &text, hc_stmt_text(q, 6));
        l->warehouse = intern(a, &names, hc_stmt_text(q, 7));
        l->memo = keep(a, &text, hc_stmt_text(q, 8));
        l->fx_rate = keep(a, &text, hc_stmt_text(q, 9));
        l->fx_day = keep(a, &text, hc_stmt_text(q, 10));
    }
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        blocks_join(a, &bl, out);
    blocks_free(&bl);
    if (rc != HC_DONE)
        return rc;
    seq_within_instants(out);

    sum_lines(a, out, &tcap);
    if (out->ntotals > 1)
        qsort(out->totals, out->ntotals, sizeof(*out->totals), by_currency);
    if (out->nkinds > 1)
        qsort(out->kinds, out->nkinds, sizeof(*out->kinds), by_kind);
    return HC_OK;
}

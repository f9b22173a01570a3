/* money.c: the money half of the journal: entries of balanced lines in
 * minor units, postings by account, balances per account and currency kept
 * in the caller's transaction, and the verify that proves them. */
#include "ledger.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CODE_MAX 32
#define ACTOR_MAX 64
#define CAUSE_ID_MAX 64
#define MEMO_MAX 200
#define IDEM_MAX 255

static const char *const causes[] = {
    HC_CAUSE_JOURNAL, HC_CAUSE_ORDER,   HC_CAUSE_INBOUND, HC_CAUSE_RETURN,
    HC_CAUSE_SHIPMENT, HC_CAUSE_STORAGE, HC_CAUSE_SERVICE, HC_CAUSE_TOPUP,
    HC_CAUSE_FX,      HC_CAUSE_CORRECTION,
};

/* Account kinds and their normal side (+1 debit, -1 credit). */
static const struct {
    const char *kind;
    int normal;
} kinds[] = {
    {"wallet", -1}, {"receipts", 1}, {"receivable", 1}, {"revenue", -1}, {"passthrough", -1},
    {"fx", 1},
};

bool hc_money_cause_valid(const char *kind)
{
    for (size_t i = 0; kind && i < HC_ARRAY_LEN(causes); i++)
        if (strcmp(kind, causes[i]) == 0)
            return true;
    return false;
}

static bool code_valid(const char *p, size_t n)
{
    if (n == 0 || n > CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; i < HC_ARRAY_LEN(kinds); i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return (int)i;
    return -1;
}

bool hc_money_account_owner(const char *account, char *kind, size_t ksize, char *code,
                            size_t csize)
{
    if (account == NULL || strlen(account) >= HC_ACCOUNT_MAX)
        return false;
    const char *rest;
    const char *owner;
    if (strncmp(account, "seller/", 7) == 0) {
        owner = "seller";
        rest = account + 7;
    } else if (strncmp(account, "wh/", 3) == 0) {
        owner = "wh";
        rest = account + 3;
    } else {
        return false;
    }
    const char *slash = strchr(rest, '/');
    if (slash == NULL || !code_valid(rest, (size_t)(slash - rest)) ||
        kind_index(slash + 1) < 0)
        return false;
    if (kind && hc_strlcpy(kind, owner, ksize) >= ksize)
        return false;
    if (code) {
        size_t n = (size_t)(slash - rest);
        if (n >= csize)
            return false;
        memcpy(code, rest, n);
        code[n] = '\0';
    }
    return true;
}

bool hc_money_account_valid(const char *account)
{
    return hc_money_account_owner(account, NULL, 0, NULL, 0);
}

int hc_money_account_normal(const char *account)
{
    const char *k = account ? strrchr(account, '/') : NULL;
    int i = k ? kind_index(k + 1) : -1;
    return i < 0 ? 1 : kinds[i].normal;
}

int hc_money_account(char *buf, size_t size, const char *owner, const char *code,
                     const char *kind)
{
    int n = snprintf(buf, size, "%s/%s/%s", owner, code, kind);
    if (n < 0 || (size_t)n >= size || !hc_money_account_valid(buf))
        return hc_err_set(NULL, HC_EINVAL, "account", "not an account");
    return HC_OK;
}

int hc_money_validate(const struct hc_money_entry *e, hc_err *err)
{
    HC_ASSERT(e != NULL);
    if (e->nlines < 2 || e->nlines > HC_MONEY_LINES_MAX || e->lines == NULL)
        return hc_err_set(err, HC_EINVAL, "lines", "an entry has 2 to %d lines",
                          HC_MONEY_LINES_MAX);
    if (!hc_money_cause_valid(e->cause_kind))
        return hc_err_set(err, HC_EINVAL, "cause_kind", "unknown cause %s",
                          e->cause_kind ? e->cause_kind : "(none)");
    if (e->cause_id == NULL || e->cause_id[0] == '\0' || strlen(e->cause_id) > CAUSE_ID_MAX)
        return hc_err_set(err, HC_EINVAL, "cause_id", "1 to %d characters", CAUSE_ID_MAX);
    if (e->actor && strlen(e->actor) > ACTOR_MAX)
        return hc_err_set(err, HC_EINVAL, "actor", "at most %d characters", ACTOR_MAX);
    if (e->idem_key && strlen(e->idem_key) > IDEM_MAX)
        return hc_err_set(err, HC_EINVAL, "idempotency_key", "at most %d characters", IDEM_MAX);
    if (e->seller && e->seller[0] && !code_valid(e->seller, strlen(e->seller)))
        return hc_err_set(err, HC_EINVAL, "seller", "not a seller code");
    if (e->warehouse && e->warehouse[0] && !code_valid(e->warehouse, strlen(e->warehouse)))
        return hc_err_set(err, HC_EINVAL, "warehouse", "not a warehouse code");
    /* debits - credits per currency; at most nlines currencies */
    const char *cur[HC_MONEY_LINES_MAX];
    __int128 sum[HC_MONEY_LINES_MAX];
    size_t ncur = 0;
    char field[48];
    for (size_t i = 0; i < e->nlines; i++) {
        const struct hc_money_line *l = &e->lines[i];
        if (!hc_money_account_valid(l->account)) {
            snprintf(field, sizeof(field), "lines[%zu].account", i);
            return hc_err_set(err, HC_EINVAL, field, "not an account (seller/<code>/<kind> or"
                              " wh/<code>/<kind>)");
        }
        if (l->currency == NULL || strlen(l->currency) != 3 || hc_currency_scale(l->currency) < 0) {
            snprintf(field, sizeof(field), "lines[%zu].currency", i);
            return hc_err_set(err, HC_EINVAL, field, "not an ISO 4217 currency");
        }
        if (l->minor == 0 || l->minor == INT64_MIN) {
            snprintf(field, sizeof(field), "lines[%zu].minor", i);
            return hc_err_set(err, HC_EINVAL, field, "a line moves a non-zero amount");
        }
        if ((l->memo && strlen(l->memo) > MEMO_MAX) ||
            (l->fx_rate && strlen(l->fx_rate) >= 24) || (l->fx_day && strlen(l->fx_day) > 10)) {
            snprintf(field, sizeof(field), "lines[%zu].memo", i);
            return hc_err_set(err, HC_EINVAL, field, "too long");
        }
        size_t k = 0;
        while (k < ncur && strcmp(cur[k], l->currency) != 0)
            k++;
        if (k == ncur) {
            cur[ncur] = l->currency;
            sum[ncur++] = 0;
        }
        sum[k] += l->minor;
    }
    for (size_t k = 0; k < ncur; k++)
        if (sum[k] != 0)
            return hc_err_set(err, HC_EINVAL, "lines",
                              "debits and credits differ in %s by %lld minor units", cur[k],
                              (long long)sum[k]);
    return HC_OK;
}

static int balance_add(hc_store *s, const char *account, const char *currency, int64_t minor,
                       hc_err *err)
{
    const char *sql =
        hc_store_dialect(s) == HC_MYSQL
            ? "INSERT INTO money_balances (account, currency, balance) VALUES (?, ?, ?)"
              " ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance)"
            : "INSERT INTO money_balances (account, currency, balance) VALUES (?, ?, ?)"
              " ON CONFLICT (account, currency) DO UPDATE SET balance = balance + excluded.balance";
    return hc_store_run(s, err, NULL, sql, "ssi", account, currency, minor);
}

int hc_money_post(hc_store *s, const struct hc_money_entry *e, struct hc_money_posted *out,
                  hc_err *err)
{
    HC_ASSERT(out != NULL);
    memset(out, 0, sizeof(*out));
    int rc = hc_money_validate(e, err);
    if (rc != HC_OK)
        return rc;
    const char *idem = e->idem_key && e->idem_key[0] ? e->idem_key : NULL;
    if (idem) {
        hc_stmt *q;
        if ((rc = hc_store_query(s, err, &q, "SELECT id FROM money_entries WHERE idem_key = ?",
                                 "s", idem)) != HC_OK)
            return rc;
        if ((rc = hc_stmt_step(q, err)) == HC_ROW)
            hc_strlcpy(out->id, hc_stmt_text(q, 0), sizeof(out->id));
        hc_stmt_reset(q);
        if (rc == HC_ROW) {
            out->replayed = true;
            return HC_OK;
        }
        if (rc != HC_DONE)
            return rc;
    }
    hc_id_format("mny", hc_id_next(), out->id, sizeof(out->id));
    int64_t at = e->at > 0 ? e->at : hc_now_ms();
    const char *actor = e->actor ? e->actor : "";
    const char *seller = e->seller ? e->seller : "", *wh = e->warehouse ? e->warehouse : "";
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO money_entries (id, at, actor, idem_key, cause_kind, cause_id,"
                      " seller, warehouse, nlines) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "sissssssi", out->id, at, actor, idem, e->cause_kind, e->cause_id,
                      seller, wh, (int64_t)e->nlines);
    if (rc != HC_OK)
        return rc;
    for (size_t i = 0; i < e->nlines && rc == HC_OK; i++) {
        const struct hc_money_line *l = &e->lines[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO money_postings (account, seq, entry, line, at, currency,"
                          " minor, seller, warehouse, actor, cause_kind, cause_id, fx_rate, fx_day,"
                          " memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sisiisissssssss", l->account, hc_id_next(), out->id, (int64_t)i, at,
                          l->currency, l->minor, seller, wh, actor, e->cause_kind, e->cause_id,
                          l->fx_rate ? l->fx_rate : "", l->fx_day ? l->fx_day : "",
                          l->memo ? l->memo : "");
        if (rc == HC_OK)
            rc = balance_add(s, l->account, l->currency, l->minor, err);
    }
    return rc;
}

int hc_money_balance(hc_store *s, const char *account, const char *currency, int64_t *out,
                     hc_err *err)
{
    int rc = hc_store_int(s, err, out,
                          "SELECT balance FROM money_balances WHERE account = ? AND currency = ?",
                          "ss", account, currency);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        *out = 0;
        return HC_OK;
    }
    return rc;
}

int hc_money_balances(hc_store *s, hc_arena *a, const char *prefix,
                      struct hc_money_balance_row **rows, size_t *n, hc_err *err)
{
    *rows = NULL;
    *n = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT account, currency, balance FROM money_balances WHERE account"
                            " LIKE ?" HC_LIKE_ESCAPE " ORDER BY account, currency",
                            "s", hc_store_like_prefix(a, prefix ? prefix : ""));
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct hc_money_balance_row *nr = hc_arena_alloc(a, ncap * sizeof(*nr));
            if (cap)
                memcpy(nr, *rows, cap * sizeof(*nr));
            *rows = nr;
            cap = ncap;
        }
        struct hc_money_balance_row *r = &(*rows)[(*n)++];
        r->account = hc_arena_strdup(a, hc_stmt_text(q, 0));
        r->currency = hc_arena_strdup(a, hc_stmt_text(q, 1));
        r->balance = hc_stmt_int(q, 2);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_money_postings(hc_store *s, hc_arena *a, const struct hc_money_filter *f,
                      struct hc_money_posting **rows, size_t *n, int64_t *next, hc_err *err)
{
    HC_ASSERT(f->limit >= 1 && f->limit <= 1000);
    *rows = NULL;
    *n = 0;
    *next = 0;
    char sql[1024];
    const char *args[6];
    int64_t ints[3];
    size_t na = 0, ni = 0;
    int len = snprintf(sql, sizeof(sql),
                       "SELECT seq, entry, account, currency, actor, cause_kind, cause_id, seller,"
                       " warehouse, fx_rate, fx_day, memo, at, minor FROM money_postings WHERE"
                       " seq > ?");
    ints[ni++] = f->after;
    char fmt[16] = "i";
    /* the columns are constants; only values are bound */
    if (f->account) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND account = ?");
        args[na++] = f->account;
        strcat(fmt, "s");
    }
    if (f->seller) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND seller = ?");
        args[na++] = f->seller;
        strcat(fmt, "s");
    }
    if (f->warehouse) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND warehouse = ?");
        args[na++] = f->warehouse;
        strcat(fmt, "s");
    }
    if (f->entry) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND entry = ?");
        args[na++] = f->entry;
        strcat(fmt, "s");
    }
    if (f->from_ms > 0) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND at >= ?");
        ints[ni++] = f->from_ms;
        strcat(fmt, "j");
    }
    if (f->to_ms > 0) {
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND at < ?");
        ints[ni++] = f->to_ms;
        strcat(fmt, "j");
    }
    snprintf(sql + len, sizeof(sql) - (size_t)len, " ORDER BY seq LIMIT %d", f->limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    size_t ia = 0, ii = 0;
    for (size_t i = 0; fmt[i]; i++) {
        if (fmt[i] == 's')
            hc_stmt_bind_text(q, (int)i + 1, args[ia++]);
        else
            hc_stmt_bind_int(q, (int)i + 1, ints[ii++]);
    }
    *rows = hc_arena_alloc(a, (size_t)(f->limit + 1) * sizeof(**rows));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == (size_t)f->limit) {
            *next = (*rows)[*n - 1].seq;
            continue;
        }
        struct hc_money_posting *p = &(*rows)[(*n)++];
        p->seq = hc_stmt_int(q, 0);
        p->entry = hc_arena_strdup(a, hc_stmt_text(q, 1));
        p->account = hc_arena_strdup(a, hc_stmt_text(q, 2));
        p->currency = hc_arena_strdup(a, hc_stmt_text(q, 3));
        p->actor = hc_arena_strdup(a, hc_stmt_text(q, 4));
        p->cause_kind = hc_arena_strdup(a, hc_stmt_text(q, 5));
        p->cause_id = hc_arena_strdup(a, hc_stmt_text(q, 6));
        p->seller = hc_arena_strdup(a, hc_stmt_text(q, 7));
        p->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 8));
        p->fx_rate = hc_arena_strdup(a, hc_stmt_text(q, 9));
        p->fx_day = hc_arena_strdup(a, hc_stmt_text(q, 10));
        p->memo = hc_arena_strdup(a, hc_stmt_text(q, 11));
        p->at = hc_stmt_int(q, 12);
        p->minor = hc_stmt_int(q, 13);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static void money_differ(void (*report)(const char *, void *), void *ctx,
                         struct hc_money_verify_result *res, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void money_differ(void (*report)(const char *, void *), void *ctx,
                        struct hc_money_verify_result *res, const char *fmt, ...)
{
    res->diffs++;
    if (report == NULL)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    report(line, ctx);
}

int hc_money_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                    struct hc_money_verify_result *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = hc_store_int(s, err, &out->entries, "SELECT COUNT(*) FROM money_entries", "");
    if (rc == HC_OK)
        rc = hc_store_int(s, err, &out->postings, "SELECT COUNT(*) FROM money_postings", "");
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    /* every balance row against the sum of its postings */
    rc = hc_store_query(s, err, &q,
                        "SELECT b.account, b.currency, b.balance, (SELECT COALESCE(SUM(p.minor), 0)"
                        " FROM money_postings p WHERE p.account = b.account AND p.currency ="
                        " b.currency) FROM money_balances b ORDER BY b.account, b.currency",
                        "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        out->balance_rows++;
        if (hc_stmt_int(q, 2) != hc_stmt_int(q, 3))
            money_differ(report, ctx, out, "money balance %s %s: stored %lld, postings %lld",
                         hc_stmt_text(q, 0), hc_stmt_text(q, 1), (long long)hc_stmt_int(q, 2),
                         (long long)hc_stmt_int(q, 3));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    /* postings of an account and currency without a balance row */
    rc = hc_store_query(s, err, &q,
                        "SELECT p.account, p.currency, SUM(p.minor) FROM money_postings p"
                        " LEFT JOIN money_balances b ON b.account = p.account AND b.currency ="
                        " p.currency WHERE b.account IS NULL GROUP BY p.account, p.currency",
                        "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        money_differ(report, ctx, out, "money balance %s %s: no balance row, postings %lld",
                     hc_stmt_text(q, 0), hc_stmt_text(q, 1), (long long)hc_stmt_int(q, 2));
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    /* every entry: debits equal credits per currency */
    rc = hc_store_query(s, err, &q,
                        "SELECT entry, currency, SUM(minor) FROM money_postings GROUP BY entry,"
                        " currency HAVING SUM(minor) <> 0",
                        "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        money_differ(report, ctx, out, "money entry %s: debits - credits in %s = %lld",
                     hc_stmt_text(q, 0), hc_stmt_text(q, 1), (long long)hc_stmt_int(q, 2));
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    /* every entry has the lines it was booked with */
    rc = hc_store_query(s, err, &q,
                        "SELECT e.id, e.nlines, (SELECT COUNT(*) FROM money_postings p WHERE"
                        " p.entry = e.id) FROM money_entries e WHERE e.nlines <> (SELECT COUNT(*)"
                        " FROM money_postings p2 WHERE p2.entry = e.id)",
                        "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        money_differ(report, ctx, out, "money entry %s: %lld lines booked, %lld found",
                     hc_stmt_text(q, 0), (long long)hc_stmt_int(q, 1),
                     (long long)hc_stmt_int(q, 2));
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* store.c: generic dispatch over the driver table, the per-connection
 * statement cache, and the small bind-and-run helpers. */
#include "store.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CACHE_SLOTS 256 /* open addressing; more distinct queries than this evict */

struct cache_slot {
    char *sql;
    hc_stmt *st;
};

struct hc_stmt_cache {
    struct cache_slot slot[CACHE_SLOTS];
};

#define DRV(s) (((struct hc_store_base *)(s))->drv)
#define SDRV(st) (((struct hc_stmt_base *)(st))->drv)

int hc_store_open(const char *url, hc_store **out, hc_err *err)
{
    return hc_store_open_opts(url, NULL, out, err);
}

int hc_store_open_opts(const char *url, const struct hc_store_opts *o, hc_store **out,
                       hc_err *err)
{
    static const struct hc_store_opts writer = {HC_ROLE_WRITER, 0};
    const struct hc_store_driver *drv;
    if (strncmp(url, "sqlite:", 7) == 0)
        drv = &hc_sqlite_driver;
    else if (strncmp(url, "mysql://", 8) == 0)
        drv = &hc_mysql_driver;
    else
        return hc_err_set(err, HC_EINVAL, "db", "database URL must start with sqlite: or mysql://");
    int rc = drv->open(url, o ? o : &writer, out, err);
    if (rc != HC_OK)
        return rc;
    ((struct hc_store_base *)*out)->cache = calloc(1, sizeof(struct hc_stmt_cache));
    if (((struct hc_store_base *)*out)->cache == NULL)
        abort();
    return HC_OK;
}

void hc_store_close(hc_store *s)
{
    if (s == NULL)
        return;
    struct hc_stmt_cache *c = ((struct hc_store_base *)s)->cache;
    if (c) {
        for (int i = 0; i < CACHE_SLOTS; i++) {
            if (c->slot[i].st)
                DRV(s)->finalize(c->slot[i].st);
            free(c->slot[i].sql);
        }
        free(c);
    }
    DRV(s)->close(s);
}

int hc_store_dialect(const hc_store *s)
{
    return ((const struct hc_store_base *)s)->drv->dialect;
}

static uint64_t next_tx(void)
{
    static _Atomic uint64_t serial;
    return atomic_fetch_add(&serial, 1) + 1;
}

/* A ROLLBACK (TO SAVEPOINT) inside a transaction may undo what was read in
 * it: the transaction gets a new number. */
static void note_sql(hc_store *s, const char *sql)
{
    struct hc_store_base *b = (struct hc_store_base *)s;
    if (b->tx != 0 && (sql[0] == 'R' || sql[0] == 'r') && strncasecmp(sql, "ROLLBACK", 8) == 0)
        b->tx = next_tx();
}

int hc_store_exec(hc_store *s, const char *sql, hc_err *err)
{
    note_sql(s, sql);
    return DRV(s)->exec(s, sql, err);
}

int hc_store_begin(hc_store *s, hc_err *err)
{
    int rc = DRV(s)->begin(s, err);
    ((struct hc_store_base *)s)->tx = rc == HC_OK ? next_tx() : 0;
    return rc;
}

int hc_store_commit(hc_store *s, hc_err *err)
{
    ((struct hc_store_base *)s)->tx = 0;
    return DRV(s)->commit(s, err);
}

int hc_store_rollback(hc_store *s, hc_err *err)
{
    ((struct hc_store_base *)s)->tx = 0;
    return DRV(s)->rollback(s, err);
}

uint64_t hc_store_tx(const hc_store *s)
{
    return ((const struct hc_store_base *)s)->tx;
}

int hc_store_state(hc_store *s)
{
    return DRV(s)->state ? DRV(s)->state(s) : 0;
}

int hc_store_ready(hc_store *s, hc_err *err)
{
    return DRV(s)->ready(s, err);
}

int hc_store_host(const hc_store *s)
{
    const struct hc_store_driver *d = ((const struct hc_store_base *)s)->drv;
    return d->host ? d->host(s) : 0;
}

bool hc_store_can_pipeline(const hc_store *s)
{
    const struct hc_store_driver *d = ((const struct hc_store_base *)s)->drv;
    return d->nosync_commits && d->checkpoint;
}

int hc_store_nosync_commits(hc_store *s, int *fd, hc_err *err)
{
    if (!hc_store_can_pipeline(s))
        return hc_err_set(err, HC_EINTERNAL, "db", "the %s driver commits durably only", DRV(s)->name);
    return DRV(s)->nosync_commits(s, fd, err);
}

int hc_store_checkpoint(hc_store *s, hc_err *err)
{
    return DRV(s)->checkpoint ? DRV(s)->checkpoint(s, err) : HC_OK;
}

int hc_store_prepare(hc_store *s, const char *sql, hc_stmt **out, hc_err *err)
{
    note_sql(s, sql);
    struct hc_stmt_cache *c = ((struct hc_store_base *)s)->cache;
    /* hash the length and both ends: queries differ there, and long SQL text
     * need not be hashed whole on every call (a hit is confirmed by strcmp) */
    size_t len = strlen(sql);
    uint64_t hv = hc_hash64(sql, len < 48 ? len : 48) ^ (len * 0x9E3779B97F4A7C15ULL);
    if (len > 48)
        hv ^= hc_hash64(sql + len - 48, 48) * 31;
    size_t h = (size_t)hv % CACHE_SLOTS;
    for (int probe = 0; probe < 8; probe++) {
        struct cache_slot *sl = &c->slot[(h + (size_t)probe) % CACHE_SLOTS];
        if (sl->sql && strcmp(sl->sql, sql) == 0) {
            DRV(s)->reset(sl->st);
            *out = sl->st;
            return HC_OK;
        }
        if (sl->sql == NULL)
            break;
    }
    hc_stmt *st;
    int rc = DRV(s)->prepare(s, sql, &st, err);
    if (rc != HC_OK)
        return rc;
    struct cache_slot *sl = NULL;
    for (int probe = 0; probe < 8; probe++) {
        struct cache_slot *cand = &c->slot[(h + (size_t)probe) % CACHE_SLOTS];
        if (cand->sql == NULL) {
            sl = cand;
            break;
        }
    }
    if (sl == NULL) { /* evict the home slot */
        sl = &c->slot[h];
        DRV(s)->finalize(sl->st);
        free(sl->sql);
    }
    sl->sql = strdup(sql);
    if (sl->sql == NULL)
        abort();
    sl->st = st;
    *out = st;
    return HC_OK;
}

int hc_stmt_bind_int(hc_stmt *st, int idx, int64_t v)
{
    return SDRV(st)->bind_int(st, idx, v);
}

int hc_stmt_bind_text(hc_stmt *st, int idx, const char *v)
{
    if (v == NULL)
        return SDRV(st)->bind_null(st, idx);
    return SDRV(st)->bind_text(st, idx, v, strlen(v));
}

int hc_stmt_bind_textn(hc_stmt *st, int idx, const char *v, size_t n)
{
    return SDRV(st)->bind_text(st, idx, v, n);
}

int hc_stmt_bind_null(hc_stmt *st, int idx)
{
    return SDRV(st)->bind_null(st, idx);
}

int hc_stmt_step(hc_stmt *st, hc_err *err)
{
    return SDRV(st)->step(st, err);
}

int hc_stmt_reset(hc_stmt *st)
{
    return SDRV(st)->reset(st);
}

int hc_stmt_is_null(hc_stmt *st, int col)
{
    return SDRV(st)->column_is_null(st, col);
}

int64_t hc_stmt_int(hc_stmt *st, int col)
{
    return SDRV(st)->column_int(st, col);
}

const char *hc_stmt_text(hc_stmt *st, int col)
{
    const char *t = SDRV(st)->column_text(st, col);
    return t ? t : "";
}

int64_t hc_stmt_changes(hc_stmt *st)
{
    return SDRV(st)->changes(st);
}

static int bind_va(hc_stmt *st, const char *fmt, va_list ap)
{
    int idx = 1;
    for (const char *f = fmt; *f; f++, idx++) {
        int rc;
        switch (*f) {
        case 'i':
            rc = hc_stmt_bind_int(st, idx, va_arg(ap, int64_t));
            break;
        case 's':
            rc = hc_stmt_bind_text(st, idx, va_arg(ap, const char *));
            break;
        case 'n':
            rc = hc_stmt_bind_null(st, idx);
            break;
        default:
            return HC_EINTERNAL;
        }
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

int hc_store_run(hc_store *s, hc_err *err, int64_t *changes, const char *sql, const char *fmt,
                 ...)
{
    hc_stmt *st;
    int rc = hc_store_prepare(s, sql, &st, err);
    if (rc != HC_OK)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = bind_va(st, fmt, ap);
    va_end(ap);
    if (rc != HC_OK) {
        hc_err_set(err, HC_EINTERNAL, "", "bind failed for: %.200s", sql);
        goto done;
    }
    rc = hc_stmt_step(st, err);
    if (rc == HC_ROW || rc == HC_DONE) {
        if (changes)
            *changes = hc_stmt_changes(st);
        rc = HC_OK;
    }
done:
    hc_stmt_reset(st);
    return rc;
}

int hc_store_query(hc_store *s, hc_err *err, hc_stmt **out, const char *sql, const char *fmt,
                   ...)
{
    hc_stmt *st;
    int rc = hc_store_prepare(s, sql, &st, err);
    if (rc != HC_OK)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = bind_va(st, fmt, ap);
    va_end(ap);
    if (rc != HC_OK) {
        hc_stmt_reset(st);
        return hc_err_set(err, HC_EINTERNAL, "", "bind failed for: %.200s", sql);
    }
    *out = st;
    return HC_OK;
}

int hc_store_int(hc_store *s, hc_err *err, int64_t *out, const char *sql, const char *fmt, ...)
{
    hc_stmt *st;
    int rc = hc_store_prepare(s, sql, &st, err);
    if (rc != HC_OK)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = bind_va(st, fmt, ap);
    va_end(ap);
    if (rc != HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "bind failed for: %.200s", sql);
        goto done;
    }
    rc = hc_stmt_step(st, err);
    if (rc == HC_ROW) {
        *out = hc_stmt_int(st, 0);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = HC_ENOTFOUND;
    }
done:
    hc_stmt_reset(st);
    return rc;
}

char *hc_store_like_prefix(hc_arena *a, const char *prefix)
{
    size_t n = strlen(prefix);
    char *out = hc_arena_alloc(a, 2 * n + 2), *o = out;
    for (const char *p = prefix; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!')
            *o++ = '!';
        *o++ = *p;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

int hc_store_page_keys(hc_store *s, hc_arena *a, const char *table, const char *key, bool desc,
                       const struct hc_eq *eq, size_t neq, const char *cursor, int limit,
                       const char ***keys, size_t *n, const char **next, hc_err *err)
{
    hc_buf sql;
    hc_buf_init(&sql, 2048);
    hc_buf_printf(&sql, "SELECT %s FROM %s WHERE 1 = 1", key, table);
    for (size_t i = 0; i < neq; i++)
        if (eq[i].val)
            hc_buf_printf(&sql, " AND %s = ?", eq[i].col);
    if (cursor && *cursor)
        hc_buf_printf(&sql, " AND %s %s ?", key, desc ? "<" : ">");
    hc_buf_printf(&sql, " ORDER BY %s%s LIMIT %d", key, desc ? " DESC" : "", limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql.p, &q, err);
    hc_buf_free(&sql);
    if (rc != HC_OK)
        return rc;
    int idx = 1;
    for (size_t i = 0; i < neq; i++)
        if (eq[i].val)
            hc_stmt_bind_text(q, idx++, eq[i].val);
    if (cursor && *cursor)
        hc_stmt_bind_text(q, idx, cursor);
    const char **out = hc_arena_alloc(a, sizeof(*out) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)limit + 1)
        out[k++] = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = out[k - 1];
    }
    *keys = out;
    *n = k;
    return HC_OK;
}

/* Appends to sql (size bytes, *len used); the text is the caller's
 * constants: a statement that does not fit is a bug, not input. */
static void sql_add(char *sql, size_t size, size_t *len, const char *a, const char *b,
                    const char *c)
{
    int n = snprintf(sql + *len, size - *len, "%s%s%s", a, b, c);
    HC_ASSERT(n >= 0 && (size_t)n < size - *len);
    *len += (size_t)n;
}

void hc_store_upsert_sql(hc_store *s, char *sql, size_t size, const char *table,
                         const char *const *cols, size_t nkeys)
{
    HC_ASSERT(sql && size > 0 && table && cols && cols[0] && nkeys > 0);
    bool mysql = hc_store_dialect(s) == HC_MYSQL;
    size_t len = 0, n = 0;
    sql[0] = '\0';
    sql_add(sql, size, &len, "INSERT INTO ", table, " (");
    for (; cols[n]; n++)
        sql_add(sql, size, &len, n ? ", " : "", cols[n], "");
    HC_ASSERT(nkeys < n);
    sql_add(sql, size, &len, ") VALUES (", "", "");
    for (size_t i = 0; i < n; i++)
        sql_add(sql, size, &len, i ? ", " : "", "?", "");
    sql_add(sql, size, &len, mysql ? ") ON DUPLICATE KEY UPDATE " : ") ON CONFLICT (", "", "");
    for (size_t i = 0; !mysql && i < nkeys; i++)
        sql_add(sql, size, &len, i ? ", " : "", cols[i], "");
    if (!mysql)
        sql_add(sql, size, &len, ") DO UPDATE SET ", "", "");
    for (size_t i = nkeys; i < n; i++) {
        sql_add(sql, size, &len, i > nkeys ? ", " : "", cols[i], " = ");
        sql_add(sql, size, &len, mysql ? "VALUES(" : "excluded.", cols[i], mysql ? ")" : "");
    }
}

/* mysql.c: the MySQL-protocol driver (MariaDB, Galera, TiDB, OceanBase) over
 * MariaDB Connector/C's prepared-statement API.
 *
 * Contracts the rest of the store layer relies on:
 * - A connection is used by one thread at a time. It runs in autocommit mode
 *   outside begin/commit, at READ COMMITTED, with strict SQL mode, utf8mb4 and
 *   innodb_lock_wait_timeout=10; it never reconnects behind the caller's back.
 * - UPDATE reports matched rows, not changed rows (CLIENT_FOUND_ROWS), so
 *   `UPDATE ... WHERE cond` touching one row means cond held.
 * - Result sets are buffered on the client (mysql_stmt_store_result) right after
 *   execute, so any number of statements may be open on one connection at once:
 *   a caller may iterate a SELECT while running an UPDATE per row.
 * - Every result column is fetched as text; column_int parses that text. A
 *   column's text is valid until the next step or reset of its statement.
 * - Bound values are copied into the statement and stay there until reset;
 *   unbound parameters are NULL. Stepping after HC_DONE executes again.
 * - Errors: deadlock and lock wait timeout are HC_EBUSY (after a deadlock the
 *   server has rolled the whole transaction back; after a lock wait timeout
 *   only the statement), duplicate key is HC_ECONFLICT, everything else
 *   HC_EINTERNAL; err->msg carries the server's errno and message. */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <mysqld_error.h>

#define URL_MAX 2048
#define USER_MAX 128
#define PASS_MAX 256
#define HOST_MAX 256
#define DB_MAX 64 /* the server's limit on a database name */
#define SOCK_MAX 108
#define SQL_MAX (16u << 20)
#define COL_FIRST 64          /* first buffer size of a result column */
#define COL_MAX (64u << 20)   /* a column value larger than this is refused */
#define TEXT_PARAM_MAX (64u << 20)

/* TiDB reports optimistic write conflicts with its own codes; they mean the
 * same as a deadlock here: roll back and retry. */
#define TIDB_WRITE_CONFLICT 9007
#define TIDB_SCHEMA_CHANGED 8028

struct my_conn {
    struct hc_store_base base; /* must be first: the generic layer reads it */
    MYSQL *db;
};

enum { P_NULL, P_INT, P_TEXT };

struct my_param {
    int type;
    long long i;
    char *p;             /* P_TEXT: owned copy, capacity cap */
    size_t cap;
    unsigned long len;
};

struct my_col {
    char *buf; /* always NUL-terminated after a fetch */
    size_t cap;
    unsigned long len;
    my_bool is_null;
    my_bool error;
};

enum { S_READY, S_ROWS, S_DONE };

struct my_stmt {
    struct hc_stmt_base base; /* must be first */
    struct my_conn *conn;
    MYSQL_STMT *st;
    int state;
    int bind_error; /* a bind_* call failed; reported by the next step */
    int64_t changes;
    unsigned nparams;
    struct my_param *params;
    MYSQL_BIND *pbind;
    unsigned ncols; /* columns of the current result, 0 without one */
    unsigned colcap;
    struct my_col *cols;
    MYSQL_BIND *rbind;
};

const struct hc_store_driver hc_mysql_driver;

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_rc;

/* mysql_library_init is not thread-safe; mysql_init would call it lazily from
 * whichever thread opens first, so do it once here. */
static void lib_init(void)
{
    lib_rc = mysql_library_init(0, NULL, NULL);
}

static int map_errno(unsigned e)
{
    switch (e) {
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
    case TIDB_WRITE_CONFLICT:
    case TIDB_SCHEMA_CHANGED:
        return HC_EBUSY;
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
        return HC_ECONFLICT;
    default:
        return HC_EINTERNAL;
    }
}

static int conn_fail(struct my_conn *c, hc_err *err, const char *what)
{
    unsigned e = mysql_errno(c->db);
    return hc_err_set(err, e ? map_errno(e) : HC_EINTERNAL, "", "mysql %s: %u %s", what, e,
                      mysql_error(c->db));
}

static int stmt_fail(struct my_stmt *s, hc_err *err, const char *what)
{
    unsigned e = mysql_stmt_errno(s->st);
    return hc_err_set(err, e ? map_errno(e) : HC_EINTERNAL, "", "mysql %s: %u %s", what, e,
                      mysql_stmt_error(s->st));
}

/* ---- url --------------------------------------------------------------- */

struct my_url {
    char user[USER_MAX];
    char pass[PASS_MAX];
    char host[HOST_MAX];
    char db[DB_MAX + 1];
    char sock[SOCK_MAX];
    unsigned port;
};

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Copies s[0..n) percent-decoded into out (size bytes with the NUL). Refuses
 * bad escapes, embedded NULs and overlong values. */
static int pct_decode(const char *s, size_t n, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '%') {
            if (n - i < 3)
                return HC_EINVAL;
            int hi = hexval((unsigned char)s[i + 1]);
            int lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return HC_EINVAL;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch == 0 || k + 1 >= size)
            return HC_EINVAL;
        out[k++] = (char)ch;
    }
    out[k] = '\0';
    return HC_OK;
}

static int copy_plain(const char *s, size_t n, char *out, size_t size)
{
    if (n >= size || memchr(s, '\0', n) != NULL)
        return HC_EINVAL;
    memcpy(out, s, n);
    out[n] = '\0';
    return HC_OK;
}

/* "mysql://[user[:pass]@]host[:port]/db[?socket=/path]"; host may be
 * "[v6addr]". The database name is restricted to [A-Za-z0-9_$] because it is
 * spliced into CREATE DATABASE. */
static int parse_url(const char *url, struct my_url *u, hc_err *err)
{
    static const char scheme[] = "mysql://";
    memset(u, 0, sizeof(*u));
    u->port = 3306;
    size_t len = strnlen(url, URL_MAX + 1);
    if (len > URL_MAX)
        return hc_err_set(err, HC_EINVAL, "url", "url longer than %d bytes", URL_MAX);
    if (strncmp(url, scheme, sizeof(scheme) - 1) != 0)
        return hc_err_set(err, HC_EINVAL, "url", "url must start with mysql://");
    const char *p = url + sizeof(scheme) - 1;
    const char *end = url + len;

    const char *slash = memchr(p, '/', (size_t)(end - p));
    if (slash == NULL)
        return hc_err_set(err, HC_EINVAL, "url", "url has no /database");
    /* credentials end at the last '@' before the path; a password holding
     * '/', '?' or '%' must be percent-encoded. */
    const char *at = NULL;
    for (const char *q = p; q < slash; q++)
        if (*q == '@')
            at = q;
    if (at != NULL) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        const char *ue = colon ? colon : at;
        if (pct_decode(p, (size_t)(ue - p), u->user, sizeof(u->user)) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "url", "bad user in url");
        if (colon != NULL &&
            pct_decode(colon + 1, (size_t)(at - colon - 1), u->pass, sizeof(u->pass)) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "url", "bad password in url");
        p = at + 1;
    }

    /* host[:port] */
    const char *hs = p, *he, *portp = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(slash - p));
        if (rb == NULL)
            return hc_err_set(err, HC_EINVAL, "url", "unterminated [ in url host");
        hs = p + 1;
        he = rb;
        if (rb + 1 < slash) {
            if (rb[1] != ':')
                return hc_err_set(err, HC_EINVAL, "url", "bad host in url");
            portp = rb + 2;
        }
    } else {
        const char *colon = memchr(p, ':', (size_t)(slash - p));
        he = colon ? colon : slash;
        if (colon)
            portp = colon + 1;
    }
    if (copy_plain(hs, (size_t)(he - hs), u->host, sizeof(u->host)) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "url", "bad host in url");
    if (portp != NULL) {
        char digits[8];
        int64_t port;
        if (copy_plain(portp, (size_t)(slash - portp), digits, sizeof(digits)) != HC_OK ||
            !hc_all_digits(digits, strlen(digits)) ||
            hc_parse_i64(digits, 1, 65535, &port) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "url", "bad port in url");
        u->port = (unsigned)port;
    }

    /* /db[?query] */
    const char *ds = slash + 1;
    const char *qm = memchr(ds, '?', (size_t)(end - ds));
    const char *de = qm ? qm : end;
    if (de == ds)
        return hc_err_set(err, HC_EINVAL, "url", "url names no database");
    if ((size_t)(de - ds) > DB_MAX)
        return hc_err_set(err, HC_EINVAL, "url", "database name longer than %d", DB_MAX);
    for (const char *q = ds; q < de; q++) {
        char ch = *q;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '$'))
            return hc_err_set(err, HC_EINVAL, "url", "database name may hold only [A-Za-z0-9_$]");
    }
    memcpy(u->db, ds, (size_t)(de - ds));
    u->db[de - ds] = '\0';

    /* query: only socket=PATH is known; anything else is refused rather than
     * silently ignored. */
    const char *q = qm ? qm + 1 : end;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *ke = amp ? amp : end;
        static const char sk[] = "socket=";
        if ((size_t)(ke - q) >= sizeof(sk) - 1 && memcmp(q, sk, sizeof(sk) - 1) == 0) {
            const char *v = q + sizeof(sk) - 1;
            if (pct_decode(v, (size_t)(ke - v), u->sock, sizeof(u->sock)) != HC_OK ||
                u->sock[0] != '/')
                return hc_err_set(err, HC_EINVAL, "url", "bad socket path in url");
        } else if (ke > q) {
            return hc_err_set(err, HC_EINVAL, "url", "unknown url parameter '%.*s'",
                              (int)(ke - q > 40 ? 40 : ke - q), q);
        }
        q = amp ? amp + 1 : end;
    }
    if (u->host[0] == '\0' && u->sock[0] == '\0')
        hc_strlcpy(u->host, "127.0.0.1", sizeof(u->host));
    return HC_OK;
}

/* ---- connection ------------------------------------------------------------ */

static int run(struct my_conn *c, const char *sql, hc_err *err)
{
    if (mysql_real_query(c->db, sql, strlen(sql)) != 0)
        return conn_fail(c, err, "query");
    /* A statement that returns rows (or a procedure that returns several
     * results) must be drained before the connection can be used again. */
    int more;
    do {
        MYSQL_RES *res = mysql_store_result(c->db);
        if (res != NULL)
            mysql_free_result(res);
        else if (mysql_field_count(c->db) != 0)
            return conn_fail(c, err, "query");
        more = mysql_next_result(c->db);
        if (more > 0)
            return conn_fail(c, err, "query");
    } while (more == 0);
    return HC_OK;
}

static void my_close(hc_store *s)
{
    struct my_conn *c = (struct my_conn *)s;
    if (c == NULL)
        return;
    if (c->db != NULL)
        mysql_close(c->db);
    free(c);
}

/* Connects, creates the database when missing, and sets the session up as the
 * header comment describes. On failure *out is untouched and err says why. */
static int my_open(const char *url, hc_store **out, hc_err *err)
{
    struct my_conn *c = NULL;
    struct my_url u;
    char sql[160];
    int rc = parse_url(url, &u, err);
    if (rc != HC_OK)
        goto done;
    pthread_once(&lib_once, lib_init);
    if (lib_rc != 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "mysql_library_init failed");
        goto done;
    }
    if ((c = calloc(1, sizeof(*c))) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto done;
    }
    c->base.drv = &hc_mysql_driver;
    if ((c->db = mysql_init(NULL)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "mysql_init failed");
        goto done;
    }
    my_bool off = 0;
    unsigned int connect_timeout = 10;
    if (mysql_options(c->db, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
        mysql_options(c->db, MYSQL_OPT_RECONNECT, &off) != 0 ||
        mysql_options(c->db, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout) != 0) {
        rc = conn_fail(c, err, "options");
        goto done;
    }
    if (mysql_real_connect(c->db, u.host[0] ? u.host : NULL, u.user, u.pass, NULL, u.port,
                           u.sock[0] ? u.sock : NULL, CLIENT_FOUND_ROWS) == NULL) {
        rc = conn_fail(c, err, "connect");
        goto done;
    }
    if (mysql_autocommit(c->db, 1) != 0) {
        rc = conn_fail(c, err, "autocommit");
        goto done;
    }
    static const char *const setup[] = {
        "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        "SET SESSION innodb_lock_wait_timeout=10",
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(setup); i++)
        if ((rc = run(c, setup[i], err)) != HC_OK)
            goto done;
    /* utf8mb4_bin: unique keys and comparisons are byte-exact, as in SQLite. */
    snprintf(sql, sizeof(sql),
             "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", u.db);
    if ((rc = run(c, sql, err)) != HC_OK)
        goto done;
    if (mysql_select_db(c->db, u.db) != 0) {
        rc = conn_fail(c, err, "use database");
        goto done;
    }
    *out = (hc_store *)c;
    c = NULL;
    rc = HC_OK;
done:
    my_close((hc_store *)c); /* NULL on success */
    explicit_bzero(u.pass, sizeof(u.pass));
    return rc;
}

static int my_exec(hc_store *s, const char *sql, hc_err *err)
{
    return run((struct my_conn *)s, sql, err);
}

static int my_begin(hc_store *s, hc_err *err)
{
    return run((struct my_conn *)s, "START TRANSACTION", err);
}

static int my_commit(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    return mysql_commit(c->db) != 0 ? conn_fail(c, err, "commit") : HC_OK;
}

static int my_rollback(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    return mysql_rollback(c->db) != 0 ? conn_fail(c, err, "rollback") : HC_OK;
}

/* ---- statements -------------------------------------------------------------- */

static void my_finalize(hc_stmt *h)
{
    struct my_stmt *s = (struct my_stmt *)h;
    if (s == NULL)
        return;
    if (s->st != NULL)
        mysql_stmt_close(s->st);
    for (unsigned i = 0; i < s->nparams; i++)
        free(s->params[i].p);
    for (unsigned i = 0; i < s->colcap; i++)
        free(s->cols[i].buf);
    free(s->params);
    free(s->pbind);
    free(s->cols);
    free(s->rbind);
    free(s);
}

static int my_prepare(hc_store *hs, const char *sql, hc_stmt **out, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)hs;
    struct my_stmt *s = NULL;
    int rc;
    size_t n = strnlen(sql, SQL_MAX + 1);
    if (n > SQL_MAX) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "sql longer than %u bytes", SQL_MAX);
        goto fail;
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto fail;
    }
    s->base.drv = &hc_mysql_driver;
    s->conn = c;
    if ((s->st = mysql_stmt_init(c->db)) == NULL) {
        rc = conn_fail(c, err, "stmt_init");
        goto fail;
    }
    if (mysql_stmt_prepare(s->st, sql, (unsigned long)n) != 0) {
        rc = stmt_fail(s, err, "prepare");
        goto fail;
    }
    s->nparams = (unsigned)mysql_stmt_param_count(s->st);
    if (s->nparams > 0) {
        s->params = calloc(s->nparams, sizeof(*s->params));
        s->pbind = calloc(s->nparams, sizeof(*s->pbind));
        if (s->params == NULL || s->pbind == NULL) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
            goto fail;
        }
    }
    *out = (hc_stmt *)s;
    return HC_OK;
fail:
    my_finalize((hc_stmt *)s);
    return rc;
}

static struct my_param *param_at(struct my_stmt *s, int idx)
{
    if (idx < 1 || (unsigned)idx > s->nparams) {
        s->bind_error = idx;
        return NULL;
    }
    return &s->params[idx - 1];
}

static int my_bind_int(hc_stmt *h, int idx, int64_t v)
{
    struct my_param *p = param_at((struct my_stmt *)h, idx);
    if (p == NULL)
        return HC_EINTERNAL;
    p->type = P_INT;
    p->i = v;
    return HC_OK;
}

/* Copies v[0..n): the caller's buffer need not outlive the call. */
static int my_bind_text(hc_stmt *h, int idx, const char *v, size_t n)
{
    struct my_stmt *s = (struct my_stmt *)h;
    struct my_param *p = param_at(s, idx);
    if (p == NULL)
        return HC_EINTERNAL;
    if (v == NULL) {
        p->type = P_NULL;
        return HC_OK;
    }
    if (n > TEXT_PARAM_MAX) {
        s->bind_error = idx;
        return HC_ETOOBIG;
    }
    if (p->cap < n + 1) {
        size_t cap = p->cap ? p->cap : 32;
        while (cap < n + 1)
            cap *= 2;
        char *np = realloc(p->p, cap);
        if (np == NULL) {
            s->bind_error = idx;
            return HC_EINTERNAL;
        }
        p->p = np;
        p->cap = cap;
    }
    memcpy(p->p, v, n);
    p->p[n] = '\0';
    p->len = (unsigned long)n;
    p->type = P_TEXT;
    return HC_OK;
}

static int my_bind_null(hc_stmt *h, int idx)
{
    struct my_param *p = param_at((struct my_stmt *)h, idx);
    if (p == NULL)
        return HC_EINTERNAL;
    p->type = P_NULL;
    return HC_OK;
}

/* Sizes the per-column buffers for a result of n columns and binds them all
 * as strings. */
static int bind_result(struct my_stmt *s, unsigned n, hc_err *err)
{
    if (n > s->colcap) {
        struct my_col *cols = realloc(s->cols, n * sizeof(*cols));
        if (cols == NULL)
            return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        s->cols = cols;
        memset(cols + s->colcap, 0, (n - s->colcap) * sizeof(*cols));
        s->colcap = n;
        MYSQL_BIND *rb = realloc(s->rbind, n * sizeof(*rb));
        if (rb == NULL)
            return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        s->rbind = rb;
    }
    s->ncols = n;
    memset(s->rbind, 0, n * sizeof(*s->rbind));
    for (unsigned i = 0; i < n; i++) {
        struct my_col *col = &s->cols[i];
        if (col->buf == NULL) {
            if ((col->buf = malloc(COL_FIRST)) == NULL)
                return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
            col->cap = COL_FIRST;
        }
        MYSQL_BIND *b = &s->rbind[i];
        b->buffer_type = MYSQL_TYPE_STRING;
        b->buffer = col->buf;
        b->buffer_length = (unsigned long)(col->cap - 1); /* room for our NUL */
        b->length = &col->len;
        b->is_null = &col->is_null;
        b->error = &col->error;
    }
    if (mysql_stmt_bind_result(s->st, s->rbind) != 0)
        return stmt_fail(s, err, "bind_result");
    return HC_OK;
}

static int execute(struct my_stmt *s, hc_err *err)
{
    if (s->bind_error != 0)
        return hc_err_set(err, HC_EINTERNAL, "", "mysql bind: parameter %d out of range or too big",
                          s->bind_error);
    for (unsigned i = 0; i < s->nparams; i++) {
        struct my_param *p = &s->params[i];
        MYSQL_BIND *b = &s->pbind[i];
        memset(b, 0, sizeof(*b));
        switch (p->type) {
        case P_INT:
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &p->i;
            break;
        case P_TEXT:
            b->buffer_type = MYSQL_TYPE_STRING;
            b->buffer = p->p;
            b->buffer_length = p->len;
            b->length = &p->len;
            break;
        default:
            b->buffer_type = MYSQL_TYPE_NULL;
            break;
        }
    }
    if (s->nparams > 0 && mysql_stmt_bind_param(s->st, s->pbind) != 0)
        return stmt_fail(s, err, "bind_param");
    if (mysql_stmt_execute(s->st) != 0)
        return stmt_fail(s, err, "execute");
    unsigned n = mysql_stmt_field_count(s->st);
    if (n == 0) {
        my_ulonglong a = mysql_stmt_affected_rows(s->st);
        s->changes = a == (my_ulonglong)-1 ? 0 : (int64_t)a;
        s->ncols = 0;
        s->state = S_DONE;
        return HC_OK;
    }
    s->changes = 0;
    if (mysql_stmt_store_result(s->st) != 0)
        return stmt_fail(s, err, "store_result");
    s->state = S_ROWS;
    return bind_result(s, n, err);
}

/* After a fetch: NUL-terminates every column and re-fetches those that did
 * not fit, growing their buffers (and rebinding so later rows fit). */
static int finish_row(struct my_stmt *s, hc_err *err)
{
    int rebind = 0;
    for (unsigned i = 0; i < s->ncols; i++) {
        struct my_col *col = &s->cols[i];
        if (col->is_null) {
            col->buf[0] = '\0';
            continue;
        }
        if (col->len < col->cap) {
            col->buf[col->len] = '\0';
            continue;
        }
        if (col->len >= COL_MAX)
            return hc_err_set(err, HC_EINTERNAL, "", "mysql: column %u is %lu bytes, over %u", i,
                              col->len, COL_MAX);
        size_t cap = col->cap;
        while (cap < (size_t)col->len + 1)
            cap *= 2;
        char *nb = realloc(col->buf, cap);
        if (nb == NULL)
            return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        col->buf = nb;
        col->cap = cap;
        MYSQL_BIND *b = &s->rbind[i];
        b->buffer = nb;
        b->buffer_length = (unsigned long)(cap - 1);
        if (mysql_stmt_fetch_column(s->st, b, i, 0) != 0)
            return stmt_fail(s, err, "fetch_column");
        col->buf[col->len] = '\0';
        rebind = 1;
    }
    if (rebind && mysql_stmt_bind_result(s->st, s->rbind) != 0)
        return stmt_fail(s, err, "bind_result");
    return HC_OK;
}

/* HC_ROW with a row ready, HC_DONE at the end (at once for statements without
 * a result set), or an error code with err filled in. After an error the
 * statement must be reset before it is stepped again. */
static int my_step(hc_stmt *h, hc_err *err)
{
    struct my_stmt *s = (struct my_stmt *)h;
    int rc;
    if (s->state == S_DONE) {
        /* like SQLite: stepping a finished statement runs it again */
        mysql_stmt_free_result(s->st);
        s->state = S_READY;
    }
    if (s->state == S_READY) {
        if ((rc = execute(s, err)) != HC_OK)
            goto fail;
        if (s->state == S_DONE)
            return HC_DONE;
    }
    int f = mysql_stmt_fetch(s->st);
    if (f == MYSQL_NO_DATA) {
        s->state = S_DONE;
        return HC_DONE;
    }
    if (f != 0 && f != MYSQL_DATA_TRUNCATED) {
        rc = stmt_fail(s, err, "fetch");
        goto fail;
    }
    if ((rc = finish_row(s, err)) != HC_OK)
        goto fail;
    return HC_ROW;
fail:
    s->ncols = 0;
    return rc;
}

/* Frees the buffered result and clears the bindings. The server-side
 * statement is kept as it is: COM_STMT_RESET only matters for long data and
 * cursors, which this driver never uses, and would cost a round trip. */
static int my_reset(hc_stmt *h)
{
    struct my_stmt *s = (struct my_stmt *)h;
    int rc = HC_OK;
    if (s->state != S_READY && mysql_stmt_free_result(s->st) != 0)
        rc = HC_EINTERNAL;
    s->state = S_READY;
    s->ncols = 0;
    s->changes = 0;
    s->bind_error = 0;
    for (unsigned i = 0; i < s->nparams; i++)
        s->params[i].type = P_NULL;
    return rc;
}

/* Known from prepare on, like sqlite3_column_count. */
static int my_column_count(hc_stmt *h)
{
    return (int)mysql_stmt_field_count(((struct my_stmt *)h)->st);
}

static struct my_col *col_at(hc_stmt *h, int col)
{
    struct my_stmt *s = (struct my_stmt *)h;
    if (s->state != S_ROWS || col < 0 || (unsigned)col >= s->ncols)
        return NULL;
    return &s->cols[col];
}

/* Out-of-range columns and columns without a current row count as NULL. */
static int my_column_is_null(hc_stmt *h, int col)
{
    struct my_col *c = col_at(h, col);
    return c == NULL || c->is_null;
}

/* The column's text as a base-10 integer: 0 for NULL; a decimal such as
 * "12.00" gives its integer part; out-of-range values saturate. */
static int64_t my_column_int(hc_stmt *h, int col)
{
    struct my_col *c = col_at(h, col);
    if (c == NULL || c->is_null)
        return 0;
    return (int64_t)strtoll(c->buf, NULL, 10);
}

/* "" for NULL; valid until the next step or reset. */
static const char *my_column_text(hc_stmt *h, int col)
{
    struct my_col *c = col_at(h, col);
    return c == NULL || c->is_null ? "" : c->buf;
}

static int64_t my_changes(hc_stmt *h)
{
    return ((struct my_stmt *)h)->changes;
}

const struct hc_store_driver hc_mysql_driver = {
    .name = "mysql",
    .dialect = HC_MYSQL,
    .open = my_open,
    .close = my_close,
    .exec = my_exec,
    .begin = my_begin,
    .commit = my_commit,
    .rollback = my_rollback,
    .prepare = my_prepare,
    .finalize = my_finalize,
    .bind_int = my_bind_int,
    .bind_text = my_bind_text,
    .bind_null = my_bind_null,
    .step = my_step,
    .reset = my_reset,
    .column_count = my_column_count,
    .column_is_null = my_column_is_null,
    .column_int = my_column_int,
    .column_text = my_column_text,
    .changes = my_changes,
};

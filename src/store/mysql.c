/* mysql.c: the MySQL-protocol driver (MariaDB, Galera, TiDB, OceanBase) over
 * MariaDB Connector/C's prepared-statement API.
 *
 * Contracts the rest of the store layer relies on:
 * - A connection is used by one thread at a time. It runs in autocommit mode
 *   outside begin/commit, at READ COMMITTED, with strict SQL mode, utf8mb4 and
 *   innodb_lock_wait_timeout=10. Once lost it reports HC_STORE_BROKEN (hc_db
 *   opens another) with one exception: a SELECT outside a transaction that
 *   finds the connection lost reconnects and runs once more (it changed
 *   nothing), so a connection closed while idle (wait_timeout, KILL, a
 *   restarted server) costs no failed read.
 * - Every wait is bounded: connect, and each read and write on the socket
 *   (MYSQL_OPT_CONNECT/READ/WRITE_TIMEOUT, by role: see store.h).
 * - The URL may name several hosts ("h1:3306,h2:3306"): a connection goes to
 *   the first that answers (and, on a Galera node, is synced), from
 *   opts->prefer_host on. Readers on a Galera node read with
 *   wsrep_sync_wait=1 (read-your-writes across nodes).
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
 *   only the statement), duplicate key is HC_ECONFLICT, a lost connection or a
 *   server that cannot serve is HC_EUNAVAILABLE with a plain message (the
 *   driver's goes to the log), everything else HC_EINTERNAL with the server's
 *   errno and message.
 * - A transaction the server rolled back (deadlock, Galera certification or
 *   brute-force abort) shows in state() as HC_STORE_ABORTED, also when the
 *   failing statement's error was swallowed: the server's in-transaction
 *   flag is checked before every statement and COMMIT, and once the
 *   transaction is gone nothing more runs until rollback (it would run in
 *   autocommit and be kept: Galera test, a 201 whose order row was lost). */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#define URL_MAX 2048
#define USER_MAX 128
#define PASS_MAX 256
#define HOST_MAX 256
#define DB_MAX 64 /* the server's limit on a database name */
#define SOCK_MAX 108
#define HOSTS_MAX 8
#define SQL_MAX (16u << 20)
#define COL_FIRST 64          /* first buffer size of a result column */
#define COL_MAX (64u << 20)   /* a column value larger than this is refused */
#define TEXT_PARAM_MAX (64u << 20)

/* TiDB reports optimistic write conflicts with its own codes; they mean the
 * same as a deadlock here: roll back and retry. */
#define TIDB_WRITE_CONFLICT 9007
#define TIDB_SCHEMA_CHANGED 8028
/* MariaDB 11 tells a client whose idle connection it closed (wait_timeout)
 * with this code; older headers name 4031 otherwise. */
#define MARIADB_CLIENT_TIMEOUT 4031

struct my_conn {
    struct hc_store_base base; /* must be first: the generic layer reads it */
    MYSQL *db;
    int host;    /* index of the URL host reached */
    bool wsrep;  /* a Galera node */
    bool in_txn; /* between begin and commit/rollback */
    bool broken, aborted;
    unsigned gen;          /* bumped by every reconnect */
    int role;
    struct my_url *u;      /* the parsed URL, to reconnect (password wiped on close) */
};

/* Defaults of the waits, in seconds (store.h): writer, reader, probe. */
static const unsigned io_timeout[3] = {30, 5, 2};
static const unsigned conn_timeout[3] = {3, 3, 2};

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
    char *sql;    /* to prepare again on a new connection */
    unsigned gen; /* the connection's gen when prepared */
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

/* Errors after which the connection cannot be used again. */
static bool conn_lost(unsigned e)
{
    switch (e) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_SERVER_HANDSHAKE_ERR:
    case CR_COMMANDS_OUT_OF_SYNC:
    case ER_CON_COUNT_ERROR:
    case ER_SERVER_SHUTDOWN:
    case ER_ABORTING_CONNECTION:
    case ER_NEW_ABORTING_CONNECTION:
    case ER_CONNECTION_KILLED:
    case ER_UNKNOWN_COM_ERROR: /* Galera: "WSREP has not yet prepared node" */
    case MARIADB_CLIENT_TIMEOUT:
        return true;
    default:
        return false;
    }
}

static int map_errno(struct my_conn *c, unsigned e)
{
    if (conn_lost(e)) {
        c->broken = true;
        return HC_EUNAVAILABLE;
    }
    switch (e) {
    case ER_LOCK_DEADLOCK: /* also Galera's certification failure and BF abort */
    case TIDB_WRITE_CONFLICT:
    case TIDB_SCHEMA_CHANGED:
        if (c->in_txn)
            c->aborted = true;
        return HC_EBUSY;
    case ER_LOCK_WAIT_TIMEOUT:
        return HC_EBUSY;
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
        return HC_ECONFLICT;
    default:
        return HC_EINTERNAL;
    }
}

/* A lost connection is logged with the driver's words and reported with
 * plain ones: the API answers err->msg to the client. */
static int report(struct my_conn *c, hc_err *err, const char *what, unsigned e, const char *msg)
{
    int code = e ? map_errno(c, e) : HC_EINTERNAL;
    if (code == HC_EUNAVAILABLE) {
        hc_log(HC_LOG_WARN, "mysql %s (host %d): %u %s", what, c->host, e, msg);
        return hc_err_set(err, code, "", "the database is unavailable");
    }
    return hc_err_set(err, code, "", "mysql %s: %u %s", what, e, msg);
}

static int conn_fail(struct my_conn *c, hc_err *err, const char *what)
{
    return report(c, err, what, mysql_errno(c->db), mysql_error(c->db));
}

static int stmt_fail(struct my_stmt *s, hc_err *err, const char *what)
{
    return report(s->conn, err, what, mysql_stmt_errno(s->st), mysql_stmt_error(s->st));
}

/* ---- url --------------------------------------------------------------- */

struct my_url {
    char user[USER_MAX];
    char pass[PASS_MAX];
    char host[HOSTS_MAX][HOST_MAX];
    unsigned port[HOSTS_MAX];
    int nhosts;
    char db[DB_MAX + 1];
    char sock[SOCK_MAX];
    unsigned connect_timeout, read_timeout, writer_timeout; /* 0: the role's default */
};

static int copy_plain(const char *s, size_t n, char *out, size_t size);

/* One "host[:port]" or "[v6]:port" of the host list into u->host[i]. */
static int parse_host(const char *p, const char *e, struct my_url *u, int i, hc_err *err)
{
    const char *hs = p, *he, *portp = NULL;
    u->port[i] = 3306;
    if (p < e && *p == '[') {
        const char *rb = memchr(p, ']', (size_t)(e - p));
        if (rb == NULL)
            return hc_err_set(err, HC_EINVAL, "url", "unterminated [ in url host");
        hs = p + 1;
        he = rb;
        if (rb + 1 < e) {
            if (rb[1] != ':')
                return hc_err_set(err, HC_EINVAL, "url", "bad host in url");
            portp = rb + 2;
        }
    } else {
        const char *colon = memchr(p, ':', (size_t)(e - p));
        he = colon ? colon : e;
        if (colon)
            portp = colon + 1;
    }
    if (copy_plain(hs, (size_t)(he - hs), u->host[i], sizeof(u->host[i])) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "url", "bad host in url");
    if (portp != NULL) {
        char digits[8];
        int64_t port;
        if (copy_plain(portp, (size_t)(e - portp), digits, sizeof(digits)) != HC_OK ||
            !hc_all_digits(digits, strlen(digits)) ||
            hc_parse_i64(digits, 1, 65535, &port) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "url", "bad port in url");
        u->port[i] = (unsigned)port;
    }
    return HC_OK;
}

/* "NAME=seconds" of the query string, 1..3600. */
static int parse_secs(const char *v, const char *e, unsigned *out, const char *name, hc_err *err)
{
    char digits[8];
    int64_t n;
    if (copy_plain(v, (size_t)(e - v), digits, sizeof(digits)) != HC_OK ||
        !hc_all_digits(digits, strlen(digits)) || hc_parse_i64(digits, 1, 3600, &n) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "url", "%s must be 1..3600 seconds", name);
    *out = (unsigned)n;
    return HC_OK;
}

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

/* "mysql://[user[:pass]@]host[:port][,host[:port]...]/db[?socket=/path]
 * [&connect_timeout=S][&read_timeout=S][&writer_timeout=S]"; a host may be
 * "[v6addr]". The database name is restricted to [A-Za-z0-9_$] because it is
 * spliced into CREATE DATABASE. */
static int parse_url(const char *url, struct my_url *u, hc_err *err)
{
    static const char scheme[] = "mysql://";
    memset(u, 0, sizeof(*u));
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

    /* host[:port][,host[:port]...] */
    while (p <= slash) {
        const char *comma = memchr(p, ',', (size_t)(slash - p));
        const char *he = comma ? comma : slash;
        if (u->nhosts == HOSTS_MAX)
            return hc_err_set(err, HC_EINVAL, "url", "more than %d hosts in url", HOSTS_MAX);
        if (he == p && (comma || u->nhosts > 0))
            return hc_err_set(err, HC_EINVAL, "url", "empty host in url");
        if (parse_host(p, he, u, u->nhosts, err) != HC_OK)
            return HC_EINVAL;
        u->nhosts++;
        p = he + 1;
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
        static const struct {
            const char *name;
            size_t off;
        } secs[] = {{"connect_timeout=", offsetof(struct my_url, connect_timeout)},
                    {"read_timeout=", offsetof(struct my_url, read_timeout)},
                    {"writer_timeout=", offsetof(struct my_url, writer_timeout)}};
        size_t k;
        for (k = 0; k < HC_ARRAY_LEN(secs); k++)
            if ((size_t)(ke - q) > strlen(secs[k].name) &&
                memcmp(q, secs[k].name, strlen(secs[k].name)) == 0)
                break;
        if (k < HC_ARRAY_LEN(secs)) {
            if (parse_secs(q + strlen(secs[k].name), ke, (unsigned *)((char *)u + secs[k].off),
                           secs[k].name, err) != HC_OK)
                return HC_EINVAL;
        } else if ((size_t)(ke - q) >= sizeof(sk) - 1 && memcmp(q, sk, sizeof(sk) - 1) == 0) {
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
    for (int i = 0; i < u->nhosts; i++)
        if (u->host[i][0] == '\0' && (u->sock[0] == '\0' || u->nhosts > 1))
            hc_strlcpy(u->host[i], "127.0.0.1", sizeof(u->host[i]));
    return HC_OK;
}

/* ---- connection ------------------------------------------------------------ */

static int my_state(hc_store *s);

/* Inside a transaction the server rolled back (or a lost connection), no
 * statement may run: the server would run it in autocommit and keep it
 * although its transaction is gone. */
static int txn_gone(struct my_conn *c, hc_err *err)
{
    if (!c->in_txn || my_state((hc_store *)c) == 0)
        return HC_OK;
    if (c->broken)
        return hc_err_set(err, HC_EUNAVAILABLE, "", "the database is unavailable");
    return hc_err_set(err, HC_EBUSY, "", "the database rolled the transaction back; retry");
}

static int run(struct my_conn *c, const char *sql, hc_err *err)
{
    int gone = txn_gone(c, err);
    if (gone != HC_OK)
        return gone;
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
    if (c->u) {
        explicit_bzero(c->u, sizeof(*c->u));
        free(c->u);
    }
    free(c);
}

/* The value column of a one-row SHOW statement ("" when there is no row). */
static int show_value(struct my_conn *c, const char *sql, char *out, size_t size, hc_err *err)
{
    out[0] = '\0';
    if (mysql_real_query(c->db, sql, strlen(sql)) != 0)
        return conn_fail(c, err, "query");
    MYSQL_RES *res = mysql_store_result(c->db);
    if (res == NULL)
        return conn_fail(c, err, "query");
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row && mysql_num_fields(res) >= 2 && row[1])
        hc_strlcpy(out, row[1], size);
    mysql_free_result(res);
    return HC_OK;
}

/* Is this Galera node synced and serving (wsrep_ready)? */
static int wsrep_ready(struct my_conn *c, hc_err *err)
{
    char v[16];
    int rc = show_value(c, "SHOW STATUS LIKE 'wsrep_ready'", v, sizeof(v), err);
    if (rc == HC_OK && strcmp(v, "ON") != 0) {
        hc_log(HC_LOG_WARN, "mysql host %d: Galera node not ready (wsrep_ready=%s)", c->host, v);
        rc = hc_err_set(err, HC_EUNAVAILABLE, "", "the database is unavailable");
    }
    return rc;
}

/* Connects to host i, creates the database when missing, and sets the
 * session up as the header comment describes. */
static int connect_host(struct my_conn *c, const struct my_url *u, int i, int role, hc_err *err)
{
    char sql[160];
    int rc;
    c->host = i;
    if ((c->db = mysql_init(NULL)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "mysql_init failed");
        goto fail;
    }
    my_bool off = 0;
    unsigned ct = u->connect_timeout ? u->connect_timeout : conn_timeout[role];
    unsigned io = role == HC_ROLE_WRITER ? (u->writer_timeout ? u->writer_timeout : io_timeout[0])
                  : role == HC_ROLE_READER && u->read_timeout ? u->read_timeout
                                                              : io_timeout[role];
    if (mysql_options(c->db, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
        mysql_options(c->db, MYSQL_OPT_RECONNECT, &off) != 0 ||
        mysql_options(c->db, MYSQL_OPT_CONNECT_TIMEOUT, &ct) != 0 ||
        mysql_options(c->db, MYSQL_OPT_READ_TIMEOUT, &io) != 0 ||
        mysql_options(c->db, MYSQL_OPT_WRITE_TIMEOUT, &io) != 0) {
        rc = conn_fail(c, err, "options");
        goto fail;
    }
    if (mysql_real_connect(c->db, u->host[i][0] ? u->host[i] : NULL, u->user, u->pass, NULL,
                           u->port[i], u->sock[0] ? u->sock : NULL, CLIENT_FOUND_ROWS) == NULL) {
        rc = conn_fail(c, err, "connect");
        goto fail;
    }
    if (mysql_autocommit(c->db, 1) != 0) {
        rc = conn_fail(c, err, "autocommit");
        goto fail;
    }
    /* a lock wait ends (HC_EBUSY) before the socket wait does (a lost connection) */
    unsigned lock_wait = io > 2 ? io - 1 : 1;
    if (lock_wait > 10)
        lock_wait = 10;
    const char *setup[] = {
        "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        sql,
    };
    snprintf(sql, sizeof(sql), "SET SESSION innodb_lock_wait_timeout=%u", lock_wait);
    for (size_t k = 0; k < HC_ARRAY_LEN(setup); k++)
        if ((rc = run(c, setup[k], err)) != HC_OK)
            goto fail;
    char v[16];
    if ((rc = show_value(c, "SHOW VARIABLES LIKE 'wsrep_on'", v, sizeof(v), err)) != HC_OK)
        goto fail;
    c->wsrep = strcmp(v, "ON") == 0;
    if (c->wsrep) {
        if ((rc = wsrep_ready(c, err)) != HC_OK)
            goto fail;
        /* readers may be on another node than the writer: wait for the
         * cluster to have applied what was committed before each read */
        if (role == HC_ROLE_READER && (rc = run(c, "SET SESSION wsrep_sync_wait=1", err)) != HC_OK)
            goto fail;
    }
    if (mysql_select_db(c->db, u->db) != 0) {
        if (mysql_errno(c->db) != ER_BAD_DB_ERROR) {
            rc = conn_fail(c, err, "use database");
            goto fail;
        }
        /* utf8mb4_bin: unique keys and comparisons are byte-exact, as in SQLite. */
        snprintf(sql, sizeof(sql),
                 "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                 u->db);
        if ((rc = run(c, sql, err)) != HC_OK)
            goto fail;
        if (mysql_select_db(c->db, u->db) != 0) {
            rc = conn_fail(c, err, "use database");
            goto fail;
        }
    }
    return HC_OK;
fail:
    if (c->db)
        mysql_close(c->db);
    c->db = NULL;
    return rc;
}

static int open_host(const struct my_url *u, int i, int role, struct my_conn **out, hc_err *err)
{
    struct my_conn *c;
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    c->base.drv = &hc_mysql_driver;
    int rc = connect_host(c, u, i, role, err);
    if (rc != HC_OK) {
        free(c);
        return rc;
    }
    *out = c;
    return HC_OK;
}

/* A new connection in place of a lost one, same host first. Statements
 * prepared on the old one are prepared again when next run (gen). */
static int reconnect(struct my_conn *c, hc_err *err)
{
    if (c->u == NULL)
        return hc_err_set(err, HC_EUNAVAILABLE, "", "the database is unavailable");
    if (c->db)
        mysql_close(c->db); /* invalidates its statements; closing them later frees only */
    c->db = NULL;
    int first = c->host, rc = HC_EUNAVAILABLE;
    hc_err e = {0};
    for (int k = 0; k < c->u->nhosts; k++) {
        hc_err_clear(&e);
        rc = connect_host(c, c->u, (first + k) % c->u->nhosts, c->role, &e);
        if (rc == HC_OK) {
            c->broken = c->aborted = c->in_txn = false;
            c->gen++;
            return HC_OK;
        }
        if (rc != HC_EUNAVAILABLE)
            break;
    }
    c->db = mysql_init(NULL); /* unconnected: every call fails until closed */
    c->broken = true;
    return hc_err_set(err, e.code ? e.code : rc, "", "%s", e.msg);
}

/* Tries every host of the URL from o->prefer_host on; the first that answers
 * (and is a synced Galera node, if it is one) wins. On failure *out is
 * untouched and err says why (the last host's reason). */
static int my_open(const char *url, const struct hc_store_opts *o, hc_store **out, hc_err *err)
{
    struct my_url u;
    int rc = parse_url(url, &u, err);
    if (rc != HC_OK)
        goto done;
    pthread_once(&lib_once, lib_init);
    if (lib_rc != 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "mysql_library_init failed");
        goto done;
    }
    int role = o->role >= HC_ROLE_WRITER && o->role <= HC_ROLE_PROBE ? o->role : HC_ROLE_WRITER;
    int first = o->prefer_host >= 0 ? o->prefer_host % u.nhosts : 0;
    hc_err last = {0};
    for (int k = 0; k < u.nhosts; k++) {
        struct my_conn *c = NULL;
        hc_err_clear(&last);
        rc = open_host(&u, (first + k) % u.nhosts, role, &c, &last);
        if (rc == HC_OK) {
            if ((c->u = malloc(sizeof(u))) == NULL)
                abort();
            *c->u = u;
            c->role = role;
            *out = (hc_store *)c;
            goto done;
        }
        if (rc != HC_EUNAVAILABLE) /* refused for a reason another host would share */
            break;
    }
    hc_err_set(err, last.code, last.field, "%s", last.msg);
done:
    explicit_bzero(u.pass, sizeof(u.pass));
    return rc;
}

static int my_exec(hc_store *s, const char *sql, hc_err *err)
{
    return run((struct my_conn *)s, sql, err);
}

static int my_begin(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    c->aborted = false;
    int rc = run(c, "START TRANSACTION", err);
    c->in_txn = rc == HC_OK;
    return rc;
}

static int my_commit(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    int rc = txn_gone(c, err); /* COMMIT would succeed, committing nothing */
    if (rc == HC_OK && mysql_commit(c->db) != 0)
        rc = conn_fail(c, err, "commit");
    c->in_txn = false;
    return rc;
}

static int my_rollback(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    c->in_txn = false;
    if (c->broken)
        return HC_OK; /* the server rolled it back when the connection went */
    return mysql_rollback(c->db) != 0 ? conn_fail(c, err, "rollback") : HC_OK;
}

/* Inside a transaction, the server's in-transaction flag (from the last OK
 * packet) gone means the server rolled the transaction back, whether or not
 * the caller looked at the failing statement. */
static int my_state(hc_store *s)
{
    struct my_conn *c = (struct my_conn *)s;
    if (c->broken)
        return HC_STORE_BROKEN;
    unsigned status = 0;
    if (c->in_txn && !c->aborted &&
        mariadb_get_infov(c->db, MARIADB_CONNECTION_SERVER_STATUS, &status) == 0 &&
        !(status & SERVER_STATUS_IN_TRANS))
        c->aborted = true;
    return c->aborted ? HC_STORE_ABORTED : 0;
}

static int my_ready(hc_store *s, hc_err *err)
{
    struct my_conn *c = (struct my_conn *)s;
    if (c->broken)
        return hc_err_set(err, HC_EUNAVAILABLE, "", "the database is unavailable");
    if (mysql_ping(c->db) != 0)
        return conn_fail(c, err, "ping");
    return c->wsrep ? wsrep_ready(c, err) : HC_OK;
}

static int my_host(const hc_store *s)
{
    return ((const struct my_conn *)s)->host;
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
    free(s->sql);
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
    s->gen = c->gen;
    if ((s->sql = strdup(sql)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto fail;
    }
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

/* Prepares the statement again on the connection that replaced the one it
 * was prepared on (same text, so the same parameters). */
static int reprepare(struct my_stmt *s, hc_err *err)
{
    if (s->gen == s->conn->gen)
        return HC_OK;
    mysql_stmt_close(s->st);
    if ((s->st = mysql_stmt_init(s->conn->db)) == NULL)
        return conn_fail(s->conn, err, "stmt_init");
    if (mysql_stmt_prepare(s->st, s->sql, (unsigned long)strlen(s->sql)) != 0)
        return stmt_fail(s, err, "prepare");
    s->gen = s->conn->gen;
    s->state = S_READY;
    return HC_OK;
}

/* Only a statement that reads, outside a transaction, may be run again on a
 * new connection when the old one turns out lost: it changed nothing. */
static bool may_rerun(const struct my_stmt *s)
{
    return !s->conn->in_txn && strncasecmp(s->sql, "SELECT", 6) == 0;
}

static int execute(struct my_stmt *s, hc_err *err)
{
    int rc;
    if ((rc = txn_gone(s->conn, err)) != HC_OK)
        return rc;
    if ((rc = reprepare(s, err)) != HC_OK)
        return rc;
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
        hc_err first = {0};
        rc = execute(s, &first);
        if (rc == HC_EUNAVAILABLE && s->conn->broken && may_rerun(s)) {
            hc_err_clear(&first);
            if ((rc = reconnect(s->conn, &first)) == HC_OK)
                rc = execute(s, &first);
        }
        if (rc != HC_OK) {
            hc_err_set(err, first.code, first.field, "%s", first.msg);
            goto fail;
        }
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
    .state = my_state,
    .ready = my_ready,
    .host = my_host,
};

/* store: one table of functions over SQLite and MySQL-protocol servers, the
 * numbered migrations, and hc_db, the group-commit writer plus per-thread
 * readers that the rest of haicang goes through.
 *
 * Queries are written once with `?` placeholders (both dialects take them).
 * Where the dialects differ a caller asks hc_store_dialect() and picks the
 * variant; domain code never names a backend otherwise. */
#ifndef HC_STORE_H
#define HC_STORE_H

#include "base/base.h"

typedef struct hc_store hc_store; /* one connection; used by one thread at a time */
typedef struct hc_stmt hc_stmt;   /* a prepared statement, owned by its connection */

enum hc_dialect { HC_SQLITE = 1, HC_MYSQL = 2 };

/* What a connection is for: it sets how long any one wait may last.
 * Writer: connect 3 s, each read/write on the socket 30 s (above the 10 s
 * lock wait); reader: connect 3 s, 5 s (consistent reads take no row locks);
 * probe (readiness checks): 2 s and 2 s. A mysql:// URL may set them:
 * ?connect_timeout=S&read_timeout=S (readers, probes)&writer_timeout=S. */
enum hc_store_role { HC_ROLE_WRITER = 0, HC_ROLE_READER = 1, HC_ROLE_PROBE = 2 };

struct hc_store_opts {
    int role;        /* enum hc_store_role */
    int prefer_host; /* URLs naming several hosts: the index tried first */
};

/* hc_store_state() bits: what a failure did to the connection. */
#define HC_STORE_BROKEN 1  /* the connection is gone: close it and open another */
#define HC_STORE_ABORTED 2 /* the server rolled the open transaction back */

/* The table every driver fills in. Drivers report failures through err with
 * HC_EINTERNAL, or HC_EBUSY for a deadlock / lock timeout worth retrying, or
 * HC_ECONFLICT for a unique-key violation, or HC_EUNAVAILABLE when the
 * connection is lost or the server cannot serve (the message then names no
 * driver detail; the detail goes to the log). */
struct hc_store_driver {
    const char *name;
    int dialect;
    int (*open)(const char *url, const struct hc_store_opts *o, hc_store **out, hc_err *err);
    void (*close)(hc_store *s);
    int (*exec)(hc_store *s, const char *sql, hc_err *err); /* no parameters, no rows */
    int (*begin)(hc_store *s, hc_err *err);
    int (*commit)(hc_store *s, hc_err *err);
    int (*rollback)(hc_store *s, hc_err *err);
    int (*prepare)(hc_store *s, const char *sql, hc_stmt **out, hc_err *err);
    void (*finalize)(hc_stmt *st);
    int (*bind_int)(hc_stmt *st, int idx, int64_t v); /* idx from 1 */
    int (*bind_text)(hc_stmt *st, int idx, const char *v, size_t n);
    int (*bind_null)(hc_stmt *st, int idx);
    int (*step)(hc_stmt *st, hc_err *err); /* HC_ROW, HC_DONE or an error code */
    int (*reset)(hc_stmt *st);             /* ready to bind and step again */
    int (*column_count)(hc_stmt *st);
    int (*column_is_null)(hc_stmt *st, int col); /* col from 0 */
    int64_t (*column_int)(hc_stmt *st, int col);
    const char *(*column_text)(hc_stmt *st, int col); /* valid until the next step */
    int64_t (*changes)(hc_stmt *st);                   /* rows touched by the last step */
    /* Optional (NULL when every commit is durable by itself): switches the
     * connection to commits that return before the log is on disk, and gives
     * an fd whose fdatasync makes every commit made so far durable. hc_db
     * answers a write only after that sync, so an acknowledged write is as
     * durable as with synchronous commits; the writer just need not wait. */
    int (*nosync_commits)(hc_store *s, int *fd, hc_err *err);
    /* With nosync_commits: copies the log into the database durably and
     * starts the log afresh, so it does not grow without end. */
    int (*checkpoint)(hc_store *s, hc_err *err);
    /* HC_STORE_* bits since the last begin (BROKEN stays set for good). */
    int (*state)(hc_store *s);
    /* One round trip proving the server serves (on a Galera node: that it is
     * synced, wsrep_ready). */
    int (*ready)(hc_store *s, hc_err *err);
    /* Index of the URL host this connection reached (0 with one host). */
    int (*host)(const hc_store *s);
};

/* Every driver's connection struct begins with this, so the generic calls can
 * find the driver. Drivers set drv and leave the rest zero; the generic layer
 * owns the statement cache. */
struct hc_stmt_cache;
struct hc_store_base {
    const struct hc_store_driver *drv;
    struct hc_stmt_cache *cache;
    uint64_t tx; /* hc_store_tx */
};
struct hc_stmt_base {
    const struct hc_store_driver *drv;
};

#define HC_ROW 1
#define HC_DONE 2

extern const struct hc_store_driver hc_sqlite_driver;
extern const struct hc_store_driver hc_mysql_driver;

/* url: "sqlite:PATH" or "mysql://user:pass@host:port[,host2:port,...]/db".
 * With several hosts a connection goes to the first that answers, starting at
 * opts->prefer_host. hc_store_open opens a writer-role connection. */
int hc_store_open(const char *url, hc_store **out, hc_err *err);
int hc_store_open_opts(const char *url, const struct hc_store_opts *o, hc_store **out,
                       hc_err *err);
int hc_store_state(hc_store *s);
int hc_store_ready(hc_store *s, hc_err *err);
int hc_store_host(const hc_store *s);
void hc_store_close(hc_store *s);
int hc_store_dialect(const hc_store *s);
int hc_store_exec(hc_store *s, const char *sql, hc_err *err);
int hc_store_begin(hc_store *s, hc_err *err);
int hc_store_commit(hc_store *s, hc_err *err);
int hc_store_rollback(hc_store *s, hc_err *err);
/* The current transaction of s (begun by hc_store_begin): a number no other
 * transaction of this process has had, and a new one after any ROLLBACK
 * (TO SAVEPOINT) run in it, so what was read in it may be remembered under
 * this number; 0 outside a transaction (remember nothing). */
uint64_t hc_store_tx(const hc_store *s);

/* The pipelined-sync hooks of the driver (see struct hc_store_driver). */
bool hc_store_can_pipeline(const hc_store *s);
int hc_store_nosync_commits(hc_store *s, int *fd, hc_err *err);
int hc_store_checkpoint(hc_store *s, hc_err *err);

/* Prepared statements are cached per connection by SQL text: the returned
 * statement is reset and unbound, and stays owned by the connection. */
int hc_store_prepare(hc_store *s, const char *sql, hc_stmt **out, hc_err *err);
int hc_stmt_bind_int(hc_stmt *st, int idx, int64_t v);
int hc_stmt_bind_text(hc_stmt *st, int idx, const char *v); /* NULL binds NULL */
int hc_stmt_bind_textn(hc_stmt *st, int idx, const char *v, size_t n);
int hc_stmt_bind_null(hc_stmt *st, int idx);
int hc_stmt_step(hc_stmt *st, hc_err *err);
int hc_stmt_reset(hc_stmt *st);
int hc_stmt_is_null(hc_stmt *st, int col);
int64_t hc_stmt_int(hc_stmt *st, int col);
const char *hc_stmt_text(hc_stmt *st, int col); /* "" for NULL */
/* The column's text copied into a, or NULL when it is '' or NULL. */
const char *hc_stmt_text_opt(hc_arena *a, hc_stmt *st, int col);
int64_t hc_stmt_changes(hc_stmt *st);

/* Binds the arguments described by fmt ('i' int64_t, 's' const char *, 'n'
 * NULL) from index 1, steps once and resets. For INSERT/UPDATE/DELETE.
 * *changes (may be NULL) gets the rows touched. */
int hc_store_run(hc_store *s, hc_err *err, int64_t *changes, const char *sql, const char *fmt,
                 ...);
/* Prepares and binds like hc_store_run and leaves the statement ready for the
 * caller's hc_stmt_step loop; call hc_stmt_reset when done. */
int hc_store_query(hc_store *s, hc_err *err, hc_stmt **out, const char *sql, const char *fmt,
                   ...);
/* The SQL that writes one row of table's columns cols (NULL-ended; the first
 * nkeys are the table's primary or unique key) or, when a row with that key
 * is there, replaces its other columns: INSERT ... ON DUPLICATE KEY UPDATE on
 * MySQL, ON CONFLICT ... DO UPDATE on SQLite, written into sql (size bytes,
 * which must hold it). Bind the columns in order. */
void hc_store_upsert_sql(hc_store *s, char *sql, size_t size, const char *table,
                         const char *const *cols, size_t nkeys);
/* One integer from the first row's first column; HC_ENOTFOUND with no row. */
int hc_store_int(hc_store *s, hc_err *err, int64_t *out, const char *sql, const char *fmt, ...);

/* One page of a list by key: SELECT key FROM table WHERE col = val (for
 * each eq whose val is set) AND key >/< cursor ORDER BY key (DESC when desc)
 * LIMIT limit. table, key and the columns are the caller's constants, never
 * user input. *keys (in a) gets the page, *next the cursor of the next page
 * or NULL. */
struct hc_eq {
    const char *col, *val;
};
int hc_store_page_keys(hc_store *s, hc_arena *a, const char *table, const char *key, bool desc,
                       const struct hc_eq *eq, size_t neq, const char *cursor, int limit,
                       const char ***keys, size_t *n, const char **next, hc_err *err);

/* A LIKE pattern matching values that start with prefix, with %, _ and the
 * escape character escaped; use it as `col LIKE ? ESCAPE '!'` (one escape
 * character both dialects read the same way). Lives in a. */
#define HC_LIKE_ESCAPE " ESCAPE '!'"
char *hc_store_like_prefix(hc_arena *a, const char *prefix);

/* Applies every numbered migration the database lacks, recording it in
 * schema_version. Safe to run from several processes at once: it holds a
 * lock (GET_LOCK on MySQL-protocol servers, BEGIN IMMEDIATE on SQLite) and
 * reads the version again under it; every statement is idempotent (IF NOT
 * EXISTS), for servers where the lock is per node (Galera). */
int hc_store_migrate(hc_store *s, hc_err *err);
int hc_store_schema_version(hc_store *s, int *version, hc_err *err);

/* ---- hc_db: the shared handle of a running process -----------------------
 * Writes go through hc_db_write: jobs from many threads are gathered into one
 * transaction (group commit), each job inside its own savepoint so one failing
 * job rolls back alone. hc_db_write returns only after the transaction holding
 * the job is durable (or failed). Reads use hc_db_reader: one connection per
 * calling thread, opened on first use. */
typedef struct hc_db hc_db;
typedef int (*hc_write_fn)(hc_store *s, void *ctx, hc_err *err);

struct hc_db_options {
    int max_batch;       /* jobs per transaction at most (default 512) */
    int writers;         /* writer threads (SQLite: always 1) */
    /* Testing seam: called on the writer's connection just before COMMIT. */
    void (*before_commit)(hc_store *s, void *arg);
    void *hook_arg;
};

int hc_db_open(const char *url, const struct hc_db_options *opt, hc_db **out, hc_err *err);
void hc_db_close(hc_db *db);
int hc_db_dialect(const hc_db *db);
const char *hc_db_url(const hc_db *db);

/* Runs fn(store, ctx, err) in a writer transaction; blocks until durable.
 *
 * fn may run more than once (a deadlock, a Galera certification conflict, a
 * connection lost before COMMIT: the transaction is gone and is run again,
 * with jittered backoff), so it must start from its inputs each time and
 * keep nothing from a previous run in ctx. A job is reported HC_OK only when
 * every statement of its transaction succeeded, COMMIT included. When the
 * connection is lost during COMMIT the outcome is unknown: the job gets
 * HC_EUNAVAILABLE with a message saying to retry with the same
 * Idempotency-Key. While the database is unreachable jobs fail at once with
 * HC_EUNAVAILABLE. */
int hc_db_write(hc_db *db, hc_write_fn fn, void *ctx, hc_err *err);
/* Same, but returns at once; done(ctx, rc, err) is called from the writer
 * thread once the job's transaction is durable or has failed. */
typedef void (*hc_write_done_fn)(void *ctx, int rc, const hc_err *err);
void hc_db_write_async(hc_db *db, hc_write_fn fn, void *ctx, hc_write_done_fn done);
/* The calling thread's read connection: reopened when its last use broke it
 * (a SELECT outside a transaction reconnects by itself: see mysql.c); NULL with
 * HC_EUNAVAILABLE while the database is unreachable. On a Galera cluster
 * readers spread over the nodes and read with wsrep_sync_wait=1, so a read
 * sees every write acknowledged before it began. */
hc_store *hc_db_reader(hc_db *db, hc_err *err);

/* Readiness, answered at once from a background probe (every second, its own
 * connection, 2 s bound; a probe still running after 1.5 s counts as down):
 * HC_OK, or HC_EUNAVAILABLE with err saying why. */
int hc_db_ready(hc_db *db, hc_err *err);

struct hc_db_stats {
    int64_t jobs, batches, failed_jobs;
    int64_t writer_busy_ns; /* time writers spent running batches */
    int64_t syncs;          /* fdatasyncs of the pipelined log */
    int64_t retries;        /* transactions run again (conflict, lost connection) */
    int64_t reconnects;     /* connections reopened after they broke */
    int64_t unknown;        /* jobs whose COMMIT outcome was unknown */
};
void hc_db_stats(hc_db *db, struct hc_db_stats *out);

/* Rows that replace one another by effective day (versions.c): a table with
 * columns warehouse, id, effective_from, effective_to ('' open) and
 * superseded_by ('' while live), its versions chained by warehouse and key. */
struct hc_versioned {
    const char *table; /* "rate_cards" */
    const char *key;   /* the chain's column besides warehouse: "seller" */
    const char *what;  /* a row in messages: "card" */
};
/* A live row of the chain (warehouse, key) other than skip (may be NULL)
 * whose days meet [from, to] (to NULL: open): its id in *hit (copied into
 * a), else NULL. A locking read on MySQL, so that two writers cannot both
 * add overlapping versions. */
int hc_versioned_overlap(hc_store *s, hc_arena *a, const struct hc_versioned *t,
                         const char *warehouse, const char *key, const char *from, const char *to,
                         const char *skip, const char **hit, hc_err *err);
/* The number the chain's next version takes (1 for the first). */
int hc_versioned_next(hc_store *s, const struct hc_versioned *t, const char *warehouse,
                      const char *key, int64_t *version, hc_err *err);
/* Marks row old superseded by id; HC_ECONFLICT naming "replaces" ("<what>
 * <old> was replaced meanwhile") when it was not live any more. */
int hc_versioned_supersede(hc_store *s, const struct hc_versioned *t, const char *warehouse,
                           const char *old, const char *id, hc_err *err);

#endif

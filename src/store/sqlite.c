/* sqlite.c: the embedded SQLite driver. WAL journal; a commit is on disk
 * before it is acknowledged: synchronous=FULL on every connection but the
 * group-commit writer's, which commits with synchronous=OFF while db.c syncs
 * the WAL file itself before it answers any job (sq_nosync_commits). Speed
 * comes from group commit, not from weaker durability. */
#include "store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

struct hc_store {
    struct hc_store_base base;
    sqlite3 *db;
    bool in_txn; /* between begin and commit/rollback */
};

/* Every wait on another connection's lock is bounded: 10 s for work, 2 s for
 * a readiness probe. Past it the statement fails with HC_EBUSY (503). */
#define BUSY_MS 10000
#define PROBE_BUSY_MS 2000

struct hc_stmt {
    struct hc_stmt_base base;
    sqlite3_stmt *st;
    struct hc_store *owner;
    int64_t changes;
};

static int fail(sqlite3 *db, int rc, hc_err *err)
{
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return hc_err_set(err, HC_EBUSY, "", "sqlite: %s", msg);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return hc_err_set(err, HC_ECONFLICT, "", "sqlite: %s", msg);
    return hc_err_set(err, HC_EINTERNAL, "", "sqlite: %s", msg);
}

/* Inside a transaction SQLite rolled back by itself, no statement may run:
 * it would run in autocommit and be kept although its transaction is gone. */
static int txn_gone(hc_store *s, hc_err *err)
{
    if (s->in_txn && sqlite3_get_autocommit(s->db))
        return hc_err_set(err, HC_EBUSY, "", "sqlite rolled the transaction back; retry");
    return HC_OK;
}

static int sq_exec(hc_store *s, const char *sql, hc_err *err)
{
    int gone = txn_gone(s, err);
    if (gone != HC_OK)
        return gone;
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    sqlite3_free(msg);
    return rc == SQLITE_OK ? HC_OK : fail(s->db, rc, err);
}

/* Process-wide settings, before SQLite's first use: no memory statistics
 * (they take a global mutex on every allocation); connections are each used
 * by one thread at a time. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;

static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_initialize();
}

static int sq_open(const char *url, const struct hc_store_opts *o, hc_store **out, hc_err *err)
{
    pthread_once(&configured, configure);
    const char *path = url + strlen("sqlite:");
    if (*path == '\0')
        return hc_err_set(err, HC_EINVAL, "db", "sqlite: URL needs a path");
    struct hc_store *s = calloc(1, sizeof(*s));
    if (s == NULL)
        abort();
    s->base.drv = &hc_sqlite_driver;
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "db", "cannot open %s: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    int busy_ms = o->role == HC_ROLE_PROBE ? PROBE_BUSY_MS : BUSY_MS;
    sqlite3_busy_timeout(s->db, busy_ms);
    /* Switching a new file to WAL takes an exclusive lock, and SQLite answers
     * BUSY at once (without the busy handler) when another process is doing
     * the same: try again for as long as the busy timeout. */
    for (int waited_ms = 0;; waited_ms += 10) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= busy_ms)
            break;
        usleep(10000);
    }
    if (rc != SQLITE_OK) {
        rc = fail(s->db, rc, err);
        goto fail;
    }
    rc = sq_exec(s,
                 "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
                 "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;",
                 err);
    if (rc != HC_OK)
        goto fail;
    *out = s;
    return HC_OK;
fail:
    sqlite3_close(s->db);
    free(s);
    return rc;
}

static void sq_close(hc_store *s)
{
    sqlite3_close_v2(s->db);
    free(s);
}

static int sq_begin(hc_store *s, hc_err *err)
{
    int rc = sq_exec(s, "BEGIN IMMEDIATE", err);
    s->in_txn = rc == HC_OK;
    return rc;
}

static int sq_commit(hc_store *s, hc_err *err)
{
    int rc = sq_exec(s, "COMMIT", err);
    /* a failed COMMIT (busy) leaves the transaction open for a rollback */
    s->in_txn = rc != HC_OK && !sqlite3_get_autocommit(s->db);
    return rc;
}

static int sq_rollback(hc_store *s, hc_err *err)
{
    s->in_txn = false;
    if (sqlite3_get_autocommit(s->db))
        return HC_OK;
    return sq_exec(s, "ROLLBACK", err);
}

/* SQLite rolls a whole transaction back by itself on some errors (full disk,
 * I/O, out of memory; or a ROLLBACK run inside it): the connection is then
 * back in autocommit although begin was called. */
static int sq_state(hc_store *s)
{
    return s->in_txn && sqlite3_get_autocommit(s->db) ? HC_STORE_ABORTED : 0;
}

static int sq_ready(hc_store *s, hc_err *err)
{
    return sq_exec(s, "SELECT COUNT(*) FROM sqlite_master", err);
}

static int sq_prepare(hc_store *s, const char *sql, hc_stmt **out, hc_err *err)
{
    struct hc_stmt *st = calloc(1, sizeof(*st));
    if (st == NULL)
        abort();
    st->base.drv = &hc_sqlite_driver;
    st->owner = s;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
    if (rc != SQLITE_OK) {
        rc = fail(s->db, rc, err);
        free(st);
        return rc;
    }
    *out = st;
    return HC_OK;
}

static void sq_finalize(hc_stmt *st)
{
    sqlite3_finalize(st->st);
    free(st);
}

static int sq_bind_int(hc_stmt *st, int idx, int64_t v)
{
    return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? HC_OK : HC_EINTERNAL;
}

static int sq_bind_text(hc_stmt *st, int idx, const char *v, size_t n)
{
    return sqlite3_bind_text(st->st, idx, v, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? HC_OK
                                                                                   : HC_EINTERNAL;
}

static int sq_bind_null(hc_stmt *st, int idx)
{
    return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? HC_OK : HC_EINTERNAL;
}

static int sq_step(hc_stmt *st, hc_err *err)
{
    int rc = txn_gone(st->owner, err);
    if (rc != HC_OK)
        return rc;
    rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return HC_ROW;
    if (rc == SQLITE_DONE) {
        st->changes = sqlite3_changes64(st->owner->db);
        return HC_DONE;
    }
    return fail(st->owner->db, rc, err);
}

static int sq_reset(hc_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    return HC_OK;
}

static int sq_column_count(hc_stmt *st)
{
    return sqlite3_column_count(st->st);
}

static int sq_column_is_null(hc_stmt *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int64_t sq_column_int(hc_stmt *st, int col)
{
    return sqlite3_column_int64(st->st, col);
}

static const char *sq_column_text(hc_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->st, col);
}

static int64_t sq_changes(hc_stmt *st)
{
    return st->changes;
}

/* The writer's connection stops syncing on commit (and stops checkpointing
 * by itself); db.c syncs the WAL file and acknowledges after that. */
static int sq_nosync_commits(hc_store *s, int *fd, hc_err *err)
{
    const char *db = sqlite3_db_filename(s->db, "main");
    if (db == NULL || *db == '\0')
        return hc_err_set(err, HC_EINTERNAL, "db", "sqlite: no file behind the database");
    int rc = sq_exec(s, "PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0", err);
    if (rc != HC_OK)
        return rc;
    /* sqlite creates the -wal file with the first write; make sure it exists */
    if ((rc = sq_exec(s, "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS hc_wal_probe (x);"
                         " DROP TABLE hc_wal_probe; COMMIT",
                      err)) != HC_OK)
        return rc;
    char path[4200];
    snprintf(path, sizeof(path), "%s-wal", db);
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return hc_err_set(err, HC_EINTERNAL, "db", "sqlite: cannot open %s", path);
    return HC_OK;
}

static int sq_checkpoint(hc_store *s, hc_err *err)
{
    /* synchronous=FULL around the checkpoint: WAL synced before the copy,
     * the database file after it */
    int rc = sq_exec(s, "PRAGMA synchronous=FULL", err);
    if (rc == HC_OK) {
        int log = 0, done = 0;
        int src = sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_RESTART, &log, &done);
        if (src != SQLITE_OK && src != SQLITE_BUSY)
            rc = fail(s->db, src, err);
    }
    hc_err tmp = {0};
    sq_exec(s, "PRAGMA synchronous=OFF", &tmp);
    return rc;
}

const struct hc_store_driver hc_sqlite_driver = {
    .name = "sqlite",
    .dialect = HC_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .column_count = sq_column_count,
    .column_is_null = sq_column_is_null,
    .column_int = sq_column_int,
    .column_text = sq_column_text,
    .changes = sq_changes,
    .nosync_commits = sq_nosync_commits,
    .checkpoint = sq_checkpoint,
    .state = sq_state,
    .ready = sq_ready,
};

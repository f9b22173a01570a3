/* Unit tests for src/store: binding and reading, the statement cache,
 * conflicts, migrations, and group commit (a failing job rolls back alone,
 * every job is answered, many writers lose nothing), and the writer's
 * failure handling: a transaction rolled back under a batch (as Galera or a
 * deadlock does between two statements), a connection killed between
 * statements or during COMMIT, a job that conflicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <semaphore.h>

#include "helpers.h"

#include <stdatomic.h>

static char url[512];

static void bind_and_read(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_exec(s, "CREATE TABLE t (k VARCHAR(32) NOT NULL PRIMARY KEY,"
                                      " n BIGINT, txt VARCHAR(200))",
                                   &err),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL, "INSERT INTO t (k, n, txt) VALUES (?, ?, ?)",
                                  "sis", "a", (int64_t)INT64_MAX, "海仓"),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL, "INSERT INTO t (k, n, txt) VALUES (?, ?, ?)",
                                  "sin", "b", (int64_t)-7),
                     HC_OK);
    hc_stmt *q;
    assert_int_equal(hc_store_query(s, &err, &q, "SELECT k, n, txt FROM t ORDER BY k", ""), HC_OK);
    assert_int_equal(hc_stmt_step(q, &err), HC_ROW);
    assert_string_equal(hc_stmt_text(q, 0), "a");
    assert_true(hc_stmt_int(q, 1) == INT64_MAX);
    assert_string_equal(hc_stmt_text(q, 2), "海仓");
    assert_int_equal(hc_stmt_step(q, &err), HC_ROW);
    assert_true(hc_stmt_int(q, 1) == -7);
    assert_true(hc_stmt_is_null(q, 2));
    assert_int_equal(hc_stmt_step(q, &err), HC_DONE);
    hc_stmt_reset(q);
    /* a duplicate key is a conflict, not an internal error */
    assert_int_equal(hc_store_run(s, &err, NULL, "INSERT INTO t (k) VALUES (?)", "s", "a"),
                     HC_ECONFLICT);
    hc_err_clear(&err);
    /* changes count matched rows */
    int64_t changes = -1;
    assert_int_equal(hc_store_run(s, &err, &changes, "UPDATE t SET n = n WHERE k = ?", "s", "b"),
                     HC_OK);
    assert_int_equal(changes, 1);
    assert_int_equal(hc_store_run(s, &err, &changes, "UPDATE t SET n = 1 WHERE k = ?", "s", "zz"),
                     HC_OK);
    assert_int_equal(changes, 0);
    int64_t v;
    assert_int_equal(hc_store_int(s, &err, &v, "SELECT COUNT(*) FROM t", ""), HC_OK);
    assert_int_equal(v, 2);
    assert_int_equal(hc_store_int(s, &err, &v, "SELECT n FROM t WHERE k = ?", "s", "none"),
                     HC_ENOTFOUND);
    hc_store_exec(s, "DROP TABLE t", &err);
    hc_store_close(s);
}

/* An upsert writes a new key and replaces the other columns of a known one,
 * on either dialect. */
static void upsert_replaces_the_other_columns(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_exec(s, "CREATE TABLE u (a VARCHAR(8) NOT NULL, b BIGINT NOT NULL,"
                                      " n BIGINT, txt VARCHAR(20), PRIMARY KEY (a, b))",
                                   &err),
                     HC_OK);
    static const char *const cols[] = {"a", "b", "n", "txt", NULL};
    char sql[256];
    hc_store_upsert_sql(s, sql, sizeof(sql), "u", cols, 2);
    if (hc_store_dialect(s) != HC_MYSQL)
        assert_string_equal(sql, "INSERT INTO u (a, b, n, txt) VALUES (?, ?, ?, ?) ON CONFLICT"
                                 " (a, b) DO UPDATE SET n = excluded.n, txt = excluded.txt");
    assert_int_equal(hc_store_run(s, &err, NULL, sql, "siis", "x", (int64_t)1, (int64_t)5, "one"),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL, sql, "siis", "x", (int64_t)2, (int64_t)6, "two"),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL, sql, "siis", "x", (int64_t)1, (int64_t)7, "new"),
                     HC_OK);
    int64_t v;
    assert_int_equal(hc_store_int(s, &err, &v, "SELECT COUNT(*) FROM u", ""), HC_OK);
    assert_int_equal(v, 2);
    assert_int_equal(hc_store_int(s, &err, &v, "SELECT n FROM u WHERE a = 'x' AND b = 1", ""),
                     HC_OK);
    assert_int_equal(v, 7);
    hc_store_exec(s, "DROP TABLE u", &err);
    hc_store_close(s);
}

static void migrations_are_idempotent(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    int v1 = 0, v2 = 0;
    assert_int_equal(hc_store_schema_version(s, &v1, &err), HC_OK);
    assert_true(v1 >= 1);
    assert_int_equal(hc_store_migrate(s, &err), HC_OK);
    assert_int_equal(hc_store_schema_version(s, &v2, &err), HC_OK);
    assert_int_equal(v1, v2);
    hc_store_close(s);
}

static int insert_job(hc_store *s, void *ctx, hc_err *err)
{
    intptr_t i = (intptr_t)ctx;
    if (i % 10 == 3) { /* write, then fail: the savepoint must undo the write */
        hc_store_run(s, err, NULL, "INSERT INTO gc (k) VALUES (?)", "i", (int64_t)(i + 1000000));
        return hc_err_set(err, HC_EINVAL, "k", "job %ld refuses", (long)i);
    }
    return hc_store_run(s, err, NULL, "INSERT INTO gc (k) VALUES (?)", "i", (int64_t)i);
}

struct writer_arg {
    hc_db *db;
    int from, n, failed;
};

static void *writer(void *p)
{
    struct writer_arg *a = p;
    for (int i = a->from; i < a->from + a->n; i++) {
        hc_err err = {0};
        if (hc_db_write(a->db, insert_job, (void *)(intptr_t)i, &err) != HC_OK) {
            a->failed++;
            if (err.code != HC_EINVAL || strcmp(err.field, "k") != 0)
                abort();
        }
    }
    return NULL;
}

static void group_commit(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    hc_store_exec(s, "DROP TABLE IF EXISTS gc", &err);
    assert_int_equal(hc_store_exec(s, "CREATE TABLE gc (k BIGINT NOT NULL PRIMARY KEY)", &err),
                     HC_OK);
    hc_store_close(s);
    hc_db *db;
    assert_int_equal(hc_db_open(url, NULL, &db, &err), HC_OK);
    enum { THREADS = 16, PER = 200 };
    pthread_t t[THREADS];
    struct writer_arg a[THREADS];
    for (int i = 0; i < THREADS; i++) {
        a[i] = (struct writer_arg){db, i * PER, PER, 0};
        pthread_create(&t[i], NULL, writer, &a[i]);
    }
    int failed = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failed += a[i].failed;
    }
    struct hc_db_stats st;
    hc_db_stats(db, &st);
    assert_int_equal(st.jobs, THREADS * PER);
    assert_true(st.batches < st.jobs); /* jobs really were grouped */
    hc_store *r = hc_db_reader(db, &err);
    int64_t n = 0, stray = 0;
    assert_int_equal(hc_store_int(r, &err, &n, "SELECT COUNT(*) FROM gc", ""), HC_OK);
    assert_int_equal(hc_store_int(r, &err, &stray, "SELECT COUNT(*) FROM gc WHERE k >= 1000000",
                                  ""),
                     HC_OK);
    assert_int_equal(failed, THREADS * PER / 10);
    assert_int_equal(n, THREADS * PER - failed);
    assert_int_equal(stray, 0);
    hc_db_close(db);
}

/* ---- failure handling -------------------------------------------------------
 * Jobs are queued behind a gate job so that they run as one batch. */
enum { NJOBS = 6 };

struct fjob {
    int k;           /* the row it inserts */
    int mode;        /* what it does on its first run */
    atomic_int runs;
    int rc;
    hc_err err;
    sem_t *done;
};
enum { F_PLAIN, F_ROLLBACK, F_KILL, F_BUSY, F_ROLLBACK_SWALLOWED };

static sem_t gate;

static int gate_job(hc_store *s, void *ctx, hc_err *err)
{
    while (sem_wait(&gate) != 0)
        ;
    return HC_OK;
}

static void gate_done(void *ctx, int rc, const hc_err *err)
{
}

/* Kills connection `id` from a connection of its own. */
static void kill_conn(int64_t id)
{
    hc_store *k;
    hc_err err = {0};
    char sql[64];
    assert_int_equal(hc_store_open(url, &k, &err), HC_OK);
    snprintf(sql, sizeof(sql), "KILL %lld", (long long)id);
    assert_int_equal(hc_store_exec(k, sql, &err), HC_OK);
    hc_store_close(k);
}

static int fault_job(hc_store *s, void *ctx, hc_err *err)
{
    struct fjob *j = ctx;
    int run = atomic_fetch_add(&j->runs, 1);
    int rc = hc_store_run(s, err, NULL, "INSERT INTO gc (k) VALUES (?)", "i", (int64_t)j->k);
    if (rc == HC_OK && j->mode == F_ROLLBACK_SWALLOWED) {
        /* the transaction goes under the job, which ignores what the next
         * statement says and writes again: that write must not be kept on
         * its own (it would turn the retry's write into a conflict) */
        if (run == 0 && hc_store_exec(s, "ROLLBACK", err) != HC_OK)
            return HC_EINTERNAL;
        hc_err ignored = {0};
        int rc2 = hc_store_run(s, &ignored, NULL, "INSERT INTO gc (k) VALUES (?)", "i",
                               (int64_t)j->k + 1000);
        if (run == 0)
            assert_int_equal(rc2, HC_EBUSY);
        return run == 0 ? HC_OK : rc2;
    }
    if (rc != HC_OK || run > 0)
        return rc;
    switch (j->mode) {
    case F_ROLLBACK: /* the server drops the transaction between two statements */
        return hc_store_exec(s, "ROLLBACK", err);
    case F_KILL: {
        int64_t id;
        assert_int_equal(hc_store_int(s, err, &id, "SELECT CONNECTION_ID()", ""), HC_OK);
        kill_conn(id);
        return HC_OK; /* the job does not notice: the next statement must */
    }
    case F_BUSY: /* as a deadlock reported to the job */
        return hc_err_set(err, HC_EBUSY, "", "deadlock (simulated)");
    }
    return HC_OK;
}

static void fault_done(void *ctx, int rc, const hc_err *err)
{
    struct fjob *j = ctx;
    j->rc = rc;
    j->err = *err;
    sem_post(j->done);
}

static hc_db *fresh_gc(const struct hc_db_options *o)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    hc_store_exec(s, "DROP TABLE IF EXISTS gc", &err);
    assert_int_equal(hc_store_exec(s, "CREATE TABLE gc (k BIGINT NOT NULL PRIMARY KEY)", &err),
                     HC_OK);
    hc_store_close(s);
    hc_db *db;
    assert_int_equal(hc_db_open(url, o, &db, &err), HC_OK);
    return db;
}

/* Runs NJOBS fault jobs as one batch, job `which` with `mode`. */
static void run_faults(hc_db *db, struct fjob *jobs, int which, int mode)
{
    sem_t done;
    sem_init(&done, 0, 0);
    sem_init(&gate, 0, 0);
    hc_db_write_async(db, gate_job, NULL, gate_done);
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL); /* the writer is in the gate job: the rest queue up */
    for (int i = 0; i < NJOBS; i++) {
        jobs[i] = (struct fjob){.k = 100 + i, .mode = i == which ? mode : F_PLAIN, .done = &done};
        hc_db_write_async(db, fault_job, &jobs[i], fault_done);
    }
    sem_post(&gate);
    for (int i = 0; i < NJOBS; i++)
        while (sem_wait(&done) != 0)
            ;
    sem_destroy(&done);
    sem_destroy(&gate);
}

static int64_t rows(hc_db *db, const char *where)
{
    hc_err err = {0};
    hc_store *r = hc_db_reader(db, &err);
    assert_non_null(r);
    int64_t n = -1;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM gc%s", where);
    assert_int_equal(hc_store_int(r, &err, &n, sql, ""), HC_OK);
    return n;
}

/* Every job answered OK has its row, once; the transaction that went was
 * really run again. */
static void all_written(hc_db *db, struct fjob *jobs)
{
    for (int i = 0; i < NJOBS; i++)
        assert_int_equal(jobs[i].rc, HC_OK);
    assert_int_equal(rows(db, ""), NJOBS);
    struct hc_db_stats st;
    hc_db_stats(db, &st);
    assert_true(st.retries >= 1);
}

static void transaction_rolled_back_under_batch(void **state)
{
    hc_db *db = fresh_gc(NULL);
    struct fjob jobs[NJOBS];
    /* job 2 inserts, then the transaction is rolled back under it: jobs 0-2
     * are gone; the old writer went on in autocommit and answered all 201 */
    run_faults(db, jobs, 2, F_ROLLBACK);
    all_written(db, jobs);
    assert_int_equal(atomic_load(&jobs[0].runs), 2); /* the whole batch ran again */
    hc_db_close(db);
}

static void no_statement_after_the_transaction_went(void **state)
{
    hc_db *db = fresh_gc(NULL);
    struct fjob jobs[NJOBS];
    run_faults(db, jobs, 2, F_ROLLBACK_SWALLOWED);
    for (int i = 0; i < NJOBS; i++)
        assert_int_equal(jobs[i].rc, HC_OK);
    assert_int_equal(rows(db, ""), NJOBS + 1);
    assert_int_equal(rows(db, " WHERE k = 1102"), 1);
    hc_db_close(db);
}

static void conflicting_job_runs_alone(void **state)
{
    hc_db *db = fresh_gc(NULL);
    struct fjob jobs[NJOBS];
    run_faults(db, jobs, 3, F_BUSY);
    all_written(db, jobs);
    assert_int_equal(atomic_load(&jobs[3].runs), 2);
    hc_db_close(db);
}

static void connection_killed_between_statements(void **state)
{
    if (strncmp(url, "mysql://", 8) != 0)
        skip();
    hc_db *db = fresh_gc(NULL);
    struct fjob jobs[NJOBS];
    run_faults(db, jobs, 1, F_KILL);
    all_written(db, jobs);
    struct hc_db_stats st;
    hc_db_stats(db, &st);
    assert_true(st.reconnects >= 1);
    hc_db_close(db);
}

static atomic_int hook_fired;

static void break_commit(hc_store *s, void *arg)
{
    if (atomic_fetch_add(&hook_fired, 1) != 1) /* the batch after the gate's, once */
        return;
    hc_err err = {0};
    if (hc_store_dialect(s) == HC_SQLITE) { /* SQLite cannot lose a connection: drop the txn */
        hc_store_exec(s, "ROLLBACK", &err);
        return;
    }
    int64_t id;
    assert_int_equal(hc_store_int(s, &err, &id, "SELECT CONNECTION_ID()", ""), HC_OK);
    kill_conn(id);
}

static void commit_failure(void **state)
{
    atomic_store(&hook_fired, 0);
    struct hc_db_options o = {.before_commit = break_commit};
    hc_db *db = fresh_gc(&o);
    struct fjob jobs[NJOBS];
    run_faults(db, jobs, -1, F_PLAIN);
    struct hc_db_stats st;
    hc_db_stats(db, &st);
    if (hc_db_dialect(db) == HC_SQLITE) {
        /* the transaction was gone before COMMIT: known, run again */
        all_written(db, jobs);
    } else {
        /* lost during COMMIT: nobody is told OK, everyone to retry with the key */
        for (int i = 0; i < NJOBS; i++) {
            assert_int_equal(jobs[i].rc, HC_EUNAVAILABLE);
            assert_int_equal(hc_err_status(jobs[i].rc), 503);
            assert_non_null(strstr(jobs[i].err.msg, "Idempotency-Key"));
            assert_null(strstr(jobs[i].err.msg, "2013"));
        }
        assert_true(st.unknown >= NJOBS);
        /* and the writer works again on a new connection */
        hc_err err = {0};
        struct fjob again = {.k = 999};
        sem_t done;
        sem_init(&done, 0, 0);
        again.done = &done;
        hc_db_write_async(db, fault_job, &again, fault_done);
        while (sem_wait(&done) != 0)
            ;
        sem_destroy(&done);
        assert_int_equal(again.rc, HC_OK);
        assert_int_equal(rows(db, " WHERE k = 999"), 1);
        (void)err;
    }
    hc_db_close(db);
}

int main(void)
{
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bind_and_read),
        cmocka_unit_test(upsert_replaces_the_other_columns),
        cmocka_unit_test(migrations_are_idempotent),
        cmocka_unit_test(group_commit),
        cmocka_unit_test(transaction_rolled_back_under_batch),
        cmocka_unit_test(no_statement_after_the_transaction_went),
        cmocka_unit_test(conflicting_job_runs_alone),
        cmocka_unit_test(connection_killed_between_statements),
        cmocka_unit_test(commit_failure),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}

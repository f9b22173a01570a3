/* Unit tests for src/store: binding and reading, the statement cache,
 * conflicts, migrations, and group commit (a failing job rolls back alone,
 * every job is answered, many writers lose nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "helpers.h"

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

int main(void)
{
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bind_and_read),
        cmocka_unit_test(migrations_are_idempotent),
        cmocka_unit_test(group_commit),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}

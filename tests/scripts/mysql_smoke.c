/* mysql_smoke.c: drives hc_mysql_driver directly against a live server.
 *
 *   mysql_smoke mysql://haicang:haicang@127.0.0.1:PORT/haicang_test
 *
 * Exits 0 when every check passes, 1 otherwise (each failure is printed),
 * 77 (meson's "skipped") without a URL. Uses its own tables, dropped at the
 * start, so it can run again on the same database. The lock-timeout check
 * opens a second connection and lowers its innodb_lock_wait_timeout to 1 s. */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct hc_store_driver *D = &hc_mysql_driver;
static int failures;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                             \
        }                                                                           \
    } while (0)

/* Runs sql (no parameters, no rows); a failure is fatal. */
static void must_exec(hc_store *s, const char *sql)
{
    hc_err err = {0};
    if (D->exec(s, sql, &err) != HC_OK) {
        fprintf(stderr, "exec failed: %s\n  sql: %s\n", err.msg, sql);
        exit(1);
    }
}

static hc_stmt *must_prepare(hc_store *s, const char *sql)
{
    hc_err err = {0};
    hc_stmt *st = NULL;
    if (D->prepare(s, sql, &st, &err) != HC_OK) {
        fprintf(stderr, "prepare failed: %s\n  sql: %s\n", err.msg, sql);
        exit(1);
    }
    return st;
}

/* Steps once and expects want; returns the code for the caller. */
static int step_expect(hc_stmt *st, int want, hc_err *err)
{
    hc_err_clear(err);
    int rc = D->step(st, err);
    if (rc != want)
        fprintf(stderr, "step: got %d want %d (%s)\n", rc, want, err->msg);
    return rc;
}

/* One statement run on another thread, for the deadlock check. */
struct dl_job {
    hc_store *s;
    const char *sql;
    int rc;
    hc_err err;
};

static void *dl_run(void *arg)
{
    struct dl_job *j = arg;
    j->rc = D->exec(j->s, j->sql, &j->err);
    return NULL;
}

static void test_url_errors(void)
{
    static const char *const bad[] = {
        "sqlite:foo.db",
        "mysql://host",
        "mysql://u:p@host:99999/db",
        "mysql://u:p@host:12x/db",
        "mysql://u:p%zz@host/db",
        "mysql://u:p@host/",
        "mysql://u:p@host/db-name",
        "mysql://u:p@host/db?nope=1",
        "mysql://u:p@[::1/db",
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err err = {0};
        hc_store *s = NULL;
        int rc = D->open(bad[i], &s, &err);
        if (rc != HC_EINVAL) {
            fprintf(stderr, "url %s: got %d (%s)\n", bad[i], rc, err.msg);
            failures++;
            if (s != NULL)
                D->close(s);
        }
    }
    /* a wrong password is a clean HC_EINTERNAL, not a crash */
    hc_err err = {0};
    hc_store *s = NULL;
    CHECK(D->open("mysql://haicang:wrong@127.0.0.1:1/x", &s, &err) == HC_EINTERNAL);
    CHECK(s == NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s mysql://user:pass@host:port/db\n", argv[0]);
        return 77;
    }
    test_url_errors();

    hc_err err = {0};
    hc_store *s = NULL;
    if (D->open(argv[1], &s, &err) != HC_OK) {
        fprintf(stderr, "open %s: %s\n", argv[1], err.msg);
        return 1;
    }
    CHECK(((struct hc_store_base *)s)->drv == &hc_mysql_driver);
    CHECK(((struct hc_store_base *)s)->cache == NULL);

    /* ---- the session is set up as the driver promises ------------------ */
    hc_stmt *sess = must_prepare(s, "SELECT @@session.sql_mode, @@session.tx_isolation,"
                                    " @@session.innodb_lock_wait_timeout, @@session.autocommit,"
                                    " @@character_set_client, @@character_set_results,"
                                    " @@collation_database");
    CHECK(step_expect(sess, HC_ROW, &err) == HC_ROW);
    printf("session: sql_mode=%s isolation=%s lock_wait=%s autocommit=%s charset=%s/%s db=%s\n",
           D->column_text(sess, 0), D->column_text(sess, 1), D->column_text(sess, 2),
           D->column_text(sess, 3), D->column_text(sess, 4), D->column_text(sess, 5),
           D->column_text(sess, 6));
    CHECK(strstr(D->column_text(sess, 0), "STRICT_ALL_TABLES") != NULL);
    CHECK(strstr(D->column_text(sess, 0), "ANSI_QUOTES") == NULL);
    CHECK(strcmp(D->column_text(sess, 1), "READ-COMMITTED") == 0);
    CHECK(D->column_int(sess, 2) == 10);
    CHECK(D->column_int(sess, 3) == 1);
    CHECK(strcmp(D->column_text(sess, 4), "utf8mb4") == 0);
    CHECK(strcmp(D->column_text(sess, 6), "utf8mb4_bin") == 0);
    CHECK(step_expect(sess, HC_DONE, &err) == HC_DONE);
    D->finalize(sess);

    must_exec(s, "DROP TABLE IF EXISTS smoke_item");
    must_exec(s, "CREATE TABLE smoke_item ("
                 " tenant BIGINT NOT NULL, id BIGINT NOT NULL, name VARCHAR(200) NOT NULL,"
                 " qty BIGINT NULL, note MEDIUMTEXT NULL, price DECIMAL(18,5) NULL,"
                 " PRIMARY KEY (tenant, id), UNIQUE KEY (tenant, name)) ENGINE=InnoDB");

    /* ---- insert with bound params -------------------------------------- */
    hc_stmt *ins = must_prepare(s, "INSERT INTO smoke_item (tenant, id, name, qty, note, price)"
                                   " VALUES (?, ?, ?, ?, ?, ?)");
    static const struct {
        int64_t id;
        const char *name;
        int has_qty;
        int64_t qty;
        const char *note;
    } rows[] = {
        {1, "海仓 SKU-1", 1, 10, "first"},
        {2, "sku-2", 1, -9223372036854775807LL - 1, NULL},
        {3, "sku-3", 0, 0, ""},
        {4, "sku-4", 1, 9223372036854775807LL, NULL},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(rows); i++) {
        CHECK(D->bind_int(ins, 1, 7) == HC_OK);
        CHECK(D->bind_int(ins, 2, rows[i].id) == HC_OK);
        CHECK(D->bind_text(ins, 3, rows[i].name, strlen(rows[i].name)) == HC_OK);
        if (rows[i].has_qty)
            CHECK(D->bind_int(ins, 4, rows[i].qty) == HC_OK);
        else
            CHECK(D->bind_null(ins, 4) == HC_OK);
        if (rows[i].note)
            CHECK(D->bind_text(ins, 5, rows[i].note, strlen(rows[i].note)) == HC_OK);
        else
            CHECK(D->bind_null(ins, 5) == HC_OK);
        CHECK(D->bind_text(ins, 6, "12.34500", 8) == HC_OK);
        CHECK(step_expect(ins, HC_DONE, &err) == HC_DONE);
        CHECK(D->changes(ins) == 1);
        CHECK(D->reset(ins) == HC_OK);
    }
    CHECK(D->bind_int(ins, 7, 1) != HC_OK); /* out of range */
    CHECK(D->reset(ins) == HC_OK);

    /* ---- a long text value (bigger than the first column buffer) -------- */
    size_t big_n = 100000;
    char *big = malloc(big_n + 1);
    if (big == NULL)
        return 1;
    for (size_t i = 0; i < big_n; i++)
        big[i] = (char)('a' + i % 26);
    big[big_n] = '\0';
    hc_stmt *upd_note = must_prepare(s, "UPDATE smoke_item SET note = ? WHERE tenant = ? AND id = ?");
    CHECK(D->bind_text(upd_note, 1, big, big_n) == HC_OK);
    CHECK(D->bind_int(upd_note, 2, 7) == HC_OK);
    CHECK(D->bind_int(upd_note, 3, 3) == HC_OK);
    CHECK(step_expect(upd_note, HC_DONE, &err) == HC_DONE);
    CHECK(D->changes(upd_note) == 1);
    CHECK(D->reset(upd_note) == HC_OK);

    /* ---- select ints, texts, NULLs ---------------------------------------- */
    hc_stmt *sel = must_prepare(s, "SELECT id, name, qty, note, price FROM smoke_item"
                                   " WHERE tenant = ? ORDER BY id");
    CHECK(D->column_count(sel) == 5);
    CHECK(D->column_count(ins) == 0);
    CHECK(D->bind_int(sel, 1, 7) == HC_OK);
    int n = 0;
    int rc;
    while ((rc = D->step(sel, &err)) == HC_ROW) {
        CHECK(D->column_count(sel) == 5);
        int64_t id = D->column_int(sel, 0);
        CHECK(id == rows[n].id);
        char idtext[32];
        snprintf(idtext, sizeof(idtext), "%lld", (long long)rows[n].id);
        CHECK(strcmp(D->column_text(sel, 0), idtext) == 0);
        CHECK(!D->column_is_null(sel, 0));
        CHECK(strcmp(D->column_text(sel, 1), rows[n].name) == 0);
        CHECK(D->column_is_null(sel, 2) == !rows[n].has_qty);
        if (rows[n].has_qty)
            CHECK(D->column_int(sel, 2) == rows[n].qty);
        else
            CHECK(D->column_int(sel, 2) == 0 && strcmp(D->column_text(sel, 2), "") == 0);
        if (id == 3) {
            CHECK(!D->column_is_null(sel, 3));
            CHECK(strlen(D->column_text(sel, 3)) == big_n);
            CHECK(strcmp(D->column_text(sel, 3), big) == 0);
        } else if (rows[n].note) {
            CHECK(strcmp(D->column_text(sel, 3), rows[n].note) == 0);
        } else {
            CHECK(D->column_is_null(sel, 3));
        }
        CHECK(strcmp(D->column_text(sel, 4), "12.34500") == 0);
        CHECK(D->column_is_null(sel, 99));
        n++;
    }
    CHECK(rc == HC_DONE);
    CHECK(n == 4);
    CHECK(D->reset(sel) == HC_OK);

    /* ---- nested statements on one connection: iterate and update per row - */
    hc_stmt *upd_qty = must_prepare(s, "UPDATE smoke_item SET qty = ? WHERE tenant = ? AND id = ?");
    CHECK(D->bind_int(sel, 1, 7) == HC_OK);
    n = 0;
    while ((rc = D->step(sel, &err)) == HC_ROW) {
        int64_t id = D->column_int(sel, 0);
        hc_err e2 = {0};
        CHECK(D->bind_int(upd_qty, 1, id * 100) == HC_OK);
        CHECK(D->bind_int(upd_qty, 2, 7) == HC_OK);
        CHECK(D->bind_int(upd_qty, 3, id) == HC_OK);
        CHECK(step_expect(upd_qty, HC_DONE, &e2) == HC_DONE);
        CHECK(D->changes(upd_qty) == 1);
        CHECK(D->reset(upd_qty) == HC_OK);
        CHECK(D->column_int(sel, 0) == id); /* still readable after the UPDATE */
        n++;
    }
    CHECK(rc == HC_DONE);
    CHECK(n == 4);
    CHECK(D->reset(sel) == HC_OK);

    /* ---- changes counts matched rows, not changed rows --------------------- */
    CHECK(D->bind_int(upd_qty, 1, 100) == HC_OK); /* id 1 already has qty 100 */
    CHECK(D->bind_int(upd_qty, 2, 7) == HC_OK);
    CHECK(D->bind_int(upd_qty, 3, 1) == HC_OK);
    CHECK(step_expect(upd_qty, HC_DONE, &err) == HC_DONE);
    CHECK(D->changes(upd_qty) == 1);
    CHECK(D->reset(upd_qty) == HC_OK);
    CHECK(D->bind_int(upd_qty, 1, 5) == HC_OK); /* no such row */
    CHECK(D->bind_int(upd_qty, 2, 7) == HC_OK);
    CHECK(D->bind_int(upd_qty, 3, 999) == HC_OK);
    CHECK(step_expect(upd_qty, HC_DONE, &err) == HC_DONE);
    CHECK(D->changes(upd_qty) == 0);
    CHECK(D->reset(upd_qty) == HC_OK);

    /* ---- partial fetch, reset, run again with other binds ------------------ */
    CHECK(D->bind_int(sel, 1, 7) == HC_OK);
    CHECK(step_expect(sel, HC_ROW, &err) == HC_ROW);
    CHECK(D->reset(sel) == HC_OK);
    CHECK(D->bind_int(sel, 1, 8) == HC_OK); /* no rows for tenant 8 */
    CHECK(step_expect(sel, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(sel) == HC_OK);
    /* unbound after reset: tenant = NULL matches nothing */
    CHECK(step_expect(sel, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(sel) == HC_OK);

    /* ---- duplicate key gives HC_ECONFLICT ---------------------------------- */
    CHECK(D->bind_int(ins, 1, 7) == HC_OK);
    CHECK(D->bind_int(ins, 2, 1) == HC_OK);
    CHECK(D->bind_text(ins, 3, "dup", 3) == HC_OK);
    hc_err_clear(&err);
    CHECK(D->step(ins, &err) == HC_ECONFLICT);
    CHECK(err.code == HC_ECONFLICT && strstr(err.msg, "1062") != NULL);
    printf("duplicate key: %s\n", err.msg);
    CHECK(D->reset(ins) == HC_OK);
    /* the statement is usable again after the error */
    CHECK(D->bind_int(ins, 1, 7) == HC_OK);
    CHECK(D->bind_int(ins, 2, 5) == HC_OK);
    CHECK(D->bind_text(ins, 3, "sku-5", 5) == HC_OK);
    CHECK(step_expect(ins, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(ins) == HC_OK);

    /* ---- strict mode: a too-long value is an error, not a truncation ------- */
    char longname[300];
    memset(longname, 'x', sizeof(longname));
    CHECK(D->bind_int(ins, 1, 7) == HC_OK);
    CHECK(D->bind_int(ins, 2, 6) == HC_OK);
    CHECK(D->bind_text(ins, 3, longname, sizeof(longname)) == HC_OK);
    hc_err_clear(&err);
    CHECK(D->step(ins, &err) == HC_EINTERNAL);
    CHECK(D->reset(ins) == HC_OK);

    /* ---- transactions --------------------------------------------------------- */
    hc_stmt *cnt = must_prepare(s, "SELECT COUNT(*) FROM smoke_item WHERE tenant = 7");
    CHECK(D->begin(s, &err) == HC_OK);
    CHECK(D->bind_int(ins, 1, 7) == HC_OK);
    CHECK(D->bind_int(ins, 2, 10) == HC_OK);
    CHECK(D->bind_text(ins, 3, "rolled-back", 11) == HC_OK);
    CHECK(step_expect(ins, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(ins) == HC_OK);
    CHECK(D->rollback(s, &err) == HC_OK);
    CHECK(step_expect(cnt, HC_ROW, &err) == HC_ROW);
    CHECK(D->column_int(cnt, 0) == 5);
    CHECK(D->reset(cnt) == HC_OK);
    CHECK(D->begin(s, &err) == HC_OK);
    CHECK(D->bind_int(ins, 1, 7) == HC_OK);
    CHECK(D->bind_int(ins, 2, 11) == HC_OK);
    CHECK(D->bind_text(ins, 3, "committed", 9) == HC_OK);
    CHECK(step_expect(ins, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(ins) == HC_OK);
    CHECK(D->commit(s, &err) == HC_OK);
    CHECK(step_expect(cnt, HC_ROW, &err) == HC_ROW);
    CHECK(D->column_int(cnt, 0) == 6);
    CHECK(step_expect(cnt, HC_DONE, &err) == HC_DONE);
    CHECK(D->reset(cnt) == HC_OK);

    /* ---- lock wait timeout gives HC_EBUSY -------------------------------------- */
    hc_store *s2 = NULL;
    if (D->open(argv[1], &s2, &err) != HC_OK) {
        fprintf(stderr, "second open: %s\n", err.msg);
        return 1;
    }
    must_exec(s2, "SET SESSION innodb_lock_wait_timeout=1");
    CHECK(D->begin(s, &err) == HC_OK);
    must_exec(s, "UPDATE smoke_item SET qty = 1 WHERE tenant = 7 AND id = 1");
    hc_stmt *upd2 = must_prepare(s2, "UPDATE smoke_item SET qty = 2 WHERE tenant = 7 AND id = 1");
    hc_err_clear(&err);
    CHECK(D->step(upd2, &err) == HC_EBUSY);
    printf("lock wait: %s\n", err.msg);
    CHECK(D->reset(upd2) == HC_OK);
    CHECK(D->rollback(s, &err) == HC_OK);
    CHECK(step_expect(upd2, HC_DONE, &err) == HC_DONE);
    CHECK(D->changes(upd2) == 1);

    /* ---- deadlock gives HC_EBUSY: s locks row 1, s2 row 2, then each asks
     * for the other's row (s from a second thread, since it blocks). ------ */
    must_exec(s2, "SET SESSION innodb_lock_wait_timeout=10");
    CHECK(D->begin(s, &err) == HC_OK);
    CHECK(D->begin(s2, &err) == HC_OK);
    must_exec(s, "UPDATE smoke_item SET qty = 1 WHERE tenant = 7 AND id = 1");
    must_exec(s2, "UPDATE smoke_item SET qty = 1 WHERE tenant = 7 AND id = 2");
    struct dl_job job = {.s = s, .sql = "UPDATE smoke_item SET qty = 3 WHERE tenant = 7 AND id = 2"};
    pthread_t th;
    CHECK(pthread_create(&th, NULL, dl_run, &job) == 0);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL); /* let the thread block on row 2 first */
    hc_err e2 = {0};
    int rc2 = D->exec(s2, "UPDATE smoke_item SET qty = 3 WHERE tenant = 7 AND id = 1", &e2);
    if (rc2 != HC_OK)
        CHECK(D->rollback(s2, &err) == HC_OK); /* releases row 2 for the thread */
    pthread_join(th, NULL);
    printf("deadlock: thread rc=%d (%s), main rc=%d (%s)\n", job.rc, job.err.msg, rc2, e2.msg);
    CHECK((job.rc == HC_EBUSY && rc2 == HC_OK) || (job.rc == HC_OK && rc2 == HC_EBUSY));
    CHECK(strstr(job.rc ? job.err.msg : e2.msg, "1213") != NULL);
    CHECK(D->rollback(s, &err) == HC_OK);
    CHECK(D->rollback(s2, &err) == HC_OK);

    D->finalize(upd2);
    D->close(s2);

    /* ---- exec errors carry the server message ------------------------------------ */
    hc_err_clear(&err);
    CHECK(D->exec(s, "SELEC nonsense", &err) == HC_EINTERNAL);
    CHECK(strstr(err.msg, "1064") != NULL);
    hc_err_clear(&err);
    hc_stmt *bad = NULL;
    CHECK(D->prepare(s, "SELECT * FROM no_such_table", &bad, &err) == HC_EINTERNAL);
    CHECK(bad == NULL);
    /* exec of a statement returning rows drains them */
    must_exec(s, "SELECT 1");
    must_exec(s, "DROP TABLE smoke_item");

    D->finalize(ins);
    D->finalize(upd_note);
    D->finalize(sel);
    D->finalize(upd_qty);
    D->finalize(cnt);
    D->close(s);
    free(big);

    if (failures) {
        printf("mysql_smoke: %d failures\n", failures);
        return 1;
    }
    printf("mysql_smoke: ok\n");
    return 0;
}

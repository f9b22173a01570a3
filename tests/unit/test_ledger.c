/* Unit tests for src/ledger: moves keep balances and stock, physical places
 * never go negative, concurrent allocation never over-allocates, and verify
 * finds a balance that no longer matches its journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "helpers.h"
#include "ledger/ledger.h"

static char url[512];

static int64_t one_int(hc_store *s, const char *sql, const char *a, const char *b, const char *c)
{
    hc_err err = {0};
    int64_t v = -999;
    if (hc_store_int(s, &err, &v, sql, "sss", a, b, c) != HC_OK)
        return -1;
    return v;
}

static void moves_keep_balances(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    struct hc_move in = {"S1", "SKU1", 10, "origin", "wh/DE/RECEIVING", "inb_1", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    struct hc_move put = {"S1", "SKU1", 7, "wh/DE/RECEIVING", "wh/DE/A-01-1", "inb_1", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &put, &err), HC_OK);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    const char *bal = "SELECT qty FROM balances WHERE seller = ? AND sku = ? AND place = ?";
    assert_int_equal(one_int(s, bal, "S1", "SKU1", "origin"), -10);
    assert_int_equal(one_int(s, bal, "S1", "SKU1", "wh/DE/RECEIVING"), 3);
    assert_int_equal(one_int(s, bal, "S1", "SKU1", "wh/DE/A-01-1"), 7);
    /* moving inside one warehouse leaves on_hand alone */
    assert_int_equal(one_int(s, "SELECT on_hand FROM stock WHERE seller = ? AND warehouse = ?"
                                " AND sku = ?",
                             "S1", "DE", "SKU1"),
                     10);
    /* more than is there: refused, nothing written */
    struct hc_move over = {"S1", "SKU1", 8, "wh/DE/A-01-1", "customer", "x", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &over, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "qty");
    hc_err_clear(&err);
    assert_int_equal(one_int(s, bal, "S1", "SKU1", "wh/DE/A-01-1"), 7);
    struct hc_move zero = {"S1", "SKU1", 0, "wh/DE/A-01-1", "customer", "x", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &zero, &err), HC_EINVAL);
    hc_err_clear(&err);
    struct hc_verify_result res;
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &res, &err), HC_OK);
    assert_int_equal(res.diffs, 0);
    assert_int_equal(res.journal_rows, 2);
    hc_store_close(s);
}

static void allocation_is_bounded(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_move in = {"S2", "SKU9", 5, "origin", "wh/US/B-01-1", "inb_2", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    assert_int_equal(hc_ledger_allocate(s, "S2", "US", "SKU9", 3, "ord_1", "t", &err), HC_OK);
    assert_int_equal(hc_ledger_allocate(s, "S2", "US", "SKU9", 3, "ord_2", "t", &err),
                     HC_ECONFLICT);
    hc_err_clear(&err);
    int64_t avail;
    assert_int_equal(hc_ledger_available(s, "S2", "US", "SKU9", &avail, &err), HC_OK);
    assert_int_equal(avail, 2);
    assert_int_equal(hc_ledger_release(s, "S2", "US", "SKU9", 3, "ord_1", "t", &err), HC_OK);
    assert_int_equal(hc_ledger_release(s, "S2", "US", "SKU9", 1, "ord_1", "t", &err), HC_ECONFLICT);
    hc_err_clear(&err);
    assert_int_equal(hc_ledger_available(s, "S2", "US", "SKU9", &avail, &err), HC_OK);
    assert_int_equal(avail, 5);
    assert_int_equal(hc_ledger_available(s, "S2", "XX", "SKU9", &avail, &err), HC_OK);
    assert_int_equal(avail, 0);
    hc_store_close(s);
}

static int alloc_one(hc_store *s, void *ctx, hc_err *err)
{
    (void)ctx;
    return hc_ledger_allocate(s, "S3", "DE", "HOT", 1, "ord_x", "t", err);
}

struct racer {
    hc_db *db;
    int won, lost;
};

static void *race(void *p)
{
    struct racer *r = p;
    for (int i = 0; i < 50; i++) {
        hc_err err = {0};
        int rc = hc_db_write(r->db, alloc_one, NULL, &err);
        if (rc == HC_OK)
            r->won++;
        else if (rc == HC_ECONFLICT)
            r->lost++;
        else
            abort();
    }
    return NULL;
}

static void concurrent_allocation_never_oversells(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_move in = {"S3", "HOT", 100, "origin", "wh/DE/A-02-1", "inb_3", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    hc_store_close(s);
    hc_db *db;
    assert_int_equal(hc_db_open(url, NULL, &db, &err), HC_OK);
    struct racer r[8] = {0};
    pthread_t t[8];
    for (int i = 0; i < 8; i++) {
        r[i].db = db;
        pthread_create(&t[i], NULL, race, &r[i]);
    }
    int won = 0, lost = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        won += r[i].won;
        lost += r[i].lost;
    }
    assert_int_equal(won, 100);
    assert_int_equal(lost, 300);
    hc_store *rd = hc_db_reader(db, &err);
    int64_t avail = -1;
    assert_int_equal(hc_ledger_available(rd, "S3", "DE", "HOT", &avail, &err), HC_OK);
    assert_int_equal(avail, 0);
    hc_db_close(db);
}

static void count_diff(const char *line, void *ctx)
{
    (*(int *)ctx)++;
    (void)line;
}

static void verify_finds_tampering(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_verify_result res;
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &res, &err), HC_OK);
    assert_int_equal(res.diffs, 0);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "UPDATE balances SET qty = qty + 1 WHERE place = ?", "s",
                                  "wh/DE/A-01-1"),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "UPDATE stock SET allocated = allocated + 2 WHERE sku = ?", "s",
                                  "HOT"),
                     HC_OK);
    int lines = 0;
    assert_int_equal(hc_ledger_verify(s, count_diff, &lines, &res, &err), HC_OK);
    assert_int_equal(res.diffs, 2);
    assert_int_equal(lines, 2);
    hc_store_close(s);
}

static void bins_keep_their_load(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    struct hc_move in = {"S4", "BOX", 10, "origin", "wh/DE/RECEIVING", "inb_4", "t", 1000, 50};
    struct hc_move put = {"S4", "BOX", 6, "wh/DE/RECEIVING", "wh/DE/C-01-1", "inb_4", "t", 1000, 50};
    struct hc_move out = {"S4", "BOX", 2, "wh/DE/C-01-1", "order/ord_9", "ord_9", "t", 1000, 50};
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    assert_int_equal(hc_ledger_move(s, &put, &err), HC_OK);
    assert_int_equal(hc_ledger_move(s, &out, &err), HC_OK);
    int64_t v, w;
    assert_int_equal(hc_ledger_place_load(s, "wh/DE/C-01-1", &v, &w, &err), HC_OK);
    assert_int_equal(v, 4000);
    assert_int_equal(w, 200);
    assert_int_equal(hc_ledger_place_load(s, "wh/DE/RECEIVING", &v, &w, &err), HC_OK);
    assert_int_equal(v, 4000);
    assert_int_equal(hc_ledger_place_load(s, "wh/DE/EMPTY", &v, &w, &err), HC_OK);
    assert_int_equal(v, 0);
    hc_store_close(s);
}

static void places(void **state)
{
    char wh[16];
    assert_true(hc_place_warehouse("wh/DE-DUI/A-01-1", wh, sizeof(wh)));
    assert_string_equal(wh, "DE-DUI");
    assert_true(hc_place_warehouse("wh/US", wh, sizeof(wh)));
    assert_false(hc_place_warehouse("order/ord_1", wh, sizeof(wh)));
    assert_false(hc_place_is_physical("origin"));
    assert_true(hc_place_is_physical("customer"));
}

int main(void)
{
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moves_keep_balances),
        cmocka_unit_test(allocation_is_bounded),
        cmocka_unit_test(concurrent_allocation_never_oversells),
        cmocka_unit_test(verify_finds_tampering),
        cmocka_unit_test(bins_keep_their_load),
        cmocka_unit_test(places),
    };
    return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}

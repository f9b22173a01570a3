/* Unit tests for src/headhaul: ISO 6346 check digits (the standard's example
 * CSQU3054383 and others computed by hand), the size-type table, UN/LOCODE
 * checks, and the transit buckets the ledger keeps for places bound to a
 * warehouse (site -> transit -> dock -> RECEIVING), with verify finding a
 * bucket that no longer matches the journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "headhaul/headhaul.h"
#include "helpers.h"

static char url[512];

static void check_digits(void **state)
{
    static const char *const good[] = {"CSQU3054383", "MSKU9070323", "TGHU9876542",
                                       "OOLU1234567", "HLXU8756022"};
    for (size_t i = 0; i < HC_ARRAY_LEN(good); i++) {
        int d = -2;
        assert_true(hc_iso6346_valid(good[i], &d));
        assert_int_equal(d, good[i][10] - '0');
    }
    int d;
    assert_false(hc_iso6346_valid("CSQU3054384", &d)); /* wrong digit */
    assert_int_equal(d, 3);
    assert_false(hc_iso6346_valid("CSQX3054383", &d)); /* category not U/J/Z */
    assert_int_equal(d, -1);
    assert_false(hc_iso6346_valid("CSQU305438", &d)); /* too short */
    assert_false(hc_iso6346_valid("csqu3054383", &d));
    assert_false(hc_iso6346_valid("CSQU30543A3", &d));
    assert_int_equal(hc_iso6346_check_digit("CSQU305438"), 3);
    /* a sum of 10 modulo 11 is written 0 */
    char ten[11] = "AAAU000000";
    int seen0 = 0;
    for (int n = 0; n < 1000 && !seen0; n++) {
        snprintf(ten + 4, 7, "%06d", n);
        int sum = 0, v[] = {10, 10, 10, 32};
        for (int i = 0; i < 4; i++)
            sum += v[i] << i;
        for (int i = 4; i < 10; i++)
            sum += (ten[i] - '0') << i;
        if (sum % 11 == 10) {
            assert_int_equal(hc_iso6346_check_digit(ten), 0);
            seen0 = 1;
        }
    }
    assert_true(seen0);
}

static void size_types(void **state)
{
    const char *desc = NULL;
    assert_true(hc_iso6346_size_type("22G1", &desc));
    assert_non_null(desc);
    assert_true(hc_iso6346_size_type("42G1", NULL));
    assert_true(hc_iso6346_size_type("45G1", NULL));
    assert_true(hc_iso6346_size_type("45R1", NULL));
    assert_true(hc_iso6346_size_type("L5G1", NULL));
    assert_false(hc_iso6346_size_type("99X9", NULL));
    assert_false(hc_iso6346_size_type("45G", NULL));
    assert_false(hc_iso6346_size_type(NULL, NULL));
}

static void locodes(void **state)
{
    hc_err err = {0};
    assert_int_equal(hc_locode_check("CNZZU", "from", &err), HC_OK);
    assert_int_equal(hc_locode_check("DEDUI", "to", &err), HC_OK);
    assert_int_equal(hc_locode_check("USLAX", "to", &err), HC_OK);
    assert_int_equal(hc_locode_check("DEHA2", "to", &err), HC_OK);
    assert_int_equal(hc_locode_check("XXABC", "legs[0].from", &err), HC_EINVAL);
    assert_string_equal(err.field, "legs[0].from");
    hc_err_clear(&err);
    assert_int_equal(hc_locode_check("DEHA1", "to", &err), HC_EINVAL); /* 0 and 1 are not used */
    hc_err_clear(&err);
    assert_int_equal(hc_locode_check("cnzzu", "to", &err), HC_EINVAL);
    hc_err_clear(&err);
    assert_int_equal(hc_locode_check("CNZZ", "to", &err), HC_EINVAL);
    assert_int_equal(hc_transport_mode_parse("rail"), HC_MODE_RAIL);
    assert_int_equal(hc_transport_mode_parse("boat"), 0);
    assert_string_equal(hc_shipment_status_name(HC_SHIPMENT_DEPARTED), "departed");
}

static int64_t col(hc_store *s, const char *c, const char *sku)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT %s FROM stock WHERE seller = 'S1' AND warehouse = 'DE-DUI'"
                               " AND sku = ?", c);
    hc_err err = {0};
    int64_t v = -999;
    if (hc_store_int(s, &err, &v, sql, "s", sku) != HC_OK)
        return -1;
    return v;
}

static void transit_balances(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    const char *site = "site/CNZZU/shp_1", *transit = "transit/shp_1", *dock = "dock/DE-DUI/shp_1";
    assert_int_equal(hc_ledger_bind_place(s, site, "DE-DUI", HC_BUCKET_PLANNED, &err), HC_OK);
    assert_int_equal(hc_ledger_bind_place(s, transit, "DE-DUI", HC_BUCKET_TRANSIT, &err), HC_OK);
    assert_int_equal(hc_ledger_bind_place(s, dock, "DE-DUI", HC_BUCKET_ARRIVED, &err), HC_OK);
    struct hc_move m = {"S1", "EAR", 20, "origin", site, "shp_1", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    assert_int_equal(col(s, "inbound_planned", "EAR"), 20);
    assert_int_equal(col(s, "first_in_at", "EAR"), 0); /* age starts on hand */
    m.from = site, m.to = transit;
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    assert_int_equal(col(s, "inbound_planned", "EAR"), 0);
    assert_int_equal(col(s, "in_transit", "EAR"), 20);
    m.from = transit, m.to = dock;
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    assert_int_equal(col(s, "in_transit", "EAR"), 0);
    assert_int_equal(col(s, "arrived", "EAR"), 20);
    /* receiving more than the dock holds is refused, nothing changes */
    m.from = dock, m.to = "wh/DE-DUI/RECEIVING", m.qty = 21;
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    assert_int_equal(hc_store_rollback(s, &err), HC_OK);
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(col(s, "arrived", "EAR"), -1); /* rolled back whole */
    m = (struct hc_move){"S1", "EAR", 20, "origin", site, "shp_1", "t", 0, 0};
    assert_int_equal(hc_ledger_bind_place(s, site, "DE-DUI", HC_BUCKET_PLANNED, &err), HC_OK);
    assert_int_equal(hc_ledger_bind_place(s, transit, "DE-DUI", HC_BUCKET_TRANSIT, &err), HC_OK);
    assert_int_equal(hc_ledger_bind_place(s, dock, "DE-DUI", HC_BUCKET_ARRIVED, &err), HC_OK);
    const char *path[] = {"origin", site, transit, dock, "wh/DE-DUI/RECEIVING"};
    for (int i = 0; i < 4; i++) {
        m.from = path[i], m.to = path[i + 1], m.qty = i == 3 ? 18 : 20;
        assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    }
    assert_int_equal(col(s, "arrived", "EAR"), 2);
    assert_int_equal(col(s, "on_hand", "EAR"), 18);
    assert_int_not_equal(col(s, "first_in_at", "EAR"), 0);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    struct hc_verify_result vr;
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &vr, &err), HC_OK);
    assert_int_equal(vr.diffs, 0);
    /* a bucket that no longer matches the journal is found */
    assert_int_equal(hc_store_exec(s, "UPDATE stock SET in_transit = 5 WHERE sku = 'EAR'", &err),
                     HC_OK);
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &vr, &err), HC_OK);
    assert_int_equal(vr.diffs, 1);
    hc_store_close(s);
}

int main(void)
{
    hc_err err = {0};
    const char *data = getenv("HAICANG_DATA");
    if (hc_catalog_load_reference(data ? data : HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_digits),
        cmocka_unit_test(size_types),
        cmocka_unit_test(locodes),
        cmocka_unit_test(transit_balances),
    };
    return cmocka_run_group_tests_name("headhaul", tests, NULL, NULL);
}

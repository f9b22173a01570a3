/* test_dispatch.c: manifests (which parcels a pickup takes, the freeze) and
 * tracking events (checks, all or none, idempotency, the exception flag,
 * the CSV inbox format), on a store of their own (HC_TEST_DB or SQLite). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "lastmile/lastmile.h"

static hc_store *db;

static void run(const char *sql)
{
    hc_err err = {0};
    if (hc_store_exec(db, sql, &err) != HC_OK) {
        fprintf(stderr, "%s: %s\n", sql, err.msg);
        fail();
    }
}

/* An order row (only what the manifest query reads) and its parcels. */
static void order(const char *id, const char *status)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse,"
             " ship_to, ship_country, created_at, updated_at) VALUES ('S1', '%s', 'shop', '%s',"
             " '%s', 'W1', '{}', 'DE', 1, 1)",
             id, id, status);
    run(sql);
}

static void parcel(const char *id, const char *order_id, int seq, const char *service,
                   const char *ship_day, const char *tn)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO lm_parcels (warehouse, id, order_id, seller, seq, service_id,"
             " service_code, carrier, service_name, tracking_no, numbering, two_d, box, weight_g,"
             " l_mm, w_mm, h_mm, billable_g, price_minor, currency, ship_day, deliver_day,"
             " chosen_by, created_at, created_by) VALUES ('W1', '%s', '%s', 'S1', %d, 'svc_1',"
             " '%s', 'DHL', 'Paket', '%s', 's10', 'none', '', 500, 200, 150, 100, 600, 590,"
             " 'EUR', '%s', '2026-11-30', 'operator', 1, 't')",
             id, order_id, seq, service, tn, ship_day);
    run(sql);
}

static void fixture(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    order("o1", "packed");
    order("o2", "allocated");
    order("o3", "shipped");
    order("o4", "packed");
    order("o5", "packed");
    parcel("p12", "o1", 2, "DHL", "2026-11-27", "RR000000012DE");
    parcel("p11", "o1", 1, "DHL", "2026-11-27", "RR000000011DE");
    parcel("p21", "o2", 1, "DHL", "2026-11-27", "RR000000021DE"); /* not packed */
    parcel("p31", "o3", 1, "DHL", "2026-11-26", "RR000000031DE"); /* shipped earlier: late */
    parcel("p41", "o4", 1, "GLS", "2026-11-27", "RR000000041DE"); /* another service */
    parcel("p51", "o5", 1, "DHL", "2026-11-28", "RR000000051DE"); /* tomorrow's pickup */
}

static void manifest_selection(void **state)
{
    (void)state;
    fixture();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_lm_parcel *ps;
    size_t n = 0;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_manifest_pending(db, a, "W1", "DHL", "2026-11-27", &ps, &n, &err),
                     HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ps[0].id, "p11"); /* by order, then seq */
    assert_string_equal(ps[1].id, "p12");
    assert_string_equal(ps[2].id, "p31");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_manifest_pending(db, a, "W1", "DHL", "2026-11-28", &ps, &n, &err),
                     HC_OK);
    assert_int_equal(n, 4); /* tomorrow's pickup also takes today's */
    hc_err_clear(&err);
    assert_int_equal(hc_lm_manifest_pending(db, a, "W2", "DHL", "2026-11-28", &ps, &n, &err),
                     HC_OK);
    assert_int_equal(n, 0);
    hc_arena_free(a);
}

static void freeze(void **state)
{
    (void)state;
    fixture();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    hc_err_clear(&err);
    assert_int_equal(hc_lm_order_frozen(db, a, "o1", &err), HC_OK);
    run("UPDATE lm_parcels SET manifest = 'mnf_1' WHERE id = 'p12'");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_order_frozen(db, a, "o1", &err), HC_ECONFLICT);
    assert_string_equal(err.field, "parcels[1]");
    assert_non_null(strstr(err.msg, "p12"));
    assert_non_null(strstr(err.msg, "mnf_1"));
    struct hc_lm_parcel *ps;
    size_t n = 0;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_manifest_pending(db, a, "W1", "DHL", "2026-11-27", &ps, &n, &err),
                     HC_OK);
    assert_int_equal(n, 2); /* a parcel on a manifest is not taken again */
    run("UPDATE lm_parcels SET manifest = '' WHERE id = 'p12'");
    hc_arena_free(a);
}

static int64_t count(const char *sql)
{
    int64_t v = -1;
    hc_err err = {0};
    assert_int_equal(hc_store_int(db, &err, &v, sql, ""), HC_OK);
    return v;
}

static struct hc_lm_track_event ev(const char *tn, const char *status, const char *time)
{
    struct hc_lm_track_event e = {.tracking_no = tn, .status = status, .location = "Hub"};
    assert_int_equal(hc_time_parse_iso(time, &e.at), HC_OK);
    return e;
}

static void tracking_all_or_none_and_idempotent(void **state)
{
    (void)state;
    fixture();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_lm_track_result res;
    struct hc_lm_track_event bad[4] = {
        ev("RR000000011DE", "in_transit", "2026-11-27T10:00:00Z"),
        ev("RR000000012DE", "in_transit", "2026-11-27T10:00:00Z"),
        ev("RR000000011DE", "out_for_delivery", "2026-11-28T07:00:00Z"),
        ev("RR000000012DE", "lost", "2026-11-28T07:00:00Z"),
    };
    int64_t before = count("SELECT COUNT(*) FROM lm_tracking");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, bad, 4, NULL, "api", &res, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[3].status");
    bad[3] = ev("RR999999999DE", "in_transit", "2026-11-28T07:00:00Z");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, bad, 4, NULL, "api", &res, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[3].tracking_no");
    bad[3] = ev("RR000000012DE", "in_transit", "2026-11-28T07:00:00Z");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, bad, 4, "W2", "api", &res, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[0].tracking_no"); /* another warehouse's parcel */
    assert_int_equal(count("SELECT COUNT(*) FROM lm_tracking"), before);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, bad, 4, "W1", "api", &res, &err), HC_OK);
    assert_int_equal(res.stored, 4);
    assert_int_equal(res.duplicates, 0);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, bad, 4, NULL, "inbox", &res, &err), HC_OK);
    assert_int_equal(res.stored, 0);
    assert_int_equal(res.duplicates, 4);
    assert_int_equal(count("SELECT COUNT(*) FROM lm_tracking"), before + 4);
    struct hc_lm_track_event *got;
    size_t n = 0;
    assert_int_equal(hc_lm_track_of(db, a, "o1", "p11", &got, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(got[0].status, "in_transit"); /* oldest first */
    assert_string_equal(got[1].status, "out_for_delivery");
    hc_arena_free(a);
}

static void exception_flag_latest(void **state)
{
    (void)state;
    fixture();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_lm_track_result res;
    struct hc_lm_track_event e[2] = {
        ev("RR000000041DE", "exception", "2026-11-28T09:00:00Z"),
        ev("RR000000041DE", "returned_to_sender", "2026-11-27T09:00:00Z"), /* older */
    };
    e[0].detail = "address unknown";
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, e, 2, NULL, "api", &res, &err), HC_OK);
    assert_int_equal(res.flagged_orders, 2);
    bool flagged = false;
    struct hc_lm_track_event f;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_order_flag(db, a, "o4", &flagged, &f, &err), HC_OK);
    assert_true(flagged);
    assert_string_equal(f.status, "exception"); /* the older return does not replace it */
    assert_string_equal(f.detail, "address unknown");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_order_flag(db, a, "o5", &flagged, &f, &err), HC_OK);
    assert_false(flagged);
    hc_arena_free(a);
}

static void event_checks(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_lm_track_result res;
    struct hc_lm_track_event e = ev("RR000000011DE", "in_transit", "2026-11-27T10:00:00Z");
    e.at = hc_now_ms() + 3 * HC_DAY_MS;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, &e, 1, NULL, "api", &res, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[0].time");
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_apply(db, a, &e, 0, NULL, "api", &res, &err), HC_EINVAL);
    assert_string_equal(err.field, "events");
    for (int i = HC_LM_TRK_IN_TRANSIT; i <= HC_LM_TRK_RETURNED; i++)
        assert_int_equal(hc_lm_track_status_parse(hc_lm_track_status_name(i)), i);
    assert_int_equal(hc_lm_track_status_parse("Delivered"), -1);
    assert_int_equal(hc_lm_ship_at_parse(hc_lm_ship_at_name(HC_LM_SHIP_AT_SCAN_OUT)),
                     HC_LM_SHIP_AT_SCAN_OUT);
    assert_int_equal(hc_lm_ship_at_parse("never"), -1);
    hc_arena_free(a);
}

static void csv_format(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_lm_track_event *v;
    size_t n = 0;
    const char *ok = "\xEF\xBB\xBFtracking_no,status,time,location,detail\r\n"
                     "RR1,delivered,2026-11-27T10:00:00Z,\"Berlin, Mitte\",\"said \"\"hi\"\"\"\r\n"
                     "\r\nRR2,in_transit,2026-11-27T11:00:00.250Z\n";
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_csv(a, ok, strlen(ok), &v, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].location, "Berlin, Mitte");
    assert_string_equal(v[0].detail, "said \"hi\"");
    assert_string_equal(v[1].location, "");
    assert_int_equal(v[1].at % 1000, 250);
    const char *bad_time = "tracking_no,status,time\nRR1,delivered,2026-11-27\n";
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_csv(a, bad_time, strlen(bad_time), &v, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 2: time");
    const char *bad_head = "tn,status,time\n";
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_csv(a, bad_head, strlen(bad_head), &v, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 1: header");
    const char *empty = "tracking_no,status,time\n";
    hc_err_clear(&err);
    assert_int_equal(hc_lm_track_csv(a, empty, strlen(empty), &v, &n, &err), HC_EINVAL);
    hc_arena_free(a);
}

int main(void)
{
    char url[512];
    db = test_store(test_db_url(url, sizeof(url)));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_selection), cmocka_unit_test(freeze),
        cmocka_unit_test(tracking_all_or_none_and_idempotent),
        cmocka_unit_test(exception_flag_latest), cmocka_unit_test(event_checks),
        cmocka_unit_test(csv_format),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    hc_store_close(db);
    return rc;
}

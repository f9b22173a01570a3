/* Unit tests of src/webhooks: the signature, the backoff schedule, URL
 * parsing and the address rules (IPv4 in every form inet_aton reads, IPv6,
 * mapped and NAT64 forms), and the outbox: fan-out to the subscriptions that
 * take an event, the head of each queue only, retry, give-up after 72 h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "webhooks/webhooks.h"

static void signature_is_hmac_sha256_of_t_dot_body(void **state)
{
    char hex[65], hdr[128];
    /* python3: hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
    hc_webhook_sign("whsec_test", 1700000000, "{\"a\":1}", 7, hex);
    assert_string_equal(hex, "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    hc_webhook_signature_header("whsec_test", 1700000000, "{\"a\":1}", 7, hdr, sizeof(hdr));
    assert_string_equal(hdr, "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50"
                             "bd9e4cf4ca4d3789");
    hc_webhook_sign("whsec_test", 1700000001, "{\"a\":1}", 7, hex); /* another time, another mac */
    assert_string_not_equal(hex, "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

static void backoff_doubles_up_to_an_hour(void **state)
{
    const int64_t want[] = {10000, 20000, 40000, 80000, 160000, 320000, 640000, 1280000,
                            2560000, 3600000, 3600000};
    for (size_t i = 0; i < HC_ARRAY_LEN(want); i++)
        assert_int_equal(hc_webhook_backoff_ms((int64_t)i + 1, 10000), want[i]);
    assert_int_equal(hc_webhook_backoff_ms(1000000, 10000), 3600000); /* no overflow */
    /* attempts in 72 h with the default base: about 8 in the first 40 min, then hourly */
    int64_t t = 0, n = 0;
    while (t < HC_WEBHOOK_GIVE_UP_MS)
        t += hc_webhook_backoff_ms(++n, 10000);
    assert_true(n > 70 && n < 82);
}

static void url_parse(void **state)
{
    struct hc_url u;
    hc_err err = {0};
    assert_int_equal(hc_url_parse("https://hooks.example.com/x?y=1", "url", &u, &err), HC_OK);
    assert_string_equal(u.scheme, "https");
    assert_string_equal(u.host, "hooks.example.com");
    assert_int_equal(u.port, 443);
    assert_int_equal(hc_url_parse("HTTP://[2001:4860::8888]:8080", "url", &u, &err), HC_OK);
    assert_string_equal(u.host, "2001:4860::8888");
    assert_int_equal(u.port, 8080);
    assert_true(u.host_is_ip6);
    const char *bad[] = {"", "ftp://a.b/", "//a.b/", "http://", "http://a.b:0/", "http://a.b:65536/",
                         "http://a.b:8x/", "http://u:p@a.b/", "http://a.b/#f", "http://a b/",
                         "http://[::1/", "http://[::1]x/", "file:///etc/passwd",
                         "gopher://a.b/", "http://a.b/\x7f"};
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err_clear(&err);
        assert_int_equal(hc_url_parse(bad[i], "url", &u, &err), HC_EINVAL);
        assert_string_equal(err.field, "url");
    }
}

static bool host_ok(const char *host, bool loopback)
{
    struct sockaddr_storage ss;
    assert_true(hc_host_literal(host, &ss));
    return hc_webhook_addr_allowed((struct sockaddr *)&ss, loopback, NULL);
}

static void address_rules(void **state)
{
    const char *refused[] = {
        "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.0.0.1.",
        "10.0.0.1", "167772161", "0x0a000001", "172.16.5.4", "172.31.255.255", "192.168.0.1",
        "169.254.169.254", "0xa9fea9fe", "100.64.0.1", "0.0.0.0", "0", "224.0.0.1",
        "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fd00::1", "fc00::1", "ff02::1",
        "fec0::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
        "64:ff9b::10.0.0.1", "::127.0.0.1", "2001:db8::1", "0:0:0:0:0:0:0:1",
        "0000:0000:0000:0000:0000:ffff:7f00:0001"};
    for (size_t i = 0; i < HC_ARRAY_LEN(refused); i++)
        if (host_ok(refused[i], false))
            fail_msg("%s allowed", refused[i]);
    const char *allowed[] = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1",
                             "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8",
                             "134744072" /* 8.8.8.8 */};
    for (size_t i = 0; i < HC_ARRAY_LEN(allowed); i++)
        if (!host_ok(allowed[i], false))
            fail_msg("%s refused", allowed[i]);
    /* the test-only switch lets loopback through, and nothing else */
    assert_true(host_ok("127.0.0.1", true));
    assert_true(host_ok("::1", true));
    assert_true(host_ok("::ffff:127.0.0.1", true));
    assert_false(host_ok("10.0.0.1", true));
    assert_false(host_ok("169.254.169.254", true));
    assert_false(host_ok("fe80::1", true));
    struct sockaddr_storage ss;
    assert_false(hc_host_literal("example.com", &ss));
}

static void url_check_names_url(void **state)
{
    hc_err err = {0};
    const char *bad[] = {"http://localhost:8080/", "http://LOCALHOST/", "http://a.localhost/",
                         "http://127.0.0.1/", "http://[::1]:9/", "http://0x7f000001/",
                         "http://[fe80::1%25eth0]/", "http://10.1.2.3/", "ftp://8.8.8.8/"};
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err_clear(&err);
        if (hc_webhook_url_check(bad[i], false, "url", &err) != HC_EINVAL)
            fail_msg("%s accepted", bad[i]);
        assert_string_equal(err.field, "url");
    }
    hc_err_clear(&err);
    assert_int_equal(hc_webhook_url_check("http://127.0.0.1:8080/", true, "url", &err), HC_OK);
    /* a name that does not resolve (yet) is checked again at each attempt */
    assert_int_equal(hc_webhook_url_check("https://hooks.example.invalid/x", false, "url", &err),
                     HC_OK);
    assert_int_equal(hc_webhook_url_check("http://93.184.216.34/x", false, "url", &err), HC_OK);
}

static void run(hc_store *s, const char *sql)
{
    hc_err err = {0};
    if (hc_store_run(s, &err, NULL, sql, "") != HC_OK)
        fail_msg("%s: %s", sql, err.msg);
}

static int64_t count(hc_store *s, const char *sql)
{
    hc_err err = {0};
    int64_t n = -1;
    assert_int_equal(hc_store_int(s, &err, &n, sql, ""), HC_OK);
    return n;
}

static void outbox_fan_out_queue_retry_give_up(void **state)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    run(s, "INSERT INTO wh_subscriptions (id, seller, warehouse, url, events, secret, description,"
           " actor, created_at, deleted_at) VALUES ('whk_a', 'S1', '', 'http://8.8.8.8/', "
           "'order.created,order.shipped', 'k', '', 't', 1, 0), ('whk_b', '', 'DE-DUI', "
           "'http://8.8.8.8/', 'order.created', 'k', '', 't', 1, 0), ('whk_c', '', 'US-LAX', "
           "'http://8.8.8.8/', 'order.created', 'k', '', 't', 1, 0), ('whk_d', 'S2', '', "
           "'http://8.8.8.8/', 'order.created', 'k', '', 't', 1, 0), ('whk_e', 'S1', '', "
           "'http://8.8.8.8/', 'order.created', 'k', '', 't', 1, 5)");
    int64_t now = hc_now_ms();
    struct hc_change c1 = {"order.created", "S1", "DE-DUI", "O1", "allocated", now};
    struct hc_change c2 = {"order.shipped", "S1", "DE-DUI", "O1", "shipped", now};
    struct hc_change c3 = {"order.picking", "S1", "DE-DUI", "O1", "picking", now};
    assert_int_equal(hc_webhook_on_change(s, &c1, &err), HC_OK);
    assert_int_equal(hc_webhook_on_change(s, &c2, &err), HC_OK);
    assert_int_equal(hc_webhook_on_change(s, &c3, &err), HC_OK); /* no one's type */
    /* a: created + shipped; b: created (its warehouse); c: other warehouse;
     * d: other seller; e: deleted */
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE sub_id = 'whk_a'"), 2);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE sub_id = 'whk_b'"), 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries"), 3);
    int64_t t = hc_now_ms(); /* after the rows were written: they are due */
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_webhook_delivery *due;
    size_t n;
    assert_int_equal(hc_webhook_due(s, a, t, 10, &due, &n, &err), HC_OK);
    assert_int_equal(n, 2); /* the head of a's queue and b's */
    struct hc_webhook_delivery *da = strcmp(due[0].sub_id, "whk_a") == 0 ? &due[0] : &due[1];
    assert_string_equal(da->event_type, "order.created");
    assert_string_equal(da->url, "http://8.8.8.8/");
    /* a failure: pending again after the backoff; a's next event waits */
    struct hc_webhook_attempt fail = {.at = t, .http_status = 500, .error = "answered 500"};
    assert_int_equal(hc_webhook_record(s, da, &fail, 1000, &err), HC_OK);
    assert_int_equal(hc_webhook_due(s, a, t + 500, 10, &due, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].sub_id, "whk_b");
    assert_int_equal(hc_webhook_due(s, a, t + 1000, 10, &due, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    da = strcmp(due[0].sub_id, "whk_a") == 0 ? &due[0] : &due[1];
    assert_int_equal(da->attempts, 1);
    assert_string_equal(da->event_type, "order.created");
    /* recorded twice for the same attempt: the second is ignored */
    struct hc_webhook_attempt ok = {.at = t + 1000, .http_status = 204, .error = ""};
    assert_int_equal(hc_webhook_record(s, da, &ok, 1000, &err), HC_OK);
    assert_int_equal(hc_webhook_record(s, da, &ok, 1000, &err), HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_attempts"), 2);
    /* now the shipped event is a's head; 72 h later a failure gives up */
    assert_int_equal(hc_webhook_due(s, a, t + 1000, 10, &due, &n, &err), HC_OK);
    da = strcmp(due[0].sub_id, "whk_a") == 0 ? &due[0] : &due[1];
    assert_string_equal(da->event_type, "order.shipped");
    fail.at = t + HC_WEBHOOK_GIVE_UP_MS + 60000; /* 72 h after it was queued */
    assert_int_equal(hc_webhook_record(s, da, &fail, 1000, &err), HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE state = 'failed'"), 1);
    /* redelivery by hand: a new pending row of the same event */
    struct hc_webhook_delivery re;
    assert_int_equal(hc_webhook_redeliver(s, a, "whk_a", da->id, &re, &err), HC_OK);
    assert_string_equal(re.event_id, da->event_id);
    assert_string_equal(re.state, "pending");
    assert_int_equal(re.redelivery_of, da->id);
    /* deleting cancels what is pending */
    assert_int_equal(hc_webhook_delete(s, "whk_a", &err), HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE sub_id = 'whk_a' AND"
                              " state = 'pending'"),
                     0);
    assert_int_equal(hc_webhook_delete(s, "whk_a", &err), HC_ENOTFOUND);
    hc_arena_free(a);
    hc_store_close(s);
}

static void body_is_stable_json(void **state)
{
    struct hc_webhook_delivery d = {.event_id = "evt_1", .event_type = "order.shipped",
                                    .seller = "S1", .warehouse = "DE-DUI", .subject = "O1",
                                    .status = "shipped", .event_at = 1700000000000};
    char *b = hc_webhook_body(&d);
    assert_string_equal(b, "{\"created_at\":\"2023-11-14T22:13:20.000Z\",\"data\":{\"order_id\":"
                           "\"O1\",\"seller\":\"S1\",\"status\":\"shipped\",\"warehouse\":"
                           "\"DE-DUI\"},\"id\":\"evt_1\",\"type\":\"order.shipped\"}");
    free(b);
}

static void stock_low_crossing(void **state)
{
    assert_true(hc_stock_crossed_below(3, 2, 3));   /* from at to below */
    assert_true(hc_stock_crossed_below(10, 0, 1));
    assert_false(hc_stock_crossed_below(5, 3, 3));  /* still at the threshold */
    assert_false(hc_stock_crossed_below(2, 1, 3));  /* already below */
    assert_false(hc_stock_crossed_below(1, 2, 3));  /* a rise */
    assert_false(hc_stock_crossed_below(5, 0, 0));  /* nothing is below 0 */
    assert_false(hc_stock_crossed_below(5, 1, -1)); /* no threshold */
}

/* Through the ledger's listener: one row on each crossing, none between;
 * the SKU's own threshold before the subscription's. A seller and SKUs of
 * its own: on MariaDB the tests of this file share one database. */
static void stock_low_outbox(void **state)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    run(s, "INSERT INTO wh_subscriptions (id, seller, warehouse, url, events, secret, description,"
           " actor, created_at, deleted_at, stock_threshold) VALUES ('whk_slow', 'SLOW', '',"
           " 'http://8.8.8.8/', 'order.created,stock.low', 'k', '', 't', 1, 0, 100),"
           " ('whk_olow', 'SLOW', '', 'http://8.8.8.8/', 'order.created', 'k', '', 't', 1, 0, -1)");
    run(s, "INSERT INTO wh_thresholds (sub_id, sku, below) VALUES ('whk_slow', 'KLOW1', 3)");
    hc_stock_listen(hc_webhook_on_stock);
    struct hc_move in = {"SLOW", "KLOW1", 5, "origin", "wh/DE-DUI/A1", "IB1", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    const char *const orders[] = {"OLOW1", "OLOW2", "OLOW3"};
    const int64_t qty[] = {2, 1, 1}; /* 5 -> 3, 3 -> 2 (crosses 3), 2 -> 1 */
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            hc_ledger_allocate(s, "SLOW", "DE-DUI", "KLOW1", qty[i], orders[i], "t", &err), HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE seller = 'SLOW'"), 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE sub_id = 'whk_slow' AND"
                              " event_type = 'stock.low' AND subject = 'KLOW1' AND"
                              " available = 1 + 1"
                              " AND threshold = 3 AND warehouse = 'DE-DUI'"),
                     1);
    /* back above, below again: another */
    assert_int_equal(hc_ledger_release(s, "SLOW", "DE-DUI", "KLOW1", 2, "OLOW1", "t", &err), HC_OK);
    assert_int_equal(hc_ledger_allocate(s, "SLOW", "DE-DUI", "KLOW1", 1, "OLOW4", "t", &err),
                     HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE seller = 'SLOW'"), 2);
    /* K2 has no threshold of its own: the subscription's 100 */
    struct hc_move in2 = {"SLOW", "KLOW2", 150, "origin", "wh/DE-DUI/A1", "IB2", "t", 0, 0};
    struct hc_move out2 = {"SLOW", "KLOW2", 60, "wh/DE-DUI/A1", "scrap", "X", "t", 0, 0};
    assert_int_equal(hc_ledger_move(s, &in2, &err), HC_OK);
    assert_int_equal(hc_ledger_move(s, &out2, &err), HC_OK);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_deliveries WHERE subject = 'KLOW2' AND"
                              " available = 90 AND threshold = 100"),
                     1);
    hc_stock_listen(NULL);
    hc_store_close(s);
}

/* "Is there any live subscription?" is asked once per transaction: a
 * subscription made in it, or one a ROLLBACK TO SAVEPOINT brings back, is
 * heard at once. */
static void live_subscriptions_once_per_transaction(void **state)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 12);
    run(s, "UPDATE wh_subscriptions SET deleted_at = 1 WHERE deleted_at = 0");
    run(s, "INSERT INTO sellers (code, name, country, created_at) VALUES ('SL7', 's', 'CN', 0)");
    struct hc_change c = {"order.created", "SL7", "DE-DUI", "O7", "allocated", hc_now_ms()};
    const char *deliveries = "SELECT COUNT(*) FROM wh_deliveries WHERE seller = 'SL7'";
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_true(hc_store_tx(s) != 0);
    assert_int_equal(hc_webhook_on_change(s, &c, &err), HC_OK); /* none: remembered */
    assert_int_equal(count(s, deliveries), 0);
    const char *events[] = {"order.created"};
    struct hc_webhook w = {.seller = "SL7", .warehouse = "", .url = "http://8.8.8.8/",
                           .events = events, .nevents = 1};
    assert_int_equal(hc_webhook_create(s, a, &w, "t", &err), HC_OK);
    assert_int_equal(hc_webhook_on_change(s, &c, &err), HC_OK);
    assert_int_equal(count(s, deliveries), 1);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    assert_int_equal(hc_store_tx(s), 0);
    /* ended in a savepoint that is rolled back: live again, heard again */
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    uint64_t tx = hc_store_tx(s);
    run(s, "SAVEPOINT job");
    assert_int_equal(hc_webhook_delete(s, w.id, &err), HC_OK);
    assert_int_equal(hc_webhook_on_change(s, &c, &err), HC_OK); /* none live: remembered */
    run(s, "ROLLBACK TO SAVEPOINT job");
    assert_true(hc_store_tx(s) != tx && hc_store_tx(s) != 0);
    assert_int_equal(hc_webhook_on_change(s, &c, &err), HC_OK);
    assert_int_equal(count(s, deliveries), 2);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* hc_webhook_set_thresholds replaces both thresholds of a stock.low
 * subscription, checks them as at creation (the field named, nothing
 * changed), and takes none for a subscription without stock.low. */
static void thresholds_replaced(void **state)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 12);
    run(s, "INSERT INTO sellers (code, name, country, created_at) VALUES ('SL8', 's', 'CN', 0)");
    const char *low[] = {"stock.low"}, *plain[] = {"order.created"};
    struct hc_webhook w = {.seller = "SL8", .warehouse = "", .url = "http://8.8.8.8/",
                           .events = low, .nevents = 1, .stock_threshold_set = true,
                           .stock_threshold = 50};
    assert_int_equal(hc_webhook_create(s, a, &w, "t", &err), HC_OK);
    struct hc_webhook_threshold two[] = {{"K8A", 3}, {"K8B", 0}};
    struct hc_webhook up = {.id = w.id, .thresholds = two, .nthresholds = 2};
    assert_int_equal(hc_webhook_set_thresholds(s, a, &up, &err), HC_OK);
    struct hc_webhook got;
    assert_int_equal(hc_webhook_get(s, a, w.id, &got, &err), HC_OK);
    assert_int_equal(got.stock_threshold, -1); /* not given: gone */
    assert_int_equal(got.nthresholds, 2);
    assert_string_equal(got.thresholds[0].sku, "K8A");
    assert_int_equal(got.thresholds[1].below, 0);
    struct hc_webhook_threshold twice[] = {{"K8C", 1}, {"K8C", 2}};
    struct hc_webhook bad = {.id = w.id, .thresholds = twice, .nthresholds = 2};
    assert_int_equal(hc_webhook_set_thresholds(s, a, &bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "thresholds[1].sku");
    hc_err_clear(&err);
    struct hc_webhook none = {.id = w.id};
    assert_int_equal(hc_webhook_set_thresholds(s, a, &none, &err), HC_EINVAL);
    assert_string_equal(err.field, "stock_threshold");
    hc_err_clear(&err);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM wh_thresholds WHERE sub_id IN (SELECT id FROM"
                              " wh_subscriptions WHERE seller = 'SL8')"),
                     2);
    struct hc_webhook p = {.seller = "SL8", .warehouse = "", .url = "http://8.8.8.8/",
                           .events = plain, .nevents = 1};
    assert_int_equal(hc_webhook_create(s, a, &p, "t", &err), HC_OK);
    struct hc_webhook some = {.id = p.id, .stock_threshold_set = true, .stock_threshold = 1};
    assert_int_equal(hc_webhook_set_thresholds(s, a, &some, &err), HC_EINVAL);
    assert_string_equal(err.field, "stock_threshold");
    hc_err_clear(&err);
    struct hc_webhook gone = {.id = "whk_none", .stock_threshold_set = true, .stock_threshold = 1};
    assert_int_equal(hc_webhook_set_thresholds(s, a, &gone, &err), HC_ENOTFOUND);
    hc_arena_free(a);
    hc_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_is_hmac_sha256_of_t_dot_body),
        cmocka_unit_test(backoff_doubles_up_to_an_hour),
        cmocka_unit_test(url_parse),
        cmocka_unit_test(address_rules),
        cmocka_unit_test(url_check_names_url),
        cmocka_unit_test(outbox_fan_out_queue_retry_give_up),
        cmocka_unit_test(body_is_stable_json),
        cmocka_unit_test(stock_low_crossing),
        cmocka_unit_test(stock_low_outbox),
        cmocka_unit_test(live_subscriptions_once_per_transaction),
        cmocka_unit_test(thresholds_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

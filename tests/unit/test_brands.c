/* Unit tests for brands, authorisations and packaging (src/compliance/
 * brands.c, packaging.c, reports.c): an authorisation's validity by day and
 * market (both ends inclusive, EU as its members), the standing of a seller
 * with a brand as authorisations start and end, refusals naming the field
 * with nothing written, exact packaging totals (milligrams, overflow
 * refused), and the brand report's sums from a journal written through the
 * ledger. Runs on SQLite, or on the database HC_TEST_DB names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "catalog/catalog.h"
#include "compliance/compliance.h"
#include "ledger/ledger.h"

static char url[512];

#define OK(call)                                                                                  \
    do {                                                                                          \
        hc_err e_ = {0};                                                                          \
        hc_err *err = &e_;                                                                        \
        if ((call) != HC_OK)                                                                      \
            fail_msg("%s: %s %s", #call, e_.field, e_.msg);                                       \
    } while (0)

static struct hc_brand_auth auth(const char *from, const char *until, const char *markets)
{
    return (struct hc_brand_auth){.seller = "S", .brand = "B", .document_ref = "LIC-1",
                                  .markets = markets, .valid_from = from, .valid_until = until};
}

static void test_auth_covers_by_day(void **state)
{
    (void)state;
    struct hc_brand_auth a = auth("2026-01-01", "2026-06-30", "");
    assert_false(hc_brand_auth_covers(&a, "DE", "2025-12-31"));
    assert_true(hc_brand_auth_covers(&a, "DE", "2026-01-01")); /* first day counts */
    assert_true(hc_brand_auth_covers(&a, "US", "2026-03-15")); /* no markets: all */
    assert_true(hc_brand_auth_covers(&a, "DE", "2026-06-30")); /* last day counts */
    assert_false(hc_brand_auth_covers(&a, "DE", "2026-07-01"));
    struct hc_brand_auth one = auth("2026-02-28", "2026-02-28", "");
    assert_true(hc_brand_auth_covers(&one, NULL, "2026-02-28"));
    assert_false(hc_brand_auth_covers(&one, NULL, "2026-03-01"));
}

static void test_auth_covers_by_market(void **state)
{
    (void)state;
    struct hc_brand_auth eu = auth("2026-01-01", "2026-12-31", "EU,GB");
    assert_true(hc_brand_auth_covers(&eu, "DE", "2026-05-01"));
    assert_true(hc_brand_auth_covers(&eu, "GR", "2026-05-01"));
    assert_true(hc_brand_auth_covers(&eu, "GB", "2026-05-01"));
    assert_false(hc_brand_auth_covers(&eu, "US", "2026-05-01"));
    assert_false(hc_brand_auth_covers(&eu, "CH", "2026-05-01")); /* not a member */
    assert_true(hc_brand_auth_covers(&eu, NULL, "2026-05-01"));  /* any market */
    struct hc_brand_auth de = auth("2026-01-01", "2026-12-31", "DE,AT");
    assert_true(hc_brand_auth_covers(&de, "AT", "2026-05-01"));
    assert_false(hc_brand_auth_covers(&de, "FR", "2026-05-01"));
}

static void test_auth_validate(void **state)
{
    (void)state;
    hc_err err = {0};
    struct hc_brand_auth a = auth("2026-06-01", "2026-05-31", "");
    assert_int_equal(hc_brand_auth_validate(&a, &err), HC_EINVAL);
    assert_string_equal(err.field, "valid_until");
    static const struct {
        const char *from, *until, *markets, *field;
    } bad[] = {{"2026-02-30", "2026-03-01", "", "valid_from"},
               {"2026-01-01", "2026-13-01", "", "valid_until"},
               {"26-01-01", "2026-03-01", "", "valid_from"},
               {"2026-01-01", "2026-03-01", "DE,XX", "markets"},
               {"2026-01-01", "2026-03-01", "DEU", "markets"}};
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err_clear(&err);
        a = auth(bad[i].from, bad[i].until, bad[i].markets);
        assert_int_equal(hc_brand_auth_validate(&a, &err), HC_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    hc_err_clear(&err);
    a = auth("2026-06-01", "2026-06-01", "EU");
    assert_int_equal(hc_brand_auth_validate(&a, &err), HC_OK);
    a.classes = 1; /* bit 0: class 0 does not exist */
    assert_int_equal(hc_brand_auth_validate(&a, &err), HC_EINVAL);
    assert_string_equal(err.field, "classes");
}

/* A seller with a SKU of brand B (recorded, owned by someone else). */
static hc_store *setup(const char **seller)
{
    static int seq;
    static char code[24];
    snprintf(code, sizeof(code), "BU%d-%d", (int)getpid() % 100000, ++seq);
    *seller = code;
    hc_store *s = test_store(url);
    struct hc_seller sl = {.code = code, .name = "Seller", .country = "CN"};
    struct hc_sku k = {.seller = code, .sku = "K1", .name = "Kettle", .hs_code = "8516710000",
                       .value_minor = 1000, .currency = "USD", .origin_country = "CN",
                       .dims_mm = {100, 100, 100}, .weight_g = 900, .brand = "B"};
    struct hc_brand b = {.seller = code, .name = "B", .owner = "B GmbH"};
    bool created;
    OK(hc_seller_create(s, &sl, err));
    OK(hc_sku_create(s, &k, err));
    OK(hc_brand_put(s, &b, &created, err));
    assert_true(created);
    return s;
}

static int standing(hc_store *s, const char *seller, const char *market, const char *day,
                    char until[11])
{
    int st = -1;
    OK(hc_brand_standing(s, seller, "B", market, day, &st, until, err));
    return st;
}

static void test_standing_as_authorisations_come_and_go(void **state)
{
    (void)state;
    const char *seller;
    hc_store *s = setup(&seller);
    char until[11], id[32];
    assert_int_equal(standing(s, seller, "DE", "2026-05-01", until), HC_BRAND_UNAUTHORISED);
    assert_string_equal(until, "");
    assert_int_equal(standing(s, seller, "DE", "2026-05-01", until), HC_BRAND_UNAUTHORISED);
    struct hc_brand_auth a = auth("2026-01-01", "2026-03-31", "DE");
    a.seller = seller;
    OK(hc_brand_auth_add(s, &a, id, sizeof(id), err));
    assert_int_equal(standing(s, seller, "DE", "2026-03-31", until), HC_BRAND_AUTHORISED);
    assert_string_equal(until, "2026-03-31");
    assert_int_equal(standing(s, seller, "DE", "2026-04-01", until), HC_BRAND_EXPIRED);
    assert_string_equal(until, "2026-03-31");
    assert_true(hc_brand_standing_blocks(HC_BRAND_EXPIRED));
    /* for France it never was valid: unauthorised, not expired */
    assert_int_equal(standing(s, seller, "FR", "2026-04-01", until), HC_BRAND_UNAUTHORISED);
    /* a renewal from the 10th: the gap days are expired, then authorised */
    struct hc_brand_auth r = auth("2026-04-10", "2027-04-09", "EU");
    r.seller = seller;
    OK(hc_brand_auth_add(s, &r, id, sizeof(id), err));
    assert_int_equal(standing(s, seller, "DE", "2026-04-05", until), HC_BRAND_EXPIRED);
    assert_int_equal(standing(s, seller, "FR", "2026-04-10", until), HC_BRAND_AUTHORISED);
    assert_string_equal(until, "2027-04-09");
    /* the SKU of the brand: the gate's item, only where it blocks */
    hc_arena *ar = hc_arena_new(4096);
    const char *skus[] = {"K1", "K1"};
    const char **items;
    size_t n;
    OK(hc_brand_missing(s, ar, seller, skus, 2, "US", "2026-05-01", &items, &n, err));
    assert_int_equal(n, 1);
    assert_string_equal(items[0], "skus[K1].brand_authorisation");
    OK(hc_brand_missing(s, ar, seller, skus, 2, "FR", "2026-05-01", &items, &n, err));
    assert_int_equal(n, 0);
    /* owning the brand ends every question */
    struct hc_brand b = {.seller = seller, .name = "B", .owner = "Seller", .seller_is_owner = true};
    bool created;
    OK(hc_brand_put(s, &b, &created, err));
    assert_false(created);
    assert_int_equal(standing(s, seller, "US", "2030-01-01", until), HC_BRAND_OWNER);
    int st;
    OK(hc_brand_standing(s, seller, "Other", "DE", "2026-05-01", &st, NULL, err));
    assert_int_equal(st, HC_BRAND_UNRECORDED);
    OK(hc_brand_standing(s, seller, NULL, "DE", "2026-05-01", &st, NULL, err));
    assert_int_equal(st, HC_BRAND_NONE);
    hc_arena_free(ar);
    hc_store_close(s);
}

static void test_refused_writes_nothing(void **state)
{
    (void)state;
    const char *seller;
    hc_store *s = setup(&seller);
    hc_err err = {0};
    char id[32];
    struct hc_brand_auth a = auth("2026-06-01", "2026-05-01", "");
    a.seller = seller;
    assert_int_equal(hc_brand_auth_add(s, &a, id, sizeof(id), &err), HC_EINVAL);
    assert_string_equal(err.field, "valid_until");
    hc_err_clear(&err);
    a = auth("2026-01-01", "2026-05-01", "");
    a.seller = seller;
    a.brand = "Unknown";
    assert_int_equal(hc_brand_auth_add(s, &a, id, sizeof(id), &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "brand");
    hc_arena *ar = hc_arena_new(4096);
    struct hc_brand_auth *list;
    size_t n;
    OK(hc_brand_auth_list(s, ar, seller, "B", &list, &n, err));
    assert_int_equal(n, 0);
    struct hc_trademark t = {.seller = seller, .brand = "B", .office = "XPTO", .number = "1",
                             .classes = 1ULL << 9, .valid_until = "2030-01-01"};
    hc_err_clear(&err);
    assert_int_equal(hc_trademark_put(s, &t, &err), HC_EINVAL);
    assert_string_equal(err.field, "office");
    t.office = "DPMA";
    t.classes = 1ULL << 46;
    hc_err_clear(&err);
    assert_int_equal(hc_trademark_put(s, &t, &err), HC_EINVAL);
    assert_string_equal(err.field, "classes");
    struct hc_trademark *tms;
    OK(hc_trademark_list(s, ar, seller, "B", &tms, &n, err));
    assert_int_equal(n, 0);
    hc_arena_free(ar);
    hc_store_close(s);
}

static void test_mass_parse_exact(void **state)
{
    (void)state;
    hc_err err = {0};
    int64_t mg;
    assert_int_equal(hc_mass_parse("12.345", "paper", &mg, &err), HC_OK);
    assert_int_equal(mg, 12345);
    assert_int_equal(hc_mass_parse("0.001", "paper", &mg, &err), HC_OK);
    assert_int_equal(mg, 1);
    assert_int_equal(hc_mass_parse("7", "paper", &mg, &err), HC_OK);
    assert_int_equal(mg, 7000);
    assert_int_equal(hc_mass_parse("1.2345", "paper", &mg, &err), HC_EINVAL);
    assert_string_equal(err.field, "paper");
    hc_err_clear(&err);
    assert_int_equal(hc_mass_parse("-1", "glass", &mg, &err), HC_EINVAL);
    hc_err_clear(&err);
    assert_int_equal(hc_mass_parse("1000000000.001", "glass", &mg, &err), HC_EINVAL);
    char buf[32];
    hc_mass_format(86415, buf, sizeof(buf));
    assert_string_equal(buf, "86.415");
    hc_mass_format(0, buf, sizeof(buf));
    assert_string_equal(buf, "0.000");
}

static void test_packaging_totals_exact(void **state)
{
    (void)state;
    struct hc_packaging p = {.seller = "S", .sku = "K", .battery = "portable",
                             .battery_mg = 45500, .eee_category = 6, .eee_mg = 180250};
    p.mg[HC_MAT_PAPER] = 12345;
    p.mg[HC_MAT_PLASTIC] = 1;
    p.mg[HC_MAT_COMPOSITE] = 333;
    hc_err err = {0};
    assert_int_equal(hc_packaging_validate(&p, &err), HC_OK);
    assert_int_equal(hc_packaging_unit_mg(&p), 12679);
    struct hc_mass_totals t = {0};
    assert_int_equal(hc_packaging_add_units(&p, 7, &t, &err), HC_OK);
    assert_int_equal(hc_packaging_add_units(&p, 3, &t, &err), HC_OK);
    assert_int_equal(t.mg[HC_MAT_PAPER], 123450); /* 10 x 12.345 g, not 123.44999 */
    assert_int_equal(t.mg[HC_MAT_PLASTIC], 10);
    assert_int_equal(t.mg[HC_MAT_COMPOSITE], 3330);
    assert_int_equal(t.mg[HC_MAT_GLASS], 0);
    assert_int_equal(t.battery_mg, 455000);
    assert_int_equal(t.eee_mg, 1802500);
    /* a million units of 0.001 g: exactly 1000 g */
    struct hc_packaging tiny = {.seller = "S", .sku = "T", .battery = ""};
    tiny.mg[HC_MAT_OTHER] = 1;
    struct hc_mass_totals u = {0};
    assert_int_equal(hc_packaging_add_units(&tiny, 1000000, &u, &err), HC_OK);
    assert_int_equal(u.mg[HC_MAT_OTHER], 1000000);
    /* a total past int64 is refused, never wrapped */
    struct hc_packaging heavy = {.seller = "S", .sku = "H", .battery = ""};
    heavy.mg[HC_MAT_WOOD] = HC_MASS_MAX_MG;
    struct hc_mass_totals h = {0};
    assert_int_equal(hc_packaging_add_units(&heavy, INT64_MAX / HC_MASS_MAX_MG + 1, &h, &err),
                     HC_ETOOBIG);
    /* a battery without weight, equipment of category 7 */
    struct hc_packaging bad = {.seller = "S", .sku = "K", .battery = "portable"};
    hc_err_clear(&err);
    assert_int_equal(hc_packaging_validate(&bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "battery.weight_g");
    bad = (struct hc_packaging){.seller = "S", .sku = "K", .battery = "", .eee_category = 7,
                                .eee_mg = 5};
    hc_err_clear(&err);
    assert_int_equal(hc_packaging_validate(&bad, &err), HC_EINVAL);
    assert_string_equal(err.field, "eee.category");
}

static void move(hc_store *s, const char *seller, int64_t qty, const char *from, const char *to,
                 const char *ref)
{
    struct hc_move m = {seller, "K1", qty, from, to, ref, "test", 0, 0};
    OK(hc_ledger_move(s, &m, err));
}

static void test_brand_report_sums(void **state)
{
    (void)state;
    const char *seller;
    hc_store *s = setup(&seller);
    hc_arena *a = hc_arena_new(1 << 14);
    /* 10 in, 2 moved within the warehouse, 6 to orders, 1 put back, 2 returned,
     * 1 to another warehouse, all 5 left there, then emptied */
    move(s, seller, 10, "origin", "wh/W1/RECEIVING", "in1");
    move(s, seller, 2, "wh/W1/RECEIVING", "wh/W1/A-01-1", "in1");
    move(s, seller, 6, "wh/W1/RECEIVING", "order/o1", "o1");
    move(s, seller, 1, "order/o1", "wh/W1/A-01-1", "o1");
    move(s, seller, 5, "order/o1", "carrier/DHL", "o1");
    move(s, seller, 5, "carrier/DHL", "customer", "o1");
    move(s, seller, 2, "customer", "wh/W1/RETURNS", "r1");
    move(s, seller, 1, "wh/W1/A-01-1", "wh/W2/RECEIVING", "t1");
    move(s, seller, 1, "wh/W2/RECEIVING", "order/o2", "o2");
    struct hc_brand_report r;
    OK(hc_brand_report(s, a, "B", seller, NULL, &r, err));
    assert_int_equal(r.skus, 1);
    assert_int_equal(r.journal_rows, 9);
    assert_int_equal(r.n, 2);
    const struct hc_brand_report_row *w1 = &r.rows[0], *w2 = &r.rows[1];
    assert_string_equal(w1->warehouse, "W1");
    assert_int_equal(w1->received, 10);
    assert_int_equal(w1->sold, 5); /* 6 picked, 1 put back */
    assert_int_equal(w1->returned, 2);
    assert_int_equal(w1->on_hand, 6); /* 10 - 6 + 1 + 2 - 1 */
    assert_true(w1->first_received_at > 0);
    assert_int_equal(w1->last_held_at, 0); /* held now */
    assert_string_equal(w2->warehouse, "W2");
    assert_int_equal(w2->received, 1); /* from another warehouse */
    assert_int_equal(w2->sold, 1);
    assert_int_equal(w2->on_hand, 0);
    assert_true(w2->last_held_at >= w2->first_received_at && w2->last_held_at > 0);
    OK(hc_brand_report(s, a, "B", seller, "W2", &r, err));
    assert_int_equal(r.n, 1);
    OK(hc_brand_report(s, a, "No such brand", NULL, NULL, &r, err));
    assert_int_equal(r.n, 0);
    hc_arena_free(a);
    hc_store_close(s);
}

int main(void)
{
    test_db_url(url, sizeof(url));
    hc_err err = {0};
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "reference data: %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_covers_by_day),
        cmocka_unit_test(test_auth_covers_by_market),
        cmocka_unit_test(test_auth_validate),
        cmocka_unit_test(test_standing_as_authorisations_come_and_go),
        cmocka_unit_test(test_refused_writes_nothing),
        cmocka_unit_test(test_mass_parse_exact),
        cmocka_unit_test(test_packaging_totals_exact),
        cmocka_unit_test(test_brand_report_sums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the seller identity history (src/compliance/identity.c): a
 * change is a new version and the old one stays readable as of its time; the
 * same identity again adds nothing; a bad number is refused naming its field
 * and writes nothing; each market takes only its own numbers. Runs on SQLite,
 * or on the database HC_TEST_DB names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "catalog/catalog.h"
#include "compliance/compliance.h"

static char url[512];

static hc_store *fresh(void)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    char code[24];
    static int seq;
    snprintf(code, sizeof(code), "ID%d-%d", (int)getpid(), ++seq);
    struct hc_seller sl = {.code = code, .name = "Seller", .country = "CN"};
    if (hc_seller_create(s, &sl, &err) != HC_OK)
        fail_msg("%s: %s", err.field, err.msg);
    return s;
}

static const char *seller_of(hc_store *s, hc_arena *a)
{
    hc_err err = {0};
    const char *code = NULL;
    hc_stmt *q;
    assert_int_equal(hc_store_query(s, &err, &q, "SELECT MAX(code) FROM sellers", ""), HC_OK);
    assert_int_equal(hc_stmt_step(q, &err), HC_ROW);
    code = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return code;
}

static struct hc_identity base_identity(const char *seller, int64_t at)
{
    struct hc_identity id = {
        .seller = seller,
        .legal_name_zh = "深圳安科电子有限公司",
        .legal_name_en = "Shenzhen Anko Electronics Co., Ltd.",
        .uscc = "91350100M000100Y43",
        .customs_code = "4403960ABC",
        .registered_address = "广东省深圳市南山区科技园 1 号",
        .contact_name = "Li Wei",
        .contact_phone = "+86 755 1234 5678",
        .contact_email = "compliance@example.cn",
        .nmarkets = 3,
        .markets = {{.country = "US", .ior = "91-1144442"},
                    {.country = "DE", .eori = "DE1234567", .vat = "DE136695976",
                     .ioss = "IM2760000001"},
                    {.country = "GB", .eori = "GB980780684000", .vat = "GB980780684"}},
        .recorded_at = at,
        .recorded_by = "unit",
    };
    return id;
}

static int64_t count(hc_store *s, const char *sql, const char *seller)
{
    hc_err err = {0};
    int64_t v = -1;
    assert_int_equal(hc_store_int(s, &err, &v, sql, "s", seller), HC_OK);
    return v;
}

static void versions_and_as_of(void **state)
{
    (void)state;
    hc_store *s = fresh();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    const char *seller = seller_of(s, a);
    bool changed = false;

    struct hc_identity v1 = base_identity(seller, 1000000);
    assert_int_equal(hc_identity_record(s, a, &v1, &changed, &err), HC_OK);
    assert_true(changed);
    assert_int_equal(v1.version, 1);
    assert_string_equal(v1.markets[0].country, "DE"); /* sorted */

    struct hc_identity again = base_identity(seller, 2000000);
    assert_int_equal(hc_identity_record(s, a, &again, &changed, &err), HC_OK);
    assert_false(changed);
    assert_int_equal(again.version, 1);

    struct hc_identity v2 = base_identity(seller, 3000000);
    v2.legal_name_en = "Anko Electronics (Shenzhen) Co., Ltd.";
    v2.markets[1].vat = "DE814584193"; /* DE market, another VAT number */
    v2.recorded_by = "second";
    assert_int_equal(hc_identity_record(s, a, &v2, &changed, &err), HC_OK);
    assert_true(changed);
    assert_int_equal(v2.version, 2);

    struct hc_identity got;
    assert_int_equal(hc_identity_get(s, a, seller, 2999999, &got, &err), HC_OK);
    assert_int_equal(got.version, 1);
    assert_string_equal(got.legal_name_en, "Shenzhen Anko Electronics Co., Ltd.");
    assert_int_equal(got.nmarkets, 3);
    assert_string_equal(got.markets[0].vat, "DE136695976");
    assert_string_equal(got.recorded_by, "unit");
    assert_int_equal(hc_identity_get(s, a, seller, 3000000, &got, &err), HC_OK);
    assert_int_equal(got.version, 2);
    assert_int_equal(hc_identity_get(s, a, seller, 0, &got, &err), HC_OK);
    assert_int_equal(got.version, 2);
    assert_string_equal(got.markets[0].vat, "DE814584193");
    assert_int_equal(hc_identity_get(s, a, seller, 999999, &got, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "at");

    struct hc_identity *items;
    size_t n;
    int64_t next;
    assert_int_equal(hc_identity_history(s, a, seller, 0, 1, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].version, 2);
    assert_int_equal(next, 2);
    assert_int_equal(hc_identity_history(s, a, seller, next, 10, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].version, 1);
    assert_int_equal(next, 0);

    struct hc_seller sl;
    assert_int_equal(hc_seller_get(s, a, seller, &sl, &err), HC_OK);
    assert_string_equal(sl.uscc, "91350100M000100Y43");
    hc_arena_free(a);
    hc_store_close(s);
}

static void clock_going_back_keeps_order(void **state)
{
    (void)state;
    hc_store *s = fresh();
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    const char *seller = seller_of(s, a);
    bool changed;
    struct hc_identity v1 = base_identity(seller, 5000000);
    assert_int_equal(hc_identity_record(s, a, &v1, &changed, &err), HC_OK);
    struct hc_identity v2 = base_identity(seller, 4000000);
    v2.contact_name = "Wang Fang";
    assert_int_equal(hc_identity_record(s, a, &v2, &changed, &err), HC_OK);
    assert_int_equal(v2.recorded_at, 5000000);
    struct hc_identity got;
    assert_int_equal(hc_identity_get(s, a, seller, 5000000, &got, &err), HC_OK);
    assert_int_equal(got.version, 2);
    hc_arena_free(a);
    hc_store_close(s);
}

struct refusal {
    void (*spoil)(struct hc_identity *id);
    const char *field;
};

static void bad_uscc(struct hc_identity *id) { id->uscc = "91350100M000100Y44"; }
static void no_uscc(struct hc_identity *id) { id->uscc = NULL; }
static void bad_customs(struct hc_identity *id) { id->customs_code = "4403060ABC"; }
static void no_name(struct hc_identity *id) { id->legal_name_zh = ""; }
static void bad_email(struct hc_identity *id) { id->contact_email = "nobody"; }
static void bad_phone(struct hc_identity *id) { id->contact_phone = "call me"; }
static void bad_de_vat(struct hc_identity *id) { id->markets[1].vat = "DE136695978"; }
static void fr_vat_in_de(struct hc_identity *id) { id->markets[1].vat = "FR23334175221"; }
static void bad_ioss(struct hc_identity *id) { id->markets[1].ioss = "IM840000001"; }
static void gb_eori_in_de(struct hc_identity *id) { id->markets[1].eori = "GB123456789000"; }
static void ior_in_de(struct hc_identity *id) { id->markets[1].ior = "91-1144442"; }
static void bad_uk_vat(struct hc_identity *id) { id->markets[2].vat = "GB802311781"; }
static void gb_eori_not_of_vat(struct hc_identity *id) { id->markets[2].eori = "GB123456789000"; }
static void de_eori_in_gb(struct hc_identity *id) { id->markets[2].eori = "DE1234567"; }
static void bad_ior(struct hc_identity *id) { id->markets[0].ior = "07-1144442"; }
static void vat_in_us(struct hc_identity *id) { id->markets[0].vat = "DE136695976"; }
static void japan(struct hc_identity *id) { id->markets[0].country = "JP"; }
static void twice(struct hc_identity *id) { id->markets[0].country = "DE"; id->markets[0].ior = NULL; }

static void refusals_name_the_field(void **state)
{
    (void)state;
    static const struct refusal cases[] = {
        {bad_uscc, "uscc"},
        {no_uscc, "uscc"},
        {bad_customs, "customs_code"},
        {no_name, "legal_name_zh"},
        {bad_email, "contact.email"},
        {bad_phone, "contact.phone"},
        {bad_de_vat, "markets.DE.vat"},
        {fr_vat_in_de, "markets.DE.vat"},
        {bad_ioss, "markets.DE.ioss"},
        {gb_eori_in_de, "markets.DE.eori"},
        {ior_in_de, "markets.DE.ior"},
        {bad_uk_vat, "markets.GB.vat"},
        {de_eori_in_gb, "markets.GB.eori"},
        {gb_eori_not_of_vat, "markets.GB.eori"},
        {bad_ior, "markets.US.ior"},
        {vat_in_us, "markets.US.vat"},
        {japan, "markets.JP"},
        {twice, "markets.DE"},
    };
    hc_store *s = fresh();
    hc_arena *a = hc_arena_new(4096);
    const char *seller = seller_of(s, a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hc_err err = {0};
        bool changed = true;
        struct hc_identity id = base_identity(seller, 1000);
        cases[i].spoil(&id);
        assert_int_equal(hc_identity_record(s, a, &id, &changed, &err), HC_EINVAL);
        assert_string_equal(err.field, cases[i].field);
        assert_false(changed);
    }
    assert_int_equal(count(s, "SELECT COUNT(*) FROM seller_identities WHERE seller = ?", seller), 0);
    assert_int_equal(
        count(s, "SELECT COUNT(*) FROM seller_identity_markets WHERE seller = ?", seller), 0);
    hc_err err = {0};
    struct hc_identity got;
    assert_int_equal(hc_identity_get(s, a, seller, 0, &got, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "identity");
    bool changed;
    hc_err_clear(&err);
    struct hc_identity nobody = base_identity("NO-SUCH-SELLER", 1000);
    assert_int_equal(hc_identity_record(s, a, &nobody, &changed, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "seller");
    hc_arena_free(a);
    hc_store_close(s);
}

static void checks_report_each_number(void **state)
{
    (void)state;
    struct hc_identity id = base_identity("X", 1);
    hc_err err = {0};
    if (hc_identity_validate(&id, &err) != HC_OK)
        fail_msg("%s: %s", err.field, err.msg);
    struct hc_identity_check c[16];
    size_t n = hc_identity_checks(&id, c, 16);
    /* uscc, customs_code, DE eori vat ioss, GB eori vat, US ior */
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        assert_null(c[i].problem);
    assert_string_equal(c[3].field, "markets.DE.vat");
    id.uscc = "91350100M000100Y44"; /* as an old registration might hold */
    n = hc_identity_checks(&id, c, 16);
    assert_string_equal(c[0].field, "uscc");
    assert_non_null(c[0].problem);
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
        cmocka_unit_test(versions_and_as_of),
        cmocka_unit_test(clock_going_back_keeps_order),
        cmocka_unit_test(refusals_name_the_field),
        cmocka_unit_test(checks_report_each_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

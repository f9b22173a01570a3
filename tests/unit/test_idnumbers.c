/* Unit tests for the identity number rules (src/compliance/checkdigits.c):
 * published valid numbers pass, published invalid ones (one digit changed, a
 * wrong prefix, a wrong length) are refused. Every example names its source:
 * - "GB 32100-2015": the standard's own example of a USCC;
 * - "stdnum X": the documentation (doctest) of python-stdnum 1.18, module
 *   stdnum.X, which lists numbers seen in use and their one-digit-changed twins;
 * - "gov.uk EORI": HMRC, "Get an EORI number" (GB123456789000 as the example);
 * - "rule": constructed from the cited rule where no published number exists
 *   (CBP-assigned importer numbers, IOSS numbers, customs codes, UK 9755,
 *   LUCID numbers);
 * - "stiftung ear FAQ", "earn-service.com": the WEEE-Reg.-Nr. as written
 *   there (checkdigits.c names the sources of the EPR shapes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "compliance/compliance.h"

struct example {
    const char *number;
    bool valid;
    const char *source;
};

static void check_all(const char *(*rule)(const char *), const struct example *ex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *problem = rule(ex[i].number);
        if ((problem == NULL) != ex[i].valid)
            fail_msg("%s (%s): expected %s, got %s", ex[i].number, ex[i].source,
                     ex[i].valid ? "valid" : "invalid", problem ? problem : "valid");
    }
}

#define CHECK(rule, table) check_all(rule, table, sizeof(table) / sizeof(table[0]))

static void uscc(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"91350100M000100Y43", true, "GB 32100-2015"},
        {"91350100M000100Y44", false, "GB 32100-2015, check character changed"},
        {"91110000600037341L", true, "stdnum cn.uscc"},
        {"A1110000600037341L", false, "stdnum cn.uscc"},
        {"12345", false, "stdnum cn.uscc (length)"},
        {"91110000600037341I", false, "rule: I is outside the charset"},
        {"9111000060003734SL", false, "rule: S is outside the charset"},
        {"911100006000373410", false, "rule: wrong check character"},
        {"91440300MA5F0A1B2N", true, "rule: the demo seller SZ-ANKO"},
        {"91440300MA5F0A1B2C", false, "rule: the demo's number before it was corrected"},
    };
    CHECK(hc_uscc_problem, ex);
    assert_int_equal(hc_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(hc_uscc_check_char("9135010OM000100Y4"), '\0');
    assert_non_null(hc_uscc_problem(NULL));
}

static void customs_code(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"4403960ABC", true, "rule: region 4403, zone 9, type 6, serial"},
        {"3318960DEF", true, "rule"},
        {"4403060ABC", false, "rule: economic-zone digit 0"},
        {"44A3960ABC", false, "rule: region must be digits"},
        {"4403960AB", false, "rule: 9 characters"},
        {"4403960abc", false, "rule: lower case"},
        {"91350100M000100Y43", true, "GB 32100-2015: a USCC serves as the code"},
        {"91350100M000100Y44", false, "GB 32100-2015, check character changed"},
    };
    CHECK(hc_customs_code_problem, ex);
}

static void eu_vat_with_check_digits(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"ATU13585627", true, "stdnum at.uid"},     {"ATU13585626", false, "stdnum at.uid"},
        {"BE0428759497", true, "stdnum be.vat"},    {"BE0431150351", false, "stdnum be.vat"},
        {"DE136695976", true, "stdnum de.vat"},     {"DE136695978", false, "stdnum de.vat"},
        {"DK13585628", true, "stdnum dk.cvr"},      {"DK13585627", false, "stdnum dk.cvr"},
        {"EE100594102", true, "stdnum ee.kmkr"},    {"EE100594103", false, "stdnum ee.kmkr"},
        {"EL094259216", true, "stdnum gr.vat"},     {"EL123456781", false, "stdnum gr.vat"},
        {"ESB64717838", true, "stdnum es.nif"},     {"ESB64717839", false, "stdnum es.nif"},
        {"ES54362315K", true, "stdnum es.nif"},     {"ES54362315A", false, "rule: DNI letter"},
        {"ESX5253868R", true, "stdnum es.nif"},     {"ESM1234567L", true, "stdnum es.nif"},
        {"FI20774740", true, "stdnum fi.alv"},      {"FI20774741", false, "stdnum fi.alv"},
        {"FR23334175221", true, "stdnum fr.tva"},   {"FR84323140391", false, "stdnum fr.tva"},
        {"FRK7399859412", true, "stdnum fr.tva"},   {"FR4Z123456782", true, "stdnum fr.tva"},
        {"FRIO334175221", false, "stdnum fr.tva"},  {"HR33392005961", true, "stdnum hr.oib"},
        {"HR33392005962", false, "stdnum hr.oib"},  {"HU12892312", true, "stdnum hu.anum"},
        {"HU12892313", false, "stdnum hu.anum"},    {"IT00743110157", true, "stdnum it.iva"},
        {"IT00743110158", false, "stdnum it.iva"},  {"LU15027442", true, "stdnum lu.tva"},
        {"LU15027443", false, "stdnum lu.tva"},     {"NL004495445B01", true, "stdnum nl.btw"},
        {"NL002455799B11", true, "stdnum nl.btw (MOD 97-10, since 2020)"},
        {"NL123456789B90", false, "stdnum nl.btw"}, {"NL004495445B00", false, "rule: B00"},
        {"PL8567346215", true, "stdnum pl.nip"},    {"PL8567346216", false, "stdnum pl.nip"},
        {"PT501964843", true, "stdnum pt.nif"},     {"PT501964842", false, "stdnum pt.nif"},
        {"SE123456789701", true, "stdnum se.vat"},  {"SE123456789101", false, "stdnum se.vat"},
        {"SI50223054", true, "stdnum si.ddv"},      {"SI50223055", false, "stdnum si.ddv"},
        {"SK2022749619", true, "stdnum sk.dph"},    {"SK2022749618", false, "stdnum sk.dph"},
        {"XI980780684", true, "stdnum gb.vat under the XI prefix"},
    };
    CHECK(hc_eu_vat_problem, ex);
    static const char *required[] = {"DE", "FR", "NL", "PL", "ES", "IT"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        assert_true(hc_eu_vat_has_check(required[i]));
}

static void eu_vat_more_check_digits(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"BG175074752", true, "stdnum bg.vat"},     {"BG175074751", false, "stdnum bg.vat"},
        {"CY10259033P", true, "stdnum cy.vat"},     {"CY10259033Z", false, "stdnum cy.vat"},
        {"CZ25123891", true, "stdnum cz.dic"},      {"CZ25123890", false, "stdnum cz.dic"},
        {"CZ640903926", true, "stdnum cz.dic (special case)"},
        {"CZ7103192745", true, "stdnum cz.dic (a birth number, by format)"},
        {"IE6433435F", true, "stdnum ie.vat"},      {"IE6433435OA", true, "stdnum ie.vat"},
        {"IE6433435E", false, "stdnum ie.vat"},     {"IE8D79739I", true, "stdnum ie.vat"},
        {"IE8?79739J", false, "stdnum ie.vat"},     {"LT119511515", true, "stdnum lt.pvm"},
        {"LT100001919017", true, "stdnum lt.pvm"},  {"LT100001919018", false, "stdnum lt.pvm"},
        {"LT100004801610", true, "stdnum lt.pvm (second step)"},
        {"LV40003521600", true, "stdnum lv.pvn"},   {"LV40003521601", false, "stdnum lv.pvn"},
        {"MT11679112", true, "stdnum mt.vat"},      {"MT11679113", false, "stdnum mt.vat"},
        {"RO18547290", true, "stdnum ro.cf"},       {"RO18547291", false, "rule: check digit changed"},
    };
    CHECK(hc_eu_vat_problem, ex);
    static const char *all[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL",
                                "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
                                "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        assert_true(hc_eu_vat_has_check(all[i]));
}

static void eu_vat_formats(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"BG17507475", false, "rule: 8 digits"},    {"CY102590331", false, "rule: no letter"},
        {"CZ2512389", false, "rule: 7 digits"},     {"LT11951151", false, "rule: 8 digits"},
        {"LV4000352160", false, "rule: 10 digits"}, {"MT1167911", false, "rule: 7 digits"},
        {"RO1", false, "rule: 1 digit"},            {"GR094259216", false, "rule: Greece is EL"},
        {"US136695976", false, "rule: no member state"},
        {"DE13669597", false, "rule: 8 digits"},    {"de136695976", false, "rule: lower case"},
        {"", false, "rule: empty"},
    };
    CHECK(hc_eu_vat_problem, ex);
    assert_string_equal(hc_vat_prefix("GR"), "EL");
    assert_string_equal(hc_vat_prefix("DE"), "DE");
}

static void uk_vat(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"GB980780684", true, "stdnum gb.vat (mod 97)"},
        {"GB802311781", false, "stdnum gb.vat"},
        {"GB123456727", true, "rule: 9755 (sum mod 97 = 42)"},
        {"GB012345662", false, "rule: 9755 only from 100 0000 00 (sum mod 97 = 42)"},
        {"GB980780684001", true, "rule: a branch, 12 digits"},
        {"GBGD001", true, "rule: government department"},
        {"GBGD500", false, "rule: GD is 000-499"},
        {"GBHA500", true, "rule: health authority"},
        {"980780684", false, "rule: without GB"},
        {"GB98078068", false, "rule: 8 digits"},
    };
    CHECK(hc_uk_vat_problem, ex);
}

static void eori(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"GB123456789000", true, "gov.uk EORI"},
        {"GB12345678900", false, "gov.uk EORI: 11 digits"},
        {"GB12345678900A", false, "gov.uk EORI: a letter"},
        {"XI123456789000", true, "rule: Northern Ireland, as GB"},
        {"DE1234567", true, "rule: DE + customs number (EORI guidance)"},
        {"NL810123456", true, "rule: NL + 9 characters"},
        {"DE1234567890123456", false, "rule: 16 characters after DE"},
        {"US123456789", false, "rule: no EU member, GB or XI"},
        {"DE", false, "rule: country alone"},
        {"de1234567", false, "rule: lower case"},
    };
    CHECK(hc_eori_problem, ex);
}

static void ioss(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"IM2760000001", true, "rule: IM, Germany 276, 7 digits"},
        {"IM5280000123", true, "rule: Netherlands 528"},
        {"IM8400000001", false, "rule: 840 is the US"},
        {"IN2760000001", false, "rule: the intermediary form in the IOSS field"},
        {"IM276000001", false, "rule: 6 digits"},
        {"IM27600000011", false, "rule: 8 digits"},
    };
    CHECK(hc_ioss_problem, ex);
    static const struct example in[] = {
        {"IN3720000042", true, "rule: IN, Ireland 372"},
        {"IM3720000042", false, "rule: IM in the intermediary field"},
    };
    CHECK(hc_ioss_intermediary_problem, in);
}

static void us_ior(void **state)
{
    (void)state;
    static const struct example ex[] = {
        {"91-1144442", true, "stdnum us.ein"},
        {"911144442", true, "stdnum us.ein (without the dash)"},
        {"07-1144442", false, "stdnum us.ein: prefix 07 not assigned"},
        {"911-14-4442", false, "stdnum us.ein: dash in the wrong place"},
        {"201234-56789", true, "rule: CBP-assigned YYDDPP-NNNNN"},
        {"201234-5678", false, "rule: 4 digits after the dash"},
        {"", false, "rule: empty"},
    };
    CHECK(hc_us_ior_problem, ex);
}

/* EPR registration numbers (hc_epr_number_problem): the shapes published for
 * Germany's LUCID and WEEE numbers; schemes without one take any number. */
static void epr_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *country, *kind, *number;
        bool valid;
        const char *source;
    } ex[] = {
        {"DE", "weee", "DE 12345678", true, "stiftung ear FAQ: WEEE-Reg.-Nr. DE 12345678"},
        {"DE", "weee", "DE12345678", true, "earn-service.com: WEEE-Reg Nr. DE12345678"},
        {"DE", "weee", "DE 1234567", false, "rule: 7 digits"},
        {"DE", "weee", "DE123456789", false, "rule: 9 digits"},
        {"DE", "weee", "DE  12345678", false, "rule: two spaces"},
        {"DE", "weee", "12345678", false, "rule: no DE"},
        {"DE", "weee", "de12345678", false, "rule: lower case"},
        {"DE", "weee", "WEEE-Reg.-Nr. DE 12345678", false, "rule: the label is not the number"},
        {"DE", "packaging", "DE1234567890123", true, "rule: DE and 13 digits"},
        {"DE", "packaging", "DE3279574685213", true, "rule: DE and 13 digits"},
        {"DE", "packaging", "DE123456789012", false, "rule: 12 digits"},
        {"DE", "packaging", "DE12345678901234", false, "rule: 14 digits"},
        {"DE", "packaging", "DE 1234567890123", false, "rule: no space in a LUCID number"},
        {"DE", "packaging", "AT1234567890123", false, "rule: another prefix"},
        {"DE", "packaging", "DE123456789", false, "rule: a German VAT number is not one"},
        {"DE", "batteries", "DE 12345", true, "no published shape: data"},
        {"FR", "packaging", "FR123456_01ABCD", true, "no published shape: data"},
        {"FR", "weee", "FR112233", true, "no published shape: data"},
        {"AT", "packaging", "anything", true, "no rule for Austria: data"},
    };
    for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
        const char *problem = hc_epr_number_problem(ex[i].country, ex[i].kind, ex[i].number);
        if ((problem == NULL) != ex[i].valid)
            fail_msg("%s %s %s (%s): expected %s, got %s", ex[i].country, ex[i].kind,
                     ex[i].number, ex[i].source, ex[i].valid ? "valid" : "invalid",
                     problem ? problem : "valid");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uscc),
        cmocka_unit_test(customs_code),
        cmocka_unit_test(eu_vat_with_check_digits),
        cmocka_unit_test(eu_vat_more_check_digits),
        cmocka_unit_test(eu_vat_formats),
        cmocka_unit_test(uk_vat),
        cmocka_unit_test(eori),
        cmocka_unit_test(ioss),
        cmocka_unit_test(us_ior),
        cmocka_unit_test(epr_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

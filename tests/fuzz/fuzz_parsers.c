/* libFuzzer target: every parser that reads bytes a user controls without
 * JSON in between: exact decimals, ISO times, UTF-8 checks, location codes,
 * bounded integers, the identity number rules (USCC, VAT, EORI, ...) and the
 * CSV reader of the importers. It must never crash,
 * hang or read out of bounds (run under ASan/UBSan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "catalog/catalog.h"
#include "cli/csv.h"
#include "compliance/compliance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t v;
    char buf[64];
    for (int scale = 0; scale <= 5; scale++)
        if (hc_decimal_parse(s, scale, &v) == HC_OK) {
            hc_decimal_format(v, scale, buf, sizeof(buf));
            int64_t back;
            if (hc_decimal_parse(buf, scale, &back) != HC_OK || back != v)
                abort(); /* format and parse must round-trip */
        }
    hc_time_parse_iso(s, &v);
    hc_parse_i64(s, INT64_MIN, INT64_MAX, &v);
    if (hc_utf8_valid(s, size))
        hc_utf8_len(s);
    int64_t abl[3];
    hc_location_parse_code(s, abl);
    /* the identity rules take any text; a USCC body's check character, when
     * it has one, makes the code valid */
    const char *(*const rules[])(const char *) = {
        hc_uscc_problem,        hc_customs_code_problem, hc_eu_vat_problem,
        hc_uk_vat_problem,      hc_eori_problem,         hc_ioss_problem,
        hc_ioss_intermediary_problem, hc_us_ior_problem};
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        rules[i](s);
    if (size >= 17) {
        char code[19];
        memcpy(code, s, 17);
        code[17] = hc_uscc_check_char(s);
        code[18] = '\0';
        if (code[17] && memchr(code, '\0', 17) == NULL && code[2] >= '0' && code[2] <= '9' &&
            strspn(code + 2, "0123456789") >= 6 && hc_uscc_problem(code) != NULL)
            abort(); /* a body in the charset with its check character is valid */
    }
    FILE *f = fmemopen(s, size, "r");
    if (f) {
        struct csv c = {.f = f};
        hc_err err = {0};
        int rc, rows = 0;
        while ((rc = csv_read(&c, &err)) != 0 && rows++ < 10000) {
            hc_err_clear(&err);
            if (rc > 0)
                for (int i = 0; i < c.nfields; i++)
                    if (strlen(c.field[i]) > CSV_MAX_LINE)
                        abort();
        }
        csv_free(&c);
        fclose(f);
    }
    free(s);
    return 0;
}

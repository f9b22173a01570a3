/* libFuzzer target: every parser that reads bytes a user controls without
 * JSON in between: exact decimals, ISO times, UTF-8 checks, location codes,
 * bounded integers, the identity number rules (USCC, VAT, EORI, EPR
 * registration numbers, ...), the order list of bulk labels (`orders=`) and
 * the CSV reader of the importers. It must never crash,
 * hang or read out of bounds (run under ASan/UBSan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/base.h"
#include "catalog/catalog.h"
#include "cli/csv.h"
#include "compliance/compliance.h"

/* `orders=ID,ID`: 1 to HC_API_ORDER_LABELS_MAX ids, none empty, none twice,
 * the list cut at its commas; else HC_EINVAL naming orders. */
static void order_ids(const char *list)
{
    hc_arena *a = hc_arena_new(1 << 12);
    char **ids;
    size_t n = 0, len = 0;
    hc_err err = {0};
    if (hc_api_order_ids(a, list, &ids, &n, &err) == HC_OK) {
        if (n == 0 || n > HC_API_ORDER_LABELS_MAX)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (ids[i][0] == '\0' || strchr(ids[i], ',') ||
                strncmp(list + len, ids[i], strlen(ids[i])) != 0)
                abort();
            len += strlen(ids[i]) + 1;
        }
        if (len != strlen(list) + 1)
            abort();
    } else if (err.code != HC_EINVAL || strcmp(err.field, "orders") != 0) {
        abort();
    }
    hc_arena_free(a);
}

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
    hc_eu_vat_has_check(s);
    hc_epr_number_problem("DE", "packaging", s);
    hc_epr_number_problem("DE", "weee", s);
    hc_epr_number_problem(s, s, s);
    order_ids(s);
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

/* libFuzzer target: every parser that reads bytes a user controls without
 * JSON in between: exact decimals, ISO times, UTF-8 checks, location codes,
 * bounded integers and the CSV reader of the importers. It must never crash,
 * hang or read out of bounds (run under ASan/UBSan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "catalog/catalog.h"
#include "cli/csv.h"

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

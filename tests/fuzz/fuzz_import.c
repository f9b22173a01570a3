/* libFuzzer target: the CSV bodies of the imports (the idiom of
 * src/api/import.c: rate cards, carrier services, refund rates and
 * invoices), the other CSV imports (FX rates, ad spend, external fees,
 * compliance rules, tracking events) and the public-holiday CSV, with what
 * is built from the holiday rows (the book of calendars, their union, business-day arithmetic). The
 * first byte chooses the parser, the rest is the body, as the API hands it
 * over: valid UTF-8 without NUL (api_csv_text), in a buffer of exactly its
 * size. Seeded with a header and a row of each (run.sh), with
 * tests/fuzz/import.dict. It must never crash, hang, leak or read out of
 * bounds; a refusal is HC_EINVAL naming a field, a success has rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "finance/finance.h"
#include "lastmile/lastmile.h"

static void holidays(hc_arena *a, const struct hc_lm_holiday *rows, size_t n)
{
    hc_lm_holidays *b = hc_lm_holidays_book(a, rows, n);
    struct hc_lm_closed sets[3];
    sets[0] = hc_lm_holidays_of(b, rows[0].country, "");
    sets[1] = hc_lm_holidays_of(b, rows[0].country, rows[0].region);
    sets[2] = hc_lm_holidays_of(b, rows[n - 1].country, rows[n - 1].region);
    if (sets[1].n == 0)
        abort(); /* the first row's own calendar holds its day */
    struct hc_lm_closed all = hc_lm_closed_union(a, sets, 3);
    for (size_t i = 1; i < all.n; i++)
        if (all.days[i - 1] >= all.days[i])
            abort(); /* ascending, no repeats */
    int64_t day;
    if (!hc_lm_day_parse(rows[0].day, &day) || !hc_lm_closed_has(&all, day))
        abort();
    char back[11];
    hc_lm_day_format(day, back);
    if (strcmp(back, rows[0].day) != 0)
        abort(); /* parse and format round-trip */
    int64_t pick = hc_lm_next_pickup((int)(day & 0x7f), 600, &all, day, (int)(day % 1440));
    int64_t due = hc_lm_add_delivery_days((int)((day >> 7) & 0x7f), &all, pick, (int64_t)(n % 30));
    if (pick < day || due < pick)
        abort();
}

static int parse(hc_arena *a, unsigned which, const char *s, size_t len, hc_err *err)
{
    size_t n = 0;
    int rc;
    bool refuses_nothing = true; /* an import of nothing is refused */
    switch (which % 10) {
    case 0: {
        struct hc_ratecard *v;
        rc = hc_ratecard_csv_parse(a, s, len, &v, &n, err);
        break;
    }
    case 1: {
        struct hc_lm_service *v;
        rc = hc_lm_csv_parse(a, s, len, &v, &n, err);
        break;
    }
    case 2: {
        struct hc_refund_rate *v;
        rc = hc_refund_rates_csv(a, s, len, &v, &n, err);
        break;
    }
    case 3: {
        struct hc_refund_invoice *v;
        rc = hc_refund_invoices_csv(a, s, len, &v, &n, err);
        break;
    }
    case 4: {
        struct hc_fx_rate *v;
        rc = hc_fx_csv_parse(a, s, len, "fuzz", &v, &n, err);
        refuses_nothing = false;
        break;
    }
    case 5: {
        struct hc_ad_spend *v;
        rc = hc_adcap_spend_csv_parse(a, s, len, &v, &n, err);
        refuses_nothing = false;
        break;
    }
    case 6: {
        struct hc_external_fee *v;
        rc = hc_external_fee_csv_parse(a, s, len, "S1", 1795000000000, &v, &n, err);
        refuses_nothing = false;
        break;
    }
    case 7: {
        struct hc_rule *v;
        rc = hc_rule_csv_parse(a, s, len, &v, &n, err);
        refuses_nothing = false;
        break;
    }
    case 8: {
        struct hc_lm_track_event *v;
        rc = hc_lm_track_csv(a, s, len, &v, &n, err);
        refuses_nothing = false;
        break;
    }
    default: {
        struct hc_lm_holiday *v;
        rc = hc_lm_holidays_csv(a, s, len, &v, &n, err);
        if (rc == HC_OK && n > 0)
            holidays(a, v, n);
        break;
    }
    }
    if (rc == HC_OK && n == 0 && refuses_nothing)
        abort();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    if (len == 0 || !hc_utf8_valid(body, len) || memchr(body, '\0', len))
        return 0; /* api_csv_text refuses these before any parser */
    char *s = malloc(len);
    if (s == NULL)
        return 0;
    memcpy(s, body, len);
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = parse(a, data[0], s, len, &err);
    if (rc != HC_OK && ((rc != HC_EINVAL && rc != HC_ETOOBIG) || err.field[0] == '\0'))
        abort(); /* a refusal is a 4xx naming where */
    hc_arena_free(a);
    free(s);
    return 0;
}

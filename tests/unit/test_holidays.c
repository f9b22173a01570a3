/* Unit tests of the public-holiday calendars of src/lastmile (holiday.c,
 * the promise in rate.c): the shipped data files (Easter-dependent dates
 * against the published ones), the CSV parser's refusals, closed-day
 * arithmetic, and promised dates checked by hand on a calendar: Easter
 * 2027, Christmas / New Year 2026-27, a Friday cut-off, Whit Monday, a
 * region's holiday (Corpus Christi in Bavaria, 2nd January in Scotland),
 * Thanksgiving and a carrier calendar (UPS / FedEx deliver on Veterans
 * Day), and a warehouse's own closed day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hc_arena *arena;
static hc_lm_holidays *book; /* every shipped file */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = hc_arena_alloc(arena, 1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    return buf;
}

static int setup(void **st)
{
    (void)st;
    hc_err err = {0};
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK)
        return -1;
    arena = hc_arena_new(1 << 20);
    static const char *const files[] = {"DE", "FR", "NL", "PL", "ES", "IT", "GB", "US"};
    struct hc_lm_holiday *all = hc_arena_alloc(arena, sizeof(*all) * 2000);
    size_t n = 0;
    for (size_t i = 0; i < HC_ARRAY_LEN(files); i++) {
        char path[512];
        snprintf(path, sizeof(path), HC_SOURCE_DIR "/data/holidays/%s.csv", files[i]);
        size_t len, k;
        char *text = read_file(path, &len);
        struct hc_lm_holiday *rows;
        if (hc_lm_holidays_csv(arena, text, len, &rows, &k, &err) != HC_OK) {
            fprintf(stderr, "%s: %s %s\n", path, err.field, err.msg);
            return -1;
        }
        memcpy(all + n, rows, sizeof(*rows) * k);
        n += k;
    }
    book = hc_lm_holidays_book(arena, all, n);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    hc_arena_free(arena);
    return 0;
}

static int64_t day(const char *s)
{
    int64_t d = -1;
    assert_true(hc_lm_day_parse(s, &d));
    return d;
}

static bool closed_on(const char *country, const char *region, const char *s)
{
    struct hc_lm_closed c = hc_lm_holidays_of(book, country, region);
    return hc_lm_closed_has(&c, day(s));
}

/* Easter Sunday 2026-04-05 and 2027-03-28 (the Gregorian computus; the
 * calendars of the churches and of every list below agree), and the days
 * that hang on it, as the official lists give them. */
static void shipped_easter_days(void **st)
{
    (void)st;
    assert_true(closed_on("PL", "", "2026-04-05"));
    assert_true(closed_on("PL", "", "2027-03-28"));
    assert_true(closed_on("NL", "", "2027-03-28"));
    assert_true(closed_on("DE", "", "2026-04-03")); /* Karfreitag */
    assert_true(closed_on("DE", "", "2026-04-06")); /* Ostermontag */
    assert_true(closed_on("DE", "", "2027-03-26"));
    assert_true(closed_on("DE", "", "2027-03-29"));
    assert_true(closed_on("DE", "", "2026-05-14")); /* Christi Himmelfahrt */
    assert_true(closed_on("DE", "", "2027-05-06"));
    assert_true(closed_on("DE", "", "2026-05-25")); /* Pfingstmontag */
    assert_true(closed_on("DE", "", "2027-05-17"));
    assert_true(closed_on("DE", "BY", "2026-06-04")); /* Fronleichnam, Bavaria only */
    assert_false(closed_on("DE", "", "2026-06-04"));
    assert_true(closed_on("PL", "", "2027-05-27")); /* Boże Ciało, nationwide in Poland */
    assert_false(closed_on("FR", "", "2027-03-26")); /* no Good Friday in France ... */
    assert_true(closed_on("FR", "57", "2027-03-26")); /* ... but in Moselle */
    assert_true(closed_on("GB", "", "2027-03-26"));
    assert_true(closed_on("ES", "", "2027-03-26")); /* Viernes Santo */
    assert_true(closed_on("IT", "", "2027-03-29")); /* Pasquetta */
    assert_false(closed_on("GB", "", "2027-12-25")); /* a Saturday: moved ... */
    assert_true(closed_on("GB", "", "2027-12-27"));  /* ... to the Monday */
    assert_true(closed_on("US", "", "2027-12-24"));  /* Christmas observed on the Friday */
    assert_true(closed_on("US", "", "2027-12-31"));  /* New Year's Day 2028 observed */
    assert_true(closed_on("US", "", "2026-11-26"));  /* Thanksgiving: 4th Thursday */
    assert_true(closed_on("US", "", "2027-11-25"));
}

static void csv_refusals(void **st)
{
    (void)st;
    hc_err err = {0};
    struct hc_lm_holiday *v;
    size_t n;
    const char *ok = "country,region,date,name\nDE,,2026-12-25,\"Weihnachten, 1. Tag\"\n\n";
    assert_int_equal(hc_lm_holidays_csv(arena, ok, strlen(ok), &v, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "Weihnachten, 1. Tag");
    const struct {
        const char *text, *field;
    } bad[] = {
        {"country,region,date,name\nDE,,2026-02-30,x\n", "line 2: date"},
        {"XX,,2026-02-03,x\n", "line 1: country"},
        {"DE,by,2026-02-03,x\n", "line 1: region"},
        {"DE,,2026-02-03,\n", "line 1: name"},
        {"DE,,2026-02-03\n", "line 1"},
        {"country,region,date,name\n", "line 1"},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err_clear(&err);
        assert_int_equal(hc_lm_holidays_csv(arena, bad[i].text, strlen(bad[i].text), &v, &n, &err),
                         HC_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    int64_t d;
    assert_true(hc_lm_day_parse("2028-02-29", &d));
    assert_false(hc_lm_day_parse("2027-02-29", &d));
    assert_false(hc_lm_day_parse("2027-13-01", &d));
    char out[11];
    hc_lm_day_format(day("2027-03-28"), out);
    assert_string_equal(out, "2027-03-28");
    assert_int_equal(hc_lm_weekday(day("2027-03-28")), 7);
}

/* The book groups rows by calendar, each group's days ascending and once
 * (a day given twice, or in another order, counts once); unions merge. */
static void book_groups(void **st)
{
    (void)st;
    const struct hc_lm_holiday rows[] = {
        {"DE", "", "2026-12-26", "b"}, {"FR", "", "2026-07-14", "x"},
        {"DE", "", "2026-12-25", "a"}, {"DE", "BY", "2026-06-04", "c"},
        {"DE", "", "2026-12-25", "a again"}, {"DE", "", "not a day", "skipped"},
    };
    hc_lm_holidays *b = hc_lm_holidays_book(arena, rows, HC_ARRAY_LEN(rows));
    struct hc_lm_closed de = hc_lm_holidays_of(b, "DE", ""), by = hc_lm_holidays_of(b, "DE", "BY");
    assert_int_equal(de.n, 2);
    assert_int_equal(de.days[0], day("2026-12-25"));
    assert_int_equal(de.days[1], day("2026-12-26"));
    assert_string_equal(de.name, "DE");
    assert_int_equal(by.n, 1);
    assert_string_equal(by.name, "DE-BY");
    assert_int_equal(hc_lm_holidays_of(b, "FR", "").n, 1);
    assert_int_equal(hc_lm_holidays_of(b, "NL", "").n, 0);
    struct hc_lm_closed sets[] = {de, by, de};
    struct hc_lm_closed u = hc_lm_closed_union(arena, sets, 3);
    assert_int_equal(u.n, 3);
    assert_string_equal(u.name, "DE+DE-BY+DE");
    assert_true(hc_lm_closed_has(&u, day("2026-06-04")));
    assert_false(hc_lm_closed_has(&u, day("2026-06-05")));
    assert_string_equal(hc_lm_closed_union(arena, sets, 0).name, "none");
}

/* Closed every day for 400 days: the searches end, they do not loop. */
static void arithmetic_bounds(void **st)
{
    (void)st;
    int64_t *all = hc_arena_alloc(arena, sizeof(*all) * 400);
    int64_t d0 = day("2026-01-01");
    for (int i = 0; i < 400; i++)
        all[i] = d0 + i;
    struct hc_lm_closed c = {all, 400, "all"};
    assert_true(hc_lm_next_pickup(0x1f, 960, &c, d0, 0) > d0);
    assert_true(hc_lm_add_delivery_days(0x1f, &c, d0, 3) > d0);
    /* transit 0 is the ship day itself; a Saturday delivery when the mask has it */
    assert_int_equal(hc_lm_add_delivery_days(0x1f, NULL, d0, 0), d0);
    assert_int_equal(hc_lm_add_delivery_days(0x3f, NULL, day("2026-11-27"), 1), day("2026-11-28"));
    assert_int_equal(hc_lm_add_delivery_days(0x1f, NULL, day("2026-11-27"), 1), day("2026-11-30"));
}

static struct hc_lm_zone_range zones[] = {
    {"DOM", "DE", "", ""}, {"EU", "FR", "", ""}, {"EU", "NL", "", ""},
    {"EU", "PL", "", ""},  {"UK", "GB", "", ""}, {"US", "US", "", ""}, {"EU", "AT", "", ""},
};
static struct hc_lm_price prices[] = {
    {"DOM", 31500, 490}, {"EU", 31500, 1290}, {"UK", 31500, 1590}, {"US", 31500, 990}};

static void service(struct hc_lm_service *s, int64_t transit, int delivery_days,
                    const char *holidays)
{
    memset(s, 0, sizeof(*s));
    s->warehouse = "WH";
    s->code = holidays ? holidays : "NATIONAL";
    s->carrier = "Carrier";
    s->name = s->code;
    s->currency = "EUR";
    s->effective_from = "2026-01-01";
    s->max_weight_g = 31500;
    s->transit_days = transit;
    s->cutoff_min = 16 * 60;
    s->pickup_days = 0x1f;
    s->delivery_days = delivery_days;
    s->holidays = holidays;
    s->numbering = HC_LM_NUM_SSCC;
    s->num_prefix = "4012345";
    s->num_to = 999999999;
    s->zones = zones;
    s->nzones = HC_ARRAY_LEN(zones);
    s->prices = prices;
    s->nprices = HC_ARRAY_LEN(prices);
}

struct promise {
    char ship[11], deliver[11];
    const char *pickup_cal, *delivery_cal;
};

/* The promise of sv from a warehouse in country/region (closed: its own
 * closed days) to dest, asked at asked / minute. */
static struct promise promise(const struct hc_lm_service *sv, const char *country,
                              const char *region, const char *closed, const char *dest,
                              const char *asked, int minute)
{
    hc_lm_rater *r;
    hc_err err = {0};
    assert_int_equal(hc_lm_rater_new(sv, 1, &r, &err), HC_OK);
    int64_t own = closed ? day(closed) : 0;
    struct hc_lm_origin o = {country, region, &own, closed ? 1 : 0};
    hc_lm_rater_calendars(r, arena, book, &o);
    struct hc_lm_quote q;
    hc_lm_rater_promise(r, 0, dest, asked, minute, &q);
    /* hc_lm_rate promises the same */
    struct hc_lm_parcel_in p = {1000, {100, 100, 100}};
    struct hc_lm_request rq = {.country = dest, .postcode = "1", .parcels = &p, .nparcels = 1,
                               .local_day = asked, .local_min = minute};
    struct hc_lm_quote rq_q[1];
    size_t n = 0;
    assert_int_equal(hc_lm_rate(r, &rq, rq_q, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rq_q[0].ship_day, q.ship_day);
    assert_string_equal(rq_q[0].deliver_day, q.deliver_day);
    hc_lm_rater_free(r);
    struct promise out = {.pickup_cal = q.pickup_calendar, .delivery_cal = q.delivery_calendar};
    memcpy(out.ship, q.ship_day, 11);
    memcpy(out.deliver, q.deliver_day, 11);
    return out;
}

#define AFTER_CUTOFF (17 * 60)
#define BEFORE_CUTOFF (10 * 60)

/* Easter 2027: Thursday 25 March after the cut-off. Good Friday (26) and
 * Easter Monday (29) close Germany; the next pickup is Tuesday 30, one
 * delivery day (Mon-Sat) later Wednesday 31 (without holidays: Friday 26
 * and Saturday 27). Before the cut-off on Thursday, two days to the
 * Netherlands (Good Friday is a working day there, Easter Monday is not):
 * Friday 26, Tuesday 30; to Germany: Tuesday 30, Wednesday 31. */
static void easter_2027(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 1, 0x3f, NULL);
    struct promise p = promise(&s, "DE", "", NULL, "DE", "2027-03-25", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2027-03-30");
    assert_string_equal(p.deliver, "2027-03-31");
    assert_string_equal(p.pickup_cal, "DE");
    assert_string_equal(p.delivery_cal, "DE");
    char ship[11], del[11];
    hc_lm_promise(&s, "2027-03-25", AFTER_CUTOFF, ship, del); /* no calendar */
    assert_string_equal(ship, "2027-03-26");
    assert_string_equal(del, "2027-03-27");
    service(&s, 2, 0, NULL);
    p = promise(&s, "DE", "", NULL, "NL", "2027-03-25", BEFORE_CUTOFF);
    assert_string_equal(p.ship, "2027-03-25");
    assert_string_equal(p.deliver, "2027-03-30");
    assert_string_equal(p.delivery_cal, "NL");
    p = promise(&s, "DE", "", NULL, "DE", "2027-03-25", BEFORE_CUTOFF);
    assert_string_equal(p.deliver, "2027-03-31");
}

/* Christmas 2026: Wednesday 23 December after the cut-off ships on
 * Thursday 24 (Christmas Eve is no holiday in Germany); Friday 25 is, 26 is
 * a Saturday: two days Mon-Fri are Monday 28, Tuesday 29. New Year: asked
 * Thursday 31 after the cut-off, Friday 1 January 2027 is closed: ships
 * Monday 4, delivered Tuesday 5. From Scotland, Monday 4 is the 2nd January
 * holiday (moved from the Saturday): ships Tuesday 5. */
static void christmas_new_year(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 2, 0, NULL);
    struct promise p = promise(&s, "DE", "", NULL, "PL", "2026-12-23", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-12-24");
    assert_string_equal(p.deliver, "2026-12-29");
    service(&s, 1, 0, NULL);
    p = promise(&s, "DE", "", NULL, "DE", "2026-12-31", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2027-01-04");
    assert_string_equal(p.deliver, "2027-01-05");
    p = promise(&s, "GB", "SCT", NULL, "GB", "2026-12-31", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2027-01-05");
    assert_string_equal(p.deliver, "2027-01-06");
    assert_string_equal(p.pickup_cal, "GB+GB-SCT");
    p = promise(&s, "GB", "", NULL, "GB", "2026-12-31", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2027-01-04");
}

/* A Friday cut-off (27 November 2026, no holiday near): after it the
 * parcel ships Monday 30 and arrives two days later, Wednesday 2 December;
 * before it, Friday itself and Tuesday 1 December. */
static void friday_cutoff(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 2, 0, NULL);
    struct promise p = promise(&s, "DE", "", NULL, "FR", "2026-11-27", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-11-30");
    assert_string_equal(p.deliver, "2026-12-02");
    p = promise(&s, "DE", "", NULL, "FR", "2026-11-27", 16 * 60 - 1);
    assert_string_equal(p.ship, "2026-11-27");
    assert_string_equal(p.deliver, "2026-12-01");
}

/* Whit Monday 2026 (25 May): Friday 22 after the cut-off ships Tuesday 26,
 * one day later Wednesday 27. Ascension (Thursday 14 May) in France:
 * shipped Wednesday 13, one day: Friday 15. */
static void whit_monday(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 1, 0, NULL);
    struct promise p = promise(&s, "DE", "", NULL, "DE", "2026-05-22", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-05-26");
    assert_string_equal(p.deliver, "2026-05-27");
    p = promise(&s, "DE", "", NULL, "FR", "2026-05-13", BEFORE_CUTOFF);
    assert_string_equal(p.deliver, "2026-05-15");
}

/* Corpus Christi (Thursday 4 June 2026) closes Bavaria, not Germany: from a
 * warehouse in Bavaria asked Wednesday 3 after the cut-off it ships Friday
 * 5 (one day: Monday 8); from one without a region Thursday 4. */
static void region_holiday(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 1, 0, NULL);
    struct promise p = promise(&s, "DE", "BY", NULL, "DE", "2026-06-03", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-06-05");
    assert_string_equal(p.deliver, "2026-06-08");
    assert_string_equal(p.pickup_cal, "DE+DE-BY");
    p = promise(&s, "DE", "", NULL, "DE", "2026-06-03", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-06-04");
}

/* Thanksgiving 2026 (Thursday 26 November): asked Wednesday 25 after the
 * cut-off a US parcel ships Friday 27; three days: Monday 30, Tuesday 1,
 * Wednesday 2 December. Veterans Day (Wednesday 11 November) is a federal
 * holiday, not one of the carrier calendar: shipped Tuesday 10, one day
 * later is Thursday 12 by the federal calendar, Wednesday 11 by the
 * carrier's. Columbus Day (Monday 12 October) too: asked Saturday 10 the
 * carrier picks up Monday 12, the federal calendar waits to Tuesday 13. */
static void thanksgiving_and_carrier_calendar(void **st)
{
    (void)st;
    struct hc_lm_service fed, ups;
    service(&fed, 3, 0, NULL);
    service(&ups, 3, 0, "CARRIER");
    struct promise p = promise(&fed, "US", "", NULL, "US", "2026-11-25", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-11-27");
    assert_string_equal(p.deliver, "2026-12-02");
    p = promise(&ups, "US", "", NULL, "US", "2026-11-25", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-11-27");
    assert_string_equal(p.deliver, "2026-12-02");
    assert_string_equal(p.pickup_cal, "US-CARRIER");
    assert_string_equal(p.delivery_cal, "US-CARRIER");
    fed.transit_days = ups.transit_days = 1;
    p = promise(&fed, "US", "", NULL, "US", "2026-11-10", BEFORE_CUTOFF);
    assert_string_equal(p.deliver, "2026-11-12");
    p = promise(&ups, "US", "", NULL, "US", "2026-11-10", BEFORE_CUTOFF);
    assert_string_equal(p.deliver, "2026-11-11");
    assert_string_equal(promise(&fed, "US", "", NULL, "US", "2026-10-10", 0).ship, "2026-10-13");
    assert_string_equal(promise(&ups, "US", "", NULL, "US", "2026-10-10", 0).ship, "2026-10-12");
    /* the carrier calendar is the US one: to Germany the nationwide days count */
    p = promise(&ups, "US", "", NULL, "DE", "2026-12-23", AFTER_CUTOFF);
    assert_string_equal(p.delivery_cal, "DE");
}

/* The warehouse's own closed day (stock-take Wednesday 30 December 2026):
 * asked Tuesday 29 after the cut-off, Wednesday 30 is closed, Thursday 31
 * not: ships 31; closed on 31 too it waits for Monday 4 January. */
static void warehouse_closed_day(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, 1, 0, NULL);
    struct promise p = promise(&s, "DE", "", "2026-12-30", "DE", "2026-12-29", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2026-12-31");
    assert_string_equal(p.pickup_cal, "DE+warehouse");
    p = promise(&s, "DE", "", "2026-12-31", "DE", "2026-12-30", AFTER_CUTOFF);
    assert_string_equal(p.ship, "2027-01-04");
    /* a destination with no calendar on file says so */
    assert_string_equal(promise(&s, "DE", "", NULL, "AT", "2026-12-29", 0).delivery_cal, "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_easter_days), cmocka_unit_test(csv_refusals),
        cmocka_unit_test(book_groups),
        cmocka_unit_test(arithmetic_bounds),   cmocka_unit_test(easter_2027),
        cmocka_unit_test(christmas_new_year),  cmocka_unit_test(friday_cutoff),
        cmocka_unit_test(whit_monday),         cmocka_unit_test(region_holiday),
        cmocka_unit_test(thanksgiving_and_carrier_calendar),
        cmocka_unit_test(warehouse_closed_day),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

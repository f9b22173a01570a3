/* test_schedules_events.c: DCSA date-times, the demo timetable, schedule
 * search on SQLite, event ordering (late, out of order, duplicate arrival)
 * and the ETA that transport events make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "headhaul/headhaul.h"

static int64_t t(const char *s)
{
    int64_t ms = 0;
    assert_int_equal(hc_hh_parse_time(s, &ms), HC_OK);
    return ms;
}

static void dcsa_times(void **state)
{
    (void)state;
    assert_true(t("2025-01-14T09:21:00+01:00") == t("2025-01-14T08:21:00Z"));
    assert_true(t("2019-11-12T07:41:00+08:30") == t("2019-11-11T23:11:00Z"));
    assert_true(t("2026-12-01") == t("2026-12-01T00:00:00Z"));
    assert_true(t("2026-12-01T00:00:00.250Z") == t("2026-12-01T00:00:00Z") + 250);
    int64_t ms;
    const char *bad[] = {"2026-12-01T10:00:00", "2026-02-30T00:00:00Z", "2025-02-29",
                         "2026-12-01 10:00Z",   "2026-12-01T24:00Z",    "2026-12-01T10:00:00+1:00",
                         "",                    "2026-12-01Tx",         "2026-12-01T10:00:00Zjunk"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(hc_hh_parse_time(bad[i], &ms), HC_EINVAL);
    assert_int_equal(hc_hh_parse_time("2024-02-29", &ms), HC_OK);
}

static void timetable(void **state)
{
    (void)state;
    struct hc_route r = {.mode = HC_SCHED_RAIL, .origin = "CNXIY", .destination = "DEDUI",
                         .service = "Rail Link", .days = (1 << 2) | (1 << 5), /* Wed, Sat */
                         .dep_hour = 10, .cutoff_hours = 48, .transit_ms = 12 * HC_DAY_MS + HC_DAY_MS / 2};
    struct hc_schedule out[16];
    struct hc_schedule_leg legs[16];
    /* from Monday 2026-11-30 00:00 UTC over 14 days: Wed 2, Sat 5, Wed 9, Sat 12 */
    size_t n = hc_route_departures(&r, t("2026-11-30"), 14, out, legs, 16);
    assert_int_equal(n, 4);
    assert_true(out[0].departs_at == t("2026-12-02T10:00:00Z"));
    assert_true(out[1].departs_at == t("2026-12-05T10:00:00Z"));
    assert_true(out[3].departs_at == t("2026-12-12T10:00:00Z"));
    assert_true(out[0].arrives_at == t("2026-12-14T22:00:00Z"));
    assert_true(out[0].cutoff_at == t("2026-11-30T10:00:00Z"));
    assert_int_equal(out[0].transit_days, 13); /* 12.5 rounds up */
    assert_int_equal(out[0].nlegs, 1);
    assert_string_equal(out[0].legs[0].destination, "DEDUI");
    /* a departure earlier that day than from_ms is not offered */
    n = hc_route_departures(&r, t("2026-12-02T11:00:00Z"), 0, out, legs, 16);
    assert_int_equal(n, 0);
    /* max bounds the output */
    n = hc_route_departures(&r, t("2026-11-30"), 60, out, legs, 3);
    assert_int_equal(n, 3);
}

static struct hc_schedule sched(const char *o, const char *d, int mode, const char *dep,
                                const char *arr, struct hc_schedule_leg *leg)
{
    struct hc_schedule s = {.mode = mode, .service = "svc", .departs_at = t(dep),
                            .arrives_at = t(arr), .transit_days = 12, .legs = leg, .nlegs = 1};
    strcpy(s.origin, o);
    strcpy(s.destination, d);
    *leg = (struct hc_schedule_leg){.mode = mode, .departs_at = s.departs_at,
                                    .arrives_at = s.arrives_at};
    strcpy(leg->origin, o);
    strcpy(leg->destination, d);
    return s;
}

static void search(void **state)
{
    (void)state;
    char path[] = "/tmp/hc-sched-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    hc_store *st;
    hc_err err = {0};
    assert_int_equal(hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err), HC_OK);
    assert_int_equal(hc_store_open(url, &st, &err), HC_OK);
    assert_int_equal(hc_store_migrate(st, &err), HC_OK);
    struct hc_schedule_leg legs[5];
    struct hc_schedule s[] = {
        sched("CNZZU", "DEHAM", HC_SCHED_RAIL, "2026-12-08T02:00:00Z", "2026-12-20T02:00:00Z", &legs[0]),
        sched("CNZZU", "DEHAM", HC_SCHED_RAIL, "2026-12-01T02:00:00Z", "2026-12-13T02:00:00Z", &legs[1]),
        sched("CNZZU", "DEHAM", HC_SCHED_RAIL, "2026-11-24T02:00:00Z", "2026-12-06T02:00:00Z", &legs[2]),
        sched("CNZZU", "DEHAM", HC_SCHED_TRUCK, "2026-12-03T02:00:00Z", "2026-12-23T02:00:00Z", &legs[3]),
        sched("CNSHA", "DEHAM", HC_SCHED_VESSEL, "2026-12-02T02:00:00Z", "2027-01-05T02:00:00Z", &legs[4]),
    };
    for (size_t i = 0; i < 5; i++) {
        bool replaced = true;
        assert_int_equal(hc_schedule_put(st, &s[i], &replaced, &err), HC_OK);
        assert_false(replaced);
    }
    bool replaced = false;
    assert_int_equal(hc_schedule_put(st, &s[0], &replaced, &err), HC_OK);
    assert_true(replaced);
    hc_arena *a = hc_arena_new(4096);
    struct hc_schedule_query q = {.origin = "CNZZU", .destination = "DEHAM", .mode = HC_SCHED_RAIL,
                                  .after = t("2026-12-01"), .limit = 1};
    struct hc_schedule *items;
    size_t n;
    const char *next;
    assert_int_equal(hc_schedule_search(st, a, &q, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_true(items[0].departs_at == t("2026-12-01T02:00:00Z"));
    assert_non_null(next);
    q.cursor = next;
    assert_int_equal(hc_schedule_search(st, a, &q, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_true(items[0].departs_at == t("2026-12-08T02:00:00Z"));
    assert_int_equal(items[0].nlegs, 1);
    q.cursor = next;
    if (next) {
        assert_int_equal(hc_schedule_search(st, a, &q, &items, &n, &next, &err), HC_OK);
        assert_int_equal(n, 0);
    }
    /* any mode from CNZZU after 12-01: rail 12-01, truck 12-03, rail 12-08 */
    struct hc_schedule_query any = {.origin = "CNZZU", .after = t("2026-12-01"), .limit = 10};
    assert_int_equal(hc_schedule_search(st, a, &any, &items, &n, &next, &err), HC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(items[1].mode, HC_SCHED_TRUCK);
    assert_null(next);
    any.cursor = "garbage";
    assert_int_equal(hc_schedule_search(st, a, &any, &items, &n, &next, &err), HC_EINVAL);
    assert_string_equal(err.field, "cursor");
    /* a schedule arriving before it leaves is refused naming the field */
    hc_err e2 = {0};
    struct hc_schedule bad = s[0];
    bad.arrives_at = bad.departs_at - 1;
    assert_int_equal(hc_schedule_validate(&bad, &e2), HC_EINVAL);
    assert_string_equal(e2.field, "placeOfDelivery.dateTime");
    hc_arena_free(a);
    hc_store_close(st);
    unlink(path);
}

static struct hc_event tev(const char *code, const char *cls, const char *loc, const char *at,
                           const char *created, int64_t seq)
{
    return (struct hc_event){.type = HC_EVT_TRANSPORT, .type_code = code, .classifier = cls,
                             .location = loc, .event_at = t(at), .created_at = t(created),
                             .seq = seq};
}

static void eta(void **state)
{
    (void)state;
    struct hc_leg legs[2] = {{.seq = 0, .from = "CNZZU", .to = "PLMAL"},
                             {.seq = 1, .from = "PLMAL", .to = "DEDUI"}};
    /* in arrival order: the newest estimate (created 12-05) arrived first,
     * an older estimate (created 11-20) arrives late and must not win */
    struct hc_event ev[] = {
        tev("ARRI", "EST", "PLMAL", "2026-12-11T06:00:00Z", "2026-12-05T00:00:00Z", 1),
        tev("ARRI", "PLN", "PLMAL", "2026-12-08T06:00:00Z", "2026-11-20T00:00:00Z", 2),
        tev("DEPA", "ACT", "CNZZU", "2026-12-01T03:00:00Z", "2026-12-01T03:00:00Z", 3),
        tev("ARRI", "EST", "DEDUI", "2026-12-14T00:00:00Z", "2026-12-05T00:00:00Z", 4),
        tev("ARRI", "REQ", "DEDUI", "2026-12-13T00:00:00Z", "2026-12-06T00:00:00Z", 5),
    };
    struct hc_leg_times tm[2];
    hc_eta_from_events(ev, 5, legs, 2, tm);
    assert_true(tm[0].eta_estimated == t("2026-12-11T06:00:00Z"));
    assert_true(tm[0].atd == t("2026-12-01T03:00:00Z"));
    assert_true(tm[0].ata == -1);
    assert_true(tm[0].etd_estimated == -1);
    assert_true(tm[1].eta_estimated == t("2026-12-14T00:00:00Z")); /* REQ moves nothing */
    /* same created time: the later arrival wins; ACT sets the actual */
    struct hc_event ev2[] = {
        tev("ARRI", "EST", "PLMAL", "2026-12-10T00:00:00Z", "2026-12-05T00:00:00Z", 7),
        tev("ARRI", "EST", "PLMAL", "2026-12-12T00:00:00Z", "2026-12-05T00:00:00Z", 9),
        tev("ARRI", "ACT", "PLMAL", "2026-12-12T03:00:00Z", "2026-12-12T03:00:00Z", 8),
    };
    hc_eta_from_events(ev2, 3, legs, 2, tm);
    assert_true(tm[0].eta_estimated == t("2026-12-12T00:00:00Z"));
    assert_true(tm[0].ata == t("2026-12-12T03:00:00Z"));
    assert_true(tm[1].eta_estimated == -1 && tm[1].ata == -1);
}

static void state_by_event_time(void **state)
{
    (void)state;
    /* arrival order: LOAD, then a GTIN that happened before it, then a
     * duplicate-time DISC of another container */
    struct hc_event ev[] = {
        {.type = HC_EVT_EQUIPMENT, .type_code = "LOAD", .equipment = "CSQU3054383",
         .event_at = t("2026-12-01T05:00:00Z"), .seq = 1},
        {.type = HC_EVT_EQUIPMENT, .type_code = "GTIN", .equipment = "CSQU3054383",
         .event_at = t("2026-11-30T05:00:00Z"), .seq = 2},
        {.type = HC_EVT_TRANSPORT, .type_code = "DEPA", .location = "CNZZU",
         .event_at = t("2026-12-02T05:00:00Z"), .seq = 3},
        {.type = HC_EVT_EQUIPMENT, .type_code = "GTIN", .equipment = "MSKU0000000",
         .event_at = t("2026-12-01T05:00:00Z"), .seq = 4},
        {.type = HC_EVT_EQUIPMENT, .type_code = "LOAD", .equipment = "MSKU0000000",
         .event_at = t("2026-12-01T05:00:00Z"), .seq = 5},
    };
    const struct hc_event *latest[5];
    size_t n;
    hc_events_latest(ev, 5, latest, &n);
    assert_int_equal(n, 2);
    assert_string_equal(latest[0]->equipment, "CSQU3054383");
    assert_string_equal(latest[0]->type_code, "LOAD"); /* the late GTIN does not win */
    assert_string_equal(latest[1]->type_code, "LOAD"); /* same time: later arrival */
}

static void validate(void **state)
{
    (void)state;
    hc_err err = {0};
    struct hc_event e = {.path = "events[2]", .event_id = "e1", .type = HC_EVT_EQUIPMENT,
                         .classifier = "ACT", .type_code = "LOAD", .equipment = "CSQU3054383",
                         .event_at = 1};
    assert_int_equal(hc_event_validate(&e, &err), HC_OK);
    e.type_code = "ARRI";
    assert_int_equal(hc_event_validate(&e, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[2].payload.equipmentEventTypeCode");
    hc_err_clear(&err);
    e.type_code = "LOAD";
    e.classifier = "MAY";
    assert_int_equal(hc_event_validate(&e, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[2].payload.eventClassifierCode");
    hc_err_clear(&err);
    e.classifier = "EST";
    e.event_id = "";
    assert_int_equal(hc_event_validate(&e, &err), HC_EINVAL);
    assert_string_equal(err.field, "events[2].metadata.eventID");
    hc_err_clear(&err);
    struct hc_event tr = {.event_id = "t", .type = HC_EVT_TRANSPORT, .classifier = "ACT",
                          .type_code = "ARRI", .event_at = 1};
    assert_int_equal(hc_event_validate(&tr, &err), HC_EINVAL);
    assert_string_equal(err.field, "payload.transportCall.location.UNLocationCode");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dcsa_times),         cmocka_unit_test(timetable),
        cmocka_unit_test(search),             cmocka_unit_test(eta),
        cmocka_unit_test(state_by_event_time), cmocka_unit_test(validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

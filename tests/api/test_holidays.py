#!/usr/bin/env python3
"""haicang API tests: public-holiday calendars and promised dates (issue 12).

The shipped calendars (data/holidays/*.csv) import as CSV or JSON, all or none,
again without doubling; a bad date, country, region, name or an unknown field
is a 400 naming it (line N: field, rows[i].field) with nothing written;
sellers read but never write; one row is deleted; a warehouse's region and
closed days are set and refused naming the field, and another operator's
warehouse is a 404. POST /v1/rates, asked on a server whose clock libfaketime
sets to the evening of Thursday 25 March 2027 (Easter: Good Friday and Easter
Monday close Germany) and of Wednesday 23 December 2026, promises the days
checked by hand in the docstrings below and names the calendars it used.

    python3 tests/api/test_holidays.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Standard library only; see tests/api/README.md.
"""

import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Api, Server, check, eq, problem, q, sanitizer_lines, seg  # noqa: E402
from fixtures import collector, catalog, list_all, rand_suffix, run_suite  # noqa: E402

TESTS, test = collector()
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "holidays")
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
CSV = {"Content-Type": "text/csv"}


def shipped(country):
    with open(os.path.join(DATA, country + ".csv"), "rb") as f:
        return f.read()


def count(ctx, **params):
    return len(list_all(ctx.api, "/v1/holidays", **params))


def import_shipped(ctx, *countries):
    for c in countries:
        ctx.api.post("/v1/holidays", raw=shipped(c), headers=CSV, key="op", expect=201)


@test
def test_import_list_page(ctx):
    catalog(ctx)
    de = shipped("DE")
    rows = de.decode().count("\n") - 1
    r = ctx.api.post("/v1/holidays", raw=de, headers=CSV, key="op", expect=201)
    eq((r.json["rows"], r.json["added"], r.json["replaced"]), (rows, rows, 0), "DE imported", r)
    r = ctx.api.post("/v1/holidays", raw=de, headers=CSV, key="admin", expect=201)
    eq((r.json["added"], r.json["replaced"]), (0, rows), "again: replaced, not doubled", r)
    eq(count(ctx, country="DE"), rows, "DE rows")
    # 2027's nationwide days: the nine of the Länder laws, Easter-dependent ones on their dates
    r = ctx.api.get(q("/v1/holidays", country="DE", region="-", **{"from": "2027-01-01"},
                      to="2027-12-31"), key="s1", expect=200)
    eq([(h["date"], h["name"]) for h in r.json["items"]],
       [("2027-01-01", "Neujahr"), ("2027-03-26", "Karfreitag"), ("2027-03-29", "Ostermontag"),
        ("2027-05-01", "Tag der Arbeit"), ("2027-05-06", "Christi Himmelfahrt"),
        ("2027-05-17", "Pfingstmontag"), ("2027-10-03", "Tag der Deutschen Einheit"),
        ("2027-12-25", "1. Weihnachtstag"), ("2027-12-26", "2. Weihnachtstag")],
       "a seller reads Germany's 2027 nationwide holidays", r)
    r = ctx.api.get(q("/v1/holidays", country="DE", region="BY", **{"from": "2026-06-01"},
                      to="2026-06-30"), expect=200)
    eq([(h["date"], h["region"]) for h in r.json["items"]], [("2026-06-04", "BY")],
       "Fronleichnam in Bavaria", r)
    # pages of 7 give every row once
    seen, cursor, pages = [], None, 0
    while True:
        r = ctx.api.get(q("/v1/holidays", country="DE", limit=7, cursor=cursor), expect=200)
        seen += [(h["region"], h["date"]) for h in r.json["items"]]
        pages += 1
        cursor = r.json["next_cursor"]
        if not cursor:
            break
        check(pages < 50, "paging ends")
    eq((len(seen), len(set(seen))), (rows, rows), "every row once over %d pages" % pages)
    # JSON rows too, region optional
    r = ctx.api.post("/v1/holidays", {"rows": [
        {"country": "AT", "date": "2026-12-08", "name": "Mariä Empfängnis"},
        {"country": "AT", "region": "", "date": "2026-10-26", "name": "Nationalfeiertag"}]},
        key="op", expect=201)
    eq(r.json["added"], 2, "JSON rows added", r)


@test
def test_import_refused_nothing_written(ctx):
    catalog(ctx)
    n0 = count(ctx)
    bad_csv = [
        (b"country,region,date,name\nFR,,2026-07-14,Fete nationale\nFR,,2026-02-30,x\n",
         "line 3: date"),
        (b"FR,,2026-07-14,Fete nationale\nXX,,2026-08-15,x\n", "line 2: country"),
        (b"FR,alsace,2026-12-26,x\n", "line 1: region"),
        (b"FR,,2026-12-26\n", "line 1"),
        (b"FR,,2026-12-26,\n", "line 1: name"),
        (b"", "body"),
    ]
    for body, field in bad_csv:
        problem(ctx.api.post("/v1/holidays", raw=body, headers=CSV, key="op"), 400, field,
                "CSV %r" % body[:40])
    bad_json = [
        ({"rows": [{"country": "FR", "date": "2026-07-14", "name": "x"},
                   {"country": "FRA", "date": "2026-07-15", "name": "x"}]}, "rows[1].country"),
        ({"rows": [{"country": "FR", "date": "14.07.2026", "name": "x"}]}, "rows[0].date"),
        ({"rows": [{"country": "FR", "date": "2026-07-14", "name": "x", "kind": "y"}]}, "kind"),
        ({"rows": [{"country": "FR", "date": "2026-07-14"}]}, "rows[0].name"),
        ({"rows": []}, "rows"),
        ({"holidays": []}, "holidays"),
    ]
    for body, field in bad_json:
        problem(ctx.api.post("/v1/holidays", body, key="op"), 400, field, "JSON %r" % body)
    problem(ctx.api.post("/v1/holidays", raw=b"x", headers={"Content-Type": "text/plain"},
                         key="op"), 400, "Content-Type")
    eq(count(ctx), n0, "nothing written by any refused import")
    # sellers read, never write; no key: 401
    ctx.api.post("/v1/holidays", raw=shipped("FR"), headers=CSV, key="s1", expect=403)
    ctx.api.get("/v1/holidays", key=None, expect=401)
    eq(count(ctx), n0, "nothing written by a seller")
    for params, field in ((dict(country="Germany"), "country"), (dict(region="by"), "region"),
                          ({"from": "2026-13-01"}, "from"), (dict(to="x"), "to"),
                          (dict(year="2026"), "year"), (dict(cursor="nonsense"), "cursor"),
                          (dict(limit="0"), "limit")):
        problem(ctx.api.get(q("/v1/holidays", **params)), 400, field, "query %r" % params)


@test
def test_delete_row(ctx):
    catalog(ctx)
    import_shipped(ctx, "NL")
    r = ctx.api.call("DELETE", "/v1/holidays/NL/-/2026-05-05", key="s1")
    eq(r.status, 403, "a seller deletes nothing", r)
    r = ctx.api.call("DELETE", "/v1/holidays/NL/-/2026-05-05", key="op", expect=200)
    eq(count(ctx, country="NL", **{"from": "2026-05-05", "to": "2026-05-05"}), 0, "deleted")
    problem(ctx.api.call("DELETE", "/v1/holidays/NL/-/2026-05-05", key="op"), 404, "date")
    problem(ctx.api.call("DELETE", "/v1/holidays/NL/-/2026-05-32", key="op"), 400, "date")
    problem(ctx.api.call("DELETE", "/v1/holidays/NLD/-/2026-05-05", key="op"), 400, "country")


@test
def test_warehouse_calendar(ctx):
    catalog(ctx)
    import_shipped(ctx, "DE")
    r = ctx.api.call("PUT", "/v1/warehouses/DE-DUI/calendar", body={"region": "BY"}, key="op",
                     expect=200)
    eq(r.json["region"], "BY", "region set", r)
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/calendar", body={"region": "bavaria"},
                         key="op"), 400, "region")
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/calendar", body={"region": "BY", "x": 1},
                         key="op"), 400, "x")
    problem(ctx.api.call("PUT", "/v1/warehouses/US-LAX/calendar", body={"region": "CA"},
                         key="op"), 404, "wh")
    ctx.api.call("PUT", "/v1/warehouses/DE-DUI/calendar", body={"region": "BY"}, key="s1",
                 expect=403)
    r = ctx.api.call("PUT", "/v1/warehouses/DE-DUI/closed-days/2027-12-31",
                     body={"reason": "stock-take"}, key="op", expect=200)
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/closed-days/2027-02-29", body={},
                         key="op"), 400, "date")
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/closed-days/2027-12-30",
                         body={"reason": "x" * 129}, key="op"), 400, "reason")
    problem(ctx.api.call("PUT", "/v1/warehouses/US-LAX/closed-days/2027-12-30", body={},
                         key="op"), 404, "wh")
    r = ctx.api.get("/v1/warehouses/DE-DUI/calendar", key="op", expect=200)
    eq((r.json["country"], r.json["region"]), ("DE", "BY"), "country and region", r)
    eq(r.json["closed_days"], [{"date": "2027-12-31", "reason": "stock-take"}], "closed days", r)
    de = [c for c in r.json["upcoming"] if c["country"] == "DE"]
    check(de and de[0]["warehouse_country"] and de[0]["holidays"], "Germany's next holidays", r)
    days = [h["date"] for h in de[0]["holidays"]]
    eq(days, sorted(days), "in date order", r)
    check(all(h["region"] in ("", "BY") for h in de[0]["holidays"]),
          "only nationwide and Bavarian days", r)
    ctx.api.call("DELETE", "/v1/warehouses/DE-DUI/closed-days/2027-12-31", key="op", expect=200)
    problem(ctx.api.call("DELETE", "/v1/warehouses/DE-DUI/closed-days/2027-12-31", key="op"),
            404, "date")
    ctx.api.call("PUT", "/v1/warehouses/DE-DUI/calendar", body={"region": ""}, key="op",
                 expect=200)


def service(code, transit, delivery_days, **over):
    b = {"warehouse": "DE-DUI", "code": code, "carrier": "DHL", "name": code, "currency": "EUR",
         "effective_from": "2026-01-01", "max_weight_g": 31500, "transit_days": transit,
         "cutoff": "16:00", "pickup_days": [1, 2, 3, 4, 5], "delivery_days": delivery_days,
         "numbering": {"kind": "sscc", "prefix": "4012345", "extension": 1, "from": 1,
                       "to": 999999999},
         "zones": [{"zone": "D", "country": "DE"}, {"zone": "N", "country": "NL"}],
         "prices": [{"zone": "D", "max_weight_g": 31500, "price": "4.90"},
                    {"zone": "N", "max_weight_g": 31500, "price": "9.90"}]}
    b.update(over)
    return b


@test
def test_service_calendar_fields(ctx):
    catalog(ctx)
    code = "HOL-" + rand_suffix(5).upper()
    r = ctx.api.post("/v1/carrier-services", service(code, 1, [1, 2, 3, 4, 5, 6],
                                                     holidays="CARRIER"), key="op", expect=201)
    eq((r.json["delivery_days"], r.json["holidays"]), ([1, 2, 3, 4, 5, 6], "CARRIER"),
       "delivery days and carrier calendar stored", r)
    r = ctx.api.get("/v1/carrier-services/%s" % seg(r.json["id"]), expect=200)
    eq((r.json["delivery_days"], r.json["holidays"]), ([1, 2, 3, 4, 5, 6], "CARRIER"), "read", r)
    problem(ctx.api.post("/v1/carrier-services", service("HOL-X1", 1, [8]), key="op"), 400,
            "delivery_days[0]")
    problem(ctx.api.post("/v1/carrier-services", service("HOL-X2", 1, [1], holidays="ups!"),
                         key="op"), 400, "holidays")


class FakeClock:
    """A second server on the suite's database whose clock libfaketime sets."""

    def __init__(self, ctx, utc):
        self.workdir = tempfile.mkdtemp(prefix="haicang-holidays-")
        env = {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": "@" + utc, "TZ": "UTC",
               "ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") +
                                ":verify_asan_link_order=0").lstrip(":")}
        self.server = Server(ctx.binary, ctx.db, self.workdir, extra_env=env)
        self.server.start()
        self.api = Api("127.0.0.1", self.server.port, ctx.api.keys)

    def close(self):
        self.server.stop()
        bad = [ln for t in self.server.stderr_texts for ln in sanitizer_lines(t)]
        shutil.rmtree(self.workdir, ignore_errors=True)
        check(not bad, "sanitizer reports in the fake-clock server:\n" + "\n".join(bad[:20]))


def rates(api, postcode, country, code):
    r = api.post("/v1/rates", {"warehouse": "DE-DUI",
                               "ship_to": {"country": country, "postcode": postcode},
                               "parcels": [{"weight_g": 1200, "dims_mm": [300, 200, 100]}]},
                 key="op", expect=200)
    quotes = [x for x in r.json["items"] if x["service"]["code"] == code]
    check(len(quotes) == 1, "a quote of %s" % code, r)
    return r.json["asked_day"], quotes[0], r


@test
def test_rates_across_easter_2027(ctx):
    """Thursday 25 March 2027, 16:30 in Duisburg (15:30 UTC, CET), after the
    16:00 cut-off. Good Friday (26) and Easter Monday (29) close Germany: the
    next pickup is Tuesday 30; one delivery day (Mon-Sat) later: Wednesday 31
    (without the calendars: Friday 26, Saturday 27). Two days Mon-Fri to the
    Netherlands, where Good Friday is a working day and Easter Monday is not:
    from Tuesday 30, Wednesday 31 and Thursday 1 April. With the warehouse
    closed on Tuesday 30 (its own day), the pickup is Wednesday 31 and the
    German delivery Thursday 1 April."""
    if not os.path.exists(FAKETIME_LIB):
        check(False, "no %s (Debian package libfaketime)" % FAKETIME_LIB)
    catalog(ctx)
    import_shipped(ctx, "DE", "NL")
    de, nl = "EA-DE-" + rand_suffix(4).upper(), "EA-NL-" + rand_suffix(4).upper()
    ctx.api.post("/v1/carrier-services", service(de, 1, [1, 2, 3, 4, 5, 6]), key="op", expect=201)
    ctx.api.post("/v1/carrier-services", service(nl, 2, [1, 2, 3, 4, 5]), key="op", expect=201)
    fake = FakeClock(ctx, "2027-03-25 15:30:00")
    try:
        asked, qd, r = rates(fake.api, "47051", "DE", de)
        eq(asked, "2027-03-25", "the fake clock's day in Duisburg", r)
        eq((qd["ship_day"], qd["deliver_day"]), ("2027-03-30", "2027-03-31"),
           "Easter: picked up Tuesday, delivered Wednesday", r)
        eq(qd["calendars"], {"pickup": "DE", "delivery": "DE"}, "calendars used", r)
        _, qn, r = rates(fake.api, "5911", "NL", nl)
        eq((qn["ship_day"], qn["deliver_day"]), ("2027-03-30", "2027-04-01"),
           "to the Netherlands: Easter Monday skipped there too", r)
        eq(qn["calendars"]["delivery"], "NL", "Dutch calendar", r)
        ctx.api.call("PUT", "/v1/warehouses/DE-DUI/closed-days/2027-03-30",
                     body={"reason": "inventory"}, key="op", expect=200)
        _, qd, r = rates(fake.api, "47051", "DE", de)
        eq((qd["ship_day"], qd["deliver_day"], qd["calendars"]["pickup"]),
           ("2027-03-31", "2027-04-01", "DE+warehouse"), "the warehouse's closed day", r)
    finally:
        ctx.api.call("DELETE", "/v1/warehouses/DE-DUI/closed-days/2027-03-30", key="op")
        fake.close()


@test
def test_rates_across_christmas_2026(ctx):
    """Wednesday 23 December 2026, 16:30 in Duisburg, after the cut-off:
    Thursday 24 is a working day in Germany, the parcel is picked up then.
    Christmas Day (Friday 25) and the 2nd day of Christmas (Saturday 26)
    close Germany: one delivery day Mon-Sat later is Monday 28. The
    Netherlands have both Christmas days too: two days Mon-Fri are Monday 28
    and Tuesday 29. Without any calendar on file for the destination the
    quote says so (delivery "none")."""
    if not os.path.exists(FAKETIME_LIB):
        check(False, "no %s (Debian package libfaketime)" % FAKETIME_LIB)
    catalog(ctx)
    import_shipped(ctx, "DE", "NL")
    de, nl = "XM-DE-" + rand_suffix(4).upper(), "XM-NL-" + rand_suffix(4).upper()
    ctx.api.post("/v1/carrier-services", service(de, 1, [1, 2, 3, 4, 5, 6]), key="op", expect=201)
    ctx.api.post("/v1/carrier-services", service(nl, 2, [1, 2, 3, 4, 5], zones=[
        {"zone": "N", "country": "NL"}, {"zone": "D", "country": "DE"},
        {"zone": "N", "country": "LU"}]), key="op", expect=201)
    fake = FakeClock(ctx, "2026-12-23 15:30:00")
    try:
        _, qd, r = rates(fake.api, "47051", "DE", de)
        eq((qd["ship_day"], qd["deliver_day"]), ("2026-12-24", "2026-12-28"), "Christmas, DE", r)
        _, qn, r = rates(fake.api, "5911", "NL", nl)
        eq((qn["ship_day"], qn["deliver_day"]), ("2026-12-24", "2026-12-29"), "Christmas, NL", r)
        _, ql, r = rates(fake.api, "1009", "LU", nl)
        eq((ql["deliver_day"], ql["calendars"]["delivery"]), ("2026-12-28", "none"),
           "Luxembourg: no calendar on file, only weekends skipped", r)
    finally:
        fake.close()


@test
def test_openapi_lists_holiday_routes(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None, expect=200)
    paths = r.json["paths"]
    for p in ("/v1/holidays", "/v1/holidays/{country}/{region}/{date}",
              "/v1/warehouses/{wh}/calendar", "/v1/warehouses/{wh}/closed-days/{date}"):
        check(p in paths, "OpenAPI lacks %s" % p, r)


sys.exit(run_suite(TESTS, __doc__))

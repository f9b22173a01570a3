#!/usr/bin/env python3
"""haicang API tests: head-haul schedules and tracking events.

Schedules: a DCSA Commercial Schedules import (point-to-point routings),
the same departure imported again replaces it, the departures search by
from/to/mode/after in time order with service, cut-off, departure, arrival
and transit days; bad from/to/mode/after are 400 naming the parameter, a
bad routing names its DCSA field, only admin imports.

Events (DCSA Track & Trace v3): a batch to a shipment applies all or none
(a bad container or date anywhere: nothing stored); the same eventID again
is a duplicate; late and out-of-order events take their place by
eventDateTime (container state) while the history keeps arrival order;
ARRI EST/PLN move a leg's estimated arrival (the newest estimate wins, an
older one that arrives late does not), ARRI ACT sets its actual arrival;
unknown shipment 404 naming id, unknown container 400 naming
equipmentReference, an eventID of another shipment 409; the feed
GET /v1/events shows haicang's own milestones (booked, ...) in the same
shape, paged, with `after`; tenancy: a seller without goods on a shipment
sees nothing of it. `haicang events import DIR` moves files to done/ or
failed/.

    python3 tests/api/test_events.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Ends with one line `N passed, N failed`. Standard library only.
"""

import json
import os
import random
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix, run_cli  # noqa: E402
from fixtures import catalog, collector, fixture, mk_sku, run_suite  # noqa: E402

TESTS, test = collector()


def iso6346(prefix10):
    """prefix10 + its ISO 6346 check digit."""
    vals = {}
    v = 10
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v % 11 == 0:
            v += 1
        vals[c] = v
        v += 1
    s = sum((vals[c] if c.isalpha() else int(c)) * (2 ** i) for i, c in enumerate(prefix10))
    return prefix10 + str(s % 11 % 10)


def routing(frm, to, dep, arr, service, mode="RAIL", cutoff=None, transit=None):
    r = {"placeOfReceipt": {"facilityTypeCode": "INTE", "location": {"UNLocationCode": frm},
                            "dateTime": dep},
         "placeOfDelivery": {"facilityTypeCode": "INTE", "location": {"UNLocationCode": to},
                             "dateTime": arr},
         "legs": [{"sequenceNumber": 1,
                   "transport": {"modeOfTransport": mode,
                                 "servicePartners": [{"carrierCode": "CRIT",
                                                      "carrierServiceName": service,
                                                      "carrierServiceCode": "X8003"}]},
                   "departure": {"facilityTypeCode": "INTE", "location": {"UNLocationCode": frm},
                                 "dateTime": dep},
                   "arrival": {"facilityTypeCode": "INTE", "location": {"UNLocationCode": to},
                               "dateTime": arr}}]}
    if cutoff:
        r["cutOffTimes"] = [{"cutOffDateTimeCode": "FCO", "cutOffDateTime": cutoff}]
    if transit is not None:
        r["transitTime"] = transit
    return r


@fixture
def timetable(ctx):
    catalog(ctx)
    body = {"routings": [
        routing("CNZZU", "DEHAM", "2026-12-08T10:00:00+08:00", "2026-12-20T05:00:00+01:00",
                "X8003 Zhengzhou-Hamburg", cutoff="2026-12-06T10:00:00+08:00", transit=12),
        routing("CNZZU", "DEHAM", "2026-12-01T10:00:00+08:00", "2026-12-13T05:00:00+01:00",
                "X8003 Zhengzhou-Hamburg", cutoff="2026-11-29T10:00:00+08:00", transit=12),
        routing("CNZZU", "DEHAM", "2026-11-24T10:00:00+08:00", "2026-12-06T05:00:00+01:00",
                "X8003 Zhengzhou-Hamburg"),
        routing("CNSHA", "NLRTM", "2026-12-02T08:00:00Z", "2027-01-03T08:00:00Z",
                "Asia-Europe loop", mode="VESSEL"),
    ]}
    r = ctx.api.post("/v1/schedules/import", body, expect=200)
    eq(r.json["imported"], 4, "imported", r)
    return body


@test
def schedules_search(ctx):
    timetable(ctx)
    r = ctx.api.get(q("/v1/schedules", **{"from": "CNZZU", "to": "DEHAM", "mode": "rail",
                                          "after": "2026-12-01"}), key="s1", expect=200)
    items = r.json["items"]
    eq([i["departure"] for i in items], ["2026-12-01T02:00:00.000Z", "2026-12-08T02:00:00.000Z"],
       "departures after 2026-12-01 in time order", r)
    first = items[0]
    eq(first["service"], "X8003 Zhengzhou-Hamburg", "service", r)
    eq(first["cutoff"], "2026-11-29T02:00:00.000Z", "cut-off", r)
    eq(first["arrival"], "2026-12-13T04:00:00.000Z", "arrival (offset applied)", r)
    eq(first["transit_days"], 12, "transit days", r)
    eq(first["mode"], "RAIL", "mode", r)
    eq(first["legs"][0]["from"], "CNZZU", "leg from", r)
    r = ctx.api.get(q("/v1/schedules", **{"from": "cnzzu", "to": "DEHAM", "mode": "vessel",
                                          "after": "2026-11-01"}), expect=200)
    eq(r.json["items"], [], "no vessel departures Zhengzhou-Hamburg", r)
    r = ctx.api.get(q("/v1/schedules", **{"from": "CNSHA", "mode": "sea", "after": "2026-11-01"}),
                    expect=200)
    eq(len(r.json["items"]), 1, "sea from Shanghai", r)
    # paging keeps the order
    r = ctx.api.get(q("/v1/schedules", **{"from": "CNZZU", "after": "2026-01-01", "limit": "2"}),
                    expect=200)
    check(r.json["next_cursor"], "a next page", r)
    r2 = ctx.api.get(q("/v1/schedules", **{"from": "CNZZU", "after": "2026-01-01", "limit": "2",
                                           "cursor": r.json["next_cursor"]}), expect=200)
    eq([i["departure"] for i in r.json["items"] + r2.json["items"]],
       ["2026-11-24T02:00:00.000Z", "2026-12-01T02:00:00.000Z", "2026-12-08T02:00:00.000Z"],
       "pages", r2)


@test
def schedules_reimport_replaces(ctx):
    body = timetable(ctx)
    r = ctx.api.post("/v1/schedules/import", body, expect=200)
    eq((r.json["new"], r.json["replaced"]), (0, 4), "second import replaces", r)
    r = ctx.api.get(q("/v1/schedules", **{"from": "CNZZU", "to": "DEHAM", "after": "2026-01-01"}),
                    expect=200)
    eq(len(r.json["items"]), 3, "still three departures", r)


@test
def schedules_bad_params(ctx):
    timetable(ctx)
    for params, field in (({"from": "CNZZ"}, "from"), ({"to": "12345"}, "to"),
                          ({"mode": "boat"}, "mode"), ({"after": "2026-13-01"}, "after"),
                          ({"after": "yesterday"}, "after"), ({"bogus": "1"}, "bogus"),
                          ({"limit": "0"}, "limit"), ({"cursor": "x"}, "cursor")):
        r = ctx.api.get(q("/v1/schedules", **params), expect=400)
        problem(r, 400, field)


@test
def schedules_bad_import(ctx):
    timetable(ctx)
    good = routing("CNXIY", "DEDUI", "2026-12-09T10:00:00+08:00", "2026-12-22T10:00:00+01:00",
                   "Rail Link 2.0")
    cases = []
    b = json.loads(json.dumps(good))
    b["placeOfReceipt"]["location"]["UNLocationCode"] = "XXZZU"
    cases.append((b, "routings[1].placeOfReceipt.location.UNLocationCode"))
    b = json.loads(json.dumps(good))
    b["legs"][0]["transport"]["modeOfTransport"] = "CAMEL"
    cases.append((b, "routings[1].legs[0].transport.modeOfTransport"))
    b = json.loads(json.dumps(good))
    b["placeOfDelivery"]["dateTime"] = "2026-12-01T10:00:00+01:00"
    b["legs"][0]["arrival"]["dateTime"] = "2026-12-01T10:00:00+01:00"
    cases.append((b, "routings[1].placeOfDelivery.dateTime"))
    b = json.loads(json.dumps(good))
    b["placeOfReceipt"]["dateTime"] = "2026-12-09 10:00"
    cases.append((b, "routings[1].placeOfReceipt.dateTime"))
    b = json.loads(json.dumps(good))
    b["cutOffTimes"] = [{"cutOffDateTimeCode": "FCO", "cutOffDateTime": "2026-12-10T10:00:00Z"}]
    cases.append((b, "routings[1].cutOffTimes[0].cutOffDateTime"))
    for bad, field in cases:
        r = ctx.api.post("/v1/schedules/import", {"routings": [good, bad]}, expect=400)
        problem(r, 400, field)
    r = ctx.api.get(q("/v1/schedules", **{"from": "CNXIY", "after": "2026-01-01"}), expect=200)
    eq(r.json["items"], [], "nothing of a refused import stored", r)
    r = ctx.api.post("/v1/schedules/import", {"routings": [good]}, key="s1", expect=403)


# ------------------------------------------------------------------ events

def make_shipment(ctx, seller="S1"):
    sku = "EV" + rand_suffix()
    mk_sku(ctx, seller, sku)
    r = ctx.api.post("/v1/inbounds", {"seller": seller, "warehouse": "DE-DUI",
                                      "reference": "ASN-" + sku, "lines": [{"sku": sku, "qty": 10}]},
                     expect=201)
    inbound = r.json["id"]
    number = iso6346("TGHU%06d" % random.randint(0, 999999))
    body = {"mode": "rail", "warehouse": "DE-DUI",
            "legs": [{"from": "CNZZU", "to": "PLMAL", "etd": "2026-12-01T02:00:00Z",
                      "eta": "2026-12-09T02:00:00Z"},
                     {"from": "PLMAL", "to": "DEDUI", "etd": "2026-12-10T02:00:00Z",
                      "eta": "2026-12-13T02:00:00Z"}],
            "containers": [{"number": number, "size_type": "45G1",
                            "contents": [{"inbound": inbound, "cartons": 5}]}]}
    r = ctx.api.post("/v1/shipments", body, expect=201)
    return r.json["id"], number


def ev(eid, etype, code, at, classifier="ACT", created=None, equipment=None, loc=None):
    payload = {"eventType": etype, "eventClassifierCode": classifier, "eventDateTime": at}
    if etype == "EQUIPMENT":
        payload["equipmentEventTypeCode"] = code
        payload["equipmentReference"] = equipment
    elif etype == "TRANSPORT":
        payload["transportEventTypeCode"] = code
        payload["transportCall"] = {"modeOfTransport": "RAIL",
                                    "location": {"locationType": "UNLO", "UNLocationCode": loc}}
    else:
        payload["shipmentEventTypeCode"] = code
        payload["documentTypeCode"] = "BKG"
    if loc and etype == "EQUIPMENT":
        payload["transportCall"] = {"location": {"UNLocationCode": loc}}
    return {"metadata": {"eventID": eid, "eventCreatedDateTime": created or "2026-11-01T00:00:00Z",
                         "eventType": etype, "publisher": {"partyName": "CR Express"}},
            "payload": payload}


def events_of(ctx, shp, key="admin"):
    r = ctx.api.get("/v1/shipments/%s/events?limit=1000" % shp, key=key, expect=200)
    return r


def leg(ctx, shp, i):
    r = ctx.api.get("/v1/shipments/%s" % shp, expect=200)
    return r.json["legs"][i], r.json


@test
def events_batch_moves_eta(ctx):
    catalog(ctx)
    shp, cont = make_shipment(ctx)
    u = rand_suffix()
    batch = [ev("load-" + u, "EQUIPMENT", "LOAD", "2026-12-01T01:00:00+08:00", equipment=cont,
                loc="CNZZU"),
             ev("depa-" + u, "TRANSPORT", "DEPA", "2026-12-01T03:00:00Z", loc="CNZZU"),
             ev("esta-" + u, "TRANSPORT", "ARRI", "2026-12-10T06:00:00Z", classifier="EST",
                created="2026-12-02T00:00:00Z", loc="PLMAL")]
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": batch}, key="op", expect=200)
    eq((r.json["applied"], r.json["duplicates"]), (3, 0), "applied", r)
    l0, full = leg(ctx, shp, 0)
    eq(l0["eta_estimated"], "2026-12-10T06:00:00.000Z", "EST ARRI moves the estimate", full)
    eq(l0["atd"], "2026-12-01T03:00:00.000Z", "ACT DEPA sets the actual departure", full)
    # a newer estimate wins; an older one arriving late does not
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [
        ev("est2-" + u, "TRANSPORT", "ARRI", "2026-12-11T06:00:00Z", classifier="EST",
           created="2026-12-05T00:00:00Z", loc="PLMAL"),
        ev("est0-" + u, "TRANSPORT", "ARRI", "2026-12-08T06:00:00Z", classifier="PLN",
           created="2026-11-20T00:00:00Z", loc="PLMAL")]}, expect=200)
    l0, full = leg(ctx, shp, 0)
    eq(l0["eta_estimated"], "2026-12-11T06:00:00.000Z", "the newest estimate wins", full)
    # actual arrival
    ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [
        ev("arri-" + u, "TRANSPORT", "ARRI", "2026-12-11T09:30:00+01:00", loc="PLMAL")]},
        expect=200)
    l0, full = leg(ctx, shp, 0)
    eq(l0["ata"], "2026-12-11T08:30:00.000Z", "ACT ARRI sets the actual arrival", full)


@test
def events_duplicates_and_order(ctx):
    catalog(ctx)
    shp, cont = make_shipment(ctx)
    u = rand_suffix()
    load = ev("L-" + u, "EQUIPMENT", "LOAD", "2026-12-01T05:00:00Z", equipment=cont)
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [load]}, expect=200)
    eq(r.json["applied"], 1, "first", r)
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [load, load]}, expect=200)
    eq((r.json["applied"], r.json["duplicates"]), (0, 2), "same eventID again: duplicates", r)
    # a gate-in that happened before the load arrives after it
    late = ev("G-" + u, "EQUIPMENT", "GTIN", "2026-11-30T05:00:00Z", equipment=cont)
    ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [late]}, expect=200)
    r = events_of(ctx, shp)
    ids = [e["metadata"]["eventID"] for e in r.json["items"] if e["milestone"] is None]
    eq(ids, ["L-" + u, "G-" + u], "history in arrival order, once each", r)
    state = {s["equipmentReference"]: s for s in r.json["equipment"]}
    eq(state[cont]["equipmentEventTypeCode"], "LOAD", "state follows eventDateTime", r)
    # a later event moves the state
    ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [
        ev("D-" + u, "EQUIPMENT", "DISC", "2026-12-12T05:00:00Z", equipment=cont)]}, expect=200)
    r = events_of(ctx, shp)
    state = {s["equipmentReference"]: s for s in r.json["equipment"]}
    eq(state[cont]["equipmentEventTypeCode"], "DISC", "newest by eventDateTime", r)


@test
def events_all_or_none(ctx):
    catalog(ctx)
    shp, cont = make_shipment(ctx)
    other, _ = make_shipment(ctx)
    u = rand_suffix()
    good = ev("ok-" + u, "EQUIPMENT", "LOAD", "2026-12-01T05:00:00Z", equipment=cont)
    cases = [
        (ev("x1-" + u, "EQUIPMENT", "LOAD", "2026-12-01T05:00:00Z", equipment="MSCU1234565"),
         400, "events[1].payload.equipmentReference"),
        (ev("x2-" + u, "EQUIPMENT", "LOAD", "2026-12-01 05:00", equipment=cont),
         400, "events[1].payload.eventDateTime"),
        (ev("x3-" + u, "EQUIPMENT", "LOAD", "2026-02-30T05:00:00Z", equipment=cont),
         400, "events[1].payload.eventDateTime"),
        (ev("x4-" + u, "TRANSPORT", "ARRI", "2026-12-01T05:00:00Z", loc="ZZ"),
         400, "events[1].payload.transportCall.location.UNLocationCode"),
        (ev("x5-" + u, "EQUIPMENT", "FLY", "2026-12-01T05:00:00Z", equipment=cont),
         400, "events[1].payload.equipmentEventTypeCode"),
        (ev("x6-" + u, "EQUIPMENT", "LOAD", "2026-12-01T05:00:00Z", classifier="MAYBE",
            equipment=cont), 400, "events[1].payload.eventClassifierCode"),
    ]
    for bad, status, field in cases:
        r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [good, bad]}, expect=status)
        problem(r, status, field)
    r = events_of(ctx, shp)
    eq([e for e in r.json["items"] if e["milestone"] is None], [], "nothing stored", r)
    # an eventID of another shipment
    ctx.api.post("/v1/shipments/%s/events" % other, {"events": [
        ev("own-" + u, "SHIPMENT", "CONF", "2026-12-01T05:00:00Z")]}, expect=200)
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [
        good, ev("own-" + u, "SHIPMENT", "CONF", "2026-12-01T05:00:00Z")]}, expect=409)
    problem(r, 409, "events[1].metadata.eventID")
    r = events_of(ctx, shp)
    eq([e for e in r.json["items"] if e["milestone"] is None], [], "still nothing stored", r)
    r = ctx.api.post("/v1/shipments/shp_0/events", {"events": [good]}, expect=404)
    problem(r, 404, "id")
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": []}, expect=400)
    problem(r, 400, "events")
    r = ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [good]}, key="s1", expect=403)


@test
def events_feed_and_tenancy(ctx):
    catalog(ctx)
    shp, cont = make_shipment(ctx)
    u = rand_suffix()
    ctx.api.post("/v1/shipments/%s/events" % shp, {"events": [
        ev("f1-" + u, "EQUIPMENT", "LOAD", "2026-12-01T05:00:00Z", equipment=cont),
        ev("f2-" + u, "TRANSPORT", "DEPA", "2026-12-01T06:00:00Z", loc="CNZZU")]}, expect=200)
    r = ctx.api.get(q("/v1/events", shipment=shp), key="s1", expect=200)
    items = r.json["items"]
    kinds = [e["milestone"] for e in items]
    check("booked" in kinds, "the booked milestone is in the feed: %r" % kinds, r)
    booked = items[kinds.index("booked")]
    eq(booked["payload"]["eventType"], "SHIPMENT", "milestone in the DCSA shape", r)
    eq(booked["payload"]["shipmentEventTypeCode"], "CONF", "booked = CONF", r)
    ids = [e["metadata"]["eventID"] for e in items]
    check(ids.index("f1-" + u) < ids.index("f2-" + u), "arrival order", r)
    # paging
    r1 = ctx.api.get(q("/v1/events", shipment=shp, limit="1"), expect=200)
    r2 = ctx.api.get(q("/v1/events", shipment=shp, limit="1", cursor=r1.json["next_cursor"]),
                     expect=200)
    eq([r1.json["items"][0]["metadata"]["eventID"], r2.json["items"][0]["metadata"]["eventID"]],
       ids[:2], "pages follow the arrival order", r2)
    # after: events received after now are none
    r = ctx.api.get(q("/v1/events", shipment=shp, after="2100-01-01"), expect=200)
    eq(r.json["items"], [], "nothing received after 2100", r)
    for params, field in (({"after": "soon"}, "after"), ({"cursor": "abc"}, "cursor"),
                          ({"bogus": "1"}, "bogus")):
        r = ctx.api.get(q("/v1/events", **params), expect=400)
        problem(r, 400, field)
    # S2 has no goods on it: nothing of it
    r = ctx.api.get(q("/v1/events", shipment=shp), key="s2", expect=200)
    eq(r.json["items"], [], "another seller sees none of its events", r)
    r = ctx.api.get("/v1/shipments/%s/events" % shp, key="s2", expect=404)
    r = ctx.api.get("/v1/events?limit=1000", key="s2", expect=200)
    check(all(e["shipment"] != shp for e in r.json["items"]), "not in S2's feed", r)
    r = ctx.api.get("/v1/shipments/%s/events" % shp, key="s1", expect=200)


@test
def events_import_inbox(ctx):
    catalog(ctx)
    shp, cont = make_shipment(ctx)
    u = rand_suffix()
    d = tempfile.mkdtemp(prefix="haicang-inbox-")
    with open(os.path.join(d, "a.json"), "w") as f:
        json.dump({"shipment": shp, "events": [
            ev("in1-" + u, "EQUIPMENT", "GTIN", "2026-11-30T05:00:00Z", equipment=cont)]}, f)
    with open(os.path.join(d, "b.json"), "w") as f:
        json.dump({"shipment": shp, "events": [
            ev("in2-" + u, "EQUIPMENT", "GTOT", "2026-11-30T06:00:00Z", equipment="NOPE")]}, f)
    rc, out, err = run_cli(ctx.binary, ["events", "import", d, "--db", ctx.db], check_rc=False)
    ctx.cli_stderr.append(err)
    eq(rc, 1, "a failed file makes the exit status 1", None)
    check(os.path.exists(os.path.join(d, "done", "a.json")), "a.json in done/")
    check(os.path.exists(os.path.join(d, "failed", "b.json")), "b.json in failed/")
    reason = open(os.path.join(d, "failed", "b.json.error")).read()
    check("events[0].payload.equipmentReference" in reason, "the reason names the field: " + reason)
    r = events_of(ctx, shp)
    ids = [e["metadata"]["eventID"] for e in r.json["items"]]
    check("in1-" + u in ids and "in2-" + u not in ids, "only the good file applied: %r" % ids, r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

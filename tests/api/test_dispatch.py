#!/usr/bin/env python3
"""haicang API tests: the day's dispatch, manifests and tracking events (issue 12, 4-5).

A manifest closes over the packed parcels of a carrier service's pickup,
ships their orders when the warehouse ships at manifest (carrier = the
service's carrier, tracking_no = the parcel's number) or leaves them to
scan-out; its parcels are frozen (a late change is a 409 naming the
parcel); its PDF and CSV list them. Tracking events are all or none (a bad
one is a 400 naming events[i].field, nothing stored), idempotent on
(tracking number, status, time); delivered moves the order to delivered once
all its parcels are, exception flags it; sellers see only their own.

    python3 tests/api/test_dispatch.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Standard library only; see tests/api/README.md.
"""

import os
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True
# the exception webhook goes to a loopback address nobody listens on
os.environ["HAICANG_WEBHOOKS_ALLOW_LOOPBACK"] = "test-only"
# the server polls this tracking inbox every second
INBOX = tempfile.mkdtemp(prefix="haicang-tracking-inbox-")
os.environ["HAICANG_TRACKING_INBOX"] = INBOX
os.environ["HAICANG_TRACKING_POLL_S"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, make_wave, mk_sku,  # noqa: E402
                      order_body, rand_suffix, run_suite, stock)

TESTS, test = collector()


def service_body(code, carrier="DHL"):
    return {"warehouse": "DE-DUI", "code": code, "carrier": carrier, "name": carrier + " Paket",
            "currency": "EUR", "effective_from": "2026-01-01", "max_weight_g": 31500,
            "transit_days": 2, "cutoff": "23:59", "pickup_days": [1, 2, 3, 4, 5, 6, 7],
            "numbering": {"kind": "s10", "prefix": "RR", "country": "DE", "from": 10000000,
                          "to": 99999999},
            "zones": [{"zone": "DE", "country": "DE"}],
            "prices": [{"zone": "DE", "max_weight_g": 31500, "price": "5.90"}]}


def fixture_de(ctx):
    """One DE-DUI service and a SKU in stock (once per suite)."""
    if "de" in ctx.fixtures:
        return ctx.fixtures["de"]
    catalog(ctx)
    tag = rand_suffix(4).upper()
    code = "DHL-" + tag
    ctx.api.post("/v1/carrier-services", service_body(code), key="op", expect=201)
    sku = "DS" + tag
    mk_sku(ctx, "S1", sku, dims=[100, 100, 50], weight=300)
    stock(ctx, "S1", "DE-DUI", [(sku, 500)])
    ctx.fixtures["de"] = (code, sku)
    return code, sku


def packed_order(ctx, nparcels=1):
    """An order of S1 at DE-DUI, its parcels recorded, packed."""
    code, sku = fixture_de(ctx)
    o = create_order(ctx, order_body("S1", [(sku, nparcels)], country="DE"))
    eq(o["warehouse"], "DE-DUI", "routed to DE-DUI", None)
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(o["id"]),
                     {"parcels": [{"dims_mm": [200, 150, 100], "weight_g": 500,
                                   "items": [{"sku": sku, "qty": 1}]}] * nparcels,
                      "service": code}, key="op", expect=201)
    make_wave(ctx, "DE-DUI")
    ctx.api.post("/v1/orders/%s/pack" % seg(o["id"]), {}, key="op", expect=200)
    return o["id"], r.json["items"]


def set_ship_at(ctx, v):
    r = ctx.api.call("PUT", "/v1/warehouses/DE-DUI/dispatch-settings", {"ship_at": v}, key="op",
                    expect=200)
    eq(r.json["ship_at"], v, "ship_at set", r)


@test
def test_manifest_ships_and_freezes(ctx):
    code, sku = fixture_de(ctx)
    set_ship_at(ctx, "manifest")
    oid, ps = packed_order(ctx, 2)
    r = ctx.api.get("/v1/dispatch", key="op", expect=200)
    svc = [s for s in r.json["services"] if s["code"] == code]
    eq(len(svc), 1, "the service is on the dispatch screen", r)
    waiting = {p["id"] for p in svc[0]["parcels"]}
    check({p["id"] for p in ps} <= waiting, "both parcels wait for the pickup", r)
    check(isinstance(svc[0]["minutes_to_cutoff"], int), "time left to the cut-off", r)
    ctx.api.get("/v1/dispatch", key="s1", expect=403)
    problem(ctx.api.get("/v1/dispatch?warehouse=DE-DUI&day=2026-13-01", key="op"), 400, "day")
    problem(ctx.api.get("/v1/dispatch?warehouse=DE-DUI&nope=1", key="op"), 400, "nope")
    # the waiting parcels' labels, one PDF, a page each
    r = ctx.api.get("/v1/dispatch/labels.pdf?service=%s" % seg(code), key="op")
    eq(r.status, 200, "bulk labels", r)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", r.body))
    check(r.body.startswith(b"%PDF") and pages >= 2, "a PDF of %d pages" % pages, r)
    r = ctx.api.get("/v1/dispatch/labels.zpl?service=%s" % seg(code), key="op")
    eq((r.status, r.ctype.split(";")[0]), (200, "application/zpl"), "bulk ZPL", r)
    check(r.body.count(b"^XA") == pages and all(p["tracking_no"].encode() in r.body for p in ps),
          "a ZPL label per waiting parcel, the order's among them", r)
    problem(ctx.api.get("/v1/dispatch/labels.pdf", key="op"), 400, "service")
    problem(ctx.api.get("/v1/dispatch/labels.zpl", key="op"), 400, "service")
    problem(ctx.api.get("/v1/dispatch/labels.pdf?service=%s" % seg(code), key="s1"), 403, "orders")
    # bad closes store nothing
    problem(ctx.api.post("/v1/manifests", {"service": "NOPE-" + code}, key="op"), 400, "service")
    problem(ctx.api.post("/v1/manifests", {"service": code, "day": "tomorrow"}, key="op"), 400, "day")
    problem(ctx.api.post("/v1/manifests", {"service": code, "color": 1}, key="op"), 400, "color")
    problem(ctx.api.post("/v1/manifests", {"service": code, "warehouse": "US-LAX"}, key="op"),
            404, "warehouse")
    ctx.api.post("/v1/manifests", {"service": code}, key="s1", expect=403)
    eq(ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json["status"], "packed",
       "still packed", None)
    r = ctx.api.post("/v1/manifests", {"service": code}, key="op", expect=201)
    m = r.json
    check({p["id"] for p in ps} <= {p["id"] for p in m["parcels"]}, "the manifest takes them", r)
    eq((m["service"]["carrier"], m["ship_at"]), ("DHL", "manifest"), "carrier and mode", r)
    o = ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json
    eq((o["status"], o["carrier"], o["tracking_no"]), ("shipped", "DHL", ps[0]["tracking_no"]),
       "closing the manifest shipped the order", None)
    eq(sorted(p.get("tracking_no") for p in o["parcels"]), sorted(p["tracking_no"] for p in ps),
       "the order's parcels carry their numbers", None)
    # nothing waits any more: a second close is refused
    problem(ctx.api.post("/v1/manifests", {"service": code}, key="op"), 409, "service")
    # a late change to a manifested parcel is refused naming it
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [{"dims_mm": [200, 150, 100], "weight_g": 500,
                                       "items": [{"sku": sku, "qty": 2}]}]}, key="op"),
            409, "parcels[0]")
    # documents
    r = ctx.api.get("/v1/manifests/%s.pdf?lang=en" % seg(m["id"]), key="op")
    eq(r.status, 200, "manifest PDF", r)
    check(r.body.startswith(b"%PDF"), "a PDF", r)
    r = ctx.api.get("/v1/manifests/%s.csv?lang=zh" % seg(m["id"]), key="op")
    eq(r.status, 200, "manifest CSV", r)
    text = r.body.decode("utf-8")
    check(all(p["tracking_no"] in text for p in ps) and "运单号" in text, "CSV lists the parcels", r)
    problem(ctx.api.get("/v1/manifests/%s.pdf?lang=fr" % seg(m["id"]), key="op"), 400, "lang")
    r = ctx.api.get("/v1/manifests?service=%s" % seg(code), key="op", expect=200)
    eq([x["id"] for x in r.json["items"]][:1], [m["id"]], "listed", r)
    ctx.api.get("/v1/manifests/%s" % seg(m["id"]), key="s1", expect=403)


@test
def test_scan_out_mode(ctx):
    code, sku = fixture_de(ctx)
    set_ship_at(ctx, "scan_out")
    try:
        oid, ps = packed_order(ctx, 1)
        r = ctx.api.post("/v1/manifests", {"service": code}, key="op", expect=201)
        eq(r.json["ship_at"], "scan_out", "mode kept on the manifest", r)
        eq(ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json["status"], "packed",
           "not shipped at manifest when the warehouse ships at scan-out", None)
        problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                             {"parcels": [{"dims_mm": [200, 150, 100], "weight_g": 900,
                                           "items": [{"sku": sku, "qty": 1}]}]}, key="op"),
                409, "parcels[0]", "re-recording a frozen parcel")
        problem(ctx.api.post("/v1/orders/%s/cancel" % seg(oid), {}, key="op"), 409, "parcels[0]",
                "cancelling an order whose parcel is on a manifest")
        r = ctx.api.post("/v1/parcels/%s/scan-out" % seg(ps[0]["id"]), {}, key="op", expect=200)
        eq(r.json["order_shipped"], True, "the scan shipped it", r)
        o = ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json
        eq((o["status"], o["tracking_no"]), ("shipped", ps[0]["tracking_no"]), "shipped", None)
        r = ctx.api.post("/v1/parcels/%s/scan-out" % seg(ps[0]["id"]), {}, key="op", expect=200)
        eq(r.json["order_shipped"], False, "a repeated scan changes nothing", r)
        ctx.api.post("/v1/parcels/%s/scan-out" % seg(ps[0]["id"]), {}, key="s1", expect=403)
    finally:
        set_ship_at(ctx, "manifest")
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/dispatch-settings", {"ship_at": "never"}, key="op"),
            400, "ship_at")
    problem(ctx.api.call("PUT", "/v1/warehouses/US-LAX/dispatch-settings", {"ship_at": "manifest"},
                        key="op"), 404, "wh")


def shipped_order(ctx, n=1):
    code, _ = fixture_de(ctx)
    set_ship_at(ctx, "manifest")
    oid, ps = packed_order(ctx, n)
    ctx.api.post("/v1/manifests", {"service": code}, key="op", expect=201)
    return oid, ps


def ev(tn, status, time, **kw):
    e = {"tracking_no": tn, "status": status, "time": time}
    e.update(kw)
    return e


@test
def test_tracking_moves_orders(ctx):
    oid, ps = shipped_order(ctx, 2)
    t1, t2 = ps[0]["tracking_no"], ps[1]["tracking_no"]
    batch = [ev(t1, "in_transit", "2026-11-20T08:00:00Z", location="Duisburg"),
             ev(t1, "delivered", "2026-11-21T10:00:00Z", location="Berlin"),
             ev(t2, "out_for_delivery", "2026-11-21T07:00:00Z")]
    r = ctx.api.post("/v1/tracking-events", {"events": batch}, key="op", expect=201)
    eq((r.json["stored"], r.json["duplicates"], r.json["orders_delivered"]), (3, 0, 0),
       "stored; one parcel of two delivered: not yet delivered", r)
    eq(ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json["status"], "shipped", "shipped", None)
    r = ctx.api.post("/v1/tracking-events", {"events": batch}, key="op", expect=200)
    eq((r.json["stored"], r.json["duplicates"]), (0, 3), "the same events again: duplicates", r)
    r = ctx.api.post("/v1/tracking-events",
                     {"events": [ev(t2, "delivered", "2026-11-21T12:00:00Z", detail="Nachbar")]},
                     key="admin", expect=201)
    eq(r.json["orders_delivered"], 1, "the last parcel delivered the order", r)
    eq(ctx.api.get("/v1/orders/%s" % seg(oid), expect=200).json["status"], "delivered",
       "delivered", None)
    r = ctx.api.get("/v1/orders/%s/tracking" % seg(oid), key="s1", expect=200)
    eq([(e["tracking_no"], e["status"]) for e in r.json["events"]],
       [(t1, "in_transit"), (t2, "out_for_delivery"), (t1, "delivered"), (t2, "delivered")],
       "the seller sees the events, oldest first", r)
    eq(r.json["exception"], None, "no exception", r)
    ctx.api.get("/v1/orders/%s/tracking" % seg(oid), key="s2", expect=404)
    r = ctx.api.get("/v1/parcels/%s/tracking" % seg(ps[0]["id"]), key="s1", expect=200)
    eq(len(r.json["events"]), 2, "one parcel's events", r)
    ctx.api.get("/v1/parcels/%s/tracking" % seg(ps[0]["id"]), key="s2", expect=404)
    # an exception flags another order, and is heard of as order.exception
    hook = ctx.api.post("/v1/webhooks", {"url": "http://127.0.0.1:9/exception",
                                         "events": ["order.exception"]}, key="s1", expect=201).json
    o2, p2 = shipped_order(ctx, 1)
    r = ctx.api.post("/v1/tracking-events",
                     {"events": [ev(p2[0]["tracking_no"], "exception", "2026-11-22T09:00:00Z",
                                    location="Hub Kassel", detail="address unknown")]},
                     key="op", expect=201)
    eq(r.json["orders_flagged"], 1, "flagged", r)
    r = ctx.api.get("/v1/orders/%s/tracking" % seg(o2), key="s1", expect=200)
    eq((r.json["status"], r.json["exception"]["status"], r.json["exception"]["detail"]),
       ("shipped", "exception", "address unknown"), "the flag with its event", r)
    r = ctx.api.get("/v1/webhooks/%s/deliveries" % seg(hook["id"]), key="s1", expect=200)
    eq([(d["type"], d["data"]["subject"], d["data"]["status"]) for d in r.json["items"]],
       [("order.exception", o2, "exception")],
       "one order.exception delivery for the flagged order", r)


@test
def test_tracking_bad_input(ctx):
    oid, ps = shipped_order(ctx, 1)
    t = ps[0]["tracking_no"]
    good = [ev(t, "in_transit", "2026-11-20T0%d:00:00Z" % i) for i in range(3)]
    cases = [
        (good + [ev(t, "lost", "2026-11-20T05:00:00Z")], "events[3].status"),
        (good + [ev("RR000000000DE", "in_transit", "2026-11-20T05:00:00Z")], "events[3].tracking_no"),
        (good + [ev(t, "in_transit", "yesterday")], "events[3].time"),
        (good + [ev(t, "in_transit", "2026-11-20")], "events[3].time"),
        (good + [ev(t, "in_transit", "2099-01-01T00:00:00Z")], "events[3].time"),
        (good + [dict(ev(t, "in_transit", "2026-11-20T05:00:00Z"), weather="rain")], "events[3].weather"),
        (good + [{"status": "in_transit", "time": "2026-11-20T05:00:00Z"}], "events[3].tracking_no"),
        (good + [ev(t, "in_transit", "2026-11-20T05:00:00Z", detail=7)], "events[3].detail"),
        ([], "events"),
    ]
    for events, field in cases:
        problem(ctx.api.post("/v1/tracking-events", {"events": events}, key="op"), 400, field)
    problem(ctx.api.post("/v1/tracking-events", {"evts": []}, key="op"), 400, "events")
    r = ctx.api.get("/v1/orders/%s/tracking" % seg(oid), key="admin", expect=200)
    eq(r.json["events"], [], "nothing stored by refused batches", r)
    ctx.api.post("/v1/tracking-events", {"events": good}, key="s1", expect=403)
    # an operator of another warehouse may not report this parcel: the US-LAX
    # operator is made by the admin
    k = ctx.api.post("/v1/keys", {"role": "operator", "warehouse": "US-LAX"}, expect=201).json
    problem(ctx.api.post("/v1/tracking-events", {"events": good}, key=k["key"]), 400,
            "events[0].tracking_no")


@test
def test_tracking_inbox_polled(ctx):
    oid, ps = shipped_order(ctx, 1)
    t = ps[0]["tracking_no"]
    with open(os.path.join(INBOX, "b-bad.csv.tmp"), "w") as f:
        f.write("tracking_no,status,time\n%s,lost,2026-11-21T10:00:00Z\n" % t)
    os.rename(os.path.join(INBOX, "b-bad.csv.tmp"), os.path.join(INBOX, "b-bad.csv"))
    with open(os.path.join(INBOX, "a-good.csv.tmp"), "w") as f:
        f.write("tracking_no,status,time,location,detail\n%s,delivered,2026-11-21T10:00:00Z,Köln,\"left, at door\"\n" % t)
    os.rename(os.path.join(INBOX, "a-good.csv.tmp"), os.path.join(INBOX, "a-good.csv"))
    deadline = time.time() + 20
    while time.time() < deadline and not (os.path.exists(os.path.join(INBOX, "processed", "a-good.csv")) and
                                          os.path.exists(os.path.join(INBOX, "failed", "b-bad.csv"))):
        time.sleep(0.2)
    check(os.path.exists(os.path.join(INBOX, "processed", "a-good.csv")), "the server picked up the good file")
    with open(os.path.join(INBOX, "failed", "b-bad.csv.error.txt")) as f:
        why = f.read()
    check("events[0].status" in why, "the bad file's report names the field: %r" % why)
    r = ctx.api.get("/v1/orders/%s/tracking" % seg(oid), key="s1", expect=200)
    eq([(e["status"], e["location"], e["detail"]) for e in r.json["events"]],
       [("delivered", "Köln", "left, at door")], "the file's event, the bad one not stored", r)
    eq(r.json["status"], "delivered", "delivered by the inbox", r)
    r = ctx.api.post("/v1/tracking-events/inbox", {}, key="op", expect=200)
    eq((r.json["processed"], r.json["failed"]), (0, 0), "nothing left in the inbox", r)


@test
def test_openapi_lists_dispatch_routes(ctx):
    r = ctx.api.get("/v1/openapi.json", expect=200)
    for p in ("/v1/dispatch", "/v1/manifests", "/v1/manifests/{id}", "/v1/manifests/{id}.pdf",
              "/v1/manifests/{id}.csv", "/v1/tracking-events", "/v1/orders/{id}/tracking",
              "/v1/parcels/{id}/tracking", "/v1/parcels/{id}/scan-out", "/v1/dispatch/labels.pdf",
              "/v1/dispatch/labels.zpl",
              "/v1/warehouses/{wh}/dispatch-settings"):
        check(p in r.json["paths"], "OpenAPI lists %s" % p, r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

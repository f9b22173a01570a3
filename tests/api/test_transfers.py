#!/usr/bin/env python3
"""haicang API tests: transfer orders (issue 12 part 6: B2B outbound, FBA replenishment).

A transfer to Amazon FBA is created with FNSKUs and a relabel work order; its
lines are allocated; the loader's carton proposal holds exactly the lines
and stores nothing, recorded it gives marketplace carton ids and pallet
SSCCs; the labels PDF is rasterised by pdftoppm and read by zbarimg, which
must give back every carton id (Code 128) and SSCC (GS1-128); shipping
waits for the work order, whose completion books its charge (exact minor
units); shipped, the goods leave the warehouse. A transfer to another
haicang warehouse creates an expected inbound there, counted in that
warehouse's in_transit; receiving it books the goods out of transfer/<id>
(not from origin). Bad input (a missing
FNSKU names lines[0].fnsku) stores nothing; the compliance gate holds a
transfer and completed data releases it; a seller sees only its own, an
operator only its warehouse's.

    python3 tests/api/test_transfers.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Standard library only; see tests/api/README.md.
"""

import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
os.environ["HAICANG_WEBHOOKS_ALLOW_LOOPBACK"] = "test-only"  # a subscription to 127.0.0.1
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, run_cli, seg  # noqa: E402
from fixtures import (catalog, collector, expect_inv, fixture, items_of, journal, list_all,  # noqa: E402
                      mk_sku, order_body, rand_suffix, run_suite, stock)

TESTS, test = collector()

FBA_ADDR = {"name": "Amazon.de DTM2", "fc_code": "DTM2", "line1": "Kaltbandstraße 4",
            "city": "Dortmund", "postcode": "44145", "country": "DE"}
GPSR_DE = {"name": "EU Rep GmbH", "address": {"line1": "Hafenstraße 9", "postcode": "47119",
                                              "city": "Duisburg", "country": "DE"},
           "contact": "rep@example.eu"}


def gs1_check(digits):
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - s % 10) % 10


def shipment_id():
    return "FBA15" + rand_suffix(7).upper()


def fnsku():
    return "X00" + rand_suffix(7).upper()


@fixture
def card(ctx):
    """DE-DUI's card for S1: relabel 0.10, kitting 0.50 per unit, surcharge 5.5 %."""
    catalog(ctx)
    day = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    body = {"warehouse": "DE-DUI", "seller": "S1", "currency": "EUR", "effective_from": day,
            "surcharge_pct": "5.5",
            "storage": {"basis": "m3", "tiers": [{"from_day": 0, "to_day": None, "rate": "0.45"}]},
            "inbound": {"basis": "unit", "rate": "0.30"},
            "outbound": {"breaks": [{"max_weight_g": None, "per_order": "2.50",
                                     "per_extra_unit": "0.40"}]},
            "returns": {"per_unit": "0.80"},
            "services": {"relabel": "0.10", "kitting": "0.50"}}
    return ctx.api.post("/v1/rate-cards", body, key="admin", expect=201).json


def skus(ctx, n=2, qty=50, wh="DE-DUI", seller="S1"):
    out = []
    for i in range(n):
        sku = "TR-" + rand_suffix(6).upper()
        mk_sku(ctx, seller, sku, dims=[200, 150, 100], weight=500 + 100 * i)
        out.append(sku)
    stock(ctx, seller, wh, [(s, qty) for s in out])
    return out


def fba_body(lines, **over):
    b = {"warehouse": "DE-DUI", "destination": {"type": "fba", "address": dict(FBA_ADDR)},
         "shipment_id": shipment_id(),
         "lines": [{"sku": s, "qty": n, "fnsku": fnsku()} for s, n in lines]}
    b.update(over)
    return b


def decode_pdf(pdf_bytes):
    """pdftoppm (poppler) at 300 dpi, then zbarimg on every page: (symbology, data) per page."""
    for tool in ("pdftoppm", "zbarimg"):
        check(shutil.which(tool), "%s is not installed (bash scripts/deps.sh test)" % tool)
    d = tempfile.mkdtemp(prefix="tr-label-")
    try:
        pdf = os.path.join(d, "l.pdf")
        with open(pdf, "wb") as f:
            f.write(pdf_bytes)
        subprocess.run(["pdftoppm", "-r", "300", "-png", pdf, os.path.join(d, "p")], check=True,
                       timeout=120)
        pages = []
        for png in sorted(x for x in os.listdir(d) if x.endswith(".png")):
            out = subprocess.run(["zbarimg", "-q", os.path.join(d, png)], capture_output=True,
                                 timeout=60, text=True)
            pages.append([line.split(":", 1) for line in out.stdout.splitlines() if ":" in line])
        return pages
    finally:
        shutil.rmtree(d, ignore_errors=True)


def transfers_count(ctx):
    return len(list_all(ctx.api, "/v1/transfers"))


@test
def test_fba_flow(ctx):
    card(ctx)
    api = ctx.api
    a, b = skus(ctx)
    body = fba_body([(a, 30), (b, 12)], services=[{"service": "relabel", "units": 42}])
    r = api.post("/v1/transfers", body, key="s1", expect=201)
    t = r.json
    eq((t["status"], t["seller"], t["destination"]["type"], t["destination"]["country"]),
       ("open", "S1", "fba", "DE"), "created open", r)
    eq([(x["sku"], x["qty"]) for x in t["lines"]], [(a, 30), (b, 12)], "lines", r)
    eq(t["lines"][0]["fnsku"], body["lines"][0]["fnsku"], "fnsku kept", r)
    eq([(w["service"], w["units"], w["status"]) for w in t["work_orders"]],
       [("relabel", 42, "open")], "the work order", r)
    expect_inv(ctx, "S1", "DE-DUI", a, on_hand=50, allocated=30)
    tid = t["id"]
    # the proposal: all units in cartons of 600x400x400, on 1200x800 pallets; nothing stored
    prop = {"carton": {"dims_mm": [600, 400, 400], "max_weight_g": 15000, "tare_g": 300},
            "pallet": {"dims_mm": [1200, 800, 1500]}}
    r = api.post("/v1/transfers/%s/cartons" % seg(tid), prop, key="op", expect=200)
    p = r.json
    eq(p["units"], 42, "every unit packed", r)
    per = {}
    for c in p["cartons"]:
        check(c["weight_g"] <= 15000, "carton within its weight", r)
        for it in c["items"]:
            per[it["sku"]] = per.get(it["sku"], 0) + it["qty"]
    eq(per, {a: 30, b: 12}, "the cartons hold exactly the lines", r)
    eq(p["weight_g"], sum(c["weight_g"] for c in p["cartons"]), "weight total", r)
    eq(p["weight_g"], 30 * 500 + 12 * 600 + 300 * p["carton_count"], "weight of units + tare", r)
    check(p["pallet_count"] >= 1, "pallets proposed", r)
    eq(sum(x["cartons"] for x in p["pallets"]), p["carton_count"], "every carton on a pallet", r)
    eq(api.get("/v1/transfers/%s" % seg(tid), key="s1").json["cartons"], [], "nothing stored")
    # pallets need a GS1 prefix
    problem(api.post("/v1/transfers/%s/cartons" % seg(tid), dict(prop, record=True), key="op"),
            400, "gs1_prefix")
    r = api.post("/v1/transfers/%s/cartons" % seg(tid),
                 dict(prop, record=True, gs1_prefix="4012345"), key="op", expect=201)
    t = r.json
    eq(t["status"], "packed", "packed", r)
    ship = t["shipment_id"]
    eq([c["carton_id"] for c in t["cartons"]],
       ["%sU%06d" % (ship, i + 1) for i in range(len(t["cartons"]))], "FBA carton ids", r)
    for pl in t["pallets"]:
        s = pl["sscc"]
        check(len(s) == 18 and s.isdigit() and s.startswith("04012345"), "SSCC form %r" % s, r)
        eq(int(s[17]), gs1_check(s[:17]), "SSCC check digit", r)
    # the labels, decoded by an independent reader
    r = api.get("/v1/transfers/%s/labels.pdf" % seg(tid), key="s1")
    eq((r.status, r.ctype), (200, "application/pdf"), "labels PDF", r)
    pages = decode_pdf(r.body)
    eq(len(pages), len(t["cartons"]) + len(t["pallets"]), "a page per carton and pallet")
    for i, c in enumerate(t["cartons"]):
        eq([d for _, d in pages[i]], [c["carton_id"]], "carton %d decoded" % (i + 1))
        check(pages[i][0][0].startswith("CODE-128"), "Code 128: %r" % pages[i])
    for j, pl in enumerate(t["pallets"]):
        got = [d for _, d in pages[len(t["cartons"]) + j]]
        check(got in (["00" + pl["sscc"]], ["]C100" + pl["sscc"]]), "pallet SSCC decoded %r" % got)
    # shipping waits for the work order and needs the LTL booking
    problem(api.post("/v1/transfers/%s/ship" % seg(tid), {"freight_ref": "LTL-1"}, key="op"),
            409, "work_orders")
    wo = t["work_orders"][0]["id"]
    problem(api.post("/v1/transfers/%s/work-orders/%s/complete" % (seg(tid), seg(wo)), {},
                     key="s1"), (403, 404))
    r = api.post("/v1/transfers/%s/work-orders/%s/complete" % (seg(tid), seg(wo)), {}, key="op",
                 expect=200)
    # 42 x 0.10 = 4.20, surcharge 5.5 % = 0.231 -> 0.23: 4.43
    eq((r.json["status"], r.json["charge"]), ("done", {"amount": "4.43", "currency": "EUR"}),
       "charged when done", r)
    problem(api.post("/v1/transfers/%s/work-orders/%s/complete" % (seg(tid), seg(wo)), {},
                     key="op"), 409, "status")
    ch = items_of(api.get(q("/v1/charges", seller="S1", kind="service", limit=1000), key="s1",
                          expect=200))
    check(any(c.get("cause", {}).get("id") == wo or c.get("cause_id") == wo for c in ch),
          "the charge is booked for the work order: %r" % ch[-3:])
    problem(api.post("/v1/transfers/%s/ship" % seg(tid), {}, key="op"), 400, "freight_ref")
    hook = api.post("/v1/webhooks", {"url": "http://127.0.0.1:9/transfers",
                                     "events": ["transfer.shipped"]}, key="s1", expect=201).json
    r = api.post("/v1/transfers/%s/ship" % seg(tid), {"freight_ref": "LTL-DE-778812"}, key="op",
                 expect=200)
    eq((r.json["status"], r.json["freight_ref"]), ("shipped", "LTL-DE-778812"), "shipped", r)
    expect_inv(ctx, "S1", "DE-DUI", a, on_hand=20, allocated=0)
    ds = items_of(api.get("/v1/webhooks/%s/deliveries" % seg(hook["id"]), key="s1", expect=200))
    eq([(d["type"], d["data"]["subject"]) for d in ds], [("transfer.shipped", tid)],
       "transfer.shipped in the outbox")
    expect_inv(ctx, "S1", "DE-DUI", b, on_hand=38, allocated=0)
    problem(api.post("/v1/transfers/%s/ship" % seg(tid), {"freight_ref": "X"}, key="op"), 409,
            "status")
    problem(api.post("/v1/transfers/%s/cancel" % seg(tid), {}, key="s1"), 409, "status")


@test
def test_to_haicang_warehouse_and_by_hand(ctx):
    catalog(ctx)
    api = ctx.api
    a, = skus(ctx, n=1, qty=10)
    body = {"warehouse": "DE-DUI", "destination": {"type": "haicang", "warehouse": "NL-VEN"},
            "lines": [{"sku": a, "qty": 6}], "freight_ref": "LTL-NL-1"}
    t = api.post("/v1/transfers", body, key="s1", expect=201).json
    eq((t["destination"]["warehouse"], t["destination"]["country"], t["shipment_id"]),
       ("NL-VEN", "NL", t["id"]), "to Venlo", t)
    cartons = {"cartons": [{"dims_mm": [400, 300, 300], "weight_g": 2000,
                            "items": [{"sku": a, "qty": 4}]},
                           {"dims_mm": [400, 300, 300], "weight_g": 1200,
                            "items": [{"sku": a, "qty": 3}]}]}
    problem(api.post("/v1/transfers/%s/cartons" % seg(t["id"]), cartons, key="op"), 400,
            "cartons[1].items[0].qty")
    cartons["cartons"][1]["items"][0]["qty"] = 2
    r = api.post("/v1/transfers/%s/cartons" % seg(t["id"]), cartons, key="op", expect=201)
    eq([c["carton_id"] for c in r.json["cartons"]], ["%s-001" % t["id"], "%s-002" % t["id"]],
       "carton ids", r)
    r = api.post("/v1/transfers/%s/ship" % seg(t["id"]), {}, key="op", expect=200)
    ib = r.json["inbound"]
    check(ib, "an expected inbound at the destination", r)
    got = api.get("/v1/inbounds/%s" % seg(ib), key="admin", expect=200).json
    eq((got["warehouse"], got["reference"], [(x["sku"], x["expected"]) for x in got["lines"]]),
       ("NL-VEN", t["id"], [(a, 6)]), "the inbound expected there", got)
    expect_inv(ctx, "S1", "DE-DUI", a, on_hand=4, allocated=0)
    # on its way the shipped transfer counts in Venlo's in_transit
    expect_inv(ctx, "S1", "NL-VEN", a, on_hand=0, in_transit=6)
    place = "transfer/%s" % t["id"]
    # more than the transfer holds: 409 naming the line, nothing booked
    problem(api.post("/v1/inbounds/%s/receipts" % seg(ib), {"lines": [{"sku": a, "qty": 7}]},
                     key="admin"), 409, "lines[0].qty")
    api.post("/v1/inbounds/%s/receipts" % seg(ib), {"lines": [{"sku": a, "qty": 6}]},
             key="admin", expect=200)
    js = journal(ctx, ib)
    moves = [(j["sku"], j["qty"], j["from"], j["to"]) for j in js]
    eq(moves, [(a, 6, place, "wh/NL-VEN/RECEIVING")],
       "the receipt books the goods out of the transfer, none from origin", js)
    shipped = journal(ctx, t["id"])
    held = sum(j["qty"] * ((j["to"] == place) - (j["from"] == place))
               for j in shipped + js if j["sku"] == a)
    eq(held, 0, "transfer/<id> back to zero", shipped + js)
    expect_inv(ctx, "S1", "NL-VEN", a, on_hand=6, in_transit=0)


@test
def test_closed_short_writes_off_the_rest(ctx):
    """10 shipped to US-LAX, 7 received, the inbound closed: the 3 never received move from
    transfer/<id> to lost/transfer/<id> (ref: the inbound), US-LAX's in_transit drops to 0,
    the transfer shows shipped 10 / received 7 / lost 3 and the books verify. A second close
    is a 409 that changes nothing; another seller sees neither."""
    catalog(ctx)
    api = ctx.api
    a, b = skus(ctx, n=2, qty=20)
    body = {"warehouse": "DE-DUI", "destination": {"type": "haicang", "warehouse": "US-LAX"},
            "lines": [{"sku": a, "qty": 10}, {"sku": b, "qty": 4}], "freight_ref": "SEA-LAX-1"}
    t = api.post("/v1/transfers", body, key="s1", expect=201).json
    tid = t["id"]
    eq([(x["received"], x["in_transit"], x["lost"]) for x in t["lines"]], [(None,) * 3] * 2,
       "nothing shipped yet: no arrival figures", t)
    cartons = {"cartons": [{"dims_mm": [600, 400, 400], "weight_g": 9000,
                            "items": [{"sku": a, "qty": 10}, {"sku": b, "qty": 4}]}]}
    api.post("/v1/transfers/%s/cartons" % seg(tid), cartons, key="op", expect=201)
    ib = api.post("/v1/transfers/%s/ship" % seg(tid), {}, key="op", expect=200).json["inbound"]
    got = api.get("/v1/transfers/%s" % seg(tid), key="s1", expect=200).json
    eq([(x["qty"], x["received"], x["in_transit"], x["lost"]) for x in got["lines"]],
       [(10, 0, 10, 0), (4, 0, 4, 0)], "shipped: all in transit", got)
    expect_inv(ctx, "S1", "US-LAX", a, in_transit=10)
    api.post("/v1/inbounds/%s/receipts" % seg(ib),
             {"lines": [{"sku": a, "qty": 7}, {"sku": b, "qty": 4}]}, key="admin", expect=200)
    expect_inv(ctx, "S1", "US-LAX", a, on_hand=7, in_transit=3)
    # another seller can neither see nor close it
    problem(api.get("/v1/transfers/%s" % seg(tid), key="s2"), 404, "id")
    problem(api.get("/v1/inbounds/%s" % seg(ib), key="s2"), 404, "id")
    r = api.post("/v1/inbounds/%s/close" % seg(ib), {"reason": "3 cartons short"}, key="s2")
    check(r.status in (403, 404), "a seller cannot close an inbound", r)
    api.post("/v1/inbounds/%s/close" % seg(ib), {"reason": "3 units short"}, key="admin",
             expect=200)
    place, lost = "transfer/%s" % tid, "lost/transfer/%s" % tid
    js = journal(ctx, ib)
    eq(sorted((j["sku"], j["qty"], j["from"], j["to"]) for j in js if j["to"] == lost),
       [(a, 3, place, lost)], "the 3 never received are written off, naming the inbound", js)
    expect_inv(ctx, "S1", "US-LAX", a, on_hand=7, in_transit=0)
    expect_inv(ctx, "S1", "US-LAX", b, on_hand=4, in_transit=0)
    got = api.get("/v1/transfers/%s" % seg(tid), key="s1", expect=200).json
    want = [(a, 10, 7, 0, 3), (b, 4, 4, 0, 0)]
    eq([(x["sku"], x["qty"], x["received"], x["in_transit"], x["lost"]) for x in got["lines"]],
       want, "shipped / received / lost per SKU", got)
    listed = [x for x in list_all(api, "/v1/transfers", key="s1") if x["id"] == tid]
    eq([(x["sku"], x["qty"], x["received"], x["in_transit"], x["lost"])
        for x in listed[0]["lines"]], want, "the list shows it too", listed)
    check(tid not in [x["id"] for x in list_all(api, "/v1/transfers", key="s2")],
          "not listed for another seller")
    # closing again: 409, nothing written
    problem(api.post("/v1/inbounds/%s/close" % seg(ib), {}, key="admin"), 409, "status")
    eq(len(journal(ctx, ib)), len(js), "a second close books nothing")
    again = api.get("/v1/transfers/%s" % seg(tid), key="s1", expect=200).json
    eq(again["lines"], got["lines"], "a second close changes nothing", again)
    expect_inv(ctx, "S1", "US-LAX", a, on_hand=7, in_transit=0)
    rc, out, err = run_cli(ctx.binary, ["verify", "--db", ctx.db], check_rc=False, timeout=300)
    eq(rc, 0, "haicang verify: %s%s" % (out[-2000:], err[-2000:]))


@test
def test_closed_with_nothing_received(ctx):
    """An inbound closed before any receipt writes off everything shipped."""
    catalog(ctx)
    api = ctx.api
    a, = skus(ctx, n=1, qty=5)
    body = {"warehouse": "DE-DUI", "destination": {"type": "haicang", "warehouse": "US-LAX"},
            "lines": [{"sku": a, "qty": 5}], "freight_ref": "SEA-LAX-2"}
    t = api.post("/v1/transfers", body, key="s1", expect=201).json
    api.post("/v1/transfers/%s/cartons" % seg(t["id"]),
             {"cartons": [{"dims_mm": [400, 300, 300], "weight_g": 3000,
                           "items": [{"sku": a, "qty": 5}]}]}, key="op", expect=201)
    ib = api.post("/v1/transfers/%s/ship" % seg(t["id"]), {}, key="op", expect=200).json["inbound"]
    api.post("/v1/inbounds/%s/close" % seg(ib), {}, key="admin", expect=200)
    got = api.get("/v1/transfers/%s" % seg(t["id"]), key="s1", expect=200).json
    eq([(x["received"], x["in_transit"], x["lost"]) for x in got["lines"]], [(0, 0, 5)],
       "all 5 lost", got)
    expect_inv(ctx, "S1", "US-LAX", a, on_hand=0, in_transit=0)


def metric(ctx, name):
    r = ctx.api.get("/metrics", key=None, expect=200)
    m = re.search(r"^%s (\d+)$" % re.escape(name), r.body.decode(), re.M)
    check(m is not None, "/metrics lacks %s" % name, r)
    return int(m.group(1))


@test
def test_large_proposal_on_a_planner(ctx):
    """Over 50 lines the proposal runs on a planner thread: /healthz answers meanwhile."""
    catalog(ctx)
    api = ctx.api
    lines = skus(ctx, n=120, qty=40)
    t = api.post("/v1/transfers", fba_body([(s, 40) for s in lines]), key="s1", expect=201).json
    prop = {"carton": {"dims_mm": [600, 400, 400], "max_weight_g": 22000, "tare_g": 300},
            "pallet": {"dims_mm": [1200, 800, 1500]}}
    done0 = metric(ctx, "haicang_planner_completed_total")
    out = {}

    def propose():
        out["r"] = api.post("/v1/transfers/%s/cartons" % seg(t["id"]), prop, key="op", timeout=120)
    th = threading.Thread(target=propose)
    th.start()
    answered_meanwhile = 0
    while th.is_alive():
        if metric(ctx, "haicang_planner_running") >= 1:
            r = api.get("/healthz", key=None, timeout=30)
            eq(r.status, 200, "GET /healthz while the proposal runs", r)
            answered_meanwhile += th.is_alive()
        time.sleep(0.02)
    th.join()
    r = out.get("r")
    check(r is not None and r.status == 200, "the proposal: %r" % (r.describe() if r else None), r)
    eq(r.json["units"], 40 * len(lines), "every unit packed", r)
    per = {}
    for c in r.json["cartons"]:
        for it in c["items"]:
            per[it["sku"]] = per.get(it["sku"], 0) + it["qty"]
    eq(per, {s: 40 for s in lines}, "the cartons hold exactly the lines", r)
    eq(metric(ctx, "haicang_planner_completed_total") - done0, 1, "it ran on a planner")
    check(answered_meanwhile >= 1, "no /healthz was answered while the proposal ran")
    # recorded through the writer from the planner thread
    r = api.post("/v1/transfers/%s/cartons" % seg(t["id"]), dict(prop, record=True,
                 gs1_prefix="4012345"), key="op", timeout=120, expect=201)
    eq((r.json["status"], sum(it["qty"] for c in r.json["cartons"] for it in c["items"])),
       ("packed", 40 * len(lines)), "recorded", r)


@test
def test_bad_input_stores_nothing(ctx):
    catalog(ctx)
    api = ctx.api
    a, = skus(ctx, n=1, qty=5)
    before = transfers_count(ctx)
    ok = fba_body([(a, 2)])
    cases = []
    b = fba_body([(a, 2)])
    del b["lines"][0]["fnsku"]
    cases.append((b, 400, "lines[0].fnsku"))
    b = fba_body([(a, 2)])
    b["lines"][0]["fnsku"] = "Y001234567"
    cases.append((b, 400, "lines[0].fnsku"))
    cases.append((dict(ok, shipment_id="FBA1"), 400, "shipment_id"))
    cases.append((dict(ok, colour="red"), 400, "colour"))
    cases.append((dict(ok, lines=[{"sku": "NOPE", "qty": 1, "fnsku": fnsku()}]), 400,
                  "lines[0].sku"))
    cases.append((dict(ok, lines=[{"sku": a, "qty": 6, "fnsku": fnsku()}]), 409, "lines[0].qty"))
    cases.append((dict(ok, lines=[{"sku": a, "qty": 0, "fnsku": fnsku()}]), 400, "lines[0].qty"))
    cases.append((dict(ok, lines=[]), 400, "lines"))
    cases.append((dict(ok, destination={"type": "ship"}), 400, "destination.type"))
    cases.append((dict(ok, destination={"type": "wfs", "address": {"name": "x", "line1": "y",
                                                                  "city": "z", "postcode": "1",
                                                                  "country": "XX"}}),
                  400, "destination.address.country"))
    cases.append((dict(ok, destination={"type": "haicang", "warehouse": "DE-DUI"}), 400,
                  "destination.warehouse"))
    cases.append((dict(ok, services=[{"service": "paint", "units": 1}]), 400,
                  "services[0].service"))
    cases.append((dict(ok, warehouse="XX-NOPE"), (400, 404), "warehouse"))
    for body, status, field in cases:
        problem(api.post("/v1/transfers", body, key="s1"), status, field)
    problem(api.post("/v1/transfers", dict(ok, seller="S2"), key="s1"), 404, "seller")
    eq(transfers_count(ctx), before, "nothing stored")
    expect_inv(ctx, "S1", "DE-DUI", a, allocated=0)
    problem(api.get(q("/v1/transfers", colour="red"), key="s1"), 400, "colour")
    problem(api.get(q("/v1/transfers", status="lost"), key="s1"), 400, "status")
    t = api.post("/v1/transfers", ok, key="s1", expect=201).json
    problem(api.post("/v1/transfers/%s/cartons" % seg(t["id"]),
                     {"carton": {"dims_mm": [50, 50, 50]}}, key="op"), 400, "carton.dims_mm")
    problem(api.post("/v1/transfers/%s/cartons" % seg(t["id"]),
                     {"carton": {"dims_mm": [600, 400, 400], "max_weight_g": 300}}, key="op"),
            400, "carton.max_weight_g")
    problem(api.post("/v1/transfers/%s/ship" % seg(t["id"]), {"freight_ref": "A"}, key="op"),
            409, "status")
    problem(api.post("/v1/transfers/%s/work-orders" % seg(t["id"]),
                     {"service": "relabel", "units": 0}, key="s1"), 400, "units")
    problem(api.get("/v1/transfers/%s/labels.pdf" % seg(t["id"]), key="s1"), 409, "cartons")
    r = api.post("/v1/transfers/%s/cancel" % seg(t["id"]), {}, key="s1", expect=200)
    eq(r.json["status"], "cancelled", "cancelled", r)
    expect_inv(ctx, "S1", "DE-DUI", a, allocated=0)


@test
def test_compliance_hold_and_release(ctx):
    catalog(ctx)
    api = ctx.api
    cat = "trf" + rand_suffix(6).lower()
    a, = skus(ctx, n=1, qty=5)
    api.call("PUT", "/v1/skus/S1/%s/compliance" % seg(a), body={"category": cat}, key="admin",
             expect=200)
    api.post("/v1/compliance/rules", {"market": "EU", "category": cat,
                                      "requirement": "gpsr_operator",
                                      "effective_from": "2024-12-13", "source": "test"},
             key="admin", expect=201)
    t = api.post("/v1/transfers", fba_body([(a, 2)]), key="s1", expect=201).json
    eq((t["status"], t["hold_reason"], t["missing"]),
       ("on_hold", "compliance", ["skus[%s].eu.gpsr_operator" % a]), "held, missing named", t)
    problem(api.post("/v1/transfers/%s/cartons" % seg(t["id"]),
                     {"carton": {"dims_mm": [600, 400, 400]}, "record": True}, key="op"),
            409, "status")
    # to the US the EU rule does not apply
    us = fba_body([(a, 1)], destination={"type": "fba", "address": dict(
        FBA_ADDR, country="US", postcode="92374", city="Redlands")})
    eq(api.post("/v1/transfers", us, key="s1", expect=201).json["status"], "open", "US: open")
    r = api.call("PUT", "/v1/skus/S1/%s/compliance" % seg(a),
                 body={"category": cat, "gpsr_operator": GPSR_DE}, key="s1", expect=200)
    check(r.json.get("released", 0) >= 1, "released by the completed data", r)
    g = api.get("/v1/transfers/%s" % seg(t["id"]), key="s1", expect=200).json
    eq((g["status"], g["hold_reason"], g["missing"]), ("open", None, []), "released", g)


def holds_all(ctx, key="admin", limit=2, **params):
    return list_all(ctx.api, "/v1/compliance/holds", key=key, limit=limit, **params)


@test
def test_held_transfer_in_holds_list(ctx):
    """A held transfer is listed by GET /v1/compliance/holds beside held orders and
    inbounds (kind transfer, its market and missing items), paged across kinds in
    held_at order, scoped to the seller and to the operator's warehouse, and
    leaves the list when released or cancelled."""
    catalog(ctx)
    api = ctx.api
    cat = "trh" + rand_suffix(6).lower()
    a, b = skus(ctx, n=2, qty=5)
    for s in (a, b):
        api.call("PUT", "/v1/skus/S1/%s/compliance" % seg(s), body={"category": cat},
                 key="admin", expect=200)
    api.post("/v1/compliance/rules", {"market": "EU", "category": cat,
                                      "requirement": "gpsr_operator",
                                      "effective_from": "2024-12-13", "source": "test"},
             key="admin", expect=201)
    o = api.post("/v1/orders", order_body("S1", [(a, 1)], "DE"), key="s1", expect=201).json
    ib = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI",
                                   "reference": "ASN-" + rand_suffix(8),
                                   "lines": [{"sku": a, "qty": 3}]}, key="s1", expect=201).json
    t = api.post("/v1/transfers", fba_body([(a, 1)]), key="s1", expect=201).json
    t2 = api.post("/v1/transfers", fba_body([(b, 1)]), key="s1", expect=201).json
    eq([x["status"] for x in (o, ib, t, t2)], ["on_hold"] * 4, "all four held")
    mine = {o["id"], ib["id"], t["id"], t2["id"]}
    listed = [h for h in holds_all(ctx) if h["id"] in mine]
    eq(sorted(h["kind"] for h in listed), ["inbound", "order", "transfer", "transfer"],
       "every kind listed once, paging two at a time", listed)
    keys = [(h["held_at"], h["kind"], h["id"]) for h in holds_all(ctx)]
    eq(keys, sorted(keys), "oldest first across kinds")
    h = next(x for x in listed if x["id"] == t["id"])
    eq((h["kind"], h["seller"], h["market"], h["reason"], h["missing"]),
       ("transfer", "S1", "DE", "compliance", ["skus[%s].eu.gpsr_operator" % a]), "the row", h)
    # scopes: the seller's own, the operator's warehouse, nobody else's
    check(t["id"] in [x["id"] for x in holds_all(ctx, key="s1")], "the seller sees it")
    check(t["id"] not in [x["id"] for x in holds_all(ctx, key="s2")], "not another seller")
    check(t["id"] in [x["id"] for x in holds_all(ctx, key="op")], "DE-DUI's operator sees it")
    check(t["id"] in [x["id"] for x in holds_all(ctx, warehouse="DE-DUI")], "warehouse filter")
    check(t["id"] not in [x["id"] for x in holds_all(ctx, warehouse="US-LAX")],
          "not another warehouse's")
    problem(api.get(q("/v1/compliance/holds", cursor="nope"), key="admin"), 400, "cursor")
    problem(api.get(q("/v1/compliance/holds", cursor="1/order/"), key="admin"), 400, "cursor")
    # cancelled: gone from the list; completed data releases the rest
    api.post("/v1/transfers/%s/cancel" % seg(t2["id"]), {}, key="s1", expect=200)
    check(t2["id"] not in [x["id"] for x in holds_all(ctx, limit=100)], "cancelled: not held")
    for s in (a, b):
        api.call("PUT", "/v1/skus/S1/%s/compliance" % seg(s),
                 body={"category": cat, "gpsr_operator": GPSR_DE}, key="s1", expect=200)
    eq([x for x in holds_all(ctx, limit=100) if x["id"] in mine], [], "released: none listed")
    eq(api.get("/v1/transfers/%s" % seg(t["id"]), key="s1", expect=200).json["status"], "open",
       "the transfer is open")


@test
def test_tenancy(ctx):
    catalog(ctx)
    api = ctx.api
    a, = skus(ctx, n=1, qty=5)
    t = api.post("/v1/transfers", fba_body([(a, 1)]), key="s1", expect=201).json
    problem(api.get("/v1/transfers/%s" % seg(t["id"]), key="s2"), 404, "id")
    problem(api.post("/v1/transfers/%s/cancel" % seg(t["id"]), {}, key="s2"), 404, "id")
    problem(api.get("/v1/transfers/%s/labels.pdf" % seg(t["id"]), key="s2"), 404, "id")
    check(all(x["seller"] == "S2" for x in items_of(api.get("/v1/transfers", key="s2"))),
          "S2 lists only its own")
    check(t["id"] in [x["id"] for x in list_all(api, "/v1/transfers", key="op")],
          "the operator of DE-DUI sees it")
    eq(items_of(api.get(q("/v1/transfers", seller="S1"), key="s2")), [], "not another's")
    b, = skus(ctx, n=1, qty=5, wh="US-LAX")
    us = fba_body([(b, 1)], warehouse="US-LAX", destination={"type": "fba", "address": dict(
        FBA_ADDR, country="US", postcode="92374", city="Redlands")})
    tu = api.post("/v1/transfers", us, key="s1", expect=201).json
    problem(api.get("/v1/transfers/%s" % seg(tu["id"]), key="op"), 404, "id")
    check(tu["id"] not in [x["id"] for x in list_all(api, "/v1/transfers", key="op")],
          "not listed for DE-DUI's operator")
    problem(api.post("/v1/transfers", dict(us, seller="S1"), key="op"), 404, "warehouse")


@test
def test_openapi_lists_routes(ctx):
    r = ctx.api.get("/v1/openapi.json", expect=200)
    for p in ("/v1/transfers", "/v1/transfers/{id}", "/v1/transfers/{id}/cartons",
              "/v1/transfers/{id}/labels.pdf", "/v1/transfers/{id}/work-orders",
              "/v1/transfers/{id}/work-orders/{wo}/complete", "/v1/transfers/{id}/ship",
              "/v1/transfers/{id}/cancel"):
        check(p in r.json["paths"], "OpenAPI lacks %s" % p, r)


sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""Black-box HTTP tests of head-haul shipments (issue 9).

Starts the real `haicang serve` on a temporary database with a customs
directory and an SM2 signing key (as test_customs.py does), then walks one
leg: inbounds of two sellers announced, declared as 9810 lists, a rail
shipment Zhengzhou -> Duisburg booked with a shared container, a second
container linked to a bill of lading (CEB607), the inspect-before-load gate,
customs receipts releasing the lists, departure (goods in transit), arrival
(at the dock), receipt from the dock (more than left refused) and putaway;
the inventory buckets at every step; tenancy of a shared container; every
bad input of the issue as a 4xx naming the field with nothing stored.
Ends with `haicang verify` and one line `N passed, N failed`.

    python3 tests/api/test_shipments.py --bin build/src/cli/haicang [--db sqlite|mariadb|mysql://...]

Standard library only; uses tests/api/common.py.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, customs_env, eq, problem, q, rand_suffix, run_cli,  # noqa: E402
                    run_server_suite, seg)

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, api, workdir, binary, db):
        self.api = api
        self.workdir = workdir
        self.binary = binary
        self.db = db
        self.s = {}


def iso6346(prefix10):
    """ISO 6346 check digit, written independently of the C code."""
    vals, v = {}, 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v % 11 == 0:
            v += 1
        vals[ch] = v
        v += 1
    total = sum((vals[c] if c.isalpha() else int(c)) * (2 ** i) for i, c in enumerate(prefix10))
    return prefix10 + str(total % 11 % 10)


def wrong_digit(number):
    return number[:10] + str((int(number[10]) + 1) % 10)


def r604(cop, invt, status, time, info):
    return ("<ceb:InventoryReturn><ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>"
            "<ceb:copNo>%s</ceb:copNo><ceb:preNo>P20260315000000001</ceb:preNo>"
            "<ceb:invtNo>%s</ceb:invtNo><ceb:returnStatus>%d</ceb:returnStatus>"
            "<ceb:returnTime>%s</ceb:returnTime><ceb:returnInfo>%s</ceb:returnInfo>"
            "</ceb:InventoryReturn>" % (cop, invt, status, time, info))


def release(ctx, list_id, n):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<ceb:CEB604Message '
            'guid="311af125-6fed-4603-8c5d-49b1fa4b4b9b" version="1.0" '
            'xmlns:ceb="http://www.chinaport.gov.cn/ceb">%s</ceb:CEB604Message>'
            % r604(list_id, "46082026E%09d" % n, 800, "20260310120000000", "放行")).encode("utf-8")
    ctx.api.post("/v1/customs/receipts", raw=body, headers={"Content-Type": "application/xml"},
                 expect=200)


def inv(ctx, seller, wh, sku, key="admin"):
    r = ctx.api.get(q("/v1/inventory", seller=seller, warehouse=wh, sku=sku), key=key, expect=200)
    its = [i for i in r.json["items"] if i["sku"] == sku and i["warehouse"] == wh]
    if not its:
        return {"inbound_planned": 0, "in_transit": 0, "arrived": 0, "on_hand": 0,
                "allocated": 0, "available": 0}
    return its[0]


def buckets(ctx, seller, wh, sku, what, key="admin", **want):
    it = inv(ctx, seller, wh, sku, key=key)
    got = {k: it.get(k) for k in want}
    eq(got, want, "%s: inventory %s/%s/%s" % (what, seller, wh, sku))


def leg(frm="CNZZU", to="DEDUI", etd="2026-12-01T08:00:00Z", eta="2026-12-13T08:00:00Z", **kw):
    d = {"from": frm, "to": to, "carrier": "CR Express", "service": "X8003", "etd": etd, "eta": eta}
    d.update(kw)
    return d


def count_shipments(ctx):
    return len(ctx.api.get(q("/v1/shipments", limit=1000), expect=200).json["items"])


def inbound(ctx, seller, wh, sku, qty, key):
    return ctx.api.post("/v1/inbounds", {"seller": seller, "warehouse": wh,
                                         "reference": "PO-" + rand_suffix(6),
                                         "lines": [{"sku": sku, "qty": qty}]},
                        key=key, expect=201).json["id"]


def declare(ctx, inbound_id, key):
    return ctx.api.post("/v1/customs/lists", {"mode": "9810", "inbound": inbound_id}, key=key,
                        expect=201).json["id"]


# ------------------------------------------------------------------------ setup

@test
def setup_catalog(ctx):
    a = ctx.api
    for code in ("S1", "S2"):
        a.post("/v1/sellers", {"code": code, "name": "Seller " + code, "country": "CN",
                               "customs_code": "44039600" + code}, expect=201)
        for role, cc, name in (("ebp", "3301960ABC", "海仓平台"),
                               ("logistics", "3301980XYZ", "海仓物流"),
                               ("agent", "3301960AGT", "杭州海仓报关有限公司")):
            body = {"seller": code, "role": role, "code": cc, "name": name}
            if role == "agent":
                body["dxp_id"] = "DXPENT0000000001"
            a.post("/v1/customs/registrations", body, expect=201)
    for wh, country, city in (("DE-DUI", "DE", "Duisburg"), ("US-LAX", "US", "Los Angeles")):
        a.post("/v1/warehouses", {"code": wh, "name": city, "country": country,
                                  "address": {"line1": "1 Harbour", "city": city,
                                              "postcode": "47119", "country": country},
                                  "timezone": "UTC"}, expect=201)
        a.post("/v1/warehouses/%s/locations" % wh,
               {"locations": [{"code": "A-%02d-1" % b, "zone": "PICK", "dims_mm": [1200, 800, 1000],
                               "max_weight_g": 500000} for b in range(1, 9)]}, expect=201)
    for seller, sku, key in (("S1", "EAR-1", "s1"), ("S2", "CUP-1", "s2")):
        a.post("/v1/skus", {"seller": seller, "sku": sku, "name": "Item " + sku, "name_zh": "商品",
                            "hs_code": "8518300000", "declared_value": {"amount": "5.00",
                                                                         "currency": "USD"},
                            "origin_country": "CN", "dims_mm": [100, 80, 40], "weight_g": 150},
               key=key, expect=201)


# ------------------------------------------------------------------------ the whole leg

@test
def book(ctx):
    a = ctx.api
    s = ctx.s
    s["A"] = inbound(ctx, "S1", "DE-DUI", "EAR-1", 20, "s1")
    s["B"] = inbound(ctx, "S2", "DE-DUI", "CUP-1", 30, "s2")
    s["C1"] = iso6346("CSQU305438")
    eq(s["C1"], "CSQU3054383", "the standard's example check digit")
    s["C2"] = iso6346("MSKU123456")
    s["C3"] = iso6346("TGHU987654")
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "announced, no shipment", inbound_planned=0)
    r = a.post("/v1/shipments", {
        "mode": "rail", "warehouse": "DE-DUI", "site": "CNZZU-HUB", "reference": "X8003-1201",
        "legs": [leg()],
        "containers": [{"number": s["C1"], "size_type": "45G1", "seals": ["ZZ000123"],
                        "contents": [{"inbound": s["A"], "cartons": 4},
                                     {"inbound": s["B"], "cartons": 6}]}]},
        headers={"Idempotency-Key": "book-1"}, expect=201)
    sh = r.json
    s["shp"] = sh["id"]
    eq(sh["status"], "booked", "status")
    eq(sh["mode"], "rail", "mode")
    eq(sorted(sh["inbounds"]), sorted([s["A"], s["B"]]), "inbounds")
    eq(sh["containers"][0]["number"], s["C1"], "container")
    eq(sh["containers"][0]["cartons"], 10, "cartons")
    eq(sh["legs"][0]["eta_planned"], "2026-12-13T08:00:00.000Z", "eta")
    eq([m["kind"] for m in sh["milestones"]], ["booked"], "milestones")
    # the same key and body: the same answer, nothing booked twice
    r2 = a.post("/v1/shipments", {
        "mode": "rail", "warehouse": "DE-DUI", "site": "CNZZU-HUB", "reference": "X8003-1201",
        "legs": [leg()],
        "containers": [{"number": s["C1"], "size_type": "45G1", "seals": ["ZZ000123"],
                        "contents": [{"inbound": s["A"], "cartons": 4},
                                     {"inbound": s["B"], "cartons": 6}]}]},
        headers={"Idempotency-Key": "book-1"}, expect=201)
    eq(r2.json["id"], s["shp"], "idempotent booking")
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "booked", inbound_planned=20, in_transit=0, arrived=0,
            on_hand=0)
    buckets(ctx, "S2", "DE-DUI", "CUP-1", "booked", key="s2", inbound_planned=30, in_transit=0)


@test
def customs_and_containers(ctx):
    a = ctx.api
    s = ctx.s
    s["LA"] = declare(ctx, s["A"], "s1")
    s["LB"] = declare(ctx, s["B"], "s2")
    # a second container with a bill of lading: CEB607 links the lists it carries
    r = a.post("/v1/shipments/%s/containers" % seg(s["shp"]),
               {"number": s["C2"], "size_type": "22G1", "seals": ["ZZ000124", "ZZ000125"],
                "bill_no": "ZZDUI20261201", "contents": [{"inbound": s["A"], "cartons": 1}]},
               expect=201)
    c2 = [c for c in r.json["containers"] if c["number"] == s["C2"]][0]
    check(c2["bill_id"], "the CEB607 link is named", r)
    eq(c2["seals"], ["ZZ000124", "ZZ000125"], "seals")
    x = a.get(q("/v1/customs/lists/%s/xml" % seg(c2["bill_id"]), msg="CEB607"))
    eq(x.status, 200, "CEB607 stored", x)
    check(b"ZZDUI20261201" in x.body, "the bill number in CEB607", x)
    # departing before the containers are closed
    problem(a.post("/v1/shipments/%s/depart" % seg(s["shp"]), {}), 409, "containers")
    # inspect-before-load: declared, not released, not inspected: the gate holds
    r = problem(a.post("/v1/shipments/%s/containers/%s/close" % (seg(s["shp"]), s["C1"]), {}),
                409, "lists")
    check(s["LA"] in r["detail"] and s["LB"] in r["detail"],
          "every blocking list is named", r)
    release(ctx, s["LA"], 1)
    release(ctx, s["LB"], 2)
    r = a.post("/v1/shipments/%s/containers/%s/close" % (seg(s["shp"]), s["C1"]), {}, expect=200)
    eq([c["status"] for c in r.json["containers"] if c["number"] == s["C1"]], ["closed"], "closed")
    a.post("/v1/shipments/%s/containers/%s/close" % (seg(s["shp"]), s["C2"]), {}, expect=200)
    problem(a.post("/v1/shipments/%s/containers/%s/close" % (seg(s["shp"]), s["C2"]), {}),
            409, "number")


@test
def depart_arrive_receive(ctx):
    a = ctx.api
    s = ctx.s
    r = a.post("/v1/shipments/%s/depart" % seg(s["shp"]), {}, expect=200)
    eq(r.json["status"], "departed", "status")
    check(r.json["legs"][0]["atd"] is not None, "actual departure recorded", r)
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "departed", inbound_planned=0, in_transit=20, arrived=0)
    buckets(ctx, "S2", "DE-DUI", "CUP-1", "departed", inbound_planned=0, in_transit=30)
    problem(a.post("/v1/shipments/%s/depart" % seg(s["shp"]), {}), 409, "status")
    # nothing to receive while it is on the rails
    problem(a.post("/v1/inbounds/%s/receipts" % seg(s["A"]),
                   {"lines": [{"sku": "EAR-1", "qty": 1}]}), 409, "shipment")
    r = a.post("/v1/shipments/%s/arrive" % seg(s["shp"]), {}, expect=200)
    eq(r.json["status"], "arrived", "status")
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "arrived", in_transit=0, arrived=20, on_hand=0)
    # more than the shipment left at the dock: 409 naming the line, nothing stored
    problem(a.post("/v1/inbounds/%s/receipts" % seg(s["A"]),
                   {"lines": [{"sku": "EAR-1", "qty": 25}]}), 409, "lines[0].qty")
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "after the refused receipt", arrived=20, on_hand=0)
    a.post("/v1/inbounds/%s/receipts" % seg(s["A"]), {"lines": [{"sku": "EAR-1", "qty": 18}]},
           key="op", expect=200)
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "received 18", arrived=2, on_hand=18, available=18)
    a.post("/v1/inbounds/%s/putaway" % seg(s["A"]), {}, key="op", expect=200)
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "put away", arrived=2, on_hand=18)
    r = a.get("/v1/shipments/%s" % seg(s["shp"]), expect=200)
    g = [x for x in r.json["goods"] if x["sku"] == "EAR-1"][0]
    eq({k: g[k] for k in ("planned", "departed", "arrived", "received", "at_dock", "difference")},
       {"planned": 20, "departed": 20, "arrived": 20, "received": 18, "at_dock": 2,
        "difference": -2}, "short by 2, visible")
    # "received" only once every inbound is received or put away: A is short, B not received
    eq(r.json["status"], "arrived", "an arrived shipment with inbounds to receive")
    ids = [x["id"] for x in a.get(q("/v1/shipments", status="received"), expect=200).json["items"]]
    check(s["shp"] not in ids, "not listed as received", ids)
    ids = [x["id"] for x in a.get(q("/v1/shipments", status="arrived"), expect=200).json["items"]]
    check(s["shp"] in ids, "listed as arrived", ids)
    eq([m["kind"] for m in r.json["milestones"]],
       ["booked", "gated_out", "gated_out", "departed", "arrived"], "milestones")
    j = a.get(q("/v1/journal", ref=s["shp"]), expect=200).json["items"]
    eq(sorted({(p["from"].split("/")[0], p["to"].split("/")[0]) for p in j}),
       [("origin", "site"), ("site", "transit"), ("transit", "dock")], "the trip in the journal")


@test
def tenancy_of_a_shared_container(ctx):
    a = ctx.api
    s = ctx.s
    r = a.get("/v1/shipments/%s" % seg(s["shp"]), key="s2", expect=200)
    eq([c["number"] for c in r.json["containers"]], [s["C1"]], "S2 sees only its container")
    eq([(x["seller"], x["inbound"]) for x in r.json["containers"][0]["contents"]],
       [("S2", s["B"])], "and only its cartons")
    eq({x["seller"] for x in r.json["goods"]}, {"S2"}, "and only its goods")
    eq(r.json["inbounds"], [s["B"]], "and only its inbounds")
    ids = [x["id"] for x in a.get("/v1/shipments", key="s2", expect=200).json["items"]]
    check(s["shp"] in ids, "S2 lists the shared shipment", None)
    # a shipment with S1's goods alone is not S2's
    c = inbound(ctx, "S1", "DE-DUI", "EAR-1", 5, "s1")
    r = a.post("/v1/shipments", {"mode": "air", "warehouse": "DE-DUI",
                                 "legs": [leg("CNCGO", "DEFRA", mode="air", carrier="CA",
                                              service="CA1041")],
                                 "loose": {"contents": [{"inbound": c, "cartons": 2}]}},
               key="s1", expect=201)
    s["air"], s["air_inbound"] = r.json["id"], c
    eq(r.json["containers"][0]["loose"], True, "loose cargo")
    problem(a.get("/v1/shipments/%s" % seg(s["air"]), key="s2"), 404, "id")
    ids = [x["id"] for x in a.get("/v1/shipments", key="s2", expect=200).json["items"]]
    check(s["air"] not in ids, "nor listed for S2", None)
    # S2 cannot ship S1's inbound
    problem(a.post("/v1/shipments", {"mode": "air", "warehouse": "DE-DUI", "legs": [leg(mode="air")],
                                     "loose": {"contents": [{"inbound": c, "cartons": 1}]}},
                   key="s2"), 400, "loose.contents[0].inbound")
    # the operator of DE-DUI sees both; filters
    eq({x["id"] for x in a.get(q("/v1/shipments", status="arrived"), key="op",
                               expect=200).json["items"]} >= {s["shp"]}, True, "status filter")
    eq(s["air"] in [x["id"] for x in a.get(q("/v1/shipments", mode="air"), expect=200).json["items"]],
       True, "mode filter")
    eq(s["shp"] in [x["id"] for x in a.get(q("/v1/shipments", mode="air"), expect=200).json["items"]],
       False, "mode filter excludes rail")


@test
def depart_with_unreleased_lists(ctx):
    a = ctx.api
    s = ctx.s
    lid = declare(ctx, s["air_inbound"], "s1")
    r = problem(a.post("/v1/shipments/%s/depart" % seg(s["air"]), {}), 409, "customs")
    check(lid in r["detail"], "the blocking list is named", None)
    buckets(ctx, "S1", "DE-DUI", "EAR-1", "not departed", in_transit=0, inbound_planned=5)
    eq(a.get("/v1/shipments/%s" % seg(s["air"]), expect=200).json["status"], "booked", "still booked")


@test
def bad_input(ctx):
    a = ctx.api
    s = ctx.s
    before = count_shipments(ctx)
    ib = inbound(ctx, "S1", "DE-DUI", "EAR-1", 3, "s1")

    def body(**over):
        b = {"mode": "sea", "warehouse": "DE-DUI",
             "legs": [leg("CNSHA", "DEHAM", carrier="COSCO", service="AEU3")],
             "containers": [{"number": s["C3"], "size_type": "42G1",
                             "contents": [{"inbound": ib, "cartons": 1}]}]}
        b.update(over)
        return b

    def box(**over):
        c = {"number": s["C3"], "size_type": "42G1", "contents": [{"inbound": ib, "cartons": 1}]}
        c.update(over)
        return [c]

    problem(a.post("/v1/shipments", body(containers=box(number=wrong_digit(s["C3"])))), 400,
            "containers[0].number")
    problem(a.post("/v1/shipments", body(containers=box(number="CSQ3054383"))), 400,
            "containers[0].number")
    problem(a.post("/v1/shipments", body(containers=box(size_type="99X9"))), 400,
            "containers[0].size_type")
    problem(a.post("/v1/shipments", body(legs=[leg("XXABC", "DEHAM")])), 400, "legs[0].from")
    problem(a.post("/v1/shipments", body(legs=[leg("CNSHA", "deham")])), 400, "legs[0].to")
    problem(a.post("/v1/shipments", body(legs=[leg("CNSHA", "DEHA1")])), 400, "legs[0].to")
    problem(a.post("/v1/shipments", body(legs=[leg("CNSHA", "DEHAM", etd="2026-12-10T00:00:00Z",
                                                   eta="2026-12-01T00:00:00Z")])), 400, "legs[0].eta")
    problem(a.post("/v1/shipments", body(legs=[leg(etd="soon")])), 400, "legs[0].etd")
    problem(a.post("/v1/shipments", body(mode="boat")), 400, "mode")
    problem(a.post("/v1/shipments", body(warehouse="XX-NONE")), 400, "warehouse")
    problem(a.post("/v1/shipments", body(containers=box(contents=[{"inbound": ib, "cartons": 0}]))),
            400, "containers[0].contents[0].cartons")
    problem(a.post("/v1/shipments", body(containers=box(contents=[{"inbound": "inb_0", "cartons": 1}]))),
            400, "containers[0].contents[0].inbound")
    problem(a.post("/v1/shipments", body(containers=box(loading_plan="lp_0"))), 400,
            "containers[0].loading_plan")
    problem(a.post("/v1/shipments", body(legs=[])), 400, "legs")
    # a container on an open shipment (C1 arrived; C3 booked here first)
    a.post("/v1/shipments", body(), expect=201)
    ib2 = inbound(ctx, "S1", "DE-DUI", "EAR-1", 2, "s1")
    problem(a.post("/v1/shipments", body(containers=box(contents=[{"inbound": ib2, "cartons": 1}]))),
            409, "containers[0].number")
    # an inbound already on a shipment
    problem(a.post("/v1/shipments", body(containers=box(number=iso6346("TGHU111111")))), 409,
            "containers[0].contents[0].inbound")
    # C1's shipment has arrived: it may travel again
    a.post("/v1/shipments", body(containers=box(number=s["C1"], contents=[{"inbound": ib2,
                                                                              "cartons": 1}])),
           expect=201)
    eq(count_shipments(ctx), before + 2, "only the two good bookings stored")
    problem(a.get(q("/v1/shipments", bogus="1")), 400, "bogus")
    problem(a.get(q("/v1/shipments", status="lost")), 400, "status")
    problem(a.get(q("/v1/shipments", cursor="zzz")), 400, "cursor")
    problem(a.get("/v1/shipments/shp_0"), 404, "id")
    problem(a.post("/v1/shipments/%s/arrive" % seg(s["air"]), {}), 409, "status")
    problem(a.post("/v1/shipments/%s/depart" % seg(s["air"]), {"at": "yesterday"}), 400, "at")
    problem(a.post("/v1/shipments/%s/depart" % seg(s["air"]), {}, key="s1"), 403)


@test
def arrivals(ctx):
    a = ctx.api
    r = a.get(q("/v1/warehouses/DE-DUI/arrivals", **{"from": "2026-11-30", "days": "21"}),
              expect=200)
    days = r.json["days"]
    eq(len(days), 21, "days")
    dec13 = [d for d in days if d["day"] == "2026-12-13"][0]
    check(dec13["shipments"] >= 2 and dec13["units"] >= 5, "due on 13 December: %r" % dec13, r)
    eq(ctx.s["shp"] in dec13["ids"], False, "an arrived shipment is not expected")
    r2 = a.get(q("/v1/warehouses/DE-DUI/arrivals", **{"from": "2026-11-30", "days": "21"}),
               key="s2", expect=200)
    eq(sum(d["shipments"] for d in r2.json["days"]), 0, "S2 has nothing on the way")
    problem(a.get(q("/v1/warehouses/DE-DUI/arrivals", days="0")), 400, "days")
    problem(a.get("/v1/warehouses/US-LAX/arrivals", key="op"), 404, "wh")
    problem(a.get("/v1/warehouses/NO-SUCH/arrivals"), 404, "wh")
    # the days listed stay four-digit years
    problem(a.get(q("/v1/warehouses/DE-DUI/arrivals", **{"from": "9999-12-01", "days": "366"})),
            400, "from")
    last = a.get(q("/v1/warehouses/DE-DUI/arrivals", **{"from": "9999-12-01", "days": "31"}),
                 expect=200).json["days"][-1]["day"]
    check(last == "9999-12-31", "the last day of 9999 is listed, got %r" % last)


@test
def openapi_lists_shipments(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None, expect=200)
    for p in ("/v1/shipments", "/v1/shipments/{id}/depart", "/v1/warehouses/{wh}/arrivals"):
        check(p in r.json["paths"], "%s in the OpenAPI document" % p, r)


@test
def verify_books(ctx):
    rc, out, err = run_cli(ctx.binary, ["verify", "--db", ctx.db], check_rc=False, timeout=300)
    eq(rc, 0, "haicang verify: %s%s" % (out[-2000:], err[-2000:]))


# ------------------------------------------------------------------------ main

def main():
    return run_server_suite(__doc__, TESTS, "shipments",
                            lambda api, server, binary, db, workdir: Ctx(api, workdir, binary, db),
                            env=lambda workdir: customs_env(workdir, "4608"))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""haicang API tests: waves, pick routes, pack, ship, deliver and cancel.

A wave takes the allocated orders of a warehouse and walks them on the
shortest route, grouped by location; pack, ship, deliver; steps out of order are 409;
cancel releases stock; max_orders splits waves.

    python3 tests/api/test_waves.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, note, problem, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, get_order, journal, LOCATIONS,  # noqa: E402
                      mk_sku, order_body, ship_body, stock, run_suite)

TESTS, test = collector()


WAVE_STOCK = {  # sku -> [(location, qty)] in NL-VEN
    "WV1": [("A-02-1", 10)],
    "WV2": [("C-08-1", 10)],
    "WV3": [("B-05-1", 10)],
    "WV4": [("D-01-1", 10), ("A-09-1", 10)],
}


NL_AISLE = {c["code"]: c["aisle"] for c in LOCATIONS["NL-VEN"]}


@test
def test_wave_pick_pack_ship_deliver(ctx):
    catalog(ctx)
    api = ctx.api
    for sku, places in WAVE_STOCK.items():
        mk_sku(ctx, "S1", sku)
        stock(ctx, "S1", "NL-VEN", [(sku, sum(n for _, n in places))],
              moves=[{"sku": sku, "qty": n, "location": loc} for loc, n in places])
    o1 = create_order(ctx, order_body("S1", [("WV1", 2), ("WV2", 1)], "NL"))
    o2 = create_order(ctx, order_body("S1", [("WV3", 3)], "NL"))
    o3 = create_order(ctx, order_body("S1", [("WV4", 12), ("WV1", 1)], "NL"))
    for o in (o1, o2, o3):
        eq((o.get("status"), o.get("warehouse")), ("allocated", "NL-VEN"), "order to NL with stock in NL-VEN")
    ids = [o1["id"], o2["id"], o3["id"]]

    r = api.post("/v1/waves", {"warehouse": "NL-VEN"}, expect=201)
    w = r.json
    for f in ("id", "orders", "picks", "route_length_mm"):
        check(f in w, "wave lacks %r" % f, r)
    check(set(ids) <= set(w["orders"]), "wave orders %r lack ours %r" % (w["orders"], ids), r)
    picks = w["picks"]
    check(isinstance(picks, list) and picks, "wave has no picks", r)
    for p in picks:
        for f in ("seq", "location", "sku", "qty", "order"):
            check(f in p, "pick lacks %r: %r" % (f, p), r)
    seqs = [p["seq"] for p in picks]
    check(len(set(seqs)) == len(seqs), "pick seq not unique: %r" % seqs, r)
    picks = sorted(picks, key=lambda p: p["seq"])
    if [p["seq"] for p in w["picks"]] != [p["seq"] for p in picks]:
        note("wave picks are not listed in seq order")
    # quantities: what the orders need, from where the stock is
    need = {}
    for o in (o1, o2, o3):
        for ln in o["lines"]:
            need[(o["id"], ln["sku"])] = need.get((o["id"], ln["sku"]), 0) + ln["qty"]
    got = {}
    for p in picks:
        if p["order"] in ids:
            got[(p["order"], p["sku"])] = got.get((p["order"], p["sku"]), 0) + p["qty"]
            places = [loc for loc, _ in WAVE_STOCK[p["sku"]]]
            check(p["location"] in places, "pick of %s from %r, stock is at %r" %
                  (p["sku"], p["location"], places), r)
    eq(got, need, "picked quantities per (order, sku)", r)
    # grouped by location: each location one contiguous run of the route
    locs = [p["location"] for p in picks]
    runs = [l for i, l in enumerate(locs) if i == 0 or locs[i - 1] != l]
    check(len(runs) == len(set(runs)), "picks not grouped by location: %r" % locs, r)
    # the default policy is the shortest walk, which may enter an aisle twice
    # (tests/api/test_routes.py checks its length against brute force)
    aisles = [NL_AISLE.get(l) for l in runs if l in NL_AISLE]
    arun = [a for i, a in enumerate(aisles) if i == 0 or aisles[i - 1] != a]
    eq(w.get("route_policy"), "optimal", "default route policy", r)
    check(isinstance(w["route_length_mm"], int) and w["route_length_mm"] > 0,
          "route_length_mm must be a positive integer: %r" % w["route_length_mm"], r)
    # aisles A..D at 3000 mm pitch: the walk spans at least from the first to the last aisle
    check(w["route_length_mm"] >= 3000 * (max(arun) - min(arun)),
          "route_length_mm %r shorter than the aisle span" % w["route_length_mm"], r)
    r = api.get("/v1/waves/%s" % seg(w["id"]), expect=200)
    eq(r.json.get("route_length_mm"), w["route_length_mm"], "GET wave route_length_mm", r)
    for oid in ids:
        o = get_order(ctx, oid)
        eq(o.get("status"), "picking", "order status after the wave")
        if o.get("wave") != w["id"]:
            note("order.wave %r != wave id %r" % (o.get("wave"), w["id"]))
    # a second wave finds nothing of ours
    r = api.post("/v1/waves", {"warehouse": "NL-VEN"})
    if r.status == 201:
        check(not set(ids) & set(r.json.get("orders", [])), "an order went into two waves", r)
    else:
        problem(r, what="wave with no allocated orders")

    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=10, allocated=3, available=7)
    # o1: pack, ship, deliver
    r = api.post("/v1/orders/%s/pack" % seg(o1["id"]), {}, expect=200)
    eq(r.json.get("status"), "packed", "status after pack", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=8, allocated=1, available=7)
    sb = ship_body("JJD0001234567")
    r = api.post("/v1/orders/%s/ship" % seg(o1["id"]), sb, expect=200)
    eq(r.json.get("status"), "shipped", "status after ship", r)
    eq((r.json.get("carrier"), r.json.get("tracking_no")), ("DHL", "JJD0001234567"), "carrier, tracking_no", r)
    r = api.post("/v1/orders/%s/deliver" % seg(o1["id"]), {}, expect=200)
    eq(r.json.get("status"), "delivered", "status after deliver", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=8, allocated=1, available=7)
    hist = [h.get("status") for h in get_order(ctx, o1["id"]).get("history", [])]
    if hist != ["allocated", "picking", "packed", "shipped", "delivered"]:
        note("order history after the full flow: %r" % hist)
    jr = journal(ctx, o1["id"])
    to_customer = sum(p["qty"] for p in jr if p["to"] == "customer")
    eq(to_customer, 3, "units posted to 'customer' for the delivered order")
    # deliver again / cancel delivered: 409
    r = api.post("/v1/orders/%s/cancel" % seg(o1["id"]), {})
    problem(r, 409, what="cancel a delivered order")

    # o2: cancel while picking releases stock
    r = api.post("/v1/orders/%s/cancel" % seg(o2["id"]), {}, expect=200)
    eq(r.json.get("status"), "cancelled", "cancel while picking", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV3", on_hand=10, allocated=0, available=10)

    # o3: pack, ship; then cancel → 409
    api.post("/v1/orders/%s/pack" % seg(o3["id"]), {}, expect=200)
    r = api.post("/v1/orders/%s/ship" % seg(o3["id"]), ship_body(), expect=200)
    eq(r.json.get("status"), "shipped", "o3 shipped", r)
    r = api.post("/v1/orders/%s/cancel" % seg(o3["id"]), {})
    problem(r, 409, what="cancel a shipped order")
    eq(get_order(ctx, o3["id"]).get("status"), "shipped", "status after the refused cancel")
    expect_inv(ctx, "S1", "NL-VEN", "WV4", on_hand=8, allocated=0, available=8)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=7, allocated=0, available=7)


@test
def test_order_state_conflicts(ctx):
    """Steps out of order answer 409 (or another 4xx), never 5xx, and change nothing."""
    catalog(ctx)
    mk_sku(ctx, "S1", "SC1")
    stock(ctx, "S1", "DE-DUI", [("SC1", 5)])
    o = create_order(ctx, order_body("S1", [("SC1", 1)], "DE"))
    oid = seg(o["id"])
    r = ctx.api.post("/v1/orders/%s/deliver" % oid, {})
    problem(r, what="deliver an allocated order")
    r = ctx.api.post("/v1/orders/%s/ship" % oid, ship_body())
    if r.status == 200:
        note("an allocated order (not packed) can be shipped")
    else:
        problem(r, what="ship an unpacked order")
        eq(get_order(ctx, o["id"]).get("status"), "allocated", "status after refused steps")
    r = ctx.api.post("/v1/orders/NO-SUCH-ORDER/cancel", {})
    problem(r, 404, what="cancel an unknown order")


@test
def test_cancel_allocated(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CX1")
    stock(ctx, "S1", "DE-DUI", [("CX1", 10)])
    o = create_order(ctx, order_body("S1", [("CX1", 4)], "DE"))
    eq(o.get("status"), "allocated", "order status")
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=4, available=6)
    r = ctx.api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, key="s1", expect=200)
    eq(r.json.get("status"), "cancelled", "status after cancel", r)
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=0, available=10)
    r = ctx.api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, key="s1")
    check(r.status in (200, 409), "cancel twice: 200 (idempotent) or 409 expected", r)
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=0, available=10)
    jr = journal(ctx, o["id"])
    check(len(jr) >= 2, "journal of a cancelled order should show allocate and release: %r" % jr)


@test
def test_wave_max_orders(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "WMX1")
    stock(ctx, "S1", "NL-VEN", [("WMX1", 10)])
    ids = [create_order(ctx, order_body("S1", [("WMX1", 1)], "NL"))["id"] for _ in range(3)]
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "max_orders": 2}, expect=201)
    eq(len(r.json.get("orders", [])), 2, "orders in a wave with max_orders 2", r)
    r2 = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "max_orders": 2}, expect=201)
    got = set(r.json["orders"]) | set(r2.json.get("orders", []))
    check(set(ids) <= got, "orders left out of two waves: %r" % (set(ids) - got))
    check(not set(r.json["orders"]) & set(r2.json["orders"]), "an order in two waves")
    for oid in ids:
        ctx.api.post("/v1/orders/%s/cancel" % seg(oid), {}, expect=200)
    expect_inv(ctx, "S1", "NL-VEN", "WMX1", on_hand=10, allocated=0, available=10)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

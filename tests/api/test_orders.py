#!/usr/bin/env python3
"""haicang API tests: orders: allocation, routing, backorders, idempotency, filters.

An order is allocated in the ship-to country's warehouse, the nearest, or
the one that can ship it complete; backordered when no warehouse can, and
allocated when stock arrives (in any warehouse); channel order ids and
Idempotency-Keys never book twice; list filters.

    python3 tests/api/test_orders.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, Fail, iso_utc, note, problem, q, rand_suffix, seg)  # noqa: E402
from fixtures import (collector, bad_sku, catalog, create_order, expect_inv, get_order, inv,  # noqa: E402
                      items_of, list_all, mk_sku, order_body, PICK_DIMS, PICK_MAX_G, stock,
                      wait_status, run_suite)

TESTS, test = collector()


@test
def test_order_allocated(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "ORD1")
    stock(ctx, "S1", "DE-DUI", [("ORD1", 20)])
    body = order_body("S1", [("ORD1", 3)], "DE")
    r = ctx.api.post("/v1/orders", body, key="s1", expect=201)
    o = r.json
    for f in ("id", "status", "warehouse", "seller", "channel", "channel_order_id", "ship_to", "lines"):
        check(f in o, "order lacks %r" % f, r)
    eq(o["status"], "allocated", "order status", r)
    eq(o["warehouse"], "DE-DUI", "order warehouse (ship_to DE, stock in DE-DUI)", r)
    eq(o["seller"], "S1", "order seller", r)
    eq(o["channel_order_id"], body["channel_order_id"], "channel_order_id", r)
    eq(o["lines"][0].get("sku"), "ORD1", "line sku", r)
    eq(o["lines"][0].get("qty"), 3, "line qty", r)
    eq(o["lines"][0].get("unit_price"), {"amount": "19.99", "currency": "EUR"}, "line unit_price", r)
    iso_utc(o.get("created_at"), "order created_at", r)
    expect_inv(ctx, "S1", "DE-DUI", "ORD1", on_hand=20, allocated=3, available=17)
    g = get_order(ctx, o["id"], key="s1")
    eq(g.get("status"), "allocated", "GET order status")
    eq(g.get("id"), o["id"], "GET order id")


@test
def test_order_channel_idempotent(ctx):
    """Same seller+channel+channel_order_id twice: one order, not two."""
    catalog(ctx)
    mk_sku(ctx, "S1", "ORD2")
    stock(ctx, "S1", "DE-DUI", [("ORD2", 10)])
    body = order_body("S1", [("ORD2", 4)], "DE", channel="amazon-de", coid="302-1234567-7654321")
    o1 = create_order(ctx, body)
    r = ctx.api.post("/v1/orders", body, key="s1", expect=(200, 201))
    eq(r.json.get("id"), o1["id"], "second POST of the same channel order returns the same id", r)
    expect_inv(ctx, "S1", "DE-DUI", "ORD2", on_hand=10, allocated=4, available=6)
    orders = list_all(ctx.api, "/v1/orders", key="s1", channel="amazon-de")
    eq(len([x for x in orders if x.get("channel_order_id") == body["channel_order_id"]]), 1,
       "orders with that channel_order_id")
    # same channel_order_id on another channel, or for another seller: a different order
    body2 = dict(body, channel="ebay-de")
    o2 = create_order(ctx, body2)
    check(o2["id"] != o1["id"], "another channel with the same channel_order_id must be another order")
    mk_sku(ctx, "S2", "ORD2")
    o3 = create_order(ctx, dict(body, seller="S2"), key="s2")
    check(o3["id"] not in (o1["id"], o2["id"]), "another seller's channel order must be another order")


@test
def test_idempotency_key(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "IDK1")
    stock(ctx, "S1", "DE-DUI", [("IDK1", 10)])
    key = "idk-" + rand_suffix(12)
    body = order_body("S1", [("IDK1", 2)], "DE")
    r1 = ctx.api.post("/v1/orders", body, key="s1", headers={"Idempotency-Key": key}, expect=201)
    r2 = ctx.api.post("/v1/orders", body, key="s1", headers={"Idempotency-Key": key})
    eq(r2.status, r1.status, "status of the retried request", r2)
    eq(r2.json, r1.json, "body of the retried request", r2)
    if r2.body != r1.body:
        note("Idempotency-Key retry: same JSON but not byte-identical body")
    expect_inv(ctx, "S1", "DE-DUI", "IDK1", allocated=2, available=8)
    # same key, another body: 422, nothing booked
    other = order_body("S1", [("IDK1", 5)], "DE")
    r3 = ctx.api.post("/v1/orders", other, key="s1", headers={"Idempotency-Key": key})
    problem(r3, 422, what="same Idempotency-Key, other body")
    expect_inv(ctx, "S1", "DE-DUI", "IDK1", allocated=2, available=8)
    orders = list_all(ctx.api, "/v1/orders", key="s1", channel="shop")
    check(not [x for x in orders if x.get("channel_order_id") == other["channel_order_id"]],
          "the 422 request created an order")


@test
def test_idempotency_key_scoped_to_caller(ctx):
    """S2 reusing S1's Idempotency-Key must not get S1's answer."""
    catalog(ctx)
    mk_sku(ctx, "S1", "IDS1")
    mk_sku(ctx, "S2", "IDS1")
    key = "shared-" + rand_suffix(12)
    b1 = order_body("S1", [("IDS1", 1)], "DE")
    r1 = ctx.api.post("/v1/orders", b1, key="s1", headers={"Idempotency-Key": key}, expect=201)
    b2 = order_body("S2", [("IDS1", 1)], "DE", coid=b1["channel_order_id"])
    r2 = ctx.api.post("/v1/orders", b2, key="s2", headers={"Idempotency-Key": key})
    check(r2.status == 201 or 400 <= r2.status < 500, "unexpected status", r2)
    if r2.status == 201:
        check(r2.json.get("id") != r1.json.get("id"), "S2 got S1's order back through a shared key", r2)
        eq(r2.json.get("seller"), "S2", "seller of S2's order", r2)
    else:
        note("S2 reusing an Idempotency-Key that S1 used gets %d (keys not scoped per caller)" % r2.status)


@test
def test_backorder_then_allocate(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BO1")
    stock(ctx, "S1", "DE-DUI", [("BO1", 5)])
    o = create_order(ctx, order_body("S1", [("BO1", 8)], "DE"))
    eq(o.get("status"), "backordered", "order for more than stock")
    it = inv(ctx, "S1", "DE-DUI", "BO1")
    check(it["available"] >= 0, "available went negative: %r" % it)
    o_small = create_order(ctx, order_body("S1", [("BO1", 2)], "DE"))
    if o_small.get("status") == "allocated":
        pass  # later small orders may take stock the backorder cannot use
    stock(ctx, "S1", "DE-DUI", [("BO1", 10)])
    o2 = wait_status(ctx, o["id"], "allocated")
    eq(o2.get("warehouse"), "DE-DUI", "warehouse of the allocated backorder")
    it = inv(ctx, "S1", "DE-DUI", "BO1")
    eq(it["on_hand"], 15, "BO1 on_hand")
    o_small = get_order(ctx, o_small["id"])
    eq(o_small.get("status"), "allocated", "the small order after stock arrived")
    eq(it["allocated"], 10, "BO1 allocated (8 + 2)")
    hist = [h.get("status") for h in o2.get("history", [])]
    if hist and hist[:2] != ["backordered", "allocated"]:
        note("order history of a backorder: %r" % hist)


@test
def test_backorder_cancel_then_stock(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BC1")
    o = create_order(ctx, order_body("S1", [("BC1", 3)], "DE"))
    eq(o.get("status"), "backordered", "order without any stock")
    r = ctx.api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, key="s1", expect=200)
    eq(r.json.get("status"), "cancelled", "cancelled backorder", r)
    stock(ctx, "S1", "DE-DUI", [("BC1", 5)])
    time.sleep(0.5)
    eq(get_order(ctx, o["id"]).get("status"), "cancelled", "a cancelled backorder stays cancelled")
    expect_inv(ctx, "S1", "DE-DUI", "BC1", on_hand=5, allocated=0, available=5)


@test
def test_routing_prefers_ship_to_country(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RT1")
    stock(ctx, "S1", "DE-DUI", [("RT1", 10)])
    stock(ctx, "S1", "US-LAX", [("RT1", 10)])
    o = create_order(ctx, order_body("S1", [("RT1", 1)], "US", currency="USD"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "US-LAX"), "ship_to US, stock in DE and US")
    o = create_order(ctx, order_body("S1", [("RT1", 1)], "DE"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "DE-DUI"), "ship_to DE, stock in DE and US")
    expect_inv(ctx, "S1", "US-LAX", "RT1", allocated=1, available=9)
    expect_inv(ctx, "S1", "DE-DUI", "RT1", allocated=1, available=9)


@test
def test_routing_only_stock_elsewhere(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RT2")
    stock(ctx, "S1", "DE-DUI", [("RT2", 10)])
    o = create_order(ctx, order_body("S1", [("RT2", 2)], "US", currency="USD"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "DE-DUI"), "ship_to US, stock only in DE")


@test
def test_routing_nearest(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RT3")
    stock(ctx, "S1", "DE-DUI", [("RT3", 10)])
    stock(ctx, "S1", "US-LAX", [("RT3", 10)])
    o = create_order(ctx, order_body("S1", [("RT3", 1)], "FR"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "DE-DUI"),
       "ship_to FR, stock in DE and US: the nearest is DE-DUI")


@test
def test_routing_ship_complete(ctx):
    """The ship-to country's warehouse cannot ship it complete: the one that can."""
    catalog(ctx)
    mk_sku(ctx, "S1", "RT4")
    mk_sku(ctx, "S1", "RT5")
    stock(ctx, "S1", "DE-DUI", [("RT4", 2), ("RT5", 10)])
    stock(ctx, "S1", "US-LAX", [("RT4", 10), ("RT5", 10)])
    o = create_order(ctx, order_body("S1", [("RT4", 5), ("RT5", 1)], "DE"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "US-LAX"),
       "ship_to DE but only US-LAX has 5 x RT4")
    expect_inv(ctx, "S1", "DE-DUI", "RT4", allocated=0, available=2)
    expect_inv(ctx, "S1", "US-LAX", "RT4", allocated=5, available=5)


@test
def test_order_multi_line(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "ML1")
    mk_sku(ctx, "S1", "ML2")
    stock(ctx, "S1", "DE-DUI", [("ML1", 5), ("ML2", 5)])
    o = create_order(ctx, order_body("S1", [("ML1", 2), ("ML2", 3)], "DE"))
    eq(o.get("status"), "allocated", "two-line order")
    expect_inv(ctx, "S1", "DE-DUI", "ML1", allocated=2)
    expect_inv(ctx, "S1", "DE-DUI", "ML2", allocated=3)
    # one line short: the whole order waits, nothing half allocated
    o = create_order(ctx, order_body("S1", [("ML1", 1), ("ML2", 9)], "DE"))
    eq(o.get("status"), "backordered", "order with one line short")
    it = inv(ctx, "S1", "DE-DUI", "ML1")
    if it["allocated"] != 2:
        note("a backordered order holds a partial allocation (ML1 allocated %r, 2 expected)" % it["allocated"])


@test
def test_order_duplicate_sku_lines(ctx):
    """Two lines of one SKU need their sum: 3 + 3 of 5 in stock is a backorder."""
    catalog(ctx)
    mk_sku(ctx, "S1", "DUP1")
    stock(ctx, "S1", "DE-DUI", [("DUP1", 5)])
    o = create_order(ctx, order_body("S1", [("DUP1", 3), ("DUP1", 3)], "DE"))
    it = inv(ctx, "S1", "DE-DUI", "DUP1")
    check(it["allocated"] <= 5, "over-allocation: %r" % it)
    if o.get("status") == "allocated":
        raise Fail("order of 3 + 3 x DUP1 with 5 in stock was allocated: %r (inventory %r)" % (o, it))
    eq(o.get("status"), "backordered", "order of 3 + 3 of 5")


@test
def test_allocation_is_per_seller(ctx):
    """S2 ordering SKU code that only S1 has in stock must not take S1's goods."""
    catalog(ctx)
    mk_sku(ctx, "S1", "SAME1")
    mk_sku(ctx, "S2", "SAME1")
    stock(ctx, "S1", "DE-DUI", [("SAME1", 5)])
    o = create_order(ctx, order_body("S2", [("SAME1", 2)], "DE"), key="s2")
    eq(o.get("status"), "backordered", "S2's order for a SKU only S1 has in stock")
    expect_inv(ctx, "S1", "DE-DUI", "SAME1", on_hand=5, allocated=0, available=5)
    stock(ctx, "S2", "DE-DUI", [("SAME1", 2)])
    wait_status(ctx, o["id"], "allocated")
    expect_inv(ctx, "S1", "DE-DUI", "SAME1", on_hand=5, allocated=0, available=5)
    expect_inv(ctx, "S2", "DE-DUI", "SAME1", on_hand=2, allocated=2, available=0)


@test
def test_list_filters(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "FLT1")
    stock(ctx, "S1", "US-LAX", [("FLT1", 3)])
    a = create_order(ctx, order_body("S1", [("FLT1", 2)], "US", channel="filters", currency="USD"))
    b = create_order(ctx, order_body("S1", [("FLT1", 5)], "US", channel="filters", currency="USD"))
    eq((a["status"], b["status"]), ("allocated", "backordered"), "statuses")
    got = list_all(ctx.api, "/v1/orders", channel="filters", status="backordered")
    eq([o["id"] for o in got], [b["id"]], "status=backordered filter")
    got = list_all(ctx.api, "/v1/orders", channel="filters", warehouse="US-LAX")
    check(a["id"] in [o["id"] for o in got], "warehouse=US-LAX filter lacks the allocated order")
    check(all(o.get("warehouse") == "US-LAX" for o in got), "warehouse=US-LAX filter: %r" % got)
    eq(list_all(ctx.api, "/v1/orders", channel="filters", warehouse="DE-DUI"), [], "warehouse=DE-DUI filter")
    got = list_all(ctx.api, "/v1/orders", channel="filters", country="US")
    eq(sorted(o["id"] for o in got), sorted([a["id"], b["id"]]), "country=US filter")
    got = list_all(ctx.api, "/v1/orders", channel="filters", country="DE")
    eq(got, [], "country=DE filter")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    got = list_all(ctx.api, "/v1/orders", channel="filters", **{"from": today, "to": today})
    eq(len(got), 2, "from=to=today filter")
    got = list_all(ctx.api, "/v1/orders", channel="filters", **{"from": "2000-01-01", "to": "2000-01-02"})
    eq(got, [], "from/to in 2000")
    inb = list_all(ctx.api, "/v1/inbounds", seller="S1", warehouse="US-LAX", status="expected")
    check(all(i.get("status") == "expected" and i.get("warehouse") == "US-LAX" for i in inb),
          "inbound filters")
    # inventory sort
    r = ctx.api.get(q("/v1/inventory", seller="S1", sort="-on_hand", limit=1000), expect=200)
    oh = [i["on_hand"] for i in items_of(r)]
    eq(oh, sorted(oh, reverse=True), "inventory sort=-on_hand", r)
    r = ctx.api.get(q("/v1/inventory", seller="S1", sort="sku", limit=1000), expect=200)
    sk = [(i["sku"], i["warehouse"]) for i in items_of(r)]
    eq([x[0] for x in sk], sorted(x[0] for x in sk), "inventory sort=sku", r)


@test
def test_order_extra_fields(ctx):
    bad_sku(ctx)
    b = order_body("S1", [("BAD1", 1)], "DE", channel="extra")
    b["ship_to"]["line2"] = "Hinterhaus"
    b["ship_to"]["phone"] = "+49 203 000000"
    b["ship_to"]["nested"] = {"a": [1, 2, {"b": None}]}
    b["unknown_top"] = True
    r = ctx.api.post("/v1/orders", b, key="s1")
    check(r.status == 201 or 400 <= r.status < 500, "order with extra fields", r)
    if r.status == 201:
        eq(r.json["ship_to"].get("line2"), "Hinterhaus", "ship_to.line2 kept", r)
        ctx.api.post("/v1/orders/%s/cancel" % seg(r.json["id"]), {}, key="s1", expect=200)


@test
def test_backorder_filled_from_any_warehouse(ctx):
    """A backorder is allocated when stock arrives in a warehouse that can ship it, not only
    in the warehouse it was first routed to (runs last: it adds an empty DE warehouse)."""
    catalog(ctx)
    ctx.api.post("/v1/warehouses", {"code": "DE-HAM", "name": "Hamburg", "country": "DE",
                                    "address": {"city": "Hamburg", "country": "DE"},
                                    "timezone": "Europe/Berlin", "lat": 53.55, "lon": 9.99}, expect=201)
    ctx.api.post("/v1/warehouses/DE-HAM/locations",
                 {"locations": [{"code": "H-01-1", "zone": "PICK", "dims_mm": PICK_DIMS,
                                 "max_weight_g": PICK_MAX_G}]}, expect=201)
    mk_sku(ctx, "S1", "BOW1")
    o = create_order(ctx, order_body("S1", [("BOW1", 2)], "DE"))
    eq(o.get("status"), "backordered", "order without stock anywhere")
    first = o.get("warehouse")
    other = "DE-DUI" if first != "DE-DUI" else "DE-HAM"
    stock(ctx, "S1", other, [("BOW1", 5)])
    try:
        o2 = wait_status(ctx, o["id"], "allocated", timeout=5)
    except Fail:
        raise Fail("backorder first routed to %r stays backordered after 5 units arrive in %s "
                   "(%s) " % (first, other, get_order(ctx, o["id"]).get("status")))
    eq(o2.get("warehouse"), other, "warehouse of the filled backorder")
    expect_inv(ctx, "S1", other, "BOW1", on_hand=5, allocated=2, available=3)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

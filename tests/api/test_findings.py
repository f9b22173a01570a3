#!/usr/bin/env python3
"""haicang API tests: what first users found from the dashboard and the API
(issue 8, section 4).

Orders found by channel order id, tracking number and customer (exact) and by
a search box `q`; inventory search by the Chinese product name; an inbound
received short or over closed by an operator who accepts the difference;
order answers with parcels and per-line picked/packed/shipped/delivered; a
seller asking for an unknown document gets 404, not 403.

    python3 tests/api/test_findings.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Runs on tests/api/fixtures.py: its own `haicang serve` on a fresh database,
`haicang verify` and a sanitizer scan at the end, one line `N passed, N failed`.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix, seg  # noqa: E402
from fixtures import (ADDR, catalog, collector, create_order, fixture, items_of, journal,  # noqa: E402
                      make_wave, mk_sku, order_body, run_suite, ship_body, stock)

TESTS, test = collector()


def ids(r):
    return [o["id"] for o in items_of(r, "orders")]


@fixture
def three_orders(ctx):
    """Three S1 orders in DE-DUI: one shipped with a known tracking number,
    each to a customer of its own name."""
    catalog(ctx)
    mk_sku(ctx, "S1", "FIND1")
    stock(ctx, "S1", "DE-DUI", [("FIND1", 30)])
    tag = rand_suffix(6)
    out = []
    for i, name in enumerate(("Zhang Wei %s" % tag, "Zhang Min %s" % tag, "Anna Berg %s" % tag)):
        b = order_body("S1", [("FIND1", 1)], coid="SHOP-%s-%d" % (tag, i))
        b["ship_to"] = dict(ADDR["DE"], name=name)
        out.append(create_order(ctx, b))
    oid = out[0]["id"]
    w = make_wave(ctx, "DE-DUI")
    check(oid in w["orders"], "the wave takes the first order")
    tracking = "JJD" + tag.upper() + "77"
    ctx.api.post("/v1/orders/%s/pack" % seg(oid), {}, expect=200)
    ctx.api.post("/v1/orders/%s/ship" % seg(oid), ship_body(tracking), expect=200)
    return {"tag": tag, "orders": out, "tracking": tracking}


@test
def test_orders_by_channel_order_id(ctx):
    f = three_orders(ctx)
    o = f["orders"][1]
    r = ctx.api.get(q("/v1/orders", channel_order_id=o["channel_order_id"]), expect=200)
    eq(ids(r), [o["id"]], "orders with that channel order id", r)
    r = ctx.api.get(q("/v1/orders", channel_order_id="SHOP-NOPE-" + f["tag"]), expect=200)
    eq(ids(r), [], "an unknown channel order id finds nothing (not every order)", r)
    r = ctx.api.get(q("/v1/orders", channel_order_id=o["channel_order_id"]), key="s2", expect=200)
    eq(ids(r), [], "another seller's order is not found", r)
    r = ctx.api.get(q("/v1/orders", channel_order_id=o["channel_order_id"]), key="s1", expect=200)
    eq(ids(r), [o["id"]], "the seller finds its own", r)
    problem(ctx.api.get(q("/v1/orders", channel_order=o["channel_order_id"])), 400,
            "channel_order", "a misspelt filter")


@test
def test_orders_by_tracking_and_customer(ctx):
    f = three_orders(ctx)
    first, second = f["orders"][0], f["orders"][1]
    r = ctx.api.get(q("/v1/orders", tracking=f["tracking"]), expect=200)
    eq(ids(r), [first["id"]], "orders with that tracking number", r)
    eq(items_of(r)[0].get("tracking_no"), f["tracking"], "tracking_no", r)
    r = ctx.api.get(q("/v1/orders", customer=second["ship_to"]["name"]), expect=200)
    eq(ids(r), [second["id"]], "orders to that customer", r)
    r = ctx.api.get(q("/v1/orders", customer="Zhang"), expect=200)
    eq(ids(r), [], "customer is exact, not a prefix", r)
    r = ctx.api.get(q("/v1/orders", customer=second["ship_to"]["name"], status="shipped"),
                    expect=200)
    eq(ids(r), [], "filters combine", r)


@test
def test_orders_search_box(ctx):
    f = three_orders(ctx)
    o0, o1, o2 = f["orders"]
    cases = [(o2["id"], [o2["id"]], "an order id"),
             (f["tracking"], [o0["id"]], "a tracking number"),
             ("SHOP-%s-1" % f["tag"], [o1["id"]], "a channel order id"),
             ("SHOP-%s-" % f["tag"], sorted(o["id"] for o in f["orders"]), "a channel order id's start"),
             ("Anna Berg %s" % f["tag"], [o2["id"]], "a customer"),
             ("Zhang ", None, "the start of a name"),
             ("nothing-like-this-" + f["tag"], [], "nothing")]
    for text, want, what in cases:
        r = ctx.api.get(q("/v1/orders", q=text, limit=1000), expect=200)
        got = ids(r)
        if want is None:
            check(o0["id"] in got and o1["id"] in got and o2["id"] not in got,
                  "q=%r (%s) finds both Zhangs and not Anna: %r" % (text, what, got), r)
        else:
            eq(sorted(got), sorted(want), "q=%r (%s)" % (text, what), r)
    r = ctx.api.get(q("/v1/orders", q="100%"), expect=200)
    eq(ids(r), [], "LIKE wildcards in q are plain characters", r)


@test
def test_inventory_search_by_chinese_name(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "PB-20K", name="Power bank 20000 mAh", name_zh="便携移动电源 20000毫安")
    mk_sku(ctx, "S1", "LAMP-9", name="Desk lamp", name_zh="台灯")
    stock(ctx, "S1", "DE-DUI", [("PB-20K", 5), ("LAMP-9", 5)])
    for text, what in (("移动电源", "Chinese words inside the name"), ("便携", "Chinese name start"),
                       ("Power bank", "English name start"), ("20000 mAh", "English words inside"),
                       ("PB-2", "SKU start")):
        r = ctx.api.get(q("/v1/inventory", q=text, seller="S1"), expect=200)
        skus = [i["sku"] for i in items_of(r, "inventory")]
        check("PB-20K" in skus and "LAMP-9" not in skus, "q=%r (%s) finds the power bank only: %r"
              % (text, what, skus), r)


def inbound(ctx, sku, qty, wh="DE-DUI"):
    return ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": wh,
                                         "reference": "ASN-" + rand_suffix(6),
                                         "lines": [{"sku": sku, "qty": qty}]}, expect=201).json


@test
def test_close_inbound_received_short(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "SHORT1")
    ib = inbound(ctx, "SHORT1", 10)
    p = "/v1/inbounds/%s" % seg(ib["id"])
    r = ctx.api.post(p + "/receipts", {"lines": [{"sku": "SHORT1", "qty": 7}]}, key="op", expect=200)
    eq(r.json.get("status"), "receiving", "received 7 of 10", r)
    problem(ctx.api.post(p + "/close", {}, key="s1"), 403, None, "a seller may not close")
    before = len(journal(ctx, ib["id"]))
    r = ctx.api.post(p + "/close", {"reason": "3 cartons lost at sea"}, key="op", expect=200)
    b = r.json
    eq(b.get("status"), "received", "closed with 7 in RECEIVING", r)
    c = b.get("closed") or {}
    eq(c.get("reason"), "3 cartons lost at sea", "closed.reason", r)
    check(isinstance(c.get("at"), str) and c.get("by"), "closed names when and who: %r" % c, r)
    eq([(ln["sku"], ln["expected"], ln["received"], ln["difference"]) for ln in b["lines"]],
       [("SHORT1", 10, 7, -3)], "the difference per line", r)
    eq(len(journal(ctx, ib["id"])), before, "closing moves no goods")
    eq(ctx.api.get(p, expect=200).json.get("closed"), c, "the close is kept")
    problem(ctx.api.post(p + "/receipts", {"lines": [{"sku": "SHORT1", "qty": 3}]}, key="op"), 409,
            "status", "a receipt after closing")
    problem(ctx.api.post(p + "/close", {}, key="op"), 409, "status", "closing twice")
    r = ctx.api.post(p + "/putaway", {}, key="op", expect=200)
    eq(sum(m["qty"] for m in r.json["moves"]), 7, "putaway moves what arrived", r)
    eq(ctx.api.get(p, expect=200).json.get("status"), "putaway", "put away once all 7 are stored")


@test
def test_close_inbound_received_over_and_tenancy(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "OVER1")
    ib = inbound(ctx, "OVER1", 5)
    p = "/v1/inbounds/%s" % seg(ib["id"])
    ctx.api.post(p + "/receipts", {"lines": [{"sku": "OVER1", "qty": 8}]}, expect=200)
    r = ctx.api.post(p + "/close", expect=200)
    eq(r.json["lines"][0]["difference"], 3, "over by 3", r)
    eq(r.json["closed"].get("reason"), None, "no reason given", r)
    us = inbound(ctx, "OVER1", 5, wh="US-LAX")
    problem(ctx.api.post("/v1/inbounds/%s/close" % seg(us["id"]), {}, key="op"), 404, "id",
            "an operator of DE-DUI closing a US-LAX inbound")
    problem(ctx.api.post("/v1/inbounds/%s/close" % seg(us["id"]), {"reason": 7}), 400, "reason",
            "reason must be text")
    problem(ctx.api.post("/v1/inbounds/inb_0/close", {}), 404, "id", "unknown inbound")


@test
def test_order_shows_parcels_and_line_progress(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "PROG1")
    mk_sku(ctx, "S1", "PROG2")
    stock(ctx, "S1", "DE-DUI", [("PROG1", 5), ("PROG2", 5)])
    o = create_order(ctx, order_body("S1", [("PROG1", 2), ("PROG2", 1)]))
    p = "/v1/orders/%s" % seg(o["id"])

    def progress(b):
        return [(ln["sku"], ln["allocated"], ln["picked"], ln["packed"], ln["shipped"],
                 ln["delivered"]) for ln in b["lines"]]
    eq(progress(o), [("PROG1", 2, 0, 0, 0, 0), ("PROG2", 1, 0, 0, 0, 0)], "allocated", None)
    check(o["id"] in make_wave(ctx, "DE-DUI")["orders"], "the wave takes the order")
    r = ctx.api.post(p + "/pack", {}, expect=200)
    eq(progress(r.json), [("PROG1", 0, 2, 2, 0, 0), ("PROG2", 0, 1, 1, 0, 0)], "packed", r)
    parcels = [{"weight_g": 900, "dims_mm": [300, 200, 100]},
               {"weight_g": 400, "dims_mm": [200, 100, 50]}]
    r = ctx.api.post(p + "/ship", {"carrier": "DHL", "tracking_no": "JJD" + rand_suffix(8),
                                   "parcels": parcels}, expect=200)
    eq(progress(r.json), [("PROG1", 0, 2, 2, 2, 0), ("PROG2", 0, 1, 1, 1, 0)], "shipped", r)
    b = ctx.api.get(p, expect=200).json
    eq(b.get("parcels"), parcels, "the parcels entered at shipping", None)
    r = ctx.api.post(p + "/deliver", {}, expect=200)
    eq(progress(r.json), [("PROG1", 0, 2, 2, 2, 2), ("PROG2", 0, 1, 1, 1, 1)], "delivered", r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

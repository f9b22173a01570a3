#!/usr/bin/env python3
"""haicang API tests: waves released with a cart (order batching).

A wave with a cart answers its batches (trips): each within the cart's
limits, with its route length, its picks in route order (with turn points)
and its totes (order -> tote); every order in exactly one tote of one trip;
the wave's route_length_mm is the sum over its trips; GET answers the same
batches. An order bigger than the cart alone is a 400 naming the cart field,
with nothing moved; bad cart fields are 400s naming them.

    python3 tests/api/test_batching.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, fixture, get_order, mk_sku,  # noqa: E402
                      order_body, stock, run_suite)

TESTS, test = collector()

# sku -> (location, weight_g): spread over the four aisles of NL-VEN
BATCH_STOCK = {
    "BT1": ("A-02-1", 400), "BT2": ("A-09-1", 400), "BT3": ("B-03-1", 400), "BT4": ("B-08-1", 400),
    "BT5": ("C-01-1", 400), "BT6": ("C-10-1", 400), "BT7": ("D-04-1", 400), "BT8": ("D-07-1", 2000),
}
ORDER_LINES = [
    [("BT1", 1), ("BT2", 1)], [("BT3", 1)], [("BT4", 2), ("BT5", 1)], [("BT6", 1)],
    [("BT7", 1), ("BT1", 1)], [("BT8", 1)], [("BT2", 1), ("BT3", 1)], [("BT5", 1)],
    [("BT6", 1), ("BT7", 1)],
]


@fixture
def batch_stock(ctx):
    catalog(ctx)
    for sku, (loc, w) in BATCH_STOCK.items():
        mk_sku(ctx, "S1", sku, weight=w)
        stock(ctx, "S1", "NL-VEN", [(sku, 200)], moves=[{"sku": sku, "qty": 200, "location": loc}])
    return True


def new_orders(ctx, lines=ORDER_LINES):
    batch_stock(ctx)
    out = []
    for ls in lines:
        o = create_order(ctx, order_body("S1", ls, "NL"))
        eq((o.get("status"), o.get("warehouse")), ("allocated", "NL-VEN"), "order to NL-VEN")
        out.append(o)
    return out


def check_batches(w, cart, ids, r):
    """Every invariant of a wave's batches against its picks and the cart."""
    check(isinstance(w.get("batches"), list) and w["batches"], "wave has no batches", r)
    picks = {p["seq"]: p for p in w["picks"]}
    seen_orders, seen_seq, total = [], [], 0
    lim = min([v for v in (cart.get("max_orders"), cart.get("totes")) if v] or [10 ** 9])
    for b in w["batches"]:
        for f in ("batch", "route_length_mm", "picks", "route", "totes", "lines"):
            check(f in b, "batch lacks %r: %r" % (f, b), r)
        totes = b["totes"]
        check(0 < len(totes) <= lim, "batch %s has %d totes, cart takes %d" % (b["batch"], len(totes), lim), r)
        eq([t["tote"] for t in totes], list(range(1, len(totes) + 1)), "tote numbers", r)
        border = [t["order"] for t in totes]
        seen_orders += border
        if cart.get("max_lines"):
            check(b["lines"] <= cart["max_lines"], "batch %s: %d lines > %d" % (b["batch"], b["lines"], cart["max_lines"]), r)
        if cart.get("max_weight_g"):
            check(b["weight_g"] <= cart["max_weight_g"], "batch %s overweight" % b["batch"], r)
        # its picks: contiguous seqs, in route order, of its own orders
        seqs = b["picks"]
        eq(seqs, list(range(seqs[0], seqs[0] + len(seqs))), "batch %s pick seqs contiguous" % b["batch"], r)
        for s in seqs:
            check(picks[s]["order"] in border, "pick %d of order %s not in batch %s's totes" %
                  (s, picks[s]["order"], b["batch"]), r)
            eq(picks[s].get("batch"), b["batch"], "pick %d batch" % s, r)
        eq([st["seq"] for st in b["route"] if st["kind"] == "pick"], seqs, "route picks", r)
        for st in b["route"]:
            check(st["kind"] in ("pick", "turn"), "route step kind %r" % st, r)
            if st["kind"] == "turn":
                check(isinstance(st.get("aisle"), int) and isinstance(st.get("y_mm"), int), "turn %r" % st, r)
        lines_of_orders = sum(1 for s in seqs)  # at least one pick per line
        check(lines_of_orders >= b["lines"], "batch %s lines %d > picks %d" % (b["batch"], b["lines"], len(seqs)), r)
        seen_seq += seqs
        total += b["route_length_mm"]
    eq(sorted(seen_orders), sorted(w["orders"]), "every wave order in exactly one tote", r)
    check(set(ids) <= set(seen_orders), "our orders %r not all in the wave" % ids, r)
    eq(sorted(seen_seq), sorted(picks), "every pick in exactly one batch", r)
    eq(w["route_length_mm"], total, "wave route_length_mm = sum over batches", r)


@test
def test_wave_with_cart(ctx):
    orders = new_orders(ctx)
    ids = [o["id"] for o in orders]
    cart = {"max_orders": 3, "max_lines": 4, "totes": 4, "max_weight_g": 6000}
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "cart": cart}, expect=201)
    w = r.json
    check_batches(w, cart, ids, r)
    check(len(w["batches"]) >= 3, "9 orders in carts of 3 need at least 3 trips: %d" % len(w["batches"]), r)
    for o in orders:
        eq(get_order(ctx, o["id"]).get("status"), "picking", "order status after the wave")
    g = ctx.api.get("/v1/waves/%s" % seg(w["id"]), expect=200)
    eq(g.json.get("batches"), w["batches"], "GET wave batches", g)
    eq(g.json.get("route_length_mm"), w["route_length_mm"], "GET wave route_length_mm", g)
    # the list answers them too
    lst = ctx.api.get("/v1/waves?warehouse=NL-VEN", expect=200)
    mine = [x for x in lst.json["items"] if x["id"] == w["id"]]
    eq(len(mine), 1, "wave in the list", lst)
    eq(mine[0].get("batches"), w["batches"], "listed wave batches", lst)
    # orders can be packed trip by trip
    for t in w["batches"][0]["totes"]:
        ctx.api.post("/v1/orders/%s/pack" % seg(t["order"]), {}, expect=200)


@test
def test_batching_walks_less_than_one_order_per_trip(ctx):
    orders = new_orders(ctx)
    cart = {"max_orders": 4, "totes": 4}
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "cart": cart}, expect=201)
    batched = r.json
    check_batches(batched, cart, [o["id"] for o in orders], r)
    orders2 = new_orders(ctx)
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "cart": {"max_orders": 1}}, expect=201)
    single = r.json
    eq(len(single["batches"]), len(orders2), "one trip per order with max_orders 1", r)
    check(batched["route_length_mm"] < single["route_length_mm"],
          "carts of 4 walk %d mm, one order per trip %d mm" %
          (batched["route_length_mm"], single["route_length_mm"]), r)


@test
def test_no_cart_one_trip(ctx):
    orders = new_orders(ctx, ORDER_LINES[:3])
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN"}, expect=201)
    w = r.json
    eq(len(w["batches"]), 1, "a wave without a cart is one trip", r)
    check_batches(w, {}, [o["id"] for o in orders], r)


@test
def test_impossible_cart_moves_nothing(ctx):
    orders = new_orders(ctx, ORDER_LINES[:4])
    api = ctx.api
    before = api.get("/v1/waves?warehouse=NL-VEN&limit=100", expect=200).json["items"]
    inv_before = api.get("/v1/inventory?warehouse=NL-VEN&seller=S1&limit=100", expect=200).json["items"]
    for cart, field in (({"max_lines": 1}, "cart.max_lines"),           # order 0 has 2 lines
                        ({"max_weight_g": 500}, "cart.max_weight_g"),   # order 2: 3 units of 400 g
                        ({"max_volume_mm3": 1000}, "cart.max_volume_mm3")):
        r = api.post("/v1/waves", {"warehouse": "NL-VEN", "cart": cart})
        problem(r, 400, field, "cart %r" % cart)
        check(any(o["id"] in r.json.get("detail", "") for o in orders),
              "the problem names the order: %r" % r.json.get("detail"), r)
    for body, field in (({"cart": "big"}, "cart"), ({"cart": {"totes": -1}}, "cart.totes"),
                        ({"cart": {"max_orders": "3"}}, "cart.max_orders"),
                        ({"cart": {"max_lines": 1.5}}, "cart.max_lines"),
                        ({"cart": {"max_weight_g": 10 ** 12}}, "cart.max_weight_g"),
                        ({"cutoff_window_min": 0}, "cutoff_window_min")):
        body["warehouse"] = "NL-VEN"
        problem(api.post("/v1/waves", body), 400, field, "body %r" % body)
    # nothing moved
    for o in orders:
        eq(get_order(ctx, o["id"]).get("status"), "allocated", "order after refused waves")
    eq(api.get("/v1/waves?warehouse=NL-VEN&limit=100", expect=200).json["items"], before,
       "waves after refused releases")
    eq(api.get("/v1/inventory?warehouse=NL-VEN&seller=S1&limit=100", expect=200).json["items"],
       inv_before, "inventory after refused releases")
    # a cart that takes them releases them
    r = api.post("/v1/waves", {"warehouse": "NL-VEN", "cart": {"max_lines": 3, "totes": 2}}, expect=201)
    check_batches(r.json, {"max_lines": 3, "totes": 2}, [o["id"] for o in orders], r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: a wave of exactly the orders listed (POST /v1/waves
with `orders`, the dashboard's "wave of the selected").

The wave takes exactly the listed orders (not the oldest others), moves them
to picking and leaves the rest allocated. Refused with nothing written: an
unknown id or a duplicate (400 naming orders[i]), an order that is not an
allocated order of the warehouse (409 naming orders[i]), an empty list or a
non-string item (400), max_orders together with orders (400).

    python3 tests/api/test_waves.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (eq, problem)  # noqa: E402
from fixtures import (collector, catalog, create_order, fixture, get_order, mk_sku,  # noqa: E402
                      order_body, stock, run_suite)

TESTS, test = collector()

WAVE_STOCK = {"WV1": "A-02-1", "WV2": "B-03-1", "WV3": "C-01-1"}


@fixture
def wave_stock(ctx):
    catalog(ctx)
    for sku, loc in WAVE_STOCK.items():
        mk_sku(ctx, "S1", sku, weight=300)
        stock(ctx, "S1", "NL-VEN", [(sku, 100)], moves=[{"sku": sku, "qty": 100, "location": loc}])
    return True


def new_orders(ctx, n):
    wave_stock(ctx)
    out = []
    for i in range(n):
        o = create_order(ctx, order_body("S1", [("WV%d" % (i % 3 + 1), 1)], "NL"))
        eq((o.get("status"), o.get("warehouse")), ("allocated", "NL-VEN"), "order to NL-VEN")
        out.append(o)
    return out


@test
def test_refusals_write_nothing(ctx):
    api = ctx.api
    a, b = new_orders(ctx, 2)
    cancelled = new_orders(ctx, 1)[0]
    api.post("/v1/orders/%s/cancel" % cancelled["id"], {}, expect=200)
    before = api.get("/v1/waves?warehouse=NL-VEN&limit=100", expect=200).json["items"]
    for orders, status, field in (
            ([a["id"], "ord_nosuch"], 400, "orders[1]"),
            ([a["id"], a["id"]], 400, "orders[1]"),
            ([b["id"], cancelled["id"]], 409, "orders[1]"),
            ([], 400, "orders"),
            ([a["id"], 7], 400, "orders[1]"),
            ("x", 400, "orders")):
        problem(api.post("/v1/waves", {"warehouse": "NL-VEN", "orders": orders}), status, field,
                "orders %r" % (orders,))
    problem(api.post("/v1/waves", {"warehouse": "NL-VEN", "orders": [a["id"]], "max_orders": 1}),
            400, "max_orders", "max_orders with orders")
    # an order of another warehouse is refused naming it
    problem(api.post("/v1/waves", {"warehouse": "DE-DUI", "orders": [a["id"]]}), 409, "orders[0]",
            "order of NL-VEN in a DE-DUI wave")
    for o in (a, b):
        eq(get_order(ctx, o["id"]).get("status"), "allocated", "order after refused waves")
    eq(api.get("/v1/waves?warehouse=NL-VEN&limit=100", expect=200).json["items"], before,
       "waves after refused releases")


@test
def test_wave_of_exactly_the_listed(ctx):
    api = ctx.api
    orders = new_orders(ctx, 4)
    # the newest two, while older allocated orders wait
    want = [orders[3]["id"], orders[2]["id"]]
    r = api.post("/v1/waves", {"warehouse": "NL-VEN", "orders": want}, expect=201)
    eq(sorted(r.json["orders"]), sorted(want), "the wave's orders")
    for o in orders:
        eq(get_order(ctx, o["id"]).get("status"), "picking" if o["id"] in want else "allocated",
           "order %s after the wave" % o["id"])
    # listed again: they are picking now, so refused naming the first
    problem(api.post("/v1/waves", {"warehouse": "NL-VEN", "orders": want}), 409, "orders[0]",
            "a wave of orders already picking")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

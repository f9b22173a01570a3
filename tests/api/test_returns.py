#!/usr/bin/env python3
"""haicang API tests: returns.

Returns of delivered orders restock sellable units and scrap damaged ones;
more than was delivered, an unknown condition, an undelivered or cancelled
order are refused.

    python3 tests/api/test_returns.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, fulfil, journal, mk_sku,  # noqa: E402
                      order_body, ship_body, stock, run_suite)

TESTS, test = collector()


@test
def test_returns(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RET1")
    stock(ctx, "S1", "NL-VEN", [("RET1", 10)])
    o = create_order(ctx, order_body("S1", [("RET1", 4)], "NL"))
    eq((o.get("status"), o.get("warehouse")), ("allocated", "NL-VEN"), "order for the return")
    fulfil(ctx, "NL-VEN", [o["id"]])
    expect_inv(ctx, "S1", "NL-VEN", "RET1", on_hand=6, allocated=0, available=6)
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "RET1", "qty": 3, "condition": "sellable"},
        {"sku": "RET1", "qty": 1, "condition": "damaged"}]}, key="s1", expect=201)
    ret = r.json
    check("id" in ret, "return lacks id", r)
    eq(ret.get("order"), o["id"], "return order", r)
    expect_inv(ctx, "S1", "NL-VEN", "RET1", on_hand=9, allocated=0, available=9)
    jr = journal(ctx, ret["id"])
    eq(sum(p["qty"] for p in jr if p["to"] == "scrap"), 1, "damaged units posted to scrap")
    eq(sum(p["qty"] for p in jr if p["from"] == "customer"), 4, "units posted from customer")
    r = ctx.api.get("/v1/returns/%s" % seg(ret["id"]), key="s1", expect=200)
    eq(r.json.get("id"), ret["id"], "GET return", r)
    # nothing more left to return
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "RET1", "qty": 1, "condition": "sellable"}]}, key="s1")
    problem(r, what="return of more than was delivered")
    expect_inv(ctx, "S1", "NL-VEN", "RET1", on_hand=9, available=9)
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "RET1", "qty": 1, "condition": "broken"}]}, key="s1")
    problem(r, field="lines[0].condition", what="unknown return condition")
    r = ctx.api.post("/v1/returns", {"order": "NO-SUCH-ORDER", "lines": [
        {"sku": "RET1", "qty": 1, "condition": "sellable"}]}, key="s1")
    problem(r, what="return of an unknown order")


@test
def test_return_of_undelivered_order(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RET2")
    stock(ctx, "S1", "DE-DUI", [("RET2", 5)])
    o = create_order(ctx, order_body("S1", [("RET2", 2)], "DE"))
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "RET2", "qty": 1, "condition": "sellable"}]}, key="s1")
    problem(r, what="return of an order that was never shipped")
    expect_inv(ctx, "S1", "DE-DUI", "RET2", on_hand=5, allocated=2, available=3)


@test
def test_deliver_twice_and_return_cancelled(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "DT1")
    stock(ctx, "S1", "NL-VEN", [("DT1", 10)])
    o = create_order(ctx, order_body("S1", [("DT1", 2)], "NL"))
    fulfil(ctx, "NL-VEN", [o["id"]])
    problem(ctx.api.post("/v1/orders/%s/deliver" % seg(o["id"]), {}), 409, what="deliver twice")
    problem(ctx.api.post("/v1/orders/%s/ship" % seg(o["id"]), ship_body()), 409, what="ship a delivered order")
    problem(ctx.api.post("/v1/orders/%s/pack" % seg(o["id"]), {}), 409, what="pack a delivered order")
    expect_inv(ctx, "S1", "NL-VEN", "DT1", on_hand=8, allocated=0, available=8)
    eq(sum(p["qty"] for p in journal(ctx, o["id"]) if p["to"] == "customer"), 2, "units to customer")
    c = create_order(ctx, order_body("S1", [("DT1", 1)], "NL"))
    ctx.api.post("/v1/orders/%s/cancel" % seg(c["id"]), {}, expect=200)
    r = ctx.api.post("/v1/returns", {"order": c["id"], "lines": [{"sku": "DT1", "qty": 1, "condition": "sellable"}]},
                     key="s1")
    problem(r, what="return of a cancelled order")
    expect_inv(ctx, "S1", "NL-VEN", "DT1", on_hand=8, allocated=0, available=8)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

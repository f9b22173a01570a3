#!/usr/bin/env python3
"""haicang API tests: authentication, roles and tenancy.

No key, a bad key or a key one character off is 401; a seller sees and
writes only its own objects (404, not 403, for another seller's); an operator
only its warehouse; only admin creates sellers, warehouses and locations.

    python3 tests/api/test_auth.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, q, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, fixture, get_order, items_of,  # noqa: E402
                      list_all, mk_sku, order_body, PICK_DIMS, PICK_MAX_G, sku_body, stock,
                      run_suite)

TESTS, test = collector()


@test
def test_auth_401(ctx):
    api = ctx.api
    for path in ("/v1/orders", "/v1/inventory", "/v1/skus/S1/SKU1", "/v1/me"):
        problem(api.get(path, key=None), 401, what="GET %s without a key" % path)
        problem(api.get(path, key="hc_not_a_real_key_0123456789"), 401, what="GET %s with a bad key" % path)
    problem(api.get("/v1/orders", key=None, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}), 401,
            what="Basic auth")
    problem(api.get("/v1/orders", key=None, headers={"Authorization": "Bearer "}), 401, what="empty bearer")
    problem(api.get("/v1/orders", key=None, headers={"Authorization": "Bearer " + "x" * 5000}), 401,
            what="very long bearer")
    r = api.post("/v1/orders", order_body("S1", [("SKU1", 1)], "DE", channel="noauth"), key=None)
    problem(r, 401, what="POST without a key")
    r = api.post("/v1/sellers", {"code": "SX", "name": "x", "country": "CN"}, key="wrong-key")
    problem(r, 401, what="POST with a bad key")
    # a valid key with a character changed
    k = ctx.api.keys["admin"]
    bad = k[:-1] + ("A" if k[-1] != "A" else "B")
    problem(api.get("/v1/orders", key=bad), 401, what="admin key with its last character changed")
    problem(api.get("/v1/orders", key=k + "x"), 401, what="admin key with a character appended")
    problem(api.get("/v1/orders", key=k[:-1]), 401, what="admin key with its last character cut")
    catalog(ctx)
    r = ctx.api.get("/v1/sellers/SX")
    problem(r, 404, what="the seller a bad key tried to create")


@test
def test_me(ctx):
    r = ctx.api.get("/v1/me", key="admin", expect=200)
    eq(r.json.get("role"), "admin", "admin /v1/me role", r)
    r = ctx.api.get("/v1/me", key="op", expect=200)
    eq((r.json.get("role"), r.json.get("warehouse")), ("operator", "DE-DUI"), "operator /v1/me", r)
    r = ctx.api.get("/v1/me", key="s1", expect=200)
    eq((r.json.get("role"), r.json.get("seller")), ("seller", "S1"), "seller /v1/me", r)


@fixture
def tenancy_data(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "TEN1")
    mk_sku(ctx, "S2", "TEN1")
    ib1 = stock(ctx, "S1", "DE-DUI", [("TEN1", 10)])
    ib1us = stock(ctx, "S1", "US-LAX", [("TEN1", 10)])
    stock(ctx, "S2", "DE-DUI", [("TEN1", 10)])
    o1 = create_order(ctx, order_body("S1", [("TEN1", 1)], "DE", channel="tenancy"), key="s1")
    o1us = create_order(ctx, order_body("S1", [("TEN1", 1)], "US", channel="tenancy", currency="USD"), key="s1")
    o2 = create_order(ctx, order_body("S2", [("TEN1", 1)], "DE", channel="tenancy"), key="s2")
    eq(o1us.get("warehouse"), "US-LAX", "S1's US order warehouse")
    return {"o1": o1["id"], "o1us": o1us["id"], "o2": o2["id"], "ib1": ib1["id"], "ib1us": ib1us["id"]}


@test
def test_tenancy_other_sellers_objects_404(ctx):
    d = tenancy_data(ctx)
    api = ctx.api
    problem(api.get("/v1/orders/%s" % seg(d["o1"]), key="s2"), 404, what="S2 reads S1's order")
    problem(api.post("/v1/orders/%s/cancel" % seg(d["o1"]), {}, key="s2"), 404, what="S2 cancels S1's order")
    eq(get_order(ctx, d["o1"]).get("status"), "allocated", "S1's order after S2's cancel attempt")
    problem(api.post("/v1/orders/%s/pack" % seg(d["o1"]), {}, key="s2"), (403, 404), what="S2 packs S1's order")
    problem(api.get("/v1/skus/S1/TEN1", key="s2"), 404, what="S2 reads S1's SKU")
    problem(api.get("/v1/inbounds/%s" % seg(d["ib1"]), key="s2"), 404, what="S2 reads S1's inbound")
    problem(api.get("/v1/sellers/S1", key="s2"), 404, what="S2 reads seller S1")
    r = api.get(q("/v1/journal", ref=d["o1"]), key="s2")
    if r.status == 200:
        eq(items_of(r), [], "S2 reads the journal of S1's order", r)
    else:
        problem(r, 404, what="S2 reads the journal of S1's order")
    r = api.post("/v1/returns", {"order": d["o1"], "lines": [{"sku": "TEN1", "qty": 1, "condition": "sellable"}]},
                 key="s2")
    problem(r, (404, 422, 409), what="S2 returns S1's order")
    # S1 still sees its own
    api.get("/v1/orders/%s" % seg(d["o1"]), key="s1", expect=200)
    api.get("/v1/skus/S1/TEN1", key="s1", expect=200)


@test
def test_tenancy_lists(ctx):
    d = tenancy_data(ctx)
    api = ctx.api
    mine = list_all(api, "/v1/orders", key="s1")
    check(mine, "S1 lists no orders")
    others = [o.get("id") for o in mine if o.get("seller") != "S1"]
    check(not others, "S1's order list shows other sellers' orders: %r" % others[:5])
    check(d["o2"] not in [o.get("id") for o in mine], "S1 sees S2's order in its list")
    r = api.get(q("/v1/orders", seller="S1"), key="s2", expect=(200, 403, 404))
    if r.status == 200:
        eq(items_of(r), [], "S2 lists orders with seller=S1", r)
    inv_s2 = list_all(api, "/v1/inventory", key="s2")
    check(all(i.get("seller") == "S2" for i in inv_s2), "S2's inventory shows other sellers")
    r = api.get(q("/v1/inventory", seller="S1"), key="s2", expect=(200, 403, 404))
    if r.status == 200:
        eq(items_of(r), [], "S2 lists inventory with seller=S1", r)
    skus = list_all(api, "/v1/skus", key="s2")
    check(all(s.get("seller") == "S2" for s in skus), "S2's SKU list shows other sellers")
    sellers = list_all(api, "/v1/sellers", key="s2")
    eq([s.get("code") for s in sellers], ["S2"], "S2's seller list")
    inbs = list_all(api, "/v1/inbounds", key="s2")
    check(all(i.get("seller") == "S2" for i in inbs), "S2's inbound list shows other sellers")


@test
def test_tenancy_seller_writes_for_other_seller(ctx):
    tenancy_data(ctx)
    api = ctx.api
    body = order_body("S1", [("TEN1", 1)], "DE", channel="forged")
    problem(api.post("/v1/orders", body, key="s2"), (403, 404, 422), what="S2 orders for S1")
    eq(list_all(api, "/v1/orders", key="admin", channel="forged"), [], "orders written by the forged request")
    problem(api.post("/v1/skus", sku_body("S1", "FORGED1"), key="s2"), (403, 404, 422), what="S2 creates S1's SKU")
    problem(api.get("/v1/skus/S1/FORGED1"), 404, what="the forged SKU")
    problem(api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "FORGED",
                                      "lines": [{"sku": "TEN1", "qty": 1}]}, key="s2"),
            (403, 404, 422), what="S2 announces an inbound for S1")


@test
def test_tenancy_operator(ctx):
    d = tenancy_data(ctx)
    api = ctx.api
    # the operator of DE-DUI receives at DE-DUI
    mk_sku(ctx, "S1", "OPR1")
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-OP",
                                  "lines": [{"sku": "OPR1", "qty": 5}]}, expect=201)
    iid = seg(r.json["id"])
    r = api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "OPR1", "qty": 5}]}, key="op", expect=200)
    api.post("/v1/inbounds/%s/putaway" % iid, {}, key="op", expect=200)
    expect_inv(ctx, "S1", "DE-DUI", "OPR1", key="op", on_hand=5, available=5)
    # it sees every seller's stock in DE-DUI, none elsewhere
    items = list_all(api, "/v1/inventory", key="op")
    check(all(i.get("warehouse") == "DE-DUI" for i in items), "operator sees stock outside DE-DUI")
    check({"S1", "S2"} <= {i.get("seller") for i in items}, "operator does not see both sellers' stock")
    r = api.get(q("/v1/inventory", warehouse="US-LAX"), key="op", expect=(200, 403, 404))
    if r.status == 200:
        eq(items_of(r), [], "operator lists US-LAX inventory", r)
    # DE-DUI orders yes, US-LAX no
    api.get("/v1/orders/%s" % seg(d["o1"]), key="op", expect=200)
    problem(api.get("/v1/orders/%s" % seg(d["o1us"]), key="op"), 404, what="operator reads a US-LAX order")
    problem(api.get("/v1/inbounds/%s" % seg(d["ib1us"]), key="op"), 404, what="operator reads a US-LAX inbound")
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX", "reference": "ASN-OPUS",
                                  "lines": [{"sku": "OPR1", "qty": 5}]}, expect=201)
    usid = seg(r.json["id"])
    problem(api.post("/v1/inbounds/%s/receipts" % usid, {"lines": [{"sku": "OPR1", "qty": 5}]}, key="op"),
            404, what="operator receives at US-LAX")
    r = api.get("/v1/inbounds/%s" % usid, expect=200)
    eq(r.json["lines"][0].get("received"), 0, "US-LAX inbound after the operator's refused receipt", r)
    problem(api.post("/v1/waves", {"warehouse": "US-LAX"}, key="op"), (403, 404), what="operator waves US-LAX")
    orders = list_all(api, "/v1/orders", key="op")
    check(all(o.get("warehouse") == "DE-DUI" for o in orders), "operator's order list shows other warehouses")


@test
def test_admin_only(ctx):
    catalog(ctx)
    api = ctx.api
    wh = {"code": "XX-HACK", "name": "Hack", "country": "DE", "address": {"city": "Berlin"},
          "timezone": "Europe/Berlin"}
    for k in ("s1", "op"):
        problem(api.post("/v1/warehouses", wh, key=k), (403, 404), what="%s creates a warehouse" % k)
        problem(api.post("/v1/sellers", {"code": "S9", "name": "x", "country": "CN"}, key=k), (403, 404),
                what="%s creates a seller" % k)
    problem(api.post("/v1/warehouses/DE-DUI/locations",
                     {"locations": [{"code": "X-01-1", "zone": "PICK", "dims_mm": PICK_DIMS,
                                     "max_weight_g": PICK_MAX_G}]}, key="s1"),
            (403, 404), what="seller creates a location")
    problem(api.get("/v1/warehouses/XX-HACK"), 404, what="the warehouse a seller tried to create")
    problem(api.get("/v1/sellers/S9"), 404, what="the seller a seller tried to create")
    codes = [x["code"] for x in list_all(api, "/v1/warehouses/DE-DUI/locations", limit=1000)]
    check("X-01-1" not in codes, "a seller created a location")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

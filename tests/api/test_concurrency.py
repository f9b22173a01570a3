#!/usr/bin/env python3
"""haicang API tests: concurrent requests.

Racing orders for the last units, mixed quantities, one Idempotency-Key or
one channel order id from many threads, cancels against new orders, double
cancel, pack, ship and return, receipts and putaways at once, two-line orders
in opposite line order: no 5xx, no over-allocation, nothing booked twice.

    python3 tests/api/test_concurrency.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, note, rand_suffix, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, list_all, make_wave, mk_sku,  # noqa: E402
                      order_body, run_threads, ship_body, stock, run_suite)

TESTS, test = collector()


@test
def test_concurrent_receipts(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CRC1")
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-CRC",
                                      "lines": [{"sku": "CRC1", "qty": 16}]}, expect=201)
    iid = seg(r.json["id"])
    errs = []

    def one():
        try:
            ctx.api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "CRC1", "qty": 1}]},
                         expect=200)
        except Exception as e:
            errs.append(e)
    ts = [threading.Thread(target=one) for _ in range(16)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    check(not errs, "concurrent receipts failed: %s" % (errs[:1],))
    r = ctx.api.get("/v1/inbounds/%s" % iid, expect=200)
    eq(r.json["lines"][0].get("received"), 16, "received after 16 concurrent receipts of 1", r)


@test
def test_concurrent_last_units(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CC1")
    stock(ctx, "S1", "DE-DUI", [("CC1", 10)])

    def worker(i):
        res = []
        for j in range(2):
            r = ctx.api.post("/v1/orders", order_body("S1", [("CC1", 1)], "DE", channel="race",
                                                      coid="RACE-%02d-%d" % (i, j)),
                             key="s1", expect=201)
            res.append((r.json["id"], r.json["status"]))
        return res
    out = [x for lst in run_threads(16, worker) for x in lst]
    statuses = {}
    for _, s in out:
        statuses[s] = statuses.get(s, 0) + 1
    eq(statuses, {"allocated": 10, "backordered": 22}, "statuses of 32 racing orders for 10 units")
    expect_inv(ctx, "S1", "DE-DUI", "CC1", on_hand=10, allocated=10, available=0)
    listed = list_all(ctx.api, "/v1/orders", key="s1", channel="race")
    eq(len(listed), 32, "orders written by the race")
    eq(sum(1 for o in listed if o.get("status") == "allocated"), 10, "allocated orders listed")


@test
def test_concurrent_mixed_qty(ctx):
    """16 threads order 1..4 units each of 20; never more than 20 allocated."""
    catalog(ctx)
    mk_sku(ctx, "S1", "CC2")
    stock(ctx, "S1", "DE-DUI", [("CC2", 20)])

    def worker(i):
        qty = i % 4 + 1
        r = ctx.api.post("/v1/orders", order_body("S1", [("CC2", qty)], "DE", channel="race2",
                                                  coid="RACE2-%02d" % i), key="s1", expect=201)
        return (qty, r.json["status"])
    out = run_threads(16, worker)
    alloc = sum(q_ for q_, s in out if s == "allocated")
    check(alloc <= 20, "over-allocation: %d units allocated of 20" % alloc)
    it = expect_inv(ctx, "S1", "DE-DUI", "CC2", on_hand=20)
    eq(it["allocated"], alloc, "inventory allocated vs the allocated orders")
    # available only shrank during the race: a backorder that fits now was refused wrongly
    waiting = [q_ for q_, s in out if s != "allocated"]
    check(all(q_ > it["available"] for q_ in waiting),
          "%d units left available while orders of %r wait" % (it["available"], waiting))


@test
def test_concurrent_idempotency_key(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CC3")
    stock(ctx, "S1", "DE-DUI", [("CC3", 10)])
    body = order_body("S1", [("CC3", 3)], "DE", channel="race3")
    k = "race-" + rand_suffix(12)

    def worker(i):
        r = ctx.api.post("/v1/orders", body, key="s1", headers={"Idempotency-Key": k})
        return r
    rs = run_threads(8, worker)
    ok = [r for r in rs if r.status in (200, 201)]
    for r in rs:
        check(r.status in (200, 201, 409), "concurrent retries: status %d" % r.status, r)
    check(ok, "no retry succeeded")
    eq(len({r.json.get("id") for r in ok}), 1, "distinct order ids among concurrent retries")
    if len(ok) != len(rs):
        note("concurrent retries with one Idempotency-Key: %d answered 409" % (len(rs) - len(ok)))
    eq(len(list_all(ctx.api, "/v1/orders", key="s1", channel="race3")), 1, "orders written")
    expect_inv(ctx, "S1", "DE-DUI", "CC3", allocated=3, available=7)


@test
def test_concurrent_channel_order_id(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CC4")
    stock(ctx, "S1", "DE-DUI", [("CC4", 10)])
    body = order_body("S1", [("CC4", 2)], "DE", channel="race4", coid="SAME-ORDER-1")
    rs = run_threads(8, lambda i: ctx.api.post("/v1/orders", body, key="s1", expect=(200, 201)))
    eq(len({r.json.get("id") for r in rs}), 1, "distinct order ids for one channel order")
    eq(len(list_all(ctx.api, "/v1/orders", key="s1", channel="race4")), 1, "orders written")
    expect_inv(ctx, "S1", "DE-DUI", "CC4", allocated=2, available=8)


@test
def test_concurrent_cancel_and_allocate(ctx):
    """Cancels and new orders racing on one SKU keep allocated == allocated orders."""
    catalog(ctx)
    mk_sku(ctx, "S1", "CC5")
    stock(ctx, "S1", "DE-DUI", [("CC5", 8)])
    first = [create_order(ctx, order_body("S1", [("CC5", 1)], "DE", channel="race5"))["id"] for _ in range(8)]

    def worker(i):
        if i < 8:
            ctx.api.post("/v1/orders/%s/cancel" % seg(first[i]), {}, key="s1", expect=200)
        else:
            ctx.api.post("/v1/orders", order_body("S1", [("CC5", 1)], "DE", channel="race5"), key="s1",
                         expect=201)
    run_threads(16, worker)
    time.sleep(0.5)
    orders = list_all(ctx.api, "/v1/orders", key="s1", channel="race5")
    alloc = sum(1 for o in orders if o.get("status") == "allocated")
    back = sum(1 for o in orders if o.get("status") == "backordered")
    eq(alloc + back, 8, "live orders after the race")
    it = expect_inv(ctx, "S1", "DE-DUI", "CC5", on_hand=8)
    eq(it["allocated"], alloc, "inventory allocated vs allocated orders")
    if alloc != 8:
        note("after cancels released stock, %d of 8 live orders are allocated (backorders not "
             "allocated on release)" % alloc)


@test
def test_concurrent_double_cancel(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "DC1")
    stock(ctx, "S1", "DE-DUI", [("DC1", 10)])
    a = create_order(ctx, order_body("S1", [("DC1", 4)], "DE"))
    create_order(ctx, order_body("S1", [("DC1", 3)], "DE"))
    rs = run_threads(8, lambda i: ctx.api.post("/v1/orders/%s/cancel" % seg(a["id"]), {}, key="s1",
                                               expect=(200, 409)))
    check(any(r.status == 200 for r in rs), "no cancel succeeded")
    expect_inv(ctx, "S1", "DE-DUI", "DC1", on_hand=10, allocated=3, available=7)


@test
def test_concurrent_double_pack_and_return(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "DP1")
    stock(ctx, "S1", "NL-VEN", [("DP1", 10)])
    o = create_order(ctx, order_body("S1", [("DP1", 4)], "NL"))
    w = make_wave(ctx, "NL-VEN")
    check(o["id"] in w["orders"], "wave lacks the order")
    rs = run_threads(8, lambda i: ctx.api.post("/v1/orders/%s/pack" % seg(o["id"]), {}, expect=(200, 409)))
    check(any(r.status == 200 for r in rs), "no pack succeeded")
    expect_inv(ctx, "S1", "NL-VEN", "DP1", on_hand=6, allocated=0, available=6)
    rs = run_threads(8, lambda i: ctx.api.post("/v1/orders/%s/ship" % seg(o["id"]), ship_body("T-%d" % i),
                                               expect=(200, 409)))
    eq(sum(1 for r in rs if r.status == 200), 1, "concurrent ships that succeeded")
    ctx.api.post("/v1/orders/%s/deliver" % seg(o["id"]), {}, expect=200)
    rs = run_threads(8, lambda i: ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "DP1", "qty": 1, "condition": "sellable"}]}, key="s1"))
    for r in rs:
        check(r.status == 201 or 400 <= r.status < 500, "concurrent returns", r)
    eq(sum(1 for r in rs if r.status == 201), 4, "returns of 1 unit accepted for 4 delivered")
    expect_inv(ctx, "S1", "NL-VEN", "DP1", on_hand=10, allocated=0, available=10)


@test
def test_concurrent_putaway(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CP1")
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-CP",
                                      "lines": [{"sku": "CP1", "qty": 20}]}, expect=201)
    iid = seg(r.json["id"])
    ctx.api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "CP1", "qty": 20}]}, expect=200)
    rs = run_threads(8, lambda i: ctx.api.post("/v1/inbounds/%s/putaway" % iid, {}))
    for r in rs:
        check(r.status == 200 or 400 <= r.status < 500, "concurrent putaway", r)
    moved = sum(m["qty"] for r in rs if r.status == 200 for m in r.json.get("moves", []))
    eq(moved, 20, "units put away by 8 concurrent automatic putaways")
    expect_inv(ctx, "S1", "DE-DUI", "CP1", on_hand=20, available=20)
    r = ctx.api.get("/v1/inbounds/%s" % iid, expect=200)
    eq(r.json["lines"][0].get("put_away"), 20, "put_away", r)


@test
def test_concurrent_cross_lines(ctx):
    """Orders of [A,B] and [B,A] at once (lock order): no 5xx, no over-allocation."""
    catalog(ctx)
    mk_sku(ctx, "S1", "XA")
    mk_sku(ctx, "S1", "XB")
    stock(ctx, "S1", "DE-DUI", [("XA", 12), ("XB", 12)])

    def worker(i):
        lines = [("XA", 1), ("XB", 1)] if i % 2 else [("XB", 1), ("XA", 1)]
        out = []
        for j in range(2):
            r = ctx.api.post("/v1/orders", order_body("S1", lines, "DE", channel="cross"), key="s1", expect=201)
            out.append(r.json["status"])
        return out
    res = [s_ for lst in run_threads(16, worker) for s_ in lst]
    eq(res.count("allocated"), 12, "allocated of 32 two-line orders for 12 + 12 units")
    expect_inv(ctx, "S1", "DE-DUI", "XA", on_hand=12, allocated=12, available=0)
    expect_inv(ctx, "S1", "DE-DUI", "XB", on_hand=12, allocated=12, available=0)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

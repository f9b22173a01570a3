#!/usr/bin/env python3
"""haicang API tests: the journal and the overview figures.

Postings of an order and of an inbound, oldest first, each with its ref;
moves in and out of a warehouse add up to on_hand; tenancy of
/v1/journal?seller=&sku= and of /v1/stats/overview.

    python3 tests/api/test_journal.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, q)  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, fulfil, items_of, journal,  # noqa: E402
                      list_all, mk_sku, order_body, stock, run_suite)

TESTS, test = collector()


@test
def test_journal_order(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "JR1")
    stock(ctx, "S1", "DE-DUI", [("JR1", 5)])
    o = create_order(ctx, order_body("S1", [("JR1", 2)], "DE"))
    jr = journal(ctx, o["id"])
    check(jr, "journal of an allocated order is empty")
    check(all(p["sku"] == "JR1" for p in jr), "journal of the order names other SKUs: %r" % jr)
    ids = [p["id"] for p in jr]
    check(len(set(ids)) == len(ids), "posting ids repeat: %r" % ids)
    ats = [p["at"] for p in jr]
    check(ats == sorted(ats), "journal not oldest first: %r" % ats)
    jr2 = journal(ctx, o["id"], key="s1")
    eq(len(jr2), len(jr), "the seller sees its order's journal")


@test
def test_journal_inbound(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "JR2")
    ib = stock(ctx, "S1", "DE-DUI", [("JR2", 7)])
    jr = journal(ctx, ib["id"])
    check(jr, "journal of a received inbound is empty")
    into = sum(p["qty"] for p in jr
               if str(p["to"]).startswith("wh/DE-DUI") and not str(p["from"]).startswith("wh/DE-DUI"))
    eq(into, 7, "units posted into wh/DE-DUI/… by the inbound")
    inside = [p for p in jr if str(p["from"]).startswith("wh/DE-DUI") and str(p["to"]).startswith("wh/DE-DUI")]
    eq(sum(p["qty"] for p in inside), 7, "units moved receiving → bin by the putaway")


@test
def test_journal_bad_query(ctx):
    r = ctx.api.get("/v1/journal")
    if r.status != 200:
        problem(r, what="journal without ref")
    r = ctx.api.get(q("/v1/journal", ref="NO-SUCH-REF"), expect=(200, 404))
    if r.status == 200:
        eq(items_of(r), [], "journal of an unknown ref", r)


@test
def test_journal_reconciles_inventory(ctx):
    """For one SKU, postings in and out of wh/<wh>/… add up to on_hand."""
    catalog(ctx)
    mk_sku(ctx, "S1", "REC1")
    stock(ctx, "S1", "NL-VEN", [("REC1", 12)])
    o = create_order(ctx, order_body("S1", [("REC1", 5)], "NL"))
    fulfil(ctx, "NL-VEN", [o["id"]])
    ctx.api.post("/v1/returns", {"order": o["id"], "lines": [{"sku": "REC1", "qty": 2, "condition": "sellable"},
                                                            {"sku": "REC1", "qty": 1, "condition": "damaged"}]},
                 key="s1", expect=201)
    it = expect_inv(ctx, "S1", "NL-VEN", "REC1", on_hand=9, allocated=0, available=9)
    items = list_all(ctx.api, "/v1/journal", seller="S1", sku="REC1")
    check(items, "GET /v1/journal?seller=S1&sku=REC1 is empty")
    bal = 0
    for p in items:
        eq(p.get("sku"), "REC1", "sku of a posting listed by seller+sku")
        if p.get("kind", "move") != "move":
            continue
        if str(p["to"]).startswith("wh/NL-VEN/"):
            bal += p["qty"]
        if str(p["from"]).startswith("wh/NL-VEN/"):
            bal -= p["qty"]
    eq(bal, it["on_hand"], "on_hand recomputed from the journal's moves")
    r = ctx.api.get(q("/v1/journal", seller="S1", sku="REC1"), key="s2")
    if r.status == 200:
        eq(items_of(r), [], "S2 reading S1's journal by seller+sku", r)
    else:
        problem(r, (403, 404), what="S2 reading S1's journal by seller+sku")


@test
def test_stats_overview(ctx):
    catalog(ctx)
    for key in ("admin", "op", "s1"):
        r = ctx.api.get("/v1/stats/overview", key=key, expect=200)
        for f in ("stock", "orders_by_status", "orders_per_day", "backorders", "inbounds_expected",
                  "inventory_age"):
            check(f in r.json, "overview lacks %r" % f, r)
    r = ctx.api.get("/v1/stats/overview", key="s2", expect=200)
    check(all(x.get("seller") == "S2" for x in r.json.get("stock", [])), "S2's overview shows other sellers", r)
    r = ctx.api.get(q("/v1/stats/overview", seller="S1"), key="s2")
    if r.status == 200:
        check(all(x.get("seller") != "S1" for x in r.json.get("stock", [])), "S2 reads S1's overview", r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: paged lists.

Cursor paging sees every item once, newest first; limit over the maximum;
the default page of 100.

    python3 tests/api/test_paging.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, note, problem, q)  # noqa: E402
from fixtures import (collector, catalog, create_order, get_order, items_of, list_all, mk_sku,  # noqa: E402
                      order_body, PICK_DIMS, PICK_MAX_G, run_suite)

TESTS, test = collector()


@test
def test_paging_orders(ctx):
    catalog(ctx)
    mk_sku(ctx, "S2", "PG1")
    made = set()
    for i in range(23):
        o = create_order(ctx, order_body("S2", [("PG1", 1)], "DE", channel="paging", coid="PG-%03d" % i), key="s2")
        made.add(o["id"])
    seen = []
    cursor = None
    pages = 0
    while True:
        r = ctx.api.get(q("/v1/orders", channel="paging", limit=5, cursor=cursor), key="s2", expect=200)
        its = items_of(r)
        check(len(its) <= 5, "page longer than limit=5", r)
        seen.extend(o["id"] for o in its)
        pages += 1
        cursor = r.json.get("next_cursor")
        if cursor is None:
            break
        check(pages < 20, "paging does not end", r)
    eq(len(seen), len(set(seen)), "orders seen more than once while paging")
    eq(set(seen), made, "orders seen while paging with limit=5")
    created = [get_order(ctx, oid)["created_at"] for oid in seen]
    if created != sorted(created, reverse=True):
        note("GET /v1/orders is not newest first")
    # all orders, admin, small pages vs one big page
    small = [o["id"] for o in list_all(ctx.api, "/v1/orders", limit=7)]
    eq(len(small), len(set(small)), "duplicates while paging all orders")
    big = [o["id"] for o in list_all(ctx.api, "/v1/orders", limit=1000)]
    eq(set(small), set(big), "limit=7 paging vs limit=1000 paging")


@test
def test_paging_limit_over_max(ctx):
    catalog(ctx)
    r = ctx.api.get(q("/v1/orders", limit=1001))
    if r.status == 200:
        check(len(items_of(r)) <= 1000, "limit=1001 answered more than 1000 items", r)
    else:
        problem(r, 400, field="limit", what="limit=1001")
    r = ctx.api.get(q("/v1/orders", limit=1000), expect=200)
    items_of(r)


@test
def test_paging_default_limit(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "PGL")
    # 101 locations in a fresh warehouse: the default page is 100
    ctx.api.post("/v1/warehouses", {"code": "PL-WAW", "name": "Warsaw", "country": "PL",
                                    "address": {"city": "Warszawa"}, "timezone": "Europe/Warsaw"}, expect=201)
    locs = [{"code": "P-%03d-1" % i, "zone": "PICK", "dims_mm": PICK_DIMS, "max_weight_g": PICK_MAX_G}
            for i in range(1, 102)]
    ctx.api.post("/v1/warehouses/PL-WAW/locations", {"locations": locs}, expect=201)
    r = ctx.api.get(q("/v1/warehouses/PL-WAW/locations", zone="PICK"), expect=200)
    eq(len(items_of(r)), 100, "default page size")
    check(r.json["next_cursor"] is not None, "next_cursor after a full default page", r)
    allp = list_all(ctx.api, "/v1/warehouses/PL-WAW/locations", zone="PICK", limit=1000)
    eq(len(allp), 101, "locations of PL-WAW")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: sellers, warehouses, locations and SKUs.

Create and read back the catalog (fixture `catalog`), duplicates refused,
location aisle/bay/level read from the code or given, zone filter, SKU
Unicode round trip, prefix search taking LIKE wildcards literally, SKU codes
that need percent-encoding in the path.

    python3 tests/api/test_catalog.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, iso_utc, note, problem, q, seg)  # noqa: E402
from fixtures import (collector, catalog, items_of, list_all, LOCATIONS, mk_sku, PICK_DIMS,  # noqa: E402
                      PICK_MAX_G, sku_body, WAREHOUSES, run_suite)

TESTS, test = collector()


@test
def test_catalog_sellers(ctx):
    catalog(ctx)
    r = ctx.api.get("/v1/sellers/S1", expect=200)
    for f in ("code", "name", "country", "created_at"):
        check(f in r.json, "seller lacks %r" % f, r)
    eq(r.json["country"], "CN", "seller country", r)
    iso_utc(r.json["created_at"], "seller created_at", r)
    codes = {s.get("code") for s in list_all(ctx.api, "/v1/sellers")}
    check({"S1", "S2"} <= codes, "GET /v1/sellers lacks S1/S2: %r" % codes)
    # duplicate code: 409, not a second seller
    r = ctx.api.post("/v1/sellers", {"code": "S1", "name": "again", "country": "CN"})
    problem(r, (409, 422), what="duplicate seller")


@test
def test_catalog_warehouses(ctx):
    catalog(ctx)
    r = ctx.api.get("/v1/warehouses/DE-DUI", expect=200)
    w = r.json
    eq(w.get("country"), "DE", "warehouse country", r)
    eq(w.get("timezone"), "Europe/Berlin", "warehouse timezone", r)
    eq(w.get("name"), "Duisburg", "warehouse name", r)
    check(isinstance(w.get("address"), dict), "warehouse address must be an object", r)
    codes = {x.get("code") for x in list_all(ctx.api, "/v1/warehouses")}
    check({"DE-DUI", "US-LAX"} <= codes, "GET /v1/warehouses lacks ours: %r" % codes)
    r = ctx.api.post("/v1/warehouses", WAREHOUSES[0])
    problem(r, (409, 422), what="duplicate warehouse")


@test
def test_catalog_locations(ctx):
    catalog(ctx)
    locs = list_all(ctx.api, "/v1/warehouses/DE-DUI/locations", limit=25)
    by = {x.get("code"): x for x in locs}
    check(len(by) == len(locs), "location list has duplicates")
    for want in LOCATIONS["DE-DUI"]:
        check(want["code"] in by, "location %s missing from the list" % want["code"])
    l = by["A-03-2"]
    eq(l.get("dims_mm"), PICK_DIMS, "A-03-2 dims_mm")
    eq(l.get("max_weight_g"), PICK_MAX_G, "A-03-2 max_weight_g")
    eq(l.get("zone"), "PICK", "A-03-2 zone")
    eq((l.get("bay"), l.get("level")), (3, 2), "A-03-2 (bay, level) read from the code")
    if l.get("aisle") != 1:
        note("location A-03-2 without aisle gets aisle %r (letter A read as 1 expected)" % l.get("aisle"))
    zones = {x.get("zone") for x in locs}
    if "RECEIVING" not in zones:
        note("no RECEIVING location listed for DE-DUI (docs/api.md: created with every warehouse)")
    bulk = list_all(ctx.api, "/v1/warehouses/DE-DUI/locations", zone="BULK")
    eq(sorted(x["code"] for x in bulk), ["D-01-1", "D-02-1", "D-03-1", "D-04-1"], "zone=BULK filter")
    us = {x["code"]: x for x in list_all(ctx.api, "/v1/warehouses/US-LAX/locations")}
    eq((us["B-05-2"].get("aisle"), us["B-05-2"].get("bay"), us["B-05-2"].get("level")), (2, 5, 2),
       "explicit aisle/bay/level of US-LAX B-05-2")


@test
def test_catalog_skus(ctx):
    catalog(ctx)
    r = ctx.api.get("/v1/skus/S1/SKU1", expect=200)
    s = r.json
    want = sku_body("S1", "SKU1")
    for f in ("seller", "sku", "name", "name_zh", "hs_code", "declared_value", "origin_country",
              "dims_mm", "weight_g", "barcode", "brand"):
        eq(s.get(f), want[f], "sku field %s" % f, r)
    iso_utc(s.get("created_at"), "sku created_at", r)
    # same code, other seller: its own object
    r = ctx.api.get("/v1/skus/S2/SKU1", expect=200)
    eq(r.json.get("seller"), "S2", "S2/SKU1 seller", r)
    r = ctx.api.get("/v1/skus/S1/NO-SUCH-SKU")
    problem(r, 404, what="unknown sku")
    r = ctx.api.post("/v1/skus", sku_body("S1", "SKU1"))
    problem(r, (409, 422), what="duplicate sku")
    skus = {x.get("sku") for x in list_all(ctx.api, "/v1/skus", seller="S1")}
    check({"SKU1", "SKU2", "SKU3"} <= skus, "GET /v1/skus?seller=S1 lacks ours: %r" % skus)
    r = ctx.api.get(q("/v1/skus", seller="S1", q="SKU"), expect=200)
    check(all(i.get("seller") == "S1" for i in items_of(r)), "seller filter of /v1/skus", r)


@test
def test_sku_unicode_roundtrip(ctx):
    catalog(ctx)
    name = "蓝牙耳机 – Écouteurs « sans fil » 🎧 \"quoted\" \\ back"
    mk_sku(ctx, "S1", "UNI-1", name=name)
    r = ctx.api.get("/v1/skus/S1/UNI-1", expect=200)
    eq(r.json.get("name"), name, "unicode name round trip", r)


@test
def test_search_wildcards_literal(ctx):
    """q is a prefix match: LIKE wildcards and quotes are taken literally, never a 5xx."""
    catalog(ctx)
    for qv in ("%", "_", "SKU%", "'", "\\", "\"", "' OR 1=1 --", "%25", "SK_1"):
        r = ctx.api.get(q("/v1/skus", seller="S1", q=qv), expect=200)
        got = [i.get("sku") for i in items_of(r)]
        check(all(str(x).startswith(qv) or str(i_name).startswith(qv)
                  for x, i_name in ((i.get("sku"), i.get("name")) for i in items_of(r))),
              "GET /v1/skus?q=%r matched %r" % (qv, got[:10]), r)
        r = ctx.api.get(q("/v1/inventory", seller="S1", q=qv))
        check(r.status in (200, 400), "GET /v1/inventory?q=%r" % qv, r)


@test
def test_sku_code_needs_path_encoding(ctx):
    """A SKU code with a space or non-ASCII is refused, or readable back by its encoded path."""
    catalog(ctx)
    for code in ("A B-1", "蓝牙-1", "X%Y", "a+b"):
        r = ctx.api.post("/v1/skus", sku_body("S1", code))
        if r.status == 201:
            r = ctx.api.get("/v1/skus/S1/%s" % seg(code))
            eq((r.status, (r.json or {}).get("sku")), (200, code), "GET of SKU %r by its encoded path" % code, r)
        else:
            problem(r, field="sku", what="SKU code %r" % code)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""Black-box HTTP API tests of haicang (issue 2).

Starts the real `haicang serve` on a temporary database, walks the core flow
(catalog, inbound, orders, waves, returns, journal), tenancy and auth, bad
input, paging, the OpenAPI document and concurrent allocation, and ends with
exactly one line `N passed, N failed` (exit status non-zero on any failure).

    python3 tests/api/run.py --bin build/src/cli/haicang --db sqlite
    python3 tests/api/run.py --bin build/src/cli/haicang --db mysql://u:p@127.0.0.1:3306/haicang
    python3 tests/api/run.py --bin build/src/cli/haicang --db mariadb   # starts a temp mariadbd
    python3 tests/api/run.py ... -k order -k wave                         # a subset

Contract: ../shared/API.md (fixed) and docs/api.md (the implementation's own
routes and object shapes). Standard library only.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # keep tests/api free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, Fail, MariaDB, Runner, Server, check, cleanup, create_key, eq,  # noqa: E402
                    fresh_db_url, iso_utc, note, problem, q, rand_suffix, run_cli,
                    sanitizer_lines, seg, NOTES)

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, api, binary, db):
        self.api = api
        self.binary = binary
        self.db = db
        self.fixtures = {}
        self.cli_stderr = []


def fixture(fn):
    """Runs once per suite; a failed fixture fails every test that needs it."""
    def wrapper(ctx):
        name = fn.__name__
        if name not in ctx.fixtures:
            try:
                ctx.fixtures[name] = ("ok", fn(ctx))
            except Exception as e:  # remember and re-raise for every dependant
                ctx.fixtures[name] = ("err", e)
        state, val = ctx.fixtures[name]
        if state == "err":
            if isinstance(val, Fail):
                raise Fail("fixture %s failed: %s" % (name, val))
            raise val
        return val
    return wrapper


# ------------------------------------------------------------------ test data

ADDR = {
    "DE": {"name": "Max Mustermann", "country": "DE", "postcode": "47051", "city": "Duisburg",
           "line1": "Königstraße 1"},
    "US": {"name": "Jane Doe", "country": "US", "postcode": "90045", "city": "Los Angeles",
           "line1": "1 World Way"},
    "NL": {"name": "Sanne de Vries", "country": "NL", "postcode": "5911", "city": "Venlo",
           "line1": "Markt 1"},
    "FR": {"name": "Jean Dupont", "country": "FR", "postcode": "75001", "city": "Paris",
           "line1": "1 Rue de Rivoli"},
}

WAREHOUSES = [
    {"code": "DE-DUI", "name": "Duisburg", "country": "DE",
     "address": {"line1": "Hafenstraße 1", "city": "Duisburg", "postcode": "47119", "country": "DE"},
     "timezone": "Europe/Berlin", "lat": 51.4344, "lon": 6.7623},
    {"code": "US-LAX", "name": "Los Angeles", "country": "US",
     "address": {"line1": "1 Harbor Blvd", "city": "Los Angeles", "postcode": "90731", "country": "US"},
     "timezone": "America/Los_Angeles", "lat": 33.9416, "lon": -118.4085},
    # a warehouse of its own for waves and returns, so a wave takes only our orders
    {"code": "NL-VEN", "name": "Venlo", "country": "NL",
     "address": {"line1": "Edisonstraat 1", "city": "Venlo", "postcode": "5928", "country": "NL"},
     "timezone": "Europe/Amsterdam", "lat": 51.3704, "lon": 6.1724},
]

PICK_DIMS = [1200, 800, 1000]
PICK_MAX_G = 500000
BULK_DIMS = [2400, 1200, 2000]
BULK_MAX_G = 2000000


def de_locations():
    locs = []
    for a in "ABC":
        for b in range(1, 11):
            for lv in range(1, 4):
                locs.append({"code": "%s-%02d-%d" % (a, b, lv), "zone": "PICK",
                             "dims_mm": PICK_DIMS, "max_weight_g": PICK_MAX_G})
    for b in range(1, 5):
        locs.append({"code": "D-%02d-1" % b, "zone": "BULK", "dims_mm": BULK_DIMS,
                     "max_weight_g": BULK_MAX_G})
    return locs


def explicit_locations(aisles, bays, levels):
    locs = []
    for ai, a in enumerate(aisles, 1):
        for b in range(1, bays + 1):
            for lv in range(1, levels + 1):
                locs.append({"code": "%s-%02d-%d" % (a, b, lv), "zone": "PICK",
                             "dims_mm": PICK_DIMS, "max_weight_g": PICK_MAX_G,
                             "aisle": ai, "bay": b, "level": lv})
    return locs


LOCATIONS = {
    "DE-DUI": de_locations(),                       # 94: aisle/bay/level read from the code
    "US-LAX": explicit_locations("AB", 5, 2),       # 20
    "NL-VEN": explicit_locations("ABCD", 10, 1),    # 40
}


def sku_body(seller, sku, name=None, dims=None, weight=None, **over):
    b = {"seller": seller, "sku": sku, "name": name or ("Test item " + sku),
         "name_zh": "测试商品", "hs_code": "8517130000",
         "declared_value": {"amount": "12.50", "currency": "USD"},
         "origin_country": "CN", "dims_mm": dims or [200, 150, 100], "weight_g": weight or 500,
         "barcode": "6901234567892", "brand": "Haicang"}
    b.update(over)
    return b


def order_body(seller, lines, country="DE", channel="shop", coid=None, currency="EUR"):
    return {"seller": seller, "channel": channel,
            "channel_order_id": coid or ("CO-" + rand_suffix(10)),
            "ship_to": dict(ADDR[country]),
            "lines": [{"sku": s, "qty": n, "unit_price": {"amount": "19.99", "currency": currency}}
                      for s, n in lines]}


# ------------------------------------------------------------------ helpers

def items_of(r, what="list"):
    body = r.json
    check(isinstance(body, dict) and isinstance(body.get("items"), list),
          "%s: answer must be {\"items\":[...], \"next_cursor\":...}" % what, r)
    check("next_cursor" in body, "%s: answer lacks next_cursor" % what, r)
    return body["items"]


def list_all(api, path, key="admin", limit=100, max_pages=2000, **params):
    """Every item of a paged list, following next_cursor."""
    out = []
    cursor = None
    for _ in range(max_pages):
        r = api.get(q(path, limit=limit, cursor=cursor, **params), key=key, expect=200)
        out.extend(items_of(r, path))
        cursor = r.json.get("next_cursor")
        if cursor is None:
            return out
        check(isinstance(cursor, str) and cursor != "", "next_cursor must be a string or null", r)
    raise Fail("%s: more than %d pages (cursor loop?)" % (path, max_pages))


def proj_moves(moves):
    if not isinstance(moves, list):
        return moves
    return [{k: m.get(k) for k in ("sku", "qty", "location")} if isinstance(m, dict) else m for m in moves]


ZERO = {"on_hand": 0, "allocated": 0, "available": 0, "in_transit": 0}


def inv(ctx, seller, wh, sku, key="admin"):
    r = ctx.api.get(q("/v1/inventory", seller=seller, warehouse=wh, sku=sku), key=key, expect=200)
    its = [i for i in items_of(r, "inventory")
           if i.get("seller") == seller and i.get("warehouse") == wh and i.get("sku") == sku]
    check(len(its) <= 1, "inventory lists %s/%s/%s more than once" % (seller, wh, sku), r)
    if not its:
        return dict(ZERO)
    it = its[0]
    for f in ("seller", "warehouse", "sku", "on_hand", "allocated", "available", "in_transit"):
        check(f in it, "inventory item lacks %r" % f, r)
    check(it["available"] == it["on_hand"] - it["allocated"],
          "available must be on_hand - allocated: %r" % it, r)
    check(it["on_hand"] >= 0 and it["allocated"] >= 0,
          "inventory must never be negative: %r" % it, r)
    return it


def expect_inv(ctx, seller, wh, sku, key="admin", **want):
    it = inv(ctx, seller, wh, sku, key=key)
    got = {k: it.get(k) for k in want}
    check(got == want, "inventory %s/%s/%s: expected %r, got %r" % (seller, wh, sku, want, got))
    return it


def mk_sku(ctx, seller, sku, **kw):
    r = ctx.api.post("/v1/skus", sku_body(seller, sku, **kw), expect=201)
    return r.json


def stock(ctx, seller, wh, lines, moves=None, key="admin", ref=None):
    """Inbound + full receipt + putaway (automatic, or the given moves). Returns the inbound."""
    api = ctx.api
    r = api.post("/v1/inbounds", {"seller": seller, "warehouse": wh,
                                  "reference": ref or ("ASN-" + rand_suffix(8)),
                                  "lines": [{"sku": s, "qty": n} for s, n in lines]},
                 key=key, expect=201)
    ib = r.json
    api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]),
             {"lines": [{"sku": s, "qty": n} for s, n in lines]}, key=key, expect=200)
    api.post("/v1/inbounds/%s/putaway" % seg(ib["id"]),
             {"moves": moves} if moves else {}, key=key, expect=200)
    return ib


def create_order(ctx, body, key="s1", expect=201, headers=None):
    r = ctx.api.post("/v1/orders", body, key=key, expect=expect, headers=headers)
    return r.json


def get_order(ctx, oid, key="admin"):
    return ctx.api.get("/v1/orders/%s" % seg(oid), key=key, expect=200).json


def wait_status(ctx, oid, status, timeout=10.0, key="admin"):
    deadline = time.time() + timeout
    while True:
        o = get_order(ctx, oid, key=key)
        if o.get("status") == status:
            return o
        if time.time() > deadline:
            raise Fail("order %s: status %r, expected %r within %.0fs" %
                       (oid, o.get("status"), status, timeout))
        time.sleep(0.2)


def make_wave(ctx, wh, key="admin"):
    r = ctx.api.post("/v1/waves", {"warehouse": wh}, key=key, expect=201)
    return r.json


def ship_body(tracking=None):
    return {"carrier": "DHL", "tracking_no": tracking or ("JJD" + rand_suffix(12).upper()),
            "parcels": [{"weight_g": 1200, "dims_mm": [300, 200, 100]}]}


def fulfil(ctx, wh, oids, deliver=True):
    """Wave, pack, ship (and deliver) the given orders of warehouse wh."""
    w = make_wave(ctx, wh)
    for oid in oids:
        check(oid in w.get("orders", []), "wave %r does not take order %s" % (w.get("id"), oid))
    for oid in oids:
        ctx.api.post("/v1/orders/%s/pack" % seg(oid), {}, expect=200)
        ctx.api.post("/v1/orders/%s/ship" % seg(oid), ship_body(), expect=200)
        if deliver:
            ctx.api.post("/v1/orders/%s/deliver" % seg(oid), {}, expect=200)
    return w


def journal(ctx, ref, key="admin"):
    items = list_all(ctx.api, "/v1/journal", key=key, ref=ref)
    for p in items:
        for f in ("id", "at", "sku", "qty", "from", "to", "ref"):
            check(f in p, "journal posting lacks %r: %r" % (f, p))
        eq(p["ref"], ref, "posting ref")
        iso_utc(p["at"], "posting at")
        check(isinstance(p["qty"], int) and p["qty"] > 0, "posting qty must be a positive integer: %r" % p)
    return items


# ------------------------------------------------------------------ fixtures

@fixture
def catalog(ctx):
    api = ctx.api
    for code, name in (("S1", "Shenzhen Anker-like Electronics Co., Ltd."),
                       ("S2", "Yiwu Household Goods Co., Ltd.")):
        r = api.post("/v1/sellers", {"code": code, "name": name, "country": "CN",
                                     "uscc": "91440300MA5" + code.ljust(7, "0"),
                                     "customs_code": "44039" + code.ljust(5, "0")}, expect=201)
        eq(r.json.get("code"), code, "seller code", r)
    for wh in WAREHOUSES:
        r = api.post("/v1/warehouses", wh, expect=201)
        eq(r.json.get("code"), wh["code"], "warehouse code", r)
        locs = LOCATIONS[wh["code"]]
        r = api.post("/v1/warehouses/%s/locations" % wh["code"], {"locations": locs}, expect=201)
        eq(r.json.get("created"), len(locs), "locations created", r)
    for seller, sku in (("S1", "SKU1"), ("S1", "SKU2"), ("S1", "SKU3"), ("S2", "SKU1"), ("S2", "SKU2")):
        mk_sku(ctx, seller, sku)
    return True


# ------------------------------------------------------------------ 10. health, metrics, openapi

@test
def test_healthz(ctx):
    r = ctx.api.get("/healthz", key=None, expect=200)
    eq(r.json, {"status": "ok"}, "healthz body", r)


@test
def test_metrics(ctx):
    r = ctx.api.get("/metrics", key=None)
    if r.status in (401, 403):
        note("/metrics needs a key (%d without one)" % r.status)
        r = ctx.api.get("/metrics", key="admin")
    eq(r.status, 200, "GET /metrics status", r)
    check(r.ctype.startswith("text/plain"), "metrics Content-Type must be text/plain…, is %r" % r.ctype, r)
    text = r.body.decode("utf-8")
    samples = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    check(samples, "metrics has no samples", r)
    label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
    pat = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{(%s)(,%s)*,?\})?\s+[-+]?([0-9.eE+-]+|NaN|\+?Inf|-Inf)(\s+-?\d+)?$'
                     % (label, label))
    bad = [ln for ln in samples if not pat.match(ln)]
    check(not bad, "metrics lines not in Prometheus text format: %r" % bad[:5], r)


API_MD_ROUTES = [
    ("post", "/v1/sellers"), ("post", "/v1/warehouses"), ("post", "/v1/warehouses/{}/locations"),
    ("post", "/v1/skus"), ("get", "/v1/skus/{}/{}"), ("post", "/v1/inbounds"),
    ("post", "/v1/inbounds/{}/receipts"), ("post", "/v1/inbounds/{}/putaway"),
    ("get", "/v1/inventory"), ("post", "/v1/orders"), ("get", "/v1/orders/{}"),
    ("post", "/v1/orders/{}/cancel"), ("post", "/v1/waves"), ("post", "/v1/orders/{}/ship"),
    ("post", "/v1/orders/{}/deliver"), ("post", "/v1/returns"), ("get", "/v1/journal"),
    ("get", "/v1/openapi.json"),
]
DOCS_ROUTES = [
    ("get", "/v1/me"), ("get", "/v1/sellers"), ("get", "/v1/sellers/{}"), ("get", "/v1/warehouses"),
    ("get", "/v1/warehouses/{}"), ("get", "/v1/warehouses/{}/locations"), ("get", "/v1/skus"),
    ("get", "/v1/inbounds"), ("get", "/v1/inbounds/{}"), ("get", "/v1/orders"),
    ("post", "/v1/orders/{}/pack"), ("get", "/v1/waves"), ("get", "/v1/waves/{}"),
    ("get", "/v1/returns"), ("get", "/v1/returns/{}"), ("get", "/v1/stats/overview"),
    ("get", "/healthz"), ("get", "/metrics"),
]


@test
def test_openapi(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None)
    if r.status in (401, 403):
        note("/v1/openapi.json needs a key")
        r = ctx.api.get("/v1/openapi.json", key="admin")
    eq(r.status, 200, "openapi status", r)
    doc = r.json
    check(isinstance(doc, dict), "openapi.json is not a JSON object", r)
    check(str(doc.get("openapi", "")).startswith("3"), "\"openapi\" must be 3.x, is %r" % doc.get("openapi"), r)
    paths = doc.get("paths")
    check(isinstance(paths, dict) and paths, "openapi.json has no \"paths\"", r)
    norm = {}
    for p, ops in paths.items():
        key = re.sub(r"\{[^}]*\}", "{}", p)
        norm.setdefault(key, set()).update(k.lower() for k in (ops or {}).keys())
    missing = [("%s %s" % (m.upper(), p)) for m, p in API_MD_ROUTES
               if p not in norm or m not in norm[p]]
    check(not missing, "openapi.json lacks routes of API.md: %s" % ", ".join(missing), r)
    extra_missing = [("%s %s" % (m.upper(), p)) for m, p in DOCS_ROUTES
                     if p not in norm or m not in norm[p]]
    if extra_missing:
        note("openapi.json lacks routes of docs/api.md: %s" % ", ".join(extra_missing))


# ------------------------------------------------------------------ 1. catalog

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


# ------------------------------------------------------------------ 2. inbound

@test
def test_inbound_receive_putaway(ctx):
    catalog(ctx)
    api = ctx.api
    mk_sku(ctx, "S1", "INB1")
    mk_sku(ctx, "S1", "INB2")
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-0001",
                                  "lines": [{"sku": "INB1", "qty": 100}, {"sku": "INB2", "qty": 50}]},
                 expect=201)
    ib = r.json
    check("id" in ib, "inbound lacks id", r)
    eq(ib.get("status"), "expected", "new inbound status", r)
    eq(ib.get("seller"), "S1", "inbound seller", r)
    eq(ib.get("warehouse"), "DE-DUI", "inbound warehouse", r)
    eq(ib.get("reference"), "ASN-0001", "inbound reference", r)
    expect_inv(ctx, "S1", "DE-DUI", "INB1", on_hand=0, allocated=0, available=0)
    iid = seg(ib["id"])

    # short receipt of INB1 (90 of 100), over receipt of INB2 (60 of 50): both recorded
    r = api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "INB1", "qty": 90}]}, expect=200)
    lines = {ln.get("sku"): ln for ln in r.json.get("lines", [])}
    eq(lines.get("INB1", {}).get("received"), 90, "INB1 received after short receipt", r)
    eq(lines.get("INB1", {}).get("expected"), 100, "INB1 expected", r)
    r = api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "INB2", "qty": 60}]}, expect=200)
    lines = {ln.get("sku"): ln for ln in r.json.get("lines", [])}
    eq(lines.get("INB2", {}).get("received"), 60, "INB2 received after over receipt", r)
    eq(lines.get("INB1", {}).get("received"), 90, "INB1 received unchanged", r)
    check(r.json.get("status") in ("receiving", "received"),
          "inbound status after receipts: %r" % r.json.get("status"), r)
    # received goods are in the warehouse (receiving area), not yet available for sure
    it = inv(ctx, "S1", "DE-DUI", "INB1")
    if it["on_hand"] != 90:
        note("after a receipt of 90 (before putaway) inventory on_hand is %r; the receiving area "
             "is a warehouse place, 90 expected" % it["on_hand"])

    # automatic putaway of INB1
    r = api.post("/v1/inbounds/%s/putaway" % iid, {}, expect=200)
    moves = r.json.get("moves")
    check(isinstance(moves, list) and moves, "automatic putaway answers no moves", r)
    codes = {x["code"]: x for x in list_all(api, "/v1/warehouses/DE-DUI/locations", limit=1000)}
    for m in moves:
        for f in ("sku", "qty", "location"):
            check(f in m, "putaway move lacks %r" % f, r)
        check(m["location"] in codes, "putaway into unknown location %r" % m["location"], r)
        check(codes[m["location"]].get("zone") not in ("RECEIVING", "RETURNS"),
              "putaway into %r" % m["location"], r)
    per_sku = {}
    for m in moves:
        per_sku[m["sku"]] = per_sku.get(m["sku"], 0) + m["qty"]
    eq(per_sku.get("INB1"), 90, "INB1 units put away automatically", r)
    if per_sku.get("INB2") not in (None, 60):
        raise Fail("INB2 put away automatically %r, expected all 60 or none" % per_sku.get("INB2"))
    if per_sku.get("INB2") is None:
        # manual putaway of INB2 when the automatic one left it
        r = api.post("/v1/inbounds/%s/putaway" % iid,
                     {"moves": [{"sku": "INB2", "qty": 60, "location": "B-05-1"}]}, expect=200)
        eq(proj_moves(r.json.get("moves")), [{"sku": "INB2", "qty": 60, "location": "B-05-1"}],
           "manual putaway moves", r)
    expect_inv(ctx, "S1", "DE-DUI", "INB1", on_hand=90, allocated=0, available=90)
    expect_inv(ctx, "S1", "DE-DUI", "INB2", on_hand=60, allocated=0, available=60)
    r = api.get("/v1/inbounds/%s" % iid, expect=200)
    lines = {ln.get("sku"): ln for ln in r.json.get("lines", [])}
    eq(lines["INB1"].get("put_away"), 90, "INB1 put_away on the inbound", r)
    eq(lines["INB2"].get("put_away"), 60, "INB2 put_away on the inbound", r)
    ctx.fixtures["inbound_inb1"] = ("ok", ib["id"])


@test
def test_putaway_manual(ctx):
    catalog(ctx)
    api = ctx.api
    mk_sku(ctx, "S1", "MAN1")
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-MAN",
                                  "lines": [{"sku": "MAN1", "qty": 30}]}, expect=201)
    iid = seg(r.json["id"])
    api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "MAN1", "qty": 30}]}, expect=200)
    # into a location that does not exist: 4xx, nothing moved
    r = api.post("/v1/inbounds/%s/putaway" % iid,
                 {"moves": [{"sku": "MAN1", "qty": 10, "location": "Z-99-9"}]})
    problem(r, field="moves[0].location", what="putaway to unknown location")
    # more than was received: 4xx
    r = api.post("/v1/inbounds/%s/putaway" % iid,
                 {"moves": [{"sku": "MAN1", "qty": 31, "location": "A-01-1"}]})
    problem(r, what="putaway of more than received")
    moves = [{"sku": "MAN1", "qty": 20, "location": "A-01-1"}, {"sku": "MAN1", "qty": 10, "location": "C-10-3"}]
    r = api.post("/v1/inbounds/%s/putaway" % iid, {"moves": moves}, expect=200)
    eq(proj_moves(r.json.get("moves")), moves, "manual putaway answer", r)
    expect_inv(ctx, "S1", "DE-DUI", "MAN1", on_hand=30, allocated=0, available=30)
    r = api.get("/v1/inbounds/%s" % iid, expect=200)
    eq(r.json["lines"][0].get("put_away"), 30, "put_away after manual putaway", r)


@test
def test_putaway_fits_dims(ctx):
    """A carton larger than every PICK bin goes to a BULK bin (by dims and weight)."""
    catalog(ctx)
    mk_sku(ctx, "S1", "BIG1", dims=[1500, 900, 900], weight=20000)
    ib = stock(ctx, "S1", "DE-DUI", [("BIG1", 2)])
    r = ctx.api.get("/v1/inbounds/%s" % seg(ib["id"]), expect=200)
    jr = journal(ctx, ib["id"])
    places = {p["to"] for p in jr if p["sku"] == "BIG1"}
    check(any("D-0" in p for p in places), "BIG1 (1500x900x900 mm) not put into a BULK bin: %r" % places)
    check(not any(re.search(r"[ABC]-\d\d-\d", p) for p in places),
          "BIG1 put into a PICK bin it does not fit: %r" % places)
    expect_inv(ctx, "S1", "DE-DUI", "BIG1", on_hand=2, available=2)


@test
def test_receipt_idempotency_key(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "RIK1")
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-RIK",
                                      "lines": [{"sku": "RIK1", "qty": 10}]}, expect=201)
    iid = seg(r.json["id"])
    h = {"Idempotency-Key": "rik-" + rand_suffix()}
    b = {"lines": [{"sku": "RIK1", "qty": 4}]}
    r1 = ctx.api.post("/v1/inbounds/%s/receipts" % iid, b, headers=h, expect=200)
    r2 = ctx.api.post("/v1/inbounds/%s/receipts" % iid, b, headers=h, expect=200)
    eq(r2.json, r1.json, "retried receipt answer")
    r = ctx.api.get("/v1/inbounds/%s" % iid, expect=200)
    eq(r.json["lines"][0].get("received"), 4, "received after a retried receipt (booked once)", r)


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


# ------------------------------------------------------------------ 3. orders

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


# ------------------------------------------------------------------ 4. waves, pack, ship, deliver, cancel

WAVE_STOCK = {  # sku -> [(location, qty)] in NL-VEN
    "WV1": [("A-02-1", 10)],
    "WV2": [("C-08-1", 10)],
    "WV3": [("B-05-1", 10)],
    "WV4": [("D-01-1", 10), ("A-09-1", 10)],
}
NL_AISLE = {c["code"]: c["aisle"] for c in LOCATIONS["NL-VEN"]}


@test
def test_wave_pick_pack_ship_deliver(ctx):
    catalog(ctx)
    api = ctx.api
    for sku, places in WAVE_STOCK.items():
        mk_sku(ctx, "S1", sku)
        stock(ctx, "S1", "NL-VEN", [(sku, sum(n for _, n in places))],
              moves=[{"sku": sku, "qty": n, "location": loc} for loc, n in places])
    o1 = create_order(ctx, order_body("S1", [("WV1", 2), ("WV2", 1)], "NL"))
    o2 = create_order(ctx, order_body("S1", [("WV3", 3)], "NL"))
    o3 = create_order(ctx, order_body("S1", [("WV4", 12), ("WV1", 1)], "NL"))
    for o in (o1, o2, o3):
        eq((o.get("status"), o.get("warehouse")), ("allocated", "NL-VEN"), "order to NL with stock in NL-VEN")
    ids = [o1["id"], o2["id"], o3["id"]]

    r = api.post("/v1/waves", {"warehouse": "NL-VEN"}, expect=201)
    w = r.json
    for f in ("id", "orders", "picks", "route_length_mm"):
        check(f in w, "wave lacks %r" % f, r)
    check(set(ids) <= set(w["orders"]), "wave orders %r lack ours %r" % (w["orders"], ids), r)
    picks = w["picks"]
    check(isinstance(picks, list) and picks, "wave has no picks", r)
    for p in picks:
        for f in ("seq", "location", "sku", "qty", "order"):
            check(f in p, "pick lacks %r: %r" % (f, p), r)
    seqs = [p["seq"] for p in picks]
    check(len(set(seqs)) == len(seqs), "pick seq not unique: %r" % seqs, r)
    picks = sorted(picks, key=lambda p: p["seq"])
    if [p["seq"] for p in w["picks"]] != [p["seq"] for p in picks]:
        note("wave picks are not listed in seq order")
    # quantities: what the orders need, from where the stock is
    need = {}
    for o in (o1, o2, o3):
        for ln in o["lines"]:
            need[(o["id"], ln["sku"])] = need.get((o["id"], ln["sku"]), 0) + ln["qty"]
    got = {}
    for p in picks:
        if p["order"] in ids:
            got[(p["order"], p["sku"])] = got.get((p["order"], p["sku"]), 0) + p["qty"]
            places = [loc for loc, _ in WAVE_STOCK[p["sku"]]]
            check(p["location"] in places, "pick of %s from %r, stock is at %r" %
                  (p["sku"], p["location"], places), r)
    eq(got, need, "picked quantities per (order, sku)", r)
    # grouped by location: each location one contiguous run of the route
    locs = [p["location"] for p in picks]
    runs = [l for i, l in enumerate(locs) if i == 0 or locs[i - 1] != l]
    check(len(runs) == len(set(runs)), "picks not grouped by location: %r" % locs, r)
    # S-shape: each aisle visited once, aisles in order
    aisles = [NL_AISLE.get(l) for l in runs if l in NL_AISLE]
    arun = [a for i, a in enumerate(aisles) if i == 0 or aisles[i - 1] != a]
    check(len(arun) == len(set(arun)), "route enters an aisle twice (not S-shape): %r" % runs, r)
    check(arun == sorted(arun) or arun == sorted(arun, reverse=True),
          "route does not walk the aisles in order: %r" % runs, r)
    check(isinstance(w["route_length_mm"], int) and w["route_length_mm"] > 0,
          "route_length_mm must be a positive integer: %r" % w["route_length_mm"], r)
    # aisles A..D at 3000 mm pitch: the walk spans at least from the first to the last aisle
    check(w["route_length_mm"] >= 3000 * (max(arun) - min(arun)),
          "route_length_mm %r shorter than the aisle span" % w["route_length_mm"], r)
    r = api.get("/v1/waves/%s" % seg(w["id"]), expect=200)
    eq(r.json.get("route_length_mm"), w["route_length_mm"], "GET wave route_length_mm", r)
    for oid in ids:
        o = get_order(ctx, oid)
        eq(o.get("status"), "picking", "order status after the wave")
        if o.get("wave") != w["id"]:
            note("order.wave %r != wave id %r" % (o.get("wave"), w["id"]))
    # a second wave finds nothing of ours
    r = api.post("/v1/waves", {"warehouse": "NL-VEN"})
    if r.status == 201:
        check(not set(ids) & set(r.json.get("orders", [])), "an order went into two waves", r)
    else:
        problem(r, what="wave with no allocated orders")

    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=10, allocated=3, available=7)
    # o1: pack, ship, deliver
    r = api.post("/v1/orders/%s/pack" % seg(o1["id"]), {}, expect=200)
    eq(r.json.get("status"), "packed", "status after pack", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=8, allocated=1, available=7)
    sb = ship_body("JJD0001234567")
    r = api.post("/v1/orders/%s/ship" % seg(o1["id"]), sb, expect=200)
    eq(r.json.get("status"), "shipped", "status after ship", r)
    eq((r.json.get("carrier"), r.json.get("tracking_no")), ("DHL", "JJD0001234567"), "carrier, tracking_no", r)
    r = api.post("/v1/orders/%s/deliver" % seg(o1["id"]), {}, expect=200)
    eq(r.json.get("status"), "delivered", "status after deliver", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=8, allocated=1, available=7)
    hist = [h.get("status") for h in get_order(ctx, o1["id"]).get("history", [])]
    if hist != ["allocated", "picking", "packed", "shipped", "delivered"]:
        note("order history after the full flow: %r" % hist)
    jr = journal(ctx, o1["id"])
    to_customer = sum(p["qty"] for p in jr if p["to"] == "customer")
    eq(to_customer, 3, "units posted to 'customer' for the delivered order")
    # deliver again / cancel delivered: 409
    r = api.post("/v1/orders/%s/cancel" % seg(o1["id"]), {})
    problem(r, 409, what="cancel a delivered order")

    # o2: cancel while picking releases stock
    r = api.post("/v1/orders/%s/cancel" % seg(o2["id"]), {}, expect=200)
    eq(r.json.get("status"), "cancelled", "cancel while picking", r)
    expect_inv(ctx, "S1", "NL-VEN", "WV3", on_hand=10, allocated=0, available=10)

    # o3: pack, ship; then cancel → 409
    api.post("/v1/orders/%s/pack" % seg(o3["id"]), {}, expect=200)
    r = api.post("/v1/orders/%s/ship" % seg(o3["id"]), ship_body(), expect=200)
    eq(r.json.get("status"), "shipped", "o3 shipped", r)
    r = api.post("/v1/orders/%s/cancel" % seg(o3["id"]), {})
    problem(r, 409, what="cancel a shipped order")
    eq(get_order(ctx, o3["id"]).get("status"), "shipped", "status after the refused cancel")
    expect_inv(ctx, "S1", "NL-VEN", "WV4", on_hand=8, allocated=0, available=8)
    expect_inv(ctx, "S1", "NL-VEN", "WV1", on_hand=7, allocated=0, available=7)


@test
def test_order_state_conflicts(ctx):
    """Steps out of order answer 409 (or another 4xx), never 5xx, and change nothing."""
    catalog(ctx)
    mk_sku(ctx, "S1", "SC1")
    stock(ctx, "S1", "DE-DUI", [("SC1", 5)])
    o = create_order(ctx, order_body("S1", [("SC1", 1)], "DE"))
    oid = seg(o["id"])
    r = ctx.api.post("/v1/orders/%s/deliver" % oid, {})
    problem(r, what="deliver an allocated order")
    r = ctx.api.post("/v1/orders/%s/ship" % oid, ship_body())
    if r.status == 200:
        note("an allocated order (not packed) can be shipped")
    else:
        problem(r, what="ship an unpacked order")
        eq(get_order(ctx, o["id"]).get("status"), "allocated", "status after refused steps")
    r = ctx.api.post("/v1/orders/NO-SUCH-ORDER/cancel", {})
    problem(r, 404, what="cancel an unknown order")


@test
def test_cancel_allocated(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "CX1")
    stock(ctx, "S1", "DE-DUI", [("CX1", 10)])
    o = create_order(ctx, order_body("S1", [("CX1", 4)], "DE"))
    eq(o.get("status"), "allocated", "order status")
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=4, available=6)
    r = ctx.api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, key="s1", expect=200)
    eq(r.json.get("status"), "cancelled", "status after cancel", r)
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=0, available=10)
    r = ctx.api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, key="s1")
    check(r.status in (200, 409), "cancel twice: 200 (idempotent) or 409 expected", r)
    expect_inv(ctx, "S1", "DE-DUI", "CX1", on_hand=10, allocated=0, available=10)
    jr = journal(ctx, o["id"])
    check(len(jr) >= 2, "journal of a cancelled order should show allocate and release: %r" % jr)


# ------------------------------------------------------------------ 5. returns

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


# ------------------------------------------------------------------ 6. journal

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


# ------------------------------------------------------------------ 7. auth and tenancy

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


# ------------------------------------------------------------------ 8. bad input

def assert_no_bad_orders(ctx, channel="bad-input"):
    got = list_all(ctx.api, "/v1/orders", key="admin", channel=channel)
    check(not got, "a refused request wrote orders: %r" % [o.get("id") for o in got])


@fixture
def bad_sku(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BAD1")
    mk_sku(ctx, "S2", "SKU2-ONLY-S2")
    stock(ctx, "S1", "DE-DUI", [("BAD1", 10)])
    return True


def bad_order(**over):
    b = order_body("S1", [("BAD1", 1)], "DE", channel="bad-input")
    for path, v in over.items():
        obj = b
        parts = path.split("__")
        for p in parts[:-1]:
            obj = obj[int(p)] if isinstance(obj, list) else obj[p]
        last = parts[-1]
        if isinstance(obj, list):
            obj[int(last)] = v
        elif v is DROP:
            obj.pop(last, None)
        else:
            obj[last] = v
    return b


DROP = object()

BAD_ORDERS = [
    # name, body overrides, field named
    ("qty_string", {"lines__0__qty": "5"}, "lines[0].qty"),
    ("qty_float", {"lines__0__qty": 1.5}, "lines[0].qty"),
    ("qty_negative", {"lines__0__qty": -1}, "lines[0].qty"),
    ("qty_zero", {"lines__0__qty": 0}, "lines[0].qty"),
    ("qty_null", {"lines__0__qty": None}, "lines[0].qty"),
    ("unknown_sku", {"lines__0__sku": "NO-SUCH-SKU"}, "lines[0].sku"),
    ("other_sellers_sku", {"lines__0__sku": "SKU2-ONLY-S2"}, "lines[0].sku"),
    ("missing_ship_to", {"ship_to": DROP}, "ship_to"),
    ("missing_lines", {"lines": DROP}, "lines"),
    ("empty_lines", {"lines": []}, "lines"),
    ("lines_not_list", {"lines": {"sku": "BAD1", "qty": 1}}, "lines"),
    ("missing_channel", {"channel": DROP}, "channel"),
    ("missing_channel_order_id", {"channel_order_id": DROP}, "channel_order_id"),
    ("empty_channel_order_id", {"channel_order_id": ""}, "channel_order_id"),
    ("long_channel_order_id", {"channel_order_id": "C" * 500}, "channel_order_id"),
    ("channel_order_id_number", {"channel_order_id": 12345}, "channel_order_id"),
    ("long_ship_to_name", {"ship_to__name": "N" * 10000}, "ship_to.name"),
    ("ship_to_unknown_country", {"ship_to__country": "ZZ"}, "ship_to.country"),
    ("ship_to_alpha3_country", {"ship_to__country": "DEU"}, "ship_to.country"),
    ("ship_to_not_object", {"ship_to": "Duisburg"}, "ship_to"),
    ("price_bad_currency", {"lines__0__unit_price": {"amount": "19.99", "currency": "EURO"}},
     "lines[0].unit_price.currency"),
    ("price_bad_amount", {"lines__0__unit_price": {"amount": "abc", "currency": "EUR"}},
     "lines[0].unit_price.amount"),
    ("price_amount_number", {"lines__0__unit_price": {"amount": 19.99, "currency": "EUR"}},
     "lines[0].unit_price.amount"),
    ("price_negative", {"lines__0__unit_price": {"amount": "-1.00", "currency": "EUR"}},
     "lines[0].unit_price.amount"),
    ("unknown_seller", {"seller": "S404"}, "seller"),
    ("seller_number", {"seller": 7}, "seller"),
    ("line_not_object", {"lines": ["BAD1"]}, "lines[0]"),
]


def _make_bad_order_test(name, over, field):
    def fn(ctx):
        bad_sku(ctx)
        r = ctx.api.post("/v1/orders", bad_order(**over), key="admin")
        problem(r, field=field, what=name)
        assert_no_bad_orders(ctx)
        expect_inv(ctx, "S1", "DE-DUI", "BAD1", on_hand=10, allocated=0, available=10)
    fn.__name__ = "test_bad_order_" + name
    return fn


for _n, _o, _f in BAD_ORDERS:
    test(_make_bad_order_test(_n, _o, _f))


def _raw_order_test(name, raw, statuses=(400,), ctype="application/json"):
    def fn(ctx):
        bad_sku(ctx)
        r = ctx.api.post("/v1/orders", raw=raw, key="admin", headers={"Content-Type": ctype})
        problem(r, statuses, what=name)
        assert_no_bad_orders(ctx)
        expect_inv(ctx, "S1", "DE-DUI", "BAD1", on_hand=10, allocated=0, available=10)
    fn.__name__ = "test_bad_order_" + name
    return fn


_good = json.dumps(bad_order()).encode()
test(_raw_order_test("malformed_json", b'{"seller":"S1","channel":"bad-input",'))
test(_raw_order_test("trailing_garbage", _good + b' }{'))
test(_raw_order_test("json_array", b'[' + _good + b']'))
test(_raw_order_test("json_string", b'"hello"'))
test(_raw_order_test("empty_body", b''))
test(_raw_order_test("nul_in_body", _good.replace(b'"Max Mustermann"', b'"Max\x00Mustermann"')))
test(_raw_order_test("invalid_utf8", _good.replace(b'"Max Mustermann"', b'"Max \xff\xfe Mustermann"'),
                     (400, 422)))
test(_raw_order_test("overlong_utf8", _good.replace(b'"Max Mustermann"', b'"Max \xc0\xaf"'), (400, 422)))
test(_raw_order_test("escaped_nul", _good.replace(b'"Max Mustermann"', b'"Max\\u0000Mustermann"'), (400, 422)))
test(_raw_order_test("lone_surrogate_escape", _good.replace(b'"Max Mustermann"', b'"Max \\ud800"'), (400, 422)))
test(_raw_order_test("deep_nesting", b'{"seller":' + b'[' * 100000 + b']' * 100000 + b'}', (400, 413, 422)))
test(_raw_order_test("duplicate_keys", _good[:-1] + b',"lines":[{"sku":"BAD1","qty":-5}]}', (400, 422)))


@test
def test_bad_order_qty_huge(ctx):
    bad_sku(ctx)
    r = ctx.api.post("/v1/orders", bad_order(lines__0__qty=10 ** 20), key="admin")
    body = problem(r, what="qty 10^20")
    if not body.get("errors"):
        note("qty 10^20 is refused as malformed JSON (%r) without naming lines[0].qty" % body.get("detail"))
    else:
        problem(r, field="lines[0].qty", what="qty 10^20")
    assert_no_bad_orders(ctx)


@test
def test_order_qty_int64_max(ctx):
    """A quantity of 2^63-1: refused, or backordered; never an overflow."""
    bad_sku(ctx)
    b = order_body("S1", [("BAD1", 2 ** 63 - 1)], "DE", channel="bad-big")
    r = ctx.api.post("/v1/orders", b, key="admin")
    if r.status == 201:
        eq(r.json.get("status"), "backordered", "order of 2^63-1 units", r)
        eq(r.json["lines"][0].get("qty"), 2 ** 63 - 1, "qty round trip", r)
        ctx.api.post("/v1/orders/%s/cancel" % seg(r.json["id"]), {}, expect=200)
    else:
        problem(r, field="lines[0].qty", what="qty 2^63-1")
    expect_inv(ctx, "S1", "DE-DUI", "BAD1", on_hand=10, allocated=0, available=10)
    b = order_body("S1", [("BAD1", 2 ** 62), ("BAD1", 2 ** 62), ("BAD1", 2 ** 62)], "DE", channel="bad-big")
    r = ctx.api.post("/v1/orders", b, key="admin")
    if r.status == 201:
        eq(r.json.get("status"), "backordered", "order of 3 x 2^62 units (sum overflows int64)", r)
        ctx.api.post("/v1/orders/%s/cancel" % seg(r.json["id"]), {}, expect=200)
    else:
        problem(r, what="3 lines of 2^62 units")
    expect_inv(ctx, "S1", "DE-DUI", "BAD1", on_hand=10, allocated=0, available=10)


@test
def test_sku_amount_huge(ctx):
    catalog(ctx)
    amt = "9" * 40 + ".99"
    r = ctx.api.post("/v1/skus", sku_body("S1", "HUGEAMT", declared_value={"amount": amt, "currency": "USD"}))
    if r.status == 201:
        r = ctx.api.get("/v1/skus/S1/HUGEAMT", expect=200)
        eq(r.json.get("declared_value"), {"amount": amt, "currency": "USD"}, "huge amount round trip", r)
    else:
        problem(r, field="declared_value.amount", what="a 40-digit amount")


@test
def test_bad_order_body_over_limit(ctx):
    bad_sku(ctx)
    b = bad_order()
    b["ship_to"]["line2"] = "x" * (2 * 1024 * 1024)
    r = ctx.api.post("/v1/orders", b, key="admin")
    problem(r, 413, what="a 2 MiB body")
    assert_no_bad_orders(ctx)
    # the server still answers afterwards
    ctx.api.get("/healthz", key=None, expect=200)


@test
def test_bad_order_body_over_limit_declared(ctx):
    """A Content-Length over the limit is refused without reading the body."""
    import select
    import socket
    s = socket.create_connection((ctx.api.host, ctx.api.port), timeout=30)
    data = b""
    sent = 0
    try:
        s.sendall(("POST /v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
                   % ctx.api.keys["admin"]).encode())
        chunk = b"[" + b" " * 65535
        deadline = time.time() + 30
        # send up to 8 MiB of the announced 1 GiB; the answer must come before that
        while sent < 8 * 1024 * 1024 and time.time() < deadline:
            rd, wr, _ = select.select([s], [s], [], 1.0)
            if rd:
                break
            if wr:
                try:
                    sent += s.send(chunk)
                except OSError:
                    break
        s.settimeout(10)
        try:
            while b"\r\n\r\n" not in data:
                c = s.recv(4096)
                if not c:
                    break
                data += c
        except OSError:
            pass
    finally:
        s.close()
    status = data.split(b" ", 2)[1] if data.startswith(b"HTTP/") else b"none"
    check(status == b"413", "Content-Length 1 GiB, %d bytes sent: expected 413, got %r (%r)" %
          (sent, status, data[:200]))


@test
def test_bad_order_too_many_lines(ctx):
    bad_sku(ctx)
    b = bad_order()
    b["lines"] = [{"sku": "BAD1", "qty": 1, "unit_price": {"amount": "1.00", "currency": "EUR"}}] * 10000
    r = ctx.api.post("/v1/orders", b, key="admin")
    if r.status == 413:
        note("10,000 order lines refused by the body limit (413), not by a list limit")
        problem(r, 413)
    else:
        problem(r, field="lines", what="an order of 10,000 lines")
    assert_no_bad_orders(ctx)
    expect_inv(ctx, "S1", "DE-DUI", "BAD1", on_hand=10, allocated=0, available=10)


@test
def test_bad_order_wrong_content_type(ctx):
    bad_sku(ctx)
    r = ctx.api.post("/v1/orders", raw=b"seller=S1&channel=bad-input", key="admin",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    problem(r, (400, 415), what="a form-encoded body")
    assert_no_bad_orders(ctx)


BAD_SKUS = [
    ("name_10000", {"name": "N" * 10000}, "name"),
    ("name_empty", {"name": ""}, "name"),
    ("name_number", {"name": 5}, "name"),
    ("missing_name", {"name": DROP}, "name"),
    ("hs_code_9_digits", {"hs_code": "851713000"}, "hs_code"),
    ("hs_code_11_digits", {"hs_code": "85171300001"}, "hs_code"),
    ("hs_code_letters", {"hs_code": "85171300AB"}, "hs_code"),
    ("hs_code_number", {"hs_code": 8517130000}, "hs_code"),
    ("missing_hs_code", {"hs_code": DROP}, "hs_code"),
    ("currency_4_letters", {"declared_value": {"amount": "12.50", "currency": "EURO"}}, "declared_value.currency"),
    ("currency_symbol", {"declared_value": {"amount": "12.50", "currency": "US$"}}, "declared_value.currency"),
    ("currency_unknown_code", {"declared_value": {"amount": "12.50", "currency": "QQQ"}}, "declared_value.currency"),
    ("amount_not_decimal", {"declared_value": {"amount": "12.5.0", "currency": "USD"}}, "declared_value.amount"),
    ("amount_number", {"declared_value": {"amount": 12.5, "currency": "USD"}}, "declared_value.amount"),
    ("amount_negative", {"declared_value": {"amount": "-12.50", "currency": "USD"}}, "declared_value.amount"),
    ("amount_exponent", {"declared_value": {"amount": "1e5", "currency": "USD"}}, "declared_value.amount"),
    ("missing_declared_value", {"declared_value": DROP}, "declared_value"),
    ("origin_unknown_country", {"origin_country": "ZZ"}, "origin_country"),
    ("origin_alpha3", {"origin_country": "CHN"}, "origin_country"),
    ("dims_two", {"dims_mm": [100, 100]}, "dims_mm"),
    ("dims_negative", {"dims_mm": [100, -1, 100]}, "dims_mm"),
    ("dims_string", {"dims_mm": "100x100x100"}, "dims_mm"),
    ("dims_float", {"dims_mm": [100.5, 100, 100]}, "dims_mm"),
    ("weight_negative", {"weight_g": -5}, "weight_g"),
    ("weight_string", {"weight_g": "500"}, "weight_g"),
    ("missing_weight", {"weight_g": DROP}, "weight_g"),
    ("unknown_seller", {"seller": "S404"}, "seller"),
    ("sku_500_chars", {"sku": "K" * 500}, "sku"),
    ("sku_empty", {"sku": ""}, "sku"),
]


def _make_bad_sku_test(name, over, field):
    def fn(ctx):
        catalog(ctx)
        code = "BADSKU-" + name.upper()[:20]
        b = sku_body("S1", code)
        for k, v in over.items():
            if v is DROP:
                b.pop(k)
            else:
                b[k] = v
        r = ctx.api.post("/v1/skus", b)
        problem(r, field=field, what=name)
        sku = b.get("sku") if isinstance(b.get("sku"), str) else code
        if sku and "/" not in sku and len(sku) < 100:
            problem(ctx.api.get("/v1/skus/S1/%s" % seg(sku)), 404, what="the refused SKU")
        listed = [s.get("sku") for s in list_all(ctx.api, "/v1/skus", seller="S1")]
        check(code not in listed and b.get("sku") not in listed, "a refused SKU was written")
    fn.__name__ = "test_bad_sku_" + name
    return fn


for _n, _o, _f in BAD_SKUS:
    test(_make_bad_sku_test(_n, _o, _f))


@test
def test_bad_sku_invalid_utf8(ctx):
    catalog(ctx)
    raw = json.dumps(sku_body("S1", "BADUTF8", name="PLACEHOLDER")).encode().replace(b"PLACEHOLDER", b"bad \xff name")
    problem(ctx.api.post("/v1/skus", raw=raw), (400, 422), what="invalid UTF-8 in a SKU name")
    problem(ctx.api.get("/v1/skus/S1/BADUTF8"), 404, what="the refused SKU")


@test
def test_bad_seller(ctx):
    catalog(ctx)
    cases = [({"code": "SB1", "name": "x", "country": "ZZ"}, "country"),
             ({"code": "SB2", "name": "x", "country": "CHN"}, "country"),
             ({"code": "SB3", "country": "CN"}, "name"),
             ({"code": "S" * 500, "name": "x", "country": "CN"}, "code"),
             ({"name": "x", "country": "CN"}, "code"),
             ({"code": "SB4", "name": "N" * 10000, "country": "CN"}, "name")]
    for body, field in cases:
        problem(ctx.api.post("/v1/sellers", body), field=field, what="seller %s" % field)
    for code in ("SB1", "SB2", "SB3", "SB4"):
        problem(ctx.api.get("/v1/sellers/" + code), 404, what="refused seller %s" % code)


@test
def test_bad_warehouse(ctx):
    catalog(ctx)
    # Italy: no test ships there, so a wrongly accepted warehouse does not change routing
    base = {"code": "WB-1", "name": "x", "country": "IT", "address": {"city": "Milano"},
            "timezone": "Europe/Rome"}
    cases = [("country", "ZZ"), ("timezone", "Mars/Olympus_Mons"), ("timezone", 5), ("address", "Bremen"),
             ("name", "W" * 10000)]
    for i, (f, v) in enumerate(cases):
        code = "WB-%d" % i
        problem(ctx.api.post("/v1/warehouses", dict(base, code=code, **{f: v})), field=f,
                what="warehouse %s=%r" % (f, str(v)[:20]))
        problem(ctx.api.get("/v1/warehouses/" + code), 404, what="the refused warehouse")
    b = dict(base, code="WB-X")
    b.pop("timezone")
    problem(ctx.api.post("/v1/warehouses", b), field="timezone", what="warehouse without timezone")
    problem(ctx.api.get("/v1/warehouses/WB-X"), 404, what="the refused warehouse")


@test
def test_bad_locations_no_partial_write(ctx):
    catalog(ctx)
    locs = [{"code": "Z-01-1", "zone": "PICK", "dims_mm": PICK_DIMS, "max_weight_g": PICK_MAX_G},
            {"code": "Z-01-2", "zone": "PICK", "dims_mm": [1, 2], "max_weight_g": PICK_MAX_G},
            {"code": "Z-01-3", "zone": "PICK", "dims_mm": PICK_DIMS, "max_weight_g": PICK_MAX_G}]
    r = ctx.api.post("/v1/warehouses/DE-DUI/locations", {"locations": locs})
    problem(r, field="locations[1].dims_mm", what="a bad location among good ones")
    codes = [x["code"] for x in list_all(ctx.api, "/v1/warehouses/DE-DUI/locations", limit=1000)]
    check(not [c for c in codes if c.startswith("Z-")], "a partial write: %r" % [c for c in codes if c.startswith("Z-")])
    r = ctx.api.post("/v1/warehouses/DE-DUI/locations",
                     {"locations": [dict(locs[0], max_weight_g=-1)]})
    problem(r, field="locations[0].max_weight_g", what="negative max_weight_g")
    r = ctx.api.post("/v1/warehouses/DE-DUI/locations", {"locations": [dict(locs[0], code="A-01-1")]})
    problem(r, (409, 422), what="a location code that exists")
    r = ctx.api.post("/v1/warehouses/NO-SUCH-WH/locations", {"locations": [locs[0]]})
    problem(r, 404, what="locations of an unknown warehouse")
    r = ctx.api.post("/v1/warehouses/DE-DUI/locations", {"locations": [locs[0]] * 100000})
    check(400 <= r.status < 500, "100,000 locations: a 4xx (list or body limit) expected", r)


@test
def test_bad_inbound(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BIN1")
    before = len(list_all(ctx.api, "/v1/inbounds", seller="S1", limit=1000))
    base = {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-BAD", "lines": [{"sku": "BIN1", "qty": 5}]}
    cases = [({"lines": [{"sku": "BIN1", "qty": 0}]}, "lines[0].qty"),
             ({"lines": [{"sku": "BIN1", "qty": -5}]}, "lines[0].qty"),
             ({"lines": [{"sku": "BIN1", "qty": "5"}]}, "lines[0].qty"),
             ({"lines": [{"sku": "NO-SUCH", "qty": 5}]}, "lines[0].sku"),
             ({"lines": [{"sku": "BIN1", "qty": 5}, {"sku": "NO-SUCH", "qty": 5}]}, "lines[1].sku"),
             ({"lines": []}, "lines"),
             ({"warehouse": "NO-SUCH-WH"}, "warehouse"),
             ({"seller": "S404"}, "seller"),
             ({"reference": "R" * 10000}, "reference")]
    for over, field in cases:
        problem(ctx.api.post("/v1/inbounds", dict(base, **over)), field=field, what="inbound %s" % field)
    after = len(list_all(ctx.api, "/v1/inbounds", seller="S1", limit=1000))
    eq(after, before, "inbounds of S1 after refused requests")
    # bad receipts on a good inbound
    r = ctx.api.post("/v1/inbounds", base, expect=201)
    iid = seg(r.json["id"])
    for lines, field in (([{"sku": "BIN1", "qty": -1}], "lines[0].qty"),
                         ([{"sku": "BIN1", "qty": "1"}], "lines[0].qty"),
                         ([{"sku": "NO-SUCH", "qty": 1}], "lines[0].sku")):
        problem(ctx.api.post("/v1/inbounds/%s/receipts" % iid, {"lines": lines}), field=field,
                what="receipt %s" % field)
    r = ctx.api.get("/v1/inbounds/%s" % iid, expect=200)
    eq(r.json["lines"][0].get("received"), 0, "received after refused receipts", r)
    problem(ctx.api.post("/v1/inbounds/NO-SUCH-INBOUND/receipts", {"lines": [{"sku": "BIN1", "qty": 1}]}),
            404, what="receipt for an unknown inbound")
    expect_inv(ctx, "S1", "DE-DUI", "BIN1", on_hand=0)


@test
def test_bad_wave_and_ship(ctx):
    catalog(ctx)
    problem(ctx.api.post("/v1/waves", {"warehouse": "NO-SUCH-WH"}), field="warehouse", what="wave of an unknown warehouse")
    problem(ctx.api.post("/v1/waves", {}), field="warehouse", what="wave without warehouse")
    problem(ctx.api.post("/v1/waves", {"warehouse": "DE-DUI", "max_orders": -1}), field="max_orders",
            what="wave max_orders -1")
    mk_sku(ctx, "S1", "BSH1")
    stock(ctx, "S1", "NL-VEN", [("BSH1", 5)])
    o = create_order(ctx, order_body("S1", [("BSH1", 1)], "NL"))
    w = make_wave(ctx, "NL-VEN")
    check(o["id"] in w.get("orders", []), "wave lacks the order")
    ctx.api.post("/v1/orders/%s/pack" % seg(o["id"]), {}, expect=200)
    oid = seg(o["id"])
    for body, field in (({"tracking_no": "T1", "parcels": [{"weight_g": 1, "dims_mm": [1, 1, 1]}]}, "carrier"),
                        ({"carrier": "DHL", "parcels": [{"weight_g": 1, "dims_mm": [1, 1, 1]}]}, "tracking_no"),
                        (dict(ship_body(), parcels=[{"weight_g": -1, "dims_mm": [1, 1, 1]}]), "parcels[0].weight_g"),
                        (dict(ship_body(), parcels=[{"weight_g": 10, "dims_mm": [1, 1]}]), "parcels[0].dims_mm"),
                        (dict(ship_body(), tracking_no="T" * 5000), "tracking_no")):
        problem(ctx.api.post("/v1/orders/%s/ship" % oid, body), field=field, what="ship %s" % field)
    eq(get_order(ctx, o["id"]).get("status"), "packed", "status after refused ships")
    ctx.api.post("/v1/orders/%s/ship" % oid, ship_body(), expect=200)


@test
def test_bad_query_params(ctx):
    catalog(ctx)
    api = ctx.api
    for qs in ("limit=abc", "limit=-1", "limit=1.5", "limit=99999999999999999999"):
        r = api.get("/v1/orders?" + qs)
        if r.status != 200:
            problem(r, 400, what="GET /v1/orders?%s" % qs)
        else:
            note("GET /v1/orders?%s answers 200" % qs)
    r = api.get("/v1/orders?cursor=%%%%%%garbage")
    if r.status == 200:
        note("GET /v1/orders with a garbage cursor answers 200")
    else:
        problem(r, 400, what="garbage cursor")
    r = api.get("/v1/orders?cursor=" + "A" * 5000)
    if r.status != 200:
        problem(r, what="very long cursor")
    r = api.get("/v1/orders?limit=0")
    if r.status != 200:
        problem(r, 400, what="limit=0")
    api.get(q("/v1/orders", status="no-such-status"), expect=(200, 400))
    api.get(q("/v1/orders", **{"from": "not-a-date"}), expect=(200, 400))
    api.get(q("/v1/inventory", sort="bogus"), expect=(200, 400))


@test
def test_unknown_routes(ctx):
    api = ctx.api
    problem(api.get("/v1/no-such-thing"), 404, what="unknown route")
    problem(api.get("/v1/orders/NO-SUCH-ORDER"), 404, what="unknown order")
    problem(api.get("/v1/orders/" + "9" * 5000), (404, 414, 400), what="very long id")
    problem(api.get("/v1/orders/%00"), (400, 404), what="NUL in the path")
    problem(api.get("/v1/orders/..%2F..%2Fetc%2Fpasswd"), (400, 404), what="traversal in the path")
    problem(api.get("/v1/skus/S1"), (404, 405), what="a path one segment short")
    r = api.call("DELETE", "/v1/orders")
    problem(r, (404, 405), what="DELETE /v1/orders")
    r = api.call("PUT", "/v1/sellers", body={"code": "S7", "name": "x", "country": "CN"})
    problem(r, (404, 405), what="PUT /v1/sellers")
    problem(api.get("/v1/sellers/S7"), 404, what="the seller a PUT tried to create")


# ------------------------------------------------------------------ 9. lists

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


# ------------------------------------------------------------------ 11. concurrency

def run_threads(n, fn):
    errs = []
    out = [None] * n

    def wrap(i):
        try:
            out[i] = fn(i)
        except Exception as e:
            errs.append(e)
    ts = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    [t.start() for t in ts]
    [t.join(180) for t in ts]
    if errs:
        raise Fail("%d of %d threads failed; first: %s" % (len(errs), n, errs[0]))
    return out


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


# ------------------------------------------------------------------ deeper probes

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


@fixture
def weight_wh(ctx):
    catalog(ctx)
    ctx.api.post("/v1/warehouses", {"code": "CZ-PRG", "name": "Praha", "country": "CZ",
                                    "address": {"city": "Praha"}, "timezone": "Europe/Prague"}, expect=201)
    locs = [{"code": "W-%02d-1" % i, "zone": "PICK", "dims_mm": [1200, 1200, 1200], "max_weight_g": 1000000}
            for i in range(1, 4)]
    ctx.api.post("/v1/warehouses/CZ-PRG/locations", {"locations": locs}, expect=201)
    return True


@test
def test_putaway_respects_weight(ctx):
    """Bins of 1,000 kg take at most 2 units of 400 kg each."""
    weight_wh(ctx)
    mk_sku(ctx, "S1", "HEAVY1", dims=[100, 100, 100], weight=400000)
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": "CZ-PRG", "reference": "ASN-HEAVY",
                                      "lines": [{"sku": "HEAVY1", "qty": 7}]}, expect=201)
    iid = seg(r.json["id"])
    ctx.api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "HEAVY1", "qty": 7}]}, expect=200)
    r = ctx.api.post("/v1/inbounds/%s/putaway" % iid, {})
    if r.status != 200:
        problem(r, what="automatic putaway of more than fits")
        moves = []
    else:
        moves = r.json.get("moves", [])
    per = {}
    for m in moves:
        per[m["location"]] = per.get(m["location"], 0) + m["qty"]
    check(all(v <= 2 for v in per.values()), "a 1,000 kg bin got more than 2 x 400 kg: %r" % per, r)
    check(sum(per.values()) == 6, "6 of 7 units fit the three bins, %d put away: %r" % (sum(per.values()), per), r)
    # a manual move over the weight limit is refused
    r = ctx.api.post("/v1/inbounds/%s/putaway" % iid, {"moves": [{"sku": "HEAVY1", "qty": 1, "location": "W-01-1"}]})
    if r.status == 200:
        note("manual putaway ignores max_weight_g (3 x 400 kg into a 1,000 kg bin accepted)")
    else:
        problem(r, what="manual putaway over the weight limit")


@test
def test_wave_max_orders(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "WMX1")
    stock(ctx, "S1", "NL-VEN", [("WMX1", 10)])
    ids = [create_order(ctx, order_body("S1", [("WMX1", 1)], "NL"))["id"] for _ in range(3)]
    r = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "max_orders": 2}, expect=201)
    eq(len(r.json.get("orders", [])), 2, "orders in a wave with max_orders 2", r)
    r2 = ctx.api.post("/v1/waves", {"warehouse": "NL-VEN", "max_orders": 2}, expect=201)
    got = set(r.json["orders"]) | set(r2.json.get("orders", []))
    check(set(ids) <= got, "orders left out of two waves: %r" % (set(ids) - got))
    check(not set(r.json["orders"]) & set(r2.json["orders"]), "an order in two waves")
    for oid in ids:
        ctx.api.post("/v1/orders/%s/cancel" % seg(oid), {}, expect=200)
    expect_inv(ctx, "S1", "NL-VEN", "WMX1", on_hand=10, allocated=0, available=10)


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


@test
def test_keep_alive_connection(ctx):
    """Several requests on one connection, also after 4xx and a large body."""
    import http.client
    c = http.client.HTTPConnection(ctx.api.host, ctx.api.port, timeout=30)
    auth = {"Authorization": "Bearer " + ctx.api.keys["admin"], "Content-Type": "application/json"}
    try:
        seq = [("GET", "/healthz", None, 200), ("GET", "/v1/no-such", None, 404),
               ("POST", "/v1/orders", b"{bad json", 400), ("GET", "/v1/me", None, 200),
               ("POST", "/v1/orders", b'{"seller":"S1"}', 400), ("GET", "/v1/me", None, 200)]
        for m, p, body, want in seq:
            try:
                c.request(m, p, body=body, headers=auth)
                r = c.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException) as e:
                raise Fail("keep-alive: %s %s on a reused connection failed: %r" % (m, p, e))
            check(r.status == want, "keep-alive: %s %s answered %d, expected %d: %r" %
                  (m, p, r.status, want, data[:300]))
    finally:
        c.close()


@test
def test_chunked_body(ctx):
    bad_sku(ctx)
    import socket
    body = json.dumps(order_body("S1", [("BAD1", 1)], "DE", channel="chunked")).encode()

    def send(chunks):
        s = socket.create_connection((ctx.api.host, ctx.api.port), timeout=30)
        try:
            s.sendall(("POST /v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                       % ctx.api.keys["s1"]).encode())
            for ch in chunks:
                s.sendall(b"%x\r\n" % len(ch) + ch + b"\r\n")
            s.sendall(b"0\r\n\r\n")
            data = b""
            while True:
                c = s.recv(65536)
                if not c:
                    break
                data += c
        except OSError as e:
            return ("error %r" % e).encode()
        finally:
            s.close()
        return data
    data = send([body[i:i + 50] for i in range(0, len(body), 50)])
    status = data.split(b" ", 2)[1] if data.startswith(b"HTTP/") else data[:60]
    check(status in (b"201", b"411", b"400", b"415"), "chunked order: status %r (%r)" % (status, data[:300]))
    check(not status.startswith(b"5"), "chunked order answered 5xx: %r" % data[:300])
    if status == b"201":
        listed = list_all(ctx.api, "/v1/orders", channel="chunked")
        eq(len(listed), 1, "chunked order written once")
        ctx.api.post("/v1/orders/%s/cancel" % seg(listed[0]["id"]), {}, expect=200)
    big = [b"x" * 65536] * 40  # 2.5 MiB chunked
    data = send(big)
    status = data.split(b" ", 2)[1] if data.startswith(b"HTTP/") else data[:60]
    check(status in (b"413", b"411", b"400") or status.startswith(b"error"),
          "2.5 MiB chunked body: status %r (%r)" % (status, data[:300]))
    if status != b"413":
        note("a 2.5 MiB chunked body answers %r, 413 expected" % status)


@test
def test_odd_requests(ctx):
    api = ctx.api
    r = api.call("HEAD", "/healthz", key=None)
    check(r.status < 500, "HEAD /healthz", r)
    r = api.call("OPTIONS", "/v1/orders")
    check(r.status < 500, "OPTIONS /v1/orders", r)
    r = api.get("/v1/orders?limit=1&limit=2")
    check(r.status in (200, 400), "repeated query parameter", r)
    r = api.get("/v1/orders?limit=%zz")
    check(r.status in (200, 400), "bad percent escape", r)
    r = api.get("/v1/inventory?sku=%E8%93%9D%E7%89%99&seller=S1", expect=200)
    r = api.post("/v1/orders", order_body("S1", [("SKU1", 1)], "DE", channel="odd"), key="s1",
                 headers={"Idempotency-Key": "k" * 10000})
    check(r.status in (201, 400, 422, 431), "a 10,000-char Idempotency-Key", r)
    r = api.get("/v1/me", headers={"X-Big": "v" * 200000})
    check(r.status in (200, 400, 413, 431) or r.status == 0, "a 200 KB header", r)
    api.get("/healthz", key=None, expect=200)


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


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "src", "cli",
                                                   "haicang"))
    ap.add_argument("--db", default="sqlite", help="sqlite | sqlite:PATH | mariadb | mysql://user:pass@host:port/db")
    ap.add_argument("-k", action="append", default=[], help="run tests whose name contains this (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    args = ap.parse_args()

    selected = [t for t in TESTS if not args.k or any(k in t.__name__ for k in args.k)]
    if args.list:
        for t in selected:
            print(t.__name__)
        return 0
    runner = Runner()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        runner.fail("setup", "no haicang binary at %s" % binary)
        return runner.finish()

    workdir = tempfile.mkdtemp(prefix="haicang-api-")
    maria = None
    server = None
    try:
        spec = args.db
        if spec == "mariadb":
            maria = MariaDB(workdir)
            spec = maria.start()
        db = fresh_db_url(spec, workdir)
        print("db: %s  workdir: %s  tests: %d" % (db, workdir, len(selected)), flush=True)
        cli_err = []
        try:
            _, _, e = run_cli(binary, ["migrate", "--db", db])
            cli_err.append(e)
            keys = {}
            for name, kargs in (("admin", ["--role", "admin"]),
                                ("op", ["--role", "operator", "--warehouse", "DE-DUI"]),
                                ("s1", ["--role", "seller", "--seller", "S1"]),
                                ("s2", ["--role", "seller", "--seller", "S2"])):
                keys[name], e = create_key(binary, db, *kargs)
                cli_err.append(e)
            check(len(set(keys.values())) == 4, "key create printed the same key twice: %r" % keys)
            server = Server(binary, db, workdir)
            server.start()
        except Exception as e:
            runner.fail("setup", str(e))
            return runner.finish()
        ctx = Ctx(Api("127.0.0.1", server.port, keys), binary, db)
        for t in selected:
            if server.proc is not None and server.proc.poll() is not None:
                runner.fail(t.__name__, "the server is not running (exited %r)\n%s" %
                            (server.proc.returncode, server.stderr_tail()))
                continue
            runner.run(t.__name__, t, ctx)
        alive = server.proc is not None and server.proc.poll() is None
        rc = server.stop()
        if not alive:
            runner.fail("server_alive", "the server died during the suite (exit %r)" % rc)
        elif rc not in (0, -15):
            note("haicang serve exited %r on SIGTERM (0 expected)" % rc)
        # the books balance after everything the suite did
        try:
            vrc, vout, verr = run_cli(binary, ["verify", "--db", db], check_rc=False, timeout=300)
            cli_err.append(verr)
            if vrc == 0:
                runner.passed += 1
                print("PASS verify_after_suite", flush=True)
            else:
                runner.fail("verify_after_suite", "haicang verify exited %d\n%s%s" % (vrc, vout[-3000:], verr[-3000:]))
        except Exception as e:
            runner.fail("verify_after_suite", str(e))
        san = sanitizer_lines("\n".join(server.stderr_texts + cli_err))
        if san:
            runner.fail("sanitizer", "sanitizer reports in stderr:\n" + "\n".join(san[:40]) +
                        "\n(see %s)" % server.stderr_path)
            args.keep = True
        else:
            runner.passed += 1
            print("PASS no_sanitizer_reports", flush=True)
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        cleanup(server, maria, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())

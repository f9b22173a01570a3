#!/usr/bin/env python3
"""haicang API tests: bad input.

Every refused request is a 4xx application/problem+json naming the field
and writes nothing: order and SKU bodies field by field, malformed and
hostile JSON (NUL, invalid UTF-8, deep nesting, duplicate keys), huge numbers,
bodies over the limit (declared or chunked), bad sellers, warehouses,
locations, inbounds, waves and shipments, bad query parameters, unknown
routes, odd requests and a reused keep-alive connection.

    python3 tests/api/test_badinput.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import json
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, Fail, note, problem, q, seg)  # noqa: E402
from fixtures import (collector, bad_sku, catalog, create_order, expect_inv, get_order, list_all,  # noqa: E402
                      make_wave, mk_sku, order_body, PICK_DIMS, PICK_MAX_G, ship_body, sku_body,
                      stock, run_suite)

TESTS, test = collector()


def assert_no_bad_orders(ctx, channel="bad-input"):
    got = list_all(ctx.api, "/v1/orders", key="admin", channel=channel)
    check(not got, "a refused request wrote orders: %r" % [o.get("id") for o in got])


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
def test_bad_json_shapes_named(ctx):
    """Fields read through the one JSON idiom (api/json.c) name the path: array items that
    are not objects, address lines with a NUL, lat/lon that are not numbers or come alone."""
    catalog(ctx)
    base = {"code": "WJ-1", "name": "x", "country": "IT", "address": {"city": "Milano"},
            "timezone": "Europe/Rome"}
    for over, field in (({"address": {"city": "Mi\u0000lano"}}, "address.city"),
                        ({"address": {"city": 5}}, "address.city"),
                        ({"lat": "45.4", "lon": 9.2}, "lat"),
                        ({"lat": 45.4}, "lon")):
        problem(ctx.api.post("/v1/warehouses", dict(base, **over)), 400, field=field,
                what="warehouse %s" % field)
        problem(ctx.api.get("/v1/warehouses/WJ-1"), 404, what="the refused warehouse")
    problem(ctx.api.post("/v1/warehouses/DE-DUI/locations", {"locations": ["A-01-1"]}), 400,
            field="locations[0]", what="a location that is not an object")
    b = order_body("S1", [("SKU1", 1)], "DE", channel="bad-input")
    b["lines"].append(7)
    problem(ctx.api.post("/v1/orders", b, key="admin"), 400, field="lines[1]",
            what="an order line that is not an object")
    assert_no_bad_orders(ctx)


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


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

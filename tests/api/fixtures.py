"""Test data, helpers, fixtures and the suite runner of the core API suites
(tests/api/test_<resource>.py).

Owns: the catalog every suite builds on (sellers S1 and S2; warehouses DE-DUI,
US-LAX and NL-VEN with their locations; a few SKUs), request bodies, helpers
that walk the flow (stock = inbound + receipt + putaway, orders, waves,
journal, inventory checks), fixtures that run once per suite, and
`run_suite`: one command line (`--bin BIN --db sqlite|mariadb|URL [-k NAME]`)
that migrates a fresh database, creates the keys admin, op (operator of
DE-DUI), s1 and s2, starts `haicang serve`, runs the selected tests in order,
then `haicang verify` and a sanitizer scan of every stderr, and ends with one
line `N passed, N failed`.

Every test takes the catalog from the fixture and makes SKUs of its own, so a
test does not depend on another having run. Standard library only; the server,
HTTP client and assertions live in common.py.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # keep tests/api free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, Fail, MariaDB, Runner, Server, check, cleanup, closing_checks,  # noqa: E402
                    create_key, eq, fresh_db_url, iso_utc, note, q, rand_suffix, run_cli, seg)


def collector():
    """A suite's test list and the decorator that fills it, in file order."""
    tests = []

    def test(fn):
        tests.append(fn)
        return fn
    return tests, test


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


# ------------------------------------------------------------------ fixtures (once per suite)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_for(code):
    """A unified social credit code for a test seller: a fixed head, the code's
    characters (those outside the GB 32100-2015 charset as 0) and the check
    character the standard defines (weights 3^i mod 31)."""
    body = "91440300MA5" + "".join(c if c in USCC_CHARSET else "0" for c in code.ljust(6, "0"))[:6]
    total = sum(USCC_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return body + USCC_CHARSET[(31 - total % 31) % 31]


@fixture
def catalog(ctx):
    api = ctx.api
    for code, name in (("S1", "Shenzhen Anker-like Electronics Co., Ltd."),
                       ("S2", "Yiwu Household Goods Co., Ltd.")):
        r = api.post("/v1/sellers", {"code": code, "name": name, "country": "CN",
                                     "uscc": uscc_for(code),
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


@fixture
def bad_sku(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BAD1")
    mk_sku(ctx, "S2", "SKU2-ONLY-S2")
    stock(ctx, "S1", "DE-DUI", [("BAD1", 10)])
    return True


# ------------------------------------------------------------------ runner

def run_suite(tests, doc):
    """Runs one suite's tests against a server of its own; returns the exit status."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "src", "cli",
                                                   "haicang"))
    ap.add_argument("--db", default="sqlite", help="sqlite | sqlite:PATH | mariadb | mysql://user:pass@host:port/db")
    ap.add_argument("-k", action="append", default=[], help="run tests whose name contains this (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    args = ap.parse_args()

    selected = [t for t in tests if not args.k or any(k in t.__name__ for k in args.k)]
    if args.list:
        for t in selected:
            print(t.__name__)
        return 0
    runner = Runner()
    if not selected:  # -k chose nothing here: no server, no verify
        return runner.finish()
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
        closing_checks(runner, binary, db, server.stderr_texts + cli_err, server.stderr_path)
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        cleanup(server, maria, workdir, args.keep)

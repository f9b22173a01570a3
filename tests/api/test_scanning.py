#!/usr/bin/env python3
"""haicang API tests: picking and packing confirmed by scan, short picks,
the pack station, and Code 128 barcodes for printed pick lists.

A picker scans a bin, then items (SKU barcode or code) with a count; a wrong
bin or item, or too many, is a 422 naming the field with nothing written; an
order whose picks are all counted moves from its bins to order/<id> with the
scanning key's name as actor. A short pick books the missing units to
"lost" and sends the order back to allocation (another bin) or to
backorder. An order picked by scan is packed only when the pack station has
scanned every unit. Barcodes are decoded with zbarimg.

    python3 tests/api/test_scanning.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, rand_suffix, run_cli, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, explicit_locations, get_order, inv,  # noqa: E402
                      journal, mk_sku, order_body, stock, run_suite)

TESTS, test = collector()

_n = [0]


def site(ctx):
    """A warehouse of the test's own (aisles A-D, 10 bays, 1 level), so a
    wave takes only the test's orders; returns its code."""
    catalog(ctx)
    _n[0] += 1
    code = "SC-%d%s" % (_n[0], rand_suffix(3).upper())
    ctx.api.post("/v1/warehouses", {
        "code": code, "name": "Scan site", "country": "PL",
        "address": {"line1": "Portowa 1", "city": "Gdynia", "postcode": "81-001", "country": "PL"},
        "timezone": "Europe/Warsaw", "lat": 54.5, "lon": 18.5}, expect=201)
    ctx.api.post("/v1/warehouses/%s/locations" % code,
                 {"locations": explicit_locations("ABCD", 10, 1)}, expect=201)
    return code


def sku(ctx, tag, name_zh="扫描测试"):
    s = "SC%s%s" % (tag, rand_suffix(5).upper())
    mk_sku(ctx, "S1", s, name="Scan item " + s, name_zh=name_zh, barcode="69" + rand_suffix(11))
    return s


def barcode_of(ctx, s):
    return ctx.api.get("/v1/skus/S1/%s" % seg(s), expect=200).json["barcode"]


def picker(ctx, wh):
    """An operator key of the site, named, so the journal's actor is checked."""
    name = "picker-" + rand_suffix(6)
    r = ctx.api.post("/v1/keys", {"name": name, "role": "operator", "warehouse": wh}, expect=201)
    return name, r.json["key"]


def scan(ctx, wave, key, expect=200, **body):
    return ctx.api.post("/v1/waves/%s/scans" % seg(wave), body, key=key, expect=expect)


def progress(ctx, wave, key="admin"):
    return ctx.api.get("/v1/waves/%s/progress" % seg(wave), key=key, expect=200).json


def books(ctx, wh, skus, refs):
    """What a failed scan must leave alone: inventory and journals."""
    return ([inv(ctx, "S1", wh, s) for s in skus], [len(journal(ctx, r)) for r in refs])


@test
def test_pick_by_scan_then_pack_station(ctx):
    api = ctx.api
    wh = site(ctx)
    a, b = sku(ctx, "A"), sku(ctx, "B")
    stock(ctx, "S1", wh, [(a, 10)], moves=[{"sku": a, "qty": 10, "location": "A-02-1"}])
    stock(ctx, "S1", wh, [(b, 10)], moves=[{"sku": b, "qty": 10, "location": "C-07-1"}])
    o1 = create_order(ctx, order_body("S1", [(a, 2), (b, 1)]))
    o2 = create_order(ctx, order_body("S1", [(b, 3)]))
    eq((o1["status"], o1["warehouse"]), ("allocated", wh), "order 1 routed to the scan site")
    w = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    name, key = picker(ctx, wh)

    pg = progress(ctx, w["id"], key)
    for f in ("wave", "bin", "next", "direction", "picks", "progress", "complete"):
        check(f in pg, "progress lacks %r" % f)
    eq(pg["bin"], None, "no bin scanned yet")
    eq(pg["progress"]["units"], 6, "units to pick")
    eq(pg["progress"]["units_done"], 0, "units picked")
    nxt = pg["next"]
    first = nxt["location"]  # the route may go either way round
    check(first in ("A-02-1", "C-07-1"), "first stop %r" % first)
    nxt = [p for p in pg["picks"] if p["location"] == "A-02-1"][0]
    eq((nxt["name"], nxt["name_zh"]), ("Scan item " + a, "扫描测试"), "names of the next item")
    check(pg["direction"] in ("left", "right", "forward", "back", "here"), "direction %r" % pg["direction"])

    before = books(ctx, wh, [a, b], [o1["id"], o2["id"]])
    # an item before any bin, a bin with nothing to pick, a bin of no wave
    problem(scan(ctx, w["id"], key, expect=422, type="item", code=a), 422, "type", "item before a bin")
    problem(scan(ctx, w["id"], key, expect=422, type="bin", code="B-05-1"), 422, "code", "wrong bin")
    problem(scan(ctx, w["id"], key, expect=422, type="bin", code="ZZ-99"), 422, "code", "unknown bin")
    # the right bin, in another case and with the warehouse in front
    r = scan(ctx, w["id"], key, type="bin", code="%s/a-02-1" % wh.lower())
    eq(r.json["bin"], "A-02-1", "bin scanned")
    eq(r.json["scan"]["expected"], first == "A-02-1", "bin scan of the next stop, or not")
    # wrong item at this bin, too many of the right one
    problem(scan(ctx, w["id"], key, expect=422, type="item", code=b), 422, "code", "item of another bin")
    problem(scan(ctx, w["id"], key, expect=422, type="item", code="NOPE"), 422, "code", "unknown item")
    problem(scan(ctx, w["id"], key, expect=422, type="item", code=a, qty=3), 422, "qty", "more than the pick")
    eq(books(ctx, wh, [a, b], [o1["id"], o2["id"]]), before, "books after refused scans")
    eq(progress(ctx, w["id"])["progress"]["units_done"], 0, "nothing counted by refused scans")

    # the barcode counts, one unit at a time
    r = scan(ctx, w["id"], key, type="item", code=barcode_of(ctx, a))
    eq(r.json["progress"]["units_done"], 1, "one unit counted")
    eq(r.json["next"]["location"], first, "the next stop on the route")
    eq(r.json["direction"], "here" if first == "A-02-1" else "right", "direction from this bin")
    r = scan(ctx, w["id"], key, type="item", code=a)
    eq(r.json["next"]["location"], "C-07-1", "next stop after the first bin")
    eq(r.json["confirmed"], [], "no order complete yet")
    eq(r.json["direction"], "right", "C is to the right of A")
    eq(get_order(ctx, o1["id"])["status"], "picking", "order 1 while picked")
    eq([p for p in journal(ctx, o1["id"]) if p.get("kind") == "move"], [], "no goods moved before an order is complete")

    r = scan(ctx, w["id"], key, type="bin", code="C-07-1")
    # order 2's three units and order 1's one: count order 1's by naming it
    r = scan(ctx, w["id"], key, type="item", code=b, qty=1, order=o1["id"])
    eq(r.json["confirmed"], [o1["id"]], "order 1 complete by this scan")
    moves = [p for p in journal(ctx, o1["id"]) if p.get("kind") == "move"]
    eq(sorted((p["sku"], p["qty"], p["from"], p["to"]) for p in moves),
       sorted([(a, 2, "wh/%s/A-02-1" % wh, "order/%s" % o1["id"]),
               (b, 1, "wh/%s/C-07-1" % wh, "order/%s" % o1["id"])]), "order 1's goods moved on its last scan")
    check(all(p.get("actor") == name for p in moves), "journal actor is the picker's key name: %r" % moves)
    problem(scan(ctx, w["id"], key, expect=422, type="item", code=b, qty=4), 422, "qty", "more than order 2 needs")
    r = scan(ctx, w["id"], key, type="item", code=b, qty=3)
    eq(r.json["confirmed"], [o2["id"]], "order 2 complete")
    eq(r.json["complete"], True, "wave complete")
    eq(r.json["next"], None, "no next stop")
    problem(scan(ctx, w["id"], key, expect=409, type="bin", code="C-07-1"), 409, None, "scan of a done wave")
    o = get_order(ctx, o1["id"])
    eq(o["status"], "picking", "picked by scan, not yet packed")
    it = inv(ctx, "S1", wh, a)
    eq((it["on_hand"], it["allocated"]), (8, 0), "stock of A after the pick")

    # pack station: an order picked by scan packs only when every unit is scanned
    pp = api.get("/v1/orders/%s/pack-progress" % seg(o1["id"]), key=key, expect=200).json
    eq((pp["scan_required"], pp["complete"], pp["units"], pp["scanned"]), (True, False, 3, 0), "pack progress")
    problem(api.post("/v1/orders/%s/pack" % seg(o1["id"]), {}, key=key, expect=409), 409, "pack_scans",
            "pack before the pack scans")
    ps = "/v1/orders/%s/pack-scans" % seg(o1["id"])
    problem(api.post(ps, {"code": "NOPE"}, key=key, expect=422), 422, "code", "item not on the order")
    problem(api.post(ps, {"code": a, "qty": 3}, key=key, expect=422), 422, "qty", "more than the order")
    problem(api.post(ps, {"code": a, "qty": 0}, key=key, expect=400), 400, "qty", "qty 0")
    problem(api.post(ps, {}, key=key, expect=400), 400, "code", "no code")
    r = api.post(ps, {"code": barcode_of(ctx, a), "qty": 2}, key=key, expect=200)
    eq((r.json["scanned"], r.json["complete"]), (2, False), "two of three scanned")
    problem(api.post(ps, {"code": a}, key=key, expect=422), 422, "qty", "a third of two")
    problem(api.post("/v1/orders/%s/pack" % seg(o1["id"]), {}, key=key, expect=409), 409, "pack_scans",
            "pack with one unit unscanned")
    r = api.post(ps, {"code": b}, key=key, expect=200)
    eq(r.json["complete"], True, "every unit scanned")
    r = api.post("/v1/orders/%s/pack" % seg(o1["id"]), {}, key=key, expect=200)
    eq(r.json["status"], "packed", "packed after the pack scans")
    moves = [p for p in journal(ctx, o1["id"]) if p.get("kind") == "move"]
    eq(len(moves), 2, "packing a scanned order moves nothing again")
    problem(api.post(ps, {"code": a}, key=key, expect=409), 409, "status", "pack scan of a packed order")
    it = inv(ctx, "S1", wh, b)
    eq((it["on_hand"], it["allocated"]), (6, 0), "stock of B after both orders")


@test
def test_pack_without_scans_still_works(ctx):
    api = ctx.api
    wh = site(ctx)
    a = sku(ctx, "P")
    stock(ctx, "S1", wh, [(a, 5)], moves=[{"sku": a, "qty": 5, "location": "B-03-1"}])
    o = create_order(ctx, order_body("S1", [(a, 2)]))
    api.post("/v1/waves", {"warehouse": wh}, expect=201)
    pp = api.get("/v1/orders/%s/pack-progress" % seg(o["id"]), expect=200).json
    eq((pp["scan_required"], pp["picked_by_scan"]), (False, False), "no scan required for an unscanned order")
    r = api.post("/v1/orders/%s/pack" % seg(o["id"]), {}, expect=200)
    eq(r.json["status"], "packed", "pack button without scans")
    eq(inv(ctx, "S1", wh, a)["on_hand"], 3, "on hand after packing")


@test
def test_short_pick_reallocates_from_another_bin(ctx):
    api = ctx.api
    wh = site(ctx)
    a = sku(ctx, "R")
    stock(ctx, "S1", wh, [(a, 3)], moves=[{"sku": a, "qty": 3, "location": "A-02-1"}])
    stock(ctx, "S1", wh, [(a, 10)], moves=[{"sku": a, "qty": 10, "location": "D-09-1"}])
    o = create_order(ctx, order_body("S1", [(a, 3)]))
    w = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    eq([(p["location"], p["qty"]) for p in w["picks"]], [("A-02-1", 3)], "one bin holds the whole line")
    name, key = picker(ctx, wh)
    scan(ctx, w["id"], key, type="bin", code="A-02-1")
    scan(ctx, w["id"], key, type="item", code=a)  # one unit found, then the bin is empty
    problem(scan(ctx, w["id"], key, expect=400, type="short", code=a, qty=1), 400, "qty", "short takes no qty")
    problem(scan(ctx, w["id"], key, expect=422, type="short", code="NOPE"), 422, "code", "short of an item not here")
    r = scan(ctx, w["id"], key, type="short", code=a)
    eq(r.json["requeued"], [{"order": o["id"], "status": "allocated"}], "re-allocated from the other bin")
    eq(r.json["put_back"], [{"location": "A-02-1", "sku": a, "qty": 1}], "the unit found goes back")
    eq(r.json["lost"], 2, "two units missing from the bin")
    eq(r.json["picks"], [], "the order left the wave")
    lost = [p for p in journal(ctx, o["id"]) if p.get("to") == "lost"]
    eq([(p["sku"], p["qty"], p["from"], p.get("actor")) for p in lost],
       [(a, 2, "wh/%s/A-02-1" % wh, name)], "the shortage in the journal")
    it = inv(ctx, "S1", wh, a)
    eq((it["on_hand"], it["allocated"]), (11, 3), "stock after the short pick")
    g = get_order(ctx, o["id"])
    eq((g["status"], g["wave"]), ("allocated", None), "order back to allocation")
    w2 = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    eq(w2["orders"], [o["id"]], "the next wave takes it")
    got = sorted((p["location"], p["qty"]) for p in w2["picks"])
    eq(sum(q for _, q in got), 3, "three units picked in the new wave")
    r = api.post("/v1/orders/%s/pack" % seg(o["id"]), {}, expect=200)
    eq(r.json["status"], "packed", "packed from the new wave")


@test
def test_short_pick_backorders(ctx):
    api = ctx.api
    wh = site(ctx)
    a = sku(ctx, "K")
    stock(ctx, "S1", wh, [(a, 2)], moves=[{"sku": a, "qty": 2, "location": "B-04-1"}])
    o = create_order(ctx, order_body("S1", [(a, 2)]))
    w = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    name, key = picker(ctx, wh)
    problem(scan(ctx, w["id"], key, expect=422, type="short", code=a), 422, "type", "short before a bin")
    scan(ctx, w["id"], key, type="bin", code="B-04-1")
    r = scan(ctx, w["id"], key, type="short", code=barcode_of(ctx, a))
    eq(r.json["requeued"], [{"order": o["id"], "status": "backordered"}], "backordered: no stock anywhere")
    eq((r.json["lost"], r.json["put_back"], r.json["complete"]), (2, [], True), "short answer")
    it = inv(ctx, "S1", wh, a)
    eq((it["on_hand"], it["allocated"]), (0, 0), "stock after the short pick")
    eq(get_order(ctx, o["id"])["status"], "backordered", "order status")
    # stock arrives: the backorder is filled as any other
    stock(ctx, "S1", wh, [(a, 2)], moves=[{"sku": a, "qty": 2, "location": "B-05-1"}])
    eq(get_order(ctx, o["id"])["status"], "allocated", "backorder filled when stock arrives")


@test
def test_scan_bad_input_and_tenancy(ctx):
    api = ctx.api
    wh = site(ctx)
    a = sku(ctx, "T")
    stock(ctx, "S1", wh, [(a, 4)], moves=[{"sku": a, "qty": 4, "location": "A-01-1"}])
    o = create_order(ctx, order_body("S1", [(a, 1)]))
    w = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    path = "/v1/waves/%s/scans" % seg(w["id"])
    before = books(ctx, wh, [a], [o["id"]])
    for body, field in (({}, "type"), ({"type": "bag", "code": "A-01-1"}, "type"),
                        ({"type": 1, "code": "A-01-1"}, "type"), ({"type": "bin"}, "code"),
                        ({"type": "bin", "code": ""}, "code"), ({"type": "bin", "code": "X" * 65}, "code"),
                        ({"type": "bin", "code": 7}, "code"), ({"type": "item", "code": a, "qty": 0}, "qty"),
                        ({"type": "item", "code": a, "qty": "1"}, "qty"),
                        ({"type": "item", "code": a, "qty": 10 ** 12}, "qty"),
                        ({"type": "bin", "code": "A-01-1", "qty": 1}, "qty"),
                        ({"type": "bin", "code": "A-01-1", "order": o["id"]}, "order"),
                        ({"type": "item", "code": a, "order": 5}, "order")):
        problem(api.post(path, body, expect=400), 400, field, "scan %r" % body)
    problem(api.post(path, raw=b"{not json", expect=400), 400, None, "malformed body")
    problem(api.post("/v1/waves/wav_nope/scans", {"type": "bin", "code": "A-01-1"}, expect=404), 404, "id",
            "unknown wave")
    problem(api.get("/v1/waves/wav_nope/progress", expect=404), 404, "id", "progress of an unknown wave")
    # the operator of another warehouse sees no such wave or order; sellers may not scan
    problem(api.post(path, {"type": "bin", "code": "A-01-1"}, key="op", expect=404), 404, "id", "other warehouse")
    problem(api.get("/v1/waves/%s/progress" % seg(w["id"]), key="op", expect=404), 404, "id", "other warehouse")
    problem(api.post(path, {"type": "bin", "code": "A-01-1"}, key="s1", expect=403), 403, None, "seller scans")
    problem(api.post("/v1/orders/%s/pack-scans" % seg(o["id"]), {"code": a}, key="op", expect=404), 404, "id",
            "pack scan in another warehouse")
    problem(api.get("/v1/orders/%s/pack-progress" % seg(o["id"]), key="op", expect=404), 404, "id",
            "pack progress in another warehouse")
    problem(api.get("/v1/orders/%s/pack-progress" % seg(o["id"]), key="s2", expect=403), 403, None,
            "sellers have no pack station")
    problem(api.post("/v1/orders/ord_nope/pack-scans", {"code": a}, expect=404), 404, "id", "unknown order")
    problem(api.get(path.replace("/scans", "/progress") + "?x=1", expect=400), 400, "x", "unknown query")
    eq(books(ctx, wh, [a], [o["id"]]), before, "books after refused scans")
    eq(progress(ctx, w["id"])["bin"], None, "no bin recorded by refused scans")
    # idempotent: the same key and body answers the first scan again
    h = {"Idempotency-Key": "scan-" + rand_suffix(8)}
    name, key = picker(ctx, wh)
    scan(ctx, w["id"], key, type="bin", code="A-01-1")
    r1 = api.post(path, {"type": "item", "code": a}, key=key, headers=h, expect=200)
    r2 = api.post(path, {"type": "item", "code": a}, key=key, headers=h, expect=200)
    eq(r2.json, r1.json, "a retried scan answers the first answer")
    eq(progress(ctx, w["id"])["progress"]["units_done"], 1, "a retried scan counts once")
    # an order cancelled after its picks were confirmed by scan puts the goods back
    r = api.post("/v1/orders/%s/cancel" % seg(o["id"]), {}, expect=200)
    eq(r.json["status"], "cancelled", "cancel a picked-by-scan order")
    it = inv(ctx, "S1", wh, a)
    eq((it["on_hand"], it["allocated"]), (4, 0), "stock after the cancel")


@test
def test_cli_pick_list_and_scan(ctx):
    api = ctx.api
    wh = site(ctx)
    a = sku(ctx, "L", name_zh="命令行商品")
    stock(ctx, "S1", wh, [(a, 3)], moves=[{"sku": a, "qty": 3, "location": "B-06-1"}])
    o = create_order(ctx, order_body("S1", [(a, 2)]))
    w = api.post("/v1/waves", {"warehouse": wh}, expect=201).json
    rc, out, err = run_cli(ctx.binary, ["wave", "pick-list", w["id"], "--db", ctx.db])
    check("B-06-1" in out and a in out and "命令行商品" in out and "Scan item " + a in out,
          "pick list lacks bin, SKU or names:\n%s" % out)
    rc, out, err = run_cli(ctx.binary, ["wave", "scan", w["id"], "--item", a, "--db", ctx.db], check_rc=False)
    check(rc != 0 and "type" in err, "an item before a bin fails naming type: rc %r, %r" % (rc, err))
    rc, out, err = run_cli(ctx.binary, ["wave", "scan", w["id"], "--bin", "B-06-1", "--qty", "2", "--db", ctx.db],
                           check_rc=False)
    check(rc != 0 and "--qty" in err, "a bin scan with --qty fails: rc %r, %r" % (rc, err))
    run_cli(ctx.binary, ["wave", "scan", w["id"], "--bin", "B-06-1", "--db", ctx.db])
    rc, out, err = run_cli(ctx.binary, ["wave", "scan", w["id"], "--item", a, "--qty", "2", "--actor",
                                        "handheld-7", "--db", ctx.db])
    check("picked: %s" % o["id"] in out, "CLI scan completes the order:\n%s" % out)
    moves = [p for p in journal(ctx, o["id"]) if p.get("kind") == "move"]
    eq([(p["from"], p["qty"], p.get("actor")) for p in moves], [("wh/%s/B-06-1" % wh, 2, "handheld-7")],
       "the CLI scan's journal")
    rc, out, err = run_cli(ctx.binary, ["wave", "bogus", w["id"], "--db", ctx.db], check_rc=False)
    check(rc != 0, "an unknown wave subcommand fails")


def _decode(png):
    r = subprocess.run(["zbarimg", "--quiet", "--raw", png], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout.strip()


@test
def test_barcode_svg_decodes(ctx):
    api = ctx.api
    catalog(ctx)
    for tool in ("rsvg-convert", "zbarimg"):
        check(shutil.which(tool), "%s is missing: bash scripts/deps.sh test installs it" % tool)
    tmp = tempfile.mkdtemp(prefix="haicang-barcode-")
    try:
        for data in ("A-02-1", "6901234567892", "SC-1/B-10-3", "Hello <&> world"):
            r = api.get("/v1/barcodes/code128.svg?data=" + urllib.parse.quote(data), key="s1")
            eq(r.status, 200, "barcode of %r" % data, r)
            check(r.ctype.startswith("image/svg+xml"), "barcode content type %r" % r.ctype, r)
            svg = os.path.join(tmp, "b.svg")
            png = os.path.join(tmp, "b.png")
            with open(svg, "wb") as f:
                f.write(r.body)
            subprocess.run(["rsvg-convert", "-z", "3", "-b", "white", "-o", png, svg], check=True, timeout=60)
            rc, out = _decode(png)
            eq((rc, out), (0, data), "zbarimg reads the barcode of %r" % data)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for qs, field in (("", "data"), ("?data=", "data"), ("?data=" + "X" * 65, "data"),
                      ("?data=%C3%A9t%C3%A9", "data"), ("?data=a%01b", "data"), ("?data=A&size=3", "size")):
        problem(api.get("/v1/barcodes/code128.svg" + qs, expect=400), 400, field, "barcode %r" % qs)
    problem(api.get("/v1/barcodes/code128.svg?data=A", key=None, expect=401), 401, None, "barcode without a key")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

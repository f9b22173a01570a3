#!/usr/bin/env python3
"""haicang API tests: rate cards, charges at events, the storage run.

Cards are made, read and refused (overlapping tiers or effective dates name
the field); receiving, shipping and returning post their charges with the
amounts computed by hand below; the storage run charges per lot age (FIFO)
and a second run changes nothing; a card replaced back-dated re-rates by a
correction; sellers see only their own charges.

    python3 tests/api/test_ratecards.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Stock is dated in the past (to have ended storage days) by moving its goods
journal rows back in time directly in the database, the one thing here not
done over HTTP. Standard library only; see tests/api/README.md.
"""

import datetime
import os
import sqlite3
import subprocess
import sys
import urllib.parse
import zoneinfo

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["HAICANG_STORAGE_TIMER_S"] = "0"  # storage runs only when asked, below
from common import (Fail, check, eq, problem, q, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, fulfil, list_all, mk_sku,  # noqa: E402
                      order_body, stock, run_suite)

TESTS, test = collector()
DAY_MS = 86400000
TZ = zoneinfo.ZoneInfo("Europe/Berlin")  # DE-DUI's time zone


def local_day(delta=0):
    return (datetime.datetime.now(TZ).date() + datetime.timedelta(days=delta)).isoformat()


def card_body(wh="DE-DUI", seller=None, frm=None, to=None, **over):
    b = {"warehouse": wh, "currency": "EUR", "effective_from": frm or local_day(-60),
         "surcharge_pct": "5.5",
         "storage": {"basis": "m3", "tiers": [
             {"from_day": 0, "to_day": 30, "rate": "0.45"},
             {"from_day": 31, "to_day": 90, "rate": "0.60"},
             {"from_day": 91, "to_day": None, "rate": "0.90"}]},
         "inbound": {"basis": "unit", "rate": "0.30"},
         "outbound": {"breaks": [
             {"max_weight_g": 1000, "per_order": "1.20", "per_extra_unit": "0.25"},
             {"max_weight_g": None, "per_order": "2.50", "per_extra_unit": "0.40"}]},
         "returns": {"per_unit": "0.80"},
         "services": {"relabel": "0.10", "kitting": "0.50"},
         "minimums": {"inbound": {"amount": "5.00", "currency": "EUR"}}}
    if seller:
        b["seller"] = seller
    if to:
        b["effective_to"] = to
    b.update(over)
    return b


def sql(ctx, stmt):
    """Runs one statement on the suite's database (test setup only)."""
    if ctx.db.startswith("sqlite:"):
        con = sqlite3.connect(ctx.db[len("sqlite:"):], timeout=30)
        try:
            con.execute(stmt)
            con.commit()
        finally:
            con.close()
        return
    u = urllib.parse.urlparse(ctx.db)
    cmd = ["mariadb", "-h", u.hostname, "-P", str(u.port), "-u", urllib.parse.unquote(u.username or "root")]
    if u.password:
        cmd.append("-p" + urllib.parse.unquote(u.password))
    cmd += [u.path.lstrip("/").split("?")[0], "-e", stmt]
    subprocess.run(cmd, check=True, timeout=60)


def backdate(ctx, ref, days):
    sql(ctx, "UPDATE journal SET at = at - %d WHERE ref = '%s'" % (days * DAY_MS, ref))


def charges(ctx, key="admin", **params):
    return list_all(ctx.api, "/v1/charges", key=key, **params)


def cents(items):
    tot = 0
    for c in items:
        a = c["amount"]
        eq(a["currency"], "EUR", "charge currency")
        tot += round(float(a["amount"]) * 100)
    return tot


@test
def test_card_create_read(ctx):
    catalog(ctx)
    r = ctx.api.post("/v1/rate-cards", card_body(wh="US-LAX", currency="USD",
                                                  minimums={}), expect=201)
    c = r.json
    for f in ("id", "warehouse", "version", "effective_from", "storage", "inbound", "outbound"):
        check(f in c, "card lacks %r" % f, r)
    eq((c["version"], c["seller"], c["currency"]), (1, None, "USD"), "new card", r)
    eq(c["storage"]["tiers"][1], {"from_day": 31, "to_day": 90, "rate": "0.600000"},
       "tier as stored (rates with 4 digits past the cent)", r)
    eq(c["surcharge_pct"], "5.50", "surcharge", r)
    r = ctx.api.get("/v1/rate-cards/%s" % seg(c["id"]), key="s1", expect=200)
    eq(r.json["id"], c["id"], "a seller reads a warehouse card", r)
    # a seller card of S2: S1 does not see it, S2 does
    r = ctx.api.post("/v1/rate-cards", card_body(wh="US-LAX", seller="S2", currency="USD",
                                                  minimums={}), expect=201)
    s2card = r.json["id"]
    eq(r.json["version"], 1, "first version of the seller scope", r)
    ctx.api.get("/v1/rate-cards/%s" % seg(s2card), key="s1", expect=404)
    ctx.api.get("/v1/rate-cards/%s" % seg(s2card), key="s2", expect=200)
    ids = [x["id"] for x in list_all(ctx.api, "/v1/rate-cards", key="s1", warehouse="US-LAX")]
    check(c["id"] in ids and s2card not in ids, "S1's list: the warehouse card, not S2's: %r" % ids)
    ids = [x["id"] for x in list_all(ctx.api, "/v1/rate-cards", key="s2", warehouse="US-LAX")]
    check(c["id"] in ids and s2card in ids, "S2's list holds both: %r" % ids)
    # sellers read only; an operator writes only its warehouse
    r = ctx.api.post("/v1/rate-cards", card_body(wh="US-LAX", frm="2030-01-01"), key="s1")
    check(r.status in (401, 403), "a seller may not write cards (%d)" % r.status, r)
    r = ctx.api.post("/v1/rate-cards", card_body(wh="US-LAX", frm="2031-01-01"), key="op")
    problem(r, field="warehouse", what="operator of DE-DUI writing a US-LAX card")


@test
def test_card_validation(ctx):
    catalog(ctx)
    n0 = len(list_all(ctx.api, "/v1/rate-cards", warehouse="NL-VEN", all="true"))
    bad = card_body(wh="NL-VEN")
    bad["storage"]["tiers"][1]["from_day"] = 25
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "storage.tiers[1].from_day", "overlapping tiers")
    bad = card_body(wh="NL-VEN")
    bad["storage"]["tiers"][1]["from_day"] = 40
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "storage.tiers[1].from_day", "a gap between tiers")
    bad = card_body(wh="NL-VEN")
    bad["storage"]["tiers"][2]["to_day"] = 200
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "storage.tiers[2].to_day", "last tier not open")
    bad = card_body(wh="NL-VEN")
    bad["outbound"]["breaks"][0]["max_weight_g"] = None
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "outbound.breaks[0].max_weight_g",
            "open break first")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", currency="XYZ")), 400, "currency")
    bad = card_body(wh="NL-VEN")
    bad["storage"]["tiers"][0]["rate"] = "0.123456789"
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "storage.tiers[0].rate", "too many digits")
    bad = card_body(wh="NL-VEN")
    bad["storage"]["tiers"][0]["rate"] = "-1"
    problem(ctx.api.post("/v1/rate-cards", bad), 400, "storage.tiers[0].rate", "negative rate")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", surcharge_pct="101")), 400,
            "surcharge_pct")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", effective_from="2026-13-01")),
            400, "effective_from")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", effective_from="2026-02-30")),
            400, "effective_from", "a day not on the calendar")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", frm="2026-05-01",
                                                     to="2026-04-01")), 400, "effective_to")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NO-SUCH")), 400, "warehouse")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", seller="NOPE")), 400, "seller")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", replaces="rc_1")), 400, "replaces")
    b = card_body(wh="NL-VEN", minimums={"inbound": {"amount": "5.00", "currency": "USD"}})
    problem(ctx.api.post("/v1/rate-cards", b), 400, "minimums.inbound.currency")
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", storage={"basis": "shelf",
                                                                          "tiers": []})),
            400, "storage.basis")
    problem(ctx.api.get("/v1/rate-cards?bogus=1"), 400, "bogus", "undeclared query parameter")
    eq(len(list_all(ctx.api, "/v1/rate-cards", warehouse="NL-VEN", all="true")), n0,
       "nothing stored by the refused cards")
    # overlapping effective dates of one scope; other scopes may overlap
    ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", frm="2026-01-01", to="2026-06-30"),
                 expect=201)
    problem(ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", frm="2026-06-30")), 400,
            "effective_from", "overlapping effective dates")
    r = ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", frm="2026-07-01", to="2026-07-31"),
                     expect=201)
    eq(r.json["version"], 2, "the next version of the scope", r)
    ctx.api.post("/v1/rate-cards", card_body(wh="NL-VEN", seller="S1", frm="2026-03-01"),
                 expect=201)


@test
def test_charges_at_events(ctx):
    """DE-DUI card: inbound 0.30/unit (min 5.00), outbound 2.50 + 0.40 per extra unit above
    1 kg, returns 0.80/unit, surcharge 5.5 %, all half-even to the cent."""
    catalog(ctx)
    mk_sku(ctx, "S1", "CHG1", dims=[500, 400, 300], weight=500)
    ctx.api.post("/v1/rate-cards", card_body(), expect=201)
    ib = stock(ctx, "S1", "DE-DUI", [("CHG1", 10)])
    got = charges(ctx, cause=ib["id"])
    eq(len(got), 1, "one charge for the receipt")
    # 10 x 0.30 = 3.00 < minimum 5.00 -> 5.00; surcharge 5.5 % = 0.275 -> 0.28 (half-even)
    eq(got[0]["amount"], {"amount": "5.28", "currency": "EUR"}, "receiving charge")
    eq((got[0]["kind"], got[0]["cause"]["kind"]), ("inbound", "inbound"), "receiving charge kind")
    o = create_order(ctx, order_body("S1", [("CHG1", 3)], "DE"))
    fulfil(ctx, "DE-DUI", [o["id"]])
    got = charges(ctx, cause=o["id"])
    # 3 x 500 g = 1500 g: open break; 2.50 + 2 x 0.40 = 3.30; + 0.1815 -> 0.18 = 3.48
    eq([c["amount"]["amount"] for c in got], ["3.48"], "outbound charge of the shipped order")
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "CHG1", "qty": 2, "condition": "sellable"}]}, key="s1", expect=201)
    got = charges(ctx, cause=r.json["id"])
    # 2 x 0.80 = 1.60 + 0.088 -> 0.09 = 1.69
    eq([c["amount"]["amount"] for c in got], ["1.69"], "return charge")
    # the money journal holds them: the seller's wallet owes 5.28 + 3.48 + 1.69
    mine = charges(ctx, key="s1", warehouse="DE-DUI")
    eq(cents([c for c in mine if c["kind"] in ("inbound", "outbound", "return")]), 528 + 348 + 169, "S1's charges")
    eq(charges(ctx, key="s2"), [], "S2 sees none of S1's charges")
    # refused input books nothing
    n = len(charges(ctx))
    r = ctx.api.post("/v1/returns", {"order": o["id"], "lines": [
        {"sku": "CHG1", "qty": 9, "condition": "sellable"}]}, key="s1")
    problem(r, what="return of more than was shipped")
    r = ctx.api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]), {"lines": [{"sku": "CHG1",
                                                                              "qty": -1}]})
    problem(r, field="lines[0].qty", what="negative receipt")
    eq(len(charges(ctx)), n, "no charge for refused requests")
    problem(ctx.api.get(q("/v1/charges", kind="fee")), 400, "kind")
    problem(ctx.api.get(q("/v1/charges", day="yesterday")), 400, "day")


@test
def test_seller_card_overrides(ctx):
    """US-LAX in USD: S1's own card (receiving 0.10/unit) overrides the warehouse card
    (0.30/unit) for S1 only. 10 units: S1 1.00 + 5.5 % (0.055 -> 0.06) = 1.06;
    S2 3.00 + 0.165 -> 0.16 (half-even) = 3.16."""
    catalog(ctx)
    mk_sku(ctx, "S1", "OVR1")
    mk_sku(ctx, "S2", "OVR2")
    if not [c for c in list_all(ctx.api, "/v1/rate-cards", warehouse="US-LAX") if c["seller"] is None]:
        ctx.api.post("/v1/rate-cards", card_body(wh="US-LAX", currency="USD", minimums={}),
                     expect=201)
    b = card_body(wh="US-LAX", seller="S1", currency="USD", frm=local_day(-10), minimums={})
    b["inbound"]["rate"] = "0.10"
    key = "rc-" + local_day(0) + "-ovr"
    r1 = ctx.api.post("/v1/rate-cards", b, headers={"Idempotency-Key": key}, expect=201)
    r2 = ctx.api.post("/v1/rate-cards", b, headers={"Idempotency-Key": key}, expect=201)
    eq(r2.json["id"], r1.json["id"], "the same Idempotency-Key makes one card", r2)
    mine = r1.json["id"]
    ib = stock(ctx, "S1", "US-LAX", [("OVR1", 10)])
    got = charges(ctx, cause=ib["id"])
    eq([(c["amount"], c["card"]) for c in got], [({"amount": "1.06", "currency": "USD"}, mine)],
       "S1's receipt priced by S1's card")
    ib2 = stock(ctx, "S2", "US-LAX", [("OVR2", 10)])
    got = charges(ctx, cause=ib2["id"])
    eq(len(got), 1, "one charge for S2's receipt")
    check(got[0]["card"] != mine, "S2 is not priced by S1's card: %r" % got[0])
    eq(got[0]["amount"], {"amount": "3.16", "currency": "USD"}, "S2's receipt")


@test
def test_services(ctx):
    """DE-DUI's warehouse card: relabel 0.10, kitting 0.50 per unit, surcharge 5.5 %.
    S1 relabel 7: 0.70 + 0.0385 -> 0.04 = 0.74; kitting 3: 1.50 + 0.0825 -> 0.08 = 1.58."""
    catalog(ctx)
    if not [c for c in list_all(ctx.api, "/v1/rate-cards", warehouse="DE-DUI") if c["seller"] is None]:
        ctx.api.post("/v1/rate-cards", card_body(), expect=201)
    r = ctx.api.post("/v1/services", {"warehouse": "DE-DUI", "seller": "S1", "service": "relabel",
                                      "units": 7}, key="op", expect=201)
    eq(r.json["amount"], {"amount": "0.74", "currency": "EUR"}, "relabel charge", r)
    got = charges(ctx, cause=r.json["id"])
    eq([(c["kind"], c["cause"]["kind"], c["amount"]["amount"]) for c in got],
       [("service", "service", "0.74")], "the service charge is booked", r)
    r = ctx.api.post("/v1/services", {"warehouse": "DE-DUI", "seller": "S1", "service": "kitting",
                                      "units": 3}, expect=201)
    eq(r.json["amount"]["amount"], "1.58", "kitting charge", r)
    n = len(charges(ctx))
    b = {"warehouse": "DE-DUI", "seller": "S1", "service": "relabel", "units": 1}
    problem(ctx.api.post("/v1/services", dict(b, service="paint")), 400, "service")
    problem(ctx.api.post("/v1/services", dict(b, units=0)), 400, "units")
    problem(ctx.api.post("/v1/services", dict(b, seller="NOPE")), 400, "seller")
    problem(ctx.api.post("/v1/services", dict(b, warehouse="XX-NONE")), 400, "warehouse")
    problem(ctx.api.post("/v1/services", dict(b, warehouse="US-LAX"), key="op"), 400, "warehouse")
    problem(ctx.api.post("/v1/services", dict(b, warehouse="NL-VEN", seller="S2")), 409,
            "warehouse", "no card covers today")
    r = ctx.api.post("/v1/services", b, key="s1")
    check(r.status == 403, "a seller may not charge services (%d)" % r.status, r)
    eq(len(charges(ctx)), n, "refused services book nothing")


@test
def test_storage_run(ctx):
    """Lots on DE-DUI (Europe/Berlin): 10 units received 40 days ago, 5 units 5 days ago,
    4 shipped 2 days ago (FIFO: from the old lot). SKU 500 x 400 x 300 mm = 0.06 m3.
    Yesterday: old lot 6 units, age 39 -> 0.36 m3 x 0.60 = 0.216 -> 0.22;
    new lot 5 units, age 4 -> 0.30 m3 x 0.45 = 0.135 -> 0.14 (half-even);
    0.36 + surcharge 5.5 % (0.0198 -> 0.02) = 0.38."""
    catalog(ctx)
    mk_sku(ctx, "S2", "STO1", dims=[500, 400, 300], weight=400)
    frm = local_day(-50)
    card = ctx.api.post("/v1/rate-cards", card_body(seller="S2", frm=frm, minimums={}),
                        expect=201).json
    old = stock(ctx, "S2", "DE-DUI", [("STO1", 10)])
    new = stock(ctx, "S2", "DE-DUI", [("STO1", 5)])
    o = create_order(ctx, order_body("S2", [("STO1", 4)], "DE"), key="s2")
    fulfil(ctx, "DE-DUI", [o["id"]], deliver=False)
    backdate(ctx, old["id"], 40)
    backdate(ctx, new["id"], 5)
    backdate(ctx, o["id"], 2)
    y = local_day(-1)
    r = ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI", "date": y}, expect=200)
    got = charges(ctx, kind="storage", day=y, seller="S2")
    eq([c["amount"]["amount"] for c in got], ["0.38"], "storage of yesterday", r)
    eq(got[0]["cause"], {"kind": "storage", "id": "DE-DUI/" + y}, "cause of a storage day")
    # again: nothing changes
    r = ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI", "date": y}, expect=200)
    eq(r.json["entries"], 0, "a second run of the day books nothing", r)
    eq(len(charges(ctx, kind="storage", day=y)), 1, "still one storage charge of the day")
    # 3 days ago: old lot 10 units (age 37: 0.60 m3 x 0.60 = 0.36), new lot 5 (age 2: 0.135
    # -> 0.14), 0.50 + 0.0275 -> 0.03 (half-even: 2.75 -> 3) = 0.53
    d3 = local_day(-3)
    ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI", "date": d3}, expect=200)
    eq([c["amount"]["amount"] for c in charges(ctx, kind="storage", day=d3, seller="S2")],
       ["0.53"], "storage 3 days ago")
    # catch-up: every ended day since the card began; the two days above stay as they are
    r = ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI"}, expect=200)
    per_day = {}
    for c in charges(ctx, kind="storage", seller="S2"):
        per_day.setdefault(c["day"], []).append(c)
    eq(sorted(per_day), [local_day(-d) for d in range(40, 0, -1)],
       "one storage charge a day from the first lot's day to yesterday", r)
    check(all(len(v) == 1 for v in per_day.values()), "one charge per day")
    eq(per_day[y][0]["amount"]["amount"], "0.38", "yesterday unchanged by the catch-up")
    r = ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI"}, expect=200)
    eq((r.json["days"], r.json["entries"]), (0, 0), "nothing left to catch up", r)
    # a future day or today: refused, nothing booked
    problem(ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI", "date": local_day(0)}),
            400, "date", "today has not ended")
    problem(ctx.api.post("/v1/storage-runs", {"warehouse": "XX"}), 400, "warehouse")
    problem(ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI", "date": "2026-02-30"}), 400,
            "date", "a day not on the calendar")
    # re-rating: a replacement card back-dated with a cheaper 31-90 tier (0.30)
    before = charges(ctx, kind="inbound", seller="S2", warehouse="DE-DUI", day=local_day(0))
    eq(sorted(c["amount"]["amount"] for c in before), ["1.58", "3.16"],
       "S2's receipts: 10 x 0.30 + 5.5 % = 3.16, 5 x 0.30 + 5.5 % = 1.58")
    b = card_body(seller="S2", frm=frm, minimums={}, replaces=card["id"])
    b["storage"]["tiers"][1]["rate"] = "0.30"
    b["inbound"]["rate"] = "0.20"
    r = ctx.api.post("/v1/rate-cards", b, expect=201)
    eq(r.json["version"], 2, "the replacement is version 2", r)
    eq(ctx.api.get("/v1/rate-cards/%s" % seg(card["id"]), expect=200).json["superseded_by"],
       r.json["id"], "the old card names its replacement")
    ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI"}, expect=200)
    got = charges(ctx, kind="storage", day=y, seller="S2")
    eq(len(got), 2, "yesterday: the first charge and a correction")
    eq(got[0]["amount"]["amount"], "0.38", "the first charge is never edited")
    # new: 0.36 x 0.30 = 0.108 -> 0.11, + 0.14 = 0.25, + 0.01375 -> 0.01 = 0.26: -0.12
    eq((got[1]["amount"]["amount"], got[1]["cause"]["kind"]), ("-0.12", "correction"),
       "the correction of yesterday")
    eq(cents(got), 26, "yesterday now costs what the new card says")
    # the receipts are re-rated too: 10 x 0.20 = 2.00 + 0.11 = 2.11 (-1.05);
    # 5 x 0.20 = 1.00 + 0.055 -> 0.06 = 1.06 (-0.52); the shipment's rates did not change
    after = charges(ctx, kind="inbound", seller="S2", warehouse="DE-DUI", day=local_day(0))
    eq(sorted(c["amount"]["amount"] for c in after), ["-0.52", "-1.05", "1.58", "3.16"],
       "receipt charges and their corrections")
    eq(sorted(c["cause"]["kind"] for c in after), ["correction", "correction", "inbound", "inbound"],
       "corrections are new entries")
    eq([c["amount"]["amount"] for c in charges(ctx, cause=o["id"])], ["3.90"],
       "the shipment (4 x 400 g: 2.50 + 3 x 0.40 + 5.5 %) is unchanged")
    r = ctx.api.post("/v1/storage-runs", {"warehouse": "DE-DUI"}, expect=200)
    eq(len(charges(ctx, kind="inbound", seller="S2", warehouse="DE-DUI", day=local_day(0))), 4,
       "re-rating twice books nothing more", r)
    # days whose lots are all in the 0-30 tier do not change
    d35 = local_day(-35)
    eq(len(charges(ctx, kind="storage", day=d35, seller="S2")), 1, "a day in tier 0-30 only")
    # S1 sees none of it
    eq(charges(ctx, key="s1", kind="storage", seller="S2"), [], "tenancy of storage charges")


sys.exit(run_suite(TESTS, __doc__))

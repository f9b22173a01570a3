#!/usr/bin/env python3
"""haicang API tests: slotting proposals and their acceptance.

Picks in NL-VEN (depot at aisle 1, aisle pitch 3000 mm, bay pitch 1000 mm)
give the SKUs their velocities; a proposal moves the fastest to the bins
nearest the depot (a swap when the nearer bin holds a colder SKU), with the
walk per day before and after recomputed here from the layout; accepting
books journal moves bin to bin (a swap through wh/NL-VEN/SLOTTING) by the
key that accepted; a move whose bin changed since is refused (409 naming
it) and nothing moves; tenancy (seller 403, another warehouse's operator
404) and bad parameters (400 naming them).

    python3 tests/api/test_slotting.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, create_key, eq, problem, run_cli, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, fixture, fulfil, list_all,  # noqa: E402
                      mk_sku, order_body, stock, run_suite)

TESTS, test = collector()

WH = "NL-VEN"
SLOT = "/v1/warehouses/%s/slotting" % WH


def walk_mm(code):
    """Round trip from the depot (aisle 1) to NL-VEN bin code 'C-05-1'."""
    aisle = "ABCD".index(code[0]) + 1
    bay = int(code[2:4])
    return 2 * ((aisle - 1) * 3000 + bay * 1000 - 500)


# sku -> (bin, units stocked, pick lines)
PLAN = {"SL1": ("A-02-1", 20, 5), "SL2": ("A-01-1", 10, 1), "SL3": ("D-10-1", 10, 3)}


@fixture
def picked(ctx):
    """Stock the three SKUs in their bins and pick their lines (one wave)."""
    catalog(ctx)
    for sku, (loc, qty, _) in PLAN.items():
        mk_sku(ctx, "S1", sku)
        stock(ctx, "S1", WH, [(sku, qty)], moves=[{"sku": sku, "qty": qty, "location": loc}])
    oids = []
    for sku, (_, _, lines) in PLAN.items():
        for _ in range(lines):
            oids.append(create_order(ctx, order_body("S1", [(sku, 1)], "NL"))["id"])
    fulfil(ctx, WH, oids, deliver=False)
    return True


def bins_of(ctx, sku):
    """What each NL-VEN place holds of S1/sku, summed from the journal."""
    held = {}
    for p in list_all(ctx.api, "/v1/journal", seller="S1", sku=sku, warehouse=WH):
        if p.get("kind", "move") != "move":
            continue
        for place, sign in ((p["from"], -1), (p["to"], 1)):
            if place.startswith("wh/%s/" % WH):
                held[place[len(WH) + 4:]] = held.get(place[len(WH) + 4:], 0) + sign * p["qty"]
    return {k: v for k, v in held.items() if v}


@test
def test_propose(ctx):
    picked(ctx)
    r = ctx.api.post(SLOT, {}, expect=201)
    p = r.json
    for f in ("id", "warehouse", "window_days", "max_moves", "picks_per_day", "walk_mm_per_day",
              "saved_mm_per_day", "walk_mm_per_pick", "moves", "created_at"):
        check(f in p, "proposal lacks %r" % f, r)
    eq((p["warehouse"], p["window_days"], p["max_moves"]), (WH, 30, 50), "defaults", r)
    got = [(m["seq"], m["sku"], m["from"], m["to"], m["qty"], m["swap_seq"]) for m in p["moves"]]
    # SL1 (5 lines) swaps with SL2 (1 line) into the nearest bin; SL3 (3 lines) to the nearest free one
    eq(got, [(1, "SL1", "A-02-1", "A-01-1", 15, 2), (2, "SL2", "A-01-1", "A-02-1", 9, 1),
             (3, "SL3", "D-10-1", "A-03-1", 7, None)], "moves", r)
    # expected walk per day recomputed from the layout and the pick lines (30-day window)
    after_bin = {"SL1": "A-01-1", "SL2": "A-02-1", "SL3": "A-03-1"}
    before = sum(lines * walk_mm(loc) for loc, _, lines in PLAN.values()) / 30.0
    after = sum(PLAN[s][2] * walk_mm(after_bin[s]) for s in PLAN) / 30.0
    eq(p["walk_mm_per_day"], {"before": round(before), "after": round(after)}, "walk_mm_per_day", r)
    eq(p["saved_mm_per_day"], round(before) - round(after), "saved_mm_per_day", r)
    check(abs(p["picks_per_day"] - 9 / 30.0) < 0.002, "picks_per_day %r, expected 0.3" % p["picks_per_day"], r)
    for m in p["moves"]:
        eq((m["from_walk_mm"], m["to_walk_mm"]), (walk_mm(m["from"]), walk_mm(m["to"])),
           "walk of move %d's bins" % m["seq"], r)
        eq(m["accepted_at"], None, "accepted_at of a new move", r)
    r2 = ctx.api.get("%s/%s" % (SLOT, seg(p["id"])), expect=200)
    eq(r2.json["moves"], p["moves"], "GET proposal moves", r2)
    # max_moves bounds it: one move leaves no room for the swap, SL3 alone moves
    r = ctx.api.post(SLOT, {"max_moves": 1}, expect=201)
    eq([(m["sku"], m["to"]) for m in r.json["moves"]], [("SL3", "A-03-1")], "moves with max_moves 1", r)


@test
def test_accept_and_changed_stock(ctx):
    picked(ctx)
    p = ctx.api.post(SLOT, {}, expect=201).json
    pid = seg(p["id"])
    # half a swap, unknown and repeated seqs, wrong types: 400 naming the entry
    for body, field in (({"moves": [1]}, "moves[0]"), ({"moves": [1, 2, 99]}, "moves[2]"),
                        ({"moves": [3, 3]}, "moves[1]"), ({"moves": ["a"]}, "moves[0]"),
                        ({"moves": []}, "moves"), ({"moves": 3}, "moves")):
        problem(ctx.api.post("%s/%s/accept" % (SLOT, pid), body), 400, field, "accept %r" % body)
    problem(ctx.api.post("%s/nope/accept" % SLOT, {}), 404, "id", "accept an unknown proposal")
    # SL3's bin changes: another line picked from D-10-1
    o = create_order(ctx, order_body("S1", [("SL3", 1)], "NL"))
    fulfil(ctx, WH, [o["id"]], deliver=False)
    before = {s: bins_of(ctx, s) for s in PLAN}
    r = ctx.api.post("%s/%s/accept" % (SLOT, pid), {})
    problem(r, 409, "moves[2]", "accept after SL3's bin changed")
    check("D-10-1" in r.json.get("detail", ""), "the refusal names the bin: %r" % r.json, r)
    eq({s: bins_of(ctx, s) for s in PLAN}, before, "bins after a refused accept (nothing moved)")
    # the swap alone still holds: accepted, through the staging place, by the admin key
    r = ctx.api.post("%s/%s/accept" % (SLOT, pid), {"moves": [2, 1]}, expect=200)
    acc = {m["seq"]: m for m in r.json["moves"]}
    check(acc[1]["accepted_at"] and acc[2]["accepted_at"] and not acc[3]["accepted_at"],
          "accepted_at after accepting 1 and 2", r)
    eq(bins_of(ctx, "SL1"), {"A-01-1": 15}, "SL1 bins after the swap")
    eq(bins_of(ctx, "SL2"), {"A-02-1": 9}, "SL2 bins after the swap")
    legs = [(j["from"], j["to"], j["qty"], j["ref"]) for j in
            list_all(ctx.api, "/v1/journal", seller="S1", sku="SL1", warehouse=WH)
            if j["ref"] == p["id"]]
    eq(legs, [("wh/%s/A-02-1" % WH, "wh/%s/SLOTTING" % WH, 15, p["id"]),
              ("wh/%s/SLOTTING" % WH, "wh/%s/A-01-1" % WH, 15, p["id"])], "SL1's journal legs")
    actors = {j.get("actor") for j in list_all(ctx.api, "/v1/journal", seller="S1", sku="SL2",
                                               warehouse=WH) if j["ref"] == p["id"]}
    check(len(actors) == 1 and None not in actors and "" not in actors,
          "slotting moves carry the accepting key's name: %r" % actors)
    expect_inv(ctx, "S1", WH, "SL1", on_hand=15, allocated=0, available=15)
    expect_inv(ctx, "S1", WH, "SL2", on_hand=9, allocated=0, available=9)
    problem(ctx.api.post("%s/%s/accept" % (SLOT, pid), {"moves": [1, 2]}), 409, "moves[0]",
            "accept twice")
    # a fresh proposal for SL3 (6 left), accepted whole
    p2 = ctx.api.post(SLOT, {}, expect=201).json
    eq([(m["sku"], m["from"], m["to"], m["qty"]) for m in p2["moves"]],
       [("SL3", "D-10-1", "A-03-1", 6)], "moves of the second proposal")
    ctx.api.post("%s/%s/accept" % (SLOT, seg(p2["id"])), {}, expect=200)
    eq(bins_of(ctx, "SL3"), {"A-03-1": 6}, "SL3 bins after accepting")
    expect_inv(ctx, "S1", WH, "SL3", on_hand=6, allocated=0, available=6)
    problem(ctx.api.post("%s/%s/accept" % (SLOT, seg(p2["id"])), {}), 409, "moves",
            "accept a fully accepted proposal")
    # SL3 (4 lines now) is hotter than SL2 (1 line) one bin nearer: a swap, then nothing gains
    p3 = ctx.api.post(SLOT, {}, expect=201).json
    eq([(m["sku"], m["from"], m["to"], m["qty"], m["swap_seq"]) for m in p3["moves"]],
       [("SL3", "A-03-1", "A-02-1", 6, 2), ("SL2", "A-02-1", "A-03-1", 9, 1)], "third proposal")
    ctx.api.post("%s/%s/accept" % (SLOT, seg(p3["id"])), {}, expect=200)
    eq((bins_of(ctx, "SL3"), bins_of(ctx, "SL2")), ({"A-02-1": 6}, {"A-03-1": 9}), "after the swap")
    p4 = ctx.api.post(SLOT, {}, expect=201).json
    eq((p4["moves"], p4["saved_mm_per_day"]), ([], 0), "proposal when already slotted")


@test
def test_tenancy_and_bad_parameters(ctx):
    picked(ctx)
    problem(ctx.api.post(SLOT, {}, key="s1"), 403, what="a seller proposes")
    problem(ctx.api.post(SLOT, {}, key="op"), 404, "wh", "DE-DUI's operator proposes for NL-VEN")
    p = ctx.api.post(SLOT, {}, expect=201).json
    problem(ctx.api.get("%s/%s" % (SLOT, seg(p["id"])), key="op"), 404, what="another warehouse's proposal")
    problem(ctx.api.get("%s/%s" % (SLOT, seg(p["id"])), key="s1"), 403, what="a seller reads a proposal")
    problem(ctx.api.post("%s/%s/accept" % (SLOT, seg(p["id"])), {}, key="op"), 404,
            what="another warehouse's operator accepts")
    problem(ctx.api.post("%s/%s/accept" % (SLOT, seg(p["id"])), {}, key="s1"), 403,
            what="a seller accepts")
    # the proposal of NL-VEN is not one of DE-DUI's
    problem(ctx.api.get("/v1/warehouses/DE-DUI/slotting/%s" % seg(p["id"]), key="op"), 404, "id",
            "NL-VEN's proposal under DE-DUI")
    problem(ctx.api.post("/v1/warehouses/XX-NONE/slotting", {}), 404, "wh", "unknown warehouse")
    for body, field in (({"window_days": 0}, "window_days"), ({"window_days": 366}, "window_days"),
                        ({"window_days": "30"}, "window_days"), ({"max_moves": 0}, "max_moves"),
                        ({"max_moves": 1001}, "max_moves"), ({"max_moves": 2.5}, "max_moves"),
                        ({"golden_level_max": 0}, "golden_level_max"),
                        ({"level_penalty_mm": -1}, "level_penalty_mm")):
        problem(ctx.api.post(SLOT, body), 400, field, "propose with %r" % body)
    problem(ctx.api.post(SLOT, raw=b"[1]"), 400, what="a body that is not an object")
    r = ctx.api.post(SLOT, {"window_days": 7, "max_moves": 10}, expect=201)
    eq((r.json["window_days"], r.json["max_moves"]), (7, 10), "parameters kept", r)
    r = ctx.api.get(SLOT + "/%s?x=1" % seg(p["id"]))
    problem(r, 400, "x", "an unknown query parameter")


@test
def test_cli(ctx):
    picked(ctx)
    rc, out, err = run_cli(ctx.binary, ["slotting", "propose", "--warehouse", WH, "--max-moves", "3",
                                        "--db", ctx.db])
    first = out.split()[0]
    check(first.startswith("slt_"), "CLI propose prints the id first: %r" % out)
    check("saved" in out, "CLI propose prints the saving: %r" % out)
    r = ctx.api.get("%s/%s" % (SLOT, seg(first)), expect=200)
    eq(r.json["max_moves"], 3, "the CLI's proposal over the API", r)
    rc, out, err = run_cli(ctx.binary, ["slotting", "propose", "--warehouse", WH, "--max-moves", "0",
                                        "--db", ctx.db], check_rc=False)
    check(rc != 0 and "--max-moves" in err, "bad --max-moves: rc %r, %r" % (rc, err))
    rc, out, err = run_cli(ctx.binary, ["slotting", "accept", "slt_none", "--db", ctx.db], check_rc=False)
    check(rc != 0 and "slt_none" in err, "accept of an unknown id: rc %r, %r" % (rc, err))


@test
def test_journal_by_proposal_ref(ctx):
    """GET /v1/journal?ref=slt_...: the moves of an accepted proposal, for an
    admin and the warehouse's operator; nothing for another warehouse's
    operator or a seller."""
    picked(ctx)
    mk_sku(ctx, "S1", "SL4")
    stock(ctx, "S1", WH, [("SL4", 4)], moves=[{"sku": "SL4", "qty": 4, "location": "C-09-1"}])
    oids = [create_order(ctx, order_body("S1", [("SL4", 1)], "NL"))["id"] for _ in range(2)]
    fulfil(ctx, WH, oids, deliver=False)
    p = ctx.api.post(SLOT, {}, expect=201).json
    mine = [m for m in p["moves"] if m["sku"] == "SL4"]
    eq([(m["from"], m["qty"]) for m in mine], [("C-09-1", 2)], "SL4's move in %r" % p["moves"])
    ctx.api.post("%s/%s/accept" % (SLOT, seg(p["id"])), {}, expect=200)
    opnl, _ = create_key(ctx.binary, ctx.db, "--role", "operator", "--warehouse", WH)

    def legs(key):
        return sorted((j["sku"], j["from"], j["to"], j["qty"])
                      for j in list_all(ctx.api, "/v1/journal", key=key, ref=p["id"]))

    want = legs("admin")
    check(("SL4", "wh/%s/C-09-1" % WH, "wh/%s/%s" % (WH, mine[0]["to"]), 2) in want,
          "the admin sees SL4's move by ref: %r" % want)
    check(all(j[1].startswith("wh/%s/" % WH) and j[2].startswith("wh/%s/" % WH) for j in want),
          "every leg is bin to bin in %s: %r" % (WH, want))
    eq(legs(opnl), want, "journal by the proposal's ref for %s's operator" % WH)
    eq(legs("op"), [], "journal by the proposal's ref for DE-DUI's operator")
    eq(legs("s1"), [], "journal by the proposal's ref for a seller key")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

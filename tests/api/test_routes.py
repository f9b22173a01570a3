#!/usr/bin/env python3
"""haicang API tests: pick routes on a warehouse's layout.

A warehouse's layout takes middle cross aisles (`layout.cross_aisles`, in bays
from the front, inside `layout.bays_per_aisle`) and a route policy
(`layout.route_policy`); a wave's `route_length_mm` is then the shortest walk
(or the chosen policy's walk) through its bins, worked out here again by a
Held-Karp programme over the aisle graph (docs/core-flow.md, "Waves"). Bad
layouts answer 400 naming the field, and nothing is created.

    python3 tests/api/test_routes.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, problem, seg)  # noqa: E402
from fixtures import (collector, catalog, create_order, explicit_locations, mk_sku, order_body,  # noqa: E402
                      stock, run_suite)

TESTS, test = collector()

AP, BP = 3000, 1000  # aisle and bay pitch of the test warehouses


def warehouse(code, country, layout):
    return {"code": code, "name": "Routes " + code, "country": country,
            "address": {"line1": "1 Rue du Quai", "city": "Lille", "postcode": "59000", "country": country},
            "timezone": "Europe/Paris", "layout": layout}


# ---- the reference: geometry of docs/core-flow.md, Held-Karp over the bins

def bay_y(bay):
    return bay * BP - BP // 2


def levels(bays, cross):
    return [0] + [c * BP for c in cross] + [bays * BP]


def dist(lv, a1, y1, a2, y2):
    if a1 == a2:
        return abs(y1 - y2)
    return min(abs(y1 - L) + abs(a1 - a2) * AP + abs(y2 - L) for L in lv)


def optimum(points, depot, bays, cross):
    lv = levels(bays, cross)
    pts = sorted({(a, bay_y(b)) for a, b in points})
    k = len(pts)
    inf = float("inf")
    dp = [[inf] * k for _ in range(1 << k)]
    for i, (a, y) in enumerate(pts):
        dp[1 << i][i] = dist(lv, depot, 0, a, y)
    for s in range(1, 1 << k):
        for i in range(k):
            if dp[s][i] == inf or not (s >> i) & 1:
                continue
            for j in range(k):
                if not (s >> j) & 1:
                    t = s | (1 << j)
                    d = dp[s][i] + dist(lv, pts[i][0], pts[i][1], pts[j][0], pts[j][1])
                    if d < dp[t][j]:
                        dp[t][j] = d
    return min(dp[(1 << k) - 1][i] + dist(lv, pts[i][0], pts[i][1], depot, 0) for i in range(k))


def return_route(points, depot):
    aisles = {}
    for a, b in points:
        aisles[a] = max(aisles.get(a, 0), bay_y(b))
    lo, hi = min(min(aisles), depot), max(max(aisles), depot)
    return 2 * (hi - lo) * AP + sum(2 * y for y in aisles.values())


# bins of one order, aisle/bay; the middle cross aisle after bay 5 lets the
# picker cross over between aisles at 5 m
BINS = [(1, 5), (2, 6), (3, 5), (4, 6), (2, 9)]
AISLES = "ABCD"
# each test warehouse is the only one in its country, so orders go there
SHIP_TO = {"FR": {"country": "FR"},
           "ES": {"country": "ES", "postcode": "28001", "city": "Madrid", "line1": "Calle Mayor 1"},
           "IT": {"country": "IT", "postcode": "00184", "city": "Roma", "line1": "Via Nazionale 1"}}


def wave_over(ctx, code, country, layout, prefix):
    """A warehouse with this layout, one order over BINS, its wave."""
    api = ctx.api
    catalog(ctx)
    r = api.post("/v1/warehouses", warehouse(code, country, layout), expect=201)
    locs = explicit_locations(AISLES, 10, 1)
    api.post("/v1/warehouses/%s/locations" % code, {"locations": locs}, expect=201)
    lines, moves = [], []
    for i, (a, b) in enumerate(BINS):
        sku = "%s%d" % (prefix, i)
        mk_sku(ctx, "S1", sku)
        lines.append((sku, 2))
        moves.append({"sku": sku, "qty": 2, "location": "%s-%02d-1" % (AISLES[a - 1], b)})
    stock(ctx, "S1", code, lines, moves=moves)
    body = order_body("S1", lines, "FR")
    body["ship_to"].update(SHIP_TO[country])
    o = create_order(ctx, body)
    eq((o.get("status"), o.get("warehouse")), ("allocated", code), "order routed to " + code)
    r = api.post("/v1/waves", {"warehouse": code}, expect=201)
    w = r.json
    check(o["id"] in w.get("orders", []), "wave lacks the order", r)
    return r, w


@test
def test_layout_round_trip(ctx):
    api = ctx.api
    lay = {"aisle_pitch_mm": AP, "bay_pitch_mm": BP, "depot_aisle": 2, "bays_per_aisle": 30,
           "cross_aisles": [10, 20], "route_policy": "largest-gap"}
    r = api.post("/v1/warehouses", warehouse("RT-LAY", "BE", lay), expect=201)
    for k, v in lay.items():
        eq(r.json["layout"].get(k), v, "created layout." + k, r)
    r = api.get("/v1/warehouses/RT-LAY", expect=200)
    for k, v in lay.items():
        eq(r.json["layout"].get(k), v, "stored layout." + k, r)
    # defaults: a single block, the optimum
    r = api.post("/v1/warehouses", warehouse("RT-DEF", "BE", {"aisle_pitch_mm": AP}), expect=201)
    eq(r.json["layout"].get("cross_aisles"), [], "default cross_aisles", r)
    eq(r.json["layout"].get("route_policy"), "optimal", "default route_policy", r)


@test
def test_optimal_multi_block_wave(ctx):
    lay = {"aisle_pitch_mm": AP, "bay_pitch_mm": BP, "depot_aisle": 1, "bays_per_aisle": 10,
           "cross_aisles": [5]}
    r, w = wave_over(ctx, "RT-OPT", "FR", lay, "RO")
    want = optimum(BINS, 1, 10, [5])
    single = optimum(BINS, 1, 10, [])
    check(want < single, "the test bins must gain from the cross aisle (%d vs %d)" % (want, single))
    eq(w.get("route_length_mm"), want, "optimal route over a middle cross aisle", r)
    eq(w.get("route_policy"), "optimal", "wave route_policy", r)
    r2 = ctx.api.get("/v1/waves/%s" % seg(w["id"]), expect=200)
    eq(r2.json.get("route_length_mm"), want, "GET wave route_length_mm", r2)
    # the picks follow the route: every bin of the order, once per line
    locs = sorted(p["location"] for p in w["picks"])
    eq(locs, sorted("%s-%02d-1" % (AISLES[a - 1], b) for a, b in BINS), "picked bins", r)


@test
def test_optimal_single_block_wave(ctx):
    lay = {"aisle_pitch_mm": AP, "bay_pitch_mm": BP, "depot_aisle": 3}
    r, w = wave_over(ctx, "RT-ONE", "ES", lay, "RS")
    eq(w.get("route_length_mm"), optimum(BINS, 3, 10, []), "optimal single-block route", r)


@test
def test_return_policy_wave(ctx):
    lay = {"aisle_pitch_mm": AP, "bay_pitch_mm": BP, "depot_aisle": 1, "bays_per_aisle": 10,
           "cross_aisles": [5], "route_policy": "return"}
    r, w = wave_over(ctx, "RT-RET", "IT", lay, "RR")
    eq(w.get("route_length_mm"), return_route(BINS, 1), "return route length", r)
    eq(w.get("route_policy"), "return", "wave route_policy", r)
    check(w["route_length_mm"] >= optimum(BINS, 1, 10, [5]), "return shorter than the optimum", r)


@test
def test_bad_layouts(ctx):
    api = ctx.api
    base = {"aisle_pitch_mm": AP, "bay_pitch_mm": BP, "depot_aisle": 1, "bays_per_aisle": 10}
    cases = [
        ({"cross_aisles": [10]}, "layout.cross_aisles[0]"),       # at the back end: outside
        ({"cross_aisles": [12]}, "layout.cross_aisles[0]"),       # beyond the aisle
        ({"cross_aisles": [0]}, "layout.cross_aisles[0]"),        # at the front
        ({"cross_aisles": [-3]}, "layout.cross_aisles[0]"),
        ({"cross_aisles": [3, 3]}, "layout.cross_aisles[1]"),     # not strictly increasing
        ({"cross_aisles": [6, 4]}, "layout.cross_aisles[1]"),
        ({"cross_aisles": [2, "x"]}, "layout.cross_aisles[1]"),
        ({"cross_aisles": [2.5]}, "layout.cross_aisles[0]"),
        ({"cross_aisles": 5}, "layout.cross_aisles"),
        ({"cross_aisles": [1, 2, 3, 4, 5]}, "layout.cross_aisles"),
        ({"cross_aisles": [5], "bays_per_aisle": 0}, "layout.bays_per_aisle"),
        ({"bays_per_aisle": -1}, "layout.bays_per_aisle"),
        ({"route_policy": "fastest"}, "layout.route_policy"),
        ({"route_policy": "S-Shape"}, "layout.route_policy"),
        ({"route_policy": 3}, "layout.route_policy"),
    ]
    for i, (over, field) in enumerate(cases):
        lay = dict(base, **over)
        code = "RT-BAD%d" % i
        r = api.post("/v1/warehouses", warehouse(code, "FR", lay))
        problem(r, 400, field=field, what="layout %r" % over)
        api.get("/v1/warehouses/" + code, expect=404)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

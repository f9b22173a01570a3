#!/usr/bin/env python3
"""haicang API tests: container loading plans and backorders at scale (issue 8).

A plan of 900+ carton lines with time_limit_ms 1000 is answered within about
1.5 s; big plans run on the planner threads, so while several run /healthz,
a static file and a read route answer at once; when every planner is busy
and the queue is full, a plan is refused 503 problem+json with Retry-After
(and the queued ones still finish); a plan's SVG is drawn from the stored
request. Backorders: with 250 older unfillable backorders of one SKU, stock
of another SKU arriving allocates that SKU's backorder.

    python3 tests/api/test_loading.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import random
import re
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# the dashboard files of this checkout, for the static-file probe
os.environ.setdefault("HAICANG_WEB", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "..", "web"))
from common import Fail, check, eq, problem, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, get_order, mk_sku, order_body,  # noqa: E402
                      run_threads, stock, run_suite)

TESTS, test = collector()


def plan_body(lines, time_ms, seed=1, containers=10, qty_max=20):
    """lines carton lines of random sizes (total qty <= 20000) in 40HQs."""
    rnd = random.Random(seed)
    cartons, total = [], 0
    for i in range(lines):
        q = rnd.randint(1, max(1, min(qty_max, (20000 - total) // max(1, lines - i))))
        total += q
        cartons.append({"id": "L%d" % i, "dims_mm": [rnd.randint(200, 800), rnd.randint(200, 700),
                                                     rnd.randint(150, 600)],
                        "weight_g": rnd.randint(1000, 20000), "qty": q})
    return {"containers": [{"id": "C%d" % i, "type": "40HQ"} for i in range(containers)],
            "cartons": cartons, "options": {"time_limit_ms": time_ms, "seed": seed}}


def metric(ctx, name):
    r = ctx.api.get("/metrics", key=None, expect=200)
    m = re.search(r"^%s (\d+)$" % re.escape(name), r.body.decode(), re.M)
    check(m is not None, "/metrics lacks %s" % name, r)
    return int(m.group(1))


def placed_and_unplaced(plan):
    return len(plan["placements"]) + sum(u["qty"] for u in plan["unplaced"])


@test
def test_big_plan_keeps_its_deadline(ctx):
    body = plan_body(900, 1000)
    total = sum(c["qty"] for c in body["cartons"])
    t0 = time.time()
    r = ctx.api.post("/v1/loading-plans", body, key="s1", expect=201, timeout=30)
    took = time.time() - t0
    # the limit is the planner's (elapsed_ms, below); the wall bound only catches a
    # request that ignores it, with room for parsing and storing on a loaded machine
    check(took <= 3.0, "900 lines at time_limit_ms 1000 took %.2f s (at most 3 s)" % took, r)
    plan = r.json
    eq(placed_and_unplaced(plan), total, "placed + unplaced cartons")
    check(plan["containers_used"] >= 1 and len(plan["placements"]) > 1000,
          "a plan that places little: %d used, %d placed" % (plan["containers_used"],
                                                               len(plan["placements"])))
    check(plan["elapsed_ms"] <= 1000, "elapsed_ms %r over the limit" % plan["elapsed_ms"], r)
    # stored, as the seller's; the picture is drawn from the stored request
    g = ctx.api.get("/v1/loading-plans/%s" % seg(plan["id"]), key="s1", expect=200)
    eq(len(g.json["placements"]), len(plan["placements"]), "stored placements", g)
    ctx.api.get("/v1/loading-plans/%s" % seg(plan["id"]), key="s2", expect=404)
    s = ctx.api.get(plan["svg_url"], key="s1", expect=200, timeout=60)
    check(s.ctype.startswith("image/svg+xml") and b"<svg" in s.body[:2000],
          "the plan's SVG is not an SVG picture", s)


@test
def test_small_plan_and_bad_input(ctx):
    body = {"containers": [{"id": "C1", "dims_mm": [1000, 1000, 1000]}],
            "cartons": [{"id": "A", "dims_mm": [500, 500, 500], "weight_g": 1000, "qty": 8}],
            "options": {"time_limit_ms": 200}}
    r = ctx.api.post("/v1/loading-plans", body, key="s1", expect=201)
    eq(len(r.json["placements"]), 8, "eight cubes fill the box", r)
    eq(r.json["unplaced"], [], "nothing left over", r)
    s = ctx.api.get(r.json["svg_url"], key="s1", expect=200)
    check(b"<svg" in s.body[:2000], "SVG of a small plan", s)
    bad = dict(body, cartons=[{"id": "A", "dims_mm": [500, 0, 500], "weight_g": 1, "qty": 1}])
    problem(ctx.api.post("/v1/loading-plans", bad, key="s1"), 400, "cartons[0].dims_mm")


def timed_get(ctx, path, key=None):
    t0 = time.time()
    r = ctx.api.get(path, key=key, timeout=30)
    return r, time.time() - t0


@test
def test_server_answers_while_plans_run(ctx):
    threads = metric(ctx, "haicang_planner_threads")
    n = threads + 1  # every planner busy, one more queued
    results = [None] * n
    body = plan_body(600, 2500, seed=3)

    def plan(i):
        r = ctx.api.post("/v1/loading-plans", body, key="s1", timeout=120)
        results[i] = r
    ts = [threading.Thread(target=plan, args=(i,)) for i in range(n)]
    [t.start() for t in ts]
    time.sleep(0.8)  # the plans are parsed and planning
    check(metric(ctx, "haicang_planner_running") >= 1, "no plan is running on a planner")
    worst = 0.0
    for _ in range(5):
        for path, key in (("/healthz", None), ("/index.html", None), ("/v1/orders?limit=5", "s1")):
            r, took = timed_get(ctx, path, key)
            eq(r.status, 200, "GET %s while plans run" % path, r)
            worst = max(worst, took)
        time.sleep(0.1)
    [t.join(120) for t in ts]
    check(worst < 0.5, "a GET took %.2f s while plans ran (HTTP threads must stay free)" % worst)
    for r in results:
        check(r is not None and r.status == 201, "a plan was not made: %r" %
              (r.describe() if r is not None else None), r)


@test
def test_full_queue_answers_503_with_retry_after(ctx):
    threads = metric(ctx, "haicang_planner_threads")
    cap = metric(ctx, "haicang_planner_queue_capacity")
    n = threads + cap + 4
    body = plan_body(300, 1500, seed=4)
    results = [None] * n

    def plan(i):
        results[i] = ctx.api.post("/v1/loading-plans", body, key="s1", timeout=180,
                                  allow_5xx=True)
    run_threads(n, plan)
    refused = [r for r in results if r.status == 503]
    made = [r for r in results if r.status == 201]
    check(len(refused) + len(made) == n, "answers other than 201 or 503: %r" %
          sorted(set(r.status for r in results)))
    check(refused, "%d plans at once on %d planners with a queue of %d: none refused" %
          (n, threads, cap))
    check(len(made) >= threads + cap - 1, "only %d of %d plans made" % (len(made), n))
    r = refused[0]
    eq(r.ctype.split(";")[0], "application/problem+json", "503 Content-Type", r)
    eq(r.json.get("status"), 503, "problem status", r)
    ra = r.headers.get("retry-after", "")
    check(ra.isdigit() and int(ra) >= 1, "Retry-After must be whole seconds >= 1, got %r" % ra, r)
    check(metric(ctx, "haicang_planner_refused_total") >= len(refused), "refusals not counted")
    # the queue drains: a plan after the storm is made
    ctx.api.post("/v1/loading-plans", plan_body(50, 200, seed=5), key="s1", expect=201)


@test
def test_backorders_beyond_the_oldest_200_are_filled(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "BOX")
    mk_sku(ctx, "S1", "BOY")

    def order_x(i):
        o = create_order(ctx, order_body("S1", [("BOX", 1)]))
        if o.get("status") != "backordered":
            raise Fail("an order of BOX with no stock: %r" % o.get("status"))
    for chunk in range(5):  # in waves of 50, oldest first
        run_threads(50, order_x)
    y = create_order(ctx, order_body("S1", [("BOY", 2)]))
    eq(y.get("status"), "backordered", "order of BOY before its stock")
    stock(ctx, "S1", "DE-DUI", [("BOY", 5)])
    got = get_order(ctx, y["id"])
    eq(got.get("status"), "allocated", "order of BOY after its stock arrived behind 250 backorders")
    # a second BOY order, newer: filled too while stock lasts; BOX ones stay
    y2 = create_order(ctx, order_body("S1", [("BOY", 3)]))
    eq(y2.get("status"), "allocated", "BOY order with 3 left")
    r = ctx.api.get("/v1/orders?seller=S1&status=backordered&limit=1000", expect=200)
    left = [o for o in r.json["items"] if any(l["sku"] == "BOX" for l in o["lines"])]
    eq(len(left), 250, "BOX backorders untouched")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""Bulk labels benchmark: GET /v1/dispatch/labels.pdf?orders= for N chosen orders.

Starts `haicang serve` (the binary given) on a fresh SQLite database, makes N
orders of one seller at DE-DUI with one parcel each through the API (UPLOADS of
them, spread evenly, with an uploaded label PDF instead of haicang's own, to time
the qpdf join too), then asks for the labels of all N in one request REPEAT times, printing
per request the wall time (client side), the server's CPU time (utime + stime
of the server process from /proc, its delta over the request), the size and
the page count.

    python3 bench/labels-bulk/bulk_labels.py --bin build-bench/src/cli/haicang \
        [--orders 200] [--uploads 0] [--repeat 5]

Uses the API test helpers (tests/api/common.py, fixtures.py) to set up.
"""

import argparse
import os
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
from common import Api, Server, create_key, run_cli, seg  # noqa: E402
from fixtures import Ctx, catalog, create_order, mk_sku, order_body, stock  # noqa: E402


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def setup(ctx, n, uploads):
    catalog(ctx)
    ctx.api.post("/v1/carrier-services", {
        "warehouse": "DE-DUI", "code": "BENCH", "carrier": "DHL", "name": "DHL Paket",
        "currency": "EUR", "effective_from": "2026-01-01", "max_weight_g": 31500,
        "transit_days": 2, "cutoff": "23:59", "pickup_days": [1, 2, 3, 4, 5, 6, 7],
        "two_d": "qr", "numbering": {"kind": "s10", "prefix": "RR", "country": "DE",
                                     "from": 10000000, "to": 99999999},
        "zones": [{"zone": "DE", "country": "DE"}],
        "prices": [{"zone": "DE", "max_weight_g": 31500, "price": "5.90"}]}, expect=201)
    mk_sku(ctx, "S1", "BENCH1", dims=[100, 100, 50], weight=300)
    stock(ctx, "S1", "DE-DUI", [("BENCH1", n)])
    ids = [create_order(ctx, order_body("S1", [("BENCH1", 1)]), key="admin")["id"] for _ in range(n)]
    ctx.api.post("/v1/waves", {"warehouse": "DE-DUI", "orders": ids}, expect=201)
    one = {"dims_mm": [200, 150, 80], "weight_g": 500, "items": [{"sku": "BENCH1", "qty": 1}]}
    step = n // uploads if uploads else 0
    uploaded = set(ids[::step][:uploads]) if uploads else set()  # spread: every step-th order
    parcels = []
    for oid in [i for i in ids if i not in uploaded]:
        r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid), {"parcels": [one], "service": "BENCH"},
                         expect=201)
        parcels.append(r.json["items"][0]["id"])
    if uploads:
        r = ctx.api.get("/v1/parcels/%s/label.pdf" % seg(parcels[0]))
        assert r.status == 200, r.describe()
        pdf = r.body
        for oid in sorted(uploaded):
            r = ctx.api.call("PUT", "/v1/orders/%s/label?carrier=UPS&tracking_no=1Z999AA1012345678"
                             % seg(oid), raw=pdf, headers={"Content-Type": "application/pdf"})
            assert r.status == 201, r.describe()
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--uploads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    work = tempfile.mkdtemp(prefix="bench-labels-")
    db = "sqlite:%s/bench.db" % work
    run_cli(binary, ["migrate", "--db", db])
    keys = {"admin": create_key(binary, db, "--role", "admin")[0]}
    server = Server(binary, db, work)
    server.start()
    try:
        ctx = Ctx(Api("127.0.0.1", server.port, keys), binary, db)
        t0 = time.time()
        ids = setup(ctx, a.orders, a.uploads)
        print("setup: %d orders (%d with an uploaded label) in %.1f s" %
              (len(ids), a.uploads, time.time() - t0), flush=True)
        path = "/v1/dispatch/labels.pdf?orders=" + ",".join(ids)
        for i in range(a.repeat):
            c0, w0 = cpu_seconds(server.proc.pid), time.perf_counter()
            r = ctx.api.get(path)
            wall = time.perf_counter() - w0
            cpu = cpu_seconds(server.proc.pid) - c0
            assert r.status == 200 and r.ctype == "application/pdf", r.describe()
            pages = len(re.findall(rb"/Type\s*/Page[^s]", r.body))
            print("request %d: wall %.3f s, server CPU %.2f s, %d bytes, %d pages, %.0f labels/s"
                  % (i + 1, wall, cpu, len(r.body), pages, pages / wall), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()

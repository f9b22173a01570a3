#!/usr/bin/env python3
"""Crash test of haicang: a 201 survives `kill -9`.

Starts `haicang serve` on a temporary SQLite database, fires orders from 8
threads, records every order acknowledged with 201, kills the server with
SIGKILL in the middle of the load, restarts it, and checks that every
acknowledged order is there, that an Idempotency-Key retry of an acknowledged
order books nothing twice, that inventory agrees with the orders, and finally
that `haicang verify` exits 0. Ends with `N passed, N failed`.

    python3 tests/api/crash.py --bin build/src/cli/haicang [--cycles 3] [--db sqlite|mariadb|mysql://...]
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # keep tests/api free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, Fail, MariaDB, Runner, Server, check, cleanup, create_key, eq,  # noqa: E402
                    fresh_db_url, note, q, rand_suffix, run_cli, sanitizer_lines, seg)

STOCK = 3000
THREADS = 8


def list_all(api, path, key="admin", **params):
    out, cursor = [], None
    while True:
        r = api.get(q(path, limit=1000, cursor=cursor, **params), key=key, expect=200)
        out.extend(r.json["items"])
        cursor = r.json.get("next_cursor")
        if cursor is None:
            return out


def setup_catalog(api):
    api.post("/v1/sellers", {"code": "S1", "name": "Crash Seller", "country": "CN"}, expect=201)
    api.post("/v1/warehouses", {"code": "DE-DUI", "name": "Duisburg", "country": "DE",
                                "address": {"line1": "Hafenstraße 1", "city": "Duisburg", "postcode": "47119",
                                            "country": "DE"},
                                "timezone": "Europe/Berlin"}, expect=201)
    locs = [{"code": "A-%02d-%d" % (b, lv), "zone": "PICK", "dims_mm": [1200, 800, 1000],
             "max_weight_g": 500000} for b in range(1, 11) for lv in range(1, 4)]
    api.post("/v1/warehouses/DE-DUI/locations", {"locations": locs}, expect=201)
    api.post("/v1/skus", {"seller": "S1", "sku": "CR1", "name": "Crash widget", "hs_code": "8517130000",
                          "declared_value": {"amount": "1.00", "currency": "USD"}, "origin_country": "CN",
                          "dims_mm": [50, 50, 50], "weight_g": 100}, expect=201)
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-CRASH",
                                  "lines": [{"sku": "CR1", "qty": STOCK}]}, expect=201)
    iid = seg(r.json["id"])
    api.post("/v1/inbounds/%s/receipts" % iid, {"lines": [{"sku": "CR1", "qty": STOCK}]}, expect=200)
    api.post("/v1/inbounds/%s/putaway" % iid, {}, expect=200)


def order_body(coid):
    return {"seller": "S1", "channel": "crash", "channel_order_id": coid,
            "ship_to": {"name": "Max Mustermann", "country": "DE", "postcode": "47051", "city": "Duisburg",
                        "line1": "Königstraße 1"},
            "lines": [{"sku": "CR1", "qty": 1, "unit_price": {"amount": "9.99", "currency": "EUR"}}]}


class Load:
    """8 threads posting orders until told to stop or the server goes away."""

    def __init__(self, api, cycle):
        self.api = api
        self.cycle = cycle
        self.acked = {}       # order id -> (coid, idempotency key, status, body)
        self.five_xx = []
        self.bad = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(THREADS)]

    def run(self, i):
        n = 0
        while not self.stop.is_set():
            n += 1
            coid = "C%d-T%d-%06d-%s" % (self.cycle, i, n, rand_suffix(4))
            ikey = "ik-" + coid
            body = order_body(coid)
            try:
                r = self.api.post("/v1/orders", body, key="s1", headers={"Idempotency-Key": ikey},
                                  timeout=10, allow_5xx=True)
            except Fail:
                if self.stop.is_set():
                    return
                time.sleep(0.01)   # the server is gone (killed): stop this thread
                return
            with self.lock:
                if r.status >= 500:
                    self.five_xx.append(r)
                elif r.status == 201:
                    js = r.json or {}
                    if js.get("status") not in ("allocated", "backordered") or not js.get("id"):
                        self.bad.append(r)
                    else:
                        self.acked[js["id"]] = (coid, ikey, r.status, body)
                else:
                    self.bad.append(r)

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "src", "cli",
                                                   "haicang"))
    ap.add_argument("--db", default="sqlite", help="sqlite (default) | mariadb | mysql://user:pass@host:port/db")
    ap.add_argument("--cycles", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    runner = Runner()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        runner.fail("setup", "no haicang binary at %s" % binary)
        return runner.finish()
    workdir = tempfile.mkdtemp(prefix="haicang-crash-")
    maria = None
    server = None
    cli_err = []
    try:
        spec = args.db
        if spec == "mariadb":
            maria = MariaDB(workdir)
            spec = maria.start()
        db = fresh_db_url(spec, workdir)
        print("db: %s  workdir: %s" % (db, workdir), flush=True)
        try:
            cli_err.append(run_cli(binary, ["migrate", "--db", db])[2])
            keys = {}
            keys["admin"], e = create_key(binary, db, "--role", "admin")
            cli_err.append(e)
            keys["s1"], e = create_key(binary, db, "--role", "seller", "--seller", "S1")
            cli_err.append(e)
            server = Server(binary, db, workdir)
            server.start()
            setup_catalog(Api("127.0.0.1", server.port, keys))
        except Exception as e:
            runner.fail("setup", str(e))
            return runner.finish()

        all_acked = {}
        for cycle in range(1, args.cycles + 1):
            api = Api("127.0.0.1", server.port, keys)
            load = Load(api, cycle)
            load.start()
            # let the load run, then kill -9 while requests are in flight
            deadline = time.time() + 20
            want = 200 * cycle
            while time.time() < deadline and len(load.acked) < want:
                time.sleep(0.05)
            time.sleep(random.uniform(0.05, 0.3))
            server.proc.kill()             # SIGKILL: no clean shutdown
            server.proc.wait()
            server._finish()
            load.join()
            print("cycle %d: %d orders acknowledged before kill -9" % (cycle, len(load.acked)), flush=True)
            all_acked.update(load.acked)

            def no_5xx():
                check(not load.five_xx, "%d answers were 5xx; first:\n%s" %
                      (len(load.five_xx), load.five_xx[0].describe() if load.five_xx else ""))
                check(not load.bad, "%d unexpected answers; first:\n%s" %
                      (len(load.bad), load.bad[0].describe() if load.bad else ""))
                check(load.acked, "no order was acknowledged before the kill")
            runner.run("cycle%d_load_answers" % cycle, no_5xx)

            try:
                server.start()
            except Exception as e:
                runner.fail("cycle%d_restart" % cycle, str(e))
                return runner.finish()
            api = Api("127.0.0.1", server.port, keys)

            def acked_present():
                missing = []
                for oid, (coid, _, _, _) in all_acked.items():
                    r = api.get("/v1/orders/%s" % seg(oid), key="s1")
                    if r.status != 200:
                        missing.append((oid, r.status))
                    elif r.json.get("channel_order_id") != coid:
                        missing.append((oid, "channel_order_id %r != %r" % (r.json.get("channel_order_id"), coid)))
                check(not missing, "%d of %d acknowledged orders lost after kill -9: %r" %
                      (len(missing), len(all_acked), missing[:10]))
            runner.run("cycle%d_acked_orders_present" % cycle, acked_present)

            def retry_books_nothing():
                sample = random.sample(sorted(load.acked.items()), min(20, len(load.acked)))
                before = len(list_all(api, "/v1/orders", key="s1", channel="crash"))
                for oid, (coid, ikey, status, body) in sample:
                    r = api.post("/v1/orders", body, key="s1", headers={"Idempotency-Key": ikey})
                    eq(r.status, status, "status of a retry after restart", r)
                    eq(r.json.get("id"), oid, "order id of a retry after restart", r)
                after = len(list_all(api, "/v1/orders", key="s1", channel="crash"))
                eq(after, before, "orders after retrying acknowledged requests")
            runner.run("cycle%d_idempotent_retry_after_restart" % cycle, retry_books_nothing)

            def inventory_agrees():
                orders = list_all(api, "/v1/orders", key="s1", channel="crash")
                ids = [o["id"] for o in orders]
                eq(len(ids), len(set(ids)), "duplicate orders in the list")
                check(set(all_acked) <= set(ids), "acknowledged orders missing from the list")
                alloc = sum(1 for o in orders if o.get("status") == "allocated")
                back = sum(1 for o in orders if o.get("status") == "backordered")
                r = api.get(q("/v1/inventory", seller="S1", warehouse="DE-DUI", sku="CR1"), key="s1", expect=200)
                it = r.json["items"][0]
                eq((it["on_hand"], it["allocated"]), (STOCK, alloc), "CR1 on_hand, allocated vs allocated orders", r)
                check(alloc <= STOCK, "over-allocation after crash: %d of %d" % (alloc, STOCK))
                if back:
                    eq(it["available"], 0, "available while %d orders are backordered" % back, r)
            runner.run("cycle%d_inventory_agrees" % cycle, inventory_agrees)

        rc = server.stop()
        if rc not in (0, -15):
            note("haicang serve exited %r on SIGTERM" % rc)

        def verify():
            vrc, vout, verr = run_cli(binary, ["verify", "--db", db], check_rc=False, timeout=600)
            cli_err.append(verr)
            check(vrc == 0, "haicang verify exited %d\n%s\n%s" % (vrc, vout[-3000:], verr[-3000:]))
        runner.run("verify_after_crashes", verify)

        def sanitizers():
            san = sanitizer_lines("\n".join(server.stderr_texts + cli_err))
            check(not san, "sanitizer reports in stderr:\n" + "\n".join(san[:40]))
        runner.run("no_sanitizer_reports", sanitizers)
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        cleanup(server, maria, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())

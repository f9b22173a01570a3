#!/usr/bin/env python3
"""Events-ingestion benchmark of issue 9 (head-haul tracking events).

Starts `haicang serve` (a release build) on a fresh SQLite database in
BENCH_TMP (default /var/tmp: a real disk, so that fsync costs what it costs),
books SHIPMENTS shipments with one ISO 6346 container each through the API,
then POSTs BATCHES batches of BATCH DCSA Track & Trace v3 events
(POST /v1/shipments/{id}/events; nine in ten EQUIPMENT events GTIN / LOAD /
DISC / GTOT on the container, one in ten a TRANSPORT EST ARRI that moves the
ETA) from CLIENTS keep-alive connections, every answer checked (200, all
applied). The server answers after its group commit has synced the WAL:
durable. Then, in the same run, sqlite_events inserts the same rows into a
fresh database with the server's schema and settings, one synced
transaction per batch. Prints both rates.

    bench/headhaul-events/run.py --bin build-rel/src/cli/haicang
        [--shipments 200] [--batch 1000] [--batches 200] [--clients 4]
        [--server-threads N] [--perf FILE] [--keep]

--perf FILE records `perf record -g` of the server during the load.
Standard library only; sqlite_events is built with cc (needs libsqlite3-dev).
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CODES = ["GTIN", "LOAD", "DISC", "GTOT"]


def iso6346(prefix10):
    vals, v = {}, 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v % 11 == 0:
            v += 1
        vals[ch] = v
        v += 1
    total = sum((vals[c] if c.isalpha() else int(c)) * (2 ** i) for i, c in enumerate(prefix10))
    return prefix10 + str(total % 11 % 10)


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + ".%03dZ" % (ms % 1000)


class Api:
    def __init__(self, port, key):
        self.port, self.key = port, key
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, raw=None, expect=(200, 201)):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {"Authorization": "Bearer " + self.key, "Accept": "application/json"}
        if data is not None:
            h["Content-Type"] = "application/json"
        self.c.request(method, path, body=data, headers=h)
        r = self.c.getresponse()
        text = r.read()
        if r.status not in expect:
            raise RuntimeError("%s %s -> %d %s" % (method, path, r.status, text[:400]))
        return json.loads(text) if text else None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--shipments", type=int, default=200)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--server-threads", type=int, default=0)
    ap.add_argument("--perf", default="")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    tmp = tempfile.mkdtemp(prefix="haicang-hh-events.", dir=os.environ.get("BENCH_TMP", "/var/tmp"))
    db = "sqlite:" + os.path.join(tmp, "bench.db")
    baseline = os.path.join(tmp, "sqlite_events")
    subprocess.run(["cc", "-std=c17", "-O2", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE",
                    os.path.join(HERE, "sqlite_events.c"), "-o", baseline, "-lsqlite3"], check=True)
    subprocess.run([binary, "migrate", "--db", db], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    key = subprocess.run([binary, "key", "create", "--db", db, "--role", "admin"], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    port = free_port()
    args = [binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port]
    if a.server_threads:
        args += ["--threads", str(a.server_threads)]
    log = open(os.path.join(tmp, "serve.log"), "w")
    srv = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    perf = None
    try:
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        api = Api(port, key)
        # ---- setup: a seller, a warehouse, a SKU, SHIPMENTS inbounds and shipments
        t0 = time.time()
        api.call("POST", "/v1/sellers", {"code": "S1", "name": "Seller", "country": "CN"})
        api.call("POST", "/v1/warehouses", {"code": "DE-DUI", "name": "Duisburg", "country": "DE",
                                            "address": {"line1": "1 Hafen", "city": "Duisburg",
                                                        "postcode": "47119", "country": "DE"},
                                            "timezone": "UTC"})
        api.call("POST", "/v1/skus", {"seller": "S1", "sku": "EAR-1", "name": "Earbuds",
                                      "hs_code": "8518300000",
                                      "declared_value": {"amount": "5.00", "currency": "USD"},
                                      "origin_country": "CN", "dims_mm": [100, 80, 40],
                                      "weight_g": 150})
        now = int(time.time() * 1000)
        ships = []
        for i in range(a.shipments):
            inb = api.call("POST", "/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI",
                                                    "reference": "PO-%d" % i,
                                                    "lines": [{"sku": "EAR-1", "qty": 10}]})["id"]
            cont = iso6346("BENU%06d" % i)
            sh = api.call("POST", "/v1/shipments", {
                "mode": "rail", "warehouse": "DE-DUI", "reference": "B-%d" % i,
                "legs": [{"from": "CNZZU", "to": "DEDUI", "carrier": "CR Express",
                          "etd": iso(now - 86400000), "eta": iso(now + 12 * 86400000)}],
                "containers": [{"number": cont, "size_type": "45G1",
                                "contents": [{"inbound": inb, "cartons": 2}]}]})
            ships.append((sh["id"], cont))
        setup_s = time.time() - t0
        # ---- the batches, and the same rows for the baseline
        bodies = []
        rows = open(os.path.join(tmp, "rows.tsv"), "w")
        k = 0
        for b in range(a.batches):
            shp, cont = ships[b % len(ships)]
            evs = []
            for j in range(a.batch):
                k += 1
                at = now - 86400000 + k * 1000
                eid = "bench-%08d" % k
                if j % 10 == 9:
                    pay = {"eventType": "TRANSPORT", "eventClassifierCode": "EST",
                           "eventDateTime": iso(now + 12 * 86400000 + k * 1000),
                           "transportEventTypeCode": "ARRI",
                           "transportCall": {"modeOfTransport": "RAIL",
                                             "location": {"locationType": "UNLO",
                                                          "UNLocationCode": "DEDUI"}}}
                    row = [eid, shp, "TRANSPORT", "EST", "ARRI", str(now + 12 * 86400000 + k * 1000),
                           str(at), "", "DEDUI", "RAIL", "CR Express"]
                else:
                    code = CODES[k % 4]
                    pay = {"eventType": "EQUIPMENT", "eventClassifierCode": "ACT",
                           "eventDateTime": iso(at), "equipmentEventTypeCode": code,
                           "equipmentReference": cont}
                    row = [eid, shp, "EQUIPMENT", "ACT", code, str(at), str(at), cont, "", "",
                           "CR Express"]
                evs.append({"metadata": {"eventID": eid, "eventCreatedDateTime": iso(at),
                                         "eventType": pay["eventType"],
                                         "publisher": {"partyName": "CR Express"}},
                            "payload": pay})
                rows.write("\t".join(row) + "\n")
            rows.write("\n")
            bodies.append(("/v1/shipments/%s/events" % shp, json.dumps({"events": evs}).encode()))
        rows.close()
        body_kb = sum(len(b) for _, b in bodies) / len(bodies) / 1024
        # ---- the load
        if a.perf:
            perf = subprocess.Popen(["perf", "record", "-g", "-o", a.perf, "-p", str(srv.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        nxt = [0]
        lock = threading.Lock()
        errors = []
        lat = []

        def client():
            c = Api(port, key)
            while True:
                with lock:
                    i = nxt[0]
                    nxt[0] += 1
                if i >= len(bodies) or errors:
                    return
                path, body = bodies[i]
                t = time.time()
                try:
                    r = c.call("POST", path, raw=body, expect=(200,))
                    if r["applied"] != a.batch:
                        errors.append("batch %d: applied %r" % (i, r["applied"]))
                except Exception as e:  # noqa: BLE001
                    errors.append(str(e))
                lat.append(time.time() - t)

        t0 = time.time()
        th = [threading.Thread(target=client) for _ in range(a.clients)]
        for t in th:
            t.start()
        for t in th:
            t.join()
        api_s = time.time() - t0
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait()
        if errors:
            print("errors: %s" % errors[:3], file=sys.stderr)
            return 1
        n = a.batch * a.batches
        got = Api(port, key).call("GET", "/v1/events?limit=1")  # the setup connection timed out
        srv.send_signal(signal.SIGTERM)
        srv.wait(timeout=60)
        # ---- raw SQLite, same rows, same settings, same run
        out = subprocess.run([baseline, os.path.join(tmp, "rows.tsv"), os.path.join(tmp, "raw.db")],
                             check=True, capture_output=True, text=True).stdout.split()
        raw = dict(zip(out[0::2], out[1::2]))
        lat.sort()
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        print("setup: %d shipments booked in %.1f s" % (a.shipments, setup_s))
        print("load: %d events in %d batches of %d (%.0f KiB a body), %d clients"
              % (n, a.batches, a.batch, body_kb, a.clients))
        print("API  (POST /v1/shipments/{id}/events, durable): %8.0f events/s  (%.2f s; batch p50 %.0f ms,"
              " p99 %.0f ms)" % (n / api_s, api_s, p(0.5), p(0.99)))
        print("raw SQLite (same rows, WAL, synchronous=FULL,   : %8.0f rows/s    (%.2f s, %s commits)"
              % (float(raw["rows_per_s"]), float(raw["seconds"]), raw["batches"]))
        print("            one transaction per batch)")
        print("API / raw: %.0f %%" % (100.0 * (n / api_s) / float(raw["rows_per_s"])))
        assert got is not None
        return 0
    finally:
        if srv.poll() is None:
            srv.send_signal(signal.SIGTERM)
            try:
                srv.wait(timeout=30)
            except subprocess.TimeoutExpired:
                srv.kill()
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept %s" % tmp)


if __name__ == "__main__":
    sys.exit(main())

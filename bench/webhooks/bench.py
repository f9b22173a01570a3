#!/usr/bin/env python3
"""Webhook deliveries per second to a local receiver (issue 12, part 7).

Fills the outbox of a fresh SQLite database with N pending deliveries spread
over S subscriptions (round robin), all pointing at a receiver on 127.0.0.1
(Python's ThreadingHTTPServer, answering 204 after checking every
signature), starts `haicang serve` with HAICANG_WEBHOOKS_ALLOW_LOOPBACK=
test-only, and times from the server's start until the receiver has every
delivery. Also checks none was lost or sent twice and that each
subscription's events arrived in outbox order.

    python3 bench/webhooks/bench.py --bin build-rel/src/cli/haicang [-n 5000] [-s 8] [--in-flight 8]
"""

import argparse
import hashlib
import hmac
import http.server
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Receiver:
    def __init__(self, secrets):
        self.secrets = secrets
        self.got = {}        # path -> [delivery id]
        self.bad = 0
        self.n = 0
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.want = 0
        rcv = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                parts = dict(p.split("=", 1) for p in self.headers.get("Haicang-Signature", "").split(","))
                mac = hmac.new(rcv.secrets[self.path].encode(), parts["t"].encode() + b"." + body,
                               hashlib.sha256).hexdigest()
                with rcv.lock:
                    if not hmac.compare_digest(mac, parts["v1"]):
                        rcv.bad += 1
                    rcv.got.setdefault(self.path, []).append(int(self.headers["Haicang-Delivery-Id"]))
                    rcv.n += 1
                    if rcv.n >= rcv.want:
                        rcv.done.set()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 256  # the default 5 drops connects: 1 s SYN retries

        self.port = free_port()
        self.srv = Server(("127.0.0.1", self.port), H)
        self.srv.daemon_threads = True
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()


def fill(db, port, n, subs):
    c = sqlite3.connect(db)
    c.execute("INSERT INTO sellers (code, name, country, created_at) VALUES ('B1', 'Bench', 'CN', 0)")
    secrets = {}
    for i in range(subs):
        path = "/s%d" % i
        secrets[path] = "whsec_bench%d" % i
        c.execute("INSERT INTO wh_subscriptions VALUES (?, 'B1', '', ?, 'order.created', ?, '', 'bench', 0, 0)",
                  ("whk_%d" % i, "http://127.0.0.1:%d%s" % (port, path), secrets[path]))
    rows = [(1000 + k, "whk_%d" % (k % subs), "evt_%d" % k, "order.created", "B1", "DE-DUI", "ord_%d" % k,
             "allocated", 0, "pending", 0, 0, 0, "", 0, int(time.time() * 1000), 0) for k in range(n)]
    c.executemany("INSERT INTO wh_deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    c.commit()
    c.close()
    return secrets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("-s", type=int, default=8, help="subscriptions")
    ap.add_argument("--in-flight", type=int, default=8)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="hc-bench-wh-")
    try:
        db = os.path.join(tmp, "db")
        subprocess.run([a.bin, "migrate", "--db", "sqlite:" + db], check=True, capture_output=True)
        rport = free_port()
        secrets = fill(db, rport, a.n, a.s)
        rcv = Receiver.__new__(Receiver)
        Receiver.__init__(rcv, secrets)
        # the receiver took its own port: point the subscriptions at it
        c = sqlite3.connect(db)
        c.execute("UPDATE wh_subscriptions SET url = REPLACE(url, ':%d/', ':%d/')" % (rport, rcv.port))
        c.commit()
        c.close()
        rcv.want = a.n
        env = dict(os.environ, HAICANG_WEBHOOKS_ALLOW_LOOPBACK="test-only",
                   HAICANG_WEBHOOKS_IN_FLIGHT=str(a.in_flight), HAICANG_STORAGE_TIMER_S="0")
        t0 = time.time()
        cpu0 = os.times()
        p = subprocess.Popen([a.bin, "serve", "--db", "sqlite:" + db, "--listen", "127.0.0.1:%d" % free_port()],
                             env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_LOG", os.devnull), "w"))
        ok = rcv.done.wait(timeout=600)
        wall = time.time() - t0
        time.sleep(0.5)  # the last round's record
        p.terminate()
        p.wait()
        cpu1 = os.times()
        server_cpu = cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system
        c = sqlite3.connect(db)
        states = dict(c.execute("SELECT state, COUNT(*) FROM wh_deliveries GROUP BY state").fetchall())
        c.close()
        in_order = all(v == sorted(v) for v in rcv.got.values())
        dup = sum(len(v) - len(set(v)) for v in rcv.got.values())
        print("deliveries %d  subscriptions %d  in flight %d  all received %s" % (a.n, a.s, a.in_flight, ok))
        print("wall %.2f s  -> %.0f deliveries/s  (server CPU %.2f s)" % (wall, a.n / wall, server_cpu))
        print("bad signatures %d  duplicates %d  order per subscription kept %s  states %s" %
              (rcv.bad, dup, in_order, states))
        print("load average %s" % (os.getloadavg(),))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

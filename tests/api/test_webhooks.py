#!/usr/bin/env python3
"""haicang API tests: webhooks (issue 12, part 7).

A real local HTTP receiver (http.server, in this process) checks every
delivery's Haicang-Signature (HMAC-SHA256 over "<t>.<body>" with the
subscription's secret); subscriptions hear order and inbound changes; the
receiver goes down and comes back and every event arrives, none lost, in the
order of its subscription; the log shows each attempt; a delivery is sent
again by hand; a stock.low delivery in the log carries the available and
threshold of its crossing; URLs that are not http(s) or point at private, link-local or
(without the test-only switch) loopback addresses are a 400 naming url with
nothing stored, and a URL that comes to point at such an address is checked
again before each attempt (SQLite: the URL changed behind the API); a seller
sees only its own subscriptions, an operator only its warehouse's.

The server runs with HAICANG_WEBHOOKS_ALLOW_LOOPBACK=test-only (the receiver
is on 127.0.0.1) and HAICANG_WEBHOOKS_RETRY_BASE_MS=100 (retries in
100 ms, 200 ms, ... instead of 10 s, 20 s, ...).

    python3 tests/api/test_webhooks.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, free_port, note, problem, seg  # noqa: E402
from fixtures import (catalog, collector, create_order, fulfil, list_all, mk_sku,  # noqa: E402
                      order_body, rand_suffix, run_suite, stock)

os.environ["HAICANG_WEBHOOKS_ALLOW_LOOPBACK"] = "test-only"
os.environ["HAICANG_WEBHOOKS_RETRY_BASE_MS"] = "100"

TESTS, test = collector()


class ReceiverServer(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connects (1 s SYN retries)
    daemon_threads = True


class Receiver:
    """A webhook receiver on 127.0.0.1 that verifies signatures; stop() and
    start() take it down and bring it back on the same port."""

    def __init__(self):
        self.port = free_port()
        self.secrets = {}    # path -> secret
        self.got = []        # (path, event id, type, body dict, delivery id)
        self.bad = []        # what failed the signature check
        self.lock = threading.Lock()
        self.srv = None

    def handler(self):
        rcv = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                sig = self.headers.get("Haicang-Signature", "")
                secret = rcv.secrets.get(self.path)
                ok = secret is not None and verify(secret, sig, body)
                with rcv.lock:
                    if ok:
                        ev = json.loads(body)
                        rcv.got.append((self.path, self.headers.get("Haicang-Event-Id"),
                                        ev.get("type"), ev, self.headers.get("Haicang-Delivery-Id")))
                    else:
                        rcv.bad.append((self.path, sig))
                self.send_response(204 if ok else 401)
                self.end_headers()

        return H

    def start(self):
        deadline = time.time() + 10
        while True:
            try:
                self.srv = ReceiverServer(("127.0.0.1", self.port), self.handler())
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def events(self, path):
        with self.lock:
            return [g for g in self.got if g[0] == path]


def verify(secret, header, body, tolerance=300):
    """The receiver's recipe of docs/webhooks.md."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts:
        return False
    if abs(time.time() - int(parts["t"])) > tolerance:
        return False
    mac = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, parts["v1"])


RCV = Receiver()
RCV.start()


def subscribe(ctx, path, events, key="s1", expect=201, **extra):
    body = {"url": RCV.url(path), "events": events}
    body.update(extra)
    r = ctx.api.post("/v1/webhooks", body, key=key, expect=expect)
    if expect == 201:
        RCV.secrets[path] = r.json["secret"]
    return r.json


def wait_for(what, fn, timeout=30.0):
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("waited %.0fs for %s" % (timeout, what))
        time.sleep(0.1)


def deliveries(ctx, wid, key="admin", **params):
    return list_all(ctx.api, "/v1/webhooks/%s/deliveries" % seg(wid), key=key, **params)


@test
def test_order_events_signed_and_in_order(ctx):
    catalog(ctx)
    sku = "WH-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/s1-" + rand_suffix(6)
    w = subscribe(ctx, path, ["order.created", "order.allocated", "order.packed", "order.shipped",
                              "order.delivered", "inbound.received"])
    check(w["secret"].startswith("whsec_") and len(w["secret"]) == 70, "secret %r" % w["secret"])
    eq(w.get("seller"), "S1", "owner")
    g = ctx.api.get("/v1/webhooks/%s" % w["id"], key="s1", expect=200).json
    check("secret" not in g, "the secret is shown at creation only: %r" % g)
    ib = stock(ctx, "S1", "NL-VEN", [(sku, 5)])
    o = create_order(ctx, order_body("S1", [(sku, 1)], country="NL"))
    eq(o["status"], "allocated", "order status")
    fulfil(ctx, "NL-VEN", [o["id"]])
    want = ["inbound.received", "order.created", "order.allocated", "order.packed",
            "order.shipped", "order.delivered"]
    got = wait_for("6 events", lambda: len(RCV.events(path)) >= 6 and RCV.events(path))
    eq([e[2] for e in got], want, "event types in order")
    eq(got[0][3]["data"]["inbound_id"], ib["id"], "inbound event subject")
    for e in got[1:]:
        eq(e[3]["data"]["order_id"], o["id"], "order event subject")
        eq(e[3]["data"]["warehouse"], "NL-VEN", "warehouse")
    eq(len(set(e[1] for e in got)), 6, "one event id each")
    check(not RCV.bad, "bad signatures: %r" % RCV.bad)
    log = deliveries(ctx, w["id"], key="s1")
    eq(len(log), 6, "deliveries in the log")
    for d in log:
        eq(d["state"], "delivered", "state of %s" % d["id"])
        eq(d["attempts"], 1, "attempts")
        eq(d["attempt_log"][0]["http_status"], 204, "receiver answer")


@test
def test_receiver_down_and_back(ctx):
    catalog(ctx)
    sku = "WD-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    stock(ctx, "S1", "NL-VEN", [(sku, 50)])
    path = "/hooks/down-" + rand_suffix(6)
    w = subscribe(ctx, path, ["order.created"])
    RCV.stop()
    try:
        t0 = time.time()
        ids = [create_order(ctx, order_body("S1", [(sku, 1)], country="NL"))["id"] for _ in range(8)]
        check(time.time() - t0 < 10, "orders slowed by a receiver that is down")
        wait_for("failed attempts", lambda: any(d["attempts"] >= 2 for d in deliveries(ctx, w["id"])))
        log = deliveries(ctx, w["id"])
        head = [d for d in log if d["attempts"] > 0]
        eq(len(head), 1, "only the head of the queue is tried while it fails")
        check(head[0]["last_error"], "the error is logged: %r" % head[0])
        check(head[0]["next_attempt_at"], "a next attempt is planned: %r" % head[0])
    finally:
        RCV.start()
    got = wait_for("8 events after the receiver came back",
                   lambda: len({e[1] for e in RCV.events(path)}) >= 8 and RCV.events(path))
    subjects = [e[3]["data"]["order_id"] for e in got]
    eq(subjects, ids, "every order's event, once each, in order")
    # the receiver has the 8th before the sender records it: wait for the record
    log = wait_for("8 recorded deliveries", lambda: (lambda log: all(
        d["state"] == "delivered" for d in log) and log)(deliveries(ctx, w["id"])), timeout=10)
    eq(sorted(d["state"] for d in log), ["delivered"] * 8, "all delivered")


@test
def test_redeliver(ctx):
    catalog(ctx)
    sku = "WR-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/re-" + rand_suffix(6)
    w = subscribe(ctx, path, ["inbound.received"])
    stock(ctx, "S1", "NL-VEN", [(sku, 3)])
    first = wait_for("the event", lambda: RCV.events(path))
    d = deliveries(ctx, w["id"], key="s1")[0]
    r = ctx.api.post("/v1/webhooks/%s/deliveries/%s/redeliver" % (w["id"], d["id"]), {},
                     key="s1", expect=201)
    eq(r.json.get("redelivery_of"), d["id"], "redelivery_of")
    again = wait_for("the event again", lambda: len(RCV.events(path)) >= 2 and RCV.events(path))
    eq(again[1][1], first[0][1], "same event id")
    problem(ctx.api.post("/v1/webhooks/%s/deliveries/999/redeliver" % w["id"], {}, key="s1"),
            404, "delivery")
    for raw, field in ((b"{broken", "body"), (b"[1]", "body"), (b'{"x": 1}', "x")):
        problem(ctx.api.call("POST", "/v1/webhooks/%s/deliveries/%s/redeliver" % (w["id"], d["id"]),
                             raw=raw, key="s1"), 400, field, what=raw.decode())
    eq(len(deliveries(ctx, w["id"], key="s1")), 2, "nothing queued by a refused redeliver")
    problem(ctx.api.post("/v1/webhooks/%s/deliveries/%s/redeliver" % (w["id"], d["id"]), {},
                         key="s2"), 404, "id")


@test
def test_address_checked_again_at_send_time(ctx):
    """A subscription whose URL now points at a link-local address (as a DNS
    answer could change) is not sent to: the attempt fails naming why. The URL
    is changed in the database behind the API, so SQLite only."""
    if not ctx.db.startswith("sqlite:"):
        return note("send-time check: SQLite only (the URL is changed in the database file)")
    import sqlite3
    catalog(ctx)
    sku = "WS-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/ssrf-" + rand_suffix(6)
    w = subscribe(ctx, path, ["inbound.received"])
    c = sqlite3.connect(ctx.db[len("sqlite:"):], timeout=30)
    c.execute("UPDATE wh_subscriptions SET url = 'http://169.254.169.254:%d%s' WHERE id = ?"
              % (RCV.port, path), (w["id"],))
    c.commit()
    c.close()
    stock(ctx, "S1", "NL-VEN", [(sku, 1)])
    d = wait_for("a refused attempt", lambda: [x for x in deliveries(ctx, w["id"]) if x["attempts"] >= 1])
    check("link-local" in (d[0]["last_error"] or ""), "the attempt names the address: %r" % d[0])
    eq(d[0]["state"], "pending", "retried later")
    eq(d[0]["attempt_log"][0]["http_status"], None, "nothing was sent")
    eq(RCV.events(path), [], "the receiver got nothing")
    ctx.api.call("DELETE", "/v1/webhooks/%s" % w["id"], key="s1", expect=200)


@test
def test_subscriptions_per_owner_capped(ctx):
    catalog(ctx)
    have = len(list_all(ctx.api, "/v1/webhooks", warehouse="US-LAX"))
    for i in range(have, 50):
        ctx.api.post("/v1/webhooks", {"url": RCV.url("/cap/%d" % i), "events": ["order.created"],
                                      "warehouse": "US-LAX"}, expect=201)
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/cap/x"), "events": ["order.created"],
                                          "warehouse": "US-LAX"}), 409, "warehouse")
    eq(len(list_all(ctx.api, "/v1/webhooks", warehouse="US-LAX")), 50, "at most 50 live")


@test
def test_bad_urls_refused(ctx):
    catalog(ctx)
    before = len(list_all(ctx.api, "/v1/webhooks"))
    for url in ("ftp://example.com/x", "example.com/hook", "javascript:alert(1)",
                "http://10.0.0.1/x", "http://167772161/x", "http://0x0a000001/x",
                "http://169.254.169.254/latest/meta-data", "http://0xa9fea9fe/",
                "http://[fe80::1]/x", "http://[::ffff:10.1.2.3]/x", "http://[fd00::1]/x",
                "http://192.168.1.1:8080/", "http://172.16.0.1/", "http://0.0.0.0/",
                "http://user:pw@example.com/", "http://example.com:99999/", "http://[::1/x",
                "http://exa mple.com/"):
        problem(ctx.api.post("/v1/webhooks", {"url": url, "events": ["order.created"]}, key="s1"),
                400, "url", what=url)
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/x"), "events": ["order.nope"]}, key="s1"),
            400, "events[0]")
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/x"), "events": []}, key="s1"),
            400, "events")
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/x"), "events": ["order.created"],
                                          "secret": "mine"}, key="s1"), 400, "secret")
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/x"), "events": ["order.created"]}),
            400, "seller")
    problem(ctx.api.post("/v1/webhooks", {"url": RCV.url("/x"), "events": ["order.created"],
                                          "seller": "S2"}, key="s1"), 400, "seller")
    eq(len(list_all(ctx.api, "/v1/webhooks")), before, "nothing stored")


@test
def test_tenancy_and_operator_scope(ctx):
    catalog(ctx)
    sku = "WT-" + rand_suffix(6).upper()
    mk_sku(ctx, "S2", sku)
    mine = subscribe(ctx, "/hooks/s1t-" + rand_suffix(4), ["order.created"], key="s1")
    path = "/hooks/op-" + rand_suffix(6)
    op = subscribe(ctx, path, ["inbound.received"], key="op")
    eq(op.get("warehouse"), "DE-DUI", "an operator's subscription is its warehouse's")
    problem(ctx.api.get("/v1/webhooks/%s" % mine["id"], key="s2"), 404, "id")
    problem(ctx.api.get("/v1/webhooks/%s/deliveries" % mine["id"], key="op"), 404, "id")
    ids = [x["id"] for x in list_all(ctx.api, "/v1/webhooks", key="s2")]
    check(mine["id"] not in ids and op["id"] not in ids, "s2 sees others' subscriptions: %r" % ids)
    ids = [x["id"] for x in list_all(ctx.api, "/v1/webhooks", key="op")]
    check(op["id"] in ids and mine["id"] not in ids, "operator list %r" % ids)
    stock(ctx, "S2", "NL-VEN", [(sku, 2)])   # another warehouse: not heard
    ib = stock(ctx, "S2", "DE-DUI", [(sku, 2)])
    got = wait_for("the DE-DUI receipt", lambda: RCV.events(path))
    time.sleep(0.5)
    got = RCV.events(path)
    eq([e[3]["data"]["inbound_id"] for e in got], [ib["id"]], "only its warehouse's events")
    problem(ctx.api.call("DELETE", "/v1/webhooks/%s" % mine["id"], key="s2"), 404, "id")
    ctx.api.call("DELETE", "/v1/webhooks/%s" % mine["id"], key="s1", expect=200)
    problem(ctx.api.get("/v1/webhooks/%s" % mine["id"], key="s1"), 404, "id")
    problem(ctx.api.get("/v1/webhooks?bogus=1", key="s1"), 400, "bogus")


@test
def test_stock_low_on_the_crossing_only(ctx):
    catalog(ctx)
    sku = "WL-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/low-" + rand_suffix(6)
    w = subscribe(ctx, path, ["stock.low"], thresholds=[{"sku": sku, "below": 3}])
    eq(w["thresholds"], [{"sku": sku, "below": 3}], "thresholds stored")
    eq(w["stock_threshold"], None, "no default threshold")
    stock(ctx, "S1", "NL-VEN", [(sku, 5)])
    for qty in (2, 1, 1):   # 5 -> 3 (not below), 3 -> 2 (crosses), 2 -> 1 (already below)
        o = create_order(ctx, order_body("S1", [(sku, qty)], country="NL"))
        eq(o["status"], "allocated", "order status")
    got = wait_for("one stock.low", lambda: RCV.events(path))
    time.sleep(0.5)
    got = RCV.events(path)
    eq([e[2] for e in got], ["stock.low"], "exactly one stock.low")
    data = got[0][3]["data"]
    eq((data["seller"], data["warehouse"], data["sku"], data["available"], data["threshold"]),
       ("S1", "NL-VEN", sku, 2, 3), "payload")
    check(data["at"].endswith("Z"), "at %r" % data["at"])
    stock(ctx, "S1", "NL-VEN", [(sku, 5)])   # 1 -> 6: above again
    create_order(ctx, order_body("S1", [(sku, 4)], country="NL"))   # 6 -> 2: below again
    got = wait_for("a second stock.low", lambda: len(RCV.events(path)) >= 2 and RCV.events(path))
    time.sleep(0.5)
    got = RCV.events(path)
    eq(len(got), 2, "one more after the restock")
    eq(got[1][3]["data"]["available"], 2, "available")
    check(not RCV.bad, "bad signatures: %r" % RCV.bad)


@test
def test_delivery_log_shows_the_crossing(ctx):
    """GET /v1/webhooks/{id}/deliveries gives a stock.low delivery's available
    and threshold in its data (what the body carried; a redelivery the same),
    and no such keys for other events."""
    catalog(ctx)
    api = ctx.api
    sku = "WD-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/dl-" + rand_suffix(6)
    w = subscribe(ctx, path, ["order.created", "stock.low"], thresholds=[{"sku": sku, "below": 3}])
    stock(ctx, "S1", "NL-VEN", [(sku, 5)])
    create_order(ctx, order_body("S1", [(sku, 4)], country="NL"))  # 5 -> 1: crosses 3
    wait_for("both events", lambda: len(RCV.events(path)) >= 2)
    log = deliveries(ctx, w["id"], key="s1")
    low = [d for d in log if d["type"] == "stock.low"]
    eq([(d["data"]["subject"], d["data"]["available"], d["data"]["threshold"]) for d in low],
       [(sku, 1, 3)], "the crossing in the log", log)
    body = next(e[3] for e in RCV.events(path) if e[2] == "stock.low")
    eq((body["data"]["available"], body["data"]["threshold"]),
       (low[0]["data"]["available"], low[0]["data"]["threshold"]), "as the body carried it")
    others = [d for d in log if d["type"] != "stock.low"]
    check(others, "an order.created delivery too", log)
    for d in others:
        check("available" not in d["data"] and "threshold" not in d["data"],
              "only stock.low carries them: %r" % d["data"])
    r = api.post("/v1/webhooks/%s/deliveries/%s/redeliver" % (w["id"], low[0]["id"]), {},
                 key="s1", expect=201)
    eq((r.json["data"]["available"], r.json["data"]["threshold"]), (1, 3), "the redelivery too",
       r)
    api.call("DELETE", "/v1/webhooks/%s" % seg(w["id"]), key="s1", expect=200)
    doc = api.get("/v1/openapi.json", expect=200).json["paths"]["/v1/webhooks/{id}/deliveries"]
    check("threshold" in json.dumps(doc), "the OpenAPI document names them")


@test
def test_stock_threshold_checked(ctx):
    catalog(ctx)
    url = RCV.url("/hooks/bad-low")
    before = len(list_all(ctx.api, "/v1/webhooks", key="s1"))
    bad = [
        ({"events": ["stock.low"]}, "stock_threshold"),
        ({"events": ["stock.low"], "stock_threshold": -1}, "stock_threshold"),
        ({"events": ["stock.low"], "stock_threshold": "5"}, "stock_threshold"),
        ({"events": ["order.created"], "stock_threshold": 5}, "stock_threshold"),
        ({"events": ["order.created"], "thresholds": [{"sku": "A", "below": 1}]}, "thresholds"),
        ({"events": ["stock.low"], "thresholds": [{"sku": "A"}]}, "thresholds[0].below"),
        ({"events": ["stock.low"], "thresholds": [{"sku": "A", "below": -2}]}, "thresholds[0].below"),
        ({"events": ["stock.low"], "thresholds": [{"below": 2}]}, "thresholds[0].sku"),
        ({"events": ["stock.low"], "thresholds": [{"sku": "A", "below": 1},
                                                  {"sku": "A", "below": 2}]}, "thresholds[1].sku"),
        ({"events": ["stock.low"], "thresholds": [{"sku": "K%d" % i, "below": 1}
                                                  for i in range(101)]}, "thresholds"),
    ]
    for body, field in bad:
        body["url"] = url
        problem(ctx.api.post("/v1/webhooks", body, key="s1"), 400, field)
    eq(len(list_all(ctx.api, "/v1/webhooks", key="s1")), before, "nothing stored")
    ok = subscribe(ctx, "/hooks/ok-low", ["stock.low"], stock_threshold=0)
    eq(ok["stock_threshold"], 0, "a threshold of 0 is allowed")
    ctx.api.call("DELETE", "/v1/webhooks/%s" % ok["id"], key="s1", expect=200)


@test
def test_thresholds_replaced(ctx):
    """PUT /v1/webhooks/{id}/thresholds replaces a stock.low subscription's
    thresholds (checked as at subscription, 400 naming the field, nothing
    stored); the new threshold is the one a fall crosses; another seller's
    subscription is a 404; a subscription without stock.low takes none."""
    catalog(ctx)
    api = ctx.api
    sku = "WT-" + rand_suffix(6).upper()
    mk_sku(ctx, "S1", sku)
    path = "/hooks/th-" + rand_suffix(6)
    w = subscribe(ctx, path, ["stock.low"], stock_threshold=100)
    url = "/v1/webhooks/%s/thresholds" % seg(w["id"])
    r = api.call("PUT", url, body={"thresholds": [{"sku": sku, "below": 4}]}, key="s1", expect=200)
    eq((r.json["stock_threshold"], r.json["thresholds"]), (None, [{"sku": sku, "below": 4}]),
       "replaced: no default, one SKU", r)
    for body, field in (({}, "stock_threshold"),
                        ({"stock_threshold": -3}, "stock_threshold"),
                        ({"thresholds": [{"sku": "A", "below": 1}, {"sku": "A", "below": 2}]},
                         "thresholds[1].sku"),
                        ({"thresholds": [{"sku": "A", "below": "x"}]}, "thresholds[0].below"),
                        ({"events": ["order.created"], "stock_threshold": 1}, "events")):
        problem(api.call("PUT", url, body=body, key="s1"), 400, field)
    got = api.get("/v1/webhooks/%s" % seg(w["id"]), key="s1", expect=200).json
    eq((got["stock_threshold"], got["thresholds"]), (None, [{"sku": sku, "below": 4}]),
       "refused bodies stored nothing", got)
    problem(api.call("PUT", url, body={"stock_threshold": 1}, key="s2"), 404, "id")
    problem(api.call("PUT", "/v1/webhooks/whk_0/thresholds", body={"stock_threshold": 1},
                     key="s1"), 404, "id")
    plain = subscribe(ctx, "/hooks/plain-" + rand_suffix(6), ["order.created"])
    problem(api.call("PUT", "/v1/webhooks/%s/thresholds" % seg(plain["id"]),
                     body={"stock_threshold": 1}, key="s1"), 400, "stock_threshold")
    # the new threshold is the one crossed: 6 -> 5 (not below 4), 5 -> 3 (crosses)
    stock(ctx, "S1", "NL-VEN", [(sku, 6)])
    for qty in (1, 2):
        create_order(ctx, order_body("S1", [(sku, qty)], country="NL"))
    got = wait_for("the stock.low", lambda: RCV.events(path))
    time.sleep(0.5)
    got = RCV.events(path)
    eq([(e[2], e[3]["data"]["available"], e[3]["data"]["threshold"]) for e in got],
       [("stock.low", 3, 4)], "one stock.low at the new threshold")
    for x in (w, plain):
        api.call("DELETE", "/v1/webhooks/%s" % seg(x["id"]), key="s1", expect=200)
    check("/v1/webhooks/{id}/thresholds" in api.get("/v1/openapi.json", expect=200).json["paths"],
          "the route is in the OpenAPI document")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

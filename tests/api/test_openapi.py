#!/usr/bin/env python3
"""haicang API tests: health, metrics and the OpenAPI document.

The routes a client meets first: /healthz, /metrics in the Prometheus text
format, and /v1/openapi.json naming every route of the original API
description (listed below in API_MD_ROUTES; routes of docs/api.md it lacks are
notes).

    python3 tests/api/test_openapi.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Each suite starts its own `haicang serve` on a fresh database, ends with
`haicang verify` and a sanitizer scan of the server's stderr, and prints one
line `N passed, N failed`. Standard library only; see tests/api/README.md.
"""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, eq, note)  # noqa: E402
from fixtures import (collector, run_suite)  # noqa: E402

TESTS, test = collector()


@test
def test_healthz(ctx):
    r = ctx.api.get("/healthz", key=None, expect=200)
    eq(r.json, {"status": "ok"}, "healthz body", r)


@test
def test_metrics(ctx):
    r = ctx.api.get("/metrics", key=None)
    if r.status in (401, 403):
        note("/metrics needs a key (%d without one)" % r.status)
        r = ctx.api.get("/metrics", key="admin")
    eq(r.status, 200, "GET /metrics status", r)
    check(r.ctype.startswith("text/plain"), "metrics Content-Type must be text/plain…, is %r" % r.ctype, r)
    text = r.body.decode("utf-8")
    samples = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    check(samples, "metrics has no samples", r)
    label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
    pat = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{(%s)(,%s)*,?\})?\s+[-+]?([0-9.eE+-]+|NaN|\+?Inf|-Inf)(\s+-?\d+)?$'
                     % (label, label))
    bad = [ln for ln in samples if not pat.match(ln)]
    check(not bad, "metrics lines not in Prometheus text format: %r" % bad[:5], r)


API_MD_ROUTES = [
    ("post", "/v1/sellers"), ("post", "/v1/warehouses"), ("post", "/v1/warehouses/{}/locations"),
    ("post", "/v1/skus"), ("get", "/v1/skus/{}/{}"), ("post", "/v1/inbounds"),
    ("post", "/v1/inbounds/{}/receipts"), ("post", "/v1/inbounds/{}/putaway"),
    ("get", "/v1/inventory"), ("post", "/v1/orders"), ("get", "/v1/orders/{}"),
    ("post", "/v1/orders/{}/cancel"), ("post", "/v1/waves"), ("post", "/v1/orders/{}/ship"),
    ("post", "/v1/orders/{}/deliver"), ("post", "/v1/returns"), ("get", "/v1/journal"),
    ("get", "/v1/openapi.json"),
]


DOCS_ROUTES = [
    ("get", "/v1/me"), ("get", "/v1/sellers"), ("get", "/v1/sellers/{}"), ("get", "/v1/warehouses"),
    ("get", "/v1/warehouses/{}"), ("get", "/v1/warehouses/{}/locations"), ("get", "/v1/skus"),
    ("get", "/v1/inbounds"), ("get", "/v1/inbounds/{}"), ("get", "/v1/orders"),
    ("post", "/v1/orders/{}/pack"), ("get", "/v1/waves"), ("get", "/v1/waves/{}"),
    ("get", "/v1/returns"), ("get", "/v1/returns/{}"), ("get", "/v1/stats/overview"),
    ("get", "/healthz"), ("get", "/metrics"),
]


@test
def test_openapi(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None)
    if r.status in (401, 403):
        note("/v1/openapi.json needs a key")
        r = ctx.api.get("/v1/openapi.json", key="admin")
    eq(r.status, 200, "openapi status", r)
    doc = r.json
    check(isinstance(doc, dict), "openapi.json is not a JSON object", r)
    check(str(doc.get("openapi", "")).startswith("3"), "\"openapi\" must be 3.x, is %r" % doc.get("openapi"), r)
    paths = doc.get("paths")
    check(isinstance(paths, dict) and paths, "openapi.json has no \"paths\"", r)
    norm = {}
    for p, ops in paths.items():
        key = re.sub(r"\{[^}]*\}", "{}", p)
        norm.setdefault(key, set()).update(k.lower() for k in (ops or {}).keys())
    missing = [("%s %s" % (m.upper(), p)) for m, p in API_MD_ROUTES
               if p not in norm or m not in norm[p]]
    check(not missing, "openapi.json lacks routes of API.md: %s" % ", ".join(missing), r)
    extra_missing = [("%s %s" % (m.upper(), p)) for m, p in DOCS_ROUTES
                     if p not in norm or m not in norm[p]]
    if extra_missing:
        note("openapi.json lacks routes of docs/api.md: %s" % ", ".join(extra_missing))


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: seller identity (issue 13, part 1).

PUT /v1/sellers/{code}/identity records a version (201) or finds it the
same (200); every number is checked (a bad check character is a 400 naming
the field, with nothing stored); the history keeps who and when, newest
first; ?at= answers the identity valid then; sellers see and record only
their own, operators read; POST /v1/sellers checks uscc and customs_code.

    python3 tests/api/test_identity.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix  # noqa: E402
from fixtures import catalog, collector, mk_sku, run_suite, stock, uscc_for  # noqa: E402

TESTS, test = collector()

# Numbers from published examples (see tests/unit/test_idnumbers.c for each source).
IDENTITY = {
    "legal_name_zh": "深圳安科电子有限公司",
    "legal_name_en": "Shenzhen Anko Electronics Co., Ltd.",
    "uscc": "91350100M000100Y43",
    "customs_code": "4403960ABC",
    "registered_address": "广东省深圳市南山区科技园科苑路 1 号",
    "contact": {"name": "Li Wei", "phone": "+86 755 1234 5678", "email": "compliance@example.cn"},
    "markets": {
        "DE": {"eori": "DE1234567", "vat": "DE136695976", "ioss": "IM2760000001"},
        "FR": {"vat": "FR23334175221"},
        "GB": {"eori": "GB980780684000", "vat": "GB980780684"},
        "US": {"ior": "91-1144442"},
    },
}


def path(seller, tail=""):
    return "/v1/sellers/%s/identity%s" % (seller, tail)


def put(ctx, seller, body, key="admin", expect=(200, 201), headers=None):
    return ctx.api.call("PUT", path(seller), body=body, key=key, expect=expect, headers=headers)


def history(ctx, seller, key="admin", **params):
    return ctx.api.get(q(path(seller, "/history"), **params), key=key, expect=200).json


def with_changes(base, **changes):
    body = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    body["markets"] = {cc: dict(m) for cc, m in base["markets"].items()}
    body.update(changes)
    return body


def versions(ctx, seller):
    return [v["version"] for v in history(ctx, seller)["items"]]


@test
def test_seller_registration_checks_codes(ctx):
    catalog(ctx)
    code = "ID" + rand_suffix(4).upper()
    bad = ctx.api.post("/v1/sellers", {"code": code, "name": "n", "country": "CN",
                                       "uscc": "91350100M000100Y44"})
    problem(bad, 400, "uscc", "USCC with a wrong check character")
    problem(ctx.api.post("/v1/sellers", {"code": code, "name": "n", "country": "CN",
                                         "uscc": "9135010OM000100Y43"}), 400, "uscc",
            "USCC with an O")
    problem(ctx.api.post("/v1/sellers", {"code": code, "name": "n", "country": "CN",
                                         "customs_code": "4403060ABC"}), 400, "customs_code",
            "customs code with economic-zone digit 0")
    problem(ctx.api.get("/v1/sellers/" + code), 404, None, "nothing stored")
    r = ctx.api.post("/v1/sellers", {"code": code, "name": "n", "country": "CN",
                                     "uscc": uscc_for(code), "customs_code": "4403960ABC"},
                     expect=201)
    eq(r.json.get("uscc"), uscc_for(code), "stored uscc", r)


@test
def test_record_read_and_same_again(ctx):
    catalog(ctx)
    problem(ctx.api.get(path("S1"), key="s1"), 404, "identity", "none recorded yet")
    r = put(ctx, "S1", IDENTITY, key="s1", expect=201)
    eq(r.json.get("version"), 1, "first version", r)
    eq(r.json.get("changed"), True, "changed", r)
    eq(r.json.get("markets", {}).get("DE"), IDENTITY["markets"]["DE"], "DE numbers", r)
    eq(r.json.get("contact"), IDENTITY["contact"], "contact", r)
    checks = r.json.get("checks", [])
    eq(len(checks), 9, "a check per number (uscc, customs, DE 3, FR 1, GB 2, US 1)", r)
    check(all(c.get("valid") is True and c.get("problem") is None for c in checks),
          "all numbers valid", r)
    check(r.json.get("recorded_by"), "recorded_by names the key", r)
    g = ctx.api.get(path("S1"), key="s1", expect=200).json
    eq(g.get("version"), 1, "GET answers the version", g)
    eq(g.get("uscc"), IDENTITY["uscc"], "GET uscc")
    again = put(ctx, "S1", IDENTITY, key="s1", expect=200)
    eq((again.json.get("version"), again.json.get("changed")), (1, False),
       "the same identity adds no version", again)
    eq(versions(ctx, "S1"), [1], "one version in the history")
    s = ctx.api.get("/v1/sellers/S1", key="s1", expect=200).json
    eq((s.get("uscc"), s.get("customs_code")), (IDENTITY["uscc"], IDENTITY["customs_code"]),
       "the seller's codes follow its identity")


@test
def test_bad_numbers_name_the_field_and_store_nothing(ctx):
    catalog(ctx)
    before = versions(ctx, "S2") if ctx.api.get(path("S2")).status == 200 else []
    cases = [
        (with_changes(IDENTITY, uscc="91350100M000100Y44"), "uscc"),
        (with_changes(IDENTITY, uscc="91350100M00010"), "uscc"),
        (with_changes(IDENTITY, customs_code="44039"), "customs_code"),
        (with_changes(IDENTITY, legal_name_en=""), "legal_name_en"),
        (with_changes(IDENTITY, contact={"email": "not-an-address"}), "contact.email"),
        (with_changes(IDENTITY, contact={"fax": "1"}), "contact.fax"),
        (with_changes(IDENTITY, nickname="x"), "nickname"),
        (with_changes(IDENTITY, uscc=18), "uscc"),
        (with_changes(IDENTITY, markets=[]), "markets"),
        (with_changes(IDENTITY, markets={"DE": {"vat": "DE136695978"}}), "markets.DE.vat"),
        (with_changes(IDENTITY, markets={"DE": {"vat": "FR23334175221"}}), "markets.DE.vat"),
        (with_changes(IDENTITY, markets={"DE": {"ioss": "IM27600000"}}), "markets.DE.ioss"),
        (with_changes(IDENTITY, markets={"DE": {"ioss": "IN2760000001"}}), "markets.DE.ioss"),
        (with_changes(IDENTITY, markets={"NL": {"vat": "NL123456789B90"}}), "markets.NL.vat"),
        (with_changes(IDENTITY, markets={"PL": {"vat": "PL8567346216"}}), "markets.PL.vat"),
        (with_changes(IDENTITY, markets={"ES": {"vat": "ESB64717839"}}), "markets.ES.vat"),
        (with_changes(IDENTITY, markets={"IT": {"vat": "IT00743110158"}}), "markets.IT.vat"),
        (with_changes(IDENTITY, markets={"GB": {"vat": "GB802311781"}}), "markets.GB.vat"),
        (with_changes(IDENTITY, markets={"GB": {"eori": "GB12345678900"}}), "markets.GB.eori"),
        (with_changes(IDENTITY, markets={"GB": {"ioss": "IM2760000001"}}), "markets.GB.ioss"),
        (with_changes(IDENTITY, markets={"GB": {"eori": "GB123456789000", "vat": "GB980780684"}}),
         "markets.GB.eori"),
        (with_changes(IDENTITY, markets={"US": {"ior": "07-1144442"}}), "markets.US.ior"),
        (with_changes(IDENTITY, markets={"US": {"vat": "DE136695976"}}), "markets.US.vat"),
        (with_changes(IDENTITY, markets={"JP": {"vat": "T1234567890123"}}), "markets.JP"),
        (with_changes(IDENTITY, markets={"de": {}}), "markets"),
        (with_changes(IDENTITY, markets={"DE": {"tax": "1"}}), "markets.DE.tax"),
        (with_changes(IDENTITY, markets={"DE": "DE136695976"}), "markets.DE"),
    ]
    for body, field in cases:
        problem(put(ctx, "S2", body, key="s2", expect=None), 400, field, "PUT naming " + field)
    problem(ctx.api.call("PUT", path("S2"), raw=b"{not json", key="s2"), 400, None, "bad JSON")
    after = versions(ctx, "S2") if ctx.api.get(path("S2")).status == 200 else []
    eq(after, before, "nothing stored by refused PUTs")


@test
def test_history_and_as_of(ctx):
    catalog(ctx)
    seller = "ID" + rand_suffix(4).upper()
    ctx.api.post("/v1/sellers", {"code": seller, "name": "h", "country": "CN"}, expect=201)
    v1 = put(ctx, seller, IDENTITY, expect=201).json
    time.sleep(0.05)
    changed = with_changes(IDENTITY, legal_name_en="Anko Electronics (Shenzhen) Co., Ltd.")
    changed["markets"]["DE"]["vat"] = "DE814584193"
    v2 = put(ctx, seller, changed, expect=201).json
    time.sleep(0.05)
    v3 = put(ctx, seller, with_changes(changed, contact={"name": "Wang Fang"}), expect=201).json
    eq([v1["version"], v2["version"], v3["version"]], [1, 2, 3], "versions count up")
    h = history(ctx, seller)
    eq([v["version"] for v in h["items"]], [3, 2, 1], "newest first")
    eq(h["items"][2]["legal_name_en"], IDENTITY["legal_name_en"], "the first version is kept")
    check(all(v.get("recorded_at") and v.get("recorded_by") for v in h["items"]),
          "each version says who and when")
    page = history(ctx, seller, limit=2)
    eq([v["version"] for v in page["items"]], [3, 2], "first page")
    rest = history(ctx, seller, limit=2, cursor=page["next_cursor"])
    eq(([v["version"] for v in rest["items"]], rest["next_cursor"]), ([1], None), "last page")
    a = ctx.api.get(q(path(seller), at=v1["recorded_at"]), expect=200).json
    eq((a["version"], a["markets"]["DE"]["vat"]), (1, "DE136695976"), "as of version 1's time")
    a = ctx.api.get(q(path(seller), at=v2["recorded_at"]), expect=200).json
    eq((a["version"], a["markets"]["DE"]["vat"]), (2, "DE814584193"), "as of version 2's time")
    a = ctx.api.get(q(path(seller), at="2099-01-01T00:00:00Z"), expect=200).json
    eq(a["version"], 3, "as of the future: the latest")
    problem(ctx.api.get(q(path(seller), at="2001-01-01")), 404, "at", "before the first version")
    problem(ctx.api.get(q(path(seller), at="yesterday")), 400, "at", "a bad time")
    problem(ctx.api.get(q(path(seller), when="2020-01-01")), 400, "when", "an unknown parameter")
    problem(ctx.api.get(q(path(seller, "/history"), cursor="x")), 400, "cursor", "a bad cursor")
    problem(ctx.api.get(path("NO-SUCH")), 404, "seller", "an unknown seller")


@test
def test_tenancy(ctx):
    catalog(ctx)
    put(ctx, "S1", IDENTITY, key="s1")
    problem(ctx.api.get(path("S1"), key="s2"), 404, "seller", "another seller's identity")
    problem(ctx.api.get(path("S1", "/history"), key="s2"), 404, "seller",
            "another seller's history")
    n = len(versions(ctx, "S1"))
    problem(put(ctx, "S1", with_changes(IDENTITY, legal_name_en="Hijack Ltd"), key="s2",
                expect=None), 404, "seller", "recording another seller's identity")
    eq(len(versions(ctx, "S1")), n, "nothing stored by another seller")
    # an operator reads the identities of sellers with stock in its warehouse only
    problem(ctx.api.get(path("S1"), key="op"), 404, "seller", "a seller without stock there")
    problem(ctx.api.get(path("S1", "/history"), key="op"), 404, "seller", "its history")
    stock(ctx, "S1", "DE-DUI", [("SKU1", 1)])
    eq(ctx.api.get(path("S1"), key="op", expect=200).json.get("seller"), "S1", "operators read")
    ctx.api.get(path("S1", "/history"), key="op", expect=200)
    problem(put(ctx, "S1", IDENTITY, key="op", expect=None), 403, None, "operators do not write")


@test
def test_idempotent_put(ctx):
    catalog(ctx)
    seller = "ID" + rand_suffix(4).upper()
    ctx.api.post("/v1/sellers", {"code": seller, "name": "i", "country": "CN"}, expect=201)
    hdr = {"Idempotency-Key": "identity-" + rand_suffix(8)}
    first = put(ctx, seller, IDENTITY, headers=hdr, expect=201)
    replay = put(ctx, seller, IDENTITY, headers=hdr, expect=201)
    eq(replay.json, first.json, "the replay answers the first answer")
    problem(put(ctx, seller, with_changes(IDENTITY, legal_name_en="Other"), headers=hdr,
                expect=None), 422, None, "the same key with another body")
    eq(versions(ctx, seller), [1], "one version")


@test
def test_brand_report_names_the_identity_at_the_time(ctx):
    catalog(ctx)
    seller = "ID" + rand_suffix(4).upper()
    ctx.api.post("/v1/sellers", {"code": seller, "name": "Registered name", "country": "CN"},
                 expect=201)
    brand, sku = "IDB" + rand_suffix(5).upper(), "IDS-" + rand_suffix(5)
    mk_sku(ctx, seller, sku, brand=brand)
    report = lambda: ctx.api.get(q("/v1/compliance/brand-report", brand=brand), expect=200).json
    stock(ctx, seller, "DE-DUI", [(sku, 2)])
    row = report()["items"][0]["seller_identity"]
    eq((row["identity_version"], row["name"]), (None, "Registered name"),
       "no identity recorded then: the seller record")
    time.sleep(0.05)
    put(ctx, seller, with_changes(IDENTITY, legal_name_en="Old Name Ltd"), expect=201)
    time.sleep(0.05)
    stock(ctx, seller, "DE-DUI", [(sku, 1)])  # the goods last moved under version 1
    time.sleep(0.05)
    put(ctx, seller, with_changes(IDENTITY, legal_name_en="New Name Ltd",
                                  uscc=uscc_for(seller)), expect=201)
    row = report()["items"][0]["seller_identity"]
    eq((row["identity_version"], row["legal_name_en"], row["uscc"]),
       (1, "Old Name Ltd", IDENTITY["uscc"]), "the identity valid at the last move")
    eq(row["name"], IDENTITY["legal_name_zh"], "the legal name of that version")
    time.sleep(0.05)
    stock(ctx, seller, "DE-DUI", [(sku, 1)])
    row = report()["items"][0]["seller_identity"]
    eq((row["identity_version"], row["legal_name_en"], row["uscc"]),
       (2, "New Name Ltd", uscc_for(seller)), "a later move: the later identity")


@test
def test_openapi_lists_identity_routes(ctx):
    doc = ctx.api.get("/v1/openapi.json", key=None, expect=200).json
    paths = doc.get("paths", {})
    check("put" in paths.get("/v1/sellers/{code}/identity", {}), "PUT identity documented")
    check("get" in paths.get("/v1/sellers/{code}/identity", {}), "GET identity documented")
    check("get" in paths.get("/v1/sellers/{code}/identity/history", {}), "history documented")
    params = [p["name"] for p in paths["/v1/sellers/{code}/identity"]["get"]["parameters"]]
    check("at" in params, "GET identity takes at")
    put_op = paths["/v1/sellers/{code}/identity"]["put"]
    check("2XX" in put_op.get("responses", {}), "PUT answers 201 or 200: 2XX documented")
    check("Idempotency-Key" in [p["name"] for p in put_op["parameters"]], "PUT takes Idempotency-Key")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: API keys (issue 8).

Keys have names (`haicang key create --name`), are listed and revoked from the
command line (`haicang key list|revoke`) and by admins over HTTP (GET/POST
/v1/keys, GET /v1/keys/{id}, POST /v1/keys/{id}/revoke); a revoked key is
refused on the very next request, also when another process revoked it; the
journal names the key that booked a posting by the key's name.

    python3 tests/api/test_keys.py --bin build/src/cli/haicang --db sqlite|mariadb|mysql://... [-k NAME]

Runs on tests/api/fixtures.py: its own `haicang serve` on a fresh database,
`haicang verify` and a sanitizer scan at the end, one line `N passed, N failed`.
"""

import glob
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, create_key, eq, problem, rand_suffix, run_cli, seg  # noqa: E402
from fixtures import catalog, collector, journal, list_all, mk_sku, run_suite  # noqa: E402

TESTS, test = collector()


def cli(ctx, *args, check_rc=True):
    rc, out, err = run_cli(ctx.binary, ["key"] + list(args) + ["--db", ctx.db], check_rc=check_rc)
    ctx.cli_stderr.append(err)
    return rc, out, err


def me(ctx, key, expect):
    return ctx.api.get("/v1/me", key=key, expect=expect)


@test
def test_cli_named_key_works_and_is_listed(ctx):
    name = "ops-berlin-" + rand_suffix(6)
    key, _ = create_key(ctx.binary, ctx.db, "--name", name, "--role", "operator",
                        "--warehouse", "DE-DUI")
    r = me(ctx, key, 200)
    eq(r.json.get("role"), "operator", "role of the named key", r)
    _, out, _ = cli(ctx, "list")
    line = [ln for ln in out.splitlines() if name in ln]
    check(len(line) == 1, "`key list` shows the key named %s once:\n%s" % (name, out))
    check("operator" in line[0] and "DE-DUI" in line[0] and "active" in line[0],
          "`key list` line names role, warehouse and state: %r" % line[0])
    check(key not in out and key.split("_")[2] not in out, "`key list` never prints a secret")
    rc, _, err = cli(ctx, "create", "--name", name, "--role", "admin", check_rc=False)
    check(rc != 0 and "name" in err, "a second key named %s is refused naming --name (exit %d: %s)"
          % (name, rc, err.strip()))


@test
def test_journal_actor_is_the_key_name(ctx):
    catalog(ctx)
    mk_sku(ctx, "S1", "KEYACT1")
    name = "receiving-desk-" + rand_suffix(6)
    key, _ = create_key(ctx.binary, ctx.db, "--name", name, "--role", "operator",
                        "--warehouse", "DE-DUI")
    kid = key.split("_")[1]
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-K1",
                                      "lines": [{"sku": "KEYACT1", "qty": 4}]}, expect=201)
    ib = r.json["id"]
    ctx.api.post("/v1/inbounds/%s/receipts" % seg(ib), {"lines": [{"sku": "KEYACT1", "qty": 4}]},
                 key=key, expect=200)
    posts = journal(ctx, ib)
    check(posts, "the receipt left postings")
    for p in posts:
        eq(p.get("actor"), name, "posting actor (the key's name)")
        check(kid not in (p.get("actor") or ""), "the actor is not the key id: %r" % p)


@test
def test_keys_routes_are_admin_only(ctx):
    for k in ("op", "s1"):
        problem(ctx.api.get("/v1/keys", key=k), 403, "Authorization", "GET /v1/keys as %s" % k)
        problem(ctx.api.post("/v1/keys", {"role": "admin"}, key=k), 403, "Authorization",
                "POST /v1/keys as %s" % k)
    keys = list_all(ctx.api, "/v1/keys")
    check(len(keys) >= 4, "the suite's four keys are listed: %r" % keys)
    for k in keys:
        for f in ("id", "name", "role", "seller", "warehouse", "created_at", "revoked_at"):
            check(f in k, "key lacks %r: %r" % (f, k))
        check("hash" not in k and "key" not in k, "a listed key shows no hash or secret: %r" % k)
        check(k["name"], "every key has a name: %r" % k)


@test
def test_create_key_over_http(ctx):
    name = "erp-" + rand_suffix(6)
    r = ctx.api.post("/v1/keys", {"name": name, "role": "seller", "seller": "S1"}, expect=201)
    k = r.json
    eq(k.get("name"), name, "name", r)
    eq(k.get("role"), "seller", "role", r)
    eq(k.get("seller"), "S1", "seller", r)
    eq(k.get("revoked_at"), None, "revoked_at of a new key", r)
    text = k.get("key") or ""
    check(text.startswith("hck_%s_" % k.get("id")), "the answer carries the key once: %r" % k, r)
    r = me(ctx, text, 200)
    eq(r.json.get("seller"), "S1", "the new key's tenancy", r)
    g = ctx.api.get("/v1/keys/%s" % seg(k["id"]), expect=200).json
    eq(g.get("name"), name, "GET by id", None)
    check("key" not in g, "GET never shows the key again: %r" % g)
    eq(ctx.api.get("/v1/keys/%s" % seg(name), expect=200).json.get("id"), k["id"], "GET by name")
    if ctx.db.startswith("sqlite:"):
        secret = text.split("_")[2].encode()
        for f in glob.glob(ctx.db[len("sqlite:"):] + "*"):
            with open(f, "rb") as fh:
                check(secret not in fh.read(), "the secret is not stored (%s)" % f)
    problem(ctx.api.post("/v1/keys", {"name": name, "role": "admin"}), 409, "name", "same name")
    problem(ctx.api.post("/v1/keys", {"name": "x-" + rand_suffix(5)}), 400, "role", "no role")
    problem(ctx.api.post("/v1/keys", {"role": "boss"}), 400, "role", "unknown role")
    problem(ctx.api.post("/v1/keys", {"role": "seller"}), 400, "seller", "seller key without seller")
    problem(ctx.api.post("/v1/keys", {"role": "operator"}), 400, "warehouse",
            "operator key without warehouse")
    problem(ctx.api.post("/v1/keys", {"role": "admin", "name": "n" * 65}), 400, "name", "long name")
    problem(ctx.api.post("/v1/keys", {"role": "admin"}, headers={"Idempotency-Key": "k1"}), 400,
            "Idempotency-Key", "a key answer cannot be replayed")
    r = ctx.api.post("/v1/keys", {"role": "operator", "warehouse": "DE-DUI"}, expect=201)
    check(r.json.get("name", "").startswith("operator-DE-DUI-"),
          "a key without a name gets role-tenant-id: %r" % r.json.get("name"), r)


@test
def test_revoke_over_http_takes_effect_at_once(ctx):
    r = ctx.api.post("/v1/keys", {"name": "temp-" + rand_suffix(6), "role": "admin"}, expect=201)
    k = r.json
    for _ in range(3):  # used, so any cache would know it
        me(ctx, k["key"], 200)
    r = ctx.api.post("/v1/keys/%s/revoke" % seg(k["id"]), {}, expect=200)
    at = r.json.get("revoked_at")
    check(isinstance(at, str) and at.endswith("Z"), "revoked_at is a time: %r" % at, r)
    problem(me(ctx, k["key"], None), 401, "Authorization", "the revoked key on the next request")
    r = ctx.api.post("/v1/keys/%s/revoke" % seg(k["id"]), {}, expect=200)
    eq(r.json.get("revoked_at"), at, "revoking again changes nothing", r)
    active = [x["id"] for x in list_all(ctx.api, "/v1/keys", active="true")]
    check(k["id"] not in active, "active=true leaves the revoked key out")
    every = {x["id"]: x for x in list_all(ctx.api, "/v1/keys")}
    eq(every.get(k["id"], {}).get("revoked_at"), at, "the full list shows it revoked")
    problem(ctx.api.post("/v1/keys/nosuchkey/revoke", {}), 404, "id", "revoke an unknown key")
    problem(ctx.api.get("/v1/keys?active=maybe"), 400, "active", "active=maybe")


@test
def test_revoke_from_the_cli_takes_effect_at_once(ctx):
    name = "cli-temp-" + rand_suffix(6)
    key, _ = create_key(ctx.binary, ctx.db, "--name", name, "--role", "seller", "--seller", "S2")
    for _ in range(3):
        me(ctx, key, 200)
    _, out, _ = cli(ctx, "revoke", name)
    check("revoked" in out and name in out, "`key revoke` says what it revoked: %r" % out)
    problem(me(ctx, key, None), 401, "Authorization", "a key revoked by another process")
    _, out, _ = cli(ctx, "list")
    line = [ln for ln in out.splitlines() if name in ln]
    check(line and "revoked" in line[0], "`key list` shows it revoked: %r" % line)
    rc, _, err = cli(ctx, "revoke", "no-such-key-" + rand_suffix(4), check_rc=False)
    check(rc != 0 and "no API key" in err, "revoking an unknown key fails: %d %r" % (rc, err))


@test
def test_openapi_lists_key_routes(ctx):
    paths = ctx.api.get("/v1/openapi.json", key=None, expect=200).json["paths"]
    for p in ("/v1/keys", "/v1/keys/{id}", "/v1/keys/{id}/revoke"):
        check(p in paths, "%s in the OpenAPI document" % p)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

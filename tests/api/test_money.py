#!/usr/bin/env python3
"""haicang API tests: money journal, wallets, credit hold, FX (issue 10, parts 1, 4, 6).

Top-ups are recorded receipts (Idempotency-Key books once); the wallet shows
balance, credit limit and held orders; a seller below minus its credit limit
gets new orders on_hold (reason credit), released and allocated by the top-up
that brings it back; FX rates import as CSV or JSON, conversions use the rate
of that very day (409 naming currency and date without one) and record it on
the posting; sellers never see another seller's money; bad input is a 4xx
naming the field with nothing posted.

    python3 tests/api/test_money.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix  # noqa: E402
from fixtures import (collector, catalog, create_order, get_order, items_of, list_all,  # noqa: E402
                      mk_sku, order_body, stock, run_suite)

TESTS, test = collector()


def wallet(ctx, seller, key="admin"):
    return ctx.api.get("/v1/sellers/%s/wallet" % seller, key=key, expect=200).json


def balance_of(w, currency):
    for b in w.get("balances", []):
        if b.get("currency") == currency:
            return b
    return None


def postings(ctx, key="admin", **params):
    return list_all(ctx.api, "/v1/money/postings", key=key, **params)


def topup(ctx, seller, amount, currency="EUR", ref=None, key="admin", expect=201, headers=None):
    body = {"amount": amount, "currency": currency, "reference": ref or ("BANK-" + rand_suffix(8))}
    return ctx.api.post("/v1/sellers/%s/topups" % seller, body, key=key, expect=expect,
                        headers=headers)


def import_rates(ctx, rows, key="admin"):
    csv = "base,quote,day,rate,source\n" + "".join("%s,%s,%s,%s,test rates\n" % r for r in rows)
    return ctx.api.call("POST", "/v1/fx/rates", raw=csv.encode(), key=key,
                        headers={"Content-Type": "text/csv"})


@test
def test_topup_and_wallet(ctx):
    catalog(ctx)
    w = wallet(ctx, "S1", key="s1")
    eq(w.get("seller"), "S1", "wallet seller")
    before = balance_of(w, "EUR")
    start = 0 if before is None else int(before["balance"]["amount"].replace(".", ""))
    key = "topup-" + rand_suffix(8)
    r = topup(ctx, "S1", "120.50", ref="BANK-TT-0001", headers={"Idempotency-Key": key})
    eq(r.json.get("amount"), {"amount": "120.50", "currency": "EUR"}, "top-up amount", r)
    entry = r.json.get("entry")
    check(isinstance(entry, str) and entry.startswith("mny_"), "top-up names its entry", r)
    eq(balance_of(r.json["wallet"], "EUR")["balance"]["amount"],
       "%.2f" % ((start + 12050) / 100), "wallet after the top-up", r)
    # the same Idempotency-Key: the same answer, nothing booked twice
    r2 = topup(ctx, "S1", "120.50", ref="BANK-TT-0001", headers={"Idempotency-Key": key},
               expect=(200, 201))
    eq(r2.json.get("entry"), entry, "replayed top-up names the first entry", r2)
    w = wallet(ctx, "S1", key="s1")
    eq(balance_of(w, "EUR")["balance"]["amount"], "%.2f" % ((start + 12050) / 100),
       "wallet after the replay")
    check(w.get("postings", "").startswith("/v1/money/postings"), "wallet links its postings")
    lines = [p for p in postings(ctx, key="s1", entry=entry)]
    eq(sorted((p["account"], p["side"], p["amount"]["amount"]) for p in lines),
       [("seller/S1/receipts", "debit", "120.50"), ("seller/S1/wallet", "credit", "120.50")],
       "the top-up's two lines")
    eq({(p["cause"]["kind"], p["cause"]["id"]) for p in lines}, {("topup", "BANK-TT-0001")},
       "each line points at its cause")
    accts = items_of(ctx.api.get("/v1/money/accounts", key="s1", expect=200))
    wal = [a for a in accts if a["account"] == "seller/S1/wallet" and a["currency"] == "EUR"]
    eq(len(wal), 1, "the seller's EUR wallet among its accounts")
    eq(wal[0]["side"], "credit", "a wallet is credit-normal (the operator holds the money)")
    eq(wal[0]["balance"]["amount"], "%.2f" % ((start + 12050) / 100), "account balance")


@test
def test_topup_bad_input(ctx):
    catalog(ctx)
    n0 = len(postings(ctx))
    url = "/v1/sellers/S1/topups"
    for body, field in (({"amount": "-5.00", "currency": "EUR", "reference": "R1"}, "amount"),
                        ({"amount": "0", "currency": "EUR", "reference": "R1"}, "amount"),
                        ({"amount": "1.234", "currency": "EUR", "reference": "R1"}, "amount"),
                        ({"amount": 5, "currency": "EUR", "reference": "R1"}, "amount"),
                        ({"amount": "5.00", "currency": "EURO", "reference": "R1"}, "currency"),
                        ({"amount": "5.00", "currency": "EUR"}, "reference"),
                        ({"amount": "5.00", "currency": "EUR", "reference": "x" * 65}, "reference")):
        problem(ctx.api.post(url, body), 400, field, "top-up %r" % body)
    problem(ctx.api.post("/v1/sellers/NOPE/topups",
                         {"amount": "5.00", "currency": "EUR", "reference": "R1"}), 404)
    # a seller cannot mint its own money
    problem(ctx.api.post(url, {"amount": "5.00", "currency": "EUR", "reference": "R1"}, key="s1"),
            403)
    eq(len(postings(ctx)), n0, "postings after refused top-ups")
    problem(ctx.api.post("/v1/sellers/S1/credit-limit", {"credit_limit": "-1.00",
                                                         "currency": "EUR"}), 400, "credit_limit")
    problem(ctx.api.get("/v1/money/postings?from=yesterday"), 400, "from")
    problem(ctx.api.get("/v1/money/postings?account=bank/S1/x"), 400, "account")
    problem(ctx.api.get("/v1/money/postings?cursor=abc"), 400, "cursor")
    problem(ctx.api.get("/v1/money/postings?colour=red"), 400, "colour")


@test
def test_credit_hold_and_release(ctx):
    catalog(ctx)
    api = ctx.api
    mk_sku(ctx, "S2", "CRD1")
    mk_sku(ctx, "S2", "CRD2")  # no stock: released into a backorder
    stock(ctx, "S2", "DE-DUI", [("CRD1", 10)])
    import_rates(ctx, [("EUR", "CNY", "2026-11-02", "7.8125")])
    # credit of 100 EUR; the seller converts 80 EUR it does not have into CNY
    r = api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "100.00", "currency": "EUR"},
                 key="op", expect=200)
    eq(balance_of(r.json, "EUR")["credit_limit"], {"amount": "100.00", "currency": "EUR"},
       "credit limit set", r)
    # beyond balance plus credit: refused, nothing booked
    problem(api.post("/v1/sellers/S2/wallet/conversions",
                     {"amount": "100.01", "currency": "EUR", "to": "CNY", "day": "2026-11-02"},
                     key="s2"), 409, "amount")
    r = api.post("/v1/sellers/S2/wallet/conversions",
                 {"amount": "80.00", "currency": "EUR", "to": "CNY", "day": "2026-11-02"},
                 key="s2", expect=201)
    eq(r.json.get("to"), {"amount": "625.00", "currency": "CNY"}, "80 EUR at 7.8125", r)
    eq((r.json.get("rate"), r.json.get("day")), ("7.8125", "2026-11-02"), "rate and day used", r)
    fx_lines = [p for p in postings(ctx, key="s2", entry=r.json["entry"]) if p["currency"] == "CNY"]
    eq({(p.get("fx") or {}).get("rate") for p in fx_lines}, {"7.8125"},
       "the CNY lines record the rate")
    eq({(p.get("fx") or {}).get("day") for p in fx_lines}, {"2026-11-02"},
       "the CNY lines record the day of the rate")
    w = wallet(ctx, "S2", key="s2")
    eq(balance_of(w, "EUR")["balance"]["amount"], "-80.00", "EUR wallet in credit")
    eq(w.get("held"), False, "within the limit: not held")
    o1 = create_order(ctx, order_body("S2", [("CRD1", 1)], "DE"), key="s2")
    eq(o1["status"], "allocated", "an order within the credit limit is allocated")
    # the limit lowered below what is used: new orders are held, existing ones stay
    r = api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "50.00", "currency": "EUR"},
                 expect=200)
    eq(r.json.get("held"), True, "over the limit: held", r)
    held = create_order(ctx, order_body("S2", [("CRD1", 2)], "DE"), key="s2")
    eq(held["status"], "on_hold", "a new order over the credit limit", None)
    eq(held.get("hold_reason"), "credit", "hold reason")
    eq([ln.get("allocated") for ln in held["lines"]], [0], "a held order reserves nothing")
    eq(get_order(ctx, o1["id"])["status"], "allocated", "an earlier order stays allocated")
    held2 = create_order(ctx, order_body("S2", [("CRD1", 3)], "DE"), key="s2")
    eq(held2["status"], "on_hold", "a second order over the limit")
    listed = list_all(api, "/v1/orders", key="s2", status="on_hold")
    eq({o["id"] for o in listed} >= {held["id"], held2["id"]}, True, "on_hold orders listed")
    held3 = create_order(ctx, order_body("S2", [("CRD2", 1)], "DE"), key="s2")
    eq(held3["status"], "on_hold", "a third order over the limit, of a SKU not in stock")
    eq(wallet(ctx, "S2").get("held_orders"), 3, "held orders on the wallet")
    # a top-up too small keeps them held
    r = topup(ctx, "S2", "20.00")
    eq(r.json.get("released_orders"), 0, "still over the limit: nothing released", r)
    eq(get_order(ctx, held["id"])["status"], "on_hold", "still held")
    # the top-up that brings the wallet back within its limit releases them, oldest first
    r = topup(ctx, "S2", "15.00")
    eq(r.json.get("released_orders"), 3, "all three released", r)
    g = get_order(ctx, held["id"])
    eq(g["status"], "allocated", "released order allocated")
    eq(g.get("hold_reason"), None, "no hold reason once released")
    eq(g["warehouse"], "DE-DUI", "routed as a new order")
    eq([h["status"] for h in g["history"]], ["on_hold", "allocated"], "released order's history")
    g3 = get_order(ctx, held3["id"])
    eq(g3["status"], "backordered", "released without stock: backordered")
    eq([h["status"] for h in g3["history"]], ["on_hold", "backordered"], "its history")
    stock(ctx, "S2", "DE-DUI", [("CRD2", 1)])
    eq(get_order(ctx, held3["id"])["status"], "allocated", "the backorder filled when stock came")
    eq(get_order(ctx, held2["id"])["status"], "allocated", "second released order")
    inv = items_of(api.get(q("/v1/inventory", seller="S2", warehouse="DE-DUI", sku="CRD1"),
                           expect=200))
    eq((inv[0]["on_hand"], inv[0]["allocated"]), (10, 6), "allocation after the release")
    w = wallet(ctx, "S2")
    eq((w["held"], w["held_orders"]), (False, 0), "wallet no longer holds orders")
    # a held order can be cancelled
    api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "0.00", "currency": "EUR"},
             expect=200)
    h3 = create_order(ctx, order_body("S2", [("CRD1", 1)], "DE"), key="s2")
    eq(h3["status"], "on_hold", "held again at limit 0")
    r = api.post("/v1/orders/%s/cancel" % h3["id"], {}, key="s2", expect=200)
    eq(r.json["status"], "cancelled", "a held order cancelled", r)


@test
def test_fx_import_and_409(ctx):
    catalog(ctx)
    api = ctx.api
    r = import_rates(ctx, [("EUR", "USD", "2026-10-%02d" % d, "1.08%02d" % d) for d in range(1, 31)])
    eq(r.status, 201, "CSV import", r)
    eq(r.json.get("imported"), 30, "rates imported", r)
    got = items_of(api.get(q("/v1/fx/rates", base="EUR", quote="USD", **{"from": "2026-10-01",
                                                                         "to": "2026-10-31"}),
                           key="s1", expect=200))
    eq(len(got), 30, "a month of rates")
    eq((got[0]["day"], got[0]["rate"]), ("2026-10-30", "1.083"), "newest first")
    r = api.get(q("/v1/fx/convert", **{"from": "EUR", "to": "USD", "day": "2026-10-05",
                                       "amount": "200.00"}), key="s1", expect=200)
    eq(r.json["to"], {"amount": "216.10", "currency": "USD"}, "200 EUR at 1.0805", r)
    r = api.get(q("/v1/fx/convert", **{"from": "USD", "to": "EUR", "day": "2026-10-05",
                                       "amount": "216.10"}), expect=200)
    eq(r.json["to"], {"amount": "200.00", "currency": "EUR"}, "the inverse pair", r)
    # no rate that day: 409 naming the currency and the date
    r = api.get(q("/v1/fx/convert", **{"from": "EUR", "to": "USD", "day": "2026-10-31",
                                       "amount": "1.00"}))
    body = problem(r, 409, "currency")
    check("EUR" in body.get("detail", "") + str(body) and "2026-10-31" in str(body),
          "the 409 names the currency and the date", r)
    r = api.post("/v1/sellers/S1/wallet/conversions",
                 {"amount": "1.00", "currency": "EUR", "to": "JPY", "day": "2026-10-05"}, key="s1")
    problem(r, 409, "currency")
    check("JPY" in str(r.json) and "2026-10-05" in str(r.json), "names JPY and the day", r)
    # JSON import; a bad rate refuses the whole import, naming the field
    n0 = len(items_of(api.get(q("/v1/fx/rates", base="EUR", quote="GBP"), expect=200)))
    problem(api.post("/v1/fx/rates", {"source": "t", "rates": [
        {"base": "EUR", "quote": "GBP", "day": "2026-10-01", "rate": "0.85"},
        {"base": "EUR", "quote": "GBP", "day": "2026-10-02", "rate": "-0.85"}]}), 400,
        "rates[1].rate")
    problem(api.post("/v1/fx/rates", {"source": "t", "rates": [
        {"base": "EUR", "quote": "GBP", "day": "2026-02-30", "rate": "0.85"}]}), 400,
        "rates[0].day")
    problem(api.post("/v1/fx/rates", {"rates": [
        {"base": "EUR", "quote": "GBP", "day": "2026-10-01", "rate": "0.85"}]}), 400,
        "rates[0].source")
    r = api.call("POST", "/v1/fx/rates", raw=b"EUR,GBP,2026-10-01,0.85,t\nEUR,GBP,2026-10-02\n",
                 headers={"Content-Type": "text/csv"})
    problem(r, 400, "line 2")
    eq(len(items_of(api.get(q("/v1/fx/rates", base="EUR", quote="GBP"), expect=200))), n0,
       "nothing imported from refused bodies")
    r = api.post("/v1/fx/rates", {"source": "t", "rates": [
        {"base": "EUR", "quote": "GBP", "day": "2026-10-01", "rate": "0.85"}]}, expect=201)
    problem(api.post("/v1/fx/rates", {"source": "t", "rates": [
        {"base": "EUR", "quote": "GBP", "day": "2026-10-01", "rate": "0.85"}]}, key="s1"), 403)
    problem(api.get(q("/v1/fx/convert", **{"from": "EUR", "to": "USD", "day": "2026-10-05"})),
            400, "amount")
    problem(api.get(q("/v1/fx/convert", **{"from": "EUR", "to": "USD", "day": "5.10.2026",
                                           "amount": "1"})), 400, "day")


@test
def test_money_tenancy(ctx):
    catalog(ctx)
    api = ctx.api
    topup(ctx, "S1", "10.00", ref="TEN-S1")
    topup(ctx, "S2", "20.00", ref="TEN-S2")
    problem(api.get("/v1/sellers/S1/wallet", key="s2"), 404)
    eq(items_of(api.get(q("/v1/money/accounts", seller="S1"), key="s2", expect=200)), [],
       "another seller's accounts: none")
    eq(items_of(api.get(q("/v1/money/postings", seller="S1"), key="s2", expect=200)), [],
       "another seller's postings: none")
    own = postings(ctx, key="s2")
    check(own, "the seller sees its own postings")
    eq({p["seller"] for p in own}, {"S2"}, "a seller's postings are its own")
    check(all(not p["account"].startswith("seller/S1/") for p in own), "no S1 account for S2")
    accts = items_of(api.get("/v1/money/accounts", key="s2", expect=200))
    eq({a["account"].split("/")[1] for a in accts}, {"S2"}, "a seller's accounts are its own")
    s1_acct = postings(ctx, key="s2", account="seller/S1/wallet")
    eq(s1_acct, [], "another seller's account by name: nothing")
    # an operator sees its warehouse's accounts only
    op = items_of(api.get("/v1/money/accounts", key="op", expect=200))
    check(all(a["account"].startswith("wh/DE-DUI/") for a in op), "operator: its warehouse only")
    eq(items_of(api.get(q("/v1/money/accounts", warehouse="US-LAX"), key="op", expect=200)), [],
       "operator: another warehouse's accounts")
    admin = items_of(api.get(q("/v1/money/accounts", seller="S1"), expect=200))
    check(any(a["account"] == "seller/S1/wallet" for a in admin), "admin sees S1's wallet")
    # an operator acts on the money of sellers with stock in its warehouse, no others
    mk_sku(ctx, "S1", "TEN1")
    stock(ctx, "S1", "DE-DUI", [("TEN1", 1)])
    wallet(ctx, "S1", key="op")
    code = "S9" + rand_suffix(4).upper()
    api.post("/v1/sellers", {"code": code, "name": "Elsewhere Trading Co., Ltd.", "country": "CN"},
             expect=201)
    problem(api.get("/v1/sellers/%s/wallet" % code, key="op"), 404, "code")
    n0 = len(postings(ctx))
    problem(api.post("/v1/sellers/%s/topups" % code,
                     {"amount": "5.00", "currency": "EUR", "reference": "OP-1"}, key="op"), 404,
            "code")
    problem(api.post("/v1/sellers/%s/credit-limit" % code,
                     {"credit_limit": "5.00", "currency": "EUR"}, key="op"), 404, "code")
    eq(len(postings(ctx)), n0, "nothing booked by a refused operator")
    eq(balance_of(wallet(ctx, code), "EUR"), None, "no limit set by a refused operator")
    topup(ctx, code, "5.00", ref="ADMIN-1")
    topup(ctx, "S1", "5.00", ref="OP-S1", key="op")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

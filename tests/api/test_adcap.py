#!/usr/bin/env python3
"""haicang API tests: the advertising deduction cap (issue 10 item 9, EIT Art. 44).

Spend imports per channel and month (JSON or CSV; not CNY: converted at the rate
of fx_day, 409 without one); a seller's category sets the rate from a year on;
the year's report takes revenue from the seller's orders shipped in the Beijing
year, converted at the ship day's rate, and carries the excess forward across
years: checked against figures computed by hand here. Bad input is a 4xx naming
the field with nothing stored; a seller sees only its own.

    python3 tests/api/test_adcap.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import datetime
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix  # noqa: E402
from fixtures import (catalog, collector, create_order, fulfil, items_of, mk_sku,  # noqa: E402
                      order_body, run_suite, stock)

TESTS, test = collector()


def beijing_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def new_seller(ctx):
    code = "AD" + rand_suffix(5).upper()
    ctx.api.post("/v1/sellers", {"code": code, "name": "Ad Spender %s Co., Ltd." % code,
                                 "country": "CN"}, expect=201)
    return code


def import_rates(ctx, rows):
    csv = "base,quote,day,rate,source\n" + "".join("%s,%s,%s,%s,test rates\n" % r for r in rows)
    return ctx.api.call("POST", "/v1/fx/rates", raw=csv.encode(), key="admin",
                        headers={"Content-Type": "text/csv"})


def spend(ctx, seller, rows, key="admin", expect=201):
    return ctx.api.post("/v1/sellers/%s/ad-spend" % seller, {"spend": rows}, key=key,
                        expect=expect)


def row(channel, month, amount, currency="CNY", **kw):
    r = {"channel": channel, "month": month, "amount": amount, "currency": currency}
    r.update(kw)
    return r


def report(ctx, seller, year, key="admin"):
    return ctx.api.get("/v1/sellers/%s/ad-cap/%d" % (seller, year), key=key, expect=200).json


def amt(m):
    eq(m.get("currency"), "CNY", "report amounts are CNY")
    return m["amount"]


def figures(y):
    return {k: amt(y[k]) for k in ("revenue", "spend", "carried_in", "cap", "allowed",
                                   "carried_out")}


def ship_one(ctx, seller, qty, price="19.99", currency="EUR"):
    """One order of qty units at price, shipped now from DE-DUI."""
    sku = "ADSKU"
    mk_sku(ctx, seller, sku)
    stock(ctx, seller, "DE-DUI", [(sku, qty)])
    body = order_body(seller, [(sku, qty)], currency=currency)
    body["lines"][0]["unit_price"] = {"amount": price, "currency": currency}
    o = create_order(ctx, body, key="admin")
    fulfil(ctx, "DE-DUI", [o["id"]], deliver=True)
    return o


@test
def test_carry_forward_three_years(ctx):
    catalog(ctx)
    api = ctx.api
    today = beijing_today()
    y = today.year
    days = [today + datetime.timedelta(days=d) for d in (-1, 0, 1)]
    r = import_rates(ctx, [("EUR", "CNY", d.isoformat(), "7.8123") for d in days] +
                     [("USD", "CNY", "%d-12-31" % (y - 1), "7.1234")])
    check(r.status == 201, "rates imported", r)
    s = new_seller(ctx)
    # two years before: 1000.00 CNY over two channels and months
    r = spend(ctx, s, [row("amazon", "%d-03" % (y - 2), "600.00"),
                       row("tiktok", "%d-07" % (y - 2), "400.00", reference="TT-INV-1")])
    eq(r.json.get("imported"), 2, "two rows imported", r)
    # last year: 500.00 USD at the rate of its month's last day (7.1234) = 3561.70 CNY
    r = spend(ctx, s, [row("google", "%d-12" % (y - 1), "500.00", "USD")])
    got = r.json["spend"][0]
    eq(got["amount_cny"], {"amount": "3561.70", "currency": "CNY"}, "USD spend in CNY", r)
    eq(got["fx"], {"rate": "7.1234", "day": "%d-12-31" % (y - 1)}, "rate and day kept", r)
    # this year: 100.00 CNY; one order of 6 x 19.99 EUR = 119.94 EUR shipped today
    spend(ctx, s, [row("temu", "%d-01" % y, "100.00")])
    ship_one(ctx, s, 6)
    rep = report(ctx, s, y)
    eq(rep.get("seller"), s, "report seller")
    eq([h["year"] for h in rep["history"]], [y - 2, y - 1, y], "years back to the first spend")
    h = rep["history"]
    # revenue 119.94 x 7.8123 = 937.007262 -> 937.01; cap 15 % = 140.5515 -> 140.55
    eq(figures(h[0]), {"revenue": "0.00", "spend": "1000.00", "carried_in": "0.00",
                       "cap": "0.00", "allowed": "0.00", "carried_out": "1000.00"}, "year -2")
    eq(figures(h[1]), {"revenue": "0.00", "spend": "3561.70", "carried_in": "1000.00",
                       "cap": "0.00", "allowed": "0.00", "carried_out": "4561.70"}, "year -1")
    eq(figures(h[2]), {"revenue": "937.01", "spend": "100.00", "carried_in": "4561.70",
                       "cap": "140.55", "allowed": "140.55", "carried_out": "4521.15"}, "this year")
    eq(figures(rep), figures(h[2]), "the report's own year is its last")
    eq((rep["category"], rep["rate_pct"], rep["orders"]), ("general", "15.00", 1),
       "default category, one order")
    eq(rep["revenue_by_currency"], [{"amount": {"amount": "119.94", "currency": "EUR"},
                                     "amount_cny": {"amount": "937.01", "currency": "CNY"}}],
       "revenue by currency")
    # last year's report alone ends where this year's carry begins
    last = report(ctx, s, y - 1)
    eq(amt(last["carried_out"]), "4561.70", "last year's report carries out")
    # cosmetics from this year: 30 % of 937.01 = 281.103 -> 281.10
    r = api.post("/v1/sellers/%s/ad-categories" % s, {"category": "cosmetics", "year_from": y},
                 expect=201)
    eq(r.json.get("rate_pct"), "30.00", "cosmetics default rate", r)
    eq(figures(report(ctx, s, y))["cap"], "281.10", "cosmetics cap")
    # tobacco: nothing deductible, everything carried
    api.post("/v1/sellers/%s/ad-categories" % s, {"category": "tobacco", "year_from": y},
             expect=201)
    f = figures(report(ctx, s, y))
    eq((f["cap"], f["allowed"], f["carried_out"]), ("0.00", "0.00", "4661.70"), "tobacco: 0 %")
    # a rate given with the category; earlier years keep theirs
    api.post("/v1/sellers/%s/ad-categories" % s,
             {"category": "general", "year_from": y, "rate_pct": "12.5"}, expect=201)
    rep = report(ctx, s, y)
    eq((rep["rate_pct"], amt(rep["cap"])), ("12.50", "117.13"), "12.5 % of 937.01 = 117.12625")
    cats = items_of(api.get("/v1/sellers/%s/ad-categories" % s, expect=200))
    eq([(c["year_from"], c["category"], c["rate_pct"]) for c in cats],
       [(y, "general", "12.50")], "one row per year, the last set")


@test
def test_spend_csv_and_replace(ctx):
    api = ctx.api
    s = new_seller(ctx)
    csv = ("channel,month,amount,currency,fx_day,reference\n"
           "amazon,2024-01,10.00,CNY,,A-1\n"
           "meta,2024-02,0.00,CNY\n"
           "amazon,2024-01,12.34,CNY\n")
    r = api.call("POST", "/v1/sellers/%s/ad-spend" % s, raw=csv.encode(), key="admin",
                 headers={"Content-Type": "text/csv"})
    check(r.status == 201, "CSV imported", r)
    eq(r.json.get("imported"), 3, "three rows read", r)
    items = items_of(api.get(q("/v1/sellers/%s/ad-spend" % s, year="2024"), expect=200))
    eq([(i["channel"], i["month"], i["amount"]["amount"]) for i in items],
       [("amazon", "2024-01", "12.34"), ("meta", "2024-02", "0.00")],
       "the same channel, month and currency replaced")
    eq(items_of(api.get(q("/v1/sellers/%s/ad-spend" % s, year="2023"), expect=200)), [],
       "nothing in another year")
    problem(api.get(q("/v1/sellers/%s/ad-spend" % s, year="24"), key="admin"), 400, "year")
    problem(api.get(q("/v1/sellers/%s/ad-spend" % s, month="2024-01"), key="admin"), 400,
            "month")


@test
def test_bad_input_stores_nothing(ctx):
    api = ctx.api
    s = new_seller(ctx)
    path = "/v1/sellers/%s/ad-spend" % s

    def refused(rows, field, status=400):
        problem(api.post(path, {"spend": rows}), status, field)

    refused([row("amazon", "2025-01", "-1.00")], "spend[0].amount")
    refused([row("amazon", "2025-01", "1.00"), row("amazon", "2025-13", "1.00")],
            "spend[1].month")
    refused([row("amazon", "202501", "1.00")], "spend[0].month")
    refused([row("myspace", "2025-01", "1.00")], "spend[0].channel")
    refused([row("amazon", "2025-01", "1.001")], "spend[0].amount")
    refused([row("amazon", "2025-01", "1.00", "XXQ")], "spend[0].currency")
    refused([row("amazon", "2025-01", "1.00", fx_day="2025-02-30")], "spend[0].fx_day")
    refused([], "spend")
    # no rate for the day: 409 naming the currency, and the good first row is not kept
    refused([row("amazon", "2025-01", "1.00"), row("ebay", "1999-01", "1.00", "GBP")],
            "spend[1].month")
    problem(api.post(path, {"spend": [row("amazon", "2025-01", "1.00"),
                                      row("ebay", "2025-01", "1.00", "GBP")]}), 409, "currency")
    bad_csv = "channel,month,amount,currency\namazon,2025-01,1.00,CNY\nmyspace,2025-01,1,CNY\n"
    r = api.call("POST", path, raw=bad_csv.encode(), key="admin",
                 headers={"Content-Type": "text/csv"})
    problem(r, 400, "line 3: channel")
    r = api.call("POST", path, raw=b"amazon,2025-01,-5,CNY\n", key="admin",
                 headers={"Content-Type": "text/csv"})
    problem(r, 400, "line 1: amount")
    eq(items_of(api.get(path, expect=200)), [], "nothing stored by refused imports")
    cat = "/v1/sellers/%s/ad-categories" % s
    problem(api.post(cat, {"category": "general", "year_from": 2025, "rate_pct": "100.01"}), 400,
            "rate_pct")
    problem(api.post(cat, {"category": "general", "year_from": 2025, "rate_pct": "-1"}), 400,
            "rate_pct")
    problem(api.post(cat, {"category": "alcohol", "year_from": 2025}), 400, "category")
    problem(api.post(cat, {"category": "general", "year_from": 1999}), 400, "year_from")
    eq(items_of(api.get(cat, expect=200)), [], "no category stored")
    y = beijing_today().year
    problem(api.get("/v1/sellers/%s/ad-cap/%d" % (s, y + 1)), 400, "year")
    problem(api.get("/v1/sellers/%s/ad-cap/20x5" % s), 400, "year")
    problem(api.get("/v1/sellers/NOSUCH/ad-cap/%d" % y), 404, "code")
    problem(api.post("/v1/sellers/NOSUCH/ad-spend", {"spend": [row("amazon", "2025-01", "1")]}),
            404, "code")


@test
def test_sellers_see_only_their_own(ctx):
    catalog(ctx)
    api = ctx.api
    y = beijing_today().year
    spend(ctx, "S1", [row("ebay", "%d-01" % y, "50.00")], key="s1")
    rep = report(ctx, "S1", y, key="s1")
    eq(amt(rep["spend"]), "50.00", "S1 reads its own report")
    problem(api.get("/v1/sellers/S1/ad-cap/%d" % y, key="s2"), 404, "code")
    problem(api.get("/v1/sellers/S1/ad-spend", key="s2"), 404, "code")
    problem(api.post("/v1/sellers/S1/ad-spend", {"spend": [row("ebay", "%d-02" % y, "1.00")]},
                     key="s2"), 404, "code")
    problem(api.post("/v1/sellers/S1/ad-categories", {"category": "tobacco", "year_from": y},
                     key="s2"), 404, "code")
    problem(api.get("/v1/sellers/S1/ad-cap/%d" % y, key="op"), 403)
    eq([i["month"] for i in items_of(api.get("/v1/sellers/S1/ad-spend", key="s1", expect=200))],
       ["%d-01" % y], "S2's attempt stored nothing")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: product compliance, rules as data and the gate (issue 13, parts 2-4).

Rules say what a market requires of a category; an order to a consumer
(market = ship_to country) and an inbound to a warehouse (market = its
country) missing anything are held (on_hold, reason compliance) with the
missing items named like skus[X].eu.gpsr_operator; completing the data
releases them. A held inbound cannot be received (409 naming why). A GPSR
operator outside the EU is a 400 naming the field with nothing stored;
sellers see only their own records and holds.

Every test uses a category of its own, so the rules of one test never hold
another test's goods.

    python3 tests/api/test_compliance_gate.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, get_order, items_of,  # noqa: E402
                      mk_sku, order_body, stock, run_suite)

TESTS, test = collector()

GPSR_DE = {"name": "EU Rep GmbH", "address": {"line1": "Hafenstraße 9", "postcode": "47119",
                                               "city": "Duisburg", "country": "DE"},
           "contact": "rep@example.eu"}


def uniq(prefix):
    return prefix + rand_suffix(6).lower()


def rule(ctx, market, category, requirement, key="admin", expect=201, **kw):
    body = {"market": market, "category": category, "requirement": requirement,
            "effective_from": kw.pop("effective_from", "2024-12-13"),
            "source": kw.pop("source", "test rule")}
    body.update(kw)
    return ctx.api.post("/v1/compliance/rules", body, key=key, expect=expect)


def put_product(ctx, seller, sku, body, key="admin", expect=200):
    return ctx.api.call("PUT", "/v1/skus/%s/%s/compliance" % (seller, seg(sku)), body=body,
                        key=key, expect=expect)


def new_sku(ctx, cat, seller="S1", brand=None):
    sku = "CG-" + rand_suffix(6).upper()
    mk_sku(ctx, seller, sku, brand=brand or uniq("brand"))
    put_product(ctx, seller, sku, {"category": cat})
    return sku


def holds(ctx, key="admin", **params):
    return items_of(ctx.api.get(q("/v1/compliance/holds", **params), key=key, expect=200))


@test
def test_rules_crud_and_import(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("crud")
    r = rule(ctx, "EU", cat, "gpsr_operator", id=cat + "-gpsr",
             source="Regulation (EU) 2023/988 (GPSR) art. 16")
    eq(r.json.get("id"), cat + "-gpsr", "rule id", r)
    eq(r.json.get("status"), "confirmed", "default status", r)
    eq(r.json.get("effective_to"), None, "open end", r)
    problem(rule(ctx, "EU", cat, "gpsr_operator", id=cat + "-gpsr", expect=409), 409, "id")
    got = api.get("/v1/compliance/rules/%s" % (cat + "-gpsr"), key="s1", expect=200).json
    eq(got.get("source"), "Regulation (EU) 2023/988 (GPSR) art. 16", "a seller reads a rule")
    # bad rules: 400 naming the field, nothing stored
    for field, over in (("market", {"market": "XX"}), ("requirement", {"requirement": "magic"}),
                        ("effective_to", {"effective_to": "2020-01-01"}),
                        ("condition", {"condition": "sometimes"}),
                        ("status", {"status": "maybe"}), ("category", {"category": "Toys!"})):
        body = {"id": cat + "-bad", "market": "DE", "category": cat, "requirement": "category",
                "effective_from": "2024-01-01", "source": "x"}
        body.update(over)
        problem(api.post("/v1/compliance/rules", body), 400, field)
    problem(api.post("/v1/compliance/rules", {"market": "DE", "category": cat,
                                             "requirement": "category",
                                             "effective_from": "2024-01-01", "source": "x",
                                             "colour": "red"}), 400, "colour")
    problem(api.get("/v1/compliance/rules/%s" % (cat + "-bad")), 404, "id")
    # sellers read, never write
    problem(rule(ctx, "DE", cat, "category", key="s1", expect=403), 403)
    # the rule table applies to every warehouse: an operator reads it, only an admin edits it
    body = dict(got)
    for k in ("id", "updated_at", "updated_by"):
        body.pop(k)
    body["effective_to"] = "2025-01-31"
    problem(rule(ctx, "DE", cat, "category", key="op", expect=403), 403)
    problem(api.call("PUT", "/v1/compliance/rules/%s" % (cat + "-gpsr"), body=body, key="op"), 403)
    eq(api.get("/v1/compliance/rules/%s" % (cat + "-gpsr"), key="op", expect=200).json.get(
        "effective_to"), got.get("effective_to"), "an operator's refused edit changed nothing")
    problem(api.call("POST", "/v1/compliance/rules/import", raw=b"x", key="op",
                     headers={"Content-Type": "text/csv"}), 403)
    r = api.call("PUT", "/v1/compliance/rules/%s" % (cat + "-gpsr"), body=body, key="admin",
                 expect=200)
    eq(r.json.get("effective_to"), "2025-01-31", "ended", r)
    listed = items_of(api.get(q("/v1/compliance/rules", category=cat, on="2026-01-01")))
    eq(listed, [], "an ended rule is not in force")
    listed = items_of(api.get(q("/v1/compliance/rules", category=cat, on="2025-01-15")))
    eq([x["id"] for x in listed], [cat + "-gpsr"], "in force on a day inside its dates")
    problem(api.get(q("/v1/compliance/rules", on="2025-13-01")), 400, "on")
    problem(api.get(q("/v1/compliance/rules", colour="red")), 400, "colour")
    # CSV import: all or nothing, errors name the row
    head = "id,market,category,requirement,condition,effective_from,effective_to,status,source,note\n"
    good = ('%s-a,DE,%s,epr.packaging,,2019-01-01,,confirmed,"VerpackG §9, LUCID",\n'
            '%s-b,FR,%s,epr.uin,,2022-01-01,,uncertain,"AGEC, ""UIN""",checked? \n' % (cat, cat, cat, cat))
    bad = good + "%s-c,DE,%s,epr.packaging,,2019-02-30,,confirmed,x,\n" % (cat, cat)
    r = api.call("POST", "/v1/compliance/rules/import", raw=(head + bad).encode(), key="admin",
                 headers={"Content-Type": "text/csv"})
    problem(r, 400, "rows[2].effective_from")
    eq(items_of(api.get(q("/v1/compliance/rules", category=cat, market="DE"))), [],
       "a refused import stores nothing")
    r = api.call("POST", "/v1/compliance/rules/import", raw=(head + good).encode(), key="admin",
                 headers={"Content-Type": "text/csv"}, expect=201)
    eq(r.json.get("imported"), 2, "imported", r)
    fr = items_of(api.get(q("/v1/compliance/rules", category=cat, market="fr")))
    eq([(x["id"], x["status"], x["source"]) for x in fr], [(cat + "-b", "uncertain", 'AGEC, "UIN"')],
       "quoted CSV fields")
    r = api.post("/v1/compliance/rules/import", {"rules": [
        {"id": cat + "-a", "market": "DE", "category": cat, "requirement": "epr.weee",
         "effective_from": "2019-01-01", "source": "ElektroG"}]}, key="admin", expect=(200, 201))
    de = items_of(api.get(q("/v1/compliance/rules", category=cat, market="DE")))
    eq([x["requirement"] for x in de], ["epr.weee"], "a JSON import replaces by id")


@test
def test_bad_product_data_stores_nothing(ctx):
    catalog(ctx)
    cat = uniq("bad")
    sku = new_sku(ctx, cat)
    before = ctx.api.get("/v1/skus/S1/%s/compliance" % sku, expect=200).json
    outside = dict(GPSR_DE, address=dict(GPSR_DE["address"], country="GB"))
    cases = (
        ({"gpsr_operator": outside}, "gpsr_operator.address.country"),
        ({"gpsr_operator": dict(GPSR_DE, address=dict(GPSR_DE["address"], country="CN"))},
         "gpsr_operator.address.country"),
        ({"gpsr_operator": {"name": "x", "address": GPSR_DE["address"]}}, "gpsr_operator.contact"),
        ({"battery": {"present": True, "un_number": "3481"}}, "battery.un_number"),
        ({"battery": {"present": True, "packing_instruction": "966"}},
         "battery.packing_instruction"),
        ({"battery": {"present": False, "un_number": "UN3481"}}, "battery.present"),
        ({"battery": {"present": True, "lithium_g": "0.1234"}}, "battery.lithium_g"),
        ({"tariffs": [{"market": "EU", "code": "8507600"}]}, "tariffs[0].code"),
        ({"tariffs": [{"market": "US", "code": "85076000"}]}, "tariffs[0].code"),
        ({"tariffs": [{"market": "DE", "code": "85076000"}]}, "tariffs[0].market"),
        ({"epr": [{"country": "ZZ", "kind": "weee", "number": "1"}]}, "epr[0].country"),
        ({"epr": [{"country": "DE", "kind": "weee", "number": "DE 12345678"},
                  {"country": "DE", "kind": "weee", "number": "DE 87654321"}]}, "epr[1].number"),
        ({"epr": [{"country": "DE", "kind": "weee", "number": "1"}]}, "epr[0].number"),
        ({"epr": [{"country": "FR", "kind": "weee", "number": "FR234567_02ABCD"},
                  {"country": "DE", "kind": "packaging", "number": "DE123456789012"}]},
         "epr[1].number"),
        ({"epr": [{"country": "DE", "kind": "packaging", "number": "DE 1234567890123"}]},
         "epr[0].number"),
        ({"marks": ["ce"]}, "marks[0]"),
        ({"category": "Electronics"}, "category"),
        ({"colour": "red"}, "colour"),
        ({"gpsr_operator": dict(GPSR_DE, phone="1")}, "gpsr_operator.phone"),
    )
    for body, field in cases:
        problem(put_product(ctx, "S1", sku, dict({"category": cat}, **body), expect=None), 400, field,
                what=field)
    after = ctx.api.get("/v1/skus/S1/%s/compliance" % sku, expect=200).json
    eq(after["own"], before["own"], "nothing stored by refused bodies")
    problem(put_product(ctx, "S1", "NO-SUCH-SKU", {"category": cat}, expect=None), 404, "sku")


@test
def test_epr_numbers_by_published_shape(ctx):
    """German LUCID (DE + 13 digits) and WEEE (DE + 8 digits) numbers are checked by
    their published shape, naming epr[i].number; schemes without a published shape
    (German batteries, France's IDU) take the number as given."""
    catalog(ctx)
    sku = new_sku(ctx, uniq("epr"))
    r = put_product(ctx, "S1", sku, {"epr": [
        {"country": "DE", "kind": "packaging", "number": "DE1234567890123"},
        {"country": "DE", "kind": "weee", "number": "DE 12345678"},
        {"country": "DE", "kind": "batteries", "number": "DE 2345"},
        {"country": "FR", "kind": "packaging", "number": "FR123456_01ABCD"}]})
    eq(sorted(e["number"] for e in r.json["epr"]),
       ["DE 12345678", "DE 2345", "DE1234567890123", "FR123456_01ABCD"], "stored as given", r)
    body = problem(put_product(ctx, "S1", sku, {"epr": [
        {"country": "DE", "kind": "weee", "number": "DE 1234567"}]}, expect=None), 400,
        "epr[0].number")
    check("8 digits" in body.get("detail", ""), "the shape is named", body)
    got = ctx.api.get("/v1/skus/S1/%s/compliance" % sku, expect=200).json
    eq(len(got["own"]["epr"]), 4, "the refused body stored nothing", got)


@test
def test_order_held_named_and_released(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("ord")
    sku = new_sku(ctx, cat)
    stock(ctx, "S1", "DE-DUI", [(sku, 5)])
    rule(ctx, "EU", cat, "gpsr_operator")
    rule(ctx, "DE", cat, "epr.packaging", source="VerpackG / LUCID")
    rule(ctx, "DE", cat, "battery_data", condition="battery")
    o = create_order(ctx, order_body("S1", [(sku, 2)], "DE"))
    eq(o.get("status"), "on_hold", "held", o)
    eq(o.get("hold_reason"), "compliance", "reason")
    eq(sorted(o.get("hold_items", [])),
       ["skus[%s].de.epr.packaging" % sku, "skus[%s].eu.gpsr_operator" % sku], "missing items named")
    expect_inv(ctx, "S1", "DE-DUI", sku, allocated=0)  # the default: a held order holds no stock
    h = [x for x in holds(ctx, key="s1") if x["id"] == o["id"]]
    eq(len(h), 1, "the hold is listed for the seller")
    eq((h[0]["kind"], h[0]["market"], h[0]["reason"]), ("order", "DE", "compliance"), "hold row")
    # the order to the US needs none of it
    o_us = create_order(ctx, order_body("S1", [(sku, 1)], "US"))
    check(o_us["status"] in ("allocated", "backordered"), "no US rule: not held", o_us)
    # half the data: still held, fewer items
    r = put_product(ctx, "S1", sku, {"category": cat, "gpsr_operator": GPSR_DE}, key="s1")
    eq(r.json.get("released"), 0, "nothing released yet", r)
    eq(get_order(ctx, o["id"]).get("hold_items"), ["skus[%s].de.epr.packaging" % sku],
       "the hold names what is still missing")
    # a battery now declared: its data is required too
    r = put_product(ctx, "S1", sku, {"category": cat, "gpsr_operator": GPSR_DE,
                                     "battery": {"present": True},
                                     "epr": [{"country": "DE", "kind": "packaging",
                                              "number": "DE1234567890123"}]}, key="s1")
    eq(r.json.get("released"), 0, "battery data missing", r)
    eq(get_order(ctx, o["id"]).get("hold_items"), ["skus[%s].eu.battery_data" % sku], "battery item")
    r = put_product(ctx, "S1", sku, {"category": cat, "gpsr_operator": GPSR_DE,
                                     "battery": {"present": True, "un_number": "UN3481",
                                                 "lithium_g": "0.3", "packing_instruction": "PI967"},
                                     "epr": [{"country": "DE", "kind": "packaging",
                                              "number": "DE1234567890123"}]}, key="s1")
    eq(r.json.get("released"), 1, "released by the completed data", r)
    eq(r.json["battery"]["lithium_g"], "0.300", "exact decimals", r)
    g = get_order(ctx, o["id"])
    eq(g.get("status"), "allocated", "released and allocated", g)
    check("hold_items" not in g and "hold_reason" not in g, "no hold left on the order", g)
    eq([x for x in holds(ctx) if x["id"] == o["id"]], [], "no longer listed")
    expect_inv(ctx, "S1", "DE-DUI", sku, allocated=3)


@test
def test_inbound_held_until_complete(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("inb")
    rule(ctx, "NL", cat, "mark.ce", source="Blue Guide / CE marking")
    rule(ctx, "EU", cat, "tariff_code", status="confirmed")
    sku = new_sku(ctx, cat)
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "NL-VEN", "reference": "ASN-" + sku,
                                  "lines": [{"sku": sku, "qty": 4}]}, key="s1", expect=201)
    ib = r.json
    eq(ib.get("status"), "on_hold", "inbound held", r)
    eq(ib.get("hold_reason"), "compliance", "reason", r)
    eq(sorted(ib.get("hold_items", [])), ["skus[%s].eu.mark.ce" % sku, "skus[%s].eu.tariff_code" % sku],
       "items", r)
    rr = api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]), {"lines": [{"sku": sku, "qty": 4}]})
    body = problem(rr, 409, "status")
    check("skus[%s].eu.mark.ce" % sku in body.get("detail", "") + str(body.get("errors")),
          "the 409 names the missing item", rr)
    expect_inv(ctx, "S1", "NL-VEN", sku, on_hand=0)
    listed = items_of(api.get(q("/v1/inbounds", status="on_hold", seller="S1"), expect=200))
    check(any(x["id"] == ib["id"] for x in listed), "listed by status on_hold")
    r = put_product(ctx, "S1", sku, {"category": cat, "marks": ["CE"],
                                     "tariffs": [{"market": "EU", "code": "85076000"}]})
    eq(r.json.get("released"), 1, "released", r)
    got = api.get("/v1/inbounds/%s" % seg(ib["id"]), expect=200).json
    eq(got.get("status"), "expected", "back to expected", got)
    api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]), {"lines": [{"sku": sku, "qty": 4}]},
             expect=200)
    # the US warehouse has no such rule: not held
    r = api.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX", "reference": "ASN2-" + sku,
                                  "lines": [{"sku": sku, "qty": 1}]}, expect=201)
    eq(r.json.get("status"), "expected", "no US rule", r)


@test
def test_warehouse_keeps_held_stock_when_configured(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("keep")
    sku = new_sku(ctx, cat)
    stock(ctx, "S1", "NL-VEN", [(sku, 6)])
    rule(ctx, "NL", cat, "category")  # every SKU of ours has it: never holds
    rule(ctx, "NL", cat, "mark.ce")
    problem(api.call("PUT", "/v1/warehouses/NL-VEN/compliance", body={"hold_allocates": True},
                     key="op"), 404, "wh")
    problem(api.call("PUT", "/v1/warehouses/NL-VEN/compliance", body={"hold_allocates": "yes"}),
            400, "hold_allocates")
    api.call("PUT", "/v1/warehouses/NL-VEN/compliance", body={"hold_allocates": True}, expect=200)
    eq(api.get("/v1/warehouses/NL-VEN/compliance").json.get("hold_allocates"), True, "setting")
    o1 = create_order(ctx, order_body("S1", [(sku, 2)], "NL"))
    o2 = create_order(ctx, order_body("S1", [(sku, 1)], "NL"))
    eq((o1["status"], o2["status"]), ("on_hold", "on_hold"), "held")
    eq(o1["lines"][0]["allocated"], 2, "held with its stock", o1)
    expect_inv(ctx, "S1", "NL-VEN", sku, allocated=3)
    api.post("/v1/orders/%s/cancel" % seg(o2["id"]), {}, expect=200)
    expect_inv(ctx, "S1", "NL-VEN", sku, allocated=2)
    put_product(ctx, "S1", sku, {"category": cat, "marks": ["CE"]})
    eq(get_order(ctx, o1["id"])["status"], "allocated", "released with the stock it held")
    expect_inv(ctx, "S1", "NL-VEN", sku, allocated=2)
    api.call("PUT", "/v1/warehouses/NL-VEN/compliance", body={"hold_allocates": False}, expect=200)


@test
def test_brand_record_inherited(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("brand")
    brand = uniq("Brand ")
    sku = new_sku(ctx, cat, brand=brand)
    stock(ctx, "S1", "DE-DUI", [(sku, 2)])
    rule(ctx, "EU", cat, "gpsr_operator")
    rule(ctx, "EU", cat, "mark.ce")
    o = create_order(ctx, order_body("S1", [(sku, 1)], "DE"))
    eq(o["status"], "on_hold", "held before the brand has data")
    r = api.call("PUT", "/v1/compliance/brand-defaults/S1/%s" % seg(brand),
                 body={"gpsr_operator": GPSR_DE, "marks": ["CE"]}, key="s1", expect=200)
    eq(r.json.get("released"), 1, "the brand's record released the order", r)
    eff = api.get("/v1/skus/S1/%s/compliance" % sku, key="s1", expect=200).json
    eq(eff["effective"]["gpsr_operator"]["name"], "EU Rep GmbH", "inherited operator", eff)
    eq(eff["effective"]["category"], cat, "the SKU's own category", eff)
    eq(eff["hs_code"], "8517130000", "the export HS code beside", eff)
    problem(api.call("PUT", "/v1/compliance/brand-defaults/S1/%s" % seg(brand),
                     body={"gpsr_operator": dict(GPSR_DE, address=dict(GPSR_DE["address"],
                                                                      country="CH"))}),
            400, "gpsr_operator.address.country")
    eq(api.get("/v1/compliance/brand-defaults/S1/%s" % seg(brand)).json["gpsr_operator"]["address"]
       ["country"], "DE", "refused brand update stored nothing")


@test
def test_rule_dates_and_matrix(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("mx")
    green = new_sku(ctx, cat)
    red = new_sku(ctx, cat)
    stock(ctx, "S1", "DE-DUI", [(red, 1)])
    rule(ctx, "DE", cat, "epr.weee", source="ElektroG / WEEE Directive 2012/19/EU")
    rule(ctx, "DE", cat, "mark.ce", effective_from="2099-01-01")  # not yet
    rule(ctx, "DE", cat, "tariff_code", effective_from="2019-01-01", effective_to="2020-01-01")
    rule(ctx, "FR", cat, "epr.uin", status="uncertain", source="AGEC (unconfirmed)")
    put_product(ctx, "S1", green, {"category": cat,
                                  "epr": [{"country": "DE", "kind": "weee", "number": "DE 12345678"},
                                          {"country": "FR", "kind": "uin", "number": "FR123456_01ABCD"}]})
    o = create_order(ctx, order_body("S1", [(red, 1)], "DE"))
    eq(o.get("hold_items"), ["skus[%s].de.epr.weee" % red], "only the rule in force holds", o)
    o_fr = create_order(ctx, order_body("S1", [(red, 1)], "FR"))
    check(o_fr["status"] != "on_hold", "an uncertain rule never holds", o_fr)
    m = api.get(q("/v1/compliance/matrix", seller="S1", markets="DE,FR", limit=1000), key="s1",
                expect=200).json
    eq(m.get("markets"), ["DE", "FR"], "markets asked")
    cells = {(c["sku"], c["market"]): c for c in m["items"]}
    eq(cells[(green, "DE")]["light"], "green", "complete", m)
    eq(cells[(green, "FR")]["light"], "green", "complete in FR")
    eq(cells[(red, "DE")]["light"], "red", "missing")
    eq([(g["item"], g["level"]) for g in cells[(red, "DE")]["gaps"]],
       [("skus[%s].de.epr.weee" % red, "missing")], "what is missing per cell")
    eq(cells[(red, "FR")]["light"], "amber", "uncertain rule: amber")
    # a day given: the future rule is in force then
    m = api.get(q("/v1/compliance/matrix", seller="S1", markets="DE", day="2099-06-01",
                  limit=1000), expect=200).json
    cells = {(c["sku"], c["market"]): c for c in m["items"]}
    eq(cells[(green, "DE")]["light"], "red", "CE required from 2099")
    # within the horizon: amber (upcoming)
    m = api.get(q("/v1/compliance/matrix", seller="S1", markets="DE", day="2098-11-15",
                  limit=1000), expect=200).json
    cells = {(c["sku"], c["market"]): c for c in m["items"]}
    eq(cells[(green, "DE")]["light"], "amber", "CE starts within 90 days")
    problem(api.get(q("/v1/compliance/matrix", seller="S1", markets="DE,XX")), 400, "markets")
    problem(api.get(q("/v1/compliance/matrix", seller="S1", day="tomorrow")), 400, "day")
    problem(api.get("/v1/compliance/matrix"), 400, "seller")
    # the entry point transfers will use: a check that writes nothing
    c = api.post("/v1/compliance/check", {"seller": "S1", "market": "DE",
                                          "lines": [{"sku": red}, {"sku": green}]},
                 key="s1", expect=200).json
    eq((c["pass"], [g["item"] for g in c["gaps"] if g["level"] == "missing"]),
       (False, ["skus[%s].de.epr.weee" % red]), "check names the gap")
    problem(api.post("/v1/compliance/check", {"seller": "S1", "market": "DE",
                                              "lines": [{"sku": "NOPE"}]}), 400, "lines[0].sku")


@test
def test_tenancy(ctx):
    catalog(ctx)
    api = ctx.api
    cat = uniq("ten")
    sku = new_sku(ctx, cat)
    stock(ctx, "S1", "DE-DUI", [(sku, 1)])
    rule(ctx, "DE", cat, "mark.ce")
    o = create_order(ctx, order_body("S1", [(sku, 1)], "DE"))
    eq(o["status"], "on_hold", "held")
    problem(api.get("/v1/skus/S1/%s/compliance" % sku, key="s2"), 404)
    problem(put_product(ctx, "S1", sku, {"category": cat, "marks": ["CE"]}, key="s2", expect=None),
            404)
    eq(get_order(ctx, o["id"])["status"], "on_hold", "another seller's write changed nothing")
    check(all(h["seller"] == "S2" for h in holds(ctx, key="s2")), "S2 sees only its holds")
    eq([h for h in holds(ctx, key="s2", seller="S1")], [], "S2 asking for S1's holds: nothing")
    problem(api.get(q("/v1/compliance/matrix", seller="S1"), key="s2"), 404, "seller")
    problem(api.post("/v1/compliance/check", {"seller": "S1", "market": "DE",
                                              "lines": [{"sku": sku}]}, key="s2"), 404, "seller")
    check(any(h["id"] == o["id"] for h in holds(ctx, key="op")), "the operator sees its warehouse's")
    eq([h for h in holds(ctx, key="op", warehouse="US-LAX")], [], "operator: not another warehouse")
    r = api.post("/v1/compliance/recheck", {}, key="s2", expect=200)
    eq(get_order(ctx, o["id"])["status"], "on_hold", "a recheck by S2 left S1's hold")
    put_product(ctx, "S1", sku, {"category": cat, "marks": ["CE"]}, key="s1")
    eq(get_order(ctx, o["id"])["status"], "allocated", "released by its own seller")


@test
def test_compliance_hold_then_credit_hold(ctx):
    """A compliance hold comes first; released while the seller is over its credit
    limit, the order stays on hold for credit, and a higher limit releases it."""
    catalog(ctx)
    api = ctx.api
    cat = uniq("crd")
    sku = new_sku(ctx, cat, seller="S2")
    stock(ctx, "S2", "DE-DUI", [(sku, 3)])
    rule(ctx, "DE", cat, "mark.ce")
    csv = "base,quote,day,rate,source\nEUR,CNY,2026-11-02,7.8125,test\n"
    api.call("POST", "/v1/fx/rates", raw=csv.encode(), headers={"Content-Type": "text/csv"},
             expect=201)
    api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "100.00", "currency": "EUR"},
             key="op", expect=200)
    api.post("/v1/sellers/S2/wallet/conversions",
             {"amount": "80.00", "currency": "EUR", "to": "CNY", "day": "2026-11-02"},
             key="s2", expect=201)
    o = create_order(ctx, order_body("S2", [(sku, 1)], "DE"), key="s2")
    eq((o["status"], o.get("hold_reason")), ("on_hold", "compliance"), "compliance first", o)
    api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "50.00", "currency": "EUR"},
             key="op", expect=200)
    eq(get_order(ctx, o["id"]).get("hold_reason"), "compliance", "a credit change leaves it")
    r = put_product(ctx, "S2", sku, {"category": cat, "marks": ["CE"]}, key="s2")
    eq(r.json.get("released"), 1, "released from the compliance hold", r)
    g = get_order(ctx, o["id"])
    eq((g["status"], g.get("hold_reason")), ("on_hold", "credit"), "now held for credit", g)
    check("hold_items" not in g, "no compliance items left", g)
    eq([h for h in holds(ctx, key="s2") if h["id"] == o["id"]], [], "not a compliance hold")
    api.post("/v1/sellers/S2/credit-limit", {"credit_limit": "100.00", "currency": "EUR"},
             key="op", expect=200)
    eq(get_order(ctx, o["id"])["status"], "allocated", "released by the credit limit")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

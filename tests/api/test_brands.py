#!/usr/bin/env python3
"""haicang API tests: brands, trademarks, authorisations, packaging data, the
brand report (infringement inquiry) and the EPR report (issue 13, parts 5, 6).

A seller records the brands it sells (owner, trademarks, authorisations);
a SKU of a recorded brand the seller neither owns nor holds a valid
authorisation for is flagged, its orders, inbounds and transfer orders held
(on_hold, reason compliance) and released when an authorisation is recorded.
Bad input is a 4xx naming the field with nothing written; a seller sees only its own brand data; the
brand report is for admins and operators (an operator sees its warehouse),
sellers get 403; the EPR report multiplies units shipped by per-unit grams
exactly.

    python3 tests/api/test_brands.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import datetime
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, q, rand_suffix, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, expect_inv, fulfil, get_order,  # noqa: E402
                      items_of, list_all, mk_sku, order_body, stock, run_suite, uscc_for)

TESTS, test = collector()


def day(offset=0):
    return (datetime.datetime.now(datetime.timezone.utc).date() +
            datetime.timedelta(days=offset)).isoformat()


def brand_path(seller, name, tail=""):
    return "/v1/brands/%s/%s%s" % (seg(seller), seg(name), tail)


def new_brand(ctx, seller="S1", owner="Brand Owner GmbH", is_owner=False, key="admin",
              name=None):
    name = name or "Br" + rand_suffix(6)
    r = ctx.api.post("/v1/brands", {"seller": seller, "name": name, "owner": owner,
                                    "seller_is_owner": is_owner}, key=key, expect=201)
    eq(r.json.get("name"), name, "brand name", r)
    return name


def authorise(ctx, seller, brand, start, end, markets=None, key="admin", expect=201):
    body = {"document_ref": "LIC-" + rand_suffix(6), "valid_from": start, "valid_until": end}
    if markets is not None:
        body["markets"] = markets
    return ctx.api.post(brand_path(seller, brand, "/authorisations"), body, key=key,
                        expect=expect)


def flagged(ctx, seller, key="admin", flagged_only=True):
    return list_all(ctx.api, "/v1/compliance/brand-skus", key=key, seller=seller,
                    flagged="true" if flagged_only else "false")


@test
def test_brand_record_and_trademarks(ctx):
    catalog(ctx)
    api = ctx.api
    name = new_brand(ctx, key="s1")
    b = api.get(brand_path("S1", name), key="s1", expect=200).json
    eq(b["owner"], "Brand Owner GmbH", "owner")
    eq(b["standing"], "unauthorised", "a brand of another owner without authorisation")
    eq(b["trademarks"], [], "no trademarks yet")
    r = api.post(brand_path("S1", name, "/trademarks"),
                 {"office": "EUIPO", "number": "018123456", "classes": [9, 35],
                  "valid_until": "2031-05-17"}, key="s1", expect=201)
    tm = r.json["trademarks"]
    eq(len(tm), 1, "one trademark")
    eq(tm[0]["classes"], [9, 35], "Nice classes")
    eq(tm[0]["expired"], False, "valid until 2031")
    # the same office and number again replaces it
    api.post(brand_path("S1", name, "/trademarks"),
             {"office": "EUIPO", "number": "018123456", "classes": [9],
              "valid_until": "2020-01-31"}, key="s1", expect=201)
    tm = api.get(brand_path("S1", name), key="s1", expect=200).json["trademarks"]
    eq([(t["classes"], t["expired"]) for t in tm], [([9], True)], "replaced, expired")
    # replacing the brand record keeps one record
    r = api.post("/v1/brands", {"seller": "S1", "name": name, "owner": "New Owner Ltd"},
                 key="s1", expect=200)
    eq(r.json["owner"], "New Owner Ltd", "owner replaced")
    names = [x["name"] for x in list_all(api, "/v1/brands", key="s1") if x["name"] == name]
    eq(names, [name], "one record per name")


@test
def test_bad_input_names_the_field(ctx):
    catalog(ctx)
    api = ctx.api
    name = new_brand(ctx)
    tpath = brand_path("S1", name, "/trademarks")
    good = {"office": "CNIPA", "number": "12345678", "classes": [9], "valid_until": "2030-01-01"}
    for field, val, want in (("office", "XXPTO", "office"), ("classes", [46], "classes[0]"),
                             ("classes", [], "classes"), ("valid_until", "2030-02-30",
                                                          "valid_until"),
                             ("number", "", "number")):
        body = dict(good)
        body[field] = val
        problem(api.post(tpath, body), 400, want, "trademark %s=%r" % (field, val))
    body = dict(good)
    body["colour"] = "red"
    problem(api.post(tpath, body), 400, "colour", "unknown field")
    eq(api.get(brand_path("S1", name), expect=200).json["trademarks"], [], "nothing written")
    # an authorisation whose end precedes its start
    problem(authorise(ctx, "S1", name, "2026-06-01", "2026-05-31", expect=None), 400,
            "valid_until", "end before start")
    problem(authorise(ctx, "S1", name, "2026-06-01", "2026-07-01", markets=["XX"], expect=None),
            400, "markets[0]", "unknown market")
    problem(authorise(ctx, "S1", name, "yesterday", "2026-07-01", expect=None), 400,
            "valid_from", "not a date")
    eq(api.get(brand_path("S1", name), expect=200).json["authorisations"], [], "nothing written")
    # brand records
    problem(api.post("/v1/brands", {"seller": "S1", "name": "", "owner": "X"}), 400, "name")
    problem(api.post("/v1/brands", {"seller": "S1", "name": "N", "owner": "X",
                                    "seller_is_owner": "yes"}), 400, "seller_is_owner")
    problem(api.post("/v1/brands", {"seller": "NOPE", "name": "N", "owner": "X"}), 404, "seller")
    problem(api.post(brand_path("S1", "no-such-brand", "/authorisations"),
                     {"document_ref": "L", "valid_from": "2026-01-01",
                      "valid_until": "2026-12-31"}), 404, "brand")
    # packaging
    mk_sku(ctx, "S1", "PK-" + rand_suffix(5))
    sku = "PKB-" + rand_suffix(5)
    mk_sku(ctx, "S1", sku)
    ppath = "/v1/skus/S1/%s/packaging" % seg(sku)
    for body, want in (({"packaging": {"paper": "1.2345"}}, "packaging.paper"),
                       ({"packaging": {"plastic": "-1"}}, "packaging.plastic"),
                       ({"packaging": {"paper": 12}}, "packaging.paper"),
                       ({"packaging": {"tin": "1"}}, "packaging.tin"),
                       ({"packaging": {}, "battery": {"category": "aa", "weight_g": "5"}},
                        "battery.category"),
                       ({"packaging": {}, "battery": {"category": "portable", "weight_g": "0"}},
                        "battery.weight_g"),
                       ({"packaging": {}, "eee": {"category": 7, "weight_g": "5"}},
                        "eee.category"),
                       ({}, "packaging")):
        problem(api.post(ppath, body), 400, want, "packaging %r" % body)
    problem(api.get(ppath), 404, "sku", "no data written")
    problem(api.post("/v1/skus/S1/NO-SUCH-SKU/packaging", {"packaging": {"paper": "1"}}), 404,
            "sku")


@test
def test_tenancy(ctx):
    catalog(ctx)
    api = ctx.api
    name = new_brand(ctx, key="s1")
    problem(api.get(brand_path("S1", name), key="s2"), 404, None, "another seller's brand")
    check(all(x["seller"] == "S2" for x in list_all(api, "/v1/brands", key="s2")),
          "a seller lists only its own brands")
    eq(list_all(api, "/v1/brands", key="s2", seller="S1"), [], "asking for S1's brands")
    problem(api.post("/v1/brands", {"seller": "S1", "name": "X", "owner": "Y"}, key="s2"), 404,
            "seller")
    problem(authorise(ctx, "S1", name, "2026-01-01", "2026-12-31", key="s2", expect=None), 404,
            "seller")
    problem(api.post(brand_path("S1", name, "/trademarks"),
                     {"office": "DPMA", "number": "1", "classes": [9],
                      "valid_until": "2030-01-01"}, key="s2"), 404, "seller")
    eq(flagged(ctx, "S1", key="s2"), [], "another seller's flagged SKUs")
    problem(api.get("/v1/compliance/brand-report?brand=%s" % seg(name), key="s1"), 403, None,
            "the brand report is not a seller's")
    # an operator reads brand data of sellers with stock in its warehouse only
    sku = "TN-" + rand_suffix(5)
    mk_sku(ctx, "S1", sku, brand=name)
    authorise(ctx, "S1", name, day(-1), day(100))  # else the inbound is held
    stock(ctx, "S1", "DE-DUI", [(sku, 1)])
    api.get(brand_path("S1", name), key="op", expect=200)
    eq(list_all(api, "/v1/brands", key="op"), [], "operator without seller: nothing")
    problem(api.post("/v1/brands", {"seller": "S1", "name": "Z", "owner": "Y"}, key="op"), 403)


@test
def test_flagged_skus_by_date(ctx):
    catalog(ctx)
    api = ctx.api
    owned = new_brand(ctx, is_owner=True, owner="Shenzhen Anker-like Electronics Co., Ltd.")
    other = new_brand(ctx)
    a, b = "FL-" + rand_suffix(5), "FO-" + rand_suffix(5)
    mk_sku(ctx, "S1", a, brand=other)
    mk_sku(ctx, "S1", b, brand=owned)
    fl = [x for x in flagged(ctx, "S1") if x["sku"] in (a, b)]
    eq([(x["sku"], x["standing"], x["item"]) for x in fl],
       [(a, "unauthorised", "skus[%s].brand_authorisation" % a)], "only the unauthorised SKU")
    # the compliance matrix shows the brand's item as the gate holds for it
    cells = {c["sku"]: c for c in list_all(api, "/v1/compliance/matrix", seller="S1", markets="DE")
             if c["sku"] in (a, b)}
    eq(cells[a]["light"], "red", "the flagged SKU is red in DE")
    check(any(g["item"] == "skus[%s].brand_authorisation" % a for g in cells[a]["gaps"]),
          "its brand item named in the matrix")
    check(not any("brand_authorisation" in g["item"] for g in cells[b]["gaps"]),
          "no brand item for the owned brand")
    # an authorisation that ended yesterday: expired, still flagged
    authorise(ctx, "S1", other, day(-30), day(-1))
    fl = [x for x in flagged(ctx, "S1") if x["sku"] == a]
    eq([(x["standing"], x["authorised_until"]) for x in fl], [("expired", day(-1))], "expired")
    # one starting tomorrow does not count yet
    authorise(ctx, "S1", other, day(1), day(300))
    eq([x["standing"] for x in flagged(ctx, "S1") if x["sku"] == a], ["expired"],
       "not valid yet")
    # valid today (to the day): authorised, no longer flagged
    r = authorise(ctx, "S1", other, day(0), day(0))
    eq(r.json["standing"], "authorised", "authorised today")
    eq(r.json["authorised_until"], day(0), "until today")
    eq([x for x in flagged(ctx, "S1") if x["sku"] == a], [], "no longer flagged")
    every = {x["sku"]: x["standing"] for x in flagged(ctx, "S1", flagged_only=False)}
    eq(every.get(a), "authorised", "listed with flagged=false")
    check(b not in every, "a brand the seller owns is not listed")
    states = sorted(x["state"] for x in api.get(brand_path("S1", other), expect=200)
                    .json["authorisations"])
    eq(states, ["expired", "not_yet_valid", "valid"], "authorisation states")


@test
def test_order_held_and_released(ctx):
    catalog(ctx)
    api = ctx.api
    sku, name = "HO-" + rand_suffix(5), "Br" + rand_suffix(6)
    mk_sku(ctx, "S1", sku, brand=name)
    stock(ctx, "S1", "DE-DUI", [(sku, 5)])  # received before the brand was recorded
    new_brand(ctx, name=name)
    o = create_order(ctx, order_body("S1", [(sku, 2)], country="DE"))
    eq(o["status"], "on_hold", "an order of an unauthorised brand is held")
    eq(o.get("hold_reason"), "compliance", "hold reason")
    eq(o.get("hold_items"), ["skus[%s].brand_authorisation" % sku], "the missing item named")
    # an authorisation for other markets does not release it
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["US"])
    eq(r.json.get("released_orders"), 0, "a US authorisation releases no DE order")
    eq(get_order(ctx, o["id"])["status"], "on_hold", "still held")
    # an expired authorisation for the EU does not either
    r = authorise(ctx, "S1", name, day(-100), day(-1), markets=["EU"])
    eq(r.json.get("released_orders"), 0, "an ended authorisation releases nothing")
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["EU"], key="s1")
    check(r.json.get("released_orders", 0) >= 1, "the EU authorisation releases it", r)
    o = get_order(ctx, o["id"])
    eq(o["status"], "allocated", "released and allocated")
    # an order of a SKU of an unrecorded brand is not held
    free = "HF-" + rand_suffix(5)
    mk_sku(ctx, "S1", free, brand="Unrecorded" + rand_suffix(4))
    stock(ctx, "S1", "DE-DUI", [(free, 1)])
    eq(create_order(ctx, order_body("S1", [(free, 1)]))["status"], "allocated",
       "unrecorded brand: not enforced")


@test
def test_inbound_held_and_released(ctx):
    """An inbound of a flagged SKU is held like an order (reason compliance, the
    item named, for the warehouse's country), cannot be received, is listed
    with the holds, and an authorisation covering that country releases it."""
    catalog(ctx)
    api = ctx.api
    name = new_brand(ctx)
    sku = "HI-" + rand_suffix(5)
    mk_sku(ctx, "S1", sku, brand=name)
    asn = {"seller": "S1", "warehouse": "DE-DUI", "reference": "ASN-" + rand_suffix(8),
           "lines": [{"sku": sku, "qty": 3}]}
    ib = api.post("/v1/inbounds", asn, key="s1", expect=201).json
    eq((ib["status"], ib.get("hold_reason"), ib.get("hold_items")),
       ("on_hold", "compliance", ["skus[%s].brand_authorisation" % sku]), "held, item named", ib)
    problem(api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]),
                     {"lines": [{"sku": sku, "qty": 3}]}), 409, "status")
    held = [h for h in list_all(api, "/v1/compliance/holds", key="s1") if h["id"] == ib["id"]]
    eq([(h["kind"], h["market"], h["missing"]) for h in held],
       [("inbound", "DE", ["skus[%s].brand_authorisation" % sku])], "listed with the holds")
    # an authorisation for France does not cover a German warehouse
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["FR"])
    eq(r.json.get("released_orders"), 0, "FR releases nothing", r)
    eq(api.get("/v1/inbounds/%s" % seg(ib["id"]), expect=200).json["status"], "on_hold",
       "still held")
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["EU"], key="s1")
    check(r.json.get("released_orders", 0) >= 1, "the EU authorisation releases it", r)
    got = api.get("/v1/inbounds/%s" % seg(ib["id"]), expect=200).json
    eq(got["status"], "expected", "back to expected", got)
    check("hold_items" not in got, "no items left", got)
    api.post("/v1/inbounds/%s/receipts" % seg(ib["id"]), {"lines": [{"sku": sku, "qty": 3}]},
             expect=200)
    # the same seller's inbound to its US warehouse: the EU authorisation does not cover it
    us = api.post("/v1/inbounds", dict(asn, warehouse="US-LAX", reference="ASN-" + rand_suffix(8)),
                  key="s1", expect=201).json
    eq((us["status"], us.get("hold_items")),
       ("on_hold", ["skus[%s].brand_authorisation" % sku]), "US: held", us)
    # an owner's SKU, or an unrecorded brand's, is never held
    own = new_brand(ctx, is_owner=True)
    free = ["HW-" + rand_suffix(5), "HU-" + rand_suffix(5)]
    mk_sku(ctx, "S1", free[0], brand=own)
    mk_sku(ctx, "S1", free[1], brand="Unrecorded" + rand_suffix(4))
    r = api.post("/v1/inbounds", dict(asn, reference="ASN-" + rand_suffix(8),
                                      lines=[{"sku": x, "qty": 1} for x in free]),
                 key="s1", expect=201)
    eq(r.json["status"], "expected", "owned and unrecorded brands pass", r)


FBA_DE = {"name": "Amazon.de DTM2", "fc_code": "DTM2", "line1": "Kaltbandstraße 4",
          "city": "Dortmund", "postcode": "44145", "country": "DE"}


def transfer_body(sku, qty, destination):
    """A transfer from DE-DUI of qty of sku (FNSKU as Amazon gives them) to destination."""
    body = {"warehouse": "DE-DUI", "destination": destination,
            "lines": [{"sku": sku, "qty": qty, "fnsku": "X00" + rand_suffix(7).upper()}]}
    if destination["type"] == "fba":
        body["shipment_id"] = "FBA15" + rand_suffix(7).upper()
    return body


@test
def test_transfer_held_and_released(ctx):
    """A transfer order of a flagged SKU is held like an order (reason compliance,
    the item named) for its destination country: an FBA centre's address, or
    the country of the haicang warehouse it goes to; it is listed with the
    holds, keeps its allocation, and an authorisation covering that country
    releases it (one for another country does not)."""
    catalog(ctx)
    api = ctx.api
    sku, name = "HT-" + rand_suffix(5), "Br" + rand_suffix(6)
    mk_sku(ctx, "S1", sku, brand=name)
    stock(ctx, "S1", "DE-DUI", [(sku, 10)])  # received before the brand was recorded
    new_brand(ctx, name=name)
    item = "skus[%s].brand_authorisation" % sku
    t = api.post("/v1/transfers", transfer_body(sku, 3, {"type": "fba", "address": FBA_DE}),
                 key="s1", expect=201).json
    eq((t["status"], t.get("hold_reason"), t.get("missing")), ("on_hold", "compliance", [item]),
       "held, item named", t)
    held = [h for h in list_all(api, "/v1/compliance/holds", key="s1") if h["id"] == t["id"]]
    eq([(h["kind"], h["market"], h["missing"]) for h in held], [("transfer", "DE", [item])],
       "listed with the holds")
    problem(api.post("/v1/transfers/%s/cartons" % seg(t["id"]),
                     {"carton": {"dims_mm": [600, 400, 400]}, "record": True}, key="op"),
            409, "status")
    # to the haicang warehouse in Los Angeles: the market is the US
    us = api.post("/v1/transfers", transfer_body(sku, 2, {"type": "haicang",
                                                          "warehouse": "US-LAX"}),
                  key="s1", expect=201).json
    eq((us["status"], us.get("missing")), ("on_hold", [item]), "to US-LAX: held", us)
    held = [h for h in list_all(api, "/v1/compliance/holds", key="admin") if h["id"] == us["id"]]
    eq([h["market"] for h in held], ["US"], "market: the destination warehouse's country")
    expect_inv(ctx, "S1", "DE-DUI", sku, allocated=5)  # held transfers keep their allocation
    # an authorisation for France covers neither
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["FR"])
    eq(r.json.get("released_orders"), 0, "FR releases nothing", r)
    eq(api.get("/v1/transfers/%s" % seg(t["id"]), key="s1", expect=200).json["status"],
       "on_hold", "still held")
    r = authorise(ctx, "S1", name, day(-1), day(100), markets=["EU"], key="s1")
    eq(r.json.get("released_orders"), 1, "the EU authorisation releases the DE one", r)
    got = api.get("/v1/transfers/%s" % seg(t["id"]), key="s1", expect=200).json
    eq((got["status"], got.get("hold_reason"), got.get("missing")), ("open", None, []),
       "released", got)
    check(t["id"] not in [h["id"] for h in list_all(api, "/v1/compliance/holds", key="s1")],
          "no longer listed")
    got = api.get("/v1/transfers/%s" % seg(us["id"]), key="s1", expect=200).json
    eq(got["status"], "on_hold", "the US one stays held", got)
    # a brand the seller owns never holds a transfer
    own_sku, own = "HW-" + rand_suffix(5), new_brand(ctx, is_owner=True)
    mk_sku(ctx, "S1", own_sku, brand=own)
    stock(ctx, "S1", "DE-DUI", [(own_sku, 2)])
    r = api.post("/v1/transfers", transfer_body(own_sku, 1, {"type": "fba", "address": FBA_DE}),
                 key="s1", expect=201)
    eq(r.json["status"], "open", "owned brand passes", r)


@test
def test_packaging_exact(ctx):
    catalog(ctx)
    api = ctx.api
    sku = "PE-" + rand_suffix(5)
    mk_sku(ctx, "S1", sku)
    path = "/v1/skus/S1/%s/packaging" % seg(sku)
    body = {"packaging": {"paper": "12.345", "plastic": "0.001", "aluminium": "3"},
            "battery": {"category": "portable", "weight_g": "45.5"},
            "eee": {"category": 6, "weight_g": "180.25"}}
    r = api.post(path, body, key="s1", expect=201)
    eq(r.json["packaging"]["paper"], "12.345", "paper")
    eq(r.json["packaging"]["glass"], "0.000", "glass")
    eq(r.json["packaging_total_g"], "15.346", "total per unit, exact")
    eq(r.json["battery"], {"category": "portable", "weight_g": "45.500"}, "battery")
    eq(r.json["eee"]["category"], 6, "EEE category")
    api.post(path, {"packaging": {"paper": "10"}}, key="s1", expect=200)
    got = api.get(path, key="s1", expect=200).json
    eq((got["packaging_total_g"], got["battery"], got["eee"]), ("10.000", None, None),
       "replaced as a whole")
    problem(api.get(path, key="s2"), 404, None, "another seller's packaging")
    api.post(path, body, key="s1", expect=200)


@test
def test_epr_report(ctx):
    catalog(ctx)
    api = ctx.api
    sku = "EP-" + rand_suffix(5)
    mk_sku(ctx, "S2", sku)
    api.post("/v1/skus/S2/%s/packaging" % seg(sku),
             {"packaging": {"paper": "12.345", "plastic": "0.001"},
              "battery": {"category": "portable", "weight_g": "45.5"},
              "eee": {"category": 6, "weight_g": "180.25"}}, key="s2", expect=201)
    bare = "EN-" + rand_suffix(5)
    mk_sku(ctx, "S2", bare)
    stock(ctx, "S2", "NL-VEN", [(sku, 10), (bare, 2)])
    o1 = create_order(ctx, order_body("S2", [(sku, 3), (bare, 2)], country="FR"), key="s2")
    o2 = create_order(ctx, order_body("S2", [(sku, 4)], country="FR"), key="s2")
    o3 = create_order(ctx, order_body("S2", [(sku, 1)], country="FR"), key="s2")
    fulfil(ctx, "NL-VEN", [o1["id"], o2["id"]], deliver=False)
    eq(get_order(ctx, o3["id"])["status"] in ("allocated", "picking", "packed"), True,
       "the third order is not shipped")
    rep = api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0),
                                                   "seller": "S2", "country": "FR"}),
                  key="s2", expect=200).json
    pk = {(x["country"], x["material"]): (x["units"], x["grams"]) for x in rep["packaging"]}
    # 7 units shipped (3 + 4) x 12.345 g of paper; earlier tests may add S2 FR shipments: only
    # this SKU's line is exact, the totals include it
    lines = [x for x in rep["lines"] if x["sku"] == sku]
    eq(len(lines), 1, "one line for the SKU")
    eq(lines[0]["units"], 7, "units shipped (the unshipped order not counted)")
    eq(lines[0]["packaging_g"]["paper"], "86.415", "7 x 12.345 g paper, exact")
    eq(lines[0]["packaging_g"]["plastic"], "0.007", "7 x 0.001 g plastic, exact")
    eq(lines[0]["battery"], {"category": "portable", "grams": "318.500"}, "batteries")
    eq(lines[0]["eee"], {"category": 6, "grams": "1261.750"}, "electronics")
    check(("FR", "paper") in pk, "a paper total for FR", None)
    missing = [x for x in rep["without_data"] if x["sku"] == bare]
    eq([(m["country"], m["units"]) for m in missing], [("FR", 2)],
       "units without packaging data listed apart")
    check(rep["units_without_data"] >= 2, "counted as without data")
    # a seller sees only its own report
    other = api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0)}), key="s1",
                    expect=200).json
    check(all(x["seller"] == "S1" for x in other["lines"] + other["without_data"]),
          "S1's report holds S1's lines only")
    problem(api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0),
                                                      "seller": "S2"}), key="s1"), 404, "seller")
    # an operator sees its warehouse's shipments only (these left NL-VEN, not DE-DUI)
    op = api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0)}), key="op",
                 expect=200).json
    eq(op["warehouse"], "DE-DUI", "the operator's warehouse")
    check(not any(x["sku"] in (sku, bare) for x in op["lines"] + op["without_data"]),
          "another warehouse's shipments are not in the operator's report")
    problem(api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0),
                                                      "warehouse": "NL-VEN"}), key="op"), 404,
            "warehouse")
    # CSV and XLSX
    r = api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0), "seller": "S2",
                                                  "format": "csv", "lang": "zh"}), expect=None)
    eq(r.status, 200, "CSV answered", r)
    check(r.ctype.startswith("text/csv"), "CSV content type", r)
    text = r.body.decode("utf-8-sig")
    check(sku in text and "86.415" in text, "the CSV holds the SKU's line", r)
    check("包装" in text, "zh headings", r)
    r = api.get(q("/v1/compliance/epr-report", **{"from": day(-1), "to": day(0),
                                                  "format": "xlsx"}), expect=None)
    eq(r.status, 200, "XLSX answered", r)
    check(r.body[:2] == b"PK", "XLSX is a zip", r)
    # bad input
    for params, field in (({"from": day(0)}, "to"), ({"from": "2026-13-01", "to": day(0)}, "from"),
                          ({"from": day(0), "to": day(-2)}, "to"),
                          ({"from": day(-1), "to": day(0), "country": "XX"}, "country"),
                          ({"from": day(-1), "to": day(0), "format": "pdf"}, "format"),
                          ({"from": day(-1), "to": day(0), "foo": "1"}, "foo")):
        problem(api.get(q("/v1/compliance/epr-report", **params)), 400, field, repr(params))


@test
def test_brand_report(ctx):
    catalog(ctx)
    api = ctx.api
    name = new_brand(ctx, seller="S2", is_owner=True, owner="Yiwu Household Goods Co., Ltd.")
    api.post("/v1/brands", {"seller": "S1", "name": name, "owner": "Yiwu Household Goods"},
             expect=201)
    # S2's legal identity as recorded before the goods moved: the report names that version
    ident = {"legal_name_zh": "义乌家居用品有限公司", "legal_name_en": "Yiwu Household Goods Co., Ltd.",
             "uscc": uscc_for("S2"), "registered_address": "浙江省义乌市福田路 1 号"}
    r = api.call("PUT", "/v1/sellers/S2/identity", body=ident, expect=(200, 201))
    version = r.json.get("version")
    sku = "BR-" + rand_suffix(5)
    mk_sku(ctx, "S2", sku, brand=name)
    mk_sku(ctx, "S1", sku, brand=name)
    stock(ctx, "S2", "NL-VEN", [(sku, 6)])
    stock(ctx, "S2", "DE-DUI", [(sku, 2)])
    o = create_order(ctx, order_body("S2", [(sku, 4)], country="NL"), key="s2")
    eq(o["warehouse"], "NL-VEN", "routed to Venlo")
    fulfil(ctx, "NL-VEN", [o["id"]], deliver=True)
    api.post("/v1/returns", {"order": o["id"], "lines": [{"sku": sku, "qty": 1,
                                                          "condition": "sellable"}]},
             expect=201)
    rep = api.get(q("/v1/compliance/brand-report", brand=name), expect=200).json
    eq(rep["brand"], name, "brand")
    rows = {(x["seller"], x["warehouse"], x["sku"]): x for x in rep["items"]}
    ven = rows.get(("S2", "NL-VEN", sku))
    check(ven is not None, "a row for S2 in NL-VEN", None)
    eq((ven["received"], ven["sold"], ven["returned"], ven["on_hand"]), (6, 4, 1, 3),
       "received, sold, returned, on hand")
    eq(ven["held_now"], True, "still held")
    eq(ven["last_held_at"], None, "held now: no last day")
    check(ven["first_received_at"] is not None, "first received")
    who = ven["seller_identity"]
    eq((who["name"], who["legal_name_en"], who["uscc"], who["identity_version"]),
       ("义乌家居用品有限公司", "Yiwu Household Goods Co., Ltd.", uscc_for("S2"), version),
       "the identity valid at the last move")
    # a later change of identity does not rewrite what the report says of the past
    ident["legal_name_en"] = "Yiwu Household Goods Group Co., Ltd."
    api.call("PUT", "/v1/sellers/S2/identity", body=ident, expect=(200, 201))
    again = api.get(q("/v1/compliance/brand-report", brand=name), expect=200).json
    row = [x for x in again["items"] if x["warehouse"] == "NL-VEN" and x["seller"] == "S2"][0]
    eq(row["seller_identity"]["legal_name_en"], "Yiwu Household Goods Co., Ltd.",
       "the identity at the time, not the latest")
    dui = rows.get(("S2", "DE-DUI", sku))
    eq((dui["received"], dui["on_hand"]), (2, 2), "DE-DUI row")
    check(not any(k[0] == "S1" for k in rows), "S1 never held the brand: no rows")
    # an operator sees its warehouse's rows only
    op = api.get(q("/v1/compliance/brand-report", brand=name), key="op", expect=200).json
    eq(sorted({x["warehouse"] for x in op["items"]}), ["DE-DUI"], "operator: DE-DUI only")
    problem(api.get(q("/v1/compliance/brand-report", brand=name, warehouse="NL-VEN"), key="op"),
            404, "warehouse")
    r = api.get(q("/v1/compliance/brand-report", brand=name, format="csv"), expect=None)
    eq(r.status, 200, "CSV answered", r)
    text = r.body.decode("utf-8-sig")
    check(sku in text and "NL-VEN" in text, "CSV lists the row", r)
    r = api.get(q("/v1/compliance/brand-report", brand=name, format="xlsx", lang="zh"),
                expect=None)
    eq(r.status, 200, "XLSX answered", r)
    check(r.body[:2] == b"PK", "XLSX", r)
    eq(api.get(q("/v1/compliance/brand-report", brand="NoSuchBrand" + rand_suffix(4)),
               expect=200).json["items"], [], "an unknown brand: no rows")
    problem(api.get("/v1/compliance/brand-report"), 400, "brand")
    problem(api.get(q("/v1/compliance/brand-report", brand=name, format="pdf")), 400, "format")
    problem(api.get(q("/v1/compliance/brand-report", brand=name, sku="x")), 400, "sku")


@test
def test_openapi_lists_routes(ctx):
    doc = ctx.api.get("/v1/openapi.json", key=None, expect=200).json
    for path in ("/v1/brands", "/v1/brands/{seller}/{name}/authorisations",
                 "/v1/compliance/brand-report", "/v1/compliance/epr-report",
                 "/v1/skus/{seller}/{sku}/packaging", "/v1/compliance/brand-skus"):
        check(path in doc["paths"], "OpenAPI lists %s" % path)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

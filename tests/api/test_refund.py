#!/usr/bin/env python3
"""haicang API tests: the overseas-warehouse export VAT refund (issue 10 part 8,
STA Announcement 2025 No. 3).

One seller, one overseas warehouse (US-LAX) and three 9810 lists released by
customs on 2025-03-10, 2026-03-10 and 2026-09-01, given declaration numbers by
CEB792. The seller is a manufacturer (免抵退, VAT 13 %) for the first two
filings and a trading company (免退) for the third; every amount is checked
against figures computed by hand below (USD/CNY 7.1234, half-even fen):

  list 1 (E1): EAR-1 x4 = USD 50.00 -> CNY 356.17, 13 % -> 46.30;
               TEE-1 x2 = USD 19.98 -> CNY 142.33 (142.325532), 9 % -> 12.81,
               not creditable 4 % -> 5.69
  list 2 (E2): EAR-1 x20 = USD 250.00 -> CNY 1780.85, 13 % -> 231.51;
               TEE-1 x12 = USD 119.88 -> CNY 853.95, 9 % -> 76.86 (76.8555)
  list 3 (E3): trading, EAR-1 at CNY 60.00 a unit (per SKU), TEE-1 CNY 231.50
               for the item; TEE-1's rate is 13 % from 2026-06-01.

Filing 1 (2025-04-01) is all pre-refund, granted 2025-04-20: past its deadline
(2026-04-30) without a reconciliation it is recovered; reconciled in April it
is repaid. Filing 2 (2026-04-01) is reconciled in 2026-11 after consumer
sales: EAR-1 sold at the declared amount (no adjustment), TEE-1 at USD 8.00
instead of 9.99 (refile: USD 96.00 -> CNY 683.85, 9 % -> 61.55, difference
-15.31). Filing 3 (today) splits list 3 into sold and unsold (HWC-YT) parts;
a consumer return of a sold unit within six months is a repayment.

    python3 tests/api/test_refund.py --bin build/src/cli/haicang --db sqlite|mariadb
"""

import datetime
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (SELLER_KEYS, check, customs_env, eq, problem, q,  # noqa: E402
                    run_server_suite, seg)
from fixtures import LOCATIONS, WAREHOUSES, fulfil  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, api, workdir, binary, db):
        self.api = api
        self.workdir = workdir
        self.binary = binary
        self.db = db
        self.s = {}


E1, E2, E3 = "292920251000000001", "292920261000000002", "292920261000000003"


def today():
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")


def message(type_, body):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<ceb:CEB%sMessage '
            'guid="311af125-6fed-4603-8c5d-49b1fa4b4b9b" version="1.0" '
            'xmlns:ceb="http://www.chinaport.gov.cn/ceb">%s</ceb:CEB%sMessage>'
            % (type_, body, type_)).encode("utf-8")


def receipt(ctx, type_, body):
    return ctx.api.post("/v1/customs/receipts", raw=message(type_, body),
                        headers={"Content-Type": "application/xml"}, expect=200)


def release(ctx, list_id, invt, time):
    receipt(ctx, "604", "<ceb:InventoryReturn><ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94"
            "</ceb:guid><ceb:copNo>%s</ceb:copNo><ceb:preNo>P20260315000000001</ceb:preNo>"
            "<ceb:invtNo>%s</ceb:invtNo><ceb:returnStatus>800</ceb:returnStatus>"
            "<ceb:returnTime>%s</ceb:returnTime><ceb:returnInfo>放行</ceb:returnInfo>"
            "</ceb:InventoryReturn>" % (list_id, invt, time))


def entry(ctx, invt, entry_id, gnums):
    items = "".join("<ceb:SummaryResultList><ceb:invtNo>%s</ceb:invtNo><ceb:logisticsNo>L"
                    "</ceb:logisticsNo><ceb:gseqno>%d</ceb:gseqno><ceb:gnum>%d</ceb:gnum>"
                    "<ceb:gcode>0</ceb:gcode></ceb:SummaryResultList>" % (invt, g, g)
                    for g in gnums)
    receipt(ctx, "792", "<ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>X</ceb:guid>"
            "<ceb:opDate>20260403101112012</ceb:opDate><ceb:entryId>%s</ceb:entryId>"
            "<ceb:decState>10</ceb:decState></ceb:SummaryResultHead>%s</ceb:SummaryResult>"
            % (entry_id, items))


def csv(ctx, path, text, key="s1", expect=201, **params):
    return ctx.api.call("POST", q(path, **params), raw=text.encode(), key=key,
                        headers={"Content-Type": "text/csv"}, expect=expect)


def by_key(items):
    return {(i["entry_id"], i["entry_gnum"]): i for i in items}


def parts(item):
    return [(p["part"], p["business_type"], p["qty"], p["basis"], p["non_creditable"],
             p["refund"]) for p in item["parts"]]


def ship(ctx, lines, deliver=True):
    """An order of S1 from US-LAX with (sku, qty, unit price USD) lines, shipped."""
    body = {"seller": "S1", "channel": "shop", "channel_order_id": "RF-%d" % len(ctx.s.setdefault("orders", [])),
            "ship_to": {"name": "Jane Doe", "country": "US", "postcode": "90045",
                        "city": "Los Angeles", "line1": "1 World Way"},
            "lines": [{"sku": s, "qty": n, "unit_price": {"amount": p, "currency": "USD"}}
                      for s, n, p in lines]}
    o = ctx.api.post("/v1/orders", body, key="s1", expect=201).json
    eq(o.get("warehouse"), "US-LAX", "order routed to US-LAX")
    fulfil(ctx, "US-LAX", [o["id"]], deliver=deliver)
    ctx.s["orders"].append(o["id"])
    return o["id"]


def report(ctx, date=None, key="s1", **kw):
    params = {"date": date} if date else {}
    params.update(kw)
    return ctx.api.get(q("/v1/refunds/report", **params), key=key, expect=200).json


# ------------------------------------------------------------------------ tests

@test
def setup_9810_flow(ctx):
    a = ctx.api
    a.post("/v1/sellers", {"code": "S1", "name": "深圳安科电子有限公司", "country": "CN",
                           "customs_code": "4403960ABC"}, expect=201)
    a.post("/v1/sellers", {"code": "S2", "name": "Seller two", "country": "CN"}, expect=201)
    wh = [w for w in WAREHOUSES if w["code"] == "US-LAX"][0]
    a.post("/v1/warehouses", wh, expect=201)
    a.post("/v1/warehouses/US-LAX/locations", {"locations": LOCATIONS["US-LAX"]}, expect=201)
    for sku, hs, price in (("EAR-1", "8518300000", "12.50"), ("TEE-1", "6109100021", "9.99")):
        a.post("/v1/skus", {"seller": "S1", "sku": sku, "name": "Item " + sku, "name_zh": "商品",
                            "hs_code": hs, "declared_value": {"amount": price, "currency": "USD"},
                            "origin_country": "CN", "dims_mm": [100, 80, 40], "weight_g": 150,
                            "brand": "Anko"}, key="s1", expect=201)
    for role, code, name, dxp in (("ebp", "3301960ABC", "海仓平台", None),
                                  ("logistics", "3301980XYZ", "海仓物流", None),
                                  ("agent", "3301960AGT", "杭州海仓报关有限公司", "DXPENT0000000001")):
        body = {"role": role, "code": code, "name": name}
        if dxp:
            body["dxp_id"] = dxp
        a.post("/v1/customs/registrations", body, key="s1", expect=201)
    flows = ((E1, "29922025E000000001", "20250310120000000", 4, 2),
             (E2, "29922026E000000002", "20260310120000000", 20, 12),
             (E3, "29922026E000000003", "20260901120000000", 10, 5))
    lists = []
    for n, (eid, invt, when, ear, tee) in enumerate(flows):
        lines = [{"sku": "EAR-1", "qty": ear}, {"sku": "TEE-1", "qty": tee}]
        inb = a.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX",
                                      "reference": "PO-RF-%d" % n, "lines": lines},
                     key="s1", expect=201).json
        l = a.post("/v1/customs/lists", {"mode": "9810", "inbound": inb["id"]}, key="s1",
                   expect=201).json
        release(ctx, l["id"], invt, when)
        if eid != E3:  # list 3's declaration number comes later
            entry(ctx, invt, eid, (1, 2))
        a.post("/v1/inbounds/%s/receipts" % seg(inb["id"]), {"lines": lines}, expect=200)
        a.post("/v1/inbounds/%s/putaway" % seg(inb["id"]), {}, expect=200)
        lists.append(l["id"])
    ctx.s["lists"] = lists
    l1 = a.get("/v1/customs/lists/%s" % seg(lists[0]), key="s1", expect=200).json
    eq([i["entry_id"] for i in l1["items"]], [E1, E1], "CEB792 numbered list 1's items")
    rates = ("base,quote,day,rate,source\n" +
             "".join("USD,CNY,%s,7.1234,test\n" % d for d in ("2025-03-10", "2026-03-10", "2026-09-01")))
    ctx.api.call("POST", "/v1/fx/rates", raw=rates.encode(), headers={"Content-Type": "text/csv"},
                 expect=201)


@test
def profile_rates_and_bad_input(ctx):
    a = ctx.api
    # no profile: the report cannot say how to compute
    problem(a.get("/v1/refunds/report", key="s1"), 409, "profile")
    problem(a.post("/v1/sellers/S1/refund-profile", {"company_type": "shop", "vat_rate": "13"},
                   key="s1"), 400, "company_type")
    problem(a.post("/v1/sellers/S1/refund-profile", {"company_type": "manufacturer",
                                                     "vat_rate": "13.5"}, key="s1"), 400, "vat_rate")
    problem(a.post("/v1/sellers/S1/refund-profile", {"company_type": "manufacturer",
                                                     "vat_rate": "13"}, key="s2"), 404, "code")
    problem(a.post("/v1/sellers/S1/refund-profile", {"company_type": "manufacturer", "vat": "13",
                                                     "vat_rate": "13"}, key="s1"), 400, "vat")
    r = a.post("/v1/sellers/S1/refund-profile", {"company_type": "manufacturer", "vat_rate": "13"},
               key="s1", expect=200).json
    eq((r["company_type"], r["vat_rate"]), ("manufacturer", "13"), "profile")
    # without rates every item is blocked on its HS code
    items = by_key(a.get(q("/v1/refunds/items", date="2025-04-01"), key="s1", expect=200).json["items"])
    eq(items[(E1, 1)]["blocked"]["field"], "hs_code", "no rate: blocked on hs_code")
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01",
                                           "items": [{"entry_id": E1, "entry_gnum": 1}]}, key="s1"),
            409, "items[0].hs_code")
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01", "items": [{"entry_gnum": 1}]},
                   key="s1"), 400, "items[0].entry_id")
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01",
                                           "items": [{"entry_id": E1, "gnum": 1}]}, key="s1"),
            400, "items[0].gnum")
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01", "grantd_on": "2025-04-20"},
                   key="s1"), 400, "grantd_on")
    # rates outside 0-13 %, bad HS codes: 400 naming the field, nothing stored
    problem(a.post("/v1/refunds/rates", {"rates": [{"hs_code": "8518", "effective_from": "2020-01-01",
                                                    "rate": "13.5"}]}, key="s1"), 400, "rates[0].rate")
    problem(a.post("/v1/refunds/rates", {"rates": [{"hs_code": "8518", "effective_from": "2020-01-01",
                                                    "rate": "13"},
                                                   {"hs_code": "85", "effective_from": "2020-01-01",
                                                    "rate": "9"}]}, key="s1"), 400, "rates[1].hs_code")
    problem(csv(ctx, "/v1/refunds/rates", "hs_code,effective_from,rate\n8518,2020-01-01,-1\n",
                expect=None), 400, "line 2: rate")
    eq(a.get("/v1/refunds/rates", key="s1", expect=200).json["items"], [], "nothing stored")
    problem(a.get(q("/v1/refunds/rates"), key="admin"), 400, "seller")
    problem(a.get(q("/v1/refunds/rates", seller="S1"), key="s2"), 404, "seller")
    problem(a.get(q("/v1/refunds/report", sellr="S1"), key="s1"), 400, "sellr")
    r = csv(ctx, "/v1/refunds/rates", "hs_code,effective_from,rate,source\n"
            "8518,2020-01-01,13,STA library\n6109100021,2020-01-01,9,STA library\n"
            "6109100021,2026-06-01,13,STA library\n")
    eq(r.json["imported"], 3, "rates imported")
    got = a.get(q("/v1/refunds/rates", seller="S1"), key="admin", expect=200).json["items"]
    eq([(x["hs_code"], x["effective_from"], x["rate"]) for x in got],
       [("6109100021", "2020-01-01", "9"), ("6109100021", "2026-06-01", "13"),
        ("8518", "2020-01-01", "13")], "rates listed")


@test
def manufacturer_amounts_and_filing_1(ctx):
    a = ctx.api
    r = a.get(q("/v1/refunds/items", date="2025-04-01"), key="s1", expect=200).json
    items = by_key(r["items"])
    eq(sorted(items), [(E1, 1), (E1, 2)], "only list 1 was exported by 2025-04-01")
    ear, tee = items[(E1, 1)], items[(E1, 2)]
    eq((ear["fob"], ear["currency"], ear["fx_rate"], ear["refund_rate"]),
       ("50", "USD", "7.1234", "13"), "EAR-1 FOB (as declared), rate")
    eq(ear["total"], {"basis": "356.17", "non_creditable": "0.00", "refund": "46.30"}, "EAR-1")
    eq(tee["total"], {"basis": "142.33", "non_creditable": "5.69", "refund": "12.81"}, "TEE-1")
    eq(parts(tee), [("unsold", "HWC-YT", 2, "142.33", "5.69", "12.81")], "all unsold")
    r = a.post("/v1/refunds/filings", {"filed_on": "2025-04-01"}, key="s1", expect=201).json
    eq((r["lines"], r["basis"], r["refund"]), (2, "498.50", "59.11"), "filing 1 totals")
    ctx.s["f1"] = r["id"]
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01"}, key="s1"), 409, "items")
    problem(a.post("/v1/refunds/filings", {"filed_on": "2025-04-01",
                                           "items": [{"entry_id": E1, "entry_gnum": 1}]}, key="s1"),
            409, "items[0].entry_gnum")
    problem(a.post("/v1/refunds/filings/%s/grant" % r["id"], {"granted_on": "2025-03-01"},
                   key="s1"), 400, "granted_on")
    problem(a.post("/v1/refunds/filings/%s/grant" % r["id"], {"granted_on": "2025-04-20"},
                   key="s2"), 404, "id")
    g = a.post("/v1/refunds/filings/%s/grant" % r["id"], {"granted_on": "2025-04-20"}, key="s1",
               expect=200).json
    eq(g["granted_on"], "2025-04-20", "granted")
    problem(a.post("/v1/refunds/filings/%s/grant" % r["id"], {"granted_on": "2025-04-21"},
                   key="s1"), 409, "granted_on")
    problem(a.post("/v1/refunds/filings/rfd_0/grant", {"granted_on": "2025-04-21"}, key="s1"),
            404, "id")
    # filing 2: list 2's items only, granted at once
    r = a.post("/v1/refunds/filings", {"filed_on": "2026-04-01", "granted_on": "2026-04-20",
                                       "items": [{"entry_id": E2, "entry_gnum": 1},
                                                 {"entry_id": E2, "entry_gnum": 2}]},
               key="s1", expect=201).json
    eq((r["basis"], r["refund"]), ("2634.80", "308.37"), "filing 2 totals (1780.85 + 853.95)")
    eq([(i["entry_gnum"], i["total"]["refund"]) for i in r["items"]], [(1, "231.51"), (2, "76.86")],
       "filing 2 lines")
    ctx.s["f2"] = r["id"]
    got = a.get("/v1/refunds/filings/%s" % r["id"], key="s1", expect=200).json
    eq(got["refund"], "308.37", "filing read back")
    problem(a.get("/v1/refunds/filings/%s" % r["id"], key="s2"), 404, "id")
    eq(len(a.get("/v1/refunds/filings", key="s1", expect=200).json["items"]), 2, "two filings")


@test
def deadline_recovered_then_repaid(ctx):
    a = ctx.api
    rep = report(ctx, "2026-05-05")
    eq([(x["entry_id"], x["outcome"], x["repay"]) for x in rep["recovered"]["lines"]],
       [(E1, "recovered", "46.30"), (E1, "recovered", "12.81")],
       "filing 1 not reconciled by 2026-04-30: recovered")
    eq(rep["recovered"]["total"], "59.11", "recovered total")
    one = report(ctx, "2026-05-05", limit="1")
    eq((len(one["recovered"]["lines"]), one["recovered"]["count"], one["recovered"]["total"]),
       (1, 2, "59.11"), "limit: one line shown, the count and total of all")
    problem(ctx.api.get(q("/v1/refunds/report", limit="0"), key="s1"), 400, "limit")
    rec = {(x["entry_id"], x["entry_gnum"]): x for x in rep["reconcile"]["lines"]}
    eq(rec[(E2, 1)]["outcome"], "pending", "filing 2 pending")
    eq((rec[(E2, 1)]["first_month"], rec[(E2, 1)]["deadline"]), ("2026-05", "2027-04-30"),
       "reconciliation months of filing 2")
    eq(rep["reconcile"]["next_month"], "2026-05", "next reconciliation")
    eq(rep["file"]["items"], [], "list 3 not yet exported by 2026-05-05... nor numbered")
    # the April reconciliation: still unsold -> repay the whole pre-refund
    problem(a.post("/v1/refunds/reconciliations", {"period": "2026-13"}, key="s1"), 400, "period")
    problem(a.post("/v1/refunds/reconciliations", {"period": "2025-04"}, key="s1"), 409, "period")
    r = a.post("/v1/refunds/reconciliations", {"period": "2026-04", "recorded_on": "2026-04-15"},
               key="s1", expect=201).json
    eq([(x["entry_id"], x["outcome"], x["repay"]) for x in r["lines"]],
       [(E1, "repay", "46.30"), (E1, "repay", "12.81")], "April: repay")
    eq(r["repay"], "59.11", "repay total")
    problem(a.post("/v1/refunds/reconciliations", {"period": "2026-04", "recorded_on": "2026-04-16"},
                   key="s1"), 409, "period")
    rep = report(ctx, "2026-05-05")
    eq(rep["recovered"]["lines"], [], "nothing recovered once reconciled")
    eq([(x["reason"], x["repay"], x["due"]) for x in rep["repay"]["lines"]],
       [("unsold at deadline", "46.30", "2026-04-30"), ("unsold at deadline", "12.81", "2026-04-30")],
       "repay due by the deadline")


@test
def sales_reconciled(ctx):
    a = ctx.api
    ship(ctx, [("EAR-1", 24, "12.50"), ("TEE-1", 14, "8.00")])
    rep = report(ctx)
    rec = {(x["entry_id"], x["entry_gnum"]): x for x in rep["reconcile"]["lines"]}
    eq((rec[(E2, 1)]["sold_qty"], rec[(E2, 1)]["outcome"]), (20, "no_adjustment"),
       "EAR-1 of list 2 all sold (list 1's 4 went first) at the declared amount")
    eq((rec[(E2, 2)]["sold_qty"], rec[(E2, 2)]["sold_for"]["amount"], rec[(E2, 2)]["outcome"]),
       (12, "96.00000", "refile"), "TEE-1 sold at USD 8.00")
    month = today()[:7]
    r = a.post("/v1/refunds/reconciliations", {"period": month}, key="s1", expect=201).json
    got = {(x["entry_id"], x["entry_gnum"]): x for x in r["lines"]}
    eq((got[(E2, 1)]["outcome"], got[(E2, 1)]["difference"]), ("no_adjustment", "0.00"), "EAR-1")
    eq((got[(E2, 2)]["outcome"], got[(E2, 2)]["new_refund"], got[(E2, 2)]["difference"]),
       ("refile", "61.55", "-15.31"), "TEE-1 refiled with the difference")
    eq(r["difference"], "-15.31", "difference into the next period")
    rep = report(ctx)
    eq([x for x in rep["reconcile"]["lines"] if x["entry_id"] == E2 and "reconciled_in" not in x],
       [], "filing 2 closed")


@test
def trading_company_split_and_return(ctx):
    a = ctx.api
    entry(ctx, "29922026E000000003", E3, (1, 2))
    a.post("/v1/sellers/S1/refund-profile", {"company_type": "trading", "vat_rate": "13"},
           key="s1", expect=200)
    items = by_key(a.get("/v1/refunds/items", key="s1", expect=200).json["items"])
    eq(items[(E3, 1)]["blocked"]["field"], "invoice", "a trading company needs its invoices")
    problem(a.post("/v1/refunds/filings", {"filed_on": today(),
                                           "items": [{"entry_id": E3, "entry_gnum": 1}]}, key="s1"),
            409, "items[0].invoice")
    problem(a.post("/v1/refunds/invoices", {"invoices": [{"sku": "EAR-1", "amount": "-1.00"}]},
                   key="s1"), 400, "invoices[0].amount")
    problem(a.post("/v1/refunds/invoices", {"invoices": [{"amount": "1.00"}]}, key="s1"), 400,
            "invoices[0].entry_id")
    problem(csv(ctx, "/v1/refunds/invoices", "entry_id,entry_gnum,sku,amount\n,,EAR-1,-5\n",
                expect=None), 400, "line 2: amount")
    eq(a.get("/v1/refunds/invoices", key="s1", expect=200).json["items"], [], "nothing stored")
    csv(ctx, "/v1/refunds/invoices", "entry_id,entry_gnum,sku,amount,invoice_no\n"
        ",,EAR-1,60.00,INV-1\n%s,2,,231.50,INV-2\n" % E3)
    ship(ctx, [("EAR-1", 3, "12.50"), ("TEE-1", 1, "9.99")])
    r = a.post("/v1/refunds/filings", {"filed_on": today()}, key="s1", expect=201).json
    got = by_key(r["items"])
    eq(sorted(got), [(E3, 1), (E3, 2)], "list 3 filed")
    eq(parts(got[(E3, 1)]), [("sold", "", 3, "180.00", "0.00", "23.40"),
                             ("unsold", "HWC-YT", 7, "420.00", "0.00", "54.60")],
       "EAR-1: 3 sold abroad, 7 pre-refund (60.00 a unit)")
    eq(parts(got[(E3, 2)]), [("sold", "", 1, "46.30", "0.00", "6.02"),
                             ("unsold", "HWC-YT", 4, "185.20", "0.00", "24.08")],
       "TEE-1: the item's invoice split, 13 % from 2026-06-01")
    eq(r["refund"], "108.10", "total = the sum of the lines")
    # a buyer returns one EAR-1 of the last order within six months: repay first
    o3 = ctx.s["orders"][-1]
    a.post("/v1/returns", {"order": o3, "lines": [{"sku": "EAR-1", "qty": 1,
                                                   "condition": "sellable"}]},
           key="s1", expect=201)
    rep = report(ctx)
    ret = [x for x in rep["repay"]["lines"] if x["reason"] == "returned"]
    eq([(x["entry_id"], x["qty"], x["repay"], x["due"]) for x in ret],
       [(E3, 1, "7.80", today())], "refund of the returned unit repaid")


@test
def items_paged(ctx):
    """GET /v1/refunds/items a page at a time: walking next_cursor with limit 1
    and 4 gives every item once, in the order of the one long page."""
    a = ctx.api
    whole = a.get(q("/v1/refunds/items", limit=1000), key="s1", expect=200).json
    eq(whole["next_cursor"], None, "all six items on one page of 1000")
    keys = [(i["entry_id"], i["entry_gnum"]) for i in whole["items"]]
    eq(sorted(keys), [(e, g) for e in (E1, E2, E3) for g in (1, 2)], "three lists, two items each")
    for limit in (1, 4):
        got, cursor, pages = [], None, 0
        while True:
            r = a.get(q("/v1/refunds/items", limit=limit, cursor=cursor), key="s1", expect=200).json
            check(len(r["items"]) <= limit, "a page holds at most limit items")
            got += [(i["entry_id"], i["entry_gnum"]) for i in r["items"]]
            pages += 1
            cursor = r["next_cursor"]
            if cursor is None:
                break
        eq(got, keys, "limit %d: the pages walk every item once, in order" % limit)
        eq(pages, -(-len(keys) // limit), "limit %d: no empty page at the end" % limit)
    admin = a.get(q("/v1/refunds/items", seller="S1", limit=2), key="admin", expect=200).json
    eq([(i["entry_id"], i["entry_gnum"]) for i in admin["items"]], keys[:2], "admin's first page")
    problem(a.get(q("/v1/refunds/items", cursor="no-such/1"), key="s1"), 400, "cursor")
    problem(a.get(q("/v1/refunds/items", cursor="x"), key="s1"), 400, "cursor")
    problem(a.get(q("/v1/refunds/items", limit=0), key="s1"), 400, "limit")
    problem(a.get(q("/v1/refunds/items", seller="S1", cursor=admin["next_cursor"]), key="s2"),
            404, "seller")
    doc = a.get("/v1/openapi.json", key=None, expect=200).json
    names = [p["name"] for p in doc["paths"]["/v1/refunds/items"]["get"].get("parameters", [])]
    check("limit" in names and "cursor" in names, "items' limit and cursor in the OpenAPI")


@test
def tenancy_and_openapi(ctx):
    a = ctx.api
    problem(a.get(q("/v1/refunds/report", seller="S1"), key="s2"), 404, "seller")
    problem(a.get("/v1/refunds/report", key="s2"), 409, "profile")
    problem(a.get(q("/v1/refunds/report", seller="NOPE"), key="admin"), 404, "seller")
    problem(a.get("/v1/refunds/report", key="op"), 403)
    problem(a.get(q("/v1/refunds/report", date="2099-01-01"), key="s1"), 400, "date")
    r = a.get(q("/v1/refunds/report", seller="S1"), key="admin", expect=200).json
    eq(r["seller"], "S1", "admin names the seller")
    doc = a.get("/v1/openapi.json", key=None, expect=200).json
    for p in ("/v1/refunds/report", "/v1/refunds/filings", "/v1/refunds/rates",
              "/v1/refunds/invoices", "/v1/refunds/reconciliations",
              "/v1/sellers/{code}/refund-profile"):
        check(p in doc["paths"], "%s in the OpenAPI document" % p)


def main():
    keys = tuple((n, ["--role", "operator", "--warehouse", "US-LAX"]) if n == "op" else (n, a)
                 for n, a in SELLER_KEYS)
    return run_server_suite(__doc__, TESTS, "refund",
                            lambda api, server, binary, db, workdir: Ctx(api, workdir, binary, db),
                            keys=keys, env=lambda workdir: customs_env(workdir, "2992"))


if __name__ == "__main__":
    sys.exit(main())

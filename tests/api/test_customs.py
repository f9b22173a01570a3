#!/usr/bin/env python3
"""Black-box HTTP tests of the customs routes (issue 4).

Starts the real `haicang serve` on a temporary database with a customs
directory and an SM2 signing key of its own (made with the openssl command),
then: registrations, a 9810 booking for an inbound and 9610 orders declared
(messages in the outbox, XML served back, signed), receipts moving states,
CEB792 entry ids, the monthly summary, a cross-zone return with its tally,
inspect-before-load, the inbox import, bad input naming the field, tenancy;
an inbound of 150 lines split into two lists, a summary over the 50-line
limit split into two declarations, messages left queued when the outbox
cannot be written and flushed later by the CLI, and the demo's customs data.
Ends with one line `N passed, N failed`.

    python3 tests/api/test_customs.py --bin build/src/cli/haicang [--db sqlite|mariadb|mysql://...]

Standard library only; uses tests/api/common.py.
"""

import glob
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (SELLER_KEYS, Fail, check, customs_env, eq, problem, q,  # noqa: E402
                    run_server_suite, seg)

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
        self.outbox = os.path.join(workdir, "customs", "outbox")
        self.inbox = os.path.join(workdir, "customs", "inbox")
        self.s = {}  # state shared along the suite, in order


ADDR_US = {"name": "Jane Doe", "country": "US", "postcode": "90045", "city": "Los Angeles",
           "line1": "1 World Way"}
ADDR_JP = {"name": "Taro Yamada", "country": "JP", "postcode": "100-0001", "city": "Tokyo",
           "line1": "1-1 Chiyoda"}
ADDR_DE = {"name": "Max Mustermann", "country": "DE", "postcode": "47051", "city": "Duisburg",
           "line1": "Königstraße 1"}


def r604(cop, invt, status, time, info):
    return ("<ceb:InventoryReturn><ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>"
            "<ceb:copNo>%s</ceb:copNo><ceb:preNo>P20260315000000001</ceb:preNo>"
            "<ceb:invtNo>%s</ceb:invtNo><ceb:returnStatus>%d</ceb:returnStatus>"
            "<ceb:returnTime>%s</ceb:returnTime><ceb:returnInfo>%s</ceb:returnInfo>"
            "</ceb:InventoryReturn>" % (cop, invt, status, time, info))


def message(type_, body):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<ceb:CEB%sMessage '
            'guid="311af125-6fed-4603-8c5d-49b1fa4b4b9b" version="1.0" '
            'xmlns:ceb="http://www.chinaport.gov.cn/ceb">%s</ceb:CEB%sMessage>'
            % (type_, body, type_)).encode("utf-8")


def post_receipt(ctx, type_, body, expect=200):
    return ctx.api.post("/v1/customs/receipts", raw=message(type_, body),
                        headers={"Content-Type": "application/xml"}, expect=expect)


def get_xml(ctx, doc, msg, key="admin"):
    """A stored message; XML, so the harness's JSON check is done here instead."""
    r = ctx.api.get(q("/v1/customs/lists/%s/xml" % seg(doc), msg=msg), key=key)
    eq(r.status, 200, "GET %s xml status" % msg, r)
    check(r.ctype.startswith("application/xml"), "XML content type", r)
    return r


def outbox_files(ctx, prefix=""):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(ctx.outbox, prefix + "*.xml")))


# ------------------------------------------------------------------------ tests

@test
def setup_catalog(ctx):
    a = ctx.api
    a.post("/v1/sellers", {"code": "S1", "name": "深圳安克贸易有限公司", "country": "CN",
                           "customs_code": "4403960ABC"}, expect=201)
    a.post("/v1/sellers", {"code": "S2", "name": "Seller two", "country": "CN"}, expect=201)
    a.post("/v1/warehouses", {"code": "US-LAX", "name": "海仓洛杉矶仓", "country": "US",
                              "address": {"line1": "1 Harbor Blvd", "city": "Los Angeles",
                                          "postcode": "90731", "country": "US"},
                              "timezone": "America/Los_Angeles"}, expect=201)
    for sku, name, zh, hs, amount, w in (("EAR-1", "Bluetooth earphones", "蓝牙耳机", "8518300000",
                                          "12.50", 150),
                                         ("TEE-1", "Cotton T-shirt", "棉制T恤", "6109100021",
                                          "9.99", 200)):
        a.post("/v1/skus", {"seller": "S1", "sku": sku, "name": name, "name_zh": zh,
                            "hs_code": hs, "declared_value": {"amount": amount, "currency": "USD"},
                            "origin_country": "CN", "dims_mm": [100, 80, 40], "weight_g": w,
                            "brand": "Anko"}, key="s1", expect=201)
    # a warehouse in China with stock: the 9610 parcels leave from there
    a.post("/v1/warehouses", {"code": "CN-SZX", "name": "深圳直邮仓", "country": "CN",
                              "address": {"line1": "1 Futian Rd", "city": "Shenzhen",
                                          "postcode": "518000", "country": "CN"},
                              "timezone": "Asia/Shanghai"}, expect=201)
    inb = a.post("/v1/inbounds", {"seller": "S1", "warehouse": "CN-SZX", "reference": "CN-STOCK",
                                  "lines": [{"sku": "EAR-1", "qty": 100}, {"sku": "TEE-1", "qty": 100}]},
                 key="s1", expect=201).json
    a.post("/v1/inbounds/%s/receipts" % seg(inb["id"]),
           {"lines": [{"sku": "EAR-1", "qty": 100}, {"sku": "TEE-1", "qty": 100}]}, expect=200)


@test
def registrations(ctx):
    a = ctx.api
    for role, code, name, dxp in (("ebp", "3301960ABC", "海仓平台", None),
                                  ("logistics", "3301980XYZ", "海仓物流", None),
                                  ("agent", "3301960AGT", "杭州海仓报关有限公司", "DXPENT0000000001")):
        body = {"role": role, "code": code, "name": name}
        if dxp:
            body["dxp_id"] = dxp
        r = a.post("/v1/customs/registrations", body, key="s1", expect=201)
        eq(r.json["seller"], "S1", "seller")
        eq(r.json["code"], code, "code")
    r = a.get(q("/v1/customs/registrations", seller="S1"), expect=200)
    eq(len(r.json["items"]), 3, "registrations")
    problem(a.post("/v1/customs/registrations", {"seller": "S1", "role": "agent", "code": "12345",
                                                  "name": "x"}), 400, "code")
    problem(a.post("/v1/customs/registrations", {"seller": "S1", "role": "bank",
                                                  "code": "3301960AGT", "name": "x"}), 400, "role")
    problem(a.post("/v1/customs/registrations", {"seller": "S1", "role": "ebp",
                                                  "code": "3301960ABC", "name": "x"}, key="s2"),
            404, "seller")
    problem(a.post("/v1/customs/registrations", {"role": "ebp", "code": "3301960ABC"}, key="s1"),
            400, "name")


@test
def declare_9810_inbound(ctx):
    a = ctx.api
    # issue 8: USD 3698.80 is over RMB 5,000: not a list (customs declaration form)
    big = a.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX", "reference": "PO-76",
                                  "lines": [{"sku": "EAR-1", "qty": 200}, {"sku": "TEE-1", "qty": 120}]},
                 key="s1", expect=201).json
    problem(a.post("/v1/customs/lists", {"mode": "9810", "inbound": big["id"]}, key="s1"), 409,
            "total_price")
    inb = a.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX", "reference": "PO-77",
                                  "lines": [{"sku": "EAR-1", "qty": 20}, {"sku": "TEE-1", "qty": 12}]},
                 key="s1", expect=201).json
    r = a.post("/v1/customs/lists", {"mode": "9810", "inbound": inb["id"]}, key="s1", expect=201)
    l = r.json
    eq(l["mode"], "9810", "mode")
    eq(l["inbound"], inb["id"], "inbound")
    eq(l["state"], 2, "state")
    eq(l["total_price"], "369.88", "total_price")
    eq([m["type"] for m in l["messages"]], ["CEB303", "CEB603"], "messages")
    for m in l["messages"]:
        check(os.path.exists(os.path.join(ctx.outbox, m["file"])), "%s in the outbox" % m["file"], r)
    x = get_xml(ctx, l["id"], "CEB303")
    check(x.ctype.startswith("application/xml"), "xml content type", x)
    text = x.body.decode("utf-8")
    check("<ceb:orderType>W</ceb:orderType>" in text, "booking is orderType W", x)
    check("海仓洛杉矶仓" in text, "the warehouse is the booking party", x)
    check("ds:Signature" in text, "signed", x)
    ctx.s["list_9810"] = l["id"]
    # the same inbound twice
    problem(a.post("/v1/customs/lists", {"mode": "9810", "inbound": inb["id"]}, key="s1"), 409,
            "inbound")


@test
def declare_9610_orders(ctx):
    a = ctx.api
    ids = []
    for i, addr in enumerate((ADDR_US, ADDR_US, ADDR_DE)):
        o = a.post("/v1/orders", {"seller": "S1", "channel": "shop",
                                  "channel_order_id": "C-%d" % i, "ship_to": addr,
                                  "lines": [{"sku": "EAR-1", "qty": 2,
                                             "unit_price": {"amount": "19.99", "currency": "USD"}},
                                            {"sku": "TEE-1", "qty": 1,
                                             "unit_price": {"amount": "15.00", "currency": "USD"}}]},
                   key="s1", expect=201).json
        r = a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"]}, key="s1", expect=201)
        eq([m["type"] for m in r.json["messages"]], ["CEB303", "CEB505", "CEB603"], "messages")
        eq(r.json["country"], "304" if addr is ADDR_DE else "502", "country")
        eq(r.json["total_price"], "54.98", "total_price")
        eq(len(r.json["history"]), 1, "history")
        ids.append(r.json["id"])
    ctx.s["lists"] = ids
    eq(len(outbox_files(ctx, "CEB505_")), 3, "CEB505 files")
    r = a.get(q("/v1/customs/lists", seller="S1", state="2", limit="2"), key="s1", expect=200)
    eq(len(r.json["items"]), 2, "page")
    check(r.json["next_cursor"], "next_cursor", r)
    a.get(q("/v1/customs/lists", seller="S1", cursor=r.json["next_cursor"]), key="s1", expect=200)
    problem(a.get(q("/v1/customs/lists", cursor="zzz"), key="s1"), 400, "cursor")
    # issue 8: an order shipped from the warehouse abroad is no 9610 parcel
    a.post("/v1/skus", {"seller": "S1", "sku": "LAMP-1", "name": "Lamp", "name_zh": "台灯",
                        "hs_code": "9405219000", "declared_value": {"amount": "5.00", "currency": "USD"},
                        "origin_country": "CN", "dims_mm": [100, 100, 100], "weight_g": 300},
           key="s1", expect=201)
    o = a.post("/v1/orders", {"seller": "S1", "channel": "shop", "channel_order_id": "LAX-1",
                              "ship_to": ADDR_US,
                              "lines": [{"sku": "LAMP-1", "qty": 1,
                                         "unit_price": {"amount": "9.00", "currency": "USD"}}]},
               key="s1", expect=201).json
    eq(o.get("warehouse"), "US-LAX", "routed to the warehouse abroad")
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"]}, key="s1"), 409, "mode")


@test
def bad_declarations(ctx):
    a = ctx.api
    before = outbox_files(ctx)
    o = a.post("/v1/orders", {"seller": "S1", "channel": "shop", "channel_order_id": "BAD-1",
                              "ship_to": ADDR_US,
                              "lines": [{"sku": "EAR-1", "qty": 1,
                                         "unit_price": {"amount": "19.99", "currency": "USD"}},
                                        {"sku": "TEE-1", "qty": 1,
                                         "unit_price": {"amount": "15.00", "currency": "EUR"}}]},
               key="s1", expect=201).json
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"]}, key="s1"), 400,
            "lines[1].currency")
    problem(a.post("/v1/customs/lists", {"mode": "9999", "order": o["id"]}, key="s1"), 400, "mode")
    problem(a.post("/v1/customs/lists", {"mode": "9610"}, key="s1"), 400, "order")
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"], "customs_code": "29"},
                   key="s1"), 400, "customs_code")
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": "ord_1"}, key="s1"), 404, "order")
    problem(a.post("/v1/customs/lists", {"mode": 9610, "order": o["id"]}, key="s1"), 400, "mode")
    # another seller's order is not there
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": ctx.s["lists"] and o["id"]},
                   key="s2"), 404, "order")
    # S2 has no customs code and no registrations
    a.post("/v1/skus", {"seller": "S2", "sku": "X", "name": "Lamp", "hs_code": "9405219000",
                        "declared_value": {"amount": "5.00", "currency": "USD"},
                        "origin_country": "CN", "dims_mm": [100, 100, 100], "weight_g": 300},
           key="s2", expect=201)
    o2 = a.post("/v1/orders", {"seller": "S2", "channel": "shop", "channel_order_id": "X-1",
                               "ship_to": ADDR_JP,
                               "lines": [{"sku": "X", "qty": 1,
                                          "unit_price": {"amount": "5.00", "currency": "USD"}}]},
                key="s2", expect=201).json
    problem(a.post("/v1/customs/lists", {"mode": "9610", "order": o2["id"]}, key="s2"), 400,
            "registrations.ebc")
    eq(outbox_files(ctx), before, "nothing written to the outbox")


@test
def tenancy(ctx):
    a = ctx.api
    lid = ctx.s["lists"][0]
    problem(a.get("/v1/customs/lists/%s" % seg(lid), key="s2"), 404)
    problem(a.get(q("/v1/customs/lists/%s/xml" % seg(lid), msg="CEB603"), key="s2"), 404)
    eq(a.get(q("/v1/customs/lists", seller="S1"), key="s2", expect=200).json["items"], [],
       "another seller's lists")
    problem(a.post("/v1/customs/receipts", raw=message("604", r604(lid, "X", 800, "20260310120000000", "x")),
                   headers={"Content-Type": "application/xml"}, key="s1"), 403)
    problem(a.get("/v1/customs/lists", key="op"), 403)


@test
def receipts_move_states(ctx):
    a = ctx.api
    l0, l1, l2 = ctx.s["lists"]
    r = post_receipt(ctx, "604", r604(l0, "29922026E000000001", 120, "20260310100000000", "入库成功"))
    eq(r.json["applied"], 1, "applied")
    post_receipt(ctx, "604", r604(l0, "29922026E000000001", 800, "20260310120000000", "放行"))
    post_receipt(ctx, "604", r604(l0, "29922026E000000001", 120, "20260310110000000", "迟到"))
    post_receipt(ctx, "604", r604(l1, "29922026E000000002", 800, "20260311120000000", "放行"))
    post_receipt(ctx, "604", r604(l2, "29922026E000000003", 800, "20260312120000000", "放行"))
    post_receipt(ctx, "604", r604(ctx.s["list_9810"], "", 100, "20260312120000000", "表体商品编码不存在"))
    l = a.get("/v1/customs/lists/%s" % seg(l0), key="s1", expect=200).json
    eq(l["state"], 800, "state")
    eq(l["state_name"], "released", "state_name")
    eq(l["invt_no"], "29922026E000000001", "invt_no")
    eq([h["receipt"] for h in l["history"]], ["declare", "CEB604", "CEB604", "CEB604"], "history")
    check(l["released_at"] is not None, "released_at", None)
    rej = a.get("/v1/customs/lists/%s" % seg(ctx.s["list_9810"]), key="s1", expect=200).json
    eq(rej["state"], 100, "rejected")
    eq(rej["state_info"], "表体商品编码不存在", "state_info")
    problem(post_receipt(ctx, "604", r604("cil_0", "nope", 800, "20260310120000000", "x"),
                         expect=None), 404, "InventoryReturn[0].copNo")
    problem(a.post("/v1/customs/receipts", raw=b"<not-closed", headers={"Content-Type": "application/xml"}),
            400)
    r = a.get(q("/v1/customs/lists", seller="S1", month="2026-03"), expect=200)
    eq(len(r.json["items"]), 3, "released in March")
    problem(a.get(q("/v1/customs/lists", month="2026-3")), 400, "month")


@test
def summary_and_792(ctx):
    a = ctx.api
    r = a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-03"}, key="s1", expect=201)
    items = r.json["items"]
    eq(len(items), 2, "summaries (US, DE)")
    eq(items[0]["country"], "502", "country")
    eq(items[0]["n_lists"], 2, "lists merged")
    eq(items[0]["n_lines"], 2, "lines")
    eq(items[0]["total_price"], "109.96", "total_price")
    x = get_xml(ctx, items[0]["id"], "CEB701", key="s1")
    check(b"<ceb:summaryFlag>1</ceb:summaryFlag>" in x.body, "summaryFlag", x)
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-03"}, key="s1"), 409,
            "month")
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-04",
                                             "summary_flag": 3}, key="s1"), 400, "summary_flag")
    post_receipt(ctx, "702", "<ceb:SummaryReturn><ceb:guid>x</ceb:guid><ceb:copNo>%s</ceb:copNo>"
                 "<ceb:sumNo>S29922026000000001</ceb:sumNo><ceb:returnStatus>399</ceb:returnStatus>"
                 "<ceb:returnTime>20260402100000000</ceb:returnTime><ceb:returnInfo>ok"
                 "</ceb:returnInfo></ceb:SummaryReturn>" % items[0]["id"])
    post_receipt(ctx, "792",
                 "<ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>X</ceb:guid>"
                 "<ceb:opDate>20260403101112012</ceb:opDate>"
                 "<ceb:sumNo>S29922026000000001</ceb:sumNo><ceb:entryId>292920261000012345"
                 "</ceb:entryId><ceb:decState>10</ceb:decState></ceb:SummaryResultHead>"
                 "<ceb:SummaryResultList><ceb:invtNo>29922026E000000001</ceb:invtNo>"
                 "<ceb:logisticsNo>L</ceb:logisticsNo><ceb:gseqno>2</ceb:gseqno><ceb:gnum>2</ceb:gnum>"
                 "<ceb:gcode>6109100021</ceb:gcode></ceb:SummaryResultList></ceb:SummaryResult>")
    l = a.get("/v1/customs/lists/%s" % seg(ctx.s["lists"][0]), key="s1", expect=200).json
    eq(l["entry_id"], "292920261000012345", "entry_id")
    eq(l["items"][1]["entry_id"], "292920261000012345", "item entry_id")
    eq(l["items"][1]["entry_item"], 2, "item number on the declaration")
    eq(l["summary"], items[0]["id"], "summary")


@test
def cross_zone_return(ctx):
    a = ctx.api
    lid = ctx.s["lists"][1]
    body = {"list": lid, "reason": "消费者退货", "customs_code": "5141",
            "logistics_no": "RET000001", "items": [{"gnum": 1, "qty": 1}]}
    # issue 8: the conveyance is given, never made up from the order or waybill
    problem(a.post("/v1/customs/returns", body, key="s1"), 400, "traf_name")
    body["traf_name"] = "CA1234"
    problem(a.post("/v1/customs/returns", body, key="s1"), 400, "voyage_no")
    body["voyage_no"] = "CA1234/20260405"
    # the list's order had no tracking number: the waybill (billNo) is given, not the order id
    problem(a.post("/v1/customs/returns", {k: v for k, v in body.items() if k != "logistics_no"},
                   key="s1"), 400, "logistics_no")
    r = a.post("/v1/customs/returns", body, key="s1", expect=201)
    t = r.json
    eq(t["cross_zone"], True, "cross_zone")
    eq(t["customs_code"], "5141", "customs_code")
    x = get_xml(ctx, t["id"], "CEB213", key="s1")
    check(b"<ceb:portCode>5141</ceb:portCode>" in x.body, "re-entry port", x)
    check(b"<ceb:tradeMode>9661</ceb:tradeMode>" in x.body, "return trade mode 9661", x)
    check(b"<ceb:billNo>RET000001</ceb:billNo>" in x.body, "billNo: the return waybill", x)
    problem(a.post("/v1/customs/returns", {"list": lid, "reason": "again"}, key="s1"), 409, "list")
    problem(a.post("/v1/customs/returns", {"list": ctx.s["lists"][0], "reason": "x",
                                           "logistics_no": "RET000002", "traf_name": "CA1234",
                                           "voyage_no": "CA1234/20260405",
                                           "items": [{"gnum": 1, "qty": 9}]}, key="s1"), 400,
            "items[0].qty")
    problem(a.post("/v1/customs/returns", {"list": ctx.s["list_9810"], "reason": "x"}, key="s1"),
            409, "list")
    problem(a.post("/v1/customs/returns", {"list": lid, "reason": "x"}, key="s2"), 404, "list")
    r = a.post("/v1/customs/returns/%s/tally" % seg(t["id"]),
               {"operator_code": "4401960OPR", "operator_name": "广州监管场所", "location": "A-01"},
               expect=200)
    check(r.json["tallied_at"] is not None, "tallied_at", r)
    x = get_xml(ctx, t["id"], "CEB215", key="s1")
    check(b"<ceb:voyageNo>CA1234/20260405</ceb:voyageNo>" in x.body, "tally: the return's voyage", x)
    problem(a.post("/v1/customs/returns/%s/tally" % seg(t["id"]),
                   {"operator_code": "4401960OPR", "operator_name": "x"}), 409)
    eq(a.get("/v1/customs/returns/%s" % seg(t["id"]), key="s1", expect=200).json["id"], t["id"],
       "return")
    problem(a.get("/v1/customs/returns/%s" % seg(t["id"]), key="s2"), 404)
    eq(len(outbox_files(ctx, "CEB215_")), 1, "CEB215 in the outbox")


@test
def inspect_before_load(ctx):
    a = ctx.api
    l0, l1, l2 = ctx.s["lists"]
    r = a.post("/v1/customs/containers/check", {"lists": [l0, l1, l2]}, expect=200)
    eq(r.json["can_close"], True, "can_close")
    a.post("/v1/customs/lists/%s/inspection" % seg(l2), {"action": "hold", "info": "X-ray"},
           expect=200)
    r = a.post("/v1/customs/containers/check", {"lists": [l0, l1, l2]}, expect=200)
    eq(r.json["can_close"], False, "held parcel blocks")
    eq(r.json["blocking"], [l2], "blocking")
    # issue 8: every blocking list is named, not the first
    a.post("/v1/customs/lists/%s/inspection" % seg(l1), {"action": "hold"}, expect=200)
    r = a.post("/v1/customs/containers/check", {"lists": [l0, l1, l2]}, expect=200)
    eq(r.json["blocking"], [l1, l2], "both held lists named")
    a.post("/v1/customs/lists/%s/inspection" % seg(l1), {"action": "done"}, expect=200)
    r = a.post("/v1/customs/lists/%s/inspection" % seg(l2), {"action": "remove"}, expect=200)
    eq(r.json["inspection"], "removed", "inspection")
    eq(r.json["history"][-1]["receipt"], "inspect", "history")
    eq(a.post("/v1/customs/containers/check", {"lists": [l0, l1, l2]}, expect=200).json["can_close"],
       True, "the others go")
    problem(a.post("/v1/customs/lists/%s/inspection" % seg(l2), {"action": "open"}), 400, "action")
    problem(a.post("/v1/customs/containers/check", {"lists": ["cil_0"]}), 404, "lists[0]")


@test
def bill_607(ctx):
    a = ctx.api
    r = a.post("/v1/customs/bills", {"seller": "S1", "bill_no": "CA1234-20260312", "traf_mode": "5",
                                     "voyage_no": "CA1234", "lists": ctx.s["lists"][:2]},
               key="s1", expect=201)
    x = get_xml(ctx, r.json["id"], "CEB607", key="s1")
    check(b"CA1234-20260312" in x.body, "bill no", x)
    problem(a.post("/v1/customs/bills", {"seller": "S1", "bill_no": "B", "traf_mode": "5",
                                         "voyage_no": "V", "lists": ["cil_0"]}, key="s1"), 404,
            "lists[0]")
    l0 = ctx.s["lists"][0]
    problem(a.post("/v1/customs/bills", {"seller": "S1", "bill_no": "B2", "traf_mode": "5",
                                         "voyage_no": "V", "lists": [l0, l0, l0]}, key="s1"), 400,
            "lists[1]")


@test
def inbox_import(ctx):
    a = ctx.api
    os.makedirs(ctx.inbox, exist_ok=True)
    with open(os.path.join(ctx.inbox, "a.xml"), "wb") as f:
        f.write(message("604", r604(ctx.s["lists"][0], "29922026E000000001", 899,
                                    "20260420120000000", "结关")))
    with open(os.path.join(ctx.inbox, "b.xml"), "wb") as f:
        f.write(b"<broken")
    r = a.post("/v1/customs/receipts", {"import": "inbox"}, expect=200)
    eq(r.json["processed"], 1, "processed")
    eq(r.json["failed"], 1, "failed")
    check(os.path.exists(os.path.join(ctx.inbox, "processed", "a.xml")), "moved to processed/", r)
    eq(a.get("/v1/customs/lists/%s" % seg(ctx.s["lists"][0]), expect=200).json["state"], 899,
       "cleared")
    problem(a.post("/v1/customs/receipts", {"import": "elsewhere"}), 400, "import")


def cli(ctx, args, env=None, check_rc=True):
    """`haicang ...` with the server's customs configuration."""
    e = dict(os.environ)
    e.update({"HAICANG_CUSTOMS_DIR": os.path.join(ctx.workdir, "customs"),
              "HAICANG_CUSTOMS_CODE": "2992"})
    e.update(env or {})
    p = subprocess.run([ctx.binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=e, cwd=ctx.workdir, timeout=300)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if check_rc and p.returncode != 0:
        raise Fail("`haicang %s` exited %d: %s %s" % (" ".join(args), p.returncode, out[-800:],
                                                       err[-800:]))
    return out, err


@test
def split_150_lines(ctx):
    """An inbound of 150 lines: two lists (100 + 50), each its own copNo, same inbound."""
    a = ctx.api
    for i in range(150):
        a.post("/v1/skus", {"seller": "S1", "sku": "SPL-%03d" % i, "name": "Part %d" % i,
                            "name_zh": "零件", "hs_code": "84733%05d" % i,
                            "declared_value": {"amount": "1.%02d" % (i % 100), "currency": "USD"},
                            "origin_country": "CN", "dims_mm": [10, 10, 10], "weight_g": 10},
               key="s1", expect=201)
    lines = [{"sku": "SPL-%03d" % i, "qty": 1} for i in range(150)]
    inb = a.post("/v1/inbounds", {"seller": "S1", "warehouse": "US-LAX", "reference": "PO-150",
                                  "lines": lines}, key="s1", expect=201).json
    r = a.post("/v1/customs/lists", {"mode": "9810", "inbound": inb["id"]}, key="s1", expect=201)
    l = r.json
    eq(l["parts"], 2, "parts")
    eq(l["part"], 1, "part")
    eq(len(l["lists"]), 2, "lists")
    eq(l["lists"][0], l["id"], "first part answered")
    eq(len(l["items"]), 100, "items of part 1")
    eq([m["outbox"] for m in l["messages"]], ["sent", "sent"], "outbox state")
    p2 = a.get("/v1/customs/lists/%s" % seg(l["lists"][1]), key="s1", expect=200).json
    eq(len(p2["items"]), 50, "items of part 2")
    eq(p2["inbound"], inb["id"], "part 2 linked to the inbound")
    eq(p2["part"], 2, "part 2")
    check(p2["cop_no"] != l["cop_no"], "each its own copNo", p2)
    eq(p2["order_no"], inb["id"] + "-2", "booking number of part 2")
    total = sum(int(round(float(x["total_price"]) * 100)) for x in (l, p2))
    eq(total, sum(100 + i % 100 for i in range(150)), "total over both parts")
    for part in (l, p2):
        for m in part["messages"]:
            check(os.path.exists(os.path.join(ctx.outbox, m["file"])), "%s written" % m["file"], r)
    x = get_xml(ctx, p2["id"], "CEB603", key="s1")
    check(("<ceb:copNo>%s</ceb:copNo>" % p2["id"]).encode() in x.body, "copNo of part 2", x)
    problem(a.post("/v1/customs/lists", {"mode": "9810", "inbound": inb["id"]}, key="s1"), 409,
            "inbound")


@test
def summary_over_50_lines(ctx):
    """60 distinct HS codes released in one month, one merge group: two declarations."""
    a = ctx.api
    ids = []
    for k in range(3):
        o = a.post("/v1/orders", {"seller": "S1", "channel": "shop",
                                  "channel_order_id": "JUN-%d" % k, "ship_to": ADDR_JP,
                                  "lines": [{"sku": "SPL-%03d" % (k * 20 + i), "qty": 1,
                                             "unit_price": {"amount": "3.%02d" % i,
                                                            "currency": "USD"}}
                                            for i in range(20)]},
                   key="s1", expect=201).json
        l = a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"]}, key="s1",
                   expect=201).json
        post_receipt(ctx, "604", r604(l["id"], "29922026E00000060%d" % k, 800,
                                      "20260610120000000", "放行"))
        ids.append(l["id"])
    r = a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-06"}, key="s1", expect=201)
    items = r.json["items"]
    eq(len(items), 2, "declarations")
    eq([i["n_lines"] for i in items], [40, 20], "lines per declaration")
    eq([(i["part"], i["parts"]) for i in items], [(1, 2), (2, 2)], "parts")
    eq(sum(i["n_lists"] for i in items), 3, "every list once")
    total = sum(int(round(float(i["total_price"]) * 100)) for i in items)
    eq(total, 3 * sum(300 + i for i in range(20)), "sums exact")
    for i in items:
        x = get_xml(ctx, i["id"], "CEB701", key="s1")
        check(b"<ceb:invtNo>" in x.body, "lists in the CEB701", x)


def order_9610(ctx, ref, customs_code=None):
    a = ctx.api
    o = a.post("/v1/orders", {"seller": "S1", "channel": "shop", "channel_order_id": ref,
                              "ship_to": ADDR_US,
                              "lines": [{"sku": "EAR-1", "qty": 1,
                                         "unit_price": {"amount": "19.99", "currency": "USD"}}]},
               key="s1", expect=201).json
    body = {"mode": "9610", "order": o["id"]}
    if customs_code:
        body["customs_code"] = customs_code
    return a.post("/v1/customs/lists", body, key="s1", expect=201).json


@test
def receipts_checked(ctx):
    """Issue 8: a receipt with an impossible time or a status outside the spec's
    list is refused; several entries apply all or none, naming the one that failed."""
    a = ctx.api
    l = order_9610(ctx, "RCPT-1")
    lid = l["id"]
    for time, field in (("20261399250000000", "InventoryReturn[0].returnTime"),
                        ("", "InventoryReturn[0].returnTime"),
                        ("2026031012", "InventoryReturn[0].returnTime")):
        problem(post_receipt(ctx, "604", r604(lid, "29922026E000000701", 800, time, "x"),
                             expect=None), 400, field)
    for status in ("abc", "777"):
        body = r604(lid, "29922026E000000701", 0, "20260710120000000", "x").replace(
            "<ceb:returnStatus>0<", "<ceb:returnStatus>%s<" % status)
        problem(post_receipt(ctx, "604", body, expect=None), 400, "InventoryReturn[0].returnStatus")
    two = (r604(lid, "29922026E000000701", 800, "20260710120000000", "放行") +
           r604("cil_0", "nope", 800, "20260710120000000", "x"))
    problem(post_receipt(ctx, "604", two, expect=None), 404, "InventoryReturn[1].copNo")
    eq(a.get("/v1/customs/lists/%s" % seg(lid), key="s1", expect=200).json["state"], 2,
       "nothing applied")
    # the inbox moves a bad receipt to failed/
    os.makedirs(ctx.inbox, exist_ok=True)
    with open(os.path.join(ctx.inbox, "bad-time.xml"), "wb") as f:
        f.write(message("604", r604(lid, "29922026E000000701", 800, "20261399250000000", "x")))
    r = a.post("/v1/customs/receipts", {"import": "inbox"}, expect=200)
    eq(r.json["failed"], 1, "failed")
    check(os.path.exists(os.path.join(ctx.inbox, "failed", "bad-time.xml")), "in failed/", r)
    ctx.s["rcpt_list"] = lid


@test
def summary_customs_and_months(ctx):
    """Issue 8: one CEB701 per declaring customs; a month is summarised once,
    after it ends; a list released late goes into a supplementary declaration."""
    a = ctx.api
    l1 = order_9610(ctx, "JUL-1", "3701")
    l2 = order_9610(ctx, "JUL-2", "3702")
    post_receipt(ctx, "604", r604(l1["id"], "37012026E000000001", 800, "20260710120000000", "放行"))
    post_receipt(ctx, "604", r604(l2["id"], "37022026E000000002", 800, "20260711120000000", "放行"))
    r = a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-07"}, key="s1", expect=201)
    items = r.json["items"]
    eq(sorted(i["customs_code"] for i in items), ["3701", "3702"], "one summary per customs")
    for i in items:
        x = get_xml(ctx, i["id"], "CEB701", key="s1")
        check(("<ceb:customsCode>%s</ceb:customsCode>" % i["customs_code"]).encode() in x.body,
              "customsCode of the summary", x)
        check(b"<ceb:startTime>" not in x.body, "no time range (it would override the lists)", x)
        eq(i["supplement"], False, "not a supplement")
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-07"}, key="s1"), 409,
            "month")
    # released in July, reported after the summary
    l3 = order_9610(ctx, "JUL-3", "3701")
    post_receipt(ctx, "604", r604(l3["id"], "37012026E000000003", 800, "20260730120000000", "放行"))
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-07"}, key="s1"), 409,
            "month")
    r = a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-07", "supplement": True},
               key="s1", expect=201)
    sup = r.json["items"]
    eq(len(sup), 1, "one supplementary declaration")
    eq(sup[0]["supplement"], True, "supplement")
    eq(sup[0]["lists"], [l3["id"]], "the late list only")
    x = get_xml(ctx, sup[0]["id"], "CEB701", key="s1")
    check("补充申报".encode() in x.body, "the CEB701 says it is supplementary", x)
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": "2026-08", "supplement": True},
                   key="s1"), 409, "supplement")
    import datetime
    now = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
    problem(a.post("/v1/customs/summaries", {"seller": "S1", "month": now.strftime("%Y-%m")},
                   key="s1"), 409, "month")


@test
def signing_config(ctx):
    """Issue 8: CEB603/607/701 must be signed; a key without its certificate
    stops `haicang serve`; HAICANG_CUSTOMS_UNSIGNED=test-only is explicit."""
    o = ctx.api.post("/v1/orders", {"seller": "S1", "channel": "shop", "channel_order_id": "SIG-1",
                                    "ship_to": ADDR_US,
                                    "lines": [{"sku": "EAR-1", "qty": 1,
                                               "unit_price": {"amount": "19.99", "currency": "USD"}}]},
                     key="s1", expect=201).json
    env = {"HAICANG_CUSTOMS_KEY": "", "HAICANG_CUSTOMS_CERT": ""}
    out, err = cli(ctx, ["customs", "declare", "--order", o["id"], "--db", ctx.db], env=env,
                   check_rc=False)
    check("HAICANG_CUSTOMS_KEY" in err and "signed" in err, "unsigned refused: %s" % err, None)
    out, err = cli(ctx, ["customs", "declare", "--order", o["id"], "--db", ctx.db],
                   env=dict(env, HAICANG_CUSTOMS_UNSIGNED="test-only"))
    check("cil_" in out, "declared unsigned in test-only mode: %s" % out, None)
    p = subprocess.run([ctx.binary, "serve", "--db", ctx.db, "--listen", "127.0.0.1:1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       env=dict(os.environ, HAICANG_CUSTOMS_KEY=os.path.join(ctx.workdir, "sm2-key.pem"),
                                HAICANG_CUSTOMS_CERT=""))
    check(p.returncode != 0 and b"HAICANG_CUSTOMS_CERT" in p.stderr,
          "serve refuses a key without a certificate: %r" % p.stderr[-300:], None)
    p = subprocess.run([ctx.binary, "serve", "--db", ctx.db, "--listen", "127.0.0.1:1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       env=dict(os.environ, HAICANG_CUSTOMS_KEY="",
                                HAICANG_CUSTOMS_CERT=os.path.join(ctx.workdir, "sm2-cert.pem")))
    check(p.returncode != 0 and b"HAICANG_CUSTOMS_KEY" in p.stderr,
          "serve refuses a certificate without its key: %r" % p.stderr[-300:], None)


@test
def outbox_after_commit(ctx):
    """The outbox cannot be written after the commit: the declaration stands with
    its messages queued; `haicang customs flush` writes them later, once."""
    a = ctx.api
    o = a.post("/v1/orders", {"seller": "S1", "channel": "shop", "channel_order_id": "OBX-1",
                              "ship_to": ADDR_US,
                              "lines": [{"sku": "EAR-1", "qty": 1,
                                         "unit_price": {"amount": "19.99", "currency": "USD"}}]},
               key="s1", expect=201).json
    before = outbox_files(ctx)
    moved = ctx.outbox + ".away"
    os.rename(ctx.outbox, moved)
    with open(ctx.outbox, "w") as f:  # a file where the directory was: every write fails
        f.write("x")
    try:
        r = a.post("/v1/customs/lists", {"mode": "9610", "order": o["id"]}, key="s1", expect=201)
    finally:
        os.unlink(ctx.outbox)
        os.rename(moved, ctx.outbox)
    l = r.json
    eq([m["outbox"] for m in l["messages"]], ["queued"] * 3, "queued after a failed write")
    eq(outbox_files(ctx), before, "no file yet")
    out, _ = cli(ctx, ["customs", "flush", "--db", ctx.db])
    check("3 queued messages written" in out, "flush wrote 3: %s" % out.strip(), None)
    after = outbox_files(ctx)
    eq(len(after), len(before) + 3, "three files")
    for m in l["messages"]:
        check(m["file"] in after, "%s written" % m["file"], None)
    l = a.get("/v1/customs/lists/%s" % seg(l["id"]), key="s1", expect=200).json
    eq([m["outbox"] for m in l["messages"]], ["sent"] * 3, "sent")
    x = get_xml(ctx, l["id"], "CEB603", key="s1")
    with open(os.path.join(ctx.outbox, [m["file"] for m in l["messages"]
                                        if m["type"] == "CEB603"][0]), "rb") as f:
        eq(f.read(), x.body, "the file holds the stored bytes")
    out, _ = cli(ctx, ["customs", "flush", "--db", ctx.db])
    check("0 queued messages written" in out, "nothing left: %s" % out.strip(), None)
    eq(len(outbox_files(ctx)), len(after), "no duplicate")
    check(not [f for f in os.listdir(ctx.outbox) if f.endswith(".tmp")], "no temp files", None)


@test
def demo_seeds_customs(ctx):
    """haicang demo declares its received inbounds (9810, split) and some orders (9610)."""
    d = os.path.join(ctx.workdir, "demo")
    os.makedirs(d, exist_ok=True)
    env = {"HAICANG_CUSTOMS_DIR": os.path.join(d, "customs")}
    db = "sqlite:" + os.path.join(d, "demo.db")
    out, _ = cli(ctx, ["demo", "--db", db, "--orders", "300", "--keys",
                       os.path.join(d, "keys.txt")], env=env)
    # received inbounds and those travelling on the demo's shipments, split over 100 lines
    m = re.search(r"customs: (\d+) inbounds declared as 9810 \((\d+) lists\), 0 skipped", out)
    check(m is not None and int(m.group(2)) > int(m.group(1)) >= 4,
          "demo customs line: %s" % out, None)
    check("unsigned" in out, "the demo says its messages are unsigned: %s" % out, None)
    lists, _ = cli(ctx, ["customs", "lists", "--db", db], env=env)
    rows = [ln for ln in lists.splitlines() if ln.startswith("cil_")]
    eq(len([ln for ln in rows if " 9810 " in ln]), int(m.group(2)), "9810 lists")
    # its orders ship from Duisburg and Los Angeles: not 9610 parcels
    check(not any(" 9610 " in ln for ln in rows), "no 9610 lists", None)
    files = glob.glob(os.path.join(d, "customs", "outbox", "CEB603_*.xml"))
    check(len(files) == len(rows), "one CEB603 per list", None)
    # without the customs reference data the demo still loads, with a note
    d2 = os.path.join(ctx.workdir, "demo2")
    os.makedirs(d2, exist_ok=True)
    out, _ = cli(ctx, ["demo", "--db", "sqlite:" + os.path.join(d2, "demo.db"), "--orders", "50",
                       "--keys", os.path.join(d2, "keys.txt")],
                 env={"HAICANG_CUSTOMS_DIR": os.path.join(d2, "customs"),
                      "HAICANG_CUSTOMS_REFDATA": os.path.join(d2, "no-such-dir")})
    check("customs: skipped" in out, "skip note: %s" % out, None)
    check("demo data loaded" in out, "demo loaded anyway", None)


@test
def openapi_lists_customs(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None, expect=200)
    for p in ("/v1/customs/lists", "/v1/customs/lists/{id}/xml", "/v1/customs/summaries",
              "/v1/customs/returns", "/v1/customs/receipts"):
        check(p in r.json["paths"], "%s in the OpenAPI document" % p, r)


# ------------------------------------------------------------------------ main

def main():
    keys = tuple((n, ["--role", "operator", "--warehouse", "US-LAX"]) if n == "op" else (n, a)
                 for n, a in SELLER_KEYS)
    return run_server_suite(__doc__, TESTS, "customs",
                            lambda api, server, binary, db, workdir: Ctx(api, workdir, binary, db),
                            keys=keys, env=lambda workdir: customs_env(workdir, "2992"))


if __name__ == "__main__":
    sys.exit(main())

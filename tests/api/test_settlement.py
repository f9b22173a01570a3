#!/usr/bin/env python3
"""haicang API tests: the netting settlement statement (issue 10, part 7;
SAFE Hui Fa [2020] No. 11) and external fees.

S1 at DE-DUI under a card of its own (receiving 0.30 EUR a unit; shipping
2.00 EUR an order + 0.50 a unit after the first; no minimum, no surcharge;
no storage: HAICANG_STORAGE_TIMER_S=0). Reference rate EUR/USD 1.08 on the
days around today. Two inbounds, A (10 units) and B (5), each declared as a
9810 list; three orders packed and shipped in this order: O1 3 units at
19.99 EUR, O2 8 units at 12.50 USD, O3 2 units at 25.00 EUR (a B2B order
with its own 9710 list). External fees: O1 last mile 4.20 EUR, O2 taxes
7.77 USD and compensation 2.00 USD; for the period head-haul 33.00 EUR and
advertising 10.00 USD. The statement of yesterday..today (Beijing) is
checked line by line against the figures worked out by hand in
test_statement_line_by_line. Then: CSV and XLSX, the signed document
checked with the openssl command line (and a changed byte refused by it and
by `haicang settlement verify`), bad input naming the field with nothing
stored, tenancy, the period's limits, and a missing FX rate (409 naming the
currency and the day).

The customs lists are written into the database as the customs module
stores them (their own path, declare -> CEB603 -> receipts, is
tests/api/test_customs.py); here only what the settlement reads matters.

    python3 tests/api/test_settlement.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import base64
import csv
import datetime
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["HAICANG_STORAGE_TIMER_S"] = "0"  # no storage charges in the figures below
from common import check, eq, problem, q, run_cli, seg  # noqa: E402
from fixtures import collector, catalog, fixture, fulfil, list_all, mk_sku, stock, run_suite, ADDR  # noqa: E402

TESTS, test = collector()
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
KEYDIR = tempfile.mkdtemp(prefix="haicang-settle-keys-")


def make_signer():
    """An EC P-256 key and a self-signed certificate: the server's signer."""
    key, cert = os.path.join(KEYDIR, "key.pem"), os.path.join(KEYDIR, "cert.pem")
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["openssl", "req", "-new", "-x509", "-key", key, "-subj", "/CN=haicang-settle-test",
                    "-days", "2", "-out", cert], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    os.environ["HAICANG_SETTLEMENT_KEY"] = key  # the server started by run_suite inherits them
    os.environ["HAICANG_SETTLEMENT_CERT"] = cert


make_signer()


def bj_day(delta=0):
    return (datetime.datetime.now(BEIJING).date() + datetime.timedelta(days=delta)).isoformat()


def utc_day(delta=0):
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=delta)).isoformat()


def m(amount, currency):
    return {"amount": amount, "currency": currency}


def sql(ctx, stmt):
    """Runs one statement on the suite's database (test setup only)."""
    if ctx.db.startswith("sqlite:"):
        con = sqlite3.connect(ctx.db[len("sqlite:"):], timeout=30)
        try:
            con.execute(stmt)
            con.commit()
        finally:
            con.close()
        return
    u = urllib.parse.urlparse(ctx.db)
    cmd = ["mariadb", "-h", u.hostname, "-P", str(u.port), "-u", urllib.parse.unquote(u.username or "root")]
    if u.password:
        cmd.append("-p" + urllib.parse.unquote(u.password))
    cmd += [u.path.lstrip("/").split("?")[0], "-e", stmt]
    subprocess.run(cmd, check=True, timeout=60)


def declare(ctx, seller, list_id, mode, ref_kind, ref, sku, qty, entry_id):
    """A released list with one item (item 1 = declaration item 1), as customs stores it."""
    sql(ctx, "INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref, warehouse, cop_no,"
             " invt_guid, invt_no, order_no, logistics_no, state, inspection, entry_id, customs_code,"
             " port_code, traf_mode, country, currency, ebc_code, owner_code, total_price,"
             " gross_weight, net_weight, created_at, updated_at) VALUES ('%s', '%s', '%s', '%s',"
             " '%s', 'DE-DUI', '%s', '00000000-0000-0000-0000-000000000000', '%s', '%s', '%s', 800,"
             " 'none', '%s', '5300', '5300', '2', 'DEU', 'EUR', '4403960000', '4403960000', '1',"
             " '1', '1', 0, 0)" % (seller, list_id, mode, ref_kind, ref, list_id, "INVT" + list_id[-6:],
                                   ref, ref, entry_id))
    sql(ctx, "INSERT INTO customs_list_items (seller, list_id, gnum, sku, item_name, gname, gcode,"
             " qty, unit, qty1, unit1, price, total_price, currency, country, entry_id, entry_gnum)"
             " VALUES ('%s', '%s', 1, '%s', 'Item', 'Item', '8517130000', %d, '011', '%d', '011',"
             " '1', '%d', 'EUR', 'DEU', '%s', 1)" % (seller, list_id, sku, qty, qty, qty, entry_id))


def settlement(ctx, key="s1", expect=200, **params):
    params.setdefault("seller", "S1")
    params.setdefault("from", bj_day(-1))
    params.setdefault("to", bj_day(0))
    if params.get("format") in ("csv", "xlsx") and expect == 200:  # not JSON: checked here
        r = ctx.api.get(q("/v1/settlements", **params), key=key)
        eq(r.status, 200, "status of a %s settlement" % params["format"], r)
        return r
    return ctx.api.get(q("/v1/settlements", **params), key=key, expect=expect)


def order(ctx, seller, sku, qty, price, currency, key):
    body = {"seller": seller, "channel": "shop", "channel_order_id": "SET-%s-%s-%d" % (sku, currency, qty),
            "ship_to": dict(ADDR["DE"]),
            "lines": [{"sku": sku, "qty": qty, "unit_price": m(price, currency)}]}
    return ctx.api.post("/v1/orders", body, key=key, expect=201).json["id"]


@fixture
def books(ctx):
    catalog(ctx)
    api = ctx.api
    rates = [{"base": "EUR", "quote": "USD", "day": d, "rate": "1.08"}
             for d in sorted({utc_day(-1), utc_day(0), utc_day(1), bj_day(-1), bj_day(0)})]
    api.post("/v1/fx/rates", {"source": "test", "rates": rates}, expect=201)
    card = {"warehouse": "DE-DUI", "seller": "S1", "currency": "EUR",
            "effective_from": utc_day(-30),
            "storage": {"basis": "m3", "tiers": [{"from_day": 0, "to_day": None, "rate": "0.45"}]},
            "inbound": {"basis": "unit", "rate": "0.30"},
            "outbound": {"breaks": [{"max_weight_g": None, "per_order": "2.00", "per_extra_unit": "0.50"}]}}
    api.post("/v1/rate-cards", card, expect=201)
    mk_sku(ctx, "S1", "STL1")
    a = stock(ctx, "S1", "DE-DUI", [("STL1", 10)])["id"]
    b = stock(ctx, "S1", "DE-DUI", [("STL1", 5)])["id"]
    o1 = order(ctx, "S1", "STL1", 3, "19.99", "EUR", "s1")
    o2 = order(ctx, "S1", "STL1", 8, "12.50", "USD", "s1")
    o3 = order(ctx, "S1", "STL1", 2, "25.00", "EUR", "s1")
    fulfil(ctx, "DE-DUI", [o1, o2, o3], deliver=False)
    declare(ctx, "S1", "cil_test_a00001", "9810", "inbound", a, "STL1", 10, "531620261000000001")
    declare(ctx, "S1", "cil_test_b00002", "9810", "inbound", b, "STL1", 5, "531620261000000002")
    declare(ctx, "S1", "cil_test_o00003", "9710", "order", o3, "STL1", 2, "531620261000000003")
    # an order not shipped: never on a statement
    o4 = order(ctx, "S1", "STL1", 1, "9.99", "EUR", "s1")
    today = bj_day(0)
    fees = [{"order": o1, "type": "last_mile", "amount": m("4.20", "EUR"), "date": today, "reference": "DHL-INV-1"},
            {"order": o2, "type": "taxes", "amount": m("7.77", "USD"), "date": today, "reference": "VAT-1"},
            {"order": o2, "type": "compensation", "amount": m("2.00", "USD"), "date": today, "reference": "CLAIM-9"},
            {"order": o4, "type": "last_mile", "amount": m("3.00", "EUR"), "date": today, "reference": "DHL-INV-2"},
            {"type": "head_haul", "amount": m("33.00", "EUR"), "date": today, "reference": "FRT-2026-11"},
            {"type": "advertising", "amount": m("10.00", "USD"), "date": today, "reference": "ADS-11"}]
    r = api.post("/v1/external-fees", {"seller": "S1", "fees": fees}, key="s1", expect=201)
    eq(r.json["recorded"], 6, "external fees recorded", r)
    return {"a": a, "b": b, "o1": o1, "o2": o2, "o3": o3, "o4": o4}


def lines_of(order_json):
    return sorted((f["type"], f["source"], f["amount"]["amount"], f["amount"]["currency"],
                   f["netted"]["amount"]) for f in order_json["fee_lines"])


@test
def test_statement_line_by_line(ctx):
    """Figures by hand (EUR/USD 1.08; USD -> EUR divides by 1.08, half-even):
    gross: O1 3 x 19.99 = 59.97 EUR; O2 8 x 12.50 = 100.00 USD; O3 2 x 25.00 = 50.00 EUR.
    Own charges: O1 2.00 + 2 x 0.50 = 3.00 EUR; O2 2.00 + 7 x 0.50 = 5.50 EUR = 5.94 USD;
    O3 2.00 + 0.50 = 2.50 EUR. Receiving A 10 x 0.30 = 3.00, B 5 x 0.30 = 1.50: pooled
    fulfilment 4.50 EUR at DE-DUI.
    Weights in EUR: O1 5997, O2 10000 / 1.08 = 9259.26 -> 9259, O3 5000; all 20256.
      fulfilment 450: 133.23, 205.69, 111.08 -> 133, 205, 111 (449) + 1 to O2 (.69):
        133, 206, 111; O2's 2.06 EUR = 2.2248 -> 2.22 USD.
      head-haul 3300: 976.9994, 1508.43, 814.57 -> 976, 1508, 814 (3298) + 1 to O1 (.9994),
        1 to O3 (.57): 977, 1508, 815; O2's 15.08 EUR = 16.2864 -> 16.29 USD.
    Weights in USD: O1 59.97 x 1.08 = 64.7676 -> 6477, O2 10000, O3 5400; all 21877.
      advertising 1000: 296.06, 457.10, 246.83 -> 296, 457, 246 (999) + 1 to O3 (.83):
        296, 457, 247; O1's 2.96 USD = 2.7407 -> 2.74 EUR, O3's 2.47 USD = 2.287 -> 2.29 EUR.
    O1 EUR: fulfilment 3.00 + 1.33 = 4.33, head-haul 9.77, last mile 4.20, advertising 2.74;
        fees 21.04, net 38.93, without advertising 41.67.
    O2 USD: fulfilment 5.94 + 2.22 = 8.16, head-haul 16.29, taxes 7.77, compensation 2.00,
        advertising 4.57; fees 38.79, net 61.21, without advertising 65.78.
    O3 EUR: fulfilment 2.50 + 1.11 = 3.61, head-haul 8.15, advertising 2.29; fees 14.05,
        net 35.95, without advertising 38.24.
    Totals EUR: 2 orders, gross 109.97, fulfilment 7.94, head-haul 17.92, last mile 4.20,
        advertising 5.03, fees 35.09, net 74.88 (79.91 without advertising).
    Totals USD: 1 order, gross 100.00, fees 38.79, net 61.21 (65.78).
    Customs: O1 3 units from inbound A (FIFO); O2 7 from A and 1 from B; O3 its own 9710
    list."""
    b = books(ctx)
    r = settlement(ctx)
    d = r.json
    eq((d["seller"], d["from"], d["to"], d["kind"]), ("S1", bj_day(-1), bj_day(0), "netting-settlement"),
       "head", r)
    eq([o["id"] for o in d["orders"]], [b["o1"], b["o2"], b["o3"]],
       "the orders shipped in the period, in the order they shipped (O4 is not shipped)", r)
    o1, o2, o3 = d["orders"]
    z = lambda c: m("0.00", c)  # noqa: E731
    eq((o1["gross"], o1["currency"]), (m("59.97", "EUR"), "EUR"), "O1 gross", r)
    eq(o1["fees"], {"storage": z("EUR"), "fulfilment": m("4.33", "EUR"), "head_haul": m("9.77", "EUR"),
                    "last_mile": m("4.20", "EUR"), "taxes": z("EUR"), "compensation": z("EUR"),
                    "advertising": m("2.74", "EUR")}, "O1 fees by type", r)
    eq((o1["net"], o1["net_without_advertising"]), (m("38.93", "EUR"), m("41.67", "EUR")), "O1 net", r)
    eq(lines_of(o1), sorted([("fulfilment", "charge", "3.00", "EUR", "3.00"),
                             ("fulfilment", "allocated", "1.33", "EUR", "1.33"),
                             ("head_haul", "allocated", "9.77", "EUR", "9.77"),
                             ("last_mile", "external", "4.20", "EUR", "4.20"),
                             ("advertising", "allocated", "2.96", "USD", "2.74")]), "O1 fee lines", r)
    ad = [f for f in o1["fee_lines"] if f["type"] == "advertising"][0]
    eq(ad["basis"], {"gross": m("64.77", "USD"), "of": m("218.77", "USD")}, "O1 advertising basis", r)
    eq(ad["fx"], {"rate": "0.9259259259", "day": bj_day(0)}, "rate of a USD share into EUR: 1 / 1.08", r)
    eq((o2["gross"], o2["fees"]["fulfilment"], o2["fees"]["head_haul"], o2["fees"]["taxes"],
        o2["fees"]["compensation"], o2["fees"]["advertising"], o2["fees"]["last_mile"]),
       (m("100.00", "USD"), m("8.16", "USD"), m("16.29", "USD"), m("7.77", "USD"), m("2.00", "USD"),
        m("4.57", "USD"), z("USD")), "O2 fees by type", r)
    eq((o2["net"], o2["net_without_advertising"]), (m("61.21", "USD"), m("65.78", "USD")), "O2 net", r)
    eq(lines_of(o2), sorted([("fulfilment", "charge", "5.50", "EUR", "5.94"),
                             ("fulfilment", "allocated", "2.06", "EUR", "2.22"),
                             ("head_haul", "allocated", "15.08", "EUR", "16.29"),
                             ("taxes", "external", "7.77", "USD", "7.77"),
                             ("compensation", "external", "2.00", "USD", "2.00"),
                             ("advertising", "allocated", "4.57", "USD", "4.57")]), "O2 fee lines", r)
    hh = [f for f in o2["fee_lines"] if f["type"] == "head_haul"][0]
    eq(hh["basis"], {"gross": m("92.59", "EUR"), "of": m("202.56", "EUR")}, "O2 head-haul basis", r)
    eq((o3["gross"], o3["fees"]["fulfilment"], o3["fees"]["head_haul"], o3["fees"]["advertising"],
        o3["net"], o3["net_without_advertising"]),
       (m("50.00", "EUR"), m("3.61", "EUR"), m("8.15", "EUR"), m("2.29", "EUR"), m("35.95", "EUR"),
        m("38.24", "EUR")), "O3", r)
    eq(d["totals"], [
        {"currency": "EUR", "orders": 2, "gross": m("109.97", "EUR"),
         "fees": {"storage": z("EUR"), "fulfilment": m("7.94", "EUR"), "head_haul": m("17.92", "EUR"),
                  "last_mile": m("4.20", "EUR"), "taxes": z("EUR"), "compensation": z("EUR"),
                  "advertising": m("5.03", "EUR")},
         "fees_total": m("35.09", "EUR"), "net": m("74.88", "EUR"), "net_without_advertising": m("79.91", "EUR")},
        {"currency": "USD", "orders": 1, "gross": m("100.00", "USD"),
         "fees": {"storage": z("USD"), "fulfilment": m("8.16", "USD"), "head_haul": m("16.29", "USD"),
                  "last_mile": z("USD"), "taxes": m("7.77", "USD"), "compensation": m("2.00", "USD"),
                  "advertising": m("4.57", "USD")},
         "fees_total": m("38.79", "USD"), "net": m("61.21", "USD"), "net_without_advertising": m("65.78", "USD")},
    ], "reconstructed gross totals per currency", r)
    # every pool allocated, its shares summing to it exactly
    pools = {(p["type"], p["amount"]["currency"]): p for p in d["pools"]}
    eq(sorted(pools), [("advertising", "USD"), ("fulfilment", "EUR"), ("head_haul", "EUR")], "pools", r)
    for (typ, cur), p in pools.items():
        check(p["allocated"], "pool %s/%s allocated" % (typ, cur), r)
        shares = sum(round(float(f["amount"]["amount"]) * 100) for o in d["orders"] for f in o["fee_lines"]
                     if f["source"] == "allocated" and f["type"] == typ and f["amount"]["currency"] == cur)
        eq(shares, round(float(p["amount"]["amount"]) * 100), "shares of pool %s/%s" % (typ, cur), r)
    eq(pools[("fulfilment", "EUR")]["warehouse"], "DE-DUI", "a charge's pool names its warehouse", r)
    # customs behind the sales
    cust = lambda o: sorted((c["rule"], c["sku"], c["qty"], c["list"], c["trade_mode"], c["item"],  # noqa: E731
                             c["entry_id"], c["entry_item"], c["lot"]) for c in o["customs"])
    eq(cust(o1), [("fifo", "STL1", 3, "cil_test_a00001", "9810", 1, "531620261000000001", 1, b["a"])],
       "O1's units came from inbound A", r)
    eq(cust(o2), [("fifo", "STL1", 1, "cil_test_b00002", "9810", 1, "531620261000000002", 1, b["b"]),
                  ("fifo", "STL1", 7, "cil_test_a00001", "9810", 1, "531620261000000001", 1, b["a"])],
       "O2: 7 units from A, the last one from B (FIFO)", r)
    eq(cust(o3), [("order_list", "STL1", 2, "cil_test_o00003", "9710", 1, "531620261000000003", 1, None)],
       "O3: its own list", r)
    # the admin reads the same; the document is canonical (keys sorted, compact)
    r2 = settlement(ctx, key="admin")
    eq(r2.json["orders"], d["orders"], "admin sees the same statement", r2)
    eq(r.body.decode("ascii"), json.dumps(d, sort_keys=True, separators=(",", ":")),
       "canonical JSON: keys sorted, compact, ASCII (as Python writes it)", r)
    # a period before any of this holds nothing
    r3 = settlement(ctx, **{"from": bj_day(-30), "to": bj_day(-2)})
    eq((r3.json["orders"], r3.json["totals"], r3.json["pools"]), ([], [], []), "an empty period", r3)


@test
def test_csv_and_xlsx(ctx):
    books(ctx)
    r = settlement(ctx, format="csv")
    check(r.headers.get("content-type", "").startswith("text/csv"), "CSV content type", r)
    text = r.body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    i = [k for k, row in enumerate(rows) if row[:1] == ["Currency"]][0]
    eq(rows[i + 1], ["EUR", "2", "109.97", "0.00", "7.94", "17.92", "4.20", "0.00", "0.00", "5.03",
                     "35.09", "74.88", "79.91"], "CSV totals row EUR", r)
    eq(rows[i + 2][:3] + rows[i + 2][10:], ["USD", "1", "100.00", "38.79", "61.21", "65.78"], "CSV totals USD", r)
    fee_rows = [row for row in rows if len(row) == 12 and row[2] in ("allocated", "external", "haicang charge")]
    eq(len(fee_rows), 5 + 6 + 4, "one CSV row per fee line", r)
    zh = settlement(ctx, format="csv", lang="zh").body.decode("utf-8-sig")
    check("各币种还原全额" in zh and "广告费" in zh, "CSV in Chinese", None)
    r = settlement(ctx, format="xlsx")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    names = z.namelist()
    check(any(n.startswith("xl/worksheets/") for n in names), "XLSX has sheets: %r" % names, r)
    wb = z.read("xl/workbook.xml").decode()
    for sheet in ("Totals", "Orders", "Fees", "Customs", "Pools"):
        check('name="%s"' % sheet in wb, "XLSX sheet %s" % sheet, r)
    problem(settlement(ctx, expect=400, format="pdf"), 400, "format", "no PDF of a settlement")
    problem(settlement(ctx, expect=400, lang="fr"), 400, "lang", "zh or en")


def openssl_verify(doc, sig, cert_pem):
    d = tempfile.mkdtemp(prefix="haicang-verify-")
    paths = {k: os.path.join(d, k) for k in ("doc", "sig", "cert.pem", "pub.pem")}
    open(paths["doc"], "wb").write(doc)
    open(paths["sig"], "wb").write(sig)
    open(paths["cert.pem"], "w").write(cert_pem)
    subprocess.run(["openssl", "x509", "-in", paths["cert.pem"], "-pubkey", "-noout", "-out", paths["pub.pem"]],
                   check=True, stdout=subprocess.DEVNULL)
    p = subprocess.run(["openssl", "dgst", "-sha256", "-verify", paths["pub.pem"], "-signature", paths["sig"],
                        paths["doc"]], capture_output=True, text=True)
    return p.returncode == 0 and "Verified OK" in p.stdout


@test
def test_signed_document(ctx):
    """The document's bytes verify with nothing but openssl and the certificate; one changed
    byte fails there and in `haicang settlement verify`."""
    books(ctx)
    r = settlement(ctx, format="signed")
    env = r.json
    sig = env["signature"]
    eq(sig["algorithm"], "ecdsa-sha256", "algorithm of an EC key", r)
    eq(sig["certificate"].strip(), open(os.environ["HAICANG_SETTLEMENT_CERT"]).read().strip(),
       "the signer's certificate", r)
    doc = env["document"].encode("ascii")  # canonical text is ASCII only
    body = json.loads(doc)
    eq(body["totals"][0]["net"], m("74.88", "EUR"), "the signed document is the statement", r)
    raw_sig = base64.b64decode(sig["value"])
    check(openssl_verify(doc, raw_sig, sig["certificate"]), "openssl dgst -verify accepts the document")
    i = doc.index(b'"74.88"') + 2
    bad = doc[:i] + b"5" + doc[i + 1:]
    check(bad != doc and not openssl_verify(bad, raw_sig, sig["certificate"]),
          "openssl refuses the document with one byte changed")
    d = tempfile.mkdtemp(prefix="haicang-verify-")
    good_path, bad_path = os.path.join(d, "good.json"), os.path.join(d, "bad.json")
    open(good_path, "wb").write(r.body)
    env["document"] = bad.decode("ascii")
    open(bad_path, "w").write(json.dumps(env))
    rc, out, _ = run_cli(ctx.binary, ["settlement", "verify", good_path], check_rc=False)
    eq(rc, 0, "haicang settlement verify of the document as served: %s" % out)
    check("signature OK" in out and "S1" in out, "verify says what it checked: %s" % out)
    rc, out, err = run_cli(ctx.binary, ["settlement", "verify", bad_path], check_rc=False)
    eq(rc, 1, "haicang settlement verify of a changed document")
    check("does not verify" in err, "verify says why: %s" % err)


@test
def test_external_fee_bad_input(ctx):
    b = books(ctx)
    before = ctx.api.get(q("/v1/external-fees", seller="S1"), key="s1", expect=200).json["items"]
    ok = {"order": b["o1"], "type": "last_mile", "amount": m("1.00", "EUR"), "date": bj_day(0),
          "reference": "BAD-1"}

    def bad(fee, field, status=400, body=None, key="s1"):
        r = ctx.api.post("/v1/external-fees", body or {"seller": "S1", "fees": [dict(ok), fee]}, key=key)
        problem(r, status, field, "fee %r" % (fee,))

    bad(dict(ok, type="ads"), "fees[1].type")
    bad(dict(ok, amount=m("-1.00", "EUR")), "fees[1].amount.amount")
    bad(dict(ok, amount=m("0.00", "EUR")), "fees[1].amount.amount")
    bad(dict(ok, amount=m("1.001", "EUR")), "fees[1].amount.amount")
    bad(dict(ok, amount=m("1.00", "EURO")), "fees[1].amount.currency")
    bad(dict(ok, date="2026-02-30"), "fees[1].date")
    bad(dict(ok, date=bj_day(2)), "fees[1].date")
    bad(dict(ok, reference=""), "fees[1].reference")
    bad(dict(ok, reference="x" * 65), "fees[1].reference")
    bad(dict(ok, order="ord_nope"), "fees[1].order")
    bad(dict(ok, colour="red"), "fees[1].colour")
    bad({k: v for k, v in ok.items() if k != "type"}, "fees[1].type")
    bad(None, "fees", body={"seller": "S1", "fees": []})
    bad(None, "seller", body={"fees": [ok]})
    bad(None, "extra", body={"seller": "S1", "fees": [ok], "extra": 1})
    # a fee already recorded (same type, order, reference): 409, nothing of the import stored
    dup = {"order": b["o1"], "type": "last_mile", "amount": m("4.20", "EUR"), "date": bj_day(0),
           "reference": "DHL-INV-1"}
    bad(dup, "fees[1].reference", 409)
    bad(dict(ok), "fees[1].reference", 409)  # twice in one import
    # another seller's order
    bad(None, "fees[0].order", body={"seller": "S2", "fees": [ok]}, key="admin")
    # CSV: a bad line named, nothing stored
    r = ctx.api.post(q("/v1/external-fees", seller="S1"), key="s1", headers={"Content-Type": "text/csv"},
                     raw=("order,type,amount,currency,date,reference\n,taxes,5.00,EUR,%s,OK-1\n"
                          ",taxes,5.00,EUR,%s,\n" % (bj_day(0), bj_day(0))).encode())
    problem(r, 400, "line 3: reference", "CSV line without a reference")
    after = ctx.api.get(q("/v1/external-fees", seller="S1"), key="s1", expect=200).json["items"]
    eq(len(after), len(before), "nothing stored by refused imports")


@test
def test_external_fee_csv_import(ctx):
    """A CSV of period fees for S2 (no orders): recorded, listed, on no order."""
    catalog(ctx)
    text = ("order,type,amount,currency,date,reference\n"
            ",advertising,12.34,EUR,%s,\"ADS, CSV\"\n"
            ",taxes,1.00,EUR,%s,TAX-CSV\n" % (bj_day(-1), bj_day(0)))
    r = ctx.api.post(q("/v1/external-fees", seller="S2"), key="s2", headers={"Content-Type": "text/csv"},
                     raw=text.encode(), expect=201)
    eq(r.json["recorded"], 2, "two fees from the CSV", r)
    items = ctx.api.get(q("/v1/external-fees", seller="S2", **{"from": bj_day(-1)}), key="s2", expect=200).json["items"]
    eq([(i["type"], i["amount"], i["reference"], i["cause"]) for i in items],
       [("advertising", m("12.34", "EUR"), "ADS, CSV", {"kind": "period", "order": None}),
        ("taxes", m("1.00", "EUR"), "TAX-CSV", {"kind": "period", "order": None})], "listed", r)
    d = ctx.api.get(q("/v1/settlements", seller="S2", **{"from": bj_day(-1), "to": bj_day(0)}),
                    key="s2", expect=200).json
    eq(d["orders"], [], "S2 sold nothing", None)
    eq(sorted((p["type"], p["allocated"]) for p in d["pools"]), [("advertising", False), ("taxes", False)],
       "period fees without orders are shown, not allocated", None)


@test
def test_external_fee_paging(ctx):
    """GET /v1/external-fees pages by (date, id) with next_cursor; a forged cursor is a 400."""
    books(ctx)
    every = ctx.api.get(q("/v1/external-fees", seller="S1"), key="s1", expect=200).json
    eq(every["next_cursor"], None, "one page holds them all", None)
    paged = list_all(ctx.api, "/v1/external-fees", key="s1", limit=2, seller="S1")
    eq([x["id"] for x in paged], [x["id"] for x in every["items"]], "pages of 2 give the same fees in order")
    check(len(paged) >= 6, "the fixture's six fees at least: %d" % len(paged))
    problem(ctx.api.get(q("/v1/external-fees", seller="S1", cursor="nope"), key="s1"), 400, "cursor",
            "a cursor not given out")


@test
def test_tenancy(ctx):
    books(ctx)
    problem(settlement(ctx, key="s2", expect=404), 404, "seller", "S2 reads S1's settlement")
    problem(settlement(ctx, key="op", expect=403), 403, None, "an operator has no settlement")
    r = ctx.api.get(q("/v1/settlements", **{"from": bj_day(-1), "to": bj_day(0)}), key="s1", expect=200)
    eq(r.json["seller"], "S1", "a seller key's own by default", r)
    problem(ctx.api.get(q("/v1/settlements", **{"from": bj_day(-1), "to": bj_day(0)}), key="admin"),
            400, "seller", "admin must name the seller")
    r = ctx.api.post("/v1/external-fees", {"seller": "S1", "fees": [
        {"type": "taxes", "amount": m("1.00", "EUR"), "date": bj_day(0), "reference": "S2-TRY"}]}, key="s2")
    problem(r, 404, "seller", "S2 records fees for S1")
    problem(ctx.api.get(q("/v1/external-fees", seller="S1"), key="s2"), 404, "seller", "S2 lists S1's fees")
    problem(ctx.api.post("/v1/external-fees", {"seller": "S1", "fees": []}, key="op"), 403, None,
            "an operator records no external fees")


@test
def test_period_limits(ctx):
    books(ctx)
    problem(settlement(ctx, expect=400, **{"from": bj_day(0), "to": bj_day(-1)}), 400, "from", "from after to")
    problem(settlement(ctx, expect=409, **{"to": bj_day(1)}), 409, "to", "a period ending tomorrow")
    problem(settlement(ctx, expect=400, **{"from": "2026-13-01"}), 400, "from", "bad from")
    problem(settlement(ctx, expect=400, **{"to": "yesterday"}), 400, "to", "bad to")
    problem(settlement(ctx, expect=400, **{"from": "2024-01-01"}), 400, "to", "more than 366 days")
    problem(settlement(ctx, expect=400, colour="red"), 400, "colour", "unknown query parameter")
    problem(settlement(ctx, expect=404, seller="NOPE", key="admin"), 404, "seller", "unknown seller")


@test
def test_return_charge_on_its_order(ctx):
    """S2 under a card of its own (receiving 0.10 a unit, shipping 1.00 an order, returns
    0.80 a unit): 5 units received (0.50, pooled), an order of 2 at 10.00 EUR shipped
    (1.00) and one unit returned (0.80, the return's charge netted against its order); the
    period's CSV taxes of 1.00 EUR (test_external_fee_csv_import) pooled onto it too.
    Net = 20.00 - 1.00 - 0.80 - 0.50 - 1.00 = 16.70."""
    catalog(ctx)
    card = {"warehouse": "DE-DUI", "seller": "S2", "currency": "EUR", "effective_from": utc_day(-30),
            "storage": {"basis": "m3", "tiers": [{"from_day": 0, "to_day": None, "rate": "0.45"}]},
            "inbound": {"basis": "unit", "rate": "0.10"},
            "outbound": {"breaks": [{"max_weight_g": None, "per_order": "1.00"}]},
            "returns": {"per_unit": "0.80"}}
    ctx.api.post("/v1/rate-cards", card, expect=201)
    mk_sku(ctx, "S2", "STL3")
    ib = stock(ctx, "S2", "DE-DUI", [("STL3", 5)])["id"]
    o = order(ctx, "S2", "STL3", 2, "10.00", "EUR", "s2")
    fulfil(ctx, "DE-DUI", [o])
    ret = ctx.api.post("/v1/returns", {"order": o, "lines": [{"sku": "STL3", "qty": 1, "condition": "sellable"}]},
                       key="s2", expect=201).json["id"]
    r = ctx.api.get(q("/v1/settlements", seller="S2", **{"from": bj_day(0), "to": bj_day(0)}), key="s2", expect=200)
    d = r.json
    eq([x["id"] for x in d["orders"]], [o], "S2's one sale", r)
    got = d["orders"][0]
    eq(lines_of(got), sorted([("fulfilment", "charge", "1.00", "EUR", "1.00"),
                              ("fulfilment", "charge", "0.80", "EUR", "0.80"),
                              ("fulfilment", "allocated", "0.50", "EUR", "0.50"),
                              ("taxes", "allocated", "1.00", "EUR", "1.00")]), "fee lines", r)
    check(any(f["reference"] == "return " + ret for f in got["fee_lines"]), "the return's charge names it", r)
    eq((got["fees_total"], got["net"]), (m("3.30", "EUR"), m("16.70", "EUR")), "net", r)
    eq([(c["rule"], c["qty"], c["list"], c["lot"]) for c in got["customs"]], [("fifo", 2, None, ib)],
       "units from an inbound without a list: named, no list", r)


@test
def test_missing_fx_rate(ctx):
    """S2 sells in EUR; a period fee in GBP without a GBP/EUR rate: 409 naming currency and day."""
    catalog(ctx)
    mk_sku(ctx, "S2", "STL2")
    stock(ctx, "S2", "DE-DUI", [("STL2", 4)])
    o = order(ctx, "S2", "STL2", 1, "10.00", "EUR", "s2")
    fulfil(ctx, "DE-DUI", [o], deliver=False)
    ctx.api.post("/v1/external-fees", {"seller": "S2", "fees": [
        {"type": "head_haul", "amount": m("5.00", "GBP"), "date": bj_day(0), "reference": "GBP-1"}]},
        key="s2", expect=201)
    r = ctx.api.get(q("/v1/settlements", seller="S2", **{"from": bj_day(0), "to": bj_day(0)}), key="s2")
    body = problem(r, 409, "currency", "no GBP/EUR rate")
    check("GBP" in json.dumps(body) and bj_day(0) in json.dumps(body), "names the currency and the day", r)


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

#!/usr/bin/env python3
"""haicang API tests: statements, invoices and receivables (issue 10, part 5).

A warehouse (DE-DUI) with two sellers: top-ups (POST /v1/sellers/{code}/topups)
and receiving charges (a rate card of DE-DUI: 0.30 EUR a unit, minimum 5.00,
surcharge 5.5 %) booked through the public API, then:
- the operator's receivables by seller, figure by figure against the charges
  worked out by hand;
- statements: the current and a future month refused (409 naming month), a
  bad month 400; the month before holds none of this month's postings (the
  Beijing month boundary), in JSON, CSV, PDF and XLSX, zh and en: the PDF
  read back by pdftotext, the XLSX opened as a zip with its sheets read, the
  CSV equal to the JSON;
- tenancy: a seller reads only its own statements and invoices, an operator
  only its warehouse's receivables;
- invoices: bad input 4xx naming the field, nothing written.
Every posting here is booked at the time it is made, so the month that has
ended holds none of them: a whole month checked line by line, and invoices
issued, is test_statement_month.py (the server on a past month's clock under
libfaketime); the Beijing month edges are in tests/unit/test_statement.c.

    python3 tests/api/test_statements.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]
"""

import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["HAICANG_STORAGE_TIMER_S"] = "0"  # no storage charges in the figures below
from common import check, eq, problem, q  # noqa: E402
from fixtures import collector, catalog, fixture, mk_sku, stock, run_suite  # noqa: E402

TESTS, test = collector()
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def month_of(delta):
    """The Beijing month `delta` months from this one, "YYYY-MM"."""
    now = datetime.datetime.now(BEIJING)
    y, m = now.year, now.month + delta
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return "%04d-%02d" % (y, m)


def stmt_path(seller, month, ext=""):
    return "/v1/sellers/%s/statements/%s%s" % (seller, month, ext)


def cents(money):
    a = money["amount"]
    neg = a.startswith("-")
    whole, frac = a.lstrip("-").split(".")
    v = int(whole) * 100 + int(frac)
    return -v if neg else v


@fixture
def books(ctx):
    """DE-DUI's card, S1 receives 10 units (5.28 EUR), S2 40 units (12.66
    EUR); top-ups S1 100.00 EUR, S2 50.00 EUR."""
    catalog(ctx)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    card = {"warehouse": "DE-DUI", "currency": "EUR",
            "effective_from": (today - datetime.timedelta(days=60)).isoformat(),
            "surcharge_pct": "5.5",
            "storage": {"basis": "m3", "tiers": [{"from_day": 0, "to_day": None, "rate": "0.45"}]},
            "inbound": {"basis": "unit", "rate": "0.30"},
            "outbound": {"breaks": [{"max_weight_g": None, "per_order": "2.50"}]},
            "minimums": {"inbound": {"amount": "5.00", "currency": "EUR"}}}
    ctx.api.post("/v1/rate-cards", card, expect=201)
    mk_sku(ctx, "S1", "STM1", dims=[200, 200, 200], weight=400)
    mk_sku(ctx, "S2", "STM2", dims=[200, 200, 200], weight=400)
    stock(ctx, "S1", "DE-DUI", [("STM1", 10)])
    stock(ctx, "S2", "DE-DUI", [("STM2", 40)])
    for seller, amount in (("S1", "100.00"), ("S2", "50.00")):
        ctx.api.post("/v1/sellers/%s/topups" % seller,
                     {"amount": amount, "currency": "EUR", "reference": "BANK-" + seller},
                     expect=201)
    return True


@test
def test_current_and_future_month_refused(ctx):
    books(ctx)
    for month in (month_of(0), month_of(1), month_of(14)):
        for ext in ("", ".pdf", ".xlsx", ".csv"):
            problem(ctx.api.get(stmt_path("S1", month, ext)), 409, "month",
                    "statement of %s%s" % (month, ext))
    for bad in ("2026-13", "2026-00", "2026-1", "26-01", "2026-01-01", "abcd-ef", "1969-12"):
        problem(ctx.api.get(stmt_path("S1", bad)), 400, "month", "month %r" % bad)
    prev = month_of(-1)
    problem(ctx.api.get(q(stmt_path("S1", prev), lang="fr")), 400, "lang")
    problem(ctx.api.get(q(stmt_path("S1", prev), format="docx")), 400, "format")
    problem(ctx.api.get(q(stmt_path("S1", prev, ".pdf"), format="csv")), 400, "format")
    problem(ctx.api.get(q(stmt_path("S1", prev), limit="0")), 400, "limit")
    problem(ctx.api.get(q(stmt_path("S1", prev), cursor="5")), 400, "cursor")
    problem(ctx.api.get(q(stmt_path("S1", prev), format="pdf", limit="5")), 400, "limit")
    problem(ctx.api.get(q(stmt_path("S1", prev, ".pdf"), limit="5")), 400, "limit")
    problem(ctx.api.get(stmt_path("S9", prev)), 404, "code")
    # invoices of a month that is running: refused, nothing written
    problem(ctx.api.post("/v1/invoices", {"seller": "S1", "warehouse": "DE-DUI",
                                          "month": month_of(0)}, key="op"), 409, "month")
    eq(ctx.api.get("/v1/invoices", expect=200).json["items"], [], "no invoice written")


@test
def test_receivables_by_seller(ctx):
    books(ctx)
    # 10 x 0.30 = 3.00 < 5.00 minimum; + 5.5 % = 0.275 -> 0.28 (half-even): 5.28
    # 40 x 0.30 = 12.00; + 0.66 = 12.66
    want = {"S1": 528, "S2": 1266}
    for month in (None, month_of(0)):
        r = ctx.api.get(q("/v1/warehouses/DE-DUI/receivables", month=month), key="op", expect=200)
        got = {it["seller"]: it for it in r.json["items"]}
        eq(sorted(got), ["S1", "S2"], "sellers with receivables (month %s)" % month, r)
        for seller, c in want.items():
            it = got[seller]
            eq(cents(it["charged"]), c, "%s charged" % seller, r)
            eq(it["charged"]["currency"], "EUR", "%s currency" % seller, r)
            eq(cents(it["invoiced"]), 0, "%s invoiced" % seller, r)
            eq(cents(it["uninvoiced"]), c, "%s not yet invoiced" % seller, r)
    # the charges API agrees with the receivables, seller by seller
    for seller, c in want.items():
        items = ctx.api.get(q("/v1/charges", warehouse="DE-DUI", seller=seller),
                            expect=200).json["items"]
        eq(sum(cents(x["amount"]) for x in items), c, "%s: sum of its charges" % seller)
    r = ctx.api.get(q("/v1/warehouses/DE-DUI/receivables", month=month_of(-1)), key="op",
                    expect=200)
    eq(r.json["items"], [], "nothing charged last month")
    problem(ctx.api.get("/v1/warehouses/US-LAX/receivables", key="op"), 404, "wh")
    problem(ctx.api.get("/v1/warehouses/XX-NONE/receivables"), 404, "wh")
    problem(ctx.api.get("/v1/warehouses/DE-DUI/receivables", key="s1"), 403)
    problem(ctx.api.get(q("/v1/warehouses/DE-DUI/receivables", month="2026-1")), 400, "month")


def pdftext(body):
    d = tempfile.mkdtemp(prefix="haicang-stmt-")
    try:
        p = os.path.join(d, "s.pdf")
        with open(p, "wb") as f:
            f.write(body)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=60)
        check(out.returncode == 0, "pdftotext could not read the PDF: %s" %
              out.stderr.decode("utf-8", "replace"))
        return out.stdout.decode("utf-8")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def xlsx_sheets(body):
    """{sheet name: [row texts]} of an XLSX (shared strings and numbers)."""
    z = zipfile.ZipFile(io.BytesIO(body))
    check(z.testzip() is None, "the XLSX zip is damaged")
    names = z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        shared = [re.sub(r"<[^>]+>", "", s) for s in
                  re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode("utf-8"), re.S)]
    wb = z.read("xl/workbook.xml").decode("utf-8")
    sheets = re.findall(r'<sheet name="([^"]+)"', wb)
    out = {}
    for i, name in enumerate(sheets, 1):
        xml = z.read("xl/worksheets/sheet%d.xml" % i).decode("utf-8")
        rows = []
        for row in re.findall(r"<row [^>]*>(.*?)</row>", xml, re.S):
            cells = []
            for attrs, inner in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", row, re.S):
                if 't="s"' in attrs:
                    val = shared[int(re.search(r"<v>([^<]*)</v>", inner).group(1))]
                elif 't="inlineStr"' in attrs:  # constant-memory mode writes strings inline
                    val = re.sub(r"<[^>]+>", "", inner)
                else:
                    v = re.search(r"<v>([^<]*)</v>", inner or "")
                    val = v.group(1) if v else ""
                # place by the cell's column (empty cells are not written)
                col = 0
                for ch in re.search(r'r="([A-Z]+)', attrs).group(1):
                    col = col * 26 + ord(ch) - 64
                while len(cells) < col - 1:
                    cells.append("")
                cells.append(val)
            rows.append(cells)
        out[name] = rows
    return out


@test
def test_statement_last_month_all_formats(ctx):
    """This month's top-ups and charges stay out of last month's statement."""
    books(ctx)
    prev = month_of(-1)
    r = ctx.api.get(stmt_path("S1", prev), key="s1", expect=200)
    st = r.json
    eq((st["seller"], st["month"], st["timezone"]), ("S1", prev, "Asia/Shanghai"), "head", r)
    y, m = map(int, prev.split("-"))
    start = datetime.datetime(y, m, 1, tzinfo=BEIJING).astimezone(datetime.timezone.utc)
    eq(st["from"], start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "from: Beijing midnight", r)
    eq(st["lines"], [], "no line of this month", r)
    eq(st["totals"], [], "no balance before or in the month", r)
    eq(st["by_type"], [], "no type", r)
    same = ctx.api.get(q(stmt_path("S1", prev), format="json"), key="s1", expect=200).json
    eq(same, st, "format=json is the JSON")
    # CSV: the same figures (none) under the same headings
    r = ctx.api.get(stmt_path("S1", prev, ".csv"), key="s1")
    eq(r.status, 200, "CSV status", r)
    check(r.ctype.startswith("text/csv"), "CSV content type %r" % r.ctype, r)
    text = r.body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    eq(rows[0], ["Seller", "S1"], "CSV seller row", r)
    eq(rows[1], ["Month", prev], "CSV month row", r)
    heads = [row for row in rows if row[:1] == ["Currency"] or row[:1] == ["Date"]]
    eq(len(heads), 3, "three tables with their headings", r)
    for title in ("Balances by currency", "Totals by type", "Postings"):
        check([title] in rows, "CSV has the table %r" % title, r)
    # format=csv answers the same bytes as .csv
    r2 = ctx.api.get(q(stmt_path("S1", prev), format="csv"), key="s1")
    eq(r2.body, r.body, "format=csv = .csv")
    # PDF, en and zh
    r = ctx.api.get(stmt_path("S1", prev, ".pdf"), key="s1")
    eq((r.status, r.ctype), (200, "application/pdf"), "PDF answer", r)
    check(r.body.startswith(b"%PDF-"), "a PDF", r)
    t = pdftext(r.body)
    for want in ("Statement S1 %s" % prev, "Balances by currency", "Postings", "Closing"):
        check(want in t, "the PDF reads %r:\n%s" % (want, t[:500]))
    r = ctx.api.get(q(stmt_path("S1", prev, ".pdf"), lang="zh"), key="s1")
    t = pdftext(r.body)
    for want in ("对账单", "期末余额", "明细"):
        check(want in t, "the zh PDF reads %r:\n%s" % (want, t[:500]))
    # XLSX: three sheets, the first with the title and the seller
    r = ctx.api.get(q(stmt_path("S1", prev, ".xlsx"), lang="zh"), key="s1")
    eq(r.ctype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX type", r)
    sheets = xlsx_sheets(r.body)
    eq(list(sheets), ["Summary", "By type", "Postings"], "XLSX sheets")
    eq(sheets["Summary"][0], ["对账单 S1 %s" % prev], "XLSX title")
    eq(sheets["Summary"][1], ["卖家", "S1"], "XLSX seller")
    check(["币种", "期初余额", "收入", "支出", "期末余额", "笔数"] in sheets["Summary"],
          "XLSX summary heading: %r" % sheets["Summary"])


@test
def test_statement_tenancy(ctx):
    books(ctx)
    prev = month_of(-1)
    for ext in ("", ".pdf", ".xlsx", ".csv"):
        problem(ctx.api.get(stmt_path("S1", prev, ext), key="s2"), 404, "code",
                "S2 reads S1's statement%s" % ext)
        problem(ctx.api.get(stmt_path("S1", prev, ext), key="op"), 403)
        eq(ctx.api.get(stmt_path("S2", prev, ext), key="s2").status, 200, "S2 reads its own")
        eq(ctx.api.get(stmt_path("S1", prev, ext), key="admin").status, 200, "admin reads S1's")


@test
def test_invoice_bad_input(ctx):
    books(ctx)
    prev = month_of(-1)
    inv = "/v1/invoices"
    for field in ("seller", "warehouse", "month"):
        body = {"seller": "S1", "warehouse": "DE-DUI", "month": prev}
        del body[field]
        problem(ctx.api.post(inv, body, key="op"), 400, field, "no %s" % field)
    problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": 202601},
                         key="op"), 400, "month")
    problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": "2026-13"},
                         key="op"), 400, "month")
    problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "US-LAX", "month": prev}, key="op"),
            404, "warehouse", "another warehouse's operator")
    problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": prev}, key="s1"),
            403)
    problem(ctx.api.post(inv, {"seller": "S9", "warehouse": "DE-DUI", "month": prev}, key="op"),
            404, "seller")
    # last month charged nothing: no invoice, no number taken
    problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": prev}, key="op"),
            409, "month")
    eq(ctx.api.get(inv, expect=200).json["items"], [], "no invoice written")
    problem(ctx.api.get(inv + "/inv_1"), 404, "id")
    problem(ctx.api.get(inv + "/DE-DUI-000001.pdf", key="s1"), 404, "id")
    problem(ctx.api.get(q(inv, seller="S1", bogus="1")), 400, "bogus")
    eq(ctx.api.get(q(inv, seller="S1"), key="s2", expect=200).json["items"], [],
       "S2 asking for S1's invoices: an empty list")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

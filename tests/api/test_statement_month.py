#!/usr/bin/env python3
"""haicang API tests: a whole month of a warehouse with two sellers, its
statements checked line by line against figures worked out by hand, and its
invoices (issue 10, part 5).

Postings are made through the public API only. To book them in months that
have ended, `haicang serve` runs under libfaketime (Debian faketime) with
its clock set back: first in the month three months ago (S1 tops up 20.00:
its opening balance), then in the month two months ago (top-ups, receipts
charged by DE-DUI's rate card: 0.30 EUR a unit, minimum 5.00, surcharge
5.5 %), then at the real time, when that month has ended and is stated and
invoiced. The statement, in JSON, CSV, PDF and XLSX, must equal the hand
figures; invoice numbers run 1, 2 without a gap across refused issues.

    python3 tests/api/test_statement_month.py --bin build/src/cli/haicang --db sqlite|mariadb [--keep]
"""

import argparse
import csv
import datetime
import io
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, MariaDB, Runner, Server, check, cleanup, closing_checks,  # noqa: E402
                    create_key, eq, fresh_db_url, problem, run_cli, seg)
from fixtures import Ctx, catalog, mk_sku, stock  # noqa: E402
from test_statements import cents, pdftext, xlsx_sheets  # noqa: E402

FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def month_back(n):
    now = datetime.datetime.now(BEIJING)
    y, m = now.year, now.month - n
    while m < 1:
        y, m = y - 1, m + 12
    return y, m


def fake_env(y, m, day):
    # 10:00 UTC is 18:00 in Beijing: the same day and month on both clocks
    return {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": "@%04d-%02d-%02d 10:00:00" % (y, m, day),
            "TZ": "UTC", "HAICANG_STORAGE_TIMER_S": "0",
            "ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                  "build", "src", "cli", "haicang"))
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    runner = Runner()
    binary = os.path.abspath(args.bin)
    if not os.path.exists(FAKETIME_LIB):
        runner.fail("setup", "no %s (Debian package libfaketime)" % FAKETIME_LIB)
        return runner.finish()
    workdir = tempfile.mkdtemp(prefix="haicang-stmt-month-")
    maria = server = None
    stderr = []
    try:
        spec = args.db
        if spec == "mariadb":
            maria = MariaDB(workdir)
            spec = maria.start()
        db = fresh_db_url(spec, workdir)
        run_cli(binary, ["migrate", "--db", db])
        keys = {}
        for name, kargs in (("admin", ["--role", "admin"]),
                            ("op", ["--role", "operator", "--warehouse", "DE-DUI"]),
                            ("s1", ["--role", "seller", "--seller", "S1"]),
                            ("s2", ["--role", "seller", "--seller", "S2"])):
            keys[name], _ = create_key(binary, db, *kargs)
        y3, m3 = month_back(3)
        y2, m2 = month_back(2)
        month = "%04d-%02d" % (y2, m2)
        state = {}

        def phase(env, fn):
            nonlocal server
            server = Server(binary, db, workdir, extra_env=env)
            server.start()
            ctx = Ctx(Api("127.0.0.1", server.port, keys), binary, db)
            try:
                return fn(ctx)
            finally:
                server.stop()
                stderr.extend(server.stderr_texts)
                server = None

        def before(ctx):
            catalog(ctx)
            ctx.api.post("/v1/sellers/S1/topups", {"amount": "20.00", "currency": "EUR",
                                                   "reference": "BANK-S1-0"}, expect=201)

        def during(ctx):
            card = {"warehouse": "DE-DUI", "currency": "EUR", "effective_from": "%04d-%02d-01" % (y2, m2),
                    "surcharge_pct": "5.5",
                    "storage": {"basis": "m3", "tiers": [{"from_day": 0, "to_day": None, "rate": "0.45"}]},
                    "inbound": {"basis": "unit", "rate": "0.30"},
                    "outbound": {"breaks": [{"max_weight_g": None, "per_order": "2.50"}]},
                    "minimums": {"inbound": {"amount": "5.00", "currency": "EUR"}}}
            ctx.api.post("/v1/rate-cards", card, expect=201)
            mk_sku(ctx, "S1", "MON1", dims=[200, 200, 200], weight=400)
            mk_sku(ctx, "S2", "MON2", dims=[200, 200, 200], weight=400)
            ctx.api.post("/v1/sellers/S1/topups", {"amount": "100.00", "currency": "EUR",
                                                   "reference": "BANK-S1-1"}, expect=201)
            state["ib1"] = stock(ctx, "S1", "DE-DUI", [("MON1", 10)])["id"]
            ctx.api.post("/v1/sellers/S2/topups", {"amount": "50.00", "currency": "EUR",
                                                   "reference": "BANK-S2-1"}, expect=201)
            state["ib2"] = stock(ctx, "S2", "DE-DUI", [("MON2", 40)])["id"]
            # the month is running: no statement yet
            problem(ctx.api.get("/v1/sellers/S1/statements/%s" % month, key="s1"), 409, "month")

        try:
            phase(fake_env(y3, m3, 20), before)
            phase(fake_env(y2, m2, 15), during)
            server = Server(binary, db, workdir, extra_env={"HAICANG_STORAGE_TIMER_S": "0"})
            server.start()
        except Exception as e:
            runner.fail("setup", str(e))
            return runner.finish()
        ctx = Ctx(Api("127.0.0.1", server.port, keys), binary, db)

        def want_lines(seller):
            # by hand: S1 receives 10 units: 10 x 0.30 = 3.00 < 5.00 minimum, + 5.5 %
            # = 0.275 -> 0.28 (half-even): 5.28; S2 40 units: 12.00 + 0.66 = 12.66
            if seller == "S1":
                return 2000, [("topup", "BANK-S1-1", 10000, 12000), ("inbound", state["ib1"], -528, 11472)]
            return 0, [("topup", "BANK-S2-1", 5000, 5000), ("inbound", state["ib2"], -1266, 3734)]

        def test_statement_line_by_line(ctx):
            for seller in ("S1", "S2"):
                opening, lines = want_lines(seller)
                r = ctx.api.get("/v1/sellers/%s/statements/%s" % (seller, month), key=seller.lower(),
                                expect=200)
                st = r.json
                got = [(l["type"], l["cause"]["id"], cents(l["amount"]), cents(l["balance"]))
                       for l in st["lines"]]
                eq(got, lines, "%s's lines (type, cause, amount, running balance)" % seller, r)
                eq(len(st["totals"]), 1, "one currency", r)
                tot = st["totals"][0]
                closing = opening + sum(x[2] for x in lines)
                eq((tot["currency"], cents(tot["opening"]), cents(tot["credits"]), cents(tot["debits"]),
                    cents(tot["closing"]), tot["lines"]),
                   ("EUR", opening, lines[0][2], lines[1][2], closing, 2), "%s's totals" % seller, r)
                eq([(k["type"], cents(k["amount"])) for k in st["by_type"]],
                   [("inbound", lines[1][2]), ("topup", lines[0][2])], "%s by type" % seller, r)
                check(all(l["warehouse"] in ("DE-DUI", "") for l in st["lines"]), "warehouses", r)
                # the wallet today says the same (nothing booked since)
                w = ctx.api.get("/v1/sellers/%s/wallet" % seller, key=seller.lower(), expect=200).json
                eq(cents(w["balances"][0]["balance"]), closing, "%s's wallet = closing" % seller)

        def test_files_match_json(ctx):
            opening, lines = want_lines("S1")
            base = "/v1/sellers/S1/statements/%s" % month
            js = ctx.api.get(base, key="s1", expect=200).json
            r = ctx.api.get(base + ".csv", key="s1")
            rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
            i = rows.index(["Postings"])
            eq(rows[i + 1][:9], ["Date", "Type", "Cause", "Warehouse", "Memo", "Currency", "Amount",
                                 "Balance", "Entry"], "CSV postings heading", r)
            body = rows[i + 2:i + 2 + len(js["lines"])]
            eq([(x[2], x[5], x[6], x[7], x[8]) for x in body],
               [(l["cause"]["id"], "EUR", l["amount"]["amount"], l["balance"]["amount"], l["entry"])
                for l in js["lines"]], "CSV lines = JSON lines", r)
            j = rows.index(["Balances by currency"])
            eq(rows[j + 2], ["EUR", "20.00", "100.00", "-5.28", "114.72", "2"], "CSV balances", r)
            t = pdftext(ctx.api.get(base + ".pdf", key="s1").body)
            for want in ("114.72", "-5.28", "100.00", "BANK-S1-1", "Inbound", "Top-up"):
                check(want in t, "the PDF shows %r:\n%s" % (want, t[:800]))
            sheets = xlsx_sheets(ctx.api.get(base + ".xlsx", key="s1").body)
            post = sheets["Postings"]
            eq([(x[2], float(x[6]), float(x[7])) for x in post[2:]],
               [(l[1], l[2] / 100, l[3] / 100) for l in lines], "XLSX postings (numbers)")
            eq([float(v) for v in sheets["Summary"][-1][1:5]], [20.0, 100.0, -5.28, 114.72],
               "XLSX balances")

        def test_invoices_numbered_without_gaps(ctx):
            inv = "/v1/invoices"
            r = ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": month}, key="op",
                             expect=201)
            i1 = r.json
            eq((i1["number"], i1["seq"], i1["seller"], i1["warehouse"]), ("DE-DUI-000001", 1, "S1", "DE-DUI"),
               "first invoice", r)
            # one line per type (its revenue postings counted in "lines")
            eq([(l["type"], l["amount"]) for l in i1["lines"]],
               [("inbound", {"amount": "5.28", "currency": "EUR"})], "invoice lines", r)
            check(i1["lines"][0]["lines"] >= 1, "postings behind the line", r)
            eq(i1["totals"], [{"amount": "5.28", "currency": "EUR"}], "invoice total", r)
            # refusals take no number
            problem(ctx.api.post(inv, {"seller": "S1", "warehouse": "DE-DUI", "month": month}, key="op"),
                    409, "month", "a second invoice of the month")
            problem(ctx.api.post(inv, {"seller": "S2", "warehouse": "DE-DUI",
                                       "month": "%04d-%02d" % (y3, m3)}, key="op"), 409, "month",
                    "a month without charges")
            r = ctx.api.post(inv, {"seller": "S2", "warehouse": "DE-DUI", "month": month},
                             key="admin", expect=201)
            eq((r.json["number"], r.json["totals"]), ("DE-DUI-000002", [{"amount": "12.66", "currency": "EUR"}]),
               "second invoice: the next number", r)
            # reading: the seller and the issuer's operator; another seller 404
            eq(ctx.api.get("%s/%s" % (inv, seg(i1["id"])), key="s1", expect=200).json, i1, "S1 reads it")
            eq(ctx.api.get("%s/DE-DUI-000001" % inv, key="op", expect=200).json["id"], i1["id"], "by number")
            problem(ctx.api.get("%s/%s" % (inv, seg(i1["id"])), key="s2"), 404, "id")
            t = pdftext(ctx.api.get("%s/%s.pdf" % (inv, seg(i1["id"])), key="s1").body)
            for want in ("DE-DUI-000001", "5.28", month):
                check(want in t, "the invoice PDF shows %r:\n%s" % (want, t[:600]))
            eq([x["number"] for x in ctx.api.get(inv, key="s1", expect=200).json["items"]], ["DE-DUI-000001"],
               "S1 lists its own invoice only")
            r = ctx.api.get("/v1/warehouses/DE-DUI/receivables?month=%s" % month, key="op", expect=200)
            got = {x["seller"]: (x["charged"]["amount"], x["invoiced"]["amount"], x["uninvoiced"]["amount"])
                   for x in r.json["items"]}
            eq(got, {"S1": ("5.28", "5.28", "0.00"), "S2": ("12.66", "12.66", "0.00")}, "receivables", r)

        def test_statement_pages(ctx):
            """limit/cursor page the JSON statement's lines; the totals stay the month's."""
            for seller in ("S1", "S2"):
                base = "/v1/sellers/%s/statements/%s" % (seller, month)
                full = ctx.api.get(base, key="admin", expect=200).json
                eq(full.get("next_cursor", "absent"), None, "the whole statement: no next page")
                lines, cursor, pages = [], None, 0
                while True:
                    r = ctx.api.get(base + ("?limit=1" + ("&cursor=" + cursor if cursor else "")),
                                    key=seller.lower(), expect=200)
                    page = r.json
                    check(len(page["lines"]) <= 1, "a page of limit=1", r)
                    eq((page["totals"], page["by_type"]), (full["totals"], full["by_type"]),
                       "every page has the month's totals", r)
                    lines.extend(page["lines"])
                    pages += 1
                    cursor = page["next_cursor"]
                    if cursor is None:
                        break
                    check(pages <= len(full["lines"]), "paging ends", r)
                eq(lines, full["lines"], "%s: the pages' lines, running balances too" % seller)
                eq(pages, len(full["lines"]), "one line a page")
                one = ctx.api.get(base + "?limit=1000", key="admin", expect=200).json
                eq(one["lines"], full["lines"], "limit=1000: every line in one page")
            base = "/v1/sellers/S1/statements/%s" % month
            problem(ctx.api.get(base + "?cursor=abc", key="s1"), 400, "cursor")
            problem(ctx.api.get(base + "?limit=1001", key="s1"), 400, "limit")
            problem(ctx.api.get(base + ".csv?limit=1", key="s1"), 400, "limit")

        def test_invoice_pages(ctx):
            """GET /v1/invoices pages by cursor, newest first, each invoice once."""
            everything = [x["number"] for x in ctx.api.get("/v1/invoices", expect=200).json["items"]]
            eq(sorted(everything), ["DE-DUI-000001", "DE-DUI-000002"], "both invoices")
            seen, cursor = [], None
            for _ in range(5):
                path = "/v1/invoices?limit=1" + ("&cursor=" + seg(cursor) if cursor else "")
                r = ctx.api.get(path, key="op", expect=200)
                check(len(r.json["items"]) <= 1, "a page of limit=1", r)
                seen.extend(x["number"] for x in r.json["items"])
                cursor = r.json["next_cursor"]
                if cursor is None:
                    break
            eq(seen, everything, "pages of one: the same invoices in the same order")
            r = ctx.api.get("/v1/invoices?limit=1", key="s1", expect=200)
            eq(([x["number"] for x in r.json["items"]], r.json["next_cursor"]),
               (["DE-DUI-000001"], None), "a seller pages its own only", r)
            problem(ctx.api.get("/v1/invoices?cursor=x", key="admin"), 400, "cursor")
            problem(ctx.api.get("/v1/invoices?cursor=1.2", key="admin"), 400, "cursor")

        for t in (test_statement_line_by_line, test_files_match_json, test_invoices_numbered_without_gaps,
                  test_statement_pages, test_invoice_pages):
            runner.run(t.__name__, t, ctx)
        server.stop()
        stderr.extend(server.stderr_texts)
        server = None
        closing_checks(runner, binary, db, stderr)
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        cleanup(server, maria, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())

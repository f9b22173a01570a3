#!/usr/bin/env python3
"""haicang API tests: a statement of many lines (issue 10, part 5) carries
every line in every format.

S1 tops up 1,500 times through the public API in the month before this one
(`haicang serve` under libfaketime, as in test_statement_month.py), in EUR
and USD, with receipt references that XML, CSV and PDF must carry as they
are (& < > " , Chinese, a literal "_x0041_"). Then, at the real time:
- the JSON statement has the 1,500 lines, with running balances per currency
  equal to the sums worked out here;
- the CSV equals the JSON line by line;
- the XLSX (its postings sheet is written by src/render/xlsx_rows.c above
  1,000 rows) is a sound zip whose sheets parse as XML, and its postings
  sheet has one row per line with the JSON's cause, amount, balance, entry;
- the PDF, read back by pdftotext, shows every line's entry id and receipt
  reference, and the closing balances.
A statement of more than 100,000 lines, whose PDF sums the lines per day
instead, is tests/unit/test_statement.c (long_statement_pdf_by_day).

    python3 tests/api/test_statement_long.py --bin build/src/cli/haicang --db sqlite|mariadb [--keep]
"""

import argparse
import csv
import datetime
import io
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, MariaDB, Runner, Server, check, cleanup, closing_checks,  # noqa: E402
                    create_key, eq, fresh_db_url, run_cli)
from fixtures import Ctx, catalog  # noqa: E402
from test_statements import cents, pdftext  # noqa: E402
from test_statement_month import FAKETIME_LIB, fake_env, month_back  # noqa: E402

N = 1500
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def topup(i):
    """The i-th top-up: (currency, minor, reference)."""
    cur = "USD" if i % 7 == 3 else "EUR"
    minor = 1 + (i * 7919) % 250000
    odd = {10: "R&D <%d> \"q\"" % i, 11: "退款-中文-%d" % i, 12: "a,b;c %d" % i,
           13: "_x0041_ lit %d" % i, 14: " lead space %d" % i}
    return cur, minor, odd.get(i % 100, "BANK-L-%05d" % i)


def money_str(minor):
    s = "%d.%02d" % (abs(minor) // 100, abs(minor) % 100)
    return "-" + s if minor < 0 else s


def sheet_rows(z, path):
    """[[cell text]] of a worksheet, parsed as XML (cells placed by their r)."""
    root = ET.fromstring(z.read(path))
    rows = []
    for row in root.iter("{%s}row" % NS["m"]):
        cells = []
        for c in row.findall("m:c", NS):
            col = 0
            for ch in re.match(r"[A-Z]+", c.get("r")).group(0):
                col = col * 26 + ord(ch) - 64
            while len(cells) < col - 1:
                cells.append("")
            if c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iter("{%s}t" % NS["m"])))
            else:
                v = c.find("m:v", NS)
                cells.append(v.text if v is not None else "")
        rows.append(cells)
    return rows


def xlsx_unescape(s):
    """OOXML's _xHHHH_ escapes (a literal "_x0041_" is written "_x005F_x0041_")."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


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
    workdir = tempfile.mkdtemp(prefix="haicang-stmt-long-")
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
        for name, kargs in (("admin", ["--role", "admin"]), ("s1", ["--role", "seller", "--seller", "S1"])):
            keys[name], _ = create_key(binary, db, *kargs)
        y1, m1 = month_back(1)
        month = "%04d-%02d" % (y1, m1)

        def during(ctx):
            catalog(ctx)
            for i in range(N):
                cur, minor, ref = topup(i)
                ctx.api.post("/v1/sellers/S1/topups", {"amount": money_str(minor), "currency": cur,
                                                       "reference": ref}, expect=201)

        try:
            server = Server(binary, db, workdir, extra_env=fake_env(y1, m1, 10))
            server.start()
            try:
                during(Ctx(Api("127.0.0.1", server.port, keys), binary, db))
            finally:
                server.stop()
                stderr.extend(server.stderr_texts)
            server = Server(binary, db, workdir, extra_env={"HAICANG_STORAGE_TIMER_S": "0"})
            server.start()
        except Exception as e:
            runner.fail("setup", str(e))
            return runner.finish()
        ctx = Ctx(Api("127.0.0.1", server.port, keys), binary, db)
        base = "/v1/sellers/S1/statements/%s" % month

        # by hand: every top-up in booking order, a running balance per currency
        want, bal = [], {"EUR": 0, "USD": 0}
        for i in range(N):
            cur, minor, ref = topup(i)
            bal[cur] += minor
            want.append((ref, cur, minor, bal[cur]))

        cache = {}

        def js_lines(ctx):
            if "js" not in cache:
                cache["js"] = ctx.api.get(base, key="s1", expect=200).json
            return cache["js"]["lines"]

        def test_json_has_every_line(ctx):
            js = ctx.api.get(base, key="s1", expect=200).json
            eq(len(js["lines"]), N, "lines")
            eq([(l["cause"]["id"], l["amount"]["currency"], cents(l["amount"]), cents(l["balance"]))
                for l in js["lines"]], want, "lines in order with running balances")
            eq({t["currency"]: (cents(t["closing"]), t["lines"]) for t in js["totals"]},
               {c: (bal[c], sum(1 for w in want if w[1] == c)) for c in bal}, "closing per currency")

        def test_csv_equals_json(ctx):
            r = ctx.api.get(base + ".csv", key="s1")
            eq(r.status, 200, "CSV answer", r)
            rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
            i = rows.index(["Postings"])
            body = rows[i + 2:]
            eq(len(body), N, "CSV postings rows")
            eq([(x[2], x[5], x[6], x[7], x[8]) for x in body],
               [(l["cause"]["id"], l["amount"]["currency"], l["amount"]["amount"], l["balance"]["amount"],
                 l["entry"]) for l in js_lines(ctx)], "CSV lines = JSON lines")

        def test_xlsx_opens_with_every_row(ctx):
            for lang in ("en", "zh"):
                r = ctx.api.get(base + ".xlsx?lang=" + lang, key="s1")
                eq(r.status, 200, "XLSX answer", r)
                z = zipfile.ZipFile(io.BytesIO(r.body))
                check(z.testzip() is None, "the XLSX zip is sound (%s)" % lang)
                for name in z.namelist():  # every part is well-formed XML
                    if name.endswith(".xml") or name.endswith(".rels"):
                        ET.fromstring(z.read(name))
                rows = sheet_rows(z, "xl/worksheets/sheet3.xml")
                eq(len(rows), N + 2, "postings sheet: title, heading and one row a line (%s)" % lang)
                got = [(xlsx_unescape(x[2]), x[5], round(float(x[6]) * 100), round(float(x[7]) * 100),
                        x[8]) for x in rows[2:]]
                eq(got, [(l["cause"]["id"], l["amount"]["currency"], cents(l["amount"]),
                          cents(l["balance"]), l["entry"]) for l in js_lines(ctx)],
                   "XLSX rows = JSON lines (%s)" % lang)
                dim = ET.fromstring(z.read("xl/worksheets/sheet3.xml")).find("m:dimension", NS).get("ref")
                eq(dim, "A1:I%d" % (N + 2), "the sheet's dimension")
                summary = sheet_rows(z, "xl/worksheets/sheet1.xml")
                eq(sorted((x[0], round(float(x[4]) * 100)) for x in summary[-2:]),
                   sorted(bal.items()), "XLSX closing balances (%s)" % lang)

        def test_pdf_has_every_line(ctx):
            for lang in ("en", "zh"):
                r = ctx.api.get(base + ".pdf?lang=" + lang, key="s1")
                eq(r.status, 200, "PDF answer", r)
                t = pdftext(r.body)
                flat = re.sub(r"\s+", " ", t)
                missing = [l["entry"] for l in js_lines(ctx) if l["entry"] not in t]
                eq(missing, [], "entry ids missing from the PDF (%s)" % lang)
                missing = [l["cause"]["id"] for l in js_lines(ctx)
                           if re.sub(r"\s+", " ", l["cause"]["id"]).strip() not in flat]
                eq(missing, [], "references missing from the PDF (%s)" % lang)
                for c in bal:
                    check(money_str(bal[c]) in t, "closing %s %s in the PDF (%s)" % (c, money_str(bal[c]), lang))

        for fn in (test_json_has_every_line, test_csv_equals_json, test_xlsx_opens_with_every_row,
                   test_pdf_has_every_line):
            runner.run(fn.__name__, fn, ctx)
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

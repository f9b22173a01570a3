#!/usr/bin/env python3
"""haicang API tests: rate cards imported over HTTP (POST /v1/rate-cards/import, issue 10
item 2), as CSV and as the same columns in an .xlsx written here by hand (zipfile and XML,
tests/cli/make_xlsx.py): the cards stored as the rows say (a date cell, a rate Excel
writes as 0.30000000000000004), all or none; a bad row named by its row, a file that is
not an XLSX named "file", an operator held to its warehouse, sellers refused.

    python3 tests/api/test_ratecard_import.py --bin build/src/cli/haicang --db sqlite|mariadb
"""

import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
from common import check, eq, problem, q  # noqa: E402
from fixtures import catalog, collector, items_of, run_suite  # noqa: E402
import make_xlsx  # noqa: E402

TESTS, test = collector()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD = ["card", "warehouse", "seller", "currency", "effective_from", "effective_to", "item",
        "from", "to", "rate"]


def xlsx_of(rows):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "rows.json"), os.path.join(d, "cards.xlsx")
        with open(src, "w") as f:
            json.dump(rows, f)
        make_xlsx.main(out, src)
        with open(out, "rb") as f:
            return f.read()


def post(ctx, body, ctype, key="admin"):
    return ctx.api.call("POST", "/v1/rate-cards/import", raw=body, key=key,
                        headers={"Content-Type": ctype})


def cards_of(ctx, seller, key="admin"):
    r = ctx.api.get(q("/v1/rate-cards", seller=seller, all="true"), key=key, expect=200)
    return [c for c in items_of(r) if c.get("seller") == seller]


@test
def test_csv_and_xlsx(ctx):
    catalog(ctx)
    csv = ("card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate\n"
           "c1,DE-DUI,S1,EUR,2030-01-01,2030-12-31,storage_m3,0,,0.40\n"
           "c1,DE-DUI,S1,EUR,2030-01-01,2030-12-31,outbound,,,2.10\n")
    r = post(ctx, csv.encode(), "text/csv", key="op")
    eq(r.status, 201, "CSV imported", r)
    eq(r.json["imported"], 1, "one card", r)
    eq(r.json["cards"][0]["effective_from"], "2030-01-01", "its first day", r)
    # the next year's card from an .xlsx: 46753 is 2028-01-01 ... 2031-01-01 is 47849
    rows = [HEAD,
            ["x1", "DE-DUI", "~S1", "EUR", {"date": 47849}, None, "storage_m3", 0, 90,
             0.30000000000000004],
            ["x1", "DE-DUI", "~S1", "EUR", {"date": 47849}, None, "storage_m3", 91, "", 0.55],
            [],
            ["x1", "DE-DUI", "~S1", "EUR", {"date": 47849}, None, "outbound", None, None, 2.4]]
    r = post(ctx, xlsx_of(rows), XLSX, key="op")
    eq(r.status, 201, "XLSX imported", r)
    card = r.json["cards"][0]
    eq((card["warehouse"], card["seller"], card["currency"], card["effective_from"],
        card["effective_to"]), ("DE-DUI", "S1", "EUR", "2031-01-01", None), "the card's head", r)
    eq([(t["from_day"], t["to_day"], t["rate"]) for t in card["storage"]["tiers"]],
       [(0, 90, "0.300000"), (91, None, "0.550000")], "tiers as typed (0.1 + 0.2 reads 0.3)", r)
    got = ctx.api.get("/v1/rate-cards/%s" % card["id"], key="s1", expect=200).json
    eq(got["id"], card["id"], "the seller reads it")
    eq(len(cards_of(ctx, "S1")), 2, "two cards of S1")


@test
def test_refusals_store_nothing(ctx):
    catalog(ctx)
    before = len(cards_of(ctx, "S2"))
    good = [["g1", "DE-DUI", "~S2", "EUR", "2040-01-01", None, "storage_m3", 0, "", 0.5],
            ["g1", "DE-DUI", "~S2", "EUR", "2040-01-01", None, "outbound", None, None, 2]]
    bad_rate = ["g1", "DE-DUI", "~S2", "EUR", "2040-01-01", None, "return_unit", None, None, "2,5"]
    problem(post(ctx, xlsx_of([HEAD] + good + [bad_rate]), XLSX), 400, "row 4: rate")
    # a second card that overlaps the first: neither stored
    overlap = [[("g2" if i == 0 else v) for i, v in enumerate(row)] for row in good]
    overlap[0][4] = overlap[1][4] = "2040-06-01"
    problem(post(ctx, xlsx_of([HEAD] + good + overlap), XLSX), 400, "card 2: effective_from")
    problem(post(ctx, b"PK\x03\x04 not really a zip", XLSX), 400, "file")
    problem(post(ctx, b"card,warehouse\n", XLSX), 400, "file")
    problem(post(ctx, b"", "text/csv"), 400, "body")
    problem(post(ctx, b"c,DE-DUI", "application/json"), 400, "Content-Type")
    # an operator imports its own warehouse's cards only
    other = [["o1", "US-LAX", "~S2", "USD"] + row[4:] for row in good]
    problem(post(ctx, xlsx_of([HEAD] + good + other), XLSX, key="op"), 400, "card 2: warehouse")
    r = post(ctx, xlsx_of([HEAD] + good), XLSX, key="s2")
    eq(r.status, 403, "sellers import no cards", r)
    eq(len(cards_of(ctx, "S2")), before, "nothing stored by the refusals")
    r = post(ctx, xlsx_of([HEAD] + good), XLSX)
    eq(r.status, 201, "the good card alone", r)
    check(len(cards_of(ctx, "S2")) == before + 1, "stored once")


if __name__ == "__main__":
    sys.exit(run_suite(TESTS, __doc__))

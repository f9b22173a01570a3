#!/usr/bin/env python3
"""haicang API tests: carrier services, rate shopping, parcels and labels (issue 12).

Services are defined, read, versioned and refused naming the field; a CSV
import is all or none; POST /v1/rates prices every service that takes the
parcels (exact minor units, billable weight, promised day) and refuses a
parcel over every limit (409 parcels[0].weight_g) or a postcode no zone
covers (400 ship_to.postcode); parcels recorded at the pack step get a box
suggestion and their own S10 / SSCC numbers, whose check digits are
recomputed here; each label's PDF is rasterised by pdftoppm and its barcodes
read by zbarimg (poppler-utils, zbar-tools), which must give back the
tracking number; POST /v1/orders/{id}/ship still works after it.

    python3 tests/api/test_lastmile.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Standard library only; see tests/api/README.md.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, list_all, make_wave, mk_sku,  # noqa: E402
                      order_body, rand_suffix, run_suite, stock)

TESTS, test = collector()


def service_body(wh="DE-DUI", code=None, **over):
    b = {"warehouse": wh, "code": code or ("SVC-" + rand_suffix(6).upper()),
         "carrier": "DHL", "name": "DHL Paket", "currency": "EUR",
         "effective_from": "2026-01-01", "dim_divisor": 5000, "max_weight_g": 31500,
         "max_length_mm": 1200, "max_length_girth_mm": 3000, "fuel_pct": "12.5",
         "residential_surcharge": "0.35", "transit_days": 2, "cutoff": "16:00",
         "pickup_days": [1, 2, 3, 4, 5], "two_d": "none",
         "numbering": {"kind": "sscc", "prefix": "4012345", "extension": 3, "from": 1,
                       "to": 999999999},
         "zones": [{"zone": "Z1", "country": "DE", "from": "01000", "to": "39999"},
                   {"zone": "Z2", "country": "DE", "from": "40000", "to": "99999"}],
         "prices": [{"zone": "Z1", "max_weight_g": 1000, "price": "4.50"},
                    {"zone": "Z1", "max_weight_g": 31500, "price": "9.90"},
                    {"zone": "Z2", "max_weight_g": 1000, "price": "4.90"},
                    {"zone": "Z2", "max_weight_g": 31500, "price": "10.90"}]}
    b.update(over)
    return b


def gs1_check(digits):
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - s % 10) % 10


def s10_check(d8):
    s = sum(int(d) * w for d, w in zip(d8, (8, 6, 4, 2, 3, 5, 9, 7)))
    c = 11 - s % 11
    return 0 if c == 10 else 5 if c == 11 else c


def count_services(ctx, wh):
    return len(list_all(ctx.api, "/v1/carrier-services", warehouse=wh, all="true"))


@test
def test_service_create_read_version(ctx):
    catalog(ctx)
    code = "DHL-" + rand_suffix(5).upper()
    r = ctx.api.post("/v1/carrier-services", service_body(code=code), key="op", expect=201)
    s = r.json
    eq((s["code"], s["version"], s["fuel_pct"], s["residential_surcharge"], s["cutoff"]),
       (code, 1, "12.50", "0.35", "16:00"), "service as stored", r)
    eq(s["prices"][1], {"zone": "Z1", "max_weight_g": 31500, "price": "9.90"}, "a break", r)
    eq(s["numbering"], {"kind": "sscc", "prefix": "4012345", "from": 1, "to": 999999999,
                        "extension": 3}, "numbering", r)
    r = ctx.api.get("/v1/carrier-services/%s" % seg(s["id"]), key="s1", expect=200)
    eq(r.json["id"], s["id"], "a seller reads a warehouse's service", r)
    # days overlapping a live version: refused naming effective_from
    problem(ctx.api.post("/v1/carrier-services", service_body(code=code, effective_from="2026-06-01"),
                         key="op"), 400, "effective_from", "overlapping version")
    # a new version replacing the first supersedes it
    r = ctx.api.post("/v1/carrier-services",
                     service_body(code=code, replaces=s["id"], fuel_pct="10"), key="op",
                     expect=201)
    eq(r.json["version"], 2, "second version", r)
    r = ctx.api.get("/v1/carrier-services/%s" % seg(s["id"]), expect=200)
    check(r.json["superseded_by"] is not None, "the first version is superseded", r)
    live = [x["id"] for x in list_all(ctx.api, "/v1/carrier-services", code=code)]
    eq(len(live), 1, "one live version of the code")
    # an operator of DE-DUI writes no other warehouse; sellers write nothing
    problem(ctx.api.post("/v1/carrier-services", service_body(wh="US-LAX", currency="USD"),
                         key="op"), 400, "warehouse")
    ctx.api.post("/v1/carrier-services", service_body(), key="s1", expect=403)


@test
def test_service_bad_input(ctx):
    catalog(ctx)
    n0 = count_services(ctx, "DE-DUI")
    cases = [
        (dict(zones=[{"zone": "Z1", "country": "DE", "from": "01000", "to": "50000"},
                     {"zone": "Z2", "country": "DE", "from": "40000", "to": "99999"}]), "zones"),
        (dict(prices=[{"zone": "ZX", "max_weight_g": 1000, "price": "1.00"}]), "prices[0].zone"),
        (dict(prices=[{"zone": "Z1", "max_weight_g": 1000, "price": "1.001"}]), "prices[0].price"),
        (dict(cutoff="25:00"), "cutoff"),
        (dict(pickup_days=[0]), "pickup_days[0]"),
        (dict(fuel_pct="101"), "fuel_pct"),
        (dict(currency="XYZ"), "currency"),
        (dict(currency="USD"), "currency"),  # DE-DUI's services are in EUR
        (dict(two_d="pdf417"), "two_d"),
        (dict(numbering={"kind": "s10", "prefix": "R1", "country": "DE", "to": 10}),
         "numbering.prefix"),
        (dict(numbering={"kind": "sscc", "prefix": "4012345", "to": 10 ** 10}), "numbering.to"),
        (dict(numbering={"kind": "ean", "prefix": "4012345", "to": 10}), "numbering.kind"),
        (dict(effective_from="2026-02-30"), "effective_from"),
        (dict(transit_days=-1), "transit_days"),
    ]
    for over, field in cases:
        problem(ctx.api.post("/v1/carrier-services", service_body(**over)), 400, field, repr(over))
    eq(count_services(ctx, "DE-DUI"), n0, "nothing stored by refused services")


CSV = """service,warehouse,item,key,from,to,value
{a},NL-VEN,carrier,,,,PostNL
{a},NL-VEN,name,,,,PostNL Pakket
{a},NL-VEN,currency,,,,EUR
{a},NL-VEN,effective_from,,,,2026-01-01
{a},NL-VEN,numbering,,,,s10
{a},NL-VEN,num_prefix,,,,CC
{a},NL-VEN,num_country,,,,NL
{a},NL-VEN,num_from,,,,1000
{a},NL-VEN,num_to,,,,99999999
{a},NL-VEN,transit_days,,,,1
{a},NL-VEN,two_d,,,,qr
{a},NL-VEN,zone,NL,,,NL
{a},NL-VEN,price,NL,,2000,5.25
{a},NL-VEN,price,NL,,23000,7.95
{b},NL-VEN,carrier,,,,DPD
{b},NL-VEN,name,,,,DPD Classic
{b},NL-VEN,currency,,,,EUR
{b},NL-VEN,effective_from,,,,2026-01-01
{b},NL-VEN,num_prefix,,,,4012345
{b},NL-VEN,zone,NL,1000,9999,NL
{b},NL-VEN,price,NL,,31500,6.10
"""


@test
def test_import_csv(ctx):
    catalog(ctx)
    a, b = "PNL-" + rand_suffix(4).upper(), "DPD-" + rand_suffix(4).upper()
    n0 = count_services(ctx, "NL-VEN")
    bad = CSV.format(a=a, b=b).replace("price,NL,,23000,7.95", "price,NL,,23000,7.955")
    problem(ctx.api.post("/v1/carrier-services/import", raw=bad.encode(),
                         headers={"Content-Type": "text/csv"}), 400, "line 15: value", "bad price")
    # the second service is malformed (its zone has no price): nothing of the file is stored
    bad = CSV.format(a=a, b=b).replace("%s,NL-VEN,price,NL,,31500,6.10\n" % b, "")
    problem(ctx.api.post("/v1/carrier-services/import", raw=bad.encode(),
                         headers={"Content-Type": "text/csv"}), 400, None, "zone without price")
    eq(count_services(ctx, "NL-VEN"), n0, "a refused import stores nothing")
    problem(ctx.api.post("/v1/carrier-services/import", {"x": 1}), 400, "Content-Type")
    r = ctx.api.post("/v1/carrier-services/import", raw=CSV.format(a=a, b=b).encode(),
                     headers={"Content-Type": "text/csv"}, expect=201)
    eq(r.json["created"], 2, "two services imported", r)
    got = {s["code"]: s for s in r.json["items"]}
    eq(got[a]["numbering"], {"kind": "s10", "prefix": "CC", "country": "NL", "from": 1000,
                             "to": 99999999}, "S10 numbering", r)
    eq(got[b]["zones"], [{"zone": "NL", "country": "NL", "from": "1000", "to": "9999"}],
       "zone range", r)
    # the same rows as the first sheet of an XLSX file (written by tests/cli/make_xlsx.py)
    c = "XL-" + rand_suffix(4).upper()
    rows = [["service", "warehouse", "item", "key", "from", "to", "value"]]
    for item, val in (("carrier", "UPS"), ("name", "UPS Standard"), ("currency", "EUR"),
                      ("effective_from", "2026-01-01"), ("num_prefix", "4012345")):
        rows.append([c, "NL-VEN", item, None, None, None, val])
    rows += [[c, "NL-VEN", "zone", "NL", None, None, "NL"],
             [c, "NL-VEN", "price", "NL", None, 30000, 8.4]]
    d = tempfile.mkdtemp(prefix="lm-xlsx-")
    try:
        js, xl = os.path.join(d, "s.json"), os.path.join(d, "s.xlsx")
        with open(js, "w") as f:
            json.dump(rows, f)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                     "cli", "make_xlsx.py"), xl, js], check=True)
        with open(xl, "rb") as f:
            data = f.read()
    finally:
        shutil.rmtree(d, ignore_errors=True)
    xtype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    r = ctx.api.post("/v1/carrier-services/import", raw=data, headers={"Content-Type": xtype},
                     expect=201)
    eq(r.json["items"][0]["prices"], [{"zone": "NL", "max_weight_g": 30000, "price": "8.40"}],
       "XLSX import: the price cell", r)
    problem(ctx.api.post("/v1/carrier-services/import", raw=b"not a zip",
                         headers={"Content-Type": xtype}), 400, "file", "not an XLSX")


US_ZONES = [{"zone": "Z2", "country": "US", "from": "90000", "to": "93599"},
            {"zone": "Z5", "country": "US", "from": "93600", "to": "99999"},
            {"zone": "Z8", "country": "US", "from": "01000", "to": "89999"}]


def us_service(code, carrier, name, prices, **over):
    b = service_body(wh="US-LAX", code=code, carrier=carrier, name=name, currency="USD",
                     dim_divisor=5022, fuel_pct="15", residential_surcharge="4.45",
                     zones=US_ZONES, prices=prices, cutoff="23:59",
                     pickup_days=[1, 2, 3, 4, 5, 6, 7])
    b.update(over)
    return b


def fixture_us(ctx):
    """Three US-LAX services (once per suite): a cheap slow one, a fast one, a small one."""
    if "us" in ctx.fixtures:
        return ctx.fixtures["us"][1]
    catalog(ctx)
    tag = rand_suffix(4).upper()
    codes = {"ground": "UPS-GND-" + tag, "fast": "FDX-HOME-" + tag, "small": "USPS-GA-" + tag}
    z = lambda lo, hi, far: [{"zone": "Z2", "max_weight_g": 2000, "price": lo},
                             {"zone": "Z2", "max_weight_g": 31500, "price": hi},
                             {"zone": "Z5", "max_weight_g": 31500, "price": hi},
                             {"zone": "Z8", "max_weight_g": 31500, "price": far}]
    ctx.api.post("/v1/carrier-services", us_service(codes["ground"], "UPS", "UPS Ground",
                                                    z("8.00", "12.00", "19.00"),
                                                    transit_days=5, max_weight_g=31500),
                 expect=201)
    ctx.api.post("/v1/carrier-services", us_service(codes["fast"], "FedEx", "FedEx Home Delivery",
                                                    z("9.00", "13.00", "21.00"),
                                                    transit_days=1, two_d="datamatrix"),
                 expect=201)
    ctx.api.post("/v1/carrier-services",
                 us_service(codes["small"], "USPS", "USPS Ground Advantage",
                            [{"zone": "Z2", "max_weight_g": 450, "price": "5.10"},
                             {"zone": "Z2", "max_weight_g": 9000, "price": "7.40"},
                             {"zone": "Z8", "max_weight_g": 9000, "price": "11.00"}],
                            max_weight_g=9000, max_length_girth_mm=2700, transit_days=3,
                            two_d="qr", fuel_pct="0", residential_surcharge="0",
                            zones=[US_ZONES[0], US_ZONES[2]],
                            numbering={"kind": "s10", "prefix": "LZ", "country": "US",
                                       "from": 47312482, "to": 99999999}),
                 expect=201)
    ctx.fixtures["us"] = ("ok", codes)
    return codes


def rates_body(postcode="90045", parcels=None, **over):
    b = {"warehouse": "US-LAX", "ship_to": {"country": "US", "postcode": postcode},
         "parcels": parcels or [{"weight_g": 800, "dims_mm": [200, 150, 100]}]}
    b.update(over)
    return b


def by_code(r, codes):
    return {k: next((x for x in r.json["items"] if x["service"]["code"] == c), None)
            for k, c in codes.items()}


@test
def test_rates(ctx):
    codes = fixture_us(ctx)
    r = ctx.api.post("/v1/rates", rates_body(), key="s1", expect=200)
    q = by_code(r, codes)
    check(all(q.values()), "every service quoted: %r" % r.json, r)
    # small: 800 g in the 9000 g break 7.40, no fuel; ground: 8.00 + 15 % = 9.20
    eq(q["small"]["price"], {"amount": "7.40", "currency": "USD"}, "USPS price", r)
    eq((q["ground"]["base"]["amount"], q["ground"]["fuel"]["amount"], q["ground"]["price"]["amount"]),
       ("8.00", "1.20", "9.20"), "UPS base + fuel", r)
    eq(q["ground"]["billable_weight_g"], 800, "actual weight over 3,000,000/5022 = 598 g", r)
    eq(q["ground"]["zone"], "Z2", "zone by ZIP range", r)
    prices = [int(x["price"]["amount"].replace(".", "")) for x in r.json["items"]]
    eq(prices, sorted(prices), "cheapest first", r)
    eq(r.json["chosen"], {"service": codes["small"], "by": "cheapest"}, "the rule's choice", r)
    check(q["fast"]["deliver_day"] <= q["ground"]["deliver_day"], "1 day before 5 days", r)
    # dimensional weight: a light big box bills by volume (400x400x300 / 5022 = 9,558 g)
    r = ctx.api.post("/v1/rates", rates_body(parcels=[{"weight_g": 1000, "dims_mm": [400, 400, 300]}]),
                     expect=200)
    q = by_code(r, codes)
    eq(q["ground"]["billable_weight_g"], 9558, "billable = dimensional", r)
    eq(q["small"], None, "USPS (9 kg) cannot take 9,558 g billable", r)
    # residential surcharge and the promise: by deliver_by the cheapest on time
    r = ctx.api.post("/v1/rates", rates_body(ship_to={"country": "US", "postcode": "90045",
                                                      "residential": True}), expect=200)
    eq(by_code(r, codes)["ground"]["residential"]["amount"], "4.45", "residential", r)
    fast_day = by_code(r, codes)["fast"]["deliver_day"]
    r = ctx.api.post("/v1/rates", rates_body(deliver_by=fast_day), expect=200)
    eq(r.json["chosen"], {"service": codes["fast"], "by": "promise"}, "meets the promise", r)
    # a far zone: Z8
    r = ctx.api.post("/v1/rates", rates_body(postcode="10001"), expect=200)
    eq(by_code(r, codes)["ground"]["zone"], "Z8", "New York zone", r)


@test
def test_rates_refused(ctx):
    codes = fixture_us(ctx)
    problem(ctx.api.post("/v1/rates", rates_body(parcels=[{"weight_g": 40000,
                                                           "dims_mm": [300, 300, 300]}])),
            409, "parcels[0].weight_g", "over every weight limit")
    problem(ctx.api.post("/v1/rates", rates_body(parcels=[{"weight_g": 500, "dims_mm": [100, 100, 100]},
                                                          {"weight_g": 1000, "dims_mm": [2500, 100, 100]}])),
            409, "parcels[1].dims_mm", "over every size limit")
    problem(ctx.api.post("/v1/rates", rates_body(postcode="00501")), 400, "ship_to.postcode",
            "a postcode no zone covers")
    problem(ctx.api.post("/v1/rates", rates_body(ship_to={"country": "JP", "postcode": "100"})), 400,
            "ship_to.country")
    problem(ctx.api.post("/v1/rates", rates_body(postcode="90 04$")), 400, "ship_to.postcode")
    problem(ctx.api.post("/v1/rates", dict(rates_body(), parcels=[])), 400, "parcels")
    problem(ctx.api.post("/v1/rates", rates_body(parcels=[{"weight_g": 0, "dims_mm": [1, 1, 1]}])),
            400, "parcels[0].weight_g")
    problem(ctx.api.post("/v1/rates", rates_body(deliver_by="soon")), 400, "deliver_by")
    problem(ctx.api.post("/v1/rates", rates_body(warehouse="XX-NONE")), 400, "warehouse")
    problem(ctx.api.post("/v1/rates", {"order": "ord_nope"}), 400, "order")
    ctx.api.post("/v1/rates", rates_body(), key=None, expect=401)
    # an operator of DE-DUI sees no US-LAX service nor shops its rates
    us = list_all(ctx.api, "/v1/carrier-services", warehouse="US-LAX")
    ctx.api.get("/v1/carrier-services/%s" % seg(us[0]["id"]), key="op", expect=404)
    eq(list_all(ctx.api, "/v1/carrier-services", key="op", warehouse="US-LAX"), [], "op's list")
    problem(ctx.api.post("/v1/rates", rates_body(), key="op"), 400, "warehouse")
    check(codes, "fixture")


def decode_pdf(pdf_bytes):
    """pdftoppm (poppler) at 300 dpi, then zbarimg: every symbol's data."""
    for tool in ("pdftoppm", "zbarimg"):
        check(shutil.which(tool), "%s is not installed (bash scripts/deps.sh test)" % tool)
    d = tempfile.mkdtemp(prefix="lm-label-")
    try:
        pdf = os.path.join(d, "l.pdf")
        with open(pdf, "wb") as f:
            f.write(pdf_bytes)
        subprocess.run(["pdftoppm", "-r", "300", "-png", pdf, os.path.join(d, "p")], check=True,
                       timeout=60)
        pngs = sorted(x for x in os.listdir(d) if x.endswith(".png"))
        eq(len(pngs), 1, "one page")
        out = subprocess.run(["zbarimg", "-q", os.path.join(d, pngs[0])], capture_output=True,
                             timeout=60, text=True)
        return [line.split(":", 1) for line in out.stdout.splitlines() if ":" in line]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def label(ctx, pid, ext, key="admin"):
    r = ctx.api.get("/v1/parcels/%s/label.%s" % (seg(pid), ext), key=key)
    eq(r.status, 200, "label.%s" % ext, r)
    return r


@test
def test_parcels_and_labels(ctx):
    codes = fixture_us(ctx)
    sku = "LM" + rand_suffix(5).upper()
    mk_sku(ctx, "S1", sku, dims=[180, 120, 60], weight=400)
    stock(ctx, "S1", "US-LAX", [(sku, 10)])
    body = order_body("S1", [(sku, 3)], country="US")
    o = create_order(ctx, body)
    eq(o["warehouse"], "US-LAX", "routed to LA", None)
    oid = o["id"]
    ctx.api.post("/v1/warehouses/US-LAX/boxes",
                 {"boxes": [{"code": "S", "dims_mm": [200, 150, 80], "max_weight_g": 5000, "tare_g": 80},
                            {"code": "M", "dims_mm": [300, 200, 150], "max_weight_g": 10000, "tare_g": 150},
                            {"code": "L", "dims_mm": [500, 400, 300], "max_weight_g": 25000, "tare_g": 400}]},
                 expect=201)
    r = ctx.api.get("/v1/orders/%s/box-suggestion" % seg(oid), expect=200)
    eq((r.json["box"][0]["code"], r.json["weight_g"]), ("M", 1350), "3 items: box M", r)
    # rates for the order itself
    r = ctx.api.post("/v1/rates", {"order": oid}, key="s1", expect=200)
    check(r.json["items"], "the order has rates", r)
    ctx.api.post("/v1/rates", {"order": oid}, key="s2", expect=400)  # not S2's order
    # a channel rule demands the fast service; the operator may still override
    ctx.api.post("/v1/warehouses/US-LAX/shipping-rules",
                 {"kind": "channel", "match": "shop", "service": codes["fast"]}, expect=200)
    make_wave(ctx, "US-LAX")
    # refused parcels: an item not on the order, more than ordered, a box the items overfill
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [{"items": [{"sku": "NOPE", "qty": 1}]}]}), 400,
            "parcels[0].items[0].sku")
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [{"items": [{"sku": sku, "qty": 2}]},
                                      {"items": [{"sku": sku, "qty": 2}]}]}), 400,
            "parcels[1].items[0].qty")
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [{"items": [{"sku": sku, "qty": 3}]}], "service": "NOPE"}), 409,
            "service")
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                     {"parcels": [{"items": [{"sku": sku, "qty": 2}]},
                                  {"box": "S", "items": [{"sku": sku, "qty": 1}]}]}, expect=201)
    ps = r.json["items"]
    eq([(p["seq"], p["box"], p["service"]["code"], p["chosen_by"]) for p in ps],
       [(1, "M", codes["fast"], "channel"), (2, "S", codes["fast"], "channel")],
       "boxes suggested and given, service by the channel rule", r)
    for p in ps:
        t = p["tracking_no"]
        check(len(t) == 18 and t.isdigit() and int(t[-1]) == gs1_check(t[:17]) and
              t.startswith("34012345"), "SSCC with extension 3 and prefix 4012345: %s" % t, r)
    eq(int(ps[1]["tracking_no"][8:17]), int(ps[0]["tracking_no"][8:17]) + 1, "serials follow", r)
    # the operator overrides: USPS (S10 numbers, a QR code)
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                     {"parcels": [{"items": [{"sku": sku, "qty": 3}]}], "service": codes["small"]},
                     expect=201)
    p = r.json["items"][0]
    t = p["tracking_no"]
    eq((p["chosen_by"], t[:2], t[11:]), ("operator", "LZ", "US"), "S10 of USPS", r)
    eq(int(t[10]), s10_check(t[2:10]), "S10 check digit", r)
    r = ctx.api.get("/v1/orders/%s/parcels" % seg(oid), key="s1", expect=200)
    eq([x["id"] for x in r.json["items"]], [p["id"]], "recording again replaces the parcels", r)
    ctx.api.get("/v1/orders/%s/parcels" % seg(oid), key="s2", expect=404)
    ctx.api.get("/v1/parcels/%s/label.pdf" % seg(p["id"]), key="s2", expect=404)
    # labels: the PDF's barcodes decode to the tracking number (and the QR to its content)
    r = label(ctx, p["id"], "pdf", key="s1")
    eq(r.ctype, "application/pdf", "PDF type", r)
    syms = decode_pdf(r.body)
    got = {k: v for k, v in syms}
    eq(got.get("CODE-128"), t, "Code 128 decodes to the S10 number: %r" % syms, r)
    eq(got.get("QR-Code"), "%s|90045|US" % t, "the QR code", r)
    r = label(ctx, p["id"], "zpl")
    z = r.body.decode()
    check(z.startswith("^XA") and "^FD%s^FS" % t in z and "^BQN" in z and z.rstrip().endswith("^XZ"),
          "ZPL with the barcode and the QR", r)
    # back to FedEx: SSCC as GS1-128 decodes to AI 00 + the SSCC
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                     {"parcels": [{"dims_mm": [300, 200, 150], "weight_g": 1400,
                                   "items": [{"sku": sku, "qty": 3}]}]}, expect=201)
    p = r.json["items"][0]
    eq((p["box"], p["weight_g"]), (None, 1400), "dims and weight as measured", r)
    syms = decode_pdf(label(ctx, p["id"], "pdf").body)
    codes128 = [v for k, v in syms if k == "CODE-128"]
    eq([c.lstrip("\x1d") for c in codes128], ["00" + p["tracking_no"]], "GS1-128 (00) SSCC: %r" % syms)
    # the ship contract still works, and parcels are refused after shipping
    ctx.api.post("/v1/orders/%s/pack" % seg(oid), {}, expect=200)
    r = ctx.api.post("/v1/orders/%s/ship" % seg(oid),
                     {"carrier": "FedEx", "tracking_no": p["tracking_no"],
                      "parcels": [{"weight_g": 1400, "dims_mm": [300, 200, 150]}]}, expect=200)
    eq(r.json["status"], "shipped", "shipped", r)
    # another order shipped with {}: its recorded parcels
    o2 = create_order(ctx, order_body("S1", [(sku, 1)], country="US"))["id"]
    problem(ctx.api.post("/v1/orders/%s/ship" % seg(o2), {}), 400, "carrier", "nothing recorded")
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(o2), {"parcels": [{"items": [{"sku": sku, "qty": 1}]}],
                                                         "service": codes["ground"]}, expect=201)
    p2 = r.json["items"][0]
    make_wave(ctx, "US-LAX")
    ctx.api.post("/v1/orders/%s/pack" % seg(o2), {}, expect=200)
    r = ctx.api.post("/v1/orders/%s/ship" % seg(o2), {}, expect=200)
    eq((r.json["status"], r.json["carrier"], r.json["tracking_no"], r.json["parcels"][0].get("tracking_no")),
       ("shipped", "UPS", p2["tracking_no"], p2["tracking_no"]), "shipped with the recorded parcels", r)
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [{"items": [{"sku": sku, "qty": 3}]}]}), 409, "status")


@test
def test_openapi_lists_routes(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None, expect=200)
    paths = r.json["paths"]
    for p in ("/v1/carrier-services", "/v1/carrier-services/import", "/v1/rates",
              "/v1/orders/{id}/parcels", "/v1/parcels/{id}/label.pdf", "/v1/parcels/{id}/label.zpl",
              "/v1/warehouses/{wh}/boxes", "/v1/warehouses/{wh}/shipping-rules"):
        check(p in paths, "OpenAPI lacks %s" % p, r)


sys.exit(run_suite(TESTS, __doc__))

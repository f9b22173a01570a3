#!/usr/bin/env python3
"""haicang API tests: labels beside the parcel's own (issue 12 part 3).

A seller uploads a ready shipping label (PDF) for its order with the carrier
and tracking number; it is read back byte for byte; the order's parcel takes
that tracking number and its label.pdf is the uploaded file, whose barcode
zbarimg reads back (after pdftoppm). Bad uploads (not a PDF, a truncated
PDF, a wrong Content-Type, a bad tracking number, another seller's order,
an unknown query parameter) are 4xx naming the field and store nothing.

    python3 tests/api/test_labels.py --bin build/src/cli/haicang --db sqlite|mariadb [-k NAME]

Standard library only; see tests/api/README.md.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, eq, problem, seg  # noqa: E402
from fixtures import (collector, catalog, create_order, make_wave, mk_sku,  # noqa: E402
                      order_body, rand_suffix, run_suite, stock)

TESTS, test = collector()


def tiny_pdf(text="HELLO", pages=1, kids=b"/Kids"):
    """A PDF written by hand with a correct xref table: its page tree names
    its one page `pages` times (the name /Kids written as `kids`)."""
    stream = ("BT /F1 24 Tf 40 100 Td (%s) Tj ET" % text).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages %s [%s] /Count %d >>" % (kids, b" ".join([b"3 0 R"] * pages), pages),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)


def objstm_pdf(refs):
    """A PDF 1.5 whose page tree node (object 2) lies in a Flate object stream
    and names its one page `refs` times; cross-reference stream."""
    hdr = b"2 0 "
    data = zlib.compress(hdr + b"<< /Type /Pages /Kids [" + b"3 0 R " * refs + b"] /Count 1 >>", 9)
    out = bytearray(b"%PDF-1.5\n")
    off = {}

    def obj(n, body):
        off[n] = len(out)
        out.extend(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] >>")
    obj(4, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(hdr), len(data)) + data + b"\nendstream")
    off[5] = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"\x01" + off[1].to_bytes(4, "big") + b"\x00\x00"
    rows += b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00"
    for n in (3, 4, 5):
        rows += b"\x01" + off[n].to_bytes(4, "big") + b"\x00\x00"
    out.extend(b"5 0 obj\n<< /Type /XRef /W [1 4 2] /Size 6 /Root 1 0 R /Length %d >>\nstream\n"
               % len(rows) + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % off[5])
    return bytes(out)


ctx_pages = [0]  # pages of the last decoded PDF


def decode_pdf(pdf_bytes):
    """pdftoppm (poppler) at 300 dpi, then zbarimg: every symbol's data per page."""
    for tool in ("pdftoppm", "zbarimg"):
        check(shutil.which(tool), "%s is not installed (bash scripts/deps.sh test)" % tool)
    d = tempfile.mkdtemp(prefix="labels-")
    try:
        pdf = os.path.join(d, "l.pdf")
        with open(pdf, "wb") as f:
            f.write(pdf_bytes)
        subprocess.run(["pdftoppm", "-r", "300", "-png", pdf, os.path.join(d, "p")], check=True,
                       timeout=120)
        syms = []
        pngs = sorted(x for x in os.listdir(d) if x.endswith(".png"))
        ctx_pages[0] = len(pngs)
        for png in pngs:
            out = subprocess.run(["zbarimg", "-q", os.path.join(d, png)], capture_output=True,
                                 timeout=60, text=True)
            syms += [line.split(":", 1) for line in out.stdout.splitlines() if ":" in line]
        return syms
    finally:
        shutil.rmtree(d, ignore_errors=True)


def get_pdf(ctx, path, key="admin"):
    r = ctx.api.get(path, key=key)
    eq((r.status, r.ctype), (200, "application/pdf"), "PDF of %s" % path, r)
    return r


def put_label(ctx, oid, body, key="s1", ctype="application/pdf", **params):
    qs = "&".join("%s=%s" % (k, seg(v)) for k, v in params.items())
    return ctx.api.call("PUT", "/v1/orders/%s/label%s" % (seg(oid), "?" + qs if qs else ""),
                        raw=body, key=key, headers={"Content-Type": ctype})


def de_service(ctx):
    """One DE-DUI service numbering by SSCC (once per suite)."""
    if "svc" in ctx.fixtures:
        return ctx.fixtures["svc"]
    catalog(ctx)
    code = "LBL-" + rand_suffix(5).upper()
    ctx.api.post("/v1/carrier-services", {
        "warehouse": "DE-DUI", "code": code, "carrier": "DHL", "name": "DHL Paket",
        "currency": "EUR", "effective_from": "2026-01-01", "dim_divisor": 5000,
        "max_weight_g": 31500, "transit_days": 2, "cutoff": "23:59",
        "pickup_days": [1, 2, 3, 4, 5, 6, 7], "two_d": "none",
        "numbering": {"kind": "sscc", "prefix": "4012345", "extension": 3, "from": 1,
                      "to": 999999999},
        "zones": [{"zone": "DE", "country": "DE", "from": "", "to": ""}],
        "prices": [{"zone": "DE", "max_weight_g": 31500, "price": "5.90"}]}, expect=201)
    ctx.fixtures["svc"] = code
    return code


def de_order(ctx, seller="S1", key="s1", qty=1):
    sku = "LB" + rand_suffix(5).upper()
    mk_sku(ctx, seller, sku, dims=[180, 120, 60], weight=400)
    stock(ctx, seller, "DE-DUI", [(sku, 5)])
    o = create_order(ctx, order_body(seller, [(sku, qty)]), key=key)
    eq(o["warehouse"], "DE-DUI", "routed to DE-DUI", None)
    return o["id"], sku


@test
def test_upload_print_and_parcel(ctx):
    code = de_service(ctx)
    oid, sku = de_order(ctx, qty=2)
    # the "bought elsewhere" label: haicang's own label of another order, a real PDF
    # with a Code 128 barcode of a foreign tracking number is not at hand, so one of
    # ours serves as the file and the uploader states the carrier's number
    other, osku = de_order(ctx)
    make_wave(ctx, "DE-DUI")
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(other),
                     {"parcels": [{"dims_mm": [200, 150, 80], "weight_g": 500,
                                   "items": [{"sku": osku, "qty": 1}]}], "service": code}, expect=201)
    foreign = r.json["items"][0]
    pdf = get_pdf(ctx, "/v1/parcels/%s/label.pdf" % seg(foreign["id"])).body
    check(pdf.startswith(b"%PDF-"), "a PDF to upload")
    ctx.api.get("/v1/orders/%s/label" % seg(oid), key="s1", expect=404)
    r = put_label(ctx, oid, pdf, carrier="UPS", tracking_no="1Z999AA10123456784")
    eq(r.status, 201, "upload stored", r)
    eq((r.json["carrier"], r.json["tracking_no"], r.json["bytes"], r.json["seller"]),
       ("UPS", "1Z999AA10123456784", len(pdf), "S1"), "what was stored", r)
    r = get_pdf(ctx, "/v1/orders/%s/label.pdf" % seg(oid), key="op")
    eq((r.ctype, r.body), ("application/pdf", pdf), "the operator prints the file as uploaded", r)
    # replaced by a new upload: 200
    small = tiny_pdf("UPS LABEL")
    r = put_label(ctx, oid, small, carrier="UPS", tracking_no="1Z999AA10123456785")
    eq(r.status, 200, "replaced", r)
    r = get_pdf(ctx, "/v1/orders/%s/label.pdf" % seg(oid), key="s1")
    eq(r.body, small, "the new file", r)
    # the parcel takes the uploaded tracking number and prints the uploaded file
    one = {"dims_mm": [200, 150, 80], "weight_g": 500, "items": [{"sku": sku, "qty": 1}]}
    problem(ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                         {"parcels": [one, one], "service": code}), 409,
            "parcels")
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid),
                     {"parcels": [dict(one, items=[{"sku": sku, "qty": 2}])], "service": code},
                     expect=201)
    p = r.json["items"][0]
    eq((p["tracking_no"], p["service"]["carrier"]), ("1Z999AA10123456785", "UPS"),
       "the parcel carries the uploaded number", r)
    r = get_pdf(ctx, "/v1/parcels/%s/label.pdf" % seg(p["id"]), key="s1")
    eq(r.body, small, "the parcel's label is the uploaded file", r)
    problem(ctx.api.get("/v1/parcels/%s/label.zpl" % seg(p["id"])), 409, "id")
    # an uploaded real label decodes: upload haicang's label PDF, read its barcode back
    r = put_label(ctx, oid, pdf, carrier="DHL", tracking_no=foreign["tracking_no"])
    eq(r.status, 200, "replaced again", r)
    got = get_pdf(ctx, "/v1/orders/%s/label.pdf" % seg(oid)).body
    syms = dict(decode_pdf(got))
    eq(syms.get("CODE-128"), "00" + foreign["tracking_no"],
       "zbarimg reads the uploaded label's barcode (AI 00 + SSCC): %r" % syms, None)


@test
def test_upload_refused_stores_nothing(ctx):
    de_service(ctx)
    oid, _ = de_order(ctx)
    good = tiny_pdf()
    cases = [
        (put_label(ctx, oid, b"hello, not a pdf at all..........", carrier="UPS",
                   tracking_no="1Z1234"), 400, "label"),
        (put_label(ctx, oid, good[:-40], carrier="UPS", tracking_no="1Z1234"), 400, "label"),
        (put_label(ctx, oid, good.replace(b"/Root", b"/Rxxx"), carrier="UPS",
                   tracking_no="1Z1234"), 400, "label"),
        (put_label(ctx, oid, good, ctype="application/json", carrier="UPS",
                   tracking_no="1Z1234"), 400, "label"),
        (put_label(ctx, oid, b"", carrier="UPS", tracking_no="1Z1234"), 400, "label"),
        # more pages than a label has (20): qpdf would join them all per print
        (put_label(ctx, oid, tiny_pdf(pages=21), carrier="UPS", tracking_no="1Z1234"), 400,
         "label"),
        (put_label(ctx, oid, good, carrier="UPS", tracking_no="1z 12"), 400, "tracking_no"),
        (put_label(ctx, oid, good, tracking_no="1Z1234"), 400, "carrier"),
        (put_label(ctx, oid, good, carrier="UPS", tracking_no="1Z1234", color="red"), 400,
         "color"),
        (put_label(ctx, oid, good, key="s2", carrier="UPS", tracking_no="1Z1234"), 404, "id"),
        (put_label(ctx, "ord_nope", good, carrier="UPS", tracking_no="1Z1234"), 404, "id"),
    ]
    for r, status, field in cases:
        problem(r, status, field)
    r = put_label(ctx, oid, b"%PDF-1.4\n" + b"x" * (1 << 20), carrier="UPS",
                  tracking_no="1Z1234")
    eq(r.status, 413, "over the size limit", r)
    ctx.api.get("/v1/orders/%s/label" % seg(oid), key="s1", expect=404)
    ctx.api.get("/v1/orders/%s/label.pdf" % seg(oid), key="admin", expect=404)
    # another seller never sees it, even once stored
    put_label(ctx, oid, good, carrier="UPS", tracking_no="1Z1234")
    ctx.api.get("/v1/orders/%s/label" % seg(oid), key="s2", expect=404)
    ctx.api.get("/v1/orders/%s/label.pdf" % seg(oid), key="s2", expect=404)
    r = ctx.api.get("/v1/orders/%s/label" % seg(oid), key="s1", expect=200)
    eq(r.json["tracking_no"], "1Z1234", "stored by the good upload", r)


@test
def test_upload_hostile_page_tree_refused_fast(ctx):
    """A 1 MiB upload whose page tree names one page 170,000 times (qpdf
    counted it in ~6-10 s and ~670 MB before refusing it) is refused by the
    structural check, before qpdf reads it; written "/K#69ds" (the same name
    to qpdf) it is refused by the bounded walk of the tree. Both well under a
    second of server time: 3 s of wall time allows a loaded 2-core machine.
    So is a tree hidden in a compressed object stream: 15 KB inflating to
    1,700,000 references (qpdf: ~35 s, ~5 GB)."""
    de_service(ctx)
    oid, _ = de_order(ctx)
    hostile = tiny_pdf(pages=170000)
    check(1000000 < len(hostile) <= 1 << 20, "the hostile file fits the 1 MiB limit", None)
    for body in (hostile, tiny_pdf(pages=170000, kids=b"/K#69ds"), objstm_pdf(1700000)):
        t0 = time.monotonic()
        r = put_label(ctx, oid, body, carrier="UPS", tracking_no="1Z1234")
        took = time.monotonic() - t0
        problem(r, 400, "label")
        check(took < 3.0, "refused in %.2f s (< 3 s)" % took, r)
    ctx.api.get("/v1/orders/%s/label" % seg(oid), key="s1", expect=404)
    # the largest label the bound lets through still uploads
    eq(put_label(ctx, oid, tiny_pdf(pages=20), carrier="UPS", tracking_no="1Z1234").status, 201,
       "a label of 20 pages", None)
    eq(put_label(ctx, oid, objstm_pdf(20), carrier="UPS", tracking_no="1Z1234").status, 200,
       "a label of 20 pages in an object stream", None)


def gs1_check(digits):
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - s % 10) % 10


def mk_inbound(ctx, wh="DE-DUI", ref="ASN-LBL"):
    sku = "CT" + rand_suffix(5).upper()
    mk_sku(ctx, "S1", sku)
    r = ctx.api.post("/v1/inbounds", {"seller": "S1", "warehouse": wh, "reference": ref,
                                      "lines": [{"sku": sku, "qty": 40}]}, expect=201)
    return r.json["id"]


@test
def test_carton_labels_sscc(ctx):
    catalog(ctx)
    iid = mk_inbound(ctx)
    other = mk_inbound(ctx, wh="US-LAX")
    path = "/v1/inbounds/%s/carton-labels.pdf?cartons=%d"
    # the prefix is set by an operator of the warehouse; refused naming the field
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/gs1", body={"company_prefix": "12AB"},
                         key="op"), 400, "company_prefix")
    problem(ctx.api.call("PUT", "/v1/warehouses/DE-DUI/gs1",
                         body={"company_prefix": "4012345", "extension": 10}, key="op"), 400,
            "extension")
    problem(ctx.api.call("PUT", "/v1/warehouses/US-LAX/gs1", body={"company_prefix": "4012345"},
                         key="op"), 404, "wh")
    r = ctx.api.call("PUT", "/v1/warehouses/DE-DUI/gs1",
                     body={"company_prefix": "0614141", "extension": 1}, key="op", expect=200)
    eq(r.json, {"warehouse": "DE-DUI", "company_prefix": "0614141", "extension": 1}, "stored", r)
    problem(ctx.api.get(path % (seg(other), 2)), 409, "warehouse")
    for bad in ("0", "1000", "x"):
        problem(ctx.api.get("/v1/inbounds/%s/carton-labels.pdf?cartons=%s" % (seg(iid), bad)),
                400, "cartons")
    problem(ctx.api.get("/v1/inbounds/%s/carton-labels.pdf" % seg(iid)), 400, "cartons")
    problem(ctx.api.get(path % (seg(iid), 2) + "&x=1"), 400, "x")
    problem(ctx.api.get(path % (seg(iid), 2), key="s2"), 404, "id")
    r = get_pdf(ctx, path % (seg(iid), 3), key="s1")
    syms = decode_pdf(r.body)
    codes = [v for k, v in syms if k == "CODE-128"]
    eq(len(codes), 3, "three cartons, three GS1-128 symbols: %r" % syms, None)
    for c in codes:
        check(len(c) == 20 and c.startswith("0010614141") and int(c[-1]) == gs1_check(c[2:19]),
              "AI 00 + SSCC with extension 1, prefix 0614141 and its check digit: %s" % c)
    eq(len(set(codes)), 3, "distinct SSCCs", None)
    # printed again, with more cartons: the first three keep their numbers
    r = get_pdf(ctx, path % (seg(iid), 4), key="op")
    again = [v for k, v in decode_pdf(r.body) if k == "CODE-128"]
    eq(sorted(again[:0] + [c for c in again if c in codes]), sorted(codes), "kept", None)
    eq(len(set(again)), 4, "one new carton", None)
    r = ctx.api.get("/v1/inbounds/%s/carton-labels.zpl?cartons=4" % seg(iid))
    eq(r.status, 200, "ZPL", r)
    z = r.body.decode()
    eq(z.count("^XA"), 4, "four ZPL labels", r)
    for c in again:
        check("^FD>;>8%s^FS" % c in z, "ZPL carries GS1-128 of %s" % c, r)


@test
def test_product_labels(ctx):
    catalog(ctx)
    sku = "PL" + rand_suffix(5).upper()
    mk_sku(ctx, "S1", sku, name="Bluetooth speaker 蓝牙音箱")  # barcode 6901234567892
    base = "/v1/skus/S1/%s/labels.pdf" % seg(sku)
    r = get_pdf(ctx, base + "?qty=2", key="s1")
    syms = decode_pdf(r.body)
    eq(syms, [["CODE-128", sku], ["CODE-128", sku]], "a roll: two pages, the SKU as Code 128", None)
    # A4: 40 a page (zbarimg reports one symbol per distinct value on a page)
    r = get_pdf(ctx, base + "?qty=41&code=fnsku&fnsku=X001ABCDEF&sheet=a4", key="s1")
    eq(decode_pdf(r.body), [["CODE-128", "X001ABCDEF"]] * 2, "FNSKU on two A4 pages", None)
    eq(ctx_pages[0], 2, "41 labels: two A4 pages", None)
    r = get_pdf(ctx, base + "?code=barcode", key="op")
    eq(decode_pdf(r.body), [["EAN-13", "6901234567892"]], "the SKU's EAN-13", None)
    upc = "UP" + rand_suffix(5).upper()
    mk_sku(ctx, "S1", upc, barcode="036000291452")
    r = get_pdf(ctx, "/v1/skus/S1/%s/labels.pdf?code=barcode" % seg(upc))
    got = decode_pdf(r.body)
    check(got in ([["UPC-A", "036000291452"]], [["EAN-13", "0036000291452"]]),
          "UPC-A decodes (zbar reports it as UPC-A or EAN-13 with a 0): %r" % got)
    bad = "BD" + rand_suffix(5).upper()
    r = ctx.api.post("/v1/skus", dict(seller="S1", sku=bad, name="x", name_zh="x",
                                       hs_code="8517130000",
                                       declared_value={"amount": "1.00", "currency": "USD"},
                                       origin_country="CN", dims_mm=[10, 10, 10], weight_g=10,
                                       barcode="6901234567891"))
    if r.status == 201:  # the catalog may refuse a bad check digit itself
        problem(ctx.api.get("/v1/skus/S1/%s/labels.pdf?code=barcode" % seg(bad)), 409, "barcode")
    for q, field in (("qty=0", "qty"), ("qty=2001", "qty"), ("code=qr", "code"),
                     ("code=fnsku", "fnsku"), ("code=fnsku&fnsku=x001", "fnsku"),
                     ("fnsku=X001ABCDEF", "fnsku"), ("sheet=a5", "sheet"), ("size=9", "size")):
        problem(ctx.api.get(base + "?" + q, key="s1"), 400, field)
    problem(ctx.api.get(base, key="s2"), 404, "sku")


@test
def test_connectors(ctx):
    catalog(ctx)
    r = ctx.api.get("/v1/warehouses/DE-DUI/connectors", key="op", expect=200)
    eq([(c["name"], c["kind"], c["status"], c["implemented"]) for c in r.json["items"]][:1],
       [("haicang", "haicang", "active", True)], "the built-in numbering first", r)
    path = "/v1/warehouses/DE-DUI/connectors/%s"
    body = {"kind": "gateway", "base_url": "https://api.example-gateway.test/v2",
            "credentials_ref": "env:SHIPGW_KEY"}
    r = ctx.api.call("PUT", path % "shipgw", body=body, key="op", expect=200)
    eq((r.json["status"], r.json["implemented"], r.json["credentials_ref"]),
       ("disabled", False, "env:SHIPGW_KEY"), "recorded, disabled, the reference only", r)
    for over, status, field in ((dict(status="active"), 409, "status"),
                                (dict(base_url="http://x.test/api"), 400, "base_url"),
                                (dict(credentials_ref="sk_live_123"), 400, "credentials_ref"),
                                (dict(kind="ftp"), 400, "kind"),
                                (dict(colour="red"), 400, "colour")):
        problem(ctx.api.call("PUT", path % "shipgw2", body=dict(body, **over), key="op"), status,
                field)
    problem(ctx.api.call("PUT", path % "haicang", body=body, key="op"), 409, "name")
    problem(ctx.api.call("PUT", path % "Bad%20Name", body=body, key="op"), 400, "name")
    problem(ctx.api.call("PUT", "/v1/warehouses/US-LAX/connectors/x", body=body, key="op"), 404,
            "wh")
    problem(ctx.api.get("/v1/warehouses/DE-DUI/connectors", key="s1"), 403, "Authorization")
    r = ctx.api.get("/v1/warehouses/DE-DUI/connectors", expect=200)
    eq([c["name"] for c in r.json["items"]], ["haicang", "shipgw"], "nothing refused was stored", r)


def symbols_per_page(pdf_bytes):
    """Each page's CODE-128 data, in page order (pdftoppm at 300 dpi, zbarimg)."""
    d = tempfile.mkdtemp(prefix="bulk-labels-")
    try:
        pdf = os.path.join(d, "l.pdf")
        with open(pdf, "wb") as f:
            f.write(pdf_bytes)
        subprocess.run(["pdftoppm", "-r", "300", "-png", pdf, os.path.join(d, "p")], check=True,
                       timeout=300)
        pages = []
        for png in sorted(x for x in os.listdir(d) if x.endswith(".png")):
            out = subprocess.run(["zbarimg", "-q", os.path.join(d, png)], capture_output=True,
                                 timeout=60, text=True)
            pages.append([line.split(":", 1)[1] for line in out.stdout.splitlines()
                          if line.startswith("CODE-128:")])
        return pages
    finally:
        shutil.rmtree(d, ignore_errors=True)


def with_parcels(ctx, code, oid, sku, n):
    """Records n parcels of one unit each for order oid; them by seq."""
    one = {"dims_mm": [200, 150, 80], "weight_g": 500, "items": [{"sku": sku, "qty": 1}]}
    r = ctx.api.post("/v1/orders/%s/parcels" % seg(oid), {"parcels": [one] * n, "service": code},
                     expect=201)
    return sorted(r.json["items"], key=lambda p: p["seq"])


def bulk_orders(ctx):
    """Orders of S1 at DE-DUI: a with 2 parcels, b with 1, u with an uploaded label (the
    label PDF of f's parcel, whose barcode it carries), bare without parcels, and us
    routed to US-LAX with a parcel-less label upload (once per suite)."""
    if "bulk" in ctx.fixtures:
        return ctx.fixtures["bulk"]
    code = de_service(ctx)
    (a, sa), (b, sb), (u, _), (f, sf), (bare, _) = [de_order(ctx, qty=q) for q in (2, 1, 1, 1, 1)]
    make_wave(ctx, "DE-DUI")
    pa, pb, pf = (with_parcels(ctx, code, a, sa, 2), with_parcels(ctx, code, b, sb, 1),
                  with_parcels(ctx, code, f, sf, 1))
    ta, tb, tf = ([p["tracking_no"] for p in ps] for ps in (pa, pb, pf))
    pdf = get_pdf(ctx, "/v1/parcels/%s/label.pdf" % seg(pf[0]["id"])).body
    eq(put_label(ctx, u, pdf, carrier="DHL", tracking_no=tf[0]).status, 201, "u's upload", None)
    usku = "LU" + rand_suffix(5).upper()
    mk_sku(ctx, "S1", usku, dims=[180, 120, 60], weight=400)
    stock(ctx, "S1", "US-LAX", [(usku, 5)])
    us = create_order(ctx, order_body("S1", [(usku, 1)], country="US"))
    eq(us["warehouse"], "US-LAX", "routed to US-LAX", None)
    eq(put_label(ctx, us["id"], pdf, carrier="UPS", tracking_no="1Z999AA10123456784").status, 201,
       "us's upload", None)
    ctx.fixtures["bulk"] = dict(code=code, a=a, b=b, u=u, f=f, bare=bare, us=us["id"], ta=ta,
                                tb=tb, tf=tf)
    return ctx.fixtures["bulk"]


def bulk(ctx, ids, key="admin", ext="pdf", **params):
    params["orders"] = ",".join(ids)
    qs = "&".join("%s=%s" % (k, seg(v).replace("%2C", ",")) for k, v in params.items())
    return ctx.api.get("/v1/dispatch/labels.%s?%s" % (ext, qs), key=key)


@test
def test_bulk_labels_of_chosen_orders(ctx):
    x = bulk_orders(ctx)
    # in the order given: b, then a's two parcels by seq, then u's uploaded file
    r = bulk(ctx, [x["b"], x["a"], x["u"]], key="s1")
    eq((r.status, r.ctype), (200, "application/pdf"), "bulk PDF of chosen orders", r)
    want = [["00" + t] for t in x["tb"] + x["ta"] + x["tf"]]
    eq(symbols_per_page(r.body), want, "each page decodes to its order's tracking number", r)
    # the upload between two runs of haicang's labels; the operator of DE-DUI and the admin
    # get the same pages; without uploads one cairo PDF
    for key, ids, tr in (("op", ["a", "u", "b"], ["ta", "tf", "tb"]),
                         ("admin", ["a", "f"], ["ta", "tf"])):
        r = bulk(ctx, [x[i] for i in ids], key=key)
        eq(r.status, 200, "bulk PDF for %s" % key, r)
        eq(symbols_per_page(r.body), [["00" + t] for k in tr for t in x[k]],
           "pages for %s of %s" % (key, ids), r)
    r = bulk(ctx, [x["b"]], key="op", warehouse="DE-DUI")
    eq(symbols_per_page(r.body), [["00" + x["tb"][0]]], "warehouse with orders", r)
    # ZPL: one ^XA..^XZ per label, in the same order
    r = bulk(ctx, [x["b"], x["a"]], key="op", ext="zpl")
    eq((r.status, r.ctype.split(";")[0]), (200, "application/zpl"), "bulk ZPL", r)
    text = r.body.decode()
    eq(text.count("^XA"), 3, "three labels", r)
    pos = [text.find(t) for t in x["tb"] + x["ta"]]
    check(all(p >= 0 for p in pos) and pos == sorted(pos), "ZPL in the order given", r)


@test
def test_bulk_labels_refused(ctx):
    x = bulk_orders(ctx)
    a, b, u = x["a"], x["b"], x["u"]
    cases = [
        (bulk(ctx, []), 400, "orders"),
        (bulk(ctx, [a, "", b]), 400, "orders"),
        (bulk(ctx, [a, ""]), 400, "orders"),
        (bulk(ctx, [a, b, a]), 400, "orders"),
        (bulk(ctx, ["ord_%d" % i for i in range(501)]), 400, "orders"),
        (bulk(ctx, [a], service=x["code"]), 400, "service"),
        (bulk(ctx, [a], day="2026-01-01"), 400, "day"),
        (bulk(ctx, [a], nope="1"), 400, "nope"),
        (bulk(ctx, [a, "ord_nope"]), 404, "orders"),
        (bulk(ctx, [b, a], key="s2"), 404, "orders"),      # another seller's
        (bulk(ctx, [a, x["us"]], key="op"), 404, "orders"),  # another warehouse's
        (bulk(ctx, [a], warehouse="US-LAX"), 404, "orders"),
        (bulk(ctx, [a], key="op", warehouse="US-LAX"), 404, "warehouse"),
        (bulk(ctx, [a, x["bare"]]), 409, "orders[1]"),
        (bulk(ctx, [b, u], ext="zpl"), 409, "orders[1]"),
        (ctx.api.get("/v1/dispatch/labels.pdf", key="s1"), 403, "orders"),
        (ctx.api.get("/v1/dispatch/labels.zpl?service=%s" % x["code"], key="s1"), 403, "orders"),
    ]
    for r, status, field in cases:
        body = problem(r, status, field)
        eq([e.get("field") for e in body["errors"]], [field], "exactly %s named" % field, r)
    # a 404 does not tell a foreign order from a missing one
    r1, r2 = bulk(ctx, [a], key="s2"), bulk(ctx, ["ord_nope"], key="s2")
    eq((r1.status, r2.status), (404, 404), "both 404", r1)
    check(a in r1.json["detail"] and "ord_nope" in r2.json["detail"] and
          r1.json["detail"].replace(a, "X") == r2.json["detail"].replace("ord_nope", "X"),
          "the same words for both", r1)
    check(x["bare"] in bulk(ctx, [a, x["bare"]]).json["detail"], "409 names the order", None)
    # an upload that passes the structural check but has no page: 409 naming its order
    empty, _ = de_order(ctx)
    pageless = tiny_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids []      /Count 0")
    eq(put_label(ctx, empty, pageless, carrier="UPS", tracking_no="1Z1235").status, 201,
       "a page-less PDF passes the upload's structural check", None)
    r = bulk(ctx, [b, empty])
    problem(r, 409, "orders[1]")
    check(empty in r.json["detail"], "names the order", r)
    # the pickup form still answers (no regression)
    r = ctx.api.get("/v1/dispatch/labels.zpl?service=%s" % x["code"], key="op")
    check(r.status in (200, 409), "pickup ZPL answers", r)


@test
def test_openapi_lists_label_routes(ctx):
    r = ctx.api.get("/v1/openapi.json", key=None, expect=200)
    for p in ("/v1/orders/{id}/label", "/v1/orders/{id}/label.pdf", "/v1/warehouses/{wh}/gs1",
              "/v1/inbounds/{id}/carton-labels.pdf", "/v1/inbounds/{id}/carton-labels.zpl",
              "/v1/skus/{seller}/{sku}/labels.pdf", "/v1/warehouses/{wh}/connectors",
              "/v1/warehouses/{wh}/connectors/{name}", "/v1/dispatch/labels.zpl"):
        check(p in r.json["paths"], "OpenAPI lacks %s" % p, r)
    for p in ("/v1/dispatch/labels.pdf", "/v1/dispatch/labels.zpl"):
        names = [q["name"] for q in r.json["paths"][p]["get"].get("parameters", [])]
        check("orders" in names, "OpenAPI lists orders on %s: %r" % (p, names), r)


sys.exit(run_suite(TESTS, __doc__))

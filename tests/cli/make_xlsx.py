#!/usr/bin/env python3
"""Writes a minimal .xlsx by hand (zipfile + XML, no spreadsheet library) for the
CLI tests: make_xlsx.py OUT.xlsx ROWS.json, ROWS a list of rows, each a list of
cells: a string (stored as a shared string, or inline when it starts with "~"),
a number (stored as Excel writes a double, repr), {"date": serial} (a number in
a yyyy-mm-dd format), or null (no cell)."""
import json
import sys
import zipfile
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main(out, rows_path):
    rows = json.load(open(rows_path))
    strings, index, xml_rows = [], {}, []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            ref = "%s%d" % (col(c), r + 1)
            if v is None:
                continue
            if isinstance(v, dict):
                cells.append('<c r="%s" s="1"><v>%r</v></c>' % (ref, v["date"]))
            elif isinstance(v, (int, float)):
                cells.append('<c r="%s"><v>%r</v></c>' % (ref, v))
            elif v.startswith("~"):
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v[1:])))
            else:
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
        xml_rows.append('<row r="%d">%s</row>' % (r + 1, "".join(cells)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><sheets><sheet name="Cards" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, REL))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
                   '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/></Relationships>' % (REL, REL, REL))
        z.writestr("xl/sharedStrings.xml", '<sst %s>%s</sst>' % (NS, "".join("<si><t>%s</t></si>" % escape(s) for s in strings)))
        z.writestr("xl/styles.xml", '<styleSheet %s><numFmts><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
                   '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>' % NS)
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, "".join(xml_rows)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

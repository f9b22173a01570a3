/* Unit tests for the XLSX sheet reader (src/render/sheet_read.c): a workbook
 * written by libxlsxwriter read back cell by cell (shared strings, numbers,
 * dates in a date format, booleans, formula results, gaps), parts written by
 * hand with libzip (inline strings, rich text with phonetic runs, the 1904
 * date system, cells and rows without references), number text as Excel
 * writes it, and hostile files refused with a 4xx naming "file": not a zip,
 * no workbook, a DTD (entity expansion), a shared string out of range, a row
 * or column past the bounds, a part that inflates past its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "render/render.h"

static char dir[] = "/tmp/hc-sheet-XXXXXX";

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* A zip of the named parts (NULL-terminated name, text pairs), in memory. */
static char *zip_parts(const char *const *parts, size_t *n)
{
    char path[64];
    snprintf(path, sizeof(path), "%s/parts.zip", dir);
    unlink(path);
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return slurp(path, n);
}

static int read_parts(hc_arena *a, const char *const *parts, struct hc_sheet *sh, hc_err *err)
{
    size_t n;
    char *zip = zip_parts(parts, &n);
    int rc = hc_sheet_read_xlsx(a, zip, n, sh, err);
    free(zip);
    return rc;
}

static const char WB[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Cards\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/cards.xml\"/></Relationships>";

static const char *sheet_xml(hc_arena *a, const char *rows)
{
    return hc_arena_printf(a, "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas."
                              "openxmlformats.org/spreadsheetml/2006/main\"><sheetData>%s"
                              "</sheetData></worksheet>", rows);
}

static void test_xlsxwriter_roundtrip(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "%s/w.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "卡");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *cn_date = workbook_add_format(wb);
    format_set_num_format_index(cn_date, 14);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00\" d\"");
    worksheet_write_string(ws, 0, 0, "card", NULL);
    worksheet_write_string(ws, 0, 1, "仓库 DE-DUI", NULL);
    worksheet_write_number(ws, 1, 0, 0.45, NULL);
    worksheet_write_number(ws, 1, 1, 0.1 + 0.2, NULL);
    worksheet_write_number(ws, 1, 3, 46023, money); /* a gap at C, a number not a date */
    worksheet_write_number(ws, 1, 4, -12.5, NULL);
    lxw_datetime d = {2026, 1, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 2, 0, &d, date);
    lxw_datetime d2 = {2024, 2, 29, 13, 30, 0};
    worksheet_write_datetime(ws, 2, 1, &d2, cn_date);
    worksheet_write_boolean(ws, 2, 2, 1, NULL);
    worksheet_write_formula_num(ws, 2, 3, "=1+1", NULL, 2);
    worksheet_write_string(ws, 4, 1, "row 5", NULL); /* row 4 absent */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t n;
    char *bytes = slurp(path, &n);
    hc_arena *a = hc_arena_new(4096);
    struct hc_sheet sh;
    hc_err err = {0};
    assert_int_equal(hc_sheet_read_xlsx(a, bytes, n, &sh, &err), HC_OK);
    assert_int_equal(sh.nrows, 5);
    assert_int_equal(sh.ncells[0], 2);
    assert_string_equal(sh.cells[0][0], "card");
    assert_string_equal(sh.cells[0][1], "仓库 DE-DUI");
    assert_int_equal(sh.ncells[1], 5);
    assert_string_equal(sh.cells[1][0], "0.45");
    assert_string_equal(sh.cells[1][1], "0.3");
    assert_string_equal(sh.cells[1][2], "");
    assert_string_equal(sh.cells[1][3], "46023");
    assert_string_equal(sh.cells[1][4], "-12.5");
    assert_string_equal(sh.cells[2][0], "2026-01-01");
    assert_string_equal(sh.cells[2][1], "2024-02-29");
    assert_string_equal(sh.cells[2][2], "TRUE");
    assert_string_equal(sh.cells[2][3], "2");
    assert_int_equal(sh.ncells[3], 0);
    assert_string_equal(sh.cells[4][0], "");
    assert_string_equal(sh.cells[4][1], "row 5");
    free(bytes);
    hc_arena_free(a);
}

static void test_parts_by_hand(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    const char *sst =
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<si><t>plain</t></si>"
        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">rich </t></r><r><t>text</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh></si>"
        "<si><t>a &amp; b &lt;c&gt;</t></si></sst>";
    const char *styles =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[h]:mm\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"d/m/yy;@\"/></numFmts>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "</cellXfs></styleSheet>";
    const char *wb1904 =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId7\"/>"
        "</sheets></workbook>";
    const char *rows =
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c t=\"s\"><v>0</v></c>"
        "<c r=\"D1\" t=\"inlineStr\"><is><t>inline</t></is></c><c r=\"E1\" t=\"s\"><v>2</v></c>"
        "</row><row><c t=\"e\"><v>#N/A</v></c><c s=\"1\"><v>1.5</v></c><c s=\"2\"><v>0</v></c>"
        "<c s=\"2\"><v>45000.75</v></c><c t=\"str\"><f>A1&amp;B1</f><v>rich textplain</v></c>"
        "<c><v>1.1000000000000001</v></c><c><v>1E-3</v></c><c><v>12345678901234567890</v></c>"
        "</row>";
    const char *parts[] = {"xl/workbook.xml", wb1904, "xl/_rels/workbook.xml.rels", RELS,
                           "xl/sharedStrings.xml", sst, "xl/styles.xml", styles,
                           "xl/worksheets/cards.xml", sheet_xml(a, rows), NULL};
    struct hc_sheet sh;
    hc_err err = {0};
    assert_int_equal(read_parts(a, parts, &sh, &err), HC_OK);
    assert_int_equal(sh.nrows, 2);
    assert_int_equal(sh.ncells[0], 5);
    assert_string_equal(sh.cells[0][0], "rich text");
    assert_string_equal(sh.cells[0][1], "plain");
    assert_string_equal(sh.cells[0][2], "");
    assert_string_equal(sh.cells[0][3], "inline");
    assert_string_equal(sh.cells[0][4], "a & b <c>");
    assert_int_equal(sh.ncells[1], 8);
    assert_string_equal(sh.cells[1][0], "#N/A");
    assert_string_equal(sh.cells[1][1], "1.5");        /* [h]:mm is no date */
    assert_string_equal(sh.cells[1][2], "1904-01-01"); /* 1904 system */
    assert_string_equal(sh.cells[1][3], "2027-03-16"); /* 45000 days later, time dropped */
    assert_string_equal(sh.cells[1][4], "rich textplain");
    assert_string_equal(sh.cells[1][5], "1.1");
    assert_string_equal(sh.cells[1][6], "0.001");
    assert_string_equal(sh.cells[1][7], "12345678901234600000");
    hc_arena_free(a);
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"0", "0"},           {"-0", "0"},         {"0.45000000000000001", "0.45"},
        {"2.9999999999999996", "3"}, {"99999999999999999", "100000000000000000"},
        {"-1.5E-3", "-0.0015"}, {"1.23e+2", "123"}, {"007.50", "7.5"}, {".5", "0.5"},
        {"123456789012345678", "123456789012346000"}, {"1E39", "1000000000000000000000000000000000000000"},
        {"1E-39", "0.000000000000000000000000000000000000001"},
    };
    char out[128];
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_true(hc_sheet_number(ok[i].in, out, sizeof(out)));
        assert_string_equal(out, ok[i].out);
    }
    static const char *const bad[] = {"", "-", "1.2.3", "1e", "1e999", "abc", "1 ", "0x10",
                                      "1E41", "1,5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(hc_sheet_number(bad[i], out, sizeof(out)));
    assert_false(hc_sheet_number("123456", out, 4)); /* does not fit */
}

/* parts refused with code, the message saying `what` */
static void refused(const char *const *parts, int code, const char *what)
{
    hc_arena *a = hc_arena_new(4096);
    struct hc_sheet sh;
    hc_err err = {0};
    int rc = read_parts(a, parts, &sh, &err);
    if (rc != code)
        fail_msg("%s: %d (%s), wanted %d", what, rc, err.msg, code);
    assert_string_equal(err.field, "file");
    if (strstr(err.msg, what) == NULL)
        fail_msg("wanted \"%s\" in: %s", what, err.msg);
    assert_int_equal(sh.nrows, 0);
    hc_arena_free(a);
}

static void test_hostile(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_sheet sh;
    hc_err err = {0};
    assert_int_equal(hc_sheet_read_xlsx(a, "card,warehouse\n", 15, &sh, &err), HC_EINVAL);
    assert_string_equal(err.field, "file");
    assert_int_equal(hc_sheet_read_xlsx(a, "", 0, &sh, &err), HC_EINVAL);
    const char *none[] = {"docProps/app.xml", "<x/>", NULL};
    refused(none, HC_EINVAL, "no xl/workbook.xml");
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
        "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row>"
        "<c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>";
    const char *dtd[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                         "xl/worksheets/cards.xml", laughs, NULL};
    refused(dtd, HC_EINVAL, "document type declaration");
    const char *sst_out[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                             "xl/worksheets/cards.xml",
                             sheet_xml(a, "<row><c t=\"s\"><v>3</v></c></row>"), NULL};
    refused(sst_out, HC_EINVAL, "shared string that is not there");
    const char *far_row[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                             "xl/worksheets/cards.xml",
                             sheet_xml(a, "<row r=\"100001\"><c><v>1</v></c></row>"), NULL};
    refused(far_row, HC_ETOOBIG, "row number is not one of");
    const char *far_col[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                             "xl/worksheets/cards.xml",
                             sheet_xml(a, "<row><c r=\"IW1\"><v>1</v></c></row>"), NULL};
    refused(far_col, HC_ETOOBIG, "more than 256 columns");
    const char *backwards[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                               "xl/worksheets/cards.xml",
                               sheet_xml(a, "<row r=\"3\"/><row r=\"2\"/>"), NULL};
    refused(backwards, HC_EINVAL, "rows out of order");
    const char *broken[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                            "xl/worksheets/cards.xml", "<worksheet><sheetData><row>", NULL};
    refused(broken, HC_EINVAL, "malformed");
    /* a part that inflates past HC_SHEET_PART_MAX (a zip bomb, small on disk) */
    size_t big = HC_SHEET_PART_MAX + 1024;
    char *bomb = malloc(big + 1);
    memcpy(bomb, "<worksheet>", 11);
    size_t end = 11;
    for (; end + 4 <= big; end += 4)
        memcpy(bomb + end, "<a/>", 4); /* well-formed as far as it goes */
    bomb[end] = '\0';
    const char *inflate[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                             "xl/worksheets/cards.xml", bomb, NULL};
    refused(inflate, HC_ETOOBIG, "a part of the XLSX is over");
    /* a cell's text past libxml2's own bound of a text node (10 MB) */
    size_t huge = (12u << 20);
    char *text = malloc(huge + 200);
    size_t k = (size_t)sprintf(text, "<worksheet><sheetData><row><c t=\"str\"><v>");
    memset(text + k, 'x', huge);
    strcpy(text + k + huge, "</v></c></row></sheetData></worksheet>");
    const char *long_text[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                               "xl/worksheets/cards.xml", text, NULL};
    hc_arena *b = hc_arena_new(4096);
    struct hc_sheet sh2;
    hc_err e2 = {0};
    int rc = read_parts(b, long_text, &sh2, &e2);
    assert_true(rc == HC_EINVAL || rc == HC_ETOOBIG);
    assert_string_equal(e2.field, "file");
    hc_arena_free(b);
    free(text);
    free(bomb);
    hc_arena_free(a);
}

int main(void)
{
    if (mkdtemp(dir) == NULL)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsxwriter_roundtrip),
        cmocka_unit_test(test_parts_by_hand),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_hostile),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}

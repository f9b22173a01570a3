/* libFuzzer target: the XLSX sheet reader (src/render/sheet_read.c) and the
 * rate-card and carrier-service imports of its rows. Bytes whose first is even are read as a
 * whole .xlsx (the zip layer); the others are wrapped, after that byte, as
 * the sheet part of a zip with a fixed workbook, relationships, shared
 * strings and styles (the XML layer, which a fuzzer would seldom reach
 * through a valid zip). It must never crash, hang, leak or read out of
 * bounds, and what it answers must keep the reader's promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "finance/finance.h"
#include "lastmile/lastmile.h"
#include "render/render.h"

static const char *const fixed[] = {
    "xl/workbook.xml",
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>",
    "xl/_rels/workbook.xml.rels",
    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/s.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>"
    "</Relationships>",
    "xl/sharedStrings.xml",
    "<sst><si><t>card</t></si><si><r><t>DE-</t></r><r><t>DUI</t></r></si><si><t>EUR</t></si>"
    "<si><t>storage_m3</t></si></sst>",
    "xl/styles.xml",
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/></cellXfs>"
    "</styleSheet>",
};

/* A zip of the fixed parts and `sheet` as xl/worksheets/s.xml, malloc'd. */
static void *wrap(const uint8_t *sheet, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    void *out = NULL;
    zip_error_fini(&ze);
    if (z == NULL) {
        if (src)
            zip_source_free(src);
        return NULL;
    }
    zip_source_keep(src);
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i += 2)
        zip_file_add(z, fixed[i], zip_source_buffer(z, fixed[i + 1], strlen(fixed[i + 1]), 0), 0);
    zip_file_add(z, "xl/worksheets/s.xml", zip_source_buffer(z, sheet, n, 0), 0);
    for (zip_uint64_t i = 0; i < (zip_uint64_t)zip_get_num_entries(z, 0); i++)
        zip_set_file_compression(z, i, ZIP_CM_STORE, 0); /* stored: more runs a second */
    if (zip_close(z) != 0) {
        zip_discard(z);
        zip_source_free(src);
        return NULL;
    }
    zip_stat_t st;
    if (zip_source_open(src) == 0) {
        if (zip_source_stat(src, &st) == 0 && (out = malloc(st.size + 1)) != NULL) {
            zip_int64_t got = zip_source_read(src, out, st.size);
            *len = got > 0 ? (size_t)got : 0;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    return out;
}

static void check(const struct hc_sheet *sh)
{
    if (sh->nrows > HC_SHEET_ROWS_MAX)
        abort();
    for (size_t r = 0; r < sh->nrows; r++) {
        if (sh->ncells[r] > HC_SHEET_COLS_MAX)
            abort();
        for (size_t c = 0; c < sh->ncells[r]; c++)
            if (sh->cells[r][c] == NULL || strlen(sh->cells[r][c]) > HC_SHEET_TEXT_MAX)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t len = size - 1;
    void *owned = NULL;
    const void *bytes = data + 1;
    if (data[0] & 1) {
        owned = wrap(data + 1, size - 1, &len);
        if (owned == NULL)
            return 0;
        bytes = owned;
    }
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_sheet sh;
    hc_err err = {0};
    int rc = hc_sheet_read_xlsx(a, bytes, len, &sh, &err);
    if (rc == HC_OK) {
        check(&sh);
        struct hc_ratecard *cards;
        size_t n;
        hc_err e2 = {0};
        hc_ratecard_sheet_parse(a, &sh, &cards, &n, &e2);
        struct hc_lm_service *services;
        hc_err e3 = {0};
        if (hc_lm_sheet_parse(a, &sh, &services, &n, &e3) == HC_OK && n == 0)
            abort(); /* an import of nothing is refused */
    } else if ((rc != HC_EINVAL && rc != HC_ETOOBIG) || strcmp(err.field, "file") != 0) {
        abort(); /* a refusal is a 4xx naming the file */
    }
    char num[64];
    char *s = strndup((const char *)data, size > 80 ? 80 : size);
    if (s && hc_sheet_number(s, num, sizeof(num)) && strlen(num) >= sizeof(num))
        abort();
    free(s);
    hc_arena_free(a);
    free(owned);
    return 0;
}

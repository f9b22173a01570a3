/* Unit tests for the writers of src/render: a table of 2,500 rows (its
 * XLSX rows written by xlsx_rows.c) and the same table cut to 500 rows
 * (written by libxlsxwriter) read back by the sheet reader cell by cell:
 * text with XML's and OOXML's special characters, Chinese, edge spaces,
 * numbers with 0 to 6 decimals as numbers, decimals a number cannot carry
 * exactly as text, empty cells; the sheet's dimension; a table marked for
 * some formats only, and a table's note, in each format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#define NCOLS 5

/* Row i of the test table: its cells (text, amount, text, amount, text). */
struct rows {
    char b[NCOLS][96];
};

static const char *const texts[] = {
    "plain",   "R&D <1> \"q\" 'a'", "退款-中文", "_x0041_ literal", " lead space",
    "tab\tin", "ctl\x01char",        "a,b;c",    "trailing ",       "=SUM(A1)",
};
static const char *const numbers[] = {"0",      "-0.5",     "12.34",  "-1234567.891",
                                      "0.000001", "42",     "99.10",  "1234567890123456",
                                      "1e5",    "-",        "12.3456789", ""};

static int row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    snprintf(r->b[0], sizeof(r->b[0]), "%s %zu", texts[i % HC_ARRAY_LEN(texts)], i);
    snprintf(r->b[1], sizeof(r->b[1]), "%s", numbers[i % HC_ARRAY_LEN(numbers)]);
    snprintf(r->b[2], sizeof(r->b[2]), "%s", i % 3 ? "" : "every third");
    snprintf(r->b[3], sizeof(r->b[3]), "%zu.%02zu", i, i % 100);
    snprintf(r->b[4], sizeof(r->b[4]), "mny_%zu", 384951289365467136u + i);
    for (int k = 0; k < NCOLS; k++)
        c[k] = r->b[k];
    return HC_OK;
}

static void doc_of(struct hc_doc *d, struct hc_doc_table *t, struct rows *r, size_t nrows)
{
    memset(d, 0, sizeof(*d));
    memset(t, 0, sizeof(*t));
    t->title = "Rows";
    t->note = "a note under the title";
    t->sheet = "Rows";
    t->ncols = NCOLS;
    const char *head[NCOLS] = {"Text", "Number", "Sparse", "Amount", "Entry"};
    for (int k = 0; k < NCOLS; k++) {
        t->head[k] = head[k];
        t->width[k] = 1;
        t->numeric[k] = k == 1 || k == 3;
    }
    t->nrows = nrows;
    t->row = row;
    t->ctx = r;
    d->title = "Render test";
    d->nmeta = 1;
    d->meta[0][0] = "Label";
    d->meta[0][1] = "value";
    d->tables = t;
    d->ntables = 1;
}

/* OOXML's _xHHHH_ escapes decoded (the reader keeps them as written). */
static void unescape(const char *s, char *out, size_t size)
{
    size_t o = 0;
    while (*s && o + 1 < size) {
        unsigned v;
        if (s[0] == '_' && s[1] == 'x' && sscanf(s + 2, "%4x", &v) == 1 && s[6] == '_') {
            out[o++] = (char)v;
            s += 7;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
}

/* The XLSX of nrows rows read back: every cell as the table gave it. */
static void xlsx_round_trip(size_t nrows)
{
    struct rows r, want;
    struct hc_doc d;
    struct hc_doc_table t;
    doc_of(&d, &t, &r, nrows);
    hc_buf b;
    hc_buf_init(&b, (size_t)1 << 28);
    hc_err err = {0};
    assert_int_equal(hc_render_xlsx(&d, &b, &err), HC_OK);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_sheet sh;
    assert_int_equal(hc_sheet_read_xlsx(a, b.p, b.n, &sh, &err), HC_OK);
    /* title, label/value, an empty row, the table's title, note, heading */
    const size_t first = 6;
    assert_int_equal(sh.nrows, first + nrows);
    assert_string_equal(sh.cells[0][0], "Render test");
    assert_string_equal(sh.cells[1][1], "value");
    assert_string_equal(sh.cells[4][0], "a note under the title");
    assert_string_equal(sh.cells[5][4], "Entry");
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t i = 0; i < nrows; i++) {
        row(&want, i, cells);
        const char **got = sh.cells[first + i];
        for (size_t k = 0; k < NCOLS; k++) {
            const char *g = k < sh.ncells[first + i] ? got[k] : "";
            char num[64], text[128];
            /* numbers: plain decimals of at most 15 digits and 6 decimals */
            bool number = t.numeric[k] && strspn(cells[k], "-0123456789.") == strlen(cells[k]) &&
                          strcmp(cells[k], "-") != 0 && *cells[k] &&
                          strcmp(cells[k], "1234567890123456") != 0 &&
                          strcmp(cells[k], "12.3456789") != 0;
            if (number) {
                assert_true(hc_sheet_number(cells[k], num, sizeof(num)));
                assert_string_equal(g, num); /* a number cell */
            } else {
                unescape(g, text, sizeof(text));
                assert_string_equal(text, cells[k]);
            }
        }
    }
    hc_arena_free(a);
    hc_buf_free(&b);
}

static void xlsx_rows_written_by_xlsx_rows(void **state)
{
    xlsx_round_trip(2500);
}

static void xlsx_rows_written_by_libxlsxwriter(void **state)
{
    xlsx_round_trip(500);
}

static bool has(const hc_buf *b, const char *needle)
{
    return b->p && memmem(b->p, b->n, needle, strlen(needle)) != NULL;
}

/* A table marked for the PDF only is in no CSV; one marked for XLSX and
 * CSV is in no PDF (its rows are not even read for it). */
static int counted_row(void *ctx, size_t i, const char **c)
{
    int *calls = ctx;
    (*calls)++;
    static const char *cells[1] = {"only-here"};
    c[0] = cells[0];
    return HC_OK;
}

static void tables_for_some_formats(void **state)
{
    int calls = 0;
    struct hc_doc_table t[2] = {
        {.title = "For the PDF", .sheet = "P", .ncols = 1, .head = {"H"}, .nrows = 3,
         .row = counted_row, .ctx = &calls, .formats = HC_DOC_PDF},
        {.title = "For files", .note = "noted", .sheet = "F", .ncols = 1, .head = {"H"},
         .nrows = 2, .row = counted_row, .ctx = &calls, .formats = HC_DOC_XLSX | HC_DOC_CSV}};
    struct hc_doc d = {.title = "T", .tables = t, .ntables = 2};
    hc_buf b;
    hc_err err = {0};
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_csv(&d, &b, &err), HC_OK);
    assert_false(has(&b, "For the PDF"));
    assert_true(has(&b, "For files\r\nnoted\r\nH\r\nonly-here\r\nonly-here\r\n"));
    assert_int_equal(calls, 2);
    hc_buf_free(&b);
    calls = 0;
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_pdf(&d, &b, &err), HC_OK);
    assert_int_equal(calls, 6); /* 3 rows, read to measure and to draw */
    hc_buf_free(&b);
    calls = 0;
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_xlsx(&d, &b, &err), HC_OK);
    assert_int_equal(calls, 2);
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_sheet sh;
    assert_int_equal(hc_sheet_read_xlsx(a, b.p, b.n, &sh, &err), HC_OK);
    /* the first sheet written is the files' table, with the title */
    assert_string_equal(sh.cells[0][0], "T");
    assert_string_equal(sh.cells[2][0], "For files");
    assert_string_equal(sh.cells[3][0], "noted");
    hc_arena_free(a);
    hc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsx_rows_written_by_xlsx_rows),
        cmocka_unit_test(xlsx_rows_written_by_libxlsxwriter),
        cmocka_unit_test(tables_for_some_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

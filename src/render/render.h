/* render: a document (a title, label/value lines, tables) as PDF (cairo),
 * XLSX (libxlsxwriter) or CSV. Presentation only: it knows no domain, no
 * store, no HTTP or JSON; finance builds the documents.
 *
 * Rows come from a callback so a table of a million rows is never held as
 * strings: row(ctx, i, cells) fills ncols pointers for row i, valid until
 * the next call; a renderer may read the rows more than once (the PDF
 * measures its columns first), always in order. Numeric columns carry
 * decimal strings ("-12.34"): right aligned in the PDF, numbers with as many
 * decimals in the XLSX (up to 15 digits and 6 decimals; text beyond). A
 * table may be meant for some formats only (formats), and carry a line of
 * text under its title (note). */
#ifndef HC_RENDER_H
#define HC_RENDER_H

#include "base/base.h"

#define HC_DOC_COLS_MAX 16

/* Formats a table is written in (hc_doc_table.formats; 0 = all). */
#define HC_DOC_PDF 1u
#define HC_DOC_XLSX 2u
#define HC_DOC_CSV 4u

struct hc_doc_table {
    const char *title; /* a heading above the table, or NULL */
    const char *note;  /* a line under the heading, or NULL */
    unsigned formats;  /* HC_DOC_PDF | HC_DOC_XLSX | HC_DOC_CSV, or 0 for all */
    const char *sheet; /* XLSX sheet name (ASCII, <= 31 characters, unique) */
    size_t ncols;
    const char *head[HC_DOC_COLS_MAX];
    bool numeric[HC_DOC_COLS_MAX];
    double width[HC_DOC_COLS_MAX]; /* relative column widths in the PDF */
    size_t nrows;
    int (*row)(void *ctx, size_t i, const char **cells);
    void *ctx;
};

struct hc_doc {
    const char *title;
    size_t nmeta;
    const char *meta[16][2]; /* label, value */
    size_t ntables;
    const struct hc_doc_table *tables;
    const char *footer; /* printed at the end, or NULL */
};

static inline bool hc_doc_table_in(const struct hc_doc_table *t, unsigned format)
{
    return t->formats == 0 || (t->formats & format) != 0;
}

/* Each appends the document to out (bounded by its max: HC_ETOOBIG). */
int hc_render_pdf(const struct hc_doc *d, hc_buf *out, hc_err *err);
/* Hands cairo's and fontconfig's font caches back at exit (once per
 * process), for LeakSanitizer; for other modules that draw with cairo. */
void hc_render_caches_release_at_exit(void);
int hc_render_xlsx(const struct hc_doc *d, hc_buf *out, hc_err *err);
/* CSV (RFC 4180, CRLF): the label/value lines, then each table with its
 * title row and header, tables apart by an empty line. UTF-8 with a BOM so
 * spreadsheet programs read Chinese text. */
int hc_render_csv(const struct hc_doc *d, hc_buf *out, hc_err *err);

/* ---- reading sheets (sheet_read.c) ------------------------------------------
 * The first worksheet of an XLSX file as rows of cell strings, for the
 * importers: shared strings (rich-text runs joined, phonetic runs left out),
 * inline strings, formula results as their cached value, booleans "TRUE" /
 * "FALSE", errors as written ("#N/A"), numbers as exact decimal text of at
 * most 15 significant digits (what Excel keeps: "0.45000000000000001" reads
 * "0.45", "1E-3" reads "0.001"; see hc_sheet_number), numbers in a date format
 * as "YYYY-MM-DD" (the 1900 or 1904 date system; a time of day is dropped).
 * Rows and cells keep their places: cells[r][c] is row r+1, column c (A = 0);
 * an absent row has no cells, an absent cell before the row's last is "".
 * Everything lives in the arena.
 *
 * Hostile files: each zip part is streamed into the XML parser (never held
 * whole) and read up to HC_SHEET_PART_MAX bytes uncompressed whatever the zip
 * says, XML with a DTD is refused (no entity
 * expands), nothing is fetched; over a bound it is HC_ETOOBIG, anything else
 * not readable HC_EINVAL, both naming "file". */
#define HC_SHEET_FILE_MAX (16u << 20)  /* bytes of the .xlsx */
#define HC_SHEET_PART_MAX (64u << 20)  /* uncompressed bytes of one part (streamed) */
#define HC_SHEET_TEXT_MAX (1u << 20)   /* bytes of one cell's text */
#define HC_SHEET_ROWS_MAX 100000
#define HC_SHEET_COLS_MAX 256
#define HC_SHEET_CELLS_MAX 2000000

struct hc_sheet {
    size_t nrows;
    size_t *ncells;      /* per row */
    const char ***cells; /* cells[r][0..ncells[r]-1] */
};
int hc_sheet_read_xlsx(hc_arena *a, const void *data, size_t len, struct hc_sheet *out,
                       hc_err *err);
/* A number as a sheet stores it (an optional sign, digits with an optional
 * point, an optional exponent) as plain decimal text, rounded half away
 * from zero to 15 significant digits, trailing zeros dropped ("-0.5",
 * "12", "0"); false when s is not one, or lies beyond 10^±40. */
bool hc_sheet_number(const char *s, char *out, size_t size);

#endif

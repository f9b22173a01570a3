/* render: a document (a title, label/value lines, tables) as PDF (cairo),
 * XLSX (libxlsxwriter) or CSV. Presentation only: it knows no domain, no
 * store, no HTTP or JSON; finance builds the documents.
 *
 * Rows come from a callback so a table of a million rows is never held as
 * strings: row(ctx, i, cells) fills ncols pointers for row i, valid until
 * the next call. Numeric columns carry decimal strings ("-12.34"): right
 * aligned in the PDF, numbers with as many decimals in the XLSX. */
#ifndef HC_RENDER_H
#define HC_RENDER_H

#include "base/base.h"

#define HC_DOC_COLS_MAX 16

struct hc_doc_table {
    const char *title; /* a heading above the table, or NULL */
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

/* Each appends the document to out (bounded by its max: HC_ETOOBIG). */
int hc_render_pdf(const struct hc_doc *d, hc_buf *out, hc_err *err);
int hc_render_xlsx(const struct hc_doc *d, hc_buf *out, hc_err *err);
/* CSV (RFC 4180, CRLF): the label/value lines, then each table with its
 * title row and header, tables apart by an empty line. UTF-8 with a BOM so
 * spreadsheet programs read Chinese text. */
int hc_render_csv(const struct hc_doc *d, hc_buf *out, hc_err *err);

#endif

/* render_private.h: what the files of src/render share and nobody else sees. */
#ifndef HC_RENDER_PRIVATE_H
#define HC_RENDER_PRIVATE_H

#include <stdint.h>

#include "render.h"

/* A table whose rows xlsx_rows.c writes into a sheet of libxlsxwriter's
 * package (see xlsx.c): the sheet's part name, the table, the sheet row
 * (0-based) of the table's row 0 and the style (xf index) of a number with
 * 0..6 decimals. */
struct xlsx_splice {
    char entry[48]; /* "xl/worksheets/sheetN.xml" */
    const struct hc_doc_table *t;
    uint32_t first_row;
    int32_t num_xf[7];
};

/* Decimals of a plain decimal ("-12.34": 2), or -1 when v is not one that a
 * number cell carries exactly (an exponent, more than 15 digits or more
 * than 6 decimals): such a value is written as text. */
int xlsx_plain_decimals(const char *v);

/* Copies the zip package (zip, n) to out with the rows of each splice
 * written at the end of its sheet's sheetData (and its dimension widened).
 * HC_ETOOBIG past out's limit or 4 GiB (no ZIP64); HC_EINTERNAL for a
 * package that is not what libxlsxwriter writes. */
int xlsx_splice_rows(const unsigned char *zip, size_t n, const struct xlsx_splice *sp,
                     size_t nsp, hc_buf *out, hc_err *err);

#endif

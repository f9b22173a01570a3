/* xlsx.c: a document as an XLSX workbook through libxlsxwriter, one sheet
 * per table (the first also carries the title and the label/value lines),
 * in constant-memory mode so a sheet of a million rows streams row by row.
 * libxlsxwriter 1.1.4 (Debian 12) writes to a file only: the workbook goes
 * to a private temporary file that is read back and removed. */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_ROWS_MAX 1048575 /* Excel's sheet, less the header */

/* Decimals of a decimal string, for the number format. */
static int decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

static int sheet(lxw_workbook *wb, const struct hc_doc *d, size_t ti, lxw_format *bold,
                 lxw_format **num, hc_err *err)
{
    const struct hc_doc_table *t = &d->tables[ti];
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    if (ws == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: no sheet %s", t->sheet);
    lxw_row_t row = 0;
    if (ti == 0) {
        worksheet_write_string(ws, row++, 0, d->title ? d->title : "", bold);
        for (size_t i = 0; i < d->nmeta; i++, row++) {
            worksheet_write_string(ws, row, 0, d->meta[i][0], bold);
            worksheet_write_string(ws, row, 1, d->meta[i][1] ? d->meta[i][1] : "", NULL);
        }
        row++;
    }
    if (t->title)
        worksheet_write_string(ws, row++, 0, t->title, bold);
    for (size_t c = 0; c < t->ncols; c++) {
        worksheet_write_string(ws, row, (lxw_col_t)c, t->head[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             4 + 3 * (t->width[c] > 0 ? t->width[c] : 1), NULL);
    }
    row++;
    if (t->nrows > XLSX_ROWS_MAX - row)
        return hc_err_set(err, HC_ETOOBIG, "", "xlsx: %zu rows do not fit a sheet", t->nrows);
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t r = 0; r < t->nrows; r++, row++) {
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = cells[c] ? cells[c] : "";
            if (*v == '\0')
                continue;
            if (t->numeric[c]) {
                int dp = decimals(v);
                char *end;
                double x = strtod(v, &end);
                if (*end == '\0' && dp <= 6) {
                    worksheet_write_number(ws, row, (lxw_col_t)c, x, num[dp]);
                    continue;
                }
            }
            worksheet_write_string(ws, row, (lxw_col_t)c, v, NULL);
        }
    }
    return HC_OK;
}

int hc_render_xlsx(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/haicang-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: temporary file: %s", strerror(errno));
    close(fd);
    int rc = HC_OK;
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmp && *tmp ? (char *)tmp : NULL};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    if (wb == NULL) {
        unlink(path);
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: no workbook");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *num[7];
    static const char *fmts[7] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000",
                                  "#,##0.00000", "#,##0.000000"};
    for (int i = 0; i < 7; i++) {
        num[i] = workbook_add_format(wb);
        format_set_num_format(num[i], fmts[i]);
    }
    lxw_doc_properties props = {.title = (char *)(d->title ? d->title : ""),
                                .author = (char *)"haicang"};
    workbook_set_properties(wb, &props);
    for (size_t t = 0; rc == HC_OK && t < d->ntables; t++)
        rc = sheet(wb, d, t, bold, num, err);
    lxw_error le = workbook_close(wb); /* frees wb, also after an error above */
    if (rc == HC_OK && le != LXW_NO_ERROR)
        rc = hc_err_set(err, HC_EINTERNAL, "", "xlsx: %s", lxw_strerror(le));
    FILE *f = rc == HC_OK ? fopen(path, "rb") : NULL;
    if (rc == HC_OK && f == NULL)
        rc = hc_err_set(err, HC_EINTERNAL, "", "xlsx: %s", strerror(errno));
    if (f) {
        char chunk[65536];
        size_t n;
        while (rc == HC_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            if (hc_buf_add(out, chunk, n) != HC_OK)
                rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
        if (rc == HC_OK && ferror(f))
            rc = hc_err_set(err, HC_EINTERNAL, "", "xlsx: read back failed");
        fclose(f);
    }
    unlink(path);
    return rc;
}

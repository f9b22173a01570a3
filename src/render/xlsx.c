/* xlsx.c: a document as an XLSX workbook through libxlsxwriter, one sheet
 * per table (the first also carries the title and the label/value lines),
 * in constant-memory mode. libxlsxwriter 1.1.4 (Debian 12) writes to a file
 * only: the workbook goes to a private temporary file that is read back and
 * removed. The rows of a table of more than XLSX_STREAM_ROWS rows are not
 * given to libxlsxwriter: its sheet gets the headings, and xlsx_rows.c
 * writes the rows into that sheet of the package (10x faster for a million
 * rows; the same cells). */
#include "render_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_ROWS_MAX 1048575 /* Excel's sheet, less the header */
#define XLSX_STREAM_ROWS 1000

static bool escape_at(const char *p)
{
    return p[0] == '_' && p[1] == 'x' && strspn(p + 2, "0123456789ABCDEFabcdef") >= 4 &&
           p[6] == '_';
}

/* v with each literal "_xHHHH_" kept literal by writing its "_" as
 * "_x005F_" (libxlsxwriter writes "_x" as it is, and a reader decodes it as
 * an escape; it escapes control characters itself); NULL when v has none,
 * else malloc'd. */
static char *literal_escapes(const char *v)
{
    size_t n = 0;
    for (const char *p = strstr(v, "_x"); p; p = strstr(p + 1, "_x"))
        n += escape_at(p);
    if (n == 0)
        return NULL;
    char *out = malloc(strlen(v) + 6 * n + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *p = v; *p; p++) {
        if (escape_at(p)) {
            memcpy(o, "_x005F", 6);
            o += 6;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* The rows of t from sheet row `row` on, through libxlsxwriter. */
static int rows(lxw_worksheet *ws, const struct hc_doc_table *t, lxw_row_t row, lxw_format **num,
                hc_err *err)
{
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t r = 0; r < t->nrows; r++, row++) {
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = cells[c] ? cells[c] : "";
            if (*v == '\0')
                continue;
            int dp = t->numeric[c] ? xlsx_plain_decimals(v) : -1;
            if (dp >= 0) {
                worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v, NULL), num[dp]);
                continue;
            }
            char *lit = literal_escapes(v);
            worksheet_write_string(ws, row, (lxw_col_t)c, lit ? lit : v, NULL);
            free(lit);
        }
    }
    return HC_OK;
}

/* Table ti as sheet number `number` (1-based; the first also carries the
 * title and the label/value lines); a large table's rows are left to
 * xlsx_rows.c (*sp filled, *spliced set). */
static int sheet(lxw_workbook *wb, const struct hc_doc *d, size_t ti, unsigned number,
                 lxw_format *bold, lxw_format **num, struct xlsx_splice *sp, bool *spliced,
                 hc_err *err)
{
    const struct hc_doc_table *t = &d->tables[ti];
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    if (ws == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: no sheet %s", t->sheet);
    lxw_row_t row = 0;
    if (number == 1) {
        worksheet_write_string(ws, row++, 0, d->title ? d->title : "", bold);
        for (size_t i = 0; i < d->nmeta; i++, row++) {
            worksheet_write_string(ws, row, 0, d->meta[i][0], bold);
            worksheet_write_string(ws, row, 1, d->meta[i][1] ? d->meta[i][1] : "", NULL);
        }
        row++;
    }
    if (t->title)
        worksheet_write_string(ws, row++, 0, t->title, bold);
    if (t->note)
        worksheet_write_string(ws, row++, 0, t->note, NULL);
    for (size_t c = 0; c < t->ncols; c++) {
        worksheet_write_string(ws, row, (lxw_col_t)c, t->head[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             4 + 3 * (t->width[c] > 0 ? t->width[c] : 1), NULL);
    }
    row++;
    if (t->nrows > XLSX_ROWS_MAX - row)
        return hc_err_set(err, HC_ETOOBIG, "", "xlsx: %zu rows do not fit a sheet", t->nrows);
    *spliced = t->nrows > XLSX_STREAM_ROWS;
    if (!*spliced)
        return rows(ws, t, row, num, err);
    snprintf(sp->entry, sizeof(sp->entry), "xl/worksheets/sheet%u.xml", number);
    sp->t = t;
    sp->first_row = row;
    for (int i = 0; i < 7; i++)
        sp->num_xf[i] = lxw_format_get_xf_index(num[i]);
    return HC_OK;
}

/* The file at path appended to out. */
static int read_back(const char *path, hc_buf *out, hc_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: %s", strerror(errno));
    int rc = HC_OK;
    char chunk[65536];
    size_t n;
    while (rc == HC_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (hc_buf_add(out, chunk, n) != HC_OK)
            rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
    if (rc == HC_OK && ferror(f))
        rc = hc_err_set(err, HC_EINTERNAL, "", "xlsx: read back failed");
    fclose(f);
    return rc;
}

/* The workbook through libxlsxwriter into path; large tables' rows left
 * out and described in sp (*nsp of them). */
static int workbook(const struct hc_doc *d, const char *path, const char *tmp,
                    struct xlsx_splice *sp, size_t *nsp, hc_err *err)
{
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    if (wb == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: no workbook");
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
    int rc = HC_OK;
    *nsp = 0;
    unsigned number = 0;
    for (size_t t = 0; rc == HC_OK && t < d->ntables; t++) {
        bool spliced = false;
        if (hc_doc_table_in(&d->tables[t], HC_DOC_XLSX))
            rc = sheet(wb, d, t, ++number, bold, num, &sp[*nsp], &spliced, err);
        *nsp += spliced;
    }
    lxw_error le = workbook_close(wb); /* frees wb, also after an error above */
    if (rc == HC_OK && le != LXW_NO_ERROR)
        rc = hc_err_set(err, HC_EINTERNAL, "", "xlsx: %s", lxw_strerror(le));
    return rc;
}

int hc_render_xlsx(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp && *tmp == '\0')
        tmp = NULL;
    char path[512];
    snprintf(path, sizeof(path), "%s/haicang-xlsx-XXXXXX", tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: temporary file: %s", strerror(errno));
    close(fd);
    struct xlsx_splice *sp = calloc(d->ntables ? d->ntables : 1, sizeof(*sp));
    if (sp == NULL) {
        unlink(path);
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: out of memory");
    }
    size_t nsp = 0;
    int rc = workbook(d, path, tmp, sp, &nsp, err);
    if (rc == HC_OK && nsp == 0)
        rc = read_back(path, out, err);
    else if (rc == HC_OK) {
        hc_buf pkg;
        hc_buf_init(&pkg, out->max);
        rc = read_back(path, &pkg, err);
        if (rc == HC_OK)
            rc = xlsx_splice_rows((const unsigned char *)pkg.p, pkg.n, sp, nsp, out, err);
        hc_buf_free(&pkg);
    }
    unlink(path);
    free(sp);
    return rc;
}

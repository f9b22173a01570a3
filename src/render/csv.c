/* csv.c: a document as RFC 4180 CSV (CRLF lines, fields quoted when they
 * hold a comma, quote or line break), UTF-8 with a BOM. */
#include "render.h"

#include <string.h>

static int field(hc_buf *b, const char *s, bool first)
{
    if (!first && hc_buf_add(b, ",", 1))
        return HC_ETOOBIG;
    if (s == NULL)
        s = "";
    /* A leading = + - @ would be a formula to a spreadsheet; amounts are
     * the one place a "-" starts a field, and those are numbers: the
     * others get a leading apostrophe. */
    if (s[0] && strchr("=+@\t", s[0]) && hc_buf_add(b, "'", 1))
        return HC_ETOOBIG;
    if (strpbrk(s, ",\"\r\n") == NULL)
        return hc_buf_puts(b, s);
    if (hc_buf_add(b, "\"", 1))
        return HC_ETOOBIG;
    for (const char *p = s; *p; p++) {
        if (*p == '"' && hc_buf_add(b, "\"", 1))
            return HC_ETOOBIG;
        if (hc_buf_add(b, p, 1))
            return HC_ETOOBIG;
    }
    return hc_buf_add(b, "\"", 1);
}

int hc_render_csv(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    int rc = hc_buf_puts(out, "\xEF\xBB\xBF");
    for (size_t i = 0; rc == HC_OK && i < d->nmeta; i++) {
        rc = field(out, d->meta[i][0], true) || field(out, d->meta[i][1], false) ||
             hc_buf_puts(out, "\r\n");
    }
    for (size_t t = 0; rc == HC_OK && t < d->ntables; t++) {
        const struct hc_doc_table *tb = &d->tables[t];
        const char *cells[HC_DOC_COLS_MAX];
        if (!hc_doc_table_in(tb, HC_DOC_CSV))
            continue;
        rc = hc_buf_puts(out, "\r\n");
        if (rc == HC_OK && tb->title)
            rc = field(out, tb->title, true) || hc_buf_puts(out, "\r\n");
        if (rc == HC_OK && tb->note)
            rc = field(out, tb->note, true) || hc_buf_puts(out, "\r\n");
        for (size_t c = 0; rc == HC_OK && c < tb->ncols; c++)
            rc = field(out, tb->head[c], c == 0);
        if (rc == HC_OK)
            rc = hc_buf_puts(out, "\r\n");
        for (size_t r = 0; rc == HC_OK && r < tb->nrows; r++) {
            if ((rc = tb->row(tb->ctx, r, cells)) != HC_OK)
                return hc_err_set(err, rc, "", "a table row could not be read");
            for (size_t c = 0; rc == HC_OK && c < tb->ncols; c++)
                rc = field(out, cells[c], c == 0);
            if (rc == HC_OK)
                rc = hc_buf_puts(out, "\r\n");
        }
    }
    if (rc != HC_OK)
        return hc_err_set(err, HC_ETOOBIG, "", "the CSV is over its size limit");
    return HC_OK;
}

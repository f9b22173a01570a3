/* csv.c: see csv.h. */
#include "csv.h"

#include <string.h>

int csv_read(struct csv *c, hc_err *err)
{
    if (c->buf.max == 0)
        hc_buf_init(&c->buf, CSV_MAX_LINE);
    c->buf.n = 0;
    c->nfields = 0;
    size_t starts[CSV_MAX_FIELDS];
    bool quoted = false, any = false;
    int ch;
    starts[c->nfields++] = 0;
    while ((ch = fgetc(c->f)) != EOF) {
        any = true;
        if (quoted) {
            if (ch == '"') {
                int next = fgetc(c->f);
                if (next == '"') {
                    ch = '"';
                } else {
                    quoted = false;
                    if (next == EOF)
                        break;
                    ungetc(next, c->f);
                    continue;
                }
            }
        } else if (ch == '"') {
            quoted = true;
            continue;
        } else if (ch == ',') {
            if (hc_buf_add(&c->buf, "", 1) != HC_OK)
                goto big;
            if (c->nfields == CSV_MAX_FIELDS)
                return hc_err_set(err, HC_EINVAL, "", "more than %d fields", CSV_MAX_FIELDS), -1;
            starts[c->nfields++] = c->buf.n;
            continue;
        } else if (ch == '\r') {
            continue;
        } else if (ch == '\n') {
            break;
        }
        char b = (char)ch;
        if (hc_buf_add(&c->buf, &b, 1) != HC_OK)
            goto big;
    }
    if (!any)
        return 0;
    if (quoted)
        return hc_err_set(err, HC_EINVAL, "", "a quoted field is not closed"), -1;
    if (hc_buf_add(&c->buf, "", 1) != HC_OK)
        goto big;
    for (int i = 0; i < c->nfields; i++)
        c->field[i] = c->buf.p + starts[i];
    c->row++;
    return 1;
big:
    /* skip the rest of the line so the next record starts clean */
    while ((ch = fgetc(c->f)) != EOF && ch != '\n')
        ;
    c->row++;
    return hc_err_set(err, HC_ETOOBIG, "", "the record is longer than %d bytes", CSV_MAX_LINE), -1;
}

void csv_free(struct csv *c)
{
    hc_buf_free(&c->buf);
}

/* import.c: the body of an import, a POST of many rows: CSV text, an XLSX
 * workbook or JSON, and the loop that writes the rows naming the one that
 * failed. One idiom for every import handler (rate cards, carrier services,
 * refund rates and invoices). */
#include "internal.h"

#include "render/render.h"

#include <stdio.h>
#include <string.h>

bool api_body_is_csv(struct req *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    return ct && strncmp(ct, "text/csv", 8) == 0;
}

static bool body_is_xlsx(struct req *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    return (ct && strstr(ct, "spreadsheetml")) ||
           (r->body.n >= 4 && memcmp(r->body.p, "PK\x03\x04", 4) == 0);
}

int api_csv_text(struct req *r, const char *wanted)
{
    HC_ASSERT(wanted != NULL);
    if (r->body.n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "body", "%s", wanted);
    if (!hc_utf8_valid(r->body.p, r->body.n) || memchr(r->body.p, '\0', r->body.n))
        return hc_err_set(&r->err, HC_EINVAL, "body", "the body is not valid UTF-8 text");
    return HC_OK;
}

int api_sheet_body(struct req *r, const char *columns, struct api_sheet_body *out)
{
    HC_ASSERT(columns != NULL);
    out->xlsx = false;
    if (r->body.n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "body", "a CSV or XLSX body: %s", columns);
    if (body_is_xlsx(r)) {
        out->xlsx = true;
        return hc_sheet_read_xlsx(r->arena, r->body.p, r->body.n, &out->sheet, &r->err);
    }
    if (!api_body_is_csv(r))
        return hc_err_set(&r->err, HC_EINVAL, "Content-Type",
                          "text/csv or application/vnd.openxmlformats-officedocument."
                          "spreadsheetml.sheet (columns %s)",
                          columns);
    return api_csv_text(r, columns);
}

static const char *row_field(hc_arena *a, const struct api_row_name *name, size_t i,
                             const char *field)
{
    return hc_arena_printf(a, "%s%zu%s%s", name->before, i + name->first, name->after, field);
}

int api_rows_put(hc_store *s, void *ctx, size_t n, api_row_put_fn put,
                 const struct api_row_name *name, hc_err *err)
{
    HC_ASSERT(put != NULL && name != NULL);
    for (size_t i = 0; i < n; i++) {
        int rc = put(s, ctx, i, err);
        if (rc != HC_OK) {
            char f[HC_ERR_FIELD_MAX + 64];
            snprintf(f, sizeof(f), "%s%zu%s%s", name->before, i + name->first, name->after,
                     err->field);
            hc_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
    }
    return HC_OK;
}

int api_rows_warehouses(struct req *r, const void *rows, size_t n, size_t size, size_t wh_offset,
                        const struct api_row_name *name)
{
    for (size_t i = 0; i < n; i++) {
        const char *wh = *(const char *const *)((const char *)rows + i * size + wh_offset);
        if (!api_may_warehouse(r, wh))
            return hc_err_set(&r->err, HC_EINVAL, row_field(r->arena, name, i, "warehouse"),
                              "no warehouse %s", wh);
    }
    return HC_OK;
}

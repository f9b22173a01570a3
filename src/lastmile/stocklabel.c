/* stocklabel.c: labels for goods rather than parcels. Carton labels of an
 * inbound: one 4 x 6 inch page per carton with its SSCC-18 as GS1-128 (AI
 * 00), from the warehouse's GS1 company prefix and a counter, each carton
 * of an inbound keeping its number for good. Product labels: 50 x 25 mm,
 * the SKU or FNSKU as Code 128 or the SKU's EAN-13 / UPC-A, with the SKU's
 * name, on a roll (a page per label) or an A4 sheet of 40 (4 x 10). */
#include "lastmile.h"

#include <stdio.h>
#include <string.h>
#include <zint.h>

#define MM (72.0 / 25.4)
#define CARTON_COUNTER "#CARTON" /* lm_counters code: no service code starts with '#' */
#define DOTS(pt) ((int)((pt) * 203.0 / 72.0 + 0.5))

/* ---- check digits --------------------------------------------------------------------- */

bool hc_ean_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 8 && n != 12 && n != 13)
        return false;
    if (strspn(s, "0123456789") != n)
        return false;
    return hc_gs1_check(s, n - 1) == s[n - 1] - '0';
}

bool hc_fnsku_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* ---- the GS1 prefix and the cartons' SSCCs ------------------------------------------------ */

int hc_lm_gs1_put_check(const struct hc_lm_gs1 *g, hc_err *err)
{
    size_t n = g->company_prefix ? strlen(g->company_prefix) : 0;
    if (n < 7 || n > 10 || strspn(g->company_prefix, "0123456789") != n)
        return hc_err_set(err, HC_EINVAL, "company_prefix", "must be 7-10 digits");
    if (g->extension < 0 || g->extension > 9)
        return hc_err_set(err, HC_EINVAL, "extension", "must be a digit 0-9");
    return HC_OK;
}

int hc_lm_gs1_put(hc_store *s, const struct hc_lm_gs1 *g, const char *actor, hc_err *err)
{
    int rc = hc_lm_gs1_put_check(g, err);
    if (rc != HC_OK)
        return rc;
    rc = hc_store_run(s, err, NULL, "DELETE FROM lm_gs1 WHERE warehouse = ?", "s",
                          g->warehouse);
    return rc ? rc
              : hc_store_run(s, err, NULL,
                             "INSERT INTO lm_gs1 (warehouse, company_prefix, extension, updated_at,"
                             " updated_by) VALUES (?, ?, ?, ?, ?)",
                             "ssiis", g->warehouse, g->company_prefix, (int64_t)g->extension,
                             hc_now_ms(), actor ? actor : "");
}

int hc_lm_gs1_get(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_gs1 *out,
                  hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT company_prefix, extension FROM lm_gs1 WHERE warehouse = ?", "s",
                            warehouse);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->warehouse = hc_arena_strdup(a, warehouse);
        out->company_prefix = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->extension = (int)hc_stmt_int(q, 1);
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "warehouse",
                        "warehouse %s has no GS1 company prefix (PUT /v1/warehouses/%s/gs1)",
                        warehouse, warehouse);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW ? HC_OK : rc;
}

static int next_carton_serial(hc_store *s, const char *warehouse, int64_t *serial, hc_err *err)
{
    int64_t changed = 0;
    int rc = hc_store_run(s, err, &changed,
                          "UPDATE lm_counters SET next_serial = next_serial + 1"
                          " WHERE warehouse = ? AND code = ?",
                          "ss", warehouse, CARTON_COUNTER);
    if (rc == HC_OK && changed == 0)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_counters (warehouse, code, next_serial) VALUES (?, ?, 2)",
                          "ss", warehouse, CARTON_COUNTER);
    if (rc == HC_OK)
        rc = hc_store_int(s, err, serial,
                          "SELECT next_serial - 1 FROM lm_counters WHERE warehouse = ? AND code = ?",
                          "ss", warehouse, CARTON_COUNTER);
    return rc;
}

int hc_lm_cartons_assign(hc_store *s, hc_arena *a, const char *inbound, const char *warehouse,
                         int64_t n, const char ***out, hc_err *err)
{
    HC_ASSERT(n >= 1 && n <= HC_LM_CARTONS_MAX);
    struct hc_lm_gs1 g;
    int rc = hc_lm_gs1_get(s, a, warehouse, &g, err);
    if (rc != HC_OK)
        return rc;
    const char **v = hc_arena_alloc(a, sizeof(*v) * (size_t)(n + 1));
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT carton_no, sscc FROM lm_cartons WHERE inbound = ? AND carton_no <= ?"
                        " ORDER BY carton_no",
                        "si", inbound, n);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int64_t k = hc_stmt_int(q, 0);
        if (k >= 1 && k <= n)
            v[k - 1] = hc_arena_strdup(a, hc_stmt_text(q, 1));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (int64_t k = 1; k <= n; k++) {
        if (v[k - 1])
            continue;
        int64_t serial;
        char sscc[19];
        if ((rc = next_carton_serial(s, warehouse, &serial, err)) != HC_OK)
            return rc;
        if (!hc_lm_sscc_format(g.extension, g.company_prefix, serial, sscc))
            return hc_err_set(err, HC_ECONFLICT, "cartons",
                              "the serials of prefix %s are used up", g.company_prefix);
        if ((rc = hc_store_run(s, err, NULL,
                               "INSERT INTO lm_cartons (inbound, carton_no, warehouse, sscc,"
                               " created_at) VALUES (?, ?, ?, ?, ?)",
                               "sissi", inbound, k, warehouse, sscc, hc_now_ms())) != HC_OK)
            return rc;
        v[k - 1] = hc_arena_strdup(a, sscc);
    }
    *out = v;
    return HC_OK;
}

/* ---- drawing ------------------------------------------------------------------------------ */


void hc_lm_carton_layout(struct hc_lm_carton_layout *o)
{
    o->width = 288;
    o->height = 432;
    o->header = (struct hc_lm_box_pt){10, 10, 268, 60};
    o->info = (struct hc_lm_box_pt){10, 80, 268, 120};
    o->barcode = (struct hc_lm_box_pt){10, 230, 268, 140};
    o->barcode_text = (struct hc_lm_box_pt){10, 380, 268, 20};
}

static int draw_carton(cairo_t *cr, const struct hc_lm_carton_label *c, hc_err *err)
{
    struct hc_lm_carton_layout lo;
    hc_lm_carton_layout(&lo);
    char line[160], data[32];
    cairo_set_source_rgb(cr, 0, 0, 0);
    hc_lm_text(cr, lo.header.x, lo.header.y, 18, true, "CARTON / 箱唛");
    snprintf(line, sizeof(line), "%lld / %lld", (long long)c->carton_no,
             (long long)c->carton_count);
    hc_lm_text(cr, lo.header.x, lo.header.y + 26, 22, true, line);
    const char *rows[][2] = {{"Inbound", c->inbound},       {"Seller", c->seller},
                             {"Warehouse", c->warehouse},   {"Reference", c->reference}};
    for (size_t i = 0; i < HC_ARRAY_LEN(rows); i++) {
        snprintf(line, sizeof(line), "%s: %s", rows[i][0], rows[i][1] ? rows[i][1] : "");
        hc_lm_text(cr, lo.info.x, lo.info.y + 22 * (double)i, 11, false, line);
    }
    snprintf(data, sizeof(data), "[00]%s", c->sscc);
    int rc = hc_lm_draw_symbol(cr, BARCODE_GS1_128, data, lo.barcode, false, "sscc", err);
    snprintf(line, sizeof(line), "(00) %s", c->sscc);
    hc_lm_text(cr, lo.barcode_text.x + 30, lo.barcode_text.y, 13, true, line);
    return rc;
}

int hc_lm_carton_pdf(const struct hc_lm_carton_label *v, size_t n, hc_buf *out, hc_err *err)
{
    HC_ASSERT(n >= 1);
    cairo_t *cr = hc_lm_pdf_open(out, 288, 432, "carton labels");
    int rc = HC_OK;
    for (size_t i = 0; i < n && rc == HC_OK; i++) {
        HC_ASSERT(v[i].sscc && strlen(v[i].sscc) == 18);
        rc = draw_carton(cr, &v[i], err);
        cairo_show_page(cr);
    }
    return hc_lm_pdf_close(cr, rc, err);
}

int hc_lm_carton_zpl(const struct hc_lm_carton_label *v, size_t n, hc_buf *o, hc_err *err)
{
    struct hc_lm_carton_layout lo;
    hc_lm_carton_layout(&lo);
    int rc = HC_OK;
    for (size_t i = 0; i < n && rc == HC_OK; i++) {
        const struct hc_lm_carton_label *c = &v[i];
        /* ^FH hex escapes keep ^ and ~ of free text out of the command stream */
        rc = hc_buf_printf(o, "^XA\n^CI28\n^PW%d\n^LL%d\n", DOTS(lo.width), DOTS(lo.height));
        rc = rc ? rc
                : hc_buf_printf(o, "^FO%d,%d^A0N,50,50^FDCARTON %lld / %lld^FS\n",
                                DOTS(lo.header.x), DOTS(lo.header.y), (long long)c->carton_no,
                                (long long)c->carton_count);
        const char *rows[] = {c->inbound, c->seller, c->warehouse, c->reference};
        for (size_t k = 0; rc == HC_OK && k < HC_ARRAY_LEN(rows); k++) {
            rc = hc_buf_printf(o, "^FO%d,%d^A0N,30,30^FH^FD", DOTS(lo.info.x),
                               DOTS(lo.info.y + 22 * (double)k));
            for (const char *p = rows[k] ? rows[k] : ""; rc == HC_OK && *p; p++)
                rc = *p == '^' || *p == '~' || *p == '_'
                         ? hc_buf_printf(o, "_%02X", (unsigned char)*p)
                         : hc_buf_add(o, p, 1);
            rc = rc ? rc : hc_buf_puts(o, "^FS\n");
        }
        /* Code 128 subset C with FNC1 (>;>8) then AI 00: GS1-128 */
        rc = rc ? rc
                : hc_buf_printf(o, "^FO%d,%d^BY3^BCN,%d,N,N,N^FD>;>800%s^FS\n",
                                DOTS(lo.barcode.x + 20), DOTS(lo.barcode.y), DOTS(lo.barcode.h),
                                c->sscc);
        rc = rc ? rc
                : hc_buf_printf(o, "^FO%d,%d^A0N,36,36^FD(00) %s^FS\n^XZ\n",
                                DOTS(lo.barcode_text.x + 30), DOTS(lo.barcode_text.y), c->sscc);
    }
    return rc == HC_OK ? HC_OK : hc_err_set(err, HC_ETOOBIG, "", "the labels are over the size limit");
}

/* ---- product labels ------------------------------------------------------------------------ */

void hc_lm_product_layout(int sheet, struct hc_lm_product_layout *o)
{
    o->label_w = 50 * MM;
    o->label_h = 25 * MM;
    if (sheet == HC_LM_SHEET_A4) {
        o->page_w = 210 * MM;
        o->page_h = 297 * MM;
        o->cols = 4;
        o->rows = 10;
        o->gap_x = 2 * MM;
        o->gap_y = 4 * MM;
        o->margin_x = (o->page_w - 4 * o->label_w - 3 * o->gap_x) / 2;
        o->margin_y = (o->page_h - 10 * o->label_h - 9 * o->gap_y) / 2;
    } else {
        o->page_w = o->label_w;
        o->page_h = o->label_h;
        o->cols = o->rows = 1;
        o->gap_x = o->gap_y = o->margin_x = o->margin_y = 0;
    }
    /* inside one label: the barcode over 60 %, then the code and the name */
    o->barcode = (struct hc_lm_box_pt){3 * MM, 1.5 * MM, 44 * MM, 14 * MM};
    o->code_text = (struct hc_lm_box_pt){3 * MM, 16 * MM, 44 * MM, 3.5 * MM};
    o->name_text = (struct hc_lm_box_pt){3 * MM, 20 * MM, 44 * MM, 3.5 * MM};
}

static int symbology_of(int code)
{
    return code == HC_LM_CODE_EAN13 ? BARCODE_EANX
           : code == HC_LM_CODE_UPCA ? BARCODE_UPCA
                                     : BARCODE_CODE128;
}

int hc_lm_product_check(const struct hc_lm_product_label *l, hc_err *err)
{
    size_t n = l->data ? strlen(l->data) : 0;
    switch (l->code) {
    case HC_LM_CODE_EAN13:
    case HC_LM_CODE_UPCA:
        if (!hc_ean_valid(l->data) || n != (l->code == HC_LM_CODE_EAN13 ? 13u : 12u))
            return hc_err_set(err, HC_EINVAL, "barcode",
                              "%s is not an EAN-13 / UPC-A with its check digit",
                              l->data ? l->data : "");
        return HC_OK;
    case HC_LM_CODE_FNSKU:
        return hc_fnsku_valid(l->data)
                   ? HC_OK
                   : hc_err_set(err, HC_EINVAL, "fnsku", "must be 10 characters A-Z 0-9");
    default:
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)l->data[i] < 0x20 || (unsigned char)l->data[i] > 0x7e)
                return hc_err_set(err, HC_EINVAL, "code",
                                  "the SKU has characters Code 128 cannot carry");
        return n >= 1 && n <= 48 ? HC_OK
                                 : hc_err_set(err, HC_EINVAL, "code", "SKU of 1-48 characters");
    }
}

static int draw_product(cairo_t *cr, const struct hc_lm_product_layout *lo, double x, double y,
                        const struct hc_lm_product_label *l, hc_err *err)
{
    struct hc_lm_box_pt b = lo->barcode;
    b.x += x;
    b.y += y;
    int rc = hc_lm_draw_symbol(cr, symbology_of(l->code), l->data, b, false, "code", err);
    hc_lm_text(cr, x + lo->code_text.x, y + lo->code_text.y, 8, true, l->data);
    char name[64];
    hc_strlcpy(name, l->name ? l->name : "", sizeof(name)); /* cut at a byte: UTF-8 fixed below */
    size_t k = strlen(name);
    while (k > 0 && ((unsigned char)name[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && (unsigned char)name[k - 1] >= 0xC0 && strlen(name) == sizeof(name) - 1)
        name[k - 1] = '\0';
    hc_lm_text(cr, x + lo->name_text.x, y + lo->name_text.y, 7, false, name);
    return rc;
}

int hc_lm_product_pdf(const struct hc_lm_product_label *l, int64_t qty, int sheet, hc_buf *out,
                      hc_err *err)
{
    HC_ASSERT(qty >= 1 && qty <= HC_LM_PRODUCT_QTY_MAX);
    int rc = hc_lm_product_check(l, err);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_product_layout lo;
    hc_lm_product_layout(sheet, &lo);
    cairo_t *cr = hc_lm_pdf_open(out, lo.page_w, lo.page_h, "product labels");
    int per_page = lo.cols * lo.rows;
    for (int64_t i = 0; i < qty && rc == HC_OK; i++) {
        int slot = (int)(i % per_page);
        double x = lo.margin_x + (slot % lo.cols) * (lo.label_w + lo.gap_x);
        double y = lo.margin_y + (slot / lo.cols) * (lo.label_h + lo.gap_y);
        cairo_set_source_rgb(cr, 0, 0, 0);
        rc = draw_product(cr, &lo, x, y, l, err);
        if (slot == per_page - 1 || i == qty - 1)
            cairo_show_page(cr);
    }
    return hc_lm_pdf_close(cr, rc, err);
}

/* label.c: carton and pallet labels of a transfer, 4 x 6 inch PDF pages
 * through cairo with the barcodes from zint's vector output: per carton its
 * marketplace carton id as Code 128 (FBA15XXXXXXXU000001), per pallet its
 * SSCC as GS1-128 with AI (00). */
#include "transfer.h"

#include "render/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <string.h>
#include <zint.h>

#define PAGE_W 288.0
#define PAGE_H 432.0
#define MARGIN 12.0
#define FONT "WenQuanYi Micro Hei"

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return hc_buf_add(closure, data, len) == HC_OK ? CAIRO_STATUS_SUCCESS
                                                   : CAIRO_STATUS_WRITE_ERROR;
}

static void text(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y + size);
    cairo_show_text(cr, s ? s : "");
}

/* A linear barcode of data stretched over the box x, y, w, h. */
static int barcode(cairo_t *cr, int symbology, const char *data, double x, double y, double w,
                   double h, hc_err *err)
{
    struct zint_symbol *sym = ZBarcode_Create();
    if (sym == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    sym->symbology = symbology;
    sym->show_hrt = 0;
    sym->scale = 1.0f;
    sym->height = 50.0f;
    sym->whitespace_width = 10;
    int rc = HC_OK;
    int zr = ZBarcode_Encode_and_Buffer_Vector(sym, (const unsigned char *)data,
                                               (int)strlen(data), 0);
    if (zr >= ZINT_ERROR || sym->vector == NULL || sym->vector->width <= 0) {
        rc = hc_err_set(err, HC_EINVAL, "shipment_id", "cannot be drawn as a barcode: %s",
                        sym->errtxt);
    } else {
        double sx = w / sym->vector->width, sy = h / sym->vector->height;
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (struct zint_vector_rect *r = sym->vector->rectangles; r; r = r->next)
            cairo_rectangle(cr, x + r->x * sx, y + r->y * sy, r->width * sx, r->height * sy);
        cairo_fill(cr);
    }
    ZBarcode_Delete(sym);
    return rc;
}

static void rule(cairo_t *cr, double y)
{
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, MARGIN, y);
    cairo_line_to(cr, PAGE_W - MARGIN, y);
    cairo_stroke(cr);
}

static void addresses(cairo_t *cr, const char *const *from, size_t nfrom, const char *const *to,
                      size_t nto)
{
    text(cr, MARGIN, 52, 7, true, "SHIP FROM");
    for (size_t i = 0; i < nfrom && i < 4; i++)
        text(cr, MARGIN, 62 + 10 * (double)i, 8.5, false, from[i]);
    rule(cr, 106);
    text(cr, MARGIN, 110, 7, true, "SHIP TO");
    for (size_t i = 0; i < nto && i < 5; i++)
        text(cr, MARGIN, 120 + 15 * (double)i, 12, i == 0, to[i]);
    rule(cr, 198);
}

static int carton_page(cairo_t *cr, const struct hc_transfer *t, const struct hc_tr_carton *c,
                       const char *const *from, size_t nfrom, const char *const *to, size_t nto,
                       hc_err *err)
{
    char a[128], b[128];
    text(cr, MARGIN, MARGIN, 18, true, hc_tr_dest_name(t->dest_type));
    snprintf(a, sizeof(a), "Shipment %s", t->shipment_id);
    text(cr, MARGIN + 70, MARGIN + 2, 12, true, a);
    rule(cr, 46);
    addresses(cr, from, nfrom, to, nto);
    snprintf(a, sizeof(a), "Box %lld of %zu   %lld.%03lld kg", (long long)c->box_no, t->ncartons,
             (long long)(c->weight_g / 1000), (long long)(c->weight_g % 1000));
    text(cr, MARGIN, 204, 13, true, a);
    int64_t units = 0;
    for (size_t i = 0; i < c->nitems; i++)
        units += c->items[i].qty;
    snprintf(b, sizeof(b), "%zu SKU, %lld units   Ref %s", c->nitems, (long long)units, t->id);
    text(cr, MARGIN, 224, 9, false, b);
    int rc = barcode(cr, BARCODE_CODE128, c->carton_id, MARGIN, 256, PAGE_W - 2 * MARGIN, 110,
                     err);
    text(cr, MARGIN + 20, 376, 14, true, c->carton_id);
    return rc;
}

static int pallet_page(cairo_t *cr, const struct hc_transfer *t, const struct hc_tr_pallet *p,
                       const char *const *from, size_t nfrom, const char *const *to, size_t nto,
                       hc_err *err)
{
    char a[128], data[32];
    text(cr, MARGIN, MARGIN, 18, true, "PALLET");
    snprintf(a, sizeof(a), "Shipment %s", t->shipment_id);
    text(cr, MARGIN + 90, MARGIN + 2, 12, true, a);
    rule(cr, 46);
    addresses(cr, from, nfrom, to, nto);
    snprintf(a, sizeof(a), "Pallet %lld of %zu   %lld cartons   %lld kg", (long long)p->pallet_no,
             t->npallets, (long long)p->cartons, (long long)(p->weight_g / 1000));
    text(cr, MARGIN, 204, 12, true, a);
    if (t->freight_ref && *t->freight_ref) {
        snprintf(a, sizeof(a), "LTL booking %s", t->freight_ref);
        text(cr, MARGIN, 224, 9, false, a);
    }
    snprintf(data, sizeof(data), "[00]%s", p->sscc);
    int rc = barcode(cr, BARCODE_GS1_128, data, MARGIN, 256, PAGE_W - 2 * MARGIN, 110, err);
    snprintf(a, sizeof(a), "(00) %s", p->sscc);
    text(cr, MARGIN + 20, 376, 13, true, a);
    return rc;
}

int hc_tr_labels_pdf(const struct hc_transfer *t, const char *const *from, size_t nfrom,
                     const char *const *to, size_t nto, hc_buf *out, hc_err *err)
{
    if (t->ncartons == 0)
        return hc_err_set(err, HC_ECONFLICT, "cartons", "record the cartons first");
    hc_render_caches_release_at_exit();
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(sf);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, t->shipment_id);
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < t->ncartons; i++) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        rc = carton_page(cr, t, &t->cartons[i], from, nfrom, to, nto, err);
        cairo_show_page(cr);
    }
    for (size_t i = 0; rc == HC_OK && i < t->npallets; i++) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        rc = pallet_page(cr, t, &t->pallets[i], from, nfrom, to, nto, err);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    cairo_status_t st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (rc == HC_OK && st != CAIRO_STATUS_SUCCESS)
        rc = st == CAIRO_STATUS_WRITE_ERROR
                 ? hc_err_set(err, HC_ETOOBIG, "", "the labels are over the size limit")
                 : hc_err_set(err, HC_EINTERNAL, "", "cairo: %s", cairo_status_to_string(st));
    return rc;
}

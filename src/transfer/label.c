/* label.c: carton and pallet labels of a transfer, 4 x 6 inch PDF pages
 * through cairo with the barcodes drawn by src/lastmile: per carton its
 * marketplace carton id as Code 128 (FBA15XXXXXXXU000001), per pallet its
 * SSCC as GS1-128 with AI (00). */
#include "transfer.h"

#include "lastmile/lastmile.h"

#include <cairo.h>
#include <stdio.h>
#include <string.h>
#include <zint.h>

#define PAGE_W 288.0
#define PAGE_H 432.0
#define MARGIN 12.0

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
    hc_lm_text(cr, MARGIN, 52, 7, true, "SHIP FROM");
    for (size_t i = 0; i < nfrom && i < 4; i++)
        hc_lm_text(cr, MARGIN, 62 + 10 * (double)i, 8.5, false, from[i]);
    rule(cr, 106);
    hc_lm_text(cr, MARGIN, 110, 7, true, "SHIP TO");
    for (size_t i = 0; i < nto && i < 5; i++)
        hc_lm_text(cr, MARGIN, 120 + 15 * (double)i, 12, i == 0, to[i]);
    rule(cr, 198);
}

static int carton_page(cairo_t *cr, const struct hc_transfer *t, const struct hc_tr_carton *c,
                       const char *const *from, size_t nfrom, const char *const *to, size_t nto,
                       hc_err *err)
{
    char a[128], b[128];
    hc_lm_text(cr, MARGIN, MARGIN, 18, true, hc_tr_dest_name(t->dest_type));
    snprintf(a, sizeof(a), "Shipment %s", t->shipment_id);
    hc_lm_text(cr, MARGIN + 70, MARGIN + 2, 12, true, a);
    rule(cr, 46);
    addresses(cr, from, nfrom, to, nto);
    snprintf(a, sizeof(a), "Box %lld of %zu   %lld.%03lld kg", (long long)c->box_no, t->ncartons,
             (long long)(c->weight_g / 1000), (long long)(c->weight_g % 1000));
    hc_lm_text(cr, MARGIN, 204, 13, true, a);
    int64_t units = 0;
    for (size_t i = 0; i < c->nitems; i++)
        units += c->items[i].qty;
    snprintf(b, sizeof(b), "%zu SKU, %lld units   Ref %s", c->nitems, (long long)units, t->id);
    hc_lm_text(cr, MARGIN, 224, 9, false, b);
    int rc = hc_lm_draw_symbol(cr, BARCODE_CODE128, c->carton_id,
                               (struct hc_lm_box_pt){MARGIN, 256, PAGE_W - 2 * MARGIN, 110}, false,
                               "shipment_id", err);
    hc_lm_text(cr, MARGIN + 20, 376, 14, true, c->carton_id);
    return rc;
}

static int pallet_page(cairo_t *cr, const struct hc_transfer *t, const struct hc_tr_pallet *p,
                       const char *const *from, size_t nfrom, const char *const *to, size_t nto,
                       hc_err *err)
{
    char a[128], data[32];
    hc_lm_text(cr, MARGIN, MARGIN, 18, true, "PALLET");
    snprintf(a, sizeof(a), "Shipment %s", t->shipment_id);
    hc_lm_text(cr, MARGIN + 90, MARGIN + 2, 12, true, a);
    rule(cr, 46);
    addresses(cr, from, nfrom, to, nto);
    snprintf(a, sizeof(a), "Pallet %lld of %zu   %lld cartons   %lld kg", (long long)p->pallet_no,
             t->npallets, (long long)p->cartons, (long long)(p->weight_g / 1000));
    hc_lm_text(cr, MARGIN, 204, 12, true, a);
    if (t->freight_ref && *t->freight_ref) {
        snprintf(a, sizeof(a), "LTL booking %s", t->freight_ref);
        hc_lm_text(cr, MARGIN, 224, 9, false, a);
    }
    snprintf(data, sizeof(data), "[00]%s", p->sscc);
    int rc = hc_lm_draw_symbol(cr, BARCODE_GS1_128, data,
                               (struct hc_lm_box_pt){MARGIN, 256, PAGE_W - 2 * MARGIN, 110}, false,
                               "sscc", err);
    snprintf(a, sizeof(a), "(00) %s", p->sscc);
    hc_lm_text(cr, MARGIN + 20, 376, 13, true, a);
    return rc;
}

int hc_tr_labels_pdf(const struct hc_transfer *t, const char *const *from, size_t nfrom,
                     const char *const *to, size_t nto, hc_buf *out, hc_err *err)
{
    if (t->ncartons == 0)
        return hc_err_set(err, HC_ECONFLICT, "cartons", "record the cartons first");
    cairo_t *cr = hc_lm_pdf_open(out, PAGE_W, PAGE_H, t->shipment_id);
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
    return hc_lm_pdf_close(cr, rc, err);
}

/* label.c: the 4 x 6 inch shipping label, laid out once
 * (hc_lm_label_layout) and drawn twice: as PDF through cairo, the bars and
 * modules from zint's raster as 1-bit image masks (the same font as src/render/pdf.c, so
 * Chinese sender names print), and as ZPL II for thermal printers, where
 * the printer draws the barcodes from their data. */
#include "lastmile.h"

#include "render/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

#define PAGE_W 288.0 /* 4 inch in points */
#define PAGE_H 432.0 /* 6 inch */
#define MARGIN 10.0
#define FONT "WenQuanYi Micro Hei"
#define DOTS(pt) ((int)((pt) * 203.0 / 72.0 + 0.5)) /* 203 dpi */

void hc_lm_label_layout(const struct hc_lm_label *l, struct hc_lm_layout *o)
{
    const double w = PAGE_W - 2 * MARGIN;
    o->width = PAGE_W;
    o->height = PAGE_H;
    o->header = (struct hc_lm_box_pt){MARGIN, MARGIN, w, 44};
    o->from = (struct hc_lm_box_pt){MARGIN, 58, w, 52};
    double tw = l->two_d ? w - 88 : w;
    o->to = (struct hc_lm_box_pt){MARGIN, 116, tw, 112};
    o->twod = l->two_d ? (struct hc_lm_box_pt){MARGIN + w - 80, 124, 80, 80}
                       : (struct hc_lm_box_pt){0, 0, 0, 0};
    o->info = (struct hc_lm_box_pt){MARGIN, 234, w, 48};
    o->barcode = (struct hc_lm_box_pt){MARGIN, 292, w, 100};
    o->barcode_text = (struct hc_lm_box_pt){MARGIN, 396, w, 18};
}

void hc_lm_barcode_data(const struct hc_lm_label *l, char *out, size_t size)
{
    if (l->numbering == HC_LM_NUM_SSCC)
        snprintf(out, size, "[00]%s", l->tracking_no);
    else
        snprintf(out, size, "%s", l->tracking_no);
}

void hc_lm_2d_data(const struct hc_lm_label *l, char *out, size_t size)
{
    snprintf(out, size, "%s|%s|%s", l->tracking_no, l->to_postcode ? l->to_postcode : "",
             l->to_country ? l->to_country : "");
}

/* The human-readable line under the barcode: "(00) 1 0614141 ..." for SSCC. */
static void barcode_caption(const struct hc_lm_label *l, char *out, size_t size)
{
    if (l->numbering == HC_LM_NUM_SSCC)
        snprintf(out, size, "(00) %s", l->tracking_no);
    else
        snprintf(out, size, "%s", l->tracking_no);
}

static void info_lines(const struct hc_lm_label *l, char a[128], char b[128])
{
    snprintf(a, 128, "Ref %s   Parcel %lld/%lld", l->reference ? l->reference : "",
             (long long)l->parcel_no, (long long)l->parcel_count);
    snprintf(b, 128, "Weight %lld.%03lld kg   Ship %s", (long long)(l->weight_g / 1000),
             (long long)(l->weight_g % 1000), l->ship_day ? l->ship_day : "");
}

/* ---- PDF ---------------------------------------------------------------------------------- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return hc_buf_add(closure, data, len) == HC_OK ? CAIRO_STATUS_SUCCESS
                                                   : CAIRO_STATUS_WRITE_ERROR;
}

void hc_lm_text(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y + size);
    cairo_show_text(cr, s ? s : "");
}

static void text(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
    hc_lm_text(cr, x, y, size, bold, s);
}

cairo_t *hc_lm_pdf_open(hc_buf *out, double w, double h, const char *title)
{
    hc_render_caches_release_at_exit();
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_buf, out, w, h);
    cairo_t *cr = cairo_create(sf);
    cairo_surface_destroy(sf); /* cr holds it */
    cairo_pdf_surface_set_metadata(cairo_get_target(cr), CAIRO_PDF_METADATA_TITLE,
                                   title ? title : "");
    return cr;
}

int hc_lm_pdf_close(cairo_t *cr, int rc, hc_err *err)
{
    cairo_surface_t *sf = cairo_surface_reference(cairo_get_target(cr));
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

/* zint's symbol of data at one pixel per module (raster scale 0.5), quiet
 * zones included; no human-readable text. */
static int encode_symbol(struct zint_symbol *sym, int symbology, const char *data, hc_err *err)
{
    sym->symbology = symbology;
    sym->show_hrt = 0;
    sym->scale = 0.5f;
    if (symbology == BARCODE_GS1_128 || symbology == BARCODE_CODE128) {
        sym->height = 50.0f;
        sym->whitespace_width = 10;
    } else {
        sym->whitespace_width = 2;
        sym->whitespace_height = 2;
        /* QR: a fixed mask pattern (1) instead of scoring all eight, which is
         * most of a label's time; any mask is a valid symbol (ISO/IEC 18004
         * 7.8), the scoring only picks the one with the fewest blotches */
        if (symbology == BARCODE_QRCODE)
            sym->option_3 = (1 + 1) << 8;
    }
    int zr = ZBarcode_Encode_and_Buffer(sym, (const unsigned char *)data, (int)strlen(data), 0);
    if (zr >= ZINT_ERROR || sym->bitmap == NULL || sym->bitmap_width <= 0 ||
        sym->bitmap_height <= 0)
        return hc_err_set(err, HC_EINVAL, "tracking_no", "cannot be drawn as a barcode: %s",
                          sym->errtxt);
    return HC_OK;
}

/* The dark pixels of rows [0, rows) of zint's bitmap as a 1-bit cairo
 * image (A1: bits in native-endian 32-bit words, the first pixel in the
 * low bit on a little-endian machine). NULL when out of memory. */
static cairo_surface_t *module_mask(const struct zint_symbol *sym, int rows)
{
    int w = sym->bitmap_width;
    cairo_surface_t *im = cairo_image_surface_create(CAIRO_FORMAT_A1, w, rows);
    if (cairo_surface_status(im) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(im);
        return NULL;
    }
    cairo_surface_flush(im);
    unsigned char *px = cairo_image_surface_get_data(im);
    int stride = cairo_image_surface_get_stride(im);
    for (int y = 0; y < rows; y++) {
        uint32_t *word = (uint32_t *)(void *)(px + (size_t)y * (size_t)stride);
        memset(word, 0, (size_t)stride);
        const unsigned char *rgb = sym->bitmap + (size_t)y * (size_t)w * 3;
        for (int x = 0; x < w; x++)
            if (rgb[3 * x] < 128) /* black on white by default */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                word[x / 32] |= 1u << (x % 32);
#else
                word[x / 32] |= 1u << (31 - x % 32);
#endif
    }
    cairo_surface_mark_dirty(im);
    return im;
}

/* Are all rows of zint's bitmap the same (a linear barcode without quiet
 * zones above and below or longer guard bars)? */
static bool rows_alike(const struct zint_symbol *sym)
{
    size_t row = (size_t)sym->bitmap_width * 3;
    for (int y = 1; y < sym->bitmap_height; y++)
        if (memcmp(sym->bitmap, sym->bitmap + (size_t)y * row, row) != 0)
            return false;
    return true;
}

/* Draws symbology of data scaled into box b (aspect kept for 2D codes).
 * The modules go into the PDF as one 1-bit image mask drawn without
 * interpolation (one pixel per module; when every row is the same, as
 * in a Code 128, one row stretched to the box): the same picture as
 * a rectangle per bar or module, without cairo printing eight numbers for
 * each, which was most of a label's time. */
static int draw_symbol(cairo_t *cr, int symbology, const char *data, struct hc_lm_box_pt b,
                       bool keep_aspect, hc_err *err)
{
    struct zint_symbol *sym = ZBarcode_Create();
    if (sym == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    int rc = encode_symbol(sym, symbology, data, err);
    int rows = rc == HC_OK && rows_alike(sym) ? 1 : sym->bitmap_height;
    cairo_surface_t *im = rc == HC_OK ? module_mask(sym, rows) : NULL;
    if (rc == HC_OK && im == NULL)
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    if (rc == HC_OK) {
        double w = sym->bitmap_width, h = rows;
        double sx = b.w / w, sy = b.h / h, ox = b.x;
        if (keep_aspect) {
            sx = sy = sx < sy ? sx : sy;
            ox += (b.w - w * sx) / 2;
        }
        cairo_save(cr);
        cairo_translate(cr, ox, b.y);
        cairo_scale(cr, sx, sy);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_pattern_t *mask = cairo_pattern_create_for_surface(im);
        cairo_pattern_set_filter(mask, CAIRO_FILTER_NEAREST);
        cairo_mask(cr, mask);
        cairo_pattern_destroy(mask);
        cairo_restore(cr);
        cairo_surface_destroy(im);
    }
    ZBarcode_Delete(sym);
    return rc;
}

int hc_lm_draw_symbol(cairo_t *cr, int symbology, const char *data, struct hc_lm_box_pt b,
                      bool keep_aspect, const char *field, hc_err *err)
{
    int rc = draw_symbol(cr, symbology, data, b, keep_aspect, err);
    if (rc != HC_OK)
        hc_strlcpy(err->field, field, sizeof(err->field));
    return rc;
}

static int draw_label(cairo_t *cr, const struct hc_lm_label *l, hc_err *err)
{
    struct hc_lm_layout lo;
    hc_lm_label_layout(l, &lo);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.2);
    const double rules[] = {lo.from.y - 4, lo.to.y - 4, lo.info.y - 4, lo.barcode.y - 4};
    for (size_t i = 0; i < HC_ARRAY_LEN(rules); i++) {
        cairo_move_to(cr, MARGIN, rules[i]);
        cairo_line_to(cr, PAGE_W - MARGIN, rules[i]);
    }
    cairo_stroke(cr);
    text(cr, lo.header.x, lo.header.y, 20, true, l->carrier);
    text(cr, lo.header.x, lo.header.y + 26, 11, false, l->service_name);
    text(cr, lo.from.x, lo.from.y, 7, true, "FROM");
    for (int i = 0; i < 4 && l->from[i]; i++)
        text(cr, lo.from.x, lo.from.y + 9 + 10 * i, 8.5, false, l->from[i]);
    text(cr, lo.to.x, lo.to.y, 7, true, "TO");
    for (int i = 0; i < 6 && l->to[i]; i++)
        text(cr, lo.to.x, lo.to.y + 10 + 16 * i, 12.5, i == 0, l->to[i]);
    char a[128], b[128], cap[64], data[96];
    info_lines(l, a, b);
    text(cr, lo.info.x, lo.info.y + 4, 10, false, a);
    text(cr, lo.info.x, lo.info.y + 22, 10, false, b);
    hc_lm_barcode_data(l, data, sizeof(data));
    int rc = draw_symbol(cr, l->numbering == HC_LM_NUM_SSCC ? BARCODE_GS1_128 : BARCODE_CODE128,
                         data, lo.barcode, false, err);
    if (rc == HC_OK && l->two_d) {
        char d2[160];
        hc_lm_2d_data(l, d2, sizeof(d2));
        rc = draw_symbol(cr, l->two_d == HC_LM_2D_QR ? BARCODE_QRCODE : BARCODE_DATAMATRIX, d2,
                         lo.twod, true, err);
    }
    barcode_caption(l, cap, sizeof(cap));
    text(cr, lo.barcode_text.x + 40, lo.barcode_text.y, 12, true, cap);
    return rc;
}

int hc_lm_label_pdf(const struct hc_lm_label *l, hc_buf *out, hc_err *err)
{
    HC_ASSERT(l->tracking_no != NULL);
    cairo_t *cr = hc_lm_pdf_open(out, PAGE_W, PAGE_H, l->tracking_no);
    int rc = draw_label(cr, l, err);
    cairo_show_page(cr);
    return hc_lm_pdf_close(cr, rc, err);
}

/* Many labels, one page each, in one PDF (bulk printing; dispatch). */
int hc_lm_labels_pdf(const struct hc_lm_label *l, size_t n, hc_buf *out, hc_err *err)
{
    HC_ASSERT(n > 0);
    cairo_t *cr = hc_lm_pdf_open(out, PAGE_W, PAGE_H, "labels");
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        HC_ASSERT(l[i].tracking_no != NULL);
        rc = draw_label(cr, &l[i], err);
        cairo_show_page(cr);
    }
    return hc_lm_pdf_close(cr, rc, err);
}

/* ---- ZPL II ------------------------------------------------------------------------------ */

/* A field's text with ^FH hex escapes for the characters ZPL reserves. */
static int zpl_text(hc_buf *o, int x, int y, int h, const char *s)
{
    int rc = hc_buf_printf(o, "^FO%d,%d^A0N,%d,%d^FH^FD", x, y, h, h);
    for (const char *p = s ? s : ""; rc == HC_OK && *p; p++)
        rc = *p == '^' || *p == '~' || *p == '_' ? hc_buf_printf(o, "_%02X", (unsigned char)*p)
                                                 : hc_buf_add(o, p, 1);
    return rc == HC_OK ? hc_buf_puts(o, "^FS\n") : rc;
}

int hc_lm_label_zpl(const struct hc_lm_label *l, hc_buf *o, hc_err *err)
{
    HC_ASSERT(l->tracking_no != NULL);
    struct hc_lm_layout lo;
    hc_lm_label_layout(l, &lo);
    char a[128], b[128], cap[64];
    info_lines(l, a, b);
    barcode_caption(l, cap, sizeof(cap));
    int rc = hc_buf_printf(o, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", DOTS(PAGE_W), DOTS(PAGE_H));
    rc = rc ? rc : zpl_text(o, DOTS(lo.header.x), DOTS(lo.header.y), 56, l->carrier);
    rc = rc ? rc : zpl_text(o, DOTS(lo.header.x), DOTS(lo.header.y + 26), 30, l->service_name);
    rc = rc ? rc : hc_buf_printf(o, "^FO%d,%d^GB%d,3,3^FS\n", DOTS(MARGIN), DOTS(lo.from.y - 4),
                                 DOTS(PAGE_W - 2 * MARGIN));
    rc = rc ? rc : zpl_text(o, DOTS(lo.from.x), DOTS(lo.from.y), 20, "FROM");
    for (int i = 0; rc == HC_OK && i < 4 && l->from[i]; i++)
        rc = zpl_text(o, DOTS(lo.from.x), DOTS(lo.from.y + 9 + 10 * i), 24, l->from[i]);
    rc = rc ? rc : zpl_text(o, DOTS(lo.to.x), DOTS(lo.to.y), 20, "TO");
    for (int i = 0; rc == HC_OK && i < 6 && l->to[i]; i++)
        rc = zpl_text(o, DOTS(lo.to.x), DOTS(lo.to.y + 10 + 16 * i), 36, l->to[i]);
    rc = rc ? rc : zpl_text(o, DOTS(lo.info.x), DOTS(lo.info.y + 4), 28, a);
    rc = rc ? rc : zpl_text(o, DOTS(lo.info.x), DOTS(lo.info.y + 22), 28, b);
    /* Code 128 (^BC): S10 in automatic mode; SSCC as subset C (>;) with
     * FNC1 (>8) then AI 00, which makes it GS1-128 */
    rc = rc ? rc : hc_buf_printf(o, "^FO%d,%d^BY3^BCN,%d,N,N,N^FD%s%s%s^FS\n",
                                 DOTS(lo.barcode.x + 20), DOTS(lo.barcode.y), DOTS(lo.barcode.h),
                                 l->numbering == HC_LM_NUM_SSCC ? ">;>800" : "", l->tracking_no,
                                 "");
    rc = rc ? rc : zpl_text(o, DOTS(lo.barcode_text.x + 40), DOTS(lo.barcode_text.y), 34, cap);
    if (rc == HC_OK && l->two_d) {
        char d2[160];
        hc_lm_2d_data(l, d2, sizeof(d2));
        rc = l->two_d == HC_LM_2D_QR
                 ? hc_buf_printf(o, "^FO%d,%d^BQN,2,5^FDQA,%s^FS\n", DOTS(lo.twod.x),
                                 DOTS(lo.twod.y), d2)
                 : hc_buf_printf(o, "^FO%d,%d^BXN,6,200^FD%s^FS\n", DOTS(lo.twod.x),
                                 DOTS(lo.twod.y), d2);
    }
    rc = rc ? rc : hc_buf_puts(o, "^XZ\n");
    if (rc != HC_OK)
        return hc_err_set(err, HC_ETOOBIG, "", "the label is over the size limit");
    return HC_OK;
}

int hc_lm_labels_zpl(const struct hc_lm_label *l, size_t n, hc_buf *out, hc_err *err)
{
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        rc = hc_lm_label_zpl(&l[i], out, err);
    return rc;
}

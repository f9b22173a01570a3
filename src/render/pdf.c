/* pdf.c: a document as an A4 PDF through cairo's PDF surface. Text goes
 * through cairo's toy font API, which asks fontconfig for "WenQuanYi Micro
 * Hei" (Debian fonts-wqy-microhei), so Chinese labels print; cairo embeds
 * the glyphs used as a subset. (A TrueType font: cairo 1.16 leaks a buffer
 * per document when it subsets a CFF font such as Noto Sans CJK.) Tables repeat their header on each page; a cell too
 * wide for its column is cut with "…". */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 36.0
#define FONT "WenQuanYi Micro Hei"
#define BODY 7.5
#define LEAD 10.5

struct pdf {
    cairo_t *cr;
    double y;
    int page;
    hc_buf *out;
    bool too_big;
};

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int n)
{
    /* Past the limit the rest is dropped and the call answers HC_ETOOBIG:
     * cairo 1.16 leaks buffers when a write fails, so it is never told. */
    struct pdf *p = closure;
    if (!p->too_big && hc_buf_add(p->out, data, n) != HC_OK)
        p->too_big = true;
    return CAIRO_STATUS_SUCCESS;
}

static void font(struct pdf *p, double size, bool bold)
{
    cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, size);
}

static void new_page(struct pdf *p)
{
    if (p->page > 0)
        cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
    char num[32];
    snprintf(num, sizeof(num), "%d", p->page);
    font(p, BODY, false);
    cairo_move_to(p->cr, PAGE_W - MARGIN - 20, PAGE_H - MARGIN / 2);
    cairo_show_text(p->cr, num);
}

/* Text cut to fit width: by an estimate first (most cells fit, and measuring
 * every cell of a million rows costs), measured only when it may not fit. */
static void cell(struct pdf *p, const char *s, double x, double w, bool right)
{
    if (s == NULL || *s == '\0')
        return;
    size_t len = strlen(s);
    cairo_text_extents_t te;
    char cut[256];
    const char *t = s;
    bool measured = false;
    if ((double)len * BODY * 0.6 > w - 2) { /* may not fit: measure, cut by characters */
        cairo_text_extents(p->cr, s, &te);
        measured = true;
        if (te.x_advance > w - 2) {
            size_t n = len < sizeof(cut) - 4 ? len : sizeof(cut) - 4;
            for (;;) {
                while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                    n--; /* a character boundary */
                memcpy(cut, s, n);
                memcpy(cut + n, "\xE2\x80\xA6", 4); /* … */
                cairo_text_extents(p->cr, cut, &te);
                if (te.x_advance <= w - 2 || n == 0)
                    break;
                n--;
            }
            t = cut;
        }
    }
    if (right) {
        if (!measured || t != s)
            cairo_text_extents(p->cr, t, &te);
        x = x + w - 2 - te.x_advance;
    }
    cairo_move_to(p->cr, x, p->y);
    cairo_show_text(p->cr, t);
}

static void table_head(struct pdf *p, const struct hc_doc_table *t, const double *xs,
                       const double *ws)
{
    font(p, BODY, true);
    for (size_t c = 0; c < t->ncols; c++)
        cell(p, t->head[c], xs[c], ws[c], t->numeric[c]);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, MARGIN, p->y + 3);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + 3);
    cairo_stroke(p->cr);
    p->y += LEAD;
    font(p, BODY, false);
}

static int table(struct pdf *p, const struct hc_doc_table *t, hc_err *err)
{
    double xs[HC_DOC_COLS_MAX], ws[HC_DOC_COLS_MAX], sum = 0, x = MARGIN;
    for (size_t c = 0; c < t->ncols; c++)
        sum += t->width[c] > 0 ? t->width[c] : 1;
    for (size_t c = 0; c < t->ncols; c++) {
        ws[c] = (PAGE_W - 2 * MARGIN) * (t->width[c] > 0 ? t->width[c] : 1) / sum;
        xs[c] = x;
        x += ws[c];
    }
    if (p->y + 4 * LEAD > PAGE_H - MARGIN)
        new_page(p);
    p->y += LEAD / 2;
    if (t->title) {
        font(p, 10, true);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, t->title);
        p->y += LEAD * 1.4;
    }
    table_head(p, t, xs, ws);
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t r = 0; r < t->nrows; r++) {
        if (p->y > PAGE_H - MARGIN - LEAD) {
            new_page(p);
            table_head(p, t, xs, ws);
        }
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        for (size_t c = 0; c < t->ncols; c++)
            cell(p, cells[c], xs[c], ws[c], t->numeric[c]);
        p->y += LEAD;
    }
    p->y += LEAD;
    return HC_OK;
}

/* cairo and fontconfig keep their font caches for the life of the process;
 * handing them back at exit keeps LeakSanitizer (tests/run-all.sh) quiet
 * about memory that was never lost. By then no document is being drawn:
 * the server joins its threads before exit. */
static void release_caches(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}

static void at_exit_once(void)
{
    atexit(release_caches);
}

int hc_render_pdf(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, at_exit_once);
    struct pdf p = {.out = out};
    int rc = HC_OK;
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(sink, &p, PAGE_W, PAGE_H);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(sf);
        return hc_err_set(err, HC_EINTERNAL, "", "cairo: no PDF surface");
    }
    if (d->title)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "haicang");
    p.cr = cairo_create(sf);
    cairo_set_source_rgb(p.cr, 0, 0, 0);
    new_page(&p);
    p.y += 8;
    font(&p, 15, true);
    cairo_move_to(p.cr, MARGIN, p.y);
    cairo_show_text(p.cr, d->title ? d->title : "");
    p.y += 22;
    for (size_t i = 0; i < d->nmeta; i++) {
        font(&p, 8.5, true);
        cairo_move_to(p.cr, MARGIN, p.y);
        cairo_show_text(p.cr, d->meta[i][0]);
        font(&p, 8.5, false);
        cairo_move_to(p.cr, MARGIN + 130, p.y);
        cairo_show_text(p.cr, d->meta[i][1] ? d->meta[i][1] : "");
        p.y += 12;
    }
    p.y += 6;
    for (size_t t = 0; rc == HC_OK && t < d->ntables; t++)
        rc = table(&p, &d->tables[t], err);
    if (rc == HC_OK && d->footer) {
        if (p.y > PAGE_H - MARGIN - LEAD)
            new_page(&p);
        font(&p, BODY, false);
        cairo_move_to(p.cr, MARGIN, p.y);
        cairo_show_text(p.cr, d->footer);
    }
    cairo_show_page(p.cr);
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (rc != HC_OK)
        return rc;
    if (p.too_big)
        return hc_err_set(err, HC_ETOOBIG, "", "the PDF is over its size limit");
    if (st != CAIRO_STATUS_SUCCESS)
        return hc_err_set(err, HC_EINTERNAL, "", "cairo: %s", cairo_status_to_string(st));
    return HC_OK;
}

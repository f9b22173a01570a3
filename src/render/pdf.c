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
    /* the body font's glyph and advance of each printable ASCII character,
     * so the rows of a page go out as a few cairo_show_glyphs */
    bool ascii_ready;
    unsigned long glyph[128];
    double adv[128];
    cairo_glyph_t run[8192];
    int nrun;
    /* other texts that repeat (labels such as a row's type, the same
     * pointer each time): their glyphs at x = 0 and their width */
    struct {
        const char *s;
        char copy[64];
        cairo_glyph_t *g;
        int n;
        double width;
    } seen[32];
    int nseen;
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

/* Looks up the body font's glyphs of ' '..'~' once (the toy font API maps
 * one character to one glyph, without kerning). */
static void ascii_init(struct pdf *p)
{
    char chars[96];
    for (int c = 32; c < 127; c++)
        chars[c - 32] = (char)c;
    chars[95] = '\0';
    cairo_scaled_font_t *sf = cairo_get_scaled_font(p->cr);
    cairo_glyph_t *g = NULL;
    int n = 0;
    if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, chars, 95, &g, &n, NULL, NULL, NULL) !=
            CAIRO_STATUS_SUCCESS ||
        n != 95) {
        cairo_glyph_free(g);
        return;
    }
    for (int i = 0; i < 95; i++) {
        cairo_text_extents_t te;
        cairo_scaled_font_glyph_extents(sf, &g[i], 1, &te);
        p->glyph[32 + i] = g[i].index;
        p->adv[32 + i] = te.x_advance;
    }
    cairo_glyph_free(g);
    p->ascii_ready = true;
}

static void flush_run(struct pdf *p);

/* A cell that is not all ASCII: a text seen before (by pointer) comes from
 * the cache when it fits, others are drawn by cell(). */
static void other_cell(struct pdf *p, const char *s, double x, double w, bool right)
{
    int i = 0;
    /* by pointer, then by content: a row's scratch buffer keeps its pointer */
    while (i < p->nseen && (p->seen[i].s != s || strcmp(p->seen[i].copy, s) != 0))
        i++;
    if (i == p->nseen && p->nseen < (int)(sizeof(p->seen) / sizeof(p->seen[0])) &&
        strlen(s) < sizeof(p->seen[0].copy)) {
        cairo_scaled_font_t *sf = cairo_get_scaled_font(p->cr);
        cairo_glyph_t *g = NULL;
        int n = 0;
        cairo_text_extents_t te;
        if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, s, -1, &g, &n, NULL, NULL, NULL) ==
            CAIRO_STATUS_SUCCESS) {
            cairo_scaled_font_glyph_extents(sf, g, n, &te);
            p->seen[i].s = s;
            memcpy(p->seen[i].copy, s, strlen(s) + 1);
            p->seen[i].g = g;
            p->seen[i].n = n;
            p->seen[i].width = te.x_advance;
            p->nseen++;
        } else {
            cairo_glyph_free(g);
        }
    }
    if (i == p->nseen || p->seen[i].width > w - 2) {
        cell(p, s, x, w, right);
        return;
    }
    if (p->seen[i].n > (int)(sizeof(p->run) / sizeof(p->run[0])) - p->nrun)
        flush_run(p);
    if (right)
        x = x + w - 2 - p->seen[i].width;
    for (int k = 0; k < p->seen[i].n; k++) {
        cairo_glyph_t *g = &p->run[p->nrun++];
        *g = p->seen[i].g[k];
        g->x += x;
        g->y = p->y;
    }
}

/* A body cell: printable ASCII that fits goes into the row's glyph run;
 * anything else is drawn by cell(). */
static void body_cell(struct pdf *p, const char *s, double x, double w, bool right)
{
    if (s == NULL || *s == '\0')
        return;
    double width = 0;
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++, n++) {
        if (*c < 32 || *c > 126 || !p->ascii_ready) {
            other_cell(p, s, x, w, right);
            return;
        }
        width += p->adv[*c];
    }
    if (width > w - 2 || n > sizeof(p->run) / sizeof(p->run[0])) {
        cell(p, s, x, w, right);
        return;
    }
    if (n > sizeof(p->run) / sizeof(p->run[0]) - (size_t)p->nrun)
        flush_run(p);
    if (right)
        x = x + w - 2 - width;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        cairo_glyph_t *g = &p->run[p->nrun++];
        g->index = p->glyph[*c];
        g->x = x;
        g->y = p->y;
        x += p->adv[*c];
    }
}

static void flush_run(struct pdf *p)
{
    if (p->nrun > 0)
        cairo_show_glyphs(p->cr, p->run, p->nrun);
    p->nrun = 0;
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
    if (!p->ascii_ready)
        ascii_init(p);
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
        if (!t->numeric[c] && c > 0) { /* a gap after a right-aligned neighbour */
            xs[c] += 3;
            ws[c] -= 3;
        }
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
            flush_run(p); /* in the body font, before the header's bold */
            new_page(p);
            table_head(p, t, xs, ws);
        }
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        for (size_t c = 0; c < t->ncols; c++)
            body_cell(p, cells[c], xs[c], ws[c], t->numeric[c]);
        p->y += LEAD;
    }
    flush_run(p);
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

void hc_render_caches_release_at_exit(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, at_exit_once);
}

int hc_render_pdf(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    hc_render_caches_release_at_exit();
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
    for (int i = 0; i < p.nseen; i++)
        cairo_glyph_free(p.seen[i].g);
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

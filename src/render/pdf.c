/* pdf.c: a document as an A4 PDF through cairo's PDF surface. Text goes
 * through cairo's toy font API, which asks fontconfig for "WenQuanYi Micro
 * Hei" (Debian fonts-wqy-microhei), so Chinese labels print; cairo embeds
 * the glyphs used as a subset. (A TrueType font: cairo 1.16 leaks a buffer
 * per document when it subsets a CFF font such as Noto Sans CJK.) Tables
 * repeat their header on each page; their columns are as wide as their
 * widest text when the page allows (the rows are read once to measure and
 * once to draw), and a cell still too wide for its column is drawn smaller,
 * down to 60 %, and below that cut with "…". Body cells are shaped once per
 * text and a page's rows go out as one cairo_show_glyphs: cairo's cost per
 * glyph (~120-170 ns here, bench/RESULTS.md) is then most of the time. */
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

#define RUN_MAX 8192     /* glyphs drawn by one cairo_show_glyphs */
#define SCRATCH_MAX 512  /* glyphs of an ASCII cell shaped from the table */
#define SHAPED_SLOTS 512 /* other texts kept shaped, by content */
#define SHAPED_KEY_MAX 128
#define SQUEEZE_MIN 0.6 /* a cell too wide is drawn down to 60 % of the size */

/* A text shaped in the body font at x = 0. */
struct shaped {
    char *key; /* the text (malloc'd), NULL for a free slot */
    cairo_glyph_t *g;
    int n;
    double width;
};

/* A cell's glyphs as placed from x = 0, and its width; own is freed after. */
struct text {
    const cairo_glyph_t *g;
    int n;
    double width;
    cairo_glyph_t *own;
};

struct pdf {
    cairo_t *cr;
    double y;
    int page;
    hc_buf *out;
    bool too_big;
    /* The body font: the glyph and advance of each printable ASCII
     * character, "…", and other texts shaped once (a row's type label, the
     * same on many rows); the rows of a page go out as one
     * cairo_show_glyphs. cairo's text API per cell costs several times
     * more (it shapes, measures and looks the font up every time). */
    bool body_ready;
    unsigned long glyph[128];
    double adv[128];
    cairo_glyph_t ellipsis;
    double ellipsis_adv;
    cairo_glyph_t run[RUN_MAX];
    int nrun;
    cairo_glyph_t scratch[SCRATCH_MAX];
    struct shaped shaped[SHAPED_SLOTS];
    int nshaped;
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

/* Looks up the body font's glyphs of ' '..'~' and of "…" once (the toy font
 * API maps one character to one glyph, without kerning). */
static void body_init(struct pdf *p)
{
    char chars[100];
    for (int c = 32; c < 127; c++)
        chars[c - 32] = (char)c;
    memcpy(chars + 95, "\xE2\x80\xA6", 4); /* … and the terminator */
    cairo_scaled_font_t *sf = cairo_get_scaled_font(p->cr);
    cairo_glyph_t *g = NULL;
    int n = 0;
    if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, chars, -1, &g, &n, NULL, NULL, NULL) !=
            CAIRO_STATUS_SUCCESS ||
        n != 96) {
        cairo_glyph_free(g);
        return;
    }
    for (int i = 0; i < 96; i++) {
        cairo_text_extents_t te;
        cairo_scaled_font_glyph_extents(sf, &g[i], 1, &te);
        if (i < 95) {
            p->glyph[32 + i] = g[i].index;
            p->adv[32 + i] = te.x_advance;
        } else {
            p->ellipsis = g[i];
            p->ellipsis_adv = te.x_advance;
        }
    }
    cairo_glyph_free(g);
    p->body_ready = true;
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* s shaped by cairo (glyph positions and width). */
static bool shape_cairo(struct pdf *p, const char *s, cairo_glyph_t **g, int *n, double *width)
{
    cairo_scaled_font_t *sf = cairo_get_scaled_font(p->cr);
    *g = NULL;
    *n = 0;
    if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, s, -1, g, n, NULL, NULL, NULL) !=
        CAIRO_STATUS_SUCCESS) {
        cairo_glyph_free(*g);
        return false;
    }
    cairo_text_extents_t te;
    cairo_scaled_font_glyph_extents(sf, *g, *n, &te);
    *width = te.x_advance;
    return true;
}

/* A text that is not printable ASCII: from the cache when seen before. */
static bool shape_other(struct pdf *p, const char *s, size_t len, struct text *t)
{
    t->own = NULL;
    if (len >= SHAPED_KEY_MAX) {
        cairo_glyph_t *g;
        if (!shape_cairo(p, s, &g, &t->n, &t->width))
            return false;
        t->g = t->own = g;
        return true;
    }
    uint32_t i = hash(s) % SHAPED_SLOTS;
    while (p->shaped[i].key && strcmp(p->shaped[i].key, s) != 0)
        i = (i + 1) % SHAPED_SLOTS;
    struct shaped *e = &p->shaped[i];
    if (e->key == NULL) {
        cairo_glyph_t *g;
        if (!shape_cairo(p, s, &g, &t->n, &t->width))
            return false;
        if (p->nshaped >= SHAPED_SLOTS / 2 || (e->key = malloc(len + 1)) == NULL) {
            t->g = t->own = g; /* the cache is full: shaped for this cell only */
            return true;
        }
        memcpy(e->key, s, len + 1);
        e->g = g;
        e->n = t->n;
        e->width = t->width;
        p->nshaped++;
    }
    t->g = e->g;
    t->n = e->n;
    t->width = e->width;
    return true;
}

/* The glyphs of s in the body font, from x = 0. */
static bool shape(struct pdf *p, const char *s, struct text *t)
{
    size_t n = 0;
    double x = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++, n++) {
        if (*c < 32 || *c > 126 || n == SCRATCH_MAX)
            return shape_other(p, s, n + strlen((const char *)c), t);
        p->scratch[n].index = p->glyph[*c];
        p->scratch[n].x = x;
        p->scratch[n].y = 0;
        x += p->adv[*c];
    }
    t->g = p->scratch;
    t->n = (int)n;
    t->width = x;
    t->own = NULL;
    return true;
}

static void flush_run(struct pdf *p)
{
    if (p->nrun > 0)
        cairo_show_glyphs(p->cr, p->run, p->nrun);
    p->nrun = 0;
}

/* n glyphs of g (placed from 0) into the run at x0 on the current line,
 * their offsets scaled by f. */
static void place(struct pdf *p, const cairo_glyph_t *g, int n, double x0, double f)
{
    if (n > RUN_MAX - p->nrun)
        flush_run(p);
    for (int k = 0; k < n && p->nrun < RUN_MAX; k++) {
        cairo_glyph_t *o = &p->run[p->nrun++];
        o->index = g[k].index;
        o->x = x0 + g[k].x * f;
        o->y = p->y;
    }
}

/* A text wider than room: drawn smaller, down to SQUEEZE_MIN of the body
 * size, and below that cut with "…" (the XLSX and CSV carry it whole). */
static void squeeze(struct pdf *p, const struct text *t, double x, double room)
{
    double f = room / t->width;
    int n = t->n;
    if (f < SQUEEZE_MIN) {
        f = SQUEEZE_MIN;
        while (n > 0 && (t->g[n - 1].x + p->ellipsis_adv) * f > room)
            n--;
        if (n > 0) /* the glyph before the cut ends where the next began */
            n--;
    }
    flush_run(p);
    cairo_set_font_size(p->cr, BODY * f);
    place(p, t->g, n, x, f);
    if (n < t->n) {
        cairo_glyph_t e = p->ellipsis;
        e.x = n < t->n ? t->g[n].x : t->width;
        place(p, &e, 1, x, f);
    }
    flush_run(p);
    cairo_set_font_size(p->cr, BODY);
}

/* A body cell: shaped (or from the cache), right-aligned or not, and
 * squeezed when it does not fit its column. */
static void body_cell(struct pdf *p, const char *s, double x, double w, bool right)
{
    if (s == NULL || *s == '\0')
        return;
    struct text t;
    if (!p->body_ready || !shape(p, s, &t)) {
        cell(p, s, x, w, right);
        return;
    }
    double room = w - 2;
    if (t.width <= room)
        place(p, t.g, t.n, x + (right ? room - t.width : 0), 1.0);
    else
        squeeze(p, &t, x, room);
    cairo_glyph_free(t.own);
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
    if (!p->body_ready)
        body_init(p);
}

/* The widest text of each column (its heading in bold, its cells in the
 * body font) plus the room a cell keeps: one pass over the rows. */
static int measure(struct pdf *p, const struct hc_doc_table *t, double *need, hc_err *err)
{
    font(p, BODY, true);
    for (size_t c = 0; c < t->ncols; c++) {
        cairo_text_extents_t te;
        cairo_text_extents(p->cr, t->head[c], &te);
        need[c] = te.x_advance;
    }
    font(p, BODY, false);
    if (!p->body_ready)
        body_init(p);
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t r = 0; p->body_ready && r < t->nrows; r++) {
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        for (size_t c = 0; c < t->ncols; c++) {
            struct text x;
            if (cells[c] && *cells[c] && shape(p, cells[c], &x)) {
                if (x.width > need[c])
                    need[c] = x.width;
                cairo_glyph_free(x.own);
            }
        }
    }
    for (size_t c = 0; c < t->ncols; c++)
        need[c] += 2 + (!t->numeric[c] && c > 0 ? 3 : 0);
    return HC_OK;
}

/* Column positions and widths: each column gets its widest text when they
 * all fit the page, and the rest of the page by the table's relative
 * widths; otherwise the relative widths alone (a cell that does not fit is
 * squeezed). */
static int layout(struct pdf *p, const struct hc_doc_table *t, double *xs, double *ws,
                  hc_err *err)
{
    double need[HC_DOC_COLS_MAX], rel = 0, sum_need = 0, avail = PAGE_W - 2 * MARGIN;
    int rc = measure(p, t, need, err);
    if (rc != HC_OK)
        return rc;
    for (size_t c = 0; c < t->ncols; c++) {
        rel += t->width[c] > 0 ? t->width[c] : 1;
        sum_need += need[c];
    }
    double x = MARGIN;
    for (size_t c = 0; c < t->ncols; c++) {
        double share = (t->width[c] > 0 ? t->width[c] : 1) / rel;
        ws[c] = sum_need <= avail ? need[c] + (avail - sum_need) * share : avail * share;
        xs[c] = x;
        x += ws[c];
        if (!t->numeric[c] && c > 0) { /* a gap after a right-aligned neighbour */
            xs[c] += 3;
            ws[c] -= 3;
        }
    }
    return HC_OK;
}

static int table(struct pdf *p, const struct hc_doc_table *t, hc_err *err)
{
    double xs[HC_DOC_COLS_MAX], ws[HC_DOC_COLS_MAX];
    int rc = layout(p, t, xs, ws, err);
    if (rc != HC_OK)
        return rc;
    if (p->y + 4 * LEAD > PAGE_H - MARGIN)
        new_page(p);
    p->y += LEAD / 2;
    if (t->title) {
        font(p, 10, true);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, t->title);
        p->y += LEAD * 1.4;
    }
    if (t->note) {
        font(p, 8.5, false);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, t->note);
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

/* The title and the label/value lines at the top of the first page. */
static void heading(struct pdf *p, const struct hc_doc *d)
{
    p->y += 8;
    font(p, 15, true);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_show_text(p->cr, d->title ? d->title : "");
    p->y += 22;
    for (size_t i = 0; i < d->nmeta; i++) {
        font(p, 8.5, true);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, d->meta[i][0]);
        font(p, 8.5, false);
        cairo_move_to(p->cr, MARGIN + 130, p->y);
        cairo_show_text(p->cr, d->meta[i][1] ? d->meta[i][1] : "");
        p->y += 12;
    }
    p->y += 6;
}

static int draw(struct pdf *p, const struct hc_doc *d, hc_err *err)
{
    int rc = HC_OK;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    new_page(p);
    heading(p, d);
    for (size_t t = 0; rc == HC_OK && t < d->ntables; t++)
        if (hc_doc_table_in(&d->tables[t], HC_DOC_PDF))
            rc = table(p, &d->tables[t], err);
    if (rc == HC_OK && d->footer) {
        if (p->y > PAGE_H - MARGIN - LEAD)
            new_page(p);
        font(p, BODY, false);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, d->footer);
    }
    cairo_show_page(p->cr);
    return rc;
}

int hc_render_pdf(const struct hc_doc *d, hc_buf *out, hc_err *err)
{
    hc_render_caches_release_at_exit();
    struct pdf *p = calloc(1, sizeof(*p)); /* ~150 KB: not on a thread's stack */
    if (p == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "pdf: out of memory");
    p->out = out;
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(sink, p, PAGE_W, PAGE_H);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(sf);
        free(p);
        return hc_err_set(err, HC_EINTERNAL, "", "cairo: no PDF surface");
    }
    if (d->title)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "haicang");
    p->cr = cairo_create(sf);
    int rc = draw(p, d, err);
    for (int i = 0; i < SHAPED_SLOTS; i++) {
        free(p->shaped[i].key);
        cairo_glyph_free(p->shaped[i].g);
    }
    cairo_status_t st = cairo_status(p->cr);
    cairo_destroy(p->cr);
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    bool too_big = p->too_big;
    free(p);
    if (rc != HC_OK)
        return rc;
    if (too_big)
        return hc_err_set(err, HC_ETOOBIG, "", "the PDF is over its size limit");
    if (st != CAIRO_STATUS_SUCCESS)
        return hc_err_set(err, HC_EINTERNAL, "", "cairo: %s", cairo_status_to_string(st));
    return HC_OK;
}

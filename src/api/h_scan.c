/* h_scan.c: picking and packing by scan (warehouse/scan.c), and Code 128
 * barcodes drawn as SVG with libzint for printed pick lists. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

static json_t *render_pick(const struct hc_scan_pick *p)
{
    return json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:I,s:I,s:b}", "seq",
                     (json_int_t)p->seq, "location", p->location, "aisle", (json_int_t)p->aisle,
                     "bay", (json_int_t)p->bay, "seller", p->seller, "sku", p->sku, "barcode",
                     j_str_or_null(p->barcode), "name", j_str_or_null(p->name), "name_zh",
                     j_str_or_null(p->name_zh), "order", p->order, "qty", (json_int_t)p->qty,
                     "picked", (json_int_t)p->done, "open", p->open);
}

static json_t *render_progress(const struct hc_wave_progress *pg)
{
    json_t *picks = json_array();
    for (size_t i = 0; i < pg->npicks; i++)
        json_array_append_new(picks, render_pick(&pg->picks[i]));
    json_t *o = json_pack(
        "{s:s,s:s,s:o,s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I},s:b}", "wave", pg->wave, "warehouse",
        pg->warehouse, "bin", j_str_or_null(pg->bin), "next",
        pg->next >= 0 ? render_pick(&pg->picks[pg->next]) : json_null(), "direction",
        j_str_or_null(pg->direction), "picks", picks, "progress", "picks", (json_int_t)pg->npicks,
        "picks_done", (json_int_t)pg->picks_done, "units", (json_int_t)pg->units, "units_done",
        (json_int_t)pg->units_done, "complete", pg->next < 0);
    return o;
}

/* ---- GET /v1/waves/{id}/progress ------------------------------------------------------ */

static const char *tenant_wh(const struct req *r)
{
    return r->who.role == ROLE_OPERATOR ? r->who.warehouse : NULL;
}

int h_wave_progress(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_wave_progress pg;
    if (st == NULL || hc_wave_progress_get(st, r->arena, r->params[0], tenant_wh(r), &pg, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_progress(&pg));
}

/* ---- POST /v1/waves/{id}/scans ------------------------------------------------------------- */

struct scan_ctx {
    const char *wave, *actor, *tenant_wh;
    struct hc_scan_request rq;
    hc_arena *arena;
    struct hc_wave_progress pg;
};

static int scan_job(hc_store *s, void *ctx, hc_err *err)
{
    struct scan_ctx *c = ctx;
    return hc_wave_scan(s, c->arena, c->wave, c->tenant_wh, &c->rq, c->actor, &c->pg, err);
}

static int scan_render(struct req *r)
{
    struct scan_ctx *c = r->ctx;
    const struct hc_wave_progress *pg = &c->pg;
    json_t *o = render_progress(pg);
    json_t *confirmed = json_array(), *requeued = json_array(), *back = json_array();
    for (size_t i = 0; i < pg->nconfirmed; i++)
        json_array_append_new(confirmed, json_string(pg->confirmed[i]));
    for (size_t i = 0; i < pg->nrequeued; i++)
        json_array_append_new(requeued, json_pack("{s:s,s:s}", "order", pg->requeued[i].order,
                                                  "status", pg->requeued[i].status));
    for (size_t i = 0; i < pg->nput_back; i++)
        json_array_append_new(back, json_pack("{s:s,s:s,s:I}", "location",
                                              pg->put_back[i].location, "sku", pg->put_back[i].sku,
                                              "qty", (json_int_t)pg->put_back[i].qty));
    json_object_set_new(o, "scan",
                        json_pack("{s:s,s:s,s:I,s:o,s:b}", "type", hc_scan_kind_name(c->rq.kind),
                                  "code", c->rq.code, "qty", (json_int_t)c->rq.qty, "order",
                                  j_str_or_null(c->rq.order), "expected", pg->expected));
    json_object_set_new(o, "confirmed", confirmed);
    json_object_set_new(o, "requeued", requeued);
    json_object_set_new(o, "put_back", back);
    json_object_set_new(o, "lost", json_integer((json_int_t)pg->lost));
    return api_reply(r, 200, o);
}

int h_wave_scan(struct req *r)
{
    json_t *b;
    const char *type = NULL;
    struct scan_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->wave = r->params[0];
    c->actor = api_actor(r);
    c->tenant_wh = tenant_wh(r);
    c->arena = r->arena;
    if (jv_body(r, &b) || jv_str(r, b, "", "type", true, &type))
        return api_fail(r);
    if (!hc_scan_kind_parse(type, &c->rq.kind)) {
        hc_err_set(&r->err, HC_EINVAL, "type", "must be bin, item or short");
        return api_fail(r);
    }
    c->rq.qty = c->rq.kind == HC_SCAN_ITEM ? 1 : 0;
    if (jv_str(r, b, "", "code", true, &c->rq.code) ||
        jv_str(r, b, "", "order", false, &c->rq.order))
        return api_fail(r);
    if (c->rq.kind == HC_SCAN_ITEM) {
        if (jv_int(r, b, "", "qty", false, 1, HC_ORDER_QTY_MAX, &c->rq.qty))
            return api_fail(r);
    } else if (json_object_get(b, "qty") && !json_is_null(json_object_get(b, "qty"))) {
        hc_err_set(&r->err, HC_EINVAL, "qty", "only an item scan takes a quantity");
        return api_fail(r);
    }
    if (c->rq.kind == HC_SCAN_BIN && c->rq.order) {
        hc_err_set(&r->err, HC_EINVAL, "order", "a bin scan takes no order");
        return api_fail(r);
    }
    if (hc_check_text(c->rq.code, "code", HC_SCAN_CODE_MAX, false, &r->err) ||
        hc_check_text(c->rq.order, "order", HC_ID_MAX, true, &r->err))
        return api_fail(r);
    return api_write(r, scan_job, scan_render, c);
}

/* ---- pack station ------------------------------------------------------------------------------ */

static json_t *render_pack(const struct hc_pack_progress *pg)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < pg->nlines; i++) {
        const struct hc_pack_line *l = &pg->lines[i];
        json_array_append_new(lines, json_pack("{s:s,s:o,s:o,s:o,s:I,s:I}", "sku", l->sku,
                                               "barcode", j_str_or_null(l->barcode), "name",
                                               j_str_or_null(l->name), "name_zh",
                                               j_str_or_null(l->name_zh), "qty",
                                               (json_int_t)l->qty, "scanned",
                                               (json_int_t)l->scanned));
    }
    return json_pack("{s:s,s:s,s:o,s:s,s:o,s:I,s:I,s:b,s:b,s:b}", "order", pg->order, "seller",
                     pg->seller, "warehouse", j_str_or_null(pg->warehouse), "status", pg->status,
                     "lines", lines, "units", (json_int_t)pg->units, "scanned",
                     (json_int_t)pg->scanned, "picked_by_scan", pg->picked_by_scan,
                     "scan_required", pg->required, "complete", pg->complete);
}

static const char *tenant_seller(const struct req *r)
{
    return r->who.role == ROLE_SELLER ? r->who.seller : NULL;
}

int h_pack_progress(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_pack_progress pg;
    if (st == NULL || hc_pack_progress_get(st, r->arena, r->params[0], tenant_seller(r),
                                           tenant_wh(r), &pg, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_pack(&pg));
}

struct pack_ctx {
    const char *order, *actor, *tenant_seller, *tenant_wh, *code;
    int64_t qty;
    hc_arena *arena;
    struct hc_pack_progress pg;
};

static int pack_job(hc_store *s, void *ctx, hc_err *err)
{
    struct pack_ctx *c = ctx;
    return hc_pack_scan(s, c->arena, c->order, c->tenant_seller, c->tenant_wh, c->code, c->qty,
                        c->actor, &c->pg, err);
}

static int pack_render(struct req *r)
{
    struct pack_ctx *c = r->ctx;
    return api_reply(r, 200, render_pack(&c->pg));
}

int h_pack_scan(struct req *r)
{
    json_t *b;
    struct pack_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->order = r->params[0];
    c->actor = api_actor(r);
    c->tenant_seller = tenant_seller(r);
    c->tenant_wh = tenant_wh(r);
    c->arena = r->arena;
    c->qty = 1;
    if (jv_body(r, &b) || jv_str(r, b, "", "code", true, &c->code) ||
        jv_int(r, b, "", "qty", false, 1, HC_ORDER_QTY_MAX, &c->qty) ||
        hc_check_text(c->code, "code", HC_SCAN_CODE_MAX, false, &r->err))
        return api_fail(r);
    return api_write(r, pack_job, pack_render, c);
}

/* ---- GET /v1/barcodes/code128.svg?data= ---------------------------------------------------- */

#define BARCODE_DATA_MAX 64

/* Code 128 of data as SVG: zint lays the bars out (with the quiet zones
 * and the text under them), this writes them. NULL on failure (err set). */
static char *code128_svg(const char *data, hc_err *err)
{
    struct zint_symbol *sym = ZBarcode_Create();
    if (sym == NULL) {
        hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        return NULL;
    }
    sym->symbology = BARCODE_CODE128;
    sym->height = 40.0f;
    sym->whitespace_width = 10; /* quiet zones: 10 modules each side */
    sym->scale = 1.0f;
    char *svg = NULL;
    int zr = ZBarcode_Encode_and_Buffer_Vector(sym, (const unsigned char *)data,
                                               (int)strlen(data), 0);
    if (zr >= ZINT_ERROR || sym->vector == NULL) {
        hc_err_set(err, HC_EINVAL, "data", "cannot be drawn as Code 128: %s", sym->errtxt);
        goto done;
    }
    hc_buf b;
    hc_buf_init(&b, 1 << 20);
    float w = sym->vector->width, h = sym->vector->height;
    hc_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
                  " viewBox=\"0 0 %.2f %.2f\">\n<rect width=\"100%%\" height=\"100%%\""
                  " fill=\"#fff\"/>\n<g fill=\"#000\">\n",
                  (double)w * 2, (double)h * 2, (double)w, (double)h);
    for (struct zint_vector_rect *rc = sym->vector->rectangles; rc; rc = rc->next)
        hc_buf_printf(&b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
                      (double)rc->x, (double)rc->y, (double)rc->width, (double)rc->height);
    for (struct zint_vector_string *st = sym->vector->strings; st; st = st->next) {
        char text[BARCODE_DATA_MAX * 6 + 1];
        size_t k = 0;
        for (const unsigned char *p = st->text; *p && k + 7 < sizeof(text); p++) {
            const char *esc = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;"
                              : *p == '"' ? "&quot;" : NULL;
            if (esc) {
                memcpy(text + k, esc, strlen(esc));
                k += strlen(esc);
            } else {
                text[k++] = (char)*p;
            }
        }
        text[k] = '\0';
        hc_buf_printf(&b,
                      "<text x=\"%.2f\" y=\"%.2f\" font-family=\"monospace\" font-size=\"%.2f\""
                      " text-anchor=\"middle\">%s</text>\n",
                      (double)st->x, (double)st->y, (double)st->fsize, text);
    }
    hc_buf_printf(&b, "</g>\n</svg>\n");
    svg = strdup(b.p ? b.p : "");
    hc_buf_free(&b);
    if (svg == NULL)
        hc_err_set(err, HC_EINTERNAL, "", "out of memory");
done:
    ZBarcode_Delete(sym);
    return svg;
}

int h_barcode_code128(struct req *r)
{
    const char *data = api_query(r, "data");
    if (data == NULL || *data == '\0') {
        hc_err_set(&r->err, HC_EINVAL, "data", "required: the text to encode");
        return api_fail(r);
    }
    size_t n = strlen(data);
    if (n > BARCODE_DATA_MAX) {
        hc_err_set(&r->err, HC_EINVAL, "data", "at most %d characters", BARCODE_DATA_MAX);
        return api_fail(r);
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)data[i] < 0x20 || (unsigned char)data[i] > 0x7e) {
            hc_err_set(&r->err, HC_EINVAL, "data",
                       "printable ASCII only (character %zu is not)", i + 1);
            return api_fail(r);
        }
    char *svg = code128_svg(data, &r->err);
    if (svg == NULL)
        return api_fail(r);
    r->status = 200;
    r->raw = svg;
    r->raw_type = "image/svg+xml";
    return HC_OK;
}

/* bulk_labels.c: the labels of a chosen list of orders, for GET
 * /v1/dispatch/labels.pdf|zpl?orders= and `haicang label orders`: each
 * order's parcels by seq, or the PDF its seller uploaded as its own pages
 * (joined page for page by src/lastmile/join.c). No HTTP here: the handler
 * and the CLI call the same two functions (api.h). */
#include "internal.h"

#include "lastmile/lastmile.h"
#include "orders/orders.h"
#include "warehouse/warehouse.h"

#include <stdio.h>
#include <string.h>

int hc_api_order_ids(hc_arena *a, const char *list, char ***ids, size_t *n, hc_err *err)
{
    if (*list == '\0')
        return hc_err_set(err, HC_EINVAL, "orders", "is empty: give order ids, comma-separated");
    size_t commas = 0;
    for (const char *p = list; *p; p++)
        commas += *p == ',';
    if (commas + 1 > HC_API_ORDER_LABELS_MAX)
        return hc_err_set(err, HC_EINVAL, "orders", "takes at most %d order ids",
                          HC_API_ORDER_LABELS_MAX);
    char **v = hc_arena_alloc(a, sizeof(*v) * (commas + 1));
    size_t k = 0;
    for (const char *p = list;; p++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0)
            return hc_err_set(err, HC_EINVAL, "orders", "has an empty item (item %zu)", k);
        v[k] = hc_arena_strndup(a, p, len);
        for (size_t j = 0; j < k; j++)
            if (strcmp(v[j], v[k]) == 0)
                return hc_err_set(err, HC_EINVAL, "orders", "names %s twice", v[k]);
        k++;
        if (e == NULL)
            break;
        p = e;
    }
    *ids = v;
    *n = k;
    return HC_OK;
}

/* What one chosen order prints: the PDF its seller uploaded, or the labels
 * of its parcels (by seq). */
struct order_print {
    const char *pdf;
    size_t pdf_len;
    struct hc_lm_label *labels;
    size_t nlabels;
};

/* HC_ENOTFOUND naming orders, the same for an order that does not exist and
 * one outside the scope (seller, warehouse; NULL: any). */
static int visible_order(hc_store *st, hc_arena *a, const char *id,
                         const struct hc_api_label_scope *sc, hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(st, a, id, &o, err);
    if (rc != HC_OK && rc != HC_ENOTFOUND)
        return rc;
    if (rc == HC_ENOTFOUND || (sc->seller && strcmp(o.seller, sc->seller) != 0) ||
        (sc->warehouse && (o.warehouse == NULL || strcmp(o.warehouse, sc->warehouse) != 0))) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "orders", "no such order: %s", id);
    }
    return HC_OK;
}

/* HC_ECONFLICT naming orders[i]; fmt takes the order id. */
static int conflict_at(size_t i, hc_err *err, const char *fmt, const char *id)
{
    char field[32];
    snprintf(field, sizeof(field), "orders[%zu]", i);
    return hc_err_set(err, HC_ECONFLICT, field, fmt, id);
}

/* The labels of order i's parcels into op; HC_ECONFLICT naming orders[i]
 * when it has none. w caches the last warehouse read. */
static int parcel_labels(hc_store *st, hc_arena *a, size_t i, const char *id,
                         struct hc_warehouse *w, struct order_print *op, hc_err *err)
{
    struct hc_lm_parcel *ps;
    size_t n = 0;
    int rc = hc_lm_parcels_of(st, a, id, &ps, &n, err);
    if (rc != HC_OK)
        return rc;
    if (n == 0)
        return conflict_at(i, err,
                           "order %s has no parcels yet: pack it first (or upload its label)", id);
    op->labels = hc_arena_alloc(a, sizeof(*op->labels) * n);
    for (size_t k = 0; rc == HC_OK && k < n; k++) {
        if (w->code == NULL || strcmp(w->code, ps[k].warehouse) != 0)
            rc = hc_warehouse_get(st, a, ps[k].warehouse, w, err);
        if (rc == HC_OK)
            rc = hc_api_parcel_label(st, a, &ps[k], w, &op->labels[k], err);
    }
    op->nlabels = n;
    return rc;
}

/* Order i checked and what it prints into op. */
static int order_print_of(hc_store *st, hc_arena *a, size_t i, const char *id,
                          const struct hc_api_label_scope *sc, bool pdf, struct hc_warehouse *w,
                          struct order_print *op, hc_err *err)
{
    int rc = visible_order(st, a, id, sc, err);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_upload u;
    hc_err e2 = {0};
    rc = hc_lm_upload_get(st, a, id, pdf, &u, &e2);
    if (rc == HC_ENOTFOUND)
        return parcel_labels(st, a, i, id, w, op, err);
    if (rc != HC_OK)
        return *err = e2, rc;
    if (!pdf)
        return conflict_at(i, err, "order %s prints the PDF label its seller uploaded: no ZPL",
                           id);
    op->pdf = u.pdf;
    op->pdf_len = u.pdf_len;
    return HC_OK;
}

/* Every label of op[0..n) in one array (n orders without uploads). */
static struct hc_lm_label *all_labels(hc_arena *a, const struct order_print *op, size_t n,
                                      size_t *total)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += op[i].nlabels;
    struct hc_lm_label *all = hc_arena_alloc(a, sizeof(*all) * (k ? k : 1));
    k = 0;
    for (size_t i = 0; i < n; k += op[i].nlabels, i++)
        if (op[i].nlabels)
            memcpy(all + k, op[i].labels, sizeof(*all) * op[i].nlabels);
    *total = k;
    return all;
}

/* Labels ls[0..n) as one PDF kept in a: a part to join. */
static int labels_part(hc_arena *a, const struct hc_lm_label *ls, size_t n,
                       struct hc_lm_pdf_part *part, size_t max, hc_err *err)
{
    hc_buf b;
    hc_buf_init(&b, max);
    int rc = hc_lm_labels_pdf(ls, n, &b, err);
    if (rc == HC_OK && b.p) {
        char *kept = hc_arena_alloc(a, b.n);
        memcpy(kept, b.p, b.n);
        *part = (struct hc_lm_pdf_part){kept, b.n, 0};
    } else if (rc == HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "an empty label PDF");
    }
    hc_buf_free(&b);
    return rc;
}

/* The PDF of op[0..n) with at least one uploaded label: each upload a part,
 * each run of orders between them one part drawn by cairo (one font subset
 * per run), joined in order; an upload qpdf cannot read is a conflict
 * naming its order. */
static int joined_pdf(hc_arena *a, char **ids, const struct order_print *op, size_t n,
                      hc_buf *out, hc_err *err)
{
    struct hc_lm_pdf_part *parts = hc_arena_alloc(a, sizeof(*parts) * n);
    size_t *order_of = hc_arena_alloc(a, sizeof(*order_of) * n); /* part -> order index */
    size_t np = 0;
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n;) {
        order_of[np] = i;
        if (op[i].pdf) {
            parts[np++] = (struct hc_lm_pdf_part){op[i].pdf, op[i].pdf_len, HC_LM_UPLOAD_PAGES_MAX};
            i++;
            continue;
        }
        size_t end = i;
        while (end < n && op[end].pdf == NULL)
            end++;
        size_t total = 0;
        struct hc_lm_label *ls = all_labels(a, op + i, end - i, &total);
        rc = labels_part(a, ls, total, &parts[np++], out->max, err);
        i = end;
    }
    size_t bad = 0;
    if (rc == HC_OK && (rc = hc_lm_pdf_join(parts, np, out, &bad, err)) == HC_EINVAL) {
        size_t i = order_of[bad];
        hc_err_clear(err);
        rc = op[i].pdf ? conflict_at(i, err, "the label uploaded for order %s cannot be read as a PDF",
                                     ids[i])
                       : hc_err_set(err, HC_EINTERNAL, "", "a label PDF qpdf cannot read");
    }
    return rc;
}

int hc_api_order_labels(hc_store *st, hc_arena *a, char **ids, size_t n,
                        const struct hc_api_label_scope *sc, bool pdf, hc_buf *out, hc_err *err)
{
    HC_ASSERT(n > 0 && n <= HC_API_ORDER_LABELS_MAX);
    struct order_print *op = hc_arena_alloc(a, sizeof(*op) * n);
    struct hc_warehouse w = {0};
    bool uploads = false;
    for (size_t i = 0; i < n; i++) {
        int rc = order_print_of(st, a, i, ids[i], sc, pdf, &w, &op[i], err);
        if (rc != HC_OK)
            return rc;
        uploads = uploads || op[i].pdf != NULL;
    }
    int rc;
    if (uploads) {
        rc = joined_pdf(a, ids, op, n, out, err);
    } else {
        size_t total = 0;
        struct hc_lm_label *ls = all_labels(a, op, n, &total);
        HC_ASSERT(total > 0);
        rc = pdf ? hc_lm_labels_pdf(ls, total, out, err) : hc_lm_labels_zpl(ls, total, out, err);
    }
    if (rc == HC_ETOOBIG || err->code == HC_ETOOBIG) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ETOOBIG, "orders", "the labels are over %zu bytes", out->max);
    }
    if (rc == HC_OK && out->p == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "an empty label document");
    return rc;
}

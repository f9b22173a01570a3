/* join.c: PDFs joined into one, their pages in the order given, each copied
 * as it is (qpdf's page copy, nothing re-drawn): bulk printing where labels a
 * seller uploaded sit among haicang's own. */
#include "lastmile.h"

#include <qpdf/qpdf-c.h>
#include <stdlib.h>

static qpdf_data quiet_qpdf(void)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    return q;
}

/* Takes qpdf's pending error, if any (qpdf prints one left untaken at cleanup). */
static void take_error(qpdf_data q)
{
    if (qpdf_has_error(q))
        (void)qpdf_get_error(q);
}

/* Appends every page of parts[i] (read into src) to dst; false when the part
 * cannot be read as a PDF or has no page. */
static bool add_pages(qpdf_data dst, qpdf_data src, const struct hc_lm_pdf_part *part)
{
    if (qpdf_read_memory(src, "label", part->pdf, part->len, NULL) & QPDF_ERRORS)
        return false;
    int pages = qpdf_get_num_pages(src);
    if (pages <= 0 || (part->max_pages > 0 && pages > part->max_pages))
        return false;
    for (int p = 0; p < pages; p++)
        if (qpdf_add_page(dst, src, qpdf_get_page_n(src, (size_t)p), QPDF_FALSE) & QPDF_ERRORS)
            return false;
    return true;
}

int hc_lm_pdf_pages(const char *p, size_t n)
{
    qpdf_data q = quiet_qpdf();
    int pages = qpdf_read_memory(q, "label", p, n, NULL) & QPDF_ERRORS ? -1
                                                                         : qpdf_get_num_pages(q);
    take_error(q);
    qpdf_cleanup(&q);
    return pages < 0 ? -1 : pages;
}

#define TREE_DEPTH_MAX 16

/* Budget of one bounded walk: pages seen, nodes left, object ids of the
 * inner nodes met (a node reached twice would be counted twice by qpdf). */
struct walk {
    int pages, max, nodes_left;
    int seen[HC_LM_PDF_KIDS_MAX];
    int nseen;
};

static bool seen_before(struct walk *w, int id)
{
    for (int i = 0; i < w->nseen; i++)
        if (w->seen[i] == id)
            return true;
    HC_ASSERT(w->nseen < HC_LM_PDF_KIDS_MAX);
    w->seen[w->nseen++] = id;
    return false;
}

/* Walks the node as qpdf's page count does (a kid with /Kids is a node, any
 * other a page); false as soon as the budget is passed. */
static bool walk_node(qpdf_data q, qpdf_oh node, int depth, struct walk *w)
{
    if (depth > TREE_DEPTH_MAX || --w->nodes_left < 0)
        return false;
    int id = qpdf_oh_get_object_id(q, node);
    if (id > 0 && seen_before(w, id))
        return false;
    qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
    int n = qpdf_oh_get_array_n_items(q, kids);
    if (n > HC_LM_PDF_KIDS_MAX)
        return false;
    for (int i = 0; i < n; i++) {
        qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
        if (qpdf_oh_is_dictionary(q, kid) && qpdf_oh_has_key(q, kid, "/Kids")) {
            if (!walk_node(q, kid, depth + 1, w))
                return false;
        } else if (++w->pages > w->max || --w->nodes_left < 0) {
            return false;
        }
    }
    return true;
}

int hc_lm_pdf_pages_bounded(const char *p, size_t n, int max)
{
    HC_ASSERT(max >= 0);
    qpdf_data q = quiet_qpdf();
    int pages = -1;
    if (!(qpdf_read_memory(q, "label", p, n, NULL) & QPDF_ERRORS)) {
        qpdf_oh root = qpdf_oh_get_key(q, qpdf_get_root(q), "/Pages");
        struct walk w = {.max = max, .nodes_left = HC_LM_PDF_KIDS_MAX};
        if (qpdf_oh_is_dictionary(q, root) && !walk_node(q, root, 0, &w))
            pages = max + 1;
        else
            pages = qpdf_get_num_pages(q); /* exact; the tree is small now */
    }
    take_error(q);
    qpdf_cleanup(&q);
    return pages < 0 ? -1 : pages;
}

static int write_joined(qpdf_data dst, hc_buf *out, hc_err *err)
{
    if ((qpdf_init_write_memory(dst) & QPDF_ERRORS) ||
        (qpdf_set_deterministic_ID(dst, QPDF_TRUE), qpdf_write(dst) & QPDF_ERRORS))
        return hc_err_set(err, HC_EINTERNAL, "", "the joined PDF could not be written");
    const unsigned char *p = qpdf_get_buffer(dst);
    size_t n = qpdf_get_buffer_length(dst);
    if (p == NULL || n == 0)
        return hc_err_set(err, HC_EINTERNAL, "", "the joined PDF is empty");
    if (hc_buf_add(out, p, n) != HC_OK)
        return hc_err_set(err, HC_ETOOBIG, "", "the PDF is over %zu bytes", out->max);
    return HC_OK;
}

int hc_lm_pdf_join(const struct hc_lm_pdf_part *parts, size_t n, hc_buf *out, size_t *bad,
                   hc_err *err)
{
    HC_ASSERT(n > 0);
    /* every source must outlive the write: qpdf copies foreign pages lazily */
    qpdf_data *src = calloc(n, sizeof(*src));
    if (src == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    qpdf_data dst = quiet_qpdf();
    int rc = qpdf_empty_pdf(dst) & QPDF_ERRORS
                 ? hc_err_set(err, HC_EINTERNAL, "", "qpdf cannot start a PDF")
                 : HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        src[i] = quiet_qpdf();
        if (!add_pages(dst, src[i], &parts[i])) {
            *bad = i;
            rc = hc_err_set(err, HC_EINVAL, "parts", "part %zu cannot be read as a PDF", i);
        }
    }
    if (rc == HC_OK)
        rc = write_joined(dst, out, err);
    take_error(dst);
    qpdf_cleanup(&dst);
    for (size_t i = 0; i < n; i++)
        if (src[i]) {
            take_error(src[i]);
            qpdf_cleanup(&src[i]);
        }
    free(src);
    return rc;
}

/* Unit tests of src/lastmile's labels beside the parcel's own: the
 * structural check of uploaded PDFs (a cairo-made label passes; truncated,
 * mangled and foreign files fail naming "label"; random damage never reads
 * out of bounds under ASan); EAN / UPC check digits; the layouts of
 * carton and product labels; carton ZPL and PDF; PDFs joined page for
 * page (join.c: order and page sizes kept, unreadable or page-less parts
 * named by index, the size limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lastmile/lastmile.h"

#include <qpdf/qpdf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char TINY[] = "%PDF-1.4\n"
                           "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                           "xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
                           "trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n58\n%%EOF\n";

static int check(const char *p, size_t n, char field[128])
{
    hc_err err = {0};
    int rc = hc_lm_pdf_check(p, n, &err);
    snprintf(field, 128, "%s", err.field);
    return rc;
}

static void pdf_check_cases(void **st)
{
    (void)st;
    char f[128];
    assert_int_equal(check(TINY, strlen(TINY), f), HC_OK);
    /* a cross-reference stream (PDF 1.5) instead of a table */
    static const char XS[] = "%PDF-1.5\n"
                             "1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                             "2 0 obj\n<< /Type /XRef /Size 3 /Root 1 0 R >>\nstream\nendstream\n"
                             "endobj\nstartxref\n45\n%%EOF";
    assert_int_equal(check(XS, strlen(XS), f), HC_OK);
    const char *bad[] = {
        "hello world, this is not a PDF file at all",
        "%PDF-x.4\n...........................................",
        "%PDF-1.4\n1 0 obj\n<< /Root 1 0 R >>\nendobj\nno end marker here at all",
        "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF",        /* no startxref */
        "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\ntrailer\n<< /Root 1 0 R >>\nstartxref\n999999\n%%EOF",
        "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\ntrailer\n<< /Size 1 >>\nstartxref\n30\n%%EOF",
        "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\nstartxref\n30\n%%EOF\n<< /Root 1 0 R >>",
        "%PDF-1.4\n1 0 obj\n<<>>\nendobj\njunk\ntrailer << /Root 1 0 R >>\nstartxref\n30\n%%EOF",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(check(bad[i], strlen(bad[i]), f), HC_OK);
        assert_string_equal(f, "label");
    }
    /* every truncation of a good file fails (the end marker goes first) */
    for (size_t n = 0; n + 1 < strlen(TINY) - 1; n++)
        assert_int_not_equal(check(TINY, n, f), HC_OK);
    assert_int_equal(check(TINY, HC_LM_UPLOAD_MAX + 1, f), HC_ETOOBIG);
}

/* A label haicang renders itself (cairo) passes the check. */
static void pdf_check_cairo(void **st)
{
    (void)st;
    struct hc_lm_label l = {.carrier = "DHL", .service_name = "Paket", .tracking_no = "RR123456785DE",
                            .numbering = HC_LM_NUM_S10, .reference = "ord_1", .weight_g = 1200,
                            .parcel_no = 1, .parcel_count = 1, .ship_day = "2026-11-28"};
    hc_buf b;
    hc_buf_init(&b, 4 << 20);
    hc_err err = {0};
    assert_int_equal(hc_lm_label_pdf(&l, &b, &err), HC_OK);
    char f[128];
    assert_int_equal(check(b.p, b.n, f), HC_OK);
    hc_buf_free(&b);
}

/* Random bytes flipped in a good file, every length: no crash, no read past
 * the copy (which has exactly n bytes, so ASan sees one). */
static void pdf_check_damage(void **st)
{
    (void)st;
    srand(12);
    size_t n = strlen(TINY);
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)rand() % (n + 1);
        char *p = malloc(len ? len : 1);
        memcpy(p, TINY, len);
        for (int k = rand() % 4; k > 0 && len; k--)
            p[(size_t)rand() % len] = (char)(rand() & 0xff);
        char f[128];
        int rc = check(p, len, f);
        assert_true(rc == HC_OK || strcmp(f, "label") == 0);
        free(p);
    }
}


/* A PDF whose page tree names its one page, w x h points, `count` times
 * (qpdf reads `count` pages; xref offsets computed). */
static size_t pages_pdf(char *out, size_t size, int w, int h, int count)
{
    size_t n = (size_t)snprintf(out, size, "%%PDF-1.4\n");
    size_t off[3];
    char kids[1024] = "<< /Type /Pages /Kids [";
    assert_true(count > 0 && count < 64);
    for (int i = 0; i < count; i++)
        strcat(kids, i ? " 3 0 R" : "3 0 R");
    snprintf(kids + strlen(kids), sizeof(kids) - strlen(kids), "] /Count %d >>", count);
    const char *objs[3] = {"<< /Type /Catalog /Pages 2 0 R >>", kids, NULL};
    char page[96];
    snprintf(page, sizeof(page), "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>", w, h);
    objs[2] = page;
    for (int i = 0; i < 3; i++) {
        off[i] = n;
        n += (size_t)snprintf(out + n, size - n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t x = n;
    n += (size_t)snprintf(out + n, size - n, "xref\n0 4\n0000000000 65535 f \n");
    for (int i = 0; i < 3; i++)
        n += (size_t)snprintf(out + n, size - n, "%010zu 00000 n \n", off[i]);
    n += (size_t)snprintf(out + n, size - n,
                          "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", x);
    return n;
}

/* A one-page PDF whose page is w x h points. */
static size_t page_pdf(char *out, size_t size, int w, int h)
{
    return pages_pdf(out, size, w, h, 1);
}

/* The widths of the pages of a PDF, read back with qpdf. */
static int page_widths(const char *p, size_t n, int *w, int max)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    int pages = -1;
    if (!(qpdf_read_memory(q, "joined", p, n, NULL) & QPDF_ERRORS)) {
        pages = qpdf_get_num_pages(q);
        for (int i = 0; i < pages && i < max; i++) {
            qpdf_oh box = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/MediaBox");
            w[i] = (int)qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, box, 2));
        }
    }
    qpdf_cleanup(&q);
    return pages;
}

/* Parts joined in order, each with all its pages: a cairo PDF of two 4x6
 * labels (288 pt wide) between two one-page files of 100 and 200 pt. */
static void pdf_join_order(void **st)
{
    (void)st;
    struct hc_lm_label l[2] = {{.carrier = "DHL", .service_name = "Paket", .tracking_no = "RR123456785DE",
                                .numbering = HC_LM_NUM_S10, .reference = "ord_1", .weight_g = 1200,
                                .parcel_no = 1, .parcel_count = 2, .ship_day = "2026-11-28"}};
    l[1] = l[0];
    l[1].parcel_no = 2;
    hc_buf cairo, out;
    hc_buf_init(&cairo, 4 << 20);
    hc_buf_init(&out, 4 << 20);
    hc_err err = {0};
    assert_int_equal(hc_lm_labels_pdf(l, 2, &cairo, &err), HC_OK);
    char a[1024], b[1024];
    size_t na = page_pdf(a, sizeof(a), 100, 150), nb = page_pdf(b, sizeof(b), 200, 250);
    struct hc_lm_pdf_part parts[] = {{a, na, 0}, {cairo.p, cairo.n, 0}, {b, nb, 0}};
    size_t bad = 99;
    assert_int_equal(hc_lm_pdf_join(parts, 3, &out, &bad, &err), HC_OK);
    int w[8] = {0};
    assert_int_equal(page_widths(out.p, out.n, w, 8), 4);
    assert_int_equal(w[0], 100);
    assert_int_equal(w[1], 288);
    assert_int_equal(w[2], 288);
    assert_int_equal(w[3], 200);
    assert_int_equal(bad, 99);
    hc_buf_free(&out);
    hc_buf_free(&cairo);
}

/* A part that is not a PDF, or has no page, is named by its index; a
 * result over the buffer's limit is HC_ETOOBIG. */
static void pdf_join_refused(void **st)
{
    (void)st;
    char a[1024];
    size_t na = page_pdf(a, sizeof(a), 100, 150);
    char pageless[1024];
    size_t np = page_pdf(pageless, sizeof(pageless), 100, 150);
    char *kids = strstr(pageless, "/Kids [3 0 R] /Count 1");
    assert_non_null(kids);
    memcpy(kids, "/Kids []      /Count 0", 22);
    const char junk[] = "this is no PDF at all, just words";
    struct {
        const char *p;
        size_t n;
    } second[] = {{junk, sizeof(junk) - 1}, {pageless, np}};
    for (size_t i = 0; i < 2; i++) {
        struct hc_lm_pdf_part parts[] = {{a, na, 0}, {second[i].p, second[i].n, 0}, {a, na, 0}};
        hc_buf out;
        hc_buf_init(&out, 4 << 20);
        hc_err err = {0};
        size_t bad = 99;
        assert_int_equal(hc_lm_pdf_join(parts, 3, &out, &bad, &err), HC_EINVAL);
        assert_int_equal(bad, 1);
        hc_buf_free(&out);
    }
    struct hc_lm_pdf_part one[] = {{a, na, 0}};
    hc_buf small;
    hc_buf_init(&small, 64);
    hc_err err = {0};
    size_t bad = 99;
    assert_int_equal(hc_lm_pdf_join(one, 1, &small, &bad, &err), HC_ETOOBIG);
    hc_buf_free(&small);
}

/* An upload whose page tree names more than HC_LM_UPLOAD_PAGES_MAX pages
 * is refused naming label (a 1 MB tree of 160,000 cost qpdf ~20 s and ~1 GB
 * to join); the join refuses such a part naming its index. */
static void upload_pages_bounded(void **st)
{
    (void)st;
    char pdf[2048];
    struct hc_lm_upload u = {.carrier = "DHL", .tracking_no = "JJD0001"};
    u.pdf = pdf;
    u.pdf_len = pages_pdf(pdf, sizeof(pdf), 288, 432, HC_LM_UPLOAD_PAGES_MAX);
    hc_err err = {0};
    assert_int_equal(hc_lm_pdf_pages(pdf, u.pdf_len), HC_LM_UPLOAD_PAGES_MAX);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_OK);
    u.pdf_len = pages_pdf(pdf, sizeof(pdf), 288, 432, HC_LM_UPLOAD_PAGES_MAX + 1);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_EINVAL);
    assert_string_equal(err.field, "label");
    char a[1024];
    size_t na = page_pdf(a, sizeof(a), 100, 150);
    struct hc_lm_pdf_part parts[] = {{a, na, 0}, {pdf, u.pdf_len, HC_LM_UPLOAD_PAGES_MAX}};
    hc_buf out;
    hc_buf_init(&out, 4 << 20);
    size_t bad = 99;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_pdf_join(parts, 2, &out, &bad, &err), HC_EINVAL);
    assert_int_equal(bad, 1);
    parts[1].max_pages = 0; /* haicang's own labels: any number of pages */
    hc_err_clear(&err);
    assert_int_equal(hc_lm_pdf_join(parts, 2, &out, &bad, &err), HC_OK);
    hc_buf_free(&out);
    assert_int_equal(hc_lm_pdf_pages("no PDF", 6), -1);
}

/* A PDF of the n objects given (object i + 1 is objs[i]; 1 is the catalog),
 * xref offsets computed, into out (size bytes). */
static size_t objects_pdf(char *out, size_t size, const char **objs, int n)
{
    size_t len = (size_t)snprintf(out, size, "%%PDF-1.4\n");
    size_t off[8];
    assert_true(n > 0 && n <= 8);
    for (int i = 0; i < n; i++) {
        off[i] = len;
        len += (size_t)snprintf(out + len, size - len, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t x = len;
    len += (size_t)snprintf(out + len, size - len, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, size - len, "%010zu 00000 n \n", off[i]);
    len += (size_t)snprintf(out + len, size - len,
                            "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n + 1,
                            x);
    assert_true(len < size);
    return len;
}

/* A page tree node whose /Kids (written as name) names page 3 170,000 times. */
static void hostile_kids(char *out, size_t size, const char *name)
{
    size_t k = (size_t)snprintf(out, size, "<< /Type /Pages %s [", name);
    for (int i = 0; i < 170000; i++)
        k += (size_t)snprintf(out + k, size - k, "3 0 R ");
    snprintf(out + k, size - k, "] /Count 170000 >>");
}

/* A 1 MiB page tree naming one page 170,000 times (qpdf counted it in
 * ~6-10 s and ~670 MB before refusing) is refused by the structural check
 * when the name is written plainly, and by the bounded walk when written
 * "/K#69ds" (the check does not decode names); so is a tree that reaches one
 * inner node twice (a few bytes that qpdf would expand exponentially). A
 * tree of 20 distinct pages under two inner nodes passes. */
static void upload_tree_bounded(void **st)
{
    (void)st;
    size_t size = HC_LM_UPLOAD_MAX;
    char *kids = malloc(size), *pdf = malloc(size);
    assert_non_null(kids);
    assert_non_null(pdf);
    hostile_kids(kids, size, "/Kids");
    const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>", kids,
                          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] >>"};
    struct hc_lm_upload u = {.carrier = "DHL", .tracking_no = "JJD0001", .pdf = pdf};
    u.pdf_len = objects_pdf(pdf, size, objs, 3);
    hc_err err = {0};
    assert_int_equal(hc_lm_pdf_check(pdf, u.pdf_len, &err), HC_EINVAL);
    assert_string_equal(err.field, "label");
    assert_non_null(strstr(err.msg, "page tree"));
    hostile_kids(kids, size, "/K#69ds"); /* "/Kids" to qpdf */
    u.pdf_len = objects_pdf(pdf, size, objs, 3);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_pdf_check(pdf, u.pdf_len, &err), HC_OK);
    assert_int_equal(hc_lm_pdf_pages_bounded(pdf, u.pdf_len, HC_LM_UPLOAD_PAGES_MAX),
                     HC_LM_UPLOAD_PAGES_MAX + 1);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_EINVAL);
    assert_string_equal(err.field, "label");
    /* a node reached twice: 2 -> [4 4], 4 -> [3] */
    const char *dag[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                         "<< /Type /Pages /Kids [4 0 R 4 0 R] /Count 2 >>",
                         "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 288 432] >>",
                         "<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>"};
    u.pdf_len = objects_pdf(pdf, size, dag, 4);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_EINVAL);
    assert_string_equal(err.field, "label");
    /* kids that are not references, or over HC_LM_PDF_KIDS_MAX of them */
    const char *direct[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                            "<< /Type /Pages /Kids [<< /Type /Page >>] /Count 1 >>"};
    u.pdf_len = objects_pdf(pdf, size, direct, 2);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_pdf_check(pdf, u.pdf_len, &err), HC_EINVAL);
    /* 20 pages under two inner nodes, each naming its page (5, 6) 10 times */
    char inner[2][256], leaves[2][256];
    for (int j = 0; j < 2; j++) {
        size_t m = (size_t)snprintf(inner[j], sizeof(inner[j]), "<< /Type /Pages /Parent 2 0 R /Kids [");
        for (int i = 0; i < 10; i++)
            m += (size_t)snprintf(inner[j] + m, sizeof(inner[j]) - m, "%d 0 R ", j ? 6 : 5);
        snprintf(inner[j] + m, sizeof(inner[j]) - m, "] /Count 10 >>");
        snprintf(leaves[j], sizeof(leaves[j]),
                 "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 288 432] >>", j ? 4 : 3);
    }
    const char *tree[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                          "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 20 >>", inner[0], inner[1],
                          leaves[0], leaves[1]};
    u.pdf_len = objects_pdf(pdf, size, tree, 6);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_OK);
    assert_int_equal(hc_lm_pdf_pages_bounded(pdf, u.pdf_len, HC_LM_UPLOAD_PAGES_MAX), 20);
    free(kids);
    free(pdf);
}

/* p..p+n rewritten by qpdf with object streams (the page tree compressed in
 * them, out of the structural check's sight), into out. */
static void qpdf_object_streams(const char *p, size_t n, hc_buf *out)
{
    qpdf_data q = qpdf_init();
    assert_false(qpdf_read_memory(q, "in", p, n, NULL) & QPDF_ERRORS);
    qpdf_init_write_memory(q);
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    assert_false(qpdf_write(q) & QPDF_ERRORS);
    assert_int_equal(hc_buf_add(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q)), HC_OK);
    qpdf_cleanup(&q);
}

/* Labels as writers make them still upload under the page-tree bounds:
 * cairo's 20 labels (20 pages), qpdf's join of them with another file, and
 * that join rewritten with object streams and a cross-reference stream. */
static void upload_accepts_written_pdfs(void **st)
{
    (void)st;
    struct hc_lm_label l[HC_LM_UPLOAD_PAGES_MAX];
    for (int i = 0; i < HC_LM_UPLOAD_PAGES_MAX; i++)
        l[i] = (struct hc_lm_label){.carrier = "DHL", .service_name = "Paket",
                                    .tracking_no = "RR123456785DE", .numbering = HC_LM_NUM_S10,
                                    .reference = "ord_1", .weight_g = 1200, .parcel_no = i + 1,
                                    .parcel_count = HC_LM_UPLOAD_PAGES_MAX, .ship_day = "2026-11-28"};
    hc_buf cairo, joined, packed;
    hc_buf_init(&cairo, 8 << 20);
    hc_buf_init(&joined, 8 << 20);
    hc_buf_init(&packed, 8 << 20);
    hc_err err = {0};
    assert_int_equal(hc_lm_labels_pdf(l, HC_LM_UPLOAD_PAGES_MAX, &cairo, &err), HC_OK);
    struct hc_lm_upload u = {.carrier = "DHL", .tracking_no = "JJD0001", .pdf = cairo.p,
                             .pdf_len = cairo.n};
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_OK);
    hc_buf two;
    hc_buf_init(&two, 4 << 20);
    assert_int_equal(hc_lm_labels_pdf(l, 2, &two, &err), HC_OK);
    char a[1024];
    size_t na = page_pdf(a, sizeof(a), 100, 150), bad = 99;
    struct hc_lm_pdf_part parts[] = {{a, na, 0}, {two.p, two.n, 0}};
    assert_int_equal(hc_lm_pdf_join(parts, 2, &joined, &bad, &err), HC_OK);
    u.pdf = joined.p;
    u.pdf_len = joined.n;
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_OK);
    assert_int_equal(hc_lm_pdf_pages_bounded(joined.p, joined.n, HC_LM_UPLOAD_PAGES_MAX), 3);
    hc_buf_free(&two);
    qpdf_object_streams(cairo.p, cairo.n, &packed);
    assert_non_null(memmem(packed.p, packed.n, "/ObjStm", 7));
    u.pdf = packed.p;
    u.pdf_len = packed.n;
    hc_err_clear(&err);
    assert_int_equal(hc_lm_upload_validate(&u, &err), HC_OK);
    assert_int_equal(hc_lm_pdf_pages_bounded(packed.p, packed.n, HC_LM_UPLOAD_PAGES_MAX),
                     HC_LM_UPLOAD_PAGES_MAX);
    hc_buf_free(&cairo);
    hc_buf_free(&joined);
    hc_buf_free(&packed);
}

/* GS1 check digits of published numbers: EAN-13 4006381333931, UPC-A
 * 036000291452, EAN-8 96385074; one digit off fails. */
static void ean_check_digits(void **st)
{
    (void)st;
    assert_true(hc_ean_valid("4006381333931"));
    assert_true(hc_ean_valid("6901234567892"));
    assert_true(hc_ean_valid("036000291452"));
    assert_true(hc_ean_valid("96385074"));
    assert_false(hc_ean_valid("4006381333932"));
    assert_false(hc_ean_valid("036000291453"));
    assert_false(hc_ean_valid("400638133393"));  /* 12 digits, wrong as UPC-A */
    assert_false(hc_ean_valid("40063813339310")); /* 14 */
    assert_false(hc_ean_valid("40063813339a1"));
    assert_false(hc_ean_valid(""));
    assert_false(hc_ean_valid(NULL));
    assert_true(hc_fnsku_valid("X001ABCDEF"));
    assert_false(hc_fnsku_valid("x001ABCDEF"));
    assert_false(hc_fnsku_valid("X001ABCDE"));
    hc_err err = {0};
    struct hc_lm_product_label l = {.code = HC_LM_CODE_UPCA, .data = "4006381333931"};
    assert_int_equal(hc_lm_product_check(&l, &err), HC_EINVAL); /* 13 digits are no UPC-A */
    assert_string_equal(err.field, "barcode");
}

static bool inside(struct hc_lm_box_pt b, double w, double h)
{
    return b.x >= 0 && b.y >= 0 && b.x + b.w <= w + 1e-9 && b.y + b.h <= h + 1e-9;
}

static bool apart(struct hc_lm_box_pt a, struct hc_lm_box_pt b)
{
    return a.y + a.h <= b.y + 1e-9 || b.y + b.h <= a.y + 1e-9;
}

/* Every part lies inside its label, parts do not overlap, the A4 grid of
 * 4 x 10 fits the page with its margins. */
static void layouts(void **st)
{
    (void)st;
    struct hc_lm_product_layout p;
    hc_lm_product_layout(HC_LM_SHEET_ROLL, &p);
    assert_int_equal(p.cols * p.rows, 1);
    assert_true(p.page_w > 141.7 && p.page_w < 141.8 && p.page_h > 70.8 && p.page_h < 70.9);
    assert_true(inside(p.barcode, p.label_w, p.label_h));
    assert_true(inside(p.code_text, p.label_w, p.label_h));
    assert_true(inside(p.name_text, p.label_w, p.label_h));
    assert_true(apart(p.barcode, p.code_text) && apart(p.code_text, p.name_text));
    hc_lm_product_layout(HC_LM_SHEET_A4, &p);
    assert_int_equal(p.cols * p.rows, 40);
    assert_true(p.margin_x > 0 && p.margin_y > 0);
    double right = p.margin_x + p.cols * p.label_w + (p.cols - 1) * p.gap_x;
    double bottom = p.margin_y + p.rows * p.label_h + (p.rows - 1) * p.gap_y;
    assert_true(right <= p.page_w && bottom <= p.page_h);
    struct hc_lm_carton_layout c;
    hc_lm_carton_layout(&c);
    struct hc_lm_box_pt parts[] = {c.header, c.info, c.barcode, c.barcode_text};
    for (size_t i = 0; i < 4; i++) {
        assert_true(inside(parts[i], c.width, c.height));
        if (i > 0)
            assert_true(apart(parts[i - 1], parts[i]));
    }
}

/* Carton PDF has one page per carton; ZPL carries GS1-128 (FNC1, AI 00). */
static void carton_outputs(void **st)
{
    (void)st;
    struct hc_lm_carton_label v[2] = {
        {.sscc = "106141411234567897", .inbound = "inb_1", .seller = "S1", .warehouse = "W",
         .reference = "A^B", .carton_no = 1, .carton_count = 2},
        {.sscc = "106141411234567903", .inbound = "inb_1", .seller = "S1", .warehouse = "W",
         .reference = "", .carton_no = 2, .carton_count = 2}};
    hc_buf b;
    hc_buf_init(&b, 4 << 20);
    hc_err err = {0};
    assert_int_equal(hc_lm_carton_zpl(v, 2, &b, &err), HC_OK);
    hc_buf_add(&b, "", 1);
    assert_non_null(strstr(b.p, "^FD>;>800106141411234567897^FS"));
    assert_non_null(strstr(b.p, "A_5EB")); /* ^ escaped */
    hc_buf_free(&b);
    hc_buf_init(&b, 4 << 20);
    assert_int_equal(hc_lm_carton_pdf(v, 2, &b, &err), HC_OK);
    char f[128];
    assert_int_equal(check(b.p, b.n, f), HC_OK);
    hc_buf_add(&b, "", 1);
    assert_non_null(memmem(b.p, b.n, "/Count 2", 8));
    hc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_check_cases),
        cmocka_unit_test(pdf_check_cairo),
        cmocka_unit_test(pdf_check_damage),
        cmocka_unit_test(pdf_join_order),
        cmocka_unit_test(pdf_join_refused),
        cmocka_unit_test(upload_pages_bounded),
        cmocka_unit_test(upload_tree_bounded),
        cmocka_unit_test(upload_accepts_written_pdfs),
        cmocka_unit_test(ean_check_digits),
        cmocka_unit_test(layouts),
        cmocka_unit_test(carton_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of src/lastmile's labels beside the parcel's own: the
 * structural check of uploaded PDFs (a cairo-made label passes; truncated,
 * mangled and foreign files fail naming "label"; random damage never reads
 * out of bounds under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lastmile/lastmile.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_check_cases),
        cmocka_unit_test(pdf_check_cairo),
        cmocka_unit_test(pdf_check_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

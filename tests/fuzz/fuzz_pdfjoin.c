/* libFuzzer target: the join of label PDFs (hc_lm_pdf_join, qpdf) that bulk
 * printing does with the PDFs sellers uploaded. The input is split at each
 * line "%%PART" into at most 4 parts; those that pass the upload check
 * (hc_lm_pdf_check, as POST .../label does) are joined after a fixed valid
 * PDF, as bulk_labels.c joins uploads among haicang's own labels; each such
 * part is first counted by the bounded walk of its page tree the upload does
 * (hc_lm_pdf_pages_bounded, which answers a count or -1). The join
 * must never crash, hang or leak, and it must answer either a PDF or
 * HC_EINVAL naming the part it could not read (the API's 409): any other
 * answer would be a 5xx for a seller's upload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lastmile/lastmile.h"

#define PARTS_MAX 5

static const char valid[] =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] >>\nendobj\n"
    "trailer\n<< /Size 4 /Root 1 0 R >>\n%%EOF\n";

/* Cuts data at "\n%%PART\n" into parts[1..]; returns the number of parts. */
static size_t split(const uint8_t *data, size_t size, struct hc_lm_pdf_part *parts)
{
    static const char sep[] = "\n%%PART\n";
    const size_t seplen = sizeof(sep) - 1;
    size_t n = 1, start = 0;
    parts[0] = (struct hc_lm_pdf_part){valid, sizeof(valid) - 1, 0};
    for (size_t i = 0; n < PARTS_MAX; i++) {
        bool at_end = i >= size;
        if (!at_end && (size - i < seplen || memcmp(data + i, sep, seplen) != 0))
            continue;
        parts[n++] = (struct hc_lm_pdf_part){(const char *)data + start, i - start,
                                             HC_LM_UPLOAD_PAGES_MAX};
        if (at_end)
            break;
        start = i + seplen;
        i = start - 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1); /* exactly its size: ASan sees overreads */
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    struct hc_lm_pdf_part cut[PARTS_MAX], parts[PARTS_MAX];
    size_t ncut = split(copy, size, cut), n = 0;
    for (size_t i = 0; i < ncut; i++) {
        hc_err e = {0};
        if (hc_lm_pdf_check(cut[i].pdf, cut[i].len, &e) == HC_OK || i == 0) {
            if (hc_lm_pdf_pages_bounded(cut[i].pdf, cut[i].len, HC_LM_UPLOAD_PAGES_MAX) < -1)
                abort();
            parts[n++] = cut[i];
        }
    }
    hc_buf out;
    hc_buf_init(&out, 16u << 20);
    hc_err err = {0};
    size_t bad = SIZE_MAX;
    int rc = hc_lm_pdf_join(parts, n, &out, &bad, &err);
    if (rc == HC_OK && (out.n < 5 || memcmp(out.p, "%PDF-", 5) != 0))
        abort();
    if (rc == HC_EINVAL && (bad == 0 || bad >= n || strcmp(err.field, "parts") != 0))
        abort(); /* the fixed part is always readable; a refusal names its part */
    if (rc != HC_OK && rc != HC_EINVAL && rc != HC_ETOOBIG)
        abort(); /* a 5xx for an uploaded label */
    hc_buf_free(&out);
    free(copy);
    return 0;
}

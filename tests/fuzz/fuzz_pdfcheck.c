/* libFuzzer target: the structural check of uploaded label PDFs
 * (hc_lm_pdf_check) on any bytes. The input is copied into a buffer of
 * exactly its size, so ASan catches a read past its end; the check must
 * never crash, hang or read out of bounds, and it must accept nothing that
 * lacks the "%PDF-" header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lastmile/lastmile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *p = malloc(size ? size : 1);
    if (p == NULL)
        return 0;
    memcpy(p, data, size);
    hc_err err = {0};
    int rc = hc_lm_pdf_check(p, size, &err);
    if (rc == HC_OK && (size < 5 || memcmp(p, "%PDF-", 5) != 0))
        abort();
    if (rc != HC_OK && strcmp(err.field, "label") != 0)
        abort(); /* every refusal names the field */
    free(p);
    return 0;
}

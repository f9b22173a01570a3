/* err.c: the project's one error record. */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hc_err_set(hc_err *err, int code, const char *field, const char *fmt, ...)
{
    if (err == NULL || err->code != HC_OK)
        return code;
    err->code = code;
    hc_strlcpy(err->field, field ? field : "", sizeof(err->field));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void hc_err_clear(hc_err *err)
{
    if (err == NULL)
        return;
    err->code = HC_OK;
    err->field[0] = '\0';
    err->msg[0] = '\0';
}

void hc_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}

int hc_err_status(int code)
{
    if (code == HC_EUNAVAILABLE)
        return 503;
    if (code >= 400 && code <= 599)
        return code;
    return 500;
}

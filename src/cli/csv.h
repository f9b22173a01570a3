/* csv.h: an RFC 4180 reader (quotes, doubled quotes, CRLF) for the importers. */
#ifndef HC_CLI_CSV_H
#define HC_CLI_CSV_H

#include <stdio.h>

#include "base/base.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_LINE (64 * 1024)

struct csv {
    FILE *f;
    char *field[CSV_MAX_FIELDS];
    int nfields;
    hc_buf buf;
    long row; /* 1-based number of the record just read */
};

/* 1 with a record in field[], 0 at the end, -1 on a malformed or oversized
 * record (the reason in err). */
int csv_read(struct csv *c, hc_err *err);
void csv_free(struct csv *c);

#endif

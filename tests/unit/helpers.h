/* helpers.h: a temporary database for the unit tests that need a store.
 * HC_TEST_DB names one (e.g. a MariaDB URL); otherwise a fresh SQLite file. */
#ifndef HC_TEST_HELPERS_H
#define HC_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static inline const char *test_db_url(char *buf, size_t size)
{
    const char *e = getenv("HC_TEST_DB");
    if (e && *e) {
        snprintf(buf, size, "%s", e);
        return buf;
    }
    char dir[] = "/tmp/hc-unit-XXXXXX";
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(buf, size, "sqlite:%s/test.db", dir);
    return buf;
}

/* Opens and migrates. Drops nothing: on a shared server HC_TEST_DB must name
 * a database of its own (tests/run-all.sh gives each test binary a new one). */
static inline hc_store *test_store(const char *url)
{
    hc_store *s;
    hc_err err = {0};
    if (hc_store_open(url, &s, &err) != HC_OK) {
        fprintf(stderr, "open %s: %s\n", url, err.msg);
        abort();
    }
    if (hc_store_migrate(s, &err) != HC_OK) {
        fprintf(stderr, "migrate: %s\n", err.msg);
        abort();
    }
    return s;
}

#endif

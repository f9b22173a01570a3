/* refdata.c: customs code tables loaded from CSV files, looked up by bsearch. */
#include "customs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FILE (8u << 20) /* a code table is a few kB; refuse anything huge */
#define CSV_MAX_COLS 16

typedef struct row {
    const char *code, *name, *iso2, *iso3; /* iso3 also holds ISO 4217 */
    size_t seq;                            /* load order: a later row wins */
} row;

typedef struct table {
    row *rows;
    size_t n, cap;
    row **by_iso; /* country: iso2 and iso3 entries; currency: iso4217 */
    size_t n_iso;
} table;

struct hc_customs_ref {
    hc_arena *a;
    table t[HC_CUSTOMS_T_COUNT];
    size_t seq;
};

static const char *const files[HC_CUSTOMS_T_COUNT] = {
    [HC_CUSTOMS_T_COUNTRY] = "country_customs_3digit.csv",
    [HC_CUSTOMS_T_CURRENCY] = "currency_customs_3digit.csv",
    [HC_CUSTOMS_T_UNIT] = "unit_customs.csv",
    [HC_CUSTOMS_T_TRANSPORT] = "transport_mode.csv",
    [HC_CUSTOMS_T_PACKAGE] = "package_type.csv",
    [HC_CUSTOMS_T_TRADE_MODE] = "trade_mode_supervision.csv",
    [HC_CUSTOMS_T_TERMS] = "transaction_terms.csv",
};

/* Reads the whole file into an arena string; HC_ENOTFOUND when it is absent. */
static int slurp(hc_arena *a, const char *path, char **out, size_t *len, hc_err *err)
{
    int rc = HC_OK;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (errno == ENOENT)
            return HC_ENOTFOUND;
        return hc_err_set(err, HC_EINVAL, path, "cannot open: %s", strerror(errno));
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        rc = hc_err_set(err, HC_EINVAL, path, "cannot seek");
        goto done;
    }
    long sz = ftell(f);
    if (sz < 0 || (unsigned long)sz > CSV_MAX_FILE) {
        rc = hc_err_set(err, HC_ETOOBIG, path, "file too large (max %u bytes)", CSV_MAX_FILE);
        goto done;
    }
    rewind(f);
    char *p = hc_arena_alloc(a, (size_t)sz + 1);
    if (fread(p, 1, (size_t)sz, f) != (size_t)sz) {
        rc = hc_err_set(err, HC_EINVAL, path, "short read");
        goto done;
    }
    p[sz] = '\0';
    *out = p;
    *len = (size_t)sz;
done:
    fclose(f);
    return rc;
}

/* Splits one CSV record (RFC 4180 quoting) in place starting at *pp; fields
 * point into the buffer. Returns the field count, -1 on a quoting error or too
 * many columns. *pp moves past the record's line end. */
static int csv_record(char **pp, char *end, char **fields)
{
    char *p = *pp;
    int n = 0;
    for (;;) {
        if (n == CSV_MAX_COLS)
            return -1;
        char *w = p;
        fields[n++] = w;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end)
                    return -1;
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            if (p < end && *p != ',' && *p != '\n' && *p != '\r')
                return -1;
        } else {
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                *w++ = *p++;
        }
        char sep = p < end ? *p : '\n';
        char next = p + 1 < end ? p[1] : '\0';
        *w = '\0'; /* may overwrite the separator at p: read above */
        if (p < end)
            p++;
        if (sep == ',')
            continue;
        if (sep == '\r' && next == '\n')
            p++;
        *pp = p;
        return n;
    }
}

static int col_index(char **hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hdr[i], name) == 0)
            return i;
    return -1;
}

static void table_push(hc_customs_ref *ref, table *t, row r)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        row *nr = realloc(t->rows, cap * sizeof(*nr));
        if (nr == NULL)
            abort(); /* out of memory is not a user error (as hc_arena) */
        t->rows = nr;
        t->cap = cap;
    }
    r.seq = ref->seq++;
    t->rows[t->n++] = r;
}

static int cmp_row(const void *x, const void *y)
{
    const row *a = x, *b = y;
    int c = strcmp(a->code, b->code);
    if (c != 0)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *iso_key(const row *r, int which)
{
    return which == 0 ? r->iso2 : r->iso3;
}

static int cmp_iso(const void *x, const void *y)
{
    const row *const *a = x, *const *b = y;
    return strcmp((*a)->iso2, (*b)->iso2); /* index copies carry the key in iso2 */
}

/* Sorts by code, drops all but the last-loaded row of each code, and rebuilds
 * the ISO index (iso2 and iso3 of every row that has them). */
static void table_finish(hc_arena *a, table *t)
{
    qsort(t->rows, t->n, sizeof(row), cmp_row);
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (i + 1 < t->n && strcmp(t->rows[i].code, t->rows[i + 1].code) == 0)
            continue;
        t->rows[k++] = t->rows[i];
    }
    t->n = k;
    /* The ISO index holds shallow copies whose iso2 field carries the key. */
    t->by_iso = hc_arena_alloc(a, (2 * t->n + 1) * sizeof(row *));
    t->n_iso = 0;
    for (size_t i = 0; i < t->n; i++) {
        for (int w = 0; w < 2; w++) {
            const char *key = iso_key(&t->rows[i], w);
            if (key == NULL || *key == '\0')
                continue;
            row *c = hc_arena_alloc(a, sizeof(*c));
            *c = t->rows[i];
            c->iso2 = key;
            t->by_iso[t->n_iso++] = c;
        }
    }
    qsort(t->by_iso, t->n_iso, sizeof(row *), cmp_iso);
}

static int load_table(hc_customs_ref *ref, int ti, const char *dir, bool optional, hc_err *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, files[ti]) >= sizeof(path))
        return hc_err_set(err, HC_EINVAL, "ref_data", "directory path too long");
    char *buf = NULL;
    size_t len = 0;
    int rc = slurp(ref->a, path, &buf, &len, err);
    if (rc == HC_ENOTFOUND) {
        if (optional)
            return HC_OK;
        return hc_err_set(err, HC_EINVAL, path, "reference file missing");
    }
    if (rc != HC_OK)
        return rc;
    char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (!hc_utf8_valid(p, (size_t)(end - p)))
        return hc_err_set(err, HC_EINVAL, path, "not UTF-8");
    char *hdr[CSV_MAX_COLS], *f[CSV_MAX_COLS];
    int nh = csv_record(&p, end, hdr);
    if (nh < 1)
        return hc_err_set(err, HC_EINVAL, path, "line 1: bad header");
    int ccode = col_index(hdr, nh, "code");
    int cname = col_index(hdr, nh, "name_zh");
    if (cname < 0)
        cname = col_index(hdr, nh, "name");
    int ciso2 = col_index(hdr, nh, "iso2");
    int ciso3 = col_index(hdr, nh, ti == HC_CUSTOMS_T_CURRENCY ? "iso4217" : "iso3");
    if (ccode < 0 || cname < 0)
        return hc_err_set(err, HC_EINVAL, path, "line 1: needs columns code and name_zh/name");
    table *t = &ref->t[ti];
    for (int line = 2; p < end; line++) {
        int n = csv_record(&p, end, f);
        if (n < 0)
            return hc_err_set(err, HC_EINVAL, path, "line %d: bad CSV quoting", line);
        if (n == 1 && f[0][0] == '\0')
            continue; /* blank line */
        if (n != nh)
            return hc_err_set(err, HC_EINVAL, path, "line %d: %d columns, header has %d", line,
                              n, nh);
        if (f[ccode][0] == '\0' || strlen(f[ccode]) > 8)
            return hc_err_set(err, HC_EINVAL, path, "line %d: bad code", line);
        row r = {.code = f[ccode], .name = f[cname]};
        r.iso2 = ciso2 >= 0 ? f[ciso2] : NULL;
        r.iso3 = ciso3 >= 0 ? f[ciso3] : NULL;
        table_push(ref, t, r);
    }
    table_finish(ref->a, t);
    return HC_OK;
}

int hc_customs_ref_load(hc_customs_ref **out, const char *dir, hc_err *err)
{
    int rc = HC_OK;
    hc_customs_ref *ref = calloc(1, sizeof(*ref));
    if (ref == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    ref->a = hc_arena_new(64 * 1024);
    for (int i = 0; i < HC_CUSTOMS_T_COUNT; i++)
        if ((rc = load_table(ref, i, dir, false, err)) != HC_OK)
            goto fail;
    *out = ref;
    return HC_OK;
fail:
    hc_customs_ref_free(ref);
    return rc;
}

int hc_customs_ref_overlay(hc_customs_ref *ref, const char *dir, hc_err *err)
{
    for (int i = 0; i < HC_CUSTOMS_T_COUNT; i++) {
        int rc = load_table(ref, i, dir, true, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

void hc_customs_ref_free(hc_customs_ref *ref)
{
    if (ref == NULL)
        return;
    for (int i = 0; i < HC_CUSTOMS_T_COUNT; i++)
        free(ref->t[i].rows);
    hc_arena_free(ref->a);
    free(ref);
}

size_t hc_customs_ref_count(const hc_customs_ref *ref, int table)
{
    if (ref == NULL || table < 0 || table >= HC_CUSTOMS_T_COUNT)
        return 0;
    return ref->t[table].n;
}

static const row *find_code(const hc_customs_ref *ref, int ti, const char *code)
{
    if (ref == NULL || code == NULL || ti < 0 || ti >= HC_CUSTOMS_T_COUNT)
        return NULL;
    const table *t = &ref->t[ti];
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, t->rows[mid].code);
        if (c == 0)
            return &t->rows[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static const row *find_iso(const hc_customs_ref *ref, int ti, const char *iso)
{
    if (ref == NULL || iso == NULL)
        return NULL;
    const table *t = &ref->t[ti];
    size_t lo = 0, hi = t->n_iso;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(iso, t->by_iso[mid]->iso2);
        if (c == 0)
            return t->by_iso[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *hc_customs_ref_name(const hc_customs_ref *ref, int table, const char *code)
{
    const row *r = find_code(ref, table, code);
    return r ? r->name : NULL;
}

const char *hc_customs_country_from_iso(const hc_customs_ref *ref, const char *iso)
{
    const row *r = find_iso(ref, HC_CUSTOMS_T_COUNTRY, iso);
    return r ? r->code : NULL;
}

const char *hc_customs_currency_from_iso(const hc_customs_ref *ref, const char *iso)
{
    const row *r = find_iso(ref, HC_CUSTOMS_T_CURRENCY, iso);
    return r ? r->code : NULL;
}

const char *hc_customs_currency_iso(const hc_customs_ref *ref, const char *code3)
{
    const row *r = find_code(ref, HC_CUSTOMS_T_CURRENCY, code3);
    return r && r->iso3 && *r->iso3 ? r->iso3 : NULL;
}

/* text.c: bounded number parsing, UTF-8 checks, decimals and money. */
#include "base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hc_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (s == NULL || *s == '\0')
        return HC_EINVAL;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return HC_EINVAL;
    *out = v;
    return HC_OK;
}

size_t hc_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

size_t hc_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool hc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        size_t k;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) < k + 1)
            return false;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        p += k + 1;
    }
    return true;
}

bool hc_all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int hc_decimal_parse(const char *s, int scale, int64_t *out)
{
    if (s == NULL || scale < 0 || scale > 9)
        return HC_EINVAL;
    const char *p = s;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (*p < '0' || *p > '9')
        return HC_EINVAL;
    int64_t v = 0;
    int digits = 0;
    /* at most 18 significant digits in all, so v * 10^scale never overflows */
    for (; *p >= '0' && *p <= '9'; p++) {
        if (++digits + scale > 18)
            return HC_EINVAL;
        v = v * 10 + (*p - '0');
    }
    int frac = 0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return HC_EINVAL;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (++frac > scale)
                return HC_EINVAL;
            v = v * 10 + (*p - '0');
        }
    }
    if (*p != '\0')
        return HC_EINVAL;
    for (; frac < scale; frac++)
        v *= 10;
    *out = neg ? -v : v;
    return HC_OK;
}

void hc_decimal_format(int64_t amount, int scale, char *buf, size_t size)
{
    int64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    uint64_t a = amount < 0 ? (uint64_t)(-(amount + 1)) + 1 : (uint64_t)amount;
    if (scale == 0)
        snprintf(buf, size, "%s%llu", amount < 0 ? "-" : "", (unsigned long long)a);
    else
        snprintf(buf, size, "%s%llu.%0*llu", amount < 0 ? "-" : "",
                 (unsigned long long)(a / (uint64_t)div), scale,
                 (unsigned long long)(a % (uint64_t)div));
}

/* The ISO 4217 table, once loaded: sorted codes and their minor units. */
static struct currency {
    char code[4];
    int scale;
} currencies[400];
static size_t ncurrencies;

static int by_currency(const void *a, const void *b)
{
    return strcmp(a, b); /* code is the first member */
}

int hc_currency_load(const char *path, hc_err *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return hc_err_set(err, HC_EINTERNAL, "data", "cannot read %s", path);
    char line[128];
    size_t n = 0;
    while (fgets(line, sizeof(line), f) && n < HC_ARRAY_LEN(currencies)) {
        if (strlen(line) < 5 || line[3] != ',' || line[0] < 'A' || line[0] > 'Z')
            continue; /* the header, or a line that is not a code */
        memcpy(currencies[n].code, line, 3);
        currencies[n].code[3] = '\0';
        currencies[n].scale = line[4] - '0';
        if (currencies[n].scale < 0 || currencies[n].scale > 4)
            continue;
        n++;
    }
    fclose(f);
    qsort(currencies, n, sizeof(currencies[0]), by_currency);
    ncurrencies = n;
    return HC_OK;
}

int hc_currency_scale(const char *code)
{
    if (code == NULL || strlen(code) != 3)
        return -1;
    for (int i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return -1;
    if (ncurrencies > 0) {
        const void *hit = bsearch(code, currencies, ncurrencies, sizeof(currencies[0]), by_currency);
        return hit ? ((const struct currency *)hit)->scale : -1;
    }
    /* no table loaded (unit tests of base alone): the common exceptions */
    static const char *zero[] = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG"};
    static const char *three[] = {"KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"};
    for (size_t i = 0; i < HC_ARRAY_LEN(zero); i++)
        if (strcmp(code, zero[i]) == 0)
            return 0;
    for (size_t i = 0; i < HC_ARRAY_LEN(three); i++)
        if (strcmp(code, three[i]) == 0)
            return 3;
    return 2;
}

size_t hc_csv_split(char *line, char **f, size_t max)
{
    HC_ASSERT(max > 0);
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ')
            p++;
        if (n == max)
            return max + 1; /* a field beyond max */
        char *end;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') /* "" */
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            end = strchr(p, ',');
            *w = '\0';
        } else {
            f[n++] = p;
            end = strchr(p, ',');
            if (end)
                *end = '\0';
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(f[i]);
        while (l > 0 && (f[i][l - 1] == ' ' || f[i][l - 1] == '\r'))
            f[i][--l] = '\0';
    }
    return n;
}

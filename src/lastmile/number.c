/* number.c: check digits and the tracking numbers haicang gives its parcels.
 * UPU S10 (UPU standard S10-12, "Identification of postal items"): two
 * letters naming the service, an 8-digit serial, a check digit (weights
 * 8 6 4 2 3 5 9 7; 11 - sum mod 11; 10 gives 0 and 11 gives 5) and the ISO
 * country of the issuing post. GS1 SSCC-18 (GS1 General Specifications
 * 2.2.1 and 7.9.1): extension digit, GS1 company prefix, serial reference,
 * mod-10 check digit (weights 3 and 1 alternating from the right). */
#include "lastmile.h"

#include <stdio.h>
#include <string.h>

static bool upper2(const char *s)
{
    return s && strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

int hc_lm_s10_check(const char *d)
{
    static const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    if (d == NULL || strlen(d) < 8 || !hc_all_digits(d, 8))
        return -1;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (d[i] - '0') * w[i];
    int c = 11 - sum % 11;
    return c == 10 ? 0 : c == 11 ? 5 : c;
}

bool hc_lm_s10_format(const char *indicator, int64_t serial, const char *country, char out[14])
{
    if (!upper2(indicator) || !upper2(country) || serial < 0 || serial > 99999999)
        return false;
    char d[9];
    snprintf(d, sizeof(d), "%08lld", (long long)serial);
    snprintf(out, 14, "%s%s%d%s", indicator, d, hc_lm_s10_check(d), country);
    return true;
}

bool hc_lm_s10_valid(const char *s)
{
    if (s == NULL || strlen(s) != 13)
        return false;
    char a[3] = {s[0], s[1], 0}, c[3] = {s[11], s[12], 0};
    return upper2(a) && upper2(c) && hc_all_digits(s + 2, 9) &&
           hc_lm_s10_check(s + 2) == s[10] - '0';
}

int hc_gs1_check(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        char c = d[n - 1 - i];
        if (c < '0' || c > '9')
            return -1;
        sum += (c - '0') * (i % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10;
}

bool hc_lm_sscc_format(int extension, const char *prefix, int64_t serial, char out[19])
{
    size_t np = prefix ? strlen(prefix) : 0;
    if (extension < 0 || extension > 9 || np < 7 || np > 10 || !hc_all_digits(prefix, np) ||
        serial < 0)
        return false;
    int width = 16 - (int)np; /* serial reference digits */
    int64_t limit = 1;
    for (int i = 0; i < width; i++)
        limit *= 10;
    if (serial >= limit)
        return false;
    char body[48];
    snprintf(body, sizeof(body), "%d%s%0*lld", extension, prefix, width, (long long)serial);
    HC_ASSERT(strlen(body) == 17);
    memcpy(out, body, 17);
    out[17] = (char)('0' + hc_gs1_check(body, 17));
    out[18] = '\0';
    return true;
}

bool hc_lm_sscc_valid(const char *s)
{
    return s && strlen(s) == 18 && hc_all_digits(s, 18) && hc_gs1_check(s, 17) == s[17] - '0';
}

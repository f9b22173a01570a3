/* validators.c: how many identity numbers per second the rules of
 * src/compliance/checkdigits.c check, one core. Inputs are generated (a
 * deterministic xorshift), half of them with a correct check character or
 * digits, so both outcomes are timed; the count of valid ones is printed so
 * the work cannot be optimised away. See bench/RESULTS.md, "Identity number
 * rules". Usage: identity_validators [N] (default 1,000,000 per rule). */
#include "compliance/compliance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long state = 88172645463325252ULL;

static unsigned next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (unsigned)state;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define SLOT 20

/* n numbers of one kind into buf (SLOT bytes each). */
typedef void (*gen_fn)(char *out, unsigned i);

static void gen_uscc(char *out, unsigned i)
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    memcpy(out, "91", 2);
    for (int k = 2; k < 8; k++)
        out[k] = (char)('0' + next() % 10);
    for (int k = 8; k < 17; k++)
        out[k] = cs[next() % 31];
    out[17] = i % 2 ? hc_uscc_check_char(out) : cs[next() % 31];
    out[18] = '\0';
}

static void gen_digits(char *out, const char *prefix, int n)
{
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    for (int k = 0; k < n; k++)
        out[p + (size_t)k] = (char)('0' + next() % 10);
    out[p + (size_t)n] = '\0';
}

static void gen_de(char *out, unsigned i) { (void)i; gen_digits(out, "DE", 9); }
static void gen_fr(char *out, unsigned i) { (void)i; gen_digits(out, "FR", 11); }
static void gen_nl(char *out, unsigned i) { (void)i; gen_digits(out, "NL", 9); strcat(out, "B01"); }
static void gen_gb(char *out, unsigned i) { (void)i; gen_digits(out, "GB", 9); }
static void gen_ioss(char *out, unsigned i) { (void)i; gen_digits(out, "IM276", 7); }

static double run(const char *name, const char *(*rule)(const char *), gen_fn gen, unsigned n)
{
    char *buf = malloc((size_t)n * SLOT);
    if (buf == NULL)
        exit(1);
    for (unsigned i = 0; i < n; i++)
        gen(buf + (size_t)i * SLOT, i);
    unsigned valid = 0;
    double t0 = now_s();
    for (unsigned i = 0; i < n; i++)
        valid += rule(buf + (size_t)i * SLOT) == NULL;
    double s = now_s() - t0;
    printf("%-22s %9u checks  %6.3f s  %12.0f /s  (%u valid)\n", name, n, s, n / s, valid);
    free(buf);
    return n / s;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000u;
    if (n == 0)
        n = 1000000u;
    run("USCC (GB 32100-2015)", hc_uscc_problem, gen_uscc, n);
    run("EU VAT DE", hc_eu_vat_problem, gen_de, n);
    run("EU VAT FR", hc_eu_vat_problem, gen_fr, n);
    run("EU VAT NL", hc_eu_vat_problem, gen_nl, n);
    run("UK VAT", hc_uk_vat_problem, gen_gb, n);
    run("IOSS", hc_ioss_problem, gen_ioss, n);
    return 0;
}

/* cmd_settle.c: haicang settlement show|fees|verify — the netting
 * settlement statement of finance/settlement.c from the command line:
 * written as CSV, XLSX (render/), JSON or the signed JSON document (api/),
 * external fees imported from a CSV, and a signed document checked. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "finance/finance.h"
#include "render/render.h"

#define USAGE                                                                                      \
    "usage: haicang settlement show --seller S --from YYYY-MM-DD --to YYYY-MM-DD\n"               \
    "                 [--format csv|xlsx|json|signed] [--lang zh|en] [--out FILE] [--db URL]\n"   \
    "       haicang settlement fees import FILE.csv --seller S [--db URL]\n"                      \
    "         (order,type,amount,currency,date,reference; empty order = a period cost)\n"         \
    "       haicang settlement verify FILE   (a signed settlement document)\n"

static int write_out(const char *out, const void *p, size_t n)
{
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (f == NULL)
        return hc_cli_fail("settlement", "%s: cannot write", out);
    bool ok = fwrite(p, 1, n, f) == n;
    ok = (out ? fclose(f) == 0 : fflush(f) == 0) && ok;
    return ok ? 0 : hc_cli_fail("settlement", "%s: write failed", out ? out : "stdout");
}

static int render(const struct hc_settlement *st, hc_arena *a, const char *fmt, const char *lang,
                  const char *out)
{
    hc_err err = {0};
    if (strcmp(fmt, "json") == 0 || strcmp(fmt, "signed") == 0) {
        char *t = strcmp(fmt, "json") == 0 ? hc_api_settlement_json(st, hc_now_ms())
                                           : hc_api_settlement_signed(st, hc_now_ms(), &err);
        if (t == NULL)
            return err.code ? hc_cli_fail_err("settlement", &err)
                            : hc_cli_fail("settlement", "out of memory");
        int ret = write_out(out, t, strlen(t));
        free(t);
        return ret;
    }
    struct hc_doc d;
    hc_settlement_doc(a, st, lang, &d);
    hc_buf b;
    hc_buf_init(&b, (size_t)1 << 31);
    int rc = strcmp(fmt, "xlsx") == 0 ? hc_render_xlsx(&d, &b, &err) : hc_render_csv(&d, &b, &err);
    int ret = rc == HC_OK ? write_out(out, b.p, b.n) : hc_cli_fail_err("settlement", &err);
    hc_buf_free(&b);
    return ret;
}

static int show(const char *db, const char *seller, const char *from, const char *to,
                const char *fmt, const char *lang, const char *out)
{
    if (seller == NULL || from == NULL || to == NULL)
        return hc_cli_fail("settlement", "show takes --seller, --from and --to");
    if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "json") && strcmp(fmt, "signed"))
        return hc_cli_fail("settlement", "--format: csv, xlsx, json or signed");
    if (strcmp(lang, "zh") && strcmp(lang, "en"))
        return hc_cli_fail("settlement", "--lang: zh or en");
    hc_store *s;
    if (hc_cli_open("settlement", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 20);
    hc_err err = {0};
    struct hc_settlement st;
    int ret = hc_settlement_build(s, a, seller, from, to, hc_now_ms(), &st, &err) == HC_OK
                  ? render(&st, a, fmt, lang, out)
                  : hc_cli_fail_err("settlement", &err);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static int fees_import(const char *db, const char *path, const char *seller)
{
    if (seller == NULL)
        return hc_cli_fail("settlement", "fees import takes --seller");
    char *text;
    size_t n;
    hc_err err = {0};
    if (hc_cli_read_file(path, (size_t)64 << 20, &text, &n, &err) != HC_OK)
        return hc_cli_fail_err("settlement", &err);
    hc_store *s;
    if (hc_cli_open("settlement", db, &s) != 0) {
        free(text);
        return 1;
    }
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_external_fee *fees;
    size_t nf = 0;
    int rc = hc_external_fee_csv_parse(a, text, n, seller, hc_now_ms(), &fees, &nf, &err);
    if (rc == HC_OK && (rc = hc_store_begin(s, &err)) == HC_OK) {
        rc = hc_external_fees_put(s, a, seller, fees, nf, "cli", &err);
        rc = hc_cli_end_tx(s, rc, &err);
    }
    int ret = rc == HC_OK ? (printf("%zu external fees recorded for %s\n", nf, seller), 0)
                          : hc_cli_fail_err("settlement", &err);
    hc_arena_free(a);
    hc_store_close(s);
    free(text);
    return ret;
}

static int verify(const char *path)
{
    char *text;
    size_t n;
    hc_err err = {0};
    if (hc_cli_read_file(path, (size_t)1 << 30, &text, &n, &err) != HC_OK)
        return hc_cli_fail_err("settlement", &err);
    char summary[256];
    int rc = hc_api_settlement_verify(text, n, summary, sizeof(summary), &err);
    free(text);
    if (rc != HC_OK)
        return hc_cli_fail("settlement", "%s: %s%s%s", path, err.field, err.field[0] ? ": " : "",
                           err.msg);
    printf("%s: %s\n", path, summary);
    return 0;
}

int hc_cmd_settlement(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *seller = NULL, *from = NULL, *to = NULL,
               *fmt = "csv", *lang = "en", *out = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},         {"--seller", &seller}, {"--from", &from},
                            {"--to", &to},         {"--format", &fmt},    {"--lang", &lang},
                            {"--out", &out}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 3, &got) != 0)
        return 2;
    const char *sub = got > 0 ? pos[0] : "";
    if (strcmp(sub, "show") == 0 && got == 1)
        return show(db, seller, from, to, fmt, lang, out);
    if (strcmp(sub, "fees") == 0 && got == 3 && strcmp(pos[1], "import") == 0)
        return fees_import(db, pos[2], seller);
    if (strcmp(sub, "verify") == 0 && got == 2)
        return verify(pos[1]);
    fputs(USAGE, stderr);
    return 2;
}

/* ---- demo data: the overseas costs haicang does not book, so the demo's
 * settlement statement has every fee type (docs/money.md) */

struct demo_fees {
    hc_arena *a;
    const char *seller;
    struct hc_external_fee *f;
    size_t n;
};

static int demo_fees_job(hc_store *s, void *ctx, hc_err *err)
{
    struct demo_fees *d = ctx;
    return hc_external_fees_put(s, d->a, d->seller, d->f, d->n, "demo", err);
}

/* Per seller: a last-mile invoice line for each order shipped in the last
 * two weeks, a compensation claim on every 25th, and for the period the
 * head-haul freight, import VAT and duties, and advertising. */
int hc_demo_settlement(hc_db *db, const char *const *sellers, size_t nsellers, size_t *count,
                       hc_err *err)
{
    char today[11], from[11];
    int64_t now = hc_now_ms();
    struct tm tm;
    hc_time_beijing(now, &tm);
    snprintf(today, sizeof(today), "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
    hc_time_beijing(now - 13 * 86400000LL, &tm);
    snprintf(from, sizeof(from), "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
    *count = 0;
    int rc = HC_OK;
    for (size_t k = 0; k < nsellers && rc == HC_OK; k++) {
        hc_arena *a = hc_arena_new(1 << 20);
        hc_store *s;
        struct hc_settlement st;
        if ((rc = hc_store_open(hc_db_url(db), &s, err)) != HC_OK) {
            hc_arena_free(a);
            break;
        }
        rc = hc_settlement_build(s, a, sellers[k], from, today, now, &st, err);
        hc_store_close(s);
        struct demo_fees d = {.a = a, .seller = sellers[k]};
        d.f = hc_arena_alloc(a, (st.norders * 2 + 8) * sizeof(*d.f));
        for (size_t i = 0; rc == HC_OK && i < st.norders; i++) {
            const struct hc_settle_order *o = &st.orders[i];
            bool us = strcmp(o->currency, "USD") == 0;
            d.f[d.n++] = (struct hc_external_fee){.order = o->id, .type = HC_FEE_LASTMILE,
                                                   .minor = us ? 690 : 455, .currency = o->currency,
                                                   .day = o->sold_day,
                                                   .reference = us ? "UPS-INV-DEMO" : "DHL-INV-DEMO"};
            if (i % 25 == 24)
                d.f[d.n++] = (struct hc_external_fee){
                    .order = o->id, .type = HC_FEE_COMPENSATION, .minor = 1500,
                    .currency = o->currency, .day = o->sold_day, .reference = "CLAIM-DEMO"};
        }
        const struct hc_external_fee period[] = {
            {.type = HC_FEE_HEADHAUL, .minor = 240000, .currency = "EUR", .day = today,
             .reference = "FRT-CNSZX-DUI-DEMO"},
            {.type = HC_FEE_HEADHAUL, .minor = 180000, .currency = "USD", .day = today,
             .reference = "FRT-CNSZX-LAX-DEMO"},
            {.type = HC_FEE_TAXES, .minor = 85000, .currency = "EUR", .day = today,
             .reference = "DE-EUST-DEMO"},
            {.type = HC_FEE_ADVERTISING, .minor = 60000, .currency = "USD", .day = today,
             .reference = "ADS-AMAZON-DEMO"},
        };
        for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(period); i++)
            d.f[d.n++] = period[i];
        if (rc == HC_OK && (rc = hc_db_write(db, demo_fees_job, &d, err)) == HC_OK)
            *count += d.n;
        hc_arena_free(a);
    }
    return rc;
}

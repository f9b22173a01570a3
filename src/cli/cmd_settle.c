/* cmd_settle.c: haicang settlement show|fees|verify — the netting
 * settlement statement of finance/settlement.c from the command line:
 * written as CSV, XLSX (render/), JSON or the signed JSON document (api/),
 * external fees imported from a CSV, and a signed document checked. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "finance/finance.h"
#include "render/render.h"

#define USAGE                                                                                      \
    "usage: haicang settlement show --seller S --from YYYY-MM-DD --to YYYY-MM-DD\n"               \
    "                 [--format csv|xlsx|json|signed] [--lang zh|en] [--out FILE] [--db URL]\n"   \
    "       haicang settlement fees import FILE.csv --seller S [--db URL]\n"                      \
    "         (order,type,amount,currency,date,reference; empty order = a period cost)\n"         \
    "       haicang settlement verify FILE   (a signed settlement document)\n"

static int fail_err(const hc_err *err)
{
    return hc_cli_fail("settlement", "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

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
            return err.code ? fail_err(&err) : hc_cli_fail("settlement", "out of memory");
        int ret = write_out(out, t, strlen(t));
        free(t);
        return ret;
    }
    struct hc_doc d;
    hc_settlement_doc(a, st, lang, &d);
    hc_buf b;
    hc_buf_init(&b, (size_t)1 << 31);
    int rc = strcmp(fmt, "xlsx") == 0 ? hc_render_xlsx(&d, &b, &err) : hc_render_csv(&d, &b, &err);
    int ret = rc == HC_OK ? write_out(out, b.p, b.n) : fail_err(&err);
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
                  : fail_err(&err);
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
        return fail_err(&err);
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
                          : fail_err(&err);
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
        return fail_err(&err);
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

/* cmd_finance.c: haicang statement SELLER MONTH and haicang invoice
 * issue|show — the statements and invoices of finance/ from the command
 * line, written by render/ as PDF, XLSX or CSV. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "finance/finance.h"
#include "render/render.h"

/* Renders d as fmt into out (a file, or stdout when NULL). */
static int write_doc(const char *cmd, const struct hc_doc *d, const char *fmt, const char *out)
{
    hc_buf b;
    hc_err err = {0};
    hc_buf_init(&b, (size_t)1 << 31);
    int rc = strcmp(fmt, "pdf") == 0    ? hc_render_pdf(d, &b, &err)
             : strcmp(fmt, "xlsx") == 0 ? hc_render_xlsx(d, &b, &err)
                                        : hc_render_csv(d, &b, &err);
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return hc_cli_fail_err(cmd, &err);
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (f == NULL) {
        hc_buf_free(&b);
        return hc_cli_fail(cmd, "%s: cannot write", out);
    }
    bool ok = fwrite(b.p, 1, b.n, f) == b.n;
    if (out)
        ok = fclose(f) == 0 && ok;
    else
        ok = fflush(f) == 0 && ok;
    hc_buf_free(&b);
    return ok ? 0 : hc_cli_fail(cmd, "%s: write failed", out ? out : "stdout");
}

static bool one_of(const char *v, const char *a, const char *b, const char *c)
{
    return strcmp(v, a) == 0 || strcmp(v, b) == 0 || (c && strcmp(v, c) == 0);
}

int hc_cmd_statement(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *fmt = "csv", *out = NULL, *lang = "en";
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}, {"--format", &fmt}, {"--out", &out}, {"--lang", &lang}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got != 2) {
        fputs("usage: haicang statement SELLER YYYY-MM [--format pdf|xlsx|csv] [--out FILE]"
              " [--lang zh|en] [--db URL]\n",
              stderr);
        return 2;
    }
    if (!one_of(fmt, "pdf", "xlsx", "csv"))
        return hc_cli_fail("statement", "--format: pdf, xlsx or csv");
    if (!one_of(lang, "zh", "en", NULL))
        return hc_cli_fail("statement", "--lang: zh or en");
    hc_store *s;
    if (hc_cli_open("statement", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 20);
    hc_err err = {0};
    struct hc_statement st;
    struct hc_doc d;
    int ret;
    if (hc_statement_build(s, a, pos[0], pos[1], hc_now_ms(), &st, &err) != HC_OK) {
        ret = hc_cli_fail_err("statement", &err);
    } else {
        hc_statement_doc(a, &st, lang, &d);
        ret = write_doc("statement", &d, fmt, out);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static void print_invoice(const struct hc_invoice *inv)
{
    printf("%s  %s  %s -> %s  %s\n", inv->number, inv->id, inv->issuer, inv->seller, inv->month);
    for (size_t i = 0; i < inv->nlines; i++) {
        char amt[40];
        int sc = hc_currency_scale(inv->lines[i].currency);
        hc_decimal_format(inv->lines[i].amount, sc < 0 ? 2 : sc, amt, sizeof(amt));
        printf("  %-12s %6lld  %14s %s\n", inv->lines[i].cause_kind,
               (long long)inv->lines[i].lines, amt, inv->lines[i].currency);
    }
    for (size_t i = 0; i < inv->ntotals; i++) {
        char amt[40];
        int sc = hc_currency_scale(inv->totals[i].currency);
        hc_decimal_format(inv->totals[i].amount, sc < 0 ? 2 : sc, amt, sizeof(amt));
        printf("  %-12s %6s  %14s %s\n", "total", "", amt, inv->totals[i].currency);
    }
}

int hc_cmd_invoice(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *seller = NULL, *wh = NULL, *month = NULL,
               *fmt = NULL, *out = NULL, *lang = "en";
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},         {"--seller", &seller}, {"--warehouse", &wh},
                            {"--month", &month},   {"--format", &fmt},    {"--out", &out},
                            {"--lang", &lang}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    const char *sub = got > 0 ? pos[0] : "";
    bool issue = strcmp(sub, "issue") == 0, show = strcmp(sub, "show") == 0;
    if ((!issue && !show) || (issue && got != 1) || (show && got != 2)) {
        fputs("usage: haicang invoice issue --seller CODE --warehouse CODE --month YYYY-MM"
              " [--db URL]\n"
              "       haicang invoice show ID|NUMBER [--format pdf] [--out FILE] [--lang zh|en]"
              " [--db URL]\n",
              stderr);
        return 2;
    }
    if (issue && (seller == NULL || wh == NULL || month == NULL))
        return hc_cli_fail("invoice", "issue takes --seller, --warehouse and --month");
    if (fmt && strcmp(fmt, "pdf") != 0)
        return hc_cli_fail("invoice", "--format: pdf");
    if (!one_of(lang, "zh", "en", NULL))
        return hc_cli_fail("invoice", "--lang: zh or en");
    hc_store *s;
    if (hc_cli_open("invoice", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_invoice inv;
    int rc = HC_OK, ret = 0;
    if (issue) {
        rc = hc_store_begin(s, &err);
        if (rc == HC_OK)
            rc = hc_invoice_issue(s, a, seller, wh, month, hc_now_ms(), "cli", &inv, &err);
        rc = hc_cli_end_tx(s, rc, &err);
    } else {
        rc = hc_invoice_get(s, a, pos[1], &inv, &err);
    }
    if (rc != HC_OK) {
        ret = hc_cli_fail_err("invoice", &err);
    } else if (fmt) {
        struct hc_doc d;
        hc_invoice_doc(a, &inv, lang, &d);
        ret = write_doc("invoice", &d, fmt, out);
    } else {
        print_invoice(&inv);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

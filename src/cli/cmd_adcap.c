/* cmd_adcap.c: `haicang adcap spend import|list`, `adcap category set|list`
 * and `adcap report`: the advertising deduction cap (EIT Art. 44) through
 * the same src/finance/adcap.c calls the API's handlers make. An import is
 * one transaction: every row or none. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finance/finance.h"

#define CSV_MAX (16u << 20)

static const char USAGE[] =
    "usage: haicang adcap spend import FILE.csv --seller S [--db URL]\n"
    "         rows: channel,month,amount,currency[,fx_day[,reference]]\n"
    "       haicang adcap spend list --seller S [--year YYYY] [--db URL]\n"
    "       haicang adcap category set --seller S --category C --from-year YYYY [--rate PCT]\n"
    "         C: general (15 %), cosmetics, pharmaceuticals, soft_drinks (30 %), tobacco (0)\n"
    "       haicang adcap category list --seller S [--db URL]\n"
    "       haicang adcap report --seller S --year YYYY [--db URL]   (amounts in CNY)\n";

static void fen(const char *label, int64_t minor)
{
    char buf[48];
    hc_decimal_format(minor, 2, buf, sizeof(buf));
    printf("%s%s", label, buf);
}

struct spend_job {
    hc_arena *a;
    const char *seller;
    struct hc_ad_spend *rows;
    size_t n;
};

static int spend_job(hc_store *s, void *ctx, hc_err *err)
{
    struct spend_job *j = ctx;
    return hc_adcap_spend_put(s, j->a, j->seller, j->rows, j->n, "cli", err);
}

static int spend_import(const char *url, const char *file, const char *seller)
{
    hc_err err = {0};
    char *text = NULL;
    size_t len = 0;
    hc_arena *a = hc_arena_new(1 << 16);
    struct spend_job j = {.a = a, .seller = seller};
    int rc = hc_cli_read_file(file, CSV_MAX, &text, &len, &err);
    if (rc == HC_OK && (!hc_utf8_valid(text, len) || memchr(text, '\0', len)))
        rc = hc_err_set(&err, HC_EINVAL, "file", "%s is not UTF-8 text", file);
    if (rc == HC_OK)
        rc = hc_adcap_spend_csv_parse(a, text, len, &j.rows, &j.n, &err);
    free(text);
    if (rc == HC_OK)
        rc = hc_cli_write("adcap", url, spend_job, &j, &err);
    if (rc == HC_OK)
        printf("imported %zu spend rows for %s\n", j.n, seller);
    hc_arena_free(a);
    return rc == HC_OK ? 0 : hc_cli_fail_err("adcap", &err);
}

static int parse_year(const char *s, int *year)
{
    int64_t v;
    if (s == NULL || hc_parse_i64(s, HC_ADCAP_YEAR_MIN, HC_ADCAP_YEAR_MAX, &v) != HC_OK)
        return hc_cli_fail("adcap", "--year / --from-year: a year from %d", HC_ADCAP_YEAR_MIN);
    *year = (int)v;
    return 0;
}

static int spend_list(hc_store *s, hc_arena *a, const char *seller, int year, hc_err *err)
{
    struct hc_ad_spend *rows;
    size_t n;
    int rc = hc_adcap_spend_list(s, a, seller, year, &rows, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char amount[48];
        int scale = hc_currency_scale(rows[i].currency);
        hc_decimal_format(rows[i].minor, scale < 0 ? 2 : scale, amount, sizeof(amount));
        printf("%s %-10s %14s %s", rows[i].month, rows[i].channel, amount, rows[i].currency);
        fen("  CNY ", rows[i].cny_minor);
        printf("  rate %s of %s%s%s\n", rows[i].fx_rate, rows[i].fx_day,
               rows[i].reference ? "  ref " : "", rows[i].reference ? rows[i].reference : "");
    }
    if (rc == HC_OK && n == 0)
        printf("no spend\n");
    return rc;
}

static int category_list(hc_store *s, hc_arena *a, const char *seller, hc_err *err)
{
    struct hc_ad_category *rows;
    size_t n;
    int rc = hc_adcap_category_list(s, a, seller, &rows, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char pct[16];
        hc_decimal_format(rows[i].rate_bp, 2, pct, sizeof(pct));
        printf("from %d  %-16s %s %%\n", rows[i].year_from, rows[i].category, pct);
    }
    if (rc == HC_OK && n == 0)
        printf("no category set: general, 15 %%\n");
    return rc;
}

static int report(hc_store *s, hc_arena *a, const char *seller, int year, hc_err *err)
{
    struct hc_adcap_report r;
    int rc = hc_adcap_report(s, a, seller, year, hc_now_ms(), &r, err);
    if (rc != HC_OK)
        return rc;
    printf("advertising cap of %s (EIT Art. 44), CNY\n", seller);
    printf("year category          rate  orders        revenue          spend     carried in"
           "            cap        allowed    carried out\n");
    for (size_t i = 0; i < r.n; i++) {
        const struct hc_adcap_year *y = &r.years[i];
        char pct[16], v[6][32];
        hc_decimal_format(y->rate_bp, 2, pct, sizeof(pct));
        const int64_t f[6] = {y->revenue, y->spend, y->carried_in, y->cap, y->allowed,
                              y->carried_out};
        for (int k = 0; k < 6; k++)
            hc_decimal_format(f[k], 2, v[k], sizeof(v[k]));
        printf("%d %-16s %6s %7lld %14s %14s %14s %14s %14s %14s\n", y->year, y->category, pct,
               (long long)y->orders, v[0], v[1], v[2], v[3], v[4], v[5]);
    }
    return HC_OK;
}

static int category_job(hc_store *s, void *ctx, hc_err *err)
{
    return hc_adcap_category_set(s, ctx, "cli", err);
}

static int category_set(const char *url, const char *seller, const char *category,
                        const char *from_year, const char *rate)
{
    int year = 0;
    if (parse_year(from_year, &year))
        return 1;
    struct hc_ad_category c = {.seller = seller, .category = category, .year_from = year,
                               .rate_bp = -1};
    if (rate && (hc_decimal_parse(rate, 2, &c.rate_bp) != HC_OK || c.rate_bp < 0 ||
                 c.rate_bp > 10000))
        return hc_cli_fail("adcap", "--rate: a percentage from 0 to 100");
    hc_err err = {0};
    if (hc_cli_write("adcap", url, category_job, &c, &err) != HC_OK)
        return hc_cli_fail_err("adcap", &err);
    char pct[16];
    hc_decimal_format(c.rate_bp, 2, pct, sizeof(pct));
    printf("%s: %s (%s %%) from %d\n", seller, category, pct, year);
    return 0;
}

int hc_cmd_adcap(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *seller = NULL, *year = NULL, *category = NULL;
    const char *from_year = NULL, *rate = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},           {"--seller", &seller},
                            {"--year", &year},       {"--category", &category},
                            {"--from-year", &from_year}, {"--rate", &rate}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 3, &got) != 0)
        return 2;
    const char *what = got > 0 ? pos[0] : "", *verb = got > 1 ? pos[1] : "";
    if (seller == NULL || got == 0) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (strcmp(what, "spend") == 0 && strcmp(verb, "import") == 0 && got == 3)
        return spend_import(db, pos[2], seller);
    if (strcmp(what, "category") == 0 && strcmp(verb, "set") == 0 && got == 2) {
        if (category == NULL || from_year == NULL) {
            fputs(USAGE, stderr);
            return 2;
        }
        return category_set(db, seller, category, from_year, rate);
    }
    int y = 0;
    bool list_spend = strcmp(what, "spend") == 0 && strcmp(verb, "list") == 0 && got == 2;
    bool list_cat = strcmp(what, "category") == 0 && strcmp(verb, "list") == 0 && got == 2;
    bool rep = strcmp(what, "report") == 0 && got == 1;
    if (!list_spend && !list_cat && !rep) {
        fputs(USAGE, stderr);
        return 2;
    }
    if ((rep || year) && parse_year(year, &y))
        return 1;
    hc_store *s;
    if (hc_cli_open("adcap", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = list_spend ? spend_list(s, a, seller, y, &err)
             : list_cat ? category_list(s, a, seller, &err)
                        : report(s, a, seller, y, &err);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail_err("adcap", &err);
}

/* ---- the demo's advertising spend ------------------------------------------------------ */
struct demo_ads {
    hc_arena *a;
    int year; /* the running Beijing year */
};

static int demo_put(hc_store *s, struct demo_ads *d, const char *seller, const char *channel,
                    int year, int month, int64_t minor, const char *cur, const char *fx_day,
                    hc_err *err)
{
    struct hc_ad_spend x = {.channel = channel, .currency = cur, .minor = minor,
                            .fx_day = fx_day,
                            .month = hc_arena_printf(d->a, "%04d-%02d", year, month),
                            .reference = hc_arena_printf(d->a, "DEMO-%s-%04d%02d", channel, year,
                                                         month)};
    return hc_adcap_spend_put(s, d->a, seller, &x, 1, "demo", err);
}

static int demo_ads_job(hc_store *s, void *ctx, hc_err *err)
{
    struct demo_ads *d = ctx;
    int y = d->year, rc = HC_OK;
    /* SZ-ANKO spent more than 15 % of nothing in the two years before its
     * first overseas sales: all carried into this year */
    static const struct {
        const char *channel;
        int back, month;
        int64_t minor;
    } anko[] = {{"amazon", 2, 9, 9000000},  {"google", 2, 11, 9000000},
                {"amazon", 1, 3, 12000000}, {"tiktok", 1, 6, 8000000},
                {"meta", 1, 10, 4000000},   {"temu", 0, 1, 3500000}};
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(anko); i++)
        rc = demo_put(s, d, "SZ-ANKO", anko[i].channel, y - anko[i].back, anko[i].month,
                      anko[i].minor, "CNY", NULL, err);
    /* and 4,800.00 USD of TikTok ads in the month of the latest demo USD/CNY rate */
    struct hc_fx_filter f = {.base = "USD", .quote = "CNY", .limit = 1};
    struct hc_fx_rate *r;
    size_t n = 0;
    if (rc == HC_OK)
        rc = hc_fx_rates_list(s, d->a, &f, &r, &n, err);
    if (rc == HC_OK && n == 1 && strncmp(r->day, hc_arena_printf(d->a, "%04d", y), 4) == 0)
        rc = demo_put(s, d, "SZ-ANKO", "tiktok", y, (int)strtol(r->day + 5, NULL, 10), 480000,
                      "USD", r->day, err);
    /* YW-HOMA sells cosmetics from last year on: 30 % */
    struct hc_ad_category c = {.seller = "YW-HOMA", .category = "cosmetics", .year_from = y - 1,
                               .rate_bp = -1};
    if (rc == HC_OK)
        rc = hc_adcap_category_set(s, &c, "demo", err);
    if (rc == HC_OK)
        rc = demo_put(s, d, "YW-HOMA", "douyin", y - 1, 12, 2500000, "CNY", NULL, err);
    if (rc == HC_OK)
        rc = demo_put(s, d, "YW-HOMA", "shein", y, 2, 1800000, "CNY", NULL, err);
    return rc;
}

int hc_demo_adcap(hc_db *db, hc_err *err)
{
    struct tm now;
    hc_time_beijing(hc_now_ms(), &now);
    struct demo_ads d = {.a = hc_arena_new(1 << 14), .year = now.tm_year + 1900};
    int rc = hc_db_write(db, demo_ads_job, &d, err);
    hc_arena_free(d.a);
    return rc;
}

/* cmd_ratecards.c: `haicang rate-cards import FILE.csv` (every card of the
 * file in one transaction: all or none) and `haicang finance storage-run`
 * (the nightly storage charge, now: ended days since the last run, or one
 * date). An .xlsx file is read as its first sheet with the CSV's columns
 * (src/render/sheet_read.c). */
#include "cli.h"

#include "finance/finance.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX (16 << 20)

struct import_job {
    hc_arena *a;
    struct hc_ratecard *cards;
    size_t n;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_job *j = ctx;
    for (size_t i = 0; i < j->n; i++) {
        int rc = hc_ratecard_create(s, j->a, &j->cards[i], "cli", err);
        if (rc != HC_OK) {
            char f[HC_ERR_FIELD_MAX + 32];
            snprintf(f, sizeof(f), "card %zu: %s", i + 1, err->field);
            hc_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
    }
    return HC_OK;
}

static int open_db(const char *cmd, const char *url, hc_db **db)
{
    hc_store *s;
    if (hc_cli_open(cmd, url, &s) != 0) /* migrates */
        return 1;
    hc_store_close(s);
    hc_err err = {0};
    if (hc_db_open(url, NULL, db, &err) != HC_OK)
        return hc_cli_fail_err(cmd, &err);
    return 0;
}

int hc_cmd_rate_cards(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got != 2 || strcmp(pos[0], "import") != 0) {
        fputs("usage: haicang rate-cards import FILE.csv|FILE.xlsx [--db URL]\n"
              "  rows: card,warehouse,seller,currency,effective_from,effective_to,item,from,to,"
              "rate\n",
              stderr);
        return 2;
    }
    size_t len = strlen(pos[1]);
    bool xlsx = len > 5 && strcasecmp(pos[1] + len - 5, ".xlsx") == 0;
    hc_err err = {0};
    char *data = NULL;
    size_t nbytes = 0;
    hc_arena *a = hc_arena_new(1 << 16);
    struct import_job j = {.a = a};
    struct hc_sheet sheet;
    hc_db *d = NULL;
    int ret = 0;
    size_t max = xlsx ? HC_SHEET_FILE_MAX : CSV_MAX;
    if (hc_cli_read_file(pos[1], max, &data, &nbytes, &err) != HC_OK ||
        (xlsx ? hc_sheet_read_xlsx(a, data, nbytes, &sheet, &err) ||
                    hc_ratecard_sheet_parse(a, &sheet, &j.cards, &j.n, &err)
              : hc_ratecard_csv_parse(a, data, nbytes, &j.cards, &j.n, &err)) != HC_OK) {
        ret = hc_cli_fail_err("rate-cards", &err);
        goto done;
    }
    if ((ret = open_db("rate-cards", db, &d)) != 0)
        goto done;
    if (hc_db_write(d, import_job, &j, &err) != HC_OK) {
        ret = hc_cli_fail_err("rate-cards", &err);
        goto done;
    }
    for (size_t i = 0; i < j.n; i++)
        printf("%s %s %s v%lld from %s\n", j.cards[i].id, j.cards[i].warehouse,
               j.cards[i].seller ? j.cards[i].seller : "*", (long long)j.cards[i].version,
               j.cards[i].effective_from);
    printf("%zu rate cards imported\n", j.n);
done:
    if (d)
        hc_db_close(d);
    hc_arena_free(a);
    free(data);
    return ret;
}

int hc_cmd_finance(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL, *date = NULL;
    const char *pos[1] = {NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}, {"--warehouse", &wh}, {"--date", &date}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    if (got != 1 || strcmp(pos[0], "storage-run") != 0) {
        fputs("usage: haicang finance storage-run [--warehouse W] [--date YYYY-MM-DD] [--db URL]\n",
              stderr);
        return 2;
    }
    hc_db *d;
    if (open_db("finance", db, &d) != 0)
        return 1;
    hc_err err = {0};
    struct hc_storage_result r;
    int64_t t0 = hc_mono_ns();
    int rc = hc_storage_run(d, wh, date, "cli", &r, &err);
    hc_db_close(d);
    if (rc != HC_OK)
        return hc_cli_fail_err("finance", &err);
    printf("storage run: %d warehouse-days, %d entries, %lld lots priced, %.3f s\n", r.days,
           r.entries, (long long)r.lots, (double)(hc_mono_ns() - t0) / 1e9);
    return 0;
}

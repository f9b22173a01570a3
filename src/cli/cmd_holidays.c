/* cmd_holidays.c: `haicang holidays import FILE.csv` (all rows of the file
 * in one transaction, replacing rows of the same country, region and date),
 * `holidays list [--country CC] [--region R] [--year YYYY]`, a warehouse's
 * region (`holidays region WH R`) and closed days (`holidays close WH DAY
 * [--reason T]`, `holidays open WH DAY`). The same domain calls as the API. */
#include "cli.h"

#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail_err(const hc_err *err)
{
    return hc_cli_fail("holidays", "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

struct import_job {
    struct hc_lm_holiday *rows;
    size_t n;
    int64_t added, replaced;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_job *j = ctx;
    return hc_lm_holidays_import(s, j->rows, j->n, "cli", &j->added, &j->replaced, err);
}

/* Runs job in one write transaction of db (migrated first). */
static int write_db(const char *db, hc_write_fn job, void *ctx, hc_err *err)
{
    hc_store *s;
    if (hc_cli_open("holidays", db, &s) != 0) /* migrates */
        return hc_err_set(err, HC_EINTERNAL, "db", "cannot open %s", db);
    hc_store_close(s);
    hc_db *d = NULL;
    int rc = hc_db_open(db, NULL, &d, err);
    if (rc == HC_OK)
        rc = hc_db_write(d, job, ctx, err);
    if (d)
        hc_db_close(d);
    return rc;
}

static int holidays_import(const char *db, const char *path)
{
    hc_err err = {0};
    char *data = NULL;
    size_t n = 0;
    hc_arena *a = hc_arena_new(1 << 16);
    struct import_job j = {0};
    int ret = 0;
    if (hc_cli_read_file(path, 4u << 20, &data, &n, &err) != HC_OK ||
        hc_lm_holidays_csv(a, data, n, &j.rows, &j.n, &err) != HC_OK ||
        write_db(db, import_job, &j, &err) != HC_OK)
        ret = fail_err(&err);
    else
        printf("%zu holidays imported (%lld added, %lld replaced)\n", j.n, (long long)j.added,
               (long long)j.replaced);
    free(data);
    hc_arena_free(a);
    return ret;
}

static int holidays_list(const char *db, const char *country, const char *region,
                         const char *year)
{
    int64_t y = 0;
    if (year && hc_parse_i64(year, 1900, 2999, &y) != HC_OK)
        return hc_cli_fail("holidays", "--year: must be a year YYYY");
    hc_store *s;
    if (hc_cli_open("holidays", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_lm_holiday_filter f = {.country = country, .region = region, .limit = 1000};
    if (region && strcmp(region, "-") == 0)
        f.region = "";
    if (year) {
        f.from = hc_arena_printf(a, "%04lld-01-01", (long long)y);
        f.to = hc_arena_printf(a, "%04lld-12-31", (long long)y);
    }
    struct hc_lm_holiday probe = {country ? country : "DE", f.region ? f.region : "",
                                  "2026-01-01", "x"};
    int ret = 0;
    size_t total = 0;
    printf("%-7s %-8s %-10s %-3s %s\n", "country", "region", "date", "day", "name");
    static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    do {
        struct hc_lm_holiday *v;
        size_t n = 0;
        const char *next = NULL;
        if (hc_lm_holiday_check(&probe, "--", &err) != HC_OK ||
            hc_lm_holidays_list(s, a, &f, &v, &n, &next, &err) != HC_OK) {
            ret = fail_err(&err);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            int64_t d = 0;
            hc_lm_day_parse(v[i].day, &d);
            printf("%-7s %-8s %-10s %-3s %s\n", v[i].country, v[i].region[0] ? v[i].region : "-",
                   v[i].day, wd[hc_lm_weekday(d) - 1], v[i].name);
        }
        total += n;
        f.cursor = next;
    } while (f.cursor);
    if (ret == 0)
        printf("%zu holidays\n", total);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

struct wh_job {
    const char *warehouse, *day, *region, *reason;
    int what; /* 'r' region, 'c' close, 'o' open */
};

static int wh_job(hc_store *s, void *ctx, hc_err *err)
{
    struct wh_job *j = ctx;
    if (j->what == 'r')
        return hc_lm_holiday_region_set(s, j->warehouse, j->region, err);
    if (j->what == 'o')
        return hc_lm_closed_day_delete(s, j->warehouse, j->day, err);
    struct hc_lm_closed_day d = {j->warehouse, j->day, j->reason ? j->reason : ""};
    return hc_lm_closed_day_put(s, &d, "cli", err);
}

static int warehouse_change(const char *db, struct wh_job *j)
{
    hc_err err = {0};
    int64_t d;
    if (j->what != 'r' && !hc_lm_day_parse(j->day, &d))
        return hc_cli_fail("holidays", "DAY: must be a real date YYYY-MM-DD");
    if (write_db(db, wh_job, j, &err) != HC_OK)
        return fail_err(&err);
    if (j->what == 'r')
        printf("%s: holiday region %s\n", j->warehouse, j->region[0] ? j->region : "(none)");
    else
        printf("%s: %s %s\n", j->warehouse, j->what == 'c' ? "closed on" : "open again on",
               j->day);
    return 0;
}

int hc_cmd_holidays(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *country = NULL, *region = NULL, *year = NULL,
               *reason = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},
                            {"--country", &country},
                            {"--region", &region},
                            {"--year", &year},
                            {"--reason", &reason}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 3, &got) != 0)
        return 2;
    const char *cmd = got ? pos[0] : "";
    if (got == 2 && strcmp(cmd, "import") == 0)
        return holidays_import(db, pos[1]);
    if (got == 1 && strcmp(cmd, "list") == 0)
        return holidays_list(db, country, region, year);
    struct wh_job j = {.warehouse = pos[1], .day = pos[2], .region = pos[2], .reason = reason};
    if (got == 3 && strcmp(cmd, "region") == 0)
        j.what = 'r';
    else if (got == 3 && strcmp(cmd, "close") == 0)
        j.what = 'c';
    else if (got == 3 && strcmp(cmd, "open") == 0)
        j.what = 'o';
    if (j.what)
        return warehouse_change(db, &j);
    fputs("usage: haicang holidays import FILE.csv | holidays list [--country CC] [--region R|-]"
          " [--year YYYY] | holidays region WH R | holidays close WH DAY [--reason T] |"
          " holidays open WH DAY [--db URL]\n"
          "  rows: country,region,date,name (data/holidays/README.md)\n",
          stderr);
    return 2;
}

/* The shipped calendars of data/holidays (one file per country), and the
 * demo warehouse DE-DUI closed on 31 December for its stock-take. */
static const char *const SHIPPED[] = {"DE", "FR", "NL", "PL", "ES", "IT", "GB", "US"};

static int demo_holidays_tx(hc_store *s, hc_arena *a, FILE *out, hc_err *err)
{
    size_t total = 0;
    for (size_t i = 0; i < HC_ARRAY_LEN(SHIPPED); i++) {
        char path[1024], *text = NULL;
        size_t n = 0, nrows = 0;
        struct hc_lm_holiday *rows;
        int64_t added, replaced;
        const char *name = hc_arena_printf(a, "data/holidays/%s.csv", SHIPPED[i]);
        int rc = hc_data_path(name, path, sizeof(path)) == HC_OK
                     ? hc_cli_read_file(path, 4u << 20, &text, &n, err)
                     : hc_err_set(err, HC_ENOTFOUND, "data", "no %s", path);
        if (rc == HC_OK)
            rc = hc_lm_holidays_csv(a, text, n, &rows, &nrows, err);
        free(text);
        if (rc == HC_OK)
            rc = hc_lm_holidays_import(s, rows, nrows, "demo", &added, &replaced, err);
        if (rc != HC_OK)
            return rc;
        total += nrows;
    }
    struct hc_lm_closed_day stocktake = {"DE-DUI", "2026-12-31", "Inventur / stock-take"};
    int rc = hc_lm_closed_day_put(s, &stocktake, "demo", err);
    if (rc == HC_OK)
        fprintf(out, "holidays: %zu public holidays of %zu countries (data/holidays); DE-DUI"
                     " closed on 2026-12-31\n",
                total, HC_ARRAY_LEN(SHIPPED));
    return rc;
}

int hc_demo_holidays(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, demo_holidays_tx(s, a, out, err), err);
    hc_arena_free(a);
    return rc;
}

/* cmd_import.c: haicang import skus|orders FILE.csv. Rows are checked as
 * they are read, then written through the group-commit writer with many in
 * flight, so a large file costs a few fsyncs, not one per row. Every row
 * that fails is reported with its number and the field. */
#include "cli.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "orders/orders.h"

#define IN_FLIGHT 2048
#define REPORT_MAX 1000

struct importer {
    hc_db *db;
    sem_t window;
    pthread_mutex_t mu;
    long ok, failed, reported;
    FILE *report;
};

struct row_job {
    struct importer *im;
    long row;
    hc_arena *arena;
    struct hc_sku sku;
    struct hc_order order;
    bool is_order;
    bool bad; /* a row of this order failed: the whole order is dropped */
};

static void report(struct importer *im, long row, const hc_err *err)
{
    pthread_mutex_lock(&im->mu);
    im->failed++;
    if (im->reported++ < REPORT_MAX)
        fprintf(im->report, "row %ld: %s%s%s\n", row, err->field, err->field[0] ? ": " : "",
                err->msg);
    pthread_mutex_unlock(&im->mu);
}

static int sku_job(hc_store *s, void *ctx, hc_err *err)
{
    struct row_job *j = ctx;
    int64_t one;
    if (hc_store_int(s, err, &one, "SELECT 1 FROM sellers WHERE code = ?", "s", j->sku.seller)) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", j->sku.seller);
    }
    return hc_sku_create(s, &j->sku, err);
}

static int order_job(hc_store *s, void *ctx, hc_err *err)
{
    struct row_job *j = ctx;
    bool existed;
    int rc = hc_order_create(s, j->arena, &j->order, "cli-import", &existed, err);
    if (rc == HC_OK && existed)
        return hc_err_set(err, HC_ECONFLICT, "channel_order_id", "order %s exists already (%s)",
                          j->order.channel_order_id, j->order.id);
    return rc;
}

static void job_done(void *ctx, int rc, const hc_err *err)
{
    struct row_job *j = ctx;
    struct importer *im = j->im;
    if (rc != HC_OK) {
        report(im, j->row, err);
    } else {
        pthread_mutex_lock(&im->mu);
        im->ok++;
        pthread_mutex_unlock(&im->mu);
    }
    hc_arena_free(j->arena);
    free(j);
    sem_post(&im->window);
}

static void submit(struct importer *im, struct row_job *j)
{
    if (j->bad) {
        hc_arena_free(j->arena);
        free(j);
        return;
    }
    while (sem_wait(&im->window) != 0)
        ;
    hc_db_write_async(im->db, j->is_order ? order_job : sku_job, j, job_done);
}

/* Column positions by header name. */
struct columns {
    const char *names[24];
    int at[24];
    int n;
};

static int header(struct csv *c, struct columns *cols, const char **required, hc_err *err)
{
    for (int k = 0; k < cols->n; k++) {
        cols->at[k] = -1;
        for (int i = 0; i < c->nfields; i++)
            if (strcmp(c->field[i], cols->names[k]) == 0)
                cols->at[k] = i;
    }
    for (const char **r = required; *r; r++)
        for (int k = 0; k < cols->n; k++)
            if (strcmp(cols->names[k], *r) == 0 && cols->at[k] < 0)
                return hc_err_set(err, HC_EINVAL, *r, "the header lacks the column %s", *r);
    return HC_OK;
}

static const char *col(struct csv *c, const struct columns *cols, int k, hc_arena *a)
{
    int i = cols->at[k];
    if (i < 0 || i >= c->nfields || c->field[i][0] == '\0')
        return NULL;
    return hc_arena_strdup(a, c->field[i]);
}

static int num(const char *v, const char *field, int64_t *out, hc_err *err)
{
    if (v == NULL || hc_parse_i64(v, INT64_MIN, INT64_MAX, out) != HC_OK)
        return hc_err_set(err, HC_EINVAL, field, "must be an integer");
    return HC_OK;
}

enum { S_SELLER, S_SKU, S_NAME, S_NAME_ZH, S_HS, S_VALUE, S_CUR, S_ORIGIN, S_L, S_W, S_H, S_WEIGHT,
       S_BARCODE, S_BRAND, S_N };

static int parse_sku(struct csv *c, const struct columns *cols, struct row_job *j, hc_err *err)
{
    hc_arena *a = j->arena;
    struct hc_sku *s = &j->sku;
    s->seller = col(c, cols, S_SELLER, a);
    s->sku = col(c, cols, S_SKU, a);
    s->name = col(c, cols, S_NAME, a);
    s->name_zh = col(c, cols, S_NAME_ZH, a);
    s->hs_code = col(c, cols, S_HS, a);
    s->currency = col(c, cols, S_CUR, a);
    s->origin_country = col(c, cols, S_ORIGIN, a);
    s->barcode = col(c, cols, S_BARCODE, a);
    s->brand = col(c, cols, S_BRAND, a);
    const char *value = col(c, cols, S_VALUE, a);
    int scale = hc_currency_scale(s->currency);
    if (scale < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "must be an ISO 4217 code");
    if (value == NULL || hc_decimal_parse(value, scale, &s->value_minor) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "declared_value",
                          "must be a decimal with at most %d fraction digits", scale);
    static const char *dn[3] = {"length_mm", "width_mm", "height_mm"};
    for (int i = 0; i < 3; i++)
        if (num(col(c, cols, S_L + i, a), dn[i], &s->dims_mm[i], err))
            return err->code;
    if (num(col(c, cols, S_WEIGHT, a), "weight_g", &s->weight_g, err))
        return err->code;
    return hc_sku_validate(s, err);
}

enum { O_SELLER, O_CHANNEL, O_ID, O_NAME, O_COUNTRY, O_POSTCODE, O_CITY, O_LINE1, O_SKU, O_QTY,
       O_PRICE, O_CUR, O_N };

/* Rows of one order are consecutive; the order is submitted when the next
 * row names another. */
static int add_order_row(struct csv *c, const struct columns *cols, struct row_job *j,
                         hc_err *err)
{
    hc_arena *a = j->arena;
    struct hc_order *o = &j->order;
    if (o->nlines == 0) {
        o->seller = col(c, cols, O_SELLER, a);
        o->channel = col(c, cols, O_CHANNEL, a);
        o->channel_order_id = col(c, cols, O_ID, a);
        o->ship_country = col(c, cols, O_COUNTRY, a);
        const char *f[5] = {col(c, cols, O_NAME, a), o->ship_country,
                            col(c, cols, O_POSTCODE, a), col(c, cols, O_CITY, a),
                            col(c, cols, O_LINE1, a)};
        static const char *fn[5] = {"ship_name", "ship_country", "ship_postcode", "ship_city",
                                    "ship_line1"};
        static const size_t fmax[5] = {100, 2, 20, 100, 200};
        hc_buf b;
        hc_buf_init(&b, 4096);
        hc_buf_puts(&b, "{");
        static const char *keys[5] = {"name", "country", "postcode", "city", "line1"};
        for (int i = 0; i < 5; i++) {
            if (hc_check_text(f[i], fn[i], fmax[i], false, err)) {
                hc_buf_free(&b);
                return err->code;
            }
            hc_buf_printf(&b, "%s\"%s\":\"", i ? "," : "", keys[i]);
            for (const char *p = f[i]; *p; p++) {
                if (*p == '"' || *p == '\\')
                    hc_buf_add(&b, "\\", 1);
                hc_buf_add(&b, p, 1);
            }
            hc_buf_puts(&b, "\"");
        }
        hc_buf_puts(&b, "}");
        o->ship_to_json = hc_arena_strdup(a, b.p);
        o->ship_name = f[0];
        hc_buf_free(&b);
        o->lines = hc_arena_alloc(a, sizeof(*o->lines) * HC_ORDER_LINES_MAX);
    }
    if (o->nlines == HC_ORDER_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_ORDER_LINES_MAX);
    struct hc_order_line *l = &o->lines[o->nlines];
    l->sku = col(c, cols, O_SKU, a);
    l->currency = col(c, cols, O_CUR, a);
    int scale = hc_currency_scale(l->currency);
    if (scale < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "must be an ISO 4217 code");
    const char *price = col(c, cols, O_PRICE, a);
    if (price == NULL || hc_decimal_parse(price, scale, &l->price_minor) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "unit_price",
                          "must be a decimal with at most %d fraction digits", scale);
    if (num(col(c, cols, O_QTY, a), "qty", &l->qty, err))
        return err->code;
    o->nlines++;
    return HC_OK;
}

static bool same_order(struct csv *c, const struct columns *cols, const struct hc_order *o)
{
    const char *v[3] = {o->seller, o->channel, o->channel_order_id};
    for (int k = 0; k < 3; k++) {
        int i = cols->at[k];
        if (v[k] == NULL || i < 0 || i >= c->nfields || strcmp(c->field[i], v[k]) != 0)
            return false;
    }
    return true;
}

static void progress(FILE *f, long pos, long size, long rows, int64_t t0, bool last)
{
    double secs = (double)(hc_mono_ns() - t0) / 1e9;
    fprintf(stderr, "\rimporting: %ld rows, %3.0f%% of the file, %.0f rows/s%s", rows,
            size > 0 ? 100.0 * (double)pos / (double)size : 100.0, secs > 0 ? rows / secs : 0.0,
            last ? "\n" : "");
    (void)f;
}

int hc_cmd_import(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct hc_opt opts[] = {{"--db", &db}};
    const char *pos[2];
    size_t got;
    if (hc_cli_parse(argc, argv, opts, 1, pos, 2, &got) != 0)
        return 2;
    if (got != 2 || (strcmp(pos[0], "skus") && strcmp(pos[0], "orders")))
        return hc_cli_fail("import", "usage: haicang import skus|orders FILE.csv [--db URL]");
    bool orders = strcmp(pos[0], "orders") == 0;
    FILE *f = fopen(pos[1], "r");
    if (f == NULL)
        return hc_cli_fail("import", "cannot read %s", pos[1]);
    struct stat st;
    long size = fstat(fileno(f), &st) == 0 ? (long)st.st_size : 0;
    hc_store *s;
    if (hc_cli_open("import", db, &s)) {
        fclose(f);
        return 1;
    }
    hc_store_close(s);
    struct importer im = {.report = stdout};
    sem_init(&im.window, 0, IN_FLIGHT);
    pthread_mutex_init(&im.mu, NULL);
    hc_err err = {0};
    if (hc_db_open(db, NULL, &im.db, &err) != HC_OK) {
        fclose(f);
        return hc_cli_fail("import", "cannot open %s: %s", db, err.msg);
    }
    struct columns cols;
    static const char *sku_cols[S_N] = {"seller", "sku", "name", "name_zh", "hs_code",
                                        "declared_value", "currency", "origin_country",
                                        "length_mm", "width_mm", "height_mm", "weight_g",
                                        "barcode", "brand"};
    static const char *sku_req[] = {"seller", "sku", "name", "hs_code", "declared_value",
                                    "currency", "origin_country", "length_mm", "width_mm",
                                    "height_mm", "weight_g", NULL};
    static const char *ord_cols[O_N] = {"seller", "channel", "channel_order_id", "ship_name",
                                        "ship_country", "ship_postcode", "ship_city", "ship_line1",
                                        "sku", "qty", "unit_price", "currency"};
    static const char *ord_req[O_N + 1] = {"seller", "channel", "channel_order_id", "ship_name",
                                           "ship_country", "ship_postcode", "ship_city",
                                           "ship_line1", "sku", "qty", "unit_price", "currency",
                                           NULL};
    cols.n = orders ? O_N : S_N;
    for (int k = 0; k < cols.n; k++)
        cols.names[k] = orders ? ord_cols[k] : sku_cols[k];
    struct csv c = {.f = f};
    int rc = csv_read(&c, &err);
    if (rc != 1 || header(&c, &cols, orders ? ord_req : sku_req, &err) != HC_OK) {
        hc_db_close(im.db);
        fclose(f);
        csv_free(&c);
        return hc_cli_fail("import", "%s: %s", pos[1], rc == 0 ? "the file is empty" : err.msg);
    }
    bool tty = isatty(fileno(stderr));
    int64_t t0 = hc_mono_ns(), last = t0;
    long rows = 0;
    struct row_job *pending = NULL; /* the order being gathered */
    for (;;) {
        hc_err_clear(&err);
        rc = csv_read(&c, &err);
        if (rc == 0)
            break;
        rows++;
        long row = c.row;
        if (rc < 0) {
            report(&im, row, &err);
            continue;
        }
        if (c.nfields == 1 && c.field[0][0] == '\0')
            continue; /* blank line */
        if (orders && pending && !same_order(&c, &cols, &pending->order)) {
            submit(&im, pending);
            pending = NULL;
        }
        struct row_job *j = pending;
        if (j == NULL) {
            j = calloc(1, sizeof(*j));
            if (j == NULL)
                abort();
            j->im = &im;
            j->row = row;
            j->arena = hc_arena_new(4096);
            j->is_order = orders;
        }
        int prc = orders ? add_order_row(&c, &cols, j, &err) : parse_sku(&c, &cols, j, &err);
        if (prc != HC_OK) {
            report(&im, row, &err);
            if (orders) {
                j->bad = true;
                pending = j;
            } else {
                hc_arena_free(j->arena);
                free(j);
            }
            continue;
        }
        if (orders)
            pending = j;
        else
            submit(&im, j);
        int64_t now = hc_mono_ns();
        if ((tty || size > (1 << 20)) && now - last > 1000000000LL) {
            progress(stderr, ftell(f), size, rows, t0, false);
            last = now;
        }
    }
    if (pending)
        submit(&im, pending);
    for (int i = 0; i < IN_FLIGHT; i++) /* wait for every job */
        while (sem_wait(&im.window) != 0)
            ;
    if (tty || size > (1 << 20))
        progress(stderr, size, size, rows, t0, true);
    hc_db_close(im.db);
    csv_free(&c);
    fclose(f);
    printf("imported %ld %s from %s, %ld row%s failed\n", im.ok, orders ? "orders" : "SKUs",
           pos[1], im.failed, im.failed == 1 ? "" : "s");
    if (im.failed)
        return hc_cli_fail("import", "%ld rows failed (listed above)", im.failed);
    return 0;
}

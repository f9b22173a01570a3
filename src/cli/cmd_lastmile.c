/* cmd_lastmile.c: `haicang carrier import FILE.csv|FILE.xlsx` (every service
 * of the file in one transaction) and `carrier list`, `haicang rates` (rate
 * shopping for one parcel), `haicang label PARCEL` (the label as PDF or
 * ZPL) and `haicang label --orders ID,ID` (chosen orders' labels, through
 * the API's bulk_labels.c). The same domain calls as the API. */
#include "cli.h"

#include "api/api.h"

#include "catalog/catalog.h"
#include "lastmile/lastmile.h"
#include "orders/orders.h"
#include "render/render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct import_job {
    hc_arena *a;
    struct hc_lm_service *v;
    size_t n;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_job *j = ctx;
    for (size_t i = 0; i < j->n; i++) {
        int rc = hc_lm_service_create(s, j->a, &j->v[i], "cli", err);
        if (rc != HC_OK) {
            char f[HC_ERR_FIELD_MAX + 48];
            snprintf(f, sizeof(f), "service %s: %s", j->v[i].code, err->field);
            hc_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
    }
    return HC_OK;
}

static int carrier_import(const char *db, const char *path)
{
    size_t len = strlen(path);
    bool xlsx = len > 5 && strcasecmp(path + len - 5, ".xlsx") == 0;
    hc_err err = {0};
    char *data = NULL;
    size_t n = 0;
    hc_arena *a = hc_arena_new(1 << 16);
    struct import_job j = {.a = a};
    struct hc_sheet sheet;
    hc_db *d = NULL;
    hc_store *s = NULL;
    int ret = 0;
    if (hc_cli_read_file(path, xlsx ? HC_SHEET_FILE_MAX : 16u << 20, &data, &n, &err) != HC_OK ||
        (xlsx ? hc_sheet_read_xlsx(a, data, n, &sheet, &err) ||
                    hc_lm_sheet_parse(a, &sheet, &j.v, &j.n, &err)
              : hc_lm_csv_parse(a, data, n, &j.v, &j.n, &err)) != HC_OK) {
        ret = hc_cli_fail_err("carrier", &err);
        goto done;
    }
    if (hc_cli_open("carrier", db, &s) != 0) { /* migrates */
        ret = 1;
        goto done;
    }
    hc_store_close(s);
    if (hc_db_open(db, NULL, &d, &err) != HC_OK || hc_db_write(d, import_job, &j, &err) != HC_OK) {
        ret = hc_cli_fail_err("carrier", &err);
        goto done;
    }
    for (size_t i = 0; i < j.n; i++)
        printf("%s %s %s v%lld from %s\n", j.v[i].id, j.v[i].warehouse, j.v[i].code,
               (long long)j.v[i].version, j.v[i].effective_from);
    printf("%zu carrier services imported\n", j.n);
done:
    if (d)
        hc_db_close(d);
    free(data);
    hc_arena_free(a);
    return ret;
}

static int carrier_list(const char *db, const char *wh)
{
    hc_store *s;
    if (hc_cli_open("carrier", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_lm_service_filter f = {.warehouse = wh, .limit = 1000};
    struct hc_lm_service *v;
    size_t n;
    const char *next;
    int ret = 0;
    if (hc_lm_service_list(s, a, &f, &v, &n, &next, &err) != HC_OK) {
        ret = hc_cli_fail_err("carrier", &err);
    } else {
        printf("%-10s %-20s %-10s %-28s %-3s %4s %6s %s\n", "warehouse", "code", "carrier",
               "name", "cur", "days", "cutoff", "numbering");
        for (size_t i = 0; i < n; i++)
            printf("%-10s %-20s %-10s %-28s %-3s %4lld  %02d:%02d %s\n", v[i].warehouse, v[i].code,
                   v[i].carrier, v[i].name, v[i].currency, (long long)v[i].transit_days,
                   v[i].cutoff_min / 60 % 100, v[i].cutoff_min % 60,
                   hc_lm_numbering_name(v[i].numbering));
    }
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

int hc_cmd_carrier(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL;
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}, {"--warehouse", &wh}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got == 2 && strcmp(pos[0], "import") == 0)
        return carrier_import(db, pos[1]);
    if (got == 1 && strcmp(pos[0], "list") == 0)
        return carrier_list(db, wh);
    fputs("usage: haicang carrier import FILE.csv|FILE.xlsx [--db URL] | carrier list "
          "[--warehouse W] [--db URL]\n"
          "  rows: service,warehouse,item,key,from,to,value (docs/lastmile.md)\n",
          stderr);
    return 2;
}

/* "LxWxH" in mm */
static bool dims_of(const char *s, int64_t d[3])
{
    long long a, b, c;
    char end;
    if (s == NULL || sscanf(s, "%lldx%lldx%lld%c", &a, &b, &c, &end) != 3)
        return false;
    d[0] = a, d[1] = b, d[2] = c;
    return a >= 1 && b >= 1 && c >= 1 && a <= 20000 && b <= 20000 && c <= 20000;
}

int hc_cmd_rates(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL, *country = NULL, *pc = NULL, *w = NULL,
               *dims = NULL;
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},           {"--warehouse", &wh}, {"--country", &country},
                            {"--postcode", &pc},     {"--weight-g", &w},   {"--dims-mm", &dims}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    struct hc_lm_parcel_in p = {0};
    if (!wh || !country || !pc || hc_parse_i64(w ? w : "", 1, 10000000, &p.weight_g) ||
        !dims_of(dims, p.dims_mm)) {
        fputs("usage: haicang rates --warehouse W --country CC --postcode P --weight-g G "
              "--dims-mm LxWxH [--db URL]\n",
              stderr);
        return 2;
    }
    hc_store *s;
    if (hc_cli_open("rates", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    char day[11];
    struct hc_lm_request rq = {.country = country, .postcode = pc, .parcels = &p, .nparcels = 1};
    struct hc_lm_service *sv;
    size_t nsv, nq = 0;
    hc_lm_rater *r = NULL;
    int ret = 0;
    if (hc_lm_local_now(s, a, wh, day, &rq.local_min, &err) ||
        hc_lm_services_on(s, a, wh, day, &sv, &nsv, &err) ||
        hc_lm_rater_for(s, a, wh, country, day, sv, nsv, &r, &err)) {
        ret = hc_cli_fail_err("rates", &err);
        goto done;
    }
    rq.local_day = day;
    struct hc_lm_quote *q = hc_arena_alloc(a, sizeof(*q) * (nsv + 1));
    if (hc_lm_rate(r, &rq, q, &nq, &err) != HC_OK) {
        ret = hc_cli_fail_err("rates", &err);
        goto done;
    }
    printf("%-20s %-10s %-6s %10s %-3s %9s %-10s %-10s %s\n", "service", "carrier", "zone",
           "price", "cur", "billable", "ships", "delivers", "calendars (pickup / delivery)");
    for (size_t i = 0; i < nq; i++) {
        const struct hc_lm_service *x = &sv[q[i].service];
        char price[32];
        hc_decimal_format(q[i].total_minor, hc_currency_scale(x->currency), price, sizeof(price));
        printf("%-20s %-10s %-6s %10s %-3s %7lld g %-10s %-10s %s / %s\n", x->code, x->carrier,
               q[i].zone, price, x->currency, (long long)q[i].billable_total_g, q[i].ship_day,
               q[i].deliver_day, q[i].pickup_calendar, q[i].delivery_calendar);
    }
done:
    hc_lm_rater_free(r);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

/* `label --orders ID,ID`: the labels of those orders in the order given, the
 * same document as GET /v1/dispatch/labels.pdf|zpl?orders= (no scope: the
 * CLI is the database's owner). */
static int order_labels(const char *list, bool pdf, const char *outp, const char *db)
{
    hc_store *s;
    if (hc_cli_open("label", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    char **ids;
    size_t n = 0;
    struct hc_api_label_scope any = {0};
    int ret = hc_api_order_ids(a, list, &ids, &n, &err) ||
                      hc_api_order_labels(s, a, ids, n, &any, pdf, &b, &err)
                  ? hc_cli_fail_err("label", &err)
                  : 0;
    if (ret == 0) {
        FILE *f = outp ? fopen(outp, "wb") : stdout;
        if (f == NULL || fwrite(b.p, 1, b.n, f) != b.n || (outp && fclose(f) != 0))
            ret = hc_cli_fail("label", "cannot write %s", outp ? outp : "stdout");
    }
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

int hc_cmd_label(int argc, char **argv)
{
    if (argc >= 2 && hc_label_is_sub(argv[1]))
        return hc_cmd_label_sub(argc - 1, argv + 1);
    const char *db = hc_cli_default_db(), *fmt = "pdf", *outp = NULL, *orders = NULL;
    const char *pos[1] = {NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},     {"--format", &fmt}, {"--out", &outp},
                            {"-o", &outp},     {"--orders", &orders}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    bool pdf = strcmp(fmt, "pdf") == 0;
    if (got != (orders ? 0u : 1u) || (!pdf && strcmp(fmt, "zpl") != 0)) {
        fputs("usage: haicang label PARCEL | --orders ID,ID (at most 500) [--format pdf|zpl] "
              "[--out FILE] [--db URL]\n",
              stderr);
        return 2;
    }
    if (orders)
        return order_labels(orders, pdf, outp, db);
    hc_store *s;
    if (hc_cli_open("label", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_lm_parcel p;
    struct hc_order o;
    struct hc_warehouse w;
    hc_buf b;
    hc_buf_init(&b, 4u << 20);
    int ret = 0;
    int64_t count = 0;
    if (hc_lm_parcel_get(s, a, pos[0], &p, &err) || hc_order_get(s, a, p.order_id, &o, &err) ||
        hc_warehouse_get(s, a, p.warehouse, &w, &err) ||
        hc_lm_parcel_count(s, p.order_id, &count, &err)) {
        ret = hc_cli_fail_err("label", &err);
        goto done;
    }
    json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
    const char *k[] = {"line1", "postcode", "city"}, *v[3];
    for (int i = 0; i < 3; i++) {
        const char *x = sh ? json_string_value(json_object_get(sh, k[i])) : NULL;
        v[i] = hc_arena_strdup(a, x ? x : "");
    }
    json_decref(sh);
    struct hc_lm_label l = {.carrier = p.carrier, .service_name = p.service_name,
                            .tracking_no = p.tracking_no, .numbering = p.numbering,
                            .two_d = p.two_d, .reference = p.order_id, .weight_g = p.weight_g,
                            .parcel_no = p.seq, .parcel_count = count, .ship_day = p.ship_day,
                            .from = {w.code, w.name}, .to = {o.ship_name, v[0], hc_arena_printf(a, "%s %s", v[1], v[2]),
                                   o.ship_country},
                            .to_country = o.ship_country, .to_postcode = v[1]};
    if ((pdf ? hc_lm_label_pdf(&l, &b, &err) : hc_lm_label_zpl(&l, &b, &err)) != HC_OK) {
        ret = hc_cli_fail_err("label", &err);
        goto done;
    }
    FILE *f = outp ? fopen(outp, "wb") : stdout;
    if (f == NULL || fwrite(b.p, 1, b.n, f) != b.n || (outp && fclose(f) != 0))
        ret = hc_cli_fail("label", "cannot write %s", outp ? outp : "stdout");
done:
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

/* ---- the demo ----------------------------------------------------------------------------- */

static const struct hc_lm_box demo_boxes[] = {
    {NULL, "XS", {220, 160, 80}, 2000, 60},   {NULL, "S", {300, 220, 120}, 5000, 110},
    {NULL, "M", {400, 300, 200}, 15000, 220}, {NULL, "L", {600, 400, 300}, 30000, 450},
};

/* The services, boxes and a channel rule of both demo warehouses, then
 * parcels (box suggested, service by the rules) for up to limit orders
 * being picked or packed. */
static int demo_lastmile_tx(hc_store *s, hc_arena *a, FILE *out, int limit, hc_err *err)
{
    char path[1024];
    char *text = NULL;
    size_t n = 0, nsv;
    struct hc_lm_service *sv;
    int rc = hc_data_path("data/lastmile/demo-services.csv", path, sizeof(path)) == HC_OK
                 ? hc_cli_read_file(path, 1u << 20, &text, &n, err)
                 : hc_err_set(err, HC_ENOTFOUND, "file", "no %s", path);
    if (rc == HC_OK)
        rc = hc_lm_csv_parse(a, text, n, &sv, &nsv, err);
    for (size_t i = 0; rc == HC_OK && i < nsv; i++)
        rc = hc_lm_service_create(s, a, &sv[i], "demo", err);
    free(text);
    static const char *const whs[] = {"DE-DUI", "US-LAX"};
    for (size_t w = 0; rc == HC_OK && w < 2; w++)
        for (size_t b = 0; rc == HC_OK && b < HC_ARRAY_LEN(demo_boxes); b++) {
            struct hc_lm_box x = demo_boxes[b];
            x.warehouse = whs[w];
            rc = hc_lm_box_put(s, &x, err);
        }
    struct hc_lm_rule rule = {"DE-DUI", "channel", "otto", "HERMES-DE"};
    if (rc == HC_OK)
        rc = hc_lm_rule_put(s, &rule, err);
    int made = 0;
    static const char *const states[] = {"packed", "picking", "allocated"};
    for (size_t st = 0; rc == HC_OK && st < 3 && made < limit; st++) {
        struct hc_order_filter f = {.status = states[st], .limit = 200};
        struct hc_order *os;
        size_t no;
        const char *next;
        rc = hc_order_list(s, a, &f, &os, &no, &next, err);
        for (size_t i = 0; rc == HC_OK && i < no && made < limit; i++) {
            struct hc_order o;
            if ((rc = hc_order_get(s, a, os[i].id, &o, err)) != HC_OK)
                break;
            json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
            const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
            const char *postcode = hc_arena_strdup(a, pc ? pc : "");
            json_decref(sh);
            struct hc_lm_parcel_req req = {.nitems = o.nlines};
            req.items = hc_arena_alloc(a, sizeof(*req.items) * (o.nlines + 1));
            for (size_t l = 0; l < o.nlines; l++)
                req.items[l] = (struct hc_lm_item){.sku = o.lines[l].sku, .qty = o.lines[l].qty};
            struct hc_lm_parcel *ps;
            size_t np;
            hc_err e2 = {0};
            /* in a savepoint: an order no service takes (too big, a place no
             * zone covers) is left without parcels */
            if ((rc = hc_store_exec(s, "SAVEPOINT lm_demo", err)) != HC_OK)
                break;
            if (hc_lm_parcels_record(s, a, o.id, &req, 1, o.ship_country, postcode, NULL, NULL,
                                     false, "demo", &ps, &np, &e2) == HC_OK) {
                made++;
                rc = hc_store_exec(s, "RELEASE SAVEPOINT lm_demo", err);
            } else {
                rc = hc_store_exec(s, "ROLLBACK TO SAVEPOINT lm_demo", err);
                if (rc == HC_OK)
                    rc = hc_store_exec(s, "RELEASE SAVEPOINT lm_demo", err);
            }
        }
    }
    if (rc == HC_OK)
        fprintf(out, "last mile: %zu carrier services (demo data, not official tariffs), %zu "
                     "boxes per warehouse, parcels with labels for %d orders\n",
                nsv, HC_ARRAY_LEN(demo_boxes), made);
    return rc;
}

int hc_demo_lastmile(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, demo_lastmile_tx(s, a, out, 40, err), err);
    hc_arena_free(a);
    return rc;
}

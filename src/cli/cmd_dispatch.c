/* cmd_dispatch.c: `haicang manifest list|close|pdf` (the end of day per
 * carrier service and pickup) and `haicang tracking import FILE.csv` (the
 * carriers' tracking events, all or none) or `tracking inbox DIR` (each
 * file of DIR, to processed/ or failed/). The same domain calls as the API. */
#include "cli.h"

#include "finance/finance.h"
#include "lastmile/lastmile.h"
#include "orders/orders.h"
#include "render/render.h"
#include "warehouse/warehouse.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int manifest_list(hc_store *s, hc_arena *a, const char *wh, const char *day, hc_err *err)
{
    struct hc_lm_manifest_filter f = {.warehouse = wh, .day = day, .limit = 500};
    struct hc_lm_manifest *v;
    size_t n;
    const char *next;
    int rc = hc_lm_manifest_list(s, a, &f, &v, &n, &next, err);
    if (rc != HC_OK)
        return rc;
    printf("%-26s %-8s %-16s %-10s %-10s %7s %10s %s\n", "manifest", "wh", "service", "carrier",
           "pickup", "parcels", "weight_g", "ship_at");
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-8s %-16s %-10s %-10s %7lld %10lld %s\n", v[i].id, v[i].warehouse,
               v[i].service_code, v[i].carrier, v[i].pickup_day, (long long)v[i].nparcels,
               (long long)v[i].weight_g, hc_lm_ship_at_name(v[i].ship_at));
    return HC_OK;
}

static int manifest_close(hc_store *s, hc_arena *a, const char *wh, const char *svc,
                          const char *day, hc_err *err)
{
    char today[11];
    int min;
    int rc = HC_OK;
    if (day == NULL && (rc = hc_lm_local_now(s, a, wh, today, &min, err)) != HC_OK)
        return rc;
    struct hc_lm_manifest m;
    if ((rc = hc_store_begin(s, err)) != HC_OK)
        return rc;
    rc = hc_lm_manifest_close(s, a, wh, svc, day ? day : today, "cli", &m, err);
    if ((rc = hc_cli_end_tx(s, rc, err)) != HC_OK)
        return rc;
    printf("%s %s %s %s: %lld parcels, %lld g (%s)\n", m.id, m.warehouse, m.service_code,
           m.pickup_day, (long long)m.nparcels, (long long)m.weight_g,
           m.ship_at == HC_LM_SHIP_AT_MANIFEST ? "orders shipped" : "orders ship at scan-out");
    return HC_OK;
}

/* "DE 10115" per parcel, from the order's ship-to. */
static const char **destinations(hc_store *s, hc_arena *a, const struct hc_lm_manifest *m,
                                 hc_err *err)
{
    const char **d = hc_arena_alloc(a, sizeof(*d) * (m->n + 1));
    for (size_t i = 0; i < m->n; i++) {
        struct hc_order o;
        if (hc_order_get(s, a, m->parcels[i].order_id, &o, err) != HC_OK)
            return NULL;
        json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
        const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
        d[i] = hc_arena_printf(a, "%s %s", o.ship_country ? o.ship_country : "", pc ? pc : "");
        json_decref(sh);
    }
    return d;
}

static int manifest_doc(hc_store *s, hc_arena *a, const char *id, const char *fmt,
                        const char *lang, const char *out, hc_err *err)
{
    struct hc_lm_manifest m;
    int rc = hc_lm_manifest_get(s, a, id, &m, err);
    if (rc != HC_OK)
        return rc;
    const char **dest = destinations(s, a, &m, err);
    if (dest == NULL)
        return err->code;
    struct hc_doc d;
    hc_lm_manifest_doc(a, &m, dest, lang, &d);
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    bool pdf = strcmp(fmt, "pdf") == 0;
    rc = pdf ? hc_render_pdf(&d, &b, err) : hc_render_csv(&d, &b, err);
    char path[512];
    snprintf(path, sizeof(path), "%s", out ? out : hc_arena_printf(a, "%s.%s", id, fmt));
    FILE *f = rc == HC_OK ? fopen(path, "wb") : NULL;
    if (rc == HC_OK && (f == NULL || fwrite(b.p, 1, b.n, f) != b.n))
        rc = hc_err_set(err, HC_EINVAL, "out", "cannot write %s", path);
    if (f && fclose(f) != 0 && rc == HC_OK)
        rc = hc_err_set(err, HC_EINVAL, "out", "cannot write %s", path);
    if (rc == HC_OK)
        printf("%s: %zu bytes, %zu parcels\n", path, b.n, m.n);
    hc_buf_free(&b);
    return rc;
}

static int manifest_usage(void)
{
    fputs("usage: haicang manifest list [--warehouse W] [--day D] | manifest close --warehouse W"
          " --service CODE [--day D] | manifest pdf ID [--format pdf|csv] [--lang zh|en]"
          " [--out FILE] [--db URL]\n",
          stderr);
    return 2;
}

int hc_cmd_manifest(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL, *day = NULL, *svc = NULL, *fmt = "pdf",
               *lang = "zh", *out = NULL;
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},         {"--warehouse", &wh}, {"--day", &day},
                            {"--service", &svc},   {"--format", &fmt},   {"--lang", &lang},
                            {"--out", &out}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    bool list = got == 1 && strcmp(pos[0], "list") == 0;
    bool close = got == 1 && strcmp(pos[0], "close") == 0 && wh && svc;
    bool doc = got == 2 && strcmp(pos[0], "pdf") == 0 &&
               (strcmp(fmt, "pdf") == 0 || strcmp(fmt, "csv") == 0) &&
               (strcmp(lang, "zh") == 0 || strcmp(lang, "en") == 0);
    if (!list && !close && !doc)
        return manifest_usage();
    hc_store *s;
    if (hc_cli_open("manifest", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = list    ? manifest_list(s, a, wh, day, &err)
             : close ? manifest_close(s, a, wh, svc, day, &err)
                     : manifest_doc(s, a, pos[1], fmt, lang, out, &err);
    int ret = rc == HC_OK ? 0 : hc_cli_fail_err("manifest", &err);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

/* ---- tracking ------------------------------------------------------------------------------ */

struct track_job {
    struct hc_lm_track_event *ev;
    size_t n;
    hc_arena *a;
    struct hc_lm_track_result res;
};

static int track_job(hc_store *s, void *ctx, hc_err *err)
{
    struct track_job *j = ctx;
    return hc_lm_track_apply(s, j->a, j->ev, j->n, NULL, "inbox", &j->res, err);
}

static int apply_events(hc_db *d, struct hc_lm_track_event *ev, size_t n, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    struct track_job j = {.ev = ev, .n = n, .a = a};
    int rc = hc_db_write(d, track_job, &j, err);
    if (rc == HC_OK)
        printf("%zu events: %zu stored, %zu duplicates, %zu orders delivered, %zu flagged\n", n,
               j.res.stored, j.res.duplicates, j.res.delivered_orders, j.res.flagged_orders);
    hc_arena_free(a);
    return rc;
}

static int inbox_apply(void *ctx, struct hc_lm_track_event *ev, size_t n, hc_err *err)
{
    return apply_events(ctx, ev, n, err);
}

int hc_cmd_tracking(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    bool file = got == 2 && strcmp(pos[0], "import") == 0;
    bool inbox = got == 2 && strcmp(pos[0], "inbox") == 0;
    if (!file && !inbox) {
        fputs("usage: haicang tracking import FILE.csv | tracking inbox DIR [--db URL]\n"
              "  columns: tracking_no,status,time,location,detail (docs/lastmile.md)\n",
              stderr);
        return 2;
    }
    hc_store *s;
    if (hc_cli_open("tracking", db, &s) != 0) /* migrates */
        return 1;
    hc_store_close(s);
    hc_err err = {0};
    hc_db *d = NULL;
    hc_arena *a = hc_arena_new(1 << 16);
    char *data = NULL;
    size_t len = 0, nev = 0, ok = 0, bad = 0;
    struct hc_lm_track_event *ev;
    int rc = hc_db_open(db, NULL, &d, &err);
    if (rc == HC_OK && file) {
        if ((rc = hc_cli_read_file(pos[1], 64u << 20, &data, &len, &err)) == HC_OK &&
            (rc = hc_lm_track_csv(a, data, len, &ev, &nev, &err)) == HC_OK)
            rc = apply_events(d, ev, nev, &err);
    } else if (rc == HC_OK) {
        rc = hc_lm_track_inbox_scan(pos[1], inbox_apply, d, &ok, &bad, &err);
        if (rc == HC_OK)
            printf("inbox %s: %zu applied, %zu failed\n", pos[1], ok, bad);
    }
    int ret = rc == HC_OK ? 0 : hc_cli_fail_err("tracking", &err);
    if (d)
        hc_db_close(d);
    free(data);
    hc_arena_free(a);
    return ret;
}

/* ---- the demo ----------------------------------------------------------------------------- */

#define DEMO_YESTERDAY_ORDERS 3 /* the first delivered, the second an exception */

/* Re-records the parcels of up to DEMO_YESTERDAY_ORDERS packed orders of
 * DE-DUI with the clock at yesterday 10:00 local, so they ship yesterday;
 * *n gets how many. */
static int demo_yesterday_parcels(hc_store *s, hc_arena *a, const char **ids, size_t *n,
                                  hc_err *err)
{
    struct hc_order_filter f = {.status = "packed", .warehouse = "DE-DUI", .limit = 50};
    struct hc_order *os;
    size_t no;
    const char *next;
    int rc = hc_order_list(s, a, &f, &os, &no, &next, err);
    *n = 0;
    for (size_t i = 0; rc == HC_OK && i < no && *n < DEMO_YESTERDAY_ORDERS; i++) {
        struct hc_lm_parcel *ps;
        size_t np = 0;
        if ((rc = hc_lm_parcels_of(s, a, os[i].id, &ps, &np, err)) != HC_OK || np == 0)
            continue;
        struct hc_order o;
        if ((rc = hc_order_get(s, a, os[i].id, &o, err)) != HC_OK)
            break;
        json_t *sh = json_loads(o.ship_to_json ? o.ship_to_json : "{}", 0, NULL);
        const char *pc = sh ? json_string_value(json_object_get(sh, "postcode")) : NULL;
        const char *postcode = hc_arena_strdup(a, pc ? pc : "");
        json_decref(sh);
        struct hc_lm_parcel_req req = {.box = *ps[0].box ? ps[0].box : NULL, .items = ps[0].items,
                                       .nitems = ps[0].nitems};
        if ((rc = hc_lm_parcels_record(s, a, o.id, &req, 1, o.ship_country, postcode,
                                       ps[0].service_code, NULL, false, "demo", &ps, &np,
                                       err)) == HC_OK)
            ids[(*n)++] = o.id;
    }
    return rc;
}

static int demo_event(hc_store *s, hc_arena *a, const char *tn, const char *status, int64_t at,
                      const char *location, const char *detail, hc_err *err)
{
    struct hc_lm_track_event e = {.tracking_no = tn, .status = status, .at = at,
                                  .location = location, .detail = detail};
    struct hc_lm_track_result res;
    return hc_lm_track_apply(s, a, &e, 1, NULL, "demo", &res, err);
}

/* Packs up to n picked DE-DUI orders that have parcels, so that parcels
 * wait for today's pickups on the dispatch screen. */
static int demo_pack_picked(hc_store *s, hc_arena *a, size_t n, size_t *packed, hc_err *err)
{
    struct hc_order_filter f = {.status = "picking", .warehouse = "DE-DUI", .limit = 100};
    struct hc_order *os;
    size_t no;
    const char *next;
    int rc = hc_order_list(s, a, &f, &os, &no, &next, err);
    *packed = 0;
    for (size_t i = 0; rc == HC_OK && i < no && *packed < n; i++) {
        int64_t np = 0;
        struct hc_order o;
        if ((rc = hc_lm_parcel_count(s, os[i].id, &np, err)) != HC_OK || np == 0)
            continue;
        /* in a savepoint: an order the pack station must scan first is left */
        hc_err e2 = {0};
        if ((rc = hc_store_exec(s, "SAVEPOINT dispatch_demo", err)) != HC_OK)
            break;
        if (hc_order_pack(s, a, os[i].id, "demo", &o, &e2) == HC_OK) {
            (*packed)++;
            rc = hc_store_exec(s, "RELEASE SAVEPOINT dispatch_demo", err);
        } else if ((rc = hc_store_exec(s, "ROLLBACK TO SAVEPOINT dispatch_demo", err)) == HC_OK) {
            rc = hc_store_exec(s, "RELEASE SAVEPOINT dispatch_demo", err);
        }
    }
    return rc;
}

/* Yesterday's manifests (closed, orders shipped) with tracking events: a
 * delivered order and an exception; the other parcels wait for today. */
static int demo_dispatch_tx(hc_store *s, hc_arena *a, FILE *out, hc_err *err)
{
    struct hc_warehouse w;
    char yday[11];
    int rc = hc_warehouse_get(s, a, "DE-DUI", &w, err);
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    if (hc_tz_day(w.timezone, now - HC_DAY_MS, yday) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "timezone", "DE-DUI has no usable time zone");
    int64_t ymorning = hc_tz_midnight(w.timezone, yday) + 10 * 3600 * 1000LL;
    const char *ids[DEMO_YESTERDAY_ORDERS];
    size_t n = 0;
    hc_clock_set_offset(ymorning - now);
    rc = demo_yesterday_parcels(s, a, ids, &n, err);
    size_t manifests = 0;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        struct hc_lm_parcel *ps;
        size_t np = 0;
        struct hc_lm_manifest m;
        if ((rc = hc_lm_parcels_of(s, a, ids[i], &ps, &np, err)) != HC_OK)
            break;
        int64_t open = 0;
        rc = hc_store_int(s, err, &open, "SELECT COUNT(*) FROM lm_parcels WHERE order_id = ? AND"
                                         " manifest = ''", "s", ids[i]);
        if (rc == HC_OK && open > 0 &&
            (rc = hc_lm_manifest_close(s, a, "DE-DUI", ps[0].service_code, yday, "demo", &m,
                                       err)) == HC_OK)
            manifests++;
    }
    hc_clock_set_offset(0);
    size_t packed = 0;
    if (rc == HC_OK)
        rc = demo_pack_picked(s, a, 4, &packed, err);
    static const char *const last[] = {"delivered", "exception", "out_for_delivery"};
    static const char *const detail[] = {"handed to the recipient", "address not found",
                                         "with the courier"};
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        struct hc_lm_parcel *ps;
        size_t np = 0;
        if ((rc = hc_lm_parcels_of(s, a, ids[i], &ps, &np, err)) != HC_OK)
            break;
        for (size_t k = 0; rc == HC_OK && k < np; k++) {
            rc = demo_event(s, a, ps[k].tracking_no, "in_transit", ymorning + 8 * 3600 * 1000LL,
                            "Duisburg Hub", "picked up", err);
            if (rc == HC_OK)
                rc = demo_event(s, a, ps[k].tracking_no, last[i], now - 3600 * 1000LL,
                                i == 1 ? "Kassel" : "Berlin", detail[i], err);
        }
    }
    if (rc == HC_OK)
        fprintf(out, "dispatch: %zu manifests closed yesterday (%s), tracking events for %zu "
                     "orders (one delivered, one exception); %zu more orders packed for today\n",
                manifests, yday, n, packed);
    return rc;
}

int hc_demo_dispatch(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, demo_dispatch_tx(s, a, out, err), err);
    hc_arena_free(a);
    return rc;
}

/* cmd_webhook.c: haicang webhook add|update|list|rm|deliveries|redeliver, through
 * the same src/webhooks calls the API's handlers make. The sender runs in
 * `haicang serve` only; redeliver queues a delivery for it. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webhooks/webhooks.h"

#define CMD "webhook"

static const char *db_or_default(const char *db)
{
    return db ? db : hc_cli_default_db();
}

/* Runs fn in one transaction on the database at db; print(ctx) once it
 * is committed. */
typedef int (*tx_fn)(hc_store *s, hc_arena *a, void *ctx, hc_err *err);
static int in_tx(const char *db, tx_fn fn, void (*print)(void *ctx), void *ctx)
{
    hc_store *s;
    if (hc_cli_open(CMD, db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, fn(s, a, ctx, &err), &err);
    if (rc == HC_OK)
        print(ctx);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail(CMD, "%s%s%s", err.field[0] ? err.field : "",
                                         err.field[0] ? ": " : "", err.msg);
}

/* ---- add ----------------------------------------------------------------------- */
struct add_ctx {
    struct hc_webhook w;
    const char *events;
};

static int add_tx(hc_store *s, hc_arena *a, void *ctx, hc_err *err)
{
    struct add_ctx *c = ctx;
    c->w.events = hc_arena_alloc(a, sizeof(char *) * (HC_WEBHOOK_EVENTS_MAX + 1));
    for (const char *p = c->events; *p && c->w.nevents <= HC_WEBHOOK_EVENTS_MAX;) {
        size_t n = strcspn(p, ",");
        c->w.events[c->w.nevents++] = hc_arena_strndup(a, p, n);
        p += n + (p[n] == ',');
    }
    int rc = hc_webhook_url_check(c->w.url, hc_webhook_loopback_allowed(), "url", err);
    return rc == HC_OK ? hc_webhook_create(s, a, &c->w, "cli", err) : rc;
}

static void add_print(void *ctx)
{
    struct add_ctx *c = ctx;
    printf("webhook %s for %s %s\nsecret %s (shown once: keep it to verify signatures)\n",
               c->w.id, c->w.seller[0] ? "seller" : "warehouse",
               c->w.seller[0] ? c->w.seller : c->w.warehouse, c->w.secret);
}

/* --threshold SKU=N values into w's per-SKU thresholds (the last '=' splits,
 * so a SKU may hold one; the SKUs are malloc'd, w->nthresholds of them,
 * for the caller to free); 1 after the error line on a bad one. */
static int parse_sku_thresholds(struct hc_webhook *w, const char *const *v, size_t n,
                                struct hc_webhook_threshold *out)
{
    w->thresholds = out;
    w->nthresholds = 0; /* counts those made, for the caller to free */
    for (size_t i = 0; i < n; i++) {
        const char *eq = strrchr(v[i], '=');
        if (eq == NULL || eq == v[i] ||
            hc_parse_i64(eq + 1, 0, HC_WEBHOOK_THRESHOLD_MAX, &out[i].below) != HC_OK)
            return hc_cli_fail(CMD, "--threshold %s: must be SKU=N, N a whole number of units"
                                    " 0..%d", v[i], HC_WEBHOOK_THRESHOLD_MAX);
        out[i].sku = strndup(v[i], (size_t)(eq - v[i]));
        if (out[i].sku == NULL)
            return hc_cli_fail(CMD, "out of memory");
        w->nthresholds++;
    }
    return 0;
}

/* stock.low: --stock-threshold N (the subscription's default) and per-SKU
 * --threshold SKU=N; 1 after the error line. */
static int parse_stock_options(struct hc_webhook *w, const char *stock, const char *const *v,
                               size_t n, struct hc_webhook_threshold *out)
{
    w->stock_threshold = -1;
    w->stock_threshold_set = stock != NULL;
    if (stock && hc_parse_i64(stock, 0, HC_WEBHOOK_THRESHOLD_MAX, &w->stock_threshold) != HC_OK)
        return hc_cli_fail(CMD, "--stock-threshold must be a whole number of units 0..%d",
                           HC_WEBHOOK_THRESHOLD_MAX);
    return parse_sku_thresholds(w, v, n, out);
}

static int webhook_add(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL, *wh = NULL, *url = NULL, *events = NULL, *desc = NULL,
               *stock = NULL;
    struct hc_opt opts[] = {{"--db", &db},
                            {"--seller", &seller},
                            {"--warehouse", &wh},
                            {"--events", &events},
                            {"--description", &desc},
                            {"--stock-threshold", &stock}};
    const char *th[HC_WEBHOOK_THRESHOLDS_MAX];
    size_t nth = 0;
    struct hc_multi_opt multi[] = {{"--threshold", th, HC_WEBHOOK_THRESHOLDS_MAX, &nth}};
    const char *pos[1];
    size_t got;
    if (hc_cli_args_multi(argc, argv, opts, HC_ARRAY_LEN(opts), multi, HC_ARRAY_LEN(multi), pos,
                          1, &got))
        return 2;
    url = got ? pos[0] : NULL;
    if (!url || !events)
        return hc_cli_fail(CMD, "usage: webhook add URL --events a,b --seller S | --warehouse W"
                                " [--stock-threshold N] [--threshold SKU=N ...]");
    struct add_ctx c = {.events = events};
    struct hc_webhook_threshold per_sku[HC_WEBHOOK_THRESHOLDS_MAX];
    int rc = parse_stock_options(&c.w, stock, th, nth, per_sku);
    c.w.url = url;
    c.w.seller = seller ? seller : "";
    c.w.warehouse = wh ? wh : "";
    c.w.description = desc ? desc : "";
    if (rc == 0)
        rc = in_tx(db, add_tx, add_print, &c);
    for (size_t i = 0; i < c.w.nthresholds; i++)
        free((char *)per_sku[i].sku);
    return rc;
}

/* stock.low's thresholds: "  below 20 (MUG-01 5, ...)". */
static void print_thresholds(const struct hc_webhook *w)
{
    if (w->stock_threshold >= 0)
        printf("  below %lld", (long long)w->stock_threshold);
    for (size_t i = 0; i < w->nthresholds; i++)
        printf("%s%s %lld%s", i ? ", " : w->stock_threshold >= 0 ? " (" : "  below (",
               w->thresholds[i].sku, (long long)w->thresholds[i].below,
               i + 1 == w->nthresholds ? ")" : "");
}

/* ---- update (stock.low thresholds) ---------------------------------------------- */
static int update_tx(hc_store *s, hc_arena *a, void *ctx, hc_err *err)
{
    return hc_webhook_set_thresholds(s, a, ctx, err);
}

static void update_print(void *ctx)
{
    const struct hc_webhook *w = ctx;
    printf("webhook %s", w->id);
    print_thresholds(w);
    printf("\n");
}

static int webhook_update(int argc, char **argv)
{
    const char *db = NULL, *stock = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--stock-threshold", &stock}};
    const char *th[HC_WEBHOOK_THRESHOLDS_MAX], *pos[1];
    size_t nth = 0, got;
    struct hc_multi_opt multi[] = {{"--threshold", th, HC_WEBHOOK_THRESHOLDS_MAX, &nth}};
    if (hc_cli_args_multi(argc, argv, opts, HC_ARRAY_LEN(opts), multi, HC_ARRAY_LEN(multi), pos,
                          1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail(CMD, "usage: webhook update ID [--stock-threshold N]"
                                " [--threshold SKU=N ...] [--db URL] (replaces both)");
    struct hc_webhook w = {.id = pos[0]};
    struct hc_webhook_threshold per_sku[HC_WEBHOOK_THRESHOLDS_MAX];
    int rc = parse_stock_options(&w, stock, th, nth, per_sku);
    size_t made = w.nthresholds;
    if (rc == 0)
        rc = in_tx(db, update_tx, update_print, &w);
    for (size_t i = 0; i < made; i++)
        free((char *)per_sku[i].sku);
    return rc;
}

/* ---- list ---------------------------------------------------------------------- */

static int webhook_list(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL, *wh = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--seller", &seller}, {"--warehouse", &wh}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    hc_store *s;
    if (hc_cli_open(CMD, db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_webhook *items;
    size_t n = 0;
    const char *next = NULL;
    int rc = HC_OK;
    do {
        rc = hc_webhook_list(s, a, seller, wh, next, 500, &items, &n, &next, &err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            const struct hc_webhook *w = &items[i];
            printf("%s  %s %s  %s  ", w->id, w->seller[0] ? "seller" : "warehouse",
                   w->seller[0] ? w->seller : w->warehouse, w->url);
            for (size_t k = 0; k < w->nevents; k++)
                printf("%s%s", k ? "," : "", w->events[k]);
            print_thresholds(w);
            printf("  pending %lld delivered %lld failed %lld\n", (long long)w->pending,
                   (long long)w->delivered, (long long)w->failed);
        }
    } while (rc == HC_OK && next);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail(CMD, "%s", err.msg);
}

/* ---- rm ------------------------------------------------------------------------ */
static int rm_tx(hc_store *s, hc_arena *a, void *ctx, hc_err *err)
{
    return hc_webhook_delete(s, ctx, err);
}

static void rm_print(void *ctx)
{
    printf("deleted %s\n", (const char *)ctx);
}

static int webhook_rm(int argc, char **argv)
{
    const char *db = NULL, *id = NULL;
    int rc = hc_cli_db_arg(argc, argv, CMD, "webhook rm ID [--db URL]", &db, &id);
    return rc ? rc : in_tx(db, rm_tx, rm_print, (void *)id);
}

/* ---- deliveries ---------------------------------------------------------------- */
static void print_delivery(const struct hc_webhook_delivery *d)
{
    char at[40];
    hc_time_iso(d->created_at, at, sizeof(at));
    printf("%lld  %s  %-17s %-10s %s", (long long)d->id, at, d->event_type, d->state,
           d->subject);
    if (strcmp(d->event_type, "stock.low") == 0) /* the crossing its body carried */
        printf("  available %lld below %lld", (long long)d->available, (long long)d->threshold);
    printf("  attempts %lld", (long long)d->attempts);
    if (d->last_error[0])
        printf("  last: %s", d->last_error);
    printf("\n");
    for (size_t i = 0; i < d->ntries; i++) {
        hc_time_iso(d->tries[i].at, at, sizeof(at));
        printf("    #%lld %s  http %lld  %lld ms  %s\n", (long long)d->tries[i].n, at,
               (long long)d->tries[i].http_status, (long long)d->tries[i].ms, d->tries[i].error);
    }
}

static int webhook_deliveries(int argc, char **argv)
{
    const char *db = NULL, *state = NULL, *limit = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--state", &state}, {"--limit", &limit}};
    const char *pos[1];
    size_t got;
    int64_t lim = 50;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail(CMD, "usage: webhook deliveries ID [--state S] [--limit N] [--db URL]");
    if (limit && hc_parse_i64(limit, 1, 1000, &lim) != HC_OK)
        return hc_cli_fail(CMD, "--limit must be 1..1000");
    hc_store *s;
    if (hc_cli_open(CMD, db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_webhook w;
    struct hc_webhook_delivery *items;
    size_t n = 0;
    int64_t next;
    int rc = hc_webhook_get(s, a, pos[0], &w, &err);
    if (rc == HC_OK)
        rc = hc_webhook_deliveries(s, a, w.id, state, 0, (int)lim, &items, &n, &next, &err);
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        print_delivery(&items[i]);
    if (rc == HC_OK && n == 0)
        printf("no deliveries\n");
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail(CMD, "%s", err.msg);
}

/* ---- redeliver ----------------------------------------------------------------- */
struct redeliver_ctx {
    const char *id;
    int64_t did, queued;
};

static int redeliver_tx(hc_store *s, hc_arena *a, void *ctx, hc_err *err)
{
    struct redeliver_ctx *c = ctx;
    struct hc_webhook_delivery d;
    int rc = hc_webhook_redeliver(s, a, c->id, c->did, &d, err);
    c->queued = d.id;
    return rc;
}

static void redeliver_print(void *ctx)
{
    struct redeliver_ctx *c = ctx;
    printf("queued delivery %lld (of %lld): haicang serve sends it\n", (long long)c->queued,
           (long long)c->did);
}

static int webhook_redeliver(int argc, char **argv)
{
    const char *db = NULL;
    struct hc_opt opts[] = {{"--db", &db}};
    const char *pos[2];
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got))
        return 2;
    struct redeliver_ctx c = {got > 0 ? pos[0] : NULL, 0, 0};
    if (got != 2 || hc_parse_i64(pos[1], 1, INT64_MAX, &c.did) != HC_OK)
        return hc_cli_fail(CMD, "usage: webhook redeliver ID DELIVERY [--db URL]");
    return in_tx(db, redeliver_tx, redeliver_print, &c);
}

int hc_cmd_webhook(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"add", webhook_add},
                {"update", webhook_update},
                {"list", webhook_list},
                {"rm", webhook_rm},
                {"deliveries", webhook_deliveries},
                {"redeliver", webhook_redeliver}};
    if (argc >= 2)
        for (size_t i = 0; i < HC_ARRAY_LEN(subs); i++)
            if (strcmp(argv[1], subs[i].name) == 0)
                return subs[i].run(argc - 1, argv + 1);
    return hc_cli_fail(CMD, "usage: webhook add|update|list|rm|deliveries|redeliver (haicang --help)");
}

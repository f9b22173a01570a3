/* demo_webhooks.c: the demo's webhook subscriptions, made before its orders
 * so that their changes fill the outbox: the seller SZ-ANKO's ERP and the
 * DE-DUI operator's bridge, both at names under .invalid (RFC 6761: they
 * never resolve), so `haicang serve` tries each queue's head, fails and
 * retries with backoff, and the delivery log shows it. And SZ-ANKO's
 * stock.low subscription with a threshold on AK-0001, made just before the
 * FBA replenishment takes 24 units of it out of DE-DUI's available stock,
 * so the log holds a stock.low delivery. */
#include "cli.h"

#include "webhooks/webhooks.h"

#include <stdio.h>

static int webhooks_job(hc_store *s, void *ctx, hc_err *err)
{
    int64_t made = 0;
    int rc = hc_store_int(s, err, &made, "SELECT COUNT(*) FROM wh_subscriptions WHERE actor = 'demo'",
                          "");
    if (rc != HC_OK || made > 0) /* a demo run again on the same database */
        return rc;
    hc_arena *a = hc_arena_new(1 << 12);
    const char *seller_events[] = {"order.shipped", "order.delivered", "inbound.received"};
    const char *op_events[] = {"order.created", "order.packed"};
    struct hc_webhook subs[] = {
        {.seller = "SZ-ANKO", .warehouse = "", .url = "https://erp.sz-anko.example.invalid/haicang",
         .description = "ERP (demo: never reachable)", .events = seller_events, .nevents = 3},
        {.seller = "", .warehouse = "DE-DUI", .url = "https://bridge.de-dui.example.invalid/events",
         .description = "WMS bridge (demo: never reachable)", .events = op_events, .nevents = 2},
    };
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(subs); i++)
        rc = hc_webhook_create(s, a, &subs[i], "demo", err);
    hc_arena_free(a);
    return rc;
}

int hc_demo_webhooks(hc_db *db, hc_err *err)
{
    return hc_db_write(db, webhooks_job, NULL, err);
}

#define STOCK_LOW_URL "https://replenish.sz-anko.example.invalid/stock-low"
#define STOCK_LOW_SKU "AK-0001"

/* The threshold is AK-0001's available units in DE-DUI now: the transfer's
 * allocation that follows takes it from there to below. */
static int stock_low_tx(hc_store *s, hc_arena *a, int64_t *below, hc_err *err)
{
    int64_t made = 0;
    int rc = hc_store_int(s, err, &made,
                          "SELECT COUNT(*) FROM wh_subscriptions WHERE actor = 'demo' AND url = ?",
                          "s", STOCK_LOW_URL);
    if (rc != HC_OK || made > 0)
        return rc;
    if ((rc = hc_ledger_available(s, "SZ-ANKO", "DE-DUI", STOCK_LOW_SKU, below, err)) != HC_OK)
        return rc;
    const char *events[] = {"stock.low"};
    struct hc_webhook_threshold th = {STOCK_LOW_SKU, *below};
    struct hc_webhook w = {.seller = "SZ-ANKO", .warehouse = "", .url = STOCK_LOW_URL,
                           .description = "replenishment planner (demo: never reachable)",
                           .events = events, .nevents = 1, .stock_threshold = -1,
                           .thresholds = &th, .nthresholds = 1};
    return hc_webhook_create(s, a, &w, "demo", err);
}

int hc_demo_stock_low(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 12);
    int64_t below = -1;
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, stock_low_tx(s, a, &below, err), err);
    if (rc == HC_OK && below >= 0)
        fprintf(out, "webhooks: stock.low for SZ-ANKO's %s below %lld units\n", STOCK_LOW_SKU,
                (long long)below);
    hc_arena_free(a);
    return rc;
}

/* demo_webhooks.c: the demo's webhook subscriptions, made before its orders
 * so that their changes fill the outbox: the seller SZ-ANKO's ERP and the
 * DE-DUI operator's bridge, both at names under .invalid (RFC 6761: they
 * never resolve), so `haicang serve` tries each queue's head, fails and
 * retries with backoff, and the delivery log shows it. */
#include "cli.h"

#include "webhooks/webhooks.h"

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

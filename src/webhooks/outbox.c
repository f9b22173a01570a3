/* outbox.c: subscriptions, the outbox rows written with each change, the
 * delivery log and its attempts. */
#include "webhooks/webhooks.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define SUB_COLS "id, seller, warehouse, url, events, description, actor, created_at, deleted_at,"     \
    " stock_threshold"
#define DEL_COLS                                                                                   \
    "id, sub_id, event_id, event_type, seller, warehouse, subject, status, event_at, state,"      \
    " attempts, next_at, last_code, last_error, redelivery_of, created_at, done_at,"  \
    " available, threshold"

/* "a,b,c" split into a's strings. */
static void split_events(hc_arena *a, const char *csv, struct hc_webhook *w)
{
    w->events = hc_arena_alloc(a, sizeof(*w->events) * (HC_WEBHOOK_EVENTS_MAX + 1));
    w->nevents = 0;
    const char *p = csv;
    while (*p && w->nevents < HC_WEBHOOK_EVENTS_MAX) {
        size_t n = strcspn(p, ",");
        w->events[w->nevents++] = hc_arena_strndup(a, p, n);
        p += n + (p[n] == ',');
    }
}

static bool has_event(const char *csv, const char *type)
{
    size_t tl = strlen(type);
    for (const char *p = csv; *p;) {
        size_t n = strcspn(p, ",");
        if (n == tl && memcmp(p, type, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

static void read_sub(hc_stmt *q, hc_arena *a, struct hc_webhook *w)
{
    memset(w, 0, sizeof(*w));
    w->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    w->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
    w->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 2));
    w->url = hc_arena_strdup(a, hc_stmt_text(q, 3));
    split_events(a, hc_stmt_text(q, 4), w);
    w->description = hc_arena_strdup(a, hc_stmt_text(q, 5));
    w->actor = hc_arena_strdup(a, hc_stmt_text(q, 6));
    w->created_at = hc_stmt_int(q, 7);
    w->deleted_at = hc_stmt_int(q, 8);
    w->stock_threshold = hc_stmt_int(q, 9);
    w->stock_threshold_set = w->stock_threshold >= 0;
}

static bool takes_stock_low(const struct hc_webhook *w)
{
    for (size_t i = 0; i < w->nevents; i++)
        if (strcmp(w->events[i], "stock.low") == 0)
            return true;
    return false;
}

/* stock_threshold / thresholds only with stock.low, and stock.low only with
 * one of them. */
static int validate_thresholds(const struct hc_webhook *w, hc_err *err)
{
    bool any = w->stock_threshold_set || w->nthresholds > 0;
    if (!takes_stock_low(w))
        return any ? hc_err_set(err, HC_EINVAL, w->nthresholds ? "thresholds" : "stock_threshold",
                                "only for a subscription to stock.low")
                   : HC_OK;
    if (!any)
        return hc_err_set(err, HC_EINVAL, "stock_threshold",
                          "stock.low needs stock_threshold or thresholds");
    if (w->stock_threshold_set &&
        (w->stock_threshold < 0 || w->stock_threshold > HC_WEBHOOK_THRESHOLD_MAX))
        return hc_err_set(err, HC_EINVAL, "stock_threshold", "must be 0 to %d",
                          HC_WEBHOOK_THRESHOLD_MAX);
    if (w->nthresholds > HC_WEBHOOK_THRESHOLDS_MAX)
        return hc_err_set(err, HC_EINVAL, "thresholds", "at most %d", HC_WEBHOOK_THRESHOLDS_MAX);
    for (size_t i = 0; i < w->nthresholds; i++) {
        char f[48];
        snprintf(f, sizeof(f), "thresholds[%zu].sku", i);
        if (hc_check_text(w->thresholds[i].sku, f, 64, false, err))
            return err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(w->thresholds[j].sku, w->thresholds[i].sku) == 0)
                return hc_err_set(err, HC_EINVAL, f, "named twice");
        snprintf(f, sizeof(f), "thresholds[%zu].below", i);
        if (w->thresholds[i].below < 0 || w->thresholds[i].below > HC_WEBHOOK_THRESHOLD_MAX)
            return hc_err_set(err, HC_EINVAL, f, "must be 0 to %d", HC_WEBHOOK_THRESHOLD_MAX);
    }
    return HC_OK;
}

/* Is there any live stock.low subscription? A per-process flag re-read
 * at most once a second (other servers' subscriptions are heard within a
 * second) and at once after this process changes subscriptions. */
#define STOCK_LOW_RECHECK_MS 1000
static _Atomic int64_t stock_low_checked_at; /* 0: read it again */
static _Atomic bool stock_low_any;

static void stock_low_forget(void)
{
    atomic_store(&stock_low_checked_at, 0);
}

/* Is there any live subscription at all? Asked once per transaction of a
 * connection: orders are many and subscriptions few (none, often), and on
 * SQLite no other connection writes while a write transaction is open, so
 * none appears in it but through this thread, which forgets the answer when
 * it writes one (a ROLLBACK TO SAVEPOINT gives the transaction a new number:
 * hc_store_tx). On MariaDB another server's subscription is heard from the
 * next transaction on, a few milliseconds later at most. Outside a
 * transaction it is asked every time. */
static _Thread_local struct {
    uint64_t tx;
    bool any;
} live_subs;

static int any_subscription(hc_store *s, bool *any, hc_err *err)
{
    uint64_t tx = hc_store_tx(s);
    if (tx != 0 && live_subs.tx == tx) {
        *any = live_subs.any;
        return HC_OK;
    }
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM (SELECT 1 FROM wh_subscriptions WHERE"
                          " deleted_at = 0 LIMIT 1) t",
                          "");
    if (rc != HC_OK)
        return rc;
    *any = n > 0;
    live_subs.tx = tx;
    live_subs.any = *any;
    return HC_OK;
}

/* This thread made or ended a subscription: ask again. */
static void subscriptions_changed(void)
{
    live_subs.tx = 0;
    stock_low_forget();
}

static int stock_low_wanted(hc_store *s, bool *any, hc_err *err)
{
    int64_t now = hc_now_ms(), at = atomic_load(&stock_low_checked_at);
    if (at != 0 && now - at < STOCK_LOW_RECHECK_MS) {
        *any = atomic_load(&stock_low_any);
        return HC_OK;
    }
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM wh_subscriptions WHERE deleted_at = 0 AND"
                          " events LIKE '%stock.low%'",
                          "");
    if (rc != HC_OK)
        return rc;
    *any = n > 0;
    atomic_store(&stock_low_any, *any);
    atomic_store(&stock_low_checked_at, now);
    return HC_OK;
}

static int validate(const struct hc_webhook *w, char *events, size_t size, hc_err *err)
{
    if ((w->seller[0] != '\0') == (w->warehouse[0] != '\0'))
        return hc_err_set(err, HC_EINVAL, w->seller[0] ? "warehouse" : "seller",
                          "a subscription is a seller's or a warehouse's (give one)");
    if (hc_check_text(w->description, "description", 200, true, err))
        return err->code;
    if (w->nevents == 0)
        return hc_err_set(err, HC_EINVAL, "events", "must name at least one event type");
    if (w->nevents > HC_WEBHOOK_EVENTS_MAX)
        return hc_err_set(err, HC_EINVAL, "events", "at most %d", HC_WEBHOOK_EVENTS_MAX);
    if (validate_thresholds(w, err) != HC_OK)
        return err->code;
    events[0] = '\0';
    for (size_t i = 0; i < w->nevents; i++) {
        char f[32];
        snprintf(f, sizeof(f), "events[%zu]", i);
        if (!hc_webhook_event_known(w->events[i]))
            return hc_err_set(err, HC_EINVAL, f, "unknown event type (see docs/webhooks.md)");
        if (has_event(events, w->events[i]))
            return hc_err_set(err, HC_EINVAL, f, "named twice");
        if (events[0])
            hc_strlcpy(events + strlen(events), ",", size - strlen(events));
        hc_strlcpy(events + strlen(events), w->events[i], size - strlen(events));
    }
    return HC_OK;
}

/* Writes w's stock_threshold (-1 when not set) and per-SKU rows. */
static int store_thresholds(hc_store *s, const struct hc_webhook *w, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL, "UPDATE wh_subscriptions SET stock_threshold = ? WHERE id = ?",
                          "is", w->stock_threshold_set ? w->stock_threshold : (int64_t)-1, w->id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "DELETE FROM wh_thresholds WHERE sub_id = ?", "s", w->id);
    for (size_t i = 0; rc == HC_OK && i < w->nthresholds; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO wh_thresholds (sub_id, sku, below) VALUES (?, ?, ?)", "ssi",
                          w->id, w->thresholds[i].sku, w->thresholds[i].below);
    return rc;
}

int hc_webhook_create(hc_store *s, hc_arena *a, struct hc_webhook *w, const char *actor,
                      hc_err *err)
{
    char events[HC_WEBHOOK_EVENTS_MAX * 24 + 1];
    if (!w->description)
        w->description = "";
    if (validate(w, events, sizeof(events), err) != HC_OK)
        return err->code;
    if (w->seller[0]) {
        int64_t one;
        int rc = hc_store_int(s, err, &one, "SELECT 1 FROM sellers WHERE code = ?", "s", w->seller);
        if (rc == HC_ENOTFOUND)
            return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", w->seller);
        if (rc != HC_OK)
            return rc;
    }
    if (w->warehouse[0]) {
        int64_t one;
        int rc = hc_store_int(s, err, &one, "SELECT 1 FROM warehouses WHERE code = ?", "s",
                              w->warehouse);
        if (rc == HC_ENOTFOUND)
            return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", w->warehouse);
        if (rc != HC_OK)
            return rc;
    }
    int64_t live = 0;
    int rc = hc_store_int(s, err, &live,
                          "SELECT COUNT(*) FROM wh_subscriptions WHERE seller = ? AND"
                          " warehouse = ? AND deleted_at = 0",
                          "ss", w->seller, w->warehouse);
    if (rc != HC_OK)
        return rc;
    if (live >= HC_WEBHOOK_PER_OWNER_MAX)
        return hc_err_set(err, HC_ECONFLICT, w->seller[0] ? "seller" : "warehouse",
                          "%s has %d subscriptions, the most there may be; delete one first",
                          w->seller[0] ? w->seller : w->warehouse, HC_WEBHOOK_PER_OWNER_MAX);
    unsigned char raw[HC_WEBHOOK_SECRET_HEX / 2];
    char hex[HC_WEBHOOK_SECRET_HEX + 1], id[HC_ID_MAX];
    if (hc_random_bytes(raw, sizeof(raw)) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, NULL, "no random bytes for the secret");
    hc_hex(raw, sizeof(raw), hex);
    hc_id_format("whk", hc_id_next(), id, sizeof(id));
    w->id = hc_arena_strdup(a, id);
    w->secret = hc_arena_printf(a, "whsec_%s", hex);
    w->actor = actor;
    w->created_at = hc_now_ms();
    w->deleted_at = 0;
    if (!w->stock_threshold_set)
        w->stock_threshold = -1;
    rc = hc_store_run(s, err, NULL,
                        "INSERT INTO wh_subscriptions (" SUB_COLS ", secret) VALUES"
                        " (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        "sssssssiis", w->id, w->seller, w->warehouse, w->url, events,
                        w->description, actor, w->created_at, w->stock_threshold, w->secret);
    if (rc == HC_OK && w->nthresholds > 0)
        rc = store_thresholds(s, w, err);
    subscriptions_changed();
    return rc;
}

int hc_webhook_set_thresholds(hc_store *s, hc_arena *a, struct hc_webhook *w, hc_err *err)
{
    HC_ASSERT(w && w->id);
    struct hc_webhook now;
    int rc = hc_webhook_get(s, a, w->id, &now, err);
    if (rc != HC_OK)
        return rc;
    now.stock_threshold_set = w->stock_threshold_set;
    now.stock_threshold = w->stock_threshold_set ? w->stock_threshold : -1;
    now.thresholds = w->thresholds;
    now.nthresholds = w->nthresholds;
    if ((rc = validate_thresholds(&now, err)) != HC_OK || (rc = store_thresholds(s, &now, err)))
        return rc;
    *w = now;
    return HC_OK;
}

static int load_thresholds(hc_store *s, hc_arena *a, struct hc_webhook *w, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT sku, below FROM wh_thresholds WHERE sub_id = ? ORDER BY sku"
                            " LIMIT ?",
                            "si", w->id, (int64_t)HC_WEBHOOK_THRESHOLDS_MAX);
    if (rc != HC_OK)
        return rc;
    w->thresholds = hc_arena_alloc(a, sizeof(*w->thresholds) * HC_WEBHOOK_THRESHOLDS_MAX);
    w->nthresholds = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && w->nthresholds < HC_WEBHOOK_THRESHOLDS_MAX) {
        w->thresholds[w->nthresholds].sku = hc_arena_strdup(a, hc_stmt_text(q, 0));
        w->thresholds[w->nthresholds++].below = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static int count_states(hc_store *s, struct hc_webhook *w, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT state, COUNT(*) FROM wh_deliveries WHERE sub_id = ?"
                            " GROUP BY state",
                            "s", w->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *st = hc_stmt_text(q, 0);
        int64_t n = hc_stmt_int(q, 1);
        if (strcmp(st, "pending") == 0)
            w->pending = n;
        else if (strcmp(st, "delivered") == 0)
            w->delivered = n;
        else if (strcmp(st, "failed") == 0)
            w->failed = n;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_webhook_get(hc_store *s, hc_arena *a, const char *id, struct hc_webhook *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " SUB_COLS " FROM wh_subscriptions WHERE id = ? AND"
                            " deleted_at = 0",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_sub(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no webhook %s", id);
    if (rc == HC_ROW)
        rc = load_thresholds(s, a, out, err);
    return rc == HC_OK ? count_states(s, out, err) : rc;
}

int hc_webhook_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    const char *cursor, int limit, struct hc_webhook **items, size_t *n,
                    const char **next, hc_err *err)
{
    assert(limit > 0);
    hc_stmt *q;
    const char *sel = seller ? seller : "", *wh = warehouse ? warehouse : "";
    const char *cur = cursor ? cursor : "";
    int rc = hc_store_query(s, err, &q,
                            "SELECT " SUB_COLS " FROM wh_subscriptions WHERE deleted_at = 0"
                            " AND (? = '' OR seller = ?) AND (? = '' OR warehouse = ?)"
                            " AND (? = '' OR id < ?) ORDER BY id DESC LIMIT ?",
                            "ssssssi", sel, sel, wh, wh, cur, cur, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * (size_t)(limit + 1));
    *n = 0;
    *next = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        read_sub(q, a, &(*items)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (*n > (size_t)limit) {
        *n = (size_t)limit;
        *next = (*items)[limit - 1].id;
    }
    for (size_t i = 0; i < *n; i++)
        if ((rc = load_thresholds(s, a, &(*items)[i], err)) != HC_OK ||
            (rc = count_states(s, &(*items)[i], err)) != HC_OK)
            return rc;
    return HC_OK;
}

int hc_webhook_delete(hc_store *s, const char *id, hc_err *err)
{
    int64_t changes = 0, now = hc_now_ms();
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE wh_subscriptions SET deleted_at = ? WHERE id = ? AND"
                          " deleted_at = 0",
                          "is", now, id);
    if (rc == HC_OK && changes != 1)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no webhook %s", id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE wh_deliveries SET state = 'cancelled', done_at = ? WHERE"
                          " sub_id = ? AND state = 'pending'",
                          "is", now, id);
    subscriptions_changed();
    return rc;
}

/* ---- the outbox ---------------------------------------------------------- */

/* With several writer connections (MariaDB) two transactions could take
 * ids for one subscription in one order and commit in the other, and the
 * sender could pass the later one first. Locking the subscription's row
 * before taking the id makes the second wait for the first's commit, so
 * ids of a subscription commit in their order. (SQLite has one writer.) */
static int lock_queue(hc_store *s, const char *sub_id, hc_err *err)
{
    if (hc_store_dialect(s) != HC_MYSQL)
        return HC_OK;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT id FROM wh_subscriptions WHERE id = ? FOR UPDATE",
                            "s", sub_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

static int add_delivery(hc_store *s, const char *sub_id, const char *event_id,
                        const struct hc_change *c, const char *warehouse, int64_t redelivery_of,
                        const int64_t stock[2], int64_t *id, hc_err *err)
{
    int rc = lock_queue(s, sub_id, err);
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    *id = hc_id_next(); /* after the lock: see lock_queue */
    return hc_store_run(s, err, NULL,
                        "INSERT INTO wh_deliveries (" DEL_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?,"
                        " ?, ?, 'pending', 0, ?, 0, '', ?, ?, 0, ?, ?)",
                        "isssssssiiiiii", *id, sub_id, event_id, c->type, c->seller, warehouse,
                        c->subject, c->status ? c->status : "", c->at, now, redelivery_of, now,
                        stock ? stock[0] : 0, stock ? stock[1] : 0);
}

static int warehouse_of(hc_store *s, const struct hc_change *c, char *out, size_t size,
                        hc_err *err)
{
    if (c->warehouse) {
        hc_strlcpy(out, c->warehouse, size);
        return HC_OK;
    }
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT warehouse FROM orders WHERE seller = ? AND id = ?",
                            "ss", c->seller, c->subject);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    hc_strlcpy(out, rc == HC_ROW ? hc_stmt_text(q, 0) : "", size);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

struct match {
    char id[HC_ID_MAX];
    char warehouse[HC_ID_MAX + 1]; /* "" for a seller's */
};

#define MATCH_MAX (2 * HC_WEBHOOK_PER_OWNER_MAX)

/* The live subscriptions of c's seller and of warehouse wh that take
 * c->type (at most MATCH_MAX: hc_webhook_create keeps each owner to
 * HC_WEBHOOK_PER_OWNER_MAX), by id: the order their rows are locked in,
 * the same in every transaction. */
static int matching(hc_store *s, const struct hc_change *c, const char *wh, struct match *m,
                    size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, warehouse, events FROM wh_subscriptions WHERE"
                            " deleted_at = 0 AND (seller = ? OR (seller = '' AND warehouse = ?))"
                            " ORDER BY id",
                            "ss", c->seller, wh);
    if (rc != HC_OK)
        return rc;
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < MATCH_MAX)
        if (has_event(hc_stmt_text(q, 2), c->type)) {
            hc_strlcpy(m[*n].id, hc_stmt_text(q, 0), sizeof(m[*n].id));
            hc_strlcpy(m[*n].warehouse, hc_stmt_text(q, 1), sizeof(m[*n].warehouse));
            (*n)++;
        }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_webhook_on_change(hc_store *s, const struct hc_change *c, hc_err *err)
{
    if (!hc_webhook_event_known(c->type))
        return HC_OK;
    bool any = false;
    int rc = any_subscription(s, &any, err);
    if (rc != HC_OK || !any)
        return rc;
    struct match m[MATCH_MAX];
    size_t n = 0;
    char wh[HC_ID_MAX + 1], event_id[HC_ID_MAX];
    rc = warehouse_of(s, c, wh, sizeof(wh), err);
    if (rc == HC_OK) /* an operator's subscription hears its warehouse only */
        rc = matching(s, c, wh, m, &n, err);
    if (rc != HC_OK || n == 0)
        return rc;
    hc_id_format("evt", hc_id_next(), event_id, sizeof(event_id));
    for (size_t i = 0; i < n && rc == HC_OK; i++) {
        int64_t id;
        rc = add_delivery(s, m[i].id, event_id, c, wh, 0, NULL, &id, err);
    }
    return rc;
}

struct stock_match {
    char id[HC_ID_MAX];
    int64_t threshold; /* the SKU's own, else the subscription's; -1: none */
};

/* The live stock.low subscriptions of c's seller and of its warehouse, by
 * id (the order their rows are locked in), with their threshold for c's SKU. */
static int stock_matching(hc_store *s, const struct hc_stock_change *c, struct stock_match *m,
                          size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT w.id, w.events, COALESCE(t.below, w.stock_threshold) FROM"
                            " wh_subscriptions w LEFT JOIN wh_thresholds t ON t.sub_id = w.id"
                            " AND t.sku = ? WHERE w.deleted_at = 0 AND (w.seller = ? OR"
                            " (w.seller = '' AND w.warehouse = ?)) ORDER BY w.id",
                            "sss", c->sku, c->seller, c->warehouse);
    if (rc != HC_OK)
        return rc;
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < MATCH_MAX)
        if (has_event(hc_stmt_text(q, 1), "stock.low")) {
            hc_strlcpy(m[*n].id, hc_stmt_text(q, 0), sizeof(m[*n].id));
            m[*n].threshold = hc_stmt_int(q, 2);
            (*n)++;
        }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_webhook_on_stock(hc_store *s, const struct hc_stock_change *c, hc_err *err)
{
    assert(c->delta != 0);
    if (c->delta > 0)
        return HC_OK; /* a rise never crosses below */
    bool any = false;
    int rc = stock_low_wanted(s, &any, err);
    if (rc != HC_OK || !any)
        return rc;
    struct stock_match m[MATCH_MAX];
    size_t n = 0;
    int64_t after = 0;
    if ((rc = stock_matching(s, c, m, &n, err)) != HC_OK || n == 0)
        return rc;
    if ((rc = hc_ledger_available(s, c->seller, c->warehouse, c->sku, &after, err)) != HC_OK)
        return rc;
    struct hc_change ev = {"stock.low", c->seller, c->warehouse, c->sku, "", hc_now_ms()};
    char event_id[HC_ID_MAX];
    hc_id_format("evt", hc_id_next(), event_id, sizeof(event_id));
    for (size_t i = 0; i < n && rc == HC_OK; i++) {
        if (!hc_stock_crossed_below(after - c->delta, after, m[i].threshold))
            continue;
        int64_t id, stock[2] = {after, m[i].threshold};
        rc = add_delivery(s, m[i].id, event_id, &ev, c->warehouse, 0, stock, &id, err);
    }
    return rc;
}

void hc_webhooks_install(void)
{
    hc_change_listen(hc_webhook_on_change);
    hc_stock_listen(hc_webhook_on_stock);
}

/* ---- the log ------------------------------------------------------------- */

static void read_delivery(hc_stmt *q, hc_arena *a, struct hc_webhook_delivery *d)
{
    memset(d, 0, sizeof(*d));
    d->id = hc_stmt_int(q, 0);
    const char **txt[] = {&d->sub_id, &d->event_id, &d->event_type, &d->seller,
                          &d->warehouse, &d->subject, &d->status};
    for (size_t i = 0; i < HC_ARRAY_LEN(txt); i++)
        *txt[i] = hc_arena_strdup(a, hc_stmt_text(q, (int)i + 1));
    d->event_at = hc_stmt_int(q, 8);
    d->state = hc_arena_strdup(a, hc_stmt_text(q, 9));
    d->attempts = hc_stmt_int(q, 10);
    d->next_at = hc_stmt_int(q, 11);
    d->last_code = hc_stmt_int(q, 12);
    d->last_error = hc_arena_strdup(a, hc_stmt_text(q, 13));
    d->redelivery_of = hc_stmt_int(q, 14);
    d->created_at = hc_stmt_int(q, 15);
    d->done_at = hc_stmt_int(q, 16);
    d->available = hc_stmt_int(q, 17);
    d->threshold = hc_stmt_int(q, 18);
}

static int load_tries(hc_store *s, hc_arena *a, struct hc_webhook_delivery *d, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT n, at, http_status, error, ms FROM wh_attempts WHERE"
                            " delivery = ? ORDER BY n LIMIT 200",
                            "i", d->id);
    if (rc != HC_OK)
        return rc;
    d->tries = hc_arena_alloc(a, sizeof(*d->tries) * (size_t)(d->attempts < 200 ? d->attempts + 1 : 201));
    d->ntries = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && d->ntries <= (size_t)d->attempts) {
        struct hc_webhook_attempt *t = &d->tries[d->ntries++];
        t->n = hc_stmt_int(q, 0);
        t->at = hc_stmt_int(q, 1);
        t->http_status = hc_stmt_int(q, 2);
        t->error = hc_arena_strdup(a, hc_stmt_text(q, 3));
        t->ms = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_webhook_deliveries(hc_store *s, hc_arena *a, const char *sub_id, const char *state,
                          int64_t cursor, int limit, struct hc_webhook_delivery **items,
                          size_t *n, int64_t *next, hc_err *err)
{
    assert(limit > 0);
    hc_stmt *q;
    const char *st = state ? state : "";
    int rc = hc_store_query(s, err, &q,
                            "SELECT " DEL_COLS " FROM wh_deliveries WHERE sub_id = ? AND"
                            " (? = '' OR state = ?) AND (? = 0 OR id < ?) ORDER BY id DESC"
                            " LIMIT ?",
                            "sssiii", sub_id, st, st, cursor, cursor, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * (size_t)(limit + 1));
    *n = 0;
    *next = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        read_delivery(q, a, &(*items)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (*n > (size_t)limit) {
        *n = (size_t)limit;
        *next = (*items)[limit - 1].id;
    }
    for (size_t i = 0; i < *n; i++)
        if ((rc = load_tries(s, a, &(*items)[i], err)) != HC_OK)
            return rc;
    return HC_OK;
}

int hc_webhook_delivery_get(hc_store *s, hc_arena *a, const char *sub_id, int64_t id,
                            struct hc_webhook_delivery *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " DEL_COLS " FROM wh_deliveries WHERE id = ? AND sub_id = ?",
                            "is", id, sub_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_delivery(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "delivery", "no delivery %lld of webhook %s",
                          (long long)id, sub_id);
    return rc == HC_ROW ? load_tries(s, a, out, err) : rc;
}

int hc_webhook_redeliver(hc_store *s, hc_arena *a, const char *sub_id, int64_t id,
                         struct hc_webhook_delivery *out, hc_err *err)
{
    struct hc_webhook w;
    struct hc_webhook_delivery d;
    int rc = hc_webhook_get(s, a, sub_id, &w, err);
    if (rc == HC_OK)
        rc = hc_webhook_delivery_get(s, a, sub_id, id, &d, err);
    if (rc != HC_OK)
        return rc;
    struct hc_change c = {d.event_type, d.seller, d.warehouse, d.subject, d.status, d.event_at};
    int64_t nid, stock[2] = {d.available, d.threshold};
    if ((rc = add_delivery(s, sub_id, d.event_id, &c, d.warehouse, d.id, stock, &nid, err)) != HC_OK)
        return rc;
    return hc_webhook_delivery_get(s, a, sub_id, nid, out, err);
}

/* ---- for the sender ------------------------------------------------------ */

/* One index seek per live subscription (wh_deliveries_queue), whatever the
 * length of its queue. */
int hc_webhook_due(hc_store *s, hc_arena *a, int64_t now, int limit,
                   struct hc_webhook_delivery **items, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT d.id, d.sub_id, d.event_id, d.event_type, d.seller, d.warehouse, d.subject,"
        " d.status, d.event_at, d.state, d.attempts, d.next_at, d.last_code, d.last_error,"
        " d.redelivery_of, d.created_at, d.done_at, d.available, d.threshold, w.url, w.secret FROM wh_subscriptions w"
        " JOIN wh_deliveries d ON d.id = (SELECT MIN(e.id) FROM wh_deliveries e WHERE"
        " e.sub_id = w.id AND e.state = 'pending') WHERE w.deleted_at = 0 AND"
        " d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?",
        "ii", now, (int64_t)limit);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * (size_t)limit);
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)limit) {
        struct hc_webhook_delivery *d = &(*items)[(*n)++];
        read_delivery(q, a, d);
        d->url = hc_arena_strdup(a, hc_stmt_text(q, 19));
        d->secret = hc_arena_strdup(a, hc_stmt_text(q, 20));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_webhook_record(hc_store *s, const struct hc_webhook_delivery *d,
                      const struct hc_webhook_attempt *at, int64_t base_ms, hc_err *err)
{
    int64_t n = d->attempts + 1, changes = 0;
    bool ok = at->http_status >= 200 && at->http_status < 300;
    bool give_up = !ok && at->at >= d->created_at + HC_WEBHOOK_GIVE_UP_MS;
    const char *state = ok ? "delivered" : give_up ? "failed" : "pending";
    int64_t next = ok || give_up ? 0 : at->at + hc_webhook_backoff_ms(n, base_ms);
    char e[256];
    hc_strlcpy(e, at->error ? at->error : "", sizeof(e));
    /* only a pending row of the attempt it was read at: a delete or a
     * second sender in between leaves it alone */
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE wh_deliveries SET state = ?, attempts = ?, next_at = ?,"
                          " last_code = ?, last_error = ?, done_at = ? WHERE id = ? AND"
                          " state = 'pending' AND attempts = ?",
                          "siiisiii", state, n, next, at->http_status, e,
                          ok || give_up ? at->at : (int64_t)0, d->id, d->attempts);
    if (rc != HC_OK || changes != 1)
        return rc;
    return hc_store_run(s, err, NULL,
                        "INSERT INTO wh_attempts (delivery, n, at, http_status, error, ms)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        "iiiisi", d->id, n, at->at, at->http_status, e, at->ms);
}

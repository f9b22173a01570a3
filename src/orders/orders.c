/* orders.c: the life of a channel order in the store. */
#include "orders.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define WAREHOUSES_MAX 256

int hc_order_validate(const struct hc_order *o, hc_err *err)
{
    if (hc_check_code(o->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_text(o->channel, "channel", HC_CHANNEL_MAX, false, err) ||
        hc_check_text(o->channel_order_id, "channel_order_id", HC_CHANNEL_ORDER_MAX, false, err))
        return err->code;
    if (o->ship_country == NULL || !hc_country_valid(o->ship_country))
        return hc_err_set(err, HC_EINVAL, "ship_to.country",
                          "must be an ISO 3166-1 alpha-2 country code");
    if (o->nlines == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "must hold at least one line");
    if (o->nlines > HC_ORDER_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_ORDER_LINES_MAX);
    for (size_t i = 0; i < o->nlines; i++) {
        const struct hc_order_line *l = &o->lines[i];
        char f[64];
        snprintf(f, sizeof(f), "lines[%zu].sku", i);
        if (hc_check_code(l->sku, f, HC_SKU_MAX, err))
            return err->code;
        if (l->qty <= 0 || l->qty > HC_ORDER_QTY_MAX) {
            snprintf(f, sizeof(f), "lines[%zu].qty", i);
            return hc_err_set(err, HC_EINVAL, f, "must be 1..%d", HC_ORDER_QTY_MAX);
        }
        if (l->price_minor < 0) {
            snprintf(f, sizeof(f), "lines[%zu].unit_price.amount", i);
            return hc_err_set(err, HC_EINVAL, f, "must be >= 0");
        }
        if (hc_currency_scale(l->currency) < 0) {
            snprintf(f, sizeof(f), "lines[%zu].unit_price.currency", i);
            return hc_err_set(err, HC_EINVAL, f, "must be an ISO 4217 code");
        }
    }
    return HC_OK;
}

static hc_change_fn change_listener;

void hc_change_listen(hc_change_fn fn)
{
    change_listener = fn;
}

int hc_change_emit(hc_store *s, const struct hc_change *c, hc_err *err)
{
    return change_listener ? change_listener(s, c, err) : HC_OK;
}

/* Every status an order enters is recorded here, and heard of. */
static int add_history(hc_store *s, const char *seller, const char *id, const char *status,
                       int64_t at, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO order_history (seller, order_id, id, status, at)"
                          " VALUES (?, ?, ?, ?, ?)",
                          "ssisi", seller, id, hc_id_next(), status, at);
    char type[48];
    snprintf(type, sizeof(type), "order.%s", status);
    struct hc_change c = {type, seller, NULL, id, status, at};
    return rc == HC_OK ? hc_change_emit(s, &c, err) : rc;
}

int hc_order_set_status(hc_store *s, const char *seller, const char *id,
                        enum hc_order_status from_st, enum hc_order_status to_st, hc_err *err)
{
    const char *from = hc_order_status_name(from_st), *to = hc_order_status_name(to_st);
    int64_t now = hc_now_ms(), changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE orders SET status = ?, updated_at = ? WHERE seller = ? AND id = ?"
                          " AND status = ?",
                          "sisss", to, now, seller, id, from);
    if (rc != HC_OK)
        return rc;
    if (changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "status", "order %s is not %s", id, from);
    return add_history(s, seller, id, to, now, err);
}

/* Loads the order row (no lines) by id. */
static int load_head(hc_store *s, hc_arena *a, const char *id, struct hc_order *o, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, seller, channel, channel_order_id, status, warehouse,"
                            " ship_to, ship_country, carrier, tracking_no, parcels, wave,"
                            " created_at, updated_at, hold_reason FROM orders WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(o, 0, sizeof(*o));
        const char **f[] = {&o->id, &o->seller, &o->channel, &o->channel_order_id, &o->status,
                            &o->warehouse, &o->ship_to_json, &o->ship_country, &o->carrier,
                            &o->tracking_no, &o->parcels_json, &o->wave};
        for (int i = 0; i < 12; i++)
            *f[i] = hc_stmt_is_null(q, i) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, i));
        o->created_at = hc_stmt_int(q, 12);
        o->updated_at = hc_stmt_int(q, 13);
        o->hold_reason = hc_stmt_text(q, 14)[0] ? hc_arena_strdup(a, hc_stmt_text(q, 14)) : NULL;
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no order %s", id);
    }
    hc_stmt_reset(q);
    return rc;
}

static int load_lines(hc_store *s, hc_arena *a, struct hc_order *o, hc_err *err)
{
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM order_lines WHERE seller = ? AND order_id = ?", "ss",
                          o->seller, o->id);
    if (rc != HC_OK)
        return rc;
    o->lines = hc_arena_alloc(a, sizeof(*o->lines) * (size_t)(n > 0 ? n : 1));
    o->nlines = 0;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT sku, qty, price_minor, currency, allocated FROM order_lines"
                        " WHERE seller = ? AND order_id = ? ORDER BY line_no",
                        "ss", o->seller, o->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && o->nlines < (size_t)n) {
        struct hc_order_line *l = &o->lines[o->nlines++];
        l->sku = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->qty = hc_stmt_int(q, 1);
        l->price_minor = hc_stmt_int(q, 2);
        l->currency = hc_arena_strdup(a, hc_stmt_text(q, 3));
        l->allocated = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static int load_history(hc_store *s, hc_arena *a, struct hc_order *o, hc_err *err)
{
    size_t cap = 8;
    o->history = hc_arena_alloc(a, sizeof(*o->history) * cap);
    o->nhistory = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT status, at FROM order_history WHERE seller = ? AND order_id = ?"
                            " ORDER BY id",
                            "ss", o->seller, o->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (o->nhistory == cap) {
            struct hc_order_event *h = hc_arena_alloc(a, sizeof(*h) * cap * 2);
            memcpy(h, o->history, sizeof(*h) * cap);
            o->history = h;
            cap *= 2;
        }
        o->history[o->nhistory].status = hc_arena_strdup(a, hc_stmt_text(q, 0));
        o->history[o->nhistory++].at = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_order_get(hc_store *s, hc_arena *a, const char *id, struct hc_order *out, hc_err *err)
{
    int rc = load_head(s, a, id, out, err);
    if (rc == HC_OK)
        rc = load_lines(s, a, out, err);
    if (rc == HC_OK)
        rc = load_history(s, a, out, err);
    return rc;
}

/* Units of each distinct SKU an order needs. */
struct need {
    const char *sku;
    int64_t qty;
};

static size_t needs_of(const struct hc_order *o, struct need *need)
{
    size_t n = 0;
    for (size_t i = 0; i < o->nlines; i++) {
        size_t j = 0;
        while (j < n && strcmp(need[j].sku, o->lines[i].sku) != 0)
            j++;
        if (j == n)
            need[n++] = (struct need){o->lines[i].sku, 0};
        need[j].qty += o->lines[i].qty;
    }
    return n;
}

static int allocate_lines(hc_store *s, struct hc_order *o, const char *actor, hc_err *err)
{
    for (size_t i = 0; i < o->nlines; i++) {
        int rc = hc_ledger_allocate(s, o->seller, o->warehouse, o->lines[i].sku, o->lines[i].qty,
                                    o->id, actor, err);
        if (rc == HC_ECONFLICT) /* another server took it since we looked: route again */
            return HC_EBUSY;
        if (rc != HC_OK)
            return rc;
        o->lines[i].allocated = o->lines[i].qty;
    }
    return HC_OK;
}

/* The warehouses to route among, read again when this process made one and
 * at least once a second (another server may have): new warehouses are rare,
 * orders are many. */
static struct {
    pthread_mutex_t mu;
    int64_t read_at, generation;
    struct hc_route_candidate c[WAREHOUSES_MAX];
    char codes[WAREHOUSES_MAX][HC_CODE_MAX + 1], countries[WAREHOUSES_MAX][3];
    size_t n;
} whs = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int load_warehouses(hc_store *s, hc_arena *a, struct hc_route_candidate **out, size_t *n,
                           hc_err *err)
{
    int rc = HC_OK;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&whs.mu);
    int64_t now = hc_now_ms(), gen = hc_warehouse_generation();
    if (whs.n == 0 || now - whs.read_at > 1000 || now < whs.read_at || gen != whs.generation) {
        whs.generation = gen;
        hc_stmt *q;
        whs.n = 0;
        rc = hc_store_query(s, err, &q,
                            "SELECT code, country, lat_e6, lon_e6 FROM warehouses ORDER BY code",
                            "");
        if (rc != HC_OK)
            goto done;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW && whs.n < WAREHOUSES_MAX) {
            struct hc_route_candidate *c = &whs.c[whs.n];
            hc_strlcpy(whs.codes[whs.n], hc_stmt_text(q, 0), sizeof(whs.codes[0]));
            hc_strlcpy(whs.countries[whs.n], hc_stmt_text(q, 1), sizeof(whs.countries[0]));
            c->has_geo = !hc_stmt_is_null(q, 2);
            c->lat = (double)hc_stmt_int(q, 2) / 1e6;
            c->lon = (double)hc_stmt_int(q, 3) / 1e6;
            whs.n++;
        }
        hc_stmt_reset(q);
        if (rc != HC_ROW && rc != HC_DONE) {
            whs.n = 0;
            goto done;
        }
        rc = HC_OK;
        whs.read_at = now;
    }
    *n = whs.n;
    *out = hc_arena_alloc(a, sizeof(**out) * (whs.n ? whs.n : 1));
    for (size_t i = 0; i < whs.n; i++) {
        (*out)[i] = whs.c[i];
        (*out)[i].code = hc_arena_strdup(a, whs.codes[i]);
        (*out)[i].country = hc_arena_strdup(a, whs.countries[i]);
        (*out)[i].complete = true;
    }
done:
    pthread_mutex_unlock(&whs.mu);
    return rc;
}

static int route(hc_store *s, hc_arena *a, struct hc_order *o, const struct need *need,
                 size_t nneed, bool *complete, hc_err *err)
{
    struct hc_route_candidate *c;
    size_t n;
    int rc = load_warehouses(s, a, &c, &n, err);
    if (rc != HC_OK)
        return rc;
    if (n == 0)
        return hc_err_set(err, HC_ECONFLICT, "warehouse", "no warehouse exists to ship from");
    /* one look at each SKU's stock across all warehouses */
    for (size_t k = 0; k < nneed; k++) {
        bool *ok = hc_arena_alloc(a, sizeof(bool) * n);
        hc_stmt *q;
        if ((rc = hc_store_query(s, err, &q,
                                 "SELECT warehouse, on_hand - allocated FROM stock WHERE seller = ?"
                                 " AND sku = ?",
                                 "ss", o->seller, need[k].sku)) != HC_OK)
            return rc;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW)
            if (hc_stmt_int(q, 1) >= need[k].qty)
                for (size_t i = 0; i < n; i++)
                    if (strcmp(c[i].code, hc_stmt_text(q, 0)) == 0)
                        ok[i] = true;
        hc_stmt_reset(q);
        if (rc != HC_DONE)
            return rc;
        for (size_t i = 0; i < n; i++)
            c[i].complete = c[i].complete && ok[i];
    }
    int best = hc_route_choose(c, n, o->ship_country, complete);
    o->warehouse = c[best].code;
    return HC_OK;
}

/* the order waits in the backorder queue: its head and the SKUs it still needs */
static int add_backorder(hc_store *s, const struct hc_order *o, const struct need *need,
                         size_t nneed, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO backorders (seller, warehouse, order_id, created_at)"
                          " VALUES (?, ?, ?, ?)",
                          "sssi", o->seller, o->warehouse, o->id, o->created_at);
    for (size_t k = 0; rc == HC_OK && k < nneed; k++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO backorder_lines (seller, sku, order_id, warehouse,"
                          " created_at) VALUES (?, ?, ?, ?, ?)",
                          "ssssi", o->seller, need[k].sku, o->id, o->warehouse, o->created_at);
    return rc;
}

int hc_order_create(hc_store *s, hc_arena *a, struct hc_order *o, const char *actor,
                    bool *existed, hc_err *err)
{
    *existed = false;
    /* The writer may run this job again (deadlock, Galera conflict, lost
     * connection): start from the input, never from a previous attempt's
     * allocation, route or id. */
    for (size_t i = 0; i < o->nlines; i++)
        o->lines[i].allocated = 0;
    o->id = o->status = o->warehouse = NULL;
    o->history = NULL;
    o->nhistory = 0;
    int rc = hc_order_validate(o, err);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT id FROM orders WHERE seller = ? AND channel = ? AND"
                        " channel_order_id = ?",
                        "sss", o->seller, o->channel, o->channel_order_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    char *found = rc == HC_ROW ? hc_arena_strdup(a, hc_stmt_text(q, 0)) : NULL;
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (found) {
        *existed = true;
        return hc_order_get(s, a, found, o, err);
    }
    if (!hc_seller_exists(s, o->seller, err)) {
        if (err->code != HC_OK && err->code != HC_ENOTFOUND)
            return err->code;
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", o->seller);
    }
    for (size_t i = 0; i < o->nlines; i++) {
        if (!hc_sku_exists(s, o->seller, o->lines[i].sku, err)) {
            if (err->code != HC_OK && err->code != HC_ENOTFOUND)
                return err->code;
            hc_err_clear(err);
            char f[64];
            snprintf(f, sizeof(f), "lines[%zu].sku", i);
            return hc_err_set(err, HC_EINVAL, f, "unknown SKU %s for seller %s", o->lines[i].sku,
                              o->seller);
        }
    }
    hc_err_clear(err);
    struct need *need = hc_arena_alloc(a, sizeof(*need) * o->nlines);
    size_t nneed = needs_of(o, need);
    bool complete;
    if ((rc = route(s, a, o, need, nneed, &complete, err)) != HC_OK)
        return rc;

    char id[HC_ID_MAX];
    hc_id_format("ord", hc_id_next(), id, sizeof(id));
    o->id = hc_arena_strdup(a, id);
    o->created_at = o->updated_at = o->created_at > 0 ? o->created_at : hc_now_ms();
    o->status = hc_order_status_name(complete ? HC_ORDER_ALLOCATED : HC_ORDER_BACKORDERED);
    o->carrier = o->tracking_no = o->parcels_json = o->wave = NULL;
    bool held = o->hold_reason && o->hold_reason[0];
    if (held) { /* routed, but neither allocated nor backordered until released */
        o->status = hc_order_status_name(HC_ORDER_ON_HOLD);
        complete = true;
    } else if (complete && (rc = allocate_lines(s, o, actor, err)) != HC_OK) {
        return rc;
    }
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse,"
                      " ship_to, ship_country, created_at, updated_at, ship_name, hold_reason)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "ssssssssiiss", o->seller, o->id, o->channel, o->channel_order_id, o->status,
                      o->warehouse, o->ship_to_json, o->ship_country, o->created_at,
                      o->updated_at, o->ship_name, held ? o->hold_reason : "");
    if (rc == HC_ECONFLICT) /* the same channel order raced in: the retry finds it */
        return HC_EBUSY;
    for (size_t i = 0; rc == HC_OK && i < o->nlines; i++) {
        const struct hc_order_line *l = &o->lines[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO order_lines (seller, order_id, line_no, sku, qty,"
                          " price_minor, currency, allocated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssisiisi", o->seller, o->id, (int64_t)i, l->sku, l->qty,
                          l->price_minor, l->currency, l->allocated);
    }
    if (rc == HC_OK && !complete)
        rc = add_backorder(s, o, need, nneed, err);
    struct hc_change created = {"order.created", o->seller, o->warehouse, o->id, o->status,
                                o->created_at};
    if (rc == HC_OK)
        rc = hc_change_emit(s, &created, err);
    if (rc == HC_OK)
        rc = add_history(s, o->seller, o->id, o->status, o->created_at, err);
    if (rc == HC_OK) {
        o->history = hc_arena_alloc(a, sizeof(*o->history));
        o->history[0] = (struct hc_order_event){o->status, o->created_at};
        o->nhistory = 1;
    }
    return rc;
}

/* Gives back the reservation of every line. */
static int release_lines(hc_store *s, const struct hc_order *o, const char *actor, hc_err *err)
{
    for (size_t i = 0; i < o->nlines; i++) {
        const struct hc_order_line *l = &o->lines[i];
        if (l->allocated <= 0)
            continue;
        int rc = hc_ledger_release(s, o->seller, o->warehouse, l->sku, l->allocated, o->id, actor,
                                   err);
        if (rc == HC_OK)
            rc = hc_store_run(s, err, NULL,
                              "UPDATE order_lines SET allocated = 0 WHERE seller = ? AND"
                              " order_id = ? AND sku = ?",
                              "sss", o->seller, o->id, l->sku);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* A packed order's goods sit at order/<id>: put them back where they were
 * picked from. */
static int unpick(hc_store *s, const struct hc_order *o, const char *actor, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT location, sku, qty FROM wave_picks WHERE order_id = ?"
                            " ORDER BY seq",
                            "s", o->id);
    if (rc != HC_OK)
        return rc;
    hc_arena *a = hc_arena_new(4096);
    struct back {
        char *loc, *sku;
        int64_t qty;
    } *b = NULL;
    size_t n = 0, cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        b = hc_arena_grow(a, b, n, &cap, sizeof(*b));
        b[n].loc = hc_arena_printf(a, "wh/%s/%s", o->warehouse, hc_stmt_text(q, 0));
        b[n].sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        b[n++].qty = hc_stmt_int(q, 2);
    }
    hc_stmt_reset(q);
    if (rc == HC_DONE) {
        rc = HC_OK;
        char from[HC_PLACE_MAX];
        snprintf(from, sizeof(from), "order/%s", o->id);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            struct hc_move m = {o->seller, b[i].sku, b[i].qty, from, b[i].loc, o->id, actor, 0, 0};
            rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err);
            if (rc == HC_OK)
                rc = hc_ledger_move(s, &m, err);
        }
    }
    hc_arena_free(a);
    return rc;
}

static int unbackorder(hc_store *s, const struct hc_order *o, const char *warehouse, hc_err *err);

int hc_order_cancel(hc_store *s, hc_arena *a, const char *id, const char *actor,
                    struct hc_order *out, hc_err *err)
{
    int rc = hc_order_get(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    int st = hc_order_status_parse(out->status);
    /* picks confirmed by scan (warehouse/scan.c) before packing: the
     * allocation is consumed and the goods sit at order/<id> */
    bool picked = st == HC_ORDER_PICKING && out->nlines > 0;
    for (size_t i = 0; picked && i < out->nlines; i++)
        picked = out->lines[i].allocated == 0;
    if ((st == HC_ORDER_ALLOCATED || st == HC_ORDER_PICKING) && !picked) {
        rc = release_lines(s, out, actor, err);
    } else if (st == HC_ORDER_PACKED || picked) {
        rc = unpick(s, out, actor, err);
    } else if (st == HC_ORDER_BACKORDERED) {
        rc = unbackorder(s, out, out->warehouse, err);
    } else if (st == HC_ORDER_ON_HOLD) {
        rc = release_lines(s, out, actor, err); /* a compliance hold may keep its stock */
    } else {
        return hc_err_set(err, HC_ECONFLICT, "status", "a %s order can no longer be cancelled",
                          out->status);
    }
    if (rc == HC_OK)
        rc = hc_order_set_status(s, out->seller, out->id, st, HC_ORDER_CANCELLED, err);
    bool held_stock = false;
    for (size_t i = 0; st == HC_ORDER_ON_HOLD && i < out->nlines; i++)
        held_stock = held_stock || out->lines[i].allocated > 0;
    if (rc == HC_OK && st != HC_ORDER_BACKORDERED &&
        (st != HC_ORDER_ON_HOLD || held_stock)) { /* its stock is free again */
        const char **skus = hc_arena_alloc(a, sizeof(*skus) * (out->nlines + 1));
        for (size_t i = 0; i < out->nlines; i++)
            skus[i] = out->lines[i].sku;
        rc = hc_order_fill_backorders(s, out->seller, skus, out->nlines, actor, NULL, err);
    }
    if (rc == HC_OK)
        rc = hc_order_get(s, a, id, out, err);
    return rc;
}

static int move_lines(hc_store *s, const struct hc_order *o, const char *from, const char *to,
                      const char *actor, hc_err *err)
{
    for (size_t i = 0; i < o->nlines; i++) {
        struct hc_move m = {o->seller, o->lines[i].sku, o->lines[i].qty, from, to, o->id, actor,
                            0, 0}; /* never a bin: order, carrier, customer */
        int rc = hc_ledger_move(s, &m, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

int hc_order_ship(hc_store *s, hc_arena *a, const char *id, const char *carrier,
                  const char *tracking_no, const char *parcels_json, const char *actor,
                  struct hc_order *out, hc_err *err)
{
    if (hc_check_code(carrier, "carrier", 64, err) ||
        hc_check_text(tracking_no, "tracking_no", 64, false, err))
        return err->code;
    int rc = hc_order_get(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (hc_order_status_parse(out->status) != HC_ORDER_PACKED)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "only a packed order can be shipped; this one is %s", out->status);
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "order/%s", out->id);
    snprintf(to, sizeof(to), "carrier/%s", carrier);
    rc = move_lines(s, out, from, to, actor, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE orders SET carrier = ?, tracking_no = ?, parcels = ? WHERE"
                          " seller = ? AND id = ?",
                          "sssss", carrier, tracking_no, parcels_json, out->seller, out->id);
    if (rc == HC_OK)
        rc = hc_order_set_status(s, out->seller, out->id, HC_ORDER_PACKED, HC_ORDER_SHIPPED, err);
    if (rc == HC_OK)
        rc = hc_order_get(s, a, id, out, err);
    return rc;
}

int hc_order_deliver(hc_store *s, hc_arena *a, const char *id, const char *actor,
                     struct hc_order *out, hc_err *err)
{
    int rc = hc_order_get(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (hc_order_status_parse(out->status) != HC_ORDER_SHIPPED)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "only a shipped order can be delivered; this one is %s", out->status);
    char from[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "carrier/%s", out->carrier ? out->carrier : "");
    rc = move_lines(s, out, from, "customer", actor, err);
    if (rc == HC_OK)
        rc = hc_order_set_status(s, out->seller, out->id, HC_ORDER_SHIPPED, HC_ORDER_DELIVERED,
                                 err);
    if (rc == HC_OK)
        rc = hc_order_get(s, a, id, out, err);
    return rc;
}

/* Takes order o (read in full) off the backorder tables, warehouse being the
 * one it was backordered at. */
static int unbackorder(hc_store *s, const struct hc_order *o, const char *warehouse, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "DELETE FROM backorders WHERE seller = ? AND warehouse = ? AND"
                          " order_id = ?",
                          "sss", o->seller, warehouse, o->id);
    for (size_t i = 0; rc == HC_OK && i < o->nlines; i++)
        rc = hc_store_run(s, err, NULL,
                          "DELETE FROM backorder_lines WHERE seller = ? AND sku = ? AND"
                          " order_id = ?",
                          "sss", o->seller, o->lines[i].sku, o->id);
    return rc;
}

/* Routes backordered order id again and allocates it when some warehouse
 * can now ship it complete; *done says whether it did. */
static int fill_one(hc_store *s, hc_arena *a, const char *id, const char *actor, bool *done,
                    hc_err *err)
{
    struct hc_order o;
    int rc;
    *done = false;
    if ((rc = load_head(s, a, id, &o, err)) != HC_OK || (rc = load_lines(s, a, &o, err)) != HC_OK)
        return rc;
    if (hc_order_status_parse(o.status) != HC_ORDER_BACKORDERED)
        return HC_OK;
    const char *was = o.warehouse;
    struct need *need = hc_arena_alloc(a, sizeof(*need) * (o.nlines ? o.nlines : 1));
    size_t nneed = needs_of(&o, need);
    bool complete;
    if ((rc = route(s, a, &o, need, nneed, &complete, err)) != HC_OK || !complete)
        return rc;
    if ((rc = allocate_lines(s, &o, actor, err)) != HC_OK)
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE order_lines SET allocated = qty WHERE seller = ? AND order_id = ?",
                      "ss", o.seller, o.id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE orders SET warehouse = ? WHERE seller = ? AND id = ?", "sss",
                          o.warehouse, o.seller, o.id);
    if (rc == HC_OK)
        rc = unbackorder(s, &o, was, err);
    if (rc == HC_OK)
        rc = hc_order_set_status(s, o.seller, o.id, HC_ORDER_BACKORDERED, HC_ORDER_ALLOCATED,
                                 err);
    *done = rc == HC_OK;
    return rc;
}

/* The most of sku any one warehouse has free: an order ships from one. */
static int most_free(hc_store *s, const char *seller, const char *sku, int64_t *out, hc_err *err)
{
    return hc_store_int(s, err, out,
                        "SELECT COALESCE(MAX(on_hand - allocated), 0) FROM stock WHERE seller = ?"
                        " AND sku = ?",
                        "ss", seller, sku);
}

int hc_order_fill_backorders(hc_store *s, const char *seller, const char *const *skus,
                             size_t nskus, const char *actor, int *filled, hc_err *err)
{
    enum { PAGE = 100 };
    int rc = HC_OK;
    if (filled)
        *filled = 0;
    for (size_t k = 0; k < nskus && rc == HC_OK; k++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(skus[j], skus[k]) == 0;
        if (seen)
            continue;
        /* oldest first, a page at a time, while some warehouse has any of
         * the SKU free: only the backorders this stock could fill are read */
        int64_t after_at = INT64_MIN;
        char after_id[HC_ID_MAX] = "";
        for (;;) {
            int64_t free_qty;
            if ((rc = most_free(s, seller, skus[k], &free_qty, err)) != HC_OK || free_qty <= 0)
                break;
            hc_arena *a = hc_arena_new(1 << 14);
            char **ids = hc_arena_alloc(a, sizeof(*ids) * PAGE);
            size_t n = 0;
            hc_stmt *q;
            rc = hc_store_query(s, err, &q,
                                "SELECT order_id, created_at FROM backorder_lines WHERE seller = ?"
                                " AND sku = ? AND (created_at > ? OR (created_at = ? AND"
                                " order_id > ?)) ORDER BY created_at, order_id LIMIT 100",
                                "ssiis", seller, skus[k], after_at, after_at, after_id);
            while (rc == HC_OK && (rc = hc_stmt_step(q, err)) == HC_ROW && n < PAGE) {
                ids[n] = hc_arena_strdup(a, hc_stmt_text(q, 0));
                after_at = hc_stmt_int(q, 1);
                hc_strlcpy(after_id, ids[n], sizeof(after_id));
                n++;
            }
            if (rc == HC_ROW || rc == HC_DONE) {
                hc_stmt_reset(q);
                rc = HC_OK;
            } else if (rc != HC_OK) {
                hc_stmt_reset(q);
            }
            for (size_t i = 0; i < n && rc == HC_OK; i++) {
                bool done;
                rc = fill_one(s, a, ids[i], actor, &done, err);
                if (rc == HC_OK && done && filled)
                    (*filled)++;
                if (rc == HC_OK && done &&
                    ((rc = most_free(s, seller, skus[k], &free_qty, err)) != HC_OK ||
                     free_qty <= 0))
                    break;
            }
            hc_arena_free(a);
            if (rc != HC_OK || n < PAGE)
                break;
        }
    }
    return rc;
}

int hc_order_list(hc_store *s, hc_arena *a, const struct hc_order_filter *f,
                  struct hc_order **items, size_t *n, const char **next, hc_err *err)
{
    char sql[1536];
    const char *args[16];
    int na = 0;
    size_t len = (size_t)snprintf(sql, sizeof(sql),
                                  "SELECT id, seller, channel, channel_order_id, status, warehouse,"
                                  " ship_to, ship_country, carrier, tracking_no, parcels, wave,"
                                  " created_at, updated_at FROM orders WHERE 1 = 1");
#define ADD_S(col, v)                                                                        \
    do {                                                                                     \
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND " col " = ?");           \
        args[na++] = (v);                                                                    \
    } while (0)
    if (f->seller)
        ADD_S("seller", f->seller);
    if (f->warehouse)
        ADD_S("warehouse", f->warehouse);
    if (f->status)
        ADD_S("status", f->status);
    if (f->channel)
        ADD_S("channel", f->channel);
    if (f->country)
        ADD_S("ship_country", f->country);
    if (f->channel_order_id)
        ADD_S("channel_order_id", f->channel_order_id);
    if (f->tracking_no)
        ADD_S("tracking_no", f->tracking_no);
    if (f->customer)
        ADD_S("ship_name", f->customer);
#undef ADD_S
    if (f->q && *f->q) {
        const char *pat = hc_store_like_prefix(a, f->q);
        len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                " AND (id = ? OR tracking_no = ? OR channel_order_id LIKE ?"
                                HC_LIKE_ESCAPE " OR ship_name LIKE ?" HC_LIKE_ESCAPE ")");
        args[na++] = f->q;
        args[na++] = f->q;
        args[na++] = pat;
        args[na++] = pat;
    }
    if (f->from_ms) {
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND created_at >= %lld",
                                (long long)f->from_ms);
    }
    if (f->to_ms) {
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND created_at < %lld",
                                (long long)f->to_ms);
    }
    int64_t cur_at = 0;
    char cur_id[HC_ID_MAX] = "";
    if (f->cursor && *f->cursor) {
        const char *dot = strchr(f->cursor, '.');
        char num[24];
        if (dot == NULL || (size_t)(dot - f->cursor) >= sizeof(num) ||
            strlen(dot + 1) >= sizeof(cur_id))
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        memcpy(num, f->cursor, (size_t)(dot - f->cursor));
        num[dot - f->cursor] = '\0';
        if (hc_parse_i64(num, 0, INT64_MAX, &cur_at) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        hc_strlcpy(cur_id, dot + 1, sizeof(cur_id));
        len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                " AND (created_at < %lld OR (created_at = %lld AND id < ?))",
                                (long long)cur_at, (long long)cur_at);
        args[na++] = cur_id;
    }
    snprintf(sql + len, sizeof(sql) - len, " ORDER BY created_at DESC, id DESC LIMIT %d",
             f->limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    for (int i = 0; i < na; i++)
        hc_stmt_bind_text(q, i + 1, args[i]);
    struct hc_order *out = hc_arena_alloc(a, sizeof(*out) * (size_t)(f->limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)f->limit + 1) {
        struct hc_order *o = &out[k++];
        const char **fl[] = {&o->id, &o->seller, &o->channel, &o->channel_order_id, &o->status,
                             &o->warehouse, &o->ship_to_json, &o->ship_country, &o->carrier,
                             &o->tracking_no, &o->parcels_json, &o->wave};
        for (int i = 0; i < 12; i++)
            *fl[i] = hc_stmt_is_null(q, i) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, i));
        o->created_at = hc_stmt_int(q, 12);
        o->updated_at = hc_stmt_int(q, 13);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)f->limit) {
        k = (size_t)f->limit;
        *next = hc_arena_printf(a, "%lld.%s", (long long)out[k - 1].created_at, out[k - 1].id);
    }
    for (size_t i = 0; i < k; i++)
        if ((rc = load_lines(s, a, &out[i], err)) != HC_OK ||
            (rc = load_history(s, a, &out[i], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

int hc_order_requeue(hc_store *s, hc_arena *a, const char *id, const char *actor,
                     const char **status, hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(s, a, id, &o, err);
    if (rc != HC_OK)
        return rc;
    int st = hc_order_status_parse(o.status);
    if (st != HC_ORDER_ALLOCATED && st != HC_ORDER_PICKING)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "only an allocated order or one being picked goes back to allocation;"
                          " this one is %s", o.status);
    if ((rc = release_lines(s, &o, actor, err)) != HC_OK)
        return rc;
    struct need *need = hc_arena_alloc(a, sizeof(*need) * (o.nlines ? o.nlines : 1));
    size_t nneed = needs_of(&o, need);
    rc = hc_store_run(s, err, NULL, "UPDATE orders SET wave = NULL WHERE seller = ? AND id = ?",
                      "ss", o.seller, o.id);
    if (rc == HC_OK)
        rc = hc_order_set_status(s, o.seller, o.id, st, HC_ORDER_BACKORDERED, err);
    if (rc == HC_OK)
        rc = add_backorder(s, &o, need, nneed, err);
    bool done = false;
    if (rc == HC_OK)
        rc = fill_one(s, a, o.id, actor, &done, err);
    if (rc == HC_OK && status)
        *status = hc_order_status_name(done ? HC_ORDER_ALLOCATED : HC_ORDER_BACKORDERED);
    return rc;
}

static int release_allocated(hc_store *s, const struct hc_order *o, const char **status,
                             hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE orders SET hold_reason = '' WHERE seller = ? AND id = ?"
                          " AND status = ?",
                          "sss", o->seller, o->id, hc_order_status_name(HC_ORDER_ON_HOLD));
    if (rc == HC_OK && changes != 1)
        rc = hc_err_set(err, HC_ECONFLICT, "status", "order %s is not on_hold", o->id);
    if (rc == HC_OK)
        rc = hc_order_set_status(s, o->seller, o->id, HC_ORDER_ON_HOLD, HC_ORDER_ALLOCATED, err);
    if (rc == HC_OK && status)
        *status = hc_order_status_name(HC_ORDER_ALLOCATED);
    return rc;
}

int hc_order_allocate_held(hc_store *s, hc_arena *a, struct hc_order *o, const char *actor,
                           bool *allocated, hc_err *err)
{
    HC_ASSERT(o && o->id && o->status);
    if (allocated)
        *allocated = false;
    if (hc_order_status_parse(o->status) != HC_ORDER_ON_HOLD || o->warehouse == NULL)
        return hc_err_set(err, HC_ECONFLICT, "status", "order %s is %s, not on_hold", o->id,
                          o->status);
    struct need *need = hc_arena_alloc(a, sizeof(*need) * (o->nlines ? o->nlines : 1));
    size_t nneed = needs_of(o, need);
    for (size_t k = 0; k < nneed; k++) {
        int64_t free_qty = 0;
        int rc = hc_store_int(s, err, &free_qty,
                              "SELECT on_hand - allocated FROM stock WHERE seller = ? AND"
                              " warehouse = ? AND sku = ?",
                              "sss", o->seller, o->warehouse, need[k].sku);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            return HC_OK;
        }
        if (rc != HC_OK)
            return rc;
        if (free_qty < need[k].qty)
            return HC_OK; /* not all there: held without stock */
    }
    int rc = allocate_lines(s, o, actor, err);
    for (size_t i = 0; rc == HC_OK && i < o->nlines; i++)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE order_lines SET allocated = ? WHERE seller = ? AND order_id = ?"
                          " AND line_no = ?",
                          "issi", o->lines[i].allocated, o->seller, o->id, (int64_t)i);
    if (rc == HC_OK && allocated)
        *allocated = true;
    return rc;
}

int hc_order_set_hold_reason(hc_store *s, const char *seller, const char *id, const char *reason,
                             hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE orders SET hold_reason = ? WHERE seller = ? AND id = ? AND"
                          " status = ?",
                          "ssss", reason, seller, id, hc_order_status_name(HC_ORDER_ON_HOLD));
    if (rc == HC_OK && changes != 1)
        rc = hc_err_set(err, HC_ECONFLICT, "status", "order %s is not on_hold", id);
    return rc;
}

int hc_order_release_hold(hc_store *s, hc_arena *a, const char *id, const char *actor,
                          const char **status, hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(s, a, id, &o, err);
    if (rc != HC_OK)
        return rc;
    if (hc_order_status_parse(o.status) != HC_ORDER_ON_HOLD)
        return hc_err_set(err, HC_ECONFLICT, "status", "order %s is %s, not on_hold", id,
                          o.status);
    bool has_stock = o.nlines > 0;
    for (size_t i = 0; i < o.nlines; i++)
        has_stock = has_stock && o.lines[i].allocated == o.lines[i].qty;
    if (has_stock) /* held with its stock (hc_order_allocate_held): allocated at once */
        return release_allocated(s, &o, status, err);
    /* through the backorder path: routed again, allocated where complete */
    struct need *need = hc_arena_alloc(a, sizeof(*need) * (o.nlines ? o.nlines : 1));
    size_t nneed = needs_of(&o, need);
    /* backordered without a history row: the history says on_hold -> allocated, or
     * on_hold -> backordered when no warehouse can ship it complete yet */
    int64_t changes = 0;
    rc = hc_store_run(s, err, &changes,
                      "UPDATE orders SET hold_reason = '', status = ? WHERE seller = ? AND id = ?"
                      " AND status = ?",
                      "ssss", hc_order_status_name(HC_ORDER_BACKORDERED), o.seller, o.id,
                      hc_order_status_name(HC_ORDER_ON_HOLD));
    if (rc == HC_OK && changes != 1)
        rc = hc_err_set(err, HC_ECONFLICT, "status", "order %s is not on_hold", id);
    if (rc == HC_OK)
        rc = add_backorder(s, &o, need, nneed, err);
    bool done = false;
    if (rc == HC_OK)
        rc = fill_one(s, a, o.id, actor, &done, err);
    if (rc == HC_OK && !done)
        rc = add_history(s, o.seller, o.id, hc_order_status_name(HC_ORDER_BACKORDERED),
                         hc_now_ms(), err);
    if (rc == HC_OK && status)
        *status = hc_order_status_name(done ? HC_ORDER_ALLOCATED : HC_ORDER_BACKORDERED);
    return rc;
}

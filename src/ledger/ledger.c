/* ledger.c: journal rows, balances and stock, in the caller's transaction. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

bool hc_place_warehouse(const char *place, char *buf, size_t size)
{
    if (strncmp(place, "wh/", 3) != 0)
        return false;
    const char *code = place + 3, *slash = strchr(code, '/');
    size_t n = slash ? (size_t)(slash - code) : strlen(code);
    if (n == 0 || n >= size)
        return false;
    memcpy(buf, code, n);
    buf[n] = '\0';
    return true;
}

bool hc_place_lost(const char *place, char *buf, size_t size)
{
    int n = snprintf(buf, size, "lost/%s", place);
    return n > 0 && (size_t)n < size && (size_t)n < HC_PLACE_MAX;
}

bool hc_place_is_physical(const char *place)
{
    return strcmp(place, "origin") != 0;
}

static int journal_insert(hc_store *s, const char *kind, const char *seller, const char *sku,
                          int64_t qty, const char *from, const char *to, const char *ref,
                          const char *actor, hc_err *err)
{
    return hc_store_run(s, err, NULL,
                        "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place,"
                        " ref, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "siississss", seller, hc_id_next(), hc_now_ms(), kind, sku, qty, from, to,
                        ref ? ref : "", actor ? actor : "");
}

static int balance_add(hc_store *s, const char *seller, const char *sku, const char *place,
                       int64_t qty, hc_err *err)
{
    const char *sql = hc_store_dialect(s) == HC_MYSQL
                          ? "INSERT INTO balances (seller, sku, place, qty) VALUES (?, ?, ?, ?)"
                            " ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)"
                          : "INSERT INTO balances (seller, sku, place, qty) VALUES (?, ?, ?, ?)"
                            " ON CONFLICT (seller, sku, place) DO UPDATE SET qty = qty + excluded.qty";
    return hc_store_run(s, err, NULL, sql, "sssi", seller, sku, place, qty);
}

static int balance_take(hc_store *s, const char *seller, const char *sku, const char *place,
                        int64_t qty, hc_err *err)
{
    if (!hc_place_is_physical(place))
        return balance_add(s, seller, sku, place, -qty, err);
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE balances SET qty = qty - ? WHERE seller = ? AND sku = ?"
                          " AND place = ? AND qty >= ?",
                          "isssi", qty, seller, sku, place, qty);
    if (rc != HC_OK)
        return rc;
    if (changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "qty", "%s has fewer than %lld of %s at %s", seller,
                          (long long)qty, sku, place);
    return HC_OK;
}

static hc_stock_fn stock_listener;

void hc_stock_listen(hc_stock_fn fn)
{
    stock_listener = fn;
}

/* The one place every change of a stock row's available is heard. */
static int stock_changed(hc_store *s, const char *seller, const char *wh, const char *sku,
                         int64_t delta, hc_err *err)
{
    if (!stock_listener)
        return HC_OK;
    struct hc_stock_change c = {seller, wh, sku, delta};
    return stock_listener(s, &c, err);
}

static int stock_add(hc_store *s, const char *seller, const char *wh, const char *sku,
                     int64_t qty, hc_err *err)
{
    const char *sql =
        hc_store_dialect(s) == HC_MYSQL
            ? "INSERT INTO stock (seller, warehouse, sku, on_hand, allocated, in_transit,"
              " first_in_at) VALUES (?, ?, ?, ?, 0, 0, ?)"
              " ON DUPLICATE KEY UPDATE on_hand = on_hand + VALUES(on_hand),"
              " first_in_at = CASE WHEN first_in_at = 0 THEN VALUES(first_in_at)"
              " ELSE first_in_at END"
            : "INSERT INTO stock (seller, warehouse, sku, on_hand, allocated, in_transit,"
              " first_in_at) VALUES (?, ?, ?, ?, 0, 0, ?)"
              " ON CONFLICT (seller, warehouse, sku) DO UPDATE SET on_hand = on_hand + excluded.on_hand,"
              " first_in_at = CASE WHEN first_in_at = 0 THEN excluded.first_in_at"
              " ELSE first_in_at END";
    int rc = hc_store_run(s, err, NULL, sql, "sssii", seller, wh, sku, qty, hc_now_ms());
    return rc == HC_OK ? stock_changed(s, seller, wh, sku, qty, err) : rc;
}

static int stock_take(hc_store *s, const char *seller, const char *wh, const char *sku,
                      int64_t qty, hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE stock SET on_hand = on_hand - ? WHERE seller = ? AND"
                          " warehouse = ? AND sku = ? AND on_hand >= ?",
                          "isssi", qty, seller, wh, sku, qty);
    if (rc != HC_OK)
        return rc;
    if (changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "qty", "%s has fewer than %lld of %s in %s", seller,
                          (long long)qty, sku, wh);
    return stock_changed(s, seller, wh, sku, -qty, err);
}

static int place_load_add(hc_store *s, const char *place, int64_t volume, int64_t weight,
                          hc_err *err)
{
    const char *sql = hc_store_dialect(s) == HC_MYSQL
                          ? "INSERT INTO place_load (place, volume_mm3, weight_g) VALUES (?, ?, ?)"
                            " ON DUPLICATE KEY UPDATE volume_mm3 = volume_mm3 + VALUES(volume_mm3),"
                            " weight_g = weight_g + VALUES(weight_g)"
                          : "INSERT INTO place_load (place, volume_mm3, weight_g) VALUES (?, ?, ?)"
                            " ON CONFLICT (place) DO UPDATE SET volume_mm3 = volume_mm3 +"
                            " excluded.volume_mm3, weight_g = weight_g + excluded.weight_g";
    return hc_store_run(s, err, NULL, sql, "sii", place, volume, weight);
}

int hc_ledger_bind_place(hc_store *s, const char *place, const char *warehouse,
                         const char *bucket, hc_err *err)
{
    if (strcmp(bucket, HC_BUCKET_PLANNED) != 0 && strcmp(bucket, HC_BUCKET_TRANSIT) != 0 &&
        strcmp(bucket, HC_BUCKET_ARRIVED) != 0)
        return hc_err_set(err, HC_EINTERNAL, "bucket", "no stock bucket %s", bucket);
    if (strlen(place) >= HC_PLACE_MAX)
        return hc_err_set(err, HC_EINVAL, "place", "place name too long");
    if (!hc_place_may_bind(place))
        return hc_err_set(err, HC_EINTERNAL, "place", "place %s cannot be bound", place);
    return hc_store_run(s, err, NULL,
                        hc_store_dialect(s) == HC_MYSQL
                            ? "INSERT IGNORE INTO place_buckets (place, warehouse, bucket)"
                              " VALUES (?, ?, ?)"
                            : "INSERT OR IGNORE INTO place_buckets (place, warehouse, bucket)"
                              " VALUES (?, ?, ?)",
                        "sss", place, warehouse, bucket);
}

bool hc_place_may_bind(const char *place)
{
    return strncmp(place, "site/", 5) == 0 || strncmp(place, "transit/", 8) == 0 ||
           strncmp(place, "dock/", 5) == 0 || strncmp(place, "transfer/", 9) == 0;
}

/* Moves into or out of a bound place (site/, transit/, dock/) keep the
 * warehouse's bucket column in step; other places cost no lookup. */
static int bucket_add(hc_store *s, const char *seller, const char *sku, const char *place,
                      int64_t qty, hc_err *err)
{
    if (!hc_place_may_bind(place))
        return HC_OK;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT warehouse, bucket FROM place_buckets WHERE place = ?",
                            "s", place);
    if (rc != HC_OK)
        return rc;
    char wh[64] = "", bucket[20] = "";
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        hc_strlcpy(wh, hc_stmt_text(q, 0), sizeof(wh));
        hc_strlcpy(bucket, hc_stmt_text(q, 1), sizeof(bucket));
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW)
        return rc == HC_DONE ? HC_OK : rc; /* not bound: no bucket */
    /* the column comes from the fixed set hc_ledger_bind_place accepts */
    static const char *const cols[] = {"inbound_planned", "in_transit", "arrived"};
    int k = strcmp(bucket, HC_BUCKET_PLANNED) == 0 ? 0 : strcmp(bucket, HC_BUCKET_TRANSIT) == 0 ? 1 : 2;
    const char *col = cols[k];
    char sql[400];
    if (qty < 0) {
        int64_t changes = 0;
        snprintf(sql, sizeof(sql),
                 "UPDATE stock SET %s = %s - ? WHERE seller = ? AND warehouse = ? AND sku = ?"
                 " AND %s >= ?",
                 col, col, col);
        rc = hc_store_run(s, err, &changes, sql, "isssi", -qty, seller, wh, sku, -qty);
        if (rc == HC_OK && changes != 1)
            rc = hc_err_set(err, HC_ECONFLICT, "qty", "%s has fewer than %lld of %s %s in %s",
                            seller, (long long)-qty, sku, col, wh);
        return rc;
    }
    /* first_in_at 0: the age of stock starts when it is on hand (stock_add) */
    if (hc_store_dialect(s) == HC_MYSQL)
        snprintf(sql, sizeof(sql),
                 "INSERT INTO stock (seller, warehouse, sku, on_hand, allocated, first_in_at,"
                 " inbound_planned, in_transit, arrived) VALUES (?, ?, ?, 0, 0, 0, ?, ?, ?)"
                 " ON DUPLICATE KEY UPDATE %s = %s + VALUES(%s)",
                 col, col, col);
    else
        snprintf(sql, sizeof(sql),
                 "INSERT INTO stock (seller, warehouse, sku, on_hand, allocated, first_in_at,"
                 " inbound_planned, in_transit, arrived) VALUES (?, ?, ?, 0, 0, 0, ?, ?, ?)"
                 " ON CONFLICT (seller, warehouse, sku) DO UPDATE SET %s = %s + excluded.%s",
                 col, col, col);
    return hc_store_run(s, err, NULL, sql, "sssiii", seller, wh, sku,
                        k == 0 ? qty : 0, k == 1 ? qty : 0, k == 2 ? qty : 0);
}

int hc_ledger_place_load(hc_store *s, const char *place, int64_t *volume_mm3, int64_t *weight_g,
                         hc_err *err)
{
    *volume_mm3 = *weight_g = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT volume_mm3, weight_g FROM place_load WHERE place = ?", "s",
                            place);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *volume_mm3 = hc_stmt_int(q, 0);
        *weight_g = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_ledger_move(hc_store *s, const struct hc_move *m, hc_err *err)
{
    if (m->qty <= 0)
        return hc_err_set(err, HC_EINVAL, "qty", "must be > 0");
    if (strcmp(m->from, m->to) == 0)
        return hc_err_set(err, HC_EINVAL, "to", "a move needs two different places");
    if (strlen(m->from) >= HC_PLACE_MAX || strlen(m->to) >= HC_PLACE_MAX)
        return hc_err_set(err, HC_EINVAL, "place", "place name too long");
    int rc = balance_take(s, m->seller, m->sku, m->from, m->qty, err);
    if (rc == HC_OK)
        rc = balance_add(s, m->seller, m->sku, m->to, m->qty, err);
    char wf[64], wt[64];
    bool in_from = hc_place_warehouse(m->from, wf, sizeof(wf));
    bool in_to = hc_place_warehouse(m->to, wt, sizeof(wt));
    bool same = in_from && in_to && strcmp(wf, wt) == 0;
    if (rc == HC_OK && in_from && !same)
        rc = stock_take(s, m->seller, wf, m->sku, m->qty, err);
    if (rc == HC_OK && in_to && !same)
        rc = stock_add(s, m->seller, wt, m->sku, m->qty, err);
    if (rc == HC_OK && !in_from)
        rc = bucket_add(s, m->seller, m->sku, m->from, -m->qty, err);
    if (rc == HC_OK && !in_to)
        rc = bucket_add(s, m->seller, m->sku, m->to, m->qty, err);
    if (rc == HC_OK)
        rc = journal_insert(s, "move", m->seller, m->sku, m->qty, m->from, m->to, m->ref, m->actor,
                            err);
    if (rc == HC_OK && (m->unit_volume_mm3 > 0 || m->unit_weight_g > 0)) {
        int64_t v = m->qty * m->unit_volume_mm3, w = m->qty * m->unit_weight_g;
        if (in_from)
            rc = place_load_add(s, m->from, -v, -w, err);
        if (rc == HC_OK && in_to)
            rc = place_load_add(s, m->to, v, w, err);
    }
    return rc;
}

int hc_ledger_allocate(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                       int64_t qty, const char *ref, const char *actor, hc_err *err)
{
    if (qty <= 0)
        return hc_err_set(err, HC_EINVAL, "qty", "must be > 0");
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE stock SET allocated = allocated + ? WHERE seller = ? AND"
                          " warehouse = ? AND sku = ? AND on_hand - allocated >= ?",
                          "isssi", qty, seller, warehouse, sku, qty);
    if (rc != HC_OK)
        return rc;
    if (changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "qty", "not enough %s available in %s", sku,
                          warehouse);
    if ((rc = stock_changed(s, seller, warehouse, sku, -qty, err)) != HC_OK)
        return rc;
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "wh/%s", warehouse);
    snprintf(to, sizeof(to), "order/%s", ref);
    return journal_insert(s, "allocate", seller, sku, qty, from, to, ref, actor, err);
}

int hc_ledger_release(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                      int64_t qty, const char *ref, const char *actor, hc_err *err)
{
    if (qty <= 0)
        return hc_err_set(err, HC_EINVAL, "qty", "must be > 0");
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE stock SET allocated = allocated - ? WHERE seller = ? AND"
                          " warehouse = ? AND sku = ? AND allocated >= ?",
                          "isssi", qty, seller, warehouse, sku, qty);
    if (rc != HC_OK)
        return rc;
    if (changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "qty", "no allocation of %lld %s in %s to release",
                          (long long)qty, sku, warehouse);
    if ((rc = stock_changed(s, seller, warehouse, sku, qty, err)) != HC_OK)
        return rc;
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "order/%s", ref);
    snprintf(to, sizeof(to), "wh/%s", warehouse);
    return journal_insert(s, "release", seller, sku, qty, from, to, ref, actor, err);
}

int hc_ledger_available(hc_store *s, const char *seller, const char *warehouse, const char *sku,
                        int64_t *out, hc_err *err)
{
    int rc = hc_store_int(s, err, out,
                          "SELECT on_hand - allocated FROM stock WHERE seller = ? AND"
                          " warehouse = ? AND sku = ?",
                          "sss", seller, warehouse, sku);
    if (rc == HC_ENOTFOUND) {
        *out = 0;
        return HC_OK;
    }
    return rc;
}

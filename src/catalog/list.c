/* list.c: pages of sellers, warehouses, locations and SKUs, in key order. */
#include "catalog.h"

#include <stdio.h>
#include <string.h>

int hc_seller_list(hc_store *st, hc_arena *a, const char *only, const char *cursor, int limit,
                   struct hc_seller **items, size_t *n, const char **next, hc_err *err)
{
    struct hc_eq own = {"code", only};
    const char **codes;
    int rc = hc_store_page_keys(st, a, "sellers", "code", false, &own, 1, cursor, limit, &codes, n,
                                next, err);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * (*n + 1));
    for (size_t i = 0; i < *n && rc == HC_OK; i++)
        rc = hc_seller_get(st, a, codes[i], &(*items)[i], err);
    return rc;
}

int hc_warehouse_list(hc_store *st, hc_arena *a, const char *cursor, int limit,
                      struct hc_warehouse **items, size_t *n, const char **next, hc_err *err)
{
    const char **codes;
    int rc = hc_store_page_keys(st, a, "warehouses", "code", false, NULL, 0, cursor, limit, &codes,
                                n, next, err);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * (*n + 1));
    for (size_t i = 0; i < *n && rc == HC_OK; i++)
        rc = hc_warehouse_get(st, a, codes[i], &(*items)[i], err);
    return rc;
}

int hc_location_list(hc_store *st, hc_arena *a, const char *warehouse, const char *zone,
                     const char *cursor, int limit, struct hc_location **items, size_t *n,
                     const char **next, hc_err *err)
{
    hc_stmt *q;
    const char *after = cursor ? cursor : "";
    int rc = zone ? hc_store_query(st, err, &q,
                                   "SELECT code, zone, l, w, h, max_weight_g, aisle, bay, lvl,"
                                   " pickable FROM locations WHERE warehouse = ? AND code > ?"
                                   " AND zone = ? ORDER BY code LIMIT ?",
                                   "sssi", warehouse, after, zone, (int64_t)limit + 1)
                  : hc_store_query(st, err, &q,
                                   "SELECT code, zone, l, w, h, max_weight_g, aisle, bay, lvl,"
                                   " pickable FROM locations WHERE warehouse = ? AND code > ?"
                                   " ORDER BY code LIMIT ?",
                                   "ssi", warehouse, after, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_location *out = hc_arena_alloc(a, sizeof(*out) * ((size_t)limit + 1));
    size_t k = 0;
    *next = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (k == (size_t)limit) {
            *next = out[k - 1].code;
            break;
        }
        struct hc_location *l = &out[k++];
        l->code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->zone = hc_arena_strdup(a, hc_stmt_text(q, 1));
        for (int d = 0; d < 3; d++)
            l->dims_mm[d] = hc_stmt_int(q, 2 + d);
        l->max_weight_g = hc_stmt_int(q, 5);
        l->aisle = hc_stmt_int(q, 6);
        l->bay = hc_stmt_int(q, 7);
        l->level = hc_stmt_int(q, 8);
        l->pickable = hc_stmt_int(q, 9) != 0;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

int hc_sku_list(hc_store *st, hc_arena *a, const char *seller, const char *prefix,
                const char *cursor, int limit, struct hc_sku **items, size_t *n,
                const char **next, hc_err *err)
{
    const char *cs = "", *ck = "";
    if (cursor) {
        const char *slash = strchr(cursor, '/');
        if (slash == NULL)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        cs = hc_arena_strndup(a, cursor, (size_t)(slash - cursor));
        ck = slash + 1;
    }
    char sql[512];
    size_t len = (size_t)snprintf(sql, sizeof(sql),
                                  "SELECT seller, sku FROM skus WHERE (seller > ? OR (seller = ?"
                                  " AND sku > ?))");
    const char *args[6] = {cs, cs, ck};
    int na = 3;
    if (seller)
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND seller = ?"), args[na++] = seller;
    if (prefix) {
        const char *pat = hc_store_like_prefix(a, prefix);
        len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                " AND (sku LIKE ?" HC_LIKE_ESCAPE " OR name LIKE ?" HC_LIKE_ESCAPE ")");
        args[na++] = pat;
        args[na++] = pat;
    }
    snprintf(sql + len, sizeof(sql) - len, " ORDER BY seller, sku LIMIT %d", limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(st, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    for (int i = 0; i < na; i++)
        hc_stmt_bind_text(q, i + 1, args[i]);
    struct key {
        const char *seller, *sku;
    } *keys = hc_arena_alloc(a, sizeof(*keys) * ((size_t)limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)limit + 1) {
        keys[k].seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        keys[k++].sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = hc_arena_printf(a, "%s/%s", keys[k - 1].seller, keys[k - 1].sku);
    }
    *items = hc_arena_alloc(a, sizeof(**items) * (k + 1));
    *n = k;
    rc = HC_OK;
    for (size_t i = 0; i < k && rc == HC_OK; i++)
        rc = hc_sku_get(st, a, keys[i].seller, keys[i].sku, &(*items)[i], err);
    return rc;
}

bool hc_warehouse_exists(hc_store *st, const char *code, hc_err *err)
{
    int64_t one;
    return hc_store_int(st, err, &one, "SELECT 1 FROM warehouses WHERE code = ?", "s", code) ==
           HC_OK;
}

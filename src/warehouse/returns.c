/* returns.c: goods coming back from the consumer. */
#include "warehouse.h"

#include <stdio.h>
#include <string.h>

/* Units of sku this order has delivered (or handed to the carrier) less
 * what earlier returns took back. */
static int returnable(hc_store *s, const struct hc_order *o, const char *sku, int64_t *out,
                      hc_err *err)
{
    int64_t sent = 0, back = 0;
    for (size_t i = 0; i < o->nlines; i++)
        if (strcmp(o->lines[i].sku, sku) == 0)
            sent += o->lines[i].qty;
    int rc = hc_store_int(s, err, &back,
                          "SELECT COALESCE(SUM(l.qty), 0) FROM return_lines l JOIN returns r"
                          " ON r.seller = l.seller AND r.id = l.return_id"
                          " WHERE r.seller = ? AND r.order_id = ? AND l.sku = ?",
                          "sss", o->seller, o->id, sku);
    *out = sent - back;
    return rc;
}

int hc_return_create(hc_store *s, hc_arena *a, struct hc_return *r, const char *actor,
                     hc_err *err)
{
    if (hc_check_text(r->order, "order", HC_ID_MAX, false, err))
        return err->code;
    if (r->nlines == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "must hold at least one line");
    if (r->nlines > HC_ORDER_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_ORDER_LINES_MAX);
    struct hc_order o;
    int rc = hc_order_get(s, a, r->order, &o, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "order", "no order %s", r->order);
    }
    if (rc != HC_OK)
        return rc;
    if (r->seller && strcmp(r->seller, o.seller) != 0) {
        return hc_err_set(err, HC_EINVAL, "order", "no order %s", r->order);
    }
    int st = hc_order_status_parse(o.status);
    bool delivered = st == HC_ORDER_DELIVERED;
    if (!delivered && st != HC_ORDER_SHIPPED)
        return hc_err_set(err, HC_ECONFLICT, "order",
                          "only a shipped or delivered order can be returned; this one is %s",
                          o.status);
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    if (delivered)
        hc_strlcpy(from, "customer", sizeof(from));
    else
        snprintf(from, sizeof(from), "carrier/%s", o.carrier ? o.carrier : "");
    snprintf(to, sizeof(to), "wh/%s/RETURNS", o.warehouse);
    char id[HC_ID_MAX];
    hc_id_format("ret", hc_id_next(), id, sizeof(id));
    r->id = hc_arena_strdup(a, id);
    r->seller = o.seller;
    r->warehouse = o.warehouse;
    r->created_at = hc_now_ms();
    for (size_t i = 0; i < r->nlines; i++) {
        struct hc_qty_line *l = &r->lines[i];
        char f[64];
        snprintf(f, sizeof(f), "lines[%zu].condition", i);
        if (l->condition == NULL ||
            (strcmp(l->condition, "sellable") != 0 && strcmp(l->condition, "damaged") != 0))
            return hc_err_set(err, HC_EINVAL, f, "must be \"sellable\" or \"damaged\"");
        snprintf(f, sizeof(f), "lines[%zu].sku", i);
        if (hc_check_code(l->sku, f, HC_SKU_MAX, err))
            return err->code;
        int64_t left;
        if ((rc = returnable(s, &o, l->sku, &left, err)) != HC_OK)
            return rc;
        if (left <= 0)
            return hc_err_set(err, HC_EINVAL, f, "order %s has no %s left to return", o.id,
                              l->sku);
        if (l->qty <= 0 || l->qty > left) {
            snprintf(f, sizeof(f), "lines[%zu].qty", i);
            return hc_err_set(err, HC_EINVAL, f, "must be 1..%lld", (long long)left);
        }
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO return_lines (seller, return_id, line_no, sku, qty, cond)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          "ssisis", r->seller, r->id, (int64_t)i, l->sku, l->qty, l->condition);
        if (rc != HC_OK)
            return rc;
        bool sellable = strcmp(l->condition, "sellable") == 0;
        struct hc_move m = {o.seller, l->sku, l->qty, from, sellable ? to : "scrap", r->id, actor,
                            0, 0};
        if ((rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err)) ||
            (rc = hc_ledger_move(s, &m, err)) != HC_OK)
            return rc;
    }
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO returns (seller, id, order_id, warehouse, created_at)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "ssssi", r->seller, r->id, o.id, o.warehouse, r->created_at);
    if (rc == HC_OK) { /* sellable units may fill backorders */
        const char **skus = hc_arena_alloc(a, sizeof(*skus) * (r->nlines + 1));
        size_t nskus = 0;
        for (size_t i = 0; i < r->nlines; i++)
            if (strcmp(r->lines[i].condition, "sellable") == 0)
                skus[nskus++] = r->lines[i].sku;
        rc = hc_order_fill_backorders(s, o.seller, skus, nskus, actor, NULL, err);
    }
    return rc;
}

int hc_return_get(hc_store *s, hc_arena *a, const char *id, struct hc_return *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, order_id, seller, warehouse, created_at FROM returns"
                            " WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->order = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->seller = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->created_at = hc_stmt_int(q, 4);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no return %s", id);
    }
    hc_stmt_reset(q);
    if (rc != HC_OK)
        return rc;
    out->lines = hc_arena_alloc(a, sizeof(*out->lines) * HC_ORDER_LINES_MAX);
    rc = hc_store_query(s, err, &q,
                        "SELECT sku, qty, cond FROM return_lines WHERE seller = ? AND return_id = ?"
                        " ORDER BY line_no",
                        "ss", out->seller, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->nlines < HC_ORDER_LINES_MAX) {
        struct hc_qty_line *l = &out->lines[out->nlines++];
        l->sku = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->qty = hc_stmt_int(q, 1);
        l->condition = hc_arena_strdup(a, hc_stmt_text(q, 2));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_return_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                   const struct hc_list_page *pg, struct hc_return **items, size_t *n,
                   const char **next, hc_err *err)
{
    struct hc_eq eq[2] = {{"seller", seller}, {"warehouse", warehouse}};
    const char **ids;
    size_t k;
    int rc = hc_store_page_keys(s, a, "returns", "id", true, eq, 2, pg->cursor, pg->limit, &ids,
                                &k, next, err);
    if (rc != HC_OK)
        return rc;
    struct hc_return *out = hc_arena_alloc(a, sizeof(*out) * (k ? k : 1));
    for (size_t i = 0; i < k; i++)
        if ((rc = hc_return_get(s, a, ids[i], &out[i], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

/* read.c: the read side of stock: inventory pages, journal trails, and the
 * overview figures. Pages use keyset cursors, so page N costs what page 1
 * costs however deep a client goes. */
#include "warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor is the hex of the last row's sort key parts, '.'-separated. */
static const char *cursor_make(hc_arena *a, const char *const *parts, int n)
{
    hc_buf b;
    hc_buf_init(&b, 4096);
    for (int i = 0; i < n; i++) {
        char hex[2 * 256 + 1];
        size_t len = strlen(parts[i]);
        if (len > 256)
            len = 256;
        hc_hex(parts[i], len, hex);
        if (i)
            hc_buf_puts(&b, ".");
        hc_buf_puts(&b, hex);
    }
    const char *out = hc_arena_strdup(a, b.p ? b.p : "");
    hc_buf_free(&b);
    return out;
}

static int cursor_parse(hc_arena *a, const char *c, char **parts, int n, hc_err *err)
{
    for (int i = 0; i < n; i++) {
        const char *end = strchr(c, '.');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if ((i < n - 1) != (end != NULL) || len % 2 || len > 512)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        char *p = hc_arena_alloc(a, len / 2 + 1);
        for (size_t k = 0; k < len / 2; k++) {
            unsigned v;
            if (sscanf(c + 2 * k, "%2x", &v) != 1)
                return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
            p[k] = (char)v;
        }
        if (!hc_utf8_valid(p, len / 2))
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        parts[i] = p;
        c = end ? end + 1 : c + len;
    }
    return HC_OK;
}

int hc_inventory_list(hc_store *s, hc_arena *a, const struct hc_stock_filter *f,
                      struct hc_stock_row **items, size_t *n, const char **next, hc_err *err)
{
    const char *sort = f->sort && *f->sort ? f->sort : "sku";
    const char *expr;
    if (strcmp(sort, "sku") == 0)
        expr = NULL;
    else if (strcmp(sort, "-on_hand") == 0)
        expr = "on_hand";
    else if (strcmp(sort, "-available") == 0)
        expr = "(on_hand - allocated)";
    else
        return hc_err_set(err, HC_EINVAL, "sort", "must be sku, -on_hand or -available");
    char sql[1536];
    const char *args[12];
    int na = 0;
    size_t len = (size_t)snprintf(sql, sizeof(sql),
                                  "SELECT seller, warehouse, sku, on_hand, allocated, in_transit,"
                                  " inbound_planned, arrived FROM stock WHERE 1 = 1");
#define ADD(cond, v)                                                                 \
    do {                                                                             \
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND " cond);         \
        args[na++] = (v);                                                            \
    } while (0)
    if (f->seller)
        ADD("seller = ?", f->seller);
    if (f->warehouse)
        ADD("warehouse = ?", f->warehouse);
    if (f->sku)
        ADD("sku = ?", f->sku);
    if (f->q && *f->q) { /* a SKU code that starts so, or a name (English or Chinese)
                             * that holds the words */
        const char *pat = hc_store_like_prefix(a, f->q);
        const char *in = hc_arena_printf(a, "%%%s", pat);
        ADD("(sku LIKE ?" HC_LIKE_ESCAPE " OR EXISTS (SELECT 1 FROM skus k WHERE"
            " k.seller = stock.seller AND k.sku = stock.sku AND (k.name LIKE ?" HC_LIKE_ESCAPE
            " OR k.name_zh LIKE ?" HC_LIKE_ESCAPE ")))",
            pat);
        args[na++] = in;
        args[na++] = in;
    }
    if (f->page.cursor && *f->page.cursor) {
        char *c[4];
        int nparts = expr ? 4 : 3;
        if (cursor_parse(a, f->page.cursor, c, nparts, err) != HC_OK)
            return err->code;
        if (expr) {
            int64_t v;
            if (hc_parse_i64(c[3], INT64_MIN, INT64_MAX, &v) != HC_OK)
                return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
            len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                    " AND (%s < %lld OR (%s = %lld AND (sku > ? OR (sku = ? AND"
                                    " (seller > ? OR (seller = ? AND warehouse > ?))))))",
                                    expr, (long long)v, expr, (long long)v);
        } else {
            len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                    " AND (sku > ? OR (sku = ? AND (seller > ? OR (seller = ? AND"
                                    " warehouse > ?))))");
        }
        args[na++] = c[0];
        args[na++] = c[0];
        args[na++] = c[1];
        args[na++] = c[1];
        args[na++] = c[2];
    }
#undef ADD
    snprintf(sql + len, sizeof(sql) - len, " ORDER BY %s%s sku, seller, warehouse LIMIT %d",
             expr ? expr : "", expr ? " DESC," : "", f->page.limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    for (int i = 0; i < na; i++)
        hc_stmt_bind_text(q, i + 1, args[i]);
    struct hc_stock_row *out = hc_arena_alloc(a, sizeof(*out) * (size_t)(f->page.limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)f->page.limit + 1) {
        struct hc_stock_row *r = &out[k++];
        r->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        r->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 1));
        r->sku = hc_arena_strdup(a, hc_stmt_text(q, 2));
        r->on_hand = hc_stmt_int(q, 3);
        r->allocated = hc_stmt_int(q, 4);
        r->available = r->on_hand - r->allocated;
        r->in_transit = hc_stmt_int(q, 5);
        r->inbound_planned = hc_stmt_int(q, 6);
        r->arrived = hc_stmt_int(q, 7);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)f->page.limit) {
        k = (size_t)f->page.limit;
        const struct hc_stock_row *r = &out[k - 1];
        char v[24];
        snprintf(v, sizeof(v), "%lld",
                 (long long)(expr && strcmp(sort, "-on_hand") == 0 ? r->on_hand : r->available));
        const char *parts[4] = {r->sku, r->seller, r->warehouse, v};
        *next = cursor_make(a, parts, expr ? 4 : 3);
    }
    *items = out;
    *n = k;
    return HC_OK;
}

static bool place_in_warehouse(const char *place, const char *wh)
{
    char code[64];
    return hc_place_warehouse(place, code, sizeof(code)) && strcmp(code, wh) == 0;
}

/* Is a posting in warehouse wh (NULL: any)? When one of its places is in a
 * warehouse, that decides; a posting between places of no warehouse (an
 * order to its carrier, a return to scrap, goods in transit) belongs to the
 * warehouse of the document it books (doc_wh, "" when none). */
static bool posting_in_warehouse(const char *from, const char *to, const char *doc_wh,
                                 const char *wh)
{
    char code[64];
    if (wh == NULL)
        return true;
    if (hc_place_warehouse(from, code, sizeof(code)) || hc_place_warehouse(to, code, sizeof(code)))
        return place_in_warehouse(from, wh) || place_in_warehouse(to, wh);
    return strcmp(doc_wh, wh) == 0;
}

int hc_journal_list(hc_store *s, hc_arena *a, const struct hc_journal_filter *f,
                    struct hc_posting **items, size_t *n, const char **next, hc_err *err)
{
    int64_t after = -1;
    if (f->page.cursor && *f->page.cursor &&
        hc_parse_i64(f->page.cursor, 0, INT64_MAX, &after) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    hc_stmt *q;
    int rc;
    /* Rows a tenant may not see are skipped, so read in chunks until the
     * page is full or the trail ends. */
    int limit = f->page.limit;
    struct hc_posting *out = hc_arena_alloc(a, sizeof(*out) * (size_t)(limit + 1));
    size_t k = 0;
    bool more = true;
#define JOURNAL_COLS                                                                        \
    "SELECT j.id, j.at, j.kind, j.seller, j.sku, j.qty, j.from_place, j.to_place, j.ref,"   \
    " j.actor, COALESCE(o.warehouse, t.warehouse, i.warehouse, '') FROM journal j"          \
    " LEFT JOIN orders o ON o.id = j.ref LEFT JOIN returns t ON t.id = j.ref"                \
    " LEFT JOIN inbounds i ON i.id = j.ref"
    while (more && k <= (size_t)limit) {
        if (f->ref)
            rc = hc_store_query(s, err, &q,
                                JOURNAL_COLS " WHERE j.ref = ? AND j.id > ? ORDER BY j.id LIMIT ?",
                                "sii", f->ref, after, (int64_t)limit + 1);
        else
            rc = hc_store_query(s, err, &q,
                                JOURNAL_COLS " WHERE j.seller = ? AND j.sku = ? AND j.id > ?"
                                " ORDER BY j.id LIMIT ?",
                                "ssii", f->seller, f->sku, after, (int64_t)limit + 1);
        if (rc != HC_OK)
            return rc;
        int got = 0;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
            got++;
            after = hc_stmt_int(q, 0);
            const char *seller = hc_stmt_text(q, 3), *from = hc_stmt_text(q, 6),
                       *to = hc_stmt_text(q, 7);
            if (f->tenant_seller && strcmp(seller, f->tenant_seller) != 0)
                continue;
            /* the query's warehouse narrows; the tenant's always holds */
            const char *doc_wh = hc_stmt_text(q, 10);
            if (!posting_in_warehouse(from, to, doc_wh, f->warehouse) ||
                !posting_in_warehouse(from, to, doc_wh, f->tenant_warehouse))
                continue;
            if (k > (size_t)limit)
                continue;
            struct hc_posting *p = &out[k++];
            p->id = after;
            p->at = hc_stmt_int(q, 1);
            p->kind = hc_arena_strdup(a, hc_stmt_text(q, 2));
            p->seller = hc_arena_strdup(a, seller);
            p->sku = hc_arena_strdup(a, hc_stmt_text(q, 4));
            p->qty = hc_stmt_int(q, 5);
            p->from = hc_arena_strdup(a, from);
            p->to = hc_arena_strdup(a, to);
            p->ref = hc_arena_strdup(a, hc_stmt_text(q, 8));
            p->actor = hc_arena_strdup(a, hc_stmt_text(q, 9));
        }
        hc_stmt_reset(q);
        if (rc != HC_DONE)
            return rc;
        more = got == limit + 1;
    }
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = hc_arena_printf(a, "%lld", (long long)out[k - 1].id);
    }
    *items = out;
    *n = k;
    return HC_OK;
}

int hc_place_load_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                         int64_t *diffs, hc_err *err)
{
    *diffs = 0;
    hc_stmt *want = NULL, *have = NULL;
    int rc = hc_store_query(s, err, &want,
                            "SELECT b.place, SUM(b.qty * k.l * k.w * k.h), SUM(b.qty * k.weight_g)"
                            " FROM balances b JOIN skus k ON k.seller = b.seller AND k.sku = b.sku"
                            " WHERE b.place >= 'wh/' AND b.place < 'wh0' GROUP BY b.place"
                            " ORDER BY b.place",
                            "");
    if (rc != HC_OK)
        return rc;
    rc = hc_store_query(s, err, &have,
                        "SELECT place, volume_mm3, weight_g FROM place_load ORDER BY place", "");
    if (rc != HC_OK)
        goto done;
    int rw = hc_stmt_step(want, err), rh = hc_stmt_step(have, err);
    while (rw == HC_ROW || rh == HC_ROW) {
        int cmp = rw != HC_ROW   ? 1
                  : rh != HC_ROW ? -1
                                 : strcmp(hc_stmt_text(want, 0), hc_stmt_text(have, 0));
        int64_t wv = cmp <= 0 ? hc_stmt_int(want, 1) : 0, ww = cmp <= 0 ? hc_stmt_int(want, 2) : 0;
        int64_t hv = cmp >= 0 ? hc_stmt_int(have, 1) : 0, hw = cmp >= 0 ? hc_stmt_int(have, 2) : 0;
        if (wv != hv || ww != hw) {
            (*diffs)++;
            if (report) {
                char line[400];
                snprintf(line, sizeof(line),
                         "place_load %s: balances say %lld mm3 %lld g, place_load says %lld %lld",
                         hc_stmt_text(cmp <= 0 ? want : have, 0), (long long)wv, (long long)ww,
                         (long long)hv, (long long)hw);
                report(line, ctx);
            }
        }
        if (cmp <= 0)
            rw = hc_stmt_step(want, err);
        if (cmp >= 0)
            rh = hc_stmt_step(have, err);
    }
    rc = rw == HC_DONE && rh == HC_DONE ? HC_OK : (err->code ? err->code : HC_EINTERNAL);
done:
    hc_stmt_reset(want);
    if (have)
        hc_stmt_reset(have);
    return rc;
}

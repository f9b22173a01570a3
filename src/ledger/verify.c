/* verify.c: recompute balances and stock from the journal and report every
 * difference. Balances are compared by a merge of two ordered scans; stock
 * figures are rebuilt in a hash table keyed by seller/warehouse/sku. */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    char *key;
    int64_t on_hand, allocated;
    int64_t bucket[3];   /* inbound_planned, in_transit, arrived */
    const char *val;     /* places table: the warehouse a bound place counts in */
};

static const char *const bucket_names[3] = {HC_BUCKET_PLANNED, HC_BUCKET_TRANSIT,
                                            HC_BUCKET_ARRIVED};

struct table {
    struct slot *slot;
    size_t cap, n;
    hc_arena *arena;
};

static struct slot *table_get(struct table *t, const char *key)
{
    if (t->n * 2 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        struct slot *ns = calloc(cap, sizeof(*ns));
        if (ns == NULL)
            abort();
        for (size_t i = 0; i < t->cap; i++) {
            if (t->slot[i].key == NULL)
                continue;
            size_t h = hc_hash64(t->slot[i].key, strlen(t->slot[i].key)) & (cap - 1);
            while (ns[h].key)
                h = (h + 1) & (cap - 1);
            ns[h] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = cap;
    }
    size_t h = hc_hash64(key, strlen(key)) & (t->cap - 1);
    while (t->slot[h].key && strcmp(t->slot[h].key, key) != 0)
        h = (h + 1) & (t->cap - 1);
    if (t->slot[h].key == NULL) {
        t->slot[h].key = hc_arena_strdup(t->arena, key);
        t->n++;
    }
    return &t->slot[h];
}

static void stock_key(char *buf, size_t size, const char *seller, const char *wh, const char *sku)
{
    snprintf(buf, size, "%s\x1f%s\x1f%s", seller, wh, sku);
}

struct reporter {
    void (*fn)(const char *line, void *ctx);
    void *ctx;
    struct hc_verify_result *res;
};

static void differ(struct reporter *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void differ(struct reporter *r, const char *fmt, ...)
{
    r->res->diffs++;
    if (r->fn == NULL)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    r->fn(line, r->ctx);
}

static int row_cmp(hc_stmt *a, hc_stmt *b)
{
    for (int c = 0; c < 3; c++) {
        int d = strcmp(hc_stmt_text(a, c), hc_stmt_text(b, c));
        if (d)
            return d;
    }
    return 0;
}

/* place_buckets into places: key place, val warehouse, on_hand the bucket index. */
static int load_places(hc_store *s, struct table *places, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT place, warehouse, bucket FROM place_buckets", "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct slot *sl = table_get(places, hc_stmt_text(q, 0));
        sl->val = hc_arena_strdup(places->arena, hc_stmt_text(q, 1));
        for (int k = 0; k < 3; k++)
            if (strcmp(hc_stmt_text(q, 2), bucket_names[k]) == 0)
                sl->on_hand = k;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static int compare_balances(hc_store *s, struct reporter *r, struct table *stock,
                            struct table *places, hc_err *err)
{
    hc_stmt *j = NULL, *b = NULL;
    int rc = hc_store_query(s, err, &j,
                            "SELECT seller, sku, place, SUM(q) FROM ("
                            "SELECT seller, sku, to_place AS place, qty AS q FROM journal"
                            " WHERE kind = 'move' UNION ALL "
                            "SELECT seller, sku, from_place AS place, -qty AS q FROM journal"
                            " WHERE kind = 'move') t GROUP BY seller, sku, place"
                            " ORDER BY seller, sku, place",
                            "");
    if (rc != HC_OK)
        return rc;
    rc = hc_store_query(s, err, &b,
                        "SELECT seller, sku, place, qty FROM balances"
                        " ORDER BY seller, sku, place",
                        "");
    if (rc != HC_OK)
        goto done;
    int rj = hc_stmt_step(j, err), rb = hc_stmt_step(b, err);
    while (rj == HC_ROW || rb == HC_ROW) {
        int cmp = rj != HC_ROW ? 1 : rb != HC_ROW ? -1 : row_cmp(j, b);
        int64_t qj = cmp <= 0 ? hc_stmt_int(j, 3) : 0, qb = cmp >= 0 ? hc_stmt_int(b, 3) : 0;
        hc_stmt *row = cmp <= 0 ? j : b;
        const char *seller = hc_stmt_text(row, 0), *sku = hc_stmt_text(row, 1),
                   *place = hc_stmt_text(row, 2);
        if (qj != qb)
            differ(r, "balance %s %s %s: journal says %lld, balances say %lld", seller, sku, place,
                   (long long)qj, (long long)qb);
        if (qb < 0 && hc_place_is_physical(place))
            differ(r, "balance %s %s %s is negative (%lld)", seller, sku, place, (long long)qb);
        char wh[64], key[256];
        if (hc_place_warehouse(place, wh, sizeof(wh))) {
            stock_key(key, sizeof(key), seller, wh, sku);
            table_get(stock, key)->on_hand += qj;
        } else if (places->n && hc_place_may_bind(place)) {
            struct slot *pl = table_get(places, place);
            if (pl->val) {
                stock_key(key, sizeof(key), seller, pl->val, sku);
                table_get(stock, key)->bucket[pl->on_hand] += qj;
            }
        }
        if (cmp >= 0) {
            r->res->balance_rows++;
            rb = hc_stmt_step(b, err);
        }
        if (cmp <= 0)
            rj = hc_stmt_step(j, err);
    }
    rc = (rj == HC_DONE && rb == HC_DONE) ? HC_OK : (err->code ? err->code : HC_EINTERNAL);
done:
    hc_stmt_reset(j);
    if (b)
        hc_stmt_reset(b);
    return rc;
}

static int add_allocations(hc_store *s, struct table *stock, hc_err *err)
{
    hc_stmt *st;
    int rc = hc_store_query(s, err, &st,
                            "SELECT seller, kind, from_place, to_place, sku, SUM(qty) FROM journal"
                            " WHERE kind IN ('allocate', 'release')"
                            " GROUP BY seller, kind, from_place, to_place, sku",
                            "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(st, err)) == HC_ROW) {
        bool alloc = strcmp(hc_stmt_text(st, 1), "allocate") == 0;
        const char *place = hc_stmt_text(st, alloc ? 2 : 3);
        char key[256];
        stock_key(key, sizeof(key), hc_stmt_text(st, 0), place + 3, hc_stmt_text(st, 4));
        table_get(stock, key)->allocated += alloc ? hc_stmt_int(st, 5) : -hc_stmt_int(st, 5);
    }
    hc_stmt_reset(st);
    return rc == HC_DONE ? HC_OK : rc;
}

static int compare_stock(hc_store *s, struct reporter *r, struct table *stock, hc_err *err)
{
    hc_stmt *st;
    int rc = hc_store_query(s, err, &st,
                            "SELECT seller, warehouse, sku, on_hand, allocated, inbound_planned,"
                            " in_transit, arrived FROM stock",
                            "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(st, err)) == HC_ROW) {
        r->res->stock_rows++;
        char key[256];
        stock_key(key, sizeof(key), hc_stmt_text(st, 0), hc_stmt_text(st, 1), hc_stmt_text(st, 2));
        struct slot *sl = table_get(stock, key);
        int64_t on_hand = hc_stmt_int(st, 3), allocated = hc_stmt_int(st, 4);
        if (sl->on_hand != on_hand || sl->allocated != allocated)
            differ(r, "stock %s %s %s: journal says on_hand %lld allocated %lld, stock says %lld %lld",
                   hc_stmt_text(st, 0), hc_stmt_text(st, 1), hc_stmt_text(st, 2),
                   (long long)sl->on_hand, (long long)sl->allocated, (long long)on_hand,
                   (long long)allocated);
        if (allocated < 0 || on_hand < 0)
            differ(r, "stock %s %s %s is negative", hc_stmt_text(st, 0), hc_stmt_text(st, 1),
                   hc_stmt_text(st, 2));
        for (int k = 0; k < 3; k++) {
            int64_t have = hc_stmt_int(st, 5 + k);
            if (sl->bucket[k] != have)
                differ(r, "stock %s %s %s: journal says %s %lld, stock says %lld",
                       hc_stmt_text(st, 0), hc_stmt_text(st, 1), hc_stmt_text(st, 2),
                       bucket_names[k], (long long)sl->bucket[k], (long long)have);
            if (have < 0)
                differ(r, "stock %s %s %s: %s is negative", hc_stmt_text(st, 0),
                       hc_stmt_text(st, 1), hc_stmt_text(st, 2), bucket_names[k]);
            sl->bucket[k] = 0;
        }
        sl->on_hand = sl->allocated = 0; /* matched; what is left over has no stock row */
    }
    hc_stmt_reset(st);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < stock->cap; i++) {
        struct slot *sl = &stock->slot[i];
        if (sl->key && (sl->on_hand != 0 || sl->allocated != 0 || sl->bucket[0] != 0 ||
                        sl->bucket[1] != 0 || sl->bucket[2] != 0)) {
            char k[256];
            hc_strlcpy(k, sl->key, sizeof(k));
            for (char *p = k; *p; p++)
                if (*p == '\x1f')
                    *p = ' ';
            differ(r, "stock %s: journal says on_hand %lld allocated %lld inbound_planned %lld"
                      " in_transit %lld arrived %lld, no stock row",
                   k, (long long)sl->on_hand, (long long)sl->allocated, (long long)sl->bucket[0],
                   (long long)sl->bucket[1], (long long)sl->bucket[2]);
        }
    }
    return HC_OK;
}

int hc_ledger_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                     struct hc_verify_result *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    struct reporter r = {report, ctx, out};
    struct table stock = {.arena = hc_arena_new(1 << 16)};
    struct table places = {.arena = stock.arena};
    int rc = hc_store_int(s, err, &out->journal_rows, "SELECT COUNT(*) FROM journal", "");
    if (rc == HC_OK)
        rc = load_places(s, &places, err);
    if (rc == HC_OK)
        rc = compare_balances(s, &r, &stock, &places, err);
    if (rc == HC_OK)
        rc = add_allocations(s, &stock, err);
    if (rc == HC_OK)
        rc = compare_stock(s, &r, &stock, err);
    struct hc_money_verify_result m = {0};
    if (rc == HC_OK) /* the money half: balances equal postings, debits equal credits */
        rc = hc_money_verify(s, report, ctx, &m, err);
    out->money_entries = m.entries;
    out->money_postings = m.postings;
    out->money_balance_rows = m.balance_rows;
    out->diffs += m.diffs;
    free(stock.slot);
    free(places.slot);
    hc_arena_free(stock.arena);
    return rc;
}

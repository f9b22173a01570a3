/* stats.c: the overview figures, each one aggregate query. */
#include "warehouse.h"

#include <stdio.h>
#include <string.h>


/* " AND seller = ? AND warehouse = ?" for the filters that are set. */
static int scope(char *sql, size_t size, size_t len, const char *seller, const char *warehouse,
                 const char **args, int *na)
{
    if (seller)
        len += (size_t)snprintf(sql + len, size - len, " AND seller = ?"), args[(*na)++] = seller;
    if (warehouse)
        len += (size_t)snprintf(sql + len, size - len, " AND warehouse = ?"),
            args[(*na)++] = warehouse;
    return (int)len;
}

static int run_grouped(hc_store *s, const char *sql, const char **args, int na,
                       void (*row)(hc_stmt *q, void *ctx), void *ctx, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    for (int i = 0; i < na; i++)
        hc_stmt_bind_text(q, i + 1, args[i]);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        row(q, ctx);
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

struct status_ctx {
    int64_t *counts;
};

static void status_row(hc_stmt *q, void *ctx)
{
    int64_t *counts = ((struct status_ctx *)ctx)->counts;
    int i = hc_order_status_parse(hc_stmt_text(q, 0));
    if (i >= 0)
        counts[i] += hc_stmt_int(q, 1);
}

struct day_ctx {
    struct hc_overview *o;
    int64_t first_day;
};

static void day_row(hc_stmt *q, void *ctx)
{
    struct day_ctx *c = ctx;
    int64_t d = hc_stmt_int(q, 0) - c->first_day;
    if (d >= 0 && d < HC_OVERVIEW_DAYS)
        c->o->per_day[d] += hc_stmt_int(q, 1);
}

struct stock_ctx {
    struct hc_overview *o;
    hc_arena *a;
    size_t cap;
};

static void stock_row(hc_stmt *q, void *ctx)
{
    struct stock_ctx *c = ctx;
    struct hc_overview *o = c->o;
    if (o->nstock == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        struct hc_overview_stock *ns = hc_arena_alloc(c->a, sizeof(*ns) * c->cap);
        if (o->nstock)
            memcpy(ns, o->stock, sizeof(*ns) * o->nstock);
        o->stock = ns;
    }
    struct hc_overview_stock *r = &o->stock[o->nstock++];
    r->warehouse = hc_arena_strdup(c->a, hc_stmt_text(q, 0));
    r->seller = hc_arena_strdup(c->a, hc_stmt_text(q, 1));
    r->on_hand = hc_stmt_int(q, 2);
    r->allocated = hc_stmt_int(q, 3);
    r->available = r->on_hand - r->allocated;
}

struct age_ctx {
    int64_t *qty;
};

static void age_row(hc_stmt *q, void *ctx)
{
    int64_t b = hc_stmt_int(q, 0);
    if (b >= 0 && b < 4)
        ((struct age_ctx *)ctx)->qty[b] += hc_stmt_int(q, 1);
}

int hc_overview_get(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    struct hc_overview *o, hc_err *err)
{
    memset(o, 0, sizeof(*o));
    for (int i = 0; i < HC_ORDER_NSTATUS; i++)
        o->status_names[i] = hc_order_status_names[i];
    int64_t now = hc_now_ms(), today = now / HC_DAY_MS;
    const char *div = hc_store_dialect(s) == HC_MYSQL ? "DIV" : "/";
    char sql[768];
    const char *args[4];
    int na = 0, rc;
    size_t len;

    len = (size_t)snprintf(sql, sizeof(sql),
                           "SELECT warehouse, seller, SUM(on_hand), SUM(allocated) FROM stock"
                           " WHERE 1 = 1");
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    snprintf(sql + len, sizeof(sql) - len, " GROUP BY warehouse, seller ORDER BY warehouse, seller");
    struct stock_ctx sc = {o, a, 0};
    if ((rc = run_grouped(s, sql, args, na, stock_row, &sc, err)) != HC_OK)
        return rc;

    na = 0;
    len = (size_t)snprintf(sql, sizeof(sql), "SELECT status, COUNT(*) FROM orders WHERE 1 = 1");
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    snprintf(sql + len, sizeof(sql) - len, " GROUP BY status");
    struct status_ctx stc = {o->by_status};
    if ((rc = run_grouped(s, sql, args, na, status_row, &stc, err)) != HC_OK)
        return rc;
    o->backorders = o->by_status[HC_ORDER_BACKORDERED];

    na = 0;
    len = (size_t)snprintf(sql, sizeof(sql),
                           "SELECT status, COUNT(*) FROM orders WHERE created_at >= %lld",
                           (long long)(today * HC_DAY_MS));
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    snprintf(sql + len, sizeof(sql) - len, " GROUP BY status");
    stc.counts = o->today_by_status;
    if ((rc = run_grouped(s, sql, args, na, status_row, &stc, err)) != HC_OK)
        return rc;

    int64_t first_day = today - HC_OVERVIEW_DAYS + 1;
    for (int i = 0; i < HC_OVERVIEW_DAYS; i++)
        o->day_start_ms[i] = (first_day + i) * HC_DAY_MS;
    na = 0;
    len = (size_t)snprintf(sql, sizeof(sql),
                           "SELECT created_at %s %lld AS d, COUNT(*) FROM orders"
                           " WHERE created_at >= %lld",
                           div, HC_DAY_MS, (long long)(first_day * HC_DAY_MS));
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    snprintf(sql + len, sizeof(sql) - len, " GROUP BY d");
    struct day_ctx dc = {o, first_day};
    if ((rc = run_grouped(s, sql, args, na, day_row, &dc, err)) != HC_OK)
        return rc;

    na = 0;
    len = (size_t)snprintf(sql, sizeof(sql),
                           "SELECT COUNT(*) FROM inbounds WHERE status IN ('expected', 'receiving')");
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    hc_stmt *q;
    if ((rc = hc_store_prepare(s, sql, &q, err)) != HC_OK)
        return rc;
    for (int i = 0; i < na; i++)
        hc_stmt_bind_text(q, i + 1, args[i]);
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        o->inbounds_expected = hc_stmt_int(q, 0);
    hc_stmt_reset(q);
    if (rc != HC_ROW)
        return rc;

    na = 0;
    len = (size_t)snprintf(sql, sizeof(sql),
                           "SELECT CASE WHEN first_in_at >= %lld THEN 0 WHEN first_in_at >= %lld"
                           " THEN 1 WHEN first_in_at >= %lld THEN 2 ELSE 3 END AS b, SUM(on_hand)"
                           " FROM stock WHERE on_hand > 0",
                           (long long)(now - 30 * HC_DAY_MS), (long long)(now - 60 * HC_DAY_MS),
                           (long long)(now - 90 * HC_DAY_MS));
    len = (size_t)scope(sql, sizeof(sql), len, seller, warehouse, args, &na);
    snprintf(sql + len, sizeof(sql) - len, " GROUP BY b");
    struct age_ctx ac = {o->age_qty};
    return run_grouped(s, sql, args, na, age_row, &ac, err);
}

/* settlement.c: the netting settlement statement of a seller and period
 * (see finance.h): the period's sold orders, each order's own fees, the
 * pooled fees allocated pro rata by gross, the customs list items behind
 * each sale (the order's own list, else FIFO over the goods journal), and
 * the reconstructed gross totals per currency. Computed on each call. */
#include "finance.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "settle_private.h"

const char *const hc_fee_type_names[HC_FEE_NTYPES] = {
    "storage", "fulfilment", "head_haul", "last_mile", "taxes", "compensation", "advertising"};

int hc_fee_type_parse(const char *word)
{
    for (int i = 0; word && i < HC_FEE_NTYPES; i++)
        if (strcmp(word, hc_fee_type_names[i]) == 0)
            return i;
    return -1;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        abort();
    return q;
}

/* ---- pure: largest remainder and FIFO --------------------------------------------- */

struct rem {
    int64_t rem;
    size_t i;
};

static int by_rem(const void *x, const void *y)
{
    const struct rem *a = x, *b = y;
    if (a->rem != b->rem)
        return a->rem > b->rem ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

int hc_settle_allocate(int64_t total, const int64_t *w, size_t n, int64_t *shares)
{
    __int128 sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < 0)
            return HC_EINVAL;
        sum += w[i];
    }
    if (sum <= 0 || sum > INT64_MAX)
        return HC_EINVAL;
    bool neg = total < 0;
    __int128 t = neg ? -(__int128)total : total;
    struct rem *r = xrealloc(NULL, n * sizeof(*r));
    __int128 given = 0;
    for (size_t i = 0; i < n; i++) {
        __int128 p = t * w[i];
        shares[i] = (int64_t)(p / sum);
        r[i] = (struct rem){(int64_t)(p % sum), i};
        given += shares[i];
    }
    int64_t left = (int64_t)(t - given); /* < n: each share lost less than 1 */
    HC_ASSERT(left >= 0 && (size_t)left <= n);
    qsort(r, n, sizeof(*r), by_rem);
    for (int64_t k = 0; k < left; k++)
        shares[r[k].i]++;
    free(r);
    if (neg)
        for (size_t i = 0; i < n; i++)
            shares[i] = -shares[i];
    return HC_OK;
}

void settle_queue_in(struct settle_queue *q, size_t lot, int64_t qty)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 4;
        q->lots = xrealloc(q->lots, q->cap * sizeof(*q->lots));
    }
    q->lots[q->n++] = (struct settle_lot){lot, qty};
}

size_t settle_queue_out(struct settle_queue *q, int64_t qty, size_t out_move,
                        struct hc_fifo_take *takes, size_t cap)
{
    size_t k = 0;
    while (qty > 0) {
        size_t lot = SIZE_MAX;
        int64_t take = qty;
        if (q->head < q->n) {
            struct settle_lot *l = &q->lots[q->head];
            lot = l->lot;
            take = l->qty < qty ? l->qty : qty;
            l->qty -= take;
            if (l->qty == 0)
                q->head++;
        }
        if (k < cap)
            takes[k] = (struct hc_fifo_take){out_move, lot, take};
        k++;
        qty -= take;
    }
    return k;
}

size_t hc_settle_fifo(const int64_t *qty, size_t n, struct hc_fifo_take *takes, size_t cap)
{
    struct settle_queue q = {0};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (qty[i] > 0)
            settle_queue_in(&q, i, qty[i]);
        else if (qty[i] < 0)
            k += settle_queue_out(&q, -qty[i], i, k < cap ? takes + k : NULL, k < cap ? cap - k : 0);
    }
    free(q.lots);
    return k;
}

/* ---- a string map (open addressing; keys live in the arena) ------------------------ */

void smap_free(struct smap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static size_t smap_slot(const struct smap *m, const char *key)
{
    size_t i = (size_t)hc_hash64(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

bool smap_get(const struct smap *m, const char *key, size_t *val)
{
    if (m->cap == 0)
        return false;
    size_t i = smap_slot(m, key);
    if (m->keys[i] == NULL)
        return false;
    *val = m->vals[i];
    return true;
}

void smap_put(struct smap *m, hc_arena *a, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct smap old = *m;
        m->cap = old.cap ? old.cap * 2 : 64;
        m->keys = xrealloc(NULL, m->cap * sizeof(*m->keys));
        memset(m->keys, 0, m->cap * sizeof(*m->keys));
        m->vals = xrealloc(NULL, m->cap * sizeof(*m->vals));
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) {
                size_t j = smap_slot(m, old.keys[i]);
                m->keys[j] = old.keys[i];
                m->vals[j] = old.vals[i];
                m->n++;
            }
        free(old.keys);
        free(old.vals);
    }
    size_t i = smap_slot(m, key);
    if (m->keys[i] == NULL) {
        m->keys[i] = hc_arena_strdup(a, key);
        m->n++;
    }
    m->vals[i] = val;
}

/* ---- the period -------------------------------------------------------------------- */

static int day_tm(const char *day, struct tm *tm)
{
    int64_t y, mo, d;
    char b[11];
    if (day == NULL || !hc_fx_day_valid(day))
        return HC_EINVAL;
    memcpy(b, day, 10);
    b[4] = b[7] = b[10] = '\0';
    if (hc_parse_i64(b, 1970, 9999, &y) || hc_parse_i64(b + 5, 1, 12, &mo) ||
        hc_parse_i64(b + 8, 1, 31, &d))
        return HC_EINVAL;
    *tm = (struct tm){.tm_year = (int)y - 1900, .tm_mon = (int)mo - 1, .tm_mday = (int)d};
    return HC_OK;
}

void settle_beijing_day(int64_t ms, char out[11])
{
    struct tm tm;
    hc_time_beijing(ms, &tm);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

static int period(const char *from, const char *to, int64_t now_ms, int64_t *from_ms,
                  int64_t *to_ms, hc_err *err)
{
    struct tm a, b;
    if (day_tm(from, &a) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "from", "must be a date YYYY-MM-DD");
    if (day_tm(to, &b) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "to", "must be a date YYYY-MM-DD");
    if (strcmp(from, to) > 0)
        return hc_err_set(err, HC_EINVAL, "from", "must not be after to (%s)", to);
    *from_ms = hc_time_from_beijing(&a);
    b.tm_mday++;
    *to_ms = hc_time_from_beijing(&b);
    if ((*to_ms - *from_ms) / 86400000 > HC_SETTLE_DAYS_MAX)
        return hc_err_set(err, HC_EINVAL, "to", "a period is at most %d days", HC_SETTLE_DAYS_MAX);
    char today[11];
    settle_beijing_day(now_ms, today);
    if (strcmp(to, today) > 0)
        return hc_err_set(err, HC_ECONFLICT, "to",
                          "%s is in the future (Beijing time); a period ends today at the latest",
                          to);
    return HC_OK;
}

/* ---- FX: one rate per (from, to, day), looked up once ------------------------------ */

struct fx_rate {
    int64_t rate_e10;
    bool inverse;
    const char *rate; /* as fx.c records it: target per 1 source */
};

struct fx_cache {
    hc_store *s;
    hc_arena *a;
    struct smap map;
    struct fx_rate *rates;
    size_t n, cap;
};

static int fx_rate_of(struct fx_cache *c, const char *from, const char *to, const char *day,
                      const struct fx_rate **out, hc_err *err)
{
    char key[40];
    snprintf(key, sizeof(key), "%s>%s@%s", from, to, day);
    size_t ix;
    if (smap_get(&c->map, key, &ix)) {
        *out = &c->rates[ix];
        return HC_OK;
    }
    struct hc_fx_conversion conv;
    int rc = hc_fx_convert(c->s, from, to, day, 0, &conv, err); /* names currency and day */
    if (rc != HC_OK)
        return rc;
    int64_t rate = 0;
    bool inverse = false;
    rc = hc_store_int(c->s, err, &rate,
                      "SELECT rate_e10 FROM fx_rates WHERE base = ? AND quote = ? AND day = ?",
                      "sss", from, to, day);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        inverse = true;
        rc = hc_store_int(c->s, err, &rate,
                          "SELECT rate_e10 FROM fx_rates WHERE base = ? AND quote = ? AND day = ?",
                          "sss", to, from, day);
    }
    if (rc != HC_OK)
        return rc;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->rates = xrealloc(c->rates, c->cap * sizeof(*c->rates));
    }
    c->rates[c->n] = (struct fx_rate){rate, inverse, hc_arena_strdup(c->a, conv.rate)};
    smap_put(&c->map, c->a, key, c->n);
    *out = &c->rates[c->n++];
    return HC_OK;
}

/* minor of from in to at the rate of day; rate (may be NULL) gets the rate used. */
static int fx(struct fx_cache *c, int64_t minor, const char *from, const char *to,
              const char *day, int64_t *out, const char **rate, hc_err *err)
{
    if (strcmp(from, to) == 0) {
        *out = minor;
        if (rate)
            *rate = "1";
        return HC_OK;
    }
    const struct fx_rate *r;
    int rc = fx_rate_of(c, from, to, day, &r, err);
    if (rc != HC_OK)
        return rc;
    if (rate)
        *rate = r->rate;
    return hc_fx_apply(minor, from, to, r->rate_e10, r->inverse, out, err);
}

/* ---- the build --------------------------------------------------------------------- */

struct build {
    hc_store *s;
    hc_arena *a;
    const char *seller;
    struct hc_settlement *st;
    struct smap orders; /* order id -> index */
    size_t ocap;
    struct hc_settle_fee *fees;
    size_t *fee_order; /* the order index of each fee line */
    size_t nfees, fcap;
    struct hc_settle_customs *cust; /* malloc'd */
    size_t ncust;
    struct settle_gross *other; /* lines in another currency than the order's first */
    size_t nother, othercap;
    struct fx_cache fx;
};

struct settle_gross {
    size_t order;
    int64_t minor;
    const char *currency;
};

static struct hc_settle_fee *fee_add(struct build *b, size_t order)
{
    if (b->nfees == b->fcap) {
        b->fcap = b->fcap ? b->fcap * 2 : 256;
        b->fees = xrealloc(b->fees, b->fcap * sizeof(*b->fees));
        b->fee_order = xrealloc(b->fee_order, b->fcap * sizeof(*b->fee_order));
    }
    b->fee_order[b->nfees] = order;
    struct hc_settle_fee *f = &b->fees[b->nfees++];
    memset(f, 0, sizeof(*f));
    f->order = b->st->orders[order].id;
    return f;
}

const char *settle_intern_cur(hc_arena *a, const char *c)
{
    static const char *common[] = {"EUR", "USD", "CNY", "GBP", "JPY"};
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (strcmp(common[i], c) == 0)
            return common[i];
    return hc_arena_strdup(a, c);
}

/* The orders shipped in the period with their gross, oldest first. */
static int load_orders(struct build *b, hc_err *err)
{
    struct hc_settlement *st = b->st;
    hc_stmt *q;
    int rc = hc_store_query(
        b->s, err, &q,
        "SELECT h.order_id, h.at, o.channel_order_id, COALESCE(o.warehouse, ''), l.qty,"
        " l.price_minor, l.currency FROM order_history h JOIN orders o ON o.seller = h.seller"
        " AND o.id = h.order_id JOIN order_lines l ON l.seller = h.seller AND l.order_id ="
        " h.order_id WHERE h.seller = ? AND h.status = 'shipped' AND h.at >= ? AND h.at < ?"
        " ORDER BY h.at, h.order_id, l.line_no",
        "sii", b->seller, st->from_ms, st->to_ms);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *id = hc_stmt_text(q, 0);
        size_t ix;
        if (!smap_get(&b->orders, id, &ix)) {
            if (st->norders == b->ocap) {
                b->ocap = b->ocap ? b->ocap * 2 : 256;
                struct hc_settle_order *no = hc_arena_alloc(b->a, b->ocap * sizeof(*no));
                if (st->norders)
                    memcpy(no, st->orders, st->norders * sizeof(*no));
                st->orders = no;
            }
            ix = st->norders++;
            struct hc_settle_order *o = &st->orders[ix];
            memset(o, 0, sizeof(*o));
            o->id = hc_arena_strdup(b->a, id);
            o->sold_at = hc_stmt_int(q, 1);
            o->channel_order_id = hc_arena_strdup(b->a, hc_stmt_text(q, 2));
            o->warehouse = hc_arena_strdup(b->a, hc_stmt_text(q, 3));
            o->currency = settle_intern_cur(b->a, hc_stmt_text(q, 6));
            char d[11];
            settle_beijing_day(o->sold_at, d);
            o->sold_day = hc_arena_strdup(b->a, d);
            smap_put(&b->orders, b->a, o->id, ix);
        }
        struct hc_settle_order *o = &st->orders[ix];
        int64_t line = hc_stmt_int(q, 4) * hc_stmt_int(q, 5);
        if (strcmp(hc_stmt_text(q, 6), o->currency) == 0) {
            o->gross += line;
        } else {
            if (b->nother == b->othercap) {
                b->othercap = b->othercap ? b->othercap * 2 : 16;
                b->other = xrealloc(b->other, b->othercap * sizeof(*b->other));
            }
            b->other[b->nother++] =
                (struct settle_gross){ix, line, settle_intern_cur(b->a, hc_stmt_text(q, 6))};
        }
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    /* a line in another currency counts at the rate of the day it was sold */
    for (size_t i = 0; i < b->nother; i++) {
        struct hc_settle_order *o = &st->orders[b->other[i].order];
        int64_t v;
        if ((rc = fx(&b->fx, b->other[i].minor, b->other[i].currency, o->currency, o->sold_day,
                     &v, NULL, err)) != HC_OK)
            return rc;
        o->gross += v;
    }
    return HC_OK;
}

/* A fee not caused by one order: into its (type, currency) pool. */
static void pool_add(struct build *b, size_t *cap, int type, const char *currency,
                     const char *warehouse, int64_t minor)
{
    struct hc_settlement *st = b->st;
    for (size_t i = 0; i < st->npools; i++)
        if (st->pools[i].type == type && strcmp(st->pools[i].currency, currency) == 0 &&
            strcmp(st->pools[i].warehouse, warehouse) == 0) {
            st->pools[i].minor += minor;
            st->pools[i].items++;
            return;
        }
    if (st->npools == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        struct hc_settle_pool *np = hc_arena_alloc(b->a, *cap * sizeof(*np));
        if (st->npools)
            memcpy(np, st->pools, st->npools * sizeof(*np));
        st->pools = np;
    }
    st->pools[st->npools++] =
        (struct hc_settle_pool){type, settle_intern_cur(b->a, currency),
                                *warehouse ? hc_arena_strdup(b->a, warehouse) : "", minor, 1,
                                false};
}

/* An order's own fee, converted to the order's currency at the fee's day. */
static int order_fee(struct build *b, size_t ix, int type, const char *source, const char *ref,
                     const char *reference, const char *day, int64_t minor,
                     const char *currency, hc_err *err)
{
    struct hc_settle_order *o = &b->st->orders[ix];
    struct hc_settle_fee *f = fee_add(b, ix);
    f->type = type;
    f->source = source;
    f->ref = hc_arena_strdup(b->a, ref);
    f->reference = hc_arena_strdup(b->a, reference);
    f->day = hc_arena_strdup(b->a, day);
    f->orig_minor = minor;
    f->orig_currency = settle_intern_cur(b->a, currency);
    f->fx_day = f->day;
    f->currency = o->currency;
    return fx(&b->fx, minor, f->orig_currency, o->currency, f->day, &f->minor, &f->fx_rate, err);
}

/* haicang's own charges: an order's (outbound, its returns, their
 * corrections) whenever booked; the rest dated in the period, pooled. */
static int load_charges(struct build *b, size_t *pcap, hc_err *err)
{
    struct hc_settlement *st = b->st;
    hc_stmt *q;
    int rc = hc_store_query(
        b->s, err, &q,
        "SELECT c.id, c.kind, c.cause_kind, c.cause_id, c.day, c.currency, c.minor, c.at,"
        " COALESCE(o.cause_kind, ''), COALESCE(o.cause_id, ''), COALESCE(r.order_id, ''),"
        " c.warehouse"
        " FROM fin_charges c LEFT JOIN fin_charges o ON o.warehouse = c.warehouse AND o.id ="
        " c.corrects AND c.corrects <> '' LEFT JOIN returns r ON r.seller = c.seller AND r.id ="
        " (CASE WHEN c.cause_kind = 'return' THEN c.cause_id WHEN o.cause_kind = 'return' THEN"
        " o.cause_id ELSE '' END) WHERE c.seller = ? AND c.at >= ? ORDER BY c.at, c.id",
        "si", b->seller, st->from_ms);
    if (rc != HC_OK)
        return rc;
    struct row {
        size_t ix;
        int type;
        const char *id, *reference, *day, *currency;
        int64_t minor;
    } *rows = NULL;
    size_t n = 0, cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *kind = hc_stmt_text(q, 1), *ck = hc_stmt_text(q, 2), *cid = hc_stmt_text(q, 3);
        if (strcmp(ck, HC_CAUSE_CORRECTION) == 0 && *hc_stmt_text(q, 8)) {
            ck = hc_stmt_text(q, 8);
            cid = hc_stmt_text(q, 9);
        }
        const char *order = strcmp(ck, HC_CAUSE_ORDER) == 0    ? cid
                            : strcmp(ck, HC_CAUSE_RETURN) == 0 ? hc_stmt_text(q, 10)
                                                               : "";
        int type = strcmp(kind, "storage") == 0 ? HC_FEE_STORAGE : HC_FEE_FULFILMENT;
        if (*order) {
            size_t ix;
            if (!smap_get(&b->orders, order, &ix))
                continue; /* a fee of an order sold in another period */
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                rows = xrealloc(rows, cap * sizeof(*rows));
            }
            char reference[HC_EXTFEE_REF_MAX + 40];
            snprintf(reference, sizeof(reference), "%s %s", kind, hc_stmt_text(q, 3));
            rows[n++] = (struct row){ix,
                                     type,
                                     hc_arena_strdup(b->a, hc_stmt_text(q, 0)),
                                     hc_arena_strdup(b->a, reference),
                                     hc_arena_strdup(b->a, hc_stmt_text(q, 4)),
                                     settle_intern_cur(b->a, hc_stmt_text(q, 5)),
                                     hc_stmt_int(q, 6)};
        } else if (hc_stmt_int(q, 7) < st->to_ms) {
            pool_add(b, pcap, type, hc_stmt_text(q, 5), hc_stmt_text(q, 11),
                     hc_stmt_int(q, 6));
        }
    }
    hc_stmt_reset(q);
    for (size_t i = 0; rc == HC_DONE && i < n; i++) {
        int r2 = order_fee(b, rows[i].ix, rows[i].type, "charge", rows[i].id, rows[i].reference,
                           rows[i].day, rows[i].minor, rows[i].currency, err);
        if (r2 != HC_OK)
            rc = r2;
    }
    free(rows);
    return rc == HC_DONE ? HC_OK : rc;
}

/* External fees: an order's whatever their day, a period's dated in it. */
static int load_external(struct build *b, size_t *pcap, hc_err *err)
{
    struct hc_settlement *st = b->st;
    hc_stmt *q;
    int rc = hc_store_query(b->s, err, &q,
                            "SELECT id, order_id, fee_type, minor, currency, day, reference"
                            " FROM external_fees WHERE seller = ? AND (order_id <> '' OR"
                            " (day >= ? AND day <= ?)) ORDER BY day, id",
                            "sss", b->seller, st->from, st->to);
    if (rc != HC_OK)
        return rc;
    struct hc_external_fee *rows = NULL;
    size_t *ixs = NULL, n = 0, cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int type = hc_fee_type_parse(hc_stmt_text(q, 2));
        if (type < 0)
            continue; /* written by a later version: not ours to net */
        const char *order = hc_stmt_text(q, 1);
        if (*order == '\0') {
            pool_add(b, pcap, type, hc_stmt_text(q, 4), "", hc_stmt_int(q, 3));
            continue;
        }
        size_t ix;
        if (!smap_get(&b->orders, order, &ix))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            rows = xrealloc(rows, cap * sizeof(*rows));
            ixs = xrealloc(ixs, cap * sizeof(*ixs));
        }
        ixs[n] = ix;
        rows[n++] = (struct hc_external_fee){.id = hc_arena_strdup(b->a, hc_stmt_text(q, 0)),
                                             .type = type,
                                             .minor = hc_stmt_int(q, 3),
                                             .currency = settle_intern_cur(b->a, hc_stmt_text(q, 4)),
                                             .day = hc_arena_strdup(b->a, hc_stmt_text(q, 5)),
                                             .reference =
                                                 hc_arena_strdup(b->a, hc_stmt_text(q, 6))};
    }
    hc_stmt_reset(q);
    for (size_t i = 0; rc == HC_DONE && i < n; i++) {
        int r2 = order_fee(b, ixs[i], rows[i].type, "external", rows[i].id, rows[i].reference,
                           rows[i].day, rows[i].minor, rows[i].currency, err);
        if (r2 != HC_OK)
            rc = r2;
    }
    free(rows);
    free(ixs);
    return rc == HC_DONE ? HC_OK : rc;
}

/* Each pool over the orders that carry it (a warehouse's pool: the orders
 * shipped from it, when there are any; else all), pro rata by gross in the
 * pool's currency at the rate of `to`; the shares back in each order's
 * currency. */
static int allocate_pools(struct build *b, hc_err *err)
{
    struct hc_settlement *st = b->st;
    size_t n = st->norders;
    int64_t *w = xrealloc(NULL, (n + 1) * sizeof(*w)), *sh = xrealloc(NULL, (n + 1) * sizeof(*sh));
    int rc = HC_OK;
    for (size_t p = 0; p < st->npools && rc == HC_OK; p++) {
        struct hc_settle_pool *pl = &st->pools[p];
        int64_t sum = 0;
        bool own = false; /* some order shipped from the pool's warehouse */
        for (size_t i = 0; i < n && !own && *pl->warehouse; i++)
            own = strcmp(st->orders[i].warehouse, pl->warehouse) == 0 && st->orders[i].gross > 0;
        for (size_t i = 0; i < n && rc == HC_OK; i++) {
            w[i] = 0;
            if (own && strcmp(st->orders[i].warehouse, pl->warehouse) != 0)
                continue;
            rc = fx(&b->fx, st->orders[i].gross, st->orders[i].currency, pl->currency, st->to,
                    &w[i], NULL, err);
            sum += w[i];
        }
        if (rc != HC_OK || pl->minor == 0 || sum <= 0 ||
            hc_settle_allocate(pl->minor, w, n, sh) != HC_OK)
            continue; /* nothing to carry it: reported as not allocated */
        pl->allocated = true;
        char ref[48];
        snprintf(ref, sizeof(ref), "%s/%s", hc_fee_type_names[pl->type], pl->currency);
        const char *pref = hc_arena_strdup(b->a, ref);
        for (size_t i = 0; i < n && rc == HC_OK; i++) {
            if (sh[i] == 0)
                continue;
            struct hc_settle_fee *f = fee_add(b, i);
            f->type = pl->type;
            f->source = "allocated";
            f->ref = pref;
            f->reference = "";
            f->day = st->to;
            f->fx_day = st->to;
            f->orig_minor = sh[i];
            f->orig_currency = pl->currency;
            f->basis = w[i];
            f->basis_of = sum;
            f->currency = st->orders[i].currency;
            rc = fx(&b->fx, sh[i], pl->currency, st->orders[i].currency, st->to, &f->minor,
                    &f->fx_rate, err);
        }
    }
    free(w);
    free(sh);
    return rc;
}

/* Attaches the fee lines to their orders (by order, then type, then as
 * collected) and sums them. */
static void finish_fees(struct build *b)
{
    struct hc_settlement *st = b->st;
    /* counting sort by order index (stable) */
    size_t n = st->norders;
    size_t *start = xrealloc(NULL, (n + 1) * sizeof(*start));
    memset(start, 0, (n + 1) * sizeof(*start));
    const size_t *oix = b->fee_order;
    for (size_t i = 0; i < b->nfees; i++) {
        HC_ASSERT(oix[i] < n);
        start[oix[i] + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    struct hc_settle_fee *out = hc_arena_alloc(b->a, (b->nfees + 1) * sizeof(*out));
    size_t *pos = xrealloc(NULL, (n + 1) * sizeof(*pos));
    memcpy(pos, start, (n + 1) * sizeof(*pos));
    /* by type within an order: one pass per type keeps the collected order */
    for (int t = 0; t < HC_FEE_NTYPES; t++)
        for (size_t i = 0; i < b->nfees; i++)
            if (b->fees[i].type == t)
                out[pos[oix[i]]++] = b->fees[i];
    for (size_t i = 0; i < n; i++) {
        struct hc_settle_order *o = &st->orders[i];
        o->fee = out + start[i];
        o->nfee = start[i + 1] - start[i];
        int64_t all = 0;
        for (size_t j = 0; j < o->nfee; j++) {
            o->fees[o->fee[j].type] += o->fee[j].minor;
            all += o->fee[j].minor;
        }
        o->net = o->gross - all;
        o->net_without_ads = o->net + o->fees[HC_FEE_ADVERTISING];
    }
    st->fees = out;
    st->nfees = b->nfees;
    free(start);
    free(pos);
}

static void finish_totals(struct build *b)
{
    struct hc_settlement *st = b->st;
    size_t cap = 4;
    st->totals = hc_arena_alloc(b->a, cap * sizeof(*st->totals));
    for (size_t i = 0; i < st->norders; i++) {
        const struct hc_settle_order *o = &st->orders[i];
        struct hc_settle_total *t = NULL;
        for (size_t j = 0; j < st->ntotals && t == NULL; j++)
            if (strcmp(st->totals[j].currency, o->currency) == 0)
                t = &st->totals[j];
        if (t == NULL) {
            if (st->ntotals == cap) {
                struct hc_settle_total *nt = hc_arena_alloc(b->a, cap * 2 * sizeof(*nt));
                memcpy(nt, st->totals, cap * sizeof(*nt));
                st->totals = nt;
                cap *= 2;
            }
            t = &st->totals[st->ntotals++];
            t->currency = o->currency;
        }
        t->orders++;
        t->gross += o->gross;
        for (int k = 0; k < HC_FEE_NTYPES; k++) {
            t->fees[k] += o->fees[k];
            t->fees_total += o->fees[k];
        }
        t->net += o->net;
        t->net_without_ads += o->net_without_ads;
    }
    for (size_t i = 1; i < st->ntotals; i++) /* by currency (a handful) */
        for (size_t j = i; j > 0 && strcmp(st->totals[j - 1].currency, st->totals[j].currency) > 0;
             j--) {
            struct hc_settle_total t = st->totals[j];
            st->totals[j] = st->totals[j - 1];
            st->totals[j - 1] = t;
        }
}

int hc_settlement_count(hc_store *s, const char *seller, const char *from, const char *to,
                        int64_t now_ms, int64_t *orders, hc_err *err)
{
    int64_t from_ms = 0, to_ms = 0;
    *orders = 0;
    int rc = period(from, to, now_ms, &from_ms, &to_ms, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_seller_exists(s, seller, err)) {
        if (err->code != HC_ENOTFOUND && err->code != HC_OK)
            return err->code;
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
    }
    return hc_store_int(s, err, orders,
                        "SELECT COUNT(DISTINCT order_id) FROM order_history WHERE seller = ? AND"
                        " status = 'shipped' AND at >= ? AND at < ?",
                        "sii", seller, from_ms, to_ms);
}

int hc_settlement_build(hc_store *s, hc_arena *a, const char *seller, const char *from,
                        const char *to, int64_t now_ms, struct hc_settlement *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = period(from, to, now_ms, &out->from_ms, &out->to_ms, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_seller_exists(s, seller, err)) {
        if (err->code != HC_ENOTFOUND && err->code != HC_OK)
            return err->code;
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
    }
    out->seller = hc_arena_strdup(a, seller);
    out->from = hc_arena_strdup(a, from);
    out->to = hc_arena_strdup(a, to);
    struct build b = {.s = s, .a = a, .seller = seller, .st = out};
    b.fx.s = s;
    b.fx.a = a;
    size_t pcap = 0;
    if ((rc = load_orders(&b, err)) == HC_OK && (rc = load_charges(&b, &pcap, err)) == HC_OK &&
        (rc = load_external(&b, &pcap, err)) == HC_OK && (rc = allocate_pools(&b, err)) == HC_OK)
        rc = settle_customs(s, a, out, &b.orders, &b.cust, &b.ncust, err);
    if (rc == HC_OK) {
        finish_fees(&b);
        finish_totals(&b);
        settle_customs_attach(a, out, &b.orders, b.cust, b.ncust);
    }
    free(b.fees);
    free(b.fee_order);
    free(b.cust);
    free(b.other);
    free(b.fx.rates);
    smap_free(&b.fx.map);
    smap_free(&b.orders);
    return rc;
}

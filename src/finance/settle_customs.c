/* settle_customs.c: the customs list items behind each sale of a settlement.
 * An order declared itself (9610 B2C, 9710 B2B: a list whose ref is the
 * order) is backed by its own list's items. An order sold from overseas
 * stock (9810) is backed by the inbounds its units came from: the seller's
 * goods journal is replayed per warehouse and SKU, each move into the
 * warehouse a lot (its ref: the inbound, or a return), each move out taking
 * the oldest lots first (FIFO, as the storage charge ages lots); the units
 * picked for an order name their lots, and each lot's inbound names its
 * 9810 list item (same SKU). */
#include "settle_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cvec {
    struct hc_settle_customs *v; /* malloc'd */
    size_t n, cap;
};

static struct hc_settle_customs *cv_add(struct cvec *c)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 128;
        c->v = realloc(c->v, c->cap * sizeof(*c->v));
        if (c->v == NULL)
            abort();
    }
    struct hc_settle_customs *x = &c->v[c->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

static const char *dup(hc_arena *a, const char *s)
{
    return *s ? hc_arena_strdup(a, s) : "";
}

/* 9610 / 9710: the items of the lists whose ref is a settled order. */
static int order_lists(hc_store *s, hc_arena *a, const struct hc_settlement *st,
                       const struct smap *orders, bool *has_list, struct cvec *cv, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT l.ref, l.id, l.trade_mode, COALESCE(l.invt_no, ''), i.sku, i.qty, i.gnum,"
        " COALESCE(i.entry_id, ''), COALESCE(i.entry_gnum, 0) FROM customs_lists l JOIN"
        " customs_list_items i ON i.seller = l.seller AND i.list_id = l.id WHERE l.seller = ?"
        " AND l.ref_kind = 'order' ORDER BY l.ref, l.id, i.gnum",
        "s", st->seller);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        size_t ix;
        if (!smap_get(orders, hc_stmt_text(q, 0), &ix))
            continue;
        has_list[ix] = true;
        struct hc_settle_customs *c = cv_add(cv);
        c->order = st->orders[ix].id;
        c->rule = "order_list";
        c->list = dup(a, hc_stmt_text(q, 1));
        c->trade_mode = dup(a, hc_stmt_text(q, 2));
        c->invt_no = dup(a, hc_stmt_text(q, 3));
        c->sku = dup(a, hc_stmt_text(q, 4));
        c->qty = hc_stmt_int(q, 5);
        c->gnum = hc_stmt_int(q, 6);
        c->entry_id = dup(a, hc_stmt_text(q, 7));
        c->entry_gnum = hc_stmt_int(q, 8);
        c->lot = "";
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* A 9810 list item of an inbound and SKU. */
struct item {
    const char *list, *trade_mode, *invt_no, *entry_id;
    int64_t gnum, entry_gnum;
};

static int inbound_items(hc_store *s, hc_arena *a, const char *seller, struct smap *map,
                         struct item **out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT l.ref, i.sku, l.id, l.trade_mode, COALESCE(l.invt_no, ''), i.gnum,"
        " COALESCE(i.entry_id, ''), COALESCE(i.entry_gnum, 0) FROM customs_lists l JOIN"
        " customs_list_items i ON i.seller = l.seller AND i.list_id = l.id WHERE l.seller = ?"
        " AND l.ref_kind = 'inbound' ORDER BY l.id, i.gnum",
        "s", seller);
    if (rc != HC_OK)
        return rc;
    size_t n = 0, cap = 0;
    struct item *v = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        char key[HC_REF_MAX + 80];
        snprintf(key, sizeof(key), "%s\x1f%s", hc_stmt_text(q, 0), hc_stmt_text(q, 1));
        size_t old;
        if (smap_get(map, key, &old))
            continue; /* the first list naming it */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct item *nv = hc_arena_alloc(a, cap * sizeof(*nv));
            if (n)
                memcpy(nv, v, n * sizeof(*nv));
            v = nv;
        }
        v[n] = (struct item){dup(a, hc_stmt_text(q, 2)), dup(a, hc_stmt_text(q, 3)),
                             dup(a, hc_stmt_text(q, 4)), dup(a, hc_stmt_text(q, 6)),
                             hc_stmt_int(q, 5), hc_stmt_int(q, 7)};
        smap_put(map, a, key, n++);
    }
    hc_stmt_reset(q);
    *out = v;
    return rc == HC_DONE ? HC_OK : rc;
}

struct replay {
    hc_arena *a;
    const struct hc_settlement *st;
    const struct smap *orders;
    const bool *has_list;
    struct smap lot_refs; /* ref -> index into refs */
    const char **refs;
    size_t nrefs, refcap;
    struct smap keys; /* "warehouse\x1fsku" -> queue */
    struct settle_queue *queues;
    size_t nq, qcap;
    struct smap taken; /* "order\x1fsku\x1flot" -> customs line */
    struct hc_fifo_take *takes;
    size_t takecap;
};

static size_t lot_ref(struct replay *r, const char *ref)
{
    size_t ix;
    if (smap_get(&r->lot_refs, ref, &ix))
        return ix;
    if (r->nrefs == r->refcap) {
        r->refcap = r->refcap ? r->refcap * 2 : 64;
        r->refs = realloc(r->refs, r->refcap * sizeof(*r->refs));
        if (r->refs == NULL)
            abort();
    }
    r->refs[r->nrefs] = hc_arena_strdup(r->a, ref);
    smap_put(&r->lot_refs, r->a, ref, r->nrefs);
    return r->nrefs++;
}

static struct settle_queue *queue_of(struct replay *r, const char *wh, const char *sku)
{
    char key[HC_PLACE_MAX + 80];
    snprintf(key, sizeof(key), "%s\x1f%s", wh, sku);
    size_t ix;
    if (!smap_get(&r->keys, key, &ix)) {
        if (r->nq == r->qcap) {
            r->qcap = r->qcap ? r->qcap * 2 : 64;
            r->queues = realloc(r->queues, r->qcap * sizeof(*r->queues));
            if (r->queues == NULL)
                abort();
        }
        memset(&r->queues[r->nq], 0, sizeof(r->queues[0]));
        ix = r->nq++;
        smap_put(&r->keys, r->a, key, ix);
    }
    return &r->queues[ix];
}

/* Units of sku leaving warehouse wh for `to`: taken from the oldest lots,
 * recorded against the order when they go to a settled order's place. */
static void take(struct replay *r, struct cvec *cv, const char *wh, const char *sku, int64_t qty,
                 const char *to, const char *ref)
{
    struct settle_queue *q = queue_of(r, wh, sku);
    size_t need = q->n - q->head + 1;
    if (need > r->takecap) {
        r->takecap = need * 2;
        r->takes = realloc(r->takes, r->takecap * sizeof(*r->takes));
        if (r->takes == NULL)
            abort();
    }
    size_t k = settle_queue_out(q, qty, 0, r->takes, r->takecap);
    size_t ix;
    if (strncmp(to, "order/", 6) != 0 || strcmp(to + 6, ref) != 0 ||
        !smap_get(r->orders, ref, &ix) || r->has_list[ix])
        return;
    for (size_t i = 0; i < k && i < r->takecap; i++) {
        const char *lot = r->takes[i].lot == SIZE_MAX ? "" : r->refs[r->takes[i].lot];
        char key[HC_REF_MAX * 2 + 80];
        snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", ref, sku, lot);
        size_t c;
        if (smap_get(&r->taken, key, &c)) {
            cv->v[c].qty += r->takes[i].qty;
            continue;
        }
        struct hc_settle_customs *x = cv_add(cv);
        x->order = r->st->orders[ix].id;
        x->sku = hc_arena_strdup(r->a, sku);
        x->qty = r->takes[i].qty;
        x->rule = "fifo";
        x->lot = lot;
        smap_put(&r->taken, r->a, key, cv->n - 1);
    }
}

static int replay_journal(hc_store *s, struct replay *r, struct cvec *cv, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT sku, qty, from_place, to_place, ref FROM journal WHERE seller = ? AND kind ="
        " 'move' AND at < ? AND ((from_place >= 'wh/' AND from_place < 'wh0') OR (to_place >="
        " 'wh/' AND to_place < 'wh0')) ORDER BY id",
        "si", r->st->seller, r->st->to_ms);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        const char *sku = hc_stmt_text(q, 0), *from = hc_stmt_text(q, 2),
                   *to = hc_stmt_text(q, 3), *ref = hc_stmt_text(q, 4);
        int64_t qty = hc_stmt_int(q, 1);
        char wf[HC_PLACE_MAX], wt[HC_PLACE_MAX];
        bool out = hc_place_warehouse(from, wf, sizeof(wf));
        bool in = hc_place_warehouse(to, wt, sizeof(wt));
        if (out && in && strcmp(wf, wt) == 0)
            continue; /* inside one warehouse: putaway, slotting */
        if (out)
            take(r, cv, wf, sku, qty, to, ref);
        if (in)
            settle_queue_in(queue_of(r, wt, sku), lot_ref(r, ref), qty);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* Names each FIFO line's list item from its lot's inbound. */
static void name_items(struct cvec *cv, size_t from, const struct smap *map,
                       const struct item *items)
{
    for (size_t i = from; i < cv->n; i++) {
        struct hc_settle_customs *c = &cv->v[i];
        c->list = c->trade_mode = c->invt_no = c->entry_id = "";
        char key[HC_REF_MAX + 80];
        snprintf(key, sizeof(key), "%s\x1f%s", c->lot, c->sku);
        size_t ix;
        if (!*c->lot || !smap_get(map, key, &ix))
            continue;
        c->list = items[ix].list;
        c->trade_mode = items[ix].trade_mode;
        c->invt_no = items[ix].invt_no;
        c->entry_id = items[ix].entry_id;
        c->gnum = items[ix].gnum;
        c->entry_gnum = items[ix].entry_gnum;
    }
}

int settle_customs(hc_store *s, hc_arena *a, const struct hc_settlement *st,
                   const struct smap *orders, struct hc_settle_customs **out, size_t *n,
                   hc_err *err)
{
    struct cvec cv = {0};
    bool *has_list = hc_arena_alloc(a, (st->norders + 1) * sizeof(*has_list));
    int rc = order_lists(s, a, st, orders, has_list, &cv, err);
    bool fifo_needed = false;
    for (size_t i = 0; i < st->norders; i++)
        fifo_needed |= !has_list[i];
    if (rc == HC_OK && fifo_needed) {
        struct smap map = {0};
        struct item *items = NULL;
        struct replay r = {.a = a, .st = st, .orders = orders, .has_list = has_list};
        size_t first = cv.n;
        if ((rc = inbound_items(s, a, st->seller, &map, &items, err)) == HC_OK &&
            (rc = replay_journal(s, &r, &cv, err)) == HC_OK)
            name_items(&cv, first, &map, items);
        for (size_t i = 0; i < r.nq; i++)
            free(r.queues[i].lots);
        free(r.queues);
        free(r.refs);
        free(r.takes);
        smap_free(&r.lot_refs);
        smap_free(&r.keys);
        smap_free(&r.taken);
        smap_free(&map);
    }
    if (rc != HC_OK) {
        free(cv.v);
        return rc;
    }
    *out = cv.v;
    *n = cv.n;
    return HC_OK;
}

void settle_customs_attach(hc_arena *a, struct hc_settlement *st, const struct smap *orders,
                           const struct hc_settle_customs *c, size_t n)
{
    size_t no = st->norders;
    size_t *start = hc_arena_alloc(a, (no + 2) * sizeof(*start));
    size_t *oix = hc_arena_alloc(a, (n + 1) * sizeof(*oix));
    for (size_t i = 0; i < n; i++) {
        bool ok = smap_get(orders, c[i].order, &oix[i]);
        HC_ASSERT(ok);
        start[oix[i] + 1]++;
    }
    for (size_t i = 0; i < no; i++)
        start[i + 1] += start[i];
    struct hc_settle_customs *v = hc_arena_alloc(a, (n + 1) * sizeof(*v));
    size_t *pos = hc_arena_alloc(a, (no + 1) * sizeof(*pos));
    memcpy(pos, start, (no + 1) * sizeof(*pos));
    for (size_t i = 0; i < n; i++)
        v[pos[oix[i]]++] = c[i];
    for (size_t i = 0; i < no; i++) {
        st->orders[i].customs = v + start[i];
        st->orders[i].ncustoms = start[i + 1] - start[i];
    }
    st->customs = v;
    st->ncustoms = n;
}

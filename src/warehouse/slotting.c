/* slotting.c: which SKU lives in which bin. Velocities from the journal's
 * pick moves, bins ranked by the walk from the depot and the level, a
 * greedy plan of moves and swaps bounded by max_moves, proposals stored and
 * accepted as journal moves; and the velocity classes putaway uses.
 *
 * The walk of one pick is the round trip depot -> bin -> depot along the
 * layout (the distance a picker adds for a line of a slow SKU placed far
 * is roughly that, in the worst case of a single-line trip). Slotting by
 * that cost and the picks per day is the classic "cube-per-order"-free
 * velocity slotting (Frazelle, World-Class Warehousing and Material
 * Handling, 2002, ch. 5; De Koster, Le-Duc & Roodbergen 2007, s. 4.2):
 * hottest items to the cheapest locations. */
#include "bins.h"
#include "warehouse.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nearest integer of a non-negative figure. */
static int64_t round_mm(double x)
{
    return (int64_t)(x + 0.5);
}

int64_t hc_slot_walk_mm(const struct hc_slot_costs *c, int64_t aisle, int64_t bay)
{
    int64_t da = aisle > c->depot_aisle ? aisle - c->depot_aisle : c->depot_aisle - aisle;
    if (bay < 1)
        bay = 1;
    int64_t y = bay * c->bay_pitch_mm - c->bay_pitch_mm / 2;
    return 2 * (da * c->aisle_pitch_mm + y);
}

int64_t hc_slot_cost_mm(const struct hc_slot_costs *c, const struct hc_bin *b)
{
    int64_t off = 0;
    if (b->level < c->golden_lo)
        off = c->golden_lo - b->level;
    else if (b->level > c->golden_hi)
        off = b->level - c->golden_hi;
    return hc_slot_walk_mm(c, b->aisle, b->bay) + off * c->level_penalty_mm;
}

/* Units of an item an empty copy of bin b takes. */
static int64_t empty_capacity(const struct hc_bin *b, const int64_t dims[3], int64_t weight_g)
{
    struct hc_bin e = *b;
    e.used_volume_mm3 = 0;
    e.used_weight_g = 0;
    return hc_bin_capacity(&e, dims, weight_g);
}

struct plan_ctx {
    const struct hc_slot_item *items;
    const int64_t *cost;
};

static int cmp_hot(const void *a, const void *b, void *ctx)
{
    const struct plan_ctx *p = ctx;
    const struct hc_slot_item *x = &p->items[*(const size_t *)a], *y = &p->items[*(const size_t *)b];
    if (x->picks_per_day != y->picks_per_day)
        return x->picks_per_day > y->picks_per_day ? -1 : 1;
    if (p->cost[x->bin] != p->cost[y->bin]) /* the worst placed first */
        return p->cost[x->bin] > p->cost[y->bin] ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_cheap(const void *a, const void *b, void *ctx)
{
    const int64_t *cost = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (cost[i] != cost[j])
        return cost[i] < cost[j] ? -1 : 1;
    return i < j ? -1 : i > j ? 1 : 0;
}

size_t hc_slotting_plan(const struct hc_slot_costs *c, const struct hc_bin *bins, size_t nbins,
                        const bool *usable, const struct hc_slot_item *items, size_t nitems,
                        size_t max_moves, struct hc_slot_move *out)
{
    size_t nout = 0;
    if (nbins == 0 || nitems == 0 || max_moves == 0)
        return 0;
    int64_t *cost = malloc(sizeof(*cost) * nbins);
    ptrdiff_t *in_bin = malloc(sizeof(*in_bin) * nbins);
    bool *touched = calloc(nbins, sizeof(*touched));
    size_t *cheap = malloc(sizeof(*cheap) * nbins), *hot = malloc(sizeof(*hot) * nitems);
    if (!cost || !in_bin || !touched || !cheap || !hot)
        abort();
    size_t ncheap = 0;
    for (size_t i = 0; i < nbins; i++) {
        cost[i] = hc_slot_cost_mm(c, &bins[i]);
        in_bin[i] = -1;
        if (usable[i])
            cheap[ncheap++] = i;
    }
    for (size_t k = 0; k < nitems; k++) {
        assert(items[k].bin < nbins);
        size_t b = items[k].bin;
        in_bin[b] = in_bin[b] == -1 ? (ptrdiff_t)k : -2; /* -2: shared, not ours to move */
    }
    for (size_t i = 0; i < nbins; i++)
        if (in_bin[i] == -2)
            touched[i] = true;
    qsort_r(cheap, ncheap, sizeof(*cheap), cmp_cheap, cost);
    struct plan_ctx pc = {items, cost};
    size_t nhot = 0;
    for (size_t k = 0; k < nitems; k++)
        if (items[k].picks_per_day > 0 && usable[items[k].bin] && in_bin[items[k].bin] >= 0)
            hot[nhot++] = k;
    qsort_r(hot, nhot, sizeof(*hot), cmp_hot, &pc);
    size_t first = 0; /* cheap[0..first) are all touched */
    for (size_t h = 0; h < nhot && nout < max_moves; h++) {
        const struct hc_slot_item *s = &items[hot[h]];
        size_t b = s->bin;
        if (touched[b])
            continue; /* swapped already */
        while (first < ncheap && touched[cheap[first]])
            first++;
        double best_gain = 0;
        ptrdiff_t best = -1;
        for (size_t ci = first; ci < ncheap; ci++) {
            size_t t = cheap[ci];
            if (cost[t] >= cost[b])
                break;
            if (s->picks_per_day * (double)(cost[b] - cost[t]) <= best_gain)
                break; /* no bin further on can gain more */
            if (touched[t] || t == b)
                continue;
            double gain;
            if (in_bin[t] == -1) {
                if (bins[t].used_volume_mm3 != 0 || bins[t].used_weight_g != 0)
                    continue; /* holds something we do not know: leave it */
                if (empty_capacity(&bins[t], s->dims_mm, s->weight_g) < s->qty)
                    continue;
                gain = s->picks_per_day * (double)(cost[b] - cost[t]);
            } else {
                const struct hc_slot_item *o = &items[in_bin[t]];
                if (o->picks_per_day >= s->picks_per_day || nout + 2 > max_moves)
                    continue;
                if (empty_capacity(&bins[t], s->dims_mm, s->weight_g) < s->qty ||
                    empty_capacity(&bins[b], o->dims_mm, o->weight_g) < o->qty)
                    continue;
                gain = (s->picks_per_day - o->picks_per_day) * (double)(cost[b] - cost[t]);
            }
            if (gain > best_gain) {
                best_gain = gain;
                best = (ptrdiff_t)t;
            }
        }
        if (best < 0)
            continue;
        size_t t = (size_t)best;
        touched[t] = touched[b] = true;
        if (in_bin[t] == -1) {
            out[nout++] = (struct hc_slot_move){hot[h], b, t, -1};
        } else {
            out[nout] = (struct hc_slot_move){hot[h], b, t, (ptrdiff_t)nout + 1};
            out[nout + 1] = (struct hc_slot_move){(size_t)in_bin[t], t, b, (ptrdiff_t)nout};
            nout += 2;
        }
    }
    free(cost);
    free(in_bin);
    free(touched);
    free(cheap);
    free(hot);
    return nout;
}

void hc_slotting_walk(const struct hc_slot_costs *c, const struct hc_bin *bins,
                      const struct hc_slot_item *items, size_t nitems,
                      const struct hc_slot_move *moves, size_t nmoves, double *before,
                      double *after)
{
    double b = 0, d = 0;
    for (size_t k = 0; k < nitems; k++)
        b += items[k].picks_per_day *
             (double)hc_slot_walk_mm(c, bins[items[k].bin].aisle, bins[items[k].bin].bay);
    for (size_t m = 0; m < nmoves; m++) {
        const struct hc_slot_item *it = &items[moves[m].item];
        const struct hc_bin *f = &bins[moves[m].from], *t = &bins[moves[m].to];
        d += it->picks_per_day *
             (double)(hc_slot_walk_mm(c, t->aisle, t->bay) - hc_slot_walk_mm(c, f->aisle, f->bay));
    }
    *before = b;
    *after = b + d;
}

/* ---- the store side ------------------------------------------------------------ */

static void default_costs(struct hc_slot_costs *c, const struct hc_warehouse *w,
                          const struct hc_slotting_opts *o)
{
    c->aisle_pitch_mm = w->aisle_pitch_mm;
    c->bay_pitch_mm = w->bay_pitch_mm;
    c->depot_aisle = w->depot_aisle;
    c->golden_lo = o && o->golden_lo > 0 ? o->golden_lo : 1;
    c->golden_hi = o && o->golden_hi > 0 ? o->golden_hi : 2;
    c->level_penalty_mm = o && o->level_penalty_mm > 0 ? o->level_penalty_mm : 2000;
}


static int get_warehouse(hc_store *s, hc_arena *a, const char *wh, struct hc_warehouse *w,
                         hc_err *err)
{
    int rc = hc_warehouse_get(s, a, wh, w, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", wh);
    }
    return rc;
}

/* Bins an open wave will pick from: not to be moved under the picker. */
static int mark_reserved(hc_store *s, const char *wh, const struct hc_bin *bins, size_t nbins,
                         bool *usable, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT DISTINCT p.location FROM wave_picks p JOIN orders o ON"
                            " o.id = p.order_id WHERE p.warehouse = ? AND o.status = ?",
                            "ss", wh, hc_order_status_name(HC_ORDER_PICKING));
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ptrdiff_t i = hc_bins_find(bins, nbins, hc_stmt_text(q, 0));
        if (i >= 0)
            usable[i] = false;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* Pick lines (one per order and SKU) and units per SKU of the warehouse
 * since `since`, from the journal's moves out of its bins into orders. */
struct velocity {
    const char *seller, *sku;
    int64_t lines, units;
};

static int cmp_velocity(const void *a, const void *b)
{
    const struct velocity *x = a, *y = b;
    int c = strcmp(x->seller, y->seller);
    return c ? c : strcmp(x->sku, y->sku);
}

static int load_velocity(hc_store *s, hc_arena *a, const char *wh, int64_t since,
                         struct velocity **out, size_t *n, hc_err *err)
{
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX];
    snprintf(lo, sizeof(lo), "wh/%s/", wh);
    snprintf(hi, sizeof(hi), "wh/%s0", wh);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, sku, COUNT(DISTINCT ref), SUM(qty) FROM journal"
                            " WHERE at >= ? AND kind = 'move' AND from_place >= ? AND"
                            " from_place < ? AND to_place >= 'order/' AND to_place < 'order0'"
                            " GROUP BY seller, sku",
                            "iss", since, lo, hi);
    if (rc != HC_OK)
        return rc;
    size_t cap = 256, k = 0;
    struct velocity *v = hc_arena_alloc(a, sizeof(*v) * cap);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (k == cap) {
            struct velocity *nv = hc_arena_alloc(a, sizeof(*nv) * cap * 2);
            memcpy(nv, v, sizeof(*v) * k);
            v = nv;
            cap *= 2;
        }
        v[k].seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        v[k].sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        v[k].lines = hc_stmt_int(q, 2);
        v[k].units = hc_stmt_int(q, 3);
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    qsort(v, k, sizeof(*v), cmp_velocity);
    *out = v;
    *n = k;
    return HC_OK;
}

static const struct velocity *velocity_find(const struct velocity *v, size_t n, const char *seller,
                                            const char *sku)
{
    struct velocity key = {seller, sku, 0, 0};
    return n ? bsearch(&key, v, n, sizeof(*v), cmp_velocity) : NULL;
}

/* What each bin holds (stock with its SKU's size); bins holding more than
 * one SKU become unusable, an item is made for each bin holding one. */
static int load_items(hc_store *s, hc_arena *a, const char *wh, const struct hc_bin *bins,
                      size_t nbins, bool *usable, struct hc_slot_item **out, size_t *n,
                      hc_err *err)
{
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX];
    snprintf(lo, sizeof(lo), "wh/%s/", wh);
    snprintf(hi, sizeof(hi), "wh/%s0", wh);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT b.place, b.seller, b.sku, b.qty, k.l, k.w, k.h, k.weight_g"
                            " FROM balances b JOIN skus k ON k.seller = b.seller AND"
                            " k.sku = b.sku WHERE b.place >= ? AND b.place < ? AND b.qty > 0",
                            "ss", lo, hi);
    if (rc != HC_OK)
        return rc;
    size_t cap = 256, k = 0;
    struct hc_slot_item *it = hc_arena_alloc(a, sizeof(*it) * cap);
    ptrdiff_t *seen = hc_arena_alloc(a, sizeof(*seen) * (nbins ? nbins : 1));
    for (size_t i = 0; i < nbins; i++)
        seen[i] = -1;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ptrdiff_t b = hc_bins_find(bins, nbins, hc_stmt_text(q, 0) + strlen(lo));
        if (b < 0)
            continue; /* RECEIVING, RETURNS, staging: not a storage bin */
        if (seen[b] >= 0) {
            usable[b] = false; /* two SKUs share it */
            continue;
        }
        if (k == cap) {
            struct hc_slot_item *ni = hc_arena_alloc(a, sizeof(*ni) * cap * 2);
            memcpy(ni, it, sizeof(*it) * k);
            it = ni;
            cap *= 2;
        }
        seen[b] = (ptrdiff_t)k;
        it[k] = (struct hc_slot_item){hc_arena_strdup(a, hc_stmt_text(q, 1)),
                                      hc_arena_strdup(a, hc_stmt_text(q, 2)),
                                      hc_stmt_int(q, 3),
                                      {hc_stmt_int(q, 4), hc_stmt_int(q, 5), hc_stmt_int(q, 6)},
                                      hc_stmt_int(q, 7),
                                      (size_t)b,
                                      0};
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *out = it;
    *n = k;
    return HC_OK;
}

int hc_slotting_propose(hc_store *s, hc_arena *a, const char *warehouse,
                        const struct hc_slotting_opts *o, const char *actor,
                        struct hc_slotting *out, hc_err *err)
{
    int64_t window = o && o->window_days ? o->window_days : HC_SLOTTING_WINDOW_DAYS;
    int64_t max_moves = o && o->max_moves ? o->max_moves : HC_SLOTTING_MOVES_DEFAULT;
    if (window < 1 || window > HC_SLOTTING_WINDOW_MAX)
        return hc_err_set(err, HC_EINVAL, "window_days", "must be 1..%d", HC_SLOTTING_WINDOW_MAX);
    if (max_moves < 1 || max_moves > HC_SLOTTING_MOVES_MAX)
        return hc_err_set(err, HC_EINVAL, "max_moves", "must be 1..%d", HC_SLOTTING_MOVES_MAX);
    struct hc_warehouse w;
    int rc = get_warehouse(s, a, warehouse, &w, err);
    if (rc != HC_OK)
        return rc;
    struct hc_slot_costs c;
    default_costs(&c, &w, o);
    if (c.golden_hi < c.golden_lo)
        return hc_err_set(err, HC_EINVAL, "golden_levels", "the last level is below the first");
    struct hc_bin *bins = NULL;
    size_t nbins = 0;
    if ((rc = hc_bins_load(s, a, warehouse, true, &bins, &nbins, err)) != HC_OK)
        return rc;
    bool *usable = hc_arena_alloc(a, sizeof(*usable) * (nbins ? nbins : 1));
    for (size_t i = 0; i < nbins; i++)
        usable[i] = true;
    if ((rc = mark_reserved(s, warehouse, bins, nbins, usable, err)) != HC_OK)
        return rc;
    struct hc_slot_item *items = NULL;
    size_t nitems = 0;
    if ((rc = load_items(s, a, warehouse, bins, nbins, usable, &items, &nitems, err)) != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    struct velocity *vel = NULL;
    size_t nvel = 0;
    if ((rc = load_velocity(s, a, warehouse, now - window * HC_DAY_MS, &vel, &nvel, err)) != HC_OK)
        return rc;
    /* a SKU's picks shared among its bins by what each holds */
    int64_t *held = hc_arena_alloc(a, sizeof(*held) * (nvel ? nvel : 1));
    for (size_t k = 0; k < nitems; k++) {
        const struct velocity *v = velocity_find(vel, nvel, items[k].seller, items[k].sku);
        if (v)
            held[v - vel] += items[k].qty;
    }
    out->picks_per_day = 0;
    for (size_t k = 0; k < nitems; k++) {
        const struct velocity *v = velocity_find(vel, nvel, items[k].seller, items[k].sku);
        if (v && held[v - vel] > 0)
            items[k].picks_per_day =
                (double)v->lines / (double)window * (double)items[k].qty / (double)held[v - vel];
        out->picks_per_day += items[k].picks_per_day;
    }
    struct hc_slot_move *mv = hc_arena_alloc(a, sizeof(*mv) * (size_t)max_moves);
    size_t nmv = hc_slotting_plan(&c, bins, nbins, usable, items, nitems, (size_t)max_moves, mv);
    double before, after;
    hc_slotting_walk(&c, bins, items, nitems, mv, nmv, &before, &after);
    char id[HC_ID_MAX];
    hc_id_format("slt", hc_id_next(), id, sizeof(id));
    out->id = hc_arena_strdup(a, id);
    out->warehouse = hc_arena_strdup(a, warehouse);
    out->created_by = actor ? actor : "";
    out->created_at = now;
    out->window_days = window;
    out->max_moves = max_moves;
    out->before_mm_per_day = round_mm(before);
    out->after_mm_per_day = round_mm(after);
    out->bins = (int64_t)nbins;
    out->skus = (int64_t)nvel;
    out->moves = hc_arena_alloc(a, sizeof(*out->moves) * (nmv ? nmv : 1));
    out->nmoves = nmv;
    for (size_t m = 0; m < nmv; m++) {
        const struct hc_slot_item *it = &items[mv[m].item];
        const struct hc_bin *f = &bins[mv[m].from], *t = &bins[mv[m].to];
        out->moves[m] = (struct hc_slotting_move){
            (int64_t)m + 1, f->code, t->code, it->seller, it->sku, it->qty,
            mv[m].swap >= 0 ? (int64_t)mv[m].swap + 1 : 0,
            (double)round_mm(it->picks_per_day * 1000) / 1000.0, /* as stored */
            hc_slot_walk_mm(&c, f->aisle, f->bay), hc_slot_walk_mm(&c, t->aisle, t->bay), 0, NULL};
    }
    return HC_OK;
}

int hc_slotting_save(hc_store *s, const struct hc_slotting *p, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO slotting_proposals (warehouse, id, window_days, max_moves,"
                          " picks_per_day_milli, before_mm_per_day, after_mm_per_day, created_at,"
                          " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssiiiiiis", p->warehouse, p->id, p->window_days, p->max_moves,
                          (int64_t)round_mm(p->picks_per_day * 1000), p->before_mm_per_day,
                          p->after_mm_per_day, p->created_at, p->created_by);
    for (size_t m = 0; rc == HC_OK && m < p->nmoves; m++) {
        const struct hc_slotting_move *v = &p->moves[m];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO slotting_moves (warehouse, proposal_id, seq, from_loc,"
                          " to_loc, seller, sku, qty, swap_seq, picks_per_day_milli, from_mm,"
                          " to_mm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssissssiiiii", p->warehouse, p->id, v->seq, v->from, v->to, v->seller,
                          v->sku, v->qty, v->swap_seq, (int64_t)round_mm(v->picks_per_day * 1000),
                          v->from_mm, v->to_mm);
    }
    return rc;
}

int hc_slotting_get(hc_store *s, hc_arena *a, const char *warehouse, const char *id,
                    struct hc_slotting *out, hc_err *err)
{
    hc_stmt *q;
    int rc;
    if (warehouse == NULL) { /* found by the id alone */
        if ((rc = hc_store_query(s, err, &q,
                                 "SELECT warehouse FROM slotting_proposals WHERE id = ?", "s",
                                 id)) != HC_OK)
            return rc;
        rc = hc_stmt_step(q, err);
        if (rc == HC_ROW)
            warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
        hc_stmt_reset(q);
        if (rc == HC_DONE)
            return hc_err_set(err, HC_ENOTFOUND, "id", "no slotting proposal %s", id);
        if (rc != HC_ROW)
            return rc;
    }
    rc = hc_store_query(s, err, &q,
                            "SELECT window_days, max_moves, picks_per_day_milli, before_mm_per_day,"
                            " after_mm_per_day, created_at, created_by FROM slotting_proposals"
                            " WHERE warehouse = ? AND id = ?",
                            "ss", warehouse, id);
    if (rc != HC_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        out->id = hc_arena_strdup(a, id);
        out->warehouse = hc_arena_strdup(a, warehouse);
        out->window_days = hc_stmt_int(q, 0);
        out->max_moves = hc_stmt_int(q, 1);
        out->picks_per_day = (double)hc_stmt_int(q, 2) / 1000.0;
        out->before_mm_per_day = hc_stmt_int(q, 3);
        out->after_mm_per_day = hc_stmt_int(q, 4);
        out->created_at = hc_stmt_int(q, 5);
        out->created_by = hc_arena_strdup(a, hc_stmt_text(q, 6));
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no slotting proposal %s in %s", id, warehouse);
    }
    hc_stmt_reset(q);
    if (rc != HC_OK)
        return rc;
    int64_t n = 0;
    if ((rc = hc_store_int(s, err, &n,
                           "SELECT COUNT(*) FROM slotting_moves WHERE warehouse = ? AND"
                           " proposal_id = ?",
                           "ss", warehouse, id)) != HC_OK)
        return rc;
    out->moves = hc_arena_alloc(a, sizeof(*out->moves) * (size_t)(n ? n : 1));
    rc = hc_store_query(s, err, &q,
                        "SELECT seq, from_loc, to_loc, seller, sku, qty, swap_seq,"
                        " picks_per_day_milli, from_mm, to_mm, accepted_at, accepted_by"
                        " FROM slotting_moves WHERE warehouse = ? AND proposal_id = ? ORDER BY seq",
                        "ss", warehouse, id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->nmoves < (size_t)n) {
        struct hc_slotting_move *m = &out->moves[out->nmoves++];
        m->seq = hc_stmt_int(q, 0);
        m->from = hc_arena_strdup(a, hc_stmt_text(q, 1));
        m->to = hc_arena_strdup(a, hc_stmt_text(q, 2));
        m->seller = hc_arena_strdup(a, hc_stmt_text(q, 3));
        m->sku = hc_arena_strdup(a, hc_stmt_text(q, 4));
        m->qty = hc_stmt_int(q, 5);
        m->swap_seq = hc_stmt_int(q, 6);
        m->picks_per_day = (double)hc_stmt_int(q, 7) / 1000.0;
        m->from_mm = hc_stmt_int(q, 8);
        m->to_mm = hc_stmt_int(q, 9);
        m->accepted_at = hc_stmt_is_null(q, 10) ? 0 : hc_stmt_int(q, 10);
        m->accepted_by = hc_stmt_is_null(q, 11) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 11));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

/* Does bin `loc` hold exactly qty of (seller, sku) and nothing else (or
 * nothing at all when seller is NULL), with no open wave to pick there? */
static int bin_holds(hc_store *s, const char *wh, const char *loc, const char *seller,
                     const char *sku, int64_t qty, const char **why, hc_arena *a, hc_err *err)
{
    char place[HC_PLACE_MAX];
    snprintf(place, sizeof(place), "wh/%s/%s", wh, loc);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, sku, qty FROM balances WHERE place = ? AND qty > 0",
                            "s", place);
    if (rc != HC_OK)
        return rc;
    int rows = 0;
    bool match = false;
    char got[160] = "";
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        rows++;
        match = seller && strcmp(hc_stmt_text(q, 0), seller) == 0 &&
                strcmp(hc_stmt_text(q, 1), sku) == 0 && hc_stmt_int(q, 2) == qty;
        snprintf(got, sizeof(got), "%lld of %s/%s", (long long)hc_stmt_int(q, 2),
                 hc_stmt_text(q, 0), hc_stmt_text(q, 1));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *why = NULL;
    if (seller == NULL && rows > 0)
        *why = hc_arena_strdup(a, "is no longer empty");
    else if (seller && rows == 0)
        *why = hc_arena_strdup(a, "is empty now");
    else if (seller && (rows > 1 || !match)) {
        char buf[256];
        snprintf(buf, sizeof(buf), "holds %s%s, the proposal found %lld of %s/%s", got,
                 rows > 1 ? " and more" : "", (long long)qty, seller, sku);
        *why = hc_arena_strdup(a, buf);
    }
    if (*why)
        return HC_OK;
    int64_t picks = 0;
    rc = hc_store_int(s, err, &picks,
                      "SELECT COUNT(*) FROM wave_picks p JOIN orders o ON o.id = p.order_id"
                      " WHERE p.warehouse = ? AND p.location = ? AND o.status = ?",
                      "sss", wh, loc, hc_order_status_name(HC_ORDER_PICKING));
    if (rc == HC_OK && picks > 0)
        *why = hc_arena_strdup(a, "is being picked by an open wave");
    return rc;
}

static int move_goods(hc_store *s, const char *wh, const char *seller, const char *sku,
                      int64_t qty, const char *from_loc, const char *to_loc, const char *ref,
                      const char *actor, hc_err *err)
{
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "wh/%s/%s", wh, from_loc);
    snprintf(to, sizeof(to), "wh/%s/%s", wh, to_loc);
    struct hc_move m = {seller, sku, qty, from, to, ref, actor, 0, 0};
    int rc = hc_sku_unit(s, seller, sku, &m.unit_volume_mm3, &m.unit_weight_g, err);
    return rc ? rc : hc_ledger_move(s, &m, err);
}

int hc_slotting_accept(hc_store *s, hc_arena *a, const char *warehouse, const char *id,
                       const int64_t *seqs, size_t n, const char *actor, struct hc_slotting *out,
                       hc_err *err)
{
    struct hc_slotting p;
    int rc = hc_slotting_get(s, a, warehouse, id, &p, err);
    if (rc != HC_OK)
        return rc;
    warehouse = p.warehouse;
    bool *take = hc_arena_alloc(a, sizeof(*take) * (p.nmoves ? p.nmoves : 1));
    char f[48];
    if (n == 0) {
        for (size_t m = 0; m < p.nmoves; m++)
            take[m] = p.moves[m].accepted_at == 0;
    } else {
        for (size_t k = 0; k < n; k++) {
            snprintf(f, sizeof(f), "moves[%zu]", k);
            if (seqs[k] < 1 || seqs[k] > (int64_t)p.nmoves)
                return hc_err_set(err, HC_EINVAL, f, "proposal %s has no move %lld", id,
                                  (long long)seqs[k]);
            if (take[seqs[k] - 1])
                return hc_err_set(err, HC_EINVAL, f, "move %lld is named twice",
                                  (long long)seqs[k]);
            if (p.moves[seqs[k] - 1].accepted_at)
                return hc_err_set(err, HC_ECONFLICT, f, "move %lld was accepted already",
                                  (long long)seqs[k]);
            take[seqs[k] - 1] = true;
        }
        for (size_t k = 0; k < n; k++) {
            const struct hc_slotting_move *m = &p.moves[seqs[k] - 1];
            snprintf(f, sizeof(f), "moves[%zu]", k);
            if (m->swap_seq && !take[m->swap_seq - 1])
                return hc_err_set(err, HC_EINVAL, f,
                                  "move %lld is a swap with move %lld: accept both",
                                  (long long)m->seq, (long long)m->swap_seq);
        }
    }
    size_t count = 0;
    for (size_t m = 0; m < p.nmoves; m++)
        count += take[m];
    if (count == 0)
        return hc_err_set(err, HC_ECONFLICT, "moves", "every move of %s was accepted already", id);
    /* every move checked against the bins as they are, before any goods move
     * (the moves' bins are disjoint, so one look suffices) */
    for (size_t i = 0; i < p.nmoves; i++) {
        if (!take[i])
            continue;
        const struct hc_slotting_move *m = &p.moves[i], *back = NULL;
        if (m->swap_seq)
            back = &p.moves[m->swap_seq - 1];
        const char *why;
        snprintf(f, sizeof(f), "moves[%zu]", i);
        if ((rc = bin_holds(s, warehouse, m->from, m->seller, m->sku, m->qty, &why, a, err)))
            return rc;
        if (why)
            return hc_err_set(err, HC_ECONFLICT, f, "move %lld (%s -> %s): %s %s",
                              (long long)m->seq, m->from, m->to, m->from, why);
        if (back == NULL) {
            if ((rc = bin_holds(s, warehouse, m->to, NULL, NULL, 0, &why, a, err)))
                return rc;
            if (why)
                return hc_err_set(err, HC_ECONFLICT, f, "move %lld (%s -> %s): %s %s",
                                  (long long)m->seq, m->from, m->to, m->to, why);
        }
    }
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < p.nmoves; i++) {
        if (!take[i])
            continue;
        const struct hc_slotting_move *m = &p.moves[i];
        if (m->swap_seq == 0) {
            rc = move_goods(s, warehouse, m->seller, m->sku, m->qty, m->from, m->to, id, actor,
                            err);
        } else if (m->swap_seq > m->seq) { /* the pair, once: through the staging place */
            const struct hc_slotting_move *b = &p.moves[m->swap_seq - 1];
            rc = move_goods(s, warehouse, m->seller, m->sku, m->qty, m->from,
                            HC_SLOTTING_STAGING, id, actor, err);
            if (rc == HC_OK)
                rc = move_goods(s, warehouse, b->seller, b->sku, b->qty, b->from, b->to, id,
                                actor, err);
            if (rc == HC_OK)
                rc = move_goods(s, warehouse, m->seller, m->sku, m->qty, HC_SLOTTING_STAGING,
                                m->to, id, actor, err);
        }
        if (rc != HC_OK)
            return rc;
        int64_t changed = 0;
        rc = hc_store_run(s, err, &changed,
                          "UPDATE slotting_moves SET accepted_at = ?, accepted_by = ? WHERE"
                          " warehouse = ? AND proposal_id = ? AND seq = ? AND accepted_at IS NULL",
                          "isssi", now, actor ? actor : "", warehouse, id, m->seq);
        if (rc != HC_OK)
            return rc;
        if (changed != 1)
            return hc_err_set(err, HC_ECONFLICT, "moves", "move %lld was accepted meanwhile",
                              (long long)m->seq);
    }
    return hc_slotting_get(s, a, warehouse, id, out, err);
}

/* ---- velocity classes for putaway ------------------------------------------------ */

struct hc_velocity_table {
    struct velocity *v; /* sorted by seller, sku */
    size_t n;
    int64_t fast_min, slow_max; /* lines: >= fast_min fast, <= slow_max slow */
};

static int cmp_int64_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x > y ? -1 : x < y;
}

int hc_velocity_load(hc_store *s, hc_arena *a, const char *warehouse, int64_t window_days,
                     struct hc_velocity_table **out, hc_err *err)
{
    struct hc_velocity_table *t = hc_arena_alloc(a, sizeof(*t));
    if (window_days <= 0)
        window_days = HC_SLOTTING_WINDOW_DAYS;
    int rc = load_velocity(s, a, warehouse, hc_now_ms() - window_days * HC_DAY_MS, &t->v, &t->n, err);
    if (rc != HC_OK)
        return rc;
    if (t->n > 0) {
        int64_t *lines = hc_arena_alloc(a, sizeof(*lines) * t->n);
        for (size_t i = 0; i < t->n; i++)
            lines[i] = t->v[i].lines;
        qsort(lines, t->n, sizeof(*lines), cmp_int64_desc);
        size_t top = (t->n + 4) / 5; /* the top fifth, at least one */
        t->fast_min = lines[top - 1];
        t->slow_max = t->n >= 4 ? lines[t->n - t->n / 2] : -1; /* the bottom half */
        if (t->slow_max >= t->fast_min)
            t->slow_max = t->fast_min - 1;
    }
    *out = t;
    return HC_OK;
}

enum hc_velocity hc_velocity_of(const struct hc_velocity_table *t, const char *seller,
                                const char *sku)
{
    const struct velocity *v = t ? velocity_find(t->v, t->n, seller, sku) : NULL;
    if (v == NULL || v->lines <= 0)
        return HC_VELOCITY_NONE;
    if (v->lines >= t->fast_min)
        return HC_VELOCITY_FAST;
    if (v->lines <= t->slow_max)
        return HC_VELOCITY_SLOW;
    return HC_VELOCITY_MEDIUM;
}

int hc_slotting_bin_costs(hc_store *s, hc_arena *a, const char *warehouse,
                          const struct hc_bin *bins, size_t nbins, int64_t **costs, hc_err *err)
{
    struct hc_warehouse w;
    int rc = get_warehouse(s, a, warehouse, &w, err);
    if (rc != HC_OK)
        return rc;
    struct hc_slot_costs c;
    default_costs(&c, &w, NULL);
    int64_t *out = hc_arena_alloc(a, sizeof(*out) * (nbins ? nbins : 1));
    for (size_t i = 0; i < nbins; i++)
        out[i] = hc_slot_cost_mm(&c, &bins[i]);
    *costs = out;
    return HC_OK;
}

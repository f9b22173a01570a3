/* wave.c: releasing waves (which orders, which bins, which walking order)
 * and packing (confirming an order's picks). */
#include "warehouse.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stock that can be picked: per bin, seller and SKU, what is there less
 * what open waves have already planned to take. */
struct slot {
    const char *location, *seller, *sku;
    int64_t aisle, bay;
    int64_t qty;
};

struct pickable {
    struct slot *s;
    size_t n, cap;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->aisle != y->aisle)
        return x->aisle < y->aisle ? -1 : 1;
    if (x->bay != y->bay)
        return x->bay < y->bay ? -1 : 1;
    return strcmp(x->location, y->location);
}

static int cmp_slot_key(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    int c = strcmp(x->location, y->location);
    if (c == 0)
        c = strcmp(x->seller, y->seller);
    if (c == 0)
        c = strcmp(x->sku, y->sku);
    return c;
}

/* The pickable stock of just the SKUs these orders need: their balances in
 * the warehouse's bins (an index range per SKU, so the cost follows the
 * orders, not the warehouse's size), less what open waves will take. */
static int load_pickable(hc_store *st, hc_arena *a, const char *wh, const struct hc_order *orders,
                         size_t norders, struct pickable *p, hc_err *err)
{
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX]; /* the places "wh/<code>/..." */
    snprintf(lo, sizeof(lo), "wh/%s/", wh);
    snprintf(hi, sizeof(hi), "wh/%s0", wh);
    size_t prefix = strlen(lo);
    int rc = HC_OK;
    for (size_t oi = 0; oi < norders; oi++) {
        const struct hc_order *o = &orders[oi];
        for (size_t li = 0; li < o->nlines; li++) {
            bool seen = false; /* each (seller, sku) once */
            for (size_t k = 0; k < p->n && !seen; k++)
                seen = strcmp(p->s[k].seller, o->seller) == 0 &&
                       strcmp(p->s[k].sku, o->lines[li].sku) == 0;
            if (seen)
                continue;
            hc_stmt *q;
            rc = hc_store_query(st, err, &q,
                                "SELECT place, qty FROM balances WHERE seller = ? AND sku = ?"
                                " AND place >= ? AND place < ? AND qty > 0",
                                "ssss", o->seller, o->lines[li].sku, lo, hi);
            if (rc != HC_OK)
                return rc;
            size_t first = p->n;
            while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
                if (p->n == p->cap) {
                    p->cap = p->cap ? p->cap * 2 : 256;
                    struct slot *ns = hc_arena_alloc(a, sizeof(*ns) * p->cap);
                    if (p->n)
                        memcpy(ns, p->s, sizeof(*ns) * p->n);
                    p->s = ns;
                }
                struct slot *sl = &p->s[p->n++];
                sl->location = hc_arena_strdup(a, hc_stmt_text(q, 0) + prefix);
                sl->seller = o->seller;
                sl->sku = o->lines[li].sku;
                sl->qty = hc_stmt_int(q, 1);
                sl->aisle = -1; /* not a pickable bin until its location says so */
            }
            hc_stmt_reset(q);
            if (rc != HC_DONE)
                return rc;
            for (size_t k = first; k < p->n; k++) {
                rc = hc_store_query(st, err, &q,
                                    "SELECT aisle, bay FROM locations WHERE warehouse = ? AND"
                                    " code = ? AND pickable = 1",
                                    "ss", wh, p->s[k].location);
                if (rc != HC_OK)
                    return rc;
                if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
                    p->s[k].aisle = hc_stmt_int(q, 0);
                    p->s[k].bay = hc_stmt_int(q, 1);
                }
                hc_stmt_reset(q);
                if (rc != HC_ROW && rc != HC_DONE)
                    return rc;
            }
        }
    }
    size_t kept = 0; /* RECEIVING and other unpickable places drop out */
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].aisle >= 0)
            p->s[kept++] = p->s[k];
    p->n = kept;
    if (p->n)
        qsort(p->s, p->n, sizeof(*p->s), cmp_slot_key);
    /* less what released, unpacked waves will take */
    hc_stmt *q;
    rc = hc_store_query(st, err, &q,
                        "SELECT p.location, p.seller, p.sku, SUM(p.qty) FROM wave_picks p"
                        " JOIN orders o ON o.id = p.order_id WHERE p.warehouse = ? AND"
                        " o.status = ? GROUP BY p.location, p.seller, p.sku",
                        "ss", wh, hc_order_status_name(HC_ORDER_PICKING));
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct slot key = {.location = hc_stmt_text(q, 0), .seller = hc_stmt_text(q, 1),
                           .sku = hc_stmt_text(q, 2)};
        struct slot *hit = p->n ? bsearch(&key, p->s, p->n, sizeof(*p->s), cmp_slot_key) : NULL;
        if (hit)
            hit->qty -= hc_stmt_int(q, 3);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (p->n)
        qsort(p->s, p->n, sizeof(*p->s), cmp_slot); /* walking order: nearest bins first */
    return HC_OK;
}

/* Plans one order's picks from the pickable stock, or leaves it untouched
 * and returns false when some line cannot be picked in full. */
static bool plan_order(struct pickable *p, const struct hc_order *o, struct hc_pick *out,
                       size_t *nout, size_t cap)
{
    size_t start = *nout;
    int64_t *taken = calloc(p->n ? p->n : 1, sizeof(*taken));
    if (taken == NULL)
        abort();
    bool ok = true;
    for (size_t li = 0; li < o->nlines && ok; li++) {
        int64_t need = o->lines[li].qty;
        /* one bin that holds the whole line, else the fullest bins first */
        ptrdiff_t whole = -1;
        for (size_t i = 0; i < p->n; i++) {
            struct slot *s = &p->s[i];
            if (strcmp(s->seller, o->seller) == 0 && strcmp(s->sku, o->lines[li].sku) == 0 &&
                s->qty - taken[i] >= need) {
                whole = (ptrdiff_t)i;
                break;
            }
        }
        while (need > 0) {
            ptrdiff_t best = whole;
            if (best < 0)
                for (size_t i = 0; i < p->n; i++) {
                    struct slot *s = &p->s[i];
                    if (strcmp(s->seller, o->seller) == 0 &&
                        strcmp(s->sku, o->lines[li].sku) == 0 && s->qty - taken[i] > 0 &&
                        (best < 0 || s->qty - taken[i] > p->s[best].qty - taken[best]))
                        best = (ptrdiff_t)i;
                }
            if (best < 0 || *nout == cap) {
                ok = false;
                break;
            }
            int64_t left = p->s[best].qty - taken[best];
            int64_t q = left < need ? left : need;
            taken[best] += q;
            need -= q;
            out[(*nout)++] = (struct hc_pick){0, p->s[best].location, o->seller, o->lines[li].sku,
                                              o->id, q, 0};
            whole = -1;
        }
    }
    if (ok) {
        for (size_t i = 0; i < p->n; i++)
            p->s[i].qty -= taken[i];
    } else {
        *nout = start;
    }
    free(taken);
    return ok;
}

static int location_of(const struct pickable *p, const char *code, struct hc_pick_point *pt)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->s[i].location, code) == 0) {
            pt->aisle = p->s[i].aisle;
            pt->bay = p->s[i].bay;
            return 0;
        }
    return -1;
}

/* The walking layout of a warehouse for these points: its pitches and
 * depot, aisles as long as its deepest bin (or pick). */
static int wave_layout(hc_store *s, const struct hc_warehouse *w, const char *warehouse,
                       const struct hc_pick_point *pts, size_t n, struct hc_layout *lay,
                       hc_err *err)
{
    int64_t max_bay = 1;
    for (size_t i = 0; i < n; i++)
        if (pts[i].bay > max_bay)
            max_bay = pts[i].bay;
    int64_t wh_bays = 0;
    if (hc_store_int(s, err, &wh_bays, "SELECT MAX(bay) FROM locations WHERE warehouse = ?", "s",
                     warehouse) != HC_OK)
        return err->code;
    if (w->bays_per_aisle > wh_bays)
        wh_bays = w->bays_per_aisle; /* the layout's aisle length, cross aisles inside it */
    *lay = (struct hc_layout){.aisle_pitch_mm = w->aisle_pitch_mm, .bay_pitch_mm = w->bay_pitch_mm,
                              .depot_aisle = w->depot_aisle,
                              .bays_per_aisle = wh_bays > max_bay ? wh_bays : max_bay,
                              .ncross = w->ncross,
                              .route_policy = HC_ROUTE_OPTIMAL};
    memcpy(lay->cross_aisles, w->cross_aisles, sizeof(lay->cross_aisles));
    if (w->route_policy && w->route_policy[0] &&
        !hc_route_policy_parse(w->route_policy, &lay->route_policy))
        lay->route_policy = HC_ROUTE_OPTIMAL; /* validated on creation; never stored otherwise */
    return HC_OK;
}

int hc_wave_release(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                    const char *seller, const char *actor, struct hc_wave *out, hc_err *err)
{
    return hc_wave_release_cart(s, a, warehouse, max_orders, NULL, seller, actor, out, err);
}

/* The orders given to hc_wave_release_orders, checked: each an allocated
 * order of the warehouse, none twice; HC_ECONFLICT/HC_EINVAL naming orders[i]. */
static int given_orders(hc_store *s, hc_arena *a, const char *warehouse, const char *const *given,
                        size_t n, const char **ids, hc_err *err)
{
    const char *allocated = hc_order_status_name(HC_ORDER_ALLOCATED);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(given[i], given[j]) == 0)
                return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "orders[%zu]", i),
                                  "order %s is listed twice", given[i]);
        struct hc_order o;
        int rc = hc_order_get(s, a, given[i], &o, err);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "orders[%zu]", i), "no order %s",
                              given[i]);
        }
        if (rc != HC_OK)
            return rc;
        if (o.warehouse == NULL || strcmp(o.warehouse, warehouse) != 0 ||
            strcmp(o.status, allocated) != 0)
            return hc_err_set(err, HC_ECONFLICT, hc_arena_printf(a, "orders[%zu]", i),
                              "order %s is not an allocated order of %s (it is %s)", given[i],
                              warehouse, o.status);
        ids[i] = o.id;
    }
    return HC_OK;
}

static int release(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                   const struct hc_wave_cart *cart, const char *seller, const char *const *given,
                   struct hc_wave *out, hc_err *err);

int hc_wave_release_cart(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                         const struct hc_wave_cart *cart, const char *seller, const char *actor,
                         struct hc_wave *out, hc_err *err)
{
    (void)actor;
    return release(s, a, warehouse, max_orders, cart, seller, NULL, out, err);
}

int hc_wave_release_orders(hc_store *s, hc_arena *a, const char *warehouse,
                           const char *const *ids, size_t n, const struct hc_wave_cart *cart,
                           const char *actor, struct hc_wave *out, hc_err *err)
{
    (void)actor;
    if (n == 0 || n > HC_WAVE_ORDERS_MAX)
        return hc_err_set(err, HC_EINVAL, "orders", "must list 1..%d orders", HC_WAVE_ORDERS_MAX);
    assert(ids != NULL);
    return release(s, a, warehouse, (int)n, cart, NULL, ids, out, err);
}

/* given: NULL (the oldest allocated orders, up to max_orders) or exactly
 * max_orders order ids, each of which must be taken. */
static int release(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                   const struct hc_wave_cart *cart, const char *seller, const char *const *given,
                   struct hc_wave *out, hc_err *err)
{
    if (max_orders <= 0 || max_orders > HC_WAVE_ORDERS_MAX)
        return hc_err_set(err, HC_EINVAL, "max_orders", "must be 1..%d", HC_WAVE_ORDERS_MAX);
    struct hc_warehouse w;
    int rc = hc_warehouse_get(s, a, warehouse, &w, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", warehouse);
    }
    if (rc != HC_OK)
        return rc;
    /* candidate orders, oldest first; a few more than asked for, as some may
     * still have goods in RECEIVING */
    const char **ids = hc_arena_alloc(a, sizeof(*ids) * (size_t)max_orders * 4);
    size_t nids = 0;
    hc_stmt *q;
    const char *allocated = hc_order_status_name(HC_ORDER_ALLOCATED);
    if (given) {
        if ((rc = given_orders(s, a, warehouse, given, (size_t)max_orders, ids, err)) != HC_OK)
            return rc;
        nids = (size_t)max_orders;
        goto candidates_known;
    }
    rc = seller ? hc_store_query(s, err, &q,
                                 "SELECT id FROM orders WHERE warehouse = ? AND status = ?"
                                 " AND seller = ? ORDER BY created_at, id LIMIT ?",
                                 "sssi", warehouse, allocated, seller, (int64_t)max_orders * 4)
                : hc_store_query(s, err, &q,
                                 "SELECT id FROM orders WHERE warehouse = ? AND status = ?"
                                 " ORDER BY created_at, id LIMIT ?",
                                 "ssi", warehouse, allocated, (int64_t)max_orders * 4);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && nids < (size_t)max_orders * 4)
        ids[nids++] = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    if (nids == 0)
        return hc_err_set(err, HC_ECONFLICT, "warehouse", "no allocated orders to pick in %s",
                          warehouse);
candidates_known:;
    struct hc_order *orders = hc_arena_alloc(a, sizeof(*orders) * nids);
    size_t cap = 4096, npicks = 0;
    for (size_t i = 0; i < nids; i++) {
        if ((rc = hc_order_get(s, a, ids[i], &orders[i], err)) != HC_OK)
            return rc;
        cap += orders[i].nlines * 4;
    }
    struct pickable p = {0};
    if ((rc = load_pickable(s, a, warehouse, orders, nids, &p, err)) != HC_OK)
        return rc;
    struct hc_pick *picks = hc_arena_alloc(a, sizeof(*picks) * cap);
    /* the orders taken, each with its picks picks[first[k]..first[k+1]) */
    const struct hc_order **taken = hc_arena_alloc(a, sizeof(*taken) * (size_t)max_orders);
    size_t *first = hc_arena_alloc(a, sizeof(*first) * ((size_t)max_orders + 1));
    size_t nt = 0;
    for (size_t i = 0; i < nids && nt < (size_t)max_orders; i++) {
        size_t at = npicks;
        if (plan_order(&p, &orders[i], picks, &npicks, cap)) {
            first[nt] = at;
            taken[nt++] = &orders[i];
        } else if (given) {
            return hc_err_set(err, HC_ECONFLICT, hc_arena_printf(a, "orders[%zu]", i),
                              "order %s does not have all its goods in pickable locations yet",
                              orders[i].id);
        }
    }
    first[nt] = npicks;
    if (nt == 0)
        return hc_err_set(err, HC_ECONFLICT, "warehouse",
                          "no allocated order in %s has all its goods in pickable locations yet",
                          warehouse);
    struct hc_pick_point *pts = hc_arena_alloc(a, sizeof(*pts) * npicks);
    for (size_t i = 0; i < npicks; i++)
        location_of(&p, picks[i].location, &pts[i]);
    struct hc_layout lay;
    if ((rc = wave_layout(s, &w, warehouse, pts, npicks, &lay, err)) != HC_OK)
        return rc;
    /* the orders as the batching planner sees them */
    struct hc_batch_order *bo = hc_arena_alloc(a, sizeof(*bo) * nt);
    const char **tids = hc_arena_alloc(a, sizeof(*tids) * nt);
    for (size_t k = 0; k < nt; k++) {
        const struct hc_order *o = taken[k];
        tids[k] = o->id;
        bo[k] = (struct hc_batch_order){.pts = pts + first[k], .npts = first[k + 1] - first[k],
                                        .lines = (int64_t)o->nlines, .due = o->created_at};
        for (size_t li = 0; li < o->nlines; li++) {
            int64_t v = 0, g = 0;
            if ((rc = hc_sku_unit(s, o->seller, o->lines[li].sku, &v, &g, err)) != HC_OK)
                return rc;
            bo[k].volume_mm3 += v * o->lines[li].qty;
            bo[k].weight_g += g * o->lines[li].qty;
        }
    }
    struct hc_cart none = {0};
    const struct hc_cart *c = cart ? &cart->cart : &none;
    if ((rc = hc_batch_check(c, bo, nt, tids, err)) != HC_OK)
        return rc;
    struct hc_batch_opts bopt = {.due_window_ms = 3600000, .seed = 1, .budget_ms = 0};
    if (cart) {
        bopt.due_window_ms = cart->due_window_ms > 0 ? cart->due_window_ms : 3600000;
        /* < 0: construction only, no timed search (deterministic: haicang demo) */
        bopt.budget_ms = cart->budget_ms > 0 ? cart->budget_ms : cart->budget_ms < 0 ? 0 : 100;
    } else {
        bopt.due_window_ms = 0; /* no cart: the whole wave is one trip, as before */
    }
    struct hc_batch *bt;
    size_t nb;
    if ((rc = hc_batch_plan(a, &lay, bo, nt, c, &bopt, &bt, &nb, err)) != HC_OK)
        return rc;
    /* route each trip; picks numbered trip by trip in route order */
    out->picks = hc_arena_alloc(a, sizeof(*out->picks) * npicks);
    out->npicks = 0;
    out->orders = hc_arena_alloc(a, sizeof(*out->orders) * nt);
    out->norders = 0;
    out->batches = hc_arena_alloc(a, sizeof(*out->batches) * nb);
    out->nbatches = nb;
    out->route_length_mm = 0;
    out->route_policy = hc_route_policy_name(lay.route_policy);
    struct hc_pick_point *tp = hc_arena_alloc(a, sizeof(*tp) * npicks);
    size_t *tpick = hc_arena_alloc(a, sizeof(*tpick) * npicks);
    size_t *ord = hc_arena_alloc(a, sizeof(*ord) * npicks);
    for (size_t b = 0; b < nb; b++) {
        struct hc_wave_batch *wb = &out->batches[b];
        size_t m = 0;
        wb->orders = hc_arena_alloc(a, sizeof(*wb->orders) * bt[b].norders);
        for (size_t k = 0; k < bt[b].norders; k++) {
            size_t oi = bt[b].orders[k];
            wb->orders[wb->norders++] = tids[oi];
            out->orders[out->norders++] = tids[oi];
            for (size_t i = first[oi]; i < first[oi + 1]; i++) {
                tp[m] = pts[i];
                tpick[m++] = i;
            }
        }
        size_t maxsteps = hc_route_steps_max(&lay, tp, m);
        struct hc_route_step *steps = hc_arena_alloc(a, sizeof(*steps) * (maxsteps ? maxsteps : 1));
        size_t nsteps = 0;
        int64_t len = hc_route_plan(&lay, lay.route_policy, tp, m, steps, &nsteps, ord);
        if (len < 0)
            return hc_err_set(err, HC_EINTERNAL, "", "out of memory planning the route");
        wb->no = (int64_t)b + 1;
        wb->route_length_mm = len;
        wb->route_policy = out->route_policy;
        wb->lines = bt[b].lines;
        wb->volume_mm3 = bt[b].volume_mm3;
        wb->weight_g = bt[b].weight_g;
        wb->first_seq = (int64_t)out->npicks + 1;
        wb->turns = hc_arena_alloc(a, sizeof(*wb->turns) * (nsteps ? nsteps : 1));
        for (size_t k = 0; k < nsteps; k++) {
            if (steps[k].kind == HC_STEP_PICK) {
                struct hc_pick *pk = &out->picks[out->npicks];
                *pk = picks[tpick[steps[k].pick]];
                pk->seq = (int64_t)++out->npicks;
                pk->batch = wb->no;
            } else {
                wb->turns[wb->nturns++] = (struct hc_wave_turn){
                    (int64_t)out->npicks, steps[k].aisle, steps[k].y_mm, steps[k].cross};
            }
        }
        wb->last_seq = (int64_t)out->npicks;
        if (wb->last_seq - wb->first_seq + 1 != (int64_t)m)
            return hc_err_set(err, HC_EINTERNAL, "", "the route of trip %zu misses picks", b + 1);
        out->route_length_mm += len;
    }
    char id[HC_ID_MAX];
    hc_id_format("wav", hc_id_next(), id, sizeof(id));
    out->id = hc_arena_strdup(a, id);
    out->warehouse = hc_arena_strdup(a, warehouse);
    out->created_at = hc_now_ms();
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO waves (warehouse, id, route_length_mm, created_at)"
                      " VALUES (?, ?, ?, ?)",
                      "ssii", warehouse, out->id, out->route_length_mm, out->created_at);
    for (size_t i = 0; rc == HC_OK && i < out->npicks; i++) {
        const struct hc_pick *pk = &out->picks[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO wave_picks (warehouse, wave_id, seq, location, seller, sku,"
                          " qty, order_id, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssisssisi", warehouse, out->id, pk->seq, pk->location, pk->seller,
                          pk->sku, pk->qty, pk->order, pk->batch);
    }
    for (size_t b = 0; rc == HC_OK && b < out->nbatches; b++) {
        const struct hc_wave_batch *wb = &out->batches[b];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO wave_batches (warehouse, wave_id, batch, route_length_mm,"
                          " route_policy, nlines, volume_mm3, weight_g)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssiisiii", warehouse, out->id, wb->no, wb->route_length_mm,
                          wb->route_policy, wb->lines, wb->volume_mm3, wb->weight_g);
        for (size_t k = 0; rc == HC_OK && k < wb->norders; k++)
            rc = hc_store_run(s, err, NULL,
                              "INSERT INTO wave_totes (warehouse, wave_id, batch, tote, order_id)"
                              " VALUES (?, ?, ?, ?, ?)",
                              "ssiis", warehouse, out->id, wb->no, (int64_t)k + 1, wb->orders[k]);
        for (size_t k = 0; rc == HC_OK && k < wb->nturns; k++) {
            const struct hc_wave_turn *t = &wb->turns[k];
            rc = hc_store_run(s, err, NULL,
                              "INSERT INTO wave_turns (warehouse, wave_id, batch, n, after_seq,"
                              " aisle, y_mm, cross_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              "ssiiiiii", warehouse, out->id, wb->no, (int64_t)k + 1, t->after_seq,
                              t->aisle, t->y_mm, (int64_t)t->cross);
        }
    }
    for (size_t i = 0; rc == HC_OK && i < out->norders; i++) {
        struct hc_order o;
        if ((rc = hc_order_get(s, a, out->orders[i], &o, err)) != HC_OK)
            break;
        rc = hc_order_set_status(s, o.seller, o.id, HC_ORDER_ALLOCATED, HC_ORDER_PICKING, err);
        if (rc == HC_OK)
            rc = hc_store_run(s, err, NULL, "UPDATE orders SET wave = ? WHERE seller = ? AND id = ?",
                              "sss", out->id, o.seller, o.id);
    }
    return rc;
}

/* The trips of a wave read back: wave_batches, their totes and turns, and
 * the seq range of their picks. A wave from before batching is one trip. */
static int wave_batches_get(hc_store *s, hc_arena *a, struct hc_wave *out, hc_err *err)
{
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM wave_batches WHERE warehouse = ? AND wave_id = ?",
                          "ss", out->warehouse, out->id);
    if (rc != HC_OK)
        return rc;
    if (n == 0) { /* released before batching: one trip, a tote per order */
        struct hc_wave_batch *wb = hc_arena_alloc(a, sizeof(*wb));
        *wb = (struct hc_wave_batch){.no = 1, .route_length_mm = out->route_length_mm,
                                     .first_seq = out->npicks ? out->picks[0].seq : 1,
                                     .last_seq = out->npicks ? out->picks[out->npicks - 1].seq : 0,
                                     .orders = out->orders, .norders = out->norders};
        out->batches = wb;
        out->nbatches = 1;
        return HC_OK;
    }
    out->batches = hc_arena_alloc(a, sizeof(*out->batches) * (size_t)n);
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT batch, route_length_mm, route_policy, nlines, volume_mm3, weight_g"
                        " FROM wave_batches WHERE warehouse = ? AND wave_id = ? ORDER BY batch",
                        "ss", out->warehouse, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->nbatches < (size_t)n) {
        struct hc_wave_batch *wb = &out->batches[out->nbatches++];
        wb->no = hc_stmt_int(q, 0);
        wb->route_length_mm = hc_stmt_int(q, 1);
        wb->route_policy = hc_arena_strdup(a, hc_stmt_text(q, 2));
        wb->lines = hc_stmt_int(q, 3);
        wb->volume_mm3 = hc_stmt_int(q, 4);
        wb->weight_g = hc_stmt_int(q, 5);
        wb->orders = hc_arena_alloc(a, sizeof(*wb->orders) * (out->norders + 1));
        wb->first_seq = INT64_MAX;
        for (size_t i = 0; i < out->npicks; i++)
            if (out->picks[i].batch == wb->no) {
                wb->first_seq = wb->first_seq < out->picks[i].seq ? wb->first_seq
                                                                  : out->picks[i].seq;
                wb->last_seq = out->picks[i].seq;
            }
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    rc = hc_store_query(s, err, &q,
                        "SELECT batch, order_id FROM wave_totes WHERE warehouse = ? AND"
                        " wave_id = ? ORDER BY batch, tote",
                        "ss", out->warehouse, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int64_t b = hc_stmt_int(q, 0);
        for (size_t k = 0; k < out->nbatches; k++)
            if (out->batches[k].no == b && out->batches[k].norders < out->norders + 1)
                out->batches[k].orders[out->batches[k].norders++] =
                    hc_arena_strdup(a, hc_stmt_text(q, 1));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t k = 0; k < out->nbatches; k++) {
        struct hc_wave_batch *wb = &out->batches[k];
        int64_t nturns = 0;
        if ((rc = hc_store_int(s, err, &nturns,
                               "SELECT COUNT(*) FROM wave_turns WHERE warehouse = ? AND"
                               " wave_id = ? AND batch = ?",
                               "ssi", out->warehouse, out->id, wb->no)) != HC_OK)
            return rc;
        wb->turns = hc_arena_alloc(a, sizeof(*wb->turns) * (size_t)(nturns ? nturns : 1));
        rc = hc_store_query(s, err, &q,
                            "SELECT after_seq, aisle, y_mm, cross_no FROM wave_turns WHERE"
                            " warehouse = ? AND wave_id = ? AND batch = ? ORDER BY n",
                            "ssi", out->warehouse, out->id, wb->no);
        if (rc != HC_OK)
            return rc;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW && wb->nturns < (size_t)nturns)
            wb->turns[wb->nturns++] = (struct hc_wave_turn){hc_stmt_int(q, 0), hc_stmt_int(q, 1),
                                                            hc_stmt_int(q, 2),
                                                            (int)hc_stmt_int(q, 3)};
        hc_stmt_reset(q);
        if (rc != HC_DONE && rc != HC_ROW)
            return rc;
    }
    return HC_OK;
}

int hc_wave_get(hc_store *s, hc_arena *a, const char *id, struct hc_wave *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT warehouse, id, route_length_mm, created_at FROM waves"
                            " WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(out, 0, sizeof(*out));
        out->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->id = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->route_length_mm = hc_stmt_int(q, 2);
        out->created_at = hc_stmt_int(q, 3);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no wave %s", id);
    }
    hc_stmt_reset(q);
    if (rc != HC_OK)
        return rc;
    int64_t n = 0;
    if ((rc = hc_store_int(s, err, &n,
                           "SELECT COUNT(*) FROM wave_picks WHERE warehouse = ? AND wave_id = ?",
                           "ss", out->warehouse, out->id)) != HC_OK)
        return rc;
    out->picks = hc_arena_alloc(a, sizeof(*out->picks) * (size_t)(n ? n : 1));
    out->orders = hc_arena_alloc(a, sizeof(*out->orders) * (size_t)(n ? n : 1));
    rc = hc_store_query(s, err, &q,
                        "SELECT seq, location, seller, sku, qty, order_id, batch FROM wave_picks"
                        " WHERE warehouse = ? AND wave_id = ? ORDER BY seq",
                        "ss", out->warehouse, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->npicks < (size_t)n) {
        struct hc_pick *p = &out->picks[out->npicks++];
        p->seq = hc_stmt_int(q, 0);
        p->location = hc_arena_strdup(a, hc_stmt_text(q, 1));
        p->seller = hc_arena_strdup(a, hc_stmt_text(q, 2));
        p->sku = hc_arena_strdup(a, hc_stmt_text(q, 3));
        p->qty = hc_stmt_int(q, 4);
        p->order = hc_arena_strdup(a, hc_stmt_text(q, 5));
        p->batch = hc_stmt_int(q, 6);
        bool seen = false;
        for (size_t i = 0; i < out->norders && !seen; i++)
            seen = strcmp(out->orders[i], p->order) == 0;
        if (!seen)
            out->orders[out->norders++] = p->order;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    return wave_batches_get(s, a, out, err);
}

int hc_wave_list(hc_store *s, hc_arena *a, const char *warehouse, const struct hc_list_page *pg,
                 struct hc_wave **items, size_t *n, const char **next, hc_err *err)
{
    struct hc_eq eq[1] = {{"warehouse", warehouse}};
    const char **ids;
    size_t k;
    int rc = hc_store_page_keys(s, a, "waves", "id", true, eq, 1, pg->cursor, pg->limit, &ids, &k,
                                next, err);
    if (rc != HC_OK)
        return rc;
    struct hc_wave *out = hc_arena_alloc(a, sizeof(*out) * (k ? k : 1));
    for (size_t i = 0; i < k; i++)
        if ((rc = hc_wave_get(s, a, ids[i], &out[i], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

int hc_order_pack(hc_store *s, hc_arena *a, const char *order_id, const char *actor,
                  struct hc_order *out, hc_err *err)
{
    int rc = hc_order_get(s, a, order_id, out, err);
    if (rc != HC_OK)
        return rc;
    if (hc_order_status_parse(out->status) != HC_ORDER_PICKING)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "only an order being picked can be packed; this one is %s", out->status);
    bool picked; /* picks already confirmed by scan; pack scans complete (scan.c) */
    if ((rc = hc_scan_pack_check(s, a, out, &picked, err)) != HC_OK ||
        (!picked && (rc = hc_order_confirm_picks(s, a, out, actor, err)) != HC_OK))
        return rc;
    rc = hc_order_set_status(s, out->seller, out->id, HC_ORDER_PICKING, HC_ORDER_PACKED, err);
    if (rc == HC_OK)
        rc = hc_order_get(s, a, order_id, out, err);
    return rc;
}

int hc_order_confirm_picks(hc_store *s, hc_arena *a, const struct hc_order *out,
                           const char *actor, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                        "SELECT location, sku, qty FROM wave_picks WHERE order_id = ? ORDER BY seq",
                        "s", out->id);
    if (rc != HC_OK)
        return rc;
    size_t cap = 16, n = 0;
    struct hc_qty_line *picks = hc_arena_alloc(a, sizeof(*picks) * cap);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (n == cap) {
            struct hc_qty_line *np = hc_arena_alloc(a, sizeof(*np) * cap * 2);
            memcpy(np, picks, sizeof(*np) * cap);
            picks = np;
            cap *= 2;
        }
        picks[n].location = hc_arena_strdup(a, hc_stmt_text(q, 0));
        picks[n].sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        picks[n++].qty = hc_stmt_int(q, 2);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(to, sizeof(to), "order/%s", out->id);
    for (size_t i = 0; i < n; i++) {
        rc = hc_ledger_release(s, out->seller, out->warehouse, picks[i].sku, picks[i].qty, out->id,
                               actor, err);
        if (rc != HC_OK)
            return rc;
        snprintf(from, sizeof(from), "wh/%s/%s", out->warehouse, picks[i].location);
        struct hc_move m = {out->seller, picks[i].sku, picks[i].qty, from, to, out->id, actor, 0, 0};
        if ((rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err)) ||
            (rc = hc_ledger_move(s, &m, err)) != HC_OK)
            return rc;
    }
    rc = hc_store_run(s, err, NULL,
                      "UPDATE order_lines SET allocated = 0 WHERE seller = ? AND order_id = ?", "ss",
                      out->seller, out->id);
    return rc;
}

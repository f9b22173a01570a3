/* pack.c: cartons and pallets of a transfer. The proposal packs the units
 * into cartons of one size with the freight module's loader (containers =
 * cartons, filled one after another), then the cartons onto pallets (the
 * loader again, with its support rule); recording stores cartons, their
 * items and pallets with marketplace carton ids and SSCCs. */
#include "transfer.h"

#include "catalog/catalog.h"
#include "freight/freight.h"
#include "lastmile/lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hc_tr_set_status(hc_store *s, const struct hc_transfer *t, int to, hc_err *err);

static bool dims_ok(const int64_t d[3])
{
    for (int i = 0; i < 3; i++)
        if (d[i] < 1 || d[i] > HC_LOADING_DIM_MAX)
            return false;
    return true;
}

static int64_t max3(const int64_t d[3])
{
    int64_t m = d[0] > d[1] ? d[0] : d[1];
    return m > d[2] ? m : d[2];
}

/* What a round of filling put where: unit line `line` x qty in bin `bin`. */
struct placed {
    size_t bin, line;
    int64_t qty;
};
struct fill {
    struct placed *v;
    size_t n, cap, bins;
};

static void fill_add(struct fill *f, size_t bin, size_t line, int64_t qty)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = realloc(f->v, sizeof(*f->v) * f->cap);
        if (f->v == NULL)
            abort();
    }
    f->v[f->n++] = (struct placed){bin, line, qty};
}

/* One loader run over the lines still left, into k copies of box; what it
 * placed becomes bins f->bins + 1.. in container order. *any: something placed. */
static int fill_round(const hc_loading_carton *items, size_t n, int64_t *left, const int64_t box[3],
                      int64_t max_g, size_t k, int support, int64_t ms, struct fill *f, bool *any,
                      hc_err *err)
{
    hc_loading_carton *sub = calloc(n + 1, sizeof(*sub));
    size_t *map = calloc(n + 1, sizeof(*map)), m = 0;
    hc_loading_container *c = calloc(k, sizeof(*c));
    int64_t *cnt = NULL;
    if (sub == NULL || map == NULL || c == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        if (left[i] > 0) {
            sub[m] = items[i];
            sub[m].qty = (int32_t)left[i];
            map[m++] = i;
        }
    for (size_t i = 0; i < k; i++) {
        snprintf(c[i].id, sizeof(c[i].id), "%zu", i + 1);
        c[i].l = (int32_t)box[0];
        c[i].w = (int32_t)box[1];
        c[i].h = (int32_t)box[2];
        c[i].max_weight_g = max_g;
    }
    hc_loading_problem p = {.containers = c, .n_containers = k, .cartons = sub, .n_cartons = m,
                            .support = support, .time_limit_ms = ms, .seed = 1};
    hc_loading_plan plan;
    memset(&plan, 0, sizeof(plan));
    int rc = hc_loading_solve(&p, &plan, err);
    *any = false;
    if (rc == HC_OK && (cnt = calloc(k * m + 1, sizeof(*cnt))) == NULL)
        abort();
    for (size_t i = 0; rc == HC_OK && i < plan.n_placements; i++)
        cnt[(size_t)plan.placements[i].container * m + (size_t)plan.placements[i].carton]++;
    for (size_t b = 0; rc == HC_OK && b < k; b++) {
        if (plan.stats[b].n_placed == 0)
            continue;
        f->bins++;
        for (size_t j = 0; j < m; j++)
            if (cnt[b * m + j] > 0) {
                fill_add(f, f->bins, map[j], cnt[b * m + j]);
                left[map[j]] -= cnt[b * m + j];
                *any = true;
            }
    }
    hc_loading_plan_free(&plan);
    free(cnt);
    free(sub);
    free(map);
    free(c);
    return rc;
}

/* Fills boxes with all the items, one box a round: the lines still left
 * are taken in order as far as the box's weight and volume allow (a quick
 * bound), then the loader packs them into one box; what it could not place
 * goes back for the next box. Each round places at least one unit (every
 * unit fits a box alone, checked before), so it ends. */
static int fill_all(const hc_loading_carton *items, size_t n, const int64_t box[3],
                    int64_t max_g, int support, int64_t ms, struct fill *f, bool *all,
                    hc_err *err)
{
    int64_t *left = calloc(n + 1, sizeof(*left)), *take = calloc(n + 1, sizeof(*take));
    if (left == NULL || take == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        left[i] = items[i].qty;
    const int64_t bv = box[0] * box[1] * box[2];
    int rc = HC_OK;
    *all = false;
    for (size_t first = 0;;) {
        while (first < n && left[first] == 0)
            first++;
        if (first == n) {
            *all = true;
            break;
        }
        int64_t gw = 0, gv = 0;
        for (size_t i = first; i < n; i++) {
            int64_t uv = (int64_t)items[i].dims[0] * items[i].dims[1] * items[i].dims[2];
            int64_t q = left[i];
            if (items[i].weight_g > 0 && max_g < HC_LOADING_NO_LIMIT)
                q = (max_g - gw) / items[i].weight_g < q ? (max_g - gw) / items[i].weight_g : q;
            q = uv > 0 && (bv - gv) / uv < q ? (bv - gv) / uv : q;
            take[i] = q > 0 ? q : 0;
            gw += take[i] * items[i].weight_g;
            gv += take[i] * uv;
        }
        if (take[first] == 0) /* a unit alone over the box: the caller checked this */
            take[first] = 1;
        for (size_t i = first; i < n; i++) { /* the round's lines are what it takes */
            int64_t keep = left[i] - take[i];
            left[i] = take[i];
            take[i] = keep;
        }
        bool any = false;
        rc = fill_round(items, n, left, box, max_g, 1, support, ms, f, &any, err);
        if (rc == HC_OK && !any) /* the loader ran out of time before its first placement */
            rc = fill_round(items, n, left, box, max_g, 1, support, ms * 20, f, &any, err);
        for (size_t i = first; i < n; i++) /* not placed, and not taken: back */
            left[i] += take[i];
        if (rc != HC_OK || !any)
            break;
    }
    free(left);
    free(take);
    return rc;
}

static int check_units(const struct hc_tr_unit *u, size_t n, const struct hc_tr_pack_opts *o,
                       int64_t max_g, hc_err *err)
{
    if (!dims_ok(o->carton_mm))
        return hc_err_set(err, HC_EINVAL, "carton.dims_mm", "each side must be 1..%d mm",
                          HC_LOADING_DIM_MAX);
    if (o->carton_tare_g < 0 || o->carton_tare_g >= max_g)
        return hc_err_set(err, HC_EINVAL, "carton.tare_g", "must be 0.. below the max weight");
    for (size_t i = 0; i < n; i++) {
        if (max3(u[i].dims_mm) > max3(o->carton_mm) || u[i].dims_mm[0] > HC_LOADING_DIM_MAX ||
            u[i].dims_mm[1] > HC_LOADING_DIM_MAX || u[i].dims_mm[2] > HC_LOADING_DIM_MAX)
            return hc_err_set(err, HC_EINVAL, "carton.dims_mm", "a unit of %s does not fit",
                              u[i].sku);
        if (u[i].weight_g + o->carton_tare_g > max_g)
            return hc_err_set(err, HC_EINVAL, "carton.max_weight_g",
                              "a unit of %s is heavier than a carton may be", u[i].sku);
        if (u[i].qty < 1 || u[i].qty > INT32_MAX)
            return hc_err_set(err, HC_EINVAL, "lines", "a line's quantity is out of range");
    }
    return HC_OK;
}

/* Cartons from a fill: per bin its units by SKU (bins in order, lines in
 * the fill's order within a bin). */
static void cartons_of(hc_arena *a, const struct hc_tr_unit *u, const struct fill *f,
                       const struct hc_tr_pack_opts *o, struct hc_tr_proposal *out)
{
    out->ncartons = f->bins;
    out->cartons = hc_arena_alloc(a, sizeof(*out->cartons) * (f->bins + 1));
    memset(out->cartons, 0, sizeof(*out->cartons) * (f->bins + 1));
    size_t *count = calloc(f->bins + 1, sizeof(*count));
    if (count == NULL)
        abort();
    for (size_t i = 0; i < f->n; i++)
        count[f->v[i].bin - 1]++;
    for (size_t b = 0; b < f->bins; b++) {
        struct hc_tr_carton *ct = &out->cartons[b];
        ct->box_no = (int64_t)b + 1;
        memcpy(ct->dims_mm, o->carton_mm, sizeof(ct->dims_mm));
        ct->weight_g = o->carton_tare_g;
        ct->items = hc_arena_alloc(a, sizeof(*ct->items) * (count[b] + 1));
    }
    for (size_t i = 0; i < f->n; i++) {
        struct hc_tr_carton *ct = &out->cartons[f->v[i].bin - 1];
        ct->items[ct->nitems++] = (struct hc_tr_carton_item){u[f->v[i].line].sku, f->v[i].qty};
        ct->weight_g += f->v[i].qty * u[f->v[i].line].weight_g;
        out->units += f->v[i].qty;
    }
    for (size_t b = 0; b < f->bins; b++)
        out->weight_g += out->cartons[b].weight_g;
    free(count);
}

static int pallets_of(hc_arena *a, const struct hc_tr_pack_opts *o, int64_t ms,
                      struct hc_tr_proposal *out, hc_err *err)
{
    if (!dims_ok(o->pallet_mm))
        return hc_err_set(err, HC_EINVAL, "pallet.dims_mm", "each side must be 1..%d mm",
                          HC_LOADING_DIM_MAX);
    int64_t max_g = o->pallet_max_g > 0 ? o->pallet_max_g : HC_TR_PALLET_MAX_G;
    size_t n = out->ncartons;
    for (size_t i = 0; i < n; i++)
        if (out->cartons[i].weight_g > max_g)
            return hc_err_set(err, HC_EINVAL, "pallet.max_weight_g", "a carton is heavier");
    hc_loading_carton *items = calloc(n + 1, sizeof(*items));
    if (items == NULL)
        abort();
    for (size_t i = 0; i < n; i++) { /* one line per carton: their weights differ */
        snprintf(items[i].id, sizeof(items[i].id), "%zu", i + 1);
        for (int d = 0; d < 3; d++) {
            items[i].dims[d] = (int32_t)o->carton_mm[d];
            items[i].vertical_ok[d] = true;
        }
        items[i].weight_g = out->cartons[i].weight_g;
        items[i].qty = 1;
        items[i].max_load_g = HC_LOADING_NO_LIMIT;
        items[i].group = -1;
    }
    struct fill f = {0};
    bool all = false;
    int rc = fill_all(items, n, o->pallet_mm, max_g, HC_LOADING_SUPPORT_FULL, ms, &f, &all, err);
    if (rc == HC_OK && !all)
        rc = hc_err_set(err, HC_EINVAL, "pallet.dims_mm", "the cartons do not fit on pallets");
    if (rc == HC_OK) {
        out->npallets = f.bins;
        out->pallets = hc_arena_alloc(a, sizeof(*out->pallets) * (f.bins + 1));
        memset(out->pallets, 0, sizeof(*out->pallets) * (f.bins + 1));
        for (size_t p = 0; p < f.bins; p++)
            out->pallets[p].pallet_no = (int64_t)p + 1;
        for (size_t i = 0; i < f.n; i++) {
            struct hc_tr_carton *ct = &out->cartons[f.v[i].line];
            HC_ASSERT(f.v[i].qty == 1);
            ct->pallet_no = (int64_t)f.v[i].bin;
            out->pallets[f.v[i].bin - 1].cartons++;
            out->pallets[f.v[i].bin - 1].weight_g += ct->weight_g;
        }
    }
    free(f.v);
    free(items);
    return rc;
}

int hc_tr_pack_propose(hc_arena *a, const struct hc_tr_unit *u, size_t n,
                       const struct hc_tr_pack_opts *o, struct hc_tr_proposal *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    int64_t max_g = o->carton_max_g > 0 ? o->carton_max_g : HC_TR_DEFAULT_CARTON_MAX_G;
    int64_t ms = o->time_limit_ms > 0 ? o->time_limit_ms : 20;
    int rc = check_units(u, n, o, max_g, err);
    if (rc != HC_OK)
        return rc;
    hc_loading_carton *items = calloc(n + 1, sizeof(*items));
    if (items == NULL)
        abort();
    int64_t units = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(items[i].id, sizeof(items[i].id), "%zu", i);
        for (int d = 0; d < 3; d++) {
            items[i].dims[d] = (int32_t)(u[i].dims_mm[d] < 1 ? 1 : u[i].dims_mm[d]);
            items[i].vertical_ok[d] = true;
        }
        items[i].weight_g = u[i].weight_g;
        items[i].qty = (int32_t)u[i].qty;
        items[i].max_load_g = HC_LOADING_NO_LIMIT;
        items[i].group = -1;
        units += u[i].qty;
    }
    struct fill f = {0};
    bool all = false;
    rc = fill_all(items, n, o->carton_mm, max_g - o->carton_tare_g, HC_LOADING_SUPPORT_NONE, ms,
                  &f, &all, err);
    if (rc == HC_OK && !all)
        rc = hc_err_set(err, HC_EINVAL, "carton.dims_mm", "the units do not fit the cartons");
    if (rc == HC_OK)
        cartons_of(a, u, &f, o, out);
    free(f.v);
    free(items);
    if (rc == HC_OK && out->units != units)
        rc = hc_err_set(err, HC_EINTERNAL, "", "the proposal lost units");
    if (rc == HC_OK && o->pallet_mm[0] > 0)
        rc = pallets_of(a, o, ms, out, err);
    return rc;
}

int hc_tr_units(hc_store *s, hc_arena *a, const struct hc_transfer *t, struct hc_tr_unit **out,
                hc_err *err)
{
    *out = hc_arena_alloc(a, sizeof(**out) * (t->nlines + 1));
    for (size_t i = 0; i < t->nlines; i++) {
        struct hc_sku k;
        int rc = hc_sku_get(s, a, t->seller, t->lines[i].sku, &k, err);
        if (rc != HC_OK)
            return rc;
        (*out)[i] = (struct hc_tr_unit){.sku = t->lines[i].sku, .qty = t->lines[i].qty,
                                        .weight_g = k.weight_g};
        memcpy((*out)[i].dims_mm, k.dims_mm, sizeof(k.dims_mm));
    }
    return HC_OK;
}

/* ---- recording ------------------------------------------------------------------------------ */

/* The cartons hold exactly the transfer's lines. */
static int check_contents(const struct hc_transfer *t, const struct hc_tr_carton *c, size_t n,
                          size_t np, hc_err *err)
{
    char f[64];
    if (n == 0 || n > HC_TR_CARTONS_MAX)
        return hc_err_set(err, HC_EINVAL, "cartons", "must hold 1..%d cartons",
                          HC_TR_CARTONS_MAX);
    int64_t *left = calloc(t->nlines + 1, sizeof(*left));
    if (left == NULL)
        abort();
    for (size_t i = 0; i < t->nlines; i++)
        left[i] = t->lines[i].qty;
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        if (c[i].nitems == 0)
            rc = hc_err_set(err, HC_EINVAL, (snprintf(f, sizeof(f), "cartons[%zu].items", i), f),
                            "a carton holds at least one item");
        if (rc == HC_OK && (c[i].pallet_no < 0 || (size_t)c[i].pallet_no > np))
            rc = hc_err_set(err, HC_EINVAL,
                            (snprintf(f, sizeof(f), "cartons[%zu].pallet", i), f),
                            "must be 0 or 1..%zu", np);
        for (size_t j = 0; rc == HC_OK && j < c[i].nitems; j++) {
            size_t l = 0;
            while (l < t->nlines && strcmp(t->lines[l].sku, c[i].items[j].sku) != 0)
                l++;
            snprintf(f, sizeof(f), "cartons[%zu].items[%zu].sku", i, j);
            if (l == t->nlines) {
                rc = hc_err_set(err, HC_EINVAL, f, "is not a line of the transfer");
                break;
            }
            left[l] -= c[i].items[j].qty;
            snprintf(f, sizeof(f), "cartons[%zu].items[%zu].qty", i, j);
            if (c[i].items[j].qty < 1 || left[l] < 0)
                rc = hc_err_set(err, HC_EINVAL, f, "must be > 0 and hold at most the %lld of %s",
                                (long long)t->lines[l].qty, t->lines[l].sku);
        }
    }
    for (size_t l = 0; rc == HC_OK && l < t->nlines; l++)
        if (left[l] != 0)
            rc = hc_err_set(err, HC_EINVAL, "cartons", "%lld of %s are in no carton",
                            (long long)left[l], t->lines[l].sku);
    free(left);
    return rc;
}

static int next_sscc(hc_store *s, const char *prefix, char out[19], hc_err *err)
{
    int64_t next = 0;
    int rc = hc_store_int(s, err, &next,
                          "SELECT next_serial FROM tr_sscc_counters WHERE prefix = ?", "s",
                          prefix);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        next = 1;
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO tr_sscc_counters (prefix, next_serial) VALUES (?, 2)", "s",
                          prefix);
    } else if (rc == HC_OK) {
        rc = hc_store_run(s, err, NULL,
                          "UPDATE tr_sscc_counters SET next_serial = next_serial + 1"
                          " WHERE prefix = ?",
                          "s", prefix);
    }
    if (rc == HC_OK && !hc_lm_sscc_format(0, prefix, next, out))
        return hc_err_set(err, HC_ECONFLICT, "gs1_prefix", "the serial range of %s is used up",
                          prefix);
    return rc;
}

static int store_carton(hc_store *s, const struct hc_transfer *t, const struct hc_tr_carton *c,
                        hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO tr_cartons (transfer, box_no, carton_id, l_mm, w_mm, h_mm,"
                          " weight_g, pallet_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "sisiiiii", t->id, c->box_no, c->carton_id, c->dims_mm[0],
                          c->dims_mm[1], c->dims_mm[2], c->weight_g, c->pallet_no);
    for (size_t j = 0; rc == HC_OK && j < c->nitems; j++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO tr_carton_items (transfer, box_no, seq, sku, qty)"
                          " VALUES (?, ?, ?, ?, ?)",
                          "siisi", t->id, c->box_no, (int64_t)j, c->items[j].sku,
                          c->items[j].qty);
    return rc;
}

int hc_tr_cartons_record(hc_store *s, hc_arena *a, const char *transfer_id,
                         struct hc_tr_carton *c, size_t n, struct hc_tr_pallet *p, size_t np,
                         const char *gs1_prefix, const char *actor, hc_err *err)
{
    (void)actor;
    struct hc_transfer t;
    int rc = hc_transfer_get(s, a, transfer_id, &t, err);
    if (rc != HC_OK)
        return rc;
    int st = hc_tr_status_parse(t.status);
    if (st == HC_TR_ON_HOLD)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "the transfer is on hold for compliance data");
    if (!hc_tr_can_move(st, HC_TR_PACKED))
        return hc_err_set(err, HC_ECONFLICT, "status", "a %s transfer is not packed again",
                          t.status);
    size_t pl = gs1_prefix ? strlen(gs1_prefix) : 0;
    if (np > 0 && (pl < 7 || pl > 10 || !hc_all_digits(gs1_prefix, pl)))
        return hc_err_set(err, HC_EINVAL, "gs1_prefix",
                          "a GS1 company prefix of 7-10 digits is needed for pallet labels");
    if ((rc = check_contents(&t, c, n, np, err)) != HC_OK)
        return rc;
    static const char *const drops[] = {"DELETE FROM tr_carton_items WHERE transfer = ?",
                                        "DELETE FROM tr_cartons WHERE transfer = ?",
                                        "DELETE FROM tr_pallets WHERE transfer = ?"};
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(drops); i++)
        rc = hc_store_run(s, err, NULL, drops[i], "s", t.id);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char cid[HC_TR_CARTON_ID_MAX];
        c[i].box_no = (int64_t)i + 1;
        if (!hc_tr_carton_id(t.dest_type, t.shipment_id, c[i].box_no, cid, sizeof(cid)))
            return hc_err_set(err, HC_EINVAL, "cartons", "too many cartons");
        c[i].carton_id = hc_arena_strdup(a, cid);
        rc = store_carton(s, &t, &c[i], err);
    }
    for (size_t i = 0; rc == HC_OK && i < np; i++) {
        char sscc[19];
        p[i].pallet_no = (int64_t)i + 1;
        p[i].cartons = p[i].weight_g = 0;
        for (size_t k = 0; k < n; k++)
            if (c[k].pallet_no == p[i].pallet_no) {
                p[i].cartons++;
                p[i].weight_g += c[k].weight_g;
            }
        if ((rc = next_sscc(s, gs1_prefix, sscc, err)) != HC_OK)
            break;
        p[i].sscc = hc_arena_strdup(a, sscc);
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO tr_pallets (transfer, pallet_no, sscc, cartons, weight_g)"
                          " VALUES (?, ?, ?, ?, ?)",
                          "sisii", t.id, p[i].pallet_no, sscc, p[i].cartons, p[i].weight_g);
    }
    return rc ? rc : hc_tr_set_status(s, &t, HC_TR_PACKED, err);
}

/* ---- reading -------------------------------------------------------------------------------- */

static int read_items(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT box_no, sku, qty FROM tr_carton_items WHERE transfer = ?"
                            " ORDER BY box_no, seq",
                            "s", t->id);
    if (rc != HC_OK)
        return rc;
    size_t *cap = hc_arena_alloc(a, sizeof(*cap) * (t->ncartons + 1));
    memset(cap, 0, sizeof(*cap) * (t->ncartons + 1));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int64_t b = hc_stmt_int(q, 0);
        if (b < 1 || (size_t)b > t->ncartons)
            continue;
        struct hc_tr_carton *c = &t->cartons[b - 1];
        if (c->nitems == cap[b - 1]) {
            cap[b - 1] = cap[b - 1] ? cap[b - 1] * 2 : 4;
            struct hc_tr_carton_item *v = hc_arena_alloc(a, sizeof(*v) * cap[b - 1]);
            if (c->nitems)
                memcpy(v, c->items, sizeof(*v) * c->nitems);
            c->items = v;
        }
        c->items[c->nitems++] =
            (struct hc_tr_carton_item){hc_arena_strdup(a, hc_stmt_text(q, 1)), hc_stmt_int(q, 2)};
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_tr_read_cartons(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err);
int hc_tr_read_cartons(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    int64_t nc = 0, np = 0;
    int rc = hc_store_int(s, err, &nc, "SELECT COUNT(*) FROM tr_cartons WHERE transfer = ?", "s",
                          t->id);
    if (rc == HC_OK)
        rc = hc_store_int(s, err, &np, "SELECT COUNT(*) FROM tr_pallets WHERE transfer = ?", "s",
                          t->id);
    if (rc != HC_OK)
        return rc;
    t->cartons = hc_arena_alloc(a, sizeof(*t->cartons) * (size_t)(nc + 1));
    t->pallets = hc_arena_alloc(a, sizeof(*t->pallets) * (size_t)(np + 1));
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT box_no, carton_id, l_mm, w_mm, h_mm, weight_g, pallet_no"
                        " FROM tr_cartons WHERE transfer = ? ORDER BY box_no",
                        "s", t->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && t->ncartons < (size_t)nc)
        t->cartons[t->ncartons++] = (struct hc_tr_carton){
            .box_no = hc_stmt_int(q, 0), .carton_id = hc_arena_strdup(a, hc_stmt_text(q, 1)),
            .dims_mm = {hc_stmt_int(q, 2), hc_stmt_int(q, 3), hc_stmt_int(q, 4)},
            .weight_g = hc_stmt_int(q, 5), .pallet_no = hc_stmt_int(q, 6)};
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    rc = hc_store_query(s, err, &q,
                        "SELECT pallet_no, sscc, cartons, weight_g FROM tr_pallets"
                        " WHERE transfer = ? ORDER BY pallet_no",
                        "s", t->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && t->npallets < (size_t)np)
        t->pallets[t->npallets++] = (struct hc_tr_pallet){
            hc_stmt_int(q, 0), hc_arena_strdup(a, hc_stmt_text(q, 1)), hc_stmt_int(q, 2),
            hc_stmt_int(q, 3)};
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    return read_items(s, a, t, err);
}

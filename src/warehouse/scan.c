/* scan.c: picking and packing confirmed by scan.
 *
 * A wave's picks (wave_picks, in route order) are counted by item scans
 * kept in wave_scans, one row per pick a scan counts against; the bin a
 * picker stands at is the bin of the wave's last bin scan. An order whose
 * picks are all counted is confirmed at once (hc_order_confirm_picks, goods
 * to order/<id>, by the scanning key) and remembered in picked_orders; the
 * pack station's counts are pack_scans. Nothing here knows HTTP or JSON. */
#include "warehouse.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- pure matching ------------------------------------------------------------------ */

static const char *const kind_names[] = {"bin", "item", "short"};

const char *hc_scan_kind_name(enum hc_scan_kind k)
{
    return (unsigned)k < HC_ARRAY_LEN(kind_names) ? kind_names[k] : "?";
}

bool hc_scan_kind_parse(const char *word, enum hc_scan_kind *out)
{
    for (size_t i = 0; word && i < HC_ARRAY_LEN(kind_names); i++)
        if (strcmp(word, kind_names[i]) == 0) {
            *out = (enum hc_scan_kind)i;
            return true;
        }
    return false;
}

/* Does code name the bin: "A-01-1" or "DE-DUI/A-01-1", any case. */
static bool bin_is(const char *location, const char *warehouse, const char *code)
{
    if (strcasecmp(location, code) == 0)
        return true;
    size_t n = warehouse ? strlen(warehouse) : 0;
    return n && strncasecmp(code, warehouse, n) == 0 && code[n] == '/' &&
           strcasecmp(code + n + 1, location) == 0;
}

ptrdiff_t hc_scan_find_bin(const struct hc_scan_pick *p, size_t n, const char *warehouse,
                           const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].open && bin_is(p[i].location, warehouse, code))
            return (ptrdiff_t)i;
    return -1;
}

bool hc_scan_item_is(const struct hc_scan_pick *p, const char *code)
{
    return (p->barcode && *p->barcode && strcmp(p->barcode, code) == 0) ||
           strcmp(p->sku, code) == 0;
}

int hc_scan_match_item(const struct hc_scan_pick *p, size_t n, const char *bin, const char *code,
                       const char *order, int64_t qty, int64_t *take, hc_err *err)
{
    assert(qty >= 0);
    int64_t need = 0;
    bool at_bin = false;
    for (size_t i = 0; i < n; i++) {
        take[i] = 0;
        if (!p[i].open || bin == NULL || strcmp(p[i].location, bin) != 0)
            continue;
        at_bin = true;
        if (hc_scan_item_is(&p[i], code) && (order == NULL || strcmp(p[i].order, order) == 0))
            need += p[i].qty - p[i].done;
    }
    if (need == 0) {
        if (!at_bin)
            return hc_err_set(err, HC_EUNPROC, "code", "nothing is left to pick at bin %s",
                              bin ? bin : "(none)");
        if (order)
            return hc_err_set(err, HC_EUNPROC, "code",
                              "%s is not to be picked at bin %s for order %s", code, bin, order);
        return hc_err_set(err, HC_EUNPROC, "code", "%s is not to be picked at bin %s", code, bin);
    }
    if (qty > need)
        return hc_err_set(err, HC_EUNPROC, "qty",
                          "only %lld of %s are still to be picked at bin %s", (long long)need,
                          code, bin);
    int64_t left = qty ? qty : need;
    for (size_t i = 0; i < n && left > 0; i++) {
        if (!p[i].open || strcmp(p[i].location, bin) != 0 || !hc_scan_item_is(&p[i], code) ||
            (order && strcmp(p[i].order, order) != 0))
            continue;
        int64_t t = p[i].qty - p[i].done;
        take[i] = t < left ? t : left;
        left -= take[i];
    }
    return HC_OK;
}

ptrdiff_t hc_scan_next(const struct hc_scan_pick *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].open)
            return (ptrdiff_t)i;
    return -1;
}

const char *hc_scan_direction(int64_t from_aisle, int64_t from_bay, int64_t to_aisle,
                              int64_t to_bay)
{
    if (to_aisle != from_aisle)
        return to_aisle < from_aisle ? "left" : "right";
    if (to_bay != from_bay)
        return to_bay < from_bay ? "back" : "forward";
    return "here";
}

/* ---- reading a wave's progress -------------------------------------------------------- */

static int load_progress(hc_store *s, hc_arena *a, const char *wave, const char *tenant_wh,
                         struct hc_wave_progress *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    out->next = -1;
    struct hc_wave w;
    int rc = hc_wave_get(s, a, wave, &w, err);
    if (rc != HC_OK)
        return rc;
    if (tenant_wh && strcmp(tenant_wh, w.warehouse) != 0)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no wave %s", wave);
    out->wave = w.id;
    out->warehouse = w.warehouse;
    out->picks = hc_arena_alloc(a, sizeof(*out->picks) * (w.npicks ? w.npicks : 1));
    /* each order's status once */
    const char **st = hc_arena_alloc(a, sizeof(*st) * (w.norders ? w.norders : 1));
    bool *picked = hc_arena_alloc(a, sizeof(*picked) * (w.norders ? w.norders : 1));
    for (size_t i = 0; i < w.norders; i++) {
        struct hc_order o;
        if ((rc = hc_order_get(s, a, w.orders[i], &o, err)) != HC_OK)
            return rc;
        st[i] = o.status;
        int64_t k = 0;
        if ((rc = hc_store_int(s, err, &k,
                               "SELECT COUNT(*) FROM picked_orders WHERE seller = ? AND"
                               " order_id = ?",
                               "ss", o.seller, o.id)) != HC_OK)
            return rc;
        picked[i] = k > 0;
    }
    for (size_t i = 0; i < w.npicks; i++) {
        const struct hc_pick *pk = &w.picks[i];
        size_t oi = 0;
        while (oi < w.norders && strcmp(w.orders[oi], pk->order) != 0)
            oi++;
        int ost = oi < w.norders ? hc_order_status_parse(st[oi]) : -1;
        if (ost != HC_ORDER_PICKING && ost != HC_ORDER_PACKED && ost != HC_ORDER_SHIPPED &&
            ost != HC_ORDER_DELIVERED)
            continue; /* cancelled, or sent back to allocation: no longer picked here */
        struct hc_scan_pick *sp = &out->picks[out->npicks++];
        memset(sp, 0, sizeof(*sp));
        sp->seq = pk->seq;
        sp->location = pk->location;
        sp->seller = pk->seller;
        sp->sku = pk->sku;
        sp->order = pk->order;
        sp->qty = pk->qty;
        if ((rc = hc_store_int(s, err, &sp->done,
                               "SELECT COALESCE(SUM(qty), 0) FROM wave_scans WHERE warehouse = ?"
                               " AND wave_id = ? AND kind = 'item' AND pick_seq = ?",
                               "ssi", w.warehouse, w.id, pk->seq)) != HC_OK)
            return rc;
        /* an order packed without scanning, or confirmed: every unit is picked */
        if (ost != HC_ORDER_PICKING || picked[oi])
            sp->done = sp->qty;
        sp->open = ost == HC_ORDER_PICKING && !picked[oi] && sp->done < sp->qty;
        struct hc_sku k;
        rc = hc_sku_get(s, a, pk->seller, pk->sku, &k, err);
        if (rc == HC_OK) {
            sp->name = k.name;
            sp->name_zh = k.name_zh;
            sp->barcode = k.barcode;
        } else if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
        } else {
            return rc;
        }
        hc_stmt *q;
        if ((rc = hc_store_query(s, err, &q,
                                 "SELECT aisle, bay FROM locations WHERE warehouse = ? AND"
                                 " code = ?",
                                 "ss", w.warehouse, pk->location)) != HC_OK)
            return rc;
        if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
            sp->aisle = hc_stmt_int(q, 0);
            sp->bay = hc_stmt_int(q, 1);
        }
        hc_stmt_reset(q);
        if (rc != HC_ROW && rc != HC_DONE)
            return rc;
        out->units += sp->qty;
        out->units_done += sp->done;
        out->picks_done += sp->open ? 0 : 1;
    }
    hc_stmt *q;
    if ((rc = hc_store_query(s, err, &q,
                             "SELECT location FROM wave_scans WHERE warehouse = ? AND"
                             " wave_id = ? AND kind = 'bin' ORDER BY n DESC LIMIT 1",
                             "ss", w.warehouse, w.id)) != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        out->bin = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    out->next = hc_scan_next(out->picks, out->npicks);
    if (out->next >= 0) {
        const struct hc_scan_pick *nx = &out->picks[out->next];
        int64_t fa, fb;
        ptrdiff_t at = -1;
        for (size_t i = 0; out->bin && i < out->npicks && at < 0; i++)
            if (strcmp(out->picks[i].location, out->bin) == 0)
                at = (ptrdiff_t)i;
        if (at >= 0) {
            fa = out->picks[at].aisle;
            fb = out->picks[at].bay;
        } else { /* from the depot, on the front cross aisle */
            struct hc_warehouse wh;
            if ((rc = hc_warehouse_get(s, a, w.warehouse, &wh, err)) != HC_OK)
                return rc;
            fa = wh.depot_aisle;
            fb = 0;
        }
        out->direction = hc_scan_direction(fa, fb, nx->aisle, nx->bay);
    }
    return HC_OK;
}

int hc_wave_progress_get(hc_store *s, hc_arena *a, const char *wave,
                         const char *tenant_warehouse, struct hc_wave_progress *out,
                         hc_err *err)
{
    return load_progress(s, a, wave, tenant_warehouse, out, err);
}

/* ---- applying a scan ---------------------------------------------------------------------- */

static int next_scan_no(hc_store *s, const char *wh, const char *wave, int64_t *n, hc_err *err)
{
    int rc = hc_store_int(s, err, n,
                          "SELECT COALESCE(MAX(n), 0) FROM wave_scans WHERE warehouse = ? AND"
                          " wave_id = ?",
                          "ss", wh, wave);
    (*n)++;
    return rc;
}

static int log_scan(hc_store *s, const struct hc_wave_progress *pg, int64_t *n, const char *actor,
                    const char *kind, const char *code, const struct hc_scan_pick *pk,
                    const char *location, int64_t qty, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO wave_scans (warehouse, wave_id, n, at, actor, kind, code,"
                          " location, seller, sku, order_id, pick_seq, qty)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssiisssssssii", pg->warehouse, pg->wave, *n, hc_now_ms(), actor, kind,
                          code, location, pk ? pk->seller : NULL, pk ? pk->sku : NULL,
                          pk ? pk->order : NULL, pk ? pk->seq : (int64_t)0, qty);
    if (rc == HC_ECONFLICT) /* another writer numbered a scan of this wave: run again */
        return HC_EBUSY;
    (*n)++;
    return rc;
}

/* Every pick of order counted in full? */
static bool order_complete(const struct hc_wave_progress *pg, const char *order)
{
    for (size_t i = 0; i < pg->npicks; i++)
        if (strcmp(pg->picks[i].order, order) == 0 && pg->picks[i].done < pg->picks[i].qty)
            return false;
    return true;
}

static int confirm_order(hc_store *s, hc_arena *a, const struct hc_wave_progress *pg,
                         const char *order, const char *actor, hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(s, a, order, &o, err);
    if (rc == HC_OK)
        rc = hc_order_confirm_picks(s, a, &o, actor, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO picked_orders (seller, order_id, wave_id, picked_by,"
                          " picked_at) VALUES (?, ?, ?, ?, ?)",
                          "ssssi", o.seller, o.id, pg->wave, actor, hc_now_ms());
    return rc;
}

/* Units counted by item scans at a bin for orders still being picked and
 * not yet confirmed, over every wave of the warehouse: they left the bin
 * on a cart but are still booked there. */
static int in_hand(hc_store *s, const char *wh, const char *bin, const char *seller,
                   const char *sku, int64_t *out, hc_err *err)
{
    return hc_store_int(s, err, out,
                        "SELECT COALESCE(SUM(w.qty), 0) FROM wave_scans w JOIN orders o"
                        " ON o.id = w.order_id AND o.seller = w.seller"
                        " WHERE w.warehouse = ? AND w.location = ? AND w.seller = ? AND"
                        " w.sku = ? AND w.kind = 'item' AND o.status = ? AND NOT EXISTS"
                        " (SELECT 1 FROM picked_orders p WHERE p.seller = o.seller AND"
                        " p.order_id = o.id)",
                        "sssss", wh, bin, seller, sku, hc_order_status_name(HC_ORDER_PICKING));
}

static int add_put_back(hc_arena *a, struct hc_wave_progress *pg, const char *order)
{
    for (size_t i = 0; i < pg->npicks; i++) {
        const struct hc_scan_pick *p = &pg->picks[i];
        if (strcmp(p->order, order) != 0 || p->done == 0)
            continue;
        size_t k = 0;
        while (k < pg->nput_back && (strcmp(pg->put_back[k].location, p->location) != 0 ||
                                     strcmp(pg->put_back[k].sku, p->sku) != 0))
            k++;
        if (k == pg->nput_back) {
            struct hc_qty_line *n = hc_arena_alloc(a, sizeof(*n) * (pg->nput_back + 1));
            if (pg->nput_back)
                memcpy(n, pg->put_back, sizeof(*n) * pg->nput_back);
            pg->put_back = n;
            pg->put_back[pg->nput_back++] = (struct hc_qty_line){p->sku, 0, p->location, NULL};
        }
        pg->put_back[k].qty += p->done;
    }
    return HC_OK;
}

static int short_pick(hc_store *s, hc_arena *a, struct hc_wave_progress *pg, int64_t *n,
                      const struct hc_scan_request *rq, const int64_t *take, const char *actor,
                      hc_err *err)
{
    int rc = HC_OK;
    /* the orders that lose their pick, and the missing units logged */
    const char **orders = hc_arena_alloc(a, sizeof(*orders) * pg->npicks);
    size_t norders = 0;
    const struct hc_scan_pick *first = NULL;
    for (size_t i = 0; rc == HC_OK && i < pg->npicks; i++) {
        if (take[i] == 0)
            continue;
        first = first ? first : &pg->picks[i];
        rc = log_scan(s, pg, n, actor, "short", rq->code, &pg->picks[i], pg->bin, take[i], err);
        bool seen = false;
        for (size_t k = 0; k < norders && !seen; k++)
            seen = strcmp(orders[k], pg->picks[i].order) == 0;
        if (!seen)
            orders[norders++] = pg->picks[i].order;
    }
    if (rc != HC_OK)
        return rc;
    assert(first != NULL);
    /* The bin holds no more of the item than the units taken from it that
     * are still booked there (on carts, or put back by the orders sent
     * back): the rest is booked to "lost". */
    int64_t hand = 0, booked = 0;
    char place[HC_PLACE_MAX];
    snprintf(place, sizeof(place), "wh/%s/%s", pg->warehouse, pg->bin);
    if ((rc = in_hand(s, pg->warehouse, pg->bin, first->seller, first->sku, &hand, err)) !=
            HC_OK ||
        (rc = hc_store_int(s, err, &booked,
                           "SELECT COALESCE(SUM(qty), 0) FROM balances WHERE seller = ? AND"
                           " sku = ? AND place = ?",
                           "sss", first->seller, first->sku, place)) != HC_OK)
        return rc;
    if (booked > hand) {
        struct hc_move m = {first->seller, first->sku, booked - hand, place, HC_SCAN_LOST,
                            first->order, actor, 0, 0};
        if ((rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err)) !=
                HC_OK ||
            (rc = hc_ledger_move(s, &m, err)) != HC_OK)
            return rc;
        pg->lost = m.qty;
    }
    pg->requeued = hc_arena_alloc(a, sizeof(*pg->requeued) * norders);
    for (size_t k = 0; rc == HC_OK && k < norders; k++) {
        add_put_back(a, pg, orders[k]);
        rc = hc_store_run(s, err, NULL,
                          "DELETE FROM wave_picks WHERE warehouse = ? AND wave_id = ? AND"
                          " order_id = ?",
                          "sss", pg->warehouse, pg->wave, orders[k]);
        const char *status = NULL;
        if (rc == HC_OK)
            rc = hc_order_requeue(s, a, orders[k], actor, &status, err);
        if (rc == HC_OK)
            pg->requeued[pg->nrequeued++] = (struct hc_requeued){orders[k], status};
    }
    return rc;
}

int hc_wave_scan(hc_store *s, hc_arena *a, const char *wave, const char *tenant_warehouse,
                 const struct hc_scan_request *rq, const char *actor,
                 struct hc_wave_progress *out, hc_err *err)
{
    if (hc_check_text(rq->code, "code", HC_SCAN_CODE_MAX, false, err))
        return err->code;
    if (rq->kind == HC_SCAN_ITEM && (rq->qty < 1 || rq->qty > HC_ORDER_QTY_MAX))
        return hc_err_set(err, HC_EINVAL, "qty", "must be 1..%d", HC_ORDER_QTY_MAX);
    struct hc_wave_progress pg;
    int rc = load_progress(s, a, wave, tenant_warehouse, &pg, err);
    if (rc != HC_OK)
        return rc;
    if (pg.next < 0)
        return hc_err_set(err, HC_ECONFLICT, "id", "every pick of wave %s is done", wave);
    int64_t n;
    if ((rc = next_scan_no(s, pg.warehouse, pg.wave, &n, err)) != HC_OK)
        return rc;
    bool expected = false;
    const char **confirmed = NULL;
    size_t nconfirmed = 0;
    struct hc_wave_progress shorted = {0};
    if (rq->kind == HC_SCAN_BIN) {
        ptrdiff_t i = hc_scan_find_bin(pg.picks, pg.npicks, pg.warehouse, rq->code);
        if (i < 0)
            return hc_err_set(err, HC_EUNPROC, "code",
                              "bin %s has nothing to pick in this wave; the next stop is %s",
                              rq->code, pg.picks[pg.next].location);
        expected = strcmp(pg.picks[i].location, pg.picks[pg.next].location) == 0;
        rc = log_scan(s, &pg, &n, actor, "bin", rq->code, NULL, pg.picks[i].location, 0, err);
    } else {
        if (pg.bin == NULL)
            return hc_err_set(err, HC_EUNPROC, "type", "scan a bin first: the next stop is %s",
                              pg.picks[pg.next].location);
        int64_t *take = hc_arena_alloc(a, sizeof(*take) * pg.npicks);
        if ((rc = hc_scan_match_item(pg.picks, pg.npicks, pg.bin, rq->code, rq->order,
                                     rq->kind == HC_SCAN_ITEM ? rq->qty : 0, take, err)) != HC_OK)
            return rc;
        if (rq->kind == HC_SCAN_SHORT) {
            shorted = pg;
            rc = short_pick(s, a, &shorted, &n, rq, take, actor, err);
        } else {
            confirmed = hc_arena_alloc(a, sizeof(*confirmed) * pg.npicks);
            for (size_t i = 0; rc == HC_OK && i < pg.npicks; i++) {
                if (take[i] == 0)
                    continue;
                pg.picks[i].done += take[i];
                rc = log_scan(s, &pg, &n, actor, "item", rq->code, &pg.picks[i], pg.bin, take[i],
                              err);
                bool seen = false;
                for (size_t k = 0; k < nconfirmed && !seen; k++)
                    seen = strcmp(confirmed[k], pg.picks[i].order) == 0;
                if (rc == HC_OK && !seen && order_complete(&pg, pg.picks[i].order)) {
                    rc = confirm_order(s, a, &pg, pg.picks[i].order, actor, err);
                    confirmed[nconfirmed++] = pg.picks[i].order;
                }
            }
        }
    }
    if (rc != HC_OK)
        return rc;
    if ((rc = load_progress(s, a, wave, tenant_warehouse, out, err)) != HC_OK)
        return rc;
    out->expected = expected;
    out->confirmed = confirmed;
    out->nconfirmed = nconfirmed;
    out->requeued = shorted.requeued;
    out->nrequeued = shorted.nrequeued;
    out->put_back = shorted.put_back;
    out->nput_back = shorted.nput_back;
    out->lost = shorted.lost;
    return HC_OK;
}

/* ---- pack station --------------------------------------------------------------------------- */

static int load_pack(hc_store *s, hc_arena *a, const char *order, const char *tenant_seller,
                     const char *tenant_wh, struct hc_pack_progress *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    struct hc_order o;
    int rc = hc_order_get(s, a, order, &o, err);
    if (rc != HC_OK)
        return rc;
    if ((tenant_seller && strcmp(tenant_seller, o.seller) != 0) ||
        (tenant_wh && (o.warehouse == NULL || strcmp(tenant_wh, o.warehouse) != 0)))
        return hc_err_set(err, HC_ENOTFOUND, "id", "no order %s", order);
    out->order = o.id;
    out->seller = o.seller;
    out->warehouse = o.warehouse;
    out->status = o.status;
    out->lines = hc_arena_alloc(a, sizeof(*out->lines) * (o.nlines ? o.nlines : 1));
    for (size_t i = 0; i < o.nlines; i++) {
        size_t k = 0; /* one line per SKU */
        while (k < out->nlines && strcmp(out->lines[k].sku, o.lines[i].sku) != 0)
            k++;
        if (k == out->nlines) {
            struct hc_pack_line *l = &out->lines[out->nlines++];
            memset(l, 0, sizeof(*l));
            l->sku = o.lines[i].sku;
            struct hc_sku sk;
            rc = hc_sku_get(s, a, o.seller, l->sku, &sk, err);
            if (rc == HC_OK) {
                l->name = sk.name;
                l->name_zh = sk.name_zh;
                l->barcode = sk.barcode;
            } else if (rc == HC_ENOTFOUND) {
                hc_err_clear(err);
            } else {
                return rc;
            }
            if ((rc = hc_store_int(s, err, &l->scanned,
                                   "SELECT COALESCE(SUM(qty), 0) FROM pack_scans WHERE seller = ?"
                                   " AND order_id = ? AND sku = ?",
                                   "sss", o.seller, o.id, l->sku)) != HC_OK)
                return rc;
        }
        out->lines[k].qty += o.lines[i].qty;
    }
    int64_t picked = 0;
    if ((rc = hc_store_int(s, err, &picked,
                           "SELECT COUNT(*) FROM picked_orders WHERE seller = ? AND order_id = ?",
                           "ss", o.seller, o.id)) != HC_OK)
        return rc;
    out->picked_by_scan = picked > 0;
    out->complete = true;
    for (size_t k = 0; k < out->nlines; k++) {
        out->units += out->lines[k].qty;
        out->scanned += out->lines[k].scanned;
        out->complete = out->complete && out->lines[k].scanned >= out->lines[k].qty;
    }
    out->required = out->picked_by_scan || out->scanned > 0;
    return HC_OK;
}

int hc_pack_progress_get(hc_store *s, hc_arena *a, const char *order, const char *tenant_seller,
                         const char *tenant_warehouse, struct hc_pack_progress *out, hc_err *err)
{
    return load_pack(s, a, order, tenant_seller, tenant_warehouse, out, err);
}

int hc_pack_scan(hc_store *s, hc_arena *a, const char *order, const char *tenant_seller,
                 const char *tenant_warehouse, const char *code, int64_t qty, const char *actor,
                 struct hc_pack_progress *out, hc_err *err)
{
    if (hc_check_text(code, "code", HC_SCAN_CODE_MAX, false, err))
        return err->code;
    if (qty < 1 || qty > HC_ORDER_QTY_MAX)
        return hc_err_set(err, HC_EINVAL, "qty", "must be 1..%d", HC_ORDER_QTY_MAX);
    struct hc_pack_progress pg;
    int rc = load_pack(s, a, order, tenant_seller, tenant_warehouse, &pg, err);
    if (rc != HC_OK)
        return rc;
    if (hc_order_status_parse(pg.status) != HC_ORDER_PICKING)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "only an order being picked is packed; this one is %s", pg.status);
    struct hc_pack_line *hit = NULL;
    for (size_t k = 0; k < pg.nlines && !hit; k++) /* barcode first, then the SKU code */
        if (pg.lines[k].barcode && strcmp(pg.lines[k].barcode, code) == 0)
            hit = &pg.lines[k];
    for (size_t k = 0; k < pg.nlines && !hit; k++)
        if (strcmp(pg.lines[k].sku, code) == 0)
            hit = &pg.lines[k];
    if (hit == NULL)
        return hc_err_set(err, HC_EUNPROC, "code", "%s is not on order %s", code, order);
    if (hit->scanned + qty > hit->qty)
        return hc_err_set(err, HC_EUNPROC, "qty",
                          "order %s takes %lld of %s and %lld are scanned already", order,
                          (long long)hit->qty, hit->sku, (long long)hit->scanned);
    int64_t n = 0;
    if ((rc = hc_store_int(s, err, &n,
                           "SELECT COALESCE(MAX(n), 0) + 1 FROM pack_scans WHERE seller = ? AND"
                           " order_id = ?",
                           "ss", pg.seller, pg.order)) != HC_OK)
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO pack_scans (seller, order_id, n, sku, code, qty, actor, at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "ssissisi", pg.seller, pg.order, n, hit->sku, code, qty, actor,
                      hc_now_ms());
    if (rc == HC_ECONFLICT)
        return HC_EBUSY;
    if (rc != HC_OK)
        return rc;
    return load_pack(s, a, order, tenant_seller, tenant_warehouse, out, err);
}

int hc_scan_pack_check(hc_store *s, hc_arena *a, const struct hc_order *o, bool *picked,
                       hc_err *err)
{
    struct hc_pack_progress pg;
    int rc = load_pack(s, a, o->id, NULL, NULL, &pg, err);
    if (rc != HC_OK)
        return rc;
    *picked = pg.picked_by_scan;
    if (pg.required && !pg.complete)
        return hc_err_set(err, HC_ECONFLICT, "pack_scans",
                          "scan every unit at the pack station first: %lld of %lld scanned",
                          (long long)pg.scanned, (long long)pg.units);
    return HC_OK;
}

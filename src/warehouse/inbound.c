/* inbound.c: advance shipping notices, receipts and putaway. */
#include "bins.h"
#include "warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_inbound(hc_store *s, hc_arena *a, const char *id, struct hc_inbound *in,
                        hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, seller, warehouse, reference, status, created_at,"
                            " updated_at, closed_at, closed_by, close_reason, hold_reason"
                            " FROM inbounds"
                            " WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(in, 0, sizeof(*in));
        in->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        in->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
        in->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 2));
        in->reference = hc_arena_strdup(a, hc_stmt_text(q, 3));
        in->status = hc_arena_strdup(a, hc_stmt_text(q, 4));
        in->created_at = hc_stmt_int(q, 5);
        in->updated_at = hc_stmt_int(q, 6);
        in->closed_at = hc_stmt_is_null(q, 7) ? 0 : hc_stmt_int(q, 7);
        in->closed_by = hc_stmt_is_null(q, 8) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 8));
        in->close_reason = hc_stmt_is_null(q, 9) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 9));
        in->hold_reason = hc_stmt_text(q, 10)[0] ? hc_arena_strdup(a, hc_stmt_text(q, 10)) : NULL;
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no inbound %s", id);
    }
    hc_stmt_reset(q);
    return rc;
}

static int load_inbound_lines(hc_store *s, hc_arena *a, struct hc_inbound *in, hc_err *err)
{
    size_t cap = 16;
    in->lines = hc_arena_alloc(a, sizeof(*in->lines) * cap);
    in->nlines = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT sku, expected, received, put_away FROM inbound_lines"
                            " WHERE seller = ? AND inbound_id = ? ORDER BY line_no",
                            "ss", in->seller, in->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (in->nlines == cap) {
            struct hc_inbound_line *nl = hc_arena_alloc(a, sizeof(*nl) * cap * 2);
            memcpy(nl, in->lines, sizeof(*nl) * cap);
            in->lines = nl;
            cap *= 2;
        }
        struct hc_inbound_line *l = &in->lines[in->nlines++];
        l->sku = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->expected = hc_stmt_int(q, 1);
        l->received = hc_stmt_int(q, 2);
        l->put_away = hc_stmt_int(q, 3);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_inbound_get(hc_store *s, hc_arena *a, const char *id, struct hc_inbound *out, hc_err *err)
{
    int rc = load_inbound(s, a, id, out, err);
    return rc == HC_OK ? load_inbound_lines(s, a, out, err) : rc;
}

static int unknown_sku(hc_store *s, const char *seller, const char *sku, const char *field,
                       hc_err *err)
{
    if (hc_sku_exists(s, seller, sku, err))
        return HC_OK;
    if (err->code != HC_OK && err->code != HC_ENOTFOUND)
        return err->code;
    hc_err_clear(err);
    return hc_err_set(err, HC_EINVAL, field, "unknown SKU %s for seller %s", sku, seller);
}

int hc_inbound_create(hc_store *s, hc_arena *a, struct hc_inbound *in, const char *actor,
                      hc_err *err)
{
    (void)actor;
    if (hc_check_code(in->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_code(in->warehouse, "warehouse", HC_CODE_MAX, err) ||
        hc_check_text(in->reference, "reference", HC_REFERENCE_MAX, false, err))
        return err->code;
    if (in->nlines == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "must hold at least one line");
    if (in->nlines > HC_INBOUND_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_INBOUND_LINES_MAX);
    int64_t one;
    if (hc_store_int(s, err, &one, "SELECT 1 FROM sellers WHERE code = ?", "s", in->seller)) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", in->seller);
    }
    if (hc_store_int(s, err, &one, "SELECT 1 FROM warehouses WHERE code = ?", "s",
                     in->warehouse)) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", in->warehouse);
    }
    for (size_t i = 0; i < in->nlines; i++) {
        char f[64];
        snprintf(f, sizeof(f), "lines[%zu].sku", i);
        if (hc_check_code(in->lines[i].sku, f, HC_SKU_MAX, err) ||
            unknown_sku(s, in->seller, in->lines[i].sku, f, err))
            return err->code;
        if (in->lines[i].expected <= 0 || in->lines[i].expected > 10000000) {
            snprintf(f, sizeof(f), "lines[%zu].qty", i);
            return hc_err_set(err, HC_EINVAL, f, "must be 1..10000000");
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->lines[j].sku, in->lines[i].sku) == 0) {
                snprintf(f, sizeof(f), "lines[%zu].sku", i);
                return hc_err_set(err, HC_EINVAL, f, "SKU %s is on an earlier line already",
                                  in->lines[i].sku);
            }
    }
    char id[HC_ID_MAX];
    hc_id_format("inb", hc_id_next(), id, sizeof(id));
    in->id = hc_arena_strdup(a, id);
    in->status = "expected";
    in->created_at = in->updated_at = hc_now_ms();
    if (in->receive_from && strlen(in->receive_from) >= HC_PLACE_MAX)
        return hc_err_set(err, HC_EINVAL, "receive_from", "place name too long");
    const char *from = in->receive_from && *in->receive_from ? in->receive_from : NULL;
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO inbounds (seller, id, warehouse, reference, status,"
                          " created_at, updated_at, receive_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssssiis", in->seller, in->id, in->warehouse, in->reference, in->status,
                          in->created_at, in->updated_at, from);
    for (size_t i = 0; rc == HC_OK && i < in->nlines; i++) {
        in->lines[i].received = in->lines[i].put_away = 0;
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO inbound_lines (seller, inbound_id, line_no, sku, expected,"
                          " received, put_away) VALUES (?, ?, ?, ?, ?, 0, 0)",
                          "ssisi", in->seller, in->id, (int64_t)i, in->lines[i].sku,
                          in->lines[i].expected);
    }
    return rc;
}

static int set_inbound_status(hc_store *s, struct hc_inbound *in, const char *status,
                              hc_err *err)
{
    in->status = status;
    in->updated_at = hc_now_ms();
    return hc_store_run(s, err, NULL,
                        "UPDATE inbounds SET status = ?, updated_at = ? WHERE seller = ? AND id = ?",
                        "siss", status, in->updated_at, in->seller, in->id);
}

/* An inbound that travels on a head-haul shipment (inbounds.shipment, set by
 * src/headhaul) is received from the place that shipment's arrival named
 * (receive_from, the dock); before it arrived there is nothing to receive.
 * One without a shipment is received from receive_from when set at creation
 * (a transfer's "transfer/<id>"), else from "origin". */
static int receive_source(hc_store *s, const struct hc_inbound *in, char *shipment, char *from,
                          hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT shipment, receive_from FROM inbounds WHERE seller = ? AND id = ?",
                            "ss", in->seller, in->id);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW && !hc_stmt_is_null(q, 0)) {
        hc_strlcpy(shipment, hc_stmt_text(q, 0), HC_ID_MAX);
        if (!hc_stmt_is_null(q, 1) && hc_stmt_text(q, 1)[0])
            hc_strlcpy(from, hc_stmt_text(q, 1), HC_PLACE_MAX);
        else
            from[0] = '\0';
    } else if (rc == HC_ROW && !hc_stmt_is_null(q, 1) && hc_stmt_text(q, 1)[0]) {
        hc_strlcpy(from, hc_stmt_text(q, 1), HC_PLACE_MAX);
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (shipment[0] && from[0] == '\0')
        return hc_err_set(err, HC_ECONFLICT, "shipment",
                          "inbound %s travels on shipment %s, which has not arrived", in->id,
                          shipment);
    return HC_OK;
}

/* Receiving more of a SKU than its shipment left at the dock (or its
 * transfer holds at transfer/<id>) is refused
 * naming the line (nothing is written: the caller's job rolls back). */
static int left_at_dock(hc_store *s, const struct hc_inbound *in, const char *shipment,
                        const char *from, const struct hc_qty_line *l, size_t i, hc_err *err)
{
    int64_t left = 0;
    int rc = hc_store_int(s, err, &left,
                          "SELECT qty FROM balances WHERE seller = ? AND sku = ? AND place = ?",
                          "sss", in->seller, l->sku, from);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        left = 0;
    } else if (rc != HC_OK) {
        return rc;
    }
    if (l->qty <= left)
        return HC_OK;
    char f[64];
    snprintf(f, sizeof(f), "lines[%zu].qty", i);
    return hc_err_set(err, HC_ECONFLICT, f, "%s%s%lld of %s are left at %s", shipment,
                      shipment[0] ? ": " : "", (long long)left, l->sku, from);
}

int hc_inbound_hold(hc_store *s, struct hc_inbound *in, const char *reason, hc_err *err)
{
    HC_ASSERT(in && reason && reason[0]);
    int64_t changes = 0, now = hc_now_ms();
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE inbounds SET status = 'on_hold', hold_reason = ?, updated_at = ?"
                          " WHERE seller = ? AND id = ? AND status = 'expected'",
                          "siss", reason, now, in->seller, in->id);
    if (rc == HC_OK && changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "status", "inbound %s is not expected", in->id);
    if (rc == HC_OK) {
        in->status = "on_hold";
        in->hold_reason = reason;
        in->updated_at = now;
    }
    return rc;
}

int hc_inbound_release_hold(hc_store *s, const char *seller, const char *id, hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE inbounds SET status = 'expected', hold_reason = '', updated_at = ?"
                          " WHERE seller = ? AND id = ? AND status = 'on_hold'",
                          "iss", hc_now_ms(), seller, id);
    if (rc == HC_OK && changes != 1)
        return hc_err_set(err, HC_ECONFLICT, "status", "inbound %s is not on_hold", id);
    return rc;
}

static int refuse_held(const struct hc_inbound *in, hc_err *err)
{
    if (strcmp(in->status, "on_hold") != 0)
        return HC_OK;
    return hc_err_set(err, HC_ECONFLICT, "status", "inbound %s is on_hold (%s) until released",
                      in->id, in->hold_reason ? in->hold_reason : "held");
}

int hc_inbound_receive(hc_store *s, hc_arena *a, const char *id, const struct hc_qty_line *lines,
                       size_t n, const char *actor, struct hc_inbound *out, hc_err *err)
{
    if (n == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "must hold at least one line");
    if (n > HC_INBOUND_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_INBOUND_LINES_MAX);
    int rc = hc_inbound_get(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (strcmp(out->status, "putaway") == 0)
        return hc_err_set(err, HC_ECONFLICT, "status", "inbound %s is closed (put away)", id);
    if ((rc = refuse_held(out, err)) != HC_OK)
        return rc;
    if (out->closed_at)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "inbound %s was closed with what had arrived; announce a new one", id);
    char to[HC_PLACE_MAX], from[HC_PLACE_MAX] = "origin", shipment[HC_ID_MAX] = "";
    snprintf(to, sizeof(to), "wh/%s/RECEIVING", out->warehouse);
    if ((rc = receive_source(s, out, shipment, from, err)) != HC_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        char f[64];
        snprintf(f, sizeof(f), "lines[%zu].sku", i);
        if (hc_check_code(lines[i].sku, f, HC_SKU_MAX, err))
            return err->code;
        if (lines[i].qty <= 0 || lines[i].qty > 10000000) {
            snprintf(f, sizeof(f), "lines[%zu].qty", i);
            return hc_err_set(err, HC_EINVAL, f, "must be 1..10000000");
        }
        if (strcmp(from, "origin") != 0 &&
            (rc = left_at_dock(s, out, shipment, from, &lines[i], i, err)) != HC_OK)
            return rc;
        size_t k = 0;
        while (k < out->nlines && strcmp(out->lines[k].sku, lines[i].sku) != 0)
            k++;
        if (k == out->nlines) { /* not announced: record it, expected 0 */
            if (unknown_sku(s, out->seller, lines[i].sku, f, err))
                return err->code;
            rc = hc_store_run(s, err, NULL,
                              "INSERT INTO inbound_lines (seller, inbound_id, line_no, sku,"
                              " expected, received, put_away) VALUES (?, ?, ?, ?, 0, 0, 0)",
                              "ssis", out->seller, out->id, (int64_t)k, lines[i].sku);
            if (rc != HC_OK)
                return rc;
            /* out->lines has room: load_inbound_lines over-allocates in steps */
            struct hc_inbound_line *nl = hc_arena_alloc(a, sizeof(*nl) * (k + 1));
            memcpy(nl, out->lines, sizeof(*nl) * k);
            nl[k] = (struct hc_inbound_line){hc_arena_strdup(a, lines[i].sku), 0, 0, 0};
            out->lines = nl;
            out->nlines = k + 1;
        }
        rc = hc_store_run(s, err, NULL,
                          "UPDATE inbound_lines SET received = received + ? WHERE seller = ? AND"
                          " inbound_id = ? AND line_no = ?",
                          "issi", lines[i].qty, out->seller, out->id, (int64_t)k);
        if (rc != HC_OK)
            return rc;
        out->lines[k].received += lines[i].qty;
        struct hc_move m = {out->seller, lines[i].sku, lines[i].qty, from, to, out->id, actor,
                            0, 0};
        if ((rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err)) ||
            (rc = hc_ledger_move(s, &m, err)) != HC_OK)
            return rc;
    }
    bool all = true;
    for (size_t k = 0; k < out->nlines; k++)
        all = all && out->lines[k].received >= out->lines[k].expected;
    rc = set_inbound_status(s, out, all ? "received" : "receiving", err);
    struct hc_change c = {"inbound.received", out->seller, out->warehouse, out->id,
                          out->status, hc_now_ms()};
    if (rc == HC_OK) /* each receipt, in full or in part (status says which) */
        rc = hc_change_emit(s, &c, err);
    if (rc == HC_OK) { /* the backorders this stock may fill */
        const char **skus = hc_arena_alloc(a, sizeof(*skus) * (n + 1));
        for (size_t i = 0; i < n; i++)
            skus[i] = lines[i].sku;
        rc = hc_order_fill_backorders(s, out->seller, skus, n, actor, NULL, err);
    }
    return rc;
}

/* Bins this call has planned to put a SKU into (not yet moved). */
struct holding {
    size_t bin;
    const char *sku;
};
struct holdings {
    struct holding *h;
    size_t n, cap;
};

static void hold(hc_arena *a, struct holdings *hs, size_t bin, const char *sku)
{
    if (hs->n == hs->cap) {
        hs->cap = hs->cap ? hs->cap * 2 : 64;
        struct holding *nh = hc_arena_alloc(a, sizeof(*nh) * hs->cap);
        if (hs->n)
            memcpy(nh, hs->h, sizeof(*nh) * hs->n);
        hs->h = nh;
    }
    hs->h[hs->n++] = (struct holding){bin, sku};
}

/* Flags the bins that hold seller's sku: in the store (an index range on
 * that SKU's balances), or planned earlier in this call. */
static int mark_holding(hc_store *s, const char *wh, struct hc_bin *bins, size_t nbins,
                        const struct holdings *hs, const char *seller, const char *sku,
                        hc_err *err)
{
    for (size_t i = 0; i < nbins; i++)
        bins[i].holds_sku = false;
    for (size_t i = 0; i < hs->n; i++)
        if (strcmp(hs->h[i].sku, sku) == 0)
            bins[hs->h[i].bin].holds_sku = true;
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX];
    snprintf(lo, sizeof(lo), "wh/%s/", wh);
    snprintf(hi, sizeof(hi), "wh/%s0", wh);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT place FROM balances WHERE seller = ? AND sku = ? AND"
                            " place >= ? AND place < ? AND qty > 0",
                            "ssss", seller, sku, lo, hi);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ptrdiff_t b = hc_bins_find(bins, nbins, hc_stmt_text(q, 0) + strlen(lo));
        if (b >= 0)
            bins[b].holds_sku = true;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_inbound_putaway(hc_store *s, hc_arena *a, const char *id, const struct hc_qty_line *lines,
                       size_t n, const char *actor, struct hc_qty_line **moves, size_t *nmoves,
                       hc_err *err)
{
    struct hc_inbound in;
    int rc = hc_inbound_get(s, a, id, &in, err);
    if (rc != HC_OK)
        return rc;
    if (n > HC_INBOUND_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "moves", "at most %d moves", HC_INBOUND_LINES_MAX);
    size_t cap = n ? n : 64, k = 0;
    struct hc_qty_line *out = hc_arena_alloc(a, sizeof(*out) * cap);
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "wh/%s/RECEIVING", in.warehouse);
    if (n > 0) {
        struct hc_bin *bins = NULL;
        size_t nbins = 0;
        if ((rc = hc_bins_load(s, a, in.warehouse, false, &bins, &nbins, err)) != HC_OK)
            return rc;
        for (size_t i = 0; i < n; i++) {
            char f[64];
            size_t li = 0;
            while (li < in.nlines && strcmp(in.lines[li].sku, lines[i].sku ? lines[i].sku : "") != 0)
                li++;
            if (li == in.nlines) {
                snprintf(f, sizeof(f), "moves[%zu].sku", i);
                return hc_err_set(err, HC_EINVAL, f, "SKU is not on this inbound");
            }
            int64_t left = in.lines[li].received - in.lines[li].put_away;
            if (lines[i].qty <= 0 || lines[i].qty > left) {
                snprintf(f, sizeof(f), "moves[%zu].qty", i);
                return hc_err_set(err, HC_EINVAL, f, "must be 1..%lld (received, not put away)",
                                  (long long)left);
            }
            snprintf(f, sizeof(f), "moves[%zu].location", i);
            if (hc_check_code(lines[i].location, f, HC_LOCATION_MAX, err))
                return err->code;
            size_t b = 0;
            while (b < nbins && strcmp(bins[b].code, lines[i].location) != 0)
                b++;
            if (b == nbins)
                return hc_err_set(err, HC_EINVAL, f, "no storage location %s in %s",
                                  lines[i].location, in.warehouse);
            struct hc_sku sku;
            if ((rc = hc_sku_get(s, a, in.seller, lines[i].sku, &sku, err)) != HC_OK)
                return rc;
            int64_t room = hc_bin_capacity(&bins[b], sku.dims_mm, sku.weight_g);
            if (lines[i].qty > room) {
                snprintf(f, sizeof(f), "moves[%zu].qty", i);
                return hc_err_set(err, HC_EINVAL, f,
                                  "location %s has room for %lld more of %s (by size and weight)",
                                  lines[i].location, (long long)room, sku.sku);
            }
            bins[b].used_volume_mm3 += lines[i].qty * sku.dims_mm[0] * sku.dims_mm[1] * sku.dims_mm[2];
            bins[b].used_weight_g += lines[i].qty * sku.weight_g;
            in.lines[li].put_away += lines[i].qty;
            out[k++] = (struct hc_qty_line){in.lines[li].sku, lines[i].qty,
                                            hc_arena_strdup(a, lines[i].location), NULL};
        }
    } else {
        /* one look at the bins; each line's plan updates them for the next */
        struct hc_bin *bins = NULL;
        size_t nbins = 0;
        struct holdings hs = {0};
        if ((rc = hc_bins_load(s, a, in.warehouse, false, &bins, &nbins, err)))
            return rc;
        /* fast movers near the depot, slow ones far (slotting.c) */
        int64_t *costs = NULL;
        struct hc_velocity_table *vt = NULL;
        if ((rc = hc_slotting_bin_costs(s, a, in.warehouse, bins, nbins, &costs, err)) ||
            (rc = hc_velocity_load(s, a, in.warehouse, HC_SLOTTING_WINDOW_DAYS, &vt, err)))
            return rc;
        for (size_t li = 0; li < in.nlines; li++) {
            int64_t left = in.lines[li].received - in.lines[li].put_away;
            if (left <= 0)
                continue;
            struct hc_sku sku;
            if ((rc = hc_sku_get(s, a, in.seller, in.lines[li].sku, &sku, err)) != HC_OK)
                return rc;
            if ((rc = mark_holding(s, in.warehouse, bins, nbins, &hs, in.seller, sku.sku, err)))
                return rc;
            struct hc_bin_alloc *alloc = hc_arena_alloc(a, sizeof(*alloc) * (nbins ? nbins : 1));
            int64_t unplaced;
            size_t na = hc_putaway_plan_zone(bins, nbins, costs,
                                             hc_velocity_of(vt, in.seller, sku.sku), sku.dims_mm,
                                             sku.weight_g, left, alloc, &unplaced);
            if (na == 0)
                return hc_err_set(err, HC_ECONFLICT, "lines",
                                  "no location in %s has room for %s", in.warehouse, sku.sku);
            for (size_t j = 0; j < na; j++) {
                if (k == cap) {
                    struct hc_qty_line *no = hc_arena_alloc(a, sizeof(*no) * cap * 2);
                    memcpy(no, out, sizeof(*no) * cap);
                    out = no;
                    cap *= 2;
                }
                out[k++] = (struct hc_qty_line){in.lines[li].sku, alloc[j].qty,
                                                bins[alloc[j].bin].code, NULL};
                in.lines[li].put_away += alloc[j].qty;
                hold(a, &hs, alloc[j].bin, in.lines[li].sku);
            }
        }
    }
    for (size_t i = 0; i < k; i++) {
        snprintf(to, sizeof(to), "wh/%s/%s", in.warehouse, out[i].location);
        struct hc_move m = {in.seller, out[i].sku, out[i].qty, from, to, in.id, actor, 0, 0};
        if ((rc = hc_sku_unit(s, m.seller, m.sku, &m.unit_volume_mm3, &m.unit_weight_g, err)) ||
            (rc = hc_ledger_move(s, &m, err)) != HC_OK)
            return rc;
    }
    bool all = true;
    for (size_t li = 0; li < in.nlines; li++) {
        rc = hc_store_run(s, err, NULL,
                          "UPDATE inbound_lines SET put_away = ? WHERE seller = ? AND"
                          " inbound_id = ? AND sku = ?",
                          "isss", in.lines[li].put_away, in.seller, in.id, in.lines[li].sku);
        if (rc != HC_OK)
            return rc;
        all = all && (in.closed_at || in.lines[li].put_away >= in.lines[li].expected) &&
              in.lines[li].put_away >= in.lines[li].received;
    }
    if (all && strcmp(in.status, "expected") != 0)
        rc = set_inbound_status(s, &in, "putaway", err);
    *moves = out;
    *nmoves = k;
    return rc;
}

/* The transfer place an inbound receives from ("transfer/<id>") into from;
 * "" for any other inbound (origin, or a head-haul shipment's dock). */
static int transfer_source(hc_store *s, const struct hc_inbound *in, char *from, hc_err *err)
{
    from[0] = '\0';
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT receive_from FROM inbounds WHERE seller = ? AND id = ?"
                            " AND shipment IS NULL AND receive_from IS NOT NULL",
                            "ss", in->seller, in->id);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW &&
        strncmp(hc_stmt_text(q, 0), "transfer/", 9) == 0)
        hc_strlcpy(from, hc_stmt_text(q, 0), HC_PLACE_MAX);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

/* Closing a transfer's inbound writes off what it never took: every unit
 * of the seller still at transfer/<id> moves to lost/transfer/<id> (ref: the
 * inbound), which takes it out of the destination's in_transit. */
static int write_off_transfer_rest(hc_store *s, hc_arena *a, const struct hc_inbound *in,
                                   const char *actor, hc_err *err)
{
    char from[HC_PLACE_MAX], lost[HC_PLACE_MAX];
    int rc = transfer_source(s, in, from, err);
    if (rc != HC_OK || from[0] == '\0')
        return rc;
    if (!hc_place_lost(from, lost, sizeof(lost)))
        return hc_err_set(err, HC_EINTERNAL, "place", "no loss place for %s", from);
    struct hc_qty_line *rest = NULL;
    size_t n = 0, cap = 0;
    hc_stmt *q;
    if ((rc = hc_store_query(s, err, &q,
                             "SELECT sku, qty FROM balances WHERE seller = ? AND place = ?"
                             " AND qty > 0 ORDER BY sku",
                             "ss", in->seller, from)) != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct hc_qty_line *nr = hc_arena_alloc(a, sizeof(*nr) * cap);
            if (n)
                memcpy(nr, rest, sizeof(*nr) * n);
            rest = nr;
        }
        rest[n++] = (struct hc_qty_line){hc_arena_strdup(a, hc_stmt_text(q, 0)),
                                         hc_stmt_int(q, 1), NULL, NULL};
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        struct hc_move m = {in->seller, rest[i].sku, rest[i].qty, from, lost, in->id, actor, 0, 0};
        rc = hc_ledger_move(s, &m, err);
    }
    return rc;
}

int hc_inbound_close(hc_store *s, hc_arena *a, const char *id, const char *reason,
                     const char *actor, struct hc_inbound *out, hc_err *err)
{
    if (hc_check_text(reason, "reason", 200, true, err))
        return err->code;
    int rc = hc_inbound_get(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (out->closed_at)
        return hc_err_set(err, HC_ECONFLICT, "status", "inbound %s is closed already", id);
    if (strcmp(out->status, "putaway") == 0)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "inbound %s is put away: everything announced arrived", id);
    bool stored = true;
    for (size_t i = 0; i < out->nlines; i++)
        stored = stored && out->lines[i].put_away >= out->lines[i].received;
    out->closed_at = hc_now_ms();
    out->closed_by = actor ? actor : "";
    out->close_reason = reason && *reason ? reason : NULL;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE inbounds SET closed_at = ?, closed_by = ?, close_reason = ?"
                      " WHERE seller = ? AND id = ? AND closed_at IS NULL",
                      "issss", out->closed_at, out->closed_by, out->close_reason, out->seller,
                      out->id);
    if (rc == HC_OK)
        rc = set_inbound_status(s, out, stored ? "putaway" : "received", err);
    if (rc == HC_OK)
        rc = write_off_transfer_rest(s, a, out, actor ? actor : "", err);
    return rc;
}

int hc_inbound_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    const char *status, const struct hc_list_page *pg, struct hc_inbound **items,
                    size_t *n, const char **next, hc_err *err)
{
    struct hc_eq eq[3] = {{"seller", seller}, {"warehouse", warehouse}, {"status", status}};
    const char **ids;
    size_t k;
    int rc = hc_store_page_keys(s, a, "inbounds", "id", true, eq, 3, pg->cursor, pg->limit, &ids,
                                &k, next, err);
    if (rc != HC_OK)
        return rc;
    struct hc_inbound *out = hc_arena_alloc(a, sizeof(*out) * (k ? k : 1));
    for (size_t i = 0; i < k; i++)
        if ((rc = hc_inbound_get(s, a, ids[i], &out[i], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

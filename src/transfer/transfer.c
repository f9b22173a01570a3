/* transfer.c: transfer orders: checks, creation after the compliance gate
 * with allocation, reading, listing, cancelling, shipping, the recheck of
 * held transfers, and the state machine. */
#include "transfer.h"

#include "catalog/catalog.h"
#include "compliance/compliance.h"
#include "ledger/ledger.h"
#include "orders/orders.h"
#include "warehouse/warehouse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const dest_names[] = {NULL, "fba", "awd", "wfs", "temu", "haicang", "address"};
static const char *const status_names[] = {NULL,     "on_hold", "open",
                                           "packed", "shipped", "cancelled"};

const char *hc_tr_dest_name(int d)
{
    return d >= HC_TR_FBA && d <= HC_TR_ADDRESS ? dest_names[d] : "";
}

int hc_tr_dest_parse(const char *s)
{
    for (int i = HC_TR_FBA; s && i <= HC_TR_ADDRESS; i++)
        if (strcmp(s, dest_names[i]) == 0)
            return i;
    return 0;
}

const char *hc_tr_status_name(int st)
{
    return st >= HC_TR_ON_HOLD && st <= HC_TR_CANCELLED ? status_names[st] : "";
}

int hc_tr_status_parse(const char *s)
{
    for (int i = HC_TR_ON_HOLD; s && i <= HC_TR_CANCELLED; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return 0;
}

bool hc_tr_can_move(int from, int to)
{
    switch (to) {
    case HC_TR_OPEN: /* released from a hold, or cartons dropped again */
        return from == HC_TR_ON_HOLD;
    case HC_TR_PACKED:
        return from == HC_TR_OPEN || from == HC_TR_PACKED;
    case HC_TR_SHIPPED:
        return from == HC_TR_PACKED;
    case HC_TR_CANCELLED:
        return from == HC_TR_ON_HOLD || from == HC_TR_OPEN || from == HC_TR_PACKED;
    case HC_TR_ON_HOLD:
        return from == HC_TR_ON_HOLD;
    default:
        return false;
    }
}

static bool upper_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(isdigit((unsigned char)s[i]) || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

bool hc_tr_fnsku_valid(const char *s)
{
    return s && strlen(s) == 10 && upper_alnum(s, 10) &&
           (strncmp(s, "X00", 3) == 0 || strncmp(s, "B0", 2) == 0);
}

static bool amazon(int dest)
{
    return dest == HC_TR_FBA || dest == HC_TR_AWD;
}

bool hc_tr_shipment_valid(int dest, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (amazon(dest))
        return n == 12 && strncmp(s, "FBA", 3) == 0 && upper_alnum(s, n);
    if (n < 1 || n > HC_TR_SHIPMENT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

bool hc_tr_carton_id(int dest, const char *shipment, int64_t box_no, char *out, size_t size)
{
    if (box_no < 1 || box_no > 999999 || shipment == NULL)
        return false;
    int k = amazon(dest) ? snprintf(out, size, "%sU%06lld", shipment, (long long)box_no)
                         : snprintf(out, size, "%s-%03lld", shipment, (long long)box_no);
    return k > 0 && (size_t)k < size;
}

/* ---- creation ------------------------------------------------------------------------------ */

static int check_lines(hc_store *s, hc_arena *a, const struct hc_transfer *t, hc_err *err)
{
    char f[48];
    if (t->nlines == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "must hold at least one line");
    if (t->nlines > HC_TR_LINES_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "at most %d lines", HC_TR_LINES_MAX);
    for (size_t i = 0; i < t->nlines; i++) {
        const struct hc_tr_line *l = &t->lines[i];
        snprintf(f, sizeof(f), "lines[%zu].sku", i);
        struct hc_sku k;
        int rc = hc_sku_get(s, a, t->seller, l->sku ? l->sku : "", &k, err);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, f, "unknown SKU %s", l->sku ? l->sku : "");
        }
        if (rc != HC_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->lines[j].sku, l->sku) == 0)
                return hc_err_set(err, HC_EINVAL, f, "SKU %s is on an earlier line already",
                                  l->sku);
        snprintf(f, sizeof(f), "lines[%zu].qty", i);
        if (l->qty < 1 || l->qty > 1000000)
            return hc_err_set(err, HC_EINVAL, f, "must be 1..1000000");
        snprintf(f, sizeof(f), "lines[%zu].fnsku", i);
        const char *fn = l->fnsku ? l->fnsku : "";
        if (amazon(t->dest_type) && *fn == '\0')
            return hc_err_set(err, HC_EINVAL, f, "is required for %s (the label code, X00...)",
                              hc_tr_dest_name(t->dest_type));
        if (amazon(t->dest_type) && !hc_tr_fnsku_valid(fn))
            return hc_err_set(err, HC_EINVAL, f,
                              "must be an FNSKU: 10 letters or digits starting X00 or B0");
        if (strlen(fn) > 32)
            return hc_err_set(err, HC_EINVAL, f, "at most 32 characters");
    }
    return HC_OK;
}

static int check_dest(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    if (t->dest_type == 0)
        return hc_err_set(err, HC_EINVAL, "destination.type",
                          "must be fba, awd, wfs, temu, haicang or address");
    if (t->dest_type == HC_TR_HAICANG) {
        struct hc_warehouse w;
        const char *dw = t->dest_warehouse ? t->dest_warehouse : "";
        int rc = hc_warehouse_get(s, a, dw, &w, err);
        if (rc == HC_ENOTFOUND || (rc == HC_OK && strcmp(dw, t->warehouse) == 0)) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, "destination.warehouse",
                              "must be another haicang warehouse");
        }
        if (rc != HC_OK)
            return rc;
        t->dest_country = w.country;
        if (t->shipment_id == NULL || *t->shipment_id == '\0')
            t->shipment_id = t->id;
    } else {
        t->dest_warehouse = "";
        if (t->dest_country == NULL || !hc_country_valid(t->dest_country))
            return hc_err_set(err, HC_EINVAL, "destination.address.country",
                              "must be an ISO 3166-1 alpha-2 code");
        if (t->dest_type == HC_TR_ADDRESS && (t->shipment_id == NULL || !*t->shipment_id))
            t->shipment_id = t->id;
    }
    if (!hc_tr_shipment_valid(t->dest_type, t->shipment_id))
        return hc_err_set(err, HC_EINVAL, "shipment_id",
                          amazon(t->dest_type) ? "must be FBA + 9 letters or digits (FBA15XXXXXXX)"
                                               : "must be 1..32 letters, digits, - or _");
    return HC_OK;
}

/* The compliance gate over the lines into the destination market (product
 * rules and brand authorisation); the hold is recorded (or released) in
 * compliance's list of holds too. */
static int gate(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    const char **skus = hc_arena_alloc(a, sizeof(*skus) * (t->nlines + 1));
    for (size_t i = 0; i < t->nlines; i++)
        skus[i] = t->lines[i].sku;
    struct hc_gaps g = {.arena = a};
    int rc = hc_gate_check_lines(s, a, t->seller, t->dest_country, skus, t->nlines, NULL, &g, err);
    if (rc == HC_OK)
        rc = hc_gate_add_brand_gaps(s, a, t->seller, t->dest_country, skus, t->nlines, &g, err);
    if (rc != HC_OK)
        return rc;
    t->missing = hc_gaps_missing_text(a, &g);
    t->status = hc_tr_status_name(g.nmissing > 0 ? HC_TR_ON_HOLD : HC_TR_OPEN);
    t->hold_reason = g.nmissing > 0 ? HC_HOLD_COMPLIANCE : "";
    return hc_gate_hold_sync(s, a, t->seller, "transfer", t->id, t->dest_country, t->warehouse,
                             &g, err);
}

static int allocate(hc_store *s, const struct hc_transfer *t, const char *actor, hc_err *err)
{
    for (size_t i = 0; i < t->nlines; i++) {
        int rc = hc_ledger_allocate(s, t->seller, t->warehouse, t->lines[i].sku, t->lines[i].qty,
                                    t->id, actor, err);
        if (rc == HC_ECONFLICT) {
            char f[48];
            int64_t avail = 0;
            hc_err_clear(err);
            (void)hc_ledger_available(s, t->seller, t->warehouse, t->lines[i].sku, &avail, err);
            hc_err_clear(err);
            snprintf(f, sizeof(f), "lines[%zu].qty", i);
            return hc_err_set(err, HC_ECONFLICT, f, "only %lld of %s available in %s",
                              (long long)avail, t->lines[i].sku, t->warehouse);
        }
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

static int insert(hc_store *s, const struct hc_transfer *t, hc_err *err)
{
    int rc = hc_store_run(
        s, err, NULL,
        "INSERT INTO tr_transfers (id, seller, warehouse, dest_type, dest_warehouse, dest_country,"
        " address, shipment_id, status, hold_reason, missing, freight_ref, inbound_id, created_at,"
        " created_by, updated_at, shipped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?,"
        " ?, ?, 0)",
        "ssssssssssssisi", t->id, t->seller, t->warehouse, hc_tr_dest_name(t->dest_type),
        t->dest_warehouse, t->dest_country, t->address_json ? t->address_json : "{}",
        t->shipment_id, t->status, t->hold_reason, t->missing,
        t->freight_ref ? t->freight_ref : "", t->created_at, t->created_by, t->created_at);
    for (size_t i = 0; rc == HC_OK && i < t->nlines; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO tr_lines (transfer, line, sku, qty, fnsku) VALUES"
                          " (?, ?, ?, ?, ?)",
                          "sisis", t->id, (int64_t)i, t->lines[i].sku, t->lines[i].qty,
                          t->lines[i].fnsku ? t->lines[i].fnsku : "");
    return rc;
}

int hc_transfer_create(hc_store *s, hc_arena *a, struct hc_transfer *t,
                       const struct hc_tr_service_req *svc, size_t nsvc, const char *actor,
                       hc_err *err)
{
    char id[32];
    hc_id_format("trf", hc_id_next(), id, sizeof(id));
    t->id = hc_arena_strdup(a, id);
    t->created_at = hc_now_ms();
    t->created_by = actor;
    struct hc_warehouse w;
    int rc = hc_warehouse_get(s, a, t->warehouse ? t->warehouse : "", &w, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s",
                          t->warehouse ? t->warehouse : "");
    }
    if (rc != HC_OK || (rc = check_dest(s, a, t, err)) != HC_OK ||
        (rc = check_lines(s, a, t, err)) != HC_OK)
        return rc;
    if (t->freight_ref && strlen(t->freight_ref) > 64)
        return hc_err_set(err, HC_EINVAL, "freight_ref", "at most 64 characters");
    if (nsvc > HC_TR_WORK_MAX)
        return hc_err_set(err, HC_EINVAL, "services", "at most %d", HC_TR_WORK_MAX);
    if ((rc = gate(s, a, t, err)) != HC_OK || (rc = insert(s, t, err)) != HC_OK ||
        (rc = allocate(s, t, actor, err)) != HC_OK)
        return rc;
    for (size_t i = 0; rc == HC_OK && i < nsvc; i++) {
        struct hc_tr_work out;
        rc = hc_tr_work_add(s, a, t->id, &svc[i], actor, &out, err);
        if (rc == HC_EINVAL) { /* name the element of the request */
            char f[HC_ERR_FIELD_MAX + 16], m[HC_ERR_MSG_MAX];
            snprintf(f, sizeof(f), "services[%zu].%s", i, err->field);
            snprintf(m, sizeof(m), "%s", err->msg);
            hc_err_clear(err);
            hc_err_set(err, HC_EINVAL, f, "%s", m);
        }
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------- */

#define TR_COLS                                                                                  \
    "SELECT id, seller, warehouse, dest_type, dest_warehouse, dest_country, address,"           \
    " shipment_id, status, hold_reason, missing, freight_ref, inbound_id, created_at,"          \
    " created_by, updated_at, shipped_at FROM tr_transfers"

static void read_row(hc_arena *a, hc_stmt *q, struct hc_transfer *t)
{
    memset(t, 0, sizeof(*t));
    const char **str[] = {&t->id, &t->seller, &t->warehouse, NULL, &t->dest_warehouse,
                          &t->dest_country, &t->address_json, &t->shipment_id, &t->status,
                          &t->hold_reason, &t->missing, &t->freight_ref, &t->inbound_id};
    for (int i = 0; i < (int)HC_ARRAY_LEN(str); i++)
        if (str[i])
            *str[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    t->dest_type = hc_tr_dest_parse(hc_stmt_text(q, 3));
    t->created_at = hc_stmt_int(q, 13);
    t->created_by = hc_arena_strdup(a, hc_stmt_text(q, 14));
    t->updated_at = hc_stmt_int(q, 15);
    t->shipped_at = hc_stmt_int(q, 16);
}

/* Grows *v (of elem bytes) to hold n + 1. */
static void *grow(hc_arena *a, void *v, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 16;
    void *nv = hc_arena_alloc(a, elem * *cap);
    if (n)
        memcpy(nv, v, elem * n);
    return nv;
}

static int read_lines(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT sku, qty, fnsku FROM tr_lines WHERE transfer = ? ORDER BY line",
                            "s", t->id);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while (rc == HC_OK && (rc = hc_stmt_step(q, err)) == HC_ROW) {
        t->lines = grow(a, t->lines, t->nlines, &cap, sizeof(*t->lines));
        t->lines[t->nlines++] = (struct hc_tr_line){.sku = hc_arena_strdup(a, hc_stmt_text(q, 0)),
                                                    .qty = hc_stmt_int(q, 1),
                                                    .fnsku = hc_arena_strdup(a, hc_stmt_text(q, 2))};
        rc = HC_OK;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* What seller holds of sku at place (0 when no balance row). */
static int balance_at(hc_store *s, const char *seller, const char *sku, const char *place,
                      int64_t *qty, hc_err *err)
{
    int rc = hc_store_int(s, err, qty,
                          "SELECT qty FROM balances WHERE seller = ? AND sku = ? AND place = ?",
                          "sss", seller, sku, place);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        *qty = 0;
        rc = HC_OK;
    }
    return rc;
}

/* Received / in transit / lost per line of a transfer with an inbound. */
static int read_arrival(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    if (t->inbound_id == NULL || *t->inbound_id == '\0')
        return HC_OK;
    struct hc_inbound in;
    int rc = hc_inbound_get(s, a, t->inbound_id, &in, err);
    if (rc != HC_OK)
        return rc;
    char place[HC_PLACE_MAX], lost[HC_PLACE_MAX];
    snprintf(place, sizeof(place), "transfer/%s", t->id);
    if (!hc_place_lost(place, lost, sizeof(lost)))
        return hc_err_set(err, HC_EINTERNAL, "place", "no loss place for %s", place);
    for (size_t i = 0; rc == HC_OK && i < t->nlines; i++) {
        struct hc_tr_line *l = &t->lines[i];
        for (size_t k = 0; k < in.nlines; k++)
            if (strcmp(in.lines[k].sku, l->sku) == 0)
                l->received = in.lines[k].received;
        rc = balance_at(s, t->seller, l->sku, place, &l->in_transit, err);
        if (rc == HC_OK)
            rc = balance_at(s, t->seller, l->sku, lost, &l->lost, err);
    }
    return rc;
}

void hc_tr_read_work(hc_arena *a, hc_stmt *q, struct hc_tr_work *w);
int hc_tr_read_cartons(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err);

static int read_work(hc_store *s, hc_arena *a, struct hc_transfer *t, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, transfer, service, status, units, note, charge_minor,"
                            " currency, created_at, done_at, done_by FROM tr_work"
                            " WHERE transfer = ? ORDER BY id",
                            "s", t->id);
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    while (rc == HC_OK && (rc = hc_stmt_step(q, err)) == HC_ROW) {
        t->work = grow(a, t->work, t->nwork, &cap, sizeof(*t->work));
        hc_tr_read_work(a, q, &t->work[t->nwork++]);
        rc = HC_OK;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_transfer_get(hc_store *s, hc_arena *a, const char *id, struct hc_transfer *out,
                    hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, TR_COLS " WHERE id = ?", "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_row(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no transfer %s", id);
    if (rc != HC_ROW)
        return rc;
    if ((rc = read_lines(s, a, out, err)) != HC_OK || (rc = read_work(s, a, out, err)) != HC_OK ||
        (rc = read_arrival(s, a, out, err)) != HC_OK)
        return rc;
    return hc_tr_read_cartons(s, a, out, err);
}

int hc_transfer_list(hc_store *s, hc_arena *a, const struct hc_tr_filter *f,
                     struct hc_transfer **out, size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(f->limit > 0);
    const char *sl = f->seller ? f->seller : "", *wh = f->warehouse ? f->warehouse : "",
               *st = f->status ? f->status : "", *cur = f->cursor ? f->cursor : "";
    hc_stmt *q;
    *n = 0;
    *next = NULL;
    *out = hc_arena_alloc(a, sizeof(**out) * (size_t)(f->limit + 1));
    int rc = hc_store_query(s, err, &q,
                            TR_COLS " WHERE (? = '' OR seller = ?) AND (? = '' OR warehouse = ?)"
                                    " AND (? = '' OR status = ?) AND (? = '' OR id < ?)"
                                    " ORDER BY id DESC LIMIT ?",
                            "ssssssssi", sl, sl, wh, wh, st, st, cur, cur, (int64_t)f->limit + 1);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n <= (size_t)f->limit)
        read_row(a, q, &(*out)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (*n > (size_t)f->limit) {
        *n = (size_t)f->limit;
        *next = (*out)[*n - 1].id;
    }
    rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < *n; i++)
        if ((rc = read_lines(s, a, &(*out)[i], err)) == HC_OK &&
            (rc = read_work(s, a, &(*out)[i], err)) == HC_OK)
            rc = read_arrival(s, a, &(*out)[i], err);
    return rc;
}

/* ---- state changes ------------------------------------------------------------------------- */

int hc_tr_set_status(hc_store *s, const struct hc_transfer *t, int to, hc_err *err);
int hc_tr_set_status(hc_store *s, const struct hc_transfer *t, int to, hc_err *err)
{
    int from = hc_tr_status_parse(t->status);
    if (!hc_tr_can_move(from, to))
        return hc_err_set(err, HC_ECONFLICT, "status", "a %s transfer cannot become %s",
                          t->status, hc_tr_status_name(to));
    int64_t changed = 0;
    int rc = hc_store_run(s, err, &changed,
                          "UPDATE tr_transfers SET status = ?, updated_at = ? WHERE id = ?"
                          " AND status = ?",
                          "siss", hc_tr_status_name(to), hc_now_ms(), t->id, t->status);
    if (rc == HC_OK && changed != 1)
        return hc_err_set(err, HC_ECONFLICT, "status", "the transfer changed meanwhile");
    return rc;
}

int hc_transfer_cancel(hc_store *s, hc_arena *a, const char *id, const char *actor,
                       hc_err *err)
{
    struct hc_transfer t;
    int rc = hc_transfer_get(s, a, id, &t, err);
    if (rc != HC_OK || (rc = hc_tr_set_status(s, &t, HC_TR_CANCELLED, err)) != HC_OK)
        return rc;
    for (size_t i = 0; rc == HC_OK && i < t.nlines; i++)
        rc = hc_ledger_release(s, t.seller, t.warehouse, t.lines[i].sku, t.lines[i].qty, t.id,
                               actor, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE tr_work SET status = 'cancelled' WHERE transfer = ?"
                          " AND status = 'open'",
                          "s", t.id);
    if (rc == HC_OK) /* a held transfer leaves the list of holds */
        rc = hc_gate_hold_sync(s, a, t.seller, "transfer", t.id, t.dest_country, t.warehouse,
                               NULL, err);
    return rc;
}

/* Takes qty of sku out of the warehouse's places (bins first by name) into to. */
static int take_from_bins(hc_store *s, hc_arena *a, const struct hc_transfer *t, const char *sku,
                          int64_t qty, const char *to, const char *actor, hc_err *err)
{
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX];
    snprintf(lo, sizeof(lo), "wh/%s/", t->warehouse);
    snprintf(hi, sizeof(hi), "wh/%s0", t->warehouse);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT place, qty FROM balances WHERE seller = ? AND sku = ?"
                            " AND place >= ? AND place < ? AND qty > 0 ORDER BY place",
                            "ssss", t->seller, sku, lo, hi);
    if (rc != HC_OK)
        return rc;
    struct src {
        const char *place;
        int64_t qty;
    } *v = NULL;
    size_t n = 0, cap = 0;
    while (rc == HC_OK && (rc = hc_stmt_step(q, err)) == HC_ROW) {
        v = grow(a, v, n, &cap, sizeof(*v));
        v[n++] = (struct src){hc_arena_strdup(a, hc_stmt_text(q, 0)), hc_stmt_int(q, 1)};
        rc = HC_OK;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = HC_OK;
    struct hc_move m = {t->seller, sku, 0, NULL, to, t->id, actor, 0, 0};
    if ((rc = hc_sku_unit(s, t->seller, sku, &m.unit_volume_mm3, &m.unit_weight_g, err)))
        return rc;
    for (size_t i = 0; rc == HC_OK && i < n && qty > 0; i++) {
        m.from = v[i].place;
        m.qty = v[i].qty < qty ? v[i].qty : qty;
        qty -= m.qty;
        rc = hc_ledger_move(s, &m, err);
    }
    if (rc == HC_OK && qty > 0)
        return hc_err_set(err, HC_ECONFLICT, "lines", "%lld of %s are missing from %s",
                          (long long)qty, sku, t->warehouse);
    return rc;
}

static int expect_inbound(hc_store *s, hc_arena *a, struct hc_transfer *t, const char *actor,
                          hc_err *err)
{
    char from[HC_PLACE_MAX];
    snprintf(from, sizeof(from), "transfer/%s", t->id);
    /* received from where shipping put the goods, not from "origin" */
    struct hc_inbound in = {.seller = t->seller, .warehouse = t->dest_warehouse,
                            .reference = t->id, .receive_from = from};
    in.nlines = t->nlines;
    in.lines = hc_arena_alloc(a, sizeof(*in.lines) * (t->nlines + 1));
    for (size_t i = 0; i < t->nlines; i++)
        in.lines[i] = (struct hc_inbound_line){.sku = t->lines[i].sku,
                                               .expected = t->lines[i].qty};
    int rc = hc_inbound_create(s, a, &in, actor, err);
    if (rc == HC_OK) {
        t->inbound_id = in.id;
        rc = hc_store_run(s, err, NULL, "UPDATE tr_transfers SET inbound_id = ? WHERE id = ?",
                          "ss", in.id, t->id);
    }
    return rc;
}

int hc_transfer_ship(hc_store *s, hc_arena *a, const char *id, const char *freight_ref,
                     const char *actor, hc_err *err)
{
    struct hc_transfer t;
    int rc = hc_transfer_get(s, a, id, &t, err);
    if (rc != HC_OK)
        return rc;
    if (hc_tr_status_parse(t.status) != HC_TR_PACKED)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "a %s transfer cannot ship: record its cartons first", t.status);
    for (size_t i = 0; i < t.nwork; i++)
        if (strcmp(t.work[i].status, "open") == 0)
            return hc_err_set(err, HC_ECONFLICT, "work_orders",
                              "work order %s (%s) is still open", t.work[i].id,
                              t.work[i].service);
    if (freight_ref && (*freight_ref == '\0' || strlen(freight_ref) > 64))
        return hc_err_set(err, HC_EINVAL, "freight_ref", "must be 1..64 characters");
    const char *ref = freight_ref ? freight_ref : t.freight_ref;
    if (ref == NULL || *ref == '\0')
        return hc_err_set(err, HC_EINVAL, "freight_ref", "the LTL booking reference is required");
    if ((rc = hc_tr_set_status(s, &t, HC_TR_SHIPPED, err)) != HC_OK)
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE tr_transfers SET freight_ref = ?, shipped_at = ? WHERE id = ?",
                      "sis", ref, hc_now_ms(), t.id);
    char to[HC_PLACE_MAX];
    snprintf(to, sizeof(to), "transfer/%s", t.id);
    /* to a haicang warehouse the goods count in its in_transit until received */
    if (rc == HC_OK && t.dest_type == HC_TR_HAICANG)
        rc = hc_ledger_bind_place(s, to, t.dest_warehouse, HC_BUCKET_TRANSIT, err);
    for (size_t i = 0; rc == HC_OK && i < t.nlines; i++) {
        rc = hc_ledger_release(s, t.seller, t.warehouse, t.lines[i].sku, t.lines[i].qty, t.id,
                               actor, err);
        if (rc == HC_OK)
            rc = take_from_bins(s, a, &t, t.lines[i].sku, t.lines[i].qty, to, actor, err);
    }
    if (rc == HC_OK && t.dest_type == HC_TR_HAICANG)
        rc = expect_inbound(s, a, &t, actor, err);
    /* heard by the webhooks outbox in this transaction */
    struct hc_change ev = {"transfer.shipped", t.seller, t.warehouse, t.id, "shipped",
                           hc_now_ms()};
    return rc == HC_OK ? hc_change_emit(s, &ev, err) : rc;
}

/* ---- the compliance recheck ------------------------------------------------------------------ */

int hc_transfer_recheck(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                        int *released, hc_err *err)
{
    (void)actor;
    if (released)
        *released = 0;
    const char *sl = seller ? seller : "";
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id FROM tr_transfers WHERE status = 'on_hold'"
                            " AND (? = '' OR seller = ?) ORDER BY id LIMIT 10000",
                            "ss", sl, sl);
    if (rc != HC_OK)
        return rc;
    const char **ids = NULL;
    size_t n = 0, cap = 0;
    while (rc == HC_OK && (rc = hc_stmt_step(q, err)) == HC_ROW) {
        ids = grow(a, ids, n, &cap, sizeof(*ids));
        ids[n++] = hc_arena_strdup(a, hc_stmt_text(q, 0));
        rc = HC_OK;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        struct hc_transfer t;
        if ((rc = hc_transfer_get(s, a, ids[i], &t, err)) != HC_OK)
            break;
        const char *was = t.status;
        if ((rc = gate(s, a, &t, err)) != HC_OK)
            break;
        bool free_now = hc_tr_status_parse(t.status) == HC_TR_OPEN;
        rc = hc_store_run(s, err, NULL,
                          "UPDATE tr_transfers SET status = ?, hold_reason = ?, missing = ?,"
                          " updated_at = ? WHERE id = ? AND status = ?",
                          "sssiss", t.status, t.hold_reason, t.missing, hc_now_ms(), t.id, was);
        if (rc == HC_OK && free_now && released)
            (*released)++;
    }
    return rc;
}

int hc_transfer_recheck_all(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                            int *released, hc_err *err)
{
    int more = 0;
    int rc = hc_gate_recheck(s, a, seller, actor, released, err);
    if (rc == HC_OK)
        rc = hc_transfer_recheck(s, a, seller, actor, &more, err);
    if (rc == HC_OK && released)
        *released += more;
    return rc;
}

/* manifest.c: the end of day per carrier service and pickup. Closing a
 * manifest takes the parcels handed over and freezes them; the warehouse
 * chooses whether its orders ship then or at scan-out. */
#include "lastmile.h"

#include "finance/finance.h"
#include "orders/orders.h"
#include "render/render.h"
#include "warehouse/warehouse.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define MANIFEST_PARCELS_MAX 100000 /* parcels of one pickup, at most */

const char *hc_lm_ship_at_name(int v)
{
    return v == HC_LM_SHIP_AT_SCAN_OUT ? "scan_out" : "manifest";
}

int hc_lm_ship_at_parse(const char *s)
{
    if (s && strcmp(s, "manifest") == 0)
        return HC_LM_SHIP_AT_MANIFEST;
    if (s && strcmp(s, "scan_out") == 0)
        return HC_LM_SHIP_AT_SCAN_OUT;
    return -1;
}

int hc_lm_ship_at_get(hc_store *s, const char *warehouse, int *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT ship_at FROM lm_dispatch WHERE warehouse = ?", "s",
                            warehouse);
    if (rc != HC_OK)
        return rc;
    *out = HC_LM_SHIP_AT_MANIFEST;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW && hc_lm_ship_at_parse(hc_stmt_text(q, 0)) > 0)
        *out = hc_lm_ship_at_parse(hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_lm_ship_at_set(hc_store *s, const char *warehouse, int ship_at, hc_err *err)
{
    if (ship_at != HC_LM_SHIP_AT_MANIFEST && ship_at != HC_LM_SHIP_AT_SCAN_OUT)
        return hc_err_set(err, HC_EINVAL, "ship_at", "must be manifest or scan_out");
    if (!hc_warehouse_exists(s, warehouse, err))
        return err->code ? err->code
                         : hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", warehouse);
    int rc = hc_store_run(s, err, NULL, "DELETE FROM lm_dispatch WHERE warehouse = ?", "s",
                          warehouse);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "INSERT INTO lm_dispatch (warehouse, ship_at) VALUES (?, ?)",
                          "ss", warehouse, hc_lm_ship_at_name(ship_at));
    return rc;
}

/* ---- reading parcels ------------------------------------------------------------------ */

#define COLS                                                                                  \
    "p.warehouse, p.id, p.order_id, p.seller, p.seq, p.service_id, p.service_code, p.carrier," \
    " p.service_name, p.tracking_no, p.weight_g, p.l_mm, p.w_mm, p.h_mm, p.ship_day,"        \
    " p.deliver_day, p.created_at"

static void row_parcel(hc_arena *a, hc_stmt *q, struct hc_lm_parcel *p)
{
    memset(p, 0, sizeof(*p));
    const char **t1[] = {&p->warehouse, &p->id, &p->order_id, &p->seller};
    for (int i = 0; i < 4; i++)
        *t1[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    p->seq = hc_stmt_int(q, 4);
    const char **t2[] = {&p->service_id, &p->service_code, &p->carrier, &p->service_name,
                         &p->tracking_no};
    for (int i = 0; i < 5; i++)
        *t2[i] = hc_arena_strdup(a, hc_stmt_text(q, 5 + i));
    p->weight_g = hc_stmt_int(q, 10);
    for (int i = 0; i < 3; i++)
        p->dims_mm[i] = hc_stmt_int(q, 11 + i);
    p->ship_day = hc_arena_strdup(a, hc_stmt_text(q, 14));
    p->deliver_day = hc_arena_strdup(a, hc_stmt_text(q, 15));
    p->created_at = hc_stmt_int(q, 16);
}

/* Rows of q (already bound) into an array grown in a. */
static int read_parcels(hc_arena *a, hc_stmt *q, struct hc_lm_parcel **out, size_t *n, hc_err *err)
{
    size_t cap = 64, k = 0;
    struct hc_lm_parcel *v = hc_arena_alloc(a, sizeof(*v) * cap);
    int rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < MANIFEST_PARCELS_MAX) {
        if (k == cap) {
            struct hc_lm_parcel *w = hc_arena_alloc(a, sizeof(*w) * cap * 2);
            memcpy(w, v, sizeof(*v) * k);
            v = w;
            cap *= 2;
        }
        row_parcel(a, q, &v[k++]);
    }
    hc_stmt_reset(q);
    *out = v;
    *n = k;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_lm_manifest_pending(hc_store *s, hc_arena *a, const char *warehouse,
                           const char *service_code, const char *pickup_day,
                           struct hc_lm_parcel **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " COLS " FROM lm_parcels p JOIN orders o ON o.seller = p.seller"
                            " AND o.id = p.order_id WHERE p.warehouse = ? AND p.manifest = ''"
                            " AND p.service_code = ? AND p.ship_day <= ?"
                            " AND o.status IN ('packed', 'shipped') ORDER BY p.order_id, p.seq",
                            "sss", warehouse, service_code, pickup_day);
    if (rc != HC_OK)
        return rc;
    return read_parcels(a, q, out, n, err);
}

/* ---- shipping ----------------------------------------------------------------------------- */

/* The orders module's parcels text ([{weight_g, dims_mm, tracking_no}]) of
 * an order's parcels: numbers and tracking numbers (letters and digits)
 * only, so nothing needs escaping. */
static const char *parcels_text(hc_arena *a, const struct hc_lm_parcel *ps, size_t n)
{
    hc_buf b;
    hc_buf_init(&b, 1 << 20);
    hc_buf_printf(&b, "[");
    for (size_t i = 0; i < n; i++)
        hc_buf_printf(&b, "%s{\"weight_g\":%lld,\"dims_mm\":[%lld,%lld,%lld],\"tracking_no\":\"%s\"}",
                      i ? "," : "", (long long)ps[i].weight_g, (long long)ps[i].dims_mm[0],
                      (long long)ps[i].dims_mm[1], (long long)ps[i].dims_mm[2],
                      ps[i].tracking_no);
    hc_buf_printf(&b, "]");
    const char *t = hc_arena_strdup(a, b.p ? b.p : "[]");
    hc_buf_free(&b);
    return t;
}

static int order_parcels(hc_store *s, hc_arena *a, const char *order_id, struct hc_lm_parcel **out,
                         size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " COLS " FROM lm_parcels p WHERE p.order_id = ? ORDER BY p.seq",
                            "s", order_id);
    return rc != HC_OK ? rc : read_parcels(a, q, out, n, err);
}

/* The carrier as the orders module takes it (a code: letters, digits, '-',
 * '_', '.'): other characters become '-' ("La Poste" -> "La-Poste"). */
static const char *carrier_code(hc_arena *a, const char *carrier)
{
    char *c = hc_arena_strdup(a, carrier);
    for (char *p = c; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            *p = '-';
    return c;
}

/* Ships a packed order with its recorded parcels, as POST /v1/orders/{id}/ship
 * with {} does; an order no longer packed (shipped by hand) is left. */
static int ship_order(hc_store *s, hc_arena *a, const char *order_id, const char *actor,
                      bool *shipped, hc_err *err)
{
    struct hc_order o;
    struct hc_lm_parcel *ps;
    size_t n = 0;
    *shipped = false;
    int rc = hc_order_get(s, a, order_id, &o, err);
    if (rc != HC_OK || strcmp(o.status, "packed") != 0)
        return rc;
    if ((rc = order_parcels(s, a, order_id, &ps, &n, err)) != HC_OK)
        return rc;
    assert(n > 0);
    rc = hc_order_ship(s, a, order_id, carrier_code(a, ps[0].carrier), ps[0].tracking_no,
                       parcels_text(a, ps, n), actor, &o, err);
    if (rc == HC_OK)
        rc = hc_charge_shipment(s, a, order_id, actor, err);
    *shipped = rc == HC_OK;
    return rc;
}

/* ---- closing -------------------------------------------------------------------------- */

static int service_of(hc_store *s, hc_arena *a, const char *warehouse, const char *code,
                      const char *day, struct hc_lm_service *out, hc_err *err)
{
    struct hc_lm_service *v;
    size_t n = 0;
    int rc = hc_lm_services_on(s, a, warehouse, day, &v, &n, err);
    if (rc != HC_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0) {
            *out = v[i];
            return HC_OK;
        }
    return hc_err_set(err, HC_EINVAL, "service", "warehouse %s has no service %s on %s", warehouse,
                      code, day);
}

static int store_manifest(hc_store *s, const struct hc_lm_manifest *m, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_manifests (warehouse, id, service_code, carrier,"
                          " service_name, pickup_day, parcels, weight_g, ship_at, closed_at,"
                          " closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssssiisis", m->warehouse, m->id, m->service_code, m->carrier,
                          m->service_name, m->pickup_day, m->nparcels, m->weight_g,
                          hc_lm_ship_at_name(m->ship_at), m->closed_at, m->closed_by);
    for (size_t i = 0; rc == HC_OK && i < m->n; i++) {
        int64_t ch = 0;
        rc = hc_store_run(s, err, &ch,
                          "UPDATE lm_parcels SET manifest = ? WHERE warehouse = ? AND id = ?"
                          " AND manifest = ''",
                          "sss", m->id, m->warehouse, m->parcels[i].id);
        if (rc == HC_OK && ch != 1)
            rc = hc_err_set(err, HC_ECONFLICT, "service", "parcel %s is on another manifest",
                            m->parcels[i].id);
    }
    return rc;
}

int hc_lm_manifest_close(hc_store *s, hc_arena *a, const char *warehouse,
                         const char *service_code, const char *pickup_day, const char *actor,
                         struct hc_lm_manifest *out, hc_err *err)
{
    struct hc_lm_service sv = {0};
    int64_t ms;
    if (pickup_day == NULL || strlen(pickup_day) != 10 || hc_time_parse_iso(pickup_day, &ms))
        return hc_err_set(err, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    int rc = service_of(s, a, warehouse, service_code, pickup_day, &sv, err);
    if (rc != HC_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    if ((rc = hc_lm_manifest_pending(s, a, warehouse, service_code, pickup_day, &out->parcels,
                                     &out->n, err)) != HC_OK)
        return rc;
    if (out->n == 0)
        return hc_err_set(err, HC_ECONFLICT, "service",
                          "no parcel of %s is waiting for the pickup of %s", service_code,
                          pickup_day);
    char id[32];
    hc_id_format("mnf", hc_id_next(), id, sizeof(id));
    out->id = hc_arena_strdup(a, id);
    out->warehouse = warehouse;
    out->service_code = sv.code;
    out->carrier = sv.carrier;
    out->service_name = sv.name;
    out->pickup_day = pickup_day;
    out->nparcels = (int64_t)out->n;
    for (size_t i = 0; i < out->n; i++)
        out->weight_g += out->parcels[i].weight_g;
    out->closed_at = hc_now_ms();
    out->closed_by = actor ? actor : "";
    if ((rc = hc_lm_ship_at_get(s, warehouse, &out->ship_at, err)) != HC_OK ||
        (rc = store_manifest(s, out, err)) != HC_OK)
        return rc;
    if (out->ship_at != HC_LM_SHIP_AT_MANIFEST)
        return HC_OK;
    for (size_t i = 0; i < out->n; i++) {
        bool shipped;
        if (i > 0 && strcmp(out->parcels[i].order_id, out->parcels[i - 1].order_id) == 0)
            continue; /* sorted by order: one ship per order */
        if ((rc = ship_order(s, a, out->parcels[i].order_id, out->closed_by, &shipped, err)))
            return rc;
    }
    return HC_OK;
}

/* ---- reading manifests ---------------------------------------------------------------- */

#define MCOLS                                                                                 \
    "warehouse, id, service_code, carrier, service_name, pickup_day, parcels, weight_g,"     \
    " ship_at, closed_at, closed_by"

static void row_manifest(hc_arena *a, hc_stmt *q, struct hc_lm_manifest *m)
{
    memset(m, 0, sizeof(*m));
    const char **t[] = {&m->warehouse, &m->id, &m->service_code, &m->carrier, &m->service_name,
                        &m->pickup_day};
    for (int i = 0; i < 6; i++)
        *t[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    m->nparcels = hc_stmt_int(q, 6);
    m->weight_g = hc_stmt_int(q, 7);
    m->ship_at = hc_lm_ship_at_parse(hc_stmt_text(q, 8));
    m->closed_at = hc_stmt_int(q, 9);
    m->closed_by = hc_arena_strdup(a, hc_stmt_text(q, 10));
}

int hc_lm_manifest_get(hc_store *s, hc_arena *a, const char *id, struct hc_lm_manifest *out,
                       hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT " MCOLS " FROM lm_manifests WHERE id = ?", "s",
                            id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        row_manifest(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no manifest %s", id);
    if (rc != HC_ROW)
        return rc;
    if ((rc = hc_store_query(s, err, &q,
                             "SELECT " COLS " FROM lm_parcels p WHERE p.warehouse = ? AND"
                             " p.manifest = ? ORDER BY p.order_id, p.seq",
                             "ss", out->warehouse, out->id)) != HC_OK)
        return rc;
    return read_parcels(a, q, &out->parcels, &out->n, err);
}

int hc_lm_manifest_list(hc_store *s, hc_arena *a, const struct hc_lm_manifest_filter *f,
                        struct hc_lm_manifest **out, size_t *n, const char **next, hc_err *err)
{
    int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50;
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT " MCOLS " FROM lm_manifests WHERE (? = '' OR warehouse = ?) AND (? = '' OR"
        " service_code = ?) AND (? = '' OR pickup_day = ?) AND (? = '' OR id < ?)"
        " ORDER BY id DESC LIMIT ?",
        "ssssssssi", f->warehouse ? f->warehouse : "", f->warehouse ? f->warehouse : "",
        f->service_code ? f->service_code : "", f->service_code ? f->service_code : "",
        f->day ? f->day : "", f->day ? f->day : "", f->cursor ? f->cursor : "",
        f->cursor ? f->cursor : "", (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_manifest *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)limit + 1)
        row_manifest(a, q, &v[k++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = v[k - 1].id;
    }
    *out = v;
    *n = k;
    return HC_OK;
}

/* ---- freeze and scan-out -------------------------------------------------------------- */

int hc_lm_order_frozen(hc_store *s, hc_arena *a, const char *order_id, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seq, id, tracking_no, manifest FROM lm_parcels WHERE"
                            " order_id = ? AND manifest <> '' ORDER BY seq",
                            "s", order_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        char f[32];
        snprintf(f, sizeof(f), "parcels[%lld]", (long long)hc_stmt_int(q, 0) - 1);
        hc_err_set(err, HC_ECONFLICT, f, "parcel %s (%s) is on closed manifest %s: no more changes",
                   hc_stmt_text(q, 1), hc_stmt_text(q, 2), hc_stmt_text(q, 3));
        hc_stmt_reset(q);
        (void)a;
        return HC_ECONFLICT;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_lm_scan_out(hc_store *s, hc_arena *a, const char *parcel_id, const char *actor,
                   bool *shipped, hc_err *err)
{
    struct hc_lm_parcel p;
    *shipped = false;
    int rc = hc_lm_parcel_get(s, a, parcel_id, &p, err);
    if (rc != HC_OK)
        return rc;
    struct hc_order o;
    if ((rc = hc_order_get(s, a, p.order_id, &o, err)) != HC_OK)
        return rc;
    if (strcmp(o.status, "packed") && strcmp(o.status, "shipped"))
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "order %s is %s: parcels leave once it is packed", o.id, o.status);
    if ((rc = hc_store_run(s, err, NULL,
                           "UPDATE lm_parcels SET scanned_at = ? WHERE warehouse = ? AND id = ?"
                           " AND scanned_at = 0",
                           "iss", hc_now_ms(), p.warehouse, p.id)) != HC_OK)
        return rc;
    int ship_at;
    int64_t left = 0;
    if ((rc = hc_lm_ship_at_get(s, p.warehouse, &ship_at, err)) != HC_OK ||
        ship_at != HC_LM_SHIP_AT_SCAN_OUT)
        return rc;
    if ((rc = hc_store_int(s, err, &left,
                           "SELECT COUNT(*) FROM lm_parcels WHERE order_id = ? AND scanned_at = 0",
                           "s", p.order_id)) != HC_OK || left > 0)
        return rc;
    return ship_order(s, a, p.order_id, actor, shipped, err);
}

/* ---- the document ---------------------------------------------------------------------- */

struct doc_rows {
    const struct hc_lm_manifest *m;
    const char *const *dest;
    char seq[24], weight[48], dims[72];
};

static int doc_row(void *ctx, size_t i, const char **cells)
{
    struct doc_rows *d = ctx;
    const struct hc_lm_parcel *p = &d->m->parcels[i];
    snprintf(d->seq, sizeof(d->seq), "%zu", i + 1);
    snprintf(d->weight, sizeof(d->weight), "%lld.%03lld", (long long)(p->weight_g / 1000),
             (long long)(p->weight_g % 1000));
    snprintf(d->dims, sizeof(d->dims), "%lldx%lldx%lld", (long long)p->dims_mm[0] / 10,
             (long long)p->dims_mm[1] / 10, (long long)p->dims_mm[2] / 10);
    cells[0] = d->seq;
    cells[1] = p->tracking_no;
    cells[2] = p->order_id;
    cells[3] = d->dest && d->dest[i] ? d->dest[i] : "";
    cells[4] = d->weight;
    cells[5] = d->dims;
    return HC_OK;
}

void hc_lm_manifest_doc(hc_arena *a, const struct hc_lm_manifest *m, const char *const *dest,
                        const char *lang, struct hc_doc *out)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    struct doc_rows *d = hc_arena_alloc(a, sizeof(*d));
    d->m = m;
    d->dest = dest;
    struct hc_doc_table *t = hc_arena_alloc(a, sizeof(*t));
    memset(t, 0, sizeof(*t));
    t->title = zh ? "交接包裹" : "Parcels handed over";
    t->sheet = "parcels";
    t->ncols = 6;
    const char *head_zh[] = {"序号", "运单号", "订单", "目的地", "重量 (kg)", "尺寸 (cm)"};
    const char *head_en[] = {"#", "Tracking number", "Order", "Destination", "Weight (kg)",
                             "Dims (cm)"};
    const double width[] = {0.5, 2.2, 2.2, 1.4, 1.0, 1.3};
    for (size_t i = 0; i < 6; i++) {
        t->head[i] = zh ? head_zh[i] : head_en[i];
        t->width[i] = width[i];
    }
    t->numeric[0] = t->numeric[4] = true;
    t->nrows = m->n;
    t->row = doc_row;
    t->ctx = d;
    char closed[32];
    hc_time_iso(m->closed_at, closed, sizeof(closed));
    memset(out, 0, sizeof(*out));
    out->title = hc_arena_printf(a, zh ? "交接清单 %s" : "Manifest %s", m->id);
    const char *labels_zh[] = {"仓库", "承运商", "服务", "揽收日", "包裹数", "总重量 (kg)",
                               "关闭时间"};
    const char *labels_en[] = {"Warehouse", "Carrier", "Service", "Pickup day", "Parcels",
                               "Total weight (kg)", "Closed at"};
    const char *vals[] = {m->warehouse, m->carrier,
                          hc_arena_printf(a, "%s %s", m->service_code, m->service_name),
                          m->pickup_day, hc_arena_printf(a, "%lld", (long long)m->nparcels),
                          hc_arena_printf(a, "%lld.%03lld", (long long)(m->weight_g / 1000),
                                          (long long)(m->weight_g % 1000)),
                          hc_arena_strdup(a, closed)};
    for (size_t i = 0; i < 7; i++) {
        out->meta[i][0] = zh ? labels_zh[i] : labels_en[i];
        out->meta[i][1] = vals[i];
    }
    out->nmeta = 7;
    out->ntables = 1;
    out->tables = t;
    out->footer = zh ? "承运商签收：________________  日期：__________"
                     : "Received by the carrier: ________________  Date: __________";
}

/* parcel.c: the warehouse's boxes and the box suggestion (packed by the
 * freight module's loader), the rules of the automatic service choice, and
 * parcels recorded at the pack step with their own tracking numbers. */
#include "lastmile.h"

#include "finance/finance.h"
#include "freight/freight.h"
#include "orders/orders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- boxes ------------------------------------------------------------------------------ */

int hc_lm_box_put(hc_store *s, const struct hc_lm_box *b, hc_err *err)
{
    if (hc_check_code(b->code, "code", HC_LM_CODE_MAX, err))
        return err->code;
    for (int i = 0; i < 3; i++)
        if (b->dims_mm[i] < 1 || b->dims_mm[i] > HC_LOADING_DIM_MAX)
            return hc_err_set(err, HC_EINVAL, "dims_mm", "each side from 1 to %d mm",
                              HC_LOADING_DIM_MAX);
    if (b->max_weight_g < 1 || b->max_weight_g > 10000000)
        return hc_err_set(err, HC_EINVAL, "max_weight_g", "must be from 1 to 10000000");
    if (b->tare_g < 0 || b->tare_g > 1000000)
        return hc_err_set(err, HC_EINVAL, "tare_g", "must be from 0 to 1000000");
    if (!hc_warehouse_exists(s, b->warehouse, err))
        return err->code ? err->code
                         : hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s",
                                      b->warehouse);
    int rc = hc_store_run(s, err, NULL, "DELETE FROM lm_boxes WHERE warehouse = ? AND code = ?",
                          "ss", b->warehouse, b->code);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_boxes (warehouse, code, l_mm, w_mm, h_mm, max_weight_g,"
                          " tare_g) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "ssiiiii", b->warehouse, b->code, b->dims_mm[0], b->dims_mm[1],
                          b->dims_mm[2], b->max_weight_g, b->tare_g);
    return rc;
}

int hc_lm_box_list(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_box **out,
                   size_t *n, hc_err *err)
{
    int64_t cnt = 0;
    int rc = hc_store_int(s, err, &cnt, "SELECT COUNT(*) FROM lm_boxes WHERE warehouse = ?", "s",
                          warehouse);
    hc_stmt *q;
    if (rc == HC_OK)
        rc = hc_store_query(s, err, &q,
                            "SELECT code, l_mm, w_mm, h_mm, max_weight_g, tare_g FROM lm_boxes"
                            " WHERE warehouse = ? ORDER BY l_mm * w_mm * h_mm, code",
                            "s", warehouse);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_box *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(cnt + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)cnt) {
        struct hc_lm_box *b = &v[k++];
        b->warehouse = hc_arena_strdup(a, warehouse);
        b->code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        for (int i = 0; i < 3; i++)
            b->dims_mm[i] = hc_stmt_int(q, 1 + i);
        b->max_weight_g = hc_stmt_int(q, 4);
        b->tare_g = hc_stmt_int(q, 5);
    }
    hc_stmt_reset(q);
    *out = v;
    *n = k;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static int64_t box_volume(const struct hc_lm_box *b)
{
    return b->dims_mm[0] * b->dims_mm[1] * b->dims_mm[2];
}

static int64_t max3(const int64_t d[3])
{
    int64_t m = d[0] > d[1] ? d[0] : d[1];
    return m > d[2] ? m : d[2];
}

/* Do the items go into box b? Quick refusals by volume and longest side,
 * then the loader (any orientation, no support rule: items in a box). */
static int fits(const struct hc_lm_box *b, const struct hc_lm_item *items, size_t n,
                hc_loading_carton *cartons, bool *yes, hc_err *err)
{
    int64_t room = box_volume(b), longest = max3(b->dims_mm);
    *yes = false;
    for (size_t i = 0; i < n; i++) {
        if (max3(items[i].dims_mm) > longest)
            return HC_OK;
        /* each side <= longest <= HC_LOADING_DIM_MAX: no overflow */
        int64_t v = items[i].dims_mm[0] * items[i].dims_mm[1] * items[i].dims_mm[2];
        if (v > 0 && items[i].qty > room / v)
            return HC_OK;
        room -= v * items[i].qty;
    }
    hc_loading_container c = {.l = (int32_t)b->dims_mm[0], .w = (int32_t)b->dims_mm[1],
                              .h = (int32_t)b->dims_mm[2], .max_weight_g = HC_LOADING_NO_LIMIT};
    hc_strlcpy(c.id, b->code, sizeof(c.id));
    hc_loading_problem p = {.containers = &c, .n_containers = 1, .cartons = cartons,
                            .n_cartons = n, .support = HC_LOADING_SUPPORT_NONE,
                            .time_limit_ms = 30, .seed = 1};
    hc_loading_plan plan;
    memset(&plan, 0, sizeof(plan));
    int rc = hc_loading_solve(&p, &plan, err);
    if (rc == HC_OK) {
        *yes = true;
        for (size_t i = 0; i < n; i++)
            *yes = *yes && plan.unplaced[i] == 0;
    }
    hc_loading_plan_free(&plan);
    return rc;
}

int hc_lm_box_suggest(const struct hc_lm_box *boxes, size_t nboxes, const struct hc_lm_item *items,
                      size_t nitems, ptrdiff_t *box, int64_t *weight_g, hc_err *err)
{
    *box = -1;
    int64_t w = 0;
    hc_loading_carton *cartons = calloc(nitems ? nitems : 1, sizeof(*cartons));
    if (cartons == NULL)
        abort();
    for (size_t i = 0; i < nitems; i++) {
        const struct hc_lm_item *it = &items[i];
        hc_loading_carton *c = &cartons[i];
        snprintf(c->id, sizeof(c->id), "%zu", i);
        for (int d = 0; d < 3; d++) {
            c->dims[d] = (int32_t)(it->dims_mm[d] < 1 ? 1 : it->dims_mm[d] > HC_LOADING_DIM_MAX
                                                                ? HC_LOADING_DIM_MAX
                                                                : it->dims_mm[d]);
            c->vertical_ok[d] = true;
        }
        c->weight_g = it->weight_g;
        c->qty = (int32_t)it->qty;
        c->max_load_g = HC_LOADING_NO_LIMIT;
        c->group = -1;
        w += it->weight_g * it->qty;
    }
    /* smallest first: by volume, then code */
    size_t *order = calloc(nboxes ? nboxes : 1, sizeof(*order));
    if (order == NULL)
        abort();
    for (size_t i = 0; i < nboxes; i++) {
        size_t j = i;
        for (; j > 0; j--) {
            const struct hc_lm_box *x = &boxes[order[j - 1]], *y = &boxes[i];
            int64_t vx = box_volume(x), vy = box_volume(y);
            if (vx < vy || (vx == vy && strcmp(x->code, y->code) <= 0))
                break;
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    int rc = HC_OK;
    for (size_t k = 0; rc == HC_OK && k < nboxes && *box < 0; k++) {
        const struct hc_lm_box *b = &boxes[order[k]];
        bool yes = false;
        if (w + b->tare_g > b->max_weight_g)
            continue;
        rc = fits(b, items, nitems, cartons, &yes, err);
        if (rc == HC_OK && yes) {
            *box = (ptrdiff_t)order[k];
            w += b->tare_g;
        }
    }
    *weight_g = w;
    free(order);
    free(cartons);
    return rc;
}

/* ---- rules ------------------------------------------------------------------------------ */

int hc_lm_rule_put(hc_store *s, const struct hc_lm_rule *r, hc_err *err)
{
    if (r->kind == NULL || (strcmp(r->kind, "channel") != 0 && strcmp(r->kind, "seller") != 0))
        return hc_err_set(err, HC_EINVAL, "kind", "must be channel or seller");
    if (hc_check_code(r->match, "match", 64, err) ||
        (r->service && hc_check_code(r->service, "service", HC_LM_CODE_MAX, err)))
        return err->code;
    int rc = hc_store_run(s, err, NULL,
                          "DELETE FROM lm_rules WHERE warehouse = ? AND kind = ? AND match_code = ?",
                          "sss", r->warehouse, r->kind, r->match);
    if (rc != HC_OK || r->service == NULL) /* no service: the rule is dropped */
        return rc;
    int64_t known = 0;
    rc = hc_store_int(s, err, &known,
                      "SELECT COUNT(*) FROM lm_services WHERE warehouse = ? AND code = ?", "ss",
                      r->warehouse, r->service);
    if (rc == HC_OK && known == 0)
        return hc_err_set(err, HC_EINVAL, "service", "no service %s in warehouse %s", r->service,
                          r->warehouse);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_rules (warehouse, kind, match_code, service)"
                          " VALUES (?, ?, ?, ?)",
                          "ssss", r->warehouse, r->kind, r->match, r->service);
    return rc;
}

int hc_lm_rule_list(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_rule **out,
                    size_t *n, hc_err *err)
{
    int64_t cnt = 0;
    int rc = hc_store_int(s, err, &cnt, "SELECT COUNT(*) FROM lm_rules WHERE warehouse = ?", "s",
                          warehouse);
    hc_stmt *q;
    if (rc == HC_OK)
        rc = hc_store_query(s, err, &q,
                            "SELECT kind, match_code, service FROM lm_rules WHERE warehouse = ?"
                            " ORDER BY kind, match_code",
                            "s", warehouse);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_rule *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(cnt + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)cnt) {
        v[k].warehouse = hc_arena_strdup(a, warehouse);
        v[k].kind = hc_arena_strdup(a, hc_stmt_text(q, 0));
        v[k].match = hc_arena_strdup(a, hc_stmt_text(q, 1));
        v[k].service = hc_arena_strdup(a, hc_stmt_text(q, 2));
        k++;
    }
    hc_stmt_reset(q);
    *out = v;
    *n = k;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

static int rule_service(hc_store *s, hc_arena *a, const char *warehouse, const char *kind,
                        const char *match, const char **out, hc_err *err)
{
    hc_stmt *q;
    *out = NULL;
    int rc = hc_store_query(s, err, &q,
                            "SELECT service FROM lm_rules WHERE warehouse = ? AND kind = ?"
                            " AND match_code = ?",
                            "sss", warehouse, kind, match ? match : "");
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *out = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

static ptrdiff_t quote_of(const struct hc_lm_service *sv, const struct hc_lm_quote *q, size_t n,
                          const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(sv[q[i].service].code, code) == 0)
            return (ptrdiff_t)i;
    return -1;
}

ptrdiff_t hc_lm_choose(const struct hc_lm_service *sv, const struct hc_lm_quote *q, size_t n,
                       const char *channel_service, const char *seller_service,
                       const char *deliver_by, const char **why)
{
    HC_ASSERT(n > 0);
    ptrdiff_t i;
    if ((i = quote_of(sv, q, n, channel_service)) >= 0) {
        *why = "channel";
        return i;
    }
    if ((i = quote_of(sv, q, n, seller_service)) >= 0) {
        *why = "seller";
        return i;
    }
    if (deliver_by == NULL) {
        *why = "cheapest";
        return 0; /* quotes come cheapest first */
    }
    *why = "promise";
    for (size_t k = 0; k < n; k++)
        if (strcmp(q[k].deliver_day, deliver_by) <= 0)
            return (ptrdiff_t)k;
    return -1;
}

/* ---- parcels ---------------------------------------------------------------------------- */

int hc_lm_local_now(hc_store *s, hc_arena *a, const char *warehouse, char day[11], int *min,
                    hc_err *err)
{
    struct hc_warehouse w;
    int rc = hc_warehouse_get(s, a, warehouse, &w, err);
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    if (hc_tz_day(w.timezone, now, day) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "timezone", "warehouse %s has no usable time zone",
                          warehouse);
    int64_t m = (now - hc_tz_midnight(w.timezone, day)) / 60000;
    *min = m < 0 ? 0 : m > 1439 ? 1439 : (int)m;
    return HC_OK;
}

/* Next serial of the service's range, as its tracking number. */
static int next_number(hc_store *s, hc_arena *a, const struct hc_lm_service *sv,
                       const char **out, hc_err *err)
{
    int64_t ch = 0, next = 0;
    int rc = hc_store_run(s, err, &ch,
                          "UPDATE lm_counters SET next_serial = CASE WHEN next_serial < ? THEN ?"
                          " ELSE next_serial END + 1 WHERE warehouse = ? AND code = ?",
                          "iiss", sv->num_from, sv->num_from, sv->warehouse, sv->code);
    if (rc == HC_OK)
        rc = hc_store_int(s, err, &next,
                          "SELECT next_serial FROM lm_counters WHERE warehouse = ? AND code = ?",
                          "ss", sv->warehouse, sv->code);
    if (rc != HC_OK)
        return rc;
    int64_t serial = next - 1;
    if (ch != 1 || serial > sv->num_to)
        return hc_err_set(err, HC_ECONFLICT, "service",
                          "the number range of service %s is used up (to %lld)", sv->code,
                          (long long)sv->num_to);
    char buf[20];
    bool ok = sv->numbering == HC_LM_NUM_S10
                  ? hc_lm_s10_format(sv->num_prefix, serial, sv->num_country, buf)
                  : hc_lm_sscc_format(sv->num_extension, sv->num_prefix, serial, buf);
    if (!ok)
        return hc_err_set(err, HC_EINTERNAL, "service", "number range of %s is malformed",
                          sv->code);
    *out = hc_arena_strdup(a, buf);
    return HC_OK;
}

/* Items of a parcel request checked against the order's lines (running
 * totals in used), with each SKU's unit dims and weight filled in. */
static int check_items(hc_store *s, hc_arena *a, const struct hc_order *o,
                       const struct hc_lm_parcel_req *p, size_t pi, int64_t *used, hc_err *err)
{
    char f[64];
    if (p->nitems == 0) {
        snprintf(f, sizeof(f), "parcels[%zu].items", pi);
        return hc_err_set(err, HC_EINVAL, f, "must hold at least one item");
    }
    for (size_t j = 0; j < p->nitems; j++) {
        struct hc_lm_item *it = &p->items[j];
        size_t l = 0;
        while (l < o->nlines && strcmp(o->lines[l].sku, it->sku ? it->sku : "") != 0)
            l++;
        if (l == o->nlines) {
            snprintf(f, sizeof(f), "parcels[%zu].items[%zu].sku", pi, j);
            return hc_err_set(err, HC_EINVAL, f, "is not a line of order %s", o->id);
        }
        used[l] += it->qty;
        if (it->qty < 1 || used[l] > o->lines[l].qty) {
            snprintf(f, sizeof(f), "parcels[%zu].items[%zu].qty", pi, j);
            return hc_err_set(err, HC_EINVAL, f,
                              "must be > 0, and the parcels together hold at most the %lld "
                              "ordered",
                              (long long)o->lines[l].qty);
        }
        struct hc_sku k;
        int rc = hc_sku_get(s, a, o->seller, it->sku, &k, err);
        if (rc != HC_OK)
            return rc;
        memcpy(it->dims_mm, k.dims_mm, sizeof(it->dims_mm));
        it->weight_g = k.weight_g;
    }
    return HC_OK;
}

/* Dims and weight of parcel i: as given, else the box's (given or suggested). */
static int shape_parcel(const struct hc_lm_box *boxes, size_t nboxes,
                        const struct hc_lm_parcel_req *p, size_t pi, struct hc_lm_parcel *out,
                        hc_err *err)
{
    char f[48];
    int64_t items_g = 0;
    for (size_t j = 0; j < p->nitems; j++)
        items_g += p->items[j].weight_g * p->items[j].qty;
    ptrdiff_t bi = -1;
    if (p->box) {
        for (size_t b = 0; b < nboxes && bi < 0; b++)
            if (strcmp(boxes[b].code, p->box) == 0)
                bi = (ptrdiff_t)b;
        snprintf(f, sizeof(f), "parcels[%zu].box", pi);
        if (bi < 0)
            return hc_err_set(err, HC_EINVAL, f, "is not a box of the warehouse");
    } else if (p->dims_mm[0] == 0) {
        int64_t w;
        if (hc_lm_box_suggest(boxes, nboxes, p->items, p->nitems, &bi, &w, err) != HC_OK)
            return err->code;
        snprintf(f, sizeof(f), "parcels[%zu].box", pi);
        if (bi < 0)
            return hc_err_set(err, HC_EINVAL, f,
                              "the items fit in no box of the warehouse: give dims_mm");
    }
    if (bi >= 0) {
        out->box = boxes[bi].code;
        memcpy(out->dims_mm, boxes[bi].dims_mm, sizeof(out->dims_mm));
        out->weight_g = p->weight_g ? p->weight_g : items_g + boxes[bi].tare_g;
    } else {
        out->box = "";
        memcpy(out->dims_mm, p->dims_mm, sizeof(out->dims_mm));
        out->weight_g = p->weight_g ? p->weight_g : items_g;
    }
    if (out->weight_g < 1)
        out->weight_g = 1;
    return HC_OK;
}

struct choice {
    struct hc_lm_service *sv;
    size_t nsv;
    struct hc_lm_quote *quotes;
    size_t nq;
    ptrdiff_t pick;
    const char *why;
};

static int choose_service(hc_store *s, hc_arena *a, const struct hc_order *o,
                          const struct hc_lm_request *rq, const char *service,
                          const char *deliver_by, struct choice *c, hc_err *err)
{
    int rc = hc_lm_services_on(s, a, o->warehouse, rq->local_day, &c->sv, &c->nsv, err);
    if (rc != HC_OK)
        return rc;
    if (c->nsv == 0)
        return hc_err_set(err, HC_ECONFLICT, "warehouse", "warehouse %s has no carrier service",
                          o->warehouse);
    hc_lm_rater *r;
    if ((rc = hc_lm_rater_for(s, a, o->warehouse, rq->country, rq->local_day, c->sv, c->nsv, &r,
                              err)) != HC_OK)
        return rc;
    c->quotes = hc_arena_alloc(a, sizeof(*c->quotes) * c->nsv);
    rc = hc_lm_rate(r, rq, c->quotes, &c->nq, err);
    hc_lm_rater_free(r);
    if (rc != HC_OK)
        return rc;
    if (service) {
        c->why = "operator";
        c->pick = quote_of(c->sv, c->quotes, c->nq, service);
        if (c->pick < 0)
            return hc_err_set(err, HC_ECONFLICT, "service",
                              "service %s cannot take these parcels to this address", service);
        return HC_OK;
    }
    const char *by_channel, *by_seller;
    if ((rc = rule_service(s, a, o->warehouse, "channel", o->channel, &by_channel, err)) ||
        (rc = rule_service(s, a, o->warehouse, "seller", o->seller, &by_seller, err)))
        return rc;
    c->pick = hc_lm_choose(c->sv, c->quotes, c->nq, by_channel, by_seller, deliver_by, &c->why);
    if (c->pick < 0)
        return hc_err_set(err, HC_ECONFLICT, "deliver_by",
                          "no service delivers by %s (the fastest: %s)", deliver_by,
                          c->quotes[0].deliver_day);
    return HC_OK;
}

static int store_parcel(hc_store *s, const struct hc_lm_parcel *p, hc_err *err)
{
    int rc = hc_store_run(
        s, err, NULL,
        "INSERT INTO lm_parcels (warehouse, id, order_id, seller, seq, service_id, service_code,"
        " carrier, service_name, tracking_no, numbering, two_d, box, weight_g, l_mm, w_mm, h_mm,"
        " billable_g, price_minor, currency, ship_day, deliver_day, chosen_by, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?)",
        "ssssissssssssiiiiiissssis", p->warehouse, p->id, p->order_id, p->seller, p->seq,
        p->service_id, p->service_code, p->carrier, p->service_name, p->tracking_no,
        hc_lm_numbering_name(p->numbering), hc_lm_2d_name(p->two_d), p->box, p->weight_g,
        p->dims_mm[0], p->dims_mm[1], p->dims_mm[2], p->billable_g, p->price_minor, p->currency,
        p->ship_day, p->deliver_day, p->chosen_by, p->created_at, p->created_by);
    for (size_t j = 0; rc == HC_OK && j < p->nitems; j++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_parcel_items (warehouse, parcel, line, sku, qty)"
                          " VALUES (?, ?, ?, ?, ?)",
                          "ssisi", p->warehouse, p->id, (int64_t)j, p->items[j].sku,
                          p->items[j].qty);
    return rc;
}

static int drop_parcels(hc_store *s, const struct hc_order *o, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "DELETE FROM lm_parcel_items WHERE warehouse = ? AND parcel IN (SELECT id"
                          " FROM lm_parcels WHERE order_id = ?)",
                          "ss", o->warehouse, o->id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "DELETE FROM lm_parcels WHERE warehouse = ? AND order_id = ?",
                          "ss", o->warehouse, o->id);
    return rc;
}

int hc_lm_parcels_record(hc_store *s, hc_arena *a, const char *order_id,
                         const struct hc_lm_parcel_req *req, size_t n, const char *country,
                         const char *postcode, const char *service, const char *deliver_by,
                         bool residential, const char *actor, struct hc_lm_parcel **out,
                         size_t *nout, hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(s, a, order_id, &o, err);
    if (rc == HC_OK)
        rc = hc_lm_order_frozen(s, a, order_id, err); /* manifest.c */
    if (rc != HC_OK)
        return rc;
    if (strcmp(o.status, "allocated") && strcmp(o.status, "picking") && strcmp(o.status, "packed"))
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "order %s is %s: parcels are recorded while it is packed", o.id,
                          o.status);
    if (n == 0 || n > HC_LM_PARCELS_MAX)
        return hc_err_set(err, HC_EINVAL, "parcels", "must hold 1 to %d parcels",
                          HC_LM_PARCELS_MAX);
    int64_t *used = hc_arena_alloc(a, sizeof(*used) * (o.nlines + 1));
    struct hc_lm_box *boxes;
    size_t nboxes;
    if ((rc = hc_lm_box_list(s, a, o.warehouse, &boxes, &nboxes, err)) != HC_OK)
        return rc;
    struct hc_lm_parcel *ps = hc_arena_alloc(a, sizeof(*ps) * n);
    struct hc_lm_parcel_in *in = hc_arena_alloc(a, sizeof(*in) * n);
    for (size_t i = 0; i < n; i++) {
        if ((rc = check_items(s, a, &o, &req[i], i, used, err)) != HC_OK ||
            (rc = shape_parcel(boxes, nboxes, &req[i], i, &ps[i], err)) != HC_OK)
            return rc;
        in[i].weight_g = ps[i].weight_g;
        memcpy(in[i].dims_mm, ps[i].dims_mm, sizeof(in[i].dims_mm));
    }
    struct hc_lm_request rq = {.country = country, .postcode = postcode,
                               .residential = residential, .parcels = in, .nparcels = n};
    char day[11];
    if ((rc = hc_lm_local_now(s, a, o.warehouse, day, &rq.local_min, err)) != HC_OK)
        return rc;
    rq.local_day = day;
    struct choice c;
    if ((rc = choose_service(s, a, &o, &rq, service, deliver_by, &c, err)) != HC_OK)
        return rc;
    if ((rc = drop_parcels(s, &o, err)) != HC_OK)
        return rc;
    const struct hc_lm_service *sv = &c.sv[c.quotes[c.pick].service];
    const struct hc_lm_quote *q = &c.quotes[c.pick];
    int64_t now = hc_now_ms();
    /* an uploaded label is one parcel's: its tracking number replaces ours */
    struct hc_lm_upload up;
    hc_err uerr = {0};
    int urc = hc_lm_upload_get(s, a, o.id, false, &up, &uerr);
    if (urc != HC_OK && urc != HC_ENOTFOUND)
        return hc_err_set(err, urc, uerr.field, "%s", uerr.msg);
    if (urc == HC_OK && n != 1)
        return hc_err_set(err, HC_ECONFLICT, "parcels",
                          "the order has an uploaded label: it ships as one parcel");
    for (size_t i = 0; i < n; i++) {
        struct hc_lm_parcel *p = &ps[i];
        char id[32];
        hc_id_format("pcl", hc_id_next(), id, sizeof(id));
        p->id = hc_arena_strdup(a, id);
        p->warehouse = o.warehouse;
        p->order_id = o.id;
        p->seller = o.seller;
        p->seq = (int64_t)i + 1;
        p->service_id = sv->id;
        p->service_code = sv->code;
        p->carrier = sv->carrier;
        p->service_name = sv->name;
        p->numbering = sv->numbering;
        p->two_d = sv->two_d;
        p->billable_g = q->billable_g[i];
        /* the parcel's own price: its break, fuel and residential surcharge */
        struct hc_lm_parcel_in one = in[i];
        struct hc_lm_request r1 = rq;
        r1.parcels = &one;
        r1.nparcels = 1;
        hc_lm_rater *rt;
        struct hc_lm_quote q1[1];
        size_t nq1 = 0;
        if ((rc = hc_lm_rater_new(sv, 1, &rt, err)) != HC_OK)
            return rc;
        rc = hc_lm_rate(rt, &r1, q1, &nq1, err);
        hc_lm_rater_free(rt);
        if (rc != HC_OK)
            return rc;
        p->price_minor = q1[0].total_minor;
        p->currency = sv->currency;
        p->ship_day = hc_arena_strdup(a, q->ship_day);
        p->deliver_day = hc_arena_strdup(a, q->deliver_day);
        p->chosen_by = c.why;
        p->items = req[i].items;
        p->nitems = req[i].nitems;
        p->created_at = now;
        p->created_by = actor ? actor : "";
        if (urc == HC_OK) {
            p->tracking_no = up.tracking_no;
            p->carrier = up.carrier;
        } else if ((rc = next_number(s, a, sv, &p->tracking_no, err)) != HC_OK) {
            return rc;
        }
        if ((rc = store_parcel(s, p, err)) != HC_OK)
            return rc;
    }
    *out = ps;
    *nout = n;
    return HC_OK;
}

#define PARCEL_COLS                                                                             \
    "warehouse, id, order_id, seller, seq, service_id, service_code, carrier, service_name,"   \
    " tracking_no, numbering, two_d, box, weight_g, l_mm, w_mm, h_mm, billable_g, price_minor," \
    " currency, ship_day, deliver_day, chosen_by, created_at, created_by"

static void parcel_from_row(hc_arena *a, hc_stmt *q, struct hc_lm_parcel *p)
{
    memset(p, 0, sizeof(*p));
    const char **txt[] = {&p->warehouse, &p->id, &p->order_id, &p->seller};
    for (int i = 0; i < 4; i++)
        *txt[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    p->seq = hc_stmt_int(q, 4);
    const char **txt2[] = {&p->service_id, &p->service_code, &p->carrier, &p->service_name,
                           &p->tracking_no};
    for (int i = 0; i < 5; i++)
        *txt2[i] = hc_arena_strdup(a, hc_stmt_text(q, 5 + i));
    p->numbering = hc_lm_numbering_parse(hc_stmt_text(q, 10));
    p->two_d = hc_lm_2d_parse(hc_stmt_text(q, 11));
    p->box = hc_arena_strdup(a, hc_stmt_text(q, 12));
    p->weight_g = hc_stmt_int(q, 13);
    for (int i = 0; i < 3; i++)
        p->dims_mm[i] = hc_stmt_int(q, 14 + i);
    p->billable_g = hc_stmt_int(q, 17);
    p->price_minor = hc_stmt_int(q, 18);
    p->currency = hc_arena_strdup(a, hc_stmt_text(q, 19));
    p->ship_day = hc_arena_strdup(a, hc_stmt_text(q, 20));
    p->deliver_day = hc_arena_strdup(a, hc_stmt_text(q, 21));
    p->chosen_by = hc_arena_strdup(a, hc_stmt_text(q, 22));
    p->created_at = hc_stmt_int(q, 23);
    p->created_by = hc_arena_strdup(a, hc_stmt_text(q, 24));
}

static int load_items(hc_store *s, hc_arena *a, struct hc_lm_parcel *p, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT sku, qty FROM lm_parcel_items WHERE warehouse = ? AND parcel = ?"
                            " ORDER BY line",
                            "ss", p->warehouse, p->id);
    if (rc != HC_OK)
        return rc;
    p->items = hc_arena_alloc(a, sizeof(*p->items) * HC_LM_ITEMS_MAX);
    p->nitems = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && p->nitems < HC_LM_ITEMS_MAX) {
        struct hc_lm_item *it = &p->items[p->nitems++];
        it->sku = hc_arena_strdup(a, hc_stmt_text(q, 0));
        it->qty = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_lm_parcels_of(hc_store *s, hc_arena *a, const char *order_id, struct hc_lm_parcel **out,
                     size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " PARCEL_COLS " FROM lm_parcels WHERE order_id = ? ORDER BY seq",
                            "s", order_id);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_parcel *v = hc_arena_alloc(a, sizeof(*v) * HC_LM_PARCELS_MAX);
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < HC_LM_PARCELS_MAX)
        parcel_from_row(a, q, &v[k++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < k; i++)
        if ((rc = load_items(s, a, &v[i], err)) != HC_OK)
            return rc;
    *out = v;
    *n = k;
    return HC_OK;
}

int hc_lm_parcel_get(hc_store *s, hc_arena *a, const char *id, struct hc_lm_parcel *out,
                     hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT " PARCEL_COLS " FROM lm_parcels WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        parcel_from_row(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no parcel %s", id);
    if (rc != HC_ROW)
        return rc;
    return load_items(s, a, out, err);
}

int hc_lm_parcel_count(hc_store *s, const char *order_id, int64_t *n, hc_err *err)
{
    return hc_store_int(s, err, n, "SELECT COUNT(*) FROM lm_parcels WHERE order_id = ?", "s",
                        order_id);
}

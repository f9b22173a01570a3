/* shipment.c: booking, containers, the customs gate, departure and arrival,
 * and the goods' moves through site -> transit -> dock (see headhaul.h). */
#include "headhaul.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 64

static void place_site(char *buf, size_t n, const char *site, const char *id)
{
    snprintf(buf, n, "site/%s/%s", site, id);
}
static void place_transit(char *buf, size_t n, const char *id)
{
    snprintf(buf, n, "transit/%s", id);
}
static void place_dock(char *buf, size_t n, const char *wh, const char *id)
{
    snprintf(buf, n, "dock/%s/%s", wh, id);
}

static const char *dup_or_null(hc_arena *a, hc_stmt *q, int col)
{
    return hc_stmt_is_null(q, col) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, col));
}
static int64_t int_or_0(hc_stmt *q, int col)
{
    return hc_stmt_is_null(q, col) ? 0 : hc_stmt_int(q, col);
}

/* ---- milestones ------------------------------------------------------------ */

int hc_shipment_milestone(hc_store *s, const char *shipment, const char *kind,
                          const char *container, const char *place, int64_t at,
                          const char *actor, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT warehouse FROM shipments WHERE id = ?", "s",
                            shipment);
    if (rc != HC_OK)
        return rc;
    char wh[HC_CODE_MAX + 1] = "";
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        hc_strlcpy(wh, hc_stmt_text(q, 0), sizeof(wh));
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "shipment", "no shipment %s", shipment);
    if (rc != HC_ROW)
        return rc;
    int64_t now = hc_now_ms();
    return hc_store_run(s, err, NULL,
                        "INSERT INTO shipment_milestones (warehouse, shipment_id, id, kind,"
                        " container, place, at, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "ssisssiis", wh, shipment, hc_id_next(), kind,
                        container && container[0] ? container : NULL, place, at ? at : now, now,
                        actor ? actor : "");
}

/* ---- checks shared by booking and adding a container ------------------------ */

/* The inbound's seller, warehouse and status; HC_EINVAL naming field when it
 * is absent or another tenant's, HC_ECONFLICT when it cannot travel. */
static int check_inbound(hc_store *s, hc_arena *a, const char *inbound, const char *warehouse,
                         const char *shipment, const char *tenant_seller, const char *field,
                         const char **seller, hc_err *err)
{
    if (hc_check_code(inbound, field, HC_ID_MAX, err))
        return err->code;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, warehouse, status, shipment FROM inbounds WHERE id = ?",
                            "s", inbound);
    if (rc != HC_OK)
        return rc;
    char wh[HC_CODE_MAX + 1] = "", status[20] = "", on[HC_ID_MAX] = "";
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        hc_strlcpy(wh, hc_stmt_text(q, 1), sizeof(wh));
        hc_strlcpy(status, hc_stmt_text(q, 2), sizeof(status));
        hc_strlcpy(on, hc_stmt_text(q, 3), sizeof(on));
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (rc == HC_DONE || (tenant_seller && strcmp(*seller, tenant_seller) != 0))
        return hc_err_set(err, HC_EINVAL, field, "no inbound %s", inbound);
    if (strcmp(wh, warehouse) != 0)
        return hc_err_set(err, HC_EINVAL, field, "inbound %s is announced to %s, not to %s",
                          inbound, wh, warehouse);
    if (on[0] && (shipment == NULL || strcmp(on, shipment) != 0))
        return hc_err_set(err, HC_ECONFLICT, field, "inbound %s travels on shipment %s already",
                          inbound, on);
    if (!on[0] && strcmp(status, "expected") != 0)
        return hc_err_set(err, HC_ECONFLICT, field,
                          "inbound %s is %s: only an expected inbound can be shipped", inbound,
                          status);
    return HC_OK;
}

/* Checks one container (number, size-type, seals, contents) before anything
 * is written; contents' sellers are filled in. */
static int check_container(hc_store *s, hc_arena *a, const char *warehouse, const char *shipment,
                           struct hc_container *c, bool loose_ok, const char *prefix,
                           const char *tenant_seller, hc_err *err)
{
    char f[128];
    bool loose = c->number == NULL || c->number[0] == '\0';
    snprintf(f, sizeof(f), "%snumber", prefix);
    if (loose && !loose_ok)
        return hc_err_set(err, HC_EINVAL, f, "required");
    if (!loose) {
        int check;
        if (!hc_iso6346_valid(c->number, &check)) {
            if (check < 0)
                return hc_err_set(err, HC_EINVAL, f,
                                  "must be an ISO 6346 container number: owner code, category"
                                  " U/J/Z, 6 digits, check digit (e.g. CSQU3054383)");
            return hc_err_set(err, HC_EINVAL, f, "wrong check digit: %.10s calls for %d", c->number,
                              check);
        }
        snprintf(f, sizeof(f), "%ssize_type", prefix);
        if (c->size_type == NULL)
            return hc_err_set(err, HC_EINVAL, f, "required");
        if (!hc_iso6346_size_type(c->size_type, NULL))
            return hc_err_set(err, HC_EINVAL, f,
                              "not an ISO 6346 size-type code haicang knows (22G1, 42G1, 45G1, "
                              "45R1, L5G1, ...: data/iso6346/size-types.csv)");
        /* in another open shipment? */
        hc_stmt *q;
        int rc = hc_store_query(s, err, &q,
                                "SELECT c.shipment_id FROM shipment_containers c JOIN shipments p"
                                " ON p.id = c.shipment_id WHERE c.number = ? AND p.status IN"
                                " ('booked', 'departed')",
                                "s", c->number);
        if (rc != HC_OK)
            return rc;
        char other[HC_ID_MAX] = "";
        if ((rc = hc_stmt_step(q, err)) == HC_ROW)
            hc_strlcpy(other, hc_stmt_text(q, 0), sizeof(other));
        hc_stmt_reset(q);
        if (rc != HC_ROW && rc != HC_DONE)
            return rc;
        snprintf(f, sizeof(f), "%snumber", prefix);
        if (other[0])
            return hc_err_set(err, HC_ECONFLICT, f, "container %s is on open shipment %s",
                              c->number, other);
    } else {
        c->number = "";
        c->size_type = "";
    }
    if (c->nseals > HC_SEALS_MAX) {
        snprintf(f, sizeof(f), "%sseals", prefix);
        return hc_err_set(err, HC_EINVAL, f, "at most %d seals", HC_SEALS_MAX);
    }
    for (size_t i = 0; i < c->nseals; i++) {
        snprintf(f, sizeof(f), "%sseals[%zu]", prefix, i);
        if (hc_check_code(c->seals[i], f, 32, err))
            return err->code;
    }
    snprintf(f, sizeof(f), "%sbill_no", prefix);
    if (c->bill_no && hc_check_code(c->bill_no, f, 37, err))
        return err->code;
    if (c->ncontents > HC_SHIPMENT_INBOUNDS_MAX) {
        snprintf(f, sizeof(f), "%scontents", prefix);
        return hc_err_set(err, HC_EINVAL, f, "at most %d inbounds", HC_SHIPMENT_INBOUNDS_MAX);
    }
    for (size_t i = 0; i < c->ncontents; i++) {
        struct hc_container_content *ct = &c->contents[i];
        snprintf(f, sizeof(f), "%scontents[%zu].inbound", prefix, i);
        int rc = check_inbound(s, a, ct->inbound, warehouse, shipment, tenant_seller, f,
                               &ct->seller, err);
        if (rc != HC_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->contents[j].inbound, ct->inbound) == 0)
                return hc_err_set(err, HC_EINVAL, f, "inbound %s is on an earlier line already",
                                  ct->inbound);
        snprintf(f, sizeof(f), "%scontents[%zu].cartons", prefix, i);
        if (ct->cartons < 1 || ct->cartons > 100000)
            return hc_err_set(err, HC_EINVAL, f, "must be 1..100000");
    }
    if (c->loading_plan) {
        snprintf(f, sizeof(f), "%sloading_plan", prefix);
        struct hc_stored_plan p;
        int rc = hc_loading_plan_get(s, a, c->loading_plan, tenant_seller, &p, err);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            return hc_err_set(err, HC_EINVAL, f, "no loading plan %s", c->loading_plan);
        }
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* Puts an inbound on the shipment (once): its goods move origin -> site. */
static int attach_inbound(hc_store *s, hc_arena *a, const char *wh, const char *site,
                          const char *shipment, const char *seller, const char *inbound,
                          const char *actor, hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          hc_store_dialect(s) == HC_MYSQL
                              ? "INSERT IGNORE INTO shipment_inbounds (seller, inbound_id,"
                                " warehouse, shipment_id) VALUES (?, ?, ?, ?)"
                              : "INSERT OR IGNORE INTO shipment_inbounds (seller, inbound_id,"
                                " warehouse, shipment_id) VALUES (?, ?, ?, ?)",
                          "ssss", seller, inbound, wh, shipment);
    if (rc != HC_OK || changes == 0)
        return rc; /* on this shipment already */
    rc = hc_store_run(s, err, NULL,
                      "UPDATE inbounds SET shipment = ?, receive_from = NULL WHERE seller = ? AND"
                      " id = ?",
                      "sss", shipment, seller, inbound);
    if (rc != HC_OK)
        return rc;
    char place[HC_PLACE_MAX];
    place_site(place, sizeof(place), site, shipment);
    if ((rc = hc_ledger_bind_place(s, place, wh, HC_BUCKET_PLANNED, err)) != HC_OK)
        return rc;
    struct hc_inbound in;
    if ((rc = hc_inbound_get(s, a, inbound, &in, err)) != HC_OK)
        return rc;
    const char *up = hc_store_dialect(s) == HC_MYSQL
                         ? "INSERT INTO shipment_goods (warehouse, shipment_id, seller, sku, planned,"
                           " departed, arrived) VALUES (?, ?, ?, ?, ?, 0, 0)"
                           " ON DUPLICATE KEY UPDATE planned = planned + VALUES(planned)"
                         : "INSERT INTO shipment_goods (warehouse, shipment_id, seller, sku, planned,"
                           " departed, arrived) VALUES (?, ?, ?, ?, ?, 0, 0)"
                           " ON CONFLICT (warehouse, shipment_id, seller, sku) DO UPDATE SET"
                           " planned = planned + excluded.planned";
    for (size_t i = 0; i < in.nlines && rc == HC_OK; i++) {
        if (in.lines[i].expected <= 0)
            continue;
        struct hc_move m = {seller, in.lines[i].sku, in.lines[i].expected, "origin", place,
                            shipment, actor, 0, 0};
        rc = hc_ledger_move(s, &m, err);
        if (rc == HC_OK)
            rc = hc_store_run(s, err, NULL, up, "ssssi", wh, shipment, seller, in.lines[i].sku,
                              in.lines[i].expected);
    }
    return rc;
}

static int insert_container(hc_store *s, hc_arena *a, const char *wh, const char *site,
                            const char *shipment, const struct hc_container *c, const char *actor,
                            hc_err *err)
{
    char seals[200] = "";
    for (size_t i = 0; i < c->nseals; i++) {
        if (i)
            hc_strlcpy(seals + strlen(seals), ",", sizeof(seals) - strlen(seals));
        hc_strlcpy(seals + strlen(seals), c->seals[i], sizeof(seals) - strlen(seals));
    }
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO shipment_containers (warehouse, shipment_id, number,"
                          " size_type, seals, bill_no, loading_plan, status, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, 'loading', ?)",
                          "sssssssi", wh, shipment, c->number, c->size_type, seals, c->bill_no,
                          c->loading_plan, hc_now_ms());
    if (rc == HC_ECONFLICT)
        return hc_err_set(err, HC_ECONFLICT, "number", "container %s is on this shipment already",
                          c->number[0] ? c->number : "(loose cargo)");
    for (size_t i = 0; rc == HC_OK && i < c->ncontents; i++) {
        const struct hc_container_content *ct = &c->contents[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO shipment_cartons (warehouse, shipment_id, container,"
                          " inbound_id, seller, cartons) VALUES (?, ?, ?, ?, ?, ?)",
                          "sssssi", wh, shipment, c->number, ct->inbound, ct->seller, ct->cartons);
        if (rc == HC_OK)
            rc = attach_inbound(s, a, wh, site, shipment, ct->seller, ct->inbound, actor, err);
    }
    return rc;
}

/* The customs lists of an inbound that count (not rejected), oldest first. */
struct list_state {
    const char *id;
    int64_t state;
};
static int inbound_lists(hc_store *s, hc_arena *a, const char *seller, const char *inbound,
                         struct list_state **out, size_t *n, hc_err *err)
{
    size_t cap = 4;
    *out = hc_arena_alloc(a, cap * sizeof(**out));
    *n = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, state FROM customs_lists WHERE seller = ? AND"
                            " ref_kind = 'inbound' AND ref = ? AND state <> ? ORDER BY id",
                            "ssi", seller, inbound, (int64_t)HC_CUSTOMS_REJECTED);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == cap) {
            struct list_state *nl = hc_arena_alloc(a, cap * 2 * sizeof(*nl));
            memcpy(nl, *out, cap * sizeof(*nl));
            *out = nl;
            cap *= 2;
        }
        (*out)[*n].id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        (*out)[(*n)++].state = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static const char *traf_mode_code(const char *mode)
{
    /* China customs transport modes (data/customs-codes/transport_mode.csv) */
    if (strcmp(mode, "sea") == 0)
        return "2";
    if (strcmp(mode, "rail") == 0)
        return "3";
    if (strcmp(mode, "truck") == 0)
        return "4";
    return "5";
}

/* CEB607: links the lists of the container's inbounds to its bill, one link
 * per seller; every inbound must have a declared list. */
static int link_bill(hc_store *s, hc_arena *a, hc_customs_ctx *x, const struct hc_shipment *sh,
                     struct hc_container *c, const char *prefix, const char *actor, hc_err *err)
{
    char f[128];
    snprintf(f, sizeof(f), "%sbill_no", prefix);
    if (x == NULL)
        return hc_err_set(err, HC_EBUSY, f, "customs is not configured: no bill can be linked");
    const struct hc_leg *leg = &sh->legs[0];
    for (size_t i = 0; i < c->ncontents; i++) {
        bool first = true; /* the first content of its seller gathers the seller's lists */
        for (size_t j = 0; j < i; j++)
            first = first && strcmp(c->contents[j].seller, c->contents[i].seller) != 0;
        if (!first)
            continue;
        const char **ids = hc_arena_alloc(a, sizeof(*ids) * 64);
        size_t nids = 0, cap = 64;
        for (size_t j = i; j < c->ncontents; j++) {
            if (strcmp(c->contents[j].seller, c->contents[i].seller) != 0)
                continue;
            struct list_state *ls;
            size_t nls;
            int rc = inbound_lists(s, a, c->contents[j].seller, c->contents[j].inbound, &ls, &nls,
                                   err);
            if (rc != HC_OK)
                return rc;
            if (nls == 0)
                return hc_err_set(err, HC_ECONFLICT, f,
                                  "inbound %s has no customs list to link to bill %s: declare it"
                                  " first (POST /v1/customs/lists, mode 9810)",
                                  c->contents[j].inbound, c->bill_no);
            for (size_t k = 0; k < nls; k++) {
                if (nids == cap) {
                    const char **ni = hc_arena_alloc(a, sizeof(*ni) * cap * 2);
                    memcpy(ni, ids, sizeof(*ni) * cap);
                    ids = ni;
                    cap *= 2;
                }
                ids[nids++] = ls[k].id;
            }
        }
        struct hc_customs_bill_req b = {
            .seller = c->contents[i].seller,
            .bill_no = c->bill_no,
            .traf_mode = traf_mode_code(leg->mode),
            .traf_name = leg->carrier ? leg->carrier : leg->service,
            .voyage_no = leg->voyage      ? leg->voyage
                         : leg->departure ? leg->departure
                         : leg->service   ? leg->service
                                          : sh->id,
            .list_ids = ids,
            .n_lists = nids,
            .actor = actor,
        };
        const char *cop = NULL;
        int rc = hc_customs_bill_link(s, a, x, &b, &cop, err);
        if (rc != HC_OK) {
            if (err->field[0] == '\0' || strcmp(err->field, "bill_no") == 0)
                hc_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
        c->bill_cop_no = cop;
        rc = hc_store_run(s, err, NULL,
                          "UPDATE shipment_containers SET bill_cop_no = ? WHERE warehouse = ? AND"
                          " shipment_id = ? AND number = ?",
                          "ssss", cop, sh->warehouse, sh->id, c->number);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* ---- booking ------------------------------------------------------------------ */

static int check_legs(struct hc_shipment *sh, hc_err *err)
{
    char f[64];
    if (sh->nlegs == 0)
        return hc_err_set(err, HC_EINVAL, "legs", "must hold at least one leg");
    if (sh->nlegs > HC_SHIPMENT_LEGS_MAX)
        return hc_err_set(err, HC_EINVAL, "legs", "at most %d legs", HC_SHIPMENT_LEGS_MAX);
    for (size_t i = 0; i < sh->nlegs; i++) {
        struct hc_leg *l = &sh->legs[i];
        l->seq = (int64_t)i;
        snprintf(f, sizeof(f), "legs[%zu].from", i);
        if (hc_locode_check(l->from, f, err))
            return err->code;
        snprintf(f, sizeof(f), "legs[%zu].to", i);
        if (hc_locode_check(l->to, f, err))
            return err->code;
        if (strcmp(l->from, l->to) == 0)
            return hc_err_set(err, HC_EINVAL, f, "a leg goes from one place to another");
        if (i > 0 && strcmp(sh->legs[i - 1].to, l->from) != 0) {
            snprintf(f, sizeof(f), "legs[%zu].from", i);
            return hc_err_set(err, HC_EINVAL, f, "must be where leg %zu ends (%s)", i - 1,
                              sh->legs[i - 1].to);
        }
        snprintf(f, sizeof(f), "legs[%zu].mode", i);
        if (l->mode == NULL) {
            if (sh->mode == HC_MODE_MULTIMODAL)
                return hc_err_set(err, HC_EINVAL, f, "required on a multimodal shipment");
            l->mode = hc_transport_mode_name(sh->mode);
        } else {
            int m = hc_transport_mode_parse(l->mode);
            if (m == 0 || m == HC_MODE_MULTIMODAL)
                return hc_err_set(err, HC_EINVAL, f, "must be rail, sea, air or truck");
            if (sh->mode != HC_MODE_MULTIMODAL && m != sh->mode)
                return hc_err_set(err, HC_EINVAL, f, "a %s shipment has %s legs",
                                  hc_transport_mode_name(sh->mode),
                                  hc_transport_mode_name(sh->mode));
        }
        const char *names[] = {"carrier", "service", "departure", "voyage"};
        const char *vals[] = {l->carrier, l->service, l->departure, l->voyage};
        for (int k = 0; k < 4; k++) {
            snprintf(f, sizeof(f), "legs[%zu].%s", i, names[k]);
            if (vals[k] && hc_check_text(vals[k], f, TEXT_MAX, true, err))
                return err->code;
        }
        snprintf(f, sizeof(f), "legs[%zu].etd", i);
        if (l->etd_planned <= 0)
            return hc_err_set(err, HC_EINVAL, f, "required");
        snprintf(f, sizeof(f), "legs[%zu].eta", i);
        if (l->eta_planned <= 0)
            return hc_err_set(err, HC_EINVAL, f, "required");
        if (l->eta_planned < l->etd_planned)
            return hc_err_set(err, HC_EINVAL, f, "ETA is before the ETD");
        if (i > 0 && l->etd_planned < sh->legs[i - 1].eta_planned) {
            snprintf(f, sizeof(f), "legs[%zu].etd", i);
            return hc_err_set(err, HC_EINVAL, f, "is before the previous leg's ETA");
        }
        l->etd_estimated = l->eta_estimated = l->atd = l->ata = 0;
    }
    return HC_OK;
}

int hc_shipment_create(hc_store *s, hc_arena *a, hc_customs_ctx *x, struct hc_shipment *sh,
                       const char *tenant_seller, const char *actor, hc_err *err)
{
    if (sh->mode == 0)
        return hc_err_set(err, HC_EINVAL, "mode", "must be rail, sea, air, truck or multimodal");
    if (hc_check_code(sh->warehouse, "warehouse", HC_CODE_MAX, err))
        return err->code;
    int64_t one;
    int wrc = hc_store_int(s, err, &one, "SELECT 1 FROM warehouses WHERE code = ?", "s",
                           sh->warehouse);
    if (wrc != HC_OK) {
        if (wrc != HC_ENOTFOUND)
            return wrc;
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", sh->warehouse);
    }
    if (sh->reference == NULL)
        sh->reference = "";
    else if (hc_check_text(sh->reference, "reference", HC_REFERENCE_MAX, true, err))
        return err->code;
    if (check_legs(sh, err))
        return err->code;
    if (sh->site == NULL)
        sh->site = sh->legs[0].from;
    else if (hc_check_code(sh->site, "site", HC_CODE_MAX, err))
        return err->code;
    if (sh->ncontainers > HC_SHIPMENT_CONTAINERS_MAX)
        return hc_err_set(err, HC_EINVAL, "containers", "at most %d",
                          HC_SHIPMENT_CONTAINERS_MAX);
    for (size_t i = 0; i < sh->ncontainers; i++) {
        char p[48];
        bool loose_ok = sh->mode == HC_MODE_AIR || sh->mode == HC_MODE_TRUCK;
        /* loose cargo is the request's "loose" object */
        if (loose_ok && (sh->containers[i].number == NULL || !sh->containers[i].number[0]))
            snprintf(p, sizeof(p), "loose.");
        else
            snprintf(p, sizeof(p), "containers[%zu].", i);
        int rc = check_container(s, a, sh->warehouse, NULL, &sh->containers[i], loose_ok, p,
                                 tenant_seller, err);
        if (rc != HC_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sh->containers[j].number, sh->containers[i].number) == 0) {
                snprintf(p, sizeof(p), "containers[%zu].number", i);
                return hc_err_set(err, HC_EINVAL, p, "%s is on an earlier line already",
                                  sh->containers[i].number[0] ? sh->containers[i].number
                                                              : "loose cargo");
            }
        /* an inbound in two containers of one request is fine (split cartons) */
    }
    char id[HC_ID_MAX];
    hc_id_format("shp", hc_id_next(), id, sizeof(id));
    sh->id = hc_arena_strdup(a, id);
    sh->status = HC_SHIPMENT_BOOKED;
    sh->owner = tenant_seller ? tenant_seller : "";
    sh->created_at = sh->updated_at = hc_now_ms();
    int rc = hc_store_run(s, err, NULL,
                          "INSERT INTO shipments (warehouse, id, mode, status, site, reference,"
                          " owner, booked_by, created_at, updated_at) VALUES (?, ?, ?, 'booked',"
                          " ?, ?, ?, ?, ?, ?)",
                          "sssssssii", sh->warehouse, sh->id, hc_transport_mode_name(sh->mode),
                          sh->site, sh->reference, sh->owner, actor ? actor : "", sh->created_at,
                          sh->updated_at);
    for (size_t i = 0; rc == HC_OK && i < sh->nlegs; i++) {
        const struct hc_leg *l = &sh->legs[i];
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO shipment_legs (warehouse, shipment_id, seq, from_loc, to_loc,"
                          " mode, carrier, service, departure, voyage, etd_planned, eta_planned)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssisssssssii", sh->warehouse, sh->id, l->seq, l->from, l->to, l->mode,
                          l->carrier, l->service, l->departure, l->voyage, l->etd_planned,
                          l->eta_planned);
    }
    for (size_t i = 0; rc == HC_OK && i < sh->ncontainers; i++) {
        rc = insert_container(s, a, sh->warehouse, sh->site, sh->id, &sh->containers[i], actor,
                              err);
        if (rc == HC_OK && sh->containers[i].bill_no) {
            char p[48];
            snprintf(p, sizeof(p), "containers[%zu].", i);
            rc = link_bill(s, a, x, sh, &sh->containers[i], p, actor, err);
        }
    }
    if (rc == HC_OK)
        rc = hc_shipment_milestone(s, sh->id, "booked", NULL, sh->legs[0].from, sh->created_at,
                                   actor, err);
    return rc;
}

/* ---- reads ------------------------------------------------------------------- */

/* An inbound of shipment p not yet received (or put away). */
#define OPEN_INBOUND                                                                            \
    "EXISTS (SELECT 1 FROM shipment_inbounds si JOIN inbounds i ON i.seller = si.seller AND"   \
    " i.id = si.inbound_id WHERE si.shipment_id = p.id AND i.status NOT IN ('received',"       \
    " 'putaway'))"
/* The status read: "received" is derived (see headhaul.h). */
#define SHIPMENT_COLS                                                                           \
    "p.warehouse, p.id, p.mode, CASE WHEN p.status = 'arrived' AND NOT " OPEN_INBOUND           \
    " THEN 'received' ELSE p.status END, p.site, p.reference, p.owner, p.created_at,"          \
    " p.updated_at, p.departed_at, p.arrived_at"

static void read_shipment(hc_arena *a, hc_stmt *q, struct hc_shipment *sh)
{
    memset(sh, 0, sizeof(*sh));
    sh->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
    sh->id = hc_arena_strdup(a, hc_stmt_text(q, 1));
    sh->mode = hc_transport_mode_parse(hc_stmt_text(q, 2));
    sh->status = hc_shipment_status_parse(hc_stmt_text(q, 3));
    sh->site = hc_arena_strdup(a, hc_stmt_text(q, 4));
    sh->reference = hc_arena_strdup(a, hc_stmt_text(q, 5));
    sh->owner = hc_arena_strdup(a, hc_stmt_text(q, 6));
    sh->created_at = hc_stmt_int(q, 7);
    sh->updated_at = hc_stmt_int(q, 8);
    sh->departed_at = int_or_0(q, 9);
    sh->arrived_at = int_or_0(q, 10);
}

#define LEG_COLS                                                                              \
    "seq, from_loc, to_loc, mode, carrier, service, departure, voyage, etd_planned, eta_planned," \
    " etd_estimated, eta_estimated, atd, ata"

static void read_leg(hc_arena *a, hc_stmt *q, struct hc_leg *l)
{
    l->seq = hc_stmt_int(q, 0);
    l->from = hc_arena_strdup(a, hc_stmt_text(q, 1));
    l->to = hc_arena_strdup(a, hc_stmt_text(q, 2));
    l->mode = hc_arena_strdup(a, hc_stmt_text(q, 3));
    l->carrier = dup_or_null(a, q, 4);
    l->service = dup_or_null(a, q, 5);
    l->departure = dup_or_null(a, q, 6);
    l->voyage = dup_or_null(a, q, 7);
    l->etd_planned = hc_stmt_int(q, 8);
    l->eta_planned = hc_stmt_int(q, 9);
    l->etd_estimated = int_or_0(q, 10);
    l->eta_estimated = int_or_0(q, 11);
    l->atd = int_or_0(q, 12);
    l->ata = int_or_0(q, 13);
}

static int load_legs(hc_store *s, hc_arena *a, struct hc_shipment *sh, hc_err *err)
{
    sh->legs = hc_arena_alloc(a, sizeof(*sh->legs) * HC_SHIPMENT_LEGS_MAX);
    sh->nlegs = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " LEG_COLS " FROM shipment_legs WHERE warehouse = ? AND"
                            " shipment_id = ? ORDER BY seq",
                            "ss", sh->warehouse, sh->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && sh->nlegs < HC_SHIPMENT_LEGS_MAX)
        read_leg(a, q, &sh->legs[sh->nlegs++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    if (sh->nlegs > 0 && sh->status < HC_SHIPMENT_ARRIVED) {
        const struct hc_leg *last = &sh->legs[sh->nlegs - 1];
        int64_t eta = last->eta_estimated ? last->eta_estimated : last->eta_planned;
        sh->late = eta < hc_now_ms();
    }
    return HC_OK;
}

static void split_seals(hc_arena *a, const char *text, struct hc_container *c)
{
    c->nseals = 0;
    char *copy = hc_arena_strdup(a, text), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && c->nseals < HC_SEALS_MAX;
         t = strtok_r(NULL, ",", &save))
        c->seals[c->nseals++] = t;
}

#define CONTAINER_COLS \
    "number, size_type, seals, bill_no, bill_cop_no, loading_plan, status, closed_at, created_at"

static void read_container(hc_arena *a, hc_stmt *q, struct hc_container *c)
{
    memset(c, 0, sizeof(*c));
    c->number = hc_arena_strdup(a, hc_stmt_text(q, 0));
    c->size_type = hc_arena_strdup(a, hc_stmt_text(q, 1));
    split_seals(a, hc_stmt_text(q, 2), c);
    c->bill_no = dup_or_null(a, q, 3);
    c->bill_cop_no = dup_or_null(a, q, 4);
    c->loading_plan = dup_or_null(a, q, 5);
    c->status = strcmp(hc_stmt_text(q, 6), "closed") == 0 ? HC_CONTAINER_CLOSED
                                                           : HC_CONTAINER_LOADING;
    c->closed_at = int_or_0(q, 7);
    c->created_at = hc_stmt_int(q, 8);
}

/* Containers with their contents; seller (may be NULL): only that seller's
 * cartons, and only containers holding some. */
static int load_containers(hc_store *s, hc_arena *a, struct hc_shipment *sh, const char *seller,
                           hc_err *err)
{
    int64_t count = 0;
    int rc = hc_store_int(s, err, &count,
                          "SELECT COUNT(*) FROM shipment_containers WHERE warehouse = ? AND"
                          " shipment_id = ?",
                          "ss", sh->warehouse, sh->id);
    if (rc != HC_OK)
        return rc;
    sh->containers = hc_arena_alloc(a, sizeof(*sh->containers) * (size_t)(count + 1));
    sh->ncontainers = 0;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT " CONTAINER_COLS " FROM shipment_containers WHERE warehouse = ?"
                        " AND shipment_id = ? ORDER BY created_at, number",
                        "ss", sh->warehouse, sh->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && sh->ncontainers < (size_t)count)
        read_container(a, q, &sh->containers[sh->ncontainers++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    size_t keep = 0;
    for (size_t i = 0; i < sh->ncontainers; i++) {
        struct hc_container *c = &sh->containers[i];
        size_t cap = 8;
        c->contents = hc_arena_alloc(a, sizeof(*c->contents) * cap);
        rc = hc_store_query(s, err, &q,
                            "SELECT seller, inbound_id, cartons FROM shipment_cartons WHERE"
                            " warehouse = ? AND shipment_id = ? AND container = ?"
                            " ORDER BY seller, inbound_id",
                            "sss", sh->warehouse, sh->id, c->number);
        if (rc != HC_OK)
            return rc;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
            if (seller && strcmp(hc_stmt_text(q, 0), seller) != 0)
                continue;
            if (c->ncontents == cap) {
                struct hc_container_content *nc = hc_arena_alloc(a, sizeof(*nc) * cap * 2);
                memcpy(nc, c->contents, sizeof(*nc) * cap);
                c->contents = nc;
                cap *= 2;
            }
            struct hc_container_content *ct = &c->contents[c->ncontents++];
            ct->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
            ct->inbound = hc_arena_strdup(a, hc_stmt_text(q, 1));
            ct->cartons = hc_stmt_int(q, 2);
        }
        hc_stmt_reset(q);
        if (rc != HC_DONE)
            return rc;
        if (seller == NULL || c->ncontents > 0)
            sh->containers[keep++] = *c;
    }
    sh->ncontainers = keep;
    return HC_OK;
}

static int load_inbounds(hc_store *s, hc_arena *a, struct hc_shipment *sh, const char *seller,
                         hc_err *err)
{
    size_t cap = 8;
    sh->inbounds = hc_arena_alloc(a, sizeof(*sh->inbounds) * cap);
    sh->ninbounds = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, inbound_id FROM shipment_inbounds WHERE shipment_id = ?"
                            " ORDER BY inbound_id",
                            "s", sh->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (seller && strcmp(hc_stmt_text(q, 0), seller) != 0)
            continue;
        if (sh->ninbounds == cap) {
            const char **ni = hc_arena_alloc(a, sizeof(*ni) * cap * 2);
            memcpy(ni, sh->inbounds, sizeof(*ni) * cap);
            sh->inbounds = ni;
            cap *= 2;
        }
        sh->inbounds[sh->ninbounds++] = hc_arena_strdup(a, hc_stmt_text(q, 1));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static int load_goods(hc_store *s, hc_arena *a, struct hc_shipment *sh, const char *seller,
                      hc_err *err)
{
    size_t cap = 16;
    sh->goods = hc_arena_alloc(a, sizeof(*sh->goods) * cap);
    sh->ngoods = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, sku, planned, departed, arrived FROM shipment_goods"
                            " WHERE warehouse = ? AND shipment_id = ? ORDER BY seller, sku",
                            "ss", sh->warehouse, sh->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (seller && strcmp(hc_stmt_text(q, 0), seller) != 0)
            continue;
        if (sh->ngoods == cap) {
            struct hc_shipment_goods *ng = hc_arena_alloc(a, sizeof(*ng) * cap * 2);
            memcpy(ng, sh->goods, sizeof(*ng) * cap);
            sh->goods = ng;
            cap *= 2;
        }
        struct hc_shipment_goods *g = &sh->goods[sh->ngoods++];
        g->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        g->sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        g->planned = hc_stmt_int(q, 2);
        g->departed = hc_stmt_int(q, 3);
        g->arrived = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (sh->status < HC_SHIPMENT_ARRIVED)
        return HC_OK;
    /* received = arrived - what is left at the dock (a journal balance) */
    char dock[HC_PLACE_MAX];
    place_dock(dock, sizeof(dock), sh->warehouse, sh->id);
    for (size_t i = 0; i < sh->ngoods; i++) {
        int64_t left = 0;
        rc = hc_store_int(s, err, &left,
                          "SELECT qty FROM balances WHERE seller = ? AND sku = ? AND place = ?",
                          "sss", sh->goods[i].seller, sh->goods[i].sku, dock);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            left = 0;
        } else if (rc != HC_OK) {
            return rc;
        }
        sh->goods[i].received = sh->goods[i].arrived - left;
    }
    return HC_OK;
}

static int load_milestones(hc_store *s, hc_arena *a, struct hc_shipment *sh, hc_err *err)
{
    size_t cap = 8;
    sh->milestones = hc_arena_alloc(a, sizeof(*sh->milestones) * cap);
    sh->nmilestones = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, kind, container, place, at, recorded_at, actor FROM"
                            " shipment_milestones WHERE warehouse = ? AND shipment_id = ?"
                            " ORDER BY at, id",
                            "ss", sh->warehouse, sh->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (sh->nmilestones == cap) {
            struct hc_milestone *nm = hc_arena_alloc(a, sizeof(*nm) * cap * 2);
            memcpy(nm, sh->milestones, sizeof(*nm) * cap);
            sh->milestones = nm;
            cap *= 2;
        }
        struct hc_milestone *m = &sh->milestones[sh->nmilestones++];
        m->id = hc_stmt_int(q, 0);
        m->kind = hc_arena_strdup(a, hc_stmt_text(q, 1));
        m->container = dup_or_null(a, q, 2);
        m->place = dup_or_null(a, q, 3);
        m->at = hc_stmt_int(q, 4);
        m->recorded_at = hc_stmt_int(q, 5);
        m->actor = hc_arena_strdup(a, hc_stmt_text(q, 6));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static int load_row(hc_store *s, hc_arena *a, const char *id, struct hc_shipment *out,
                    hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT " SHIPMENT_COLS " FROM shipments p WHERE p.id = ?", "s",
                            id);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        read_shipment(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no shipment %s", id);
    return rc == HC_ROW ? HC_OK : rc;
}

/* May this seller see the shipment? It booked it, or has goods on it. */
static int seller_sees(hc_store *s, const struct hc_shipment *sh, const char *seller, bool *yes,
                       hc_err *err)
{
    *yes = strcmp(sh->owner, seller) == 0;
    if (*yes)
        return HC_OK;
    int64_t one;
    int rc = hc_store_int(s, err, &one,
                          "SELECT 1 FROM shipment_inbounds WHERE shipment_id = ? AND seller = ?"
                          " LIMIT 1",
                          "ss", sh->id, seller);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return HC_OK;
    }
    *yes = rc == HC_OK;
    return rc;
}

int hc_shipment_get(hc_store *s, hc_arena *a, const char *id, const char *tenant_seller,
                    const char *tenant_warehouse, struct hc_shipment *out, hc_err *err)
{
    int rc = load_row(s, a, id, out, err);
    if (rc != HC_OK)
        return rc;
    if (tenant_warehouse && strcmp(tenant_warehouse, out->warehouse) != 0)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no shipment %s", id);
    if (tenant_seller) {
        bool yes;
        if ((rc = seller_sees(s, out, tenant_seller, &yes, err)) != HC_OK)
            return rc;
        if (!yes)
            return hc_err_set(err, HC_ENOTFOUND, "id", "no shipment %s", id);
    }
    if ((rc = load_legs(s, a, out, err)) == HC_OK &&
        (rc = load_containers(s, a, out, tenant_seller, err)) == HC_OK &&
        (rc = load_inbounds(s, a, out, tenant_seller, err)) == HC_OK &&
        (rc = load_goods(s, a, out, tenant_seller, err)) == HC_OK)
        rc = load_milestones(s, a, out, err);
    return rc;
}

int hc_shipment_list(hc_store *s, hc_arena *a, const struct hc_shipment_filter *f,
                     struct hc_shipment **items, size_t *n, const char **next, hc_err *err)
{
    char sql[2048] = "SELECT " SHIPMENT_COLS " FROM shipments p WHERE 1 = 1";
    const char *args[6];
    size_t nargs = 0;
    if (f->seller) {
        hc_strlcpy(sql + strlen(sql),
                   " AND (p.owner = ? OR EXISTS (SELECT 1 FROM shipment_inbounds i WHERE"
                   " i.shipment_id = p.id AND i.seller = ?))",
                   sizeof(sql) - strlen(sql));
        args[nargs++] = f->seller;
        args[nargs++] = f->seller;
    }
    if (f->warehouse) {
        hc_strlcpy(sql + strlen(sql), " AND p.warehouse = ?", sizeof(sql) - strlen(sql));
        args[nargs++] = f->warehouse;
    }
    if (f->status == HC_SHIPMENT_RECEIVED || f->status == HC_SHIPMENT_ARRIVED) {
        hc_strlcpy(sql + strlen(sql),
                   f->status == HC_SHIPMENT_RECEIVED
                       ? " AND p.status = 'arrived' AND NOT " OPEN_INBOUND
                       : " AND p.status = 'arrived' AND " OPEN_INBOUND,
                   sizeof(sql) - strlen(sql));
    } else if (f->status) {
        hc_strlcpy(sql + strlen(sql), " AND p.status = ?", sizeof(sql) - strlen(sql));
        args[nargs++] = hc_shipment_status_name(f->status);
    }
    if (f->mode) {
        hc_strlcpy(sql + strlen(sql), " AND p.mode = ?", sizeof(sql) - strlen(sql));
        args[nargs++] = hc_transport_mode_name(f->mode);
    }
    if (f->page.cursor) {
        hc_strlcpy(sql + strlen(sql), " AND p.id < ?", sizeof(sql) - strlen(sql));
        args[nargs++] = f->page.cursor;
    }
    int limit = f->page.limit > 0 ? f->page.limit : 100;
    snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " ORDER BY p.id DESC LIMIT %d",
             limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(s, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    for (size_t i = 0; i < nargs; i++)
        hc_stmt_bind_text(q, (int)i + 1, args[i]);
    struct hc_shipment *out = hc_arena_alloc(a, sizeof(*out) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)limit + 1)
        read_shipment(a, q, &out[k++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = out[k - 1].id;
    }
    for (size_t i = 0; i < k; i++)
        if ((rc = load_legs(s, a, &out[i], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

/* ---- containers -------------------------------------------------------------- */

int hc_shipment_add_container(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *shipment,
                              struct hc_container *c, const char *tenant_seller,
                              const char *actor, hc_err *err)
{
    struct hc_shipment sh;
    int rc = hc_shipment_get(s, a, shipment, tenant_seller, NULL, &sh, err);
    if (rc != HC_OK)
        return rc;
    if (sh.status != HC_SHIPMENT_BOOKED)
        return hc_err_set(err, HC_ECONFLICT, "status", "shipment %s has %s: containers are added"
                          " while it is booked", sh.id, hc_shipment_status_name(sh.status));
    if (sh.ncontainers >= HC_SHIPMENT_CONTAINERS_MAX)
        return hc_err_set(err, HC_ECONFLICT, "containers", "at most %d containers",
                          HC_SHIPMENT_CONTAINERS_MAX);
    bool loose_ok = sh.mode == HC_MODE_AIR || sh.mode == HC_MODE_TRUCK;
    if ((rc = check_container(s, a, sh.warehouse, sh.id, c, loose_ok, "", tenant_seller, err)))
        return rc;
    if ((rc = insert_container(s, a, sh.warehouse, sh.site, sh.id, c, actor, err)) != HC_OK)
        return rc;
    if (c->bill_no)
        rc = link_bill(s, a, x, &sh, c, "", actor, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE shipments SET updated_at = ? WHERE warehouse = ? AND id = ?",
                          "iss", hc_now_ms(), sh.warehouse, sh.id);
    return rc;
}

/* The customs lists that hold the goods of these inbounds back, gathered as
 * text for a message: with released, every list must be released; else the
 * inspect-before-load gate (released, inspected or taken out). */
static int customs_blocking(hc_store *s, hc_arena *a, const char *const *sellers,
                            const char *const *inbounds, size_t n, bool released, hc_buf *why,
                            size_t *nblock, hc_err *err)
{
    *nblock = 0;
    for (size_t i = 0; i < n; i++) {
        struct list_state *ls;
        size_t nls;
        int rc = inbound_lists(s, a, sellers[i], inbounds[i], &ls, &nls, err);
        if (rc != HC_OK)
            return rc;
        if (nls == 0) {
            hc_buf_printf(why, "%sinbound %s has no customs list", *nblock ? "; " : "",
                          inbounds[i]);
            (*nblock)++;
            continue;
        }
        if (released) {
            for (size_t k = 0; k < nls; k++)
                if (ls[k].state != HC_CUSTOMS_RELEASED && ls[k].state != HC_CUSTOMS_CLEARED) {
                    hc_buf_printf(why, "%s%s (inbound %s, state %lld)", *nblock ? "; " : "",
                                  ls[k].id, inbounds[i], (long long)ls[k].state);
                    (*nblock)++;
                }
            continue;
        }
        const char **ids = hc_arena_alloc(a, sizeof(*ids) * nls);
        for (size_t k = 0; k < nls; k++)
            ids[k] = ls[k].id;
        bool ok;
        const char **blocking = NULL;
        size_t nb = 0;
        rc = hc_customs_container_can_close(s, a, ids, nls, &ok, &blocking, &nb, err);
        if (rc != HC_OK)
            return rc;
        for (size_t k = 0; !ok && k < nb; k++) {
            hc_buf_printf(why, "%s%s (inbound %s)", *nblock ? "; " : "", blocking[k], inbounds[i]);
            (*nblock)++;
        }
    }
    return HC_OK;
}

int hc_shipment_close_container(hc_store *s, hc_arena *a, const char *shipment, const char *number,
                                const char *actor, hc_err *err)
{
    struct hc_shipment sh;
    int rc = hc_shipment_get(s, a, shipment, NULL, NULL, &sh, err);
    if (rc != HC_OK)
        return rc;
    struct hc_container *c = NULL;
    for (size_t i = 0; i < sh.ncontainers && c == NULL; i++)
        if (strcmp(sh.containers[i].number, number) == 0)
            c = &sh.containers[i];
    if (c == NULL)
        return hc_err_set(err, HC_ENOTFOUND, "number", "no container %s on shipment %s", number,
                          sh.id);
    if (c->status == HC_CONTAINER_CLOSED)
        return hc_err_set(err, HC_ECONFLICT, "number", "container %s is closed already", number);
    if (sh.status != HC_SHIPMENT_BOOKED)
        return hc_err_set(err, HC_ECONFLICT, "status", "shipment %s has %s", sh.id,
                          hc_shipment_status_name(sh.status));
    if (c->ncontents == 0)
        return hc_err_set(err, HC_ECONFLICT, "contents", "container %s holds nothing", number);
    const char **sellers = hc_arena_alloc(a, sizeof(*sellers) * c->ncontents);
    const char **inbounds = hc_arena_alloc(a, sizeof(*inbounds) * c->ncontents);
    for (size_t i = 0; i < c->ncontents; i++) {
        sellers[i] = c->contents[i].seller;
        inbounds[i] = c->contents[i].inbound;
    }
    hc_buf why;
    hc_buf_init(&why, 8192);
    size_t nblock = 0;
    rc = customs_blocking(s, a, sellers, inbounds, c->ncontents, false, &why, &nblock, err);
    if (rc == HC_OK && nblock > 0)
        rc = hc_err_set(err, HC_ECONFLICT, "lists",
                        "inspect-before-load: container %s cannot close: %s", number,
                        why.p ? why.p : "");
    hc_buf_free(&why);
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms();
    rc = hc_store_run(s, err, NULL,
                      "UPDATE shipment_containers SET status = 'closed', closed_at = ? WHERE"
                      " warehouse = ? AND shipment_id = ? AND number = ?",
                      "isss", now, sh.warehouse, sh.id, number);
    if (rc == HC_OK)
        rc = hc_shipment_milestone(s, sh.id, "gated_out", number[0] ? number : NULL,
                                   sh.legs[0].from, now, actor, err);
    return rc;
}

/* ---- departure and arrival ----------------------------------------------------- */

/* Moves every goods row's balance at from to to; records the quantity in
 * the goods column col ("departed" or "arrived"). */
static int move_goods(hc_store *s, struct hc_shipment *sh, const char *from, const char *to,
                      const char *col, const char *actor, hc_err *err)
{
    for (size_t i = 0; i < sh->ngoods; i++) {
        struct hc_shipment_goods *g = &sh->goods[i];
        int64_t qty = 0;
        int rc = hc_store_int(s, err, &qty,
                              "SELECT qty FROM balances WHERE seller = ? AND sku = ? AND place = ?",
                              "sss", g->seller, g->sku, from);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            qty = 0;
        } else if (rc != HC_OK) {
            return rc;
        }
        if (qty > 0) {
            struct hc_move m = {g->seller, g->sku, qty, from, to, sh->id, actor, 0, 0};
            if ((rc = hc_ledger_move(s, &m, err)) != HC_OK)
                return rc;
        }
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "UPDATE shipment_goods SET %s = ? WHERE warehouse = ? AND shipment_id = ? AND"
                 " seller = ? AND sku = ?",
                 col);
        if ((rc = hc_store_run(s, err, NULL, sql, "issss", qty, sh->warehouse, sh->id, g->seller,
                               g->sku)) != HC_OK)
            return rc;
    }
    return HC_OK;
}

int hc_shipment_depart(hc_store *s, hc_arena *a, const char *id, int64_t at, const char *actor,
                       hc_err *err)
{
    struct hc_shipment sh;
    int rc = hc_shipment_get(s, a, id, NULL, NULL, &sh, err);
    if (rc != HC_OK)
        return rc;
    if (sh.status != HC_SHIPMENT_BOOKED)
        return hc_err_set(err, HC_ECONFLICT, "status", "shipment %s has %s already", sh.id,
                          hc_shipment_status_name(sh.status));
    if (sh.ninbounds == 0)
        return hc_err_set(err, HC_ECONFLICT, "inbounds", "shipment %s carries no inbound", sh.id);
    for (size_t i = 0; i < sh.ncontainers; i++)
        if (sh.containers[i].number[0] && sh.containers[i].status != HC_CONTAINER_CLOSED)
            return hc_err_set(err, HC_ECONFLICT, "containers",
                              "container %s is not closed (gated out)", sh.containers[i].number);
    const char **sellers = hc_arena_alloc(a, sizeof(*sellers) * sh.ninbounds);
    hc_stmt *q;
    for (size_t i = 0; i < sh.ninbounds; i++) {
        rc = hc_store_query(s, err, &q, "SELECT seller FROM shipment_inbounds WHERE inbound_id = ?",
                            "s", sh.inbounds[i]);
        if (rc != HC_OK)
            return rc;
        rc = hc_stmt_step(q, err);
        sellers[i] = rc == HC_ROW ? hc_arena_strdup(a, hc_stmt_text(q, 0)) : "";
        hc_stmt_reset(q);
        if (rc != HC_ROW)
            return rc == HC_DONE ? hc_err_set(err, HC_EINTERNAL, "inbounds", "lost inbound") : rc;
    }
    hc_buf why;
    hc_buf_init(&why, 8192);
    size_t nblock = 0;
    rc = customs_blocking(s, a, sellers, sh.inbounds, sh.ninbounds, true, &why, &nblock, err);
    if (rc == HC_OK && nblock > 0)
        rc = hc_err_set(err, HC_ECONFLICT, "customs",
                        "customs lists not released: %s", why.p ? why.p : "");
    hc_buf_free(&why);
    if (rc != HC_OK)
        return rc;
    if (at <= 0)
        at = hc_now_ms();
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    place_site(from, sizeof(from), sh.site, sh.id);
    place_transit(to, sizeof(to), sh.id);
    if ((rc = hc_ledger_bind_place(s, to, sh.warehouse, HC_BUCKET_TRANSIT, err)) ||
        (rc = move_goods(s, &sh, from, to, "departed", actor, err)))
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE shipments SET status = 'departed', departed_at = ?, updated_at = ?"
                      " WHERE warehouse = ? AND id = ?",
                      "iiss", at, hc_now_ms(), sh.warehouse, sh.id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE shipment_legs SET atd = ? WHERE warehouse = ? AND shipment_id = ?"
                          " AND seq = 0",
                          "iss", at, sh.warehouse, sh.id);
    if (rc == HC_OK)
        rc = hc_shipment_milestone(s, sh.id, "departed", NULL, sh.legs[0].from, at, actor, err);
    return rc;
}

int hc_shipment_arrive(hc_store *s, hc_arena *a, const char *id, int64_t at, const char *actor,
                       hc_err *err)
{
    struct hc_shipment sh;
    int rc = hc_shipment_get(s, a, id, NULL, NULL, &sh, err);
    if (rc != HC_OK)
        return rc;
    if (sh.status != HC_SHIPMENT_DEPARTED)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "shipment %s has %s: only a departed shipment arrives", sh.id,
                          hc_shipment_status_name(sh.status));
    if (at <= 0)
        at = hc_now_ms();
    if (at < sh.departed_at)
        return hc_err_set(err, HC_EINVAL, "at", "is before the departure");
    char from[HC_PLACE_MAX], to[HC_PLACE_MAX];
    place_transit(from, sizeof(from), sh.id);
    place_dock(to, sizeof(to), sh.warehouse, sh.id);
    if ((rc = hc_ledger_bind_place(s, to, sh.warehouse, HC_BUCKET_ARRIVED, err)) ||
        (rc = move_goods(s, &sh, from, to, "arrived", actor, err)))
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE shipments SET status = 'arrived', arrived_at = ?, updated_at = ?"
                      " WHERE warehouse = ? AND id = ?",
                      "iiss", at, hc_now_ms(), sh.warehouse, sh.id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE shipment_legs SET ata = ? WHERE warehouse = ? AND shipment_id = ?"
                          " AND seq = ?",
                          "issi", at, sh.warehouse, sh.id, (int64_t)(sh.nlegs - 1));
    if (rc == HC_OK) /* receipts of its inbounds now take from the dock */
        rc = hc_store_run(s, err, NULL, "UPDATE inbounds SET receive_from = ? WHERE shipment = ?",
                          "ss", to, sh.id);
    if (rc == HC_OK)
        rc = hc_shipment_milestone(s, sh.id, "arrived", NULL, sh.legs[sh.nlegs - 1].to, at, actor,
                                   err);
    return rc;
}

/* ---- for events and ETA ---------------------------------------------------------- */

int hc_shipment_leg_get(hc_store *s, hc_arena *a, const char *shipment, int64_t seq,
                        struct hc_leg *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " LEG_COLS " FROM shipment_legs WHERE shipment_id = ? AND"
                            " seq = ?",
                            "si", shipment, seq);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        read_leg(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "leg", "shipment %s has no leg %lld", shipment,
                          (long long)seq);
    return rc == HC_ROW ? HC_OK : rc;
}

int hc_shipment_container_find(hc_store *s, hc_arena *a, const char *number, const char *field,
                               const char **shipment, struct hc_container *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT c.number, c.size_type, c.seals, c.bill_no, c.bill_cop_no,"
                            " c.loading_plan, c.status, c.closed_at, c.created_at, c.shipment_id"
                            " FROM shipment_containers c JOIN shipments p ON p.id = c.shipment_id"
                            " WHERE c.number = ? ORDER BY CASE WHEN p.status = 'arrived' THEN 1"
                            " ELSE 0 END, p.id DESC LIMIT 1",
                            "s", number ? number : "");
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        read_container(a, q, out);
        *shipment = hc_arena_strdup(a, hc_stmt_text(q, 9));
    }
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, field, "no shipment carries container %s",
                          number ? number : "");
    return rc == HC_ROW ? HC_OK : rc;
}

int hc_shipment_leg_set_times(hc_store *s, const char *shipment, int64_t seq,
                              const struct hc_leg_times *t, hc_err *err)
{
    static const char *const sql[] = {
        "UPDATE shipment_legs SET etd_estimated = NULLIF(?, 0) WHERE shipment_id = ? AND seq = ?",
        "UPDATE shipment_legs SET eta_estimated = NULLIF(?, 0) WHERE shipment_id = ? AND seq = ?",
        "UPDATE shipment_legs SET atd = NULLIF(?, 0) WHERE shipment_id = ? AND seq = ?",
        "UPDATE shipment_legs SET ata = NULLIF(?, 0) WHERE shipment_id = ? AND seq = ?",
    };
    const int64_t v[] = {t->etd_estimated, t->eta_estimated, t->atd, t->ata};
    int64_t one;
    int rc = hc_store_int(s, err, &one,
                          "SELECT 1 FROM shipment_legs WHERE shipment_id = ? AND seq = ?", "si",
                          shipment, seq);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "leg", "shipment %s has no leg %lld", shipment,
                          (long long)seq);
    }
    for (int i = 0; rc == HC_OK && i < 4; i++)
        if (v[i] >= 0)
            rc = hc_store_run(s, err, NULL, sql[i], "isi", v[i], shipment, seq);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL, "UPDATE shipments SET updated_at = ? WHERE id = ?", "is",
                          hc_now_ms(), shipment);
    return rc;
}

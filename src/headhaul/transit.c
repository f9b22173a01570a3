/* transit.c: what arrives at a warehouse when — shipments not yet arrived,
 * by the estimated (else planned) arrival of their last leg. */
#include "headhaul.h"

#include <string.h>

int hc_arrivals(hc_store *s, hc_arena *a, const char *warehouse, const char *tenant_seller,
                int64_t day_from, int days, struct hc_arrival_day **out, hc_err *err)
{
    if (days < 1 || days > 366)
        return hc_err_set(err, HC_EINVAL, "days", "must be 1..366");
    day_from -= day_from % HC_DAY_MS;
    struct hc_arrival_day *d = hc_arena_alloc(a, sizeof(*d) * (size_t)days);
    size_t *cap = hc_arena_alloc(a, sizeof(*cap) * (size_t)days);
    for (int i = 0; i < days; i++)
        d[i].day = day_from + i * HC_DAY_MS;
    int64_t end = day_from + days * HC_DAY_MS;
    /* the last leg of each open shipment: its ETA decides the day; a shipment
     * already late (ETA before day_from) is due on the first day */
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT p.id, COALESCE(l.eta_estimated, l.eta_planned) FROM shipments p JOIN shipment_legs l"
        " ON l.warehouse = p.warehouse AND l.shipment_id = p.id WHERE p.warehouse = ? AND"
        " p.status IN ('booked', 'departed') AND l.seq = (SELECT MAX(seq) FROM shipment_legs m"
        " WHERE m.warehouse = p.warehouse AND m.shipment_id = p.id) ORDER BY p.id",
        "s", warehouse);
    if (rc != HC_OK)
        return rc;
    struct due {
        const char *id;
        int64_t eta;
    } *due = NULL;
    size_t ndue = 0, capdue = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int64_t eta = hc_stmt_int(q, 1);
        if (eta >= end)
            continue;
        if (ndue == capdue) {
            capdue = capdue ? capdue * 2 : 64;
            struct due *nd = hc_arena_alloc(a, sizeof(*nd) * capdue);
            if (ndue)
                memcpy(nd, due, sizeof(*nd) * ndue);
            due = nd;
        }
        due[ndue].id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        due[ndue++].eta = eta;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < ndue; i++) {
        int64_t units = 0, containers = 0;
        if (tenant_seller) {
            rc = hc_store_int(s, err, &units,
                              "SELECT COALESCE(SUM(planned), 0) FROM shipment_goods WHERE"
                              " warehouse = ? AND shipment_id = ? AND seller = ?",
                              "sss", warehouse, due[i].id, tenant_seller);
            if (rc == HC_OK && units == 0)
                continue; /* none of this seller's goods */
            if (rc == HC_OK)
                rc = hc_store_int(s, err, &containers,
                                  "SELECT COUNT(DISTINCT container) FROM shipment_cartons WHERE"
                                  " warehouse = ? AND shipment_id = ? AND seller = ? AND"
                                  " container <> ''",
                                  "sss", warehouse, due[i].id, tenant_seller);
        } else {
            rc = hc_store_int(s, err, &units,
                              "SELECT COALESCE(SUM(planned), 0) FROM shipment_goods WHERE"
                              " warehouse = ? AND shipment_id = ?",
                              "ss", warehouse, due[i].id);
            if (rc == HC_OK)
                rc = hc_store_int(s, err, &containers,
                                  "SELECT COUNT(*) FROM shipment_containers WHERE warehouse = ?"
                                  " AND shipment_id = ? AND number <> ''",
                                  "ss", warehouse, due[i].id);
        }
        if (rc != HC_OK)
            return rc;
        int k = due[i].eta < day_from ? 0 : (int)((due[i].eta - day_from) / HC_DAY_MS);
        struct hc_arrival_day *day = &d[k];
        if (day->shipments == (int64_t)cap[k]) {
            cap[k] = cap[k] ? cap[k] * 2 : 4;
            const char **ni = hc_arena_alloc(a, sizeof(*ni) * cap[k]);
            if (day->shipments)
                memcpy(ni, day->ids, sizeof(*ni) * (size_t)day->shipments);
            day->ids = ni;
        }
        day->ids[day->shipments++] = due[i].id;
        day->units += units;
        day->containers += containers;
    }
    *out = d;
    return HC_OK;
}

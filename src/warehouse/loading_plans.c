/* loading_plans.c: stored container loading plans, and which tenant owns a
 * document id.
 *
 * A plan is kept as the JSON answered when it was made, with the request it
 * answered (so its picture can be drawn when asked for, not on every POST);
 * plans from before the request was kept carry their SVG instead. The
 * owner is the seller whose key made the plan, or "*" for an admin or
 * operator key. */
#include "warehouse/warehouse.h"

#include <string.h>

int hc_loading_plan_put(hc_store *s, const char *owner, const char *id, const char *plan_json,
                        const char *request_json, hc_err *err)
{
    return hc_store_run(s, err, NULL,
                        "INSERT INTO loading_plans (owner, id, plan, svg, request, created_at)"
                        " VALUES (?, ?, ?, '', ?, ?)",
                        "ssssi", owner, id, plan_json, request_json, hc_now_ms());
}

int hc_loading_plan_get(hc_store *s, hc_arena *a, const char *id, const char *seller,
                        struct hc_stored_plan *out, hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(s, err, &q,
                            "SELECT owner, plan, request, svg FROM loading_plans WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW && (seller == NULL || strcmp(hc_stmt_text(q, 0), seller) == 0)) {
        out->owner = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->plan = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->request = hc_stmt_is_null(q, 2) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->svg = hc_stmt_is_null(q, 3) || *hc_stmt_text(q, 3) == '\0'
                       ? NULL
                       : hc_arena_strdup(a, hc_stmt_text(q, 3));
        rc = HC_OK;
    } else if (rc == HC_ROW || rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no loading plan %s", id);
    }
    hc_stmt_reset(q);
    return rc;
}

/* The tables behind each document id prefix; the ids are made by orders
 * (ord_), inbounds (inb_), returns (ret_) and slotting proposals (slt_). A
 * slotting proposal is its warehouse's, of no one seller: its seller is ""
 * (a seller key never sees it; an admin or the warehouse's operator does). */
static const struct {
    const char *prefix, *sql;
} doc_tables[] = {
    {"ord_", "SELECT seller, warehouse FROM orders WHERE id = ?"},
    {"inb_", "SELECT seller, warehouse FROM inbounds WHERE id = ?"},
    {"ret_", "SELECT seller, warehouse FROM returns WHERE id = ?"},
    {"slt_", "SELECT '', warehouse FROM slotting_proposals WHERE id = ?"},
};

int hc_document_tenant(hc_store *s, hc_arena *a, const char *ref, const char **seller,
                       const char **warehouse, hc_err *err)
{
    *seller = *warehouse = NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(doc_tables); i++) {
        if (strncmp(ref, doc_tables[i].prefix, strlen(doc_tables[i].prefix)) != 0)
            continue;
        hc_stmt *q;
        int rc = hc_store_query(s, err, &q, doc_tables[i].sql, "s", ref);
        if (rc != HC_OK)
            return rc;
        rc = hc_stmt_step(q, err);
        if (rc == HC_ROW) {
            *seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
            *warehouse = hc_arena_strdup(a, hc_stmt_text(q, 1));
        }
        hc_stmt_reset(q);
        if (rc == HC_DONE)
            return hc_err_set(err, HC_ENOTFOUND, "ref", "no document %s", ref);
        return rc == HC_ROW ? HC_OK : rc;
    }
    return hc_err_set(err, HC_ENOTFOUND, "ref",
                      "%s is not an order, inbound, return or slotting proposal id", ref);
}

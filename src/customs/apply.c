/* apply.c: receipts from customs applied to lists, summaries and returns;
 * the inspect-before-load marks and the container gate. */
#include "records.h"

#include <stdio.h>
#include <string.h>

struct found {
    char seller[40], id[40], inspection[16], state_time[24];
    int64_t state;
    bool has_time, released;
};

/* Runs a one-key lookup over customs_lists (sql selects seller, id, state,
 * state_time, inspection, released_at); HC_ENOTFOUND when no row. */
static int find_list(hc_store *s, const char *sql, const char *key, struct found *f, hc_err *err)
{
    hc_stmt *q;
    if (key == NULL || *key == '\0')
        return HC_ENOTFOUND;
    int rc = hc_store_query(s, err, &q, sql, "s", key);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(f, 0, sizeof(*f));
        hc_strlcpy(f->seller, hc_stmt_text(q, 0), sizeof(f->seller));
        hc_strlcpy(f->id, hc_stmt_text(q, 1), sizeof(f->id));
        f->state = hc_stmt_int(q, 2);
        f->has_time = !hc_stmt_is_null(q, 3);
        hc_strlcpy(f->state_time, hc_stmt_text(q, 3), sizeof(f->state_time));
        hc_strlcpy(f->inspection, hc_stmt_text(q, 4), sizeof(f->inspection));
        f->released = !hc_stmt_is_null(q, 5);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = HC_ENOTFOUND;
    }
    hc_stmt_reset(q);
    return rc;
}

#define FIND_COLS "SELECT seller, id, state, state_time, inspection, released_at FROM customs_lists"

static int list_by_cop_or_invt(hc_store *s, const hc_customs_receipt *r, struct found *f,
                               hc_err *err)
{
    int rc = find_list(s, FIND_COLS " WHERE id = ?", r->copNo, f, err);
    if (rc == HC_ENOTFOUND)
        rc = find_list(s, FIND_COLS " WHERE invt_no = ?", r->invtNo, f, err);
    if (rc == HC_ENOTFOUND)
        rc = find_list(s, FIND_COLS " WHERE invt_guid = ?", r->guid, f, err);
    return rc;
}

static bool is_failure(int status)
{
    return status == HC_CUSTOMS_REJECTED || status < 0;
}

/* CEB604: the list's own receipt. */
static int apply_604(hc_store *s, const hc_customs_receipt *r, const char *actor, hc_err *err)
{
    struct found f;
    int rc = list_by_cop_or_invt(s, r, &f, err);
    if (rc != HC_OK)
        return rc;
    int st = r->returnStatus;
    if ((rc = rec_history(s, f.seller, f.id, st, "CEB604", r->returnInfo, actor, err)) != HC_OK)
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE customs_lists SET pre_no = COALESCE(?, pre_no),"
                      " invt_no = COALESCE(?, invt_no), updated_at = ? WHERE seller = ? AND id = ?",
                      "ssiss", *r->preNo ? r->preNo : NULL, *r->invtNo ? r->invtNo : NULL,
                      hc_now_ms(), f.seller, f.id);
    if (rc != HC_OK || (st == 0 && strcmp(r->status, "0") != 0))
        return rc;
    /* a receipt older than the one applied last is history only */
    if (f.has_time && strcmp(r->returnTime, f.state_time) < 0)
        return HC_OK;
    const char *insp = f.inspection;
    if (st == HC_CUSTOMS_INSPECTION && insp[0] == '\0')
        insp = "held";
    else if ((st == HC_CUSTOMS_RELEASED || st == HC_CUSTOMS_CLEARED) && strcmp(insp, "held") == 0)
        insp = "done";
    int64_t released = 0;
    if ((st == HC_CUSTOMS_RELEASED || st == HC_CUSTOMS_CLEARED) && !f.released) {
        released = rec_ceb_time(r->returnTime);
        if (released == 0)
            released = hc_now_ms();
    }
    return hc_store_run(s, err, NULL,
                        "UPDATE customs_lists SET state = ?, state_info = ?, state_time = ?,"
                        " inspection = ?, released_at = CASE WHEN ? > 0 THEN ? ELSE released_at"
                        " END WHERE seller = ? AND id = ?",
                        "isssiiss", (int64_t)st, r->returnInfo, r->returnTime, insp, released,
                        released, f.seller, f.id);
}

/* 304/506/606: receipts of the messages around a list; a failure stops a
 * list that is not yet released. */
static int apply_side(hc_store *s, int type, const char *sql, const char *key,
                      const hc_customs_receipt *r, const char *actor, hc_err *err)
{
    struct found f;
    char what[16];
    int rc = find_list(s, sql, key, &f, err);
    if (rc != HC_OK)
        return rc;
    snprintf(what, sizeof(what), "CEB%d", type);
    if ((rc = rec_history(s, f.seller, f.id, r->returnStatus, what, r->returnInfo, actor,
                          err)) != HC_OK)
        return rc;
    if (!is_failure(r->returnStatus) || f.state >= HC_CUSTOMS_RELEASED || is_failure((int)f.state))
        return HC_OK;
    return hc_store_run(s, err, NULL,
                        "UPDATE customs_lists SET state = ?, state_info = ?, updated_at = ?"
                        " WHERE seller = ? AND id = ?",
                        "isiss", (int64_t)r->returnStatus, r->returnInfo, hc_now_ms(), f.seller,
                        f.id);
}

/* CEB608 answers a CEB607: every list of that bill gets the history row. */
static int apply_bill(hc_store *s, int type, const hc_customs_receipt *r, const char *actor,
                      size_t *applied, hc_err *err)
{
    hc_stmt *q;
    char seller[64][40], id[64][40];
    size_t n = 0;
    const char *key = *r->copNo ? r->copNo : r->billNo;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, id FROM customs_lists WHERE bill_cop_no = ? OR"
                            " (bill_no = ? AND bill_no <> '')",
                            "ss", key, r->billNo);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && n < 64) {
        hc_strlcpy(seller[n], hc_stmt_text(q, 0), sizeof(seller[n]));
        hc_strlcpy(id[n], hc_stmt_text(q, 1), sizeof(id[n]));
        n++;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    char what[16];
    snprintf(what, sizeof(what), "CEB%d", type);
    for (size_t i = 0; i < n; i++)
        if ((rc = rec_history(s, seller[i], id[i], r->returnStatus, what, r->returnInfo, actor,
                              err)) != HC_OK)
            return rc;
    *applied += n;
    return n ? HC_OK : HC_ENOTFOUND;
}

static int apply_702(hc_store *s, const hc_customs_receipt *r, hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(s, err, &changes,
                          "UPDATE customs_summaries SET sum_no = COALESCE(?, sum_no), state = ?,"
                          " state_info = ?, updated_at = ? WHERE id = ? OR guid = ?",
                          "sisiss", *r->sumNo ? r->sumNo : NULL, (int64_t)r->returnStatus,
                          r->returnInfo, hc_now_ms(), r->copNo, r->guid);
    return rc != HC_OK ? rc : changes ? HC_OK : HC_ENOTFOUND;
}

/* CEB792: the declaration made from a summary; entryId and item numbers go
 * onto the summary, its lists and their items. */
static int apply_792(hc_store *s, const hc_customs_receipt *r, const char *actor, hc_err *err)
{
    int64_t changes = 0, now = hc_now_ms();
    bool any = false;
    int rc = HC_OK;
    if (*r->sumNo && *r->entryId) {
        rc = hc_store_run(s, err, &changes,
                          "UPDATE customs_summaries SET entry_id = ?, updated_at = ? WHERE"
                          " sum_no = ?",
                          "sis", r->entryId, now, r->sumNo);
        if (rc != HC_OK)
            return rc;
        any = changes > 0;
    }
    char last[40] = "";
    for (size_t i = 0; i < r->n_items; i++) {
        const hc_customs_result_item *it = &r->items[i];
        struct found f;
        rc = find_list(s, FIND_COLS " WHERE invt_no = ?", it->invtNo, &f, err);
        if (rc == HC_ENOTFOUND)
            continue;
        if (rc != HC_OK)
            return rc;
        int64_t item_no = it->gseqno > 0 ? it->gseqno : it->gnum;
        rc = hc_store_run(s, err, &changes,
                          "UPDATE customs_list_items SET entry_id = ?, entry_gnum = ? WHERE"
                          " seller = ? AND list_id = ? AND gnum = ?",
                          "sissi", r->entryId, item_no, f.seller, f.id, (int64_t)it->gnum);
        if (rc != HC_OK)
            return rc;
        any = true;
        if (strcmp(last, f.id) == 0)
            continue;
        hc_strlcpy(last, f.id, sizeof(last));
        if ((rc = hc_store_run(s, err, NULL,
                               "UPDATE customs_lists SET entry_id = ?, updated_at = ? WHERE"
                               " seller = ? AND id = ?",
                               "siss", r->entryId, now, f.seller, f.id)) != HC_OK)
            return rc;
        char info[160];
        snprintf(info, sizeof(info), "declaration %s (summary %s)", r->entryId, r->sumNo);
        if ((rc = rec_history(s, f.seller, f.id, f.state, "CEB792", info, actor, err)) != HC_OK)
            return rc;
    }
    return any ? HC_OK : HC_ENOTFOUND;
}

/* CEB214/216: the return request and its tally. */
static int apply_return(hc_store *s, int type, const hc_customs_receipt *r, const char *actor,
                        hc_err *err)
{
    hc_stmt *q;
    char seller[40] = "", id[40] = "", list[40] = "";
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, id, list_id FROM customs_returns WHERE id = ? OR"
                            " guid = ?",
                            "ss", r->copNo, r->guid);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        hc_strlcpy(seller, hc_stmt_text(q, 0), sizeof(seller));
        hc_strlcpy(id, hc_stmt_text(q, 1), sizeof(id));
        hc_strlcpy(list, hc_stmt_text(q, 2), sizeof(list));
    }
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return HC_ENOTFOUND;
    if (rc != HC_ROW)
        return rc;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE customs_returns SET state = ?, state_info = ?, updated_at = ?"
                      " WHERE seller = ? AND id = ?",
                      "isiss", (int64_t)r->returnStatus, r->returnInfo, hc_now_ms(), seller, id);
    if (rc != HC_OK)
        return rc;
    char what[16];
    snprintf(what, sizeof(what), "CEB%d", type);
    return rec_history(s, seller, list, r->returnStatus, what, r->returnInfo, actor, err);
}

int hc_customs_receipt_apply(hc_store *s, const hc_customs_receipts *rs, const char *actor,
                             size_t *applied, hc_err *err)
{
    *applied = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const hc_customs_receipt *r = &rs->r[i];
        int rc;
        switch (rs->type) {
        case 604:
            rc = apply_604(s, r, actor, err);
            break;
        case 304:
            rc = apply_side(s, 304, FIND_COLS " WHERE order_no = ? ORDER BY created_at DESC",
                            r->orderNo, r, actor, err);
            break;
        case 506:
            rc = apply_side(s, 506, FIND_COLS " WHERE logistics_no = ? ORDER BY created_at DESC",
                            r->logisticsNo, r, actor, err);
            break;
        case 606: /* list cancellation (CEB605, not sent by haicang): history only */
            rc = apply_side(s, 606, FIND_COLS " WHERE id = ?", *r->copNo ? r->copNo : r->invtNo,
                            r, actor, err);
            break;
        case 608:
            rc = apply_bill(s, rs->type, r, actor, applied, err);
            if (rc == HC_OK)
                continue; /* counted per list */
            break;
        case 702:
            rc = apply_702(s, r, err);
            break;
        case 792:
            rc = apply_792(s, r, actor, err);
            break;
        case 214:
        case 216:
            rc = apply_return(s, rs->type, r, actor, err);
            break;
        default:
            return hc_err_set(err, HC_EINVAL, "type", "CEB%d is not a receipt", rs->type);
        }
        if (rc == HC_OK)
            (*applied)++;
        else if (rc != HC_ENOTFOUND)
            return rc;
    }
    if (*applied == 0)
        return hc_err_set(err, HC_ENOTFOUND, "copNo",
                          "CEB%d: no list, summary or return matches this receipt", rs->type);
    return HC_OK;
}

/* ---- inspect before load ---------------------------------------------------------- */

int hc_customs_inspection(hc_store *s, const char *list_id, const char *action,
                          const char *info, const char *actor, hc_err *err)
{
    struct found f;
    int rc = find_list(s, FIND_COLS " WHERE id = ?", list_id, &f, err);
    if (rc == HC_ENOTFOUND)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no customs list %s", list_id);
    if (rc != HC_OK)
        return rc;
    const char *from, *to, *what;
    if (action && strcmp(action, "hold") == 0) {
        from = "", to = "held", what = "held for inspection";
        if (is_failure((int)f.state))
            return hc_err_set(err, HC_ECONFLICT, "id", "list %s is %s", f.id,
                              hc_customs_status_name((int)f.state));
    } else if (action && strcmp(action, "done") == 0) {
        from = "held", to = "done", what = "inspection done, may be loaded";
    } else if (action && strcmp(action, "remove") == 0) {
        from = "held", to = "removed", what = "taken out of the container";
    } else {
        return hc_err_set(err, HC_EINVAL, "action", "must be hold, done or remove");
    }
    if (strcmp(f.inspection, from) != 0)
        return hc_err_set(err, HC_ECONFLICT, "action", "list %s is %s", f.id,
                          f.inspection[0] ? f.inspection : "not held");
    rc = hc_store_run(s, err, NULL,
                      "UPDATE customs_lists SET inspection = ?, updated_at = ? WHERE seller = ?"
                      " AND id = ?",
                      "siss", to, hc_now_ms(), f.seller, f.id);
    if (rc != HC_OK)
        return rc;
    char text[600];
    snprintf(text, sizeof(text), "%s%s%s", what, info && *info ? ": " : "", info ? info : "");
    return rec_history(s, f.seller, f.id, f.state, "inspect", text, actor, err);
}

int hc_customs_container_can_close(hc_store *s, hc_arena *a, const char *const *list_ids,
                                   size_t n, bool *ok, const char **blocking, hc_err *err)
{
    *ok = true;
    if (blocking)
        *blocking = NULL;
    for (size_t i = 0; i < n; i++) {
        struct found f;
        int rc = find_list(s, FIND_COLS " WHERE id = ?", list_ids[i], &f, err);
        if (rc == HC_ENOTFOUND)
            return hc_err_set(err, HC_ENOTFOUND, hc_arena_printf(a, "lists[%zu]", i),
                              "no customs list %s", list_ids[i]);
        if (rc != HC_OK)
            return rc;
        bool released = f.state == HC_CUSTOMS_RELEASED || f.state == HC_CUSTOMS_CLEARED;
        bool inspected = strcmp(f.inspection, "done") == 0 || strcmp(f.inspection, "removed") == 0;
        if (strcmp(f.inspection, "held") == 0 || (!released && !inspected)) {
            *ok = false;
            if (blocking)
                *blocking = hc_arena_strdup(a, f.id);
            return HC_OK;
        }
    }
    return HC_OK;
}

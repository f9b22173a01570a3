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
    if (rc != HC_OK)
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
        HC_ASSERT(released > 0); /* returnTime was checked by check_entry */
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
static int apply_792(hc_store *s, hc_arena *a, const hc_customs_receipt *r, const char *actor,
                     hc_err *err)
{
    int64_t changes = 0, now = hc_now_ms();
    bool any = false;
    int rc = HC_OK;
    if (*r->sumNo) {
        rc = hc_store_run(s, err, &changes,
                          "UPDATE customs_summaries SET entry_id = COALESCE(?, entry_id),"
                          " updated_at = ? WHERE sum_no = ?",
                          "sis", *r->entryId ? r->entryId : NULL, now, r->sumNo);
        if (rc != HC_OK)
            return rc;
        if (changes == 0)
            return hc_err_set(err, HC_ENOTFOUND, "sumNo", "no summary has sumNo %s", r->sumNo);
        any = true;
    }
    char last[40] = "";
    for (size_t i = 0; i < r->n_items; i++) {
        const hc_customs_result_item *it = &r->items[i];
        struct found f;
        rc = find_list(s, FIND_COLS " WHERE invt_no = ?", it->invtNo, &f, err);
        if (rc == HC_ENOTFOUND)
            return hc_err_set(err, HC_ENOTFOUND,
                              hc_arena_printf(a, "SummaryResultList[%zu].invtNo", i),
                              "no list has invtNo %s", it->invtNo);
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

/* The receipt types applied, their entry element and the returnStatus codes
 * the CEB 202205 spec lists for each (chapter 2, export); a negative status
 * is an error receipt and always allowed. CEB792's decState has no list
 * there (1..3 characters). */
static const struct receipt_kind {
    int type;
    const char *entity;
    int codes[12];
} receipt_kinds[] = {
    {304, "OrderReturn", {1, 2, 3, 4, 100, 120}},
    {506, "LogisticsReturn", {1, 2, 3, 4, 100, 120}},
    {604, "InventoryReturn", {1, 2, 3, 4, 100, 120, 300, 399, 500, 800, 899}},
    {606, "InvtCancelReturn", {1, 2, 3, 4, 100, 399}},
    {608, "WayBillReturn", {1, 2, 3, 4, 100, 120}},
    {702, "SummaryReturn", {1, 2, 3, 4, 100, 399}},
    {214, "RefundReturn", {1, 2, 3, 4, 100, 120, 300, 500, 505, 600, 800}},
    {216, "InvtRefundDetailReturn", {1, 2, 3, 4, 100, 399}},
    {792, "SummaryResult", {0}},
};

static int apply_entry(hc_store *s, hc_arena *a, const hc_customs_receipts *rs,
                       const struct receipt_kind *kind, size_t i, const char *actor,
                       size_t *applied, hc_err *err);

/* yyyyMMddHHmmssfff, every part in range (no date is normalised). */
static bool ceb_time_valid(const char *t)
{
    if (t == NULL || strlen(t) != 17 || !hc_all_digits(t, 17))
        return false;
    int v[6], len[6] = {4, 2, 2, 2, 2, 2};
    const char *p = t;
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < len[i]; k++)
            v[i] = v[i] * 10 + (*p++ - '0');
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[0] < 2000 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
        (v[1] == 2 && v[2] == 29 && !leap) || v[3] > 23 || v[4] > 59 || v[5] > 59)
        return false;
    return true;
}

/* An entry's status and time, before anything is applied. */
static int check_entry(hc_arena *a, const struct receipt_kind *k, size_t i,
                       const hc_customs_receipt *r, hc_err *err)
{
    const char *time_name = k->type == 792 ? "opDate" : "returnTime";
    const char *status_name = k->type == 792 ? "decState" : "returnStatus";
    if (!ceb_time_valid(r->returnTime))
        return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "%s[%zu].%s", k->entity, i, time_name),
                          "must be a valid time yyyyMMddHHmmssfff, not \"%s\"", r->returnTime);
    if (k->type == 792) {
        size_t n = strlen(r->status);
        if (n < 1 || n > 3)
            return hc_err_set(err, HC_EINVAL,
                              hc_arena_printf(a, "%s[%zu].%s", k->entity, i, status_name),
                              "must be 1 to 3 characters, not \"%s\"", r->status);
        return HC_OK;
    }
    int64_t v;
    bool ok = hc_parse_i64(r->status, -999999999, 999999999, &v) == HC_OK &&
              strcmp(r->status, "-0") != 0;
    if (ok && v >= 0) {
        ok = false;
        for (size_t c = 0; c < HC_ARRAY_LEN(k->codes) && k->codes[c]; c++)
            ok |= k->codes[c] == v;
    }
    if (!ok)
        return hc_err_set(err, HC_EINVAL,
                          hc_arena_printf(a, "%s[%zu].%s", k->entity, i, status_name),
                          "\"%s\" is not a CEB%d status code (spec: %s; negative: error)",
                          r->status, k->type,
                          k->type == 604 ? "1 2 3 4 100 120 300 399 500 800 899"
                                         : "see docs/customs.md");
    HC_ASSERT(r->returnStatus == (int)v); /* the parser read the same number */
    return HC_OK;
}

int hc_customs_receipt_apply(hc_store *s, const hc_customs_receipts *rs, const char *actor,
                             size_t *applied, hc_err *err)
{
    *applied = 0;
    const struct receipt_kind *kind = NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(receipt_kinds); i++)
        if (receipt_kinds[i].type == rs->type)
            kind = &receipt_kinds[i];
    if (kind == NULL)
        return hc_err_set(err, HC_EINVAL, "type", "CEB%d is not a receipt", rs->type);
    hc_arena *a = hc_arena_new(4096);
    int rc = HC_OK;
    /* every entry is checked before any is applied; the caller's transaction
     * makes the whole receipt apply or not at all */
    for (size_t i = 0; i < rs->n && rc == HC_OK; i++)
        rc = check_entry(a, kind, i, &rs->r[i], err);
    for (size_t i = 0; i < rs->n && rc == HC_OK; i++)
        rc = apply_entry(s, a, rs, kind, i, actor, applied, err);
    hc_arena_free(a);
    if (rc != HC_OK)
        *applied = 0;
    return rc;
}

/* One entry; HC_ENOTFOUND (naming the entry and its key) when it matches
 * nothing: the receipt is then refused as a whole. */
static int apply_entry(hc_store *s, hc_arena *a, const hc_customs_receipts *rs,
                       const struct receipt_kind *kind, size_t i, const char *actor,
                       size_t *applied, hc_err *err)
{
    {
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
                return rc; /* counted per list */
            break;
        case 702:
            rc = apply_702(s, r, err);
            break;
        case 792:
            rc = apply_792(s, a, r, actor, err);
            break;
        case 214:
        case 216:
            rc = apply_return(s, rs->type, r, actor, err);
            break;
        default:
            HC_ASSERT(!"receipt_kinds and this switch name the same types");
            rc = HC_EINTERNAL;
        }
        if (rc == HC_OK) {
            (*applied)++;
        } else if (rc == HC_ENOTFOUND) {
            const char *key = rs->type == 304   ? "orderNo"
                              : rs->type == 506 ? "logisticsNo"
                              : rs->type == 702 || rs->type == 214 || rs->type == 216
                                  ? (rs->type == 702 ? "copNo" : "coElNo")
                                  : "copNo";
            char inner[HC_ERR_FIELD_MAX];
            hc_strlcpy(inner, err->field[0] ? err->field : key, sizeof(inner));
            char msg[sizeof(err->msg)];
            hc_strlcpy(msg, err->msg[0] ? err->msg : "matches no list, summary or return",
                       sizeof(msg));
            hc_err_clear(err);
            return hc_err_set(err, HC_ENOTFOUND,
                              hc_arena_printf(a, "%s[%zu].%s", kind->entity, i, inner),
                              "CEB%d entry %zu (%s %s): %s; nothing of this receipt was applied",
                              rs->type, i, key,
                              rs->type == 304   ? r->orderNo
                              : rs->type == 506 ? r->logisticsNo
                                                : r->copNo,
                              msg);
        }
        return rc;
    }
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
                                   size_t n, bool *ok, const char ***blocking, size_t *n_blocking,
                                   hc_err *err)
{
    *ok = true;
    const char **b = hc_arena_alloc(a, (n ? n : 1) * sizeof(*b));
    size_t nb = 0;
    if (blocking)
        *blocking = b;
    if (n_blocking)
        *n_blocking = 0;
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
            b[nb++] = hc_arena_strdup(a, f.id); /* every one, not only the first */
        }
    }
    HC_ASSERT(*ok == (nb == 0));
    if (n_blocking)
        *n_blocking = nb;
    return HC_OK;
}

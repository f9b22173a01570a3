/* work.c: work orders of a transfer (relabel, bundle): open -> done, the
 * charge booked through finance's service charge when done. */
#include "transfer.h"

#include "finance/finance.h"

#include <stdio.h>
#include <string.h>

int hc_tr_set_status(hc_store *s, const struct hc_transfer *t, int to, hc_err *err);

void hc_tr_read_work(hc_arena *a, hc_stmt *q, struct hc_tr_work *w);
void hc_tr_read_work(hc_arena *a, hc_stmt *q, struct hc_tr_work *w)
{
    w->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    w->transfer = hc_arena_strdup(a, hc_stmt_text(q, 1));
    w->service = hc_arena_strdup(a, hc_stmt_text(q, 2));
    w->status = hc_arena_strdup(a, hc_stmt_text(q, 3));
    w->units = hc_stmt_int(q, 4);
    w->note = hc_arena_strdup(a, hc_stmt_text(q, 5));
    w->charge_minor = hc_stmt_int(q, 6);
    w->currency = hc_arena_strdup(a, hc_stmt_text(q, 7));
    w->created_at = hc_stmt_int(q, 8);
    w->done_at = hc_stmt_int(q, 9);
    w->done_by = hc_arena_strdup(a, hc_stmt_text(q, 10));
}

static int transfer_state(hc_store *s, const char *id, char status[16], hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT status FROM tr_transfers WHERE id = ?", "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        snprintf(status, 16, "%s", hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no transfer %s", id);
    return rc == HC_ROW ? HC_OK : rc;
}

int hc_tr_work_add(hc_store *s, hc_arena *a, const char *transfer_id,
                   const struct hc_tr_service_req *w, const char *actor, struct hc_tr_work *out,
                   hc_err *err)
{
    (void)actor;
    const char *svc = w->service ? w->service : "";
    if (strcmp(svc, "relabel") != 0 && strcmp(svc, "bundle") != 0)
        return hc_err_set(err, HC_EINVAL, "service", "must be relabel or bundle");
    if (w->units < 1 || w->units > 1000000)
        return hc_err_set(err, HC_EINVAL, "units", "must be 1..1000000");
    if (w->note && strlen(w->note) > 200)
        return hc_err_set(err, HC_EINVAL, "note", "at most 200 characters");
    char st[16];
    int rc = transfer_state(s, transfer_id, st, err);
    if (rc != HC_OK)
        return rc;
    int t = hc_tr_status_parse(st);
    if (t == HC_TR_SHIPPED || t == HC_TR_CANCELLED)
        return hc_err_set(err, HC_ECONFLICT, "status", "a %s transfer takes no work orders", st);
    char id[32];
    hc_id_format("wko", hc_id_next(), id, sizeof(id));
    *out = (struct hc_tr_work){.id = hc_arena_strdup(a, id), .transfer = transfer_id,
                               .service = svc, .status = "open", .units = w->units,
                               .note = w->note ? w->note : "", .currency = "",
                               .created_at = hc_now_ms(), .done_by = ""};
    return hc_store_run(s, err, NULL,
                        "INSERT INTO tr_work (id, transfer, service, units, note, status,"
                        " charge_minor, currency, created_at, done_at, done_by) VALUES"
                        " (?, ?, ?, ?, ?, 'open', 0, '', ?, 0, '')",
                        "sssisi", out->id, transfer_id, svc, w->units, out->note,
                        out->created_at);
}

int hc_tr_work_complete(hc_store *s, hc_arena *a, const char *transfer_id, const char *work_id,
                        const char *actor, struct hc_tr_work *out, hc_err *err)
{
    struct hc_transfer t;
    int rc = hc_transfer_get(s, a, transfer_id, &t, err);
    if (rc != HC_OK)
        return rc;
    struct hc_tr_work *w = NULL;
    for (size_t i = 0; i < t.nwork && !w; i++)
        if (strcmp(t.work[i].id, work_id) == 0)
            w = &t.work[i];
    if (w == NULL)
        return hc_err_set(err, HC_ENOTFOUND, "work_id", "no work order %s on %s", work_id,
                          transfer_id);
    if (strcmp(w->status, "open") != 0)
        return hc_err_set(err, HC_ECONFLICT, "status", "the work order is %s", w->status);
    if (hc_tr_status_parse(t.status) == HC_TR_ON_HOLD)
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "the transfer is on hold for compliance data");
    struct hc_charge ch;
    const char *service = strcmp(w->service, "bundle") == 0 ? "kitting" : "relabel";
    rc = hc_charge_service(s, a, t.warehouse, t.seller, service, w->units, w->id, actor, &ch, err);
    if (rc != HC_OK)
        return rc;
    w->status = "done";
    w->charge_minor = ch.total;
    w->currency = ch.currency ? hc_arena_strdup(a, ch.currency) : "";
    w->done_at = hc_now_ms();
    w->done_by = actor;
    int64_t changed = 0;
    rc = hc_store_run(s, err, &changed,
                      "UPDATE tr_work SET status = 'done', charge_minor = ?, currency = ?,"
                      " done_at = ?, done_by = ? WHERE id = ? AND status = 'open'",
                      "isiss", w->charge_minor, w->currency, w->done_at, actor, w->id);
    if (rc == HC_OK && changed != 1)
        return hc_err_set(err, HC_ECONFLICT, "status", "the work order changed meanwhile");
    *out = *w;
    return rc;
}

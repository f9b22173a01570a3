/* tracking.c: carriers' tracking events per parcel, by batch or file
 * inbox, and what they do to the order (delivered, or an exception flag). */
#include "lastmile.h"

#include "orders/orders.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INBOX_FILE_MAX (64u << 20)

static const char *const status_names[] = {
    [HC_LM_TRK_IN_TRANSIT] = "in_transit", [HC_LM_TRK_OUT_FOR_DELIVERY] = "out_for_delivery",
    [HC_LM_TRK_DELIVERED] = "delivered",   [HC_LM_TRK_EXCEPTION] = "exception",
    [HC_LM_TRK_RETURNED] = "returned_to_sender",
};

const char *hc_lm_track_status_name(int st)
{
    return st >= HC_LM_TRK_IN_TRANSIT && st <= HC_LM_TRK_RETURNED ? status_names[st] : "";
}

int hc_lm_track_status_parse(const char *s)
{
    for (int i = HC_LM_TRK_IN_TRANSIT; s && i <= HC_LM_TRK_RETURNED; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

/* ---- checking --------------------------------------------------------------------------- */

static int field_err(hc_err *err, int code, size_t i, const char *field, const char *msg)
{
    char f[64];
    snprintf(f, sizeof(f), "events[%zu].%s", i, field);
    return hc_err_set(err, code, f, "%s", msg);
}

/* Field checks that need no store. Times are from 2000 to a day ahead. */
static int check_event(const struct hc_lm_track_event *e, size_t i, hc_err *err)
{
    if (e->tracking_no == NULL || *e->tracking_no == '\0' || strlen(e->tracking_no) > 32)
        return field_err(err, HC_EINVAL, i, "tracking_no", "is required (at most 32 characters)");
    if (hc_lm_track_status_parse(e->status) < 0)
        return field_err(err, HC_EINVAL, i, "status",
                         "must be in_transit, out_for_delivery, delivered, exception or "
                         "returned_to_sender");
    if (e->at < 946684800000LL || e->at > hc_now_ms() + HC_DAY_MS)
        return field_err(err, HC_EINVAL, i, "time",
                         "must be an ISO 8601 UTC time from 2000 to no later than tomorrow");
    if (e->location && *e->location && hc_check_text(e->location, "location", 128, false, err))
        return field_err(err, HC_EINVAL, i, "location", "at most 128 characters of text");
    if (e->detail && *e->detail && hc_check_text(e->detail, "detail", 256, false, err))
        return field_err(err, HC_EINVAL, i, "detail", "at most 256 characters of text");
    return HC_OK;
}

/* The parcel of e's tracking number (filling e's parcel, order, seller,
 * warehouse); HC_EINVAL naming it when none is (in warehouse). */
static int resolve(hc_store *s, hc_arena *a, struct hc_lm_track_event *e, size_t i,
                   const char *warehouse, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, order_id, seller, warehouse FROM lm_parcels WHERE"
                            " tracking_no = ?",
                            "s", e->tracking_no);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        e->parcel = hc_arena_strdup(a, hc_stmt_text(q, 0));
        e->order_id = hc_arena_strdup(a, hc_stmt_text(q, 1));
        e->seller = hc_arena_strdup(a, hc_stmt_text(q, 2));
        e->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 3));
    }
    hc_stmt_reset(q);
    if (rc == HC_DONE || (rc == HC_ROW && warehouse && strcmp(warehouse, e->warehouse) != 0))
        return field_err(err, HC_EINVAL, i, "tracking_no", "is the number of no parcel here");
    return rc == HC_ROW ? HC_OK : rc;
}

/* ---- applying --------------------------------------------------------------------------- */

/* Stores e unless (tracking number, status, time) is there; *dup tells. */
static int store_event(hc_store *s, struct hc_lm_track_event *e, bool *dup, hc_err *err)
{
    int64_t have = 0;
    int rc = hc_store_int(s, err, &have,
                          "SELECT COUNT(*) FROM lm_tracking WHERE tracking_no = ? AND status = ?"
                          " AND at = ?",
                          "ssi", e->tracking_no, e->status, e->at);
    if (rc != HC_OK || (*dup = have > 0))
        return rc;
    char id[32];
    hc_id_format("trk", hc_id_next(), id, sizeof(id));
    e->created_at = hc_now_ms();
    return hc_store_run(s, err, NULL,
                        "INSERT INTO lm_tracking (warehouse, id, parcel, order_id, seller,"
                        " tracking_no, status, at, location, detail, source, created_at) VALUES"
                        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sssssssisssi", e->warehouse, id, e->parcel, e->order_id, e->seller,
                        e->tracking_no, e->status, e->at, e->location ? e->location : "",
                        e->detail ? e->detail : "", e->source ? e->source : "api",
                        e->created_at);
}

/* delivered: the order moves to delivered once every parcel has a
 * delivered event (and only from shipped). */
static int on_delivered(hc_store *s, hc_arena *a, const struct hc_lm_track_event *e, bool *moved,
                        hc_err *err)
{
    int64_t left = 0;
    *moved = false;
    int rc = hc_store_int(s, err, &left,
                          "SELECT COUNT(*) FROM lm_parcels p WHERE p.order_id = ? AND NOT EXISTS"
                          " (SELECT 1 FROM lm_tracking t WHERE t.tracking_no = p.tracking_no AND"
                          " t.status = 'delivered')",
                          "s", e->order_id);
    if (rc != HC_OK || left > 0)
        return rc;
    struct hc_order o;
    if ((rc = hc_order_get(s, a, e->order_id, &o, err)) != HC_OK ||
        strcmp(o.status, "shipped") != 0)
        return rc;
    rc = hc_order_deliver(s, a, e->order_id, "tracking", &o, err);
    *moved = rc == HC_OK;
    return rc;
}

/* exception / returned_to_sender: the order's flag is the latest one; the
 * change is emitted as order.exception. */
static int on_flag(hc_store *s, const struct hc_lm_track_event *e, hc_err *err)
{
    int64_t later = 0;
    int rc = hc_store_int(s, err, &later,
                          "SELECT COUNT(*) FROM lm_order_flags WHERE order_id = ? AND at > ?", "si",
                          e->order_id, e->at);
    if (rc != HC_OK || later > 0)
        return rc;
    rc = hc_store_run(s, err, NULL, "DELETE FROM lm_order_flags WHERE order_id = ?", "s",
                      e->order_id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_order_flags (order_id, seller, warehouse, status,"
                          " tracking_no, at, location, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssssiss", e->order_id, e->seller, e->warehouse, e->status,
                          e->tracking_no, e->at, e->location ? e->location : "",
                          e->detail ? e->detail : "");
    /* heard of in this transaction (the webhooks outbox: order.exception) */
    struct hc_change c = {"order.exception", e->seller, e->warehouse, e->order_id, e->status,
                          e->at};
    return rc == HC_OK ? hc_change_emit(s, &c, err) : rc;
}

int hc_lm_track_apply(hc_store *s, hc_arena *a, struct hc_lm_track_event *ev, size_t n,
                      const char *warehouse, const char *source, struct hc_lm_track_result *res,
                      hc_err *err)
{
    memset(res, 0, sizeof(*res));
    if (n == 0 || n > HC_LM_TRACK_BATCH_MAX)
        return hc_err_set(err, HC_EINVAL, "events", "must hold 1 to %d events",
                          HC_LM_TRACK_BATCH_MAX);
    int rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = check_event(&ev[i], i, err)) != HC_OK ||
            (rc = resolve(s, a, &ev[i], i, warehouse, err)) != HC_OK)
            return rc;
    for (size_t i = 0; i < n; i++) {
        struct hc_lm_track_event *e = &ev[i];
        bool dup = false, moved = false;
        e->source = source;
        if ((rc = store_event(s, e, &dup, err)) != HC_OK)
            return rc;
        if (dup) {
            res->duplicates++;
            continue;
        }
        res->stored++;
        int st = hc_lm_track_status_parse(e->status);
        if (st == HC_LM_TRK_DELIVERED)
            rc = on_delivered(s, a, e, &moved, err);
        else if (st == HC_LM_TRK_EXCEPTION || st == HC_LM_TRK_RETURNED)
            rc = on_flag(s, e, err);
        if (rc != HC_OK)
            return rc;
        res->delivered_orders += moved;
        res->flagged_orders += st == HC_LM_TRK_EXCEPTION || st == HC_LM_TRK_RETURNED;
    }
    return HC_OK;
}

/* ---- reading ---------------------------------------------------------------------------- */

#define TCOLS                                                                                 \
    "id, tracking_no, status, at, location, detail, parcel, order_id, seller, warehouse,"    \
    " source, created_at"

static void row_event(hc_arena *a, hc_stmt *q, struct hc_lm_track_event *e)
{
    const char **t[] = {&e->id, &e->tracking_no, &e->status};
    for (int i = 0; i < 3; i++)
        *t[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    e->at = hc_stmt_int(q, 3);
    const char **t2[] = {&e->location, &e->detail, &e->parcel, &e->order_id, &e->seller,
                         &e->warehouse, &e->source};
    for (int i = 0; i < 7; i++)
        *t2[i] = hc_arena_strdup(a, hc_stmt_text(q, 4 + i));
    e->created_at = hc_stmt_int(q, 11);
}

int hc_lm_track_of(hc_store *s, hc_arena *a, const char *order_id, const char *parcel,
                   struct hc_lm_track_event **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " TCOLS " FROM lm_tracking WHERE order_id = ? AND"
                            " (? = '' OR parcel = ?) ORDER BY at, id",
                            "sss", order_id, parcel ? parcel : "", parcel ? parcel : "");
    if (rc != HC_OK)
        return rc;
    size_t cap = 16, k = 0;
    struct hc_lm_track_event *v = hc_arena_alloc(a, sizeof(*v) * cap);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < 10000) {
        if (k == cap) {
            struct hc_lm_track_event *w = hc_arena_alloc(a, sizeof(*w) * cap * 2);
            memcpy(w, v, sizeof(*v) * k);
            v = w;
            cap *= 2;
        }
        row_event(a, q, &v[k++]);
    }
    hc_stmt_reset(q);
    *out = v;
    *n = k;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_lm_order_flag(hc_store *s, hc_arena *a, const char *order_id, bool *flagged,
                     struct hc_lm_track_event *ev, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT status, location, tracking_no, at, detail, seller, warehouse"
                            " FROM lm_order_flags WHERE order_id = ?",
                            "s", order_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    *flagged = rc == HC_ROW;
    memset(ev, 0, sizeof(*ev));
    if (rc == HC_ROW) {
        ev->status = hc_arena_strdup(a, hc_stmt_text(q, 0));
        ev->location = hc_arena_strdup(a, hc_stmt_text(q, 1));
        ev->tracking_no = hc_arena_strdup(a, hc_stmt_text(q, 2));
        ev->at = hc_stmt_int(q, 3);
        ev->detail = hc_arena_strdup(a, hc_stmt_text(q, 4));
        ev->seller = hc_arena_strdup(a, hc_stmt_text(q, 5));
        ev->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 6));
        ev->order_id = hc_arena_strdup(a, order_id);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Splits one line (no quotes inside fields except a field wholly quoted,
 * with "" for a quote) into at most max fields; the line is changed. */
static size_t split_csv(hc_arena *a, char *line, const char **f, size_t max)
{
    size_t k = 0;
    char *p = line;
    while (k < max) {
        if (*p == '"') {
            char *o = hc_arena_alloc(a, strlen(p) + 1), *w = o;
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            *w = '\0';
            if (*p == '"')
                p++;
            f[k++] = o;
        } else {
            f[k++] = p;
            p += strcspn(p, ",");
        }
        if (*p != ',')
            break;
        *p++ = '\0';
    }
    return k;
}

static int line_err(hc_err *err, size_t line, const char *col, const char *msg)
{
    char f[64];
    snprintf(f, sizeof(f), "line %zu: %s", line, col);
    return hc_err_set(err, HC_EINVAL, f, "%s", msg);
}

int hc_lm_track_csv(hc_arena *a, const char *text, size_t len, struct hc_lm_track_event **out,
                    size_t *n, hc_err *err)
{
    char *buf = hc_arena_alloc(a, len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3;
    size_t cap = 64, k = 0, line = 0;
    struct hc_lm_track_event *v = hc_arena_alloc(a, sizeof(*v) * cap);
    char *save = NULL;
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        l[strcspn(l, "\r")] = '\0';
        if (*l == '\0')
            continue;
        const char *f[6] = {0};
        size_t nf = split_csv(a, l, f, 6);
        if (line == 1) {
            if (nf < 3 || strcmp(f[0], "tracking_no") || strcmp(f[1], "status") ||
                strcmp(f[2], "time"))
                return line_err(err, 1, "header",
                                "must be tracking_no,status,time,location,detail");
            continue;
        }
        if (nf < 3 || nf > 5)
            return line_err(err, line, "columns", "must hold 3 to 5 columns");
        if (k == HC_LM_TRACK_BATCH_MAX)
            return line_err(err, line, "rows", "a file holds at most 10000 events");
        if (k == cap) {
            struct hc_lm_track_event *w = hc_arena_alloc(a, sizeof(*w) * cap * 2);
            memcpy(w, v, sizeof(*v) * k);
            v = w;
            cap *= 2;
        }
        struct hc_lm_track_event *e = &v[k];
        memset(e, 0, sizeof(*e));
        e->tracking_no = f[0];
        e->status = f[1];
        if (hc_time_parse_iso(f[2], &e->at) != HC_OK || strlen(f[2]) < 20)
            return line_err(err, line, "time", "must be an ISO 8601 UTC time");
        e->location = nf > 3 ? f[3] : "";
        e->detail = nf > 4 ? f[4] : "";
        k++;
    }
    if (k == 0)
        return line_err(err, line ? line : 1, "rows", "no event in the file");
    *out = v;
    *n = k;
    return HC_OK;
}

/* ---- the inbox ---------------------------------------------------------------------------- */

static int move_to(const char *dir, const char *sub, const char *name, const char *why)
{
    char d[4096], from[8192], to[8192];
    snprintf(d, sizeof(d), "%.3000s/%.64s", dir, sub);
    if (mkdir(d, 0775) != 0 && errno != EEXIST)
        return -1;
    snprintf(from, sizeof(from), "%.3000s/%.1000s", dir, name);
    snprintf(to, sizeof(to), "%.4000s/%.1000s", d, name);
    if (rename(from, to) != 0)
        return -1;
    if (why == NULL)
        return 0;
    snprintf(to, sizeof(to), "%.4000s/%.1000s.error.txt", d, name);
    FILE *f = fopen(to, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%s\n", why);
    return fclose(f) == 0 ? 0 : -1;
}

static int read_file(hc_arena *a, const char *path, char **out, size_t *len, hc_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return hc_err_set(err, HC_EINVAL, "file", "%s: %s", path, strerror(errno));
    hc_buf b;
    hc_buf_init(&b, INBOX_FILE_MAX);
    char chunk[65536];
    size_t got;
    int rc = HC_OK;
    while (rc == HC_OK && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = hc_buf_add(&b, chunk, got);
    fclose(f);
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return hc_err_set(err, HC_ETOOBIG, "file", "%s is over 64 MiB", path);
    }
    *out = hc_arena_alloc(a, b.n + 1);
    if (b.n)
        memcpy(*out, b.p, b.n);
    (*out)[b.n] = '\0';
    *len = b.n;
    hc_buf_free(&b);
    return HC_OK;
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The *.csv names of dir, sorted, in a. */
static int list_csv(hc_arena *a, const char *dir, char ***names, size_t *n, hc_err *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return hc_err_set(err, HC_EINVAL, "inbox", "%s: %s", dir, strerror(errno));
    size_t cap = 16, k = 0;
    char **v = hc_arena_alloc(a, sizeof(*v) * cap);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        if (k == cap) {
            char **w = hc_arena_alloc(a, sizeof(*w) * cap * 2);
            memcpy(w, v, sizeof(*v) * k);
            v = w;
            cap *= 2;
        }
        v[k++] = hc_arena_strdup(a, e->d_name);
    }
    closedir(d);
    qsort(v, k, sizeof(*v), cmp_name);
    *names = v;
    *n = k;
    return HC_OK;
}

int hc_lm_track_inbox_scan(const char *dir, hc_lm_track_apply_fn apply, void *ctx, size_t *n_ok,
                           size_t *n_failed, hc_err *err)
{
    hc_arena *la = hc_arena_new(16 * 1024);
    char **names;
    size_t n = 0, ok = 0, bad = 0;
    int rc = list_csv(la, dir, &names, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        hc_arena *a = hc_arena_new(64 * 1024);
        hc_err e2 = {0};
        char *text;
        size_t len;
        struct hc_lm_track_event *ev;
        size_t nev = 0;
        int frc = read_file(a, path, &text, &len, &e2);
        if (frc == HC_OK)
            frc = hc_lm_track_csv(a, text, len, &ev, &nev, &e2);
        if (frc == HC_OK)
            frc = apply(ctx, ev, nev, &e2);
        const char *why = frc == HC_OK ? NULL
                                        : hc_arena_printf(a, "%s%s%s", e2.field,
                                                          e2.field[0] ? ": " : "", e2.msg);
        if (why)
            hc_log(HC_LOG_WARN, "tracking inbox: %s: %s", names[i], why);
        if (move_to(dir, frc == HC_OK ? "processed" : "failed", names[i], why) != 0)
            rc = hc_err_set(err, HC_EINTERNAL, "inbox", "%s: cannot move: %s", path,
                            strerror(errno));
        hc_arena_free(a);
        ok += frc == HC_OK;
        bad += frc != HC_OK;
    }
    hc_arena_free(la);
    if (n_ok)
        *n_ok = ok;
    if (n_failed)
        *n_failed = bad;
    return rc;
}

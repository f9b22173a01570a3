/* schedule.c: head-haul schedules (DCSA Commercial Schedules point-to-point
 * routings), the UN/LOCODE table, DCSA date-times, and the demo timetable
 * expanded from data/head-haul/routes.tsv.
 *
 * A schedule is one departure of a service from a place of receipt to a
 * place of delivery, with its legs; it is reference data shared by every
 * tenant. Its natural key is (origin, destination, service, departure):
 * importing the same departure again replaces it, so an import can be run
 * twice. UN/LOCODEs are checked by hc_locode_check (container.c). No JSON
 * here: the DCSA document is read by the API and CLI layers. */
#include "headhaul.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- modes ----------------------------------------------------------------- */
static const char *const mode_names[] = {
    [HC_SCHED_RAIL] = "RAIL",   [HC_SCHED_VESSEL] = "VESSEL",         [HC_SCHED_AIR] = "AIR",
    [HC_SCHED_TRUCK] = "TRUCK", [HC_SCHED_MULTIMODAL] = "MULTIMODAL",
};

const char *hc_sched_mode_name(int mode)
{
    return mode > 0 && mode < (int)HC_ARRAY_LEN(mode_names) ? mode_names[mode] : "";
}

int hc_sched_mode_parse(const char *s)
{
    if (s == NULL)
        return 0;
    char up[16];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof(up))
        return 0;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    for (int m = 1; m < (int)HC_ARRAY_LEN(mode_names); m++)
        if (strcmp(up, mode_names[m]) == 0)
            return m;
    /* the words haicang's own routes file and its users say */
    if (strcmp(up, "SEA") == 0)
        return HC_SCHED_VESSEL;
    return 0;
}

/* ---- DCSA date-times ------------------------------------------------------------ */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int hc_hh_parse_time(const char *s, int64_t *ms)
{
    if (s == NULL)
        return HC_EINVAL;
    size_t n = strlen(s);
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return HC_EINVAL;
    const char *p = s + 10;
    int64_t offset_min = 0;
    if (*p == '\0') {
        /* a date alone: its midnight, UTC */
    } else {
        if (*p != 'T' || !digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
            return HC_EINVAL;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &sec))
                return HC_EINVAL;
            p += 3;
            if (*p == '.') {
                int k = 0;
                p++;
                while (*p >= '0' && *p <= '9') {
                    if (k < 3)
                        frac = frac * 10 + (*p - '0');
                    k++, p++;
                }
                if (k == 0 || k > 9)
                    return HC_EINVAL;
                for (; k < 3; k++)
                    frac *= 10;
            }
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 14 ||
                om > 59)
                return HC_EINVAL;
            offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
            p += 6;
        } else {
            return HC_EINVAL; /* a local time without its offset is ambiguous */
        }
        if (*p != '\0')
            return HC_EINVAL;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
        return HC_EINVAL;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = sec};
    *ms = (int64_t)timegm(&tm) * 1000 + frac - offset_min * 60000;
    return HC_OK;
}

/* ---- schedules: checks --------------------------------------------------------- */
int hc_schedule_validate(const struct hc_schedule *s, hc_err *err)
{
    HC_ASSERT(s != NULL);
    if (s->service == NULL || s->service[0] == '\0')
        return hc_err_set(err, HC_EINVAL, "service", "is required");
    if (strlen(s->service) > HC_SCHED_SERVICE_MAX || !hc_utf8_valid(s->service, strlen(s->service)))
        return hc_err_set(err, HC_EINVAL, "service", "must be UTF-8 text of at most %d bytes",
                          HC_SCHED_SERVICE_MAX);
    if (s->service_code && strlen(s->service_code) > 20)
        return hc_err_set(err, HC_EINVAL, "service_code", "at most 20 characters");
    if (hc_locode_check(s->origin, "placeOfReceipt.location.UNLocationCode", err) ||
        hc_locode_check(s->destination, "placeOfDelivery.location.UNLocationCode", err))
        return err->code;
    if (strcmp(s->origin, s->destination) == 0)
        return hc_err_set(err, HC_EINVAL, "placeOfDelivery.location.UNLocationCode",
                          "must differ from the place of receipt");
    if (s->mode <= 0 || s->mode >= (int)HC_ARRAY_LEN(mode_names))
        return hc_err_set(err, HC_EINVAL, "legs[0].transport.modeOfTransport",
                          "must be RAIL, VESSEL, AIR, TRUCK or MULTIMODAL");
    if (s->arrives_at <= s->departs_at)
        return hc_err_set(err, HC_EINVAL, "placeOfDelivery.dateTime",
                          "must be after the departure");
    if (s->cutoff_at && s->cutoff_at > s->departs_at)
        return hc_err_set(err, HC_EINVAL, "cutOffTimes[0].cutOffDateTime",
                          "must not be after the departure");
    if (s->transit_days < 0 || s->transit_days > 365)
        return hc_err_set(err, HC_EINVAL, "transitTime", "must be 0..365 days");
    if (s->nlegs == 0 || s->nlegs > HC_SCHED_LEGS_MAX)
        return hc_err_set(err, HC_EINVAL, "legs", "must hold 1..%d legs", HC_SCHED_LEGS_MAX);
    for (size_t i = 0; i < s->nlegs; i++) {
        const struct hc_schedule_leg *l = &s->legs[i];
        char f[64];
        snprintf(f, sizeof(f), "legs[%zu].departure.location.UNLocationCode", i);
        if (hc_locode_check(l->origin, f, err))
            return err->code;
        snprintf(f, sizeof(f), "legs[%zu].arrival.location.UNLocationCode", i);
        if (hc_locode_check(l->destination, f, err))
            return err->code;
        snprintf(f, sizeof(f), "legs[%zu].transport.modeOfTransport", i);
        if (l->mode <= 0 || l->mode >= (int)HC_ARRAY_LEN(mode_names))
            return hc_err_set(err, HC_EINVAL, f, "must be RAIL, VESSEL, AIR, TRUCK or MULTIMODAL");
        snprintf(f, sizeof(f), "legs[%zu].arrival.dateTime", i);
        if (l->arrives_at <= l->departs_at)
            return hc_err_set(err, HC_EINVAL, f, "must be after the leg's departure");
        if (i > 0 && (strcmp(l->origin, s->legs[i - 1].destination) != 0 ||
                      l->departs_at < s->legs[i - 1].arrives_at)) {
            snprintf(f, sizeof(f), "legs[%zu].departure", i);
            return hc_err_set(err, HC_EINVAL, f,
                              "must leave from where and after the previous leg arrives");
        }
    }
    if (strcmp(s->legs[0].origin, s->origin) != 0)
        return hc_err_set(err, HC_EINVAL, "legs[0].departure.location.UNLocationCode",
                          "must be the place of receipt");
    if (strcmp(s->legs[s->nlegs - 1].destination, s->destination) != 0) {
        char f[64];
        snprintf(f, sizeof(f), "legs[%zu].arrival.location.UNLocationCode", s->nlegs - 1);
        return hc_err_set(err, HC_EINVAL, f, "must be the place of delivery");
    }
    return HC_OK;
}

int hc_schedule_mode_of(const struct hc_schedule_leg *legs, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (legs[i].mode != legs[0].mode)
            return HC_SCHED_MULTIMODAL;
    return legs[0].mode;
}

/* ---- schedules: store ----------------------------------------------------------- */
/* Binds mode, service_code, carrier, arrives_at, cutoff_at (NULL when 0),
 * transit_days, id [, origin, destination, service, departs_at, created_at
 * when insert] and runs the statement once. */
static int run_row(hc_store *st, hc_err *err, const char *sql, const struct hc_schedule *s,
                   const char *id, bool insert)
{
    hc_stmt *q;
    int rc = hc_store_prepare(st, sql, &q, err);
    if (rc != HC_OK)
        return rc;
    int i = 1;
    hc_stmt_bind_text(q, i++, hc_sched_mode_name(s->mode));
    hc_stmt_bind_text(q, i++, s->service_code);
    hc_stmt_bind_text(q, i++, s->carrier);
    hc_stmt_bind_int(q, i++, s->arrives_at);
    if (s->cutoff_at)
        hc_stmt_bind_int(q, i++, s->cutoff_at);
    else
        hc_stmt_bind_null(q, i++);
    hc_stmt_bind_int(q, i++, s->transit_days);
    hc_stmt_bind_text(q, i++, id);
    if (insert) {
        hc_stmt_bind_text(q, i++, s->origin);
        hc_stmt_bind_text(q, i++, s->destination);
        hc_stmt_bind_text(q, i++, s->service);
        hc_stmt_bind_int(q, i++, s->departs_at);
        hc_stmt_bind_int(q, i++, hc_now_ms());
    }
    rc = hc_stmt_step(q, err);
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_schedule_put(hc_store *st, struct hc_schedule *s, bool *replaced, hc_err *err)
{
    HC_ASSERT(st != NULL && s != NULL);
    int rc = hc_schedule_validate(s, err);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    char id[32] = "";
    rc = hc_store_query(st, err, &q,
                        "SELECT id FROM schedules WHERE origin = ? AND destination = ?"
                        " AND service = ? AND departs_at = ?",
                        "sssi", s->origin, s->destination, s->service, s->departs_at);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        hc_strlcpy(id, hc_stmt_text(q, 0), sizeof(id));
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    *replaced = id[0] != '\0';
    if (*replaced) {
        if ((rc = hc_store_run(st, err, NULL, "DELETE FROM schedule_legs WHERE schedule_id = ?",
                               "s", id)) ||
            (rc = run_row(st, err,
                          "UPDATE schedules SET mode = ?, service_code = ?, carrier = ?,"
                          " arrives_at = ?, cutoff_at = ?, transit_days = ? WHERE id = ?",
                          s, id, false)))
            return rc;
    } else {
        hc_id_format("sch", hc_id_next(), id, sizeof(id));
        rc = run_row(st, err,
                     "INSERT INTO schedules (mode, service_code, carrier, arrives_at, cutoff_at,"
                     " transit_days, id, origin, destination, service, departs_at, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     s, id, true);
        if (rc != HC_OK)
            return rc;
    }
    for (size_t i = 0; i < s->nlegs; i++) {
        const struct hc_schedule_leg *l = &s->legs[i];
        rc = hc_store_run(st, err, NULL,
                          "INSERT INTO schedule_legs (schedule_id, seq, mode, origin, destination,"
                          " departs_at, arrives_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "sisssii", id, (int64_t)(i + 1), hc_sched_mode_name(l->mode), l->origin,
                          l->destination, l->departs_at, l->arrives_at);
        if (rc != HC_OK)
            return rc;
    }
    hc_strlcpy(s->id, id, sizeof(s->id));
    return HC_OK;
}

static int load_legs(hc_store *st, hc_arena *a, struct hc_schedule *s, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT mode, origin, destination, departs_at, arrives_at"
                            " FROM schedule_legs WHERE schedule_id = ? ORDER BY seq",
                            "s", s->id);
    if (rc != HC_OK)
        return rc;
    s->legs = hc_arena_alloc(a, sizeof(*s->legs) * HC_SCHED_LEGS_MAX);
    s->nlegs = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && s->nlegs < HC_SCHED_LEGS_MAX) {
        struct hc_schedule_leg *l = &s->legs[s->nlegs++];
        l->mode = hc_sched_mode_parse(hc_stmt_text(q, 0));
        hc_strlcpy(l->origin, hc_stmt_text(q, 1), sizeof(l->origin));
        hc_strlcpy(l->destination, hc_stmt_text(q, 2), sizeof(l->destination));
        l->departs_at = hc_stmt_int(q, 3);
        l->arrives_at = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

#define SCHED_COLS                                                                                 \
    "SELECT id, origin, destination, mode, service, service_code, carrier, departs_at,"          \
    " arrives_at, cutoff_at, transit_days FROM schedules"

static void read_row(hc_stmt *q, hc_arena *a, struct hc_schedule *s)
{
    hc_strlcpy(s->id, hc_stmt_text(q, 0), sizeof(s->id));
    hc_strlcpy(s->origin, hc_stmt_text(q, 1), sizeof(s->origin));
    hc_strlcpy(s->destination, hc_stmt_text(q, 2), sizeof(s->destination));
    s->mode = hc_sched_mode_parse(hc_stmt_text(q, 3));
    s->service = hc_arena_strdup(a, hc_stmt_text(q, 4));
    s->service_code = hc_stmt_is_null(q, 5) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 5));
    s->carrier = hc_stmt_is_null(q, 6) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 6));
    s->departs_at = hc_stmt_int(q, 7);
    s->arrives_at = hc_stmt_int(q, 8);
    s->cutoff_at = hc_stmt_is_null(q, 9) ? 0 : hc_stmt_int(q, 9);
    s->transit_days = (int)hc_stmt_int(q, 10);
}

int hc_schedule_get(hc_store *st, hc_arena *a, const char *id, struct hc_schedule *out,
                    hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q, SCHED_COLS " WHERE id = ?", "s", id);
    if (rc != HC_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_row(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no schedule %s", id);
    if (rc != HC_ROW)
        return rc;
    return load_legs(st, a, out, err);
}

/* Cursor: "<departs_at ms>/<id>", the last item of the previous page. */
int hc_schedule_search(hc_store *st, hc_arena *a, const struct hc_schedule_query *qy,
                       struct hc_schedule **items, size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(qy->limit > 0);
    int64_t c_at = INT64_MIN;
    char c_id[32] = "";
    if (qy->cursor && *qy->cursor) {
        const char *slash = strchr(qy->cursor, '/');
        char num[24];
        if (slash == NULL || (size_t)(slash - qy->cursor) >= sizeof(num) || strlen(slash + 1) >= 32)
            return hc_err_set(err, HC_EINVAL, "cursor", "not a cursor of this list");
        memcpy(num, qy->cursor, (size_t)(slash - qy->cursor));
        num[slash - qy->cursor] = '\0';
        if (hc_parse_i64(num, 0, INT64_MAX, &c_at))
            return hc_err_set(err, HC_EINVAL, "cursor", "not a cursor of this list");
        hc_strlcpy(c_id, slash + 1, sizeof(c_id));
    }
    hc_buf sql;
    hc_buf_init(&sql, 4096);
    hc_buf_puts(&sql, SCHED_COLS " WHERE departs_at >= ?");
    if (qy->origin)
        hc_buf_puts(&sql, " AND origin = ?");
    if (qy->destination)
        hc_buf_puts(&sql, " AND destination = ?");
    if (qy->mode)
        hc_buf_puts(&sql, " AND mode = ?");
    if (c_id[0])
        hc_buf_puts(&sql, " AND (departs_at > ? OR (departs_at = ? AND id > ?))");
    hc_buf_printf(&sql, " ORDER BY departs_at, id LIMIT %d", qy->limit + 1);
    hc_stmt *q;
    int rc = hc_store_prepare(st, sql.p, &q, err);
    hc_buf_free(&sql);
    if (rc != HC_OK)
        return rc;
    int i = 1;
    hc_stmt_bind_int(q, i++, qy->after);
    if (qy->origin)
        hc_stmt_bind_text(q, i++, qy->origin);
    if (qy->destination)
        hc_stmt_bind_text(q, i++, qy->destination);
    if (qy->mode)
        hc_stmt_bind_text(q, i++, hc_sched_mode_name(qy->mode));
    if (c_id[0]) {
        hc_stmt_bind_int(q, i++, c_at);
        hc_stmt_bind_int(q, i++, c_at);
        hc_stmt_bind_text(q, i++, c_id);
    }
    struct hc_schedule *out = hc_arena_alloc(a, sizeof(*out) * ((size_t)qy->limit + 1));
    size_t k = 0;
    *next = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (k == (size_t)qy->limit) {
            *next = hc_arena_printf(a, "%lld/%s", (long long)out[k - 1].departs_at, out[k - 1].id);
            break;
        }
        read_row(q, a, &out[k++]);
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    for (size_t j = 0; j < k; j++)
        if ((rc = load_legs(st, a, &out[j], err)) != HC_OK)
            return rc;
    *items = out;
    *n = k;
    return HC_OK;
}

/* One tab-separated line into at most max fields (cut in place); count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (t == NULL)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static bool locode_form(const char *s)
{
    if (s == NULL || strlen(s) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (i >= 2 && s[i] >= '2' && s[i] <= '9')))
            return false;
    return true;
}

/* ---- the published routes (data/head-haul/routes.tsv) ----------------------------- */
/* "weekly" (on the route's default day), "daily", or a list of days "Wed,Sat":
 * a bit per weekday, Monday = bit 0. */
static int parse_days(const char *s, int default_day)
{
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (strcmp(s, "daily") == 0)
        return 0x7f;
    if (strcmp(s, "weekly") == 0)
        return 1 << default_day;
    int mask = 0;
    const char *p = s;
    while (*p) {
        int found = -1;
        for (int d = 0; d < 7; d++)
            if (strncmp(p, names[d], 3) == 0)
                found = d;
        if (found < 0)
            return 0;
        mask |= 1 << found;
        p += 3;
        if (*p == ',')
            p++;
        else if (*p)
            return 0;
    }
    return mask;
}

/* Columns: mode, from, to, from_name, to_name, service, departs, weekly_day,
 * transit_days, dep_hour_utc, cutoff_hours, note. */
int hc_routes_load(const char *path, hc_arena *a, struct hc_route **out, size_t *n, hc_err *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return hc_err_set(err, HC_ENOTFOUND, "", "cannot open %s", path);
    size_t cap = 64, k = 0;
    struct hc_route *r = hc_arena_alloc(a, sizeof(*r) * cap);
    char line[1024];
    int lineno = 0, rc = HC_OK;
    while (rc == HC_OK && fgets(line, sizeof(line), f)) {
        lineno++;
        chomp(line);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *fl[12];
        size_t nf = split_tabs(line, fl, 12);
        int64_t wd = 0, hour = 0, cutoff = 0;
        char *end;
        double days = nf >= 9 ? strtod(fl[8], &end) : -1;
        if (nf < 11 || k == cap || hc_sched_mode_parse(fl[0]) == 0 || !locode_form(fl[1]) ||
            !locode_form(fl[2]) || hc_parse_i64(fl[7], 0, 6, &wd) ||
            parse_days(fl[6], (int)wd) == 0 || days <= 0 || days > 90 || *end != '\0' ||
            hc_parse_i64(fl[9], 0, 23, &hour) || hc_parse_i64(fl[10], 0, 24 * 14, &cutoff)) {
            rc = hc_err_set(err, HC_EINVAL, "", "%s line %d: not a route line", path, lineno);
            break;
        }
        struct hc_route *x = &r[k++];
        x->mode = hc_sched_mode_parse(fl[0]);
        hc_strlcpy(x->origin, fl[1], sizeof(x->origin));
        hc_strlcpy(x->destination, fl[2], sizeof(x->destination));
        x->service = hc_arena_strdup(a, fl[5]);
        x->days = parse_days(fl[6], (int)wd);
        x->transit_ms = (int64_t)(days * HC_DAY_MS + 0.5);
        x->dep_hour = (int)hour;
        x->cutoff_hours = (int)cutoff;
    }
    fclose(f);
    if (rc != HC_OK)
        return rc;
    *out = r;
    *n = k;
    return HC_OK;
}

size_t hc_route_departures(const struct hc_route *r, int64_t from_ms, int days,
                           struct hc_schedule *out, struct hc_schedule_leg *legs, size_t max)
{
    size_t k = 0;
    int64_t day0 = from_ms / HC_DAY_MS * HC_DAY_MS;
    for (int d = 0; d <= days && k < max; d++) {
        int64_t day = day0 + (int64_t)d * HC_DAY_MS;
        /* 1970-01-01 was a Thursday: weekday index, Monday = 0 */
        int wd = (int)((day / HC_DAY_MS + 3) % 7);
        if (!(r->days & (1 << wd)))
            continue;
        int64_t dep = day + (int64_t)r->dep_hour * 3600000;
        if (dep < from_ms)
            continue;
        struct hc_schedule *s = &out[k++];
        memset(s, 0, sizeof(*s));
        hc_strlcpy(s->origin, r->origin, sizeof(s->origin));
        hc_strlcpy(s->destination, r->destination, sizeof(s->destination));
        s->mode = r->mode;
        s->service = r->service;
        s->departs_at = dep;
        s->arrives_at = dep + r->transit_ms;
        s->cutoff_at = dep - (int64_t)r->cutoff_hours * 3600000;
        s->transit_days = (int)((r->transit_ms + HC_DAY_MS / 2) / HC_DAY_MS);
        struct hc_schedule_leg *l = &legs[k - 1];
        memset(l, 0, sizeof(*l));
        l->mode = r->mode;
        hc_strlcpy(l->origin, r->origin, sizeof(l->origin));
        hc_strlcpy(l->destination, r->destination, sizeof(l->destination));
        l->departs_at = s->departs_at;
        l->arrives_at = s->arrives_at;
        s->legs = l;
        s->nlegs = 1;
    }
    return k;
}

int hc_schedules_seed(hc_store *st, const char *routes_path, int64_t from_ms, int days,
                      size_t *count, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_route *routes;
    size_t nroutes, total = 0;
    int rc = hc_routes_load(routes_path, a, &routes, &nroutes, err);
    size_t max = (size_t)days + 1;
    struct hc_schedule *out = hc_arena_alloc(a, sizeof(*out) * max);
    struct hc_schedule_leg *legs = hc_arena_alloc(a, sizeof(*legs) * max);
    for (size_t i = 0; rc == HC_OK && i < nroutes; i++) {
        size_t k = hc_route_departures(&routes[i], from_ms, days, out, legs, max);
        for (size_t j = 0; rc == HC_OK && j < k; j++) {
            bool replaced;
            rc = hc_schedule_put(st, &out[j], &replaced, err);
        }
        total += k;
    }
    hc_arena_free(a);
    *count = total;
    return rc;
}

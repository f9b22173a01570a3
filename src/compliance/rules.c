/* rules.c: the rule table (which requirement applies to which market and
 * category, from when to when, on whose authority), its checks, storage and
 * CSV import. No rule lives here: only the words a rule may use. */
#include "compliance/compliance.h"

#include "finance/finance.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A requirement word the gate knows: a fixed word, or prefix + a word. */
static bool requirement_known(const char *r)
{
    static const char *const fixed[] = {"category", "gpsr_operator", "battery_data",
                                        "tariff_code"};
    static const char *const prefixed[] = {"mark.", "epr."};
    if (r == NULL)
        return false;
    for (size_t i = 0; i < HC_ARRAY_LEN(fixed); i++)
        if (strcmp(r, fixed[i]) == 0)
            return true;
    for (size_t i = 0; i < HC_ARRAY_LEN(prefixed); i++) {
        size_t n = strlen(prefixed[i]);
        if (strncmp(r, prefixed[i], n) != 0)
            continue;
        const char *w = r + n;
        size_t len = strlen(w);
        if (len == 0 || len > HC_EPR_KIND_MAX)
            return false;
        for (size_t k = 0; k < len; k++)
            if (!(islower((unsigned char)w[k]) || isdigit((unsigned char)w[k]) || w[k] == '_'))
                return false;
        return true;
    }
    return false;
}

static bool category_ok(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    if (n == 1 && c[0] == '*')
        return true;
    if (n == 0 || n > HC_CATEGORY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)c[i]) || isdigit((unsigned char)c[i]) || c[i] == '_' ||
              c[i] == '-'))
            return false;
    return true;
}

int hc_rule_validate(const struct hc_rule *r, hc_err *err)
{
    HC_ASSERT(r != NULL);
    if (r->id && hc_check_code(r->id, "id", HC_RULE_ID_MAX, err))
        return err->code;
    if (r->market == NULL || (strcmp(r->market, "EU") != 0 && !hc_country_valid(r->market)))
        return hc_err_set(err, HC_EINVAL, "market", "must be EU or an ISO 3166-1 alpha-2 country");
    if (!category_ok(r->category))
        return hc_err_set(err, HC_EINVAL, "category",
                          "must be * or 1 to %d of a-z 0-9 _ -", HC_CATEGORY_MAX);
    if (!requirement_known(r->requirement))
        return hc_err_set(err, HC_EINVAL, "requirement",
                          "must be category, gpsr_operator, battery_data, tariff_code, "
                          "mark.<mark> or epr.<kind>");
    if (r->condition && r->condition[0] && strcmp(r->condition, "battery") != 0)
        return hc_err_set(err, HC_EINVAL, "condition", "must be empty or battery");
    if (r->effective_from == NULL || !hc_fx_day_valid(r->effective_from))
        return hc_err_set(err, HC_EINVAL, "effective_from", "must be a date YYYY-MM-DD");
    if (r->effective_to && r->effective_to[0]) {
        if (!hc_fx_day_valid(r->effective_to))
            return hc_err_set(err, HC_EINVAL, "effective_to", "must be a date YYYY-MM-DD or empty");
        if (strcmp(r->effective_to, r->effective_from) < 0)
            return hc_err_set(err, HC_EINVAL, "effective_to", "must not precede effective_from");
    }
    if (r->status == NULL ||
        (strcmp(r->status, "confirmed") != 0 && strcmp(r->status, "uncertain") != 0))
        return hc_err_set(err, HC_EINVAL, "status", "must be confirmed or uncertain");
    if (hc_check_text(r->source, "source", HC_RULE_TEXT_MAX, false, err) ||
        hc_check_text(r->note, "note", HC_RULE_TEXT_MAX, true, err))
        return err->code;
    return HC_OK;
}

static const char *opt(const char *s)
{
    return s ? s : "";
}

static int upsert(hc_store *s, const struct hc_rule *r, int64_t now, const char *actor,
                  hc_err *err)
{
    int rc = hc_store_run(s, err, NULL, "DELETE FROM compliance_rules WHERE id = ?", "s", r->id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO compliance_rules (id, market, category, requirement, cond,"
                          " effective_from, effective_to, status, source, note, updated_at,"
                          " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssssssssis", r->id, r->market, r->category, r->requirement,
                          opt(r->condition), r->effective_from, opt(r->effective_to), r->status,
                          r->source, opt(r->note), now, actor ? actor : "");
    hc_gate_rules_changed(); /* even on an error: part of it may be written */
    return rc;
}

int hc_rule_put(hc_store *s, hc_arena *a, struct hc_rule *r, const char *actor, hc_err *err)
{
    int rc = hc_rule_validate(r, err);
    if (rc != HC_OK)
        return rc;
    if (r->id == NULL) {
        char id[HC_RULE_ID_MAX];
        hc_id_format("rule", hc_id_next(), id, sizeof(id));
        r->id = hc_arena_strdup(a, id);
    }
    r->updated_at = hc_now_ms();
    r->updated_by = actor;
    return upsert(s, r, r->updated_at, actor, err);
}

static void read_rule(hc_arena *a, hc_stmt *q, struct hc_rule *r)
{
    const char *v[10];
    for (int i = 0; i < 10; i++)
        v[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
    *r = (struct hc_rule){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                          hc_stmt_int(q, 10), hc_arena_strdup(a, hc_stmt_text(q, 11))};
}

#define RULE_COLS                                                                             \
    "SELECT id, market, category, requirement, cond, effective_from, effective_to, status,"   \
    " source, note, updated_at, updated_by FROM compliance_rules"

int hc_rule_get(hc_store *s, hc_arena *a, const char *id, struct hc_rule *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, RULE_COLS " WHERE id = ?", "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_rule(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no rule %s", id);
    return rc == HC_ROW ? HC_OK : rc;
}

static bool in_force(const struct hc_rule *r, const char *day)
{
    return strcmp(r->effective_from, day) <= 0 &&
           (r->effective_to[0] == '\0' || strcmp(day, r->effective_to) <= 0);
}

int hc_rule_list(hc_store *s, hc_arena *a, const char *market, const char *category,
                 const char *on, struct hc_rule **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    size_t cap = 64;
    *out = hc_arena_alloc(a, sizeof(**out) * cap);
    *n = 0;
    int rc = hc_store_query(s, err, &q,
                            RULE_COLS " WHERE (? = '' OR market = ?) AND (? = '' OR category = ?)"
                                      " ORDER BY market, category, requirement, id",
                            "ssss", opt(market), opt(market), opt(category), opt(category));
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_rule r;
        read_rule(a, q, &r);
        if (on && !in_force(&r, on))
            continue;
        if (*n == cap) {
            struct hc_rule *m = hc_arena_alloc(a, sizeof(*m) * cap * 2);
            memcpy(m, *out, sizeof(*m) * cap);
            *out = m;
            cap *= 2;
        }
        (*out)[(*n)++] = r;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* ---- CSV ------------------------------------------------------------------------------ */

#define CSV_COLS 10
static const char *const csv_header[CSV_COLS] = {
    "id",           "market", "category", "requirement", "condition", "effective_from",
    "effective_to", "status", "source",   "note"};

/* Reads one CSV record (RFC 4180: "" inside quotes is a quote) from *p up to
 * end into at most max fields; *p moves past the line end. Returns the field
 * count, or -1 on an unterminated quote. */
static int csv_record(hc_arena *a, const char **p, const char *end, char **f, int max)
{
    const char *s = *p;
    char *buf = hc_arena_alloc(a, (size_t)(end - s) + 1);
    int nf = 0;
    for (;;) { /* one field a turn */
        size_t o = 0;
        if (s < end && *s == '"') {
            for (s++;; ) {
                if (s >= end)
                    return -1;
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    buf[o++] = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    buf[o++] = *s++;
                }
            }
        }
        while (s < end && *s != ',' && *s != '\n' && *s != '\r')
            buf[o++] = *s++;
        buf[o] = '\0';
        if (nf < max)
            f[nf] = hc_arena_strdup(a, buf);
        nf++;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        break;
    }
    *p = s;
    return nf;
}

static bool blank_line(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p >= end || *p == '\n';
}

static int check_header(hc_arena *a, const char **p, const char *end, hc_err *err)
{
    char *f[CSV_COLS + 1];
    int nf = csv_record(a, p, end, f, CSV_COLS + 1);
    if (nf != CSV_COLS)
        return hc_err_set(err, HC_EINVAL, "csv", "line 1: the header must be %s,%s,%s,%s,%s,%s,"
                          "%s,%s,%s,%s", csv_header[0], csv_header[1], csv_header[2],
                          csv_header[3], csv_header[4], csv_header[5], csv_header[6],
                          csv_header[7], csv_header[8], csv_header[9]);
    for (int i = 0; i < CSV_COLS; i++)
        if (strcmp(f[i], csv_header[i]) != 0)
            return hc_err_set(err, HC_EINVAL, "csv", "line 1: column %d must be %s, not %s",
                              i + 1, csv_header[i], f[i]);
    return HC_OK;
}

int hc_rule_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_rule **out,
                      size_t *n, hc_err *err)
{
    const char *p = text, *end = text + len;
    *n = 0;
    size_t cap = 16;
    *out = hc_arena_alloc(a, sizeof(**out) * cap);
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3; /* a UTF-8 byte order mark, as spreadsheets write */
    int rc = check_header(a, &p, end, err);
    for (int line = 2; rc == HC_OK && p < end; line++) {
        if (blank_line(p, end)) {
            while (p < end && *p != '\n')
                p++;
            p += p < end;
            continue;
        }
        char *f[CSV_COLS + 1];
        int nf = csv_record(a, &p, end, f, CSV_COLS + 1);
        char field[HC_ERR_FIELD_MAX + 32];
        snprintf(field, sizeof(field), "rows[%zu]", *n);
        if (nf != CSV_COLS)
            return hc_err_set(err, HC_EINVAL, field, "line %d: %d columns, not %d%s", line, nf,
                              CSV_COLS, nf < 0 ? " (a quote is not closed)" : "");
        struct hc_rule r = {f[0][0] ? f[0] : NULL, f[1], f[2], f[3], f[4], f[5], f[6], f[7],
                            f[8], f[9][0] ? f[9] : NULL, 0, NULL};
        hc_err e = {0};
        if (r.id == NULL)
            hc_err_set(&e, HC_EINVAL, "id", "is required in an import");
        else
            hc_rule_validate(&r, &e);
        if (e.code != HC_OK) {
            snprintf(field, sizeof(field), "rows[%zu].%s", *n, e.field);
            return hc_err_set(err, e.code, field, "line %d: %s", line, e.msg);
        }
        for (size_t k = 0; k < *n; k++)
            if (strcmp((*out)[k].id, r.id) == 0)
                return hc_err_set(err, HC_EINVAL, field, "line %d: id %s is given twice", line,
                                  r.id);
        if (*n == cap) {
            struct hc_rule *m = hc_arena_alloc(a, sizeof(*m) * cap * 2);
            memcpy(m, *out, sizeof(*m) * cap);
            *out = m;
            cap *= 2;
        }
        (*out)[(*n)++] = r;
    }
    if (rc == HC_OK && *n == 0)
        rc = hc_err_set(err, HC_EINVAL, "csv", "holds no rule");
    return rc;
}

int hc_rule_import(hc_store *s, hc_arena *a, struct hc_rule *r, size_t n, const char *actor,
                   hc_err *err)
{
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        hc_err e = {0};
        if (hc_rule_validate(&r[i], &e) != HC_OK || r[i].id == NULL) {
            char field[HC_ERR_FIELD_MAX + 32];
            snprintf(field, sizeof(field), "rows[%zu].%s", i, r[i].id ? e.field : "id");
            return hc_err_set(err, HC_EINVAL, field, "%s", r[i].id ? e.msg : "is required");
        }
        r[i].updated_at = now;
        r[i].updated_by = actor;
        int rc = upsert(s, &r[i], now, actor, err);
        if (rc != HC_OK)
            return rc;
    }
    (void)a;
    return HC_OK;
}

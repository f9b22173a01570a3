/* versions.c: rows that replace one another by effective day. A versioned
 * table (rate_cards, lm_services) has the columns warehouse, id,
 * effective_from and effective_to (YYYY-MM-DD; effective_to '' when open)
 * and superseded_by ('' while the row is live), and groups its versions in
 * chains by warehouse and one more key column (a rate card's seller, a
 * carrier service's code). Table and column names come from the caller's
 * constants, never from input. */
#include "store.h"

#include <stdio.h>
#include <string.h>

#define SQL_MAX 512

int hc_versioned_overlap(hc_store *s, hc_arena *a, const struct hc_versioned *t,
                         const char *warehouse, const char *key, const char *from, const char *to,
                         const char *skip, const char **hit, hc_err *err)
{
    HC_ASSERT(t && t->table && t->key && from);
    char sql[SQL_MAX];
    /* MySQL-protocol: a locking read (next-key locks on the chain), so two
     * servers cannot both add overlapping versions */
    snprintf(sql, sizeof(sql),
             "SELECT id FROM %s WHERE warehouse = ? AND %s = ? AND superseded_by = '' AND id <> ?"
             " AND (effective_to = '' OR effective_to >= ?) AND (? = '' OR effective_from <= ?)%s",
             t->table, t->key, hc_store_dialect(s) == HC_MYSQL ? " FOR UPDATE" : "");
    hc_stmt *q;
    to = to ? to : "";
    int rc = hc_store_query(s, err, &q, sql, "ssssss", warehouse, key, skip ? skip : "", from, to,
                            to);
    if (rc != HC_OK)
        return rc;
    *hit = NULL;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *hit = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_versioned_next(hc_store *s, const struct hc_versioned *t, const char *warehouse,
                      const char *key, int64_t *version, hc_err *err)
{
    HC_ASSERT(t && t->table && t->key);
    char sql[SQL_MAX];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE warehouse = ? AND %s = ?", t->table,
             t->key);
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n, sql, "ss", warehouse, key);
    *version = n + 1;
    return rc;
}

int hc_versioned_supersede(hc_store *s, const struct hc_versioned *t, const char *warehouse,
                           const char *old, const char *id, hc_err *err)
{
    HC_ASSERT(t && t->table && old && id);
    char sql[SQL_MAX];
    snprintf(sql, sizeof(sql),
             "UPDATE %s SET superseded_by = ? WHERE warehouse = ? AND id = ? AND superseded_by = ''",
             t->table);
    int64_t changed = 0;
    int rc = hc_store_run(s, err, &changed, sql, "sss", id, warehouse, old);
    if (rc == HC_OK && changed != 1)
        rc = hc_err_set(err, HC_ECONFLICT, "replaces", "%s %s was replaced meanwhile", t->what,
                        old);
    return rc;
}

const char *hc_stmt_text_opt(hc_arena *a, hc_stmt *q, int col)
{
    const char *t = hc_stmt_text(q, col);
    return *t ? hc_arena_strdup(a, t) : NULL;
}

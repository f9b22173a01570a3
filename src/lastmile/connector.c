/* connector.c: the carrier connector table. One row per external carrier
 * API or multi-carrier gateway a warehouse may buy labels from, as data
 * (kind, base URL, a reference to where its credentials are kept, status).
 * No live carrier API is called anywhere: the only connector that works is
 * the built-in "haicang" numbering (number.c, parcel.c), which every
 * warehouse has without a row. Others can be recorded but not activated. */
#include "lastmile.h"

#include <string.h>

static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_'))
            return false;
    return true;
}

static bool printable(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

bool hc_lm_connector_implemented(const char *kind)
{
    return kind && strcmp(kind, "haicang") == 0;
}

int hc_lm_connector_validate(const struct hc_lm_connector *c, hc_err *err)
{
    if (!name_ok(c->name))
        return hc_err_set(err, HC_EINVAL, "name", "1-32 of a-z 0-9 - _");
    if (strcmp(c->name, "haicang") == 0)
        return hc_err_set(err, HC_ECONFLICT, "name", "haicang is the built-in connector");
    if (!c->kind || (strcmp(c->kind, "carrier_api") != 0 && strcmp(c->kind, "gateway") != 0))
        return hc_err_set(err, HC_EINVAL, "kind", "must be carrier_api or gateway");
    if (!printable(c->base_url, 256) || strncmp(c->base_url, "https://", 8) != 0 ||
        strlen(c->base_url) < 12)
        return hc_err_set(err, HC_EINVAL, "base_url", "must be an https:// URL (at most 256)");
    if (!printable(c->credentials_ref, 128) || strncmp(c->credentials_ref, "env:", 4) != 0 ||
        strlen(c->credentials_ref) < 5)
        return hc_err_set(err, HC_EINVAL, "credentials_ref",
                          "must name where the secret is kept, as env:VARIABLE (never the secret)");
    if (!c->status || (strcmp(c->status, "disabled") != 0 && strcmp(c->status, "active") != 0))
        return hc_err_set(err, HC_EINVAL, "status", "must be disabled or active");
    if (strcmp(c->status, "active") == 0 && !hc_lm_connector_implemented(c->kind))
        return hc_err_set(err, HC_ECONFLICT, "status",
                          "no live carrier API is implemented yet: only the built-in haicang "
                          "numbering is active; record this connector as disabled");
    return HC_OK;
}

int hc_lm_connector_put(hc_store *s, struct hc_lm_connector *c, const char *actor, hc_err *err)
{
    int rc = hc_lm_connector_validate(c, err);
    if (rc != HC_OK)
        return rc;
    c->updated_at = hc_now_ms();
    c->updated_by = actor ? actor : "";
    rc = hc_store_run(s, err, NULL, "DELETE FROM lm_connectors WHERE warehouse = ? AND name = ?",
                      "ss", c->warehouse, c->name);
    return rc ? rc
              : hc_store_run(s, err, NULL,
                             "INSERT INTO lm_connectors (warehouse, name, kind, base_url,"
                             " credentials_ref, status, updated_at, updated_by)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             "ssssssis", c->warehouse, c->name, c->kind, c->base_url,
                             c->credentials_ref, c->status, c->updated_at, c->updated_by);
}

int hc_lm_connector_list(hc_store *s, hc_arena *a, const char *warehouse,
                         struct hc_lm_connector **out, size_t *n, hc_err *err)
{
    int64_t cnt = 0;
    int rc = hc_store_int(s, err, &cnt, "SELECT COUNT(*) FROM lm_connectors WHERE warehouse = ?",
                          "s", warehouse);
    hc_stmt *q;
    if (rc == HC_OK)
        rc = hc_store_query(s, err, &q,
                            "SELECT name, kind, base_url, credentials_ref, status, updated_at,"
                            " updated_by FROM lm_connectors WHERE warehouse = ? ORDER BY name",
                            "s", warehouse);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_connector *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(cnt + 2));
    /* the built-in numbering first: every warehouse has it */
    v[0] = (struct hc_lm_connector){.warehouse = warehouse, .name = "haicang", .kind = "haicang",
                                    .base_url = "", .credentials_ref = "", .status = "active",
                                    .updated_by = ""};
    size_t k = 1;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)cnt + 1) {
        struct hc_lm_connector *c = &v[k++];
        c->warehouse = hc_arena_strdup(a, warehouse);
        const char **f[] = {&c->name, &c->kind, &c->base_url, &c->credentials_ref, &c->status};
        for (int i = 0; i < 5; i++)
            *f[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
        c->updated_at = hc_stmt_int(q, 5);
        c->updated_by = hc_arena_strdup(a, hc_stmt_text(q, 6));
    }
    hc_stmt_reset(q);
    *out = v;
    *n = k;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

/* keys.c: API keys, made, checked, listed and revoked. The one place that
 * reads or writes the api_keys table. */
#include "auth.h"

#include "catalog/catalog.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#define KEY_COLS "id, name, role, seller, warehouse, created_at, revoked_at"

static void sha256_hex(const char *s, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(s, n, md, &len, EVP_sha256(), NULL);
    hc_hex(md, 32, out);
}

static const char *col(hc_stmt *q, hc_arena *a, int i)
{
    return hc_stmt_is_null(q, i) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, i));
}

static void read_row(hc_stmt *q, hc_arena *a, int first, struct hc_key *k)
{
    memset(k, 0, sizeof(*k));
    k->id = col(q, a, first);
    k->name = col(q, a, first + 1);
    k->role = col(q, a, first + 2);
    k->seller = col(q, a, first + 3);
    k->warehouse = col(q, a, first + 4);
    k->created_at = hc_stmt_int(q, first + 5);
    k->revoked_at = hc_stmt_is_null(q, first + 6) ? 0 : hc_stmt_int(q, first + 6);
    if (k->name == NULL) /* keys made before names: the id stands in */
        k->name = k->id;
}

int hc_key_validate(struct hc_key *k, hc_err *err)
{
    const char *role = k->role;
    if (role == NULL || (strcmp(role, "admin") && strcmp(role, "operator") && strcmp(role, "seller")))
        return hc_err_set(err, HC_EINVAL, "role", "must be admin, operator or seller");
    if (strcmp(role, "seller") != 0)
        k->seller = NULL;
    else if (k->seller == NULL || *k->seller == '\0')
        return hc_err_set(err, HC_EINVAL, "seller", "a seller key needs a seller code");
    if (strcmp(role, "operator") != 0)
        k->warehouse = NULL;
    else if (k->warehouse == NULL || *k->warehouse == '\0')
        return hc_err_set(err, HC_EINVAL, "warehouse", "an operator key needs a warehouse code");
    if ((k->seller && hc_check_code(k->seller, "seller", HC_CODE_MAX, err)) ||
        (k->warehouse && hc_check_code(k->warehouse, "warehouse", HC_CODE_MAX, err)) ||
        hc_check_text(k->name, "name", HC_KEY_NAME_MAX, true, err))
        return err->code;
    if (k->name && strncmp(k->name, "hck_", 4) == 0)
        return hc_err_set(err, HC_EINVAL, "name", "must not look like a key (hck_...)");
    return HC_OK;
}

int hc_key_create(hc_store *s, hc_arena *a, struct hc_key *k, char *text, hc_err *err)
{
    int rc = hc_key_validate(k, err);
    if (rc != HC_OK)
        return rc;
    unsigned char id[6], secret[32];
    char idhex[13], sechex[65], hash[65];
    if (hc_random_bytes(id, sizeof(id)) != HC_OK || hc_random_bytes(secret, sizeof(secret)) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "", "no random bytes for a key");
    hc_hex(id, sizeof(id), idhex);
    hc_hex(secret, sizeof(secret), sechex);
    snprintf(text, HC_KEY_TEXT_MAX, "hck_%s_%s", idhex, sechex);
    sha256_hex(text, strlen(text), hash);
    explicit_bzero(secret, sizeof(secret));
    explicit_bzero(sechex, sizeof(sechex));
    k->id = hc_arena_strdup(a, idhex);
    if (k->name == NULL || *k->name == '\0') {
        const char *tenant = k->seller ? k->seller : k->warehouse;
        k->name = tenant ? hc_arena_printf(a, "%s-%s-%s", k->role, tenant, idhex)
                         : hc_arena_printf(a, "%s-%s", k->role, idhex);
    }
    k->created_at = hc_now_ms();
    k->revoked_at = 0;
    int64_t taken = 0;
    rc = hc_store_int(s, err, &taken, "SELECT COUNT(*) FROM api_keys WHERE name = ? OR id = ?",
                      "ss", k->name, k->name);
    if (rc == HC_OK && taken > 0)
        rc = hc_err_set(err, HC_ECONFLICT, "name", "a key named %s exists already", k->name);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO api_keys (id, hash, role, seller, warehouse, created_at,"
                          " name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "sssssis", k->id, hash, k->role, k->seller, k->warehouse, k->created_at,
                          k->name);
    if (rc != HC_OK)
        explicit_bzero(text, HC_KEY_TEXT_MAX);
    return rc;
}

int hc_key_check(hc_store *s, hc_arena *a, const char *text, struct hc_key *out, hc_err *err)
{
    size_t n = text ? strlen(text) : 0;
    if (n < 10 || n > 200 || strncmp(text, "hck_", 4) != 0)
        return hc_err_set(err, HC_EAUTH, "Authorization", "the API key is not valid");
    const char *id = text + 4, *sep = strchr(id, '_');
    if (sep == NULL || sep == id || sep - id > HC_KEY_ID_MAX)
        return hc_err_set(err, HC_EAUTH, "Authorization", "the API key is not valid");
    char kid[HC_KEY_ID_MAX + 1], hash[65];
    memcpy(kid, id, (size_t)(sep - id));
    kid[sep - id] = '\0';
    sha256_hex(text, n, hash);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT hash, " KEY_COLS " FROM api_keys WHERE id = ?",
                            "s", kid);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    bool ok = rc == HC_ROW && strlen(hc_stmt_text(q, 0)) == 64 &&
              CRYPTO_memcmp(hc_stmt_text(q, 0), hash, 64) == 0;
    if (ok)
        read_row(q, a, 1, out);
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (!ok)
        return hc_err_set(err, HC_EAUTH, "Authorization", "the API key is not valid");
    if (out->revoked_at)
        return hc_err_set(err, HC_EAUTH, "Authorization", "the API key was revoked");
    return HC_OK;
}

/* By id, or else by name. */
static int find(hc_store *s, hc_arena *a, const char *id_or_name, struct hc_key *out, hc_err *err)
{
    static const char *const sql[2] = {"SELECT " KEY_COLS " FROM api_keys WHERE id = ?",
                                       "SELECT " KEY_COLS " FROM api_keys WHERE name = ?"};
    for (int i = 0; i < 2; i++) {
        hc_stmt *q;
        int rc = hc_store_query(s, err, &q, sql[i], "s", id_or_name);
        if (rc != HC_OK)
            return rc;
        rc = hc_stmt_step(q, err);
        if (rc == HC_ROW)
            read_row(q, a, 0, out);
        hc_stmt_reset(q);
        if (rc == HC_ROW)
            return HC_OK;
        if (rc != HC_DONE)
            return rc;
    }
    return hc_err_set(err, HC_ENOTFOUND, "id", "no API key %s", id_or_name);
}

int hc_key_get(hc_store *s, hc_arena *a, const char *id, struct hc_key *out, hc_err *err)
{
    return find(s, a, id, out, err);
}

int hc_key_list(hc_store *s, hc_arena *a, bool active_only, const char *cursor, int limit,
                struct hc_key **items, size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(limit > 0);
    int64_t cur_at = INT64_MAX;
    const char *cur_id = "";
    if (cursor && *cursor) { /* "<created_at>.<id>" of the last key of the page before */
        const char *dot = strchr(cursor, '.');
        char num[24];
        if (dot == NULL || (size_t)(dot - cursor) >= sizeof(num) ||
            strlen(dot + 1) > HC_KEY_ID_MAX)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        memcpy(num, cursor, (size_t)(dot - cursor));
        num[dot - cursor] = '\0';
        if (hc_parse_i64(num, 0, INT64_MAX, &cur_at) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        cur_id = dot + 1;
    }
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT " KEY_COLS " FROM api_keys WHERE (created_at < ? OR (created_at = ? AND"
             " id < ?))%s ORDER BY created_at DESC, id DESC LIMIT %d",
             active_only ? " AND revoked_at IS NULL" : "", limit + 1);
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, sql, "iis", cur_at, cur_at,
                            cur_id);
    if (rc != HC_OK)
        return rc;
    struct hc_key *out = hc_arena_alloc(a, sizeof(*out) * (size_t)(limit + 1));
    size_t k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)limit + 1)
        read_row(q, a, 0, &out[k++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = hc_arena_printf(a, "%lld.%s", (long long)out[k - 1].created_at, out[k - 1].id);
    }
    *items = out;
    *n = k;
    return HC_OK;
}

int hc_key_revoke(hc_store *s, hc_arena *a, const char *id_or_name, struct hc_key *out,
                  hc_err *err)
{
    int rc = find(s, a, id_or_name, out, err);
    if (rc != HC_OK || out->revoked_at)
        return rc;
    int64_t now = hc_now_ms();
    rc = hc_store_run(s, err, NULL,
                      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                      "is", now, out->id);
    if (rc == HC_OK)
        out->revoked_at = now;
    return rc;
}

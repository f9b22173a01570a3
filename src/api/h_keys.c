/* h_keys.c: API keys for admins: make, list, read, revoke (src/auth does the
 * work). A new key's text is in the 201 answer only: it is never stored, so
 * POST /v1/keys takes no Idempotency-Key (a replay would have to keep it). */
#include "internal.h"

#include <string.h>

static json_t *render_key(const struct hc_key *k)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id", k->id, "name", k->name, "role",
                     k->role, "seller", j_str_or_null(k->seller), "warehouse",
                     j_str_or_null(k->warehouse), "created_at", j_time(k->created_at),
                     "revoked_at", k->revoked_at ? j_time(k->revoked_at) : json_null());
}

struct key_ctx {
    struct hc_key k;
    char text[HC_KEY_TEXT_MAX];
    const char *id;
    hc_arena *arena;
};

static int key_create_job(hc_store *s, void *ctx, hc_err *err)
{
    struct key_ctx *c = ctx;
    return hc_key_create(s, c->arena, &c->k, c->text, err);
}

static int key_create_render(struct req *r)
{
    struct key_ctx *c = r->ctx;
    json_t *o = render_key(&c->k);
    json_object_set_new(o, "key", json_string(c->text));
    explicit_bzero(c->text, sizeof(c->text));
    return api_reply(r, 201, o);
}

int h_key_create(struct req *r)
{
    if (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key")) {
        hc_err_set(&r->err, HC_EINVAL, "Idempotency-Key",
                   "is not taken here: a key is shown once and never stored, so an answer "
                   "cannot be replayed");
        return api_fail(r);
    }
    json_t *b;
    struct key_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->arena = r->arena;
    if (jv_body(r, &b) || jv_str(r, b, "", "name", false, &c->k.name) ||
        jv_str(r, b, "", "role", true, &c->k.role) ||
        jv_str(r, b, "", "seller", false, &c->k.seller) ||
        jv_str(r, b, "", "warehouse", false, &c->k.warehouse))
        return api_fail(r);
    if (hc_key_validate(&c->k, &r->err))
        return api_fail(r);
    return api_write(r, key_create_job, key_create_render, c);
}

int h_key_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    bool active;
    if (api_query_bool(r, "active", false, &active))
        return api_fail(r);
    struct hc_key *items;
    size_t n;
    const char *next;
    if (hc_key_list(st, r->arena, active, pg.cursor, pg.limit, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_key(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

int h_key_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_key k;
    if (st == NULL || hc_key_get(st, r->arena, r->params[0], &k, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_key(&k));
}

static int key_revoke_job(hc_store *s, void *ctx, hc_err *err)
{
    struct key_ctx *c = ctx;
    return hc_key_revoke(s, c->arena, c->id, &c->k, err);
}

static int key_revoke_render(struct req *r)
{
    struct key_ctx *c = r->ctx;
    return api_reply(r, 200, render_key(&c->k));
}

int h_key_revoke(struct req *r)
{
    json_t *b;
    if (r->body.n > 0 && jv_body(r, &b))
        return api_fail(r);
    struct key_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->arena = r->arena;
    c->id = r->params[0];
    return api_write(r, key_revoke_job, key_revoke_render, c);
}

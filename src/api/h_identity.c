/* h_identity.c: a seller's legal identity (issue 13, part 1), its history and
 * the identity valid at a past time. The domain is src/compliance/identity.c;
 * the number rules src/compliance/checkdigits.c. A seller reads and records
 * only its own; an operator reads those of sellers that have (had) stock in
 * its warehouse; an admin does both for all. Any other: 404, as if absent. */
#include "internal.h"

#include "h_identity.h"

#include "compliance/compliance.h"
#include "finance/finance.h"

#include <stdio.h>
#include <string.h>

static const char *const top_fields[] = {"legal_name_zh",      "legal_name_en", "uscc",
                                         "customs_code",       "registered_address",
                                         "contact",            "markets",       NULL};
static const char *const contact_fields[] = {"name", "phone", "email", NULL};
static const char *const market_fields[] = {"eori", "vat", "ioss", "ioss_intermediary", "ior",
                                            NULL};

/* ---- rendering ------------------------------------------------------------------- */

static void set_if(json_t *o, const char *key, const char *v)
{
    if (v && *v)
        json_object_set_new(o, key, json_string(v));
}

static json_t *render_checks(const struct hc_identity *id)
{
    struct hc_identity_check c[2 + 5 * HC_IDENTITY_MARKETS_MAX];
    size_t n = hc_identity_checks(id, c, HC_ARRAY_LEN(c));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:o}", "field", c[i].field,
                                             "value", c[i].value, "rule", c[i].rule, "valid",
                                             c[i].problem == NULL, "problem",
                                             j_str_or_null(c[i].problem)));
    return arr;
}

static json_t *render_identity(const struct hc_identity *id)
{
    json_t *markets = json_object();
    for (size_t i = 0; i < id->nmarkets; i++) {
        const struct hc_identity_market *m = &id->markets[i];
        json_t *o = json_object();
        set_if(o, "eori", m->eori);
        set_if(o, "vat", m->vat);
        set_if(o, "ioss", m->ioss);
        set_if(o, "ioss_intermediary", m->ioss_intermediary);
        set_if(o, "ior", m->ior);
        json_object_set_new(markets, m->country, o);
    }
    return json_pack("{s:s,s:I,s:s,s:s,s:s,s:o,s:s,s:{s:o,s:o,s:o},s:o,s:o,s:s,s:o}", "seller",
                     id->seller, "version", (json_int_t)id->version, "legal_name_zh",
                     id->legal_name_zh, "legal_name_en", id->legal_name_en, "uscc", id->uscc,
                     "customs_code", j_str_or_null(id->customs_code), "registered_address",
                     id->registered_address, "contact", "name", j_str_or_null(id->contact_name),
                     "phone", j_str_or_null(id->contact_phone), "email",
                     j_str_or_null(id->contact_email), "markets", markets, "recorded_at",
                     j_time(id->recorded_at), "recorded_by", id->recorded_by, "checks",
                     render_checks(id));
}

/* ---- GET /v1/sellers/{code}/identity ------------------------------------------------ */

/* May the caller read this seller's identity? Otherwise r->err is a 404 naming
 * seller (or the store's error). */
static bool may_read(struct req *r, hc_store *st, const char *seller)
{
    bool uses = true;
    if (r->who.role == ROLE_OPERATOR &&
        hc_wallet_seller_uses(st, seller, r->who.warehouse, &uses, &r->err) != HC_OK)
        return false;
    if (api_may_seller(r, seller) && uses)
        return true;
    hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no seller %s", seller);
    return false;
}

static int at_param(struct req *r, int64_t *ms)
{
    const char *v = api_query(r, "at");
    *ms = 0;
    if (v && (hc_time_parse_iso(v, ms) != HC_OK || *ms <= 0))
        return hc_err_set(&r->err, HC_EINVAL, "at",
                          "must be an ISO 8601 UTC time (a date alone is its 00:00)");
    return HC_OK;
}

int h_identity_get(struct req *r)
{
    const char *seller = r->params[0];
    hc_store *st = api_reader(r);
    int64_t at;
    struct hc_identity id;
    if (st == NULL || !may_read(r, st, seller) || at_param(r, &at) ||
        hc_identity_get(st, r->arena, seller, at, &id, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_identity(&id));
}

/* ---- GET /v1/sellers/{code}/identity/history ----------------------------------------- */

int h_identity_history(struct req *r)
{
    const char *seller = r->params[0];
    struct hc_list_page pg;
    hc_store *st = api_reader(r);
    if (st == NULL || !may_read(r, st, seller) || api_page(r, &pg))
        return api_fail(r);
    int64_t before = 0, next = 0;
    if (pg.cursor && hc_parse_i64(pg.cursor, 2, INT64_MAX, &before) != HC_OK) {
        hc_err_set(&r->err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        return api_fail(r);
    }
    struct hc_identity *items;
    size_t n;
    if (hc_identity_history(st, r->arena, seller, before, (size_t)pg.limit, &items, &n, &next,
                            &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_identity(&items[i]));
    return api_reply(r, 200,
                     j_page(arr, next ? hc_arena_printf(r->arena, "%lld", (long long)next) : NULL));
}

/* ---- PUT /v1/sellers/{code}/identity ------------------------------------------------ */

/* A 400 naming the first key of obj that is not in known. */
static int only_fields(struct req *r, json_t *obj, const char *prefix, const char *const *known)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        bool ok = false;
        for (const char *const *f = known; *f && !ok; f++)
            ok = strcmp(*f, k) == 0;
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, j_safe(r, k, 64)),
                              "is not a field of a seller identity");
    }
    return HC_OK;
}

static int parse_market(struct req *r, const char *cc, json_t *o, struct hc_identity_market *m)
{
    const char *prefix = hc_arena_printf(r->arena, "markets.%s", cc);
    if (!json_is_object(o))
        return hc_err_set(&r->err, HC_EINVAL, prefix, "must be an object");
    m->country = cc;
    if (only_fields(r, o, prefix, market_fields) ||
        jv_str(r, o, prefix, "eori", false, &m->eori) ||
        jv_str(r, o, prefix, "vat", false, &m->vat) ||
        jv_str(r, o, prefix, "ioss", false, &m->ioss) ||
        jv_str(r, o, prefix, "ioss_intermediary", false, &m->ioss_intermediary) ||
        jv_str(r, o, prefix, "ior", false, &m->ior))
        return r->err.code;
    return HC_OK;
}

static int parse_markets(struct req *r, json_t *b, struct hc_identity *id)
{
    json_t *markets, *v;
    const char *cc;
    if (jv_object(r, b, "", "markets", false, &markets))
        return r->err.code;
    if (markets == NULL)
        return HC_OK;
    if (json_object_size(markets) > HC_IDENTITY_MARKETS_MAX)
        return hc_err_set(&r->err, HC_EINVAL, "markets", "at most %d markets",
                          HC_IDENTITY_MARKETS_MAX);
    json_object_foreach(markets, cc, v)
    {
        if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
            return hc_err_set(&r->err, HC_EINVAL, "markets",
                              "%s is not an ISO 3166-1 alpha-2 country code", j_safe(r, cc, 16));
        if (parse_market(r, hc_arena_strdup(r->arena, cc), v, &id->markets[id->nmarkets++]))
            return r->err.code;
    }
    return HC_OK;
}

static int parse_identity(struct req *r, json_t *b, struct hc_identity *id)
{
    json_t *contact = NULL;
    if (only_fields(r, b, "", top_fields) ||
        jv_str(r, b, "", "legal_name_zh", true, &id->legal_name_zh) ||
        jv_str(r, b, "", "legal_name_en", true, &id->legal_name_en) ||
        jv_str(r, b, "", "uscc", true, &id->uscc) ||
        jv_str(r, b, "", "customs_code", false, &id->customs_code) ||
        jv_str(r, b, "", "registered_address", true, &id->registered_address) ||
        jv_object(r, b, "", "contact", false, &contact))
        return r->err.code;
    if (contact && (only_fields(r, contact, "contact", contact_fields) ||
                    jv_str(r, contact, "contact", "name", false, &id->contact_name) ||
                    jv_str(r, contact, "contact", "phone", false, &id->contact_phone) ||
                    jv_str(r, contact, "contact", "email", false, &id->contact_email)))
        return r->err.code;
    return parse_markets(r, b, id);
}

struct identity_put {
    struct hc_identity id;
    hc_arena *arena;
    bool changed;
};

static int identity_job(hc_store *s, void *ctx, hc_err *err)
{
    struct identity_put *p = ctx;
    return hc_identity_record(s, p->arena, &p->id, &p->changed, err);
}

static int identity_render(struct req *r)
{
    struct identity_put *p = r->ctx;
    json_t *o = render_identity(&p->id);
    json_object_set_new(o, "changed", json_boolean(p->changed));
    return api_reply(r, p->changed ? 201 : 200, o);
}

int h_identity_put(struct req *r)
{
    const char *seller = r->params[0];
    json_t *b;
    struct identity_put *p = hc_arena_alloc(r->arena, sizeof(*p));
    if (!api_may_seller(r, seller)) {
        hc_err_set(&r->err, HC_ENOTFOUND, "seller", "no seller %s", seller);
        return api_fail(r);
    }
    if (jv_body(r, &b) || parse_identity(r, b, &p->id) || hc_identity_validate(&p->id, &r->err))
        return api_fail(r);
    p->arena = r->arena;
    p->id.seller = seller;
    p->id.recorded_at = hc_now_ms();
    p->id.recorded_by = hc_arena_strdup(r->arena, api_actor(r));
    return api_write(r, identity_job, identity_render, p);
}

/* h_brands.c: brands, trademarks and authorisations; packaging data per SKU
 * unit; the brand report (infringement inquiry) and the EPR report.
 *
 * Tenancy: brand and packaging data are the seller's: an admin or the
 * seller's own key writes them; an operator reads them for sellers with
 * stock (had) in its warehouse. The brand report answers an authority's or
 * a rights holder's inquiry about every seller: admins see all, an operator
 * its warehouse's rows; sellers are refused (403). The EPR report: a
 * seller its own, an operator its warehouse's shipments, an admin any. */
#include "internal.h"
#include "h_transfers.h"

#include "compliance/compliance.h"
#include "finance/finance.h"
#include "render/render.h"

#include <stdio.h>
#include <string.h>

#define DOC_MAX ((size_t)1 << 28)

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* A body field the route does not take is a 400 naming it. */
static int only_fields(struct req *r, json_t *b, const char *prefix, const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v)
    {
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, key) == 0;
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                              "is not a field of this request");
    }
    return HC_OK;
}

/* May the caller read seller's brand data? An operator: when the seller
 * has (had) stock in its warehouse. */
static bool may_read(struct req *r, hc_store *st, const char *seller)
{
    if (!api_may_seller(r, seller))
        return false;
    if (r->who.role != ROLE_OPERATOR)
        return true;
    bool uses = false;
    return hc_wallet_seller_uses(st, seller, r->who.warehouse, &uses, &r->err) == HC_OK && uses;
}

/* A list of brand data: the reader, the page and the seller whose rows the
 * caller may read (NULL: every seller's, for an admin). False when the answer
 * is set already: an error, or an empty page for data the caller may not read. */
static bool list_scope(struct req *r, hc_store **st, struct hc_list_page *pg, const char **seller)
{
    *st = api_reader(r);
    if (*st == NULL || api_page(r, pg))
        return api_fail(r), false;
    *seller = api_query(r, "seller");
    if (!api_scope(r, seller, NULL))
        return api_reply(r, 200, j_page(json_array(), NULL)), false;
    if (r->who.role == ROLE_OPERATOR && (*seller == NULL || !may_read(r, *st, *seller))) {
        if (r->err.code)
            api_fail(r);
        else
            api_reply(r, 200, j_page(json_array(), NULL));
        return false;
    }
    return true;
}

static int not_found(struct req *r, const char *field, const char *what)
{
    if (r->err.code)
        return api_fail(r);
    return fail_field(r, HC_ENOTFOUND, field, what);
}

static void today(char day[11])
{
    hc_day_of(hc_now_ms(), day, 11);
}

/* Nice classes as an array of integers 1..45 (empty: optional_all). */
static int parse_classes(struct req *r, json_t *b, bool required, uint64_t *mask)
{
    json_t *arr = json_object_get(b, "classes");
    *mask = 0;
    if ((arr == NULL || json_is_null(arr)) && !required)
        return HC_OK;
    if (jv_array(r, b, "", "classes", 45, &arr))
        return r->err.code;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        json_int_t c = json_is_integer(v) ? json_integer_value(v) : 0;
        if (c < 1 || c > 45)
            return hc_err_set(&r->err, HC_EINVAL, hc_arena_printf(r->arena, "classes[%zu]", i),
                              "must be a Nice class 1..45");
        *mask |= 1ULL << c;
    }
    if (required && *mask == 0)
        return hc_err_set(&r->err, HC_EINVAL, "classes", "must name at least one Nice class");
    return HC_OK;
}

static json_t *classes_json(uint64_t mask)
{
    json_t *a = json_array();
    for (int c = 1; c <= 45; c++)
        if (mask & (1ULL << c))
            json_array_append_new(a, json_integer(c));
    return a;
}

static json_t *markets_json(const char *markets)
{
    json_t *a = json_array();
    for (const char *p = markets; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p = comma ? comma + 1 : NULL;
    }
    return a;
}

/* ---- brands ---------------------------------------------------------------------------- */

static json_t *render_brand_head(const struct hc_brand *b)
{
    return json_pack("{s:s,s:s,s:s,s:b,s:o,s:o}", "seller", b->seller, "name", b->name, "owner",
                     b->owner, "seller_is_owner", b->seller_is_owner, "created_at",
                     j_time(b->created_at), "updated_at", j_time(b->updated_at));
}

static json_t *render_trademark(const struct hc_trademark *t, const char *day)
{
    return json_pack("{s:s,s:s,s:o,s:s,s:b}", "office", t->office, "number", t->number,
                     "classes", classes_json(t->classes), "valid_until", t->valid_until,
                     "expired", strcmp(t->valid_until, day) < 0);
}

static json_t *render_auth(const struct hc_brand_auth *x, const char *day)
{
    const char *state = strcmp(day, x->valid_from) < 0    ? "not_yet_valid"
                        : strcmp(x->valid_until, day) < 0 ? "expired"
                                                          : "valid";
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:o}", "id", x->id, "document_ref",
                     x->document_ref, "markets", markets_json(x->markets), "classes",
                     classes_json(x->classes), "valid_from", x->valid_from, "valid_until",
                     x->valid_until, "state", state, "created_at", j_time(x->created_at));
}

/* A brand's standing today on its JSON: standing, authorised_until, flagged. */
static void set_standing(json_t *o, int standing, const char *until)
{
    json_object_set_new(o, "standing", json_string(hc_brand_standing_name(standing)));
    json_object_set_new(o, "authorised_until", j_str_or_null(until[0] ? until : NULL));
    json_object_set_new(o, "flagged", json_boolean(hc_brand_standing_blocks(standing)));
}

/* The brand with its registrations, authorisations and standing today. */
static int brand_json(hc_store *st, hc_arena *a, const struct hc_brand *b, json_t **out,
                      hc_err *err)
{
    char day[11], until[11];
    today(day);
    struct hc_trademark *tms;
    struct hc_brand_auth *auths;
    size_t ntm, nau;
    int standing;
    int rc = hc_trademark_list(st, a, b->seller, b->name, &tms, &ntm, err);
    if (rc == HC_OK)
        rc = hc_brand_auth_list(st, a, b->seller, b->name, &auths, &nau, err);
    if (rc == HC_OK)
        rc = hc_brand_standing(st, b->seller, b->name, NULL, day, &standing, until, err);
    if (rc != HC_OK)
        return rc;
    json_t *o = render_brand_head(b), *jt = json_array(), *ja = json_array();
    for (size_t i = 0; i < ntm; i++)
        json_array_append_new(jt, render_trademark(&tms[i], day));
    for (size_t i = 0; i < nau; i++)
        json_array_append_new(ja, render_auth(&auths[i], day));
    json_object_set_new(o, "trademarks", jt);
    json_object_set_new(o, "authorisations", ja);
    set_standing(o, standing, until);
    *out = o;
    return HC_OK;
}

/* A write on one brand answers the brand as it is after the write; the
 * answer is built in the writer (the same transaction). */
struct brand_ctx {
    struct hc_brand b;
    struct hc_trademark t;
    struct hc_brand_auth au;
    char au_id[32];
    bool created;
    int released;
    hc_arena *arena;
    char *answer; /* the brand as JSON text */
};

static int answer_brand(hc_store *s, struct brand_ctx *c, const char *seller, const char *name,
                        hc_err *err)
{
    struct hc_brand b;
    json_t *o = NULL;
    int rc = hc_brand_get(s, c->arena, seller, name, &b, err);
    if (rc == HC_OK)
        rc = brand_json(s, c->arena, &b, &o, err);
    if (rc == HC_OK) {
        if (c->au_id[0])
            json_object_set_new(o, "authorisation", json_string(c->au_id));
        json_object_set_new(o, "released_orders", json_integer(c->released));
        char *text = json_dumps(o, JSON_COMPACT);
        c->answer = hc_arena_strdup(c->arena, text);
        free(text);
    }
    json_decref(o);
    return rc;
}

static int brand_render(struct req *r)
{
    struct brand_ctx *c = r->ctx;
    json_t *o = json_loads(c->answer, 0, NULL);
    return api_reply(r, c->created ? 201 : 200, o);
}

/* Orders held for compliance of the seller are checked again (the gate). */
static int recheck(hc_store *s, struct brand_ctx *c, const char *seller, const char *actor,
                   hc_err *err)
{
    return api_recheck_all(s, c->arena, seller, actor, &c->released, err);
}

/* What every write on a brand does after its own (rc): the seller's held
 * orders checked again (when actor is given: the write may release them),
 * then the answer. */
static int after_write(hc_store *s, struct brand_ctx *c, int rc, const char *seller,
                       const char *brand, const char *actor, hc_err *err)
{
    c->released = 0;
    if (rc == HC_OK && actor)
        rc = recheck(s, c, seller, actor, err);
    if (rc == HC_OK)
        rc = answer_brand(s, c, seller, brand, err);
    return rc;
}

static int brand_put_job(hc_store *s, void *ctx, hc_err *err)
{
    struct brand_ctx *c = ctx;
    int rc = hc_brand_put(s, &c->b, &c->created, err);
    return after_write(s, c, rc, c->b.seller, c->b.name, c->b.actor, err);
}

static struct brand_ctx *brand_ctx_new(struct req *r)
{
    struct brand_ctx *c = hc_arena_alloc(r->arena, sizeof(*c)); /* zeroed */
    c->arena = r->arena;
    return c;
}

int h_brand_create(struct req *r)
{
    static const char *const known[] = {"seller", "name", "owner", "seller_is_owner", NULL};
    json_t *b;
    struct brand_ctx *c = brand_ctx_new(r);
    c->b.actor = api_actor(r);
    if (jv_body(r, &b) || only_fields(r, b, "", known) ||
        jv_str(r, b, "", "seller", true, &c->b.seller) ||
        jv_str(r, b, "", "name", true, &c->b.name) ||
        jv_str(r, b, "", "owner", true, &c->b.owner) ||
        jv_bool(r, b, "", "seller_is_owner", false, &c->b.seller_is_owner) ||
        hc_brand_validate(&c->b, &r->err))
        return api_fail(r);
    if (!api_may_seller(r, c->b.seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    return api_write(r, brand_put_job, brand_render, c);
}

static json_t *render_brand_row(const struct hc_brand *b)
{
    return render_brand_head(b);
}

int h_brand_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st;
    const char *seller;
    if (!list_scope(r, &st, &pg, &seller))
        return HC_OK;
    struct hc_brand *items;
    size_t n;
    const char *next;
    if (hc_brand_list(st, r->arena, seller, pg.cursor, pg.limit, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    char day[11];
    today(day);
    for (size_t i = 0; i < n; i++) {
        json_t *o = render_brand_row(&items[i]);
        char until[11];
        int standing;
        if (hc_brand_standing(st, items[i].seller, items[i].name, NULL, day, &standing, until,
                              &r->err)) {
            json_decref(o);
            json_decref(arr);
            return api_fail(r);
        }
        set_standing(o, standing, until);
        json_array_append_new(arr, o);
    }
    return api_reply(r, 200, j_page(arr, next));
}

int h_brand_get(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!may_read(r, st, r->params[0]))
        return not_found(r, "seller", "no such seller");
    struct hc_brand b;
    json_t *o;
    if (hc_brand_get(st, r->arena, r->params[0], r->params[1], &b, &r->err) ||
        brand_json(st, r->arena, &b, &o, &r->err))
        return api_fail(r);
    return api_reply(r, 200, o);
}

static int trademark_job(hc_store *s, void *ctx, hc_err *err)
{
    struct brand_ctx *c = ctx;
    c->created = true; /* a registration alone releases no order: no recheck */
    return after_write(s, c, hc_trademark_put(s, &c->t, err), c->t.seller, c->t.brand, NULL, err);
}

int h_trademark_create(struct req *r)
{
    static const char *const known[] = {"office", "number", "classes", "valid_until", NULL};
    json_t *b;
    struct brand_ctx *c = brand_ctx_new(r);
    c->t = (struct hc_trademark){.seller = r->params[0], .brand = r->params[1],
                                 .actor = api_actor(r)};
    if (!api_may_seller(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (jv_body(r, &b) || only_fields(r, b, "", known) ||
        jv_str(r, b, "", "office", true, &c->t.office) ||
        jv_str(r, b, "", "number", true, &c->t.number) || parse_classes(r, b, true, &c->t.classes) ||
        jv_str(r, b, "", "valid_until", true, &c->t.valid_until) ||
        hc_trademark_validate(&c->t, &r->err))
        return api_fail(r);
    return api_write(r, trademark_job, brand_render, c);
}

static int auth_job(hc_store *s, void *ctx, hc_err *err)
{
    struct brand_ctx *c = ctx;
    c->created = true;
    int rc = hc_brand_auth_add(s, &c->au, c->au_id, sizeof(c->au_id), err);
    return after_write(s, c, rc, c->au.seller, c->au.brand, c->au.actor, err);
}

/* markets as an array of codes into "DE,FR" (none: every market). */
static int parse_markets(struct req *r, json_t *b, const char **out)
{
    json_t *arr = json_object_get(b, "markets");
    *out = "";
    if (arr == NULL || json_is_null(arr))
        return HC_OK;
    if (jv_array(r, b, "", "markets", HC_AUTH_MARKETS_MAX, &arr))
        return r->err.code;
    hc_buf list;
    hc_buf_init(&list, 4 * HC_AUTH_MARKETS_MAX + 1);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *m;
        const char *f = hc_arena_printf(r->arena, "markets[%zu]", i);
        if (jv_item_str(r, arr, "markets", i, &m) || hc_markets_check(m, f, &r->err) ||
            strchr(m, ',')) {
            hc_buf_free(&list);
            return r->err.code ? r->err.code
                               : hc_err_set(&r->err, HC_EINVAL, f, "one market per element");
        }
        hc_buf_printf(&list, "%s%s", i ? "," : "", m);
    }
    *out = hc_arena_strdup(r->arena, list.p ? list.p : "");
    hc_buf_free(&list);
    return HC_OK;
}

int h_auth_create(struct req *r)
{
    static const char *const known[] = {"document_ref", "markets", "classes", "valid_from",
                                        "valid_until", NULL};
    json_t *b;
    struct brand_ctx *c = brand_ctx_new(r);
    c->au = (struct hc_brand_auth){.seller = r->params[0], .brand = r->params[1],
                                   .actor = api_actor(r)};
    if (!api_may_seller(r, r->params[0]))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (jv_body(r, &b) || only_fields(r, b, "", known) ||
        jv_str(r, b, "", "document_ref", true, &c->au.document_ref) ||
        parse_markets(r, b, &c->au.markets) || parse_classes(r, b, false, &c->au.classes) ||
        jv_str(r, b, "", "valid_from", true, &c->au.valid_from) ||
        jv_str(r, b, "", "valid_until", true, &c->au.valid_until) ||
        hc_brand_auth_validate(&c->au, &r->err))
        return api_fail(r);
    return api_write(r, auth_job, brand_render, c);
}

/* GET /v1/compliance/brand-skus: SKUs of recorded brands the seller does not
 * own, with their standing today (flagged=false: all of them). */
int h_brand_skus(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st;
    const char *seller;
    bool flagged;
    if (api_query_bool(r, "flagged", true, &flagged))
        return api_fail(r);
    if (!list_scope(r, &st, &pg, &seller))
        return HC_OK;
    char day[11];
    today(day);
    struct hc_brand_sku *items;
    size_t n;
    const char *next;
    if (hc_brand_skus(st, r->arena, seller, day, flagged,
                      pg.cursor, pg.limit, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s}", "seller", items[i].seller, "sku",
                           items[i].sku, "name", items[i].name, "brand", items[i].brand,
                           "standing", hc_brand_standing_name(items[i].standing),
                           "authorised_until",
                           j_str_or_null(items[i].until[0] ? items[i].until : NULL), "flagged",
                           hc_brand_standing_blocks(items[i].standing), "item",
                           hc_arena_printf(r->arena, "skus[%s]." HC_BRAND_ITEM, items[i].sku)));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- packaging ------------------------------------------------------------------------- */

static json_t *render_packaging(const struct hc_packaging *p)
{
    char g[40];
    json_t *mats = json_object();
    for (int m = 0; m < HC_MATERIALS; m++) {
        hc_mass_format(p->mg[m], g, sizeof(g));
        json_object_set_new(mats, hc_material_name(m), json_string(g));
    }
    hc_mass_format(hc_packaging_unit_mg(p), g, sizeof(g));
    json_t *o = json_pack("{s:s,s:s,s:o,s:s}", "seller", p->seller, "sku", p->sku, "packaging",
                          mats, "packaging_total_g", g);
    if (p->battery[0]) {
        hc_mass_format(p->battery_mg, g, sizeof(g));
        json_object_set_new(o, "battery",
                            json_pack("{s:s,s:s}", "category", p->battery, "weight_g", g));
    } else {
        json_object_set_new(o, "battery", json_null());
    }
    if (p->eee_category) {
        hc_mass_format(p->eee_mg, g, sizeof(g));
        json_object_set_new(o, "eee",
                            json_pack("{s:i,s:s,s:s}", "category", p->eee_category, "name",
                                      hc_eee_category_name(p->eee_category), "weight_g", g));
    } else {
        json_object_set_new(o, "eee", json_null());
    }
    json_object_set_new(o, "updated_at", j_time(p->updated_at));
    return o;
}

struct pack_ctx {
    struct hc_packaging p;
    bool created;
};

static int pack_job(hc_store *s, void *ctx, hc_err *err)
{
    struct pack_ctx *c = ctx;
    c->p.updated_at = hc_now_ms();
    return hc_packaging_put(s, &c->p, &c->created, err);
}

static int pack_render(struct req *r)
{
    struct pack_ctx *c = r->ctx;
    return api_reply(r, c->created ? 201 : 200, render_packaging(&c->p));
}

static int parse_mass(struct req *r, json_t *obj, const char *prefix, const char *key,
                      bool required, int64_t *mg)
{
    const char *v;
    *mg = 0;
    if (jv_str(r, obj, prefix, key, required, &v))
        return r->err.code;
    return v ? hc_mass_parse(v, jv_field(r, prefix, key), mg, &r->err) : HC_OK;
}

static int parse_materials(struct req *r, json_t *b, struct hc_packaging *p)
{
    static const char *const known[] = {"paper", "plastic", "glass", "aluminium", "ferrous",
                                        "wood", "composite", "other", NULL};
    json_t *m;
    if (jv_object(r, b, "", "packaging", true, &m) || only_fields(r, m, "packaging", known))
        return r->err.code;
    for (int i = 0; i < HC_MATERIALS; i++)
        if (parse_mass(r, m, "packaging", hc_material_name(i), false, &p->mg[i]))
            return r->err.code;
    return HC_OK;
}

static int parse_battery_eee(struct req *r, json_t *b, struct hc_packaging *p)
{
    static const char *const kb[] = {"category", "weight_g", NULL};
    json_t *bat, *eee;
    p->battery = "";
    if (jv_object(r, b, "", "battery", false, &bat) || jv_object(r, b, "", "eee", false, &eee))
        return r->err.code;
    if (bat && (only_fields(r, bat, "battery", kb) ||
                jv_str(r, bat, "battery", "category", true, &p->battery) ||
                parse_mass(r, bat, "battery", "weight_g", true, &p->battery_mg)))
        return r->err.code;
    int64_t cat = 0;
    if (eee && (only_fields(r, eee, "eee", kb) ||
                jv_int(r, eee, "eee", "category", true, 1, HC_EEE_CATEGORIES, &cat) ||
                parse_mass(r, eee, "eee", "weight_g", true, &p->eee_mg)))
        return r->err.code;
    p->eee_category = (int)cat;
    return HC_OK;
}

int h_packaging_put(struct req *r)
{
    static const char *const known[] = {"packaging", "battery", "eee", NULL};
    json_t *b;
    struct pack_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->p.seller = r->params[0];
    c->p.sku = r->params[1];
    c->p.actor = api_actor(r);
    if (!api_may_seller(r, c->p.seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (jv_body(r, &b) || only_fields(r, b, "", known) || parse_materials(r, b, &c->p) ||
        parse_battery_eee(r, b, &c->p) || hc_packaging_validate(&c->p, &r->err))
        return api_fail(r);
    return api_write(r, pack_job, pack_render, c);
}

int h_packaging_get(struct req *r)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    if (!may_read(r, st, r->params[0]))
        return not_found(r, "seller", "no such seller");
    struct hc_packaging p;
    if (hc_packaging_get(st, r->arena, r->params[0], r->params[1], &p, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_packaging(&p));
}

int h_packaging_list(struct req *r)
{
    struct hc_list_page pg;
    hc_store *st;
    const char *seller;
    if (!list_scope(r, &st, &pg, &seller))
        return HC_OK;
    struct hc_packaging *items;
    size_t n;
    const char *next;
    if (hc_packaging_list(st, r->arena, seller, pg.cursor, pg.limit, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_packaging(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- reports --------------------------------------------------------------------------- */

enum fmt { F_JSON, F_XLSX, F_CSV };

static int format_lang(struct req *r, enum fmt *f, const char **lang)
{
    const char *fs = api_query(r, "format"), *l = api_query(r, "lang");
    *f = F_JSON;
    *lang = "en";
    if (fs && strcmp(fs, "xlsx") == 0)
        *f = F_XLSX;
    else if (fs && strcmp(fs, "csv") == 0)
        *f = F_CSV;
    else if (fs && strcmp(fs, "json") != 0)
        return hc_err_set(&r->err, HC_EINVAL, "format", "must be json, csv or xlsx");
    if (l && strcmp(l, "zh") != 0 && strcmp(l, "en") != 0)
        return hc_err_set(&r->err, HC_EINVAL, "lang", "must be zh or en");
    if (l)
        *lang = l;
    return HC_OK;
}

static int reply_doc(struct req *r, const struct hc_doc *d, enum fmt f)
{
    hc_buf b;
    hc_buf_init(&b, DOC_MAX);
    int rc = f == F_XLSX ? hc_render_xlsx(d, &b, &r->err) : hc_render_csv(d, &b, &r->err);
    if (rc == HC_OK && b.p == NULL)
        rc = hc_err_set(&r->err, HC_EINTERNAL, "", "empty document");
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return api_fail(r);
    }
    return api_reply_bytes(r, &b,
                           f == F_XLSX
                               ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "text/csv; charset=utf-8");
}

static json_t *opt_time(int64_t ms)
{
    return ms ? j_time(ms) : json_null();
}

static json_t *render_brand_report(const struct hc_brand_report *rep)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < rep->n; i++) {
        const struct hc_brand_report_row *x = &rep->rows[i];
        json_t *who = json_pack("{s:s,s:s,s:s,s:o,s:o}", "code", x->seller, "name",
                                x->seller_name, "country", x->seller_country, "uscc",
                                j_str_or_null(x->seller_uscc[0] ? x->seller_uscc : NULL),
                                "customs_code",
                                j_str_or_null(x->seller_customs_code[0] ? x->seller_customs_code
                                                                        : NULL));
        if (who && x->identity_version) {
            json_object_set_new(who, "legal_name_en", json_string(x->legal_name_en));
            json_object_set_new(who, "registered_address", json_string(x->registered_address));
        }
        if (who) /* which version: null when none was recorded by then (the seller record) */
            json_object_set_new(who, "identity_version",
                                x->identity_version ? json_integer(x->identity_version)
                                                    : json_null());
        json_array_append_new(
            rows, json_pack("{s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:I,s:I,s:I,s:I}", "seller",
                            x->seller, "seller_identity", who, "warehouse", x->warehouse, "sku",
                            x->sku, "sku_name", x->sku_name, "first_received_at",
                            opt_time(x->first_received_at), "last_move_at",
                            opt_time(x->last_move_at), "last_held_at", opt_time(x->last_held_at),
                            "held_now", x->on_hand > 0, "received", (json_int_t)x->received,
                            "sold", (json_int_t)x->sold, "returned", (json_int_t)x->returned,
                            "on_hand", (json_int_t)x->on_hand));
    }
    return json_pack("{s:s,s:o,s:o,s:o,s:I,s:I,s:o}", "brand", rep->brand, "seller",
                     j_str_or_null(rep->seller), "warehouse", j_str_or_null(rep->warehouse),
                     "made_at", j_time(rep->made_at), "skus", (json_int_t)rep->skus,
                     "journal_rows", (json_int_t)rep->journal_rows, "items", rows);
}

/* Reports are read on a planner thread: a brand with millions of moves
 * takes a second or two, not for an HTTP thread. */
struct report_job {
    const char *brand, *seller, *warehouse, *country, *lang;
    int64_t from_ms, to_ms;
    enum fmt f;
};

static void brand_report_work(struct req *r)
{
    struct report_job *j = r->ctx;
    hc_store *st = api_reader(r);
    struct hc_brand_report rep;
    struct hc_doc d;
    if (st == NULL ||
        hc_brand_report(st, r->arena, j->brand, j->seller, j->warehouse, &rep, &r->err))
        api_fail(r);
    else if (j->f == F_JSON)
        api_reply(r, 200, render_brand_report(&rep));
    else if (hc_brand_report_doc(r->arena, &rep, j->lang, &d) == HC_OK)
        reply_doc(r, &d, j->f);
    else
        api_fail(r);
}

int h_brand_report(struct req *r)
{
    struct report_job *j = hc_arena_alloc(r->arena, sizeof(*j));
    j->brand = api_query(r, "brand");
    j->seller = api_query(r, "seller");
    j->warehouse = api_query(r, "warehouse");
    if (format_lang(r, &j->f, &j->lang))
        return api_fail(r);
    if (j->brand == NULL || *j->brand == '\0')
        return fail_field(r, HC_EINVAL, "brand", "is required");
    if (hc_check_text(j->brand, "brand", HC_BRAND_MAX, false, &r->err))
        return api_fail(r);
    if (!api_scope(r, NULL, &j->warehouse))
        return fail_field(r, HC_ENOTFOUND, "warehouse", "no such warehouse");
    r->ctx = j;
    return api_offload(r, brand_report_work, 500);
}

static int period_param(struct req *r, const char *name, bool end, int64_t *ms)
{
    const char *v = api_query(r, name);
    if (v == NULL || *v == '\0')
        return hc_err_set(&r->err, HC_EINVAL, name, "is required (YYYY-MM-DD)");
    if (!hc_day_valid(v) || hc_time_parse_iso(v, ms) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, name, "must be a date YYYY-MM-DD");
    if (end)
        *ms += HC_DAY_MS; /* the last day counts whole */
    return HC_OK;
}

static json_t *render_epr(const struct hc_epr_report *rep)
{
    char g[40];
    json_t *streams[3] = {json_array(), json_array(), json_array()};
    for (size_t i = 0; i < rep->ntotals; i++) {
        const struct hc_epr_total *t = &rep->totals[i];
        hc_mass_format(t->mg, g, sizeof(g));
        json_t *o = json_pack("{s:s,s:s,s:I,s:s}", "country", t->country,
                              t->stream == HC_EPR_PACKAGING ? "material" : "category", t->what,
                              "units", (json_int_t)t->units, "grams", g);
        json_array_append_new(streams[t->stream], o);
    }
    json_t *lines = json_array(), *missing = json_array();
    for (size_t i = 0; i < rep->n; i++) {
        const struct hc_epr_row *x = &rep->rows[i];
        if (!x->has_data) {
            json_array_append_new(missing, json_pack("{s:s,s:s,s:s,s:I}", "country", x->country,
                                                     "seller", x->seller, "sku", x->sku, "units",
                                                     (json_int_t)x->units));
            continue;
        }
        json_t *mats = json_object();
        for (int m = 0; m < HC_MATERIALS; m++) {
            hc_mass_format(x->t.mg[m], g, sizeof(g));
            json_object_set_new(mats, hc_material_name(m), json_string(g));
        }
        json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:o}", "country", x->country, "seller", x->seller,
                              "sku", x->sku, "units", (json_int_t)x->units, "packaging_g", mats);
        hc_mass_format(x->t.battery_mg, g, sizeof(g));
        json_object_set_new(o, "battery",
                            x->battery[0] ? json_pack("{s:s,s:s}", "category", x->battery,
                                                      "grams", g)
                                          : json_null());
        hc_mass_format(x->t.eee_mg, g, sizeof(g));
        json_object_set_new(o, "eee",
                            x->eee_category ? json_pack("{s:i,s:s}", "category", x->eee_category,
                                                        "grams", g)
                                            : json_null());
        json_array_append_new(lines, o);
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "from", j_time(rep->from_ms),
                     "to", j_time(rep->to_ms), "seller", j_str_or_null(rep->seller), "warehouse",
                     j_str_or_null(rep->warehouse), "country", j_str_or_null(rep->country),
                     "packaging", streams[0], "batteries", streams[1], "electronics", streams[2],
                     "lines", lines, "units_without_data", (json_int_t)rep->units_without_data,
                     "without_data", missing);
}

static void epr_report_work(struct req *r)
{
    struct report_job *j = r->ctx;
    hc_store *st = api_reader(r);
    struct hc_epr_report rep;
    struct hc_doc d;
    if (st == NULL || hc_epr_report(st, r->arena, j->seller, j->warehouse, j->country,
                                    j->from_ms, j->to_ms, &rep, &r->err))
        api_fail(r);
    else if (j->f == F_JSON)
        api_reply(r, 200, render_epr(&rep));
    else if (hc_epr_report_doc(r->arena, &rep, j->lang, &d) == HC_OK)
        reply_doc(r, &d, j->f);
    else
        api_fail(r);
}

int h_epr_report(struct req *r)
{
    struct report_job *j = hc_arena_alloc(r->arena, sizeof(*j));
    j->seller = api_query(r, "seller");
    j->warehouse = api_query(r, "warehouse");
    j->country = api_query(r, "country");
    if (format_lang(r, &j->f, &j->lang) || period_param(r, "from", false, &j->from_ms) ||
        period_param(r, "to", true, &j->to_ms))
        return api_fail(r);
    if (j->to_ms <= j->from_ms)
        return fail_field(r, HC_EINVAL, "to", "must not precede from");
    if (j->to_ms - j->from_ms > 366 * 3 * HC_DAY_MS)
        return fail_field(r, HC_EINVAL, "to", "a report covers at most three years");
    if (j->country && !hc_country_valid(j->country))
        return fail_field(r, HC_EINVAL, "country", "is not an ISO 3166-1 alpha-2 country code");
    if (!api_scope(r, &j->seller, &j->warehouse))
        return fail_field(r, HC_ENOTFOUND, j->seller ? "seller" : "warehouse",
                          "not one the key may see");
    r->ctx = j;
    return api_offload(r, epr_report_work, 200);
}

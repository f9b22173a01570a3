/* h_compliance.c: product compliance records (per SKU and per brand), the
 * rule table, the gate's holds, the SKU x market matrix and the warehouse
 * setting for held stock. The domain is src/compliance. */
#include "internal.h"
#include "h_transfers.h"

#include "compliance/compliance.h"
#include "finance/finance.h"
#include "h_compliance.h"

#include <stdio.h>
#include <string.h>

static int fail_field(struct req *r, int code, const char *field, const char *msg)
{
    hc_err_set(&r->err, code, field, "%s", msg);
    return api_fail(r);
}

/* Refuses a key of obj that is not in allowed (NULL-terminated), naming it. */
static int only_keys(struct req *r, json_t *obj, const char *prefix, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, j_safe(r, key, 64)),
                              "is not a field here");
    }
    return HC_OK;
}

/* ---- product records ------------------------------------------------------------------ */

static json_t *j_decimal3(int64_t v)
{
    if (v < 0)
        return json_null();
    char buf[40];
    hc_decimal_format(v, 3, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *render_product(const struct hc_product *p)
{
    json_t *gpsr = json_null();
    if (p->gpsr.name)
        gpsr = json_pack("{s:s,s:{s:s?,s:s?,s:s?,s:s?},s:s?}", "name", p->gpsr.name, "address",
                         "line1", p->gpsr.line1, "postcode", p->gpsr.postcode, "city",
                         p->gpsr.city, "country", p->gpsr.country, "contact", p->gpsr.contact);
    json_t *battery = json_null();
    if (p->battery != HC_TRI_UNSET)
        battery = json_pack("{s:b,s:s?,s:o,s:o,s:s?}", "present", p->battery == HC_TRI_YES,
                            "un_number", p->un_number, "lithium_g", j_decimal3(p->lithium_mg),
                            "energy_wh", j_decimal3(p->energy_mwh), "packing_instruction",
                            p->packing_instruction);
    json_t *marks = json_array(), *epr = json_array(), *tariffs = json_array();
    for (size_t i = 0; i < p->nmarks; i++)
        json_array_append_new(marks, json_string(p->marks[i]));
    for (size_t i = 0; i < p->nepr; i++)
        json_array_append_new(epr, json_pack("{s:s,s:s,s:s}", "country", p->epr[i].country, "kind",
                                             p->epr[i].kind, "number", p->epr[i].number));
    for (size_t i = 0; i < p->ntariffs; i++)
        json_array_append_new(tariffs, json_pack("{s:s,s:s}", "market", p->tariffs[i].market,
                                                 "code", p->tariffs[i].code));
    return json_pack("{s:s?,s:o,s:o,s:o,s:o,s:o,s:o}", "category", p->category, "gpsr_operator",
                     gpsr, "battery", battery, "marks", marks, "epr", epr, "tariffs", tariffs,
                     "updated_at", p->updated_at ? j_time(p->updated_at) : json_null());
}

static int parse_gpsr(struct req *r, json_t *b, struct hc_product *p)
{
    static const char *const keys[] = {"name", "address", "contact", NULL};
    static const char *const addr_keys[] = {"line1", "postcode", "city", "country", NULL};
    json_t *g, *ad;
    if (jv_object(r, b, "", "gpsr_operator", false, &g))
        return r->err.code;
    if (g == NULL)
        return HC_OK;
    struct hc_gpsr_operator *o = &p->gpsr;
    if (only_keys(r, g, "gpsr_operator", keys) ||
        jv_str(r, g, "gpsr_operator", "name", true, &o->name) ||
        jv_object(r, g, "gpsr_operator", "address", true, &ad) ||
        only_keys(r, ad, "gpsr_operator.address", addr_keys) ||
        jv_str(r, ad, "gpsr_operator.address", "line1", true, &o->line1) ||
        jv_str(r, ad, "gpsr_operator.address", "postcode", true, &o->postcode) ||
        jv_str(r, ad, "gpsr_operator.address", "city", true, &o->city) ||
        jv_str(r, ad, "gpsr_operator.address", "country", true, &o->country) ||
        jv_str(r, g, "gpsr_operator", "contact", true, &o->contact))
        return r->err.code;
    return HC_OK;
}

static int parse_decimal3(struct req *r, json_t *obj, const char *key, int64_t *out)
{
    const char *v;
    if (jv_str(r, obj, "battery", key, false, &v))
        return r->err.code;
    if (v && (hc_decimal_parse(v, 3, out) != HC_OK || *out < 0))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, "battery", key),
                          "must be a decimal string >= 0 with at most 3 decimals");
    return HC_OK;
}

static int parse_battery(struct req *r, json_t *b, struct hc_product *p)
{
    static const char *const keys[] = {"present", "un_number", "lithium_g", "energy_wh",
                                       "packing_instruction", NULL};
    json_t *bt;
    if (jv_object(r, b, "", "battery", false, &bt))
        return r->err.code;
    if (bt == NULL)
        return HC_OK;
    bool present = false;
    if (only_keys(r, bt, "battery", keys) || jv_bool(r, bt, "battery", "present", true, &present) ||
        jv_str(r, bt, "battery", "un_number", false, &p->un_number) ||
        jv_str(r, bt, "battery", "packing_instruction", false, &p->packing_instruction) ||
        parse_decimal3(r, bt, "lithium_g", &p->lithium_mg) ||
        parse_decimal3(r, bt, "energy_wh", &p->energy_mwh))
        return r->err.code;
    p->battery = present ? HC_TRI_YES : HC_TRI_NO;
    return HC_OK;
}

static int parse_lists(struct req *r, json_t *b, struct hc_product *p)
{
    json_t *arr;
    if (json_object_get(b, "marks")) {
        if (jv_array(r, b, "", "marks", HC_PRODUCT_LIST_MAX, &arr))
            return r->err.code;
        p->nmarks = json_array_size(arr);
        p->marks = hc_arena_alloc(r->arena, sizeof(*p->marks) * (p->nmarks + 1));
        for (size_t i = 0; i < p->nmarks; i++)
            if (jv_item_str(r, arr, "marks", i, &p->marks[i]))
                return r->err.code;
    }
    if (json_object_get(b, "epr")) {
        static const char *const keys[] = {"country", "kind", "number", NULL};
        if (jv_array(r, b, "", "epr", HC_PRODUCT_LIST_MAX, &arr))
            return r->err.code;
        p->nepr = json_array_size(arr);
        p->epr = hc_arena_alloc(r->arena, sizeof(*p->epr) * (p->nepr + 1));
        for (size_t i = 0; i < p->nepr; i++) {
            json_t *e;
            const char *pf;
            struct hc_epr_reg *x = &p->epr[i];
            if (jv_item(r, arr, "epr", i, &e, &pf) || only_keys(r, e, pf, keys) ||
                jv_str(r, e, pf, "country", true, &x->country) ||
                jv_str(r, e, pf, "kind", true, &x->kind) ||
                jv_str(r, e, pf, "number", true, &x->number))
                return r->err.code;
        }
    }
    if (json_object_get(b, "tariffs")) {
        static const char *const keys[] = {"market", "code", NULL};
        if (jv_array(r, b, "", "tariffs", HC_PRODUCT_LIST_MAX, &arr))
            return r->err.code;
        p->ntariffs = json_array_size(arr);
        p->tariffs = hc_arena_alloc(r->arena, sizeof(*p->tariffs) * (p->ntariffs + 1));
        for (size_t i = 0; i < p->ntariffs; i++) {
            json_t *e;
            const char *pf;
            if (jv_item(r, arr, "tariffs", i, &e, &pf) || only_keys(r, e, pf, keys) ||
                jv_str(r, e, pf, "market", true, &p->tariffs[i].market) ||
                jv_str(r, e, pf, "code", true, &p->tariffs[i].code))
                return r->err.code;
        }
    }
    return HC_OK;
}

/* The body of PUT .../compliance into p (seller, sku/brand set by the caller). */
static int parse_product(struct req *r, struct hc_product *p)
{
    static const char *const keys[] = {"category", "gpsr_operator", "battery", "marks",
                                       "epr", "tariffs", NULL};
    json_t *b;
    if (jv_body(r, &b) || only_keys(r, b, "", keys) ||
        jv_str(r, b, "", "category", false, &p->category) || parse_gpsr(r, b, p) ||
        parse_battery(r, b, p) || parse_lists(r, b, p))
        return r->err.code;
    return hc_product_validate(p, &r->err);
}

struct product_ctx {
    struct hc_product p;
    const char *actor;
    hc_arena *arena;
    int released;
};

static int product_job(hc_store *s, void *ctx, hc_err *err)
{
    struct product_ctx *c = ctx;
    int rc = hc_product_put(s, &c->p, c->actor, err);
    /* completed data releases what waited for it, in the same transaction */
    return rc ? rc : api_recheck_all(s, c->arena, c->p.seller, c->actor, &c->released, err);
}

static int product_render(struct req *r)
{
    struct product_ctx *c = r->ctx;
    hc_store *st = api_reader(r);
    struct hc_product p;
    bool found = false;
    if (st == NULL ||
        hc_product_get(st, r->arena, c->p.seller, c->p.sku, c->p.brand, &p, &found, &r->err))
        return api_fail(r);
    json_t *j = render_product(&p);
    json_object_set_new(j, "seller", json_string(c->p.seller));
    json_object_set_new(j, c->p.sku ? "sku" : "brand", json_string(c->p.sku ? c->p.sku : c->p.brand));
    json_object_set_new(j, "released", json_integer(c->released));
    return api_reply(r, 200, j);
}

static int put_record(struct req *r, const char *sku, const char *brand)
{
    struct product_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    hc_product_init(&c->p);
    c->p.seller = r->params[0];
    c->p.sku = sku;
    c->p.brand = brand;
    c->actor = api_actor(r);
    c->arena = r->arena;
    if (!api_may_seller(r, c->p.seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (parse_product(r, &c->p))
        return api_fail(r);
    return api_write(r, product_job, product_render, c);
}

int h_product_put(struct req *r)
{
    return put_record(r, r->params[1], NULL);
}

int h_brand_product_put(struct req *r)
{
    return put_record(r, NULL, r->params[1]);
}

int h_product_get(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = r->params[0], *sku = r->params[1];
    if (!api_may_seller(r, seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    struct hc_product own, eff;
    bool found = false;
    if (st == NULL || hc_product_effective(st, r->arena, seller, sku, &eff, &r->err) ||
        hc_product_get(st, r->arena, seller, sku, NULL, &own, &found, &r->err))
        return api_fail(r);
    json_t *j = json_pack("{s:s,s:s,s:s?,s:s,s:o,s:o}", "seller", seller, "sku", sku, "brand",
                          eff.brand, "hs_code", eff.hs_code ? eff.hs_code : "", "own",
                          found ? render_product(&own) : json_null(), "effective",
                          render_product(&eff));
    return api_reply(r, 200, j);
}

int h_brand_product_get(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *seller = r->params[0], *brand = r->params[1];
    if (!api_may_seller(r, seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    struct hc_product p;
    bool found = false;
    if (st == NULL || hc_product_get(st, r->arena, seller, NULL, brand, &p, &found, &r->err))
        return api_fail(r);
    if (!found)
        return fail_field(r, HC_ENOTFOUND, "brand", "no compliance record for this brand");
    json_t *j = render_product(&p);
    json_object_set_new(j, "seller", json_string(seller));
    json_object_set_new(j, "brand", json_string(brand));
    return api_reply(r, 200, j);
}

/* ---- rules ------------------------------------------------------------------------------ */

static json_t *render_rule(const struct hc_rule *x)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:s,s:s?,s:o,s:s}", "id", x->id, "market",
                     x->market, "category", x->category, "requirement", x->requirement,
                     "condition", x->condition ? x->condition : "", "effective_from",
                     x->effective_from, "effective_to",
                     x->effective_to && x->effective_to[0] ? x->effective_to : NULL, "status",
                     x->status, "source", x->source, "note", x->note && x->note[0] ? x->note : NULL,
                     "updated_at", j_time(x->updated_at), "updated_by",
                     x->updated_by ? x->updated_by : "");
}

static int parse_rule(struct req *r, json_t *e, const char *pf, struct hc_rule *x)
{
    static const char *const keys[] = {"id",           "market", "category", "requirement",
                                       "condition",    "effective_from",     "effective_to",
                                       "status",       "source", "note",     NULL};
    if (only_keys(r, e, pf, keys) || jv_str(r, e, pf, "id", false, &x->id) ||
        jv_str(r, e, pf, "market", true, &x->market) ||
        jv_str(r, e, pf, "category", true, &x->category) ||
        jv_str(r, e, pf, "requirement", true, &x->requirement) ||
        jv_str(r, e, pf, "condition", false, &x->condition) ||
        jv_str(r, e, pf, "effective_from", true, &x->effective_from) ||
        jv_str(r, e, pf, "effective_to", false, &x->effective_to) ||
        jv_str(r, e, pf, "status", false, &x->status) ||
        jv_str(r, e, pf, "source", true, &x->source) || jv_str(r, e, pf, "note", false, &x->note))
        return r->err.code;
    if (x->status == NULL)
        x->status = "confirmed";
    if (x->effective_to == NULL)
        x->effective_to = "";
    hc_err e2 = {0};
    if (hc_rule_validate(x, &e2) != HC_OK)
        return hc_err_set(&r->err, e2.code, jv_field(r, pf, e2.field), "%s", e2.msg);
    return HC_OK;
}

struct rules_ctx {
    struct hc_rule *rules;
    size_t n;
    bool create;
    const char *actor;
    hc_arena *arena;
    int released;
};

static int rules_job(hc_store *s, void *ctx, hc_err *err)
{
    struct rules_ctx *c = ctx;
    int rc;
    if (c->n == 1 && c->create && c->rules[0].id) {
        struct hc_rule old;
        rc = hc_rule_get(s, c->arena, c->rules[0].id, &old, err);
        if (rc == HC_OK)
            return hc_err_set(err, HC_ECONFLICT, "id", "rule %s exists: PUT changes it",
                              c->rules[0].id);
        if (rc != HC_ENOTFOUND)
            return rc;
        hc_err_clear(err);
    }
    if (c->n == 1)
        rc = hc_rule_put(s, c->arena, &c->rules[0], c->actor, err);
    else
        rc = hc_rule_import(s, c->arena, c->rules, c->n, c->actor, err);
    /* a rule ended or changed may release what it held */
    return rc ? rc : api_recheck_all(s, c->arena, NULL, c->actor, &c->released, err);
}

static int rule_render(struct req *r)
{
    struct rules_ctx *c = r->ctx;
    json_t *j = render_rule(&c->rules[0]);
    json_object_set_new(j, "released", json_integer(c->released));
    return api_reply(r, c->create ? 201 : 200, j);
}

static int import_render(struct req *r)
{
    struct rules_ctx *c = r->ctx;
    return api_reply(r, 201, json_pack("{s:I,s:i}", "imported", (json_int_t)c->n, "released",
                                       c->released));
}

static struct rules_ctx *rules_ctx_for(struct req *r, size_t n)
{
    struct rules_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->rules = hc_arena_alloc(r->arena, sizeof(*c->rules) * (n ? n : 1));
    c->n = n;
    c->actor = api_actor(r);
    c->arena = r->arena;
    return c;
}

int h_rule_create(struct req *r)
{
    json_t *b;
    struct rules_ctx *c = rules_ctx_for(r, 1);
    c->create = true;
    if (jv_body(r, &b) || parse_rule(r, b, "", &c->rules[0]))
        return api_fail(r);
    return api_write(r, rules_job, rule_render, c);
}

int h_rule_put(struct req *r)
{
    json_t *b;
    struct rules_ctx *c = rules_ctx_for(r, 1);
    if (jv_body(r, &b) || parse_rule(r, b, "", &c->rules[0]))
        return api_fail(r);
    if (c->rules[0].id && strcmp(c->rules[0].id, r->params[0]) != 0)
        return fail_field(r, HC_EINVAL, "id", "must be the id of the path, or absent");
    c->rules[0].id = r->params[0];
    if (hc_check_code(c->rules[0].id, "id", HC_RULE_ID_MAX, &r->err))
        return api_fail(r);
    return api_write(r, rules_job, rule_render, c);
}

#define RULES_IMPORT_MAX 5000

int h_rule_import(struct req *r)
{
    struct rules_ctx *c;
    if (api_body_is_csv(r)) {
        if (api_csv_text(r, "a CSV body with the rules' header line"))
            return api_fail(r);
        c = rules_ctx_for(r, 0);
        if (hc_rule_csv_parse(r->arena, r->body.p, r->body.n, &c->rules, &c->n, &r->err))
            return api_fail(r);
    } else {
        json_t *b, *arr;
        if (jv_body(r, &b) || jv_array(r, b, "", "rules", RULES_IMPORT_MAX, &arr))
            return api_fail(r);
        if (json_array_size(arr) == 0)
            return fail_field(r, HC_EINVAL, "rules", "must hold at least one rule");
        c = rules_ctx_for(r, json_array_size(arr));
        for (size_t i = 0; i < c->n; i++) {
            json_t *e;
            const char *pf;
            if (jv_item(r, arr, "rules", i, &e, &pf) || parse_rule(r, e, pf, &c->rules[i]))
                return api_fail(r);
            if (c->rules[i].id == NULL)
                return fail_field(r, HC_EINVAL, jv_field(r, pf, "id"), "is required in an import");
        }
    }
    if (c->n > RULES_IMPORT_MAX)
        return fail_field(r, HC_EINVAL, "rules", "at most 5000 rules in one import");
    if (c->n == 1) /* one rule goes the import way too: replaced when it exists */
        c->create = false;
    return api_write(r, rules_job, c->n == 1 ? rule_render : import_render, c);
}

int h_rule_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_rule x;
    if (st == NULL || hc_rule_get(st, r->arena, r->params[0], &x, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_rule(&x));
}

static const char *upper_query(struct req *r, const char *name)
{
    const char *v = api_query(r, name);
    if (v == NULL)
        return NULL;
    char *c = hc_arena_strdup(r->arena, v);
    for (char *p = c; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return c;
}

int h_rule_list(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *market = upper_query(r, "market"), *category = api_query(r, "category");
    const char *on = api_query(r, "on");
    if (on && !hc_fx_day_valid(on))
        return fail_field(r, HC_EINVAL, "on", "must be a date YYYY-MM-DD");
    struct hc_rule *x;
    size_t n;
    if (st == NULL || hc_rule_list(st, r->arena, market, category, on, &x, &n, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_rule(&x[i]));
    return api_reply(r, 200, j_page(arr, NULL));
}

/* ---- holds, matrix, check ---------------------------------------------------------------- */

static json_t *j_strings(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

void api_add_hold_items(struct req *r, json_t *obj, const char *kind, const char *ref)
{
    hc_store *st = api_reader(r);
    struct hc_hold h;
    bool found = false;
    hc_err e = {0};
    if (obj == NULL || st == NULL || hc_gate_hold_get(st, r->arena, kind, ref, &h, &found, &e) ||
        !found || h.released_at != 0)
        return;
    json_object_set_new(obj, "hold_items", j_strings(h.missing, h.nmissing));
}

static json_t *render_hold(const struct hc_hold *h)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "kind", h->kind, "id", h->ref, "seller",
                     h->seller, "market", h->market, "reason", HC_HOLD_COMPLIANCE, "missing",
                     j_strings(h->missing, h->nmissing), "held_at", j_time(h->held_at));
}

int h_compliance_holds(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *wh = api_query(r, "warehouse");
    if (!api_scope(r, &seller, &wh))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_hold *h;
    size_t n;
    const char *next = NULL;
    if (hc_gate_hold_list(st, r->arena, seller, wh, pg.cursor, pg.limit, &h, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_hold(&h[i]));
    return api_reply(r, 200, j_page(arr, next));
}

static json_t *render_gaps(const struct hc_gap *g, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "item", g[i].item, "level",
                                           hc_gap_level_name(g[i].level), "rule", g[i].rule));
    return a;
}

/* "DE,FR,gb" into upper-case codes; 400 naming markets on a bad one. */
static int parse_markets(struct req *r, const char *text, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (text == NULL)
        return HC_OK;
    char *copy = hc_arena_strdup(r->arena, text), *save = NULL;
    *out = hc_arena_alloc(r->arena, sizeof(**out) * 64);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        for (char *p = t; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        if (!hc_country_valid(t) || *n == 64)
            return hc_err_set(&r->err, HC_EINVAL, "markets",
                              "must be up to 64 ISO 3166-1 alpha-2 codes, comma-separated");
        (*out)[(*n)++] = t;
    }
    if (*n == 0)
        return hc_err_set(&r->err, HC_EINVAL, "markets", "names no market");
    return HC_OK;
}

int h_compliance_matrix(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    const char *seller = api_query(r, "seller"), *day = api_query(r, "day");
    if (r->who.role == ROLE_SELLER && seller == NULL)
        seller = r->who.seller;
    if (seller == NULL)
        return fail_field(r, HC_EINVAL, "seller", "is required");
    if (!api_may_seller(r, seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (day && !hc_fx_day_valid(day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    const char **markets, **mk;
    size_t nmarkets, nmk;
    if (parse_markets(r, api_query(r, "markets"), &markets, &nmarkets))
        return api_fail(r);
    struct hc_matrix_cell *cells;
    size_t ncells;
    const char *next;
    if (hc_gate_matrix(st, r->arena, seller, markets, nmarkets, day, pg.cursor, pg.limit, &mk,
                       &nmk, &cells, &ncells, &next, &r->err))
        return api_fail(r);
    json_t *items = json_array();
    for (size_t i = 0; i < ncells; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o}", "sku", cells[i].sku, "market",
                                               cells[i].market, "light",
                                               hc_light_name(cells[i].light), "gaps",
                                               render_gaps(cells[i].gaps, cells[i].ngaps)));
    json_t *j = j_page(items, next);
    json_object_set_new(j, "seller", json_string(seller));
    json_object_set_new(j, "markets", j_strings(mk, nmk));
    return api_reply(r, 200, j);
}

/* POST /v1/compliance/check: what moving lines of seller into market would
 * miss today; writes nothing (the entry point transfer orders will use). */
int h_compliance_check(struct req *r)
{
    json_t *b, *arr;
    const char *seller, *market, *day;
    if (jv_body(r, &b) || jv_str(r, b, "", "seller", true, &seller) ||
        jv_str(r, b, "", "market", true, &market) || jv_str(r, b, "", "day", false, &day) ||
        jv_array(r, b, "", "lines", 1000, &arr))
        return api_fail(r);
    if (!api_may_seller(r, seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    if (!hc_country_valid(market))
        return fail_field(r, HC_EINVAL, "market", "must be an ISO 3166-1 alpha-2 country");
    if (day && !hc_fx_day_valid(day))
        return fail_field(r, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
    size_t n = json_array_size(arr);
    if (n == 0)
        return fail_field(r, HC_EINVAL, "lines", "must hold at least one line");
    const char **skus = hc_arena_alloc(r->arena, sizeof(*skus) * n);
    for (size_t i = 0; i < n; i++) {
        json_t *e;
        const char *pf;
        if (jv_item(r, arr, "lines", i, &e, &pf) || jv_str(r, e, pf, "sku", true, &skus[i]))
            return api_fail(r);
    }
    hc_store *st = api_reader(r);
    struct hc_gaps g = {.arena = r->arena};
    if (st == NULL ||
        hc_gate_check_lines(st, r->arena, seller, market, skus, n, day, &g, &r->err))
        return api_fail(r);
    return api_reply(r, 200, json_pack("{s:s,s:s,s:b,s:o}", "seller", seller, "market", market,
                                       "pass", g.nmissing == 0, "gaps", render_gaps(g.v, g.n)));
}

struct recheck_ctx {
    const char *seller, *actor;
    hc_arena *arena;
    int released;
};

static int recheck_job(hc_store *s, void *ctx, hc_err *err)
{
    struct recheck_ctx *c = ctx;
    return api_recheck_all(s, c->arena, c->seller, c->actor, &c->released, err);
}

static int recheck_render(struct req *r)
{
    struct recheck_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:i}", "released", c->released));
}

int h_compliance_recheck(struct req *r)
{
    json_t *b;
    struct recheck_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->actor = api_actor(r);
    c->arena = r->arena;
    if (r->body.n > 0 && (jv_body(r, &b) || jv_str(r, b, "", "seller", false, &c->seller)))
        return api_fail(r);
    if (r->who.role == ROLE_SELLER)
        c->seller = r->who.seller;
    if (c->seller && !api_may_seller(r, c->seller))
        return fail_field(r, HC_ENOTFOUND, "seller", "no such seller");
    return api_write(r, recheck_job, recheck_render, c);
}

/* ---- the warehouse setting ------------------------------------------------------------------ */

struct setting_ctx {
    const char *warehouse, *actor;
    bool hold_allocates;
};

static int setting_job(hc_store *s, void *ctx, hc_err *err)
{
    struct setting_ctx *c = ctx;
    return hc_gate_setting_set(s, c->warehouse, c->hold_allocates, c->actor, err);
}

static int setting_render(struct req *r)
{
    struct setting_ctx *c = r->ctx;
    return api_reply(r, 200, json_pack("{s:s,s:b}", "warehouse", c->warehouse, "hold_allocates",
                                       c->hold_allocates));
}

int h_wh_compliance_put(struct req *r)
{
    static const char *const keys[] = {"hold_allocates", NULL};
    json_t *b;
    struct setting_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->warehouse = r->params[0];
    c->actor = api_actor(r);
    if (!api_may_warehouse(r, c->warehouse))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (jv_body(r, &b) || only_keys(r, b, "", keys) ||
        jv_bool(r, b, "", "hold_allocates", true, &c->hold_allocates))
        return api_fail(r);
    return api_write(r, setting_job, setting_render, c);
}

int h_wh_compliance_get(struct req *r)
{
    hc_store *st = api_reader(r);
    const char *wh = r->params[0];
    bool keep = false;
    if (!api_may_warehouse(r, wh))
        return fail_field(r, HC_ENOTFOUND, "wh", "no such warehouse");
    if (st == NULL)
        return api_fail(r);
    if (!hc_warehouse_exists(st, wh, &r->err)) {
        if (r->err.code == HC_OK)
            hc_err_set(&r->err, HC_ENOTFOUND, "wh", "no warehouse %s", wh);
        return api_fail(r);
    }
    if (hc_gate_setting_get(st, wh, &keep, &r->err))
        return api_fail(r);
    return api_reply(r, 200, json_pack("{s:s,s:b}", "warehouse", wh, "hold_allocates", keep));
}

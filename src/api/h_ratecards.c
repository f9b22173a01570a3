/* h_ratecards.c: rate cards, charges and the storage run over HTTP.
 * Operators and admins write cards; sellers read the cards that apply to
 * them (their own and the warehouse cards) and only their own charges. */
#include "internal.h"

#include "finance/finance.h"
#include "render/render.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- rendering ------------------------------------------------------------------------- */

static json_t *j_rate(int64_t e4, const char *currency)
{
    char buf[40];
    hc_rc_rate_format(e4, currency, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *j_day_or_null(int64_t d)
{
    return d == HC_RC_DAY_OPEN ? json_null() : json_integer(d);
}

static json_t *render_card(const struct hc_ratecard *c)
{
    const char *cur = c->currency;
    json_t *tiers = json_array(), *breaks = json_array();
    for (size_t i = 0; i < c->ntiers; i++)
        json_array_append_new(tiers, json_pack("{s:I,s:o,s:o}", "from_day",
                                               (json_int_t)c->tiers[i].from_day, "to_day",
                                               j_day_or_null(c->tiers[i].to_day), "rate",
                                               j_rate(c->tiers[i].rate_e4, cur)));
    for (size_t i = 0; i < c->nbreaks; i++)
        json_array_append_new(breaks,
                              json_pack("{s:o,s:o,s:o}", "max_weight_g",
                                        j_day_or_null(c->breaks[i].max_weight_g), "per_order",
                                        j_rate(c->breaks[i].order_e4, cur), "per_extra_unit",
                                        j_rate(c->breaks[i].extra_unit_e4, cur)));
    char pct[16];
    hc_decimal_format(c->surcharge_bp, 2, pct, sizeof(pct));
    static const char *const sb[] = {"", "m3", "pallet", "bin"};
    static const char *const ib[] = {"", "carton", "m3", "unit"};
    json_t *storage = json_pack("{s:s,s:o}", "basis", sb[c->storage_basis], "tiers", tiers);
    if (c->storage_basis == HC_RC_PER_PALLET)
        json_object_set_new(storage, "pallet_mm3", json_integer(c->pallet_mm3));
    json_t *inbound = json_pack("{s:s,s:o}", "basis", ib[c->inbound_basis], "rate",
                                j_rate(c->inbound_e4, cur));
    if (c->inbound_basis == HC_RC_PER_CARTON)
        json_object_set_new(inbound, "units_per_carton", json_integer(c->carton_units));
    json_t *o = json_pack(
        "{s:s,s:s,s:o,s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:{s:o},s:o,s:{s:o,s:o},"
        "s:{s:o,s:o,s:o,s:o,s:o},s:o,s:s}",
        "id", c->id, "warehouse", c->warehouse, "seller", j_str_or_null(c->seller), "version",
        (json_int_t)c->version, "currency", cur, "effective_from", c->effective_from,
        "effective_to", j_str_or_null(c->effective_to), "replaces", j_str_or_null(c->replaces),
        "superseded_by", j_str_or_null(c->superseded_by), "surcharge_pct", pct, "storage",
        storage, "inbound", inbound, "outbound", "breaks", breaks, "returns",
        json_pack("{s:o}", "per_unit", j_rate(c->return_unit_e4, cur)), "services", "relabel",
        j_rate(c->relabel_unit_e4, cur), "kitting", j_rate(c->kitting_unit_e4, cur), "minimums",
        "inbound", j_money(c->min_inbound, cur), "outbound", j_money(c->min_outbound, cur),
        "storage", j_money(c->min_storage, cur), "returns", j_money(c->min_return, cur),
        "services", j_money(c->min_service, cur), "created_at", j_time(c->created_at),
        "created_by", c->created_by ? c->created_by : "");
    return o;
}

/* ---- POST /v1/rate-cards ------------------------------------------------------------------- */

static int rate_field(struct req *r, json_t *obj, const char *prefix, const char *key,
                      bool required, const char *currency, int64_t *out)
{
    const char *s;
    if (jv_str(r, obj, prefix, key, required, &s))
        return r->err.code;
    if (s == NULL)
        return HC_OK;
    return hc_rc_rate_parse(s, currency, jv_field(r, prefix, key), out, &r->err);
}

/* An integer or null (open); absent = open only when open_ok. */
static int day_field(struct req *r, json_t *obj, const char *prefix, const char *key,
                     bool open_ok, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (open_ok && (v == NULL || json_is_null(v))) {
        *out = HC_RC_DAY_OPEN;
        return HC_OK;
    }
    return jv_int(r, obj, prefix, key, true, 0, 100000000, out);
}

static int basis_of(struct req *r, const char *field, const char *v, const char *const *names,
                    int n, int *out)
{
    for (int i = 1; i < n; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = i;
            return HC_OK;
        }
    return hc_err_set(&r->err, HC_EINVAL, field, "is not one of the bases");
}

static int min_field(struct req *r, json_t *mins, const char *key, const char *currency,
                     int64_t *out)
{
    const char *cur = NULL;
    json_t *v = mins ? json_object_get(mins, key) : NULL;
    if (v == NULL || json_is_null(v))
        return HC_OK;
    if (jv_money(r, mins, "minimums", key, false, out, &cur))
        return r->err.code;
    if (cur && strcmp(cur, currency) != 0)
        return hc_err_set(&r->err, HC_EINVAL,
                          hc_arena_printf(r->arena, "minimums.%s.currency", key),
                          "must be the card's currency %s", currency);
    if (*out < 0)
        return hc_err_set(&r->err, HC_EINVAL, hc_arena_printf(r->arena, "minimums.%s", key),
                          "must be >= 0");
    return HC_OK;
}

static int parse_card(struct req *r, json_t *b, struct hc_ratecard *c)
{
    json_t *st, *in, *out, *ret, *svc, *mins, *tiers, *breaks;
    const char *basis, *pct;
    if (jv_str(r, b, "", "warehouse", true, &c->warehouse) ||
        jv_str(r, b, "", "seller", false, &c->seller) ||
        jv_str(r, b, "", "currency", true, &c->currency) ||
        jv_str(r, b, "", "effective_from", true, &c->effective_from) ||
        jv_str(r, b, "", "effective_to", false, &c->effective_to) ||
        jv_str(r, b, "", "replaces", false, &c->replaces) ||
        jv_str(r, b, "", "surcharge_pct", false, &pct))
        return r->err.code;
    if (hc_currency_scale(c->currency) < 0)
        return hc_err_set(&r->err, HC_EINVAL, "currency", "is not an ISO 4217 currency");
    if (pct && hc_rc_pct_parse(pct, "surcharge_pct", &c->surcharge_bp, &r->err))
        return r->err.code;
    /* storage */
    static const char *const sb[] = {"", "m3", "pallet", "bin"};
    if (jv_object(r, b, "", "storage", true, &st) ||
        jv_str(r, st, "storage", "basis", true, &basis) ||
        basis_of(r, "storage.basis", basis, sb, 4, &c->storage_basis) ||
        jv_int(r, st, "storage", "pallet_mm3", c->storage_basis == HC_RC_PER_PALLET, 1,
               INT64_MAX / 4, &c->pallet_mm3) ||
        jv_array(r, st, "storage", "tiers", HC_RC_TIERS_MAX, &tiers))
        return r->err.code;
    for (size_t i = 0; i < json_array_size(tiers); i++) {
        json_t *t;
        const char *path;
        if (jv_item(r, tiers, "storage.tiers", i, &t, &path) ||
            day_field(r, t, path, "from_day", false, &c->tiers[i].from_day) ||
            day_field(r, t, path, "to_day", true, &c->tiers[i].to_day) ||
            rate_field(r, t, path, "rate", true, c->currency, &c->tiers[i].rate_e4))
            return r->err.code;
        c->ntiers++;
    }
    /* inbound */
    static const char *const ib[] = {"", "carton", "m3", "unit"};
    if (jv_object(r, b, "", "inbound", true, &in) ||
        jv_str(r, in, "inbound", "basis", true, &basis) ||
        basis_of(r, "inbound.basis", basis, ib, 4, &c->inbound_basis) ||
        rate_field(r, in, "inbound", "rate", true, c->currency, &c->inbound_e4) ||
        jv_int(r, in, "inbound", "units_per_carton", c->inbound_basis == HC_RC_PER_CARTON, 1,
               1000000, &c->carton_units))
        return r->err.code;
    /* outbound */
    if (jv_object(r, b, "", "outbound", true, &out) ||
        jv_array(r, out, "outbound", "breaks", HC_RC_BREAKS_MAX, &breaks))
        return r->err.code;
    for (size_t i = 0; i < json_array_size(breaks); i++) {
        json_t *t;
        const char *path;
        struct hc_rc_break *k = &c->breaks[i];
        if (jv_item(r, breaks, "outbound.breaks", i, &t, &path) ||
            day_field(r, t, path, "max_weight_g", true, &k->max_weight_g) ||
            rate_field(r, t, path, "per_order", true, c->currency, &k->order_e4) ||
            rate_field(r, t, path, "per_extra_unit", false, c->currency, &k->extra_unit_e4))
            return r->err.code;
        c->nbreaks++;
    }
    if (jv_object(r, b, "", "returns", false, &ret) ||
        (ret && rate_field(r, ret, "returns", "per_unit", false, c->currency,
                           &c->return_unit_e4)) ||
        jv_object(r, b, "", "services", false, &svc) ||
        (svc && (rate_field(r, svc, "services", "relabel", false, c->currency,
                            &c->relabel_unit_e4) ||
                 rate_field(r, svc, "services", "kitting", false, c->currency,
                            &c->kitting_unit_e4))) ||
        jv_object(r, b, "", "minimums", false, &mins) ||
        min_field(r, mins, "inbound", c->currency, &c->min_inbound) ||
        min_field(r, mins, "outbound", c->currency, &c->min_outbound) ||
        min_field(r, mins, "storage", c->currency, &c->min_storage) ||
        min_field(r, mins, "returns", c->currency, &c->min_return) ||
        min_field(r, mins, "services", c->currency, &c->min_service))
        return r->err.code;
    return hc_ratecard_validate(c, &r->err);
}

struct card_ctx {
    struct hc_ratecard card;
    const char *actor;
    hc_arena *arena;
};

static int card_job(hc_store *s, void *ctx, hc_err *err)
{
    struct card_ctx *c = ctx;
    return hc_ratecard_create(s, c->arena, &c->card, c->actor, err);
}

static int card_render(struct req *r)
{
    struct card_ctx *c = r->ctx;
    return api_reply(r, 201, render_card(&c->card));
}

int h_ratecard_create(struct req *r)
{
    json_t *b;
    struct card_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || parse_card(r, b, &c->card))
        return api_fail(r);
    if (!api_may_warehouse(r, c->card.warehouse)) {
        hc_err_set(&r->err, HC_EINVAL, "warehouse", "no warehouse %s", c->card.warehouse);
        return api_fail(r);
    }
    return api_write(r, card_job, card_render, c);
}

/* ---- POST /v1/rate-cards/import: the CSV's rows, or the same columns in an .xlsx ---------- */
struct import_ctx {
    struct hc_ratecard *cards;
    size_t n;
    const char *actor;
    hc_arena *arena;
};

/* an import names card i "card i+1: " */
static const struct api_row_name card_row = {"card ", ": ", 1};

static int import_put(hc_store *s, void *ctx, size_t i, hc_err *err)
{
    struct import_ctx *c = ctx;
    return hc_ratecard_create(s, c->arena, &c->cards[i], c->actor, err);
}

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_ctx *c = ctx;
    return api_rows_put(s, ctx, c->n, import_put, &card_row, err);
}

static int import_render(struct req *r)
{
    struct import_ctx *c = r->ctx;
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(items, render_card(&c->cards[i]));
    return api_reply(r, 201, json_pack("{s:I,s:o}", "imported", (json_int_t)c->n, "cards", items));
}

int h_ratecard_import(struct req *r)
{
    struct import_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    struct api_sheet_body body;
    if (api_sheet_body(r, "card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate",
                       &body) ||
        (body.xlsx
             ? hc_ratecard_sheet_parse(r->arena, &body.sheet, &c->cards, &c->n, &r->err)
             : hc_ratecard_csv_parse(r->arena, r->body.p, r->body.n, &c->cards, &c->n, &r->err)) ||
        api_rows_warehouses(r, c->cards, c->n, sizeof(*c->cards),
                            offsetof(struct hc_ratecard, warehouse), &card_row))
        return api_fail(r);
    return api_write(r, import_job, import_render, c);
}

/* ---- GET ------------------------------------------------------------------------------------ */

static bool may_see_card(const struct req *r, const struct hc_ratecard *c)
{
    if (!api_may_warehouse(r, c->warehouse))
        return false;
    return c->seller == NULL || api_may_seller(r, c->seller);
}

int h_ratecard_get(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_ratecard c;
    if (st == NULL || hc_ratecard_get(st, r->arena, r->params[0], &c, &r->err))
        return api_fail(r);
    if (!may_see_card(r, &c)) {
        hc_err_set(&r->err, HC_ENOTFOUND, "id", "no rate card %s", r->params[0]);
        return api_fail(r);
    }
    return api_reply(r, 200, render_card(&c));
}

int h_ratecard_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_ratecard_filter f = {.warehouse = api_query(r, "warehouse"),
                                   .seller = api_query(r, "seller"),
                                   .cursor = pg.cursor,
                                   .limit = pg.limit};
    if (api_query_bool(r, "all", false, &f.include_superseded))
        return api_fail(r);
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_ratecard *items;
    size_t n;
    const char *next;
    if (hc_ratecard_list(st, r->arena, &f, &items, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, render_card(&items[i]));
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- charges ---------------------------------------------------------------------------------- */

int h_charge_list(struct req *r)
{
    hc_store *st = api_reader(r);
    struct hc_list_page pg;
    if (st == NULL || api_page(r, &pg))
        return api_fail(r);
    struct hc_charge_filter f = {.warehouse = api_query(r, "warehouse"),
                                 .seller = api_query(r, "seller"),
                                 .kind = api_query(r, "kind"),
                                 .cause_id = api_query(r, "cause"),
                                 .day = api_query(r, "day"),
                                 .cursor = pg.cursor,
                                 .limit = pg.limit};
    if (f.kind && strcmp(f.kind, "inbound") && strcmp(f.kind, "outbound") &&
        strcmp(f.kind, "return") && strcmp(f.kind, "storage") && strcmp(f.kind, "service")) {
        hc_err_set(&r->err, HC_EINVAL, "kind",
                   "must be inbound, outbound, return, storage or service");
        return api_fail(r);
    }
    int64_t ms;
    if (f.day && (strlen(f.day) != 10 || hc_time_parse_iso(f.day, &ms) != HC_OK)) {
        hc_err_set(&r->err, HC_EINVAL, "day", "must be a date YYYY-MM-DD");
        return api_fail(r);
    }
    if (!api_scope(r, &f.seller, &f.warehouse))
        return api_reply(r, 200, j_page(json_array(), NULL));
    struct hc_charge_row *rows;
    size_t n;
    const char *next;
    if (hc_charge_list(st, r->arena, &f, &rows, &n, &next, &r->err))
        return api_fail(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct hc_charge_row *c = &rows[i];
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:o,s:o,s:s,s:o}", "id", c->id,
                           "warehouse", c->warehouse, "seller", c->seller, "kind", c->kind,
                           "cause", "kind", c->cause_kind, "id", c->cause_id, "day", c->day,
                           "card", j_str_or_null(*c->card ? c->card : NULL), "amount",
                           j_money(c->minor, c->currency), "entry", c->entry, "at",
                           j_time(c->at)));
    }
    return api_reply(r, 200, j_page(arr, next));
}

/* ---- POST /v1/services: a value-added service (relabel, kitting) charged ---------------------- */

struct service_ctx {
    const char *id, *warehouse, *seller, *service, *actor;
    int64_t units;
    hc_arena *arena;
    struct hc_charge charge;
};

static int service_job(hc_store *s, void *ctx, hc_err *err)
{
    struct service_ctx *c = ctx;
    return hc_charge_service(s, c->arena, c->warehouse, c->seller, c->service, c->units, c->id,
                             c->actor, &c->charge, err);
}

static int service_render(struct req *r)
{
    struct service_ctx *c = r->ctx;
    json_t *lines = json_array();
    for (size_t i = 0; i < c->charge.n; i++)
        json_array_append_new(lines, json_pack("{s:s,s:o}", "label", c->charge.lines[i].label,
                                               "amount",
                                               j_money(c->charge.lines[i].minor,
                                                       c->charge.currency)));
    return api_reply(r, 201,
                     json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o}", "id", c->id, "warehouse",
                               c->warehouse, "seller", c->seller, "service", c->service,
                               "units", (json_int_t)c->units, "amount",
                               j_money(c->charge.total, c->charge.currency), "lines", lines));
}

int h_service_create(struct req *r)
{
    json_t *b;
    struct service_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->actor = api_actor(r);
    if (jv_body(r, &b) || jv_str(r, b, "", "warehouse", true, &c->warehouse) ||
        jv_str(r, b, "", "seller", true, &c->seller) ||
        jv_str(r, b, "", "service", true, &c->service) ||
        jv_int(r, b, "", "units", true, 1, 1000000, &c->units))
        return api_fail(r);
    if (strcmp(c->service, "relabel") != 0 && strcmp(c->service, "kitting") != 0) {
        hc_err_set(&r->err, HC_EINVAL, "service", "must be relabel or kitting");
        return api_fail(r);
    }
    if (!api_may_warehouse(r, c->warehouse)) {
        hc_err_set(&r->err, HC_EINVAL, "warehouse", "no warehouse %s", c->warehouse);
        return api_fail(r);
    }
    char id[32];
    hc_id_format("srv", hc_id_next(), id, sizeof(id));
    c->id = hc_arena_strdup(r->arena, id);
    return api_write(r, service_job, service_render, c);
}

/* ---- POST /v1/storage-runs --------------------------------------------------------------------
 * Runs the storage charge now (the server also runs it on its timer): one
 * warehouse or all the caller may act on, one day or every ended day since
 * the last run. Safe to repeat: a day already charged books only what
 * changed. */
int h_storage_run(struct req *r)
{
    json_t *b = NULL;
    const char *wh = NULL, *day = NULL;
    if (r->body.n > 0 && (jv_body(r, &b) || jv_str(r, b, "", "warehouse", false, &wh) ||
                          jv_str(r, b, "", "date", false, &day)))
        return api_fail(r);
    if (r->who.role == ROLE_OPERATOR) {
        if (wh && strcmp(wh, r->who.warehouse) != 0) {
            hc_err_set(&r->err, HC_EINVAL, "warehouse", "no warehouse %s", wh);
            return api_fail(r);
        }
        wh = r->who.warehouse;
    }
    int64_t ms;
    if (day && (strlen(day) != 10 || hc_time_parse_iso(day, &ms) != HC_OK)) {
        hc_err_set(&r->err, HC_EINVAL, "date", "must be a date YYYY-MM-DD");
        return api_fail(r);
    }
    struct hc_storage_result res;
    if (hc_storage_run(hc_srv.db, wh, day, api_actor(r), &res, &r->err))
        return api_fail(r);
    return api_reply(r, 200, json_pack("{s:i,s:i,s:I}", "days", res.days, "entries",
                                       res.entries, "lots", (json_int_t)res.lots));
}

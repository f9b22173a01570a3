/* product.c: product compliance records per SKU or per brand, their checks,
 * storage and the merge that gives a SKU its effective record. */
#include "compliance/compliance.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void hc_product_init(struct hc_product *p)
{
    memset(p, 0, sizeof(*p));
    p->battery = HC_TRI_UNSET;
    p->lithium_mg = p->energy_mwh = -1;
}

/* [a-z0-9_-]{1,max} */
static bool is_word(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

static bool is_prefixed_digits(const char *s, const char *prefix, size_t ndigits)
{
    size_t p = strlen(prefix);
    return s && strlen(s) == p + ndigits && strncmp(s, prefix, p) == 0 &&
           hc_all_digits(s + p, ndigits);
}

static int check_gpsr(const struct hc_gpsr_operator *g, hc_err *err)
{
    if (g->name == NULL)
        return HC_OK; /* not given: a rule may say it is missing */
    if (hc_check_text(g->name, "gpsr_operator.name", HC_NAME_MAX, false, err) ||
        hc_check_text(g->line1, "gpsr_operator.address.line1", 200, false, err) ||
        hc_check_text(g->postcode, "gpsr_operator.address.postcode", 20, false, err) ||
        hc_check_text(g->city, "gpsr_operator.address.city", 100, false, err) ||
        hc_check_text(g->contact, "gpsr_operator.contact", 200, false, err))
        return err->code;
    if (g->country == NULL || !hc_country_valid(g->country))
        return hc_err_set(err, HC_EINVAL, "gpsr_operator.address.country",
                          "must be an ISO 3166-1 alpha-2 country");
    if (!hc_market_in_eu(g->country))
        return hc_err_set(err, HC_EINVAL, "gpsr_operator.address.country",
                          "%s is not a member state of the EU: the responsible economic operator "
                          "must be established in the Union (Regulation (EU) 2023/988, art. 16)",
                          g->country);
    return HC_OK;
}

static int check_battery(const struct hc_product *p, hc_err *err)
{
    if (p->un_number && !is_prefixed_digits(p->un_number, "UN", 4))
        return hc_err_set(err, HC_EINVAL, "battery.un_number", "must be UN and 4 digits, e.g. UN3481");
    if (p->packing_instruction && !is_prefixed_digits(p->packing_instruction, "PI", 3))
        return hc_err_set(err, HC_EINVAL, "battery.packing_instruction",
                          "must be PI and 3 digits, e.g. PI967");
    if (p->lithium_mg < -1 || p->lithium_mg > INT64_C(100000000))
        return hc_err_set(err, HC_EINVAL, "battery.lithium_g", "must be 0 to 100000 g");
    if (p->energy_mwh < -1 || p->energy_mwh > INT64_C(100000000000))
        return hc_err_set(err, HC_EINVAL, "battery.energy_wh", "must be 0 to 100000000 Wh");
    bool details = p->un_number || p->packing_instruction || p->lithium_mg >= 0 ||
                   p->energy_mwh >= 0;
    if (details && p->battery != HC_TRI_YES)
        return hc_err_set(err, HC_EINVAL, "battery.present",
                          "must be true when battery details are given");
    return HC_OK;
}

static int check_marks(const struct hc_product *p, hc_err *err)
{
    if (p->nmarks > HC_PRODUCT_LIST_MAX)
        return hc_err_set(err, HC_EINVAL, "marks", "at most %d marks", HC_PRODUCT_LIST_MAX);
    for (size_t i = 0; i < p->nmarks; i++) {
        char f[32];
        snprintf(f, sizeof(f), "marks[%zu]", i);
        const char *m = p->marks[i];
        size_t n = m ? strlen(m) : 0;
        bool ok = n > 0 && n <= HC_MARK_MAX;
        for (size_t k = 0; ok && k < n; k++)
            ok = isupper((unsigned char)m[k]) || isdigit((unsigned char)m[k]) || m[k] == '_';
        if (!ok)
            return hc_err_set(err, HC_EINVAL, f, "must be 1 to %d of A-Z 0-9 _ (e.g. CE, UKCA)",
                              HC_MARK_MAX);
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->marks[k], m) == 0)
                return hc_err_set(err, HC_EINVAL, f, "%s is given twice", m);
    }
    return HC_OK;
}

static int check_epr(const struct hc_product *p, hc_err *err)
{
    if (p->nepr > HC_PRODUCT_LIST_MAX)
        return hc_err_set(err, HC_EINVAL, "epr", "at most %d registrations", HC_PRODUCT_LIST_MAX);
    for (size_t i = 0; i < p->nepr; i++) {
        const struct hc_epr_reg *e = &p->epr[i];
        char f[48];
        snprintf(f, sizeof(f), "epr[%zu].country", i);
        if (e->country == NULL || !hc_country_valid(e->country))
            return hc_err_set(err, HC_EINVAL, f, "must be an ISO 3166-1 alpha-2 country");
        snprintf(f, sizeof(f), "epr[%zu].kind", i);
        if (!is_word(e->kind, HC_EPR_KIND_MAX))
            return hc_err_set(err, HC_EINVAL, f,
                              "must be 1 to %d of a-z 0-9 _ - (packaging, weee, batteries, ...)",
                              HC_EPR_KIND_MAX);
        snprintf(f, sizeof(f), "epr[%zu].number", i);
        if (hc_check_text(e->number, f, 64, false, err))
            return err->code;
        const char *problem = hc_epr_number_problem(e->country, e->kind, e->number);
        if (problem)
            return hc_err_set(err, HC_EINVAL, f, "%s", problem);
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->epr[k].country, e->country) == 0 && strcmp(p->epr[k].kind, e->kind) == 0)
                return hc_err_set(err, HC_EINVAL, f, "%s %s is given twice", e->country, e->kind);
    }
    return HC_OK;
}

/* Digits a tariff code of a destination has: EU CN 8 or TARIC 10, US HTS 10,
 * UK commodity code 10, elsewhere 6 (HS) to 10. */
static bool tariff_shape_ok(const char *market, const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || !hc_all_digits(code, n))
        return false;
    if (strcmp(market, "EU") == 0)
        return n == 8 || n == 10;
    if (strcmp(market, "US") == 0 || strcmp(market, "GB") == 0)
        return n == 10;
    return n >= 6 && n <= 10;
}

static int check_tariffs(const struct hc_product *p, hc_err *err)
{
    if (p->ntariffs > HC_PRODUCT_LIST_MAX)
        return hc_err_set(err, HC_EINVAL, "tariffs", "at most %d codes", HC_PRODUCT_LIST_MAX);
    for (size_t i = 0; i < p->ntariffs; i++) {
        const struct hc_tariff *t = &p->tariffs[i];
        char f[48];
        snprintf(f, sizeof(f), "tariffs[%zu].market", i);
        if (t->market == NULL || (strcmp(t->market, "EU") != 0 && !hc_country_valid(t->market)))
            return hc_err_set(err, HC_EINVAL, f, "must be EU or an ISO 3166-1 alpha-2 country");
        if (hc_market_in_eu(t->market))
            return hc_err_set(err, HC_EINVAL, f,
                              "%s is in the EU customs union: give the code for market EU",
                              t->market);
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->tariffs[k].market, t->market) == 0)
                return hc_err_set(err, HC_EINVAL, f, "%s is given twice", t->market);
        snprintf(f, sizeof(f), "tariffs[%zu].code", i);
        if (!tariff_shape_ok(t->market, t->code))
            return hc_err_set(err, HC_EINVAL, f,
                              "must be digits: EU 8 (CN) or 10 (TARIC), US 10 (HTS), GB 10, "
                              "others 6 to 10");
    }
    return HC_OK;
}

int hc_product_validate(const struct hc_product *p, hc_err *err)
{
    HC_ASSERT(p != NULL);
    if (p->sku == NULL && hc_check_text(p->brand, "brand", HC_BRAND_MAX, false, err))
        return err->code;
    if (p->category && !is_word(p->category, HC_CATEGORY_MAX))
        return hc_err_set(err, HC_EINVAL, "category",
                          "must be 1 to %d of a-z 0-9 _ - (electronics, toys, textiles, ...)",
                          HC_CATEGORY_MAX);
    if (check_gpsr(&p->gpsr, err) || check_battery(p, err) || check_marks(p, err) ||
        check_epr(p, err) || check_tariffs(p, err))
        return err->code;
    return HC_OK;
}

/* ---- storage ------------------------------------------------------------------ */

static const char *rec_kind(const char *sku)
{
    return sku ? "sku" : "brand";
}

static const char *opt(const char *s)
{
    return s ? s : "";
}

static int delete_record(hc_store *s, const char *seller, const char *kind, const char *name,
                         hc_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM compliance_products WHERE seller = ? AND kind = ? AND name = ?",
        "DELETE FROM compliance_epr WHERE seller = ? AND kind = ? AND name = ?",
        "DELETE FROM compliance_tariffs WHERE seller = ? AND kind = ? AND name = ?",
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(sql); i++) {
        int rc = hc_store_run(s, err, NULL, sql[i], "sss", seller, kind, name);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

static void join_marks(const struct hc_product *p, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p->nmarks && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "," : "", p->marks[i]);
}

int hc_product_put(hc_store *s, const struct hc_product *p, const char *actor, hc_err *err)
{
    int rc = hc_product_validate(p, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_seller_exists(s, p->seller, err)) {
        if (err->code != HC_OK && err->code != HC_ENOTFOUND)
            return err->code;
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", p->seller);
    }
    if (p->sku && !hc_sku_exists(s, p->seller, p->sku, err)) {
        if (err->code != HC_OK && err->code != HC_ENOTFOUND)
            return err->code;
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "sku", "no SKU %s of seller %s", p->sku, p->seller);
    }
    const char *kind = rec_kind(p->sku), *name = p->sku ? p->sku : p->brand;
    if ((rc = delete_record(s, p->seller, kind, name, err)) != HC_OK)
        return rc;
    char marks[HC_PRODUCT_LIST_MAX * (HC_MARK_MAX + 1) + 1];
    join_marks(p, marks, sizeof(marks));
    rc = hc_store_run(
        s, err, NULL,
        "INSERT INTO compliance_products (seller, kind, name, category, gpsr_name, gpsr_line1,"
        " gpsr_postcode, gpsr_city, gpsr_country, gpsr_contact, battery, un_number,"
        " packing_instruction, lithium_mg, energy_mwh, marks, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "ssssssssssissiisis", p->seller, kind, name, opt(p->category), opt(p->gpsr.name),
        opt(p->gpsr.line1), opt(p->gpsr.postcode), opt(p->gpsr.city), opt(p->gpsr.country),
        opt(p->gpsr.contact), (int64_t)p->battery, opt(p->un_number), opt(p->packing_instruction),
        p->lithium_mg, p->energy_mwh, marks, hc_now_ms(), actor ? actor : "");
    for (size_t i = 0; rc == HC_OK && i < p->nepr; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO compliance_epr (seller, kind, name, country, scheme, number)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          "ssssss", p->seller, kind, name, p->epr[i].country, p->epr[i].kind,
                          p->epr[i].number);
    for (size_t i = 0; rc == HC_OK && i < p->ntariffs; i++)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO compliance_tariffs (seller, kind, name, market, code)"
                          " VALUES (?, ?, ?, ?, ?)",
                          "sssss", p->seller, kind, name, p->tariffs[i].market,
                          p->tariffs[i].code);
    return rc;
}

static const char *col_or_null(hc_arena *a, hc_stmt *q, int col)
{
    const char *t = hc_stmt_text(q, col);
    return t[0] ? hc_arena_strdup(a, t) : NULL;
}

static void split_marks(hc_arena *a, const char *text, struct hc_product *p)
{
    p->marks = hc_arena_alloc(a, sizeof(*p->marks) * HC_PRODUCT_LIST_MAX);
    p->nmarks = 0;
    char *copy = hc_arena_strdup(a, text), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && p->nmarks < HC_PRODUCT_LIST_MAX;
         t = strtok_r(NULL, ",", &save))
        p->marks[p->nmarks++] = t;
}

#define HEAD_COLS(t)                                                                          \
    t "category, " t "gpsr_name, " t "gpsr_line1, " t "gpsr_postcode, " t "gpsr_city, " t       \
      "gpsr_country, " t "gpsr_contact, " t "battery, " t "un_number, " t                       \
      "packing_instruction, " t "lithium_mg, " t "energy_mwh, " t "marks, " t "updated_at, " t  \
      "updated_by"
#define HEAD_NCOLS 15

/* The record's head from the HEAD_COLS at column c of q's row. */
static void read_head(hc_arena *a, hc_stmt *q, int c, struct hc_product *p)
{
    p->category = col_or_null(a, q, c);
    p->gpsr = (struct hc_gpsr_operator){col_or_null(a, q, c + 1), col_or_null(a, q, c + 2),
                                        col_or_null(a, q, c + 3), col_or_null(a, q, c + 4),
                                        col_or_null(a, q, c + 5), col_or_null(a, q, c + 6)};
    p->battery = (int)hc_stmt_int(q, c + 7);
    p->un_number = col_or_null(a, q, c + 8);
    p->packing_instruction = col_or_null(a, q, c + 9);
    p->lithium_mg = hc_stmt_int(q, c + 10);
    p->energy_mwh = hc_stmt_int(q, c + 11);
    split_marks(a, hc_stmt_text(q, c + 12), p);
    p->updated_at = hc_stmt_int(q, c + 13);
    p->updated_by = hc_arena_strdup(a, hc_stmt_text(q, c + 14));
}

static int load_head(hc_store *s, hc_arena *a, const char *seller, const char *kind,
                     const char *name, struct hc_product *p, bool *found, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " HEAD_COLS("") " FROM compliance_products"
                            " WHERE seller = ? AND kind = ? AND name = ?",
                            "sss", seller, kind, name);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    *found = rc == HC_ROW;
    if (rc == HC_ROW)
        read_head(a, q, 0, p);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

static int load_lists(hc_store *s, hc_arena *a, const char *seller, const char *kind,
                      const char *name, struct hc_product *p, hc_err *err)
{
    hc_stmt *q;
    p->epr = hc_arena_alloc(a, sizeof(*p->epr) * HC_PRODUCT_LIST_MAX);
    p->tariffs = hc_arena_alloc(a, sizeof(*p->tariffs) * HC_PRODUCT_LIST_MAX);
    int rc = hc_store_query(s, err, &q,
                            "SELECT country, scheme, number FROM compliance_epr WHERE seller = ?"
                            " AND kind = ? AND name = ? ORDER BY country, scheme",
                            "sss", seller, kind, name);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && p->nepr < HC_PRODUCT_LIST_MAX)
        p->epr[p->nepr++] = (struct hc_epr_reg){hc_arena_strdup(a, hc_stmt_text(q, 0)),
                                                hc_arena_strdup(a, hc_stmt_text(q, 1)),
                                                hc_arena_strdup(a, hc_stmt_text(q, 2))};
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    rc = hc_store_query(s, err, &q,
                        "SELECT market, code FROM compliance_tariffs WHERE seller = ? AND kind = ?"
                        " AND name = ? ORDER BY market",
                        "sss", seller, kind, name);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && p->ntariffs < HC_PRODUCT_LIST_MAX)
        p->tariffs[p->ntariffs++] = (struct hc_tariff){hc_arena_strdup(a, hc_stmt_text(q, 0)),
                                                       hc_arena_strdup(a, hc_stmt_text(q, 1))};
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_product_get(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                   const char *brand, struct hc_product *out, bool *found, hc_err *err)
{
    hc_product_init(out);
    out->seller = seller;
    out->sku = sku;
    out->brand = sku ? NULL : brand;
    const char *kind = rec_kind(sku), *name = sku ? sku : brand;
    HC_ASSERT(name != NULL);
    int rc = load_head(s, a, seller, kind, name, out, found, err);
    if (rc == HC_OK && *found)
        rc = load_lists(s, a, seller, kind, name, out, err);
    return rc;
}

/* ---- merge ---------------------------------------------------------------------- */

static void merge_marks(hc_arena *a, const struct hc_product *b, const struct hc_product *t,
                        struct hc_product *o)
{
    o->marks = hc_arena_alloc(a, sizeof(*o->marks) * (b->nmarks + t->nmarks + 1));
    o->nmarks = 0;
    for (size_t i = 0; i < t->nmarks; i++)
        o->marks[o->nmarks++] = t->marks[i];
    for (size_t i = 0; i < b->nmarks; i++) {
        bool dup = false;
        for (size_t k = 0; k < t->nmarks && !dup; k++)
            dup = strcmp(t->marks[k], b->marks[i]) == 0;
        if (!dup)
            o->marks[o->nmarks++] = b->marks[i];
    }
}

static void merge_lists(hc_arena *a, const struct hc_product *b, const struct hc_product *t,
                        struct hc_product *o)
{
    o->epr = hc_arena_alloc(a, sizeof(*o->epr) * (b->nepr + t->nepr + 1));
    o->nepr = 0;
    for (size_t i = 0; i < t->nepr; i++)
        o->epr[o->nepr++] = t->epr[i];
    for (size_t i = 0; i < b->nepr; i++) {
        bool dup = false;
        for (size_t k = 0; k < t->nepr && !dup; k++)
            dup = strcmp(t->epr[k].country, b->epr[i].country) == 0 &&
                  strcmp(t->epr[k].kind, b->epr[i].kind) == 0;
        if (!dup)
            o->epr[o->nepr++] = b->epr[i];
    }
    o->tariffs = hc_arena_alloc(a, sizeof(*o->tariffs) * (b->ntariffs + t->ntariffs + 1));
    o->ntariffs = 0;
    for (size_t i = 0; i < t->ntariffs; i++)
        o->tariffs[o->ntariffs++] = t->tariffs[i];
    for (size_t i = 0; i < b->ntariffs; i++) {
        bool dup = false;
        for (size_t k = 0; k < t->ntariffs && !dup; k++)
            dup = strcmp(t->tariffs[k].market, b->tariffs[i].market) == 0;
        if (!dup)
            o->tariffs[o->ntariffs++] = b->tariffs[i];
    }
}

void hc_product_merge(hc_arena *a, const struct hc_product *base, const struct hc_product *top,
                      struct hc_product *out)
{
    struct hc_product empty;
    hc_product_init(&empty);
    const struct hc_product *b = base ? base : &empty;
    struct hc_product o = *top;
    if (!o.category)
        o.category = b->category;
    if (!o.gpsr.name)
        o.gpsr = b->gpsr;
    if (o.battery == HC_TRI_UNSET) { /* the battery facts travel together */
        o.battery = b->battery;
        o.un_number = b->un_number;
        o.packing_instruction = b->packing_instruction;
        o.lithium_mg = b->lithium_mg;
        o.energy_mwh = b->energy_mwh;
    }
    merge_marks(a, b, top, &o);
    merge_lists(a, b, top, &o);
    *out = o;
}

int hc_product_effective(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                         struct hc_product *out, hc_err *err)
{
    struct hc_sku k;
    int rc = hc_sku_get(s, a, seller, sku, &k, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "sku", "no SKU %s of seller %s", sku, seller);
    }
    if (rc != HC_OK)
        return rc;
    struct hc_product own, brand;
    bool found_own = false, found_brand = false;
    rc = hc_product_get(s, a, seller, sku, NULL, &own, &found_own, err);
    if (rc == HC_OK && k.brand && k.brand[0])
        rc = hc_product_get(s, a, seller, NULL, k.brand, &brand, &found_brand, err);
    if (rc != HC_OK)
        return rc;
    hc_product_merge(a, found_brand ? &brand : NULL, &own, out);
    out->seller = k.seller;
    out->sku = k.sku;
    out->brand = k.brand && k.brand[0] ? k.brand : NULL;
    out->hs_code = k.hs_code;
    return HC_OK;
}

/* ---- the gate's path: one SKU in two queries -------------------------------------------
 * The SKU with its own and brand records and its brands row in one query,
 * the records' EPR and tariff lists in a second (only when a record is
 * there). Both have fixed text and equality on whole keys: SQLite answers
 * them from the primary keys without temporary tables (IN lists over several
 * SKUs measured slower: each execution builds its lists anew). */

static void facts_row(hc_arena *a, hc_stmt *q, struct hc_sku_facts *f)
{
    const char *brand = hc_stmt_text(q, 0);
    f->known = true;
    f->product.brand = brand[0] ? hc_arena_strdup(a, brand) : NULL;
    f->product.hs_code = hc_arena_strdup(a, hc_stmt_text(q, 1));
    f->own_found = !hc_stmt_is_null(q, 2);
    if (f->own_found)
        read_head(a, q, 2, &f->own);
    f->brand_found = f->product.brand && !hc_stmt_is_null(q, 2 + HEAD_NCOLS);
    if (f->brand_found)
        read_head(a, q, 2 + HEAD_NCOLS, &f->base);
    f->brand_recorded = f->product.brand && !hc_stmt_is_null(q, 2 + 2 * HEAD_NCOLS);
    f->brand_owner = f->brand_recorded && hc_stmt_int(q, 2 + 2 * HEAD_NCOLS) != 0;
}

static int load_facts_head(hc_store *s, hc_arena *a, const char *seller, struct hc_sku_facts *f,
                           hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT k.brand, k.hs_code, " HEAD_COLS("p.") ", " HEAD_COLS("b.")
        ", r.seller_is_owner FROM skus k"
        " LEFT JOIN compliance_products p ON p.seller = k.seller AND p.kind = 'sku'"
        " AND p.name = k.sku"
        " LEFT JOIN compliance_products b ON b.seller = k.seller AND b.kind = 'brand'"
        " AND b.name = k.brand"
        " LEFT JOIN brands r ON r.seller = k.seller AND r.name = k.brand"
        " WHERE k.seller = ? AND k.sku = ?",
        "ss", seller, f->product.sku);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW)
        facts_row(a, q, f);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

static void add_list_row(hc_arena *a, hc_stmt *q, struct hc_product *p)
{
    if (hc_stmt_int(q, 0) == 0 && p->nepr < HC_PRODUCT_LIST_MAX)
        p->epr[p->nepr++] = (struct hc_epr_reg){hc_arena_strdup(a, hc_stmt_text(q, 2)),
                                                hc_arena_strdup(a, hc_stmt_text(q, 3)),
                                                hc_arena_strdup(a, hc_stmt_text(q, 4))};
    else if (hc_stmt_int(q, 0) == 1 && p->ntariffs < HC_PRODUCT_LIST_MAX)
        p->tariffs[p->ntariffs++] = (struct hc_tariff){hc_arena_strdup(a, hc_stmt_text(q, 2)),
                                                       hc_arena_strdup(a, hc_stmt_text(q, 3))};
}

/* The EPR and tariff lists of the SKU's own record and its brand's (a
 * record's lists exist only beside its head: hc_product_put writes both). */
static int load_facts_lists(hc_store *s, hc_arena *a, const char *seller, struct hc_sku_facts *f,
                            hc_err *err)
{
    if (!f->own_found && !f->brand_found)
        return HC_OK;
    const char *sku = f->product.sku, *brand = f->brand_found ? f->product.brand : "";
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT 0, kind, country, scheme, number FROM compliance_epr"
        " WHERE seller = ? AND kind = 'sku' AND name = ?"
        " UNION ALL SELECT 0, kind, country, scheme, number FROM compliance_epr"
        " WHERE seller = ? AND kind = 'brand' AND name = ?"
        " UNION ALL SELECT 1, kind, market, code, '' FROM compliance_tariffs"
        " WHERE seller = ? AND kind = 'sku' AND name = ?"
        " UNION ALL SELECT 1, kind, market, code, '' FROM compliance_tariffs"
        " WHERE seller = ? AND kind = 'brand' AND name = ?",
        "ssssssss", seller, sku, seller, brand, seller, sku, seller, brand);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        add_list_row(a, q, strcmp(hc_stmt_text(q, 1), "sku") == 0 ? &f->own : &f->base);
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

static void facts_init(hc_arena *a, const char *seller, const char *sku, struct hc_sku_facts *f)
{
    memset(f, 0, sizeof(*f));
    hc_product_init(&f->product);
    f->product.seller = seller;
    f->product.sku = sku;
    struct hc_product *r[2] = {&f->own, &f->base};
    for (int k = 0; k < 2; k++) {
        hc_product_init(r[k]);
        r[k]->epr = hc_arena_alloc(a, sizeof(*r[k]->epr) * HC_PRODUCT_LIST_MAX);
        r[k]->tariffs = hc_arena_alloc(a, sizeof(*r[k]->tariffs) * HC_PRODUCT_LIST_MAX);
    }
}

int hc_sku_facts_load(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                      bool records, struct hc_sku_facts *out, hc_err *err)
{
    facts_init(a, seller, sku, out);
    int rc = load_facts_head(s, a, seller, out, err);
    if (rc != HC_OK || !out->known)
        return rc;
    if (records && (rc = load_facts_lists(s, a, seller, out, err)) != HC_OK)
        return rc;
    struct hc_product *p = &out->product;
    const char *brand = p->brand, *hs = p->hs_code;
    out->own.seller = seller;
    out->own.sku = sku;
    hc_product_merge(a, out->brand_found ? &out->base : NULL, &out->own, p);
    p->seller = seller;
    p->sku = sku;
    p->brand = brand;
    p->hs_code = hs;
    return HC_OK;
}

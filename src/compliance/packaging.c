/* packaging.c: packaging materials, battery and electrical equipment per
 * SKU unit, in exact milligrams (compliance.h). */
#include "compliance/compliance.h"
#include "catalog/catalog.h"

#include <stdio.h>
#include <string.h>

/* The material groups EPR packaging schemes ask for (e.g. Germany's
 * VerpackG Sec. 3 and LUCID: paper/cardboard, plastics, glass, aluminium,
 * ferrous metal, composites, other; wood where a scheme has it). */
static const char *const materials[HC_MATERIALS] = {
    [HC_MAT_PAPER] = "paper",         [HC_MAT_PLASTIC] = "plastic",
    [HC_MAT_GLASS] = "glass",         [HC_MAT_ALUMINIUM] = "aluminium",
    [HC_MAT_FERROUS] = "ferrous",     [HC_MAT_WOOD] = "wood",
    [HC_MAT_COMPOSITE] = "composite", [HC_MAT_OTHER] = "other",
};

const char *hc_material_name(int m)
{
    HC_ASSERT(m >= 0 && m < HC_MATERIALS);
    return materials[m];
}

static const char *const battery_categories[] = {"portable", "lmt", "sli", "industrial", "ev"};

bool hc_battery_category_valid(const char *c)
{
    for (size_t i = 0; c && i < HC_ARRAY_LEN(battery_categories); i++)
        if (strcmp(c, battery_categories[i]) == 0)
            return true;
    return false;
}

/* Directive 2012/19/EU, Annex III (from 2018-08-15). */
static const char *const eee_names[HC_EEE_CATEGORIES + 1] = {
    "",
    "temperature exchange equipment",
    "screens and monitors (> 100 cm2)",
    "lamps",
    "large equipment",
    "small equipment",
    "small IT and telecommunication equipment",
};

const char *hc_eee_category_name(int c)
{
    return c >= 1 && c <= HC_EEE_CATEGORIES ? eee_names[c] : "";
}

int hc_mass_parse(const char *grams, const char *field, int64_t *mg, hc_err *err)
{
    if (grams == NULL || *grams == '\0' || hc_decimal_parse(grams, 3, mg) != HC_OK)
        return hc_err_set(err, HC_EINVAL, field,
                          "must be grams as a decimal string with at most 3 decimals");
    if (*mg < 0 || *mg > HC_MASS_MAX_MG)
        return hc_err_set(err, HC_EINVAL, field, "must be 0..1000000000 g");
    return HC_OK;
}

void hc_mass_format(int64_t mg, char *buf, size_t size)
{
    hc_decimal_format(mg, 3, buf, size);
}

int hc_packaging_validate(const struct hc_packaging *p, hc_err *err)
{
    if (hc_check_code(p->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_code(p->sku, "sku", HC_SKU_MAX, err))
        return err->code;
    for (int m = 0; m < HC_MATERIALS; m++)
        if (p->mg[m] < 0 || p->mg[m] > HC_MASS_MAX_MG)
            return hc_err_set(err, HC_EINVAL, hc_material_name(m), "must be 0..1000000000 g");
    bool has_battery = p->battery && *p->battery;
    if (has_battery && !hc_battery_category_valid(p->battery))
        return hc_err_set(err, HC_EINVAL, "battery.category",
                          "must be portable, lmt, sli, industrial or ev");
    if (p->battery_mg < 0 || p->battery_mg > HC_MASS_MAX_MG ||
        (has_battery && p->battery_mg == 0) || (!has_battery && p->battery_mg != 0))
        return hc_err_set(err, HC_EINVAL, "battery.weight_g",
                          "a battery's weight is > 0 g (and only with its category)");
    if (p->eee_category < 0 || p->eee_category > HC_EEE_CATEGORIES)
        return hc_err_set(err, HC_EINVAL, "eee.category", "must be 1..6 (WEEE Annex III)");
    if (p->eee_mg < 0 || p->eee_mg > HC_MASS_MAX_MG ||
        (p->eee_category && p->eee_mg == 0) || (!p->eee_category && p->eee_mg != 0))
        return hc_err_set(err, HC_EINVAL, "eee.weight_g",
                          "the equipment's weight is > 0 g (and only with its category)");
    return HC_OK;
}

int64_t hc_packaging_unit_mg(const struct hc_packaging *p)
{
    int64_t sum = 0;
    for (int m = 0; m < HC_MATERIALS; m++)
        sum += p->mg[m]; /* each <= 1e12: no overflow */
    return sum;
}

static int add_product(int64_t *total, int64_t per_unit, int64_t units, hc_err *err)
{
    int64_t product;
    if (__builtin_mul_overflow(per_unit, units, &product) ||
        __builtin_add_overflow(*total, product, total))
        return hc_err_set(err, HC_ETOOBIG, "", "a total is over 9.2e15 g");
    return HC_OK;
}

int hc_packaging_add_units(const struct hc_packaging *p, int64_t units,
                           struct hc_mass_totals *out, hc_err *err)
{
    HC_ASSERT(units >= 0);
    int rc = HC_OK;
    for (int m = 0; rc == HC_OK && m < HC_MATERIALS; m++)
        rc = add_product(&out->mg[m], p->mg[m], units, err);
    if (rc == HC_OK)
        rc = add_product(&out->battery_mg, p->battery_mg, units, err);
    if (rc == HC_OK)
        rc = add_product(&out->eee_mg, p->eee_mg, units, err);
    return rc;
}

int hc_packaging_put(hc_store *s, const struct hc_packaging *p, bool *created, hc_err *err)
{
    int rc = hc_packaging_validate(p, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_sku_exists(s, p->seller, p->sku, err))
        return err->code ? err->code
                         : hc_err_set(err, HC_ENOTFOUND, "sku", "no SKU %s of seller %s", p->sku,
                                      p->seller);
    int64_t changes = 0;
    rc = hc_store_run(s, err, &changes, "DELETE FROM sku_packaging WHERE seller = ? AND sku = ?",
                      "ss", p->seller, p->sku);
    *created = changes == 0;
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO sku_packaging (seller, sku, paper_mg, plastic_mg, glass_mg,"
                          " aluminium_mg, ferrous_mg, wood_mg, composite_mg, other_mg, battery,"
                          " battery_mg, eee_category, eee_mg, actor, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssiiiiiiiisiiisi", p->seller, p->sku, p->mg[0], p->mg[1], p->mg[2],
                          p->mg[3], p->mg[4], p->mg[5], p->mg[6], p->mg[7],
                          p->battery ? p->battery : "", p->battery_mg, (int64_t)p->eee_category,
                          p->eee_mg, p->actor ? p->actor : "", hc_now_ms());
    return rc;
}

#define PACK_COLS                                                                              \
    "seller, sku, paper_mg, plastic_mg, glass_mg, aluminium_mg, ferrous_mg, wood_mg,"          \
    " composite_mg, other_mg, battery, battery_mg, eee_category, eee_mg, actor, updated_at"

static void pack_row(hc_stmt *q, hc_arena *a, struct hc_packaging *p)
{
    p->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
    p->sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
    for (int m = 0; m < HC_MATERIALS; m++)
        p->mg[m] = hc_stmt_int(q, 2 + m);
    p->battery = hc_arena_strdup(a, hc_stmt_text(q, 10));
    p->battery_mg = hc_stmt_int(q, 11);
    p->eee_category = (int)hc_stmt_int(q, 12);
    p->eee_mg = hc_stmt_int(q, 13);
    p->actor = hc_arena_strdup(a, hc_stmt_text(q, 14));
    p->updated_at = hc_stmt_int(q, 15);
}

int hc_packaging_get(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                     struct hc_packaging *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " PACK_COLS " FROM sku_packaging WHERE seller = ? AND sku = ?",
                            "ss", seller, sku);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        pack_row(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "sku", "no packaging data for %s of seller %s", sku,
                          seller);
    return rc == HC_ROW ? HC_OK : rc;
}

int hc_packaging_list(hc_store *s, hc_arena *a, const char *seller, const char *cursor,
                      int limit, struct hc_packaging **items, size_t *n, const char **next,
                      hc_err *err)
{
    HC_ASSERT(limit > 0);
    const char *cs = "", *ck = "";
    if (cursor) {
        const char *slash = strchr(cursor, '/');
        if (slash == NULL || slash == cursor || slash[1] == '\0')
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        cs = hc_arena_strndup(a, cursor, (size_t)(slash - cursor));
        ck = slash + 1;
    }
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " PACK_COLS " FROM sku_packaging WHERE (? = '' OR seller = ?)"
                            " AND (seller > ? OR (seller = ? AND sku > ?))"
                            " ORDER BY seller, sku LIMIT ?",
                            "sssssi", seller ? seller : "", seller ? seller : "", cs, cs, ck,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * ((size_t)limit + 1));
    *n = 0;
    *next = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        pack_row(q, a, &(*items)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (*n > (size_t)limit) {
        *n = (size_t)limit;
        *next = hc_arena_printf(a, "%s/%s", (*items)[*n - 1].seller, (*items)[*n - 1].sku);
    }
    return HC_OK;
}

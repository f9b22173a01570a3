/* catalog.c: validation and persistence of sellers, warehouses, locations
 * and SKUs. */
#include "catalog.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int hc_check_text(const char *v, const char *field, size_t max, bool optional, hc_err *err)
{
    if (v == NULL || *v == '\0') {
        if (optional)
            return HC_OK;
        return hc_err_set(err, HC_EINVAL, field, "is required");
    }
    size_t n = strlen(v);
    if (!hc_utf8_valid(v, n))
        return hc_err_set(err, HC_EINVAL, field, "is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20)
            return hc_err_set(err, HC_EINVAL, field, "contains control characters");
    if (hc_utf8_len(v) > max)
        return hc_err_set(err, HC_EINVAL, field, "is longer than %zu characters", max);
    return HC_OK;
}

int hc_check_code(const char *v, const char *field, size_t max, hc_err *err)
{
    int rc = hc_check_text(v, field, max, false, err);
    if (rc != HC_OK)
        return rc;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return hc_err_set(err, HC_EINVAL, field,
                              "may hold only letters, digits, '-', '_' and '.'");
    return HC_OK;
}

static int check_country(const char *v, const char *field, hc_err *err)
{
    if (v == NULL || *v == '\0')
        return hc_err_set(err, HC_EINVAL, field, "is required");
    if (!hc_country_valid(v))
        return hc_err_set(err, HC_EINVAL, field, "is not an ISO 3166-1 alpha-2 country code");
    return HC_OK;
}

static int check_dims(const int64_t d[3], int64_t max, const char *field, hc_err *err)
{
    for (int i = 0; i < 3; i++)
        if (d[i] <= 0 || d[i] > max)
            return hc_err_set(err, HC_EINVAL, field, "each dimension must be 1..%lld mm",
                              (long long)max);
    return HC_OK;
}

int hc_seller_validate(const struct hc_seller *s, hc_err *err)
{
    if (hc_check_code(s->code, "code", HC_CODE_MAX, err) ||
        hc_check_text(s->name, "name", HC_NAME_MAX, false, err) ||
        check_country(s->country, "country", err))
        return err->code;
    if (s->uscc && *s->uscc) {
        if (strlen(s->uscc) != 18)
            return hc_err_set(err, HC_EINVAL, "uscc", "must be the 18-character unified social credit code");
        for (const char *p = s->uscc; *p; p++)
            if (!isdigit((unsigned char)*p) && !isupper((unsigned char)*p))
                return hc_err_set(err, HC_EINVAL, "uscc", "must be digits and capital letters");
    }
    if (s->customs_code && *s->customs_code) {
        size_t n = strlen(s->customs_code);
        if (n != 10 && n != 18)
            return hc_err_set(err, HC_EINVAL, "customs_code", "must be 10 or 18 characters");
        for (const char *p = s->customs_code; *p; p++)
            if (!isalnum((unsigned char)*p))
                return hc_err_set(err, HC_EINVAL, "customs_code", "must be letters and digits");
    }
    return HC_OK;
}

int hc_seller_create(hc_store *st, const struct hc_seller *s, hc_err *err)
{
    int rc = hc_seller_validate(s, err);
    if (rc != HC_OK)
        return rc;
    rc = hc_store_run(st, err, NULL,
                      "INSERT INTO sellers (code, name, country, uscc, customs_code, created_at)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
                      "sssssi", s->code, s->name, s->country, s->uscc, s->customs_code,
                      s->created_at ? s->created_at : hc_now_ms());
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ECONFLICT, "code", "seller %s exists already", s->code);
    }
    return rc;
}

int hc_seller_get(hc_store *st, hc_arena *a, const char *code, struct hc_seller *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT code, name, country, uscc, customs_code, created_at FROM sellers"
                            " WHERE code = ?",
                            "s", code);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->name = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->country = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->uscc = hc_stmt_is_null(q, 3) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->customs_code = hc_stmt_is_null(q, 4) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 4));
        out->created_at = hc_stmt_int(q, 5);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", code);
    }
    hc_stmt_reset(q);
    return rc;
}

int hc_seller_set_codes(hc_store *st, const char *code, const char *uscc, const char *customs_code,
                        hc_err *err)
{
    int64_t changes = 0;
    int rc = hc_store_run(st, err, &changes,
                          "UPDATE sellers SET uscc = ?, customs_code = ? WHERE code = ?", "sss",
                          uscc && *uscc ? uscc : NULL, customs_code && *customs_code ? customs_code : NULL,
                          code);
    if (rc == HC_OK && changes == 0)
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", code);
    return rc;
}

bool hc_timezone_valid(const char *tz)
{
    if (tz == NULL || *tz == '\0' || strlen(tz) > 64 || strstr(tz, "..") || tz[0] == '/')
        return false;
    for (const char *p = tz; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return false;
    if (strcmp(tz, "UTC") == 0)
        return true;
    char path[128];
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int hc_warehouse_validate(const struct hc_warehouse *w, hc_err *err)
{
    if (hc_check_code(w->code, "code", HC_CODE_MAX, err) ||
        hc_check_text(w->name, "name", HC_NAME_MAX, false, err) ||
        check_country(w->country, "country", err) ||
        hc_check_text(w->timezone, "timezone", 64, false, err) ||
        hc_check_text(w->address_json, "address", 4000, false, err))
        return err->code;
    if (!hc_timezone_valid(w->timezone))
        return hc_err_set(err, HC_EINVAL, "timezone", "is not an IANA time zone such as Europe/Berlin");
    if (w->has_geo && (w->lat < -90 || w->lat > 90))
        return hc_err_set(err, HC_EINVAL, "lat", "must be -90..90");
    if (w->has_geo && (w->lon < -180 || w->lon > 180))
        return hc_err_set(err, HC_EINVAL, "lon", "must be -180..180");
    if (w->aisle_pitch_mm < 500 || w->aisle_pitch_mm > 50000)
        return hc_err_set(err, HC_EINVAL, "layout.aisle_pitch_mm", "must be 500..50000");
    if (w->bay_pitch_mm < 100 || w->bay_pitch_mm > 20000)
        return hc_err_set(err, HC_EINVAL, "layout.bay_pitch_mm", "must be 100..20000");
    if (w->depot_aisle < 0 || w->depot_aisle > 10000)
        return hc_err_set(err, HC_EINVAL, "layout.depot_aisle", "must be 0..10000");
    if (w->bays_per_aisle < 0 || w->bays_per_aisle > 10000)
        return hc_err_set(err, HC_EINVAL, "layout.bays_per_aisle", "must be 0..10000");
    if (w->ncross > HC_LAYOUT_CROSS_AISLES_MAX)
        return hc_err_set(err, HC_EINVAL, "layout.cross_aisles", "at most %d middle cross aisles",
                          HC_LAYOUT_CROSS_AISLES_MAX);
    if (w->ncross > 0 && w->bays_per_aisle < 2)
        return hc_err_set(err, HC_EINVAL, "layout.bays_per_aisle",
                          "is required (>= 2) to place cross aisles inside the aisles");
    for (size_t i = 0; i < w->ncross; i++) {
        char field[48];
        snprintf(field, sizeof(field), "layout.cross_aisles[%zu]", i);
        if (w->cross_aisles[i] < 1 || w->cross_aisles[i] >= w->bays_per_aisle)
            return hc_err_set(err, HC_EINVAL, field,
                              "must be 1..%lld: a cross aisle runs between two bays inside the"
                              " aisle (bays_per_aisle %lld)",
                              (long long)w->bays_per_aisle - 1, (long long)w->bays_per_aisle);
        if (i > 0 && w->cross_aisles[i] <= w->cross_aisles[i - 1])
            return hc_err_set(err, HC_EINVAL, field, "must be greater than the one before");
    }
    if (w->route_policy && w->route_policy[0]) {
        static const char *const names[] = {HC_ROUTE_POLICY_NAMES};
        bool known = false;
        for (size_t i = 0; i < HC_ARRAY_LEN(names); i++)
            known |= strcmp(w->route_policy, names[i]) == 0;
        if (!known)
            return hc_err_set(err, HC_EINVAL, "layout.route_policy",
                              "must be optimal, s-shape, return, largest-gap or combined");
    }
    return HC_OK;
}

static _Atomic int64_t warehouse_generation;

int64_t hc_warehouse_generation(void)
{
    return atomic_load(&warehouse_generation);
}

int hc_warehouse_create(hc_store *st, const struct hc_warehouse *w, hc_err *err)
{
    atomic_fetch_add(&warehouse_generation, 1);
    int rc = hc_warehouse_validate(w, err);
    if (rc != HC_OK)
        return rc;
    double lat = w->lat, lon = w->lon;
    bool geo = w->has_geo || hc_country_centroid(w->country, &lat, &lon);
    char cross[100] = "";
    for (size_t i = 0, at = 0; i < w->ncross; i++)
        at += (size_t)snprintf(cross + at, sizeof(cross) - at, "%s%lld", i ? "," : "",
                               (long long)w->cross_aisles[i]); /* <= 4 * 6 characters */
    rc = hc_store_run(st, err, NULL,
                      "INSERT INTO warehouses (code, name, country, address, timezone, lat_e6,"
                      " lon_e6, aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at,"
                      " bays_per_aisle, cross_aisles, route_policy)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      geo ? "sssssiiiiiiiss" : "sssssnniiiiiss", w->code, w->name, w->country,
                      w->address_json, w->timezone, (int64_t)llround(lat * 1e6), (int64_t)llround(lon * 1e6),
                      w->aisle_pitch_mm, w->bay_pitch_mm, w->depot_aisle,
                      w->created_at ? w->created_at : hc_now_ms(), w->bays_per_aisle, cross,
                      w->route_policy && w->route_policy[0] ? w->route_policy : "optimal");
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ECONFLICT, "code", "warehouse %s exists already", w->code);
    }
    static const char *special[] = {"RECEIVING", "RETURNS"};
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(special); i++) {
        struct hc_location l = {.code = special[i], .zone = special[i],
                                .dims_mm = {20000, 20000, 5000}, .max_weight_g = 100000000000LL,
                                .aisle = 0, .bay = 0, .level = 0, .pickable = i == 1};
        rc = hc_location_create(st, w->code, &l, err);
    }
    return rc;
}

int hc_warehouse_get(hc_store *st, hc_arena *a, const char *code, struct hc_warehouse *out,
                     hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT code, name, country, address, timezone, lat_e6, lon_e6,"
                            " aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at,"
                            " bays_per_aisle, cross_aisles, route_policy"
                            " FROM warehouses WHERE code = ?",
                            "s", code);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->name = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->country = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->address_json = hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->timezone = hc_arena_strdup(a, hc_stmt_text(q, 4));
        out->has_geo = !hc_stmt_is_null(q, 5);
        out->lat = (double)hc_stmt_int(q, 5) / 1e6;
        out->lon = (double)hc_stmt_int(q, 6) / 1e6;
        out->aisle_pitch_mm = hc_stmt_int(q, 7);
        out->bay_pitch_mm = hc_stmt_int(q, 8);
        out->depot_aisle = hc_stmt_int(q, 9);
        out->created_at = hc_stmt_int(q, 10);
        out->bays_per_aisle = hc_stmt_int(q, 11);
        out->ncross = 0;
        for (const char *c = hc_stmt_text(q, 12); c && *c && out->ncross < HC_LAYOUT_CROSS_AISLES_MAX;) {
            char *end;
            out->cross_aisles[out->ncross++] = strtoll(c, &end, 10);
            c = *end == ',' ? end + 1 : end;
            if (end == c && *c) /* not a number: stop */
                break;
        }
        out->route_policy = hc_arena_strdup(a, hc_stmt_text(q, 13));
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", code);
    }
    hc_stmt_reset(q);
    return rc;
}

int hc_location_parse_code(const char *code, int64_t out[3])
{
    int n = 0;
    const char *p = code;
    while (*p && n < 3) {
        if (isdigit((unsigned char)*p)) {
            int64_t v = 0;
            while (isdigit((unsigned char)*p) && v < 1000000)
                v = v * 10 + (*p++ - '0');
            out[n++] = v;
        } else if (isalpha((unsigned char)*p)) {
            int64_t v = 0;
            while (isalpha((unsigned char)*p) && v < 1000000)
                v = v * 26 + (toupper((unsigned char)*p++) - 'A' + 1);
            out[n++] = v;
        } else {
            p++;
        }
    }
    return n;
}

int hc_location_validate(struct hc_location *l, const char *prefix, hc_err *err)
{
    char f[96];
    snprintf(f, sizeof(f), "%s.code", prefix);
    if (hc_check_code(l->code, f, HC_LOCATION_MAX, err))
        return err->code;
    snprintf(f, sizeof(f), "%s.zone", prefix);
    if (hc_check_text(l->zone, f, 32, false, err))
        return err->code;
    snprintf(f, sizeof(f), "%s.dims_mm", prefix);
    if (check_dims(l->dims_mm, 100000, f, err))
        return err->code;
    if (l->max_weight_g <= 0 || l->max_weight_g > 100000000000LL) {
        snprintf(f, sizeof(f), "%s.max_weight_g", prefix);
        return hc_err_set(err, HC_EINVAL, f, "must be 1..100000000000");
    }
    int64_t parsed[3] = {0, 0, 0};
    int n = hc_location_parse_code(l->code, parsed);
    int64_t *abl[3] = {&l->aisle, &l->bay, &l->level};
    static const char *names[3] = {"aisle", "bay", "level"};
    for (int i = 0; i < 3; i++) {
        if (*abl[i] < 0)
            *abl[i] = i < n ? parsed[i] : 0;
        if (*abl[i] > 1000000) {
            snprintf(f, sizeof(f), "%s.%s", prefix, names[i]);
            return hc_err_set(err, HC_EINVAL, f, "must be 0..1000000");
        }
    }
    return HC_OK;
}

int hc_location_create(hc_store *st, const char *warehouse, const struct hc_location *l,
                       hc_err *err)
{
    int rc = hc_store_run(st, err, NULL,
                          "INSERT INTO locations (warehouse, code, zone, l, w, h, max_weight_g,"
                          " aisle, bay, lvl, pickable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssiiiiiiii", warehouse, l->code, l->zone, l->dims_mm[0], l->dims_mm[1],
                          l->dims_mm[2], l->max_weight_g, l->aisle, l->bay, l->level,
                          (int64_t)(l->pickable ? 1 : 0));
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ECONFLICT, "code", "location %s exists already in %s", l->code,
                          warehouse);
    }
    return rc;
}

int hc_sku_validate(const struct hc_sku *s, hc_err *err)
{
    if (hc_check_code(s->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_code(s->sku, "sku", HC_SKU_MAX, err) ||
        hc_check_text(s->name, "name", HC_SKU_NAME_MAX, false, err) ||
        hc_check_text(s->name_zh, "name_zh", HC_SKU_NAME_MAX, true, err) ||
        hc_check_text(s->barcode, "barcode", 64, true, err) ||
        hc_check_text(s->brand, "brand", 100, true, err))
        return err->code;
    if (s->hs_code == NULL || strlen(s->hs_code) != 10 || !hc_all_digits(s->hs_code, 10))
        return hc_err_set(err, HC_EINVAL, "hs_code", "must be exactly 10 digits");
    if (hc_currency_scale(s->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "declared_value.currency", "must be an ISO 4217 code");
    if (s->value_minor < 0)
        return hc_err_set(err, HC_EINVAL, "declared_value.amount", "must be >= 0");
    if (check_country(s->origin_country, "origin_country", err))
        return err->code;
    if (check_dims(s->dims_mm, 20000, "dims_mm", err))
        return err->code;
    if (s->weight_g <= 0 || s->weight_g > 100000000)
        return hc_err_set(err, HC_EINVAL, "weight_g", "must be 1..100000000");
    return HC_OK;
}

int hc_sku_create(hc_store *st, const struct hc_sku *s, hc_err *err)
{
    int rc = hc_sku_validate(s, err);
    if (rc != HC_OK)
        return rc;
    rc = hc_store_run(st, err, NULL,
                      "INSERT INTO skus (seller, sku, name, name_zh, hs_code, value_minor, currency,"
                      " origin, l, w, h, weight_g, barcode, brand, created_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "sssssissiiiissi", s->seller, s->sku, s->name, s->name_zh, s->hs_code,
                      s->value_minor, s->currency, s->origin_country, s->dims_mm[0], s->dims_mm[1],
                      s->dims_mm[2], s->weight_g, s->barcode, s->brand,
                      s->created_at ? s->created_at : hc_now_ms());
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ECONFLICT, "sku", "SKU %s of %s exists already", s->sku,
                          s->seller);
    }
    return rc;
}

int hc_sku_get(hc_store *st, hc_arena *a, const char *seller, const char *sku, struct hc_sku *out,
               hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT seller, sku, name, name_zh, hs_code, value_minor, currency,"
                            " origin, l, w, h, weight_g, barcode, brand, created_at FROM skus"
                            " WHERE seller = ? AND sku = ?",
                            "ss", seller, sku);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->name = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->name_zh = hc_stmt_is_null(q, 3) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->hs_code = hc_arena_strdup(a, hc_stmt_text(q, 4));
        out->value_minor = hc_stmt_int(q, 5);
        out->currency = hc_arena_strdup(a, hc_stmt_text(q, 6));
        out->origin_country = hc_arena_strdup(a, hc_stmt_text(q, 7));
        for (int i = 0; i < 3; i++)
            out->dims_mm[i] = hc_stmt_int(q, 8 + i);
        out->weight_g = hc_stmt_int(q, 11);
        out->barcode = hc_stmt_is_null(q, 12) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 12));
        out->brand = hc_stmt_is_null(q, 13) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 13));
        out->created_at = hc_stmt_int(q, 14);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "sku", "no SKU %s of seller %s", sku, seller);
    }
    hc_stmt_reset(q);
    return rc;
}

/* Sellers and SKUs are never deleted, so "it exists" once seen stays true:
 * a process-wide set of what was found spares the hot path (every order
 * line) a query. Bounded; when full it stops remembering. */
#define KNOWN_SLOTS (1u << 18)
static char *known[KNOWN_SLOTS];
static size_t nknown;
static pthread_mutex_t known_mu = PTHREAD_MUTEX_INITIALIZER;

static bool known_has(const char *key, bool add)
{
    size_t h = (size_t)hc_hash64(key, strlen(key)) & (KNOWN_SLOTS - 1);
    bool found = false;
    pthread_mutex_lock(&known_mu);
    while (known[h]) {
        if (strcmp(known[h], key) == 0) {
            found = true;
            break;
        }
        h = (h + 1) & (KNOWN_SLOTS - 1);
    }
    if (!found && add && nknown < KNOWN_SLOTS / 2) {
        known[h] = strdup(key);
        nknown += known[h] != NULL;
    }
    pthread_mutex_unlock(&known_mu);
    return found;
}

static bool exists(hc_store *st, const char *key, const char *sql, const char *a, const char *b,
                   hc_err *err)
{
    if (known_has(key, false))
        return true;
    int64_t one;
    if ((b ? hc_store_int(st, err, &one, sql, "ss", a, b) : hc_store_int(st, err, &one, sql, "s", a)) !=
        HC_OK)
        return false;
    known_has(key, true);
    return true;
}

bool hc_sku_exists(hc_store *st, const char *seller, const char *sku, hc_err *err)
{
    char key[HC_CODE_MAX + HC_SKU_MAX + 8];
    snprintf(key, sizeof(key), "k\x1f%s\x1f%s", seller, sku);
    return exists(st, key, "SELECT 1 FROM skus WHERE seller = ? AND sku = ?", seller, sku, err);
}

bool hc_seller_exists(hc_store *st, const char *code, hc_err *err)
{
    char key[HC_CODE_MAX + 8];
    snprintf(key, sizeof(key), "s\x1f%s", code);
    return exists(st, key, "SELECT 1 FROM sellers WHERE code = ?", code, NULL, err);
}

int hc_sku_unit(hc_store *st, const char *seller, const char *sku, int64_t *volume_mm3,
                int64_t *weight_g, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT l * w * h, weight_g FROM skus WHERE seller = ? AND sku = ?",
                            "ss", seller, sku);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        *volume_mm3 = hc_stmt_int(q, 0);
        *weight_g = hc_stmt_int(q, 1);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "sku", "no SKU %s of seller %s", sku, seller);
    }
    hc_stmt_reset(q);
    return rc;
}

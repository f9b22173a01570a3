/* catalog: sellers, warehouses with their locations, SKUs, and the country
 * reference data (ISO 3166-1 codes with a centroid, for routing).
 *
 * Records are plain structs of borrowed strings; the caller owns the memory
 * (usually a request arena). Create functions validate every field (the
 * error names it) and write in the caller's transaction. */
#ifndef HC_CATALOG_H
#define HC_CATALOG_H

#include "store/store.h"

/* Limits, in characters, shared by the API, the CLI import and the store. */
#define HC_CODE_MAX 32      /* seller, warehouse codes */
#define HC_SKU_MAX 64
#define HC_NAME_MAX 200
#define HC_SKU_NAME_MAX 250 /* customs item name limit */
#define HC_LOCATION_MAX 64

struct hc_seller {
    const char *code, *name, *country, *uscc, *customs_code;
    int64_t created_at;
};

#define HC_LAYOUT_CROSS_AISLES_MAX 4
/* Route policies a warehouse may choose; the router (warehouse/route.c)
 * owns their meaning and parses the same names. */
#define HC_ROUTE_POLICY_NAMES "optimal", "s-shape", "return", "largest-gap", "combined"

struct hc_warehouse {
    const char *code, *name, *country, *address_json, *timezone;
    bool has_geo;
    double lat, lon;
    int64_t aisle_pitch_mm, bay_pitch_mm, depot_aisle;
    /* pick routes (warehouse.h, "pick routes"): the aisle length in bays (0:
     * as far as the locations go); middle cross aisles, in bays from the
     * front, strictly increasing, each 1..bays_per_aisle-1; the route policy
     * ("optimal" when NULL or "", else one of HC_ROUTE_POLICY_NAMES) */
    int64_t bays_per_aisle;
    size_t ncross;
    int64_t cross_aisles[HC_LAYOUT_CROSS_AISLES_MAX];
    const char *route_policy;
    int64_t created_at;
};

struct hc_location {
    const char *code, *zone;
    int64_t dims_mm[3], max_weight_g;
    int64_t aisle, bay, level; /* < 0: read from the code's numbers */
    bool pickable;             /* false for RECEIVING */
};

struct hc_sku {
    const char *seller, *sku, *name, *name_zh, *hs_code;
    int64_t value_minor;
    const char *currency, *origin_country;
    int64_t dims_mm[3], weight_g;
    const char *barcode, *brand;
    int64_t created_at;
};

/* Reference data: loads DIR/countries.csv and DIR/currencies.csv once per
 * process; DIR NULL: the data folder hc_data_path finds (HAICANG_DATA, else
 * from the binary). */
int hc_catalog_load_reference(const char *data_dir, hc_err *err);
const char *hc_catalog_data_dir(void);
bool hc_country_valid(const char *iso2);
/* Great-circle distance in km between a warehouse and a country's centroid;
 * a large number when either is unknown. */
double hc_country_distance_km(double lat, double lon, const char *iso2);
bool hc_country_centroid(const char *iso2, double *lat, double *lon);

int hc_seller_validate(const struct hc_seller *s, hc_err *err);
int hc_seller_create(hc_store *st, const struct hc_seller *s, hc_err *err);
int hc_seller_get(hc_store *st, hc_arena *a, const char *code, struct hc_seller *out, hc_err *err);
/* Sets a seller's uscc and customs code (NULL or "": none) to those of its
 * current legal identity (src/compliance/identity.c validates them). */
int hc_seller_set_codes(hc_store *st, const char *code, const char *uscc, const char *customs_code,
                        hc_err *err);

/* An IANA time zone the system knows (/usr/share/zoneinfo), or UTC. */
bool hc_timezone_valid(const char *tz);

int hc_warehouse_validate(const struct hc_warehouse *w, hc_err *err);
/* Counts warehouse creations in this process, so caches of the warehouse
 * list know when to read it again. */
int64_t hc_warehouse_generation(void);
/* Also creates the RECEIVING and RETURNS locations. */
int hc_warehouse_create(hc_store *st, const struct hc_warehouse *w, hc_err *err);
int hc_warehouse_get(hc_store *st, hc_arena *a, const char *code, struct hc_warehouse *out,
                     hc_err *err);

/* field_prefix names the list in errors, e.g. "locations". Fills aisle/bay/
 * level from the code when they are < 0. */
int hc_location_validate(struct hc_location *l, const char *field_prefix, hc_err *err);
int hc_location_create(hc_store *st, const char *warehouse, const struct hc_location *l,
                       hc_err *err);
/* Parses up to three numbers out of a code like "A-03-2" (letters count as
 * their position: A=1). Returns how many it found. */
int hc_location_parse_code(const char *code, int64_t out[3]);

int hc_sku_validate(const struct hc_sku *s, hc_err *err);
int hc_sku_create(hc_store *st, const struct hc_sku *s, hc_err *err);
int hc_sku_get(hc_store *st, hc_arena *a, const char *seller, const char *sku, struct hc_sku *out,
               hc_err *err);
/* The volume (mm3) and weight (g) of one unit of a SKU: what a move into or
 * out of a bin carries to the ledger's place_load. */
int hc_sku_unit(hc_store *st, const char *seller, const char *sku, int64_t *volume_mm3,
                int64_t *weight_g, hc_err *err);

/* Existence checks; NOT found leaves err clear (HC_ENOTFOUND is not an
 * error here) unless the store failed. Remembered once true. */
bool hc_sku_exists(hc_store *st, const char *seller, const char *sku, hc_err *err);
bool hc_seller_exists(hc_store *st, const char *code, hc_err *err);

bool hc_warehouse_exists(hc_store *st, const char *code, hc_err *err);

/* Lists (list.c): one page in key order. cursor is the *next of the previous
 * page (NULL: the first page), limit the page size (> 0); *next gets
 * the cursor of the following page, or NULL after the last. Items and
 * strings live in a. */
/* Sellers by code; only, when not NULL, keeps that one seller (a seller's own
 * view). */
int hc_seller_list(hc_store *st, hc_arena *a, const char *only, const char *cursor, int limit,
                   struct hc_seller **items, size_t *n, const char **next, hc_err *err);
int hc_warehouse_list(hc_store *st, hc_arena *a, const char *cursor, int limit,
                      struct hc_warehouse **items, size_t *n, const char **next, hc_err *err);
/* A warehouse's locations by code, of one zone when zone is not NULL. */
int hc_location_list(hc_store *st, hc_arena *a, const char *warehouse, const char *zone,
                     const char *cursor, int limit, struct hc_location **items, size_t *n,
                     const char **next, hc_err *err);
/* SKUs by seller and code, of one seller when seller is not NULL, whose code
 * or name starts with prefix when it is not NULL (LIKE wildcards in it are
 * literal). The cursor is "<seller>/<sku>"; any other is HC_EINVAL naming
 * "cursor". */
int hc_sku_list(hc_store *st, hc_arena *a, const char *seller, const char *prefix,
                const char *cursor, int limit, struct hc_sku **items, size_t *n,
                const char **next, hc_err *err);

/* Checks a text field: present (unless optional), valid UTF-8, at most max
 * characters, and (when code) only [A-Za-z0-9_.-]. */
int hc_check_text(const char *v, const char *field, size_t max, bool optional, hc_err *err);
int hc_check_code(const char *v, const char *field, size_t max, hc_err *err);

#endif

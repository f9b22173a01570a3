/* compliance.h: who sells, what may cross which border. Sellers' legal
 * identity and its history, product compliance per market, the rules of each
 * market as data and the gate that holds inbounds, orders and transfers
 * missing something; brands, trademarks and authorisations; the reports
 * authorities ask for. No HTTP or JSON here. */
#ifndef HC_COMPLIANCE_H
#define HC_COMPLIANCE_H

#include "base/base.h"
#include "store/store.h"
#include "warehouse/warehouse.h"

#include <stdbool.h>

/* ---- markets (markets.c) ---- */

/* True for an ISO 3166-1 alpha-2 code of a member state of the European
 * Union (27 since 2020-02-01; Greece is GR here, EL in VAT numbers). */
bool hc_market_in_eu(const char *iso2);


/* ---- product compliance per market (product.c) ------------------------------
 * A record per SKU, or per brand (the `brand` string of the seller's SKUs):
 * a SKU's effective record is its brand's with its own fields on top (marks
 * are the union; EPR registrations and tariff codes by key, the SKU's win).
 * Strings are borrowed (caller's arena); NULL means "not given". */
#define HC_CATEGORY_MAX 32
#define HC_PRODUCT_LIST_MAX 32 /* marks, EPR registrations, tariff codes per record */
#define HC_BRAND_MAX 100
#define HC_EPR_KIND_MAX 24
#define HC_MARK_MAX 16

enum hc_tri { HC_TRI_UNSET = -1, HC_TRI_NO = 0, HC_TRI_YES = 1 };

/* The EU GPSR responsible economic operator (Regulation (EU) 2023/988 art. 16):
 * given when name is set; every field is then required and country must be
 * an EU member state. */
struct hc_gpsr_operator {
    const char *name, *line1, *postcode, *city, *country, *contact;
};

/* An EPR registration: country (ISO 3166-1), kind (a scheme word the rules
 * name, e.g. packaging, weee, batteries, uin_textiles), the number given. */
struct hc_epr_reg {
    const char *country, *kind, *number;
};

/* An import tariff code for a destination: market "EU" (CN 8 or TARIC 10
 * digits), "US" (HTS 10), "GB" (10) or another non-EU country (6 to 10). */
struct hc_tariff {
    const char *market, *code;
};

struct hc_product {
    const char *seller, *sku; /* sku NULL for a brand record */
    const char *brand;        /* the record's brand, or the SKU's (read only) */
    const char *category;     /* [a-z0-9_-], e.g. electronics, toys */
    struct hc_gpsr_operator gpsr;
    int battery;                             /* enum hc_tri: a battery in or with the goods */
    const char *un_number;                   /* "UN3481" */
    const char *packing_instruction;         /* "PI967" */
    int64_t lithium_mg, energy_mwh;          /* -1: not given */
    const char **marks;                      /* declared marks, upper case: CE, UKCA, ... */
    size_t nmarks;
    struct hc_epr_reg *epr;
    size_t nepr;
    struct hc_tariff *tariffs;
    size_t ntariffs;
    const char *hs_code; /* the SKU's Chinese export HS code (read only) */
    int64_t updated_at;
    const char *updated_by;
};

/* An empty record (everything unset). */
void hc_product_init(struct hc_product *p);
/* Field checks, naming the field as the API does: gpsr_operator.address.country,
 * battery.un_number, epr[1].country, tariffs[0].code, marks[2] ... */
int hc_product_validate(const struct hc_product *p, hc_err *err);
/* Replaces the record of p->sku (which must exist) or, when p->sku is NULL,
 * of brand p->brand. Validates first; nothing is written on an error. */
int hc_product_put(hc_store *s, const struct hc_product *p, const char *actor, hc_err *err);
/* The stored record (sku, or brand when sku is NULL); *found false leaves
 * out empty. */
int hc_product_get(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                   const char *brand, struct hc_product *out, bool *found, hc_err *err);
/* The SKU's effective record: brand record merged under the SKU's own, with
 * the SKU's brand and export HS code. HC_ENOTFOUND naming "sku" when the SKU
 * does not exist. */
int hc_product_effective(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                         struct hc_product *out, hc_err *err);
/* What the gate needs of one SKU: its effective record (as
 * hc_product_effective gives it) and where the seller stands with its brand
 * as far as the brands table says (recorded, owner). known false: the seller
 * has no such SKU (the rest is empty). */
struct hc_sku_facts {
    struct hc_product product;
    bool known, brand_recorded, brand_owner;
    struct hc_product own, base; /* the stored records merged into product */
    bool own_found, brand_found;
};
/* The facts of one SKU of seller in two queries (one when records is
 * false: the records' EPR and tariff lists are then left empty). */
int hc_sku_facts_load(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                      bool records, struct hc_sku_facts *out, hc_err *err);
/* Pure merge (brand may be NULL): out gets base's fields with top's on top. */
void hc_product_merge(hc_arena *a, const struct hc_product *base, const struct hc_product *top,
                      struct hc_product *out);

/* ---- rules as data (rules.c) ----------------------------------------------------
 * A rule says: in market (ISO 3166-1, or EU for every member state), goods of
 * category (or * for all) must carry requirement from effective_from until
 * effective_to (inclusive; "" open), optionally only when condition holds.
 * C knows requirement kinds only; which apply where is the table's:
 *   category            the SKU's category is declared
 *   gpsr_operator       the EU responsible economic operator, complete
 *   mark.<x>            mark x declared (mark.ce, mark.ukca, ...)
 *   battery_data        whether a battery is present; if so UN number,
 *                       lithium content or energy, packing instruction
 *   tariff_code         an import tariff code for the destination
 *   epr.<kind>          an EPR registration of kind in the market country
 * condition: "" (always) or "battery" (only when a battery is declared).
 * status: "confirmed" (missing data holds goods) or "uncertain" (shown amber,
 * never holds). */
#define HC_RULE_ID_MAX 48
#define HC_RULE_TEXT_MAX 300

struct hc_rule {
    const char *id, *market, *category, *requirement, *condition;
    const char *effective_from, *effective_to; /* YYYY-MM-DD; to "" = open */
    const char *status, *source, *note;
    int64_t updated_at;
    const char *updated_by;
};

int hc_rule_validate(const struct hc_rule *r, hc_err *err);
/* Creates or replaces the rule of r->id (r->id NULL: a new id, written back
 * into r from a). */
int hc_rule_put(hc_store *s, hc_arena *a, struct hc_rule *r, const char *actor, hc_err *err);
int hc_rule_get(hc_store *s, hc_arena *a, const char *id, struct hc_rule *out, hc_err *err);
/* All rules (market, category: NULL for any; on: in force that day or NULL),
 * by market, category, requirement. */
int hc_rule_list(hc_store *s, hc_arena *a, const char *market, const char *category,
                 const char *on, struct hc_rule **out, size_t *n, hc_err *err);
/* Parses CSV with the header
 * id,market,category,requirement,condition,effective_from,effective_to,status,source,note
 * (RFC 4180 quoting); errors name "rows[i].field" (i from 0, the line in the
 * message). Every row is validated. */
int hc_rule_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_rule **out,
                      size_t *n, hc_err *err);
/* Stores every rule, all or nothing (the caller's transaction). */
int hc_rule_import(hc_store *s, hc_arena *a, struct hc_rule *r, size_t n, const char *actor,
                   hc_err *err);

/* ---- the gate (gate.c) ------------------------------------------------------------
 * A ruleset is the rule table compiled for one day: per market the rules in
 * force (and those starting within HC_GATE_HORIZON_DAYS, for the dashboard).
 * Checking one product against one market walks only that market's rules
 * and allocates nothing when nothing is missing. */
#define HC_GATE_HORIZON_DAYS 90
#define HC_HOLD_COMPLIANCE "compliance"

struct hc_ruleset;

/* Compiles rules for day (YYYY-MM-DD) into a; rules failing validation are
 * skipped (the table only holds valid ones). */
int hc_ruleset_build(hc_arena *a, const struct hc_rule *rules, size_t n, const char *day,
                     struct hc_ruleset **out, hc_err *err);
/* Loads the table and compiles it for day. */
int hc_ruleset_load(hc_store *s, hc_arena *a, const char *day, struct hc_ruleset **out,
                    hc_err *err);
size_t hc_ruleset_size(const struct hc_ruleset *rs);

enum hc_gap_level {
    HC_GAP_MISSING,   /* a confirmed rule in force: holds the goods */
    HC_GAP_UNCERTAIN, /* an uncertain rule in force: amber */
    HC_GAP_UPCOMING,  /* a rule starting within the horizon: amber */
};
struct hc_gap {
    const char *item; /* "skus[AK-0001].eu.gpsr_operator" */
    enum hc_gap_level level;
    const char *rule; /* the rule's id */
};
struct hc_gaps {
    hc_arena *arena; /* where items are made */
    struct hc_gap *v;
    size_t n, cap;
    size_t nmissing; /* of level HC_GAP_MISSING */
};

/* Appends what p (an effective record; its sku names the items) lacks for
 * market under rs; an item is named once however many rules ask for it. */
void hc_gate_check_product(const struct hc_ruleset *rs, const char *market,
                           const struct hc_product *p, struct hc_gaps *out);

/* The entry point for anything that moves goods of seller into market (an
 * inbound, an order, a transfer order once it exists): the gaps of each
 * distinct SKU of skus[] under the rules in force on day (NULL: today, UTC).
 * Unknown SKUs are HC_EINVAL naming "lines[i].sku". */
/* This thread wrote compliance rules: the rule table's fingerprint, which
 * a check reads once per transaction (hc_store_tx), is read again. */
void hc_gate_rules_changed(void);
int hc_gate_check_lines(hc_store *s, hc_arena *a, const char *seller, const char *market,
                        const char *const *skus, size_t n, const char *day,
                        struct hc_gaps *out, hc_err *err);

/* Appends the brands' items (brands.c, hc_brand_missing today) to g: a SKU
 * of skus[0..n) whose recorded brand seller neither owns nor is authorised
 * for in market lacks skus[<sku>].brand_authorisation (HC_GAP_MISSING). The
 * market is where the goods go: an order's destination, an inbound's
 * warehouse country, a transfer's destination country. */
int hc_gate_add_brand_gaps(hc_store *s, hc_arena *a, const char *seller, const char *market,
                           const char *const *skus, size_t n, struct hc_gaps *g, hc_err *err);

/* A hold: an order, inbound or transfer order waiting for compliance data. */
struct hc_hold {
    const char *seller, *kind, *ref, *market; /* kind "order" | "inbound" | "transfer" */
    const char **missing;
    size_t nmissing;
    int64_t held_at, released_at; /* released_at 0 while held */
};

/* Creates the order (hc_order_create) after the gate: missing items hold it
 * (hold_reason compliance, before a credit hold), recorded as a hold; the
 * order's warehouse setting (hc_gate_setting_get) says whether it keeps its
 * allocation meanwhile. credit_over: the seller is over its credit limit. */
int hc_gate_order_create(hc_store *s, hc_arena *a, struct hc_order *o, bool credit_over,
                         const char *actor, bool *existed, hc_err *err);
/* Creates the inbound (hc_inbound_create) after the gate (market: the
 * warehouse's country): missing items, a brand authorisation among them
 * (hc_brand_missing), hold it (status on_hold, hold_reason compliance). */
int hc_gate_inbound_create(hc_store *s, hc_arena *a, struct hc_inbound *in, const char *actor,
                           hc_err *err);
/* The hold of kind/ref, released or not; *found false when there is none. */
int hc_gate_hold_get(hc_store *s, hc_arena *a, const char *kind, const char *ref,
                     struct hc_hold *out, bool *found, hc_err *err);
/* Active holds of every kind (of seller when not NULL; of warehouse: its
 * inbounds, the orders routed to it and the transfers leaving it, when not
 * NULL), oldest first (held_at, kind, ref), at most limit after cursor (NULL:
 * the first page). *next is the cursor of the next page, NULL after the last;
 * a cursor this function did not give is HC_EINVAL naming "cursor". */
int hc_gate_hold_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                      const char *cursor, int limit, struct hc_hold **out, size_t *n,
                      const char **next, hc_err *err);
/* For what the gate does not create itself (transfer orders, src/transfer):
 * records the hold of kind/ref, leaving warehouse, when g names missing
 * items (an active one keeps its held_at and gets the new items), and marks
 * an active one released when g is NULL or names none. Holds of kinds other
 * than order and inbound are released by their owner, never by
 * hc_gate_recheck. */
int hc_gate_hold_sync(hc_store *s, hc_arena *a, const char *seller, const char *kind,
                      const char *ref, const char *market, const char *warehouse,
                      const struct hc_gaps *g, hc_err *err);
/* The missing items of g (level HC_GAP_MISSING) one a line, "" for none. */
char *hc_gaps_missing_text(hc_arena *a, const struct hc_gaps *g);
/* Checks seller's held objects again (seller NULL: every seller's) under
 * today's rules: released when nothing is missing (orders through
 * hc_order_release_hold, or to a credit hold when the seller is over its
 * limit; inbounds back to expected), else their missing list is renewed. */
int hc_gate_recheck(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                    int *released, hc_err *err);

/* Warehouse setting: whether orders held for compliance keep their stock
 * allocated (false by default). */
int hc_gate_setting_get(hc_store *s, const char *warehouse, bool *hold_allocates, hc_err *err);
int hc_gate_setting_set(hc_store *s, const char *warehouse, bool hold_allocates,
                        const char *actor, hc_err *err);

/* The dashboard's matrix: one cell per SKU of seller and market. */
enum hc_light { HC_LIGHT_GREEN, HC_LIGHT_AMBER, HC_LIGHT_RED };
struct hc_matrix_cell {
    const char *sku, *market;
    enum hc_light light;
    struct hc_gap *gaps;
    size_t ngaps;
};
/* markets NULL: every market a rule names (EU as its members that appear in
 * rules or warehouses). SKUs in code order, at most max_skus from cursor. */
int hc_gate_matrix(hc_store *s, hc_arena *a, const char *seller, const char *const *markets,
                   size_t nmarkets, const char *day, const char *cursor, int max_skus,
                   const char ***markets_out, size_t *nmarkets_out,
                   struct hc_matrix_cell **cells, size_t *ncells, const char **next, hc_err *err);
const char *hc_light_name(enum hc_light l);
const char *hc_gap_level_name(enum hc_gap_level l);
/* ---- brands, trademarks, authorisations (brands.c) ----
 * A brand is a record of the seller that sells it (tenant key: seller): its
 * name (as a SKU's brand string, compared exactly), the owner, and whether
 * the seller is that owner. Trademark registrations and the seller's
 * authorisations to sell (from the owner) hang off it. A SKU whose brand the
 * seller has recorded is sellable from stock only while the seller owns the
 * brand or holds an authorisation valid that day for the destination market;
 * a brand the seller has not recorded is not enforced (it is listed as
 * unrecorded). Days are "YYYY-MM-DD" (UTC), both ends inclusive. */
#define HC_BRAND_MAX 100     /* as skus.brand */
#define HC_BRAND_OWNER_MAX 200
#define HC_TM_NUMBER_MAX 32
#define HC_AUTH_DOC_MAX 100
#define HC_AUTH_MARKETS_MAX 30 /* market codes in one authorisation's scope */
#define HC_NICE_ALL 0x3FFFFFFFFFFEULL /* bits 1..45: every Nice class */

struct hc_brand {
    const char *seller, *name, *owner;
    bool seller_is_owner;
    const char *actor;
    int64_t created_at, updated_at;
};

struct hc_trademark {
    const char *seller, *brand;
    const char *office;      /* one of hc_tm_office_valid's */
    const char *number;      /* the office's registration number */
    uint64_t classes;        /* Nice classes, bit n = class n (1..45); not 0 */
    const char *valid_until; /* YYYY-MM-DD */
    const char *actor;
    int64_t created_at;
};

struct hc_brand_auth {
    const char *id; /* "bau_<n>", set by hc_brand_auth_add */
    const char *seller, *brand;
    const char *document_ref; /* the authorisation letter / licence reference */
    /* Scope: market codes (ISO 3166-1 alpha-2, or "EU" for every member
     * state) comma-separated, "" = every market; Nice classes, 0 = all. */
    const char *markets;
    uint64_t classes;
    const char *valid_from, *valid_until; /* YYYY-MM-DD, from <= until */
    const char *actor;
    int64_t created_at;
};

/* Where a seller stands with the brand of one SKU. */
enum hc_brand_standing {
    HC_BRAND_NONE = 0,     /* the SKU names no brand */
    HC_BRAND_UNRECORDED,   /* a brand the seller has not recorded: not enforced */
    HC_BRAND_OWNER,        /* the seller owns the brand */
    HC_BRAND_AUTHORISED,   /* an authorisation covers the day (and market) */
    HC_BRAND_EXPIRED,      /* authorisations there were, all ended before the day */
    HC_BRAND_UNAUTHORISED, /* none covers the day (not yet valid, other markets, none) */
};
const char *hc_brand_standing_name(int standing);
/* EXPIRED and UNAUTHORISED: the SKU may not be sold from stock. */
bool hc_brand_standing_blocks(int standing);

/* Trademark offices known by code (CNIPA, EUIPO, USPTO, UKIPO, DPMA, ...). */
bool hc_tm_office_valid(const char *office);
/* A date "YYYY-MM-DD" that exists. */
bool hc_day_valid(const char *day);
/* The UTC day of ms into buf (>= 11 bytes). */
void hc_day_of(int64_t ms, char *buf, size_t size);
/* "DE,FR,EU" (possibly "") is a list of at most HC_AUTH_MARKETS_MAX known
 * codes; field names the error. */
int hc_markets_check(const char *markets, const char *field, hc_err *err);
/* True when the scope list covers market (NULL: any market is enough). */
bool hc_markets_cover(const char *markets, const char *market);

int hc_brand_validate(const struct hc_brand *b, hc_err *err);
int hc_trademark_validate(const struct hc_trademark *t, hc_err *err);
/* HC_EINVAL naming valid_until when it precedes valid_from. */
int hc_brand_auth_validate(const struct hc_brand_auth *a, hc_err *err);
/* Does the authorisation cover day (and market, NULL: any)? Pure. */
bool hc_brand_auth_covers(const struct hc_brand_auth *a, const char *market, const char *day);

/* Creates or replaces the brand record (the seller must exist: 404 naming
 * seller). *created says which. */
int hc_brand_put(hc_store *s, const struct hc_brand *b, bool *created, hc_err *err);
int hc_brand_get(hc_store *s, hc_arena *a, const char *seller, const char *name,
                 struct hc_brand *out, hc_err *err);
/* Brands by seller and name (one seller's when seller is not NULL); cursor
 * "<seller>/<name>" of the last row seen, or NULL. */
int hc_brand_list(hc_store *s, hc_arena *a, const char *seller, const char *cursor, int limit,
                  struct hc_brand **items, size_t *n, const char **next, hc_err *err);
/* Adds (or replaces: same office and number) a registration of a recorded
 * brand (404 naming brand otherwise). */
int hc_trademark_put(hc_store *s, const struct hc_trademark *t, hc_err *err);
int hc_trademark_list(hc_store *s, hc_arena *a, const char *seller, const char *brand,
                      struct hc_trademark **items, size_t *n, hc_err *err);
/* Records an authorisation (id into out_id, >= 32 bytes) of a recorded brand. */
int hc_brand_auth_add(hc_store *s, const struct hc_brand_auth *auth, char *out_id, size_t size,
                      hc_err *err);
int hc_brand_auth_list(hc_store *s, hc_arena *a, const char *seller, const char *brand,
                       struct hc_brand_auth **items, size_t *n, hc_err *err);

/* The standing of seller with brand (NULL/"" gives HC_BRAND_NONE) on day
 * for market (NULL: any). *until (may be NULL, >= 11 bytes) gets the last
 * day of the authorisation that counts ("" when none). */
int hc_brand_standing(hc_store *s, const char *seller, const char *brand, const char *market,
                      const char *day, int *standing, char *until, hc_err *err);
/* The same when the brands row has been read already: recorded (a row is
 * there) and owner (its seller_is_owner); reads only the authorisations,
 * and only when they decide. */
int hc_brand_standing_known(hc_store *s, const char *seller, const char *brand, bool recorded,
                            bool owner, const char *market, const char *day, int *standing,
                            char *until, hc_err *err);

struct hc_brand_sku {
    const char *seller, *sku, *name, *brand;
    int standing;
    const char *until; /* the authorisation's last day, or "" */
};
/* SKUs of recorded brands the seller does not own (one seller's when seller
 * is not NULL), with their standing on day; flagged_only keeps those that
 * block. Cursor "<seller>/<sku>" as hc_sku_list's. */
int hc_brand_skus(hc_store *s, hc_arena *a, const char *seller, const char *day,
                  bool flagged_only, const char *cursor, int limit, struct hc_brand_sku **items,
                  size_t *n, const char **next, hc_err *err);

/* The item an order, inbound or transfer lacks for sku when its brand
 * blocks: "skus[<sku>].brand_authorisation". The gate (gate.c,
 * hc_gate_add_brand_gaps) adds these to an order's (market: its
 * destination), an inbound's (the warehouse's country) and a transfer's (its
 * destination country) missing items; hc_gate_recheck (hc_transfer_recheck
 * for transfers) releases them once an authorisation (or ownership) is
 * recorded and nothing else is missing. */
#define HC_BRAND_ITEM "brand_authorisation"
/* What of skus[0..n) (of seller, shipping to market on day) the brands
 * block: *items gets "skus[<sku>].brand_authorisation" per blocked SKU
 * (each once), *nitems their count; strings live in a. */
int hc_brand_missing(hc_store *s, hc_arena *a, const char *seller, const char *const *skus,
                     size_t n, const char *market, const char *day, const char ***items,
                     size_t *nitems, hc_err *err);

/* ---- packaging, batteries, electronics per SKU unit (packaging.c) ----
 * Weights in milligrams per unit (the API takes grams as decimal strings
 * with up to 3 decimals), exact integers, at most HC_MASS_MAX_MG each. */
enum hc_material {
    HC_MAT_PAPER,     /* paper and cardboard */
    HC_MAT_PLASTIC,
    HC_MAT_GLASS,
    HC_MAT_ALUMINIUM,
    HC_MAT_FERROUS,   /* ferrous metal */
    HC_MAT_WOOD,
    HC_MAT_COMPOSITE, /* composites (e.g. beverage cartons) */
    HC_MAT_OTHER,
    HC_MATERIALS
};
#define HC_MASS_MAX_MG 1000000000000LL /* 1 t per unit */
const char *hc_material_name(int m); /* "paper", "plastic", ... */
/* Battery categories of Regulation (EU) 2023/1542, Art. 3: portable, lmt
 * (light means of transport), sli (starting, lighting, ignition),
 * industrial, ev. */
bool hc_battery_category_valid(const char *c);
/* EEE categories 1..6 of Directive 2012/19/EU, Annex III. */
#define HC_EEE_CATEGORIES 6
const char *hc_eee_category_name(int c);

struct hc_packaging {
    const char *seller, *sku;
    int64_t mg[HC_MATERIALS];
    const char *battery; /* a category, or "" when the unit has none */
    int64_t battery_mg;
    int eee_category; /* 0: not electrical equipment; 1..6 */
    int64_t eee_mg;
    const char *actor;
    int64_t updated_at;
};

/* "12.5" grams into mg (HC_EINVAL naming field: not a decimal with at most
 * 3 decimals, negative, or over HC_MASS_MAX_MG). */
int hc_mass_parse(const char *grams, const char *field, int64_t *mg, hc_err *err);
/* mg as grams with 3 decimals ("12.500") into buf (>= 32 bytes). */
void hc_mass_format(int64_t mg, char *buf, size_t size);
int hc_packaging_validate(const struct hc_packaging *p, hc_err *err);
/* Sum of p's packaging materials per unit (mg). */
int64_t hc_packaging_unit_mg(const struct hc_packaging *p);
/* units x per-unit mg of each material (and battery, EEE) added to out;
 * HC_ETOOBIG when a total leaves int64. Exact. */
struct hc_mass_totals {
    int64_t mg[HC_MATERIALS], battery_mg, eee_mg;
};
int hc_packaging_add_units(const struct hc_packaging *p, int64_t units,
                           struct hc_mass_totals *out, hc_err *err);
/* Creates or replaces a SKU's data (the SKU must exist: 404 naming sku). */
int hc_packaging_put(hc_store *s, const struct hc_packaging *p, bool *created, hc_err *err);
int hc_packaging_get(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                     struct hc_packaging *out, hc_err *err);
int hc_packaging_list(hc_store *s, hc_arena *a, const char *seller, const char *cursor,
                      int limit, struct hc_packaging **items, size_t *n, const char **next,
                      hc_err *err);

/* ---- reports (reports.c) ---- */
/* The infringement inquiry: per seller x warehouse x SKU of a brand, from
 * the goods journal: received (into the warehouse from outside it: origin,
 * site, transit, dock, another warehouse), sold (out to consumer orders, net
 * of picks put back), returned (restocked from consumers; damaged returns
 * go to scrap and are not counted), on hand (net of every move in and out),
 * the first receipt and, once nothing is left, the day the last unit left
 * (last_held_at 0 while units are held). The seller's identity is the
 * version valid at the row's last move (identity.c), identity_version 0
 * when none was recorded by then: the seller record's name and codes then. */
struct hc_brand_report_row {
    const char *seller, *seller_name, *seller_country, *seller_uscc, *seller_customs_code;
    int64_t identity_version, identity_recorded_at;
    const char *legal_name_en, *registered_address; /* "" without an identity version */
    const char *warehouse, *sku, *sku_name;
    int64_t first_received_at, last_move_at, last_held_at;
    int64_t received, sold, returned, on_hand;
};
struct hc_brand_report {
    const char *brand;
    const char *seller, *warehouse; /* filters, or NULL */
    int64_t made_at;
    size_t n;
    struct hc_brand_report_row *rows;
    int64_t skus, journal_rows; /* what was read */
};
int hc_brand_report(hc_store *s, hc_arena *a, const char *brand, const char *seller,
                    const char *warehouse, struct hc_brand_report *out, hc_err *err);

/* EPR: what was put on each national market in [from_ms, to_ms): units
 * shipped to consumers (order -> carrier moves of the goods journal, at the
 * time the order was shipped), per destination country x seller x SKU, times
 * the SKU's per-unit data. SKUs without packaging data are listed apart with
 * their units, never counted as zero. Returns are not deducted. */
struct hc_epr_row {
    const char *country, *seller, *sku;
    int64_t units;
    bool has_data;
    struct hc_mass_totals t;
    const char *battery; /* category or "" */
    int eee_category;
};
/* Sums per country of one stream: packaging by material, batteries by
 * category, electrical equipment by WEEE category. */
enum hc_epr_stream { HC_EPR_PACKAGING, HC_EPR_BATTERIES, HC_EPR_EEE };
struct hc_epr_total {
    const char *country;
    int stream;       /* enum hc_epr_stream */
    const char *what; /* material, battery category, or EEE category "1".."6" */
    int64_t units, mg;
};
struct hc_epr_report {
    const char *seller, *warehouse, *country; /* filters, or NULL */
    int64_t from_ms, to_ms;
    size_t n;
    struct hc_epr_row *rows; /* by country, seller, sku */
    size_t ntotals;
    struct hc_epr_total *totals; /* by country, stream, what */
    int64_t units_without_data;
};
const char *hc_epr_stream_name(int stream); /* "packaging", "batteries", "electronics" */
int hc_epr_report(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                  const char *country, int64_t from_ms, int64_t to_ms, struct hc_epr_report *out,
                  hc_err *err);

/* The reports as documents for src/render (CSV, XLSX), lang "zh" or "en". */
struct hc_doc;
int hc_brand_report_doc(hc_arena *a, const struct hc_brand_report *r, const char *lang,
                        struct hc_doc *out);
int hc_epr_report_doc(hc_arena *a, const struct hc_epr_report *r, const char *lang,
                      struct hc_doc *out);

/* ---- identity numbers (checkdigits.c) ----
 * Each takes a number as written (capitals, no spaces) and returns NULL when
 * it is valid, else a static sentence saying what is wrong (for an error
 * naming the field). Sources and algorithms: the head of checkdigits.c. */

/* Unified social credit code, GB 32100-2015: 18 characters of
 * 0-9 A-Y without I O Z S V, characters 3-8 digits, the check character. */
const char *hc_uscc_problem(const char *s);
/* The check character of a USCC's first 17 characters; '\0' if one of them
 * is outside the charset. */
char hc_uscc_check_char(const char *first17);
/* Customs registration code: the 10-character code (4-digit region,
 * economic-zone digit 1-9, 5 letters or digits) or an 18-character USCC. */
const char *hc_customs_code_problem(const char *s);
/* EU VAT number with its member state's prefix (EL for Greece, XI for
 * Northern Ireland): the VIES format of that state and its check digits
 * (hc_eu_vat_has_check(prefix); persons' numbers in BG, CZ, LV by format). */
const char *hc_eu_vat_problem(const char *s);
bool hc_eu_vat_has_check(const char *prefix);
/* The VAT prefix of a member state's ISO code: EL for GR, else the code. */
const char *hc_vat_prefix(const char *iso2);
/* UK VAT: GB + 9 digits (12 for a branch) passing mod 97 or 9755; GD000-499,
 * HA500-999. */
const char *hc_uk_vat_problem(const char *s);
/* EORI: the issuing state (EU member, GB or XI) + 1-15 letters or digits; GB
 * and XI take exactly 12 digits. */
const char *hc_eori_problem(const char *s);
/* IOSS number IM + ISO numeric code of a member state + 7 digits; the
 * intermediary's IN form. */
const char *hc_ioss_problem(const char *s);
const char *hc_ioss_intermediary_problem(const char *s);
/* US importer of record number: EIN NN-NNNNNNN (or 9 digits) with a prefix the
 * IRS assigns, or a CBP-assigned YYDDPP-NNNNN. */
const char *hc_us_ior_problem(const char *s);
/* An EPR registration number of kind in country, by the shape its register
 * publishes: DE packaging (LUCID) DE + 13 digits, DE weee (WEEE-Reg.-Nr.)
 * DE + 8 digits (one space after DE allowed). NULL for a number of the
 * right shape, and for every scheme without a published shape (DE
 * batteries, France's IDU, other countries: data only). */
const char *hc_epr_number_problem(const char *country, const char *kind, const char *number);

/* ---- seller identity (identity.c) ----
 * A seller's legal identity kept as versions: recording a changed identity
 * adds version n+1 (who, when) and overwrites nothing; version n is valid
 * from its recorded_at until the next one's. Strings are borrowed (the
 * caller's arena); NULL or "" is absent. */
#define HC_IDENTITY_MARKETS_MAX 32

/* The numbers of one destination market: an EU member state takes eori, vat
 * (its own prefix), ioss and ioss_intermediary; GB eori (GB) and vat (UK; with
 * both, the EORI is GB + the VAT number's 9 digits + 000); US ior. Any other
 * field, or any other market, is refused naming it. */
struct hc_identity_market {
    const char *country; /* ISO 3166-1 alpha-2 */
    const char *eori, *vat, *ioss, *ioss_intermediary, *ior;
};

struct hc_identity {
    const char *seller;
    int64_t version; /* 1, 2, ...: set when recorded */
    const char *legal_name_zh, *legal_name_en, *uscc, *customs_code, *registered_address;
    const char *contact_name, *contact_phone, *contact_email;
    size_t nmarkets;
    struct hc_identity_market markets[HC_IDENTITY_MARKETS_MAX]; /* by country */
    int64_t recorded_at;     /* ms */
    const char *recorded_by; /* the API key's name, or the CLI actor */
};

/* Checks every field (legal names, uscc required; the error names the field:
 * "uscc", "contact.email", "markets.DE.vat") and sorts the markets. */
int hc_identity_validate(struct hc_identity *id, hc_err *err);
/* Validates id and, when it differs from the seller's latest version,
 * records it as the next version (recorded_at never before the latest's)
 * and makes its uscc and customs_code the seller's; *changed says whether a
 * version was added. On return id is the version now current. 404 naming
 * "seller" for an unknown seller. In the caller's transaction. */
int hc_identity_record(hc_store *st, hc_arena *a, struct hc_identity *id, bool *changed,
                       hc_err *err);
/* The identity valid at `at` (ms; <= 0: the latest). 404 naming "seller"
 * for an unknown seller, "identity" when none is recorded, "at" when none
 * was recorded by then. */
int hc_identity_get(hc_store *st, hc_arena *a, const char *seller, int64_t at,
                    struct hc_identity *out, hc_err *err);
/* Versions newest first, those below version `before` (<= 0: all), at most
 * limit; *next the `before` of the next page, 0 at the end. */
int hc_identity_history(hc_store *st, hc_arena *a, const char *seller, int64_t before,
                        size_t limit, struct hc_identity **out, size_t *n, int64_t *next,
                        hc_err *err);

/* One number of an identity checked again by its rule (rules may have been
 * tightened since it was recorded, and sellers' registration codes predate
 * them): problem NULL when valid. */
struct hc_identity_check {
    char field[48];
    const char *value, *rule, *problem;
};
/* Fills out (at most max) with a check per number present; returns how many. */
size_t hc_identity_checks(const struct hc_identity *id, struct hc_identity_check *out,
                          size_t max);

#endif

/* brands.c: a seller's brands, their trademark registrations, its
 * authorisations to sell them, and where the seller stands with the brand
 * of a SKU on a day and in a market (compliance.h). */
#include "compliance/compliance.h"
#include "catalog/catalog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const standing_names[] = {
    [HC_BRAND_NONE] = "none",
    [HC_BRAND_UNRECORDED] = "unrecorded",
    [HC_BRAND_OWNER] = "owner",
    [HC_BRAND_AUTHORISED] = "authorised",
    [HC_BRAND_EXPIRED] = "expired",
    [HC_BRAND_UNAUTHORISED] = "unauthorised",
};

const char *hc_brand_standing_name(int standing)
{
    if (standing < 0 || (size_t)standing >= HC_ARRAY_LEN(standing_names))
        return "none";
    return standing_names[standing];
}

bool hc_brand_standing_blocks(int standing)
{
    return standing == HC_BRAND_EXPIRED || standing == HC_BRAND_UNAUTHORISED;
}

/* National and regional offices, and WIPO for international (Madrid)
 * registrations. */
static const char *const offices[] = {"CNIPA", "EUIPO", "USPTO", "UKIPO", "DPMA", "INPI",
                                      "OEPM",  "UIBM",  "BOIP",  "UPRP",  "JPO",  "KIPO",
                                      "WIPO"};

bool hc_tm_office_valid(const char *office)
{
    for (size_t i = 0; office && i < HC_ARRAY_LEN(offices); i++)
        if (strcmp(office, offices[i]) == 0)
            return true;
    return false;
}

bool hc_day_valid(const char *day)
{
    int64_t ms;
    if (day == NULL || strlen(day) != 10 || hc_time_parse_iso(day, &ms) != HC_OK)
        return false;
    char back[11];
    hc_day_of(ms, back, sizeof(back));
    return strcmp(back, day) == 0; /* 2026-02-30 does not come back */
}

void hc_day_of(int64_t ms, char *buf, size_t size)
{
    char iso[32];
    hc_time_iso(ms, iso, sizeof(iso));
    snprintf(buf, size, "%.10s", iso);
}

/* Calls fn for each comma-separated element of list; stops at a false. */
static bool each_code(const char *list, bool (*fn)(const char *code, void *ctx), void *ctx)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char code[8];
        if (n >= sizeof(code))
            return fn("", ctx);
        memcpy(code, p, n);
        code[n] = '\0';
        if (!fn(code, ctx))
            return false;
        p = comma ? comma + 1 : NULL;
    }
    return true;
}

struct market_check {
    size_t count;
};

static bool market_known(const char *code, void *ctx)
{
    struct market_check *c = ctx;
    c->count++;
    return strcmp(code, "EU") == 0 || hc_country_valid(code);
}

int hc_markets_check(const char *markets, const char *field, hc_err *err)
{
    struct market_check c = {0};
    if (markets == NULL || *markets == '\0')
        return HC_OK;
    if (!each_code(markets, market_known, &c))
        return hc_err_set(err, HC_EINVAL, field,
                          "must be ISO 3166-1 alpha-2 country codes or EU");
    if (c.count > HC_AUTH_MARKETS_MAX)
        return hc_err_set(err, HC_EINVAL, field, "at most %d markets", HC_AUTH_MARKETS_MAX);
    return HC_OK;
}

struct market_match {
    const char *market;
    bool hit;
};

static bool market_matches(const char *code, void *ctx)
{
    struct market_match *m = ctx;
    if (strcmp(code, m->market) == 0 || (strcmp(code, "EU") == 0 && hc_market_in_eu(m->market)))
        m->hit = true;
    return !m->hit;
}

bool hc_markets_cover(const char *markets, const char *market)
{
    if (markets == NULL || *markets == '\0' || market == NULL)
        return true;
    struct market_match m = {market, false};
    each_code(markets, market_matches, &m);
    return m.hit;
}

int hc_brand_validate(const struct hc_brand *b, hc_err *err)
{
    if (hc_check_code(b->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_text(b->name, "name", HC_BRAND_MAX, false, err) ||
        hc_check_text(b->owner, "owner", HC_BRAND_OWNER_MAX, false, err))
        return err->code;
    return HC_OK;
}

static int check_day(const char *day, const char *field, hc_err *err)
{
    if (day == NULL || *day == '\0')
        return hc_err_set(err, HC_EINVAL, field, "is required");
    if (!hc_day_valid(day))
        return hc_err_set(err, HC_EINVAL, field, "must be a date YYYY-MM-DD");
    return HC_OK;
}

int hc_trademark_validate(const struct hc_trademark *t, hc_err *err)
{
    if (hc_check_code(t->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_text(t->brand, "brand", HC_BRAND_MAX, false, err))
        return err->code;
    if (!hc_tm_office_valid(t->office))
        return hc_err_set(err, HC_EINVAL, "office",
                          "must be one of CNIPA, EUIPO, USPTO, UKIPO, DPMA, INPI, OEPM, UIBM, "
                          "BOIP, UPRP, JPO, KIPO, WIPO");
    if (hc_check_text(t->number, "number", HC_TM_NUMBER_MAX, false, err))
        return err->code;
    for (const char *p = t->number; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(" -/.", *p))
            return hc_err_set(err, HC_EINVAL, "number",
                              "may hold only letters, digits, spaces, '-', '/' and '.'");
    if (t->classes == 0 || (t->classes & ~HC_NICE_ALL))
        return hc_err_set(err, HC_EINVAL, "classes", "must name Nice classes 1..45");
    return check_day(t->valid_until, "valid_until", err);
}

int hc_brand_auth_validate(const struct hc_brand_auth *a, hc_err *err)
{
    if (hc_check_code(a->seller, "seller", HC_CODE_MAX, err) ||
        hc_check_text(a->brand, "brand", HC_BRAND_MAX, false, err) ||
        hc_check_text(a->document_ref, "document_ref", HC_AUTH_DOC_MAX, false, err) ||
        hc_markets_check(a->markets, "markets", err))
        return err->code;
    if (a->classes & ~HC_NICE_ALL)
        return hc_err_set(err, HC_EINVAL, "classes", "must name Nice classes 1..45");
    if (check_day(a->valid_from, "valid_from", err) ||
        check_day(a->valid_until, "valid_until", err))
        return err->code;
    if (strcmp(a->valid_until, a->valid_from) < 0)
        return hc_err_set(err, HC_EINVAL, "valid_until", "must not precede valid_from (%s)",
                          a->valid_from);
    return HC_OK;
}

bool hc_brand_auth_covers(const struct hc_brand_auth *a, const char *market, const char *day)
{
    HC_ASSERT(a && day);
    return strcmp(a->valid_from, day) <= 0 && strcmp(day, a->valid_until) <= 0 &&
           hc_markets_cover(a->markets, market);
}

/* ---- store ------------------------------------------------------------------------ */

static int need_seller(hc_store *s, const char *seller, hc_err *err)
{
    if (hc_seller_exists(s, seller, err))
        return HC_OK;
    return err->code ? err->code : hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
}

int hc_brand_put(hc_store *s, const struct hc_brand *b, bool *created, hc_err *err)
{
    int rc = hc_brand_validate(b, err);
    if (rc == HC_OK)
        rc = need_seller(s, b->seller, err);
    if (rc != HC_OK)
        return rc;
    int64_t now = hc_now_ms(), changes = 0;
    rc = hc_store_run(s, err, &changes,
                      "UPDATE brands SET owner = ?, seller_is_owner = ?, actor = ?, updated_at = ?"
                      " WHERE seller = ? AND name = ?",
                      "sisiss", b->owner, (int64_t)b->seller_is_owner, b->actor ? b->actor : "",
                      now, b->seller, b->name);
    *created = rc == HC_OK && changes == 0;
    if (*created)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO brands (seller, name, owner, seller_is_owner, actor,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "sssisii", b->seller, b->name, b->owner, (int64_t)b->seller_is_owner,
                          b->actor ? b->actor : "", now, now);
    return rc;
}

#define BRAND_COLS "seller, name, owner, seller_is_owner, actor, created_at, updated_at"

static void brand_row(hc_stmt *q, hc_arena *a, struct hc_brand *b)
{
    b->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
    b->name = hc_arena_strdup(a, hc_stmt_text(q, 1));
    b->owner = hc_arena_strdup(a, hc_stmt_text(q, 2));
    b->seller_is_owner = hc_stmt_int(q, 3) != 0;
    b->actor = hc_arena_strdup(a, hc_stmt_text(q, 4));
    b->created_at = hc_stmt_int(q, 5);
    b->updated_at = hc_stmt_int(q, 6);
}

int hc_brand_get(hc_store *s, hc_arena *a, const char *seller, const char *name,
                 struct hc_brand *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " BRAND_COLS " FROM brands WHERE seller = ? AND name = ?",
                            "ss", seller, name);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        brand_row(q, a, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "brand", "no brand %s of seller %s", name, seller);
    return rc == HC_ROW ? HC_OK : rc;
}

/* Splits a "<a>/<b>" cursor (b may hold '/'); false when it is not one. */
static bool split_cursor(hc_arena *a, const char *cursor, const char **first, const char **rest)
{
    const char *slash = strchr(cursor, '/');
    if (slash == NULL || slash == cursor || slash[1] == '\0')
        return false;
    *first = hc_arena_strndup(a, cursor, (size_t)(slash - cursor));
    *rest = slash + 1;
    return true;
}

int hc_brand_list(hc_store *s, hc_arena *a, const char *seller, const char *cursor, int limit,
                  struct hc_brand **items, size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(limit > 0);
    const char *cs = "", *cn = "";
    if (cursor && !split_cursor(a, cursor, &cs, &cn))
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT " BRAND_COLS " FROM brands WHERE (? = '' OR seller = ?)"
                            " AND (seller > ? OR (seller = ? AND name > ?))"
                            " ORDER BY seller, name LIMIT ?",
                            "sssssi", seller ? seller : "", seller ? seller : "", cs, cs, cn,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    *items = hc_arena_alloc(a, sizeof(**items) * ((size_t)limit + 1));
    *n = 0;
    *next = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        brand_row(q, a, &(*items)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (*n > (size_t)limit) {
        *n = (size_t)limit;
        struct hc_brand *last = &(*items)[*n - 1];
        *next = hc_arena_printf(a, "%s/%s", last->seller, last->name);
    }
    return HC_OK;
}

static int need_brand(hc_store *s, const char *seller, const char *brand, hc_err *err)
{
    int64_t one;
    int rc = hc_store_int(s, err, &one, "SELECT 1 FROM brands WHERE seller = ? AND name = ?", "ss",
                          seller, brand);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "brand", "no brand %s of seller %s", brand, seller);
    }
    return rc;
}

int hc_trademark_put(hc_store *s, const struct hc_trademark *t, hc_err *err)
{
    int rc = hc_trademark_validate(t, err);
    if (rc == HC_OK)
        rc = need_brand(s, t->seller, t->brand, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "DELETE FROM trademarks WHERE seller = ? AND brand = ? AND office = ?"
                          " AND number = ?",
                          "ssss", t->seller, t->brand, t->office, t->number);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO trademarks (seller, brand, office, number, classes,"
                          " valid_until, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssissi", t->seller, t->brand, t->office, t->number,
                          (int64_t)t->classes, t->valid_until, t->actor ? t->actor : "",
                          hc_now_ms());
    return rc;
}

int hc_trademark_list(hc_store *s, hc_arena *a, const char *seller, const char *brand,
                      struct hc_trademark **items, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT office, number, classes, valid_until, actor, created_at"
                            " FROM trademarks WHERE seller = ? AND brand = ?"
                            " ORDER BY valid_until, office, number",
                            "ss", seller, brand);
    if (rc != HC_OK)
        return rc;
    size_t cap = 8; /* a list, empty or not, is never NULL */
    *items = hc_arena_alloc(a, sizeof(**items) * cap);
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *items = hc_arena_grow(a, *items, *n, &cap, sizeof(**items));
        struct hc_trademark *t = &(*items)[(*n)++];
        t->seller = seller;
        t->brand = brand;
        t->office = hc_arena_strdup(a, hc_stmt_text(q, 0));
        t->number = hc_arena_strdup(a, hc_stmt_text(q, 1));
        t->classes = (uint64_t)hc_stmt_int(q, 2);
        t->valid_until = hc_arena_strdup(a, hc_stmt_text(q, 3));
        t->actor = hc_arena_strdup(a, hc_stmt_text(q, 4));
        t->created_at = hc_stmt_int(q, 5);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

int hc_brand_auth_add(hc_store *s, const struct hc_brand_auth *auth, char *out_id, size_t size,
                      hc_err *err)
{
    HC_ASSERT(size >= 32);
    int rc = hc_brand_auth_validate(auth, err);
    if (rc == HC_OK)
        rc = need_brand(s, auth->seller, auth->brand, err);
    if (rc != HC_OK)
        return rc;
    hc_id_format("bau", hc_id_next(), out_id, size);
    return hc_store_run(s, err, NULL,
                        "INSERT INTO brand_authorisations (seller, brand, id, document_ref,"
                        " markets, classes, valid_from, valid_until, actor, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sssssisssi", auth->seller, auth->brand, out_id, auth->document_ref,
                        auth->markets ? auth->markets : "", (int64_t)auth->classes,
                        auth->valid_from, auth->valid_until, auth->actor ? auth->actor : "",
                        hc_now_ms());
}

int hc_brand_auth_list(hc_store *s, hc_arena *a, const char *seller, const char *brand,
                       struct hc_brand_auth **items, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, document_ref, markets, classes, valid_from, valid_until,"
                            " actor, created_at FROM brand_authorisations"
                            " WHERE seller = ? AND brand = ? ORDER BY valid_until, id",
                            "ss", seller, brand);
    if (rc != HC_OK)
        return rc;
    size_t cap = 8; /* a list, empty or not, is never NULL */
    *items = hc_arena_alloc(a, sizeof(**items) * cap);
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *items = hc_arena_grow(a, *items, *n, &cap, sizeof(**items));
        struct hc_brand_auth *x = &(*items)[(*n)++];
        x->seller = seller;
        x->brand = brand;
        x->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        x->document_ref = hc_arena_strdup(a, hc_stmt_text(q, 1));
        x->markets = hc_arena_strdup(a, hc_stmt_text(q, 2));
        x->classes = (uint64_t)hc_stmt_int(q, 3);
        x->valid_from = hc_arena_strdup(a, hc_stmt_text(q, 4));
        x->valid_until = hc_arena_strdup(a, hc_stmt_text(q, 5));
        x->actor = hc_arena_strdup(a, hc_stmt_text(q, 6));
        x->created_at = hc_stmt_int(q, 7);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* ---- standing ---------------------------------------------------------------------- */

/* The standing from the authorisations alone (the brand is recorded, the
 * seller is not its owner); until gets the last day of the authorisation
 * that decides it: the longest valid one, else the one that ended last. */
static int standing_of_auths(const struct hc_brand_auth *auths, size_t n, const char *market,
                             const char *day, char until[11])
{
    char valid[11] = "", ended[11] = "";
    for (size_t i = 0; i < n; i++) {
        const struct hc_brand_auth *x = &auths[i];
        if (hc_brand_auth_covers(x, market, day)) {
            if (strcmp(x->valid_until, valid) > 0)
                hc_strlcpy(valid, x->valid_until, sizeof(valid));
        } else if (hc_markets_cover(x->markets, market) && strcmp(x->valid_until, day) < 0) {
            if (strcmp(x->valid_until, ended) > 0)
                hc_strlcpy(ended, x->valid_until, sizeof(ended));
        }
    }
    hc_strlcpy(until, valid[0] ? valid : ended, 11);
    return valid[0] ? HC_BRAND_AUTHORISED : ended[0] ? HC_BRAND_EXPIRED : HC_BRAND_UNAUTHORISED;
}

int hc_brand_standing(hc_store *s, const char *seller, const char *brand, const char *market,
                      const char *day, int *standing, char *until, hc_err *err)
{
    HC_ASSERT(seller && day && standing);
    if (until)
        until[0] = '\0';
    *standing = HC_BRAND_NONE;
    if (brand == NULL || *brand == '\0')
        return HC_OK;
    hc_arena *a = hc_arena_new(4096);
    struct hc_brand b = {0};
    int rc = hc_brand_get(s, a, seller, brand, &b, err);
    bool recorded = rc == HC_OK;
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        rc = HC_OK;
    }
    hc_arena_free(a);
    if (rc != HC_OK)
        return rc;
    return hc_brand_standing_known(s, seller, brand, recorded, recorded && b.seller_is_owner,
                                   market, day, standing, until, err);
}

int hc_brand_standing_known(hc_store *s, const char *seller, const char *brand, bool recorded,
                            bool owner, const char *market, const char *day, int *standing,
                            char *until, hc_err *err)
{
    HC_ASSERT(seller && day && standing);
    if (until)
        until[0] = '\0';
    *standing = brand == NULL || *brand == '\0' ? HC_BRAND_NONE
                : !recorded                      ? HC_BRAND_UNRECORDED
                : owner                          ? HC_BRAND_OWNER
                                                 : HC_BRAND_NONE;
    if (*standing != HC_BRAND_NONE || brand == NULL || *brand == '\0')
        return HC_OK;
    hc_arena *a = hc_arena_new(4096);
    struct hc_brand_auth *auths;
    size_t n;
    int rc = hc_brand_auth_list(s, a, seller, brand, &auths, &n, err);
    if (rc == HC_OK) {
        char best[11];
        *standing = standing_of_auths(auths, n, market, day, best);
        if (until)
            hc_strlcpy(until, best, 11);
    }
    hc_arena_free(a);
    return rc;
}

int hc_brand_skus(hc_store *s, hc_arena *a, const char *seller, const char *day,
                  bool flagged_only, const char *cursor, int limit, struct hc_brand_sku **items,
                  size_t *n, const char **next, hc_err *err)
{
    HC_ASSERT(limit > 0 && day);
    const char *cs = "", *ck = "";
    if (cursor && !split_cursor(a, cursor, &cs, &ck))
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT k.seller, k.sku, k.name, k.brand FROM skus k JOIN brands b"
                            " ON b.seller = k.seller AND b.name = k.brand"
                            " WHERE b.seller_is_owner = 0 AND (? = '' OR k.seller = ?)"
                            " AND (k.seller > ? OR (k.seller = ? AND k.sku > ?))"
                            " ORDER BY k.seller, k.sku LIMIT ?",
                            "sssssi", seller ? seller : "", seller ? seller : "", cs, cs, ck,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_brand_sku *rows = hc_arena_alloc(a, sizeof(*rows) * ((size_t)limit + 1));
    size_t got = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        rows[got].seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        rows[got].sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        rows[got].name = hc_arena_strdup(a, hc_stmt_text(q, 2));
        rows[got].brand = hc_arena_strdup(a, hc_stmt_text(q, 3));
        got++;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *next = NULL;
    if (got > (size_t)limit) {
        got = (size_t)limit;
        *next = hc_arena_printf(a, "%s/%s", rows[got - 1].seller, rows[got - 1].sku);
    }
    *items = rows;
    *n = 0;
    for (size_t i = 0; i < got; i++) {
        char until[11];
        int st;
        /* the same brand as the row before: the same standing */
        if (i > 0 && strcmp(rows[i].seller, rows[i - 1].seller) == 0 &&
            strcmp(rows[i].brand, rows[i - 1].brand) == 0) {
            st = rows[i - 1].standing;
            hc_strlcpy(until, rows[i - 1].until, sizeof(until));
        } else if ((rc = hc_brand_standing(s, rows[i].seller, rows[i].brand, NULL, day, &st,
                                           until, err)) != HC_OK) {
            return rc;
        }
        rows[i].standing = st;
        rows[i].until = hc_arena_strdup(a, until);
        if (!flagged_only || hc_brand_standing_blocks(st))
            rows[(*n)++] = rows[i];
    }
    return HC_OK;
}

int hc_brand_missing(hc_store *s, hc_arena *a, const char *seller, const char *const *skus,
                     size_t n, const char *market, const char *day, const char ***items,
                     size_t *nitems, hc_err *err)
{
    *items = hc_arena_alloc(a, sizeof(**items) * (n ? n : 1));
    *nitems = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(skus[k], skus[i]) == 0;
        if (seen)
            continue;
        struct hc_sku sku;
        int rc = hc_sku_get(s, a, seller, skus[i], &sku, err);
        if (rc == HC_ENOTFOUND) { /* the order refuses unknown SKUs itself */
            hc_err_clear(err);
            continue;
        }
        int st;
        if (rc == HC_OK)
            rc = hc_brand_standing(s, seller, sku.brand, market, day, &st, NULL, err);
        if (rc != HC_OK)
            return rc;
        if (hc_brand_standing_blocks(st))
            (*items)[(*nitems)++] = hc_arena_printf(a, "skus[%s]." HC_BRAND_ITEM, skus[i]);
    }
    return HC_OK;
}

/* gate.c: the compliance gate. The rule table compiled per day and market,
 * the check of a product against a market, holds on orders and inbounds
 * with the missing items named, their release when the data is complete,
 * and the dashboard's matrix. */
#include "compliance/compliance.h"

#include "finance/finance.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

/* ---- the ruleset ------------------------------------------------------------------ */

enum req_kind { REQ_CATEGORY, REQ_GPSR, REQ_MARK, REQ_BATTERY, REQ_TARIFF, REQ_EPR };

struct crule {
    const char *id, *category, *requirement, *arg;
    enum req_kind kind;
    bool battery_only, any_category;
    enum hc_gap_level level;
};

#define SLOTS (26 * 26)
struct hc_ruleset {
    struct crule *slot[SLOTS];
    size_t nslot[SLOTS];
    size_t total;
};

/* The slot of an ISO 3166-1 alpha-2 code, or -1. */
static int slot_of(const char *m)
{
    if (m == NULL || m[0] < 'A' || m[0] > 'Z' || m[1] < 'A' || m[1] > 'Z' || m[2] != '\0')
        return -1;
    return (m[0] - 'A') * 26 + (m[1] - 'A');
}

static const char *const eu_list[] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
};

static void compile_one(const struct hc_rule *r, enum hc_gap_level level, struct crule *c)
{
    c->id = r->id;
    c->category = r->category;
    c->any_category = strcmp(r->category, "*") == 0;
    c->requirement = r->requirement;
    c->battery_only = r->condition && strcmp(r->condition, "battery") == 0;
    c->level = level;
    c->arg = NULL;
    if (strcmp(r->requirement, "category") == 0)
        c->kind = REQ_CATEGORY;
    else if (strcmp(r->requirement, "gpsr_operator") == 0)
        c->kind = REQ_GPSR;
    else if (strcmp(r->requirement, "battery_data") == 0)
        c->kind = REQ_BATTERY;
    else if (strcmp(r->requirement, "tariff_code") == 0)
        c->kind = REQ_TARIFF;
    else if (strncmp(r->requirement, "mark.", 5) == 0)
        c->kind = REQ_MARK, c->arg = r->requirement + 5;
    else
        c->kind = REQ_EPR, c->arg = r->requirement + 4;
}

/* day + n days, as YYYY-MM-DD */
static void day_add(const char *day, int n, char out[11])
{
    int64_t ms = 0;
    if (hc_time_parse_iso(day, &ms) != HC_OK)
        ms = 0;
    char iso[32];
    hc_time_iso(ms + (int64_t)n * HC_DAY_MS, iso, sizeof(iso));
    hc_strlcpy(out, iso, 11);
}

/* How a rule counts on day: in force (by its status), upcoming, or not (-1). */
static int level_on(const struct hc_rule *r, const char *day, const char *horizon)
{
    bool ended = r->effective_to && r->effective_to[0] && strcmp(day, r->effective_to) > 0;
    if (ended)
        return -1;
    if (strcmp(r->effective_from, day) <= 0)
        return strcmp(r->status, "uncertain") == 0 ? HC_GAP_UNCERTAIN : HC_GAP_MISSING;
    return strcmp(r->effective_from, horizon) <= 0 ? HC_GAP_UPCOMING : -1;
}

int hc_ruleset_build(hc_arena *a, const struct hc_rule *rules, size_t n, const char *day,
                     struct hc_ruleset **out, hc_err *err)
{
    if (day == NULL || strlen(day) != 10)
        return hc_err_set(err, HC_EINVAL, "day", "must be YYYY-MM-DD");
    char horizon[11];
    day_add(day, HC_GATE_HORIZON_DAYS, horizon);
    struct hc_ruleset *rs = hc_arena_alloc(a, sizeof(*rs));
    int *level = hc_arena_alloc(a, sizeof(int) * (n ? n : 1));
    size_t count[SLOTS] = {0};
    for (size_t i = 0; i < n; i++) { /* first pass: how many per market */
        hc_err e = {0};
        level[i] = hc_rule_validate(&rules[i], &e) == HC_OK ? level_on(&rules[i], day, horizon) : -1;
        if (level[i] < 0)
            continue;
        if (strcmp(rules[i].market, "EU") == 0)
            for (size_t k = 0; k < HC_ARRAY_LEN(eu_list); k++)
                count[slot_of(eu_list[k])]++;
        else
            count[slot_of(rules[i].market)]++;
    }
    for (int s = 0; s < SLOTS; s++)
        if (count[s])
            rs->slot[s] = hc_arena_alloc(a, sizeof(struct crule) * count[s]);
    for (size_t i = 0; i < n; i++) {
        if (level[i] < 0)
            continue;
        struct crule c;
        compile_one(&rules[i], (enum hc_gap_level)level[i], &c);
        rs->total++;
        if (strcmp(rules[i].market, "EU") == 0) {
            for (size_t k = 0; k < HC_ARRAY_LEN(eu_list); k++) {
                int s = slot_of(eu_list[k]);
                rs->slot[s][rs->nslot[s]++] = c;
            }
        } else {
            int s = slot_of(rules[i].market);
            rs->slot[s][rs->nslot[s]++] = c;
        }
    }
    *out = rs;
    return HC_OK;
}

size_t hc_ruleset_size(const struct hc_ruleset *rs)
{
    return rs ? rs->total : 0;
}

static bool market_has_rules(const struct hc_ruleset *rs, const char *market)
{
    int s = slot_of(market);
    return s >= 0 && rs->nslot[s] > 0;
}

static void today(char out[11])
{
    char iso[32];
    hc_time_iso(hc_now_ms(), iso, sizeof(iso));
    hc_strlcpy(out, iso, 11);
}

int hc_ruleset_load(hc_store *s, hc_arena *a, const char *day, struct hc_ruleset **out,
                    hc_err *err)
{
    struct hc_rule *r;
    size_t n;
    char d[11];
    if (day == NULL) {
        today(d);
        day = d;
    }
    int rc = hc_rule_list(s, a, NULL, NULL, NULL, &r, &n, err);
    return rc ? rc : hc_ruleset_build(a, r, n, day, out, err);
}

/* ---- the compiled table, shared ------------------------------------------------------
 * Every order and inbound is checked in the writer's transaction, so the table
 * is compiled once per day and content, not per check: a check reads only the
 * table's fingerprint (row count, newest change; rules are never deleted, a
 * change rewrites updated_at) and compiles again when it differs. A compiled
 * table lives until the last check using it lets go. One database per process
 * is assumed (the server's): two databases whose tables have the same
 * fingerprint would share a compiled table. */
struct shared_rs {
    hc_arena *arena;
    struct hc_ruleset *rs;
    char day[11];
    int64_t count, stamp;
    int refs;
};

static struct {
    pthread_mutex_t mu;
    struct shared_rs *current;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void shared_release(struct shared_rs *x)
{
    pthread_mutex_lock(&cache.mu);
    bool gone = --x->refs == 0 && cache.current != x;
    pthread_mutex_unlock(&cache.mu);
    if (gone) {
        hc_arena_free(x->arena);
        free(x);
    }
}

/* The fingerprint as read in this thread's current transaction: read once
 * per transaction (every order of a group-commit batch shares it). On SQLite
 * no other connection writes while a write transaction is open, and on
 * MariaDB the transaction reads one snapshot, so only this thread can change
 * the rules under it: rule writes call hc_gate_rules_changed, and a ROLLBACK
 * (TO SAVEPOINT) gives the transaction a new number. Outside a transaction
 * (tx 0) it is read every time. */
static _Thread_local struct {
    uint64_t tx;
    int64_t count, stamp;
} rules_seen;

void hc_gate_rules_changed(void)
{
    rules_seen.tx = 0;
}

static int rules_fingerprint(hc_store *s, int64_t *count, int64_t *stamp, hc_err *err)
{
    uint64_t tx = hc_store_tx(s);
    if (tx != 0 && rules_seen.tx == tx) {
        *count = rules_seen.count;
        *stamp = rules_seen.stamp;
        return HC_OK;
    }
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM compliance_rules",
                            "");
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *count = hc_stmt_int(q, 0);
        *stamp = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW)
        return rc == HC_DONE ? hc_err_set(err, HC_EINTERNAL, "", "no rule count") : rc;
    rules_seen.tx = tx;
    rules_seen.count = *count;
    rules_seen.stamp = *stamp;
    return HC_OK;
}

static int shared_acquire(hc_store *s, const char *day, struct shared_rs **out, hc_err *err)
{
    int64_t count = 0, stamp = 0;
    int rc = rules_fingerprint(s, &count, &stamp, err);
    if (rc != HC_OK)
        return rc;
    pthread_mutex_lock(&cache.mu);
    struct shared_rs *c = cache.current;
    if (c && c->count == count && c->stamp == stamp && strcmp(c->day, day) == 0) {
        c->refs++;
        pthread_mutex_unlock(&cache.mu);
        *out = c;
        return HC_OK;
    }
    pthread_mutex_unlock(&cache.mu);
    struct shared_rs *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    x->arena = hc_arena_new(1 << 14);
    x->count = count;
    x->stamp = stamp;
    hc_strlcpy(x->day, day, sizeof(x->day));
    x->refs = 1;
    rc = hc_ruleset_load(s, x->arena, day, &x->rs, err);
    if (rc != HC_OK) {
        hc_arena_free(x->arena);
        free(x);
        return rc;
    }
    pthread_mutex_lock(&cache.mu);
    struct shared_rs *old = cache.current;
    cache.current = x;
    x->refs++; /* the cache's own */
    bool free_old = old && --old->refs == 0;
    pthread_mutex_unlock(&cache.mu);
    if (free_old) {
        hc_arena_free(old->arena);
        free(old);
    }
    *out = x;
    return HC_OK;
}

/* ---- checking one product -------------------------------------------------------- */

static bool gpsr_complete(const struct hc_gpsr_operator *g)
{
    return g->name && g->line1 && g->postcode && g->city && g->contact && g->country &&
           hc_market_in_eu(g->country);
}

static bool has_mark(const struct hc_product *p, const char *mark)
{
    for (size_t i = 0; i < p->nmarks; i++)
        if (strcasecmp(p->marks[i], mark) == 0)
            return true;
    return false;
}

static bool battery_complete(const struct hc_product *p)
{
    if (p->battery == HC_TRI_UNSET)
        return false;
    if (p->battery == HC_TRI_NO)
        return true;
    return p->un_number && p->packing_instruction && (p->lithium_mg >= 0 || p->energy_mwh >= 0);
}

static bool has_tariff(const struct hc_product *p, const char *market)
{
    const char *key = hc_market_in_eu(market) ? "EU" : market;
    for (size_t i = 0; i < p->ntariffs; i++)
        if (strcmp(p->tariffs[i].market, key) == 0)
            return true;
    return false;
}

static bool has_epr(const struct hc_product *p, const char *market, const char *kind)
{
    for (size_t i = 0; i < p->nepr; i++)
        if (strcmp(p->epr[i].country, market) == 0 && strcmp(p->epr[i].kind, kind) == 0)
            return true;
    return false;
}

static bool satisfied(const struct crule *c, const char *market, const struct hc_product *p)
{
    switch (c->kind) {
    case REQ_CATEGORY:
        return p->category != NULL;
    case REQ_GPSR:
        return gpsr_complete(&p->gpsr);
    case REQ_MARK:
        return has_mark(p, c->arg);
    case REQ_BATTERY:
        return battery_complete(p);
    case REQ_TARIFF:
        return has_tariff(p, market);
    case REQ_EPR:
        return has_epr(p, market, c->arg);
    }
    return false;
}

static void add_gap(struct hc_gaps *g, size_t first, const char *item, enum hc_gap_level level,
                    const char *rule)
{
    for (size_t i = first; i < g->n; i++) {
        if (strcmp(g->v[i].item, item) != 0)
            continue;
        if (level < g->v[i].level) { /* the more severe one counts */
            if (level == HC_GAP_MISSING)
                g->nmissing++;
            g->v[i].level = level;
            g->v[i].rule = rule;
        }
        return;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        struct hc_gap *v = hc_arena_alloc(g->arena, sizeof(*v) * cap);
        if (g->n)
            memcpy(v, g->v, sizeof(*v) * g->n);
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n++] = (struct hc_gap){hc_arena_strdup(g->arena, item), level, rule};
    if (level == HC_GAP_MISSING)
        g->nmissing++;
}

void hc_gate_check_product(const struct hc_ruleset *rs, const char *market,
                           const struct hc_product *p, struct hc_gaps *out)
{
    HC_ASSERT(rs && p && out && out->arena);
    int s = slot_of(market);
    if (s < 0)
        return;
    /* items read skus[<sku>].<eu or the country>.<requirement>; EPR is national */
    char region[3] = {(char)tolower((unsigned char)market[0]),
                      (char)tolower((unsigned char)market[1]), 0};
    const char *area = hc_market_in_eu(market) ? "eu" : region;
    size_t first = out->n;
    for (size_t i = 0; i < rs->nslot[s]; i++) {
        const struct crule *c = &rs->slot[s][i];
        if (!c->any_category && (p->category == NULL || strcmp(c->category, p->category) != 0))
            continue;
        if (c->battery_only && p->battery != HC_TRI_YES)
            continue;
        if (satisfied(c, market, p))
            continue;
        char item[HC_SKU_MAX + 80];
        snprintf(item, sizeof(item), "skus[%s].%s.%s", p->sku ? p->sku : "",
                 c->kind == REQ_EPR ? region : area, c->requirement);
        add_gap(out, first, item, c->level, c->id);
    }
}

/* ---- checking what moves ------------------------------------------------------------ */

/* The distinct SKUs of skus[] in line order, with the line each first
 * appears on. */
static size_t distinct_skus(hc_arena *a, const char *const *skus, size_t n, const char ***out,
                            size_t **line)
{
    *out = hc_arena_alloc(a, sizeof(**out) * (n + 1));
    *line = hc_arena_alloc(a, sizeof(**line) * (n + 1));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < m && !seen; k++)
            seen = strcmp((*out)[k], skus[i]) == 0;
        if (!seen) {
            (*line)[m] = i;
            (*out)[m++] = skus[i];
        }
    }
    return m;
}

/* The brand item of one SKU (brands.c): a SKU whose brand the seller
 * neither owns nor is authorised for today in market lacks
 * skus[<sku>].brand_authorisation. */
static int add_brand_gap_of(hc_store *s, const char *seller, const struct hc_sku_facts *f,
                            const char *market, const char *day, struct hc_gaps *g, hc_err *err)
{
    int st;
    int rc = hc_brand_standing_known(s, seller, f->product.brand, f->brand_recorded,
                                     f->brand_owner, market, day, &st, NULL, err);
    if (rc == HC_OK && hc_brand_standing_blocks(st)) {
        char item[HC_SKU_MAX + 40];
        snprintf(item, sizeof(item), "skus[%s]." HC_BRAND_ITEM, f->product.sku);
        add_gap(g, 0, item, HC_GAP_MISSING, "brand");
    }
    return rc;
}

/* What the gate holds moving goods for: the product gaps of the SKUs under
 * rs (when market has rules; an unknown SKU is then HC_EINVAL naming
 * lines[i].sku, after the gaps of the SKUs before it) and, with brands, the
 * brand items of the known SKUs (today's standing; after an unknown SKU
 * out->nmissing counts only these). Two queries per distinct SKU
 * (hc_sku_facts_load), the authorisations only where they decide. */
static int check_lines_with(hc_store *s, hc_arena *a, const struct hc_ruleset *rs,
                            const char *seller, const char *market, const char *const *skus,
                            size_t n, bool brands, struct hc_gaps *out, hc_err *err)
{
    bool rules = market_has_rules(rs, market);
    if (!rules && !brands)
        return HC_OK;
    const char **d;
    size_t *line;
    size_t m = distinct_skus(a, skus, n, &d, &line);
    struct hc_sku_facts *f = hc_arena_alloc(a, sizeof(*f) * (m + 1));
    for (size_t i = 0; i < m; i++) {
        int rc = hc_sku_facts_load(s, a, seller, d[i], rules, &f[i], err);
        if (rc != HC_OK)
            return rc;
    }
    int result = HC_OK;
    for (size_t i = 0; rules && i < m; i++) {
        if (!f[i].known) {
            char field[48];
            snprintf(field, sizeof(field), "lines[%zu].sku", line[i]);
            result = hc_err_set(err, HC_EINVAL, field, "unknown SKU %s for seller %s", d[i],
                                seller);
            break;
        }
        hc_gate_check_product(rs, market, &f[i].product, out);
    }
    if (result != HC_OK) /* the order path counts only the brand items then */
        out->nmissing = 0;
    char day[11];
    today(day);
    for (size_t i = 0; brands && i < m; i++) {
        hc_err e = {0};
        int rc = f[i].known ? add_brand_gap_of(s, seller, &f[i], market, day, out, &e) : HC_OK;
        if (rc != HC_OK) {
            if (result != HC_OK)
                hc_err_clear(err);
            *err = e;
            return rc;
        }
    }
    return result;
}

static int check_lines(hc_store *s, hc_arena *a, const char *seller, const char *market,
                       const char *const *skus, size_t n, const char *day, bool brands,
                       struct hc_gaps *out, hc_err *err)
{
    char d[11];
    if (day == NULL) {
        today(d);
        day = d;
    }
    struct shared_rs *shared = NULL;
    int rc = shared_acquire(s, day, &shared, err);
    if (rc != HC_OK)
        return rc;
    rc = check_lines_with(s, a, shared->rs, seller, market, skus, n, brands, out, err);
    shared_release(shared);
    return rc;
}

int hc_gate_check_lines(hc_store *s, hc_arena *a, const char *seller, const char *market,
                        const char *const *skus, size_t n, const char *day,
                        struct hc_gaps *out, hc_err *err)
{
    return check_lines(s, a, seller, market, skus, n, day, false, out, err);
}

/* The brands' items one query a SKU at a time (the recheck and transfers;
 * orders and inbounds read them with their SKUs: check_lines). */
int hc_gate_add_brand_gaps(hc_store *s, hc_arena *a, const char *seller, const char *market,
                           const char *const *skus, size_t n, struct hc_gaps *g, hc_err *err)
{
    char day[11];
    today(day);
    const char **items;
    size_t nitems;
    int rc = hc_brand_missing(s, a, seller, skus, n, market, day, &items, &nitems, err);
    for (size_t i = 0; rc == HC_OK && i < nitems; i++)
        add_gap(g, 0, items[i], HC_GAP_MISSING, "brand");
    return rc;
}

char *hc_gaps_missing_text(hc_arena *a, const struct hc_gaps *g)
{
    size_t len = 1;
    for (size_t i = 0; i < g->n; i++)
        len += strlen(g->v[i].item) + 1;
    char *t = hc_arena_alloc(a, len), *o = t;
    for (size_t i = 0; i < g->n; i++) {
        if (g->v[i].level != HC_GAP_MISSING)
            continue;
        size_t k = strlen(g->v[i].item);
        if (o != t)
            *o++ = '\n';
        memcpy(o, g->v[i].item, k);
        o += k;
    }
    *o = '\0';
    return t;
}

/* warehouse: where the held goods are (the list's filter for transfers;
 * orders and inbounds are found through their own rows). */
static int put_hold(hc_store *s, hc_arena *a, const char *seller, const char *kind,
                    const char *ref, const char *market, const char *warehouse,
                    const struct hc_gaps *g, hc_err *err)
{
    int rc = hc_store_run(s, err, NULL,
                          "DELETE FROM compliance_holds WHERE seller = ? AND kind = ? AND ref = ?",
                          "sss", seller, kind, ref);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO compliance_holds (seller, kind, ref, market, missing,"
                          " held_at, released_at, warehouse) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                          "sssssis", seller, kind, ref, market, hc_gaps_missing_text(a, g),
                          hc_now_ms(), warehouse ? warehouse : "");
    return rc;
}

int hc_gate_order_create(hc_store *s, hc_arena *a, struct hc_order *o, bool credit_over,
                         const char *actor, bool *existed, hc_err *err)
{
    const char **skus = hc_arena_alloc(a, sizeof(*skus) * (o->nlines + 1));
    for (size_t i = 0; i < o->nlines; i++)
        skus[i] = o->lines[i].sku;
    struct hc_gaps g = {.arena = a};
    int rc = check_lines(s, a, o->seller, o->ship_country, skus, o->nlines, NULL, true, &g, err);
    if (rc == HC_EINVAL) { /* an unknown SKU: hc_order_create names it as it always has */
        hc_err_clear(err);
        rc = HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    bool held = g.nmissing > 0;
    o->hold_reason = held ? HC_HOLD_COMPLIANCE : credit_over ? HC_HOLD_CREDIT : NULL;
    rc = hc_order_create(s, a, o, actor, existed, err);
    if (rc != HC_OK || *existed || !held)
        return rc;
    rc = put_hold(s, a, o->seller, "order", o->id, o->ship_country, NULL, &g, err);
    bool keep = false;
    if (rc == HC_OK && o->warehouse)
        rc = hc_gate_setting_get(s, o->warehouse, &keep, err);
    if (rc == HC_OK && keep)
        rc = hc_order_allocate_held(s, a, o, actor, NULL, err);
    return rc;
}

int hc_gate_inbound_create(hc_store *s, hc_arena *a, struct hc_inbound *in, const char *actor,
                           hc_err *err)
{
    int rc = hc_inbound_create(s, a, in, actor, err);
    if (rc != HC_OK)
        return rc;
    struct hc_warehouse w;
    if ((rc = hc_warehouse_get(s, a, in->warehouse, &w, err)) != HC_OK)
        return rc;
    const char **skus = hc_arena_alloc(a, sizeof(*skus) * (in->nlines + 1));
    for (size_t i = 0; i < in->nlines; i++)
        skus[i] = in->lines[i].sku;
    struct hc_gaps g = {.arena = a};
    rc = check_lines(s, a, in->seller, w.country, skus, in->nlines, NULL, true, &g, err);
    if (rc != HC_OK || g.nmissing == 0)
        return rc;
    rc = put_hold(s, a, in->seller, "inbound", in->id, w.country, in->warehouse, &g, err);
    return rc ? rc : hc_inbound_hold(s, in, HC_HOLD_COMPLIANCE, err);
}

/* ---- holds ------------------------------------------------------------------------- */

static void read_hold(hc_arena *a, hc_stmt *q, struct hc_hold *h)
{
    h->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
    h->kind = hc_arena_strdup(a, hc_stmt_text(q, 1));
    h->ref = hc_arena_strdup(a, hc_stmt_text(q, 2));
    h->market = hc_arena_strdup(a, hc_stmt_text(q, 3));
    char *text = hc_arena_strdup(a, hc_stmt_text(q, 4)), *save = NULL;
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    h->missing = hc_arena_alloc(a, sizeof(*h->missing) * n);
    h->nmissing = 0;
    for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
        h->missing[h->nmissing++] = t;
    h->held_at = hc_stmt_int(q, 5);
    h->released_at = hc_stmt_int(q, 6);
}

#define HOLD_COLS "SELECT h.seller, h.kind, h.ref, h.market, h.missing, h.held_at, h.released_at"

int hc_gate_hold_get(hc_store *s, hc_arena *a, const char *kind, const char *ref,
                     struct hc_hold *out, bool *found, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            HOLD_COLS " FROM compliance_holds h WHERE h.kind = ? AND h.ref = ?",
                            "ss", kind, ref);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    *found = rc == HC_ROW;
    if (rc == HC_ROW)
        read_hold(a, q, out);
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

/* A page's cursor: "<held_at>/<kind>/<ref>" of the last hold given out. */
struct hold_cursor {
    int64_t held_at; /* -1: from the start */
    char kind[16];
    const char *ref;
};

static int parse_hold_cursor(hc_arena *a, const char *text, struct hold_cursor *c, hc_err *err)
{
    *c = (struct hold_cursor){.held_at = -1, .ref = ""};
    if (text == NULL)
        return HC_OK;
    const char *k = strchr(text, '/'), *r = k ? strchr(k + 1, '/') : NULL;
    char at[24];
    if (k == NULL || r == NULL || k == text || (size_t)(k - text) >= sizeof(at) ||
        (size_t)(r - k - 1) >= sizeof(c->kind) || r == k + 1 || r[1] == '\0')
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    memcpy(at, text, (size_t)(k - text));
    at[k - text] = '\0';
    if (hc_parse_i64(at, 0, INT64_MAX, &c->held_at) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    memcpy(c->kind, k + 1, (size_t)(r - k - 1));
    c->kind[r - k - 1] = '\0';
    c->ref = hc_arena_strdup(a, r + 1);
    return HC_OK;
}

/* Active holds after cursor c in (held_at, kind, ref) order, at most limit;
 * *more says whether another follows. gate_kinds: orders and inbounds only
 * (what hc_gate_recheck itself releases). */
static int list_holds(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                      const struct hold_cursor *c, bool gate_kinds, int limit,
                      struct hc_hold **out, size_t *n, bool *more, hc_err *err)
{
    HC_ASSERT(limit > 0);
    hc_stmt *q;
    const char *sl = seller ? seller : "", *wh = warehouse ? warehouse : "";
    *out = hc_arena_alloc(a, sizeof(**out) * (size_t)limit);
    *n = 0;
    *more = false;
    int rc = hc_store_query(
        s, err, &q,
        HOLD_COLS " FROM compliance_holds h"
                  " LEFT JOIN orders o ON h.kind = 'order' AND o.seller = h.seller AND o.id = h.ref"
                  " LEFT JOIN inbounds i ON h.kind = 'inbound' AND i.seller = h.seller"
                  " AND i.id = h.ref"
                  " WHERE h.released_at = 0 AND (? = '' OR h.seller = ?)"
                  " AND (? = '' OR o.warehouse = ? OR i.warehouse = ?"
                  " OR (h.kind = 'transfer' AND h.warehouse = ?))"
                  " AND (? = 0 OR h.kind IN ('order', 'inbound'))"
                  " AND (h.held_at > ? OR (h.held_at = ? AND (h.kind > ?"
                  " OR (h.kind = ? AND h.ref > ?))))"
                  " ORDER BY h.held_at, h.kind, h.ref LIMIT ?",
        "ssssssiiisssi", sl, sl, wh, wh, wh, wh, (int64_t)(gate_kinds ? 1 : 0), c->held_at,
        c->held_at, c->kind, c->kind, c->ref, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == (size_t)limit) {
            *more = true;
            break;
        }
        read_hold(a, q, &(*out)[(*n)++]);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_gate_hold_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                      const char *cursor, int limit, struct hc_hold **out, size_t *n,
                      const char **next, hc_err *err)
{
    struct hold_cursor c;
    bool more = false;
    *next = NULL;
    int rc = parse_hold_cursor(a, cursor, &c, err);
    if (rc == HC_OK)
        rc = list_holds(s, a, seller, warehouse, &c, false, limit, out, n, &more, err);
    if (rc == HC_OK && more && *n > 0) {
        const struct hc_hold *last = &(*out)[*n - 1];
        size_t size = strlen(last->kind) + strlen(last->ref) + 32;
        char *t = hc_arena_alloc(a, size);
        snprintf(t, size, "%lld/%s/%s", (long long)last->held_at, last->kind, last->ref);
        *next = t;
    }
    return rc;
}

static int mark_released(hc_store *s, const struct hc_hold *h, hc_err *err)
{
    return hc_store_run(s, err, NULL,
                        "UPDATE compliance_holds SET released_at = ? WHERE seller = ? AND kind = ?"
                        " AND ref = ?",
                        "isss", hc_now_ms(), h->seller, h->kind, h->ref);
}

int hc_gate_hold_sync(hc_store *s, hc_arena *a, const char *seller, const char *kind,
                      const char *ref, const char *market, const char *warehouse,
                      const struct hc_gaps *g, hc_err *err)
{
    HC_ASSERT(seller && kind && ref && market);
    struct hc_hold h;
    bool found = false;
    int rc = hc_gate_hold_get(s, a, kind, ref, &h, &found, err);
    if (rc != HC_OK)
        return rc;
    bool active = found && h.released_at == 0;
    if (g == NULL || g->nmissing == 0)
        return active ? mark_released(s, &h, err) : HC_OK;
    if (!active)
        return put_hold(s, a, seller, kind, ref, market, warehouse, g, err);
    return hc_store_run(s, err, NULL,
                        "UPDATE compliance_holds SET missing = ? WHERE seller = ? AND kind = ?"
                        " AND ref = ?",
                        "ssss", hc_gaps_missing_text(a, g), seller, kind, ref);
}

/* The SKUs of a held object, or *still_held false when it left on_hold
 * another way (cancelled). */
static int held_skus(hc_store *s, hc_arena *a, const struct hc_hold *h, const char ***skus,
                     size_t *n, bool *still_held, hc_err *err)
{
    if (strcmp(h->kind, "order") == 0) {
        struct hc_order o;
        int rc = hc_order_get(s, a, h->ref, &o, err);
        if (rc != HC_OK)
            return rc;
        *still_held = hc_order_status_parse(o.status) == HC_ORDER_ON_HOLD && o.hold_reason &&
                      strcmp(o.hold_reason, HC_HOLD_COMPLIANCE) == 0;
        *skus = hc_arena_alloc(a, sizeof(**skus) * (o.nlines + 1));
        for (size_t i = 0; i < o.nlines; i++)
            (*skus)[i] = o.lines[i].sku;
        *n = o.nlines;
        return HC_OK;
    }
    struct hc_inbound in;
    int rc = hc_inbound_get(s, a, h->ref, &in, err);
    if (rc != HC_OK)
        return rc;
    *still_held = strcmp(in.status, "on_hold") == 0;
    *skus = hc_arena_alloc(a, sizeof(**skus) * (in.nlines + 1));
    for (size_t i = 0; i < in.nlines; i++)
        (*skus)[i] = in.lines[i].sku;
    *n = in.nlines;
    return HC_OK;
}

static int release(hc_store *s, hc_arena *a, const struct hc_hold *h, const char *actor,
                   hc_err *err)
{
    int rc = mark_released(s, h, err);
    if (rc != HC_OK)
        return rc;
    if (strcmp(h->kind, "inbound") == 0)
        return hc_inbound_release_hold(s, h->seller, h->ref, err);
    bool over = false;
    if ((rc = hc_credit_over(s, h->seller, &over, err)) != HC_OK)
        return rc;
    if (over) /* still held, now for credit: a top-up releases it */
        return hc_order_set_hold_reason(s, h->seller, h->ref, HC_HOLD_CREDIT, err);
    return hc_order_release_hold(s, a, h->ref, actor, NULL, err);
}

int hc_gate_recheck(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                    int *released, hc_err *err)
{
    if (released)
        *released = 0;
    struct hc_hold *h;
    size_t n;
    struct hold_cursor from = {.held_at = -1, .ref = ""};
    bool more = false;
    int rc = list_holds(s, a, seller, NULL, &from, true, 10000, &h, &n, &more, err);
    struct hc_ruleset *rs = NULL;
    if (rc == HC_OK && n > 0)
        rc = hc_ruleset_load(s, a, NULL, &rs, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        const char **skus;
        size_t ns;
        bool still = false;
        if ((rc = held_skus(s, a, &h[i], &skus, &ns, &still, err)) != HC_OK)
            break;
        if (!still) {
            rc = mark_released(s, &h[i], err);
            continue;
        }
        struct hc_gaps g = {.arena = a};
        for (size_t k = 0; rc == HC_OK && k < ns; k++) {
            struct hc_product p;
            rc = hc_product_effective(s, a, h[i].seller, skus[k], &p, err);
            if (rc == HC_OK)
                hc_gate_check_product(rs, h[i].market, &p, &g);
        }
        if (rc == HC_OK)
            rc = hc_gate_add_brand_gaps(s, a, h[i].seller, h[i].market, skus, ns, &g, err);
        if (rc != HC_OK)
            break;
        if (g.nmissing > 0) {
            rc = hc_store_run(s, err, NULL,
                              "UPDATE compliance_holds SET missing = ? WHERE seller = ? AND"
                              " kind = ? AND ref = ?",
                              "ssss", hc_gaps_missing_text(a, &g), h[i].seller, h[i].kind, h[i].ref);
            continue;
        }
        rc = release(s, a, &h[i], actor, err);
        if (rc == HC_OK && released)
            (*released)++;
    }
    return rc;
}

/* ---- the warehouse setting ------------------------------------------------------------ */

int hc_gate_setting_get(hc_store *s, const char *warehouse, bool *hold_allocates, hc_err *err)
{
    int64_t v = 0;
    int rc = hc_store_int(s, err, &v,
                          "SELECT hold_allocates FROM compliance_wh_settings WHERE warehouse = ?",
                          "s", warehouse);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        v = 0;
        rc = HC_OK;
    }
    *hold_allocates = v != 0;
    return rc;
}

int hc_gate_setting_set(hc_store *s, const char *warehouse, bool hold_allocates,
                        const char *actor, hc_err *err)
{
    if (!hc_warehouse_exists(s, warehouse, err)) {
        if (err->code != HC_OK && err->code != HC_ENOTFOUND)
            return err->code;
        hc_err_clear(err);
        return hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", warehouse);
    }
    int rc = hc_store_run(s, err, NULL, "DELETE FROM compliance_wh_settings WHERE warehouse = ?",
                          "s", warehouse);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO compliance_wh_settings (warehouse, hold_allocates,"
                          " updated_at, updated_by) VALUES (?, ?, ?, ?)",
                          "siis", warehouse, (int64_t)(hold_allocates ? 1 : 0), hc_now_ms(),
                          actor ? actor : "");
    return rc;
}

/* ---- the matrix ----------------------------------------------------------------------- */

const char *hc_light_name(enum hc_light l)
{
    static const char *const names[] = {"green", "amber", "red"};
    return l <= HC_LIGHT_RED ? names[l] : "red";
}

const char *hc_gap_level_name(enum hc_gap_level l)
{
    static const char *const names[] = {"missing", "uncertain", "upcoming"};
    return l <= HC_GAP_UPCOMING ? names[l] : "missing";
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void add_market(hc_arena *a, const char ***v, size_t *n, const char *m)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], m) == 0)
            return;
    (*v)[(*n)++] = hc_arena_strdup(a, m);
}

/* Every market a rule names, EU as its members that rules or warehouses name. */
static int default_markets(hc_store *s, hc_arena *a, const char ***out, size_t *n, hc_err *err)
{
    *out = hc_arena_alloc(a, sizeof(**out) * SLOTS);
    *n = 0;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT DISTINCT market FROM compliance_rules WHERE market <> 'EU'"
                            " UNION SELECT DISTINCT country FROM warehouses",
                            "");
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < SLOTS)
        add_market(a, out, n, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    qsort(*out, *n, sizeof(**out), cmp_str);
    return HC_OK;
}

/* The brand item of one SKU in one market on day (NULL: today), as orders
 * are held for it. */
static int add_brand_gap(hc_store *s, const char *seller, const struct hc_sku *k,
                         const char *market, const char *day, struct hc_gaps *g, hc_err *err)
{
    char d[11];
    if (k->brand == NULL || k->brand[0] == '\0')
        return HC_OK;
    if (day == NULL) {
        today(d);
        day = d;
    }
    int standing;
    int rc = hc_brand_standing(s, seller, k->brand, market, day, &standing, NULL, err);
    if (rc == HC_OK && hc_brand_standing_blocks(standing)) {
        char item[HC_SKU_MAX + 40];
        snprintf(item, sizeof(item), "skus[%s]." HC_BRAND_ITEM, k->sku);
        add_gap(g, 0, item, HC_GAP_MISSING, "brand");
    }
    return rc;
}

int hc_gate_matrix(hc_store *s, hc_arena *a, const char *seller, const char *const *markets,
                   size_t nmarkets, const char *day, const char *cursor, int max_skus,
                   const char ***markets_out, size_t *nmarkets_out,
                   struct hc_matrix_cell **cells, size_t *ncells, const char **next, hc_err *err)
{
    HC_ASSERT(max_skus > 0);
    int rc = HC_OK;
    if (markets) {
        *markets_out = hc_arena_alloc(a, sizeof(**markets_out) * (nmarkets + 1));
        for (size_t i = 0; i < nmarkets; i++)
            (*markets_out)[i] = markets[i];
        *nmarkets_out = nmarkets;
    } else {
        rc = default_markets(s, a, markets_out, nmarkets_out, err);
    }
    struct hc_ruleset *rs;
    if (rc == HC_OK)
        rc = hc_ruleset_load(s, a, day, &rs, err);
    struct hc_sku *skus = NULL;
    size_t nskus = 0;
    if (rc == HC_OK)
        rc = hc_sku_list(s, a, seller, NULL, cursor, max_skus, &skus, &nskus, next, err);
    if (rc != HC_OK)
        return rc;
    *cells = hc_arena_alloc(a, sizeof(**cells) * (nskus * *nmarkets_out + 1));
    *ncells = 0;
    for (size_t i = 0; i < nskus; i++) {
        struct hc_product p;
        if ((rc = hc_product_effective(s, a, seller, skus[i].sku, &p, err)) != HC_OK)
            return rc;
        for (size_t m = 0; m < *nmarkets_out; m++) {
            struct hc_gaps g = {.arena = a};
            hc_gate_check_product(rs, (*markets_out)[m], &p, &g);
            if ((rc = add_brand_gap(s, seller, &skus[i], (*markets_out)[m], day, &g, err)))
                return rc;
            struct hc_matrix_cell *c = &(*cells)[(*ncells)++];
            c->sku = skus[i].sku;
            c->market = (*markets_out)[m];
            c->light = g.nmissing ? HC_LIGHT_RED : g.n ? HC_LIGHT_AMBER : HC_LIGHT_GREEN;
            c->gaps = g.v;
            c->ngaps = g.n;
        }
    }
    return HC_OK;
}

/* Compliance gate benchmark (bench/RESULTS.md, "Compliance gate"): checking
 * ORDERS orders of 1 to 3 lines, each to one of 8 markets, against RULES
 * rules (markets DE FR NL PL ES IT GB US and EU, 10 categories, every
 * requirement kind, some uncertain or dated) over SKUS products of which
 * about a third are complete.
 *
 *   gate_bench DB_PATH [ORDERS (100000)] [RULES (100)] [SKUS (1000)] [STORE_ORDERS (10000)]
 *
 * Part 1, the check as designed: the rule table compiled for the day once
 * (hc_ruleset_build), products in memory, hc_gate_check_product per line.
 * Part 2, the path an API order takes: hc_gate_check_lines against a SQLite
 * database holding the same rules and products (rules and each SKU's
 * records read per order), STORE_ORDERS times. Pseudo-random but fixed
 * (xorshift), so runs compare. */
#include "compliance/compliance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const markets[] = {"DE", "FR", "NL", "PL", "ES", "IT", "GB", "US"};
static const char *const rule_markets[] = {"EU", "DE", "FR", "NL", "PL", "ES", "IT", "GB", "US"};
static const char *const categories[] = {"electronics", "toys",    "textiles", "cosmetics",
                                         "batteries",   "furniture", "kitchen", "sports",
                                         "garden",      "books"};
static const char *const requirements[] = {"category",   "gpsr_operator", "battery_data",
                                           "tariff_code", "mark.ce",      "mark.ukca",
                                           "epr.packaging", "epr.weee",   "epr.batteries",
                                           "epr.uin_textiles"};

static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static double secs(int64_t t0)
{
    return (double)(hc_mono_ns() - t0) / 1e9;
}

static void die(const char *what, const hc_err *err)
{
    fprintf(stderr, "gate_bench: %s: %s %s\n", what, err->field, err->msg);
    exit(1);
}

static void make_rules(hc_arena *a, struct hc_rule *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t x = rnd();
        r[i] = (struct hc_rule){
            .id = hc_arena_printf(a, "bench-%zu", i),
            .market = rule_markets[x % HC_ARRAY_LEN(rule_markets)],
            .category = (x >> 8) % 8 == 0 ? "*" : categories[(x >> 12) % HC_ARRAY_LEN(categories)],
            .requirement = requirements[(x >> 20) % HC_ARRAY_LEN(requirements)],
            .condition = (x >> 28) % 4 == 0 ? "battery" : "",
            .effective_from = (x >> 32) % 10 == 0 ? "2027-01-01" : "2024-12-13",
            .effective_to = (x >> 32) % 10 != 0 && (x >> 36) % 20 == 0 ? "2025-06-30" : "",
            .status = (x >> 40) % 6 == 0 ? "uncertain" : "confirmed",
            .source = "bench",
        };
    }
}

static const char *const all_marks[] = {"CE", "UKCA"};

/* A registration number of the shape its register publishes (German LUCID
 * and WEEE numbers are checked, src/compliance/checkdigits.c). */
static const char *epr_number(const char *country, const char *kind)
{
    if (strcmp(country, "DE") == 0 && strcmp(kind, "packaging") == 0)
        return "DE1234567890123";
    if (strcmp(country, "DE") == 0 && strcmp(kind, "weee") == 0)
        return "DE 12345678";
    return "REG-1";
}

static void make_product(hc_arena *a, size_t k, struct hc_product *p)
{
    hc_product_init(p);
    uint64_t x = rnd();
    bool complete = x % 3 == 0;
    p->seller = "S1";
    p->sku = hc_arena_printf(a, "SKU%06zu", k);
    p->category = categories[(x >> 4) % HC_ARRAY_LEN(categories)];
    if (complete || (x >> 8) % 2)
        p->gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstrasse 9", "47119", "Duisburg",
                                            "DE", "rep@example.eu"};
    p->battery = (x >> 10) % 3 == 0 ? HC_TRI_YES : HC_TRI_NO;
    if (p->battery == HC_TRI_YES && (complete || (x >> 12) % 2)) {
        p->un_number = "UN3481";
        p->packing_instruction = "PI967";
        p->lithium_mg = 300;
    }
    p->marks = (const char **)all_marks;
    p->nmarks = complete ? 2 : (x >> 14) % 3;
    size_t ne = 0;
    p->epr = hc_arena_alloc(a, sizeof(*p->epr) * 32);
    static const char *const kinds[] = {"packaging", "weee", "batteries", "uin_textiles"};
    for (size_t m = 0; m < HC_ARRAY_LEN(markets); m++)
        for (size_t k2 = 0; k2 < HC_ARRAY_LEN(kinds); k2++)
            if (complete || (rnd() % 2))
                p->epr[ne++] = (struct hc_epr_reg){markets[m], kinds[k2],
                                                   epr_number(markets[m], kinds[k2])};
    p->nepr = ne;
    p->tariffs = hc_arena_alloc(a, sizeof(*p->tariffs) * 3);
    p->tariffs[0] = (struct hc_tariff){"EU", "85076000"};
    p->tariffs[1] = (struct hc_tariff){"US", "8507600020"};
    p->tariffs[2] = (struct hc_tariff){"GB", "8507600000"};
    p->ntariffs = complete ? 3 : (x >> 18) % 4;
}

/* Part 1: in memory. */
static void bench_memory(size_t orders, const struct hc_rule *rules, size_t nrules,
                         const struct hc_product *prods, size_t nprods)
{
    hc_arena *a = hc_arena_new(1 << 20);
    hc_err err = {0};
    int64_t t0 = hc_mono_ns();
    struct hc_ruleset *rs;
    if (hc_ruleset_build(a, rules, nrules, "2026-11-28", &rs, &err))
        die("ruleset", &err);
    double t_build = secs(t0);
    size_t held = 0, lines = 0, items = 0;
    hc_arena *oa = hc_arena_new(1 << 20); /* the items of every held order */
    t0 = hc_mono_ns();
    for (size_t o = 0; o < orders; o++) {
        struct hc_gaps g = {.arena = oa};
        const char *market = markets[rnd() % HC_ARRAY_LEN(markets)];
        size_t nl = 1 + rnd() % 3;
        for (size_t l = 0; l < nl; l++)
            hc_gate_check_product(rs, market, &prods[rnd() % nprods], &g);
        lines += nl;
        held += g.nmissing > 0;
        items += g.nmissing;
    }
    double t = secs(t0);
    hc_arena_free(oa);
    printf("memory: %zu rules compiled (%zu in force or upcoming) in %.3f ms\n", nrules,
           hc_ruleset_size(rs), t_build * 1e3);
    printf("memory: %zu orders, %zu lines checked in %.3f s (%.0f orders/s); %zu held, %zu "
           "missing items\n",
           orders, lines, t, orders / t, held, items);
    hc_arena_free(a);
}

static void load_store(hc_store *s, struct hc_rule *rules, size_t nrules,
                       const struct hc_product *prods, size_t nprods)
{
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    if (hc_store_begin(s, &err) ||
        hc_store_run(s, &err, NULL,
                     "INSERT INTO sellers (code, name, country, created_at) VALUES ('S1', 'S1',"
                     " 'CN', 0)",
                     ""))
        die("seller", &err);
    for (size_t k = 0; k < nprods; k++) {
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO skus (seller, sku, name, hs_code, value_minor, currency,"
                         " origin, l, w, h, weight_g, created_at) VALUES ('S1', ?, ?,"
                         " '8507600090', 100, 'EUR', 'CN', 100, 100, 100, 500, 0)",
                         "ss", prods[k].sku, prods[k].sku) ||
            hc_product_put(s, &prods[k], "bench", &err))
            die("product", &err);
    }
    if (hc_rule_import(s, a, rules, nrules, "bench", &err) || hc_store_commit(s, &err))
        die("rules", &err);
    hc_arena_free(a);
}

/* Part 2: through the store, as an API order is checked: each order on its
 * own (batch 0), or batch orders per transaction as the server's group
 * commit runs them. */
static void bench_store(hc_store *s, size_t orders, const struct hc_product *prods, size_t nprods,
                        size_t batch)
{
    hc_err err = {0};
    size_t held = 0;
    int64_t t0 = hc_mono_ns();
    for (size_t o = 0; o < orders; o++) {
        if (batch && o % batch == 0 && (o && hc_store_commit(s, &err)))
            die("commit", &err);
        if (batch && o % batch == 0 && hc_store_begin(s, &err))
            die("begin", &err);
        hc_arena *oa = hc_arena_new(1 << 16);
        struct hc_gaps g = {.arena = oa};
        const char *market = markets[rnd() % HC_ARRAY_LEN(markets)];
        const char *skus[3];
        size_t nl = 1 + rnd() % 3;
        for (size_t l = 0; l < nl; l++)
            skus[l] = prods[rnd() % nprods].sku;
        if (hc_gate_check_lines(s, oa, "S1", market, skus, nl, "2026-11-28", &g, &err))
            die("check", &err);
        held += g.nmissing > 0;
        hc_arena_free(oa);
    }
    if (batch && hc_store_commit(s, &err))
        die("commit", &err);
    double t = secs(t0);
    printf("store:  %zu orders checked through SQLite, %s%zu per transaction, in %.3f s (%.0f "
           "orders/s, %.1f us each); %zu held\n",
           orders, batch ? "" : "one (autocommit) ", batch ? batch : 1, t, orders / t,
           t * 1e6 / orders, held);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gate_bench DB_PATH [ORDERS] [RULES] [SKUS] [STORE_ORDERS]\n");
        return 2;
    }
    size_t orders = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    size_t nrules = argc > 3 ? strtoul(argv[3], NULL, 10) : 100;
    size_t nprods = argc > 4 ? strtoul(argv[4], NULL, 10) : 1000;
    size_t store_orders = argc > 5 ? strtoul(argv[5], NULL, 10) : 10000;
    if (orders == 0 || nrules == 0 || nprods == 0) {
        fprintf(stderr, "gate_bench: counts must be > 0\n");
        return 2;
    }
    hc_err err = {0};
    hc_log_set_level(HC_LOG_WARN);
    if (hc_catalog_load_reference(NULL, &err))
        die("reference data (HAICANG_DATA)", &err);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_rule *rules = hc_arena_alloc(a, sizeof(*rules) * nrules);
    struct hc_product *prods = hc_arena_alloc(a, sizeof(*prods) * nprods);
    make_rules(a, rules, nrules);
    for (size_t k = 0; k < nprods; k++)
        make_product(a, k, &prods[k]);
    bench_memory(orders, rules, nrules, prods, nprods);
    if (store_orders > 0) {
        char url[600];
        snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
        hc_store *s;
        if (hc_store_open(url, &s, &err) || hc_store_migrate(s, &err))
            die("open", &err);
        load_store(s, rules, nrules, prods, nprods);
        bench_store(s, store_orders, prods, nprods, 0);
        bench_store(s, store_orders, prods, nprods, 32);
        hc_store_close(s);
    }
    hc_arena_free(a);
    return 0;
}

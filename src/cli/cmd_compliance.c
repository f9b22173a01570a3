/* cmd_compliance.c: `haicang compliance rules import|list`, `compliance check`,
 * `compliance holds`, `compliance matrix` and `compliance recheck`: the rule
 * table and the gate through the same src/compliance calls the API makes. An
 * import is one transaction (every rule or none) and re-checks held goods. */
#include "cli.h"
#include "transfer/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"

#define CSV_MAX (8u << 20)

static const char USAGE[] =
    "usage: haicang compliance rules import FILE.csv [--db URL]\n"
    "         header: id,market,category,requirement,condition,effective_from,effective_to,\n"
    "                 status,source,note   (data/compliance/rules.csv is a starting set)\n"
    "       haicang compliance rules list [--market M] [--category C] [--on YYYY-MM-DD]\n"
    "       haicang compliance check --seller S --market M SKU... [--day YYYY-MM-DD]\n"
    "       haicang compliance holds [--seller S]\n"
    "       haicang compliance matrix --seller S [--markets DE,FR,...] [--day YYYY-MM-DD]\n"
    "       haicang compliance recheck [--seller S]   (release what completed data allows)\n"
    "       haicang compliance brand-report --brand NAME [--seller S] [--warehouse W]\n"
    "         [--format text|csv|xlsx] [--out FILE] [--lang zh|en]\n"
    "       haicang compliance epr-report --from YYYY-MM-DD --to YYYY-MM-DD [--seller S]\n"
    "         [--warehouse W] [--country CC] [--format text|csv|xlsx] [--out FILE]\n";

struct import_job {
    hc_arena *a;
    struct hc_rule *rules;
    size_t n;
    const char *seller; /* recheck only */
    int released;
};

static int import_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_job *j = ctx;
    int rc = hc_rule_import(s, j->a, j->rules, j->n, "cli", err);
    return rc ? rc : hc_transfer_recheck_all(s, j->a, NULL, "cli", &j->released, err);
}

static int rules_import(const char *url, const char *file)
{
    hc_err err = {0};
    char *text = NULL;
    size_t n = 0;
    hc_arena *a = hc_arena_new(1 << 16);
    struct import_job j = {.a = a};
    int rc = hc_cli_read_file(file, CSV_MAX, &text, &n, &err);
    if (rc == HC_OK && (!hc_utf8_valid(text, n) || memchr(text, '\0', n)))
        rc = hc_err_set(&err, HC_EINVAL, "file", "%s is not UTF-8 text", file);
    if (rc == HC_OK)
        rc = hc_rule_csv_parse(a, text, n, &j.rules, &j.n, &err);
    free(text);
    if (rc == HC_OK)
        rc = hc_cli_write("compliance", url, import_job, &j, &err);
    if (rc == HC_OK)
        printf("imported %zu rules; released %d held order(s)/inbound(s)\n", j.n, j.released);
    hc_arena_free(a);
    return rc == HC_OK ? 0 : hc_cli_fail_err("compliance", &err);
}

static int rules_list(hc_store *s, hc_arena *a, const char *market, const char *category,
                      const char *on, hc_err *err)
{
    struct hc_rule *r;
    size_t n;
    int rc = hc_rule_list(s, a, market, category, on, &r, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        printf("%-22s %-2s %-12s %-18s %-7s %s..%-10s %-9s %s\n", r[i].id, r[i].market,
               r[i].category, r[i].requirement, r[i].condition[0] ? r[i].condition : "-",
               r[i].effective_from, r[i].effective_to[0] ? r[i].effective_to : "", r[i].status,
               r[i].source);
    if (rc == HC_OK && n == 0)
        printf("no rules\n");
    return rc;
}

static int check(hc_store *s, hc_arena *a, const char *seller, const char *market,
                 const char *const *skus, size_t n, const char *day, hc_err *err)
{
    struct hc_gaps g = {.arena = a};
    int rc = hc_gate_check_lines(s, a, seller, market, skus, n, day, &g, err);
    if (rc != HC_OK)
        return rc;
    for (size_t i = 0; i < g.n; i++)
        printf("%-9s %s  (rule %s)\n", hc_gap_level_name(g.v[i].level), g.v[i].item, g.v[i].rule);
    printf("%s: %zu missing, %zu to watch\n", g.nmissing ? "HOLD" : "PASS", g.nmissing,
           g.n - g.nmissing);
    return HC_OK;
}

static int holds(hc_store *s, hc_arena *a, const char *seller, hc_err *err)
{
    struct hc_hold *h;
    size_t n, total = 0;
    const char *cursor = NULL;
    int rc;
    do { /* every page */
        rc = hc_gate_hold_list(s, a, seller, NULL, cursor, 1000, &h, &n, &cursor, err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            char at[32];
            hc_time_iso(h[i].held_at, at, sizeof(at));
            printf("%-8s %-24s %-8s %s since %s\n", h[i].kind, h[i].ref, h[i].seller,
                   h[i].market, at);
            for (size_t k = 0; k < h[i].nmissing; k++)
                printf("         missing %s\n", h[i].missing[k]);
        }
        total += rc == HC_OK ? n : 0;
    } while (rc == HC_OK && cursor != NULL);
    if (rc == HC_OK && total == 0)
        printf("nothing held for compliance\n");
    return rc;
}

static int matrix(hc_store *s, hc_arena *a, const char *seller, const char *markets,
                  const char *day, hc_err *err)
{
    const char **mk = NULL, **got;
    size_t nmk = 0, ngot, ncells;
    if (markets) {
        char *copy = hc_arena_strdup(a, markets), *save = NULL;
        mk = hc_arena_alloc(a, sizeof(*mk) * 64);
        for (char *t = strtok_r(copy, ",", &save); t && nmk < 64; t = strtok_r(NULL, ",", &save)) {
            if (!hc_country_valid(t))
                return hc_err_set(err, HC_EINVAL, "markets", "%s is not an ISO 3166-1 code", t);
            mk[nmk++] = t;
        }
    }
    struct hc_matrix_cell *cells;
    const char *next;
    int rc = hc_gate_matrix(s, a, seller, mk, nmk, day, NULL, 1000, &got, &ngot, &cells, &ncells,
                            &next, err);
    if (rc != HC_OK)
        return rc;
    printf("%-24s", "SKU");
    for (size_t m = 0; m < ngot; m++)
        printf(" %-5s", got[m]);
    printf("\n");
    for (size_t i = 0; i < ncells; i += ngot) {
        printf("%-24s", cells[i].sku);
        for (size_t m = 0; m < ngot; m++)
            printf(" %-5s", hc_light_name(cells[i + m].light));
        printf("\n");
    }
    for (size_t i = 0; i < ncells; i++)
        for (size_t k = 0; k < cells[i].ngaps; k++)
            printf("  %s %s: %s (%s)\n", cells[i].sku, cells[i].market, cells[i].gaps[k].item,
                   hc_gap_level_name(cells[i].gaps[k].level));
    return HC_OK;
}

static int recheck_job(hc_store *s, void *ctx, hc_err *err)
{
    struct import_job *j = ctx;
    return hc_transfer_recheck_all(s, j->a, j->seller, "cli", &j->released, err);
}

static int recheck(const char *url, const char *seller)
{
    hc_err err = {0};
    struct import_job j = {.a = hc_arena_new(1 << 16), .seller = seller};
    int rc = hc_cli_write("compliance", url, recheck_job, &j, &err);
    if (rc == HC_OK)
        printf("released %d held order(s)/inbound(s)\n", j.released);
    hc_arena_free(j.a);
    return rc == HC_OK ? 0 : hc_cli_fail_err("compliance", &err);
}

#define POS_MAX 64

int hc_cmd_compliance(int argc, char **argv)
{
    int reports = hc_compliance_reports(argc, argv); /* brand-report, epr-report */
    if (reports >= 0)
        return reports;
    const char *db = hc_cli_default_db(), *seller = NULL, *market = NULL, *category = NULL;
    const char *on = NULL, *day = NULL, *markets = NULL;
    const char *pos[POS_MAX] = {NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},         {"--seller", &seller},   {"--market", &market},
                            {"--category", &category}, {"--on", &on},       {"--day", &day},
                            {"--markets", &markets}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, POS_MAX, &got) != 0)
        return 2;
    const char *what = got > 0 ? pos[0] : "", *verb = got > 1 ? pos[1] : "";
    bool imp = strcmp(what, "rules") == 0 && strcmp(verb, "import") == 0 && got == 3;
    bool list = strcmp(what, "rules") == 0 && strcmp(verb, "list") == 0 && got == 2;
    bool chk = strcmp(what, "check") == 0 && got >= 2 && seller && market;
    bool hold = strcmp(what, "holds") == 0 && got == 1;
    bool mtx = strcmp(what, "matrix") == 0 && got == 1 && seller;
    bool rck = strcmp(what, "recheck") == 0 && got == 1;
    if (!imp && !list && !chk && !hold && !mtx && !rck) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (imp)
        return rules_import(db, pos[2]);
    if (rck)
        return recheck(db, seller);
    hc_store *s;
    if (hc_cli_open("compliance", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = list  ? rules_list(s, a, market, category, on, &err)
             : chk ? check(s, a, seller, market, pos + 1, got - 1, day, &err)
             : hold ? holds(s, a, seller, &err)
                    : matrix(s, a, seller, markets, day, &err);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail_err("compliance", &err);
}

/* ---- the demo's compliance data --------------------------------------------------------- */

/* Three SZ-ANKO SKUs of their own (AG-0001 complete, AG-0002 without its
 * German WEEE number, AG-0003 a toy without CE), the ANKO brand's record
 * (GPSR operator), and the starting table's rules for named categories: the
 * rules for every category (*) are left out, so that the SKUs the other demo
 * flows and tests make without compliance data move freely. An order and an
 * inbound are held for AG-0002. */
static const struct {
    const char *sku, *name, *name_zh, *hs, *category;
} demo_skus[] = {
    {"AG-0001", "Power bank 10000mAh, gate demo", "移动电源", "8507600090", "electronics"},
    {"AG-0002", "LED desk lamp, gate demo", "LED台灯", "9405219000", "electronics"},
    {"AG-0003", "Kids building blocks, gate demo", "儿童积木", "9503002100", "toys"},
};

static int demo_rules(hc_store *s, hc_arena *a, hc_err *err)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/compliance/rules.csv", hc_cli_data_dir());
    char *text = NULL;
    size_t n = 0, nrules = 0, kept = 0;
    struct hc_rule *rules = NULL;
    int rc = hc_cli_read_file(path, CSV_MAX, &text, &n, err);
    if (rc == HC_OK)
        rc = hc_rule_csv_parse(a, text, n, &rules, &nrules, err);
    free(text);
    for (size_t i = 0; rc == HC_OK && i < nrules; i++)
        if (strcmp(rules[i].category, "*") != 0)
            rules[kept++] = rules[i];
    return rc ? rc : hc_rule_import(s, a, rules, kept, "demo", err);
}

static int demo_skus_put(hc_store *s, hc_err *err)
{
    for (size_t i = 0; i < HC_ARRAY_LEN(demo_skus); i++) {
        struct hc_sku k = {.seller = "SZ-ANKO", .sku = demo_skus[i].sku, .name = demo_skus[i].name,
                           .name_zh = demo_skus[i].name_zh, .hs_code = demo_skus[i].hs,
                           .value_minor = 1500, .currency = "USD", .origin_country = "CN",
                           .dims_mm = {150, 100, 60}, .weight_g = 300, .brand = "ANKO",
                           .created_at = hc_now_ms()};
        int rc = hc_sku_create(s, &k, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

static int demo_records(hc_store *s, hc_err *err)
{
    static const char *const ce_ukca[] = {"CE", "UKCA"};
    struct hc_product p;
    hc_product_init(&p); /* the brand: its EU operator, inherited by every ANKO SKU */
    p.seller = "SZ-ANKO";
    p.brand = "ANKO";
    p.gpsr = (struct hc_gpsr_operator){"Anko Europe GmbH", "Hafenstraße 9", "47119", "Duisburg",
                                       "DE", "eu-safety@anko.example"};
    int rc = hc_product_put(s, &p, "demo", err);
    struct hc_epr_reg epr[] = {{"FR", "weee", "FR234567_02ABCD"},
                               {"DE", "weee", "DE 12345678"},
                               {"DE", "packaging", "DE3279574685213"}};
    struct hc_tariff tariffs[] = {{"EU", "85076000"}, {"GB", "8507600090"}, {"US", "8507600020"}};
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(demo_skus); i++) {
        hc_product_init(&p);
        p.seller = "SZ-ANKO";
        p.sku = demo_skus[i].sku;
        p.category = demo_skus[i].category;
        p.battery = i == 0 ? HC_TRI_YES : HC_TRI_NO;
        if (i == 0) { /* a power bank alone: UN3480, packing instruction 965 */
            p.un_number = "UN3480";
            p.packing_instruction = "PI965";
            p.energy_mwh = 37000;
            p.marks = (const char **)ce_ukca;
            p.nmarks = 2;
            p.tariffs = tariffs;
            p.ntariffs = HC_ARRAY_LEN(tariffs);
        } else if (i == 1) {
            p.marks = (const char **)ce_ukca;
            p.nmarks = 1;
        }
        p.epr = epr;
        p.nepr = i == 0 ? 3 : i == 1 ? 1 : 0; /* AG-0002: France only, no German WEEE number */
        rc = hc_product_put(s, &p, "demo", err);
    }
    return rc;
}

static int demo_job(hc_store *s, void *ctx, hc_err *err)
{
    hc_arena *a = ctx;
    int rc = demo_rules(s, a, err);
    if (rc == HC_OK)
        rc = demo_records(s, err);
    if (rc != HC_OK)
        return rc;
    struct hc_order_line line = {"AG-0002", 1, 2999, "EUR", 0};
    struct hc_order o = {.seller = "SZ-ANKO", .channel = "amazon.de",
                         .channel_order_id = "A-COMPLIANCE-1",
                         .ship_to_json = "{\"name\":\"Lena Schmidt\",\"country\":\"DE\",\"postcode\":"
                                         "\"10115\",\"city\":\"Berlin\",\"line1\":\"Invalidenstr. 1\"}",
                         .ship_name = "Lena Schmidt", .ship_country = "DE", .lines = &line,
                         .nlines = 1};
    bool existed = false;
    rc = hc_gate_order_create(s, a, &o, false, "demo", &existed, err);
    struct hc_inbound_line il = {"AG-0002", 200, 0, 0};
    struct hc_inbound in = {.seller = "SZ-ANKO", .warehouse = "DE-DUI",
                            .reference = "ASN-COMPLIANCE-1", .lines = &il, .nlines = 1};
    return rc ? rc : hc_gate_inbound_create(s, a, &in, "demo", err);
}

static int demo_skus_job(hc_store *s, void *ctx, hc_err *err)
{
    (void)ctx;
    return demo_skus_put(s, err);
}

int hc_demo_compliance_skus(hc_db *db, hc_err *err)
{
    return hc_db_write(db, demo_skus_job, NULL, err);
}

int hc_demo_compliance(hc_db *db, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_db_write(db, demo_job, a, err);
    hc_arena_free(a);
    return rc;
}

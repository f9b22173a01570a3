/* cmd_seller.c: haicang seller identity show|history|set|check — a seller's
 * legal identity (src/compliance/identity.c) from the command line. `set`
 * starts from the current version and changes only what is given, so one
 * market's numbers can be added without retyping the rest. */
#include "cli.h"

#include "catalog/catalog.h"
#include "compliance/compliance.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: haicang seller identity show SELLER [--at TIME] | history SELLER |"
    " set SELLER [--legal-name-zh T] [--legal-name-en T] [--uscc C] [--customs-code C]"
    " [--address T] [--contact-name T] [--contact-phone T] [--contact-email T]"
    " [--market CC [--eori N] [--vat N] [--ioss N] [--ioss-intermediary N] [--ior N]]"
    " [--actor NAME] | check uscc|customs-code|vat|uk-vat|eori|ioss|ioss-intermediary|ior"
    " NUMBER   [--db URL]";

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void print_identity(const struct hc_identity *id)
{
    char at[40];
    hc_time_iso(id->recorded_at, at, sizeof(at));
    printf("seller %s  version %lld  recorded %s by %s\n", id->seller, (long long)id->version, at,
           id->recorded_by);
    printf("  legal name  %s / %s\n", id->legal_name_zh, id->legal_name_en);
    printf("  address     %s\n", id->registered_address);
    printf("  contact     %s  %s  %s\n", or_dash(id->contact_name), or_dash(id->contact_phone),
           or_dash(id->contact_email));
    struct hc_identity_check c[2 + 5 * HC_IDENTITY_MARKETS_MAX];
    size_t n = hc_identity_checks(id, c, HC_ARRAY_LEN(c));
    for (size_t i = 0; i < n; i++)
        printf("  %-30s %-18s %s%s%s\n", c[i].field, c[i].value, c[i].problem ? "INVALID" : "valid",
               c[i].problem ? ": " : "", c[i].problem ? c[i].problem : "");
}

static int open_db(const char *db, hc_store **s)
{
    return hc_cli_open("seller", db ? db : hc_cli_default_db(), s);
}

static int fail_err(const hc_err *err, const char *tail)
{
    return hc_cli_fail("seller", "%s%s%s%s", err->field, err->field[0] ? ": " : "", err->msg,
                       tail);
}

/* ---- show SELLER [--at TIME] -------------------------------------------------------- */
static int identity_show(int argc, char **argv)
{
    const char *db = NULL, *at_text = NULL, *pos[1];
    struct hc_opt opts[] = {{"--db", &db}, {"--at", &at_text}};
    size_t got;
    int64_t at = 0;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail("seller", "%s", usage);
    if (at_text && (hc_time_parse_iso(at_text, &at) != HC_OK || at <= 0))
        return hc_cli_fail("seller", "--at: an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    hc_store *s;
    if (open_db(db, &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_identity id;
    int rc = hc_identity_get(s, a, pos[0], at, &id, &err);
    if (rc == HC_OK)
        print_identity(&id);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : fail_err(&err, "");
}

/* ---- history SELLER ------------------------------------------------------------------- */
static int identity_history(int argc, char **argv)
{
    const char *db = NULL, *seller;
    int rc = hc_cli_db_arg(argc, argv, "seller", usage, &db, &seller);
    if (rc)
        return rc;
    hc_store *s;
    if (open_db(db, &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int64_t before = 0, next = 0;
    do {
        struct hc_identity *items;
        size_t n;
        rc = hc_identity_history(s, a, seller, before, 100, &items, &n, &next, &err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            char at[40];
            hc_time_iso(items[i].recorded_at, at, sizeof(at));
            printf("%lld  %s  %-24s %s  %s\n", (long long)items[i].version, at,
                   items[i].recorded_by, items[i].uscc, items[i].legal_name_en);
        }
        before = next;
    } while (rc == HC_OK && next);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : fail_err(&err, "");
}

/* ---- set SELLER ... -------------------------------------------------------------------------- */

/* Gives v to *field when the option was given ("" clears it). */
static void take(const char **field, const char *v)
{
    if (v)
        *field = v;
}

static struct hc_identity_market *market_of(struct hc_identity *id, const char *cc)
{
    for (size_t i = 0; i < id->nmarkets; i++)
        if (strcmp(id->markets[i].country, cc) == 0)
            return &id->markets[i];
    if (id->nmarkets == HC_IDENTITY_MARKETS_MAX)
        return NULL;
    struct hc_identity_market *m = &id->markets[id->nmarkets++];
    memset(m, 0, sizeof(*m));
    m->country = cc;
    return m;
}

struct set_args {
    const char *db, *actor, *market;
    const char *zh, *en, *uscc, *customs, *address, *cname, *cphone, *cemail;
    const char *eori, *vat, *ioss, *ioss_in, *ior;
};

static int apply_market(struct hc_identity *id, const struct set_args *o)
{
    bool any = o->eori || o->vat || o->ioss || o->ioss_in || o->ior;
    if (o->market == NULL)
        return any ? hc_cli_fail("seller", "--market CC names the market these numbers are for")
                   : 0;
    struct hc_identity_market *m = market_of(id, o->market);
    if (m == NULL)
        return hc_cli_fail("seller", "--market: at most %d markets", HC_IDENTITY_MARKETS_MAX);
    take(&m->eori, o->eori);
    take(&m->vat, o->vat);
    take(&m->ioss, o->ioss);
    take(&m->ioss_intermediary, o->ioss_in);
    take(&m->ior, o->ior);
    if (!(m->eori && *m->eori) && !(m->vat && *m->vat) && !(m->ioss && *m->ioss) &&
        !(m->ioss_intermediary && *m->ioss_intermediary) && !(m->ior && *m->ior))
        *m = id->markets[--id->nmarkets]; /* every number cleared: the market goes */
    return 0;
}

static int record(hc_store *s, hc_arena *a, const struct set_args *o, const char *seller)
{
    hc_err err = {0};
    struct hc_identity id = {0};
    int rc = hc_identity_get(s, a, seller, 0, &id, &err);
    if (rc == HC_ENOTFOUND && strcmp(err.field, "identity") == 0) {
        hc_err_clear(&err);
        memset(&id, 0, sizeof(id));
    } else if (rc != HC_OK) {
        return fail_err(&err, "");
    }
    id.seller = seller;
    take(&id.legal_name_zh, o->zh);
    take(&id.legal_name_en, o->en);
    take(&id.uscc, o->uscc);
    take(&id.customs_code, o->customs);
    take(&id.registered_address, o->address);
    take(&id.contact_name, o->cname);
    take(&id.contact_phone, o->cphone);
    take(&id.contact_email, o->cemail);
    if (apply_market(&id, o))
        return 1;
    id.recorded_at = hc_now_ms();
    id.recorded_by = o->actor;
    bool changed = false;
    rc = hc_store_begin(s, &err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, hc_identity_record(s, a, &id, &changed, &err), &err);
    if (rc != HC_OK)
        return fail_err(&err, " (nothing recorded)");
    printf(changed ? "recorded version %lld of %s\n" : "unchanged: version %lld of %s\n",
           (long long)id.version, seller);
    return 0;
}

static int identity_set(int argc, char **argv)
{
    struct set_args o = {.actor = "cli"};
    const char *pos[1];
    struct hc_opt opts[] = {
        {"--db", &o.db},           {"--actor", &o.actor},
        {"--market", &o.market},   {"--legal-name-zh", &o.zh},
        {"--legal-name-en", &o.en}, {"--uscc", &o.uscc},
        {"--customs-code", &o.customs}, {"--address", &o.address},
        {"--contact-name", &o.cname}, {"--contact-phone", &o.cphone},
        {"--contact-email", &o.cemail}, {"--eori", &o.eori},
        {"--vat", &o.vat},         {"--ioss", &o.ioss},
        {"--ioss-intermediary", &o.ioss_in}, {"--ior", &o.ior},
    };
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail("seller", "%s", usage);
    if (o.market && (strlen(o.market) != 2 || !hc_country_valid(o.market)))
        return hc_cli_fail("seller", "--market: %s is not an ISO 3166-1 alpha-2 code", o.market);
    hc_store *s;
    if (open_db(o.db, &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 14);
    int rc = record(s, a, &o, pos[0]);
    hc_arena_free(a);
    hc_store_close(s);
    return rc;
}

/* ---- check KIND NUMBER -------------------------------------------------------------------- */
static const struct {
    const char *kind;
    const char *(*rule)(const char *);
} rules[] = {
    {"uscc", hc_uscc_problem},   {"customs-code", hc_customs_code_problem},
    {"vat", hc_eu_vat_problem},  {"uk-vat", hc_uk_vat_problem},
    {"eori", hc_eori_problem},   {"ioss", hc_ioss_problem},
    {"ioss-intermediary", hc_ioss_intermediary_problem},
    {"ior", hc_us_ior_problem},
};

static int identity_check(int argc, char **argv)
{
    const char *pos[2];
    size_t got;
    if (hc_cli_parse(argc, argv, NULL, 0, pos, 2, &got))
        return 2;
    if (got != 2)
        return hc_cli_fail("seller", "%s", usage);
    for (size_t i = 0; i < HC_ARRAY_LEN(rules); i++)
        if (strcmp(rules[i].kind, pos[0]) == 0) {
            const char *problem = rules[i].rule(pos[1]);
            if (problem)
                return hc_cli_fail("seller", "%s %s %s", pos[0], pos[1], problem);
            printf("%s %s valid\n", pos[0], pos[1]);
            return 0;
        }
    return hc_cli_fail("seller", "check: no rule %s (%s)", pos[0], usage);
}

int hc_cmd_seller(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {{"show", identity_show},
                {"history", identity_history},
                {"set", identity_set},
                {"check", identity_check}};
    if (argc < 3 || strcmp(argv[1], "identity") != 0)
        return hc_cli_fail("seller", "%s", usage);
    for (size_t i = 0; i < HC_ARRAY_LEN(subs); i++)
        if (strcmp(argv[2], subs[i].name) == 0)
            return subs[i].run(argc - 2, argv + 2);
    return hc_cli_fail("seller", "%s", usage);
}

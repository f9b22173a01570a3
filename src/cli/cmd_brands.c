/* cmd_brands.c: haicang brand add|show|list|trademark|authorise|flagged|packaging and
 * haicang compliance brand-report|epr-report, through the compliance calls the
 * API's handlers make (src/api/h_brands.c). */
#include "cli.h"
#include "transfer/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "render/render.h"

#define DOC_MAX ((size_t)1 << 30)

static const char *db_or_default(const char *db)
{
    return db ? db : hc_cli_default_db();
}

/* A write in one transaction: fn(s, ctx, err), committed when it succeeds. */
static int write_tx(const char *cmd, const char *db, hc_write_fn fn, void *ctx)
{
    hc_store *s;
    if (hc_cli_open(cmd, db_or_default(db), &s))
        return 1;
    hc_err err = {0};
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, fn(s, ctx, &err), &err);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail_err(cmd, &err);
}

/* "9,35" into a Nice class mask. */
static int parse_classes(const char *list, uint64_t *mask)
{
    *mask = 0;
    for (const char *p = list; p && *p;) {
        char num[8];
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int64_t c;
        if (n == 0 || n >= sizeof(num))
            return -1;
        memcpy(num, p, n);
        num[n] = '\0';
        if (hc_parse_i64(num, 1, 45, &c) != HC_OK)
            return -1;
        *mask |= 1ULL << c;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static void print_classes(uint64_t mask)
{
    const char *sep = "";
    for (int c = 1; c <= 45; c++)
        if (mask & (1ULL << c)) {
            printf("%s%d", sep, c);
            sep = ",";
        }
    if (*sep == '\0')
        printf("all");
}

/* ---- brand add SELLER NAME --owner TEXT [--seller-is-owner] ------------------------------ */
struct add_ctx {
    struct hc_brand b;
    bool created;
    int released;
    hc_arena *a;
};

static int add_job(hc_store *s, void *ctx, hc_err *err)
{
    struct add_ctx *c = ctx;
    int rc = hc_brand_put(s, &c->b, &c->created, err);
    return rc == HC_OK ? hc_transfer_recheck_all(s, c->a, c->b.seller, "cli", &c->released, err) : rc;
}

static int brand_add(int argc, char **argv)
{
    const char *db = NULL, *pos[2];
    struct add_ctx c = {.b.actor = "cli"};
    bool owner = false;
    struct hc_opt opts[] = {{"--db", &db}, {"--owner", &c.b.owner}};
    struct hc_flag flags[] = {{"--seller-is-owner", &owner}};
    size_t got;
    if (hc_cli_args(argc, argv, opts, HC_ARRAY_LEN(opts), flags, 1, pos, 2, &got))
        return 2;
    if (got != 2 || c.b.owner == NULL)
        return hc_cli_fail("brand", "usage: haicang brand add SELLER NAME --owner TEXT"
                                    " [--seller-is-owner] [--db URL]");
    c.b.seller = pos[0];
    c.b.name = pos[1];
    c.b.seller_is_owner = owner;
    c.a = hc_arena_new(1 << 14);
    int rc = write_tx("brand", db, add_job, &c);
    hc_arena_free(c.a);
    if (rc == 0)
        printf("brand %s of %s %s (owner: %s); %d held order%s released\n", c.b.name, c.b.seller,
               c.created ? "recorded" : "replaced", c.b.owner, c.released,
               c.released == 1 ? "" : "s");
    return rc;
}

/* ---- brand trademark SELLER NAME --office X --number N --classes 9,35 --valid-until D ---- */
static int tm_job(hc_store *s, void *ctx, hc_err *err)
{
    return hc_trademark_put(s, ctx, err);
}

static int brand_trademark(int argc, char **argv)
{
    const char *db = NULL, *classes = NULL, *pos[2];
    struct hc_trademark t = {.actor = "cli"};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--office", &t.office},
                            {"--number", &t.number},
                            {"--classes", &classes},
                            {"--valid-until", &t.valid_until}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got))
        return 2;
    if (got != 2 || !t.office || !t.number || !classes || !t.valid_until)
        return hc_cli_fail("brand", "usage: haicang brand trademark SELLER NAME --office OFFICE"
                                    " --number N --classes 9,35 --valid-until YYYY-MM-DD");
    if (parse_classes(classes, &t.classes) || t.classes == 0)
        return hc_cli_fail("brand", "classes: Nice classes 1..45, comma-separated");
    t.seller = pos[0];
    t.brand = pos[1];
    int rc = write_tx("brand", db, tm_job, &t);
    if (rc == 0)
        printf("trademark %s %s of %s recorded, valid until %s\n", t.office, t.number, t.brand,
               t.valid_until);
    return rc;
}

/* ---- brand authorise SELLER NAME --document REF --from D --until D [--markets] [--classes] */
struct auth_ctx {
    struct hc_brand_auth au;
    char id[32];
    int released;
    hc_arena *a;
};

static int auth_job(hc_store *s, void *ctx, hc_err *err)
{
    struct auth_ctx *c = ctx;
    int rc = hc_brand_auth_add(s, &c->au, c->id, sizeof(c->id), err);
    return rc == HC_OK ? hc_transfer_recheck_all(s, c->a, c->au.seller, "cli", &c->released, err) : rc;
}

static int brand_authorise(int argc, char **argv)
{
    const char *db = NULL, *classes = NULL, *pos[2];
    struct auth_ctx c = {.au.actor = "cli", .au.markets = ""};
    struct hc_opt opts[] = {{"--db", &db},           {"--document", &c.au.document_ref},
                            {"--from", &c.au.valid_from}, {"--until", &c.au.valid_until},
                            {"--markets", &c.au.markets}, {"--classes", &classes}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got))
        return 2;
    if (got != 2 || !c.au.document_ref || !c.au.valid_from || !c.au.valid_until)
        return hc_cli_fail("brand", "usage: haicang brand authorise SELLER NAME --document REF"
                                    " --from YYYY-MM-DD --until YYYY-MM-DD [--markets DE,FR|EU]"
                                    " [--classes 9,35]");
    if (classes && parse_classes(classes, &c.au.classes))
        return hc_cli_fail("brand", "classes: Nice classes 1..45, comma-separated");
    c.au.seller = pos[0];
    c.au.brand = pos[1];
    c.a = hc_arena_new(1 << 14);
    int rc = write_tx("brand", db, auth_job, &c);
    hc_arena_free(c.a);
    if (rc == 0)
        printf("authorisation %s of %s for %s, %s..%s; %d held order%s released\n", c.id,
               c.au.seller, c.au.brand, c.au.valid_from, c.au.valid_until, c.released,
               c.released == 1 ? "" : "s");
    return rc;
}

/* ---- brand show SELLER NAME ---------------------------------------------------------------- */
static int show(hc_store *s, hc_arena *a, const char *seller, const char *name, hc_err *err)
{
    struct hc_brand b;
    struct hc_trademark *tm;
    struct hc_brand_auth *au;
    size_t ntm, nau;
    char day[11], until[11];
    int standing;
    hc_day_of(hc_now_ms(), day, sizeof(day));
    int rc = hc_brand_get(s, a, seller, name, &b, err);
    if (rc == HC_OK)
        rc = hc_trademark_list(s, a, seller, name, &tm, &ntm, err);
    if (rc == HC_OK)
        rc = hc_brand_auth_list(s, a, seller, name, &au, &nau, err);
    if (rc == HC_OK)
        rc = hc_brand_standing(s, seller, name, NULL, day, &standing, until, err);
    if (rc != HC_OK)
        return rc;
    printf("brand %s of %s, owner %s%s: %s%s%s\n", b.name, b.seller, b.owner,
           b.seller_is_owner ? " (the seller)" : "", hc_brand_standing_name(standing),
           until[0] ? " until " : "", until);
    for (size_t i = 0; i < ntm; i++) {
        printf("  trademark %s %s classes ", tm[i].office, tm[i].number);
        print_classes(tm[i].classes);
        printf(" valid until %s%s\n", tm[i].valid_until,
               strcmp(tm[i].valid_until, day) < 0 ? " (expired)" : "");
    }
    for (size_t i = 0; i < nau; i++) {
        printf("  authorisation %s %s %s..%s markets %s classes ", au[i].id, au[i].document_ref,
               au[i].valid_from, au[i].valid_until, au[i].markets[0] ? au[i].markets : "all");
        print_classes(au[i].classes);
        printf("%s\n", hc_brand_auth_covers(&au[i], NULL, day) ? " (valid)" : "");
    }
    return HC_OK;
}

/* The read commands: open, run fn, close. */
typedef int (*read_fn)(hc_store *s, hc_arena *a, const char *const *pos, const char *opt,
                       hc_err *err);

static int read_cmd(const char *db, read_fn fn, const char *const *pos, const char *opt)
{
    hc_store *s;
    if (hc_cli_open("brand", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = fn(s, a, pos, opt, &err);
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail_err("brand", &err);
}

static int show_fn(hc_store *s, hc_arena *a, const char *const *pos, const char *opt, hc_err *err)
{
    (void)opt;
    return show(s, a, pos[0], pos[1], err);
}

static int brand_show(int argc, char **argv)
{
    const char *db = NULL, *pos[2];
    struct hc_opt opts[] = {{"--db", &db}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, 1, pos, 2, &got))
        return 2;
    if (got != 2)
        return hc_cli_fail("brand", "usage: haicang brand show SELLER NAME [--db URL]");
    return read_cmd(db, show_fn, pos, NULL);
}

/* ---- brand list [--seller S] --------------------------------------------------------------- */
static int list_fn(hc_store *s, hc_arena *a, const char *const *pos, const char *seller,
                   hc_err *err)
{
    (void)pos;
    const char *cursor = NULL;
    size_t total = 0;
    char day[11];
    hc_day_of(hc_now_ms(), day, sizeof(day));
    do {
        struct hc_brand *b;
        size_t n;
        int rc = hc_brand_list(s, a, seller, cursor, 500, &b, &n, &cursor, err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            char until[11];
            int st;
            rc = hc_brand_standing(s, b[i].seller, b[i].name, NULL, day, &st, until, err);
            if (rc == HC_OK)
                printf("%-12s %-24s %-13s %s%s\n", b[i].seller, b[i].name,
                       hc_brand_standing_name(st), until[0] ? "until " : "", until);
        }
        if (rc != HC_OK)
            return rc;
        total += n;
    } while (cursor);
    if (total == 0)
        printf("no brands\n");
    return HC_OK;
}

static int brand_list(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--seller", &seller}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    return read_cmd(db, list_fn, NULL, seller);
}

/* ---- brand flagged [--seller S] [--all] ---------------------------------------------------- */
static bool flagged_all;

static int flagged_fn(hc_store *s, hc_arena *a, const char *const *pos, const char *seller,
                      hc_err *err)
{
    (void)pos;
    const char *cursor = NULL;
    size_t total = 0;
    char day[11];
    hc_day_of(hc_now_ms(), day, sizeof(day));
    do {
        struct hc_brand_sku *k;
        size_t n;
        int rc = hc_brand_skus(s, a, seller, day, !flagged_all, cursor, 500, &k, &n, &cursor, err);
        if (rc != HC_OK)
            return rc;
        for (size_t i = 0; i < n; i++)
            printf("%-12s %-20s %-20s %-13s %s\n", k[i].seller, k[i].sku, k[i].brand,
                   hc_brand_standing_name(k[i].standing), k[i].until);
        total += n;
    } while (cursor);
    if (total == 0)
        printf(flagged_all ? "no SKUs of recorded brands\n" : "no flagged SKUs\n");
    return HC_OK;
}

static int brand_flagged(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--seller", &seller}};
    struct hc_flag flags[] = {{"--all", &flagged_all}};
    size_t got;
    if (hc_cli_args(argc, argv, opts, HC_ARRAY_LEN(opts), flags, 1, NULL, 0, &got))
        return 2;
    return read_cmd(db, flagged_fn, NULL, seller);
}

/* ---- brand packaging SELLER SKU [--paper G ...] [--battery CAT:G] [--eee N:G] -------------- */
static int pack_job(hc_store *s, void *ctx, hc_err *err)
{
    bool created;
    return hc_packaging_put(s, ctx, &created, err);
}

/* "CAT:GRAMS" into its two halves. */
static int split_pair(const char *v, char *left, size_t lsize, const char **right)
{
    const char *colon = v ? strchr(v, ':') : NULL;
    if (colon == NULL || (size_t)(colon - v) >= lsize)
        return -1;
    memcpy(left, v, (size_t)(colon - v));
    left[colon - v] = '\0';
    *right = colon + 1;
    return 0;
}

static int brand_packaging(int argc, char **argv)
{
    const char *db = NULL, *pos[2], *mats[HC_MATERIALS] = {0}, *battery = NULL, *eee = NULL;
    struct hc_opt opts[HC_MATERIALS + 3] = {{"--db", &db}, {"--battery", &battery},
                                            {"--eee", &eee}};
    char names[HC_MATERIALS][24];
    for (int m = 0; m < HC_MATERIALS; m++) {
        snprintf(names[m], sizeof(names[m]), "--%s", hc_material_name(m));
        opts[3 + m] = (struct hc_opt){names[m], &mats[m]};
    }
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got))
        return 2;
    if (got != 2)
        return hc_cli_fail("brand", "usage: haicang brand packaging SELLER SKU [--paper G]"
                                    " [--plastic G] [--glass G] [--aluminium G] [--ferrous G]"
                                    " [--wood G] [--composite G] [--other G]"
                                    " [--battery CATEGORY:G] [--eee 1..6:G]   (grams per unit)");
    struct hc_packaging p = {.seller = pos[0], .sku = pos[1], .battery = "", .actor = "cli"};
    hc_err err = {0};
    for (int m = 0; m < HC_MATERIALS; m++)
        if (mats[m] && hc_mass_parse(mats[m], hc_material_name(m), &p.mg[m], &err))
            return hc_cli_fail_err("brand", &err);
    char cat[16];
    const char *grams;
    if (battery) {
        if (split_pair(battery, cat, sizeof(cat), &grams) ||
            hc_mass_parse(grams, "battery", &p.battery_mg, &err))
            return err.code ? hc_cli_fail_err("brand", &err)
                            : hc_cli_fail("brand", "--battery: CATEGORY:GRAMS");
        p.battery = strdup(cat);
    }
    int64_t c = 0;
    if (eee && (split_pair(eee, cat, sizeof(cat), &grams) ||
                hc_parse_i64(cat, 1, HC_EEE_CATEGORIES, &c) != HC_OK ||
                hc_mass_parse(grams, "eee", &p.eee_mg, &err)))
        return err.code ? hc_cli_fail_err("brand", &err)
                        : hc_cli_fail("brand", "--eee: 1..6:GRAMS");
    p.eee_category = (int)c;
    int rc = write_tx("brand", db, pack_job, &p);
    char g[32];
    hc_mass_format(hc_packaging_unit_mg(&p), g, sizeof(g));
    if (rc == 0)
        printf("packaging of %s/%s: %s g per unit\n", p.seller, p.sku, g);
    if (battery)
        free((char *)p.battery);
    return rc;
}

int hc_cmd_brand(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"add", brand_add},         {"trademark", brand_trademark},
                {"authorise", brand_authorise}, {"show", brand_show},
                {"list", brand_list},       {"flagged", brand_flagged},
                {"packaging", brand_packaging}};
    for (size_t i = 0; argc >= 2 && i < HC_ARRAY_LEN(subs); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return hc_cli_fail("brand", "usage: haicang brand add|trademark|authorise|show|list|flagged|"
                                "packaging ... (haicang --help)");
}

/* ---- compliance brand-report | epr-report ---------------------------------------------------- */

/* Writes the document as csv or xlsx to out (stdout when NULL). */
static int write_doc(const struct hc_doc *d, const char *format, const char *out)
{
    hc_buf b;
    hc_buf_init(&b, DOC_MAX);
    hc_err err = {0};
    int rc = strcmp(format, "xlsx") == 0 ? hc_render_xlsx(d, &b, &err) : hc_render_csv(d, &b, &err);
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return hc_cli_fail_err("compliance", &err);
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    bool ok = f && fwrite(b.p, 1, b.n, f) == b.n;
    if (f && f != stdout)
        ok = fclose(f) == 0 && ok;
    hc_buf_free(&b);
    if (!ok)
        return hc_cli_fail("compliance", "cannot write %s", out ? out : "stdout");
    return 0;
}

static void print_brand_report(const struct hc_brand_report *r)
{
    printf("brand %s: %lld SKUs, %lld journal moves read\n", r->brand, (long long)r->skus,
           (long long)r->journal_rows);
    printf("%-10s %-10s %-16s %-10s %-10s %8s %8s %8s %8s\n", "seller", "warehouse", "sku",
           "first_in", "last_held", "received", "sold", "returned", "on_hand");
    for (size_t i = 0; i < r->n; i++) {
        const struct hc_brand_report_row *x = &r->rows[i];
        char first[11] = "", last[11] = "held";
        if (x->first_received_at)
            hc_day_of(x->first_received_at, first, sizeof(first));
        if (x->last_held_at)
            hc_day_of(x->last_held_at, last, sizeof(last));
        printf("%-10s %-10s %-16s %-10s %-10s %8lld %8lld %8lld %8lld  %s %s\n", x->seller,
               x->warehouse, x->sku, first, last, (long long)x->received, (long long)x->sold,
               (long long)x->returned, (long long)x->on_hand, x->seller_uscc, x->seller_name);
    }
}

static bool format_ok(const char *f)
{
    return strcmp(f, "text") == 0 || strcmp(f, "csv") == 0 || strcmp(f, "xlsx") == 0;
}

static int brand_report_cmd(int argc, char **argv)
{
    const char *db = NULL, *brand = NULL, *seller = NULL, *wh = NULL, *format = "text",
               *out = NULL, *lang = "en";
    struct hc_opt opts[] = {{"--db", &db},         {"--brand", &brand}, {"--seller", &seller},
                            {"--warehouse", &wh},  {"--format", &format}, {"--out", &out},
                            {"--lang", &lang}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    if (brand == NULL)
        return hc_cli_fail("compliance", "usage: haicang compliance brand-report --brand NAME"
                                         " [--seller S] [--warehouse W] [--format text|csv|xlsx]"
                                         " [--out FILE] [--lang zh|en]");
    if (!format_ok(format))
        return hc_cli_fail("compliance", "--format: text, csv or xlsx");
    hc_store *s;
    if (hc_cli_open("compliance", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_brand_report r;
    int rc = hc_brand_report(s, a, brand, seller, wh, &r, &err)
                 ? hc_cli_fail_err("compliance", &err)
                 : 0;
    if (rc == 0 && strcmp(format, "text") == 0) {
        print_brand_report(&r);
    } else if (rc == 0) {
        struct hc_doc d;
        hc_brand_report_doc(a, &r, lang, &d);
        rc = write_doc(&d, format, out);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return rc;
}

static void print_epr(const struct hc_epr_report *r)
{
    char from[11], to[11], g[40];
    hc_day_of(r->from_ms, from, sizeof(from));
    hc_day_of(r->to_ms - 1, to, sizeof(to));
    printf("put on the market %s..%s\n", from, to);
    for (size_t i = 0; i < r->ntotals; i++) {
        const struct hc_epr_total *t = &r->totals[i];
        hc_mass_format(t->mg, g, sizeof(g));
        printf("%s %-11s %-10s %8lld units %14s g\n", t->country, hc_epr_stream_name(t->stream),
               t->what, (long long)t->units, g);
    }
    for (size_t i = 0; i < r->n; i++)
        if (!r->rows[i].has_data)
            printf("%s %s/%s: %lld units without packaging data\n", r->rows[i].country,
                   r->rows[i].seller, r->rows[i].sku, (long long)r->rows[i].units);
    if (r->n == 0)
        printf("nothing shipped to consumers in the period\n");
}

static int epr_report_cmd(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *to = NULL, *seller = NULL, *wh = NULL, *country = NULL,
               *format = "text", *out = NULL, *lang = "en";
    struct hc_opt opts[] = {{"--db", &db},         {"--from", &from},     {"--to", &to},
                            {"--seller", &seller}, {"--warehouse", &wh},  {"--country", &country},
                            {"--format", &format}, {"--out", &out},       {"--lang", &lang}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    int64_t f, t;
    if (from == NULL || to == NULL)
        return hc_cli_fail("compliance", "usage: haicang compliance epr-report --from YYYY-MM-DD"
                                         " --to YYYY-MM-DD [--seller S] [--warehouse W]"
                                         " [--country CC] [--format text|csv|xlsx] [--out FILE]");
    if (!hc_day_valid(from) || hc_time_parse_iso(from, &f) != HC_OK)
        return hc_cli_fail("compliance", "--from: a date YYYY-MM-DD");
    if (!hc_day_valid(to) || hc_time_parse_iso(to, &t) != HC_OK)
        return hc_cli_fail("compliance", "--to: a date YYYY-MM-DD");
    if (!format_ok(format))
        return hc_cli_fail("compliance", "--format: text, csv or xlsx");
    hc_store *s;
    if (hc_cli_open("compliance", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_epr_report r;
    int rc = hc_epr_report(s, a, seller, wh, country, f, t + HC_DAY_MS, &r, &err)
                 ? hc_cli_fail_err("compliance", &err)
                 : 0;
    if (rc == 0 && strcmp(format, "text") == 0) {
        print_epr(&r);
    } else if (rc == 0) {
        struct hc_doc d;
        hc_epr_report_doc(a, &r, lang, &d);
        rc = write_doc(&d, format, out);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return rc;
}

int hc_compliance_reports(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "brand-report") == 0)
        return brand_report_cmd(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "epr-report") == 0)
        return epr_report_cmd(argc - 1, argv + 1);
    return -1;
}

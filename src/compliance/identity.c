/* identity.c: a seller's legal identity as a history of versions. A change is
 * a new version row (who recorded it, when); nothing is overwritten, so the
 * identity valid at any past moment can be read back (the SAMR draft rules on
 * trademark cases of 2025-11-14 ask for the seller's identity at the time of
 * sale). Version n is valid from its recorded_at until version n+1's. */
#include "compliance/compliance.h"

#include "catalog/catalog.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDRESS_MAX 500
#define PHONE_MAX 40
#define EMAIL_MAX 254

static bool absent(const char *s)
{
    return s == NULL || *s == '\0';
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* ---- validation -------------------------------------------------------------- */

static int check_number(const char *v, const char *field, const char *(*rule)(const char *),
                        hc_err *err)
{
    const char *problem = absent(v) ? NULL : rule(v);
    return problem ? hc_err_set(err, HC_EINVAL, field, "%s", problem) : HC_OK;
}

static int check_phone(const char *v, hc_err *err)
{
    if (absent(v))
        return HC_OK;
    if (strlen(v) > PHONE_MAX)
        return hc_err_set(err, HC_EINVAL, "contact.phone", "is longer than %d characters",
                          PHONE_MAX);
    int digits = 0;
    for (const char *p = v; *p; p++) {
        if (!strchr("0123456789+-() ", *p))
            return hc_err_set(err, HC_EINVAL, "contact.phone",
                              "may hold only digits, spaces and + - ( )");
        digits += *p >= '0' && *p <= '9';
    }
    return digits >= 5 ? HC_OK
                       : hc_err_set(err, HC_EINVAL, "contact.phone", "needs at least 5 digits");
}

static int check_email(const char *v, hc_err *err)
{
    if (absent(v))
        return HC_OK;
    int rc = hc_check_text(v, "contact.email", EMAIL_MAX, true, err);
    if (rc != HC_OK)
        return rc;
    const char *at = strchr(v, '@');
    if (at == NULL || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') || strchr(v, ' ') ||
        v[strlen(v) - 1] == '.')
        return hc_err_set(err, HC_EINVAL, "contact.email", "is not an e-mail address");
    return HC_OK;
}

/* Which numbers a market takes: the EU's member states EORI, VAT of their own
 * prefix, IOSS; GB an EORI and the UK VAT number; the US the importer of
 * record number. */
enum market_kind { MARKET_NONE, MARKET_EU, MARKET_GB, MARKET_US };

static enum market_kind market_kind(const char *cc)
{
    if (hc_market_in_eu(cc))
        return MARKET_EU;
    if (cc && strcmp(cc, "GB") == 0)
        return MARKET_GB;
    if (cc && strcmp(cc, "US") == 0)
        return MARKET_US;
    return MARKET_NONE;
}

static int refuse_field(const char *v, const char *cc, const char *name, const char *why,
                        hc_err *err)
{
    if (absent(v))
        return HC_OK;
    char field[48];
    snprintf(field, sizeof(field), "markets.%s.%s", cc, name);
    return hc_err_set(err, HC_EINVAL, field, "%s", why);
}

static int check_market_number(const char *v, const char *cc, const char *name,
                               const char *(*rule)(const char *), hc_err *err)
{
    char field[48];
    snprintf(field, sizeof(field), "markets.%s.%s", cc, name);
    return check_number(v, field, rule, err);
}

static int check_eu_market(const struct hc_identity_market *m, hc_err *err)
{
    const char *cc = m->country;
    int rc = check_market_number(m->eori, cc, "eori", hc_eori_problem, err) ||
             check_market_number(m->vat, cc, "vat", hc_eu_vat_problem, err) ||
             check_market_number(m->ioss, cc, "ioss", hc_ioss_problem, err) ||
             check_market_number(m->ioss_intermediary, cc, "ioss_intermediary",
                                 hc_ioss_intermediary_problem, err) ||
             refuse_field(m->ior, cc, "ior", "is the US importer of record number", err);
    if (rc)
        return err->code;
    if (!absent(m->eori) && strncmp(m->eori, "GB", 2) == 0)
        return refuse_field(m->eori, cc, "eori", "a GB EORI is not valid in the EU", err);
    const char *prefix = hc_vat_prefix(cc);
    if (!absent(m->vat) && strncmp(m->vat, prefix, 2) != 0) {
        char why[80];
        snprintf(why, sizeof(why), "must be a VAT number of %s (prefix %s)", cc, prefix);
        return refuse_field(m->vat, cc, "vat", why, err);
    }
    return HC_OK;
}

/* HMRC: a VAT-registered trader's GB EORI is GB, its 9-digit VAT number and 000. */
static int check_gb_eori_of_vat(const struct hc_identity_market *m, hc_err *err)
{
    if (absent(m->eori) || absent(m->vat) || strlen(m->vat) != 11)
        return HC_OK;
    char want[16];
    snprintf(want, sizeof(want), "GB%s000", m->vat + 2);
    return strcmp(m->eori, want) == 0
               ? HC_OK
               : refuse_field(m->eori, m->country, "eori",
                              "a VAT-registered trader's GB EORI is GB, the VAT number and 000",
                              err);
}

static int check_market(const struct hc_identity_market *m, hc_err *err)
{
    const char *cc = m->country;
    switch (market_kind(cc)) {
    case MARKET_EU:
        return check_eu_market(m, err);
    case MARKET_GB:
        if (check_market_number(m->eori, cc, "eori", hc_eori_problem, err) ||
            check_market_number(m->vat, cc, "vat", hc_uk_vat_problem, err) ||
            refuse_field(m->ioss, cc, "ioss", "IOSS is for EU member states", err) ||
            refuse_field(m->ioss_intermediary, cc, "ioss_intermediary",
                         "IOSS is for EU member states", err) ||
            refuse_field(m->ior, cc, "ior", "is the US importer of record number", err))
            return err->code;
        if (!absent(m->eori) && strncmp(m->eori, "GB", 2) != 0)
            return refuse_field(m->eori, cc, "eori", "must be a GB EORI", err);
        return check_gb_eori_of_vat(m, err);
    case MARKET_US:
        if (refuse_field(m->eori, cc, "eori", "the US has no EORI", err) ||
            refuse_field(m->vat, cc, "vat", "the US has no VAT", err) ||
            refuse_field(m->ioss, cc, "ioss", "IOSS is for EU member states", err) ||
            refuse_field(m->ioss_intermediary, cc, "ioss_intermediary",
                         "IOSS is for EU member states", err))
            return err->code;
        return check_market_number(m->ior, cc, "ior", hc_us_ior_problem, err);
    case MARKET_NONE:
        break;
    }
    char field[48];
    snprintf(field, sizeof(field), "markets.%s", cc ? cc : "");
    return hc_err_set(err, HC_EINVAL, field,
                      "identity numbers are kept for the EU member states, GB and US");
}

static int cmp_market(const void *a, const void *b)
{
    const struct hc_identity_market *x = a, *y = b;
    return strcmp(x->country, y->country);
}

int hc_identity_validate(struct hc_identity *id, hc_err *err)
{
    assert(id->nmarkets <= HC_IDENTITY_MARKETS_MAX);
    if (hc_check_text(id->legal_name_zh, "legal_name_zh", HC_NAME_MAX, false, err) ||
        hc_check_text(id->legal_name_en, "legal_name_en", HC_NAME_MAX, false, err) ||
        (absent(id->uscc) ? hc_err_set(err, HC_EINVAL, "uscc", "is required")
                          : check_number(id->uscc, "uscc", hc_uscc_problem, err)) ||
        check_number(id->customs_code, "customs_code", hc_customs_code_problem, err) ||
        hc_check_text(id->registered_address, "registered_address", ADDRESS_MAX, false, err) ||
        hc_check_text(id->contact_name, "contact.name", HC_NAME_MAX, true, err) ||
        check_phone(id->contact_phone, err) || check_email(id->contact_email, err))
        return err->code;
    for (size_t i = 0; i < id->nmarkets; i++) {
        const char *cc = id->markets[i].country;
        if (absent(cc) || !hc_country_valid(cc))
            return hc_err_set(err, HC_EINVAL, "markets", "%s is not an ISO 3166-1 country code",
                              cc ? cc : "");
        if (check_market(&id->markets[i], err))
            return err->code;
    }
    qsort(id->markets, id->nmarkets, sizeof(id->markets[0]), cmp_market);
    for (size_t i = 1; i < id->nmarkets; i++)
        if (strcmp(id->markets[i].country, id->markets[i - 1].country) == 0) {
            char field[24];
            snprintf(field, sizeof(field), "markets.%s", id->markets[i].country);
            return hc_err_set(err, HC_EINVAL, field, "is given twice");
        }
    return HC_OK;
}

/* ---- reading ---------------------------------------------------------------------- */

#define IDENTITY_COLUMNS                                                                       \
    "seller, version, legal_name_zh, legal_name_en, uscc, customs_code, registered_address," \
    " contact_name, contact_phone, contact_email, recorded_at, recorded_by"

static const char *text_or_null(hc_arena *a, hc_stmt *q, int col)
{
    const char *v = hc_stmt_text(q, col);
    return *v ? hc_arena_strdup(a, v) : NULL;
}

static void read_row(hc_arena *a, hc_stmt *q, struct hc_identity *out)
{
    memset(out, 0, sizeof(*out));
    out->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
    out->version = hc_stmt_int(q, 1);
    out->legal_name_zh = hc_arena_strdup(a, hc_stmt_text(q, 2));
    out->legal_name_en = hc_arena_strdup(a, hc_stmt_text(q, 3));
    out->uscc = hc_arena_strdup(a, hc_stmt_text(q, 4));
    out->customs_code = text_or_null(a, q, 5);
    out->registered_address = hc_arena_strdup(a, hc_stmt_text(q, 6));
    out->contact_name = text_or_null(a, q, 7);
    out->contact_phone = text_or_null(a, q, 8);
    out->contact_email = text_or_null(a, q, 9);
    out->recorded_at = hc_stmt_int(q, 10);
    out->recorded_by = hc_arena_strdup(a, hc_stmt_text(q, 11));
}

static int read_markets(hc_store *st, hc_arena *a, struct hc_identity *id, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q,
                            "SELECT country, eori, vat, ioss, ioss_intermediary, ior"
                            " FROM seller_identity_markets WHERE seller = ? AND version = ?"
                            " ORDER BY country",
                            "si", id->seller, id->version);
    if (rc != HC_OK)
        return rc;
    id->nmarkets = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && id->nmarkets < HC_IDENTITY_MARKETS_MAX) {
        struct hc_identity_market *m = &id->markets[id->nmarkets++];
        m->country = hc_arena_strdup(a, hc_stmt_text(q, 0));
        m->eori = text_or_null(a, q, 1);
        m->vat = text_or_null(a, q, 2);
        m->ioss = text_or_null(a, q, 3);
        m->ioss_intermediary = text_or_null(a, q, 4);
        m->ior = text_or_null(a, q, 5);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

static int seller_exists(hc_store *st, const char *seller, hc_err *err)
{
    int64_t n = 0;
    int rc = hc_store_int(st, err, &n, "SELECT COUNT(*) FROM sellers WHERE code = ?", "s", seller);
    if (rc != HC_OK)
        return rc;
    return n ? HC_OK : hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
}

/* The version valid at `at` (ms; <= 0: the latest) into *out; HC_DONE when
 * there is none. */
static int read_version(hc_store *st, hc_arena *a, const char *seller, int64_t at,
                        struct hc_identity *out, hc_err *err)
{
    hc_stmt *q;
    int rc = at > 0 ? hc_store_query(st, err, &q,
                                     "SELECT " IDENTITY_COLUMNS " FROM seller_identities"
                                     " WHERE seller = ? AND recorded_at <= ?"
                                     " ORDER BY version DESC LIMIT 1",
                                     "si", seller, at)
                    : hc_store_query(st, err, &q,
                                     "SELECT " IDENTITY_COLUMNS " FROM seller_identities"
                                     " WHERE seller = ? ORDER BY version DESC LIMIT 1",
                                     "s", seller);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        read_row(a, q, out);
    hc_stmt_reset(q);
    if (rc != HC_ROW)
        return rc;
    rc = read_markets(st, a, out, err);
    return rc == HC_OK ? HC_ROW : rc;
}

int hc_identity_get(hc_store *st, hc_arena *a, const char *seller, int64_t at,
                    struct hc_identity *out, hc_err *err)
{
    int rc = seller_exists(st, seller, err);
    if (rc != HC_OK)
        return rc;
    rc = read_version(st, a, seller, at, out, err);
    if (rc == HC_ROW)
        return HC_OK;
    if (rc != HC_DONE)
        return rc;
    if (at > 0) {
        char when[40];
        hc_time_iso(at, when, sizeof(when));
        return hc_err_set(err, HC_ENOTFOUND, "at", "seller %s had no identity recorded at %s",
                          seller, when);
    }
    return hc_err_set(err, HC_ENOTFOUND, "identity", "seller %s has no identity recorded",
                      seller);
}

int hc_identity_history(hc_store *st, hc_arena *a, const char *seller, int64_t before,
                        size_t limit, struct hc_identity **out, size_t *n, int64_t *next,
                        hc_err *err)
{
    assert(limit > 0);
    *n = 0;
    *next = 0;
    int rc = seller_exists(st, seller, err);
    if (rc != HC_OK)
        return rc;
    struct hc_identity *items = hc_arena_alloc(a, sizeof(*items) * limit);
    hc_stmt *q;
    rc = hc_store_query(st, err, &q,
                        "SELECT " IDENTITY_COLUMNS " FROM seller_identities"
                        " WHERE seller = ? AND version < ? ORDER BY version DESC LIMIT ?",
                        "sii", seller, before > 0 ? before : INT64_MAX, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    size_t got = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (got == limit) {
            *next = items[limit - 1].version;
            continue;
        }
        read_row(a, q, &items[got++]);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < got; i++)
        if ((rc = read_markets(st, a, &items[i], err)) != HC_OK)
            return rc;
    *out = items;
    *n = got;
    return HC_OK;
}

/* ---- recording ------------------------------------------------------------------------- */

static bool same_market(const struct hc_identity_market *x, const struct hc_identity_market *y)
{
    return same(x->country, y->country) && same(x->eori, y->eori) && same(x->vat, y->vat) &&
           same(x->ioss, y->ioss) && same(x->ioss_intermediary, y->ioss_intermediary) &&
           same(x->ior, y->ior);
}

/* Does id say what cur says? Markets compare sorted (hc_identity_validate sorts). */
static bool same_identity(const struct hc_identity *id, const struct hc_identity *cur)
{
    if (!same(id->legal_name_zh, cur->legal_name_zh) ||
        !same(id->legal_name_en, cur->legal_name_en) || !same(id->uscc, cur->uscc) ||
        !same(id->customs_code, cur->customs_code) ||
        !same(id->registered_address, cur->registered_address) ||
        !same(id->contact_name, cur->contact_name) ||
        !same(id->contact_phone, cur->contact_phone) ||
        !same(id->contact_email, cur->contact_email) || id->nmarkets != cur->nmarkets)
        return false;
    for (size_t i = 0; i < id->nmarkets; i++)
        if (!same_market(&id->markets[i], &cur->markets[i]))
            return false;
    return true;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int insert_version(hc_store *st, const struct hc_identity *id, hc_err *err)
{
    int rc = hc_store_run(
        st, err, NULL,
        "INSERT INTO seller_identities (" IDENTITY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?)",
        "sissssssssis", id->seller, id->version, id->legal_name_zh, id->legal_name_en,
        id->uscc, nz(id->customs_code), id->registered_address, nz(id->contact_name),
        nz(id->contact_phone), nz(id->contact_email), id->recorded_at, id->recorded_by);
    for (size_t i = 0; rc == HC_OK && i < id->nmarkets; i++) {
        const struct hc_identity_market *m = &id->markets[i];
        rc = hc_store_run(st, err, NULL,
                          "INSERT INTO seller_identity_markets (seller, version, country, eori,"
                          " vat, ioss, ioss_intermediary, ior) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "sissssss", id->seller, id->version, m->country, nz(m->eori),
                          nz(m->vat), nz(m->ioss), nz(m->ioss_intermediary), nz(m->ior));
    }
    if (rc == HC_ECONFLICT) {
        hc_err_clear(err);
        return hc_err_set(err, HC_ECONFLICT, "identity",
                          "version %lld of seller %s was recorded at the same time; try again",
                          (long long)id->version, id->seller);
    }
    return rc;
}

int hc_identity_record(hc_store *st, hc_arena *a, struct hc_identity *id, bool *changed,
                       hc_err *err)
{
    assert(id->seller && id->recorded_by && id->recorded_at > 0);
    *changed = false;
    int rc = hc_identity_validate(id, err);
    if (rc == HC_OK)
        rc = seller_exists(st, id->seller, err);
    if (rc != HC_OK)
        return rc;
    struct hc_identity cur;
    rc = read_version(st, a, id->seller, 0, &cur, err);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    if (rc == HC_ROW && same_identity(id, &cur)) {
        *id = cur;
        return HC_OK;
    }
    id->version = rc == HC_ROW ? cur.version + 1 : 1;
    if (rc == HC_ROW && id->recorded_at < cur.recorded_at)
        id->recorded_at = cur.recorded_at; /* versions never go back in time */
    rc = insert_version(st, id, err);
    if (rc == HC_OK)
        rc = hc_seller_set_codes(st, id->seller, id->uscc, id->customs_code, err);
    *changed = rc == HC_OK;
    return rc;
}

/* ---- checks for display ------------------------------------------------------------------ */

static void add_check(struct hc_identity_check *out, size_t max, size_t *n, const char *field,
                      const char *value, const char *rule, const char *problem)
{
    if (absent(value) || *n >= max)
        return;
    struct hc_identity_check *c = &out[(*n)++];
    hc_strlcpy(c->field, field, sizeof(c->field));
    c->value = value;
    c->rule = rule;
    c->problem = problem;
}

static void market_check(struct hc_identity_check *out, size_t max, size_t *n, const char *cc,
                         const char *name, const char *value, const char *rule,
                         const char *(*fn)(const char *))
{
    char field[48];
    snprintf(field, sizeof(field), "markets.%s.%s", cc, name);
    add_check(out, max, n, field, value, rule, absent(value) ? NULL : fn(value));
}

size_t hc_identity_checks(const struct hc_identity *id, struct hc_identity_check *out, size_t max)
{
    size_t n = 0;
    add_check(out, max, &n, "uscc", id->uscc, "GB 32100-2015", hc_uscc_problem(id->uscc));
    add_check(out, max, &n, "customs_code", id->customs_code, "GACC customs code",
              absent(id->customs_code) ? NULL : hc_customs_code_problem(id->customs_code));
    for (size_t i = 0; i < id->nmarkets; i++) {
        const struct hc_identity_market *m = &id->markets[i];
        bool gb = strcmp(m->country, "GB") == 0;
        const char *vat_rule = gb ? "UK VAT (mod 97 / 9755)"
                               : hc_eu_vat_has_check(m->vat) ? "EU VAT (VIES format, check digits)"
                                                             : "EU VAT (VIES format)";
        market_check(out, max, &n, m->country, "eori", m->eori, "EORI", hc_eori_problem);
        market_check(out, max, &n, m->country, "vat", m->vat, vat_rule,
                     gb ? hc_uk_vat_problem : hc_eu_vat_problem);
        market_check(out, max, &n, m->country, "ioss", m->ioss, "IOSS", hc_ioss_problem);
        market_check(out, max, &n, m->country, "ioss_intermediary", m->ioss_intermediary,
                     "IOSS intermediary", hc_ioss_intermediary_problem);
        market_check(out, max, &n, m->country, "ior", m->ior, "US importer of record",
                     hc_us_ior_problem);
    }
    return n;
}

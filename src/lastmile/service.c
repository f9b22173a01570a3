/* service.c: carrier services: field checks, versions in the store (as the
 * warehouse's rate cards are versioned, src/finance/ratecard.c), and the
 * CSV import. See the services section of lastmile.h. */
#include "lastmile.h"

#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const num_names[] = {"", "s10", "sscc"};
static const char *const twod_names[] = {"none", "qr", "datamatrix"};

const char *hc_lm_numbering_name(int n)
{
    return n >= 1 && n <= 2 ? num_names[n] : "";
}

int hc_lm_numbering_parse(const char *s)
{
    for (int i = 1; s && i <= 2; i++)
        if (strcmp(s, num_names[i]) == 0)
            return i;
    return -1;
}

const char *hc_lm_2d_name(int t)
{
    return t >= 0 && t <= 2 ? twod_names[t] : "none";
}

int hc_lm_2d_parse(const char *s)
{
    for (int i = 0; s && i <= 2; i++)
        if (strcmp(s, twod_names[i]) == 0)
            return i;
    return -1;
}

int hc_lm_cutoff_parse(const char *s)
{
    if (s == NULL || strlen(s) != 5 || s[2] != ':' || !hc_all_digits(s, 2) ||
        !hc_all_digits(s + 3, 2))
        return -1;
    int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

int hc_lm_days_parse(const char *s)
{
    int mask = 0;
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p < '1' || *p > '7' || (mask & (1 << (*p - '1'))))
            return -1;
        mask |= 1 << (*p - '1');
    }
    return mask ? mask : -1;
}

void hc_lm_days_format(int mask, char out[8])
{
    int k = 0;
    for (int d = 0; d < 7; d++)
        if (mask & (1 << d))
            out[k++] = (char)('1' + d);
    out[k] = '\0';
}

static bool valid_day(const char *d)
{
    int64_t ms;
    if (d == NULL || strlen(d) != 10 || hc_time_parse_iso(d, &ms) != HC_OK)
        return false;
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char back[40];
    gmtime_r(&t, &tm);
    snprintf(back, sizeof(back), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return strcmp(back, d) == 0;
}

static bool country_ok(const char *c)
{
    return c && strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

static int check_limits(const struct hc_lm_service *s, hc_err *err)
{
    const struct {
        const char *field;
        int64_t v, max;
    } lim[] = {
        {"dim_divisor", s->dim_divisor, 1000000},
        {"max_weight_g", s->max_weight_g, 10000000},
        {"max_length_mm", s->max_length_mm, 20000},
        {"max_girth_mm", s->max_girth_mm, 60000},
        {"max_length_girth_mm", s->max_length_girth_mm, 80000},
        {"residential_surcharge", s->residential_minor, 100000000},
        {"transit_days", s->transit_days, 60},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(lim); i++)
        if (lim[i].v < 0 || lim[i].v > lim[i].max)
            return hc_err_set(err, HC_EINVAL, lim[i].field, "must be from 0 to %lld",
                              (long long)lim[i].max);
    if (s->fuel_bp < 0 || s->fuel_bp > 10000)
        return hc_err_set(err, HC_EINVAL, "fuel_pct", "must be from 0 to 100");
    if (s->cutoff_min < 0 || s->cutoff_min >= 24 * 60)
        return hc_err_set(err, HC_EINVAL, "cutoff", "must be a local time HH:MM");
    if (s->pickup_days <= 0 || s->pickup_days > 0x7f)
        return hc_err_set(err, HC_EINVAL, "pickup_days", "must name at least one weekday 1-7");
    if (s->delivery_days < 0 || s->delivery_days > 0x7f)
        return hc_err_set(err, HC_EINVAL, "delivery_days", "must name weekdays 1-7");
    hc_err probe = {0};
    if (s->holidays && s->holidays[0] &&
        hc_lm_holiday_check(&(struct hc_lm_holiday){"DE", s->holidays, "2026-01-01", "x"}, "",
                            &probe) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "holidays",
                          "must be empty or a calendar region of up to 8 of A-Z 0-9");
    return HC_OK;
}

static int check_numbering(const struct hc_lm_service *s, hc_err *err)
{
    char probe[19];
    if (s->numbering == HC_LM_NUM_S10) {
        if (!hc_lm_s10_format(s->num_prefix ? s->num_prefix : "", 0,
                              s->num_country ? s->num_country : "", probe))
            return hc_err_set(err, HC_EINVAL, "numbering.prefix",
                              "S10 needs a 2-letter service indicator and a country");
        if (s->num_to > 99999999)
            return hc_err_set(err, HC_EINVAL, "numbering.to", "S10 serials have 8 digits");
    } else if (s->numbering == HC_LM_NUM_SSCC) {
        if (!hc_lm_sscc_format(s->num_extension, s->num_prefix ? s->num_prefix : "", 0, probe))
            return hc_err_set(err, HC_EINVAL, "numbering.prefix",
                              "SSCC needs a GS1 company prefix of 7-10 digits and an extension "
                              "digit 0-9");
        if (!hc_lm_sscc_format(s->num_extension, s->num_prefix, s->num_to, probe))
            return hc_err_set(err, HC_EINVAL, "numbering.to",
                              "does not fit the serial reference after the company prefix");
    } else {
        return hc_err_set(err, HC_EINVAL, "numbering.kind", "must be s10 or sscc");
    }
    if (s->num_from < 0 || s->num_to < s->num_from)
        return hc_err_set(err, HC_EINVAL, "numbering.from", "must be >= 0 and <= to");
    return HC_OK;
}

static int check_zones(const struct hc_lm_service *s, hc_err *err)
{
    char f[48];
    if (s->nzones == 0 || s->nzones > HC_LM_ZONES_MAX)
        return hc_err_set(err, HC_EINVAL, "zones", "must hold 1 to %d ranges", HC_LM_ZONES_MAX);
    if (s->nprices == 0 || s->nprices > HC_LM_PRICES_MAX)
        return hc_err_set(err, HC_EINVAL, "prices", "must hold 1 to %d breaks", HC_LM_PRICES_MAX);
    for (size_t i = 0; i < s->nzones; i++) {
        const struct hc_lm_zone_range *z = &s->zones[i];
        snprintf(f, sizeof(f), "zones[%zu].zone", i);
        if (hc_check_code(z->zone, f, HC_LM_CODE_MAX, err))
            return err->code;
        snprintf(f, sizeof(f), "zones[%zu].country", i);
        if (!country_ok(z->country))
            return hc_err_set(err, HC_EINVAL, f, "must be an ISO 3166-1 alpha-2 code");
        char a[HC_LM_POSTCODE_MAX + 1], b[HC_LM_POSTCODE_MAX + 1];
        snprintf(f, sizeof(f), "zones[%zu].from", i);
        if (!hc_lm_postcode_norm(z->from, a) || !hc_lm_postcode_norm(z->to, b) ||
            (a[0] == '\0') != (b[0] == '\0') || strcmp(a, b) > 0)
            return hc_err_set(err, HC_EINVAL, f,
                              "from and to are postcodes (from <= to), both empty for the whole "
                              "country");
    }
    for (size_t i = 0; i < s->nprices; i++) {
        const struct hc_lm_price *p = &s->prices[i];
        bool known = false;
        for (size_t j = 0; !known && j < s->nzones; j++)
            known = strcmp(s->zones[j].zone, p->zone ? p->zone : "") == 0;
        snprintf(f, sizeof(f), "prices[%zu].zone", i);
        if (!known)
            return hc_err_set(err, HC_EINVAL, f, "is not a zone of the service");
        snprintf(f, sizeof(f), "prices[%zu].max_weight_g", i);
        if (p->max_weight_g <= 0 || p->max_weight_g > 10000000)
            return hc_err_set(err, HC_EINVAL, f, "must be from 1 to 10000000");
        snprintf(f, sizeof(f), "prices[%zu].price", i);
        if (p->minor < 0)
            return hc_err_set(err, HC_EINVAL, f, "must be >= 0");
    }
    hc_lm_rater *r;
    if (hc_lm_rater_new(s, 1, &r, err) != HC_OK) /* overlaps, zones without a price */
        return err->code;
    hc_lm_rater_free(r);
    return HC_OK;
}

int hc_lm_service_validate(const struct hc_lm_service *s, hc_err *err)
{
    if (hc_check_code(s->warehouse, "warehouse", HC_CODE_MAX, err) ||
        hc_check_code(s->code, "code", HC_LM_CODE_MAX, err) ||
        hc_check_text(s->carrier, "carrier", 64, false, err) ||
        hc_check_text(s->name, "name", 128, false, err))
        return err->code;
    if (s->currency == NULL || hc_currency_scale(s->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "is not an ISO 4217 currency");
    if (!valid_day(s->effective_from))
        return hc_err_set(err, HC_EINVAL, "effective_from", "must be a date YYYY-MM-DD");
    if (s->effective_to && !valid_day(s->effective_to))
        return hc_err_set(err, HC_EINVAL, "effective_to", "must be a date YYYY-MM-DD");
    if (s->effective_to && strcmp(s->effective_to, s->effective_from) < 0)
        return hc_err_set(err, HC_EINVAL, "effective_to", "is before effective_from");
    if (s->two_d < 0 || s->two_d > 2)
        return hc_err_set(err, HC_EINVAL, "two_d", "must be none, qr or datamatrix");
    if (check_limits(s, err) || check_numbering(s, err) || check_zones(s, err))
        return err->code;
    return HC_OK;
}

/* ---- store ---------------------------------------------------------------------------- */

#define SVC_COLS                                                                               \
    "warehouse, id, code, carrier, name, version, currency, effective_from, effective_to,"    \
    " replaces, superseded_by, dim_divisor, max_weight_g, max_length_mm, max_girth_mm,"       \
    " max_length_girth_mm, fuel_bp, residential_minor, transit_days, cutoff_min, pickup_days," \
    " numbering, num_prefix, num_country, num_extension, num_from, num_to, two_d, created_at,"  \
    " created_by, delivery_days, holidays"

/* Services are versioned per warehouse and code. */
static const struct hc_versioned svc_chain = {"lm_services", "code", "version"};

static void svc_from_row(hc_arena *a, hc_stmt *q, struct hc_lm_service *s)
{
    memset(s, 0, sizeof(*s));
    s->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
    s->id = hc_arena_strdup(a, hc_stmt_text(q, 1));
    s->code = hc_arena_strdup(a, hc_stmt_text(q, 2));
    s->carrier = hc_arena_strdup(a, hc_stmt_text(q, 3));
    s->name = hc_arena_strdup(a, hc_stmt_text(q, 4));
    s->version = hc_stmt_int(q, 5);
    s->currency = hc_arena_strdup(a, hc_stmt_text(q, 6));
    s->effective_from = hc_arena_strdup(a, hc_stmt_text(q, 7));
    s->effective_to = hc_stmt_text_opt(a, q, 8);
    s->replaces = hc_stmt_text_opt(a, q, 9);
    s->superseded_by = hc_stmt_text_opt(a, q, 10);
    s->dim_divisor = hc_stmt_int(q, 11);
    s->max_weight_g = hc_stmt_int(q, 12);
    s->max_length_mm = hc_stmt_int(q, 13);
    s->max_girth_mm = hc_stmt_int(q, 14);
    s->max_length_girth_mm = hc_stmt_int(q, 15);
    s->fuel_bp = hc_stmt_int(q, 16);
    s->residential_minor = hc_stmt_int(q, 17);
    s->transit_days = hc_stmt_int(q, 18);
    s->cutoff_min = (int)hc_stmt_int(q, 19);
    s->pickup_days = (int)hc_stmt_int(q, 20);
    s->numbering = hc_lm_numbering_parse(hc_stmt_text(q, 21));
    s->num_prefix = hc_arena_strdup(a, hc_stmt_text(q, 22));
    s->num_country = hc_arena_strdup(a, hc_stmt_text(q, 23));
    s->num_extension = (int)hc_stmt_int(q, 24);
    s->num_from = hc_stmt_int(q, 25);
    s->num_to = hc_stmt_int(q, 26);
    s->two_d = hc_lm_2d_parse(hc_stmt_text(q, 27));
    s->created_at = hc_stmt_int(q, 28);
    s->created_by = hc_arena_strdup(a, hc_stmt_text(q, 29));
    s->delivery_days = (int)hc_stmt_int(q, 30);
    s->holidays = hc_stmt_text_opt(a, q, 31);
}

static int load_tables(hc_store *st, hc_arena *a, struct hc_lm_service *s, hc_err *err)
{
    int64_t nz = 0, np = 0;
    int rc = hc_store_int(st, err, &nz,
                          "SELECT COUNT(*) FROM lm_zones WHERE warehouse = ? AND service = ?", "ss",
                          s->warehouse, s->id);
    if (rc == HC_OK)
        rc = hc_store_int(st, err, &np,
                          "SELECT COUNT(*) FROM lm_prices WHERE warehouse = ? AND service = ?",
                          "ss", s->warehouse, s->id);
    if (rc != HC_OK)
        return rc;
    s->zones = hc_arena_alloc(a, sizeof(*s->zones) * (size_t)(nz + 1));
    s->prices = hc_arena_alloc(a, sizeof(*s->prices) * (size_t)(np + 1));
    s->nzones = s->nprices = 0;
    hc_stmt *q;
    rc = hc_store_query(st, err, &q,
                        "SELECT zone, country, pc_from, pc_to FROM lm_zones WHERE warehouse = ?"
                        " AND service = ? ORDER BY seq",
                        "ss", s->warehouse, s->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && s->nzones < (size_t)nz) {
        struct hc_lm_zone_range *z = &s->zones[s->nzones++];
        z->zone = hc_arena_strdup(a, hc_stmt_text(q, 0));
        hc_strlcpy(z->country, hc_stmt_text(q, 1), sizeof(z->country));
        z->from = hc_arena_strdup(a, hc_stmt_text(q, 2));
        z->to = hc_arena_strdup(a, hc_stmt_text(q, 3));
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    rc = hc_store_query(st, err, &q,
                        "SELECT zone, max_weight_g, minor FROM lm_prices WHERE warehouse = ?"
                        " AND service = ? ORDER BY seq",
                        "ss", s->warehouse, s->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && s->nprices < (size_t)np) {
        struct hc_lm_price *p = &s->prices[s->nprices++];
        p->zone = hc_arena_strdup(a, hc_stmt_text(q, 0));
        p->max_weight_g = hc_stmt_int(q, 1);
        p->minor = hc_stmt_int(q, 2);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_lm_service_get(hc_store *st, hc_arena *a, const char *id, struct hc_lm_service *out,
                      hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q, "SELECT " SVC_COLS " FROM lm_services WHERE id = ?", "s",
                            id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        svc_from_row(a, q, out);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "id", "no carrier service %s", id);
    if (rc != HC_ROW)
        return rc;
    return load_tables(st, a, out, err);
}

static int check_replaces(hc_store *st, hc_arena *a, const struct hc_lm_service *s, hc_err *err)
{
    struct hc_lm_service old;
    int rc = hc_lm_service_get(st, a, s->replaces, &old, err);
    if (rc == HC_ENOTFOUND || (rc == HC_OK && (strcmp(old.warehouse, s->warehouse) != 0 ||
                                               strcmp(old.code, s->code) != 0 ||
                                               old.superseded_by != NULL))) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, "replaces",
                          "is not a live version of service %s in warehouse %s", s->code,
                          s->warehouse);
    }
    return rc;
}

static int check_currency(hc_store *st, const struct hc_lm_service *s, hc_err *err)
{
    int64_t other = 0;
    int rc = hc_store_int(st, err, &other,
                          "SELECT COUNT(*) FROM lm_services WHERE warehouse = ? AND"
                          " superseded_by = '' AND currency <> ? AND code <> ?",
                          "sss", s->warehouse, s->currency, s->code);
    if (rc == HC_OK && other > 0)
        return hc_err_set(err, HC_EINVAL, "currency",
                          "the warehouse's other services are priced in another currency: one "
                          "currency per warehouse keeps rates comparable");
    return rc;
}

static int insert_tables(hc_store *st, const struct hc_lm_service *s, hc_err *err)
{
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < s->nzones; i++) {
        const struct hc_lm_zone_range *z = &s->zones[i];
        char a[HC_LM_POSTCODE_MAX + 1], b[HC_LM_POSTCODE_MAX + 1];
        hc_lm_postcode_norm(z->from, a);
        hc_lm_postcode_norm(z->to, b);
        rc = hc_store_run(st, err, NULL,
                          "INSERT INTO lm_zones (warehouse, service, seq, zone, country, pc_from,"
                          " pc_to) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "ssissss", s->warehouse, s->id, (int64_t)i, z->zone, z->country, a, b);
    }
    for (size_t i = 0; rc == HC_OK && i < s->nprices; i++)
        rc = hc_store_run(st, err, NULL,
                          "INSERT INTO lm_prices (warehouse, service, seq, zone, max_weight_g,"
                          " minor) VALUES (?, ?, ?, ?, ?, ?)",
                          "ssisii", s->warehouse, s->id, (int64_t)i, s->prices[i].zone,
                          s->prices[i].max_weight_g, s->prices[i].minor);
    return rc;
}

int hc_lm_service_create(hc_store *st, hc_arena *a, struct hc_lm_service *s, const char *actor,
                         hc_err *err)
{
    int rc = hc_lm_service_validate(s, err);
    if (rc != HC_OK)
        return rc;
    if (!hc_warehouse_exists(st, s->warehouse, err))
        return err->code ? err->code
                         : hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", s->warehouse);
    if (s->replaces && (rc = check_replaces(st, a, s, err)) != HC_OK)
        return rc;
    const char *hit;
    if ((rc = hc_versioned_overlap(st, a, &svc_chain, s->warehouse, s->code, s->effective_from,
                                   s->effective_to, s->replaces, &hit, err)) != HC_OK)
        return rc;
    if (hit)
        return hc_err_set(err, HC_EINVAL, "effective_from",
                          "the days overlap those of version %s of service %s", hit, s->code);
    if ((rc = check_currency(st, s, err)) != HC_OK)
        return rc;
    if ((rc = hc_versioned_next(st, &svc_chain, s->warehouse, s->code, &s->version, err)) != HC_OK)
        return rc;
    char id[32];
    hc_id_format("svc", hc_id_next(), id, sizeof(id));
    s->id = hc_arena_strdup(a, id);
    s->created_at = hc_now_ms();
    s->created_by = actor ? actor : "";
    s->superseded_by = NULL;
    rc = hc_store_run(
        st, err, NULL,
        "INSERT INTO lm_services (" SVC_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "sssssissssiiiiiiiiiisssiiisisis", s->warehouse, s->id, s->code, s->carrier, s->name,
        s->version, s->currency, s->effective_from, s->effective_to ? s->effective_to : "",
        s->replaces ? s->replaces : "", s->dim_divisor, s->max_weight_g, s->max_length_mm,
        s->max_girth_mm, s->max_length_girth_mm, s->fuel_bp, s->residential_minor,
        s->transit_days, (int64_t)s->cutoff_min, (int64_t)s->pickup_days,
        hc_lm_numbering_name(s->numbering), s->num_prefix ? s->num_prefix : "",
        s->num_country ? s->num_country : "", (int64_t)s->num_extension, s->num_from, s->num_to,
        hc_lm_2d_name(s->two_d), s->created_at, s->created_by,
        (int64_t)(s->delivery_days ? s->delivery_days : 0x1f), s->holidays ? s->holidays : "");
    if (rc == HC_OK)
        rc = insert_tables(st, s, err);
    if (rc == HC_OK)
        rc = hc_store_run(st, err, NULL,
                          hc_store_dialect(st) == HC_MYSQL
                              ? "INSERT IGNORE INTO lm_counters (warehouse, code, next_serial)"
                                " VALUES (?, ?, ?)"
                              : "INSERT OR IGNORE INTO lm_counters (warehouse, code, next_serial)"
                                " VALUES (?, ?, ?)",
                          "ssi", s->warehouse, s->code, s->num_from);
    if (rc == HC_OK && s->replaces)
        rc = hc_versioned_supersede(st, &svc_chain, s->warehouse, s->replaces, s->id, err);
    return rc;
}

static int rows_to_services(hc_store *st, hc_arena *a, hc_stmt *q, size_t cap,
                            struct hc_lm_service *v, size_t *k, hc_err *err)
{
    int rc;
    *k = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *k < cap)
        svc_from_row(a, q, &v[(*k)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < *k; i++)
        if ((rc = load_tables(st, a, &v[i], err)) != HC_OK)
            return rc;
    return HC_OK;
}

int hc_lm_service_list(hc_store *st, hc_arena *a, const struct hc_lm_service_filter *f,
                       struct hc_lm_service **out, size_t *n, const char **next, hc_err *err)
{
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    char sql[640];
    snprintf(sql, sizeof(sql),
             "SELECT " SVC_COLS " FROM lm_services WHERE (? = '' OR warehouse = ?)"
             " AND (? = '' OR carrier = ?) AND (? = '' OR code = ?) %s AND (? = '' OR id < ?)"
             " ORDER BY id DESC LIMIT ?",
             f->include_superseded ? "" : "AND superseded_by = ''");
    const char *w = f->warehouse ? f->warehouse : "", *c = f->carrier ? f->carrier : "",
               *code = f->code ? f->code : "", *cur = f->cursor ? f->cursor : "";
    hc_stmt *q;
    int rc = hc_store_query(st, err, &q, sql, "ssssssssi", w, w, c, c, code, code, cur, cur,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_service *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
    size_t k;
    if ((rc = rows_to_services(st, a, q, (size_t)limit + 1, v, &k, err)) != HC_OK)
        return rc;
    *next = NULL;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next = v[k - 1].id;
    }
    *out = v;
    *n = k;
    return HC_OK;
}

int hc_lm_services_on(hc_store *st, hc_arena *a, const char *warehouse, const char *day,
                      struct hc_lm_service **out, size_t *n, hc_err *err)
{
    int64_t cnt = 0;
    int rc = hc_store_int(st, err, &cnt,
                          "SELECT COUNT(*) FROM lm_services WHERE warehouse = ?"
                          " AND superseded_by = '' AND effective_from <= ?"
                          " AND (effective_to = '' OR effective_to >= ?)",
                          "sss", warehouse, day, day);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(st, err, &q,
                        "SELECT " SVC_COLS " FROM lm_services WHERE warehouse = ?"
                        " AND superseded_by = '' AND effective_from <= ?"
                        " AND (effective_to = '' OR effective_to >= ?) ORDER BY code",
                        "sss", warehouse, day, day);
    if (rc != HC_OK)
        return rc;
    struct hc_lm_service *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(cnt + 1));
    rc = rows_to_services(st, a, q, (size_t)cnt, v, n, err);
    *out = v;
    return rc;
}

/* adcap.c: the advertising deduction cap of EIT Regulations Art. 44 (see
 * finance.h): spend per channel and month kept in CNY at a dated rate,
 * the seller's category rate by year, revenue from shipped orders converted
 * day by day, and the year's report with its carry-forward chain. */
#include "finance.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "orders/orders.h"

const char *const hc_adcap_channels[] = {
    "amazon", "ebay",   "temu",     "tiktok",    "shein",     "aliexpress", "walmart", "otto",
    "allegro", "shopify", "google", "meta", "microsoft", "pinterest", "criteo",  "douyin",
    NULL,
};

static const struct {
    const char *name;
    int64_t bp;
} categories[] = {
    {"general", 1500},      {"cosmetics", 3000}, {"pharmaceuticals", 3000},
    {"soft_drinks", 3000},  {"tobacco", 0},
};
const char *const hc_adcap_categories[] = {"general",     "cosmetics", "pharmaceuticals",
                                           "soft_drinks", "tobacco",   NULL};

bool hc_adcap_channel_known(const char *channel)
{
    for (size_t i = 0; channel && hc_adcap_channels[i]; i++)
        if (strcmp(channel, hc_adcap_channels[i]) == 0)
            return true;
    return false;
}

int64_t hc_adcap_category_bp(const char *category)
{
    for (size_t i = 0; category && i < HC_ARRAY_LEN(categories); i++)
        if (strcmp(category, categories[i].name) == 0)
            return categories[i].bp;
    return -1;
}

/* "YYYY-MM-DD" of Beijing civil time at ms. */
static void beijing_day(int64_t ms, char out[11])
{
    struct tm tm;
    hc_time_beijing(ms, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ms of Beijing midnight starting January 1st of year. */
static int64_t year_start(int year)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1};
    return hc_time_from_beijing(&tm);
}

int hc_adcap_spend_validate(const struct hc_ad_spend *x, hc_err *err)
{
    if (!hc_adcap_channel_known(x->channel))
        return hc_err_set(err, HC_EINVAL, "channel",
                          "not a known advertising channel (amazon, ebay, temu, tiktok, shein, "
                          "aliexpress, walmart, otto, allegro, shopify, google, meta, microsoft, "
                          "pinterest, criteo, douyin)");
    int64_t from, to;
    if (hc_month_range(x->month, &from, &to, err) != HC_OK)
        return err->code;
    if (from < year_start(HC_ADCAP_YEAR_MIN))
        return hc_err_set(err, HC_EINVAL, "month", "must be YYYY-MM from %d on",
                          HC_ADCAP_YEAR_MIN);
    if (x->currency == NULL || strlen(x->currency) != 3 || hc_currency_scale(x->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "not an ISO 4217 currency");
    if (x->minor < 0)
        return hc_err_set(err, HC_EINVAL, "amount", "spend is an amount >= 0");
    if (x->fx_day && !hc_fx_day_valid(x->fx_day))
        return hc_err_set(err, HC_EINVAL, "fx_day", "a date YYYY-MM-DD");
    if (x->reference && strlen(x->reference) > HC_ADCAP_REF_MAX)
        return hc_err_set(err, HC_EINVAL, "reference", "at most %d characters",
                          HC_ADCAP_REF_MAX);
    return HC_OK;
}

static int seller_known(hc_store *s, const char *seller, hc_err *err)
{
    if (hc_seller_exists(s, seller, err))
        return HC_OK;
    if (err && err->code != HC_OK && err->code != HC_ENOTFOUND)
        return err->code;
    hc_err_clear(err);
    return hc_err_set(err, HC_ENOTFOUND, "code", "no seller %s", seller);
}

/* Converts x to CNY at its day's rate (the month's last day by default). */
static int spend_convert(hc_store *s, hc_arena *a, struct hc_ad_spend *x, hc_err *err)
{
    if (x->fx_day == NULL) {
        int64_t from, to;
        if (hc_month_range(x->month, &from, &to, err) != HC_OK)
            return err->code;
        char day[11];
        beijing_day(to - 1, day);
        x->fx_day = hc_arena_strdup(a, day);
    }
    struct hc_fx_conversion conv;
    int rc = hc_fx_convert(s, x->currency, "CNY", x->fx_day, x->minor, &conv, err);
    if (rc != HC_OK)
        return rc;
    x->cny_minor = conv.minor;
    x->fx_rate = hc_arena_strdup(a, conv.rate);
    return HC_OK;
}

int hc_adcap_spend_put(hc_store *s, hc_arena *a, const char *seller, struct hc_ad_spend *x,
                       size_t n, const char *actor, hc_err *err)
{
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    static const char *const cols[] = {"seller",    "channel",   "month",      "currency",
                                       "minor",     "cny_minor", "fx_rate",    "fx_day",
                                       "reference", "actor",     "created_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "ad_spend", cols, 4);
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        x[i].seller = seller;
        x[i].actor = actor ? actor : "";
        x[i].created_at = now;
        if ((rc = hc_adcap_spend_validate(&x[i], err)) != HC_OK ||
            (rc = spend_convert(s, a, &x[i], err)) != HC_OK)
            return rc;
        rc = hc_store_run(s, err, NULL, sql, "ssssiissssi", seller, x[i].channel, x[i].month,
                          x[i].currency, x[i].minor, x[i].cny_minor, x[i].fx_rate, x[i].fx_day,
                          x[i].reference ? x[i].reference : "", x[i].actor, now);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* One CSV row into x; HC_EINVAL naming the field. */
static int spend_row(char **f, size_t nf, struct hc_ad_spend *x, hc_err *err)
{
    if (nf < 4 || nf > 6)
        return hc_err_set(err, HC_EINVAL, "", "channel,month,amount,currency[,fx_day[,reference]]"
                          " expected");
    x->channel = f[0];
    x->month = f[1];
    x->currency = f[3];
    x->fx_day = nf >= 5 && f[4][0] ? f[4] : NULL;
    x->reference = nf >= 6 && f[5][0] ? f[5] : NULL;
    int scale = hc_currency_scale(x->currency);
    if (strlen(x->currency) != 3 || scale < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "not an ISO 4217 currency");
    if (f[2][0] == '-')
        return hc_err_set(err, HC_EINVAL, "amount", "spend is an amount >= 0");
    if (hc_decimal_parse(f[2], scale, &x->minor) != HC_OK)
        return hc_err_set(err, HC_EINVAL, "amount",
                          "a decimal with at most %d fraction digits", scale);
    return hc_adcap_spend_validate(x, err);
}

int hc_adcap_spend_csv_parse(hc_arena *a, const char *text, size_t len,
                             struct hc_ad_spend **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte order mark */
        text += 3;
        len -= 3;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct hc_ad_spend *rows = hc_arena_alloc(a, lines * sizeof(*rows));
    char *copy = hc_arena_strndup(a, text, len);
    size_t lineno = 0;
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *f[7] = {0};
        size_t nf = hc_csv_split(line, f, 7);
        if ((nf == 1 && f[0][0] == '\0') || f[0][0] == '#')
            continue;
        if (lineno == 1 && strcmp(f[0], "channel") == 0)
            continue; /* header */
        struct hc_ad_spend *x = &rows[*n];
        memset(x, 0, sizeof(*x));
        hc_err e = {0};
        if (spend_row(f, nf, x, &e) != HC_OK) {
            char field[HC_ERR_FIELD_MAX + 32];
            snprintf(field, sizeof(field), "line %zu%s%s", lineno, e.field[0] ? ": " : "",
                     e.field);
            return hc_err_set(err, HC_EINVAL, field, "%s", e.msg);
        }
        (*n)++;
    }
    if (*n == 0)
        return hc_err_set(err, HC_EINVAL, "body", "no spend rows");
    *out = rows;
    return HC_OK;
}

int hc_adcap_spend_list(hc_store *s, hc_arena *a, const char *seller, int year,
                        struct hc_ad_spend **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    char lo[16] = "", hi[16] = "";
    if (year > 0) {
        snprintf(lo, sizeof(lo), "%04d-01", year);
        snprintf(hi, sizeof(hi), "%04d-12", year);
    }
    int64_t count = 0;
    rc = hc_store_int(s, err, &count,
                      "SELECT COUNT(*) FROM ad_spend WHERE seller = ? AND (? = '' OR month >= ?)"
                      " AND (? = '' OR month <= ?)",
                      "sssss", seller, lo, lo, hi, hi);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT channel, month, currency, minor, cny_minor, fx_rate, fx_day,"
                        " reference, actor, created_at FROM ad_spend WHERE seller = ? AND"
                        " (? = '' OR month >= ?) AND (? = '' OR month <= ?)"
                        " ORDER BY month, channel, currency",
                        "sssss", seller, lo, lo, hi, hi);
    if (rc != HC_OK)
        return rc;
    *out = hc_arena_alloc(a, (size_t)(count + 1) * sizeof(**out));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)count) {
        struct hc_ad_spend *x = &(*out)[(*n)++];
        memset(x, 0, sizeof(*x));
        x->seller = hc_arena_strdup(a, seller);
        x->channel = hc_arena_strdup(a, hc_stmt_text(q, 0));
        x->month = hc_arena_strdup(a, hc_stmt_text(q, 1));
        x->currency = hc_arena_strdup(a, hc_stmt_text(q, 2));
        x->minor = hc_stmt_int(q, 3);
        x->cny_minor = hc_stmt_int(q, 4);
        x->fx_rate = hc_arena_strdup(a, hc_stmt_text(q, 5));
        x->fx_day = hc_arena_strdup(a, hc_stmt_text(q, 6));
        x->reference = hc_stmt_text(q, 7)[0] ? hc_arena_strdup(a, hc_stmt_text(q, 7)) : NULL;
        x->actor = hc_arena_strdup(a, hc_stmt_text(q, 8));
        x->created_at = hc_stmt_int(q, 9);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_adcap_category_set(hc_store *s, struct hc_ad_category *c, const char *actor,
                          hc_err *err)
{
    int64_t bp = hc_adcap_category_bp(c->category);
    if (bp < 0)
        return hc_err_set(err, HC_EINVAL, "category",
                          "one of general, cosmetics, pharmaceuticals, soft_drinks, tobacco");
    if (c->year_from < HC_ADCAP_YEAR_MIN || c->year_from > HC_ADCAP_YEAR_MAX)
        return hc_err_set(err, HC_EINVAL, "year_from", "a year %d..%d", HC_ADCAP_YEAR_MIN,
                          HC_ADCAP_YEAR_MAX);
    if (c->rate_bp > 10000)
        return hc_err_set(err, HC_EINVAL, "rate_pct", "a percentage from 0 to 100");
    if (c->rate_bp < 0)
        c->rate_bp = bp;
    int rc = seller_known(s, c->seller, err);
    if (rc != HC_OK)
        return rc;
    c->actor = actor ? actor : "";
    c->created_at = hc_now_ms();
    static const char *const cols[] = {"seller", "year_from",  "category", "rate_bp",
                                       "actor",  "created_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "ad_categories", cols, 2);
    return hc_store_run(s, err, NULL, sql, "sisisi", c->seller, (int64_t)c->year_from,
                        c->category, c->rate_bp, c->actor, c->created_at);
}

int hc_adcap_category_list(hc_store *s, hc_arena *a, const char *seller,
                           struct hc_ad_category **out, size_t *n, hc_err *err)
{
    *out = NULL;
    *n = 0;
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    int64_t count = 0;
    rc = hc_store_int(s, err, &count, "SELECT COUNT(*) FROM ad_categories WHERE seller = ?", "s",
                      seller);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT year_from, category, rate_bp, actor, created_at FROM"
                        " ad_categories WHERE seller = ? ORDER BY year_from",
                        "s", seller);
    if (rc != HC_OK)
        return rc;
    *out = hc_arena_alloc(a, (size_t)(count + 1) * sizeof(**out));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)count) {
        struct hc_ad_category *c = &(*out)[(*n)++];
        c->seller = hc_arena_strdup(a, seller);
        c->year_from = (int)hc_stmt_int(q, 0);
        c->category = hc_arena_strdup(a, hc_stmt_text(q, 1));
        c->rate_bp = hc_stmt_int(q, 2);
        c->actor = hc_arena_strdup(a, hc_stmt_text(q, 3));
        c->created_at = hc_stmt_int(q, 4);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_adcap_compute(struct hc_adcap_year *y, hc_err *err)
{
    assert(y->rate_bp >= 0 && y->rate_bp <= 10000);
    assert(y->revenue >= 0 && y->spend >= 0 && y->carried_in >= 0);
    int64_t claim;
    if (__builtin_add_overflow(y->spend, y->carried_in, &claim))
        return hc_err_set(err, HC_EINVAL, "spend", "too large to add up");
    y->cap = hc_round_half_even((__int128)y->revenue * y->rate_bp, 10000);
    y->allowed = claim < y->cap ? claim : y->cap;
    y->carried_out = claim - y->allowed;
    assert(y->carried_out >= 0 && y->allowed + y->carried_out == claim);
    return HC_OK;
}

/* ---- the report --------------------------------------------------------------------------- */

/* Revenue being summed for one Beijing day, per currency, before it is
 * converted at that day's rate into its year. */
struct day_sum {
    char day[11];
    const char *cur[HC_ADCAP_CUR_MAX];
    int64_t minor[HC_ADCAP_CUR_MAX];
    size_t n;
};

static struct hc_adcap_year *year_of(struct hc_adcap_report *r, int year)
{
    int first = r->years[0].year;
    if (year < first || year >= first + (int)r->n)
        return NULL;
    return &r->years[year - first];
}

static int add_revenue(struct hc_adcap_year *y, const char *currency, int64_t minor,
                       int64_t cny_minor, hc_err *err)
{
    size_t i = 0;
    while (i < y->ncur && strcmp(y->by_currency[i].currency, currency) != 0)
        i++;
    if (i == y->ncur) {
        if (y->ncur == HC_ADCAP_CUR_MAX)
            return hc_err_set(err, HC_EINVAL, "currency", "orders in more than %d currencies",
                              HC_ADCAP_CUR_MAX);
        y->by_currency[y->ncur++] = (struct hc_adcap_revenue){.currency = currency};
    }
    struct hc_adcap_revenue *c = &y->by_currency[i];
    if (__builtin_add_overflow(c->minor, minor, &c->minor) ||
        __builtin_add_overflow(c->cny_minor, cny_minor, &c->cny_minor) ||
        __builtin_add_overflow(y->revenue, cny_minor, &y->revenue))
        return hc_err_set(err, HC_EINVAL, "revenue", "too large to add up");
    return HC_OK;
}

/* Converts the day's sums and adds them to the day's year. */
static int flush_day(hc_store *s, struct hc_adcap_report *r, struct day_sum *d, hc_err *err)
{
    if (d->n == 0)
        return HC_OK;
    struct hc_adcap_year *y = year_of(r, (int)strtol(d->day, NULL, 10));
    assert(y != NULL);
    for (size_t i = 0; i < d->n; i++) {
        struct hc_fx_conversion conv;
        int rc = hc_fx_convert(s, d->cur[i], "CNY", d->day, d->minor[i], &conv, err);
        if (rc == HC_OK)
            rc = add_revenue(y, d->cur[i], d->minor[i], conv.minor, err);
        if (rc != HC_OK)
            return rc;
    }
    d->n = 0;
    return HC_OK;
}

static int day_add(struct day_sum *d, hc_arena *a, const char *currency, int64_t minor,
                   hc_err *err)
{
    size_t i = 0;
    while (i < d->n && strcmp(d->cur[i], currency) != 0)
        i++;
    if (i == d->n) {
        if (d->n == HC_ADCAP_CUR_MAX)
            return hc_err_set(err, HC_EINVAL, "currency", "orders in more than %d currencies",
                              HC_ADCAP_CUR_MAX);
        d->cur[d->n] = hc_arena_strdup(a, currency);
        d->minor[d->n++] = 0;
    }
    if (__builtin_add_overflow(d->minor[i], minor, &d->minor[i]))
        return hc_err_set(err, HC_EINVAL, "revenue", "too large to add up");
    return HC_OK;
}

/* Revenue and shipped orders of every year of r, in one scan by ship time. */
static int revenue_scan(hc_store *s, hc_arena *a, const char *seller, struct hc_adcap_report *r,
                        hc_err *err)
{
    int64_t from = year_start(r->years[0].year), to = year_start(r->years[r->n - 1].year + 1);
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT h.at, h.order_id, l.currency, l.qty * l.price_minor FROM order_history h JOIN"
        " order_lines l ON l.seller = h.seller AND l.order_id = h.order_id WHERE h.seller = ? AND"
        " h.status = ? AND h.at >= ? AND h.at < ? ORDER BY h.at, h.order_id",
        "ssii", seller, hc_order_status_name(HC_ORDER_SHIPPED), from, to);
    if (rc != HC_OK)
        return rc;
    struct day_sum d = {.n = 0};
    char last_order[HC_ID_MAX + 1] = "";
    int64_t day_no = INT64_MIN; /* Beijing days since the epoch, of d */
    struct hc_adcap_year *y = NULL;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        int64_t at = hc_stmt_int(q, 0);
        int64_t local = at + HC_BEIJING_OFFSET_MS;
        int64_t no = local / HC_DAY_MS - (local % HC_DAY_MS < 0);
        if (no != day_no) {
            /* the statement stays open: conversions read on the same connection */
            if ((rc = flush_day(s, r, &d, err)) != HC_OK)
                break;
            beijing_day(at, d.day);
            day_no = no;
            if ((y = year_of(r, (int)strtol(d.day, NULL, 10))) == NULL) {
                rc = hc_err_set(err, HC_EINTERNAL, "", "a shipment outside the years read");
                break;
            }
        }
        const char *order = hc_stmt_text(q, 1);
        if (strcmp(order, last_order) != 0) {
            hc_strlcpy(last_order, order, sizeof(last_order));
            y->orders++;
        }
        if ((rc = day_add(&d, a, hc_stmt_text(q, 2), hc_stmt_int(q, 3), err)) != HC_OK)
            break;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc == HC_ROW ? HC_OK : rc;
    return flush_day(s, r, &d, err);
}

/* Spend per year, in CNY fen. */
static int spend_scan(hc_store *s, const char *seller, struct hc_adcap_report *r, hc_err *err)
{
    hc_stmt *q;
    char lo[16], hi[16];
    snprintf(lo, sizeof(lo), "%04d-01", r->years[0].year);
    snprintf(hi, sizeof(hi), "%04d-12", r->years[r->n - 1].year);
    int rc = hc_store_query(s, err, &q,
                            "SELECT month, cny_minor FROM ad_spend WHERE seller = ? AND"
                            " month >= ? AND month <= ?",
                            "sss", seller, lo, hi);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_adcap_year *y = year_of(r, (int)strtol(hc_stmt_text(q, 0), NULL, 10));
        assert(y != NULL);
        if (__builtin_add_overflow(y->spend, hc_stmt_int(q, 1), &y->spend)) {
            hc_stmt_reset(q);
            return hc_err_set(err, HC_EINVAL, "spend", "too large to add up");
        }
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* The category and rate of each year from the seller's rows. */
static int rates_of(hc_store *s, hc_arena *a, const char *seller, struct hc_adcap_report *r,
                    hc_err *err)
{
    struct hc_ad_category *cats;
    size_t n;
    int rc = hc_adcap_category_list(s, a, seller, &cats, &n, err);
    if (rc != HC_OK)
        return rc;
    for (size_t i = 0; i < r->n; i++) {
        struct hc_adcap_year *y = &r->years[i];
        y->category = "general";
        y->rate_bp = HC_ADCAP_DEFAULT_BP;
        for (size_t k = 0; k < n && cats[k].year_from <= y->year; k++) {
            y->category = cats[k].category;
            y->rate_bp = cats[k].rate_bp;
        }
    }
    return HC_OK;
}

int hc_adcap_report(hc_store *s, hc_arena *a, const char *seller, int year, int64_t now_ms,
                    struct hc_adcap_report *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    struct tm now;
    hc_time_beijing(now_ms, &now);
    if (year < HC_ADCAP_YEAR_MIN || year > now.tm_year + 1900)
        return hc_err_set(err, HC_EINVAL, "year", "a year from %d to the running year (%d)",
                          HC_ADCAP_YEAR_MIN, now.tm_year + 1900);
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    int64_t first = year;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q, "SELECT MIN(month) FROM ad_spend WHERE seller = ?", "s",
                        seller);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_stmt_step(q, err)) == HC_ROW && !hc_stmt_is_null(q, 0)) {
        int64_t y = strtol(hc_stmt_text(q, 0), NULL, 10);
        if (y >= HC_ADCAP_YEAR_MIN && y < first)
            first = y;
    }
    hc_stmt_reset(q);
    if (rc != HC_ROW && rc != HC_DONE)
        return rc;
    out->seller = hc_arena_strdup(a, seller);
    out->n = (size_t)(year - first + 1);
    out->years = hc_arena_alloc(a, out->n * sizeof(*out->years));
    memset(out->years, 0, out->n * sizeof(*out->years));
    for (size_t i = 0; i < out->n; i++)
        out->years[i].year = (int)first + (int)i;
    if ((rc = rates_of(s, a, seller, out, err)) != HC_OK ||
        (rc = spend_scan(s, seller, out, err)) != HC_OK ||
        (rc = revenue_scan(s, a, seller, out, err)) != HC_OK)
        return rc;
    for (size_t i = 0; i < out->n; i++) {
        if (i > 0)
            out->years[i].carried_in = out->years[i - 1].carried_out;
        if ((rc = hc_adcap_compute(&out->years[i], err)) != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* csv.c: carrier services from CSV, one row per fact:
 *   service,warehouse,item,key,from,to,value
 * (see hc_lm_csv_parse in lastmile.h). Fields hold no commas, so no quoting.
 * What the rows say is checked by hc_lm_service_validate when stored. */
#include "lastmile.h"

#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS 7

struct growing {
    struct hc_lm_service *v;
    size_t n, cap;
};

static struct hc_lm_service *service_for(hc_arena *a, struct growing *g, const char *code,
                                         const char *warehouse)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].code, code) == 0 && strcmp(g->v[i].warehouse, warehouse) == 0)
            return &g->v[i];
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        struct hc_lm_service *nv = hc_arena_alloc(a, g->cap * sizeof(*nv));
        if (g->n)
            memcpy(nv, g->v, g->n * sizeof(*nv));
        g->v = nv;
    }
    struct hc_lm_service *s = &g->v[g->n++];
    memset(s, 0, sizeof(*s));
    s->code = hc_arena_strdup(a, code);
    s->warehouse = hc_arena_strdup(a, warehouse);
    s->zones = hc_arena_alloc(a, HC_LM_ZONES_MAX * sizeof(*s->zones));
    s->prices = hc_arena_alloc(a, HC_LM_PRICES_MAX * sizeof(*s->prices));
    s->pickup_days = 0x1f;
    s->cutoff_min = 17 * 60;
    s->numbering = HC_LM_NUM_SSCC;
    return s;
}

/* A range without num_to runs to the last serial its kind holds. */
static void default_ranges(struct growing *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].num_to == 0)
            g->v[i].num_to = g->v[i].numbering == HC_LM_NUM_S10 ? 99999999 : 999999999;
}

static bool int_of(const char *v, int64_t max, int64_t *out)
{
    return hc_parse_i64(v, 0, max, out) == HC_OK;
}

/* One scalar item of the service; false when item is unknown or value bad. */
static bool scalar(struct hc_lm_service *s, hc_arena *a, const char *item, const char *v,
                   const char **why)
{
    int64_t x = 0;
    *why = "is not a valid value";
    const struct {
        const char *name;
        int64_t *dst;
        int64_t max;
    } ints[] = {
        {"dim_divisor", &s->dim_divisor, 1000000},
        {"max_weight_g", &s->max_weight_g, 10000000},
        {"max_length_mm", &s->max_length_mm, 20000},
        {"max_girth_mm", &s->max_girth_mm, 60000},
        {"max_length_girth_mm", &s->max_length_girth_mm, 80000},
        {"transit_days", &s->transit_days, 60},
        {"num_from", &s->num_from, INT64_MAX / 4},
        {"num_to", &s->num_to, INT64_MAX / 4},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(ints); i++)
        if (strcmp(item, ints[i].name) == 0)
            return int_of(v, ints[i].max, ints[i].dst);
    const struct {
        const char *name;
        const char **dst;
    } strs[] = {
        {"carrier", &s->carrier},
        {"name", &s->name},
        {"currency", &s->currency},
        {"effective_from", &s->effective_from},
        {"num_prefix", &s->num_prefix},
        {"num_country", &s->num_country},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(strs); i++)
        if (strcmp(item, strs[i].name) == 0) {
            *strs[i].dst = hc_arena_strdup(a, v);
            return true;
        }
    if (strcmp(item, "effective_to") == 0) {
        s->effective_to = *v ? hc_arena_strdup(a, v) : NULL;
        return true;
    }
    if (strcmp(item, "fuel_pct") == 0)
        return hc_decimal_parse(v, 2, &s->fuel_bp) == HC_OK;
    if (strcmp(item, "residential") == 0) {
        int sc = s->currency ? hc_currency_scale(s->currency) : -1;
        *why = "needs the currency row before it";
        return sc >= 0 && hc_decimal_parse(v, sc, &s->residential_minor) == HC_OK;
    }
    if (strcmp(item, "cutoff") == 0)
        return (s->cutoff_min = hc_lm_cutoff_parse(v)) >= 0;
    if (strcmp(item, "pickup_days") == 0)
        return (s->pickup_days = hc_lm_days_parse(v)) > 0;
    if (strcmp(item, "delivery_days") == 0)
        return (s->delivery_days = hc_lm_days_parse(v)) > 0;
    if (strcmp(item, "holidays") == 0) {
        s->holidays = *v ? hc_arena_strdup(a, v) : NULL;
        return true;
    }
    if (strcmp(item, "numbering") == 0)
        return (s->numbering = hc_lm_numbering_parse(v)) > 0;
    if (strcmp(item, "two_d") == 0)
        return (s->two_d = hc_lm_2d_parse(v)) >= 0;
    if (strcmp(item, "num_extension") == 0)
        return int_of(v, 9, &x) && ((s->num_extension = (int)x), true);
    *why = "is not an item of a service";
    return false;
}

static int row(hc_arena *a, struct growing *g, char **f, int lineno, hc_err *err)
{
    char fld[96];
    struct hc_lm_service *s = service_for(a, g, f[0], f[1]);
    const char *item = f[2], *why;
    if (strcmp(item, "zone") == 0) {
        if (s->nzones == HC_LM_ZONES_MAX || strlen(f[6]) != 2) {
            snprintf(fld, sizeof(fld), "line %d: value", lineno);
            return hc_err_set(err, HC_EINVAL, fld,
                              "a zone row's value is its country (ISO alpha-2), at most %d rows",
                              HC_LM_ZONES_MAX);
        }
        struct hc_lm_zone_range *z = &s->zones[s->nzones++];
        z->zone = hc_arena_strdup(a, f[3]);
        hc_strlcpy(z->country, f[6], sizeof(z->country));
        z->from = hc_arena_strdup(a, f[4]);
        z->to = hc_arena_strdup(a, f[5]);
        return HC_OK;
    }
    if (strcmp(item, "price") == 0) {
        struct hc_lm_price *p = &s->prices[s->nprices];
        int sc = s->currency ? hc_currency_scale(s->currency) : -1;
        if (s->nprices == HC_LM_PRICES_MAX || !int_of(f[5], 10000000, &p->max_weight_g)) {
            snprintf(fld, sizeof(fld), "line %d: to", lineno);
            return hc_err_set(err, HC_EINVAL, fld, "a price row's to is the max weight in g");
        }
        if (sc < 0 || hc_decimal_parse(f[6], sc, &p->minor) != HC_OK || p->minor < 0) {
            snprintf(fld, sizeof(fld), "line %d: value", lineno);
            return hc_err_set(err, HC_EINVAL, fld,
                              "a price row's value is a decimal >= 0 in the currency (the "
                              "currency row comes first)");
        }
        p->zone = hc_arena_strdup(a, f[3]);
        s->nprices++;
        return HC_OK;
    }
    if (!scalar(s, a, item, f[6], &why)) {
        snprintf(fld, sizeof(fld), "line %d: %s", lineno,
                 strcmp(why, "is not an item of a service") == 0 ? "item" : "value");
        return hc_err_set(err, HC_EINVAL, fld, "%s %s", item, why);
    }
    return HC_OK;
}

int hc_lm_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_lm_service **out,
                    size_t *n, hc_err *err)
{
    char *buf = hc_arena_strndup(a, text, len);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* a spreadsheet's BOM */
        buf += 3;
    struct growing g = {0};
    int lineno = 0;
    for (char *line = buf, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        lineno++;
        if (line[0] == '\0' || line[0] == '\r' || line[0] == '#')
            continue;
        char *f[COLS + 1];
        int nf = (int)hc_csv_split(line, f, COLS + 1);
        if (lineno == 1 && strcmp(f[0], "service") == 0)
            continue;
        if (nf != COLS || *f[0] == '\0' || *f[1] == '\0') {
            char fld[32];
            snprintf(fld, sizeof(fld), "line %d", lineno);
            return hc_err_set(err, HC_EINVAL, fld,
                              "needs 7 fields service,warehouse,item,key,from,to,value");
        }
        if (row(a, &g, f, lineno, err) != HC_OK)
            return err->code;
    }
    if (g.n == 0)
        return hc_err_set(err, HC_EINVAL, "file", "holds no service");
    default_ranges(&g);
    *out = g.v;
    *n = g.n;
    return HC_OK;
}

int hc_lm_sheet_parse(hc_arena *a, const struct hc_sheet *sh, struct hc_lm_service **out,
                      size_t *n, hc_err *err)
{
    struct growing g = {0};
    for (size_t r = 0; r < sh->nrows; r++) {
        char *f[COLS];
        size_t nc = sh->ncells[r];
        bool blank = true;
        for (int c = 0; c < COLS; c++) {
            const char *v = (size_t)c < nc ? sh->cells[r][c] : "";
            f[c] = hc_arena_strdup(a, v ? v : "");
            blank = blank && f[c][0] == '\0';
        }
        int lineno = (int)r + 1;
        if (blank || f[0][0] == '#' || (r == 0 && strcmp(f[0], "service") == 0))
            continue;
        if (nc > COLS || *f[0] == '\0' || *f[1] == '\0') {
            char fld[32];
            snprintf(fld, sizeof(fld), "line %d", lineno);
            return hc_err_set(err, HC_EINVAL, fld,
                              "needs 7 columns service,warehouse,item,key,from,to,value");
        }
        if (row(a, &g, f, lineno, err) != HC_OK)
            return err->code;
    }
    if (g.n == 0)
        return hc_err_set(err, HC_EINVAL, "file", "holds no service");
    default_ranges(&g);
    *out = g.v;
    *n = g.n;
    return HC_OK;
}

/* rules.c: the customs rules that are data, not code (customs_rules.csv in
 * the customs reference data): the return window, the itemNameFlag reading,
 * the RMB limit of a 9710/9810 list and the CNY rates it is checked with.
 * Loaded once with the context; every key must be present and known. */
#include "records.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Next CSV field of line at *p (quotes allowed, "" inside quotes); NUL-terminated
 * in place. NULL at the end of the line. */
static char *field(char **p)
{
    char *s = *p, *out, *start;
    if (s == NULL)
        return NULL;
    if (*s == '"') {
        start = out = ++s;
        while (*s) {
            if (*s == '"' && s[1] == '"') {
                *out++ = '"';
                s += 2;
            } else if (*s == '"') {
                s++;
                break;
            } else {
                *out++ = *s++;
            }
        }
        *out = '\0';
        *p = *s == ',' ? s + 1 : NULL;
        return start;
    }
    start = s;
    while (*s && *s != ',')
        s++;
    *p = *s == ',' ? s + 1 : NULL;
    *s = '\0';
    return start;
}

static int set_rule(struct rec_rules *r, const char *key, const char *val, const char *where,
                    hc_err *err)
{
    int64_t v;
    if (strcmp(key, "return_days") == 0) {
        if (hc_parse_i64(val, 1, 3650, &v) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "customs_rules", "%s: return_days must be 1..3650",
                              where);
        r->return_days = (int)v;
    } else if (strcmp(key, "item_name_flag_off") == 0) {
        if (strlen(val) != 1)
            return hc_err_set(err, HC_EINVAL, "customs_rules",
                              "%s: item_name_flag_off must be one character", where);
        hc_strlcpy(r->item_name_off, val, sizeof(r->item_name_off));
    } else if (strcmp(key, "list_value_max_cny") == 0) {
        if (hc_parse_i64(val, 1, 100000000, &v) != HC_OK)
            return hc_err_set(err, HC_EINVAL, "customs_rules",
                              "%s: list_value_max_cny must be a whole number of yuan", where);
        r->list_max_cny = v;
    } else if (strcmp(key, "list_over_max") == 0) {
        if (strcmp(val, "refuse") != 0 && strcmp(val, "allow") != 0)
            return hc_err_set(err, HC_EINVAL, "customs_rules",
                              "%s: list_over_max must be refuse or allow", where);
        r->list_over_max_allow = strcmp(val, "allow") == 0;
    } else if (strncmp(key, "cny_rate.", 9) == 0 && strlen(key) == 12) {
        if (r->n_rates == HC_ARRAY_LEN(r->rates))
            return hc_err_set(err, HC_EINVAL, "customs_rules", "%s: too many rates", where);
        if (hc_decimal_parse(val, 6, &v) != HC_OK || v <= 0)
            return hc_err_set(err, HC_EINVAL, "customs_rules",
                              "%s: %s must be a positive decimal (at most 6 places)", where, key);
        hc_strlcpy(r->rates[r->n_rates].iso, key + 9, sizeof(r->rates[0].iso));
        r->rates[r->n_rates++].cny_e6 = v;
    } else {
        return hc_err_set(err, HC_EINVAL, "customs_rules", "%s: unknown rule %s", where, key);
    }
    return HC_OK;
}

int rec_rules_load(struct rec_rules *r, const char *path, hc_err *err)
{
    memset(r, 0, sizeof(*r));
    r->return_days = -1;
    r->list_max_cny = -1;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return hc_err_set(err, HC_EINVAL, "customs_rules", "%s: %s (the customs rules file)",
                          path, strerror(errno));
    char line[2048], where[1200];
    int rc = HC_OK, no = 0;
    bool over_seen = false;
    while (rc == HC_OK && fgets(line, sizeof(line), f)) {
        no++;
        line[strcspn(line, "\r\n")] = '\0';
        if (no == 1 || line[0] == '\0' || line[0] == '#')
            continue; /* header */
        char *p = line, *key = field(&p), *val = field(&p);
        snprintf(where, sizeof(where), "%s:%d", path, no);
        if (key == NULL || val == NULL || *key == '\0') {
            rc = hc_err_set(err, HC_EINVAL, "customs_rules", "%s: want key,value,...", where);
            break;
        }
        over_seen |= strcmp(key, "list_over_max") == 0;
        rc = set_rule(r, key, val, where, err);
    }
    fclose(f);
    if (rc != HC_OK)
        return rc;
    const char *missing = r->return_days < 0           ? "return_days"
                          : r->item_name_off[0] == '\0' ? "item_name_flag_off"
                          : r->list_max_cny < 0         ? "list_value_max_cny"
                          : !over_seen                  ? "list_over_max"
                                                        : NULL;
    if (missing)
        return hc_err_set(err, HC_EINVAL, "customs_rules", "%s: rule %s is missing", path,
                          missing);
    return HC_OK;
}

int64_t rec_rules_cny_rate(const struct rec_rules *r, const char *iso)
{
    for (size_t i = 0; iso && i < r->n_rates; i++)
        if (strcmp(r->rates[i].iso, iso) == 0)
            return r->rates[i].cny_e6;
    return 0;
}

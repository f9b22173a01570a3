/* reference.c: country codes and centroids from DATA/countries.csv, loaded
 * once; lookups are a binary search over 249 sorted codes. */
#include "catalog.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct country {
    char iso2[3];
    double lat, lon;
};

static struct country countries[400];
static size_t ncountries;
static char data_dir[1024];
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct country *)a)->iso2, ((const struct country *)b)->iso2);
}

int hc_catalog_load_reference(const char *dir, hc_err *err)
{
    int rc = HC_OK;
    pthread_mutex_lock(&load_mu);
    if (ncountries > 0)
        goto done;
    char found[1024], path[1100];
    if (dir == NULL) {
        (void)hc_data_path("data", found, sizeof(found));
        dir = found;
    }
    snprintf(path, sizeof(path), "%s/countries.csv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "data", "cannot read %s (set HAICANG_DATA)",
                        path);
        goto done;
    }
    char line[512];
    int lineno = 0;
    while (fgets(line, sizeof(line), f) && ncountries < HC_ARRAY_LEN(countries)) {
        if (lineno++ == 0)
            continue; /* header */
        char *last = strrchr(line, ','), *code_end = strchr(line, ',');
        if (last == NULL || code_end == NULL || code_end - line != 2)
            continue;
        *last = '\0';
        char *prev = strrchr(line, ',');
        if (prev == NULL)
            continue;
        struct country *c = &countries[ncountries++];
        memcpy(c->iso2, line, 2);
        c->iso2[2] = '\0';
        c->lat = strtod(prev + 1, NULL);
        c->lon = strtod(last + 1, NULL);
    }
    fclose(f);
    qsort(countries, ncountries, sizeof(countries[0]), by_code);
    snprintf(path, sizeof(path), "%s/currencies.csv", dir);
    if ((rc = hc_currency_load(path, err)) != HC_OK) {
        ncountries = 0;
        goto done;
    }
    hc_strlcpy(data_dir, dir, sizeof(data_dir));
done:
    pthread_mutex_unlock(&load_mu);
    return rc;
}

const char *hc_catalog_data_dir(void)
{
    return data_dir;
}

static const struct country *find(const char *iso2)
{
    if (iso2 == NULL || strlen(iso2) != 2)
        return NULL;
    struct country key;
    memcpy(key.iso2, iso2, 3);
    return bsearch(&key, countries, ncountries, sizeof(countries[0]), by_code);
}

bool hc_country_valid(const char *iso2)
{
    return find(iso2) != NULL;
}

bool hc_country_centroid(const char *iso2, double *lat, double *lon)
{
    const struct country *c = find(iso2);
    if (c == NULL)
        return false;
    *lat = c->lat;
    *lon = c->lon;
    return true;
}

double hc_country_distance_km(double lat, double lon, const char *iso2)
{
    const struct country *c = find(iso2);
    if (c == NULL)
        return 1e9;
    double r = M_PI / 180.0;
    double dlat = (c->lat - lat) * r, dlon = (c->lon - lon) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat * r) * cos(c->lat * r) * sin(dlon / 2) * sin(dlon / 2);
    return 6371.0 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

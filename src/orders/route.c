/* route.c: which warehouse ships an order. Pure: no store. */
#include "orders.h"

#include <string.h>

static bool better(const struct hc_route_candidate *a, double da, const struct hc_route_candidate *b,
                   double db, const char *country)
{
    bool ain = strcmp(a->country, country) == 0, bin = strcmp(b->country, country) == 0;
    if (ain != bin)
        return ain;
    if (da != db)
        return da < db;
    return strcmp(a->code, b->code) < 0;
}

int hc_route_choose(const struct hc_route_candidate *c, size_t n, const char *ship_country,
                    bool *is_complete)
{
    int best = -1, best_any = -1;
    double dbest = 0, dany = 0;
    for (size_t i = 0; i < n; i++) {
        double d = c[i].has_geo ? hc_country_distance_km(c[i].lat, c[i].lon, ship_country) : 1e9;
        if (best_any < 0 || better(&c[i], d, &c[best_any], dany, ship_country)) {
            best_any = (int)i;
            dany = d;
        }
        if (c[i].complete && (best < 0 || better(&c[i], d, &c[best], dbest, ship_country))) {
            best = (int)i;
            dbest = d;
        }
    }
    *is_complete = best >= 0;
    return best >= 0 ? best : best_any;
}

/* markets.c: facts about markets that do not change with the rule table. */
#include "compliance/compliance.h"

#include <stdlib.h>
#include <string.h>

/* Member states of the EU since the United Kingdom left (2020-02-01),
 * sorted; source: europa.eu, "EU countries". */
static const char eu_members[][3] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
};

static int cmp_code(const void *k, const void *e)
{
    return strcmp(k, e);
}

bool hc_market_in_eu(const char *iso2)
{
    if (!iso2 || strlen(iso2) != 2)
        return false;
    return bsearch(iso2, eu_members, HC_ARRAY_LEN(eu_members), sizeof(eu_members[0]),
                   cmp_code) != NULL;
}

/* Built-in container types: typical ISO inside dimensions and payloads.
 * These are reference values for planning; a carrier's own equipment can be
 * given by dims and max weight instead (API/CLI "dims_mm", "max_weight_g"). */
#include "freight/freight.h"

#include <string.h>

static const struct {
    const char *type;
    int32_t l, w, h;
    int64_t payload_g;
} types[] = {
    {"20GP", 5898, 2352, 2393, 28200000},
    {"40GP", 12032, 2352, 2393, 26700000},
    {"40HQ", 12032, 2352, 2698, 26500000},
    {"45HQ", 13556, 2352, 2698, 27700000},
};

int hc_loading_container_type(const char *type, hc_loading_container *c)
{
    for (size_t i = 0; i < HC_ARRAY_LEN(types); i++) {
        if (strcmp(types[i].type, type) != 0)
            continue;
        hc_strlcpy(c->type, types[i].type, sizeof(c->type));
        c->l = types[i].l;
        c->w = types[i].w;
        c->h = types[i].h;
        c->max_weight_g = types[i].payload_g;
        return HC_OK;
    }
    return HC_ENOTFOUND;
}

/* bins.c: a warehouse's storage bins with their place_load (bins.h). */
#include "bins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hc_bins_cmp_code(const void *a, const void *b)
{
    return strcmp(((const struct hc_bin *)a)->code, ((const struct hc_bin *)b)->code);
}

ptrdiff_t hc_bins_find(const struct hc_bin *bins, size_t n, const char *code)
{
    struct hc_bin key = {.code = code};
    const struct hc_bin *hit = n ? bsearch(&key, bins, n, sizeof(*bins), hc_bins_cmp_code) : NULL;
    return hit ? hit - bins : -1;
}

int hc_bins_load(hc_store *s, hc_arena *a, const char *wh, bool pickable_only,
                 struct hc_bin **bins, size_t *n, hc_err *err)
{
    int64_t count = 0;
    const char *where = pickable_only
                            ? " FROM locations WHERE warehouse = ? AND pickable = 1 AND"
                              " zone <> 'RECEIVING' AND zone <> 'RETURNS'"
                            : " FROM locations WHERE warehouse = ? AND zone <> 'RECEIVING' AND"
                              " zone <> 'RETURNS'";
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", where);
    int rc = hc_store_int(s, err, &count, sql, "s", wh);
    if (rc != HC_OK)
        return rc;
    struct hc_bin *b = hc_arena_alloc(a, sizeof(*b) * (size_t)(count > 0 ? count : 1));
    size_t k = 0;
    hc_stmt *q;
    snprintf(sql, sizeof(sql), "SELECT code, l, w, h, max_weight_g, aisle, bay, lvl%s", where);
    if ((rc = hc_store_query(s, err, &q, sql, "s", wh)) != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < (size_t)count) {
        b[k].code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        for (int i = 0; i < 3; i++)
            b[k].dims_mm[i] = hc_stmt_int(q, 1 + i);
        b[k].max_weight_g = hc_stmt_int(q, 4);
        b[k].aisle = hc_stmt_int(q, 5);
        b[k].bay = hc_stmt_int(q, 6);
        b[k].level = hc_stmt_int(q, 7);
        k++;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    qsort(b, k, sizeof(*b), hc_bins_cmp_code); /* strcmp order, for hc_bins_find */
    char lo[HC_PLACE_MAX], hi[HC_PLACE_MAX]; /* the places "wh/<code>/..." */
    snprintf(lo, sizeof(lo), "wh/%s/", wh);
    snprintf(hi, sizeof(hi), "wh/%s0", wh);
    rc = hc_store_query(s, err, &q,
                        "SELECT place, volume_mm3, weight_g FROM place_load WHERE place >= ? AND"
                        " place < ?",
                        "ss", lo, hi);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ptrdiff_t i = hc_bins_find(b, k, hc_stmt_text(q, 0) + strlen(lo));
        if (i >= 0) {
            b[i].used_volume_mm3 = hc_stmt_int(q, 1);
            b[i].used_weight_g = hc_stmt_int(q, 2);
        }
    }
    hc_stmt_reset(q);
    *bins = b;
    *n = k;
    return rc == HC_DONE ? HC_OK : rc;
}

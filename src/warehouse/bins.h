/* bins.h: private to src/warehouse. The storage bins of a warehouse with
 * what they hold, as putaway (inbound.c) and slotting (slotting.c) plan
 * with them. */
#ifndef HC_WAREHOUSE_BINS_H
#define HC_WAREHOUSE_BINS_H

#include "warehouse.h"

#include <stdbool.h>
#include <stddef.h>

/* qsort/bsearch order of bins: strcmp of their codes. */
int hc_bins_cmp_code(const void *a, const void *b);
/* Index of the bin whose code is code in bins sorted by hc_bins_cmp_code,
 * or -1. */
ptrdiff_t hc_bins_find(const struct hc_bin *bins, size_t n, const char *code);
/* The warehouse's storage bins (not RECEIVING or RETURNS; with
 * pickable_only, only the pickable ones) in code order, with what they hold
 * by volume and weight (place_load: one row per bin, so this costs what the
 * bins cost, not what the stock costs). Allocated from a. */
int hc_bins_load(hc_store *s, hc_arena *a, const char *wh, bool pickable_only,
                 struct hc_bin **bins, size_t *n, hc_err *err);

#endif

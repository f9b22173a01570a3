/* settle_private.h: what settlement.c, settle_customs.c and settle_fees.c
 * share; not public. */
#ifndef HC_SETTLE_PRIVATE_H
#define HC_SETTLE_PRIVATE_H

#include "finance.h"

/* A map of strings to indexes (open addressing; keys copied into the arena,
 * tables malloc'd: smap_free). */
struct smap {
    const char **keys;
    size_t *vals;
    size_t cap, n;
};
bool smap_get(const struct smap *m, const char *key, size_t *val);
void smap_put(struct smap *m, hc_arena *a, const char *key, size_t val);
void smap_free(struct smap *m);

/* One stock's FIFO queue of lots (lot: the caller's index of its source). */
struct settle_lot {
    size_t lot;
    int64_t qty;
};
struct settle_queue {
    struct settle_lot *lots; /* malloc'd */
    size_t n, cap, head;
};
void settle_queue_in(struct settle_queue *q, size_t lot, int64_t qty);
/* Takes qty from the oldest lots; writes at most cap takes (out_move as
 * given, lot SIZE_MAX beyond the stock), returns how many there were. */
size_t settle_queue_out(struct settle_queue *q, int64_t qty, size_t out_move,
                        struct hc_fifo_take *takes, size_t cap);

/* The Beijing civil day of ms. */
void settle_beijing_day(int64_t ms, char out[11]);
/* A currency code kept once. */
const char *settle_intern_cur(hc_arena *a, const char *c);

/* The customs lines of the settlement's orders (orders: id -> index):
 * *out malloc'd, in no particular order. */
int settle_customs(hc_store *s, hc_arena *a, const struct hc_settlement *st,
                   const struct smap *orders, struct hc_settle_customs **out, size_t *n,
                   hc_err *err);
/* Sorts them by order into the arena and points each order at its slice. */
void settle_customs_attach(hc_arena *a, struct hc_settlement *st, const struct smap *orders,
                           const struct hc_settle_customs *c, size_t n);

#endif

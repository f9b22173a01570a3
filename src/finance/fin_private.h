/* fin_private.h: what ratecard.c, charge.c and storage.c share; not public. */
#ifndef HC_FIN_PRIVATE_H
#define HC_FIN_PRIVATE_H

#include "finance.h"

/* Books charge c of seller in warehouse (Dr seller/S/wallet the total, Cr
 * wh/W/revenue each line; a negative total books the other way round) and
 * records it in fin_charges with its kind, cause and day. Nothing when the
 * total is 0. entry (may be NULL, >= HC_MONEY_ID_MAX) gets the entry id. */
struct fin_post {
    const char *warehouse, *seller, *kind, *cause_kind, *cause_id, *day, *card, *actor;
    int64_t at;            /* 0 = now */
    const char *basis;     /* what an event charge was priced on (charge.c), or NULL */
    const char *corrects;  /* the fin_charges id a correction corrects, or NULL */
};
int fin_post_charge(hc_store *s, const struct fin_post *p, const struct hc_charge *c,
                    char *entry, hc_err *err);
/* Re-rates the charges at events (receipts, shipments, returns, services)
 * of warehouse booked on day: each is priced again from its basis by the
 * card covering that day now, and the difference to what it and its
 * corrections booked is a correction entry (cause "correction", the
 * original entry). *entries counts them. */
int fin_rerate_events(hc_store *s, hc_arena *a, const char *warehouse, const char *day,
                      const char *actor, int *entries, hc_err *err);
/* The warehouse's IANA time zone. */
int fin_warehouse_tz(hc_store *s, hc_arena *a, const char *warehouse, const char **tz,
                     hc_err *err);

#endif

/* h_transfers.h: the /v1/transfers handlers (h_transfers.c). */
#ifndef HC_API_H_TRANSFERS_H
#define HC_API_H_TRANSFERS_H

struct req;
int h_transfer_create(struct req *r);
int h_transfer_list(struct req *r);
int h_transfer_get(struct req *r);
int h_transfer_work_add(struct req *r);
int h_transfer_work_list(struct req *r);
int h_transfer_work_complete(struct req *r);
int h_transfer_cartons(struct req *r);
int h_transfer_cartons_list(struct req *r);
int h_transfer_labels_pdf(struct req *r);
int h_transfer_ship(struct req *r);
int h_transfer_cancel(struct req *r);
int h_transfer_recheck(struct req *r);

/* The compliance recheck of held orders and inbounds (hc_gate_recheck)
 * and of held transfers; *released counts both. */
#include "base/base.h"
#include "store/store.h"
int api_recheck_all(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                    int *released, hc_err *err);

#endif

/* api: the slotting routes (h_slotting.c): propose, read and accept moves
 * that bring fast SKUs near the depot; the domain is warehouse/slotting.c. */
#ifndef HC_API_H_SLOTTING_H
#define HC_API_H_SLOTTING_H

struct req;
int h_slotting_propose(struct req *r);
int h_slotting_get(struct req *r);
int h_slotting_accept(struct req *r);

#endif

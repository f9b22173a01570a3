/* api: a seller's legal identity, its history and as-of reads (h_identity.c);
 * the domain is src/compliance/identity.c. */
#ifndef HC_API_H_IDENTITY_H
#define HC_API_H_IDENTITY_H

struct req;
int h_identity_get(struct req *r);
int h_identity_put(struct req *r);
int h_identity_history(struct req *r);

#endif

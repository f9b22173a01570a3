/* api: customs routes (/v1/customs/...): registrations, declaring lists from
 * orders and inbounds, list states with their history and XML, receipts,
 * inspection and the container gate, bills of lading, monthly summaries and
 * returns. JSON glue only: the work is done by src/customs on the store.
 *
 * Configuration comes from the environment (hc_customs_config_env), loaded on
 * first use; when it cannot load (no code tables, no XSD) the customs routes
 * answer 503 naming what is missing, and the rest of the API is unaffected. */
#ifndef HC_API_H_CUSTOMS_H
#define HC_API_H_CUSTOMS_H

struct req;

/* Server start-up hook: writes the customs messages a crash left 'queued'
 * (stored, committed, file not yet in the outbox) into the configured outbox
 * and marks them sent. Needs hc_srv.db open; loads nothing else, so it is
 * cheap when customs is not used. HC_OK, or an error already logged (start-up
 * should go on: the first customs request flushes again). */
int h_customs_startup(void);
/* The customs configuration that cannot work (a key without its certificate
 * or the reverse, a bad HAICANG_CUSTOMS_UNSIGNED): prints why and returns
 * HC_EINVAL; `haicang serve` then does not start. */
int h_customs_config_check(void);

/* For other handlers that book customs documents (shipments link bills):
 * the loaded context (NULL with r->err set when customs is not configured),
 * and writing the messages of documents a job committed (after the commit). */
typedef struct hc_customs_ctx hc_customs_ctx;
hc_customs_ctx *h_customs_ctx(struct req *r);
void h_customs_flush(hc_customs_ctx *x, const char *const *docs, size_t n);

int h_customs_registration_put(struct req *r);
int h_customs_registration_list(struct req *r);
int h_customs_list_create(struct req *r);
int h_customs_list_list(struct req *r);
int h_customs_list_get(struct req *r);
int h_customs_list_xml(struct req *r);
int h_customs_inspection(struct req *r);
int h_customs_container_check(struct req *r);
int h_customs_receipts(struct req *r);
int h_customs_bill_create(struct req *r);
int h_customs_summary_create(struct req *r);
int h_customs_return_create(struct req *r);
int h_customs_return_get(struct req *r);
int h_customs_return_tally(struct req *r);

#endif

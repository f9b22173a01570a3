/* api: the overseas-warehouse export VAT refund (h_refund.c); the domain is
 * src/finance (refund.c, refund_report.c). */
#ifndef HC_API_H_REFUND_H
#define HC_API_H_REFUND_H

struct req;
int h_refund_profile_get(struct req *r);
int h_refund_profile_put(struct req *r);
int h_refund_rates_import(struct req *r);
int h_refund_rates_list(struct req *r);
int h_refund_invoices_import(struct req *r);
int h_refund_invoices_list(struct req *r);
int h_refund_items(struct req *r);
int h_refund_file(struct req *r);
int h_refund_filing_list(struct req *r);
int h_refund_filing_get(struct req *r);
int h_refund_grant(struct req *r);
int h_refund_reconcile(struct req *r);
int h_refund_report(struct req *r);

#endif

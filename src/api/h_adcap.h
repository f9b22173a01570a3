/* api: the advertising deduction cap (h_adcap.c); the domain is
 * src/finance/adcap.c. */
#ifndef HC_API_H_ADCAP_H
#define HC_API_H_ADCAP_H

struct req;
int h_adspend_import(struct req *r);
int h_adspend_list(struct req *r);
int h_adcategory_set(struct req *r);
int h_adcategory_list(struct req *r);
int h_adcap_report(struct req *r);

#endif

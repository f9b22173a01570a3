/* api: product compliance, rules, the gate's holds and the matrix
 * (h_compliance.c); the domain is src/compliance (product.c, rules.c, gate.c). */
#ifndef HC_API_H_COMPLIANCE_H
#define HC_API_H_COMPLIANCE_H

#include <jansson.h>

struct req;
int h_product_get(struct req *r);
int h_product_put(struct req *r);
int h_brand_product_get(struct req *r);
int h_brand_product_put(struct req *r);
int h_rule_list(struct req *r);
int h_rule_get(struct req *r);
int h_rule_create(struct req *r);
int h_rule_put(struct req *r);
int h_rule_import(struct req *r);
int h_compliance_matrix(struct req *r);
int h_compliance_holds(struct req *r);
int h_compliance_check(struct req *r);
int h_compliance_recheck(struct req *r);
int h_wh_compliance_get(struct req *r);
int h_wh_compliance_put(struct req *r);

/* Adds "hold_items" (the missing items) to an order or inbound answer held
 * for compliance (kind "order" | "inbound"); reads with the request's reader. */
void api_add_hold_items(struct req *r, json_t *obj, const char *kind, const char *ref);

#endif

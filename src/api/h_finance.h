/* api: statements, invoices and receivables (h_finance.c); the domain is
 * src/finance (statement.c, invoice.c), the files src/render. */
#ifndef HC_API_H_FINANCE_H
#define HC_API_H_FINANCE_H

struct req;
int h_statement_get(struct req *r);
int h_statement_pdf(struct req *r);
int h_statement_xlsx(struct req *r);
int h_statement_csv(struct req *r);
int h_invoice_create(struct req *r);
int h_invoice_list(struct req *r);
int h_invoice_get(struct req *r);
int h_invoice_pdf(struct req *r);
int h_receivables(struct req *r);
/* h_settle.c: netting settlement statements and external fees */
int h_settlement_get(struct req *r);
int h_external_fee_create(struct req *r);
int h_external_fee_list(struct req *r);

#endif

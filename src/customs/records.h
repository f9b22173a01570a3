/* records.h: what the record-layer files of src/customs share (lists.c,
 * apply.c, monthly.c, config.c); not a public header. */
#ifndef HC_CUSTOMS_RECORDS_H
#define HC_CUSTOMS_RECORDS_H

#include "customs.h"

const hc_customs_ref *rec_ref(const hc_customs_ctx *x);

/* The rules that are data (customs_rules.csv beside haicang's code-table
 * additions; see docs/customs.md): loaded with the context. */
struct rec_rules {
    int return_days;         /* a 9610 return re-enters within this many days of release */
    char item_name_off[4];   /* itemNameFlag written when not summarising by item name */
    int64_t list_max_cny;    /* 9710/9810: a record above this many yuan is not a list */
    bool list_over_max_allow;
    struct {
        char iso[4];
        int64_t cny_e6; /* CNY per unit of the currency, scale 6 */
    } rates[32];
    size_t n_rates;
};
int rec_rules_load(struct rec_rules *r, const char *path, hc_err *err);
/* CNY per unit of iso (scale 6), or 0 when the rules have no rate. */
int64_t rec_rules_cny_rate(const struct rec_rules *r, const char *iso);
const struct rec_rules *rec_rules(const hc_customs_ctx *x);
/* For haicang demo only: lifts the list limit in its own context. */
void rec_rules_allow_over_max(hc_customs_ctx *x);
/* For haicang demo only, when no key is configured: unsigned output. */
void rec_allow_unsigned(hc_customs_ctx *x);
/* The configured default customs/port code, or NULL. */
const char *rec_default_code(const hc_customs_ctx *x);
/* Builds (C checks), validates against the XSD and signs when a key is
 * configured. *out is the caller's to free. */
int rec_finish(hc_customs_ctx *x, const hc_customs_msg *m, xmlDocPtr *out, hc_err *err);

/* Outgoing messages of one job: each is finished when added; nothing is
 * stored until rec_out_commit, which stores every message 'queued' in the
 * job's transaction. No file is written here: hc_customs_flush_outbox does
 * that after the commit. */
struct rec_msg {
    xmlDocPtr doc;
    int type;
    const char *guid, *doc_id;
};
struct rec_out {
    hc_arena *a;
    struct rec_msg *m;
    size_t n, cap;
};
void rec_out_init(struct rec_out *o, hc_arena *a);
/* m->guid must be set (the message guid is the file name). Field errors get
 * "CEB<type>." in front. */
int rec_out_add(struct rec_out *o, hc_customs_ctx *x, const hc_customs_msg *m,
                const char *doc_id, hc_err *err);
int rec_out_commit(struct rec_out *o, hc_store *s, hc_customs_ctx *x, const char *seller,
                   hc_err *err);
void rec_out_free(struct rec_out *o);

/* A fresh guid in the arena. */
const char *rec_guid(hc_arena *a);
/* minor / 10^scale as a decimal string without trailing zeros ("12.5"). */
const char *rec_dec(hc_arena *a, int64_t minor, int scale);
/* A history row for a list. */
int rec_history(hc_store *s, const char *seller, const char *list_id, int64_t state,
                const char *receipt, const char *info, const char *actor, hc_err *err);
/* One registration, or HC_EINVAL naming "registrations.<role>" when absent. */
int rec_registration(hc_store *s, hc_arena *a, const char *seller, const char *role,
                     bool required, struct hc_customs_registration *out, hc_err *err);
/* The consignor (ebc registration, else the seller's customs code and name)
 * and the sending agent (agent registration, else the consignor), which must
 * have a DXP id. */
int rec_sender(hc_store *s, hc_arena *a, const char *seller, struct hc_customs_registration *ebc,
               struct hc_customs_registration *agent, hc_err *err);
/* "YYYY-MM" -> [from, to) in ms, Beijing-time month. */
int rec_month(const char *month, int64_t *from, int64_t *to, hc_err *err);
/* CEB "yyyyMMddHHmmss[fff]" (Beijing time) -> ms; 0 when unparsable. */
int64_t rec_ceb_time(const char *t);

#endif

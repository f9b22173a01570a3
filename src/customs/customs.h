/* customs: the CEB message layer (GACC cross-border e-commerce standard, 2022-05).
 *
 * Reference code tables loaded from files, a C model of the export messages
 * (CEB303 order / 9810 booking, CEB505 waybill, CEB603 list, CEB607 list-to-bill
 * link, CEB701 summary request, CEB213 return request, CEB215 tally), field
 * checks in C, XML building and XSD validation with libxml2, enveloped XML
 * signatures (SM2-SM3, RSA-SHA1) with OpenSSL 3, receipt parsing, the monthly
 * summary grouping and the outbox/inbox directory exchange.
 *
 * The message layer touches no store: callers may turn their own records into
 * the structs below. The record layer at the end of this header does that for
 * haicang's records (orders, inbounds, SKUs, registrations) through the store:
 * declarations, list states from receipts, summaries, returns. */
#ifndef HC_CUSTOMS_H
#define HC_CUSTOMS_H

#include "base/base.h"
#include "store/store.h"

#include <libxml/tree.h>
#include <stdio.h>

/* ---- reference data -------------------------------------------------------
 * Code tables from CSV files (UTF-8, one header row, columns found by name).
 * Loaded once, read-only afterwards, so one table may be shared by threads.
 * Lookups are binary searches over sorted arrays. */
enum hc_customs_table {
    HC_CUSTOMS_T_COUNTRY,    /* country_customs_3digit.csv: code,name_zh,iso2,iso3 */
    HC_CUSTOMS_T_CURRENCY,   /* currency_customs_3digit.csv: code,name_zh,iso4217 */
    HC_CUSTOMS_T_UNIT,       /* unit_customs.csv */
    HC_CUSTOMS_T_TRANSPORT,  /* transport_mode.csv */
    HC_CUSTOMS_T_PACKAGE,    /* package_type.csv (2-digit 2018 codes) */
    HC_CUSTOMS_T_TRADE_MODE, /* trade_mode_supervision.csv */
    HC_CUSTOMS_T_TERMS,      /* transaction_terms.csv */
    HC_CUSTOMS_T_COUNT
};

typedef struct hc_customs_ref hc_customs_ref;

/* Loads every table from dir; each file must exist and be well-formed, else
 * HC_EINVAL naming the file and line. *out is owned by the caller. */
int hc_customs_ref_load(hc_customs_ref **out, const char *dir, hc_err *err);
/* Adds the rows of any same-named files present in dir (a missing file is
 * skipped); a row with an existing code replaces it. Used for haicang's own
 * additions (data/customs-codes-extra: trade modes 9710 and 9810, package 98). */
int hc_customs_ref_overlay(hc_customs_ref *ref, const char *dir, hc_err *err);
void hc_customs_ref_free(hc_customs_ref *ref);
size_t hc_customs_ref_count(const hc_customs_ref *ref, int table);
/* The name of code in table, or NULL if the code is not in it. */
const char *hc_customs_ref_name(const hc_customs_ref *ref, int table, const char *code);
/* ISO 3166 alpha-2 or alpha-3 ("US", "USA") -> customs 3-digit ("502"), or NULL. */
const char *hc_customs_country_from_iso(const hc_customs_ref *ref, const char *iso);
/* ISO 4217 ("USD") -> customs 3-digit ("502"), or NULL; and back. */
const char *hc_customs_currency_from_iso(const hc_customs_ref *ref, const char *iso);
const char *hc_customs_currency_iso(const hc_customs_ref *ref, const char *code3);

/* ---- message model ----------------------------------------------------------
 * Member names are the XSD element names, so an error field reads as the XML
 * does. Every value is text as it goes on the wire (decimals as exact decimal
 * strings, at most 5 fraction digits); NULL means "absent". Fields marked (d)
 * take a default when NULL (appType 1, appStatus 2, msgCount/msgSeqNo 1, ...).
 * gnum of goods lines is numbered by the builder from 1, in array order. The
 * structs only borrow their strings. */
typedef struct hc_customs_order_head {
    const char *guid, *appType, *appTime, *appStatus;
    const char *orderType; /* E 9610 B2C, B 9710 B2B, W 9810 booking (订仓单) */
    const char *orderNo;   /* order number, or the booking number for W */
    const char *ebpCode, *ebpName; /* platform; for W the overseas warehouse */
    const char *ebcCode, *ebcName; /* the seller (consignor of the list) */
    const char *goodsValue, *freight, *currency, *note;
} hc_customs_order_head;

typedef struct hc_customs_order_item {
    const char *itemNo, *itemName, *itemDescribe, *barCode, *unit, *currency;
    const char *qty, *price, *totalPrice, *note;
} hc_customs_order_item;

typedef struct hc_customs_order {
    hc_customs_order_head head;
    const hc_customs_order_item *items;
    size_t n_items; /* 1..100 */
} hc_customs_order;

typedef struct hc_customs_waybill { /* CEB505 Logistics */
    const char *guid, *appType, *appTime, *appStatus;
    const char *logisticsCode, *logisticsName, *logisticsNo;
    const char *freight, *insuredFee, *currency, *grossWeight, *packNo, *goodsInfo;
    const char *ebcCode, *ebcName, *ebcTelephone, *note;
} hc_customs_waybill;

typedef struct hc_customs_invt_head { /* CEB603 InventoryHead */
    const char *guid, *appType, *appTime, *appStatus, *customsCode;
    const char *ebpCode, *ebpName, *orderNo, *logisticsCode, *logisticsName, *logisticsNo;
    const char *copNo, *preNo, *invtNo, *ieFlag, *portCode, *ieDate, *statisticsFlag;
    const char *agentCode, *agentName, *ebcCode, *ebcName, *ownerCode, *ownerName;
    const char *iacCode, *iacName, *emsNo, *tradeMode, *trafMode, *trafName, *voyageNo;
    const char *billNo, *totalPackageNo, *loctNo, *licenseNo, *country, *POD;
    const char *freight, *fCurrency, *fFlag, *insuredFee, *iCurrency, *iFlag;
    const char *wrapType, *packNo, *grossWeight, *netWeight, *note;
} hc_customs_invt_head;

typedef struct hc_customs_invt_item { /* CEB603 InventoryList */
    const char *itemNo, *itemRecordNo, *itemName, *gcode, *gname, *gmodel, *barCode;
    const char *country, *currency, *qty, *qty1, *qty2, *unit, *unit1, *unit2;
    const char *price, *totalPrice, *note;
} hc_customs_invt_item;

typedef struct hc_customs_inventory {
    hc_customs_invt_head head;
    const hc_customs_invt_item *items;
    size_t n_items; /* 1..100 */
} hc_customs_inventory;

typedef struct hc_customs_bill_head { /* CEB607 WayBillHead */
    const char *guid, *appType, *appTime, *appStatus, *customsCode, *copNo, *preNo;
    const char *agentCode, *agentName, *loctNo, *trafMode, *trafName, *voyageNo, *billNo;
    const char *domesticTrafNo, *grossWeight, *logisticsCode, *logisticsName;
    const char *msgCount, *msgSeqNo, *note;
} hc_customs_bill_head;

typedef struct hc_customs_bill_item { /* CEB607 WayBillList */
    const char *totalPackageNo, *logisticsNo, *invtNo, *note;
} hc_customs_bill_item;

typedef struct hc_customs_bill {
    hc_customs_bill_head head;
    const hc_customs_bill_item *items;
    size_t n_items; /* 1.. */
} hc_customs_bill;

typedef struct hc_customs_sumapply_head { /* CEB701 SummaryApplyHead */
    const char *guid, *appType, *appTime, *appStatus, *customsCode, *copNo, *preNo, *sumNo;
    const char *agentCode, *agentName, *ebcCode, *ebcName, *declAgentCode, *declAgentName;
    const char *startTime, *endTime, *loctNo;
    const char *summaryFlag;  /* 1 by consignor, 2 consignor + producer/seller */
    const char *itemNameFlag; /* 1 keep the list's item name, 0 (d) by HS class name */
    const char *msgCount, *msgSeqNo, *note;
} hc_customs_sumapply_head;

typedef struct hc_customs_sumapply {
    hc_customs_sumapply_head head;
    const char *const *invtNos; /* the released lists to summarise */
    size_t n_invt;
} hc_customs_sumapply;

typedef struct hc_customs_refund_head { /* CEB213 InvtRefundHead */
    const char *guid, *appType, *appTime, *appStatus, *customsCode, *loctNo;
    const char *ebpCode, *ebpName, *ebcCode, *ebcName, *logisticsNo, *logisticsCode;
    const char *logisticsName, *coElNo, *preNo, *invtNo, *tradeMode, *agentCode, *agentName;
    const char *billNo, *ieFlag /* (d) I */, *trafMode, *trafName, *portCode, *reason;
    const char *country, *voyageNo, *note;
} hc_customs_refund_head;

typedef struct hc_customs_refund_item { /* CEB213 InvtRefundList */
    const char *gnum; /* item number on the original list (not renumbered) */
    const char *gcode, *gname, *gmodel, *qty, *qty1, *unit, *unit1, *qty2, *unit2, *note;
} hc_customs_refund_item;

typedef struct hc_customs_refund {
    hc_customs_refund_head head;
    const hc_customs_refund_item *items;
    size_t n_items; /* 1..100 */
} hc_customs_refund;

typedef struct hc_customs_tally { /* CEB215 InvtRefundDetail */
    const char *guid, *appType, *appTime, *appStatus, *customsCode;
    const char *operatorCode, *operatorName, *logisticsCode, *logisticsName, *logisticsNo;
    const char *invtNo, *coElNo, *preNo, *billNo, *ieFlag /* (d) I */, *trafMode, *trafName;
    const char *voyageNo, *location, *note;
} hc_customs_tally;

typedef struct hc_customs_transfer { /* BaseTransfer: who sends the message */
    const char *copCode, *copName, *dxpMode /* (d) DXP */, *dxpId, *note;
} hc_customs_transfer;

/* One message: type selects which array holds its 1..100 documents. */
typedef struct hc_customs_msg {
    int type;          /* 303, 505, 603, 607, 701, 213 or 215 */
    const char *guid;  /* message guid attribute; generated when NULL */
    hc_customs_transfer transfer;
    size_t n_docs;
    const hc_customs_order *orders;        /* 303 */
    const hc_customs_waybill *waybills;    /* 505 */
    const hc_customs_inventory *lists;     /* 603 */
    const hc_customs_bill *bills;          /* 607 */
    const hc_customs_sumapply *summaries;  /* 701 */
    const hc_customs_refund *refunds;      /* 213 */
    const hc_customs_tally *tallies;       /* 215 */
} hc_customs_msg;

/* A fresh upper-case 36-character guid (UUID v4) into buf (>= 37 bytes). */
void hc_customs_guid(char *buf, size_t size);
/* ms since the epoch as the CEB "YYYYMMDDhhmmss" (Beijing time, UTC+8),
 * buf >= 15 bytes. */
void hc_customs_time14(int64_t ms, char *buf, size_t size);

/* Checks m in C: lengths in characters, required fields, code lists, HS code of
 * exactly 10 digits, decimals (exact, <= 5 places), qty > 0, totalPrice =
 * qty x price, head totals. On error returns HC_EINVAL with err->field set,
 * e.g. "goodsList[1].gcode" (0-based index; "docs[k]." first when n_docs > 1). */
int hc_customs_check(const hc_customs_ref *ref, const hc_customs_msg *m, hc_err *err);

/* Checks m, then builds the XML document (caller frees it with xmlFreeDoc). */
int hc_customs_build(const hc_customs_ref *ref, const hc_customs_msg *m, xmlDocPtr *out,
                     hc_err *err);

/* Message type of a CEB document from its root element ("CEB603Message" -> 603),
 * or 0. */
int hc_customs_doc_type(xmlDocPtr doc);

/* ---- XSD validation ---------------------------------------------------------
 * The schema is parsed once; hc_customs_xsd_validate may then be called from
 * several threads at once (each call has its own validation context). */
typedef struct hc_customs_xsd hc_customs_xsd;
/* path: ceb-export-202205.xsd, or a directory holding it. */
int hc_customs_xsd_load(hc_customs_xsd **out, const char *path, hc_err *err);
void hc_customs_xsd_free(hc_customs_xsd *x);
/* Code lists on a parsed message (for files not built here): country,
 * currency, unit, trafMode and tradeMode elements must hold known codes and
 * gcode 10 digits; empty elements are left to the XSD. Field as in the XSD
 * errors. Signature elements are not looked at. */
int hc_customs_check_doc(const hc_customs_ref *ref, xmlDocPtr doc, hc_err *err);
/* HC_EINVAL with err->field the element path of the first error
 * ("Inventory[0].InventoryHead.country") and the libxml2 message. */
int hc_customs_xsd_validate(hc_customs_xsd *x, xmlDocPtr doc, hc_err *err);

/* ---- signatures -------------------------------------------------------------
 * Enveloped XML-DSig over the whole message: inclusive C14N 1.0 without
 * comments, the enveloped-signature transform, Reference URI="". ds:Signature
 * goes where the XSD puts it: after BaseTransfer/BaseSubscribe, before
 * ExtendMessage. SM2-SM3 signs with the SM2 default id 1234567812345678 and
 * writes r||s (64 bytes) as SignatureValue; RSA-SHA1 is PKCS#1 v1.5. KeyInfo
 * carries the signer's certificate (KeyName: its serial number in hex). */
enum hc_customs_sig_alg {
    HC_CUSTOMS_SIG_AUTO = 0, /* from the key type */
    HC_CUSTOMS_SIG_SM2_SM3 = 1,
    HC_CUSTOMS_SIG_RSA_SHA1 = 2,
};
#define HC_CUSTOMS_ALG_SM2_SM3 "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"
#define HC_CUSTOMS_ALG_SM3 "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
#define HC_CUSTOMS_ALG_RSA_SHA1 "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
#define HC_CUSTOMS_ALG_SHA1 "http://www.w3.org/2000/09/xmldsig#sha1"

typedef struct hc_customs_signer hc_customs_signer;
/* Reads a private key and its certificate (PEM); the key must match the
 * certificate and the algorithm. The key is wiped on free. */
int hc_customs_signer_load(hc_customs_signer **out, const char *key_pem, const char *cert_pem,
                           int alg, hc_err *err);
void hc_customs_signer_free(hc_customs_signer *s);
/* Signs doc in place (an existing ds:Signature is refused, HC_ECONFLICT).
 * A signer is not shared between threads. */
int hc_customs_sign(hc_customs_signer *s, xmlDocPtr doc, hc_err *err);
/* Verifies the signature of doc against cert_pem, or against the certificate
 * in KeyInfo when cert_pem is NULL. HC_EINVAL ("Signature...") on any
 * mismatch. *alg_out (may be NULL) gets the algorithm found. */
int hc_customs_verify(xmlDocPtr doc, const char *cert_pem, int *alg_out, hc_err *err);

/* ---- receipts ---------------------------------------------------------------
 * CEB304, 506, 604, 606, 608, 702, 214, 216 (one entry per ...Return) and
 * CEB792 (one entry per SummaryResult). Elements are matched by name, not by
 * position, because the official samples do not always follow the XSD order.
 * All strings live in the arena given; absent ones are "". */
typedef struct hc_customs_result_item { /* CEB792 SummaryResultList */
    const char *invtNo, *logisticsNo, *gcode;
    int gnum;   /* item number on the list */
    int gseqno; /* item number on the declaration; 0 when absent (old samples) */
} hc_customs_result_item;

typedef struct hc_customs_receipt {
    const char *guid;  /* the guid of the document this receipt answers */
    const char *copNo; /* copNo, or coElNo (214/216) */
    const char *preNo, *invtNo, *orderNo, *logisticsNo, *billNo, *sumNo;
    const char *status;     /* returnStatus, or decState for 792, as sent */
    int returnStatus;       /* status as a number (0 if not numeric) */
    const char *returnTime; /* yyyyMMddHHmmssfff, or opDate for 792 */
    const char *returnInfo;
    const char *entryId, *declSeqNo; /* 792 */
    const hc_customs_result_item *items; /* 792 */
    size_t n_items;
} hc_customs_receipt;

typedef struct hc_customs_receipts {
    int type;         /* 304, 506, 604, 606, 608, 702, 792, 214, 216 */
    const char *guid; /* message guid */
    const hc_customs_receipt *r;
    size_t n;
} hc_customs_receipts;

/* Parses a receipt message of at most 16 MiB. HC_EINVAL for malformed XML or a
 * root that is not one of the receipt types. */
int hc_customs_receipt_parse(hc_arena *a, const char *data, size_t n, hc_customs_receipts *out,
                             hc_err *err);
int hc_customs_receipt_parse_file(hc_arena *a, const char *path, hc_customs_receipts *out,
                                  hc_err *err);
/* "released", "rejected", ... for a CEB returnStatus; "error" when < 0. */
const char *hc_customs_status_name(int status);

/* ---- summary grouping (汇总申报) ----------------------------------------------
 * Pure function over released lists. Head keys: consignor (ebcCode), transport
 * mode, producer/seller (ownerCode, summaryFlag 2 only), destination country,
 * exit customs (portCode), and the declaring customs (customsCode: one CEB701
 * goes to one customs office). Line keys: final destination country, 10-digit HS
 * code, currency, legal unit, and the list's item name when itemNameFlag is 1.
 * Sums are exact (scale 5). Input strings must outlive the result. */
typedef struct hc_customs_rel_item {
    const char *gcode, *itemName, *country, *currency, *unit1;
    const char *qty1, *totalPrice; /* exact decimals, <= 5 places */
} hc_customs_rel_item;

typedef struct hc_customs_rel_list {
    const char *invtNo, *ebcCode, *ownerCode, *trafMode, *country, *portCode;
    const char *customsCode; /* the declaring customs of the list (CEB603 customsCode) */
    const char *grossWeight, *netWeight;
    const hc_customs_rel_item *items;
    size_t n_items;
} hc_customs_rel_list;

typedef struct hc_customs_sum_line {
    const char *gcode, *country, *currency, *unit1, *itemName; /* itemName NULL unless flag 1 */
    int64_t qty1, totalPrice; /* scale 5 */
    size_t n_items;           /* list items merged into this line */
} hc_customs_sum_line;

#define HC_CUSTOMS_SUM_LINES_MAX 50 /* lines (items) of one customs declaration */

/* One summary declaration. A merge group with more than 50 line keys is
 * split into several (part 1..n_parts of the group, the same head keys):
 * whole lists are packed so that each declaration has at most 50 lines. */
typedef struct hc_customs_summary {
    const char *ebcCode, *ownerCode /* NULL for summaryFlag 1 */, *trafMode, *country, *portCode;
    const char *customsCode;
    size_t part, n_parts;
    int64_t grossWeight, netWeight, totalPrice; /* scale 5; totalPrice over all currencies' lines */
    const char **invtNos;
    size_t n_invt;
    hc_customs_sum_line *lines;
    size_t n_lines;
} hc_customs_summary;

/* Groups n lists into *out (arena-allocated, in order of first appearance),
 * one entry per declaration (a group over 50 lines gives several). HC_EINVAL
 * naming "lists[i].items[j].field" for a bad decimal or missing key, and
 * "lists[i].items" for a list whose own items give more than 50 lines. */
int hc_customs_summarise(hc_arena *a, const hc_customs_rel_list *lists, size_t n,
                         int summaryFlag, int itemNameFlag, hc_customs_summary **out,
                         size_t *n_out, hc_err *err);

/* ---- exchange by directory ----------------------------------------------------
 * Writes doc into outbox_dir atomically: a ".tmp" file is written, fsynced and
 * renamed to <name>.xml (name: "CEB603_<guid>" by default when name is NULL).
 * The final path goes to path_out when given. */
int hc_customs_outbox_write(const char *outbox_dir, xmlDocPtr doc, const char *name,
                            char *path_out, size_t path_size, hc_err *err);
/* The whole outgoing path: C checks, build, XSD validation, signature (signer
 * may be NULL for an unsigned draft), outbox write. Nothing is written unless
 * every step passed. */
int hc_customs_submit(const hc_customs_ref *ref, hc_customs_xsd *xsd, hc_customs_signer *signer,
                      const hc_customs_msg *m, const char *outbox_dir, char *path_out,
                      size_t path_size, hc_err *err);

/* Called for each parsed receipt file; return HC_OK to move it to processed/,
 * anything else to move it to failed/. */
typedef int (*hc_customs_receipt_fn)(void *ctx, const char *path, const hc_customs_receipts *r,
                                     hc_err *err);
/* Scans inbox_dir (*.xml, in name order), parses each file and hands it to fn.
 * Files that do not parse, or that fn refuses, go to inbox_dir/failed/, the
 * others to inbox_dir/processed/ (both created when missing). */
int hc_customs_inbox_scan(const char *inbox_dir, hc_customs_receipt_fn fn, void *ctx,
                          size_t *n_ok, size_t *n_failed, hc_err *err);

/* ==== records: declarations from haicang's own data, through the store ======
 * Tables of migrations 2 and 4 (customs_registrations, customs_lists,
 * customs_list_items, customs_history, customs_messages, customs_summaries,
 * customs_returns), every one keyed by seller first. A list's copNo is its id
 * ("cil_..."). Mutating functions run in the caller's write transaction (a job
 * of hc_db_write); strings in results live in the caller's arena. Messages are
 * built from records only, checked in C, validated against the XSD, signed
 * when a key is configured and stored (customs_messages.xml, the exact bytes
 * to send) with outbox state 'queued'; the job writes no file. Once the job's
 * transaction is durable the caller writes the files with
 * hc_customs_flush_outbox(_db), which marks them 'sent'. When any step of a
 * job fails nothing is stored, so no file can be written for it. */
/* Where things are; every field may be NULL for "default". */
typedef struct hc_customs_config {
    const char *dir;      /* HAICANG_CUSTOMS_DIR, default ./customs */
    const char *outbox;   /* HAICANG_CUSTOMS_OUTBOX, default DIR/outbox */
    const char *inbox;    /* HAICANG_CUSTOMS_INBOX, default DIR/inbox */
    const char *refdata;  /* HAICANG_CUSTOMS_REFDATA, default data/customs-codes */
    const char *refextra; /* HAICANG_CUSTOMS_REFEXTRA, default data/customs-codes-extra */
    const char *xsd;      /* HAICANG_CUSTOMS_XSD, default data/customs-ceb-202205/xsd */
    const char *key_pem, *cert_pem; /* HAICANG_CUSTOMS_KEY / _CERT: sign when both set */
    const char *customs_code; /* HAICANG_CUSTOMS_CODE: default 4-digit customs/port code */
    /* HAICANG_CUSTOMS_UNSIGNED: "test-only" lets CEB603/607/701 go unsigned
     * when no key is configured (a test environment); otherwise they are
     * refused, since the spec makes their signature mandatory. */
    const char *unsigned_mode;
} hc_customs_config;

/* HC_EINVAL naming the variable when the configuration cannot be right: a
 * key without its certificate or the reverse, HAICANG_CUSTOMS_UNSIGNED not
 * "test-only". `haicang serve` refuses to start on it. */
int hc_customs_config_check(const hc_customs_config *c, hc_err *err);

/* The outbox directory c names (c->outbox, else c->dir/outbox, else
 * customs/outbox), without loading or creating anything. */
void hc_customs_config_outbox(const hc_customs_config *c, char *buf, size_t size);

/* Fills c from the environment (unset variables stay NULL). */
void hc_customs_config_env(hc_customs_config *c);

/* The code tables, haicang's additions to them and the XSD folder: c's
 * value, else the folder under data/ found by hc_data_path (base.h: from the
 * binary, installed or build tree; HAICANG_DATA moves them all). A path that
 * does not exist is returned as it is; loading it names it. */
typedef struct hc_customs_paths {
    char refdata[1024], refextra[1024], xsd[1024];
} hc_customs_paths;
void hc_customs_config_paths(const hc_customs_config *c, hc_customs_paths *p);

/* Everything loaded once per process: code tables, the schema, the signer
 * (optional), the directories (created when missing). Shared by threads;
 * signing is serialised inside. */
typedef struct hc_customs_ctx hc_customs_ctx;
int hc_customs_ctx_open(hc_customs_ctx **out, const hc_customs_config *c, hc_err *err);
void hc_customs_ctx_free(hc_customs_ctx *x);
const char *hc_customs_ctx_outbox(const hc_customs_ctx *x);
const char *hc_customs_ctx_inbox(const hc_customs_ctx *x);
bool hc_customs_ctx_signs(const hc_customs_ctx *x);
/* True when unsigned output was configured for a test environment. */
bool hc_customs_ctx_unsigned_ok(const hc_customs_ctx *x);

/* ---- the outbox of the record layer ----------------------------------------
 * A message row is 'queued' when its job commits, 'sent' once its file is in
 * the outbox. The file is named after the message ("CEB603_<guid>.xml") and
 * written via a temp file, fsync and rename (and a directory fsync), so a
 * message written twice (a crash between the file and its mark) is still one
 * file with the same bytes; the DXP client may then see it twice, never zero
 * times. */
struct hc_customs_outmsg {
    const char *seller, *guid, *file, *xml;
};
/* Queued messages of document doc (a list, summary, return or bill id), or
 * of all documents when doc is NULL, oldest first, at most limit (0: 500). */
int hc_customs_outbox_queued(hc_store *s, hc_arena *a, const char *doc, size_t limit,
                             struct hc_customs_outmsg **out, size_t *n, hc_err *err);
/* Writes bytes as outbox/file atomically (replacing a file of that name). */
int hc_customs_outbox_put(const char *outbox, const char *file, const char *bytes, size_t n,
                          hc_err *err);
/* Marks messages 'sent'; in the caller's write transaction. */
int hc_customs_outbox_mark_sent(hc_store *s, const struct hc_customs_outmsg *m, size_t n,
                                hc_err *err);
/* Writes every queued message of docs[0..n_docs) (docs NULL: of every
 * document), then marks them sent. hc_customs_flush_outbox takes a connection
 * of the caller's own that is not inside a transaction (CLI); the _db form
 * reads on the calling thread's reader and marks through hc_db_write (server:
 * after a customs job committed, and once at start-up with docs NULL). On a
 * write error the messages not written stay queued for the next flush.
 * *n_written (may be NULL) counts the files written. */
int hc_customs_flush_outbox(hc_store *s, const char *outbox, const char *const *docs,
                            size_t n_docs, size_t *n_written, hc_err *err);
int hc_customs_flush_outbox_db(hc_db *db, const char *outbox, const char *const *docs,
                               size_t n_docs, size_t *n_written, hc_err *err);

/* Demo data (haicang demo): registers the demo sellers' customs parties
 * (SZ-ANKO, YW-HOMA: consignor, platform, DHL / UPS, a declaring agent),
 * declares their received inbounds as 9810 (split into lists of 100 lines)
 * and a few delivered orders as 9610, then writes the outbox. Loads its own
 * context from the environment; when that fails (no code tables or XSD) it
 * prints a note to out and returns HC_OK without touching the database.
 * s: a connection not inside a transaction. */
int hc_customs_demo_seed(hc_store *s, FILE *out, hc_err *err);

/* Enterprise registration of one role for a seller. Roles: "ebc" (the seller
 * itself: consignor, producer/seller), "ebp" (platform, 9610/9710), "logistics",
 * "agent" (declaring agent; sends the messages: its dxp_id is the DXP sender),
 * "warehouse" (the overseas warehouse as booking party of 9810). Code: 10 or
 * 18 characters [0-9A-Z]. Without an "ebc" row the seller's customs_code and
 * name are used; without an "agent" the seller declares itself. */
#define HC_CUSTOMS_ROLES "ebc|ebp|logistics|agent|warehouse"
struct hc_customs_registration {
    const char *seller, *role, *code, *name, *dxp_id;
    int64_t created_at, updated_at;
};
/* Creates or replaces (seller, role). Fields named as in the struct. */
int hc_customs_registration_put(hc_store *s, const struct hc_customs_registration *r,
                                hc_err *err);
int hc_customs_registration_list(hc_store *s, hc_arena *a, const char *seller,
                                 struct hc_customs_registration **items, size_t *n, hc_err *err);

/* List states (CEB returnStatus) and inspection marks. */
#define HC_CUSTOMS_DRAFT 1
#define HC_CUSTOMS_DECLARED 2
#define HC_CUSTOMS_REJECTED 100
#define HC_CUSTOMS_INSPECTION 500
#define HC_CUSTOMS_RELEASED 800
#define HC_CUSTOMS_CLEARED 899

struct hc_customs_list_item {
    int64_t gnum, qty, entry_gnum; /* entry_gnum 0 until CEB792 */
    const char *sku, *item_name, *gname, *gcode, *unit, *qty1, *unit1, *price, *total_price;
    const char *currency, *country, *entry_id;
};
struct hc_customs_event {
    int64_t state, at;
    const char *receipt; /* "CEB604", "declare", "inspect", ... */
    const char *info, *actor;
};
struct hc_customs_msg_ref {
    int64_t type, created_at;
    const char *guid, *file;
    const char *outbox; /* "queued" until the file is written after the commit, then "sent" */
};
struct hc_customs_list {
    const char *id, *seller, *trade_mode, *ref_kind /* order|inbound */, *ref, *warehouse;
    const char *cop_no, *invt_guid, *pre_no, *invt_no, *order_no, *logistics_no;
    int64_t state;
    const char *state_name, *state_info;
    const char *inspection; /* "" | "held" | "done" | "removed" */
    const char *entry_id, *customs_code, *port_code, *traf_mode, *country, *currency;
    const char *ebc_code, *owner_code, *total_price, *gross_weight, *net_weight;
    const char *bill_no, *summary_id;
    int64_t released_at, created_at, updated_at; /* released_at 0 until 800 */
    /* A record with more than 100 goods lines is declared as several lists:
     * this is part `part` of `parts`; decl is the first part's id. */
    const char *decl;
    int64_t part, parts;
    const char **part_ids; /* every part's id in order (list_get only) */
    size_t n_part_ids;
    struct hc_customs_list_item *items;
    size_t n_items;
    struct hc_customs_event *history;
    size_t n_history;
    struct hc_customs_msg_ref *messages;
    size_t n_messages;
};

/* What to declare: an order (9610, or 9710 as a B2B order) or an inbound
 * (9810: CEB303 booking with the warehouse as booking party + CEB603 for the
 * ASN's lines). customs_code/port_code default to the configured code;
 * traf_mode (transport mode code) defaults to 5 (air) for 9610, 2 (sea)
 * otherwise. */
struct hc_customs_declare {
    const char *trade_mode; /* "9610" | "9710" | "9810" */
    const char *order_id, *inbound_id; /* exactly one; inbound only for 9810 */
    const char *customs_code, *port_code, *traf_mode;
    const char *actor;
    const char *tenant_seller; /* when set, another seller's record is "not found" */
};
/* Builds, validates, signs, stores and writes the messages (9610: CEB303 +
 * CEB505 + CEB603; 9710: CEB303 + CEB603; 9810: CEB303 W + CEB603) and
 * creates the list in state 2 (declared). HC_ECONFLICT when the record has a
 * list that is not rejected or in error; HC_EINVAL naming the field (a record
 * field such as "registrations.ebp", or the message field such as
 * "CEB603.goodsList[0].gcode"). */
int hc_customs_declare(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                       const struct hc_customs_declare *d, struct hc_customs_list *out,
                       hc_err *err);

/* The list with items, history and the messages sent. */
int hc_customs_list_get(hc_store *s, hc_arena *a, const char *id, struct hc_customs_list *out,
                        hc_err *err);
struct hc_customs_list_filter {
    const char *seller;
    int64_t state; /* 0: any */
    const char *month; /* "YYYY-MM": released in that month (Beijing time), or NULL */
    const char *cursor;
    int limit; /* 1..1000 */
};
/* Newest first, without items/history. *next: cursor of the next page or NULL. */
int hc_customs_list_find(hc_store *s, hc_arena *a, const struct hc_customs_list_filter *f,
                         struct hc_customs_list **items, size_t *n, const char **next,
                         hc_err *err);
/* The stored XML of a document's message of type msg_type (303, 505, 603, 607,
 * 701, 213, 215); doc is a list, summary or return id. The newest if several.
 * *seller gets the owner (for tenancy). HC_ENOTFOUND when absent. */
int hc_customs_message_xml(hc_store *s, hc_arena *a, const char *doc, int msg_type,
                           const char **seller, const char **xml, hc_err *err);

/* Applies one parsed receipt message: list states from 604 (by copNo, else
 * invtNo; out-of-order receipts are recorded but never move a state back in
 * time), 304/506/606 onto their list (a rejection stops it), 608 onto the bill's lists,
 * 702 onto summaries, 792 entry ids onto summaries, lists and list items, 214/216
 * onto returns. Every receipt that names a list is recorded in its history;
 * a rejected or failed list keeps returnInfo as state_info. *applied counts
 * the documents that matched; HC_ENOTFOUND naming "copNo" when none did. */
int hc_customs_receipt_apply(hc_store *s, const hc_customs_receipts *r, const char *actor,
                             size_t *applied, hc_err *err);

/* Inspect-before-load. action "hold" marks a list held for inspection,
 * "done" records the inspection finished (goods may be loaded), "remove" takes
 * a held list out of the container so the others can go. Recorded in the
 * history with info. HC_ECONFLICT when the list's mark does not allow it. */
int hc_customs_inspection(hc_store *s, const char *list_id, const char *action,
                          const char *info, const char *actor, hc_err *err);
/* True only when every list given is released (800/899) or its inspection is
 * done, or was taken out. *blocking (may be NULL) gets every list that holds
 * the container, in the order given (arena array of *n_blocking ids). */
int hc_customs_container_can_close(hc_store *s, hc_arena *a, const char *const *list_ids,
                                   size_t n, bool *ok, const char ***blocking, size_t *n_blocking,
                                   hc_err *err);

/* CEB607: links lists (by id, all of one seller, declared and not rejected)
 * to a bill of lading / master package of the head-haul leg. */
struct hc_customs_bill_req {
    const char *seller, *bill_no, *traf_mode, *traf_name, *voyage_no, *gross_weight;
    const char *const *list_ids;
    size_t n_lists;
    const char *actor;
};
int hc_customs_bill_link(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                         const struct hc_customs_bill_req *b, const char **bill_cop_no,
                         hc_err *err);

/* CEB701 over the seller's lists released in month ("YYYY-MM", Beijing time)
 * that are not yet in a summary, grouped by the RULES.md merge keys and the
 * declaring customs; one message and one customs_summaries row per
 * declaration (a group over 50 lines is split, see hc_customs_summarise).
 * summary_flag 1|2, item_name_flag 0|1. A month is summarised once, after
 * it has ended: HC_ECONFLICT naming "month" before its end, when it was
 * summarised already, or when no list is due. Lists released in it that
 * customs reported after that go into a supplementary declaration, asked
 * for with supplement (HC_ECONFLICT naming "supplement" when the month has
 * no summary yet): appType 1 (a new request: the first one may already be a
 * customs declaration, so it is not changed), its note saying
 * "补充申报 supplementary declaration ... after summary <first>". */
struct hc_customs_summary_row {
    const char *id, *seller, *month, *guid, *sum_no, *ebc_code, *owner_code, *traf_mode;
    const char *country, *port_code, *total_price, *entry_id;
    int64_t summary_flag, item_name_flag, n_lists, n_lines, state, created_at;
    int64_t part, parts; /* declaration part of parts of one merge group (n_lines <= 50) */
    const char **list_ids;
    const char *customs_code; /* the declaring customs (CEB701 customsCode) */
    bool supplement;          /* a supplementary declaration ... */
    const char *supplement_of; /* ... after this first summary of the month */
};
int hc_customs_summary_run(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *seller,
                           const char *month, int summary_flag, int item_name_flag,
                           bool supplement, const char *actor,
                           struct hc_customs_summary_row **out, size_t *n, hc_err *err);

/* CEB213 return of a released 9610 list, whole or some items (gnum, qty);
 * customs_code/port_code of the site it re-enters through (cross-zone when
 * they differ from the list's). Must re-enter within 365 days of release
 * (GACC 2020 No. 44, unconfirmed). */
struct hc_customs_return_item {
    int64_t gnum, qty;
};
struct hc_customs_return_req {
    const char *list_id, *customs_code, *port_code, *reason, *logistics_no;
    const char *traf_mode, *traf_name, *voyage_no, *bill_no;
    const struct hc_customs_return_item *items; /* NULL/0: every item, full qty */
    size_t n_items;
    const char *actor, *tenant_seller;
};
struct hc_customs_return {
    const char *id, *seller, *list_id, *guid, *customs_code, *port_code, *reason;
    const char *logistics_no, *state_info;
    bool cross_zone;
    int64_t state, tallied_at, created_at;
};
int hc_customs_return_start(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                            const struct hc_customs_return_req *r, struct hc_customs_return *out,
                            hc_err *err);
/* CEB215 tally of a return's arrival at its site. */
int hc_customs_return_tally(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *return_id,
                            const char *operator_code, const char *operator_name,
                            const char *location, const char *actor,
                            struct hc_customs_return *out, hc_err *err);
int hc_customs_return_get(hc_store *s, hc_arena *a, const char *id,
                          struct hc_customs_return *out, hc_err *err);

#endif

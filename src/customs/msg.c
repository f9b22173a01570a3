/* msg.c: the CEB message model as tables of fields, checked in C and built
 * into XML with libxml2. One table per XSD entity lists its elements in XSD
 * order with the spec's length and code rules; checking and building both walk
 * the same table, so they cannot disagree about a field. */
#include "customs.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CEB_NS "http://www.chinaport.gov.cn/ceb"
#define DEC_INT_DIGITS 13 /* 13 + 5 fraction digits fit int64 at scale 5 */

enum kind {
    K_STR,    /* text, max characters */
    K_DIGITS, /* exactly max digits (HS code, customs code, wrapType) */
    K_CODE,   /* a code from reference table .table */
    K_ENUM,   /* one of .opts, "|"-separated */
    K_GUID,   /* 36 characters, upper case */
    K_TIME14, /* YYYYMMDDhhmmss */
    K_DATE8,  /* YYYYMMDD */
    K_DEC,    /* exact decimal >= 0, <= 5 places */
    K_DECPOS, /* exact decimal > 0 */
    K_INT,    /* integer 1 .. 10^max - 1 */
    K_GNUM,   /* generated: 1-based position of the goods line */
};

typedef struct fld {
    const char *name;
    unsigned short off;
    unsigned char kind, req;
    unsigned short min, max; /* characters (K_STR), digits (K_DIGITS, K_INT) */
    signed char table;
    const char *opts; /* K_ENUM */
    const char *dflt; /* used when the field is NULL */
} fld;

typedef struct ent {
    const char *name;
    const fld *f;
    size_t nf;
} ent;

#define STR(s, n, r, mx) {#n, offsetof(s, n), K_STR, r, 0, mx, -1, NULL, NULL}
#define STRN(s, n, r, mn, mx) {#n, offsetof(s, n), K_STR, r, mn, mx, -1, NULL, NULL}
#define DIG(s, n, r, len) {#n, offsetof(s, n), K_DIGITS, r, len, len, -1, NULL, NULL}
#define CODE(s, n, r, t) {#n, offsetof(s, n), K_CODE, r, 0, 8, t, NULL, NULL}
#define ENUM(s, n, r, o, d) {#n, offsetof(s, n), K_ENUM, r, 0, 0, -1, o, d}
#define GUID(s, n) {#n, offsetof(s, n), K_GUID, 1, 36, 36, -1, NULL, NULL}
#define T14(s, n, r) {#n, offsetof(s, n), K_TIME14, r, 14, 14, -1, NULL, NULL}
#define D8(s, n, r) {#n, offsetof(s, n), K_DATE8, r, 8, 8, -1, NULL, NULL}
#define DEC(s, n, r) {#n, offsetof(s, n), K_DEC, r, 0, 0, -1, NULL, NULL}
#define DECP(s, n, r) {#n, offsetof(s, n), K_DECPOS, r, 0, 0, -1, NULL, NULL}
#define INT(s, n, r, d, dflt) {#n, offsetof(s, n), K_INT, r, 1, d, -1, NULL, dflt}
#define GNUM {"gnum", 0, K_GNUM, 1, 0, 0, -1, NULL, NULL}
#define APP(s)                                                                                    \
    GUID(s, guid), ENUM(s, appType, 1, "1|2|3", "1"), T14(s, appTime, 1),                        \
        ENUM(s, appStatus, 1, "1|2", "2")
#define ENT(n, a) {n, a, HC_ARRAY_LEN(a)}

enum { TC = HC_CUSTOMS_T_COUNTRY, TY = HC_CUSTOMS_T_CURRENCY, TU = HC_CUSTOMS_T_UNIT,
       TT = HC_CUSTOMS_T_TRANSPORT, TM = HC_CUSTOMS_T_TRADE_MODE };

/* ---- CEB303 ---- */
#define S hc_customs_order_head
static const fld order_head_f[] = {
    APP(S), ENUM(S, orderType, 1, "E|B|W", NULL), STR(S, orderNo, 1, 60),
    STR(S, ebpCode, 1, 18), STR(S, ebpName, 1, 100), STR(S, ebcCode, 1, 18),
    STR(S, ebcName, 1, 100), DECP(S, goodsValue, 1), DEC(S, freight, 1),
    CODE(S, currency, 1, TY), STR(S, note, 0, 1000),
};
#undef S
#define S hc_customs_order_item
static const fld order_item_f[] = {
    GNUM, STR(S, itemNo, 1, 30), STR(S, itemName, 1, 250), STR(S, itemDescribe, 0, 1000),
    STR(S, barCode, 0, 50), CODE(S, unit, 1, TU), CODE(S, currency, 1, TY),
    DECP(S, qty, 1), DECP(S, price, 1), DECP(S, totalPrice, 1), STR(S, note, 0, 1000),
};
#undef S

/* ---- CEB505 ---- */
#define S hc_customs_waybill
static const fld waybill_f[] = {
    APP(S), STR(S, logisticsCode, 1, 18), STR(S, logisticsName, 1, 100),
    STR(S, logisticsNo, 1, 32), DEC(S, freight, 1), DEC(S, insuredFee, 1),
    CODE(S, currency, 1, TY), DECP(S, grossWeight, 1), INT(S, packNo, 1, 9, NULL),
    STR(S, goodsInfo, 1, 200), STR(S, ebcCode, 0, 18), STR(S, ebcName, 0, 100),
    STR(S, ebcTelephone, 0, 50), STR(S, note, 0, 1000),
};
#undef S

/* ---- CEB603 ---- */
#define S hc_customs_invt_head
static const fld invt_head_f[] = {
    APP(S), DIG(S, customsCode, 1, 4), STR(S, ebpCode, 1, 18), STR(S, ebpName, 1, 100),
    STR(S, orderNo, 1, 60), STR(S, logisticsCode, 1, 18), STR(S, logisticsName, 1, 100),
    STR(S, logisticsNo, 1, 32), STR(S, copNo, 1, 30), STRN(S, preNo, 0, 18, 18),
    STR(S, invtNo, 0, 20), ENUM(S, ieFlag, 1, "E", "E"), DIG(S, portCode, 1, 4),
    D8(S, ieDate, 1), ENUM(S, statisticsFlag, 1, "A|B", NULL), STR(S, agentCode, 1, 18),
    STR(S, agentName, 1, 100), STR(S, ebcCode, 1, 18), STR(S, ebcName, 1, 100),
    STR(S, ownerCode, 1, 18), STR(S, ownerName, 1, 100), STR(S, iacCode, 0, 18),
    STR(S, iacName, 0, 100), STR(S, emsNo, 0, 30), CODE(S, tradeMode, 1, TM),
    CODE(S, trafMode, 1, TT), STR(S, trafName, 0, 100), STR(S, voyageNo, 0, 32),
    STR(S, billNo, 0, 37), STR(S, totalPackageNo, 0, 37), STR(S, loctNo, 0, 10),
    STR(S, licenseNo, 0, 19), CODE(S, country, 1, TC), STRN(S, POD, 1, 3, 4),
    DEC(S, freight, 1), CODE(S, fCurrency, 1, TY), ENUM(S, fFlag, 1, "1|2|3", "3"),
    DEC(S, insuredFee, 1), CODE(S, iCurrency, 1, TY), ENUM(S, iFlag, 1, "1|2|3", "3"),
    DIG(S, wrapType, 1, 1), INT(S, packNo, 1, 9, NULL), DECP(S, grossWeight, 1),
    DECP(S, netWeight, 1), STR(S, note, 0, 1000),
};
#undef S
#define S hc_customs_invt_item
static const fld invt_item_f[] = {
    GNUM, STR(S, itemNo, 1, 20), STR(S, itemRecordNo, 0, 30), STR(S, itemName, 0, 250),
    DIG(S, gcode, 1, 10), STR(S, gname, 1, 250), STR(S, gmodel, 1, 250),
    STR(S, barCode, 1, 50), CODE(S, country, 1, TC), CODE(S, currency, 1, TY),
    DECP(S, qty, 1), DECP(S, qty1, 1), DECP(S, qty2, 0), CODE(S, unit, 1, TU),
    CODE(S, unit1, 1, TU), CODE(S, unit2, 0, TU), DECP(S, price, 1), DECP(S, totalPrice, 1),
    STR(S, note, 0, 1000),
};
#undef S

/* ---- CEB607 ---- */
#define S hc_customs_bill_head
static const fld bill_head_f[] = {
    APP(S), DIG(S, customsCode, 1, 4), STR(S, copNo, 1, 30), STRN(S, preNo, 0, 18, 18),
    STR(S, agentCode, 1, 18), STR(S, agentName, 1, 100), STR(S, loctNo, 0, 10),
    CODE(S, trafMode, 1, TT), STR(S, trafName, 1, 100), STR(S, voyageNo, 1, 32),
    STR(S, billNo, 1, 37), STR(S, domesticTrafNo, 0, 100), DECP(S, grossWeight, 1),
    STR(S, logisticsCode, 1, 18), STR(S, logisticsName, 1, 100),
    INT(S, msgCount, 1, 9, "1"), INT(S, msgSeqNo, 1, 9, "1"), STR(S, note, 0, 1000),
};
#undef S
#define S hc_customs_bill_item
static const fld bill_item_f[] = {
    GNUM, STR(S, totalPackageNo, 0, 60), STR(S, logisticsNo, 1, 32), STR(S, invtNo, 0, 20),
    STR(S, note, 0, 1000),
};
#undef S

/* ---- CEB701 ---- */
#define S hc_customs_sumapply_head
static const fld sum_head_f[] = {
    APP(S), DIG(S, customsCode, 1, 4), STR(S, copNo, 1, 30), STR(S, preNo, 0, 18),
    STR(S, sumNo, 0, 18), STR(S, agentCode, 1, 18), STR(S, agentName, 1, 100),
    STR(S, ebcCode, 1, 18), STR(S, ebcName, 1, 100), STR(S, declAgentCode, 1, 18),
    STR(S, declAgentName, 1, 100), T14(S, startTime, 0), T14(S, endTime, 0),
    STR(S, loctNo, 0, 10), ENUM(S, summaryFlag, 1, "1|2", NULL),
    ENUM(S, itemNameFlag, 1, "0|1", "0"), INT(S, msgCount, 1, 9, "1"),
    INT(S, msgSeqNo, 1, 9, "1"), STR(S, note, 0, 1000),
};
#undef S
typedef struct invt_ref {
    const char *invtNo;
} invt_ref;
static const fld sum_item_f[] = {STR(invt_ref, invtNo, 1, 20)};

/* ---- CEB213 ---- */
#define S hc_customs_refund_head
static const fld refund_head_f[] = {
    APP(S), DIG(S, customsCode, 1, 4), STR(S, loctNo, 0, 10), STR(S, ebpCode, 1, 18),
    STR(S, ebpName, 1, 100), STR(S, ebcCode, 1, 18), STR(S, ebcName, 1, 100),
    STR(S, logisticsNo, 1, 80), STR(S, logisticsCode, 1, 18), STR(S, logisticsName, 1, 100),
    STR(S, coElNo, 1, 30), STR(S, preNo, 0, 18), STR(S, invtNo, 1, 20),
    CODE(S, tradeMode, 0, TM), STR(S, agentCode, 1, 18), STR(S, agentName, 1, 100),
    STR(S, billNo, 1, 37), ENUM(S, ieFlag, 1, "I", "I"), CODE(S, trafMode, 1, TT),
    STR(S, trafName, 1, 100), DIG(S, portCode, 1, 4), STR(S, reason, 1, 500),
    CODE(S, country, 1, TC), STR(S, voyageNo, 1, 32), STR(S, note, 0, 500),
};
#undef S
#define S hc_customs_refund_item
static const fld refund_item_f[] = {
    INT(S, gnum, 1, 4, NULL), DIG(S, gcode, 1, 10), STR(S, gname, 1, 250),
    STR(S, gmodel, 1, 250), DECP(S, qty, 1), DECP(S, qty1, 1), CODE(S, unit, 1, TU),
    CODE(S, unit1, 1, TU), DECP(S, qty2, 0), CODE(S, unit2, 0, TU), STR(S, note, 0, 500),
};
#undef S

/* ---- CEB215 ---- */
#define S hc_customs_tally
static const fld tally_f[] = {
    APP(S), DIG(S, customsCode, 1, 4), STR(S, operatorCode, 1, 18),
    STR(S, operatorName, 1, 100), STR(S, logisticsCode, 1, 18), STR(S, logisticsName, 1, 100),
    STR(S, logisticsNo, 1, 80), STR(S, invtNo, 0, 20), STR(S, coElNo, 1, 20),
    STR(S, preNo, 0, 18), STR(S, billNo, 1, 37), ENUM(S, ieFlag, 1, "I", "I"),
    CODE(S, trafMode, 1, TT), STR(S, trafName, 1, 100), STR(S, voyageNo, 1, 32),
    STR(S, location, 0, 250), STR(S, note, 0, 250),
};
#undef S

#define S hc_customs_transfer
static const fld transfer_f[] = {
    STR(S, copCode, 1, 18), STR(S, copName, 1, 100), ENUM(S, dxpMode, 1, "DXP", "DXP"),
    STR(S, dxpId, 1, 30), STR(S, note, 0, 1000),
};
#undef S

static const ent e_order_head = ENT("OrderHead", order_head_f);
static const ent e_order_item = ENT("OrderList", order_item_f);
static const ent e_waybill = ENT("Logistics", waybill_f);
static const ent e_invt_head = ENT("InventoryHead", invt_head_f);
static const ent e_invt_item = ENT("InventoryList", invt_item_f);
static const ent e_bill_head = ENT("WayBillHead", bill_head_f);
static const ent e_bill_item = ENT("WayBillList", bill_item_f);
static const ent e_sum_head = ENT("SummaryApplyHead", sum_head_f);
static const ent e_sum_item = ENT("SummaryApplyList", sum_item_f);
static const ent e_refund_head = ENT("InvtRefundHead", refund_head_f);
static const ent e_refund_item = ENT("InvtRefundList", refund_item_f);
static const ent e_tally = ENT("InvtRefundDetail", tally_f);
static const ent e_transfer = ENT("BaseTransfer", transfer_f);

typedef int (*extra_fn)(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err);

/* How one document of a message type is laid out: an optional wrapper element
 * holding a head entity and goods lines, or (wrap NULL) a flat entity. */
typedef struct docd {
    int type;
    const char *wrap;
    const ent *head, *item;
    const char *items_label; /* for error fields: "goodsList[3].qty" */
    size_t doc_size, items_off, n_off, item_size, min_items, max_items;
    extra_fn extra;
} docd;

/* ---- field checks ---- */

/* Parses an exact decimal of at most 13 integer and 5 fraction digits. */
static int dec5(const char *s, int64_t *v)
{
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i > DEC_INT_DIGITS)
        return HC_EINVAL;
    return hc_decimal_parse(s, 5, v);
}

static bool in_opts(const char *v, const char *opts)
{
    size_t n = strlen(v);
    for (const char *p = opts; *p;) {
        const char *e = strchr(p, '|');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && memcmp(p, v, n) == 0)
            return true;
        if (e == NULL)
            break;
        p = e + 1;
    }
    return false;
}

static bool time_ok(const char *s, size_t n)
{
    if (strlen(s) != n || !hc_all_digits(s, n))
        return false;
    int mo = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (n == 14) {
        int h = (s[8] - '0') * 10 + (s[9] - '0'), mi = (s[10] - '0') * 10 + (s[11] - '0');
        int se = (s[12] - '0') * 10 + (s[13] - '0');
        if (h > 23 || mi > 59 || se > 59)
            return false;
    }
    return true;
}

static const char *fval(const void *base, const fld *f)
{
    const char *v = *(const char *const *)((const char *)base + f->off);
    return v ? v : f->dflt;
}

#define FE(code, ...) hc_err_set(err, code, name, __VA_ARGS__)

static int check_field(const hc_customs_ref *ref, const fld *f, const char *v, const char *pfx,
                       hc_err *err)
{
    char name[HC_ERR_FIELD_MAX];
    snprintf(name, sizeof(name), "%s%s", pfx, f->name);
    if (f->kind == K_GNUM)
        return HC_OK;
    if (v == NULL || *v == '\0') {
        if (f->req)
            return FE(HC_EINVAL, "is required");
        return HC_OK; /* absent optional fields are left out of the XML */
    }
    size_t bytes = strlen(v);
    if (!hc_utf8_valid(v, bytes))
        return FE(HC_EINVAL, "is not valid UTF-8");
    for (size_t i = 0; i < bytes; i++)
        if ((unsigned char)v[i] < 0x20 && v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
            return FE(HC_EINVAL, "contains a control character");
    int64_t x;
    switch (f->kind) {
    case K_STR: {
        size_t n = hc_utf8_len(v);
        if (n > f->max)
            return FE(HC_EINVAL, "is %zu characters, at most %u allowed", n, f->max);
        if (n < f->min)
            return FE(HC_EINVAL, "is %zu characters, at least %u required", n, f->min);
        return HC_OK;
    }
    case K_DIGITS:
        if (bytes != f->max || !hc_all_digits(v, bytes))
            return FE(HC_EINVAL, "must be exactly %u digits, got \"%s\"", f->max, v);
        return HC_OK;
    case K_CODE:
        if (hc_customs_ref_name(ref, f->table, v) == NULL)
            return FE(HC_EINVAL, "unknown code \"%s\"", v);
        return HC_OK;
    case K_ENUM:
        if (!in_opts(v, f->opts))
            return FE(HC_EINVAL, "must be one of %s, got \"%s\"", f->opts, v);
        return HC_OK;
    case K_GUID:
        if (bytes != 36)
            return FE(HC_EINVAL, "must be 36 characters");
        for (size_t i = 0; i < 36; i++) {
            char c = v[i];
            bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
                return FE(HC_EINVAL, "must be an upper-case 8-4-4-4-12 guid");
        }
        return HC_OK;
    case K_TIME14:
    case K_DATE8:
        if (!time_ok(v, f->max))
            return FE(HC_EINVAL, "must be a time %s", f->max == 14 ? "YYYYMMDDhhmmss" : "YYYYMMDD");
        return HC_OK;
    case K_DEC:
    case K_DECPOS:
        if (dec5(v, &x) != HC_OK)
            return FE(HC_EINVAL, "must be a decimal >= 0 with at most %d integer and 5 fraction "
                                 "digits, got \"%s\"", DEC_INT_DIGITS, v);
        if (f->kind == K_DECPOS && x <= 0)
            return FE(HC_EINVAL, "must be > 0");
        return HC_OK;
    case K_INT: {
        int64_t maxv = 1;
        for (unsigned i = 0; i < f->max; i++)
            maxv *= 10;
        if (hc_parse_i64(v, 1, maxv - 1, &x) != HC_OK || !hc_all_digits(v, bytes))
            return FE(HC_EINVAL, "must be an integer 1..%lld", (long long)(maxv - 1));
        return HC_OK;
    }
    }
    return HC_OK;
}

static int check_ent(const hc_customs_ref *ref, const ent *e, const void *base, const char *pfx,
                     hc_err *err)
{
    for (size_t i = 0; i < e->nf; i++) {
        int rc = check_field(ref, &e->f[i], fval(base, &e->f[i]), pfx, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* Parsed values are known good after check_ent. */
static int64_t d5(const char *s)
{
    int64_t v = 0;
    if (s == NULL || dec5(s, &v) != HC_OK)
        return 0;
    return v;
}

/* totalPrice must equal qty x price rounded half-up to 5 places. */
static int check_total(const char *qty, const char *price, const char *total, const char *pfx,
                       hc_err *err)
{
    __int128 p = (__int128)d5(qty) * d5(price);
    int64_t want = (int64_t)((p + 50000) / 100000);
    if (want != d5(total)) {
        char name[HC_ERR_FIELD_MAX], buf[40];
        snprintf(name, sizeof(name), "%stotalPrice", pfx);
        hc_decimal_format(want, 5, buf, sizeof(buf));
        return FE(HC_EINVAL, "is %s but qty x price is %s", total, buf);
    }
    return HC_OK;
}

static int extra_order(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err)
{
    const hc_customs_order *o = doc;
    char name[HC_ERR_FIELD_MAX];
    int64_t sum = 0;
    for (size_t i = 0; i < o->n_items; i++) {
        const hc_customs_order_item *it = &o->items[i];
        char ip[80];
        snprintf(ip, sizeof(ip), "%sgoodsList[%zu].", pfx, i);
        int rc = check_total(it->qty, it->price, it->totalPrice, ip, err);
        if (rc != HC_OK)
            return rc;
        if (strcmp(it->currency, o->head.currency) != 0) {
            snprintf(name, sizeof(name), "%scurrency", ip);
            return FE(HC_EINVAL, "is %s but the order is in %s", it->currency, o->head.currency);
        }
        sum += d5(it->totalPrice);
    }
    if (sum != d5(o->head.goodsValue)) {
        char buf[40];
        hc_decimal_format(sum, 5, buf, sizeof(buf));
        snprintf(name, sizeof(name), "%sgoodsValue", pfx);
        return FE(HC_EINVAL, "is %s but the goods lines total %s", o->head.goodsValue, buf);
    }
    return HC_OK;
}

static int extra_invt(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err)
{
    const hc_customs_inventory *v = doc;
    char name[HC_ERR_FIELD_MAX];
    if (d5(v->head.netWeight) > d5(v->head.grossWeight)) {
        snprintf(name, sizeof(name), "%snetWeight", pfx);
        return FE(HC_EINVAL, "is more than grossWeight");
    }
    if (strcmp(v->head.country, "142") == 0) {
        snprintf(name, sizeof(name), "%scountry", pfx);
        return FE(HC_EINVAL, "an export cannot go to China (142)");
    }
    for (size_t i = 0; i < v->n_items; i++) {
        char ip[80];
        snprintf(ip, sizeof(ip), "%sgoodsList[%zu].", pfx, i);
        int rc = check_total(v->items[i].qty, v->items[i].price, v->items[i].totalPrice, ip, err);
        if (rc != HC_OK)
            return rc;
        if ((v->items[i].qty2 == NULL) != (v->items[i].unit2 == NULL)) {
            snprintf(name, sizeof(name), "%s%s", ip, v->items[i].qty2 ? "unit2" : "qty2");
            return FE(HC_EINVAL, "qty2 and unit2 go together");
        }
    }
    return HC_OK;
}

static int seq_count(const char *seq, const char *count, const char *pfx, hc_err *err)
{
    int64_t s = 1, c = 1;
    if (seq)
        hc_parse_i64(seq, 1, 999999999, &s);
    if (count)
        hc_parse_i64(count, 1, 999999999, &c);
    if (s > c) {
        char name[HC_ERR_FIELD_MAX];
        snprintf(name, sizeof(name), "%smsgSeqNo", pfx);
        return FE(HC_EINVAL, "is %lld, more than msgCount %lld", (long long)s, (long long)c);
    }
    return HC_OK;
}

static int extra_bill(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err)
{
    const hc_customs_bill *b = doc;
    return seq_count(b->head.msgSeqNo, b->head.msgCount, pfx, err);
}

static int extra_sum(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err)
{
    const hc_customs_sumapply *s = doc;
    const char *st = s->head.startTime, *et = s->head.endTime;
    char name[HC_ERR_FIELD_MAX];
    if ((st == NULL) != (et == NULL)) {
        snprintf(name, sizeof(name), "%s%s", pfx, st ? "endTime" : "startTime");
        return FE(HC_EINVAL, "startTime and endTime go together");
    }
    if (st && strcmp(et, st) < 0) {
        snprintf(name, sizeof(name), "%sendTime", pfx);
        return FE(HC_EINVAL, "is before startTime");
    }
    return seq_count(s->head.msgSeqNo, s->head.msgCount, pfx, err);
}

static int extra_refund(const hc_customs_ref *ref, const void *doc, const char *pfx, hc_err *err)
{
    const hc_customs_refund *r = doc;
    char name[HC_ERR_FIELD_MAX];
    if (strcmp(r->head.country, "142") == 0) {
        snprintf(name, sizeof(name), "%scountry", pfx);
        return FE(HC_EINVAL, "the country a return comes from cannot be China (142)");
    }
    for (size_t i = 0; i < r->n_items; i++)
        if ((r->items[i].qty2 == NULL) != (r->items[i].unit2 == NULL)) {
            snprintf(name, sizeof(name), "%sgoodsList[%zu].qty2", pfx, i);
            return FE(HC_EINVAL, "qty2 and unit2 go together");
        }
    return HC_OK;
}

#define DOC(T, w, h, it, lbl, ST, mn, mx, x)                                                     \
    {T, w, h, it, lbl, sizeof(ST), offsetof(ST, items), offsetof(ST, n_items),                  \
     sizeof(*((ST *)0)->items), mn, mx, x}

static const docd docs[] = {
    DOC(303, "Order", &e_order_head, &e_order_item, "goodsList", hc_customs_order, 1, 100,
        extra_order),
    {505, NULL, &e_waybill, NULL, NULL, sizeof(hc_customs_waybill), 0, 0, 0, 0, 0, NULL},
    DOC(603, "Inventory", &e_invt_head, &e_invt_item, "goodsList", hc_customs_inventory, 1, 100,
        extra_invt),
    DOC(607, "WayBill", &e_bill_head, &e_bill_item, "waybills", hc_customs_bill, 1, 100000,
        extra_bill),
    {701, "SummaryApply", &e_sum_head, &e_sum_item, "invtNos", sizeof(hc_customs_sumapply),
     offsetof(hc_customs_sumapply, invtNos), offsetof(hc_customs_sumapply, n_invt),
     sizeof(const char *), 0, 1000000, extra_sum},
    DOC(213, "InvtRefund", &e_refund_head, &e_refund_item, "goodsList", hc_customs_refund, 1,
        100, extra_refund),
    {215, NULL, &e_tally, NULL, NULL, sizeof(hc_customs_tally), 0, 0, 0, 0, 0, NULL},
};

static const docd *find_docd(int type)
{
    for (size_t i = 0; i < HC_ARRAY_LEN(docs); i++)
        if (docs[i].type == type)
            return &docs[i];
    return NULL;
}

static const void *doc_array(const hc_customs_msg *m)
{
    switch (m->type) {
    case 303: return m->orders;
    case 505: return m->waybills;
    case 603: return m->lists;
    case 607: return m->bills;
    case 701: return m->summaries;
    case 213: return m->refunds;
    case 215: return m->tallies;
    }
    return NULL;
}

static const void *items_of(const docd *d, const void *doc, size_t *n)
{
    *n = *(const size_t *)((const char *)doc + d->n_off);
    return *(const void *const *)((const char *)doc + d->items_off);
}

int hc_customs_check(const hc_customs_ref *ref, const hc_customs_msg *m, hc_err *err)
{
    const docd *d = find_docd(m->type);
    if (d == NULL)
        return hc_err_set(err, HC_EINVAL, "type", "unsupported message type %d", m->type);
    const char *arr = doc_array(m);
    if (arr == NULL || m->n_docs < 1 || m->n_docs > 100)
        return hc_err_set(err, HC_EINVAL, "docs", "a message holds 1 to 100 documents");
    if (m->guid) {
        fld g = GUID(hc_customs_msg, guid);
        int rc = check_field(ref, &g, m->guid, "", err);
        if (rc != HC_OK)
            return rc;
    }
    int rc = check_ent(ref, &e_transfer, &m->transfer, "BaseTransfer.", err);
    if (rc != HC_OK)
        return rc;
    for (size_t k = 0; k < m->n_docs; k++) {
        const void *doc = arr + k * d->doc_size;
        char pfx[32] = "";
        if (m->n_docs > 1)
            snprintf(pfx, sizeof(pfx), "docs[%zu].", k);
        if ((rc = check_ent(ref, d->head, doc, pfx, err)) != HC_OK)
            return rc;
        if (d->item == NULL)
            continue;
        size_t n;
        const char *items = items_of(d, doc, &n);
        if (n < d->min_items || n > d->max_items || (n > 0 && items == NULL))
            return hc_err_set(err, HC_EINVAL, d->items_label, "needs %zu to %zu entries, got %zu",
                              d->min_items, d->max_items, n);
        for (size_t i = 0; i < n; i++) {
            char ip[80];
            snprintf(ip, sizeof(ip), "%s%s[%zu].", pfx, d->items_label, i);
            if ((rc = check_ent(ref, d->item, items + i * d->item_size, ip, err)) != HC_OK)
                return rc;
        }
        if (d->extra && (rc = d->extra(ref, doc, pfx, err)) != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* ---- building ---- */

static void add_ent(xmlNodePtr parent, xmlNsPtr ns, const ent *e, const void *base, size_t gnum)
{
    xmlNodePtr n = xmlNewChild(parent, ns, BAD_CAST e->name, NULL);
    for (size_t i = 0; i < e->nf; i++) {
        const fld *f = &e->f[i];
        char num[24];
        const char *v;
        if (f->kind == K_GNUM) {
            snprintf(num, sizeof(num), "%zu", gnum);
            v = num;
        } else {
            v = fval(base, f);
        }
        if (v == NULL || *v == '\0')
            continue;
        xmlNewTextChild(n, ns, BAD_CAST f->name, BAD_CAST v);
    }
}

int hc_customs_build(const hc_customs_ref *ref, const hc_customs_msg *m, xmlDocPtr *out,
                     hc_err *err)
{
    int rc = hc_customs_check(ref, m, err);
    if (rc != HC_OK)
        return rc;
    const docd *d = find_docd(m->type);
    const char *arr = doc_array(m);
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    char rootname[32], guid[40];
    snprintf(rootname, sizeof(rootname), "CEB%dMessage", m->type);
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST rootname, NULL);
    xmlDocSetRootElement(doc, root);
    xmlNsPtr ns = xmlNewNs(root, BAD_CAST CEB_NS, BAD_CAST "ceb");
    xmlSetNs(root, ns);
    if (m->guid)
        hc_strlcpy(guid, m->guid, sizeof(guid));
    else
        hc_customs_guid(guid, sizeof(guid));
    xmlNewProp(root, BAD_CAST "guid", BAD_CAST guid);
    xmlNewProp(root, BAD_CAST "version", BAD_CAST "1.0");
    for (size_t k = 0; k < m->n_docs; k++) {
        const void *docp = arr + k * d->doc_size;
        if (d->wrap == NULL) {
            add_ent(root, ns, d->head, docp, 0);
            continue;
        }
        xmlNodePtr w = xmlNewChild(root, ns, BAD_CAST d->wrap, NULL);
        add_ent(w, ns, d->head, docp, 0);
        size_t n;
        const char *items = items_of(d, docp, &n);
        for (size_t i = 0; i < n; i++)
            add_ent(w, ns, d->item, items + i * d->item_size, i + 1);
    }
    add_ent(root, ns, &e_transfer, &m->transfer, 0);
    *out = doc;
    return HC_OK;
}

int hc_customs_doc_type(xmlDocPtr doc)
{
    xmlNodePtr r = doc ? xmlDocGetRootElement(doc) : NULL;
    if (r == NULL || r->ns == NULL || strcmp((const char *)r->ns->href, CEB_NS) != 0)
        return 0;
    const char *n = (const char *)r->name;
    if (strlen(n) < 6)
        return 0;
    /* "CEB214" (as in the official CEB214 sample) is accepted too. */
    if (strncmp(n, "CEB", 3) != 0 || !hc_all_digits(n + 3, 3) ||
        (strcmp(n + 6, "Message") != 0 && n[6] != '\0'))
        return 0;
    return (n[3] - '0') * 100 + (n[4] - '0') * 10 + (n[5] - '0');
}

void hc_customs_guid(char *buf, size_t size)
{
    unsigned char b[16];
    char hex[33];
    hc_random_bytes(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    hc_hex(b, sizeof(b), hex);
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    snprintf(buf, size, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

void hc_customs_time14(int64_t ms, char *buf, size_t size)
{
    struct tm tm;
    hc_time_beijing(ms, &tm); /* CEB times are Beijing time */
    snprintf(buf, size, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

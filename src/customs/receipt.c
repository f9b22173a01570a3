/* receipt.c: parsing of customs receipts (CEB304 ... CEB792) by element name. */
#include "customs.h"

#include <libxml/parser.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECEIPT_MAX (16u << 20)

static const struct {
    int type;
    const char *entity;
} kinds[] = {
    {304, "OrderReturn"},    {506, "LogisticsReturn"},  {604, "InventoryReturn"},
    {606, "InvtCancelReturn"}, {608, "WayBillReturn"},  {702, "SummaryReturn"},
    {214, "RefundReturn"},   {216, "InvtRefundDetailReturn"}, {792, "SummaryResult"},
};

/* Element text, trimmed, in the arena; "" when empty. */
static const char *text(hc_arena *a, xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (t == NULL)
        return "";
    const char *s = (const char *)t, *e = s + strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        e--;
    const char *r = hc_arena_strndup(a, s, (size_t)(e - s));
    xmlFree(t);
    return r;
}

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

/* Fills r from the child elements of n (a ...Return or SummaryResultHead). */
static void fill(hc_arena *a, xmlNodePtr n, hc_customs_receipt *r)
{
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"guid", offsetof(hc_customs_receipt, guid)},
        {"copNo", offsetof(hc_customs_receipt, copNo)},
        {"coElNo", offsetof(hc_customs_receipt, copNo)},
        {"preNo", offsetof(hc_customs_receipt, preNo)},
        {"invtNo", offsetof(hc_customs_receipt, invtNo)},
        {"orderNo", offsetof(hc_customs_receipt, orderNo)},
        {"logisticsNo", offsetof(hc_customs_receipt, logisticsNo)},
        {"billNo", offsetof(hc_customs_receipt, billNo)},
        {"sumNo", offsetof(hc_customs_receipt, sumNo)},
        {"returnStatus", offsetof(hc_customs_receipt, status)},
        {"decState", offsetof(hc_customs_receipt, status)},
        {"returnTime", offsetof(hc_customs_receipt, returnTime)},
        {"opDate", offsetof(hc_customs_receipt, returnTime)},
        {"returnInfo", offsetof(hc_customs_receipt, returnInfo)},
        {"note", offsetof(hc_customs_receipt, returnInfo)},
        {"entryId", offsetof(hc_customs_receipt, entryId)},
        {"declSeqNo", offsetof(hc_customs_receipt, declSeqNo)},
    };
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        for (size_t i = 0; i < HC_ARRAY_LEN(map); i++)
            if (is(c, map[i].name)) {
                *(const char **)((char *)r + map[i].off) = text(a, c);
                break;
            }
    }
    int64_t v;
    if (r->status && hc_parse_i64(r->status, -999999, 999999, &v) == HC_OK)
        r->returnStatus = (int)v;
}

static int parse_items(hc_arena *a, xmlNodePtr res, hc_customs_receipt *r, size_t k, hc_err *err)
{
    size_t n = 0;
    for (xmlNodePtr c = res->children; c; c = c->next)
        n += is(c, "SummaryResultList");
    hc_customs_result_item *items = hc_arena_alloc(a, (n ? n : 1) * sizeof(*items));
    size_t i = 0;
    for (xmlNodePtr c = res->children; c; c = c->next) {
        if (!is(c, "SummaryResultList"))
            continue;
        hc_customs_result_item *it = &items[i];
        it->invtNo = it->logisticsNo = it->gcode = "";
        for (xmlNodePtr f = c->children; f; f = f->next) {
            if (f->type != XML_ELEMENT_NODE)
                continue;
            const char *t = text(a, f);
            int64_t v = 0;
            if (is(f, "invtNo"))
                it->invtNo = t;
            else if (is(f, "logisticsNo"))
                it->logisticsNo = t;
            else if (is(f, "gcode"))
                it->gcode = t;
            else if (is(f, "gnum") || is(f, "gseqno")) {
                if (hc_parse_i64(t, 1, 99999, &v) != HC_OK)
                    return hc_err_set(err, HC_EINVAL, "", "SummaryResult[%zu].SummaryResultList[%zu].%s: "
                                      "not an item number", k, i, (const char *)f->name);
                if (is(f, "gnum"))
                    it->gnum = (int)v;
                else
                    it->gseqno = (int)v;
            }
        }
        i++;
    }
    r->items = items;
    r->n_items = n;
    return HC_OK;
}

int hc_customs_receipt_parse(hc_arena *a, const char *data, size_t n, hc_customs_receipts *out,
                             hc_err *err)
{
    int rc = HC_OK;
    if (n > RECEIPT_MAX)
        return hc_err_set(err, HC_ETOOBIG, "", "receipt larger than %u bytes", RECEIPT_MAX);
    xmlDocPtr doc = xmlReadMemory(data, (int)n, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL)
        return hc_err_set(err, HC_EINVAL, "", "not well-formed XML");
    int type = hc_customs_doc_type(doc);
    const char *entity = NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(kinds); i++)
        if (kinds[i].type == type)
            entity = kinds[i].entity;
    if (entity == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "", "not a CEB receipt (root must be one of CEB304, 506, "
                        "604, 606, 608, 702, 792, 214, 216)");
        goto done;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    size_t cnt = 0;
    for (xmlNodePtr c = root->children; c; c = c->next)
        cnt += is(c, entity);
    if (cnt == 0) {
        rc = hc_err_set(err, HC_EINVAL, entity, "no %s element in CEB%dMessage", entity, type);
        goto done;
    }
    hc_customs_receipt *rs = hc_arena_alloc(a, cnt * sizeof(*rs));
    size_t k = 0;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!is(c, entity))
            continue;
        hc_customs_receipt *r = &rs[k];
        *r = (hc_customs_receipt){.guid = "", .copNo = "", .preNo = "", .invtNo = "",
                                  .orderNo = "", .logisticsNo = "", .billNo = "", .sumNo = "",
                                  .status = "", .returnTime = "", .returnInfo = "",
                                  .entryId = "", .declSeqNo = ""};
        if (type == 792) {
            for (xmlNodePtr h = c->children; h; h = h->next)
                if (is(h, "SummaryResultHead"))
                    fill(a, h, r);
            if ((rc = parse_items(a, c, r, k, err)) != HC_OK)
                goto done;
        } else {
            fill(a, c, r);
        }
        if (r->guid[0] == '\0' || r->status[0] == '\0') {
            rc = hc_err_set(err, HC_EINVAL, "", "%s[%zu]: guid and %s are required", entity, k,
                            type == 792 ? "decState" : "returnStatus");
            goto done;
        }
        k++;
    }
    xmlChar *g = xmlGetProp(root, BAD_CAST "guid");
    out->guid = hc_arena_strdup(a, g ? (const char *)g : "");
    xmlFree(g);
    out->type = type;
    out->r = rs;
    out->n = cnt;
done:
    xmlFreeDoc(doc);
    return rc;
}

int hc_customs_receipt_parse_file(hc_arena *a, const char *path, hc_customs_receipts *out,
                                  hc_err *err)
{
    int rc = HC_OK;
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f == NULL)
        return hc_err_set(err, HC_ENOTFOUND, "file", "%s: cannot open", path);
    if (fseek(f, 0, SEEK_END) != 0) {
        rc = hc_err_set(err, HC_EINVAL, "file", "%s: cannot seek", path);
        goto done;
    }
    long sz = ftell(f);
    if (sz < 0 || (unsigned long)sz > RECEIPT_MAX) {
        rc = hc_err_set(err, HC_ETOOBIG, "file", "%s: larger than %u bytes", path, RECEIPT_MAX);
        goto done;
    }
    rewind(f);
    if ((buf = malloc((size_t)sz + 1)) == NULL || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        rc = hc_err_set(err, HC_EINVAL, "file", "%s: cannot read", path);
        goto done;
    }
    rc = hc_customs_receipt_parse(a, buf, (size_t)sz, out, err);
done:
    free(buf);
    fclose(f);
    return rc;
}

const char *hc_customs_status_name(int status)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {1, "draft"},          {2, "declaring"},  {3, "sent"},       {4, "send failed"},
        {100, "rejected"},     {120, "stored"},   {300, "manual review"}, {399, "approved"},
        {500, "inspection"},   {800, "released"}, {899, "cleared"},
    };
    if (status < 0)
        return "error";
    for (size_t i = 0; i < HC_ARRAY_LEN(names); i++)
        if (names[i].code == status)
            return names[i].name;
    return "unknown";
}

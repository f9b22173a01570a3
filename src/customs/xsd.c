/* xsd.c: validation against the official CEB schema, parsed once. */
#include "customs.h"

#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define XSD_FILE "ceb-export-202205.xsd"

struct hc_customs_xsd {
    xmlSchemaPtr schema;
};

typedef struct verr {
    bool seen;
    char field[HC_ERR_FIELD_MAX];
    char msg[HC_ERR_MSG_MAX];
} verr;

/* "Inventory[1].InventoryHead.country": element names from below the root,
 * with an index where an element has same-named siblings. */
static void node_path(xmlNodePtr n, char *out, size_t size)
{
    const char *parts[32];
    int idx[32], k = 0;
    for (; n && n->type == XML_ELEMENT_NODE && n->parent &&
           n->parent->type == XML_ELEMENT_NODE && k < 32;
         n = n->parent) {
        int pos = 0, same = 0;
        for (xmlNodePtr s = n->parent->children; s; s = s->next) {
            if (s->type != XML_ELEMENT_NODE || !xmlStrEqual(s->name, n->name))
                continue;
            if (s == n)
                pos = same;
            same++;
        }
        parts[k] = (const char *)n->name;
        idx[k++] = same > 1 ? pos : -1;
    }
    size_t o = 0;
    out[0] = '\0';
    for (int i = k - 1; i >= 0 && o < size; i--) {
        int w = idx[i] >= 0 ? snprintf(out + o, size - o, "%s%s[%d]", o ? "." : "", parts[i], idx[i])
                            : snprintf(out + o, size - o, "%s%s", o ? "." : "", parts[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    verr *v = ctx;
    if (v->seen || e == NULL)
        return;
    v->seen = true;
    if (e->node)
        node_path((xmlNodePtr)e->node, v->field, sizeof(v->field));
    snprintf(v->msg, sizeof(v->msg), "%s", e->message ? e->message : "schema error");
    size_t n = strlen(v->msg);
    while (n > 0 && (v->msg[n - 1] == '\n' || v->msg[n - 1] == ' '))
        v->msg[--n] = '\0';
}

int hc_customs_xsd_load(hc_customs_xsd **out, const char *path, hc_err *err)
{
    char file[4096];
    struct stat st;
    if (stat(path, &st) != 0)
        return hc_err_set(err, HC_EINVAL, "xsd", "%s: not found", path);
    if (S_ISDIR(st.st_mode))
        snprintf(file, sizeof(file), "%s/%s", path, XSD_FILE);
    else
        snprintf(file, sizeof(file), "%s", path);
    verr v = {0};
    hc_customs_xsd *x = NULL;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(file);
    if (pc == NULL)
        return hc_err_set(err, HC_EINVAL, "xsd", "%s: cannot read", file);
    xmlSchemaSetParserStructuredErrors(pc, on_error, &v);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (s == NULL)
        return hc_err_set(err, HC_EINVAL, "xsd", "%s: %s", file, v.seen ? v.msg : "bad schema");
    if ((x = calloc(1, sizeof(*x))) == NULL) {
        xmlSchemaFree(s);
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    }
    x->schema = s;
    *out = x;
    return HC_OK;
}

void hc_customs_xsd_free(hc_customs_xsd *x)
{
    if (x == NULL)
        return;
    xmlSchemaFree(x->schema);
    free(x);
}

int hc_customs_xsd_validate(hc_customs_xsd *x, xmlDocPtr doc, hc_err *err)
{
    verr v = {0};
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(x->schema);
    if (vc == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "cannot create a validation context");
    xmlSchemaSetValidStructuredErrors(vc, on_error, &v);
    int r = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    if (r == 0)
        return HC_OK;
    if (r < 0)
        return hc_err_set(err, HC_EINTERNAL, "", "schema validation failed internally");
    return hc_err_set(err, HC_EINVAL, v.field, "XSD: %s", v.seen ? v.msg : "invalid");
}

/* Code-valued elements that the XSD only checks for length. */
static const struct {
    const char *name;
    int table; /* -1: a 10-digit HS code */
} coded[] = {
    {"country", HC_CUSTOMS_T_COUNTRY},     {"currency", HC_CUSTOMS_T_CURRENCY},
    {"fCurrency", HC_CUSTOMS_T_CURRENCY},  {"iCurrency", HC_CUSTOMS_T_CURRENCY},
    {"unit", HC_CUSTOMS_T_UNIT},           {"unit1", HC_CUSTOMS_T_UNIT},
    {"unit2", HC_CUSTOMS_T_UNIT},          {"trafMode", HC_CUSTOMS_T_TRANSPORT},
    {"tradeMode", HC_CUSTOMS_T_TRADE_MODE}, {"gcode", -1},
};

static int check_codes(const hc_customs_ref *ref, xmlNodePtr n, hc_err *err)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->children && c->children->type == XML_ELEMENT_NODE) {
            int rc = check_codes(ref, c, err);
            if (rc != HC_OK)
                return rc;
            continue;
        }
        for (size_t i = 0; i < HC_ARRAY_LEN(coded); i++) {
            if (!xmlStrEqual(c->name, BAD_CAST coded[i].name))
                continue;
            xmlChar *v = xmlNodeGetContent(c);
            const char *s = v ? (const char *)v : "";
            bool ok = *s == '\0' ||
                      (coded[i].table < 0 ? strlen(s) == 10 && hc_all_digits(s, 10)
                                          : hc_customs_ref_name(ref, coded[i].table, s) != NULL);
            if (!ok) {
                char path[HC_ERR_FIELD_MAX];
                node_path(c, path, sizeof(path));
                int rc = hc_err_set(err, HC_EINVAL, path, coded[i].table < 0
                                                              ? "must be exactly 10 digits, got \"%s\""
                                                              : "unknown code \"%s\"", s);
                xmlFree(v);
                return rc;
            }
            xmlFree(v);
        }
    }
    return HC_OK;
}

int hc_customs_check_doc(const hc_customs_ref *ref, xmlDocPtr doc, hc_err *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return hc_err_set(err, HC_EINVAL, "", "empty document");
    return check_codes(ref, root, err);
}

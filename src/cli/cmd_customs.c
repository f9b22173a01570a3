/* cmd_customs.c: `haicang customs <sub-command>` on CEB message files. */
#include "cli/cmd_customs.h"

#include "customs/customs.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_REF "../shared/data/customs-codes"
#define DEFAULT_XSD "../shared/data/customs-ceb-202205/xsd"
#define DEFAULT_EXTRA "src/customs/refdata"

typedef struct opts {
    const char *file, *ref, *extra, *xsd, *key, *cert, *out;
    int alg;
} opts;

typedef struct cmd {
    const char *name, *usage;
    int (*run)(opts *o);
} cmd;

static int fail(const hc_err *e, const char *file)
{
    fprintf(stderr, "customs: %s: %s%s%s\n", file ? file : "", e->field,
            e->field[0] ? ": " : "", e->msg);
    return 1;
}

/* Reads FILE keeping whitespace as it is (a signature covers it). */
static int read_doc(const char *file, xmlDocPtr *doc)
{
    *doc = xmlReadFile(file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (*doc == NULL) {
        fprintf(stderr, "customs: %s: cannot read or not well-formed XML\n", file);
        return 1;
    }
    return 0;
}

static int run_validate(opts *o)
{
    hc_err err = {0};
    hc_customs_ref *ref = NULL;
    hc_customs_xsd *xsd = NULL;
    xmlDocPtr doc = NULL;
    int rc = 1;
    if (read_doc(o->file, &doc) != 0)
        goto done;
    if (hc_customs_ref_load(&ref, o->ref, &err) != HC_OK ||
        (access(o->extra, F_OK) == 0 && hc_customs_ref_overlay(ref, o->extra, &err) != HC_OK) ||
        hc_customs_xsd_load(&xsd, o->xsd, &err) != HC_OK) {
        rc = fail(&err, NULL);
        goto done;
    }
    if (hc_customs_xsd_validate(xsd, doc, &err) != HC_OK ||
        hc_customs_check_doc(ref, doc, &err) != HC_OK) {
        rc = fail(&err, o->file);
        goto done;
    }
    printf("%s: valid CEB%d\n", o->file, hc_customs_doc_type(doc));
    rc = 0;
done:
    xmlFreeDoc(doc);
    hc_customs_xsd_free(xsd);
    hc_customs_ref_free(ref);
    return rc;
}

static int run_sign(opts *o)
{
    hc_err err = {0};
    hc_customs_signer *s = NULL;
    xmlDocPtr doc = NULL;
    int rc = 1;
    char dir[4096], name[512];
    if (o->key == NULL || o->cert == NULL) {
        fprintf(stderr, "customs sign: --key and --cert are required\n");
        return 2;
    }
    if (read_doc(o->file, &doc) != 0)
        goto done;
    if (hc_customs_signer_load(&s, o->key, o->cert, o->alg, &err) != HC_OK ||
        hc_customs_sign(s, doc, &err) != HC_OK) {
        rc = fail(&err, o->file);
        goto done;
    }
    /* Written next to the target, then renamed over it: never half a file. */
    const char *target = o->out ? o->out : o->file;
    const char *slash = strrchr(target, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - target) : 1, slash ? target : ".");
    snprintf(name, sizeof(name), "hc-signing-%d", (int)getpid());
    char tmp[4700];
    if (hc_customs_outbox_write(dir, doc, name, tmp, sizeof(tmp), &err) != HC_OK) {
        rc = fail(&err, target);
        goto done;
    }
    if (rename(tmp, target) != 0) {
        perror(target);
        unlink(tmp);
        goto done;
    }
    printf("%s: signed (%s)\n", target,
           hc_customs_verify(doc, NULL, NULL, &err) == HC_OK ? "verified" : "NOT verified");
    rc = 0;
done:
    xmlFreeDoc(doc);
    hc_customs_signer_free(s);
    return rc;
}

static int run_verify(opts *o)
{
    hc_err err = {0};
    xmlDocPtr doc = NULL;
    int alg = 0;
    if (read_doc(o->file, &doc) != 0)
        return 1;
    int rc = hc_customs_verify(doc, o->cert, &alg, &err);
    xmlFreeDoc(doc);
    if (rc != HC_OK)
        return fail(&err, o->file);
    printf("%s: signature OK (%s)\n", o->file,
           alg == HC_CUSTOMS_SIG_SM2_SM3 ? "sm2-sm3" : "rsa-sha1");
    return 0;
}

static void print_receipts(const char *file, const hc_customs_receipts *r)
{
    printf("file: %s\ntype: CEB%d\nmessage guid: %s\n", file, r->type, r->guid);
    for (size_t i = 0; i < r->n; i++) {
        const hc_customs_receipt *x = &r->r[i];
        printf("[%zu] guid=%s", i, x->guid);
        const char *kv[][2] = {{"copNo", x->copNo},       {"preNo", x->preNo},
                               {"invtNo", x->invtNo},     {"orderNo", x->orderNo},
                               {"logisticsNo", x->logisticsNo}, {"billNo", x->billNo},
                               {"sumNo", x->sumNo},       {"entryId", x->entryId},
                               {"declSeqNo", x->declSeqNo}};
        for (size_t k = 0; k < HC_ARRAY_LEN(kv); k++)
            if (kv[k][1][0])
                printf(" %s=%s", kv[k][0], kv[k][1]);
        if (r->type == 792)
            printf(" decState=%s", x->status);
        else
            printf(" returnStatus=%s (%s)", x->status, hc_customs_status_name(x->returnStatus));
        printf(" returnTime=%s\n", x->returnTime);
        if (x->returnInfo[0])
            printf("    returnInfo: %s\n", x->returnInfo);
        for (size_t k = 0; k < x->n_items; k++)
            printf("    item invtNo=%s logisticsNo=%s gnum=%d gseqno=%d gcode=%s\n",
                   x->items[k].invtNo, x->items[k].logisticsNo, x->items[k].gnum,
                   x->items[k].gseqno, x->items[k].gcode);
    }
}

static int run_receipt(opts *o)
{
    hc_err err = {0};
    hc_customs_receipts r;
    hc_arena *a = hc_arena_new(16 * 1024);
    int rc = hc_customs_receipt_parse_file(a, o->file, &r, &err);
    if (rc == HC_OK)
        print_receipts(o->file, &r);
    hc_arena_free(a);
    return rc == HC_OK ? 0 : fail(&err, o->file);
}

static int print_cb(void *ctx, const char *path, const hc_customs_receipts *r, hc_err *err)
{
    print_receipts(path, r);
    return HC_OK;
}

static int run_inbox(opts *o)
{
    hc_err err = {0};
    size_t ok = 0, bad = 0;
    if (hc_customs_inbox_scan(o->file, print_cb, NULL, &ok, &bad, &err) != HC_OK)
        return fail(&err, o->file);
    printf("inbox %s: %zu processed, %zu failed\n", o->file, ok, bad);
    return bad ? 1 : 0;
}

static const cmd cmds[] = {
    {"validate", "validate FILE.xml [--xsd DIR] [--ref-data DIR] [--ref-extra DIR]",
     run_validate},
    {"sign", "sign FILE.xml --key KEY.pem --cert CERT.pem [--alg sm2|rsa] [-o OUT.xml]",
     run_sign},
    {"verify", "verify FILE.xml [--cert CERT.pem]", run_verify},
    {"receipt", "receipt FILE.xml", run_receipt},
    {"inbox", "inbox DIR   (parse receipts, move them to DIR/processed or DIR/failed)",
     run_inbox},
};

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "customs: %s\n", why);
    fprintf(stderr, "usage:\n");
    for (size_t i = 0; i < HC_ARRAY_LEN(cmds); i++)
        fprintf(stderr, "  haicang customs %s\n", cmds[i].usage);
    fprintf(stderr, "defaults: --ref-data %s --xsd %s --ref-extra %s\n", DEFAULT_REF,
            DEFAULT_XSD, DEFAULT_EXTRA);
    return 2;
}

int hc_cmd_customs(int argc, char **argv)
{
    if (argc < 2)
        return usage(NULL);
    const cmd *c = NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(cmds); i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            c = &cmds[i];
    if (c == NULL)
        return usage(strcmp(argv[1], "--help") == 0 ? NULL : "unknown sub-command");
    opts o = {.ref = DEFAULT_REF, .extra = DEFAULT_EXTRA, .xsd = DEFAULT_XSD};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = strcmp(a, "--ref-data") == 0    ? &o.ref
                            : strcmp(a, "--ref-extra") == 0 ? &o.extra
                            : strcmp(a, "--xsd") == 0       ? &o.xsd
                            : strcmp(a, "--key") == 0       ? &o.key
                            : strcmp(a, "--cert") == 0      ? &o.cert
                            : strcmp(a, "-o") == 0          ? &o.out
                                                            : NULL;
        if (slot || strcmp(a, "--alg") == 0) {
            if (v == NULL)
                return usage("option needs a value");
            i++;
            if (slot)
                *slot = v;
            else if (strcmp(v, "sm2") == 0)
                o.alg = HC_CUSTOMS_SIG_SM2_SM3;
            else if (strcmp(v, "rsa") == 0)
                o.alg = HC_CUSTOMS_SIG_RSA_SHA1;
            else
                return usage("--alg must be sm2 or rsa");
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option");
        } else if (o.file == NULL) {
            o.file = a;
        } else {
            return usage("one file at a time");
        }
    }
    if (o.file == NULL)
        return usage("a file is required");
    xmlInitParser();
    return c->run(&o);
}

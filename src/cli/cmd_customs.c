/* cmd_customs.c: `haicang customs <sub-command>`: file-level operations on
 * CEB message files (validate, sign, verify, receipt, inbox), and the record
 * commands on a database (register, declare, show, lists, receipts, summary,
 * bill, inspect, return, tally) that go through src/customs like the API. */
#include "cli/cmd_customs.h"

#include "cli/cli.h"

#include "customs/customs.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Defaults of --ref-data, --ref-extra and --xsd: HAICANG_CUSTOMS_REFDATA,
 * _REFEXTRA, _XSD, else the folders under data/ found from the binary
 * (hc_customs_config_paths), wherever the command runs. */
static hc_customs_paths defaults;

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

/* ---- record commands: on the database, through src/customs --------------------- */

typedef struct db_cmd {
    const char *name, *usage;
    int (*run)(int argc, char **argv);
} db_cmd;

static int db_fail(const char *cmd, const hc_err *e)
{
    return hc_cli_fail(cmd, "%s%s%s", e->field, e->field[0] ? ": " : "", e->msg);
}

/* The customs context from the environment (docs/customs.md). */
static int open_ctx(const char *cmd, hc_customs_ctx **x)
{
    hc_customs_config c;
    hc_err err = {0};
    hc_customs_config_env(&c);
    xmlInitParser();
    if (hc_customs_ctx_open(x, &c, &err) != HC_OK)
        return db_fail(cmd, &err);
    return 0;
}

/* Writes the messages left 'queued' (by this command's commit, or by a crash
 * before an earlier one could write them) into the configured outbox. A
 * failure only warns: the rows stay queued for the next command. */
static void flush_queued(const char *cmd, hc_store *s)
{
    hc_customs_config c;
    char outbox[1024];
    hc_err err = {0};
    size_t n = 0;
    hc_customs_config_env(&c);
    hc_customs_config_outbox(&c, outbox, sizeof(outbox));
    if (hc_customs_flush_outbox(s, outbox, NULL, 0, &n, &err) != HC_OK)
        fprintf(stderr, "%s: warning: outbox %s: %s%s%s (messages stay queued; run haicang "
                        "customs flush)\n",
                cmd, outbox, err.field, err.field[0] ? ": " : "", err.msg);
}

/* fn in one transaction: committed when it returns HC_OK, else rolled back;
 * the outbox is flushed before and after (docs/customs.md, "Outbox"). */
typedef int (*tx_fn)(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *arg, hc_err *err);
static int in_tx(const char *cmd, const char *db, bool need_ctx, tx_fn fn, void *arg,
                 hc_arena *a)
{
    hc_store *s = NULL;
    hc_customs_ctx *x = NULL;
    hc_err err = {0};
    int rc = 1;
    if (need_ctx && open_ctx(cmd, &x) != 0)
        goto done;
    if (hc_cli_open(cmd, db, &s) != 0)
        goto done;
    flush_queued(cmd, s);
    if (hc_store_begin(s, &err) != HC_OK) {
        rc = db_fail(cmd, &err);
        goto done;
    }
    if (fn(s, a, x, arg, &err) != HC_OK) {
        hc_err tmp = {0};
        hc_store_rollback(s, &tmp);
        rc = db_fail(cmd, &err);
        goto done;
    }
    if (hc_store_commit(s, &err) != HC_OK) {
        rc = db_fail(cmd, &err);
        goto done;
    }
    flush_queued(cmd, s);
    rc = 0;
done:
    if (s)
        hc_store_close(s);
    hc_customs_ctx_free(x);
    return rc;
}

static void print_list(const struct hc_customs_list *l, bool full)
{
    printf("%s  %s %s %s  state %lld (%s)%s%s  invtNo %s  %s %s\n", l->id, l->trade_mode,
           l->ref_kind, l->ref, (long long)l->state, l->state_name,
           l->inspection && *l->inspection ? "  inspection " : "",
           l->inspection ? l->inspection : "", l->invt_no ? l->invt_no : "-", l->total_price,
           l->currency);
    if (!full)
        return;
    if (l->parts > 1) {
        printf("  part %lld of %lld:", (long long)l->part, (long long)l->parts);
        for (size_t i = 0; i < l->n_part_ids; i++)
            printf(" %s", l->part_ids[i]);
        printf("\n");
    }
    if (l->state_info)
        printf("  info: %s\n", l->state_info);
    if (l->entry_id)
        printf("  declaration (entryId): %s\n", l->entry_id);
    for (size_t i = 0; i < l->n_items; i++) {
        const struct hc_customs_list_item *it = &l->items[i];
        printf("  item %lld  %s  %s  HS %s  qty %lld  price %s  total %s", (long long)it->gnum,
               it->sku, it->gname, it->gcode, (long long)it->qty, it->price, it->total_price);
        if (it->entry_id)
            printf("  entry %s item %lld", it->entry_id, (long long)it->entry_gnum);
        printf("\n");
    }
    for (size_t i = 0; i < l->n_history; i++) {
        char t[40];
        hc_time_iso(l->history[i].at, t, sizeof(t));
        printf("  %s  %-8s %4lld %-10s %s\n", t, l->history[i].receipt,
               (long long)l->history[i].state, hc_customs_status_name((int)l->history[i].state),
               l->history[i].info ? l->history[i].info : "");
    }
    for (size_t i = 0; i < l->n_messages; i++)
        printf("  %s CEB%lld %s\n", l->messages[i].outbox ? l->messages[i].outbox : "sent",
               (long long)l->messages[i].type, l->messages[i].file);
}

static char **named(int argc, char **argv, const char *name)
{
    static char label[64];
    char **av = malloc(sizeof(*av) * (size_t)(argc + 1));
    if (av == NULL)
        abort();
    memcpy(av, argv, sizeof(*av) * (size_t)argc);
    av[argc] = NULL;
    snprintf(label, sizeof(label), "customs %s", name);
    av[0] = label;
    return av;
}

struct declare_arg {
    struct hc_customs_declare d;
    struct hc_customs_list out;
};

static int declare_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct declare_arg *d = p;
    return hc_customs_declare(s, a, x, &d->d, &d->out, err);
}

static int run_declare(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct declare_arg d = {.d = {.actor = "cli"}};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--order", &d.d.order_id},
                            {"--inbound", &d.d.inbound_id},
                            {"--mode", &d.d.trade_mode},
                            {"--customs-code", &d.d.customs_code},
                            {"--port-code", &d.d.port_code},
                            {"--traf-mode", &d.d.traf_mode}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    if ((d.d.order_id == NULL) == (d.d.inbound_id == NULL))
        return hc_cli_fail(argv[0], "give --order ID or --inbound ID");
    if (d.d.trade_mode == NULL)
        d.d.trade_mode = d.d.inbound_id ? "9810" : "9610";
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = in_tx(argv[0], db, true, declare_tx, &d, a);
    /* read back after the flush, so the messages show as sent; every part */
    hc_store *s = NULL;
    for (int64_t k = 0; rc == 0 && k < d.out.parts; k++) {
        struct hc_customs_list l;
        hc_err err = {0};
        const char *id = d.out.parts > 1 ? d.out.part_ids[k] : d.out.id;
        if (s == NULL && hc_cli_open(argv[0], db, &s) != 0)
            rc = 1;
        else if (hc_customs_list_get(s, a, id, &l, &err) != HC_OK)
            rc = db_fail(argv[0], &err);
        else
            print_list(&l, true);
    }
    if (s)
        hc_store_close(s);
    hc_arena_free(a);
    return rc;
}

static int run_show(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *xml_msg = NULL, *pos[1];
    struct hc_opt opts[] = {{"--db", &db}, {"--xml", &xml_msg}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    if (got != 1)
        return hc_cli_fail(argv[0], "usage: haicang customs show LIST [--xml CEB603]");
    hc_store *s;
    if (hc_cli_open(argv[0], db, &s) != 0)
        return 1;
    flush_queued(argv[0], s);
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = 0;
    if (xml_msg) {
        int64_t type;
        const char *seller, *xml;
        const char *t = strncmp(xml_msg, "CEB", 3) == 0 ? xml_msg + 3 : xml_msg;
        if (hc_parse_i64(t, 100, 999, &type) != HC_OK)
            rc = hc_cli_fail(argv[0], "--xml must name a message, e.g. CEB603");
        else if (hc_customs_message_xml(s, a, pos[0], (int)type, &seller, &xml, &err) != HC_OK)
            rc = db_fail(argv[0], &err);
        else
            fputs(xml, stdout);
    } else {
        struct hc_customs_list l;
        if (hc_customs_list_get(s, a, pos[0], &l, &err) != HC_OK)
            rc = db_fail(argv[0], &err);
        else
            print_list(&l, true);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return rc;
}

static int run_lists(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *state = NULL;
    struct hc_customs_list_filter f = {.limit = 1000};
    struct hc_opt opts[] = {{"--db", &db}, {"--seller", &f.seller}, {"--state", &state},
                            {"--month", &f.month}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    if (state && hc_parse_i64(state, -999, 999, &f.state) != HC_OK)
        return hc_cli_fail(argv[0], "--state must be a CEB status code");
    hc_store *s;
    if (hc_cli_open(argv[0], db, &s) != 0)
        return 1;
    flush_queued(argv[0], s);
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = 0;
    do {
        struct hc_customs_list *items;
        size_t n;
        const char *next;
        if (hc_customs_list_find(s, a, &f, &items, &n, &next, &err) != HC_OK) {
            rc = db_fail(argv[0], &err);
            break;
        }
        for (size_t i = 0; i < n; i++)
            print_list(&items[i], false);
        f.cursor = next;
    } while (f.cursor);
    hc_arena_free(a);
    hc_store_close(s);
    return rc;
}

struct receipts_arg {
    hc_store *s;
    const char *cmd;
};

/* One inbox file, in its own transaction; moved by the scan after it. */
static int apply_file(void *p, const char *path, const hc_customs_receipts *r, hc_err *err)
{
    struct receipts_arg *ra = p;
    size_t applied = 0;
    int rc = hc_store_begin(ra->s, err);
    if (rc == HC_OK)
        rc = hc_customs_receipt_apply(ra->s, r, "cli", &applied, err);
    if (rc == HC_OK)
        rc = hc_store_commit(ra->s, err);
    if (rc != HC_OK) {
        hc_err tmp = {0};
        hc_store_rollback(ra->s, &tmp);
    }
    printf("%s: CEB%d, %zu applied%s%s\n", path, r->type, applied, rc == HC_OK ? "" : ": ",
           rc == HC_OK ? "" : err->msg);
    return rc;
}

static int run_receipts(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *pos[1];
    struct hc_opt opts[] = {{"--db", &db}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    hc_customs_ctx *x = NULL;
    char dir[1024];
    if (got == 1) {
        hc_strlcpy(dir, pos[0], sizeof(dir));
    } else {
        if (open_ctx(argv[0], &x) != 0)
            return 1;
        hc_strlcpy(dir, hc_customs_ctx_inbox(x), sizeof(dir));
        hc_customs_ctx_free(x);
    }
    struct receipts_arg ra = {.cmd = argv[0]};
    if (hc_cli_open(argv[0], db, &ra.s) != 0)
        return 1;
    flush_queued(argv[0], ra.s);
    xmlInitParser();
    hc_err err = {0};
    size_t ok = 0, bad = 0;
    int rc = hc_customs_inbox_scan(dir, apply_file, &ra, &ok, &bad, &err);
    hc_store_close(ra.s);
    if (rc != HC_OK)
        return db_fail(argv[0], &err);
    printf("inbox %s: %zu applied, %zu failed\n", dir, ok, bad);
    return bad ? 1 : 0;
}

struct summary_arg {
    const char *seller, *month;
    int64_t flag, name_flag;
    bool supplement;
    struct hc_customs_summary_row *rows;
    size_t n;
};

static int summary_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct summary_arg *m = p;
    return hc_customs_summary_run(s, a, x, m->seller, m->month, (int)m->flag, (int)m->name_flag,
                                  m->supplement, "cli", &m->rows, &m->n, err);
}

static int run_summary(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *flag = NULL, *name_flag = NULL, *sup = NULL;
    struct summary_arg m = {.flag = 1};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--seller", &m.seller},
                            {"--month", &m.month},
                            {"--summary-flag", &flag},
                            {"--item-name-flag", &name_flag},
                            {"--supplement", &sup}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    if (m.seller == NULL || m.month == NULL)
        return hc_cli_fail(argv[0], "--seller CODE and --month YYYY-MM are required");
    if ((flag && hc_parse_i64(flag, 1, 2, &m.flag) != HC_OK) ||
        (name_flag && hc_parse_i64(name_flag, 0, 1, &m.name_flag) != HC_OK))
        return hc_cli_fail(argv[0], "--summary-flag is 1 or 2, --item-name-flag 0 or 1");
    if (sup && strcmp(sup, "yes") != 0)
        return hc_cli_fail(argv[0], "--supplement yes: a supplementary declaration");
    m.supplement = sup != NULL;
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = in_tx(argv[0], db, true, summary_tx, &m, a);
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        const struct hc_customs_summary_row *g = &m.rows[i];
        printf("%s  customs %s  consignor %s%s%s  traf %s  country %s  port %s  %lld lists  "
               "%lld lines  total %s%s%s\n",
               g->id, g->customs_code, g->ebc_code, g->owner_code ? "  seller " : "",
               g->owner_code ? g->owner_code : "", g->traf_mode, g->country, g->port_code,
               (long long)g->n_lists, (long long)g->n_lines, g->total_price,
               g->supplement ? "  supplementary after " : "",
               g->supplement ? g->supplement_of : "");
        for (int64_t k = 0; k < g->n_lists; k++)
            printf("  %s\n", g->list_ids[k]);
    }
    hc_arena_free(a);
    return rc;
}

struct inspect_arg {
    const char *id, *action, *info;
};

static int inspect_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct inspect_arg *i = p;
    return hc_customs_inspection(s, i->id, i->action, i->info, "cli", err);
}

static int run_inspect(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *pos[2];
    struct inspect_arg i = {0};
    struct hc_opt opts[] = {{"--db", &db}, {"--info", &i.info}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got != 2)
        return hc_cli_fail(argv[0], "usage: haicang customs inspect LIST hold|done|remove");
    i.id = pos[0];
    i.action = pos[1];
    hc_arena *a = hc_arena_new(4096);
    int rc = in_tx(argv[0], db, false, inspect_tx, &i, a);
    if (rc == 0)
        printf("%s: %s\n", i.id, i.action);
    hc_arena_free(a);
    return rc;
}

struct return_arg {
    struct hc_customs_return_req q;
    const char *id, *op_code, *op_name, *location;
    struct hc_customs_return out;
};

static int return_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct return_arg *r = p;
    return hc_customs_return_start(s, a, x, &r->q, &r->out, err);
}

static int tally_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct return_arg *r = p;
    return hc_customs_return_tally(s, a, x, r->id, r->op_code, r->op_name, r->location, "cli",
                                   &r->out, err);
}

static void print_return(const struct hc_customs_return *t)
{
    printf("%s  list %s  at %s (port %s)%s  state %lld (%s)%s%s\n", t->id, t->list_id,
           t->customs_code, t->port_code, t->cross_zone ? "  cross-zone" : "",
           (long long)t->state, hc_customs_status_name((int)t->state),
           t->tallied_at ? "  tallied" : "", t->state_info ? t->state_info : "");
}

/* --items "1:2,3:1": item gnum:qty pairs. */
static int parse_items(const char *v, hc_arena *a, struct hc_customs_return_req *q)
{
    size_t n = 1;
    for (const char *p = v; *p; p++)
        n += *p == ',';
    struct hc_customs_return_item *it = hc_arena_alloc(a, n * sizeof(*it));
    char *copy = hc_arena_strdup(a, v), *save = NULL;
    size_t k = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':');
        if (colon == NULL)
            return -1;
        *colon = '\0';
        if (hc_parse_i64(t, 1, 100, &it[k].gnum) != HC_OK ||
            hc_parse_i64(colon + 1, 1, 1000000, &it[k].qty) != HC_OK)
            return -1;
        k++;
    }
    q->items = it;
    q->n_items = k;
    return 0;
}

static int run_return(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *items = NULL;
    struct return_arg r = {.q = {.actor = "cli"}};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--list", &r.q.list_id},
                            {"--reason", &r.q.reason},
                            {"--customs-code", &r.q.customs_code},
                            {"--port-code", &r.q.port_code},
                            {"--logistics-no", &r.q.logistics_no},
                            {"--traf-mode", &r.q.traf_mode},
                            {"--traf-name", &r.q.traf_name},
                            {"--voyage-no", &r.q.voyage_no},
                            {"--bill-no", &r.q.bill_no},
                            {"--items", &items}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    if (r.q.list_id == NULL || r.q.reason == NULL)
        return hc_cli_fail(argv[0], "--list ID and --reason TEXT are required");
    hc_arena *a = hc_arena_new(1 << 16);
    int rc;
    if (items && parse_items(items, a, &r.q) != 0)
        rc = hc_cli_fail(argv[0], "--items is GNUM:QTY[,GNUM:QTY...]");
    else if ((rc = in_tx(argv[0], db, true, return_tx, &r, a)) == 0)
        print_return(&r.out);
    hc_arena_free(a);
    return rc;
}

static int run_tally(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *pos[1];
    struct return_arg r = {0};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--operator-code", &r.op_code},
                            {"--operator-name", &r.op_name},
                            {"--location", &r.location}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    if (got != 1)
        return hc_cli_fail(argv[0], "usage: haicang customs tally RETURN --operator-code C "
                                    "--operator-name NAME [--location L]");
    r.id = pos[0];
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = in_tx(argv[0], db, true, tally_tx, &r, a);
    if (rc == 0)
        print_return(&r.out);
    hc_arena_free(a);
    return rc;
}

static int register_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    return hc_customs_registration_put(s, p, err);
}

static int run_register(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct hc_customs_registration g = {0};
    struct hc_opt opts[] = {{"--db", &db},           {"--seller", &g.seller},
                            {"--role", &g.role},     {"--code", &g.code},
                            {"--name", &g.name},     {"--dxp-id", &g.dxp_id}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    hc_arena *a = hc_arena_new(4096);
    int rc = in_tx(argv[0], db, false, register_tx, &g, a);
    if (rc == 0)
        printf("%s %s: %s %s\n", g.seller, g.role, g.code, g.name);
    hc_arena_free(a);
    return rc;
}

#define BILL_LISTS_MAX 256
struct bill_arg {
    struct hc_customs_bill_req b;
    const char *cop;
};

static int bill_tx(hc_store *s, hc_arena *a, hc_customs_ctx *x, void *p, hc_err *err)
{
    struct bill_arg *b = p;
    return hc_customs_bill_link(s, a, x, &b->b, &b->cop, err);
}

static int run_bill(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    static const char *pos[BILL_LISTS_MAX];
    struct bill_arg b = {.b = {.actor = "cli"}};
    struct hc_opt opts[] = {{"--db", &db},
                            {"--seller", &b.b.seller},
                            {"--bill-no", &b.b.bill_no},
                            {"--traf-mode", &b.b.traf_mode},
                            {"--traf-name", &b.b.traf_name},
                            {"--voyage-no", &b.b.voyage_no}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, BILL_LISTS_MAX, &got) != 0)
        return 2;
    if (b.b.seller == NULL || got == 0)
        return hc_cli_fail(argv[0], "usage: haicang customs bill --seller S --bill-no B "
                                    "--traf-mode M --voyage-no V LIST...");
    b.b.list_ids = pos;
    b.b.n_lists = got;
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = in_tx(argv[0], db, true, bill_tx, &b, a);
    if (rc == 0)
        printf("%s: %zu lists on bill %s\n", b.cop, got, b.b.bill_no);
    hc_arena_free(a);
    return rc;
}

/* The messages a crash left queued, written now (also done by every record
 * command and at server start-up). */
static int run_flush(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct hc_opt opts[] = {{"--db", &db}};
    size_t got, n = 0;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    hc_store *s;
    if (hc_cli_open(argv[0], db, &s) != 0)
        return 1;
    hc_customs_config c;
    char outbox[1024];
    hc_err err = {0};
    hc_customs_config_env(&c);
    hc_customs_config_outbox(&c, outbox, sizeof(outbox));
    int rc = hc_customs_flush_outbox(s, outbox, NULL, 0, &n, &err);
    hc_store_close(s);
    if (rc != HC_OK)
        return db_fail(argv[0], &err);
    printf("outbox %s: %zu queued messages written\n", outbox, n);
    return 0;
}

static const db_cmd db_cmds[] = {
    {"flush", "flush [--db URL]   (write the messages left queued into the outbox)", run_flush},
    {"register", "register --seller S --role ebc|ebp|logistics|agent|warehouse --code C "
                 "--name N [--dxp-id D] [--db URL]", run_register},
    {"declare", "declare --order ID | --inbound ID [--mode 9610|9710|9810] [--customs-code C] "
                "[--port-code C] [--traf-mode M] [--db URL]", run_declare},
    {"show", "show LIST [--xml CEB603] [--db URL]   (a list with history; or a message of a "
             "list, summary, return or bill)", run_show},
    {"lists", "lists [--seller S] [--state N] [--month YYYY-MM] [--db URL]", run_lists},
    {"receipts", "receipts [DIR] [--db URL]   (apply the receipts in DIR, default the inbox)",
     run_receipts},
    {"summary", "summary --seller S --month YYYY-MM [--summary-flag 1|2] [--item-name-flag 0|1] "
                "[--supplement yes] [--db URL]", run_summary},
    {"bill", "bill --seller S --bill-no B --traf-mode M --voyage-no V [--traf-name N] LIST... "
             "[--db URL]", run_bill},
    {"inspect", "inspect LIST hold|done|remove [--info TEXT] [--db URL]", run_inspect},
    {"return", "return --list ID --reason TEXT [--customs-code C] [--port-code C] "
               "--traf-name N --voyage-no V [--bill-no B] [--logistics-no N] [--traf-mode M] "
               "[--items GNUM:QTY,...] [--db URL]",
     run_return},
    {"tally", "tally RETURN --operator-code C --operator-name N [--location L] [--db URL]",
     run_tally},
};

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "customs: %s\n", why);
    fprintf(stderr, "usage:\n");
    for (size_t i = 0; i < HC_ARRAY_LEN(cmds); i++)
        fprintf(stderr, "  haicang customs %s\n", cmds[i].usage);
    for (size_t i = 0; i < HC_ARRAY_LEN(db_cmds); i++)
        fprintf(stderr, "  haicang customs %s\n", db_cmds[i].usage);
    fprintf(stderr, "record commands read HAICANG_CUSTOMS_* (docs/customs.md)\n");
    fprintf(stderr, "defaults: --ref-data %s --xsd %s --ref-extra %s\n", defaults.refdata,
            defaults.xsd, defaults.refextra);
    return 2;
}

int hc_cmd_customs(int argc, char **argv)
{
    hc_customs_config env;
    hc_customs_config_env(&env);
    hc_customs_config_paths(&env, &defaults);
    if (argc < 2)
        return usage(NULL);
    for (size_t i = 0; i < HC_ARRAY_LEN(db_cmds); i++)
        if (strcmp(argv[1], db_cmds[i].name) == 0) {
            char **av = named(argc - 1, argv + 1, db_cmds[i].name);
            int rc = db_cmds[i].run(argc - 1, av);
            free(av);
            return rc;
        }
    const cmd *c = NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(cmds); i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            c = &cmds[i];
    if (c == NULL)
        return usage(strcmp(argv[1], "--help") == 0 ? NULL : "unknown sub-command");
    opts o = {.ref = defaults.refdata, .extra = defaults.refextra, .xsd = defaults.xsd};
    const char *alg = NULL;
    struct hc_opt oo[] = {{"--ref-data", &o.ref}, {"--ref-extra", &o.extra}, {"--xsd", &o.xsd},
                          {"--key", &o.key},       {"--cert", &o.cert},       {"-o", &o.out},
                          {"--alg", &alg}};
    size_t got;
    char **av = named(argc - 1, argv + 1, c->name);
    int prc = hc_cli_parse(argc - 1, av, oo, HC_ARRAY_LEN(oo), &o.file, 1, &got);
    free(av);
    if (prc != 0)
        return usage(NULL);
    if (alg && strcmp(alg, "sm2") == 0)
        o.alg = HC_CUSTOMS_SIG_SM2_SM3;
    else if (alg && strcmp(alg, "rsa") == 0)
        o.alg = HC_CUSTOMS_SIG_RSA_SHA1;
    else if (alg)
        return usage("--alg must be sm2 or rsa");
    if (o.file == NULL)
        return usage("a file is required");
    xmlInitParser();
    return c->run(&o);
}

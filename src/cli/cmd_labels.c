/* cmd_labels.c: `haicang label upload|inbound|product`: an uploaded ready
 * label for an order, an inbound's carton labels (SSCC) and a SKU's product
 * labels, through the same src/lastmile calls as the API. */
#include "cli.h"

#include "catalog/catalog.h"
#include "lastmile/lastmile.h"
#include "orders/orders.h"
#include "warehouse/warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail_err(const char *cmd, const hc_err *err)
{
    return hc_cli_fail(cmd, "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

static int write_out(const char *cmd, const char *outp, const hc_buf *b)
{
    FILE *f = outp ? fopen(outp, "wb") : stdout;
    if (f == NULL || fwrite(b->p, 1, b->n, f) != b->n || (outp && fclose(f) != 0))
        return hc_cli_fail(cmd, "cannot write %s", outp ? outp : "stdout");
    return 0;
}

static int label_upload(int argc, char **argv, const char *db)
{
    const char *carrier = NULL, *tracking = NULL, *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db}, {"--carrier", &carrier}, {"--tracking", &tracking}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got != 2 || !carrier || !tracking) {
        fputs("usage: haicang label upload ORDER FILE.pdf --carrier C --tracking NO [--db URL]\n",
              stderr);
        return 2;
    }
    hc_err err = {0};
    char *pdf = NULL;
    size_t n = 0;
    if (hc_cli_read_file(pos[1], HC_LM_UPLOAD_MAX + 1, &pdf, &n, &err) != HC_OK)
        return fail_err("label upload", &err);
    hc_store *s;
    if (hc_cli_open("label upload", db, &s) != 0) {
        free(pdf);
        return 1;
    }
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_order o;
    struct hc_lm_upload u = {.carrier = carrier, .tracking_no = tracking, .pdf = pdf,
                             .pdf_len = n};
    bool replaced = false;
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK) {
        rc = hc_order_get(s, a, pos[0], &o, &err);
        if (rc == HC_OK) {
            u.order_id = o.id;
            u.warehouse = o.warehouse;
            u.seller = o.seller;
            u.order_status = o.status;
            rc = hc_lm_upload_put(s, a, &u, "cli", &replaced, &err);
        }
        rc = hc_cli_end_tx(s, rc, &err);
    }
    int ret = rc == HC_OK ? 0 : fail_err("label upload", &err);
    if (ret == 0)
        printf("%s label of order %s: %s %s, %zu bytes\n", replaced ? "replaced" : "stored",
               u.order_id, u.carrier, u.tracking_no, u.pdf_len);
    free(pdf);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static int label_inbound(int argc, char **argv, const char *db)
{
    const char *cartons = NULL, *fmt = "pdf", *outp = NULL, *pos[1] = {NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},     {"--cartons", &cartons}, {"--format", &fmt},
                            {"--out", &outp},  {"-o", &outp}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    int64_t n = 0;
    bool pdf = strcmp(fmt, "pdf") == 0;
    if (got != 1 || !cartons || hc_parse_i64(cartons, 1, HC_LM_CARTONS_MAX, &n) != HC_OK ||
        (!pdf && strcmp(fmt, "zpl") != 0)) {
        fputs("usage: haicang label inbound INBOUND --cartons N(1-999) [--format pdf|zpl] "
              "[--out FILE] [--db URL]\n",
              stderr);
        return 2;
    }
    hc_store *s;
    if (hc_cli_open("label inbound", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_inbound in;
    const char **sscc = NULL;
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK) {
        rc = hc_inbound_get(s, a, pos[0], &in, &err);
        if (rc == HC_OK)
            rc = hc_lm_cartons_assign(s, a, in.id, in.warehouse, n, &sscc, &err);
        rc = hc_cli_end_tx(s, rc, &err);
    }
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    if (rc == HC_OK) {
        struct hc_lm_carton_label *v = hc_arena_alloc(a, sizeof(*v) * (size_t)n);
        for (int64_t i = 0; i < n; i++)
            v[i] = (struct hc_lm_carton_label){.sscc = sscc[i], .inbound = in.id,
                                               .seller = in.seller, .warehouse = in.warehouse,
                                               .reference = in.reference, .carton_no = i + 1,
                                               .carton_count = n};
        rc = pdf ? hc_lm_carton_pdf(v, (size_t)n, &b, &err)
                 : hc_lm_carton_zpl(v, (size_t)n, &b, &err);
    }
    int ret = rc == HC_OK ? write_out("label inbound", outp, &b) : fail_err("label inbound", &err);
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static int parse_code(const char *code, const char *fnsku, const struct hc_sku *k,
                      struct hc_lm_product_label *l)
{
    *l = (struct hc_lm_product_label){.code = HC_LM_CODE_SKU, .data = k->sku, .name = k->name};
    if (strcmp(code, "sku") == 0)
        return fnsku ? -1 : 0;
    if (strcmp(code, "fnsku") == 0) {
        l->code = HC_LM_CODE_FNSKU;
        l->data = fnsku ? fnsku : "";
        return 0;
    }
    if (strcmp(code, "barcode") == 0) {
        l->data = k->barcode ? k->barcode : "";
        l->code = strlen(l->data) == 12 ? HC_LM_CODE_UPCA : HC_LM_CODE_EAN13;
        return 0;
    }
    return -1;
}

static int label_product(int argc, char **argv, const char *db)
{
    const char *qty = "1", *code = "sku", *fnsku = NULL, *sheet = "roll", *outp = NULL;
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},       {"--qty", &qty},   {"--code", &code},
                            {"--fnsku", &fnsku}, {"--sheet", &sheet}, {"--out", &outp},
                            {"-o", &outp}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    int64_t n = 0;
    int sh = strcmp(sheet, "roll") == 0 ? HC_LM_SHEET_ROLL
             : strcmp(sheet, "a4") == 0 ? HC_LM_SHEET_A4
                                        : 0;
    if (got != 2 || sh == 0 || hc_parse_i64(qty, 1, HC_LM_PRODUCT_QTY_MAX, &n) != HC_OK) {
        fputs("usage: haicang label product SELLER SKU [--qty N] [--code sku|fnsku|barcode] "
              "[--fnsku X] [--sheet roll|a4] [--out FILE] [--db URL]\n",
              stderr);
        return 2;
    }
    hc_store *s;
    if (hc_cli_open("label product", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_sku k;
    struct hc_lm_product_label l;
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    int ret;
    if (hc_sku_get(s, a, pos[0], pos[1], &k, &err) != HC_OK)
        ret = fail_err("label product", &err);
    else if (parse_code(code, fnsku, &k, &l) != 0)
        ret = hc_cli_fail("label product", "--code must be sku, fnsku (with --fnsku) or barcode");
    else if (hc_lm_product_pdf(&l, n, sh, &b, &err) != HC_OK)
        ret = fail_err("label product", &err);
    else
        ret = write_out("label product", outp, &b);
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

bool hc_label_is_sub(const char *word)
{
    return word && (strcmp(word, "upload") == 0 || strcmp(word, "inbound") == 0 ||
                    strcmp(word, "product") == 0);
}

int hc_cmd_label_sub(int argc, char **argv)
{
    HC_ASSERT(argc >= 1 && hc_label_is_sub(argv[0]));
    const char *db = hc_cli_default_db();
    if (strcmp(argv[0], "upload") == 0)
        return label_upload(argc, argv, db);
    if (strcmp(argv[0], "inbound") == 0)
        return label_inbound(argc, argv, db);
    return label_product(argc, argv, db);
}

/* ---- the demo ------------------------------------------------------------------------------- */

/* A label "bought elsewhere" for the demo: a 4x6 UPS-style label drawn by
 * cairo (through label.c), as a seller would upload it. */
static int demo_bought_label(const struct hc_order *o, hc_buf *b, hc_err *err)
{
    struct hc_lm_label l = {.carrier = "UPS", .service_name = "UPS Standard (uploaded by seller)",
                            .tracking_no = "1Z999AA10123456784", .numbering = HC_LM_NUM_S10,
                            .reference = o->id, .weight_g = 800, .parcel_no = 1,
                            .parcel_count = 1, .ship_day = "",
                            .from = {o->seller}, .to = {o->ship_name, o->ship_country},
                            .to_country = o->ship_country, .to_postcode = ""};
    return hc_lm_label_pdf(&l, b, err);
}

static int demo_labels_tx(hc_store *s, hc_arena *a, FILE *out, hc_err *err)
{
    static const struct hc_lm_gs1 prefixes[] = {{"DE-DUI", "4012345", 0},
                                                {"US-LAX", "0614141", 0}};
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(prefixes); i++)
        rc = hc_lm_gs1_put(s, &prefixes[i], "demo", err);
    /* the upload: an allocated order without parcels yet */
    hc_stmt *q;
    char oid[40] = "";
    if (rc == HC_OK &&
        (rc = hc_store_query(s, err, &q,
                             "SELECT id FROM orders WHERE status = 'allocated' AND id NOT IN"
                             " (SELECT order_id FROM lm_parcels) ORDER BY id LIMIT 1",
                             "")) == HC_OK) {
        if ((rc = hc_stmt_step(q, err)) == HC_ROW)
            hc_strlcpy(oid, hc_stmt_text(q, 0), sizeof(oid));
        hc_stmt_reset(q);
        rc = rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
    }
    if (rc != HC_OK || oid[0] == '\0')
        return rc;
    struct hc_order o;
    hc_buf b;
    hc_buf_init(&b, HC_LM_UPLOAD_MAX);
    if ((rc = hc_order_get(s, a, oid, &o, err)) == HC_OK &&
        (rc = demo_bought_label(&o, &b, err)) == HC_OK) {
        struct hc_lm_upload u = {.order_id = o.id, .warehouse = o.warehouse, .seller = o.seller,
                                 .order_status = o.status, .carrier = "UPS",
                                 .tracking_no = "1Z999AA10123456784", .pdf = b.p,
                                 .pdf_len = b.n};
        rc = hc_lm_upload_put(s, a, &u, "demo", NULL, err);
        if (rc == HC_OK && out)
            fprintf(out, "labels: GS1 prefixes of DE-DUI and US-LAX; order %s has an uploaded "
                         "UPS label\n", o.id);
    }
    hc_buf_free(&b);
    return rc;
}

int hc_demo_labels(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, demo_labels_tx(s, a, out, err), err);
    hc_arena_free(a);
    return rc;
}

/* cmd_transfer.c: `haicang transfer ...`: transfer orders (FBA replenishment
 * and other B2B outbound) through the same src/transfer calls the API's
 * handlers make: create, list, show, pack (proposal or record), labels,
 * work orders done, ship, cancel. */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "transfer/transfer.h"
#include "warehouse/warehouse.h"

static const char USAGE[] =
    "usage: haicang transfer create --seller S --warehouse W --dest fba|awd|wfs|temu|haicang|"
    "address\n"
    "         [--shipment ID] [--to-warehouse W2] [--address JSON] [--relabel N] [--bundle N]\n"
    "         [--freight-ref R] SKU:QTY[:FNSKU]...\n"
    "       haicang transfer list [--seller S] [--warehouse W] [--status ST]\n"
    "       haicang transfer show ID\n"
    "       haicang transfer pack ID --carton LxWxH [--max-weight-g G] [--pallet LxWxH]\n"
    "         [--gs1-prefix P] [--record]\n"
    "       haicang transfer labels ID --out FILE.pdf\n"
    "       haicang transfer complete ID WORK_ORDER\n"
    "       haicang transfer ship ID [--freight-ref R]\n"
    "       haicang transfer cancel ID\n"
    "       (all take --db URL)\n";

static int fail_err(const hc_err *err)
{
    return hc_cli_fail("transfer", "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

struct job {
    hc_arena *a;
    const char *what, *id, *work, *freight_ref, *gs1;
    struct hc_transfer t;
    struct hc_tr_service_req svc[2];
    size_t nsvc;
    struct hc_tr_proposal p;
    struct hc_tr_work w;
};

static int job_run(hc_store *s, void *ctx, hc_err *err)
{
    struct job *j = ctx;
    int rc;
    if (strcmp(j->what, "create") == 0) {
        rc = hc_transfer_create(s, j->a, &j->t, j->svc, j->nsvc, "cli", err);
        j->id = j->t.id;
    } else if (strcmp(j->what, "record") == 0) {
        rc = hc_tr_cartons_record(s, j->a, j->id, j->p.cartons, j->p.ncartons, j->p.pallets,
                                  j->p.npallets, j->gs1, "cli", err);
    } else if (strcmp(j->what, "complete") == 0) {
        rc = hc_tr_work_complete(s, j->a, j->id, j->work, "cli", &j->w, err);
    } else if (strcmp(j->what, "ship") == 0) {
        rc = hc_transfer_ship(s, j->a, j->id, j->freight_ref, "cli", err);
    } else {
        HC_ASSERT(strcmp(j->what, "cancel") == 0);
        rc = hc_transfer_cancel(s, j->a, j->id, "cli", err);
    }
    return rc == HC_OK ? hc_transfer_get(s, j->a, j->id, &j->t, err) : rc;
}

static int write_job(const char *url, struct job *j, hc_err *err)
{
    hc_store *s;
    if (hc_cli_open("transfer", url, &s) != 0) /* migrates */
        return hc_err_set(err, HC_EUNAVAILABLE, "db", "cannot open the database");
    hc_store_close(s);
    hc_db *db;
    int rc = hc_db_open(url, NULL, &db, err);
    if (rc == HC_OK) {
        rc = hc_db_write(db, job_run, j, err);
        hc_db_close(db);
    }
    return rc;
}

static void print_transfer(const struct hc_transfer *t)
{
    printf("%s %s %s -> %s %s %s shipment %s\n", t->id, t->seller, t->warehouse,
           hc_tr_dest_name(t->dest_type), *t->dest_warehouse ? t->dest_warehouse : t->dest_country,
           t->status, t->shipment_id);
    if (t->missing && *t->missing)
        printf("  missing: %s\n", t->missing);
    bool arrival = t->inbound_id && *t->inbound_id;
    for (size_t i = 0; i < t->nlines; i++) {
        const struct hc_tr_line *l = &t->lines[i];
        printf("  line %s x%lld %s", l->sku, (long long)l->qty, l->fnsku);
        if (arrival)
            printf(" received %lld in_transit %lld lost %lld", (long long)l->received,
                   (long long)l->in_transit, (long long)l->lost);
        printf("\n");
    }
    for (size_t i = 0; i < t->nwork; i++) {
        char amt[40] = "";
        if (*t->work[i].currency)
            hc_decimal_format(t->work[i].charge_minor, 2, amt, sizeof(amt));
        printf("  work %s %s %lld %s %s %s\n", t->work[i].id, t->work[i].service,
               (long long)t->work[i].units, t->work[i].status, amt, t->work[i].currency);
    }
    for (size_t i = 0; i < t->ncartons; i++)
        printf("  carton %s %lld g pallet %lld\n", t->cartons[i].carton_id,
               (long long)t->cartons[i].weight_g, (long long)t->cartons[i].pallet_no);
    for (size_t i = 0; i < t->npallets; i++)
        printf("  pallet %s %lld cartons\n", t->pallets[i].sscc, (long long)t->pallets[i].cartons);
    if (t->freight_ref && *t->freight_ref)
        printf("  freight %s\n", t->freight_ref);
    if (t->inbound_id && *t->inbound_id)
        printf("  inbound %s\n", t->inbound_id);
}

/* "SKU:QTY[:FNSKU]" */
static bool line_of(hc_arena *a, const char *arg, struct hc_tr_line *l)
{
    char *s = hc_arena_strdup(a, arg), *q = strchr(s, ':');
    if (q == NULL)
        return false;
    *q++ = '\0';
    char *f = strchr(q, ':');
    if (f)
        *f++ = '\0';
    l->sku = s;
    l->fnsku = f ? f : "";
    return *s && hc_parse_i64(q, 1, 1000000, &l->qty) == HC_OK;
}

static bool dims_of(const char *s, int64_t d[3])
{
    long long a, b, c;
    char end;
    if (s == NULL || sscanf(s, "%lldx%lldx%lld%c", &a, &b, &c, &end) != 3)
        return false;
    d[0] = a, d[1] = b, d[2] = c;
    return a >= 1 && b >= 1 && c >= 1 && a <= 20000 && b <= 20000 && c <= 20000;
}

static int cmd_create(int argc, char **argv, const char *db)
{
    const char *seller = NULL, *wh = NULL, *dest = NULL, *ship = NULL, *to_wh = NULL,
               *addr = NULL, *relabel = NULL, *bundle = NULL, *fref = NULL, *dbx = db;
    const char *pos[HC_TR_LINES_MAX];
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &dbx},         {"--seller", &seller},
                            {"--warehouse", &wh},   {"--dest", &dest},
                            {"--shipment", &ship},  {"--to-warehouse", &to_wh},
                            {"--address", &addr},   {"--relabel", &relabel},
                            {"--bundle", &bundle},  {"--freight-ref", &fref}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, HC_TR_LINES_MAX, &got) != 0)
        return 2;
    hc_arena *a = hc_arena_new(1 << 16);
    struct job j = {.a = a, .what = "create"};
    struct hc_transfer *t = &j.t;
    hc_err err = {0};
    int ret = 0;
    t->seller = seller;
    t->warehouse = wh;
    t->dest_type = hc_tr_dest_parse(dest);
    t->dest_warehouse = to_wh;
    t->shipment_id = ship;
    t->freight_ref = fref;
    t->address_json = "{}";
    t->nlines = got;
    t->lines = hc_arena_alloc(a, sizeof(*t->lines) * (got + 1));
    bool ok = seller && wh && dest && got > 0;
    for (size_t i = 0; ok && i < got; i++)
        ok = line_of(a, pos[i], &t->lines[i]);
    if (ok && addr) {
        json_t *ad = json_loads(addr, 0, NULL);
        ok = json_is_object(ad);
        const char *c = ad ? json_string_value(json_object_get(ad, "country")) : NULL;
        t->dest_country = c ? hc_arena_strdup(a, c) : NULL;
        char *dump = ad ? json_dumps(ad, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        t->address_json = hc_arena_strdup(a, dump ? dump : "{}");
        free(dump);
        json_decref(ad);
    }
    const char *counts[2] = {relabel, bundle}, *names[2] = {"relabel", "bundle"};
    for (int i = 0; ok && i < 2; i++)
        if (counts[i]) {
            j.svc[j.nsvc].service = names[i];
            ok = hc_parse_i64(counts[i], 1, 1000000, &j.svc[j.nsvc++].units) == HC_OK;
        }
    if (!ok) {
        fputs(USAGE, stderr);
        ret = 2;
    } else if (write_job(dbx, &j, &err) != HC_OK) {
        ret = fail_err(&err);
    } else {
        print_transfer(&j.t);
    }
    hc_arena_free(a);
    return ret;
}

static int cmd_read(const char *what, const char *db, const char *id, const char *seller,
                    const char *wh, const char *status)
{
    hc_store *s;
    if (hc_cli_open("transfer", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int ret = 0;
    if (strcmp(what, "show") == 0) {
        struct hc_transfer t;
        if (hc_transfer_get(s, a, id, &t, &err) != HC_OK)
            ret = fail_err(&err);
        else
            print_transfer(&t);
    } else {
        struct hc_tr_filter f = {.seller = seller, .warehouse = wh, .status = status,
                                 .limit = 1000};
        struct hc_transfer *v;
        size_t n;
        const char *next;
        if (hc_transfer_list(s, a, &f, &v, &n, &next, &err) != HC_OK)
            ret = fail_err(&err);
        for (size_t i = 0; ret == 0 && i < n; i++)
            printf("%s %s %s -> %s %s %s %s\n", v[i].id, v[i].seller, v[i].warehouse,
                   hc_tr_dest_name(v[i].dest_type),
                   *v[i].dest_warehouse ? v[i].dest_warehouse : v[i].dest_country,
                   v[i].shipment_id, v[i].status);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static int cmd_pack(const char *db, const char *id, const char *carton, const char *maxw,
                    const char *pallet, const char *gs1, bool record)
{
    struct hc_tr_pack_opts o = {0};
    if (!dims_of(carton, o.carton_mm) || (pallet && !dims_of(pallet, o.pallet_mm)) ||
        (maxw && hc_parse_i64(maxw, 1, 10000000, &o.carton_max_g) != HC_OK)) {
        fputs(USAGE, stderr);
        return 2;
    }
    hc_store *s;
    if (hc_cli_open("transfer", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct job j = {.a = a, .what = "record", .id = id, .gs1 = gs1};
    struct hc_tr_unit *u;
    int ret = 0;
    if (hc_transfer_get(s, a, id, &j.t, &err) || hc_tr_units(s, a, &j.t, &u, &err) ||
        hc_tr_pack_propose(a, u, j.t.nlines, &o, &j.p, &err))
        ret = fail_err(&err);
    hc_store_close(s);
    if (ret == 0)
        printf("%zu cartons, %zu pallets, %lld units, %lld g\n", j.p.ncartons, j.p.npallets,
               (long long)j.p.units, (long long)j.p.weight_g);
    if (ret == 0 && record) {
        if (write_job(db, &j, &err) != HC_OK)
            ret = fail_err(&err);
        else
            print_transfer(&j.t);
    }
    hc_arena_free(a);
    return ret;
}

static int cmd_labels(const char *db, const char *id, const char *out)
{
    hc_store *s;
    if (out == NULL) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (hc_cli_open("transfer", db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_transfer t;
    struct hc_warehouse w;
    hc_buf b;
    hc_buf_init(&b, 64u << 20);
    int ret = 0;
    if (hc_transfer_get(s, a, id, &t, &err) || hc_warehouse_get(s, a, t.warehouse, &w, &err)) {
        ret = fail_err(&err);
    } else {
        const char *from[1] = {hc_arena_printf(a, "%s %s", w.code, w.name ? w.name : "")};
        const char *to[1] = {*t.dest_warehouse ? t.dest_warehouse : t.dest_country};
        FILE *f = NULL;
        if (hc_tr_labels_pdf(&t, from, 1, to, 1, &b, &err) != HC_OK)
            ret = fail_err(&err);
        else if ((f = fopen(out, "wb")) == NULL || fwrite(b.p, 1, b.n, f) != b.n)
            ret = hc_cli_fail("transfer", "cannot write %s", out);
        if (f && fclose(f) != 0 && ret == 0)
            ret = hc_cli_fail("transfer", "cannot write %s", out);
        if (ret == 0)
            printf("%s: %zu carton and %zu pallet labels\n", out, t.ncartons, t.npallets);
    }
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}

static int cmd_write(const char *what, const char *db, const char *id, const char *work,
                     const char *fref)
{
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct job j = {.a = a, .what = what, .id = id, .work = work, .freight_ref = fref};
    int ret = 0;
    if (write_job(db, &j, &err) != HC_OK)
        ret = fail_err(&err);
    else
        print_transfer(&j.t);
    hc_arena_free(a);
    return ret;
}

int hc_cmd_transfer(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    if (argc >= 2 && strcmp(argv[1], "create") == 0)
        return cmd_create(argc - 1, argv + 1, db);
    const char *seller = NULL, *wh = NULL, *status = NULL, *carton = NULL, *maxw = NULL,
               *pallet = NULL, *gs1 = NULL, *out = NULL, *fref = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t got = 0;
    bool rec = false;
    struct hc_opt opts[] = {{"--db", &db},          {"--seller", &seller},
                            {"--warehouse", &wh},   {"--status", &status},
                            {"--carton", &carton},  {"--max-weight-g", &maxw},
                            {"--pallet", &pallet},  {"--gs1-prefix", &gs1},
                            {"--out", &out},        {"--freight-ref", &fref}};
    struct hc_flag flags[] = {{"--record", &rec}};
    if (hc_cli_args(argc, argv, opts, HC_ARRAY_LEN(opts), flags, 1, pos, 3, &got) != 0)
        return 2;
    const char *cmd = got ? pos[0] : "";
    if (got == 1 && strcmp(cmd, "list") == 0)
        return cmd_read("list", db, NULL, seller, wh, status);
    if (got == 2 && strcmp(cmd, "show") == 0)
        return cmd_read("show", db, pos[1], NULL, NULL, NULL);
    if (got == 2 && strcmp(cmd, "pack") == 0)
        return cmd_pack(db, pos[1], carton, maxw, pallet, gs1, rec);
    if (got == 2 && strcmp(cmd, "labels") == 0)
        return cmd_labels(db, pos[1], out);
    if (got == 3 && strcmp(cmd, "complete") == 0)
        return cmd_write("complete", db, pos[1], pos[2], NULL);
    if (got == 2 && (strcmp(cmd, "ship") == 0 || strcmp(cmd, "cancel") == 0))
        return cmd_write(cmd, db, pos[1], NULL, fref);
    fputs(USAGE, stderr);
    return 2;
}

/* ---- the demo ---------------------------------------------------------------------------- */

/* An FBA replenishment of SZ-ANKO from DE-DUI to Amazon DTM2, packed by the
 * proposal onto a pallet, with its relabel work order still open; and a
 * transfer to US-LAX packed by hand and shipped (an expected inbound there). */
/* A transfer of qty AK-0003 from DE-DUI to US-LAX, packed and shipped; with
 * received > 0 its inbound receives that many and is closed short. */
static int demo_to_lax(hc_store *s, hc_arena *a, int64_t qty, const char *freight,
                       int64_t received, FILE *out, hc_err *err)
{
    struct hc_tr_line line = {.sku = "AK-0003", .qty = qty, .fnsku = ""};
    struct hc_transfer h = {.seller = "SZ-ANKO", .warehouse = "DE-DUI",
                            .dest_type = HC_TR_HAICANG, .dest_warehouse = "US-LAX",
                            .address_json = "{}", .freight_ref = freight, .lines = &line,
                            .nlines = 1};
    struct hc_tr_carton_item it = {"AK-0003", qty};
    struct hc_tr_carton c = {.dims_mm = {500, 400, 300}, .weight_g = 620 * qty, .items = &it,
                             .nitems = 1};
    int rc = hc_transfer_create(s, a, &h, NULL, 0, "demo", err);
    if (rc == HC_OK && strcmp(h.status, "open") == 0) {
        rc = hc_tr_cartons_record(s, a, h.id, &c, 1, NULL, 0, NULL, "demo", err);
        if (rc == HC_OK)
            rc = hc_transfer_ship(s, a, h.id, NULL, "demo", err);
        if (rc == HC_OK)
            rc = hc_transfer_get(s, a, h.id, &h, err);
    }
    struct hc_qty_line got = {.sku = "AK-0003", .qty = received};
    struct hc_inbound in;
    if (rc == HC_OK && received > 0 && *h.inbound_id) {
        rc = hc_inbound_receive(s, a, h.inbound_id, &got, 1, "demo", &in, err);
        if (rc == HC_OK)
            rc = hc_inbound_close(s, a, h.inbound_id, "cartons missing on arrival", "demo", &in,
                                  err);
        if (rc == HC_OK)
            rc = hc_transfer_get(s, a, h.id, &h, err);
    }
    if (rc == HC_OK)
        fprintf(out, "transfer %s: DE-DUI -> US-LAX (%s, %lld lost)\n", h.id, h.status,
                (long long)h.lines[0].lost);
    return rc;
}

static int demo_tx(hc_store *s, hc_arena *a, FILE *out, hc_err *err)
{
    struct hc_tr_line fba_lines[] = {{.sku = "AK-0001", .qty = 24, .fnsku = "X001ANKO01"},
                                     {.sku = "AK-0002", .qty = 16, .fnsku = "X001ANKO02"}};
    struct hc_transfer t = {
        .seller = "SZ-ANKO", .warehouse = "DE-DUI", .dest_type = HC_TR_FBA,
        .dest_country = "DE", .shipment_id = "FBA15DEMO0A1",
        .address_json = "{\"city\":\"Dortmund\",\"country\":\"DE\",\"fc_code\":\"DTM2\","
                        "\"line1\":\"Kaltbandstra\xc3\x9f" "e 4\",\"name\":\"Amazon.de DTM2\","
                        "\"postcode\":\"44145\"}",
        .freight_ref = "LTL-DHL-FREIGHT-4471", .lines = fba_lines, .nlines = 2};
    struct hc_tr_service_req relabel = {"relabel", 40, "cover the Chinese labels with FNSKU"};
    int rc = hc_transfer_create(s, a, &t, &relabel, 1, "demo", err);
    struct hc_tr_unit *u;
    struct hc_tr_proposal p;
    struct hc_tr_pack_opts o = {.carton_mm = {600, 400, 400}, .carton_max_g = 15000,
                                .carton_tare_g = 400, .pallet_mm = {1200, 800, 1500}};
    if (rc == HC_OK)
        rc = hc_tr_units(s, a, &t, &u, err);
    if (rc == HC_OK)
        rc = hc_tr_pack_propose(a, u, t.nlines, &o, &p, err);
    if (rc == HC_OK)
        rc = hc_tr_cartons_record(s, a, t.id, p.cartons, p.ncartons, p.pallets, p.npallets,
                                  "4012345", "demo", err);
    if (rc == HC_OK)
        fprintf(out, "transfer %s: FBA %s, %zu cartons on %zu pallets, relabel open\n", t.id,
                t.shipment_id, p.ncartons, p.npallets);
    if (rc == HC_OK)
        rc = demo_to_lax(s, a, 10, "SEA-HAM-LAX-0093", 0, out, err);
    /* one closed short: 3 of 8 never arrived, written off to lost/transfer/<id> */
    if (rc == HC_OK)
        rc = demo_to_lax(s, a, 8, "SEA-HAM-LAX-0094", 5, out, err);
    return rc;
}

int hc_demo_transfer(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(s, demo_tx(s, a, out, err), err);
    hc_arena_free(a);
    return rc;
}

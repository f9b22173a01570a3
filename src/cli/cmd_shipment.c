/* cmd_shipment.c: haicang shipment create FILE.json | show ID | list |
 * close-container ID NUMBER | depart ID | arrive ID. create reads the body of
 * POST /v1/shipments with the API's own parser, so a file is refused for the
 * same reasons, naming the same fields; every command is one call of
 * src/headhaul in one transaction. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "customs/customs.h"
#include "headhaul/headhaul.h"

#define USAGE                                                                                   \
    "usage: haicang shipment create FILE.json | show ID | list [--seller S] [--warehouse W]"   \
    " [--status booked|departed|arrived|received] [--mode M] [--limit N] | close-container ID" \
    " NUMBER | depart ID [--at T] | arrive ID [--at T]   [--db URL] [--actor NAME]"
#define FILE_MAX (16u << 20)

static int fail_err(const char *what, const hc_err *err)
{
    return hc_cli_fail("shipment", "%s%s%s%s%s", what ? what : "", what ? ": " : "", err->field,
                       err->field[0] ? ": " : "", err->msg);
}

static void print_time(const char *label, int64_t ms)
{
    char t[40] = "-";
    if (ms)
        hc_time_iso(ms, t, sizeof(t));
    printf("%s%s", label, t);
}

static int64_t shipment_eta(const struct hc_shipment *sh)
{
    if (sh->nlegs == 0)
        return 0;
    const struct hc_leg *l = &sh->legs[sh->nlegs - 1];
    return l->ata ? l->ata : l->eta_estimated ? l->eta_estimated : l->eta_planned;
}

static void print_show(const struct hc_shipment *sh)
{
    printf("%s  %s  %s%s  to %s  site %s", sh->id, hc_transport_mode_name(sh->mode),
           hc_shipment_status_name(sh->status), sh->late ? " (late)" : "", sh->warehouse,
           sh->site);
    if (sh->reference && sh->reference[0])
        printf("  ref %s", sh->reference);
    print_time("\nbooked ", sh->created_at);
    print_time("  departed ", sh->departed_at);
    print_time("  arrived ", sh->arrived_at);
    print_time("  eta ", shipment_eta(sh));
    printf("\nlegs:\n");
    for (size_t i = 0; i < sh->nlegs; i++) {
        const struct hc_leg *l = &sh->legs[i];
        printf("  %lld %s -> %s %s %s%s%s", (long long)l->seq, l->from, l->to, l->mode,
               l->carrier ? l->carrier : "", l->service ? " " : "", l->service ? l->service : "");
        print_time("\n     etd ", l->etd_planned);
        print_time(" est ", l->etd_estimated);
        print_time(" act ", l->atd);
        print_time("\n     eta ", l->eta_planned);
        print_time(" est ", l->eta_estimated);
        print_time(" act ", l->ata);
        printf("\n");
    }
    printf("containers:\n");
    for (size_t i = 0; i < sh->ncontainers; i++) {
        const struct hc_container *c = &sh->containers[i];
        printf("  %s %s %s", c->number[0] ? c->number : "(loose cargo)", c->size_type,
               c->status == HC_CONTAINER_CLOSED ? "closed" : "loading");
        for (size_t k = 0; k < c->nseals; k++)
            printf("%s%s", k ? "," : " seals ", c->seals[k]);
        if (c->bill_no)
            printf(" bill %s", c->bill_no);
        printf("\n");
        for (size_t k = 0; k < c->ncontents; k++)
            printf("    %-10s %-24s %lld cartons\n", c->contents[k].seller,
                   c->contents[k].inbound, (long long)c->contents[k].cartons);
    }
    printf("goods:            planned departed  arrived received difference\n");
    for (size_t i = 0; i < sh->ngoods; i++) {
        const struct hc_shipment_goods *g = &sh->goods[i];
        bool arrived = sh->status >= HC_SHIPMENT_ARRIVED;
        printf("  %-8s %-8s %8lld %8lld %8lld %8lld %+10lld\n", g->seller, g->sku,
               (long long)g->planned, (long long)g->departed, (long long)g->arrived,
               (long long)g->received, (long long)(arrived ? g->received - g->departed : 0));
    }
    printf("milestones:\n");
    for (size_t i = 0; i < sh->nmilestones; i++) {
        const struct hc_milestone *m = &sh->milestones[i];
        print_time("  ", m->at);
        printf(" %s%s%s%s%s\n", m->kind, m->place ? " " : "", m->place ? m->place : "",
               m->container ? " " : "", m->container ? m->container : "");
    }
}

/* ---- create ------------------------------------------------------------------------ */
static int cmd_create(int argc, char **argv)
{
    const char *db = NULL, *actor = "cli", *pos[1];
    size_t got;
    struct hc_opt opts[] = {{"--db", &db}, {"--actor", &actor}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail("shipment", "usage: haicang shipment create FILE.json [--db URL]");
    char *text;
    size_t n;
    hc_err err = {0};
    if (hc_cli_read_file(pos[0], FILE_MAX, &text, &n, &err))
        return hc_cli_fail("shipment", "%s", err.msg);
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_shipment sh;
    int rc = hc_api_parse_shipment(text, n, a, &sh, &err);
    free(text);
    if (rc != HC_OK) {
        hc_arena_free(a);
        return fail_err(pos[0], &err);
    }
    /* a container with a bill of lading links customs lists (CEB607) */
    hc_customs_ctx *x = NULL;
    for (size_t i = 0; i < sh.ncontainers && x == NULL; i++) {
        if (sh.containers[i].bill_no == NULL)
            continue;
        hc_customs_config c;
        hc_customs_config_env(&c);
        if (hc_customs_ctx_open(&x, &c, &err) != HC_OK) {
            hc_arena_free(a);
            return fail_err("customs (needed for containers[].bill_no)", &err);
        }
    }
    hc_store *st;
    if (hc_cli_open("shipment", db ? db : hc_cli_default_db(), &st)) {
        hc_customs_ctx_free(x);
        hc_arena_free(a);
        return 1;
    }
    rc = hc_store_begin(st, &err);
    if (rc == HC_OK) {
        rc = hc_shipment_create(st, a, x, &sh, NULL, actor, &err);
        if (rc == HC_OK)
            rc = hc_store_commit(st, &err);
        else
            (void)hc_store_rollback(st, NULL);
    }
    size_t written = 0;
    if (rc == HC_OK && x) /* the CEB607 messages of the bills, after the commit */
        (void)hc_customs_flush_outbox(st, hc_customs_ctx_outbox(x), NULL, 0, &written, &err);
    struct hc_shipment out;
    if (rc == HC_OK)
        rc = hc_shipment_get(st, a, sh.id, NULL, NULL, &out, &err);
    hc_store_close(st);
    hc_customs_ctx_free(x);
    if (rc != HC_OK) {
        int r = fail_err(pos[0], &err);
        hc_arena_free(a);
        return r;
    }
    printf("booked %s\n", out.id);
    print_show(&out);
    hc_arena_free(a);
    return 0;
}

/* ---- show, list ----------------------------------------------------------------------- */
static int cmd_show(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int ec = hc_cli_db_arg(argc, argv, "shipment",
                           "usage: haicang shipment show ID [--db URL]", &db, pos);
    if (ec)
        return ec;
    hc_store *st;
    if (hc_cli_open("shipment", db ? db : hc_cli_default_db(), &st))
        return 1;
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_shipment sh;
    int rc = hc_shipment_get(st, a, pos[0], NULL, NULL, &sh, &err);
    hc_store_close(st);
    if (rc == HC_OK)
        print_show(&sh);
    else
        rc = fail_err(NULL, &err);
    hc_arena_free(a);
    return rc == HC_OK ? 0 : 1;
}

static int cmd_list(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL, *wh = NULL, *status = NULL, *mode = NULL,
               *limit = "100";
    size_t got;
    struct hc_opt opts[] = {{"--db", &db},         {"--seller", &seller}, {"--warehouse", &wh},
                            {"--status", &status}, {"--mode", &mode},     {"--limit", &limit}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    struct hc_shipment_filter f = {.seller = seller, .warehouse = wh};
    int64_t lim;
    if (hc_parse_i64(limit, 1, 1000, &lim) != HC_OK)
        return hc_cli_fail("shipment", "--limit must be 1..1000");
    f.page.limit = (int)lim;
    if (status && (f.status = hc_shipment_status_parse(status)) == 0)
        return hc_cli_fail("shipment", "--status must be booked, departed, arrived or received");
    if (mode && (f.mode = hc_transport_mode_parse(mode)) == 0)
        return hc_cli_fail("shipment", "--mode must be rail, sea, air, truck or multimodal");
    hc_store *st;
    if (hc_cli_open("shipment", db ? db : hc_cli_default_db(), &st))
        return 1;
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_shipment *items;
    size_t n;
    const char *next;
    int rc = hc_shipment_list(st, a, &f, &items, &n, &next, &err);
    hc_store_close(st);
    if (rc != HC_OK) {
        hc_arena_free(a);
        return fail_err(NULL, &err);
    }
    printf("%-24s %-6s %-9s %-7s %-5s %-11s %s\n", "id", "mode", "status", "to", "legs",
           "eta", "route");
    for (size_t i = 0; i < n; i++) {
        const struct hc_shipment *sh = &items[i];
        char eta[40] = "-";
        int64_t e = shipment_eta(sh);
        if (e)
            hc_time_iso(e, eta, sizeof(eta));
        eta[10] = '\0';
        printf("%-24s %-6s %-9s %-7s %-5zu %-11s", sh->id, hc_transport_mode_name(sh->mode),
               hc_shipment_status_name(sh->status), sh->warehouse, sh->nlegs, eta);
        for (size_t k = 0; k < sh->nlegs; k++)
            printf("%s%s", k ? "-" : sh->legs[k].from, k ? sh->legs[k].from : "");
        printf("%s%s%s\n", sh->nlegs ? "-" : "", sh->nlegs ? sh->legs[sh->nlegs - 1].to : "",
               sh->late ? "  LATE" : "");
    }
    printf("%zu shipments%s\n", n, next ? " (more: raise --limit)" : "");
    hc_arena_free(a);
    return 0;
}

/* ---- close-container ------------------------------------------------------------- */
/* Gates a container out: hc_shipment_close_container, as POST
 * /v1/shipments/{id}/containers/{no}/close; refused naming what blocks it. */
static int cmd_close(int argc, char **argv)
{
    const char *db = NULL, *actor = "cli", *pos[2];
    size_t got;
    struct hc_opt opts[] = {{"--db", &db}, {"--actor", &actor}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got))
        return 2;
    if (got != 2)
        return hc_cli_fail("shipment",
                           "usage: haicang shipment close-container SHIPMENT NUMBER [--db URL]");
    hc_store *st;
    if (hc_cli_open("shipment", db ? db : hc_cli_default_db(), &st))
        return 1;
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(st, &err);
    if (rc == HC_OK)
        rc = hc_cli_end_tx(st, hc_shipment_close_container(st, a, pos[0], pos[1], actor, &err),
                           &err);
    hc_store_close(st);
    hc_arena_free(a);
    if (rc != HC_OK)
        return fail_err(pos[0], &err);
    printf("%s: container %s closed (gated out)\n", pos[0], pos[1]);
    return 0;
}

/* ---- depart, arrive ------------------------------------------------------------------ */
static int cmd_move(int argc, char **argv, bool depart)
{
    const char *db = NULL, *actor = "cli", *at = NULL, *pos[1];
    size_t got;
    struct hc_opt opts[] = {{"--db", &db}, {"--actor", &actor}, {"--at", &at}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail("shipment", "usage: haicang shipment %s ID [--at TIME] [--db URL]",
                           depart ? "depart" : "arrive");
    int64_t t = 0;
    if (at && (hc_time_parse_iso(at, &t) != HC_OK || t <= 0))
        return hc_cli_fail("shipment", "--at must be an ISO 8601 time (2026-12-01T08:00:00Z)");
    if (t > hc_now_ms() + HC_DAY_MS)
        return hc_cli_fail("shipment", "--at is in the future");
    hc_store *st;
    if (hc_cli_open("shipment", db ? db : hc_cli_default_db(), &st))
        return 1;
    hc_err err = {0};
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = hc_store_begin(st, &err);
    if (rc == HC_OK) {
        rc = depart ? hc_shipment_depart(st, a, pos[0], t, actor, &err)
                    : hc_shipment_arrive(st, a, pos[0], t, actor, &err);
        if (rc == HC_OK)
            rc = hc_store_commit(st, &err);
        else
            (void)hc_store_rollback(st, NULL);
    }
    struct hc_shipment sh;
    if (rc == HC_OK)
        rc = hc_shipment_get(st, a, pos[0], NULL, NULL, &sh, &err);
    hc_store_close(st);
    if (rc != HC_OK) {
        int r = fail_err(pos[0], &err);
        hc_arena_free(a);
        return r;
    }
    int64_t units = 0;
    for (size_t i = 0; i < sh.ngoods; i++)
        units += depart ? sh.goods[i].departed : sh.goods[i].arrived;
    char when[40];
    hc_time_iso(depart ? sh.departed_at : sh.arrived_at, when, sizeof(when));
    printf("%s %s %s at %s: %lld units %s\n", sh.id, depart ? "departed" : "arrived",
           depart ? sh.legs[0].from : sh.legs[sh.nlegs - 1].to, when, (long long)units,
           depart ? "in transit" : "at the dock, to receive");
    hc_arena_free(a);
    return 0;
}

int hc_cmd_shipment(int argc, char **argv)
{
    if (argc < 2)
        return hc_cli_fail("shipment", "%s", USAGE);
    const char *verb = argv[1];
    if (strcmp(verb, "create") == 0)
        return cmd_create(argc - 1, argv + 1);
    if (strcmp(verb, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(verb, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(verb, "close-container") == 0)
        return cmd_close(argc - 1, argv + 1);
    if (strcmp(verb, "depart") == 0)
        return cmd_move(argc - 1, argv + 1, true);
    if (strcmp(verb, "arrive") == 0)
        return cmd_move(argc - 1, argv + 1, false);
    return hc_cli_fail("shipment", "unknown verb %s; %s", verb, USAGE);
}

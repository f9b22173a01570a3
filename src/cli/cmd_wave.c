/* cmd_wave.c: haicang wave pick-list|scan — a wave's pick list in route
 * order (bin, SKU, names, quantity, what is counted), and a pick scan from
 * the command line (warehouse/scan.c), in one transaction. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "warehouse/warehouse.h"

#define CMD "wave"

static const char *usage_text =
    "usage: haicang wave pick-list WAVE [--db URL]\n"
    "       haicang wave scan WAVE --bin CODE | --item CODE [--qty N] [--order ID] | --short CODE\n"
    "                         [--actor NAME] [--db URL]\n";

static int fail_err(const hc_err *err)
{
    return hc_cli_fail(CMD, "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

static void print_list(const struct hc_wave_progress *pg)
{
    printf("%s  %s  %lld of %lld units picked%s\n", pg->wave, pg->warehouse,
           (long long)pg->units_done, (long long)pg->units, pg->next < 0 ? "  (complete)" : "");
    printf("%4s  %-14s %-20s %5s %6s  %-24s %s\n", "seq", "bin", "sku", "qty", "picked", "order",
           "name / 名称");
    for (size_t i = 0; i < pg->npicks; i++) {
        const struct hc_scan_pick *p = &pg->picks[i];
        printf("%4lld  %-14s %-20s %5lld %6lld  %-24s %s%s%s%s\n", (long long)p->seq, p->location,
               p->sku, (long long)p->qty, (long long)p->done, p->order, p->name ? p->name : "",
               p->name_zh && *p->name_zh ? " / " : "", p->name_zh ? p->name_zh : "",
               (ptrdiff_t)i == pg->next ? "   <- next" : "");
    }
}

int hc_cmd_wave(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *bin = NULL, *item = NULL, *qty = NULL,
               *order = NULL, *shortc = NULL, *actor = "cli";
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},       {"--bin", &bin},     {"--item", &item},
                            {"--qty", &qty},     {"--order", &order}, {"--short", &shortc},
                            {"--actor", &actor}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    bool list = got == 2 && strcmp(pos[0], "pick-list") == 0;
    bool scan = got == 2 && strcmp(pos[0], "scan") == 0;
    if (!list && !scan) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct hc_scan_request rq = {0};
    if (scan) {
        int given = (bin != NULL) + (item != NULL) + (shortc != NULL);
        if (given != 1)
            return hc_cli_fail(CMD, "scan: give one of --bin, --item, --short");
        rq.kind = bin ? HC_SCAN_BIN : item ? HC_SCAN_ITEM : HC_SCAN_SHORT;
        rq.code = bin ? bin : item ? item : shortc;
        rq.order = order;
        rq.qty = rq.kind == HC_SCAN_ITEM ? 1 : 0;
        if (qty) {
            if (rq.kind != HC_SCAN_ITEM)
                return hc_cli_fail(CMD, "--qty: only an item scan takes a quantity");
            if (hc_parse_i64(qty, 1, HC_ORDER_QTY_MAX, &rq.qty) != HC_OK)
                return hc_cli_fail(CMD, "--qty: must be 1..%d", HC_ORDER_QTY_MAX);
        }
    } else if (bin || item || qty || order || shortc) {
        return hc_cli_fail(CMD, "pick-list takes only --db");
    }
    hc_store *s;
    if (hc_cli_open(CMD, db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_wave_progress pg;
    int rc;
    if (list) {
        rc = hc_wave_progress_get(s, a, pos[1], NULL, &pg, &err);
    } else if ((rc = hc_store_begin(s, &err)) == HC_OK) {
        rc = hc_wave_scan(s, a, pos[1], NULL, &rq, actor, &pg, &err);
        if (rc == HC_OK) {
            rc = hc_store_commit(s, &err);
        } else {
            hc_err tmp = {0};
            hc_store_rollback(s, &tmp);
        }
    }
    int code = 0;
    if (rc != HC_OK) {
        code = fail_err(&err);
    } else {
        print_list(&pg);
        for (size_t i = 0; scan && i < pg.nconfirmed; i++)
            printf("picked: %s (goods at order/%s)\n", pg.confirmed[i], pg.confirmed[i]);
        for (size_t i = 0; scan && i < pg.nrequeued; i++)
            printf("short: %s is %s again\n", pg.requeued[i].order, pg.requeued[i].status);
        for (size_t i = 0; scan && i < pg.nput_back; i++)
            printf("put back: %lld x %s into %s\n", (long long)pg.put_back[i].qty,
                   pg.put_back[i].sku, pg.put_back[i].location);
        if (scan && pg.lost)
            printf("lost: %lld units booked missing\n", (long long)pg.lost);
    }
    hc_arena_free(a);
    hc_store_close(s);
    return code;
}

/* cmd_wave.c: haicang wave pick-list|scan — a wave's pick list in route
 * order (bin, SKU, names, quantity, what is counted), and a pick scan from
 * the command line (warehouse/scan.c), in one transaction. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "warehouse/warehouse.h"

#define CMD "wave"

static const char *usage_text =
    "usage: haicang wave release --warehouse W [--max-orders N] [--cart-orders N] [--max-lines N]\n"
    "                         [--max-volume-mm3 N] [--max-weight-g N] [--totes N]\n"
    "                         [--cutoff-window-min N] [--budget-ms N] [--actor NAME] [--db URL]\n"
    "       haicang wave pick-list WAVE [--db URL]\n"
    "       haicang wave scan WAVE --bin CODE | --item CODE [--qty N] [--order ID] | --short CODE\n"
    "                         [--actor NAME] [--db URL]\n";

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

/* haicang wave release: a wave batched onto carts (hc_wave_release_cart),
 * printed trip by trip: route length, totes, picks in route order. */
static int wave_release(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL, *actor = "cli";
    const char *v[8] = {NULL};
    struct hc_opt opts[] = {{"--db", &db},           {"--warehouse", &wh},
                            {"--actor", &actor},     {"--max-orders", &v[0]},
                            {"--cart-orders", &v[1]}, {"--max-lines", &v[2]},
                            {"--max-volume-mm3", &v[3]}, {"--max-weight-g", &v[4]},
                            {"--totes", &v[5]},      {"--cutoff-window-min", &v[6]},
                            {"--budget-ms", &v[7]}};
    static const char *const names[8] = {"--max-orders", "--cart-orders", "--max-lines",
                                         "--max-volume-mm3", "--max-weight-g", "--totes",
                                         "--cutoff-window-min", "--budget-ms"};
    static const int64_t lo[8] = {1, 0, 0, 0, 0, 0, 1, 1};
    static const int64_t hi[8] = {HC_WAVE_ORDERS_MAX, HC_WAVE_ORDERS_MAX, 100000,
                                  INT64_C(1000000000000), 10000000, 200, 7 * 24 * 60, 60000};
    int64_t n[8] = {50, 0, 0, 0, 0, 0, 60, 100};
    size_t got = 0;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    if (wh == NULL)
        return hc_cli_fail(CMD, "release: --warehouse is required");
    bool cart = false;
    for (int k = 0; k < 8; k++)
        if (v[k]) {
            if (hc_parse_i64(v[k], lo[k], hi[k], &n[k]) != HC_OK)
                return hc_cli_fail(CMD, "%s: must be %lld..%lld", names[k], (long long)lo[k],
                                   (long long)hi[k]);
            cart = cart || (k >= 1 && k <= 5);
        }
    struct hc_wave_cart wc = {.cart = {n[1], n[2], n[3], n[4], n[5]},
                              .due_window_ms = n[6] * 60000, .budget_ms = n[7]};
    hc_store *s;
    if (hc_cli_open(CMD, db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_wave w;
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK) {
        rc = hc_wave_release_cart(s, a, wh, (int)n[0], cart ? &wc : NULL, NULL, actor, &w, &err);
        rc = hc_cli_end_tx(s, rc, &err);
    }
    int code = 0;
    if (rc != HC_OK) {
        code = hc_cli_fail_err(CMD, &err);
    } else {
        printf("%s  %s  %zu orders, %zu picks, %zu trips, %.1f m (%s)\n", w.id, w.warehouse,
               w.norders, w.npicks, w.nbatches, (double)w.route_length_mm / 1000.0,
               w.route_policy ? w.route_policy : "");
        for (size_t b = 0; b < w.nbatches; b++) {
            const struct hc_wave_batch *wb = &w.batches[b];
            printf("trip %lld  %.1f m  %lld lines  totes:", (long long)wb->no,
                   (double)wb->route_length_mm / 1000.0, (long long)wb->lines);
            for (size_t k = 0; k < wb->norders; k++)
                printf(" %zu=%s", k + 1, wb->orders[k]);
            printf("\n");
            size_t t = 0;
            for (int64_t sq = wb->first_seq - 1; sq <= wb->last_seq; sq++) {
                if (sq >= wb->first_seq) {
                    const struct hc_pick *p = &w.picks[sq - 1];
                    printf("  %4lld  %-14s %-20s %5lld  %s\n", (long long)p->seq, p->location,
                           p->sku, (long long)p->qty, p->order);
                }
                for (; t < wb->nturns && wb->turns[t].after_seq == sq; t++)
                    printf("        turn at aisle %lld, %.1f m from the front\n",
                           (long long)wb->turns[t].aisle, (double)wb->turns[t].y_mm / 1000.0);
            }
        }
    }
    hc_arena_free(a);
    hc_store_close(s);
    return code;
}

int hc_cmd_wave(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "release") == 0)
        return wave_release(argc - 1, argv + 1);
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
        rc = hc_cli_end_tx(s, rc, &err);
    }
    int code = 0;
    if (rc != HC_OK) {
        code = hc_cli_fail_err(CMD, &err);
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

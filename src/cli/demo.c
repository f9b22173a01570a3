/* demo.c: haicang demo loads a living data set: two sellers, warehouses in
 * Duisburg and Los Angeles with their bins, a few hundred SKUs, received
 * and put-away stock, and a few thousand orders over the last two weeks in
 * every state, with returns. Everything goes through the same domain calls
 * the API uses, so the journal and balances are real. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "customs/customs.h"
#include "finance/finance.h"
#include "headhaul/headhaul.h"
#include "warehouse/warehouse.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next_rand() % (uint64_t)(hi - lo + 1));
}

struct category {
    const char *name, *name_zh, *hs;
    int64_t dims[3], weight_g, value_lo, value_hi; /* value in cents, USD */
};

static const struct category categories[] = {
    {"Power bank 10000mAh", "移动电源", "8507600090", {150, 75, 25}, 220, 900, 1800},
    {"USB-C cable 1m", "USB-C数据线", "8544422900", {120, 80, 20}, 40, 150, 500},
    {"LED desk lamp", "LED台灯", "9405219000", {400, 160, 90}, 850, 1500, 3500},
    {"Bluetooth earbuds", "蓝牙耳机", "8518300000", {90, 70, 40}, 120, 1200, 4500},
    {"Kitchen storage box", "厨房收纳盒", "3924900000", {300, 200, 150}, 450, 500, 1500},
    {"Cotton bath towel", "纯棉浴巾", "6302600000", {350, 250, 80}, 600, 800, 2000},
    {"Phone case", "手机壳", "3926909090", {180, 100, 20}, 60, 200, 900},
    {"Smart plug", "智能插座", "8536690000", {110, 70, 60}, 150, 700, 1600},
    {"Yoga mat", "瑜伽垫", "9506911000", {620, 150, 150}, 1100, 1200, 3000},
    {"Stainless water bottle", "不锈钢保温杯", "9617009000", {260, 80, 80}, 380, 900, 2200},
    {"Camping lantern", "露营灯", "9405409000", {200, 120, 120}, 500, 1100, 2800},
    {"Kids building blocks", "儿童积木", "9503002100", {300, 250, 100}, 900, 1500, 4000},
};

struct demo {
    hc_db *db;
    hc_arena *a;
    int norders;
    char (*skus)[2][16]; /* seller index, sku code */
    int nskus;
    hc_err err;
};

static const char *sellers[2] = {"SZ-ANKO", "YW-HOMA"};
static const char *warehouses[2] = {"DE-DUI", "US-LAX"};

static int setup_job(hc_store *s, void *ctx, hc_err *err)
{
    struct demo *d = ctx;
    int64_t n = 0;
    if (hc_store_int(s, err, &n, "SELECT COUNT(*) FROM sellers", "") != HC_OK)
        return err->code;
    if (n > 0)
        return hc_err_set(err, HC_ECONFLICT, "db",
                          "the database holds data already; give demo a new --db");
    struct hc_seller sl[2] = {
        {"SZ-ANKO", "深圳安科电子有限公司 Shenzhen Anko Electronics", "CN", "91440300MA5F0A1B2N",
         "4403960ABC", 0},
        {"YW-HOMA", "义乌好美家居用品有限公司 Yiwu Homa Home Goods", "CN", "91330782MA2E0B3D4Y",
         "3318960DEF", 0}};
    for (int i = 0; i < 2; i++)
        if (hc_seller_create(s, &sl[i], err))
            return err->code;
    struct hc_warehouse wh[2] = {
        {.code = "DE-DUI", .name = "Duisburg Logport overseas warehouse", .country = "DE",
         .address_json = "{\"city\":\"Duisburg\",\"line1\":\"Logport I, Hafenstrasse 1\","
                         "\"postcode\":\"47229\"}",
         .timezone = "Europe/Berlin", .has_geo = true, .lat = 51.39, .lon = 6.70,
         .aisle_pitch_mm = 3200, .bay_pitch_mm = 1300, .depot_aisle = 1,
         /* two blocks: a middle cross aisle between bays 10 and 11; the
          * route policy stays the default, the optimum */
         .bays_per_aisle = 20, .ncross = 1, .cross_aisles = {10}},
        {.code = "US-LAX", .name = "Ontario CA fulfilment centre", .country = "US",
         .address_json = "{\"city\":\"Ontario\",\"line1\":\"4100 E Mission Blvd\","
                         "\"postcode\":\"91761\",\"state\":\"CA\"}",
         .timezone = "America/Los_Angeles", .has_geo = true, .lat = 34.06, .lon = -117.60,
         .aisle_pitch_mm = 3500, .bay_pitch_mm = 1300, .depot_aisle = 1}};
    for (int w = 0; w < 2; w++) {
        if (hc_warehouse_create(s, &wh[w], err))
            return err->code;
        for (int aisle = 1; aisle <= 8; aisle++)
            for (int bay = 1; bay <= 20; bay++)
                for (int lvl = 1; lvl <= 3; lvl++) {
                    char code[24];
                    snprintf(code, sizeof(code), "%c-%02d-%d", 'A' + aisle - 1, bay, lvl);
                    struct hc_location l = {.code = code, .zone = lvl == 1 ? "PICK" : "RESERVE",
                                            .dims_mm = {1200, 1000, 1100},
                                            .max_weight_g = 500000, .aisle = aisle, .bay = bay,
                                            .level = lvl, .pickable = true};
                    if (hc_location_create(s, wh[w].code, &l, err))
                        return err->code;
                }
    }
    for (int i = 0; i < d->nskus; i++) {
        const struct category *c = &categories[i % HC_ARRAY_LEN(categories)];
        int seller = i % 2;
        snprintf(d->skus[i][1], sizeof(d->skus[i][1]), "%s-%04d", seller ? "HM" : "AK", i / 2 + 1);
        snprintf(d->skus[i][0], sizeof(d->skus[i][0]), "%d", seller);
        char name[120];
        snprintf(name, sizeof(name), "%s, model %d", c->name, i / 2 + 1);
        struct hc_sku k = {.seller = sellers[seller], .sku = d->skus[i][1], .name = name,
                           .name_zh = c->name_zh, .hs_code = c->hs,
                           .value_minor = between(c->value_lo, c->value_hi), .currency = "USD",
                           .origin_country = "CN",
                           .dims_mm = {c->dims[0], c->dims[1], c->dims[2]},
                           .weight_g = c->weight_g, .brand = seller ? "HOMA" : "ANKO",
                           .created_at = hc_now_ms() - 30 * HC_DAY_MS};
        if (hc_sku_create(s, &k, err))
            return err->code;
    }
    return HC_OK;
}

/* One inbound per seller and warehouse, received (a few lines short or
 * over) and put away; plus one still expected. */
struct inbound_job {
    struct demo *d;
    int seller, wh;
    bool receive;
};

static int inbound_job(hc_store *s, void *ctx, hc_err *err)
{
    struct inbound_job *j = ctx;
    struct demo *d = j->d;
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_inbound in = {.seller = sellers[j->seller], .warehouse = warehouses[j->wh]};
    in.reference = hc_arena_printf(a, "%s-%s-%s", j->receive ? "PO2611" : "PO2612",
                                   sellers[j->seller], warehouses[j->wh]);
    in.lines = hc_arena_alloc(a, sizeof(*in.lines) * (size_t)d->nskus);
    for (int i = 0; i < d->nskus; i++) {
        if (atoi(d->skus[i][0]) != j->seller)
            continue;
        int64_t qty = i >= 40 && i < 52 ? between(4, 12) : between(150, 420); /* a few scarce */
        in.lines[in.nlines++] = (struct hc_inbound_line){d->skus[i][1], qty, 0, 0};
    }
    int rc = hc_inbound_create(s, a, &in, "demo", err);
    if (rc == HC_OK && j->receive) {
        struct hc_qty_line *rl = hc_arena_alloc(a, sizeof(*rl) * in.nlines);
        for (size_t i = 0; i < in.nlines; i++) {
            int64_t q = in.lines[i].expected;
            if (i % 17 == 3)
                q -= 2; /* short */
            if (i % 23 == 5)
                q += 3; /* over */
            rl[i] = (struct hc_qty_line){in.lines[i].sku, q, NULL, NULL};
        }
        struct hc_inbound got;
        rc = hc_inbound_receive(s, a, in.id, rl, in.nlines, "demo", &got, err);
        if (rc == HC_OK) /* the receiving charge of the warehouse's rate card */
            rc = hc_charge_receipt(s, a, in.id, rl, in.nlines, "demo", err);
        struct hc_qty_line *moves;
        size_t nmoves;
        if (rc == HC_OK)
            rc = hc_inbound_putaway(s, a, in.id, NULL, 0, "demo", &moves, &nmoves, err);
    }
    hc_arena_free(a);
    return rc;
}

struct order_job {
    struct demo *d;
    hc_arena *a;
    struct hc_order o;
};

static int order_job(hc_store *s, void *ctx, hc_err *err)
{
    struct order_job *j = ctx;
    bool existed;
    return hc_order_create(s, j->a, &j->o, "demo", &existed, err);
}

static void order_done(void *ctx, int rc, const hc_err *err)
{
    struct order_job *j = ctx;
    if (rc != HC_OK && j->d->err.code == HC_OK)
        j->d->err = *err;
    hc_arena_free(j->a);
    free(j);
}

/* Moves the wave's orders along by their age: the oldest delivered, then
 * shipped, packed, still picking. */
struct advance_job {
    int wh;
    int64_t now;
    int waves;
    char last_wave[40]; /* out: the newest wave released */
};

static int advance_job(hc_store *s, void *ctx, hc_err *err)
{
    struct advance_job *j = ctx;
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = HC_OK;
    for (int w = 0; w < j->waves && rc == HC_OK; w++) {
        /* leave the last hours' orders allocated, as a live warehouse would */
        int64_t oldest = 0;
        if (hc_store_int(s, err, &oldest,
                         "SELECT COALESCE(MIN(created_at), 0) FROM orders WHERE warehouse = ?"
                         " AND status = ?",
                         "ss", warehouses[j->wh], hc_order_status_name(HC_ORDER_ALLOCATED)) != HC_OK)
            break;
        if (oldest == 0 || j->now - oldest < 5 * 3600000LL)
            break;
        struct hc_wave wave;
        /* a picker's cart of 8 totes (docs/batching.md). The same trips on
         * every run: no timed search, and one cut-off window (windows are
         * floor(due / window), absolute, while the orders' times follow the
         * clock, so shorter windows would split them differently each run) */
        struct hc_wave_cart cart = {.cart = {.max_orders = 8, .max_lines = 16,
                                             .max_volume_mm3 = 320000000, .max_weight_g = 40000,
                                             .totes = 8},
                                    .due_window_ms = 1000 * 366 * HC_DAY_MS, .budget_ms = -1};
        rc = hc_wave_release_cart(s, a, warehouses[j->wh], 60, &cart, NULL, "demo", &wave, err);
        if (rc == HC_ECONFLICT) { /* nothing left to pick */
            hc_err_clear(err);
            rc = HC_OK;
            break;
        }
        if (rc == HC_OK)
            snprintf(j->last_wave, sizeof(j->last_wave), "%s", wave.id);
        for (size_t i = 0; rc == HC_OK && i < wave.norders; i++) {
            struct hc_order o;
            if ((rc = hc_order_get(s, a, wave.orders[i], &o, err)) != HC_OK)
                break;
            int64_t age_h = (j->now - o.created_at) / 3600000;
            if (age_h < 20)
                continue; /* still picking */
            rc = hc_order_pack(s, a, o.id, "demo", &o, err);
            if (rc != HC_OK || age_h < 30)
                continue;
            char trk[32];
            snprintf(trk, sizeof(trk), "%s%010llu", j->wh ? "1Z" : "JJD", (unsigned long long)(next_rand() % 10000000000ULL));
            rc = hc_order_ship(s, a, o.id, j->wh ? "UPS" : "DHL", trk,
                               "[{\"weight_g\":800,\"dims_mm\":[300,200,100]}]", "demo", &o, err);
            if (rc == HC_OK)
                rc = hc_charge_shipment(s, a, o.id, "demo", err);
            if (rc != HC_OK || age_h < 72)
                continue;
            rc = hc_order_deliver(s, a, o.id, "demo", &o, err);
            if (rc == HC_OK && next_rand() % 40 == 0) {
                struct hc_qty_line l = {o.lines[0].sku, 1, NULL,
                                        next_rand() % 3 ? "sellable" : "damaged"};
                struct hc_return r = {.order = o.id, .lines = &l, .nlines = 1};
                rc = hc_return_create(s, a, &r, "demo", err);
                if (rc == HC_OK)
                    rc = hc_charge_return(s, a, &r, "demo", err);
            }
        }
    }
    hc_arena_free(a);
    return rc;
}

/* The newest wave of a warehouse picked by scan, as on a handheld
 * (docs/scanning.md): its first open trip bin by bin and item by item, so
 * the journal shows who picked what from where; a short pick on the next
 * trip (its order goes back to allocation or backorder); and one scanned
 * order checked at the pack station and packed. */
static int scan_job(hc_store *s, void *ctx, hc_err *err)
{
    const char *wave_id = ctx;
    static const char picker[] = "picker Li Na", packer[] = "packer Jonas Weber";
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_wave w = {0};
    struct hc_wave_progress pg = {0};
    int rc = hc_wave_get(s, a, wave_id, &w, err);
    if (rc == HC_OK)
        rc = hc_wave_progress_get(s, a, wave_id, NULL, &pg, err);
    /* the trips with open picks: the first is picked, the second shorted */
    int64_t trip[2] = {0, 0};
    for (size_t i = 0; rc == HC_OK && i < pg.npicks; i++) {
        if (!pg.picks[i].open)
            continue;
        for (size_t k = 0; k < w.npicks; k++)
            if (w.picks[k].seq == pg.picks[i].seq) {
                if (trip[0] == 0)
                    trip[0] = w.picks[k].batch;
                else if (trip[1] == 0 && w.picks[k].batch != trip[0])
                    trip[1] = w.picks[k].batch;
            }
    }
    const char *packed = NULL;
    for (int t = 0; rc == HC_OK && t < 2 && trip[t] > 0; t++) {
        size_t npicks = pg.npicks;
        struct hc_scan_pick *picks = pg.picks; /* pg changes with every scan */
        for (size_t i = 0; rc == HC_OK && i < npicks; i++) {
            struct hc_scan_pick *p = &picks[i];
            bool in_trip = false;
            for (size_t k = 0; k < w.npicks && !in_trip; k++)
                in_trip = w.picks[k].seq == p->seq && w.picks[k].batch == trip[t];
            if (!in_trip || !p->open)
                continue;
            struct hc_scan_request bin = {.kind = HC_SCAN_BIN, .code = p->location};
            rc = hc_wave_scan(s, a, wave_id, NULL, &bin, picker, &pg, err);
            if (rc == HC_OK && t == 1 && p->qty - p->done > 1) { /* some there, not all */
                struct hc_scan_request item = {HC_SCAN_ITEM, p->sku, p->qty - p->done - 1, p->order};
                rc = hc_wave_scan(s, a, wave_id, NULL, &item, picker, &pg, err);
            }
            if (rc == HC_OK && t == 1) {
                struct hc_scan_request sh = {HC_SCAN_SHORT, p->sku, 0, p->order};
                rc = hc_wave_scan(s, a, wave_id, NULL, &sh, picker, &pg, err);
                break; /* one short pick; the rest of that trip is left open */
            }
            struct hc_scan_request item = {HC_SCAN_ITEM, p->sku, p->qty - p->done, p->order};
            if (rc == HC_OK)
                rc = hc_wave_scan(s, a, wave_id, NULL, &item, picker, &pg, err);
            if (rc == HC_OK && pg.nconfirmed > 0 && packed == NULL)
                packed = pg.confirmed[0];
        }
    }
    /* the pack station checks each unit of one picked order, then packs it */
    struct hc_pack_progress pk = {0};
    if (rc == HC_OK && packed)
        rc = hc_pack_progress_get(s, a, packed, NULL, NULL, &pk, err);
    for (size_t l = 0; rc == HC_OK && packed && l < pk.nlines; l++) {
        struct hc_pack_progress after;
        rc = hc_pack_scan(s, a, packed, NULL, NULL, pk.lines[l].sku,
                          pk.lines[l].qty - pk.lines[l].scanned, packer, &after, err);
    }
    if (rc == HC_OK && packed) {
        struct hc_order o;
        rc = hc_order_pack(s, a, packed, packer, &o, err);
    }
    hc_arena_free(a);
    return rc;
}

/* A slotting proposal per warehouse from the picks just made (docs/slotting.md). */
static int slotting_job(hc_store *s, void *ctx, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    int rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < 2; i++) {
        struct hc_slotting p;
        rc = hc_slotting_propose(s, a, warehouses[i], NULL, "demo", &p, err);
        if (rc == HC_OK)
            rc = hc_slotting_save(s, &p, err);
    }
    hc_arena_free(a);
    return rc;
}

static int cancel_some(hc_store *s, void *ctx, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 14);
    hc_stmt *q;
    const char *ids[64];
    int n = 0;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id FROM orders WHERE status = ? ORDER BY id LIMIT 60", "s",
                            hc_order_status_name(HC_ORDER_ALLOCATED));
    while (rc == HC_OK && hc_stmt_step(q, err) == HC_ROW && n < 60)
        if (next_rand() % 3 == 0)
            ids[n++] = hc_arena_strdup(a, hc_stmt_text(q, 0));
    if (rc == HC_OK)
        hc_stmt_reset(q);
    for (int i = 0; rc == HC_OK && i < n; i++) {
        struct hc_order o;
        rc = hc_order_cancel(s, a, ids[i], "demo", &o, err);
    }
    hc_arena_free(a);
    return rc;
}

/* The head-haul timetable of data/head-haul/routes.tsv, the next 8 weeks. */
static int timetable_job(hc_store *s, void *ctx, hc_err *err)
{
    char path[4096];
    size_t n;
    if (hc_data_path("data/head-haul/routes.tsv", path, sizeof(path)) != HC_OK)
        return hc_err_set(err, HC_ENOTFOUND, "", "no %s", path);
    return hc_schedules_seed(s, path, hc_now_ms(), 56, &n, err);
}

/* ---- head-haul shipments (docs/headhaul.md) ------------------------------------------
 * One shipment in every state: booked (rail Zhengzhou -> Duisburg, next
 * week), departed by rail with two sellers' inbounds sharing a container (its
 * ETA moved later by an estimate), at sea to Los Angeles and late, arrived at
 * the Duisburg dock awaiting receiving, and one received and put away. Booked
 * before the customs seed, which declares their inbounds (9810); released by
 * CEB604 receipts after it, then gated out, departed and arrived at their
 * times (the clock offset), with DCSA tracking events. */
struct demo_ship {
    const char *key, *mode, *wh, *from, *to, *carrier, *service;
    int64_t etd_d, eta_d; /* planned, days from now */
    int64_t eta_est_d;    /* an EST ARRI moving the ETA, days from now; 0: none */
    int state;            /* 0 booked, 1 departed, 2 arrived, 3 received */
    int ncont;
    /* per container: up to 3 inbounds as seller index, SKU numbers from, count, qty */
    struct {
        const char *owner;
        int serial;
        const char *size_type;
        struct { int seller, sku_from, nsku, qty, cartons; } in[3];
        int nin;
    } cont[2];
};

static const struct demo_ship demo_ships[] = {
    {"booked", "rail", "DE-DUI", "CNZZU", "DEDUI", "CR Express", "Zhengzhou-Duisburg X8017",
     5, 21, 0, 0, 1, {{"TGHU", 513872, "45G1", {{0, 61, 4, 120, 40}}, 1}}},
    {"rail", "rail", "DE-DUI", "CNZZU", "DEDUI", "CR Express", "Zhengzhou-Duisburg X8013",
     -6, 10, 12, 1, 2,
     {{"CAIU", 774210, "45G1", {{0, 71, 3, 200, 60}, {1, 71, 3, 150, 45}}, 2},
      {"BMOU", 215563, "42G1", {{1, 81, 2, 300, 50}}, 1}}},
    {"sea", "sea", "US-LAX", "CNYTN", "USLAX", "COSCO Shipping", "AAC2",
     -18, -2, -1, 1, 1, {{"CSNU", 630271, "45G1", {{0, 91, 3, 240, 80}, {1, 91, 2, 180, 36}}, 2}}},
    {"dock", "rail", "DE-DUI", "CNXIY", "DEDUI", "CR Express", "Xi'an-Duisburg X9021",
     -17, -1, 0, 2, 1, {{"TRLU", 884102, "45G1", {{1, 101, 3, 160, 48}}, 1}}},
    {"received", "sea", "US-LAX", "CNSHA", "USLAX", "Matson", "CLX",
     -24, -10, 0, 3, 1, {{"MATU", 257604, "22G1", {{0, 111, 2, 100, 20}}, 1}}},
};

static const char *demo_ship_ids[HC_ARRAY_LEN(demo_ships)];

static const char *demo_sku(hc_arena *a, int seller, int n)
{
    return hc_arena_printf(a, "%s-%04d", seller ? "HM" : "AK", n);
}

/* Inbounds and shipments, booked (their goods in inbound_planned). */
static int ships_book(hc_store *s, hc_arena *a, hc_err *err)
{
    int64_t now = hc_now_ms();
    int rc = hc_store_begin(s, err);
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(demo_ships); i++) {
        const struct demo_ship *d = &demo_ships[i];
        /* booked four days before it leaves (a day ago for the one not gone yet) */
        hc_clock_set_offset((d->etd_d > 3 ? -1 : d->etd_d - 4) * HC_DAY_MS);
        struct hc_shipment sh = {.warehouse = d->wh, .mode = hc_transport_mode_parse(d->mode),
                                 .reference = hc_arena_printf(a, "HH-2611-%s", d->key)};
        struct hc_leg *l = hc_arena_alloc(a, sizeof(*l));
        *l = (struct hc_leg){.from = d->from, .to = d->to, .carrier = d->carrier,
                             .service = d->service, .etd_planned = now + d->etd_d * HC_DAY_MS,
                             .eta_planned = now + d->eta_d * HC_DAY_MS};
        sh.legs = l;
        sh.nlegs = 1;
        sh.containers = hc_arena_alloc(a, sizeof(*sh.containers) * (size_t)d->ncont);
        sh.ncontainers = (size_t)d->ncont;
        for (int c = 0; rc == HC_OK && c < d->ncont; c++) {
            struct hc_container *box = &sh.containers[c];
            char ten[16];
            snprintf(ten, sizeof(ten), "%s%06d", d->cont[c].owner, d->cont[c].serial);
            box->number = hc_arena_printf(a, "%s%d", ten, hc_iso6346_check_digit(ten));
            box->size_type = d->cont[c].size_type;
            box->seals[0] = hc_arena_printf(a, "CN%07d", d->cont[c].serial * 7 % 10000000);
            box->nseals = 1;
            box->contents = hc_arena_alloc(a, sizeof(*box->contents) * 3);
            for (int k = 0; rc == HC_OK && k < d->cont[c].nin; k++) {
                const __typeof__(d->cont[c].in[0]) *w = &d->cont[c].in[k];
                struct hc_inbound in = {.seller = sellers[w->seller], .warehouse = d->wh};
                in.reference = hc_arena_printf(a, "PO-HH-%s-%d%d", d->key, c, k);
                in.lines = hc_arena_alloc(a, sizeof(*in.lines) * (size_t)w->nsku);
                for (int q = 0; q < w->nsku; q++)
                    in.lines[in.nlines++] = (struct hc_inbound_line){
                        demo_sku(a, w->seller, w->sku_from + q), w->qty + 20 * q, 0, 0};
                rc = hc_inbound_create(s, a, &in, "demo", err);
                box->contents[box->ncontents++] =
                    (struct hc_container_content){NULL, in.id, w->cartons};
            }
        }
        if (rc == HC_OK)
            rc = hc_shipment_create(s, a, NULL, &sh, NULL, "demo", err);
        if (rc == HC_OK)
            demo_ship_ids[i] = hc_arena_strdup(a, sh.id);
    }
    hc_clock_set_offset(0);
    if (rc == HC_OK)
        return hc_store_commit(s, err);
    hc_err tmp = {0};
    (void)hc_store_rollback(s, &tmp);
    return rc;
}

/* A CEB604 receipt releasing list l (800), applied as the inbox would. */
static int ships_release(hc_store *s, hc_arena *a, const struct hc_customs_list *l, int n,
                         hc_err *err)
{
    char t[40];
    hc_time_iso(hc_now_ms() + 8 * 3600000LL, t, sizeof(t)); /* Beijing time */
    const char *when = hc_arena_printf(a, "%.4s%.2s%.2s%.2s%.2s%.2s%.3s", t, t + 5, t + 8, t + 11,
                                       t + 14, t + 17, t + 20);
    const char *xml = hc_arena_printf(
        a,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB604Message guid=\"%08X-6fed-4603-"
        "8c5d-49b1fa4b4b9b\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">"
        "<ceb:InventoryReturn><ceb:guid>%08X-EDED-46B1-946C-B8022E42FC94</ceb:guid>"
        "<ceb:copNo>%s</ceb:copNo><ceb:preNo>P%.4s%.2s%.2s%09d</ceb:preNo>"
        "<ceb:invtNo>%s%.4sE%09d</ceb:invtNo><ceb:returnStatus>800</ceb:returnStatus>"
        "<ceb:returnTime>%s</ceb:returnTime><ceb:returnInfo>放行</ceb:returnInfo>"
        "</ceb:InventoryReturn></ceb:CEB604Message>",
        n, n, l->cop_no, t, t + 5, t + 8, n, l->customs_code, t, 700000 + n, when);
    hc_customs_receipts r;
    size_t applied = 0;
    int rc = hc_customs_receipt_parse(a, xml, strlen(xml), &r, err);
    if (rc == HC_OK)
        rc = hc_customs_receipt_apply(s, &r, "demo", &applied, err);
    return rc;
}

static int ships_event(hc_store *s, hc_arena *a, const char *shipment, int type,
                       const char *classifier, const char *code, int64_t at,
                       const char *equipment, const char *location, const char *mode, int n,
                       hc_err *err)
{
    struct hc_event e = {.path = "events[0]", .type = type, .classifier = classifier,
                         .type_code = code, .event_at = at, .equipment = equipment,
                         .location = location, .mode = mode, .publisher = "demo carrier",
                         .created_at = at < hc_now_ms() ? at : hc_now_ms()};
    e.event_id = hc_arena_printf(a, "demo-%s-%d", shipment, n);
    struct hc_events_result res;
    if (hc_event_validate(&e, err) != HC_OK)
        return err->code;
    return hc_events_apply(s, a, shipment, &e, 1, NULL, NULL, &res, err);
}

/* One step in one transaction. */
#define STEP(call)                                                                              \
    do {                                                                                        \
        if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK) {                            \
            rc = (call);                                                                        \
            if (rc == HC_OK)                                                                    \
                rc = hc_store_commit(s, err);                                                   \
            else                                                                                \
                (void)hc_store_rollback(s, &tmp);                                               \
        }                                                                                       \
    } while (0)

/* Customs released, gated out, departed, tracked, arrived, received: each
 * shipment as far as its state. */
static int ships_move(hc_store *s, hc_arena *a, FILE *out, hc_err *err)
{
    hc_err tmp = {0};
    int rc = HC_OK;
    int64_t now = hc_now_ms();
    size_t released = 0, nev = 0;
    /* the lists the customs seed declared for the shipments' inbounds */
    for (size_t k = 0; rc == HC_OK && k < 2; k++) {
        struct hc_customs_list_filter f = {.seller = sellers[k], .state = HC_CUSTOMS_DECLARED,
                                           .limit = 1000};
        struct hc_customs_list *ls;
        size_t n;
        const char *next;
        rc = hc_customs_list_find(s, a, &f, &ls, &n, &next, err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            bool ours = false; /* not the booked one: its lists wait for release */
            for (size_t j = 1; j < HC_ARRAY_LEN(demo_ships) && !ours; j++) {
                struct hc_shipment sh;
                STEP(hc_shipment_get(s, a, demo_ship_ids[j], NULL, NULL, &sh, err));
                for (size_t q = 0; rc == HC_OK && q < sh.ninbounds; q++)
                    ours = ours || (strcmp(ls[i].ref_kind, "inbound") == 0 &&
                                    strcmp(ls[i].ref, sh.inbounds[q]) == 0);
            }
            if (ours) {
                STEP(ships_release(s, a, &ls[i], (int)(released + 1), err));
                released++;
            }
        }
    }
    if (rc == HC_OK && released == 0) {
        fprintf(out, "shipments: %zu booked; none released by customs (customs skipped), so none"
                     " departed\n", HC_ARRAY_LEN(demo_ships));
        return HC_OK;
    }
    for (size_t i = 1; rc == HC_OK && i < HC_ARRAY_LEN(demo_ships); i++) {
        const struct demo_ship *d = &demo_ships[i];
        const char *id = demo_ship_ids[i];
        struct hc_shipment sh;
        STEP(hc_shipment_get(s, a, id, NULL, NULL, &sh, err));
        if (rc != HC_OK)
            break;
        int64_t dep = now + d->etd_d * HC_DAY_MS + 3 * 3600000LL;
        const char *m = strcmp(d->mode, "rail") == 0 ? "RAIL" : "VESSEL";
        STEP(hc_shipment_milestone(s, id, "customs_released", NULL, d->from,
                                   dep - HC_DAY_MS, "demo", err));
        hc_clock_set_offset(dep - 2 * 3600000LL - now); /* gated out two hours before */
        for (size_t c = 0; c < sh.ncontainers; c++) {
            STEP(hc_shipment_close_container(s, a, id, sh.containers[c].number, "demo", err));
            STEP(ships_event(s, a, id, HC_EVT_EQUIPMENT, "ACT", "LOAD", hc_now_ms(),
                             sh.containers[c].number, d->from, m, (int)++nev, err));
        }
        hc_clock_set_offset(dep - now);
        STEP(hc_shipment_depart(s, a, id, dep, "demo", err));
        STEP(ships_event(s, a, id, HC_EVT_TRANSPORT, "ACT", "DEPA", dep, NULL, d->from, m,
                         (int)++nev, err));
        if (d->eta_est_d) { /* the carrier's estimate moves the ETA (later: late if passed) */
            hc_clock_set_offset(-2 * HC_DAY_MS);
            STEP(ships_event(s, a, id, HC_EVT_TRANSPORT, "EST", "ARRI",
                             now + d->eta_est_d * HC_DAY_MS, NULL, d->to, m, (int)++nev, err));
        }
        if (d->state >= 2) {
            int64_t arr = now + d->eta_d * HC_DAY_MS - 5 * 3600000LL;
            hc_clock_set_offset(arr - now);
            STEP(ships_event(s, a, id, HC_EVT_TRANSPORT, "ACT", "ARRI", arr, NULL, d->to, m,
                             (int)++nev, err));
            STEP(hc_shipment_arrive(s, a, id, arr, "demo", err));
        }
        if (d->state >= 3) { /* received two days after arrival, put away */
            hc_clock_set_offset(now + (d->eta_d + 2) * HC_DAY_MS - now);
            for (size_t q = 0; rc == HC_OK && q < sh.ninbounds; q++) {
                struct hc_inbound in;
                STEP(hc_inbound_get(s, a, sh.inbounds[q], &in, err));
                struct hc_qty_line *rl = hc_arena_alloc(a, sizeof(*rl) * (in.nlines + 1));
                for (size_t L = 0; L < in.nlines; L++)
                    rl[L] = (struct hc_qty_line){in.lines[L].sku, in.lines[L].expected, NULL,
                                                 NULL};
                struct hc_inbound got;
                struct hc_qty_line *moves;
                size_t nmoves;
                STEP(hc_inbound_receive(s, a, in.id, rl, in.nlines, "demo", &got, err));
                STEP(hc_charge_receipt(s, a, in.id, rl, in.nlines, "demo", err));
                STEP(hc_inbound_putaway(s, a, in.id, NULL, 0, "demo", &moves, &nmoves, err));
            }
        }
        hc_clock_set_offset(0);
    }
    hc_clock_set_offset(0);
    if (rc == HC_OK)
        fprintf(out, "shipments: %zu (booked, departed by rail, at sea and late, at the dock,"
                     " received), %zu customs lists released, %zu tracking events\n",
                HC_ARRAY_LEN(demo_ships), released, nev);
    return rc;
}
#undef STEP

static int make_key(hc_store *s, const char *name, const char *role, const char *seller,
                    const char *wh, char *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1024);
    struct hc_key k = {.name = name, .role = role, .seller = seller, .warehouse = wh};
    int rc = hc_key_create(s, a, &k, out, err);
    hc_arena_free(a);
    return rc;
}

/* A rate card per warehouse (docs/money.md): storage per m3 per day in four
 * age tiers, receiving per unit, shipping by weight break, returns per
 * unit, a minimum receiving charge and a fuel surcharge. */
static int ratecards_job(hc_store *s, void *ctx, hc_err *err)
{
    (void)ctx;
    hc_arena *a = hc_arena_new(4096);
    int rc = HC_OK;
    char from[11];
    hc_tz_day("UTC", hc_now_ms() - 120 * HC_DAY_MS, from);
    for (int wh = 0; rc == HC_OK && wh < 2; wh++) {
        int64_t k = wh ? 110 : 100; /* US-LAX in USD, a tenth dearer */
        struct hc_ratecard c = {.warehouse = warehouses[wh], .currency = wh ? "USD" : "EUR",
                                .effective_from = from, .surcharge_bp = wh ? 350 : 550,
                                .storage_basis = HC_RC_PER_M3, .inbound_basis = HC_RC_PER_UNIT,
                                .inbound_e4 = 25 * k * 100, .return_unit_e4 = 80 * k * 100,
                                .relabel_unit_e4 = 15 * k * 100, .kitting_unit_e4 = 60 * k * 100,
                                .min_inbound = 5 * k, .ntiers = 4, .nbreaks = 3};
        c.tiers[0] = (struct hc_rc_tier){0, 30, 45 * k * 100};     /* 0.45 per m3 per day */
        c.tiers[1] = (struct hc_rc_tier){31, 90, 60 * k * 100};    /* 0.60 */
        c.tiers[2] = (struct hc_rc_tier){91, 180, 90 * k * 100};   /* 0.90 */
        c.tiers[3] = (struct hc_rc_tier){181, HC_RC_DAY_OPEN, 150 * k * 100};
        c.breaks[0] = (struct hc_rc_break){500, 120 * k * 100, 20 * k * 100};
        c.breaks[1] = (struct hc_rc_break){2000, 180 * k * 100, 30 * k * 100};
        c.breaks[2] = (struct hc_rc_break){HC_RC_DAY_OPEN, 290 * k * 100, 45 * k * 100};
        rc = hc_ratecard_create(s, a, &c, "demo", err);
    }
    hc_arena_free(a);
    return rc;
}

int hc_cmd_demo(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *norders = "3000", *keys_file = "demo-keys.txt";
    struct hc_opt opts[] = {{"--db", &db}, {"--orders", &norders}, {"--keys", &keys_file}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    int64_t n;
    if (hc_parse_i64(norders, 1, 1000000, &n) != HC_OK)
        return hc_cli_fail("demo", "--orders must be 1..1000000");
    hc_store *s;
    if (hc_cli_open("demo", db, &s))
        return 1;
    hc_store_close(s);
    struct demo d = {.norders = (int)n, .nskus = 300};
    d.skus = calloc((size_t)d.nskus, sizeof(*d.skus));
    if (hc_db_open(db, NULL, &d.db, &d.err) != HC_OK)
        return hc_cli_fail("demo", "cannot open %s: %s", db, d.err.msg);
    int64_t t0 = hc_mono_ns();
    int rc = hc_db_write(d.db, setup_job, &d, &d.err);
    if (rc == HC_OK) /* before any change, so the outbox fills */
        rc = hc_demo_webhooks(d.db, &d.err);
    if (rc == HC_OK) /* a rate card per warehouse, from before the oldest stock */
        rc = hc_db_write(d.db, ratecards_job, NULL, &d.err);
    /* stock that arrived weeks ago, so the inventory age has a spread */
    static const int64_t arrived_days_ago[2][2] = {{100, 50}, {20, 70}};
    for (int sl = 0; rc == HC_OK && sl < 2; sl++)
        for (int wh = 0; rc == HC_OK && wh < 2; wh++) {
            struct inbound_job j = {&d, sl, wh, true};
            hc_clock_set_offset(-arrived_days_ago[sl][wh] * HC_DAY_MS);
            rc = hc_db_write(d.db, inbound_job, &j, &d.err);
        }
    hc_clock_set_offset(0);
    if (rc == HC_OK) {
        struct inbound_job j = {&d, 0, 0, false};
        rc = hc_db_write(d.db, inbound_job, &j, &d.err);
    }
    if (rc == HC_OK)
        rc = hc_db_write(d.db, timetable_job, NULL, &d.err);
    size_t nrates = 0; /* FX rates (demo data, data/fx/README.md), top-ups, credit */
    if (rc == HC_OK)
        rc = hc_demo_money(d.db, &nrates, &d.err);
    if (rc == HC_OK) /* advertising spend for the deduction cap (after the rates) */
        rc = hc_demo_adcap(d.db, &d.err);
    if (rc == HC_OK) /* the sellers' legal identities, with a history */
        rc = hc_demo_identities(d.db, &d.err);
    if (rc == HC_OK) /* the compliance gate's demo SKUs, before the data every SKU gets */
        rc = hc_demo_compliance_skus(d.db, &d.err);
    if (rc == HC_OK)
        rc = hc_demo_brands(d.db, stdout, &d.err);
    if (rc != HC_OK) {
        hc_db_close(d.db);
        return hc_cli_fail("demo", "%s%s%s", d.err.field, d.err.field[0] ? ": " : "", d.err.msg);
    }
    static const char *channels[] = {"amazon.de", "ebay", "shopify", "temu", "tiktok", "otto"};
    static const struct {
        const char *country, *city;
    } eu[] = {{"DE", "Berlin"}, {"DE", "Hamburg"}, {"DE", "München"}, {"FR", "Paris"},
              {"IT", "Milano"}, {"ES", "Madrid"},  {"NL", "Amsterdam"}, {"PL", "Warszawa"},
              {"AT", "Wien"},   {"BE", "Bruxelles"}},
      na[] = {{"US", "Los Angeles"}, {"US", "New York"}, {"US", "Chicago"}, {"US", "Seattle"},
              {"US", "Houston"},     {"CA", "Toronto"}};
    int64_t now = hc_now_ms();
    for (int i = 0; i < d.norders; i++) {
        struct order_job *j = calloc(1, sizeof(*j));
        j->d = &d;
        j->a = hc_arena_new(4096);
        struct hc_order *o = &j->o;
        int seller = (int)(next_rand() % 2);
        bool us = next_rand() % 3 == 0;
        int place = (int)(next_rand() % (us ? HC_ARRAY_LEN(na) : HC_ARRAY_LEN(eu)));
        const char *country = us ? na[place].country : eu[place].country;
        const char *city = us ? na[place].city : eu[place].city;
        o->seller = sellers[seller];
        o->channel = channels[next_rand() % HC_ARRAY_LEN(channels)];
        o->channel_order_id = hc_arena_printf(j->a, "%s-%07d", seller ? "H" : "A", i + 1);
        o->ship_country = country;
        o->ship_to_json = hc_arena_printf(
            j->a, "{\"name\":\"Customer %d\",\"country\":\"%s\",\"postcode\":\"%05d\","
                  "\"city\":\"%s\",\"line1\":\"%d Main Street\"}",
            i + 1, country, (int)between(10000, 99999), city, (int)between(1, 200));
        o->ship_name = hc_arena_printf(j->a, "Customer %d", i + 1);
        /* the last 14 days, busier lately */
        int64_t age = (int64_t)(next_rand() % (14ULL * HC_DAY_MS));
        age = age * (int64_t)between(1, 3) / 3;
        o->created_at = now - age;
        o->nlines = (size_t)(next_rand() % 5 == 0 ? 2 : 1);
        o->lines = hc_arena_alloc(j->a, sizeof(*o->lines) * o->nlines);
        int first = 0;
        for (size_t l = 0; l < o->nlines; l++) {
            /* skewed: a few SKUs sell far more */
            int k = (int)((next_rand() % 1000) * (next_rand() % 1000) / 1000 * 150 / 1000);
            int idx = k * 2 + seller;
            if (l == 0)
                first = idx;
            else /* another SKU of the same seller */
                idx = (first + 2 * (int)between(1, 5)) % d.nskus;
            o->lines[l] = (struct hc_order_line){d.skus[idx][1], between(1, 3),
                                                 between(999, 4999), us ? "USD" : "EUR", 0};
        }
        hc_db_write_async(d.db, order_job, j, order_done);
        if (i % 500 == 499) { /* let the writer keep up, and keep ages in order */
            struct advance_job none = {0, now, 0, ""};
            hc_db_write(d.db, advance_job, &none, &d.err);
        }
    }
    struct advance_job flush = {0, now, 0, ""};
    hc_db_write(d.db, advance_job, &flush, &d.err); /* every order is in */
    if (d.err.code != HC_OK) {
        hc_db_close(d.db);
        return hc_cli_fail("demo", "orders: %s", d.err.msg);
    }
    char scan_wave[40] = "";
    for (int wh = 0; rc == HC_OK && wh < 2; wh++) {
        struct advance_job j = {wh, now, d.norders / 60, ""};
        rc = hc_db_write(d.db, advance_job, &j, &d.err);
        if (wh == 0)
            snprintf(scan_wave, sizeof(scan_wave), "%s", j.last_wave);
    }
    if (rc == HC_OK && scan_wave[0])
        rc = hc_db_write(d.db, scan_job, scan_wave, &d.err);
    if (rc == HC_OK)
        rc = hc_db_write(d.db, cancel_some, NULL, &d.err);
    if (rc == HC_OK)
        rc = hc_db_write(d.db, slotting_job, NULL, &d.err);
    if (rc == HC_OK) /* rules, product records, a held order and inbound */
        rc = hc_demo_compliance(d.db, &d.err);
    hc_db_close(d.db);
    if (rc != HC_OK)
        return hc_cli_fail("demo", "%s", d.err.msg);
    /* keys to sign in with */
    if (hc_cli_open("demo", db, &s))
        return 1;
    char admin[HC_KEY_TEXT_MAX], oper[HC_KEY_TEXT_MAX], seller[HC_KEY_TEXT_MAX];
    hc_err err = {0};
    if (make_key(s, "demo admin", "admin", NULL, NULL, admin, &err) ||
        make_key(s, "demo operator DE-DUI", "operator", NULL, "DE-DUI", oper, &err) ||
        make_key(s, "demo seller SZ-ANKO", "seller", "SZ-ANKO", NULL, seller, &err)) {
        hc_store_close(s);
        return hc_cli_fail("demo", "keys: %s", err.msg);
    }
    hc_arena *sa = hc_arena_new(1 << 16);
    if (ships_book(s, sa, &err) != HC_OK) {
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "shipments: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    if (hc_customs_demo_seed(s, stdout, &err) != HC_OK) /* skips itself without code tables */
        fprintf(stderr, "demo: customs: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
    hc_err_clear(&err);
    if (ships_move(s, sa, stdout, &err) != HC_OK) {
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "shipments: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    if (hc_demo_refund(s, stdout, &err) != HC_OK) /* the refund is shown, not essential */
        fprintf(stderr, "demo: refund: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
    hc_err_clear(&err);
    if (hc_demo_holidays(s, stdout, &err) != HC_OK) { /* before the promises of the last mile */
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "holidays: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    if (hc_demo_lastmile(s, stdout, &err) != HC_OK) { /* carriers, boxes, parcels, labels */
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "last mile: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    if (hc_demo_dispatch(s, stdout, &err) != HC_OK) { /* manifests, tracking events */
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "dispatch: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    if (hc_demo_stock_low(s, stdout, &err) != HC_OK) /* a threshold the transfer crosses */
        fprintf(stderr, "demo: stock.low: %s%s%s\n", err.field, err.field[0] ? ": " : "",
                err.msg);
    hc_err_clear(&err);
    if (hc_demo_transfer(s, stdout, &err) != HC_OK) /* FBA replenishment, to US-LAX */
        fprintf(stderr, "demo: transfers: %s%s%s\n", err.field, err.field[0] ? ": " : "",
                err.msg);
    hc_err_clear(&err);
    if (hc_demo_labels(s, stdout, &err) != HC_OK) { /* GS1 prefixes, an uploaded label */
        hc_arena_free(sa);
        hc_store_close(s);
        free(d.skus);
        return hc_cli_fail("demo", "labels: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    hc_arena_free(sa);
    hc_store_close(s);
    /* storage charged for every ended day since the cards began, as the
     * server's timer would at its start */
    struct hc_storage_result sr = {0};
    if (hc_db_open(db, NULL, &d.db, &err) != HC_OK ||
        hc_storage_run(d.db, NULL, NULL, "demo", &sr, &err) != HC_OK) {
        if (d.db)
            hc_db_close(d.db);
        free(d.skus);
        return hc_cli_fail("demo", "storage run: %s%s%s", err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    printf("storage charged: %d warehouse-days, %d entries\n", sr.days, sr.entries);
    size_t nfees = 0; /* the settlement statement's overseas costs (docs/money.md) */
    if (hc_demo_settlement(d.db, sellers, 2, &nfees, &err) != HC_OK) {
        hc_db_close(d.db);
        free(d.skus);
        return hc_cli_fail("demo", "settlement fees: %s%s%s", err.field,
                           err.field[0] ? ": " : "", err.msg);
    }
    hc_db_close(d.db);
    printf("settlement: %zu external fees (last mile, compensation, head-haul, taxes, "
           "advertising)\n", nfees);
    FILE *kf = fopen(keys_file, "w");
    if (kf) {
        fprintf(kf, "admin %s\noperator(DE-DUI) %s\nseller(SZ-ANKO) %s\n", admin, oper, seller);
        fclose(kf);
    }
    printf("demo data loaded into %s in %.1f s: 2 sellers, 2 warehouses, 960 bins, %d SKUs, "
           "%d orders\n",
           db, (double)(hc_mono_ns() - t0) / 1e9, d.nskus, d.norders);
    printf("sign in with one of these keys (also in %s):\n", keys_file);
    printf("  admin             %s\n  operator DE-DUI   %s\n  seller SZ-ANKO    %s\n", admin, oper,
           seller);
    free(d.skus);
    return 0;
}

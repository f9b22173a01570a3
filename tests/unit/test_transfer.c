/* Unit tests of src/transfer: FNSKU and shipment id checks, marketplace
 * carton ids, the state machine, and the carton/pallet proposal (every unit
 * packed once, weights summed exactly, limits kept, refusals named). Then
 * the store path of the compliance gate on brands: a transfer held for the
 * brand authorisation of its destination country and released by one, and
 * a transfer to a haicang warehouse whose inbound is closed short (the rest
 * written off to lost/transfer/<id>). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compliance/compliance.h"
#include "transfer/transfer.h"
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void codes(void **st)
{
    (void)st;
    assert_true(hc_tr_fnsku_valid("X001ABCDEF"));
    assert_true(hc_tr_fnsku_valid("B07XYZ1234"));
    assert_false(hc_tr_fnsku_valid("X001ABCDE"));   /* 9 */
    assert_false(hc_tr_fnsku_valid("Y001ABCDEF"));  /* prefix */
    assert_false(hc_tr_fnsku_valid("x001abcdef"));  /* lower case */
    assert_false(hc_tr_fnsku_valid(NULL));
    assert_true(hc_tr_shipment_valid(HC_TR_FBA, "FBA15ABCDEFG"));
    assert_false(hc_tr_shipment_valid(HC_TR_FBA, "FBA15ABCDEF"));
    assert_false(hc_tr_shipment_valid(HC_TR_FBA, "XYZ15ABCDEFG"));
    assert_true(hc_tr_shipment_valid(HC_TR_WFS, "WFS-2026-001"));
    assert_false(hc_tr_shipment_valid(HC_TR_WFS, "bad id"));
    assert_false(hc_tr_shipment_valid(HC_TR_TEMU, ""));
    assert_int_equal(hc_tr_dest_parse("awd"), HC_TR_AWD);
    assert_int_equal(hc_tr_dest_parse("ship"), 0);
    assert_string_equal(hc_tr_dest_name(HC_TR_HAICANG), "haicang");
}

static void carton_ids(void **st)
{
    (void)st;
    char out[HC_TR_CARTON_ID_MAX];
    assert_true(hc_tr_carton_id(HC_TR_FBA, "FBA15XXXXXXX", 1, out, sizeof(out)));
    assert_string_equal(out, "FBA15XXXXXXXU000001");
    assert_true(hc_tr_carton_id(HC_TR_AWD, "FBA15XXXXXXX", 999999, out, sizeof(out)));
    assert_string_equal(out, "FBA15XXXXXXXU999999");
    assert_true(hc_tr_carton_id(HC_TR_WFS, "WFS-1", 12, out, sizeof(out)));
    assert_string_equal(out, "WFS-1-012");
    assert_true(hc_tr_carton_id(HC_TR_TEMU, "T1", 1234, out, sizeof(out)));
    assert_string_equal(out, "T1-1234");
    assert_false(hc_tr_carton_id(HC_TR_FBA, "FBA15XXXXXXX", 0, out, sizeof(out)));
    assert_false(hc_tr_carton_id(HC_TR_FBA, "FBA15XXXXXXX", 1000000, out, sizeof(out)));
    assert_false(hc_tr_carton_id(HC_TR_FBA, "FBA15XXXXXXX", 1, out, 10)); /* too small */
}

static void state_machine(void **st)
{
    (void)st;
    assert_true(hc_tr_can_move(HC_TR_ON_HOLD, HC_TR_OPEN));
    assert_true(hc_tr_can_move(HC_TR_OPEN, HC_TR_PACKED));
    assert_true(hc_tr_can_move(HC_TR_PACKED, HC_TR_PACKED)); /* packed again */
    assert_true(hc_tr_can_move(HC_TR_PACKED, HC_TR_SHIPPED));
    assert_true(hc_tr_can_move(HC_TR_OPEN, HC_TR_CANCELLED));
    assert_true(hc_tr_can_move(HC_TR_PACKED, HC_TR_CANCELLED));
    assert_false(hc_tr_can_move(HC_TR_OPEN, HC_TR_SHIPPED));    /* cartons first */
    assert_false(hc_tr_can_move(HC_TR_ON_HOLD, HC_TR_PACKED));  /* held */
    assert_false(hc_tr_can_move(HC_TR_SHIPPED, HC_TR_CANCELLED));
    assert_false(hc_tr_can_move(HC_TR_CANCELLED, HC_TR_OPEN));
    assert_false(hc_tr_can_move(HC_TR_SHIPPED, HC_TR_PACKED));
    for (int s = HC_TR_ON_HOLD; s <= HC_TR_CANCELLED; s++)
        assert_int_equal(hc_tr_status_parse(hc_tr_status_name(s)), s);
}

/* Sums the proposal's units per SKU and checks each carton's weight. */
static void check_proposal(const struct hc_tr_unit *u, size_t n,
                           const struct hc_tr_pack_opts *o, const struct hc_tr_proposal *p)
{
    int64_t total_w = 0, units = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t got = 0;
        for (size_t c = 0; c < p->ncartons; c++)
            for (size_t j = 0; j < p->cartons[c].nitems; j++)
                if (strcmp(p->cartons[c].items[j].sku, u[i].sku) == 0)
                    got += p->cartons[c].items[j].qty;
        assert_int_equal(got, u[i].qty);
        units += u[i].qty;
    }
    for (size_t c = 0; c < p->ncartons; c++) {
        int64_t w = o->carton_tare_g;
        for (size_t j = 0; j < p->cartons[c].nitems; j++)
            for (size_t i = 0; i < n; i++)
                if (strcmp(p->cartons[c].items[j].sku, u[i].sku) == 0)
                    w += p->cartons[c].items[j].qty * u[i].weight_g;
        assert_int_equal(p->cartons[c].weight_g, w);
        assert_true(w <= o->carton_max_g);
        assert_int_equal(p->cartons[c].box_no, (int64_t)c + 1);
        total_w += w;
    }
    assert_int_equal(p->units, units);
    assert_int_equal(p->weight_g, total_w);
}

static void proposal_totals(void **st)
{
    (void)st;
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_tr_unit u[] = {{"A", 30, {200, 150, 100}, 500}, {"B", 12, {300, 200, 100}, 1200},
                             {"C", 7, {100, 100, 50}, 150}};
    struct hc_tr_pack_opts o = {.carton_mm = {600, 400, 400}, .carton_max_g = 15000,
                                .carton_tare_g = 400, .pallet_mm = {1200, 800, 1500},
                                .time_limit_ms = 200};
    struct hc_tr_proposal p;
    hc_err err = {0};
    int rc = hc_tr_pack_propose(a, u, 3, &o, &p, &err);
    if (rc != HC_OK)
        fprintf(stderr, "%s: %s\n", err.field, err.msg);
    assert_int_equal(rc, HC_OK);
    check_proposal(u, 3, &o, &p);
    /* volume 30*3e6 + 12*6e6 + 7*5e5 = 165.5e6 mm3 in 96e6 cartons: at least 2;
     * weight 15000 + 14400 + 1050 + tare: at least 3 cartons of 15 kg */
    assert_true(p.ncartons >= 3);
    int64_t on_pallets = 0;
    for (size_t i = 0; i < p.npallets; i++)
        on_pallets += p.pallets[i].cartons;
    assert_int_equal(on_pallets, (int64_t)p.ncartons);
    for (size_t c = 0; c < p.ncartons; c++)
        assert_true(p.cartons[c].pallet_no >= 1 && (size_t)p.cartons[c].pallet_no <= p.npallets);
    hc_arena_free(a);
}

static void proposal_refusals(void **st)
{
    (void)st;
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_tr_unit big[] = {{"BIG", 1, {700, 100, 100}, 500}};
    struct hc_tr_pack_opts o = {.carton_mm = {600, 400, 400}, .carton_max_g = 15000,
                                .time_limit_ms = 100};
    struct hc_tr_proposal p;
    hc_err err = {0};
    assert_int_equal(hc_tr_pack_propose(a, big, 1, &o, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "carton.dims_mm");
    struct hc_tr_unit heavy[] = {{"H", 1, {100, 100, 100}, 16000}};
    hc_err_clear(&err);
    assert_int_equal(hc_tr_pack_propose(a, heavy, 1, &o, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "carton.max_weight_g");
    struct hc_tr_pack_opts bad = o;
    bad.carton_mm[2] = 0;
    hc_err_clear(&err);
    assert_int_equal(hc_tr_pack_propose(a, heavy, 1, &bad, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "carton.dims_mm");
    struct hc_tr_unit ok[] = {{"OK", 4, {100, 100, 100}, 100}};
    struct hc_tr_pack_opts small_pallet = o;
    small_pallet.pallet_mm[0] = 300;
    small_pallet.pallet_mm[1] = 300;
    small_pallet.pallet_mm[2] = 300;
    hc_err_clear(&err);
    assert_int_equal(hc_tr_pack_propose(a, ok, 1, &small_pallet, &p, &err), HC_EINVAL);
    assert_string_equal(err.field, "pallet.dims_mm");
    hc_arena_free(a);
}

/* A new store, in a transaction begun here: seller S9, warehouse DE9
 * (Germany) with 5 units of BR-0009, a SKU of brand KETT9 that S9 records
 * as another owner's (no authorisation yet). */
static hc_store *branded_stock(void)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    struct hc_seller sl = {"S9", "Seller nine", "CN", NULL, NULL, 0};
    struct hc_warehouse w = {.code = "DE9", .name = "Duisburg", .country = "DE",
                             .address_json = "{}", .timezone = "Europe/Berlin",
                             .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_sku k = {.seller = "S9", .sku = "BR-0009", .name = "Kettle",
                       .hs_code = "8516710000", .value_minor = 1900, .currency = "EUR",
                       .origin_country = "CN", .dims_mm = {240, 200, 180}, .weight_g = 1300,
                       .brand = "KETT9"};
    struct hc_move m = {"S9", "BR-0009", 5, "origin", "wh/DE9/RECEIVING", "inb_9", "t", 0, 0};
    struct hc_brand b = {.seller = "S9", .name = "KETT9", .owner = "Kett GmbH"};
    bool created = false;
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &sl, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &w, &err), HC_OK);
    assert_int_equal(hc_sku_create(s, &k, &err), HC_OK);
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    assert_int_equal(hc_brand_put(s, &b, &created, &err), HC_OK);
    return s;
}

static void authorise(hc_store *s, const char *markets)
{
    hc_err err = {0};
    char id[32];
    struct hc_brand_auth au = {.seller = "S9", .brand = "KETT9", .document_ref = markets,
                               .markets = markets, .valid_from = "2020-01-01",
                               .valid_until = "2099-12-31"};
    assert_int_equal(hc_brand_auth_add(s, &au, id, sizeof(id), &err), HC_OK);
}

/* A transfer to an FBA centre in Germany of a SKU whose brand the seller
 * is not authorised for there is held (item named, listed as a hold, its
 * units still allocated); an authorisation for France releases nothing,
 * one for Germany releases it to open and ends the hold. */
static void brand_hold(void **st)
{
    (void)st;
    hc_store *s = branded_stock();
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_tr_line line = {.sku = "BR-0009", .qty = 3, .fnsku = "X001ABCDEF"};
    struct hc_transfer t = {.seller = "S9", .warehouse = "DE9", .dest_type = HC_TR_FBA,
                            .dest_country = "DE", .address_json = "{}",
                            .shipment_id = "FBA15ABCDEFG", .lines = &line, .nlines = 1};
    assert_int_equal(hc_transfer_create(s, a, &t, NULL, 0, "t", &err), HC_OK);
    assert_string_equal(t.status, "on_hold");
    assert_string_equal(t.hold_reason, HC_HOLD_COMPLIANCE);
    assert_string_equal(t.missing, "skus[BR-0009]." HC_BRAND_ITEM);
    struct hc_hold h;
    bool found = false;
    assert_int_equal(hc_gate_hold_get(s, a, "transfer", t.id, &h, &found, &err), HC_OK);
    assert_true(found);
    assert_string_equal(h.market, "DE");
    assert_int_equal(h.released_at, 0);
    int64_t avail = -1;
    assert_int_equal(hc_ledger_available(s, "S9", "DE9", "BR-0009", &avail, &err), HC_OK);
    assert_int_equal(avail, 2);
    int released = -1;
    authorise(s, "FR");
    assert_int_equal(hc_transfer_recheck_all(s, a, "S9", "t", &released, &err), HC_OK);
    assert_int_equal(released, 0);
    struct hc_transfer got;
    assert_int_equal(hc_transfer_get(s, a, t.id, &got, &err), HC_OK);
    assert_string_equal(got.status, "on_hold");
    authorise(s, "DE");
    assert_int_equal(hc_transfer_recheck_all(s, a, "S9", "t", &released, &err), HC_OK);
    assert_int_equal(released, 1);
    assert_int_equal(hc_transfer_get(s, a, t.id, &got, &err), HC_OK);
    assert_string_equal(got.status, "open");
    assert_string_equal(got.missing, "");
    assert_int_equal(hc_gate_hold_get(s, a, "transfer", t.id, &h, &found, &err), HC_OK);
    assert_true(h.released_at > 0);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* What S8 holds of sku at place (0 without a balance row). */
static int64_t held(hc_store *s, const char *sku, const char *place)
{
    hc_err err = {0};
    int64_t q = 0;
    int rc = hc_store_int(s, &err, &q,
                          "SELECT qty FROM balances WHERE seller = 'S8' AND sku = ? AND place = ?",
                          "ss", sku, place);
    assert_true(rc == HC_OK || rc == HC_ENOTFOUND);
    return rc == HC_OK ? q : 0;
}

static int64_t us8_in_transit(hc_store *s)
{
    hc_err err = {0};
    int64_t q = -1;
    assert_int_equal(hc_store_int(s, &err, &q,
                                  "SELECT in_transit FROM stock WHERE seller = 'S8' AND"
                                  " warehouse = 'US8' AND sku = 'PL-0008'",
                                  ""),
                     HC_OK);
    return q;
}

/* 10 of PL-0008 shipped from DE8 to US8, 7 received, the inbound closed:
 * the 3 left at transfer/<id> move to lost/transfer/<id> with the inbound as
 * ref, US8's in_transit is 0, the transfer's line reads 10 / 7 / 0 / 3 and
 * the books verify. A second close is refused and writes nothing. */
static void closed_short_writes_off(void **st)
{
    (void)st;
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_seller sl = {"S8", "Seller eight", "CN", NULL, NULL, 0};
    struct hc_warehouse de = {.code = "DE8", .name = "Duisburg", .country = "DE",
                              .address_json = "{}", .timezone = "Europe/Berlin",
                              .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_warehouse us = {.code = "US8", .name = "Los Angeles", .country = "US",
                              .address_json = "{}", .timezone = "America/Los_Angeles",
                              .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_sku k = {.seller = "S8", .sku = "PL-0008", .name = "Plate",
                       .hs_code = "6912002300", .value_minor = 500, .currency = "EUR",
                       .origin_country = "CN", .dims_mm = {200, 200, 30}, .weight_g = 400};
    struct hc_move in = {"S8", "PL-0008", 10, "origin", "wh/DE8/RECEIVING", "inb_8", "t", 0, 0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &sl, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &de, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &us, &err), HC_OK);
    assert_int_equal(hc_sku_create(s, &k, &err), HC_OK);
    assert_int_equal(hc_ledger_move(s, &in, &err), HC_OK);
    struct hc_tr_line line = {.sku = "PL-0008", .qty = 10, .fnsku = ""};
    struct hc_transfer t = {.seller = "S8", .warehouse = "DE8", .dest_type = HC_TR_HAICANG,
                            .dest_warehouse = "US8", .address_json = "{}",
                            .freight_ref = "SEA-9", .lines = &line, .nlines = 1};
    assert_int_equal(hc_transfer_create(s, a, &t, NULL, 0, "t", &err), HC_OK);
    assert_string_equal(t.status, "open");
    struct hc_tr_carton_item it = {"PL-0008", 10};
    struct hc_tr_carton c = {.dims_mm = {500, 400, 300}, .weight_g = 4200, .items = &it,
                             .nitems = 1};
    assert_int_equal(hc_tr_cartons_record(s, a, t.id, &c, 1, NULL, 0, NULL, "t", &err), HC_OK);
    assert_int_equal(hc_transfer_ship(s, a, t.id, NULL, "t", &err), HC_OK);
    struct hc_transfer got;
    assert_int_equal(hc_transfer_get(s, a, t.id, &got, &err), HC_OK);
    assert_int_equal(got.lines[0].in_transit, 10);
    assert_int_equal(us8_in_transit(s), 10);
    struct hc_qty_line seven = {.sku = "PL-0008", .qty = 7};
    struct hc_inbound ib;
    assert_int_equal(hc_inbound_receive(s, a, got.inbound_id, &seven, 1, "t", &ib, &err), HC_OK);
    assert_int_equal(us8_in_transit(s), 3);
    assert_int_equal(hc_inbound_close(s, a, got.inbound_id, "short", "t", &ib, &err), HC_OK);
    char place[HC_PLACE_MAX], lost[HC_PLACE_MAX];
    snprintf(place, sizeof(place), "transfer/%s", t.id);
    assert_true(hc_place_lost(place, lost, sizeof(lost)));
    assert_int_equal(strncmp(lost, "lost/transfer/", 14), 0);
    assert_int_equal(held(s, "PL-0008", place), 0);
    assert_int_equal(held(s, "PL-0008", lost), 3);
    assert_int_equal(us8_in_transit(s), 0);
    int64_t rows = 0;
    assert_int_equal(hc_store_int(s, &err, &rows,
                                  "SELECT COUNT(*) FROM journal WHERE ref = ? AND from_place = ?"
                                  " AND to_place = ? AND qty = 3",
                                  "sss", got.inbound_id, place, lost),
                     HC_OK);
    assert_int_equal(rows, 1);
    assert_int_equal(hc_transfer_get(s, a, t.id, &got, &err), HC_OK);
    assert_int_equal(got.lines[0].qty, 10);
    assert_int_equal(got.lines[0].received, 7);
    assert_int_equal(got.lines[0].in_transit, 0);
    assert_int_equal(got.lines[0].lost, 3);
    /* closing again: refused, nothing more written off */
    assert_int_equal(hc_inbound_close(s, a, got.inbound_id, NULL, "t", &ib, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    assert_int_equal(held(s, "PL-0008", lost), 3);
    struct hc_verify_result vr;
    assert_int_equal(hc_ledger_verify(s, NULL, NULL, &vr, &err), HC_OK);
    assert_int_equal(vr.diffs, 0);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

int main(void)
{
    hc_err err = {0};
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "reference data: %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes),           cmocka_unit_test(carton_ids),
        cmocka_unit_test(state_machine),   cmocka_unit_test(proposal_totals),
        cmocka_unit_test(proposal_refusals), cmocka_unit_test(brand_hold),
        cmocka_unit_test(closed_short_writes_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

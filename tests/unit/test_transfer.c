/* Unit tests of src/transfer: FNSKU and shipment id checks, marketplace
 * carton ids, the state machine, and the carton/pallet proposal (every unit
 * packed once, weights summed exactly, limits kept, refusals named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "transfer/transfer.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes),           cmocka_unit_test(carton_ids),
        cmocka_unit_test(state_machine),   cmocka_unit_test(proposal_totals),
        cmocka_unit_test(proposal_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

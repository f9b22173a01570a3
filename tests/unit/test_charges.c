/* Unit tests for rate cards and charges (src/finance/ratecard.c, charge.c,
 * storage.c): half-even rounding per currency with totals equal to the sum
 * of their lines, minimums and surcharges, storage tiers over FIFO lot ages
 * (per m3, pallet, bin), card validation and the CSV import; then on a
 * store: a storage day charged from the goods journal, run twice without
 * change, missed days caught up, and a back-dated card re-rating by a
 * correction entry while the first charge stays as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "finance/finance.h"

#include <time.h>

static char url[512];

/* ---- pure ------------------------------------------------------------------------- */

static void half_even(void **state)
{
    assert_int_equal(hc_round_half_even(5, 2), 2);   /* 2.5 -> 2 */
    assert_int_equal(hc_round_half_even(7, 2), 4);   /* 3.5 -> 4 */
    assert_int_equal(hc_round_half_even(-5, 2), -2); /* -2.5 -> -2 */
    assert_int_equal(hc_round_half_even(-7, 2), -4);
    assert_int_equal(hc_round_half_even(1, 3), 0);
    assert_int_equal(hc_round_half_even(2, 3), 1);
    assert_int_equal(hc_round_half_even(26, 10), 3);
    /* 1 m3 at 0.0050 EUR is half a cent: 0 (even); 3 m3: 1.5 cents -> 2 */
    struct hc_charge c = {.currency = "EUR"};
    int64_t r;
    assert_int_equal(hc_rc_rate_parse("0.0050", "EUR", "rate", &r, NULL), HC_OK);
    assert_int_equal(r, 5000); /* minor units x 10^4 */
    hc_charge_add(&c, "a", 1000000000, r, 1000000000);
    assert_int_equal(c.n, 0); /* a line of 0 is kept out */
    hc_charge_add(&c, "b", 3000000000LL, r, 1000000000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.lines[0].minor, 2);
    /* JPY has no minor units: 0.5 JPY x 3 = 1.5 -> 2, x 5 = 2.5 -> 2 */
    assert_int_equal(hc_rc_rate_parse("0.5", "JPY", "rate", &r, NULL), HC_OK);
    struct hc_charge j = {.currency = "JPY"};
    hc_charge_add(&j, "x", 3, r, 1);
    hc_charge_add(&j, "y", 5, r, 1);
    assert_int_equal(j.lines[0].minor, 2);
    assert_int_equal(j.lines[1].minor, 2);
    /* KWD has 3: 0.0005 x 3 = 0.0015 -> 0.002 */
    assert_int_equal(hc_rc_rate_parse("0.0005", "KWD", "rate", &r, NULL), HC_OK);
    struct hc_charge k = {.currency = "KWD"};
    hc_charge_add(&k, "x", 3, r, 1);
    assert_int_equal(k.lines[0].minor, 2);
    /* more digits than the currency allows + 4: refused naming the field */
    hc_err err = {0};
    assert_int_equal(hc_rc_rate_parse("0.123456789", "EUR", "tiers[0].rate", &r, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "tiers[0].rate");
}

static void minimum_and_surcharge(void **state)
{
    struct hc_charge c = {.currency = "EUR"};
    hc_charge_add(&c, "inbound per unit", 10, 300000, 1); /* 10 x 0.30 */
    hc_charge_finish(&c, 500, 550);                       /* min 5.00, 5.5 % */
    assert_int_equal(c.n, 3);
    assert_int_equal(c.lines[0].minor, 300);
    assert_string_equal(c.lines[1].label, "minimum");
    assert_int_equal(c.lines[1].minor, 200);
    assert_int_equal(c.lines[2].minor, 28); /* 27.5 -> 28 */
    assert_int_equal(c.total, 528);
    /* above the minimum: no minimum line; 4.90 x 5.5 % = 26.95 -> 27 */
    struct hc_charge d = {.currency = "EUR"};
    hc_charge_add(&d, "a", 7, 700000, 1);
    hc_charge_finish(&d, 100, 550);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.total, 490 + 27);
    /* totals are the sum of their lines, whatever the lines */
    for (int64_t units = 1; units < 400; units += 7) {
        struct hc_charge e = {.currency = "EUR"};
        hc_charge_add(&e, "a", units, 123457, 1);
        hc_charge_add(&e, "b", units * 3000000, 4567, 1000000000);
        hc_charge_finish(&e, 250, 333);
        int64_t sum = 0;
        for (size_t i = 0; i < e.n; i++)
            sum += e.lines[i].minor;
        assert_int_equal(e.total, sum);
        assert_true(e.total >= 250);
    }
}

static struct hc_ratecard card_m3(void)
{
    struct hc_ratecard c = {.warehouse = "W1", .currency = "EUR", .effective_from = "2026-01-01",
                            .storage_basis = HC_RC_PER_M3, .inbound_basis = HC_RC_PER_UNIT,
                            .ntiers = 3, .nbreaks = 1};
    c.tiers[0] = (struct hc_rc_tier){0, 30, 10000000};              /* 10.00 per m3 per day */
    c.tiers[1] = (struct hc_rc_tier){31, 90, 20000000};             /* 20.00 */
    c.tiers[2] = (struct hc_rc_tier){91, HC_RC_DAY_OPEN, 40000000}; /* 40.00 */
    c.breaks[0] = (struct hc_rc_break){HC_RC_DAY_OPEN, 10000, 0};
    return c;
}

static void fifo_and_tiers(void **state)
{
    /* 100 units 40 days old, 50 units 10 days old; 120 go out: the oldest first */
    struct hc_storage_lot ins[2] = {{40, 100, 1000000}, {10, 50, 1000000}}, rem[2];
    size_t n = hc_fifo_remaining(ins, 2, 120, rem);
    assert_int_equal(n, 1);
    assert_int_equal(rem[0].age_days, 10);
    assert_int_equal(rem[0].qty, 30);
    n = hc_fifo_remaining(ins, 2, 99, rem);
    assert_int_equal(n, 2);
    assert_int_equal(rem[0].qty, 1);
    struct hc_ratecard c = card_m3();
    /* 1 unit = 0.001 m3; 30 units at age 10: 0.03 m3 x 10.00 = 0.30 */
    struct hc_charge ch;
    hc_storage_price(&c, rem + 1, 1, NULL, 0, &ch);
    assert_int_equal(ch.total, 50); /* 50 units of the second lot: 0.05 x 10 */
    /* both lots untouched: tier 31-90 0.1 m3 x 20 = 2.00; tier 0-30 0.05 x 10 = 0.50 */
    hc_storage_price(&c, ins, 2, NULL, 0, &ch);
    assert_int_equal(ch.n, 2);
    assert_int_equal(ch.lines[0].minor, 50);
    assert_int_equal(ch.lines[1].minor, 200);
    assert_int_equal(ch.total, 250);
    /* tier edges: day 30 in the first tier, day 31 in the second, 91 in the open one */
    struct hc_storage_lot edge[3] = {{30, 1000, 1000000}, {31, 1000, 1000000},
                                     {91, 1000, 1000000}};
    hc_storage_price(&c, edge, 3, NULL, 0, &ch);
    assert_int_equal(ch.total, 1000 + 2000 + 4000);
    /* per pallet: each tier's volume in whole pallets of 1.8 m3 */
    c.storage_basis = HC_RC_PER_PALLET;
    c.pallet_mm3 = 1800000000;
    c.tiers[0].rate_e4 = 1500000; /* 1.50 per pallet per day */
    c.tiers[1].rate_e4 = 2500000;
    hc_storage_price(&c, ins, 2, NULL, 0, &ch); /* 0.05 m3 -> 1 pallet, 0.1 m3 -> 1 */
    assert_int_equal(ch.total, 150 + 250);
    struct hc_storage_lot big = {5, 2000, 1000000}; /* 2 m3 -> 2 pallets */
    hc_storage_price(&c, &big, 1, NULL, 0, &ch);
    assert_int_equal(ch.total, 300);
    /* per bin: bins aged by their oldest goods */
    c.storage_basis = HC_RC_PER_BIN;
    int64_t bins[3] = {5, 40, 95};
    hc_storage_price(&c, NULL, 0, bins, 3, &ch);
    assert_int_equal(ch.total, 150 + 250 + 4000);
    /* a minimum and a surcharge on a storage day */
    c = card_m3();
    c.min_storage = 100;
    c.surcharge_bp = 1000;
    hc_storage_price(&c, rem, 1, NULL, 0, &ch); /* 0.30 -> minimum 1.00 -> + 10 % */
    assert_int_equal(ch.total, 110);
}

static void validation(void **state)
{
    hc_err err = {0};
    struct hc_ratecard c = card_m3();
    assert_int_equal(hc_ratecard_validate(&c, &err), HC_OK);
    c.tiers[1].from_day = 30; /* overlaps tier 0 */
    assert_int_equal(hc_ratecard_validate(&c, &err), HC_EINVAL);
    assert_string_equal(err.field, "storage.tiers[1].from_day");
    hc_err_clear(&err);
    c = card_m3();
    c.tiers[2].to_day = 400; /* not open */
    assert_int_equal(hc_ratecard_validate(&c, &err), HC_EINVAL);
    assert_string_equal(err.field, "storage.tiers[2].to_day");
    hc_err_clear(&err);
    c = card_m3();
    c.effective_to = "2025-12-31";
    assert_int_equal(hc_ratecard_validate(&c, &err), HC_EINVAL);
    assert_string_equal(err.field, "effective_to");
    hc_err_clear(&err);
    c = card_m3();
    c.nbreaks = 2;
    c.breaks[1] = (struct hc_rc_break){1000, 1, 1}; /* the open break must be last */
    assert_int_equal(hc_ratecard_validate(&c, &err), HC_EINVAL);
    assert_string_equal(err.field, "outbound.breaks[0].max_weight_g");
}

static void csv_import(void **state)
{
    const char *csv =
        "card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate\n"
        "a,W1,,EUR,2026-01-01,,storage_m3,0,30,0.45\n"
        "a,W1,,EUR,2026-01-01,,storage_m3,31,,0.60\n"
        "a,W1,,EUR,2026-01-01,,inbound_carton,12,,1.10\n"
        "a,W1,,EUR,2026-01-01,,outbound,,,2.50\n"
        "a,W1,,EUR,2026-01-01,,outbound,,1000,1.20\n"
        "a,W1,,EUR,2026-01-01,,outbound_extra_unit,,1000,0.25\n"
        "a,W1,,EUR,2026-01-01,,surcharge_pct,,,5.5\n"
        "a,W1,,EUR,2026-01-01,,min_inbound,,,5.00\n"
        "b,W1,S1,USD,2026-02-01,2026-12-31,storage_bin,0,,0.80\n"
        "b,W1,S1,USD,2026-02-01,2026-12-31,outbound,,,3\n";
    hc_arena *a = hc_arena_new(4096);
    struct hc_ratecard *cards;
    size_t n;
    hc_err err = {0};
    assert_int_equal(hc_ratecard_csv_parse(a, csv, strlen(csv), &cards, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cards[0].ntiers, 2);
    assert_int_equal(cards[0].tiers[1].rate_e4, 600000);
    assert_int_equal(cards[0].inbound_basis, HC_RC_PER_CARTON);
    assert_int_equal(cards[0].carton_units, 12);
    assert_int_equal(cards[0].nbreaks, 2);
    assert_int_equal(cards[0].breaks[0].max_weight_g, 1000); /* sorted, open last */
    assert_int_equal(cards[0].breaks[0].extra_unit_e4, 250000);
    assert_int_equal(cards[0].surcharge_bp, 550);
    assert_int_equal(cards[0].min_inbound, 500);
    assert_string_equal(cards[1].seller, "S1");
    assert_int_equal(cards[1].storage_basis, HC_RC_PER_BIN);
    const char *bad = "a,W1,,EUR,2026-01-01,,storage_m3,0,30,0.45\n"
                      "a,W1,,EUR,2026-01-01,,storage_m3,20,,0.60\n"
                      "a,W1,,EUR,2026-01-01,,outbound,,,1\n";
    assert_int_equal(hc_ratecard_csv_parse(a, bad, strlen(bad), &cards, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "card a: storage.tiers[1].from_day");
    hc_err_clear(&err);
    const char *bad2 = "a,W1,,EUR,2026-01-01,,parking,0,30,0.45\n";
    assert_int_equal(hc_ratecard_csv_parse(a, bad2, strlen(bad2), &cards, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 1: item");
    hc_arena_free(a);
}

static void time_zones(void **state)
{
    char d[11];
    /* 2026-03-29 Berlin: clocks go forward; midnight is 23:00Z the day before */
    assert_int_equal(hc_tz_midnight("Europe/Berlin", "2026-03-29"), 1774738800000LL);
    assert_int_equal(hc_tz_midnight("Europe/Berlin", "2026-03-30") -
                         hc_tz_midnight("Europe/Berlin", "2026-03-29"),
                     23 * 3600000LL);
    assert_int_equal(hc_tz_day("America/Los_Angeles", 1774738800000LL, d), HC_OK);
    assert_string_equal(d, "2026-03-28");
    assert_int_equal(hc_tz_day("Asia/Tokyo", 1774738800000LL, d), HC_OK);
    assert_string_equal(d, "2026-03-29");
}

/* ---- on a store ---------------------------------------------------------------------
 * W1 in Asia/Tokyo (no daylight saving); SKU A of 100 x 100 x 100 mm (0.001 m3). Goods
 * of S1: 100 units in 40 days ago, 50 units 10 days ago, 120 out 5 days ago. */

static int64_t sum_storage(hc_store *s, const char *day, int64_t *rows)
{
    hc_err err = {0};
    int64_t v = 0;
    hc_stmt *q;
    assert_int_equal(hc_store_query(s, &err, &q,
                                     "SELECT COALESCE(SUM(minor), 0), COUNT(*) FROM fin_charges"
                                     " WHERE kind = 'storage' AND day = ?",
                                     "s", day),
                     HC_OK);
    assert_int_equal(hc_stmt_step(q, &err), HC_ROW);
    v = hc_stmt_int(q, 0);
    if (rows)
        *rows = hc_stmt_int(q, 1);
    hc_stmt_reset(q);
    return v;
}

static void day_of(int delta, char out[11])
{
    hc_tz_day("Asia/Tokyo", hc_now_ms() + delta * HC_DAY_MS, out);
}

static void move(hc_store *s, int64_t days_ago, const char *from, const char *to, int64_t qty)
{
    hc_err err = {0};
    hc_clock_set_offset(-days_ago * HC_DAY_MS);
    struct hc_move m = {.seller = "S1", .sku = "A", .qty = qty, .from = from, .to = to,
                        .ref = "t", .actor = "t"};
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    hc_clock_set_offset(0);
}

struct card_job {
    struct hc_ratecard c;
    hc_arena *a;
};
static int card_job(hc_store *s, void *ctx, hc_err *err)
{
    struct card_job *j = ctx;
    return hc_ratecard_create(s, j->a, &j->c, "t", err);
}

static void storage_days(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO sellers (code, name, country, created_at)"
                                  " VALUES ('S1', 'S1', 'CN', 0)",
                                  ""),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO warehouses (code, name, country, address, timezone,"
                                  " aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at) VALUES"
                                  " ('W1', 'W1', 'JP', '{}', 'Asia/Tokyo', 3000, 1000, 1, 0)",
                                  ""),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO skus (seller, sku, name, hs_code, value_minor,"
                                  " currency, origin, l, w, h, weight_g, created_at) VALUES"
                                  " ('S1', 'A', 'A', '8504409999', 100, 'EUR', 'CN', 100, 100,"
                                  " 100, 100, 0)",
                                  ""),
                     HC_OK);
    move(s, 40, "origin", "wh/W1/RECEIVING", 100);
    move(s, 39, "wh/W1/RECEIVING", "wh/W1/A-01", 100); /* inside: no new lot */
    move(s, 10, "origin", "wh/W1/A-01", 50);
    move(s, 5, "wh/W1/A-01", "customer", 120);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_store_close(s);

    hc_db *db;
    assert_int_equal(hc_db_open(url, NULL, &db, &err), HC_OK);
    char from[11], y[11], d7[11], today[11];
    day_of(-45, from);
    day_of(-1, y);
    day_of(-7, d7);
    day_of(0, today);
    hc_arena *a = hc_arena_new(4096);
    struct card_job cj = {.c = card_m3(), .a = a};
    cj.c.effective_from = from;
    assert_int_equal(hc_db_write(db, card_job, &cj, &err), HC_OK);
    const char *first_card = cj.c.id;

    struct hc_storage_result r;
    /* today has not ended */
    assert_int_equal(hc_storage_run(db, "W1", today, "t", &r, &err), HC_EINVAL);
    assert_string_equal(err.field, "date");
    hc_err_clear(&err);
    /* yesterday: 30 units of the second lot (age 9): 0.03 m3 x 10.00 = 0.30 */
    assert_int_equal(hc_storage_run(db, "W1", y, "t", &r, &err), HC_OK);
    assert_int_equal(r.entries, 1);
    hc_store *rd = hc_db_reader(db, &err);
    int64_t rows;
    assert_int_equal(sum_storage(rd, y, &rows), 30);
    /* twice: nothing changes */
    assert_int_equal(hc_storage_run(db, "W1", y, "t", &r, &err), HC_OK);
    assert_int_equal(r.entries, 0);
    assert_int_equal(sum_storage(rd, y, &rows), 30);
    assert_int_equal(rows, 1);
    /* catch-up: every day from the card's first; days before the first lot cost nothing */
    assert_int_equal(hc_storage_run(db, "W1", NULL, "t", &r, &err), HC_OK);
    assert_int_equal(r.days, 45);
    assert_int_equal(r.entries, 39); /* 40 days with stock, yesterday already charged */
    /* 7 days ago: 100 units age 33 (0.1 m3 x 20.00 = 2.00) + 50 at age 3 (0.50) */
    assert_int_equal(sum_storage(rd, d7, NULL), 250);
    int64_t days_charged = -1;
    assert_int_equal(hc_store_int(rd, &err, &days_charged,
                                  "SELECT COUNT(DISTINCT day) FROM fin_charges", ""),
                     HC_OK);
    assert_int_equal(days_charged, 40);
    /* nothing left: a second catch-up runs no day */
    assert_int_equal(hc_storage_run(db, "W1", NULL, "t", &r, &err), HC_OK);
    assert_int_equal(r.days, 0);

    /* a replacement back-dated: tier 31-90 at 30.00 re-rates the days with old goods */
    struct card_job cj2 = {.c = card_m3(), .a = a};
    cj2.c.effective_from = from;
    cj2.c.replaces = first_card;
    cj2.c.tiers[1].rate_e4 = 30000000;
    assert_int_equal(hc_db_write(db, card_job, &cj2, &err), HC_OK);
    assert_int_equal(hc_storage_run(db, "W1", NULL, "t", &r, &err), HC_OK);
    assert_int_equal(r.entries, 4); /* days -9..-6 held goods aged 31+ (out on -5) */
    assert_int_equal(sum_storage(rd, d7, &rows), 350);
    assert_int_equal(rows, 2);
    int64_t first_amount = -1;
    assert_int_equal(hc_store_int(rd, &err, &first_amount,
                                  "SELECT minor FROM fin_charges WHERE day = ? AND"
                                  " cause_kind = 'storage'",
                                  "s", d7),
                     HC_OK);
    assert_int_equal(first_amount, 250); /* never edited */
    assert_int_equal(sum_storage(rd, y, &rows), 30); /* young goods only: unchanged */
    assert_int_equal(rows, 1);
    /* the wallet owes what the charges say; the books balance */
    int64_t charged = 0, wallet = 0;
    assert_int_equal(hc_store_int(rd, &err, &charged, "SELECT SUM(minor) FROM fin_charges", ""),
                     HC_OK);
    assert_int_equal(hc_money_balance(rd, "seller/S1/wallet", "EUR", &wallet, &err), HC_OK);
    assert_int_equal(wallet, charged);
    struct hc_money_verify_result v;
    assert_int_equal(hc_money_verify(rd, NULL, NULL, &v, &err), HC_OK);
    assert_int_equal(v.diffs, 0);
    hc_arena_free(a);
    hc_db_close(db);
}

/* Per-bin basis from the journal: W2 (UTC), seller S9, one SKU. 10 units into A-01
 * 40 days ago, 5 into A-02 10 days ago, the 10 moved A-01 -> A-03 5 days ago (inside
 * the warehouse: no new lot). Yesterday two bins hold goods, each aged by
 * the SKU's oldest lot (39 days): 2 bins x 2.00 = 4.00; 7 days ago:
 * also 2 x 2.00 = 4.00; 20 days ago A-01 only (20 days old: tier 0-30) 1 x 1.00. */
static void move9(hc_store *s, int64_t days_ago, const char *from, const char *to, int64_t qty)
{
    hc_err err = {0};
    hc_clock_set_offset(-days_ago * HC_DAY_MS);
    struct hc_move m = {.seller = "S9", .sku = "B", .qty = qty, .from = from, .to = to,
                        .ref = "t", .actor = "t"};
    assert_int_equal(hc_ledger_move(s, &m, &err), HC_OK);
    hc_clock_set_offset(0);
}

static void storage_bins(void **state)
{
    hc_store *s = test_store(url);
    hc_err err = {0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO sellers (code, name, country, created_at)"
                                  " VALUES ('S9', 'S9', 'CN', 0)",
                                  ""),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO warehouses (code, name, country, address, timezone,"
                                  " aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at) VALUES"
                                  " ('W2', 'W2', 'GB', '{}', 'UTC', 3000, 1000, 1, 0)",
                                  ""),
                     HC_OK);
    assert_int_equal(hc_store_run(s, &err, NULL,
                                  "INSERT INTO skus (seller, sku, name, hs_code, value_minor,"
                                  " currency, origin, l, w, h, weight_g, created_at) VALUES"
                                  " ('S9', 'B', 'B', '8504409999', 100, 'EUR', 'CN', 100, 100,"
                                  " 100, 100, 0)",
                                  ""),
                     HC_OK);
    move9(s, 40, "origin", "wh/W2/A-01", 10);
    move9(s, 10, "origin", "wh/W2/A-02", 5);
    move9(s, 5, "wh/W2/A-01", "wh/W2/A-03", 10);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_store_close(s);
    hc_db *db;
    assert_int_equal(hc_db_open(url, NULL, &db, &err), HC_OK);
    char y[11], d7[11], d20[11], from[11];
    hc_tz_day("UTC", hc_now_ms() - HC_DAY_MS, y);
    hc_tz_day("UTC", hc_now_ms() - 7 * HC_DAY_MS, d7);
    hc_tz_day("UTC", hc_now_ms() - 20 * HC_DAY_MS, d20);
    hc_tz_day("UTC", hc_now_ms() - 50 * HC_DAY_MS, from);
    hc_arena *a = hc_arena_new(4096);
    struct card_job cj = {.c = card_m3(), .a = a};
    cj.c.warehouse = "W2";
    cj.c.seller = "S9";
    cj.c.effective_from = from;
    cj.c.storage_basis = HC_RC_PER_BIN;
    cj.c.ntiers = 2;
    cj.c.tiers[0] = (struct hc_rc_tier){0, 30, 1000000};             /* 1.00 per bin per day */
    cj.c.tiers[1] = (struct hc_rc_tier){31, HC_RC_DAY_OPEN, 2000000}; /* 2.00 */
    assert_int_equal(hc_db_write(db, card_job, &cj, &err), HC_OK);
    struct hc_storage_result r;
    hc_store *rd = hc_db_reader(db, &err);
    const char *days[3] = {y, d7, d20};
    int64_t want[3] = {400, 400, 100};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(hc_storage_run(db, "W2", days[i], "t", &r, &err), HC_OK);
        int64_t got = -1;
        assert_int_equal(hc_store_int(rd, &err, &got,
                                      "SELECT COALESCE(SUM(minor), 0) FROM fin_charges"
                                      " WHERE warehouse = 'W2' AND day = ?",
                                      "s", days[i]),
                         HC_OK);
        assert_int_equal(got, want[i]);
    }
    hc_arena_free(a);
    hc_db_close(db);
}

int main(void)
{
    hc_err err = {0};
    if (hc_currency_load(HC_SOURCE_DIR "/data/currencies.csv", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(half_even),     cmocka_unit_test(minimum_and_surcharge),
        cmocka_unit_test(fifo_and_tiers), cmocka_unit_test(validation),
        cmocka_unit_test(csv_import),    cmocka_unit_test(time_zones),
        cmocka_unit_test(storage_days),
        cmocka_unit_test(storage_bins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

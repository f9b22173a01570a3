/* Unit tests for the export VAT refund (src/finance/refund.c,
 * refund_report.c): the amounts of both company types (免退 on the purchase
 * invoice, 免抵退 on FOB x rate with the non-creditable part), half-even fen
 * with parts that add up to their item, every reconciliation outcome, the
 * reconciliation months and deadline, the bounds of rates and invoices and
 * their CSV import; then on a store: consumer shipments attributed to 9810
 * declaration items first in, first out per warehouse and SKU, never to an
 * item not yet exported, and goods not told apart left unsold. */
/* clang-format off: cmocka.h needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "helpers.h"
#include "finance/finance.h"

static char url[512];

/* ---- amounts -------------------------------------------------------------------------- */

static void amounts_trading(void **state)
{
    (void)state;
    struct hc_refund_amount a;
    /* purchase invoice CNY 600.00 excl. VAT at 13 %: 78.00, nothing non-creditable */
    hc_refund_compute(HC_REFUND_TRADING, 60000, 1300, 1300, &a);
    assert_int_equal(a.basis_fen, 60000);
    assert_int_equal(a.refund_fen, 7800);
    assert_int_equal(a.non_creditable_fen, 0);
    /* 9 % of 231.50 = 20.835 -> 20.84 (not a tie); of 0.50 = 0.045 -> 0.04 (tie to even) */
    hc_refund_compute(HC_REFUND_TRADING, 23150, 1300, 900, &a);
    assert_int_equal(a.refund_fen, 2084);
    assert_int_equal(a.non_creditable_fen, 0);
    hc_refund_compute(HC_REFUND_TRADING, 50, 1300, 900, &a);
    assert_int_equal(a.refund_fen, 4);
    hc_refund_compute(HC_REFUND_TRADING, 150, 1300, 900, &a); /* 0.135 -> 0.14 */
    assert_int_equal(a.refund_fen, 14);
}

static void amounts_manufacturer(void **state)
{
    (void)state;
    int64_t rate;
    assert_int_equal(hc_fx_rate_parse("7.1234", &rate), HC_OK);
    /* USD 19.98 x 7.1234 = 142.325532 -> 142.33 */
    int64_t fob = hc_refund_fob_fen(1998000, rate);
    assert_int_equal(fob, 14233);
    struct hc_refund_amount a;
    hc_refund_compute(HC_REFUND_MANUFACTURER, fob, 1300, 900, &a);
    assert_int_equal(a.refund_fen, 1281);        /* 9 %: 12.8097 */
    assert_int_equal(a.non_creditable_fen, 569); /* 4 %: 5.6932 */
    /* USD 125.00 x 7.1234 = 890.425 -> 890.42 (tie to even) */
    assert_int_equal(hc_refund_fob_fen(12500000, rate), 89042);
    /* a refund rate at the VAT rate: nothing non-creditable; above it: none either */
    hc_refund_compute(HC_REFUND_MANUFACTURER, 35617, 1300, 1300, &a);
    assert_int_equal(a.refund_fen, 4630);
    assert_int_equal(a.non_creditable_fen, 0);
    hc_refund_compute(HC_REFUND_MANUFACTURER, 35617, 900, 1300, &a);
    assert_int_equal(a.non_creditable_fen, 0);
    /* a zero refund rate: the whole VAT is not creditable */
    hc_refund_compute(HC_REFUND_MANUFACTURER, 10000, 1300, 0, &a);
    assert_int_equal(a.refund_fen, 0);
    assert_int_equal(a.non_creditable_fen, 1300);
}

/* Sold and unsold parts add up to the item's basis, line by line. */
static void split_adds_up(void **state)
{
    (void)state;
    const char *kinds[] = {HC_REFUND_TRADING, HC_REFUND_MANUFACTURER};
    for (int k = 0; k < 2; k++)
        for (int64_t basis = 0; basis < 2000; basis += 7)
            for (int64_t qty = 1; qty <= 9; qty++)
                for (int64_t sold = 0; sold <= qty; sold++) {
                    struct hc_refund_amount s, u, whole;
                    hc_refund_split(kinds[k], basis, qty, sold, 1300, 900, &s, &u);
                    assert_int_equal(s.basis_fen + u.basis_fen, basis);
                    hc_refund_compute(kinds[k], basis, 1300, 900, &whole);
                    /* each part rounds once: the two differ from the whole by at most 1 fen */
                    int64_t d = s.refund_fen + u.refund_fen - whole.refund_fen;
                    assert_true(d >= -1 && d <= 1);
                    if (sold == 0)
                        assert_int_equal(s.basis_fen, 0);
                    if (sold == qty)
                        assert_int_equal(u.basis_fen, 0);
                }
    /* 3 of 10 units of CNY 600.00: 180.00 sold, 420.00 pre-refund (HWC-YT) */
    struct hc_refund_amount s, u;
    hc_refund_split(HC_REFUND_TRADING, 60000, 10, 3, 1300, 1300, &s, &u);
    assert_int_equal(s.basis_fen, 18000);
    assert_int_equal(u.basis_fen, 42000);
    assert_int_equal(s.refund_fen, 2340);
    assert_int_equal(u.refund_fen, 5460);
    /* 1 of 2 units of 0.01: half a fen to the sold part rounds to even (0) */
    hc_refund_split(HC_REFUND_TRADING, 1, 2, 1, 1300, 1300, &s, &u);
    assert_int_equal(s.basis_fen, 0);
    assert_int_equal(u.basis_fen, 1);
}

/* ---- reconciliation ------------------------------------------------------------------------ */

static struct hc_refund_recon_in manufacturer_line(void)
{
    int64_t rate;
    assert_int_equal(hc_fx_rate_parse("7.1234", &rate), HC_OK);
    /* TEE-1 x12 declared USD 119.88 -> CNY 853.95, 9 % -> 76.86, all pre-refund */
    return (struct hc_refund_recon_in){.company = HC_REFUND_MANUFACTURER,
                                       .vat_bp = 1300,
                                       .rate_bp = 900,
                                       .rate_e10 = rate,
                                       .pre_qty = 12,
                                       .pre_refund_fen = 7686,
                                       .pre_basis_fen = 85395,
                                       .item_qty = 12,
                                       .item_fob_e5 = 11988000};
}

static void outcomes(void **state)
{
    (void)state;
    struct hc_refund_recon_out o;
    struct hc_refund_recon_in in = manufacturer_line();
    /* part sold, before the deadline: pending */
    in.sold_qty = 5;
    in.sale_e5 = 4995000;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_PENDING);
    assert_int_equal(o.repay_fen, 0);
    assert_string_equal(hc_refund_outcome_name(o.outcome), "pending");
    /* the same at the April reconciliation: repay the whole pre-refund */
    in.at_deadline = true;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_REPAY);
    assert_int_equal(o.repay_fen, 7686);
    /* nothing sold at the deadline: likewise */
    in.sold_qty = 0;
    in.sale_e5 = 0;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_REPAY);
    assert_int_equal(o.repay_fen, 7686);
    /* all sold at the declared amount: no adjustment (deadline or not) */
    in.sold_qty = 12;
    in.sale_e5 = 11988000;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_NO_ADJUST);
    assert_int_equal(o.diff_fen, 0);
    assert_int_equal(o.new_refund_fen, 7686);
    /* all sold at USD 8.00 a unit: refile on 683.85 -> 61.55, difference -15.31 */
    in.at_deadline = false;
    in.sale_e5 = 9600000;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_REFILE);
    assert_int_equal(o.new_refund_fen, 6155);
    assert_int_equal(o.diff_fen, -1531);
    /* sold dearer: a positive difference */
    in.sale_e5 = 14400000; /* USD 144.00 -> 1025.77 -> 92.32 */
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_REFILE);
    assert_int_equal(o.new_refund_fen, 9232);
    assert_int_equal(o.diff_fen, 9232 - 7686);
    /* a trading company's refund rests on its invoice: refiled, difference 0 */
    in.company = HC_REFUND_TRADING;
    in.pre_basis_fen = 60000;
    in.pre_refund_fen = 5400;
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_REFILE);
    assert_int_equal(o.diff_fen, 0);
    /* the pre-refund part of an item partly sold at filing: declared pro rata */
    in = manufacturer_line();
    in.item_qty = 20;
    in.item_fob_e5 = 25000000; /* USD 250.00 for 20 */
    in.pre_qty = 14;
    in.sold_qty = 14;
    in.sale_e5 = 17500000; /* 14 x 12.50 */
    hc_refund_reconcile(&in, &o);
    assert_int_equal(o.outcome, HC_REFUND_NO_ADJUST);
}

static void deadlines(void **state)
{
    (void)state;
    char dl[11], fm[8];
    hc_refund_deadline("2025-04-20", dl, fm);
    assert_string_equal(dl, "2026-04-30");
    assert_string_equal(fm, "2025-05");
    hc_refund_deadline("2026-12-31", dl, fm);
    assert_string_equal(dl, "2027-04-30");
    assert_string_equal(fm, "2027-01");
    hc_refund_deadline("2026-01-02", dl, fm);
    assert_string_equal(dl, "2027-04-30");
    assert_string_equal(fm, "2026-02");
}

/* ---- bounds and CSV ------------------------------------------------------------------------ */

static void bounds(void **state)
{
    (void)state;
    hc_err err = {0};
    int64_t bp;
    assert_int_equal(hc_refund_pct_parse("13", "rate", &bp, &err), HC_OK);
    assert_int_equal(bp, 1300);
    assert_int_equal(hc_refund_pct_parse("0", "rate", &bp, &err), HC_OK);
    assert_int_equal(hc_refund_pct_parse("9.5", "rate", &bp, &err), HC_OK);
    assert_int_equal(bp, 950);
    assert_int_equal(hc_refund_pct_parse("13.01", "rate", &bp, &err), HC_EINVAL);
    assert_string_equal(err.field, "rate");
    hc_err_clear(&err);
    assert_int_equal(hc_refund_pct_parse("-1", "vat_rate", &bp, &err), HC_EINVAL);
    assert_string_equal(err.field, "vat_rate");
    hc_err_clear(&err);
    struct hc_refund_rate r = {"851830", "2026-01-01", 1300, NULL};
    assert_int_equal(hc_refund_rate_validate(&r, "rates[0].", &err), HC_OK);
    r.hs_code = "85a8";
    assert_int_equal(hc_refund_rate_validate(&r, "rates[0].", &err), HC_EINVAL);
    assert_string_equal(err.field, "rates[0].hs_code");
    hc_err_clear(&err);
    r = (struct hc_refund_rate){"8518", "2026-02-30", 1300, NULL};
    assert_int_equal(hc_refund_rate_validate(&r, "", &err), HC_EINVAL);
    assert_string_equal(err.field, "effective_from");
    hc_err_clear(&err);
    struct hc_refund_invoice v = {.sku = "EAR-1", .amount_fen = -1};
    assert_int_equal(hc_refund_invoice_validate(&v, "invoices[3].", &err), HC_EINVAL);
    assert_string_equal(err.field, "invoices[3].amount");
    hc_err_clear(&err);
    v = (struct hc_refund_invoice){.entry_id = "2929", .entry_gnum = 1, .amount_fen = 1};
    assert_int_equal(hc_refund_invoice_validate(&v, "", &err), HC_EINVAL);
    assert_string_equal(err.field, "entry_id");
    hc_err_clear(&err);
    v = (struct hc_refund_invoice){.amount_fen = 1};
    assert_int_equal(hc_refund_invoice_validate(&v, "", &err), HC_EINVAL);
    assert_string_equal(err.field, "entry_id");
}

static void csv_import(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_refund_rate *r;
    size_t n;
    const char *ok = "\xEF\xBB\xBFhs_code,effective_from,rate,source\n8518,2020-01-01,13,STA\n"
                     "\n6109100021,2026-06-01,9.5\r\n";
    assert_int_equal(hc_refund_rates_csv(a, ok, strlen(ok), &r, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(r[1].rate_bp, 950);
    assert_null(r[1].source);
    const char *bad = "hs_code,effective_from,rate\n8518,2020-01-01,13\n8518,2021-01-01,14\n";
    assert_int_equal(hc_refund_rates_csv(a, bad, strlen(bad), &r, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 3: rate");
    hc_err_clear(&err);
    struct hc_refund_invoice *v;
    const char *inv = "entry_id,entry_gnum,sku,amount,invoice_no\n,,EAR-1,60.00,INV-1\n"
                      "292920261000000003,2,,231.50,\n";
    assert_int_equal(hc_refund_invoices_csv(a, inv, strlen(inv), &v, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].sku, "EAR-1");
    assert_int_equal(v[0].amount_fen, 6000);
    assert_int_equal(v[1].entry_gnum, 2);
    assert_int_equal(v[1].amount_fen, 23150);
    const char *neg = "entry_id,entry_gnum,sku,amount\n,,EAR-1,-0.01\n";
    assert_int_equal(hc_refund_invoices_csv(a, neg, strlen(neg), &v, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 2: amount");
    hc_arena_free(a);
}

/* ---- on a store: the attribution rule ----------------------------------------------------------
 */

static int64_t ms_of(const char *iso)
{
    int64_t ms = 0;
    assert_int_equal(hc_time_parse_iso(iso, &ms), HC_OK);
    return ms;
}

/* The few rows the attribution reads, written directly. */
static void run(hc_store *s, const char *sql)
{
    hc_err err = {0};
    int rc = hc_store_exec(s, sql, &err);
    if (rc != HC_OK)
        fprintf(stderr, "%s: %s\n", sql, err.msg);
    assert_int_equal(rc, HC_OK);
}

static void declare(hc_store *s, const char *list, const char *wh, const char *released,
                    const char *entry, int64_t qty)
{
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref, warehouse, cop_no,"
             " invt_guid, order_no, logistics_no, state, inspection, customs_code, port_code,"
             " traf_mode, country, currency, ebc_code, owner_code, total_price, gross_weight,"
             " net_weight, released_at, created_at, updated_at) VALUES ('RS', '%s', '9810',"
             " 'inbound', 'in-%s', '%s', '%s', 'g', 'o', 'l', 800, '', '2992', '2992', '2', '502',"
             " 'CNY', 'e', 'o', '1', '1', '1', %lld, 0, 0)",
             list, list, wh, list, (long long)ms_of(released));
    run(s, sql);
    snprintf(sql, sizeof(sql),
             "INSERT INTO customs_list_items (seller, list_id, gnum, sku, item_name, gname, gcode,"
             " qty, unit, qty1, unit1, price, total_price, currency, country, entry_id, entry_gnum)"
             " VALUES ('RS', '%s', 1, 'A', 'a', 'a', '8518300000', %lld, '011', '1', '011', '10',"
             " '%lld', 'CNY', '502', '%s', 1)",
             list, (long long)qty, (long long)qty * 10, entry);
    run(s, sql);
}

static void shipment(hc_store *s, const char *order, const char *wh, const char *at, int64_t qty)
{
    static int64_t jid = 1;
    char sql[1024];
    snprintf(
        sql, sizeof(sql),
        "INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse, ship_to,"
        " ship_country, created_at, updated_at) VALUES ('RS', '%s', 'c', '%s', 'shipped', '%s',"
        " '{}', 'US', 0, 0)",
        order, order, wh);
    run(s, sql);
    snprintf(sql, sizeof(sql),
             "INSERT INTO order_lines (seller, order_id, line_no, sku, qty, price_minor, currency,"
             " allocated) VALUES ('RS', '%s', 1, 'A', %lld, 1000, 'CNY', 0)",
             order, (long long)qty);
    run(s, sql);
    snprintf(
        sql, sizeof(sql),
        "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref, actor)"
        " VALUES ('RS', %lld, %lld, 'move', 'A', %lld, 'order/%s', 'carrier/DHL', '%s', 't')",
        (long long)jid++, (long long)ms_of(at), (long long)qty, order, order);
    run(s, sql);
}

static int64_t sold_of(struct hc_refund_item *v, size_t n, const char *entry)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].entry_id && strcmp(v[i].entry_id, entry) == 0)
            return v[i].sold;
    return -1;
}

static void fifo_attribution(void **state)
{
    (void)state;
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    run(s, "INSERT INTO sellers (code, name, country, created_at) VALUES ('RS', 'r', 'CN', 0)");
    struct hc_refund_profile p = {"RS", HC_REFUND_MANUFACTURER, 1300};
    assert_int_equal(hc_refund_profile_put(s, &p, "t", &err), HC_OK);
    struct hc_refund_rate r = {"8518", "2020-01-01", 1300, NULL};
    assert_int_equal(hc_refund_rates_put(s, "RS", &r, 1, "t", &err), HC_OK);
    /* Beijing noon of each day */
    declare(s, "L1", "W", "2026-01-10T04:00:00Z", "000000000000000001", 5);
    declare(s, "L2", "W", "2026-02-10T04:00:00Z", "000000000000000002", 5);
    declare(s, "L3", "W2", "2026-01-10T04:00:00Z", "000000000000000003", 3);
    shipment(s, "o1", "W", "2026-01-05T04:00:00Z", 2); /* before any export: no item's */
    shipment(s, "o2", "W", "2026-01-20T04:00:00Z", 4); /* L1 */
    shipment(s, "o3", "W", "2026-02-05T04:00:00Z", 3); /* L1 1; L2 not yet exported */
    shipment(s, "o4", "W", "2026-02-20T04:00:00Z", 2); /* L2 */
    struct hc_refund_item *v;
    size_t n;
    assert_int_equal(hc_refund_items(s, a, "RS", "2026-01-31", &v, &n, &err), HC_OK);
    assert_int_equal(n, 2); /* L2 not exported by then */
    assert_int_equal(sold_of(v, n, "000000000000000001"), 4);
    assert_int_equal(sold_of(v, n, "000000000000000003"), 0); /* W2 sold nothing */
    assert_int_equal(hc_refund_items(s, a, "RS", "2026-02-28", &v, &n, &err), HC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(sold_of(v, n, "000000000000000001"), 5);
    assert_int_equal(sold_of(v, n, "000000000000000002"), 2);
    assert_int_equal(sold_of(v, n, "000000000000000003"), 0);
    /* the split of L1 on 2026-01-31: 4 sold, 1 pre-refund of CNY 50.00 */
    assert_int_equal(hc_refund_items(s, a, "RS", "2026-01-31", &v, &n, &err), HC_OK);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].entry_id, "000000000000000001") == 0) {
            assert_int_equal(v[i].nparts, 2);
            assert_int_equal(v[i].parts[0].qty, 4);
            assert_int_equal(v[i].parts[0].amt.basis_fen, 4000);
            assert_string_equal(v[i].parts[1].business_type, HC_REFUND_HWC_YT);
            assert_int_equal(v[i].parts[1].amt.basis_fen, 1000);
            assert_int_equal(v[i].total.refund_fen, 650);
        }
    /* a filing of that day stores the split; a day in the future is refused */
    struct hc_refund_filing f;
    assert_int_equal(hc_refund_file(s, a, "RS", "2099-01-01", NULL, NULL, 0, "t", &f, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "filed_on");
    hc_err_clear(&err);
    struct hc_refund_key k = {NULL, 1};
    assert_int_equal(hc_refund_file(s, a, "RS", "2026-01-31", NULL, &k, 1, "t", &f, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "items[0].entry_id");
    hc_err_clear(&err);
    assert_int_equal(hc_refund_file(s, a, "RS", "2026-01-31", NULL, NULL, 0, "t", &f, &err), HC_OK);
    assert_int_equal(f.nitems, 2);
    assert_int_equal(f.refund_fen, 650 + 390); /* L1 CNY 50.00 and L3 CNY 30.00 at 13 % */
    /* list L1 returned to China within six months: its pre-refund is repaid first */
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO customs_returns (seller, id, list_id, guid, customs_code, port_code,"
             " cross_zone, reason, logistics_no, state, created_at, updated_at) VALUES ('RS',"
             " 'ret1', 'L1', 'g', '2992', '2992', 0, 'unsold', 'l', 0, %lld, 0)",
             (long long)ms_of("2026-02-15T04:00:00Z"));
    run(s, sql);
    struct hc_refund_report rep;
    assert_int_equal(hc_refund_report_build(s, a, "RS", "2026-02-28", &rep, &err), HC_OK);
    assert_int_equal(rep.nto_repay, 1);
    assert_string_equal(rep.to_repay[0].entry_id, "000000000000000001");
    assert_string_equal(rep.to_repay[0].reason, "returned");
    assert_int_equal(rep.to_repay[0].qty, 1);
    assert_int_equal(rep.to_repay[0].repay_fen, 130);
    assert_string_equal(rep.to_repay[0].due, "2026-02-15");
    assert_int_equal(rep.repay_fen, 130);
    /* L2, exported on 2026-02-10 and not filed, is to file with its split */
    assert_int_equal(rep.nto_file, 1);
    assert_int_equal(rep.to_file[0].sold, 2);
    hc_arena_free(a);
    hc_store_close(s);
}

int main(void)
{
    hc_err err = {0};
    if (hc_currency_load(HC_SOURCE_DIR "/data/currencies.csv", &err) != HC_OK) {
        fprintf(stderr, "currencies: %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_trading), cmocka_unit_test(amounts_manufacturer),
        cmocka_unit_test(split_adds_up),   cmocka_unit_test(outcomes),
        cmocka_unit_test(deadlines),       cmocka_unit_test(bounds),
        cmocka_unit_test(csv_import),      cmocka_unit_test(fifo_attribution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

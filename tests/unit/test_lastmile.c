/* Unit tests of src/lastmile: check digits against published examples,
 * zone lookup, billable weight, rate shopping and its refusals, promised
 * dates, the CSV import, the label layout and the ZPL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lastmile/lastmile.h"

#include <stdlib.h>
#include <string.h>

/* UPU S10: the standard's example AA473124829GB (serial 47312482, check 9);
 * weights 8 6 4 2 3 5 9 7 give 200, 11 - 200 mod 11 = 9. */
static void s10_published(void **st)
{
    (void)st;
    assert_int_equal(hc_lm_s10_check("47312482"), 9);
    char out[14];
    assert_true(hc_lm_s10_format("AA", 47312482, "GB", out));
    assert_string_equal(out, "AA473124829GB");
    assert_true(hc_lm_s10_valid("AA473124829GB"));
    assert_false(hc_lm_s10_valid("AA473124828GB"));
    assert_false(hc_lm_s10_valid("aa473124829GB"));
    /* the two special cases: remainder 1 (11-1 = 10 -> 0) and 0 (11 -> 5) */
    assert_int_equal(hc_lm_s10_check("00000001"), 0 == 0 ? (11 - 7 % 11) % 11 : 0);
    assert_int_equal(hc_lm_s10_check("00000000"), 5);
    assert_int_equal(hc_lm_s10_check("1234567"), -1);
    assert_false(hc_lm_s10_format("AA", 100000000, "GB", out));
}

/* GS1: the General Specifications' SSCC example (00) 1 0614141 123456789 7
 * and the GTIN-13 example 629104150021 -> check 3. */
static void gs1_published(void **st)
{
    (void)st;
    assert_int_equal(hc_gs1_check("10614141123456789", 17), 7);
    assert_int_equal(hc_gs1_check("629104150021", 12), 3);
    char out[19];
    assert_true(hc_lm_sscc_format(1, "0614141", 123456789, out));
    assert_string_equal(out, "106141411234567897");
    assert_true(hc_lm_sscc_valid("106141411234567897"));
    assert_false(hc_lm_sscc_valid("106141411234567890"));
    assert_false(hc_lm_sscc_format(1, "0614141", 1000000000, out)); /* 9 serial digits only */
    assert_false(hc_lm_sscc_format(10, "0614141", 1, out));
    assert_false(hc_lm_sscc_format(0, "061414", 1, out));
}

static struct hc_lm_zone_range zones_a[] = {
    {"Z1", "DE", "01000", "39999"},
    {"Z2", "DE", "40000", "99999"},
    {"EU", "FR", "", ""},
};
static struct hc_lm_price prices_a[] = {
    {"Z1", 1000, 450}, {"Z1", 5000, 590}, {"Z1", 31500, 990},
    {"Z2", 1000, 490}, {"Z2", 31500, 1090}, {"EU", 31500, 1890},
};
static struct hc_lm_zone_range zones_b[] = {{"ALL", "DE", "", ""}};
static struct hc_lm_price prices_b[] = {{"ALL", 2000, 400}, {"ALL", 10000, 700}};

static void service(struct hc_lm_service *s, const char *code, struct hc_lm_zone_range *z,
                    size_t nz, struct hc_lm_price *p, size_t np)
{
    memset(s, 0, sizeof(*s));
    s->warehouse = "DE-DUI";
    s->code = code;
    s->carrier = "Carrier";
    s->name = code;
    s->currency = "EUR";
    s->effective_from = "2026-01-01";
    s->dim_divisor = 5000;
    s->max_weight_g = 31500;
    s->max_length_mm = 1200;
    s->max_length_girth_mm = 3000;
    s->transit_days = 2;
    s->cutoff_min = 16 * 60;
    s->pickup_days = 0x1f;
    s->numbering = HC_LM_NUM_SSCC;
    s->num_prefix = "4012345";
    s->num_to = 999999999;
    s->zones = z;
    s->nzones = nz;
    s->prices = p;
    s->nprices = np;
}

static void zone_lookup(void **st)
{
    (void)st;
    struct hc_lm_service s[1];
    service(s, "A", zones_a, 3, prices_a, 6);
    hc_lm_rater *r;
    hc_err err = {0};
    assert_int_equal(hc_lm_rater_new(s, 1, &r, &err), HC_OK);
    assert_string_equal(hc_lm_zone_of(r, 0, "DE", "10115"), "Z1");
    assert_string_equal(hc_lm_zone_of(r, 0, "DE", "01000"), "Z1");
    assert_string_equal(hc_lm_zone_of(r, 0, "DE", "39999"), "Z1");
    assert_string_equal(hc_lm_zone_of(r, 0, "DE", "40000"), "Z2");
    assert_string_equal(hc_lm_zone_of(r, 0, "DE", "47051"), "Z2");
    assert_null(hc_lm_zone_of(r, 0, "DE", "00999"));
    assert_string_equal(hc_lm_zone_of(r, 0, "FR", "75001"), "EU");
    assert_string_equal(hc_lm_zone_of(r, 0, "FR", "ANY"), "EU");
    assert_null(hc_lm_zone_of(r, 0, "AT", "1010"));
    hc_lm_rater_free(r);
    /* overlapping ranges are refused */
    struct hc_lm_zone_range bad[] = {{"Z1", "DE", "01000", "50000"}, {"Z2", "DE", "40000", "99999"}};
    struct hc_lm_price bp[] = {{"Z1", 1000, 1}, {"Z2", 1000, 1}};
    service(s, "B", bad, 2, bp, 2);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_rater_new(s, 1, &r, &err), HC_EINVAL);
    assert_string_equal(err.field, "zones");
    struct hc_lm_zone_range whole[] = {{"Z1", "DE", "", ""}, {"Z2", "DE", "40000", "99999"}};
    service(s, "B", whole, 2, bp, 2);
    hc_err_clear(&err);
    assert_int_equal(hc_lm_rater_new(s, 1, &r, &err), HC_EINVAL);
}

static void billable_weight(void **st)
{
    (void)st;
    int64_t d[3] = {400, 300, 200}; /* 24,000,000 mm3 / 5000 = 4800 g */
    assert_int_equal(hc_lm_dim_weight(d, 5000), 4800);
    int64_t e[3] = {401, 300, 200}; /* 24,060,000 / 5000 = 4812 */
    assert_int_equal(hc_lm_dim_weight(e, 5000), 4812);
    int64_t f[3] = {3, 3, 3}; /* 27 / 5000 rounds up to 1 */
    assert_int_equal(hc_lm_dim_weight(f, 5000), 1);
    assert_int_equal(hc_lm_dim_weight(d, 0), 0);
    struct hc_lm_parcel_in light = {1000, {400, 300, 200}}, heavy = {9000, {400, 300, 200}};
    assert_int_equal(hc_lm_billable(&light, 5000), 4800);
    assert_int_equal(hc_lm_billable(&heavy, 5000), 9000);
}

static void rate_shopping(void **st)
{
    (void)st;
    struct hc_lm_service s[2];
    service(&s[0], "A", zones_a, 3, prices_a, 6);
    service(&s[1], "B", zones_b, 1, prices_b, 2);
    s[0].fuel_bp = 1250; /* 12.5 % */
    s[1].max_weight_g = 10000;
    s[1].transit_days = 1;
    s[1].residential_minor = 35;
    hc_lm_rater *r;
    hc_err err = {0};
    assert_int_equal(hc_lm_rater_new(s, 2, &r, &err), HC_OK);
    struct hc_lm_parcel_in p[1] = {{800, {200, 150, 100}}}; /* dim 600 g, billable 800 */
    struct hc_lm_request rq = {.country = "DE", .postcode = "10 115", .parcels = p,
                               .nparcels = 1, .local_day = "2026-11-27", .local_min = 600};
    struct hc_lm_quote q[2];
    size_t n = 0;
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    /* B: 4.00; A: 4.50 + 12.5 % fuel = 0.5625 -> 0.56 (half-even) = 5.06 */
    assert_int_equal(q[0].service, 1);
    assert_int_equal(q[0].total_minor, 400);
    assert_int_equal(q[1].total_minor, 506);
    assert_int_equal(q[1].fuel_minor, 56);
    assert_int_equal(q[1].billable_g[0], 800);
    assert_string_equal(q[1].zone, "Z1");
    /* Friday 10:00, before the cut-off: ships Friday, B (1 day) delivers Monday */
    assert_string_equal(q[0].ship_day, "2026-11-27");
    assert_string_equal(q[0].deliver_day, "2026-11-30");
    assert_string_equal(q[1].deliver_day, "2026-12-01");
    /* residential adds B's surcharge */
    rq.residential = true;
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_OK);
    assert_int_equal(q[0].total_minor, 435);
    rq.residential = false;
    /* heavier than B takes: only A */
    p[0].weight_g = 12000;
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q[0].service, 0);
    assert_int_equal(q[0].base_minor, 990);
    /* over every limit: 409 naming the parcel's weight */
    p[0].weight_g = 40000;
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "parcels[0].weight_g");
    /* light but too long for both: its dims */
    hc_err_clear(&err);
    p[0] = (struct hc_lm_parcel_in){1000, {1300, 100, 100}};
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "parcels[0].dims_mm");
    /* a postcode no zone covers; a country none serves */
    hc_err_clear(&err);
    p[0] = (struct hc_lm_parcel_in){1000, {100, 100, 100}};
    rq.postcode = "00500";
    s[1].zones = zones_a; /* B now also only DE 01000-99999 and FR */
    s[1].nzones = 3;
    s[1].prices = prices_a;
    s[1].nprices = 6;
    hc_lm_rater_free(r);
    assert_int_equal(hc_lm_rater_new(s, 2, &r, &err), HC_OK);
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "ship_to.postcode");
    hc_err_clear(&err);
    rq.country = "JP";
    assert_int_equal(hc_lm_rate(r, &rq, q, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "ship_to.country");
    hc_lm_rater_free(r);
}

static void promise_dates(void **st)
{
    (void)st;
    struct hc_lm_service s;
    service(&s, "A", zones_a, 3, prices_a, 6);
    char ship[11], del[11];
    /* Friday after the cut-off: ships Monday, 2 business days: Wednesday */
    hc_lm_promise(&s, "2026-11-27", 17 * 60, ship, del);
    assert_string_equal(ship, "2026-11-30");
    assert_string_equal(del, "2026-12-02");
    /* Saturday: no pickup; Tuesday and Thursday pickups only */
    s.pickup_days = hc_lm_days_parse("24");
    hc_lm_promise(&s, "2026-11-28", 60, ship, del);
    assert_string_equal(ship, "2026-12-01");
    assert_string_equal(del, "2026-12-03");
    s.transit_days = 0;
    hc_lm_promise(&s, "2026-12-03", 60, ship, del);
    assert_string_equal(ship, "2026-12-03");
    assert_string_equal(del, "2026-12-03");
    assert_int_equal(hc_lm_days_parse("12345"), 0x1f);
    assert_int_equal(hc_lm_days_parse("118"), -1);
    assert_int_equal(hc_lm_cutoff_parse("16:30"), 990);
    assert_int_equal(hc_lm_cutoff_parse("24:00"), -1);
}

static void choice_rules(void **st)
{
    (void)st;
    struct hc_lm_service s[3];
    service(&s[0], "CHEAP", zones_b, 1, prices_b, 2);
    service(&s[1], "FAST", zones_b, 1, prices_b, 2);
    service(&s[2], "PREF", zones_b, 1, prices_b, 2);
    struct hc_lm_quote q[3] = {{.service = 0, .total_minor = 400, .deliver_day = "2026-12-04"},
                               {.service = 2, .total_minor = 450, .deliver_day = "2026-12-03"},
                               {.service = 1, .total_minor = 700, .deliver_day = "2026-12-01"}};
    const char *why = NULL;
    assert_int_equal(hc_lm_choose(s, q, 3, NULL, NULL, NULL, &why), 0);
    assert_string_equal(why, "cheapest");
    assert_int_equal(hc_lm_choose(s, q, 3, NULL, "PREF", NULL, &why), 1);
    assert_string_equal(why, "seller");
    assert_int_equal(hc_lm_choose(s, q, 3, "FAST", "PREF", NULL, &why), 2);
    assert_string_equal(why, "channel");
    /* a rule's service that cannot take the parcel is passed over */
    assert_int_equal(hc_lm_choose(s, q, 3, "GONE", NULL, "2026-12-03", &why), 1);
    assert_string_equal(why, "promise");
    assert_int_equal(hc_lm_choose(s, q, 3, NULL, NULL, "2026-12-01", &why), 2);
    assert_int_equal(hc_lm_choose(s, q, 3, NULL, NULL, "2026-11-30", &why), -1);
}

static void csv_import(void **st)
{
    (void)st;
    const char *csv = "service,warehouse,item,key,from,to,value\n"
                      "DHL-PAKET,DE-DUI,carrier,,,,DHL\n"
                      "DHL-PAKET,DE-DUI,name,,,,DHL Paket\n"
                      "DHL-PAKET,DE-DUI,currency,,,,EUR\n"
                      "DHL-PAKET,DE-DUI,effective_from,,,,2026-01-01\n"
                      "DHL-PAKET,DE-DUI,fuel_pct,,,,8.5\n"
                      "DHL-PAKET,DE-DUI,cutoff,,,,16:00\n"
                      "DHL-PAKET,DE-DUI,numbering,,,,sscc\n"
                      "DHL-PAKET,DE-DUI,num_prefix,,,,4012345\n"
                      "DHL-PAKET,DE-DUI,zone,DE,,,DE\n"
                      "DHL-PAKET,DE-DUI,price,DE,,2000,4.49\n"
                      "DHL-PAKET,DE-DUI,price,DE,,31500,8.99\n";
    hc_arena *a = hc_arena_new(4096);
    struct hc_lm_service *v;
    size_t n;
    hc_err err = {0};
    assert_int_equal(hc_lm_csv_parse(a, csv, strlen(csv), &v, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].carrier, "DHL");
    assert_int_equal(v[0].fuel_bp, 850);
    assert_int_equal(v[0].cutoff_min, 960);
    assert_int_equal(v[0].nprices, 2);
    assert_int_equal(v[0].prices[1].minor, 899);
    assert_int_equal(hc_lm_service_validate(&v[0], &err), HC_OK);
    const char *bad = "X,DE-DUI,colour,,,,red\n";
    assert_int_equal(hc_lm_csv_parse(a, bad, strlen(bad), &v, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "line 1: item");
    hc_arena_free(a);
}

static struct hc_lm_label sample(int numbering, int two_d)
{
    struct hc_lm_label l = {.carrier = "DHL", .service_name = "DHL Paket",
                            .tracking_no = numbering == HC_LM_NUM_SSCC ? "106141411234567897"
                                                                       : "AA473124829GB",
                            .numbering = numbering, .two_d = two_d,
                            .from = {"DE-DUI haicang", "Duisburg"},
                            .to = {"Erika Mustermann", "Heidestr. 17", "51147 Koeln", "DE"},
                            .to_postcode = "51147", .to_country = "DE", .reference = "ord_1",
                            .weight_g = 1250, .parcel_no = 1, .parcel_count = 2,
                            .ship_day = "2026-11-27"};
    return l;
}

static bool inside(struct hc_lm_box_pt b, const struct hc_lm_layout *lo)
{
    return b.x >= 0 && b.y >= 0 && b.x + b.w <= lo->width && b.y + b.h <= lo->height;
}

static bool apart(struct hc_lm_box_pt a, struct hc_lm_box_pt b)
{
    return a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
}

static void label_layout(void **st)
{
    (void)st;
    for (int t = 0; t <= 2; t++) {
        struct hc_lm_label l = sample(HC_LM_NUM_SSCC, t);
        struct hc_lm_layout lo;
        hc_lm_label_layout(&l, &lo);
        assert_true(lo.width == 288 && lo.height == 432); /* 4 x 6 inch */
        struct hc_lm_box_pt parts[] = {lo.header, lo.from, lo.to, lo.info, lo.barcode,
                                       lo.barcode_text};
        for (size_t i = 0; i < 6; i++) {
            assert_true(inside(parts[i], &lo));
            for (size_t j = i + 1; j < 6; j++)
                assert_true(apart(parts[i], parts[j]));
            if (t)
                assert_true(apart(parts[i], lo.twod) || i == 4);
        }
        if (t) {
            assert_true(inside(lo.twod, &lo));
            assert_true(apart(lo.twod, lo.to));
            assert_true(lo.twod.w >= 72); /* at least an inch */
        }
        /* the barcode spans most of the width: modules wide enough to scan */
        assert_true(lo.barcode.w >= 250);
    }
    char d[64];
    struct hc_lm_label l = sample(HC_LM_NUM_SSCC, 0);
    hc_lm_barcode_data(&l, d, sizeof(d));
    assert_string_equal(d, "[00]106141411234567897");
}

static void label_zpl_pdf(void **st)
{
    (void)st;
    struct hc_lm_label l = sample(HC_LM_NUM_SSCC, HC_LM_2D_QR);
    l.to[1] = "Heide^str~17_";
    hc_buf b;
    hc_buf_init(&b, 1 << 20);
    hc_err err = {0};
    assert_int_equal(hc_lm_label_zpl(&l, &b, &err), HC_OK);
    hc_buf_add(&b, "", 1);
    assert_non_null(strstr(b.p, "^XA\n^CI28\n^PW812\n^LL1218\n"));
    assert_non_null(strstr(b.p, "^BCN,282,N,N,N^FD>;>800106141411234567897^FS"));
    assert_non_null(strstr(b.p, "^BQN,2,5^FDQA,106141411234567897|51147|DE^FS"));
    assert_non_null(strstr(b.p, "Heide_5Estr_7E17_5F^FS"));
    assert_non_null(strstr(b.p, "^XZ\n"));
    hc_buf_free(&b);
    l = sample(HC_LM_NUM_S10, 0);
    hc_buf_init(&b, 1 << 20);
    assert_int_equal(hc_lm_label_zpl(&l, &b, &err), HC_OK);
    hc_buf_add(&b, "", 1);
    assert_non_null(strstr(b.p, "^FDAA473124829GB^FS"));
    assert_null(strstr(b.p, "^BQN"));
    hc_buf_free(&b);
    hc_buf_init(&b, 1 << 22);
    assert_int_equal(hc_lm_label_pdf(&l, &b, &err), HC_OK);
    assert_true(b.n > 1000 && memcmp(b.p, "%PDF-", 5) == 0);
    hc_buf_free(&b);
    /* a label too big for its buffer is refused, not cut */
    hc_buf_init(&b, 100);
    assert_int_equal(hc_lm_label_pdf(&l, &b, &err), HC_ETOOBIG);
    hc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s10_published), cmocka_unit_test(gs1_published),
        cmocka_unit_test(zone_lookup),   cmocka_unit_test(billable_weight),
        cmocka_unit_test(rate_shopping), cmocka_unit_test(promise_dates),
        cmocka_unit_test(csv_import),    cmocka_unit_test(label_layout),
        cmocka_unit_test(choice_rules),
        cmocka_unit_test(label_zpl_pdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

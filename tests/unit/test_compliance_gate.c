/* Unit tests for the compliance gate (src/compliance/rules.c, gate.c,
 * product.c): rules match by date (in force, ended, upcoming), market (EU
 * covers its members only) and category (exact or *), the battery
 * condition, the names of missing items and their dedup, uncertain rules
 * never hold, brand records merge under the SKU's, the CSV import names the
 * row and field, and a GPSR operator outside the EU is refused. Then the
 * store path: an order held and released when its data is completed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compliance/compliance.h"
#include "helpers.h"

static struct hc_rule R(const char *id, const char *market, const char *cat, const char *req,
                        const char *from, const char *to)
{
    return (struct hc_rule){.id = id, .market = market, .category = cat, .requirement = req,
                            .condition = "", .effective_from = from, .effective_to = to,
                            .status = "confirmed", .source = "test"};
}

static struct hc_product product(const char *sku, const char *cat)
{
    struct hc_product p;
    hc_product_init(&p);
    p.seller = "S1";
    p.sku = sku;
    p.category = cat;
    return p;
}

/* The items of p in market under rules on day, "a|b|c" (level letters m/u/p after each). */
static const char *check(hc_arena *a, const struct hc_rule *rules, size_t n, const char *day,
                         const char *market, const struct hc_product *p)
{
    struct hc_ruleset *rs;
    hc_err err = {0};
    assert_int_equal(hc_ruleset_build(a, rules, n, day, &rs, &err), HC_OK);
    struct hc_gaps g = {.arena = a};
    hc_gate_check_product(rs, market, p, &g);
    char *out = hc_arena_strdup(a, "");
    for (size_t i = 0; i < g.n; i++)
        out = hc_arena_printf(a, "%s%s%s:%c", out, i ? "|" : "", g.v[i].item,
                              "mup"[g.v[i].level]);
    return out;
}

static void test_dates(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    struct hc_rule r[] = {
        R("gpsr", "EU", "*", "gpsr_operator", "2024-12-13", ""),
        R("old", "DE", "*", "mark.ce", "2019-01-01", "2024-12-31"),
        R("new", "DE", "*", "epr.weee", "2027-02-01", ""),
    };
    struct hc_product p = product("AK-0001", "electronics");
    /* the day before GPSR applied: upcoming only; the old rule in force */
    assert_string_equal(check(a, r, 3, "2024-12-12", "DE", &p),
                        "skus[AK-0001].eu.gpsr_operator:p|skus[AK-0001].eu.mark.ce:m");
    assert_string_equal(check(a, r, 3, "2024-09-01", "DE", &p), "skus[AK-0001].eu.mark.ce:m");
    /* its first day, inclusive; the old rule's last day, inclusive */
    assert_string_equal(check(a, r, 3, "2024-12-31", "DE", &p),
                        "skus[AK-0001].eu.gpsr_operator:m|skus[AK-0001].eu.mark.ce:m");
    /* after the old rule ended; the new one 90 days ahead is upcoming */
    assert_string_equal(check(a, r, 3, "2026-10-01", "DE", &p),
                        "skus[AK-0001].eu.gpsr_operator:m");
    assert_string_equal(check(a, r, 3, "2026-11-30", "DE", &p),
                        "skus[AK-0001].eu.gpsr_operator:m|skus[AK-0001].de.epr.weee:p");
    assert_string_equal(check(a, r, 3, "2027-02-01", "DE", &p),
                        "skus[AK-0001].eu.gpsr_operator:m|skus[AK-0001].de.epr.weee:m");
    hc_arena_free(a);
}

static void test_markets_and_categories(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    struct hc_rule r[] = {
        R("eu", "EU", "toys", "mark.ce", "2020-01-01", ""),
        R("gb", "GB", "toys", "mark.ukca", "2021-01-01", ""),
        R("fr", "FR", "*", "epr.packaging", "2022-01-01", ""),
        R("us", "US", "electronics", "tariff_code", "2020-01-01", ""),
    };
    struct hc_product toy = product("T1", "toys"), gadget = product("G1", "electronics");
    struct hc_product none = product("N1", NULL);
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &toy), "skus[T1].eu.mark.ce:m");
    assert_string_equal(check(a, r, 4, "2026-01-01", "FR", &toy),
                        "skus[T1].eu.mark.ce:m|skus[T1].fr.epr.packaging:m");
    assert_string_equal(check(a, r, 4, "2026-01-01", "GB", &toy), "skus[T1].gb.mark.ukca:m");
    assert_string_equal(check(a, r, 4, "2026-01-01", "CH", &toy), "");
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &gadget), "");
    assert_string_equal(check(a, r, 4, "2026-01-01", "US", &gadget), "skus[G1].us.tariff_code:m");
    /* no category: only * rules apply */
    assert_string_equal(check(a, r, 4, "2026-01-01", "FR", &none), "skus[N1].fr.epr.packaging:m");
    /* what is there is not named */
    const char *ce[] = {"CE"};
    toy.marks = ce;
    toy.nmarks = 1;
    struct hc_epr_reg fr = {"FR", "packaging", "FR123"};
    toy.epr = &fr;
    toy.nepr = 1;
    assert_string_equal(check(a, r, 4, "2026-01-01", "FR", &toy), "");
    /* a registration of another country does not count */
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &toy), "");
    hc_arena_free(a);
}

static void test_battery_and_dedup(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    struct hc_rule r[] = {
        R("bat", "EU", "*", "battery_data", "2020-01-01", ""),
        R("bat-de", "DE", "*", "battery_data", "2020-01-01", ""),
        R("weee-b", "DE", "*", "epr.batteries", "2020-01-01", ""),
        R("unc", "DE", "*", "mark.ce", "2020-01-01", ""),
    };
    r[2].condition = "battery";
    r[3].status = "uncertain";
    struct hc_product p = product("B1", "electronics");
    /* unset battery: the declaration itself is missing, named once for two rules */
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &p),
                        "skus[B1].eu.battery_data:m|skus[B1].eu.mark.ce:u");
    p.battery = HC_TRI_NO;
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &p), "skus[B1].eu.mark.ce:u");
    p.battery = HC_TRI_YES;
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &p),
                        "skus[B1].eu.battery_data:m|skus[B1].de.epr.batteries:m|"
                        "skus[B1].eu.mark.ce:u");
    p.un_number = "UN3481";
    p.packing_instruction = "PI967";
    p.energy_mwh = 12500;
    assert_string_equal(check(a, r, 4, "2026-01-01", "DE", &p),
                        "skus[B1].de.epr.batteries:m|skus[B1].eu.mark.ce:u");
    hc_arena_free(a);
}

static void test_rule_validation(void **state)
{
    (void)state;
    struct {
        struct hc_rule r;
        const char *field;
    } bad[] = {
        {R("x", "XX", "*", "category", "2020-01-01", ""), "market"},
        {R("x", "DE", "Toys", "category", "2020-01-01", ""), "category"},
        {R("x", "DE", "*", "mark.", "2020-01-01", ""), "requirement"},
        {R("x", "DE", "*", "epr.WEEE", "2020-01-01", ""), "requirement"},
        {R("x", "DE", "*", "vibes", "2020-01-01", ""), "requirement"},
        {R("x", "DE", "*", "category", "2020-02-30", ""), "effective_from"},
        {R("x", "DE", "*", "category", "2020-02-01", "2020-01-31"), "effective_to"},
        {R("x y", "DE", "*", "category", "2020-02-01", ""), "id"},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(bad); i++) {
        hc_err err = {0};
        assert_int_equal(hc_rule_validate(&bad[i].r, &err), HC_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    struct hc_rule ok = R("eu-gpsr", "EU", "*", "gpsr_operator", "2024-12-13", "");
    hc_err err = {0};
    assert_int_equal(hc_rule_validate(&ok, &err), HC_OK);
    ok.status = "maybe";
    assert_int_equal(hc_rule_validate(&ok, &err), HC_EINVAL);
    assert_string_equal(err.field, "status");
}

static void test_csv(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    const char *good =
        "id,market,category,requirement,condition,effective_from,effective_to,status,source,note\r\n"
        "a,DE,*,epr.packaging,,2019-01-01,,confirmed,\"VerpackG, §9\",\r\n"
        "\r\n"
        "b,FR,textiles,epr.uin_textiles,,2022-01-01,,uncertain,\"AGEC \"\"UIN\"\"\",to check\n";
    struct hc_rule *r;
    size_t n;
    hc_err err = {0};
    assert_int_equal(hc_rule_csv_parse(a, good, strlen(good), &r, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].source, "VerpackG, §9");
    assert_string_equal(r[1].source, "AGEC \"UIN\"");
    assert_string_equal(r[1].note, "to check");
    const char *bad_date =
        "id,market,category,requirement,condition,effective_from,effective_to,status,source,note\n"
        "a,DE,*,epr.packaging,,2019-01-01,,confirmed,x,\n"
        "b,DE,*,epr.weee,,2019-13-01,,confirmed,x,\n";
    assert_int_equal(hc_rule_csv_parse(a, bad_date, strlen(bad_date), &r, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "rows[1].effective_from");
    assert_non_null(strstr(err.msg, "line 3"));
    hc_err_clear(&err);
    const char *bad_head = "id,market\nx,DE\n";
    assert_int_equal(hc_rule_csv_parse(a, bad_head, strlen(bad_head), &r, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "csv");
    hc_err_clear(&err);
    const char *open_quote =
        "id,market,category,requirement,condition,effective_from,effective_to,status,source,note\n"
        "a,DE,*,epr.packaging,,2019-01-01,,confirmed,\"never closed\n";
    assert_int_equal(hc_rule_csv_parse(a, open_quote, strlen(open_quote), &r, &n, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "rows[0]");
    hc_arena_free(a);
}

static void test_product_checks_and_merge(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(4096);
    struct hc_product p = product("AK-0001", "electronics");
    p.gpsr = (struct hc_gpsr_operator){"Rep Ltd", "1 High St", "SW1A 1AA", "London", "GB",
                                       "rep@example.uk"};
    hc_err err = {0};
    assert_int_equal(hc_product_validate(&p, &err), HC_EINVAL);
    assert_string_equal(err.field, "gpsr_operator.address.country");
    hc_err_clear(&err);
    p.gpsr.country = "IE";
    assert_int_equal(hc_product_validate(&p, &err), HC_OK);
    struct hc_product brand = product(NULL, "toys");
    brand.brand = "Haicang";
    const char *bm[] = {"CE"}, *sm[] = {"UKCA", "CE"};
    brand.marks = bm;
    brand.nmarks = 1;
    struct hc_tariff bt[] = {{"EU", "85076000"}, {"US", "8507600020"}};
    brand.tariffs = bt;
    brand.ntariffs = 2;
    brand.battery = HC_TRI_YES;
    brand.un_number = "UN3481";
    struct hc_product sku = product("AK-0001", NULL);
    sku.marks = sm;
    sku.nmarks = 2;
    struct hc_tariff st[] = {{"EU", "8507600090"}};
    sku.tariffs = st;
    sku.ntariffs = 1;
    struct hc_product m;
    hc_product_merge(a, &brand, &sku, &m);
    assert_string_equal(m.category, "toys");      /* inherited */
    assert_int_equal(m.nmarks, 2);                /* union, no duplicate CE */
    assert_int_equal(m.ntariffs, 2);
    assert_string_equal(m.tariffs[0].code, "8507600090"); /* the SKU's wins */
    assert_string_equal(m.tariffs[1].market, "US");
    assert_int_equal(m.battery, HC_TRI_YES);
    assert_string_equal(m.un_number, "UN3481");
    hc_arena_free(a);
}

/* A new store, in a transaction begun here: seller, warehouse wh (DE), SKU
 * sku of category cat (and brand, may be NULL) with its product record *p,
 * the EU rule asking for the GPSR operator, and *o, an order of one unit to
 * DE through the gate. */
static hc_store *held_order(hc_arena *a, const char *seller, const char *wh_code,
                            const char *sku, const char *cat, const char *brand,
                            struct hc_product *p, struct hc_order *o)
{
    char url[512];
    hc_store *s = test_store(test_db_url(url, sizeof(url)));
    hc_err err = {0};
    struct hc_seller sl = {seller, "Seller", "CN", NULL, NULL, 0};
    struct hc_warehouse wh = {.code = wh_code, .name = "Duisburg", .country = "DE",
                              .address_json = "{}", .timezone = "Europe/Berlin",
                              .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_sku k = {seller, sku, "Power bank", NULL, "8507600090", 1000, "EUR", "CN",
                       {100, 60, 20}, 200, NULL, brand, 0};
    char *rule_id = hc_arena_alloc(a, 64);
    snprintf(rule_id, 64, "gpsr-%s", cat);
    struct hc_rule r = R(rule_id, "EU", cat, "gpsr_operator", "2024-12-13", "");
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &sl, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &wh, &err), HC_OK);
    assert_int_equal(hc_sku_create(s, &k, &err), HC_OK);
    *p = product(sku, cat);
    p->seller = seller;
    assert_int_equal(hc_product_put(s, p, "t", &err), HC_OK);
    assert_int_equal(hc_rule_import(s, a, &r, 1, "t", &err), HC_OK);
    struct hc_order_line *line = hc_arena_alloc(a, sizeof(*line));
    *line = (struct hc_order_line){sku, 1, 1999, "EUR", 0};
    *o = (struct hc_order){.seller = seller, .channel = "shop", .channel_order_id = seller,
                           .ship_to_json = "{}", .ship_name = "Max", .ship_country = "DE",
                           .lines = line, .nlines = 1};
    bool existed = false;
    assert_int_equal(hc_gate_order_create(s, a, o, false, "t", &existed, &err), HC_OK);
    return s;
}

/* The store path: an order held, named, and released by completed data. */
static void test_hold_and_release(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_product p;
    struct hc_order o;
    hc_store *s = held_order(a, "S1", "DE1", "AK-0001", "electronics", NULL, &p, &o);
    hc_err err = {0};
    assert_string_equal(o.status, "on_hold");
    assert_string_equal(o.hold_reason, HC_HOLD_COMPLIANCE);
    struct hc_hold h;
    bool found = false;
    assert_int_equal(hc_gate_hold_get(s, a, "order", o.id, &h, &found, &err), HC_OK);
    assert_true(found);
    assert_int_equal(h.nmissing, 1);
    assert_string_equal(h.missing[0], "skus[AK-0001].eu.gpsr_operator");
    int released = -1;
    assert_int_equal(hc_gate_recheck(s, a, "S1", "t", &released, &err), HC_OK);
    assert_int_equal(released, 0);
    p.gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstr. 9", "47119", "Duisburg", "DE",
                                       "rep@example.eu"};
    assert_int_equal(hc_product_put(s, &p, "t", &err), HC_OK);
    assert_int_equal(hc_gate_recheck(s, a, "S1", "t", &released, &err), HC_OK);
    assert_int_equal(released, 1);
    struct hc_order got;
    assert_int_equal(hc_order_get(s, a, o.id, &got, &err), HC_OK);
    assert_string_equal(got.status, "backordered"); /* no stock: routed as a new order is */
    assert_null(got.hold_reason);
    assert_int_equal(hc_gate_hold_get(s, a, "order", o.id, &h, &found, &err), HC_OK);
    assert_true(h.released_at > 0);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* Holds of a kind the gate does not release itself (transfers): recorded,
 * renewed, listed a page at a time across kinds in held_at order, left
 * alone by hc_gate_recheck, released by their owner. */
static void test_transfer_holds_paged(void **state)
{
    (void)state;
    const char *sku = "TH-0001";
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_product p;
    struct hc_order o; /* held: an order's hold beside the transfer's */
    hc_store *s = held_order(a, "S7", "DE7", sku, "lamps7", NULL, &p, &o);
    hc_err err = {0};
    struct hc_gaps g = {.arena = a};
    assert_int_equal(hc_gate_check_lines(s, a, "S7", "DE", &sku, 1, NULL, &g, &err), HC_OK);
    assert_int_equal(g.nmissing, 1);
    assert_string_equal(hc_gaps_missing_text(a, &g), "skus[TH-0001].eu.gpsr_operator");
    for (int i = 0; i < 2; i++) /* twice: the second renews, one hold */
        assert_int_equal(hc_gate_hold_sync(s, a, "S7", "transfer", "trf_7", "DE", "DE7", &g,
                                           &err), HC_OK);
    const char *seen[4], *cursor = NULL;
    size_t nseen = 0, n;
    struct hc_hold *h;
    do { /* one a page */
        assert_int_equal(hc_gate_hold_list(s, a, "S7", NULL, cursor, 1, &h, &n, &cursor, &err),
                         HC_OK);
        assert_true(n <= 1 && nseen + n <= 2);
        for (size_t i = 0; i < n; i++)
            seen[nseen++] = h[i].kind;
    } while (cursor);
    assert_int_equal(nseen, 2);
    assert_true(strcmp(seen[0], seen[1]) != 0); /* an order and a transfer */
    assert_int_equal(hc_gate_hold_list(s, a, NULL, "DE7", NULL, 10, &h, &n, &cursor, &err),
                     HC_OK);
    /* the transfer by its warehouse (the order where routing put it) */
    size_t tr = n;
    for (size_t i = 0; i < n; i++)
        tr = strcmp(h[i].kind, "transfer") == 0 ? i : tr;
    assert_true(tr < n);
    assert_string_equal(h[tr].ref, "trf_7");
    assert_string_equal(h[tr].missing[0], "skus[TH-0001].eu.gpsr_operator");
    assert_int_equal(hc_gate_hold_list(s, a, NULL, "NL7", NULL, 10, &h, &n, &cursor, &err),
                     HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hc_gate_hold_list(s, a, NULL, NULL, "12/order", 10, &h, &n, &cursor, &err),
                     HC_EINVAL);
    assert_string_equal(err.field, "cursor");
    hc_err_clear(&err);
    int released = -1;
    p.gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstr. 9", "47119", "Duisburg", "DE",
                                       "rep@example.eu"};
    assert_int_equal(hc_product_put(s, &p, "t", &err), HC_OK);
    assert_int_equal(hc_gate_recheck(s, a, "S7", "t", &released, &err), HC_OK);
    assert_int_equal(released, 1); /* the order; the transfer is its owner's */
    struct hc_hold one;
    bool found = false;
    assert_int_equal(hc_gate_hold_get(s, a, "transfer", "trf_7", &one, &found, &err), HC_OK);
    assert_true(found && one.released_at == 0);
    assert_int_equal(hc_gate_hold_sync(s, a, "S7", "transfer", "trf_7", "DE", "DE7", NULL, &err),
                     HC_OK);
    assert_int_equal(hc_gate_hold_get(s, a, "transfer", "trf_7", &one, &found, &err), HC_OK);
    assert_true(one.released_at > 0);
    assert_int_equal(hc_gate_hold_list(s, a, "S7", NULL, NULL, 10, &h, &n, &cursor, &err), HC_OK);
    assert_int_equal(n, 0);
    assert_null(cursor);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* An inbound of a SKU whose recorded brand the seller is not authorised
 * for in the warehouse's country is held with the item named, and released
 * (with the order held for the same reason) by an authorisation covering
 * that country; one for another country releases nothing. */
static void test_inbound_brand_hold(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_product p;
    struct hc_order o;
    hc_store *s = held_order(a, "S8", "DE8", "BR-0001", "cat8", "KETT8", &p, &o);
    hc_err err = {0};
    p.gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstr. 9", "47119", "Duisburg", "DE",
                                       "rep@example.eu"};
    assert_int_equal(hc_product_put(s, &p, "t", &err), HC_OK);
    bool created = false;
    struct hc_brand b = {.seller = "S8", .name = "KETT8", .owner = "Kett GmbH"};
    assert_int_equal(hc_brand_put(s, &b, &created, &err), HC_OK);
    struct hc_inbound_line line = {"BR-0001", 4, 0, 0};
    struct hc_inbound in = {.seller = "S8", .warehouse = "DE8", .reference = "ASN-8",
                            .lines = &line, .nlines = 1};
    assert_int_equal(hc_gate_inbound_create(s, a, &in, "t", &err), HC_OK);
    struct hc_hold h;
    bool found = false;
    assert_int_equal(hc_gate_hold_get(s, a, "inbound", in.id, &h, &found, &err), HC_OK);
    assert_true(found);
    assert_int_equal(h.nmissing, 1);
    assert_string_equal(h.missing[0], "skus[BR-0001]." HC_BRAND_ITEM);
    assert_string_equal(h.market, "DE");
    char id[32];
    int released = -1;
    struct hc_brand_auth fr = {.seller = "S8", .brand = "KETT8", .document_ref = "L-FR",
                               .markets = "FR", .valid_from = "2020-01-01",
                               .valid_until = "2099-12-31"};
    assert_int_equal(hc_brand_auth_add(s, &fr, id, sizeof(id), &err), HC_OK);
    assert_int_equal(hc_gate_recheck(s, a, "S8", "t", &released, &err), HC_OK);
    assert_int_equal(released, 0);
    struct hc_inbound got;
    assert_int_equal(hc_inbound_get(s, a, in.id, &got, &err), HC_OK);
    assert_string_equal(got.status, "on_hold");
    struct hc_brand_auth de = fr;
    de.document_ref = "L-DE";
    de.markets = "DE";
    assert_int_equal(hc_brand_auth_add(s, &de, id, sizeof(id), &err), HC_OK);
    assert_int_equal(hc_gate_recheck(s, a, "S8", "t", &released, &err), HC_OK);
    assert_int_equal(released, 2); /* the order and the inbound */
    assert_int_equal(hc_inbound_get(s, a, in.id, &got, &err), HC_OK);
    assert_string_equal(got.status, "expected");
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* An order of sku through the gate, channel order id ref: its status. */
static const char *order_status(hc_store *s, hc_arena *a, const char *seller, const char *sku,
                                const char *ref)
{
    hc_err err = {0};
    struct hc_order_line *line = hc_arena_alloc(a, sizeof(*line));
    *line = (struct hc_order_line){sku, 1, 1999, "EUR", 0};
    struct hc_order o = {.seller = seller, .channel = "shop", .channel_order_id = ref,
                         .ship_to_json = "{}", .ship_name = "Max", .ship_country = "DE",
                         .lines = line, .nlines = 1};
    bool existed = false;
    assert_int_equal(hc_gate_order_create(s, a, &o, false, "t", &existed, &err), HC_OK);
    return o.status;
}

/* What the gate reads once per transaction must not hide what the same
 * transaction wrote: data completed (through the brand record) after a
 * held order lets the next order pass; a rule added after that holds the
 * one after. */
static void test_same_transaction(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_product p;
    struct hc_order o;
    hc_store *s = held_order(a, "S9", "DE9", "TX-0001", "cat9", "KB9", &p, &o);
    hc_err err = {0};
    assert_string_equal(o.status, "on_hold");
    assert_string_equal(order_status(s, a, "S9", "TX-0001", "S9-2"), "on_hold");
    struct hc_product b;
    hc_product_init(&b);
    b.seller = "S9";
    b.brand = "KB9";
    b.gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstr. 9", "47119", "Duisburg", "DE",
                                       "rep@example.eu"};
    assert_int_equal(hc_product_put(s, &b, "t", &err), HC_OK);
    assert_string_equal(order_status(s, a, "S9", "TX-0001", "S9-3"), "backordered");
    struct hc_rule r = R("ce-cat9", "EU", "cat9", "mark.ce", "2016-04-20", "");
    assert_int_equal(hc_rule_import(s, a, &r, 1, "t", &err), HC_OK);
    assert_string_equal(order_status(s, a, "S9", "TX-0001", "S9-4"), "on_hold");
    struct hc_gaps g = {.arena = a};
    const char *sku[] = {"TX-0001"};
    assert_int_equal(hc_gate_check_lines(s, a, "S9", "DE", sku, 1, NULL, &g, &err), HC_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].item, "skus[TX-0001].eu.mark.ce");
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena_free(a);
    hc_store_close(s);
}

/* Eleven distinct SKUs, repeated ones,
 * a brand record shared by several: the items in line order, once each;
 * an unknown SKU named by its line. */
static void test_many_skus(void **state)
{
    (void)state;
    hc_arena *a = hc_arena_new(1 << 15);
    struct hc_product p;
    struct hc_order o;
    hc_store *s = held_order(a, "S10", "DE10", "MS-00", "cat10", NULL, &p, &o);
    hc_err err = {0};
    struct hc_product b;
    hc_product_init(&b);
    b.seller = "S10";
    b.brand = "KB10";
    b.gpsr = (struct hc_gpsr_operator){"EU Rep GmbH", "Hafenstr. 9", "47119", "Duisburg", "DE",
                                       "rep@example.eu"};
    struct hc_tariff t = {"EU", "85076000"};
    b.tariffs = &t;
    b.ntariffs = 1;
    assert_int_equal(hc_product_put(s, &b, "t", &err), HC_OK);
    struct hc_rule r = R("tariff-cat10", "EU", "cat10", "tariff_code", "2016-05-01", "");
    assert_int_equal(hc_rule_import(s, a, &r, 1, "t", &err), HC_OK);
    const char *skus[24];
    size_t n = 0;
    for (int i = 1; i <= 11; i++) { /* odd: brand KB10 (GPSR, tariff); even: no brand */
        char *sku = hc_arena_printf(a, "MS-%02d", i);
        struct hc_sku k = {"S10", sku, "Item", NULL, "8507600090", 1000, "EUR", "CN",
                           {100, 60, 20}, 200, NULL, i % 2 ? "KB10" : NULL, 0};
        assert_int_equal(hc_sku_create(s, &k, &err), HC_OK);
        struct hc_product own = product(sku, "cat10");
        own.seller = "S10";
        assert_int_equal(hc_product_put(s, &own, "t", &err), HC_OK);
        skus[n++] = sku;
        if (i % 4 == 0)
            skus[n++] = skus[0];
    }
    struct hc_gaps g = {.arena = a};
    assert_int_equal(hc_gate_check_lines(s, a, "S10", "DE", skus, n, NULL, &g, &err), HC_OK);
    assert_int_equal(g.n, 10); /* the five even SKUs lack both */
    for (int i = 2, k = 0; i <= 10; i += 2, k += 2) {
        assert_string_equal(g.v[k].item, hc_arena_printf(a, "skus[MS-%02d].eu.gpsr_operator", i));
        assert_string_equal(g.v[k + 1].item, hc_arena_printf(a, "skus[MS-%02d].eu.tariff_code", i));
    }
    skus[n++] = "MS-99";
    g = (struct hc_gaps){.arena = a};
    assert_int_equal(hc_gate_check_lines(s, a, "S10", "DE", skus, n, NULL, &g, &err), HC_EINVAL);
    assert_string_equal(err.field, hc_arena_printf(a, "lines[%zu].sku", n - 1));
    assert_int_equal(g.n, 10);
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
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_markets_and_categories),
        cmocka_unit_test(test_battery_and_dedup),
        cmocka_unit_test(test_rule_validation),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_product_checks_and_merge),
        cmocka_unit_test(test_hold_and_release),
        cmocka_unit_test(test_transfer_holds_paged),
        cmocka_unit_test(test_inbound_brand_hold),
        cmocka_unit_test(test_same_transaction),
        cmocka_unit_test(test_many_skus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

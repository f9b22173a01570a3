/* Unit tests of the customs message layer against the official XSD, samples
 * and code tables in the repository's data/ and tests/data/ (HC_DATA,
 * HC_TEST_DATA override). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "customs/customs.h"
#include "customs/records.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char data_dir[1024], codes_dir[1200], xsd_dir[1200], samples_dir[1200];
static char tmp_dir[256];
static hc_customs_ref *ref;
static hc_customs_xsd *xsd;

/* ---- scenario builders ---- */

static hc_customs_transfer transfer(void)
{
    return (hc_customs_transfer){.copCode = "3301960ABC", .copName = "杭州海仓科技有限公司",
                                 .dxpId = "DXPENT0000000001"};
}

static hc_customs_invt_item item_a = {
    .itemNo = "SKU-001", .itemName = "蓝牙耳机", .gcode = "8518300000", .gname = "蓝牙耳机",
    .gmodel = "TWS-5 无线", .barCode = "6901234567892", .country = "502", .currency = "502",
    .qty = "3", .qty1 = "3", .unit = "011", .unit1 = "007", .price = "12.50",
    .totalPrice = "37.5"};
static hc_customs_invt_item item_b = {
    .itemNo = "SKU-002", .gcode = "6109100021", .gname = "棉制T恤", .gmodel = "M 白",
    .barCode = "无", .country = "502", .currency = "502", .qty = "2", .qty1 = "0.4",
    .unit = "011", .unit1 = "035", .price = "9.99", .totalPrice = "19.98"};

static hc_customs_inventory inventory(hc_customs_invt_item *items, size_t n)
{
    hc_customs_inventory v = {
        .head = {.guid = "8B1E2C3D-4F50-4A6B-8C7D-9E0F1A2B3C4D", .appTime = "20260305101500",
                 .customsCode = "2992", .ebpCode = "3301960ABC", .ebpName = "海仓平台",
                 .orderNo = "ORD-2026-0001", .logisticsCode = "3301980XYZ",
                 .logisticsName = "海仓物流", .logisticsNo = "HC000000001", .copNo = "INV-0001",
                 .portCode = "2992", .ieDate = "20260305", .statisticsFlag = "B",
                 .agentCode = "3301960ABC", .agentName = "杭州海仓科技有限公司",
                 .ebcCode = "3301960DEF", .ebcName = "杭州卖家有限公司",
                 .ownerCode = "3301960DEF", .ownerName = "杭州卖家有限公司",
                 .tradeMode = "9610", .trafMode = "5", .country = "502", .POD = "502",
                 .freight = "0", .fCurrency = "142", .insuredFee = "0", .iCurrency = "142",
                 .wrapType = "2", .packNo = "1", .grossWeight = "0.8", .netWeight = "0.65"},
        .items = items, .n_items = n};
    return v;
}

static hc_customs_msg msg603(const hc_customs_inventory *v, size_t n)
{
    return (hc_customs_msg){.type = 603, .transfer = transfer(), .n_docs = n, .lists = v};
}

static void expect_valid(const hc_customs_msg *m)
{
    hc_err err = {0};
    xmlDocPtr doc = NULL;
    int rc = hc_customs_build(ref, m, &doc, &err);
    if (rc != HC_OK)
        fail_msg("CEB%d build: %s: %s", m->type, err.field, err.msg);
    rc = hc_customs_xsd_validate(xsd, doc, &err);
    if (rc != HC_OK)
        fail_msg("CEB%d XSD: %s: %s", m->type, err.field, err.msg);
    assert_int_equal(hc_customs_doc_type(doc), m->type);
    xmlFreeDoc(doc);
}

/* ---- reference data ---- */

static void test_refdata(void **state)
{
    assert_true(hc_customs_ref_count(ref, HC_CUSTOMS_T_COUNTRY) > 200);
    assert_string_equal(hc_customs_country_from_iso(ref, "US"), "502");
    assert_string_equal(hc_customs_country_from_iso(ref, "DEU"), "304");
    assert_string_equal(hc_customs_country_from_iso(ref, "CN"), "142");
    assert_null(hc_customs_country_from_iso(ref, "XX"));
    assert_string_equal(hc_customs_currency_from_iso(ref, "USD"), "502");
    assert_string_equal(hc_customs_currency_from_iso(ref, "EUR"), "300");
    assert_string_equal(hc_customs_currency_iso(ref, "142"), "CNY");
    assert_string_equal(hc_customs_ref_name(ref, HC_CUSTOMS_T_UNIT, "035"), "千克");
    assert_string_equal(hc_customs_ref_name(ref, HC_CUSTOMS_T_TRANSPORT, "3"), "铁路运输");
    assert_null(hc_customs_ref_name(ref, HC_CUSTOMS_T_UNIT, "999"));
    /* 9810 is not in the shared table; haicang's overlay adds it */
    assert_non_null(hc_customs_ref_name(ref, HC_CUSTOMS_T_TRADE_MODE, "9810"));
    assert_non_null(hc_customs_ref_name(ref, HC_CUSTOMS_T_TRADE_MODE, "9610"));
    hc_customs_ref *bare = NULL;
    hc_err err = {0};
    assert_int_equal(hc_customs_ref_load(&bare, codes_dir, &err), HC_OK);
    assert_null(hc_customs_ref_name(bare, HC_CUSTOMS_T_TRADE_MODE, "9810"));
    hc_customs_ref_free(bare);
    assert_int_equal(hc_customs_ref_load(&bare, "/nonexistent", &err), HC_EINVAL);
}

/* ---- messages validate against the XSD ---- */

static void test_build_all_types(void **state)
{
    hc_customs_invt_item items[2] = {item_a, item_b};
    hc_customs_inventory v[2] = {inventory(items, 2), inventory(items, 1)};
    v[1].head.guid = "8B1E2C3D-4F50-4A6B-8C7D-9E0F1A2B3C4E";
    v[1].head.tradeMode = "9810";
    v[1].head.orderNo = "BOOK-2026-01";
    hc_customs_msg m = msg603(v, 2);
    expect_valid(&m);

    /* CEB303: 9610 order (E), 9710 B2B (B), 9810 booking (W, warehouse as party) */
    hc_customs_order_item oi[2] = {
        {.itemNo = "SKU-001", .itemName = "蓝牙耳机", .unit = "011", .currency = "502",
         .qty = "3", .price = "12.5", .totalPrice = "37.5"},
        {.itemNo = "SKU-002", .itemName = "棉制T恤", .unit = "011", .currency = "502",
         .qty = "2", .price = "9.99", .totalPrice = "19.98"}};
    hc_customs_order o[3];
    const char *types[3] = {"E", "B", "W"};
    for (int i = 0; i < 3; i++) {
        o[i] = (hc_customs_order){
            .head = {.guid = "11111111-2222-4333-8444-55555555555A", .appTime = "20260305101500",
                     .orderType = types[i], .orderNo = "ORD-1", .ebpCode = "3301960ABC",
                     .ebpName = i == 2 ? "海仓洛杉矶仓" : "海仓平台", .ebcCode = "3301960DEF",
                     .ebcName = "杭州卖家有限公司", .goodsValue = "57.48", .freight = "0",
                     .currency = "502"},
            .items = oi, .n_items = 2};
    }
    for (int i = 0; i < 3; i++) {
        hc_customs_msg om = {.type = 303, .transfer = transfer(), .n_docs = 1, .orders = &o[i]};
        expect_valid(&om);
    }

    hc_customs_waybill w = {.guid = "11111111-2222-4333-8444-55555555555B",
                            .appTime = "20260305101500", .logisticsCode = "3301980XYZ",
                            .logisticsName = "海仓物流", .logisticsNo = "HC000000001",
                            .freight = "5", .insuredFee = "0", .currency = "142",
                            .grossWeight = "0.8", .packNo = "1", .goodsInfo = "蓝牙耳机,T恤"};
    hc_customs_msg wm = {.type = 505, .transfer = transfer(), .n_docs = 1, .waybills = &w};
    expect_valid(&wm);

    hc_customs_bill_item bi[2] = {{.logisticsNo = "HC000000001", .invtNo = "29922026E000000001"},
                                  {.logisticsNo = "HC000000002", .totalPackageNo = "BAG-1"}};
    hc_customs_bill b = {.head = {.guid = "11111111-2222-4333-8444-55555555555C",
                                  .appTime = "20260305101500", .customsCode = "2992",
                                  .copNo = "BL-1", .agentCode = "3301960ABC",
                                  .agentName = "杭州海仓科技有限公司", .trafMode = "3",
                                  .trafName = "中欧班列 X8001", .voyageNo = "X8001",
                                  .billNo = "CRCT20260305001", .grossWeight = "1250.5",
                                  .logisticsCode = "3301980XYZ", .logisticsName = "海仓物流"},
                         .items = bi, .n_items = 2};
    hc_customs_msg bm = {.type = 607, .transfer = transfer(), .n_docs = 1, .bills = &b};
    expect_valid(&bm);

    const char *invts[3] = {"29922026E000000001", "29922026E000000002", "29922026E000000003"};
    hc_customs_sumapply s = {.head = {.guid = "11111111-2222-4333-8444-55555555555D",
                                      .appTime = "20260401090000", .customsCode = "2992",
                                      .copNo = "SUM-2026-03", .agentCode = "3301960ABC",
                                      .agentName = "杭州海仓科技有限公司", .ebcCode = "3301960DEF",
                                      .ebcName = "杭州卖家有限公司", .declAgentCode = "3301960ABC",
                                      .declAgentName = "杭州海仓科技有限公司",
                                      .startTime = "20260301000000", .endTime = "20260331235959",
                                      .summaryFlag = "2", .itemNameFlag = "1"},
                             .invtNos = invts, .n_invt = 3};
    hc_customs_msg sm = {.type = 701, .transfer = transfer(), .n_docs = 1, .summaries = &s};
    expect_valid(&sm);

    /* cross-customs-zone return: leaves via 2992 (Hangzhou), re-enters at 5141 */
    hc_customs_refund_item ri = {.gnum = "1", .gcode = "8518300000", .gname = "蓝牙耳机",
                                 .gmodel = "TWS-5 无线", .qty = "1", .qty1 = "1", .unit = "011",
                                 .unit1 = "007"};
    hc_customs_refund r = {.head = {.guid = "11111111-2222-4333-8444-55555555555E",
                                    .appTime = "20260310101500", .customsCode = "5141",
                                    .ebpCode = "3301960ABC", .ebpName = "海仓平台",
                                    .ebcCode = "3301960DEF", .ebcName = "杭州卖家有限公司",
                                    .logisticsNo = "RET000001", .logisticsCode = "3301980XYZ",
                                    .logisticsName = "海仓物流", .coElNo = "RET-1",
                                    .invtNo = "29922026E000000001", .tradeMode = "9610",
                                    .agentCode = "3301960ABC", .agentName = "杭州海仓科技有限公司",
                                    .billNo = "RET000001", .trafMode = "5", .trafName = "CZ328",
                                    .portCode = "5141", .reason = "消费者退货", .country = "502",
                                    .voyageNo = "CZ328"},
                           .items = &ri, .n_items = 1};
    hc_customs_msg rm = {.type = 213, .transfer = transfer(), .n_docs = 1, .refunds = &r};
    expect_valid(&rm);

    hc_customs_tally t = {.guid = "11111111-2222-4333-8444-55555555555F",
                          .appTime = "20260312101500", .customsCode = "5141",
                          .operatorCode = "4401960OPR", .operatorName = "广州监管场所",
                          .logisticsCode = "3301980XYZ", .logisticsName = "海仓物流",
                          .logisticsNo = "RET000001", .invtNo = "29922026E000000001",
                          .coElNo = "TAL-1", .billNo = "RET000001", .trafMode = "5",
                          .trafName = "CZ328", .voyageNo = "CZ328", .location = "A-01"};
    hc_customs_msg tm = {.type = 215, .transfer = transfer(), .n_docs = 1, .tallies = &t};
    expect_valid(&tm);
}

/* ---- bad records: refused with the field named, nothing in the outbox ---- */

static void make_dir(const char *sub, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", tmp_dir, sub);
    mkdir(out, 0755);
}

static size_t count_files(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void expect_refused(hc_customs_invt_item it, const char *country, const char *field,
                           const char *outbox)
{
    hc_customs_inventory v = inventory(&it, 1);
    if (country)
        v.head.country = country;
    hc_customs_msg m = msg603(&v, 1);
    hc_err err = {0};
    char path[512] = "";
    int rc = hc_customs_submit(ref, xsd, NULL, &m, outbox, path, sizeof(path), &err);
    assert_int_equal(rc, HC_EINVAL);
    if (strcmp(err.field, field) != 0)
        fail_msg("expected field %s, got %s (%s)", field, err.field, err.msg);
    assert_string_equal(path, "");
    assert_int_equal(count_files(outbox), 0);
}

static void test_bad_records(void **state)
{
    char outbox[512];
    make_dir("outbox-bad", outbox, sizeof(outbox));
    hc_customs_invt_item it = item_a;
    it.gcode = "85183000001"; /* 11 digits */
    expect_refused(it, NULL, "goodsList[0].gcode", outbox);
    it = item_a;
    it.gcode = "851830000A";
    expect_refused(it, NULL, "goodsList[0].gcode", outbox);
    expect_refused(item_a, "998", "country", outbox); /* unknown destination */
    it = item_a;
    it.country = "ZZZ";
    expect_refused(it, NULL, "goodsList[0].country", outbox);
    /* 251 Chinese characters: 753 bytes, refused by characters */
    char name[1024] = "";
    for (int i = 0; i < 251; i++)
        strcat(name, "品");
    it = item_a;
    it.gname = name;
    expect_refused(it, NULL, "goodsList[0].gname", outbox);
    name[250 * 3] = '\0'; /* 250 characters are fine */
    it.gname = name;
    hc_customs_inventory v = inventory(&it, 1);
    hc_customs_msg m = msg603(&v, 1);
    expect_valid(&m);
    it = item_a;
    it.qty = "0";
    it.totalPrice = "0";
    expect_refused(it, NULL, "goodsList[0].qty", outbox);
    it.qty = "-2";
    expect_refused(it, NULL, "goodsList[0].qty", outbox);
    it = item_a;
    it.totalPrice = "37.49"; /* 3 x 12.50 = 37.50 */
    expect_refused(it, NULL, "goodsList[0].totalPrice", outbox);
    it = item_a;
    it.price = "12.500001"; /* more than 5 places: refused, never rounded */
    expect_refused(it, NULL, "goodsList[0].price", outbox);
    it = item_a;
    it.unit = "999";
    expect_refused(it, NULL, "goodsList[0].unit", outbox);

    /* a good one is written, once */
    hc_customs_inventory good = inventory(&item_a, 1);
    m = msg603(&good, 1);
    hc_err err = {0};
    char path[512];
    assert_int_equal(hc_customs_submit(ref, xsd, NULL, &m, outbox, path, sizeof(path), &err),
                     HC_OK);
    assert_int_equal(count_files(outbox), 1);
    assert_non_null(strstr(path, "CEB603_"));

    /* head totals of an order */
    hc_customs_order_item oi = {.itemNo = "S", .itemName = "n", .unit = "011", .currency = "502",
                                .qty = "2", .price = "1.5", .totalPrice = "3"};
    hc_customs_order o = {.head = {.guid = "11111111-2222-4333-8444-55555555555A",
                                   .appTime = "20260305101500", .orderType = "E", .orderNo = "1",
                                   .ebpCode = "x", .ebpName = "x", .ebcCode = "x", .ebcName = "x",
                                   .goodsValue = "4", .freight = "0", .currency = "502"},
                          .items = &oi, .n_items = 1};
    hc_customs_msg om = {.type = 303, .transfer = transfer(), .n_docs = 1, .orders = &o};
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_check(ref, &om, &err), HC_EINVAL);
    assert_string_equal(err.field, "goodsValue");
    o.head.goodsValue = "3";
    o.head.orderType = "I"; /* import orders are not ours */
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_check(ref, &om, &err), HC_EINVAL);
    assert_string_equal(err.field, "orderType");
}

/* ---- signatures ---- */

static void gen_keys(const char *alg, char *key, char *cert, size_t size)
{
    char cmd[2048];
    snprintf(key, size, "%s/%s-key.pem", tmp_dir, alg);
    snprintf(cert, size, "%s/%s-cert.pem", tmp_dir, alg);
    if (strcmp(alg, "sm2") == 0)
        snprintf(cmd, sizeof(cmd),
                 "openssl genpkey -algorithm SM2 -out %s 2>/dev/null && "
                 "openssl req -new -x509 -key %s -sm3 -subj /CN=haicang-test -days 2 -out %s "
                 "2>/dev/null", key, key, cert);
    else
        snprintf(cmd, sizeof(cmd),
                 "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out %s "
                 "2>/dev/null && openssl req -new -x509 -key %s -sha256 -subj /CN=haicang-test "
                 "-days 2 -out %s 2>/dev/null", key, key, cert);
    assert_int_equal(system(cmd), 0);
}

static xmlDocPtr built603(void)
{
    hc_customs_invt_item items[2] = {item_a, item_b};
    hc_customs_inventory v = inventory(items, 2);
    hc_customs_msg m = msg603(&v, 1);
    xmlDocPtr doc = NULL;
    hc_err err = {0};
    assert_int_equal(hc_customs_build(ref, &m, &doc, &err), HC_OK);
    return doc;
}

/* Serialises doc, edits the text with sed-like replacement, reparses. */
static xmlDocPtr reparse(xmlDocPtr doc, const char *from, const char *to)
{
    xmlChar *mem;
    int n;
    xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
    char *s = (char *)mem, *hit = from ? strstr(s, from) : NULL;
    if (from)
        assert_non_null(hit);
    char *buf = malloc((size_t)n + 256);
    if (hit) {
        size_t pre = (size_t)(hit - s);
        memcpy(buf, s, pre);
        strcpy(buf + pre, to);
        strcat(buf, hit + strlen(from));
    } else {
        strcpy(buf, s);
    }
    xmlDocPtr d = xmlReadMemory(buf, (int)strlen(buf), NULL, NULL, XML_PARSE_NONET);
    free(buf);
    xmlFree(mem);
    assert_non_null(d);
    return d;
}

static void sign_round_trip(const char *algname, int alg)
{
    char key[512], cert[512], other_key[512], other_cert[512];
    gen_keys(algname, key, cert, sizeof(key));
    hc_customs_signer *s = NULL;
    hc_err err = {0};
    int rc = hc_customs_signer_load(&s, key, cert, alg, &err);
    if (rc != HC_OK)
        fail_msg("signer: %s %s", err.field, err.msg);
    xmlDocPtr doc = built603();
    assert_int_equal(hc_customs_sign(s, doc, &err), HC_OK);
    assert_int_equal(hc_customs_xsd_validate(xsd, doc, &err), HC_OK); /* Signature placed right */
    int found = 0;
    assert_int_equal(hc_customs_verify(doc, NULL, &found, &err), HC_OK);
    assert_int_equal(found, alg);
    assert_int_equal(hc_customs_verify(doc, cert, NULL, &err), HC_OK);
    assert_int_equal(hc_customs_sign(s, doc, &err), HC_ECONFLICT); /* signed once */

    /* through text and back, as it travels */
    xmlDocPtr d2 = reparse(doc, NULL, NULL);
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_verify(d2, NULL, NULL, &err), HC_OK);
    xmlFreeDoc(d2);

    /* tampered content: the digest no longer matches */
    d2 = reparse(doc, "<ceb:totalPrice>37.5</ceb:totalPrice>",
                 "<ceb:totalPrice>375</ceb:totalPrice>");
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_verify(d2, NULL, NULL, &err), HC_EINVAL);
    assert_string_equal(err.field, "Signature.SignedInfo.Reference.DigestValue");
    xmlFreeDoc(d2);

    /* another key's certificate does not verify it */
    snprintf(other_key, sizeof(other_key), "%s", key);
    gen_keys(algname, other_key, other_cert, sizeof(other_key));
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_verify(doc, other_cert, NULL, &err), HC_EINVAL);
    assert_string_equal(err.field, "Signature.SignatureValue");

    /* and the other algorithm's key is refused for this algorithm */
    hc_customs_signer *bad = NULL;
    memset(&err, 0, sizeof(err));
    assert_int_equal(hc_customs_signer_load(&bad, key, cert,
                                            alg == HC_CUSTOMS_SIG_SM2_SM3
                                                ? HC_CUSTOMS_SIG_RSA_SHA1
                                                : HC_CUSTOMS_SIG_SM2_SM3,
                                            &err),
                     HC_EINVAL);
    xmlFreeDoc(doc);
    hc_customs_signer_free(s);
}

static void test_sign_sm2(void **state)
{
    sign_round_trip("sm2", HC_CUSTOMS_SIG_SM2_SM3);
}

static void test_sign_rsa(void **state)
{
    sign_round_trip("rsa", HC_CUSTOMS_SIG_RSA_SHA1);
}

static void test_signature_value_tamper(void **state)
{
    char key[512], cert[512];
    gen_keys("sm2", key, cert, sizeof(key));
    hc_customs_signer *s = NULL;
    hc_err err = {0};
    assert_int_equal(hc_customs_signer_load(&s, key, cert, 0, &err), HC_OK);
    xmlDocPtr doc = built603();
    assert_int_equal(hc_customs_sign(s, doc, &err), HC_OK);
    /* swap the SignedInfo digest for another valid one: signature must fail */
    xmlChar *mem;
    int n;
    xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
    char *p = strstr((char *)mem, "<ds:DigestValue>");
    assert_non_null(p);
    p += strlen("<ds:DigestValue>");
    *p = *p == 'A' ? 'B' : 'A';
    xmlDocPtr d2 = xmlReadMemory((char *)mem, n, NULL, NULL, 0);
    assert_int_equal(hc_customs_verify(d2, NULL, NULL, &err), HC_EINVAL);
    xmlFreeDoc(d2);
    xmlFree(mem);
    xmlFreeDoc(doc);
    hc_customs_signer_free(s);
}

/* ---- samples and receipts ---- */

static void sample_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", samples_dir, name);
}

static void test_samples_parse(void **state)
{
    static const int sent[] = {213, 215, 303, 403, 505, 507, 509, 603, 605, 607, 701};
    for (size_t i = 0; i < HC_ARRAY_LEN(sent); i++) {
        char name[64], path[1400];
        snprintf(name, sizeof(name), "CEB%dMessage.xml", sent[i]);
        sample_path(name, path, sizeof(path));
        xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET);
        assert_non_null(d);
        assert_int_equal(hc_customs_doc_type(d), sent[i]);
        xmlFreeDoc(d);
    }
    /* the samples that follow the XSD validate with our loaded schema */
    static const char *valid[] = {"CEB213Message.xml", "CEB215Message.xml", "CEB701Message.xml",
                                  "CEB604Message.xml"};
    for (size_t i = 0; i < HC_ARRAY_LEN(valid); i++) {
        char path[1400];
        sample_path(valid[i], path, sizeof(path));
        xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET);
        hc_err err = {0};
        if (hc_customs_xsd_validate(xsd, d, &err) != HC_OK)
            fail_msg("%s: %s %s", valid[i], err.field, err.msg);
        xmlFreeDoc(d);
    }
    /* and one that does not names the element */
    char path[1400];
    sample_path("CEB603Message.xml", path, sizeof(path));
    xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET);
    hc_err err = {0};
    assert_int_equal(hc_customs_xsd_validate(xsd, d, &err), HC_EINVAL);
    assert_true(err.field[0] != '\0');
    xmlFreeDoc(d);
}

static void test_receipts(void **state)
{
    static const struct {
        const char *file;
        int type;
        int status;
    } rs[] = {
        {"CEB304Message.xml", 304, 0}, {"CEB506Message.xml", 506, 0},
        {"CEB604Message.xml", 604, 2}, {"CEB606Message.xml", 606, 0},
        {"CEB608Message.xml", 608, 0}, {"CEB702Message.xml", 702, 0},
        {"CEB792Message.xml", 792, 0}, {"CEB214Message.xml", 214, 2},
        {"CEB216Message.xml", 216, 0},
    };
    hc_arena *a = hc_arena_new(4096);
    for (size_t i = 0; i < HC_ARRAY_LEN(rs); i++) {
        char path[1400];
        sample_path(rs[i].file, path, sizeof(path));
        hc_customs_receipts r;
        hc_err err = {0};
        if (hc_customs_receipt_parse_file(a, path, &r, &err) != HC_OK)
            fail_msg("%s: %s %s", rs[i].file, err.field, err.msg);
        assert_int_equal(r.type, rs[i].type);
        assert_true(r.n >= 1);
        assert_true(r.r[0].guid[0] != '\0');
        assert_true(r.r[0].status[0] != '\0');
        if (rs[i].status)
            assert_int_equal(r.r[0].returnStatus, rs[i].status);
    }
    char path[1400];
    hc_customs_receipts r;
    hc_err err = {0};
    sample_path("CEB604Message.xml", path, sizeof(path));
    assert_int_equal(hc_customs_receipt_parse_file(a, path, &r, &err), HC_OK);
    assert_string_equal(r.r[0].copNo, "Cop20180507001");
    assert_string_equal(r.r[0].invtNo, "Invt20180507000001");
    assert_string_equal(r.r[0].returnTime, "20180507153001001");
    assert_non_null(strstr(r.r[0].returnInfo, "新增申报成功"));
    sample_path("CEB214Message.xml", path, sizeof(path));
    assert_int_equal(hc_customs_receipt_parse_file(a, path, &r, &err), HC_OK);
    assert_string_equal(r.r[0].copNo, "Cop20220407001"); /* coElNo */
    sample_path("CEB792Message.xml", path, sizeof(path));
    assert_int_equal(hc_customs_receipt_parse_file(a, path, &r, &err), HC_OK);
    assert_string_equal(r.r[0].sumNo, "S20180507000000001");
    assert_string_equal(r.r[0].status, "A");
    assert_int_equal(r.r[0].n_items, 2);
    assert_string_equal(r.r[0].items[1].invtNo, "Invt20180507000001");
    assert_int_equal(r.r[0].items[1].gnum, 2);
    assert_string_equal(r.r[0].items[1].gcode, "8541401001");

    /* a CEB792 in XSD form gives entryId and the declaration item number */
    const char *x =
        "<?xml version=\"1.0\"?><ceb:CEB792Message guid=\"G\" version=\"1.0\" "
        "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:SummaryResult><ceb:SummaryResultHead>"
        "<ceb:guid>X</ceb:guid><ceb:sumNo>S1</ceb:sumNo><ceb:entryId>292920261000012345</ceb:entryId>"
        "<ceb:decState>10</ceb:decState></ceb:SummaryResultHead><ceb:SummaryResultList>"
        "<ceb:invtNo>I1</ceb:invtNo><ceb:logisticsNo>L1</ceb:logisticsNo><ceb:gseqno>3</ceb:gseqno>"
        "<ceb:gnum>1</ceb:gnum><ceb:gcode>8518300000</ceb:gcode></ceb:SummaryResultList>"
        "</ceb:SummaryResult></ceb:CEB792Message>";
    assert_int_equal(hc_customs_receipt_parse(a, x, strlen(x), &r, &err), HC_OK);
    assert_string_equal(r.r[0].entryId, "292920261000012345");
    assert_int_equal(r.r[0].items[0].gseqno, 3);
    assert_int_equal(r.r[0].items[0].gnum, 1);
    assert_int_equal(r.r[0].returnStatus, 10);

    /* not a receipt, not XML */
    sample_path("CEB603Message.xml", path, sizeof(path));
    assert_int_equal(hc_customs_receipt_parse_file(a, path, &r, &err), HC_EINVAL);
    assert_int_equal(hc_customs_receipt_parse(a, "<a", 2, &r, &err), HC_EINVAL);
    assert_string_equal(hc_customs_status_name(800), "released");
    assert_string_equal(hc_customs_status_name(-1), "error");
    hc_arena_free(a);
}

static int count_604(void *ctx, const char *path, const hc_customs_receipts *r, hc_err *err)
{
    if (r->type != 604)
        return hc_err_set(err, HC_EUNPROC, "", "only list receipts expected");
    (*(size_t *)ctx) += r->n;
    return HC_OK;
}

static void copy_file(const char *from, const char *to)
{
    FILE *i = fopen(from, "rb"), *o = fopen(to, "wb");
    assert_non_null(i);
    assert_non_null(o);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), i)) > 0)
        fwrite(buf, 1, n, o);
    fclose(i);
    fclose(o);
}

static void test_inbox(void **state)
{
    char inbox[512], p[1400], q[1400];
    make_dir("inbox", inbox, sizeof(inbox));
    sample_path("CEB604Message.xml", p, sizeof(p));
    snprintf(q, sizeof(q), "%s/a604.xml", inbox);
    copy_file(p, q);
    sample_path("CEB506Message.xml", p, sizeof(p)); /* refused by the callback */
    snprintf(q, sizeof(q), "%s/b506.xml", inbox);
    copy_file(p, q);
    snprintf(q, sizeof(q), "%s/c-broken.xml", inbox);
    FILE *f = fopen(q, "w");
    fputs("<not-closed", f);
    fclose(f);
    size_t ok = 0, bad = 0, lists = 0;
    hc_err err = {0};
    assert_int_equal(hc_customs_inbox_scan(inbox, count_604, &lists, &ok, &bad, &err), HC_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(bad, 2);
    assert_true(lists >= 1);
    snprintf(q, sizeof(q), "%s/processed/a604.xml", inbox);
    assert_int_equal(access(q, F_OK), 0);
    snprintf(q, sizeof(q), "%s/failed/c-broken.xml", inbox);
    assert_int_equal(access(q, F_OK), 0);
    /* inbox now holds only the two sub-directories */
    assert_int_equal(count_files(inbox), 2);
}

/* ---- summary grouping ---- */

static void test_summary(void **state)
{
    hc_customs_rel_item ear = {.gcode = "8518300000", .itemName = "耳机", .country = "502",
                               .currency = "502", .unit1 = "007", .qty1 = "2",
                               .totalPrice = "25.00001"};
    hc_customs_rel_item ear2 = ear;
    ear2.itemName = "蓝牙耳机";
    ear2.qty1 = "1";
    ear2.totalPrice = "12.5";
    hc_customs_rel_item shirt = {.gcode = "6109100021", .itemName = "T恤", .country = "502",
                                 .currency = "502", .unit1 = "035", .qty1 = "0.2",
                                 .totalPrice = "9.99"};
    hc_customs_rel_item ear_eur = ear;
    ear_eur.currency = "300";
    hc_customs_rel_item l0[2] = {ear, shirt};
    hc_customs_rel_item l1[1] = {ear2};
    hc_customs_rel_item l4[1] = {ear_eur};
    hc_customs_rel_list lists[6] = {
        {"I0", "C1", "P1", "5", "502", "2992", "2992", "1", "0.8", l0, 2},
        {"I1", "C1", "P2", "5", "502", "2992", "2992", "0.5", "0.4", l1, 1}, /* other seller */
        {"I2", "C2", "P1", "5", "502", "2992", "2992", "1", "1", l1, 1},     /* other consignor */
        {"I3", "C1", "P1", "5", "304", "2992", "2992", "1", "1", l1, 1},     /* other country */
        {"I4", "C1", "P1", "5", "502", "2992", "2992", "1", "1", l4, 1},     /* other currency */
        {"I5", "C1", "P1", "3", "502", "2992", "2992", "1", "1", l1, 1},     /* other transport */
    };
    hc_arena *a = hc_arena_new(4096);
    hc_customs_summary *s;
    size_t n;
    hc_err err = {0};
    /* summaryFlag 1: seller ignored, I0 I1 I4 together; I2, I3, I5 apart */
    assert_int_equal(hc_customs_summarise(a, lists, 6, 1, 0, &s, &n, &err), HC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(s[0].n_invt, 3);
    assert_string_equal(s[0].invtNos[0], "I0");
    assert_string_equal(s[0].invtNos[1], "I1");
    assert_string_equal(s[0].invtNos[2], "I4");
    assert_null(s[0].ownerCode);
    /* lines: earphones USD (I0+I1 merged, names ignored), shirt, earphones EUR */
    assert_int_equal(s[0].n_lines, 3);
    assert_string_equal(s[0].lines[0].gcode, "8518300000");
    assert_int_equal(s[0].lines[0].qty1, 300000);       /* 2 + 1 */
    assert_int_equal(s[0].lines[0].totalPrice, 3750001); /* 25.00001 + 12.5 */
    assert_int_equal(s[0].lines[0].n_items, 2);
    assert_string_equal(s[0].lines[1].gcode, "6109100021");
    assert_string_equal(s[0].lines[2].currency, "300");
    assert_int_equal(s[0].grossWeight, 250000); /* 1 + 0.5 + 1 */
    assert_int_equal(s[0].netWeight, 220000);
    int64_t total = 0;
    for (size_t i = 0; i < s[0].n_lines; i++)
        total += s[0].lines[i].totalPrice;
    assert_int_equal(total, s[0].totalPrice);
    assert_string_equal(s[1].invtNos[0], "I2");
    assert_string_equal(s[2].country, "304");
    assert_string_equal(s[3].trafMode, "3");

    /* summaryFlag 2: the other seller's list splits off */
    assert_int_equal(hc_customs_summarise(a, lists, 6, 2, 0, &s, &n, &err), HC_OK);
    assert_int_equal(n, 5);
    assert_int_equal(s[0].n_invt, 2); /* I0, I4 */
    assert_string_equal(s[0].ownerCode, "P1");
    /* itemNameFlag 1: the same HS code under two names stays two lines */
    assert_int_equal(hc_customs_summarise(a, lists, 2, 1, 1, &s, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].n_lines, 3);
    assert_string_equal(s[0].lines[2].itemName, "蓝牙耳机");

    /* bad input names the field */
    hc_customs_rel_item bad = ear;
    bad.gcode = "85183000001";
    hc_customs_rel_list bl = {"I9", "C1", "P1", "5", "502", "2992", "2992", "1", "1", &bad, 1};
    assert_int_equal(hc_customs_summarise(a, &bl, 1, 1, 0, &s, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "lists[0].items[0].gcode");
    hc_arena_free(a);
}

/* Issue 8: the declaring customs is a merge key. Two lists alike in every
 * other key but declared at 3701 and 3702 go into two declarations, each
 * naming its own customs; a list without a customs code is refused. */
static void test_summary_customs_key(void **state)
{
    hc_customs_rel_item it = {.gcode = "8518300000", .country = "502", .currency = "502",
                              .unit1 = "011", .qty1 = "1", .totalPrice = "10"};
    hc_customs_rel_list lists[3] = {
        {"I0", "C1", NULL, "5", "502", "4200", "3701", "1", "1", &it, 1},
        {"I1", "C1", NULL, "5", "502", "4200", "3702", "1", "1", &it, 1},
        {"I2", "C1", NULL, "5", "502", "4200", "3701", "1", "1", &it, 1},
    };
    hc_arena *a = hc_arena_new(4096);
    hc_customs_summary *s;
    size_t n;
    hc_err err = {0};
    assert_int_equal(hc_customs_summarise(a, lists, 3, 1, 0, &s, &n, &err), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].customsCode, "3701");
    assert_int_equal(s[0].n_invt, 2);
    assert_string_equal(s[0].invtNos[1], "I2");
    assert_string_equal(s[1].customsCode, "3702");
    assert_int_equal(s[1].n_invt, 1);
    lists[1].customsCode = "";
    assert_int_equal(hc_customs_summarise(a, lists, 3, 1, 0, &s, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "lists[1].customsCode");
    hc_arena_free(a);
}

/* The 50-line limit of a declaration: one merge group of 130 lists over 70
 * HS codes packs whole lists into declarations of at most 50 lines; every
 * list lands once; lines, quantities and prices add up to the unsplit sums. */
static void test_summary_split(void **state)
{
    enum { NL = 130 };
    hc_arena *a = hc_arena_new(1 << 16);
    hc_customs_rel_list *lists = hc_arena_alloc(a, NL * sizeof(*lists));
    int64_t want_total = 0, want_gross = 0;
    for (int i = 0; i < NL; i++) {
        size_t k = (size_t)(1 + i % 3);
        hc_customs_rel_item *it = hc_arena_alloc(a, k * sizeof(*it));
        for (size_t j = 0; j < k; j++) {
            int code = (i * 3 + (int)j * 37) % 70; /* spread over 70 codes */
            it[j] = (hc_customs_rel_item){.gcode = hc_arena_printf(a, "85171%05d", code),
                                          .country = "502", .currency = "502", .unit1 = "011",
                                          .qty1 = "2",
                                          .totalPrice = hc_arena_printf(a, "%d.01", i + 1)};
            want_total += (int64_t)(i + 1) * 100000 + 1000;
        }
        lists[i] = (hc_customs_rel_list){hc_arena_printf(a, "I%03d", i), "C1", NULL, "5", "502",
                                         "2992", "2992", "1.5", "1", it, k};
        want_gross += 150000;
    }
    hc_customs_summary *s;
    size_t n;
    hc_err err = {0};
    assert_int_equal(hc_customs_summarise(a, lists, NL, 1, 0, &s, &n, &err), HC_OK);
    assert_true(n >= 2);
    int64_t total = 0, gross = 0;
    size_t invts = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(s[i].n_lines <= HC_CUSTOMS_SUM_LINES_MAX);
        assert_int_equal(s[i].part, i + 1);
        assert_int_equal(s[i].n_parts, n);
        int64_t lt = 0;
        for (size_t k = 0; k < s[i].n_lines; k++) {
            lt += s[i].lines[k].totalPrice;
            for (size_t m = k + 1; m < s[i].n_lines; m++) /* one line per key */
                assert_string_not_equal(s[i].lines[k].gcode, s[i].lines[m].gcode);
        }
        assert_int_equal(lt, s[i].totalPrice);
        total += s[i].totalPrice;
        gross += s[i].grossWeight;
        invts += s[i].n_invt;
    }
    assert_int_equal(total, want_total);
    assert_int_equal(gross, want_gross);
    assert_int_equal(invts, NL);
    /* a group within the limit is not split */
    assert_int_equal(hc_customs_summarise(a, lists, 10, 1, 0, &s, &n, &err), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].n_parts, 1);
    /* one list alone over 50 lines cannot be declared */
    hc_customs_rel_item *big = hc_arena_alloc(a, 51 * sizeof(*big));
    for (int j = 0; j < 51; j++)
        big[j] = (hc_customs_rel_item){.gcode = hc_arena_printf(a, "85172%05d", j),
                                       .country = "502", .currency = "502", .unit1 = "011",
                                       .qty1 = "1", .totalPrice = "1"};
    hc_customs_rel_list two[2] = {lists[0],
                                  {"IBIG", "C1", NULL, "5", "502", "2992", "2992", "1", "1", big, 51}};
    assert_int_equal(hc_customs_summarise(a, two, 2, 1, 0, &s, &n, &err), HC_EINVAL);
    assert_string_equal(err.field, "lists[1].items");
    hc_arena_free(a);
}

/* ---- rules that are data (issue 8 §3) ---- */

static int write_rules(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("key,value,confirmed,source\n", f);
    fputs(body, f);
    return fclose(f);
}

/* The unconfirmed rules (the return window, the itemNameFlag reading) and the
 * list limit are read from customs_rules.csv, not compiled in: the
 * repository's file gives today's values, another file other ones, and a
 * file lacking a rule or naming an unknown one is refused. */
static void test_rules_are_data(void **state)
{
    struct rec_rules r;
    hc_err err = {0};
    char path[1400];
    snprintf(path, sizeof(path), "%s/customs-codes-extra/customs_rules.csv", data_dir);
    if (rec_rules_load(&r, path, &err) != HC_OK)
        fail_msg("%s: %s %s", path, err.field, err.msg);
    assert_int_equal(r.return_days, 365);
    assert_string_equal(r.item_name_off, "0");
    assert_int_equal(r.list_max_cny, 5000);
    assert_false(r.list_over_max_allow);
    assert_int_equal(rec_rules_cny_rate(&r, "USD"), 7100000);

    snprintf(path, sizeof(path), "%s/rules-other.csv", tmp_dir);
    assert_int_equal(write_rules(path, "return_days,30,no,x\n"
                                       "item_name_flag_off,2,no,x\n"
                                       "list_value_max_cny,800,yes,x\n"
                                       "list_over_max,allow,yes,x\n"
                                       "cny_rate.USD,7.25,no,x\n"),
                     0);
    err = (hc_err){0};
    if (rec_rules_load(&r, path, &err) != HC_OK)
        fail_msg("%s: %s %s", path, err.field, err.msg);
    assert_int_equal(r.return_days, 30);
    assert_string_equal(r.item_name_off, "2");
    assert_int_equal(r.list_max_cny, 800);
    assert_true(r.list_over_max_allow);
    assert_int_equal(rec_rules_cny_rate(&r, "USD"), 7250000);
    assert_int_equal(rec_rules_cny_rate(&r, "EUR"), 0);

    assert_int_equal(write_rules(path, "item_name_flag_off,0,no,x\n"
                                       "list_value_max_cny,5000,yes,x\n"
                                       "list_over_max,refuse,yes,x\n"),
                     0);
    err = (hc_err){0};
    assert_int_equal(rec_rules_load(&r, path, &err), HC_EINVAL);
    assert_non_null(strstr(err.msg, "return_days"));
    assert_int_equal(write_rules(path, "return_days,365,no,x\nreturn_weeks,52,no,x\n"), 0);
    err = (hc_err){0};
    assert_int_equal(rec_rules_load(&r, path, &err), HC_EINVAL);
    assert_non_null(strstr(err.msg, "return_weeks"));
}

/* ---- setup ---- */

static int setup(void **state)
{
    /* the repository's data/ and tests/data/ (HC_DATA, HC_TEST_DATA override) */
    const char *d = getenv("HC_DATA"), *t = getenv("HC_TEST_DATA");
    char extra[1200];
    snprintf(data_dir, sizeof(data_dir), "%s", d ? d : HC_SOURCE_DIR "/data");
    snprintf(codes_dir, sizeof(codes_dir), "%s/customs-codes", data_dir);
    snprintf(xsd_dir, sizeof(xsd_dir), "%s/customs-ceb-202205/xsd", data_dir);
    snprintf(extra, sizeof(extra), "%s/customs-codes-extra", data_dir);
    snprintf(samples_dir, sizeof(samples_dir), "%s/customs-ceb-202205/samples",
             t ? t : HC_SOURCE_DIR "/tests/data");
    hc_err err = {0};
    if (hc_customs_ref_load(&ref, codes_dir, &err) != HC_OK ||
        hc_customs_ref_overlay(ref, extra, &err) != HC_OK ||
        hc_customs_xsd_load(&xsd, xsd_dir, &err) != HC_OK) {
        fprintf(stderr, "setup: %s: %s\n", err.field, err.msg);
        return -1;
    }
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/hc-customs-test-XXXXXX");
    if (mkdtemp(tmp_dir) == NULL)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        return -1;
    hc_customs_xsd_free(xsd);
    hc_customs_ref_free(ref);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refdata),       cmocka_unit_test(test_build_all_types),
        cmocka_unit_test(test_bad_records),   cmocka_unit_test(test_sign_sm2),
        cmocka_unit_test(test_sign_rsa),      cmocka_unit_test(test_signature_value_tamper),
        cmocka_unit_test(test_samples_parse), cmocka_unit_test(test_receipts),
        cmocka_unit_test(test_inbox),         cmocka_unit_test(test_summary),
        cmocka_unit_test(test_summary_split), cmocka_unit_test(test_summary_customs_key),
        cmocka_unit_test(test_rules_are_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

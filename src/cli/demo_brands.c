/* demo_brands.c: the demo's brands (docs/compliance.md): each seller owns
 * its house brand, with trademarks; YW-HOMA also sells two licensed brands,
 * LUMORA (authorised for the EU until 2027-06-30) and KETTLO (its licence
 * ended 2025-12-31, so its SKU is flagged); and packaging, battery and
 * electrical-equipment data for every demo SKU, so the EPR report has
 * content. The grams are made up for the demo (not measured), derived from
 * each SKU's weight and HS heading. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "compliance/compliance.h"

static const struct hc_brand brands[] = {
    {.seller = "SZ-ANKO", .name = "ANKO", .owner = "深圳安科电子有限公司 Shenzhen Anko Electronics",
     .seller_is_owner = true, .actor = "demo"},
    {.seller = "YW-HOMA", .name = "HOMA", .owner = "义乌好美家居用品有限公司 Yiwu Homa Home Goods",
     .seller_is_owner = true, .actor = "demo"},
    {.seller = "YW-HOMA", .name = "LUMORA", .owner = "Lumora Lighting B.V. (Eindhoven, NL)",
     .actor = "demo"},
    {.seller = "YW-HOMA", .name = "KETTLO", .owner = "Kettlo Haushaltsgeräte GmbH (Köln, DE)",
     .actor = "demo"},
};

#define NICE(c) (1ULL << (c))

static const struct hc_trademark trademarks[] = {
    {.seller = "SZ-ANKO", .brand = "ANKO", .office = "CNIPA", .number = "45123456",
     .classes = NICE(9), .valid_until = "2033-06-13", .actor = "demo"},
    {.seller = "SZ-ANKO", .brand = "ANKO", .office = "EUIPO", .number = "018765432",
     .classes = NICE(9) | NICE(35), .valid_until = "2031-03-02", .actor = "demo"},
    {.seller = "YW-HOMA", .brand = "HOMA", .office = "CNIPA", .number = "38877001",
     .classes = NICE(21) | NICE(24), .valid_until = "2030-09-20", .actor = "demo"},
    {.seller = "YW-HOMA", .brand = "LUMORA", .office = "BOIP", .number = "1401234",
     .classes = NICE(11), .valid_until = "2029-11-30", .actor = "demo"},
    {.seller = "YW-HOMA", .brand = "KETTLO", .office = "DPMA", .number = "302019012345",
     .classes = NICE(11), .valid_until = "2027-01-31", .actor = "demo"},
};

static const struct hc_brand_auth auths[] = {
    {.seller = "YW-HOMA", .brand = "LUMORA", .document_ref = "LUM-LIC-2024-017", .markets = "EU",
     .classes = NICE(11), .valid_from = "2024-07-01", .valid_until = "2027-06-30",
     .actor = "demo"},
    {.seller = "YW-HOMA", .brand = "KETTLO", .document_ref = "KET-DIST-2023-004",
     .markets = "DE,AT", .classes = NICE(11), .valid_from = "2023-01-01",
     .valid_until = "2025-12-31", .actor = "demo"},
};

/* The licensed brands' SKUs (the generated catalogue has house brands only). */
static const struct hc_sku licensed[] = {
    {.seller = "YW-HOMA", .sku = "HM-LM01", .name = "LUMORA LED floor lamp",
     .name_zh = "LUMORA落地灯", .hs_code = "9405219000", .value_minor = 2900, .currency = "USD",
     .origin_country = "CN", .dims_mm = {1500, 300, 300}, .weight_g = 3200, .brand = "LUMORA"},
    {.seller = "YW-HOMA", .sku = "HM-KT01", .name = "KETTLO electric kettle 1.7 l",
     .name_zh = "KETTLO电热水壶", .hs_code = "8516710000", .value_minor = 1900, .currency = "USD",
     .origin_country = "CN", .dims_mm = {240, 200, 180}, .weight_g = 1300, .brand = "KETTLO"},
};

/* Per-unit data from the SKU's weight and HS heading: a carton and a
 * plastic bag for all; cells for power banks and lanterns; WEEE category 5
 * (small) or 6 (small IT) for equipment. */
static void packaging_of(const struct hc_sku *k, struct hc_packaging *p)
{
    memset(p, 0, sizeof(*p));
    p->seller = k->seller;
    p->sku = k->sku;
    p->actor = "demo";
    p->battery = "";
    p->mg[HC_MAT_PAPER] = 15000 + k->weight_g * 80 + 500; /* 15.5 g + 8 % */
    p->mg[HC_MAT_PLASTIC] = 2250 + k->weight_g * 10;      /* 2.25 g + 1 % */
    const char *hs = k->hs_code;
    if (strncmp(hs, "8507", 4) == 0) {
        p->battery = "portable";
        p->battery_mg = k->weight_g * 700;
    } else if (strncmp(hs, "940540", 6) == 0) {
        p->battery = "portable";
        p->battery_mg = 48500;
        p->eee_category = 5;
    } else if (strncmp(hs, "8518", 4) == 0) {
        p->battery = "portable";
        p->battery_mg = 5250;
        p->eee_category = 6;
    } else if (strncmp(hs, "8536", 4) == 0 || strncmp(hs, "9405", 4) == 0 ||
               strncmp(hs, "8516", 4) == 0) {
        p->eee_category = 5;
    }
    if (p->eee_category)
        p->eee_mg = k->weight_g * 1000;
    if (strncmp(hs, "9617", 4) == 0) /* a bottle: ferrous cap in the box */
        p->mg[HC_MAT_FERROUS] = 12000;
}

static int brands_job(hc_store *s, void *ctx, hc_err *err)
{
    int *counts = ctx, rc = HC_OK;
    bool created;
    char id[32];
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(licensed); i++)
        rc = hc_sku_create(s, &licensed[i], err);
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(brands); i++)
        rc = hc_brand_put(s, &brands[i], &created, err);
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(trademarks); i++)
        rc = hc_trademark_put(s, &trademarks[i], err);
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(auths); i++)
        rc = hc_brand_auth_add(s, &auths[i], id, sizeof(id), err);
    hc_arena *a = hc_arena_new(1 << 16);
    const char *cursor = NULL;
    counts[0] = 0;
    do { /* every SKU of the catalogue */
        struct hc_sku *k;
        size_t n;
        if (rc == HC_OK)
            rc = hc_sku_list(s, a, NULL, NULL, cursor, 200, &k, &n, &cursor, err);
        for (size_t i = 0; rc == HC_OK && i < n; i++) {
            struct hc_packaging p;
            packaging_of(&k[i], &p);
            rc = hc_packaging_put(s, &p, &created, err);
            counts[0]++;
        }
    } while (rc == HC_OK && cursor);
    hc_arena_free(a);
    return rc;
}

int hc_demo_brands(hc_db *db, FILE *out, hc_err *err)
{
    int counts[1];
    int rc = hc_db_write(db, brands_job, counts, err);
    if (rc == HC_OK)
        fprintf(out, "brands: %zu with %zu trademarks and %zu authorisations (KETTLO's ended: "
                     "HM-KT01 flagged); packaging data of %d SKUs\n",
                HC_ARRAY_LEN(brands), HC_ARRAY_LEN(trademarks), HC_ARRAY_LEN(auths), counts[0]);
    return rc;
}

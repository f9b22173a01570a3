/* reports.c: the infringement inquiry report of a brand and the EPR
 * report of what was put on each national market, both read from the goods
 * journal (compliance.h), and their documents for src/render. */
#include "compliance/compliance.h"
#include "catalog/catalog.h"
#include "ledger/ledger.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the brand report ----------------------------------------------------------------- */

/* What one seller did with one SKU in one warehouse, while the journal of
 * the SKU is read in id (time) order. */
struct acc {
    char warehouse[HC_CODE_MAX + 1];
    int64_t first_received_at, last_move_at, last_held_at;
    int64_t received, sold, returned, on_hand;
};

struct sku_scan {
    struct acc *accs;
    size_t n, cap;
    hc_arena *a;
};

static struct acc *acc_of(struct sku_scan *sc, const char *warehouse)
{
    for (size_t i = 0; i < sc->n; i++)
        if (strcmp(sc->accs[i].warehouse, warehouse) == 0)
            return &sc->accs[i];
    sc->accs = hc_arena_grow(sc->a, sc->accs, sc->n, &sc->cap, sizeof(*sc->accs));
    struct acc *x = &sc->accs[sc->n++];
    memset(x, 0, sizeof(*x));
    hc_strlcpy(x->warehouse, warehouse, sizeof(x->warehouse));
    return x;
}

static bool from_consumer(const char *place)
{
    return strcmp(place, "customer") == 0 || strncmp(place, "carrier/", 8) == 0;
}

/* One move of the SKU's journal: into a warehouse from outside it, out of
 * it, or both (between two warehouses); moves inside one warehouse
 * (putaway, slotting) change nothing here. */
static void scan_move(struct sku_scan *sc, int64_t at, int64_t qty, const char *from,
                      const char *to)
{
    char fw[HC_CODE_MAX + 1] = "", tw[HC_CODE_MAX + 1] = "";
    bool has_f = hc_place_warehouse(from, fw, sizeof(fw));
    bool has_t = hc_place_warehouse(to, tw, sizeof(tw));
    if (has_f && has_t && strcmp(fw, tw) == 0)
        return;
    if (has_t) {
        struct acc *x = acc_of(sc, tw);
        x->on_hand += qty;
        x->last_move_at = at;
        x->last_held_at = 0;
        if (from_consumer(from)) {
            x->returned += qty;
        } else if (strncmp(from, "order/", 6) == 0) {
            x->sold -= qty; /* a picked order cancelled: its goods back on the shelf */
        } else {
            x->received += qty;
            if (x->first_received_at == 0)
                x->first_received_at = at;
        }
    }
    if (has_f) {
        struct acc *x = acc_of(sc, fw);
        x->on_hand -= qty;
        x->last_move_at = at;
        if (strncmp(to, "order/", 6) == 0)
            x->sold += qty;
        if (x->on_hand <= 0)
            x->last_held_at = at;
    }
}

struct brand_sku {
    const char *seller, *sku, *sku_name, *seller_name, *country, *uscc, *customs_code;
};

static int brand_skus(hc_store *s, hc_arena *a, const char *brand, const char *seller,
                      struct brand_sku **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT k.seller, k.sku, k.name, s.name, s.country, s.uscc,"
                            " s.customs_code FROM skus k JOIN sellers s ON s.code = k.seller"
                            " WHERE k.brand = ? AND (? = '' OR k.seller = ?)"
                            " ORDER BY k.seller, k.sku",
                            "sss", brand, seller ? seller : "", seller ? seller : "");
    if (rc != HC_OK)
        return rc;
    size_t cap = 16; /* a list, empty or not, is never NULL */
    *out = hc_arena_alloc(a, sizeof(**out) * cap);
    *n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        *out = hc_arena_grow(a, *out, *n, &cap, sizeof(**out));
        struct brand_sku *k = &(*out)[(*n)++];
        k->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        k->sku = hc_arena_strdup(a, hc_stmt_text(q, 1));
        k->sku_name = hc_arena_strdup(a, hc_stmt_text(q, 2));
        k->seller_name = hc_arena_strdup(a, hc_stmt_text(q, 3));
        k->country = hc_arena_strdup(a, hc_stmt_text(q, 4));
        k->uscc = hc_arena_strdup(a, hc_stmt_text(q, 5));
        k->customs_code = hc_arena_strdup(a, hc_stmt_text(q, 6));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* Reads the journal of one SKU into sc. */
static int scan_sku(hc_store *s, const struct brand_sku *k, struct sku_scan *sc, int64_t *rows,
                    hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT at, qty, from_place, to_place FROM journal"
                            " WHERE seller = ? AND sku = ? AND kind = 'move' ORDER BY id",
                            "ss", k->seller, k->sku);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        scan_move(sc, hc_stmt_int(q, 0), hc_stmt_int(q, 1), hc_stmt_text(q, 2),
                  hc_stmt_text(q, 3));
        (*rows)++;
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* The seller's identity valid at a row's last move, over the seller
 * record's name and codes; none recorded by then leaves the record's. The
 * latest version is read once per seller: rows after it use it, older rows
 * ask for the version of their time. */
struct latest_identity {
    const char *seller;
    bool found;
    struct hc_identity id;
};

static int identity_of(hc_store *s, hc_arena *a, struct latest_identity *latest,
                       const char *seller, int64_t at, struct hc_identity **out, hc_err *err)
{
    *out = NULL;
    int rc = HC_OK;
    if (latest->seller == NULL || strcmp(latest->seller, seller) != 0) {
        latest->seller = seller;
        rc = hc_identity_get(s, a, seller, 0, &latest->id, err);
        latest->found = rc == HC_OK;
    }
    if (rc == HC_OK && latest->found && latest->id.recorded_at <= at) {
        *out = &latest->id;
        return HC_OK;
    }
    if (rc == HC_OK && latest->found) {
        struct hc_identity *then = hc_arena_alloc(a, sizeof(*then));
        rc = hc_identity_get(s, a, seller, at, then, err);
        *out = rc == HC_OK ? then : NULL;
    }
    if (rc == HC_ENOTFOUND) { /* none recorded (by then) */
        hc_err_clear(err);
        rc = HC_OK;
    }
    return rc;
}

static int identity_at(hc_store *s, hc_arena *a, struct latest_identity *latest,
                       struct hc_brand_report_row *r, hc_err *err)
{
    struct hc_identity *id;
    r->legal_name_en = r->registered_address = "";
    int rc = identity_of(s, a, latest, r->seller, r->last_move_at ? r->last_move_at : hc_now_ms(),
                         &id, err);
    if (rc != HC_OK || id == NULL)
        return rc;
    r->identity_version = id->version;
    r->identity_recorded_at = id->recorded_at;
    r->seller_name = id->legal_name_zh ? id->legal_name_zh : r->seller_name;
    r->legal_name_en = id->legal_name_en ? id->legal_name_en : "";
    r->registered_address = id->registered_address ? id->registered_address : "";
    r->seller_uscc = id->uscc ? id->uscc : "";
    r->seller_customs_code = id->customs_code ? id->customs_code : "";
    return HC_OK;
}

static void add_rows(struct hc_brand_report *out, hc_arena *a, const struct brand_sku *k,
                     const struct sku_scan *sc, size_t *cap)
{
    for (size_t i = 0; i < sc->n; i++) {
        const struct acc *x = &sc->accs[i];
        if (out->warehouse && strcmp(out->warehouse, x->warehouse) != 0)
            continue;
        if (out->n == *cap) {
            size_t bigger = *cap ? *cap * 2 : 64;
            struct hc_brand_report_row *rows = hc_arena_alloc(a, sizeof(*rows) * bigger);
            if (out->n)
                memcpy(rows, out->rows, sizeof(*rows) * out->n);
            out->rows = rows;
            *cap = bigger;
        }
        struct hc_brand_report_row *r = &out->rows[out->n++];
        r->seller = k->seller;
        r->seller_name = k->seller_name;
        r->seller_country = k->country;
        r->seller_uscc = k->uscc;
        r->seller_customs_code = k->customs_code;
        r->warehouse = hc_arena_strdup(a, x->warehouse);
        r->sku = k->sku;
        r->sku_name = k->sku_name;
        r->first_received_at = x->first_received_at;
        r->last_move_at = x->last_move_at;
        r->last_held_at = x->on_hand > 0 ? 0 : x->last_held_at;
        r->received = x->received;
        r->sold = x->sold;
        r->returned = x->returned;
        r->on_hand = x->on_hand;
    }
}

int hc_brand_report(hc_store *s, hc_arena *a, const char *brand, const char *seller,
                    const char *warehouse, struct hc_brand_report *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    if (brand == NULL || *brand == '\0')
        return hc_err_set(err, HC_EINVAL, "brand", "is required");
    if (strlen(brand) > HC_BRAND_MAX * 4)
        return hc_err_set(err, HC_EINVAL, "brand", "is longer than %d characters", HC_BRAND_MAX);
    out->brand = brand;
    out->seller = seller;
    out->warehouse = warehouse;
    out->made_at = hc_now_ms();
    struct brand_sku *skus = NULL;
    size_t nskus = 0, cap = 0;
    int rc = brand_skus(s, a, brand, seller, &skus, &nskus, err);
    out->skus = (int64_t)nskus;
    hc_arena *scratch = hc_arena_new(4096);
    for (size_t i = 0; rc == HC_OK && i < nskus; i++) {
        struct sku_scan sc = {.a = scratch};
        rc = scan_sku(s, &skus[i], &sc, &out->journal_rows, err);
        if (rc == HC_OK)
            add_rows(out, a, &skus[i], &sc, &cap);
    }
    hc_arena_free(scratch);
    struct latest_identity latest = {0}; /* rows come by seller */
    for (size_t i = 0; rc == HC_OK && i < out->n; i++)
        rc = identity_at(s, a, &latest, &out->rows[i], err);
    return rc;
}

/* ---- the EPR report ------------------------------------------------------------------- */

const char *hc_epr_stream_name(int stream)
{
    return stream == HC_EPR_PACKAGING ? "packaging"
           : stream == HC_EPR_BATTERIES ? "batteries"
                                        : "electronics";
}

/* Units shipped to consumers per country x seller x SKU: the order ->
 * carrier moves of orders shipped in the period (order_history_status
 * finds them; journal_ref their moves). */
static int shipped_units(hc_store *s, hc_arena *a, struct hc_epr_report *out, hc_err *err)
{
    const char *seller = out->seller ? out->seller : "", *wh = out->warehouse ? out->warehouse : "",
               *country = out->country ? out->country : "";
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT o.ship_country, j.seller, j.sku, SUM(j.qty) FROM order_history h"
        " JOIN orders o ON o.seller = h.seller AND o.id = h.order_id"
        " JOIN journal j ON j.ref = h.order_id AND j.seller = h.seller"
        " WHERE h.status = 'shipped' AND h.at >= ? AND h.at < ? AND j.kind = 'move'"
        " AND j.from_place LIKE 'order/%' AND j.to_place LIKE 'carrier/%'"
        " AND (? = '' OR h.seller = ?) AND (? = '' OR o.warehouse = ?)"
        " AND (? = '' OR o.ship_country = ?)"
        " GROUP BY o.ship_country, j.seller, j.sku ORDER BY o.ship_country, j.seller, j.sku",
        "iissssss", out->from_ms, out->to_ms, seller, seller, wh, wh, country, country);
    if (rc != HC_OK)
        return rc;
    size_t cap = 64; /* a list, empty or not, is never NULL */
    out->rows = hc_arena_alloc(a, sizeof(*out->rows) * cap);
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        out->rows = hc_arena_grow(a, out->rows, out->n, &cap, sizeof(*out->rows));
        struct hc_epr_row *r = &out->rows[out->n++];
        r->country = hc_arena_strdup(a, hc_stmt_text(q, 0));
        r->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
        r->sku = hc_arena_strdup(a, hc_stmt_text(q, 2));
        r->units = hc_stmt_int(q, 3);
        r->battery = "";
    }
    hc_stmt_reset(q);
    return rc == HC_DONE ? HC_OK : rc;
}

/* Adds units and mg to the total (country, stream, what), kept sorted. */
static int add_total(struct hc_epr_report *out, hc_arena *a, size_t *cap, const char *country,
                     int stream, const char *what, int64_t units, int64_t mg, hc_err *err)
{
    size_t i = 0;
    for (; i < out->ntotals; i++) {
        struct hc_epr_total *t = &out->totals[i];
        int c = strcmp(t->country, country);
        if (c == 0)
            c = t->stream - stream;
        if (c == 0)
            c = strcmp(t->what, what);
        if (c == 0) {
            if (__builtin_add_overflow(t->units, units, &t->units) ||
                __builtin_add_overflow(t->mg, mg, &t->mg))
                return hc_err_set(err, HC_ETOOBIG, "", "a total is over 9.2e15 g");
            return HC_OK;
        }
        if (c > 0)
            break;
    }
    if (out->ntotals == *cap) {
        size_t bigger = *cap ? *cap * 2 : 32;
        struct hc_epr_total *t = hc_arena_alloc(a, sizeof(*t) * bigger);
        if (out->ntotals)
            memcpy(t, out->totals, sizeof(*t) * out->ntotals);
        out->totals = t;
        *cap = bigger;
    }
    memmove(&out->totals[i + 1], &out->totals[i], sizeof(*out->totals) * (out->ntotals - i));
    out->totals[i] = (struct hc_epr_total){country, stream, what, units, mg};
    out->ntotals++;
    return HC_OK;
}

static const char *const eee_digits[HC_EEE_CATEGORIES + 1] = {"", "1", "2", "3", "4", "5", "6"};

static int add_row_totals(struct hc_epr_report *out, hc_arena *a, size_t *cap,
                          const struct hc_epr_row *r, hc_err *err)
{
    int rc = HC_OK;
    for (int m = 0; rc == HC_OK && m < HC_MATERIALS; m++)
        if (r->t.mg[m] > 0)
            rc = add_total(out, a, cap, r->country, HC_EPR_PACKAGING, hc_material_name(m),
                           r->units, r->t.mg[m], err);
    if (rc == HC_OK && r->battery[0])
        rc = add_total(out, a, cap, r->country, HC_EPR_BATTERIES, r->battery, r->units,
                       r->t.battery_mg, err);
    if (rc == HC_OK && r->eee_category)
        rc = add_total(out, a, cap, r->country, HC_EPR_EEE, eee_digits[r->eee_category],
                       r->units, r->t.eee_mg, err);
    return rc;
}

int hc_epr_report(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                  const char *country, int64_t from_ms, int64_t to_ms, struct hc_epr_report *out,
                  hc_err *err)
{
    memset(out, 0, sizeof(*out));
    if (to_ms <= from_ms)
        return hc_err_set(err, HC_EINVAL, "to", "must be after from");
    out->seller = seller;
    out->warehouse = warehouse;
    out->country = country;
    out->from_ms = from_ms;
    out->to_ms = to_ms;
    int rc = shipped_units(s, a, out, err);
    size_t cap = 0;
    for (size_t i = 0; rc == HC_OK && i < out->n; i++) {
        struct hc_epr_row *r = &out->rows[i];
        struct hc_packaging p;
        rc = hc_packaging_get(s, a, r->seller, r->sku, &p, err);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            out->units_without_data += r->units;
            rc = HC_OK;
            continue;
        }
        r->has_data = rc == HC_OK;
        r->battery = rc == HC_OK ? p.battery : "";
        r->eee_category = rc == HC_OK ? p.eee_category : 0;
        if (rc == HC_OK)
            rc = hc_packaging_add_units(&p, r->units, &r->t, err);
        if (rc == HC_OK)
            rc = add_row_totals(out, a, &cap, r, err);
    }
    return rc;
}

/* ---- documents --------------------------------------------------------------------------- */

struct word {
    const char *key, *en, *zh;
};

static const struct word words[] = {
    {"brand_report", "Brand report (infringement inquiry)", "品牌报告（侵权协查）"},
    {"brand", "Brand", "品牌"},
    {"made_at", "Made at (UTC)", "生成时间（UTC）"},
    {"filter_seller", "Seller", "卖家"},
    {"filter_wh", "Warehouse", "仓库"},
    {"all", "all", "全部"},
    {"holdings", "Holdings and sales per seller, warehouse and SKU",
     "按卖家、仓库和SKU的持有与销售"},
    {"seller", "Seller", "卖家"},
    {"seller_name", "Seller name", "卖家名称"},
    {"uscc", "USCC", "统一社会信用代码"},
    {"customs_code", "Customs code", "海关编码"},
    {"identity", "Identity", "身份版本"},
    {"seller_record", "seller record", "卖家档案"},
    {"warehouse", "Warehouse", "仓库"},
    {"sku", "SKU", "SKU"},
    {"sku_name", "Name", "品名"},
    {"first_received", "First received", "首次入库"},
    {"last_held", "Last held", "最后持有"},
    {"held_now", "held now", "仍在库"},
    {"received", "Received", "入库"},
    {"sold", "Sold", "售出"},
    {"returned", "Returned", "退货"},
    {"on_hand", "On hand", "在库"},
    {"brand_footer",
     "From the goods journal: received = into the warehouse from outside it; sold = out to "
     "consumer orders (net of picks put back); returned = restocked from consumers. The "
     "seller's identity is the version valid at the row's last move (vN), else the seller "
     "record.",
     "数据来自货物日记账：入库=从仓外进入该仓；售出=出库至消费者订单（扣除退回货架的拣货）；"
     "退货=消费者退回上架。卖家身份为该行最后一次移动时有效的版本（vN），否则为卖家档案。"},
    {"epr_report", "EPR report: put on the market", "生产者责任延伸（EPR）报告：投放市场"},
    {"period", "Period (UTC)", "期间（UTC）"},
    {"country", "Country", "国家"},
    {"filter_country", "Country", "国家"},
    {"totals", "Totals per country", "按国家汇总"},
    {"stream", "Stream", "类别"},
    {"what", "Material / category", "材料/类别"},
    {"units", "Units", "件数"},
    {"grams", "Grams", "克"},
    {"lines", "Per seller and SKU", "按卖家和SKU"},
    {"packaging_g", "Packaging g", "包装（克）"},
    {"battery", "Battery", "电池"},
    {"battery_g", "Battery g", "电池（克）"},
    {"eee", "EEE category", "电子电气设备类别"},
    {"eee_g", "EEE g", "电子电气（克）"},
    {"has_data", "Data", "数据"},
    {"yes", "yes", "有"},
    {"missing", "MISSING", "缺失"},
    {"without_data", "Units without packaging data", "无包装数据的件数"},
    {"epr_footer",
     "Units shipped to consumers (order to carrier in the goods journal) in the period, by "
     "destination country, times the SKU's per-unit data. Returns are not deducted.",
     "期间内发给消费者的件数（货物日记账中订单至承运人），按目的国，乘以SKU的单件数据。不扣除退货。"},
    {"packaging", "packaging", "包装"},
    {"batteries", "batteries", "电池"},
    {"electronics", "electronics", "电子电气"},
};

static const char *L(const char *lang, const char *key)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    for (size_t i = 0; i < HC_ARRAY_LEN(words); i++)
        if (strcmp(words[i].key, key) == 0)
            return zh ? words[i].zh : words[i].en;
    return key;
}

struct col {
    const char *key;
    double width;
    bool numeric;
};

static void table(struct hc_doc_table *t, const char *lang, const char *title, const char *sheet,
                  const struct col *cols, size_t ncols, size_t nrows,
                  int (*row)(void *, size_t, const char **), void *ctx)
{
    HC_ASSERT(ncols <= HC_DOC_COLS_MAX);
    t->title = L(lang, title);
    t->sheet = sheet;
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        t->head[i] = L(lang, cols[i].key);
        t->width[i] = cols[i].width;
        t->numeric[i] = cols[i].numeric;
    }
    t->nrows = nrows;
    t->row = row;
    t->ctx = ctx;
}

struct cells {
    const void *report;
    const char *lang;
    char b[8][40];
};

static void day_or(int64_t ms, const char *none, char *buf, size_t size)
{
    if (ms == 0)
        hc_strlcpy(buf, none, size);
    else
        hc_day_of(ms, buf, size);
}

static int brand_row(void *ctx, size_t i, const char **c)
{
    struct cells *x = ctx;
    const struct hc_brand_report_row *r = &((const struct hc_brand_report *)x->report)->rows[i];
    day_or(r->first_received_at, "", x->b[0], sizeof(x->b[0]));
    day_or(r->last_held_at, L(x->lang, "held_now"), x->b[1], sizeof(x->b[1]));
    snprintf(x->b[2], sizeof(x->b[2]), "%lld", (long long)r->received);
    snprintf(x->b[3], sizeof(x->b[3]), "%lld", (long long)r->sold);
    snprintf(x->b[4], sizeof(x->b[4]), "%lld", (long long)r->returned);
    snprintf(x->b[5], sizeof(x->b[5]), "%lld", (long long)r->on_hand);
    if (r->identity_version)
        snprintf(x->b[6], sizeof(x->b[6]), "v%lld", (long long)r->identity_version);
    else
        hc_strlcpy(x->b[6], L(x->lang, "seller_record"), sizeof(x->b[6]));
    const char *v[] = {r->seller, r->seller_name, r->seller_uscc, x->b[6], r->warehouse, r->sku,
                       r->sku_name, x->b[0], x->b[1], x->b[2], x->b[3], x->b[4], x->b[5]};
    memcpy(c, v, sizeof(v));
    return HC_OK;
}

int hc_brand_report_doc(hc_arena *a, const struct hc_brand_report *r, const char *lang,
                        struct hc_doc *d)
{
    memset(d, 0, sizeof(*d));
    char made[32];
    hc_time_iso(r->made_at, made, sizeof(made));
    d->title = hc_arena_printf(a, "%s: %s", L(lang, "brand_report"), r->brand);
    d->meta[0][0] = L(lang, "brand");
    d->meta[0][1] = r->brand;
    d->meta[1][0] = L(lang, "made_at");
    d->meta[1][1] = hc_arena_strdup(a, made);
    d->meta[2][0] = L(lang, "filter_seller");
    d->meta[2][1] = r->seller ? r->seller : L(lang, "all");
    d->meta[3][0] = L(lang, "filter_wh");
    d->meta[3][1] = r->warehouse ? r->warehouse : L(lang, "all");
    d->nmeta = 4;
    static const struct col cols[] = {
        {"seller", 1.2, false},   {"seller_name", 2, false},   {"uscc", 1.8, false},
        {"identity", 0.9, false},
        {"warehouse", 1.2, false}, {"sku", 1.4, false},        {"sku_name", 2, false},
        {"first_received", 1.3, false}, {"last_held", 1.3, false}, {"received", 1, true},
        {"sold", 1, true},        {"returned", 1, true},       {"on_hand", 1, true}};
    struct cells *x = hc_arena_alloc(a, sizeof(*x));
    x->report = r;
    x->lang = lang;
    struct hc_doc_table *t = hc_arena_alloc(a, sizeof(*t));
    table(t, lang, "holdings", "Holdings", cols, HC_ARRAY_LEN(cols), r->n, brand_row, x);
    d->tables = t;
    d->ntables = 1;
    d->footer = L(lang, "brand_footer");
    return HC_OK;
}

static int total_row(void *ctx, size_t i, const char **c)
{
    struct cells *x = ctx;
    const struct hc_epr_total *t = &((const struct hc_epr_report *)x->report)->totals[i];
    snprintf(x->b[0], sizeof(x->b[0]), "%lld", (long long)t->units);
    hc_mass_format(t->mg, x->b[1], sizeof(x->b[1]));
    c[0] = t->country;
    c[1] = L(x->lang, hc_epr_stream_name(t->stream));
    c[2] = t->stream == HC_EPR_EEE ? hc_eee_category_name(atoi(t->what)) : t->what;
    c[3] = x->b[0];
    c[4] = x->b[1];
    return HC_OK;
}

static int epr_line_row(void *ctx, size_t i, const char **c)
{
    struct cells *x = ctx;
    const struct hc_epr_row *r = &((const struct hc_epr_report *)x->report)->rows[i];
    int64_t pack = 0;
    for (int m = 0; m < HC_MATERIALS; m++)
        pack += r->t.mg[m];
    snprintf(x->b[0], sizeof(x->b[0]), "%lld", (long long)r->units);
    hc_mass_format(pack, x->b[1], sizeof(x->b[1]));
    hc_mass_format(r->t.battery_mg, x->b[2], sizeof(x->b[2]));
    hc_mass_format(r->t.eee_mg, x->b[3], sizeof(x->b[3]));
    snprintf(x->b[4], sizeof(x->b[4]), "%d", r->eee_category);
    const char *v[] = {r->country, r->seller, r->sku, x->b[0],
                       L(x->lang, r->has_data ? "yes" : "missing"), x->b[1], r->battery,
                       x->b[2], r->eee_category ? x->b[4] : "", x->b[3]};
    memcpy(c, v, sizeof(v));
    return HC_OK;
}

int hc_epr_report_doc(hc_arena *a, const struct hc_epr_report *r, const char *lang,
                      struct hc_doc *d)
{
    memset(d, 0, sizeof(*d));
    char from[11], to[11]; /* whole days, both inclusive */
    hc_day_of(r->from_ms, from, sizeof(from));
    hc_day_of(r->to_ms - 1, to, sizeof(to));
    d->title = L(lang, "epr_report");
    d->meta[0][0] = L(lang, "period");
    d->meta[0][1] = hc_arena_printf(a, "%s – %s", from, to);
    d->meta[1][0] = L(lang, "filter_seller");
    d->meta[1][1] = r->seller ? r->seller : L(lang, "all");
    d->meta[2][0] = L(lang, "filter_country");
    d->meta[2][1] = r->country ? r->country : L(lang, "all");
    d->meta[3][0] = L(lang, "without_data");
    d->meta[3][1] = hc_arena_printf(a, "%lld", (long long)r->units_without_data);
    d->nmeta = 4;
    static const struct col tc[] = {{"country", 1, false}, {"stream", 1.4, false},
                                    {"what", 2.6, false},  {"units", 1, true},
                                    {"grams", 1.6, true}};
    static const struct col lc[] = {
        {"country", 1, false},     {"seller", 1.3, false}, {"sku", 1.5, false},
        {"units", 1, true},        {"has_data", 1, false}, {"packaging_g", 1.4, true},
        {"battery", 1.1, false},   {"battery_g", 1.3, true}, {"eee", 1, false},
        {"eee_g", 1.3, true}};
    struct cells *x0 = hc_arena_alloc(a, sizeof(*x0)), *x1 = hc_arena_alloc(a, sizeof(*x1));
    x0->report = x1->report = r;
    x0->lang = x1->lang = lang;
    struct hc_doc_table *t = hc_arena_alloc(a, 2 * sizeof(*t));
    table(&t[0], lang, "totals", "Totals", tc, HC_ARRAY_LEN(tc), r->ntotals, total_row, x0);
    table(&t[1], lang, "lines", "Lines", lc, HC_ARRAY_LEN(lc), r->n, epr_line_row, x1);
    d->tables = t;
    d->ntables = 2;
    d->footer = L(lang, "epr_footer");
    return HC_OK;
}

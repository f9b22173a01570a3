/* settle_doc.c: a settlement statement as a render document (src/render:
 * XLSX, CSV, PDF), labelled in Chinese or English. Tables: the gross totals
 * per currency, the orders, every fee line, the customs lines, the pools. */
#include "finance.h"

#include <stdio.h>
#include <string.h>

#include "render/render.h"

struct label {
    const char *key, *en, *zh;
};

static const struct label labels[] = {
    {"title", "Netting settlement statement", "跨境电商轧差结算明细"},
    {"seller", "Seller", "卖家"},
    {"period", "Period (Beijing dates)", "期间（北京时间）"},
    {"rule", "Rule", "依据"},
    {"rule_v", "SAFE Hui Fa [2020] No. 11: net flows and reconstructed gross",
     "汇发〔2020〕11号：实际轧差收付与还原全额"},
    {"totals", "Reconstructed gross totals by currency", "各币种还原全额"},
    {"orders", "Orders sold in the period", "期间销售订单"},
    {"fees", "Fees netted, line by line", "轧差费用明细"},
    {"customs", "Customs lists behind the sales", "对应报关清单"},
    {"pools", "Fees without an order, allocated by gross", "无对应订单的费用（按销售额分摊）"},
    {"currency", "Currency", "币种"},
    {"count", "Orders", "订单数"},
    {"gross", "Gross sale", "销售全额"},
    {"fees_total", "Fees", "费用合计"},
    {"net", "Net", "轧差净额"},
    {"net_wo", "Net without advertising", "不含广告费净额"},
    {"order", "Order", "订单"},
    {"channel", "Channel order", "平台订单号"},
    {"sold", "Sold", "销售日"},
    {"warehouse", "Warehouse", "仓库"},
    {"type", "Type", "类型"},
    {"source", "Source", "来源"},
    {"ref", "Reference", "凭证"},
    {"day", "Date", "日期"},
    {"amount", "Amount", "原币金额"},
    {"rate", "FX rate", "汇率"},
    {"fx_day", "Rate date", "汇率日期"},
    {"netted", "Netted", "轧差金额"},
    {"basis", "Basis (gross / all)", "分摊基数（本单 / 合计）"},
    {"sku", "SKU", "SKU"},
    {"qty", "Qty", "数量"},
    {"list", "List", "清单"},
    {"mode", "Mode", "监管方式"},
    {"gnum", "Item", "清单项号"},
    {"entry", "Declaration", "报关单号"},
    {"entry_gnum", "Decl. item", "报关单项号"},
    {"lot", "Lot (inbound)", "批次（入库单）"},
    {"items", "Fees", "笔数"},
    {"allocated", "Allocated", "已分摊"},
    {"yes", "yes", "是"},
    {"no", "no (no gross to carry it)", "否（期间无销售额）"},
    {"footer",
     "Advertising is its own type: whether a bank accepts it netted is the bank's decision.",
     "广告费单列：是否可轧差由银行认定。"},
    {"storage", "Storage", "仓储费"},
    {"fulfilment", "Fulfilment", "操作费"},
    {"head_haul", "Head-haul", "头程运费"},
    {"last_mile", "Last mile", "尾程派送费"},
    {"taxes", "Taxes abroad", "境外税费"},
    {"compensation", "Compensation", "赔偿费"},
    {"advertising", "Advertising", "广告费"},
    {"src_charge", "haicang charge", "海仓计费"},
    {"src_external", "external", "外部费用"},
    {"src_allocated", "allocated", "分摊"},
    {"order_list", "order's list", "订单清单"},
    {"fifo", "FIFO stock", "先进先出库存"},
};

static const char *L(const char *lang, const char *key)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i].key, key) == 0)
            return zh ? labels[i].zh : labels[i].en;
    return key;
}

/* Row text lives in a per-table scratch: valid until the next row. */
struct rows {
    const struct hc_settlement *st;
    const char *lang;
    char buf[HC_DOC_COLS_MAX][96];
};

static void money(struct rows *r, int col, int64_t minor, const char *currency)
{
    int scale = hc_currency_scale(currency);
    hc_decimal_format(minor, scale < 0 ? 2 : scale, r->buf[col], sizeof(r->buf[col]));
}

static void num(struct rows *r, int col, int64_t v)
{
    snprintf(r->buf[col], sizeof(r->buf[col]), "%lld", (long long)v);
}

static void point(struct rows *r, const char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cells[i] = r->buf[i];
}

static void text(struct rows *r, int col, const char *s)
{
    hc_strlcpy(r->buf[col], s ? s : "", sizeof(r->buf[col]));
}

static int total_row(void *ctx, size_t i, const char **cells)
{
    struct rows *r = ctx;
    const struct hc_settle_total *t = &r->st->totals[i];
    text(r, 0, t->currency);
    num(r, 1, t->orders);
    money(r, 2, t->gross, t->currency);
    for (int k = 0; k < HC_FEE_NTYPES; k++)
        money(r, 3 + k, t->fees[k], t->currency);
    money(r, 10, t->fees_total, t->currency);
    money(r, 11, t->net, t->currency);
    money(r, 12, t->net_without_ads, t->currency);
    point(r, cells, 13);
    return HC_OK;
}

static int order_row(void *ctx, size_t i, const char **cells)
{
    struct rows *r = ctx;
    const struct hc_settle_order *o = &r->st->orders[i];
    text(r, 0, o->id);
    text(r, 1, o->channel_order_id);
    text(r, 2, o->sold_day);
    text(r, 3, o->currency);
    money(r, 4, o->gross, o->currency);
    for (int k = 0; k < HC_FEE_NTYPES; k++)
        money(r, 5 + k, o->fees[k], o->currency);
    money(r, 12, o->net, o->currency);
    /* the first list behind the sale, and how many more */
    r->buf[13][0] = '\0';
    if (o->ncustoms)
        snprintf(r->buf[13], sizeof(r->buf[13]), "%s%s%.40s%s", o->customs[0].list,
                 *o->customs[0].entry_id ? " / " : "", o->customs[0].entry_id,
                 o->ncustoms > 1 ? " ..." : "");
    point(r, cells, 14);
    return HC_OK;
}

static int fee_row(void *ctx, size_t i, const char **cells)
{
    struct rows *r = ctx;
    const struct hc_settle_fee *f = &r->st->fees[i];
    text(r, 0, f->order);
    text(r, 1, L(r->lang, hc_fee_type_names[f->type]));
    char src[32];
    snprintf(src, sizeof(src), "src_%s", f->source);
    text(r, 2, L(r->lang, src));
    text(r, 3, *f->reference ? f->reference : f->ref);
    text(r, 4, f->day);
    money(r, 5, f->orig_minor, f->orig_currency);
    text(r, 6, f->orig_currency);
    text(r, 7, f->fx_rate);
    text(r, 8, f->fx_day);
    money(r, 9, f->minor, f->currency);
    text(r, 10, f->currency);
    r->buf[11][0] = '\0';
    if (f->basis_of > 0) {
        char x[40], y[40];
        int scale = hc_currency_scale(f->orig_currency);
        hc_decimal_format(f->basis, scale < 0 ? 2 : scale, x, sizeof(x));
        hc_decimal_format(f->basis_of, scale < 0 ? 2 : scale, y, sizeof(y));
        snprintf(r->buf[11], sizeof(r->buf[11]), "%s / %s", x, y);
    }
    point(r, cells, 12);
    return HC_OK;
}

static int custom_row(void *ctx, size_t i, const char **cells)
{
    struct rows *r = ctx;
    const struct hc_settle_customs *c = &r->st->customs[i];
    text(r, 0, c->order);
    text(r, 1, c->sku);
    num(r, 2, c->qty);
    text(r, 3, L(r->lang, c->rule));
    text(r, 4, c->list);
    text(r, 5, c->trade_mode);
    if (c->gnum)
        num(r, 6, c->gnum);
    else
        text(r, 6, "");
    text(r, 7, c->entry_id);
    if (c->entry_gnum)
        num(r, 8, c->entry_gnum);
    else
        text(r, 8, "");
    text(r, 9, c->lot);
    point(r, cells, 10);
    return HC_OK;
}

static int pool_row(void *ctx, size_t i, const char **cells)
{
    struct rows *r = ctx;
    const struct hc_settle_pool *p = &r->st->pools[i];
    text(r, 0, L(r->lang, hc_fee_type_names[p->type]));
    text(r, 1, p->warehouse);
    text(r, 2, p->currency);
    money(r, 3, p->minor, p->currency);
    num(r, 4, p->items);
    text(r, 5, L(r->lang, p->allocated ? "yes" : "no"));
    point(r, cells, 6);
    return HC_OK;
}

static void head(struct hc_doc_table *t, const char *lang, const char *const *keys, size_t n,
                 const bool *numeric)
{
    t->ncols = n;
    for (size_t i = 0; i < n; i++) {
        t->head[i] = L(lang, keys[i]);
        t->numeric[i] = numeric[i];
        t->width[i] = 1;
    }
}

int hc_settlement_doc(hc_arena *a, const struct hc_settlement *st, const char *lang,
                      struct hc_doc *out)
{
    memset(out, 0, sizeof(*out));
    out->title = L(lang, "title");
    out->meta[0][0] = L(lang, "seller");
    out->meta[0][1] = st->seller;
    out->meta[1][0] = L(lang, "period");
    out->meta[1][1] = hc_arena_printf(a, "%s .. %s", st->from, st->to);
    out->meta[2][0] = L(lang, "rule");
    out->meta[2][1] = L(lang, "rule_v");
    out->nmeta = 3;
    out->footer = L(lang, "footer");
    struct hc_doc_table *t = hc_arena_alloc(a, 5 * sizeof(*t));
    struct rows *r = hc_arena_alloc(a, 5 * sizeof(*r));
    for (int i = 0; i < 5; i++) {
        r[i].st = st;
        r[i].lang = lang;
    }
    static const char *const tk[] = {"currency", "count", "gross", "storage", "fulfilment",
                                     "head_haul", "last_mile", "taxes", "compensation",
                                     "advertising", "fees_total", "net", "net_wo"};
    static const bool tn[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    t[0] = (struct hc_doc_table){.title = L(lang, "totals"), .sheet = "Totals",
                                 .nrows = st->ntotals, .row = total_row, .ctx = &r[0]};
    head(&t[0], lang, tk, 13, tn);
    static const char *const ok[] = {"order", "channel", "sold", "currency", "gross",
                                     "storage", "fulfilment", "head_haul", "last_mile",
                                     "taxes", "compensation", "advertising", "net", "list"};
    static const bool on[] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    t[1] = (struct hc_doc_table){.title = L(lang, "orders"), .sheet = "Orders",
                                 .nrows = st->norders, .row = order_row, .ctx = &r[1]};
    head(&t[1], lang, ok, 14, on);
    t[1].width[0] = t[1].width[1] = t[1].width[13] = 1.6;
    static const char *const fk[] = {"order", "type", "source", "ref", "day", "amount",
                                     "currency", "rate", "fx_day", "netted", "currency",
                                     "basis"};
    static const bool fn[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
    t[2] = (struct hc_doc_table){.title = L(lang, "fees"), .sheet = "Fees", .nrows = st->nfees,
                                 .row = fee_row, .ctx = &r[2]};
    head(&t[2], lang, fk, 12, fn);
    static const char *const ck[] = {"order", "sku", "qty", "source", "list", "mode", "gnum",
                                     "entry", "entry_gnum", "lot"};
    static const bool cn[] = {0, 0, 1, 0, 0, 0, 1, 0, 1, 0};
    t[3] = (struct hc_doc_table){.title = L(lang, "customs"), .sheet = "Customs",
                                 .nrows = st->ncustoms, .row = custom_row, .ctx = &r[3]};
    head(&t[3], lang, ck, 10, cn);
    static const char *const pk[] = {"type", "warehouse", "currency", "amount", "items",
                                     "allocated"};
    static const bool pn[] = {0, 0, 0, 1, 1, 0};
    t[4] = (struct hc_doc_table){.title = L(lang, "pools"), .sheet = "Pools",
                                 .nrows = st->npools, .row = pool_row, .ctx = &r[4]};
    head(&t[4], lang, pk, 6, pn);
    out->tables = t;
    out->ntables = 5;
    return HC_OK;
}

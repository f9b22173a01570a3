/* document.c: statements and invoices as render documents (src/render),
 * labelled in Chinese or English. Amounts are decimal strings in their
 * currency's minor units; times are Beijing time, as the month is. */
#include "finance.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "render/render.h"

struct label {
    const char *key, *en, *zh;
};

static const struct label labels[] = {
    {"statement", "Statement", "对账单"},
    {"invoice", "Invoice", "发票"},
    {"seller", "Seller", "卖家"},
    {"month", "Month", "月份"},
    {"period", "Period (Beijing time)", "期间（北京时间）"},
    {"summary", "Balances by currency", "各币种余额"},
    {"by_kind", "Totals by type", "按类型汇总"},
    {"lines", "Postings", "明细"},
    {"currency", "Currency", "币种"},
    {"opening", "Opening", "期初余额"},
    {"credits", "Credits", "收入"},
    {"debits", "Debits", "支出"},
    {"closing", "Closing", "期末余额"},
    {"count", "Lines", "笔数"},
    {"type", "Type", "类型"},
    {"amount", "Amount", "金额"},
    {"date", "Date", "日期"},
    {"cause", "Cause", "来源"},
    {"warehouse", "Warehouse", "仓库"},
    {"memo", "Memo", "说明"},
    {"balance", "Balance", "余额"},
    {"entry", "Entry", "分录"},
    {"number", "Number", "发票号"},
    {"issuer", "Issuer", "开票方"},
    {"issued", "Issued", "开票时间"},
    {"total", "Total", "合计"},
    {"charges", "Charges", "费用"},
    {"stmt_footer",
     "Amounts as seen by the seller: top-ups +, charges -. closing = opening + credits + debits.",
     "金额以卖家视角列示：充值为正，费用为负。期末余额 = 期初余额 + 收入 + 支出。"},
    {"inv_footer", "Charges booked by the warehouse for the seller in the month.",
     "本月仓库为卖家记账的费用。"},
    /* cause kinds */
    {"order", "Order", "订单"},
    {"inbound", "Inbound", "入库"},
    {"return", "Return", "退货"},
    {"storage", "Storage", "仓储"},
    {"topup", "Top-up", "充值"},
    {"service", "Service", "增值服务"},
    {"shipment", "Shipment", "头程"},
    {"journal", "Goods journal", "库存流水"},
    {"fx", "FX", "汇兑"},
    {"correction", "Correction", "更正"},
};

static const char *L(const char *lang, const char *key)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i].key, key) == 0)
            return zh ? labels[i].zh : labels[i].en;
    return key;
}

static void money(int64_t minor, const char *currency, char *buf, size_t size)
{
    int scale = hc_currency_scale(currency);
    hc_decimal_format(minor, scale < 0 ? 2 : scale, buf, size);
}

static void beijing(int64_t ms, char *buf, size_t size)
{
    struct tm tm;
    hc_time_beijing(ms, &tm);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
}

struct rows {
    const struct hc_statement *st;
    const struct hc_invoice *inv;
    const char *lang;
    char b[5][64];
};

static int total_row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    const struct hc_statement_total *t = &r->st->totals[i];
    money(t->opening, t->currency, r->b[0], sizeof(r->b[0]));
    money(t->credits, t->currency, r->b[1], sizeof(r->b[1]));
    money(t->debits, t->currency, r->b[2], sizeof(r->b[2]));
    money(t->closing, t->currency, r->b[3], sizeof(r->b[3]));
    snprintf(r->b[4], sizeof(r->b[4]), "%lld", (long long)t->lines);
    c[0] = t->currency;
    c[1] = r->b[0];
    c[2] = r->b[1];
    c[3] = r->b[2];
    c[4] = r->b[3];
    c[5] = r->b[4];
    return HC_OK;
}

static int kind_row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    const struct hc_statement_kind *k = &r->st->kinds[i];
    snprintf(r->b[0], sizeof(r->b[0]), "%lld", (long long)k->lines);
    money(k->amount, k->currency, r->b[1], sizeof(r->b[1]));
    c[0] = k->currency;
    c[1] = L(r->lang, k->cause_kind);
    c[2] = r->b[0];
    c[3] = r->b[1];
    return HC_OK;
}

static int line_row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    const struct hc_statement_line *l = &r->st->lines[i];
    beijing(l->at, r->b[0], sizeof(r->b[0]));
    money(l->amount, l->currency, r->b[1], sizeof(r->b[1]));
    money(l->balance, l->currency, r->b[2], sizeof(r->b[2]));
    c[0] = r->b[0];
    c[1] = L(r->lang, l->cause_kind);
    c[2] = l->cause_id;
    c[3] = l->warehouse;
    c[4] = l->memo;
    c[5] = l->currency;
    c[6] = r->b[1];
    c[7] = r->b[2];
    c[8] = l->entry;
    return HC_OK;
}

static void head(struct hc_doc_table *t, const char *lang, const char *const *keys,
                 const double *widths, const bool *numeric, size_t n)
{
    t->ncols = n;
    for (size_t i = 0; i < n; i++) {
        t->head[i] = L(lang, keys[i]);
        t->width[i] = widths[i];
        t->numeric[i] = numeric[i];
    }
}

int hc_statement_doc(hc_arena *a, const struct hc_statement *st, const char *lang,
                     struct hc_doc *d)
{
    memset(d, 0, sizeof(*d));
    struct hc_doc_table *t = hc_arena_alloc(a, 3 * sizeof(*t));
    struct rows *r[3];
    for (int i = 0; i < 3; i++) {
        r[i] = hc_arena_alloc(a, sizeof(*r[i]));
        r[i]->st = st;
        r[i]->lang = lang;
    }
    char from[64], to[64];
    beijing(st->from_ms, from, sizeof(from));
    beijing(st->to_ms, to, sizeof(to));
    d->title = hc_arena_printf(a, "%s %s %s", L(lang, "statement"), st->seller, st->month);
    d->meta[0][0] = L(lang, "seller");
    d->meta[0][1] = st->seller;
    d->meta[1][0] = L(lang, "month");
    d->meta[1][1] = st->month;
    d->meta[2][0] = L(lang, "period");
    d->meta[2][1] = hc_arena_printf(a, "%s – %s", from, to);
    d->nmeta = 3;

    static const char *const k0[] = {"currency", "opening", "credits", "debits", "closing", "count"};
    static const double w0[] = {1, 2, 2, 2, 2, 1};
    static const bool n0[] = {false, true, true, true, true, true};
    head(&t[0], lang, k0, w0, n0, 6);
    t[0].title = L(lang, "summary");
    t[0].sheet = "Summary";
    t[0].nrows = st->ntotals;
    t[0].row = total_row;
    t[0].ctx = r[0];

    static const char *const k1[] = {"currency", "type", "count", "amount"};
    static const double w1[] = {1, 2, 1, 2};
    static const bool n1[] = {false, false, true, true};
    head(&t[1], lang, k1, w1, n1, 4);
    t[1].title = L(lang, "by_kind");
    t[1].sheet = "By type";
    t[1].nrows = st->nkinds;
    t[1].row = kind_row;
    t[1].ctx = r[1];

    static const char *const k2[] = {"date",     "type",   "cause",   "warehouse", "memo",
                                     "currency", "amount", "balance", "entry"};
    static const double w2[] = {2.3, 1.3, 2.4, 1.6, 2.5, 1.3, 1.6, 1.7, 2.3};
    static const bool n2[] = {false, false, false, false, false, false, true, true, false};
    head(&t[2], lang, k2, w2, n2, 9);
    t[2].title = L(lang, "lines");
    t[2].sheet = "Postings";
    t[2].nrows = st->nlines;
    t[2].row = line_row;
    t[2].ctx = r[2];

    d->tables = t;
    d->ntables = 3;
    d->footer = L(lang, "stmt_footer");
    return HC_OK;
}

static int inv_line_row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    const struct hc_invoice_line *l = &r->inv->lines[i];
    snprintf(r->b[0], sizeof(r->b[0]), "%lld", (long long)l->lines);
    money(l->amount, l->currency, r->b[1], sizeof(r->b[1]));
    c[0] = L(r->lang, l->cause_kind);
    c[1] = l->currency;
    c[2] = r->b[0];
    c[3] = r->b[1];
    return HC_OK;
}

static int inv_total_row(void *ctx, size_t i, const char **c)
{
    struct rows *r = ctx;
    const struct hc_invoice_total *t = &r->inv->totals[i];
    money(t->amount, t->currency, r->b[0], sizeof(r->b[0]));
    c[0] = t->currency;
    c[1] = r->b[0];
    return HC_OK;
}

int hc_invoice_doc(hc_arena *a, const struct hc_invoice *inv, const char *lang,
                   struct hc_doc *d)
{
    memset(d, 0, sizeof(*d));
    struct hc_doc_table *t = hc_arena_alloc(a, 2 * sizeof(*t));
    struct rows *r[2];
    for (int i = 0; i < 2; i++) {
        r[i] = hc_arena_alloc(a, sizeof(*r[i]));
        r[i]->inv = inv;
        r[i]->lang = lang;
    }
    char issued[64];
    beijing(inv->issued_at, issued, sizeof(issued));
    d->title = hc_arena_printf(a, "%s %s", L(lang, "invoice"), inv->number);
    const char *meta[][2] = {{"number", inv->number},
                             {"issuer", inv->issuer},
                             {"seller", inv->seller},
                             {"month", inv->month},
                             {"issued", hc_arena_strdup(a, issued)}};
    for (size_t i = 0; i < 5; i++) {
        d->meta[i][0] = L(lang, meta[i][0]);
        d->meta[i][1] = meta[i][1];
    }
    d->nmeta = 5;
    static const char *const k0[] = {"type", "currency", "count", "amount"};
    static const double w0[] = {2, 1, 1, 2};
    static const bool n0[] = {false, false, true, true};
    head(&t[0], lang, k0, w0, n0, 4);
    t[0].title = L(lang, "charges");
    t[0].sheet = "Charges";
    t[0].nrows = inv->nlines;
    t[0].row = inv_line_row;
    t[0].ctx = r[0];
    static const char *const k1[] = {"currency", "total"};
    static const double w1[] = {1, 2};
    static const bool n1[] = {false, true};
    head(&t[1], lang, k1, w1, n1, 2);
    t[1].title = L(lang, "total");
    t[1].sheet = "Total";
    t[1].nrows = inv->ntotals;
    t[1].row = inv_total_row;
    t[1].ctx = r[1];
    d->tables = t;
    d->ntables = 2;
    d->footer = L(lang, "inv_footer");
    return HC_OK;
}

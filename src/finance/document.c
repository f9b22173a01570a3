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

/* A column: its heading (a key of L), its relative width in the PDF, numeric or not. */
struct col {
    const char *key;
    double width;
    bool numeric;
};

/* A table of a document: its title (a key of L), its XLSX sheet, its columns
 * and how a row is drawn. */
struct table_spec {
    const char *title;
    const char *sheet;
    const struct col *cols;
    size_t ncols;
    int (*row)(void *ctx, size_t i, const char **cells);
};

static void table(struct hc_doc_table *t, const char *lang, const struct table_spec *s,
                  size_t nrows, void *ctx)
{
    t->ncols = s->ncols;
    for (size_t i = 0; i < s->ncols; i++) {
        t->head[i] = L(lang, s->cols[i].key);
        t->width[i] = s->cols[i].width;
        t->numeric[i] = s->cols[i].numeric;
    }
    t->title = L(lang, s->title);
    t->sheet = s->sheet;
    t->nrows = nrows;
    t->row = s->row;
    t->ctx = ctx;
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

    static const struct col c0[] = {{"currency", 1, false}, {"opening", 2, true},
                                    {"credits", 2, true},   {"debits", 2, true},
                                    {"closing", 2, true},   {"count", 1, true}};
    static const struct col c1[] = {
        {"currency", 1, false}, {"type", 2, false}, {"count", 1, true}, {"amount", 2, true}};
    static const struct col c2[] = {
        {"date", 2.3, false},     {"type", 1.3, false},   {"cause", 2.4, false},
        {"warehouse", 1.6, false}, {"memo", 2.5, false},  {"currency", 1.3, false},
        {"amount", 1.6, true},    {"balance", 1.7, true}, {"entry", 2.3, false}};
    static const struct table_spec spec[] = {
        {"summary", "Summary", c0, HC_ARRAY_LEN(c0), total_row},
        {"by_kind", "By type", c1, HC_ARRAY_LEN(c1), kind_row},
        {"lines", "Postings", c2, HC_ARRAY_LEN(c2), line_row}};
    table(&t[0], lang, &spec[0], st->ntotals, r[0]);
    table(&t[1], lang, &spec[1], st->nkinds, r[1]);
    table(&t[2], lang, &spec[2], st->nlines, r[2]);

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
    static const struct col c0[] = {
        {"type", 2, false}, {"currency", 1, false}, {"count", 1, true}, {"amount", 2, true}};
    static const struct col c1[] = {{"currency", 1, false}, {"total", 2, true}};
    static const struct table_spec spec[] = {
        {"charges", "Charges", c0, HC_ARRAY_LEN(c0), inv_line_row},
        {"total", "Total", c1, HC_ARRAY_LEN(c1), inv_total_row}};
    table(&t[0], lang, &spec[0], inv->nlines, r[0]);
    table(&t[1], lang, &spec[1], inv->ntotals, r[1]);
    d->tables = t;
    d->ntables = 2;
    d->footer = L(lang, "inv_footer");
    return HC_OK;
}

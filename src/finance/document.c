/* document.c: statements and invoices as render documents (src/render),
 * labelled in Chinese or English. Amounts are decimal strings in their
 * currency's minor units; times are Beijing time, as the month is. */
#include "finance.h"

#include <stdio.h>
#include <stdlib.h>
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
    {"by_day", "Totals by day and type", "按日、按类型汇总"},
    {"day", "Day", "日期"},
    {"day_balance", "Balance at day end", "日终余额"},
    {"lines_elsewhere",
     "%s postings: too many to list one by one in a PDF. Every posting is listed in the XLSX "
     "and CSV of this statement.",
     "共 %s 笔明细，PDF 不逐笔列出；每一笔都列在本对账单的 XLSX 与 CSV 中。"},
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
    /* a statement's lines repeat these: the last one's answer is kept */
    const char *kind, *kind_label; /* cause kind (interned) and its label */
    const char *currency;          /* (interned) */
    int scale;
    int64_t day; /* Beijing day number of b[0]'s date, or -1 */
};

/* minor as a decimal of scale places ("-12.34"), as hc_decimal_format
 * prints it, without printf: buf holds 32 bytes. */
static void decimal(int64_t minor, int scale, char *buf)
{
    uint64_t a = minor < 0 ? (uint64_t)(-(minor + 1)) + 1 : (uint64_t)minor;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a > 0 || n <= scale);
    char *o = buf;
    if (minor < 0)
        *o++ = '-';
    for (int i = n; i-- > 0;) {
        *o++ = digits[i];
        if (i == scale && scale > 0)
            *o++ = '.';
    }
    *o = '\0';
}

/* A line's amount in its currency's minor units, the scale looked up once
 * per currency run. */
static void line_money(struct rows *r, int64_t minor, const char *currency, char *buf)
{
    if (currency != r->currency) {
        int scale = hc_currency_scale(currency);
        r->scale = scale < 0 ? 2 : scale;
        r->currency = currency;
    }
    decimal(minor, r->scale, buf);
}

/* "YYYY-MM-DD HH:MM" Beijing time into r->b[0]; the date part is kept
 * while the day does not change. */
static void line_time(struct rows *r, int64_t ms)
{
    int64_t local = ms + HC_BEIJING_OFFSET_MS;
    if (local < 0) {
        beijing(ms, r->b[0], sizeof(r->b[0]));
        r->day = -1;
        return;
    }
    int64_t day = local / HC_DAY_MS, min = local % HC_DAY_MS / 60000;
    if (day != r->day) {
        beijing(ms, r->b[0], sizeof(r->b[0])); /* "YYYY-MM-DD HH:MM" */
        r->day = day;
    }
    char *hm = r->b[0] + 11;
    hm[0] = (char)('0' + min / 600);
    hm[1] = (char)('0' + min / 60 % 10);
    hm[3] = (char)('0' + min % 60 / 10);
    hm[4] = (char)('0' + min % 10);
}

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
    line_time(r, l->at);
    line_money(r, l->amount, l->currency, r->b[1]);
    line_money(r, l->balance, l->currency, r->b[2]);
    if (l->cause_kind != r->kind) {
        r->kind = l->cause_kind;
        r->kind_label = L(r->lang, l->cause_kind);
    }
    c[0] = r->b[0];
    c[1] = r->kind_label;
    c[2] = l->cause_id;
    c[3] = l->warehouse;
    c[4] = l->memo;
    c[5] = l->currency;
    c[6] = r->b[1];
    c[7] = r->b[2];
    c[8] = l->entry;
    return HC_OK;
}

/* A statement's lines summed per Beijing day, currency and cause kind (the
 * PDF of a long statement), in day order, then currency and kind. */
struct day_sum {
    int64_t day; /* ms of the day's first line */
    const char *currency, *cause_kind;
    int64_t lines, amount;
    int64_t balance; /* after the row's last line; the day's on the last row */
    size_t pos;      /* index of the row's last line */
    bool last;       /* last row of its day and currency */
};
struct days {
    struct rows r;
    struct day_sum *d;
    size_t n;
};

static int by_day_row(const void *x, const void *y)
{
    const struct day_sum *a = x, *b = y;
    if (a->day / HC_DAY_MS != b->day / HC_DAY_MS)
        return a->day < b->day ? -1 : 1;
    int c = strcmp(a->currency, b->currency);
    return c ? c : strcmp(a->cause_kind, b->cause_kind);
}

/* Adds line l to the rows of its day (those from `from` on). */
static void day_add(struct days *ds, size_t from, int64_t day_no, size_t pos,
                    const struct hc_statement_line *l)
{
    size_t k = from;
    while (k < ds->n && (strcmp(ds->d[k].currency, l->currency) != 0 ||
                         strcmp(ds->d[k].cause_kind, l->cause_kind) != 0))
        k++;
    if (k == ds->n) {
        ds->d[k] = (struct day_sum){.day = day_no * HC_DAY_MS, .currency = l->currency,
                                    .cause_kind = l->cause_kind};
        ds->n++;
    }
    ds->d[k].lines++;
    ds->d[k].amount += l->amount;
    ds->d[k].balance = l->balance;
    ds->d[k].pos = pos;
}

/* Sorts a day's rows; the last row of each currency gets the currency's
 * balance after the day (that of the day's last line in it). */
static void day_close(struct days *ds, size_t from)
{
    qsort(ds->d + from, ds->n - from, sizeof(*ds->d), by_day_row);
    size_t g = from;
    for (size_t k = from; k < ds->n; k++) {
        if (k + 1 < ds->n && strcmp(ds->d[k + 1].currency, ds->d[k].currency) == 0)
            continue;
        size_t latest = g;
        for (size_t j = g; j <= k; j++)
            if (ds->d[j].pos > ds->d[latest].pos)
                latest = j;
        ds->d[k].last = true;
        ds->d[k].balance = ds->d[latest].balance;
        g = k + 1;
    }
}

static struct days *days_of(hc_arena *a, const struct hc_statement *st, const char *lang)
{
    struct days *ds = hc_arena_alloc(a, sizeof(*ds));
    ds->r.st = st;
    ds->r.lang = lang;
    ds->r.day = -1;
    /* at most one row per line; far fewer in practice (days x currencies x kinds) */
    size_t cap = st->nlines < 4096 ? st->nlines : 4096;
    ds->d = hc_arena_alloc(a, (cap ? cap : 1) * sizeof(*ds->d));
    size_t from = 0;
    int64_t cur = -1;
    for (size_t i = 0; i < st->nlines; i++) {
        const struct hc_statement_line *l = &st->lines[i];
        int64_t day_no = (l->at + HC_BEIJING_OFFSET_MS) / HC_DAY_MS;
        if (day_no != cur) {
            if (cur >= 0)
                day_close(ds, from);
            from = ds->n;
            cur = day_no;
        }
        if (ds->n == cap) { /* grow */
            struct day_sum *d = hc_arena_alloc(a, 2 * cap * sizeof(*d));
            memcpy(d, ds->d, ds->n * sizeof(*d));
            ds->d = d;
            cap *= 2;
        }
        day_add(ds, from, day_no, i, l);
    }
    if (cur >= 0)
        day_close(ds, from);
    return ds;
}

static int day_row(void *ctx, size_t i, const char **c)
{
    struct days *ds = ctx;
    const struct day_sum *d = &ds->d[i];
    struct rows *r = &ds->r;
    struct tm tm;
    hc_time_beijing(d->day - HC_BEIJING_OFFSET_MS, &tm);
    snprintf(r->b[0], sizeof(r->b[0]), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
    snprintf(r->b[1], sizeof(r->b[1]), "%lld", (long long)d->lines);
    money(d->amount, d->currency, r->b[2], sizeof(r->b[2]));
    if (d->last)
        money(d->balance, d->currency, r->b[3], sizeof(r->b[3]));
    c[0] = r->b[0];
    c[1] = d->currency;
    c[2] = L(r->lang, d->cause_kind);
    c[3] = r->b[1];
    c[4] = r->b[2];
    c[5] = d->last ? r->b[3] : "";
    return HC_OK;
}

/* 1234567 as "1,234,567". */
static void grouped(int64_t v, char *buf, size_t size)
{
    char plain[32];
    int n = snprintf(plain, sizeof(plain), "%lld", (long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && plain[i - 1] != '-' && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = plain[i];
    }
    buf[o] = '\0';
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

/* A long statement's PDF: the lines (still in the XLSX and CSV) replaced by
 * their sums per day, currency and type, under a title that says so. */
static void by_day(hc_arena *a, const struct hc_statement *st, const char *lang,
                   struct hc_doc *d, struct hc_doc_table *lines, struct hc_doc_table *t)
{
    static const struct col c[] = {{"day", 2, false},   {"currency", 1, false},
                                   {"type", 2, false},  {"count", 1.2, true},
                                   {"amount", 2, true}, {"day_balance", 2.2, true}};
    static const struct table_spec spec = {"by_day", NULL, c, HC_ARRAY_LEN(c), day_row};
    struct days *ds = days_of(a, st, lang);
    table(t, lang, &spec, ds->n, ds);
    char count[32];
    grouped((int64_t)st->nlines, count, sizeof(count));
    t->note = hc_arena_printf(a, L(lang, "lines_elsewhere"), count);
    t->formats = HC_DOC_PDF;
    lines->formats = HC_DOC_XLSX | HC_DOC_CSV;
    d->ntables = 4;
}

int hc_statement_doc(hc_arena *a, const struct hc_statement *st, const char *lang,
                     struct hc_doc *d)
{
    memset(d, 0, sizeof(*d));
    struct hc_doc_table *t = hc_arena_alloc(a, 4 * sizeof(*t));
    struct rows *r[3];
    for (int i = 0; i < 3; i++) {
        r[i] = hc_arena_alloc(a, sizeof(*r[i]));
        r[i]->st = st;
        r[i]->lang = lang;
        r[i]->day = -1;
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
        {"date", 2.3, false},      {"type", 1.3, false},   {"cause", 2.4, false},
        {"warehouse", 1.1, false}, {"memo", 2.4, false},   {"currency", 1.0, false},
        {"amount", 1.6, true},     {"balance", 1.7, true}, {"entry", 3.3, false}};
    static const struct table_spec spec[] = {
        {"summary", "Summary", c0, HC_ARRAY_LEN(c0), total_row},
        {"by_kind", "By type", c1, HC_ARRAY_LEN(c1), kind_row},
        {"lines", "Postings", c2, HC_ARRAY_LEN(c2), line_row}};
    table(&t[0], lang, &spec[0], st->ntotals, r[0]);
    table(&t[1], lang, &spec[1], st->nkinds, r[1]);
    table(&t[2], lang, &spec[2], st->nlines, r[2]);
    d->tables = t;
    d->ntables = 3;
    if (st->nlines > HC_STATEMENT_PDF_LINES)
        by_day(a, st, lang, d, &t[2], &t[3]);
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

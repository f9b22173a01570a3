/* Unit tests for statements and invoices (src/finance/statement.c,
 * invoice.c, document.c): a seller's October 2026 checked line by line
 * against figures worked out by hand below (Beijing month edges included),
 * opening + lines = closing per currency, the current month refused, and
 * invoice numbers per issuer without gaps when a transaction fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "helpers.h"
#include "catalog/catalog.h"
#include "finance/finance.h"
#include "render/render.h"

static char url[512];

/* UTC ms of a "YYYY-MM-DDTHH:MM:SSZ" time */
static int64_t t(const char *iso)
{
    int64_t ms = 0;
    assert_int_equal(hc_time_parse_iso(iso, &ms), HC_OK);
    return ms;
}

/* One entry of two lines: Dr `debit`, Cr `credit`, minor > 0. */
static void book(hc_store *s, const char *seller, const char *kind, const char *id,
                 const char *debit, const char *credit, const char *cur, int64_t minor,
                 int64_t at)
{
    struct hc_money_line l[2] = {{debit, cur, minor, NULL, NULL, "memo, with a comma"},
                                 {credit, cur, -minor, NULL, NULL, "memo, with a comma"}};
    struct hc_money_entry e = {.actor = "t", .cause_kind = kind, .cause_id = id,
                               .seller = seller, .warehouse = "DE-DUI", .at = at, .lines = l,
                               .nlines = 2};
    struct hc_money_posted p;
    hc_err err = {0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_money_post(s, &e, &p, &err), HC_OK);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
}

#define W1 "seller/S1/wallet"
#define W2 "seller/S2/wallet"
#define REV "wh/DE-DUI/revenue"

/* The books of the tests: S1 and S2 at DE-DUI, September to November 2026. */
static hc_store *books(void)
{
    static bool booked;
    hc_store *s = test_store(url);
    hc_err err = {0};
    if (booked)
        return s;
    booked = true;
    struct hc_seller s1 = {"S1", "Seller one", "CN", NULL, NULL, 0};
    struct hc_seller s2 = {"S2", "Seller two", "CN", NULL, NULL, 0};
    struct hc_warehouse w = {.code = "DE-DUI", .name = "Duisburg", .country = "DE",
                             .address_json = "{}", .timezone = "Europe/Berlin",
                             .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    struct hc_warehouse w2 = w;
    w2.code = "US-LAX";
    w2.timezone = "America/Los_Angeles";
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &s1, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &s2, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &w, &err), HC_OK);
    assert_int_equal(hc_warehouse_create(s, &w2, &err), HC_OK);
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    /* September (Beijing): a top-up of 500.00 and a storage day of 1.25 at
     * 23:30 Beijing on the 30th (15:30 UTC) */
    book(s, "S1", "topup", "bank-1", "seller/S1/receipts", W1, "EUR", 50000,
         t("2026-09-20T02:00:00Z"));
    book(s, "S1", "storage", "DE-DUI/2026-09-30", W1, REV, "EUR", 125, t("2026-09-30T15:30:00Z"));
    /* October: 00:30 Beijing on the 1st is still 30 September in UTC */
    book(s, "S1", "order", "ord_1", W1, REV, "EUR", 340, t("2026-09-30T16:30:00Z"));
    book(s, "S1", "inbound", "inb_1", W1, REV, "EUR", 1200, t("2026-10-05T08:00:00Z"));
    book(s, "S1", "topup", "bank-2", "seller/S1/receipts", W1, "USD", 10000,
         t("2026-10-10T08:00:00Z"));
    book(s, "S1", "correction", "mny_x", REV, W1, "EUR", 100, t("2026-10-15T08:00:00Z"));
    book(s, "S1", "return", "ret_1", W1, REV, "USD", 250, t("2026-10-20T08:00:00Z"));
    book(s, "S1", "storage", "DE-DUI/2026-10-31", W1, REV, "EUR", 75,
         t("2026-10-31T15:59:59Z"));
    /* November 00:00 Beijing: not October's */
    book(s, "S1", "order", "ord_2", W1, REV, "EUR", 999, t("2026-10-31T16:00:00Z"));
    /* S2: its own money, never on S1's statement */
    book(s, "S2", "topup", "bank-3", "seller/S2/receipts", W2, "EUR", 5000,
         t("2026-10-02T08:00:00Z"));
    book(s, "S2", "order", "ord_3", W2, REV, "EUR", 200, t("2026-10-03T08:00:00Z"));
    return s;
}

static void statement_line_by_line(void **state)
{
    hc_store *s = books();
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_statement st;
    assert_int_equal(hc_statement_build(s, a, "S1", "2026-10", t("2026-11-05T00:00:00Z"), &st,
                                        &err),
                     HC_OK);
    assert_int_equal(st.from_ms, t("2026-09-30T16:00:00Z"));
    assert_int_equal(st.to_ms, t("2026-10-31T16:00:00Z"));
    /* by hand, in booking time order */
    static const struct {
        const char *kind, *id, *cur;
        int64_t amount, balance;
    } want[] = {
        {"order", "ord_1", "EUR", -340, 49875 - 340},        /* 498.75 - 3.40 = 495.35 */
        {"inbound", "inb_1", "EUR", -1200, 49535 - 1200},    /* 483.35 */
        {"topup", "bank-2", "USD", 10000, 10000},            /* 100.00 */
        {"correction", "mny_x", "EUR", 100, 48335 + 100},    /* 484.35 */
        {"return", "ret_1", "USD", -250, 9750},              /* 97.50 */
        {"storage", "DE-DUI/2026-10-31", "EUR", -75, 48360}, /* 483.60 */
    };
    assert_int_equal(st.nlines, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(st.lines[i].cause_kind, want[i].kind);
        assert_string_equal(st.lines[i].cause_id, want[i].id);
        assert_string_equal(st.lines[i].currency, want[i].cur);
        assert_int_equal(st.lines[i].amount, want[i].amount);
        assert_int_equal(st.lines[i].balance, want[i].balance);
        assert_string_equal(st.lines[i].warehouse, "DE-DUI");
    }
    assert_int_equal(st.ntotals, 2);
    /* EUR: 500.00 - 1.25 = 498.75 opening; credits 1.00; debits
     * -(3.40 + 12.00 + 0.75) = -16.15; closing 483.60 */
    assert_string_equal(st.totals[0].currency, "EUR");
    assert_int_equal(st.totals[0].opening, 49875);
    assert_int_equal(st.totals[0].credits, 100);
    assert_int_equal(st.totals[0].debits, -1615);
    assert_int_equal(st.totals[0].closing, 48360);
    assert_int_equal(st.totals[0].lines, 4);
    assert_string_equal(st.totals[1].currency, "USD");
    assert_int_equal(st.totals[1].opening, 0);
    assert_int_equal(st.totals[1].credits, 10000);
    assert_int_equal(st.totals[1].debits, -250);
    assert_int_equal(st.totals[1].closing, 9750);
    /* opening + every line = closing, per currency; the closing balance is
     * also what the wallet held at the month's end */
    for (size_t c = 0; c < st.ntotals; c++) {
        int64_t sum = st.totals[c].opening;
        for (size_t i = 0; i < st.nlines; i++)
            if (strcmp(st.lines[i].currency, st.totals[c].currency) == 0)
                sum += st.lines[i].amount;
        assert_int_equal(sum, st.totals[c].closing);
    }
    /* by type: EUR correction, inbound, order, storage; USD return, topup */
    static const struct {
        const char *cur, *kind;
        int64_t amount;
    } kinds[] = {{"EUR", "correction", 100}, {"EUR", "inbound", -1200}, {"EUR", "order", -340},
                 {"EUR", "storage", -75},    {"USD", "return", -250},   {"USD", "topup", 10000}};
    assert_int_equal(st.nkinds, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(st.kinds[i].currency, kinds[i].cur);
        assert_string_equal(st.kinds[i].cause_kind, kinds[i].kind);
        assert_int_equal(st.kinds[i].amount, kinds[i].amount);
        assert_int_equal(st.kinds[i].lines, 1);
    }
    /* November opens where October closed */
    struct hc_statement nov;
    assert_int_equal(hc_statement_build(s, a, "S1", "2026-11", t("2026-12-01T00:00:00Z"), &nov,
                                        &err),
                     HC_OK);
    assert_int_equal(nov.ntotals, 2);
    assert_int_equal(nov.totals[0].opening, 48360);
    assert_int_equal(nov.totals[0].closing, 48360 - 999);
    assert_int_equal(nov.totals[1].opening, 9750);
    /* S2 sees its own two lines only */
    struct hc_statement s2;
    assert_int_equal(hc_statement_build(s, a, "S2", "2026-10", t("2026-11-05T00:00:00Z"), &s2,
                                        &err),
                     HC_OK);
    assert_int_equal(s2.nlines, 2);
    assert_int_equal(s2.totals[0].closing, 4800);
    hc_arena_free(a);
    hc_store_close(s);
}

static void month_must_have_ended(void **state)
{
    hc_store *s = books();
    hc_arena *a = hc_arena_new(1 << 12);
    hc_err err = {0};
    struct hc_statement st;
    /* 23:59 Beijing on 31 October: October is running */
    assert_int_equal(hc_statement_build(s, a, "S1", "2026-10", t("2026-10-31T15:59:00Z"), &st,
                                        &err),
                     HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    hc_err_clear(&err);
    assert_int_equal(hc_statement_build(s, a, "S1", "2027-01", t("2026-11-05T00:00:00Z"), &st,
                                        &err),
                     HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    static const char *bad[] = {"2026-1", "2026-13", "2026-00", "26-10", "2026/10", "2026-10-01",
                                "", "abcd-ef"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hc_err_clear(&err);
        assert_int_equal(hc_statement_build(s, a, "S1", bad[i], t("2026-11-05T00:00:00Z"), &st,
                                            &err),
                         HC_EINVAL);
        assert_string_equal(err.field, "month");
    }
    hc_err_clear(&err);
    assert_int_equal(hc_statement_build(s, a, "S9", "2026-10", t("2026-11-05T00:00:00Z"), &st,
                                        &err),
                     HC_ENOTFOUND);
    assert_string_equal(err.field, "seller");
    hc_arena_free(a);
    hc_store_close(s);
}

static int issue(hc_store *s, hc_arena *a, const char *seller, const char *wh, const char *month,
                 bool commit, struct hc_invoice *inv, hc_err *err)
{
    hc_err tmp = {0};
    assert_int_equal(hc_store_begin(s, err), HC_OK);
    int rc = hc_invoice_issue(s, a, seller, wh, month, t("2026-12-01T00:00:00Z"), "t", inv, err);
    if (rc == HC_OK && commit)
        assert_int_equal(hc_store_commit(s, err), HC_OK);
    else
        assert_int_equal(hc_store_rollback(s, &tmp), HC_OK);
    return rc;
}

static void invoice_numbers_without_gaps(void **state)
{
    hc_store *s = books();
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_invoice inv;
    assert_int_equal(issue(s, a, "S1", "DE-DUI", "2026-10", true, &inv, &err), HC_OK);
    assert_int_equal(inv.seq, 1);
    assert_string_equal(inv.number, "DE-DUI-000001");
    /* S1's October charges at DE-DUI, by hand: correction -1.00, inbound
     * 12.00, order 3.40, storage 0.75 (EUR); return 2.50 (USD) */
    assert_int_equal(inv.nlines, 5);
    assert_string_equal(inv.lines[0].cause_kind, "correction");
    assert_int_equal(inv.lines[0].amount, -100);
    assert_int_equal(inv.lines[1].amount, 1200);
    assert_int_equal(inv.lines[2].amount, 340);
    assert_int_equal(inv.lines[3].amount, 75);
    assert_string_equal(inv.lines[4].currency, "USD");
    assert_int_equal(inv.ntotals, 2);
    assert_int_equal(inv.totals[0].amount, 1515);
    assert_int_equal(inv.totals[1].amount, 250);

    /* a transaction that took number 2 and then failed: the number comes back */
    assert_int_equal(issue(s, a, "S2", "DE-DUI", "2026-10", false, &inv, &err), HC_OK);
    assert_int_equal(inv.seq, 2);
    /* refusals take no number: issued already, nothing charged, month running */
    assert_int_equal(issue(s, a, "S1", "DE-DUI", "2026-10", true, &inv, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    hc_err_clear(&err);
    assert_int_equal(issue(s, a, "S2", "DE-DUI", "2026-09", true, &inv, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    hc_err_clear(&err);
    assert_int_equal(issue(s, a, "S2", "DE-DUI", "2026-12", true, &inv, &err), HC_ECONFLICT);
    assert_string_equal(err.field, "month");
    hc_err_clear(&err);
    assert_int_equal(issue(s, a, "S2", "DE-XXX", "2026-10", true, &inv, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "warehouse");
    hc_err_clear(&err);
    assert_int_equal(issue(s, a, "S2", "DE-DUI", "2026-10", true, &inv, &err), HC_OK);
    assert_int_equal(inv.seq, 2);
    assert_string_equal(inv.number, "DE-DUI-000002");
    assert_int_equal(inv.totals[0].amount, 200);
    assert_int_equal(issue(s, a, "S1", "DE-DUI", "2026-09", true, &inv, &err), HC_OK);
    assert_int_equal(inv.seq, 3);
    /* 1, 2, 3 and nothing else; another issuer starts at its own 1 */
    int64_t n = 0, sum = 0;
    assert_int_equal(hc_store_int(s, &err, &n, "SELECT COUNT(*) FROM invoices", ""), HC_OK);
    assert_int_equal(hc_store_int(s, &err, &sum, "SELECT SUM(seq) FROM invoices", ""), HC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(sum, 6);
    assert_int_equal(issue(s, a, "S1", "US-LAX", "2026-10", true, &inv, &err), HC_ECONFLICT);
    hc_err_clear(&err);
    /* read back by id and by number */
    struct hc_invoice got;
    assert_int_equal(hc_invoice_get(s, a, "DE-DUI-000001", &got, &err), HC_OK);
    assert_string_equal(got.seller, "S1");
    assert_string_equal(got.month, "2026-10");
    assert_int_equal(got.nlines, 5);
    assert_int_equal(got.totals[0].amount, 1515);
    assert_int_equal(hc_invoice_get(s, a, "inv_0", &got, &err), HC_ENOTFOUND);
    assert_string_equal(err.field, "id");
    hc_err_clear(&err);
    /* receivables of DE-DUI in October: S1 charged 15.15 EUR, all invoiced */
    struct hc_receivable *rv;
    size_t nr;
    assert_int_equal(hc_receivables(s, a, "DE-DUI", "2026-10", &rv, &nr, &err), HC_OK);
    bool seen = false;
    for (size_t i = 0; i < nr; i++)
        if (strcmp(rv[i].seller, "S1") == 0 && strcmp(rv[i].currency, "EUR") == 0) {
            seen = true;
            assert_int_equal(rv[i].charged, 1515);
            assert_int_equal(rv[i].invoiced, 1515);
            assert_int_equal(rv[i].uninvoiced, 0);
        }
    assert_true(seen);
    hc_arena_free(a);
    hc_store_close(s);
}

static bool has(const hc_buf *b, const char *needle)
{
    return b->p && memmem(b->p, b->n, needle, strlen(needle)) != NULL;
}

static void documents(void **state)
{
    hc_store *s = books();
    hc_arena *a = hc_arena_new(1 << 14);
    hc_err err = {0};
    struct hc_statement st;
    struct hc_doc d;
    assert_int_equal(hc_statement_build(s, a, "S1", "2026-10", t("2026-11-05T00:00:00Z"), &st,
                                        &err),
                     HC_OK);
    assert_int_equal(hc_statement_doc(a, &st, "zh", &d), HC_OK);
    hc_buf b;
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_csv(&d, &b, &err), HC_OK);
    assert_true(has(&b, "期末余额"));
    assert_true(has(&b, "EUR,498.75,1.00,-16.15,483.60,4\r\n"));
    assert_true(has(&b, "2026-10-01 00:30,订单,ord_1,DE-DUI,\"memo, with a comma\",EUR,-3.40,495.35,"));
    hc_buf_free(&b);
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_pdf(&d, &b, &err), HC_OK);
    assert_true(b.n > 1000 && memcmp(b.p, "%PDF-", 5) == 0);
    hc_buf_free(&b);
    hc_buf_init(&b, 1 << 24);
    assert_int_equal(hc_render_xlsx(&d, &b, &err), HC_OK);
    assert_true(b.n > 1000 && memcmp(b.p, "PK", 2) == 0);
    hc_buf_free(&b);
    /* a size limit is a refusal, not a truncated file */
    hc_buf_init(&b, 500);
    assert_int_equal(hc_render_pdf(&d, &b, &err), HC_ETOOBIG);
    hc_buf_free(&b);
    hc_arena_free(a);
    hc_store_close(s);
}

/* Lines of one instant come in booking order (seq), whatever order the
 * store hands them in: three rows at the same `at` stored seq 30, 10, 20. */
static void same_instant_in_booking_order(void **state)
{
    hc_store *s = books();
    hc_err err = {0};
    struct hc_seller s3 = {"S3", "Seller three", "CN", NULL, NULL, 0};
    assert_int_equal(hc_store_begin(s, &err), HC_OK);
    assert_int_equal(hc_seller_create(s, &s3, &err), HC_OK);
    static const int64_t seqs[] = {9000000030, 9000000010, 9000000020};
    for (int i = 0; i < 3; i++) {
        char entry[32];
        snprintf(entry, sizeof(entry), "mny_s3_%d", i);
        assert_int_equal(hc_store_run(s, &err, NULL,
                                      "INSERT INTO money_postings (account, seq, entry, line, at,"
                                      " currency, minor, seller, warehouse, actor, cause_kind,"
                                      " cause_id, fx_rate, fx_day, memo) VALUES ('seller/S3/wallet',"
                                      " ?, ?, 1, ?, 'EUR', ?, 'S3', '', 't', 'topup', ?, '', '', '')",
                                      "isiis", seqs[i], entry, t("2026-10-10T00:00:00Z"),
                                      -seqs[i] % 1000, entry),
                         HC_OK);
    }
    assert_int_equal(hc_store_commit(s, &err), HC_OK);
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_statement st;
    assert_int_equal(hc_statement_build(s, a, "S3", "2026-10", t("2026-11-05T00:00:00Z"), &st,
                                        &err),
                     HC_OK);
    assert_int_equal(st.nlines, 3);
    assert_int_equal(st.lines[0].seq, 9000000010);
    assert_int_equal(st.lines[1].seq, 9000000020);
    assert_int_equal(st.lines[2].seq, 9000000030);
    assert_int_equal(st.lines[0].balance, 10);
    assert_int_equal(st.lines[1].balance, 30);
    assert_int_equal(st.lines[2].balance, 60);
    hc_arena_free(a);
    hc_store_close(s);
}

/* A statement of HC_STATEMENT_PDF_LINES + 1 lines made in memory: over
 * three Beijing days, in EUR and JPY, by two kinds (no store needed). */
static void long_statement(hc_arena *a, struct hc_statement *st)
{
    memset(st, 0, sizeof(*st));
    st->seller = "S1";
    st->month = "2026-10";
    st->from_ms = t("2026-09-30T16:00:00Z");
    st->to_ms = t("2026-10-31T16:00:00Z");
    st->nlines = HC_STATEMENT_PDF_LINES + 1;
    st->lines = hc_arena_alloc(a, st->nlines * sizeof(*st->lines));
    static struct hc_statement_total tot[2] = {{"EUR", 0, 0, 0, 0, 0}, {"JPY", 0, 0, 0, 0, 0}};
    int64_t bal[2] = {0, 0};
    for (size_t i = 0; i < st->nlines; i++) {
        struct hc_statement_line *l = &st->lines[i];
        int c = i % 3 == 0; /* every third line in JPY */
        l->seq = (int64_t)i + 1;
        l->at = st->from_ms + (int64_t)i * 2500; /* 2.5 s apart: three days */
        l->amount = i % 5 == 0 ? 700 : -(int64_t)(i % 97) - 1;
        bal[c] += l->amount;
        l->balance = bal[c];
        l->currency = tot[c].currency;
        l->cause_kind = i % 5 == 0 ? "topup" : "storage";
        l->entry = "mny_1";
        l->cause_id = l->warehouse = l->memo = l->fx_rate = l->fx_day = "";
        tot[c].lines++;
        tot[c].closing = bal[c];
    }
    st->totals = tot;
    st->ntotals = 2;
}

static void long_statement_pdf_by_day(void **state)
{
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_statement st;
    long_statement(a, &st);
    struct hc_doc d;
    assert_int_equal(hc_statement_doc(a, &st, "en", &d), HC_OK);
    /* the lines table is there for XLSX and CSV only; a day table for the PDF */
    assert_int_equal(d.ntables, 4);
    assert_true(hc_doc_table_in(&d.tables[2], HC_DOC_XLSX) &&
                hc_doc_table_in(&d.tables[2], HC_DOC_CSV) &&
                !hc_doc_table_in(&d.tables[2], HC_DOC_PDF));
    assert_int_equal(d.tables[2].nrows, st.nlines);
    const struct hc_doc_table *days = &d.tables[3];
    assert_true(hc_doc_table_in(days, HC_DOC_PDF) && !hc_doc_table_in(days, HC_DOC_CSV) &&
                !hc_doc_table_in(days, HC_DOC_XLSX));
    assert_non_null(strstr(days->note, "100,001 postings"));
    assert_non_null(strstr(days->note, "XLSX and CSV"));
    /* 3 days x 2 currencies x 2 kinds; the sums add up to the lines; the
     * last row of a day and currency carries that day's closing balance */
    assert_int_equal(days->nrows, 12);
    int64_t lines = 0, sum[2] = {0, 0};
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t i = 0; i < days->nrows; i++) {
        assert_int_equal(days->row(days->ctx, i, cells), HC_OK);
        int c = strcmp(cells[1], "JPY") == 0;
        int64_t n, minor;
        assert_int_equal(hc_parse_i64(cells[3], 1, INT64_MAX, &n), HC_OK);
        assert_int_equal(hc_decimal_parse(cells[4], c ? 0 : 2, &minor), HC_OK);
        lines += n;
        sum[c] += minor;
        if (*cells[5]) { /* the day's balance = the sums so far */
            int64_t b;
            assert_int_equal(hc_decimal_parse(cells[5], c ? 0 : 2, &b), HC_OK);
            assert_int_equal(b, sum[c]);
        }
    }
    assert_int_equal(lines, (int64_t)st.nlines);
    assert_int_equal(sum[0], st.totals[0].closing);
    assert_int_equal(sum[1], st.totals[1].closing);
    hc_err err = {0};
    hc_buf b;
    hc_buf_init(&b, (size_t)1 << 30);
    assert_int_equal(hc_render_pdf(&d, &b, &err), HC_OK);
    assert_true(b.n < 200000); /* a few pages, not 1,400 */
    hc_buf_free(&b);
    /* the CSV has every line and no day table */
    hc_buf_init(&b, (size_t)1 << 30);
    assert_int_equal(hc_render_csv(&d, &b, &err), HC_OK);
    size_t rows = 0;
    for (const char *p = b.p; (p = memmem(p, b.n - (size_t)(p - b.p), ",mny_1\r\n", 8)); p++)
        rows++;
    assert_int_equal(rows, st.nlines);
    assert_false(has(&b, "Totals by day"));
    hc_buf_free(&b);
    hc_arena_free(a);
}

/* The lines' amounts and balances as hc_decimal_format prints them, for
 * 0, 2 and 3 decimals and the extremes. */
static void line_amounts_as_decimals(void **state)
{
    static const int64_t v[] = {0, 1, -1, 9, -10, 99, -100, 12345, -12345, 100000000,
                                INT64_MAX, INT64_MIN + 1, INT64_MIN};
    static const char *cur[] = {"EUR", "JPY", "KWD"};
    hc_arena *a = hc_arena_new(1 << 14);
    struct hc_statement st = {.seller = "S1", .month = "2026-10"};
    size_t n = HC_ARRAY_LEN(v) * HC_ARRAY_LEN(cur);
    st.lines = hc_arena_alloc(a, n * sizeof(*st.lines));
    for (size_t i = 0; i < n; i++) {
        struct hc_statement_line *l = &st.lines[st.nlines++];
        l->amount = v[i % HC_ARRAY_LEN(v)];
        l->balance = -(v[i % HC_ARRAY_LEN(v)] / 3); /* divided first: -INT64_MIN overflows */
        l->currency = cur[i / HC_ARRAY_LEN(v)];
        l->at = t("2026-10-01T00:00:00Z") + (int64_t)i * 61000;
        l->cause_kind = "order";
        l->entry = l->cause_id = l->warehouse = l->memo = l->fx_rate = l->fx_day = "";
    }
    struct hc_doc d;
    assert_int_equal(hc_statement_doc(a, &st, "en", &d), HC_OK);
    const struct hc_doc_table *lines = &d.tables[2];
    const char *cells[HC_DOC_COLS_MAX];
    for (size_t i = 0; i < n; i++) {
        const struct hc_statement_line *l = &st.lines[i];
        char want[64], when[64];
        assert_int_equal(lines->row(lines->ctx, i, cells), HC_OK);
        int scale = hc_currency_scale(l->currency);
        hc_decimal_format(l->amount, scale, want, sizeof(want));
        assert_string_equal(cells[6], want);
        hc_decimal_format(l->balance, scale, want, sizeof(want));
        assert_string_equal(cells[7], want);
        struct tm tm;
        hc_time_beijing(l->at, &tm);
        snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min);
        assert_string_equal(cells[0], when);
    }
    hc_arena_free(a);
}

int main(void)
{
    hc_err err = {0};
    if (hc_catalog_load_reference(HC_SOURCE_DIR "/data", &err) != HC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    /* one database (HC_TEST_DB may name a MariaDB one): the books are made
     * once, and only the invoice test adds rows (invoices) */
    test_db_url(url, sizeof(url));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statement_line_by_line),
        cmocka_unit_test(month_must_have_ended),
        cmocka_unit_test(invoice_numbers_without_gaps),
        cmocka_unit_test(documents),
        cmocka_unit_test(same_instant_in_booking_order),
        cmocka_unit_test(long_statement_pdf_by_day),
        cmocka_unit_test(line_amounts_as_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

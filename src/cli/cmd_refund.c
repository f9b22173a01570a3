/* cmd_refund.c: `haicang refund ...`: the overseas-warehouse export VAT
 * refund (STA Announcement 2025 No. 3) through the same src/finance calls
 * the API's handlers make: a seller's profile, refund rates and purchase
 * invoices from CSV (each import all or nothing), items, filings, grants,
 * reconciliations and the report. Amounts are CNY. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "customs/customs.h"
#include "finance/finance.h"

#define CSV_MAX (16u << 20)

static const char USAGE[] =
    "usage: haicang refund profile set --seller S --company trading|manufacturer --vat PCT\n"
    "       haicang refund rates import FILE.csv --seller S   "
    "(hs_code,effective_from,rate[,source])\n"
    "       haicang refund invoices import FILE.csv --seller S\n"
    "         rows: entry_id,entry_gnum,sku,amount[,invoice_no] (an item, or a SKU's unit)\n"
    "       haicang refund items --seller S [--date YYYY-MM-DD]\n"
    "       haicang refund file --seller S --date YYYY-MM-DD [--granted YYYY-MM-DD]\n"
    "       haicang refund grant FILING --seller S --date YYYY-MM-DD\n"
    "       haicang refund reconcile --seller S --period YYYY-MM [--date YYYY-MM-DD]\n"
    "       haicang refund report --seller S [--date YYYY-MM-DD]\n"
    "       (all take --db URL)\n";

static const char *yuan(char *buf, size_t size, int64_t fen)
{
    hc_decimal_format(fen, 2, buf, size);
    return buf;
}

static void today(char out[11])
{
    char iso[32];
    hc_time_iso(hc_now_ms() + HC_BEIJING_OFFSET_MS, iso, sizeof(iso));
    memcpy(out, iso, 10);
    out[10] = '\0';
}

/* ---- writes ---------------------------------------------------------------------------- */
struct job {
    hc_arena *a;
    const char *seller, *what, *day, *granted, *id, *period;
    struct hc_refund_profile prof;
    struct hc_refund_rate *rates;
    struct hc_refund_invoice *inv;
    size_t n;
    struct hc_refund_filing filing;
    struct hc_refund_recon recon;
};

static int job_run(hc_store *s, void *ctx, hc_err *err)
{
    struct job *j = ctx;
    if (strcmp(j->what, "profile") == 0)
        return hc_refund_profile_put(s, &j->prof, "cli", err);
    if (strcmp(j->what, "rates") == 0)
        return hc_refund_rates_put(s, j->seller, j->rates, j->n, "cli", err);
    if (strcmp(j->what, "invoices") == 0)
        return hc_refund_invoices_put(s, j->seller, j->inv, j->n, "cli", err);
    if (strcmp(j->what, "file") == 0)
        return hc_refund_file(s, j->a, j->seller, j->day, j->granted, NULL, 0, "cli", &j->filing,
                              err);
    if (strcmp(j->what, "grant") == 0)
        return hc_refund_grant(s, j->a, j->seller, j->id, j->day, &j->filing, err);
    return hc_refund_reconcile_record(s, j->a, j->seller, j->period, j->day, "cli", &j->recon, err);
}

static int import_csv(const char *url, struct job *j, const char *file, hc_err *err)
{
    char *text = NULL;
    size_t n = 0;
    int rc = hc_cli_read_file(file, CSV_MAX, &text, &n, err);
    if (rc == HC_OK && (!hc_utf8_valid(text, n) || memchr(text, '\0', n)))
        rc = hc_err_set(err, HC_EINVAL, "file", "%s is not UTF-8 text", file);
    if (rc == HC_OK)
        rc = strcmp(j->what, "rates") == 0
                 ? hc_refund_rates_csv(j->a, text, n, &j->rates, &j->n, err)
                 : hc_refund_invoices_csv(j->a, text, n, &j->inv, &j->n, err);
    free(text);
    if (rc == HC_OK)
        rc = hc_cli_write("refund", url, job_run, j, err);
    if (rc == HC_OK)
        printf("imported %zu %s for %s\n", j->n, j->what, j->seller);
    return rc;
}

static void print_filing(const struct hc_refund_filing *f)
{
    char b[2][40];
    printf("filing %s of %s on %s%s%s: %lld lines, basis %s, refund %s CNY\n", f->id, f->seller,
           f->filed_on, f->granted_on[0] ? ", granted " : "", f->granted_on, (long long)f->nlines,
           yuan(b[0], 40, f->basis_fen), yuan(b[1], 40, f->refund_fen));
    for (size_t i = 0; i < f->nitems; i++) {
        const struct hc_refund_item *p = &f->items[i];
        for (size_t k = 0; k < p->nparts; k++)
            printf("  %s/%lld %-10s %-6s %-6s %5lld  basis %12s  refund %10s\n", p->entry_id,
                   (long long)p->entry_gnum, p->sku, p->parts[k].part,
                   p->parts[k].business_type[0] ? p->parts[k].business_type : "-",
                   (long long)p->parts[k].qty, yuan(b[0], 40, p->parts[k].amt.basis_fen),
                   yuan(b[1], 40, p->parts[k].amt.refund_fen));
    }
    if (f->nskipped)
        printf("  not filed: %zu items (see refund items)\n", f->nskipped);
}

static void print_recon(const struct hc_refund_recon *r)
{
    char b[3][40];
    printf("reconciliation %s of %s for %s (recorded %s): difference %s, repay %s CNY\n", r->id,
           r->seller, r->period, r->recorded_on, yuan(b[0], 40, r->diff_fen),
           yuan(b[1], 40, r->repay_fen));
    for (size_t i = 0; i < r->nlines; i++) {
        const struct hc_refund_recon_line *l = &r->lines[i];
        printf("  %s/%lld %-10s sold %lld of %lld  %-13s difference %s  repay %s\n", l->entry_id,
               (long long)l->entry_gnum, l->sku, (long long)l->sold_qty, (long long)l->pre_qty,
               hc_refund_outcome_name(l->r.outcome), yuan(b[0], 40, l->r.diff_fen),
               yuan(b[2], 40, l->r.repay_fen));
    }
}

/* ---- reads ------------------------------------------------------------------------------- */
static int items(hc_store *s, hc_arena *a, const char *seller, const char *day, hc_err *err)
{
    struct hc_refund_item *v;
    size_t n;
    int rc = hc_refund_items(s, a, seller, day, &v, &n, err);
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char b[2][40];
        const struct hc_refund_item *p = &v[i];
        printf("%s/%lld %-10s %s exported %s qty %lld sold %lld", p->entry_id ? p->entry_id : "-",
               (long long)p->entry_gnum, p->sku, p->warehouse, p->exported_on, (long long)p->qty,
               (long long)p->sold);
        if (p->blocked_field)
            printf("  blocked (%s): %s\n", p->blocked_field, p->blocked);
        else
            printf("  basis %s refund %s%s%s\n", yuan(b[0], 40, p->total.basis_fen),
                   yuan(b[1], 40, p->total.refund_fen), p->filing_id ? "  filed " : "",
                   p->filing_id ? p->filing_id : "");
    }
    if (rc == HC_OK && n == 0)
        printf("no 9810 items exported by %s\n", day);
    return rc;
}

static int report(hc_store *s, hc_arena *a, const char *seller, const char *day, hc_err *err)
{
    struct hc_refund_report r;
    int rc = hc_refund_report_build(s, a, seller, day, &r, err);
    if (rc != HC_OK)
        return rc;
    char b[3][40];
    printf("export VAT refund of %s (%s) on %s, CNY\n", seller, r.company, day);
    printf("file: %zu items, refund %s on basis %s\n", r.nto_file,
           yuan(b[0], 40, r.file_refund_fen), yuan(b[1], 40, r.file_basis_fen));
    for (size_t i = 0; i < r.nto_file; i++) {
        const struct hc_refund_item *p = &r.to_file[i];
        printf("  %s/%lld %-10s sold %lld of %lld  ", p->entry_id ? p->entry_id : "-",
               (long long)p->entry_gnum, p->sku, (long long)p->sold, (long long)p->qty);
        if (p->blocked_field)
            printf("blocked (%s): %s\n", p->blocked_field, p->blocked);
        else
            printf("refund %s  by %s\n", yuan(b[0], 40, p->total.refund_fen), p->file_by);
    }
    printf("reconcile: %zu pre-refund lines, next month %s\n", r.nto_reconcile,
           r.next_reconcile_month ? r.next_reconcile_month : "-");
    for (size_t i = 0; i < r.nto_reconcile; i++) {
        const struct hc_refund_recon_line *l = &r.to_reconcile[i];
        printf("  %s/%lld %-10s sold %lld of %lld  %-13s until %s\n", l->entry_id,
               (long long)l->entry_gnum, l->sku, (long long)l->sold_qty, (long long)l->pre_qty,
               l->granted_on[0] ? hc_refund_outcome_name(l->r.outcome) : "not granted",
               l->deadline ? l->deadline : "-");
    }
    printf("repay: %zu lines, %s\n", r.nto_repay, yuan(b[0], 40, r.repay_fen));
    for (size_t i = 0; i < r.nto_repay; i++)
        printf("  %s/%lld %-18s qty %lld  %s  due %s (%s)\n", r.to_repay[i].entry_id,
               (long long)r.to_repay[i].entry_gnum, r.to_repay[i].reason,
               (long long)r.to_repay[i].qty, yuan(b[0], 40, r.to_repay[i].repay_fen),
               r.to_repay[i].due, r.to_repay[i].cause);
    printf("recovered by the tax office: %zu lines, %s\n", r.nrecovered,
           yuan(b[2], 40, r.recovered_fen));
    return HC_OK;
}

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

int hc_cmd_refund(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *seller = NULL, *company = NULL, *vat = NULL;
    const char *date = NULL, *granted = NULL, *period = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},        {"--seller", &seller}, {"--company", &company},
                            {"--vat", &vat},      {"--date", &date},     {"--granted", &granted},
                            {"--period", &period}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 3, &got) != 0)
        return 2;
    if (seller == NULL || got == 0)
        return usage();
    const char *what = pos[0], *arg = got > 1 ? pos[1] : NULL;
    char t[11];
    today(t);
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct job j = {
        .a = a, .seller = seller, .what = what, .day = date, .granted = granted, .period = period};
    int rc = HC_OK, code = -1;
    if (strcmp(what, "profile") == 0 && arg && strcmp(arg, "set") == 0 && got == 2) {
        j.prof = (struct hc_refund_profile){seller, company, 0};
        if (vat == NULL || hc_refund_pct_parse(vat, "--vat", &j.prof.vat_bp, &err) != HC_OK)
            rc = hc_err_set(&err, HC_EINVAL, "--vat", "the VAT rate in percent, 0 to 13");
        else if ((rc = hc_cli_write("refund", db, job_run, &j, &err)) == HC_OK)
            printf("%s: %s, VAT %s %%\n", seller, company, vat);
    } else if ((strcmp(what, "rates") == 0 || strcmp(what, "invoices") == 0) && arg &&
               strcmp(arg, "import") == 0 && got == 3) {
        rc = import_csv(db, &j, pos[2], &err);
    } else if (strcmp(what, "file") == 0 && got == 1 && date) {
        if ((rc = hc_cli_write("refund", db, job_run, &j, &err)) == HC_OK)
            print_filing(&j.filing);
    } else if (strcmp(what, "grant") == 0 && got == 2 && date) {
        j.id = arg;
        if ((rc = hc_cli_write("refund", db, job_run, &j, &err)) == HC_OK)
            print_filing(&j.filing);
    } else if (strcmp(what, "reconcile") == 0 && got == 1 && period) {
        if ((rc = hc_cli_write("refund", db, job_run, &j, &err)) == HC_OK)
            print_recon(&j.recon);
    } else if ((strcmp(what, "items") == 0 || strcmp(what, "report") == 0) && got == 1) {
        hc_store *s;
        if (hc_cli_open("refund", db, &s) != 0) {
            hc_arena_free(a);
            return 1;
        }
        rc = what[0] == 'i' ? items(s, a, seller, date ? date : t, &err)
                            : report(s, a, seller, date ? date : t, &err);
        hc_store_close(s);
    } else {
        code = usage();
    }
    hc_arena_free(a);
    if (code >= 0)
        return code;
    return rc == HC_OK ? 0 : hc_cli_fail_err("refund", &err);
}

/* ---- the demo's refund (docs/refund.md) ------------------------------------------------------
 * SZ-ANKO, a manufacturer (VAT 13 %), and the 9810 lists the customs seed
 * declared for its stock inbounds: released by customs (CEB604) and given
 * declaration numbers (CEB792). The oldest list left China 505 days ago, was
 * filed as a pre-refund, granted and, still unsold at the April
 * reconciliation, is to be repaid; the others left 45 days ago: the next
 * was filed 35 days ago, before the demo's sales, as a pre-refund granted 32
 * days ago (in an earlier month: to reconcile this month, the demo's sales
 * since then its sold units); the rest wait to be filed, split into what sold
 * and what did not. Refund rates and the FX rates of those days are
 * illustrative demo data, not the STA library nor published rates. */
#define DEMO_SELLER "SZ-ANKO"
#define DEMO_SOURCE "haicang demo data (illustrative, not published rates)"

static void demo_day(int64_t ms, char out[11])
{
    char iso[32];
    hc_time_iso(ms + HC_BEIJING_OFFSET_MS, iso, sizeof(iso));
    memcpy(out, iso, 10);
    out[10] = '\0';
}

/* A receipt (CEB604 release or CEB792 numbers) applied as the inbox would. */
static int demo_receipt(hc_store *s, hc_arena *a, int type, const char *body, hc_err *err)
{
    const char *xml = hc_arena_printf(
        a,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB%dMessage guid=\"0e0d0c0b-6fed-4603-"
        "8c5d-49b1fa4b4b9b\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">%s"
        "</ceb:CEB%dMessage>",
        type, body, type);
    hc_customs_receipts r;
    size_t applied = 0;
    int rc = hc_customs_receipt_parse(a, xml, strlen(xml), &r, err);
    if (rc == HC_OK)
        rc = hc_customs_receipt_apply(s, &r, "demo", &applied, err);
    return rc;
}

/* Releases list l at ms and numbers its items on declaration entry_id. */
static int demo_declared(hc_store *s, hc_arena *a, const struct hc_customs_list *l, int n,
                         int64_t ms, const char *entry_id, hc_err *err)
{
    struct tm tm;
    hc_time_beijing(ms, &tm);
    char when[64], invt[64];
    snprintf(when, sizeof(when), "%04d%02d%02d%02d%02d%02d000", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(invt, sizeof(invt), "%.4s%04dE%09d", l->customs_code, tm.tm_year + 1900, 900000 + n);
    int rc = demo_receipt(
        s, a, 604,
        hc_arena_printf(a,
                        "<ceb:InventoryReturn><ceb:guid>%08X-EDED-46B1-946C-B8022E42FC94</ceb:guid>"
                        "<ceb:copNo>%s</ceb:copNo><ceb:preNo>P%.8s%09d</ceb:preNo><ceb:invtNo>%s"
                        "</ceb:invtNo><ceb:returnStatus>800</ceb:returnStatus><ceb:returnTime>%s"
                        "</ceb:returnTime><ceb:returnInfo>放行</ceb:returnInfo>"
                        "</ceb:InventoryReturn>",
                        0x900000 + n, l->cop_no, when, n, invt, when),
        err);
    struct hc_customs_list full;
    if (rc == HC_OK)
        rc = hc_customs_list_get(s, a, l->id, &full, err);
    hc_buf b;
    hc_buf_init(&b, 1 << 20);
    for (size_t i = 0; rc == HC_OK && i < full.n_items; i++)
        if (hc_buf_printf(&b,
                          "<ceb:SummaryResultList><ceb:invtNo>%s</ceb:invtNo><ceb:logisticsNo>"
                          "%s</ceb:logisticsNo><ceb:gseqno>%lld</ceb:gseqno><ceb:gnum>%lld"
                          "</ceb:gnum><ceb:gcode>%s</ceb:gcode></ceb:SummaryResultList>",
                          invt, full.logistics_no, (long long)full.items[i].gnum,
                          (long long)full.items[i].gnum, full.items[i].gcode) != HC_OK)
            rc = hc_err_set(err, HC_ETOOBIG, "", "CEB792 too large");
    if (rc == HC_OK)
        rc = demo_receipt(
            s, a, 792,
            hc_arena_printf(a,
                            "<ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>D%d</ceb:guid>"
                            "<ceb:opDate>%s</ceb:opDate><ceb:entryId>%s</ceb:entryId><ceb:decState>"
                            "10</ceb:decState></ceb:SummaryResultHead>%.*s</ceb:SummaryResult>",
                            n, when, entry_id, (int)b.n, b.p ? b.p : ""),
            err);
    hc_buf_free(&b);
    return rc;
}

/* USD/CNY (and the list currency's) rate on day, when the demo has none. */
static int demo_fx(hc_store *s, const char *day, hc_err *err)
{
    struct hc_fx_conversion c;
    hc_err e = {0};
    if (hc_fx_convert(s, "USD", "CNY", day, 100, &c, &e) == HC_OK)
        return HC_OK;
    struct hc_fx_rate r = {"USD", "CNY", day, 71234000000LL, DEMO_SOURCE};
    return hc_fx_rates_put(s, &r, 1, "demo", err);
}

/* Refund rates per 4-digit heading of the items: 9 % for clothing and
 * textiles (chapters 61-63), 13 % else. */
static int demo_rates(hc_store *s, hc_arena *a, hc_err *err)
{
    hc_stmt *q;
    int rc =
        hc_store_query(s, err, &q, "SELECT DISTINCT gcode FROM customs_list_items WHERE seller = ?",
                       "s", DEMO_SELLER);
    if (rc != HC_OK)
        return rc;
    struct hc_refund_rate r[256];
    size_t n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && n < HC_ARRAY_LEN(r)) {
        const char *g = hc_arena_strndup(a, hc_stmt_text(q, 0), 4);
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = strcmp(r[i].hs_code, g) == 0;
        if (!seen && strlen(g) == 4 && hc_all_digits(g, 4))
            r[n++] = (struct hc_refund_rate){
                g, "2020-01-01", strncmp(g, "61", 2) >= 0 && strncmp(g, "63", 2) <= 0 ? 900 : 1300,
                DEMO_SOURCE};
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    return n ? hc_refund_rates_put(s, DEMO_SELLER, r, n, "demo", err) : HC_OK;
}

/* The seller's 9810 lists of its stock inbounds (not on a head-haul shipment), still declared. */
static int demo_lists(hc_store *s, hc_arena *a, struct hc_customs_list **out, size_t *n,
                      hc_err *err)
{
    struct hc_customs_list_filter f = {
        .seller = DEMO_SELLER, .state = HC_CUSTOMS_DECLARED, .limit = 1000};
    struct hc_customs_list *ls = NULL;
    size_t m;
    const char *next;
    int rc = hc_customs_list_find(s, a, &f, &ls, &m, &next, err);
    *out = hc_arena_alloc(a, (m + 1) * sizeof(**out));
    *n = 0;
    for (size_t i = 0; rc == HC_OK && i < m; i++) {
        int64_t on_ship = 0;
        if (strcmp(ls[i].trade_mode, "9810") != 0 || strcmp(ls[i].ref_kind, "inbound") != 0)
            continue;
        rc = hc_store_int(s, err, &on_ship,
                          "SELECT COUNT(*) FROM inbounds WHERE id = ? AND shipment IS NOT NULL",
                          "s", ls[i].ref);
        if (rc == HC_OK && on_ship == 0)
            (*out)[(*n)++] = ls[i];
    }
    /* oldest first: the first is the one exported long ago */
    for (size_t i = 0; i + 1 < *n; i++)
        for (size_t k = i + 1; k < *n; k++)
            if (strcmp((*out)[k].id, (*out)[i].id) < 0) {
                struct hc_customs_list t = (*out)[i];
                (*out)[i] = (*out)[k];
                (*out)[k] = t;
            }
    return rc;
}

static int demo_step(hc_store *s, int rc, hc_err *err)
{
    return hc_cli_end_tx(s, rc, err);
}

int hc_demo_refund(hc_store *s, FILE *out, hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 20);
    int64_t now = hc_now_ms();
    struct hc_customs_list *ls = NULL;
    size_t n = 0;
    char t[11], old[11], recent[11];
    demo_day(now, t);
    demo_day(now - 505 * HC_DAY_MS, old);
    demo_day(now - 45 * HC_DAY_MS, recent);
    int rc = hc_store_begin(s, err);
    if (rc == HC_OK)
        rc = demo_step(s, demo_lists(s, a, &ls, &n, err), err);
    if (rc == HC_OK && n < 2) {
        fprintf(out, "refund: skipped (no declared 9810 lists of %s)\n", DEMO_SELLER);
        hc_arena_free(a);
        return HC_OK;
    }
    struct hc_refund_profile p = {DEMO_SELLER, HC_REFUND_MANUFACTURER, 1300};
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        int64_t at = (i == 0 ? now - 505 * HC_DAY_MS : now - 45 * HC_DAY_MS) + 3600000LL;
        char entry_id[20];
        snprintf(entry_id, sizeof(entry_id), "53002026%010d", (int)(100 + i));
        if ((rc = hc_store_begin(s, err)) == HC_OK)
            rc = demo_step(s, demo_declared(s, a, &ls[i], (int)i + 1, at, entry_id, err), err);
    }
    if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK) {
        rc = hc_refund_profile_put(s, &p, "demo", err);
        if (rc == HC_OK)
            rc = demo_rates(s, a, err);
        if (rc == HC_OK)
            rc = demo_fx(s, old, err);
        if (rc == HC_OK)
            rc = demo_fx(s, recent, err);
        rc = demo_step(s, rc, err);
    }
    /* the old list: filed ten days after it left, granted ten days later,
     * and still unsold at the April reconciliation of the next year */
    char filed[11], granted[11], period[8], recorded[11], dl[11], fm[8];
    int64_t old_ms = now - 505 * HC_DAY_MS;
    demo_day(old_ms + 10 * HC_DAY_MS, filed);
    demo_day(old_ms + 20 * HC_DAY_MS, granted);
    hc_refund_deadline(granted, dl, fm);
    snprintf(period, sizeof(period), "%.7s", dl);
    snprintf(recorded, sizeof(recorded), "%.7s-15", dl);
    struct hc_refund_filing f1 = {0}, f2 = {0};
    struct hc_refund_recon rec = {0};
    struct hc_refund_key *k1 = NULL, *k2 = NULL;
    size_t n1 = 0, n2 = 0;
    struct hc_customs_list l1, l2;
    if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK) {
        rc = hc_customs_list_get(s, a, ls[0].id, &l1, err);
        if (rc == HC_OK)
            rc = hc_customs_list_get(s, a, ls[1].id, &l2, err);
        rc = demo_step(s, rc, err);
    }
    if (rc == HC_OK) {
        k1 = hc_arena_alloc(a, (l1.n_items + 1) * sizeof(*k1));
        k2 = hc_arena_alloc(a, (l2.n_items + 1) * sizeof(*k2));
        for (size_t i = 0; i < l1.n_items; i++)
            k1[n1++] = (struct hc_refund_key){l1.items[i].entry_id, l1.items[i].entry_gnum};
        for (size_t i = 0; i < l2.n_items; i++)
            k2[n2++] = (struct hc_refund_key){l2.items[i].entry_id, l2.items[i].entry_gnum};
    }
    if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK)
        rc = demo_step(
            s, hc_refund_file(s, a, DEMO_SELLER, filed, granted, k1, n1, "demo", &f1, err), err);
    if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK)
        rc = demo_step(
            s, hc_refund_reconcile_record(s, a, DEMO_SELLER, period, recorded, "demo", &rec, err),
            err);
    /* the next: filed 35 days ago, granted 32 days ago (a month before this one) */
    char filed2[11], granted2[11];
    demo_day(now - 35 * HC_DAY_MS, filed2);
    demo_day(now - 32 * HC_DAY_MS, granted2);
    if (rc == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK)
        rc = demo_step(
            s, hc_refund_file(s, a, DEMO_SELLER, filed2, granted2, k2, n2, "demo", &f2, err), err);
    if (rc == HC_OK) {
        char b[3][40];
        fprintf(out,
                "refund: %s a manufacturer; %zu 9810 lists released with CEB792 numbers; filed "
                "%s (refund %s; reconciled in %s: repay %s) and %s (refund %s); the rest to "
                "file (haicang refund report --seller %s)\n",
                DEMO_SELLER, n, f1.filed_on, yuan(b[0], 40, f1.refund_fen), period,
                yuan(b[1], 40, rec.repay_fen), f2.filed_on, yuan(b[2], 40, f2.refund_fen),
                DEMO_SELLER);
    }
    hc_arena_free(a);
    return rc;
}

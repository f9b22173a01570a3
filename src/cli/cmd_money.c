/* cmd_money.c: haicang money balance|postings|topup and haicang fx import,
 * through the same finance and ledger calls the API's handlers make. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finance/finance.h"

#define CSV_MAX (16u << 20)

static const char *db_or_default(const char *db)
{
    return db ? db : hc_cli_default_db();
}

static void print_money(const char *label, int64_t minor, const char *currency)
{
    char buf[48];
    int scale = hc_currency_scale(currency);
    hc_decimal_format(minor, scale < 0 ? 2 : scale, buf, sizeof(buf));
    printf("%s%s %s", label, buf, currency);
}

/* ---- money balance ------------------------------------------------------------------------ */
static int money_balance(int argc, char **argv)
{
    const char *db = NULL, *seller = NULL, *wh = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--seller", &seller}, {"--warehouse", &wh}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    if (seller && wh)
        return hc_cli_fail("money", "give --seller or --warehouse, not both");
    hc_store *s;
    if (hc_cli_open("money", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    const char *prefix = seller ? hc_arena_printf(a, "seller/%s/", seller)
                         : wh   ? hc_arena_printf(a, "wh/%s/", wh)
                                : "";
    struct hc_money_balance_row *rows;
    size_t n;
    hc_err err = {0};
    int rc = hc_money_balances(s, a, prefix, &rows, &n, &err);
    if (rc == HC_OK) {
        for (size_t i = 0; i < n; i++) {
            int normal = hc_money_account_normal(rows[i].account);
            printf("%-40s %-6s ", rows[i].account, normal > 0 ? "debit" : "credit");
            print_money("", normal > 0 ? rows[i].balance : -rows[i].balance, rows[i].currency);
            printf("\n");
        }
        if (n == 0)
            printf("no balances\n");
    }
    hc_arena_free(a);
    hc_store_close(s);
    return rc == HC_OK ? 0 : hc_cli_fail("money", "%s", err.msg);
}

/* ---- money postings ----------------------------------------------------------------------- */
static int money_postings(int argc, char **argv)
{
    const char *db = NULL, *limit = NULL, *from = NULL, *to = NULL;
    struct hc_money_filter f = {.limit = 100};
    struct hc_opt opts[] = {{"--db", &db},         {"--account", &f.account},
                            {"--seller", &f.seller}, {"--warehouse", &f.warehouse},
                            {"--entry", &f.entry},   {"--from", &from},
                            {"--to", &to},           {"--limit", &limit}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got))
        return 2;
    int64_t v;
    if (limit) {
        if (hc_parse_i64(limit, 1, 1000, &v) != HC_OK)
            return hc_cli_fail("money", "--limit: an integer 1..1000");
        f.limit = (int)v;
    }
    if (from && hc_time_parse_iso(from, &f.from_ms) != HC_OK)
        return hc_cli_fail("money", "--from: YYYY-MM-DD or an ISO 8601 UTC time");
    if (to && hc_time_parse_iso(to, &f.to_ms) != HC_OK)
        return hc_cli_fail("money", "--to: YYYY-MM-DD or an ISO 8601 UTC time");
    if (to && strlen(to) == 10)
        f.to_ms += HC_DAY_MS;
    if (f.account && !hc_money_account_valid(f.account))
        return hc_cli_fail("money", "--account: seller/<code>/<kind> or wh/<code>/<kind>");
    hc_store *s;
    if (hc_cli_open("money", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    int rc = HC_OK;
    size_t total = 0;
    for (;;) { /* every page */
        struct hc_money_posting *rows;
        size_t n;
        int64_t next;
        if ((rc = hc_money_postings(s, a, &f, &rows, &n, &next, &err)) != HC_OK)
            break;
        for (size_t i = 0; i < n; i++) {
            char at[32];
            hc_time_iso(rows[i].at, at, sizeof(at));
            printf("%s %s %-32s %-6s ", at, rows[i].entry, rows[i].account,
                   rows[i].minor > 0 ? "debit" : "credit");
            print_money("", rows[i].minor > 0 ? rows[i].minor : -rows[i].minor,
                        rows[i].currency);
            printf("  %s %s", rows[i].cause_kind, rows[i].cause_id);
            if (rows[i].fx_rate[0])
                printf("  rate %s of %s", rows[i].fx_rate, rows[i].fx_day);
            printf("\n");
        }
        total += n;
        if (next == 0 || (limit && total >= (size_t)f.limit))
            break;
        f.after = next;
    }
    hc_arena_free(a);
    hc_store_close(s);
    if (rc != HC_OK)
        return hc_cli_fail("money", "%s", err.msg);
    if (total == 0)
        printf("no postings\n");
    return 0;
}

/* ---- money topup SELLER AMOUNT CURRENCY --reference REF ----------------------------------- */
static int money_topup(int argc, char **argv)
{
    const char *db = NULL, *ref = NULL, *key = NULL, *pos[3];
    struct hc_opt opts[] = {{"--db", &db}, {"--reference", &ref}, {"--idempotency-key", &key}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 3, &got))
        return 2;
    if (got != 3 || ref == NULL)
        return hc_cli_fail("money", "usage: haicang money topup SELLER AMOUNT CURRENCY"
                                    " --reference REF [--idempotency-key KEY] [--db URL]");
    struct hc_topup t = {.seller = pos[0], .currency = pos[2], .reference = ref,
                         .actor = "cli", .idem_key = key};
    int scale = hc_currency_scale(t.currency);
    if (strlen(t.currency) != 3 || scale < 0)
        return hc_cli_fail("money", "currency: %s is not an ISO 4217 code", t.currency);
    if (hc_decimal_parse(pos[1], scale, &t.minor) != HC_OK)
        return hc_cli_fail("money", "amount: a decimal with at most %d fraction digits", scale);
    if (t.minor <= 0)
        return hc_cli_fail("money", "amount: a top-up is a positive amount");
    hc_store *s;
    if (hc_cli_open("money", db_or_default(db), &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_topup_result res;
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK)
        rc = hc_wallet_topup(s, a, &t, &res, &err);
    if (rc == HC_OK)
        rc = hc_store_commit(s, &err);
    else
        (void)hc_store_rollback(s, NULL);
    hc_arena_free(a);
    hc_store_close(s);
    if (rc != HC_OK)
        return hc_cli_fail("money", "%s%s%s (nothing booked)", err.field,
                           err.field[0] ? ": " : "", err.msg);
    print_money(res.posted.replayed ? "already booked: " : "booked ", t.minor, t.currency);
    printf(" for %s as %s; %d held order%s released\n", t.seller, res.posted.id, res.released,
           res.released == 1 ? "" : "s");
    return 0;
}

int hc_cmd_money(int argc, char **argv)
{
    const char *usage = "usage: haicang money balance [--seller S | --warehouse W] | postings"
                        " [--account A] [--seller S] [--warehouse W] [--from D] [--to D]"
                        " [--limit N] | topup SELLER AMOUNT CURRENCY --reference REF [--db URL]";
    if (argc < 2)
        return hc_cli_fail("money", "%s", usage);
    if (strcmp(argv[1], "balance") == 0)
        return money_balance(argc - 1, argv + 1);
    if (strcmp(argv[1], "postings") == 0)
        return money_postings(argc - 1, argv + 1);
    if (strcmp(argv[1], "topup") == 0)
        return money_topup(argc - 1, argv + 1);
    return hc_cli_fail("money", "%s", usage);
}

/* ---- fx import FILE.csv -------------------------------------------------------------------- */
int hc_fx_import_file(const char *url, const char *path, const char *source, size_t *count,
                      hc_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = hc_cli_read_file(path, CSV_MAX, &text, &len, err);
    if (rc == HC_OK && (len == 0 || !hc_utf8_valid(text, len) || memchr(text, '\0', len)))
        rc = hc_err_set(err, HC_EINVAL, "", "%s is not a UTF-8 CSV file", path);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_fx_rate *rates = NULL;
    size_t n = 0;
    if (rc == HC_OK)
        rc = hc_fx_csv_parse(a, text, len, source, &rates, &n, err);
    free(text);
    hc_store *s = NULL;
    if (rc == HC_OK && hc_store_open(url, &s, err) == HC_OK) {
        if ((rc = hc_store_migrate(s, err)) == HC_OK && (rc = hc_store_begin(s, err)) == HC_OK) {
            rc = hc_fx_rates_put(s, rates, n, "cli", err);
            if (rc == HC_OK)
                rc = hc_store_commit(s, err);
            else
                (void)hc_store_rollback(s, NULL);
        }
        hc_store_close(s);
    } else if (rc == HC_OK) {
        rc = err->code ? err->code : HC_EINTERNAL;
    }
    hc_arena_free(a);
    *count = rc == HC_OK ? n : 0;
    return rc;
}

int hc_cmd_fx(int argc, char **argv)
{
    const char *usage = "usage: haicang fx import FILE.csv [--source TEXT] [--db URL]"
                        "   (base,quote,day,rate[,source] lines)";
    if (argc < 2 || strcmp(argv[1], "import") != 0)
        return hc_cli_fail("fx", "%s", usage);
    const char *db = NULL, *source = NULL, *pos[1];
    struct hc_opt opts[] = {{"--db", &db}, {"--source", &source}};
    size_t got;
    if (hc_cli_parse(argc - 1, argv + 1, opts, HC_ARRAY_LEN(opts), pos, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail("fx", "%s", usage);
    hc_err err = {0};
    size_t n = 0;
    if (hc_fx_import_file(db_or_default(db), pos[0], source, &n, &err) != HC_OK)
        return hc_cli_fail("fx", "%s: %s%s%s (nothing imported)", pos[0], err.field,
                           err.field[0] ? ": " : "", err.msg);
    printf("imported %zu rates from %s\n", n, pos[0]);
    return 0;
}

/* ---- the demo's money: a month of FX rates, opening top-ups, credit limits -------------- */
struct demo_fx {
    struct hc_fx_rate *rates;
    size_t n;
    hc_arena *a;
};

static int demo_fx_job(hc_store *s, void *ctx, hc_err *err)
{
    struct demo_fx *c = ctx;
    int rc = hc_fx_rates_put(s, c->rates, c->n, "demo", err);
    if (rc != HC_OK)
        return rc;
    /* every seller sent 50,000.00 EUR and 30,000.00 USD a month ago and has 10,000.00 of
     * credit in each (the demo's charges run to some tens of thousands) */
    static const struct {
        const char *currency;
        int64_t topup, credit;
    } money[] = {{"EUR", 5000000, 1000000}, {"USD", 3000000, 1000000}};
    hc_stmt *q;
    if ((rc = hc_store_query(s, err, &q, "SELECT code FROM sellers ORDER BY code", "")) != HC_OK)
        return rc;
    enum { SELLERS_MAX = 64 };
    const char *codes[SELLERS_MAX];
    size_t n = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && n < SELLERS_MAX)
        codes[n++] = hc_arena_strdup(c->a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < HC_ARRAY_LEN(money); k++) {
            struct hc_topup t = {
                .seller = codes[i], .currency = money[k].currency, .minor = money[k].topup,
                .reference = hc_arena_printf(c->a, "DEMO-TT-%s-%s", codes[i], money[k].currency),
                .actor = "demo",
                .idem_key = hc_arena_printf(c->a, "demo-opening-%s-%s", codes[i],
                                            money[k].currency),
                .at = hc_now_ms() - 30 * HC_DAY_MS};
            struct hc_topup_result res;
            if ((rc = hc_wallet_topup(s, c->a, &t, &res, err)) != HC_OK ||
                (rc = hc_credit_set(s, c->a, codes[i], money[k].currency, money[k].credit, "demo",
                                    NULL, err)) != HC_OK)
                return rc;
        }
    return HC_OK;
}

int hc_demo_money(hc_db *db, size_t *count, hc_err *err)
{
    char path[1024];
    *count = 0;
    if (hc_data_path("data/fx/demo-rates.csv", path, sizeof(path)) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "data", "no %s (set HAICANG_DATA)", path);
    char *text = NULL;
    size_t len = 0;
    int rc = hc_cli_read_file(path, CSV_MAX, &text, &len, err);
    if (rc == HC_OK && len == 0)
        rc = hc_err_set(err, HC_EINTERNAL, "data", "%s is empty", path);
    hc_arena *a = hc_arena_new(1 << 16);
    struct demo_fx c = {.a = a};
    if (rc == HC_OK)
        rc = hc_fx_csv_parse(a, text, len, NULL, &c.rates, &c.n, err);
    free(text);
    if (rc == HC_OK)
        rc = hc_db_write(db, demo_fx_job, &c, err);
    if (rc == HC_OK)
        *count = c.n;
    hc_arena_free(a);
    return rc;
}

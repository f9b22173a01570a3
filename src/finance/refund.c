/* refund.c: the export VAT refund's reference data (a seller's profile,
 * refund rates per HS code, purchase invoices) and its arithmetic (amounts
 * of a line, the sold/unsold split, the outcome of a reconciliation).
 * STA Announcement 2025 No. 3; see finance.h and docs/refund.md. */
#include "finance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arithmetic ------------------------------------------------------------ */

void hc_refund_compute(const char *company, int64_t basis_fen, int64_t vat_bp, int64_t rate_bp,
                       struct hc_refund_amount *out)
{
    HC_ASSERT(basis_fen >= 0 && rate_bp >= 0 && rate_bp <= HC_REFUND_RATE_MAX_BP);
    out->basis_fen = basis_fen;
    out->refund_fen = hc_round_half_even((__int128)basis_fen * rate_bp, 10000);
    out->non_creditable_fen = 0;
    /* 免抵退: the part of the VAT that may be neither exempted nor credited
     * goes to cost; a refund rate above the VAT rate leaves none */
    if (strcmp(company, HC_REFUND_MANUFACTURER) == 0 && vat_bp > rate_bp)
        out->non_creditable_fen =
            hc_round_half_even((__int128)basis_fen * (vat_bp - rate_bp), 10000);
}

int64_t hc_refund_fob_fen(int64_t fob_e5, int64_t rate_e10)
{
    /* fen = fob / 10^5 * rate / 10^10 * 10^2 */
    return hc_round_half_even((__int128)fob_e5 * rate_e10, (__int128)10000000000000LL);
}

void hc_refund_split(const char *company, int64_t basis_fen, int64_t qty, int64_t sold,
                     int64_t vat_bp, int64_t rate_bp, struct hc_refund_amount *sold_part,
                     struct hc_refund_amount *unsold_part)
{
    HC_ASSERT(qty > 0 && sold >= 0 && sold <= qty);
    int64_t sold_basis = hc_round_half_even((__int128)basis_fen * sold, qty);
    hc_refund_compute(company, sold_basis, vat_bp, rate_bp, sold_part);
    hc_refund_compute(company, basis_fen - sold_basis, vat_bp, rate_bp, unsold_part);
}

const char *hc_refund_outcome_name(int outcome)
{
    switch (outcome) {
    case HC_REFUND_PENDING:
        return "pending";
    case HC_REFUND_NO_ADJUST:
        return "no_adjustment";
    case HC_REFUND_REFILE:
        return "refile";
    case HC_REFUND_REPAY:
        return "repay";
    case HC_REFUND_RECOVERED:
        return "recovered";
    default:
        return "";
    }
}

/* The refund the sold units earn on what they were sold for: a
 * manufacturer's basis is the actual FOB at the export day's rate; a
 * trading company's stays its purchase invoice (the pre-refund's basis). */
static int64_t refund_on_sale(const struct hc_refund_recon_in *in)
{
    struct hc_refund_amount amt;
    int64_t basis = strcmp(in->company, HC_REFUND_MANUFACTURER) == 0
                        ? hc_refund_fob_fen(in->sale_e5, in->rate_e10)
                        : in->pre_basis_fen;
    hc_refund_compute(in->company, basis, in->vat_bp, in->rate_bp, &amt);
    return amt.refund_fen;
}

void hc_refund_reconcile(const struct hc_refund_recon_in *in, struct hc_refund_recon_out *out)
{
    HC_ASSERT(in->pre_qty > 0 && in->sold_qty >= 0 && in->sold_qty <= in->pre_qty);
    HC_ASSERT(in->item_qty >= in->pre_qty);
    memset(out, 0, sizeof(*out));
    if (in->sold_qty < in->pre_qty) {
        /* still unsold: wait, or at the deadline repay the whole pre-refund
         * (the sold units are filed again once the repayment is made) */
        out->outcome = in->at_deadline ? HC_REFUND_REPAY : HC_REFUND_PENDING;
        if (in->at_deadline)
            out->repay_fen = in->pre_refund_fen;
        return;
    }
    /* all sold: at the declared amount, or at another */
    int64_t declared = hc_round_half_even((__int128)in->item_fob_e5 * in->pre_qty, in->item_qty);
    if (in->sale_e5 == declared) {
        out->outcome = HC_REFUND_NO_ADJUST;
        out->new_refund_fen = in->pre_refund_fen;
        return;
    }
    out->outcome = HC_REFUND_REFILE;
    out->new_refund_fen = refund_on_sale(in);
    out->diff_fen = out->new_refund_fen - in->pre_refund_fen;
}

void hc_refund_deadline(const char *granted_on, char deadline[11], char first_month[8])
{
    int y = 0, m = 0;
    HC_ASSERT(granted_on && strlen(granted_on) >= 7);
    sscanf(granted_on, "%4d-%2d", &y, &m);
    HC_ASSERT(y >= 1000 && y < 9999 && m >= 1 && m <= 12);
    char buf[32];
    snprintf(buf, sizeof(buf), "%04d-04-30", y + 1);
    hc_strlcpy(deadline, buf, 11);
    snprintf(buf, sizeof(buf), "%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    hc_strlcpy(first_month, buf, 8);
}

/* ---- percentages --------------------------------------------------------------- */

int hc_refund_pct_parse(const char *s, const char *field, int64_t *bp, hc_err *err)
{
    if (s == NULL || hc_decimal_parse(s, 2, bp) != HC_OK)
        return hc_err_set(err, HC_EINVAL, field, "a percentage such as \"13\" or \"9.5\"");
    if (*bp < 0 || *bp > HC_REFUND_RATE_MAX_BP)
        return hc_err_set(err, HC_EINVAL, field, "must be within 0 to 13 %%");
    return HC_OK;
}

void hc_refund_pct_format(int64_t bp, char *buf, size_t size)
{
    if (bp % 100 == 0)
        snprintf(buf, size, "%lld", (long long)(bp / 100));
    else
        hc_decimal_format(bp, 2, buf, size);
}

/* ---- profile ---------------------------------------------------------------------- */

static int seller_known(hc_store *s, const char *seller, hc_err *err)
{
    if (hc_seller_exists(s, seller, err))
        return HC_OK;
    if (err && err->code != HC_OK && err->code != HC_ENOTFOUND)
        return err->code;
    hc_err_clear(err);
    return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
}

static bool company_valid(const char *c)
{
    return c && (strcmp(c, HC_REFUND_TRADING) == 0 || strcmp(c, HC_REFUND_MANUFACTURER) == 0);
}

int hc_refund_profile_put(hc_store *s, const struct hc_refund_profile *p, const char *actor,
                          hc_err *err)
{
    if (!company_valid(p->company))
        return hc_err_set(err, HC_EINVAL, "company_type", "must be trading or manufacturer");
    if (p->vat_bp < 0 || p->vat_bp > HC_REFUND_RATE_MAX_BP)
        return hc_err_set(err, HC_EINVAL, "vat_rate", "must be within 0 to 13 %%");
    int rc = seller_known(s, p->seller, err);
    if (rc != HC_OK)
        return rc;
    static const char *const cols[] = {"seller", "company", "vat_bp", "actor", "updated_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "refund_profiles", cols, 1);
    return hc_store_run(s, err, NULL, sql, "ssisi", p->seller, p->company, p->vat_bp,
                        actor ? actor : "", hc_now_ms());
}

int hc_refund_profile_get(hc_store *s, hc_arena *a, const char *seller,
                          struct hc_refund_profile *out, hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(
        s, err, &q, "SELECT company, vat_bp FROM refund_profiles WHERE seller = ?", "s", seller);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->seller = hc_arena_strdup(a, seller);
        out->company = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->vat_bp = hc_stmt_int(q, 1);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "seller", "seller %s has no refund profile", seller);
    }
    hc_stmt_reset(q);
    return rc;
}

/* ---- rates ---------------------------------------------------------------------------- */

static int fail_at(hc_err *err, const char *prefix, const char *field, const char *msg)
{
    char f[HC_ERR_FIELD_MAX];
    snprintf(f, sizeof(f), "%s%s", prefix, field);
    return hc_err_set(err, HC_EINVAL, f, "%s", msg);
}

int hc_refund_rate_validate(const struct hc_refund_rate *r, const char *prefix, hc_err *err)
{
    size_t n = r->hs_code ? strlen(r->hs_code) : 0;
    if (n < 4 || n > 10 || !hc_all_digits(r->hs_code, n))
        return fail_at(err, prefix, "hs_code", "an HS code of 4 to 10 digits");
    if (r->effective_from == NULL || !hc_fx_day_valid(r->effective_from))
        return fail_at(err, prefix, "effective_from", "a date YYYY-MM-DD");
    if (r->rate_bp < 0 || r->rate_bp > HC_REFUND_RATE_MAX_BP)
        return fail_at(err, prefix, "rate", "a refund rate within 0 to 13 %");
    if (r->source && strlen(r->source) > 200)
        return fail_at(err, prefix, "source", "at most 200 characters");
    return HC_OK;
}

int hc_refund_rates_put(hc_store *s, const char *seller, const struct hc_refund_rate *r, size_t n,
                        const char *actor, hc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char prefix[48];
        snprintf(prefix, sizeof(prefix), "rates[%zu].", i);
        int rc = hc_refund_rate_validate(&r[i], prefix, err);
        if (rc != HC_OK)
            return rc;
    }
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    static const char *const cols[] = {"seller", "hs_code", "effective_from", "rate_bp",
                                       "source", "actor",   "created_at",     NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "refund_rates", cols, 3);
    int64_t now = hc_now_ms();
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        rc = hc_store_run(s, err, NULL, sql, "sssissi", seller, r[i].hs_code, r[i].effective_from,
                          r[i].rate_bp, r[i].source ? r[i].source : "", actor ? actor : "", now);
    return rc;
}

int hc_refund_rates_list(hc_store *s, hc_arena *a, const char *seller, struct hc_refund_rate **out,
                         size_t *n, hc_err *err)
{
    int64_t count = 0;
    *out = NULL;
    *n = 0;
    int rc = hc_store_int(s, err, &count, "SELECT COUNT(*) FROM refund_rates WHERE seller = ?", "s",
                          seller);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT hs_code, effective_from, rate_bp, source FROM refund_rates"
                        " WHERE seller = ? ORDER BY hs_code, effective_from",
                        "s", seller);
    if (rc != HC_OK)
        return rc;
    struct hc_refund_rate *r = hc_arena_alloc(a, (size_t)(count + 1) * sizeof(*r));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)count) {
        struct hc_refund_rate *x = &r[(*n)++];
        x->hs_code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        x->effective_from = hc_arena_strdup(a, hc_stmt_text(q, 1));
        x->rate_bp = hc_stmt_int(q, 2);
        x->source = hc_arena_strdup(a, hc_stmt_text(q, 3));
    }
    hc_stmt_reset(q);
    *out = r;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

/* ---- invoices ---------------------------------------------------------------------------- */

int hc_refund_invoice_validate(const struct hc_refund_invoice *v, const char *prefix, hc_err *err)
{
    bool item = v->entry_id && v->entry_id[0];
    bool sku = v->sku && v->sku[0];
    if (item == sku)
        return fail_at(err, prefix, item ? "sku" : "entry_id",
                       "give entry_id with entry_gnum, or sku");
    if (item && (strlen(v->entry_id) != 18 || !hc_all_digits(v->entry_id, 18)))
        return fail_at(err, prefix, "entry_id", "an 18-digit declaration number (CEB792)");
    if (item && (v->entry_gnum < 1 || v->entry_gnum > 999))
        return fail_at(err, prefix, "entry_gnum", "an item number 1 to 999");
    if (sku && strlen(v->sku) > 64)
        return fail_at(err, prefix, "sku", "at most 64 characters");
    if (v->amount_fen < 0)
        return fail_at(err, prefix, "amount", "must not be negative");
    if (v->invoice_no && strlen(v->invoice_no) > 64)
        return fail_at(err, prefix, "invoice_no", "at most 64 characters");
    return HC_OK;
}

int hc_refund_invoices_put(hc_store *s, const char *seller, const struct hc_refund_invoice *v,
                           size_t n, const char *actor, hc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char prefix[48];
        snprintf(prefix, sizeof(prefix), "invoices[%zu].", i);
        int rc = hc_refund_invoice_validate(&v[i], prefix, err);
        if (rc != HC_OK)
            return rc;
    }
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    static const char *const cols[] = {"seller",     "scope", "ikey",       "amount_fen",
                                       "invoice_no", "actor", "created_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "refund_invoices", cols, 3);
    int64_t now = hc_now_ms();
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        char key[96];
        bool item = v[i].entry_id && v[i].entry_id[0];
        if (item)
            snprintf(key, sizeof(key), "%s/%lld", v[i].entry_id, (long long)v[i].entry_gnum);
        else
            hc_strlcpy(key, v[i].sku, sizeof(key));
        rc = hc_store_run(s, err, NULL, sql, "sssissi", seller, item ? "item" : "sku", key,
                          v[i].amount_fen, v[i].invoice_no ? v[i].invoice_no : "",
                          actor ? actor : "", now);
    }
    return rc;
}

int hc_refund_invoices_list(hc_store *s, hc_arena *a, const char *seller,
                            struct hc_refund_invoice **out, size_t *n, hc_err *err)
{
    int64_t count = 0;
    *out = NULL;
    *n = 0;
    int rc = hc_store_int(s, err, &count, "SELECT COUNT(*) FROM refund_invoices WHERE seller = ?",
                          "s", seller);
    if (rc != HC_OK)
        return rc;
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT scope, ikey, amount_fen, invoice_no FROM refund_invoices"
                        " WHERE seller = ? ORDER BY scope, ikey",
                        "s", seller);
    if (rc != HC_OK)
        return rc;
    struct hc_refund_invoice *v = hc_arena_alloc(a, (size_t)(count + 1) * sizeof(*v));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < (size_t)count) {
        struct hc_refund_invoice *x = &v[(*n)++];
        const char *key = hc_stmt_text(q, 1);
        if (strcmp(hc_stmt_text(q, 0), "item") == 0) {
            const char *slash = strchr(key, '/');
            x->entry_id = hc_arena_strndup(a, key, slash ? (size_t)(slash - key) : strlen(key));
            x->entry_gnum = slash ? (int64_t)strtoll(slash + 1, NULL, 10) : 0;
        } else {
            x->sku = hc_arena_strdup(a, key);
        }
        x->amount_fen = hc_stmt_int(q, 2);
        x->invoice_no = hc_arena_strdup(a, hc_stmt_text(q, 3));
    }
    hc_stmt_reset(q);
    *out = v;
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

/* ---- CSV --------------------------------------------------------------------------------------
 */

/* Calls row(fields) for each data line of a CSV text; header = the first
 * field of a header line. */
typedef int (*csv_row_fn)(hc_arena *a, char **f, size_t nf, const char *prefix, void *ctx,
                          hc_err *err);

static int csv_each(hc_arena *a, const char *text, size_t len, const char *header, size_t fields,
                    csv_row_fn row, void *ctx, hc_err *err)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    char *copy = hc_arena_strndup(a, text, len), *save = NULL;
    size_t lineno = 0, rows = 0;
    for (char *line = copy; line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        lineno++;
        char *f[8] = {0};
        size_t nf = hc_csv_split(line, f, fields);
        if ((nf == 1 && f[0][0] == '\0') || line[0] == '#')
            continue;
        if (rows == 0 && strcmp(f[0], header) == 0)
            continue;
        char prefix[40];
        snprintf(prefix, sizeof(prefix), "line %zu: ", lineno);
        if (nf > fields)
            return hc_err_set(err, HC_EINVAL, "body", "%smore than %zu fields", prefix, fields);
        int rc = row(a, f, nf, prefix, ctx, err);
        if (rc != HC_OK)
            return rc;
        rows++;
    }
    return rows ? HC_OK : hc_err_set(err, HC_EINVAL, "body", "no rows");
}

struct rate_rows {
    struct hc_refund_rate *r;
    size_t n, cap;
};

static int rate_row(hc_arena *a, char **f, size_t nf, const char *prefix, void *ctx, hc_err *err)
{
    (void)a;
    struct rate_rows *c = ctx;
    if (nf < 3)
        return fail_at(err, prefix, "rate", "hs_code,effective_from,rate[,source] expected");
    HC_ASSERT(c->n < c->cap);
    struct hc_refund_rate *x = &c->r[c->n];
    x->hs_code = f[0];
    x->effective_from = f[1];
    x->source = nf > 3 && f[3][0] ? f[3] : NULL;
    hc_err e = {0};
    if (hc_refund_pct_parse(f[2], "rate", &x->rate_bp, &e) != HC_OK)
        return fail_at(err, prefix, "rate", e.msg);
    if (hc_refund_rate_validate(x, prefix, err) != HC_OK)
        return err->code;
    c->n++;
    return HC_OK;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    return n;
}

int hc_refund_rates_csv(hc_arena *a, const char *text, size_t len, struct hc_refund_rate **out,
                        size_t *n, hc_err *err)
{
    struct rate_rows c = {.cap = count_lines(text, len)};
    c.r = hc_arena_alloc(a, c.cap * sizeof(*c.r));
    int rc = csv_each(a, text, len, "hs_code", 4, rate_row, &c, err);
    *out = c.r;
    *n = rc == HC_OK ? c.n : 0;
    return rc;
}

struct invoice_rows {
    struct hc_refund_invoice *v;
    size_t n, cap;
};

static int invoice_row(hc_arena *a, char **f, size_t nf, const char *prefix, void *ctx, hc_err *err)
{
    (void)a;
    struct invoice_rows *c = ctx;
    if (nf < 4)
        return fail_at(err, prefix, "amount",
                       "entry_id,entry_gnum,sku,amount[,invoice_no] expected");
    HC_ASSERT(c->n < c->cap);
    struct hc_refund_invoice *x = &c->v[c->n];
    x->entry_id = f[0][0] ? f[0] : NULL;
    x->sku = f[2][0] ? f[2] : NULL;
    x->invoice_no = nf > 4 && f[4][0] ? f[4] : NULL;
    if (x->entry_id && hc_parse_i64(f[1], 1, 999, &x->entry_gnum) != HC_OK)
        return fail_at(err, prefix, "entry_gnum", "an item number 1 to 999");
    const char *amount = f[3];
    bool neg = amount[0] == '-';
    if (hc_decimal_parse(neg ? amount + 1 : amount, 2, &x->amount_fen) != HC_OK)
        return fail_at(err, prefix, "amount", "a CNY amount such as 1234.56");
    if (neg)
        x->amount_fen = -x->amount_fen;
    if (hc_refund_invoice_validate(x, prefix, err) != HC_OK)
        return err->code;
    c->n++;
    return HC_OK;
}

int hc_refund_invoices_csv(hc_arena *a, const char *text, size_t len,
                           struct hc_refund_invoice **out, size_t *n, hc_err *err)
{
    struct invoice_rows c = {.cap = count_lines(text, len)};
    c.v = hc_arena_alloc(a, c.cap * sizeof(*c.v));
    int rc = csv_each(a, text, len, "entry_id", 5, invoice_row, &c, err);
    *out = c.v;
    *n = rc == HC_OK ? c.n : 0;
    return rc;
}

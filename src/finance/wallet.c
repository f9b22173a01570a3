/* wallet.c: sellers' wallets (seller/<code>/wallet in the money journal),
 * top-ups as recorded receipts, credit limits, and the credit hold of new
 * orders with its release after a top-up. */
#include "finance.h"

#include "orders/orders.h"

#include <stdio.h>
#include <string.h>

static int seller_known(hc_store *s, const char *seller, hc_err *err)
{
    if (hc_seller_exists(s, seller, err))
        return HC_OK;
    if (err && err->code != HC_OK && err->code != HC_ENOTFOUND)
        return err->code;
    hc_err_clear(err);
    return hc_err_set(err, HC_ENOTFOUND, "code", "no seller %s", seller);
}

int hc_wallet_seller_uses(hc_store *s, const char *seller, const char *warehouse, bool *uses,
                          hc_err *err)
{
    /* stock rows stay (at 0) once a seller's goods were announced to or held there */
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM (SELECT 1 FROM stock WHERE seller = ? AND"
                          " warehouse = ? LIMIT 1) t",
                          "ss", seller, warehouse);
    *uses = rc == HC_OK && n > 0;
    return rc;
}

int hc_credit_over(hc_store *s, const char *seller, bool *over, hc_err *err)
{
    *over = false;
    char acct[HC_ACCOUNT_MAX];
    if (hc_money_account(acct, sizeof(acct), "seller", seller, "wallet") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "seller", "not a seller code");
    /* stored wallet balance is credit-normal: available = -balance, and
     * available < -limit is balance > limit */
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n,
                          "SELECT COUNT(*) FROM credit_limits c JOIN money_balances b ON"
                          " b.account = ? AND b.currency = c.currency WHERE c.seller = ? AND"
                          " b.balance > c.limit_minor",
                          "ss", acct, seller);
    if (rc != HC_OK)
        return rc;
    *over = n > 0;
    return HC_OK;
}

int hc_credit_release(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                      int *released, hc_err *err)
{
    if (released)
        *released = 0;
    bool over = false;
    int rc = hc_credit_over(s, seller, &over, err);
    if (rc != HC_OK || over)
        return rc;
    enum { PAGE = 100 };
    for (;;) {
        /* oldest first; each released order leaves on_hold, so the next
         * page starts over */
        hc_stmt *q;
        rc = hc_store_query(s, err, &q,
                            "SELECT id FROM orders WHERE seller = ? AND hold_reason = ? AND"
                            " status = ? ORDER BY created_at, id LIMIT ?",
                            "sssi", seller, HC_HOLD_CREDIT,
                            hc_order_status_name(HC_ORDER_ON_HOLD), (int64_t)PAGE);
        if (rc != HC_OK)
            return rc;
        const char *ids[PAGE];
        size_t n = 0;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW && n < PAGE)
            ids[n++] = hc_arena_strdup(a, hc_stmt_text(q, 0));
        hc_stmt_reset(q);
        if (rc != HC_DONE && rc != HC_ROW)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if ((rc = hc_order_release_hold(s, a, ids[i], actor, NULL, err)) != HC_OK)
                return rc;
            if (released)
                (*released)++;
        }
        if (n < PAGE)
            return HC_OK;
    }
}

int hc_wallet_topup(hc_store *s, hc_arena *a, const struct hc_topup *t,
                    struct hc_topup_result *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    if (t->currency == NULL || strlen(t->currency) != 3 || hc_currency_scale(t->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "not an ISO 4217 currency");
    if (t->minor <= 0)
        return hc_err_set(err, HC_EINVAL, "amount", "a top-up is a positive amount");
    if (t->reference == NULL || t->reference[0] == '\0' ||
        strlen(t->reference) > HC_TOPUP_REF_MAX)
        return hc_err_set(err, HC_EINVAL, "reference", "1 to %d characters (the receipt's"
                          " reference)", HC_TOPUP_REF_MAX);
    int rc = seller_known(s, t->seller, err);
    if (rc != HC_OK)
        return rc;
    char wallet[HC_ACCOUNT_MAX], receipts[HC_ACCOUNT_MAX];
    if (hc_money_account(wallet, sizeof(wallet), "seller", t->seller, "wallet") != HC_OK ||
        hc_money_account(receipts, sizeof(receipts), "seller", t->seller, "receipts") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "code", "not a seller code");
    struct hc_money_line lines[2] = {
        {.account = receipts, .currency = t->currency, .minor = t->minor, .memo = "top-up"},
        {.account = wallet, .currency = t->currency, .minor = -t->minor, .memo = "top-up"},
    };
    char idem[300];
    if (t->idem_key && t->idem_key[0])
        snprintf(idem, sizeof(idem), "topup/%s/%s", t->seller, t->idem_key);
    struct hc_money_entry e = {
        .actor = t->actor,
        .idem_key = t->idem_key && t->idem_key[0] ? idem : NULL,
        .cause_kind = HC_CAUSE_TOPUP,
        .cause_id = t->reference,
        .seller = t->seller,
        .warehouse = "",
        .at = t->at,
        .lines = lines,
        .nlines = 2,
    };
    if ((rc = hc_money_post(s, &e, &out->posted, err)) != HC_OK)
        return rc;
    if (out->posted.replayed)
        return HC_OK;
    return hc_credit_release(s, a, t->seller, t->actor, &out->released, err);
}

int hc_credit_set(hc_store *s, hc_arena *a, const char *seller, const char *currency,
                  int64_t limit_minor, const char *actor, int *released, hc_err *err)
{
    if (released)
        *released = 0;
    if (currency == NULL || strlen(currency) != 3 || hc_currency_scale(currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "not an ISO 4217 currency");
    if (limit_minor < 0)
        return hc_err_set(err, HC_EINVAL, "credit_limit", "must be >= 0");
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    static const char *const cols[] = {"seller", "currency",   "limit_minor",
                                       "actor",  "updated_at", NULL};
    char sql[512];
    hc_store_upsert_sql(s, sql, sizeof(sql), "credit_limits", cols, 2);
    rc = hc_store_run(s, err, NULL, sql, "ssisi", seller, currency, limit_minor,
                      actor ? actor : "", hc_now_ms());
    if (rc != HC_OK)
        return rc;
    return hc_credit_release(s, a, seller, actor, released, err);
}

int hc_wallet_get(hc_store *s, hc_arena *a, const char *seller, struct hc_wallet *out,
                  hc_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    out->seller = hc_arena_strdup(a, seller);
    char acct[HC_ACCOUNT_MAX];
    if (hc_money_account(acct, sizeof(acct), "seller", seller, "wallet") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "code", "not a seller code");
    /* currencies with a balance or a limit */
    hc_stmt *q;
    rc = hc_store_query(s, err, &q,
                        "SELECT currency FROM money_balances WHERE account = ? UNION SELECT"
                        " currency FROM credit_limits WHERE seller = ? ORDER BY 1",
                        "ss", acct, seller);
    if (rc != HC_OK)
        return rc;
    enum { CUR_MAX = 64 };
    out->rows = hc_arena_alloc(a, CUR_MAX * sizeof(*out->rows));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->n < CUR_MAX)
        out->rows[out->n++].currency = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;
    for (size_t i = 0; i < out->n; i++) {
        struct hc_wallet_row *r = &out->rows[i];
        int64_t bal = 0;
        if ((rc = hc_money_balance(s, acct, r->currency, &bal, err)) != HC_OK)
            return rc;
        r->available = -bal;
        rc = hc_store_int(s, err, &r->credit_limit,
                          "SELECT limit_minor FROM credit_limits WHERE seller = ? AND currency = ?",
                          "ss", seller, r->currency);
        if (rc == HC_ENOTFOUND) {
            hc_err_clear(err);
            r->credit_limit = -1;
        } else if (rc != HC_OK) {
            return rc;
        }
        r->over_limit = r->credit_limit >= 0 && r->available < -r->credit_limit;
        out->held = out->held || r->over_limit;
    }
    return hc_store_int(s, err, &out->held_orders,
                        "SELECT COUNT(*) FROM orders WHERE seller = ? AND status = ? AND"
                        " hold_reason = ?",
                        "sss", seller, hc_order_status_name(HC_ORDER_ON_HOLD), HC_HOLD_CREDIT);
}

int hc_wallet_convert(hc_store *s, const char *seller, const char *from, int64_t minor,
                      const char *to, const char *day, const char *actor, const char *idem_key,
                      struct hc_money_posted *posted, struct hc_fx_conversion *conv,
                      hc_err *err)
{
    memset(posted, 0, sizeof(*posted));
    if (minor <= 0)
        return hc_err_set(err, HC_EINVAL, "amount", "a conversion moves a positive amount");
    if (from && to && strcmp(from, to) == 0)
        return hc_err_set(err, HC_EINVAL, "to", "the same currency as the amount");
    int rc = seller_known(s, seller, err);
    if (rc != HC_OK)
        return rc;
    if ((rc = hc_fx_convert(s, from, to, day, minor, conv, err)) != HC_OK)
        return rc;
    /* only money the seller has, or credit it is given */
    char wacct[HC_ACCOUNT_MAX];
    if (hc_money_account(wacct, sizeof(wacct), "seller", seller, "wallet") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "code", "not a seller code");
    int64_t bal = 0, limit = 0;
    if ((rc = hc_money_balance(s, wacct, from, &bal, err)) != HC_OK)
        return rc;
    rc = hc_store_int(s, err, &limit,
                      "SELECT limit_minor FROM credit_limits WHERE seller = ? AND currency = ?",
                      "ss", seller, from);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        limit = 0;
    } else if (rc != HC_OK) {
        return rc;
    }
    if (-bal - minor < -limit)
        return hc_err_set(err, HC_ECONFLICT, "amount",
                          "the %s wallet holds less than that (with its credit limit)", from);
    if (conv->minor <= 0)
        return hc_err_set(err, HC_EINVAL, "amount", "converts to less than one minor unit of %s",
                          to);
    char wallet[HC_ACCOUNT_MAX], fx[HC_ACCOUNT_MAX];
    if (hc_money_account(wallet, sizeof(wallet), "seller", seller, "wallet") != HC_OK ||
        hc_money_account(fx, sizeof(fx), "seller", seller, "fx") != HC_OK)
        return hc_err_set(err, HC_EINVAL, "code", "not a seller code");
    struct hc_money_line lines[4] = {
        {.account = wallet, .currency = from, .minor = minor, .memo = "fx out"},
        {.account = fx, .currency = from, .minor = -minor, .memo = "fx out"},
        {.account = fx, .currency = to, .minor = conv->minor, .fx_rate = conv->rate,
         .fx_day = conv->day, .memo = "fx in"},
        {.account = wallet, .currency = to, .minor = -conv->minor, .fx_rate = conv->rate,
         .fx_day = conv->day, .memo = "fx in"},
    };
    char idem[300], cause[64];
    if (idem_key && idem_key[0])
        snprintf(idem, sizeof(idem), "fx/%s/%s", seller, idem_key);
    snprintf(cause, sizeof(cause), "%s/%s/%s", from, to, day);
    struct hc_money_entry e = {
        .actor = actor,
        .idem_key = idem_key && idem_key[0] ? idem : NULL,
        .cause_kind = HC_CAUSE_FX,
        .cause_id = cause,
        .seller = seller,
        .warehouse = "",
        .lines = lines,
        .nlines = 4,
    };
    return hc_money_post(s, &e, posted, err);
}

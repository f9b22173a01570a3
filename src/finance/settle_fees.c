/* settle_fees.c: external fees, the overseas costs haicang does not book
 * itself (head-haul freight invoices, last mile, taxes abroad,
 * compensation, advertising): checked, stored all or none, read back. */
#include "settle_private.h"

#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"

int hc_external_fee_validate(const struct hc_external_fee *f, int64_t now_ms, hc_err *err)
{
    if (f->order && (*f->order == '\0' || strlen(f->order) > HC_CODE_MAX * 2))
        return hc_err_set(err, HC_EINVAL, "order", "an order id, or absent for a period cost");
    if (f->type < 0 || f->type >= HC_FEE_NTYPES)
        return hc_err_set(err, HC_EINVAL, "type",
                          "one of storage, fulfilment, head_haul, last_mile, taxes, "
                          "compensation, advertising");
    if (f->currency == NULL || hc_currency_scale(f->currency) < 0)
        return hc_err_set(err, HC_EINVAL, "currency", "must be an ISO 4217 code");
    if (f->minor <= 0)
        return hc_err_set(err, HC_EINVAL, "amount", "must be > 0");
    char today[11];
    settle_beijing_day(now_ms, today);
    if (f->day == NULL || !hc_fx_day_valid(f->day))
        return hc_err_set(err, HC_EINVAL, "date", "must be a date YYYY-MM-DD");
    if (strcmp(f->day, today) > 0)
        return hc_err_set(err, HC_EINVAL, "date", "must not be after today (%s, Beijing)", today);
    size_t rl = f->reference ? strlen(f->reference) : 0;
    if (rl == 0 || rl > HC_EXTFEE_REF_MAX || !hc_utf8_valid(f->reference, rl))
        return hc_err_set(err, HC_EINVAL, "reference", "1 to %d characters of text",
                          HC_EXTFEE_REF_MAX);
    for (size_t i = 0; i < rl; i++)
        if ((unsigned char)f->reference[i] < 0x20)
            return hc_err_set(err, HC_EINVAL, "reference", "must not hold control characters");
    return HC_OK;
}

static int fee_field(hc_err *err, int code, size_t i, const char *field, const char *msg)
{
    char f[HC_ERR_FIELD_MAX];
    snprintf(f, sizeof(f), "fees[%zu].%s", i, field);
    return hc_err_set(err, code, f, "%s", msg);
}

int hc_external_fees_put(hc_store *s, hc_arena *a, const char *seller, struct hc_external_fee *f,
                         size_t n, const char *actor, hc_err *err)
{
    (void)a;
    if (!hc_seller_exists(s, seller, err)) {
        if (err->code != HC_ENOTFOUND && err->code != HC_OK)
            return err->code;
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", seller);
    }
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        const char *order = f[i].order ? f[i].order : "";
        int64_t one = 0;
        int rc;
        if (*order) {
            rc = hc_store_int(s, err, &one, "SELECT 1 FROM orders WHERE seller = ? AND id = ?",
                              "ss", seller, order);
            if (rc == HC_ENOTFOUND) {
                hc_err_clear(err);
                char msg[160];
                snprintf(msg, sizeof(msg), "no order %.64s of seller %s", order, seller);
                return fee_field(err, HC_EINVAL, i, "order", msg);
            }
            if (rc != HC_OK)
                return rc;
        }
        rc = hc_store_int(s, err, &one,
                          "SELECT 1 FROM external_fees WHERE seller = ? AND fee_type = ? AND"
                          " order_id = ? AND reference = ?",
                          "ssss", seller, hc_fee_type_names[f[i].type], order, f[i].reference);
        if (rc == HC_OK)
            return fee_field(err, HC_ECONFLICT, i, "reference",
                             "a fee of this type, order and reference is already recorded");
        if (rc != HC_ENOTFOUND)
            return rc;
        hc_err_clear(err);
        char id[HC_MONEY_ID_MAX];
        hc_id_format("xfee", hc_id_next(), id, sizeof(id));
        int64_t changes = 0;
        rc = hc_store_run(s, err, &changes,
                          "INSERT INTO external_fees (seller, id, order_id, fee_type, minor,"
                          " currency, day, reference, actor, created_at) VALUES (?, ?, ?, ?, ?,"
                          " ?, ?, ?, ?, ?)",
                          "ssssissssi", seller, id, order, hc_fee_type_names[f[i].type],
                          f[i].minor, f[i].currency, f[i].day, f[i].reference, actor, now);
        if (rc != HC_OK)
            return rc;
        if (changes != 1)
            return hc_err_set(err, HC_EINTERNAL, "", "external fee not stored");
        f[i].id = hc_arena_strdup(a, id);
        f[i].seller = seller;
        f[i].actor = actor;
        f[i].created_at = now;
    }
    return HC_OK;
}

int hc_external_fee_csv_parse(hc_arena *a, const char *text, size_t len, const char *seller,
                              int64_t now_ms, struct hc_external_fee **out, size_t *n,
                              hc_err *err)
{
    *out = NULL;
    *n = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct hc_external_fee *v = hc_arena_alloc(a, lines * sizeof(*v));
    char *copy = hc_arena_strndup(a, text, len);
    size_t lineno = 0;
    char *line = copy;
    while (line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *f[7] = {0};
        size_t nf = hc_csv_split(line, f, 7);
        char field[HC_ERR_FIELD_MAX];
        if ((nf == 1 && f[0][0] == '\0') || line[0] == '#' ||
            (lineno == 1 && strcmp(f[0], "order") == 0)) {
            line = next;
            continue; /* blank, comment, header */
        }
        if (nf != 6) {
            snprintf(field, sizeof(field), "line %zu", lineno);
            return hc_err_set(err, HC_EINVAL, field,
                              "order,type,amount,currency,date,reference expected");
        }
        if (*n >= HC_EXTFEE_IMPORT_MAX)
            return hc_err_set(err, HC_EINVAL, "body", "at most %d fees in one import",
                              HC_EXTFEE_IMPORT_MAX);
        struct hc_external_fee *x = &v[*n];
        x->seller = seller;
        x->order = *f[0] ? f[0] : NULL;
        x->type = hc_fee_type_parse(f[1]);
        x->currency = f[3];
        x->day = f[4];
        x->reference = f[5];
        int scale = hc_currency_scale(f[3]);
        hc_err e = {0};
        if (scale >= 0 && hc_decimal_parse(f[2], scale, &x->minor) != HC_OK) {
            hc_err_set(&e, HC_EINVAL, "amount",
                       "must be a decimal with at most %d fraction digits", scale);
        } else if (hc_external_fee_validate(x, now_ms, &e) == HC_OK) {
            (*n)++;
            line = next;
            continue;
        }
        snprintf(field, sizeof(field), "line %zu: %.80s", lineno, e.field);
        return hc_err_set(err, HC_EINVAL, field, "%s", e.msg);
    }
    if (*n == 0)
        return hc_err_set(err, HC_EINVAL, "body", "no fees");
    *out = v;
    return HC_OK;
}

int hc_external_fee_list(hc_store *s, hc_arena *a, const char *seller, const char *from,
                         const char *to, const char *cursor, int limit,
                         struct hc_external_fee **out, size_t *n, const char **next,
                         hc_err *err)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    if (limit <= 0 || limit > 1000)
        limit = 1000;
    char cday[11] = "";
    const char *cid = "";
    if (cursor) {
        const char *bar = strchr(cursor, '|');
        if (bar == NULL || bar - cursor != 10 || strlen(bar + 1) > HC_MONEY_ID_MAX)
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        memcpy(cday, cursor, 10);
        if (!hc_fx_day_valid(cday))
            return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
        cid = bar + 1;
    }
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, order_id, fee_type, minor, currency, day, reference,"
                            " actor, created_at FROM external_fees WHERE seller = ? AND"
                            " (? = '' OR day >= ?) AND (? = '' OR day <= ?) AND (? = '' OR"
                            " day > ? OR (day = ? AND id > ?)) ORDER BY day, id LIMIT ?",
                            "sssssssssi", seller, from ? from : "", from ? from : "",
                            to ? to : "", to ? to : "", cday, cday, cday, cid,
                            (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_external_fee *v = hc_arena_alloc(a, ((size_t)limit + 1) * sizeof(*v));
    bool more = false;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == (size_t)limit) {
            more = true;
            continue;
        }
        struct hc_external_fee *x = &v[(*n)++];
        x->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        x->seller = hc_arena_strdup(a, seller);
        x->order = *hc_stmt_text(q, 1) ? hc_arena_strdup(a, hc_stmt_text(q, 1)) : NULL;
        x->type = hc_fee_type_parse(hc_stmt_text(q, 2));
        x->minor = hc_stmt_int(q, 3);
        x->currency = settle_intern_cur(a, hc_stmt_text(q, 4));
        x->day = hc_arena_strdup(a, hc_stmt_text(q, 5));
        x->reference = hc_arena_strdup(a, hc_stmt_text(q, 6));
        x->actor = hc_arena_strdup(a, hc_stmt_text(q, 7));
        x->created_at = hc_stmt_int(q, 8);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (more && *n > 0)
        *next = hc_arena_printf(a, "%s|%s", v[*n - 1].day, v[*n - 1].id);
    *out = v;
    return HC_OK;
}

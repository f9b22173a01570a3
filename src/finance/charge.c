/* charge.c: charge arithmetic (exact, half-even per currency) and the charges
 * booked as things happen: receipts, shipped orders, returns. Each runs in
 * the caller's transaction, beside the goods journal entry it prices. */
#include "fin_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t hc_round_half_even(__int128 num, __int128 den)
{
    HC_ASSERT(den > 0);
    bool neg = num < 0;
    if (neg)
        num = -num;
    __int128 q = num / den, r = num % den;
    if (2 * r > den || (2 * r == den && (q & 1)))
        q++;
    return (int64_t)(neg ? -q : q);
}

static void add_line(struct hc_charge *c, const char *label, int64_t basis, int64_t minor)
{
    if (minor == 0 || c->n >= HC_CHARGE_LINES_MAX)
        return;
    struct hc_charge_line *l = &c->lines[c->n++];
    hc_strlcpy(l->label, label, sizeof(l->label));
    l->basis = basis;
    l->minor = minor;
}

void hc_charge_add(struct hc_charge *c, const char *label, int64_t basis, int64_t rate_e4,
                   int64_t per)
{
    HC_ASSERT(per > 0);
    int64_t m = hc_round_half_even((__int128)basis * rate_e4, (__int128)per * 10000);
    add_line(c, label, basis, m);
}

void hc_charge_finish(struct hc_charge *c, int64_t minimum, int64_t surcharge_bp)
{
    int64_t sub = 0;
    for (size_t i = 0; i < c->n; i++)
        sub += c->lines[i].minor;
    if (minimum > 0 && sub < minimum) {
        add_line(c, "minimum", 1, minimum - sub);
        sub = minimum;
    }
    if (surcharge_bp > 0) {
        char label[48];
        char pct[16];
        hc_decimal_format(surcharge_bp, 2, pct, sizeof(pct));
        snprintf(label, sizeof(label), "surcharge %s %%", pct);
        add_line(c, label, sub, hc_round_half_even((__int128)sub * surcharge_bp, 10000));
    }
    c->total = 0;
    for (size_t i = 0; i < c->n; i++)
        c->total += c->lines[i].minor;
}

/* ---- booking ------------------------------------------------------------------------- */

int fin_post_charge(hc_store *s, const struct fin_post *p, const struct hc_charge *c,
                    char *entry, hc_err *err)
{
    if (entry)
        entry[0] = '\0';
    if (c->total == 0)
        return HC_OK;
    char wallet[HC_ACCOUNT_MAX], revenue[HC_ACCOUNT_MAX];
    if (hc_money_account(wallet, sizeof(wallet), "seller", p->seller, "wallet") != HC_OK ||
        hc_money_account(revenue, sizeof(revenue), "wh", p->warehouse, "revenue") != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "", "account names of %s / %s", p->seller,
                          p->warehouse);
    struct hc_money_line ml[HC_CHARGE_LINES_MAX + 1];
    size_t k = 0;
    char memo[HC_CHARGE_LINES_MAX + 1][96];
    snprintf(memo[0], sizeof(memo[0]), "%s %s", p->kind, p->cause_id);
    ml[k++] = (struct hc_money_line){.account = wallet, .currency = c->currency,
                                      .minor = c->total, .memo = memo[0]};
    for (size_t i = 0; i < c->n; i++) {
        if (c->lines[i].minor == 0)
            continue;
        snprintf(memo[k], sizeof(memo[k]), "%s", c->lines[i].label);
        ml[k] = (struct hc_money_line){.account = revenue, .currency = c->currency,
                                        .minor = -c->lines[i].minor, .memo = memo[k]};
        k++;
    }
    struct hc_money_entry e = {.actor = p->actor ? p->actor : "",
                               .cause_kind = p->cause_kind,
                               .cause_id = p->cause_id,
                               .seller = p->seller,
                               .warehouse = p->warehouse,
                               .at = p->at,
                               .lines = ml,
                               .nlines = k};
    struct hc_money_posted posted;
    int rc = hc_money_post(s, &e, &posted, err);
    if (rc != HC_OK)
        return rc;
    char id[32];
    hc_id_format("chg", hc_id_next(), id, sizeof(id));
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO fin_charges (warehouse, id, seller, kind, cause_kind,"
                      " cause_id, day, card, currency, minor, entry, at, basis, corrects)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "sssssssssisiss", p->warehouse, id, p->seller, p->kind, p->cause_kind,
                      p->cause_id, p->day, p->card ? p->card : "", c->currency, c->total,
                      posted.id, p->at ? p->at : hc_now_ms(), p->basis ? p->basis : "",
                      p->corrects ? p->corrects : "");
    if (rc == HC_OK && entry)
        hc_strlcpy(entry, posted.id, HC_MONEY_ID_MAX);
    return rc;
}

int fin_warehouse_tz(hc_store *s, hc_arena *a, const char *warehouse, const char **tz,
                     hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT timezone FROM warehouses WHERE code = ?", "s",
                            warehouse);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *tz = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "warehouse", "no warehouse %s", warehouse);
    return rc == HC_ROW ? HC_OK : rc;
}

/* The card of (warehouse, seller) today; *found false (and HC_OK) when none. */
static int card_today(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                      struct hc_ratecard *card, char day[11], bool *found, hc_err *err)
{
    *found = false;
    const char *tz;
    int rc = fin_warehouse_tz(s, a, warehouse, &tz, err);
    if (rc != HC_OK)
        return rc;
    if (hc_tz_day(tz, hc_now_ms(), day) != HC_OK)
        return hc_err_set(err, HC_EINTERNAL, "", "time zone %s of %s", tz, warehouse);
    hc_err e = {0};
    rc = hc_ratecard_for(s, a, warehouse, seller, day, card, &e);
    *found = rc == HC_OK;
    if (rc == HC_ENOTFOUND)
        return HC_OK;
    if (rc != HC_OK)
        *err = e;
    return rc;
}

static int sku_size(hc_store *s, const char *seller, const char *sku, int64_t *mm3,
                    int64_t *weight_g, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT l * w * h, weight_g FROM skus WHERE seller = ? AND sku = ?",
                            "ss", seller, sku);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    *mm3 = *weight_g = 0;
    if (rc == HC_ROW) {
        *mm3 = hc_stmt_int(q, 0);
        *weight_g = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

/* ---- what an event charge is priced on ------------------------------------------------
 * Kept with the charge as "u=UNITS;v=MM3;w=GRAMS;s=SERVICE;q=Q1,Q2,..." (q: the
 * receipt's line quantities, for cartons), so a back-dated card can price it again. */
struct ev_basis {
    int64_t units, mm3, weight_g;
    const char *service; /* "relabel" | "kitting" */
    const char *qtys;    /* "3,10,7" */
};

static char *basis_text(hc_arena *a, const struct ev_basis *b)
{
    return hc_arena_printf(a, "u=%lld;v=%lld;w=%lld;s=%s;q=%s", (long long)b->units,
                           (long long)b->mm3, (long long)b->weight_g,
                           b->service ? b->service : "", b->qtys ? b->qtys : "");
}

static void basis_parse(hc_arena *a, const char *text, struct ev_basis *b)
{
    memset(b, 0, sizeof(*b));
    long long u = 0, v = 0, w = 0;
    char svc[16] = "";
    int n = 0;
    if (sscanf(text, "u=%lld;v=%lld;w=%lld;s=%15[a-z];%n", &u, &v, &w, svc, &n) < 3)
        return;
    b->units = u, b->mm3 = v, b->weight_g = w;
    b->service = hc_arena_strdup(a, svc);
    const char *q = strstr(text, ";q=");
    b->qtys = q ? hc_arena_strdup(a, q + 3) : "";
}

static int64_t cartons_of(const char *qtys, int64_t per)
{
    int64_t n = 0;
    for (const char *p = qtys; p && *p;) {
        char *end;
        long long q = strtoll(p, &end, 10);
        if (end == p)
            break;
        if (q > 0 && per > 0)
            n += (q + per - 1) / per;
        p = *end == ',' ? end + 1 : end;
    }
    return n;
}

static void price_outbound(const struct hc_ratecard *card, int64_t units, int64_t weight_g,
                           struct hc_charge *c);

/* The charge of an event of kind on basis b by card (pure). */
static void price_event(const struct hc_ratecard *card, const char *kind,
                        const struct ev_basis *b, struct hc_charge *c)
{
    memset(c, 0, sizeof(*c));
    c->currency = card->currency;
    if (strcmp(kind, "inbound") == 0) {
        if (card->inbound_basis == HC_RC_PER_CARTON)
            hc_charge_add(c, "inbound per carton", cartons_of(b->qtys, card->carton_units),
                          card->inbound_e4, 1);
        else if (card->inbound_basis == HC_RC_PER_INBOUND_M3)
            hc_charge_add(c, "inbound per m3", b->mm3, card->inbound_e4, 1000000000);
        else
            hc_charge_add(c, "inbound per unit", b->units, card->inbound_e4, 1);
        hc_charge_finish(c, card->min_inbound, card->surcharge_bp);
    } else if (strcmp(kind, "outbound") == 0) {
        price_outbound(card, b->units, b->weight_g, c);
    } else if (strcmp(kind, "return") == 0) {
        hc_charge_add(c, "returns per unit", b->units, card->return_unit_e4, 1);
        hc_charge_finish(c, card->min_return, card->surcharge_bp);
    } else if (strcmp(kind, "service") == 0) {
        bool relabel = b->service && strcmp(b->service, "relabel") == 0;
        hc_charge_add(c, relabel ? "relabel per unit" : "kitting per unit", b->units,
                      relabel ? card->relabel_unit_e4 : card->kitting_unit_e4, 1);
        hc_charge_finish(c, card->min_service, card->surcharge_bp);
    }
}

int hc_charge_receipt(hc_store *s, hc_arena *a, const char *inbound_id,
                      const struct hc_qty_line *lines, size_t n, const char *actor, hc_err *err)
{
    struct hc_inbound in;
    int rc = hc_inbound_get(s, a, inbound_id, &in, err);
    if (rc != HC_OK)
        return rc;
    struct hc_ratecard card;
    char day[11];
    bool found = false;
    if ((rc = card_today(s, a, in.warehouse, in.seller, &card, day, &found, err)) != HC_OK ||
        !found)
        return rc;
    struct ev_basis b = {0};
    hc_buf q;
    hc_buf_init(&q, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        int64_t v, g;
        if ((rc = sku_size(s, in.seller, lines[i].sku, &v, &g, err)) != HC_OK) {
            hc_buf_free(&q);
            return rc;
        }
        b.units += lines[i].qty;
        b.mm3 += lines[i].qty * v;
        if (hc_buf_printf(&q, "%s%lld", i ? "," : "", (long long)lines[i].qty) != HC_OK) {
            hc_buf_free(&q);
            return hc_err_set(err, HC_ETOOBIG, "lines", "too many lines");
        }
    }
    b.qtys = hc_arena_strndup(a, q.p ? q.p : "", q.n);
    hc_buf_free(&q);
    struct hc_charge c;
    price_event(&card, "inbound", &b, &c);
    struct fin_post p = {.warehouse = in.warehouse, .seller = in.seller, .kind = "inbound",
                         .cause_kind = HC_CAUSE_INBOUND, .cause_id = inbound_id, .day = day,
                         .card = card.id, .actor = actor, .basis = basis_text(a, &b)};
    return fin_post_charge(s, &p, &c, NULL, err);
}

/* The outbound price of an order of units weighing weight_g (pure; tests). */
static void price_outbound(const struct hc_ratecard *card, int64_t units, int64_t weight_g,
                           struct hc_charge *c)
{
    const struct hc_rc_break *b = &card->breaks[card->nbreaks - 1];
    for (size_t i = 0; i < card->nbreaks; i++)
        if (card->breaks[i].max_weight_g == HC_RC_DAY_OPEN ||
            weight_g <= card->breaks[i].max_weight_g) {
            b = &card->breaks[i];
            break;
        }
    char label[48];
    if (b->max_weight_g == HC_RC_DAY_OPEN)
        snprintf(label, sizeof(label), "outbound order, open break");
    else
        snprintf(label, sizeof(label), "outbound order <= %lld g", (long long)b->max_weight_g);
    hc_charge_add(c, label, 1, b->order_e4, 1);
    if (units > 1)
        hc_charge_add(c, "outbound extra units", units - 1, b->extra_unit_e4, 1);
    hc_charge_finish(c, card->min_outbound, card->surcharge_bp);
}

int hc_charge_shipment(hc_store *s, hc_arena *a, const char *order_id, const char *actor,
                       hc_err *err)
{
    struct hc_order o;
    int rc = hc_order_get(s, a, order_id, &o, err);
    if (rc != HC_OK)
        return rc;
    if (o.warehouse == NULL)
        return HC_OK;
    struct hc_ratecard card;
    char day[11];
    bool found = false;
    if ((rc = card_today(s, a, o.warehouse, o.seller, &card, day, &found, err)) != HC_OK ||
        !found)
        return rc;
    int64_t units = 0, weight = 0;
    for (size_t i = 0; i < o.nlines; i++) {
        int64_t v, g;
        if ((rc = sku_size(s, o.seller, o.lines[i].sku, &v, &g, err)) != HC_OK)
            return rc;
        units += o.lines[i].qty;
        weight += o.lines[i].qty * g;
    }
    struct ev_basis b = {.units = units, .weight_g = weight};
    struct hc_charge c;
    price_event(&card, "outbound", &b, &c);
    struct fin_post p = {.warehouse = o.warehouse, .seller = o.seller, .kind = "outbound",
                         .cause_kind = HC_CAUSE_ORDER, .cause_id = order_id, .day = day,
                         .card = card.id, .actor = actor, .basis = basis_text(a, &b)};
    return fin_post_charge(s, &p, &c, NULL, err);
}

int hc_charge_return(hc_store *s, hc_arena *a, const struct hc_return *r, const char *actor,
                     hc_err *err)
{
    struct hc_ratecard card;
    char day[11];
    bool found = false;
    int rc = card_today(s, a, r->warehouse, r->seller, &card, day, &found, err);
    if (rc != HC_OK || !found)
        return rc;
    int64_t units = 0;
    for (size_t i = 0; i < r->nlines; i++)
        units += r->lines[i].qty;
    struct ev_basis b = {.units = units};
    struct hc_charge c;
    price_event(&card, "return", &b, &c);
    struct fin_post p = {.warehouse = r->warehouse, .seller = r->seller, .kind = "return",
                         .cause_kind = HC_CAUSE_RETURN, .cause_id = r->id, .day = day,
                         .card = card.id, .actor = actor, .basis = basis_text(a, &b)};
    return fin_post_charge(s, &p, &c, NULL, err);
}

int hc_charge_service(hc_store *s, hc_arena *a, const char *warehouse, const char *seller,
                      const char *service, int64_t units, const char *id, const char *actor,
                      struct hc_charge *out, hc_err *err)
{
    bool relabel = service && strcmp(service, "relabel") == 0;
    if (!relabel && !(service && strcmp(service, "kitting") == 0))
        return hc_err_set(err, HC_EINVAL, "service", "must be relabel or kitting");
    if (units <= 0 || units > 1000000)
        return hc_err_set(err, HC_EINVAL, "units", "must be 1..1000000");
    int64_t n = 0;
    int rc = hc_store_int(s, err, &n, "SELECT COUNT(*) FROM sellers WHERE code = ?", "s", seller);
    if (rc != HC_OK)
        return rc;
    if (n == 0)
        return hc_err_set(err, HC_EINVAL, "seller", "no seller %s", seller);
    struct hc_ratecard card;
    char day[11];
    bool found = false;
    if ((rc = card_today(s, a, warehouse, seller, &card, day, &found, err)) == HC_ENOTFOUND) {
        hc_err_clear(err); /* an unknown warehouse is bad input here */
        return hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", warehouse);
    }
    if (rc != HC_OK)
        return rc;
    if (!found)
        return hc_err_set(err, HC_ECONFLICT, "warehouse",
                          "no rate card of %s covers %s for %s", warehouse, day, seller);
    struct ev_basis b = {.units = units, .service = relabel ? "relabel" : "kitting"};
    price_event(&card, "service", &b, out);
    struct fin_post p = {.warehouse = warehouse, .seller = seller, .kind = "service",
                         .cause_kind = HC_CAUSE_SERVICE, .cause_id = id, .day = day,
                         .card = card.id, .actor = actor, .basis = basis_text(a, &b)};
    return fin_post_charge(s, &p, out, NULL, err);
}

/* ---- re-rating charges at events ------------------------------------------------------ */

struct ev_row {
    const char *id, *seller, *kind, *entry, *basis;
};
struct cur_sum {
    char currency[4];
    int64_t minor;
};

int fin_rerate_events(hc_store *s, hc_arena *a, const char *warehouse, const char *day,
                      const char *actor, int *entries, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, seller, kind, entry, basis FROM fin_charges"
                            " WHERE warehouse = ? AND day = ? AND kind IN ('inbound', 'outbound',"
                            " 'return', 'service') AND cause_kind <> 'correction' ORDER BY id",
                            "ss", warehouse, day);
    if (rc != HC_OK)
        return rc;
    struct ev_row *rows = NULL;
    size_t n = 0, cap = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct ev_row *nr = hc_arena_alloc(a, cap * sizeof(*nr));
            if (n)
                memcpy(nr, rows, n * sizeof(*nr));
            rows = nr;
        }
        rows[n++] = (struct ev_row){hc_arena_strdup(a, hc_stmt_text(q, 0)),
                                    hc_arena_strdup(a, hc_stmt_text(q, 1)),
                                    hc_arena_strdup(a, hc_stmt_text(q, 2)),
                                    hc_arena_strdup(a, hc_stmt_text(q, 3)),
                                    hc_arena_strdup(a, hc_stmt_text(q, 4))};
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    rc = HC_OK;
    for (size_t i = 0; rc == HC_OK && i < n; i++) {
        const struct ev_row *o = &rows[i];
        if (o->basis[0] == '\0')
            continue; /* booked before bases were kept */
        struct ev_basis b;
        basis_parse(a, o->basis, &b);
        struct hc_ratecard card;
        hc_err e = {0};
        struct hc_charge want = {0};
        int r = hc_ratecard_for(s, a, warehouse, o->seller, day, &card, &e);
        if (r == HC_OK)
            price_event(&card, o->kind, &b, &want);
        else if (r != HC_ENOTFOUND) {
            *err = e;
            return r;
        }
        /* what the charge and its corrections booked, per currency */
        struct cur_sum have[8];
        size_t nh = 0;
        rc = hc_store_query(s, err, &q,
                            "SELECT currency, SUM(minor) FROM fin_charges WHERE warehouse = ?"
                            " AND (id = ? OR corrects = ?) GROUP BY currency",
                            "sss", warehouse, o->id, o->id);
        if (rc != HC_OK)
            return rc;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW)
            if (nh < HC_ARRAY_LEN(have)) {
                hc_strlcpy(have[nh].currency, hc_stmt_text(q, 0), sizeof(have[nh].currency));
                have[nh++].minor = hc_stmt_int(q, 1);
            }
        hc_stmt_reset(q);
        if (rc != HC_DONE)
            return rc;
        rc = HC_OK;
        /* the wanted currency first, then every other currency back to 0 */
        struct cur_sum diffs[9];
        size_t nd = 0;
        if (want.currency) {
            int64_t h = 0;
            for (size_t k = 0; k < nh; k++)
                if (strcmp(have[k].currency, want.currency) == 0)
                    h = have[k].minor;
            hc_strlcpy(diffs[nd].currency, want.currency, sizeof(diffs[nd].currency));
            diffs[nd++].minor = want.total - h;
        }
        for (size_t k = 0; k < nh; k++)
            if (!want.currency || strcmp(have[k].currency, want.currency) != 0) {
                diffs[nd] = have[k];
                diffs[nd++].minor = -have[k].minor;
            }
        for (size_t k = 0; rc == HC_OK && k < nd; k++) {
            if (diffs[k].minor == 0)
                continue;
            struct hc_charge c = {.currency = diffs[k].currency, .n = 1,
                                  .total = diffs[k].minor};
            snprintf(c.lines[0].label, sizeof(c.lines[0].label), "%s re-rated", o->kind);
            c.lines[0].basis = 1;
            c.lines[0].minor = diffs[k].minor;
            struct fin_post p = {.warehouse = warehouse, .seller = o->seller, .kind = o->kind,
                                 .cause_kind = HC_CAUSE_CORRECTION, .cause_id = o->entry,
                                 .day = day, .card = r == HC_OK ? card.id : "", .actor = actor,
                                 .corrects = o->id};
            rc = fin_post_charge(s, &p, &c, NULL, err);
            if (rc == HC_OK && entries)
                (*entries)++;
        }
    }
    return rc;
}

int hc_charge_list(hc_store *s, hc_arena *a, const struct hc_charge_filter *f,
                   struct hc_charge_row **out, size_t *n, const char **next, hc_err *err)
{
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    const char *w = f->warehouse ? f->warehouse : "", *sl = f->seller ? f->seller : "",
               *k = f->kind ? f->kind : "", *cid = f->cause_id ? f->cause_id : "",
               *d = f->day ? f->day : "", *cur = f->cursor ? f->cursor : "";
    hc_stmt *q;
    int rc = hc_store_query(
        s, err, &q,
        "SELECT id, warehouse, seller, kind, cause_kind, cause_id, day, card, currency, minor,"
        " entry, at FROM fin_charges WHERE (? = '' OR warehouse = ?) AND (? = '' OR seller = ?)"
        " AND (? = '' OR kind = ?) AND (? = '' OR cause_id = ?) AND (? = '' OR day = ?)"
        " AND (? = '' OR id > ?) ORDER BY id LIMIT ?",
        "ssssssssssssi", w, w, sl, sl, k, k, cid, cid, d, d, cur, cur, (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    struct hc_charge_row *v = hc_arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
    size_t m = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        struct hc_charge_row *r = &v[m++];
        const char **t[] = {&r->id,      &r->warehouse, &r->seller, &r->kind,
                            &r->cause_kind, &r->cause_id, &r->day,  &r->card,
                            &r->currency};
        for (int i = 0; i < 9; i++)
            *t[i] = hc_arena_strdup(a, hc_stmt_text(q, i));
        r->minor = hc_stmt_int(q, 9);
        r->entry = hc_arena_strdup(a, hc_stmt_text(q, 10));
        r->at = hc_stmt_int(q, 11);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    *next = NULL;
    if (m > (size_t)limit) {
        m = (size_t)limit;
        *next = v[m - 1].id;
    }
    *out = v;
    *n = m;
    return HC_OK;
}

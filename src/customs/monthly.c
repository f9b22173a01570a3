/* monthly.c: what follows a list's release: the bill of lading link
 * (CEB607), the monthly summary declaration (CEB701), returns (CEB213) and
 * their tally (CEB215). */
#include "records.h"

#include "catalog/catalog.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>


/* "<prefix>_" + 13 base-36 digits of a fresh id: time-ordered, 17 characters
 * (coElNo of CEB215 takes at most 20). */
static const char *short_id(hc_arena *a, const char *prefix)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char b[14];
    uint64_t v = (uint64_t)hc_id_next();
    for (int i = 12; i >= 0; i--) {
        b[i] = digits[v % 36];
        v /= 36;
    }
    b[13] = '\0';
    return hc_arena_printf(a, "%s_%s", prefix, b);
}

static bool four_digits(const char *v)
{
    return v && strlen(v) == 4 && hc_all_digits(v, 4);
}

/* ---- CEB607 ---------------------------------------------------------------------- */

int hc_customs_bill_link(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                         const struct hc_customs_bill_req *b, const char **bill_cop_no,
                         hc_err *err)
{
    int rc;
    struct rec_out o;
    struct hc_customs_registration ebc, agent, logistics;
    rec_out_init(&o, a);
    if ((rc = hc_check_text(b->bill_no, "bill_no", 37, false, err)) != HC_OK ||
        (rc = hc_check_text(b->voyage_no, "voyage_no", 32, false, err)) != HC_OK ||
        (rc = hc_check_text(b->traf_name, "traf_name", 100, true, err)) != HC_OK)
        return rc;
    if (b->traf_mode == NULL ||
        hc_customs_ref_name(rec_ref(x), HC_CUSTOMS_T_TRANSPORT, b->traf_mode) == NULL)
        return hc_err_set(err, HC_EINVAL, "traf_mode", "unknown transport mode");
    if (b->n_lists == 0 || b->n_lists > 1000)
        return hc_err_set(err, HC_EINVAL, "lists", "1..1000 lists");
    hc_customs_bill_item *items = hc_arena_alloc(a, b->n_lists * sizeof(*items));
    int64_t gross = 0;
    const char *customs_code = NULL;
    for (size_t i = 0; i < b->n_lists; i++) {
        struct hc_customs_list l;
        const char *f = hc_arena_printf(a, "lists[%zu]", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->list_ids[j], b->list_ids[i]) == 0)
                return hc_err_set(err, HC_EINVAL, f,
                                  "list %s is already lists[%zu]: a bill names each list once",
                                  b->list_ids[i], j);
        if ((rc = hc_customs_list_get(s, a, b->list_ids[i], &l, err)) != HC_OK ||
            strcmp(l.seller, b->seller) != 0)
            return rc == HC_OK || rc == HC_ENOTFOUND
                       ? (hc_err_clear(err),
                          hc_err_set(err, HC_ENOTFOUND, f, "no customs list %s", b->list_ids[i]))
                       : rc;
        if (l.state == HC_CUSTOMS_REJECTED || l.state < 0)
            return hc_err_set(err, HC_ECONFLICT, f, "list %s is %s", l.id, l.state_name);
        int64_t g = 0;
        if (hc_decimal_parse(l.gross_weight, 5, &g) == HC_OK)
            gross += g;
        items[i] = (hc_customs_bill_item){.logisticsNo = l.logistics_no,
                                          .invtNo = l.invt_no && *l.invt_no ? l.invt_no : NULL};
        if (customs_code == NULL)
            customs_code = l.customs_code;
    }
    if ((rc = rec_sender(s, a, b->seller, &ebc, &agent, err)) != HC_OK ||
        (rc = rec_registration(s, a, b->seller, "logistics", true, &logistics, err)) != HC_OK)
        return rc;
    const char *cop = short_id(a, "cib");
    char t14[16];
    hc_customs_time14(hc_now_ms(), t14, sizeof(t14));
    hc_customs_bill bill = {
        .head = {.guid = rec_guid(a), .appTime = hc_arena_strdup(a, t14),
                 .customsCode = customs_code, .copNo = cop, .agentCode = agent.code,
                 .agentName = agent.name, .trafMode = b->traf_mode,
                 .trafName = b->traf_name ? b->traf_name
                                          : hc_customs_ref_name(rec_ref(x), HC_CUSTOMS_T_TRANSPORT,
                                                                b->traf_mode),
                 .voyageNo = b->voyage_no, .billNo = b->bill_no,
                 .grossWeight = b->gross_weight ? b->gross_weight : rec_dec(a, gross, 5),
                 .logisticsCode = logistics.code, .logisticsName = logistics.name},
        .items = items, .n_items = b->n_lists};
    hc_customs_msg m = {.type = 607, .guid = rec_guid(a),
                        .transfer = {.copCode = agent.code, .copName = agent.name,
                                     .dxpId = agent.dxp_id},
                        .n_docs = 1, .bills = &bill};
    if ((rc = rec_out_add(&o, x, &m, cop, err)) != HC_OK)
        goto done;
    for (size_t i = 0; i < b->n_lists; i++) {
        rc = hc_store_run(s, err, NULL,
                          "UPDATE customs_lists SET bill_no = ?, bill_cop_no = ?, updated_at = ?"
                          " WHERE seller = ? AND id = ?",
                          "ssiss", b->bill_no, cop, hc_now_ms(), b->seller, b->list_ids[i]);
        if (rc == HC_OK)
            rc = rec_history(s, b->seller, b->list_ids[i], HC_CUSTOMS_DECLARED, "CEB607",
                             hc_arena_printf(a, "on bill %s (%s)", b->bill_no, cop), b->actor,
                             err);
        if (rc != HC_OK)
            goto done;
    }
    if ((rc = rec_out_commit(&o, s, x, b->seller, err)) != HC_OK)
        goto done;
    *bill_cop_no = cop;
done:
    rec_out_free(&o);
    return rc;
}

/* ---- CEB701 ---------------------------------------------------------------------- */

struct due {
    const char *id, *customs_code;
};

static int load_due(hc_store *s, hc_arena *a, const char *seller, int64_t from, int64_t to,
                    hc_customs_rel_list **lists, struct due **due, size_t *n, hc_err *err)
{
    hc_stmt *q;
    size_t cap = 64;
    *n = 0;
    *lists = hc_arena_alloc(a, cap * sizeof(**lists));
    *due = hc_arena_alloc(a, cap * sizeof(**due));
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, invt_no, ebc_code, owner_code, traf_mode, country,"
                            " port_code, gross_weight, net_weight, customs_code FROM customs_lists"
                            " WHERE seller = ? AND state IN (800, 899) AND released_at >= ? AND"
                            " released_at < ? AND summary_id IS NULL ORDER BY released_at, id",
                            "sii", seller, from, to);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (*n == cap) {
            hc_customs_rel_list *nl = hc_arena_alloc(a, 2 * cap * sizeof(*nl));
            struct due *nd = hc_arena_alloc(a, 2 * cap * sizeof(*nd));
            memcpy(nl, *lists, cap * sizeof(*nl));
            memcpy(nd, *due, cap * sizeof(*nd));
            *lists = nl;
            *due = nd;
            cap *= 2;
        }
        hc_customs_rel_list *l = &(*lists)[*n];
        struct due *d = &(*due)[(*n)++];
        d->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        l->invtNo = hc_arena_strdup(a, hc_stmt_text(q, 1));
        l->ebcCode = hc_arena_strdup(a, hc_stmt_text(q, 2));
        l->ownerCode = hc_arena_strdup(a, hc_stmt_text(q, 3));
        l->trafMode = hc_arena_strdup(a, hc_stmt_text(q, 4));
        l->country = hc_arena_strdup(a, hc_stmt_text(q, 5));
        l->portCode = hc_arena_strdup(a, hc_stmt_text(q, 6));
        l->grossWeight = hc_arena_strdup(a, hc_stmt_text(q, 7));
        l->netWeight = hc_arena_strdup(a, hc_stmt_text(q, 8));
        d->customs_code = hc_arena_strdup(a, hc_stmt_text(q, 9));
        l->customsCode = d->customs_code;
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    for (size_t i = 0; i < *n; i++) {
        hc_customs_rel_list *l = &(*lists)[i];
        if (*l->invtNo == '\0')
            return hc_err_set(err, HC_ECONFLICT, hc_arena_printf(a, "lists[%s].invtNo", (*due)[i].id),
                              "released list %s has no invtNo from customs", (*due)[i].id);
        hc_customs_rel_item *it = hc_arena_alloc(a, 100 * sizeof(*it));
        rc = hc_store_query(s, err, &q,
                            "SELECT gcode, item_name, country, currency, unit1, qty1, total_price"
                            " FROM customs_list_items WHERE seller = ? AND list_id = ? ORDER BY"
                            " gnum",
                            "ss", seller, (*due)[i].id);
        if (rc != HC_OK)
            return rc;
        size_t k = 0;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW && k < 100) {
            it[k].gcode = hc_arena_strdup(a, hc_stmt_text(q, 0));
            it[k].itemName = hc_arena_strdup(a, hc_stmt_text(q, 1));
            it[k].country = hc_arena_strdup(a, hc_stmt_text(q, 2));
            it[k].currency = hc_arena_strdup(a, hc_stmt_text(q, 3));
            it[k].unit1 = hc_arena_strdup(a, hc_stmt_text(q, 4));
            it[k].qty1 = hc_arena_strdup(a, hc_stmt_text(q, 5));
            it[k].totalPrice = hc_arena_strdup(a, hc_stmt_text(q, 6));
            k++;
        }
        hc_stmt_reset(q);
        if (rc != HC_DONE && rc != HC_ROW)
            return rc;
        l->items = it;
        l->n_items = k;
    }
    return HC_OK;
}

/* The first summary of seller's month, or NULL. */
static int first_summary(hc_store *s, hc_arena *a, const char *seller, const char *month,
                         const char **id, int64_t *at, hc_err *err)
{
    hc_stmt *q;
    *id = NULL;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, created_at FROM customs_summaries WHERE seller = ? AND"
                            " period = ? ORDER BY created_at, id",
                            "ss", seller, month);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        *id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        *at = hc_stmt_int(q, 1);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_customs_summary_run(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *seller,
                           const char *month, int summary_flag, int item_name_flag,
                           bool supplement, const char *actor,
                           struct hc_customs_summary_row **out, size_t *n_out, hc_err *err)
{
    const char *first = NULL;
    int64_t first_at = 0;
    int rc;
    int64_t from, to;
    hc_customs_rel_list *lists;
    struct due *due;
    size_t n, ng;
    hc_customs_summary *g;
    struct hc_customs_registration ebc, agent;
    struct rec_out o;
    rec_out_init(&o, a);
    if ((rc = rec_month(month, &from, &to, err)) != HC_OK)
        return rc;
    if (summary_flag != 1 && summary_flag != 2)
        return hc_err_set(err, HC_EINVAL, "summary_flag", "must be 1 or 2");
    if (item_name_flag != 0 && item_name_flag != 1)
        return hc_err_set(err, HC_EINVAL, "item_name_flag", "must be 0 or 1");
    /* A month is summarised once, after it has ended (Beijing time); lists
     * released in it that customs reports later go into a supplementary
     * declaration, asked for as such. */
    if (hc_now_ms() < to)
        return hc_err_set(err, HC_ECONFLICT, "month",
                          "%s has not ended (Beijing time): a month is summarised once, after "
                          "it ends",
                          month);
    if ((rc = first_summary(s, a, seller, month, &first, &first_at, err)) != HC_OK)
        return rc;
    if ((rc = load_due(s, a, seller, from, to, &lists, &due, &n, err)) != HC_OK)
        return rc;
    if (supplement && first == NULL)
        return hc_err_set(err, HC_ECONFLICT, "supplement",
                          "%s has not been summarised yet: summarise it first (without "
                          "supplement)",
                          month);
    if (!supplement && first != NULL)
        return n > 0 ? hc_err_set(err, HC_ECONFLICT, "month",
                                  "%s was summarised already (%s); %zu list(s) released in it "
                                  "were reported later: declare them as a supplement",
                                  month, first, n)
                     : hc_err_set(err, HC_ECONFLICT, "month", "%s was summarised already (%s)",
                                  month, first);
    if (n == 0)
        return hc_err_set(err, HC_ECONFLICT, "month",
                          "seller %s has no released list in %s left to summarise", seller, month);
    if ((rc = rec_sender(s, a, seller, &ebc, &agent, err)) != HC_OK)
        return rc;
    if ((rc = hc_customs_summarise(a, lists, n, summary_flag, item_name_flag, &g, &ng, err)) !=
        HC_OK)
        return rc;
    /* startTime/endTime stay empty: with a time range customs ignores the
     * invtNo list (spec table 2-73) and would summarise every list of the
     * range into one request, undoing the grouping. */
    const char *note = supplement ? hc_arena_printf(a, "补充申报 supplementary declaration: lists "
                                                       "released in %s after summary %s",
                                                    month, first)
                                  : NULL;
    *out = hc_arena_alloc(a, ng * sizeof(**out));
    *n_out = ng;
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < ng; i++) {
        struct hc_customs_summary_row *row = &(*out)[i];
        HC_ASSERT(g[i].customsCode && *g[i].customsCode); /* a merge key, checked by summarise */
        hc_customs_sumapply sa = {
            .head = {.guid = rec_guid(a), .customsCode = g[i].customsCode,
                     .agentCode = agent.code, .agentName = agent.name, .ebcCode = g[i].ebcCode,
                     .ebcName = ebc.name, .declAgentCode = agent.code,
                     .declAgentName = agent.name, .summaryFlag = summary_flag == 2 ? "2" : "1",
                     .itemNameFlag = item_name_flag ? "1" : rec_rules(x)->item_name_off,
                     .note = note},
            .invtNos = (const char *const *)g[i].invtNos, .n_invt = g[i].n_invt};
        char t14[16];
        hc_customs_time14(now, t14, sizeof(t14));
        sa.head.appTime = hc_arena_strdup(a, t14);
        *row = (struct hc_customs_summary_row){
            .id = short_id(a, "cis"), .seller = seller, .month = month, .guid = sa.head.guid,
            .ebc_code = g[i].ebcCode, .owner_code = g[i].ownerCode, .traf_mode = g[i].trafMode,
            .country = g[i].country, .port_code = g[i].portCode,
            .total_price = rec_dec(a, g[i].totalPrice, 5), .summary_flag = summary_flag,
            .item_name_flag = item_name_flag, .n_lists = (int64_t)g[i].n_invt,
            .n_lines = (int64_t)g[i].n_lines, .state = HC_CUSTOMS_DECLARED, .created_at = now,
            .part = (int64_t)g[i].part, .parts = (int64_t)g[i].n_parts,
            .customs_code = g[i].customsCode, .supplement = supplement,
            .supplement_of = supplement ? first : NULL};
        sa.head.copNo = row->id;
        hc_customs_msg m = {.type = 701, .guid = rec_guid(a),
                            .transfer = {.copCode = agent.code, .copName = agent.name,
                                         .dxpId = agent.dxp_id},
                            .n_docs = 1, .summaries = &sa};
        if ((rc = rec_out_add(&o, x, &m, row->id, err)) != HC_OK)
            goto done;
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO customs_summaries (seller, id, period, guid, summary_flag,"
                          " item_name_flag, ebc_code, owner_code, traf_mode, country, port_code,"
                          " n_lists, n_lines, total_price, state, created_at, updated_at, part,"
                          " parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssiisssssiisiiiii", seller, row->id, month, row->guid,
                          (int64_t)summary_flag, (int64_t)item_name_flag, row->ebc_code,
                          row->owner_code, row->traf_mode, row->country, row->port_code,
                          row->n_lists, row->n_lines, row->total_price, row->state, now, now,
                          row->part, row->parts);
        if (rc != HC_OK)
            goto done;
        row->list_ids = hc_arena_alloc(a, g[i].n_invt * sizeof(*row->list_ids));
        for (size_t k = 0; k < g[i].n_invt; k++) {
            row->list_ids[k] = NULL;
            for (size_t j = 0; j < n; j++)
                if (strcmp(lists[j].invtNo, g[i].invtNos[k]) == 0)
                    row->list_ids[k] = due[j].id;
            HC_ASSERT(row->list_ids[k] != NULL); /* summarise returns the invtNos it was given */
            int64_t changed = 0;
            rc = hc_store_run(s, err, &changed,
                              "UPDATE customs_lists SET summary_id = ?, updated_at = ? WHERE"
                              " seller = ? AND id = ? AND summary_id IS NULL",
                              "siss", row->id, now, seller, row->list_ids[k]);
            if (rc == HC_OK && changed != 1)
                rc = hc_err_set(err, HC_ECONFLICT, "month",
                                "list %s was summarised by another request meanwhile",
                                row->list_ids[k]);
            if (rc == HC_OK)
                rc = rec_history(s, seller, row->list_ids[k], HC_CUSTOMS_RELEASED, "CEB701",
                                 supplement ? hc_arena_printf(a, "in supplementary summary %s "
                                                                 "(after %s)",
                                                              row->id, first)
                                            : hc_arena_printf(a, "in summary %s", row->id),
                                 actor, err);
            if (rc != HC_OK)
                goto done;
        }
    }
    rc = rec_out_commit(&o, s, x, seller, err);
done:
    rec_out_free(&o);
    return rc;
}

/* ---- returns: CEB213 and CEB215 ---------------------------------------------------- */

int hc_customs_return_get(hc_store *s, hc_arena *a, const char *id,
                          struct hc_customs_return *out, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id, seller, list_id, guid, customs_code, port_code, cross_zone,"
                            " reason, logistics_no, state, state_info, tallied_at, created_at FROM"
                            " customs_returns WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->list_id = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->guid = hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->customs_code = hc_arena_strdup(a, hc_stmt_text(q, 4));
        out->port_code = hc_arena_strdup(a, hc_stmt_text(q, 5));
        out->cross_zone = hc_stmt_int(q, 6) != 0;
        out->reason = hc_arena_strdup(a, hc_stmt_text(q, 7));
        out->logistics_no = hc_arena_strdup(a, hc_stmt_text(q, 8));
        out->state = hc_stmt_int(q, 9);
        out->state_info = hc_stmt_is_null(q, 10) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 10));
        out->tallied_at = hc_stmt_is_null(q, 11) ? 0 : hc_stmt_int(q, 11);
        out->created_at = hc_stmt_int(q, 12);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no customs return %s", id);
    }
    hc_stmt_reset(q);
    return rc;
}

static int open_return(hc_store *s, hc_arena *a, const char *list_id, const char **id,
                       hc_err *err)
{
    hc_stmt *q;
    *id = NULL;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id FROM customs_returns WHERE list_id = ? AND state >= 0 AND"
                            " state <> 100",
                            "s", list_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int hc_customs_return_start(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                            const struct hc_customs_return_req *r, struct hc_customs_return *out,
                            hc_err *err)
{
    int rc;
    struct hc_customs_list l;
    struct hc_customs_registration ebc, agent, ebp, logistics;
    struct rec_out o;
    const char *existing;
    rec_out_init(&o, a);
    if (r->list_id == NULL)
        return hc_err_set(err, HC_EINVAL, "list", "required");
    if ((rc = hc_customs_list_get(s, a, r->list_id, &l, err)) != HC_OK ||
        (r->tenant_seller && strcmp(l.seller, r->tenant_seller) != 0))
        return rc == HC_OK || rc == HC_ENOTFOUND
                   ? (hc_err_clear(err),
                      hc_err_set(err, HC_ENOTFOUND, "list", "no customs list %s", r->list_id))
                   : rc;
    if (strcmp(l.trade_mode, "9610") != 0)
        return hc_err_set(err, HC_ECONFLICT, "list", "returns are for 9610 parcels, not %s",
                          l.trade_mode);
    if (l.state != HC_CUSTOMS_RELEASED && l.state != HC_CUSTOMS_CLEARED)
        return hc_err_set(err, HC_ECONFLICT, "list", "list %s is not released (%s)", l.id,
                          l.state_name);
    if (l.invt_no == NULL || *l.invt_no == '\0')
        return hc_err_set(err, HC_ECONFLICT, "list", "list %s has no invtNo", l.id);
    int days = rec_rules(x)->return_days; /* data: customs_rules.csv */
    if (l.released_at > 0 && hc_now_ms() - l.released_at > (int64_t)days * HC_DAY_MS)
        return hc_err_set(err, HC_ECONFLICT, "list",
                          "released more than %d days ago: goods may no longer re-enter as a "
                          "return (rule return_days)", days);
    if ((rc = open_return(s, a, l.id, &existing, err)) != HC_OK)
        return rc;
    if (existing)
        return hc_err_set(err, HC_ECONFLICT, "list", "list %s already has return %s", l.id,
                          existing);
    const char *customs_code = r->customs_code ? r->customs_code : l.customs_code;
    const char *port_code = r->port_code ? r->port_code : customs_code;
    if (!four_digits(customs_code))
        return hc_err_set(err, HC_EINVAL, "customs_code", "must be 4 digits");
    if (!four_digits(port_code))
        return hc_err_set(err, HC_EINVAL, "port_code", "must be 4 digits");
    if ((rc = hc_check_text(r->reason, "reason", 500, false, err)) != HC_OK)
        return rc;
    /* The return's waybill: given, else the export list's when it is a real
     * carrier number (an order declared without a tracking number carries
     * its order id there, which is no waybill). */
    const char *logistics_no = r->logistics_no;
    if (logistics_no == NULL && l.logistics_no && *l.logistics_no &&
        strncmp(l.logistics_no, l.ref, strlen(l.ref)) != 0)
        logistics_no = l.logistics_no;
    if (logistics_no == NULL)
        return hc_err_set(err, HC_EINVAL, "logistics_no",
                          "required: the list %s has no carrier waybill number", l.id);
    if ((rc = hc_check_text(logistics_no, "logistics_no", 32, false, err)) != HC_OK)
        return rc;
    const char *traf_mode = r->traf_mode ? r->traf_mode : l.traf_mode;
    if (hc_customs_ref_name(rec_ref(x), HC_CUSTOMS_T_TRANSPORT, traf_mode) == NULL)
        return hc_err_set(err, HC_EINVAL, "traf_mode", "unknown transport mode");
    /* CEB213 requires the conveyance and its voyage as declared to the
     * transport authority; nothing in haicang's records knows them, so they
     * are given, never made up. billNo: the bill of lading or master
     * waybill, "if none, the logistics waybill number" (spec table 2-59). */
    if ((rc = hc_check_text(r->traf_name, "traf_name", 100, false, err)) != HC_OK ||
        (rc = hc_check_text(r->voyage_no, "voyage_no", 32, false, err)) != HC_OK ||
        (rc = hc_check_text(r->bill_no, "bill_no", 37, true, err)) != HC_OK)
        return rc;
    const char *traf_name = r->traf_name;

    size_t n = r->n_items ? r->n_items : l.n_items;
    if (n > l.n_items)
        return hc_err_set(err, HC_EINVAL, "items", "the list has %zu items", l.n_items);
    hc_customs_refund_item *items = hc_arena_alloc(a, (n ? n : 1) * sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        const struct hc_customs_list_item *it = NULL;
        int64_t qty;
        if (r->n_items) {
            for (size_t k = 0; k < l.n_items; k++)
                if (l.items[k].gnum == r->items[i].gnum)
                    it = &l.items[k];
            if (it == NULL)
                return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "items[%zu].gnum", i),
                                  "list %s has no item %lld", l.id, (long long)r->items[i].gnum);
            qty = r->items[i].qty;
            if (qty < 1 || qty > it->qty)
                return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "items[%zu].qty", i),
                                  "must be 1..%lld", (long long)it->qty);
        } else {
            it = &l.items[i];
            qty = it->qty;
        }
        struct hc_sku k;
        const char *gmodel = it->sku;
        if (hc_sku_get(s, a, l.seller, it->sku, &k, err) == HC_OK && k.brand && *k.brand)
            gmodel = hc_arena_printf(a, "%s %s", k.brand, k.sku);
        hc_err_clear(err);
        const char *q = hc_arena_printf(a, "%lld", (long long)qty);
        items[i] = (hc_customs_refund_item){
            .gnum = hc_arena_printf(a, "%lld", (long long)it->gnum), .gcode = it->gcode,
            .gname = it->gname, .gmodel = gmodel, .qty = q, .qty1 = q, .unit = it->unit,
            .unit1 = it->unit1};
    }
    if ((rc = rec_sender(s, a, l.seller, &ebc, &agent, err)) != HC_OK ||
        (rc = rec_registration(s, a, l.seller, "ebp", true, &ebp, err)) != HC_OK ||
        (rc = rec_registration(s, a, l.seller, "logistics", true, &logistics, err)) != HC_OK)
        return rc;
    const char *id = short_id(a, "cir");
    char t14[16];
    hc_customs_time14(hc_now_ms(), t14, sizeof(t14));
    hc_customs_refund rf = {
        .head = {.guid = rec_guid(a), .appTime = hc_arena_strdup(a, t14),
                 .customsCode = customs_code, .ebpCode = ebp.code, .ebpName = ebp.name,
                 .ebcCode = ebc.code, .ebcName = ebc.name, .logisticsNo = logistics_no,
                 .logisticsCode = logistics.code, .logisticsName = logistics.name, .coElNo = id,
                 .preNo = l.pre_no, .invtNo = l.invt_no,
                 .tradeMode = "9661", /* spec table 2-59: export return (1261: special zone) */
                 .agentCode = agent.code, .agentName = agent.name,
                 .billNo = r->bill_no ? r->bill_no : logistics_no, .trafMode = traf_mode,
                 .trafName = traf_name, .portCode = port_code, .reason = r->reason,
                 .country = l.country, .voyageNo = r->voyage_no},
        .items = items, .n_items = n};
    if (rf.head.preNo && strlen(rf.head.preNo) == 0)
        rf.head.preNo = NULL;
    hc_customs_msg m = {.type = 213, .guid = rec_guid(a),
                        .transfer = {.copCode = agent.code, .copName = agent.name,
                                     .dxpId = agent.dxp_id},
                        .n_docs = 1, .refunds = &rf};
    bool cross = strcmp(customs_code, l.customs_code) != 0;
    int64_t now = hc_now_ms();
    if ((rc = rec_out_add(&o, x, &m, id, err)) != HC_OK)
        goto done;
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO customs_returns (seller, id, list_id, guid, customs_code,"
                      " port_code, cross_zone, reason, logistics_no, state, created_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "ssssssissiii", l.seller, id, l.id, rf.head.guid, customs_code, port_code,
                      (int64_t)cross, r->reason, logistics_no, (int64_t)HC_CUSTOMS_DECLARED, now,
                      now);
    if (rc == HC_OK)
        rc = rec_history(s, l.seller, l.id, l.state, "CEB213",
                         cross ? hc_arena_printf(a, "return %s requested, cross-zone: re-enters "
                                                    "at %s (left from %s)",
                                                 id, customs_code, l.customs_code)
                               : hc_arena_printf(a, "return %s requested at %s", id,
                                                 customs_code),
                         r->actor, err);
    if (rc == HC_OK)
        rc = rec_out_commit(&o, s, x, l.seller, err);
    if (rc == HC_OK && out)
        rc = hc_customs_return_get(s, a, id, out, err);
done:
    rec_out_free(&o);
    return rc;
}

/* billNo, trafMode, trafName and voyageNo as the return's CEB213 declared
 * them: the tally (CEB215) reports the same arrival. */
struct conveyance {
    const char *billNo, *trafMode, *trafName, *voyageNo;
};

static void find_fields(hc_arena *a, xmlNodePtr n, struct conveyance *c)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char **slot = xmlStrEqual(n->name, BAD_CAST "billNo")     ? &c->billNo
                            : xmlStrEqual(n->name, BAD_CAST "trafMode") ? &c->trafMode
                            : xmlStrEqual(n->name, BAD_CAST "trafName") ? &c->trafName
                            : xmlStrEqual(n->name, BAD_CAST "voyageNo") ? &c->voyageNo
                                                                         : NULL;
        if (slot && *slot == NULL) {
            xmlChar *t = xmlNodeGetContent(n);
            *slot = t && *t ? hc_arena_strdup(a, (const char *)t) : NULL;
            xmlFree(t);
        } else if (xmlStrEqual(n->name, BAD_CAST "InvtRefundHead") ||
                   xmlStrEqual(n->name, BAD_CAST "InvtRefund")) {
            find_fields(a, n->children, c);
        }
    }
}

static int return_conveyance(hc_store *s, hc_arena *a, const char *return_id,
                             struct conveyance *c, hc_err *err)
{
    const char *seller, *xml;
    memset(c, 0, sizeof(*c));
    int rc = hc_customs_message_xml(s, a, return_id, 213, &seller, &xml, err);
    if (rc != HC_OK)
        return rc;
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8", XML_PARSE_NONET);
    if (doc == NULL)
        return hc_err_set(err, HC_EINTERNAL, "id", "the CEB213 of %s does not parse", return_id);
    find_fields(a, xmlDocGetRootElement(doc)->children, c);
    xmlFreeDoc(doc);
    if (!c->billNo || !c->trafMode || !c->trafName || !c->voyageNo)
        return hc_err_set(err, HC_ECONFLICT, "id",
                          "the CEB213 of return %s lacks billNo, trafMode, trafName or voyageNo",
                          return_id);
    return HC_OK;
}

int hc_customs_return_tally(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *return_id,
                            const char *operator_code, const char *operator_name,
                            const char *location, const char *actor,
                            struct hc_customs_return *out, hc_err *err)
{
    int rc;
    struct hc_customs_return ret;
    struct hc_customs_list l;
    struct hc_customs_registration ebc, agent, logistics;
    struct rec_out o;
    rec_out_init(&o, a);
    if ((rc = hc_customs_return_get(s, a, return_id, &ret, err)) != HC_OK)
        return rc;
    if (ret.tallied_at)
        return hc_err_set(err, HC_ECONFLICT, "id", "return %s is already tallied", ret.id);
    if ((rc = hc_check_text(operator_code, "operator_code", 18, false, err)) != HC_OK ||
        (rc = hc_check_text(operator_name, "operator_name", 100, false, err)) != HC_OK ||
        (rc = hc_check_text(location, "location", 250, true, err)) != HC_OK)
        return rc;
    struct conveyance cv;
    if ((rc = hc_customs_list_get(s, a, ret.list_id, &l, err)) != HC_OK ||
        (rc = return_conveyance(s, a, ret.id, &cv, err)) != HC_OK ||
        (rc = rec_sender(s, a, ret.seller, &ebc, &agent, err)) != HC_OK ||
        (rc = rec_registration(s, a, ret.seller, "logistics", true, &logistics, err)) != HC_OK)
        return rc;
    char t14[16];
    hc_customs_time14(hc_now_ms(), t14, sizeof(t14));
    hc_customs_tally t = {
        .guid = rec_guid(a), .appTime = hc_arena_strdup(a, t14), .customsCode = ret.customs_code,
        .operatorCode = operator_code, .operatorName = operator_name,
        .logisticsCode = logistics.code, .logisticsName = logistics.name,
        .logisticsNo = ret.logistics_no, .invtNo = l.invt_no, .coElNo = ret.id,
        .billNo = cv.billNo, .trafMode = cv.trafMode, .trafName = cv.trafName,
        .voyageNo = cv.voyageNo, .location = location};
    hc_customs_msg m = {.type = 215, .guid = rec_guid(a),
                        .transfer = {.copCode = agent.code, .copName = agent.name,
                                     .dxpId = agent.dxp_id},
                        .n_docs = 1, .tallies = &t};
    if ((rc = rec_out_add(&o, x, &m, ret.id, err)) != HC_OK)
        goto done;
    rc = hc_store_run(s, err, NULL,
                      "UPDATE customs_returns SET tallied_at = ?, updated_at = ? WHERE seller = ?"
                      " AND id = ?",
                      "iiss", hc_now_ms(), hc_now_ms(), ret.seller, ret.id);
    if (rc == HC_OK)
        rc = rec_history(s, ret.seller, l.id, l.state, "CEB215",
                         hc_arena_printf(a, "return %s tallied at %s%s%s", ret.id,
                                         ret.customs_code, location ? ", " : "",
                                         location ? location : ""),
                         actor, err);
    if (rc == HC_OK)
        rc = rec_out_commit(&o, s, x, ret.seller, err);
    if (rc == HC_OK && out)
        rc = hc_customs_return_get(s, a, ret.id, out, err);
done:
    rec_out_free(&o);
    return rc;
}

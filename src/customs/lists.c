/* lists.c: registrations, and export lists declared from haicang's own
 * records: 9610/9710 orders (CEB303 + CEB505 + CEB603) and 9810 inbounds
 * (CEB303 booking + CEB603); reading lists back. Also the helpers the other
 * record files share (records.h). */
#include "records.h"

#include "warehouse/warehouse.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LIST_ITEMS_MAX 100 /* goods lines of one CEB603 list (and of one CEB303) */
#define LIST_PARTS_MAX 50  /* lists one record may be split into: 5000 lines */
/* The columns of customs_lists read back into struct hc_customs_list, in
 * order: one table gives both the SELECT list and the column positions
 * (LC_ID, LC_SELLER, ...), so read_list_row cannot drift from the SQL. */
#define LIST_COLUMNS(X)                                                                           \
    X(SELLER, seller) X(TRADE_MODE, trade_mode) X(REF_KIND, ref_kind) X(REF, ref)                 \
    X(WAREHOUSE, warehouse) X(COP_NO, cop_no) X(INVT_GUID, invt_guid) X(PRE_NO, pre_no)           \
    X(INVT_NO, invt_no) X(ORDER_NO, order_no) X(LOGISTICS_NO, logistics_no) X(STATE, state)       \
    X(STATE_INFO, state_info) X(INSPECTION, inspection) X(ENTRY_ID, entry_id)                     \
    X(CUSTOMS_CODE, customs_code) X(PORT_CODE, port_code) X(TRAF_MODE, traf_mode)                 \
    X(COUNTRY, country) X(CURRENCY, currency) X(EBC_CODE, ebc_code) X(OWNER_CODE, owner_code)     \
    X(TOTAL_PRICE, total_price) X(GROSS_WEIGHT, gross_weight) X(NET_WEIGHT, net_weight)           \
    X(BILL_NO, bill_no) X(SUMMARY_ID, summary_id) X(RELEASED_AT, released_at)                     \
    X(CREATED_AT, created_at) X(UPDATED_AT, updated_at) X(DECL, decl) X(PART, part)               \
    X(PARTS, parts)
#define LC_ENUM(e, col) LC_##e,
#define LC_SQL(e, col) ", " #col
enum list_col { LC_ID, LIST_COLUMNS(LC_ENUM) LC_COUNT };
#define LIST_COLS "id" LIST_COLUMNS(LC_SQL)

/* ---- shared helpers (records.h) ------------------------------------------------ */

const char *rec_guid(hc_arena *a)
{
    char g[40];
    hc_customs_guid(g, sizeof(g));
    return hc_arena_strdup(a, g);
}

const char *rec_dec(hc_arena *a, int64_t minor, int scale)
{
    char buf[48];
    if (scale <= 0) {
        snprintf(buf, sizeof(buf), "%lld", (long long)minor);
        return hc_arena_strdup(a, buf);
    }
    hc_decimal_format(minor, scale, buf, sizeof(buf));
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return hc_arena_strdup(a, buf);
}

int rec_history(hc_store *s, const char *seller, const char *list_id, int64_t state,
                const char *receipt, const char *info, const char *actor, hc_err *err)
{
    return hc_store_run(s, err, NULL,
                        "INSERT INTO customs_history (seller, list_id, id, state, at, receipt, info,"
                        " actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        "ssiiisss", seller, list_id, hc_id_next(), state, hc_now_ms(), receipt,
                        info, actor ? actor : "");
}

int rec_registration(hc_store *s, hc_arena *a, const char *seller, const char *role,
                     bool required, struct hc_customs_registration *out, hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(s, err, &q,
                            "SELECT code, name, dxp_id, created_at, updated_at FROM"
                            " customs_registrations WHERE seller = ? AND role = ?",
                            "ss", seller, role);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->seller = hc_arena_strdup(a, seller);
        out->role = hc_arena_strdup(a, role);
        out->code = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->name = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->dxp_id = hc_stmt_is_null(q, 2) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->created_at = hc_stmt_int(q, 3);
        out->updated_at = hc_stmt_int(q, 4);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = required ? hc_err_set(err, HC_EINVAL,
                                   hc_arena_printf(a, "registrations.%s", role),
                                   "seller %s has no %s registration", seller, role)
                      : HC_ENOTFOUND;
    }
    hc_stmt_reset(q);
    return rc;
}

int rec_month(const char *month, int64_t *from, int64_t *to, hc_err *err)
{
    int64_t y, m;
    char ys[5], ms[3];
    if (month == NULL || strlen(month) != 7 || month[4] != '-')
        return hc_err_set(err, HC_EINVAL, "month", "must be YYYY-MM");
    memcpy(ys, month, 4);
    ys[4] = '\0';
    memcpy(ms, month + 5, 2);
    ms[2] = '\0';
    if (hc_parse_i64(ys, 2000, 2999, &y) != 0 || hc_parse_i64(ms, 1, 12, &m) != 0)
        return hc_err_set(err, HC_EINVAL, "month", "must be YYYY-MM");
    struct tm tm = {.tm_year = (int)y - 1900, .tm_mon = (int)m - 1, .tm_mday = 1};
    *from = hc_time_from_beijing(&tm); /* Beijing midnight */
    tm = (struct tm){.tm_year = (int)y - 1900 + (m == 12), .tm_mon = m == 12 ? 0 : (int)m,
                     .tm_mday = 1};
    *to = hc_time_from_beijing(&tm);
    return HC_OK;
}

int64_t rec_ceb_time(const char *t)
{
    if (t == NULL || strlen(t) < 14 || !hc_all_digits(t, 14))
        return 0;
    int v[6], len[6] = {4, 2, 2, 2, 2, 2};
    const char *p = t;
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < len[i]; k++)
            v[i] = v[i] * 10 + (*p++ - '0');
    }
    struct tm tm = {.tm_year = v[0] - 1900, .tm_mon = v[1] - 1, .tm_mday = v[2],
                    .tm_hour = v[3], .tm_min = v[4], .tm_sec = v[5]};
    int64_t ms = hc_time_from_beijing(&tm);
    if (strlen(t) >= 17 && hc_all_digits(t + 14, 3))
        ms += (t[14] - '0') * 100 + (t[15] - '0') * 10 + (t[16] - '0');
    return ms;
}

void rec_out_init(struct rec_out *o, hc_arena *a)
{
    memset(o, 0, sizeof(*o));
    o->a = a;
}

int rec_out_add(struct rec_out *o, hc_customs_ctx *x, const hc_customs_msg *m,
                const char *doc_id, hc_err *err)
{
    xmlDocPtr doc = NULL;
    hc_err e = {0};
    int rc = rec_finish(x, m, &doc, &e);
    if (rc != HC_OK) {
        char field[HC_ERR_FIELD_MAX + 16];
        snprintf(field, sizeof(field), "CEB%d%s%s", m->type, e.field[0] ? "." : "", e.field);
        return hc_err_set(err, rc, field, "%s", e.msg);
    }
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        struct rec_msg *nm = hc_arena_alloc(o->a, cap * sizeof(*nm));
        if (o->n)
            memcpy(nm, o->m, o->n * sizeof(*nm));
        o->m = nm;
        o->cap = cap;
    }
    o->m[o->n++] = (struct rec_msg){.doc = doc, .type = m->type, .guid = m->guid,
                                    .doc_id = doc_id};
    return HC_OK;
}

int rec_out_commit(struct rec_out *o, hc_store *s, hc_customs_ctx *x, const char *seller,
                   hc_err *err)
{
    (void)x; /* the files are written by hc_customs_flush_outbox after the commit */
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < o->n; i++) {
        xmlChar *mem = NULL;
        int size = 0;
        xmlDocDumpMemoryEnc(o->m[i].doc, &mem, &size, "UTF-8");
        if (mem == NULL)
            return hc_err_set(err, HC_EINTERNAL, "", "cannot serialise CEB%d", o->m[i].type);
        const char *file = hc_arena_printf(o->a, "CEB%03d_%s.xml", o->m[i].type, o->m[i].guid);
        int rc = hc_store_run(s, err, NULL,
                              "INSERT INTO customs_messages (seller, guid, msg_type, doc, file, xml,"
                              " created_at, outbox) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued')",
                              "ssisssi", seller, o->m[i].guid, (int64_t)o->m[i].type,
                              o->m[i].doc_id, file, (const char *)mem, now);
        xmlFree(mem);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

void rec_out_free(struct rec_out *o)
{
    for (size_t i = 0; i < o->n; i++)
        xmlFreeDoc(o->m[i].doc);
    o->n = 0;
}

/* ---- registrations ------------------------------------------------------------------ */

static bool role_valid(const char *role)
{
    static const char *const roles[] = {"ebc", "ebp", "logistics", "agent", "warehouse"};
    for (size_t i = 0; role && i < HC_ARRAY_LEN(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

int hc_customs_registration_put(hc_store *s, const struct hc_customs_registration *r,
                                hc_err *err)
{
    int rc;
    if ((rc = hc_check_code(r->seller, "seller", HC_CODE_MAX, err)) != HC_OK)
        return rc;
    if (!role_valid(r->role))
        return hc_err_set(err, HC_EINVAL, "role", "must be one of %s", HC_CUSTOMS_ROLES);
    size_t n = r->code ? strlen(r->code) : 0;
    if (n != 10 && n != 18)
        return hc_err_set(err, HC_EINVAL, "code", "must be 10 or 18 characters");
    for (size_t i = 0; i < n; i++)
        if (!((r->code[i] >= '0' && r->code[i] <= '9') || (r->code[i] >= 'A' && r->code[i] <= 'Z')))
            return hc_err_set(err, HC_EINVAL, "code", "must be digits and upper-case letters");
    if ((rc = hc_check_text(r->name, "name", 100, false, err)) != HC_OK ||
        (rc = hc_check_text(r->dxp_id, "dxp_id", 30, true, err)) != HC_OK)
        return rc;
    hc_stmt *q;
    if ((rc = hc_store_query(s, err, &q, "SELECT code FROM sellers WHERE code = ?", "s",
                             r->seller)) != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    hc_stmt_reset(q);
    if (rc == HC_DONE)
        return hc_err_set(err, HC_ENOTFOUND, "seller", "no seller %s", r->seller);
    if (rc != HC_ROW)
        return rc;
    int64_t now = hc_now_ms(), changes = 0;
    rc = hc_store_run(s, err, &changes,
                      "UPDATE customs_registrations SET code = ?, name = ?, dxp_id = ?,"
                      " updated_at = ? WHERE seller = ? AND role = ?",
                      "sssiss", r->code, r->name, r->dxp_id, now, r->seller, r->role);
    if (rc != HC_OK || changes > 0)
        return rc;
    return hc_store_run(s, err, NULL,
                        "INSERT INTO customs_registrations (seller, role, code, name, dxp_id,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "sssssii", r->seller, r->role, r->code, r->name, r->dxp_id, now, now);
}

int hc_customs_registration_list(hc_store *s, hc_arena *a, const char *seller,
                                 struct hc_customs_registration **items, size_t *n, hc_err *err)
{
    hc_stmt *q;
    *n = 0;
    *items = hc_arena_alloc(a, 8 * sizeof(**items));
    int rc = hc_store_query(s, err, &q,
                            "SELECT role, code, name, dxp_id, created_at, updated_at FROM"
                            " customs_registrations WHERE seller = ? ORDER BY role",
                            "s", seller);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < 8) {
        struct hc_customs_registration *r = &(*items)[(*n)++];
        r->seller = hc_arena_strdup(a, seller);
        r->role = hc_arena_strdup(a, hc_stmt_text(q, 0));
        r->code = hc_arena_strdup(a, hc_stmt_text(q, 1));
        r->name = hc_arena_strdup(a, hc_stmt_text(q, 2));
        r->dxp_id = hc_stmt_is_null(q, 3) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, 3));
        r->created_at = hc_stmt_int(q, 4);
        r->updated_at = hc_stmt_int(q, 5);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

/* ---- declaring ------------------------------------------------------------------------- */

/* One goods line as it goes on every message of the declaration. */
struct line {
    const char *sku, *item_name, *gname, *gmodel, *barcode, *gcode;
    int64_t qty, price_minor, weight_g;
    const char *iso_currency;
};

/* Everything a declaration is built from, gathered before any message. */
struct decl {
    const char *decl_id; /* the first part's list id */
    size_t part, parts;  /* 1-based: part of parts lists the record is split into */
    const char *list_id, *seller, *mode, *ref_kind, *ref, *warehouse, *order_no, *logistics_no;
    const char *customs_code, *port_code, *traf_mode, *country, *currency, *scale_iso;
    struct hc_customs_registration ebc, ebp, logistics, agent;
    const char *booking_code, *booking_name; /* 9810: the overseas warehouse */
    struct line *lines;
    size_t n;
    int scale;
    int64_t goods_minor, gross_g;
};

static int live_list(hc_store *s, hc_arena *a, const char *seller, const char *ref,
                     const char **id, hc_err *err)
{
    hc_stmt *q;
    *id = NULL;
    int rc = hc_store_query(s, err, &q,
                            "SELECT id FROM customs_lists WHERE seller = ? AND ref = ? AND"
                            " state >= 0 AND state <> 100",
                            "ss", seller, ref);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW)
        *id = hc_arena_strdup(a, hc_stmt_text(q, 0));
    hc_stmt_reset(q);
    return rc == HC_ROW || rc == HC_DONE ? HC_OK : rc;
}

int rec_sender(hc_store *s, hc_arena *a, const char *seller, struct hc_customs_registration *ebc,
               struct hc_customs_registration *agent, hc_err *err)
{
    struct hc_seller sel;
    int rc = hc_seller_get(s, a, seller, &sel, err);
    if (rc != HC_OK)
        return rc;
    rc = rec_registration(s, a, seller, "ebc", false, ebc, err);
    if (rc == HC_ENOTFOUND) {
        if (sel.customs_code == NULL || *sel.customs_code == '\0')
            return hc_err_set(err, HC_EINVAL, "registrations.ebc",
                              "seller %s has no customs code and no ebc registration", seller);
        *ebc = (struct hc_customs_registration){.seller = seller, .role = "ebc",
                                                .code = sel.customs_code, .name = sel.name};
    } else if (rc != HC_OK) {
        return rc;
    }
    if ((rc = rec_registration(s, a, seller, "agent", false, agent, err)) == HC_ENOTFOUND)
        *agent = *ebc;
    else if (rc != HC_OK)
        return rc;
    if (agent->dxp_id == NULL || *agent->dxp_id == '\0')
        return hc_err_set(err, HC_EINVAL,
                          strcmp(agent->role, "agent") == 0 ? "registrations.agent.dxp_id"
                                                            : "registrations.agent",
                          "the declaring party needs a DXP id (register an agent, or the seller "
                          "as ebc with dxp_id)");
    return HC_OK;
}

static int gather_parties(hc_store *s, hc_arena *a, struct decl *d, hc_err *err)
{
    int rc = rec_sender(s, a, d->seller, &d->ebc, &d->agent, err);
    if (rc != HC_OK)
        return rc;
    if ((rc = rec_registration(s, a, d->seller, "logistics", true, &d->logistics, err)) != HC_OK)
        return rc;
    if (strcmp(d->mode, "9810") == 0) {
        struct hc_customs_registration w;
        rc = rec_registration(s, a, d->seller, "warehouse", false, &w, err);
        if (rc != HC_OK && rc != HC_ENOTFOUND)
            return rc;
        d->booking_code = rc == HC_OK ? w.code : d->agent.code;
        d->ebp = (struct hc_customs_registration){.code = d->booking_code,
                                                  .name = d->booking_name};
        return HC_OK;
    }
    return rec_registration(s, a, d->seller, "ebp", true, &d->ebp, err);
}

/* Adds a goods line from a SKU; refuses a second currency. */
static int add_line(hc_store *s, hc_arena *a, struct decl *d, const char *field, const char *sku,
                    int64_t qty, int64_t price_minor, const char *currency, hc_err *err)
{
    struct hc_sku k;
    int rc = hc_sku_get(s, a, d->seller, sku, &k, err);
    if (rc == HC_ENOTFOUND) {
        hc_err_clear(err);
        return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "%s.sku", field), "no SKU %s", sku);
    }
    if (rc != HC_OK)
        return rc;
    if (price_minor < 0) {
        price_minor = k.value_minor;
        currency = k.currency;
    }
    if (d->n == 0) {
        d->scale_iso = currency;
    } else if (strcmp(currency, d->scale_iso) != 0) {
        return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "%s.currency", field),
                          "one list takes one currency (%s, not %s)", d->scale_iso, currency);
    }
    if (d->n == LIST_ITEMS_MAX * LIST_PARTS_MAX)
        return hc_err_set(err, HC_EINVAL, "lines", "a record takes at most %d goods lines",
                          LIST_ITEMS_MAX * LIST_PARTS_MAX);
    if (price_minor <= 0)
        return hc_err_set(err, HC_EINVAL, hc_arena_printf(a, "%s.price", field),
                          "must be > 0 to declare");
    struct line *l = &d->lines[d->n++];
    l->sku = k.sku;
    l->item_name = k.name;
    l->gname = k.name_zh && *k.name_zh ? k.name_zh : k.name;
    l->gmodel = k.brand && *k.brand ? hc_arena_printf(a, "%s %s", k.brand, k.sku) : k.sku;
    l->barcode = k.barcode && *k.barcode ? k.barcode : "无";
    l->gcode = k.hs_code;
    l->qty = qty;
    l->price_minor = price_minor;
    l->weight_g = k.weight_g;
    l->iso_currency = currency;
    d->goods_minor += price_minor * qty;
    d->gross_g += k.weight_g * qty;
    return HC_OK;
}

static int gather_record(hc_store *s, hc_arena *a, const struct hc_customs_declare *in,
                         struct decl *d, hc_err *err)
{
    int rc;
    if (in->order_id) {
        struct hc_order o;
        if ((rc = hc_order_get(s, a, in->order_id, &o, err)) != HC_OK ||
            (in->tenant_seller && strcmp(o.seller, in->tenant_seller) != 0))
            return rc == HC_OK || rc == HC_ENOTFOUND
                       ? (hc_err_clear(err),
                          hc_err_set(err, HC_ENOTFOUND, "order", "no order %s", in->order_id))
                       : rc;
        if (hc_order_status_parse(o.status) == HC_ORDER_CANCELLED)
            return hc_err_set(err, HC_ECONFLICT, "order", "order %s is cancelled", o.id);
        d->seller = o.seller;
        d->ref_kind = "order";
        d->ref = o.id;
        d->order_no = o.id;
        d->warehouse = o.warehouse;
        d->logistics_no = o.tracking_no && *o.tracking_no && strlen(o.tracking_no) <= 32
                              ? o.tracking_no
                              : o.id;
        d->lines = hc_arena_alloc(a, (o.nlines ? o.nlines : 1) * sizeof(*d->lines));
        for (size_t i = 0; i < o.nlines; i++)
            if ((rc = add_line(s, a, d, hc_arena_printf(a, "lines[%zu]", i), o.lines[i].sku,
                               o.lines[i].qty, o.lines[i].price_minor, o.lines[i].currency,
                               err)) != HC_OK)
                return rc;
    } else {
        struct hc_inbound in_;
        struct hc_warehouse w;
        if ((rc = hc_inbound_get(s, a, in->inbound_id, &in_, err)) != HC_OK ||
            (in->tenant_seller && strcmp(in_.seller, in->tenant_seller) != 0))
            return rc == HC_OK || rc == HC_ENOTFOUND
                       ? (hc_err_clear(err), hc_err_set(err, HC_ENOTFOUND, "inbound",
                                                        "no inbound %s", in->inbound_id))
                       : rc;
        if ((rc = hc_warehouse_get(s, a, in_.warehouse, &w, err)) != HC_OK)
            return rc;
        d->seller = in_.seller;
        d->ref_kind = "inbound";
        d->ref = in_.id;
        d->order_no = in_.id; /* the booking number */
        d->logistics_no = in_.id;
        d->warehouse = in_.warehouse;
        d->booking_name = w.name;
        d->lines = hc_arena_alloc(a, (in_.nlines ? in_.nlines : 1) * sizeof(*d->lines));
        for (size_t i = 0; i < in_.nlines; i++) {
            if (in_.lines[i].expected <= 0)
                continue; /* not announced: not in the booking */
            if ((rc = add_line(s, a, d, hc_arena_printf(a, "lines[%zu]", i), in_.lines[i].sku,
                               in_.lines[i].expected, -1, NULL, err)) != HC_OK)
                return rc;
        }
    }
    if (d->n == 0)
        return hc_err_set(err, HC_EINVAL, "lines", "nothing to declare");
    return HC_OK;
}

/* Maps ISO codes to customs codes now that the code tables are at hand. */
static int map_codes(hc_customs_ctx *x, hc_arena *a, struct decl *d, const char *iso_country,
                     hc_err *err)
{
    const hc_customs_ref *ref = rec_ref(x);
    d->country = hc_customs_country_from_iso(ref, iso_country);
    if (d->country == NULL)
        return hc_err_set(err, HC_EINVAL,
                          strcmp(d->ref_kind, "order") == 0 ? "ship_to.country"
                                                            : "warehouse.country",
                          "country %s has no customs code", iso_country);
    d->currency = hc_customs_currency_from_iso(ref, d->scale_iso);
    if (d->currency == NULL)
        return hc_err_set(err, HC_EINVAL, "lines[0].currency", "currency %s has no customs code",
                          d->scale_iso);
    d->scale = hc_currency_scale(d->scale_iso);
    if (d->scale < 0)
        d->scale = 2;
    return HC_OK;
}

/* 9710/9810: a shipment above the rules' RMB limit (5,000) needs a customs
 * declaration form, not lists, unless the rules allow it. The whole record
 * counts (a record split into several lists is still one shipment). */
static int check_list_value(hc_customs_ctx *x, const struct decl *d, hc_err *err)
{
    const struct rec_rules *r = rec_rules(x);
    if (strcmp(d->mode, "9610") == 0 || r->list_over_max_allow)
        return HC_OK;
    int64_t rate = rec_rules_cny_rate(r, d->scale_iso);
    if (rate <= 0)
        return hc_err_set(err, HC_EINVAL, "lines[0].currency",
                          "the customs rules have no CNY rate for %s (cny_rate.%s), so the RMB "
                          "%lld limit of a %s list cannot be checked",
                          d->scale_iso, d->scale_iso, (long long)r->list_max_cny, d->mode);
    __int128 pow10 = 1;
    for (int i = 0; i < d->scale; i++)
        pow10 *= 10;
    /* fen = minor / 10^scale * rate / 10^6 * 100, rounded up: never under the limit by rounding */
    __int128 num = (__int128)d->goods_minor * rate * 100, den = pow10 * 1000000;
    int64_t fen = (int64_t)((num + den - 1) / den);
    if (fen <= r->list_max_cny * 100)
        return HC_OK;
    char v[48];
    hc_decimal_format(d->goods_minor, d->scale, v, sizeof(v));
    return hc_err_set(err, HC_ECONFLICT, "total_price",
                      "%s %s is about RMB %lld.%02lld, above the RMB %lld a %s shipment may be "
                      "declared with lists: it needs a customs declaration form (报关单)",
                      d->scale_iso, v, (long long)(fen / 100), (long long)(fen % 100),
                      (long long)r->list_max_cny, d->mode);
}

static hc_customs_transfer transfer_of(const struct decl *d)
{
    return (hc_customs_transfer){.copCode = d->agent.code, .copName = d->agent.name,
                                 .dxpId = d->agent.dxp_id};
}

static int declare_messages(hc_arena *a, hc_customs_ctx *x, struct decl *d, struct rec_out *o,
                            const char **invt_guid, hc_err *err)
{
    char t14[16];
    hc_customs_time14(hc_now_ms(), t14, sizeof(t14));
    const char *app_time = hc_arena_strdup(a, t14);
    const char *ie_date = hc_arena_strndup(a, t14, 8);
    const char *goods_value = rec_dec(a, d->goods_minor, d->scale);
    const char *gross = rec_dec(a, d->gross_g, 3);
    bool is9610 = strcmp(d->mode, "9610") == 0;
    int rc;

    hc_customs_order_item *oi = hc_arena_alloc(a, d->n * sizeof(*oi));
    hc_customs_invt_item *ii = hc_arena_alloc(a, d->n * sizeof(*ii));
    for (size_t i = 0; i < d->n; i++) {
        struct line *l = &d->lines[i];
        const char *qty = hc_arena_printf(a, "%lld", (long long)l->qty);
        const char *price = rec_dec(a, l->price_minor, d->scale);
        const char *total = rec_dec(a, l->price_minor * l->qty, d->scale);
        oi[i] = (hc_customs_order_item){.itemNo = l->sku, .itemName = l->gname,
                                        .barCode = strcmp(l->barcode, "无") ? l->barcode : NULL,
                                        .unit = "011", .currency = d->currency, .qty = qty,
                                        .price = price, .totalPrice = total};
        ii[i] = (hc_customs_invt_item){
            .itemNo = l->sku, .itemName = l->item_name, .gcode = l->gcode, .gname = l->gname,
            .gmodel = l->gmodel, .barCode = l->barcode, .country = d->country,
            .currency = d->currency, .qty = qty, .qty1 = qty, .unit = "011", .unit1 = "011",
            .price = price, .totalPrice = total};
    }
    hc_customs_order ord = {
        .head = {.guid = rec_guid(a), .appTime = app_time,
                 .orderType = is9610 ? "E" : strcmp(d->mode, "9710") == 0 ? "B" : "W",
                 .orderNo = d->order_no, .ebpCode = d->ebp.code, .ebpName = d->ebp.name,
                 .ebcCode = d->ebc.code, .ebcName = d->ebc.name, .goodsValue = goods_value,
                 .freight = "0", .currency = d->currency},
        .items = oi, .n_items = d->n};
    hc_customs_msg m = {.type = 303, .guid = rec_guid(a), .transfer = transfer_of(d),
                        .n_docs = 1, .orders = &ord};
    if ((rc = rec_out_add(o, x, &m, d->list_id, err)) != HC_OK)
        return rc;
    if (is9610) {
        char info[201] = "";
        for (size_t i = 0; i < d->n; i++) {
            size_t have = strlen(info), add = strlen(d->lines[i].gname);
            if (have + add + 1 >= sizeof(info) || hc_utf8_len(info) + hc_utf8_len(d->lines[i].gname) + 1 > 200)
                break;
            if (i)
                strcat(info, ",");
            strcat(info, d->lines[i].gname);
        }
        if (info[0] == '\0')
            hc_strlcpy(info, "货物", sizeof(info));
        hc_customs_waybill w = {.guid = rec_guid(a), .appTime = app_time,
                                .logisticsCode = d->logistics.code,
                                .logisticsName = d->logistics.name,
                                .logisticsNo = d->logistics_no, .freight = "0",
                                .insuredFee = "0", .currency = d->currency, .grossWeight = gross,
                                .packNo = "1", .goodsInfo = hc_arena_strdup(a, info),
                                .ebcCode = d->ebc.code, .ebcName = d->ebc.name};
        m = (hc_customs_msg){.type = 505, .guid = rec_guid(a), .transfer = transfer_of(d),
                             .n_docs = 1, .waybills = &w};
        if ((rc = rec_out_add(o, x, &m, d->list_id, err)) != HC_OK)
            return rc;
    }
    hc_customs_inventory inv = {
        .head = {.guid = rec_guid(a), .appTime = app_time, .customsCode = d->customs_code,
                 .ebpCode = d->ebp.code, .ebpName = d->ebp.name, .orderNo = d->order_no,
                 .logisticsCode = d->logistics.code, .logisticsName = d->logistics.name,
                 .logisticsNo = d->logistics_no, .copNo = d->list_id, .portCode = d->port_code,
                 .ieDate = ie_date, .statisticsFlag = "B", .agentCode = d->agent.code,
                 .agentName = d->agent.name, .ebcCode = d->ebc.code, .ebcName = d->ebc.name,
                 .ownerCode = d->ebc.code, .ownerName = d->ebc.name, .tradeMode = d->mode,
                 .trafMode = d->traf_mode, .country = d->country, .POD = d->country,
                 .freight = "0", .fCurrency = "142", .insuredFee = "0", .iCurrency = "142",
                 .wrapType = "2", .packNo = "1", .grossWeight = gross, .netWeight = gross},
        .items = ii, .n_items = d->n};
    *invt_guid = inv.head.guid;
    m = (hc_customs_msg){.type = 603, .guid = rec_guid(a), .transfer = transfer_of(d),
                         .n_docs = 1, .lists = &inv};
    return rec_out_add(o, x, &m, d->list_id, err);
}

static int store_list(hc_store *s, hc_arena *a, const struct decl *d, const char *invt_guid,
                      const char *actor, hc_err *err)
{
    int64_t now = hc_now_ms();
    int rc = hc_store_run(
        s, err, NULL,
        "INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref, warehouse, cop_no,"
        " invt_guid, order_no, logistics_no, state, inspection, customs_code, port_code,"
        " traf_mode, country, currency, ebc_code, owner_code, total_price, gross_weight,"
        " net_weight, created_at, updated_at, decl, part, parts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "ssssssssssissssssssssiisii", d->seller, d->list_id, d->mode, d->ref_kind, d->ref,
        d->warehouse, d->list_id, invt_guid, d->order_no, d->logistics_no,
        (int64_t)HC_CUSTOMS_DECLARED, d->customs_code, d->port_code, d->traf_mode, d->country,
        d->currency, d->ebc.code, d->ebc.code, rec_dec(a, d->goods_minor, d->scale),
        rec_dec(a, d->gross_g, 3), rec_dec(a, d->gross_g, 3), now, now, d->decl_id,
        (int64_t)d->part, (int64_t)d->parts);
    for (size_t i = 0; rc == HC_OK && i < d->n; i++) {
        const struct line *l = &d->lines[i];
        const char *qty = hc_arena_printf(a, "%lld", (long long)l->qty);
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO customs_list_items (seller, list_id, gnum, sku, item_name,"
                          " gname, gcode, qty, unit, qty1, unit1, price, total_price, currency,"
                          " country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '011', ?, '011', ?, ?, ?, ?)",
                          "ssissssisssss", d->seller, d->list_id, (int64_t)(i + 1), l->sku,
                          l->item_name, l->gname, l->gcode, l->qty, qty,
                          rec_dec(a, l->price_minor, d->scale),
                          rec_dec(a, l->price_minor * l->qty, d->scale), d->currency, d->country);
    }
    const char *what = strcmp(d->mode, "9610") == 0 ? "CEB303 + CEB505 + CEB603 to the outbox"
                                                    : "CEB303 + CEB603 to the outbox";
    if (d->parts > 1)
        what = hc_arena_printf(a, "%s (part %zu of %zu, lists %s...)", what, d->part, d->parts,
                               d->decl_id);
    if (rc == HC_OK)
        rc = rec_history(s, d->seller, d->list_id, HC_CUSTOMS_DECLARED, "declare", what, actor,
                         err);
    return rc;
}

int hc_customs_declare(hc_store *s, hc_arena *a, hc_customs_ctx *x,
                       const struct hc_customs_declare *in, struct hc_customs_list *out,
                       hc_err *err)
{
    int rc;
    struct decl d = {0};
    struct rec_out o;
    const char *existing, *invt_guid = NULL;
    char id[32];
    rec_out_init(&o, a);
    const char *mode = in->trade_mode;
    if (mode == NULL || (strcmp(mode, "9610") && strcmp(mode, "9710") && strcmp(mode, "9810")))
        return hc_err_set(err, HC_EINVAL, "mode", "must be 9610, 9710 or 9810");
    if ((in->order_id == NULL) == (in->inbound_id == NULL))
        return hc_err_set(err, HC_EINVAL, in->order_id ? "inbound" : "order",
                          "give exactly one of order and inbound");
    if (in->inbound_id && strcmp(mode, "9810") != 0)
        return hc_err_set(err, HC_EINVAL, "mode", "an inbound is declared as 9810");
    if (in->order_id && strcmp(mode, "9810") == 0)
        return hc_err_set(err, HC_EINVAL, "mode", "9810 declares an inbound to a warehouse");
    d.mode = mode;
    d.customs_code = in->customs_code ? in->customs_code : rec_default_code(x);
    d.port_code = in->port_code ? in->port_code : d.customs_code;
    if (d.customs_code == NULL)
        return hc_err_set(err, HC_EINVAL, "customs_code",
                          "required (or set HAICANG_CUSTOMS_CODE)");
    if (strlen(d.customs_code) != 4 || !hc_all_digits(d.customs_code, 4))
        return hc_err_set(err, HC_EINVAL, "customs_code", "must be 4 digits");
    if (strlen(d.port_code) != 4 || !hc_all_digits(d.port_code, 4))
        return hc_err_set(err, HC_EINVAL, "port_code", "must be 4 digits");
    d.traf_mode = in->traf_mode ? in->traf_mode : strcmp(mode, "9610") == 0 ? "5" : "2";
    if (hc_customs_ref_name(rec_ref(x), HC_CUSTOMS_T_TRANSPORT, d.traf_mode) == NULL)
        return hc_err_set(err, HC_EINVAL, "traf_mode", "unknown transport mode %s", d.traf_mode);
    hc_id_format("cil", hc_id_next(), id, sizeof(id));
    d.list_id = hc_arena_strdup(a, id);

    if ((rc = gather_record(s, a, in, &d, err)) != HC_OK)
        goto done;
    const char *iso_country = NULL;
    if (strcmp(d.ref_kind, "order") == 0) {
        struct hc_order ord;
        if ((rc = hc_order_get(s, a, d.ref, &ord, err)) != HC_OK)
            goto done;
        iso_country = ord.ship_country;
        /* 9610 (and 9710) declare goods leaving China with the order: an
         * order shipped from a warehouse abroad left China long ago, under
         * 9810 (or as general trade), and is not declared again. */
        if (ord.warehouse && *ord.warehouse) {
            struct hc_warehouse w;
            if ((rc = hc_warehouse_get(s, a, ord.warehouse, &w, err)) != HC_OK)
                goto done;
            if (strcmp(w.country, "CN") != 0) {
                rc = hc_err_set(err, HC_ECONFLICT, "mode",
                                "order %s ships from warehouse %s in %s: %s declares a parcel "
                                "leaving China, and goods sold from a warehouse abroad left "
                                "China under 9810",
                                ord.id, w.code, w.country, mode);
                goto done;
            }
        }
    } else {
        struct hc_warehouse w;
        if ((rc = hc_warehouse_get(s, a, d.warehouse, &w, err)) != HC_OK)
            goto done;
        iso_country = w.country;
    }
    if ((rc = live_list(s, a, d.seller, d.ref, &existing, err)) != HC_OK)
        goto done;
    if (existing) {
        rc = hc_err_set(err, HC_ECONFLICT, d.ref_kind, "%s %s is already declared in list %s",
                        d.ref_kind, d.ref, existing);
        goto done;
    }
    if ((rc = gather_parties(s, a, &d, err)) != HC_OK ||
        (rc = map_codes(x, a, &d, iso_country, err)) != HC_OK ||
        (rc = check_list_value(x, &d, err)) != HC_OK)
        goto done;
    /* More lines than one list takes: consecutive parts of at most 100 lines,
     * each its own list (copNo) with its own CEB303 (an order takes 100 lines
     * too), all linked to the same record. Order and logistics numbers must be
     * unique per list, so a split record's get "-<part>". */
    d.parts = (d.n + LIST_ITEMS_MAX - 1) / LIST_ITEMS_MAX;
    d.decl_id = d.list_id;
    for (size_t k = 0; k < d.parts; k++) {
        struct decl p = d;
        p.part = k + 1;
        p.lines = d.lines + k * LIST_ITEMS_MAX;
        p.n = d.n - k * LIST_ITEMS_MAX < LIST_ITEMS_MAX ? d.n - k * LIST_ITEMS_MAX
                                                        : LIST_ITEMS_MAX;
        p.goods_minor = p.gross_g = 0;
        for (size_t i = 0; i < p.n; i++) {
            p.goods_minor += p.lines[i].price_minor * p.lines[i].qty;
            p.gross_g += p.lines[i].weight_g * p.lines[i].qty;
        }
        if (k > 0) {
            hc_id_format("cil", hc_id_next(), id, sizeof(id));
            p.list_id = hc_arena_strdup(a, id);
        }
        if (d.parts > 1) {
            p.order_no = hc_arena_printf(a, "%s-%zu", d.order_no, k + 1);
            p.logistics_no = hc_arena_printf(a, "%s-%zu", d.logistics_no, k + 1);
            if (strlen(p.logistics_no) > 32)
                p.logistics_no = hc_arena_printf(a, "%s-%zu", d.ref, k + 1);
        }
        if ((rc = declare_messages(a, x, &p, &o, &invt_guid, err)) != HC_OK)
            goto done;
        if ((rc = store_list(s, a, &p, invt_guid, in->actor, err)) != HC_OK)
            goto done;
    }
    if ((rc = rec_out_commit(&o, s, x, d.seller, err)) != HC_OK)
        goto done;
    rc = out ? hc_customs_list_get(s, a, d.list_id, out, err) : HC_OK;
done:
    rec_out_free(&o);
    return rc;
}

/* ---- reading ---------------------------------------------------------------------------- */

static const char *opt_text(hc_arena *a, hc_stmt *q, int col)
{
    return hc_stmt_is_null(q, col) ? NULL : hc_arena_strdup(a, hc_stmt_text(q, col));
}

/* How many columns a comma-separated SELECT list names. */
static int count_cols(const char *cols)
{
    int n = 1;
    for (; *cols; cols++)
        n += *cols == ',';
    return n;
}

static void read_list_row(hc_arena *a, hc_stmt *q, struct hc_customs_list *l)
{
    HC_ASSERT(count_cols(LIST_COLS) == LC_COUNT);
    memset(l, 0, sizeof(*l));
    /* two runs of text columns, each contiguous in the table */
    const char **t[] = {&l->id, &l->seller, &l->trade_mode, &l->ref_kind, &l->ref,
                        &l->warehouse, &l->cop_no, &l->invt_guid, &l->pre_no, &l->invt_no,
                        &l->order_no, &l->logistics_no};
    _Static_assert(HC_ARRAY_LEN(t) == LC_LOGISTICS_NO - LC_ID + 1, "t[] is LC_ID..LC_LOGISTICS_NO");
    for (size_t i = 0; i < HC_ARRAY_LEN(t); i++)
        *t[i] = opt_text(a, q, LC_ID + (int)i);
    l->state = hc_stmt_int(q, LC_STATE);
    l->state_name = hc_customs_status_name((int)l->state);
    const char **u[] = {&l->state_info, &l->inspection, &l->entry_id, &l->customs_code,
                        &l->port_code, &l->traf_mode, &l->country, &l->currency, &l->ebc_code,
                        &l->owner_code, &l->total_price, &l->gross_weight, &l->net_weight,
                        &l->bill_no, &l->summary_id};
    _Static_assert(HC_ARRAY_LEN(u) == LC_SUMMARY_ID - LC_STATE_INFO + 1,
                   "u[] is LC_STATE_INFO..LC_SUMMARY_ID");
    for (size_t i = 0; i < HC_ARRAY_LEN(u); i++)
        *u[i] = opt_text(a, q, LC_STATE_INFO + (int)i);
    l->released_at = hc_stmt_is_null(q, LC_RELEASED_AT) ? 0 : hc_stmt_int(q, LC_RELEASED_AT);
    l->created_at = hc_stmt_int(q, LC_CREATED_AT);
    l->updated_at = hc_stmt_int(q, LC_UPDATED_AT);
    l->decl = hc_stmt_is_null(q, LC_DECL) ? l->id : hc_arena_strdup(a, hc_stmt_text(q, LC_DECL));
    l->part = hc_stmt_int(q, LC_PART);
    l->parts = hc_stmt_int(q, LC_PARTS);
    HC_ASSERT(l->part >= 1 && l->part <= l->parts); /* store_list writes 1..parts */
}

int hc_customs_list_get(hc_store *s, hc_arena *a, const char *id, struct hc_customs_list *out,
                        hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q, "SELECT " LIST_COLS " FROM customs_lists WHERE id = ?",
                            "s", id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        read_list_row(a, q, out);
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "no customs list %s", id);
    }
    hc_stmt_reset(q);
    if (rc != HC_OK)
        return rc;

    out->items = hc_arena_alloc(a, LIST_ITEMS_MAX * sizeof(*out->items));
    rc = hc_store_query(s, err, &q,
                        "SELECT gnum, sku, item_name, gname, gcode, qty, unit, qty1, unit1, price,"
                        " total_price, currency, country, entry_id, entry_gnum FROM"
                        " customs_list_items WHERE seller = ? AND list_id = ? ORDER BY gnum",
                        "ss", out->seller, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->n_items < LIST_ITEMS_MAX) {
        struct hc_customs_list_item *it = &out->items[out->n_items++];
        it->gnum = hc_stmt_int(q, 0);
        it->sku = opt_text(a, q, 1);
        it->item_name = opt_text(a, q, 2);
        it->gname = opt_text(a, q, 3);
        it->gcode = opt_text(a, q, 4);
        it->qty = hc_stmt_int(q, 5);
        it->unit = opt_text(a, q, 6);
        it->qty1 = opt_text(a, q, 7);
        it->unit1 = opt_text(a, q, 8);
        it->price = opt_text(a, q, 9);
        it->total_price = opt_text(a, q, 10);
        it->currency = opt_text(a, q, 11);
        it->country = opt_text(a, q, 12);
        it->entry_id = opt_text(a, q, 13);
        it->entry_gnum = hc_stmt_is_null(q, 14) ? 0 : hc_stmt_int(q, 14);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE && rc != HC_ROW)
        return rc;

    size_t cap = 64;
    out->history = hc_arena_alloc(a, cap * sizeof(*out->history));
    rc = hc_store_query(s, err, &q,
                        "SELECT state, at, receipt, info, actor FROM customs_history WHERE"
                        " seller = ? AND list_id = ? ORDER BY id",
                        "ss", out->seller, out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        if (out->n_history == cap) {
            struct hc_customs_event *n = hc_arena_alloc(a, 2 * cap * sizeof(*n));
            memcpy(n, out->history, cap * sizeof(*n));
            out->history = n;
            cap *= 2;
        }
        struct hc_customs_event *e = &out->history[out->n_history++];
        e->state = hc_stmt_int(q, 0);
        e->at = hc_stmt_int(q, 1);
        e->receipt = opt_text(a, q, 2);
        e->info = opt_text(a, q, 3);
        e->actor = opt_text(a, q, 4);
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;

    out->part_ids = hc_arena_alloc(a, (size_t)(out->parts > 0 ? out->parts : 1) *
                                          sizeof(*out->part_ids));
    if (out->parts <= 1) {
        out->part_ids[out->n_part_ids++] = out->id;
    } else {
        rc = hc_store_query(s, err, &q,
                            "SELECT id FROM customs_lists WHERE decl = ? ORDER BY part", "s",
                            out->decl);
        if (rc != HC_OK)
            return rc;
        while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->n_part_ids < (size_t)out->parts)
            out->part_ids[out->n_part_ids++] = opt_text(a, q, 0);
        hc_stmt_reset(q);
        if (rc != HC_DONE && rc != HC_ROW)
            return rc;
    }

    out->messages = hc_arena_alloc(a, 16 * sizeof(*out->messages));
    rc = hc_store_query(s, err, &q,
                        "SELECT msg_type, guid, file, created_at, outbox FROM customs_messages"
                        " WHERE doc = ? ORDER BY created_at, msg_type",
                        "s", out->id);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && out->n_messages < 16) {
        struct hc_customs_msg_ref *m = &out->messages[out->n_messages++];
        m->type = hc_stmt_int(q, 0);
        m->guid = opt_text(a, q, 1);
        m->file = opt_text(a, q, 2);
        m->created_at = hc_stmt_int(q, 3);
        m->outbox = opt_text(a, q, 4);
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_customs_list_find(hc_store *s, hc_arena *a, const struct hc_customs_list_filter *f,
                         struct hc_customs_list **items, size_t *n, const char **next,
                         hc_err *err)
{
    int64_t from = 0, to = 0;
    int rc;
    int limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
    if (f->month && (rc = rec_month(f->month, &from, &to, err)) != HC_OK)
        return rc;
    /* a cursor is the id of the last list of the previous page: cil_<digits> */
    if (f->cursor && (strncmp(f->cursor, "cil_", 4) != 0 || strlen(f->cursor) < 5 ||
                      strlen(f->cursor) > 24 ||
                      !hc_all_digits(f->cursor + 4, strlen(f->cursor) - 4)))
        return hc_err_set(err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    /* fixed text, absent filters neutralised, so the statement is cached once */
    const char *sql = "SELECT " LIST_COLS " FROM customs_lists WHERE (? IS NULL OR seller = ?)"
                      " AND (? = 0 OR state = ?) AND (? = 0 OR (released_at >= ? AND"
                      " released_at < ?)) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?";
    hc_stmt *q;
    rc = hc_store_query(s, err, &q, sql, "ssiiiiissi", f->seller, f->seller, f->state, f->state,
                        (int64_t)(f->month != NULL), from, to, f->cursor, f->cursor,
                        (int64_t)limit + 1);
    if (rc != HC_OK)
        return rc;
    *n = 0;
    *next = NULL;
    *items = hc_arena_alloc(a, (size_t)(limit + 1) * sizeof(**items));
    while ((rc = hc_stmt_step(q, err)) == HC_ROW)
        read_list_row(a, q, &(*items)[(*n)++]);
    hc_stmt_reset(q);
    if (rc != HC_DONE)
        return rc;
    if (*n > (size_t)limit) {
        *n = (size_t)limit;
        *next = (*items)[limit - 1].id;
    }
    return HC_OK;
}

int hc_customs_message_xml(hc_store *s, hc_arena *a, const char *doc, int msg_type,
                           const char **seller, const char **xml, hc_err *err)
{
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, xml FROM customs_messages WHERE doc = ? AND"
                            " msg_type = ? ORDER BY created_at DESC",
                            "si", doc, (int64_t)msg_type);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        *seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        *xml = hc_arena_strdup(a, hc_stmt_text(q, 1));
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "msg", "no CEB%d message for %s", msg_type, doc);
    }
    hc_stmt_reset(q);
    return rc;
}

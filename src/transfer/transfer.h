/* transfer: B2B outbound transfer orders (中转 / FBA 补货). A seller asks its
 * warehouse to send cartons or pallets to a marketplace fulfilment centre
 * (FBA, AWD, WFS, TEMU), to another haicang warehouse or to any address.
 * Lines by SKU carry the marketplace label code (FNSKU for Amazon); relabel
 * and bundling are work orders (open -> done) charged through finance when
 * done; cartons are proposed by the freight loader for a carton size and
 * stacked onto pallets; carton labels carry the marketplace carton id
 * (shipment id + box number, Code 128), pallet labels an SSCC-18.
 *
 * Status: on_hold (compliance) -> open -> packed -> shipped, or cancelled
 * before shipping. Stock is allocated at creation (held transfers keep it);
 * shipping consumes it and moves the goods from the warehouse's bins to
 * "transfer/<id>"; to a haicang warehouse an expected inbound is created.
 *
 * Above lastmile (numbers), compliance (the gate), finance (charges),
 * freight (the loader); below api and cli. Functions taking an hc_store run
 * in the caller's transaction; strings live in the caller's arena. */
#ifndef HC_TRANSFER_H
#define HC_TRANSFER_H

#include "base/base.h"
#include "store/store.h"

#define HC_TR_LINES_MAX 1000
#define HC_TR_WORK_MAX 20
#define HC_TR_CARTONS_MAX 5000
#define HC_TR_SHIPMENT_MAX 32
#define HC_TR_CARTON_ID_MAX 48
#define HC_TR_DEFAULT_CARTON_MAX_G 22500 /* Amazon's single-carton limit is 50 lb (22.68 kg) */
#define HC_TR_PALLET_MAX_G 680000        /* a pallet's load with its base */

enum hc_tr_dest { HC_TR_FBA = 1, HC_TR_AWD, HC_TR_WFS, HC_TR_TEMU, HC_TR_HAICANG, HC_TR_ADDRESS };
const char *hc_tr_dest_name(int d);
int hc_tr_dest_parse(const char *s); /* 0 when unknown */

enum hc_tr_status {
    HC_TR_ON_HOLD = 1, HC_TR_OPEN, HC_TR_PACKED, HC_TR_SHIPPED, HC_TR_CANCELLED
};
const char *hc_tr_status_name(int st);
int hc_tr_status_parse(const char *s);
/* The state machine: may a transfer go from `from` to `to`? */
bool hc_tr_can_move(int from, int to);

struct hc_tr_line {
    const char *sku;
    int64_t qty;
    const char *fnsku; /* the marketplace label code; "" when none */
    /* A shipped transfer to a haicang warehouse (inbound set, read by
     * hc_transfer_get and _list): units its inbound received, units still
     * at transfer/<id> (in the destination's in_transit) and units written
     * off to lost/transfer/<id> when the inbound was closed short. qty is
     * what was shipped: received + in_transit + lost == qty. */
    int64_t received, in_transit, lost;
};

/* A value-added service: relabel (units relabelled) or bundle (bundles made,
 * charged as the card's kitting). */
struct hc_tr_work {
    const char *id, *transfer, *service, *status; /* status open | done | cancelled */
    int64_t units;
    const char *note;
    int64_t charge_minor; /* booked when done */
    const char *currency;
    int64_t created_at, done_at;
    const char *done_by;
};

struct hc_tr_carton_item {
    const char *sku;
    int64_t qty;
};
struct hc_tr_carton {
    int64_t box_no; /* 1.. */
    const char *carton_id;
    int64_t dims_mm[3], weight_g;
    int64_t pallet_no; /* 0: not on a pallet */
    struct hc_tr_carton_item *items;
    size_t nitems;
};
struct hc_tr_pallet {
    int64_t pallet_no;
    const char *sscc;
    int64_t cartons, weight_g;
};

struct hc_transfer {
    const char *id, *seller, *warehouse;
    int dest_type;
    const char *dest_warehouse; /* HC_TR_HAICANG; "" otherwise */
    const char *dest_country;
    const char *address_json;   /* {name, line1, line2?, city, postcode, country}; "{}" */
    const char *shipment_id;
    const char *status, *hold_reason, *missing; /* missing: items one a line ("" none) */
    const char *freight_ref;                    /* LTL booking reference, "" none */
    const char *inbound_id;                     /* expected inbound at dest_warehouse */
    struct hc_tr_line *lines;
    size_t nlines;
    struct hc_tr_work *work;
    size_t nwork;
    struct hc_tr_carton *cartons;
    size_t ncartons;
    struct hc_tr_pallet *pallets;
    size_t npallets;
    int64_t created_at, updated_at, shipped_at;
    const char *created_by;
};

/* ---- pure checks (transfer.c) --------------------------------------------- */
/* An Amazon FNSKU: 10 upper-case letters or digits starting X00 or B0. */
bool hc_tr_fnsku_valid(const char *s);
/* A shipment id for the destination: FBA/AWD "FBA" + 9 letters or digits;
 * others 1..32 of letters, digits, '-' and '_'. */
bool hc_tr_shipment_valid(int dest, const char *s);
/* The marketplace carton id of box n: FBA/AWD shipment + "U" + 6 digits
 * (FBA15XXXXXXXU000001), others shipment + "-" + 3 digits at least. false
 * when n is out of range (1..999999) or out is too small. */
bool hc_tr_carton_id(int dest, const char *shipment, int64_t box_no, char *out, size_t size);

/* ---- transfers (transfer.c) ------------------------------------------------ */
/* Creates the transfer with its lines and work orders (services), after the
 * gate (market: the destination country): missing items hold it
 * (on_hold, hold_reason compliance). Allocates every line from the
 * warehouse (HC_ECONFLICT naming lines[i].qty when short). Bad input is
 * HC_EINVAL naming the field (lines[i].fnsku, shipment_id, address.country,
 * dest_warehouse, services[i].units ...). t->id etc. set here. */
struct hc_tr_service_req {
    const char *service; /* relabel | bundle */
    int64_t units;
    const char *note;
};
int hc_transfer_create(hc_store *s, hc_arena *a, struct hc_transfer *t,
                       const struct hc_tr_service_req *svc, size_t nsvc, const char *actor,
                       hc_err *err);
/* The transfer with lines, work orders, cartons and pallets. HC_ENOTFOUND naming id. */
int hc_transfer_get(hc_store *s, hc_arena *a, const char *id, struct hc_transfer *out,
                    hc_err *err);
struct hc_tr_filter {
    const char *seller, *warehouse, *status;
    const char *cursor; /* an id: transfers created before it */
    int limit;
};
/* Newest first, without cartons (lines and work orders are read). */
int hc_transfer_list(hc_store *s, hc_arena *a, const struct hc_tr_filter *f,
                     struct hc_transfer **out, size_t *n, const char **next, hc_err *err);
/* Gives back the allocation, cancels open work orders. HC_ECONFLICT naming
 * status once shipped or cancelled. */
int hc_transfer_cancel(hc_store *s, hc_arena *a, const char *id, const char *actor,
                       hc_err *err);
/* Ships a packed transfer whose work orders are done (HC_ECONFLICT naming
 * status / work_orders / cartons): freight_ref (the LTL booking; NULL keeps
 * the one stored, needed) is stored, the allocation consumed, the goods
 * leave the bins for transfer/<id>; to a haicang warehouse an expected
 * inbound is created there. */
int hc_transfer_ship(hc_store *s, hc_arena *a, const char *id, const char *freight_ref,
                     const char *actor, hc_err *err);
/* Checks held transfers (of seller; NULL all) again: released to open when
 * nothing is missing, else their missing items renewed. */
int hc_transfer_recheck(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                        int *released, hc_err *err);
/* hc_gate_recheck (held orders and inbounds) and then hc_transfer_recheck;
 * *released counts both. What a compliance write calls. */
int hc_transfer_recheck_all(hc_store *s, hc_arena *a, const char *seller, const char *actor,
                            int *released, hc_err *err);

/* ---- work orders (work.c) -------------------------------------------------- */
int hc_tr_work_add(hc_store *s, hc_arena *a, const char *transfer_id,
                   const struct hc_tr_service_req *w, const char *actor, struct hc_tr_work *out,
                   hc_err *err);
/* Marks an open work order done and books its charge (finance's service
 * charge: relabel, or kitting for a bundle) in the same transaction;
 * HC_ECONFLICT naming status when not open, naming warehouse when no rate
 * card covers today. */
int hc_tr_work_complete(hc_store *s, hc_arena *a, const char *transfer_id, const char *work_id,
                        const char *actor, struct hc_tr_work *out, hc_err *err);

/* ---- cartons and pallets (pack.c) ------------------------------------------ */
struct hc_tr_unit {
    const char *sku;
    int64_t qty;
    int64_t dims_mm[3], weight_g; /* of one unit */
};
struct hc_tr_pack_opts {
    int64_t carton_mm[3];   /* inside dims of the carton size */
    int64_t carton_max_g;   /* 0: HC_TR_DEFAULT_CARTON_MAX_G */
    int64_t carton_tare_g;
    int64_t pallet_mm[3];   /* 0: no pallets; the load space (l, w, height) */
    int64_t pallet_max_g;   /* 0: HC_TR_PALLET_MAX_G */
    int64_t time_limit_ms;  /* of the loader, per run; 0: 2000 */
};
struct hc_tr_proposal {
    struct hc_tr_carton *cartons;
    size_t ncartons;
    struct hc_tr_pallet *pallets; /* sscc NULL in a proposal */
    size_t npallets;
    int64_t units, weight_g;      /* totals over the cartons, tare included */
};
/* Proposes cartons of one size holding all the units (the freight loader,
 * any orientation, within the carton weight), then pallets holding the
 * cartons (support rule on). HC_EINVAL naming carton.dims_mm when a unit
 * fits no carton (or is over its weight), pallet.dims_mm when a carton fits
 * no pallet. Pure; carton ids are left NULL. */
int hc_tr_pack_propose(hc_arena *a, const struct hc_tr_unit *u, size_t n,
                       const struct hc_tr_pack_opts *o, struct hc_tr_proposal *out, hc_err *err);
/* The units of a transfer's lines with their SKU dims and weight. */
int hc_tr_units(hc_store *s, hc_arena *a, const struct hc_transfer *t, struct hc_tr_unit **out,
                hc_err *err);
/* Records cartons (and pallets) of an open or packed transfer, replacing
 * earlier ones; the cartons together must hold exactly the lines
 * (HC_EINVAL naming cartons[i].items[j].sku / cartons). Carton ids from the
 * shipment id, pallet SSCCs from gs1_prefix (7-10 digits; HC_EINVAL naming
 * it) and a counter. Status becomes packed. */
int hc_tr_cartons_record(hc_store *s, hc_arena *a, const char *transfer_id,
                         struct hc_tr_carton *c, size_t n, struct hc_tr_pallet *p, size_t np,
                         const char *gs1_prefix, const char *actor, hc_err *err);

/* ---- labels (label.c) ------------------------------------------------------ */
/* One 4x6 inch page per carton (marketplace, shipment id, from, to, box n of
 * m, weight, the carton id as Code 128) and per pallet (GS1-128 (00) SSCC). */
struct hc_tr_label_from {
    const char *lines[4];
};
int hc_tr_labels_pdf(const struct hc_transfer *t, const char *const *from, size_t nfrom,
                     const char *const *to, size_t nto, hc_buf *out, hc_err *err);

#endif

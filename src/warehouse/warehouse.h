/* warehouse: what happens inside an overseas warehouse: inbounds (ASN),
 * receipts, putaway, waves with their pick routes, packing, returns, and the
 * read side of stock (inventory lists, journal trails, the overview).
 *
 * Mutating functions run in the caller's write transaction; strings in
 * results live in the caller's arena. The planners (putaway, pick route)
 * are pure functions, tested on their own. */
#ifndef HC_WAREHOUSE_H
#define HC_WAREHOUSE_H

#include "orders/orders.h"

#define HC_INBOUND_LINES_MAX 1000
#define HC_REFERENCE_MAX 64
#define HC_WAVE_ORDERS_MAX 500

/* ---- inbounds ------------------------------------------------------------ */
struct hc_inbound_line {
    const char *sku;
    int64_t expected, received, put_away;
};

struct hc_inbound {
    const char *id, *seller, *warehouse, *reference, *status;
    int64_t created_at, updated_at;
    struct hc_inbound_line *lines;
    size_t nlines;
    /* closed by an operator who accepted what arrived (0 / NULL while open);
     * each line's difference is then received - expected, for good */
    int64_t closed_at;
    const char *closed_by, *close_reason;
    /* status on_hold: why (e.g. "compliance"); NULL otherwise */
    const char *hold_reason;
    /* hc_inbound_create only: the place the goods are received from when not
     * "origin" (a transfer's "transfer/<id>"); NULL or "" for origin */
    const char *receive_from;
};

struct hc_qty_line {
    const char *sku;
    int64_t qty;
    const char *location; /* putaway moves only */
    const char *condition; /* returns only: "sellable" | "damaged" */
};

int hc_inbound_create(hc_store *s, hc_arena *a, struct hc_inbound *in, const char *actor,
                      hc_err *err);
int hc_inbound_get(hc_store *s, hc_arena *a, const char *id, struct hc_inbound *out, hc_err *err);
/* Records what arrived (short and over receipts are recorded, not refused;
 * a SKU the ASN did not announce is added with expected 0). Goods move from
 * origin to wh/<code>/RECEIVING; backorders that can now be filled are. */
int hc_inbound_receive(hc_store *s, hc_arena *a, const char *id, const struct hc_qty_line *lines,
                       size_t n, const char *actor, struct hc_inbound *out, hc_err *err);
/* Holds an expected inbound (status on_hold, hold_reason reason): receipts
 * and closing are refused (HC_ECONFLICT naming the reason) until
 * hc_inbound_release_hold puts it back to expected. */
int hc_inbound_hold(hc_store *s, struct hc_inbound *in, const char *reason, hc_err *err);
int hc_inbound_release_hold(hc_store *s, const char *seller, const char *id, hc_err *err);
/* Closes an inbound whose receipts differ from its ASN (short, over, or
 * nothing at all): what arrived is accepted, further receipts are refused
 * (HC_ECONFLICT), and the status becomes "putaway" when every received unit
 * is put away, else "received" (putaway then completes it). reason is
 * optional (<= 200 characters). HC_ECONFLICT for a put-away or closed one.
 * An inbound of a transfer (received from "transfer/<id>") writes off in
 * the same transaction what it never took: those units move to
 * "lost/transfer/<id>" (journal ref: the inbound), out of in_transit. */
int hc_inbound_close(hc_store *s, hc_arena *a, const char *id, const char *reason,
                     const char *actor, struct hc_inbound *out, hc_err *err);
/* Moves received goods from RECEIVING into storage: the given moves, or,
 * when n == 0, a plan made by hc_putaway_plan over the warehouse's locations.
 * *moves gets what was moved. */
int hc_inbound_putaway(hc_store *s, hc_arena *a, const char *id, const struct hc_qty_line *lines,
                       size_t n, const char *actor, struct hc_qty_line **moves, size_t *nmoves,
                       hc_err *err);

struct hc_list_page {
    const char *cursor;
    int limit;
};
int hc_inbound_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    const char *status, const struct hc_list_page *pg, struct hc_inbound **items,
                    size_t *n, const char **next, hc_err *err);

/* ---- putaway planning (pure) ------------------------------------------------ */
struct hc_bin {
    const char *code;
    int64_t dims_mm[3], max_weight_g;
    int64_t used_volume_mm3, used_weight_g;
    bool holds_sku;
    int64_t aisle, bay, level;
};
struct hc_bin_alloc {
    size_t bin;
    int64_t qty;
};
/* Units of an item (dims, weight) a bin can still take: by its free volume
 * and weight, and never more than fit on a grid in the best orientation. */
int64_t hc_bin_capacity(const struct hc_bin *b, const int64_t dims_mm[3], int64_t weight_g);
/* Places qty units: bins already holding the SKU first, then empty bins,
 * then the bin whose room fits the rest most tightly, nearest the front on
 * ties. Updates the
 * bins' usage. Returns the number of allocations written to out (at most
 * nbins); *unplaced gets what did not fit. */
size_t hc_putaway_plan(struct hc_bin *bins, size_t nbins, const int64_t dims_mm[3],
                       int64_t weight_g, int64_t qty, struct hc_bin_alloc *out, int64_t *unplaced);

/* ---- pick routes (pure) ----------------------------------------------------- */
/* Geometry (docs/core-flow.md, "Waves"): aisle a runs along x = a *
 * aisle_pitch_mm; every integer aisle between the leftmost one used and the
 * rightmost one used (picks and depot) is walkable. Along an aisle, y is the
 * distance from the front cross aisle (y = 0); bay b (1-based) is picked at its
 * centre, y = b * bay_pitch_mm - bay_pitch_mm / 2 (integer mm; bay < 1 counts as
 * bay 1). The back cross aisle is at y = len * bay_pitch_mm, len = the largest of
 * bays_per_aisle and every pick's bay. A middle cross aisle c (in bays) runs
 * between bays c and c + 1, at y = c * bay_pitch_mm. Cross aisles are lines
 * (their width is not walked); the depot is on the front cross aisle at
 * x = depot_aisle * aisle_pitch_mm. Walking is only along aisles and cross
 * aisles. */
#define HC_CROSS_AISLES_MAX HC_LAYOUT_CROSS_AISLES_MAX
enum hc_route_policy {
    HC_ROUTE_OPTIMAL = 0,  /* "optimal": the shortest walk (exact; see route.c) */
    HC_ROUTE_S_SHAPE,      /* "s-shape": aisles with picks walked end to end */
    HC_ROUTE_RETURN,       /* "return": each aisle entered and left from the front */
    HC_ROUTE_LARGEST_GAP,  /* "largest-gap" */
    HC_ROUTE_COMBINED,     /* "combined": per aisle, traverse or return (a DP) */
};
#define HC_ROUTE_POLICIES 5
struct hc_layout {
    int64_t aisle_pitch_mm; /* centre to centre of walking aisles */
    int64_t bay_pitch_mm;   /* width of one bay along an aisle */
    int64_t depot_aisle;    /* the aisle the depot (pack station) faces */
    int64_t bays_per_aisle; /* aisle length in bays (0: as far as the picks go) */
    /* middle cross aisles, in bays from the front, strictly increasing, each
     * 1..bays_per_aisle-1 (hc_route_plan ignores any that are not); 0: a
     * single block */
    size_t ncross;
    int64_t cross_aisles[HC_CROSS_AISLES_MAX];
    enum hc_route_policy route_policy; /* the warehouse's choice */
};
struct hc_pick_point {
    int64_t aisle, bay;
};
enum hc_route_step_kind {
    HC_STEP_PICK, /* stop at a pick point: steps[i].pick indexes pts */
    HC_STEP_TURN, /* the picker changes direction here without picking */
};
struct hc_route_step {
    enum hc_route_step_kind kind;
    size_t pick;   /* HC_STEP_PICK: index into pts; else SIZE_MAX */
    int64_t aisle; /* where the step is: aisle, and y in mm from the front */
    int64_t y_mm;
    /* the cross aisle the point is on: 0 front, 1..ncross the middle ones in
     * order, ncross + 1 the back; -1 inside an aisle (every pick, and a
     * turn back inside an aisle) */
    int cross;
};
/* Names: "optimal", "s-shape", "return", "largest-gap", "combined". parse
 * returns false for anything else. */
const char *hc_route_policy_name(enum hc_route_policy p);
bool hc_route_policy_parse(const char *name, enum hc_route_policy *out);
/* Capacity of steps[] hc_route_plan may need for these points. */
size_t hc_route_steps_max(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n);
/* Plans the walk from the depot through every point and back, by policy p
 * (callers pass l->route_policy). The walk is: depot, steps[0..*nsteps-1],
 * depot; between two consecutive points of it the picker walks a straight
 * line, along one aisle (same aisle, |dy|) or along one cross aisle (same
 * cross-aisle y, |da| * aisle_pitch_mm), so the returned length is exactly the
 * sum of those legs. Every point of pts appears once as an HC_STEP_PICK (points
 * in the same place are consecutive); a picker who turns at an aisle end or a
 * cross aisle has an HC_STEP_TURN there. order[] (n entries) gets the pick
 * order, the PICK steps' indexes. steps may be NULL (then nsteps is ignored);
 * else it has room for hc_route_steps_max(). Heuristic policies use only the
 * front and back cross aisles; HC_ROUTE_OPTIMAL uses every cross aisle and is
 * the shortest walk there is. Returns the length in mm (0 for n == 0), or -1
 * when memory runs out. Pure: thread-safe, no I/O. */
int64_t hc_route_plan(const struct hc_layout *l, enum hc_route_policy p,
                      const struct hc_pick_point *pts, size_t n, struct hc_route_step *steps,
                      size_t *nsteps, size_t *order);
/* Deprecated forms of hc_route_plan(l, HC_ROUTE_S_SHAPE / HC_ROUTE_RETURN). */
int64_t hc_route_sshape(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order);
int64_t hc_route_return(const struct hc_layout *l, const struct hc_pick_point *pts, size_t n,
                        size_t *order);

/* ---- batching (pure, batch.c) ------------------------------------------------ */
/* Which orders a picker's cart takes together, so the walk over all the trips
 * of a wave is short (docs/batching.md). */
struct hc_batch_order {
    const struct hc_pick_point *pts; /* the bins it is picked from */
    size_t npts;
    int64_t lines, volume_mm3, weight_g;
    /* cut-off key, ms: the earlier, the sooner the carrier collects (orders
     * carry no cut-off yet: the wave passes created_at) */
    int64_t due;
};
/* A cart: 0 means no limit. Each order rides in a tote of its own, so a
 * trip takes at most min(max_orders, totes) orders. */
struct hc_cart {
    int64_t max_orders, max_lines, max_volume_mm3, max_weight_g, totes;
};
struct hc_batch_opts {
    /* orders whose due falls in the same window (floor(due / window)) may
     * share a trip; no trip mixes windows, and trips go out window by
     * window. 0: one window for all. */
    int64_t due_window_ms;
    uint64_t seed;      /* the local search's random perturbations */
    int64_t budget_ms;  /* time for the local search; 0: construction only */
    int64_t max_rounds; /* iterated local search rounds; 0: until the budget */
};
struct hc_batch {
    size_t *orders; /* indexes into the input; orders[k] rides in tote k + 1 */
    size_t norders;
    int64_t lines, volume_mm3, weight_g;
    int64_t length_mm; /* the router's length for all its points */
};
/* HC_EINVAL naming the cart field ("cart.max_lines", ...) an order alone
 * exceeds, or a negative limit. */
int hc_batch_check(const struct hc_cart *c, const struct hc_batch_order *o, size_t n,
                   const char *const *ids, hc_err *err);
/* Plans the trips: seed batching with savings-based order addition, then an
 * iterated local search (shift and swap of orders between trips) for
 * opt->budget_ms. Trips come out in release order (window, then earliest
 * due). Deterministic for a seed when max_rounds bounds the search and the
 * budget is not hit. *out (arena a) gets the trips; every order is in exactly
 * one. Checks the cart first (hc_batch_check). */
int hc_batch_plan(hc_arena *a, const struct hc_layout *l, const struct hc_batch_order *o,
                  size_t n, const struct hc_cart *c, const struct hc_batch_opts *opt,
                  struct hc_batch **out, size_t *nout, hc_err *err);
/* The length the planner walks for these points: hc_route_plan under the
 * layout's policy. -1 when memory runs out. */
int64_t hc_batch_route_length(const struct hc_layout *l, const struct hc_pick_point *pts,
                              size_t n);

/* ---- waves, packing, returns ------------------------------------------------ */
struct hc_pick {
    int64_t seq;
    const char *location, *seller, *sku, *order;
    int64_t qty;
    int64_t batch; /* the trip (1-based) that picks it */
};
/* A point of a trip's route where the picker turns without picking: after
 * pick seq after_seq (first_seq - 1: before the trip's first pick). */
struct hc_wave_turn {
    int64_t after_seq, aisle, y_mm;
    int cross; /* as hc_route_step.cross */
};
/* One trip of a cart: its picks are seq first_seq..last_seq of the wave, in
 * route order; totes[k] holds order orders[k] (tote k + 1). */
struct hc_wave_batch {
    int64_t no, route_length_mm, first_seq, last_seq;
    int64_t lines, volume_mm3, weight_g;
    const char *route_policy;
    const char **orders;
    size_t norders;
    struct hc_wave_turn *turns;
    size_t nturns;
};
struct hc_wave {
    const char *id, *warehouse;
    const char **orders;
    size_t norders;
    struct hc_pick *picks; /* every trip's picks, trip by trip, in route order */
    size_t npicks;
    int64_t route_length_mm; /* the sum over its trips */
    const char *route_policy;
    int64_t created_at;
    struct hc_wave_batch *batches;
    size_t nbatches;
};
/* A cart for hc_wave_release_cart; 0 limits are none. due_window_ms: see
 * hc_batch_opts (0 here: one hour); budget_ms: the local search's time (0:
 * 100 ms; < 0: none, the construction alone, which is deterministic). */
struct hc_wave_cart {
    struct hc_cart cart;
    int64_t due_window_ms, budget_ms;
};
/* Takes up to max_orders allocated orders of the warehouse, oldest first,
 * whose goods are all in pickable locations, plans picks by location and a
 * walking route, and moves the orders to "picking". HC_ECONFLICT when no
 * order is ready. */
int hc_wave_release(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                    const char *seller, const char *actor, struct hc_wave *out, hc_err *err);
/* The same with a cart (NULL: one trip takes the whole wave): the wave's
 * orders (up to max_orders, oldest first) are batched into trips
 * (hc_batch_plan; cut-off key: the order's created_at, as orders carry no
 * carrier cut-off or priority yet), each routed by the layout's policy.
 * HC_EINVAL naming the cart field when an order alone exceeds the cart;
 * nothing is written then. */
int hc_wave_release_cart(hc_store *s, hc_arena *a, const char *warehouse, int max_orders,
                         const struct hc_wave_cart *cart, const char *seller, const char *actor,
                         struct hc_wave *out, hc_err *err);
/* The same for exactly the orders ids[0..n) (1..HC_WAVE_ORDERS_MAX, none
 * twice): each must be an allocated order of the warehouse with all its goods
 * in pickable locations, else HC_EINVAL/HC_ECONFLICT naming "orders[i]" and
 * nothing is written. */
int hc_wave_release_orders(hc_store *s, hc_arena *a, const char *warehouse,
                           const char *const *ids, size_t n, const struct hc_wave_cart *cart,
                           const char *actor, struct hc_wave *out, hc_err *err);
int hc_wave_get(hc_store *s, hc_arena *a, const char *id, struct hc_wave *out, hc_err *err);
int hc_wave_list(hc_store *s, hc_arena *a, const char *warehouse, const struct hc_list_page *pg,
                 struct hc_wave **items, size_t *n, const char **next, hc_err *err);
/* Confirms an order's picks: goods move from their locations to order/<id>,
 * the allocation is consumed, status picking -> packed. */
int hc_order_pack(hc_store *s, hc_arena *a, const char *order_id, const char *actor,
                  struct hc_order *out, hc_err *err);
/* The first half of packing, alone: goods move from the order's pick bins to
 * order/<id> and the allocation is consumed; the status stays picking. For
 * picks confirmed by scan (scan.c); hc_order_pack then skips it. */
int hc_order_confirm_picks(hc_store *s, hc_arena *a, const struct hc_order *o, const char *actor,
                           hc_err *err);

struct hc_return {
    const char *id, *order, *seller, *warehouse;
    struct hc_qty_line *lines;
    size_t nlines;
    int64_t created_at;
};
/* Takes goods of a shipped or delivered order back: sellable units to
 * wh/<code>/RETURNS (available again), damaged to scrap. */
int hc_return_create(hc_store *s, hc_arena *a, struct hc_return *r, const char *actor,
                     hc_err *err);
int hc_return_get(hc_store *s, hc_arena *a, const char *id, struct hc_return *out, hc_err *err);
int hc_return_list(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                   const struct hc_list_page *pg, struct hc_return **items, size_t *n,
                   const char **next, hc_err *err);

/* ---- read side ---------------------------------------------------------------- */
struct hc_stock_row {
    const char *seller, *warehouse, *sku;
    int64_t on_hand, allocated, available, in_transit;
    int64_t inbound_planned, arrived; /* head-haul buckets (src/headhaul) */
};
struct hc_stock_filter {
    const char *seller, *warehouse, *sku, *q;
    const char *sort; /* "sku" (default), "-on_hand", "-available" */
    struct hc_list_page page;
};
int hc_inventory_list(hc_store *s, hc_arena *a, const struct hc_stock_filter *f,
                      struct hc_stock_row **items, size_t *n, const char **next, hc_err *err);

struct hc_posting {
    int64_t id, at, qty;
    const char *kind, *seller, *sku, *from, *to, *ref, *actor;
};
/* By ref, or by seller + sku (optionally one warehouse's places); oldest
 * first. tenant_seller / tenant_warehouse (may be NULL) restrict what is
 * visible. */
struct hc_journal_filter {
    const char *ref, *seller, *sku, *warehouse;
    const char *tenant_seller, *tenant_warehouse;
    struct hc_list_page page;
};
int hc_journal_list(hc_store *s, hc_arena *a, const struct hc_journal_filter *f,
                    struct hc_posting **items, size_t *n, const char **next, hc_err *err);

/* Checks place_load (what each warehouse place holds by volume and weight)
 * against the balances and the SKUs' sizes; each difference goes to
 * report(line, ctx), *diffs gets their count. For `haicang verify`. */
int hc_place_load_verify(hc_store *s, void (*report)(const char *line, void *ctx), void *ctx,
                         int64_t *diffs, hc_err *err);

/* The overview a dashboard opens with. Inventory age is by the first
 * receipt of each SKU in each warehouse (stock.first_in_at), bucketed 0-30,
 * 31-60, 61-90 and over 90 days. */
#define HC_OVERVIEW_DAYS 14
struct hc_overview_stock {
    const char *warehouse, *seller;
    int64_t on_hand, allocated, available;
};
struct hc_overview {
    struct hc_overview_stock *stock;
    size_t nstock;
    const char *status_names[HC_ORDER_NSTATUS + 1]; /* NULL-terminated */
    int64_t by_status[HC_ORDER_NSTATUS], today_by_status[HC_ORDER_NSTATUS];
    int64_t day_start_ms[HC_OVERVIEW_DAYS], per_day[HC_OVERVIEW_DAYS];
    int64_t backorders, inbounds_expected;
    int64_t age_qty[4];
};
int hc_overview_get(hc_store *s, hc_arena *a, const char *seller, const char *warehouse,
                    struct hc_overview *out, hc_err *err);

/* ---- stored loading plans, document tenancy (loading_plans.c) ------------------ */

struct hc_stored_plan {
    const char *owner;   /* seller code, or "*" */
    const char *plan;    /* plan JSON as answered */
    const char *request; /* request JSON, or NULL for a plan stored with its SVG */
    const char *svg;     /* stored picture, or NULL: draw it from request and plan */
};

/* Stores a plan (owner: the seller, or "*") with the request it answers. */
int hc_loading_plan_put(hc_store *s, const char *owner, const char *id, const char *plan_json,
                        const char *request_json, hc_err *err);
/* Loads plan id into *out (strings in a); seller non-NULL: only that
 * seller's plans (another's is HC_ENOTFOUND, as if absent). */
int hc_loading_plan_get(hc_store *s, hc_arena *a, const char *id, const char *seller,
                        struct hc_stored_plan *out, hc_err *err);

/* The seller and warehouse of the document an id names (an order, inbound
 * or return); HC_ENOTFOUND naming "ref" when there is none or the id is
 * of another kind. */
int hc_document_tenant(hc_store *s, hc_arena *a, const char *ref, const char **seller,
                       const char **warehouse, hc_err *err);

/* ---- slotting (slotting.c) ------------------------------------------------------ */
/* Slotting puts the SKUs picked most often into the bins cheapest to reach.
 * Velocity: pick lines (journal moves from a bin of the warehouse to an
 * order, one per order and SKU) and units over a window of days. A bin's
 * cost: the round trip from the depot along the layout (2 x (aisles away x
 * aisle pitch + bay centre from the front)), plus level_penalty_mm for each
 * level it lies outside the golden levels golden_lo..golden_hi. */
#define HC_SLOTTING_WINDOW_DAYS 30
#define HC_SLOTTING_WINDOW_MAX 365
#define HC_SLOTTING_MOVES_DEFAULT 50
#define HC_SLOTTING_MOVES_MAX 1000
#define HC_SLOTTING_STAGING "SLOTTING" /* wh/<code>/SLOTTING: a swap's goods in hand */

struct hc_slot_costs {
    int64_t aisle_pitch_mm, bay_pitch_mm, depot_aisle;
    int64_t golden_lo, golden_hi; /* the best levels (default 1..2) */
    int64_t level_penalty_mm;     /* per level outside them (default 2000) */
};
/* Round-trip walk from the depot to a bin and back, in mm. */
int64_t hc_slot_walk_mm(const struct hc_slot_costs *c, int64_t aisle, int64_t bay);
/* Walk plus the level penalty: the rank of a bin. */
int64_t hc_slot_cost_mm(const struct hc_slot_costs *c, const struct hc_bin *b);

/* One bin's contents for the planner: a bin holding one SKU of one seller. */
struct hc_slot_item {
    const char *seller, *sku;
    int64_t qty, dims_mm[3], weight_g;
    size_t bin;           /* index into the bins */
    double picks_per_day; /* this bin's share of its SKU's pick lines */
};
struct hc_slot_move {
    size_t item, from, to; /* item moves from bin `from` to bin `to` */
    ptrdiff_t swap;        /* index of the move coming back (a swap), or -1 */
};
/* The pure planner. usable[i]: bin i may take part (pickable, holds at most
 * one SKU, nothing reserved by an open wave); a bin is empty when no item
 * is in it and its used volume is 0. Hottest items first, each item moves at
 * most once and each bin takes part in at most one move or swap, so any
 * subset of whole moves (a swap's two halves together) can be carried out
 * alone: an item goes to the cheaper empty bin that holds it by
 * hc_bin_capacity, or swaps with a colder item of a cheaper bin when each
 * fits the other's bin, whichever saves most cost x picks. At most
 * max_moves moves (a swap is two); returns their count. */
size_t hc_slotting_plan(const struct hc_slot_costs *c, const struct hc_bin *bins, size_t nbins,
                        const bool *usable, const struct hc_slot_item *items, size_t nitems,
                        size_t max_moves, struct hc_slot_move *out);
/* Expected walk per day, sum of picks_per_day x walk of the item's bin,
 * before and after the moves (mm per day). */
void hc_slotting_walk(const struct hc_slot_costs *c, const struct hc_bin *bins,
                      const struct hc_slot_item *items, size_t nitems,
                      const struct hc_slot_move *moves, size_t nmoves, double *before,
                      double *after);

struct hc_slotting_move {
    int64_t seq; /* 1-based */
    const char *from, *to, *seller, *sku;
    int64_t qty;
    int64_t swap_seq;    /* the seq of the move coming back, 0 when none */
    double picks_per_day;
    int64_t from_mm, to_mm; /* round-trip walk of each bin */
    int64_t accepted_at;    /* 0 while proposed */
    const char *accepted_by;
};
struct hc_slotting {
    const char *id, *warehouse, *created_by;
    int64_t window_days, max_moves, created_at;
    double picks_per_day; /* pick lines per day over the window */
    int64_t before_mm_per_day, after_mm_per_day;
    int64_t bins, skus; /* considered (propose only) */
    struct hc_slotting_move *moves;
    size_t nmoves;
};
struct hc_slotting_opts {
    int64_t window_days, max_moves; /* 0: the defaults */
    int64_t golden_lo, golden_hi, level_penalty_mm; /* 0: defaults 1, 2, 2000 */
};
/* Computes a proposal for the warehouse from its bins, their stock and the
 * pick lines of the window (reads only; HC_EINVAL naming "warehouse" when
 * there is none, "window_days" / "max_moves" out of range). */
int hc_slotting_propose(hc_store *s, hc_arena *a, const char *warehouse,
                        const struct hc_slotting_opts *o, const char *actor,
                        struct hc_slotting *out, hc_err *err);
/* Stores a proposal made by hc_slotting_propose (writer). */
int hc_slotting_save(hc_store *s, const struct hc_slotting *p, hc_err *err);
/* One stored proposal of warehouse, or of any warehouse when it is NULL
 * (HC_ENOTFOUND naming "id"). hc_slotting_accept takes NULL likewise. */
int hc_slotting_get(hc_store *s, hc_arena *a, const char *warehouse, const char *id,
                    struct hc_slotting *out, hc_err *err);
/* Carries out the moves seqs[0..n-1] (n == 0: every move not yet accepted)
 * as journal moves bin to bin, ref the proposal id, by actor; a swap goes
 * through wh/<code>/SLOTTING. Each move's bins must still hold what the
 * proposal found (the from bin only its SKU and qty, the to bin nothing, or
 * for a swap the partner's SKU and qty) and have no open wave's picks:
 * else HC_ECONFLICT naming "moves[i]" (i its index in the proposal), and
 * nothing is moved. Half a swap, an unknown or repeated seq: HC_EINVAL
 * naming "moves[k]" of the request. *out gets the proposal afterwards. */
int hc_slotting_accept(hc_store *s, hc_arena *a, const char *warehouse, const char *id,
                       const int64_t *seqs, size_t n, const char *actor, struct hc_slotting *out,
                       hc_err *err);

/* Velocity classes for putaway: by pick lines per day over the window, the
 * top fifth of the SKUs picked in the warehouse are fast, the bottom half
 * slow; SKUs never picked have no class (putaway as before). */
enum hc_velocity { HC_VELOCITY_NONE = 0, HC_VELOCITY_FAST, HC_VELOCITY_MEDIUM, HC_VELOCITY_SLOW };
struct hc_velocity_table;
int hc_velocity_load(hc_store *s, hc_arena *a, const char *warehouse, int64_t window_days,
                     struct hc_velocity_table **out, hc_err *err);
enum hc_velocity hc_velocity_of(const struct hc_velocity_table *t, const char *seller,
                                const char *sku);
/* The cost (hc_slot_cost_mm with the default golden levels) of each bin of
 * the warehouse's layout, into costs[nbins] (arena a). */
int hc_slotting_bin_costs(hc_store *s, hc_arena *a, const char *warehouse,
                          const struct hc_bin *bins, size_t nbins, int64_t **costs, hc_err *err);
/* hc_putaway_plan, where among otherwise equal choices (after SKU already
 * there, empty bin, one bin for all) a fast SKU takes the cheapest bin by
 * costs[] and a slow one the dearest; HC_VELOCITY_NONE / MEDIUM or costs
 * NULL: exactly hc_putaway_plan. */
size_t hc_putaway_plan_zone(struct hc_bin *bins, size_t nbins, const int64_t *costs,
                            enum hc_velocity v, const int64_t dims_mm[3], int64_t weight_g,
                            int64_t qty, struct hc_bin_alloc *out, int64_t *unplaced);

/* ---- scanning (scan.c) ------------------------------------------------------------ */
/* Picking and packing confirmed by scan (docs/scanning.md). A picker scans a
 * bin, then the items taken from it (SKU barcode or SKU code) with a count;
 * every accepted scan is kept (wave_scans) with who and when. A bin scan is
 * accepted for any bin with an open pick of the wave (the answer says
 * whether it was the next stop of the route); an item scan counts against
 * the open picks at the bin scanned last. When every pick of an order is
 * counted in full, hc_order_confirm_picks moves its goods to order/<id>, by
 * the scanning key. A short pick (the rest of an item is not in the bin)
 * books the bin's missing units to "lost", takes the order out of the wave
 * and routes it again (hc_order_requeue). Wrong bin, wrong item, too many:
 * HC_EUNPROC naming "code" or "qty", nothing written. */
#define HC_SCAN_CODE_MAX 64
#define HC_SCAN_LOST "lost" /* the place missing units are booked to */

enum hc_scan_kind { HC_SCAN_BIN, HC_SCAN_ITEM, HC_SCAN_SHORT };
/* "bin", "item", "short"; parse: false for anything else. */
const char *hc_scan_kind_name(enum hc_scan_kind k);
bool hc_scan_kind_parse(const char *word, enum hc_scan_kind *out);

/* One pick of a wave as the scanner sees it. */
struct hc_scan_pick {
    int64_t seq;
    const char *location, *seller, *sku, *order;
    const char *barcode, *name, *name_zh; /* from the catalog; barcode may be NULL */
    int64_t qty, done;                    /* done: units counted by item scans */
    int64_t aisle, bay;
    bool open; /* its order is still being picked and done < qty */
};

/* Pure matching, tested on its own. A bin code is the location code, or
 * "<warehouse>/<code>", compared without regard to case. Returns the first
 * open pick (route order) at the bin code names, or -1. */
ptrdiff_t hc_scan_find_bin(const struct hc_scan_pick *p, size_t n, const char *warehouse,
                           const char *code);
/* Does item code (barcode, else SKU code) name pick p's SKU? */
bool hc_scan_item_is(const struct hc_scan_pick *p, const char *code);
/* An item scan of qty units at bin (order: only that order's picks, or
 * NULL): spreads qty over the open picks there whose item code names, in
 * route order; take[i] (n entries) gets each pick's units. qty 0 takes all
 * they still need (a short pick's count). HC_EUNPROC naming "code" when no
 * open pick at the bin is for that item (or order), "qty" when qty is more
 * than they still need. */
int hc_scan_match_item(const struct hc_scan_pick *p, size_t n, const char *bin, const char *code,
                       const char *order, int64_t qty, int64_t *take, hc_err *err);
/* The next stop: the first open pick in route order, or -1 when none. */
ptrdiff_t hc_scan_next(const struct hc_scan_pick *p, size_t n);
/* Which way to walk from one bin to another: "here", "forward" (same aisle,
 * away from the front), "back", "left" (lower aisle), "right". */
const char *hc_scan_direction(int64_t from_aisle, int64_t from_bay, int64_t to_aisle,
                              int64_t to_bay);

struct hc_scan_request {
    enum hc_scan_kind kind;
    const char *code;  /* a bin, or an item */
    int64_t qty;       /* item: units (>= 1); short: 0 */
    const char *order; /* optional: count against this order's picks only */
};
struct hc_requeued {
    const char *order, *status; /* "allocated" or "backordered" */
};
struct hc_wave_progress {
    const char *wave, *warehouse;
    const char *bin; /* the bin scanned last, or NULL */
    struct hc_scan_pick *picks; /* route order; picks of orders taken out are gone */
    size_t npicks;
    ptrdiff_t next;        /* the next stop, -1 when every pick is done */
    const char *direction; /* from the bin scanned last (or the depot) to the next stop */
    int64_t units, units_done, picks_done;
    /* what the scan did */
    bool expected;             /* a bin scan of the next stop */
    const char **confirmed;    /* orders whose picks this scan completed */
    size_t nconfirmed;
    struct hc_requeued *requeued; /* orders a short pick sent back */
    size_t nrequeued;
    struct hc_qty_line *put_back; /* units of requeued orders to put back, by bin */
    size_t nput_back;
    int64_t lost; /* units a short pick booked to "lost" */
};
/* Reads the wave's picks with what has been counted (HC_ENOTFOUND naming
 * "id"). tenant_warehouse (may be NULL): another warehouse's wave is absent. */
int hc_wave_progress_get(hc_store *s, hc_arena *a, const char *wave,
                         const char *tenant_warehouse, struct hc_wave_progress *out,
                         hc_err *err);
/* Applies one scan (writer) and answers the progress after it. */
int hc_wave_scan(hc_store *s, hc_arena *a, const char *wave, const char *tenant_warehouse,
                 const struct hc_scan_request *rq, const char *actor,
                 struct hc_wave_progress *out, hc_err *err);

/* Pack station: each unit is scanned against the order's lines before the
 * order may be packed. An order whose picks were confirmed by scan, or that
 * has any pack scan, is packed (hc_order_pack) only once every unit is. */
struct hc_pack_line {
    const char *sku, *name, *name_zh, *barcode;
    int64_t qty, scanned;
};
struct hc_pack_progress {
    const char *order, *seller, *warehouse, *status;
    struct hc_pack_line *lines;
    size_t nlines;
    int64_t units, scanned;
    bool picked_by_scan, required, complete;
};
/* tenant_seller / tenant_warehouse (may be NULL): another's order is absent. */
int hc_pack_progress_get(hc_store *s, hc_arena *a, const char *order, const char *tenant_seller,
                         const char *tenant_warehouse, struct hc_pack_progress *out, hc_err *err);
/* Counts qty units of the item code names (barcode or SKU) for the order
 * (being picked): HC_EUNPROC naming "code" for an item not on it, "qty"
 * beyond its line. */
int hc_pack_scan(hc_store *s, hc_arena *a, const char *order, const char *tenant_seller,
                 const char *tenant_warehouse, const char *code, int64_t qty, const char *actor,
                 struct hc_pack_progress *out, hc_err *err);
/* For hc_order_pack: *picked says the picks were confirmed by scan already;
 * HC_ECONFLICT naming "pack_scans" while a scanned order is not complete. */
int hc_scan_pack_check(hc_store *s, hc_arena *a, const struct hc_order *o, bool *picked,
                       hc_err *err);

#endif

/* headhaul: the leg from the consolidation site in China to the overseas
 * warehouse — schedules, shipments with their legs and containers, the goods
 * they carry through the journal, and tracking events.
 *
 * A shipment carries inbounds (ASNs) of one destination warehouse, possibly of
 * several sellers, in ISO 6346 containers or as loose cargo (air). Its goods
 * are journal balances at three places of their own, each counted in one
 * stock bucket of the destination warehouse:
 *   site/<site>/<shipment>  booked, at the consolidation site  inbound_planned
 *   transit/<shipment>      departed                          in_transit
 *   dock/<wh>/<shipment>    arrived, not yet received         arrived
 * Receiving an inbound of an arrived shipment takes its goods from the dock:
 * the inbound row carries shipment and receive_from (the place receiving
 * takes from), so warehouse/inbound.c needs nothing of this module.
 *
 * Mutating functions run in the caller's write transaction; strings in
 * results live in the caller's arena. Times are ms since the epoch, UTC; 0
 * means "not known". No HTTP or JSON here.
 *
 * Sections: shipments and containers (shipment.c, container.c), transit
 * reads (transit.c), schedules (schedule.c), events (events.c). */
#ifndef HC_HEADHAUL_H
#define HC_HEADHAUL_H

#include "customs/customs.h"
#include "warehouse/warehouse.h"

#define HC_SHIPMENT_LEGS_MAX 8
#define HC_SHIPMENT_CONTAINERS_MAX 200
#define HC_SHIPMENT_INBOUNDS_MAX 500
#define HC_SEALS_MAX 4
#define HC_LOCODE_LEN 5
#define HC_CONTAINER_NO_LEN 11

/* ---- places and codes (container.c) ------------------------------------- */

/* ISO 6346: "CSQU3054383" — owner code (3 letters), category (U, J or Z),
 * serial (6 digits), check digit. Returns true when the check digit is right;
 * *check (may be NULL) gets the digit the first ten characters call for, or
 * -1 when they are not of the right form. */
bool hc_iso6346_valid(const char *number, int *check);
/* The check digit of the first ten characters, or -1. */
int hc_iso6346_check_digit(const char *ten);
/* Size-type code ("22G1", "45R1", "L5G1") known to data/iso6346/size-types.csv;
 * *desc (may be NULL) gets its description. Loaded once, thread-safe. */
bool hc_iso6346_size_type(const char *code, const char **desc);
/* "CNZZU": two letters of a country in data/countries.csv and three of
 * [A-Z2-9]. field names the field in err. */
int hc_locode_check(const char *locode, const char *field, hc_err *err);

/* ---- shipments ---------------------------------------------------------- */

enum hc_transport_mode {
    HC_MODE_RAIL = 1,
    HC_MODE_SEA,
    HC_MODE_AIR,
    HC_MODE_TRUCK,
    HC_MODE_MULTIMODAL,
};
/* "rail" ... "multimodal"; 0 / NULL when unknown. */
int hc_transport_mode_parse(const char *name);
const char *hc_transport_mode_name(int mode);

/* booked -> departed -> arrived -> received. A shipment is "open" until it
 * arrives: a container number is in at most one open shipment. What is
 * received of an arrived shipment shows per line (goods[].received).
 * received is not stored: an arrived shipment reads as received once every
 * inbound it carries is received or put away (the stored status stays
 * "arrived"; list filters and reads derive it). */
enum hc_shipment_status {
    HC_SHIPMENT_BOOKED = 1,
    HC_SHIPMENT_DEPARTED,
    HC_SHIPMENT_ARRIVED,
    HC_SHIPMENT_RECEIVED,
};
const char *hc_shipment_status_name(int status);
int hc_shipment_status_parse(const char *name);

struct hc_leg {
    int64_t seq; /* from 0, in travel order */
    const char *from, *to; /* UN/LOCODE */
    const char *mode;      /* the leg's mode: rail|sea|air|truck */
    const char *carrier, *service, *departure, *voyage; /* NULL when not given */
    int64_t etd_planned, eta_planned;     /* booked; eta >= etd */
    int64_t etd_estimated, eta_estimated; /* 0: as planned */
    int64_t atd, ata;                     /* actual; 0 until known */
};

struct hc_container_content {
    const char *seller, *inbound;
    int64_t cartons;
};

enum hc_container_status { HC_CONTAINER_LOADING = 1, HC_CONTAINER_CLOSED };

struct hc_container {
    const char *number;    /* ISO 6346, 11 characters; "" for loose cargo */
    const char *size_type; /* ISO 6346 size-type code */
    const char *seals[HC_SEALS_MAX];
    size_t nseals;
    const char *bill_no;       /* bill of lading / master air waybill, or NULL */
    const char *bill_cop_no;   /* CEB607 copNo of the link, or NULL */
    const char *loading_plan;  /* id of a stored loading plan, or NULL */
    int status;                /* enum hc_container_status */
    int64_t closed_at, created_at;
    struct hc_container_content *contents;
    size_t ncontents;
};

/* What a shipment carries of one seller's SKU: planned (the inbounds'
 * expected), departed, arrived, received (arrived - what is left at the
 * dock); difference = received - departed (short < 0, over > 0). */
struct hc_shipment_goods {
    const char *seller, *sku;
    int64_t planned, departed, arrived, received;
};

struct hc_milestone {
    int64_t id, at, recorded_at;
    const char *kind;      /* booked, customs_released, gated_out, departed, arrived, received, ... */
    const char *container; /* or NULL */
    const char *place;     /* UN/LOCODE or NULL */
    const char *actor;
};

struct hc_shipment {
    const char *id, *warehouse, *site, *reference, *owner /* booking seller or "" */;
    int mode;   /* enum hc_transport_mode */
    int status; /* enum hc_shipment_status */
    int64_t created_at, updated_at, departed_at, arrived_at;
    bool late; /* not arrived and the last leg's estimated (else planned) ETA has passed */
    struct hc_leg *legs;
    size_t nlegs;
    struct hc_container *containers; /* loose cargo: one with number "" */
    size_t ncontainers;
    const char **inbounds; /* every inbound it carries */
    size_t ninbounds;
    struct hc_shipment_goods *goods;
    size_t ngoods;
    struct hc_milestone *milestones; /* oldest first */
    size_t nmilestones;
};

/* Books a shipment: checks mode, legs (UN/LOCODEs, eta >= etd), the
 * warehouse, the containers (check digit, size-type, seals, not in another
 * open shipment: HC_ECONFLICT naming containers[i].number) and the inbounds
 * (of this warehouse, expected, not on another shipment), then moves their
 * goods origin -> site/<site>/<id> (inbound_planned). A container with a
 * bill_no links its inbounds' customs lists to it (CEB607 through x).
 * tenant_seller (may be NULL): every inbound must be that seller's. sh->id
 * etc. are filled in. */
int hc_shipment_create(hc_store *s, hc_arena *a, hc_customs_ctx *x, struct hc_shipment *sh,
                       const char *tenant_seller, const char *actor, hc_err *err);

/* The shipment with legs, containers, goods and milestones. tenant_seller
 * (may be NULL): HC_ENOTFOUND unless the seller has goods on it or booked it,
 * and only that seller's contents and goods are filled in. tenant_warehouse
 * likewise for an operator. */
int hc_shipment_get(hc_store *s, hc_arena *a, const char *id, const char *tenant_seller,
                    const char *tenant_warehouse, struct hc_shipment *out, hc_err *err);

struct hc_shipment_filter {
    const char *seller, *warehouse;
    int status, mode; /* 0: any */
    struct hc_list_page page;
};
/* Newest first, with legs (no containers, goods or milestones). */
int hc_shipment_list(hc_store *s, hc_arena *a, const struct hc_shipment_filter *f,
                     struct hc_shipment **items, size_t *n, const char **next, hc_err *err);

/* Adds a container with its contents to a booked shipment; inbounds not on
 * the shipment yet join it (their goods move to the site). With bill_no, the
 * customs lists of its inbounds are linked to it (CEB607 through x, one link
 * per seller). HC_ECONFLICT naming number when the container is in another
 * open shipment or already on this one. */
int hc_shipment_add_container(hc_store *s, hc_arena *a, hc_customs_ctx *x, const char *shipment,
                              struct hc_container *c, const char *tenant_seller,
                              const char *actor, hc_err *err);
/* Closes (gates out) a container: the inspect-before-load gate over the
 * customs lists of its inbounds must pass (HC_ECONFLICT naming "lists" with
 * every blocking list otherwise). Records milestone gated_out. */
int hc_shipment_close_container(hc_store *s, hc_arena *a, const char *shipment, const char *number,
                                const char *actor, hc_err *err);

/* Departs: every container closed, every inbound's customs lists released
 * (HC_ECONFLICT naming "customs" and the blocking lists otherwise); goods
 * move site -> transit/<id>; first leg's atd = at (0: now). */
int hc_shipment_depart(hc_store *s, hc_arena *a, const char *id, int64_t at, const char *actor,
                       hc_err *err);
/* Arrives at the warehouse: goods move transit -> dock/<wh>/<id>; last leg's
 * ata = at (0: now). HC_ECONFLICT unless departed. */
int hc_shipment_arrive(hc_store *s, hc_arena *a, const char *id, int64_t at, const char *actor,
                       hc_err *err);

/* ---- for tracking events (events.c) and ETA -------------------------------- */

int hc_shipment_leg_get(hc_store *s, hc_arena *a, const char *shipment, int64_t seq,
                        struct hc_leg *out, hc_err *err);
/* The open shipment carrying container number (else the newest one that
 * did); HC_ENOTFOUND naming field when none. */
int hc_shipment_container_find(hc_store *s, hc_arena *a, const char *number, const char *field,
                               const char **shipment, struct hc_container *out, hc_err *err);
/* Sets a leg's estimated / actual times; a field < 0 is left as it is, 0
 * clears it. */
struct hc_leg_times {
    int64_t etd_estimated, eta_estimated, atd, ata;
};
int hc_shipment_leg_set_times(hc_store *s, const char *shipment, int64_t seq,
                              const struct hc_leg_times *t, hc_err *err);
/* Records a milestone (the shipment's own history, read by GET /v1/events in
 * the DCSA shape). container and place may be NULL. */
int hc_shipment_milestone(hc_store *s, const char *shipment, const char *kind,
                          const char *container, const char *place, int64_t at,
                          const char *actor, hc_err *err);

/* ---- transit reads (transit.c) ------------------------------------------- */

/* Arrivals per day at a warehouse by estimated (else planned) arrival, from
 * day_from (ms, UTC midnight) for days days: shipments not yet arrived. */
struct hc_arrival_day {
    int64_t day; /* UTC midnight, ms */
    int64_t shipments, containers, units;
    const char **ids; /* the shipments */
};
int hc_arrivals(hc_store *s, hc_arena *a, const char *warehouse, const char *tenant_seller,
                int64_t day_from, int days, struct hc_arrival_day **out, hc_err *err);

/* ---- schedules (schedule.c) ----------------------------------------------
 * One departure of a service between two UN/LOCODEs, in the shape of a DCSA
 * Commercial Schedules point-to-point routing (placeOfReceipt,
 * placeOfDelivery, legs with modeOfTransport, cut-off, transitTime).
 * Reference data of no tenant; the natural key (origin, destination,
 * service, departs_at) makes an import replace what it imported before. */
enum hc_sched_mode { /* DCSA modeOfTransport, plus AIR */
    HC_SCHED_RAIL = 1,
    HC_SCHED_VESSEL,
    HC_SCHED_AIR,
    HC_SCHED_TRUCK,
    HC_SCHED_MULTIMODAL,
};
/* "RAIL" ...; parse takes any case and "sea" for VESSEL; 0 when unknown. */
const char *hc_sched_mode_name(int mode);
int hc_sched_mode_parse(const char *s);
/* A DCSA date-time ("2025-01-14T09:21:00+01:00", "...Z", fractions allowed)
 * or a date ("2026-12-01", its UTC midnight) as ms UTC; HC_EINVAL otherwise
 * (a time without an offset too: it would be ambiguous). */
int hc_hh_parse_time(const char *s, int64_t *ms);

#define HC_SCHED_LEGS_MAX 8
#define HC_SCHED_SERVICE_MAX 100
struct hc_schedule_leg {
    int mode; /* enum hc_sched_mode */
    char origin[HC_LOCODE_LEN + 1], destination[HC_LOCODE_LEN + 1];
    int64_t departs_at, arrives_at;
};
struct hc_schedule {
    char id[32];
    char origin[HC_LOCODE_LEN + 1], destination[HC_LOCODE_LEN + 1];
    int mode; /* the legs' mode, MULTIMODAL when they differ */
    const char *service, *service_code, *carrier; /* code and carrier may be NULL */
    int64_t departs_at, arrives_at, cutoff_at;    /* cutoff_at 0: none given */
    int transit_days;
    struct hc_schedule_leg *legs;
    size_t nlegs;
};
/* Pure checks; err names the DCSA field ("legs[1].arrival.dateTime"). */
int hc_schedule_validate(const struct hc_schedule *s, hc_err *err);
int hc_schedule_mode_of(const struct hc_schedule_leg *legs, size_t n);
/* Validates and stores (replacing the same departure); s->id is set. */
int hc_schedule_put(hc_store *st, struct hc_schedule *s, bool *replaced, hc_err *err);
int hc_schedule_get(hc_store *st, hc_arena *a, const char *id, struct hc_schedule *out,
                    hc_err *err);
struct hc_schedule_query {
    const char *origin, *destination; /* NULL: any */
    int mode;                         /* 0: any */
    int64_t after;                    /* departures at or after */
    const char *cursor;
    int limit;
};
/* Departures in time order, with their legs. */
int hc_schedule_search(hc_store *st, hc_arena *a, const struct hc_schedule_query *q,
                       struct hc_schedule **items, size_t *n, const char **next, hc_err *err);

/* A published service of data/head-haul/routes.tsv: the days it leaves
 * (bit per weekday, Monday = bit 0), hour (UTC), transit time, cut-off. */
struct hc_route {
    int mode;
    char origin[HC_LOCODE_LEN + 1], destination[HC_LOCODE_LEN + 1];
    const char *service;
    int days, dep_hour, cutoff_hours;
    int64_t transit_ms;
};
int hc_routes_load(const char *path, hc_arena *a, struct hc_route **out, size_t *n, hc_err *err);
/* The departures of r from from_ms over the next days days, one leg each
 * (legs[k] is out[k]'s leg); at most max; returns the count. */
size_t hc_route_departures(const struct hc_route *r, int64_t from_ms, int days,
                           struct hc_schedule *out, struct hc_schedule_leg *legs, size_t max);
/* Every departure of the routes file from from_ms over days days, stored
 * (haicang demo); *count gets how many. */
int hc_schedules_seed(hc_store *st, const char *routes_path, int64_t from_ms, int days,
                      size_t *count, hc_err *err);

/* ---- tracking events (events.c) ------------------------------------------
 * DCSA Track & Trace v3 events of a shipment: EQUIPMENT (LOAD, DISC, GTIN,
 * GTOT, ... of a container of the shipment), TRANSPORT (ARRI, DEPA at a
 * transportCall UN/LOCODE), SHIPMENT (document events). Unique on eventID:
 * the same event again is a duplicate and changes nothing. History keeps
 * arrival order (seq); state follows eventDateTime (event_at): an event that
 * arrives late or out of order takes its place by its time. ETA: a leg's
 * estimated arrival is the eventDateTime of the newest (eventCreatedDateTime,
 * then arrival) EST or PLN ARRI at its arrival place, its actual arrival that
 * of the newest ACT ARRI there; DEPA likewise at its departure place. */
enum hc_event_type { HC_EVT_EQUIPMENT = 1, HC_EVT_TRANSPORT, HC_EVT_SHIPMENT };
#define HC_EVENTS_BATCH_MAX 5000
#define HC_EVENT_ID_MAX 100
struct hc_event {
    const char *path; /* where the event was in the request ("events[3]"), for errors */
    const char *event_id, *shipment;
    int64_t seq;            /* arrival order; set when stored */
    int type;               /* enum hc_event_type */
    const char *classifier; /* ACT, EST, PLN, REQ */
    const char *type_code;  /* equipment/transport/shipment event type code */
    int64_t event_at, created_at, received_at;
    const char *equipment; /* equipmentReference (EQUIPMENT), or NULL */
    const char *location;  /* UN/LOCODE, or NULL */
    const char *mode;      /* transportCall.modeOfTransport, or NULL */
    const char *publisher, *document_type, *document_ref, *reason; /* or NULL */
    const char *milestone; /* haicang's own milestone kind, or NULL */
    bool duplicate;        /* set by hc_events_apply: the eventID was known */
};
const char *hc_event_type_name(int type); /* "EQUIPMENT" ... */
int hc_event_type_parse(const char *s);
/* Pure checks of one event (codes, lengths, what its type requires); errors
 * name "<path>.metadata.eventID", "<path>.payload.equipmentEventTypeCode"... */
int hc_event_validate(const struct hc_event *e, hc_err *err);

struct hc_events_result {
    size_t applied, duplicates;
    struct hc_leg_times *legs; /* the legs' times after the batch */
    size_t nlegs;
};
/* Applies a batch to one shipment, all or nothing (the caller's
 * transaction rolls back on error): the shipment must be visible to the
 * tenant (HC_ENOTFOUND naming "id"), each EQUIPMENT event's
 * equipmentReference one of its containers (HC_EINVAL naming
 * "<path>.payload.equipmentReference"), an eventID known for another
 * shipment HC_ECONFLICT naming "<path>.metadata.eventID". Then moves the
 * legs' estimated and actual times. */
int hc_events_apply(hc_store *s, hc_arena *a, const char *shipment, struct hc_event *ev, size_t n,
                    const char *tenant_seller, const char *tenant_warehouse,
                    struct hc_events_result *res, hc_err *err);
/* Pure: leg times from a shipment's transport events (any order). t[i] gets
 * -1 for a time no event sets. */
void hc_eta_from_events(const struct hc_event *ev, size_t n, const struct hc_leg *legs,
                        size_t nlegs, struct hc_leg_times *t);
/* Pure: the state of each container, the EQUIPMENT event of latest
 * event_at (ties: latest arrival); out gets pointers into ev, *nout count. */
void hc_events_latest(const struct hc_event *ev, size_t n, const struct hc_event **out,
                      size_t *nout);

/* The feed: external events and haicang's milestones of the shipments the
 * tenant may see, in arrival order (cursor: the last seq), received after
 * `after` (ms; 0: all). Milestones come with milestone set. */
struct hc_events_filter {
    const char *shipment, *seller, *warehouse; /* NULL: any */
    int64_t after;
    const char *cursor;
    int limit;
};
int hc_events_list(hc_store *s, hc_arena *a, const struct hc_events_filter *f,
                   struct hc_event **items, size_t *n, const char **next, hc_err *err);
/* A milestone in the DCSA shape (type, code, classifier ACT, document). */
void hc_event_from_milestone(const char *shipment, const struct hc_milestone *m,
                             struct hc_event *out, hc_arena *a);

#endif

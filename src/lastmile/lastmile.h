/* lastmile: the warehouse's outbound door. Carrier services and their rates
 * as data (zones by country and postcode range, weight breaks, limits,
 * surcharges, transit days, cut-off and pickup days), versioned by effective
 * dates; rate shopping over them; parcels recorded at the pack step with a
 * box suggestion; the parcel's own tracking number (UPU S10 or GS1 SSCC-18)
 * from a number range of the service; 4x6 inch labels as PDF and ZPL II.
 *
 * Above warehouse, freight (the box suggestion packs with its loader) and
 * render; below api and cli. Nothing here knows HTTP or JSON. Functions
 * that take an hc_store run in the caller's transaction; strings in results
 * live in the caller's arena. Money is integer minor units of the service's
 * currency; weights g, dimensions mm. */
#ifndef HC_LASTMILE_H
#define HC_LASTMILE_H

#include "base/base.h"
#include "store/store.h"

#include <cairo.h>

#define HC_LM_CODE_MAX 32      /* service code, zone name, box code */
#define HC_LM_ZONES_MAX 512    /* zone ranges of one service */
#define HC_LM_PRICES_MAX 1024  /* weight breaks of one service, all zones */
#define HC_LM_POSTCODE_MAX 15  /* normalised postcode, characters */
#define HC_LM_PARCELS_MAX 50   /* parcels of one shipment */
#define HC_LM_ITEMS_MAX 200    /* item lines of one parcel */

/* How a service numbers its parcels. */
enum hc_lm_numbering {
    HC_LM_NUM_S10 = 1,  /* UPU S10: 2 letters, 8 digits, mod-11 check digit, country */
    HC_LM_NUM_SSCC = 2, /* GS1 SSCC-18: extension digit, company prefix, serial, mod-10 */
};
/* The 2D code a service's label carries besides the tracking barcode. */
enum hc_lm_2d { HC_LM_2D_NONE = 0, HC_LM_2D_QR = 1, HC_LM_2D_DATAMATRIX = 2 };

/* One postcode range of a zone. Postcodes are compared as normalised text
 * (upper case, spaces and dashes dropped), byte by byte: "01000".."19999".
 * from = to = "" covers the whole country. Ranges of one service never
 * overlap (a whole-country range overlaps every other range of the country). */
struct hc_lm_zone_range {
    const char *zone;
    char country[3]; /* ISO 3166-1 alpha-2 */
    const char *from, *to;
};
/* The price of a parcel of billable weight up to max_weight_g in zone. The
 * heaviest break of a zone is also the service's limit there. */
struct hc_lm_price {
    const char *zone;
    int64_t max_weight_g;
    int64_t minor;
};

/* A service version. The code (e.g. "DHL-PAKET") names the service in a
 * warehouse; versions of one code cover effective_from..effective_to (local
 * dates of the warehouse, to NULL = open) and never overlap; a version may
 * replace a live one (`replaces`), which is then superseded for all its days.
 * Limits 0 mean none. Girth = 2 x (the two shorter sides); length + girth =
 * the longest side + girth (L+2W+2H). */
struct hc_lm_service {
    const char *id, *warehouse, *code, *carrier, *name;
    int64_t version;
    const char *currency;
    const char *effective_from, *effective_to, *replaces, *superseded_by;
    int64_t dim_divisor; /* mm3 per g (= cm3 per kg), e.g. 5000; 0: no dimensional weight */
    int64_t max_weight_g, max_length_mm, max_girth_mm, max_length_girth_mm;
    int64_t fuel_bp;           /* fuel surcharge on the base price, 1/100 % (1250 = 12.5 %) */
    int64_t residential_minor; /* per parcel to a residential address */
    int64_t transit_days;      /* delivery days from pickup to delivery */
    int cutoff_min;            /* local minutes after midnight: later ships the next pickup day */
    int pickup_days;           /* bit d-1 for ISO weekday d (1 Monday .. 7 Sunday) */
    int delivery_days;         /* weekdays it delivers on, the same bits; 0: Monday-Friday */
    const char *holidays;      /* the carrier calendar it follows (a region of the holiday
                                * rows, e.g. US "CARRIER") instead of the nationwide days;
                                * NULL: the nationwide days */
    int numbering;             /* enum hc_lm_numbering */
    const char *num_prefix;    /* S10: service indicator ("RR"); SSCC: GS1 company prefix */
    const char *num_country;   /* S10: country of the issuing post ("DE") */
    int num_extension;         /* SSCC: extension digit 0-9 */
    int64_t num_from, num_to;  /* serial range, inclusive */
    int two_d;                 /* enum hc_lm_2d */
    struct hc_lm_zone_range *zones;
    size_t nzones;
    struct hc_lm_price *prices;
    size_t nprices;
    int64_t created_at;
    const char *created_by;
};

/* ---- check digits and tracking numbers (number.c; pure) ------------------ */
/* UPU S10 check digit of 8 digits (weights 8 6 4 2 3 5 9 7, 11 - sum mod 11,
 * 10 -> 0, 11 -> 5); -1 when d is not 8 digits. */
int hc_lm_s10_check(const char *d);
/* "RR" + serial (8 digits) + check + "DE"; false when a part is malformed. */
bool hc_lm_s10_format(const char *indicator, int64_t serial, const char *country, char out[14]);
bool hc_lm_s10_valid(const char *s);
/* GS1 mod-10 check digit of n digits (weights 3, 1, 3, ... from the right);
 * -1 when one is not a digit. */
int hc_gs1_check(const char *d, size_t n);
/* SSCC-18: extension + company prefix (7-10 digits) + serial (to 17 digits)
 * + check. false when the serial does not fit or a part is malformed. */
bool hc_lm_sscc_format(int extension, const char *prefix, int64_t serial, char out[19]);
bool hc_lm_sscc_valid(const char *s);

/* ---- rate shopping (rate.c; pure) ---------------------------------------- */
struct hc_lm_parcel_in {
    int64_t weight_g;
    int64_t dims_mm[3];
};
/* What is to be shipped, and when the question is asked: local_day
 * ("YYYY-MM-DD") and local_min (minutes after local midnight) at the warehouse. */
struct hc_lm_request {
    const char *country, *postcode;
    bool residential;
    const struct hc_lm_parcel_in *parcels;
    size_t nparcels;
    const char *local_day;
    int local_min;
};
struct hc_lm_quote {
    size_t service; /* index into the services the rater was built from */
    const char *zone;
    int64_t billable_g[HC_LM_PARCELS_MAX];
    int64_t billable_total_g;
    int64_t base_minor, fuel_minor, residential_minor, total_minor;
    char ship_day[11], deliver_day[11];
    /* the holiday calendars the days skip ("DE+BY+warehouse", "FR"), NULL
     * when the rater has none (hc_lm_rater_calendars) */
    const char *pickup_calendar, *delivery_calendar;
};
/* Services compiled for lookups: per service its zone ranges as one array
 * sorted by (country, from) searched by bisection, and per zone its weight
 * breaks ascending. Keeps pointers into services, which must outlive it. */
typedef struct hc_lm_rater hc_lm_rater;
/* HC_EINVAL naming "zones[i]" (overlap) or "prices[i]" when a service is not
 * well formed (hc_lm_service_validate passes it). */
int hc_lm_rater_new(const struct hc_lm_service *sv, size_t n, hc_lm_rater **out, hc_err *err);
void hc_lm_rater_free(hc_lm_rater *r);
/* Dimensional weight (ceil l*w*h / divisor) and the billable weight (the
 * larger of it and the actual weight). */
int64_t hc_lm_dim_weight(const int64_t dims[3], int64_t divisor);
int64_t hc_lm_billable(const struct hc_lm_parcel_in *p, int64_t divisor);
/* Zone of a service for a destination, or NULL. */
const char *hc_lm_zone_of(const hc_lm_rater *r, size_t service, const char *country,
                          const char *postcode);
/* Every service that can take all parcels, cheapest first (ties: earlier
 * delivery, then code). *n gets their number (at most the services'). No
 * service covering the destination: HC_EINVAL naming "ship_to.postcode" (or
 * "ship_to.country" when no service serves the country); a parcel no
 * covering service takes: HC_ECONFLICT naming "parcels[i].weight_g" (over
 * every weight limit) or "parcels[i].dims_mm"; no one service takes them
 * all: HC_ECONFLICT naming "parcels". out holds one quote per service. */
int hc_lm_rate(const hc_lm_rater *r, const struct hc_lm_request *q, struct hc_lm_quote *out,
               size_t *n, hc_err *err);
/* Ship and delivery day of a service for a question asked at local_day /
 * local_min: the first pickup day at or after it (today only before the
 * cut-off), then transit_days of its delivery days; no holidays. */
void hc_lm_promise(const struct hc_lm_service *s, const char *local_day, int local_min,
                   char ship_day[11], char deliver_day[11]);
/* Normalised postcode (upper case, no spaces or dashes); false when too long
 * or holding other than letters and digits. */
bool hc_lm_postcode_norm(const char *in, char out[HC_LM_POSTCODE_MAX + 1]);

/* ---- public holidays and business days (holiday.c) -----------------------
 * A holiday row closes a day for carriers: no pickup, no delivery. Rows
 * belong to a calendar (country, region): region "" holds the nationwide
 * days; a subdivision (DE "BY", GB "SCT") adds its own days to them for a
 * warehouse there (hc_lm_holiday_region_set); a carrier calendar (US
 * "CARRIER") is named by a service (hc_lm_service.holidays) and replaces the
 * nationwide days for that service. A warehouse also has closed days of
 * its own (no pickup). Days are local dates; day numbers count days from
 * 1970-01-01. */
#define HC_LM_REGION_MAX 8
#define HC_LM_HOLIDAY_NAME_MAX 128
#define HC_LM_HOLIDAY_ROWS_MAX 5000 /* rows of one import */
struct hc_lm_holiday {
    const char *country, *region, *day, *name;
};
/* "YYYY-MM-DD" of a real date (years 1900-2999) -> day number; false otherwise. */
bool hc_lm_day_parse(const char *s, int64_t *day);
void hc_lm_day_format(int64_t day, char out[11]);
/* ISO weekday 1 (Monday) .. 7 (Sunday) of a day number. */
int hc_lm_weekday(int64_t day);
/* HC_EINVAL naming prefix + "country" (not an ISO 3166-1 code), "region"
 * (not 0-8 of A-Z 0-9), "date" (not a real date) or "name" (empty or
 * longer than HC_LM_HOLIDAY_NAME_MAX). */
int hc_lm_holiday_check(const struct hc_lm_holiday *h, const char *prefix, hc_err *err);
/* Rows of a CSV file "country,region,date,name" (a header line of these
 * names may come first; quoted fields may hold commas), each checked:
 * HC_EINVAL naming "line N" (not 4 fields) or "line N: field". In a. */
int hc_lm_holidays_csv(hc_arena *a, const char *text, size_t len, struct hc_lm_holiday **out,
                       size_t *n, hc_err *err);
/* Closed days ascending (no repeats), searched by bisection. */
struct hc_lm_closed {
    const int64_t *days;
    size_t n;
    const char *name; /* the calendars it was made of, e.g. "DE+BY+warehouse" */
};
bool hc_lm_closed_has(const struct hc_lm_closed *c, int64_t day);
/* The first day at or after day that is a pickup weekday (mask as
 * pickup_days; 0: Mon-Fri) and not closed; day itself only when local_min
 * is before cutoff_min. Searches a year at most (then answers the day after it). */
int64_t hc_lm_next_pickup(int mask, int cutoff_min, const struct hc_lm_closed *closed, int64_t day,
                          int local_min);
/* ship + transit delivery days: days on a delivery weekday (mask; 0:
 * Mon-Fri) that are not closed; transit 0 is ship itself. */
int64_t hc_lm_add_delivery_days(int mask, const struct hc_lm_closed *closed, int64_t ship,
                                int64_t transit);
/* Holiday rows grouped by calendar for lookups (pure); rows whose day is not
 * a date are left out (imports check them). Lives in a. */
typedef struct hc_lm_holidays hc_lm_holidays;
/* The union of sets (each ascending) in a, named by the non-empty ones
 * joined with "+" ("none" when all are empty). */
struct hc_lm_closed hc_lm_closed_union(hc_arena *a, const struct hc_lm_closed *sets, size_t n);
hc_lm_holidays *hc_lm_holidays_book(hc_arena *a, const struct hc_lm_holiday *rows, size_t n);
/* The days of calendar (country, region) alone; n = 0 when the book has none. */
struct hc_lm_closed hc_lm_holidays_of(const hc_lm_holidays *b, const char *country,
                                      const char *region);
/* Where a warehouse's parcels are picked up: its country, its region ("" or
 * NULL: none) and its own closed days (day numbers, any order). */
struct hc_lm_origin {
    const char *country, *region;
    const int64_t *closed;
    size_t nclosed;
};
/* From now on r's promises skip holidays. Pickups: per service the days
 * of its carrier calendar in the origin country when the book has it, else
 * the nationwide ones, plus the region's and the warehouse's closed days.
 * Deliveries: the service's carrier calendar in the destination country
 * when the book has it, else that country's nationwide days. a and book
 * outlive r. */
void hc_lm_rater_calendars(hc_lm_rater *r, hc_arena *a, const hc_lm_holidays *book,
                           const struct hc_lm_origin *o);
/* Service i's ship and delivery day (and calendars) into q, as hc_lm_rate
 * promises them for a parcel to country asked at local_day / local_min. */
void hc_lm_rater_promise(const hc_lm_rater *r, size_t service, const char *country,
                         const char *local_day, int local_min, struct hc_lm_quote *q);

/* Store side (the caller's transaction). Import: all rows checked first
 * (HC_EINVAL naming "rows[i].field"), then each stored, replacing the
 * row of the same (country, region, date). */
int hc_lm_holidays_import(hc_store *s, const struct hc_lm_holiday *rows, size_t n,
                          const char *actor, int64_t *added, int64_t *replaced, hc_err *err);
struct hc_lm_holiday_filter {
    const char *country, *region; /* NULL: any */
    const char *from, *to;        /* dates inclusive, NULL: open */
    const char *cursor;           /* "country/region/date" of the last row seen */
    int limit;                    /* 1..1000, else 100 */
};
/* Rows by country, region, date. HC_EINVAL naming "cursor" when malformed. */
int hc_lm_holidays_list(hc_store *s, hc_arena *a, const struct hc_lm_holiday_filter *f,
                        struct hc_lm_holiday **out, size_t *n, const char **next, hc_err *err);
/* HC_ENOTFOUND naming "date" when there is no such row. */
int hc_lm_holiday_delete(hc_store *s, const char *country, const char *region, const char *day,
                         hc_err *err);
/* The warehouse's region for holidays ("" none); unknown warehouse:
 * HC_ENOTFOUND naming warehouse; a malformed region: HC_EINVAL naming it. */
int hc_lm_holiday_region_set(hc_store *s, const char *warehouse, const char *region,
                             hc_err *err);
int hc_lm_holiday_region_get(hc_store *s, hc_arena *a, const char *warehouse, const char **out,
                             hc_err *err);
/* A warehouse's own closed days (no pickup). put adds or renames one. */
struct hc_lm_closed_day {
    const char *warehouse, *day, *reason;
};
int hc_lm_closed_day_put(hc_store *s, const struct hc_lm_closed_day *d, const char *actor,
                         hc_err *err);
int hc_lm_closed_day_delete(hc_store *s, const char *warehouse, const char *day, hc_err *err);
/* Closed days from..to (inclusive; NULL open), ascending, at most 1000. */
int hc_lm_closed_day_list(hc_store *s, hc_arena *a, const char *warehouse, const char *from,
                          const char *to, struct hc_lm_closed_day **out, size_t *n, hc_err *err);
/* A rater over sv (as hc_lm_rater_new) with the calendars the warehouse
 * and destination country (NULL: none) need for promises from day on. */
int hc_lm_rater_for(hc_store *s, hc_arena *a, const char *warehouse, const char *country,
                    const char *day, const struct hc_lm_service *sv, size_t n,
                    hc_lm_rater **out, hc_err *err);

/* ---- services: checks, storage, CSV (service.c) --------------------------- */
int hc_lm_service_validate(const struct hc_lm_service *s, hc_err *err);
/* Stores a new version (id, version, created_* set here). Unknown
 * warehouse: HC_EINVAL naming it; days overlapping a live version of the
 * code: HC_EINVAL naming effective_from; replaces not a live version of the
 * code: HC_EINVAL naming replaces; a currency other than the warehouse's
 * other live services: HC_EINVAL naming currency. */
int hc_lm_service_create(hc_store *s, hc_arena *a, struct hc_lm_service *sv, const char *actor,
                         hc_err *err);
int hc_lm_service_get(hc_store *s, hc_arena *a, const char *id, struct hc_lm_service *out,
                      hc_err *err);
struct hc_lm_service_filter {
    const char *warehouse, *carrier, *code;
    bool include_superseded;
    const char *cursor; /* an id: services created before it */
    int limit;
};
int hc_lm_service_list(hc_store *s, hc_arena *a, const struct hc_lm_service_filter *f,
                       struct hc_lm_service **out, size_t *n, const char **next, hc_err *err);
/* The live versions of a warehouse's services covering day, by code. */
int hc_lm_services_on(hc_store *s, hc_arena *a, const char *warehouse, const char *day,
                      struct hc_lm_service **out, size_t *n, hc_err *err);
/* CSV import: rows service,warehouse,item,key,from,to,value; one service per
 * (service, warehouse). item: carrier, name, currency, effective_from,
 * effective_to, dim_divisor, max_weight_g, max_length_mm, max_girth_mm,
 * max_length_girth_mm, fuel_pct, residential, transit_days, cutoff (HH:MM),
 * pickup_days (ISO weekday digits, "12345"), numbering (s10|sscc),
 * num_prefix, num_country, num_extension, num_from, num_to, two_d
 * (none|qr|datamatrix) in value; zone (key: zone, value: country, from/to:
 * postcodes); price (key: zone, to: max weight g, value: decimal price).
 * HC_EINVAL naming "line N: column". */
int hc_lm_csv_parse(hc_arena *a, const char *text, size_t len, struct hc_lm_service **out,
                    size_t *n, hc_err *err);
/* The same rows from the first sheet of an XLSX file (src/render's
 * sheet reader); "line N" is the sheet's row N. */
struct hc_sheet;
int hc_lm_sheet_parse(hc_arena *a, const struct hc_sheet *sh, struct hc_lm_service **out,
                      size_t *n, hc_err *err);
/* "HH:MM" -> minutes; -1 when malformed. Names of the enums. */
int hc_lm_cutoff_parse(const char *s);
const char *hc_lm_numbering_name(int n);
int hc_lm_numbering_parse(const char *s);
const char *hc_lm_2d_name(int t);
int hc_lm_2d_parse(const char *s);
/* "12345" <-> bit mask; -1 when malformed. */
int hc_lm_days_parse(const char *s);
void hc_lm_days_format(int mask, char out[8]);

/* ---- boxes, rules, parcels (parcel.c) ------------------------------------- */
struct hc_lm_box {
    const char *warehouse, *code;
    int64_t dims_mm[3]; /* inside */
    int64_t max_weight_g, tare_g;
};
/* Adds or replaces a box of the warehouse's list. */
int hc_lm_box_put(hc_store *s, const struct hc_lm_box *b, hc_err *err);
int hc_lm_box_list(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_box **out,
                   size_t *n, hc_err *err);
struct hc_lm_item {
    const char *sku;
    int64_t qty;
    int64_t dims_mm[3], weight_g; /* of one unit */
};
/* The smallest box (by volume, then code) the items fit in together
 * (within its max weight), packed by the freight module's loader; *box gets
 * its index or -1 when none fits. *weight_g gets the items' weight plus tare. */
int hc_lm_box_suggest(const struct hc_lm_box *boxes, size_t nboxes, const struct hc_lm_item *items,
                      size_t nitems, ptrdiff_t *box, int64_t *weight_g, hc_err *err);

/* A warehouse rule for the automatic choice: kind "channel" (the channel
 * demands the service) or "seller" (the seller prefers it), match the
 * channel or seller code. Channel rules win over seller rules, which win
 * over the cheapest service that delivers by the promise. */
struct hc_lm_rule {
    const char *warehouse, *kind, *match, *service;
};
int hc_lm_rule_put(hc_store *s, const struct hc_lm_rule *r, hc_err *err);
int hc_lm_rule_list(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_rule **out,
                    size_t *n, hc_err *err);
/* The quote the warehouse's rules choose among quotes (n > 0): the rule's
 * service when it is among them, else the cheapest delivering by deliver_by
 * (NULL: the cheapest). *why gets "channel", "seller", "promise" or
 * "cheapest"; -1 when nothing delivers by the promise. */
ptrdiff_t hc_lm_choose(const struct hc_lm_service *sv, const struct hc_lm_quote *q, size_t n,
                       const char *channel_service, const char *seller_service,
                       const char *deliver_by, const char **why);

struct hc_lm_parcel {
    const char *id, *warehouse, *order_id, *seller;
    int64_t seq; /* 1.. within the order */
    const char *service_id, *service_code, *carrier, *service_name;
    const char *tracking_no; /* S10 or SSCC-18 */
    int numbering, two_d;
    const char *box;
    int64_t weight_g, dims_mm[3], billable_g;
    int64_t price_minor;
    const char *currency, *ship_day, *deliver_day, *chosen_by;
    struct hc_lm_item *items;
    size_t nitems;
    int64_t created_at;
    const char *created_by;
};
/* Records the parcels of an order being packed (picking or packed), all or
 * none, replacing parcels recorded before. Items must be lines of the order
 * (HC_EINVAL naming parcels[i].items[j].sku / .qty, no more than ordered);
 * a parcel without dims_mm / box takes the suggested box (HC_EINVAL naming
 * parcels[i].box when none fits). The service: `service` when given (the
 * operator's choice; HC_ECONFLICT naming service when it cannot take them),
 * else the warehouse's rule. Each parcel gets the next number of its service's
 * range (HC_ECONFLICT naming service when the range is used up). */
struct hc_lm_parcel_req {
    const char *box; /* NULL: dims_mm and weight_g given, or the suggestion */
    int64_t weight_g, dims_mm[3];
    struct hc_lm_item *items;
    size_t nitems;
};
/* country and postcode: the order's ship-to (the caller reads them from it). */
int hc_lm_parcels_record(hc_store *s, hc_arena *a, const char *order_id,
                         const struct hc_lm_parcel_req *req, size_t n, const char *country,
                         const char *postcode, const char *service, const char *deliver_by,
                         bool residential, const char *actor, struct hc_lm_parcel **out,
                         size_t *nout, hc_err *err);
int hc_lm_parcels_of(hc_store *s, hc_arena *a, const char *order_id, struct hc_lm_parcel **out,
                     size_t *n, hc_err *err);
int hc_lm_parcel_get(hc_store *s, hc_arena *a, const char *id, struct hc_lm_parcel *out,
                     hc_err *err);
/* How many parcels an order has (the "n of m" of its labels). */
int hc_lm_parcel_count(hc_store *s, const char *order_id, int64_t *n, hc_err *err);
/* Local day and minute of now at the warehouse (its time zone). */
int hc_lm_local_now(hc_store *s, hc_arena *a, const char *warehouse, char day[11], int *min,
                    hc_err *err);

/* ---- labels (label.c) ----------------------------------------------------------
 * A 4 x 6 inch label (101.6 x 152.4 mm): carrier and service, sender, the
 * recipient's address, reference, weight, parcel n of m, ship date, the
 * tracking barcode (Code 128 for S10; GS1-128 with AI (00) for SSCC) with
 * its text, and the service's 2D code (its content: tracking number,
 * destination postcode and country, separated by "|"). */
struct hc_lm_label {
    const char *carrier, *service_name, *tracking_no;
    int numbering, two_d;
    const char *from[4]; /* sender lines, NULL-ended early */
    const char *to[6];   /* recipient lines */
    const char *to_postcode, *to_country;
    const char *reference; /* order id */
    int64_t weight_g;
    int64_t parcel_no, parcel_count;
    const char *ship_day;
};
/* Boxes of the layout in points (1/72 inch) from the top left; both
 * renderers place their parts from it. */
struct hc_lm_box_pt {
    double x, y, w, h;
};
struct hc_lm_layout {
    double width, height;
    struct hc_lm_box_pt header, from, to, info, barcode, barcode_text, twod;
};
void hc_lm_label_layout(const struct hc_lm_label *l, struct hc_lm_layout *out);
/* The barcode data as encoded: S10 as is; SSCC as "[00]" + the 18 digits. */
void hc_lm_barcode_data(const struct hc_lm_label *l, char *out, size_t size);
void hc_lm_2d_data(const struct hc_lm_label *l, char *out, size_t size);
int hc_lm_label_pdf(const struct hc_lm_label *l, hc_buf *out, hc_err *err);
/* n labels (n > 0), a page each, in one PDF: bulk printing. */
int hc_lm_labels_pdf(const struct hc_lm_label *l, size_t n, hc_buf *out, hc_err *err);
/* ZPL II at 203 dpi (812 x 1218 dots), UTF-8 (^CI28). */
int hc_lm_label_zpl(const struct hc_lm_label *l, hc_buf *out, hc_err *err);
/* n labels, one ^XA..^XZ each, one after the other: bulk printing. */
int hc_lm_labels_zpl(const struct hc_lm_label *l, size_t n, hc_buf *out, hc_err *err);

/* ---- joined PDFs (join.c) ------------------------------------------------------
 * PDFs joined into one, every page of each in the order given, copied as it
 * is (qpdf): bulk printing where uploaded labels sit among haicang's own.
 * HC_EINVAL (*bad = the part's index) when a part cannot be read as a PDF,
 * has no page or more than its max_pages; HC_ETOOBIG when the result is over
 * out's limit. */
struct hc_lm_pdf_part {
    const char *pdf;
    size_t len;
    int max_pages; /* 0: any; an upload: HC_LM_UPLOAD_PAGES_MAX */
};
/* Pages of p..p+n as qpdf reads them; -1 when it cannot read them. */
int hc_lm_pdf_pages(const char *p, size_t n);
/* The same for a file from outside, with qpdf's work bounded: the page tree
 * is walked node by node first and max + 1 is returned as soon as it holds
 * more than max pages, a /Kids array longer than HC_LM_PDF_KIDS_MAX, a node
 * reached twice or deeper than 16 (qpdf's own count would first expand
 * them all: ~6 s for a 1 MiB tree naming one page 160,000 times). */
int hc_lm_pdf_pages_bounded(const char *p, size_t n, int max);
int hc_lm_pdf_join(const struct hc_lm_pdf_part *parts, size_t n, hc_buf *out, size_t *bad,
                   hc_err *err);

/* ---- uploaded labels (upload.c) -------------------------------------------------
 * A ready shipping label a seller (or its channel) bought elsewhere, uploaded
 * as PDF for one order with the carrier and tracking number it carries. A
 * parcel of that order takes that tracking number instead of haicang's own
 * numbering, and its label is this file. */
#define HC_LM_UPLOAD_MAX (1 << 20) /* bytes of one uploaded label */
/* pages of one uploaded label: a page tree naming one page 160,000 times
 * fits in 1 MB and costs qpdf ~20 s and ~1 GB to join (tests/fuzz/README) */
#define HC_LM_UPLOAD_PAGES_MAX 20
/* /Kids references in an uploaded label's file, all page-tree nodes together
 * (hc_lm_pdf_check; a label's tree names at most 20 pages, a few times over
 * when the file was saved incrementally) */
#define HC_LM_PDF_KIDS_MAX 256
#define HC_LM_TRACKING_MAX 35      /* characters of an uploaded tracking number */
struct hc_lm_upload {
    const char *order_id, *warehouse, *seller, *carrier, *tracking_no;
    const char *order_status; /* input to put: the order's status (a closed order refuses) */
    const char *pdf;
    size_t pdf_len;
    int64_t created_at;
    const char *created_by;
};
/* Structural, bounded check that p..p+n is a PDF: "%PDF-n.n" header, "%%EOF"
 * in the last 1024 bytes, the last startxref pointing before itself at
 * "xref" with a trailer or at an object holding /XRef, and /Root there.
 * HC_EINVAL naming "label" (HC_ETOOBIG over HC_LM_UPLOAD_MAX); so is a file
 * whose /Kids arrays (read where the name is written plainly) hold anything
 * but references, or more than HC_LM_PDF_KIDS_MAX of them in all. Objects
 * are not parsed: a file passing it may still fail in a viewer. */
int hc_lm_pdf_check(const char *p, size_t n, hc_err *err);
/* carrier (1-64 printable), tracking_no (4-35 of A-Z 0-9 -), then the PDF
 * (hc_lm_pdf_check, and at most HC_LM_UPLOAD_PAGES_MAX pages as qpdf reads
 * it: HC_EINVAL naming "label"). */
int hc_lm_upload_validate(const struct hc_lm_upload *u, hc_err *err);
/* Stores (replacing the order's earlier one; *replaced tells). A shipped,
 * delivered or cancelled order: HC_ECONFLICT naming status. */
int hc_lm_upload_put(hc_store *s, hc_arena *a, struct hc_lm_upload *u, const char *actor,
                     bool *replaced, hc_err *err);
/* HC_ENOTFOUND naming id when the order has none; the file only with with_pdf. */
int hc_lm_upload_get(hc_store *s, hc_arena *a, const char *order_id, bool with_pdf,
                     struct hc_lm_upload *out, hc_err *err);

/* ---- manifests and scan-out (manifest.c) -------------------------------------------
 * A manifest is the list of parcels one carrier service picks up: closing
 * it takes every parcel of the warehouse and service not on a manifest yet
 * whose order is packed (or shipped at scan-out) and whose ship day is the
 * pickup day or earlier. A parcel on a manifest is frozen: recording the
 * order's parcels again, or cancelling it, is refused (HC_ECONFLICT naming
 * the parcel). The order ships (hc_order_ship: carrier = the service's
 * carrier, tracking_no = its first parcel's number) when its manifest closes
 * or when all its parcels are scanned out, as the warehouse chooses. */
enum hc_lm_ship_at { HC_LM_SHIP_AT_MANIFEST = 1, HC_LM_SHIP_AT_SCAN_OUT = 2 };
const char *hc_lm_ship_at_name(int v);
int hc_lm_ship_at_parse(const char *s); /* -1 when neither */
/* The warehouse's choice (manifest when never set). */
int hc_lm_ship_at_get(hc_store *s, const char *warehouse, int *out, hc_err *err);
int hc_lm_ship_at_set(hc_store *s, const char *warehouse, int ship_at, hc_err *err);

struct hc_lm_manifest {
    const char *id, *warehouse, *service_code, *carrier, *service_name, *pickup_day;
    int64_t nparcels, weight_g;
    int ship_at;
    int64_t closed_at;
    const char *closed_by;
    struct hc_lm_parcel *parcels; /* filled by get and close, not by list */
    size_t n;
};
/* The parcels a manifest of service_code at pickup_day would take now, by
 * order and seq. Parcel items are not loaded. */
int hc_lm_manifest_pending(hc_store *s, hc_arena *a, const char *warehouse,
                           const char *service_code, const char *pickup_day,
                           struct hc_lm_parcel **out, size_t *n, hc_err *err);
/* Closes the manifest: HC_ECONFLICT naming service when no parcel is
 * pending; HC_EINVAL naming service when the warehouse has no such service.
 * Ships the orders when the warehouse ships at manifest (the outbound charge
 * as POST /v1/orders/{id}/ship makes it). *out gets it with its parcels. */
int hc_lm_manifest_close(hc_store *s, hc_arena *a, const char *warehouse,
                         const char *service_code, const char *pickup_day, const char *actor,
                         struct hc_lm_manifest *out, hc_err *err);
int hc_lm_manifest_get(hc_store *s, hc_arena *a, const char *id, struct hc_lm_manifest *out,
                       hc_err *err);
struct hc_lm_manifest_filter {
    const char *warehouse, *service_code, *day; /* NULL: any */
    const char *cursor;                         /* an id: manifests closed before it */
    int limit;
};
int hc_lm_manifest_list(hc_store *s, hc_arena *a, const struct hc_lm_manifest_filter *f,
                        struct hc_lm_manifest **out, size_t *n, const char **next, hc_err *err);
/* The manifest as a document (title, service, pickup, parcels table with
 * order, tracking number, weight, dims, destination) in lang "zh" or "en";
 * dest[i] is parcel i's destination ("DE 10115"), NULL for none. */
struct hc_doc;
void hc_lm_manifest_doc(hc_arena *a, const struct hc_lm_manifest *m, const char *const *dest,
                        const char *lang, struct hc_doc *out);
/* Refuses (HC_ECONFLICT naming "parcels[i]" with the parcel and manifest)
 * when a parcel of the order is on a manifest. */
int hc_lm_order_frozen(hc_store *s, hc_arena *a, const char *order_id, hc_err *err);
/* Scans a parcel out of the warehouse (repeating changes nothing); when the
 * warehouse ships at scan-out and every parcel of a packed order is out,
 * ships it. *shipped tells whether this scan shipped the order. */
int hc_lm_scan_out(hc_store *s, hc_arena *a, const char *parcel_id, const char *actor,
                   bool *shipped, hc_err *err);

/* ---- tracking events (tracking.c) ------------------------------------------------------
 * Events per parcel from carriers, by batch (all or none) or file inbox.
 * One event per (tracking number, status, time): a repeat is counted, not
 * stored. delivered moves the order shipped -> delivered once every parcel
 * of it has been delivered; exception and returned_to_sender flag the order
 * (the latest such event). */
enum hc_lm_track_status {
    HC_LM_TRK_IN_TRANSIT = 1,
    HC_LM_TRK_OUT_FOR_DELIVERY,
    HC_LM_TRK_DELIVERED,
    HC_LM_TRK_EXCEPTION,
    HC_LM_TRK_RETURNED,
};
const char *hc_lm_track_status_name(int st);
int hc_lm_track_status_parse(const char *s); /* -1 when none */
struct hc_lm_track_event {
    const char *id, *tracking_no, *status, *location, *detail;
    int64_t at; /* ms since the epoch */
    const char *parcel, *order_id, *seller, *warehouse, *source;
    int64_t created_at;
};
#define HC_LM_TRACK_BATCH_MAX 10000
struct hc_lm_track_result {
    size_t stored, duplicates, delivered_orders, flagged_orders;
};
/* Checks and applies n events in order, all or none: a malformed field is
 * HC_EINVAL naming "events[i].field"; a tracking number of no parcel (or of
 * a parcel outside warehouse, when set) HC_EINVAL naming
 * "events[i].tracking_no". source: "api" or "inbox". */
int hc_lm_track_apply(hc_store *s, hc_arena *a, struct hc_lm_track_event *ev, size_t n,
                      const char *warehouse, const char *source, struct hc_lm_track_result *res,
                      hc_err *err);
/* Events of an order (or of one parcel when parcel is set), oldest first. */
int hc_lm_track_of(hc_store *s, hc_arena *a, const char *order_id, const char *parcel,
                   struct hc_lm_track_event **out, size_t *n, hc_err *err);
/* The order's exception flag: *flagged false when none. */
int hc_lm_order_flag(hc_store *s, hc_arena *a, const char *order_id, bool *flagged,
                     struct hc_lm_track_event *ev, hc_err *err);
/* CSV text (header tracking_no,status,time,location,detail; time ISO 8601
 * UTC) into events; HC_EINVAL naming "line N: column". */
int hc_lm_track_csv(hc_arena *a, const char *text, size_t len, struct hc_lm_track_event **out,
                    size_t *n, hc_err *err);
/* The inbox: each *.csv in dir (name order) parsed and handed to apply (its
 * own transaction); files applied move to dir/processed/, the others to
 * dir/failed/ with NAME.error.txt beside them stating why. */
typedef int (*hc_lm_track_apply_fn)(void *ctx, struct hc_lm_track_event *ev, size_t n,
                                    hc_err *err);
int hc_lm_track_inbox_scan(const char *dir, hc_lm_track_apply_fn apply, void *ctx, size_t *n_ok,
                           size_t *n_failed, hc_err *err);
/* ---- carton and product labels (stocklabel.c) ------------------------------------
 * Carton labels of an inbound (SSCC-18 as GS1-128 with AI 00, 4 x 6 inch)
 * and product labels (50 x 25 mm: SKU / FNSKU as Code 128, or the SKU's
 * EAN-13 / UPC-A), as PDF; carton labels also as ZPL II. */
#define HC_LM_CARTONS_MAX 999       /* cartons of one inbound's labels */
#define HC_LM_PRODUCT_QTY_MAX 2000  /* product labels in one file */
/* EAN-8, UPC-A (12) or EAN-13 digits whose last is their GS1 check digit. */
bool hc_ean_valid(const char *s);
/* An Amazon FNSKU's shape: 10 characters A-Z 0-9 (no check digit exists). */
bool hc_fnsku_valid(const char *s);
/* The warehouse's GS1 company prefix (7-10 digits) and SSCC extension digit. */
struct hc_lm_gs1 {
    const char *warehouse, *company_prefix;
    int extension;
};
/* HC_EINVAL naming company_prefix / extension (put checks too). */
int hc_lm_gs1_put_check(const struct hc_lm_gs1 *g, hc_err *err);
int hc_lm_gs1_put(hc_store *s, const struct hc_lm_gs1 *g, const char *actor, hc_err *err);
/* HC_ENOTFOUND naming warehouse when it has none. */
int hc_lm_gs1_get(hc_store *s, hc_arena *a, const char *warehouse, struct hc_lm_gs1 *out,
                  hc_err *err);
/* The SSCCs of cartons 1..n (1 <= n <= HC_LM_CARTONS_MAX) of an inbound:
 * those given before are kept, missing ones get the next serial of the
 * warehouse's prefix. *out gets n strings. */
int hc_lm_cartons_assign(hc_store *s, hc_arena *a, const char *inbound, const char *warehouse,
                         int64_t n, const char ***out, hc_err *err);
struct hc_lm_carton_label {
    const char *sscc; /* 18 digits */
    const char *inbound, *seller, *warehouse, *reference;
    int64_t carton_no, carton_count;
};
struct hc_lm_carton_layout {
    double width, height;
    struct hc_lm_box_pt header, info, barcode, barcode_text;
};
void hc_lm_carton_layout(struct hc_lm_carton_layout *out);
/* One page per carton. */
int hc_lm_carton_pdf(const struct hc_lm_carton_label *v, size_t n, hc_buf *out, hc_err *err);
int hc_lm_carton_zpl(const struct hc_lm_carton_label *v, size_t n, hc_buf *out, hc_err *err);

enum hc_lm_code { HC_LM_CODE_SKU = 1, HC_LM_CODE_FNSKU, HC_LM_CODE_EAN13, HC_LM_CODE_UPCA };
enum hc_lm_sheet { HC_LM_SHEET_ROLL = 1, HC_LM_SHEET_A4 };
struct hc_lm_product_label {
    int code;         /* enum hc_lm_code */
    const char *data; /* what the barcode carries */
    const char *name; /* the SKU's name, cut to fit */
};
/* Points; boxes inside one label from its top left. */
struct hc_lm_product_layout {
    double page_w, page_h, label_w, label_h, margin_x, margin_y, gap_x, gap_y;
    int cols, rows;
    struct hc_lm_box_pt barcode, code_text, name_text;
};
void hc_lm_product_layout(int sheet, struct hc_lm_product_layout *out);
/* HC_EINVAL naming barcode (EAN/UPC digits or check digit), fnsku or code. */
int hc_lm_product_check(const struct hc_lm_product_label *l, hc_err *err);
/* qty labels (1..HC_LM_PRODUCT_QTY_MAX): on a roll one per page, on A4 40 per page. */
int hc_lm_product_pdf(const struct hc_lm_product_label *l, int64_t qty, int sheet, hc_buf *out,
                      hc_err *err);

/* ---- carrier connectors (connector.c) ----------------------------------------------
 * One connector per external carrier API or multi-carrier gateway, as data.
 * NO LIVE CARRIER API IS CALLED: the only implemented connector is the
 * built-in "haicang" numbering (kind "haicang", listed for every warehouse
 * without a row); others are recorded disabled until a live label purchase
 * implements struct hc_lm_connector_ops for their kind. credentials_ref names
 * where the secret is kept ("env:VARIABLE"); the secret is never stored. */
struct hc_lm_connector {
    const char *warehouse, *name;
    const char *kind; /* haicang | carrier_api | gateway */
    const char *base_url, *credentials_ref;
    const char *status; /* active | disabled */
    int64_t updated_at;
    const char *updated_by;
};
/* What a live label purchase will implement per kind (none yet besides the
 * built-in numbering, which parcel.c calls directly). */
struct hc_lm_connector_ops {
    const char *kind;
    /* Buys the label of parcel p: its tracking number and the label file. */
    int (*buy_label)(const struct hc_lm_connector *c, const struct hc_lm_parcel *p,
                     const char **tracking_no, hc_buf *label_pdf, hc_err *err);
};
bool hc_lm_connector_implemented(const char *kind);
/* HC_EINVAL naming name, kind, base_url (https only), credentials_ref
 * (env:NAME) or status; HC_ECONFLICT naming status when activating a kind
 * not implemented, naming name for "haicang". */
int hc_lm_connector_validate(const struct hc_lm_connector *c, hc_err *err);
/* Adds or replaces the warehouse's connector of that name. */
int hc_lm_connector_put(hc_store *s, struct hc_lm_connector *c, const char *actor, hc_err *err);
/* The built-in haicang connector first, then the rows by name. */
int hc_lm_connector_list(hc_store *s, hc_arena *a, const char *warehouse,
                         struct hc_lm_connector **out, size_t *n, hc_err *err);

/* ---- drawing shared by the label renderers (label.c, stocklabel.c, src/transfer) ---- */

/* A PDF of pages w x h points written into out, titled; draw on the
 * returned context (never NULL: cairo reports faults at close). */
cairo_t *hc_lm_pdf_open(hc_buf *out, double w, double h, const char *title);
/* Finishes and frees the PDF of cr. Returns rc when it is an error already,
 * else HC_ETOOBIG when out refused the bytes, HC_EINTERNAL for another
 * cairo fault, HC_OK. */
int hc_lm_pdf_close(cairo_t *cr, int rc, hc_err *err);
/* Text in the labels' font (WenQuanYi Micro Hei), its top at y. */
void hc_lm_text(cairo_t *cr, double x, double y, double size, bool bold, const char *s);
/* Draws zint's symbology of data scaled into b (aspect kept when asked),
 * without human-readable text; HC_EINVAL naming field when zint refuses
 * the data. */
int hc_lm_draw_symbol(cairo_t *cr, int symbology, const char *data, struct hc_lm_box_pt b,
                      bool keep_aspect, const char *field, hc_err *err);

#endif

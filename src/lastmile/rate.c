/* rate.c: rate shopping. Services are compiled once into sorted arrays:
 * every zone range of a service keyed by (country, from), found by
 * bisection (the last range starting at or before the postcode, which
 * covers it when its end is not before it: ranges never overlap), and per
 * zone its weight breaks ascending, found by bisection too. Pure: no store. */
#include "lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct range {
    char key[2 + HC_LM_POSTCODE_MAX + 1]; /* country + from */
    char to[HC_LM_POSTCODE_MAX + 1];
    bool whole;  /* the whole country */
    int zone;    /* index into the service's zone names */
};
struct brk {
    int64_t max_g, minor;
};
struct zone {
    const char *name;
    struct brk *brks;
    size_t nbrks;
};
struct csvc {
    const struct hc_lm_service *sv;
    struct hc_lm_closed pickup; /* origin holidays and closed days (empty: none attached) */
    struct range *ranges;
    size_t nranges;
    struct zone *zones;
    size_t nzones;
};
struct hc_lm_rater {
    struct csvc *s;
    size_t n;
    const hc_lm_holidays *book; /* NULL: promises skip no holiday */
};

bool hc_lm_postcode_norm(const char *in, char out[HC_LM_POSTCODE_MAX + 1])
{
    size_t k = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || k == HC_LM_POSTCODE_MAX)
            return false;
        out[k++] = c;
    }
    out[k] = '\0';
    return true;
}

static int range_cmp(const void *a, const void *b)
{
    return strcmp(((const struct range *)a)->key, ((const struct range *)b)->key);
}

static int brk_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct brk *)a)->max_g, y = ((const struct brk *)b)->max_g;
    return x < y ? -1 : x > y;
}

static int zone_index(struct csvc *c, const char *name)
{
    for (size_t i = 0; i < c->nzones; i++)
        if (strcmp(c->zones[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int compile_one(const struct hc_lm_service *sv, struct csvc *c, hc_err *err)
{
    c->sv = sv;
    c->ranges = calloc(sv->nzones ? sv->nzones : 1, sizeof(*c->ranges));
    c->zones = calloc(sv->nzones ? sv->nzones : 1, sizeof(*c->zones));
    if (c->ranges == NULL || c->zones == NULL)
        abort();
    char f[48];
    for (size_t i = 0; i < sv->nzones; i++) {
        const struct hc_lm_zone_range *z = &sv->zones[i];
        struct range *r = &c->ranges[c->nranges++];
        char from[HC_LM_POSTCODE_MAX + 1];
        snprintf(f, sizeof(f), "zones[%zu]", i);
        if (!hc_lm_postcode_norm(z->from, from) || !hc_lm_postcode_norm(z->to, r->to))
            return hc_err_set(err, HC_EINVAL, f, "postcodes are letters and digits, at most %d",
                              HC_LM_POSTCODE_MAX);
        snprintf(r->key, sizeof(r->key), "%.2s%s", z->country, from);
        r->whole = from[0] == '\0' && r->to[0] == '\0';
        if (!r->whole && (from[0] == '\0' || strcmp(from, r->to) > 0))
            return hc_err_set(err, HC_EINVAL, f, "from must not be after to");
        int zi = zone_index(c, z->zone);
        if (zi < 0) {
            zi = (int)c->nzones++;
            c->zones[zi].name = z->zone;
        }
        r->zone = zi;
    }
    qsort(c->ranges, c->nranges, sizeof(*c->ranges), range_cmp);
    for (size_t i = 1; i < c->nranges; i++) {
        const struct range *p = &c->ranges[i - 1], *r = &c->ranges[i];
        if (strncmp(p->key, r->key, 2) != 0)
            continue;
        if (p->whole || r->whole || strcmp(p->to, r->key + 2) >= 0)
            return hc_err_set(err, HC_EINVAL, "zones",
                              "postcode ranges of %.2s overlap (%s..%s and %s..%s)", r->key,
                              p->key + 2, p->to, r->key + 2, r->to);
    }
    for (size_t zi = 0; zi < c->nzones; zi++) {
        struct zone *z = &c->zones[zi];
        z->brks = calloc(sv->nprices ? sv->nprices : 1, sizeof(*z->brks));
        if (z->brks == NULL)
            abort();
        for (size_t i = 0; i < sv->nprices; i++)
            if (strcmp(sv->prices[i].zone, z->name) == 0)
                z->brks[z->nbrks++] = (struct brk){sv->prices[i].max_weight_g, sv->prices[i].minor};
        qsort(z->brks, z->nbrks, sizeof(*z->brks), brk_cmp);
        for (size_t i = 1; i < z->nbrks; i++)
            if (z->brks[i].max_g == z->brks[i - 1].max_g)
                return hc_err_set(err, HC_EINVAL, "prices", "zone %s has two breaks at %lld g",
                                  z->name, (long long)z->brks[i].max_g);
        if (z->nbrks == 0)
            return hc_err_set(err, HC_EINVAL, "prices", "zone %s has no price", z->name);
    }
    return HC_OK;
}

void hc_lm_rater_free(hc_lm_rater *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        for (size_t z = 0; z < r->s[i].nzones; z++)
            free(r->s[i].zones[z].brks);
        free(r->s[i].zones);
        free(r->s[i].ranges);
    }
    free(r->s);
    free(r);
}

int hc_lm_rater_new(const struct hc_lm_service *sv, size_t n, hc_lm_rater **out, hc_err *err)
{
    hc_lm_rater *r = calloc(1, sizeof(*r));
    if (r == NULL || (r->s = calloc(n ? n : 1, sizeof(*r->s))) == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        r->n = i + 1;
        if (compile_one(&sv[i], &r->s[i], err) != HC_OK) {
            hc_lm_rater_free(r);
            return err->code;
        }
    }
    *out = r;
    return HC_OK;
}

int64_t hc_lm_dim_weight(const int64_t d[3], int64_t divisor)
{
    if (divisor <= 0)
        return 0;
    int64_t v = d[0] * d[1] * d[2]; /* dims are bounded by the callers' checks */
    return (v + divisor - 1) / divisor;
}

int64_t hc_lm_billable(const struct hc_lm_parcel_in *p, int64_t divisor)
{
    int64_t dw = hc_lm_dim_weight(p->dims_mm, divisor);
    return dw > p->weight_g ? dw : p->weight_g;
}

/* The range covering (country, postcode) or NULL: the last range whose key
 * is not after country + postcode; a whole-country range keys on the
 * country alone and so is found for every postcode of it. */
static const struct range *find_range(const struct csvc *c, const char *country,
                                      const char *pc)
{
    char key[2 + HC_LM_POSTCODE_MAX + 1];
    size_t npc = strnlen(pc, HC_LM_POSTCODE_MAX);
    key[0] = country[0];
    key[1] = country[0] ? country[1] : '\0';
    memcpy(key + 2, pc, npc);
    key[2 + npc] = '\0';
    size_t lo = 0, hi = c->nranges; /* first range with key > key */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(c->ranges[mid].key, key) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct range *r = &c->ranges[lo - 1];
    if (strncmp(r->key, key, 2) != 0)
        return NULL;
    return r->whole || strcmp(pc, r->to) <= 0 ? r : NULL;
}

const char *hc_lm_zone_of(const hc_lm_rater *r, size_t service, const char *country,
                          const char *postcode)
{
    char pc[HC_LM_POSTCODE_MAX + 1];
    if (service >= r->n || country == NULL || !hc_lm_postcode_norm(postcode, pc))
        return NULL;
    const struct range *g = find_range(&r->s[service], country, pc);
    return g ? r->s[service].zones[g->zone].name : NULL;
}

static const struct brk *find_break(const struct zone *z, int64_t g)
{
    size_t lo = 0, hi = z->nbrks; /* first break with max_g >= g */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->brks[mid].max_g < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < z->nbrks ? &z->brks[lo] : NULL;
}

static void sorted3(const int64_t d[3], int64_t s[3])
{
    s[0] = d[0], s[1] = d[1], s[2] = d[2];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2 - i; j++)
            if (s[j] < s[j + 1]) {
                int64_t t = s[j];
                s[j] = s[j + 1];
                s[j + 1] = t;
            }
}

/* Does the service's size limit take the parcel (weight apart)? */
static bool size_ok(const struct hc_lm_service *sv, const struct hc_lm_parcel_in *p)
{
    int64_t s[3];
    sorted3(p->dims_mm, s);
    int64_t girth = 2 * (s[1] + s[2]);
    return (sv->max_length_mm == 0 || s[0] <= sv->max_length_mm) &&
           (sv->max_girth_mm == 0 || girth <= sv->max_girth_mm) &&
           (sv->max_length_girth_mm == 0 || s[0] + girth <= sv->max_length_girth_mm);
}

/* 0: taken; 1: too heavy; 2: too big. */
static int takes(const struct csvc *c, const struct zone *z, const struct hc_lm_parcel_in *p,
                 int64_t *billable, const struct brk **b)
{
    const struct hc_lm_service *sv = c->sv;
    if (sv->max_weight_g && p->weight_g > sv->max_weight_g)
        return 1;
    if (!size_ok(sv, p))
        return 2;
    *billable = hc_lm_billable(p, sv->dim_divisor);
    *b = find_break(z, *billable);
    if (*b == NULL) /* over the heaviest break: by weight, or by volume when the weight fits */
        return find_break(z, p->weight_g) ? 2 : 1;
    return 0;
}

/* Half-even rounding of base * bp / 10000. */
static int64_t pct_of(int64_t base, int64_t bp)
{
    int64_t num = base * bp, q = num / 10000, rem = num % 10000;
    if (rem * 2 > 10000 || (rem * 2 == 10000 && (q & 1)))
        q++;
    return q;
}

static int64_t day_number(const char *d)
{
    int64_t n = 0;
    return hc_lm_day_parse(d, &n) ? n : 0;
}

/* The destination's closed days for service c: its carrier calendar in the
 * country when the book has one, else nat (the country's nationwide days). */
static const struct hc_lm_closed *delivery_closed(const hc_lm_rater *r, const struct csvc *c,
                                                  const char *country,
                                                  const struct hc_lm_closed *nat,
                                                  struct hc_lm_closed *tmp)
{
    if (c->sv->holidays && c->sv->holidays[0]) {
        *tmp = hc_lm_holidays_of(r->book, country, c->sv->holidays);
        if (tmp->n)
            return tmp;
    }
    return nat;
}

/* Ship and delivery day of service c into q; nat: the destination's
 * nationwide days (r->book NULL: none skipped). */
static void promise_into(const hc_lm_rater *r, const struct csvc *c, const char *country,
                         const struct hc_lm_closed *nat, int64_t day, int local_min,
                         struct hc_lm_quote *q)
{
    struct hc_lm_closed tmp;
    const struct hc_lm_closed *dest = r->book ? delivery_closed(r, c, country, nat, &tmp) : NULL;
    int64_t ship = hc_lm_next_pickup(c->sv->pickup_days, c->sv->cutoff_min, &c->pickup, day,
                                     local_min);
    int64_t deliver = hc_lm_add_delivery_days(c->sv->delivery_days, dest, ship,
                                              c->sv->transit_days);
    hc_lm_day_format(ship, q->ship_day);
    hc_lm_day_format(deliver, q->deliver_day);
    q->pickup_calendar = r->book ? c->pickup.name : NULL;
    q->delivery_calendar = dest ? (dest->n ? dest->name : "none") : NULL;
}

void hc_lm_promise(const struct hc_lm_service *s, const char *local_day, int local_min,
                   char ship_day[11], char deliver_day[11])
{
    int64_t ship = hc_lm_next_pickup(s->pickup_days, s->cutoff_min, NULL, day_number(local_day),
                                     local_min);
    hc_lm_day_format(ship, ship_day);
    hc_lm_day_format(hc_lm_add_delivery_days(s->delivery_days, NULL, ship, s->transit_days),
                     deliver_day);
}

void hc_lm_rater_calendars(hc_lm_rater *r, hc_arena *a, const hc_lm_holidays *book,
                           const struct hc_lm_origin *o)
{
    HC_ASSERT(book != NULL && o != NULL);
    r->book = book;
    struct hc_lm_closed sets[3] = {{0}, {0}, {0}};
    /* the union of one set sorts it and drops repeats */
    sets[2] = hc_lm_closed_union(a, &(struct hc_lm_closed){o->closed, o->nclosed, "warehouse"}, 1);
    if (o->region && o->region[0])
        sets[1] = hc_lm_holidays_of(book, o->country, o->region);
    struct hc_lm_closed nat = hc_lm_holidays_of(book, o->country, "");
    for (size_t i = 0; i < r->n; i++) {
        const struct hc_lm_service *sv = r->s[i].sv;
        sets[0] = nat;
        if (sv->holidays && sv->holidays[0]) {
            struct hc_lm_closed own_cal = hc_lm_holidays_of(book, o->country, sv->holidays);
            if (own_cal.n)
                sets[0] = own_cal;
        }
        r->s[i].pickup = hc_lm_closed_union(a, sets, 3);
    }
}

void hc_lm_rater_promise(const hc_lm_rater *r, size_t service, const char *country,
                         const char *local_day, int local_min, struct hc_lm_quote *q)
{
    HC_ASSERT(service < r->n);
    struct hc_lm_closed nat = hc_lm_holidays_of(r->book, country, "");
    nat.name = country && r->book ? nat.name : NULL;
    promise_into(r, &r->s[service], country, &nat, day_number(local_day), local_min, q);
}

static int quote_cmp(const void *a, const void *b)
{
    const struct hc_lm_quote *x = a, *y = b;
    if (x->total_minor != y->total_minor)
        return x->total_minor < y->total_minor ? -1 : 1;
    int c = strcmp(x->deliver_day, y->deliver_day);
    return c ? c : (x->service > y->service) - (x->service < y->service);
}

int hc_lm_rate(const hc_lm_rater *r, const struct hc_lm_request *rq, struct hc_lm_quote *out,
               size_t *n, hc_err *err)
{
    HC_ASSERT(rq->nparcels <= HC_LM_PARCELS_MAX);
    char pc[HC_LM_POSTCODE_MAX + 1];
    if (!hc_lm_postcode_norm(rq->postcode, pc))
        return hc_err_set(err, HC_EINVAL, "ship_to.postcode", "is not a postcode");
    size_t k = 0, covering = 0;
    bool country_served = false;
    /* per parcel: did some covering service take it; did one refuse it by size alone */
    bool size_fit[HC_LM_PARCELS_MAX] = {0}, any[HC_LM_PARCELS_MAX] = {0};
    int64_t day0 = day_number(rq->local_day);
    struct hc_lm_closed nat = hc_lm_holidays_of(r->book, rq->country, "");
    for (size_t i = 0; i < r->n; i++) {
        const struct csvc *c = &r->s[i];
        const struct range *g = find_range(c, rq->country, pc);
        if (g == NULL)
            continue;
        covering++;
        const struct zone *z = &c->zones[g->zone];
        struct hc_lm_quote *q = &out[k];
        q->service = i;
        q->zone = z->name;
        q->billable_total_g = q->base_minor = q->fuel_minor = q->residential_minor = 0;
        bool all = true;
        for (size_t p = 0; p < rq->nparcels; p++) {
            int64_t bill = 0;
            const struct brk *b = NULL;
            int why = takes(c, z, &rq->parcels[p], &bill, &b);
            any[p] |= why == 0;
            size_fit[p] |= why == 2; /* light enough for this service, but too big */
            if (why) {
                all = false;
                continue;
            }
            q->billable_g[p] = bill;
            q->billable_total_g += bill;
            q->base_minor += b->minor;
            q->fuel_minor += pct_of(b->minor, c->sv->fuel_bp);
            if (rq->residential)
                q->residential_minor += c->sv->residential_minor;
        }
        if (!all)
            continue;
        q->total_minor = q->base_minor + q->fuel_minor + q->residential_minor;
        promise_into(r, c, rq->country, &nat, day0, rq->local_min, q);
        k++;
    }
    for (size_t i = 0; covering == 0 && i < r->n; i++) /* only to name the field */
        for (size_t j = 0; !country_served && j < r->s[i].nranges; j++)
            country_served = strncmp(r->s[i].ranges[j].key, rq->country, 2) == 0;
    if (covering == 0)
        return country_served
                   ? hc_err_set(err, HC_EINVAL, "ship_to.postcode",
                                "no service of the warehouse delivers to %s %s", rq->country, pc)
                   : hc_err_set(err, HC_EINVAL, "ship_to.country",
                                "no service of the warehouse delivers to %s", rq->country);
    for (size_t p = 0; p < rq->nparcels; p++)
        if (!any[p]) {
            char f[40];
            snprintf(f, sizeof(f), "parcels[%zu].%s", p, size_fit[p] ? "dims_mm" : "weight_g");
            return hc_err_set(err, HC_ECONFLICT, f,
                              size_fit[p] ? "the parcel is over the size limit of every service"
                                          : "the parcel is over the weight limit of every service");
        }
    if (k == 0)
        return hc_err_set(err, HC_ECONFLICT, "parcels",
                          "no one service takes all the parcels: ship them apart");
    qsort(out, k, sizeof(*out), quote_cmp);
    *n = k;
    return HC_OK;
}

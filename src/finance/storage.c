/* storage.c: the nightly storage charge.
 *
 * For a warehouse and a local day D the snapshot is the stock on hand at the
 * warehouse's local midnight ending D (rebuilt from the goods journal, which
 * is append-only, so a past snapshot never changes). Stock is held in lots:
 * each move into the warehouse's places from outside (a receipt, a return)
 * is a lot dated by its local day; each move out consumes the oldest lots of
 * that seller and SKU first (FIFO). A lot's age on D is D minus its day, and
 * its tier on the seller's card (hc_ratecard_for) prices it.
 *
 * Posting a day compares what the cards say now with what fin_charges holds
 * for (warehouse, seller, day) and books only the difference: a day run
 * twice books nothing the second time; a card replaced back-dated books the
 * correction (cause "correction", the first entry of that day). Each day is
 * one write job that first locks fin_storage_state's row of the warehouse,
 * so two servers on one database cannot book a day twice. */
#include "fin_private.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- time zones ---------------------------------------------------------------------------
 * libc converts with the TZ of the process; TZ is switched under a lock and
 * put back, and nothing else in haicang reads local time. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static void tz_enter(const char *tz, char *saved, size_t n, bool *had)
{
    pthread_mutex_lock(&tz_lock);
    const char *old = getenv("TZ");
    *had = old != NULL;
    if (old)
        hc_strlcpy(saved, old, n);
    setenv("TZ", tz, 1);
    tzset();
}

static void tz_leave(const char *saved, bool had)
{
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    pthread_mutex_unlock(&tz_lock);
}

int hc_tz_day(const char *tz, int64_t ms, char out[11])
{
    char saved[128];
    bool had;
    struct tm tm;
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    tz_enter(tz, saved, sizeof(saved), &had);
    bool ok = localtime_r(&t, &tm) != NULL;
    tz_leave(saved, had);
    if (!ok)
        return HC_EINVAL;
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    hc_strlcpy(out, tmp, 11);
    return HC_OK;
}

int64_t hc_tz_midnight(const char *tz, const char *day)
{
    int y, m, d;
    if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
    char saved[128];
    bool had;
    tz_enter(tz, saved, sizeof(saved), &had);
    time_t t = mktime(&tm);
    tz_leave(saved, had);
    return (int64_t)t * 1000;
}

/* Civil dates as day numbers (days since 1970-01-01) and back; -1 for
 * anything but a "YYYY-MM-DD" on the calendar. */
static void day_str(int64_t n, char out[11]);
static int64_t day_no(const char *day)
{
    int64_t ms;
    if (day == NULL || strlen(day) != 10 || hc_time_parse_iso(day, &ms) != HC_OK || ms < 0)
        return -1;
    char back[11];
    day_str(ms / HC_DAY_MS, back);
    return strcmp(back, day) == 0 ? ms / HC_DAY_MS : -1;
}

static void day_str(int64_t n, char out[11])
{
    time_t t = (time_t)(n * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    hc_strlcpy(out, tmp, 11);
}

/* ---- pure pricing ------------------------------------------------------------------------- */

size_t hc_fifo_remaining(const struct hc_storage_lot *ins, size_t n, int64_t out,
                         struct hc_storage_lot *rem)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t q = ins[i].qty;
        int64_t take = out < q ? out : q;
        out -= take;
        if (q - take > 0) {
            rem[k] = ins[i];
            rem[k++].qty = q - take;
        }
    }
    return k;
}

static size_t tier_of(const struct hc_ratecard *c, int64_t age)
{
    for (size_t t = 0; t < c->ntiers; t++)
        if (c->tiers[t].to_day == HC_RC_DAY_OPEN || age <= c->tiers[t].to_day)
            return t;
    return c->ntiers - 1;
}

void hc_storage_price(const struct hc_ratecard *c, const struct hc_storage_lot *lots, size_t n,
                      const int64_t *bin_ages, size_t nbins, struct hc_charge *out)
{
    memset(out, 0, sizeof(*out));
    out->currency = c->currency;
    int64_t basis[HC_RC_TIERS_MAX] = {0};
    if (c->storage_basis == HC_RC_PER_BIN) {
        for (size_t i = 0; i < nbins; i++)
            basis[tier_of(c, bin_ages[i] < 0 ? 0 : bin_ages[i])]++;
    } else {
        for (size_t i = 0; i < n; i++)
            basis[tier_of(c, lots[i].age_days < 0 ? 0 : lots[i].age_days)] +=
                lots[i].qty * lots[i].unit_mm3;
    }
    for (size_t t = 0; t < c->ntiers; t++) {
        if (basis[t] == 0)
            continue;
        char label[48];
        const char *unit = c->storage_basis == HC_RC_PER_BIN      ? "bins"
                           : c->storage_basis == HC_RC_PER_PALLET ? "pallets"
                                                                  : "m3";
        if (c->tiers[t].to_day == HC_RC_DAY_OPEN)
            snprintf(label, sizeof(label), "storage %lld+ d, %s",
                     (long long)c->tiers[t].from_day, unit);
        else
            snprintf(label, sizeof(label), "storage %lld-%lld d, %s",
                     (long long)c->tiers[t].from_day, (long long)c->tiers[t].to_day, unit);
        if (c->storage_basis == HC_RC_PER_M3)
            hc_charge_add(out, label, basis[t], c->tiers[t].rate_e4, 1000000000);
        else if (c->storage_basis == HC_RC_PER_PALLET)
            hc_charge_add(out, label, (basis[t] + c->pallet_mm3 - 1) / c->pallet_mm3,
                          c->tiers[t].rate_e4, 1);
        else
            hc_charge_add(out, label, basis[t], c->tiers[t].rate_e4, 1);
    }
    if (out->n > 0)
        hc_charge_finish(out, c->min_storage, c->surcharge_bp);
}

/* ---- the snapshot ----------------------------------------------------------------------------
 * Keys are (seller, sku) of the warehouse; each keeps its lots oldest first
 * (head: the first not yet consumed). For the bin basis, (key, place)
 * balances too. */
struct lot {
    int64_t day, qty;
};
struct key {
    char *seller, *sku;
    int64_t unit_mm3;
    int seller_ix;
    struct lot *lots;
    size_t nlots, cap, head;
};
struct place_bal {
    int key;
    char *place;
    int64_t qty;
};
struct snap {
    struct key *keys;
    size_t nkeys, capkeys;
    int *slots; /* open addressing over keys, -1 empty */
    size_t nslots;
    char **sellers;
    size_t nsellers;
    struct place_bal *pb;
    size_t npb, cappb;
    int *pslots;
    size_t npslots;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL && n)
        abort();
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (d == NULL)
        abort();
    return d;
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = hc_hash64(a, strlen(a));
    return h ^ (hc_hash64(b, strlen(b)) * 0x9E3779B97F4A7C15ULL);
}

static void rehash_keys(struct snap *sn)
{
    size_t n = sn->nslots ? sn->nslots * 2 : 1024;
    free(sn->slots);
    sn->slots = xrealloc(NULL, n * sizeof(int));
    for (size_t i = 0; i < n; i++)
        sn->slots[i] = -1;
    sn->nslots = n;
    for (size_t k = 0; k < sn->nkeys; k++) {
        size_t i = hash2(sn->keys[k].seller, sn->keys[k].sku) & (n - 1);
        while (sn->slots[i] >= 0)
            i = (i + 1) & (n - 1);
        sn->slots[i] = (int)k;
    }
}

static int key_of(struct snap *sn, const char *seller, const char *sku, int64_t unit_mm3)
{
    if ((sn->nkeys + 1) * 2 > sn->nslots)
        rehash_keys(sn);
    size_t i = hash2(seller, sku) & (sn->nslots - 1);
    for (; sn->slots[i] >= 0; i = (i + 1) & (sn->nslots - 1)) {
        struct key *k = &sn->keys[sn->slots[i]];
        if (strcmp(k->sku, sku) == 0 && strcmp(k->seller, seller) == 0)
            return sn->slots[i];
    }
    if (sn->nkeys == sn->capkeys) {
        sn->capkeys = sn->capkeys ? sn->capkeys * 2 : 1024;
        sn->keys = xrealloc(sn->keys, sn->capkeys * sizeof(*sn->keys));
    }
    struct key *k = &sn->keys[sn->nkeys];
    memset(k, 0, sizeof(*k));
    k->seller = xstrdup(seller);
    k->sku = xstrdup(sku);
    k->unit_mm3 = unit_mm3;
    k->seller_ix = -1;
    for (size_t s = 0; s < sn->nsellers; s++)
        if (strcmp(sn->sellers[s], seller) == 0)
            k->seller_ix = (int)s;
    if (k->seller_ix < 0) {
        sn->sellers = xrealloc(sn->sellers, (sn->nsellers + 1) * sizeof(char *));
        sn->sellers[sn->nsellers] = xstrdup(seller);
        k->seller_ix = (int)sn->nsellers++;
    }
    sn->slots[i] = (int)sn->nkeys;
    return (int)sn->nkeys++;
}

static void rehash_places(struct snap *sn)
{
    size_t n = sn->npslots ? sn->npslots * 2 : 1024;
    free(sn->pslots);
    sn->pslots = xrealloc(NULL, n * sizeof(int));
    for (size_t i = 0; i < n; i++)
        sn->pslots[i] = -1;
    sn->npslots = n;
    for (size_t k = 0; k < sn->npb; k++) {
        size_t i = (hc_hash64(sn->pb[k].place, strlen(sn->pb[k].place)) ^
                    (uint64_t)sn->pb[k].key * 0x9E3779B97F4A7C15ULL) &
                   (n - 1);
        while (sn->pslots[i] >= 0)
            i = (i + 1) & (n - 1);
        sn->pslots[i] = (int)k;
    }
}

static void place_add(struct snap *sn, int key, const char *place, int64_t qty)
{
    if ((sn->npb + 1) * 2 > sn->npslots)
        rehash_places(sn);
    size_t i = (hc_hash64(place, strlen(place)) ^ (uint64_t)key * 0x9E3779B97F4A7C15ULL) &
               (sn->npslots - 1);
    for (; sn->pslots[i] >= 0; i = (i + 1) & (sn->npslots - 1)) {
        struct place_bal *p = &sn->pb[sn->pslots[i]];
        if (p->key == key && strcmp(p->place, place) == 0) {
            p->qty += qty;
            return;
        }
    }
    if (sn->npb == sn->cappb) {
        sn->cappb = sn->cappb ? sn->cappb * 2 : 1024;
        sn->pb = xrealloc(sn->pb, sn->cappb * sizeof(*sn->pb));
    }
    sn->pb[sn->npb] = (struct place_bal){key, xstrdup(place), qty};
    sn->pslots[i] = (int)sn->npb++;
}

static void snap_free(struct snap *sn)
{
    for (size_t i = 0; i < sn->nkeys; i++) {
        free(sn->keys[i].seller);
        free(sn->keys[i].sku);
        free(sn->keys[i].lots);
    }
    for (size_t i = 0; i < sn->nsellers; i++)
        free(sn->sellers[i]);
    for (size_t i = 0; i < sn->npb; i++)
        free(sn->pb[i].place);
    free(sn->keys);
    free(sn->slots);
    free(sn->sellers);
    free(sn->pb);
    free(sn->pslots);
    memset(sn, 0, sizeof(*sn));
}

static void lot_in(struct key *k, int64_t day, int64_t qty)
{
    if (k->nlots > k->head && k->lots[k->nlots - 1].day == day) {
        k->lots[k->nlots - 1].qty += qty; /* one lot per day */
        return;
    }
    if (k->nlots == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 4;
        k->lots = xrealloc(k->lots, k->cap * sizeof(*k->lots));
    }
    k->lots[k->nlots++] = (struct lot){day, qty};
}

static void lot_out(struct key *k, int64_t qty)
{
    while (qty > 0 && k->head < k->nlots) {
        struct lot *l = &k->lots[k->head];
        int64_t take = qty < l->qty ? qty : l->qty;
        l->qty -= take;
        qty -= take;
        if (l->qty == 0)
            k->head++;
    }
}

/* ---- one warehouse, a range of days ------------------------------------------------------ */

struct desired {
    int seller_ix;
    struct hc_charge charge;
    const char *card;
    int64_t lots;
};
struct day_plan {
    int64_t day;
    struct desired *d;
    size_t n;
};

struct wh_run {
    const char *warehouse, *tz, *actor;
    hc_arena *a;
    struct snap sn;
    bool bins;
    /* local midnights: mid[i] starts day first_day + i */
    int64_t first_day, ndays_mid;
    int64_t *mid;
};

static int64_t local_day_of(struct wh_run *w, int64_t at)
{
    /* the last midnight <= at (binary search); before the table: first_day - 1 */
    int64_t lo = 0, hi = w->ndays_mid - 1, ans = -1;
    while (lo <= hi) {
        int64_t m = (lo + hi) / 2;
        if (w->mid[m] <= at) {
            ans = m;
            lo = m + 1;
        } else {
            hi = m - 1;
        }
    }
    return w->first_day + ans;
}

/* Prices day d for every seller holding stock from the snapshot as it is. */
static int price_day(hc_store *rd, struct wh_run *w, int64_t d, struct day_plan *out,
                     hc_err *err)
{
    struct snap *sn = &w->sn;
    char dstr[11];
    day_str(d, dstr);
    out->day = d;
    out->d = hc_arena_alloc(w->a, (sn->nsellers + 1) * sizeof(*out->d));
    out->n = 0;
    struct hc_storage_lot *lots = NULL;
    size_t caplots = 0;
    int64_t *bins = NULL;
    int rc = HC_OK;
    /* keys grouped by seller (counting sort): one pass over the keys per day */
    size_t *start = xrealloc(NULL, (sn->nsellers + 1) * sizeof(size_t));
    size_t *byseller = xrealloc(NULL, (sn->nkeys + 1) * sizeof(size_t));
    memset(start, 0, (sn->nsellers + 1) * sizeof(size_t));
    for (size_t k = 0; k < sn->nkeys; k++)
        start[sn->keys[k].seller_ix + 1]++;
    for (size_t s = 0; s < sn->nsellers; s++)
        start[s + 1] += start[s];
    for (size_t k = 0; k < sn->nkeys; k++)
        byseller[start[sn->keys[k].seller_ix]++] = k;
    for (size_t s = sn->nsellers; s > 0; s--)
        start[s] = start[s - 1];
    start[0] = 0;
    for (size_t s = 0; s < sn->nsellers && rc == HC_OK; s++) {
        size_t nl = 0;
        for (size_t kk = start[s]; kk < start[s + 1]; kk++) {
            struct key *key = &sn->keys[byseller[kk]];
            for (size_t i = key->head; i < key->nlots; i++) {
                if (nl == caplots) {
                    caplots = caplots ? caplots * 2 : 1024;
                    lots = xrealloc(lots, caplots * sizeof(*lots));
                }
                lots[nl++] = (struct hc_storage_lot){d - key->lots[i].day, key->lots[i].qty,
                                                     key->unit_mm3};
            }
        }
        if (nl == 0)
            continue;
        struct hc_ratecard card;
        hc_err e = {0};
        int r = hc_ratecard_for(rd, w->a, w->warehouse, sn->sellers[s], dstr, &card, &e);
        if (r == HC_ENOTFOUND)
            continue;
        if (r != HC_OK) {
            *err = e;
            rc = r;
            break;
        }
        size_t nb = 0;
        if (card.storage_basis == HC_RC_PER_BIN) {
            /* each (seller, place) with goods once, aged by its oldest SKU's oldest lot */
            free(bins);
            bins = xrealloc(NULL, (sn->npb + 1) * sizeof(*bins));
            char **names = xrealloc(NULL, (sn->npb + 1) * sizeof(char *));
            for (size_t i = 0; i < sn->npb; i++) {
                struct place_bal *p = &sn->pb[i];
                struct key *key = &sn->keys[p->key];
                if (p->qty <= 0 || key->seller_ix != (int)s || key->head >= key->nlots)
                    continue;
                int64_t age = d - key->lots[key->head].day;
                size_t j;
                for (j = 0; j < nb; j++)
                    if (strcmp(names[j], p->place) == 0)
                        break;
                if (j == nb) {
                    names[nb] = p->place;
                    bins[nb++] = age;
                } else if (age > bins[j]) {
                    bins[j] = age;
                }
            }
            free(names);
        }
        struct desired *ds = &out->d[out->n];
        hc_storage_price(&card, lots, nl, bins, nb, &ds->charge);
        if (ds->charge.total == 0)
            continue;
        ds->seller_ix = (int)s;
        ds->card = card.id;
        ds->lots = (int64_t)nl;
        out->n++;
    }
    free(lots);
    free(bins);
    free(start);
    free(byseller);
    return rc;
}

/* Reads the warehouse's journal up to the end of day `last` and prices each
 * day in [first, last]. */
static int plan_days(hc_store *rd, struct wh_run *w, int64_t first, int64_t last,
                     struct day_plan *plans, hc_err *err)
{
    char like_buf[HC_PLACE_MAX];
    snprintf(like_buf, sizeof(like_buf), "wh/%s/", w->warehouse);
    char *like = hc_store_like_prefix(w->a, like_buf);
    size_t plen = strlen(like_buf);
    /* local day of the first move into the warehouse bounds the midnight table */
    int64_t min_at = 0;
    int rc = hc_store_int(rd, err, &min_at,
                          "SELECT COALESCE(MIN(at), -1) FROM journal WHERE kind = 'move' AND"
                          " to_place LIKE ?" HC_LIKE_ESCAPE,
                          "s", like);
    if (rc != HC_OK)
        return rc;
    char d0[11];
    if (min_at >= 0 && hc_tz_day(w->tz, min_at, d0) == HC_OK)
        w->first_day = day_no(d0) < first ? day_no(d0) : first;
    else
        w->first_day = first;
    w->ndays_mid = last + 2 - w->first_day;
    w->mid = hc_arena_alloc(w->a, (size_t)w->ndays_mid * sizeof(int64_t));
    for (int64_t i = 0; i < w->ndays_mid; i++) {
        char ds[11];
        day_str(w->first_day + i, ds);
        w->mid[i] = hc_tz_midnight(w->tz, ds);
    }
    int64_t end_ms = w->mid[w->ndays_mid - 1];
    hc_stmt *q;
    rc = hc_store_query(rd, err, &q,
                        "SELECT j.seller, j.sku, j.at, j.qty, j.from_place, j.to_place,"
                        " COALESCE(s.l * s.w * s.h, 0) FROM journal j LEFT JOIN skus s"
                        " ON s.seller = j.seller AND s.sku = j.sku WHERE j.kind = 'move'"
                        " AND j.at < ? AND (j.to_place LIKE ?" HC_LIKE_ESCAPE
                        " OR j.from_place LIKE ?" HC_LIKE_ESCAPE ") ORDER BY j.at, j.id",
                        "iss", end_ms, like, like);
    if (rc != HC_OK)
        return rc;
    int64_t d = first;
    size_t np = 0;
    int64_t day_end = w->mid[d + 1 - w->first_day];
    while (rc == HC_OK) {
        int st = hc_stmt_step(q, err);
        if (st != HC_ROW && st != HC_DONE) {
            rc = st;
            break;
        }
        int64_t at = st == HC_ROW ? hc_stmt_int(q, 2) : INT64_MAX;
        while (d <= last && at >= day_end) {
            if ((rc = price_day(rd, w, d, &plans[np++], err)) != HC_OK)
                break;
            d++;
            if (d <= last)
                day_end = w->mid[d + 1 - w->first_day];
        }
        if (st == HC_DONE || rc != HC_OK)
            break;
        const char *from = hc_stmt_text(q, 4), *to = hc_stmt_text(q, 5);
        bool in_from = strncmp(from, like_buf, plen) == 0;
        bool in_to = strncmp(to, like_buf, plen) == 0;
        int k = key_of(&w->sn, hc_stmt_text(q, 0), hc_stmt_text(q, 1), hc_stmt_int(q, 6));
        int64_t qty = hc_stmt_int(q, 3);
        if (in_to && !in_from)
            lot_in(&w->sn.keys[k], local_day_of(w, at), qty);
        else if (in_from && !in_to)
            lot_out(&w->sn.keys[k], qty);
        if (w->bins) {
            if (in_from)
                place_add(&w->sn, k, from, -qty);
            if (in_to)
                place_add(&w->sn, k, to, qty);
        }
    }
    hc_stmt_reset(q);
    return rc;
}

/* ---- posting one day ------------------------------------------------------------------------ */

struct post_job {
    struct wh_run *w;
    const struct day_plan *plan;
    bool advance; /* a catch-up day: moves last_day (a day asked for alone does not) */
    int entries;
};

struct posted_sum {
    const char *seller, *currency, *first_entry;
    int64_t minor;
};

static int post_day_job(hc_store *s, void *ctx, hc_err *err)
{
    struct post_job *j = ctx;
    struct wh_run *w = j->w;
    j->entries = 0;
    char dstr[11];
    day_str(j->plan->day, dstr);
    /* lock the warehouse's storage state (several servers, one database) */
    int rc = hc_store_run(s, err, NULL,
                          hc_store_dialect(s) == HC_MYSQL
                              ? "INSERT IGNORE INTO fin_storage_state (warehouse, last_day,"
                                " rerate_from, updated_at) VALUES (?, '', '', ?)"
                              : "INSERT OR IGNORE INTO fin_storage_state (warehouse, last_day,"
                                " rerate_from, updated_at) VALUES (?, '', '', ?)",
                          "si", w->warehouse, hc_now_ms());
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "UPDATE fin_storage_state SET updated_at = ?,"
                          " last_day = CASE WHEN ? = 1 AND last_day < ? THEN ? ELSE last_day END"
                          " WHERE warehouse = ?",
                          "iisss", hc_now_ms(), (int64_t)j->advance, dstr, dstr, w->warehouse);
    if (rc != HC_OK)
        return rc;
    /* what is booked for the day, per seller and currency */
    hc_stmt *q;
    /* MySQL-protocol: a locking read, so it sees what another server committed
     * before this job took the lock (a consistent read could be older: the
     * group-commit transaction may have read before) */
    rc = hc_store_query(s, err, &q,
                        hc_store_dialect(s) == HC_MYSQL
                            ? "SELECT seller, currency, SUM(minor), MIN(entry) FROM fin_charges"
                              " WHERE warehouse = ? AND kind = 'storage' AND day = ?"
                              " GROUP BY seller, currency FOR UPDATE"
                            : "SELECT seller, currency, SUM(minor), MIN(entry) FROM fin_charges"
                              " WHERE warehouse = ? AND kind = 'storage' AND day = ?"
                              " GROUP BY seller, currency",
                        "ss", w->warehouse, dstr);
    if (rc != HC_OK)
        return rc;
    struct posted_sum *ps = NULL;
    size_t nps = 0;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW) {
        ps = xrealloc(ps, (nps + 1) * sizeof(*ps));
        ps[nps++] = (struct posted_sum){hc_arena_strdup(w->a, hc_stmt_text(q, 0)),
                                        hc_arena_strdup(w->a, hc_stmt_text(q, 1)),
                                        hc_arena_strdup(w->a, hc_stmt_text(q, 3)),
                                        hc_stmt_int(q, 2)};
    }
    hc_stmt_reset(q);
    if (rc != HC_DONE) {
        free(ps);
        return rc;
    }
    rc = HC_OK;
    char cause[HC_CODE_MAX + 16];
    snprintf(cause, sizeof(cause), "%s/%s", w->warehouse, dstr);
    int64_t at = w->mid[j->plan->day + 1 - w->first_day] - 1; /* the day's last ms */
    /* sellers priced now */
    for (size_t i = 0; rc == HC_OK && i < j->plan->n; i++) {
        const struct desired *ds = &j->plan->d[i];
        const char *seller = w->sn.sellers[ds->seller_ix];
        struct posted_sum *same = NULL;
        bool any = false;
        for (size_t k = 0; k < nps; k++)
            if (strcmp(ps[k].seller, seller) == 0) {
                any = true;
                if (strcmp(ps[k].currency, ds->charge.currency) == 0)
                    same = &ps[k];
            }
        struct fin_post p = {.warehouse = w->warehouse, .seller = seller, .kind = "storage",
                             .day = dstr, .card = ds->card, .actor = w->actor, .at = at};
        if (!any) {
            p.cause_kind = HC_CAUSE_STORAGE;
            p.cause_id = cause;
            rc = fin_post_charge(s, &p, &ds->charge, NULL, err);
            j->entries += ds->charge.total != 0;
            continue;
        }
        int64_t have = same ? same->minor : 0;
        if (have == ds->charge.total)
            continue;
        struct hc_charge c = {.currency = ds->charge.currency};
        hc_strlcpy(c.lines[0].label, "storage re-rated", sizeof(c.lines[0].label));
        c.lines[0].basis = 1;
        c.lines[0].minor = c.total = ds->charge.total - have;
        c.n = 1;
        p.cause_kind = HC_CAUSE_CORRECTION;
        p.cause_id = same ? same->first_entry : ps[0].first_entry;
        rc = fin_post_charge(s, &p, &c, NULL, err);
        j->entries++;
    }
    /* booked amounts no card asks for any more: taken back */
    for (size_t k = 0; rc == HC_OK && k < nps; k++) {
        if (ps[k].minor == 0)
            continue;
        bool wanted = false;
        for (size_t i = 0; i < j->plan->n; i++) {
            const struct desired *ds = &j->plan->d[i];
            if (strcmp(w->sn.sellers[ds->seller_ix], ps[k].seller) == 0 &&
                strcmp(ds->charge.currency, ps[k].currency) == 0)
                wanted = true;
        }
        if (wanted)
            continue;
        struct hc_charge c = {.currency = ps[k].currency, .n = 1, .total = -ps[k].minor};
        hc_strlcpy(c.lines[0].label, "storage re-rated", sizeof(c.lines[0].label));
        c.lines[0].basis = 1;
        c.lines[0].minor = -ps[k].minor;
        struct fin_post p = {.warehouse = w->warehouse, .seller = ps[k].seller,
                             .kind = "storage", .cause_kind = HC_CAUSE_CORRECTION,
                             .cause_id = ps[k].first_entry, .day = dstr, .card = "",
                             .actor = w->actor, .at = at};
        rc = fin_post_charge(s, &p, &c, NULL, err);
        j->entries++;
    }
    free(ps);
    return rc;
}

struct clear_job {
    const char *warehouse, *rerate_from;
};
static int clear_rerate_job(hc_store *s, void *ctx, hc_err *err)
{
    struct clear_job *c = ctx;
    return hc_store_run(s, err, NULL,
                        "UPDATE fin_storage_state SET rerate_from = '' WHERE warehouse = ?"
                        " AND rerate_from = ?",
                        "ss", c->warehouse, c->rerate_from);
}

struct rerate_job {
    const char *warehouse, *actor;
    char day[11];
    int entries;
};
static int rerate_events_job(hc_store *s, void *ctx, hc_err *err)
{
    struct rerate_job *j = ctx;
    j->entries = 0;
    /* the same lock as a storage day: one re-rating at a time per warehouse */
    int rc = hc_store_run(s, err, NULL,
                          "UPDATE fin_storage_state SET updated_at = ? WHERE warehouse = ?", "is",
                          hc_now_ms(), j->warehouse);
    if (rc != HC_OK)
        return rc;
    hc_arena *a = hc_arena_new(1 << 14);
    rc = fin_rerate_events(s, a, j->warehouse, j->day, j->actor, &j->entries, err);
    hc_arena_free(a);
    return rc;
}

/* ---- the run ----------------------------------------------------------------------------------- */

#define CATCH_UP_MAX_DAYS 400

static int run_warehouse(hc_db *db, hc_store *rd, const char *warehouse, const char *tz,
                         const char *day, const char *actor, struct hc_storage_result *res,
                         hc_err *err)
{
    hc_arena *a = hc_arena_new(1 << 16);
    struct wh_run w = {.warehouse = warehouse, .tz = tz, .actor = actor, .a = a};
    char today[11];
    int rc = HC_OK;
    if (hc_tz_day(tz, hc_now_ms(), today) != HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "time zone %s of %s", tz, warehouse);
        goto done;
    }
    int64_t yesterday = day_no(today) - 1, first, last;
    const char *rerate = "";
    if (day) {
        first = last = day_no(day);
        if (first < 0) {
            rc = hc_err_set(err, HC_EINVAL, "date", "must be a date YYYY-MM-DD");
            goto done;
        }
        if (first > yesterday) {
            rc = hc_err_set(err, HC_EINVAL, "date",
                            "%s has not ended yet in %s (%s): storage is charged for ended days",
                            day, warehouse, tz);
            goto done;
        }
    } else {
        /* from the day after the last run (or the first card's first day), and from
         * the first day a back-dated card changed */
        hc_stmt *q;
        const char *last_day = "";
        if ((rc = hc_store_query(rd, err, &q,
                                 "SELECT last_day, rerate_from FROM fin_storage_state"
                                 " WHERE warehouse = ?",
                                 "s", warehouse)) != HC_OK)
            goto done;
        int st = hc_stmt_step(q, err);
        if (st == HC_ROW) {
            last_day = hc_arena_strdup(a, hc_stmt_text(q, 0));
            rerate = hc_arena_strdup(a, hc_stmt_text(q, 1));
        }
        hc_stmt_reset(q);
        if (st != HC_ROW && st != HC_DONE) {
            rc = st;
            goto done;
        }
        char minfrom[16] = "";
        if ((rc = hc_store_query(rd, err, &q,
                                 "SELECT COALESCE(MIN(effective_from), '') FROM rate_cards"
                                 " WHERE warehouse = ?",
                                 "s", warehouse)) != HC_OK)
            goto done;
        if ((st = hc_stmt_step(q, err)) == HC_ROW)
            hc_strlcpy(minfrom, hc_stmt_text(q, 0), sizeof(minfrom));
        hc_stmt_reset(q);
        if (st != HC_ROW) {
            rc = st;
            goto done;
        }
        if (minfrom[0] == '\0')
            goto done; /* no card: nothing to charge */
        first = *last_day ? day_no(last_day) + 1 : day_no(minfrom);
        if (*rerate && day_no(rerate) < first)
            first = day_no(rerate);
        if (first < day_no(minfrom))
            first = day_no(minfrom);
        last = yesterday;
        if (last - first + 1 > CATCH_UP_MAX_DAYS)
            first = last - CATCH_UP_MAX_DAYS + 1;
        if (first > last)
            goto events;
    }
    hc_stmt *q;
    int64_t nbin = 0;
    if ((rc = hc_store_query(rd, err, &q,
                             "SELECT COUNT(*) FROM rate_cards WHERE warehouse = ?"
                             " AND storage_basis = 'bin'",
                             "s", warehouse)) != HC_OK)
        goto done;
    if (hc_stmt_step(q, err) == HC_ROW)
        nbin = hc_stmt_int(q, 0);
    hc_stmt_reset(q);
    w.bins = nbin > 0;
    struct day_plan *plans = hc_arena_alloc(a, (size_t)(last - first + 1) * sizeof(*plans));
    if ((rc = plan_days(rd, &w, first, last, plans, err)) != HC_OK)
        goto done;
    for (int64_t i = 0; i <= last - first; i++) {
        struct post_job j = {.w = &w, .plan = &plans[i], .advance = day == NULL};
        if ((rc = hc_db_write(db, post_day_job, &j, err)) != HC_OK)
            goto done;
        res->days++;
        res->entries += j.entries;
        for (size_t k = 0; k < plans[i].n; k++)
            res->lots += plans[i].d[k].lots;
    }
events:
    /* charges at events from the first re-rated day to today, one job a day */
    for (int64_t d = *rerate ? day_no(rerate) : 0; rc == HC_OK && *rerate && d <= yesterday + 1;
         d++) {
        struct rerate_job j = {.warehouse = warehouse, .actor = actor};
        day_str(d, j.day);
        rc = hc_db_write(db, rerate_events_job, &j, err);
        res->entries += j.entries;
    }
    if (rc == HC_OK && *rerate) {
        struct clear_job c = {warehouse, rerate};
        rc = hc_db_write(db, clear_rerate_job, &c, err);
    }
done:
    snap_free(&w.sn);
    hc_arena_free(a);
    return rc;
}

int hc_storage_run(hc_db *db, const char *warehouse, const char *day, const char *actor,
                   struct hc_storage_result *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    hc_store *rd = hc_db_reader(db, err);
    if (rd == NULL)
        return err->code ? err->code : HC_EUNAVAILABLE;
    if (day && day_no(day) < 0)
        return hc_err_set(err, HC_EINVAL, "date", "must be a date YYYY-MM-DD");
    hc_arena *a = hc_arena_new(4096);
    hc_stmt *q;
    int rc = hc_store_query(rd, err, &q,
                            "SELECT code, timezone FROM warehouses WHERE (? = '' OR code = ?)"
                            " ORDER BY code",
                            "ss", warehouse ? warehouse : "", warehouse ? warehouse : "");
    const char **codes = NULL, **tzs = NULL;
    size_t n = 0;
    while (rc == HC_OK) {
        int st = hc_stmt_step(q, err);
        if (st == HC_DONE)
            break;
        if (st != HC_ROW) {
            rc = st;
            break;
        }
        codes = xrealloc(codes, (n + 1) * sizeof(char *));
        tzs = xrealloc(tzs, (n + 1) * sizeof(char *));
        codes[n] = hc_arena_strdup(a, hc_stmt_text(q, 0));
        tzs[n++] = hc_arena_strdup(a, hc_stmt_text(q, 1));
    }
    if (rc == HC_OK)
        hc_stmt_reset(q);
    if (rc == HC_OK && warehouse && n == 0)
        rc = hc_err_set(err, HC_EINVAL, "warehouse", "no warehouse %s", warehouse);
    for (size_t i = 0; rc == HC_OK && i < n; i++)
        rc = run_warehouse(db, rd, codes[i], tzs[i], day, actor ? actor : "storage-run", out,
                           err);
    free(codes);
    free(tzs);
    hc_arena_free(a);
    return rc;
}

/* ---- the timer ------------------------------------------------------------------------------------ */

static struct {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool running, stop;
    hc_db *db;
    int period_s;
} timer = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *timer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&timer.mu);
    while (!timer.stop) {
        pthread_mutex_unlock(&timer.mu);
        struct hc_storage_result r;
        hc_err err = {0};
        int rc = hc_storage_run(timer.db, NULL, NULL, "storage-run", &r, &err);
        if (rc != HC_OK)
            hc_log(HC_LOG_WARN, "storage run: %s", err.msg);
        else if (r.entries > 0)
            hc_log(HC_LOG_INFO, "storage run: %d warehouse-days, %d entries, %lld lots", r.days,
                   r.entries, (long long)r.lots);
        pthread_mutex_lock(&timer.mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += timer.period_s;
        while (!timer.stop && pthread_cond_timedwait(&timer.cv, &timer.mu, &ts) == 0)
            ;
    }
    pthread_mutex_unlock(&timer.mu);
    return NULL;
}

int hc_storage_timer_start(hc_db *db, int period_s, hc_err *err)
{
    pthread_mutex_lock(&timer.mu);
    if (timer.running) {
        pthread_mutex_unlock(&timer.mu);
        return HC_OK;
    }
    timer.db = db;
    timer.period_s = period_s > 0 ? period_s : 60;
    timer.stop = false;
    int e = pthread_create(&timer.th, NULL, timer_main, NULL);
    timer.running = e == 0;
    pthread_mutex_unlock(&timer.mu);
    return e == 0 ? HC_OK : hc_err_set(err, HC_EINTERNAL, "", "storage timer thread: %d", e);
}

void hc_storage_timer_stop(void)
{
    pthread_mutex_lock(&timer.mu);
    if (!timer.running) {
        pthread_mutex_unlock(&timer.mu);
        return;
    }
    timer.stop = true;
    pthread_cond_broadcast(&timer.cv);
    pthread_mutex_unlock(&timer.mu);
    pthread_join(timer.th, NULL);
    timer.running = false;
}

/* summary.c: grouping released lists into summary declarations (汇总申报).
 *
 * One pass over the lists with two open-addressing hash tables (merge groups,
 * declaration lines keyed by group); then each group's lists are packed into
 * declarations of at most HC_CUSTOMS_SUM_LINES_MAX lines (first fit over the
 * group's last few declarations: a list is never split, its items stay in one
 * declaration); then one pass lays the result out in the arena.
 * O(lists + items) for the usual few lines per list; no floating point. */
#include "customs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_PRIME 1099511628211ULL
#define FNV_BASIS 14695981039346656037ULL

typedef struct grp {
    const char *ebc, *owner, *traf, *country, *port, *customs;
    uint64_t h;
    int64_t gross, net, total;
    size_t n_invt, n_lines;
    size_t last_part, n_parts; /* last_part: index + 1, 0 = none yet */
} grp;

typedef struct line {
    size_t g;
    const char *gcode, *country, *currency, *unit1, *name;
    uint64_t h;
    int64_t qty1, total;
    size_t n_items;
} line;

/* One declaration: a part of a merge group. keys are line indexes (l[]). */
typedef struct part {
    size_t g, prev;   /* prev: the group's previous part + 1, 0 = none */
    size_t seq;       /* 1-based within the group */
    uint32_t keys[HC_CUSTOMS_SUM_LINES_MAX];
    int64_t qty1[HC_CUSTOMS_SUM_LINES_MAX], total[HC_CUSTOMS_SUM_LINES_MAX];
    size_t n_items[HC_CUSTOMS_SUM_LINES_MAX];
    size_t nk, n_invt;
    int64_t gross, net, sum;
} part;

#define PART_WINDOW 16 /* how many of a group's latest declarations a list may join */

typedef struct htab {
    uint32_t *slot; /* index + 1; 0 = empty */
    size_t cap;
} htab;

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= FNV_PRIME;
    }
    h ^= 0x1f; /* field separator, so "ab","c" != "a","bc" */
    return h * FNV_PRIME;
}

static bool eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int dec(const char *s, int64_t *v)
{
    size_t i = 0;
    while (s && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i > 13)
        return HC_EINVAL;
    return hc_decimal_parse(s, 5, v);
}

static bool empty(const char *s)
{
    return s == NULL || *s == '\0';
}

/* Grows t to hold at least n entries at load <= 1/2; rehash uses hashes(i). */
static int tab_grow(htab *t, size_t n, const uint64_t *hashes, size_t stride)
{
    if (t->cap >= 2 * n + 2)
        return HC_OK;
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < 2 * n + 2)
        cap *= 2;
    uint32_t *s = calloc(cap, sizeof(*s));
    if (s == NULL)
        return HC_EINTERNAL;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slot[i] == 0)
            continue;
        uint64_t h = *(const uint64_t *)((const char *)hashes + (t->slot[i] - 1) * stride);
        size_t j = h & (cap - 1);
        while (s[j])
            j = (j + 1) & (cap - 1);
        s[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = s;
    t->cap = cap;
    return HC_OK;
}

#define OOM()                                                                                     \
    do {                                                                                          \
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");                                  \
        goto done;                                                                                \
    } while (0)
#define OVERFLOW()                                                                                \
    do {                                                                                          \
        rc = hc_err_set(err, HC_EINVAL, "lists", "a summary total overflows");                    \
        goto done;                                                                                \
    } while (0)

static bool add_ok(int64_t *acc, int64_t v)
{
    return !__builtin_add_overflow(*acc, v, acc);
}

int hc_customs_summarise(hc_arena *a, const hc_customs_rel_list *lists, size_t n,
                         int summaryFlag, int itemNameFlag, hc_customs_summary **out,
                         size_t *n_out, hc_err *err)
{
    int rc = HC_OK;
    grp *g = NULL;
    line *l = NULL;
    size_t ng = 0, capg = 0, nl = 0, capl = 0;
    size_t *list_g = NULL, *list_p = NULL, *item_li = NULL, *item_off = NULL;
    int64_t *item_q = NULL, *item_t = NULL, *list_gw = NULL, *list_nw = NULL;
    part *P = NULL;
    size_t np = 0, capp = 0;
    htab tg = {0}, tl = {0};
    char f[HC_ERR_FIELD_MAX];
    if (summaryFlag != 1 && summaryFlag != 2)
        return hc_err_set(err, HC_EINVAL, "summaryFlag", "must be 1 or 2");
    if (itemNameFlag != 0 && itemNameFlag != 1)
        return hc_err_set(err, HC_EINVAL, "itemNameFlag", "must be 0 or 1");
    if (n >= UINT32_MAX / 2)
        return hc_err_set(err, HC_ETOOBIG, "lists", "too many lists");
    /* Size the line table for the worst case up front: no rehash on the way. */
    size_t all_items = 0;
    for (size_t i = 0; i < n; i++)
        all_items += lists[i].n_items;
    if (all_items >= UINT32_MAX / 4 || tab_grow(&tl, all_items, NULL, 0) != HC_OK)
        OOM();
    if (n > 0 && ((list_g = malloc(n * sizeof(*list_g))) == NULL ||
                  (list_p = malloc(n * sizeof(*list_p))) == NULL ||
                  (item_off = malloc((n + 1) * sizeof(*item_off))) == NULL ||
                  (list_gw = malloc(n * sizeof(*list_gw))) == NULL ||
                  (list_nw = malloc(n * sizeof(*list_nw))) == NULL))
        OOM();
    if (all_items > 0 && ((item_li = malloc(all_items * sizeof(*item_li))) == NULL ||
                          (item_q = malloc(all_items * sizeof(*item_q))) == NULL ||
                          (item_t = malloc(all_items * sizeof(*item_t))) == NULL))
        OOM();
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const hc_customs_rel_list *L = &lists[i];
        const char *owner = summaryFlag == 2 ? L->ownerCode : NULL;
        const char *miss = empty(L->invtNo) ? "invtNo" : empty(L->ebcCode) ? "ebcCode"
                           : empty(L->trafMode) ? "trafMode" : empty(L->country) ? "country"
                           : empty(L->portCode) ? "portCode"
                           : empty(L->customsCode) ? "customsCode"
                           : (summaryFlag == 2 && empty(owner)) ? "ownerCode" : NULL;
        if (miss) {
            snprintf(f, sizeof(f), "lists[%zu].%s", i, miss);
            rc = hc_err_set(err, HC_EINVAL, f, "is required for the summary");
            goto done;
        }
        int64_t gw = 0, nw = 0;
        if ((L->grossWeight && dec(L->grossWeight, &gw) != HC_OK) ||
            (L->netWeight && dec(L->netWeight, &nw) != HC_OK)) {
            snprintf(f, sizeof(f), "lists[%zu].%s", i,
                     L->grossWeight && dec(L->grossWeight, &gw) != HC_OK ? "grossWeight"
                                                                         : "netWeight");
            rc = hc_err_set(err, HC_EINVAL, f, "must be a decimal with at most 5 places");
            goto done;
        }
        uint64_t h = fnv(fnv(fnv(fnv(fnv(fnv(FNV_BASIS, L->ebcCode), owner), L->trafMode),
                                 L->country), L->portCode), L->customsCode);
        if (ng + 1 > capg) {
            capg = capg ? capg * 2 : 64;
            grp *ng2 = realloc(g, capg * sizeof(*g));
            if (ng2 == NULL)
                OOM();
            g = ng2;
        }
        if (tab_grow(&tg, ng + 1, &g[0].h, sizeof(grp)) != HC_OK)
            OOM();
        size_t j = h & (tg.cap - 1), gi;
        for (;;) {
            uint32_t s = tg.slot[j];
            if (s == 0) {
                gi = ng++;
                g[gi] = (grp){L->ebcCode, owner, L->trafMode, L->country, L->portCode,
                              L->customsCode, h, 0, 0, 0, 0, 0, 0, 0};
                tg.slot[j] = (uint32_t)(gi + 1);
                break;
            }
            grp *c = &g[s - 1];
            if (c->h == h && eq(c->ebc, L->ebcCode) && eq(c->owner, owner) &&
                eq(c->traf, L->trafMode) && eq(c->country, L->country) &&
                eq(c->port, L->portCode) && eq(c->customs, L->customsCode)) {
                gi = s - 1;
                break;
            }
            j = (j + 1) & (tg.cap - 1);
        }
        list_g[i] = gi;
        list_gw[i] = gw;
        list_nw[i] = nw;
        item_off[i] = at;
        grp *G = &g[gi];
        G->n_invt++;
        if (!add_ok(&G->gross, gw) || !add_ok(&G->net, nw))
            OVERFLOW();
        if (L->n_items == 0 || L->items == NULL) {
            snprintf(f, sizeof(f), "lists[%zu].items", i);
            rc = hc_err_set(err, HC_EINVAL, f, "a list has at least one item");
            goto done;
        }
        for (size_t k = 0; k < L->n_items; k++) {
            const hc_customs_rel_item *it = &L->items[k];
            const char *name = itemNameFlag ? it->itemName : NULL;
            int64_t q = 0, t = 0;
            const char *bad = NULL;
            if (empty(it->gcode) || strlen(it->gcode) != 10 || !hc_all_digits(it->gcode, 10))
                bad = "gcode";
            else if (empty(it->country))
                bad = "country";
            else if (empty(it->currency))
                bad = "currency";
            else if (empty(it->unit1))
                bad = "unit1";
            else if (itemNameFlag && empty(name))
                bad = "itemName";
            else if (dec(it->qty1, &q) != HC_OK || q <= 0)
                bad = "qty1";
            else if (dec(it->totalPrice, &t) != HC_OK)
                bad = "totalPrice";
            if (bad) {
                snprintf(f, sizeof(f), "lists[%zu].items[%zu].%s", i, k, bad);
                rc = hc_err_set(err, HC_EINVAL, f, "missing or invalid for the summary");
                goto done;
            }
            uint64_t lh = fnv(fnv(fnv(fnv(fnv(h + gi, it->gcode), it->country), it->currency),
                                  it->unit1), name);
            if (nl + 1 > capl) {
                capl = capl ? capl * 2 : 256;
                line *nl2 = realloc(l, capl * sizeof(*l));
                if (nl2 == NULL)
                    OOM();
                l = nl2;
            }
            if (nl + 1 >= UINT32_MAX / 2 || tab_grow(&tl, nl + 1, &l[0].h, sizeof(line)) != HC_OK)
                OOM();
            size_t m = lh & (tl.cap - 1), li;
            for (;;) {
                uint32_t s = tl.slot[m];
                if (s == 0) {
                    li = nl++;
                    l[li] = (line){gi, it->gcode, it->country, it->currency, it->unit1, name, lh,
                                   0, 0, 0};
                    tl.slot[m] = (uint32_t)(li + 1);
                    G->n_lines++;
                    break;
                }
                line *c = &l[s - 1];
                if (c->h == lh && c->g == gi && eq(c->gcode, it->gcode) &&
                    eq(c->country, it->country) && eq(c->currency, it->currency) &&
                    eq(c->unit1, it->unit1) && eq(c->name, name)) {
                    li = s - 1;
                    break;
                }
                m = (m + 1) & (tl.cap - 1);
            }
            l[li].n_items++;
            if (!add_ok(&l[li].qty1, q) || !add_ok(&l[li].total, t) || !add_ok(&G->total, t))
                OVERFLOW();
            item_li[at] = li;
            item_q[at] = q;
            item_t[at++] = t;
        }
    }
    if (n > 0)
        item_off[n] = at;
    /* Pack each group's lists into declarations of at most
     * HC_CUSTOMS_SUM_LINES_MAX lines; sums are per declaration, and a part's
     * sums are bounded by its group's, checked above. */
    for (size_t i = 0; i < n; i++) {
        uint32_t mine[HC_CUSTOMS_SUM_LINES_MAX + 1];
        size_t nm = 0;
        for (size_t k = item_off[i]; k < item_off[i + 1]; k++) {
            size_t j = 0;
            while (j < nm && mine[j] != (uint32_t)item_li[k])
                j++;
            if (j < nm)
                continue;
            if (nm == HC_CUSTOMS_SUM_LINES_MAX) {
                snprintf(f, sizeof(f), "lists[%zu].items", i);
                rc = hc_err_set(err, HC_EINVAL, f,
                                "the list alone gives more than %d declaration lines",
                                HC_CUSTOMS_SUM_LINES_MAX);
                goto done;
            }
            mine[nm++] = (uint32_t)item_li[k];
        }
        grp *G = &g[list_g[i]];
        size_t pi = 0, tries = 0;
        bool found = false;
        for (size_t c = G->last_part; c != 0 && tries < PART_WINDOW; c = P[c - 1].prev, tries++) {
            part *C = &P[c - 1];
            size_t add = 0;
            for (size_t j = 0; j < nm; j++) {
                size_t k = 0;
                while (k < C->nk && C->keys[k] != mine[j])
                    k++;
                add += k == C->nk;
            }
            if (C->nk + add <= HC_CUSTOMS_SUM_LINES_MAX) {
                pi = c - 1;
                found = true;
                break;
            }
        }
        if (!found) {
            if (np + 1 > capp) {
                capp = capp ? capp * 2 : 16;
                part *p2 = realloc(P, capp * sizeof(*P));
                if (p2 == NULL)
                    OOM();
                P = p2;
            }
            pi = np++;
            memset(&P[pi], 0, sizeof(P[pi]));
            P[pi].g = list_g[i];
            P[pi].prev = G->last_part;
            P[pi].seq = ++G->n_parts;
            G->last_part = pi + 1;
        }
        part *C = &P[pi];
        list_p[i] = pi;
        C->n_invt++;
        C->gross += list_gw[i];
        C->net += list_nw[i];
        for (size_t k = item_off[i]; k < item_off[i + 1]; k++) {
            size_t j = 0;
            while (j < C->nk && C->keys[j] != (uint32_t)item_li[k])
                j++;
            if (j == C->nk)
                C->keys[C->nk++] = (uint32_t)item_li[k];
            C->qty1[j] += item_q[k];
            C->total[j] += item_t[k];
            C->n_items[j]++;
            C->sum += item_t[k];
        }
    }
    /* Lay out: declarations in order of creation (a group's first one where
     * the group first appears), lines in order of first appearance. */
    hc_customs_summary *sum = hc_arena_alloc(a, (np ? np : 1) * sizeof(*sum));
    for (size_t i = 0; i < np; i++) {
        hc_customs_summary *S = &sum[i];
        const grp *G = &g[P[i].g];
        S->ebcCode = G->ebc;
        S->ownerCode = G->owner;
        S->trafMode = G->traf;
        S->country = G->country;
        S->portCode = G->port;
        S->customsCode = G->customs;
        S->grossWeight = P[i].gross;
        S->netWeight = P[i].net;
        S->totalPrice = P[i].sum;
        S->part = P[i].seq;
        S->n_parts = G->n_parts;
        S->invtNos = hc_arena_alloc(a, P[i].n_invt * sizeof(char *));
        S->lines = hc_arena_alloc(a, (P[i].nk ? P[i].nk : 1) * sizeof(hc_customs_sum_line));
        for (size_t k = 0; k < P[i].nk; k++) {
            const line *L = &l[P[i].keys[k]];
            S->lines[S->n_lines++] = (hc_customs_sum_line){L->gcode, L->country, L->currency,
                                                           L->unit1, L->name, P[i].qty1[k],
                                                           P[i].total[k], P[i].n_items[k]};
        }
    }
    for (size_t i = 0; i < n; i++) {
        hc_customs_summary *S = &sum[list_p[i]];
        S->invtNos[S->n_invt++] = lists[i].invtNo;
    }
    ng = np;
    *out = sum;
    *n_out = ng;
done:
    free(g);
    free(l);
    free(list_g);
    free(list_p);
    free(item_li);
    free(item_off);
    free(item_q);
    free(item_t);
    free(list_gw);
    free(list_nw);
    free(P);
    free(tg.slot);
    free(tl.slot);
    return rc;
}

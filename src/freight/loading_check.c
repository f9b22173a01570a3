/* Independent plan checker for container loading.
 *
 * Written against the problem definition only: it shares no code or data
 * structure with the solver in loading.c, so a solver bug cannot hide itself
 * here. Every test and the benchmark run plans through it; a plan it rejects
 * counts as zero. */
#include "freight/freight.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct contact {
    int32_t below; /* placement index of the supporting carton */
    int64_t area;
} contact;

static int reject(hc_err *err, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "placements[i]" and the broken rule; returns HC_EUNPROC. */
static int reject(hc_err *err, size_t i, const char *fmt, ...)
{
    char f[HC_ERR_FIELD_MAX];
    snprintf(f, sizeof(f), "placements[%zu]", i);
    char m[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof(m), fmt, ap);
    va_end(ap);
    return hc_err_set(err, HC_EUNPROC, f, "%s", m);
}

static int64_t overlap1(int32_t a0, int32_t a1, int32_t b0, int32_t b1)
{
    int32_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? (int64_t)(hi - lo) : 0;
}

/* Is (dx,dy,dz) an orientation of carton k that keeps an allowed side up? */
static bool orientation_ok(const hc_loading_carton *k, int32_t dx, int32_t dy, int32_t dz)
{
    for (int v = 0; v < 3; v++) {
        if (!k->vertical_ok[v] || k->dims[v] != dz)
            continue;
        int32_t a = k->dims[(v + 1) % 3], b = k->dims[(v + 2) % 3];
        if ((a == dx && b == dy) || (a == dy && b == dx))
            return true;
    }
    return false;
}

static int by_x(const void *a, const void *b, void *arg)
{
    const hc_loading_placement *pl = arg;
    const hc_loading_placement *p = &pl[*(const int32_t *)a], *q = &pl[*(const int32_t *)b];
    if (p->container != q->container)
        return p->container < q->container ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

static int by_top(const void *a, const void *b, void *arg)
{
    const hc_loading_placement *pl = arg;
    const hc_loading_placement *p = &pl[*(const int32_t *)a], *q = &pl[*(const int32_t *)b];
    if (p->container != q->container)
        return p->container < q->container ? -1 : 1;
    int32_t tp = p->z + p->dz, tq = q->z + q->dz;
    if (tp != tq)
        return tp < tq ? -1 : 1;
    return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

static int by_z_desc(const void *a, const void *b, void *arg)
{
    const hc_loading_placement *pl = arg;
    const hc_loading_placement *p = &pl[*(const int32_t *)a], *q = &pl[*(const int32_t *)b];
    if (p->z != q->z)
        return p->z > q->z ? -1 : 1;
    return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

static int loading_group(const hc_loading_problem *p, int32_t carton)
{
    int32_t g = p->cartons[carton].group;
    return (p->n_groups == 0 || g < 0) ? 0 : (int)p->n_groups - g;
}

int hc_loading_check(const hc_loading_problem *p, const hc_loading_placement *pl, size_t n,
                     hc_err *err)
{
    int rc = HC_OK;
    int32_t *used = calloc(p->n_cartons + 1, sizeof(int32_t));
    int64_t *cw = calloc(p->n_containers + 1, sizeof(int64_t));
    int32_t *ix = malloc(sizeof(int32_t) * (n + 1));
    int32_t *cstart = malloc(sizeof(int32_t) * (n + 1)), *ccount = calloc(n + 1, sizeof(int32_t));
    contact *cs = NULL;
    size_t ncs = 0, capcs = 0;
    double *load = calloc(n + 1, sizeof(double));
    int *lastg = malloc(sizeof(int) * (p->n_containers + 1));
    if (!used || !cw || !ix || !cstart || !ccount || !load || !lastg)
        abort();
    for (size_t c = 0; c < p->n_containers; c++)
        lastg[c] = -1;

    /* 1. each placement alone */
    for (size_t i = 0; i < n; i++) {
        const hc_loading_placement *q = &pl[i];
        if (q->carton < 0 || (size_t)q->carton >= p->n_cartons) {
            rc = reject(err, i, "unknown carton %d of %zu", q->carton, p->n_cartons);
            goto fail;
        }
        if (q->container < 0 || (size_t)q->container >= p->n_containers) {
            rc = reject(err, i, "unknown container %d of %zu", q->container,
                        p->n_containers);
            goto fail;
        }
        const hc_loading_container *c = &p->containers[q->container];
        const hc_loading_carton *k = &p->cartons[q->carton];
        if (q->x < 0 || q->y < 0 || q->z < 0 || (int64_t)q->x + q->dx > c->l ||
            (int64_t)q->y + q->dy > c->w || (int64_t)q->z + q->dz > c->h) {
            rc = reject(err, i, "outside the container (x=%d y=%d z=%d dims %dx%dx%d)", q->x,
                        q->y, q->z, q->dx, q->dy, q->dz);
            goto fail;
        }
        if (!orientation_ok(k, q->dx, q->dy, q->dz)) {
            rc = reject(err, i, "orientation %dx%dx%d not allowed for carton %s", q->dx, q->dy,
                        q->dz, k->id);
            goto fail;
        }
        if (++used[q->carton] > k->qty) {
            rc = reject(err, i, "carton %s placed more than its qty %d", k->id, k->qty);
            goto fail;
        }
        cw[q->container] += k->weight_g;
        if (c->max_weight_g != HC_LOADING_NO_LIMIT && cw[q->container] > c->max_weight_g) {
            rc = reject(err, i, "container payload exceeded: %lld g over %lld g",
                        (long long)cw[q->container], (long long)c->max_weight_g);
            goto fail;
        }
        int g = loading_group(p, q->carton);
        if (g < lastg[q->container]) {
            rc = reject(err, i, "group loaded out of drop order (%d after %d)", g,
                        lastg[q->container]);
            goto fail;
        }
        lastg[q->container] = g;
    }

    /* 2. no two cartons overlap: sweep along x per container */
    for (size_t i = 0; i < n; i++)
        ix[i] = (int32_t)i;
    qsort_r(ix, n, sizeof(int32_t), by_x, (void *)pl);
    for (size_t a = 0; a < n; a++) {
        const hc_loading_placement *q = &pl[ix[a]];
        for (size_t b = a + 1; b < n; b++) {
            const hc_loading_placement *r = &pl[ix[b]];
            if (r->container != q->container || r->x >= q->x + q->dx)
                break;
            if (overlap1(q->y, q->y + q->dy, r->y, r->y + r->dy) > 0 &&
                overlap1(q->z, q->z + q->dz, r->z, r->z + r->dz) > 0) {
                rc = reject(err, (size_t)(ix[a] > ix[b] ? ix[a] : ix[b]), "overlaps placements[%d]",
                            ix[a] < ix[b] ? ix[a] : ix[b]);
                goto fail;
            }
        }
    }

    /* 3. contacts: who rests on whom (tops at the same height as a bottom) */
    qsort_r(ix, n, sizeof(int32_t), by_top, (void *)pl);
    for (size_t i = 0; i < n; i++) {
        const hc_loading_placement *q = &pl[i];
        cstart[i] = (int32_t)ncs;
        if (q->z == 0)
            continue;
        /* binary search the first carton in this container whose top is q->z */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const hc_loading_placement *r = &pl[ix[mid]];
            if (r->container < q->container ||
                (r->container == q->container && r->z + r->dz < q->z))
                lo = mid + 1;
            else
                hi = mid;
        }
        int64_t area = 0;
        for (size_t b = lo; b < n; b++) {
            const hc_loading_placement *r = &pl[ix[b]];
            if (r->container != q->container || r->z + r->dz != q->z)
                break;
            int64_t a = overlap1(q->x, q->x + q->dx, r->x, r->x + r->dx) *
                        overlap1(q->y, q->y + q->dy, r->y, r->y + r->dy);
            if (a == 0)
                continue;
            if ((size_t)ix[b] > i) {
                rc = reject(err, i, "loaded before placements[%d] it rests on",
                            ix[b]);
                goto fail;
            }
            if (ncs == capcs) {
                capcs = capcs ? capcs * 2 : 256;
                cs = realloc(cs, sizeof(contact) * capcs);
                if (cs == NULL)
                    abort();
            }
            cs[ncs++] = (contact){ix[b], a};
            area += a;
        }
        ccount[i] = (int32_t)(ncs - (size_t)cstart[i]);
        if (p->support == HC_LOADING_SUPPORT_FULL && area != (int64_t)q->dx * q->dy) {
            rc = reject(err, i, "not fully supported: %lld of %lld mm2", (long long)area,
                        (long long)q->dx * q->dy);
            goto fail;
        }
    }

    /* 4. load on fragile cartons: from the top down, each carton passes its
     * weight plus its load to its supporters in proportion to contact area */
    qsort_r(ix, n, sizeof(int32_t), by_z_desc, (void *)pl);
    for (size_t a = 0; a < n; a++) {
        int32_t i = ix[a];
        const hc_loading_carton *k = &p->cartons[pl[i].carton];
        if (k->max_load_g != HC_LOADING_NO_LIMIT &&
            load[i] > (double)k->max_load_g * (1 + 1e-9) + 1e-6) {
            rc = reject(err, (size_t)i, "fragile carton overloaded: %lld g on it, max %lld g",
                        (long long)(load[i] + 0.5), (long long)k->max_load_g);
            goto fail;
        }
        int64_t total = 0;
        for (int32_t j = 0; j < ccount[i]; j++)
            total += cs[cstart[i] + j].area;
        for (int32_t j = 0; j < ccount[i]; j++) {
            const contact *t = &cs[cstart[i] + j];
            load[t->below] += ((double)k->weight_g + load[i]) * (double)t->area / (double)total;
        }
    }
fail:
    free(used);
    free(cw);
    free(ix);
    free(cstart);
    free(ccount);
    free(cs);
    free(load);
    free(lastg);
    return rc;
}

/* Reader for the Bischoff & Ratcliff / Davies & Bischoff container loading
 * instances (OR-Library thpack format), used by the CLI and the benchmark. */
#include "freight/freight.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rd {
    const char *s;
    size_t n, pos;
    size_t line;
} rd;

/* Next whitespace-separated integer in [min, max]; HC_EINVAL naming what. */
static int next_int(rd *r, int64_t min, int64_t max, const char *what, int64_t *out, hc_err *err)
{
    while (r->pos < r->n && isspace((unsigned char)r->s[r->pos])) {
        if (r->s[r->pos] == '\n')
            r->line++;
        r->pos++;
    }
    size_t st = r->pos;
    while (r->pos < r->n && !isspace((unsigned char)r->s[r->pos]))
        r->pos++;
    size_t len = r->pos - st;
    char tok[24];
    if (len == 0)
        return hc_err_set(err, HC_EINVAL, what, "line %zu: missing number", r->line);
    if (len >= sizeof(tok))
        return hc_err_set(err, HC_EINVAL, what, "line %zu: number too long", r->line);
    memcpy(tok, r->s + st, len);
    tok[len] = '\0';
    if (hc_parse_i64(tok, min, max, out) != HC_OK)
        return hc_err_set(err, HC_EINVAL, what, "line %zu: \"%s\" is not an integer in %lld..%lld",
                          r->line, tok, (long long)min, (long long)max);
    return HC_OK;
}

void hc_loading_br_free(hc_loading_br *v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i].cartons);
    free(v);
}

int hc_loading_br_parse(const char *s, size_t n, hc_loading_br **out, size_t *n_out, hc_err *err)
{
    rd r = {s, n, 0, 1};
    int rc;
    int64_t np, v;
    hc_loading_br *all = NULL;
    size_t got = 0;
    if ((rc = next_int(&r, 1, 10000, "problems", &np, err)) != HC_OK)
        goto fail;
    if ((all = calloc((size_t)np, sizeof(*all))) == NULL)
        abort();
    for (got = 0; got < (size_t)np; got++) {
        hc_loading_br *b = &all[got];
        int64_t l, w, h, nt;
        if ((rc = next_int(&r, 1, 1000000, "problem.number", &v, err)) != HC_OK ||
            (rc = next_int(&r, 0, INT64_MAX, "problem.seed", &v, err)) != HC_OK)
            goto fail;
        b->number = (int32_t)got + 1;
        if ((rc = next_int(&r, 1, HC_LOADING_DIM_MAX, "container.l", &l, err)) != HC_OK ||
            (rc = next_int(&r, 1, HC_LOADING_DIM_MAX, "container.w", &w, err)) != HC_OK ||
            (rc = next_int(&r, 1, HC_LOADING_DIM_MAX, "container.h", &h, err)) != HC_OK ||
            (rc = next_int(&r, 1, 10000, "box_types", &nt, err)) != HC_OK)
            goto fail;
        snprintf(b->container.id, sizeof(b->container.id), "BR-%d", b->number);
        b->container.l = (int32_t)l;
        b->container.w = (int32_t)w;
        b->container.h = (int32_t)h;
        b->container.max_weight_g = HC_LOADING_NO_LIMIT;
        if ((b->cartons = calloc((size_t)nt, sizeof(hc_loading_carton))) == NULL)
            abort();
        b->n_cartons = (size_t)nt;
        for (int64_t t = 0; t < nt; t++) {
            hc_loading_carton *k = &b->cartons[t];
            if ((rc = next_int(&r, 1, 1000000, "box.index", &v, err)) != HC_OK)
                goto fail;
            snprintf(k->id, sizeof(k->id), "%lld", (long long)v);
            for (int d = 0; d < 3; d++) {
                if ((rc = next_int(&r, 1, HC_LOADING_DIM_MAX, "box.dim", &v, err)) != HC_OK)
                    goto fail;
                k->dims[d] = (int32_t)v;
                if ((rc = next_int(&r, 0, 1, "box.vertical_flag", &v, err)) != HC_OK)
                    goto fail;
                k->vertical_ok[d] = v == 1;
            }
            if ((rc = next_int(&r, 1, 1000000, "box.qty", &v, err)) != HC_OK)
                goto fail;
            k->qty = (int32_t)v;
            k->max_load_g = HC_LOADING_NO_LIMIT;
            k->group = -1;
        }
    }
    *out = all;
    *n_out = got;
    return HC_OK;
fail:
    hc_loading_br_free(all, all ? (size_t)np : 0);
    *out = NULL;
    *n_out = 0;
    return rc;
}

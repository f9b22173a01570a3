/* JSON glue for container loading: request validation, plan JSON, SVG.
 * The solver, checker and picture live in src/freight; this file only maps
 * JSON to hc_loading_problem and back. */
#include "api/h_loading.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freight/freight.h"

#define MAX_CONTAINERS 64
#define MAX_LINES 5000
#define MAX_TOTAL_QTY 20000
#define MAX_TIME_MS 60000
#define DEFAULT_TIME_MS 2000
#define SVG_MAX (64u << 20)

typedef struct req {
    hc_loading_problem p;
    hc_loading_container *containers;
    hc_loading_carton *cartons;
    const char **groups; /* group names, drop order */
    int32_t *sorted;     /* carton indices sorted by id, for lookups */
} req;

static int bad(hc_err *err, int code, const char *field, const char *msg)
{
    return hc_err_set(err, code, field, "%s", msg);
}

/* Integer member in [min, max]; absent -> *out = dflt unless required. */
static int get_int(json_t *o, const char *key, const char *field, int64_t min, int64_t max,
                   bool required, int64_t dflt, int64_t *out, hc_err *err)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(err, HC_EINVAL, field, "is required");
        *out = dflt;
        return HC_OK;
    }
    if (!json_is_integer(v))
        return hc_err_set(err, HC_EINVAL, field, "must be an integer");
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return hc_err_set(err, HC_EINVAL, field, "must be %lld..%lld", (long long)min,
                          (long long)max);
    *out = n;
    return HC_OK;
}

static int get_id(json_t *o, const char *field, char *dst, size_t n, hc_err *err)
{
    json_t *v = json_object_get(o, "id");
    if (!json_is_string(v))
        return hc_err_set(err, HC_EINVAL, field, "is required and must be a string");
    const char *s = json_string_value(v);
    size_t len = strlen(s);
    if (len == 0 || len >= n)
        return hc_err_set(err, HC_EINVAL, field, "must be 1..%zu characters", n - 1);
    if (!hc_utf8_valid(s, len))
        return hc_err_set(err, HC_EINVAL, field, "must be UTF-8");
    memcpy(dst, s, len + 1);
    return HC_OK;
}

static int get_dims(json_t *o, const char *field, int32_t d[3], hc_err *err)
{
    json_t *v = json_object_get(o, "dims_mm");
    if (!json_is_array(v) || json_array_size(v) != 3)
        return hc_err_set(err, HC_EINVAL, field, "must be an array of 3 integers [l, w, h]");
    for (size_t i = 0; i < 3; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) < 1 ||
            json_integer_value(e) > HC_LOADING_DIM_MAX)
            return hc_err_set(err, HC_EINVAL, field, "each side must be an integer 1..%d mm",
                              HC_LOADING_DIM_MAX);
        d[i] = (int32_t)json_integer_value(e);
    }
    return HC_OK;
}

static int by_id(const void *a, const void *b, void *arg)
{
    const req *r = arg;
    return strcmp(r->cartons[*(const int32_t *)a].id, r->cartons[*(const int32_t *)b].id);
}

static int find_carton(const req *r, const char *id)
{
    size_t lo = 0, hi = r->p.n_cartons;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(r->cartons[r->sorted[mid]].id, id);
        if (c == 0)
            return r->sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int parse_containers(json_t *body, req *r, hc_arena *a, hc_err *err)
{
    char f[HC_ERR_FIELD_MAX];
    json_t *arr = json_object_get(body, "containers");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return bad(err, HC_EINVAL, "containers", "must be a non-empty array");
    if (json_array_size(arr) > MAX_CONTAINERS)
        return hc_err_set(err, HC_ETOOBIG, "containers", "at most %d containers",
                          MAX_CONTAINERS);
    size_t n = json_array_size(arr);
    r->containers = hc_arena_alloc(a, sizeof(hc_loading_container) * n);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        hc_loading_container *c = &r->containers[i];
        int rc;
        int64_t v = 0;
        snprintf(f, sizeof(f), "containers[%zu]", i);
        if (!json_is_object(o))
            return bad(err, HC_EINVAL, f, "must be an object");
        snprintf(f, sizeof(f), "containers[%zu].id", i);
        if ((rc = get_id(o, f, c->id, sizeof(c->id), err)) != HC_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->containers[j].id, c->id) == 0)
                return hc_err_set(err, HC_EINVAL, f, "duplicate id \"%s\"", c->id);
        json_t *t = json_object_get(o, "type");
        json_t *d = json_object_get(o, "dims_mm");
        c->max_weight_g = HC_LOADING_NO_LIMIT;
        if (t != NULL && d != NULL) {
            snprintf(f, sizeof(f), "containers[%zu].type", i);
            return bad(err, HC_EINVAL, f, "give either type or dims_mm, not both");
        }
        if (t != NULL) {
            snprintf(f, sizeof(f), "containers[%zu].type", i);
            if (!json_is_string(t) ||
                hc_loading_container_type(json_string_value(t), c) != HC_OK)
                return bad(err, HC_EINVAL, f, "must be one of 20GP, 40GP, 40HQ, 45HQ");
        } else {
            snprintf(f, sizeof(f), "containers[%zu].dims_mm", i);
            int32_t dm[3];
            if ((rc = get_dims(o, f, dm, err)) != HC_OK)
                return rc;
            c->l = dm[0];
            c->w = dm[1];
            c->h = dm[2];
        }
        snprintf(f, sizeof(f), "containers[%zu].max_weight_g", i);
        if ((rc = get_int(o, "max_weight_g", f, 0, INT64_MAX - 1, false, c->max_weight_g, &v,
                          err)) != HC_OK)
            return rc;
        c->max_weight_g = v;
    }
    r->p.containers = r->containers;
    r->p.n_containers = n;
    return HC_OK;
}

static int parse_cartons(json_t *body, req *r, hc_arena *a, hc_err *err)
{
    char f[HC_ERR_FIELD_MAX];
    json_t *arr = json_object_get(body, "cartons");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return bad(err, HC_EINVAL, "cartons", "must be a non-empty array");
    size_t n = json_array_size(arr);
    if (n > MAX_LINES)
        return hc_err_set(err, HC_ETOOBIG, "cartons", "at most %d carton lines", MAX_LINES);
    r->cartons = hc_arena_alloc(a, sizeof(hc_loading_carton) * n);
    r->groups = hc_arena_alloc(a, sizeof(char *) * n);
    r->sorted = hc_arena_alloc(a, sizeof(int32_t) * n);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        hc_loading_carton *k = &r->cartons[i];
        int rc;
        int64_t v = 0;
        snprintf(f, sizeof(f), "cartons[%zu]", i);
        if (!json_is_object(o))
            return bad(err, HC_EINVAL, f, "must be an object");
        snprintf(f, sizeof(f), "cartons[%zu].id", i);
        if ((rc = get_id(o, f, k->id, sizeof(k->id), err)) != HC_OK)
            return rc;
        snprintf(f, sizeof(f), "cartons[%zu].dims_mm", i);
        if ((rc = get_dims(o, f, k->dims, err)) != HC_OK)
            return rc;
        snprintf(f, sizeof(f), "cartons[%zu].weight_g", i);
        if ((rc = get_int(o, "weight_g", f, 0, 100000000, true, 0, &v, err)) != HC_OK)
            return rc;
        k->weight_g = v;
        snprintf(f, sizeof(f), "cartons[%zu].qty", i);
        if ((rc = get_int(o, "qty", f, 1, MAX_TOTAL_QTY, true, 0, &v, err)) != HC_OK)
            return rc;
        k->qty = (int32_t)v;
        total += v;
        if (total > MAX_TOTAL_QTY)
            return hc_err_set(err, HC_ETOOBIG, f, "total qty over all cartons exceeds %d",
                              MAX_TOTAL_QTY);
        snprintf(f, sizeof(f), "cartons[%zu].max_load_g", i);
        if ((rc = get_int(o, "max_load_g", f, 0, INT64_MAX - 1, false, HC_LOADING_NO_LIMIT, &v,
                          err)) != HC_OK)
            return rc;
        k->max_load_g = v;
        snprintf(f, sizeof(f), "cartons[%zu].vertical_ok", i);
        json_t *vo = json_object_get(o, "vertical_ok");
        if (vo == NULL || json_is_null(vo)) {
            k->vertical_ok[0] = k->vertical_ok[1] = k->vertical_ok[2] = true;
        } else {
            if (!json_is_array(vo) || json_array_size(vo) != 3)
                return bad(err, HC_EINVAL, f, "must be an array of 3 booleans");
            for (size_t d = 0; d < 3; d++) {
                json_t *e = json_array_get(vo, d);
                if (!json_is_boolean(e))
                    return bad(err, HC_EINVAL, f, "must be an array of 3 booleans");
                k->vertical_ok[d] = json_is_true(e);
            }
            if (!k->vertical_ok[0] && !k->vertical_ok[1] && !k->vertical_ok[2])
                return bad(err, HC_EINVAL, f, "at least one side must be allowed vertical");
        }
        k->group = -1;
        json_t *g = json_object_get(o, "group");
        if (g != NULL && !json_is_null(g)) {
            snprintf(f, sizeof(f), "cartons[%zu].group", i);
            if (!json_is_string(g) || json_string_length(g) == 0 ||
                json_string_length(g) >= HC_LOADING_ID_MAX)
                return bad(err, HC_EINVAL, f, "must be a string of 1..63 characters");
            const char *name = json_string_value(g);
            size_t gi;
            for (gi = 0; gi < r->p.n_groups; gi++)
                if (strcmp(r->groups[gi], name) == 0)
                    break;
            if (gi == r->p.n_groups)
                r->groups[r->p.n_groups++] = hc_arena_strdup(a, name);
            k->group = (int32_t)gi;
        }
        r->sorted[i] = (int32_t)i;
    }
    r->p.cartons = r->cartons;
    r->p.n_cartons = n;
    qsort_r(r->sorted, n, sizeof(int32_t), by_id, r);
    for (size_t i = 1; i < n; i++)
        if (strcmp(r->cartons[r->sorted[i]].id, r->cartons[r->sorted[i - 1]].id) == 0) {
            int32_t later = r->sorted[i] > r->sorted[i - 1] ? r->sorted[i] : r->sorted[i - 1];
            snprintf(f, sizeof(f), "cartons[%d].id", later);
            return hc_err_set(err, HC_EINVAL, f, "duplicate id \"%s\"", r->cartons[later].id);
        }
    return HC_OK;
}

static int parse_request(json_t *body, req *r, hc_arena *a, hc_err *err)
{
    int rc;
    int64_t v = 0;
    memset(r, 0, sizeof(*r));
    if (!json_is_object(body))
        return bad(err, HC_EINVAL, "", "request body must be a JSON object");
    if ((rc = parse_containers(body, r, a, err)) != HC_OK ||
        (rc = parse_cartons(body, r, a, err)) != HC_OK)
        return rc;
    json_t *opt = json_object_get(body, "options");
    r->p.support = HC_LOADING_SUPPORT_FULL;
    r->p.time_limit_ms = DEFAULT_TIME_MS;
    r->p.seed = 1;
    if (opt != NULL && !json_is_null(opt)) {
        if (!json_is_object(opt))
            return bad(err, HC_EINVAL, "options", "must be an object");
        json_t *s = json_object_get(opt, "support");
        if (s != NULL) {
            const char *sv = json_is_string(s) ? json_string_value(s) : "";
            if (strcmp(sv, "full") == 0)
                r->p.support = HC_LOADING_SUPPORT_FULL;
            else if (strcmp(sv, "none") == 0)
                r->p.support = HC_LOADING_SUPPORT_NONE;
            else
                return bad(err, HC_EINVAL, "options.support", "must be \"full\" or \"none\"");
        }
        if ((rc = get_int(opt, "time_limit_ms", "options.time_limit_ms", 1, MAX_TIME_MS, false,
                          DEFAULT_TIME_MS, &v, err)) != HC_OK)
            return rc;
        r->p.time_limit_ms = v;
        if ((rc = get_int(opt, "seed", "options.seed", 0, INT64_MAX, false, 1, &v, err)) != HC_OK)
            return rc;
        r->p.seed = (uint64_t)v;
    }
    return hc_loading_validate(&r->p, err);
}

static json_t *dims_json(int32_t a, int32_t b, int32_t c)
{
    return json_pack("[iii]", (json_int_t)a, (json_int_t)b, (json_int_t)c);
}

static double round6(double v)
{
    return (double)(int64_t)(v * 1e6 + 0.5) / 1e6;
}

static json_t *plan_json(const req *r, const hc_loading_plan *plan)
{
    const hc_loading_problem *p = &r->p;
    json_t *out = json_object(), *cs = json_array(), *pl = json_array(), *un = json_array();
    for (size_t c = 0; c < plan->n_containers; c++) {
        const hc_loading_container *k = &p->containers[c];
        const hc_loading_container_stats *s = &plan->stats[c];
        json_t *o = json_pack("{s:s, s:o, s:b, s:i, s:i, s:f, s:f, s:I}", "id", k->id, "dims_mm",
                              dims_json(k->l, k->w, k->h), "used", s->n_placed > 0, "cartons",
                              s->n_placed, "steps", s->n_steps, "utilisation_volume",
                              round6(s->util_volume), "utilisation_weight",
                              round6(s->util_weight), "weight_g", (json_int_t)s->weight_g);
        if (k->type[0])
            json_object_set_new(o, "type", json_string(k->type));
        json_object_set_new(o, "max_weight_g", k->max_weight_g == HC_LOADING_NO_LIMIT
                                                   ? json_null()
                                                   : json_integer(k->max_weight_g));
        if (s->n_placed > 0)
            json_object_set_new(o, "centre_of_gravity_mm",
                                json_pack("[fff]", round6(s->cog[0]), round6(s->cog[1]),
                                          round6(s->cog[2])));
        json_array_append_new(cs, o);
    }
    for (size_t i = 0; i < plan->n_placements; i++) {
        const hc_loading_placement *q = &plan->placements[i];
        const hc_loading_carton *k = &p->cartons[q->carton];
        json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:o, s:i}", "seq",
                              (json_int_t)i + 1, "carton", k->id, "container",
                              p->containers[q->container].id, "x", q->x, "y", q->y, "z", q->z,
                              "dims_mm", dims_json(q->dx, q->dy, q->dz), "step", q->step + 1);
        if (k->group >= 0)
            json_object_set_new(o, "group", json_string(r->groups[k->group]));
        json_array_append_new(pl, o);
    }
    for (size_t i = 0; i < p->n_cartons; i++)
        if (plan->unplaced[i] > 0)
            json_array_append_new(un, json_pack("{s:s, s:i}", "carton", p->cartons[i].id, "qty",
                                                plan->unplaced[i]));
    json_object_set_new(out, "containers_used", json_integer((json_int_t)plan->n_used));
    json_object_set_new(out, "utilisation_volume", json_real(round6(plan->util_volume)));
    json_object_set_new(out, "utilisation_weight", json_real(round6(plan->util_weight)));
    json_object_set_new(out, "support",
                        json_string(p->support == HC_LOADING_SUPPORT_FULL ? "full" : "none"));
    json_object_set_new(out, "time_limit_ms", json_integer(p->time_limit_ms));
    json_object_set_new(out, "seed", json_integer((json_int_t)p->seed));
    json_object_set_new(out, "elapsed_ms", json_integer(plan->elapsed_ms));
    json_object_set_new(out, "containers", cs);
    json_object_set_new(out, "placements", pl);
    json_object_set_new(out, "unplaced", un);
    return out;
}

struct hc_api_loading_req {
    hc_arena *arena, *own; /* own: made here, freed by hc_api_loading_free */
    req r;
};

int hc_api_loading_parse(json_t *request, hc_arena *a, hc_api_loading_req **out, hc_err *err)
{
    hc_arena *own = a == NULL ? hc_arena_new(1 << 16) : NULL;
    hc_api_loading_req *q = hc_arena_alloc(a ? a : own, sizeof(*q));
    int rc;
    q->arena = a ? a : own;
    q->own = own;
    *out = NULL;
    if ((rc = parse_request(request, &q->r, q->arena, err)) != HC_OK) {
        hc_api_loading_free(q);
        return rc;
    }
    *out = q;
    return HC_OK;
}

int64_t hc_api_loading_time_ms(const hc_api_loading_req *q)
{
    return q->r.p.time_limit_ms;
}

void hc_api_loading_free(hc_api_loading_req *q)
{
    if (q != NULL && q->own != NULL)
        hc_arena_free(q->own);
}

int hc_api_loading_run(hc_api_loading_req *q, json_t **plan_out, char **svg_out, hc_err *err)
{
    int rc;
    hc_loading_plan plan = {0};
    hc_buf svg;
    hc_buf_init(&svg, SVG_MAX);
    *plan_out = NULL;
    if (svg_out)
        *svg_out = NULL;
    if ((rc = hc_loading_solve(&q->r.p, &plan, err)) != HC_OK)
        goto fail;
    if (svg_out && (rc = hc_loading_svg(&q->r.p, &plan, &svg)) != HC_OK) {
        rc = hc_err_set(err, rc, "", "the plan picture is over %u bytes", SVG_MAX);
        goto fail;
    }
    *plan_out = plan_json(&q->r, &plan);
    if (svg_out) {
        *svg_out = svg.p;
        svg.p = NULL;
    }
    rc = HC_OK;
    goto done;
fail:
    hc_buf_free(&svg);
done:
    hc_loading_plan_free(&plan);
    return rc;
}

int hc_api_loading_plan(json_t *request, json_t **plan_out, char **svg_out, hc_err *err)
{
    hc_api_loading_req *q;
    *plan_out = NULL;
    *svg_out = NULL;
    int rc = hc_api_loading_parse(request, NULL, &q, err);
    if (rc != HC_OK)
        return rc;
    rc = hc_api_loading_run(q, plan_out, svg_out, err);
    hc_api_loading_free(q);
    return rc;
}

static int parse_placements(json_t *plan, const req *r, hc_loading_placement *v, hc_err *err)
{
    char f[HC_ERR_FIELD_MAX];
    json_t *arr = json_object_get(plan, "placements");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        hc_loading_placement *q = &v[i];
        int64_t x, y, z;
        int rc;
        snprintf(f, sizeof(f), "placements[%zu]", i);
        if (!json_is_object(o))
            return bad(err, HC_EINVAL, f, "must be an object");
        snprintf(f, sizeof(f), "placements[%zu].carton", i);
        json_t *c = json_object_get(o, "carton");
        if (!json_is_string(c) || (q->carton = find_carton(r, json_string_value(c))) < 0)
            return bad(err, HC_EINVAL, f, "must name a carton of the request");
        snprintf(f, sizeof(f), "placements[%zu].container", i);
        json_t *k = json_object_get(o, "container");
        q->container = -1;
        for (size_t j = 0; json_is_string(k) && j < r->p.n_containers; j++)
            if (strcmp(r->containers[j].id, json_string_value(k)) == 0)
                q->container = (int32_t)j;
        if (q->container < 0)
            return bad(err, HC_EINVAL, f, "must name a container of the request");
        const char *keys[3] = {"x", "y", "z"};
        int64_t *dst[3] = {&x, &y, &z};
        for (int d = 0; d < 3; d++) {
            snprintf(f, sizeof(f), "placements[%zu].%s", i, keys[d]);
            if ((rc = get_int(o, keys[d], f, -HC_LOADING_DIM_MAX, HC_LOADING_DIM_MAX, true, 0,
                              dst[d], err)) != HC_OK)
                return rc;
        }
        q->x = (int32_t)x;
        q->y = (int32_t)y;
        q->z = (int32_t)z;
        snprintf(f, sizeof(f), "placements[%zu].dims_mm", i);
        int32_t dm[3];
        if ((rc = get_dims(o, f, dm, err)) != HC_OK)
            return rc;
        q->dx = dm[0];
        q->dy = dm[1];
        q->dz = dm[2];
        int64_t step = 1;
        snprintf(f, sizeof(f), "placements[%zu].step", i);
        if ((rc = get_int(o, "step", f, 1, INT32_MAX, false, 1, &step, err)) != HC_OK)
            return rc;
        q->step = (int32_t)step - 1;
    }
    return HC_OK;
}

/* How many placements the plan has: plan.placements must be an array of at
 * most MAX_TOTAL_QTY. */
static int count_placements(json_t *plan, size_t *n, hc_err *err)
{
    json_t *arr = json_is_object(plan) ? json_object_get(plan, "placements") : NULL;
    if (!json_is_array(arr))
        return bad(err, HC_EINVAL, "placements", "must be an array");
    *n = json_array_size(arr);
    if (*n > MAX_TOTAL_QTY)
        return hc_err_set(err, HC_ETOOBIG, "placements", "at most %d placements", MAX_TOTAL_QTY);
    return HC_OK;
}

int hc_api_loading_check(json_t *request, json_t *plan, json_t **report_out, hc_err *err)
{
    int rc;
    req r;
    hc_arena *a = hc_arena_new(1 << 16);
    *report_out = NULL;
    size_t n = 0;
    if ((rc = parse_request(request, &r, a, err)) != HC_OK ||
        (rc = count_placements(plan, &n, err)) != HC_OK)
        goto done;
    hc_loading_placement *v = hc_arena_alloc(a, sizeof(*v) * (n + 1));
    if ((rc = parse_placements(plan, &r, v, err)) != HC_OK)
        goto done;
    if ((rc = hc_loading_check(&r.p, v, n, err)) != HC_OK)
        goto done;
    int64_t vol = 0, cap = 0;
    bool *used = hc_arena_alloc(a, r.p.n_containers);
    for (size_t i = 0; i < n; i++) {
        vol += (int64_t)v[i].dx * v[i].dy * v[i].dz;
        used[v[i].container] = true;
    }
    size_t nused = 0;
    for (size_t c = 0; c < r.p.n_containers; c++)
        if (used[c]) {
            nused++;
            cap += (int64_t)r.containers[c].l * r.containers[c].w * r.containers[c].h;
        }
    *report_out = json_pack("{s:b, s:I, s:I, s:f, s:I}", "valid", 1, "placed", (json_int_t)n,
                            "containers_used", (json_int_t)nused, "utilisation_volume",
                            cap ? round6((double)vol / (double)cap) : 0.0, "volume",
                            (json_int_t)vol);
done:
    hc_arena_free(a);
    return rc;
}

int hc_api_loading_svg(json_t *request, json_t *plan, char **svg_out, hc_err *err)
{
    int rc;
    req r;
    hc_loading_plan lp = {0};
    hc_buf svg;
    hc_buf_init(&svg, SVG_MAX);
    hc_arena *a = hc_arena_new(1 << 16);
    *svg_out = NULL;
    size_t n = 0;
    if ((rc = parse_request(request, &r, a, err)) != HC_OK ||
        (rc = count_placements(plan, &n, err)) != HC_OK)
        goto done;
    lp.placements = calloc(n + 1, sizeof(*lp.placements));
    if (lp.placements == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto done;
    }
    lp.n_placements = n;
    if ((rc = parse_placements(plan, &r, lp.placements, err)) != HC_OK)
        goto done;
    hc_loading_plan_stats(&r.p, &lp);
    if ((rc = hc_loading_svg(&r.p, &lp, &svg)) != HC_OK) {
        rc = hc_err_set(err, rc, "", "the plan picture is over %u bytes", SVG_MAX);
        goto done;
    }
    *svg_out = svg.p;
    svg.p = NULL;
done:
    hc_buf_free(&svg);
    hc_loading_plan_free(&lp);
    hc_arena_free(a);
    return rc;
}

/* h_plans.c: the loading-plan routes. Planning and drawing run on a planner
 * thread (planq.c) with the connection suspended, so a big plan holds no
 * HTTP thread; the JSON glue is h_loading.c, storage warehouse's
 * loading_plans.c. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "h_loading.h"

#define SVG_WORK_MS 1000 /* about what drawing a large plan costs, for Retry-After */

struct plan_ctx {
    hc_api_loading_req *q;
    const char *owner, *id;
    char *plan_text, *request_text; /* in the request's arena */
};

static int plan_job(hc_store *s, void *ctx, hc_err *err)
{
    struct plan_ctx *c = ctx;
    return hc_loading_plan_put(s, c->owner, c->id, c->plan_text, c->request_text, err);
}

static int plan_render(struct req *r)
{
    /* plan_work left the plan as r->out, so a failed write frees it too */
    return api_reply(r, 201, json_incref(r->out));
}

/* On a planner thread: solve, then store through the writer. */
static void plan_work(struct req *r)
{
    struct plan_ctx *c = r->ctx;
    json_t *plan = NULL;
    int rc = hc_api_loading_run(c->q, &plan, NULL, &r->err); /* c->q is in r's arena */
    if (rc != HC_OK) {
        api_fail(r);
        return;
    }
    json_object_set_new(plan, "id", json_string(c->id));
    json_object_set_new(plan, "svg_url",
                        json_string(hc_arena_printf(r->arena, "/v1/loading-plans/%s.svg", c->id)));
    char *text = json_dumps(plan, JSON_COMPACT);
    r->out = plan;
    char *req_text = json_dumps(r->json, JSON_COMPACT);
    c->plan_text = hc_arena_strdup(r->arena, text);
    c->request_text = hc_arena_strdup(r->arena, req_text);
    free(text);
    free(req_text);
    api_write(r, plan_job, plan_render, c);
}

int h_plan_create(struct req *r)
{
    json_t *b;
    struct plan_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    if (jv_body(r, &b) || hc_api_loading_parse(b, r->arena, &c->q, &r->err) != HC_OK)
        return api_fail(r);
    char id[HC_ID_MAX];
    hc_id_format("lpl", hc_id_next(), id, sizeof(id));
    c->id = hc_arena_strdup(r->arena, id);
    c->owner = r->who.role == ROLE_SELLER ? r->who.seller : "*";
    r->ctx = c;
    return api_offload(r, plan_work, hc_api_loading_time_ms(c->q));
}

static int plan_lookup(struct req *r, struct hc_stored_plan *sp)
{
    hc_store *st = api_reader(r);
    if (st == NULL)
        return r->err.code;
    return hc_loading_plan_get(st, r->arena, r->params[0],
                               r->who.role == ROLE_SELLER ? r->who.seller : NULL, sp, &r->err);
}

int h_plan_get(struct req *r)
{
    struct hc_stored_plan sp;
    if (plan_lookup(r, &sp))
        return api_fail(r);
    r->status = 200;
    r->raw = strdup(sp.plan);
    r->raw_type = "application/json; charset=utf-8";
    return HC_OK;
}

/* On a planner thread: draw the stored plan. */
static void svg_work(struct req *r)
{
    struct hc_stored_plan *sp = r->ctx;
    json_t *req = json_loads(sp->request, 0, NULL), *plan = json_loads(sp->plan, 0, NULL);
    char *svg = NULL;
    if (req == NULL || plan == NULL) {
        hc_err_set(&r->err, HC_EINTERNAL, "", "stored plan %s is not JSON", r->params[0]);
        api_fail(r);
    } else if (hc_api_loading_svg(req, plan, &svg, &r->err) != HC_OK) {
        if (r->err.code < 500) /* a stored plan the glue refuses is our fault */
            r->err.code = HC_EINTERNAL;
        api_fail(r);
    } else {
        r->status = 200;
        r->raw = svg;
        r->raw_type = "image/svg+xml";
    }
    json_decref(req);
    json_decref(plan);
}

int h_plan_svg(struct req *r)
{
    struct hc_stored_plan *sp = hc_arena_alloc(r->arena, sizeof(*sp));
    if (plan_lookup(r, sp))
        return api_fail(r);
    if (sp->svg != NULL || sp->request == NULL) { /* stored with its picture */
        r->status = 200;
        r->raw = strdup(sp->svg ? sp->svg : "");
        r->raw_type = "image/svg+xml";
        return HC_OK;
    }
    r->ctx = sp;
    return api_offload(r, svg_work, SVG_WORK_MS);
}

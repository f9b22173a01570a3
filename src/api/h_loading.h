/* api: JSON glue for container loading plans (POST /v1/loading-plans).
 *
 * Turns a request body into an hc_loading_problem, solves it and answers the
 * plan as JSON plus its SVG picture. Limits enforced here (413/400 naming the
 * field): at most 64 containers, 5000 carton lines, total qty 20000, sides
 * 1..20000 mm, time_limit_ms 1..60000. */
#ifndef HC_API_H_LOADING_H
#define HC_API_H_LOADING_H

#include <jansson.h>

#include "base/base.h"

/* Validates request (the POST body), solves it and returns the plan
 * (*plan_out, caller json_decref()s it) and the SVG text (*svg_out,
 * malloc'd, caller frees). On error returns the hc_err code (HC_EINVAL /
 * HC_ETOOBIG with err->field such as "cartons[2].dims_mm") and sets
 * neither output. */
int hc_api_loading_plan(json_t *request, json_t **plan_out, char **svg_out, hc_err *err);

/* The same in steps, so a server can refuse a bad request at once and
 * plan on another thread: parse and validate (errors as above) into *out,
 * which lives in arena a (NULL: an arena of its own, freed by
 * hc_api_loading_free; with a, freeing is a's owner's), then run: the plan,
 * and the SVG when svg_out is not NULL. */
typedef struct hc_api_loading_req hc_api_loading_req;
int hc_api_loading_parse(json_t *request, hc_arena *a, hc_api_loading_req **out, hc_err *err);
int64_t hc_api_loading_time_ms(const hc_api_loading_req *q);
int hc_api_loading_run(hc_api_loading_req *q, json_t **plan_out, char **svg_out, hc_err *err);
void hc_api_loading_free(hc_api_loading_req *q);

/* Draws a plan answered earlier (its "placements", with "step") for the
 * request it answered: *svg_out malloc'd. Errors as for
 * hc_api_loading_check's parsing. */
int hc_api_loading_svg(json_t *request, json_t *plan, char **svg_out, hc_err *err);

/* Checks a plan (an object with "placements" as answered by
 * hc_api_loading_plan, in loading order) against request with the
 * independent checker. HC_OK and *report_out = {"valid":true,
 * "placed":n, "utilisation_volume":u, "containers_used":k}; HC_EINVAL when
 * the plan JSON is malformed; HC_EUNPROC naming "placements[i]" when a
 * constraint is broken. */
int hc_api_loading_check(json_t *request, json_t *plan, json_t **report_out, hc_err *err);

#endif

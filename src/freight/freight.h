/* freight: head-haul legs and container loading.
 *
 * Container loading plans how cartons fill one or more containers:
 * hc_loading_solve() builds a plan (block building into maximal free spaces
 * with supported floors, chosen by a look-ahead tree search whose effort
 * doubles until the time limit), hc_loading_check() verifies any
 * plan independently of the solver (it shares no code with it), and
 * hc_loading_svg() draws it. Units are integers: mm and g for real cargo,
 * any consistent unit for benchmark instances. Nothing here knows JSON or
 * HTTP; the API and CLI glue live in src/api and src/cli. */
#ifndef HC_FREIGHT_H
#define HC_FREIGHT_H

#include "base/base.h"

#define HC_LOADING_ID_MAX 64
#define HC_LOADING_DIM_MAX 20000         /* mm, any side of a carton or container */
#define HC_LOADING_NO_LIMIT INT64_MAX    /* max_weight_g / max_load_g: unlimited */

/* One container instance. l along x (back wall to door), w across (y), h up (z). */
typedef struct hc_loading_container {
    char id[HC_LOADING_ID_MAX];
    char type[16];          /* "40HQ" when built in, "" otherwise */
    int32_t l, w, h;        /* inside dimensions, 1..HC_LOADING_DIM_MAX */
    int64_t max_weight_g;   /* payload limit; HC_LOADING_NO_LIMIT for none */
} hc_loading_container;

/* One carton line: qty identical cartons. */
typedef struct hc_loading_carton {
    char id[HC_LOADING_ID_MAX];
    int32_t dims[3];        /* as declared, each 1..HC_LOADING_DIM_MAX */
    int64_t weight_g;       /* per carton, >= 0 */
    int32_t qty;            /* >= 1 */
    bool vertical_ok[3];    /* dims[i] may stand vertical (be the height) */
    int64_t max_load_g;     /* weight it may carry on top; HC_LOADING_NO_LIMIT for none */
    int32_t group;          /* index into hc_loading_problem.groups, or -1 */
} hc_loading_carton;

enum hc_loading_support {
    HC_LOADING_SUPPORT_FULL = 0, /* every carton's base rests fully on floor or carton tops */
    HC_LOADING_SUPPORT_NONE = 1, /* no support rule */
};

/* A problem. The caller owns every array. Containers are filled one after
 * another in the given order, so list the preferred ones first. Groups
 * are listed in drop order (the first group is unloaded first): the last
 * group is loaded first, against the back wall, and every group's cartons
 * form one contiguous run of the loading sequence. */
typedef struct hc_loading_problem {
    const hc_loading_container *containers;
    size_t n_containers;
    const hc_loading_carton *cartons;
    size_t n_cartons;
    size_t n_groups;        /* cartons[i].group < n_groups */
    int support;            /* enum hc_loading_support */
    int64_t time_limit_ms;  /* wall time for the whole plan, >= 1 */
    uint64_t seed;          /* same seed and inputs give the same plan (within the time) */
} hc_loading_problem;

/* One placed carton. The array order is the loading sequence: a crew loads
 * placements[0] first (at the back wall) and the last one next to the door.
 * dx, dy, dz are the carton's dims as placed. */
typedef struct hc_loading_placement {
    int32_t carton;         /* index into problem.cartons */
    int32_t container;      /* index into problem.containers */
    int32_t x, y, z;        /* back-left-floor corner */
    int32_t dx, dy, dz;
    int32_t step;           /* loading step within its container, 0-based */
} hc_loading_placement;

typedef struct hc_loading_container_stats {
    int32_t n_placed;
    int32_t n_steps;
    int64_t volume;         /* placed carton volume */
    int64_t weight_g;
    double cog[3];          /* centre of gravity (x, y, z) by weight; by volume when weights are 0 */
    double util_volume;     /* volume / container volume */
    double util_weight;     /* weight / max_weight_g; 0 when unlimited */
} hc_loading_container_stats;

/* A plan; owned by the caller, freed with hc_loading_plan_free(). */
typedef struct hc_loading_plan {
    hc_loading_placement *placements;
    size_t n_placements;
    hc_loading_container_stats *stats; /* n_containers entries, unused ones zero */
    size_t n_containers;               /* == problem.n_containers */
    size_t n_used;                     /* containers with at least one carton */
    int32_t *unplaced;                 /* per carton line: qty left over */
    double util_volume;                /* over the containers used */
    double util_weight;                /* over the used containers with a payload limit */
    int64_t elapsed_ms;
} hc_loading_plan;

/* Validates the problem (HC_EINVAL naming "containers[i].dims_mm",
 * "cartons[i].qty", ...) and builds a plan within time_limit_ms. Cartons that
 * fit nowhere are reported in plan->unplaced, which is not an error. The plan
 * passes hc_loading_check(); a failure there is a bug (HC_EINTERNAL). */
int hc_loading_solve(const hc_loading_problem *p, hc_loading_plan *plan, hc_err *err);
void hc_loading_plan_free(hc_loading_plan *plan);
/* (Re)computes plan->stats, n_used and the utilisations from its
 * placements, e.g. for a plan read back to be drawn. */
void hc_loading_plan_stats(const hc_loading_problem *p, hc_loading_plan *plan);

/* Validates the problem alone; used by the solver and by the glue. */
int hc_loading_validate(const hc_loading_problem *p, hc_err *err);

/* Independent checker: every placement lies inside its container, has an
 * orientation its carton allows, overlaps no other; no carton line is placed
 * more than qty times; each container's payload holds; with full support every
 * carton's base area rests entirely on the floor or on carton tops; the load
 * on a carton (weights passed down in proportion to contact area) stays within
 * its max_load_g; each carton's supporters come earlier in the sequence; and
 * groups are loaded in reverse drop order. HC_OK or HC_EUNPROC naming
 * "placements[i]" and the rule broken. */
int hc_loading_check(const hc_loading_problem *p, const hc_loading_placement *pl, size_t n,
                     hc_err *err);

/* Built-in container types (ISO inside dimensions and payloads, typical
 * values): "20GP", "40GP", "40HQ", "45HQ". Fills c (not its id) and returns
 * HC_OK, or HC_ENOTFOUND. */
int hc_loading_container_type(const char *type, hc_loading_container *c);

/* SVG picture of the plan: per used container an isometric view and one view
 * per loading step (new cartons coloured by group, earlier ones grey).
 * Appends to out (bounded by its max). */
int hc_loading_svg(const hc_loading_problem *p, const hc_loading_plan *plan, hc_buf *out);

/* ---- Bischoff & Ratcliff benchmark format ----------------------------------
 * One instance: container, box types with per-axis vertical flags. */
typedef struct hc_loading_br {
    int32_t number;
    hc_loading_container container;
    hc_loading_carton *cartons;  /* malloc'd, n_cartons entries */
    size_t n_cartons;
} hc_loading_br;

/* Parses a BR file (text in s, n bytes). *out is a malloc'd array of
 * *n_out instances; free with hc_loading_br_free(). */
int hc_loading_br_parse(const char *s, size_t n, hc_loading_br **out, size_t *n_out, hc_err *err);
void hc_loading_br_free(hc_loading_br *v, size_t n);

#endif

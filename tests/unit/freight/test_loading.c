/* Unit tests for container loading: the independent checker (plans it must
 * accept and plans it must reject), the solver's constraints, the BR reader,
 * the API glue and the load-plan command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/h_loading.h"
#include "cli/cmd_load_plan.h"
#include "freight/freight.h"

static hc_loading_container box_container(int32_t l, int32_t w, int32_t h, int64_t maxw)
{
    hc_loading_container c = {.l = l, .w = w, .h = h, .max_weight_g = maxw};
    snprintf(c.id, sizeof(c.id), "C%dx%dx%d", l, w, h);
    return c;
}

static hc_loading_carton carton(const char *id, int32_t a, int32_t b, int32_t c, int32_t qty,
                                int64_t w)
{
    hc_loading_carton k = {.dims = {a, b, c}, .weight_g = w, .qty = qty,
                           .vertical_ok = {true, true, true},
                           .max_load_g = HC_LOADING_NO_LIMIT, .group = -1};
    snprintf(k.id, sizeof(k.id), "%s", id);
    return k;
}

static hc_loading_problem problem(const hc_loading_container *c, size_t nc,
                                  const hc_loading_carton *k, size_t nk)
{
    hc_loading_problem p = {.containers = c, .n_containers = nc, .cartons = k, .n_cartons = nk,
                            .support = HC_LOADING_SUPPORT_FULL, .time_limit_ms = 200, .seed = 7};
    return p;
}

#define PL(cart, cont, X, Y, Z, DX, DY, DZ) \
    (hc_loading_placement){cart, cont, X, Y, Z, DX, DY, DZ, 0}

/* ---- checker ------------------------------------------------------------ */

static void check_rejects(const hc_loading_problem *p, const hc_loading_placement *pl, size_t n,
                          const char *field, const char *words)
{
    hc_err e = {0};
    assert_int_equal(hc_loading_check(p, pl, n, &e), HC_EUNPROC);
    assert_string_equal(e.field, field);
    if (strstr(e.msg, words) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, words);
}

static void test_check_accepts_stack(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 50, 100, 50, 4, 1000);
    hc_loading_problem p = problem(&c, 1, &k, 1);
    /* two cartons side by side on the floor, two rotated ones across them */
    hc_err e = {0};
    hc_loading_placement ok[] = {PL(0, 0, 0, 0, 0, 50, 100, 50), PL(0, 0, 50, 0, 0, 50, 100, 50),
                                 PL(0, 0, 0, 0, 50, 100, 50, 50),
                                 PL(0, 0, 0, 50, 50, 100, 50, 50)};
    assert_int_equal(hc_loading_check(&p, ok, 4, &e), HC_OK);
    (void)st;
}

static void test_check_rejects_geometry(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 50, 50, 50, 8, 1000);
    hc_loading_problem p = problem(&c, 1, &k, 1);
    hc_loading_placement out[] = {PL(0, 0, 60, 0, 0, 50, 50, 50)};
    check_rejects(&p, out, 1, "placements[0]", "outside");
    hc_loading_placement neg[] = {PL(0, 0, 0, -1, 0, 50, 50, 50)};
    check_rejects(&p, neg, 1, "placements[0]", "outside");
    hc_loading_placement ov[] = {PL(0, 0, 0, 0, 0, 50, 50, 50), PL(0, 0, 49, 49, 0, 50, 50, 50)};
    check_rejects(&p, ov, 2, "placements[1]", "overlaps placements[0]");
    hc_loading_placement touch[] = {PL(0, 0, 0, 0, 0, 50, 50, 50),
                                    PL(0, 0, 50, 50, 0, 50, 50, 50)};
    hc_err e = {0};
    assert_int_equal(hc_loading_check(&p, touch, 2, &e), HC_OK);
    hc_loading_placement wrong_dims[] = {PL(0, 0, 0, 0, 0, 50, 50, 40)};
    check_rejects(&p, wrong_dims, 1, "placements[0]", "orientation");
    hc_loading_placement bad_ix[] = {PL(1, 0, 0, 0, 0, 50, 50, 50)};
    check_rejects(&p, bad_ix, 1, "placements[0]", "unknown carton");
    k.qty = 1;
    check_rejects(&p, touch, 2, "placements[1]", "more than its qty");
    (void)st;
}

static void test_check_rejects_orientation(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 10, 20, 30, 2, 0);
    k.vertical_ok[0] = k.vertical_ok[1] = false; /* only the 30 side may be up */
    hc_loading_problem p = problem(&c, 1, &k, 1);
    hc_loading_placement up[] = {PL(0, 0, 0, 0, 0, 20, 10, 30)};
    hc_err e = {0};
    assert_int_equal(hc_loading_check(&p, up, 1, &e), HC_OK);
    hc_loading_placement side[] = {PL(0, 0, 0, 0, 0, 30, 10, 20)};
    check_rejects(&p, side, 1, "placements[0]", "orientation 30x10x20 not allowed");
    (void)st;
}

static void test_check_support(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 50, 50, 50, 4, 0);
    hc_loading_problem p = problem(&c, 1, &k, 1);
    /* half of the upper carton hangs over empty floor */
    hc_loading_placement hang[] = {PL(0, 0, 0, 0, 0, 50, 50, 50), PL(0, 0, 25, 0, 50, 50, 50, 50)};
    check_rejects(&p, hang, 2, "placements[1]", "not fully supported: 1250 of 2500");
    hc_loading_placement floating[] = {PL(0, 0, 0, 0, 10, 50, 50, 50)};
    check_rejects(&p, floating, 1, "placements[0]", "not fully supported: 0 of 2500");
    /* resting on two cartons whose tops are level is full support */
    hc_loading_placement bridge[] = {PL(0, 0, 0, 0, 0, 50, 50, 50), PL(0, 0, 50, 0, 0, 50, 50, 50),
                                     PL(0, 0, 25, 0, 50, 50, 50, 50)};
    hc_err e = {0};
    assert_int_equal(hc_loading_check(&p, bridge, 3, &e), HC_OK);
    /* with support none the hanging plan passes */
    p.support = HC_LOADING_SUPPORT_NONE;
    assert_int_equal(hc_loading_check(&p, hang, 2, &e), HC_OK);
    /* a carton loaded before the one it rests on */
    p.support = HC_LOADING_SUPPORT_FULL;
    hc_loading_placement order[] = {PL(0, 0, 0, 0, 50, 50, 50, 50), PL(0, 0, 0, 0, 0, 50, 50, 50)};
    check_rejects(&p, order, 2, "placements[0]", "loaded before placements[1]");
    (void)st;
}

static void test_check_weight_and_load(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, 2500);
    hc_loading_carton k[2] = {carton("A", 50, 50, 50, 4, 1000), carton("F", 50, 100, 50, 1, 500)};
    k[1].max_load_g = 1500;
    hc_loading_problem p = problem(&c, 1, k, 2);
    hc_loading_placement heavy[] = {PL(0, 0, 0, 0, 0, 50, 50, 50), PL(0, 0, 50, 0, 0, 50, 50, 50),
                                    PL(0, 0, 0, 50, 0, 50, 50, 50)};
    check_rejects(&p, heavy, 3, "placements[2]", "payload exceeded");
    c.max_weight_g = HC_LOADING_NO_LIMIT;
    /* fragile F (max 1500 g on top) carries two 1000 g cartons: 2000 g */
    hc_loading_placement crush[] = {PL(1, 0, 0, 0, 0, 50, 100, 50),
                                    PL(0, 0, 0, 0, 50, 50, 50, 50),
                                    PL(0, 0, 0, 50, 50, 50, 50, 50)};
    check_rejects(&p, crush, 3, "placements[0]", "fragile carton overloaded: 2000 g");
    /* one 1000 g carton is within its limit */
    hc_err e = {0};
    assert_int_equal(hc_loading_check(&p, crush, 2, &e), HC_OK);
    /* load passes down: a carton on a carton on F still counts */
    hc_loading_placement tower[] = {PL(1, 0, 0, 0, 0, 50, 100, 50),
                                    PL(0, 0, 0, 0, 50, 50, 50, 50),
                                    PL(0, 0, 0, 0, 100, 50, 50, 50)};
    c.h = 200;
    check_rejects(&p, tower, 3, "placements[0]", "overloaded: 2000 g");
    (void)st;
}

static void test_check_group_order(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k[2] = {carton("A", 50, 50, 50, 1, 0), carton("B", 50, 50, 50, 1, 0)};
    k[0].group = 0; /* dropped first: loaded last */
    k[1].group = 1;
    hc_loading_problem p = problem(&c, 1, k, 2);
    p.n_groups = 2;
    hc_loading_placement wrong[] = {PL(0, 0, 0, 0, 0, 50, 50, 50), PL(1, 0, 50, 0, 0, 50, 50, 50)};
    check_rejects(&p, wrong, 2, "placements[1]", "drop order");
    hc_loading_placement right[] = {PL(1, 0, 0, 0, 0, 50, 50, 50), PL(0, 0, 50, 0, 0, 50, 50, 50)};
    hc_err e = {0};
    assert_int_equal(hc_loading_check(&p, right, 2, &e), HC_OK);
    (void)st;
}

/* ---- solver ----------------------------------------------------------------- */

static void solve_ok(const hc_loading_problem *p, hc_loading_plan *plan)
{
    hc_err e = {0};
    int rc = hc_loading_solve(p, plan, &e);
    if (rc != HC_OK)
        fail_msg("solve: %d %s: %s", rc, e.field, e.msg);
    /* the test runs the checker itself too */
    assert_int_equal(hc_loading_check(p, plan->placements, plan->n_placements, &e), HC_OK);
}

static void test_solve_exact_fill(void **st)
{
    hc_loading_container c = box_container(40, 40, 40, HC_LOADING_NO_LIMIT);
    hc_loading_carton k[2] = {carton("A", 20, 20, 20, 4, 100), carton("B", 40, 20, 10, 4, 100)};
    hc_loading_problem p = problem(&c, 1, k, 2);
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 8);
    assert_true(plan.util_volume > 0.999999);
    assert_int_equal(plan.unplaced[0] + plan.unplaced[1], 0);
    assert_int_equal(plan.n_used, 1);
    /* centre of gravity of a uniformly filled cube by equal weights: not
     * the geometric centre here, since A and B differ in density; it must lie inside */
    for (int d = 0; d < 3; d++)
        assert_true(plan.stats[0].cog[d] > 0 && plan.stats[0].cog[d] < 40);
    hc_loading_plan_free(&plan);
    (void)st;
}

static void test_solve_orientation(void **st)
{
    hc_loading_container c = box_container(100, 100, 30, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 30, 20, 10, 20, 0);
    k.vertical_ok[0] = k.vertical_ok[1] = false; /* the 10 side stays vertical */
    hc_loading_problem p = problem(&c, 1, &k, 1);
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 20);
    for (size_t i = 0; i < plan.n_placements; i++)
        assert_int_equal(plan.placements[i].dz, 10);
    hc_loading_plan_free(&plan);
    /* the 30 side up only: one layer, 5 x 5 = 25 places for 20 cartons */
    k.vertical_ok[0] = true;
    k.vertical_ok[2] = false;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 20);
    for (size_t i = 0; i < plan.n_placements; i++)
        assert_int_equal(plan.placements[i].dz, 30);
    hc_loading_plan_free(&plan);
    (void)st;
}

static void test_solve_weight_and_fragile(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, 3500);
    hc_loading_carton k = carton("A", 50, 50, 50, 8, 1000);
    hc_loading_problem p = problem(&c, 1, &k, 1);
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 3);
    assert_int_equal(plan.unplaced[0], 5);
    assert_true(plan.util_weight > 0.857 && plan.util_weight < 0.858);
    hc_loading_plan_free(&plan);
    /* fragile: nothing may rest on it */
    c.max_weight_g = HC_LOADING_NO_LIMIT;
    k.max_load_g = 0;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 4);
    for (size_t i = 0; i < plan.n_placements; i++)
        assert_int_equal(plan.placements[i].z, 0);
    hc_loading_plan_free(&plan);
    /* carries one carton of its own weight: two layers */
    k.max_load_g = 1000;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 8);
    hc_loading_plan_free(&plan);
    (void)st;
}

static void test_solve_multi_container_and_groups(void **st)
{
    hc_loading_container c[3] = {box_container(100, 100, 100, HC_LOADING_NO_LIMIT),
                                 box_container(100, 100, 100, HC_LOADING_NO_LIMIT),
                                 box_container(100, 100, 100, HC_LOADING_NO_LIMIT)};
    snprintf(c[1].id, sizeof(c[1].id), "second");
    snprintf(c[2].id, sizeof(c[2].id), "third");
    hc_loading_carton k[2] = {carton("A", 50, 50, 50, 6, 10), carton("B", 50, 50, 50, 6, 10)};
    k[0].group = 0;
    k[1].group = 1;
    hc_loading_problem p = problem(c, 3, k, 2);
    p.n_groups = 2;
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 12);
    assert_int_equal(plan.n_used, 2);
    assert_int_equal(plan.stats[0].n_placed, 8);
    assert_int_equal(plan.stats[1].n_placed, 4);
    assert_int_equal(plan.stats[2].n_placed, 0);
    /* group B (dropped last) goes in first */
    assert_int_equal(plan.placements[0].carton, 1);
    hc_loading_plan_free(&plan);
    (void)st;
}

/* Free space is kept as maximal spaces whose floors join across blocks of
 * equal height: B (20 long, lying flat, loaded last) fits only on the joined
 * tops of A1 and A2, two groups that never form one block. */
static void test_solve_joined_floor(void **st)
{
    hc_loading_container c = box_container(20, 10, 20, HC_LOADING_NO_LIMIT);
    hc_loading_carton k[3] = {carton("B", 20, 10, 10, 1, 10), carton("A2", 10, 10, 10, 1, 10),
                              carton("A1", 10, 10, 10, 1, 10)};
    k[0].vertical_ok[0] = false;
    k[0].group = 0;
    k[1].group = 1;
    k[2].group = 2;
    hc_loading_problem p = problem(&c, 1, k, 3);
    p.n_groups = 3;
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 3);
    assert_true(plan.util_volume > 0.999999);
    assert_int_equal(plan.placements[2].carton, 0);
    assert_int_equal(plan.placements[2].z, 10);
    assert_int_equal(plan.placements[2].dx, 20);
    hc_loading_plan_free(&plan);
    (void)st;
}

static void test_solve_nothing_fits(void **st)
{
    hc_loading_container c = box_container(100, 100, 100, HC_LOADING_NO_LIMIT);
    hc_loading_carton k = carton("A", 150, 50, 50, 2, 0);
    hc_loading_problem p = problem(&c, 1, &k, 1);
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_int_equal(plan.n_placements, 0);
    assert_int_equal(plan.unplaced[0], 2);
    assert_int_equal(plan.n_used, 0);
    hc_loading_plan_free(&plan);
    /* bad input names the field */
    k.dims[1] = 0;
    hc_err e = {0};
    assert_int_equal(hc_loading_solve(&p, &plan, &e), HC_EINVAL);
    assert_string_equal(e.field, "cartons[0].dims_mm");
    (void)st;
}

/* Many carton lines (the API's maximum of 5000, and 900 of up to 20 each)
 * with a short limit: the plan comes back within the limit (block
 * building, search and checking all watch the clock), and places cartons. */
static void deadline_case(size_t lines, int32_t qty_max, int64_t limit_ms)
{
    hc_loading_container c[10];
    for (int i = 0; i < 10; i++) {
        c[i] = box_container(12032, 2352, 2698, 26500000);
        snprintf(c[i].id, sizeof(c[i].id), "C%d", i);
    }
    hc_loading_carton *k = calloc(lines, sizeof(*k));
    uint64_t r = 12345;
    int32_t total = 0;
    for (size_t i = 0; i < lines; i++) {
        char id[32];
        snprintf(id, sizeof(id), "L%zu", i);
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        int32_t room = (int32_t)((20000 - total) / (int32_t)(lines - i));
        int32_t q = 1 + (int32_t)((r >> 33) % (uint64_t)(room < qty_max ? room : qty_max));
        total += q;
        k[i] = carton(id, 200 + (int32_t)((r >> 20) % 600), 200 + (int32_t)((r >> 30) % 500),
                      150 + (int32_t)((r >> 40) % 450), q, 1000 + (int64_t)((r >> 45) % 19000));
    }
    hc_loading_problem p = problem(c, 10, k, lines);
    p.time_limit_ms = limit_ms;
    hc_loading_plan plan;
    int64_t t0 = hc_mono_ns();
    solve_ok(&p, &plan);
    double ms = (double)(hc_mono_ns() - t0) / 1e6;
    /* twice the limit plus a second: room for a sanitizer build on a loaded
     * machine that descheduled the solver between two deadline checks (1.1x +
     * 300 ms failed there); the fault this guards against took > 60 s */
    if (ms > (double)limit_ms * 2 + 1000)
        fail_msg("%zu lines at %lld ms took %.0f ms", lines, (long long)limit_ms, ms);
    assert_true(plan.n_placements > 100);
    int64_t left = 0;
    for (size_t i = 0; i < lines; i++)
        left += plan.unplaced[i];
    assert_int_equal(left + (int64_t)plan.n_placements, total);
    hc_loading_plan_free(&plan);
    free(k);
}

static void test_solve_deadline_many_lines(void **st)
{
    deadline_case(900, 20, 1000);
    deadline_case(5000, 4, 1000);
    (void)st;
}

/* ---- BR reader and a real instance ---------------------------------------------- */

static void test_br(void **st)
{
    const char *bad = "1\n 1 2502505\n 587 233 220\n 1\n 1 108 0 76 x 30 1 40\n";
    hc_loading_br *v = NULL;
    size_t n = 0;
    hc_err e = {0};
    assert_int_equal(hc_loading_br_parse(bad, strlen(bad), &v, &n, &e), HC_EINVAL);
    assert_string_equal(e.field, "box.vertical_flag");
    const char *dir = getenv("HC_BR_DIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/BR1.txt", dir ? dir : "tests/data/container-loading/br");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        skip();
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    hc_err_clear(&e);
    assert_int_equal(hc_loading_br_parse(buf, len, &v, &n, &e), HC_OK);
    assert_int_equal(n, 100);
    assert_int_equal(v[0].container.l, 587);
    assert_int_equal(v[0].n_cartons, 3);
    assert_int_equal(v[0].cartons[0].dims[0], 108);
    assert_false(v[0].cartons[0].vertical_ok[0]);
    assert_true(v[0].cartons[0].vertical_ok[2]);
    assert_int_equal(v[0].cartons[0].qty, 40);
    hc_loading_problem p = problem(&v[0].container, 1, v[0].cartons, v[0].n_cartons);
    p.time_limit_ms = 300;
    hc_loading_plan plan;
    solve_ok(&p, &plan);
    assert_true(plan.util_volume > 0.85);
    /* loading order: blocks on the floor go from the back wall to the door */
    int32_t last_x = -1;
    for (size_t i = 0; i < plan.n_placements; i++) {
        const hc_loading_placement *q = &plan.placements[i];
        if (q->z != 0 || (i > 0 && plan.placements[i - 1].step == q->step))
            continue; /* first carton of each step on the floor */
        int32_t minx = q->x;
        for (size_t j = i; j < plan.n_placements && plan.placements[j].step == q->step; j++)
            if (plan.placements[j].x < minx)
                minx = plan.placements[j].x;
        assert_true(minx >= last_x);
        last_x = minx;
    }
    hc_loading_plan_free(&plan);
    /* without the support rule, spaces above blocks are kept whole: cartons
     * may overhang, and every one still comes after what it rests on */
    p.support = HC_LOADING_SUPPORT_NONE;
    solve_ok(&p, &plan);
    assert_true(plan.util_volume > 0.85);
    hc_loading_plan_free(&plan);
    hc_loading_br_free(v, n);
    (void)st;
}

/* ---- API glue ---------------------------------------------------------------------- */

static void api_rejects(const char *body, int code, const char *field)
{
    json_error_t je;
    json_t *req = json_loads(body, 0, &je);
    assert_non_null(req);
    json_t *plan = NULL;
    char *svg = NULL;
    hc_err e = {0};
    assert_int_equal(hc_api_loading_plan(req, &plan, &svg, &e), code);
    assert_string_equal(e.field, field);
    assert_null(plan);
    assert_null(svg);
    json_decref(req);
}

static void test_api_validation(void **st)
{
    api_rejects("[]", HC_EINVAL, "");
    api_rejects("{\"cartons\":[]}", HC_EINVAL, "containers");
    api_rejects("{\"containers\":[{\"id\":\"c\",\"type\":\"50XX\"}],\"cartons\":[]}", HC_EINVAL,
                "containers[0].type");
    api_rejects("{\"containers\":[{\"id\":\"c\",\"dims_mm\":[1000,0,1000]}],\"cartons\":[]}",
                HC_EINVAL, "containers[0].dims_mm");
    const char *good_c = "{\"containers\":[{\"id\":\"c\",\"type\":\"20GP\"}],\"cartons\":[";
    char b[2048];
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1},"
             "{\"id\":\"b\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1},"
             "{\"id\":\"c\",\"dims_mm\":[1,2,30000],\"weight_g\":1,\"qty\":1}]}",
             good_c);
    api_rejects(b, HC_EINVAL, "cartons[2].dims_mm");
    snprintf(b, sizeof(b), "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":0}]}",
             good_c);
    api_rejects(b, HC_EINVAL, "cartons[0].qty");
    snprintf(b, sizeof(b), "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"qty\":2}]}", good_c);
    api_rejects(b, HC_EINVAL, "cartons[0].weight_g");
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":15000},"
             "{\"id\":\"b\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":5001}]}",
             good_c);
    api_rejects(b, HC_ETOOBIG, "cartons[1].qty");
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1,"
             "\"vertical_ok\":[false,false,false]}]}",
             good_c);
    api_rejects(b, HC_EINVAL, "cartons[0].vertical_ok");
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1},"
             "{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1}]}",
             good_c);
    api_rejects(b, HC_EINVAL, "cartons[1].id");
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1}],"
             "\"options\":{\"time_limit_ms\":60001}}",
             good_c);
    api_rejects(b, HC_EINVAL, "options.time_limit_ms");
    snprintf(b, sizeof(b),
             "%s{\"id\":\"a\",\"dims_mm\":[1,2,3],\"weight_g\":1,\"qty\":1}],"
             "\"options\":{\"support\":\"some\"}}",
             good_c);
    api_rejects(b, HC_EINVAL, "options.support");
    /* 65 containers */
    json_t *req = json_object(), *cs = json_array();
    for (int i = 0; i < 65; i++) {
        char id[16];
        snprintf(id, sizeof(id), "c%d", i);
        json_array_append_new(cs, json_pack("{s:s, s:s}", "id", id, "type", "40HQ"));
    }
    json_object_set_new(req, "containers", cs);
    char *s = json_dumps(req, 0);
    api_rejects(s, HC_ETOOBIG, "containers");
    free(s);
    json_decref(req);
    (void)st;
}

static void test_api_plan_and_check(void **st)
{
    const char *body =
        "{\"containers\":[{\"id\":\"box1\",\"dims_mm\":[1000,800,600],\"max_weight_g\":500000}],"
        "\"cartons\":[{\"id\":\"big\",\"dims_mm\":[500,400,300],\"weight_g\":20000,\"qty\":6,"
        "\"group\":\"shop-b\"},"
        "{\"id\":\"flat\",\"dims_mm\":[500,400,150],\"weight_g\":5000,\"qty\":6,"
        "\"vertical_ok\":[false,false,true],\"group\":\"shop-a\"}],"
        "\"options\":{\"time_limit_ms\":300,\"seed\":3}}";
    json_error_t je;
    json_t *req = json_loads(body, 0, &je);
    json_t *plan = NULL, *rep = NULL;
    char *svg = NULL;
    hc_err e = {0};
    assert_int_equal(hc_api_loading_plan(req, &plan, &svg, &e), HC_OK);
    json_t *pl = json_object_get(plan, "placements");
    /* 0.54 m3 of cargo for 0.48 m3: the container fills exactly, 0.06 m3 stays */
    assert_true(json_real_value(json_object_get(plan, "utilisation_volume")) > 0.999999);
    assert_int_equal(json_integer_value(json_object_get(plan, "containers_used")), 1);
    json_t *un = json_object_get(plan, "unplaced");
    assert_int_equal(json_array_size(un), 1);
    json_t *u0 = json_array_get(un, 0);
    int64_t left = json_integer_value(json_object_get(u0, "qty"));
    if (strcmp(json_string_value(json_object_get(u0, "carton")), "big") == 0)
        assert_int_equal(left, 1);
    else
        assert_int_equal(left, 2);
    assert_int_equal(json_array_size(pl), 12 - left);
    /* groups drop in order of first appearance: shop-b first, so shop-a is
     * loaded first (back wall) and shop-b last (door) */
    assert_string_equal(json_string_value(json_object_get(json_array_get(pl, 0), "group")),
                        "shop-a");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(pl, json_array_size(pl) - 1), "group")),
        "shop-b");
    assert_non_null(json_object_get(json_array_get(json_object_get(plan, "containers"), 0),
                                    "centre_of_gravity_mm"));
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_non_null(strstr(svg, "Steps 1-"));
    assert_non_null(strstr(svg, "</svg>"));
    /* the plan passes the checker through the JSON path */
    assert_int_equal(hc_api_loading_check(req, plan, &rep, &e), HC_OK);
    assert_true(json_is_true(json_object_get(rep, "valid")));
    json_decref(rep);
    /* moving one carton into another is caught */
    json_t *first = json_array_get(pl, 0), *second = json_array_get(pl, 1);
    json_object_set(second, "x", json_object_get(first, "x"));
    json_object_set(second, "y", json_object_get(first, "y"));
    json_object_set(second, "z", json_object_get(first, "z"));
    hc_err_clear(&e);
    assert_int_equal(hc_api_loading_check(req, plan, &rep, &e), HC_EUNPROC);
    assert_non_null(strstr(e.field, "placements["));
    /* a malformed plan names the field */
    json_object_set_new(second, "x", json_string("7"));
    hc_err_clear(&e);
    assert_int_equal(hc_api_loading_check(req, plan, &rep, &e), HC_EINVAL);
    assert_string_equal(e.field, "placements[1].x");
    json_decref(plan);
    json_decref(req);
    free(svg);
    (void)st;
}

static void test_cli_usage(void **st)
{
    char *a1[] = {"load-plan", NULL};
    assert_int_equal(hc_cmd_load_plan(1, a1), 2);
    char *a2[] = {"load-plan", "--br", "x.txt", "--threads", "0", NULL};
    assert_int_equal(hc_cmd_load_plan(5, a2), 2);
    char *a3[] = {"load-plan", "req.json", "--time-limit-ms", "5", NULL};
    assert_int_equal(hc_cmd_load_plan(4, a3), 2);
    char *a4[] = {"load-plan", "/nonexistent/req.json", NULL};
    assert_int_equal(hc_cmd_load_plan(2, a4), 1);
    (void)st;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_accepts_stack),
        cmocka_unit_test(test_check_rejects_geometry),
        cmocka_unit_test(test_check_rejects_orientation),
        cmocka_unit_test(test_check_support),
        cmocka_unit_test(test_check_weight_and_load),
        cmocka_unit_test(test_check_group_order),
        cmocka_unit_test(test_solve_exact_fill),
        cmocka_unit_test(test_solve_orientation),
        cmocka_unit_test(test_solve_weight_and_fragile),
        cmocka_unit_test(test_solve_multi_container_and_groups),
        cmocka_unit_test(test_solve_joined_floor),
        cmocka_unit_test(test_solve_nothing_fits),
        cmocka_unit_test(test_solve_deadline_many_lines),
        cmocka_unit_test(test_br),
        cmocka_unit_test(test_api_validation),
        cmocka_unit_test(test_api_plan_and_check),
        cmocka_unit_test(test_cli_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

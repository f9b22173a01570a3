/* haicang load-plan: container loading plans from a JSON request or from
 * the Bischoff & Ratcliff benchmark files.
 *
 *   load-plan FILE.json [--svg OUT.svg]        plan JSON on stdout
 *   load-plan --check FILE.json PLAN.json      run the independent checker on a plan
 *   load-plan --br FILE [--problems A-B] [--time-limit-ms N] [--support full|none]
 *             [--threads N] [--seed N]         one line per problem, then the mean
 *
 * Exit status: 0 done, 1 an error (or a plan the checker rejects), 2 usage. */
#include "cli/cmd_load_plan.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/h_loading.h"
#include "base/base.h"
#include "cli/cli.h"
#include "freight/freight.h"

#define BR_FILE_MAX (64u << 20)

static const char usage[] =
    "usage: haicang load-plan FILE.json [--svg OUT.svg]\n"
    "       haicang load-plan --check FILE.json PLAN.json\n"
    "       haicang load-plan --br FILE [--problems A-B] [--time-limit-ms N]\n"
    "                         [--support full|none] [--threads N] [--seed N]\n";

static int usage_error(const char *what)
{
    fprintf(stderr, "load-plan: %s\n%s", what, usage);
    return 2;
}

static int report(const char *ctx, const hc_err *e)
{
    fprintf(stderr, "load-plan: %s: %s%s%s (%d)\n", ctx, e->field, e->field[0] ? ": " : "",
            e->msg, e->code);
    return 1;
}

/* Reads all of path into a malloc'd NUL-terminated buffer of at most max bytes. */
static int read_file(const char *path, size_t max, char **out, size_t *n, hc_err *err)
{
    int rc = HC_OK;
    hc_buf b;
    hc_buf_init(&b, max);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        rc = hc_err_set(err, HC_ENOTFOUND, "file", "cannot open %s", path);
        goto fail;
    }
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if ((rc = hc_buf_add(&b, chunk, k)) != HC_OK) {
            rc = hc_err_set(err, HC_ETOOBIG, "file", "%s is over %zu bytes", path, max);
            goto fail;
        }
    if (ferror(f)) {
        rc = hc_err_set(err, HC_EINTERNAL, "file", "cannot read %s", path);
        goto fail;
    }
    if (b.p == NULL && (rc = hc_buf_add(&b, "", 0)) != HC_OK)
        goto fail;
    *out = b.p;
    *n = b.n;
    goto done;
fail:
    hc_buf_free(&b);
done:
    if (f)
        fclose(f);
    return rc;
}

static json_t *load_json(const char *path, hc_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL)
        hc_err_set(err, HC_EINVAL, "file", "%s:%d:%d: %s", path, je.line, je.column, je.text);
    return j;
}

static int run_json(const char *path, const char *svg_path)
{
    hc_err e = {0};
    json_t *req = NULL, *plan = NULL;
    char *svg = NULL;
    int rc = 1;
    if ((req = load_json(path, &e)) == NULL) {
        report(path, &e);
        goto done;
    }
    if (hc_api_loading_plan(req, &plan, &svg, &e) != HC_OK) {
        report(path, &e);
        goto done;
    }
    if (json_dumpf(plan, stdout, JSON_INDENT(2)) != 0 || fputc('\n', stdout) == EOF)
        goto done;
    if (svg_path != NULL) {
        FILE *f = fopen(svg_path, "wb");
        if (f == NULL || fputs(svg, f) == EOF) {
            fprintf(stderr, "load-plan: cannot write %s\n", svg_path);
            if (f)
                fclose(f);
            goto done;
        }
        if (fclose(f) != 0) {
            fprintf(stderr, "load-plan: cannot write %s\n", svg_path);
            goto done;
        }
    }
    rc = 0;
done:
    json_decref(req);
    json_decref(plan);
    free(svg);
    return rc;
}

static int run_check(const char *req_path, const char *plan_path)
{
    hc_err e = {0};
    json_t *req = NULL, *plan = NULL, *rep = NULL;
    int rc = 1;
    if ((req = load_json(req_path, &e)) == NULL || (plan = load_json(plan_path, &e)) == NULL) {
        report("check", &e);
        goto done;
    }
    if (hc_api_loading_check(req, plan, &rep, &e) != HC_OK) {
        printf("{\"valid\": false, \"field\": \"%s\", \"reason\": \"%s\"}\n", e.field, e.msg);
        goto done;
    }
    json_dumpf(rep, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    rc = 0;
done:
    json_decref(req);
    json_decref(plan);
    json_decref(rep);
    return rc;
}

/* ---- BR benchmark mode --------------------------------------------------- */

typedef struct br_job {
    const hc_loading_br *inst;
    size_t first, last; /* 0-based inclusive */
    int support;
    int64_t time_ms;
    uint64_t seed;
    atomic_size_t next;
    double *util;
    int64_t *ms;
    int *ok;
    int32_t *placed, *total;
} br_job;

static void solve_one(br_job *j, size_t i)
{
    const hc_loading_br *b = &j->inst[i];
    hc_loading_problem p = {.containers = &b->container,
                            .n_containers = 1,
                            .cartons = b->cartons,
                            .n_cartons = b->n_cartons,
                            .support = j->support,
                            .time_limit_ms = j->time_ms,
                            .seed = j->seed};
    hc_loading_plan plan;
    hc_err e = {0};
    int64_t t0 = hc_mono_ns();
    j->total[i] = 0;
    for (size_t k = 0; k < b->n_cartons; k++)
        j->total[i] += b->cartons[k].qty;
    if (hc_loading_solve(&p, &plan, &e) != HC_OK) {
        fprintf(stderr, "load-plan: problem %zu: %s: %s\n", i + 1, e.field, e.msg);
        j->util[i] = 0;
        j->ok[i] = 0;
        j->ms[i] = (hc_mono_ns() - t0) / 1000000;
        return;
    }
    j->ms[i] = (hc_mono_ns() - t0) / 1000000;
    /* the solver checked it already; check again here so a rejected plan
     * counts as zero even if the solver's own check were bypassed */
    hc_err ce = {0};
    j->ok[i] = hc_loading_check(&p, plan.placements, plan.n_placements, &ce) == HC_OK;
    j->util[i] = j->ok[i] ? plan.util_volume : 0;
    j->placed[i] = (int32_t)plan.n_placements;
    hc_loading_plan_free(&plan);
}

static void *br_worker(void *arg)
{
    br_job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i > j->last)
            break;
        solve_one(j, i);
    }
    return NULL;
}

static int parse_range(const char *s, int64_t *a, int64_t *b)
{
    char tmp[48];
    if (hc_strlcpy(tmp, s, sizeof(tmp)) >= sizeof(tmp))
        return HC_EINVAL;
    char *dash = strchr(tmp, '-');
    if (dash == NULL)
        return hc_parse_i64(tmp, 1, 10000, a) == HC_OK ? (*b = *a, HC_OK) : HC_EINVAL;
    *dash = '\0';
    if (hc_parse_i64(tmp, 1, 10000, a) != HC_OK || hc_parse_i64(dash + 1, 1, 10000, b) != HC_OK ||
        *b < *a)
        return HC_EINVAL;
    return HC_OK;
}

static int run_br(const char *path, const char *range, int64_t time_ms, int support,
                  int64_t threads, uint64_t seed)
{
    hc_err e = {0};
    char *text = NULL;
    size_t n = 0, ninst = 0;
    hc_loading_br *inst = NULL;
    br_job j = {0};
    pthread_t *tid = NULL;
    int rc = 1;
    int64_t a = 1, b = 0;
    if (read_file(path, BR_FILE_MAX, &text, &n, &e) != HC_OK ||
        hc_loading_br_parse(text, n, &inst, &ninst, &e) != HC_OK) {
        report(path, &e);
        goto done;
    }
    b = (int64_t)ninst;
    if (range != NULL && parse_range(range, &a, &b) != HC_OK) {
        rc = usage_error("--problems must be N or A-B within the file");
        goto done;
    }
    if (b > (int64_t)ninst) {
        fprintf(stderr, "load-plan: --problems: %s has %zu problems\n", path, ninst);
        rc = 2;
        goto done;
    }
    j.inst = inst;
    j.first = (size_t)a - 1;
    j.last = (size_t)b - 1;
    j.support = support;
    j.time_ms = time_ms;
    j.seed = seed;
    atomic_init(&j.next, j.first);
    j.util = calloc(ninst, sizeof(double));
    j.ms = calloc(ninst, sizeof(int64_t));
    j.ok = calloc(ninst, sizeof(int));
    j.placed = calloc(ninst, sizeof(int32_t));
    j.total = calloc(ninst, sizeof(int32_t));
    tid = calloc((size_t)threads, sizeof(pthread_t));
    if (!j.util || !j.ms || !j.ok || !j.placed || !j.total || !tid)
        abort();
    int64_t started = 0;
    for (int64_t t = 0; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, br_worker, &j) != 0)
            break;
        started++;
    }
    if (started == 0)
        br_worker(&j);
    for (int64_t t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    double sum = 0, tsum = 0;
    int rejected = 0;
    printf("# file problem util%% ms placed/total check\n");
    for (size_t i = j.first; i <= j.last; i++) {
        printf("%s %zu %.2f %lld %d/%d %s\n", base, i + 1, j.util[i] * 100, (long long)j.ms[i],
               j.placed[i], j.total[i], j.ok[i] ? "ok" : "REJECTED");
        sum += j.util[i];
        tsum += (double)j.ms[i];
        rejected += !j.ok[i];
    }
    size_t cnt = j.last - j.first + 1;
    printf("mean %s problems %zu util %.2f%% time %.0f ms support %s limit %lld ms rejected %d\n",
           base, cnt, sum / (double)cnt * 100, tsum / (double)cnt,
           support == HC_LOADING_SUPPORT_FULL ? "full" : "none", (long long)time_ms, rejected);
    rc = rejected ? 1 : 0;
done:
    free(text);
    hc_loading_br_free(inst, ninst);
    free(j.util);
    free(j.ms);
    free(j.ok);
    free(j.placed);
    free(j.total);
    free(tid);
    return rc;
}

int hc_cmd_load_plan(int argc, char **argv)
{
    const char *svg = NULL, *br = NULL, *range = NULL, *time_s = NULL, *threads_s = NULL;
    const char *support_s = NULL, *seed_s = NULL;
    bool check = false;
    struct hc_opt opts[] = {{"--svg", &svg},           {"--br", &br},
                            {"--problems", &range},    {"--time-limit-ms", &time_s},
                            {"--threads", &threads_s}, {"--support", &support_s},
                            {"--seed", &seed_s}};
    struct hc_flag flags[] = {{"--check", &check}};
    const char *pos[2];
    size_t got;
    if (hc_cli_args(argc, argv, opts, HC_ARRAY_LEN(opts), flags, HC_ARRAY_LEN(flags), pos, 2,
                    &got) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    const char *file = got > 0 ? pos[0] : NULL, *check_plan = got > 1 ? pos[1] : NULL;
    if (check_plan != NULL && !check)
        return usage_error("too many arguments");
    int64_t time_ms = 10000, threads = 1, seed = 1;
    int support = HC_LOADING_SUPPORT_FULL;
    if (time_s && hc_parse_i64(time_s, 1, 3600000, &time_ms) != HC_OK)
        return usage_error("--time-limit-ms must be 1..3600000");
    if (threads_s && hc_parse_i64(threads_s, 1, 256, &threads) != HC_OK)
        return usage_error("--threads must be 1..256");
    if (seed_s && hc_parse_i64(seed_s, 0, INT64_MAX, &seed) != HC_OK)
        return usage_error("--seed must be a non-negative integer");
    if (support_s && strcmp(support_s, "none") == 0)
        support = HC_LOADING_SUPPORT_NONE;
    else if (support_s && strcmp(support_s, "full") != 0)
        return usage_error("--support must be full or none");
    bool time_given = time_s != NULL, br_only = support_s != NULL || seed_s != NULL;
    if (br != NULL) {
        if (file != NULL || svg != NULL || check)
            return usage_error("--br takes no FILE.json, --svg or --check");
        return run_br(br, range, time_ms, support, threads, (uint64_t)seed);
    }
    if (range != NULL || time_given || threads != 1 || br_only)
        return usage_error("--problems, --time-limit-ms, --threads, --support and --seed go "
                           "with --br; a JSON request sets them in \"options\"");
    if (check) {
        if (file == NULL || check_plan == NULL || svg != NULL)
            return usage_error("--check needs FILE.json and PLAN.json");
        return run_check(file, check_plan);
    }
    if (file == NULL)
        return usage_error("missing FILE.json");
    return run_json(file, svg);
}

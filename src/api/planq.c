/* planq.c: long work (container loading plans) off the HTTP threads.
 *
 * A handler that would compute for long calls api_offload(); the server
 * reserves a place in a bounded queue (or answers 503 with Retry-After when
 * the queue is full), suspends the connection and hands the request to one
 * of a few planner threads (about one per core: the work is CPU-bound, more
 * threads only share the same cores). The thread runs the work function,
 * then the server's completion resumes the connection, through the
 * group-commit writer when the work set a write job. So HTTP threads never
 * compute a plan: /healthz, static files and every other route keep
 * answering while plans run.
 *
 * Owner: the queue and its threads live from api_planq_start() to
 * api_planq_stop(); a queued request belongs to the queue until its
 * completion runs. */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PLANNERS_MAX 16
#define QUEUE_PER_PLANNER 4

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct req **q; /* ring of cap */
    size_t cap, head, n, reserved;
    int64_t queued_ms; /* work announced by the queued and reserved requests */
    int64_t running_ms;
    int nthreads, running;
    pthread_t th[PLANNERS_MAX];
    void (*done)(struct req *r);
    bool stop, started;
    atomic_llong refused, completed;
} pq = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *planner(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pq.mu);
    for (;;) {
        while (pq.n == 0 && !pq.stop)
            pthread_cond_wait(&pq.cv, &pq.mu);
        if (pq.n == 0 && pq.stop)
            break;
        struct req *r = pq.q[pq.head];
        pq.head = (pq.head + 1) % pq.cap;
        pq.n--;
        pq.queued_ms -= r->offload_ms;
        pq.running_ms += r->offload_ms;
        pq.running++;
        bool stopping = pq.stop;
        pthread_mutex_unlock(&pq.mu);
        offload_fn fn = r->offload;
        int64_t ms = r->offload_ms; /* r may be gone once done() resumed it */
        r->offload = NULL;
        if (stopping) {
            hc_err_set(&r->err, HC_EBUSY, "", "the server is stopping");
            api_fail(r);
        } else {
            fn(r);
        }
        pq.done(r);
        atomic_fetch_add(&pq.completed, 1);
        pthread_mutex_lock(&pq.mu);
        pq.running--;
        pq.running_ms -= ms;
    }
    pthread_mutex_unlock(&pq.mu);
    return NULL;
}

int api_planq_start(int threads, void (*done)(struct req *r))
{
    if (threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores < 1 ? 1 : (int)cores;
    }
    if (threads > PLANNERS_MAX)
        threads = PLANNERS_MAX;
    pq.cap = (size_t)threads * QUEUE_PER_PLANNER;
    pq.q = calloc(pq.cap, sizeof(*pq.q));
    if (pq.q == NULL)
        return HC_EINTERNAL;
    pq.done = done;
    pq.stop = false;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&pq.th[i], NULL, planner, NULL) != 0)
            break;
        pq.nthreads++;
    }
    if (pq.nthreads == 0)
        return HC_EINTERNAL;
    pq.started = true;
    return HC_OK;
}

void api_planq_stop(void)
{
    if (!pq.started)
        return;
    pthread_mutex_lock(&pq.mu);
    pq.stop = true; /* queued requests are answered 503; running ones finish */
    pthread_cond_broadcast(&pq.cv);
    pthread_mutex_unlock(&pq.mu);
    for (int i = 0; i < pq.nthreads; i++)
        pthread_join(pq.th[i], NULL);
    free(pq.q);
    pq.q = NULL;
    pq.nthreads = 0;
    pq.started = false;
}

int api_offload(struct req *r, offload_fn fn, int64_t work_ms)
{
    r->offload = fn;
    r->offload_ms = work_ms > 0 ? work_ms : 1;
    return HC_OK;
}

bool api_planq_reserve(struct req *r)
{
    pthread_mutex_lock(&pq.mu);
    bool ok = pq.started && !pq.stop && pq.n + pq.reserved < pq.cap;
    if (ok) {
        pq.reserved++;
        pq.queued_ms += r->offload_ms;
    } else {
        /* about when a place frees: the work ahead, shared by the planners */
        int64_t ahead = pq.queued_ms + pq.running_ms / 2;
        int threads = pq.nthreads > 0 ? pq.nthreads : 1;
        int64_t s = (ahead / threads + 999) / 1000;
        r->retry_after_s = (int)(s < 1 ? 1 : s > 600 ? 600 : s);
    }
    pthread_mutex_unlock(&pq.mu);
    if (!ok) {
        atomic_fetch_add(&pq.refused, 1);
        r->offload = NULL;
        hc_err_set(&r->err, HC_EBUSY, "",
                   "every planner is busy and the queue is full; retry after %d s",
                   r->retry_after_s);
        api_fail(r);
    }
    return ok;
}

void api_planq_submit(struct req *r)
{
    pthread_mutex_lock(&pq.mu);
    pq.reserved--;
    pq.q[(pq.head + pq.n) % pq.cap] = r;
    pq.n++;
    pthread_cond_signal(&pq.cv);
    pthread_mutex_unlock(&pq.mu);
}

void api_planq_metrics(hc_buf *b)
{
    pthread_mutex_lock(&pq.mu);
    size_t queued = pq.n + pq.reserved;
    int running = pq.running;
    pthread_mutex_unlock(&pq.mu);
    hc_buf_printf(b,
                  "# HELP haicang_planner_threads Planner threads (loading plans off the HTTP"
                  " threads).\n"
                  "# TYPE haicang_planner_threads gauge\n"
                  "haicang_planner_threads %d\n"
                  "# TYPE haicang_planner_queue_capacity gauge\n"
                  "haicang_planner_queue_capacity %zu\n"
                  "# TYPE haicang_planner_queued gauge\n"
                  "haicang_planner_queued %zu\n"
                  "# TYPE haicang_planner_running gauge\n"
                  "haicang_planner_running %d\n"
                  "# TYPE haicang_planner_refused_total counter\n"
                  "haicang_planner_refused_total %lld\n"
                  "# TYPE haicang_planner_completed_total counter\n"
                  "haicang_planner_completed_total %lld\n",
                  pq.nthreads, pq.cap, queued, running, (long long)atomic_load(&pq.refused),
                  (long long)atomic_load(&pq.completed));
}

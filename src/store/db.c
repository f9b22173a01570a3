/* db.c: group commit. Write jobs from any thread queue up; a writer thread
 * takes all that are waiting, runs each inside its own savepoint in one
 * transaction, commits once (one fsync for the lot), then reports to each job.
 *
 * Where the driver allows it (SQLite), commit and sync are pipelined: the
 * writer commits without waiting for the disk and hands the batch to a syncer
 * thread, which fdatasyncs the log once for every batch committed meanwhile
 * and only then reports to the jobs (two syncers, so syncs overlap). The writer is already running the next
 * batch while the disk works, and no job hears "done" before its data is on
 * disk. Readers get one connection per thread.
 *
 * Failures (see store.h): every statement's result counts. A savepoint,
 * release or rollback that fails, a job that finds its transaction rolled
 * back under it (deadlock, Galera certification, a lost connection), all mean
 * the transaction is gone: nothing of it is committed, so it is run again
 * from the start. The job that was running when it went is taken out and run
 * alone afterwards, so one conflict does not fail the batch; retries wait a
 * jittered, doubling backoff. Only a COMMIT that loses its connection has an
 * unknown outcome: those jobs are answered HC_EUNAVAILABLE, telling the
 * client to retry with its Idempotency-Key. A broken connection is reopened
 * (on a multi-host URL, the writers move together to the first host that
 * answers). A monitor thread probes the database every second; while it is
 * down, writes and reads fail at once instead of waiting on it. */
#include "store.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

/* Syncers: a commit is durable once any fdatasync that started after it has
 * returned. With two, a new batch need not wait for the sync already under way
 * to finish before its own starts: it waits about one sync, not up to two. */
#define SYNCERS 2
#define GATHER_MIN 48

/* Retries: a job alone is run at most ATTEMPTS times, and not again once
 * RETRY_BUDGET_NS have passed since its first try; between tries the writer
 * sleeps a random time in [d/2, d], d doubling from BACKOFF_US up to
 * BACKOFF_MAX_US (about 0.6 s of sleep over all tries; the other writers
 * go on with the queue meanwhile). On a hot row written through several
 * Galera nodes a job can lose certification many times in a row: 8 tries
 * within 64 ms answered 503 to 2.5-4.9 % of first attempts there
 * (tests/galera), more patient tries absorb most of those. */
#define ATTEMPTS 14
#define RETRY_BUDGET_NS 2000000000LL
#define BACKOFF_US 500
#define BACKOFF_MAX_US 100000
/* The monitor's pace, and how long a probe may run before it counts as down. */
#define PROBE_UP_MS 1000
#define PROBE_DOWN_MS 250
#define PROBE_STALLED_NS 1500000000LL

#define MSG_UNAVAILABLE "the database is unavailable; retry later"
#define MSG_UNKNOWN                                                                                \
    "the connection to the database was lost while committing, so whether this request took "     \
    "effect is unknown; retry it with the same Idempotency-Key"

struct job {
    hc_write_fn fn;
    void *ctx;
    hc_write_done_fn done;
    int rc;
    hc_err err;
    struct job *next;
};

struct reader {
    hc_store *s; /* NULL after it broke, until reopened */
    int64_t used_ns;
    int index;
    struct reader *next;
};

struct hc_db {
    char *url;
    int dialect;
    int max_batch;
    int nwriters;
    pthread_t writer[8];
    hc_store *wstore[8];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int queued;
    bool stopping;
    pthread_key_t reader_key;
    pthread_mutex_t readers_mu;
    struct reader *readers;
    atomic_llong jobs, batches, failed, busy_ns, syncs, retries, reconnects, unknown;
    atomic_int writer_host; /* the host writers reconnect to first */
    atomic_int nreaders;
    void (*before_commit)(hc_store *s, void *arg);
    void *hook_arg;
    /* readiness: the monitor's last word, and the start of a probe under way */
    pthread_t monitor;
    pthread_mutex_t hmu;
    pthread_cond_t hcv;
    bool monitor_stop;
    hc_store *probe;
    atomic_bool up;
    atomic_llong probe_started_ns;
    /* pipelined sync (sync_fd >= 0) */
    int sync_fd;
    pthread_t syncer[SYNCERS];
    pthread_mutex_t smu;
    pthread_cond_t scv;
    struct job *sync_head, *sync_tail;
    bool sync_stopping;
    int64_t commits_since_checkpoint;
    long gather_us;
    pthread_t checkpointer;
    hc_store *ckpt_store;
};

/* The checkpointer thread copies the log into the database in the
 * background (passive: it never stops the writer) once the log passes
 * CHECKPOINT_LOG_BYTES; the writer itself restarts the log only if it grows
 * past WRITER_CHECKPOINT_BYTES regardless. */
#define CHECKPOINT_LOG_BYTES (16LL << 20)
#define WRITER_CHECKPOINT_BYTES (512LL << 20)

/* Savepoint statements: prepared once on SQLite; MySQL takes them as text. */
static int sp(hc_store *s, const char *sql, hc_err *err)
{
    if (hc_store_dialect(s) == HC_SQLITE)
        return hc_store_run(s, err, NULL, sql, "");
    return hc_store_exec(s, sql, err);
}

static void set_down(hc_db *db, const char *why)
{
    if (atomic_exchange(&db->up, false))
        hc_log(HC_LOG_WARN, "database unavailable: %s", why);
}

/* Full jitter in [d/2, d] of a doubling delay: writers that collided do not
 * collide again in step. */
static void backoff(int attempt)
{
    static _Thread_local uint64_t x;
    if (x == 0)
        x = (uint64_t)hc_mono_ns() | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    long d = BACKOFF_US;
    for (int i = 1; i < attempt && d < BACKOFF_MAX_US; i++)
        d *= 2;
    if (d > BACKOFF_MAX_US)
        d = BACKOFF_MAX_US;
    long us = d / 2 + (long)(x % (uint64_t)(d / 2 + 1));
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
}

/* Writer w's connection, reopened if it broke. */
static hc_store *writer_store(hc_db *db, int w, hc_err *err)
{
    hc_store *s = db->wstore[w];
    if (s && (hc_store_state(s) & HC_STORE_BROKEN)) {
        hc_store_close(s);
        s = db->wstore[w] = NULL;
    }
    if (s)
        return s;
    struct hc_store_opts o = {HC_ROLE_WRITER, atomic_load(&db->writer_host)};
    hc_err e = {0};
    if (hc_store_open_opts(db->url, &o, &s, &e) != HC_OK) {
        set_down(db, e.msg);
        hc_err_set(err, HC_EUNAVAILABLE, "", MSG_UNAVAILABLE);
        return NULL;
    }
    atomic_fetch_add(&db->reconnects, 1);
    int host = hc_store_host(s);
    if (atomic_exchange(&db->writer_host, host) != host)
        hc_log(HC_LOG_WARN, "writers moved to host %d of the database URL", host);
    db->wstore[w] = s;
    return s;
}

enum { TXN_DONE, TXN_AGAIN, TXN_UNKNOWN, TXN_DOWN };

/* Runs jobs v[0..n) in one transaction on writer w. TXN_DONE: committed
 * (each job has its own result; a failing job was rolled back to its
 * savepoint). TXN_AGAIN: the transaction is gone with nothing of it
 * committed; *culprit is the job under way when that was found (-1: at
 * BEGIN or COMMIT). TXN_UNKNOWN: the connection went during COMMIT.
 * TXN_DOWN: no connection could be had. A batch of one job runs without a
 * savepoint (nothing to keep apart). */
static int run_txn(hc_db *db, int w, struct job **v, size_t n, int *culprit)
{
    hc_err e = {0};
    *culprit = -1;
    hc_store *s = writer_store(db, w, &e);
    if (s == NULL)
        return TXN_DOWN;
    if (hc_store_begin(s, &e) != HC_OK)
        goto gone;
    bool savepoints = n > 1;
    for (size_t i = 0; i < n; i++) {
        struct job *j = v[i];
        hc_err_clear(&j->err);
        *culprit = (int)i;
        if (savepoints && sp(s, "SAVEPOINT job", &e) != HC_OK)
            goto gone;
        j->rc = j->fn(s, j->ctx, &j->err);
        if (j->rc != HC_OK && j->err.code == HC_OK)
            hc_err_set(&j->err, j->rc, "", "write failed");
        /* whatever the job made of its errors, the connection says whether
         * its transaction is still there */
        if (hc_store_state(s) != 0 || j->rc == HC_EBUSY || j->rc == HC_EUNAVAILABLE)
            goto gone;
        if (!savepoints) {
            if (j->rc != HC_OK) { /* nothing to commit */
                hc_store_rollback(s, &e);
                return TXN_DONE;
            }
            continue;
        }
        if (j->rc != HC_OK && sp(s, "ROLLBACK TO SAVEPOINT job", &e) != HC_OK)
            goto gone;
        /* MySQL replaces a savepoint of the same name, so the next SAVEPOINT
         * does what RELEASE would, one round trip fewer per job; SQLite
         * stacks them (RELEASE is local there) */
        if (hc_store_dialect(s) == HC_SQLITE && sp(s, "RELEASE SAVEPOINT job", &e) != HC_OK)
            goto gone;
        if (hc_store_state(s) != 0)
            goto gone;
    }
    *culprit = -1;
    if (db->before_commit)
        db->before_commit(s, db->hook_arg);
    if (hc_store_state(s) != 0) /* went before COMMIT was sent */
        goto gone;
    if (hc_store_commit(s, &e) == HC_OK)
        return TXN_DONE;
    if (hc_store_state(s) & HC_STORE_BROKEN) {
        hc_log(HC_LOG_ERROR, "connection lost during COMMIT of %zu jobs: outcome unknown", n);
        return TXN_UNKNOWN;
    }
gone:
    if (e.code != HC_OK)
        hc_log(HC_LOG_DEBUG, "transaction of %zu jobs gone (%s); running it again", n, e.msg);
    {
        hc_err tmp = {0};
        hc_store_rollback(s, &tmp);
    }
    atomic_fetch_add(&db->retries, 1);
    return TXN_AGAIN;
}

static void fail_jobs(struct job **v, size_t n, int code, const char *msg)
{
    for (size_t i = 0; i < n; i++) {
        v[i]->rc = code;
        hc_err_clear(&v[i]->err);
        hc_err_set(&v[i]->err, code, "", "%s", msg);
    }
}

/* Runs jobs v[0..n) until they are committed or have failed for good: the
 * set together while that makes progress, a job that was under way when the
 * transaction went taken out and run alone afterwards. */
static void run_set(hc_db *db, int w, struct job **v, size_t n)
{
    size_t alone_from = n; /* v[alone_from..n) run one by one afterwards */
    int attempt = 0, commit_conflicts = 0;
    int64_t t0 = hc_mono_ns();
    while (alone_from > 0) {
        int culprit;
        int r = run_txn(db, w, v, alone_from, &culprit);
        if (r == TXN_DONE)
            break;
        if (r == TXN_UNKNOWN) {
            atomic_fetch_add(&db->unknown, (long long)alone_from);
            fail_jobs(v, alone_from, HC_EUNAVAILABLE, MSG_UNKNOWN);
            break;
        }
        if (r == TXN_DOWN) {
            fail_jobs(v, n, HC_EUNAVAILABLE, MSG_UNAVAILABLE);
            return;
        }
        if (alone_from == 1) { /* one job: back off and try again */
            if (++attempt >= ATTEMPTS || hc_mono_ns() - t0 > RETRY_BUDGET_NS) {
                /* whatever the job said, its transaction is gone */
                fail_jobs(v, 1, HC_EBUSY, "the database kept refusing this write; retry");
                break;
            }
            backoff(attempt);
            continue;
        }
        if (culprit >= 0) { /* take it out, to run alone */
            struct job *c = v[culprit];
            memmove(&v[culprit], &v[culprit + 1], (alone_from - (size_t)culprit - 1) * sizeof(*v));
            v[--alone_from] = c;
        } else if (++commit_conflicts >= 2) {
            alone_from = 0; /* BEGIN or COMMIT keeps failing: everyone alone */
        } else {
            backoff(commit_conflicts);
        }
    }
    for (size_t i = alone_from; i < n; i++)
        run_set(db, w, &v[i], 1);
}

static void run_batch(hc_db *db, int w, struct job *batch)
{
    size_t n = 0;
    for (struct job *j = batch; j; j = j->next)
        n++;
    struct job **v = malloc(n * sizeof(*v));
    if (v == NULL)
        abort();
    n = 0;
    for (struct job *j = batch; j; j = j->next)
        v[n++] = j;
    run_set(db, w, v, n);
    free(v);
    atomic_fetch_add(&db->batches, 1);
}

/* Reports to every job of a list and frees it. */
static void complete(hc_db *db, struct job *list)
{
    struct job *j = list;
    while (j) {
        struct job *next = j->next;
        atomic_fetch_add(&db->jobs, 1);
        if (j->rc != HC_OK)
            atomic_fetch_add(&db->failed, 1);
        j->done(j->ctx, j->rc, &j->err);
        free(j);
        j = next;
    }
}

struct writer_arg {
    hc_db *db;
    int index;
};

static void *writer_main(void *arg)
{
    hc_db *db = ((struct writer_arg *)arg)->db;
    int w = ((struct writer_arg *)arg)->index;
    free(arg);
    pthread_setname_np(pthread_self(), "hc-writer");
    for (;;) {
        pthread_mutex_lock(&db->mu);
        while (db->head == NULL && !db->stopping)
            pthread_cond_wait(&db->cv, &db->mu);
        if (db->head == NULL && db->stopping) {
            pthread_mutex_unlock(&db->mu);
            break;
        }
        if (db->sync_fd >= 0 && db->gather_us > 0 && db->queued < GATHER_MIN && !db->stopping) {
            /* A short wait lets more jobs join: bigger batches cost less per job in
             * SQLite, and with the sync pipelined the wait hardly adds latency. */
            pthread_mutex_unlock(&db->mu);
            struct timespec ts = {0, db->gather_us * 1000L};
            nanosleep(&ts, NULL);
            pthread_mutex_lock(&db->mu);
        }
        struct job *batch = db->head, *last = batch;
        int n = 1;
        while (last->next && n < db->max_batch) {
            last = last->next;
            n++;
        }
        db->head = last->next;
        if (db->head == NULL)
            db->tail = NULL;
        db->queued -= n;
        last->next = NULL;
        pthread_mutex_unlock(&db->mu);
        int64_t t0 = hc_mono_ns();
        run_batch(db, w, batch);
        atomic_fetch_add(&db->busy_ns, hc_mono_ns() - t0);
        if (db->sync_fd < 0) {
            complete(db, batch);
            continue;
        }
        pthread_mutex_lock(&db->smu);
        if (db->sync_tail)
            db->sync_tail->next = batch;
        else
            db->sync_head = batch;
        db->sync_tail = last;
        while (db->sync_tail->next)
            db->sync_tail = db->sync_tail->next;
        pthread_cond_signal(&db->scv);
        pthread_mutex_unlock(&db->smu);
        struct stat st;
        if (++db->commits_since_checkpoint >= 64 && fstat(db->sync_fd, &st) == 0 &&
            st.st_size > WRITER_CHECKPOINT_BYTES) {
            hc_err err = {0};
            if (hc_store_checkpoint(db->wstore[w], &err) != HC_OK)
                hc_log(HC_LOG_WARN, "checkpoint: %s", err.msg);
            db->commits_since_checkpoint = 0;
        }
    }
    return NULL;
}

static void *checkpointer_main(void *arg)
{
    hc_db *db = arg;
    pthread_setname_np(pthread_self(), "hc-checkpoint");
    for (;;) {
        pthread_mutex_lock(&db->smu);
        bool stop = db->sync_stopping;
        pthread_mutex_unlock(&db->smu);
        if (stop)
            break;
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
        struct stat st;
        if (fstat(db->sync_fd, &st) != 0 || st.st_size < CHECKPOINT_LOG_BYTES)
            continue;
        hc_err err = {0};
        if (hc_store_exec(db->ckpt_store, "PRAGMA wal_checkpoint(PASSIVE)", &err) != HC_OK)
            hc_log(HC_LOG_WARN, "background checkpoint: %s", err.msg);
    }
    return NULL;
}

static void *syncer_main(void *arg)
{
    hc_db *db = arg;
    pthread_setname_np(pthread_self(), "hc-sync");
    for (;;) {
        pthread_mutex_lock(&db->smu);
        while (db->sync_head == NULL && !db->sync_stopping)
            pthread_cond_wait(&db->scv, &db->smu);
        struct job *list = db->sync_head;
        db->sync_head = db->sync_tail = NULL;
        bool stop = db->sync_stopping;
        pthread_mutex_unlock(&db->smu);
        if (list) {
            if (fdatasync(db->sync_fd) != 0) {
                /* the log may not be on disk: nobody may hear "done" */
                hc_log(HC_LOG_ERROR, "fdatasync of the database log failed; aborting");
                abort();
            }
            atomic_fetch_add(&db->syncs, 1);
            complete(db, list);
        }
        if (stop && list == NULL)
            break;
    }
    return NULL;
}

/* The monitor: one probe connection, on the writers' host, asked every
 * second whether the database serves (every quarter second while it does
 * not). hc_db_ready answers from what it last found, at once. */
static void *monitor_main(void *arg)
{
    hc_db *db = arg;
    pthread_setname_np(pthread_self(), "hc-monitor");
    for (;;) {
        hc_err e = {0};
        int host = atomic_load(&db->writer_host);
        if (db->probe && hc_store_host(db->probe) != host) { /* follow the writers */
            hc_store_close(db->probe);
            db->probe = NULL;
        }
        atomic_store(&db->probe_started_ns, hc_mono_ns());
        int rc = HC_OK;
        if (db->probe == NULL) {
            struct hc_store_opts o = {HC_ROLE_PROBE, host};
            rc = hc_store_open_opts(db->url, &o, &db->probe, &e);
        }
        if (rc == HC_OK)
            rc = hc_store_ready(db->probe, &e);
        atomic_store(&db->probe_started_ns, 0);
        if (rc == HC_OK) {
            if (!atomic_exchange(&db->up, true))
                hc_log(HC_LOG_INFO, "database available again");
        } else {
            set_down(db, e.msg);
            hc_store_close(db->probe); /* open afresh, perhaps on another host */
            db->probe = NULL;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ms = atomic_load(&db->up) ? PROBE_UP_MS : PROBE_DOWN_MS;
        ts.tv_nsec += ms * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_mutex_lock(&db->hmu);
        if (!db->monitor_stop)
            pthread_cond_timedwait(&db->hcv, &db->hmu, &ts);
        bool stop = db->monitor_stop;
        pthread_mutex_unlock(&db->hmu);
        if (stop)
            break;
    }
    return NULL;
}

int hc_db_ready(hc_db *db, hc_err *err)
{
    int64_t started = atomic_load(&db->probe_started_ns);
    if (started && hc_mono_ns() - started > PROBE_STALLED_NS) {
        set_down(db, "the readiness probe has had no answer for 1.5 s");
        return hc_err_set(err, HC_EUNAVAILABLE, "", "the database does not answer");
    }
    if (!atomic_load(&db->up))
        return hc_err_set(err, HC_EUNAVAILABLE, "", "the database is unreachable");
    return HC_OK;
}

int hc_db_open(const char *url, const struct hc_db_options *opt, hc_db **out, hc_err *err)
{
    hc_db *db = calloc(1, sizeof(*db));
    if (db == NULL)
        abort();
    db->url = strdup(url);
    db->max_batch = opt && opt->max_batch > 0 ? opt->max_batch : 512;
    db->nwriters = opt && opt->writers > 0 ? opt->writers : 1;
    if (db->nwriters > 8)
        db->nwriters = 8;
    pthread_mutex_init(&db->mu, NULL);
    pthread_cond_init(&db->cv, NULL);
    pthread_mutex_init(&db->readers_mu, NULL);
    pthread_key_create(&db->reader_key, NULL);
    db->sync_fd = -1;
    {
        const char *g = getenv("HAICANG_GATHER_US");
        int64_t v = 0;
        /* HAICANG_GATHER_US tunes it; 300 us measured best here (bench/RESULTS.md) */
        db->gather_us = g && hc_parse_i64(g, 0, 5000, &v) == HC_OK ? (long)v : 300;
    }
    pthread_mutex_init(&db->smu, NULL);
    pthread_cond_init(&db->scv, NULL);
    pthread_mutex_init(&db->hmu, NULL);
    pthread_cond_init(&db->hcv, NULL);
    if (opt) {
        db->before_commit = opt->before_commit;
        db->hook_arg = opt->hook_arg;
    }
    int rc = hc_store_open(url, &db->wstore[0], err);
    if (rc != HC_OK)
        goto fail;
    db->dialect = hc_store_dialect(db->wstore[0]);
    atomic_store(&db->writer_host, hc_store_host(db->wstore[0]));
    struct hc_store_opts wo = {HC_ROLE_WRITER, atomic_load(&db->writer_host)};
    if (db->dialect == HC_SQLITE)
        db->nwriters = 1; /* SQLite has one writer; more would only wait on its lock */
    for (int i = 1; i < db->nwriters; i++) {
        rc = hc_store_open_opts(url, &wo, &db->wstore[i], err);
        if (rc != HC_OK) {
            db->nwriters = i;
            goto fail;
        }
    }
    if (db->nwriters == 1 && hc_store_can_pipeline(db->wstore[0])) {
        if ((rc = hc_store_nosync_commits(db->wstore[0], &db->sync_fd, err)) != HC_OK)
            goto fail;
        for (int i = 0; i < SYNCERS; i++)
            pthread_create(&db->syncer[i], NULL, syncer_main, db);
        /* its own connection, synchronous=FULL: the log is synced before it is
         * copied, the database after */
        if (hc_store_open(url, &db->ckpt_store, err) == HC_OK &&
            hc_store_exec(db->ckpt_store, "PRAGMA synchronous=FULL", err) == HC_OK) {
            pthread_create(&db->checkpointer, NULL, checkpointer_main, db);
        } else {
            hc_log(HC_LOG_WARN, "no background checkpoints: %s", err->msg);
            hc_store_close(db->ckpt_store);
            db->ckpt_store = NULL;
            hc_err_clear(err);
        }
    }
    for (int i = 0; i < db->nwriters; i++) {
        struct writer_arg *a = malloc(sizeof(*a));
        if (a == NULL)
            abort();
        a->db = db;
        a->index = i;
        pthread_create(&db->writer[i], NULL, writer_main, a);
    }
    atomic_store(&db->up, true);
    pthread_create(&db->monitor, NULL, monitor_main, db);
    *out = db;
    return HC_OK;
fail:
    for (int i = 0; i < db->nwriters; i++)
        hc_store_close(db->wstore[i]);
    free(db->url);
    free(db);
    return rc;
}

void hc_db_close(hc_db *db)
{
    if (db == NULL)
        return;
    pthread_mutex_lock(&db->hmu);
    db->monitor_stop = true;
    pthread_cond_broadcast(&db->hcv);
    pthread_mutex_unlock(&db->hmu);
    pthread_join(db->monitor, NULL);
    hc_store_close(db->probe);
    pthread_mutex_lock(&db->mu);
    db->stopping = true;
    pthread_cond_broadcast(&db->cv);
    pthread_mutex_unlock(&db->mu);
    for (int i = 0; i < db->nwriters; i++)
        pthread_join(db->writer[i], NULL);
    if (db->sync_fd >= 0) { /* the writers are done: drain what waits for the disk */
        pthread_mutex_lock(&db->smu);
        db->sync_stopping = true;
        pthread_cond_broadcast(&db->scv);
        pthread_mutex_unlock(&db->smu);
        for (int i = 0; i < SYNCERS; i++)
            pthread_join(db->syncer[i], NULL);
        if (db->ckpt_store) {
            pthread_join(db->checkpointer, NULL);
            hc_store_close(db->ckpt_store);
        }
        hc_err err = {0};
        if (db->wstore[0])
            hc_store_checkpoint(db->wstore[0], &err);
        close(db->sync_fd);
    }
    for (int i = 0; i < db->nwriters; i++)
        hc_store_close(db->wstore[i]);
    struct reader *r = db->readers;
    while (r) {
        struct reader *next = r->next;
        hc_store_close(r->s);
        free(r);
        r = next;
    }
    pthread_key_delete(db->reader_key);
    free(db->url);
    free(db);
}

int hc_db_dialect(const hc_db *db)
{
    return db->dialect;
}

const char *hc_db_url(const hc_db *db)
{
    return db->url;
}

void hc_db_write_async(hc_db *db, hc_write_fn fn, void *ctx, hc_write_done_fn done)
{
    if (!atomic_load(&db->up)) { /* do not queue behind a database that is away */
        hc_err e = {0};
        hc_err_set(&e, HC_EUNAVAILABLE, "", MSG_UNAVAILABLE);
        atomic_fetch_add(&db->jobs, 1);
        atomic_fetch_add(&db->failed, 1);
        done(ctx, HC_EUNAVAILABLE, &e);
        return;
    }
    struct job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->fn = fn;
    j->ctx = ctx;
    j->done = done;
    pthread_mutex_lock(&db->mu);
    if (db->tail)
        db->tail->next = j;
    else
        db->head = j;
    db->tail = j;
    db->queued++;
    pthread_cond_signal(&db->cv);
    pthread_mutex_unlock(&db->mu);
}

/* The blocking call is the asynchronous one plus a semaphore. */
struct sync_call {
    hc_write_fn fn;
    void *ctx;
    sem_t done;
    int rc;
    hc_err err;
};

static int sync_fn(hc_store *s, void *ctx, hc_err *err)
{
    struct sync_call *c = ctx;
    return c->fn(s, c->ctx, err);
}

static void sync_done(void *ctx, int rc, const hc_err *err)
{
    struct sync_call *c = ctx;
    c->rc = rc;
    c->err = *err;
    sem_post(&c->done);
}

int hc_db_write(hc_db *db, hc_write_fn fn, void *ctx, hc_err *err)
{
    struct sync_call c = {.fn = fn, .ctx = ctx};
    sem_init(&c.done, 0, 0);
    hc_db_write_async(db, sync_fn, &c, sync_done);
    while (sem_wait(&c.done) != 0)
        ;
    sem_destroy(&c.done);
    if (c.rc != HC_OK && err && err->code == HC_OK)
        *err = c.err;
    return c.rc;
}

hc_store *hc_db_reader(hc_db *db, hc_err *err)
{
    if (hc_db_ready(db, err) != HC_OK) {
        hc_err_clear(err);
        hc_err_set(err, HC_EUNAVAILABLE, "", MSG_UNAVAILABLE);
        return NULL;
    }
    struct reader *r = pthread_getspecific(db->reader_key);
    if (r == NULL) {
        if ((r = calloc(1, sizeof(*r))) == NULL)
            abort();
        r->index = atomic_fetch_add(&db->nreaders, 1);
        pthread_mutex_lock(&db->readers_mu);
        r->next = db->readers;
        db->readers = r;
        pthread_mutex_unlock(&db->readers_mu);
        pthread_setspecific(db->reader_key, r);
    }
    int64_t now = hc_mono_ns();
    if (r->s) {
        if (hc_store_state(r->s) & HC_STORE_BROKEN) {
            hc_store_close(r->s);
            r->s = NULL;
        }
    }
    if (r->s == NULL) {
        /* spread over the hosts of a cluster URL; the driver wraps the index */
        struct hc_store_opts o = {HC_ROLE_READER, r->index + atomic_load(&db->writer_host)};
        hc_err e = {0};
        if (hc_store_open_opts(db->url, &o, &r->s, &e) != HC_OK) {
            r->s = NULL;
            if (e.code == HC_EUNAVAILABLE)
                set_down(db, e.msg);
            hc_err_set(err, e.code == HC_EUNAVAILABLE ? HC_EUNAVAILABLE : HC_EINTERNAL, "",
                       "%s", e.code == HC_EUNAVAILABLE ? MSG_UNAVAILABLE : e.msg);
            return NULL;
        }
        if (r->used_ns)
            atomic_fetch_add(&db->reconnects, 1);
    }
    r->used_ns = now;
    return r->s;
}

void hc_db_stats(hc_db *db, struct hc_db_stats *out)
{
    out->jobs = atomic_load(&db->jobs);
    out->batches = atomic_load(&db->batches);
    out->failed_jobs = atomic_load(&db->failed);
    out->writer_busy_ns = atomic_load(&db->busy_ns);
    out->syncs = atomic_load(&db->syncs);
    out->retries = atomic_load(&db->retries);
    out->reconnects = atomic_load(&db->reconnects);
    out->unknown = atomic_load(&db->unknown);
}

/* db.c: group commit. Write jobs from any thread queue up; a writer thread
 * takes all that are waiting, runs each inside its own savepoint in one
 * transaction, commits once (one fsync for the lot), then reports to each job.
 *
 * Where the driver allows it (SQLite), commit and sync are pipelined: the
 * writer commits without waiting for the disk and hands the batch to a syncer
 * thread, which fdatasyncs the log once for every batch committed meanwhile
 * and only then reports to the jobs (two syncers, so syncs overlap). The writer is already running the next
 * batch while the disk works, and no job hears "done" before its data is on
 * disk. Readers get one connection per thread. */
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

struct job {
    hc_write_fn fn;
    void *ctx;
    hc_write_done_fn done;
    int rc;
    hc_err err;
    struct job *next;
};

struct reader {
    hc_store *s;
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
    atomic_llong jobs, batches, failed, busy_ns, syncs;
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

static int run_job(hc_store *s, struct job *j, bool savepoint)
{
    hc_err_clear(&j->err);
    hc_err tmp = {0};
    if (savepoint && sp(s, "SAVEPOINT job", &tmp) != HC_OK) {
        j->rc = hc_err_set(&j->err, tmp.code, "", "%s", tmp.msg);
        return j->rc;
    }
    j->rc = j->fn(s, j->ctx, &j->err);
    if (j->rc != HC_OK && j->err.code == HC_OK)
        hc_err_set(&j->err, j->rc, "", "write failed");
    if (savepoint) {
        if (j->rc != HC_OK && j->rc != HC_EBUSY)
            sp(s, "ROLLBACK TO SAVEPOINT job", &tmp);
        if (j->rc != HC_EBUSY)
            sp(s, "RELEASE SAVEPOINT job", &tmp);
    }
    return j->rc;
}

/* Runs one job alone in its own transaction, retrying a few times when the
 * server reports a deadlock. */
static void run_alone(hc_store *s, struct job *j)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        hc_err e = {0};
        if (hc_store_begin(s, &e) != HC_OK) {
            j->rc = e.code;
            j->err = e;
            continue;
        }
        if (run_job(s, j, false) != HC_OK) {
            hc_store_rollback(s, &e);
            if (j->rc == HC_EBUSY)
                continue;
            return;
        }
        if (hc_store_commit(s, &e) == HC_OK)
            return;
        hc_store_rollback(s, &e);
        j->rc = e.code == HC_OK ? HC_EINTERNAL : e.code;
        hc_err_clear(&j->err);
        hc_err_set(&j->err, j->rc, "", "%s", e.msg);
        if (j->rc != HC_EBUSY)
            return;
    }
}

static void run_batch(hc_db *db, hc_store *s, struct job *batch)
{
    hc_err e = {0};
    bool retry_alone = false;
    if (hc_store_begin(s, &e) != HC_OK) {
        retry_alone = true;
    } else {
        for (struct job *j = batch; j; j = j->next) {
            if (run_job(s, j, true) == HC_EBUSY) {
                retry_alone = true;
                break;
            }
        }
        if (!retry_alone) {
            if (hc_store_commit(s, &e) != HC_OK) {
                hc_store_rollback(s, &e);
                retry_alone = true;
            }
        } else {
            hc_store_rollback(s, &e);
        }
    }
    if (retry_alone)
        for (struct job *j = batch; j; j = j->next)
            run_alone(s, j);
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
    hc_store *s = db->wstore[((struct writer_arg *)arg)->index];
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
        run_batch(db, s, batch);
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
            if (hc_store_checkpoint(s, &err) != HC_OK)
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
    int rc = hc_store_open(url, &db->wstore[0], err);
    if (rc != HC_OK)
        goto fail;
    db->dialect = hc_store_dialect(db->wstore[0]);
    if (db->dialect == HC_SQLITE)
        db->nwriters = 1; /* SQLite has one writer; more would only wait on its lock */
    for (int i = 1; i < db->nwriters; i++) {
        rc = hc_store_open(url, &db->wstore[i], err);
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
    hc_store *s = pthread_getspecific(db->reader_key);
    if (s)
        return s;
    if (hc_store_open(db->url, &s, err) != HC_OK)
        return NULL;
    struct reader *r = malloc(sizeof(*r));
    if (r == NULL)
        abort();
    r->s = s;
    pthread_mutex_lock(&db->readers_mu);
    r->next = db->readers;
    db->readers = r;
    pthread_mutex_unlock(&db->readers_mu);
    pthread_setspecific(db->reader_key, s);
    return s;
}

void hc_db_stats(hc_db *db, struct hc_db_stats *out)
{
    out->jobs = atomic_load(&db->jobs);
    out->batches = atomic_load(&db->batches);
    out->failed_jobs = atomic_load(&db->failed);
    out->writer_busy_ns = atomic_load(&db->busy_ns);
    out->syncs = atomic_load(&db->syncs);
}

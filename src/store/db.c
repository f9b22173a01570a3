/* db.c: group commit. Write jobs from any thread queue up; a writer thread
 * takes all that are waiting, runs each inside its own savepoint in one
 * transaction, commits once (one fsync for the lot), then reports to each job.
 * Readers get one connection per thread. */
#include "store.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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
    atomic_llong jobs, batches, failed;
};

static int run_job(hc_store *s, struct job *j, bool savepoint)
{
    hc_err_clear(&j->err);
    hc_err tmp = {0};
    if (savepoint && hc_store_exec(s, "SAVEPOINT job", &tmp) != HC_OK) {
        j->rc = hc_err_set(&j->err, tmp.code, "", "%s", tmp.msg);
        return j->rc;
    }
    j->rc = j->fn(s, j->ctx, &j->err);
    if (j->rc != HC_OK && j->err.code == HC_OK)
        hc_err_set(&j->err, j->rc, "", "write failed");
    if (savepoint) {
        if (j->rc != HC_OK && j->rc != HC_EBUSY)
            hc_store_exec(s, "ROLLBACK TO SAVEPOINT job", &tmp);
        if (j->rc != HC_EBUSY)
            hc_store_exec(s, "RELEASE SAVEPOINT job", &tmp);
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
    struct job *j = batch;
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
    for (;;) {
        pthread_mutex_lock(&db->mu);
        while (db->head == NULL && !db->stopping)
            pthread_cond_wait(&db->cv, &db->mu);
        if (db->head == NULL && db->stopping) {
            pthread_mutex_unlock(&db->mu);
            break;
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
        run_batch(db, s, batch);
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
    for (int i = 0; i < db->nwriters; i++) {
        pthread_join(db->writer[i], NULL);
        hc_store_close(db->wstore[i]);
    }
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
}

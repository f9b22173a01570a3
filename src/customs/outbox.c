/* outbox.c: the record layer's outbox. A job stores its messages 'queued'
 * (rec_out_commit); only once that transaction is durable are the files
 * written, then the rows marked 'sent' in a second small write. A crash in
 * between leaves rows 'queued', never files without rows: the next flush
 * (server start-up, any customs CLI command) writes them. A file is named
 * after its message and replaced atomically, so writing one twice leaves one
 * file with the same bytes. */
#include "customs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLUSH_BATCH 500 /* queued messages read per round */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int hc_customs_outbox_put(const char *outbox, const char *file, const char *bytes, size_t n,
                          hc_err *err)
{
    char tmp[4096], final[4096];
    int rc = HC_OK, fd = -1;
    bool made = false;
    if (file == NULL || *file == '\0' || *file == '.' || strchr(file, '/') || strlen(file) > 200)
        return hc_err_set(err, HC_EINVAL, "file", "must be a plain file name");
    /* the temp name is unique per call: two threads may write the same message */
    if ((size_t)snprintf(final, sizeof(final), "%s/%s", outbox, file) >= sizeof(final) ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.%d.%lld.tmp", outbox, file, (int)getpid(),
                         (long long)hc_id_next()) >= sizeof(tmp))
        return hc_err_set(err, HC_EINVAL, "outbox", "path too long");
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", tmp, strerror(errno));
        goto done;
    }
    made = true;
    if (write_all(fd, bytes, n) != 0 || fsync(fd) != 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", tmp, strerror(errno));
        goto done;
    }
    close(fd);
    fd = -1;
    if (rename(tmp, final) != 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", final, strerror(errno));
        goto done;
    }
    made = false;
    if ((fd = open(outbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        fsync(fd); /* the rename itself must survive a crash before 'sent' is marked */
done:
    if (fd >= 0)
        close(fd);
    if (made)
        unlink(tmp);
    return rc;
}

int hc_customs_outbox_queued(hc_store *s, hc_arena *a, const char *doc, size_t limit,
                             struct hc_customs_outmsg **out, size_t *n, hc_err *err)
{
    hc_stmt *q;
    *n = 0;
    if (limit == 0 || limit > 10000)
        limit = FLUSH_BATCH;
    *out = hc_arena_alloc(a, limit * sizeof(**out));
    int rc = hc_store_query(s, err, &q,
                            "SELECT seller, guid, file, xml FROM customs_messages WHERE"
                            " outbox = 'queued' AND (? IS NULL OR doc = ?) ORDER BY created_at,"
                            " guid LIMIT ?",
                            "ssi", doc, doc, (int64_t)limit);
    if (rc != HC_OK)
        return rc;
    while ((rc = hc_stmt_step(q, err)) == HC_ROW && *n < limit) {
        struct hc_customs_outmsg *m = &(*out)[(*n)++];
        m->seller = hc_arena_strdup(a, hc_stmt_text(q, 0));
        m->guid = hc_arena_strdup(a, hc_stmt_text(q, 1));
        m->file = hc_arena_strdup(a, hc_stmt_text(q, 2));
        m->xml = hc_arena_strdup(a, hc_stmt_text(q, 3));
    }
    hc_stmt_reset(q);
    return rc == HC_DONE || rc == HC_ROW ? HC_OK : rc;
}

int hc_customs_outbox_mark_sent(hc_store *s, const struct hc_customs_outmsg *m, size_t n,
                                hc_err *err)
{
    int64_t now = hc_now_ms();
    for (size_t i = 0; i < n; i++) {
        int rc = hc_store_run(s, err, NULL,
                              "UPDATE customs_messages SET outbox = 'sent', sent_at = ? WHERE"
                              " seller = ? AND guid = ? AND outbox = 'queued'",
                              "iss", now, m[i].seller, m[i].guid);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* mkdir -p; errors show when the file is written. */
static void make_dirs(const char *path)
{
    char buf[1024];
    hc_strlcpy(buf, path, sizeof(buf));
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(buf, 0755);
        *p = '/';
    }
    mkdir(buf, 0755);
}

/* Writes the files of m[0..n); *n_ok counts those written before a failure. */
static int put_all(const char *outbox, const struct hc_customs_outmsg *m, size_t n, size_t *n_ok,
                   hc_err *err)
{
    *n_ok = 0;
    make_dirs(outbox); /* a flush may come before anything created the outbox */
    for (size_t i = 0; i < n; i++) {
        int rc = hc_customs_outbox_put(outbox, m[i].file, m[i].xml, strlen(m[i].xml), err);
        if (rc != HC_OK)
            return rc;
        (*n_ok)++;
    }
    return HC_OK;
}

/* Where a flush reads the queued messages and how it marks them sent: a
 * plain connection (marks in one transaction of their own) or an hc_db
 * (reads on the thread's reader, marks through the group-commit writer). */
struct flush_via {
    hc_store *s;
    hc_db *db;
};

struct mark_job {
    const struct hc_customs_outmsg *m;
    size_t n;
};

static int mark_job(hc_store *s, void *p, hc_err *err)
{
    struct mark_job *j = p;
    return hc_customs_outbox_mark_sent(s, j->m, j->n, err);
}

static int mark_sent(const struct flush_via *v, const struct hc_customs_outmsg *m, size_t n,
                     hc_err *err)
{
    if (v->db) {
        struct mark_job j = {m, n};
        return hc_db_write(v->db, mark_job, &j, err);
    }
    hc_err tmp = {0};
    int rc = hc_store_begin(v->s, err);
    if (rc == HC_OK && (rc = hc_customs_outbox_mark_sent(v->s, m, n, err)) != HC_OK)
        hc_store_rollback(v->s, &tmp);
    return rc == HC_OK ? hc_store_commit(v->s, err) : rc;
}

/* Writes the queued messages of doc (NULL: all) in rounds of FLUSH_BATCH,
 * marking each round's written files sent. */
static int flush_doc(const struct flush_via *v, hc_arena *a, const char *outbox, const char *doc,
                     size_t *total, hc_err *err)
{
    for (;;) {
        struct hc_customs_outmsg *m;
        size_t n, ok;
        hc_store *r = v->db ? hc_db_reader(v->db, err) : v->s;
        if (r == NULL)
            return err->code ? err->code : HC_EINTERNAL;
        int rc = hc_customs_outbox_queued(r, a, doc, FLUSH_BATCH, &m, &n, err);
        if (rc != HC_OK || n == 0)
            return rc;
        int wrc = put_all(outbox, m, n, &ok, err);
        if (ok > 0) {
            hc_err e2 = {0};
            if ((rc = mark_sent(v, m, ok, &e2)) != HC_OK)
                return wrc != HC_OK ? wrc : (*err = e2, rc);
            *total += ok;
        }
        if (wrc != HC_OK)
            return wrc;
        if (n < FLUSH_BATCH)
            return HC_OK;
    }
}

static int flush_all(const struct flush_via *v, const char *outbox, const char *const *docs,
                     size_t n_docs, size_t *n_written, hc_err *err)
{
    size_t total = 0;
    int rc = HC_OK;
    hc_arena *a = hc_arena_new(1 << 16);
    if (docs == NULL || n_docs == 0)
        rc = flush_doc(v, a, outbox, NULL, &total, err);
    for (size_t i = 0; rc == HC_OK && docs && i < n_docs; i++)
        rc = flush_doc(v, a, outbox, docs[i], &total, err);
    hc_arena_free(a);
    if (n_written)
        *n_written = total;
    return rc;
}

int hc_customs_flush_outbox(hc_store *s, const char *outbox, const char *const *docs,
                            size_t n_docs, size_t *n_written, hc_err *err)
{
    struct flush_via v = {s, NULL};
    return flush_all(&v, outbox, docs, n_docs, n_written, err);
}

int hc_customs_flush_outbox_db(hc_db *db, const char *outbox, const char *const *docs,
                               size_t n_docs, size_t *n_written, hc_err *err)
{
    struct flush_via v = {NULL, db};
    return flush_all(&v, outbox, docs, n_docs, n_written, err);
}

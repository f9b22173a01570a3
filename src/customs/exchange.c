/* exchange.c: the directory exchange a DXP client does: an outbox written
 * atomically, an inbox scanned and sorted into processed/ and failed/. */
#include "customs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_MAXLEN 4096

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int hc_customs_outbox_write(const char *outbox_dir, xmlDocPtr doc, const char *name,
                            char *path_out, size_t path_size, hc_err *err)
{
    int rc = HC_OK, fd = -1;
    xmlChar *mem = NULL;
    int size = 0;
    char base[256], tmp[PATH_MAXLEN], final[PATH_MAXLEN];
    bool tmp_made = false;
    if (name == NULL) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        xmlChar *g = root ? xmlGetProp(root, BAD_CAST "guid") : NULL;
        snprintf(base, sizeof(base), "CEB%03d_%s", hc_customs_doc_type(doc),
                 g ? (const char *)g : "noguid");
        xmlFree(g);
    } else {
        if (*name == '\0' || *name == '.' || strchr(name, '/') || strlen(name) > 200)
            return hc_err_set(err, HC_EINVAL, "name", "must be a plain file name");
        hc_strlcpy(base, name, sizeof(base));
    }
    if ((size_t)snprintf(final, sizeof(final), "%s/%s.xml", outbox_dir, base) >= sizeof(final) ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.%d.tmp", outbox_dir, base, (int)getpid()) >=
            sizeof(tmp))
        return hc_err_set(err, HC_EINVAL, "outbox", "path too long");
    /* No reformatting: whitespace added here would break a signature. */
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (mem == NULL || size <= 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "cannot serialise the message");
        goto done;
    }
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", tmp, strerror(errno));
        goto done;
    }
    tmp_made = true;
    if (write_all(fd, mem, (size_t)size) != 0 || fsync(fd) != 0) {
        rc = hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", tmp, strerror(errno));
        goto done;
    }
    close(fd);
    fd = -1;
    /* link + unlink: atomic, and never replaces a message already queued. */
    if (link(tmp, final) != 0) {
        rc = errno == EEXIST
                 ? hc_err_set(err, HC_ECONFLICT, "outbox", "%s already exists", final)
                 : hc_err_set(err, HC_EINTERNAL, "outbox", "%s: %s", final, strerror(errno));
        goto done;
    }
    sync_dir(outbox_dir);
    if (path_out)
        hc_strlcpy(path_out, final, path_size);
done:
    if (fd >= 0)
        close(fd);
    if (tmp_made)
        unlink(tmp);
    xmlFree(mem);
    return rc;
}

int hc_customs_submit(const hc_customs_ref *ref, hc_customs_xsd *xsd, hc_customs_signer *signer,
                      const hc_customs_msg *m, const char *outbox_dir, char *path_out,
                      size_t path_size, hc_err *err)
{
    xmlDocPtr doc = NULL;
    int rc = hc_customs_build(ref, m, &doc, err);
    if (rc != HC_OK)
        return rc;
    if (xsd && (rc = hc_customs_xsd_validate(xsd, doc, err)) != HC_OK)
        goto done;
    if (signer && (rc = hc_customs_sign(signer, doc, err)) != HC_OK)
        goto done;
    rc = hc_customs_outbox_write(outbox_dir, doc, NULL, path_out, path_size, err);
done:
    xmlFreeDoc(doc);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves dir/name into dir/sub/, keeping an existing file of that name. */
static int move_to(const char *dir, const char *sub, const char *name)
{
    char d[PATH_MAXLEN], from[PATH_MAXLEN], to[2 * PATH_MAXLEN + 64];
    snprintf(d, sizeof(d), "%s/%s", dir, sub);
    if (mkdir(d, 0755) != 0 && errno != EEXIST)
        return -1;
    snprintf(from, sizeof(from), "%s/%s", dir, name);
    snprintf(to, sizeof(to), "%s/%s", d, name);
    if (access(to, F_OK) == 0) {
        char id[32];
        hc_id_format("dup", hc_id_next(), id, sizeof(id));
        snprintf(to, sizeof(to), "%s/%s.%s", d, name, id);
    }
    return rename(from, to);
}

int hc_customs_inbox_scan(const char *inbox_dir, hc_customs_receipt_fn fn, void *ctx,
                          size_t *n_ok, size_t *n_failed, hc_err *err)
{
    int rc = HC_OK;
    char **names = NULL;
    size_t n = 0, cap = 0, ok = 0, bad = 0;
    DIR *d = opendir(inbox_dir);
    if (d == NULL)
        return hc_err_set(err, HC_EINVAL, "inbox", "%s: %s", inbox_dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof(*nn));
            if (nn == NULL) {
                rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
                goto done;
            }
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
            goto done;
        }
        n++;
    }
    if (n > 0)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAXLEN];
        snprintf(path, sizeof(path), "%s/%s", inbox_dir, names[i]);
        hc_arena *a = hc_arena_new(16 * 1024);
        hc_customs_receipts r = {0};
        hc_err e2 = {0};
        int prc = hc_customs_receipt_parse_file(a, path, &r, &e2);
        if (prc == HC_OK && fn)
            prc = fn(ctx, path, &r, &e2);
        hc_arena_free(a);
        if (prc != HC_OK)
            hc_log(HC_LOG_WARN, "customs inbox: %s: %s%s%s", names[i], e2.field,
                   e2.field[0] ? ": " : "", e2.msg);
        if (move_to(inbox_dir, prc == HC_OK ? "processed" : "failed", names[i]) != 0) {
            rc = hc_err_set(err, HC_EINTERNAL, "inbox", "%s: cannot move: %s", path,
                            strerror(errno));
            goto done;
        }
        if (prc == HC_OK)
            ok++;
        else
            bad++;
    }
done:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (n_ok)
        *n_ok = ok;
    if (n_failed)
        *n_failed = bad;
    return rc;
}

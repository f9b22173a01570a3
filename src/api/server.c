/* server.c: libmicrohttpd glue. A request's body is gathered (bounded), its
 * route found, its key checked, and its handler run in the HTTP thread.
 * A write is handed to the group-commit writer while the connection is
 * suspended, and answered when the writer reports it durable. */
#include "internal.h"

#include "finance/finance.h"

#include "h_customs.h"
#include "h_dispatch.h"
#include "webhooks/webhooks.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct server hc_srv;
static atomic_llong n_requests, n_5xx, n_4xx;
static atomic_llong latency_buckets[12]; /* le 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 ms, +Inf */
static const double bucket_ms[11] = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
static atomic_llong latency_sum_us;

/* ---- small helpers for handlers ------------------------------------------ */

hc_store *api_reader(struct req *r)
{
    return hc_db_reader(hc_srv.db, &r->err);
}

const char *api_query(struct req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

int api_page(struct req *r, struct hc_list_page *pg)
{
    pg->limit = 100;
    pg->cursor = api_query(r, "cursor");
    const char *l = api_query(r, "limit");
    int64_t v;
    if (l && hc_parse_i64(l, 1, 1000, &v) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, "limit", "must be an integer 1..1000");
    if (l)
        pg->limit = (int)v;
    if (pg->cursor && strlen(pg->cursor) > 2048)
        return hc_err_set(&r->err, HC_EINVAL, "cursor", "is not a cursor this API gave out");
    return HC_OK;
}

int api_query_bool(struct req *r, const char *name, bool absent, bool *out)
{
    const char *v = api_query(r, name);
    *out = absent;
    if (v == NULL)
        return HC_OK;
    if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
        return hc_err_set(&r->err, HC_EINVAL, name, "must be true or false");
    *out = strcmp(v, "true") == 0;
    return HC_OK;
}

int api_reply(struct req *r, int status, json_t *body)
{
    if (r->out)
        json_decref(r->out);
    r->status = status;
    r->out = body;
    return HC_OK;
}

static int reply_raw(struct req *r, char *bytes, size_t n, const char *type)
{
    HC_ASSERT(bytes != NULL && type != NULL);
    r->status = 200;
    r->raw = bytes;
    r->raw_len = n;
    r->raw_type = type;
    return HC_OK;
}

int api_reply_bytes(struct req *r, hc_buf *b, const char *type)
{
    if (b->p == NULL) /* nothing was added: an empty document */
        return api_reply_copy(r, "", 0, type);
    char *p = b->p;
    size_t n = b->n;
    *b = (hc_buf){0};
    return reply_raw(r, p, n, type);
}

int api_reply_copy(struct req *r, const void *data, size_t n, const char *type)
{
    char *p = malloc(n ? n : 1);
    if (p == NULL) {
        hc_err_set(&r->err, HC_EINTERNAL, "", "out of memory");
        return api_fail(r);
    }
    if (n)
        memcpy(p, data, n);
    return reply_raw(r, p, n, type);
}

int api_fail(struct req *r)
{
    if (r->err.code == HC_OK)
        hc_err_set(&r->err, HC_EINTERNAL, "", "internal error");
    int status = hc_err_status(r->err.code);
    if (status >= 500)
        hc_log(HC_LOG_ERROR, "%s %s: %s", r->method, r->path, r->err.msg);
    return api_reply(r, status, j_problem(status, &r->err));
}

int api_write(struct req *r, hc_write_fn fn, render_fn render, void *ctx)
{
    r->job = fn;
    r->render = render;
    r->ctx = ctx;
    return HC_OK;
}

bool api_may_seller(const struct req *r, const char *seller)
{
    return r->who.role != ROLE_SELLER || (seller && strcmp(seller, r->who.seller) == 0);
}

bool api_may_warehouse(const struct req *r, const char *warehouse)
{
    return r->who.role != ROLE_OPERATOR || (warehouse && strcmp(warehouse, r->who.warehouse) == 0);
}

bool api_scope(const struct req *r, const char **seller, const char **warehouse)
{
    if (seller && r->who.role == ROLE_SELLER) {
        if (*seller && strcmp(*seller, r->who.seller) != 0)
            return false;
        *seller = r->who.seller;
    }
    if (warehouse && r->who.role == ROLE_OPERATOR) {
        if (*warehouse && strcmp(*warehouse, r->who.warehouse) != 0)
            return false;
        *warehouse = r->who.warehouse;
    }
    return true;
}

const char *api_actor(const struct req *r)
{
    return r->who.key_name[0] ? r->who.key_name : r->who.key_id[0] ? r->who.key_id : "anonymous";
}

/* ---- auth --------------------------------------------------------------------
 * The key is checked against the store on every request (src/auth): one read
 * by primary key, and no cache that could keep a revoked key working. */
static int authenticate(struct req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
        return hc_err_set(&r->err, HC_EAUTH, "Authorization", "a Bearer API key is required");
    hc_store *s = api_reader(r);
    if (s == NULL)
        return r->err.code;
    struct hc_key k;
    int rc = hc_key_check(s, r->arena, h + 7, &k, &r->err);
    if (rc != HC_OK)
        return rc;
    memset(&r->who, 0, sizeof(r->who));
    hc_strlcpy(r->who.key_id, k.id, sizeof(r->who.key_id));
    hc_strlcpy(r->who.key_name, k.name, sizeof(r->who.key_name));
    r->who.role = strcmp(k.role, "admin") == 0      ? ROLE_ADMIN
                  : strcmp(k.role, "operator") == 0 ? ROLE_OPERATOR
                                                    : ROLE_SELLER;
    hc_strlcpy(r->who.seller, k.seller ? k.seller : "", sizeof(r->who.seller));
    hc_strlcpy(r->who.warehouse, k.warehouse ? k.warehouse : "", sizeof(r->who.warehouse));
    return HC_OK;
}

/* ---- routing ------------------------------------------------------------------ */

/* Matches path against pattern; "{x}" takes one segment, "{x}.svg" one
 * ending in .svg. Fills r->params. */
static bool match(const char *pattern, const char *path, struct req *r)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *suffix = close + 1, *suffix_end = strchr(suffix, '/');
            size_t slen = suffix_end ? (size_t)(suffix_end - suffix) : strlen(suffix);
            const char *seg_end = strchr(s, '/');
            size_t seglen = seg_end ? (size_t)(seg_end - s) : strlen(s);
            if (seglen <= slen || strncmp(s + seglen - slen, suffix, slen) != 0)
                return false;
            if (np == MAX_PARAMS)
                return false;
            r->params[np++] = hc_arena_strndup(r->arena, s, seglen - slen);
            p = suffix + slen;
            s += seglen;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

/* The route of the request's method and path; HEAD takes the GET route (MHD
 * sends no body for it). When only the path is known, *allow lists the
 * methods it takes, for the Allow header of the 405. */
static const struct route *find_route(struct req *r, bool *path_known, const char **allow)
{
    bool head = strcmp(r->method, "HEAD") == 0;
    const char *list = NULL;
    *path_known = false;
    for (size_t i = 0; i < hc_nroutes; i++) {
        if (!match(hc_routes[i].pattern, r->path, r))
            continue;
        *path_known = true;
        const char *m = hc_routes[i].method;
        if (strcmp(m, r->method) == 0 || (head && strcmp(m, "GET") == 0))
            return &hc_routes[i];
        list = list ? hc_arena_printf(r->arena, "%s, %s", list, m) : m;
        if (strcmp(m, "GET") == 0)
            list = hc_arena_printf(r->arena, "%s, HEAD", list);
    }
    *allow = list;
    return NULL;
}

/* A method is an RFC 9110 token; anything else is not a request we read. */
static bool method_ok(const char *m)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    if (*m == '\0' || strlen(m) > 32)
        return false;
    for (; *m; m++)
        if (!((*m >= 'A' && *m <= 'Z') || (*m >= 'a' && *m <= 'z') ||
              (*m >= '0' && *m <= '9') || strchr(tchar, *m)))
            return false;
    return true;
}

/* Valid UTF-8 without control characters: the only text quoted unescaped
 * and matched against routes and files. */
static bool text_ok(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return false;
    return hc_utf8_valid(s, n);
}

static bool param_declared(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct req *r = cls;
    const char *name = *key ? j_safe(r, key, 64) : "query";
    if (!text_ok(key) || !param_declared(r->route->query, key)) {
        hc_err_set(&r->err, HC_EINVAL, name, "%s is not a query parameter of %s %s%s%s", name,
                   r->route->method, r->route->pattern,
                   r->route->query && *r->route->query ? "; it takes " : " (it takes none)",
                   r->route->query ? r->route->query : "");
        return MHD_NO;
    }
    if (value && !text_ok(value)) {
        hc_err_set(&r->err, HC_EINVAL, name, "%s must be UTF-8 text without control characters",
                   name);
        return MHD_NO;
    }
    return MHD_YES;
}

/* Every query parameter must be one the route declares (a filter the route
 * does not know would otherwise be ignored, and answer too much). */
static int check_query(struct req *r)
{
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, r);
    return r->err.code;
}

/* ---- static files (the dashboard) -------------------------------------------- */

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"},
                 {".txt", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < HC_ARRAY_LEN(types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* The file of a request path in the web directory, or false. */
static bool static_path(const struct req *r, char *path, size_t size)
{
    const char *dir = hc_srv.opt->web_dir;
    const char *rel = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
    if (dir == NULL || rel[0] != '/' || strstr(rel, "..") || strlen(rel) > 512 ||
        strchr(rel, '\\'))
        return false;
    snprintf(path, size, "%s%s", dir, rel);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static struct MHD_Response *static_file(struct req *r, int *status)
{
    char path[1200];
    if (!static_path(r, path, sizeof(path)))
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (resp == NULL) {
        close(fd);
        return NULL;
    }
    MHD_add_response_header(resp, "Content-Type", content_type(path));
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    *status = 200;
    return resp;
}

/* ---- writes: idempotency around the job ----------------------------------------- */

static int idem_lookup(hc_store *s, struct req *r, bool *found, hc_err *err)
{
    *found = false;
    hc_stmt *q;
    int rc = hc_store_query(s, err, &q,
                            "SELECT request_hash, status, body FROM idempotency WHERE scope = ?"
                            " AND idem_key = ?",
                            "ss", r->who.key_id, r->idem_key);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        *found = true;
        if (strcmp(hc_stmt_text(q, 0), r->idem_hash) != 0) {
            hc_stmt_reset(q);
            return hc_err_set(err, HC_EUNPROC, "Idempotency-Key",
                              "was used before with a different request");
        }
        r->idem_replay = true;
        r->idem_status = (int)hc_stmt_int(q, 1);
        free(r->idem_body);
        r->idem_body = strdup(hc_stmt_text(q, 2));
        rc = HC_OK;
    } else if (rc == HC_DONE) {
        rc = HC_OK;
    }
    hc_stmt_reset(q);
    return rc;
}

static int run_job(hc_store *s, void *ctx, hc_err *err)
{
    struct req *r = ctx;
    r->idem_replay = false;
    if (r->idem_key[0]) {
        bool found;
        int rc = idem_lookup(s, r, &found, err);
        if (rc != HC_OK || found)
            return rc;
    }
    int rc = r->job(s, r->ctx, err);
    if (rc != HC_OK || !r->idem_key[0])
        return rc;
    /* the stored answer commits with the effect, or neither does */
    r->render(r);
    free(r->idem_body);
    r->idem_body = json_dumps(r->out, JSON_COMPACT);
    r->idem_status = r->status;
    rc = hc_store_run(s, err, NULL,
                      "INSERT INTO idempotency (scope, idem_key, request_hash, status, body,"
                      " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                      "sssisi", r->who.key_id, r->idem_key, r->idem_hash, (int64_t)r->status,
                      r->idem_body, hc_now_ms());
    if (rc == HC_ECONFLICT) /* the same key raced in on another writer: retry finds it */
        return HC_EBUSY;
    return rc;
}

static void job_done(void *ctx, int rc, const hc_err *err)
{
    struct req *r = ctx;
    r->job_rc = rc;
    if (rc != HC_OK) {
        r->err = *err;
        if (r->err.code == HC_OK)
            hc_err_set(&r->err, rc, "", "write failed");
    }
    r->resumed = true;
    MHD_resume_connection(r->conn);
}

/* A planner thread finished r's long work (planq.c): on to the writer when
 * it set a write job, else answer what it left. */
static void offload_done(struct req *r)
{
    if (r->job) {
        hc_db_write_async(hc_srv.db, run_job, r, job_done);
        return;
    }
    r->answered = true;
    r->resumed = true;
    MHD_resume_connection(r->conn);
}

static void finish_write(struct req *r)
{
    if (r->job_rc != HC_OK) {
        api_fail(r);
    } else if (r->idem_body) {
        r->status = r->idem_status;
        r->raw = r->idem_body;
        r->idem_body = NULL;
        r->raw_type = "application/json; charset=utf-8";
        if (r->out) {
            json_decref(r->out);
            r->out = NULL;
        }
    } else {
        r->render(r);
    }
}

static void prepare_write(struct req *r)
{
    const char *k = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (k == NULL)
        return;
    if (*k == '\0' || strlen(k) > 255 || !hc_utf8_valid(k, strlen(k))) {
        hc_err_set(&r->err, HC_EINVAL, "Idempotency-Key", "must be 1..255 characters");
        r->job = NULL;
        r->offload = NULL;
        api_fail(r);
        return;
    }
    hc_strlcpy(r->idem_key, k, sizeof(r->idem_key));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char dig[32];
    unsigned int len = 0;
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    EVP_DigestUpdate(md, r->method, strlen(r->method));
    EVP_DigestUpdate(md, " ", 1);
    EVP_DigestUpdate(md, r->path, strlen(r->path));
    EVP_DigestUpdate(md, "\n", 1);
    if (r->body.n)
        EVP_DigestUpdate(md, r->body.p, r->body.n);
    EVP_DigestFinal_ex(md, dig, &len);
    EVP_MD_CTX_free(md);
    hc_hex(dig, 32, r->idem_hash);
}

/* ---- the request cycle -------------------------------------------------------------- */

/* Finds the route and runs its handler, or sets the error answer; a GET or
 * HEAD of a path no route knows is left to respond() as a static file.
 * What the client sent is quoted in messages only through j_safe(). */
static void dispatch(struct req *r)
{
    bool known;
    const char *allow = NULL;
    if (!method_ok(r->method)) {
        hc_err_set(&r->err, HC_EINVAL, "method", "%s is not an HTTP method",
                   j_safe(r, r->method, 40));
        api_fail(r);
        return;
    }
    if (!text_ok(r->path)) {
        hc_err_set(&r->err, HC_EINVAL, "path", "%s is not UTF-8 text without control characters",
                   j_safe(r, r->path, 200));
        api_fail(r);
        return;
    }
    const struct route *rt = find_route(r, &known, &allow);
    if (rt == NULL && !known && strncmp(r->path, "/v1/", 4) != 0) {
        char file[1200];
        if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
            r->is_static = true; /* answered by respond() */
            return;
        }
        if (static_path(r, file, sizeof(file))) {
            known = true;
            allow = "GET, HEAD";
        }
    }
    if (rt == NULL) {
        if (known) {
            r->allow = allow;
            hc_err_set(&r->err, 405, "method", "%s is not allowed on %s (allowed: %s)",
                       j_safe(r, r->method, 40), j_safe(r, r->path, 200), allow);
        } else {
            hc_err_set(&r->err, HC_ENOTFOUND, "path", "no route %s %s", j_safe(r, r->method, 40),
                       j_safe(r, r->path, 200));
        }
        api_fail(r);
        return;
    }
    r->route = rt;
    atomic_fetch_add(&((struct route *)rt)->hits, 1);
    if (r->too_big) {
        hc_err_set(&r->err, HC_ETOOBIG, "", "the body is larger than %zu bytes",
                   hc_srv.opt->max_body);
        api_fail(r);
        return;
    }
    if (rt->roles) {
        if (authenticate(r) != HC_OK) {
            api_fail(r);
            return;
        }
        if (!(rt->roles & r->who.role)) {
            hc_err_set(&r->err, HC_EFORBIDDEN, "Authorization",
                       "this key's role may not %s %s", r->method, rt->pattern);
            api_fail(r);
            return;
        }
    }
    if (check_query(r) != HC_OK) {
        api_fail(r);
        return;
    }
    rt->fn(r);
    if (r->job || r->offload)
        prepare_write(r);
}

/* The answer when no other can be built (JSON that would not serialise,
 * memory exhausted): fixed text, valid problem+json. */
static const char fallback_problem[] =
    "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
    "\"detail\":\"the answer could not be built\",\"errors\":[]}";

/* Queues the answer: a static file, the prepared text, or r->out as JSON.
 * Every path ends in an answer; a handler's missing or unserialisable JSON
 * becomes a 500 problem. */
static enum MHD_Result respond(struct req *r)
{
    struct MHD_Response *resp = NULL;
    if (r->is_static && r->out == NULL && r->raw == NULL) {
        int status = 200;
        resp = static_file(r, &status);
        r->status = status;
        if (resp == NULL) {
            hc_err_set(&r->err, HC_ENOTFOUND, "path", "no file %s", j_safe(r, r->path, 200));
            api_fail(r);
        }
    }
    if (resp == NULL) {
        const char *type = r->raw_type ? r->raw_type : "application/json; charset=utf-8";
        char *text = r->raw;
        size_t raw_len = text ? r->raw_len : 0; /* binary answers carry their length */
        r->raw = NULL;
        if (text == NULL) {
            if (r->out == NULL) {
                hc_err_set(&r->err, HC_EINTERNAL, "", "the handler gave no answer");
                api_fail(r);
            }
            text = r->out ? json_dumps(r->out, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
            if (r->status >= 400)
                type = "application/problem+json";
        }
        if (text) {
            size_t len = raw_len ? raw_len : strlen(text);
            resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
            if (resp == NULL)
                free(text);
        } else {
            r->status = 500;
            type = "application/problem+json";
            resp = MHD_create_response_from_buffer(sizeof(fallback_problem) - 1,
                                                   (void *)fallback_problem,
                                                   MHD_RESPMEM_PERSISTENT);
        }
        if (resp == NULL)
            return MHD_NO; /* out of memory: MHD closes the connection */
        MHD_add_response_header(resp, "Content-Type", type);
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    int status = r->status;
    if (status == HC_EAUTH)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
    if (r->retry_after_s > 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", r->retry_after_s);
        MHD_add_response_header(resp, "Retry-After", ra);
    } else if (status == 503) {
        MHD_add_response_header(resp, "Retry-After", "1");
    }
    if (status == 405 && r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    atomic_fetch_add(&n_requests, 1);
    if (status >= 500)
        atomic_fetch_add(&n_5xx, 1);
    else if (status >= 400)
        atomic_fetch_add(&n_4xx, 1);
    if (status >= 400 && r->route)
        atomic_fetch_add(&((struct route *)r->route)->errors, 1);
    double ms = (double)(hc_mono_ns() - r->started_ns) / 1e6;
    int b = 0;
    while (b < 11 && ms > bucket_ms[b])
        b++;
    atomic_fetch_add(&latency_buckets[b], 1);
    atomic_fetch_add(&latency_sum_us, (long long)(ms * 1000));
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct req *r = *con_cls;
    if (r == NULL) {
        r = calloc(1, sizeof(*r));
        if (r == NULL)
            return MHD_NO;
        r->conn = conn;
        r->arena = hc_arena_new(8192);
        r->method = method;
        r->path = hc_arena_strdup(r->arena, url);
        r->started_ns = hc_mono_ns();
        hc_buf_init(&r->body, hc_srv.opt->max_body + 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        *con_cls = r;
        if (cl && hc_parse_i64(cl, 0, INT64_MAX, &n) == HC_OK && (uint64_t)n > hc_srv.opt->max_body) {
            /* answer at once; MHD closes the connection rather than read
             * a body we would refuse anyway */
            r->too_big = true;
            hc_err_set(&r->err, HC_ETOOBIG, "", "the body is larger than %zu bytes",
                       hc_srv.opt->max_body);
            api_fail(r);
            return respond(r);
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!r->too_big && hc_buf_add(&r->body, upload_data, *upload_size) != HC_OK)
            r->too_big = true;
        if (r->body.n > hc_srv.opt->max_body)
            r->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->resumed) {
        r->resumed = false;
        if (!r->answered)
            finish_write(r);
        return respond(r);
    }
    dispatch(r);
    if (r->offload) { /* long work: a planner thread, or 503 when they are all taken */
        if (!api_planq_reserve(r))
            return respond(r);
        MHD_suspend_connection(conn); /* before the planner can resume it */
        r->pending = true;
        api_planq_submit(r);
        return MHD_YES;
    }
    if (r->job) {
        MHD_suspend_connection(conn); /* before the writer can resume it */
        r->pending = true;
        hc_db_write_async(hc_srv.db, run_job, r, job_done);
        return MHD_YES;
    }
    return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct req *r = *con_cls;
    if (r == NULL)
        return;
    if (r->json)
        json_decref(r->json);
    if (r->out)
        json_decref(r->out);
    free(r->raw);
    free(r->idem_body);
    hc_buf_free(&r->body);
    hc_arena_free(r->arena);
    free(r);
    *con_cls = NULL;
}

/* ---- built-in routes ------------------------------------------------------------------ */

/* Readiness as well as liveness: 200 {"status":"ok"} only while the
 * database answers (and, on a Galera node, is synced), as the store's
 * background probe last found, so this never waits on the database;
 * otherwise 503 problem+json, which lets a load balancer drain this server. */
int h_healthz(struct req *r)
{
    hc_err e = {0};
    if (hc_db_ready(hc_srv.db, &e) == HC_OK)
        return api_reply(r, 200, json_pack("{s:s}", "status", "ok"));
    json_t *p = j_problem(503, &e);
    json_object_set_new(p, "checks", json_pack("{s:s}", "database", "unavailable"));
    return api_reply(r, 503, p);
}

int h_metrics(struct req *r)
{
    hc_buf b;
    hc_buf_init(&b, 1 << 20);
    struct hc_db_stats st;
    hc_db_stats(hc_srv.db, &st);
    api_planq_metrics(&b);
    hc_buf_printf(&b, "# HELP haicang_http_requests_total HTTP requests answered.\n"
                      "# TYPE haicang_http_requests_total counter\n"
                      "haicang_http_requests_total %lld\n",
                  (long long)atomic_load(&n_requests));
    hc_buf_printf(&b, "# TYPE haicang_http_errors_total counter\n"
                      "haicang_http_errors_total{class=\"4xx\"} %lld\n"
                      "haicang_http_errors_total{class=\"5xx\"} %lld\n",
                  (long long)atomic_load(&n_4xx), (long long)atomic_load(&n_5xx));
    hc_buf_printf(&b, "# HELP haicang_http_request_duration_seconds Time to answer.\n"
                      "# TYPE haicang_http_request_duration_seconds histogram\n");
    long long cum = 0;
    for (int i = 0; i < 12; i++) {
        cum += atomic_load(&latency_buckets[i]);
        if (i < 11)
            hc_buf_printf(&b, "haicang_http_request_duration_seconds_bucket{le=\"%g\"} %lld\n",
                          bucket_ms[i] / 1000, cum);
        else
            hc_buf_printf(&b, "haicang_http_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n",
                          cum);
    }
    hc_buf_printf(&b, "haicang_http_request_duration_seconds_sum %.6f\n"
                      "haicang_http_request_duration_seconds_count %lld\n",
                  (double)atomic_load(&latency_sum_us) / 1e6, cum);
    hc_buf_printf(&b, "# TYPE haicang_route_requests_total counter\n");
    for (size_t i = 0; i < hc_nroutes; i++)
        hc_buf_printf(&b, "haicang_route_requests_total{method=\"%s\",route=\"%s\"} %lld\n",
                      hc_routes[i].method, hc_routes[i].pattern,
                      (long long)atomic_load(&hc_routes[i].hits));
    hc_buf_printf(&b, "# HELP haicang_db_write_jobs_total Write jobs run by the group-commit writer.\n"
                      "# TYPE haicang_db_write_jobs_total counter\n"
                      "haicang_db_write_jobs_total %lld\n"
                      "# TYPE haicang_db_write_batches_total counter\n"
                      "haicang_db_write_batches_total %lld\n"
                      "# TYPE haicang_db_write_failed_jobs_total counter\n"
                      "haicang_db_write_failed_jobs_total %lld\n"
                      "# HELP haicang_db_writer_busy_seconds_total Time writers spent in batches.\n"
                      "# TYPE haicang_db_writer_busy_seconds_total counter\n"
                      "haicang_db_writer_busy_seconds_total %.6f\n"
                      "# TYPE haicang_db_log_syncs_total counter\n"
                      "haicang_db_log_syncs_total %lld\n",
                  (long long)st.jobs, (long long)st.batches, (long long)st.failed_jobs,
                  (double)st.writer_busy_ns / 1e9, (long long)st.syncs);
    hc_buf_printf(&b, "# HELP haicang_db_write_retries_total Transactions run again (conflict, "
                      "lost connection).\n"
                      "# TYPE haicang_db_write_retries_total counter\n"
                      "haicang_db_write_retries_total %lld\n"
                      "# HELP haicang_db_reconnects_total Database connections reopened after "
                      "they broke.\n"
                      "# TYPE haicang_db_reconnects_total counter\n"
                      "haicang_db_reconnects_total %lld\n"
                      "# HELP haicang_db_unknown_commits_total Write jobs whose COMMIT outcome "
                      "was unknown (answered 503).\n"
                      "# TYPE haicang_db_unknown_commits_total counter\n"
                      "haicang_db_unknown_commits_total %lld\n",
                  (long long)st.retries, (long long)st.reconnects, (long long)st.unknown);
    r->status = 200;
    r->raw = strdup(b.p ? b.p : "");
    r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
    hc_buf_free(&b);
    return HC_OK;
}

int h_openapi(struct req *r)
{
    r->status = 200;
    r->raw = hc_api_openapi();
    r->raw_type = "application/json; charset=utf-8";
    return HC_OK;
}

/* ---- start and stop ---------------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
        return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    int64_t port;
    if (hc_parse_i64(colon + 1, 0, 65535, &port) != HC_OK)
        return -1;
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (host[0] == '\0' || strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int api_open(const struct hc_server_options *opt)
{
    hc_srv.opt = opt;
    hc_webhooks_install(); /* order and inbound changes write the webhook outbox */
    hc_err err = {0};
    hc_store *s;
    if (hc_store_open(opt->db_url, &s, &err) != HC_OK) {
        fprintf(stderr, "haicang: database %s: %s\n", opt->db_url, err.msg);
        return 1;
    }
    if (hc_store_migrate(s, &err) != HC_OK) {
        fprintf(stderr, "haicang: database %s: %s\n", opt->db_url, err.msg);
        hc_store_close(s);
        return 1;
    }
    hc_store_close(s);
    struct hc_db_options dbo = {.max_batch = 512, .writers = opt->db_writers ? opt->db_writers : 4};
    if (hc_db_open(opt->db_url, &dbo, &hc_srv.db, &err) != HC_OK) {
        fprintf(stderr, "haicang: database %s: %s\n", opt->db_url, err.msg);
        return 1;
    }
    if (api_planq_start(0, offload_done) != HC_OK) {
        fprintf(stderr, "haicang: cannot start the planner threads\n");
        return 1;
    }
    return 0;
}

/* Limits: one client address holds at most max_conn_per_ip connections, so
 * it cannot take the 8,192 of the server; a connection idle for
 * conn_timeout seconds (a slow or silent client) is closed. */
struct MHD_Daemon *api_daemon_start(unsigned extra_flags, const struct sockaddr *sa)
{
    const struct hc_server_options *o = hc_srv.opt;
    unsigned per_ip = o->max_conn_per_ip > 0 ? (unsigned)o->max_conn_per_ip : 256;
    unsigned timeout = o->conn_timeout > 0 ? (unsigned)o->conn_timeout : 30;
    /* epoll unless the caller asks for poll() */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
                     ((extra_flags & MHD_USE_POLL) ? 0 : MHD_USE_EPOLL) | extra_flags;
    struct MHD_OptionItem opts[10];
    size_t n = 0;
    if (sa)
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)sa};
    if (o->threads > 1)
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 8192, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, timeout, NULL};
    if (sa)
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    assert(n <= HC_ARRAY_LEN(opts));
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_ARRAY, opts,
                            MHD_OPTION_END);
}

void api_close(void)
{
    api_planq_stop(); /* resumes every request it holds, before the daemon goes */
    hc_webhook_sender_stop();
    hc_storage_timer_stop();
    h_tracking_poller_stop();
    if (hc_srv.daemon)
        MHD_stop_daemon(hc_srv.daemon);
    hc_srv.daemon = NULL;
    if (hc_srv.db)
        hc_db_close(hc_srv.db);
    hc_srv.db = NULL;
}

/* The webhook sender thread: HAICANG_WEBHOOKS_RETRY_BASE_MS sets the first
 * retry delay (default 10 s), HAICANG_WEBHOOKS_IN_FLIGHT the requests at
 * once (default 8), HAICANG_WEBHOOKS_ALLOW_LOOPBACK=test-only lets
 * deliveries reach loopback receivers (tests only). */
static int start_webhook_sender(hc_err *err)
{
    struct hc_webhook_sender_opts o = {.allow_loopback = hc_webhook_loopback_allowed()};
    const char *v = getenv("HAICANG_WEBHOOKS_RETRY_BASE_MS");
    if (v && hc_parse_i64(v, 10, 3600000, &o.base_ms) != HC_OK)
        o.base_ms = 0;
    int64_t inflight = 0;
    v = getenv("HAICANG_WEBHOOKS_IN_FLIGHT");
    if (v && hc_parse_i64(v, 1, 256, &inflight) == HC_OK)
        o.in_flight = (int)inflight;
    return hc_webhook_sender_start(hc_srv.db, &o, err);
}

int hc_api_serve(const struct hc_server_options *opt_in)
{
    static struct hc_server_options opt;
    opt = *opt_in;
    if (opt.threads <= 0) { /* one per core: more only adds switching */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        opt.threads = cores < 2 ? 2 : cores > 16 ? 16 : (int)cores;
    }
    if (opt.max_body == 0)
        opt.max_body = 1 << 20;
    struct sockaddr_in sa;
    if (parse_listen(opt.listen, &sa) != 0) {
        fprintf(stderr, "haicang: --listen must be HOST:PORT (IPv4), not %s\n", opt.listen);
        return 1;
    }
    if (h_customs_config_check() != HC_OK) /* e.g. a signing key without its certificate */
        return 1;
    if (api_open(&opt) != 0)
        return 1;
    h_customs_startup(); /* messages a crash left queued reach the outbox */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    hc_srv.daemon = api_daemon_start(0, (struct sockaddr *)&sa);
    if (hc_srv.daemon == NULL) {
        fprintf(stderr, "haicang: cannot listen on %s: %s\n", opt.listen, strerror(errno));
        api_close();
        return 1;
    }
    /* the nightly storage charge: ended days since the last run now (a day
     * missed while the server was down is caught up), then every minute;
     * HAICANG_STORAGE_TIMER_S sets the period, 0 turns the timer off */
    const char *per = getenv("HAICANG_STORAGE_TIMER_S");
    int64_t period = 60;
    if (per && hc_parse_i64(per, 0, 86400, &period) != HC_OK)
        period = 60;
    hc_err terr = {0};
    if (period > 0 && hc_storage_timer_start(hc_srv.db, (int)period, &terr) != HC_OK)
        hc_log(HC_LOG_WARN, "%s", terr.msg);
    if (start_webhook_sender(&terr) != HC_OK)
        hc_log(HC_LOG_WARN, "%s", terr.msg);
    h_tracking_poller_start(); /* the tracking inbox, when HAICANG_TRACKING_INBOX is set */
    printf("haicang serving on http://%s/ (database %s)\n", opt.listen, opt.db_url);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    hc_log(HC_LOG_INFO, "signal %d: stopping", sig);
    api_close();
    return 0;
}

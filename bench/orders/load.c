/* load.c: HTTP/1.1 load generator for the orders benchmark.
 *
 * N keep-alive clients (default 64), spread over a few epoll threads, each
 * POSTs /v1/orders with a unique channel_order_id as soon as its previous
 * answer is in (closed loop), for a fixed time or count. Every request's
 * latency is kept (ns, send to last byte) and reported as p50/p90/p99/max,
 * with status-code counts and how many orders came back allocated or
 * backordered. Beside it, an open-loop probe GETs
 * /v1/inventory?seller=S&sku=X (one SKU) at a fixed rate on its own
 * connection and reports its own percentiles.
 *
 *   load --port P --key K [--clients 64] [--threads 1] [--duration 20 | --count N]
 *        [--warmup 2] [--seller S1] [--skus 1000] [--sku-prefix SKU-]
 *        [--country DE] [--probe-rate 200] [--mode orders|probe] [--prefix ID]
 *
 * The last line is machine-readable: "RESULT key=value ...". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- options ------------------------------------------------------------- */

static const char *opt_host = "127.0.0.1";
static int opt_port = 8080;
static const char *opt_key = "";
static int opt_clients = 64;
static int opt_threads = 1;
static double opt_duration = 20;
static double opt_warmup = 0;
static long opt_count = 0;
static const char *opt_seller = "S1";
static long opt_skus = 1000;
static const char *opt_sku_prefix = "SKU-";
static const char *opt_country = "DE";
static double opt_probe_rate = 200;
static const char *opt_mode = "orders";
static char opt_prefix[64];

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "load: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* ---- latency vectors ------------------------------------------------------ */

struct lat {
    int64_t *v;
    size_t n, cap;
};

static void lat_add(struct lat *l, int64_t ns)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 65536;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (l->v == NULL)
            die("realloc");
    }
    l->v[l->n++] = ns;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct_ms(const struct lat *l, double p)
{
    if (l->n == 0)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(l->n - 1) + 0.5);
    if (i >= l->n)
        i = l->n - 1;
    return (double)l->v[i] / 1e6;
}

static double mean_ms(const struct lat *l)
{
    double s = 0;
    for (size_t i = 0; i < l->n; i++)
        s += (double)l->v[i];
    return l->n ? s / (double)l->n / 1e6 : 0;
}

/* ---- HTTP ------------------------------------------------------------------- */

static int connect_to(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt_port)};
    if (inet_pton(AF_INET, opt_host, &sa.sin_addr) != 1) {
        fprintf(stderr, "load: bad host %s\n", opt_host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Looks for a whole response in buf[0..n). Returns its length, 0 if more is
 * needed, -1 if it cannot be parsed. Sets status, body and body_len. */
static long parse_response(const char *buf, size_t n, int *status, const char **body,
                           size_t *body_len, bool *close_after)
{
    const char *end = memmem(buf, n, "\r\n\r\n", 4);
    if (end == NULL)
        return n > 65536 ? -1 : 0;
    size_t head = (size_t)(end - buf) + 4;
    if (n < 12 || memcmp(buf, "HTTP/1.", 7) != 0)
        return -1;
    *status = atoi(buf + 9);
    long clen = -1;
    *close_after = false;
    for (const char *p = memchr(buf, '\n', head); p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
        p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            clen = atol(p + 15);
        else if (strncasecmp(p, "Transfer-Encoding:", 18) == 0)
            return -1; /* the server sends Content-Length for every answer it builds */
        else if (strncasecmp(p, "Connection: close", 17) == 0)
            *close_after = true;
    }
    if (clen < 0)
        return -1;
    if (n < head + (size_t)clen)
        return 0;
    *body = buf + head;
    *body_len = (size_t)clen;
    return (long)(head + (size_t)clen);
}

/* ---- the order clients ------------------------------------------------------ */

struct conn {
    int fd;
    char out[2048];
    size_t out_len, out_off;
    char *in;
    size_t in_len, in_cap;
    int64_t sent_ns;
    bool busy;
};

struct worker {
    int index, nconn;
    struct conn *c;
    pthread_t th;
    struct lat lat;
    long status[600];
    long allocated, backordered, parse_errors, reconnects;
    long sent, done;
    uint64_t rng;
};

static atomic_long order_seq;
static int64_t t_start, t_measure, t_stop;
static atomic_bool stopping;

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static bool take_ticket(long *seq)
{
    long n = atomic_fetch_add(&order_seq, 1);
    if (opt_count > 0 && n >= opt_count)
        return false;
    *seq = n;
    return true;
}

static void build_order(struct worker *w, struct conn *c, long seq)
{
    char body[1024];
    long sku = (long)(rnd(&w->rng) % (uint64_t)opt_skus) + 1;
    int bl = snprintf(body, sizeof(body),
                      "{\"seller\":\"%s\",\"channel\":\"bench\",\"channel_order_id\":\"%s-%ld\","
                      "\"ship_to\":{\"name\":\"Max Mustermann\",\"country\":\"%s\",\"postcode\":\"47051\","
                      "\"city\":\"Duisburg\",\"line1\":\"Koenigstrasse 1\"},"
                      "\"lines\":[{\"sku\":\"%s%07ld\",\"qty\":1,"
                      "\"unit_price\":{\"amount\":\"19.99\",\"currency\":\"EUR\"}}]}",
                      opt_seller, opt_prefix, seq, opt_country, opt_sku_prefix, sku);
    c->out_len = (size_t)snprintf(c->out, sizeof(c->out),
                                  "POST /v1/orders HTTP/1.1\r\nHost: %s:%d\r\n"
                                  "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %d\r\n\r\n%s",
                                  opt_host, opt_port, opt_key, bl, body);
    c->out_off = 0;
}

static void conn_open(struct worker *w, struct conn *c, int ep)
{
    c->fd = connect_to();
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
        die("epoll_ctl");
    (void)w;
}

/* Writes what is left of the request; false when the connection broke. */
static bool conn_flush(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t k = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (k <= 0)
            return false;
        c->out_off += (size_t)k;
    }
    return true;
}

static bool conn_next(struct worker *w, struct conn *c)
{
    long seq;
    if (atomic_load(&stopping) || !take_ticket(&seq)) {
        c->busy = false;
        return true;
    }
    build_order(w, c, seq);
    c->busy = true;
    c->in_len = 0;
    c->sent_ns = now_ns();
    w->sent++;
    return conn_flush(c);
}

static void conn_reset(struct worker *w, struct conn *c, int ep)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    w->reconnects++;
    if (c->busy) {
        w->status[0]++; /* the request is lost: counted as status 0 */
        c->busy = false;
    }
    c->in_len = 0;
    conn_open(w, c, ep);
    if (!conn_next(w, c))
        conn_reset(w, c, ep);
}

/* Reads what arrived; handles every whole answer. */
static void conn_read(struct worker *w, struct conn *c, int ep)
{
    for (;;) {
        if (c->in_cap - c->in_len < 16384) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 65536;
            c->in = realloc(c->in, c->in_cap);
            if (c->in == NULL)
                die("realloc");
        }
        ssize_t k = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (k <= 0) {
            conn_reset(w, c, ep);
            return;
        }
        c->in_len += (size_t)k;
        int status;
        const char *body;
        size_t blen;
        bool close_after;
        long used = parse_response(c->in, c->in_len, &status, &body, &blen, &close_after);
        if (used == 0)
            continue;
        if (used < 0 || !c->busy) {
            w->parse_errors++;
            conn_reset(w, c, ep);
            return;
        }
        int64_t t = now_ns();
        if (c->sent_ns >= t_measure && t <= t_stop) {
            lat_add(&w->lat, t - c->sent_ns);
            w->status[status > 0 && status < 600 ? status : 0]++;
            if (status == 201) {
                if (memmem(body, blen, "\"status\":\"allocated\"", 20))
                    w->allocated++;
                else if (memmem(body, blen, "\"status\":\"backordered\"", 22))
                    w->backordered++;
            }
        }
        w->done++;
        if (status != 201 && status != 200 && w->status[status > 0 && status < 600 ? status : 0] <= 3)
            fprintf(stderr, "load: status %d: %.*s\n", status, (int)(blen > 300 ? 300 : blen), body);
        memmove(c->in, c->in + used, c->in_len - (size_t)used);
        c->in_len -= (size_t)used;
        if (close_after) {
            c->busy = false;
            conn_reset(w, c, ep);
            w->reconnects--; /* not a failure */
            return;
        }
        if (!conn_next(w, c)) {
            conn_reset(w, c, ep);
            return;
        }
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("epoll_create1");
    for (int i = 0; i < w->nconn; i++) {
        conn_open(w, &w->c[i], ep);
    }
    for (int i = 0; i < w->nconn; i++)
        if (!conn_next(w, &w->c[i]))
            conn_reset(w, &w->c[i], ep);
    struct epoll_event ev[256];
    for (;;) {
        int64_t t = now_ns();
        if (t >= t_stop)
            atomic_store(&stopping, true);
        int busy = 0;
        for (int i = 0; i < w->nconn; i++)
            busy += w->c[i].busy;
        if (busy == 0)
            break;
        if (atomic_load(&stopping) && t > t_stop + 5000000000LL)
            break; /* answers still missing 5 s after the end: give up on them */
        int n = epoll_wait(ep, ev, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = ev[i].data.ptr;
            if (ev[i].events & (EPOLLERR | EPOLLHUP)) {
                conn_reset(w, c, ep);
                continue;
            }
            if ((ev[i].events & EPOLLOUT) && c->busy && !conn_flush(c)) {
                conn_reset(w, c, ep);
                continue;
            }
            if (ev[i].events & EPOLLIN)
                conn_read(w, c, ep);
        }
    }
    for (int i = 0; i < w->nconn; i++)
        close(w->c[i].fd);
    close(ep);
    return NULL;
}

/* ---- the lookup probe ------------------------------------------------------- */

struct probe {
    pthread_t th;
    struct lat lat;
    long status[600];
    long errors;
};

static void *probe_main(void *arg)
{
    struct probe *p = arg;
    uint64_t rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)now_ns();
    int fd = connect_to();
    char req[1024], *in = malloc(1 << 20);
    size_t cap = 1 << 20;
    int64_t period = (int64_t)(1e9 / opt_probe_rate);
    int64_t next = t_start;
    while (!atomic_load(&stopping)) {
        next += period;
        int64_t t = now_ns();
        if (next > t) {
            struct timespec ts = {(time_t)((next - t) / 1000000000LL), (long)((next - t) % 1000000000LL)};
            nanosleep(&ts, NULL);
        }
        if (now_ns() >= t_stop)
            break;
        long sku = (long)(rnd(&rng) % (uint64_t)opt_skus) + 1;
        int n = snprintf(req, sizeof(req),
                         "GET /v1/inventory?seller=%s&sku=%s%07ld HTTP/1.1\r\nHost: %s:%d\r\n"
                         "Authorization: Bearer %s\r\n\r\n",
                         opt_seller, opt_sku_prefix, sku, opt_host, opt_port, opt_key);
        int64_t t0 = now_ns();
        if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
            p->errors++;
            close(fd);
            fd = connect_to();
            continue;
        }
        size_t len = 0;
        int status = 0;
        const char *body;
        size_t blen;
        bool close_after = false;
        long used = 0;
        while (used == 0) {
            ssize_t k = recv(fd, in + len, cap - len, 0);
            if (k <= 0) {
                used = -1;
                break;
            }
            len += (size_t)k;
            used = parse_response(in, len, &status, &body, &blen, &close_after);
        }
        int64_t t1 = now_ns();
        if (used < 0) {
            p->errors++;
            close(fd);
            fd = connect_to();
            continue;
        }
        if (t0 >= t_measure) {
            lat_add(&p->lat, t1 - t0);
            p->status[status > 0 && status < 600 ? status : 0]++;
            if (status == 200 && memmem(body, blen, "\"on_hand\"", 9) == NULL)
                p->status[0]++; /* an empty answer: the SKU has no stock row */
        }
        if (close_after) {
            close(fd);
            fd = connect_to();
        }
        /* if it ran late, start the next one now rather than bunching up */
        if (now_ns() > next + period)
            next = now_ns();
    }
    close(fd);
    free(in);
    return NULL;
}

/* ---- main ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: load --port P --key K [--host 127.0.0.1] [--clients 64] [--threads 1]\n"
            "            [--duration 20 | --count N] [--warmup 0] [--seller S1] [--skus 1000]\n"
            "            [--sku-prefix SKU-] [--country DE] [--probe-rate 200] [--mode orders|probe]\n"
            "            [--prefix ID]\n");
    exit(2);
}

static void print_status(const char *what, const long *status)
{
    printf("%s status:", what);
    for (int s = 0; s < 600; s++)
        if (status[s])
            printf(" %d=%ld", s, status[s]);
    printf("%s\n", status[0] ? "  (0 = lost connection / empty answer)" : "");
}

int main(int argc, char **argv)
{
    snprintf(opt_prefix, sizeof(opt_prefix), "b%lx-%d", (long)time(NULL), (int)getpid());
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--host"))
            opt_host = v;
        else if (!strcmp(a, "--port"))
            opt_port = atoi(v);
        else if (!strcmp(a, "--key"))
            opt_key = v;
        else if (!strcmp(a, "--clients"))
            opt_clients = atoi(v);
        else if (!strcmp(a, "--threads"))
            opt_threads = atoi(v);
        else if (!strcmp(a, "--duration"))
            opt_duration = atof(v);
        else if (!strcmp(a, "--warmup"))
            opt_warmup = atof(v);
        else if (!strcmp(a, "--count"))
            opt_count = atol(v);
        else if (!strcmp(a, "--seller"))
            opt_seller = v;
        else if (!strcmp(a, "--skus"))
            opt_skus = atol(v);
        else if (!strcmp(a, "--sku-prefix"))
            opt_sku_prefix = v;
        else if (!strcmp(a, "--country"))
            opt_country = v;
        else if (!strcmp(a, "--probe-rate"))
            opt_probe_rate = atof(v);
        else if (!strcmp(a, "--mode"))
            opt_mode = v;
        else if (!strcmp(a, "--prefix"))
            snprintf(opt_prefix, sizeof(opt_prefix), "%s", v);
        else
            usage();
    }
    bool orders = strcmp(opt_mode, "orders") == 0;
    if ((!orders && strcmp(opt_mode, "probe") != 0) || opt_clients < 1 || opt_threads < 1 ||
        opt_skus < 1 || opt_duration <= 0 || opt_warmup < 0 || opt_warmup >= opt_duration)
        usage();
    if (opt_threads > opt_clients)
        opt_threads = opt_clients;
    if (opt_count > 0)
        opt_duration = 3600; /* the count ends it; an hour bounds it */

    t_start = now_ns();
    t_measure = t_start + (int64_t)(opt_warmup * 1e9);
    t_stop = t_start + (int64_t)(opt_duration * 1e9);

    struct probe probe = {0};
    if (opt_probe_rate > 0 && pthread_create(&probe.th, NULL, probe_main, &probe) != 0)
        die("pthread_create");

    struct worker *w = calloc((size_t)opt_threads, sizeof(*w));
    struct conn *conns = calloc((size_t)opt_clients, sizeof(*conns));
    if (w == NULL || conns == NULL)
        die("calloc");
    int64_t t_end = 0;
    if (orders) {
        int given = 0;
        for (int i = 0; i < opt_threads; i++) {
            w[i].index = i;
            w[i].nconn = opt_clients / opt_threads + (i < opt_clients % opt_threads);
            w[i].c = conns + given;
            given += w[i].nconn;
            w[i].rng = 0x243F6A8885A308D3ULL * (uint64_t)(i + 1) ^ (uint64_t)now_ns();
            if (pthread_create(&w[i].th, NULL, worker_main, &w[i]) != 0)
                die("pthread_create");
        }
        for (int i = 0; i < opt_threads; i++)
            pthread_join(w[i].th, NULL);
        t_end = now_ns();
        atomic_store(&stopping, true);
    } else {
        struct timespec ts = {(time_t)opt_duration, (long)((opt_duration - (double)(time_t)opt_duration) * 1e9)};
        nanosleep(&ts, NULL);
        atomic_store(&stopping, true);
        t_end = now_ns();
    }
    if (opt_probe_rate > 0)
        pthread_join(probe.th, NULL);

    struct lat all = {0};
    long status[600] = {0}, allocated = 0, backordered = 0, perr = 0, reconn = 0, sent = 0;
    for (int i = 0; i < (orders ? opt_threads : 0); i++) {
        for (size_t k = 0; k < w[i].lat.n; k++)
            lat_add(&all, w[i].lat.v[k]);
        for (int s = 0; s < 600; s++)
            status[s] += w[i].status[s];
        allocated += w[i].allocated;
        backordered += w[i].backordered;
        perr += w[i].parse_errors;
        reconn += w[i].reconnects;
        sent += w[i].sent;
    }
    qsort(all.v, all.n, sizeof(*all.v), cmp_i64);
    qsort(probe.lat.v, probe.lat.n, sizeof(*probe.lat.v), cmp_i64);
    /* the measured window: from the end of warm-up to the stop time (or the
     * last answer, when a count ended the run first) */
    int64_t win_end = t_end < t_stop ? t_end : t_stop;
    double secs = (double)(win_end - t_measure) / 1e9;
    long ok = status[201];
    double rate = secs > 0 ? (double)ok / secs : 0;

    if (orders) {
        printf("orders: %d clients on %d thread(s), window %.2f s (after %.1f s warm-up), %ld answered, %ld sent\n",
               opt_clients, opt_threads, secs, opt_warmup, (long)all.n, sent);
        printf("orders: %.0f created/s (201), latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f mean %.2f\n",
               rate, pct_ms(&all, 50), pct_ms(&all, 90), pct_ms(&all, 99), pct_ms(&all, 99.9),
               all.n ? (double)all.v[all.n - 1] / 1e6 : 0, mean_ms(&all));
        print_status("orders", status);
        printf("orders: allocated=%ld backordered=%ld parse_errors=%ld reconnects=%ld\n", allocated,
               backordered, perr, reconn);
    }
    if (opt_probe_rate > 0) {
        printf("lookups: %.0f/s target, %zu measured, latency ms p50 %.3f p90 %.3f p99 %.3f max %.3f (errors %ld)\n",
               opt_probe_rate, probe.lat.n, pct_ms(&probe.lat, 50), pct_ms(&probe.lat, 90),
               pct_ms(&probe.lat, 99), probe.lat.n ? (double)probe.lat.v[probe.lat.n - 1] / 1e6 : 0,
               probe.errors);
        print_status("lookups", probe.status);
    }
    long non201 = (long)all.n - ok;
    printf("RESULT mode=%s clients=%d secs=%.2f n=%zu ok=%ld non201=%ld orders_per_s=%.0f p50_ms=%.2f "
           "p90_ms=%.2f p99_ms=%.2f max_ms=%.2f allocated=%ld backordered=%ld lookup_n=%zu "
           "lookup_p50_ms=%.3f lookup_p99_ms=%.3f lookup_max_ms=%.3f lookup_bad=%ld\n",
           opt_mode, opt_clients, secs, all.n, ok, non201, rate, pct_ms(&all, 50), pct_ms(&all, 90),
           pct_ms(&all, 99), all.n ? (double)all.v[all.n - 1] / 1e6 : 0, allocated, backordered,
           probe.lat.n, pct_ms(&probe.lat, 50), pct_ms(&probe.lat, 99),
           probe.lat.n ? (double)probe.lat.v[probe.lat.n - 1] / 1e6 : 0,
           probe.errors + probe.status[0] + (long)probe.lat.n - probe.status[200]);
    return 0;
}

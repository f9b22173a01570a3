/* inventory.c: the inventory read with head-haul buckets, three ways on the
 * same rows in the same run (see bench/RESULTS.md, "Head-haul inventory"):
 *   hc    hc_inventory_list (seller x warehouse x SKU) through the store
 *   raw   sqlite3: the same SELECT on the stock table, prepared once
 *   http  GET /v1/inventory?seller=&warehouse=&sku= on one keep-alive
 *         connection to a running haicang serve (with --port and --key)
 * Each read is a random seller x warehouse x SKU of the generated data
 * (bench/headhaul/gen.sql.sh); every answer is checked to be that one row.
 *
 *   inventory --db PATH [--reads N] [--port P --key K]
 * Prints p50/p99/max per way and a last line "RESULT ...". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "warehouse/warehouse.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct key {
    char seller[16], wh[8], sku[16];
};

static void pick(struct key *k)
{
    snprintf(k->seller, sizeof(k->seller), "S%04d", (int)(next_rand() % 200) + 1);
    snprintf(k->wh, sizeof(k->wh), "%s", next_rand() % 2 ? "US-LAX" : "DE-DUI");
    snprintf(k->sku, sizeof(k->sku), "SKU-%04d", (int)(next_rand() % 500) + 1);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, int64_t *ns, size_t n, double *p99_us)
{
    qsort(ns, n, sizeof(*ns), cmp_i64);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ns[i];
    *p99_us = (double)ns[n * 99 / 100] / 1e3;
    printf("%-5s %zu reads: p50 %.1f us  p99 %.1f us  max %.1f us  mean %.1f us  (%.0f reads/s)\n",
           name, n, (double)ns[n / 2] / 1e3, *p99_us, (double)ns[n - 1] / 1e3,
           (double)sum / (double)n / 1e3, (double)n * 1e9 / (double)sum);
}

static int http_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One GET; the body into body (NUL-terminated); returns the status or -1. */
static int http_get(int fd, const char *path, const char *key, char *body, size_t cap)
{
    char req[1024];
    int len = snprintf(req, sizeof(req),
                       "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
                       path, key);
    if (write(fd, req, (size_t)len) != len)
        return -1;
    static char buf[1 << 16];
    size_t got = 0;
    char *hdr_end = NULL;
    long clen = -1;
    for (;;) {
        ssize_t r = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
        buf[got] = '\0';
        if (hdr_end == NULL && (hdr_end = strstr(buf, "\r\n\r\n")) != NULL) {
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            if (cl == NULL || cl > hdr_end)
                return -1;
            clen = strtol(cl + 17, NULL, 10);
        }
        if (hdr_end && got >= (size_t)(hdr_end + 4 - buf) + (size_t)clen)
            break;
    }
    size_t blen = (size_t)clen < cap - 1 ? (size_t)clen : cap - 1;
    memcpy(body, hdr_end + 4, blen);
    body[blen] = '\0';
    return atoi(buf + 9);
}

int main(int argc, char **argv)
{
    const char *db = NULL, *key = NULL;
    long reads = 20000;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--reads") == 0)
            reads = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--port") == 0)
            port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--key") == 0)
            key = argv[i + 1];
    }
    if (db == NULL || reads < 100) {
        fprintf(stderr, "usage: inventory --db PATH [--reads N>=100] [--port P --key K]\n");
        return 2;
    }
    int64_t *ns = malloc(sizeof(*ns) * (size_t)reads);
    double p99[3] = {0, 0, 0};
    char url[600];
    snprintf(url, sizeof(url), "sqlite:%s", db);
    hc_err err = {0};
    hc_store *st;
    if (hc_store_open(url, &st, &err) != HC_OK) {
        fprintf(stderr, "inventory: %s\n", err.msg);
        return 1;
    }
    sqlite3 *raw;
    sqlite3_stmt *q;
    if (sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(raw,
                           "SELECT seller, warehouse, sku, on_hand, allocated, in_transit,"
                           " inbound_planned, arrived FROM stock WHERE seller = ? AND"
                           " warehouse = ? AND sku = ?",
                           -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "inventory: sqlite: %s\n", sqlite3_errmsg(raw));
        return 1;
    }
    int64_t check = 0;
    for (int round = 0; round < 2; round++) { /* round 0 warms the cache, not reported */
        long n = round ? reads : reads / 10;
        /* hc */
        rng = 0x2545F4914F6CDD1DULL;
        hc_arena *a = hc_arena_new(1 << 16);
        for (long i = 0; i < n; i++) {
            struct key k;
            pick(&k);
            struct hc_stock_filter f = {.seller = k.seller, .warehouse = k.wh, .sku = k.sku,
                                        .page = {.limit = 100}}; /* the API default */
            struct hc_stock_row *rows;
            size_t nrows;
            const char *next;
            int64_t t0 = hc_mono_ns();
            if (hc_inventory_list(st, a, &f, &rows, &nrows, &next, &err) != HC_OK || nrows != 1) {
                fprintf(stderr, "inventory: hc read %s/%s/%s: %s\n", k.seller, k.wh, k.sku,
                        err.msg);
                return 1;
            }
            ns[i] = hc_mono_ns() - t0;
            check += rows[0].in_transit + rows[0].arrived + rows[0].inbound_planned;
        }
        hc_arena_free(a);
        if (round)
            report("hc", ns, (size_t)n, &p99[0]);
        /* raw sqlite3, the same keys */
        rng = 0x2545F4914F6CDD1DULL;
        int64_t check_raw = 0;
        for (long i = 0; i < n; i++) {
            struct key k;
            pick(&k);
            int64_t t0 = hc_mono_ns();
            sqlite3_bind_text(q, 1, k.seller, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, k.wh, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, k.sku, -1, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_ROW) {
                fprintf(stderr, "inventory: raw read %s/%s/%s: no row\n", k.seller, k.wh, k.sku);
                return 1;
            }
            check_raw += sqlite3_column_int64(q, 5) + sqlite3_column_int64(q, 7) +
                         sqlite3_column_int64(q, 6);
            sqlite3_reset(q);
            ns[i] = hc_mono_ns() - t0;
        }
        if (round)
            report("raw", ns, (size_t)n, &p99[1]);
        if (round && check_raw == 0) {
            fprintf(stderr, "inventory: raw reads found no buckets\n");
            return 1;
        }
        /* http */
        if (port && key) {
            int fd = http_connect(port);
            if (fd < 0) {
                fprintf(stderr, "inventory: cannot connect to port %d\n", port);
                return 1;
            }
            rng = 0x2545F4914F6CDD1DULL;
            static char body[1 << 16];
            for (long i = 0; i < n; i++) {
                struct key k;
                pick(&k);
                char path[200];
                snprintf(path, sizeof(path), "/v1/inventory?seller=%s&warehouse=%s&sku=%s",
                         k.seller, k.wh, k.sku);
                int64_t t0 = hc_mono_ns();
                int status = http_get(fd, path, key, body, sizeof(body));
                ns[i] = hc_mono_ns() - t0;
                if (status != 200 || strstr(body, k.sku) == NULL ||
                    strstr(body, "\"in_transit\"") == NULL) {
                    fprintf(stderr, "inventory: GET %s: %d %.200s\n", path, status, body);
                    return 1;
                }
            }
            close(fd);
            if (round)
                report("http", ns, (size_t)n, &p99[2]);
        }
    }
    int64_t journal = 0, shipments = 0;
    (void)hc_store_int(st, &err, &journal, "SELECT COUNT(*) FROM journal", "");
    (void)hc_store_int(st, &err, &shipments, "SELECT COUNT(*) FROM shipments", "");
    printf("RESULT journal=%lld shipments=%lld reads=%ld hc_p99_us=%.1f raw_p99_us=%.1f "
           "http_p99_us=%.1f checksum=%lld\n",
           (long long)journal, (long long)shipments, reads, p99[0], p99[1], p99[2],
           (long long)check);
    sqlite3_finalize(q);
    sqlite3_close(raw);
    hc_store_close(st);
    free(ns);
    return 0;
}

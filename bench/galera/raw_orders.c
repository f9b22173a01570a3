/* raw_orders.c: the SQL haicang runs to create one allocated order, executed
 * in a plain MariaDB Connector/C loop: the ceiling the server is measured
 * against in bench/galera/run (bench/RESULTS.md, "Orders on MariaDB and Galera").
 *
 * Per order, the statements of src/orders/orders.c hc_order_create and
 * src/ledger/ledger.c hc_ledger_allocate, in the order haicang runs them for a
 * one-line order that allocates (seller, SKU and warehouse lookups are cached
 * by the server, so they are not here):
 *   SAVEPOINT job                                   (db.c run_job, text protocol)
 *   SELECT id FROM orders WHERE seller=? AND channel=? AND channel_order_id=?
 *   SELECT warehouse, on_hand - allocated FROM stock WHERE seller=? AND sku=?
 *   UPDATE stock SET allocated = allocated + ? WHERE ... AND on_hand - allocated >= ?
 *   INSERT INTO journal (...)                       (the allocate posting)
 *   INSERT INTO orders (...)
 *   INSERT INTO order_lines (...)
 *   INSERT INTO order_history (...)
 *   [RELEASE SAVEPOINT job]      (only with --release-savepoint: haicang's writer
 *                                 stopped releasing on MySQL in 4eea5a6; the next
 *                                 SAVEPOINT of the same name replaces it)
 * and START TRANSACTION / COMMIT around each batch of --batch orders (haicang's
 * group commit). Prepared statements, one connection per thread, session at
 * READ COMMITTED with autocommit on (as src/store/mysql.c opens them).
 * A batch that fails with a deadlock or a Galera certification conflict
 * (1213, 1205, 1180, 2013 at commit is fatal) is rolled back and run again.
 *
 *   raw_orders --hosts H:P[,H:P...] --user U --pass P --db DB [--threads 4]
 *              [--batch 1] [--seconds 10] [--skus 1000] [--sku-prefix SKU-]
 *              [--seller S1] [--warehouse DE1] [--no-savepoint] [--release-savepoint]
 *              [--sync-wait N]
 * Thread i connects to host i mod (number of hosts). Latency is per order:
 * from the start of its batch to the batch's commit. The last line is
 * "RESULT orders_per_s=... p50_ms=... p99_ms=... retries=...". */
#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOSTS_MAX 8

static char *hosts[HOSTS_MAX];
static unsigned ports[HOSTS_MAX];
static int nhosts;
static const char *user = "haicang", *pass = "haicang", *dbname = "haicang";
static int threads = 4, batch = 1, savepoints = 1, release = 0, sync_wait = -1;
static double seconds = 10;
static long skus = 1000;
static const char *sku_prefix = "SKU-", *seller = "S1", *warehouse = "DE1";
static atomic_bool stopping;
static atomic_long run_id;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t now_ms_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct worker {
    pthread_t th;
    int idx;
    MYSQL *db;
    MYSQL_STMT *st[7];
    int64_t *lat;
    size_t nlat, cap;
    long orders, retries, failures;
    char err[512];
};

enum { S_DUP, S_STOCK, S_ALLOC, S_JOURNAL, S_ORDER, S_LINE, S_HISTORY };

static const char *sqls[7] = {
    "SELECT id FROM orders WHERE seller = ? AND channel = ? AND channel_order_id = ?",
    "SELECT warehouse, on_hand - allocated FROM stock WHERE seller = ? AND sku = ?",
    "UPDATE stock SET allocated = allocated + ? WHERE seller = ? AND warehouse = ? AND sku = ?"
    " AND on_hand - allocated >= ?",
    "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref, actor)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse, ship_to,"
    " ship_country, created_at, updated_at, ship_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO order_lines (seller, order_id, line_no, sku, qty, price_minor, currency,"
    " allocated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO order_history (seller, order_id, id, status, at) VALUES (?, ?, ?, ?, ?)",
};

/* parameters: 's' string, 'i' int64 */
struct param {
    char type;
    const char *s;
    long long i;
    unsigned long len;
};

#define S(x) {.type = 's', .s = (x)}
#define I(x) {.type = 'i', .i = (x)}

static bool retryable(unsigned e)
{
    return e == 1213 || e == 1205 || e == 1180 || e == 1047;
}

static unsigned exec(struct worker *w, int k, const char *types, struct param *p, bool fetch)
{
    MYSQL_STMT *st = w->st[k];
    MYSQL_BIND b[12];
    size_t n = strlen(types);
    memset(b, 0, sizeof(b));
    for (size_t i = 0; i < n; i++) {
        if (types[i] == 's') {
            p[i].len = strlen(p[i].s);
            b[i].buffer_type = MYSQL_TYPE_STRING;
            b[i].buffer = (void *)p[i].s;
            b[i].buffer_length = p[i].len;
            b[i].length = &p[i].len;
        } else {
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = &p[i].i;
        }
    }
    if (mysql_stmt_bind_param(st, b) || mysql_stmt_execute(st))
        goto fail;
    if (fetch) { /* read every row as haicang does (text columns) */
        char c0[128], c1[64];
        unsigned long l0, l1;
        MYSQL_BIND r[2];
        memset(r, 0, sizeof(r));
        r[0].buffer_type = MYSQL_TYPE_STRING;
        r[0].buffer = c0;
        r[0].buffer_length = sizeof(c0);
        r[0].length = &l0;
        r[1].buffer_type = MYSQL_TYPE_STRING;
        r[1].buffer = c1;
        r[1].buffer_length = sizeof(c1);
        r[1].length = &l1;
        if (mysql_stmt_bind_result(st, r))
            goto fail;
        int rc;
        while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED)
            ;
        if (rc == 1)
            goto fail;
        mysql_stmt_free_result(st);
    } else if (k == S_ALLOC && mysql_stmt_affected_rows(st) != 1) {
        snprintf(w->err, sizeof(w->err), "not enough stock (raise the stock or lower --seconds)");
        return 99999;
    }
    return 0;
fail:
    snprintf(w->err, sizeof(w->err), "%s: %u %s", sqls[k], mysql_stmt_errno(st), mysql_stmt_error(st));
    return mysql_stmt_errno(st) ? mysql_stmt_errno(st) : 1;
}

static unsigned query(struct worker *w, const char *sql)
{
    if (mysql_query(w->db, sql) == 0)
        return 0;
    snprintf(w->err, sizeof(w->err), "%s: %u %s", sql, mysql_errno(w->db), mysql_error(w->db));
    return mysql_errno(w->db);
}

static unsigned one_order(struct worker *w, uint64_t *rng, long seq)
{
    char coid[64], id[40], sku[64], ref[48], from[64], to[64];
    long run = atomic_load(&run_id);
    snprintf(coid, sizeof(coid), "raw-%ld-%d-%ld", run, w->idx, seq);
    snprintf(id, sizeof(id), "ord_r%ld_%d_%ld", run, w->idx, seq);
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    snprintf(sku, sizeof(sku), "%s%07ld", sku_prefix, (long)(*rng % (uint64_t)skus) + 1);
    snprintf(ref, sizeof(ref), "%s", id);
    snprintf(from, sizeof(from), "wh/%s", warehouse);
    snprintf(to, sizeof(to), "order/%s", id);
    int64_t now = now_ms_wall();
    long long jid = ((long long)run << 40) | ((long long)w->idx << 32) | (seq * 2);
    const char *ship_to = "{\"name\":\"Max Mustermann\",\"country\":\"DE\",\"postcode\":\"47051\","
                          "\"city\":\"Duisburg\",\"line1\":\"Koenigstrasse 1\"}";
    unsigned e;
    if (savepoints && (e = query(w, "SAVEPOINT job")))
        return e;
    struct param p1[] = {S(seller), S("bench"), S(coid)};
    if ((e = exec(w, S_DUP, "sss", p1, true)))
        return e;
    struct param p2[] = {S(seller), S(sku)};
    if ((e = exec(w, S_STOCK, "ss", p2, true)))
        return e;
    struct param p3[] = {I(1), S(seller), S(warehouse), S(sku), I(1)};
    if ((e = exec(w, S_ALLOC, "isssi", p3, false)))
        return e;
    struct param p4[] = {S(seller), I(jid),      I(now), S("allocate"),
                         S(sku),    I(1),        S(from),     S(to),
                         S(ref),    S("key:bench")};
    if ((e = exec(w, S_JOURNAL, "siississss", p4, false)))
        return e;
    struct param p5[] = {S(seller),  S(id),      S("bench"),     S(coid),
                         S("allocated"), S(warehouse), S(ship_to), S("DE"),
                         I(now), I(now), S("Max Mustermann")};
    if ((e = exec(w, S_ORDER, "ssssssssiis", p5, false)))
        return e;
    struct param p6[] = {S(seller), S(id), I(0), S(sku), I(1),
                         I(1999), S("EUR"), I(1)};
    if ((e = exec(w, S_LINE, "ssisiisi", p6, false)))
        return e;
    struct param p7[] = {S(seller), S(id), I(jid + 1), S("allocated"),
                         I(now)};
    if ((e = exec(w, S_HISTORY, "ssisi", p7, false)))
        return e;
    if (savepoints && release && (e = query(w, "RELEASE SAVEPOINT job")))
        return e;
    return 0;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    uint64_t rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)w->idx * 0x100000001B3ULL) ^ (uint64_t)now_ns();
    long seq = 0;
    int64_t *t0 = calloc((size_t)batch, sizeof(*t0));
    while (!atomic_load(&stopping)) {
        long first = seq;
        int64_t start = now_ns();
        unsigned e = query(w, "START TRANSACTION");
        for (int k = 0; e == 0 && k < batch; k++) {
            t0[k] = start;
            e = one_order(w, &rng, first + k);
        }
        if (e == 0)
            e = query(w, "COMMIT");
        if (e != 0) {
            mysql_query(w->db, "ROLLBACK");
            if (retryable(e)) {
                w->retries++;
                continue; /* the same ids again: nothing of the batch was kept */
            }
            w->failures++;
            fprintf(stderr, "raw_orders: thread %d: %s\n", w->idx, w->err);
            break;
        }
        seq += batch;
        int64_t end = now_ns();
        for (int k = 0; k < batch; k++) {
            if (w->nlat == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 65536;
                w->lat = realloc(w->lat, w->cap * sizeof(*w->lat));
            }
            w->lat[w->nlat++] = end - t0[k];
        }
        w->orders += batch;
    }
    free(t0);
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(const int64_t *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return (double)v[i] / 1e6;
}

static void usage(void)
{
    fprintf(stderr, "usage: raw_orders --hosts H:P[,H:P...] [--user U] [--pass P] [--db DB] [--threads 4]\n"
                    "       [--batch 1] [--seconds 10] [--skus 1000] [--sku-prefix SKU-] [--seller S1]\n"
                    "       [--warehouse DE1] [--no-savepoint] [--release-savepoint] [--sync-wait N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-savepoint")) {
            savepoints = 0;
            continue;
        }
        if (!strcmp(a, "--release-savepoint")) {
            release = 1;
            continue;
        }
        if (v == NULL)
            usage();
        i++;
        if (!strcmp(a, "--hosts")) {
            char *list = strdup(v), *save = NULL;
            for (char *h = strtok_r(list, ",", &save); h && nhosts < HOSTS_MAX; h = strtok_r(NULL, ",", &save)) {
                char *c = strrchr(h, ':');
                ports[nhosts] = c ? (unsigned)atoi(c + 1) : 3306;
                if (c)
                    *c = '\0';
                hosts[nhosts++] = h;
            }
        } else if (!strcmp(a, "--user"))
            user = v;
        else if (!strcmp(a, "--pass"))
            pass = v;
        else if (!strcmp(a, "--db"))
            dbname = v;
        else if (!strcmp(a, "--threads"))
            threads = atoi(v);
        else if (!strcmp(a, "--batch"))
            batch = atoi(v);
        else if (!strcmp(a, "--seconds"))
            seconds = atof(v);
        else if (!strcmp(a, "--skus"))
            skus = atol(v);
        else if (!strcmp(a, "--sku-prefix"))
            sku_prefix = v;
        else if (!strcmp(a, "--seller"))
            seller = v;
        else if (!strcmp(a, "--warehouse"))
            warehouse = v;
        else if (!strcmp(a, "--sync-wait"))
            sync_wait = atoi(v);
        else
            usage();
    }
    if (nhosts == 0 || threads < 1 || batch < 1 || skus < 1)
        usage();
    atomic_store(&run_id, (long)(time(NULL) % 100000));
    mysql_library_init(0, NULL, NULL);
    struct worker *w = calloc((size_t)threads, sizeof(*w));
    for (int i = 0; i < threads; i++) {
        w[i].idx = i;
        w[i].db = mysql_init(NULL);
        int h = i % nhosts;
        if (!mysql_real_connect(w[i].db, hosts[h], user, pass, dbname, ports[h], NULL, CLIENT_FOUND_ROWS)) {
            fprintf(stderr, "raw_orders: connect %s:%u: %s\n", hosts[h], ports[h], mysql_error(w[i].db));
            return 1;
        }
        char set[96];
        if (query(&w[i], "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") ||
            query(&w[i], "SET NAMES utf8mb4 COLLATE utf8mb4_bin")) {
            fprintf(stderr, "raw_orders: %s\n", w[i].err);
            return 1;
        }
        if (sync_wait >= 0) {
            snprintf(set, sizeof(set), "SET SESSION wsrep_sync_wait = %d", sync_wait);
            if (query(&w[i], set)) {
                fprintf(stderr, "raw_orders: %s\n", w[i].err);
                return 1;
            }
        }
        for (int k = 0; k < 7; k++) {
            w[i].st[k] = mysql_stmt_init(w[i].db);
            if (mysql_stmt_prepare(w[i].st[k], sqls[k], strlen(sqls[k]))) {
                fprintf(stderr, "raw_orders: prepare %s: %s\n", sqls[k], mysql_stmt_error(w[i].st[k]));
                return 1;
            }
        }
    }
    int64_t t0 = now_ns();
    for (int i = 0; i < threads; i++)
        pthread_create(&w[i].th, NULL, work, &w[i]);
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&stopping, true);
    size_t n = 0;
    long orders = 0, retries = 0, failures = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].th, NULL);
        n += w[i].nlat;
        orders += w[i].orders;
        retries += w[i].retries;
        failures += w[i].failures;
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    int64_t *all = malloc((n ? n : 1) * sizeof(*all));
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, w[i].lat, w[i].nlat * sizeof(*all));
        k += w[i].nlat;
        for (int s = 0; s < 7; s++)
            mysql_stmt_close(w[i].st[s]);
        mysql_close(w[i].db);
        free(w[i].lat);
    }
    qsort(all, n, sizeof(*all), cmp_i64);
    printf("raw: %d thread(s) over %d host(s), batch %d, savepoints %s%s: %ld orders in %.2f s, "
           "%.0f orders/s, latency ms p50 %.2f p99 %.2f max %.2f, %ld batch retries, %ld failures\n",
           threads, nhosts, batch, savepoints ? "on" : "off", release ? " (released)" : "", orders, secs, (double)orders / secs,
           pct(all, n, 50), pct(all, n, 99), n ? (double)all[n - 1] / 1e6 : 0, retries, failures);
    printf("RESULT orders_per_s=%.0f p50_ms=%.2f p99_ms=%.2f orders=%ld retries=%ld failures=%ld\n",
           (double)orders / secs, pct(all, n, 50), pct(all, n, 99), orders, retries, failures);
    free(all);
    free(w);
    mysql_library_end();
    return failures ? 1 : 0;
}

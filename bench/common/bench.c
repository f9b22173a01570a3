/* bench.c: see bench.h. */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void bench_die(const char *what, const hc_err *err)
{
    fprintf(stderr, "%s: %s: %s %s\n", program_invocation_short_name, what,
            err ? err->field : "", err ? err->msg : "");
    exit(1);
}

double bench_secs(int64_t ns)
{
    return (double)ns / 1e9;
}

int64_t bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t bench_at_ms(const char *iso)
{
    int64_t ms;
    if (hc_time_parse_iso(iso, &ms) != HC_OK)
        bench_die(iso, NULL);
    return ms;
}

void bench_beijing_day(int64_t ms, char out[11])
{
    char iso[32];
    hc_time_iso(ms + HC_BEIJING_OFFSET_MS, iso, sizeof(iso));
    memcpy(out, iso, 10);
    out[10] = '\0';
}

void bench_db_open(struct bench_db *db, const char *path, const char *name)
{
    memset(db, 0, sizeof(*db));
    snprintf(db->dir, sizeof(db->dir), "/tmp/%s-XXXXXX", name);
    if (mkdtemp(db->dir) == NULL)
        bench_die("mkdtemp", NULL);
    snprintf(db->file, sizeof(db->file), "%s/bench.db", db->dir);
    db->path = path ? path : db->file;
    char url[600];
    snprintf(url, sizeof(url), "sqlite:%s", db->path);
    hc_err err = {0};
    if (hc_store_open(url, &db->s, &err) || hc_store_migrate(db->s, &err))
        bench_die("open", &err);
}

void bench_db_close(struct bench_db *db, bool keep)
{
    if (db->s)
        hc_store_close(db->s);
    db->s = NULL;
    if (!keep && db->path == db->file) {
        static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
            char f[600];
            snprintf(f, sizeof(f), "%s%s", db->file, sides[i]);
            (void)unlink(f); /* a side file may not exist */
        }
    }
    (void)rmdir(db->dir); /* kept when the run left a file there */
}

void bench_seed_seller(hc_store *s, const char *seller, const char *warehouse)
{
    hc_err err = {0};
    struct hc_seller sl = {seller, "Bench seller", "CN", NULL, NULL, 0};
    struct hc_warehouse w = {.code = warehouse, .name = "Bench", .country = "DE",
                             .address_json = "{}", .timezone = "Europe/Berlin",
                             .aisle_pitch_mm = 3000, .bay_pitch_mm = 1000, .depot_aisle = 1};
    if (hc_seller_create(s, &sl, &err) || (warehouse && hc_warehouse_create(s, &w, &err)))
        bench_die("seller and warehouse", &err);
}

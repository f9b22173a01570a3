/* bench/common: what the benchmark programs share: dying with a message,
 * timing, dates, the SQLite store a run works on and a seller with a
 * warehouse to load data for. Messages start with the program's name. */
#ifndef HC_BENCH_COMMON_H
#define HC_BENCH_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog.h"

/* Prints "<program>: what: field message" and exits 1 (err may be NULL). */
_Noreturn void bench_die(const char *what, const hc_err *err);
/* Nanoseconds as seconds. */
double bench_secs(int64_t ns);
/* CPU time of the process, all threads (a shared machine stretches the
 * wall clock, much less this). */
int64_t bench_cpu_ns(void);
/* An ISO 8601 time as ms; dies naming it when it is none. */
int64_t bench_at_ms(const char *iso);
/* The Beijing day (YYYY-MM-DD) of ms. */
void bench_beijing_day(int64_t ms, char out[11]);

/* The SQLite store a run works on, migrated: the file path names, or (path
 * NULL) bench.db in a new directory /tmp/<name>-XXXXXX, made either way for
 * the run's other files. */
struct bench_db {
    char dir[256];
    char file[512];
    const char *path; /* the database file */
    hc_store *s;
};
void bench_db_open(struct bench_db *db, const char *path, const char *name);
/* Closes the store (unless the caller did and set s NULL); removes the file bench_db_open made (with its -wal and
 * -shm) unless keep, and the directory when it is empty. */
void bench_db_close(struct bench_db *db, bool keep);

/* Seller `seller` (country CN) and, unless warehouse is NULL, warehouse
 * `warehouse` (DE, Europe/Berlin) in the open transaction; dies on failure. */
void bench_seed_seller(hc_store *s, const char *seller, const char *warehouse);

#endif

/* sqlite_events: the raw SQLite rate of the rows bench/headhaul-events/run
 * sends through the API. Reads the rows (TSV, one event a line, a blank
 * line between batches) into memory, then inserts them into a fresh
 * database with the server's schema of tracking_events (src/store/migrate.c)
 * and the server's settings (src/store/sqlite.c: WAL, synchronous=FULL,
 * cache_size=-65536, temp_store=MEMORY, mmap_size=256 MiB), one transaction
 * per batch with INSERT OR IGNORE as events.c does, each commit synced.
 *
 *   sqlite_events ROWS.tsv DB.sqlite
 * prints: "rows N batches B seconds S rows_per_s R" */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCOL 11

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_events: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sqlite_events ROWS.tsv DB\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    char **lines = malloc(cap * sizeof(*lines));
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof(*lines));
        lines[n++] = strdup(line);
    }
    fclose(f);
    sqlite3 *db;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK)
        die(db, "open");
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
                     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                     " PRAGMA mmap_size=268435456;"
                     "CREATE TABLE IF NOT EXISTS tracking_events (event_id VARCHAR(100) NOT NULL"
                     " PRIMARY KEY, shipment_id VARCHAR(32) NOT NULL, seq BIGINT NOT NULL,"
                     " event_type VARCHAR(16) NOT NULL, classifier CHAR(3) NOT NULL,"
                     " type_code VARCHAR(4) NOT NULL, event_at BIGINT NOT NULL,"
                     " created_at BIGINT NOT NULL, received_at BIGINT NOT NULL,"
                     " equipment VARCHAR(11), location VARCHAR(5), mode VARCHAR(16),"
                     " publisher VARCHAR(100), document_type VARCHAR(3),"
                     " document_ref VARCHAR(100), reason VARCHAR(250));"
                     "CREATE INDEX IF NOT EXISTS tracking_events_shp ON tracking_events"
                     " (shipment_id, seq);"
                     "CREATE INDEX IF NOT EXISTS tracking_events_seq ON tracking_events (seq);",
                     NULL, NULL, NULL) != SQLITE_OK)
        die(db, "schema");
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO tracking_events (event_id, shipment_id, seq,"
                           " event_type, classifier, type_code, event_at, created_at, received_at,"
                           " equipment, location, mode, publisher, document_type, document_ref,"
                           " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK)
        die(db, "prepare");
    long long seq = 1, rows = 0, batches = 0;
    double t0 = now_s();
    int open = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || lines[i][0] == '\0') {
            if (open) {
                if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                    die(db, "commit");
                open = 0;
                batches++;
            }
            continue;
        }
        if (!open) {
            if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
                die(db, "begin");
            open = 1;
        }
        /* event_id shipment type classifier code event_at created_at equipment location mode publisher */
        char *col[NCOL], *p = lines[i];
        for (int c = 0; c < NCOL; c++) {
            col[c] = p;
            p = p ? strchr(p, '\t') : NULL;
            if (p)
                *p++ = '\0';
        }
        long long received = (long long)(now_s() * 1000);
        sqlite3_bind_text(ins, 1, col[0], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, col[1], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 3, seq++);
        sqlite3_bind_text(ins, 4, col[2], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, col[3], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, col[4], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 7, atoll(col[5]));
        sqlite3_bind_int64(ins, 8, atoll(col[6]));
        sqlite3_bind_int64(ins, 9, received);
        for (int c = 7; c < NCOL; c++) {
            if (col[c] && col[c][0])
                sqlite3_bind_text(ins, c + 3, col[c], -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(ins, c + 3);
        }
        for (int c = 14; c <= 16; c++)
            sqlite3_bind_null(ins, c);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(ins);
        rows++;
    }
    double secs = now_s() - t0;
    sqlite3_finalize(ins);
    sqlite3_close(db);
    printf("rows %lld batches %lld seconds %.3f rows_per_s %.0f\n", rows, batches, secs,
           rows / secs);
    return 0;
}

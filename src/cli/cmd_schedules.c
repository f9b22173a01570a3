/* cmd_schedules.c: haicang schedules import FILE (DCSA Commercial Schedules
 * JSON) and haicang events import DIR (an inbox of DCSA Track & Trace
 * batches). Both read their documents with the API's own parsers, so a
 * file is refused for the same reasons, naming the same fields, as the
 * same body sent over HTTP. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api.h"
#include "headhaul/headhaul.h"

#define DOC_MAX (64u << 20) /* a schedules file or an inbox file, at most */

static const char *db_opt(const char **db)
{
    return *db ? *db : hc_cli_default_db();
}

/* ---- schedules import FILE ------------------------------------------------------------ */
static int schedules_import(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int ec = hc_cli_db_arg(argc, argv, "schedules",
                           "usage: haicang schedules import FILE.json [--db URL]", &db, pos);
    if (ec)
        return ec;
    hc_err err = {0};
    char *text = NULL;
    size_t n = 0;
    if (hc_cli_read_file(pos[0], DOC_MAX, &text, &n, &err))
        return hc_cli_fail("schedules", "%s", err.msg);
    hc_arena *a = hc_arena_new(1 << 20);
    struct hc_schedule *items;
    size_t count;
    int rc = hc_api_parse_schedules(text, n, a, &items, &count, &err);
    free(text);
    if (rc != HC_OK) {
        hc_arena_free(a);
        return hc_cli_fail("schedules", "%s: %s%s%s", pos[0], err.field, err.field[0] ? ": " : "",
                           err.msg);
    }
    hc_store *st;
    if (hc_cli_open("schedules", db_opt(&db), &st)) {
        hc_arena_free(a);
        return 1;
    }
    size_t replaced = 0;
    rc = hc_store_begin(st, &err);
    for (size_t i = 0; rc == HC_OK && i < count; i++) {
        bool r;
        rc = hc_schedule_put(st, &items[i], &r, &err);
        replaced += r;
        if (rc != HC_OK)
            hc_strlcpy(err.field, hc_arena_printf(a, "[%zu].%s", i, err.field),
                       sizeof(err.field));
    }
    if (rc == HC_OK)
        rc = hc_store_commit(st, &err);
    else
        (void)hc_store_rollback(st, NULL);
    hc_store_close(st);
    hc_arena_free(a);
    if (rc != HC_OK)
        return hc_cli_fail("schedules", "%s: %s%s%s (nothing imported)", pos[0], err.field,
                           err.field[0] ? ": " : "", err.msg);
    printf("imported %zu departures (%zu new, %zu replaced)\n", count, count - replaced, replaced);
    return 0;
}

int hc_cmd_schedules(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "import") != 0)
        return hc_cli_fail("schedules", "usage: haicang schedules import FILE.json [--db URL]");
    return schedules_import(argc - 1, argv + 1);
}

/* ---- events import DIR ------------------------------------------------------------------- */
/* Moves DIR/name to DIR/sub/name (sub made when missing); with a reason,
 * DIR/sub/name.error says why. */
static int move_to(const char *dir, const char *sub, const char *name, const char *reason)
{
    char d[4096], from[4096], to[8400];
    if (strlen(dir) + strlen(sub) + strlen(name) + 16 > sizeof(d))
        return -1;
    snprintf(d, sizeof(d), "%s/%s", dir, sub);
    if (mkdir(d, 0755) != 0 && errno != EEXIST)
        return -1;
    snprintf(from, sizeof(from), "%s/%s", dir, name);
    snprintf(to, sizeof(to), "%s/%s", d, name);
    if (rename(from, to) != 0)
        return -1;
    if (reason) {
        snprintf(to, sizeof(to), "%s/%s.error", d, name);
        FILE *f = fopen(to, "w");
        if (f == NULL)
            return -1;
        fprintf(f, "%s\n", reason);
        if (fclose(f) != 0)
            return -1;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One inbox file: parsed, applied in one transaction (all or none). */
static int apply_file(hc_store *st, const char *path, size_t *applied, size_t *dups, hc_err *err)
{
    char *text = NULL;
    size_t n = 0;
    if (hc_cli_read_file(path, DOC_MAX, &text, &n, err))
        return err->code;
    hc_arena *a = hc_arena_new(1 << 20);
    const char *shipment;
    struct hc_event *ev;
    size_t count;
    int rc = hc_api_parse_events(text, n, a, &shipment, &ev, &count, err);
    free(text);
    struct hc_events_result res;
    if (rc == HC_OK)
        rc = hc_store_begin(st, err);
    if (rc == HC_OK) {
        rc = hc_events_apply(st, a, shipment, ev, count, NULL, NULL, &res, err);
        if (rc == HC_OK)
            rc = hc_store_commit(st, err);
        else
            (void)hc_store_rollback(st, NULL);
    }
    if (rc == HC_OK) {
        *applied = res.applied;
        *dups = res.duplicates;
    }
    hc_arena_free(a);
    return rc;
}

static int events_import(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int ec = hc_cli_db_arg(argc, argv, "events",
                           "usage: haicang events import DIR [--db URL]", &db, pos);
    if (ec)
        return ec;
    const char *dir = pos[0];
    DIR *d = opendir(dir);
    if (d == NULL)
        return hc_cli_fail("events", "cannot open %s: %s", dir, strerror(errno));
    size_t cap = 64, nf = 0;
    char **names = malloc(sizeof(*names) * cap);
    struct dirent *de;
    while (names && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        char full[4096];
        struct stat sb;
        snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || stat(full, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            continue;
        if (nf == cap) {
            char **bigger = realloc(names, sizeof(*names) * cap * 2);
            if (bigger == NULL)
                break;
            names = bigger;
            cap *= 2;
        }
        names[nf++] = strdup(de->d_name);
    }
    closedir(d);
    if (names == NULL)
        return hc_cli_fail("events", "out of memory");
    qsort(names, nf, sizeof(*names), by_name);
    hc_store *st;
    if (hc_cli_open("events", db_opt(&db), &st)) {
        for (size_t i = 0; i < nf; i++)
            free(names[i]);
        free(names);
        return 1;
    }
    size_t ok = 0, failed = 0, total_applied = 0, total_dups = 0;
    int status = 0;
    for (size_t i = 0; i < nf; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        hc_err err = {0};
        size_t applied = 0, dups = 0;
        int rc = apply_file(st, path, &applied, &dups, &err);
        if (rc == HC_OK) {
            ok++;
            total_applied += applied;
            total_dups += dups;
            if (move_to(dir, "done", names[i], NULL) != 0)
                status = hc_cli_fail("events", "%s: applied, but cannot move it to done/: %s",
                                     names[i], strerror(errno));
            printf("%s: %zu applied, %zu duplicates\n", names[i], applied, dups);
        } else {
            char reason[HC_ERR_FIELD_MAX + HC_ERR_MSG_MAX + 8];
            snprintf(reason, sizeof(reason), "%s%s%s", err.field, err.field[0] ? ": " : "",
                     err.msg);
            failed++;
            fprintf(stderr, "haicang events: %s: %s (moved to failed/)\n", names[i], reason);
            if (move_to(dir, "failed", names[i], reason) != 0)
                fprintf(stderr, "haicang events: %s: cannot move it to failed/: %s\n", names[i],
                        strerror(errno));
            status = 1;
        }
        free(names[i]);
    }
    free(names);
    hc_store_close(st);
    printf("%zu files applied (%zu events, %zu duplicates), %zu failed\n", ok, total_applied,
           total_dups, failed);
    return status;
}

int hc_cmd_events(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "import") != 0)
        return hc_cli_fail("events", "usage: haicang events import DIR [--db URL]");
    return events_import(argc - 1, argv + 1);
}

/* opts.c: the one option parser of the haicang command, its error line and the
 * reading of a named file (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hc_cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "haicang %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

int hc_cli_db_arg(int argc, char **argv, const char *cmd, const char *usage, const char **db,
                  const char **arg)
{
    size_t got;
    struct hc_opt opts[] = {{"--db", db}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), arg, 1, &got))
        return 2;
    if (got != 1)
        return hc_cli_fail(cmd, "%s", usage);
    return 0;
}

int hc_cli_read_file(const char *path, size_t max, char **out, size_t *n, hc_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return hc_err_set(err, HC_ENOTFOUND, "", "cannot open %s: %s", path, strerror(errno));
    hc_buf b;
    hc_buf_init(&b, max);
    char chunk[65536];
    size_t got;
    int rc = HC_OK;
    while (rc == HC_OK && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = hc_buf_add(&b, chunk, got);
    bool bad = ferror(f);
    fclose(f);
    if (rc != HC_OK) {
        hc_buf_free(&b);
        return hc_err_set(err, rc, "", "cannot read %s: over %zu MiB", path, max >> 20);
    }
    if (bad) {
        hc_buf_free(&b);
        return hc_err_set(err, HC_EINVAL, "", "cannot read %s", path);
    }
    *out = b.p ? b.p : calloc(1, 1);
    *n = b.n;
    return *out ? HC_OK : hc_err_set(err, HC_EINTERNAL, "", "out of memory");
}

/* An argument that names an option: "--name[=value]", or "-x" (not "-" alone
 * and not a negative number, which are positional). */
static bool is_option(const char *a)
{
    return a[0] == '-' && a[1] != '\0' && !(a[1] >= '0' && a[1] <= '9');
}

static bool named(const char *name, const char *a, size_t len)
{
    return strlen(name) == len && strncmp(name, a, len) == 0;
}

/* The options of one command: single, flags and repeatable ones. */
struct optset {
    const struct hc_opt *opts;
    size_t nopts;
    const struct hc_flag *flags;
    size_t nflags;
    const struct hc_multi_opt *multi;
    size_t nmulti;
};

/* Stores value for the repeatable option m; -1 (after the error line) when
 * it was given max times already. */
static int add_multi(const char *cmd, const struct hc_multi_opt *m, const char *value)
{
    if (*m->n >= m->max) {
        hc_cli_fail(cmd, "%s given more than %zu times", m->name, m->max);
        return -1;
    }
    m->values[(*m->n)++] = value;
    return 0;
}

static int parse_args(int argc, char **argv, const struct optset *set, const char **pos,
                      size_t npos, size_t *got)
{
    const struct hc_opt *opts = set->opts;
    const struct hc_flag *flags = set->flags;
    size_t nopts = set->nopts, nflags = set->nflags;
    const char *cmd = argc > 0 ? argv[0] : "";
    bool options_end = false;
    *got = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && strcmp(a, "--") == 0) {
            options_end = true;
            continue;
        }
        if (options_end || !is_option(a)) {
            if (*got == npos) {
                hc_cli_fail(cmd, "unexpected argument %s", a);
                return -1;
            }
            pos[(*got)++] = a;
            continue;
        }
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        const struct hc_opt *o = NULL;
        const struct hc_flag *f = NULL;
        for (size_t k = 0; k < nopts && o == NULL; k++)
            if (named(opts[k].name, a, len))
                o = &opts[k];
        for (size_t k = 0; k < nflags && o == NULL && f == NULL; k++)
            if (named(flags[k].name, a, len))
                f = &flags[k];
        const struct hc_multi_opt *m = NULL;
        for (size_t k = 0; k < set->nmulti && o == NULL && f == NULL && m == NULL; k++)
            if (named(set->multi[k].name, a, len))
                m = &set->multi[k];
        if (m) {
            const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
            if (v == NULL) {
                hc_cli_fail(cmd, "%s needs a value", m->name);
                return -1;
            }
            if (add_multi(cmd, m, v))
                return -1;
        } else if (f) {
            if (eq) {
                hc_cli_fail(cmd, "%s takes no value", f->name);
                return -1;
            }
            *f->on = true;
        } else if (o == NULL) {
            hc_cli_fail(cmd, "unknown option %.*s", (int)len, a);
            return -1;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            hc_cli_fail(cmd, "%s needs a value", o->name);
            return -1;
        }
    }
    return 0;
}

int hc_cli_args(int argc, char **argv, const struct hc_opt *opts, size_t nopts,
                const struct hc_flag *flags, size_t nflags, const char **pos, size_t npos,
                size_t *got)
{
    const struct optset set = {opts, nopts, flags, nflags, NULL, 0};
    return parse_args(argc, argv, &set, pos, npos, got);
}

int hc_cli_args_multi(int argc, char **argv, const struct hc_opt *opts, size_t nopts,
                      const struct hc_multi_opt *multi, size_t nmulti, const char **pos,
                      size_t npos, size_t *got)
{
    const struct optset set = {opts, nopts, NULL, 0, multi, nmulti};
    for (size_t k = 0; k < nmulti; k++)
        *multi[k].n = 0;
    return parse_args(argc, argv, &set, pos, npos, got);
}

int hc_cli_parse(int argc, char **argv, const struct hc_opt *opts, size_t nopts, const char **pos,
                 size_t npos, size_t *got)
{
    return hc_cli_args(argc, argv, opts, nopts, NULL, 0, pos, npos, got);
}

/* cli: the haicang command. Commands are a table of {name, usage, run}; each
 * run(argc, argv) gets argv[0] = its own name and returns the exit code. */
#ifndef HC_CLI_H
#define HC_CLI_H

#include "store/store.h"

struct hc_opt {
    const char *name; /* "--db" */
    const char **value;
};

/* Reads --name VALUE and --name=VALUE pairs; positional arguments go to
 * pos (at most npos). Prints a one-line reason and returns -1 on an unknown
 * option or a missing value. */
int hc_cli_parse(int argc, char **argv, const struct hc_opt *opts, size_t nopts, const char **pos,
                 size_t npos, size_t *got);
/* Exit code 1 with "haicang NAME: reason" on stderr. */
int hc_cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens (and migrates) the database at url. */
int hc_cli_open(const char *cmd, const char *url, hc_store **out);
const char *hc_cli_default_db(void);
const char *hc_cli_data_dir(void);
const char *hc_cli_web_dir(void);

int hc_cmd_serve(int argc, char **argv);
int hc_cmd_migrate(int argc, char **argv);
int hc_cmd_key(int argc, char **argv);
int hc_cmd_verify(int argc, char **argv);
int hc_cmd_import(int argc, char **argv);
int hc_cmd_demo(int argc, char **argv);

#endif

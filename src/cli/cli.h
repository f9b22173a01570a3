/* cli: the haicang command. Commands are a table of {name, usage, run}; each
 * run(argc, argv) gets argv[0] = its own name and returns the exit code. */
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdio.h>

#include "store/store.h"

#include <stdio.h>

/* An option that takes a value: --name VALUE or --name=VALUE sets *value
 * (the last one given wins). name is "--db", or a short "-o". */
struct hc_opt {
    const char *name;
    const char **value;
};
/* A flag: --name alone sets *on true. */
struct hc_flag {
    const char *name;
    bool *on;
};

/* The one option parser (opts.c). Reads argv[1..] (argv[0] is the command's
 * name, used in errors): options and flags in any order among the positional
 * arguments, which go to pos in order (at most npos; *got counts them). Any
 * argument starting with '-' names an option, except "-" and negative
 * numbers; after "--" everything is positional. On an unknown option (named
 * in the error), a missing value, a value given to a flag or one positional
 * argument too many, prints "haicang CMD: reason" and returns -1; else 0. */
int hc_cli_args(int argc, char **argv, const struct hc_opt *opts, size_t nopts,
                const struct hc_flag *flags, size_t nflags, const char **pos, size_t npos,
                size_t *got);
/* A repeatable option: each "--name VALUE" appends VALUE to values (at most
 * max of them; one more is a parse error naming the option); *n counts them. */
struct hc_multi_opt {
    const char *name;
    const char **values;
    size_t max;
    size_t *n;
};
/* hc_cli_args with repeatable options besides the single ones. */
int hc_cli_args_multi(int argc, char **argv, const struct hc_opt *opts, size_t nopts,
                      const struct hc_multi_opt *multi, size_t nmulti, const char **pos,
                      size_t npos, size_t *got);
/* hc_cli_args for a command without flags. */
int hc_cli_parse(int argc, char **argv, const struct hc_opt *opts, size_t nopts, const char **pos,
                 size_t npos, size_t *got);
/* hc_cli_parse for a command that takes --db URL (into *db, left as it is when
 * not given) and one argument (into *arg). Returns 0, else the exit code: 2
 * after a parse error, 1 after "haicang CMD: USAGE" when the argument is missing. */
int hc_cli_db_arg(int argc, char **argv, const char *cmd, const char *usage, const char **db,
                  const char **arg);
/* Exit code 1 with "haicang NAME: reason" on stderr. */
int hc_cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads the whole file at path, at most max bytes, into *out (malloc'd, for the
 * caller to free; an empty file gives "") and *n. On failure err says
 * "cannot open PATH: reason" (HC_ENOTFOUND), "cannot read PATH: over N MiB"
 * (N = max in MiB) or "cannot read PATH", and its code is returned. */
int hc_cli_read_file(const char *path, size_t max, char **out, size_t *n, hc_err *err);
/* Ends the transaction a command began: commits when rc is HC_OK (returning
 * the commit's result), else rolls back, keeping err as it is, and returns rc. */
int hc_cli_end_tx(hc_store *s, int rc, hc_err *err);
/* Opens (and migrates) the database at url. */
int hc_cli_open(const char *cmd, const char *url, hc_store **out);
/* hc_cli_fail with err's "field: message". */
int hc_cli_fail_err(const char *cmd, const hc_err *err);
/* Runs one write job fn(ctx) through the group-commit writer of the database
 * at url (migrated first), as the server would; err says why it failed. */
int hc_cli_write(const char *cmd, const char *url, hc_write_fn fn, void *ctx, hc_err *err);
const char *hc_cli_default_db(void);
const char *hc_cli_data_dir(void);
const char *hc_cli_web_dir(void);

int hc_cmd_serve(int argc, char **argv);
int hc_cmd_migrate(int argc, char **argv);
int hc_cmd_key(int argc, char **argv);
int hc_cmd_verify(int argc, char **argv);
int hc_cmd_import(int argc, char **argv);
int hc_cmd_demo(int argc, char **argv);
int hc_cmd_schedules(int argc, char **argv); /* cmd_schedules.c */
int hc_cmd_events(int argc, char **argv);
int hc_cmd_shipment(int argc, char **argv); /* cmd_shipment.c */
int hc_cmd_slotting(int argc, char **argv); /* cmd_slotting.c */
int hc_cmd_wave(int argc, char **argv);     /* cmd_wave.c */
int hc_cmd_money(int argc, char **argv);    /* cmd_money.c */
int hc_cmd_webhook(int argc, char **argv);  /* cmd_webhook.c */
int hc_cmd_adcap(int argc, char **argv);    /* cmd_adcap.c */
int hc_cmd_compliance(int argc, char **argv); /* cmd_compliance.c */
int hc_cmd_refund(int argc, char **argv);   /* cmd_refund.c */
/* The demo's export VAT refund (cmd_refund.c): SZ-ANKO's stock lists released,
 * numbered by CEB792, one filed long ago and repaid, one filed and granted,
 * the rest to file. Runs after the demo's orders shipped. */
int hc_demo_refund(hc_store *s, FILE *out, hc_err *err);
int hc_cmd_fx(int argc, char **argv);
int hc_cmd_rate_cards(int argc, char **argv); /* cmd_ratecards.c */
int hc_cmd_carrier(int argc, char **argv);    /* cmd_lastmile.c */
int hc_cmd_manifest(int argc, char **argv);   /* cmd_dispatch.c */
int hc_cmd_tracking(int argc, char **argv);
int hc_cmd_transfer(int argc, char **argv);   /* cmd_transfer.c */
int hc_cmd_rates(int argc, char **argv);
int hc_cmd_holidays(int argc, char **argv); /* cmd_holidays.c */
int hc_cmd_label(int argc, char **argv);
/* cmd_labels.c: label upload|inbound|product (argv[0] is the sub-command). */
bool hc_label_is_sub(const char *word);
int hc_cmd_label_sub(int argc, char **argv);
/* The demo's GS1 prefixes and an uploaded label for one allocated order. */
int hc_demo_labels(hc_store *s, FILE *out, hc_err *err);
/* The demo's last mile (cmd_lastmile.c): carrier services from
 * data/lastmile/demo-services.csv, boxes, a channel rule, and parcels for
 * some orders being picked or packed. One transaction. */
int hc_demo_lastmile(hc_store *s, FILE *out, hc_err *err);
/* The demo's holiday calendars (cmd_holidays.c): every file of
 * data/holidays, and a closed day of DE-DUI; before the last mile, so that
 * its promised dates skip them. */
int hc_demo_holidays(hc_store *s, FILE *out, hc_err *err);
int hc_demo_dispatch(hc_store *s, FILE *out, hc_err *err); /* cmd_dispatch.c */
/* The demo's transfer orders (cmd_transfer.c): an FBA replenishment packed
 * with its relabel work order open, and a transfer to US-LAX shipped. */
int hc_demo_transfer(hc_store *s, FILE *out, hc_err *err);
int hc_cmd_finance(int argc, char **argv);
int hc_cmd_seller(int argc, char **argv); /* cmd_seller.c */
/* The demo sellers' legal identities, SZ-ANKO with two versions (demo_identity.c). */
int hc_demo_identities(hc_db *db, hc_err *err);
/* Imports a CSV of FX reference rates (base,quote,day,rate[,source]) into the
 * database at url; source names the rates' origin for lines without one. */
int hc_fx_import_file(const char *url, const char *path, const char *source, size_t *count,
                      hc_err *err);
/* The demo's money: a month of FX rates (data/fx/demo-rates.csv, generated demo
 * data; *count gets how many), an opening top-up and a credit limit per seller. */
int hc_demo_money(hc_db *db, size_t *count, hc_err *err);
/* External fees of the demo orders shipped in the last two weeks and of the
 * period, so the settlement statement has every fee type (cmd_settle.c). */
int hc_demo_settlement(hc_db *db, const char *const *sellers, size_t nsellers, size_t *count,
                       hc_err *err);
/* The demo's advertising spend (cmd_adcap.c): three years of SZ-ANKO carried
 * forward, YW-HOMA as cosmetics (30 %) from last year. */
int hc_demo_adcap(hc_db *db, hc_err *err);
int hc_cmd_brand(int argc, char **argv); /* cmd_brands.c */
/* haicang compliance brand-report|epr-report (cmd_brands.c): the exit code,
 * or -1 when argv[1] is neither (hc_cmd_compliance goes on). */
int hc_compliance_reports(int argc, char **argv);
/* The demo's brands, trademarks, authorisations and packaging data
 * (demo_brands.c); a line on out says what it made. */
int hc_demo_brands(hc_db *db, FILE *out, hc_err *err);
/* demo_webhooks.c: two subscriptions to names that never resolve (before the orders) */
int hc_demo_webhooks(hc_db *db, hc_err *err);
/* SZ-ANKO's stock.low subscription with a threshold on AK-0001 at its
 * available units in DE-DUI now (call just before hc_demo_transfer, whose
 * FBA replenishment then takes it below). */
int hc_demo_stock_low(hc_store *s, FILE *out, hc_err *err);
/* The demo's compliance data (cmd_compliance.c): the starting table's rules for named
 * categories, three SZ-ANKO SKUs AG-0001..3 with their records (one short of its German
 * WEEE number, one toy without CE) and an order and an inbound held for AG-0002. */
int hc_demo_compliance(hc_db *db, hc_err *err);
/* Those three SKUs, made before the other demo data that covers every SKU. */
int hc_demo_compliance_skus(hc_db *db, hc_err *err);
int hc_cmd_statement(int argc, char **argv); /* cmd_finance.c */
int hc_cmd_invoice(int argc, char **argv);
int hc_cmd_settlement(int argc, char **argv); /* cmd_settle.c */

#endif

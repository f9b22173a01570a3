/* main.c: the command table and what every command shares. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "catalog/catalog.h"
#include "cmd_customs.h"
#include "cmd_load_plan.h"
#include "webhooks/webhooks.h"
#include "ledger/ledger.h"

struct command {
    const char *name, *usage;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"serve", "serve [--db URL] [--listen HOST:PORT] [--web DIR] [--threads N]"
              " [--max-conn-per-ip N] [--conn-timeout S]", hc_cmd_serve},
    {"migrate", "migrate [--db URL]", hc_cmd_migrate},
    {"key", "key create [--db URL] --role admin|operator|seller [--seller CODE] [--warehouse CODE]",
     hc_cmd_key},
    {"import", "import skus|orders FILE.csv [--db URL]", hc_cmd_import},
    {"verify", "verify [--db URL]", hc_cmd_verify},
    {"demo", "demo [--db URL] [--orders N]", hc_cmd_demo},
    {"slotting", "slotting propose --warehouse CODE [--window-days N] [--max-moves N] | slotting "
                 "accept|show ID [--moves SEQ,...] [--db URL]", hc_cmd_slotting},
    {"wave", "wave pick-list WAVE | wave scan WAVE --bin CODE | --item CODE [--qty N] [--order ID]"
             " | --short CODE [--actor NAME] [--db URL]", hc_cmd_wave},
    {"statement", "statement SELLER YYYY-MM [--format pdf|xlsx|csv] [--out FILE] [--lang zh|en]"
                  " [--db URL]   (Beijing month)", hc_cmd_statement},
    {"invoice", "invoice issue --seller CODE --warehouse CODE --month YYYY-MM | invoice show ID"
                " [--format pdf] [--out FILE] [--lang zh|en] [--db URL]", hc_cmd_invoice},
    {"settlement", "settlement show --seller S --from DATE --to DATE [--format csv|xlsx|json|signed]"
                   " [--lang zh|en] [--out FILE] | settlement fees import FILE.csv --seller S |"
                   " settlement verify FILE [--db URL]   (netting settlement, Beijing dates)",
     hc_cmd_settlement},
    {"money", "money balance [--seller S | --warehouse W] | money postings [--account A] [--seller"
              " S] [--warehouse W] [--from D] [--to D] [--limit N] | money topup SELLER AMOUNT"
              " CURRENCY --reference REF [--db URL]", hc_cmd_money},
    {"adcap", "adcap spend import FILE.csv | spend list [--year YYYY] | category set --category C"
              " --from-year YYYY [--rate PCT] | category list | report --year YYYY --seller S"
              " [--db URL]   (advertising cap, EIT Art. 44)", hc_cmd_adcap},
    {"compliance", "compliance rules import FILE.csv | rules list [--market M] [--category C]"
                   " [--on DAY] | check --seller S --market M SKU... | holds [--seller S] |"
                   " matrix --seller S [--markets DE,FR] | recheck [--seller S] | brand-report"
                   " --brand NAME [--seller S] [--warehouse W] | epr-report --from D --to D"
                   " [--seller S] [--country CC] [--format text|csv|xlsx] [--out FILE]"
                   " [--lang zh|en] [--db URL]",
     hc_cmd_compliance},
    {"refund", "refund profile set | rates import FILE.csv | invoices import FILE.csv | items |"
               " file | grant FILING | reconcile | report --seller S [...] [--db URL]   (export"
               " VAT refund, STA 2025 No. 3)", hc_cmd_refund},
    {"carrier", "carrier import FILE.csv|FILE.xlsx [--db URL] | carrier list [--warehouse W]   "
     "(carrier services: service,warehouse,item,key,from,to,value)", hc_cmd_carrier},
    {"rates", "rates --warehouse W --country CC --postcode P --weight-g G --dims-mm LxWxH [--db URL]",
     hc_cmd_rates},
    {"holidays", "holidays import FILE.csv | list [--country CC] [--region R|-] [--year YYYY] |"
                 " region WH R | close WH DAY [--reason T] | open WH DAY [--db URL]   (public"
                 " holidays: country,region,date,name; promised dates skip them)",
     hc_cmd_holidays},
    {"label", "label PARCEL | --orders ID,ID (<= 500) [--format pdf|zpl] [--out FILE] [--db URL] | label upload ORDER "
              "FILE.pdf --carrier C --tracking NO | label inbound INBOUND --cartons N [--format "
              "pdf|zpl] [--out FILE] | label product SELLER SKU [--qty N] [--code "
              "sku|fnsku|barcode] [--fnsku X] [--sheet roll|a4] [--out FILE]", hc_cmd_label},
    {"manifest", "manifest list [--warehouse W] [--day D] | manifest close --warehouse W --service"
                 " CODE [--day D] | manifest pdf ID [--format pdf|csv] [--lang zh|en] [--out FILE]"
                 " [--db URL]   (end of day per carrier service and pickup)", hc_cmd_manifest},
    {"tracking", "tracking import FILE.csv | tracking inbox DIR [--db URL]   (tracking_no,status,"
                 "time,location,detail; all or none per file)", hc_cmd_tracking},
    {"transfer", "transfer create | list | show ID | pack ID --carton LxWxH [--record] | labels ID"
                 " --out FILE | complete ID WORK | ship ID [--freight-ref R] | cancel ID"
                 " [--db URL]   (transfer orders: FBA replenishment, B2B outbound)",
     hc_cmd_transfer},
    {"rate-cards", "rate-cards import FILE.csv|FILE.xlsx [--db URL]   (card,warehouse,seller,"
                   "currency,effective_from,effective_to,item,from,to,rate; .xlsx: its first sheet)",
     hc_cmd_rate_cards},
    {"finance", "finance storage-run [--warehouse W] [--date YYYY-MM-DD] [--db URL]   (storage"
                " charges of ended local days since the last run)", hc_cmd_finance},
    {"webhook", "webhook add URL --events a,b (--seller S | --warehouse W) [--description T] "
                "[--stock-threshold N] [--threshold SKU=N ...] | update ID [--stock-threshold N] "
                "[--threshold SKU=N ...] | "
                "list [--seller S] [--warehouse W] | rm ID | deliveries ID [--state S] [--limit N] "
                "| redeliver ID DELIVERY [--db URL]   (docs/webhooks.md)",
     hc_cmd_webhook},
    {"fx", "fx import FILE.csv [--source TEXT] [--db URL]   (base,quote,day,rate[,source])",
     hc_cmd_fx},
    {"load-plan", "load-plan FILE.json [--svg OUT.svg] | load-plan --br FILE [--problems A-B] "
                  "[--time-limit-ms N] [--support full|none]",
     hc_cmd_load_plan},
    {"schedules", "schedules import FILE.json [--db URL]   (DCSA Commercial Schedules)",
     hc_cmd_schedules},
    {"shipment", "shipment create FILE.json | show ID | list [--seller S] [--warehouse W] [--status"
                 " S] | close-container ID NUMBER | depart ID | arrive ID [--at TIME] [--db URL]"
                 "   (head-haul)",
     hc_cmd_shipment},
    {"events", "events import DIR [--db URL]   (DCSA Track & Trace batches; files go to done/ or "
               "failed/)",
     hc_cmd_events},
    {"seller", "seller identity show SELLER [--at TIME] | history SELLER | set SELLER [--uscc C]"
               " [--legal-name-zh T] ... [--market CC --vat N ...] | check KIND NUMBER [--db URL]"
               "   (legal identity, kept as versions)",
     hc_cmd_seller},
    {"brand", "brand add SELLER NAME --owner TEXT [--seller-is-owner] | trademark SELLER NAME"
              " --office O --number N --classes 9,35 --valid-until D | authorise SELLER NAME"
              " --document REF --from D --until D [--markets DE,FR|EU] [--classes 9] | show"
              " SELLER NAME | list [--seller S] | flagged [--seller S] [--all] | packaging SELLER"
              " SKU [--paper G ...] [--battery CAT:G] [--eee N:G] [--db URL]", hc_cmd_brand},
    {"customs",
     "customs validate|sign|verify|receipt|inbox FILE... | customs register|declare|show|lists|"
     "receipts|summary|bill|inspect|return|tally [--db URL] ... (haicang customs --help)",
     hc_cmd_customs},
};

static void usage(FILE *f)
{
    fprintf(f, "haicang — cross-border e-commerce exports through overseas warehouses\n\n"
               "usage:\n");
    for (size_t i = 0; i < HC_ARRAY_LEN(commands); i++)
        fprintf(f, "  haicang %s\n", commands[i].usage);
    fprintf(f, "\nThe database URL is sqlite:PATH (default sqlite:haicang.db) or\n"
               "mysql://user:pass@host:port/db.\n");
}

const char *hc_cli_default_db(void)
{
    const char *e = getenv("HAICANG_DB");
    return e && *e ? e : "sqlite:haicang.db";
}

/* HAICANG_DATA / HAICANG_WEB, else found from the binary (hc_data_path):
 * the working directory does not matter. */
const char *hc_cli_data_dir(void)
{
    static char path[4096];
    (void)hc_data_path("data", path, sizeof(path));
    return path;
}

const char *hc_cli_web_dir(void)
{
    static char path[4096];
    (void)hc_data_path("web", path, sizeof(path));
    return path;
}

int hc_cli_end_tx(hc_store *s, int rc, hc_err *err)
{
    if (rc == HC_OK)
        return hc_store_commit(s, err);
    hc_err tmp = {0};
    hc_store_rollback(s, &tmp);
    return rc;
}

int hc_cli_open(const char *cmd, const char *url, hc_store **out)
{
    hc_err err = {0};
    if (hc_store_open(url, out, &err) != HC_OK)
        return hc_cli_fail(cmd, "cannot open %s: %s", url, err.msg);
    if (hc_store_migrate(*out, &err) != HC_OK) {
        hc_store_close(*out);
        return hc_cli_fail(cmd, "cannot migrate %s: %s", url, err.msg);
    }
    return 0;
}

int hc_cli_fail_err(const char *cmd, const hc_err *err)
{
    return hc_cli_fail(cmd, "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
}

int hc_cli_write(const char *cmd, const char *url, hc_write_fn fn, void *ctx, hc_err *err)
{
    hc_store *s;
    if (hc_cli_open(cmd, url, &s) != 0) /* migrates */
        return hc_err_set(err, HC_EUNAVAILABLE, "db", "cannot open the database");
    hc_store_close(s);
    hc_db *db;
    int rc = hc_db_open(url, NULL, &db, err);
    if (rc == HC_OK) {
        rc = hc_db_write(db, fn, ctx, err);
        hc_db_close(db);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *lvl = getenv("HAICANG_LOG");
    if (lvl && strcmp(lvl, "debug") == 0)
        hc_log_set_level(HC_LOG_DEBUG);
    hc_webhooks_install(); /* order and inbound changes write the webhook outbox */
    hc_err err = {0};
    if (hc_catalog_load_reference(hc_cli_data_dir(), &err) != HC_OK) {
        fprintf(stderr, "haicang: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < HC_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "haicang: unknown command %s (haicang --help lists them)\n", argv[1]);
    return 2;
}

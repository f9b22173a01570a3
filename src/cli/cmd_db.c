/* cmd_db.c: serve, migrate, key create, verify. */
#include "cli.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "ledger/ledger.h"
#include "warehouse/warehouse.h"

int hc_cmd_serve(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *listen = "127.0.0.1:8080", *web = hc_cli_web_dir(),
               *threads = NULL, *writers = NULL;
    struct hc_opt opts[] = {{"--db", &db}, {"--listen", &listen}, {"--web", &web},
                            {"--threads", &threads}, {"--db-writers", &writers}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), NULL, 0, &got) != 0)
        return 2;
    struct hc_server_options o = {.db_url = db, .listen = listen, .web_dir = web};
    int64_t v;
    if (threads) {
        if (hc_parse_i64(threads, 1, 64, &v) != HC_OK)
            return hc_cli_fail("serve", "--threads must be 1..64");
        o.threads = (int)v;
    }
    if (writers) {
        if (hc_parse_i64(writers, 1, 8, &v) != HC_OK)
            return hc_cli_fail("serve", "--db-writers must be 1..8");
        o.db_writers = (int)v;
    }
    return hc_api_serve(&o);
}

int hc_cmd_migrate(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct hc_opt opts[] = {{"--db", &db}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, 1, NULL, 0, &got) != 0)
        return 2;
    hc_store *s;
    if (hc_cli_open("migrate", db, &s))
        return 1;
    hc_err err = {0};
    int version = 0;
    hc_store_schema_version(s, &version, &err);
    printf("%s: schema version %d\n", db, version);
    hc_store_close(s);
    return 0;
}

int hc_cmd_key(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *role = NULL, *seller = NULL, *warehouse = NULL;
    struct hc_opt opts[] = {
        {"--db", &db}, {"--role", &role}, {"--seller", &seller}, {"--warehouse", &warehouse}};
    const char *pos[1];
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 1, &got) != 0)
        return 2;
    if (got != 1 || strcmp(pos[0], "create") != 0)
        return hc_cli_fail("key", "usage: haicang key create --role admin|operator|seller ...");
    if (role == NULL ||
        (strcmp(role, "admin") && strcmp(role, "operator") && strcmp(role, "seller")))
        return hc_cli_fail("key", "--role must be admin, operator or seller");
    if (strcmp(role, "seller") == 0 && (seller == NULL || *seller == '\0'))
        return hc_cli_fail("key", "a seller key needs --seller CODE");
    if (strcmp(role, "operator") == 0 && (warehouse == NULL || *warehouse == '\0'))
        return hc_cli_fail("key", "an operator key needs --warehouse CODE");
    if (strcmp(role, "seller") != 0)
        seller = NULL;
    if (strcmp(role, "operator") != 0)
        warehouse = NULL;
    if ((seller && strlen(seller) > 32) || (warehouse && strlen(warehouse) > 32))
        return hc_cli_fail("key", "codes are at most 32 characters");
    hc_store *s;
    if (hc_cli_open("key", db, &s))
        return 1;
    unsigned char id[6], secret[32];
    hc_random_bytes(id, sizeof(id));
    hc_random_bytes(secret, sizeof(secret));
    char idhex[13], sechex[65], key[100], hash[65];
    hc_hex(id, sizeof(id), idhex);
    hc_hex(secret, sizeof(secret), sechex);
    snprintf(key, sizeof(key), "hck_%s_%s", idhex, sechex);
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL);
    hc_hex(md, 32, hash);
    hc_err err = {0};
    int rc = hc_store_run(s, &err, NULL,
                          "INSERT INTO api_keys (id, hash, role, seller, warehouse, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          "sssssi", idhex, hash, role, seller, warehouse, hc_now_ms());
    hc_store_close(s);
    explicit_bzero(secret, sizeof(secret));
    explicit_bzero(sechex, sizeof(sechex));
    if (rc != HC_OK) {
        explicit_bzero(key, sizeof(key));
        return hc_cli_fail("key", "cannot store the key: %s", err.msg);
    }
    printf("created %s key %s%s%s%s%s (shown once; only its hash is kept)\n", role, idhex,
           seller ? " for seller " : "", seller ? seller : "", warehouse ? " for warehouse " : "",
           warehouse ? warehouse : "");
    printf("%s\n", key);
    explicit_bzero(key, sizeof(key));
    return 0;
}

static void print_diff(const char *line, void *ctx)
{
    int *n = ctx;
    if ((*n)++ < 100)
        printf("DIFF %s\n", line);
}

int hc_cmd_verify(int argc, char **argv)
{
    const char *db = hc_cli_default_db();
    struct hc_opt opts[] = {{"--db", &db}};
    size_t got;
    if (hc_cli_parse(argc, argv, opts, 1, NULL, 0, &got) != 0)
        return 2;
    hc_store *s;
    if (hc_cli_open("verify", db, &s))
        return 1;
    hc_err err = {0};
    /* one snapshot for the whole comparison */
    if (hc_store_dialect(s) == HC_MYSQL) {
        hc_store_exec(s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", &err);
        hc_store_exec(s, "START TRANSACTION WITH CONSISTENT SNAPSHOT", &err);
    } else {
        hc_store_exec(s, "BEGIN", &err);
    }
    int shown = 0;
    struct hc_verify_result res;
    int64_t t0 = hc_mono_ns();
    int rc = hc_ledger_verify(s, print_diff, &shown, &res, &err);
    int64_t load_diffs = 0;
    if (rc == HC_OK)
        rc = hc_place_load_verify(s, print_diff, &shown, &load_diffs, &err);
    res.diffs += load_diffs;
    hc_err tmp = {0};
    hc_store_rollback(s, &tmp);
    hc_store_close(s);
    if (rc != HC_OK)
        return hc_cli_fail("verify", "%s", err.msg);
    printf("verified %lld journal entries, %lld balances, %lld stock rows in %.2f s: %lld "
           "difference%s\n",
           (long long)res.journal_rows, (long long)res.balance_rows, (long long)res.stock_rows,
           (double)(hc_mono_ns() - t0) / 1e9, (long long)res.diffs, res.diffs == 1 ? "" : "s");
    if (res.diffs > 0)
        return hc_cli_fail("verify", "%lld differences between the journal and the balances",
                           (long long)res.diffs);
    return 0;
}

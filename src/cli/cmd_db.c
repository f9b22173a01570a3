/* cmd_db.c: serve, migrate, key create|list|revoke, verify. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/auth.h"
#include "ledger/ledger.h"
#include "warehouse/warehouse.h"

int hc_cmd_serve(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *listen = "127.0.0.1:8080", *web = hc_cli_web_dir(),
               *threads = NULL, *writers = NULL, *per_ip = NULL, *timeout = NULL;
    struct hc_opt opts[] = {{"--db", &db},           {"--listen", &listen},
                            {"--web", &web},         {"--threads", &threads},
                            {"--db-writers", &writers}, {"--max-conn-per-ip", &per_ip},
                            {"--conn-timeout", &timeout}};
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
    if (per_ip) {
        if (hc_parse_i64(per_ip, 1, 8192, &v) != HC_OK)
            return hc_cli_fail("serve", "--max-conn-per-ip must be 1..8192");
        o.max_conn_per_ip = (int)v;
    }
    if (timeout) {
        if (hc_parse_i64(timeout, 1, 3600, &v) != HC_OK)
            return hc_cli_fail("serve", "--conn-timeout must be 1..3600 seconds");
        o.conn_timeout = (int)v;
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

static int key_create(const char *db, const char *name, const char *role, const char *seller,
                      const char *warehouse)
{
    struct hc_key k = {.name = name, .role = role, .seller = seller, .warehouse = warehouse};
    hc_err err = {0};
    if (role && strcmp(role, "seller") == 0 && (seller == NULL || *seller == '\0'))
        return hc_cli_fail("key", "a seller key needs --seller CODE");
    if (role && strcmp(role, "operator") == 0 && (warehouse == NULL || *warehouse == '\0'))
        return hc_cli_fail("key", "an operator key needs --warehouse CODE");
    if (hc_key_validate(&k, &err) != HC_OK)
        return hc_cli_fail("key", "--%s %s", err.field, err.msg);
    hc_store *s;
    if (hc_cli_open("key", db, &s))
        return 1;
    hc_arena *a = hc_arena_new(4096);
    char text[HC_KEY_TEXT_MAX];
    int rc = hc_key_create(s, a, &k, text, &err);
    hc_store_close(s);
    if (rc != HC_OK) {
        hc_arena_free(a);
        if (rc == HC_ECONFLICT)
            return hc_cli_fail("key", "--name: %s", err.msg);
        return hc_cli_fail("key", "cannot store the key: %s", err.msg);
    }
    printf("created %s key %s named \"%s\"%s%s%s%s (shown once; only its hash is kept)\n", k.role,
           k.id, k.name, k.seller ? " for seller " : "", k.seller ? k.seller : "",
           k.warehouse ? " for warehouse " : "", k.warehouse ? k.warehouse : "");
    printf("%s\n", text);
    explicit_bzero(text, sizeof(text));
    hc_arena_free(a);
    return 0;
}

/* One line per key, newest first: id, name, role, tenant, created, state. */
static int key_list(const char *db)
{
    hc_store *s;
    if (hc_cli_open("key", db, &s))
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    const char *cursor = NULL;
    int rc = HC_OK;
    printf("%-12s  %-32s  %-8s  %-12s  %-20s  %s\n", "ID", "NAME", "ROLE", "FOR", "CREATED",
           "STATE");
    do {
        struct hc_key *items;
        size_t n;
        const char *next;
        if ((rc = hc_key_list(s, a, false, cursor, 500, &items, &n, &next, &err)) != HC_OK)
            break;
        for (size_t i = 0; i < n; i++) {
            char created[32], revoked[32] = "";
            hc_time_iso(items[i].created_at, created, sizeof(created));
            created[19] = '\0';
            if (items[i].revoked_at) {
                hc_time_iso(items[i].revoked_at, revoked, sizeof(revoked));
                revoked[19] = '\0';
            }
            const char *tenant = items[i].seller      ? items[i].seller
                                 : items[i].warehouse ? items[i].warehouse
                                                      : "-";
            printf("%-12s  %-32s  %-8s  %-12s  %-20s  %s%s\n", items[i].id, items[i].name,
                   items[i].role, tenant, created, revoked[0] ? "revoked " : "active",
                   revoked);
        }
        cursor = next;
    } while (cursor);
    hc_store_close(s);
    hc_arena_free(a);
    if (rc != HC_OK)
        return hc_cli_fail("key", "cannot list keys: %s", err.msg);
    return 0;
}

static int key_revoke(const char *db, const char *id)
{
    hc_store *s;
    if (hc_cli_open("key", db, &s))
        return 1;
    hc_arena *a = hc_arena_new(4096);
    hc_err err = {0};
    struct hc_key k;
    int rc = hc_key_revoke(s, a, id, &k, &err);
    hc_store_close(s);
    if (rc == HC_OK)
        printf("revoked key %s named \"%s\"\n", k.id, k.name);
    hc_arena_free(a);
    if (rc != HC_OK)
        return hc_cli_fail("key", "%s", err.msg);
    return 0;
}

int hc_cmd_key(int argc, char **argv)
{
    static const char usage[] =
        "usage: haicang key create [--name NAME] --role admin|operator|seller [--seller CODE] "
        "[--warehouse CODE] | key list | key revoke ID|NAME";
    const char *db = hc_cli_default_db(), *role = NULL, *seller = NULL, *warehouse = NULL,
               *name = NULL;
    struct hc_opt opts[] = {{"--db", &db},
                            {"--role", &role},
                            {"--seller", &seller},
                            {"--warehouse", &warehouse},
                            {"--name", &name}};
    const char *pos[2];
    size_t got;
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    if (got == 1 && strcmp(pos[0], "create") == 0)
        return key_create(db, name, role, seller, warehouse);
    if (got == 1 && strcmp(pos[0], "list") == 0)
        return key_list(db);
    if (got == 2 && strcmp(pos[0], "revoke") == 0)
        return key_revoke(db, pos[1]);
    return hc_cli_fail("key", "%s", usage);
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
    printf("verified %lld journal entries, %lld balances, %lld stock rows, %lld money entries"
           " (%lld postings, %lld balances) in %.2f s: %lld difference%s\n",
           (long long)res.journal_rows, (long long)res.balance_rows, (long long)res.stock_rows,
           (long long)res.money_entries, (long long)res.money_postings,
           (long long)res.money_balance_rows, (double)(hc_mono_ns() - t0) / 1e9,
           (long long)res.diffs, res.diffs == 1 ? "" : "s");
    if (res.diffs > 0)
        return hc_cli_fail("verify", "%lld differences between the journal and the balances",
                           (long long)res.diffs);
    return 0;
}

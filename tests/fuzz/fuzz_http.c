/* libFuzzer target: the HTTP layer as a client meets it. Each input is the
 * raw bytes of one connection (request line, headers, body; pipelined
 * requests too), written into a socketpair that an in-process
 * libmicrohttpd daemon reads through MHD_add_connection: the real parsing,
 * routing, key checks, query checks, handlers, problem+json errors and
 * respond() of src/api, on a temporary SQLite database with a key of each
 * role (the seeds in tests/fuzz/http.seeds use them).
 *
 * It must never crash, leak or read out of bounds (ASan/UBSan), and every
 * answer must be HTTP with a status below 500 whose problem+json, when it
 * is one, parses and names its status. */
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/internal.h"
#include "catalog/catalog.h"

/* hck_<12 hex id>_<64 hex secret>; the seeds carry these texts */
static const struct {
    const char *id, *role, *seller, *warehouse;
} keys[] = {
    {"f00000000001", "admin", NULL, NULL},
    {"f00000000002", "operator", NULL, "DE-DUI"},
    {"f00000000003", "seller", "SZ-ANKO", NULL},
};
static const char secret[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static struct hc_server_options opt;
static char dir[512];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_http: %s\n", what);
    abort();
}

static void setup(void)
{
    signal(SIGPIPE, SIG_IGN);
    const char *tmp = getenv("TMPDIR"); /* run.sh points it at its own directory */
    snprintf(dir, sizeof(dir), "%s/haicang-fuzz-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    char path[256];
    snprintf(path, sizeof(path), "%s/index.html", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("index.html");
    fputs("<!doctype html><title>fuzz</title>\n", f);
    fclose(f);
    /* run from the source tree (tests/fuzz/run.sh): its data, customs
     * messages to the temporary directory, unsigned as in a test setup */
    char cwd[4096], data[4200], customs[300];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        die("getcwd");
    snprintf(data, sizeof(data), "%s/data", cwd);
    snprintf(customs, sizeof(customs), "%s/customs", dir);
    setenv("HAICANG_DATA", data, 1);
    setenv("HAICANG_CUSTOMS_DIR", customs, 1);
    setenv("HAICANG_CUSTOMS_CODE", "2992", 1);
    setenv("HAICANG_CUSTOMS_UNSIGNED", "test-only", 1);
    hc_err err = {0};
    if (hc_catalog_load_reference(data, &err) != HC_OK)
        die(err.msg);
    static char url[300];
    snprintf(url, sizeof(url), "sqlite:%s/fuzz.db", dir);
    opt.db_url = url;
    opt.listen = "fuzz";
    opt.web_dir = dir;
    opt.threads = 1;
    opt.max_body = 64 * 1024;
    opt.db_writers = 1;
    opt.conn_timeout = 5;
    opt.max_conn_per_ip = 16;
    if (api_open(&opt) != 0)
        die("api_open");
    hc_store *s;
    if (hc_store_open(url, &s, &err) != HC_OK)
        die(err.msg);
    for (size_t i = 0; i < HC_ARRAY_LEN(keys); i++) {
        char text[120], hash[65];
        unsigned char md[32];
        unsigned int len = 0;
        snprintf(text, sizeof(text), "hck_%s_%s", keys[i].id, secret);
        EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
        hc_hex(md, 32, hash);
        if (hc_store_run(s, &err, NULL,
                         "INSERT INTO api_keys (id, hash, role, seller, warehouse, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         "sssssi", keys[i].id, hash, keys[i].role, keys[i].seller,
                         keys[i].warehouse, hc_now_ms()) != HC_OK)
            die(err.msg);
    }
    hc_store_close(s);
    hc_srv.daemon = api_daemon_start(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_POLL, NULL);
    if (hc_srv.daemon == NULL)
        die("MHD_start_daemon");
}

/* Checks each answer in what the server wrote back. */
static void check_answers(const char *buf, size_t n)
{
    const char *p = buf, *end = buf + n;
    while (p < end) {
        if ((size_t)(end - p) < 12 || memcmp(p, "HTTP/1.", 7) != 0) {
            fprintf(stderr, "fuzz_http: not an HTTP answer: %.60s\n", p);
            abort();
        }
        int status = atoi(p + 9);
        /* 505: libmicrohttpd's own answer to an HTTP version it does not speak */
        if (status < 100 || (status >= 500 && status != 505)) {
            fprintf(stderr, "fuzz_http: answered %d\n%.*s\n", status, (int)(end - p), p);
            abort();
        }
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (hend == NULL)
            return; /* cut by the close: nothing more to check */
        size_t hlen = (size_t)(hend - p), blen = 0;
        const char *cl = memmem(p, hlen, "Content-Length: ", 16);
        if (cl)
            blen = strtoul(cl + 16, NULL, 10);
        const char *body = hend + 4;
        /* a HEAD answer has a length but no body: the next answer (or the
         * end) follows the header at once */
        if (blen > (size_t)(end - body) ||
            ((size_t)(end - body) >= 7 && memcmp(body, "HTTP/1.", 7) == 0))
            blen = 0;
        if (memmem(p, hlen, "application/problem+json", 24) && blen) {
            json_error_t je;
            json_t *j = json_loadb(body, blen, 0, &je);
            if (j == NULL || json_integer_value(json_object_get(j, "status")) != status ||
                !json_is_array(json_object_get(j, "errors"))) {
                fprintf(stderr, "fuzz_http: bad problem+json (%s): %.*s\n", je.text, (int)blen,
                        body);
                abort();
            }
            json_decref(j);
        }
        p = body + blen;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup();
        ready = true;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        die("socketpair");
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7F000001)};
    if (MHD_add_connection(hc_srv.daemon, sv[1], (struct sockaddr *)&peer, sizeof(peer)) !=
        MHD_YES)
        die("MHD_add_connection");
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(sv[0], data + off, size - off);
        if (w <= 0)
            break; /* the server closed early (413, a bad request line) */
        off += (size_t)w;
    }
    shutdown(sv[0], SHUT_WR);
    static char buf[1 << 20];
    size_t n = 0;
    int64_t deadline = hc_mono_ns() + 8000000000LL;
    for (;;) {
        struct pollfd pfd = {.fd = sv[0], .events = POLLIN};
        int64_t left = (deadline - hc_mono_ns()) / 1000000;
        if (left <= 0)
            die("no answer within 8 s");
        if (poll(&pfd, 1, (int)left) < 0)
            continue;
        ssize_t got = read(sv[0], buf + n, sizeof(buf) - 1 - n);
        if (got <= 0)
            break;
        n += (size_t)got;
        if (n == sizeof(buf) - 1)
            break;
    }
    close(sv[0]);
    check_answers(buf, n);
    return 0;
}

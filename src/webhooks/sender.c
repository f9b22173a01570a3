/* sender.c: the background thread of `haicang serve` that sends the outbox.
 * The one file of this module that speaks HTTP (libcurl) and JSON (Jansson).
 *
 * Each round reads the due head of each subscription's queue (at most
 * in_flight of them, so one subscription's events go one at a time and in
 * order), checks each URL's addresses after resolving it (the connection
 * is pinned to the checked address: no rebinding), sends them at once with
 * bounded connect and total timeouts, and records every outcome. An API
 * request never waits on this thread. */
#include "webhooks/webhooks.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IDLE_MS 200 /* nothing due: look again after this */

static struct {
    hc_db *db;
    struct hc_webhook_sender_opts o;
    pthread_t th;
    atomic_bool stop;
    bool running;
} snd;

char *hc_webhook_body(const struct hc_webhook_delivery *d)
{
    char at[40];
    hc_time_iso(d->event_at, at, sizeof(at));
    bool inbound = strncmp(d->event_type, "inbound.", 8) == 0;
    json_t *data =
        strncmp(d->event_type, "stock.", 6) == 0
            ? json_pack("{s:s,s:s,s:s,s:I,s:I,s:s}", "seller", d->seller, "warehouse",
                        d->warehouse, "sku", d->subject, "available", (json_int_t)d->available,
                        "threshold", (json_int_t)d->threshold, "at", at)
            : json_pack("{s:s,s:s,s:s,s:s}", "seller", d->seller, "warehouse", d->warehouse,
                             inbound ? "inbound_id" : "order_id", d->subject, "status", d->status);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "id", d->event_id, "type", d->event_type,
                          "created_at", at, "data", data);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return text;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    return size * n; /* the receiver's answer is not read beyond its status */
}

struct call {
    struct hc_webhook_delivery *d;
    CURL *h;
    struct curl_slist *headers, *resolve;
    char *body;
    int64_t started;
    struct hc_webhook_attempt at;
    char error[256];
};

/* Sets up c's request; false with c->at.error when it is not to be sent. */
static bool prepare(struct call *c)
{
    struct hc_url u;
    hc_err err = {0};
    char addr[64], line[512];
    if (hc_url_parse(c->d->url, "url", &u, &err) != HC_OK ||
        hc_webhook_resolve(&u, snd.o.allow_loopback, "url", addr, sizeof(addr), &err) != HC_OK) {
        hc_strlcpy(c->error, "url ", sizeof(c->error));
        hc_strlcpy(c->error + 4, err.msg, sizeof(c->error) - 4);
        return false;
    }
    c->body = hc_webhook_body(c->d);
    c->h = curl_easy_init();
    if (!c->body || !c->h) {
        snprintf(c->error, sizeof(c->error), "out of memory");
        return false;
    }
    int64_t t = hc_now_ms() / 1000;
    char sig[128];
    hc_webhook_signature_header(c->d->secret, t, c->body, strlen(c->body), sig, sizeof(sig));
    const char *fmt[][2] = {{"Haicang-Signature: %s", sig},
                            {"Haicang-Event-Id: %s", c->d->event_id},
                            {"Haicang-Event-Type: %s", c->d->event_type},
                            {"Content-Type: %s", "application/json"},
                            {"User-Agent: %s", "haicang-webhooks/1"},
                            {"Expect: %s", ""}};
    for (size_t i = 0; i < HC_ARRAY_LEN(fmt); i++) {
        snprintf(line, sizeof(line), fmt[i][0], fmt[i][1]);
        c->headers = curl_slist_append(c->headers, line);
    }
    snprintf(line, sizeof(line), "Haicang-Delivery-Id: %lld", (long long)c->d->id);
    c->headers = curl_slist_append(c->headers, line);
    snprintf(line, sizeof(line), strchr(addr, ':') ? "%s:%d:[%s]" : "%s:%d:%s", u.host, u.port,
             addr);
    c->resolve = curl_slist_append(NULL, line); /* connect to the address checked */
    curl_easy_setopt(c->h, CURLOPT_URL, c->d->url);
    curl_easy_setopt(c->h, CURLOPT_RESOLVE, c->resolve);
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, c->body);
    curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, (long)snd.o.connect_ms);
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)snd.o.timeout_ms);
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c->h, CURLOPT_PRIVATE, c);
    return true;
}

static void finish(struct call *c, CURLcode res)
{
    long code = 0;
    if (res == CURLE_OK) {
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
        if (code < 200 || code >= 300)
            snprintf(c->error, sizeof(c->error), "the receiver answered %ld", code);
    } else {
        snprintf(c->error, sizeof(c->error), "%s", curl_easy_strerror(res));
    }
    c->at.http_status = code;
}

static void send_all(struct call *calls, size_t n)
{
    CURLM *m = curl_multi_init();
    for (size_t i = 0; i < n; i++) {
        calls[i].started = hc_mono_ns();
        if (prepare(&calls[i]))
            curl_multi_add_handle(m, calls[i].h);
    }
    int running = 1;
    while (running && !atomic_load(&snd.stop)) {
        if (curl_multi_perform(m, &running) != CURLM_OK)
            break;
        if (running)
            curl_multi_poll(m, NULL, 0, 100, NULL);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left)))
            if (msg->msg == CURLMSG_DONE) {
                struct call *c;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
                finish(c, msg->data.result);
                c->at.ms = (hc_mono_ns() - c->started) / 1000000;
            }
    }
    for (size_t i = 0; i < n; i++) {
        if (calls[i].h) {
            curl_multi_remove_handle(m, calls[i].h);
            curl_easy_cleanup(calls[i].h);
        }
        curl_slist_free_all(calls[i].headers);
        curl_slist_free_all(calls[i].resolve);
        free(calls[i].body);
        calls[i].at.at = hc_now_ms();
        calls[i].at.error = calls[i].error;
    }
    curl_multi_cleanup(m);
}

struct record_ctx {
    struct call *calls;
    size_t n;
};

static int record_job(hc_store *s, void *ctx, hc_err *err)
{
    struct record_ctx *r = ctx;
    for (size_t i = 0; i < r->n; i++) {
        int rc = hc_webhook_record(s, r->calls[i].d, &r->calls[i].at, snd.o.base_ms, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* One round: false when there was nothing due. */
static bool round_once(void)
{
    hc_err err = {0};
    hc_store *s = hc_db_reader(snd.db, &err);
    if (!s)
        return false;
    hc_arena *a = hc_arena_new(1 << 16);
    struct hc_webhook_delivery *due;
    size_t n = 0;
    if (hc_webhook_due(s, a, hc_now_ms(), snd.o.in_flight, &due, &n, &err) != HC_OK) {
        hc_log(HC_LOG_WARN, "webhooks: reading the outbox: %s", err.msg);
        n = 0;
    }
    if (n > 0) {
        struct call *calls = hc_arena_alloc(a, sizeof(*calls) * n);
        for (size_t i = 0; i < n; i++)
            calls[i].d = &due[i];
        int64_t t0 = hc_mono_ns();
        send_all(calls, n);
        int64_t t1 = hc_mono_ns();
        struct record_ctx rc = {calls, n};
        if (!atomic_load(&snd.stop) && hc_db_write(snd.db, record_job, &rc, &err) != HC_OK)
            hc_log(HC_LOG_WARN, "webhooks: recording attempts: %s", err.msg);
        hc_log(HC_LOG_DEBUG, "webhooks: %zu sent in %lld ms, recorded in %lld ms", n,
               (long long)(t1 - t0) / 1000000, (long long)(hc_mono_ns() - t1) / 1000000);
    }
    hc_arena_free(a);
    return n > 0;
}

static void *sender(void *arg)
{
    while (!atomic_load(&snd.stop))
        if (!round_once()) {
            struct timespec ts = {0, IDLE_MS * 1000000L};
            nanosleep(&ts, NULL);
        }
    return NULL;
}

static void defaults(struct hc_webhook_sender_opts *o)
{
    if (o->base_ms <= 0)
        o->base_ms = 10000;
    if (o->in_flight <= 0)
        o->in_flight = 8;
    if (o->connect_ms <= 0)
        o->connect_ms = 3000;
    if (o->timeout_ms <= 0)
        o->timeout_ms = 10000;
}

int hc_webhook_sender_start(hc_db *db, const struct hc_webhook_sender_opts *o, hc_err *err)
{
    if (snd.running)
        return HC_OK;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return hc_err_set(err, HC_EINTERNAL, NULL, "webhooks: libcurl did not start");
    snd.db = db;
    snd.o = *o;
    defaults(&snd.o);
    atomic_store(&snd.stop, false);
    if (pthread_create(&snd.th, NULL, sender, NULL) != 0)
        return hc_err_set(err, HC_EINTERNAL, NULL, "webhooks: cannot start the sender thread");
    snd.running = true;
    return HC_OK;
}

void hc_webhook_sender_stop(void)
{
    if (!snd.running)
        return;
    atomic_store(&snd.stop, true);
    pthread_join(snd.th, NULL);
    snd.running = false;
    curl_global_cleanup();
}

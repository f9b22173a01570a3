/* sys.c: clocks, ids, randomness, hashing and logging. */
#include "base.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static _Atomic int64_t clock_offset_ms;

int64_t hc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&clock_offset_ms);
}

void hc_clock_set_offset(int64_t ms)
{
    atomic_store(&clock_offset_ms, ms);
}

int64_t hc_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void hc_time_iso(int64_t ms, char *buf, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

int hc_time_parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, n = 0;
    size_t len = strlen(s);
    if (len == 10) {
        if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
            return HC_EINVAL;
    } else {
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
            return HC_EINVAL;
        const char *p = s + 19;
        if (*p == '.') {
            int digits = 0;
            for (p++; *p >= '0' && *p <= '9'; p++)
                if (digits++ < 3)
                    frac = frac * 10 + (*p - '0');
            for (; digits < 3; digits++)
                frac *= 10;
        }
        if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
            return HC_EINVAL;
    }
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60)
        return HC_EINVAL;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm);
    *ms = (int64_t)t * 1000 + frac;
    return HC_OK;
}

void hc_time_beijing(int64_t ms, struct tm *out)
{
    time_t t = (time_t)((ms + HC_BEIJING_OFFSET_MS) / 1000);
    gmtime_r(&t, out);
}

int64_t hc_time_from_beijing(struct tm *tm)
{
    return (int64_t)timegm(tm) * 1000 - HC_BEIJING_OFFSET_MS;
}

/* 41 bits of ms since 2024-01-01, 10 node bits, 12 sequence bits. */
#define ID_EPOCH_MS 1704067200000LL
static pthread_mutex_t id_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t id_last_ms;
static int64_t id_seq;
static int64_t id_node = -1;

int64_t hc_id_next(void)
{
    pthread_mutex_lock(&id_mu);
    if (id_node < 0) {
        uint16_t r = 0;
        hc_random_bytes(&r, sizeof(r));
        id_node = r & 0x3FF;
    }
    int64_t now = hc_now_ms() - ID_EPOCH_MS;
    if (now <= id_last_ms) {
        now = id_last_ms;
        if (++id_seq > 0xFFF) {
            now = ++id_last_ms; /* borrow from the future rather than repeat */
            id_seq = 0;
        }
    } else {
        id_seq = 0;
    }
    id_last_ms = now;
    int64_t id = (now << 22) | (id_node << 12) | id_seq;
    pthread_mutex_unlock(&id_mu);
    return id;
}

void hc_id_format(const char *prefix, int64_t id, char *buf, size_t size)
{
    snprintf(buf, size, "%s_%lld", prefix, (long long)id);
}

int hc_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t k = getrandom(p, n, 0);
        if (k < 0)
            return HC_EINTERNAL;
        p += k;
        n -= (size_t)k;
    }
    return HC_OK;
}

void hc_hex(const void *data, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

uint64_t hc_hash64(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static atomic_int log_level = HC_LOG_INFO;

void hc_log_set_level(int level)
{
    atomic_store(&log_level, level);
}

void hc_log(int level, const char *fmt, ...)
{
    if (level < atomic_load(&log_level))
        return;
    static const char *names[] = {"debug", "info", "warn", "error"};
    char when[32];
    hc_time_iso(hc_now_ms(), when, sizeof(when));
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s %s\n", when, names[level & 3], line);
}

/* check.c: event types, URL parsing, the address rules against server-side
 * request forgery, signatures and the backoff schedule. */
#include "webhooks/webhooks.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hc_webhook_event_types[] = {
    "order.created", "order.allocated", "order.packed",     "order.shipped",
    "order.delivered", "order.exception", "inbound.received", "transfer.shipped",
    "stock.low",
    NULL,
};

bool hc_webhook_event_known(const char *type)
{
    for (size_t i = 0; type && hc_webhook_event_types[i]; i++)
        if (strcmp(type, hc_webhook_event_types[i]) == 0)
            return true;
    return false;
}

static int bad_url(const char *field, const char *why, hc_err *err)
{
    return hc_err_set(err, HC_EINVAL, field, "%s", why);
}

/* host[:port] of an authority, IPv6 in brackets. */
static int parse_authority(const char *p, size_t n, const char *field, struct hc_url *u,
                           hc_err *err)
{
    const char *end = p + n, *colon = NULL;
    if (memchr(p, '@', n))
        return bad_url(field, "must not carry a user or password", err);
    if (n > 0 && p[0] == '[') {
        const char *rb = memchr(p, ']', n);
        if (!rb || (size_t)(rb - p - 1) >= sizeof(u->host))
            return bad_url(field, "has a malformed IPv6 address", err);
        memcpy(u->host, p + 1, (size_t)(rb - p - 1));
        u->host[rb - p - 1] = '\0';
        u->host_is_ip6 = true;
        if (rb + 1 < end && rb[1] != ':')
            return bad_url(field, "has a malformed IPv6 address", err);
        colon = rb + 1 < end ? rb + 1 : NULL;
    } else {
        colon = memchr(p, ':', n);
        size_t hl = colon ? (size_t)(colon - p) : n;
        if (hl == 0 || hl >= sizeof(u->host))
            return bad_url(field, "must name a host", err);
        memcpy(u->host, p, hl);
        u->host[hl] = '\0';
    }
    if (u->host[0] == '\0')
        return bad_url(field, "must name a host", err);
    struct in6_addr a6;
    if (u->host_is_ip6 && inet_pton(AF_INET6, u->host, &a6) != 1)
        return bad_url(field, "has a malformed IPv6 address (no zone ids)", err);
    for (const char *h = u->host; *h; h++)
        if (!(isalnum((unsigned char)*h) || *h == '.' || *h == '-' || *h == '_' ||
              (u->host_is_ip6 && (*h == ':' || *h == '%'))))
            return bad_url(field, "has a host with characters a host name cannot hold", err);
    if (colon) {
        int64_t port;
        char buf[8];
        size_t pl = (size_t)(end - colon - 1);
        if (pl == 0 || pl >= sizeof(buf))
            return bad_url(field, "has a bad port", err);
        memcpy(buf, colon + 1, pl);
        buf[pl] = '\0';
        if (!hc_all_digits(buf, pl) || hc_parse_i64(buf, 1, 65535, &port) != HC_OK)
            return bad_url(field, "has a bad port", err);
        u->port = (int)port;
    }
    return HC_OK;
}

int hc_url_parse(const char *url, const char *field, struct hc_url *u, hc_err *err)
{
    memset(u, 0, sizeof(*u));
    if (!url || !*url)
        return bad_url(field, "is required", err);
    size_t len = strlen(url);
    if (len > HC_WEBHOOK_URL_MAX)
        return bad_url(field, "is longer than 2048 bytes", err);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
            return bad_url(field, "must be an ASCII URL without spaces", err);
    const char *rest;
    if (strncasecmp(url, "https://", 8) == 0) {
        strcpy(u->scheme, "https");
        u->port = 443;
        rest = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        strcpy(u->scheme, "http");
        u->port = 80;
        rest = url + 7;
    } else {
        return bad_url(field, "must be an http:// or https:// URL", err);
    }
    if (strchr(rest, '#'))
        return bad_url(field, "must not carry a fragment", err);
    size_t an = strcspn(rest, "/?");
    return parse_authority(rest, an, field, u, err);
}

bool hc_host_literal(const char *host, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        return true;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    if (inet_aton(host, &s4->sin_addr) == 1) { /* also 2130706433, 0x7f.1, 0177.0.0.1 */
        s4->sin_family = AF_INET;
        return true;
    }
    /* a trailing dot: "127.0.0.1." resolves as the address */
    size_t n = strlen(host);
    if (n > 1 && n < 64 && host[n - 1] == '.') {
        char b[64];
        memcpy(b, host, n - 1);
        b[n - 1] = '\0';
        return hc_host_literal(b, ss);
    }
    return false;
}

static bool v4_allowed(uint32_t a, bool allow_loopback, const char **why)
{
    struct {
        uint32_t net, mask;
        const char *why;
    } const refused[] = {
        {0x00000000, 0xff000000, "an unspecified (0.0.0.0/8) address"},
        {0x0a000000, 0xff000000, "a private (10/8) address"},
        {0x64400000, 0xffc00000, "a shared (100.64/10) address"},
        {0xa9fe0000, 0xffff0000, "a link-local (169.254/16) address"},
        {0xac100000, 0xfff00000, "a private (172.16/12) address"},
        {0xc0000000, 0xffffff00, "a reserved (192.0.0/24) address"},
        {0xc0a80000, 0xffff0000, "a private (192.168/16) address"},
        {0xc6120000, 0xfffe0000, "a benchmarking (198.18/15) address"},
        {0xe0000000, 0xf0000000, "a multicast address"},
        {0xf0000000, 0xf0000000, "a reserved (240/4) or broadcast address"},
    };
    if ((a & 0xff000000) == 0x7f000000) {
        *why = "a loopback address";
        return allow_loopback;
    }
    for (size_t i = 0; i < HC_ARRAY_LEN(refused); i++)
        if ((a & refused[i].mask) == refused[i].net) {
            *why = refused[i].why;
            return false;
        }
    return true;
}

static bool v6_allowed(const uint8_t *b, bool allow_loopback, const char **why)
{
    static const uint8_t zero[16], loop[16] = {[15] = 1};
    static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0 ||
        (memcmp(b, zero, 12) == 0 && memcmp(b, zero, 16) != 0 && memcmp(b, loop, 16) != 0)) {
        uint32_t a = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_allowed(a, allow_loopback, why); /* mapped, NAT64, IPv4-compatible */
    }
    if (memcmp(b, zero, 16) == 0)
        return *why = "the unspecified address (::)", false;
    if (memcmp(b, loop, 16) == 0)
        return *why = "a loopback address", allow_loopback;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return *why = "a link-local (fe80::/10) address", false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return *why = "a site-local (fec0::/10) address", false;
    if ((b[0] & 0xfe) == 0xfc)
        return *why = "a unique-local (fc00::/7) address", false;
    if (b[0] == 0xff)
        return *why = "a multicast address", false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return *why = "a documentation (2001:db8::/32) address", false;
    return true;
}

bool hc_webhook_addr_allowed(const struct sockaddr *sa, bool allow_loopback, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (sa->sa_family == AF_INET)
        return v4_allowed(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr),
                          allow_loopback, why);
    if (sa->sa_family == AF_INET6)
        return v6_allowed(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr, allow_loopback,
                          why);
    *why = "not an IP address";
    return false;
}

static void addr_text(const struct sockaddr *sa, char *out, size_t size)
{
    const void *p = sa->sa_family == AF_INET
                        ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                        : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (!inet_ntop(sa->sa_family, p, out, (socklen_t)size))
        hc_strlcpy(out, "?", size);
}

int hc_webhook_resolve(const struct hc_url *u, bool allow_loopback, const char *field, char *out,
                       size_t size, hc_err *err)
{
    struct sockaddr_storage lit;
    const char *why;
    if (hc_host_literal(u->host, &lit)) {
        if (!hc_webhook_addr_allowed((struct sockaddr *)&lit, allow_loopback, &why))
            return hc_err_set(err, HC_EINVAL, field, "points at %s", why);
        if (out)
            addr_text((struct sockaddr *)&lit, out, size);
        return HC_OK;
    }
    if (strcasecmp(u->host, "localhost") == 0 ||
        (strlen(u->host) > 10 && strcasecmp(u->host + strlen(u->host) - 10, ".localhost") == 0))
        if (!allow_loopback)
            return hc_err_set(err, HC_EINVAL, field, "points at a loopback address");
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int g = getaddrinfo(u->host, NULL, &hints, &res);
    if (g != 0 || !res)
        return hc_err_set(err, HC_ENOTFOUND, field, "host %s does not resolve", u->host);
    int rc = HC_OK;
    for (struct addrinfo *ai = res; ai && rc == HC_OK; ai = ai->ai_next)
        if (!hc_webhook_addr_allowed(ai->ai_addr, allow_loopback, &why))
            rc = hc_err_set(err, HC_EINVAL, field, "resolves to %s", why);
    if (rc == HC_OK && out)
        addr_text(res->ai_addr, out, size);
    freeaddrinfo(res);
    return rc;
}

int hc_webhook_url_check(const char *url, bool allow_loopback, const char *field, hc_err *err)
{
    struct hc_url u;
    if (hc_url_parse(url, field, &u, err) != HC_OK)
        return err->code;
    hc_err e2 = {0};
    int rc = hc_webhook_resolve(&u, allow_loopback, field, NULL, 0, &e2);
    if (rc == HC_ENOTFOUND) /* may resolve later: checked again at each attempt */
        return HC_OK;
    if (rc != HC_OK)
        return hc_err_set(err, rc, e2.field, "%s", e2.msg);
    return HC_OK;
}

bool hc_webhook_loopback_allowed(void)
{
    const char *v = getenv("HAICANG_WEBHOOKS_ALLOW_LOOPBACK");
    return v && strcmp(v, "test-only") == 0;
}

void hc_webhook_sign(const char *secret, int64_t t, const char *body, size_t n, char out[65])
{
    unsigned char mac[32];
    char ts[24];
    int tl = snprintf(ts, sizeof(ts), "%lld.", (long long)t);
    EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *c = m ? EVP_MAC_CTX_new(m) : NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
                           OSSL_PARAM_construct_end()};
    size_t ml = 0;
    bool ok = c && EVP_MAC_init(c, (const unsigned char *)secret, strlen(secret), params) &&
              EVP_MAC_update(c, (const unsigned char *)ts, (size_t)tl) &&
              EVP_MAC_update(c, (const unsigned char *)body, n) &&
              EVP_MAC_final(c, mac, &ml, sizeof(mac));
    EVP_MAC_CTX_free(c);
    EVP_MAC_free(m);
    HC_ASSERT(ok && ml == 32);
    hc_hex(mac, ml, out);
}

void hc_webhook_signature_header(const char *secret, int64_t t, const char *body, size_t n,
                                 char *out, size_t size)
{
    char hex[65];
    hc_webhook_sign(secret, t, body, n, hex);
    snprintf(out, size, "t=%lld,v1=%s", (long long)t, hex);
}

int64_t hc_webhook_backoff_ms(int64_t attempts, int64_t base_ms)
{
    assert(attempts >= 1 && base_ms > 0);
    int64_t cap = base_ms * 360, d = base_ms;
    for (int64_t i = 1; i < attempts && d < cap; i++)
        d *= 2;
    return d < cap ? d : cap;
}

bool hc_stock_crossed_below(int64_t before, int64_t after, int64_t threshold)
{
    return threshold >= 0 && before >= threshold && after < threshold;
}

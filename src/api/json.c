/* json.c: typed access to request fields, each error naming the field, and
 * the small renderers every handler uses. */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *jv_field(struct req *r, const char *prefix, const char *key)
{
    if (prefix == NULL || *prefix == '\0')
        return key;
    return hc_arena_printf(r->arena, "%s.%s", prefix, key);
}

/* The length of the UTF-8 sequence at p (at most n bytes) if it is one
 * Jansson accepts (shortest form, no surrogates, at most U+10FFFF), else 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0], min;
    size_t k;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        k = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        k = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        k = 3, min = 0x10000, c &= 0x07;
    else
        return 0;
    if (n < k + 1)
        return 0;
    for (size_t i = 1; i <= k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return k + 1;
}

size_t j_clean(char *out, size_t size, const char *s, size_t n)
{
    assert(size >= 4);
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, i = 0;
    static const char ell[] = "\xe2\x80\xa6"; /* "…" when cut */
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        bool plain = k > 1 || (k == 1 && p[i] >= 0x20 && p[i] != 0x7F);
        size_t need = plain ? k : 4;
        if (o + need + 3 >= size) {
            memcpy(out + o, ell, 3);
            o += 3;
            break;
        }
        if (plain) {
            memcpy(out + o, p + i, k);
            i += k;
        } else {
            snprintf(out + o, 5, "\\x%02X", p[i]);
            i++;
        }
        o += need;
    }
    out[o] = '\0';
    return o;
}

const char *j_safe(struct req *r, const char *s, size_t max)
{
    if (s == NULL)
        return "";
    if (max < 8)
        max = 8;
    char *out = hc_arena_alloc(r->arena, max + 1);
    j_clean(out, max + 1, s, strlen(s));
    return out;
}

/* The JSON path ("lines[0].qty") of the value at byte pos of the body, to
 * name the field of a parse error. Jansson read the text before pos, so a
 * scan of brackets, keys, colons and commas finds where pos is. "" at the
 * top level. */
static const char *error_path(struct req *r, size_t pos)
{
    enum { CAP = 2048 }; /* Jansson refuses deeper documents */
    struct level {
        bool obj, want_key;
        size_t idx;
        const char *key;
        size_t klen;
    } *st = hc_arena_alloc(r->arena, sizeof(*st) * CAP);
    const char *b = r->body.p;
    size_t depth = 0, end = pos < r->body.n ? pos : r->body.n;
    if (end > 0 && strchr("}],:", b[end - 1]))
        end--; /* Jansson stopped after the token it did not expect */
    const char *str = NULL; /* start of the string being read */
    for (size_t i = 0; i < end; i++) {
        char c = b[i];
        if (str) {
            if (c == '\\')
                i++;
            else if (c == '"') {
                struct level *l = depth && depth <= CAP ? &st[depth - 1] : NULL;
                if (l && l->obj && l->want_key) {
                    l->key = str;
                    l->klen = (size_t)(b + i - str);
                }
                str = NULL;
            }
            continue;
        }
        struct level *l = depth && depth <= CAP ? &st[depth - 1] : NULL;
        switch (c) {
        case '"':
            str = b + i + 1;
            break;
        case '{':
        case '[':
            if (depth < CAP)
                st[depth] = (struct level){.obj = c == '{', .want_key = c == '{'};
            depth++;
            break;
        case '}':
        case ']':
            if (depth)
                depth--;
            break;
        case ':':
            if (l)
                l->want_key = false;
            break;
        case ',':
            if (l && l->obj) {
                l->want_key = true;
                l->key = NULL;
            } else if (l) {
                l->idx++;
            }
            break;
        }
    }
    if (str && depth && depth <= CAP && st[depth - 1].obj && st[depth - 1].want_key) {
        st[depth - 1].key = str; /* inside a key */
        st[depth - 1].klen = (size_t)(b + end - str);
    }
    hc_buf path;
    hc_buf_init(&path, HC_ERR_FIELD_MAX * 4);
    for (size_t d = 0; d < depth && d < CAP; d++) {
        if (!st[d].obj)
            hc_buf_printf(&path, "[%zu]", st[d].idx);
        else if (st[d].key)
            hc_buf_printf(&path, "%s%.*s", path.n ? "." : "", (int)(st[d].klen > 64 ? 64 : st[d].klen),
                          st[d].key);
        else
            break;
    }
    const char *out = hc_arena_strdup(r->arena, path.p ? path.p : "");
    hc_buf_free(&path);
    return out;
}

int jv_body(struct req *r, json_t **out)
{
    if (r->json == NULL) {
        if (r->body.n == 0)
            return hc_err_set(&r->err, HC_EINVAL, "body", "a JSON object body is required");
        if (!hc_utf8_valid(r->body.p, r->body.n))
            return hc_err_set(&r->err, HC_EINVAL, "body", "the body is not valid UTF-8");
        json_error_t je;
        r->json = json_loadb(r->body.p, r->body.n, JSON_REJECT_DUPLICATES, &je);
        if (r->json == NULL) {
            const char *path = error_path(r, (size_t)je.position);
            const char *what = "malformed JSON";
            if (strstr(je.text, "too big") || strstr(je.text, "overflow"))
                what = "a number out of range";
            else if (strstr(je.text, "\\u0000") || strstr(je.text, "NUL"))
                what = "NUL characters are not allowed";
            else if (strstr(je.text, "duplicate"))
                what = "a duplicate key";
            return hc_err_set(&r->err, HC_EINVAL, *path ? path : "body",
                              "%s at line %d column %d: %s", what, je.line, je.column, je.text);
        }
    }
    if (!json_is_object(r->json))
        return hc_err_set(&r->err, HC_EINVAL, "body", "the body must be a JSON object");
    *out = r->json;
    return HC_OK;
}

int jv_str(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_string(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                          "must not contain NUL characters");
    if (json_string_length(v) > 65536)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is too long");
    *out = json_string_value(v);
    return HC_OK;
}

int jv_int(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           int64_t min, int64_t max, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_integer(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be an integer");
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        if (min == 1 && n <= 0)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be > 0");
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be %lld..%lld",
                          (long long)min, (long long)max);
    }
    *out = n;
    return HC_OK;
}

int jv_dims(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
            int64_t out[3])
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_array(v) || json_array_size(v) != 3)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                          "must be [length, width, height] in mm");
    for (size_t i = 0; i < 3; i++) {
        json_t *d = json_array_get(v, i);
        if (!json_is_integer(d) || json_integer_value(d) <= 0 ||
            json_integer_value(d) > 1000000)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key),
                              "each dimension must be a positive integer of mm");
        out[i] = json_integer_value(d);
    }
    return HC_OK;
}

int jv_money(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
             int64_t *minor, const char **currency)
{
    json_t *m;
    if (jv_object(r, obj, prefix, key, required, &m) != HC_OK)
        return r->err.code;
    if (m == NULL)
        return HC_OK;
    const char *f = jv_field(r, prefix, key), *amount;
    if (jv_str(r, m, f, "currency", true, currency) || jv_str(r, m, f, "amount", true, &amount))
        return r->err.code;
    int scale = hc_currency_scale(*currency);
    if (scale < 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, f, "currency"),
                          "must be an ISO 4217 code");
    if (hc_decimal_parse(amount, scale, minor) != HC_OK)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, f, "amount"),
                          "must be a decimal string with at most %d fraction digits", scale);
    if (*minor < 0)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, f, "amount"), "must be >= 0");
    return HC_OK;
}

int jv_array(struct req *r, json_t *obj, const char *prefix, const char *key, size_t max,
             json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
    if (!json_is_array(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be an array");
    if (json_array_size(v) > max)
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "at most %zu items", max);
    *out = v;
    return HC_OK;
}

int jv_object(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
              json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_object(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be an object");
    *out = v;
    return HC_OK;
}

int jv_bool(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
            bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_boolean(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be true or false");
    *out = json_is_true(v);
    return HC_OK;
}

int jv_num(struct req *r, json_t *obj, const char *prefix, const char *key, bool required,
           double *out, bool *present)
{
    json_t *v = json_object_get(obj, key);
    if (present)
        *present = false;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "is required");
        return HC_OK;
    }
    if (!json_is_number(v))
        return hc_err_set(&r->err, HC_EINVAL, jv_field(r, prefix, key), "must be a number");
    *out = json_number_value(v);
    if (present)
        *present = true;
    return HC_OK;
}

int jv_item(struct req *r, json_t *arr, const char *prefix, size_t i, json_t **out,
            const char **path)
{
    const char *p = hc_arena_printf(r->arena, "%s[%zu]", prefix, i);
    json_t *v = json_array_get(arr, i);
    *out = NULL;
    if (path)
        *path = p;
    if (!json_is_object(v))
        return hc_err_set(&r->err, HC_EINVAL, p, "must be an object");
    *out = v;
    return HC_OK;
}

int jv_item_str(struct req *r, json_t *arr, const char *prefix, size_t i, const char **out)
{
    const char *p = hc_arena_printf(r->arena, "%s[%zu]", prefix, i);
    json_t *v = json_array_get(arr, i);
    *out = NULL;
    if (!json_is_string(v))
        return hc_err_set(&r->err, HC_EINVAL, p, "must be a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return hc_err_set(&r->err, HC_EINVAL, p, "must not contain NUL characters");
    if (json_string_length(v) > 65536)
        return hc_err_set(&r->err, HC_EINVAL, p, "is too long");
    *out = json_string_value(v);
    return HC_OK;
}

json_t *j_time(int64_t ms)
{
    char buf[40];
    hc_time_iso(ms, buf, sizeof(buf));
    return json_string(buf);
}

json_t *j_money(int64_t minor, const char *currency)
{
    char buf[40];
    int scale = hc_currency_scale(currency);
    hc_decimal_format(minor, scale < 0 ? 2 : scale, buf, sizeof(buf));
    return json_pack("{s:s,s:s}", "amount", buf, "currency", currency);
}

json_t *j_dims(const int64_t d[3])
{
    return json_pack("[I,I,I]", (json_int_t)d[0], (json_int_t)d[1], (json_int_t)d[2]);
}

json_t *j_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *j_page(json_t *items, const char *next)
{
    return json_pack("{s:o,s:o}", "items", items, "next_cursor", j_str_or_null(next));
}

const char *j_title(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Bad Request" : "Internal Server Error";
    }
}

/* The field and message may quote what a client sent (a path, a method, a
 * key) and may have been cut by hc_err_set mid-character: both are cleaned
 * to valid UTF-8 first, and a problem that still cannot be built is
 * answered without them, so an error answer never fails. */
json_t *j_problem(int status, const hc_err *err)
{
    char field[HC_ERR_FIELD_MAX * 4], msg[HC_ERR_MSG_MAX * 4];
    j_clean(field, sizeof(field), err->field, strnlen(err->field, sizeof(err->field)));
    j_clean(msg, sizeof(msg), err->msg, strnlen(err->msg, sizeof(err->msg)));
    const char *title = j_title(status);
    json_t *p = json_pack("{s:s,s:s,s:i,s:s,s:[]}", "type", "about:blank", "title", title,
                          "status", status, "detail", msg[0] ? msg : title, "errors");
    if (p && field[0])
        json_array_append_new(json_object_get(p, "errors"),
                              json_pack("{s:s,s:s}", "field", field, "message", msg));
    if (p == NULL)
        p = json_pack("{s:s,s:s,s:i,s:s,s:[]}", "type", "about:blank", "title", title, "status",
                      status, "detail", title, "errors");
    return p;
}

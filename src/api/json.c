/* json.c: typed access to request fields, each error naming the field, and
 * the small renderers every handler uses. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

const char *jv_field(struct req *r, const char *prefix, const char *key)
{
    if (prefix == NULL || *prefix == '\0')
        return key;
    return hc_arena_printf(r->arena, "%s.%s", prefix, key);
}

/* The key a number belongs to: the quoted string before the ':' that precedes
 * byte pos of the body (best effort, for naming the field of a number Jansson
 * cannot hold; the full path is not known then). */
static const char *number_key(struct req *r, size_t pos)
{
    const char *b = r->body.p;
    size_t i = pos < r->body.n ? pos : r->body.n;
    while (i > 0 && b[i - 1] != ':')
        i--;
    if (i == 0)
        return "";
    i--;
    while (i > 0 && (b[i - 1] == ' ' || b[i - 1] == '\t' || b[i - 1] == '\n' || b[i - 1] == '\r'))
        i--;
    if (i < 2 || b[i - 1] != '"')
        return "";
    size_t end = i - 1, start = end;
    while (start > 0 && b[start - 1] != '"' && end - start < 64)
        start--;
    if (start == 0 || b[start - 1] != '"')
        return "";
    return hc_arena_strndup(r->arena, b + start, end - start);
}

int jv_body(struct req *r, json_t **out)
{
    if (r->json == NULL) {
        if (r->body.n == 0)
            return hc_err_set(&r->err, HC_EINVAL, "", "a JSON object body is required");
        if (!hc_utf8_valid(r->body.p, r->body.n))
            return hc_err_set(&r->err, HC_EINVAL, "", "the body is not valid UTF-8");
        json_error_t je;
        r->json = json_loadb(r->body.p, r->body.n, JSON_REJECT_DUPLICATES, &je);
        if (r->json == NULL) {
            const char *key = strstr(je.text, "too big integer") ? number_key(r, je.position) : "";
            return hc_err_set(&r->err, HC_EINVAL, key, "%s at line %d column %d: %s",
                              *key ? "a number out of range" : "malformed JSON", je.line,
                              je.column, je.text);
        }
    }
    if (!json_is_object(r->json))
        return hc_err_set(&r->err, HC_EINVAL, "", "the body must be a JSON object");
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

json_t *j_problem(int status, const hc_err *err)
{
    const char *title;
    switch (status) {
    case 400: title = "Bad Request"; break;
    case 401: title = "Unauthorized"; break;
    case 403: title = "Forbidden"; break;
    case 404: title = "Not Found"; break;
    case 405: title = "Method Not Allowed"; break;
    case 409: title = "Conflict"; break;
    case 413: title = "Payload Too Large"; break;
    case 422: title = "Unprocessable Entity"; break;
    case 503: title = "Service Unavailable"; break;
    default: title = "Internal Server Error"; break;
    }
    json_t *p = json_pack("{s:s,s:s,s:i,s:s}", "type", "about:blank", "title", title, "status",
                          status, "detail", err->msg);
    json_t *errors = json_array();
    if (err->field[0])
        json_array_append_new(errors,
                              json_pack("{s:s,s:s}", "field", err->field, "message", err->msg));
    json_object_set_new(p, "errors", errors);
    return p;
}

/* upload.c: shipping labels a seller (or its channel) bought elsewhere and
 * uploads as PDF for an order, with the carrier and tracking number they
 * carry; the warehouse prints them as they are. The PDF check is
 * structural and bounded (header, end marker, startxref pointing at a
 * cross-reference table with its trailer or at a cross-reference stream
 * object, and a /Root): it proves the upload is shaped like a PDF a viewer
 * opens, not that every object in it parses. It also counts the references
 * in every /Kids array it can read (a page tree's): a label's tree is small,
 * and a 1 MiB tree naming one page 160,000 times cost qpdf ~6 s to count.
 * The file is stored as hex in the database (the store binds text only). */
#include "lastmile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TAIL_WINDOW 1024 /* "%%EOF" must lie in the file's last bytes */

static const char *find_last(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (n < k)
        return NULL;
    for (size_t i = n - k + 1; i-- > 0;)
        if (memcmp(p + i, needle, k) == 0)
            return p + i;
    return NULL;
}

static const char *find_in(const char *p, const char *end, const char *needle)
{
    size_t k = strlen(needle);
    for (; p + k <= end; p++)
        if (memcmp(p, needle, k) == 0)
            return p;
    return NULL;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skips white space then reads an unsigned number of at most 10 digits;
 * NULL when there is none. */
static const char *read_uint(const char *p, const char *end, int64_t *v)
{
    while (p < end && is_ws(*p))
        p++;
    int nd = 0;
    *v = 0;
    while (p < end && is_digit(*p) && nd < 11) {
        *v = *v * 10 + (*p - '0');
        p++;
        nd++;
    }
    return nd == 0 || nd > 10 ? NULL : p;
}

/* "N G obj" at p: the start of an indirect object (a cross-reference stream). */
static bool at_object(const char *p, const char *end)
{
    int64_t num, gen;
    const char *q = read_uint(p, end, &num);
    q = q ? read_uint(q, end, &gen) : NULL;
    if (q == NULL)
        return false;
    while (q < end && is_ws(*q))
        q++;
    return end - q >= 3 && memcmp(q, "obj", 3) == 0;
}

/* Skips white space and comments ("%" to the end of the line). */
static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (is_ws(*p) || *p == '%')) {
        if (*p == '%')
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        else
            p++;
    }
    return p;
}

/* The references "N G R" of the /Kids array at p (just after the name), added
 * to *refs; false when it is not an array of references (a tree written by
 * anything but hand is one), or when *refs passes HC_LM_PDF_KIDS_MAX. */
static bool count_kids(const char *p, const char *end, int *refs)
{
    p = skip_ws(p, end);
    if (p >= end || *p != '[')
        return false;
    p++;
    for (;;) {
        p = skip_ws(p, end);
        if (p < end && *p == ']')
            return true;
        int64_t num, gen;
        const char *q = read_uint(p, end, &num);
        q = q ? read_uint(q, end, &gen) : NULL;
        q = q ? skip_ws(q, end) : NULL;
        if (q == NULL || q >= end || *q != 'R' || ++*refs > HC_LM_PDF_KIDS_MAX)
            return false;
        p = q + 1;
    }
}

/* Every /Kids array in the file (stream data included: the bytes "/Kids"
 * do not occur by chance) holds only references, HC_LM_PDF_KIDS_MAX in all. */
static bool kids_bounded(const char *p, size_t n, int *refs)
{
    const char *end = p + n;
    for (const char *k = find_in(p, end, "/Kids"); k; k = find_in(k + 5, end, "/Kids"))
        if (!count_kids(k + 5, end, refs))
            return false;
    return true;
}

#define OBJSTM_INFLATED_MAX (1 << 20) /* bytes of all object streams inflated */
#define DICT_WINDOW 1024             /* bytes of a stream's dictionary looked at */

/* Inflates the zlib data at p into buf (cap bytes); its length, or -1 when it
 * does not end within cap (or is not zlib data). */
static long inflate_bounded(const char *p, const char *end, char *buf, size_t cap)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return -1;
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)(end - p);
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int zr = inflate(&z, Z_FINISH);
    long got = zr == Z_STREAM_END ? (long)z.total_out : -1;
    inflateEnd(&z);
    return got;
}

/* Every object stream named plainly (/ObjStm) whose data is compressed
 * (a /Filter in its dictionary) inflates, all together, within
 * OBJSTM_INFLATED_MAX, and the /Kids arrays in it count with the file's: a
 * page tree hidden in one is seen (15 KB of it inflate to a /Kids of
 * 1,700,000 references that cost qpdf ~35 s and ~5 GB). */
static bool objstm_bounded(const char *p, size_t n, int *refs)
{
    const char *end = p + n;
    char *buf = NULL; /* allocated at the first compressed object stream */
    size_t used = 0;
    bool ok = true;
    const char *done = p; /* every window looked at ends before it: linear */
    for (const char *o = find_in(p, end, "/ObjStm"); ok && o; o = find_in(done, end, "/ObjStm")) {
        const char *lim = end - o > DICT_WINDOW ? o + DICT_WINDOW : end;
        const char *kw = find_in(o, lim, "stream");
        const char *from = o - done > DICT_WINDOW ? o - DICT_WINDOW : done;
        done = kw ? kw + 6 : lim;
        if (kw == NULL)
            continue; /* a name, not an object stream's dictionary */
        if (find_in(from, kw, "/Filter") == NULL)
            continue; /* plain: its /Kids were counted with the file */
        const char *data = kw + 6;
        data += data < end && *data == '\r';
        data += data < end && *data == '\n';
        if (buf == NULL && (buf = malloc(OBJSTM_INFLATED_MAX)) == NULL)
            return false;
        long got = inflate_bounded(data, end, buf, OBJSTM_INFLATED_MAX - used);
        ok = got >= 0;
        for (const char *k = ok ? find_in(buf, buf + got, "/Kids") : NULL; ok && k;
             k = find_in(k + 5, buf + got, "/Kids"))
            ok = count_kids(k + 5, buf + got, refs);
        used += ok ? (size_t)got : 0;
    }
    free(buf);
    return ok;
}

static int bad(hc_err *err, const char *why)
{
    return hc_err_set(err, HC_EINVAL, "label", "is not a PDF: %s", why);
}

int hc_lm_pdf_check(const char *p, size_t n, hc_err *err)
{
    if (n > HC_LM_UPLOAD_MAX)
        return hc_err_set(err, HC_ETOOBIG, "label", "is larger than %d bytes", HC_LM_UPLOAD_MAX);
    if (p == NULL || n < 32 || memcmp(p, "%PDF-", 5) != 0 || !is_digit(p[5]) || p[6] != '.' ||
        !is_digit(p[7]))
        return bad(err, "it does not begin with %PDF-n.n");
    size_t tail = n < TAIL_WINDOW ? n : TAIL_WINDOW;
    const char *eof = find_last(p + n - tail, tail, "%%EOF");
    if (eof == NULL)
        return bad(err, "no %%EOF at its end");
    const char *sx = find_last(p, (size_t)(eof - p), "startxref");
    if (sx == NULL)
        return bad(err, "no startxref");
    int64_t off;
    const char *after = read_uint(sx + 9, eof, &off);
    if (after == NULL || off <= 0 || p + off >= sx)
        return bad(err, "startxref does not point into the file");
    const char *xr = p + off;
    const char *end_of_section;
    if ((size_t)(sx - xr) >= 4 && memcmp(xr, "xref", 4) == 0) {
        end_of_section = find_in(xr, sx, "trailer");
        if (end_of_section == NULL)
            return bad(err, "a cross-reference table without a trailer");
        end_of_section = sx;
    } else if (at_object(xr, sx)) {
        end_of_section = sx;
        if (find_in(xr, end_of_section, "/XRef") == NULL)
            return bad(err, "startxref points at an object that is not a cross-reference stream");
    } else {
        return bad(err, "startxref points at neither xref nor an object");
    }
    if (find_in(xr, end_of_section, "/Root") == NULL)
        return bad(err, "its trailer names no /Root");
    int refs = 0;
    if (!kids_bounded(p, n, &refs))
        return hc_err_set(err, HC_EINVAL, "label",
                          "its page tree is not that of a label: more than %d /Kids references,"
                          " or one that is not a reference",
                          HC_LM_PDF_KIDS_MAX);
    if (!objstm_bounded(p, n, &refs))
        return hc_err_set(err, HC_EINVAL, "label",
                          "its object streams do not inflate within %d bytes, or hold a page tree"
                          " that is not that of a label",
                          OBJSTM_INFLATED_MAX);
    return HC_OK;
}

static bool tracking_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 4 || n > HC_LM_TRACKING_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '-'))
            return false;
    }
    return true;
}

static bool carrier_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64 || !hc_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    return true;
}

int hc_lm_upload_validate(const struct hc_lm_upload *u, hc_err *err)
{
    if (!carrier_ok(u->carrier))
        return hc_err_set(err, HC_EINVAL, "carrier", "is required: 1-64 printable characters");
    if (!tracking_ok(u->tracking_no))
        return hc_err_set(err, HC_EINVAL, "tracking_no",
                          "must be 4-%d characters A-Z, 0-9 or '-'", HC_LM_TRACKING_MAX);
    int rc = hc_lm_pdf_check(u->pdf, u->pdf_len, err);
    if (rc != HC_OK)
        return rc;
    int pages = hc_lm_pdf_pages_bounded(u->pdf, u->pdf_len, HC_LM_UPLOAD_PAGES_MAX);
    if (pages > HC_LM_UPLOAD_PAGES_MAX)
        return hc_err_set(err, HC_EINVAL, "label",
                          "has more than %d pages (or a page tree that names a node twice)",
                          HC_LM_UPLOAD_PAGES_MAX);
    return HC_OK;
}

static bool closed_status(const char *st)
{
    static const char *closed[] = {"shipped", "delivered", "cancelled"};
    for (size_t i = 0; i < HC_ARRAY_LEN(closed); i++)
        if (strcmp(st, closed[i]) == 0)
            return true;
    return false;
}

int hc_lm_upload_put(hc_store *s, hc_arena *a, struct hc_lm_upload *u, const char *actor,
                     bool *replaced, hc_err *err)
{
    int rc = hc_lm_upload_validate(u, err);
    if (rc != HC_OK)
        return rc;
    if (closed_status(u->order_status))
        return hc_err_set(err, HC_ECONFLICT, "status", "the order is %s: no label can be added",
                          u->order_status);
    char *hex = hc_arena_alloc(a, u->pdf_len * 2 + 1);
    hc_hex(u->pdf, u->pdf_len, hex);
    int64_t gone = 0;
    u->created_at = hc_now_ms();
    u->created_by = actor ? actor : "";
    rc = hc_store_run(s, err, &gone, "DELETE FROM lm_label_uploads WHERE order_id = ?", "s",
                      u->order_id);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          "INSERT INTO lm_label_uploads (order_id, warehouse, seller, carrier,"
                          " tracking_no, pdf_hex, pdf_bytes, created_at, created_by)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssssiis", u->order_id, u->warehouse ? u->warehouse : "", u->seller,
                          u->carrier, u->tracking_no, hex, (int64_t)u->pdf_len, u->created_at,
                          u->created_by);
    if (rc == HC_OK && replaced)
        *replaced = gone > 0;
    return rc;
}

static int unhex(char c)
{
    return is_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int hc_lm_upload_get(hc_store *s, hc_arena *a, const char *order_id, bool with_pdf,
                     struct hc_lm_upload *out, hc_err *err)
{
    hc_stmt *q;
    memset(out, 0, sizeof(*out));
    int rc = hc_store_query(s, err, &q,
                            with_pdf ? "SELECT warehouse, seller, carrier, tracking_no, pdf_bytes,"
                                       " created_at, created_by, pdf_hex FROM lm_label_uploads"
                                       " WHERE order_id = ?"
                                     : "SELECT warehouse, seller, carrier, tracking_no, pdf_bytes,"
                                       " created_at, created_by FROM lm_label_uploads"
                                       " WHERE order_id = ?",
                            "s", order_id);
    if (rc != HC_OK)
        return rc;
    rc = hc_stmt_step(q, err);
    if (rc == HC_ROW) {
        out->order_id = hc_arena_strdup(a, order_id);
        out->warehouse = hc_arena_strdup(a, hc_stmt_text(q, 0));
        out->seller = hc_arena_strdup(a, hc_stmt_text(q, 1));
        out->carrier = hc_arena_strdup(a, hc_stmt_text(q, 2));
        out->tracking_no = hc_arena_strdup(a, hc_stmt_text(q, 3));
        out->pdf_len = (size_t)hc_stmt_int(q, 4);
        out->created_at = hc_stmt_int(q, 5);
        out->created_by = hc_arena_strdup(a, hc_stmt_text(q, 6));
        if (with_pdf) {
            const char *hex = hc_stmt_text(q, 7);
            char *pdf = hc_arena_alloc(a, out->pdf_len + 1);
            size_t k = 0;
            for (; k < out->pdf_len && hex[2 * k] && hex[2 * k + 1]; k++) {
                int hi = unhex(hex[2 * k]), lo = unhex(hex[2 * k + 1]);
                if (hi < 0 || lo < 0)
                    break;
                pdf[k] = (char)(hi << 4 | lo);
            }
            out->pdf = pdf;
            if (k != out->pdf_len)
                rc = hc_err_set(err, HC_EINTERNAL, "", "stored label of %s is damaged", order_id);
        }
    } else if (rc == HC_DONE) {
        rc = hc_err_set(err, HC_ENOTFOUND, "id", "order %s has no uploaded label", order_id);
    }
    hc_stmt_reset(q);
    return rc == HC_ROW ? HC_OK : rc;
}

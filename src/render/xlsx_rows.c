/* xlsx_rows.c: the rows of a large table as sheet XML, written here instead
 * of by libxlsxwriter, deflated at a fast level on worker threads and
 * spliced into the package libxlsxwriter made (xlsx.c). libxlsxwriter 1.1.4
 * formats every cell through printf into a temporary file and deflates the
 * sheet at zlib's default level on one thread: for a million rows of a
 * statement (~450 MB of sheet XML) that alone is ~10 s, while this writes
 * and deflates the same XML in about a second (bench/RESULTS.md).
 *
 * The XML is what libxlsxwriter's constant-memory mode writes (a row per
 * <row r=..>, strings inline, numbers with a number style), except that
 * numbers are the document's decimal strings as they are, not printed back
 * from a double. The sheet is cut in chunks of a few MB; each chunk is a
 * raw deflate stream ended by a sync flush (the last by a finish), so the
 * chunks joined in order are one deflate stream, and their CRC-32s are
 * joined by crc32_combine. */
#include "render_private.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK_XML ((size_t)4 << 20) /* XML handed to a worker at a time */
#define SLOTS 4                     /* chunks in flight */
#define WORKERS_MAX 4
#define LEVEL 2 /* 340 MB/s and 11 % on statement XML here; level 6: 61 MB/s, 10 % */
#define ZIP_MAX 0xFFFFFFFEu /* no ZIP64 */

enum slot_state { FREE, READY, BUSY, DONE };

struct slot {
    char *xml;
    size_t n, cap;
    unsigned char *z;
    size_t zn, zcap;
    uLong crc;
    bool last, failed;
    enum slot_state state;
};

/* Chunk k lives in slot k % SLOTS; the producer takes the slots in order and
 * appends each chunk to the output before its slot is used again, so the
 * chunks reach the output in order. */
struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot slot[SLOTS];
    pthread_t th[WORKERS_MAX];
    int nth;
    bool stop;
    size_t next; /* chunks taken */
    /* the entry being written */
    hc_buf *out;
    uLong crc;
    uint64_t usize, csize;
    bool failed;
};

static void compress_slot(struct slot *s)
{
    s->crc = crc32(0, (const Bytef *)s->xml, (uInt)s->n);
    z_stream z = {0};
    if (deflateInit2(&z, LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        s->failed = true;
        return;
    }
    size_t need = deflateBound(&z, (uLong)s->n) + 64;
    if (need > s->zcap) {
        free(s->z);
        s->z = malloc(need);
        s->zcap = s->z ? need : 0;
    }
    if (s->z == NULL) {
        deflateEnd(&z);
        s->failed = true;
        return;
    }
    z.next_in = (Bytef *)s->xml;
    z.avail_in = (uInt)s->n;
    z.next_out = s->z;
    z.avail_out = (uInt)s->zcap;
    int zr = deflate(&z, s->last ? Z_FINISH : Z_SYNC_FLUSH);
    s->failed = s->last ? zr != Z_STREAM_END : (zr != Z_OK || z.avail_in != 0);
    s->zn = z.total_out;
    deflateEnd(&z);
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        /* the oldest ready chunk first: the producer waits for that one */
        struct slot *s = NULL;
        for (size_t k = p->next - (p->next < SLOTS ? p->next : SLOTS); k < p->next && !s; k++)
            if (p->slot[k % SLOTS].state == READY)
                s = &p->slot[k % SLOTS];
        if (s == NULL) {
            if (p->stop)
                break;
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        s->state = BUSY;
        pthread_mutex_unlock(&p->mu);
        compress_slot(s);
        pthread_mutex_lock(&p->mu);
        s->state = DONE;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_start(struct pool *p)
{
    memset(p, 0, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int want = cores > 1 ? (int)(cores < WORKERS_MAX ? cores : WORKERS_MAX) : 0;
    for (int i = 0; i < want; i++)
        if (pthread_create(&p->th[p->nth], NULL, worker, p) == 0)
            p->nth++;
}

static void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    for (int i = 0; i < SLOTS; i++) {
        free(p->slot[i].xml);
        free(p->slot[i].z);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
}

/* Waits for the chunk in s and appends it to the entry. */
static void drain(struct pool *p, struct slot *s)
{
    pthread_mutex_lock(&p->mu);
    while (s->state == READY || s->state == BUSY)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    if (s->state != DONE)
        return;
    if (s->failed || p->usize + s->n > ZIP_MAX || p->csize + s->zn > ZIP_MAX ||
        hc_buf_add(p->out, s->z, s->zn) != HC_OK)
        p->failed = true;
    p->crc = crc32_combine(p->crc, s->crc, (z_off_t)s->n);
    p->usize += s->n;
    p->csize += s->zn;
    s->state = FREE;
}

/* The slot for the next chunk, emptied. */
static struct slot *take(struct pool *p)
{
    struct slot *s = &p->slot[p->next % SLOTS];
    drain(p, s);
    s->n = 0;
    s->last = false;
    return s;
}

static void submit(struct pool *p, struct slot *s, bool last)
{
    s->last = last;
    if (p->nth == 0) {
        p->next++;
        compress_slot(s);
        s->state = DONE;
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->next++;
    s->state = READY;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void drain_all(struct pool *p)
{
    for (size_t k = p->next - (p->next < SLOTS ? p->next : SLOTS); k < p->next; k++)
        drain(p, &p->slot[k % SLOTS]);
}

/* ---- sheet XML --------------------------------------------------------- */

static bool reserve(struct slot *s, size_t more)
{
    if (s->n + more <= s->cap)
        return true;
    size_t cap = s->cap ? s->cap : CHUNK_XML + 65536;
    while (cap < s->n + more)
        cap *= 2;
    char *x = realloc(s->xml, cap);
    if (x == NULL)
        return false;
    s->xml = x;
    s->cap = cap;
    return true;
}

static char *put(char *o, const char *lit, size_t n)
{
    memcpy(o, lit, n);
    return o + n;
}
#define PUT(o, lit) put(o, lit, sizeof(lit) - 1)

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* s escaped for an XML text node; control characters as OOXML's _xHHHH_,
 * and a literal "_xHHHH_" kept literal by escaping its "_". At most 7 bytes
 * out per byte in. */
static char *escape(char *o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '&')
            o = PUT(o, "&amp;");
        else if (*c == '<')
            o = PUT(o, "&lt;");
        else if (*c == '>')
            o = PUT(o, "&gt;");
        else if (*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r') {
            o = PUT(o, "_x00");
            *o++ = hex[*c >> 4];
            *o++ = hex[*c & 15];
            *o++ = '_';
        } else if (*c == '_' && c[1] == 'x' && is_hex((char)c[2]) && is_hex((char)c[3]) &&
                   is_hex((char)c[4]) && is_hex((char)c[5]) && c[6] == '_')
            o = PUT(o, "_x005F_");
        else
            *o++ = (char)*c;
    }
    return o;
}

int xlsx_plain_decimals(const char *v)
{
    const char *c = v + (*v == '-');
    int digits = 0, dp = -1;
    for (; *c; c++) {
        if (*c == '.' && dp < 0 && digits > 0)
            dp = 0;
        else if (*c >= '0' && *c <= '9') {
            digits++;
            if (dp >= 0)
                dp++;
        } else
            return -1;
    }
    if (digits == 0 || digits > 15 || dp == 0 || dp > 6)
        return -1;
    return dp < 0 ? 0 : dp;
}

/* "123" + 1 in place: the row number as text. */
static size_t increment(char *num, size_t len)
{
    for (size_t i = len; i-- > 0;) {
        if (num[i] != '9') {
            num[i]++;
            return len;
        }
        num[i] = '0';
    }
    memmove(num + 1, num, len);
    num[0] = '1';
    return len + 1;
}

static bool edge_space(const char *v, size_t len)
{
    return strchr(" \t\n\r", v[0]) || strchr(" \t\n\r", v[len - 1]);
}

/* One row (its number rn, rl characters) appended to s. */
static int row_xml(struct slot *s, const struct xlsx_splice *sp, const char **cells,
                   const char *rn, size_t rl)
{
    const struct hc_doc_table *t = sp->t;
    if (!reserve(s, 32 + rl))
        return HC_ETOOBIG;
    char *o = s->xml + s->n;
    o = PUT(o, "<row r=\"");
    o = put(o, rn, rl);
    o = PUT(o, "\">");
    s->n = (size_t)(o - s->xml);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *v = cells[c] ? cells[c] : "";
        size_t len = strlen(v);
        if (len == 0)
            continue;
        if (!reserve(s, 96 + rl + 7 * len))
            return HC_ETOOBIG;
        o = s->xml + s->n;
        o = PUT(o, "<c r=\"");
        *o++ = (char)('A' + c);
        o = put(o, rn, rl);
        int dp = t->numeric[c] ? xlsx_plain_decimals(v) : -1;
        if (dp >= 0) {
            o = PUT(o, "\" s=\"");
            char xf[12];
            int xl = snprintf(xf, sizeof(xf), "%d", (int)sp->num_xf[dp]);
            o = put(o, xf, (size_t)xl);
            o = PUT(o, "\"><v>");
            o = put(o, v, len);
            o = PUT(o, "</v></c>");
        } else {
            o = PUT(o, "\" t=\"inlineStr\"><is>");
            o = edge_space(v, len) ? PUT(o, "<t xml:space=\"preserve\">") : PUT(o, "<t>");
            o = escape(o, v);
            o = PUT(o, "</t></is></c>");
        }
        s->n = (size_t)(o - s->xml);
    }
    if (!reserve(s, 8))
        return HC_ETOOBIG;
    s->n = (size_t)(PUT(s->xml + s->n, "</row>") - s->xml);
    return HC_OK;
}

static bool add(struct slot *s, const char *p, size_t n)
{
    if (!reserve(s, n))
        return false;
    memcpy(s->xml + s->n, p, n);
    s->n += n;
    return true;
}

/* The sheet: head (up to the end of its rows), the table's rows, tail;
 * deflated into p->out. */
static int sheet_xml(struct pool *p, const struct xlsx_splice *sp, const char *head,
                     size_t hn, const char *tail, size_t tn, hc_err *err)
{
    const struct hc_doc_table *t = sp->t;
    char rn[16];
    size_t rl = (size_t)snprintf(rn, sizeof(rn), "%u", (unsigned)sp->first_row + 1);
    const char *cells[HC_DOC_COLS_MAX];
    struct slot *s = take(p);
    if (!add(s, head, hn))
        return hc_err_set(err, HC_ETOOBIG, "", "xlsx: out of memory");
    for (size_t r = 0; r < t->nrows; r++) {
        int rc = t->row(t->ctx, r, cells);
        if (rc != HC_OK)
            return hc_err_set(err, rc, "", "a table row could not be read");
        if (row_xml(s, sp, cells, rn, rl) != HC_OK)
            return hc_err_set(err, HC_ETOOBIG, "", "xlsx: out of memory");
        rl = increment(rn, rl);
        if (s->n >= CHUNK_XML) {
            submit(p, s, false);
            s = take(p);
        }
        if (p->failed)
            return hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
    }
    if (!add(s, tail, tn))
        return hc_err_set(err, HC_ETOOBIG, "", "xlsx: out of memory");
    submit(p, s, true);
    drain_all(p);
    if (p->failed)
        return hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
    return HC_OK;
}

/* ---- the zip package ---------------------------------------------------- */

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}
static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* A central directory record of the package, as read. */
struct zent {
    const unsigned char *cd; /* its central record */
    const unsigned char *name;
    uint32_t nlen, crc, csize, usize;
    const unsigned char *data; /* compressed bytes */
};

static int bad(hc_err *err, const char *what)
{
    return hc_err_set(err, HC_EINTERNAL, "", "xlsx: libxlsxwriter's package: %s", what);
}

static int read_entry(const unsigned char *zip, size_t n, const unsigned char **cd,
                      const unsigned char *end, struct zent *e, hc_err *err)
{
    const unsigned char *c = *cd;
    if (end - c < 46 || le32(c) != 0x02014b50)
        return bad(err, "central directory");
    e->cd = c;
    e->crc = le32(c + 16);
    e->csize = le32(c + 20);
    e->usize = le32(c + 24);
    e->nlen = le16(c + 28);
    size_t extra = le16(c + 30), comment = le16(c + 32);
    uint32_t off = le32(c + 42);
    if ((size_t)(end - c) < 46 + e->nlen + extra + comment)
        return bad(err, "central directory");
    e->name = c + 46;
    *cd = c + 46 + e->nlen + extra + comment;
    if ((size_t)off + 30 > n || le32(zip + off) != 0x04034b50)
        return bad(err, "local header");
    size_t data = (size_t)off + 30 + le16(zip + off + 26) + le16(zip + off + 28);
    if (data + e->csize > n)
        return bad(err, "entry data");
    e->data = zip + data;
    return HC_OK;
}

/* A local header for e at the end of out (crc and sizes patched later for
 * a spliced entry). */
static int local_header(hc_buf *out, const struct zent *e)
{
    unsigned char h[30];
    put32(h, 0x04034b50);
    memcpy(h + 4, e->cd + 6, 2);            /* version needed */
    put16(h + 6, le16(e->cd + 8) & ~8u);    /* flags, no data descriptor */
    memcpy(h + 8, e->cd + 10, 6);           /* method, time, date */
    put32(h + 14, e->crc);
    put32(h + 18, e->csize);
    put32(h + 22, e->usize);
    put16(h + 26, e->nlen);
    put16(h + 28, 0);
    if (hc_buf_add(out, h, 30) || hc_buf_add(out, e->name, e->nlen))
        return HC_ETOOBIG;
    return HC_OK;
}

static int central_record(hc_buf *cd, const struct zent *e, uint32_t offset)
{
    unsigned char h[46];
    memcpy(h, e->cd, 46);
    put16(h + 8, le16(e->cd + 8) & ~8u);
    put32(h + 16, e->crc);
    put32(h + 20, e->csize);
    put32(h + 24, e->usize);
    put16(h + 30, 0);
    put16(h + 32, 0);
    put32(h + 42, offset);
    if (hc_buf_add(cd, h, 46) || hc_buf_add(cd, e->name, e->nlen))
        return HC_ETOOBIG;
    return HC_OK;
}

/* The inflated XML of an entry (malloc'd). */
static char *inflate_entry(const struct zent *e, hc_err *err)
{
    if (le16(e->cd + 10) != 8 || e->usize > (64u << 20)) {
        bad(err, "a sheet that is not deflated or too large");
        return NULL;
    }
    char *x = malloc((size_t)e->usize + 1);
    z_stream z = {0};
    if (x == NULL || inflateInit2(&z, -15) != Z_OK) {
        free(x);
        hc_err_set(err, HC_EINTERNAL, "", "xlsx: out of memory");
        return NULL;
    }
    z.next_in = (Bytef *)e->data;
    z.avail_in = e->csize;
    z.next_out = (Bytef *)x;
    z.avail_out = e->usize;
    int zr = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    if (zr != Z_STREAM_END || z.total_out != e->usize ||
        crc32(0, (const Bytef *)x, e->usize) != e->crc) {
        free(x);
        bad(err, "a sheet that does not inflate");
        return NULL;
    }
    x[e->usize] = '\0';
    return x;
}

/* Column letters of a cell reference ("B12": "B"), into col (size 4). */
static void ref_col(const char *ref, char col[4])
{
    size_t i = 0;
    while (i < 3 && ref[i] >= 'A' && ref[i] <= 'Z') {
        col[i] = ref[i];
        i++;
    }
    col[i] = '\0';
}

/* The sheet's XML up to its last row, with <dimension> widened to the
 * table's last row, into head (malloc'd); the rest (from </sheetData>) at
 * *tail. */
static int split_sheet(const char *x, const struct xlsx_splice *sp, char **head, size_t *hn,
                       const char **tail, hc_err *err)
{
    const char *end = strstr(x, "</sheetData>");
    const char *dim = strstr(x, "<dimension ref=\"");
    if (end == NULL || dim == NULL || dim > end)
        return bad(err, "a sheet without its rows");
    const char *ref = dim + strlen("<dimension ref=\"");
    const char *q = strchr(ref, '"');
    if (q == NULL || q > end)
        return bad(err, "a sheet without its dimension");
    const char *colon = memchr(ref, ':', (size_t)(q - ref));
    char have[4], col[4] = {(char)('A' + sp->t->ncols - 1), 0};
    ref_col(colon ? colon + 1 : ref, have);
    if (strlen(have) > 1 || (have[0] && have[0] > col[0]))
        memcpy(col, have, sizeof(col));
    char dimension[48];
    int dl = snprintf(dimension, sizeof(dimension), "A1:%s%u", col,
                      (unsigned)(sp->first_row + sp->t->nrows));
    size_t before = (size_t)(ref - x), after = (size_t)(end - q);
    *hn = before + (size_t)dl + after;
    *head = malloc(*hn);
    if (*head == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "xlsx: out of memory");
    memcpy(*head, x, before);
    memcpy(*head + before, dimension, (size_t)dl);
    memcpy(*head + before + dl, q, after);
    *tail = end;
    return HC_OK;
}

/* The spliced entry: its local header, then its deflated XML; the header's
 * crc and sizes patched once known. */
static int spliced_entry(hc_buf *out, struct zent *e, const struct xlsx_splice *sp,
                         hc_err *err)
{
    char *x = inflate_entry(e, err);
    if (x == NULL)
        return err->code;
    char *head = NULL;
    size_t hn = 0;
    const char *tail = NULL;
    int rc = split_sheet(x, sp, &head, &hn, &tail, err);
    size_t at = out->n;
    if (rc == HC_OK && local_header(out, e) != HC_OK)
        rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
    if (rc == HC_OK) {
        struct pool p;
        pool_start(&p);
        p.out = out;
        p.crc = crc32(0, NULL, 0);
        rc = sheet_xml(&p, sp, head, hn, tail, strlen(tail), err);
        drain_all(&p); /* also after an error: the workers own no slot when stopped */
        e->crc = (uint32_t)p.crc;
        e->usize = (uint32_t)p.usize;
        e->csize = (uint32_t)p.csize;
        pool_stop(&p);
    }
    if (rc == HC_OK) {
        put16((unsigned char *)out->p + at + 8, 8); /* deflated */
        put32((unsigned char *)out->p + at + 14, e->crc);
        put32((unsigned char *)out->p + at + 18, e->csize);
        put32((unsigned char *)out->p + at + 22, e->usize);
    }
    free(head);
    free(x);
    return rc;
}

static const struct xlsx_splice *splice_of(const struct zent *e, const struct xlsx_splice *sp,
                                           size_t nsp)
{
    for (size_t i = 0; i < nsp; i++)
        if (strlen(sp[i].entry) == e->nlen && memcmp(sp[i].entry, e->name, e->nlen) == 0)
            return &sp[i];
    return NULL;
}

int xlsx_splice_rows(const unsigned char *zip, size_t n, const struct xlsx_splice *sp,
                     size_t nsp, hc_buf *out, hc_err *err)
{
    if (n < 22)
        return bad(err, "too short");
    const unsigned char *eocd = zip + n - 22;
    while (eocd > zip && le32(eocd) != 0x06054b50)
        eocd--;
    if (le32(eocd) != 0x06054b50)
        return bad(err, "no end of central directory");
    size_t count = le16(eocd + 10), cdoff = le32(eocd + 16), cdsize = le32(eocd + 12);
    if (cdoff + cdsize > n)
        return bad(err, "central directory out of bounds");
    const unsigned char *cd = zip + cdoff, *cdend = cd + cdsize;
    hc_buf central;
    hc_buf_init(&central, (size_t)1 << 24);
    int rc = HC_OK;
    size_t spliced = 0;
    for (size_t i = 0; rc == HC_OK && i < count; i++) {
        struct zent e;
        if ((rc = read_entry(zip, n, &cd, cdend, &e, err)) != HC_OK)
            break;
        size_t offset = out->n;
        const struct xlsx_splice *s = splice_of(&e, sp, nsp);
        if (s && ++spliced)
            rc = spliced_entry(out, &e, s, err);
        else if (local_header(out, &e) != HC_OK || hc_buf_add(out, e.data, e.csize) != HC_OK)
            rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
        if (rc == HC_OK && (offset > ZIP_MAX || central_record(&central, &e, (uint32_t)offset)))
            rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over 4 GiB");
    }
    if (rc == HC_OK && spliced != nsp) /* never a workbook without its rows */
        rc = bad(err, "a sheet to hold a table's rows is missing");
    unsigned char end[22] = {0};
    put32(end, 0x06054b50);
    put16(end + 8, (uint32_t)count);
    put16(end + 10, (uint32_t)count);
    put32(end + 12, (uint32_t)central.n);
    put32(end + 16, (uint32_t)out->n);
    if (rc == HC_OK && (out->n > ZIP_MAX || hc_buf_add(out, central.p, central.n) ||
                        hc_buf_add(out, end, sizeof(end))))
        rc = hc_err_set(err, HC_ETOOBIG, "", "the XLSX is over its size limit");
    hc_buf_free(&central);
    return rc;
}

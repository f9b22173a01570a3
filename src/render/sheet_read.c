/* sheet_read.c: the first worksheet of an XLSX file as rows of cell strings
 * (see render.h). The file is a zip (libzip) of XML parts (libxml2's
 * streaming reader); the parts read are those of ECMA-376 Part 1:
 * xl/workbook.xml (§18.2.27: the first <sheet>, date1904), its relationships
 * xl/_rels/workbook.xml.rels (Part 2 §9: which part is that sheet, the shared
 * strings and the styles), xl/sharedStrings.xml (§18.4.9), xl/styles.xml
 * (§18.8.30 cellXfs, §18.8.31 numFmts: which cells show dates) and the sheet
 * (§18.3.1.73 sheetData, rows and cells).
 *
 * Hostile input: every part is read with a bound on its uncompressed size
 * (the zip's own sizes are not trusted), XML with a DTD is refused (no
 * entity can expand), the network is never used, rows, columns, cells and
 * text are bounded. */
#include "render.h"

#include <assert.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define RELS_MAX 64
#define XF_MAX 65536


struct rel {
    char id[64], type[16], target[256]; /* type: "worksheet", "sharedStrings", "styles" */
};

struct book {
    zip_t *z;
    hc_arena *a;
    hc_err *err;
    bool date1904;
    bool part_over, part_bad; /* why the part being read stopped */
    char first_rid[64];
    struct rel rels[RELS_MAX];
    size_t nrels;
    const char **sst; /* shared strings */
    size_t nsst;
    bool *xf_date; /* cellXfs index -> a date format */
    size_t nxf;
};

static int bad(hc_err *err, const char *msg)
{
    return hc_err_set(err, HC_EINVAL, "file", "not a readable XLSX sheet: %s", msg);
}

/* ---- the zip ------------------------------------------------------------------------------ */

/* A part being parsed: libxml2 pulls its bytes through zip_fread, at most
 * HC_SHEET_PART_MAX of them whatever the zip's header says. */
struct stream {
    zip_file_t *f;
    size_t total;
    struct book *b;
};

static int stream_read(void *ctx, char *buf, int len)
{
    struct stream *st = ctx;
    zip_int64_t got = zip_fread(st->f, buf, (zip_uint64_t)len);
    if (got < 0) {
        st->b->part_bad = true;
        return -1;
    }
    st->total += (size_t)got;
    if (st->total > HC_SHEET_PART_MAX) {
        st->b->part_over = true;
        return -1;
    }
    return (int)got;
}

static int stream_close(void *ctx)
{
    struct stream *st = ctx;
    zip_fclose(st->f);
    free(st);
    return 0;
}

/* A reader over the part named name (case-insensitively, as OPC part names
 * compare); HC_ENOTFOUND when absent. Freed by xmlFreeTextReader. */
static int open_part(struct book *b, const char *name, xmlTextReaderPtr *out)
{
    *out = NULL;
    zip_int64_t idx = zip_name_locate(b->z, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return HC_ENOTFOUND;
    struct stream *st = calloc(1, sizeof(*st));
    if (st == NULL)
        abort();
    st->b = b;
    if ((st->f = zip_fopen_index(b->z, (zip_uint64_t)idx, 0)) == NULL) {
        free(st);
        return bad(b->err, "a part cannot be opened (encrypted or unknown compression)");
    }
    b->part_over = b->part_bad = false;
    /* on failure xmlReaderForIO has called stream_close already */
    *out = xmlReaderForIO(stream_read, stream_close, st, NULL, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (*out == NULL)
        return bad(b->err, "a part cannot be read");
    return HC_OK;
}

/* ---- XML ---------------------------------------------------------------------------------- */

/* The next node: 1, 0 at the end, or an error (a DTD too) set on b. */
static int xml_next(struct book *b, xmlTextReaderPtr r)
{
    int got = xmlTextReaderRead(r);
    if (got < 0) {
        if (b->part_over)
            hc_err_set(b->err, HC_ETOOBIG, "file", "a part of the XLSX is over %u bytes",
                       (unsigned)HC_SHEET_PART_MAX);
        else
            bad(b->err, b->part_bad ? "a part is damaged (bad data or checksum)"
                                    : "malformed XML");
        return -1;
    }
    if (got == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        bad(b->err, "XML with a document type declaration");
        return -1;
    }
    return got;
}

static bool is_elem(xmlTextReaderPtr r, const char *local)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static bool is_end(xmlTextReaderPtr r, const char *local)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static bool is_text(xmlTextReaderPtr r)
{
    int t = xmlTextReaderNodeType(r);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* An attribute by local name (any namespace prefix), copied into out. */
static bool attr(xmlTextReaderPtr r, const char *local, char *out, size_t size)
{
    bool found = false;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return false;
    do {
        if (strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            found = v && strlen(v) < size;
            if (found)
                memcpy(out, v, strlen(v) + 1);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return found;
}

/* ---- workbook and its relationships -------------------------------------------------------- */

static int read_workbook(struct book *b)
{
    xmlTextReaderPtr r;
    int rc = open_part(b, "xl/workbook.xml", &r);
    if (rc == HC_ENOTFOUND)
        return bad(b->err, "no xl/workbook.xml (is it an XLSX file?)");
    if (rc != HC_OK)
        return rc;
    int got = 1;
    while ((got = xml_next(b, r)) == 1) {
        char v[64];
        if (is_elem(r, "workbookPr") && attr(r, "date1904", v, sizeof(v)))
            b->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
        if (is_elem(r, "sheet") && b->first_rid[0] == '\0')
            attr(r, "id", b->first_rid, sizeof(b->first_rid));
    }
    xmlFreeTextReader(r);
    if (got < 0)
        return b->err->code ? b->err->code : bad(b->err, "malformed xl/workbook.xml");
    if (b->first_rid[0] == '\0')
        return bad(b->err, "the workbook has no sheet");
    return HC_OK;
}

/* The relationship type's last word ("…/relationships/worksheet" -> "worksheet"). */
static const char *type_word(const char *type)
{
    const char *slash = strrchr(type, '/');
    return slash ? slash + 1 : type;
}

static int read_rels(struct book *b)
{
    xmlTextReaderPtr r;
    int rc = open_part(b, "xl/_rels/workbook.xml.rels", &r);
    if (rc == HC_ENOTFOUND)
        return HC_OK; /* the parts at their usual names, then */
    if (rc != HC_OK)
        return rc;
    int got = 1;
    while ((got = xml_next(b, r)) == 1) {
        if (!is_elem(r, "Relationship") || b->nrels == RELS_MAX)
            continue;
        struct rel *x = &b->rels[b->nrels];
        char type[256];
        if (attr(r, "Id", x->id, sizeof(x->id)) && attr(r, "Type", type, sizeof(type)) &&
            attr(r, "Target", x->target, sizeof(x->target)) &&
            strlen(type_word(type)) < sizeof(x->type)) {
            strcpy(x->type, type_word(type));
            b->nrels++;
        }
    }
    xmlFreeTextReader(r);
    if (got < 0)
        return b->err->code ? b->err->code : bad(b->err, "malformed workbook relationships");
    return HC_OK;
}

/* The zip name of a relationship's target (relative to xl/, or absolute). */
static void part_name(const char *target, char *out, size_t size)
{
    if (target[0] == '/')
        snprintf(out, size, "%s", target + 1);
    else
        snprintf(out, size, "xl/%s", target);
}

/* The part of the first relationship of type (or with id), else fallback. */
static void rel_part(const struct book *b, const char *type, const char *id, const char *fallback,
                     char *out, size_t size)
{
    for (size_t i = 0; i < b->nrels; i++)
        if ((id && strcmp(b->rels[i].id, id) == 0) ||
            (!id && strcmp(b->rels[i].type, type) == 0)) {
            part_name(b->rels[i].target, out, size);
            return;
        }
    snprintf(out, size, "%s", fallback);
}

/* ---- shared strings ------------------------------------------------------------------------ */

/* Text of <si> or <is>: every <t> but those of phonetic runs (<rPh>). Leaves
 * r on the end of `outer`. */
static int rich_text(struct book *b, xmlTextReaderPtr r, const char *outer, hc_buf *text)
{
    if (xmlTextReaderIsEmptyElement(r))
        return HC_OK;
    bool in_t = false, in_rph = false;
    int got;
    while ((got = xml_next(b, r)) == 1) {
        if (is_end(r, outer))
            return HC_OK;
        if (is_elem(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
            in_rph = true;
        else if (is_end(r, "rPh"))
            in_rph = false;
        else if (is_elem(r, "t") && !xmlTextReaderIsEmptyElement(r))
            in_t = true;
        else if (is_end(r, "t"))
            in_t = false;
        else if (in_t && !in_rph && is_text(r)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && hc_buf_add(text, v, strlen(v)) != HC_OK)
                return hc_err_set(b->err, HC_ETOOBIG, "file", "a cell's text is over %u bytes",
                                  (unsigned)HC_SHEET_TEXT_MAX);
        }
    }
    return b->err->code ? b->err->code : bad(b->err, "a string ends early");
}

static int read_shared(struct book *b)
{
    char name[300];
    rel_part(b, "sharedStrings", NULL, "xl/sharedStrings.xml", name, sizeof(name));
    xmlTextReaderPtr r;
    int rc = open_part(b, name, &r);
    if (rc == HC_ENOTFOUND)
        return HC_OK;
    if (rc != HC_OK)
        return rc;
    size_t cap = 0;
    const char **sst = NULL;
    hc_buf text;
    hc_buf_init(&text, HC_SHEET_TEXT_MAX);
    int got = r ? 1 : -1;
    while (rc == HC_OK && (got = xml_next(b, r)) == 1) {
        if (!is_elem(r, "si"))
            continue;
        text.n = 0;
        if ((rc = rich_text(b, r, "si", &text)) != HC_OK)
            break;
        if (b->nsst == cap) {
            cap = cap ? cap * 2 : 256;
            if ((sst = realloc(sst, cap * sizeof(*sst))) == NULL)
                abort();
        }
        sst[b->nsst++] = hc_arena_strndup(b->a, text.p ? text.p : "", text.n);
    }
    b->sst = hc_arena_alloc(b->a, (b->nsst + 1) * sizeof(*b->sst));
    if (b->nsst)
        memcpy(b->sst, sst, b->nsst * sizeof(*sst));
    free(sst);
    hc_buf_free(&text);
    xmlFreeTextReader(r);
    if (rc == HC_OK && got < 0)
        rc = b->err->code ? b->err->code : bad(b->err, "malformed shared strings");
    return rc;
}

/* ---- styles: which cell formats show dates ------------------------------------------------- */

/* Built-in number formats that are dates (ECMA-376 §18.8.30, and the
 * East Asian ones 27-36, 50-58). */
static bool builtin_date(long id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
           (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* A custom format code shows a date when it names years or days outside
 * quotes, brackets and escapes ("[h]:mm" is a duration, "0.00\d" no date). */
static bool code_is_date(const char *code)
{
    for (const char *c = code; *c; c++) {
        if (*c == '"') {
            const char *e = strchr(c + 1, '"');
            if (e == NULL)
                return false;
            c = e;
        } else if (*c == '[') {
            const char *e = strchr(c + 1, ']');
            if (e == NULL)
                return false;
            c = e;
        } else if (*c == '\\' && c[1]) {
            c++;
        } else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') {
            return true;
        }
    }
    return false;
}

struct numfmt {
    long id;
    bool date;
};

static int read_styles(struct book *b)
{
    char name[300];
    rel_part(b, "styles", NULL, "xl/styles.xml", name, sizeof(name));
    xmlTextReaderPtr r;
    int rc = open_part(b, name, &r);
    if (rc == HC_ENOTFOUND)
        return HC_OK;
    if (rc != HC_OK)
        return rc;
    enum { FMTS_MAX = 1024 };
    struct numfmt *fmts = calloc(FMTS_MAX, sizeof(*fmts));
    b->xf_date = hc_arena_alloc(b->a, XF_MAX * sizeof(*b->xf_date));
    size_t nfmts = 0;
    bool in_xfs = false;
    if (fmts == NULL)
        abort();
    int got = 1;
    while ((got = xml_next(b, r)) == 1) {
        char v[256];
        if (is_elem(r, "numFmt") && nfmts < FMTS_MAX && attr(r, "numFmtId", v, sizeof(v))) {
            fmts[nfmts].id = strtol(v, NULL, 10);
            fmts[nfmts++].date = attr(r, "formatCode", v, sizeof(v)) && code_is_date(v);
        } else if (is_elem(r, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(r);
        } else if (is_end(r, "cellXfs")) {
            in_xfs = false;
        } else if (in_xfs && is_elem(r, "xf") && b->nxf < XF_MAX) {
            long id = attr(r, "numFmtId", v, sizeof(v)) ? strtol(v, NULL, 10) : 0;
            bool date = builtin_date(id);
            for (size_t i = 0; i < nfmts; i++)
                if (fmts[i].id == id)
                    date = fmts[i].date;
            b->xf_date[b->nxf++] = date;
        }
    }
    xmlFreeTextReader(r);
    free(fmts);
    if (got < 0)
        return b->err->code ? b->err->code : bad(b->err, "malformed styles");
    return HC_OK;
}

/* ---- cell values ---------------------------------------------------------------------------- */

/* A number as Excel writes it ("-1.5E-3", "0.45000000000000001") as plain
 * decimal text of at most 15 significant digits (half away from zero, as
 * Excel shows it), trailing zeros dropped; false when s is not a number or
 * too large or small to write out plainly. */
bool hc_sheet_number(const char *s, char *out, size_t size)
{
    enum { SIG = 15, PLACES = 40 };
    char dig[64];
    size_t nd = 0;
    int point = 0; /* value = 0.dig × 10^point */
    bool neg = false, any = false, seen_point = false;
    const char *c = s;
    if (*c == '-' || *c == '+')
        neg = *c++ == '-';
    for (; (*c >= '0' && *c <= '9') || (*c == '.' && !seen_point); c++) {
        if (*c == '.') {
            seen_point = true;
            continue;
        }
        any = true;
        if (nd == 0 && *c == '0') { /* leading zeros */
            if (seen_point)
                point--;
            continue;
        }
        if (nd < sizeof(dig))
            dig[nd++] = *c;
        else if (seen_point)
            continue;
        if (!seen_point)
            point++;
    }
    if (!any)
        return false;
    if (*c == 'e' || *c == 'E') {
        c++;
        int64_t e;
        char ebuf[8];
        size_t k = 0;
        if (*c == '+' || *c == '-')
            ebuf[k++] = *c++;
        while (*c >= '0' && *c <= '9' && k < sizeof(ebuf) - 1)
            ebuf[k++] = *c++;
        ebuf[k] = '\0';
        if (hc_parse_i64(ebuf, -400, 400, &e) != HC_OK)
            return false;
        point += (int)e;
    }
    if (*c != '\0')
        return false;
    if (nd > SIG) { /* round to SIG digits, half away from zero */
        bool up = dig[SIG] >= '5';
        nd = SIG;
        for (size_t i = SIG; up && i-- > 0;) {
            if (dig[i] == '9') {
                dig[i] = '0';
            } else {
                dig[i]++;
                up = false;
            }
        }
        if (up) { /* 999… became 000…: 1 more place */
            memmove(dig + 1, dig, nd - 1);
            dig[0] = '1';
            point++;
        }
    }
    while (nd > 0 && dig[nd - 1] == '0')
        nd--;
    if (nd == 0) {
        snprintf(out, size, "0");
        return size > 1;
    }
    if (point > PLACES || point < -PLACES)
        return false;
    char buf[128];
    size_t k = 0;
    if (neg)
        buf[k++] = '-';
    if (point <= 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (int i = 0; i < -point; i++)
            buf[k++] = '0';
        memcpy(buf + k, dig, nd);
        k += nd;
    } else {
        for (int i = 0; i < point; i++)
            buf[k++] = (size_t)i < nd ? dig[i] : '0';
        if ((size_t)point < nd) {
            buf[k++] = '.';
            memcpy(buf + k, dig + point, nd - (size_t)point);
            k += nd - (size_t)point;
        }
    }
    buf[k] = '\0';
    if (k + 1 > size)
        return false;
    memcpy(out, buf, k + 1);
    return true;
}

/* Days since 1970-01-01 -> civil date (H. Hinnant's civil_from_days). */
static void civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A date serial (days; the fraction, a time of day, is dropped) as
 * "YYYY-MM-DD"; false outside 1900-01-01..9999-12-31 and for 1900-02-29,
 * the day the 1900 system counts that never was. */
static bool serial_date(const char *num, bool date1904, char out[11])
{
    int64_t days;
    char ip[24];
    size_t n = strcspn(num, ".");
    if (num[0] == '-' || n == 0 || n >= sizeof(ip))
        return false;
    memcpy(ip, num, n);
    ip[n] = '\0';
    if (hc_parse_i64(ip, 0, 2958465, &days) != HC_OK)
        return false;
    int64_t epoch; /* days from 1970-01-01 to serial 0 */
    if (date1904)
        epoch = -24107; /* 1904-01-01 */
    else if (days == 60 || days == 0)
        return false;
    else
        epoch = days > 60 ? -25569 /* 1899-12-30 */ : -25568 /* 1899-12-31 */;
    int y, m, d;
    civil(epoch + days, &y, &m, &d);
    char buf[40];
    if (y > 9999 || y < 1)
        return false;
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, 11);
    return true;
}

/* Column of a cell reference ("AB12" -> 27), -1 when it is not one. */
static long ref_col(const char *ref)
{
    long col = 0;
    int letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        if (++letters > 3)
            return -1;
        col = col * 26 + (*ref - 'A' + 1);
    }
    if (letters == 0 || *ref < '1' || *ref > '9')
        return -1;
    return col - 1;
}

struct cell {
    char type[16]; /* the t attribute: s, str, inlineStr, b, e, n or "" */
    long style;    /* the s attribute, -1 without */
    hc_buf v;      /* <v> text, or <is> text */
};

/* The string of a finished cell, in the arena. */
static int cell_value(struct book *b, struct cell *c, const char **out)
{
    const char *v = c->v.p ? c->v.p : "";
    size_t n = c->v.n;
    char tmp[64];
    if (strcmp(c->type, "s") == 0) {
        int64_t i;
        if (hc_parse_i64(hc_arena_strndup(b->a, v, n), 0, INT64_MAX, &i) != HC_OK ||
            (size_t)i >= b->nsst)
            return bad(b->err, "a cell names a shared string that is not there");
        *out = b->sst[i];
        return HC_OK;
    }
    if (strcmp(c->type, "b") == 0) {
        *out = n == 1 && v[0] == '1' ? "TRUE" : "FALSE";
        return HC_OK;
    }
    const char *text = hc_arena_strndup(b->a, v, n);
    bool number = c->type[0] == '\0' || strcmp(c->type, "n") == 0;
    if (number && n > 0 && hc_sheet_number(text, tmp, sizeof(tmp))) {
        char day[11];
        bool date = c->style >= 0 && (size_t)c->style < b->nxf && b->xf_date[c->style];
        *out = hc_arena_strdup(b->a, date && serial_date(tmp, b->date1904, day) ? day : tmp);
        return HC_OK;
    }
    *out = text; /* str, inlineStr, e, or a number Excel would not write */
    return HC_OK;
}

/* ---- the sheet ------------------------------------------------------------------------------ */

struct grid {
    size_t nrows, cap, cells;
    size_t *ncells;
    const char ***cells_of;
    const char *row[HC_SHEET_COLS_MAX];
    size_t rowlen; /* columns used in the row being read */
    long rowno;    /* 0-based, the row being read */
};

static int grid_end_row(struct book *b, struct grid *g)
{
    if (g->rowno < 0)
        return HC_OK;
    if ((size_t)g->rowno >= HC_SHEET_ROWS_MAX)
        return hc_err_set(b->err, HC_ETOOBIG, "file", "the sheet has more than %d rows",
                          HC_SHEET_ROWS_MAX);
    size_t need = (size_t)g->rowno + 1;
    if (need > g->cap) {
        size_t cap = g->cap ? g->cap : 64;
        while (cap < need)
            cap *= 2;
        size_t *nc = realloc(g->ncells, cap * sizeof(*nc));
        if (nc == NULL)
            abort();
        g->ncells = nc;
        const char ***cs = realloc(g->cells_of, cap * sizeof(*cs));
        if (cs == NULL)
            abort();
        g->cells_of = cs;
        g->cap = cap;
    }
    for (size_t i = g->nrows; i < need; i++) { /* rows skipped: empty */
        g->ncells[i] = 0;
        g->cells_of[i] = NULL;
    }
    g->cells += g->rowlen;
    if (g->cells > HC_SHEET_CELLS_MAX)
        return hc_err_set(b->err, HC_ETOOBIG, "file", "the sheet has more than %d cells",
                          HC_SHEET_CELLS_MAX);
    const char **row = hc_arena_alloc(b->a, (g->rowlen + 1) * sizeof(*row));
    for (size_t i = 0; i < g->rowlen; i++)
        row[i] = g->row[i] ? g->row[i] : "";
    g->ncells[g->rowno] = g->rowlen;
    g->cells_of[g->rowno] = row;
    g->nrows = need;
    g->rowlen = 0;
    memset(g->row, 0, sizeof(g->row));
    g->rowno = -1;
    return HC_OK;
}

static int grid_begin_row(struct book *b, struct grid *g, xmlTextReaderPtr r)
{
    char v[32];
    int rc = grid_end_row(b, g); /* a row not closed before this one */
    if (rc != HC_OK)
        return rc;
    int64_t n;
    long next = (long)g->nrows; /* without r: the row after the last */
    if (attr(r, "r", v, sizeof(v))) {
        if (hc_parse_i64(v, 1, HC_SHEET_ROWS_MAX, &n) != HC_OK)
            return hc_err_set(b->err, HC_ETOOBIG, "file",
                              "a row number is not one of 1..%d", HC_SHEET_ROWS_MAX);
        next = (long)n - 1;
    }
    if (next < (long)g->nrows)
        return bad(b->err, "rows out of order");
    g->rowno = next;
    g->rowlen = 0;
    return HC_OK;
}

/* Reads one <c> (r on its start) into the row being read. */
static int read_cell(struct book *b, struct grid *g, xmlTextReaderPtr r, struct cell *c)
{
    char v[32];
    long col = (long)g->rowlen; /* without r: the column after the last */
    if (attr(r, "r", v, sizeof(v)) && (col = ref_col(v)) < 0)
        return bad(b->err, "a cell reference is not a column and row");
    if (col >= HC_SHEET_COLS_MAX)
        return hc_err_set(b->err, HC_ETOOBIG, "file", "the sheet has more than %d columns",
                          HC_SHEET_COLS_MAX);
    if ((size_t)col < g->rowlen)
        return bad(b->err, "cells out of order");
    if (!attr(r, "t", c->type, sizeof(c->type)))
        c->type[0] = '\0';
    c->style = attr(r, "s", v, sizeof(v)) ? strtol(v, NULL, 10) : -1;
    c->v.n = 0;
    if (!xmlTextReaderIsEmptyElement(r)) {
        bool in_v = false;
        int got, rc;
        while ((got = xml_next(b, r)) == 1 && !is_end(r, "c")) {
            if (is_elem(r, "is")) {
                if ((rc = rich_text(b, r, "is", &c->v)) != HC_OK)
                    return rc;
            } else if (is_elem(r, "v") && !xmlTextReaderIsEmptyElement(r)) {
                in_v = true;
            } else if (is_end(r, "v")) {
                in_v = false;
            } else if (in_v && is_text(r)) {
                const char *t = (const char *)xmlTextReaderConstValue(r);
                if (t && hc_buf_add(&c->v, t, strlen(t)) != HC_OK)
                    return hc_err_set(b->err, HC_ETOOBIG, "file",
                                      "a cell's text is over %u bytes",
                                      (unsigned)HC_SHEET_TEXT_MAX);
            }
        }
        if (got != 1)
            return b->err->code ? b->err->code : bad(b->err, "a cell ends early");
    }
    const char *value = "";
    int rc = cell_value(b, c, &value);
    if (rc != HC_OK)
        return rc;
    g->row[col] = value;
    g->rowlen = (size_t)col + 1;
    return HC_OK;
}

static int read_sheet(struct book *b, struct hc_sheet *out)
{
    char name[300];
    rel_part(b, NULL, b->first_rid, "xl/worksheets/sheet1.xml", name, sizeof(name));
    xmlTextReaderPtr r;
    int rc = open_part(b, name, &r);
    if (rc == HC_ENOTFOUND)
        return bad(b->err, "the first sheet's part is missing");
    if (rc != HC_OK)
        return rc;
    struct grid *g = calloc(1, sizeof(*g));
    if (g == NULL)
        abort();
    struct cell c = {.style = -1};
    hc_buf_init(&c.v, HC_SHEET_TEXT_MAX);
    int got = 1;
    bool in_data = false;
    g->rowno = -1;
    while (rc == HC_OK && (got = xml_next(b, r)) == 1) {
        if (is_elem(r, "sheetData"))
            in_data = !xmlTextReaderIsEmptyElement(r);
        else if (is_end(r, "sheetData"))
            in_data = false;
        else if (in_data && is_elem(r, "row")) {
            rc = grid_begin_row(b, g, r);
            if (rc == HC_OK && xmlTextReaderIsEmptyElement(r))
                rc = grid_end_row(b, g);
        } else if (in_data && is_end(r, "row"))
            rc = grid_end_row(b, g);
        else if (in_data && g->rowno >= 0 && is_elem(r, "c"))
            rc = read_cell(b, g, r, &c);
    }
    if (rc == HC_OK && got < 0)
        rc = b->err->code ? b->err->code : bad(b->err, "malformed sheet XML");
    if (rc == HC_OK) {
        out->nrows = g->nrows;
        out->ncells = hc_arena_alloc(b->a, (g->nrows + 1) * sizeof(*out->ncells));
        out->cells = hc_arena_alloc(b->a, (g->nrows + 1) * sizeof(*out->cells));
        for (size_t i = 0; i < g->nrows; i++) {
            out->ncells[i] = g->ncells[i];
            out->cells[i] = g->cells_of[i] ? g->cells_of[i]
                                           : hc_arena_alloc(b->a, sizeof(*out->cells[i]));
        }
    }
    xmlFreeTextReader(r);
    hc_buf_free(&c.v);
    free(g->ncells);
    free(g->cells_of);
    free(g);
    return rc;
}

int hc_sheet_read_xlsx(hc_arena *a, const void *data, size_t len, struct hc_sheet *out,
                       hc_err *err)
{
    memset(out, 0, sizeof(*out));
    if (len == 0 || len > HC_SHEET_FILE_MAX)
        return hc_err_set(err, HC_EINVAL, "file", "an XLSX file of 1 to %u bytes",
                          (unsigned)HC_SHEET_FILE_MAX);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    zip_error_fini(&ze);
    if (z == NULL) {
        if (src)
            zip_source_free(src);
        return bad(err, "not a zip archive (an XLSX file is one)");
    }
    struct book *b = calloc(1, sizeof(*b));
    if (b == NULL)
        abort();
    b->z = z;
    b->a = a;
    b->err = err;
    int rc = read_workbook(b);
    if (rc == HC_OK)
        rc = read_rels(b);
    if (rc == HC_OK)
        rc = read_shared(b);
    if (rc == HC_OK)
        rc = read_styles(b);
    if (rc == HC_OK)
        rc = read_sheet(b, out);
    zip_discard(z); /* frees the source too */
    free(b);
    if (rc != HC_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* base: errors, arenas, strings, money, time and ids shared by every module.
 *
 * Nothing here knows about storage, HTTP or JSON. Every other module may
 * include this header; it includes only libc. */
#ifndef HC_BASE_H
#define HC_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ------------------------------------------------------------
 * One result type for the project: functions return HC_OK (0) or one of the
 * codes below and leave the detail in an hc_err the caller owns. The code is
 * the HTTP status the API answers with (hc_err_status maps the one that is not). */
enum hc_code {
    HC_OK = 0,
    HC_EINVAL = 400,    /* bad input; err->field names the field */
    HC_EAUTH = 401,     /* missing or bad credentials */
    HC_EFORBIDDEN = 403,/* authenticated, but the role may not do this */
    HC_ENOTFOUND = 404, /* absent, or another tenant's */
    HC_ECONFLICT = 409, /* state does not allow the operation */
    HC_ETOOBIG = 413,   /* over a size limit */
    HC_EUNPROC = 422,   /* well-formed but refused (idempotency key reuse, ...) */
    HC_EINTERNAL = 500, /* a bug or a store failure */
    HC_EBUSY = 503,     /* try again */
    /* The database cannot be reached, or a commit's outcome is unknown (the
     * connection was lost during COMMIT). Not an HTTP status itself: it is
     * answered 503 with Retry-After, and its message never quotes the driver. */
    HC_EUNAVAILABLE = 1503,
};

/* The HTTP status a code is answered with: the code itself, except
 * HC_EUNAVAILABLE (503) and anything unknown (500). */
int hc_err_status(int code);

#define HC_ERR_FIELD_MAX 128
#define HC_ERR_MSG_MAX 512

typedef struct hc_err {
    int code;
    char field[HC_ERR_FIELD_MAX]; /* "lines[0].qty", or "" when no single field */
    char msg[HC_ERR_MSG_MAX];
} hc_err;

/* Records the first error only (a later call does not overwrite it) and
 * returns code, so `return hc_err_set(err, HC_EINVAL, "qty", "must be > 0");`
 * works. err may be NULL. */
int hc_err_set(hc_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void hc_err_clear(hc_err *err);

/* ---- arena -------------------------------------------------------------
 * A bump allocator for everything one request or one job allocates; freed in
 * one go. Allocation failure aborts (out of memory is not a user error). */
typedef struct hc_arena hc_arena;

hc_arena *hc_arena_new(size_t first_block);
void hc_arena_free(hc_arena *a);
void *hc_arena_alloc(hc_arena *a, size_t n); /* zeroed, 16-byte aligned */
char *hc_arena_strdup(hc_arena *a, const char *s);
char *hc_arena_strndup(hc_arena *a, const char *s, size_t n);
char *hc_arena_printf(hc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An arena array of n items of `size` bytes with room for one more: items
 * itself while n < *cap, else a copy with twice the room (*cap updated; 0
 * starts at 8; the old array stays in the arena). */
void *hc_arena_grow(hc_arena *a, void *items, size_t n, size_t *cap, size_t size);

/* ---- growable buffer (bounded) -----------------------------------------
 * Refuses to grow past max (returns HC_ETOOBIG) like curl's dynbuf. */
typedef struct hc_buf {
    char *p;
    size_t n, cap, max;
} hc_buf;

void hc_buf_init(hc_buf *b, size_t max);
void hc_buf_free(hc_buf *b);
int hc_buf_add(hc_buf *b, const void *data, size_t n);
int hc_buf_puts(hc_buf *b, const char *s);
int hc_buf_printf(hc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- strings and numbers ----------------------------------------------- */
/* strtonum-like: parses all of s as a base-10 integer within [min, max]. */
int hc_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
size_t hc_strlcpy(char *dst, const char *src, size_t size);
/* Splits one CSV record (a line without its newline) in place into at most
 * max fields: a field in double quotes may hold commas and "" for a quote;
 * blanks around a field and a trailing CR are dropped. Returns how many
 * fields there are, max + 1 when the line has more than max. */
size_t hc_csv_split(char *line, char **f, size_t max);
/* UTF-8 code points in s (customs lengths count characters, not bytes). */
size_t hc_utf8_len(const char *s);
bool hc_utf8_valid(const char *s, size_t n);
bool hc_all_digits(const char *s, size_t n);

/* ---- money and decimals -------------------------------------------------
 * Amounts are integers in minor units. A decimal string "12.34" is parsed with
 * exactly `scale` fraction digits allowed (fewer are padded); more is an error,
 * never a rounding. */
int hc_decimal_parse(const char *s, int scale, int64_t *out);
/* Writes amount / 10^scale as a decimal string with exactly `scale` digits. */
void hc_decimal_format(int64_t amount, int scale, char *buf, size_t size);
/* Minor-unit exponent of an ISO 4217 code (JPY 0, KWD 3, most 2); -1 for a
 * code not in the table hc_currency_load read (data/currencies.csv:
 * "code,minor_units" lines). Before a table is loaded, any 3 upper-case
 * letters pass. */
int hc_currency_scale(const char *code);
int hc_currency_load(const char *path, hc_err *err);

/* ---- time ---------------------------------------------------------------- */
int64_t hc_now_ms(void);         /* wall clock, ms since the epoch, UTC */
/* Shifts what hc_now_ms answers, for simulations that replay the past
 * (haicang demo); never set by the server. */
void hc_clock_set_offset(int64_t ms);
int64_t hc_mono_ns(void);        /* monotonic clock for durations */
/* "2026-11-27T22:21:24.123Z" into buf (>= 32 bytes). */
void hc_time_iso(int64_t ms, char *buf, size_t size);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.fff]Z"; HC_EINVAL otherwise. */
int hc_time_parse_iso(const char *s, int64_t *ms);
#define HC_DAY_MS 86400000LL /* a UTC day; days are counted as ms / HC_DAY_MS */
/* Beijing time (China Standard Time, UTC+8, no daylight saving) is the clock
 * of the customs messages and of a customs month. */
#define HC_BEIJING_OFFSET_MS (8 * 3600 * 1000LL)
struct tm;
/* ms since the epoch as Beijing civil time. */
void hc_time_beijing(int64_t ms, struct tm *out);
/* Beijing civil time (normalised as timegm does) as ms since the epoch. */
int64_t hc_time_from_beijing(struct tm *tm);

/* ---- ids ----------------------------------------------------------------
 * Time-ordered 63-bit ids, unique across processes (random node bits), so
 * rows can be keyed before they reach the store. */
int64_t hc_id_next(void);
/* prefix + "_" + id, e.g. "ord_7410032417931264". buf >= 32 bytes. */
void hc_id_format(const char *prefix, int64_t id, char *buf, size_t size);

/* ---- random and hashing --------------------------------------------------- */
int hc_random_bytes(void *buf, size_t n);        /* from getrandom(2) */
void hc_hex(const void *data, size_t n, char *out); /* out >= 2n+1 */
uint64_t hc_hash64(const void *data, size_t n);  /* FNV-1a, not for secrets */

/* ---- logging --------------------------------------------------------------- */
enum hc_log_level { HC_LOG_DEBUG, HC_LOG_INFO, HC_LOG_WARN, HC_LOG_ERROR };
void hc_log_set_level(int level);
void hc_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- run-time files (datapath.c) -------------------------------------------
 * Where the reference data (data/) and the dashboard (web/) are, found from
 * the running binary, never from the working directory. NAME is "data",
 * "web" or a path below one of them ("data/customs-codes"). The first of:
 *   1. the environment: HAICANG_DATA replaces "data", HAICANG_WEB "web"
 *      (when set, the only candidate);
 *   2. installed: <binary's dir>/../share/haicang/NAME (meson install puts
 *      the binary in PREFIX/bin and data/, web/ in PREFIX/share/haicang);
 *   3. build tree: a binary inside a meson build directory that sits in the
 *      source tree (SRC/build/src/cli/haicang) finds SRC/NAME;
 *   4. the configured install location (HC_INSTALL_DATADIR), for a bindir
 *      that is not next to share/.
 * Writes the path into buf and returns HC_OK when it exists; otherwise
 * returns HC_ENOTFOUND with buf holding the path most worth naming in an
 * error (the override, else the installed location), or HC_ETOOBIG. */
int hc_data_path(const char *name, char *buf, size_t size);

#define HC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- assertions ---------------------------------------------------------------
 * HC_ASSERT(cond): an invariant the code relies on (not input checking: bad
 * input is an hc_err). Debug and sanitizer builds abort with file:line and
 * the expression; with NDEBUG (release) it compiles to nothing, but cond is
 * still type-checked (inside sizeof, never evaluated). */
void hc_assert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));
#ifdef NDEBUG
#define HC_ASSERT(cond) ((void)sizeof(!(cond)))
#else
#define HC_ASSERT(cond) ((cond) ? (void)0 : hc_assert_fail(#cond, __FILE__, __LINE__))
#endif

#endif

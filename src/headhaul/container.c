/* container.c: ISO 6346 container numbers and size-type codes, UN/LOCODEs.
 *
 * Check digit (ISO 6346:1995 Annex A): each of the first ten characters gets
 * a value — digits their own, letters 10..38 counting up from A = 10 and
 * skipping 11, 22 and 33 (the multiples of 11) — multiplied by 2^position
 * (0..9); the sum modulo 11, with 10 written as 0, is the eleventh character.
 * Example: CSQU305438 -> 3 (CSQU3054383). */
#include "headhaul.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int letter_value(char c)
{
    int v = 10;
    for (char l = 'A'; l < c; l++) {
        v++;
        if (v % 11 == 0)
            v++;
    }
    return v;
}

int hc_iso6346_check_digit(const char *ten)
{
    if (ten == NULL)
        return -1;
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        char c = ten[i];
        int v;
        if (i < 4) {
            if (c < 'A' || c > 'Z')
                return -1;
            if (i == 3 && c != 'U' && c != 'J' && c != 'Z')
                return -1; /* equipment category: U freight, J detachable, Z trailer */
            v = letter_value(c);
        } else {
            if (c < '0' || c > '9')
                return -1;
            v = c - '0';
        }
        sum += v << i;
    }
    return sum % 11 % 10;
}

bool hc_iso6346_valid(const char *number, int *check)
{
    int d = number && strlen(number) == HC_CONTAINER_NO_LEN ? hc_iso6346_check_digit(number) : -1;
    if (check)
        *check = d;
    return d >= 0 && number[10] == '0' + d;
}

/* ---- size-type codes from data/iso6346/size-types.csv ---------------------- */
struct size_type {
    char code[5];
    char *desc;
};
static struct size_type *types;
static size_t ntypes;
static pthread_once_t types_once = PTHREAD_ONCE_INIT;

static int by_type(const void *a, const void *b)
{
    return strcmp(((const struct size_type *)a)->code, ((const struct size_type *)b)->code);
}

static void load_types(void)
{
    char dir[1024], path[1100];
    if (hc_data_path("data", dir, sizeof(dir)) != HC_OK)
        return;
    snprintf(path, sizeof(path), "%s/iso6346/size-types.csv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        hc_log(HC_LOG_ERROR, "cannot read %s: no container size-type is accepted", path);
        return;
    }
    char line[512];
    size_t cap = 0;
    for (int lineno = 0; fgets(line, sizeof(line), f); lineno++) {
        char *comma = strchr(line, ',');
        if (lineno == 0 || comma == NULL || comma - line != 4)
            continue;
        if (ntypes == cap) {
            cap = cap ? cap * 2 : 64;
            struct size_type *nt = realloc(types, cap * sizeof(*nt));
            if (nt == NULL)
                break;
            types = nt;
        }
        struct size_type *t = &types[ntypes++];
        memcpy(t->code, line, 4);
        t->code[4] = '\0';
        char *desc = strrchr(line, ',') + 1;
        desc[strcspn(desc, "\r\n")] = '\0';
        t->desc = strdup(desc);
    }
    fclose(f);
    if (types)
        qsort(types, ntypes, sizeof(*types), by_type);
}

bool hc_iso6346_size_type(const char *code, const char **desc)
{
    pthread_once(&types_once, load_types);
    if (code == NULL || strlen(code) != 4 || ntypes == 0)
        return false;
    struct size_type key;
    memcpy(key.code, code, 5);
    const struct size_type *t = bsearch(&key, types, ntypes, sizeof(*types), by_type);
    if (t && desc)
        *desc = t->desc;
    return t != NULL;
}

/* ---- UN/LOCODE ----------------------------------------------------------- */
int hc_locode_check(const char *locode, const char *field, hc_err *err)
{
    if (locode == NULL)
        return hc_err_set(err, HC_EINVAL, field, "required");
    bool form = strlen(locode) == HC_LOCODE_LEN;
    for (size_t i = 0; form && i < HC_LOCODE_LEN; i++) {
        char c = locode[i];
        form = (c >= 'A' && c <= 'Z') || (i >= 2 && c >= '2' && c <= '9');
    }
    if (!form)
        return hc_err_set(err, HC_EINVAL, field,
                          "must be a UN/LOCODE: two letters of the country and three of A-Z, 2-9");
    char cc[3] = {locode[0], locode[1], '\0'};
    if (!hc_country_valid(cc))
        return hc_err_set(err, HC_EINVAL, field, "unknown UN/LOCODE %s: no country %s", locode,
                          cc);
    return HC_OK;
}

/* ---- modes and statuses ---------------------------------------------------- */
static const char *const mode_names[] = {NULL, "rail", "sea", "air", "truck", "multimodal"};
static const char *const status_names[] = {NULL, "booked", "departed", "arrived", "received"};

int hc_transport_mode_parse(const char *name)
{
    for (int i = 1; name && i < (int)HC_ARRAY_LEN(mode_names); i++)
        if (strcmp(name, mode_names[i]) == 0)
            return i;
    return 0;
}

const char *hc_transport_mode_name(int mode)
{
    return mode > 0 && mode < (int)HC_ARRAY_LEN(mode_names) ? mode_names[mode] : NULL;
}

const char *hc_shipment_status_name(int status)
{
    return status > 0 && status < (int)HC_ARRAY_LEN(status_names) ? status_names[status] : NULL;
}

int hc_shipment_status_parse(const char *name)
{
    for (int i = 1; name && i < (int)HC_ARRAY_LEN(status_names); i++)
        if (strcmp(name, status_names[i]) == 0)
            return i;
    return 0;
}

/* checkdigits.c: format and check-digit rules of the numbers that identify a
 * seller to the authorities of China, the EU, the UK and the US. Pure
 * functions: each takes the number as written (upper case, no spaces or
 * separators but those the format itself has) and returns NULL when it is
 * valid, else a static sentence saying what is wrong.
 *
 * Sources of the rules:
 * - USCC: GB 32100-2015 法人和其他组织统一社会信用代码编码规则, §4 and §5
 *   (charset of 31 characters without I, O, Z, S, V; weights 3^i mod 31;
 *   check character C18 = 31 - (sum mod 31), 31 read as 0).
 * - Customs registration code: 海关总署公告 2019 年第 18 号 (报关单填制规范),
 *   境内收发货人: the 18-character USCC, or the 10-character code the customs
 *   assigned (4-digit region, economic-zone digit, then 5 letters or digits).
 * - EU VAT: the formats published by the European Commission for VIES ("VIES
 *   VAT number validation", FAQ "what is the structure of a VAT number");
 *   the check digits of each member state as its tax administration defines
 *   them (named at each function).
 * - UK VAT: HMRC, VAT registration numbers: weights 8..2 on the first seven
 *   digits plus the last two, a multiple of 97 ("mod 97") or of 97 after
 *   adding 55 ("9755", numbers issued since November 2009/2010); GD and HA
 *   government and health-authority numbers.
 * - EORI: Regulation (EU) 952/2013 art. 9 and the Commission's EORI guidance:
 *   the ISO country code of the issuing state followed by up to 15 letters or
 *   digits; HMRC: a GB EORI is GB followed by 12 digits.
 * - IOSS: Commission Implementing Regulation (EU) 2020/194 and the
 *   Commission's Explanatory Notes on VAT e-commerce rules (2020), §4.2.1:
 *   IMxxxyyyyyyz, xxx the ISO 3166 numeric code of the member state of
 *   identification; an intermediary's number is INxxxyyyyyyz.
 * - US importer of record number (19 CFR 24.5, CBP Form 5106): the IRS
 *   employer identification number NN-NNNNNNN (prefixes as the IRS publishes
 *   them, "How EINs are assigned and valid EIN prefixes"), or the number CBP
 *   assigns, YYDDPP-NNNNN.
 * - EPR registration numbers, only where the register publishes a shape:
 *   Germany, packaging: the LUCID registration number of the Zentrale Stelle
 *   Verpackungsregister, "DE" and 13 digits (Model Group knowledge base
 *   "LUCID-Nummer", modelgroup.com: "in der Regel" DE and 13 digits; the
 *   ZSVR's own pages found state no shape). Germany, WEEE: the
 *   WEEE-Reg.-Nr. stiftung ear assigns, "DE" and 8 digits, written
 *   "WEEE-Reg.-Nr. DE 12345678" (stiftung ear FAQ on the registration
 *   number, as quoted by connect-professional.de; deutsche-recycling.com and
 *   earn-service.com give the same). No published shape was found for the
 *   German battery registration (BattG, stiftung ear: examples write
 *   "BattG-Reg.-Nr. DE" and a placeholder of unstated length) nor for the
 *   French identifiant unique (IDU/UIN) that ADEME issues per REP stream
 *   (article L. 541-10-13 code de l'environnement names it, no format; the
 *   examples seen disagree: "FR123456_01ABCD", "FR112233"): those, and every
 *   other country's, are kept as data. */
#include "compliance/compliance.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* Does s match one of the '|'-separated patterns: '9' a digit, 'A' a capital
 * letter, 'X' either, any other character itself. */
static bool matches(const char *s, const char *patterns)
{
    size_t n = strlen(s);
    for (const char *p = patterns; p && *p;) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool ok = len == n;
        for (size_t i = 0; ok && i < n; i++) {
            char c = s[i];
            ok = p[i] == '9'   ? is_digit(c)
                 : p[i] == 'A' ? is_upper(c)
                 : p[i] == 'X' ? is_digit(c) || is_upper(c)
                               : c == p[i];
        }
        if (ok)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static int digit(char c)
{
    assert(is_digit(c));
    return c - '0';
}

/* The Luhn sum of n digits, the rightmost weighted 1 (ISO/IEC 7812-1). */
static int luhn_sum(const char *s, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digit(s[n - 1 - i]);
        if (i % 2 == 1)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10;
}

/* The Luhn check digit to append to n digits. */
static int luhn_check_digit(const char *s, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digit(s[n - 1 - i]);
        if (i % 2 == 0)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return (10 - sum % 10) % 10;
}

/* ISO 7064 MOD 11,10 over n digits, the last being the check digit. */
static bool mod11_10_ok(const char *s, size_t n)
{
    int p = 10;
    for (size_t i = 0; i + 1 < n; i++) {
        int t = (digit(s[i]) + p) % 10;
        p = (t == 0 ? 10 : t) * 2 % 11;
    }
    return (11 - p) % 10 == digit(s[n - 1]);
}

/* Sum of digit i times weights[i] for the first n digits. */
static int weighted(const char *s, const int *weights, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += digit(s[i]) * weights[i];
    return sum;
}

/* ---- China ------------------------------------------------------------------- */

static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* A character's value in uscc_charset, -1 outside it (a table: the check runs
 * once per character, twice per code). */
static int uscc_value(char c)
{
    static const signed char letters[26] = {10, 11, 12, 13, 14, 15, 16, 17, -1, 18, 19, 20, 21,
                                            22, -1, 23, 24, 25, -1, 26, 27, -1, 28, 29, 30, -1};
    if (is_digit(c))
        return c - '0';
    return is_upper(c) ? letters[c - 'A'] : -1;
}

char hc_uscc_check_char(const char *first17)
{
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0)
            return '\0';
        sum += v * weights[i];
    }
    return uscc_charset[(31 - sum % 31) % 31];
}

const char *hc_uscc_problem(const char *s)
{
    if (s == NULL || strlen(s) != 18)
        return "must be the 18 characters of a unified social credit code (GB 32100-2015)";
    for (int i = 0; i < 18; i++)
        if (uscc_value(s[i]) < 0)
            return "may hold only digits and capital letters other than I, O, Z, S and V";
    if (!all_digits(s + 2, 6))
        return "characters 3 to 8 must be the digits of an administrative division";
    if (hc_uscc_check_char(s) != s[17])
        return "has a wrong check character (GB 32100-2015)";
    return NULL;
}

const char *hc_customs_code_problem(const char *s)
{
    if (s && strlen(s) == 18)
        return hc_uscc_problem(s);
    if (s == NULL || !matches(s, "99999XXXXX"))
        return "must be the 10-character customs registration code (4-digit region, economic-zone "
               "digit, 5 letters or digits) or the 18-character USCC";
    if (s[4] == '0')
        return "has economic-zone digit 0 (the 5th character is 1 to 9)";
    return NULL;
}

/* ---- EU VAT: one check per member state, on the part after the prefix ------------- */

/* Austria (BMF, UID): U + 8 digits, Luhn-like on digits 1-7, check (6 - sum) mod 10. */
static bool vat_at(const char *n)
{
    return (6 - luhn_sum(n + 1, 7) + 10) % 10 == digit(n[8]);
}

/* Belgium (SPF Finances): 10 digits starting 0 or 1, the last two 97 - (first 8 mod 97). */
static bool vat_be(const char *n)
{
    if (n[0] != '0' && n[0] != '1')
        return false;
    int64_t head = 0;
    for (int i = 0; i < 8; i++)
        head = head * 10 + digit(n[i]);
    return 97 - head % 97 == digit(n[8]) * 10 + digit(n[9]);
}

/* Germany (BZSt, USt-IdNr.): ISO 7064 MOD 11,10 over 9 digits. */
static bool vat_de(const char *n)
{
    return n[0] != '0' && mod11_10_ok(n, 9);
}

/* Bulgaria (NRA, ДДС №): a company's 9 digits, weights 1..8 mod 11 (10: weights
 * 3..10, mod 11 mod 10); 10-digit numbers of persons are taken by format. */
static bool vat_bg(const char *n)
{
    if (strlen(n) == 10)
        return true;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (i + 1) * digit(n[i]);
    if (sum % 11 == 10) {
        sum = 0;
        for (int i = 0; i < 8; i++)
            sum += (i + 3) * digit(n[i]);
    }
    return sum % 11 % 10 == digit(n[8]);
}

/* Cyprus (Tax Department, ΦΠΑ): 8 digits not starting 12 and a check letter:
 * the digits at even places mapped 0→1 1→0 2→5 3→7 4→9 5→13 6→15 7→17 8→19
 * 9→21, plus the others, mod 26 as A..Z. */
static bool vat_cy(const char *n)
{
    static const int even[10] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    if (strncmp(n, "12", 2) == 0)
        return false;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += i % 2 == 0 ? even[digit(n[i])] : digit(n[i]);
    return n[8] == 'A' + sum % 26;
}

/* Czechia (Finanční správa, DIČ): a company's 8 digits (not starting 9),
 * weights 8..2, check (11 - sum mod 11) mod 11 with 0 read as 1, mod 10; the
 * 9 digits starting 6 of special cases; other 9- and 10-digit numbers are
 * birth numbers, taken by format. */
static bool vat_cz(const char *n)
{
    size_t len = strlen(n);
    int sum = 0;
    if (len == 8) {
        for (int i = 0; i < 7; i++)
            sum += (8 - i) * digit(n[i]);
        int c = (11 - sum % 11) % 11;
        return n[0] != '9' && (c ? c : 1) % 10 == digit(n[7]);
    }
    if (len == 9 && n[0] == '6') {
        for (int i = 1; i < 8; i++)
            sum += (9 - i) * digit(n[i]);
        return (18 - (10 - sum % 11) % 11) % 10 == digit(n[8]);
    }
    return true;
}

/* Denmark (SKAT, CVR): weights 2,7,6,5,4,3,2,1, a multiple of 11. */
static bool vat_dk(const char *n)
{
    static const int w[8] = {2, 7, 6, 5, 4, 3, 2, 1};
    return n[0] != '0' && weighted(n, w, 8) % 11 == 0;
}

/* Estonia (EMTA, KMKR): weights 3,7,1 repeated on 8 digits, check (10 - sum mod 10) mod 10. */
static bool vat_ee(const char *n)
{
    static const int w[8] = {3, 7, 1, 3, 7, 1, 3, 7};
    return (10 - weighted(n, w, 8) % 10) % 10 == digit(n[8]);
}

/* Greece (AADE, AFM): weights 2^8..2^1, (sum mod 11) mod 10. */
static bool vat_el(const char *n)
{
    static const int w[8] = {256, 128, 64, 32, 16, 8, 4, 2};
    return weighted(n, w, 8) % 11 % 10 == digit(n[8]);
}

/* Spain (AEAT, NIF): a company's CIF (letter, 7 digits, Luhn control as a digit
 * or as a letter of JABCDEFGHI), a resident's DNI (8 digits + letter of
 * TRWAGMYFPDXBNJZSQVHLCKE at number mod 23), a foreigner's NIE (X, Y, Z read as
 * 0, 1, 2) or K, L, M + 7 digits with the DNI letter. */
static bool vat_es(const char *n)
{
    static const char dni_letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
    if (strchr("ABCDEFGHJNPQRSUVW", n[0]) && all_digits(n + 1, 7)) {
        int control = luhn_check_digit(n + 1, 7);
        return n[8] == '0' + control || n[8] == "JABCDEFGHI"[control];
    }
    long num = 0;
    int from = 0;
    if (n[0] == 'X' || n[0] == 'Y' || n[0] == 'Z')
        num = n[0] - 'X', from = 1;
    else if (n[0] == 'K' || n[0] == 'L' || n[0] == 'M')
        from = 1;
    if (!all_digits(n + from, (size_t)(8 - from)) || !is_upper(n[8]))
        return false;
    for (int i = from; i < 8; i++)
        num = num * 10 + digit(n[i]);
    return n[8] == dni_letters[num % 23];
}

/* Finland (Vero, ALV): weights 7,9,10,5,8,4,2; check 11 - (sum mod 11), 0 when
 * the remainder is 0; remainder 1 is never issued. */
static bool vat_fi(const char *n)
{
    static const int w[7] = {7, 9, 10, 5, 8, 4, 2};
    int r = weighted(n, w, 7) % 11;
    return r != 1 && (r == 0 ? 0 : 11 - r) == digit(n[7]);
}

/* France (DGFiP, numéro de TVA intracommunautaire): a 2-character key and the
 * 9-digit SIREN (Luhn, INSEE; Monaco's numbers start 000). A numeric key is
 * (12 + 3 × (SIREN mod 97)) mod 97; the newer keys of letters and digits (no I
 * or O) are checked as the DGFiP's algorithm, modulo 11. */
static bool vat_fr(const char *n)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    if (!all_digits(n + 2, 9) || (strncmp(n + 2, "000", 3) != 0 && luhn_sum(n + 2, 9) != 0))
        return false;
    int64_t siren = 0;
    for (int i = 2; i < 11; i++)
        siren = siren * 10 + digit(n[i]);
    if (is_digit(n[0]) && is_digit(n[1]))
        return (12 + 3 * (siren % 97)) % 97 == digit(n[0]) * 10 + digit(n[1]);
    const char *a = strchr(alphabet, n[0]), *b = strchr(alphabet, n[1]);
    if (!n[0] || !n[1] || a == NULL || b == NULL)
        return false;
    int64_t check = is_digit(n[0]) ? (a - alphabet) * 24 + (b - alphabet) - 10
                                   : (a - alphabet) * 34 + (b - alphabet) - 100;
    return (siren + 1 + check / 11) % 11 == check % 11;
}

/* Croatia (Porezna uprava, OIB): ISO 7064 MOD 11,10 over 11 digits. */
static bool vat_hr(const char *n)
{
    return mod11_10_ok(n, 11);
}

/* Hungary (NAV): weights 9,7,3,1 repeated, a multiple of 10. */
static bool vat_hu(const char *n)
{
    static const int w[8] = {9, 7, 3, 1, 9, 7, 3, 1};
    return weighted(n, w, 8) % 10 == 0;
}

/* Ireland (Revenue, VAT number): 7 digits, a check letter and an optional
 * second letter (since 2013), or the old form digit, letter (or + *), 5 digits,
 * check letter; the check is weights 8..2 on the digits (the old form's moved
 * to the end) plus 9 × the second letter's value, mod 23 as W, A..V. */
static bool vat_ie(const char *n)
{
    static const char letters[] = "WABCDEFGHIJKLMNOPQRSTUV";
    char d[8];
    int extra = 0;
    if (is_digit(n[1])) {
        memcpy(d, n, 7);
        if (n[8]) {
            const char *e = strchr(letters, n[8]);
            if (e == NULL)
                return false;
            extra = (int)(e - letters);
        }
    } else {
        d[0] = '0';
        memcpy(d + 1, n + 2, 5);
        d[6] = n[0];
    }
    int sum = 9 * extra;
    for (int i = 0; i < 7; i++)
        sum += (8 - i) * digit(d[i]);
    return n[7] == letters[sum % 23];
}

/* Italy (Agenzia delle Entrate, partita IVA): a nonzero 7-digit number, the
 * provincial office 001-100, 120, 121, 888 or 999, Luhn over all 11 digits. */
static bool vat_it(const char *n)
{
    int office = digit(n[7]) * 100 + digit(n[8]) * 10 + digit(n[9]);
    bool office_ok = (office >= 1 && office <= 100) || office == 120 || office == 121 ||
                     office == 888 || office == 999;
    return strncmp(n, "0000000", 7) != 0 && office_ok && luhn_sum(n, 11) == 0;
}

/* Lithuania (VMI, PVM mokėtojo kodas): 9 digits with 1 as the 8th, or 12
 * with 1 as the 11th; weights 1..9 repeated mod 11, when 10 weights from 3 on,
 * mod 11 mod 10. */
static bool vat_lt(const char *n)
{
    size_t len = strlen(n);
    if (n[len - 2] != '1')
        return false;
    int sum = 0;
    for (size_t i = 0; i + 1 < len; i++)
        sum += (int)(1 + i % 9) * digit(n[i]);
    if (sum % 11 == 10) {
        sum = 0;
        for (size_t i = 0; i + 1 < len; i++)
            sum += (int)(1 + (i + 2) % 9) * digit(n[i]);
    }
    return sum % 11 % 10 == digit(n[len - 1]);
}

/* Luxembourg (AED): the first 6 digits mod 89 are the last 2. */
static bool vat_lu(const char *n)
{
    int head = 0;
    for (int i = 0; i < 6; i++)
        head = head * 10 + digit(n[i]);
    return head % 89 == digit(n[6]) * 10 + digit(n[7]);
}

/* Latvia (VID, PVN): a company's 11 digits (first digit above 3) with weights
 * 9,1,4,8,3,10,2,5,7,6,1 summing to 3 mod 11; personal codes are taken by format. */
static bool vat_lv(const char *n)
{
    static const int w[11] = {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1};
    return n[0] <= '3' || weighted(n, w, 11) % 11 == 3;
}

/* Malta (CFR, VAT number): first digit not 0, weights 3,4,6,7,8,9,10,1, a
 * multiple of 37. */
static bool vat_mt(const char *n)
{
    static const int w[8] = {3, 4, 6, 7, 8, 9, 10, 1};
    return n[0] != '0' && weighted(n, w, 8) % 37 == 0;
}

/* ISO 7064 MOD 97-10 of "NL" + the number (letters read A=10 .. Z=35) is 1:
 * the Belastingdienst's btw-id of sole traders since 2020-01-01. */
static bool nl_mod97(const char *n)
{
    int rem = (23 * 100 + 21) % 97; /* "NL" */
    for (const char *p = n; *p; p++)
        rem = is_digit(*p) ? (rem * 10 + digit(*p)) % 97 : (rem * 100 + (*p - 'A' + 10)) % 97;
    return rem == 1;
}

/* Netherlands (Belastingdienst, btw-id): 9 digits, B, 2 digits (not 00); the 9
 * digits pass the 11-test (weights 9..2 and -1), or the whole the MOD 97-10. */
static bool vat_nl(const char *n)
{
    static const int w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    if (strncmp(n, "000000000", 9) == 0 || strcmp(n + 10, "00") == 0)
        return false;
    int sum = weighted(n, w, 8) - digit(n[8]);
    return sum % 11 == 0 || nl_mod97(n);
}

/* Poland (Ministerstwo Finansów, NIP): weights 6,5,7,2,3,4,5,6,7, sum mod 11 is
 * the 10th digit (10 is never issued). */
static bool vat_pl(const char *n)
{
    static const int w[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    return weighted(n, w, 9) % 11 == digit(n[9]);
}

/* Portugal (AT, NIF): first digit not 0, weights 9..2, check
 * 11 - (sum mod 11), 0 for 10 and 11. */
static bool vat_pt(const char *n)
{
    static const int w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    int c = 11 - weighted(n, w, 8) % 11;
    return n[0] != '0' && (c >= 10 ? 0 : c) == digit(n[8]);
}

/* Romania (ANAF, CUI/CIF): 2 to 10 digits, first not 0; the digits before
 * the last, right-aligned under weights 7,5,3,2,1,7,5,3,2, times 10, mod 11 mod 10. */
static bool vat_ro(const char *n)
{
    static const int w[9] = {7, 5, 3, 2, 1, 7, 5, 3, 2};
    size_t len = strlen(n);
    int sum = 0;
    for (size_t i = 0; i + 1 < len; i++)
        sum += w[9 - (len - 1) + i] * digit(n[i]);
    return n[0] != '0' && sum * 10 % 11 % 10 == digit(n[len - 1]);
}

/* Sweden (Skatteverket, momsregistreringsnummer): the 10-digit organisation
 * number (Luhn) followed by 01. */
static bool vat_se(const char *n)
{
    return strcmp(n + 10, "01") == 0 && luhn_sum(n, 10) == 0;
}

/* Slovenia (FURS, ID za DDV): first digit not 0, weights 8..2, check
 * 11 - (sum mod 11), 0 for 10; 11 is never issued. */
static bool vat_si(const char *n)
{
    static const int w[7] = {8, 7, 6, 5, 4, 3, 2};
    int c = 11 - weighted(n, w, 7) % 11;
    return n[0] != '0' && c != 11 && (c == 10 ? 0 : c) == digit(n[7]);
}

/* Slovakia (Finančná správa, IČ DPH): first digit not 0, third one of
 * 2,3,4,7,8,9, the 10-digit number a multiple of 11. */
static bool vat_sk(const char *n)
{
    int64_t v = 0;
    for (int i = 0; i < 10; i++)
        v = v * 10 + digit(n[i]);
    return n[0] != '0' && strchr("234789", n[2]) && v % 11 == 0;
}

/* Member states' VAT numbers after the prefix (EL for Greece): the VIES
 * format and the check digits of the state (forms for persons whose check is
 * not implemented here, noted at each function, are taken by format). */
static const struct vat_rule {
    char prefix[3];
    const char *format;
    bool (*check)(const char *n);
} vat_rules[] = {
    {"AT", "U99999999", vat_at},
    {"BE", "9999999999", vat_be},
    {"BG", "999999999|9999999999", vat_bg},
    {"CY", "99999999A", vat_cy},
    {"CZ", "99999999|999999999|9999999999", vat_cz},
    {"DE", "999999999", vat_de},
    {"DK", "99999999", vat_dk},
    {"EE", "999999999", vat_ee},
    {"EL", "999999999", vat_el},
    {"ES", "X9999999X", vat_es},
    {"FI", "99999999", vat_fi},
    {"FR", "XX999999999", vat_fr},
    {"HR", "99999999999", vat_hr},
    {"HU", "99999999", vat_hu},
    {"IE", "9999999A|9999999AA|9A99999A|9+99999A|9*99999A", vat_ie},
    {"IT", "99999999999", vat_it},
    {"LT", "999999999|999999999999", vat_lt},
    {"LU", "99999999", vat_lu},
    {"LV", "99999999999", vat_lv},
    {"MT", "99999999", vat_mt},
    {"NL", "999999999B99", vat_nl},
    {"PL", "9999999999", vat_pl},
    {"PT", "999999999", vat_pt},
    {"RO", "99|999|9999|99999|999999|9999999|99999999|999999999|9999999999", vat_ro},
    {"SE", "999999999999", vat_se},
    {"SI", "99999999", vat_si},
    {"SK", "9999999999", vat_sk},
};

const char *hc_vat_prefix(const char *iso2)
{
    if (iso2 && strcmp(iso2, "GR") == 0)
        return "EL";
    return iso2;
}

static const struct vat_rule *vat_rule_of(const char *s)
{
    for (size_t i = 0; i < HC_ARRAY_LEN(vat_rules); i++)
        if (strncmp(s, vat_rules[i].prefix, 2) == 0)
            return &vat_rules[i];
    return NULL;
}

bool hc_eu_vat_has_check(const char *prefix)
{
    const struct vat_rule *r = prefix ? vat_rule_of(prefix) : NULL;
    return r && r->check;
}

const char *hc_eu_vat_problem(const char *s)
{
    if (s == NULL || strlen(s) < 4 || strlen(s) > 14)
        return "must be a member state's prefix and 2 to 12 characters";
    if (strncmp(s, "XI", 2) == 0) { /* Northern Ireland: a UK number under XI */
        char gb[16];
        snprintf(gb, sizeof(gb), "GB%s", s + 2);
        return hc_uk_vat_problem(gb);
    }
    const struct vat_rule *r = vat_rule_of(s);
    if (r == NULL)
        return "must start with the prefix of an EU member state (EL for Greece)";
    if (!matches(s + 2, r->format))
        return "does not have the format of the member state's VAT numbers (VIES)";
    if (r->check && !r->check(s + 2))
        return "has wrong check digits for the member state";
    return NULL;
}

/* ---- UK VAT ------------------------------------------------------------------ */

const char *hc_uk_vat_problem(const char *s)
{
    static const int w[7] = {8, 7, 6, 5, 4, 3, 2};
    if (s == NULL || strncmp(s, "GB", 2) != 0)
        return "must start with GB";
    const char *n = s + 2;
    if (matches(n, "GD999|HA999")) {
        int v = digit(n[2]) * 100 + digit(n[3]) * 10 + digit(n[4]);
        return (n[0] == 'G') == (v < 500) ? NULL
                                          : "a government department is GD000-499, a health "
                                            "authority HA500-999";
    }
    if (!matches(n, "999999999|999999999999"))
        return "must be GB and 9 digits (or 12 for a branch)";
    int sum = weighted(n, w, 7) + digit(n[7]) * 10 + digit(n[8]);
    bool restarted = n[0] == '0'; /* 9755 numbers start at 100 0000 00 */
    if (sum % 97 != 0 && (restarted || (sum + 55) % 97 != 0))
        return "has wrong check digits (neither the mod 97 nor the 9755 rule)";
    return NULL;
}

/* ---- EORI, IOSS ------------------------------------------------------------------ */

const char *hc_eori_problem(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 17 || !is_upper(s[0]) || !is_upper(s[1]))
        return "must be the issuing country's code and 1 to 15 letters or digits";
    for (size_t i = 2; i < n; i++)
        if (!is_digit(s[i]) && !is_upper(s[i]))
            return "may hold only capital letters and digits after the country code";
    char cc[3] = {s[0], s[1], '\0'};
    if ((strcmp(cc, "GB") == 0 || strcmp(cc, "XI") == 0) && !matches(s + 2, "999999999999"))
        return "a GB or XI EORI is the prefix and 12 digits (HMRC)";
    if (strcmp(cc, "GB") != 0 && strcmp(cc, "XI") != 0 && strcmp(cc, "EL") != 0 &&
        !hc_market_in_eu(cc))
        return "must start with the code of an EU member state, GB or XI";
    return NULL;
}

/* ISO 3166-1 numeric codes of the member states (ISO 3166 Maintenance Agency). */
static const char eu_numeric[][4] = {
    "040", "056", "100", "191", "196", "203", "208", "233", "246", "250", "276", "300", "348", "372",
    "380", "428", "440", "442", "470", "528", "616", "620", "642", "703", "705", "724", "752",
};

static const char *ioss_like(const char *s, const char *prefix)
{
    if (s == NULL || strncmp(s, prefix, 2) != 0 || !matches(s + 2, "9999999999"))
        return prefix[1] == 'M' ? "must be IM, a 3-digit member state code and 7 digits"
                                : "must be IN, a 3-digit member state code and 7 digits";
    for (size_t i = 0; i < HC_ARRAY_LEN(eu_numeric); i++)
        if (strncmp(s + 2, eu_numeric[i], 3) == 0)
            return NULL;
    return "characters 3 to 5 must be the ISO 3166 numeric code of an EU member state";
}

const char *hc_ioss_problem(const char *s)
{
    return ioss_like(s, "IM");
}

const char *hc_ioss_intermediary_problem(const char *s)
{
    return ioss_like(s, "IN");
}

/* ---- US importer of record ------------------------------------------------------------ */

/* EIN prefixes the IRS assigns (its campuses and the internet). */
static bool ein_prefix_ok(int p)
{
    static const int ranges[][2] = {{1, 6},   {10, 16}, {20, 27}, {30, 39}, {40, 48},
                                    {50, 68}, {71, 77}, {80, 88}, {90, 95}, {98, 99}};
    for (size_t i = 0; i < HC_ARRAY_LEN(ranges); i++)
        if (p >= ranges[i][0] && p <= ranges[i][1])
            return true;
    return false;
}

const char *hc_us_ior_problem(const char *s)
{
    if (s && matches(s, "999999-99999"))
        return NULL; /* CBP-assigned: no check digit is published */
    if (s == NULL || !matches(s, "99-9999999|999999999"))
        return "must be an EIN (NN-NNNNNNN) or a CBP-assigned number (YYDDPP-NNNNN)";
    if (!ein_prefix_ok(digit(s[0]) * 10 + digit(s[1])))
        return "starts with a prefix the IRS does not assign to EINs";
    return NULL;
}

/* ---- EPR registration numbers --------------------------------------------------------- */

struct epr_shape {
    const char *country, *kind, *patterns, *problem;
};

static const struct epr_shape epr_shapes[] = {
    {"DE", "packaging", "DE9999999999999",
     "must be DE and 13 digits, the LUCID registration number (e.g. DE1234567890123)"},
    {"DE", "weee", "DE99999999|DE 99999999",
     "must be DE and 8 digits, the WEEE-Reg.-Nr. (e.g. DE 12345678)"},
};

const char *hc_epr_number_problem(const char *country, const char *kind, const char *number)
{
    if (country == NULL || kind == NULL || number == NULL)
        return NULL;
    for (size_t i = 0; i < HC_ARRAY_LEN(epr_shapes); i++) {
        const struct epr_shape *e = &epr_shapes[i];
        if (strcmp(e->country, country) == 0 && strcmp(e->kind, kind) == 0)
            return matches(number, e->patterns) ? NULL : e->problem;
    }
    return NULL;
}

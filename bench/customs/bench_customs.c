/* bench_customs: build + check + XSD-validate + sign + serialise N CEB603
 * lists, and summarise M released lists for a month. Prints the figures
 * recorded in bench/RESULTS.md. Keys are generated into a temp dir. */
#include "customs/customs.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct opts {
    const char *data, *extra, *dump;
    int64_t lists, rsa_lists, released;
} opts;

static double secs(int64_t ns)
{
    return (double)ns / 1e9;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int bench_lists(const opts *o, hc_customs_ref *ref, hc_customs_xsd *xsd, const char *tmp,
                       const char *alg, int64_t n)
{
    char key[512], cert[512], cmd[2048];
    snprintf(key, sizeof(key), "%s/%s-key.pem", tmp, alg);
    snprintf(cert, sizeof(cert), "%s/%s-cert.pem", tmp, alg);
    snprintf(cmd, sizeof(cmd),
             "openssl genpkey -algorithm %s -out %s 2>/dev/null && openssl req -new -x509 "
             "-key %s -%s -subj /CN=bench -days 1 -out %s 2>/dev/null",
             strcmp(alg, "sm2") == 0 ? "SM2" : "RSA -pkeyopt rsa_keygen_bits:2048", key, key,
             strcmp(alg, "sm2") == 0 ? "sm3" : "sha256", cert);
    if (system(cmd) != 0) {
        fprintf(stderr, "openssl key generation failed\n");
        return 1;
    }
    hc_err err = {0};
    hc_customs_signer *s = NULL;
    if (hc_customs_signer_load(&s, key, cert, 0, &err) != HC_OK) {
        fprintf(stderr, "signer: %s %s\n", err.field, err.msg);
        return 1;
    }
    hc_customs_invt_item items[2] = {
        {.itemNo = "SKU-001", .itemName = "蓝牙耳机", .gcode = "8518300000", .gname = "蓝牙耳机",
         .gmodel = "TWS-5", .barCode = "6901234567892", .country = "502", .currency = "502",
         .qty = "3", .qty1 = "3", .unit = "011", .unit1 = "007", .price = "12.50",
         .totalPrice = "37.5"},
        {.itemNo = "SKU-002", .gcode = "6109100021", .gname = "棉制T恤", .gmodel = "M",
         .barCode = "无", .country = "502", .currency = "502", .qty = "2", .qty1 = "0.4",
         .unit = "011", .unit1 = "035", .price = "9.99", .totalPrice = "19.98"}};
    char guid[40], cop[40], ordno[40], lno[40], now[16];
    hc_customs_time14(hc_now_ms(), now, sizeof(now));
    hc_customs_inventory v = {
        .head = {.guid = guid, .appTime = now, .customsCode = "2992", .ebpCode = "3301960ABC",
                 .ebpName = "海仓平台", .orderNo = ordno, .logisticsCode = "3301980XYZ",
                 .logisticsName = "海仓物流", .logisticsNo = lno, .copNo = cop,
                 .portCode = "2992", .ieDate = "20260305", .statisticsFlag = "B",
                 .agentCode = "3301960ABC", .agentName = "杭州海仓科技有限公司",
                 .ebcCode = "3301960DEF", .ebcName = "杭州卖家有限公司", .ownerCode = "3301960DEF",
                 .ownerName = "杭州卖家有限公司", .tradeMode = "9610", .trafMode = "5",
                 .country = "502", .POD = "502", .freight = "0", .fCurrency = "142",
                 .insuredFee = "0", .iCurrency = "142", .wrapType = "2", .packNo = "1",
                 .grossWeight = "0.8", .netWeight = "0.65"},
        .items = items, .n_items = 2};
    hc_customs_msg m = {.type = 603,
                        .transfer = {.copCode = "3301960ABC", .copName = "杭州海仓科技有限公司",
                                     .dxpId = "DXPENT0000000001"},
                        .n_docs = 1, .lists = &v};
    int64_t t_build = 0, t_xsd = 0, t_sign = 0, t_ser = 0, bytes = 0;
    int64_t t0 = hc_mono_ns();
    for (int64_t i = 0; i < n; i++) {
        hc_customs_guid(guid, sizeof(guid));
        snprintf(cop, sizeof(cop), "INV%010lld", (long long)i);
        snprintf(ordno, sizeof(ordno), "ORD%010lld", (long long)i);
        snprintf(lno, sizeof(lno), "HC%010lld", (long long)i);
        xmlDocPtr doc = NULL;
        int64_t a = hc_mono_ns();
        if (hc_customs_build(ref, &m, &doc, &err) != HC_OK)
            goto bad;
        int64_t b = hc_mono_ns();
        if (hc_customs_xsd_validate(xsd, doc, &err) != HC_OK)
            goto bad;
        int64_t c = hc_mono_ns();
        if (hc_customs_sign(s, doc, &err) != HC_OK)
            goto bad;
        int64_t d = hc_mono_ns();
        xmlChar *mem;
        int len;
        xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
        bytes += len;
        if (i == 0 && o->dump) {
            FILE *f = fopen(o->dump, "wb");
            if (f) {
                fwrite(mem, 1, (size_t)len, f);
                fclose(f);
            }
        }
        xmlFree(mem);
        int64_t e = hc_mono_ns();
        xmlFreeDoc(doc);
        t_build += b - a;
        t_xsd += c - b;
        t_sign += d - c;
        t_ser += e - d;
        continue;
    bad:
        fprintf(stderr, "list %lld: %s %s\n", (long long)i, err.field, err.msg);
        xmlFreeDoc(doc);
        hc_customs_signer_free(s);
        return 1;
    }
    int64_t total = hc_mono_ns() - t0;
    printf("CEB603 %s: %lld lists in %.2f s = %.0f lists/s (1 thread); per list: build+check "
           "%.1f us, XSD %.1f us, sign %.1f us, serialise %.1f us; %.0f bytes/list\n",
           alg, (long long)n, secs(total), (double)n / secs(total),
           (double)t_build / (double)n / 1e3, (double)t_xsd / (double)n / 1e3,
           (double)t_sign / (double)n / 1e3, (double)t_ser / (double)n / 1e3,
           (double)bytes / (double)n);
    hc_customs_signer_free(s);
    return 0;
}

static int bench_summary(const opts *o)
{
    int64_t n = o->released;
    enum { NCONS = 50, NSELL = 400, NHS = 800, NCTRY = 20, NPORT = 6 };
    static char cons[NCONS][16], sell[NSELL][16], hs[NHS][16], names[NHS][32];
    static const char *ctry[NCTRY] = {"502", "304", "303", "305", "307", "312", "116", "133",
                                      "601", "501", "132", "112", "136", "141", "129", "309",
                                      "311", "315", "330", "344"};
    static const char *ports[NPORT] = {"2992", "5141", "2244", "3120", "5316", "4612"};
    static const char *traf[3] = {"5", "3", "2"};
    static const char *cur[3] = {"502", "300", "142"};
    static const char *prices[8] = {"9.99", "12.5", "25", "3.2", "199.00001", "49.9", "0.5",
                                    "1200"};
    static const char *qtys[4] = {"1", "2", "0.25", "10"};
    for (int i = 0; i < NCONS; i++)
        snprintf(cons[i], sizeof(cons[i]), "33019%05d", i);
    for (int i = 0; i < NSELL; i++)
        snprintf(sell[i], sizeof(sell[i]), "44039%05d", i);
    for (int i = 0; i < NHS; i++) {
        snprintf(hs[i], sizeof(hs[i]), "85%08d", i * 997 % 99999999);
        snprintf(names[i], sizeof(names[i]), "商品%d", i);
    }
    hc_customs_rel_list *lists = calloc((size_t)n, sizeof(*lists));
    hc_customs_rel_item *items = calloc((size_t)n * 3, sizeof(*items));
    char *invt = malloc((size_t)n * 20);
    if (!lists || !items || !invt) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    int64_t n_items = 0, want_total = 0;
    for (int64_t i = 0; i < n; i++) {
        hc_customs_rel_list *L = &lists[i];
        snprintf(invt + i * 20, 20, "29922026E%09d", (int)(i % 1000000000));
        int c = (int)(rnd() % NCONS);
        *L = (hc_customs_rel_list){.invtNo = invt + i * 20,
                                   .ebcCode = cons[c],
                                   .ownerCode = sell[(c * 8 + rnd() % 8) % NSELL],
                                   .trafMode = traf[rnd() % 3],
                                   .country = ctry[rnd() % NCTRY],
                                   .portCode = ports[rnd() % NPORT],
                                   .customsCode = "2992", /* one declaring customs */
                                   .grossWeight = "1.25",
                                   .netWeight = "1.00",
                                   .items = &items[n_items]};
        int k = 1 + (int)(rnd() % 3);
        for (int j = 0; j < k; j++) {
            int h = (int)(rnd() % NHS);
            const char *q = qtys[rnd() % 4], *p = prices[rnd() % 8];
            int64_t tq, tp;
            hc_decimal_parse(p, 5, &tp);
            hc_decimal_parse(q, 5, &tq);
            (void)tq;
            items[n_items++] = (hc_customs_rel_item){hs[h], names[h], L->country,
                                                     cur[rnd() % 3], "007", q, p};
            want_total += tp;
            L->n_items++;
        }
    }
    int results = 0;
    for (int flag = 1; flag <= 2; flag++) {
        hc_arena *a = hc_arena_new(1 << 20);
        hc_customs_summary *s;
        size_t ng;
        hc_err err = {0};
        int64_t t0 = hc_mono_ns();
        if (hc_customs_summarise(a, lists, (size_t)n, flag, 0, &s, &ng, &err) != HC_OK) {
            fprintf(stderr, "summary: %s %s\n", err.field, err.msg);
            return 1;
        }
        int64_t dt = hc_mono_ns() - t0;
        size_t lines = 0, invts = 0;
        int64_t total = 0;
        for (size_t g = 0; g < ng; g++) {
            lines += s[g].n_lines;
            invts += s[g].n_invt;
            for (size_t l = 0; l < s[g].n_lines; l++)
                total += s[g].lines[l].totalPrice;
        }
        printf("summary flag %d: %lld lists (%lld items) -> %zu declarations, %zu lines in "
               "%.3f s = %.0f lists/s; lists accounted %zu, total price %s\n",
               flag, (long long)n, (long long)n_items, ng, lines, secs(dt),
               (double)n / secs(dt), invts, total == want_total ? "matches" : "MISMATCH");
        results |= (total != want_total || invts != (size_t)n);
        hc_arena_free(a);
    }
    free(lists);
    free(items);
    free(invt);
    return results;
}

int main(int argc, char **argv)
{
    /* defaults: the repository's data/ and its customs-codes-extra/, found from the
     * binary (hc_data_path), so the working directory does not matter */
    static char data_dir[1024], extra_dir[1100];
    (void)hc_data_path("data", data_dir, sizeof(data_dir));
    snprintf(extra_dir, sizeof(extra_dir), "%s/customs-codes-extra", data_dir);
    opts o = {.data = data_dir, .extra = extra_dir, .lists = 100000,
              .rsa_lists = 10000, .released = 1000000};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        int64_t *num = strcmp(a, "--lists") == 0      ? &o.lists
                       : strcmp(a, "--rsa-lists") == 0 ? &o.rsa_lists
                       : strcmp(a, "--released") == 0 ? &o.released
                                                       : NULL;
        if (num) {
            if (hc_parse_i64(v, 0, 100000000, num) != HC_OK) {
                fprintf(stderr, "%s: bad number\n", a);
                return 2;
            }
        } else if (strcmp(a, "--data") == 0) {
            o.data = v;
        } else if (strcmp(a, "--ref-extra") == 0) {
            o.extra = v;
        } else if (strcmp(a, "--dump") == 0) {
            o.dump = v;
        } else {
            fprintf(stderr, "usage: bench_customs [--data DIR] [--ref-extra DIR] [--lists N] "
                            "[--rsa-lists N] [--released N] [--dump FILE]\n");
            return 2;
        }
    }
    char codes[1200], xsdp[1200], tmp[] = "/tmp/hc-customs-bench-XXXXXX";
    snprintf(codes, sizeof(codes), "%s/customs-codes", o.data);
    snprintf(xsdp, sizeof(xsdp), "%s/customs-ceb-202205/xsd", o.data);
    hc_customs_ref *ref = NULL;
    hc_customs_xsd *xsd = NULL;
    hc_err err = {0};
    xmlInitParser();
    int64_t t0 = hc_mono_ns();
    if (hc_customs_ref_load(&ref, codes, &err) != HC_OK ||
        hc_customs_ref_overlay(ref, o.extra, &err) != HC_OK) {
        fprintf(stderr, "ref: %s %s\n", err.field, err.msg);
        return 1;
    }
    int64_t t1 = hc_mono_ns();
    if (hc_customs_xsd_load(&xsd, xsdp, &err) != HC_OK) {
        fprintf(stderr, "xsd: %s %s\n", err.field, err.msg);
        return 1;
    }
    int64_t t2 = hc_mono_ns();
    printf("load: reference tables %.1f ms, XSD %.1f ms\n", secs(t1 - t0) * 1e3,
           secs(t2 - t1) * 1e3);
    if (mkdtemp(tmp) == NULL)
        return 1;
    int rc = 0;
    if (o.lists > 0)
        rc |= bench_lists(&o, ref, xsd, tmp, "sm2", o.lists);
    if (o.rsa_lists > 0)
        rc |= bench_lists(&o, ref, xsd, tmp, "rsa", o.rsa_lists);
    if (o.released > 0)
        rc |= bench_summary(&o);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        rc = 1;
    hc_customs_xsd_free(xsd);
    hc_customs_ref_free(ref);
    return rc;
}

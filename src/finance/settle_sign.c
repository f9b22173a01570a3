/* settle_sign.c: the detached signature of a settlement document (its exact
 * bytes), with OpenSSL 3, so a bank can check that it was not altered with
 * nothing but the signer's certificate (`openssl dgst -verify`). */
#include "finance.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#define SM2_ID "1234567812345678"

void hc_settle_sig_free(struct hc_settle_sig *s)
{
    free(s->sig_b64);
    free(s->cert_pem);
    memset(s, 0, sizeof(*s));
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The algorithm of a key, or NULL for a type we do not sign with. */
static const char *alg_of(EVP_PKEY *k)
{
    if (EVP_PKEY_is_a(k, "SM2"))
        return "sm2-sm3";
    if (EVP_PKEY_is_a(k, "RSA"))
        return "rsa-sha256";
    if (EVP_PKEY_is_a(k, "EC"))
        return "ecdsa-sha256";
    return NULL;
}

/* A digest context for alg over key, signing or verifying. */
static EVP_MD_CTX *md_ctx(EVP_PKEY *key, const char *alg, bool sign, EVP_PKEY_CTX **pc_out)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    bool sm2 = strcmp(alg, "sm2-sm3") == 0;
    const EVP_MD *md = sm2 ? EVP_sm3() : EVP_sha256();
    if (m == NULL)
        return NULL;
    if (sm2) {
        if ((pc = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
            EVP_PKEY_CTX_set1_id(pc, SM2_ID, strlen(SM2_ID)) <= 0)
            goto fail;
        EVP_MD_CTX_set_pkey_ctx(m, pc);
    }
    if ((sign ? EVP_DigestSignInit(m, NULL, md, NULL, key)
              : EVP_DigestVerifyInit(m, NULL, md, NULL, key)) != 1)
        goto fail;
    *pc_out = pc;
    return m;
fail:
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    return NULL;
}

static char *b64(const unsigned char *p, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, p, (int)n);
    return out;
}

static char *cert_text(X509 *c)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *out = NULL, *p;
    if (b && PEM_write_bio_X509(b, c) == 1) {
        long n = BIO_get_mem_data(b, &p);
        if (n > 0 && (out = malloc((size_t)n + 1)) != NULL) {
            memcpy(out, p, (size_t)n);
            out[n] = '\0';
        }
    }
    BIO_free(b);
    return out;
}

int hc_settle_sign(const void *doc, size_t n, struct hc_settle_sig *out, hc_err *err)
{
    memset(out, 0, sizeof(*out));
    const char *kp = env("HAICANG_SETTLEMENT_KEY"), *cp = env("HAICANG_SETTLEMENT_CERT");
    if (kp == NULL && cp == NULL) {
        kp = env("HAICANG_CUSTOMS_KEY");
        cp = env("HAICANG_CUSTOMS_CERT");
    }
    if (kp == NULL || cp == NULL)
        return hc_err_set(err, HC_ECONFLICT, "HAICANG_SETTLEMENT_KEY",
                          "no signing key: set HAICANG_SETTLEMENT_KEY and "
                          "HAICANG_SETTLEMENT_CERT (or the customs signer's "
                          "HAICANG_CUSTOMS_KEY and HAICANG_CUSTOMS_CERT)");
    int rc = HC_OK;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    EVP_MD_CTX *m = NULL;
    EVP_PKEY_CTX *pc = NULL;
    unsigned char *sig = NULL;
    BIO *b = BIO_new_file(kp, "r");
    if (b == NULL || (key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "HAICANG_SETTLEMENT_KEY", "cannot read a PEM private key");
        goto done;
    }
    BIO_free(b);
    if ((b = BIO_new_file(cp, "r")) == NULL ||
        (cert = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "HAICANG_SETTLEMENT_CERT", "cannot read a PEM certificate");
        goto done;
    }
    const char *alg = alg_of(key);
    if (alg == NULL || X509_check_private_key(cert, key) != 1) {
        rc = hc_err_set(err, HC_EINVAL, "HAICANG_SETTLEMENT_CERT",
                        "the certificate does not match an RSA, EC or SM2 key");
        goto done;
    }
    size_t len = 0;
    if ((m = md_ctx(key, alg, true, &pc)) == NULL ||
        EVP_DigestSign(m, NULL, &len, doc, n) != 1 || (sig = malloc(len)) == NULL ||
        EVP_DigestSign(m, sig, &len, doc, n) != 1) {
        rc = hc_err_set(err, HC_EINTERNAL, "signature", "signing failed");
        goto done;
    }
    hc_strlcpy(out->alg, alg, sizeof(out->alg));
    out->sig_b64 = b64(sig, len);
    out->cert_pem = cert_text(cert);
    if (out->sig_b64 == NULL || out->cert_pem == NULL) {
        hc_settle_sig_free(out);
        rc = hc_err_set(err, HC_EINTERNAL, "signature", "out of memory");
    }
done:
    BIO_free(b);
    free(sig);
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_free(key);
    X509_free(cert);
    return rc;
}

/* Base64 to bytes (exact length: the padding counted off); -1 when bad. */
static long unb64(const char *s, unsigned char **out)
{
    size_t n = strlen(s);
    if (n == 0 || n % 4 != 0)
        return -1;
    unsigned char *p = malloc(n / 4 * 3 + 1);
    if (p == NULL)
        return -1;
    int k = EVP_DecodeBlock(p, (const unsigned char *)s, (int)n);
    if (k < 0) {
        free(p);
        return -1;
    }
    k -= (s[n - 1] == '=') + (s[n - 2] == '=');
    *out = p;
    return k;
}

int hc_settle_verify(const void *doc, size_t n, const char *alg, const char *sig_b64,
                     const char *cert_pem, hc_err *err)
{
    int rc = HC_OK;
    BIO *b = BIO_new_mem_buf(cert_pem, -1);
    X509 *cert = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    EVP_PKEY *key = cert ? X509_get_pubkey(cert) : NULL;
    EVP_MD_CTX *m = NULL;
    EVP_PKEY_CTX *pc = NULL;
    unsigned char *sig = NULL;
    long len;
    if (key == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "certificate", "not a PEM certificate with a public key");
        goto done;
    }
    if (alg == NULL || alg_of(key) == NULL || strcmp(alg_of(key), alg) != 0) {
        rc = hc_err_set(err, HC_EINVAL, "algorithm", "does not fit the certificate's key (%s)",
                        alg_of(key) ? alg_of(key) : "unsupported");
        goto done;
    }
    if ((len = unb64(sig_b64 ? sig_b64 : "", &sig)) < 0) {
        rc = hc_err_set(err, HC_EINVAL, "signature", "not base64");
        goto done;
    }
    if ((m = md_ctx(key, alg, false, &pc)) == NULL ||
        EVP_DigestVerify(m, sig, (size_t)len, doc, n) != 1)
        rc = hc_err_set(err, HC_EINVAL, "signature",
                        "does not verify: the document was altered or signed by another key");
done:
    free(sig);
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(b);
    return rc;
}

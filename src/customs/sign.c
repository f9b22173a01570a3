/* sign.c: enveloped XML-DSig over CEB messages, SM2-SM3 and RSA-SHA1.
 *
 * Signing: the digest is taken over the inclusive C14N of the document before
 * ds:Signature is inserted (no whitespace is added around it, so this equals
 * the enveloped-signature transform of the signed document); then SignedInfo
 * is canonicalised as a node subset and signed. Verifying redoes both from the
 * signed document. */
#include "customs.h"

#include <libxml/c14n.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"
#define C14N_ALG "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
#define ENVELOPED_ALG "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
#define SM2_ID "1234567812345678"
#define C14N_MAX (64u << 20)

struct hc_customs_signer {
    EVP_PKEY *key;
    X509 *cert;
    int alg;
    char *cert_b64;
    char keyname[80];
    EVP_MD_CTX *tmpl; /* initialised once; copied per signature (saves the fetch) */
    EVP_PKEY_CTX *tmpl_pc;
};

/* ---- helpers ---- */

static char *b64_encode(const unsigned char *p, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, p, (int)n);
    return out;
}

/* Decodes base64 text that may contain whitespace; *out is malloc'ed. */
static int b64_decode(const char *s, unsigned char **out, size_t *n)
{
    size_t len = strlen(s), k = 0, pad = 0;
    char *clean = malloc(len + 1);
    unsigned char *bin = NULL;
    int rc = HC_EINVAL;
    if (clean == NULL)
        goto done;
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            clean[k++] = s[i];
    clean[k] = '\0';
    if (k == 0 || k % 4 != 0)
        goto done;
    pad = (clean[k - 1] == '=') + (clean[k - 2] == '=');
    if ((bin = malloc(k / 4 * 3 + 1)) == NULL)
        goto done;
    int r = EVP_DecodeBlock(bin, (unsigned char *)clean, (int)k);
    if (r < 0)
        goto done;
    *n = (size_t)r - pad;
    *out = bin;
    bin = NULL;
    rc = HC_OK;
done:
    free(clean);
    free(bin);
    return rc;
}

typedef struct c14n_sel {
    xmlNodePtr target;
    bool include; /* true: only the target's subtree; false: all but it */
} c14n_sel;

static int c14n_visible(void *ud, xmlNodePtr node, xmlNodePtr parent)
{
    c14n_sel *s = ud;
    xmlNodePtr n = node;
    if (node->type == XML_NAMESPACE_DECL || node->type == XML_ATTRIBUTE_NODE)
        n = parent;
    bool inside = false;
    for (; n; n = n->parent)
        if (n == s->target) {
            inside = true;
            break;
        }
    return s->include ? inside : !inside;
}

static int buf_write(void *ctx, const char *p, int len)
{
    return hc_buf_add(ctx, p, (size_t)len) == HC_OK ? len : -1;
}

/* Inclusive C14N 1.0 (no comments) of the target subtree or of the document
 * without it, into b. */
static int c14n(xmlDocPtr doc, xmlNodePtr target, bool include, hc_buf *b)
{
    c14n_sel sel = {target, include};
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(buf_write, NULL, b, NULL);
    if (ob == NULL)
        return HC_EINTERNAL;
    int r = xmlC14NExecute(doc, c14n_visible, &sel, XML_C14N_1_0, NULL, 0, ob);
    int c = xmlOutputBufferClose(ob);
    return r < 0 || c < 0 ? HC_EINTERNAL : HC_OK;
}

static const EVP_MD *alg_md(int alg)
{
    return alg == HC_CUSTOMS_SIG_SM2_SM3 ? EVP_sm3() : EVP_sha1();
}

static int digest(int alg, const void *p, size_t n, unsigned char *out, unsigned *olen)
{
    return EVP_Digest(p, n, out, olen, alg_md(alg), NULL) == 1 ? HC_OK : HC_EINTERNAL;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name) && c->ns &&
            xmlStrEqual(c->ns->href, BAD_CAST DS_NS))
            return c;
    return NULL;
}

static xmlNodePtr find_signature(xmlDocPtr doc)
{
    return child(xmlDocGetRootElement(doc), "Signature");
}

/* An EVP_MD_CTX set up for sign or verify with the algorithm's digest; for
 * SM2 with the default distinguishing id. *pctx_out must be freed after. */
static EVP_MD_CTX *md_ctx(EVP_PKEY *key, int alg, bool sign, EVP_PKEY_CTX **pctx_out)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    if (m == NULL)
        goto fail;
    if (alg == HC_CUSTOMS_SIG_SM2_SM3) {
        if ((pc = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
            EVP_PKEY_CTX_set1_id(pc, SM2_ID, strlen(SM2_ID)) <= 0)
            goto fail;
        EVP_MD_CTX_set_pkey_ctx(m, pc);
    }
    int r = sign ? EVP_DigestSignInit(m, NULL, alg_md(alg), NULL, key)
                 : EVP_DigestVerifyInit(m, NULL, alg_md(alg), NULL, key);
    if (r != 1)
        goto fail;
    *pctx_out = pc;
    return m;
fail:
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    return NULL;
}

/* OpenSSL 3 decodes keys on the SM2 curve as type "SM2". */
static int key_alg(EVP_PKEY *k)
{
    if (EVP_PKEY_is_a(k, "SM2"))
        return HC_CUSTOMS_SIG_SM2_SM3;
    if (EVP_PKEY_is_a(k, "RSA"))
        return HC_CUSTOMS_SIG_RSA_SHA1;
    return 0;
}

static X509 *read_cert(const char *path)
{
    BIO *b = BIO_new_file(path, "r");
    X509 *c = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    return c;
}

/* ---- signer ---- */

int hc_customs_signer_load(hc_customs_signer **out, const char *key_pem, const char *cert_pem,
                           int alg, hc_err *err)
{
    int rc = HC_OK;
    hc_customs_signer *s = calloc(1, sizeof(*s));
    unsigned char *der = NULL;
    if (s == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    BIO *b = BIO_new_file(key_pem, "r");
    if (b == NULL || (s->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
        BIO_free(b);
        rc = hc_err_set(err, HC_EINVAL, "key", "%s: cannot read a PEM private key", key_pem);
        goto fail;
    }
    BIO_free(b);
    if ((s->cert = read_cert(cert_pem)) == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "cert", "%s: cannot read a PEM certificate", cert_pem);
        goto fail;
    }
    int kalg = key_alg(s->key);
    if (kalg == 0 || (alg != HC_CUSTOMS_SIG_AUTO && alg != kalg)) {
        rc = hc_err_set(err, HC_EINVAL, "alg", "key type does not fit the algorithm "
                                               "(SM2 key for sm2, RSA key for rsa)");
        goto fail;
    }
    s->alg = kalg;
    if (X509_check_private_key(s->cert, s->key) != 1) {
        rc = hc_err_set(err, HC_EINVAL, "cert", "certificate does not match the key");
        goto fail;
    }
    int n = i2d_X509(s->cert, &der);
    if (n <= 0 || (s->cert_b64 = b64_encode(der, (size_t)n)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "cert", "cannot encode the certificate");
        goto fail;
    }
    const ASN1_INTEGER *serial = X509_get0_serialNumber(s->cert);
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    hc_strlcpy(s->keyname, hex ? hex : "0", sizeof(s->keyname));
    OPENSSL_free(hex);
    BN_free(bn);
    OPENSSL_free(der);
    der = NULL;
    if ((s->tmpl = md_ctx(s->key, s->alg, true, &s->tmpl_pc)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "key", "cannot set up signing");
        goto fail;
    }
    *out = s;
    return HC_OK;
fail:
    OPENSSL_free(der);
    hc_customs_signer_free(s);
    return rc;
}

void hc_customs_signer_free(hc_customs_signer *s)
{
    if (s == NULL)
        return;
    EVP_MD_CTX_free(s->tmpl);
    EVP_PKEY_CTX_free(s->tmpl_pc);
    EVP_PKEY_free(s->key); /* OpenSSL clears private key material on free */
    X509_free(s->cert);
    free(s->cert_b64);
    free(s);
}

static xmlNodePtr add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *alg,
                      const char *text)
{
    xmlNodePtr n = xmlNewTextChild(parent, ns, BAD_CAST name, text ? BAD_CAST text : NULL);
    if (alg)
        xmlNewProp(n, BAD_CAST "Algorithm", BAD_CAST alg);
    return n;
}

int hc_customs_sign(hc_customs_signer *s, xmlDocPtr doc, hc_err *err)
{
    int rc = HC_OK;
    hc_buf b;
    unsigned char md[EVP_MAX_MD_SIZE], sig[512], rs[64];
    unsigned mdlen = 0;
    size_t siglen = sizeof(sig);
    char *dv = NULL, *sv = NULL;
    EVP_MD_CTX *m = NULL;
    EVP_PKEY_CTX *pc = NULL;
    ECDSA_SIG *es = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc), sigel = NULL;
    hc_buf_init(&b, C14N_MAX);
    if (root == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "", "empty document");
        goto done;
    }
    if (find_signature(doc)) {
        rc = hc_err_set(err, HC_ECONFLICT, "Signature", "the message is already signed");
        goto done;
    }
    if (c14n(doc, NULL, false, &b) != HC_OK || digest(s->alg, b.p, b.n, md, &mdlen) != HC_OK ||
        (dv = b64_encode(md, mdlen)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "canonicalisation or digest failed");
        goto done;
    }
    bool sm2 = s->alg == HC_CUSTOMS_SIG_SM2_SM3;
    sigel = xmlNewDocNode(doc, NULL, BAD_CAST "Signature", NULL);
    xmlNsPtr ds = xmlNewNs(sigel, BAD_CAST DS_NS, BAD_CAST "ds");
    xmlSetNs(sigel, ds);
    xmlNodePtr si = add(sigel, ds, "SignedInfo", NULL, NULL);
    add(si, ds, "CanonicalizationMethod", C14N_ALG, NULL);
    add(si, ds, "SignatureMethod", sm2 ? HC_CUSTOMS_ALG_SM2_SM3 : HC_CUSTOMS_ALG_RSA_SHA1, NULL);
    xmlNodePtr ref = add(si, ds, "Reference", NULL, NULL);
    xmlNewProp(ref, BAD_CAST "URI", BAD_CAST "");
    add(add(ref, ds, "Transforms", NULL, NULL), ds, "Transform", ENVELOPED_ALG, NULL);
    add(ref, ds, "DigestMethod", sm2 ? HC_CUSTOMS_ALG_SM3 : HC_CUSTOMS_ALG_SHA1, NULL);
    add(ref, ds, "DigestValue", NULL, dv);
    xmlNodePtr svn = add(sigel, ds, "SignatureValue", NULL, NULL);
    xmlNodePtr ki = add(sigel, ds, "KeyInfo", NULL, NULL);
    add(ki, ds, "KeyName", NULL, s->keyname);
    add(add(ki, ds, "X509Data", NULL, NULL), ds, "X509Certificate", NULL, s->cert_b64);
    /* XSD order: ... BaseTransfer, BaseSubscribe*, Signature?, ExtendMessage? */
    xmlNodePtr ext = NULL;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "ExtendMessage"))
            ext = c;
    if (ext)
        xmlAddPrevSibling(ext, sigel);
    else
        xmlAddChild(root, sigel);
    xmlReconciliateNs(doc, sigel);

    b.n = 0;
    if (c14n(doc, si, true, &b) != HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "canonicalisation of SignedInfo failed");
        goto fail;
    }
    if ((m = EVP_MD_CTX_new()) == NULL || EVP_MD_CTX_copy_ex(m, s->tmpl) != 1 ||
        EVP_DigestSign(m, sig, &siglen, (unsigned char *)b.p, b.n) != 1) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "signing failed");
        goto fail;
    }
    const unsigned char *sp = sig;
    size_t outlen = siglen;
    const unsigned char *outp = sig;
    if (sm2) { /* DER ECDSA-Sig-Value -> r || s, 32 bytes each */
        const BIGNUM *r, *ss;
        if ((es = d2i_ECDSA_SIG(NULL, &sp, (long)siglen)) == NULL) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "bad SM2 signature encoding");
            goto fail;
        }
        ECDSA_SIG_get0(es, &r, &ss);
        BN_bn2binpad(r, rs, 32);
        BN_bn2binpad(ss, rs + 32, 32);
        outp = rs;
        outlen = 64;
    }
    if ((sv = b64_encode(outp, outlen)) == NULL) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
        goto fail;
    }
    xmlNodeSetContent(svn, BAD_CAST sv);
    goto done;
fail:
    xmlUnlinkNode(sigel);
    xmlFreeNode(sigel);
done:
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    free(dv);
    free(sv);
    hc_buf_free(&b);
    return rc;
}

/* ---- verifier ---- */

static char *attr(xmlNodePtr n, const char *name)
{
    return n ? (char *)xmlGetProp(n, BAD_CAST name) : NULL;
}

int hc_customs_verify(xmlDocPtr doc, const char *cert_pem, int *alg_out, hc_err *err)
{
    int rc = HC_OK, alg = 0;
    hc_buf b;
    X509 *cert = NULL;
    EVP_MD_CTX *m = NULL;
    EVP_PKEY_CTX *pc = NULL;
    ECDSA_SIG *es = NULL;
    unsigned char *want = NULL, *sigv = NULL, *certder = NULL, *der = NULL;
    size_t wantn = 0, sign = 0, certn = 0;
    char *calg = NULL, *salg = NULL, *dalg = NULL, *uri = NULL, *talg = NULL;
    xmlChar *dvt = NULL, *svt = NULL, *ct = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    hc_buf_init(&b, C14N_MAX);

    xmlNodePtr sig = find_signature(doc);
    xmlNodePtr si = child(sig, "SignedInfo"), ref = child(si, "Reference");
    xmlNodePtr tr = child(ref, "Transforms");
    if (sig == NULL || si == NULL || ref == NULL) {
        rc = hc_err_set(err, HC_EINVAL, "Signature", "no ds:Signature with SignedInfo/Reference");
        goto done;
    }
    calg = attr(child(si, "CanonicalizationMethod"), "Algorithm");
    salg = attr(child(si, "SignatureMethod"), "Algorithm");
    dalg = attr(child(ref, "DigestMethod"), "Algorithm");
    uri = attr(ref, "URI");
    if (calg == NULL || strcmp(calg, C14N_ALG) != 0) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.CanonicalizationMethod",
                        "only inclusive C14N 1.0 is supported");
        goto done;
    }
    if (salg && strcmp(salg, HC_CUSTOMS_ALG_SM2_SM3) == 0 && dalg &&
        strcmp(dalg, HC_CUSTOMS_ALG_SM3) == 0)
        alg = HC_CUSTOMS_SIG_SM2_SM3;
    else if (salg && strcmp(salg, HC_CUSTOMS_ALG_RSA_SHA1) == 0 && dalg &&
             strcmp(dalg, HC_CUSTOMS_ALG_SHA1) == 0)
        alg = HC_CUSTOMS_SIG_RSA_SHA1;
    else {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.SignatureMethod",
                        "unsupported algorithm pair %s / %s", salg ? salg : "-",
                        dalg ? dalg : "-");
        goto done;
    }
    if (uri == NULL || uri[0] != '\0') {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.Reference",
                        "URI must be \"\" (the whole message)");
        goto done;
    }
    /* Transforms: only the enveloped-signature transform (and c14n) allowed. */
    for (xmlNodePtr t = tr ? tr->children : NULL; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE)
            continue;
        xmlFree(talg);
        talg = attr(t, "Algorithm");
        if (talg == NULL || (strcmp(talg, ENVELOPED_ALG) != 0 && strcmp(talg, C14N_ALG) != 0)) {
            rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.Reference.Transforms",
                            "unsupported transform %s", talg ? talg : "-");
            goto done;
        }
    }
    dvt = xmlNodeGetContent(child(ref, "DigestValue"));
    svt = xmlNodeGetContent(child(sig, "SignatureValue"));
    if (dvt == NULL || b64_decode((char *)dvt, &want, &wantn) != HC_OK) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.Reference.DigestValue",
                        "missing or not base64");
        goto done;
    }
    if (svt == NULL || b64_decode((char *)svt, &sigv, &sign) != HC_OK) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignatureValue", "missing or not base64");
        goto done;
    }
    if (cert_pem) {
        if ((cert = read_cert(cert_pem)) == NULL) {
            rc = hc_err_set(err, HC_EINVAL, "cert", "%s: cannot read a PEM certificate", cert_pem);
            goto done;
        }
    } else {
        ct = xmlNodeGetContent(child(child(child(sig, "KeyInfo"), "X509Data"), "X509Certificate"));
        const unsigned char *cp;
        if (ct == NULL || b64_decode((char *)ct, &certder, &certn) != HC_OK ||
            (cp = certder, cert = d2i_X509(NULL, &cp, (long)certn)) == NULL) {
            rc = hc_err_set(err, HC_EINVAL, "Signature.KeyInfo.X509Data.X509Certificate",
                            "missing or unreadable certificate");
            goto done;
        }
    }
    /* 1. the digest of the message without its signature */
    if (c14n(doc, sig, false, &b) != HC_OK || digest(alg, b.p, b.n, md, &mdlen) != HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "canonicalisation failed");
        goto done;
    }
    if (wantn != mdlen || memcmp(want, md, mdlen) != 0) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignedInfo.Reference.DigestValue",
                        "digest mismatch: the message was changed after signing");
        goto done;
    }
    /* 2. the signature over SignedInfo */
    b.n = 0;
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    if (pub == NULL || key_alg(pub) != alg) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.KeyInfo", "certificate key does not fit %s",
                        salg);
        goto done;
    }
    const unsigned char *sv = sigv;
    size_t svn = sign;
    if (alg == HC_CUSTOMS_SIG_SM2_SM3) { /* r || s -> DER */
        if (sign != 64) {
            rc = hc_err_set(err, HC_EINVAL, "Signature.SignatureValue",
                            "an SM2 value is 64 bytes (r||s), got %zu", sign);
            goto done;
        }
        es = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(sigv, 32, NULL), *s = BN_bin2bn(sigv + 32, 32, NULL);
        if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
            BN_free(r);
            BN_free(s);
            rc = hc_err_set(err, HC_EINTERNAL, "", "out of memory");
            goto done;
        }
        int dn = i2d_ECDSA_SIG(es, &der);
        if (dn <= 0) {
            rc = hc_err_set(err, HC_EINTERNAL, "", "cannot encode the SM2 signature");
            goto done;
        }
        sv = der;
        svn = (size_t)dn;
    }
    if (c14n(doc, si, true, &b) != HC_OK) {
        rc = hc_err_set(err, HC_EINTERNAL, "", "canonicalisation of SignedInfo failed");
        goto done;
    }
    if ((m = md_ctx(pub, alg, false, &pc)) == NULL ||
        EVP_DigestVerify(m, sv, svn, (unsigned char *)b.p, b.n) != 1) {
        rc = hc_err_set(err, HC_EINVAL, "Signature.SignatureValue",
                        "signature does not verify with the certificate's key");
        goto done;
    }
    if (alg_out)
        *alg_out = alg;
done:
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(m);
    EVP_PKEY_CTX_free(pc);
    X509_free(cert);
    free(want);
    free(sigv);
    free(certder);
    OPENSSL_free(der);
    xmlFree(calg);
    xmlFree(salg);
    xmlFree(dalg);
    xmlFree(uri);
    xmlFree(talg);
    xmlFree(dvt);
    xmlFree(svt);
    xmlFree(ct);
    hc_buf_free(&b);
    return rc;
}

/* config.c: where the customs files live and what is loaded once per process
 * (code tables, the XSD, the signer), from the environment with defaults. */
#include "records.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct hc_customs_ctx {
    hc_customs_ref *ref;
    hc_customs_xsd *xsd;
    hc_customs_signer *signer; /* NULL: unsigned */
    bool unsigned_ok;          /* HAICANG_CUSTOMS_UNSIGNED=test-only */
    struct rec_rules rules;    /* customs_rules.csv */
    pthread_mutex_t sign_mu;   /* a signer is not shared between threads */
    char outbox[1024], inbox[1024], customs_code[8];
};

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

void hc_customs_config_env(hc_customs_config *c)
{
    memset(c, 0, sizeof(*c));
    c->dir = env("HAICANG_CUSTOMS_DIR");
    c->outbox = env("HAICANG_CUSTOMS_OUTBOX");
    c->inbox = env("HAICANG_CUSTOMS_INBOX");
    c->refdata = env("HAICANG_CUSTOMS_REFDATA");
    c->refextra = env("HAICANG_CUSTOMS_REFEXTRA");
    c->xsd = env("HAICANG_CUSTOMS_XSD");
    c->key_pem = env("HAICANG_CUSTOMS_KEY");
    c->cert_pem = env("HAICANG_CUSTOMS_CERT");
    c->customs_code = env("HAICANG_CUSTOMS_CODE");
    c->unsigned_mode = env("HAICANG_CUSTOMS_UNSIGNED");
}

void hc_customs_config_outbox(const hc_customs_config *c, char *buf, size_t size)
{
    if (c->outbox)
        hc_strlcpy(buf, c->outbox, size);
    else
        snprintf(buf, size, "%s/outbox", c->dir ? c->dir : "customs");
}

/* given, else NAME found by hc_data_path (from the binary, never the working
 * directory); a path that does not exist is left for the load to name. */
static void pick(char *out, size_t size, const char *given, const char *name)
{
    if (given)
        hc_strlcpy(out, given, size);
    else
        (void)hc_data_path(name, out, size);
}

void hc_customs_config_paths(const hc_customs_config *c, hc_customs_paths *p)
{
    pick(p->refdata, sizeof(p->refdata), c->refdata, "data/customs-codes");
    pick(p->refextra, sizeof(p->refextra), c->refextra, "data/customs-codes-extra");
    pick(p->xsd, sizeof(p->xsd), c->xsd, "data/customs-ceb-202205/xsd");
}

static int make_dir(const char *path, hc_err *err)
{
    char buf[1024];
    hc_strlcpy(buf, path, sizeof(buf));
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(buf, 0755);
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return hc_err_set(err, HC_EINTERNAL, "customs_dir", "%s: %s", path, strerror(errno));
    return HC_OK;
}

int hc_customs_config_check(const hc_customs_config *c, hc_err *err)
{
    if ((c->key_pem == NULL) != (c->cert_pem == NULL))
        return hc_err_set(err, HC_EINVAL, c->key_pem ? "HAICANG_CUSTOMS_CERT" : "HAICANG_CUSTOMS_KEY",
                          "a signing key needs its certificate and the reverse: set both "
                          "HAICANG_CUSTOMS_KEY and HAICANG_CUSTOMS_CERT, or neither");
    if (c->unsigned_mode && strcmp(c->unsigned_mode, "test-only") != 0)
        return hc_err_set(err, HC_EINVAL, "HAICANG_CUSTOMS_UNSIGNED",
                          "must be unset or test-only (unsigned messages for a test "
                          "environment), not %s", c->unsigned_mode);
    return HC_OK;
}

int hc_customs_ctx_open(hc_customs_ctx **out, const hc_customs_config *c, hc_err *err)
{
    int rc;
    hc_customs_paths p;
    char dir[900];
    hc_customs_ctx *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return hc_err_set(err, HC_EINTERNAL, "", "out of memory");
    pthread_mutex_init(&x->sign_mu, NULL);
    if ((rc = hc_customs_config_check(c, err)) != HC_OK)
        goto fail;
    x->unsigned_ok = c->unsigned_mode != NULL;
    hc_strlcpy(dir, c->dir ? c->dir : "customs", sizeof(dir));
    hc_customs_config_outbox(c, x->outbox, sizeof(x->outbox));
    if (c->inbox)
        hc_strlcpy(x->inbox, c->inbox, sizeof(x->inbox));
    else
        snprintf(x->inbox, sizeof(x->inbox), "%s/inbox", dir);
    hc_strlcpy(x->customs_code, c->customs_code ? c->customs_code : "", sizeof(x->customs_code));
    if (x->customs_code[0] && (strlen(x->customs_code) != 4 || !hc_all_digits(x->customs_code, 4))) {
        rc = hc_err_set(err, HC_EINVAL, "HAICANG_CUSTOMS_CODE", "must be 4 digits");
        goto fail;
    }
    hc_customs_config_paths(c, &p);
    if ((rc = hc_customs_ref_load(&x->ref, p.refdata, err)) != HC_OK)
        goto fail;
    if (access(p.refextra, F_OK) == 0 &&
        (rc = hc_customs_ref_overlay(x->ref, p.refextra, err)) != HC_OK)
        goto fail;
    if ((rc = hc_customs_xsd_load(&x->xsd, p.xsd, err)) != HC_OK)
        goto fail;
    char rules[1100];
    snprintf(rules, sizeof(rules), "%s/customs_rules.csv", p.refextra);
    if ((rc = rec_rules_load(&x->rules, rules, err)) != HC_OK)
        goto fail;
    if (c->key_pem &&
        (rc = hc_customs_signer_load(&x->signer, c->key_pem, c->cert_pem, HC_CUSTOMS_SIG_AUTO,
                                     err)) != HC_OK)
        goto fail;
    if ((rc = make_dir(x->outbox, err)) != HC_OK || (rc = make_dir(x->inbox, err)) != HC_OK)
        goto fail;
    *out = x;
    return HC_OK;
fail:
    hc_customs_ctx_free(x);
    return rc;
}

void hc_customs_ctx_free(hc_customs_ctx *x)
{
    if (x == NULL)
        return;
    hc_customs_signer_free(x->signer);
    hc_customs_xsd_free(x->xsd);
    hc_customs_ref_free(x->ref);
    pthread_mutex_destroy(&x->sign_mu);
    free(x);
}

const char *hc_customs_ctx_outbox(const hc_customs_ctx *x)
{
    return x->outbox;
}

const char *hc_customs_ctx_inbox(const hc_customs_ctx *x)
{
    return x->inbox;
}

bool hc_customs_ctx_signs(const hc_customs_ctx *x)
{
    return x->signer != NULL;
}

/* ---- for the record layer (records.h) ---- */

const hc_customs_ref *rec_ref(const hc_customs_ctx *x)
{
    return x->ref;
}

const char *rec_default_code(const hc_customs_ctx *x)
{
    return x->customs_code[0] ? x->customs_code : NULL;
}

const struct rec_rules *rec_rules(const hc_customs_ctx *x)
{
    return &x->rules;
}

void rec_rules_allow_over_max(hc_customs_ctx *x)
{
    x->rules.list_over_max_allow = true;
}

void rec_allow_unsigned(hc_customs_ctx *x)
{
    x->unsigned_ok = true;
}

bool hc_customs_ctx_unsigned_ok(const hc_customs_ctx *x)
{
    return x->unsigned_ok;
}

int rec_finish(hc_customs_ctx *x, const hc_customs_msg *m, xmlDocPtr *out, hc_err *err)
{
    xmlDocPtr doc = NULL;
    /* CEB 202205: the list, its link to the bill and the summary request
     * must carry the declarant's signature. */
    if (x->signer == NULL && !x->unsigned_ok &&
        (m->type == 603 || m->type == 607 || m->type == 701))
        return hc_err_set(err, HC_EBUSY, "HAICANG_CUSTOMS_KEY",
                          "CEB%d must be signed: configure HAICANG_CUSTOMS_KEY and "
                          "HAICANG_CUSTOMS_CERT (or, in a test environment only, "
                          "HAICANG_CUSTOMS_UNSIGNED=test-only)", m->type);
    int rc = hc_customs_build(x->ref, m, &doc, err);
    if (rc != HC_OK)
        goto fail;
    if ((rc = hc_customs_xsd_validate(x->xsd, doc, err)) != HC_OK)
        goto fail;
    if (x->signer) {
        pthread_mutex_lock(&x->sign_mu);
        rc = hc_customs_sign(x->signer, doc, err);
        pthread_mutex_unlock(&x->sign_mu);
        if (rc != HC_OK)
            goto fail;
    }
    *out = doc;
    return HC_OK;
fail:
    xmlFreeDoc(doc);
    return rc;
}

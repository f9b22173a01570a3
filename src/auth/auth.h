/* auth: API keys. A key reads hck_<id>_<secret> (12 + 64 hex digits); the
 * store keeps its id, a name, the role with its tenant, and SHA-256 of the
 * whole key, never the key. A key is printed once, when it is made.
 *
 * Names are unique (revoked keys keep theirs) and never change, so the
 * journal names the key that made each entry by its name. A revoked key is
 * refused from the next check on: hc_key_check reads the store every time
 * and keeps no cache, so a key revoked by another process (the CLI, a second
 * server) stops working at once, too.
 *
 * Strings in results live in the caller's arena. */
#ifndef HC_AUTH_H
#define HC_AUTH_H

#include "store/store.h"

#define HC_KEY_ID_MAX 32   /* the id column; ids made here are 12 hex digits */
#define HC_KEY_NAME_MAX 64 /* characters; also the width of journal.actor */
#define HC_KEY_TEXT_MAX 100 /* buffer for the printed key, with its NUL */

struct hc_key {
    const char *id, *name;
    const char *role;      /* "admin", "operator" or "seller" */
    const char *seller;    /* seller keys only, else NULL */
    const char *warehouse; /* operator keys only, else NULL */
    int64_t created_at;
    int64_t revoked_at; /* 0 while the key works */
};

/* Checks role and tenant (a seller key needs a seller, an operator key a
 * warehouse; the other code is dropped) and the name (optional: NULL or ""
 * gets "<role>[-<tenant>]-<id>" at create). Errors name the field: "name",
 * "role", "seller" or "warehouse". */
int hc_key_validate(struct hc_key *k, hc_err *err);

/* Validates, makes a new id and secret, and stores the key in the caller's
 * transaction. *k gets id, name and created_at (in a); text (>=
 * HC_KEY_TEXT_MAX bytes) gets the key to hand out once, which the caller
 * wipes with explicit_bzero when it is shown. A name in use: HC_ECONFLICT
 * naming "name". */
int hc_key_create(hc_store *s, hc_arena *a, struct hc_key *k, char *text, hc_err *err);

/* The key behind a presented Bearer token, if it exists, its hash matches
 * (compared in constant time) and it is not revoked; otherwise HC_EAUTH
 * naming "Authorization". */
int hc_key_check(hc_store *s, hc_arena *a, const char *text, struct hc_key *out, hc_err *err);

int hc_key_get(hc_store *s, hc_arena *a, const char *id, struct hc_key *out, hc_err *err);

/* Newest first; revoked keys included unless active_only. */
int hc_key_list(hc_store *s, hc_arena *a, bool active_only, const char *cursor, int limit,
                struct hc_key **items, size_t *n, const char **next, hc_err *err);

/* Revokes the key with this id or name (HC_ENOTFOUND naming "id" when
 * neither matches); revoking a revoked key changes nothing. *out gets the
 * key as it now is. */
int hc_key_revoke(hc_store *s, hc_arena *a, const char *id_or_name, struct hc_key *out,
                  hc_err *err);

#endif

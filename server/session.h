/* session: the database sessions of the server, each prepared the same
 * way: the schema this binary serves checked, SET ROLE cruscotto_web,
 * read-only transactions, a statement timeout (see http.h). */
#ifndef CR_SESSION_H
#define CR_SESSION_H

#include "db.h"

/* Prepares a freshly opened connection (a pool_setup_fn; `arg` unused).
 * Returns 0, ERR_DB (unreachable) or ERR_FAIL (schema, role). */
int session_setup(db *c, void *arg);

/* Opens a prepared session. Returns 0 and *out (close with db_close),
 * ERR_DB or ERR_FAIL. */
int session_open(const char *conninfo, db **out);

/* Writes a warning to `arg` (a FILE *) when the session could do more than
 * read the revisions: the role it logged in as (not the one it SET ROLE
 * to: RESET ROLE gives that back) being a superuser, or able to create
 * temporary tables or large objects. Returns 0, or the error of the query
 * (ERR_DB when the database is unreachable). */
int session_warn(db *c, void *arg);

#endif

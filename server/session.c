#include "session.h"

#include "err.h"
#include "migrations.h"

#include <stdio.h>
#include <string.h>

/* Checks that the database holds this binary's schema, through the one
 * function schema version 4 lets cruscotto_web call (the version table is
 * out of its reach). Before version 4 the function does not exist. */
static int check_schema(db *c)
{
	long long version = 0;
	int rc = db_exec_long(c, "SELECT cruscotto.web_schema_version()", &version);

	if (rc == ERR_DB)
		return rc;
	if (rc || version < schema_binary_version())
		return err_set(ERR_FAIL,
			       "the database does not hold cruscotto's schema version %d: run "
			       "cruscotto init",
			       schema_binary_version());
	if (version > schema_binary_version())
		return err_set(ERR_FAIL,
			       "the database has schema version %lld, newer than this cruscotto's "
			       "%d: use a newer cruscotto",
			       version, schema_binary_version());
	return 0;
}

/* The schema this binary serves, then the web role and read-only
 * transactions for the rest of the session. */
int session_setup(db *c, void *arg)
{
	int rc;

	(void)arg;
	rc = check_schema(c);
	if (rc)
		return rc;
	rc = db_exec(c, "SET ROLE cruscotto_web", 0, NULL, NULL);
	if (rc)
		return rc == ERR_DB ? rc
				    : err_set(rc,
					      "cannot act as the role cruscotto_web (%s): run "
					      "cruscotto init as a user who may create roles",
					      err_last());
	rc = db_exec(c, "SET default_transaction_read_only = on", 0, NULL, NULL);
	if (rc == 0)
		rc = db_exec(c, "SET statement_timeout = '15s'", 0, NULL, NULL);
	return rc;
}

int session_open(const char *conninfo, db **out)
{
	db *c = NULL;
	int rc = db_connect(conninfo, &c);

	if (rc == 0)
		rc = session_setup(c, NULL);
	if (rc) {
		db_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int session_warn(db *c, void *arg)
{
	FILE *f = arg;
	rows *r = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT session_user, r.rolsuper,"
		     " has_database_privilege(session_user, current_database(), 'TEMPORARY'),"
		     " has_function_privilege(session_user, 'pg_catalog.lo_create(oid)', 'EXECUTE')"
		     " FROM pg_catalog.pg_roles r WHERE r.rolname = session_user",
		     0, NULL, &r);
	if (rc)
		goto out;
	if (r->nrows == 1 && strcmp(rows_get(r, 0, 1), "t") == 0)
		fprintf(f,
			"cruscotto: warning: the server's session user %s is a superuser: RESET "
			"ROLE "
			"would give every right back; log in as a role that is a member of "
			"cruscotto_web only (see docs/HTTP.md)\n",
			rows_get(r, 0, 0));
	else if (r->nrows == 1 &&
		 (strcmp(rows_get(r, 0, 2), "t") == 0 || strcmp(rows_get(r, 0, 3), "t") == 0))
		fprintf(f,
			"cruscotto: warning: the server's session user %s may create%s%s: run "
			"cruscotto init as a superuser to revoke it (see docs/HTTP.md)\n",
			rows_get(r, 0, 0),
			strcmp(rows_get(r, 0, 2), "t") == 0 ? " temporary tables" : "",
			strcmp(rows_get(r, 0, 3), "t") == 0
				? (strcmp(rows_get(r, 0, 2), "t") == 0 ? " and large objects"
								       : " large objects")
				: "");
	fflush(f);
out:
	rows_free(r);
	return rc;
}

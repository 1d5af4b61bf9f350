/* testdb: a fresh database for each db test, on the throwaway cluster that
 * test.sh starts (libpq's PGHOST, PGPORT, PGUSER of the environment). */
#ifndef CR_TESTDB_H
#define CR_TESTDB_H

#include "db.h"

/* Creates an empty database with a unique name, initialises cruscotto's
 * schema in it and connects. *conninfo (caller frees) names the database for
 * further connections or for the cruscotto binary. Aborts the test on failure. */
void testdb_create(char **conninfo, db **conn);

/* Closes `conn` (may be NULL) and drops the database. */
void testdb_drop(char *conninfo, db *conn);

/* Runs `sql` (a query returning one row and one column) and returns that cell
 * as a newly allocated string ("NULL" for null); aborts the test on error. */
char *testdb_value(db *conn, const char *sql);

/* Runs the cruscotto binary with `argv` (NULL-terminated, argv[0] ignored) and
 * the environment plus `env` entries ("NAME=value", NULL-terminated, may be
 * NULL); returns its exit code and, when non-NULL, its stdout and stderr
 * (caller frees). */
int testdb_run(const char *const *argv, const char *const *env, char **out, char **err);

#endif

/* schema: `cruscotto init`, which applies the migrations of schema/ (listed
 * in db/migrations.h) and writes the catalogue into the database, and the
 * version checks of the commands that read it. */
#ifndef CR_SCHEMA_H
#define CR_SCHEMA_H

#include "db.h"
#include "migrations.h"

/* Applies the missing migrations in one transaction and records the version.
 * Idempotent. Refuses (ERR_FAIL) a database whose version is newer than the
 * binary's. Writes the version before and after to *from and *to (either may
 * be NULL). */
int schema_migrate(db *c, int *from, int *to);

/* The database's schema version (0 when cruscotto was never initialised). */
int schema_db_version(db *c, int *version);

/* Checks that the database holds this binary's schema version; otherwise
 * ERR_FAIL with a message telling the user to run `cruscotto init` (or to use
 * a newer cruscotto). */
int schema_check(db *c);

#endif

/* schema: the versioned migrations of schema/, embedded at build time, and
 * `cruscotto init`, which applies them. */
#ifndef CR_SCHEMA_H
#define CR_SCHEMA_H

#include "db.h"

struct schema_migration {
	int version;	  /* the schema version the migration brings the database to */
	const char *name; /* file name, e.g. "001_base.sql" */
	const char *sql;
};

/* The migrations, in version order (generated into schema_sql.c). */
extern const struct schema_migration schema_migrations[];
extern const int schema_migration_count;

/* The schema version this binary brings a database to. */
int schema_binary_version(void);

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

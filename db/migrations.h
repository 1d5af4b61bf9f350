/* migrations: the versioned migrations of schema/, embedded at build time
 * (schema/embed.py writes schema_sql.c), and so the schema version this
 * binary brings a database to: what `cruscotto init` applies and what every
 * command, the server included, checks the database against. */
#ifndef CR_MIGRATIONS_H
#define CR_MIGRATIONS_H

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

#endif

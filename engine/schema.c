#include "schema.h"

#include "catalogue.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The version table lives outside the migrations so that the runner can read
 * it before any migration has run. */
static const char *const version_table_sql = "CREATE SCHEMA IF NOT EXISTS cruscotto; "
					     "CREATE TABLE IF NOT EXISTS cruscotto.schema_version ("
					     " version integer PRIMARY KEY, name text NOT NULL,"
					     " applied_at timestamptz NOT NULL DEFAULT now())";

int schema_db_version(db *c, int *version)
{
	rows *r = NULL;
	long long v = 0;
	int rc;

	/* two steps: a query naming a table that does not exist fails at
	 * parse time, whatever branch would have run */
	rc = db_exec(c, "SELECT to_regclass('cruscotto.schema_version') IS NOT NULL AS present", 0,
		     NULL, &r);
	if (rc)
		goto out;
	if (strcmp(rows_get(r, 0, 0), "t") == 0) {
		rows_free(r);
		r = NULL;
		rc = db_exec(c, "SELECT coalesce(max(version), 0) FROM cruscotto.schema_version", 0,
			     NULL, &r);
		if (rc == 0)
			rc = rows_get_long(r, 0, 0, &v);
		if (rc)
			goto out;
	}
	*version = (int)v;
out:
	rows_free(r);
	return rc;
}

/* Appends `item` to a PostgreSQL array literal; catalogue codes and names
 * need no quoting ([a-z_.] only). */
static void array_add(char *buf, size_t size, const char *item)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len > 1 ? "," : "", item);
}

/* Writes the binary's catalogue into the catalogue table, so that the schema
 * can check targets and weights against the indicators this binary knows. */
static int sync_catalogue(db *c)
{
	static char codes[8192], levels[8192], dims[8192], pols[8192];
	const char *params[4] = {codes, levels, dims, pols};
	int i, l;

	strcpy(codes, "{");
	strcpy(levels, "{");
	strcpy(dims, "{");
	strcpy(pols, "{");
	for (i = 0; i < cat_count; i++) {
		const struct cat_indicator *ind = &cat_indicators[i];

		for (l = CAT_AGREEMENT; l <= CAT_NEIGHBOURHOOD; l <<= 1) {
			if (!(ind->levels & l))
				continue;
			array_add(codes, sizeof(codes), ind->code);
			array_add(levels, sizeof(levels), cat_level_name(l));
			array_add(dims, sizeof(dims), cat_dimension_code(ind->dimension));
			array_add(pols, sizeof(pols), cat_polarity_name(ind->polarity));
		}
	}
	strcat(codes, "}");
	strcat(levels, "}");
	strcat(dims, "}");
	strcat(pols, "}");
	return db_exec(c,
		       "WITH cat AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
		       " $4::text[]) AS u(code, level, dimension, polarity)),"
		       " gone AS (DELETE FROM cruscotto.catalogue k WHERE NOT EXISTS"
		       " (SELECT 1 FROM cat WHERE cat.code = k.code AND cat.level = k.level))"
		       " INSERT INTO cruscotto.catalogue (code, level, dimension, polarity)"
		       " SELECT code, level, dimension, polarity FROM cat"
		       " ON CONFLICT (code, level) DO UPDATE SET dimension = excluded.dimension,"
		       " polarity = excluded.polarity",
		       4, params, NULL);
}

int schema_migrate(db *c, int *from, int *to)
{
	int rc, before = 0, i;
	rows *lock = NULL;
	char version[16];
	const char *params[2];

	rc = db_begin(c);
	if (rc)
		return rc;
	/* concurrent inits wait for each other instead of racing on DDL */
	rc = db_exec(c, "SELECT pg_advisory_xact_lock(hashtext('cruscotto.schema'))", 0, NULL,
		     &lock);
	rows_free(lock);
	if (rc)
		goto out;
	rc = db_exec_script(c, version_table_sql);
	if (rc)
		goto out;
	rc = schema_db_version(c, &before);
	if (rc)
		goto out;
	if (before > schema_binary_version()) {
		rc = err_set(ERR_FAIL,
			     "the database has schema version %d, newer than this cruscotto's %d: "
			     "use a newer cruscotto",
			     before, schema_binary_version());
		goto out;
	}
	for (i = 0; i < schema_migration_count; i++) {
		const struct schema_migration *mg = &schema_migrations[i];

		if (mg->version <= before)
			continue;
		rc = db_exec_script(c, mg->sql);
		if (rc) {
			rc = err_set(rc, "schema migration %s failed: %s", mg->name, err_last());
			goto out;
		}
		snprintf(version, sizeof(version), "%d", mg->version);
		params[0] = version;
		params[1] = mg->name;
		rc = db_exec(c,
			     "INSERT INTO cruscotto.schema_version (version, name)"
			     " VALUES ($1::integer, $2::text)",
			     2, params, NULL);
		if (rc)
			goto out;
	}
	rc = sync_catalogue(c);
	if (rc)
		goto out;
	rc = db_commit(c);
	if (rc)
		return rc;
	if (from)
		*from = before;
	if (to)
		*to = schema_binary_version() > before ? schema_binary_version() : before;
	return 0;
out:
	db_rollback(c);
	return rc;
}

int schema_check(db *c)
{
	int version = 0, rc = schema_db_version(c, &version);

	if (rc)
		return rc;
	if (version == 0)
		return err_set(ERR_FAIL,
			       "the database has no cruscotto schema: run `cruscotto init` "
			       "first");
	if (version < schema_binary_version())
		return err_set(
			ERR_FAIL,
			"the database has schema version %d, older than this cruscotto's %d: "
			"run `cruscotto init` to upgrade it",
			version, schema_binary_version());
	if (version > schema_binary_version())
		return err_set(
			ERR_FAIL,
			"the database has schema version %d, newer than this cruscotto's %d: "
			"use a newer cruscotto",
			version, schema_binary_version());
	return 0;
}

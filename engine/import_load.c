/* import_load: storing one file. Through staging: the INSERT (entities
 * upserted, facts appended) that holds the file to its rules as it stores
 * it; or, for a fact file or an entity file into a table with no row, one
 * COPY straight into its table. A large load into a small table rebuilds
 * its indexes after it rather than updating them row by row, and checks its
 * references itself. */
#include "import_int.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

/* The value a column is stored as: its cast, with the default of docs/IMPORT.md
 * when the field is empty. */
static void insert_expr(FILE *f, const struct column *c)
{
	static const char *const casts[] = {
		[T_TEXT] = "",	       [T_CODE] = "",		[T_DATE] = "::date",
		[T_INT] = "::integer", [T_BIGINT] = "::bigint", [T_NUM] = "::numeric",
		[T_ENUM] = ""};

	if (c->def)
		fprintf(f, "coalesce(r.\"%s\", %s)%s", c->name, c->def, casts[c->type]);
	else
		fprintf(f, "r.\"%s\"%s", c->name, casts[c->type]);
}

static int is_key(const struct file_spec *fs, const char *name)
{
	int j;

	for (j = 0; fs->key[j]; j++)
		if (strcmp(fs->key[j], name) == 0)
			return 1;
	return 0;
}

/* Writes the columns of the file, each as PREFIX"name", separated by ", ":
 * all of them, or (`values`) those not in the key. */
static void columns(FILE *f, const struct file_spec *fs, const char *prefix, int values)
{
	int i, n = 0;

	for (i = 0; fs->cols[i].name; i++)
		if (!values || !is_key(fs, fs->cols[i].name))
			fprintf(f, "%s%s\"%s\"", n++ ? ", " : "", prefix, fs->cols[i].name);
}

/* Writes "ROW(t.v...) IS DISTINCT FROM ROW(other.v...)" over the values
 * (the columns not in the key): whether a stored row would change. */
static void changed(FILE *f, const struct file_spec *fs, const char *other)
{
	fprintf(f, "ROW(");
	columns(f, fs, "t.", 1);
	fprintf(f, ") IS DISTINCT FROM ROW(");
	columns(f, fs, other, 1);
	fprintf(f, ")");
}

/* Writes "\"v\" = other.\"v\", " for each value (not key) column. */
static void set_values(FILE *f, const struct file_spec *fs, const char *other)
{
	int i;

	for (i = 0; fs->cols[i].name; i++)
		if (!is_key(fs, fs->cols[i].name))
			fprintf(f, "\"%s\" = %s\"%s\", ", fs->cols[i].name, other,
				fs->cols[i].name);
}

/* Writes the staged records as `r`, guarded (imp_guard): " FROM (...) r
 * WHERE guard". Returns 0, or -1 when out of memory. */
static int guarded_rows(FILE *f, const struct file_spec *fs)
{
	int i;

	fprintf(f, " FROM (SELECT s._ord");
	for (i = 0; fs->cols[i].name; i++)
		imp_staged_value(f, &fs->cols[i]);
	fprintf(f, " FROM pg_temp.import_stage s) r WHERE ");
	return imp_guard(f, fs);
}

/* The INSERT of the staged rows, with a guard that refuses (through
 * cruscotto.import_refuse) a date, an integer or a number of another form
 * than docs/IMPORT.md's, which the casts would read ("2016-1-5", " 5", "1e5",
 * "NaN"). Every other rule is one the INSERT fails on by itself: a cast that
 * fails (2019-02-30, a number of a million digits), or a constraint or
 * trigger of the schema (required, code, enumeration, blank text, range,
 * bound, reference, key). So a file that breaks no rule is checked in the
 * scan that stores it, with no query per rule; one that breaks any is then
 * searched for its first broken rule.
 *
 * Entities are upserted: a known key is updated only when a value differs,
 * so an unchanged row keeps its batch and leaves no history; the statement
 * returns (inserted, updated), xmax = 0 telling an inserted row from an
 * updated one. Facts are appended, all of them or none. $1 is the batch. */
static int write_insert(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int i, j;

	(void)h;
	if (fs->upsert)
		fprintf(f, "WITH w AS (");
	fprintf(f, "INSERT INTO cruscotto.%s AS t (", fs->table);
	columns(f, fs, "", 0);
	fprintf(f, ", batch_id) SELECT ");
	for (i = 0; fs->cols[i].name; i++) {
		insert_expr(f, &fs->cols[i]);
		fprintf(f, ", ");
	}
	fprintf(f, "$1::bigint");
	if (guarded_rows(f, fs) < 0)
		return -1;
	/* a serial id follows the file's order */
	if (!fs->upsert && !fs->key[0])
		fprintf(f, " ORDER BY r._ord");
	if (fs->upsert) {
		fprintf(f, " ON CONFLICT (");
		for (j = 0; fs->key[j]; j++)
			fprintf(f, "%s\"%s\"", j ? ", " : "", fs->key[j]);
		fprintf(f, ") DO UPDATE SET ");
		set_values(f, fs, "excluded.");
		fprintf(f, "batch_id = excluded.batch_id WHERE ");
		changed(f, fs, "excluded.");
		fprintf(f, " RETURNING (t.xmax = 0) AS ins) SELECT count(*) FILTER (WHERE "
			   "w.ins), count(*) FILTER (WHERE NOT w.ins) FROM w");
	}
	return 0;
}

/* The upsert of write_insert for a table whose indexes are being built again
 * (no unique index for ON CONFLICT to lean on): one statement that updates,
 * by a join on the key, the rows whose key the table holds and a value
 * differs, and inserts the others. The same guard, the same rules, the same
 * result (inserted, updated); every staged row goes through the guard, as
 * the INSERT reads them all. $1 is the batch. */
static int write_split_upsert(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int i, j;

	(void)h;
	fprintf(f, "WITH n AS MATERIALIZED (SELECT ");
	for (i = 0; fs->cols[i].name; i++) {
		fprintf(f, "%s", i ? ", " : "");
		insert_expr(f, &fs->cols[i]);
		fprintf(f, " AS \"%s\"", fs->cols[i].name);
	}
	if (guarded_rows(f, fs) < 0)
		return -1;
	fprintf(f, "), ");
	fprintf(f, "u AS (UPDATE cruscotto.%s AS t SET ", fs->table);
	set_values(f, fs, "n.");
	fprintf(f, "batch_id = $1::bigint FROM n WHERE ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "t.\"%s\" = n.\"%s\" AND ", fs->key[j], fs->key[j]);
	changed(f, fs, "n.");
	fprintf(f, " RETURNING 1), i AS (INSERT INTO cruscotto.%s (", fs->table);
	columns(f, fs, "", 0);
	fprintf(f, ", batch_id) SELECT ");
	columns(f, fs, "n.", 0);
	fprintf(f, ", $1::bigint FROM n WHERE NOT EXISTS (SELECT 1 FROM cruscotto.%s x WHERE ",
		fs->table);
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%sx.\"%s\" = n.\"%s\"", j ? " AND " : "", fs->key[j], fs->key[j]);
	fprintf(f, ") RETURNING 1) SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM u)");
	return 0;
}

/* For an upserted file: a row whose key an earlier row of the file holds.
 * ON CONFLICT refuses a key met twice only when the first row changed
 * something, so a repeated key is looked for first. */
static int write_repeat(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int j;

	(void)h;
	fprintf(f, "SELECT 1 FROM pg_temp.import_stage s WHERE ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%ss.\"%s\" <> ''", j ? " AND " : "", fs->key[j]);
	fprintf(f, " GROUP BY ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%ss.\"%s\"", j ? ", " : "", fs->key[j]);
	fprintf(f, " HAVING count(*) > 1 LIMIT 1");
	return 0;
}

/* Refuses a file identical to one already imported, unless it holds no
 * record: a header-only file means "nothing new" and is the same every
 * quarter, so refusing it would make an unchanged empty file an error. */
static int check_identical(db *c, const char *name, const char *hex)
{
	const char *params[1] = {hex};
	rows *r = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT b.id, date_trunc('second', b.imported_at)::text FROM "
		     "cruscotto.batch_file f JOIN cruscotto.batch b ON b.id = f.batch_id WHERE "
		     "f.sha256 = $1::text AND f.data_rows > 0 ORDER BY b.id LIMIT 1",
		     1, params, &r);
	if (rc)
		goto out;
	if (r->nrows)
		rc = err_set(
			ERR_FAIL,
			"%s: identical to the file imported in batch %s (%s): nothing imported",
			name, rows_get(r, 0, 0), rows_get(r, 0, 1));
out:
	rows_free(r);
	return rc;
}

/* Appends of fewer rows keep their indexes: rebuilding costs more than a
 * few row-by-row updates. */
#define REBUILD_MIN 1000

/* Runs `pre` 'cruscotto.TABLE' `post` for the file's table, the name bound. */
static int table_call(db *c, const struct file_spec *fs, const char *pre, const char *post)
{
	char sql[128], table[64];
	const char *params[1] = {table};
	rows *r = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "%s$1::regclass%s", pre, post);
	snprintf(table, sizeof(table), "cruscotto.%s", fs->table);
	rc = imp_file_exec(c, fs->name, sql, 1, params, &r);
	rows_free(r);
	return rc;
}

/* Whether writing `nrows` rows to the file's table should rebuild its
 * indexes: when the table holds fewer rows than that (counted no further)
 * and no foreign key refers to it (a key it needs could not be dropped). */
static int rebuild_wanted(db *c, const struct file_spec *fs, long long nrows, int *out)
{
	char sql[320], n[24];
	const char *params[1] = {n};
	long long held = 0;
	rows *r = NULL;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT count(*), EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contype = 'f' AND "
		 "k.confrelid = 'cruscotto.%s'::regclass) FROM (SELECT 1 FROM cruscotto.%s LIMIT "
		 "$1::bigint) s",
		 fs->table, fs->table);
	snprintf(n, sizeof(n), "%lld", nrows);
	rc = imp_file_exec(c, fs->name, sql, 1, params, &r);
	if (rc == 0)
		rc = rows_get_long(r, 0, 0, &held);
	if (rc == 0)
		*out = held < nrows && strcmp(rows_get(r, 0, 1), "f") == 0;
	rows_free(r);
	return rc;
}

/* Before `nrows` rows are written to the file's table: drops its indexes,
 * and its own foreign keys, when they are better built and checked again
 * after the write (rebuild_wanted), and says so in *rebuild. */
static int indexes_drop(db *c, const struct file_spec *fs, long long nrows, int *rebuild)
{
	int want = 0, rc = 0;

	if (nrows >= REBUILD_MIN)
		rc = rebuild_wanted(c, fs, nrows, &want);
	if (rc == 0 && want)
		rc = table_call(c, fs, "SELECT cruscotto.import_indexes_drop(",
				"), cruscotto.import_fkeys_drop($1::regclass)");
	if (rc == 0)
		*rebuild = want;
	return rc;
}

/* Builds again the indexes indexes_drop dropped; the database's message is
 * left as it is, for the caller to tell a refused row from a failure. */
static int indexes_restore(db *c)
{
	rows *done = NULL;
	int rc = db_exec(c, "SELECT cruscotto.import_indexes_restore()", 0, NULL, &done);

	rows_free(done);
	return rc;
}

/* COPYs the file by the statement `w` writes: the rows loaded into *nrows,
 * and the physical line the server refused, if any, into *err_line. */
static int copy_file(db *c, const struct file_spec *fs, const struct header *h, imp_writer *w,
		     struct source *src, long *err_line, long long *nrows)
{
	char *sql = imp_sql(w, fs, h);
	int rc;

	if (!sql)
		return err_set(ERR_FAIL, "%s: out of memory", fs->name);
	rc = db_copy_in_rows(c, sql, imp_source_read, src, err_line, nrows);
	free(sql);
	return rc;
}

/* After the COPY of a file: its SHA-256 into hex, and the file refused when
 * it is identical to one imported before or when COPY read another number
 * of records than the strict pass counted (the header is a record too). */
static int copied(db *c, const struct file_spec *fs, struct source *src, long long nrows,
		  char hex[65])
{
	long records = src->records > 0 ? src->records - 1 : 0;
	int rc = imp_source_digest(src, hex);

	if (rc == 0)
		rc = check_identical(c, fs->name, hex);
	if (rc == 0 && nrows != records)
		rc = err_set(ERR_FAIL,
			     "%s: the file holds %ld records but PostgreSQL's COPY read %lld: "
			     "nothing imported",
			     fs->name, records, nrows);
	return rc;
}

/* Loads one file through staging: COPY into a staging table (with the RFC
 * 4180 check and the SHA-256 in the same pass), identical-file check, then
 * the INSERT, which holds the file to its rules as it stores it (a
 * savepoint undoes it when it refuses, and the first broken rule is then
 * looked for). Writes *res and the file's SHA-256 in hex on success. */
int imp_load_staged(db *c, const struct file_spec *fs, const struct header *h, struct source *src,
		    const char *batch, char hex[65], struct import_file *res)
{
	char *sql = NULL, msg[900];
	struct import_file fr;
	const char *params[1];
	long long nrows = 0, ins = 0, upd = 0;
	long err_line = 0;
	rows *r = NULL;
	int rc, rebuild = 0;

	memset(&fr, 0, sizeof(fr));
	rc = imp_file_exec_built(c, fs->name, imp_sql(imp_write_stage, fs, NULL), 0, NULL, NULL);
	if (rc)
		goto out;
	rc = copy_file(c, fs, h, imp_write_copy, src, &err_line, &nrows);
	if (rc && src->failed)
		goto out; /* the file's own error, already naming it */
	if (rc) {
		/* COPY's own message, at the physical line the server counted */
		snprintf(msg, sizeof(msg), "%s", err_last());
		if (err_line > 0)
			rc = err_set(rc, "%s:%ld: %s", fs->name, err_line, msg);
		else
			rc = err_set(rc, "%s: %s", fs->name, msg);
		goto out;
	}
	rc = copied(c, fs, src, nrows, hex);
	if (rc == 0)
		rc = imp_file_exec(c, fs->name, "SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	if (fs->upsert) {
		rc = imp_file_exec_built(c, fs->name, imp_sql(write_repeat, fs, NULL), 0, NULL, &r);
		if (rc)
			goto out;
		if (r->nrows) {
			rc = imp_first_error(c, fs, h, "a key is repeated");
			goto out;
		}
		rows_free(r);
		r = NULL;
	}
	/* a large load into a table that holds fewer rows: its indexes are
	 * built again after the INSERT rather than updated row by row */
	rc = indexes_drop(c, fs, nrows, &rebuild);
	if (rc)
		goto out;
	params[0] = batch;
	sql = imp_sql(fs->upsert && rebuild ? write_split_upsert : write_insert, fs, NULL);
	if (!sql) {
		rc = err_set(ERR_FAIL, "%s: out of memory", fs->name);
		goto out;
	}
	rc = db_exec(c, sql, 1, params, fs->upsert ? &r : NULL);
	if (rc == 0 && rebuild)
		rc = indexes_restore(c);
	if (rc == ERR_FAIL) {
		/* the rule broken is named from the records as they were staged */
		snprintf(msg, sizeof(msg), "%s", err_last());
		rc = db_exec(c, "ROLLBACK TO SAVEPOINT import_file", 0, NULL, NULL);
		rc = rc ? err_set(rc, "%s: %s", fs->name, msg) : imp_first_error(c, fs, h, msg);
		goto out;
	}
	if (rc) {
		rc = imp_file_error(fs->name, rc);
		goto out;
	}
	if (fs->upsert &&
	    ((rc = rows_get_long(r, 0, 0, &ins)) != 0 || (rc = rows_get_long(r, 0, 1, &upd)) != 0))
		goto out;
	if (!fs->upsert)
		ins = nrows;
	rc = imp_file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	snprintf(fr.name, sizeof(fr.name), "%s", fs->name);
	fr.data_rows = (long)nrows;
	fr.inserted = fs->upsert ? (long)ins : 0;
	fr.updated = fs->upsert ? (long)upd : 0;
	fr.appended = fs->upsert ? 0 : (long)ins;
	/* the next file's staging table takes the same name */
	rc = imp_file_exec(c, fs->name, "DROP TABLE pg_temp.import_stage", 0, NULL, NULL);
	if (rc)
		goto out;
	*res = fr;
out:
	free(sql);
	rows_free(r);
	return rc;
}

/* Whether a file may be COPYed straight into its table (imp_load_direct): one
 * whose values are stored as written, without a default for an empty field
 * or a CR LF to rewrite. Its rules over other tables (`extra`) are the
 * schema's too, which refuses such a COPY; staging then names them. An
 * upserted file is, when its table holds no row (imp_load_direct looks). */
int imp_direct_ok(const struct file_spec *fs)
{
	int i;

	for (i = 0; fs->cols[i].name; i++)
		if (fs->cols[i].def || fs->cols[i].lines)
			return 0;
	return 1;
}

/* COPY of the file straight into its table: the header's columns, an empty
 * field NULL quoted or not, batch_id taken from the import's setting (its
 * default, schema 010). */
static int write_direct(FILE *f, const struct file_spec *fs, const struct header *h)
{
	fprintf(f, "COPY cruscotto.%s (", fs->table);
	imp_header_columns(f, fs, h);
	fprintf(f, ") FROM STDIN (FORMAT csv, HEADER true, FORCE_NULL (");
	imp_header_columns(f, fs, h);
	fprintf(f, "))");
	return 0;
}

/* Undoes what a file did since its savepoint, and the savepoint. */
static int file_undo(db *c, const struct file_spec *fs)
{
	int rc = imp_file_exec(c, fs->name, "ROLLBACK TO SAVEPOINT import_file", 0, NULL, NULL);

	return rc ? rc : imp_file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
}

/* Whether the file's table holds no row, into *out. */
static int table_empty(db *c, const struct file_spec *fs, int *out)
{
	char sql[128];
	rows *r = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT NOT EXISTS (SELECT 1 FROM cruscotto.%s)", fs->table);
	rc = imp_file_exec(c, fs->name, sql, 0, NULL, &r);
	if (rc == 0)
		*out = strcmp(rows_get(r, 0, 0), "t") == 0;
	rows_free(r);
	return rc;
}

/* Readies the file's table for a COPY whose references in the columns `cols`
 * (an array literal) import checks itself (`trusted` "true"), or puts it back
 * ("false"): import_copy_trusted of schema 11. */
static int copy_trusted(db *c, const struct file_spec *fs, const char *cols, const char *trusted)
{
	char table[64];
	const char *params[3] = {table, cols, trusted};
	rows *r = NULL;
	int rc;

	snprintf(table, sizeof(table), "cruscotto.%s", fs->table);
	rc = imp_file_exec(c, fs->name,
			   "SELECT cruscotto.import_copy_trusted($1::regclass, $2::text[], "
			   "$3::boolean)",
			   3, params, &r);
	rows_free(r);
	return rc;
}

/* The references of a large file whose indexes are built again (the table
 * is the import's until it ends) are checked by import, as the values stream
 * by, against the parents' keys, read under a lock that keeps them until the
 * transaction ends; the table's statement triggers, which would check them
 * again over a copy of every row, are off for the COPY, and its batch_id
 * defaults to the batch as a constant (import_copy_trusted). Writes keys[] for
 * each header column that refers to a table, and the columns as an array
 * literal into cols. */
static int refs_take(db *c, const struct file_spec *fs, const struct header *h,
		     struct imp_keys keys[MAX_COLS], char *cols, size_t size)
{
	char parent[64];
	const char *params[1];
	size_t used = 0, j;
	int rc = 0, i;

	used += (size_t)snprintf(cols, size, "{");
	for (i = 0; i < h->ncols && rc == 0; i++) {
		const struct column *col = &fs->cols[h->col[i]];

		if (!col->ref)
			continue;
		used += (size_t)snprintf(cols + used, size - used, "%s%s", used > 1 ? "," : "",
					 col->name);
		snprintf(parent, sizeof(parent), "cruscotto.%s", col->ref);
		params[0] = parent;
		rc = imp_file_exec(c, fs->name,
				   "SELECT k FROM cruscotto.import_ref_keys($1::regclass) k", 1,
				   params, &keys[i].r);
		if (rc)
			break;
		keys[i].n = (size_t)keys[i].r->nrows;
		keys[i].v = malloc((keys[i].n ? keys[i].n : 1) * sizeof(*keys[i].v));
		if (!keys[i].v)
			return err_set(ERR_FAIL, "%s: out of memory", fs->name);
		for (j = 0; j < keys[i].n; j++)
			keys[i].v[j] = rows_get(keys[i].r, (int)j, 0);
	}
	snprintf(cols + used, size - used, "}");
	if (rc)
		return rc;
	return copy_trusted(c, fs, cols, "true");
}

/* The table as it was before refs_take, for later writes. */
static int refs_give(db *c, const struct file_spec *fs, const char *cols)
{
	return copy_trusted(c, fs, cols, "false");
}

/* Loads a file (imp_direct_ok, a regular file of `size` bytes: a fact file, or
 * an upserted file into a table that holds no row) by one COPY straight
 * into its table, the fastest PostgreSQL stores rows: the values'
 * forms are checked here as they stream by (form_ok), and so are the
 * references of a file large enough to rebuild the table's indexes
 * (refs_take); every other rule is the table's (a cast, a constraint, a
 * trigger, the primary key). Returns 0 with *res and the file's SHA-256 in
 * hex when the file is stored, 1 when it must go through staging (an
 * upserted file into a table that holds rows, or a value or the database
 * refused it, all undone: staging names the first broken rule), else an
 * error: the file's own (RFC 4180, read) or the database's. */
int imp_load_direct(db *c, const struct file_spec *fs, const struct header *h, struct source *src,
		    long long size, char hex[65], struct import_file *res)
{
	long long nrows = 0, est = imp_rows_estimate(src, size);
	struct imp_keys keys[MAX_COLS];
	char cols[MAX_COLS * 72];
	long err_line = 0;
	int rc, i, rebuild = 0, empty = 0;

	memset(keys, 0, sizeof(keys));
	/* an upsert into a table that holds no row inserts every row: the
	 * same as a COPY, whose repeated key the primary key refuses */
	if (fs->upsert) {
		rc = table_empty(c, fs, &empty);
		if (rc || !empty)
			return rc ? rc : 1;
	}
	for (i = 0; i < h->ncols; i++)
		src->form[i] = fs->cols[h->col[i]].type;
	src->nform = h->ncols;
	rc = imp_file_exec(c, fs->name, "SAVEPOINT import_file", 0, NULL, NULL);
	if (rc == 0)
		rc = indexes_drop(c, fs, est, &rebuild);
	if (rc == 0 && rebuild)
		rc = refs_take(c, fs, h, keys, cols, sizeof(cols));
	if (rc)
		goto out;
	for (i = 0; i < h->ncols; i++)
		src->keys[i] = keys[i].v ? &keys[i] : NULL;
	rc = copy_file(c, fs, h, write_direct, src, &err_line, &nrows);
	if (rc && src->failed)
		goto out; /* the file's own error, already naming it */
	if (rc == 0 && rebuild)
		rc = refs_give(c, fs, cols);
	if (rc == 0 && rebuild)
		rc = indexes_restore(c);
	if (rc == ERR_FAIL || (rc && src->refused)) {
		rc = file_undo(c, fs);
		rc = rc ? rc : 1;
		goto out;
	}
	if (rc) {
		rc = imp_file_error(fs->name, rc);
		goto out;
	}
	rc = copied(c, fs, src, nrows, hex);
	if (rc == 0)
		rc = imp_file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	memset(res, 0, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", fs->name);
	res->data_rows = (long)nrows;
	if (fs->upsert)
		res->inserted = (long)nrows;
	else
		res->appended = (long)nrows;
out:
	for (i = 0; i < MAX_COLS; i++) {
		src->keys[i] = NULL;
		rows_free(keys[i].r);
		free(keys[i].v);
	}
	return rc;
}

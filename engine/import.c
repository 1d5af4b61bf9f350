/* import: a folder of CSV files (the interchange format of docs/IMPORT.md) into the
 * database, all or nothing.
 *
 * Each file is read once, in one pass that checks it as strict RFC 4180
 * (libcsv), hashes it and streams it by COPY into a staging table of text
 * columns. One INSERT per file then stores it and holds it to its rules at
 * once: the forms the casts would accept are refused by a guard in that
 * statement, every other rule by the schema's constraints and triggers. Only
 * when the INSERT fails is the file searched, with one query, for its first
 * broken rule. A fact file, or an entity file into a table with no row,
 * skips the staging table: one COPY streams it straight into its table, its
 * values' forms (and a large file's references) checked on the way, and
 * only when that is refused is it read again through staging
 * (imp_load_direct).
 * The only part of a file read before COPY is its header line, which
 * decides the COPY column list and so must be checked against the known
 * columns before any of it reaches SQL text (import_csv.c). */
#include "import.h"
#include "import_int.h"

#include "err.h"
#include "schema.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rolls back and keeps the message of the failure that made us roll back
 * (db_rollback would overwrite it, and err_set cannot take err_last() as its
 * own argument). */
static int fail(db *c, int rc)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", err_last());
	db_rollback(c);
	return err_set(rc, "%s", msg);
}

int imp_file_error(const char *name, int rc)
{
	char msg[900];

	snprintf(msg, sizeof(msg), "%s", err_last());
	return err_set(rc, "%s: %s", name, msg);
}

/* A failure here is not a rule of the file broken (those are checked
 * first) but the database refusing, so the message names the file. */
int imp_file_exec(db *c, const char *name, const char *sql, int nparams, const char *const *params,
		  rows **out)
{
	int rc;

	if (!sql)
		return err_set(ERR_FAIL, "%s: out of memory", name);
	rc = db_exec(c, sql, nparams, params, out);
	return rc ? imp_file_error(name, rc) : 0;
}

/* imp_file_exec for a statement of imp_sql, which it frees. */
int imp_file_exec_built(db *c, const char *name, char *sql, int nparams, const char *const *params,
			rows **out)
{
	int rc = imp_file_exec(c, name, sql, nparams, params, out);

	free(sql);
	return rc;
}

/* Records the file in batch_file with its counts. */
static int record_file(db *c, const struct file_spec *fs, const char *batch, const char *hex,
		       const struct import_file *res)
{
	char n[4][24];
	const char *params[7] = {batch, fs->name, hex, n[0], n[1], n[2], n[3]};

	snprintf(n[0], sizeof(n[0]), "%ld", res->data_rows);
	snprintf(n[1], sizeof(n[1]), "%ld", res->inserted);
	snprintf(n[2], sizeof(n[2]), "%ld", res->updated);
	snprintf(n[3], sizeof(n[3]), "%ld", res->appended);
	return imp_file_exec(
		c, fs->name,
		"INSERT INTO cruscotto.batch_file (batch_id, file, sha256, data_rows, "
		"rows_inserted, rows_updated, rows_appended) VALUES ($1::bigint, $2::text, "
		"$3::text, $4::integer, $5::integer, $6::integer, $7::integer)",
		7, params, NULL);
}

/* Loads one file: its header, then the file by imp_load_direct when it can
 * (read again through staging when that refuses it) or by imp_load_staged, and
 * its batch_file row. Writes *res on success. */
static int load_file(db *c, const char *dir, const char *path, const struct file_spec *fs,
		     const char *batch, struct import_file *res)
{
	char hex[65];
	struct import_file fr;
	struct header h = {0};
	struct source src = {.fd = -1};
	struct stat st;
	int rc, staged = 1;

	memset(&fr, 0, sizeof(fr));
	rc = imp_source_open(&src, dir, path, fs->name);
	if (rc == 0)
		rc = imp_read_header(&src, fs, &h);
	if (rc)
		goto out;
	/* a regular file only: a pipe cannot be read a second time */
	if (imp_direct_ok(fs) && fstat(src.fd, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = imp_load_direct(c, fs, &h, &src, (long long)st.st_size, hex, &fr);
		staged = rc == 1;
		if (staged) {
			imp_source_close(&src);
			rc = imp_source_open(&src, dir, path, fs->name);
			if (rc == 0)
				rc = imp_read_header(&src, fs, &h);
		}
		if (rc)
			goto out;
	}
	if (staged)
		rc = imp_load_staged(c, fs, &h, &src, batch, hex, &fr);
	if (rc == 0)
		rc = record_file(c, fs, batch, hex, &fr);
	if (rc == 0)
		*res = fr;
out:
	imp_source_close(&src);
	return rc;
}

/* Keeps the `size` smallest names seen, sorted (readdir's order is the
 * file system's). */
static void keep_ignored(struct import_summary *sum, const char *name)
{
	const int size = (int)(sizeof(sum->ignored) / sizeof(sum->ignored[0]));
	int n = sum->nignored < size ? sum->nignored : size, i;

	sum->nignored++;
	for (i = n; i > 0 && strcmp(sum->ignored[i - 1], name) > 0; i--)
		if (i < size)
			memcpy(sum->ignored[i], sum->ignored[i - 1], sizeof(sum->ignored[i]));
	if (i < size)
		snprintf(sum->ignored[i], sizeof(sum->ignored[i]), "%.*s",
			 (int)sizeof(sum->ignored[i]) - 1, name);
}

/* Which known files the folder holds, and the names of the others (hidden
 * entries aside). */
static int scan_dir(const char *dir, int present[IMP_NSPECS], struct import_summary *sum)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int i, any = 0;

	if (!d)
		return err_set(ERR_FAIL, "cannot open folder %s: %s", dir, strerror(errno));
	for (i = 0; i < IMP_NSPECS; i++)
		present[i] = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < IMP_NSPECS && strcmp(e->d_name, imp_specs[i].name) != 0; i++)
			;
		if (i < IMP_NSPECS)
			present[i] = any = 1;
		else
			keep_ignored(sum, e->d_name);
	}
	closedir(d);
	if (!any)
		return err_set(ERR_FAIL,
			       "%s holds none of the interchange files (policies.csv, "
			       "agreements.csv, ...: see docs/IMPORT.md)",
			       dir);
	return 0;
}

static void progress(FILE *f, const char *name, int tty)
{
	if (!f)
		return;
	if (tty)
		fprintf(f, "\rloading %s ...\033[K", name);
	else
		fprintf(f, "loading %s ...\n", name);
	fflush(f);
}

/* What maintaining a table costs beside its rows, in rows: at 10,000
 * agreements a small table's VACUUM (ANALYZE) takes about as long as 200,000
 * rows of a large one. */
#define TABLE_COST 200000

/* One connection's share of the maintenance: its tables, their rows, and
 * its statement. */
struct share {
	db *c;
	int ntables;
	long long rows;
	char sql[640];
};

static void *share_run(void *arg)
{
	struct share *sh = arg;

	if (sh->ntables)
		(void)db_exec(sh->c, sh->sql, 0, NULL, NULL);
	return NULL;
}

/* A table written, and its rows. */
struct written {
	const char *table;
	long rows;
};

/* Most rows first. */
static int by_rows_desc(const void *a, const void *b)
{
	const struct written *x = a, *y = b;

	return (x->rows < y->rows) - (x->rows > y->rows);
}

/* After the commit, each table written is vacuumed and analysed
 * (VACUUM (ANALYZE)):
 * - the rows' commit is written into their pages in one pass per table (hint
 *   bits, visibility map), rather than by the next report's reads, which
 *   would dirty every page they touch: at 10,000 agreements, half a second
 *   here saves more than a second of that report;
 * - fresh statistics plan the next report's queries for the data just
 *   loaded; taken after the commit, they count the batch's rows, so
 *   autovacuum does not analyse the tables all over again a minute later.
 * Both only save later work: whatever they do, the batch stays committed,
 * and autovacuum does the same later when they fail or a table is locked
 * (SKIP_LOCKED). The tables are shared between this connection and a second
 * one, the largest first, each to the share with less work, so that both
 * cores work; one connection does it all when no second can be opened. */
static void maintain(db *c, const int *present, const struct import_summary *sum)
{
	struct share sh[2] = {{c, 0, 0, ""}, {NULL, 0, 0, ""}};
	struct written w[IMP_NSPECS];
	int i, n = 0, started = 0;
	pthread_t thread;

	/* sum->files[n] is the n-th present file, in spec order */
	for (i = 0; i < IMP_NSPECS; i++)
		if (present[i]) {
			w[n].table = imp_specs[i].table;
			w[n].rows = sum->files[n].data_rows;
			n++;
		}
	qsort(w, (size_t)n, sizeof(w[0]), by_rows_desc);
	for (i = 0; i < 2; i++)
		snprintf(sh[i].sql, sizeof(sh[i].sql), "VACUUM (SKIP_LOCKED, ANALYZE)");
	for (i = 0; i < n; i++) {
		struct share *to = &sh[sh[1].rows < sh[0].rows];
		size_t len = strlen(to->sql);

		/* 19 names of at most 16 characters: the statement fits */
		snprintf(to->sql + len, sizeof(to->sql) - len, "%s cruscotto.%s",
			 to->ntables ? "," : "", w[i].table);
		to->ntables++;
		to->rows += w[i].rows + TABLE_COST;
	}
	if (sh[1].ntables && db_connect_again(c, &sh[1].c) == 0)
		started = pthread_create(&thread, NULL, share_run, &sh[1]) == 0;
	share_run(&sh[0]);
	if (started) {
		pthread_join(thread, NULL);
	} else if (sh[1].ntables) {
		db_close(sh[1].c);
		sh[1].c = c;
		share_run(&sh[1]);
		sh[1].c = NULL;
	}
	db_close(sh[1].c);
	err_clear();
}

int import_run(db *c, const char *dir, const struct import_options *opt, struct import_summary *out)
{
	static const struct import_options defaults = {0};
	struct import_summary sum;
	char path[PATH_MAX], batch[24] = "", *source = NULL;
	const char *params[1];
	int present[IMP_NSPECS], i, rc, tty, open = 0;
	rows *r = NULL;
	FILE *prog;

	if (!opt)
		opt = &defaults;
	prog = opt->progress;
	tty = prog && isatty(fileno(prog));
	memset(&sum, 0, sizeof(sum));
	rc = scan_dir(dir, present, &sum);
	if (rc)
		goto out;
	/* the checks rely on the schema's helper functions and triggers */
	rc = schema_check(c);
	if (rc)
		goto out;
	source = realpath(dir, NULL);
	rc = db_begin(c);
	if (rc)
		goto out;
	open = 1;
	/* one import at a time: the identical-file check must see the batches
	 * of an import running alongside */
	rc = db_exec(c, "SELECT pg_advisory_xact_lock(hashtext('cruscotto.import'))", 0, NULL, &r);
	if (rc)
		goto out;
	rows_free(r);
	r = NULL;
	params[0] = source ? source : dir;
	rc = db_exec(c, "INSERT INTO cruscotto.batch (source) VALUES ($1::text) RETURNING id", 1,
		     params, &r);
	if (rc)
		goto out;
	snprintf(batch, sizeof(batch), "%s", rows_get(r, 0, 0));
	rows_free(r);
	r = NULL;
	/* read by the history trigger, for this transaction only */
	params[0] = batch;
	rc = db_exec(c, "SELECT set_config('cruscotto.batch_id', $1::text, true)", 1, params, &r);
	if (rc)
		goto out;
	for (i = 0; i < IMP_NSPECS; i++) {
		if (!present[i])
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, imp_specs[i].name) >=
		    sizeof(path)) {
			rc = err_set(ERR_FAIL, "%s: path too long", imp_specs[i].name);
			goto out;
		}
		progress(prog, imp_specs[i].name, tty);
		rc = load_file(c, dir, path, &imp_specs[i], batch, &sum.files[sum.nfiles]);
		if (rc)
			goto out;
		sum.nfiles++;
	}
	open = 0;
	rc = opt->dry_run ? db_rollback(c) : db_commit(c);
	if (rc)
		goto out;
	if (!opt->dry_run)
		maintain(c, present, &sum);
	sum.batch_id = opt->dry_run ? 0 : atol(batch);
	*out = sum;
out:
	if (tty)
		fprintf(prog, "\r\033[K");
	if (rc && open)
		rc = fail(c, rc);
	rows_free(r);
	free(source);
	return rc;
}

#include "db.h"

#include "err.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db {
	PGconn *conn;
	char describe[512];
	char sqlstate[6];
};

/* The session settings every connection runs with, so that numbers and dates
 * come back in one text form whatever the server's configuration. */
static const char *const session_sql =
	"SET search_path = cruscotto, pg_catalog; SET DateStyle = ISO; "
	"SET extra_float_digits = 3; SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; "
	"SET IntervalStyle = iso_8601; SET client_min_messages = warning";

/* The first line of a libpq message, without the trailing newline. */
static void first_line(const char *msg, char *buf, size_t size)
{
	size_t n = strcspn(msg ? msg : "", "\n");

	if (n >= size)
		n = size - 1;
	memcpy(buf, msg ? msg : "", n);
	buf[n] = '\0';
}

/* Checks a result against the expected status; on failure sets the message,
 * remembers the SQLSTATE and returns ERR_DB (connection lost) or ERR_FAIL. */
static int check_result(db *c, PGresult *res, ExecStatusType expected)
{
	char line[900];
	const char *state;

	if (res && PQresultStatus(res) == expected)
		return 0;
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
	if (res && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY))
		first_line(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), line, sizeof(line));
	else
		first_line(PQerrorMessage(c->conn), line, sizeof(line));
	if (PQstatus(c->conn) == CONNECTION_BAD || (state && strncmp(state, "08", 2) == 0) ||
	    (state && strncmp(state, "57P", 3) == 0))
		return err_set(ERR_DB, "database connection lost: %s", line);
	if (!line[0] && res)
		snprintf(line, sizeof(line), "unexpected result %s",
			 PQresStatus(PQresultStatus(res)));
	return err_set(ERR_FAIL, "%s", line);
}

/* The server's notices and warnings (a VACUUM skipping a locked table, say)
 * are not ours to print: what matters reaches us as an error or a result. */
static void notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Applies the session settings to a new connection and fills its
 * description; sets the message on failure. */
static int setup(db *c)
{
	PGresult *res;
	char line[900];
	int rc;

	if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
		first_line(c->conn ? PQerrorMessage(c->conn) : "out of memory", line, sizeof(line));
		return err_set(ERR_DB, "cannot connect to the database: %s", line);
	}
	PQsetNoticeProcessor(c->conn, notice_ignore, NULL);
	res = PQexec(c->conn, session_sql);
	rc = check_result(c, res, PGRES_COMMAND_OK);
	PQclear(res);
	if (rc)
		return rc;
	snprintf(c->describe, sizeof(c->describe), "database %s on %s:%s as %s", PQdb(c->conn),
		 PQhost(c->conn) ? PQhost(c->conn) : "localhost", PQport(c->conn), PQuser(c->conn));
	return 0;
}

int db_connect(const char *conninfo, db **out)
{
	db *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return err_set(ERR_FAIL, "out of memory");
	c->conn = PQconnectdb(conninfo ? conninfo : "");
	rc = setup(c);
	if (rc) {
		db_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int db_connect_again(db *c, db **out)
{
	PQconninfoOption *opts = PQconninfo(c->conn), *o;
	const char **keys = NULL, **values = NULL;
	db *c2 = NULL;
	size_t n = 0;
	int rc;

	for (o = opts; o && o->keyword; o++)
		n++;
	keys = calloc(n + 1, sizeof(*keys));
	values = calloc(n + 1, sizeof(*values));
	c2 = calloc(1, sizeof(*c2));
	if (!opts || !keys || !values || !c2) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	n = 0;
	for (o = opts; o->keyword; o++)
		if (o->val) {
			keys[n] = o->keyword;
			values[n++] = o->val;
		}
	c2->conn = PQconnectdbParams(keys, values, 0);
	rc = setup(c2);
	if (rc)
		goto out;
	*out = c2;
	c2 = NULL;
out:
	db_close(c2);
	free(keys);
	free(values);
	PQconninfoFree(opts);
	return rc;
}

void db_close(db *c)
{
	if (!c)
		return;
	PQfinish(c->conn);
	free(c);
}

const char *db_describe(db *c)
{
	return c->describe;
}

const char *db_last_sqlstate(db *c)
{
	return c->sqlstate;
}

/* Copies a PGresult into plain rows. */
static int copy_rows(PGresult *res, rows **out)
{
	int nrows = PQntuples(res), ncols = PQnfields(res), i, j, rc;
	const char **names = calloc(ncols ? ncols : 1, sizeof(char *));
	rows *r = NULL;
	size_t bytes = 0;

	if (!names)
		return err_set(ERR_FAIL, "out of memory");
	for (j = 0; j < ncols; j++)
		names[j] = PQfname(res, j);
	/* one block for all the text */
	for (i = 0; i < nrows; i++)
		for (j = 0; j < ncols; j++)
			if (!PQgetisnull(res, i, j))
				bytes += (size_t)PQgetlength(res, i, j) + 1;
	rc = rows_new(nrows, ncols, names, &r);
	if (rc == 0)
		rc = rows_reserve(r, bytes);
	for (i = 0; rc == 0 && i < nrows; i++)
		for (j = 0; rc == 0 && j < ncols; j++)
			rc = rows_set(r, i, j,
				      PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j));
	free(names);
	if (rc) {
		rows_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int db_exec(db *c, const char *sql, int nparams, const char *const *params, rows **out)
{
	PGresult *res = PQexecParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	int rc = check_result(c, res, out ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);

	if (rc == 0 && out)
		rc = copy_rows(res, out);
	PQclear(res);
	return rc;
}

/* The rows of a part being received: their text one after the other and,
 * per cell, its offset into it or -1 for SQL null. */
struct part {
	char *text;
	size_t used, size;
	long *at;
	int nrows;
};

/* Appends row 0 of a single-row result to the part. */
static int part_add(struct part *p, PGresult *res, int ncols)
{
	int j;

	for (j = 0; j < ncols; j++) {
		size_t n = (size_t)PQgetlength(res, 0, j) + 1;
		long *cell = &p->at[(size_t)p->nrows * ncols + j];

		if (PQgetisnull(res, 0, j)) {
			*cell = -1;
			continue;
		}
		if (p->size - p->used < n) {
			size_t size = p->size ? p->size : 4096;
			char *text;

			while (size - p->used < n)
				size *= 2;
			text = realloc(p->text, size);
			if (!text)
				return err_set(ERR_FAIL, "out of memory");
			p->text = text;
			p->size = size;
		}
		memcpy(p->text + p->used, PQgetvalue(res, 0, j), n);
		*cell = (long)p->used;
		p->used += n;
	}
	p->nrows++;
	return 0;
}

/* Makes rows of the part (columns named as in `res`), hands them to `take`
 * and empties the part. */
static int part_flush(struct part *p, PGresult *res, int (*take)(void *ctx, rows *part), void *ctx)
{
	int ncols = PQnfields(res), i, j, rc;
	const char **names = calloc(ncols ? ncols : 1, sizeof(char *));
	rows *r = NULL;

	if (!names)
		return err_set(ERR_FAIL, "out of memory");
	for (j = 0; j < ncols; j++)
		names[j] = PQfname(res, j);
	rc = rows_new(p->nrows, ncols, names, &r);
	free(names);
	if (rc == 0)
		rc = rows_reserve(r, p->used);
	for (i = 0; rc == 0 && i < p->nrows; i++)
		for (j = 0; rc == 0 && j < ncols; j++) {
			long at = p->at[(size_t)i * ncols + j];

			rc = rows_set(r, i, j, at < 0 ? NULL : p->text + at);
		}
	p->nrows = 0;
	p->used = 0;
	if (rc) {
		rows_free(r);
		return rc;
	}
	return take(ctx, r);
}

int db_exec_parts(db *c, const char *sql, int nparams, const char *const *params, int part_rows,
		  int (*take)(void *ctx, rows *part), void *ctx)
{
	struct part p = {0};
	PGresult *res;
	int rc = 0, ncols = -1, ended = 0;

	if (part_rows < 1)
		part_rows = 1;
	if (!PQsendQueryParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c->conn))
		return check_result(c, NULL, PGRES_TUPLES_OK);
	/* every result is read, also after a failure, so that the connection is
	 * ready for the next statement */
	while ((res = PQgetResult(c->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (rc == 0 && st == PGRES_SINGLE_TUPLE) {
			if (ncols < 0) {
				ncols = PQnfields(res);
				p.at = malloc((size_t)part_rows * (ncols ? ncols : 1) *
					      sizeof(*p.at));
				if (!p.at)
					rc = err_set(ERR_FAIL, "out of memory");
			}
			if (rc == 0)
				rc = part_add(&p, res, ncols);
			if (rc == 0 && p.nrows == part_rows)
				rc = part_flush(&p, res, take, ctx);
		} else if (rc == 0 && st == PGRES_TUPLES_OK) {
			/* the end: the last part, empty when the rows came in
			 * whole parts, so that the taker always sees the end */
			rc = part_flush(&p, res, take, ctx);
			ended = 1;
		} else if (rc == 0) {
			rc = check_result(c, res, PGRES_TUPLES_OK);
		}
		PQclear(res);
	}
	if (rc == 0 && !ended)
		rc = check_result(c, NULL, PGRES_TUPLES_OK);
	free(p.text);
	free(p.at);
	return rc;
}

int db_exec_script(db *c, const char *sql)
{
	PGresult *res = PQexec(c->conn, sql);
	int rc = check_result(c, res, PGRES_COMMAND_OK);

	if (rc == 0 || !res)
		goto out;
	/* a migration's failing statement is easier to find with its position */
	if (PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION))
		rc = err_set(rc, "%s (at character %s)", err_last(),
			     PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION));
out:
	PQclear(res);
	return rc;
}

/* The line number in a COPY error's context ("COPY t, line 14: ..."). */
static long copy_error_line(PGresult *res)
{
	const char *ctx = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;
	const char *p = ctx ? strstr(ctx, ", line ") : NULL;

	return p ? strtol(p + 7, NULL, 10) : 0;
}

int db_copy_in(db *c, const char *copy_sql, db_copy_source src, void *arg, long *err_line)
{
	long long nrows;

	return db_copy_in_rows(c, copy_sql, src, arg, err_line, &nrows);
}

int db_copy_in_rows(db *c, const char *copy_sql, db_copy_source src, void *arg, long *err_line,
		    long long *nrows)
{
	PGresult *res = NULL;
	char buf[65536];
	long n = 0;
	int rc;

	*err_line = 0;
	res = PQexecParams(c->conn, copy_sql, 0, NULL, NULL, NULL, NULL, 0);
	rc = check_result(c, res, PGRES_COPY_IN);
	if (rc)
		goto out;
	while ((n = src(arg, buf, sizeof(buf))) > 0)
		if (PQputCopyData(c->conn, buf, (int)n) != 1)
			break;
	if (n < 0) {
		rc = (int)n;
		PQputCopyEnd(c->conn, "the input was refused");
	} else if (PQputCopyEnd(c->conn, NULL) != 1) {
		rc = check_result(c, NULL, PGRES_COMMAND_OK);
	}
	PQclear(res);
	res = NULL;
	/* the final result carries the server's verdict on the whole stream */
	while ((res = PQgetResult(c->conn)) != NULL) {
		if (rc == 0) {
			rc = check_result(c, res, PGRES_COMMAND_OK);
			if (rc)
				*err_line = copy_error_line(res);
			else
				*nrows = strtoll(PQcmdTuples(res), NULL, 10);
		}
		PQclear(res);
	}
out:
	PQclear(res);
	return rc;
}

int db_begin(db *c)
{
	return db_exec(c, "BEGIN", 0, NULL, NULL);
}

int db_begin_snapshot(db *c)
{
	return db_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL);
}

int db_export_snapshot(db *c, char *id, size_t size)
{
	rows *r = NULL;
	int rc = db_exec(c, "SELECT pg_export_snapshot() AS id", 0, NULL, &r);
	const char *v = rc == 0 ? rows_get(r, 0, 0) : NULL;

	if (rc == 0 && (!v || strlen(v) >= size))
		rc = err_set(ERR_FAIL, "pg_export_snapshot returned no usable id");
	if (rc == 0)
		snprintf(id, size, "%s", v);
	rows_free(r);
	return rc;
}

int db_begin_snapshot_of(db *c, const char *id)
{
	char sql[160];
	int rc;

	/* SET TRANSACTION SNAPSHOT takes a literal, not a parameter: the id is
	 * one the server exported (hex digits and dashes), checked before it is
	 * put into the statement */
	if (!id[0] || strspn(id, "0123456789ABCDEFabcdef-") != strlen(id) || strlen(id) > 64)
		return err_set(ERR_FAIL, "not a snapshot id: %s", id);
	rc = db_begin_snapshot(c);
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "SET TRANSACTION SNAPSHOT '%s'", id);
	rc = db_exec(c, sql, 0, NULL, NULL);
	if (rc)
		db_rollback(c);
	return rc;
}

int db_commit(db *c)
{
	return db_exec(c, "COMMIT", 0, NULL, NULL);
}

int db_begin_snapshot_at(db *c, int *open)
{
	int rc = db_begin_snapshot(c);

	if (rc == 0)
		*open = 1;
	return rc;
}

int db_exec_long(db *c, const char *sql, long long *out)
{
	rows *r = NULL;
	int rc = db_exec(c, sql, 0, NULL, &r);

	if (rc == 0)
		rc = rows_get_long(r, 0, 0, out);
	rows_free(r);
	return rc;
}

int db_commit_if(db *c, int rc, int *open)
{
	if (rc)
		return rc;
	*open = 0;
	return db_commit(c);
}

int db_rollback(db *c)
{
	/* called on failure paths: it must not replace the message of the
	 * failure that made the caller roll back */
	PGresult *res = PQexec(c->conn, "ROLLBACK");
	int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : ERR_DB;
}

int db_exec_binary(db *c, const char *sql, int nparams, const char *const *values,
		   const int *lengths, rows **out)
{
	int *formats = calloc(nparams ? (size_t)nparams : 1, sizeof(int));
	int *lens = calloc(nparams ? (size_t)nparams : 1, sizeof(int));
	PGresult *res = NULL;
	int rc, i;

	if (!formats || !lens) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < nparams; i++) {
		formats[i] = lengths[i] >= 0;
		lens[i] = lengths[i] >= 0 ? lengths[i] : 0;
	}
	res = PQexecParams(c->conn, sql, nparams, NULL, values, lens, formats, 0);
	rc = check_result(c, res, out ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);
	if (rc == 0 && out)
		rc = copy_rows(res, out);
out:
	PQclear(res);
	free(formats);
	free(lens);
	return rc;
}

int db_decode_bytea(const char *text, unsigned char **data, size_t *len)
{
	unsigned char *raw, *copy;
	size_t n = 0;

	/* both text forms (hex, and escape under bytea_output = escape) */
	raw = PQunescapeBytea((const unsigned char *)text, &n);
	if (!raw)
		return err_set(ERR_FAIL, "out of memory or malformed bytea value");
	/* PQfreemem memory stays inside db.c: callers free with free() */
	copy = malloc(n ? n : 1);
	if (copy && n)
		memcpy(copy, raw, n);
	PQfreemem(raw);
	if (!copy)
		return err_set(ERR_FAIL, "out of memory");
	*data = copy;
	*len = n;
	return 0;
}

int db_listen(db *c, const char *channel)
{
	char *id = PQescapeIdentifier(c->conn, channel, strlen(channel));
	char *sql = NULL;
	PGresult *res;
	int rc;

	if (!id)
		return err_set(ERR_FAIL, "cannot quote the channel %s", channel);
	sql = malloc(strlen(id) + 8);
	if (!sql) {
		PQfreemem(id);
		return err_set(ERR_FAIL, "out of memory");
	}
	sprintf(sql, "LISTEN %s", id);
	PQfreemem(id);
	res = PQexec(c->conn, sql);
	free(sql);
	rc = check_result(c, res, PGRES_COMMAND_OK);
	PQclear(res);
	return rc;
}

/* Takes every notification libpq has read; returns how many. */
static int drain_notifies(db *c)
{
	PGnotify *n;
	int count = 0;

	while ((n = PQnotifies(c->conn)) != NULL) {
		count++;
		PQfreemem(n);
	}
	return count;
}

int db_wait_notify(db *c, int timeout_ms, int *notified)
{
	struct pollfd p;
	int count, ready;
	char line[900];

	/* some may have come in with the last result */
	count = drain_notifies(c);
	if (count == 0) {
		p.fd = PQsocket(c->conn);
		p.events = POLLIN;
		p.revents = 0;
		if (p.fd < 0)
			return err_set(ERR_DB, "database connection lost: no socket");
		ready = poll(&p, 1, timeout_ms);
		if (ready < 0 && errno != EINTR)
			return err_set(ERR_DB, "database connection lost: poll: %s",
				       strerror(errno));
		if (ready > 0) {
			if (!PQconsumeInput(c->conn) || PQstatus(c->conn) == CONNECTION_BAD) {
				first_line(PQerrorMessage(c->conn), line, sizeof(line));
				return err_set(ERR_DB, "database connection lost: %s", line);
			}
			count = drain_notifies(c);
		}
	}
	*notified = count;
	return 0;
}

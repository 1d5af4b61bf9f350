/* db: every libpq call of cruscotto lives here.
 *
 * Callers hand in SQL text with $n placeholders and bound parameters (never
 * values pasted into SQL) and get results back as plain `rows`. */
#ifndef CR_DB_H
#define CR_DB_H

#include "rows.h"

typedef struct db db;

/* Opens a connection. `conninfo` is a libpq connection string or URI; NULL or
 * "" means libpq's environment (PGHOST, PGDATABASE, PGSERVICE, ...). Applies
 * the fixed session settings: search_path cruscotto, DateStyle ISO,
 * extra_float_digits 3, TimeZone UTC, client_encoding UTF8.
 * Returns 0 and *out (free with db_close), or ERR_DB. */
int db_connect(const char *conninfo, db **out);

/* Opens one more connection to the database of `c`, with the same
 * parameters and session settings (to read in parallel). Returns 0 and *out
 * (free with db_close), or ERR_DB. */
int db_connect_again(db *c, db **out);

/* Closes the connection; accepts NULL. */
void db_close(db *c);

/* One line naming the database in use, e.g. "cruscotto on /srv/var/run:5432
 * as cruscotto". Valid until db_close. */
const char *db_describe(db *c);

/* Runs one statement with `nparams` text parameters (NULL entries are SQL
 * nulls). When `out` is non-NULL the statement must return rows, copied into
 * *out (caller frees with rows_free); otherwise it must succeed as a command.
 * Returns 0, ERR_DB when the connection is lost, ERR_FAIL otherwise; the
 * message is the server's primary message. */
int db_exec(db *c, const char *sql, int nparams, const char *const *params, rows **out);

/* Like db_exec with `out`, for a statement returning many rows: receives
 * them one at a time (single-row mode) and hands them on, in order, in parts
 * of exactly `part_rows` and a last one with the rest (fewer, possibly
 * none), to take(ctx, part), which takes the part over (frees it with
 * rows_free). Neither the server's result nor a copy of all the rows is held
 * at once. Stops handing on at the first error of take, whose return it
 * returns (the remaining rows are read and dropped); otherwise returns 0 or
 * the errors of db_exec. */
int db_exec_parts(db *c, const char *sql, int nparams, const char *const *params, int part_rows,
		  int (*take)(void *ctx, rows *part), void *ctx);

/* Runs one or more parameterless statements (schema migrations). */
int db_exec_script(db *c, const char *sql);

/* Where a COPY's data comes from: writes up to `size` bytes to `buf` and
 * returns how many, 0 at the end, or a negative error code with the error
 * set (the COPY is then abandoned and that error returned unchanged). */
typedef long (*db_copy_source)(void *arg, char *buf, size_t size);

/* Streams what `src` supplies into `copy_sql` (a COPY ... FROM STDIN
 * statement). On failure returns the source's error as it is, or ERR_FAIL
 * with the server's message set and, when the server names one, the input
 * line it failed on in *err_line (else 0). */
int db_copy_in(db *c, const char *copy_sql, db_copy_source src, void *arg, long *err_line);

/* db_copy_in, and on success the number of rows the COPY loaded in *nrows. */
int db_copy_in_rows(db *c, const char *copy_sql, db_copy_source src, void *arg, long *err_line,
		    long long *nrows);

/* SQLSTATE of the last failed statement ("" when none). */
const char *db_last_sqlstate(db *c);

/* Transactions (db_rollback leaves the last error message alone, as it runs
 * on failure paths). db_begin_snapshot opens a REPEATABLE READ READ ONLY
 * transaction: everything read until db_commit sees one state of the data. */
int db_begin(db *c);
int db_begin_snapshot(db *c);

/* db_begin_snapshot that sets *open to 1 once the transaction is open, for
 * a function that ends it with db_commit_if and, on failure, db_rollback. */
int db_begin_snapshot_at(db *c, int *open);

/* Inside a db_begin_snapshot transaction: exports its snapshot, writing the
 * id (at most `size` bytes with the NUL) to `id`. Returns 0, ERR_DB or
 * ERR_FAIL. */
int db_export_snapshot(db *c, char *id, size_t size);

/* Like db_begin_snapshot, on the snapshot another connection exported (its
 * transaction still open): both then read the same state of the data. */
int db_begin_snapshot_of(db *c, const char *id);
int db_commit(db *c);
int db_rollback(db *c);

/* Runs `sql` (no parameters), whose first row's first column is an
 * integer, and reads that integer into *out. Returns 0, the error of
 * db_exec, or that of rows_get_long (no row, not an integer). */
int db_exec_long(db *c, const char *sql, long long *out);

/* Ends the transaction that *open says is open, after statements that
 * returned rc: commits when rc is 0 (and clears *open), else leaves it to
 * the caller's db_rollback. Returns rc, or the error of the commit. */
int db_commit_if(db *c, int rc, int *open);

/* Like db_exec, with parameters that may be binary: parameter i is
 * `lengths[i]` bytes at values[i] in binary format when lengths[i] >= 0
 * (e.g. a bytea's raw content, for a $n::bytea placeholder), and text as in
 * db_exec when lengths[i] < 0. Results are text, as with db_exec. */
int db_exec_binary(db *c, const char *sql, int nparams, const char *const *values,
		   const int *lengths, rows **out);

/* Decodes a bytea value in the text form a result carries ("\x4142...",
 * or the escape form) into *data (caller frees with free; not NUL-terminated)
 * and *len. Returns 0 or ERR_FAIL (out of memory). */
int db_decode_bytea(const char *text, unsigned char **data, size_t *len);

/* Asynchronous notifications (LISTEN/NOTIFY): db_listen subscribes the
 * session to `channel` (quoted here as an identifier). Returns 0, ERR_DB or
 * ERR_FAIL (e.g. a hot standby, which cannot LISTEN). */
int db_listen(db *c, const char *channel);

/* Waits up to `timeout_ms` (0: does not wait) for notifications on the
 * channels db_listen subscribed to, and takes them all: *notified says how
 * many came (0 when the time ran out). Returns 0, or ERR_DB when the
 * connection is lost (a server that closed the session included). */
int db_wait_notify(db *c, int timeout_ms, int *notified);

#endif

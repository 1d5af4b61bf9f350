/* rows: a query's result, copied out of the database into plain memory.
 *
 * The indicator code finishes numbers from rows without knowing where they
 * came from, so it is testable with rows built by hand (rows_from_strings). */
#ifndef CR_ROWS_H
#define CR_ROWS_H

#include <stddef.h>

typedef struct rows {
	int nrows;
	int ncols;
	char **names; /* ncols column names */
	char **cells; /* nrows * ncols values in text form, row-major; NULL = SQL null */
	char *text;   /* one block holding the cells' text (rows_reserve), or NULL */
	size_t text_used, text_size;
} rows;

/* Allocates an empty result with the given column names (copied); cells are
 * NULL until rows_set. The caller frees it with rows_free. Returns 0 or ERR_FAIL. */
int rows_new(int nrows, int ncols, const char *const *names, rows **out);

/* Reserves one block of `bytes` for the text of the cells set next (their
 * lengths plus one each): a large result then costs its text and one
 * pointer per cell, not an allocation per cell. Returns 0 or ERR_FAIL. */
int rows_reserve(rows *r, size_t bytes);

/* Copies `value` (NULL for SQL null) into cell (row, col), into the reserved
 * block while it has room. Returns 0 or ERR_FAIL. */
int rows_set(rows *r, int row, int col, const char *value);

/* Builds a result from a literal table: `names` has ncols entries, `cells`
 * nrows*ncols entries (NULL = null). For tests and fixtures. */
int rows_from_strings(int nrows, int ncols, const char *const *names, const char *const *cells,
		      rows **out);

/* Index of the column named `name`, or -1. */
int rows_col(const rows *r, const char *name);

/* The cell's text, or NULL when it is SQL null or out of range. */
const char *rows_get(const rows *r, int row, int col);

/* The cell as a number; returns 0 and writes *out, or ERR_FAIL (with the
 * message set) when the cell is null or not a number. */
int rows_get_double(const rows *r, int row, int col, double *out);
int rows_get_long(const rows *r, int row, int col, long long *out);

/* strtod(s, end), the same double and *end for any s, faster for the text
 * of most cells: a plain decimal ([-]digits[.digits], nothing after it)
 * of at most 15 significant digits and 22 decimals is exactly
 * mantissa / 10^decimals, both exact doubles, so one correctly rounded
 * division gives what strtod gives (Clinger's fast path); anything else
 * goes to strtod. */
double rows_strtod(const char *s, char **end);

/* Frees the result; accepts NULL. */
void rows_free(rows *r);

#endif

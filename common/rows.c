#include "rows.h"

#include "err.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

int rows_new(int nrows, int ncols, const char *const *names, rows **out)
{
	rows *r = calloc(1, sizeof(*r));
	int i;

	if (!r)
		goto oom;
	r->nrows = nrows;
	r->ncols = ncols;
	r->names = calloc(ncols ? ncols : 1, sizeof(char *));
	r->cells = calloc((size_t)nrows * ncols + 1, sizeof(char *));
	if (!r->names || !r->cells)
		goto oom;
	for (i = 0; i < ncols; i++) {
		r->names[i] = strdup(names[i]);
		if (!r->names[i])
			goto oom;
	}
	*out = r;
	return 0;
oom:
	rows_free(r);
	return err_set(ERR_FAIL, "out of memory");
}

int rows_reserve(rows *r, size_t bytes)
{
	if (r->text)
		return err_set(ERR_FAIL, "internal error: rows reserved twice");
	r->text = malloc(bytes ? bytes : 1);
	if (!r->text)
		return err_set(ERR_FAIL, "out of memory");
	r->text_size = bytes;
	return 0;
}

/* True when the cell's text lives in the reserved block. */
static int in_block(const rows *r, const char *cell)
{
	return r->text && cell >= r->text && cell < r->text + r->text_size;
}

int rows_set(rows *r, int row, int col, const char *value)
{
	char **cell = &r->cells[(size_t)row * r->ncols + col];
	size_t n;

	if (!in_block(r, *cell))
		free(*cell);
	*cell = NULL;
	if (!value)
		return 0;
	n = strlen(value) + 1;
	if (r->text && r->text_size - r->text_used >= n) {
		*cell = memcpy(r->text + r->text_used, value, n);
		r->text_used += n;
		return 0;
	}
	*cell = strdup(value);
	return *cell ? 0 : err_set(ERR_FAIL, "out of memory");
}

int rows_from_strings(int nrows, int ncols, const char *const *names, const char *const *cells,
		      rows **out)
{
	rows *r = NULL;
	int i, rc = rows_new(nrows, ncols, names, &r);

	for (i = 0; rc == 0 && i < nrows * ncols; i++)
		rc = rows_set(r, i / ncols, i % ncols, cells[i]);
	if (rc) {
		rows_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int rows_col(const rows *r, const char *name)
{
	int i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], name) == 0)
			return i;
	return -1;
}

const char *rows_get(const rows *r, int row, int col)
{
	if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	return r->cells[(size_t)row * r->ncols + col];
}

double rows_strtod(const char *s, char **end)
{
	static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,	 1e4,  1e5,  1e6,  1e7,
					 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	const char *p = s + (*s == '-'), *point = NULL;
	unsigned long long m = 0;
	int digits = 0, decimals = 0;
	double v;

	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			/* leading zeros are not significant digits */
			if (m || *p != '0')
				digits++;
			m = m * 10 + (unsigned)(*p - '0');
			decimals += point != NULL;
			if (digits > 15 || decimals > 22)
				return strtod(s, end);
		} else if (*p == '.' && !point) {
			point = p;
		} else {
			return strtod(s, end);
		}
	}
	/* digits on both sides of the point are optional, not both; and the
	 * point must be the locale's, as strtod reads it */
	if (p == s + (*s == '-') + (point != NULL) ||
	    (point && strcmp(localeconv()->decimal_point, ".") != 0))
		return strtod(s, end);
	v = (double)m / pow10[decimals];
	if (end)
		*end = (char *)p;
	return *s == '-' ? -v : v;
}

int rows_get_double(const rows *r, int row, int col, double *out)
{
	const char *s = rows_get(r, row, col);
	char *end;
	double v;

	if (!s)
		return err_set(ERR_FAIL, "column %s is null in row %d",
			       col >= 0 && col < r->ncols ? r->names[col] : "?", row);
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end)
		return err_set(ERR_FAIL, "column %s: %s is not a number", r->names[col], s);
	*out = v;
	return 0;
}

int rows_get_long(const rows *r, int row, int col, long long *out)
{
	const char *s = rows_get(r, row, col);
	char *end;
	long long v;

	if (!s)
		return err_set(ERR_FAIL, "column %s is null in row %d",
			       col >= 0 && col < r->ncols ? r->names[col] : "?", row);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return err_set(ERR_FAIL, "column %s: %s is not an integer", r->names[col], s);
	*out = v;
	return 0;
}

void rows_free(rows *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; r->names && i < r->ncols; i++)
		free(r->names[i]);
	for (i = 0; r->cells && i < r->nrows * r->ncols; i++)
		if (!in_block(r, r->cells[i]))
			free(r->cells[i]);
	free(r->text);
	free(r->names);
	free(r->cells);
	free(r);
}

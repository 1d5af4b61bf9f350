/* import_check: the staging table a file is COPYed into, and the rules of
 * docs/IMPORT.md as SQL: the guard that refuses a value of another form as
 * the file is stored, and the one query that names a file's first broken
 * rule (file:line:column) once the database has refused it. */
#include "import_int.h"

#include "code.h"
#include "err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The SQL writers of the import write only names from `imp_specs` (never
 * anything read from a file) into statement text; values travel as bound
 * parameters. */

char *imp_sql(imp_writer *w, const struct file_spec *fs, const struct header *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (w(f, fs, h) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	/* the stream writes buf only when flushed: read it after fclose */
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void imp_header_columns(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int i;

	for (i = 0; i < h->ncols; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", fs->cols[h->col[i]].name);
}

/* The staging table: every known column as text (those the header leaves
 * out stay null) and the ordinal COPY fills in file order. */
int imp_write_stage(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int i;

	(void)h;
	fprintf(f, "CREATE TEMP TABLE import_stage (_ord bigint GENERATED ALWAYS AS IDENTITY "
		   "(CACHE 10000)");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, ", \"%s\" text", fs->cols[i].name);
	fprintf(f, ") ON COMMIT DROP");
	return 0;
}

int imp_write_copy(FILE *f, const struct file_spec *fs, const struct header *h)
{
	fprintf(f, "COPY pg_temp.import_stage (");
	imp_header_columns(f, fs, h);
	fprintf(f, ") FROM STDIN (FORMAT csv, HEADER true)");
	return 0;
}

/* Writes ", VALUE AS name" for a column of the staging table s: '' made
 * NULL (an empty field is NULL, quoted or not), and in text that may span
 * lines a CR LF made LF, so that the rules and the INSERT read the value as
 * it is stored. */
void imp_staged_value(FILE *f, const struct column *c)
{
	if (c->lines)
		fprintf(f, ", nullif(replace(s.\"%s\", E'\\r\\n', E'\\n'), '') AS \"%s\"", c->name,
			c->name);
	else
		fprintf(f, ", nullif(s.\"%s\", '') AS \"%s\"", c->name, c->name);
}

/* The records: '' made NULL (an empty field is NULL, quoted or not) and each
 * record's physical line, the header being line 1 and a record taking one
 * line plus one per newline inside its quoted fields. */
static int write_rec(FILE *f, const struct file_spec *fs, const struct header *h)
{
	int i;

	(void)h;
	fprintf(f,
		"CREATE TEMP TABLE import_rec ON COMMIT DROP AS SELECT s._ord, (2 + coalesce(sum(1 "
		"+ s._nl) OVER (ORDER BY s._ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 "
		"PRECEDING), 0))::bigint AS _line");
	for (i = 0; fs->cols[i].name; i++)
		imp_staged_value(f, &fs->cols[i]);
	fprintf(f, " FROM (SELECT t.*, 0");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f,
			" + coalesce(length(t.\"%s\") - length(replace(t.\"%s\", E'\\n', '')), 0)",
			fs->cols[i].name, fs->cols[i].name);
	fprintf(f, " AS _nl FROM pg_temp.import_stage t) s");
	return 0;
}

/* One branch of the error query: rows (line, column, value, rule, priority). */
static void branch(FILE *f, int *first, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void branch(FILE *f, int *first, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%s", *first ? "" : " UNION ALL ");
	*first = 0;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

/* The rules a single value is held to, in the order they are judged. */
enum rule {
	RU_REQUIRED, /* required and empty */
	RU_BLANK,    /* required text of blanks only */
	RU_FORM,     /* not a code, a date, an integer, a number, one of the values */
	RU_DATE,     /* of the form YYYY-MM-DD, not a day that exists */
	RU_LARGE,    /* a number with more than `digits` digits before the point */
	RU_DECIMALS, /* a number with more than MAX_DECIMALS digits after it */
	RU_RANGE,    /* a number outside the column's range */
	RU_COUNT,
};

/* A rule's place among a column's rules in write_check (the references come
 * next, at 6, then keys, date order and the file's own rules). */
static const int rule_prio[RU_COUNT] = {1, 2, 2, 3, 3, 4, 5};

#define MAX_DECIMALS 12
#define INT_RE "'^[+-]?[0-9]+$'"
#define NUM_RE "'^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$'"

/* The regular expression of a number column's form. */
static const char *number_re(enum type t)
{
	return t == T_NUM ? NUM_RE : INT_RE;
}

/* Writes the number of digits before the point of `v`, a number of the
 * form, as SQL: leading zeros and the sign do not count. */
static void int_digits(FILE *f, const char *v)
{
	fprintf(f, "length(ltrim(split_part(ltrim(%s, '+-'), '.', 1), '0'))", v);
}

/* Writes `range` (a condition on `v`) with each `v` read as the number the
 * SQL text `v` holds. */
static void range_expr(FILE *f, const char *range, const char *v)
{
	const char *p;

	for (p = range; *p; p++) {
		int word = (p == range || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) &&
			   !(p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z'));

		if (*p == 'v' && word)
			fprintf(f, "(%s)::numeric", v);
		else
			fputc(*p, f);
	}
}

/* Writes the SQL condition that is true when the value `v` (SQL text, NULL
 * for an empty field) breaks `rule` of column `c`; false or NULL otherwise,
 * and "" (nothing written, returns 0) when the rule does not apply to the
 * column. Every condition is safe on any text: a cast is only reached by a
 * value whose form and size the cast accepts. */
static int rule_cond(FILE *f, const struct column *c, enum rule rule, const char *v)
{
	int number = c->type == T_INT || c->type == T_BIGINT || c->type == T_NUM;
	const char *re = number ? number_re(c->type) : NULL;

	switch (rule) {
	case RU_REQUIRED:
		if (!c->required)
			return 0;
		fprintf(f, "%s IS NULL", v);
		return 1;
	case RU_BLANK:
		if (!c->required || c->type != T_TEXT)
			return 0;
		fprintf(f, "%s !~ '\\S'", v);
		return 1;
	case RU_FORM:
		switch (c->type) {
		case T_TEXT:
			return 0;
		case T_CODE:
			fprintf(f, "(%s !~ " CODE_SQL_PATTERN " OR length(%s) > %d)", v, v,
				CODE_MAX);
			return 1;
		case T_DATE:
			fprintf(f, "%s !~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$'", v);
			return 1;
		case T_ENUM:
			fprintf(f, "%s <> ALL ('{%s}'::text[])", v, c->values);
			return 1;
		default:
			fprintf(f, "%s !~ %s", v, re);
			return 1;
		}
	case RU_DATE:
		if (c->type != T_DATE)
			return 0;
		fprintf(f, "NOT cruscotto.date_ok(%s)", v);
		return 1;
	case RU_LARGE:
		if (!number)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s THEN ", v, re);
		int_digits(f, v);
		fprintf(f, " > %d END", c->digits);
		return 1;
	case RU_DECIMALS:
		if (c->type != T_NUM)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s THEN length(split_part(%s, '.', 2)) > %d END", v, re,
			v, MAX_DECIMALS);
		return 1;
	case RU_RANGE:
		if (!c->range)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s AND ", v, re);
		int_digits(f, v);
		fprintf(f, " <= %d", c->digits);
		if (c->type == T_NUM)
			fprintf(f, " AND length(split_part(%s, '.', 2)) <= %d", v, MAX_DECIMALS);
		fprintf(f, " THEN NOT (");
		range_expr(f, c->range, v);
		fprintf(f, ") END");
		return 1;
	default:
		break;
	}
	return 0;
}

/* What the error says for `rule` of column `c` (after COLUMN VALUE). */
static void rule_msg(FILE *f, const struct column *c, enum rule rule)
{
	/* RU_FORM: the form a value of each type lacks */
	static const char *const form[] = {
		[T_CODE] = "is not a code (1-64 characters among A-Z a-z 0-9 _ . -)",
		[T_DATE] = "is not of the form YYYY-MM-DD",
		[T_INT] = "is not an integer",
		[T_BIGINT] = "is not an integer",
		[T_NUM] = "is not a number",
		[T_ENUM] = "is not one of "};
	static const char *const says[RU_COUNT] = {[RU_REQUIRED] = "is required",
						   [RU_BLANK] = "is blank",
						   [RU_DATE] = "is not a date",
						   [RU_LARGE] = "is too large"};
	size_t j;

	if (rule == RU_FORM && form[c->type]) {
		fputs(form[c->type], f);
		/* "a,b,c" is both the array literal and, spaced, the message */
		for (j = 0; c->type == T_ENUM && c->values[j]; j++)
			if (c->values[j] == ',')
				fputs(", ", f);
			else
				fputc(c->values[j], f);
	} else if (rule == RU_DECIMALS)
		fprintf(f, "has more than %d decimals", MAX_DECIMALS);
	else if (rule == RU_RANGE)
		fputs(c->range_msg ? c->range_msg : "", f);
	else if (rule < RU_COUNT && says[rule])
		fputs(says[rule], f);
}

/* rule_cond, into *cond (caller frees): 1 when the rule applies, 0 when it
 * does not (nothing allocated), -1 when out of memory. */
static int rule_str(const struct column *c, enum rule rule, const char *v, char **cond)
{
	size_t len = 0;
	FILE *f;
	int applies;

	*cond = NULL;
	f = open_memstream(cond, &len);
	if (!f)
		return -1;
	applies = rule_cond(f, c, rule, v);
	if (fclose(f) != 0) {
		free(*cond);
		*cond = NULL;
		return -1;
	}
	if (!applies) {
		free(*cond);
		*cond = NULL;
	}
	return applies;
}

/* Every rule of docs/IMPORT.md for this file as one query over the staging records,
 * returning the first broken one: lowest line, then leftmost column of the
 * header ($1, the header's names), then the order the rules are written in
 * (a value's form before its size and range, before what it refers to). Run
 * only when the file is known to break a rule, to name the first one. */
static int write_check(FILE *f, const struct file_spec *fs, const struct header *h)
{
	static const char from[] = "FROM pg_temp.import_rec r";
	char v[80];
	int i, j, first = 1, nkey;
	enum rule ru;

	(void)h;
	fprintf(f, "SELECT e._line, e.col, e.val, e.rule FROM (");
	for (i = 0; fs->cols[i].name; i++) {
		const struct column *c = &fs->cols[i];
		const char *n = c->name;

		snprintf(v, sizeof(v), "r.\"%s\"", n);
		for (ru = 0; ru < RU_COUNT; ru++) {
			char *cond = NULL, *msg = NULL;
			size_t mlen = 0;
			FILE *mf = open_memstream(&msg, &mlen);
			int applies = mf ? rule_str(c, ru, v, &cond) : -1;

			if (mf && applies > 0)
				rule_msg(mf, c, ru);
			if (!mf || fclose(mf) != 0 || applies < 0) {
				free(cond);
				free(msg);
				return -1;
			}
			if (applies)
				branch(f, &first,
				       "SELECT r._line, '%s'::text, %s::text, '%s'::text, %d %s "
				       "WHERE %s",
				       n, ru == RU_REQUIRED ? "NULL" : v, msg, rule_prio[ru], from,
				       cond);
			free(cond);
			free(msg);
		}
		if (c->ref)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'does not name %s', 6 %s WHERE "
			       "r.\"%s\" ~ " CODE_SQL_PATTERN " AND length(r.\"%s\") <= %d"
			       " AND NOT EXISTS (SELECT 1 FROM cruscotto.%s t "
			       "WHERE t.code = r.\"%s\")",
			       n, n, c->ref_what, from, n, n, CODE_MAX, c->ref, n);
	}
	for (nkey = 0; fs->key[nkey]; nkey++)
		;
	if (nkey) {
		/* the rule names the other key columns, not their values: those
		 * may be free text (a person's pseudonym) */
		char others[128] = "", part[128] = "", on[512] = "", notnull[256] = "";

		for (j = 1; j < nkey; j++)
			snprintf(others + strlen(others), sizeof(others) - strlen(others), "%s%s",
				 j == 1 ? " with the same " : (j == nkey - 1 ? " and " : ", "),
				 fs->key[j]);
		for (j = 0; j < nkey; j++) {
			snprintf(part + strlen(part), sizeof(part) - strlen(part), "%sr.\"%s\"",
				 j ? ", " : "", fs->key[j]);
			snprintf(on + strlen(on), sizeof(on) - strlen(on), "%st.\"%s\" = r.\"%s\"",
				 j ? " AND " : "", fs->key[j], fs->key[j]);
			snprintf(notnull + strlen(notnull), sizeof(notnull) - strlen(notnull),
				 "%sr.\"%s\" IS NOT NULL", j ? " AND " : "", fs->key[j]);
		}
		branch(f, &first,
		       "SELECT u._line, '%s', u.v, 'is repeated%s (first on line ' || u.first || "
		       "')', 7 FROM (SELECT r._line, r.\"%s\" AS v, min(r._line) OVER (PARTITION "
		       "BY "
		       "%s) AS first %s WHERE %s) u WHERE u._line > u.first",
		       fs->key[0], others, fs->key[0], part, from, notnull);
		if (fs->key_new)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is already in the database%s' || "
			       "coalesce(' (batch ' || t.batch_id || ')', ''), 8 %s JOIN "
			       "cruscotto.%s t ON %s",
			       fs->key[0], fs->key[0], others, from, fs->table, on);
	}
	/* dates in order: a date earlier than one before it in the list; the
	 * nearest earlier column is named first */
	for (j = 1; j < 6 && fs->order[j]; j++)
		for (i = j - 1; i >= 0; i--)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is before %s ' || r.\"%s\", %d %s "
			       "WHERE CASE WHEN cruscotto.date_ok(r.\"%s\") AND "
			       "cruscotto.date_ok(r.\"%s\") THEN r.\"%s\"::date < r.\"%s\"::date "
			       "END",
			       fs->order[j], fs->order[j], fs->order[i], fs->order[i], 10 + j - i,
			       from, fs->order[j], fs->order[i], fs->order[j], fs->order[i]);
	if (fs->extra)
		branch(f, &first, "%s", fs->extra);
	fprintf(f, ") e(_line, col, val, rule, prio) ORDER BY e._line, "
		   "array_position($1::text[], e.col), e.prio LIMIT 1");
	return 0;
}

/* Writes the guard of the statements that store staged records `r`: a
 * condition that is true for a record, or raises (cruscotto.import_refuse)
 * when one of its dates, integers or numbers has another form than
 * DATA.md's. Returns 0, or -1 when out of memory. */
int imp_guard(FILE *f, const struct file_spec *fs)
{
	char v[80];
	int i, any = 0;

	fprintf(f, "CASE WHEN ");
	for (i = 0; fs->cols[i].name; i++) {
		char *cond = NULL;
		int applies;

		if (fs->cols[i].type == T_TEXT || fs->cols[i].type == T_CODE ||
		    fs->cols[i].type == T_ENUM)
			continue;
		snprintf(v, sizeof(v), "r.\"%s\"", fs->cols[i].name);
		applies = rule_str(&fs->cols[i], RU_FORM, v, &cond);
		if (applies < 0)
			return -1;
		if (applies)
			fprintf(f, "%s(%s)", any++ ? " OR " : "", cond);
		free(cond);
	}
	fprintf(f, "%s THEN cruscotto.import_refuse() ELSE true END", any ? "" : "false");
	return 0;
}

/* The first broken rule as the one-line message FILE:LINE:COL: COLUMN VALUE
 * RULE, COL being the column's position in the header. */
static int rule_error(const struct file_spec *fs, const struct header *h, const rows *r)
{
	const char *line = rows_get(r, 0, 0), *col = rows_get(r, 0, 1), *val = rows_get(r, 0, 2);
	char shown[200] = "";
	int pos;

	for (pos = 0; pos < h->ncols && strcmp(fs->cols[h->col[pos]].name, col) != 0; pos++)
		;
	if (val)
		imp_show_value(val, shown, sizeof(shown));
	return err_set(ERR_FAIL, "%s:%s:%d: %s%s%s %s", fs->name, line, pos + 1, col,
		       val ? " " : "", shown, rows_get(r, 0, 3));
}

/* Names the first rule the staged file breaks, once its INSERT (or the
 * repeated-key check) has refused it: builds the records with their physical
 * lines and runs write_check. `why` is the database's own refusal, reported
 * when no rule of the file explains it. Always returns an error. */
int imp_first_error(db *c, const struct file_spec *fs, const struct header *h, const char *why)
{
	char names[256] = "{", msg[900];
	const char *params[1] = {names};
	rows *r = NULL;
	int rc, i;

	snprintf(msg, sizeof(msg), "%s", why);
	rc = imp_file_exec_built(c, fs->name, imp_sql(write_rec, fs, NULL), 0, NULL, NULL);
	if (rc)
		goto out;
	for (i = 0; i < h->ncols; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? "," : "",
			 fs->cols[h->col[i]].name);
	snprintf(names + strlen(names), sizeof(names) - strlen(names), "}");
	rc = imp_file_exec_built(c, fs->name, imp_sql(write_check, fs, NULL), 1, params, &r);
	if (rc)
		goto out;
	if (r->nrows)
		rc = rule_error(fs, h, r);
	else
		rc = err_set(ERR_FAIL, "%s: %s", fs->name, msg);
out:
	rows_free(r);
	return rc;
}

/* import_int: what the parts of the import share (import.h is the public
 * side). The file specifications (import_spec.c), the one pass over a file
 * that checks it as RFC 4180, hashes it and feeds COPY (import_csv.c), the
 * staging table and the search for a file's first broken rule
 * (import_check.c), the statements that store a file (import_load.c), and
 * the transaction that runs them file by file (import.c). Internal to
 * engine/. Every function returning int returns 0 or a negative error with
 * the message set (err.h), unless it says otherwise. */
#ifndef CR_IMPORT_INT_H
#define CR_IMPORT_INT_H

#include "db.h"
#include "import.h"
#include "sha256.h"

#include <csv.h>
#include <stdio.h>

/* What a field must hold. Every field arrives as text; the empty field is NULL. */
enum type {
	T_TEXT,	  /* anything */
	T_CODE,	  /* 1-64 characters of [A-Za-z0-9_.-] */
	T_DATE,	  /* YYYY-MM-DD, a day that exists */
	T_INT,	  /* integer column */
	T_BIGINT, /* bigint column */
	T_NUM,	  /* decimal with '.' */
	T_ENUM,	  /* one of `values` */
};

struct column {
	const char *name;
	enum type type;
	int required;
	const char *values;    /* T_ENUM: the allowed values, comma-separated */
	const char *range;     /* SQL condition on the typed value `v`, e.g. "v >= 0" */
	const char *range_msg; /* what the error says when `range` is false */
	const char *ref;       /* table whose code the value must name */
	const char *ref_what;  /* "a policy", for the error */
	const char *def;       /* SQL literal taken when the field is empty */
	int digits;	       /* numbers: at most this many digits before the point */
	int lines;	       /* text that may span lines: a CR LF inside it is a newline */
};

#define MAX_COLS 9

struct file_spec {
	const char *name;     /* file name, e.g. "agreements.csv" */
	const char *table;    /* table in schema cruscotto */
	int upsert;	      /* 1: upserted on `key`; 0: facts, appended */
	const char *key[4];   /* unique within the file (NULL-terminated) */
	int key_new;	      /* facts: `key` is the table's primary key, so it must be new */
	const char *order[6]; /* date columns that must not decrease, in order */
	const char *extra;    /* more error branches over pg_temp.import_rec r (SQL) */
	struct column cols[MAX_COLS + 1];
};

/* The header of one file: for each of its columns, the spec column it names. */
struct header {
	int ncols;
	int col[MAX_COLS]; /* index into spec->cols, in header order */
};

/* The keys a reference column's values must be among, when import checks a
 * large fact file's references itself (imp_load_direct): the parent's codes
 * in byte order, and the value found last, since a file names one parent on
 * many rows in a row. */
struct imp_keys {
	rows *r;	/* the codes, one per row */
	const char **v; /* r's codes, sorted byte-wise */
	size_t n;
	const char *last; /* the code found last, NULL before the first */
	size_t last_len;
};

/* One pass over a file. Every byte is read once, here: the header checked,
 * the rows COPY loads, the SHA-256 recorded and the RFC 4180 check are the
 * same bytes, even if the file is rewritten while it is being imported.
 *
 * PostgreSQL's CSV reader is lenient: a quote inside an unquoted field opens
 * a quoted section there, which silently swallows the records after it until
 * the next quote. So the bytes also go through libcsv in strict mode, which
 * refuses that, and counts the records; the count must be what COPY loaded. */
struct source {
	const char *name;
	int fd;
	char head[4096]; /* the first bytes, read before COPY starts: the header */
	size_t head_len, head_sent;
	sha256 *md;
	struct csv_parser csv;
	int csv_open;
	long line;     /* physical line being read, from 1 */
	long rec_line; /* line where the record being read started */
	int rec_ended; /* the last record has ended: the next starts a new one */
	int nfield;    /* fields ended in the record being read */
	long records;  /* records ended, the header included */
	int col;       /* bytes of the line so far */
	int marker;    /* the line so far is a prefix of "\.\r" */
	int failed;    /* the stream set the error: it is the file's error as it is */
	/* a COPY straight into the file's table (imp_load_direct): the form each
	 * header column's values must have, checked as they stream by */
	enum type form[MAX_COLS];
	int nform; /* header columns checked: 0 when not loading directly */
	/* per header column, the keys its values must be among (NULL: none) */
	struct imp_keys *keys[MAX_COLS];
	int cut;     /* the field being read no longer fits libcsv's buffer */
	int refused; /* a value of another form, or naming no parent: the stream
		      * stopped, to load again through staging */
};

/* --- the files (import_spec.c) ------------------------------------------------------- */

/* The number of files of docs/IMPORT.md. */
#define IMP_NSPECS 19

/* The files in dependency order: a file only refers to files before it. */
extern const struct file_spec imp_specs[IMP_NSPECS];

/* The number of columns of file `fs`. */
int imp_spec_ncols(const struct file_spec *fs);

/* --- one pass over a file (import_csv.c) ------------------------------------------------ */

/* Writes `v` for an error message into buf (`size` bytes): as is when it is
 * plain, else quoted with C escapes, cut to 40 bytes with "..." saying so. */
void imp_show_value(const char *v, char *buf, size_t size);

/* Opens the file and reads its first bytes. A symbolic link is followed only
 * when it leads to a file inside `dir`. imp_source_close() releases the
 * source, after a failure too. */
int imp_source_open(struct source *s, const char *dir, const char *path, const char *name);

/* Releases what imp_source_open took; a closed source may be closed again. */
void imp_source_close(struct source *s);

/* db_copy_source over a source (`arg`): the head first, then the rest of
 * the file, every byte hashed and checked as RFC 4180 on the way. */
long imp_source_read(void *arg, char *buf, size_t size);

/* The SHA-256 of everything read, as lowercase hex; once, at the end. */
int imp_source_digest(struct source *s, char hex[65]);

/* Checks the header line against the columns of `fs`; writes *out. */
int imp_read_header(const struct source *src, const struct file_spec *fs, struct header *out);

/* The rows a file of `size` bytes holds, estimated from its first bytes. */
long long imp_rows_estimate(const struct source *src, long long size);

/* --- staging and the rules (import_check.c) --------------------------------------------- */

/* Writes one statement for file `fs` (and its header `h`, for the writers
 * that take one; else NULL) into f. Returns 0, or -1 when out of memory. */
typedef int imp_writer(FILE *f, const struct file_spec *fs, const struct header *h);

/* The statement `w` writes, as a string (caller frees), or NULL when out of
 * memory. */
char *imp_sql(imp_writer *w, const struct file_spec *fs, const struct header *h);

/* Writes the header's columns, quoted, in header order, separated by ", ". */
void imp_header_columns(FILE *f, const struct file_spec *fs, const struct header *h);

/* imp_writer of the CREATE of the staging table pg_temp.import_stage. */
int imp_write_stage(FILE *f, const struct file_spec *fs, const struct header *h);

/* imp_writer of the COPY of the file into the staging table. */
int imp_write_copy(FILE *f, const struct file_spec *fs, const struct header *h);

/* Writes ", VALUE AS name" for column `c` of the staging table s. */
void imp_staged_value(FILE *f, const struct column *c);

/* Writes the guard of the statements that store staged records `r`: true
 * for a record, or raises when a date, an integer or a number has another
 * form than DATA.md's. Returns 0, or -1 when out of memory. */
int imp_guard(FILE *f, const struct file_spec *fs);

/* Names the first rule the staged file breaks; `why` is the database's own
 * refusal, reported when no rule explains it. Always returns an error. */
int imp_first_error(db *c, const struct file_spec *fs, const struct header *h, const char *why);

/* --- storing a file (import_load.c) ---------------------------------------------------- */

/* Whether a file may be COPYed straight into its table (imp_load_direct). */
int imp_direct_ok(const struct file_spec *fs);

/* Loads one file through staging. Writes *res and the file's SHA-256 in
 * hex on success. $1 of its statements is `batch`. */
int imp_load_staged(db *c, const struct file_spec *fs, const struct header *h, struct source *src,
		    const char *batch, char hex[65], struct import_file *res);

/* Loads a file (imp_direct_ok, a regular file of `size` bytes) by one COPY
 * straight into its table: a fact file always, an upserted file when its
 * table holds no row. Returns 0 with *res and hex when stored, 1 when it
 * must go through staging (the table holds rows, or a value or the database
 * refused it: all undone), else an error. */
int imp_load_direct(db *c, const struct file_spec *fs, const struct header *h, struct source *src,
		    long long size, char hex[65], struct import_file *res);

/* --- the statements of a file (import.c) ----------------------------------------------- */

/* Sets the message "name: " and the last error's message; returns rc. */
int imp_file_error(const char *name, int rc);

/* Runs a statement of the load of file `name`, the database's refusal
 * reported as "name: message"; a NULL `sql` is out of memory. */
int imp_file_exec(db *c, const char *name, const char *sql, int nparams, const char *const *params,
		  rows **out);

/* imp_file_exec for a statement of imp_sql, which it frees. */
int imp_file_exec_built(db *c, const char *name, char *sql, int nparams, const char *const *params,
			rows **out);

#endif

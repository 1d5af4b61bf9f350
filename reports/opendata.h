/* opendata: the open-data export of a period — every scorecard's indicators as
 * one long-format CSV table — and the DCAT-AP_IT metadata that describes it.
 *
 * The table is RFC 4180: UTF-8, CRLF line ends, a header row, fields quoted
 * (by libcsv) only when they hold a comma, a quote or a line break. The
 * columns, in this order:
 *
 *   policy, level, code, title, period, indicator, dimension, unit, value,
 *   previous, delta, n, ci_low, ci_high, suppressed, suppression, target,
 *   status, normalised
 *
 * One row per scorecard (the policy's first, then the agreements' and the
 * neighbourhoods' in the order given) and per catalogue indicator present at
 * its level, in catalogue order. `code` and `title` are the agreement's code
 * and title (the neighbourhood's code and name at level `neighbourhood`),
 * empty and the policy's name at policy level. Numbers are full precision with a '.' decimal point
 * (integers without decimals, `n` always an integer); a null is an empty
 * field. `suppressed` is true or false, `suppression` primary, secondary or
 * empty. As in the JSON, a suppressed indicator shows no value, delta,
 * interval or normalised score, and its status is none. */
#ifndef CR_OPENDATA_H
#define CR_OPENDATA_H

#include "scorecard.h"

#include <stddef.h>
#include <stdio.h>

/* A table being written, one scorecard at a time (the policy's first). */
struct rep_csv;

/* Starts a table with its header row. Returns 0 and *out (finish with
 * rep_csv_finish, or drop with rep_csv_free), or ERR_FAIL. */
int rep_csv_begin(struct rep_csv **out);

/* Like rep_csv_begin, writing the table to `f` (e.g. a temporary file: a
 * large table then does not stay in memory), which stays the caller's. End
 * with rep_csv_end_file, or drop with rep_csv_free. */
int rep_csv_begin_file(FILE *f, struct rep_csv **out);

/* Ends a table begun with rep_csv_begin_file: flushes `f` (left at the
 * table's end). Returns 0, or ERR_FAIL when writing failed. Frees t either
 * way. */
int rep_csv_end_file(struct rep_csv *t);

/* Appends the rows of one scorecard. */
void rep_csv_add(struct rep_csv *t, const struct scorecard *sc);

/* Ends the table: returns 0 and *out (malloc'd, NUL-terminated, *len bytes;
 * caller frees), or ERR_FAIL. Frees t either way. */
int rep_csv_finish(struct rep_csv *t, char **out, size_t *len);

/* Frees an unfinished table; accepts NULL. */
void rep_csv_free(struct rep_csv *t);

/* Renders the table of the policy's and the agreements' scorecards. Returns
 * 0 and *out (malloc'd, NUL-terminated, *len bytes; caller frees), or
 * ERR_FAIL. */
int rep_csv_render(const struct scorecard *policy, struct scorecard *const *agreements,
		   int n_agreements, char **out, size_t *len);

/* What the metadata of a period's table says beyond the scorecard. */
struct rep_dcat {
	const char *issued;	  /* YYYY-MM-DD: first made available */
	const char *modified;	  /* YYYY-MM-DD: this version */
	const char *download_url; /* where the CSV is (a path or a URL) */
};

/* The DCAT-AP_IT description of the policy's period table, as JSON:
 *   {"title", "description", "identifier", "language", "publisher": {"name",
 *    "identifier"}, "issued", "modified", "license", "temporal": {"start",
 *    "end"}, "distribution": [{"title", "format" ("CSV"), "mediaType",
 *    "downloadURL", "license"}]}
 * Title and description are in the policy's locale (Italian unless "en").
 * The publisher is the policy (its name and code); the license is
 * CC BY 4.0. Compact, ending with a newline. Returns 0 and *out (caller
 * frees), or ERR_FAIL. */
int rep_dcat_render(const struct scorecard *policy, const struct rep_dcat *d, char **out);

#endif

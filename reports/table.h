/* table: a scorecard as aligned text for the terminal (`cruscotto compute`).
 *
 * Layout, in the scorecard's locale (numbers by format.h):
 *   header     policy; agreement with status and neighbourhoods (agreement
 *              level); period with its dates and the previous one; as-of
 *              date; data snapshot
 *   per dimension, a block of its present indicators: label, value,
 *              previous, change, target, status (mark and word, "—" for
 *              none), and — only when some indicator of the scorecard has
 *              one — n and 95% interval; a suppressed value reads
 *              "soppresso" / "suppressed"
 *   then       dimension scores with coverage; the index (with its 5th-95th
 *              percentile range at policy level); the ex-ante evaluation
 *              (agreement) or the agreements ranked by index with their
 *              rank range (policy); notes
 * Columns are aligned by display width (code points, so "à" and "—" count
 * one); text columns are left-aligned, numbers right-aligned, and the
 * widths are shared by all blocks. */
#ifndef CR_TABLE_H
#define CR_TABLE_H

#include "rows.h"
#include "scorecard.h"

#include <stdio.h>

/* Writes the table to f. With `color`, the status column is coloured with
 * ANSI escapes (green, yellow, red; none plain), added after alignment so
 * widths are unaffected; without it the output has no escape at all.
 * Returns 0, or ERR_FAIL when writing to f failed. */
int rep_table_write(const struct scorecard *sc, FILE *f, int color);

/* Writes the first `ncol` columns (at most 8) of `r` as an aligned table
 * under the header line `heads`, flush left, columns two spaces apart,
 * right-aligned where `right` says so, a null as "-", no trailing blanks
 * (`cruscotto revisions`). Returns 0, or ERR_FAIL when writing failed. */
int rep_table_write_rows(const rows *r, int ncol, const char *const *heads, const int *right,
			 FILE *f);

#endif

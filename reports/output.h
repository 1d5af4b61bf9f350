/* output: every file of a run — the policy's and each agreement's
 * scorecard, as JSON, PDF and/or HTML pages (html.h) — written all or
 * nothing into DIR/<policy>/<period>/ (files.h). */
#ifndef CR_OUTPUT_H
#define CR_OUTPUT_H

#include "scorecard.h"

#include <stdio.h>

/* CSV: the period's open-data table scorecards.csv and its dcat.json (csv.h);
 * HTML: the pages of html.h and their stylesheet. */
enum { REP_FORMAT_JSON = 1, REP_FORMAT_PDF = 2, REP_FORMAT_CSV = 4, REP_FORMAT_HTML = 8 };

struct rep_output_options {
	const char *out_dir; /* DIR */
	unsigned formats;    /* REP_FORMAT_* bits */
	FILE *progress;	     /* where to report progress, or NULL */
};

/* Parses a --format list ("pdf,json", "json", "csv", "pdf,json,html", ...)
 * into REP_FORMAT_* bits.
 * Returns 0, or ERR_USAGE naming the unknown format. */
int rep_output_formats(const char *list, unsigned *out);

/* Renders the policy's and the agreements' scorecards in the chosen formats
 * and writes them; on any failure no file appears and DIR is as before.
 * Returns 0 or ERR_FAIL. */
int rep_output_write(const struct scorecard *policy, struct scorecard *const *agreements,
		     int n_agreements, const struct rep_output_options *opt);

#endif

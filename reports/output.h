/* output: every file of a run — the policy's and each agreement's
 * scorecard, as JSON, PDF and/or HTML, and the open-data table — written all or nothing into
 * DIR/<policy>/<period>/ (files.h). */
#ifndef CR_OUTPUT_H
#define CR_OUTPUT_H

#include "render.h"
#include "scorecard.h"

#include <stdio.h>

/* CSV: the period's open-data table scorecards.csv and its dcat.json (opendata.h);
 * HTML: the pages of html.h and their stylesheet. */
enum { REP_FORMAT_JSON = 1, REP_FORMAT_PDF = 2, REP_FORMAT_CSV = 4, REP_FORMAT_HTML = 8 };

struct rep_output_options {
	const char *out_dir; /* DIR */
	unsigned formats;    /* REP_FORMAT_* bits */
	FILE *progress;	     /* where to report progress, or NULL */
	int workers;	     /* rendering threads, 0 for one per online CPU */
};

/* Parses a --format list ("pdf,json", "json", "csv", "pdf,json,html", ...)
 * into REP_FORMAT_* bits.
 * Returns 0, or ERR_USAGE naming the unknown format. */
int rep_output_formats(const char *list, unsigned *out);

/* Renders every card of `src` (card 0 the policy's, which names the folder,
 * then the agreements') in the chosen formats, in parallel (render.h), and
 * writes them as they come, all or nothing: on any failure no file appears
 * and DIR is as before. Returns 0, ERR_USAGE (a code that cannot be a
 * folder name) or ERR_FAIL. */
int rep_output_write(const struct rep_card_source *src, const struct rep_output_options *opt);

#endif

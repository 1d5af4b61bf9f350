/* run: computes scorecards — the policy's and its agreements' — for one
 * period, from one snapshot of the database. */
#ifndef CR_RUN_H
#define CR_RUN_H

#include "db.h"
#include "compute.h"
#include "render.h"

#include <stdio.h>

struct run_options {
	const char *policy;	   /* policy code */
	const char *period;	   /* YYYY-Qn */
	const char *agreement;	   /* one agreement only, or NULL for all in scope */
	const char *locale;	   /* "it" / "en", or NULL for the policy's */
	FILE *progress;		   /* where to report progress, or NULL */
	const char *neighbourhood; /* one neighbourhood only, or NULL for all covered */
};

/* Reads everything inside one REPEATABLE READ READ ONLY transaction, in a
 * fixed number of queries whatever the number of agreements, and finishes
 * every number in C. *out holds the policy's scorecard (always: ranks need
 * it), the in-scope agreements' by code and the neighbourhoods they cover,
 * by code, or only the agreement or neighbourhood asked for. Errors:
 * ERR_USAGE (malformed period), ERR_NOTFOUND (unknown policy or agreement,
 * agreement not in scope, neighbourhood unknown or not covered, period
 * before the policy started),
 * ERR_DB, ERR_FAIL. Caller frees *out with ind_result_free. */
int run_compute(db *c, const struct run_options *opt, struct ind_result **out);

/* Like run_compute, but makes only the policy's card: the others are made
 * one at a time from *out (ind_run_card), so that a run of any size renders
 * in little memory. Caller frees *out with ind_run_free. */
int run_prepare(db *c, const struct run_options *opt, struct ind_run **out);

/* A prepared run as the renderers' card source: every card of `run`, made
 * when a renderer asks for it and released when it is done. */
struct rep_card_source run_card_source(struct ind_run *run);

#endif

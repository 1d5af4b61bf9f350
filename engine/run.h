/* run: computes scorecards — the policy's and its agreements' — for one
 * period, from one snapshot of the database. */
#ifndef CR_RUN_H
#define CR_RUN_H

#include "db.h"
#include "scorecard.h"

#include <stdio.h>

struct run_options {
	const char *policy;    /* policy code */
	const char *period;    /* YYYY-Qn */
	const char *agreement; /* one agreement only, or NULL for all in scope */
	const char *locale;    /* "it" / "en", or NULL for the policy's */
	FILE *progress;        /* where to report progress, or NULL */
};

struct run_result {
	struct scorecard *policy;       /* always computed (ranks need it) */
	struct scorecard **agreements;  /* in-scope agreements by code, or the one asked for */
	int n_agreements;
};

/* Reads everything inside one REPEATABLE READ READ ONLY transaction, in a
 * fixed number of queries whatever the number of agreements, and finishes
 * every number in C. Errors: ERR_USAGE (malformed period), ERR_NOTFOUND
 * (unknown policy or agreement, agreement not in scope, period before the
 * policy started), ERR_DB, ERR_FAIL. Caller frees *out with run_free. */
int run_compute(db *c, const struct run_options *opt, struct run_result **out);

/* Frees a result; accepts NULL. */
void run_free(struct run_result *r);

#endif

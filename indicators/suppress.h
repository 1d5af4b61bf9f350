/* suppress: complementary (secondary) suppression of survey values
 * (docs/METHOD.md, "Suppression").
 *
 * The policy's value pools the respondents of every in-scope agreement and
 * each agreement's n is published, so one withheld agreement value comes
 * back by subtraction: (policy value × policy n − Σ published value × n) /
 * withheld n. The rule below withholds more cells until the withheld set is
 * at least two agreements holding at least min_cell respondents, or, when
 * even every agreement together falls short, withholds the policy's value.
 *
 * A neighbourhood's value pools the respondents of the agreements covering
 * it, so it could give back a withheld agreement value the same way (and,
 * set against the policy's, the agreements outside it). sup_territory
 * publishes it only where it tells nothing the agreement values do not.
 *
 * Pure: no database, no allocation. finish.c applies both rules to every
 * survey indicator at every as-of date of a run. */
#ifndef CR_SUPPRESS_H
#define CR_SUPPRESS_H

#include "scorecard.h"

/* One in-scope agreement's value of one survey indicator at one date. */
struct sup_cell {
	const char *code; /* the agreement's code: breaks ties on n, in byte order */
	long long n;	  /* the published n: the smallest is withheld first */
	/* what the withheld set must sum to min_cell: count[0] = n, or for
	 * Welch count[0] = n0 and count[1] = n1 */
	long long count[2];
	/* in: SUP_PRIMARY (below min_cell) or SUP_NONE; out: SUP_SECONDARY for
	 * the cells the rule adds, the others unchanged */
	enum sc_suppression suppression;
};

/* Applies the rule to the `ncells` in-scope agreements' cells of one
 * indicator at one date. `ncounts` is 1 (count[0] must reach min_cell) or 2
 * (Welch: count[0] and count[1] must each reach it). With no primary cell
 * nothing changes. On success returns 0, marks the added cells
 * SUP_SECONDARY and sets *policy to 1 when the set took every cell and still
 * falls short (the policy's value must be withheld too), else 0. Returns
 * ERR_FAIL for ncells < 0 or ncounts not 1 or 2; cells unchanged then. */
int sup_complete(struct sup_cell *cells, int ncells, int ncounts, long long min_cell, int *policy);

/* The territory rule (docs/METHOD.md, "Territory level N") for one
 * neighbourhood, indicator and date: `cells` are the covering agreements in
 * scope at that date, after sup_complete. Sets *withhold to 1 when one of
 * them with respondents (n, count[0] or count[1] above 0) has its value
 * withheld (primary or secondary), else 0. Returns 0, or ERR_FAIL for
 * ncells < 0 (*withhold unchanged then). */
int sup_territory(const struct sup_cell *cells, int ncells, int *withhold);

#endif

/* decision: the decision model of docs/METHOD.md ("Targets, status and
 * normalisation", "Decision model") as pure functions over plain arrays — status against a
 * target, normalised score, dimension scores with coverage, the index, ranks
 * and the sensitivity of the index and ranks to the weights.
 *
 * Nulls: an input number that may be null is NaN when null (the caller
 * writes `num.set ? num.v : NAN`); an output that may be null comes with an
 * int flag beside it (0 = null, and the number is then 0), which maps
 * directly onto a scorecard's struct sc_num. Infinite inputs are refused.
 *
 * Every int function returns 0 and writes its out-params on success, or
 * returns a negative ERR_* code (message set with err_set) and writes
 * nothing. No function keeps state between calls. */
#ifndef CR_DECISION_H
#define CR_DECISION_H

#include <stdint.h>

/* The five dimensions, in the order of docs/METHOD.md (and of
 * enum cat_dimension): output, efficiency, effectiveness, social_impact,
 * organisational_impact. */
#define DEC_DIMS 5

/* Tolerance of the status comparisons, relative to max(1, |target|), and of
 * rank ties, relative to max(1, |index|): rounding never decides them. */
#define DEC_TOLERANCE 1e-9

/* The amber ratio a target has when targets.csv gives none. */
#define DEC_AMBER_RATIO_DEFAULT 0.8

/* Sensitivity: draws, the range of the weight factors, and the seed of the
 * generator (the ASCII bytes of "CRUSCOTT" read as a big-endian integer). */
#define DEC_SENS_DRAWS 1000
#define DEC_SENS_FACTOR_LOW 0.75
#define DEC_SENS_FACTOR_HIGH 1.25
#define DEC_SENS_SEED UINT64_C(0x43525553434F5454)

/* Polarity of an indicator; same order as enum cat_polarity. */
enum dec_polarity { DEC_POL_HIGHER, DEC_POL_LOWER, DEC_POL_NEUTRAL };

/* Status of an indicator against its target; same order as enum sc_status. */
enum dec_status { DEC_STATUS_NONE, DEC_STATUS_GREEN, DEC_STATUS_AMBER, DEC_STATUS_RED };

/* Spec names: "higher", "lower", "neutral"; "none", "green", "amber", "red".
 * NULL for a value outside the enum. */
const char *dec_polarity_name(enum dec_polarity p);
const char *dec_status_name(enum dec_status s);

/* Status of value v against target t with amber ratio r, tol = 1e-9·max(1,|t|):
 *   higher: green if v ≥ t − tol, amber if v ≥ t − (1−r)·|t| − tol, else red;
 *   lower:  green if v ≤ t + tol, amber if v ≤ t + (1−r)·|t| + tol, else red.
 * With t = 0 the amber band is empty: green or red. DEC_STATUS_NONE when the
 * polarity is neutral or v or t is NaN (null; a suppressed value is passed
 * as NaN); r is then not looked at. Fails on an unknown polarity, an
 * infinite v or t, or r outside [0, 1]. */
int dec_status(enum dec_polarity pol, double value, double target, double amber_ratio,
	       enum dec_status *out);

/* Normalised score 0-100 of value v against target t: 100 when green (as
 * dec_status: within the tolerance), else 100·max(0, 1 − gap/|t|) with
 * gap = t − v (higher) or v − t (lower), and 0 when t = 0. Null
 * (*has_score = 0) when the polarity is neutral or v or t is NaN. Fails on
 * an unknown polarity or an infinite v or t. */
int dec_normalised(enum dec_polarity pol, double value, double target, double *score,
		   int *has_score);

/* What is common to every scorecard of a policy: its indicators (any fixed
 * order, e.g. the catalogue's), the dimension each belongs to and the
 * weights of weights.csv (default 1). Fill with pointers to the caller's
 * arrays; nothing is copied or freed. */
struct dec_model {
	int n;			     /* number of indicators, ≥ 0 */
	const int *dimension;	     /* n entries: 0..DEC_DIMS−1, or −1 for none (ignored) */
	const double *weight;	     /* n indicator weights, each finite and ≥ 0 */
	double dim_weight[DEC_DIMS]; /* dimension weights, each finite and ≥ 0 */
};

/* One scorecard (the policy's or an agreement's) as the model sees it, with
 * entries in the order of dec_model. An indicator absent at this level has
 * has_target 0 and score NaN. */
struct dec_entity {
	const double *score;   /* n normalised scores in [0, 100]; NaN = null (no target,
				  null or suppressed value) */
	const int *has_target; /* n flags: the indicator has a target at this level;
				  a non-NaN score requires it */
};

/* A dimension's score and coverage. */
struct dec_dim {
	double score; /* weighted mean of the non-null scores of the dimension */
	int has_score;
	double coverage; /* Σ weights used / Σ weights of the indicators with a target */
	int has_coverage;
};

/* Dimension `dim` of entity e: score = Σ wᵢ·sᵢ / Σ wᵢ over the indicators of
 * the dimension with a target and a non-null score, null if there is none
 * or their weights sum to 0; coverage = that Σ wᵢ / Σ wᵢ over the indicators
 * of the dimension with a target, null if the latter is 0. Fails on
 * dim outside 0..DEC_DIMS−1 or an invalid model or entity (see the structs). */
int dec_dimension(const struct dec_model *m, const struct dec_entity *e, int dim,
		  struct dec_dim *out);

/* Index = Σ W_d·D_d / Σ W_d over the dimensions d with a score D_d (weights
 * dim_weight); null if there is none or their weights sum to 0. Fails on a
 * negative or non-finite weight or a score that is not finite. */
int dec_index(const struct dec_dim dims[DEC_DIMS], const double dim_weight[DEC_DIMS], double *index,
	      int *has_index);

/* The five dimensions and the index of entity e together. */
struct dec_result {
	struct dec_dim dim[DEC_DIMS];
	double index;
	int has_index;
};
int dec_evaluate(const struct dec_model *m, const struct dec_entity *e, struct dec_result *out);

/* Ranks of n indices (NaN = null): rank[i] = 1 + the number of non-null
 * indices j with index[j] > index[i] + 1e-9·max(1, |index[i]|), so rank 1 is
 * the highest, tied indices share the best rank of the tie (70, 80, 70, 60
 * give 2, 1, 2, 4) and a null index gets rank 0 (not ranked). rank has n
 * entries. Fails if n < 0, an index is infinite, or memory runs out. */
int dec_ranks(int n, const double *index, int *rank);

/* The p-quantile of x[0..n−1] (any order; not modified) by linear
 * interpolation between order statistics, Hyndman–Fan type 7 (R's default,
 * numpy's "linear"): with x sorted ascending, h = (n − 1)·p, j = ⌊h⌋,
 * q = x[j] + (h − j)·(x[j+1] − x[j]) (q = x[n−1] when j = n − 1).
 * Fails if n < 1, p is not in [0, 1], an x is not finite, or memory runs out. */
int dec_percentile(const double *x, int n, double p, double *out);

/* dec_percentile of n integers (the sensitivity's ranks), by selection
 * (expected O(n)) instead of a sort: x is reordered, the result is the same
 * double. Fails if n < 1 or p is not in [0, 1]. */
int dec_percentile_int(int *x, int n, double p, double *out);

/* The generator of the sensitivity draws: SplitMix64 (Steele, Lea, Flood
 * 2014; Vigna's reference splitmix64.c), fully specified so that any
 * implementation reproduces the draws:
 *   state += 0x9E3779B97F4A7C15;  z = state;
 *   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
 *   z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
 *   return z ^ (z >> 31);                      (all modulo 2^64)
 * Seeded with 0 the first outputs are 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4. */
struct dec_rng {
	uint64_t state;
};
void dec_rng_seed(struct dec_rng *r, uint64_t seed); /* state = seed */
uint64_t dec_rng_next(struct dec_rng *r);
/* A uniform double in [0, 1): (dec_rng_next(r) >> 11) · 2^−53. */
double dec_rng_uniform(struct dec_rng *r);

/* A 5th-95th percentile range; set = 0 means null (both numbers 0). */
struct dec_range {
	double p05, p95;
	int set;
};

/* Sensitivity of the policy's index and of the agreements' ranks to the
 * weights. One generator seeded with DEC_SENS_SEED; DEC_SENS_DRAWS draws;
 * in each draw, in this order, every indicator weight i = 0..n−1 and then
 * every dimension weight d = 0..DEC_DIMS−1 is multiplied by its own factor
 * 0.75 + 0.5·dec_rng_uniform() (one factor per model entry whether or not
 * any scorecard uses it, the same for the policy and every agreement), and
 * the policy's index (dec_evaluate) and the agreements' indices and ranks
 * (dec_ranks) are recomputed with the drawn weights.
 * *index gets the 5th and 95th percentiles (dec_percentile) of the policy's
 * index over the draws in which it is not null (null range if none);
 * ranks[a] likewise for the rank of agreements[a] over the draws in which it
 * is ranked. Positive factors never turn a weight to or from 0, so an index
 * null without the draws is null in every draw and its range is null.
 * ranks has n_agreements entries. Fails on an invalid model or entity or
 * when memory runs out. */
int dec_sensitivity(const struct dec_model *m, const struct dec_entity *policy,
		    const struct dec_entity *agreements, int n_agreements, struct dec_range *index,
		    struct dec_range *ranks);

#endif

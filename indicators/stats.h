/* stats: the survey statistics of docs/METHOD.md ("Survey statistics"),
 * finished from sufficient statistics.
 *
 * The SQL side aggregates respondent scores into (n, Σx, Σx²) per group, so
 * nothing here sees individual scores. Distributions come from GSL; the GSL
 * error handler is switched off (once, thread-safely) on first use so that a
 * domain error gives NaN instead of aborting the process.
 *
 * Conventions shared by every function below:
 * - standard deviations are sample ones (divisor n − 1), so they need n ≥ 2;
 * - the variance Σ(x − x̄)² / (n − 1) is computed as (Σx² − (Σx)²/n) / (n − 1)
 *   and the central sum Σx² − (Σx)²/n is taken as exactly 0 when it is below
 *   the rounding error the two sums can carry, 4·(n + 1)·DBL_EPSILON·Σx²
 *   (naive summation of n terms, with a margin): a constant sample has sd 0
 *   whatever its values, and rounding never gives a negative variance;
 * - "the sd is 0" means sd ≤ STATS_SD_ZERO (1e-9, the spec's tolerance);
 * - 95% intervals use t(0.975, df) for means and z = STATS_Z95 for shares;
 * - every function returns 0 and writes *out on success, or returns a
 *   negative ERR_* code (message set with err_set) and leaves *out alone. */
#ifndef CR_STATS_H
#define CR_STATS_H

/* Tolerance under which a standard deviation counts as 0 (docs/METHOD.md). */
#define STATS_SD_ZERO 1e-9

/* The normal quantile used by the Wilson interval (docs/METHOD.md). */
#define STATS_Z95 1.959964

/* Sufficient statistics of a sample: n values, their sum and the sum of
 * their squares. n = 0 with both sums 0 is the empty sample. */
typedef struct stats_suff {
	long long n;
	double sum;   /* Σx */
	double sumsq; /* Σx² */
} stats_suff;

/* What a survey indicator publishes. Each has_* flag says whether the field
 * beside it is set (0 = null, and the field is then 0). */
typedef struct stats_out {
	double value;
	int has_value;
	double ci_low, ci_high; /* 95% interval, both set or both null */
	int has_ci;
	double p_value;
	int has_p;
	double effect_size;
	int has_effect;
	long long n; /* always set: the n the spec publishes */
} stats_out;

/* The p-quantile of Student's t distribution with df degrees of freedom
 * (df need not be an integer), e.g. stats_t_quantile(0.975, 9) = 2.262157.
 * Returns NaN when p is not in (0, 1) or df is not a positive finite number. */
double stats_t_quantile(double p, double df);

/* Mean indicator: value = Σx/n; n = s.n; interval mean ± t(0.975, n−1)·sd/√n,
 * null if n < 2 and [mean, mean] if the sd is 0; no p_value, no effect size.
 * n = 0: everything null. Fails if n < 0 or a sum is not finite. */
int stats_mean(stats_suff s, stats_out *out);

/* Share indicator: k of n count; value = 100·k/n; 95% Wilson score interval
 * (z = STATS_Z95) in percent, clamped to [0, 100] against rounding; n = n.
 * n = 0: everything null. Fails if n < 0, k < 0 or k > n. */
int stats_share(long long k, long long n, stats_out *out);

/* Paired change, d = T1 − T0 per pair: value = mean d; n = pairs; t interval
 * as stats_mean; p_value of the two-sided paired t-test, t = mean/(sd/√n) on
 * n − 1 df (null if n < 2 or the sd is 0); effect_size = mean/sd (null if
 * n < 2 or the sd is 0). n = 0: everything null. Fails as stats_mean. */
int stats_paired(stats_suff d, stats_out *out);

/* Welch difference of independent samples T0 and T1: value = mean1 − mean0
 * (null unless n0 ≥ 1 and n1 ≥ 1); n = n0 + n1; no p_value, no effect size.
 * The interval is diff ± t(0.975, df)·se with se² = v0 + v1, vi = sdi²/ni,
 * and the Welch–Satterthwaite df = (v0 + v1)² / (v0²/(n0−1) + v1²/(n1−1)).
 * Choices where the formula degenerates:
 * - n0 < 2 or n1 < 2: that group has no sample sd, so the interval is null
 *   (the value is still published when both groups are non-empty);
 * - one sd is 0: its vi is exactly 0 and the formula reduces to the other
 *   group's n − 1 df, an ordinary t interval on the other group alone;
 * - both sds are 0: se = 0 and the interval is [diff, diff].
 * Fails if a group fails as in stats_mean. */
int stats_welch(stats_suff t0, stats_suff t1, stats_out *out);

#endif

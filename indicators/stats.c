#include "stats.h"

#include "err.h"

#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

static once_flag gsl_once = ONCE_FLAG_INIT;

static void gsl_quiet(void)
{
	gsl_set_error_handler_off();
}

/* GSL's default handler aborts the process on a domain error; the engine
 * serves HTTP, so it must get NaN back instead. call_once because the
 * handler is a process-wide variable and several threads may compute. */
static void gsl_init(void)
{
	call_once(&gsl_once, gsl_quiet);
}

double stats_t_quantile(double p, double df)
{
	gsl_init();
	if (!(p > 0 && p < 1) || !(df > 0) || !isfinite(df))
		return NAN;
	return gsl_cdf_tdist_Pinv(p, df);
}

/* stats_t_quantile(0.975, df) for a whole df, remembered for the smaller
 * ones: the intervals of every entity, date and survey ask for the same few
 * hundred, and GSL's inversion is the cost of finishing them. The bits are
 * GSL's own, so the numbers do not change; they are stored atomically
 * (0 = not yet) because several threads may compute at once, and any of them
 * stores the same bits. */
static double t975(long long df)
{
	static _Atomic uint64_t known[4096];
	uint64_t bits;
	double q;

	if (df < 1 || df >= 4096)
		return stats_t_quantile(0.975, (double)df);
	bits = atomic_load_explicit(&known[df], memory_order_relaxed);
	if (bits) {
		memcpy(&q, &bits, sizeof(q));
		return q;
	}
	q = stats_t_quantile(0.975, (double)df);
	memcpy(&bits, &q, sizeof(bits));
	atomic_store_explicit(&known[df], bits, memory_order_relaxed);
	return q;
}

static int check_suff(const char *what, stats_suff s)
{
	if (s.n < 0)
		return err_set(ERR_FAIL, "%s: negative count %lld", what, s.n);
	if (!isfinite(s.sum) || !isfinite(s.sumsq))
		return err_set(ERR_FAIL, "%s: sums are not finite", what);
	return 0;
}

/* Sample sd of a sample with n ≥ 2, with the rounding guard of stats.h;
 * returns exactly 0 when the spec's tolerance says the sd is 0. */
static double suff_sd(stats_suff s)
{
	double n = (double)s.n;
	double css = s.sumsq - s.sum * s.sum / n;
	double sd;

	if (css <= 4.0 * (n + 1.0) * DBL_EPSILON * fabs(s.sumsq))
		return 0;
	sd = sqrt(css / (n - 1.0));
	return sd <= STATS_SD_ZERO ? 0 : sd;
}

/* Mean, n and t interval: the part stats_mean and stats_paired share.
 * *sd is set to the sample sd when n ≥ 2, else to NaN. */
static void mean_ci(stats_suff s, stats_out *o, double *sd)
{
	double mean, half;

	*o = (stats_out){.n = s.n};
	*sd = NAN;
	if (s.n == 0)
		return;
	mean = s.sum / (double)s.n;
	o->value = mean;
	o->has_value = 1;
	if (s.n < 2)
		return;
	*sd = suff_sd(s);
	/* sd 0 gives half 0 without asking GSL: [mean, mean] exactly. */
	half = *sd == 0 ? 0 : t975(s.n - 1) * *sd / sqrt((double)s.n);
	o->ci_low = mean - half;
	o->ci_high = mean + half;
	o->has_ci = 1;
}

int stats_mean(stats_suff s, stats_out *out)
{
	stats_out o;
	double sd;
	int rc = check_suff("mean", s);

	if (rc)
		return rc;
	mean_ci(s, &o, &sd);
	*out = o;
	return 0;
}

int stats_share(long long k, long long n, stats_out *out)
{
	stats_out o = {.n = n};
	double z = STATS_Z95, p, denom, centre, half;

	if (n < 0 || k < 0 || k > n)
		return err_set(ERR_FAIL, "share: invalid count %lld of %lld", k, n);
	if (n > 0) {
		p = (double)k / (double)n;
		denom = 1.0 + z * z / (double)n;
		centre = (p + z * z / (2.0 * (double)n)) / denom;
		half = z / denom * sqrt(p * (1.0 - p) / (double)n + z * z / (4.0 * n * (double)n));
		/* 100·k first: an exact product, so 149 of 250 reads 59.6 */
		o.value = 100.0 * (double)k / (double)n;
		o.has_value = 1;
		/* At k = 0 or k = n the bound is 0 or 100 mathematically but
		 * can round a hair outside. */
		o.ci_low = fmax(0.0, 100.0 * (centre - half));
		o.ci_high = fmin(100.0, 100.0 * (centre + half));
		o.has_ci = 1;
	}
	*out = o;
	return 0;
}

int stats_paired(stats_suff d, stats_out *out)
{
	stats_out o;
	double sd, t;
	int rc = check_suff("paired", d);

	if (rc)
		return rc;
	mean_ci(d, &o, &sd);
	/* sd is NaN for n < 2, so both tests below also exclude n < 2. */
	if (sd > 0) {
		gsl_init();
		t = o.value / (sd / sqrt((double)d.n));
		o.p_value = 2.0 * gsl_cdf_tdist_Q(fabs(t), (double)(d.n - 1));
		o.has_p = 1;
		o.effect_size = o.value / sd;
		o.has_effect = 1;
	}
	*out = o;
	return 0;
}

int stats_welch(stats_suff t0, stats_suff t1, stats_out *out)
{
	stats_out o = {0};
	double diff, v0, v1, se2, df, half;
	int rc = check_suff("welch T0", t0);

	if (!rc)
		rc = check_suff("welch T1", t1);
	if (rc)
		return rc;
	o.n = t0.n + t1.n;
	if (t0.n > 0 && t1.n > 0) {
		diff = t1.sum / (double)t1.n - t0.sum / (double)t0.n;
		o.value = diff;
		o.has_value = 1;
		if (t0.n >= 2 && t1.n >= 2) {
			/* suff_sd gives exactly 0 under the tolerance, so with
			 * one variance 0 the df below is exactly n_other − 1. */
			v0 = pow(suff_sd(t0), 2) / (double)t0.n;
			v1 = pow(suff_sd(t1), 2) / (double)t1.n;
			se2 = v0 + v1;
			half = 0;
			if (se2 > 0) {
				df = se2 * se2 /
				     (v0 * v0 / (double)(t0.n - 1) + v1 * v1 / (double)(t1.n - 1));
				half = stats_t_quantile(0.975, df) * sqrt(se2);
			}
			o.ci_low = diff - half;
			o.ci_high = diff + half;
			o.has_ci = 1;
		}
	}
	*out = o;
	return 0;
}

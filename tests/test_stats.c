/* Unit tests of indicators/stats: every expected number is derived by hand
 * in the comment beside it (t quantiles are quoted to 6 decimals and were
 * cross-checked against an independent high-precision computation). */
#include "check_main.h"

#include "err.h"
#include "stats.h"

#include <math.h>
#include <string.h>

/* Hand values are quoted with 7+ significant digits. */
#define TOL 1e-6

/* Sufficient statistics of x[0..n-1], summed in order like the SQL side. */
static stats_suff suff_of(const double *x, int n)
{
	stats_suff s = {0};
	int i;

	for (i = 0; i < n; i++) {
		s.n++;
		s.sum += x[i];
		s.sumsq += x[i] * x[i];
	}
	return s;
}

/* A stats_out full of garbage, to see that a failing call leaves it alone. */
static stats_out sentinel(void)
{
	stats_out o;

	memset(&o, 0x5a, sizeof(o));
	return o;
}

START_TEST(test_stats_t_quantile)
{
	/* Reference value of the brief (tables: t(0.975, 9) = 2.262157). */
	ck_assert_double_eq_tol(stats_t_quantile(0.975, 9), 2.262157, TOL);
	/* df = 2 has a closed form: t = (2p − 1)/√(2p(1 − p))
	 * = 0.95/√(2·0.975·0.025) = 0.95/√0.04875 = 0.95/0.2207940 = 4.302653. */
	ck_assert_double_eq_tol(stats_t_quantile(0.975, 2), 4.302653, TOL);
	/* Symmetry: t(0.025, 9) = −t(0.975, 9). */
	ck_assert_double_eq_tol(stats_t_quantile(0.025, 9), -2.262157, TOL);
	/* Outside the domain: NaN, never an abort from GSL. */
	ck_assert(isnan(stats_t_quantile(0, 9)));
	ck_assert(isnan(stats_t_quantile(1, 9)));
	ck_assert(isnan(stats_t_quantile(0.975, 0)));
	ck_assert(isnan(stats_t_quantile(NAN, 9)));
}
END_TEST

START_TEST(test_stats_mean_t_interval)
{
	/* x = 2 4 4 4 5 5 7 9: n = 8, Σx = 40, Σx² = 4+16+16+16+25+25+49+81 = 232.
	 * mean = 40/8 = 5; Σ(x − x̄)² = 232 − 40²/8 = 232 − 200 = 32;
	 * s² = 32/7 = 4.571429, s = 2.138090; s/√8 = 2.138090/2.828427 = 0.755929;
	 * t(0.975, 7) = 2.364624; half = 2.364624·0.755929 = 1.787488;
	 * interval [5 − 1.787488, 5 + 1.787488] = [3.212512, 6.787488]. */
	static const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	stats_out o;

	ck_assert_int_eq(stats_mean(suff_of(x, 8), &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, 5.0, TOL);
	ck_assert_int_eq(o.n, 8);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.ci_low, 3.212512, TOL);
	ck_assert_double_eq_tol(o.ci_high, 6.787488, TOL);
	/* A mean indicator publishes no test and no effect size. */
	ck_assert_int_eq(o.has_p, 0);
	ck_assert_int_eq(o.has_effect, 0);
}
END_TEST

/* The interval's t quantile is remembered by df: asked again (and from
 * the remembered value), the same doubles to the bit as GSL's quantile in
 * the formula. Same x as above: s/√8 = 0.755929, t(0.975, 7) = 2.364624. */
START_TEST(test_stats_mean_t_remembered)
{
	static const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	double half = stats_t_quantile(0.975, 7) * sqrt(32.0 / 7.0) / sqrt(8.0);
	stats_out a, b;

	ck_assert_int_eq(stats_mean(suff_of(x, 8), &a), 0);
	ck_assert_int_eq(stats_mean(suff_of(x, 8), &b), 0);
	ck_assert(a.ci_low == b.ci_low && a.ci_high == b.ci_high);
	ck_assert(a.ci_low == 5.0 - half && a.ci_high == 5.0 + half);
	ck_assert_double_eq_tol(half, 1.787488, TOL);
}
END_TEST

START_TEST(test_stats_mean_n_below_2)
{
	stats_suff one = {1, 3.5, 12.25}; /* the single value 3.5 */
	stats_suff none = {0, 0, 0};
	stats_out o;

	/* n = 1: the mean is 3.5/1 = 3.5, but no sd, so no interval. */
	ck_assert_int_eq(stats_mean(one, &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, 3.5, TOL);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.n, 1);
	/* n = 0: no value at all, n published as 0. */
	ck_assert_int_eq(stats_mean(none, &o), 0);
	ck_assert_int_eq(o.has_value, 0);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.n, 0);
}
END_TEST

START_TEST(test_stats_mean_zero_sd)
{
	/* 10 × 0.1 summed in double: Σx = 0.9999999999999999, Σx² =
	 * 0.10000000000000003, so Σx² − (Σx)²/n = 5.55e-17 and the naive sd
	 * √(5.55e-17/9) = 2.48e-9 would exceed the 1e-9 tolerance. The sample is
	 * constant: sd 0, interval [0.1, 0.1]. */
	double x[1000];
	stats_out o;
	int i;

	for (i = 0; i < 10; i++)
		x[i] = 0.1;
	ck_assert_int_eq(stats_mean(suff_of(x, 10), &o), 0);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.value, 0.1, TOL);
	ck_assert(o.ci_low == o.value && o.ci_high == o.value);

	/* 1000 respondents with score 127/30 (mean of 30 items): the naive sd
	 * is 7.2e-7 from rounding alone; still a constant sample. */
	for (i = 0; i < 1000; i++)
		x[i] = 127.0 / 30.0;
	ck_assert_int_eq(stats_mean(suff_of(x, 1000), &o), 0);
	ck_assert(o.ci_low == o.value && o.ci_high == o.value);

	/* Rounding that makes Σx² − (Σx)²/n negative (3 × 0.1: −3.5e-18)
	 * gives sd 0, not NaN. */
	for (i = 0; i < 3; i++)
		x[i] = 0.1;
	ck_assert_int_eq(stats_mean(suff_of(x, 3), &o), 0);
	ck_assert(o.ci_low == o.value && o.ci_high == o.value);
	ck_assert(!isnan(o.ci_low));
}
END_TEST

START_TEST(test_stats_mean_small_sd_kept)
{
	/* x = 1, 1 + 1e-6: mean 1.0000005, s = 1e-6/√2 = 7.071068e-7 > 1e-9, so
	 * the rounding guard must not take it for 0: half = t(0.975, 1)·s/√2 =
	 * 12.706205·5e-7 = 6.353102e-6. Σx² − (Σx)²/2 = 5e-13 is itself only
	 * known to ~1e-3 relative (cancellation), hence the tolerance 2e-8. */
	static const double x[] = {1, 1 + 1e-6};
	stats_out o;

	ck_assert_int_eq(stats_mean(suff_of(x, 2), &o), 0);
	ck_assert_double_eq_tol(o.ci_high - o.value, 6.353102e-6, 2e-8);
}
END_TEST

START_TEST(test_stats_invalid_input)
{
	stats_suff neg = {-1, 0, 0};
	stats_suff inf = {2, INFINITY, 1};
	stats_suff ok = {2, 2, 2};
	stats_out o = sentinel(), before = sentinel();

	ck_assert_int_eq(stats_mean(neg, &o), ERR_FAIL);
	ck_assert_int_eq(stats_mean(inf, &o), ERR_FAIL);
	ck_assert_int_eq(stats_paired(neg, &o), ERR_FAIL);
	ck_assert_int_eq(stats_welch(ok, neg, &o), ERR_FAIL);
	ck_assert_int_eq(stats_welch(neg, ok, &o), ERR_FAIL);
	ck_assert_int_eq(stats_share(11, 10, &o), ERR_FAIL);
	ck_assert_int_eq(stats_share(-1, 10, &o), ERR_FAIL);
	ck_assert_int_eq(stats_share(0, -1, &o), ERR_FAIL);
	ck_assert_str_ne(err_last(), "");
	/* Out-params are written only on success. */
	ck_assert(memcmp(&o, &before, sizeof(o)) == 0);
}
END_TEST

START_TEST(test_stats_share_wilson)
{
	/* 8 of 10: p̂ = 0.8, value 80; z = 1.959964, z² = 3.841459, z²/n = 0.3841459,
	 * d = 1 + z²/n = 1.3841459;
	 * centre = (p̂ + z²/2n)/d = (0.8 + 0.1920729)/1.3841459 = 0.7167402;
	 * half = (z/d)·√(p̂(1−p̂)/n + z²/4n²) = 1.4160097·√(0.016 + 0.0096036)
	 *      = 1.4160097·0.1600114 = 0.2265777;
	 * interval [0.4901625, 0.9433178] → 49.01625 % … 94.33178 %. */
	stats_out o;

	ck_assert_int_eq(stats_share(8, 10, &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, 80.0, TOL);
	ck_assert_int_eq(o.n, 10);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.ci_low, 49.01625, 1e-4);
	ck_assert_double_eq_tol(o.ci_high, 94.33178, 1e-4);
	ck_assert_int_eq(o.has_p, 0);
	ck_assert_int_eq(o.has_effect, 0);
}
END_TEST

START_TEST(test_stats_share_extremes)
{
	/* 0 of 5: p̂ = 0, z²/n = 3.841459/5 = 0.7682918, d = 1.7682918;
	 * centre = half = (z²/2n)/d = 0.3841459/1.7682918 = 0.2172412, so the
	 * interval is [0, 43.44825 %] (the low bound clamped to exactly 0).
	 * 5 of 5 mirrors it: [100 − 43.44825, 100] = [56.55175 %, 100 %]. */
	stats_out o;

	ck_assert_int_eq(stats_share(0, 5, &o), 0);
	ck_assert_double_eq_tol(o.value, 0.0, TOL);
	ck_assert(o.ci_low >= 0.0);
	ck_assert_double_eq_tol(o.ci_low, 0.0, 1e-9);
	ck_assert_double_eq_tol(o.ci_high, 43.44825, 1e-4);
	ck_assert_int_eq(stats_share(5, 5, &o), 0);
	ck_assert_double_eq_tol(o.value, 100.0, TOL);
	ck_assert_double_eq_tol(o.ci_low, 56.55175, 1e-4);
	ck_assert(o.ci_high <= 100.0);
	ck_assert_double_eq_tol(o.ci_high, 100.0, 1e-9);
	/* n = 0: a ratio over nothing is null. */
	ck_assert_int_eq(stats_share(0, 0, &o), 0);
	ck_assert_int_eq(o.has_value, 0);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.n, 0);
}
END_TEST

START_TEST(test_stats_paired_t_test)
{
	/* d = T1 − T0 = 2 1 3 0 4 over 5 pairs: Σd = 10, Σd² = 4+1+9+0+16 = 30;
	 * mean d = 2; Σ(d − d̄)² = 30 − 10²/5 = 10; s² = 10/4 = 2.5, s = 1.581139;
	 * s/√5 = 0.7071068; t = 2/0.7071068 = 2.828427 (= 2√2) on df = 4.
	 * p: df = 4 has the closed form F(t) = ½ + ⅜·u·(1 − w/12) with
	 * u = t/√(1 + t²/4) = 2.828427/√3 = 1.632993 and w = t²/(1 + t²/4) = 8/3:
	 * F = 0.5 + 0.375·1.632993·(1 − (8/3)/12) = 0.5 + 0.375·1.632993·0.7777778
	 *   = 0.5 + 0.4762896 = 0.9762896; p = 2·(1 − F) = 0.0474207
	 * (GSL's CDF at t = 2.828427, df = 4 agrees).
	 * effect size = 2/1.581139 = 1.264911.
	 * Interval: t(0.975, 4) = 2.776445; half = 2.776445·0.7071068 = 1.963243;
	 * [0.036757, 3.963243]. */
	static const double d[] = {2, 1, 3, 0, 4};
	static const double neg[] = {-2, -1, -3, 0, -4};
	stats_out o;

	ck_assert_int_eq(stats_paired(suff_of(d, 5), &o), 0);
	ck_assert_double_eq_tol(o.value, 2.0, TOL);
	ck_assert_int_eq(o.n, 5);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.ci_low, 0.036757, TOL);
	ck_assert_double_eq_tol(o.ci_high, 3.963243, TOL);
	ck_assert_int_eq(o.has_p, 1);
	ck_assert_double_eq_tol(o.p_value, 0.0474207, TOL);
	ck_assert_int_eq(o.has_effect, 1);
	ck_assert_double_eq_tol(o.effect_size, 1.264911, TOL);

	/* The mirror sample: same two-sided p, effect size and mean negated. */
	ck_assert_int_eq(stats_paired(suff_of(neg, 5), &o), 0);
	ck_assert_double_eq_tol(o.value, -2.0, TOL);
	ck_assert_double_eq_tol(o.p_value, 0.0474207, TOL);
	ck_assert_double_eq_tol(o.effect_size, -1.264911, TOL);
	ck_assert_double_eq_tol(o.ci_low, -3.963243, TOL);
}
END_TEST

START_TEST(test_stats_paired_zero_sd)
{
	/* d = 1.5 three times: mean 1.5, sd 0: interval [1.5, 1.5], no p-value
	 * (t would be infinite), no effect size (division by sd 0). */
	static const double d[] = {1.5, 1.5, 1.5};
	stats_out o;

	ck_assert_int_eq(stats_paired(suff_of(d, 3), &o), 0);
	ck_assert_double_eq_tol(o.value, 1.5, TOL);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.ci_low, 1.5, 1e-12);
	ck_assert_double_eq_tol(o.ci_high, 1.5, 1e-12);
	ck_assert_int_eq(o.has_p, 0);
	ck_assert_int_eq(o.has_effect, 0);
}
END_TEST

START_TEST(test_stats_paired_n_below_2)
{
	/* One pair, d = −0.5: a value, but no sd, so no interval, p or effect. */
	stats_suff one = {1, -0.5, 0.25};
	stats_suff none = {0, 0, 0};
	stats_out o;

	ck_assert_int_eq(stats_paired(one, &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, -0.5, TOL);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.has_p, 0);
	ck_assert_int_eq(o.has_effect, 0);
	ck_assert_int_eq(stats_paired(none, &o), 0);
	ck_assert_int_eq(o.has_value, 0);
	ck_assert_int_eq(o.n, 0);
}
END_TEST

START_TEST(test_stats_welch_interval)
{
	/* T0 = 2 3 4: n0 = 3, mean0 = 3, s0² = (1+0+1)/2 = 1.
	 * T1 = 3 5 6 8 8: n1 = 5, mean1 = 30/5 = 6, deviations −3 −1 0 2 2,
	 * Σ = 9+1+0+4+4 = 18, s1² = 18/4 = 4.5.
	 * diff = 6 − 3 = 3; v0 = 1/3 = 0.3333333, v1 = 4.5/5 = 0.9;
	 * se² = 1.2333333, se = 1.1105554;
	 * df = se⁴/(v0²/(n0−1) + v1²/(n1−1)) = 1.5211111/(0.1111111/2 + 0.81/4)
	 *    = 1.5211111/(0.0555556 + 0.2025) = 1.5211111/0.2580556 = 5.894510;
	 * t(0.975, 5.894510) = 2.457566; half = 2.457566·1.1105554 = 2.729263;
	 * interval [0.270737, 5.729263]; n = 3 + 5 = 8. */
	static const double t0[] = {2, 3, 4};
	static const double t1[] = {3, 5, 6, 8, 8};
	stats_out o;

	ck_assert_double_eq_tol(stats_t_quantile(0.975, 5.894510), 2.457566, TOL);
	ck_assert_int_eq(stats_welch(suff_of(t0, 3), suff_of(t1, 5), &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, 3.0, TOL);
	ck_assert_int_eq(o.n, 8);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.ci_low, 0.270737, TOL);
	ck_assert_double_eq_tol(o.ci_high, 5.729263, TOL);
	ck_assert_int_eq(o.has_p, 0);
	ck_assert_int_eq(o.has_effect, 0);
}
END_TEST

START_TEST(test_stats_welch_zero_sd)
{
	/* T0 = 5 5 5 (v0 = 0), T1 = 3 5 6 8 8 (v1 = 4.5/5 = 0.9): diff = 6 − 5 = 1;
	 * df = 0.9²/(0 + 0.9²/4) = 4 = n1 − 1 exactly; se = √0.9 = 0.9486833;
	 * t(0.975, 4) = 2.776445; half = 2.776445·0.9486833 = 2.633967;
	 * interval [−1.633967, 3.633967]. */
	static const double c5[] = {5, 5, 5};
	static const double t1[] = {3, 5, 6, 8, 8};
	/* T0 = 5 5, T1 = 7 7 7: both variances 0, diff 2, interval [2, 2]. */
	static const double c7[] = {7, 7, 7};
	stats_out o;

	ck_assert_int_eq(stats_welch(suff_of(c5, 3), suff_of(t1, 5), &o), 0);
	ck_assert_double_eq_tol(o.value, 1.0, TOL);
	ck_assert_double_eq_tol(o.ci_low, -1.633967, TOL);
	ck_assert_double_eq_tol(o.ci_high, 3.633967, TOL);
	/* Swapping the groups negates the interval: the zero variance may be
	 * either one. */
	ck_assert_int_eq(stats_welch(suff_of(t1, 5), suff_of(c5, 3), &o), 0);
	ck_assert_double_eq_tol(o.ci_low, -3.633967, TOL);
	ck_assert_double_eq_tol(o.ci_high, 1.633967, TOL);

	ck_assert_int_eq(stats_welch(suff_of(c5, 2), suff_of(c7, 3), &o), 0);
	ck_assert_int_eq(o.has_ci, 1);
	ck_assert_double_eq_tol(o.value, 2.0, TOL);
	ck_assert_double_eq_tol(o.ci_low, 2.0, 1e-12);
	ck_assert_double_eq_tol(o.ci_high, 2.0, 1e-12);
	ck_assert_int_eq(o.n, 5);
}
END_TEST

START_TEST(test_stats_welch_n_below_2)
{
	/* T0 = 4 alone, T1 = 3 5 6 8 8: diff = 6 − 4 = 2 is published, but T0
	 * has no sd, so no interval; n = 1 + 5 = 6. */
	static const double t0[] = {4};
	static const double t1[] = {3, 5, 6, 8, 8};
	stats_out o;

	ck_assert_int_eq(stats_welch(suff_of(t0, 1), suff_of(t1, 5), &o), 0);
	ck_assert_int_eq(o.has_value, 1);
	ck_assert_double_eq_tol(o.value, 2.0, TOL);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.n, 6);
	/* T0 empty: no difference at all; n = 0 + 5. */
	ck_assert_int_eq(stats_welch(suff_of(t0, 0), suff_of(t1, 5), &o), 0);
	ck_assert_int_eq(o.has_value, 0);
	ck_assert_int_eq(o.has_ci, 0);
	ck_assert_int_eq(o.n, 5);
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_stats_t_quantile);
	tcase_add_test(tc, test_stats_mean_t_interval);
	tcase_add_test(tc, test_stats_mean_t_remembered);
	tcase_add_test(tc, test_stats_mean_n_below_2);
	tcase_add_test(tc, test_stats_mean_zero_sd);
	tcase_add_test(tc, test_stats_mean_small_sd_kept);
	tcase_add_test(tc, test_stats_invalid_input);
	tcase_add_test(tc, test_stats_share_wilson);
	tcase_add_test(tc, test_stats_share_extremes);
	tcase_add_test(tc, test_stats_paired_t_test);
	tcase_add_test(tc, test_stats_paired_zero_sd);
	tcase_add_test(tc, test_stats_paired_n_below_2);
	tcase_add_test(tc, test_stats_welch_interval);
	tcase_add_test(tc, test_stats_welch_zero_sd);
	tcase_add_test(tc, test_stats_welch_n_below_2);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(stats_suite)

/* Unit tests of indicators/decision: every expected number is derived by
 * hand in the comment beside it. */
#include "check_main.h"

#include "decision.h"
#include "err.h"

#include <math.h>
#include <string.h>

#define TOL 1e-6

static enum dec_status status_of(enum dec_polarity pol, double v, double t, double r)
{
	enum dec_status st = (enum dec_status) - 1;

	ck_assert_int_eq(dec_status(pol, v, t, r, &st), 0);
	return st;
}

START_TEST(test_decision_names)
{
	ck_assert_str_eq(dec_polarity_name(DEC_POL_HIGHER), "higher");
	ck_assert_str_eq(dec_polarity_name(DEC_POL_LOWER), "lower");
	ck_assert_str_eq(dec_polarity_name(DEC_POL_NEUTRAL), "neutral");
	ck_assert_ptr_null(dec_polarity_name((enum dec_polarity)7));
	ck_assert_str_eq(dec_status_name(DEC_STATUS_NONE), "none");
	ck_assert_str_eq(dec_status_name(DEC_STATUS_GREEN), "green");
	ck_assert_str_eq(dec_status_name(DEC_STATUS_AMBER), "amber");
	ck_assert_str_eq(dec_status_name(DEC_STATUS_RED), "red");
	ck_assert_ptr_null(dec_status_name((enum dec_status) - 1));
}
END_TEST

START_TEST(test_decision_status_higher)
{
	/* t = 10, r = 0.8: amber band (1 − 0.8)·10 = 2, so green from 10, amber
	 * from 8; tol = 1e-9·max(1, 10) = 1e-8 on each boundary. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 12, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 10, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 10 - 5e-9, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 10 - 2e-8, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 9, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 8, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 8 - 5e-9, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 8 - 2e-8, 10, 0.8), DEC_STATUS_RED);
	/* r = 0.5 widens the band to 5: 6 is amber, 4.9 red. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 6, 10, 0.5), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 4.9, 10, 0.5), DEC_STATUS_RED);
	/* Rounding never decides: t = 0.1 + 0.2 = 0.30000000000000004 in
	 * double, so v = 0.3 lies 5.6e-17 below it, well within tol 1e-9. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 0.3, 0.1 + 0.2, 0.8), DEC_STATUS_GREEN);
	/* Negative target t = −10: band 2 below, amber down to −12. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, -10, -10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, -12, -10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, -12.1, -10, 0.8), DEC_STATUS_RED);
}
END_TEST

START_TEST(test_decision_status_lower)
{
	/* t = 10, r = 0.8: green up to 10, amber up to 10 + 2 = 12, tol 1e-8. */
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 7, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 10, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 10 + 5e-9, 10, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 10 + 2e-8, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 12, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 12 + 5e-9, 10, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 12 + 2e-8, 10, 0.8), DEC_STATUS_RED);
	/* Large target t = 1e6: tol = 1e-9·1e6 = 1e-3 (relative), band 2e5. */
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 1e6 + 5e-4, 1e6, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 1e6 + 2e-3, 1e6, 0.8), DEC_STATUS_AMBER);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 1.2e6 + 2e-3, 1e6, 0.8), DEC_STATUS_RED);
}
END_TEST

START_TEST(test_decision_status_zero_target)
{
	/* t = 0: band (1 − r)·|0| = 0, tol = 1e-9·max(1, 0) = 1e-9: green or red. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 0, 0, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, 3, 0, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, -5e-10, 0, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, -2e-9, 0, 0.8), DEC_STATUS_RED);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 0, 0, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 5e-10, 0, 0.8), DEC_STATUS_GREEN);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 2e-9, 0, 0.8), DEC_STATUS_RED);
}
END_TEST

START_TEST(test_decision_status_none_and_invalid)
{
	enum dec_status st = DEC_STATUS_RED;

	/* Null value, null target, neutral: none, whatever the ratio. */
	ck_assert_int_eq(status_of(DEC_POL_HIGHER, NAN, 10, 0.8), DEC_STATUS_NONE);
	ck_assert_int_eq(status_of(DEC_POL_LOWER, 5, NAN, NAN), DEC_STATUS_NONE);
	ck_assert_int_eq(status_of(DEC_POL_NEUTRAL, 5, 10, 0.8), DEC_STATUS_NONE);
	/* Invalid input fails and leaves the out-param alone. */
	ck_assert_int_eq(dec_status(DEC_POL_HIGHER, 5, 10, 1.5, &st), ERR_FAIL);
	ck_assert_int_eq(dec_status(DEC_POL_HIGHER, 5, 10, -0.1, &st), ERR_FAIL);
	ck_assert_int_eq(dec_status(DEC_POL_HIGHER, INFINITY, 10, 0.8, &st), ERR_FAIL);
	ck_assert_int_eq(dec_status((enum dec_polarity)9, 5, 10, 0.8, &st), ERR_FAIL);
	ck_assert_int_eq(st, DEC_STATUS_RED);
}
END_TEST

START_TEST(test_decision_normalised)
{
	double s = -1;
	int has = -1;

	/* higher, t = 10: v = 8 → gap 2 → 100·(1 − 2/10) = 80. */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 8, 10, &s, &has), 0);
	ck_assert_int_eq(has, 1);
	ck_assert_double_eq_tol(s, 80, TOL);
	/* v = 2.5 → gap 7.5 → 100·(1 − 0.75) = 25 (red, still scored). */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 2.5, 10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 25, TOL);
	/* v = −5 → gap 15 → 100·max(0, 1 − 1.5) = 0. */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, -5, 10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 0, TOL);
	/* Green: v = 14 ≥ 10 → 100 (not 140); v = 10 − 5e-9 within tol 1e-8 → 100. */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 14, 10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 100, TOL);
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 10 - 5e-9, 10, &s, &has), 0);
	ck_assert(s == 100);
	/* lower, t = 10: v = 13 → gap 3 → 100·(1 − 0.3) = 70; v = 9 → green 100. */
	ck_assert_int_eq(dec_normalised(DEC_POL_LOWER, 13, 10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 70, TOL);
	ck_assert_int_eq(dec_normalised(DEC_POL_LOWER, 9, 10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 100, TOL);
	/* Negative target, higher, t = −10: v = −12 → gap 2 → 100·(1 − 2/|−10|) = 80. */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, -12, -10, &s, &has), 0);
	ck_assert_double_eq_tol(s, 80, TOL);
	/* t = 0: green gives 100, anything else 0 (no division by |t| = 0). */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 0, 0, &s, &has), 0);
	ck_assert_double_eq_tol(s, 100, TOL);
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, -1, 0, &s, &has), 0);
	ck_assert_int_eq(has, 1);
	ck_assert_double_eq_tol(s, 0, TOL);
	ck_assert_int_eq(dec_normalised(DEC_POL_LOWER, 0.5, 0, &s, &has), 0);
	ck_assert_double_eq_tol(s, 0, TOL);
	/* Null: no target, null value, neutral. */
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 5, NAN, &s, &has), 0);
	ck_assert_int_eq(has, 0);
	has = -1;
	ck_assert_int_eq(dec_normalised(DEC_POL_LOWER, NAN, 5, &s, &has), 0);
	ck_assert_int_eq(has, 0);
	has = -1;
	ck_assert_int_eq(dec_normalised(DEC_POL_NEUTRAL, 5, 5, &s, &has), 0);
	ck_assert_int_eq(has, 0);
	/* Invalid: nothing written. */
	s = 42;
	has = 7;
	ck_assert_int_eq(dec_normalised((enum dec_polarity)5, 5, 5, &s, &has), ERR_FAIL);
	ck_assert_int_eq(dec_normalised(DEC_POL_HIGHER, 5, -INFINITY, &s, &has), ERR_FAIL);
	ck_assert_double_eq(s, 42);
	ck_assert_int_eq(has, 7);
}
END_TEST

/* The dimension fixture:
 *   i  dim  weight  target  score
 *   0   0    1       yes     80
 *   1   0    3       yes     50
 *   2   0    2       yes     null (value null or suppressed)
 *   3   0    5       no      null
 *   4   1    0       yes    100   (weight 0)
 *   5   1    2       yes     40
 *   6  −1    9       yes     10   (in no dimension: ignored) */
static const int fx_dim[] = {0, 0, 0, 0, 1, 1, -1};
static const double fx_weight[] = {1, 3, 2, 5, 0, 2, 9};
static const int fx_target[] = {1, 1, 1, 0, 1, 1, 1};
static const double fx_score[] = {80, 50, NAN, NAN, 100, 40, 10};

static struct dec_model fx_model(void)
{
	struct dec_model m = {7, fx_dim, fx_weight, {1, 3, 1, 1, 1}};

	return m;
}

START_TEST(test_decision_dimension_coverage)
{
	struct dec_model m = fx_model();
	struct dec_entity e = {fx_score, fx_target};
	struct dec_dim d;

	/* dim 0: used 0 and 1: (80·1 + 50·3)/(1 + 3) = 230/4 = 57.5;
	 * coverage = (1 + 3)/(1 + 3 + 2) = 4/6 = 0.666667 (indicator 3 has no
	 * target, so its weight 5 counts nowhere). */
	ck_assert_int_eq(dec_dimension(&m, &e, 0, &d), 0);
	ck_assert_int_eq(d.has_score, 1);
	ck_assert_double_eq_tol(d.score, 57.5, TOL);
	ck_assert_int_eq(d.has_coverage, 1);
	ck_assert_double_eq_tol(d.coverage, 0.666667, TOL);
	/* dim 1: weight 0 takes no part: (100·0 + 40·2)/(0 + 2) = 40 (not
	 * (100 + 40)/2 = 70); coverage (0 + 2)/(0 + 2) = 1. */
	ck_assert_int_eq(dec_dimension(&m, &e, 1, &d), 0);
	ck_assert_double_eq_tol(d.score, 40, TOL);
	ck_assert_double_eq_tol(d.coverage, 1, TOL);
	/* dim 2: no indicator: score and coverage null. */
	ck_assert_int_eq(dec_dimension(&m, &e, 2, &d), 0);
	ck_assert_int_eq(d.has_score, 0);
	ck_assert_int_eq(d.has_coverage, 0);
	ck_assert_int_eq(dec_dimension(&m, &e, 5, &d), ERR_FAIL);
}
END_TEST

START_TEST(test_decision_dimension_weight_zero)
{
	/* dim 0 = {weight 0, score 70} and {weight 2, target, null value}:
	 * used weights sum to 0 → score null; coverage = 0/(0 + 2) = 0.
	 * dim 1 = {weight 0, score 70} alone: score null, and the weights with a
	 * target sum to 0 → coverage null. */
	static const int dim[] = {0, 0, 1};
	static const double w[] = {0, 2, 0};
	static const int target[] = {1, 1, 1};
	static const double score[] = {70, NAN, 70};
	struct dec_model m = {3, dim, w, {1, 1, 1, 1, 1}};
	struct dec_entity e = {score, target};
	struct dec_result r;

	ck_assert_int_eq(dec_evaluate(&m, &e, &r), 0);
	ck_assert_int_eq(r.dim[0].has_score, 0);
	ck_assert_int_eq(r.dim[0].has_coverage, 1);
	ck_assert_double_eq_tol(r.dim[0].coverage, 0, TOL);
	ck_assert_int_eq(r.dim[1].has_score, 0);
	ck_assert_int_eq(r.dim[1].has_coverage, 0);
	/* No dimension has a score: the index is null. */
	ck_assert_int_eq(r.has_index, 0);
}
END_TEST

START_TEST(test_decision_index)
{
	struct dec_model m = fx_model();
	struct dec_entity e = {fx_score, fx_target};
	struct dec_result r;
	struct dec_dim dims[DEC_DIMS] = {
		[0] = {.score = 50, .has_score = 1, .coverage = 1, .has_coverage = 1},
		[2] = {.score = 90, .has_score = 1, .coverage = 0.5, .has_coverage = 1},
	};
	static const double dw[DEC_DIMS] = {2, 1, 1, 1, 1};
	static const double dw0[DEC_DIMS] = {0, 1, 0, 1, 1};
	double idx = -1;
	int has = -1;

	/* Fixture, dimension weights 1 3 1 1 1: dims 0 and 1 only,
	 * (57.5·1 + 40·3)/(1 + 3) = 177.5/4 = 44.375. */
	ck_assert_int_eq(dec_evaluate(&m, &e, &r), 0);
	ck_assert_int_eq(r.has_index, 1);
	ck_assert_double_eq_tol(r.index, 44.375, TOL);
	ck_assert_double_eq_tol(r.dim[0].score, 57.5, TOL);

	/* dec_index alone: (50·2 + 90·1)/(2 + 1) = 190/3 = 63.333333. */
	ck_assert_int_eq(dec_index(dims, dw, &idx, &has), 0);
	ck_assert_int_eq(has, 1);
	ck_assert_double_eq_tol(idx, 63.333333, TOL);
	/* The scored dimensions weigh 0 → null. */
	ck_assert_int_eq(dec_index(dims, dw0, &idx, &has), 0);
	ck_assert_int_eq(has, 0);
}
END_TEST

START_TEST(test_decision_index_null_without_dimension)
{
	/* Every indicator with a target but a null value: no dimension score,
	 * coverage 0 where there are targets, index null. */
	static const double none[] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
	struct dec_model m = fx_model();
	struct dec_entity e = {none, fx_target};
	struct dec_result r;

	ck_assert_int_eq(dec_evaluate(&m, &e, &r), 0);
	ck_assert_int_eq(r.has_index, 0);
	ck_assert_int_eq(r.dim[0].has_score, 0);
	ck_assert_double_eq_tol(r.dim[0].coverage, 0, TOL);
}
END_TEST

START_TEST(test_decision_invalid_model)
{
	static const int dim[] = {0, 7};
	static const int dim_ok[] = {0, 1};
	static const double w[] = {1, 1};
	static const double wneg[] = {1, -1};
	static const int target[] = {1, 0};
	static const double score[] = {50, NAN};
	static const double untargeted[] = {50, 30};
	static const double over[] = {120, NAN};
	struct dec_model bad_dim = {2, dim, w, {1, 1, 1, 1, 1}};
	struct dec_model bad_w = {2, dim_ok, wneg, {1, 1, 1, 1, 1}};
	struct dec_model bad_dw = {2, dim_ok, w, {1, 1, NAN, 1, 1}};
	struct dec_model ok = {2, dim_ok, w, {1, 1, 1, 1, 1}};
	struct dec_entity e = {score, target};
	struct dec_entity e_untargeted = {untargeted, target};
	struct dec_entity e_over = {over, target};
	struct dec_result r;

	memset(&r, 0x5a, sizeof(r));
	ck_assert_int_eq(dec_evaluate(&bad_dim, &e, &r), ERR_FAIL);
	ck_assert_int_eq(dec_evaluate(&bad_w, &e, &r), ERR_FAIL);
	ck_assert_int_eq(dec_evaluate(&bad_dw, &e, &r), ERR_FAIL);
	/* A score on an indicator without a target is a caller's bug. */
	ck_assert_int_eq(dec_evaluate(&ok, &e_untargeted, &r), ERR_FAIL);
	ck_assert_int_eq(dec_evaluate(&ok, &e_over, &r), ERR_FAIL);
	ck_assert_int_eq(r.has_index, 0x5a5a5a5a);
	ck_assert_int_eq(dec_evaluate(&ok, &e, &r), 0);
}
END_TEST

/* dec_ranks of the n indices x succeeds and gives the ranks `want`. */
static void ranks_are(int n, const double *x, const int *want)
{
	int r[8], i;

	ck_assert_int_le(n, 8);
	ck_assert_int_eq(dec_ranks(n, x, r), 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(r[i] == want[i], "rank %d of %d: %d, expected %d", i, n, r[i],
			      want[i]);
}

START_TEST(test_decision_ranks_ties)
{
	/* The spec's example: 80 70 70 60 → 1 2 2 4 (the tie takes the best
	 * rank 2 and the next rank skips to 4). */
	static const double a[] = {80, 70, 70, 60};
	/* Any order, with a null index: 70 80 70 null 60 → 2 1 2 0 4. */
	static const double b[] = {70, 80, 70, NAN, 60};
	/* Within the tolerance 1e-9·max(1, |x|): 50 and 50 + 1e-10 tie (1 1);
	 * 50 and 50 + 1e-6 do not (2 1); at 1000 the tolerance is 1e-6, so
	 * 1000 and 1000 + 5e-7 tie (1 1). */
	static const double c[] = {50, 50 + 1e-10, 50, 50 + 1e-6, 1000, 1000 + 5e-7};
	int r[1];

	ranks_are(4, a, (const int[]){1, 2, 2, 4});
	ranks_are(5, b, (const int[]){2, 1, 2, 0, 4});
	ranks_are(2, c, (const int[]){1, 1});
	ranks_are(2, c + 2, (const int[]){2, 1});
	ranks_are(2, c + 4, (const int[]){1, 1});
	/* All null: nobody ranked. No agreement at all: fine. */
	ranks_are(1, b + 3, (const int[]){0});
	ck_assert_int_eq(dec_ranks(0, a, r), 0);
}
END_TEST

START_TEST(test_decision_percentile)
{
	/* Type 7 on 30 10 50 20 40 (sorted 10 20 30 40 50, n − 1 = 4):
	 * p = 0.05: h = 0.2, 10 + 0.2·(20 − 10) = 12;
	 * p = 0.95: h = 3.8, 40 + 0.8·(50 − 40) = 48;
	 * p = 0.3: h = 1.2, 20 + 0.2·10 = 22; p = 0.5: h = 2, 30;
	 * p = 0 → 10, p = 1 → 50. */
	static const double x[] = {30, 10, 50, 20, 40};
	/* Uneven gaps 8 1 4 2 (sorted 1 2 4 8, n − 1 = 3):
	 * p = 0.05: h = 0.15, 1 + 0.15·1 = 1.15;
	 * p = 0.95: h = 2.85, 4 + 0.85·4 = 7.4 (type 6 would give 8). */
	static const double y[] = {8, 1, 4, 2};
	double copy[5], q = -1;

	memcpy(copy, x, sizeof(x));
	ck_assert_int_eq(dec_percentile(x, 5, 0.05, &q), 0);
	ck_assert_double_eq_tol(q, 12, TOL);
	ck_assert_int_eq(dec_percentile(x, 5, 0.95, &q), 0);
	ck_assert_double_eq_tol(q, 48, TOL);
	ck_assert_int_eq(dec_percentile(x, 5, 0.3, &q), 0);
	ck_assert_double_eq_tol(q, 22, TOL);
	ck_assert_int_eq(dec_percentile(x, 5, 0.5, &q), 0);
	ck_assert_double_eq_tol(q, 30, TOL);
	ck_assert_int_eq(dec_percentile(x, 5, 0, &q), 0);
	ck_assert_double_eq_tol(q, 10, TOL);
	ck_assert_int_eq(dec_percentile(x, 5, 1, &q), 0);
	ck_assert_double_eq_tol(q, 50, TOL);
	ck_assert(memcmp(copy, x, sizeof(x)) == 0); /* input untouched */
	ck_assert_int_eq(dec_percentile(y, 4, 0.05, &q), 0);
	ck_assert_double_eq_tol(q, 1.15, TOL);
	ck_assert_int_eq(dec_percentile(y, 4, 0.95, &q), 0);
	ck_assert_double_eq_tol(q, 7.4, TOL);
	/* A single value is every percentile. */
	ck_assert_int_eq(dec_percentile(y + 2, 1, 0.95, &q), 0);
	ck_assert_double_eq_tol(q, 4, TOL);
	/* Invalid: nothing written. */
	q = -1;
	ck_assert_int_eq(dec_percentile(x, 0, 0.5, &q), ERR_FAIL);
	ck_assert_int_eq(dec_percentile(x, 5, 1.5, &q), ERR_FAIL);
	ck_assert_double_eq(q, -1);
}
END_TEST

START_TEST(test_decision_ranks_signs)
{
	/* Negative indices and both zeros (the ranking orders bit patterns):
	 * -5 3 -0 0 -5 -2.5, descending 3, 0 = -0, -2.5, -5 = -5.
	 * 3: nobody above → 1. 0 and -0: only 3 beats 0 + 1e-9 → 2 and 2.
	 * -2.5: 3, 0, -0 beat -2.5 + 2.5e-9 → 4. -5: four beat -5 + 5e-9 → 5
	 * and 5. At 1e6 the tolerance is 1e-3: 1e6 and 1e6 + 1e-4 tie (1 1),
	 * 1e6 + 0.01 beats 1e6 (1e6 gets 2). */
	static const double a[] = {-5, 3, -0.0, 0.0, -5, -2.5};
	static const double b[] = {1e6, 1e6 + 1e-4, 1e6 + 0.01};

	ranks_are(6, a, (const int[]){5, 1, 2, 2, 5, 4});
	ranks_are(2, b, (const int[]){1, 1});
	/* 1e6 + 1e-4 is beaten by 1e6 + 0.01 too (threshold 1e6 + 0.0011) */
	ranks_are(3, b, (const int[]){2, 2, 1});
}
END_TEST

START_TEST(test_decision_percentile_int)
{
	/* Ties: 5 3 3 9 3 7 5 3, sorted 3 3 3 3 5 5 7 9 (n − 1 = 7):
	 * p = 0.05: h = 0.35, 3 + 0.35·(3 − 3) = 3;
	 * p = 0.95: h = 6.65, 7 + 0.65·(9 − 7) = 8.3;
	 * p = 0.5: h = 3.5, 3 + 0.5·(5 − 3) = 4; p = 0.6: h = 4.2, 5 + 0 = 5;
	 * p = 0 → 3, p = 1 → 9. */
	static const int x[] = {5, 3, 3, 9, 3, 7, 5, 3};
	static const double p[] = {0.05, 0.95, 0.5, 0.6, 0, 1};
	static const double want[] = {3, 8.3, 4, 5, 3, 9};
	int v[1000], i, k;
	double q = -1, d[1000];

	for (k = 0; k < 6; k++) {
		memcpy(v, x, sizeof(x));
		ck_assert_int_eq(dec_percentile_int(v, 8, p[k], &q), 0);
		ck_assert_double_eq_tol(q, want[k], TOL);
	}
	/* 1000 ranks as the sensitivity has them, 950 ones and 50 threes
	 * interleaved: sorted, positions 0..949 hold 1 and 950..999 hold 3.
	 * p = 0.05: h = 49.95 → 1 + 0.95·0 = 1; p = 0.95: h = 949.05 →
	 * 1 + 0.05·(3 − 1) = 1.1. */
	for (i = 0; i < 1000; i++)
		v[i] = i % 20 == 7 ? 3 : 1;
	ck_assert_int_eq(dec_percentile_int(v, 1000, 0.05, &q), 0);
	ck_assert_double_eq_tol(q, 1, TOL);
	ck_assert_int_eq(dec_percentile_int(v, 1000, 0.95, &q), 0);
	ck_assert_double_eq_tol(q, 1.1, TOL);
	/* All equal: every percentile is the value. */
	for (i = 0; i < 1000; i++)
		v[i] = 4;
	ck_assert_int_eq(dec_percentile_int(v, 1000, 0.95, &q), 0);
	ck_assert_double_eq(q, 4);
	/* The same double as dec_percentile (a sort) on many ties in any
	 * order: values i·7919 mod 13 (0..12, each about 77 times). */
	for (k = 0; k < 6; k++) {
		double want_q, got;

		for (i = 0; i < 1000; i++)
			d[i] = v[i] = (i * 7919) % 13;
		ck_assert_int_eq(dec_percentile(d, 1000, p[k], &want_q), 0);
		ck_assert_int_eq(dec_percentile_int(v, 1000, p[k], &got), 0);
		ck_assert(got == want_q);
	}
	/* Invalid: nothing written. */
	q = -1;
	ck_assert_int_eq(dec_percentile_int(v, 0, 0.5, &q), ERR_FAIL);
	ck_assert_int_eq(dec_percentile_int(v, 5, -0.1, &q), ERR_FAIL);
	ck_assert_double_eq(q, -1);
}
END_TEST

START_TEST(test_decision_rng_reference)
{
	/* SplitMix64's published reference outputs for seed 0 (Vigna's
	 * splitmix64.c): E220A8397B1DCDAF, 6E789E6AA1B965F4, 06C45D188009454F. */
	struct dec_rng r;
	double u;
	int i;

	dec_rng_seed(&r, 0);
	ck_assert_uint_eq(dec_rng_next(&r), UINT64_C(0xE220A8397B1DCDAF));
	ck_assert_uint_eq(dec_rng_next(&r), UINT64_C(0x6E789E6AA1B965F4));
	ck_assert_uint_eq(dec_rng_next(&r), UINT64_C(0x06C45D188009454F));
	/* Uniform from seed 0: (0xE220A8397B1DCDAF >> 11)·2^−53 keeps the top
	 * 53 bits, i.e. ≈ 0xE220A8397B1DCDAF/2^64; to 7 digits the top 24 bits
	 * decide it: 0xE220A8 = 226·65536 + 32·256 + 168 = 14819496, and
	 * 14819496/16777216 = 0.8833108 (the next bits add < 2^−24 = 6e-8). */
	dec_rng_seed(&r, 0);
	u = dec_rng_uniform(&r);
	ck_assert_double_eq_tol(u, 0.8833108, 1e-7);
	/* Always in [0, 1). */
	for (i = 0; i < 10000; i++) {
		u = dec_rng_uniform(&r);
		ck_assert(u >= 0 && u < 1);
	}
}
END_TEST

/* Sensitivity fixture: 4 indicators, two per dimension (0 and 1). */
static const int sx_dim[] = {0, 0, 1, 1};
static const double sx_weight[] = {1, 2, 1, 1};
static const int sx_target[] = {1, 1, 1, 1};

START_TEST(test_decision_sensitivity_single_indicator)
{
	/* One dimension with one indicator scored 73.5: whatever factors
	 * multiply its weight (3·f) and its dimension's weight (g), the index is
	 * (g·(3f·73.5)/(3f))/g = 73.5 in every draw, so p05 = p95 = 73.5. */
	static const int dim[] = {2};
	static const double w[] = {3};
	static const int target[] = {1};
	static const double score[] = {73.5};
	struct dec_model m = {1, dim, w, {1, 1, 1, 1, 1}};
	struct dec_entity pol = {score, target};
	struct dec_range idx;

	ck_assert_int_eq(dec_sensitivity(&m, &pol, NULL, 0, &idx, NULL), 0);
	ck_assert_int_eq(idx.set, 1);
	ck_assert_double_eq_tol(idx.p05, 73.5, 1e-9);
	ck_assert_double_eq_tol(idx.p95, 73.5, 1e-9);
}
END_TEST

START_TEST(test_decision_sensitivity_fixed_order)
{
	/* A: every score 90 → every dimension score and the index are 90 under
	 * any weights. C: same as A, so tied with it in every draw. B: every
	 * score 40 → index 40. E: 60 70 | 50 65 → dimension 0 in [60, 70],
	 * dimension 1 in [50, 65], index in [50, 70], strictly between 40 and 90.
	 * D: targets but every value null → index null, never ranked.
	 * So in every draw: A 1, C 1, E 3, B 4: ranges [1,1] [1,1] [3,3] [4,4],
	 * D null. The policy (null values only) has a null index: null range. */
	static const double a[] = {90, 90, 90, 90};
	static const double b[] = {40, 40, 40, 40};
	static const double e[] = {60, 70, 50, 65};
	static const double d[] = {NAN, NAN, NAN, NAN};
	struct dec_model m = {4, sx_dim, sx_weight, {1, 1, 1, 1, 1}};
	struct dec_entity pol = {d, sx_target};
	struct dec_entity ag[] = {
		{a, sx_target}, {b, sx_target}, {a, sx_target}, {d, sx_target}, {e, sx_target}};
	struct dec_range idx, rk[5];

	ck_assert_int_eq(dec_sensitivity(&m, &pol, ag, 5, &idx, rk), 0);
	ck_assert_int_eq(idx.set, 0);
	ck_assert_int_eq(rk[0].set, 1); /* A */
	ck_assert_double_eq_tol(rk[0].p05, 1, 1e-12);
	ck_assert_double_eq_tol(rk[0].p95, 1, 1e-12);
	ck_assert_double_eq_tol(rk[1].p05, 4, 1e-12); /* B */
	ck_assert_double_eq_tol(rk[1].p95, 4, 1e-12);
	ck_assert_double_eq_tol(rk[2].p05, 1, 1e-12); /* C */
	ck_assert_double_eq_tol(rk[2].p95, 1, 1e-12);
	ck_assert_int_eq(rk[3].set, 0);		      /* D */
	ck_assert_double_eq_tol(rk[4].p05, 3, 1e-12); /* E */
	ck_assert_double_eq_tol(rk[4].p95, 3, 1e-12);
}
END_TEST

START_TEST(test_decision_sensitivity_spread)
{
	/* Dimension 0 scores 0 and dimension 1 scores 100 (one indicator each),
	 * base weights 1: index = 100·g1/(g0 + g1) with g0, g1 independent
	 * uniform on [0.75, 1.25]. Its range is [100·0.75/2, 100·1.25/2] =
	 * [37.5, 62.5]. Its 5th percentile: with k = r/(1 − r), P(g1 ≤ k·g0) for
	 * 0.6 ≤ k ≤ 1 is the triangle area ∫_{0.75/k}^{1.25} (k·g0 − 0.75) dg0
	 * = 0.78125k + 0.28125/k − 0.9375, over the square's area 0.25;
	 * = 0.05 → 0.78125k² − 0.95k + 0.28125 = 0 → k = (0.95 + √0.0235938)/1.5625
	 * = (0.95 + 0.153603)/1.5625 = 0.706306 → r = k/(1 + k) = 0.413939:
	 * p05 = 41.3939, and p95 = 100 − 41.3939 = 58.6061 by symmetry.
	 * With 1000 draws the sample percentile's sd is
	 * √(0.05·0.95/1000)/density(0.0253 per point) = 0.27 points, so ±1.5
	 * (5.5 sd) holds for any sound generator and fails for a wrong factor
	 * range (e.g. [0.5, 1.5] gives p05 ≈ 36).
	 * The same holds with both indicators in dimension 0 (the indicator
	 * factors f0, f1 then play the part of g0, g1).
	 * Agreements X = (0, 100) and Y = (100, 0) swap places whenever g0 and
	 * g1 swap order, which happens in about half the draws: both ranges
	 * are [1, 2]. */
	static const int dims2[] = {0, 1};
	static const int dims1[] = {0, 0};
	static const double w[] = {1, 1};
	static const int target[] = {1, 1};
	static const double x[] = {0, 100};
	static const double y[] = {100, 0};
	struct dec_model m2 = {2, dims2, w, {1, 1, 1, 1, 1}};
	struct dec_model m1 = {2, dims1, w, {1, 1, 1, 1, 1}};
	struct dec_entity pol = {x, target};
	struct dec_entity ag[] = {{x, target}, {y, target}};
	struct dec_range idx, rk[2];

	ck_assert_int_eq(dec_sensitivity(&m2, &pol, ag, 2, &idx, rk), 0);
	ck_assert_int_eq(idx.set, 1);
	ck_assert(idx.p05 > 37.5 && idx.p95 < 62.5);
	ck_assert_double_eq_tol(idx.p05, 41.3939, 1.5);
	ck_assert_double_eq_tol(idx.p95, 58.6061, 1.5);
	ck_assert_double_eq_tol(rk[0].p05, 1, 1e-12);
	ck_assert_double_eq_tol(rk[0].p95, 2, 1e-12);
	ck_assert_double_eq_tol(rk[1].p05, 1, 1e-12);
	ck_assert_double_eq_tol(rk[1].p95, 2, 1e-12);

	ck_assert_int_eq(dec_sensitivity(&m1, &pol, NULL, 0, &idx, NULL), 0);
	ck_assert_double_eq_tol(idx.p05, 41.3939, 1.5);
	ck_assert_double_eq_tol(idx.p95, 58.6061, 1.5);
}
END_TEST

START_TEST(test_decision_sensitivity_deterministic)
{
	/* Same inputs twice → bit-identical outputs (the seed is fixed), on a
	 * case where the draws matter (the index spreads, ranks move). */
	static const double p[] = {20, 90, 55, 70};
	static const double a[] = {30, 80, 90, 10};
	static const double b[] = {85, 25, 15, 95};
	static const double c[] = {50, 60, 45, 70};
	struct dec_model m = {4, sx_dim, sx_weight, {1, 1, 1, 1, 1}};
	struct dec_entity pol = {p, sx_target};
	struct dec_entity ag[] = {{a, sx_target}, {b, sx_target}, {c, sx_target}};
	struct dec_range i1, i2, r1[3], r2[3];
	int k;

	ck_assert_int_eq(dec_sensitivity(&m, &pol, ag, 3, &i1, r1), 0);
	ck_assert_int_eq(dec_sensitivity(&m, &pol, ag, 3, &i2, r2), 0);
	ck_assert(i1.p05 < i1.p95); /* the draws do move the index */
	ck_assert(i1.p05 == i2.p05 && i1.p95 == i2.p95 && i1.set == i2.set);
	for (k = 0; k < 3; k++) {
		ck_assert(r1[k].set && r2[k].set);
		ck_assert(r1[k].p05 == r2[k].p05 && r1[k].p95 == r2[k].p95);
	}
}
END_TEST

START_TEST(test_decision_sensitivity_invalid)
{
	static const double bad[] = {50, 50, 50, 50};
	static const int no_target[] = {1, 1, 0, 1};
	struct dec_model m = {4, sx_dim, sx_weight, {1, 1, 1, 1, 1}};
	struct dec_entity pol = {bad, sx_target};
	struct dec_entity ag[] = {{bad, no_target}};
	struct dec_range idx = {-1, -1, 7}, rk[1] = {{-1, -1, 7}};

	/* Agreement 0 has a score where it has no target: refused, nothing
	 * written. */
	ck_assert_int_eq(dec_sensitivity(&m, &pol, ag, 1, &idx, rk), ERR_FAIL);
	ck_assert_int_eq(dec_sensitivity(&m, &pol, NULL, 1, &idx, rk), ERR_FAIL);
	ck_assert_int_eq(idx.set, 7);
	ck_assert_int_eq(rk[0].set, 7);
}
END_TEST

Suite *decision_suite(void)
{
	Suite *s = suite_create("decision");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_decision_names);
	tcase_add_test(tc, test_decision_status_higher);
	tcase_add_test(tc, test_decision_status_lower);
	tcase_add_test(tc, test_decision_status_zero_target);
	tcase_add_test(tc, test_decision_status_none_and_invalid);
	tcase_add_test(tc, test_decision_normalised);
	tcase_add_test(tc, test_decision_dimension_coverage);
	tcase_add_test(tc, test_decision_dimension_weight_zero);
	tcase_add_test(tc, test_decision_index);
	tcase_add_test(tc, test_decision_index_null_without_dimension);
	tcase_add_test(tc, test_decision_invalid_model);
	tcase_add_test(tc, test_decision_ranks_ties);
	tcase_add_test(tc, test_decision_ranks_signs);
	tcase_add_test(tc, test_decision_percentile);
	tcase_add_test(tc, test_decision_percentile_int);
	tcase_add_test(tc, test_decision_rng_reference);
	tcase_add_test(tc, test_decision_sensitivity_single_indicator);
	tcase_add_test(tc, test_decision_sensitivity_fixed_order);
	tcase_add_test(tc, test_decision_sensitivity_spread);
	tcase_add_test(tc, test_decision_sensitivity_deterministic);
	tcase_add_test(tc, test_decision_sensitivity_invalid);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(decision_suite)

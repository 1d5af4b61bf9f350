/* Unit tests of the queries' contract with the finishing code (queries.c,
 * take.c, finish.c), with rows built by hand: no database. A result that does not
 * have what the finishing code reads fails the run with a message naming
 * the query, the row and the column; nothing turns silently into 0 or is
 * dropped.
 *
 * The run: policy P, one agreement A1 whose lab started 2024-01-10, period
 * 2024-Q2, so the as-of dates are D = 2024-06-30 and 2024-03-31. A grid
 * row's values hold from its asof up to its until (null: no end), so a row
 * of D with until null holds at D only, one of 2024-03-31 with until null
 * at both dates. */
#include "check_main.h"

#include "compute.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const dates[] = {"2024-06-30", "2024-03-31"};
static const char *const periods[] = {"2024-Q2", "2024-Q1"};

static const struct ind_request request = {
	.policy = "P",
	.ndates = 2,
	.dates = dates,
	.periods = periods,
	.period_start = "2024-04-01",
};

/* An empty result with the columns that query q declares. */
static rows *empty_of(enum ind_query_id q)
{
	const char *p = ind_queries[q].columns;
	char names[32][64];
	const char *ptrs[32];
	int n = 0;
	rows *r = NULL;

	while (*p) {
		size_t len = strcspn(p, " #?");

		ck_assert(len > 0 && len < 64 && n < 32);
		memcpy(names[n], p, len);
		names[n][len] = '\0';
		ptrs[n] = names[n];
		n++;
		p += len;
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	ck_assert_int_eq(rows_new(0, n, ptrs, &r), 0);
	return r;
}

static rows *table(int nrows, int ncols, const char *const *names, const char *const *cells)
{
	rows *r = NULL;

	ck_assert_int_eq(rows_from_strings(nrows, ncols, names, cells, &r), 0);
	return r;
}

/* A valid run: every query empty but the policy, the agreement and the
 * meetings: A1 has 1 meeting of 2 hours by 2024-03-31 (until D) and 3
 * meetings of 4.5 hours by D. */
static void valid_run(rows *res[IND_QUERY_COUNT])
{
	static const char *const pol_cols[] = {
		"code",	    "name",	"started_on", "locale", "volunteer_hour_value_eur",
		"min_cell", "batch_id", "batch_at"};
	static const char *const pol[] = {"P", "Policy", "2024-01-01", "en", "15", "5", NULL, NULL};
	static const char *const agr_cols[] = {"code",	      "title",	   "lab_started_on",
					       "approved_on", "signed_on", "closed_on",
					       "published_on"};
	static const char *const agr[] = {"A1", "Garden", "2024-01-10", NULL, NULL, NULL, NULL};
	static const char *const m_cols[] = {"asof",	  "until",    "p",
					     "agreement", "meetings", "hours"};
	static const char *const m[] = {
		"2024-06-30", NULL,	    "0", "A1", "3", "4.5", /* A1 at D */
		"2024-03-31", "2024-06-30", "0", "A1", "1", "2",   /* A1 at the previous date */
		"2024-06-30", NULL,	    "1", NULL, "3", "4.5", /* the policy at D */
	};
	int q;

	for (q = 0; q < IND_QUERY_COUNT; q++)
		res[q] = empty_of(q);
	rows_free(res[Q_POLICY]);
	res[Q_POLICY] = table(1, 8, pol_cols, pol);
	rows_free(res[Q_AGREEMENTS]);
	res[Q_AGREEMENTS] = table(1, 7, agr_cols, agr);
	rows_free(res[Q_MEETINGS]);
	res[Q_MEETINGS] = table(3, 6, m_cols, m);
}

static void free_run(rows *res[IND_QUERY_COUNT])
{
	int q;

	for (q = 0; q < IND_QUERY_COUNT; q++)
		rows_free(res[q]);
}

/* valid_run, started: the run owns the policy, agreements and areas rows
 * (their slots are NULL), the other queries' rows are the caller's. */
static struct ind_run *start_valid_run(rows *res[IND_QUERY_COUNT])
{
	struct ind_run *run = NULL;

	valid_run(res);
	ck_assert_msg(ind_start(res[Q_POLICY], res[Q_AGREEMENTS], res[Q_AREAS], &request, &run) ==
			      0,
		      "%s", err_last());
	res[Q_POLICY] = res[Q_AGREEMENTS] = res[Q_AREAS] = NULL;
	return run;
}

/* Replaces query q's rows with a one-row table. */
static void replace(rows *res[IND_QUERY_COUNT], enum ind_query_id q, int ncols,
		    const char *const *names, const char *const *cells)
{
	rows_free(res[q]);
	res[q] = table(1, ncols, names, cells);
}

/* Runs ind_build, expecting it to fail with exactly `message`. */
static void expect_failure(rows *res[IND_QUERY_COUNT], const char *message)
{
	struct ind_result *out = NULL;
	int rc = ind_build(res, &request, &out);

	ck_assert_int_eq(rc, ERR_FAIL);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err_last(), message);
}

START_TEST(test_queries_valid_run)
{
	rows *res[IND_QUERY_COUNT];
	struct ind_result *out = NULL;
	struct sc_indicator *i;

	valid_run(res);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	ck_assert_int_eq(out->n_agreements, 1);
	/* out.meetings of A1: the row at D says 3; previous: the 2024-03-31 row, 1 */
	i = sc_get(out->agreements[0], "out.meetings");
	ck_assert(i->value.set && i->value.v == 3);
	ck_assert(i->previous.set && i->previous.v == 1);
	/* out.meeting_hours of the policy: its row at D, 4.5; no policy row at
	 * 2024-03-31, so a sum over no record: 0 */
	i = sc_get(out->policy, "out.meeting_hours");
	ck_assert(i->value.set && i->value.v == 4.5);
	ck_assert(i->previous.set && i->previous.v == 0);
	ind_result_free(out);
	free_run(res);
}
END_TEST

START_TEST(test_queries_missing_column)
{
	static const char *const cols[] = {"asof", "until", "p", "agreement", "meetings"};
	static const char *const cells[] = {"2024-06-30", NULL, "0", "A1", "3"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_MEETINGS, 5, cols, cells);
	expect_failure(res, "query meetings: no column hours");
	free_run(res);
}
END_TEST

START_TEST(test_queries_unexpected_column)
{
	static const char *const cols[] = {"asof",     "until", "p",	  "agreement",
					   "meetings", "hours", "minutes"};
	static const char *const cells[] = {"2024-06-30", NULL, "0", "A1", "3", "4.5", "270"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_MEETINGS, 7, cols, cells);
	expect_failure(res, "query meetings: unexpected column minutes");
	free_run(res);
}
END_TEST

START_TEST(test_queries_null_measure)
{
	static const char *const cols[] = {"asof", "until", "p", "agreement", "meetings", "hours"};
	static const char *const cells[] = {"2024-06-30", NULL, "0", "A1", "3", NULL};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_MEETINGS, 6, cols, cells);
	expect_failure(res, "query meetings: row 1: column hours is null");
	free_run(res);
}
END_TEST

START_TEST(test_queries_not_a_number)
{
	static const char *const cols[] = {"asof", "until", "p", "agreement", "meetings", "hours"};
	static const char *const cells[] = {"2024-06-30", NULL, "0", "A1", "3", "4,5"};
	static const char *const cells2[] = {"2024-06-30", NULL, "0", "A1", "3", "NaN"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_MEETINGS, 6, cols, cells);
	expect_failure(res, "query meetings: row 1: column hours is not a number: '4,5'");
	replace(res, Q_MEETINGS, 6, cols, cells2);
	expect_failure(res, "query meetings: row 1: column hours is not a number: 'NaN'");
	free_run(res);
}
END_TEST

START_TEST(test_queries_unknown_agreement_or_date)
{
	static const char *const cols[] = {"asof", "until", "p", "agreement", "meetings", "hours"};
	static const char *const agreement[] = {"2024-06-30", NULL, "0", "A9", "3", "4.5"};
	static const char *const date[] = {"2023-12-31", NULL, "0", "A1", "3", "4.5"};
	/* until: a date of the run after asof, or null */
	static const char *const before[] = {"2024-06-30", "2024-03-31", "0", "A1", "3", "4.5"};
	static const char *const same[] = {"2024-03-31", "2024-03-31", "0", "A1", "3", "4.5"};
	static const char *const other[] = {"2024-03-31", "2024-05-15", "0", "A1", "3", "4.5"};
	static const char *const p[] = {"2024-06-30", NULL, "3", NULL, "3", "4.5"};
	static const char *const nb[] = {"2024-06-30", NULL, "2", "ZZ", "3", "4.5"};
	static const char *const ex_cols[] = {"asof", "until", "agreement", "criterion", "score"};
	static const char *const ex[] = {"2024-03-31", "2024-01-31", "A1", "need", "4"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_MEETINGS, 6, cols, agreement);
	expect_failure(res, "query meetings: row 1: A9 is not an agreement of the run");
	replace(res, Q_MEETINGS, 6, cols, date);
	expect_failure(res, "query meetings: row 1: 2023-12-31 is not an as-of date of the run");
	replace(res, Q_MEETINGS, 6, cols, before);
	expect_failure(res, "query meetings: row 1: until 2024-03-31 is not an as-of date of the "
			    "run after 2024-06-30");
	replace(res, Q_MEETINGS, 6, cols, same);
	expect_failure(res, "query meetings: row 1: until 2024-03-31 is not an as-of date of the "
			    "run after 2024-03-31");
	replace(res, Q_MEETINGS, 6, cols, other);
	expect_failure(res, "query meetings: row 1: until 2024-05-15 is not an as-of date of the "
			    "run after 2024-03-31");
	replace(res, Q_MEETINGS, 6, cols, p);
	expect_failure(res, "query meetings: row 1: column p is 3, not 0, 1 or 2");
	replace(res, Q_MEETINGS, 6, cols, nb);
	expect_failure(res, "query meetings: row 1: ZZ is not a neighbourhood of the run");
	rows_free(res[Q_MEETINGS]);
	res[Q_MEETINGS] = empty_of(Q_MEETINGS);
	replace(res, Q_EX_ANTE, 5, ex_cols, ex);
	expect_failure(res, "query ex_ante: row 1: until 2024-01-31 is not an as-of date of the "
			    "run after 2024-03-31");
	free_run(res);
}
END_TEST

START_TEST(test_queries_unknown_indicator)
{
	static const char *const f_cols[] = {"asof",	  "until", "p",	    "agreement",
					     "all_kinds", "kind",  "stage", "amount"};
	static const char *const f[] = {"2024-06-30", NULL, "0", "A1", "1", NULL, "pledged", "10"};
	static const char *const j_cols[] = {"asof",	  "until", "p",	       "agreement",
					     "all_kinds", "kind",  "projects", "completed"};
	static const char *const j[] = {"2024-06-30", NULL,	     "0", "A1",
					"0",	      "garden_care", "1", "0"};
	static const char *const r_cols[] = {"asof", "until", "p", "agreement", "kind", "quantity"};
	static const char *const r[] = {"2024-06-30", NULL, "1", NULL, "volunteer_days", "4"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_FINANCE, 8, f_cols, f);
	expect_failure(res, "query finance: row 1: indicator eff.pledged_eur is not in the "
			    "catalogue");
	rows_free(res[Q_FINANCE]);
	res[Q_FINANCE] = empty_of(Q_FINANCE);
	replace(res, Q_PROJECTS, 8, j_cols, j);
	expect_failure(res, "query projects: row 1: indicator out.projects.garden_care is not "
			    "in the catalogue");
	rows_free(res[Q_PROJECTS]);
	res[Q_PROJECTS] = empty_of(Q_PROJECTS);
	replace(res, Q_RESOURCES, 6, r_cols, r);
	expect_failure(res, "query resources: row 1: unknown kind volunteer_days");
	free_run(res);
}
END_TEST

START_TEST(test_queries_unknown_survey_group)
{
	static const char *const m_cols[] = {"asof", "until", "p",     "agreement", "instrument",
					     "n",    "sum",   "sumsq", "k"};
	static const char *const m[] = {"2024-06-30", NULL, "0",  "A1", "wellbeing",
					"5",	      "20", "82", "3"};
	static const char *const w_cols[] = {"asof", "until", "p",   "agreement",
					     "wave", "n",     "sum", "sumsq"};
	static const char *const w[] = {"2024-06-30", NULL, "0", "A1", "T2", "5", "20", "82"};
	rows *res[IND_QUERY_COUNT];

	valid_run(res);
	replace(res, Q_SURVEY_MEANS, 9, m_cols, m);
	expect_failure(res, "query survey_means: row 1: unknown instrument wellbeing");
	rows_free(res[Q_SURVEY_MEANS]);
	res[Q_SURVEY_MEANS] = empty_of(Q_SURVEY_MEANS);
	replace(res, Q_WELCH, 8, w_cols, w);
	expect_failure(res, "query welch: row 1: unknown wave T2");
	free_run(res);
}
END_TEST

/* Signatories of kind other count in the total only: the catalogue has no
 * out.signatories.other, and that is no error. */
START_TEST(test_queries_other_signatories_in_total_only)
{
	static const char *const cols[] = {"asof",	"until", "p",	       "agreement",
					   "all_kinds", "kind",	 "signatories"};
	static const char *const cells[] = {
		"2024-06-30", NULL, "0", "A1", "0", "other",	   "2", /* 2 of kind other */
		"2024-06-30", NULL, "0", "A1", "0", "association", "1", /* 1 association */
		"2024-06-30", NULL, "0", "A1", "1", NULL,	   "3", /* total: 2 + 1 */
	};
	rows *res[IND_QUERY_COUNT];
	struct ind_result *out = NULL;
	struct scorecard *sc;

	valid_run(res);
	rows_free(res[Q_SIGNATORIES]);
	res[Q_SIGNATORIES] = table(3, 7, cols, cells);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	sc = out->agreements[0];
	ck_assert(sc_get(sc, "out.signatories")->value.v == 3);
	ck_assert(sc_get(sc, "out.signatories.association")->value.v == 1);
	ck_assert(sc_get(sc, "out.signatories.business")->value.v == 0);
	ind_result_free(out);
	free_run(res);
}
END_TEST

/* The territory level from hand-made rows: Q_AREAS gives A1 covering N2
 * (500) and N1 (2000); the grid queries' p = 2 rows are the
 * neighbourhoods'. The cards come policy, A1, then N1, N2 by code. */
START_TEST(test_queries_neighbourhood_rows)
{
	static const char *const area_cols[] = {"agreement", "code", "name", "population"};
	static const char *const areas[] = {"A1", "N2", "Two", "500", "A1", "N1", "One", "2000"};
	static const char *const p_cols[] = {"asof", "until", "p", "agreement", "participants"};
	static const char *const parts[] = {
		"2024-06-30", NULL, "0", "A1", "4", "2024-06-30", NULL, "1", NULL, "4",
		"2024-06-30", NULL, "2", "N1", "4", "2024-06-30", NULL, "2", "N2", "4",
	};
	static const char *const pop_cols[] = {"asof", "until", "p", "agreement", "population"};
	/* N1 from 2024-03-31 on (both dates), N2 at D only: 0 before */
	static const char *const pops[] = {
		"2024-03-31", NULL, "2", "N1", "2000", "2024-06-30", NULL, "2", "N2", "500",
	};
	static const char *const s_cols[] = {"asof", "until", "p",     "agreement", "instrument",
					     "n",    "sum",   "sumsq", "k"};
	/* A1: n 3 < min_cell 5, primary; N1's pooled n 6 is enough by itself,
	 * but A1 is withheld: N1 is withheld too (secondary); N2 has n 2:
	 * primary */
	static const char *const sat[] = {
		"2024-06-30", NULL, "0", "A1", "satisfaction", "3", "12", "50",	 "3",
		"2024-06-30", NULL, "2", "N1", "satisfaction", "6", "24", "100", "6",
		"2024-06-30", NULL, "2", "N2", "satisfaction", "2", "8",  "32",	 "2",
	};
	rows *res[IND_QUERY_COUNT];
	struct ind_result *out = NULL;
	struct scorecard *n1, *n2;
	struct sc_indicator *i;

	valid_run(res);
	rows_free(res[Q_AREAS]);
	res[Q_AREAS] = table(2, 4, area_cols, areas);
	rows_free(res[Q_PARTICIPANTS]);
	res[Q_PARTICIPANTS] = table(4, 5, p_cols, parts);
	rows_free(res[Q_POPULATION]);
	res[Q_POPULATION] = table(2, 5, pop_cols, pops);
	rows_free(res[Q_SURVEY_MEANS]);
	res[Q_SURVEY_MEANS] = table(3, 9, s_cols, sat);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	ck_assert_int_eq(out->n_agreements, 1);
	ck_assert_int_eq(out->n_neighbourhoods, 2);
	n1 = out->neighbourhoods[0];
	n2 = out->neighbourhoods[1];
	ck_assert_str_eq(n1->neighbourhood.code, "N1");
	ck_assert_str_eq(n2->neighbourhood.code, "N2");
	ck_assert_int_eq(n1->level, CAT_NEIGHBOURHOOD);
	ck_assert_int_eq(n1->n_covering, 1);
	ck_assert_str_eq(n1->covering[0].title, "Garden");
	/* participation: 4 * 1000 / 2000 = 2 and 4 * 1000 / 500 = 8; N2's
	 * previous population 0: no rate */
	i = sc_get(n1, "out.participation_rate");
	ck_assert(i->value.set && fabs(i->value.v - 2) < 1e-12);
	/* at 2024-03-31 N1 has its population, from the one row that holds
	 * from then on, and no participant: 0 * 1000 / 2000 = 0 */
	ck_assert(i->previous.set && i->previous.v == 0);
	i = sc_get(n2, "out.participation_rate");
	ck_assert(i->value.set && fabs(i->value.v - 8) < 1e-12);
	ck_assert(!i->previous.set);
	/* out.agreements_signed: A1 has no signature date -> 0 */
	i = sc_get(n1, "out.agreements_signed");
	ck_assert(i->value.set && i->value.v == 0);
	/* the survey: N1 secondary (n 6 published), N2 primary, A1 primary */
	i = sc_get(n1, "eft.satisfaction");
	ck_assert(!i->value.set && i->suppression == SUP_SECONDARY && i->n.v == 6);
	i = sc_get(n2, "eft.satisfaction");
	ck_assert(!i->value.set && i->suppression == SUP_PRIMARY && i->n.v == 2);
	i = sc_get(out->agreements[0], "eft.satisfaction");
	ck_assert(!i->value.set && i->suppression == SUP_PRIMARY);
	/* the policy's territories, by code */
	ck_assert_int_eq(out->policy->n_territories, 2);
	ck_assert_str_eq(out->policy->territories[1].code, "N2");
	ck_assert(out->policy->territories[1].participation_rate.set &&
		  fabs(out->policy->territories[1].participation_rate.v - 8) < 1e-12);
	ind_result_free(out);
	free_run(res);
}
END_TEST

/* The engine hands each query's rows over as they arrive, in any order:
 * the run of valid_run taken last query first gives the numbers worked out
 * in test_queries_valid_run. */
START_TEST(test_queries_taken_one_by_one_in_any_order)
{
	rows *res[IND_QUERY_COUNT];
	struct ind_run *run = NULL;
	const struct scorecard *sc = NULL;
	struct sc_indicator *i;
	int q;

	run = start_valid_run(res); /* owns the policy, agreements and areas now */
	for (q = IND_QUERY_COUNT - 1; q >= 0; q--) {
		if (q == Q_POLICY || q == Q_AGREEMENTS || q == Q_AREAS)
			continue;
		ck_assert_msg(ind_take(run, q, res[q]) == 0, "%s", err_last());
		res[q] = NULL;
	}
	ck_assert_msg(ind_finish(run) == 0, "%s", err_last());
	ck_assert_int_eq(ind_run_cards(run), 2); /* the policy's and A1's */
	ck_assert_int_eq(ind_run_card(run, 1, &sc), 0);
	/* out.meetings of A1: 3 at D, previous 1 (the 2024-03-31 row) */
	i = sc_get((struct scorecard *)sc, "out.meetings");
	ck_assert(i->value.set && i->value.v == 3);
	ck_assert(i->previous.set && i->previous.v == 1);
	ind_run_release(run, sc);
	ck_assert_int_eq(ind_run_card(run, 0, &sc), 0);
	/* the policy's hours at D: its row, 4.5 */
	i = sc_get((struct scorecard *)sc, "out.meeting_hours");
	ck_assert(i->value.set && i->value.v == 4.5);
	ind_run_free(run);
	free_run(res);
}
END_TEST

/* A query taken twice, or a run finished before every query is taken, is
 * an error naming the query; the rows handed over are freed all the same
 * (valgrind and ASan check that nothing leaks). */
START_TEST(test_queries_taken_twice_or_missing)
{
	rows *res[IND_QUERY_COUNT];
	struct ind_run *run = NULL;

	run = start_valid_run(res);
	ck_assert_int_eq(ind_take(run, Q_MEETINGS, res[Q_MEETINGS]), 0);
	res[Q_MEETINGS] = NULL;
	ck_assert_int_eq(ind_take(run, Q_MEETINGS, empty_of(Q_MEETINGS)), ERR_FAIL);
	ck_assert_str_eq(err_last(),
			 "internal error: query meetings taken twice or after finishing");
	ck_assert_int_eq(ind_finish(run), ERR_FAIL);
	ck_assert_str_eq(err_last(),
			 "internal error: query participants not taken before finishing");
	ind_run_free(run);
	free_run(res);
}
END_TEST

/* A grid query's rows taken in parts give the numbers that they give taken
 * whole; the parts are held to the contract and messages number rows in the
 * whole result; a list query is not taken in parts; after the last part the
 * query counts as taken. */
START_TEST(test_queries_taken_in_parts)
{
	static const char *const m_cols[] = {"asof",	  "until",    "p",
					     "agreement", "meetings", "hours"};
	static const char *const first[] = {
		"2024-06-30", NULL,	    "0", "A1", "3", "4.5", /* A1 at D */
		"2024-03-31", "2024-06-30", "0", "A1", "1", "2",   /* A1 at the previous date */
	};
	static const char *const rest[] = {"2024-06-30", NULL, "1",
					   NULL,	 "3",  "4.5"}; /* the policy */
	static const char *const stranger[] = {"2024-06-30", NULL, "0", "A9", "3", "4.5"};
	static const char *const null_count[] = {"2024-06-30", NULL, "0", "A1", NULL, "4.5"};
	rows *res[IND_QUERY_COUNT];
	struct ind_run *run = NULL;
	const struct scorecard *sc = NULL;
	struct sc_indicator *i;
	int q;

	run = start_valid_run(res);
	ck_assert_int_eq(ind_takes_parts(Q_MEETINGS), 1);
	ck_assert_int_eq(ind_takes_parts(Q_PROJECT_LIST), 0);
	ck_assert_int_eq(ind_takes_parts(Q_TARGETS), 0);
	ck_assert_int_eq(ind_take_part(run, Q_PROJECT_LIST, empty_of(Q_PROJECT_LIST), 1), ERR_FAIL);
	ck_assert_str_eq(err_last(), "internal error: query project_list is not taken in parts");
	/* rows 1-2, then row 3, then an empty last part */
	ck_assert_msg(ind_take_part(run, Q_MEETINGS, table(2, 6, m_cols, first), 0) == 0, "%s",
		      err_last());
	ck_assert_msg(ind_take_part(run, Q_MEETINGS, table(1, 6, m_cols, rest), 0) == 0, "%s",
		      err_last());
	ck_assert_msg(ind_take_part(run, Q_MEETINGS, empty_of(Q_MEETINGS), 1) == 0, "%s",
		      err_last());
	ck_assert_int_eq(ind_take_part(run, Q_MEETINGS, empty_of(Q_MEETINGS), 1), ERR_FAIL);
	ck_assert_str_eq(err_last(),
			 "internal error: query meetings taken twice or after finishing");
	for (q = 0; q < IND_QUERY_COUNT; q++) {
		if (q == Q_POLICY || q == Q_AGREEMENTS || q == Q_AREAS || q == Q_MEETINGS)
			continue;
		ck_assert_msg(ind_take(run, q, res[q]) == 0, "%s", err_last());
		res[q] = NULL;
	}
	ck_assert_msg(ind_finish(run) == 0, "%s", err_last());
	ck_assert_int_eq(ind_run_card(run, 1, &sc), 0);
	/* out.meetings of A1: 3 at D (row 1), previous 1 (row 2) */
	i = sc_get((struct scorecard *)sc, "out.meetings");
	ck_assert(i->value.set && i->value.v == 3);
	ck_assert(i->previous.set && i->previous.v == 1);
	ind_run_release(run, sc);
	ck_assert_int_eq(ind_run_card(run, 0, &sc), 0);
	/* the policy's hours at D: row 3, in the second part, 4.5 */
	i = sc_get((struct scorecard *)sc, "out.meeting_hours");
	ck_assert(i->value.set && i->value.v == 4.5);
	ind_run_free(run);
	free_run(res);

	/* a bad row in the second part is row 3 of the result: 2 rows before it */
	run = start_valid_run(res);
	ck_assert_int_eq(ind_take_part(run, Q_MEETINGS, table(2, 6, m_cols, first), 0), 0);
	ck_assert_int_eq(ind_take_part(run, Q_MEETINGS, table(1, 6, m_cols, stranger), 1),
			 ERR_FAIL);
	ck_assert_str_eq(err_last(), "query meetings: row 3: A9 is not an agreement of the run");
	ind_run_free(run);
	free_run(res);

	run = start_valid_run(res);
	ck_assert_int_eq(ind_take_part(run, Q_MEETINGS, table(2, 6, m_cols, first), 0), 0);
	ck_assert_int_eq(ind_take_part(run, Q_MEETINGS, table(1, 6, m_cols, null_count), 1),
			 ERR_FAIL);
	ck_assert_str_eq(err_last(), "query meetings: row 3: column meetings is null");
	ind_run_free(run);
	free_run(res);
}
END_TEST

/* The contract of every query names its columns once each. */
START_TEST(test_queries_contracts_well_formed)
{
	int q;

	for (q = 0; q < IND_QUERY_COUNT; q++) {
		rows *r = empty_of(q);

		ck_assert_msg(ind_check_rows(q, r) == 0, "%s", err_last());
		ck_assert_ptr_nonnull(ind_queries[q].sql);
		rows_free(r);
	}
}
END_TEST

START_TEST(test_queries_evidence_on_cards)
{
	static const char *const cols[] = {"code",	"kind",		"recorded_on",
					   "title",	"summary",	"participants",
					   "agreement", "neighbourhood"};
	/* E1: A1's interview within 2024-Q2; E2: the policy's document of
	 * 2024-03-15, before the period's start (2024-04-01) */
	static const char *const both[] = {
		"E1", "interview", "2024-05-02", "Intervista", "Testo", "3",  "A1", NULL,
		"E2", "document",  "2024-03-15", "Relazione",  "Testo", NULL, NULL, NULL};
	rows *res[IND_QUERY_COUNT];
	struct ind_result *out = NULL;

	valid_run(res);
	rows_free(res[Q_EVIDENCE]);
	res[Q_EVIDENCE] = table(2, 8, cols, both);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	/* A1 lists E1 and has recorded 1; the policy lists E1 (E2 is before the
	 * start) and has recorded both */
	ck_assert_int_eq(out->agreements[0]->n_evidence, 1);
	ck_assert_str_eq(out->agreements[0]->evidence[0].code, "E1");
	ck_assert_int_eq(out->agreements[0]->evidence_total, 1);
	ck_assert_int_eq(out->policy->n_evidence, 1);
	ck_assert_str_eq(out->policy->evidence[0].code, "E1");
	ck_assert_int_eq(out->policy->evidence_total, 2);
	ind_result_free(out);
	free_run(res);

	/* E2 alone: no card lists anything; the policy has still recorded 1 */
	valid_run(res);
	rows_free(res[Q_EVIDENCE]);
	res[Q_EVIDENCE] = table(1, 8, cols, both + 8);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	ck_assert_int_eq(out->agreements[0]->n_evidence + out->policy->n_evidence, 0);
	ck_assert_int_eq(out->agreements[0]->evidence_total, 0);
	ck_assert_int_eq(out->policy->evidence_total, 1);
	ind_result_free(out);
	free_run(res);
}
END_TEST

/* The finishing of ratios, dates, partners' shares and a survey mean from
 * hand-made rows, with the notes' facts. A1 was approved on 2024-02-01 and
 * signed on 2024-02-11; its rows at D are below, none at 2024-03-31. */
START_TEST(test_queries_finished_values)
{
	static const char *const agr_cols[] = {"code",	      "title",	   "lab_started_on",
					       "approved_on", "signed_on", "closed_on",
					       "published_on"};
	static const char *const agr[] = {"A1",		"Garden", "2024-01-10", "2024-02-01",
					  "2024-02-11", NULL,	  NULL};
	static const char *const pa_cols[] = {"asof", "until", "p", "agreement", "participants"};
	static const char *const pa[] = {"2024-06-30", NULL, "0", "A1", "40"};
	static const char *const po_cols[] = {"asof", "until", "p", "agreement", "population"};
	static const char *const po[] = {"2024-06-30", NULL, "0", "A1", "2000"};
	static const char *const f_cols[] = {"asof",	  "until", "p",	    "agreement",
					     "all_kinds", "kind",  "stage", "amount"};
	static const char *const f[] = {
		"2024-06-30", NULL, "0", "A1", "1", NULL, "allocated", "1000",
		"2024-06-30", NULL, "0", "A1", "1", NULL, "committed", "600",
		"2024-06-30", NULL, "0", "A1", "1", NULL, "spent",     "400",
	};
	static const char *const r_cols[] = {"asof", "until", "p", "agreement", "kind", "quantity"};
	static const char *const r[] = {
		"2024-06-30", NULL, "0", "A1", "volunteer_hours", "10",
		"2024-06-30", NULL, "0", "A1", "in_kind_eur",	  "50",
	};
	static const char *const s_cols[] = {"asof",	    "until",	    "p",       "agreement",
					     "signatories", "new_partners", "bridging"};
	static const char *const sg[] = {"2024-06-30", NULL, "0", "A1", "4", "2", "1"};
	static const char *const m_cols[] = {"asof", "until", "p",     "agreement", "instrument",
					     "n",    "sum",   "sumsq", "k"};
	static const char *const m[] = {"2024-06-30", NULL, "0",   "A1", "satisfaction",
					"6",	      "24", "100", "5"};
	rows *res[IND_QUERY_COUNT];
	struct ind_result *out = NULL;
	struct scorecard *a, *pol;

	valid_run(res);
	replace(res, Q_AGREEMENTS, 7, agr_cols, agr);
	replace(res, Q_PARTICIPANTS, 5, pa_cols, pa);
	replace(res, Q_POPULATION, 5, po_cols, po);
	rows_free(res[Q_FINANCE]);
	res[Q_FINANCE] = table(3, 8, f_cols, f);
	rows_free(res[Q_RESOURCES]);
	res[Q_RESOURCES] = table(2, 6, r_cols, r);
	replace(res, Q_PARTNERS, 7, s_cols, sg);
	replace(res, Q_SURVEY_MEANS, 9, m_cols, m);
	ck_assert_msg(ind_build(res, &request, &out) == 0, "%s", err_last());
	a = out->agreements[0];
	pol = out->policy;
	/* 40 participants per 2000 inhabitants: 40 * 1000 / 2000 = 20; at
	 * 2024-03-31 no population, so no rate */
	ck_assert(sc_get(a, "out.participation_rate")->value.v == 20);
	ck_assert(!sc_get(a, "out.participation_rate")->previous.set);
	/* 600 and 400 of 1000 allocated: 60 % committed, 40 % spent; 400 spent
	 * over 40 participants: 10 each */
	ck_assert(sc_get(a, "eff.commitment_rate")->value.v == 60);
	ck_assert(sc_get(a, "eff.spend_rate")->value.v == 40);
	ck_assert(sc_get(a, "eff.cost_per_participant")->value.v == 10);
	/* 10 volunteer hours at the policy's 15 plus 50 in kind: 200; over
	 * 400 spent: 0.5 */
	ck_assert(sc_get(a, "eff.community_value_eur")->value.v == 200);
	ck_assert(sc_get(a, "eff.leverage")->value.v == 0.5);
	/* 2024-02-01 to 2024-02-11: 10 days; the policy's median of one: 10;
	 * one agreement signed by either date */
	ck_assert(sc_get(a, "eff.days_to_signature")->value.v == 10);
	ck_assert(sc_get(pol, "eff.days_to_signature")->value.v == 10);
	ck_assert(sc_get(pol, "out.agreements_signed")->value.v == 1);
	ck_assert(sc_get(pol, "out.agreements_signed")->previous.v == 1);
	/* 1 of 4 signatories bridging: 25 %; 2 of 4 new: 50 % */
	ck_assert(sc_get(a, "soc.bridging_share")->value.v == 25);
	ck_assert(sc_get(a, "soc.new_partners_share")->value.v == 50);
	/* 6 respondents (>= min_cell 5) summing 24: mean 4, 5 of them
	 * satisfied: 100 * 5 / 6; the policy has no row: n 0, suppressed */
	ck_assert(sc_get(a, "eft.satisfaction")->value.v == 4);
	ck_assert(sc_get(a, "eft.satisfaction")->n.v == 6);
	ck_assert(!sc_get(a, "eft.satisfaction")->suppressed);
	ck_assert(sc_get(a, "eft.satisfied_share")->value.v == 100.0 * 5 / 6);
	ck_assert(sc_get(pol, "eft.satisfaction")->suppression == SUP_PRIMARY);
	/* the notes' facts: the four notes of every card, no import batch */
	ck_assert_int_eq(pol->n_notes, 4);
	ck_assert_int_eq(pol->notes[0], SC_NOTE_AS_OF);
	ck_assert_int_eq(pol->notes[3], SC_NOTE_SNAPSHOT);
	ck_assert_ptr_null(pol->batch_at);
	ck_assert_int_eq(a->min_cell, 5);
	ck_assert_str_eq(a->period_end, "2024-06-30");
	ck_assert_str_eq(a->period_previous, "2024-Q1");
	ind_result_free(out);
	free_run(res);
}
END_TEST

static Suite *queries_suite(void)
{
	Suite *s = suite_create("queries");
	TCase *tc = tcase_create("contract");

	tcase_add_test(tc, test_queries_valid_run);
	tcase_add_test(tc, test_queries_finished_values);
	tcase_add_test(tc, test_queries_missing_column);
	tcase_add_test(tc, test_queries_unexpected_column);
	tcase_add_test(tc, test_queries_null_measure);
	tcase_add_test(tc, test_queries_not_a_number);
	tcase_add_test(tc, test_queries_unknown_agreement_or_date);
	tcase_add_test(tc, test_queries_unknown_indicator);
	tcase_add_test(tc, test_queries_unknown_survey_group);
	tcase_add_test(tc, test_queries_other_signatories_in_total_only);
	tcase_add_test(tc, test_queries_contracts_well_formed);
	tcase_add_test(tc, test_queries_taken_one_by_one_in_any_order);
	tcase_add_test(tc, test_queries_taken_twice_or_missing);
	tcase_add_test(tc, test_queries_taken_in_parts);
	tcase_add_test(tc, test_queries_evidence_on_cards);
	tcase_add_test(tc, test_queries_neighbourhood_rows);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(queries_suite)

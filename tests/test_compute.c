/* compute: run_compute against tiny hand-made datasets.
 *
 * Every expected value below is derived by hand from docs/METHOD.md, never
 * from running the engine: the comment beside each one names the rows that
 * count and the arithmetic. The period is 2024-Q2 unless said otherwise, so
 * D = 2024-06-30 and the previous as-of date is 2024-03-31; a record that must
 * be ignored is dated D+1 = 2024-07-01, and a record dated exactly D counts.
 *
 * Tolerances: EXACT (1e-9) for exact arithmetic, STAT (1e-6) where a
 * t-quantile or a square root is involved. Quantiles used (computed with
 * mpmath, 30 digits, and checked against printed tables to 6 digits):
 *   t(0.975, 2) = 4.302653, t(0.975, 4) = 2.776445, t(0.975, 6) = 2.446912,
 *   t(0.975, 4.990564) = 2.572044, t(0.975, 7.973402) = 2.307344;
 *   z = 1.959964 (the spec's), z^2 = 3.841459. */
#include "check_main.h"
#include "err.h"
#include "run.h"
#include "testdb.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EXACT 1e-9
#define STAT 1e-6

/* ---- helpers --------------------------------------------------------------- */

static void exec_sql(db *c, const char *sql)
{
	ck_assert_msg(db_exec_script(c, sql) == 0, "dataset: %s", err_last());
}

static struct ind_result *compute_opt(db *c, const struct run_options *opt)
{
	struct ind_result *res = NULL;
	int rc = run_compute(c, opt, &res);

	ck_assert_msg(rc == 0, "run_compute(%s, %s) = %d: %s", opt->policy, opt->period, rc,
		      err_last());
	ck_assert(res != NULL && res->policy != NULL);
	return res;
}

static struct ind_result *compute(db *c, const char *policy, const char *period)
{
	return compute_opt(c, &(struct run_options){.policy = policy, .period = period});
}

static struct scorecard *find_agreement(struct ind_result *r, const char *code)
{
	int i;

	for (i = 0; i < r->n_agreements; i++)
		if (r->agreements[i]->agreement_code &&
		    strcmp(r->agreements[i]->agreement_code, code) == 0)
			return r->agreements[i];
	return NULL;
}

static struct scorecard *agreement(struct ind_result *r, const char *code)
{
	struct scorecard *sc = find_agreement(r, code);

	ck_assert_msg(sc != NULL, "no scorecard for agreement %s", code);
	return sc;
}

static const char *who(const struct scorecard *sc)
{
	return sc->level == CAT_POLICY ? "policy" : sc->agreement_code;
}

static struct sc_indicator *ind_at(struct scorecard *sc, const char *code, int line)
{
	struct sc_indicator *i = sc_get(sc, code);

	ck_assert_msg(i != NULL, "line %d: %s absent from the %s scorecard", line, code, who(sc));
	return i;
}

static void num_is(struct sc_num n, double v, double tol, const char *what, const char *code,
		   const struct scorecard *sc, int line)
{
	ck_assert_msg(n.set, "line %d: %s %s on %s: expected %.12g, got null", line, code, what,
		      who(sc), v);
	ck_assert_msg(fabs(n.v - v) <= tol, "line %d: %s %s on %s: expected %.12g, got %.12g", line,
		      code, what, who(sc), v, n.v);
}

static void num_null(struct sc_num n, const char *what, const char *code,
		     const struct scorecard *sc, int line)
{
	ck_assert_msg(!n.set, "line %d: %s %s on %s: expected null, got %.12g", line, code, what,
		      who(sc), n.v);
}

/* value = v (and not suppressed) */
static void val(struct scorecard *sc, const char *code, double v, double tol, int line)
{
	struct sc_indicator *i = ind_at(sc, code, line);

	num_is(i->value, v, tol, "value", code, sc, line);
	ck_assert_msg(!i->suppressed, "line %d: %s on %s: unexpectedly suppressed", line, code,
		      who(sc));
}
#define VAL(sc_, code_, v_, tol_) val(sc_, code_, v_, tol_, __LINE__)
#define VAL_NULL(sc_, code_)                                                                       \
	num_null(ind_at(sc_, code_, __LINE__)->value, "value", code_, sc_, __LINE__)
#define PREV(sc_, code_, v_, tol_)                                                                 \
	num_is(ind_at(sc_, code_, __LINE__)->previous, v_, tol_, "previous", code_, sc_, __LINE__)
#define PREV_NULL(sc_, code_)                                                                      \
	num_null(ind_at(sc_, code_, __LINE__)->previous, "previous", code_, sc_, __LINE__)
#define N_IS(sc_, code_, n_)                                                                       \
	num_is(ind_at(sc_, code_, __LINE__)->n, n_, EXACT, "n", code_, sc_, __LINE__)
#define N_NULL(sc_, code_) num_null(ind_at(sc_, code_, __LINE__)->n, "n", code_, sc_, __LINE__)
#define CI(sc_, code_, lo_, hi_, tol_)                                                             \
	do {                                                                                       \
		num_is(ind_at(sc_, code_, __LINE__)->ci_low, lo_, tol_, "ci_low", code_, sc_,      \
		       __LINE__);                                                                  \
		num_is(ind_at(sc_, code_, __LINE__)->ci_high, hi_, tol_, "ci_high", code_, sc_,    \
		       __LINE__);                                                                  \
	} while (0)
#define CI_NULL(sc_, code_)                                                                        \
	do {                                                                                       \
		num_null(ind_at(sc_, code_, __LINE__)->ci_low, "ci_low", code_, sc_, __LINE__);    \
		num_null(ind_at(sc_, code_, __LINE__)->ci_high, "ci_high", code_, sc_, __LINE__);  \
	} while (0)
#define P_IS(sc_, code_, v_, tol_)                                                                 \
	num_is(ind_at(sc_, code_, __LINE__)->p_value, v_, tol_, "p_value", code_, sc_, __LINE__)
#define P_NULL(sc_, code_)                                                                         \
	num_null(ind_at(sc_, code_, __LINE__)->p_value, "p_value", code_, sc_, __LINE__)
#define EFFECT_IS(sc_, code_, v_, tol_)                                                            \
	num_is(ind_at(sc_, code_, __LINE__)->effect_size, v_, tol_, "effect_size", code_, sc_,     \
	       __LINE__)
#define EFFECT_NULL(sc_, code_)                                                                    \
	num_null(ind_at(sc_, code_, __LINE__)->effect_size, "effect_size", code_, sc_, __LINE__)

/* Suppressed, below min_cell itself (primary) or to protect another cell
 * (secondary): value, interval, p and effect null, flag set, n still
 * published. */
static void suppressed(struct scorecard *sc, const char *code, double n, enum sc_suppression why,
		       int line)
{
	struct sc_indicator *i = ind_at(sc, code, line);

	ck_assert_msg(i->suppressed, "line %d: %s on %s: expected suppressed", line, code, who(sc));
	ck_assert_msg(i->suppression == why, "line %d: %s on %s: suppression %s, expected %s", line,
		      code, who(sc), sc_suppression_name(i->suppression), sc_suppression_name(why));
	num_null(i->value, "value", code, sc, line);
	num_null(i->ci_low, "ci_low", code, sc, line);
	num_null(i->ci_high, "ci_high", code, sc, line);
	num_null(i->p_value, "p_value", code, sc, line);
	num_null(i->effect_size, "effect_size", code, sc, line);
	num_is(i->n, n, EXACT, "n", code, sc, line);
}
#define SUPPRESSED(sc_, code_, n_) suppressed(sc_, code_, n_, SUP_PRIMARY, __LINE__)
#define SECONDARY(sc_, code_, n_) suppressed(sc_, code_, n_, SUP_SECONDARY, __LINE__)

/* Status and normalised score of an indicator. */
static void decision(struct scorecard *sc, const char *code, enum sc_status st, int norm_set,
		     double norm, int line)
{
	struct sc_indicator *i = ind_at(sc, code, line);

	ck_assert_msg(i->status == st, "line %d: %s on %s: status %s, expected %s", line, code,
		      who(sc), sc_status_name(i->status), sc_status_name(st));
	if (norm_set)
		num_is(i->normalised, norm, EXACT, "normalised", code, sc, line);
	else
		num_null(i->normalised, "normalised", code, sc, line);
}
#define DECIDE(sc_, code_, st_, norm_) decision(sc_, code_, st_, 1, norm_, __LINE__)
#define DECIDE_NONE(sc_, code_) decision(sc_, code_, ST_NONE, 0, 0, __LINE__)

#define DIM_IS(sc_, d_, score_, cov_)                                                              \
	do {                                                                                       \
		num_is((sc_)->dims[d_].score, score_, EXACT, "score", cat_dimension_code(d_), sc_, \
		       __LINE__);                                                                  \
		num_is((sc_)->dims[d_].coverage, cov_, EXACT, "coverage", cat_dimension_code(d_),  \
		       sc_, __LINE__);                                                             \
	} while (0)
#define DIM_NULL(sc_, d_)                                                                          \
	do {                                                                                       \
		num_null((sc_)->dims[d_].score, "score", cat_dimension_code(d_), sc_, __LINE__);   \
		num_null((sc_)->dims[d_].coverage, "coverage", cat_dimension_code(d_), sc_,        \
			 __LINE__);                                                                \
	} while (0)
#define INDEX_IS(sc_, v_) num_is((sc_)->index, v_, EXACT, "", "index", sc_, __LINE__)
#define INDEX_NULL(sc_) num_null((sc_)->index, "", "index", sc_, __LINE__)

static struct sc_num ex_ante_of(const struct scorecard *sc, const char *criterion)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(sc_ex_ante_criteria[i], criterion) == 0)
			return sc->ex_ante[i];
	ck_abort_msg("no ex-ante criterion %s", criterion);
	return sc->ex_ante[0];
}
#define EX_ANTE(sc_, crit_, v_)                                                                    \
	num_is(ex_ante_of(sc_, crit_), v_, EXACT, crit_, "ex_ante", sc_, __LINE__)
#define EX_ANTE_NULL(sc_, crit_) num_null(ex_ante_of(sc_, crit_), crit_, "ex_ante", sc_, __LINE__)

static const struct sc_rank *rank_of(const struct scorecard *p, const char *code)
{
	int i;

	for (i = 0; i < p->n_ranks; i++)
		if (strcmp(p->ranks[i].agreement_code, code) == 0)
			return &p->ranks[i];
	ck_abort_msg("no rank entry for %s", code);
	return NULL;
}

/* ---- the base dataset -------------------------------------------------------
 * Policy T (started 2023-09-01, volunteer hour 20 eur, min_cell 3):
 *   A1 lab 2023-10-01, approved 2024-03-01, signed 2024-06-30 (= D)
 *   A2 lab 2024-04-15 (in scope at D, not at 2024-03-31), approved 2024-05-01,
 *      signed 2024-07-02 (after D)
 *   A3 lab 2024-07-01: not in scope at D. It has records dated <= D anyway, so
 *      that reading them at P shows in the figures.
 * Policy U with U1: records of another policy that must never count for T.
 * Neighbourhoods: N1 1000, N2 2000, N4 400, N3 500; A1 = {N1, N2},
 * A2 = {N2, N4} (N2 shared), A3 = {N3}. */
static const char base_sql[] =
	"INSERT INTO policy (code, name, started_on, locale, volunteer_hour_value_eur, min_cell)"
	" VALUES ('T', 'Policy T', '2023-09-01', 'en', 20, 3),"
	"        ('U', 'Policy U', '2023-01-01', 'en', 10, 3);"
	"INSERT INTO neighbourhood (code, name, population) VALUES"
	" ('N1', 'One', 1000), ('N2', 'Two', 2000), ('N3', 'Three', 500), ('N4', 'Four', 400);"
	"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on, signed_on)"
	" VALUES ('A1', 'T', 'Agreement 1', '2023-10-01', '2024-03-01', '2024-06-30'),"
	"        ('A2', 'T', 'Agreement 2', '2024-04-15', '2024-05-01', '2024-07-02'),"
	"        ('A3', 'T', 'Agreement 3', '2024-07-01', NULL, NULL),"
	"        ('U1', 'U', 'Other 1', '2023-06-01', NULL, NULL);"
	"INSERT INTO agreement_area (agreement_code, neighbourhood_code) VALUES"
	" ('A1', 'N1'), ('A1', 'N2'), ('A2', 'N2'), ('A2', 'N4'), ('A3', 'N3'), ('U1', 'N3');"
	"INSERT INTO signatory (code, kind, name) VALUES"
	" ('SA1', 'association', 'Assoc 1'), ('SA2', 'association', 'Assoc 2'),"
	" ('SA3', 'association', 'Assoc 3'), ('SV1', 'volunteer', NULL),"
	" ('SB1', 'business', 'Shop 1'), ('SB2', 'business', 'Shop 2'), ('SO1', 'other', 'Other');"
	"INSERT INTO signature (agreement_code, signatory_code, signed_on) VALUES"
	" ('A1', 'SA1', '2024-01-10'), ('A1', 'SV1', '2024-06-30'), ('A1', 'SB1', '2024-07-01'),"
	" ('A2', 'SA1', '2024-05-01'), ('A2', 'SA2', '2024-04-20'), ('A2', 'SO1', '2024-04-21'),"
	" ('A2', 'SB2', '2024-06-01'), ('A3', 'SA3', '2024-06-01'), ('U1', 'SB1', '2024-02-01');"
	"INSERT INTO project (code, agreement_code, kind, title, defined_on, completed_on) VALUES"
	" ('PR1', 'A1', 'community_care', 'P1', '2024-02-01', '2024-06-30'),"
	" ('PR2', 'A1', 'city_care', 'P2', '2024-06-30', '2024-07-01'),"
	" ('PR3', 'A1', 'city_care', 'P3', '2024-07-01', NULL),"
	" ('PR4', 'A2', 'community_care', 'P4', '2024-05-01', '2024-05-20'),"
	" ('PR5', 'A3', 'city_care', 'P5', '2024-06-10', NULL),"
	" ('PU1', 'U1', 'community_care', 'PU', '2024-03-01', NULL);"
	"INSERT INTO finance (project_code, booked_on, stage, amount_eur) VALUES"
	" ('PR1', '2024-01-15', 'allocated', 1000), ('PR1', '2024-04-01', 'committed', 600),"
	" ('PR1', '2024-06-15', 'spent', -100), ('PR1', '2024-06-30', 'spent', 400),"
	" ('PR1', '2024-07-01', 'spent', 999),"
	" ('PR2', '2024-06-30', 'allocated', 500), ('PR2', '2024-06-30', 'allocated', -100),"
	" ('PR2', '2024-06-01', 'committed', 200),"
	" ('PR4', '2024-05-02', 'allocated', 2000), ('PR4', '2024-05-03', 'committed', 1500),"
	" ('PR4', '2024-06-01', 'spent', 900),"
	" ('PR5', '2024-06-10', 'allocated', 7777), ('PR5', '2024-06-10', 'spent', 7777),"
	" ('PU1', '2024-03-01', 'allocated', 5555), ('PU1', '2024-03-01', 'spent', 5555);"
	"INSERT INTO milestone (code, project_code, title, due_on, achieved_on) VALUES"
	" ('MS1', 'PR1', 'm1', '2024-04-30', '2024-04-30'),"
	" ('MS2', 'PR1', 'm2', '2024-05-31', '2024-06-15'),"
	" ('MS3', 'PR1', 'm3', '2024-06-30', NULL),"
	" ('MS4', 'PR2', 'm4', '2024-06-30', '2024-06-01'),"
	" ('MS5', 'PR2', 'm5', '2024-07-31', '2024-06-01'),"
	" ('MS6', 'PR4', 'm6', '2024-06-01', '2024-05-31'),"
	" ('MS7', 'PR5', 'm7', '2024-06-20', NULL),"
	" ('MSU', 'PU1', 'mu', '2024-04-01', NULL);"
	"INSERT INTO meeting (code, agreement_code, held_on, kind, hours) VALUES"
	" ('M0', 'A1', '2024-03-31', 'coordination', 1),"
	" ('M1', 'A1', '2024-04-10', 'workshop', 2),"
	" ('M2', 'A1', '2024-06-30', 'assembly', 1.5),"
	" ('M3', 'A1', '2024-07-01', 'event', 3),"
	" ('M4', 'A2', '2024-05-05', 'workshop', 2.5),"
	" ('M5', 'A3', '2024-06-15', 'workshop', 4),"
	" ('MU', 'U1', '2024-05-01', 'workshop', 1);"
	"INSERT INTO attendance (meeting_code, person, role) VALUES"
	" ('M0', 'p2', 'citizen'), ('M0', 's1', 'staff'),"
	" ('M1', 'p1', 'citizen'), ('M1', 'p2', 'citizen'), ('M1', 's1', 'staff'),"
	" ('M1', 's2', 'staff'),"
	" ('M2', 'p1', 'citizen'), ('M2', 'p3', 'association'), ('M2', 's1', 'staff'),"
	" ('M2', 's2', 'citizen'),"
	" ('M3', 'p9', 'citizen'),"
	" ('M4', 'p1', 'citizen'), ('M4', 'p4', 'business'), ('M4', 's1', 'citizen'),"
	" ('M5', 'p8', 'citizen'),"
	" ('MU', 'p7', 'citizen'), ('MU', 'p1', 'citizen');"
	"INSERT INTO resource (agreement_code, recorded_on, kind, quantity) VALUES"
	" ('A1', '2024-04-01', 'staff_hours', 10), ('A1', '2024-06-30', 'staff_hours', 5),"
	" ('A1', '2024-07-01', 'staff_hours', 100), ('A1', '2024-05-01', 'volunteer_hours', 30),"
	" ('A1', '2024-06-30', 'in_kind_eur', 150), ('A1', '2024-03-31', 'in_kind_eur', 50),"
	" ('A2', '2024-02-01', 'volunteer_hours', 10), ('A2', '2024-06-01', 'in_kind_eur', 200),"
	" ('A3', '2024-06-01', 'staff_hours', 50), ('A3', '2024-06-01', 'volunteer_hours', 10),"
	" ('U1', '2024-05-01', 'staff_hours', 7);"
	"INSERT INTO org_event (policy_code, agreement_code, occurred_on, kind, department,"
	"                       quantity) VALUES"
	" ('T', 'A1', '2024-04-01', 'new_solution', 'Welfare', 2),"
	" ('T', 'A1', '2024-06-30', 'training', 'HR', 5),"
	" ('T', 'A1', '2024-07-01', 'process_change', 'Urbanistica', 1),"
	" ('T', 'A2', '2024-05-02', 'new_solution', 'Ambiente', 1),"
	" ('T', NULL, '2024-03-15', 'process_change', 'Segreteria', 3),"
	" ('T', NULL, '2024-06-01', 'training', 'HR', 2),"
	" ('T', 'A3', '2024-06-01', 'new_solution', 'Lavori', 10),"
	" ('U', 'U1', '2024-05-01', 'new_solution', 'Welfare', 7);"
	/* quantity left to its default, 1 */
	"INSERT INTO org_event (policy_code, agreement_code, occurred_on, kind, department)"
	" VALUES ('T', 'A2', '2024-05-01', 'new_method', 'Welfare');";

static void base_dataset(db *c)
{
	exec_sql(c, base_sql);
}

/* ---- output ----------------------------------------------------------------- */

START_TEST(test_compute_output)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	r = compute(c, "T", "2024-Q2");
	p = r->policy;

	/* scope: A1 (lab 2023-10-01) and A2 (lab 2024-04-15) have lab_started_on <= D;
	 * A3 (lab 2024-07-01 = D+1) has no scorecard and is not ranked; U1 is U's */
	ck_assert_int_eq(r->n_agreements, 2);
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");
	ck_assert_ptr_null(find_agreement(r, "A3"));
	ck_assert_ptr_null(find_agreement(r, "U1"));
	ck_assert_int_eq(p->n_ranks, 2);
	ck_assert_int_eq(p->min_cell, 3);
	ck_assert_str_eq(p->period, "2024-Q2");
	ck_assert_str_eq(p->period_end, "2024-06-30");
	ck_assert_str_eq(p->period_previous, "2024-Q1");

	/* out.agreements_signed exists at P only: A1 signed 2024-06-30 = D counts,
	 * A2 signed 2024-07-02 > D does not, A3 is not signed -> 1 */
	VAL(p, "out.agreements_signed", 1, EXACT);
	ck_assert_ptr_null(sc_get(a1, "out.agreements_signed"));

	/* out.meetings: A1 M0 (03-31), M1 (04-10), M2 (06-30 = D) -> 3; M3 (D+1) no.
	 * A2 M4 -> 1. P = A1 + A2 = 4 (M5 of out-of-scope A3 and MU of U not read) */
	VAL(a1, "out.meetings", 3, EXACT);
	VAL(a2, "out.meetings", 1, EXACT);
	VAL(p, "out.meetings", 4, EXACT);
	/* out.meeting_hours: A1 1 + 2 + 1.5 = 4.5; A2 2.5; P 4.5 + 2.5 = 7 (not
	 * 11 with M5's 4 h, not 10 with M3's 3 h) */
	VAL(a1, "out.meeting_hours", 4.5, EXACT);
	VAL(a2, "out.meeting_hours", 2.5, EXACT);
	VAL(p, "out.meeting_hours", 7, EXACT);

	/* out.participants, distinct non-staff persons of meetings held <= D:
	 * A1 (M0, M1, M2): p2, p1, p3, and s2 (staff at M1 but citizen at M2) -> 4;
	 *    s1 is staff at every A1 meeting -> no; p9 only at M3 (D+1) -> no.
	 * A2 (M4): p1, p4, s1 (staff in A1 but citizen here) -> 3.
	 * P: {p1, p2, p3, s2} + {p4, s1} (p1 already counted) -> 6, not 4 + 3 = 7;
	 *    p8 (A3) and p7 (U1) not read */
	VAL(a1, "out.participants", 4, EXACT);
	VAL(a2, "out.participants", 3, EXACT);
	VAL(p, "out.participants", 6, EXACT);

	/* out.signatories, distinct signatories with a signature <= D:
	 * A1: SA1 (01-10, association), SV1 (06-30 = D, volunteer); SB1 (07-01) no
	 *     -> 2 = association 1 + volunteer 1 + business 0.
	 * A2: SA1, SA2 (association), SO1 (other: in no breakdown), SB2 (business)
	 *     -> 4 = association 2 + volunteer 0 + business 1.
	 * P: {SA1, SV1, SA2, SO1, SB2} -> 5 (SA1 once; SA3 of A3 and SB1's U1
	 *     signature not read) = association 2 + volunteer 1 + business 1 */
	VAL(a1, "out.signatories", 2, EXACT);
	VAL(a1, "out.signatories.association", 1, EXACT);
	VAL(a1, "out.signatories.volunteer", 1, EXACT);
	VAL(a1, "out.signatories.business", 0, EXACT);
	VAL(a2, "out.signatories", 4, EXACT);
	VAL(a2, "out.signatories.association", 2, EXACT);
	VAL(a2, "out.signatories.volunteer", 0, EXACT);
	VAL(a2, "out.signatories.business", 1, EXACT);
	VAL(p, "out.signatories", 5, EXACT);
	VAL(p, "out.signatories.association", 2, EXACT);
	VAL(p, "out.signatories.volunteer", 1, EXACT);
	VAL(p, "out.signatories.business", 1, EXACT);

	/* out.projects, defined <= D: A1 PR1 (community, 02-01), PR2 (city, 06-30 = D);
	 * PR3 (07-01) no -> 2 = 1 community + 1 city. A2 PR4 (community) -> 1.
	 * P: 3 = 2 community + 1 city (PR5 of A3 not read).
	 * out.projects_completed, completed <= D: A1 PR1 (06-30 = D); PR2 completed
	 * 07-01 no -> 1. A2 PR4 (05-20) -> 1. P 2 */
	VAL(a1, "out.projects", 2, EXACT);
	VAL(a1, "out.projects.community_care", 1, EXACT);
	VAL(a1, "out.projects.city_care", 1, EXACT);
	VAL(a1, "out.projects_completed", 1, EXACT);
	VAL(a2, "out.projects", 1, EXACT);
	VAL(a2, "out.projects.community_care", 1, EXACT);
	VAL(a2, "out.projects.city_care", 0, EXACT);
	VAL(a2, "out.projects_completed", 1, EXACT);
	VAL(p, "out.projects", 3, EXACT);
	VAL(p, "out.projects.community_care", 2, EXACT);
	VAL(p, "out.projects.city_care", 1, EXACT);
	VAL(p, "out.projects_completed", 2, EXACT);

	/* out.population: A1 N1 + N2 = 1000 + 2000 = 3000; A2 N2 + N4 = 2000 + 400 =
	 * 2400; P over the distinct neighbourhoods {N1, N2, N4} = 3400, not
	 * 3000 + 2400 = 5400 (N2 shared), and not + N3 (A3 out of scope) */
	VAL(a1, "out.population", 3000, EXACT);
	VAL(a2, "out.population", 2400, EXACT);
	VAL(p, "out.population", 3400, EXACT);

	/* out.participation_rate = participants / population * 1000:
	 * A1 4 / 3000 * 1000 = 1.333...; A2 3 / 2400 * 1000 = 1.25;
	 * P 6 / 3400 * 1000 = 1.764705882352941 */
	VAL(a1, "out.participation_rate", 4.0 / 3000.0 * 1000.0, EXACT);
	VAL(a2, "out.participation_rate", 1.25, EXACT);
	VAL(p, "out.participation_rate", 6.0 / 3400.0 * 1000.0, EXACT);

	/* counts have no n, interval, p or effect and are never suppressed */
	N_NULL(a2, "out.participants");
	CI_NULL(p, "out.participants");

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- efficiency -------------------------------------------------------------- */

START_TEST(test_compute_efficiency)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* finance booked <= D, by project kind:
	 * A1 PR1 (community): allocated 1000; committed 600; spent -100 + 400 = 300
	 *    (the 999 booked 07-01 is D+1).
	 *    PR2 (city): allocated 500 + (-100) = 400; committed 200; spent 0.
	 *    -> allocated 1400, committed 800, spent 300.
	 * A2 PR4 (community): allocated 2000, committed 1500, spent 900.
	 * P (PR5 of A3 and PU1 of U not read): allocated 3400 (community 3000, city
	 *    400), committed 2300 (2100, 200), spent 1200 (1200, 0) */
	VAL(a1, "eff.allocated_eur", 1400, EXACT);
	VAL(a1, "eff.allocated_eur.community_care", 1000, EXACT);
	VAL(a1, "eff.allocated_eur.city_care", 400, EXACT);
	VAL(a1, "eff.committed_eur", 800, EXACT);
	VAL(a1, "eff.committed_eur.community_care", 600, EXACT);
	VAL(a1, "eff.committed_eur.city_care", 200, EXACT);
	VAL(a1, "eff.spent_eur", 300, EXACT);
	VAL(a1, "eff.spent_eur.community_care", 300, EXACT);
	VAL(a1, "eff.spent_eur.city_care", 0, EXACT);
	VAL(a2, "eff.allocated_eur", 2000, EXACT);
	VAL(a2, "eff.allocated_eur.community_care", 2000, EXACT);
	VAL(a2, "eff.allocated_eur.city_care", 0, EXACT);
	VAL(a2, "eff.committed_eur", 1500, EXACT);
	VAL(a2, "eff.committed_eur.community_care", 1500, EXACT);
	VAL(a2, "eff.committed_eur.city_care", 0, EXACT);
	VAL(a2, "eff.spent_eur", 900, EXACT);
	VAL(a2, "eff.spent_eur.community_care", 900, EXACT);
	VAL(a2, "eff.spent_eur.city_care", 0, EXACT);
	VAL(p, "eff.allocated_eur", 3400, EXACT);
	VAL(p, "eff.allocated_eur.community_care", 3000, EXACT);
	VAL(p, "eff.allocated_eur.city_care", 400, EXACT);
	VAL(p, "eff.committed_eur", 2300, EXACT);
	VAL(p, "eff.committed_eur.community_care", 2100, EXACT);
	VAL(p, "eff.committed_eur.city_care", 200, EXACT);
	VAL(p, "eff.spent_eur", 1200, EXACT);
	VAL(p, "eff.spent_eur.community_care", 1200, EXACT);
	VAL(p, "eff.spent_eur.city_care", 0, EXACT);

	/* eff.commitment_rate = committed / allocated * 100:
	 * A1 800 / 1400 * 100 = 57.142857...; A2 1500 / 2000 * 100 = 75;
	 * P 2300 / 3400 * 100 = 67.647058... */
	VAL(a1, "eff.commitment_rate", 800.0 / 1400.0 * 100.0, EXACT);
	VAL(a2, "eff.commitment_rate", 75, EXACT);
	VAL(p, "eff.commitment_rate", 2300.0 / 3400.0 * 100.0, EXACT);
	/* eff.spend_rate = spent / allocated * 100: A1 300 / 1400 * 100 = 21.428571...;
	 * A2 900 / 2000 * 100 = 45; P 1200 / 3400 * 100 = 35.294117... */
	VAL(a1, "eff.spend_rate", 300.0 / 1400.0 * 100.0, EXACT);
	VAL(a2, "eff.spend_rate", 45, EXACT);
	VAL(p, "eff.spend_rate", 1200.0 / 3400.0 * 100.0, EXACT);
	/* eff.cost_per_participant = spent / participants (6 distinct at P, see
	 * test_compute_output): A1 300 / 4 = 75; A2 900 / 3 = 300; P 1200 / 6 = 200 */
	VAL(a1, "eff.cost_per_participant", 75, EXACT);
	VAL(a2, "eff.cost_per_participant", 300, EXACT);
	VAL(p, "eff.cost_per_participant", 200, EXACT);

	/* eff.staff_hours, recorded <= D: A1 10 + 5 = 15 (100 on 07-01 is D+1);
	 * A2 0; P 15 (A3's 50 and U1's 7 not read) */
	VAL(a1, "eff.staff_hours", 15, EXACT);
	VAL(a2, "eff.staff_hours", 0, EXACT);
	VAL(p, "eff.staff_hours", 15, EXACT);
	/* eff.community_value_eur = volunteer_hours * 20 + in_kind_eur:
	 * A1 30 * 20 + 150 (06-30 = D) + 50 (03-31) = 800;
	 * A2 10 * 20 + 200 = 400; P 1200 (A3's 10 h not read) */
	VAL(a1, "eff.community_value_eur", 800, EXACT);
	VAL(a2, "eff.community_value_eur", 400, EXACT);
	VAL(p, "eff.community_value_eur", 1200, EXACT);
	/* eff.leverage = community value / spent: A1 800 / 300 = 2.666...;
	 * A2 400 / 900 = 0.444...; P 1200 / 1200 = 1 */
	VAL(a1, "eff.leverage", 800.0 / 300.0, EXACT);
	VAL(a2, "eff.leverage", 400.0 / 900.0, EXACT);
	VAL(p, "eff.leverage", 1, EXACT);

	/* eff.days_to_signature: A1 approved 2024-03-01, signed 2024-06-30, both <= D:
	 * March 31 - 1 = 30 days to 03-31, + 30 (April) + 31 (May) + 30 (June) = 121.
	 * A2 signed 2024-07-02 > D -> null. P = median of {121} = 121 */
	VAL(a1, "eff.days_to_signature", 121, EXACT);
	VAL_NULL(a2, "eff.days_to_signature");
	VAL(p, "eff.days_to_signature", 121, EXACT);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* eff.days_to_signature at P: the median, mean of the two middle values for an
 * even count; agreements without both dates <= D are left out. */
START_TEST(test_compute_days_to_signature_median)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		 "                       signed_on) VALUES"
		 " ('D1', 'T', 'd1', '2024-01-01', '2024-01-01', '2024-01-11'),"
		 " ('D2', 'T', 'd2', '2024-01-01', '2024-02-01', '2024-03-02'),"
		 " ('D3', 'T', 'd3', '2024-01-01', '2024-04-01', '2024-04-21'),"
		 " ('D4', 'T', 'd4', '2024-01-01', '2024-05-01', '2024-06-30'),"
		 " ('D5', 'T', 'd5', '2024-01-01', '2024-06-01', '2024-07-01'),"
		 " ('D6', 'T', 'd6', '2024-01-01', NULL, NULL);");

	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	/* A values at D = 2024-06-30: D1 01-01 -> 01-11 = 10; D2 02-01 -> 03-02 = 29
	 * (February 2024 is a leap month) + 1 = 30; D3 04-01 -> 04-21 = 20;
	 * D4 05-01 -> 06-30 = 31 (May 1 -> Jun 1) + 29 (Jun 1 -> Jun 30) = 60; D5 signed 07-01 > D
	 * -> null; D6 no dates -> null */
	VAL(agreement(r, "D1"), "eff.days_to_signature", 10, EXACT);
	VAL(agreement(r, "D2"), "eff.days_to_signature", 30, EXACT);
	VAL(agreement(r, "D3"), "eff.days_to_signature", 20, EXACT);
	VAL(agreement(r, "D4"), "eff.days_to_signature", 60, EXACT);
	VAL_NULL(agreement(r, "D5"), "eff.days_to_signature");
	VAL_NULL(agreement(r, "D6"), "eff.days_to_signature");
	/* P: sorted {10, 20, 30, 60}, even count -> (20 + 30) / 2 = 25 (the mean of
	 * all four would be 30) */
	VAL(p, "eff.days_to_signature", 25, EXACT);
	/* previous, as of 2024-03-31: D1 10 and D2 30 (signed 03-02); D3 and D4 not
	 * yet approved -> median of {10, 30} = 20 */
	PREV(p, "eff.days_to_signature", 20, EXACT);
	ind_result_free(r);

	/* 2024-Q3, D = 2024-09-30: D5 06-01 -> 07-01 = 30 joins -> sorted
	 * {10, 20, 30, 30, 60}, odd count -> the middle one, 30 */
	r = compute(c, "T", "2024-Q3");
	p = r->policy;
	VAL(agreement(r, "D5"), "eff.days_to_signature", 30, EXACT);
	VAL(p, "eff.days_to_signature", 30, EXACT);
	/* previous (2024-06-30) is the 2024-Q2 value */
	PREV(p, "eff.days_to_signature", 25, EXACT);
	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- zero denominators -------------------------------------------------------- */

START_TEST(test_compute_zero_denominators)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *z1, *z2;
	int d;

	testdb_create(&ci, &c);
	/* Z1: one neighbourhood of population 0, one project with a milestone due
	 * after D, 5 volunteer hours, nothing else. Z2: no neighbourhood, one meeting
	 * with 2 citizens and 1 staff, an allocation fully corrected away, signed
	 * after D. No targets, no surveys, no signatures, no org events. */
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('Z', 'Policy Z', '2023-01-01', 15, 3);"
		 "INSERT INTO neighbourhood (code, name, population) VALUES ('NZ', 'Empty', 0);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		 "                       signed_on) VALUES"
		 " ('Z1', 'Z', 'z1', '2024-01-01', NULL, NULL),"
		 " ('Z2', 'Z', 'z2', '2024-01-01', '2024-05-01', '2024-07-15');"
		 "INSERT INTO agreement_area (agreement_code, neighbourhood_code) VALUES ('Z1', "
		 "'NZ');"
		 "INSERT INTO project (code, agreement_code, kind, title, defined_on) VALUES"
		 " ('PZ1', 'Z1', 'community_care', 'pz1', '2024-04-01'),"
		 " ('PZ2', 'Z2', 'city_care', 'pz2', '2024-04-01');"
		 "INSERT INTO milestone (code, project_code, title, due_on) VALUES"
		 " ('MZ1', 'PZ1', 'later', '2024-09-30');"
		 "INSERT INTO finance (project_code, booked_on, stage, amount_eur) VALUES"
		 " ('PZ2', '2024-04-02', 'allocated', 100), ('PZ2', '2024-06-30', 'allocated', "
		 "-100);"
		 "INSERT INTO resource (agreement_code, recorded_on, kind, quantity) VALUES"
		 " ('Z1', '2024-05-01', 'volunteer_hours', 5);"
		 "INSERT INTO meeting (code, agreement_code, held_on, kind, hours) VALUES"
		 " ('MZ', 'Z2', '2024-05-01', 'assembly', 2);"
		 "INSERT INTO attendance (meeting_code, person, role) VALUES"
		 " ('MZ', 'q1', 'citizen'), ('MZ', 'q2', 'citizen'), ('MZ', 'q3', 'staff');");
	r = compute(c, "Z", "2024-Q2");
	p = r->policy;
	z1 = agreement(r, "Z1");
	z2 = agreement(r, "Z2");

	/* Z1: population 0 (NZ), participants 0 -> participation_rate null */
	VAL(z1, "out.participants", 0, EXACT);
	VAL(z1, "out.population", 0, EXACT);
	VAL_NULL(z1, "out.participation_rate");
	/* Z2: 2 participants (q1, q2; q3 staff) but population 0 (no area) -> null */
	VAL(z2, "out.participants", 2, EXACT);
	VAL(z2, "out.population", 0, EXACT);
	VAL_NULL(z2, "out.participation_rate");
	/* P: participants 2, population 0 -> null */
	VAL(p, "out.population", 0, EXACT);
	VAL_NULL(p, "out.participation_rate");

	/* Z1 no finance: sums 0 (a sum over no records is 0), rates null */
	VAL(z1, "eff.allocated_eur", 0, EXACT);
	VAL(z1, "eff.spent_eur", 0, EXACT);
	VAL_NULL(z1, "eff.commitment_rate");
	VAL_NULL(z1, "eff.spend_rate");
	/* Z2: allocated 100 - 100 = 0 -> commitment_rate and spend_rate null even
	 * though there are movements */
	VAL(z2, "eff.allocated_eur", 0, EXACT);
	VAL(z2, "eff.allocated_eur.city_care", 0, EXACT);
	VAL_NULL(z2, "eff.commitment_rate");
	VAL_NULL(z2, "eff.spend_rate");
	VAL_NULL(p, "eff.commitment_rate");
	VAL_NULL(p, "eff.spend_rate");

	/* cost_per_participant: Z1 no participants -> null; Z2 spent 0 / 2 = 0 (not
	 * null: the denominator is 2); P 0 / 2 = 0 */
	VAL_NULL(z1, "eff.cost_per_participant");
	VAL(z2, "eff.cost_per_participant", 0, EXACT);
	VAL(p, "eff.cost_per_participant", 0, EXACT);

	/* leverage: Z1 community value 5 * 15 = 75 but spent 0 -> null; Z2 0 / 0 ->
	 * null; P 75 / 0 -> null */
	VAL(z1, "eff.community_value_eur", 75, EXACT);
	VAL_NULL(z1, "eff.leverage");
	VAL_NULL(z2, "eff.leverage");
	VAL(p, "eff.community_value_eur", 75, EXACT);
	VAL_NULL(p, "eff.leverage");

	/* days_to_signature: Z1 never approved, Z2 signed 07-15 > D -> both null,
	 * P median of no values -> null */
	VAL_NULL(z1, "eff.days_to_signature");
	VAL_NULL(z2, "eff.days_to_signature");
	VAL_NULL(p, "eff.days_to_signature");

	/* milestones_on_time: MZ1 due 09-30 > D -> none due -> null, n = 0 due */
	VAL_NULL(z1, "eft.milestones_on_time");
	N_IS(z1, "eft.milestones_on_time", 0);
	VAL_NULL(p, "eft.milestones_on_time");
	N_IS(p, "eft.milestones_on_time", 0);

	/* no signatories: shares 0 / 0 -> null; counts 0 */
	VAL(z1, "out.signatories", 0, EXACT);
	VAL_NULL(z1, "soc.new_partners_share");
	VAL_NULL(z1, "soc.bridging_share");
	VAL_NULL(p, "soc.bridging_share");

	/* no org events: counts 0 */
	VAL(p, "org.new_solutions", 0, EXACT);
	VAL(p, "org.departments", 0, EXACT);

	/* no survey at all: n = 0 is below min_cell -> suppressed, n = 0 published */
	SUPPRESSED(z1, "eft.satisfaction", 0);
	SUPPRESSED(z1, "eft.satisfied_share", 0);
	SUPPRESSED(z1, "soc.relationship_change", 0);
	SUPPRESSED(z1, "soc.quality_of_life_change", 0);
	SUPPRESSED(p, "org.culture_score", 0);
	SUPPRESSED(p, "eft.agreement_quality", 0);

	/* no target anywhere: every status none, every dimension score and coverage
	 * null, index null; agreements with a null index are not ranked */
	DECIDE_NONE(z2, "out.participants");
	DECIDE_NONE(p, "out.participants");
	for (d = 0; d < DIM_COUNT; d++) {
		DIM_NULL(z1, d);
		DIM_NULL(p, d);
	}
	INDEX_NULL(z1);
	INDEX_NULL(z2);
	INDEX_NULL(p);
	num_null(p->index_p05, "p05", "index", p, __LINE__);
	num_null(p->index_p95, "p95", "index", p, __LINE__);
	ck_assert_int_eq(rank_of(p, "Z1")->rank, 0);
	ck_assert_int_eq(rank_of(p, "Z2")->rank, 0);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- effectiveness: milestones ------------------------------------------------- */

START_TEST(test_compute_milestones)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* A1 milestones due <= D: MS1 (due 04-30, achieved 04-30: on time, same day),
	 * MS2 (due 05-31, achieved 06-15: late), MS3 (due 06-30 = D, not achieved),
	 * MS4 (due 06-30, achieved 06-01: on time); MS5 due 07-31 > D is not in the
	 * denominator although achieved. -> 2 / 4 * 100 = 50, n = 4 */
	VAL(a1, "eft.milestones_on_time", 50, EXACT);
	N_IS(a1, "eft.milestones_on_time", 4);
	/* A2: MS6 (due 06-01, achieved 05-31) -> 1 / 1 = 100, n = 1. Not a survey
	 * indicator: n = 1 < min_cell 3 is not suppressed */
	VAL(a2, "eft.milestones_on_time", 100, EXACT);
	N_IS(a2, "eft.milestones_on_time", 1);
	/* P: 3 / 5 * 100 = 60, n = 5 (MS7 of A3, MSU of U not read) */
	VAL(p, "eft.milestones_on_time", 60, EXACT);
	N_IS(p, "eft.milestones_on_time", 5);
	CI_NULL(p, "eft.milestones_on_time");

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- organisational ------------------------------------------------------------ */

START_TEST(test_compute_organisational)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* A1 events <= D: new_solution 2 (Welfare), training 5 (HR, 06-30 = D); the
	 * process_change of 07-01 (Urbanistica) is D+1 */
	VAL(a1, "org.new_solutions", 2, EXACT);
	VAL(a1, "org.process_changes", 0, EXACT);
	VAL(a1, "org.new_methods", 0, EXACT);
	VAL(a1, "org.staff_trained", 5, EXACT);
	VAL(a1, "org.departments", 2, EXACT); /* {Welfare, HR} */
	/* A2: new_solution 1 (Ambiente), new_method with default quantity 1 (Welfare) */
	VAL(a2, "org.new_solutions", 1, EXACT);
	VAL(a2, "org.process_changes", 0, EXACT);
	VAL(a2, "org.new_methods", 1, EXACT);
	VAL(a2, "org.staff_trained", 0, EXACT);
	VAL(a2, "org.departments", 2, EXACT); /* {Ambiente, Welfare} */
	/* P: A1 + A2 + the policy's events with no agreement (process_change 3
	 * Segreteria, training 2 HR); A3's new_solution 10 and U's 7 not read:
	 * new_solutions 2 + 1 = 3; process_changes 3; new_methods 1;
	 * staff_trained 5 + 2 = 7; departments {Welfare, HR, Ambiente, Segreteria} = 4
	 * (not 2 + 2 + 2 = 6; Lavori and Urbanistica excluded) */
	VAL(p, "org.new_solutions", 3, EXACT);
	VAL(p, "org.process_changes", 3, EXACT);
	VAL(p, "org.new_methods", 1, EXACT);
	VAL(p, "org.staff_trained", 7, EXACT);
	VAL(p, "org.departments", 4, EXACT);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- ex-ante and status ------------------------------------------------------- */

START_TEST(test_compute_ex_ante_status)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *e1, *e2, *e3, *e4, *e5;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		 "                       signed_on, closed_on, published_on) VALUES"
		 " ('E1', 'T', 'e1', '2024-01-10', NULL, NULL, NULL, NULL),"
		 " ('E2', 'T', 'e2', '2024-01-10', '2024-06-30', NULL, NULL, NULL),"
		 " ('E3', 'T', 'e3', '2024-01-10', '2024-02-01', '2024-03-01', '2024-06-01',"
		 "  '2024-07-01'),"
		 " ('E4', 'T', 'e4', '2024-01-10', '2024-02-01', '2024-03-01', '2024-04-01',"
		 "  '2024-06-30'),"
		 " ('E5', 'T', 'e5', '2024-01-10', '2024-02-01', '2024-04-01', '2024-07-15', NULL);"
		 "INSERT INTO ex_ante (agreement_code, criterion, score, assessed_on) VALUES"
		 " ('E1', 'feasibility', 4, '2024-01-15'), ('E1', 'feasibility', 2, '2024-05-01'),"
		 " ('E1', 'feasibility', 5, '2024-07-01'),"
		 " ('E1', 'opportunity', 1, '2024-04-01'), ('E1', 'opportunity', 3, '2024-05-01'),"
		 " ('E1', 'opportunity', 4, '2024-05-01'),"
		 " ('E1', 'relevance', 5, '2024-06-30'),"
		 " ('E2', 'feasibility', 3, '2024-02-01'), ('E2', 'opportunity', 3, '2024-02-01'),"
		 " ('E2', 'relevance', 5, '2024-07-15'),"
		 " ('E3', 'feasibility', 3, '2024-01-20'), ('E3', 'opportunity', 4, '2024-01-20'),"
		 " ('E3', 'relevance', 1, '2024-02-01'), ('E3', 'relevance', 2, '2024-03-01'),"
		 " ('E3', 'relevance', 4, '2024-03-01'),"
		 " ('E5', 'feasibility', 5, '2024-04-01'), ('E5', 'opportunity', 2, '2024-02-01'),"
		 " ('E5', 'opportunity', 4, '2024-06-30'), ('E5', 'relevance', 3, '2024-03-01'),"
		 " ('E5', 'relevance', 2, '2024-07-01');");
	r = compute(c, "T", "2024-Q2");
	e1 = agreement(r, "E1");
	e2 = agreement(r, "E2");
	e3 = agreement(r, "E3");
	e4 = agreement(r, "E4");
	e5 = agreement(r, "E5");

	/* status = last stage reached by D = 2024-06-30 */
	ck_assert_str_eq(e1->agreement_status, "lab");	     /* only lab */
	ck_assert_str_eq(e2->agreement_status, "approved");  /* approved 06-30 = D */
	ck_assert_str_eq(e3->agreement_status, "closed");    /* published 07-01 = D+1 */
	ck_assert_str_eq(e4->agreement_status, "published"); /* published 06-30 = D */
	ck_assert_str_eq(e5->agreement_status, "signed");    /* closed 07-15 > D */

	/* E1: feasibility latest <= D is 05-01 -> 2 (the 5 of 07-01 is D+1);
	 * opportunity latest date 05-01 has 3 and 4 -> mean 3.5 (04-01's 1 is older);
	 * relevance 5 (06-30 = D). mean (2 + 3.5 + 5) / 3 = 3.5; not passed (2 < 3) */
	EX_ANTE(e1, "feasibility", 2);
	EX_ANTE(e1, "opportunity", 3.5);
	EX_ANTE(e1, "relevance", 5);
	num_is(e1->ex_ante_mean, 3.5, EXACT, "mean", "ex_ante", e1, __LINE__);
	ck_assert_int_eq(e1->ex_ante_passed, 0);
	/* E2: feasibility 3, opportunity 3, relevance only on 07-15 > D -> absent;
	 * mean of those present (3 + 3) / 2 = 3; not passed (one missing) */
	EX_ANTE(e2, "feasibility", 3);
	EX_ANTE(e2, "opportunity", 3);
	EX_ANTE_NULL(e2, "relevance");
	num_is(e2->ex_ante_mean, 3, EXACT, "mean", "ex_ante", e2, __LINE__);
	ck_assert_int_eq(e2->ex_ante_passed, 0);
	/* E3: feasibility 3, opportunity 4, relevance latest 03-01 with 2 and 4 ->
	 * 3 (02-01's 1 is older); mean (3 + 4 + 3) / 3 = 3.333...; passed (each >= 3,
	 * relevance exactly 3) */
	EX_ANTE(e3, "feasibility", 3);
	EX_ANTE(e3, "opportunity", 4);
	EX_ANTE(e3, "relevance", 3);
	num_is(e3->ex_ante_mean, 10.0 / 3.0, EXACT, "mean", "ex_ante", e3, __LINE__);
	ck_assert_int_eq(e3->ex_ante_passed, 1);
	/* E4: no assessment -> all null, mean null, not passed */
	EX_ANTE_NULL(e4, "feasibility");
	EX_ANTE_NULL(e4, "opportunity");
	EX_ANTE_NULL(e4, "relevance");
	num_null(e4->ex_ante_mean, "mean", "ex_ante", e4, __LINE__);
	ck_assert_int_eq(e4->ex_ante_passed, 0);
	/* E5: feasibility 5; opportunity latest 06-30 = D -> 4 (not 02-01's 2);
	 * relevance 3 (07-01's 2 is D+1); mean (5 + 4 + 3) / 3 = 4; passed */
	EX_ANTE(e5, "feasibility", 5);
	EX_ANTE(e5, "opportunity", 4);
	EX_ANTE(e5, "relevance", 3);
	num_is(e5->ex_ante_mean, 4, EXACT, "mean", "ex_ante", e5, __LINE__);
	ck_assert_int_eq(e5->ex_ante_passed, 1);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- surveys: mean and share indicators --------------------------------------- */

START_TEST(test_compute_surveys)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	/* min_cell 3. A3 is out of scope (lab after D), its surveys must not be read;
	 * U is another policy. */
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3),"
		 "        ('U', 'Policy U', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('A1', 'T', 'a1', '2024-01-01'), ('A2', 'T', 'a2', '2024-01-01'),"
		 " ('A3', 'T', 'a3', '2024-07-01'), ('U1', 'U', 'u1', '2024-01-01');"
		 "INSERT INTO survey (code, policy_code, agreement_code, instrument, wave,"
		 "                    fielded_on) VALUES"
		 " ('SAT1', 'T', 'A1', 'satisfaction', 'once', '2024-04-10'),"
		 " ('SAT2', 'T', 'A1', 'satisfaction', 'T1', '2024-06-30'),"
		 " ('SAT3', 'T', 'A1', 'satisfaction', 'once', '2024-07-01'),"
		 " ('SAT4', 'T', 'A2', 'satisfaction', 'once', '2024-05-15'),"
		 " ('SATX', 'T', 'A3', 'satisfaction', 'once', '2024-06-01'),"
		 " ('AQ1', 'T', 'A1', 'agreement_quality', 'once', '2024-06-30'),"
		 " ('AQ2', 'T', 'A2', 'agreement_quality', 'once', '2024-07-01'),"
		 " ('OC1', 'T', 'A1', 'org_culture', 'once', '2024-05-01'),"
		 " ('OC2', 'T', 'A2', 'org_culture', 'once', '2024-05-01'),"
		 " ('OC0', 'T', NULL, 'org_culture', 'once', '2024-06-15'),"
		 " ('OC9', 'T', NULL, 'org_culture', 'once', '2024-07-01'),"
		 " ('OCX', 'T', 'A3', 'org_culture', 'once', '2024-06-01'),"
		 " ('OCU', 'U', NULL, 'org_culture', 'once', '2024-05-01');"
		 "INSERT INTO response (survey_code, respondent, item, score) VALUES"
		 " ('SAT1', 'r1', 'q1', 4), ('SAT1', 'r1', 'q2', 5), ('SAT2', 'r1', 'q1', 3),"
		 " ('SAT1', 'r2', 'q1', 2), ('SAT1', 'r2', 'q2', NULL),"
		 " ('SAT1', 'r3', 'q1', NULL), ('SAT1', 'r3', 'q2', NULL),"
		 " ('SAT2', 'r4', 'q1', 5), ('SAT2', 'r4', 'q2', 4), ('SAT3', 'r4', 'q1', 1),"
		 " ('SAT3', 'r5', 'q1', 5),"
		 " ('SAT4', 'r1', 'q1', 5), ('SAT4', 'r6', 'q1', 3), ('SAT4', 'r6', 'q2', 4),"
		 " ('SATX', 'x1', 'q1', 1), ('SATX', 'x2', 'q1', 1), ('SATX', 'x3', 'q1', 1),"
		 " ('AQ1', 'a1', 'q1', 4), ('AQ1', 'a2', 'q1', 3), ('AQ1', 'a3', 'q1', 5),"
		 " ('AQ1', 'a3', 'q2', 4),"
		 " ('AQ2', 'b1', 'q1', 5), ('AQ2', 'b2', 'q1', 5), ('AQ2', 'b3', 'q1', 5),"
		 " ('OC1', 'c1', 'q1', 4), ('OC1', 'c2', 'q1', 2), ('OC1', 'c2', 'q2', 3),"
		 " ('OC2', 'c8', 'q1', 4),"
		 " ('OC0', 'c1', 'q1', 5), ('OC0', 'c3', 'q1', 3), ('OC0', 'c4', 'q1', 4),"
		 " ('OC9', 'c5', 'q1', 1), ('OCX', 'c6', 'q1', 1), ('OCU', 'd1', 'q1', 1);");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* eft.satisfaction A1: surveys SAT1 (once) and SAT2 (T1, 06-30 = D), whatever
	 * the wave; SAT3 (07-01) not read. Respondent scores = mean of answered items
	 * pooled across those surveys:
	 *   r1 (4 + 5 + 3) / 3 = 4.0 (not the mean of survey means 3.75);
	 *   r2 2 (q2 unanswered); r3 nothing answered -> not counted;
	 *   r4 (5 + 4) / 2 = 4.5 (its SAT3 answer ignored); r5 only in SAT3 -> no.
	 * n = 3 = min_cell -> published. mean (4 + 2 + 4.5) / 3 = 3.5;
	 * s^2 = (0.25 + 2.25 + 1) / 2 = 1.75, s = 1.3228757, s/sqrt(3) = 0.7637626;
	 * 3.5 -+ t(0.975, 2) 4.302653 * 0.7637626 = 3.5 -+ 3.2862053
	 * = [0.2137947, 6.7862053] -- but withheld: A2 below (n 2) is primary, so
	 * the withheld set {A2} is completed with the smallest published in-scope
	 * agreement, A1 (n 3): {A2, A1} holds 2 agreements and 2 + 3 = 5 >= 3
	 * respondents. A1 is secondary, its n still published; the policy's value
	 * (5 respondents: A1's and A2's pooled) stays published. */
	SECONDARY(a1, "eft.satisfaction", 3);
	/* eft.satisfied_share A1: scores >= 4.0: r1 (exactly 4.0) and r4 -> k = 2,
	 * n = 3, 66.666...%. Wilson, p = 2/3, z^2/n = 1.2804863:
	 * centre (2/3 + 0.6402432) / 2.2804863 = 0.5730838,
	 * half 1.959964 / 2.2804863 * sqrt(2/9/3 + 3.841459/36) = 0.3654242
	 * -> [20.7659599, 93.8508056] %, withheld as eft.satisfaction (same n) */
	SECONDARY(a1, "eft.satisfied_share", 3);

	/* A2: SAT4 r1 5 and r6 (3 + 4) / 2 = 3.5 -> n = 2 = min_cell - 1 ->
	 * suppressed, n = 2 still published */
	SUPPRESSED(a2, "eft.satisfaction", 2);
	SUPPRESSED(a2, "eft.satisfied_share", 2);

	/* P: each agreement a group; r1 counted in A1 (4.0) and again in A2 (5.0).
	 * SATX (A3 out of scope) not read. Scores {4, 2, 4.5, 5, 3.5}, n = 5, mean
	 * 19 / 5 = 3.8; squared deviations 0.04 + 3.24 + 0.49 + 1.44 + 0.09 = 5.3,
	 * s^2 = 1.325, s = 1.1510864, s/sqrt(5) = 0.5147815;
	 * 3.8 -+ t(0.975, 4) 2.776445 * 0.5147815 = 3.8 -+ 1.4292626 */
	VAL(p, "eft.satisfaction", 3.8, EXACT);
	N_IS(p, "eft.satisfaction", 5);
	CI(p, "eft.satisfaction", 2.370737404506488, 5.229262595493512, STAT);
	/* P share: >= 4: 4.0, 4.5, 5.0 -> 3 / 5 = 60 %. Wilson, p = 0.6, n = 5,
	 * z^2/n = 0.7682918: centre (0.6 + 0.3841459) / 1.7682918 = 0.5565518,
	 * half 1.959964 / 1.7682918 * sqrt(0.24/5 + 3.841459/100) = 0.3258275
	 * -> [23.0724279, 88.2379227] % */
	VAL(p, "eft.satisfied_share", 60, EXACT);
	N_IS(p, "eft.satisfied_share", 5);
	CI(p, "eft.satisfied_share", 23.0724279409119, 88.2379226859003, STAT);

	/* eft.agreement_quality A1: AQ1 fielded 06-30 = D: a1 4, a2 3,
	 * a3 (5 + 4) / 2 = 4.5 -> n 3, mean 11.5 / 3 = 3.8333333; s^2 =
	 * (1/36 + 25/36 + 16/36) / 2 = 7/12, s = 0.7637626, s/sqrt(3) = 0.4409586;
	 * -+ 4.302653 * 0.4409586 = 1.8972915 -> [1.9360418, 5.7306249]
	 * (published at P below). */
	/* A2: AQ2 fielded 07-01 = D+1 -> no respondent, n = 0 -> suppressed; the
	 * spec counts n = 0 as below min_cell, so {A2} is completed with A1 (the
	 * only other in-scope agreement): {A2, A1}, 0 + 3 = 3 >= 3 -> A1
	 * secondary */
	SUPPRESSED(a2, "eft.agreement_quality", 0);
	SECONDARY(a1, "eft.agreement_quality", 3);
	/* P: A1's 3 respondents only -> same as A1 */
	VAL(p, "eft.agreement_quality", 11.5 / 3.0, EXACT);
	N_IS(p, "eft.agreement_quality", 3);
	CI(p, "eft.agreement_quality", 1.936041816534953, 5.730624850131714, STAT);

	/* org.culture_score A1: OC1 c1 4, c2 (2 + 3) / 2 = 2.5 -> n = 2 ->
	 * suppressed. A2: OC2 c8 4 -> n = 1, suppressed. Both primary: the
	 * withheld set {A1, A2} has 2 agreements and 2 + 1 = 3 = min_cell
	 * respondents, enough: nothing more is withheld, P stays published */
	SUPPRESSED(a1, "org.culture_score", 2);
	SUPPRESSED(a2, "org.culture_score", 1);
	/* P: group A1 {c1 4, c2 2.5} + group A2 {c8 4} + policy-wide group OC0
	 * {c1 5, c3 3, c4 4} (c1 again: another group); OC9 (D+1), OCX (A3) and OCU
	 * (policy U) not read. n = 6, mean 22.5 / 6 = 3.75; squared deviations
	 * 0.0625 + 1.5625 + 0.0625 + 1.5625 + 0.5625 + 0.0625 = 3.875, s^2 = 0.775,
	 * s/sqrt(6) = 0.3593976; t(0.975, 5) = 2.570582;
	 * 3.75 -+ 2.570582 * 0.3593976 = 3.75 -+ 0.9238611 */
	VAL(p, "org.culture_score", 3.75, EXACT);
	N_IS(p, "org.culture_score", 6);
	CI(p, "org.culture_score", 2.826138944012673, 4.673861055987327, STAT);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- social: paired change ------------------------------------------------------- */

START_TEST(test_compute_paired_change)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2, *v1;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3),"
		 "        ('V', 'Policy V', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('A1', 'T', 'a1', '2024-01-01'), ('A2', 'T', 'a2', '2024-01-01'),"
		 " ('V1', 'V', 'v1', '2024-01-01');"
		 "INSERT INTO survey (code, policy_code, agreement_code, instrument, wave,"
		 "                    fielded_on) VALUES"
		 " ('RQ0', 'T', 'A1', 'relationship_quality', 'T0', '2024-01-15'),"
		 " ('RQ0b', 'T', 'A1', 'relationship_quality', 'T0', '2024-02-01'),"
		 " ('RQ1', 'T', 'A1', 'relationship_quality', 'T1', '2024-06-20'),"
		 " ('RQ1b', 'T', 'A1', 'relationship_quality', 'T1', '2024-07-01'),"
		 " ('RQ20', 'T', 'A2', 'relationship_quality', 'T0', '2024-03-01'),"
		 " ('RQ21', 'T', 'A2', 'relationship_quality', 'T1', '2024-06-01'),"
		 " ('VR0', 'V', 'V1', 'relationship_quality', 'T0', '2024-02-01'),"
		 " ('VR1', 'V', 'V1', 'relationship_quality', 'T1', '2024-05-01');"
		 "INSERT INTO response (survey_code, respondent, item, score) VALUES"
		 " ('RQ0', 'e1', 'q1', 2), ('RQ0', 'e1', 'q2', 3), ('RQ0b', 'e1', 'q1', 4),"
		 " ('RQ1', 'e1', 'q1', 4), ('RQ1', 'e1', 'q2', 4),"
		 " ('RQ0', 'e2', 'q1', 3), ('RQ1', 'e2', 'q1', 3), ('RQ1', 'e2', 'q2', 4),"
		 " ('RQ0', 'e3', 'q1', 4), ('RQ1', 'e3', 'q1', 2),"
		 " ('RQ0', 'e4', 'q1', 2), ('RQ1', 'e4', 'q1', 5),"
		 " ('RQ0', 'e5', 'q1', 1),"
		 " ('RQ1', 'e6', 'q1', 5),"
		 " ('RQ0', 'e7', 'q1', 3), ('RQ1', 'e7', 'q1', NULL), ('RQ1b', 'e7', 'q1', 5),"
		 " ('RQ0', 'e8', 'q1', 3), ('RQ1', 'e8', 'q1', 3),"
		 " ('RQ0', 'g1', 'q1', 1), ('RQ21', 'g1', 'q1', 5),"
		 " ('RQ20', 'e1', 'q1', 2), ('RQ21', 'e1', 'q1', 4),"
		 " ('RQ20', 'f2', 'q1', 4), ('RQ21', 'f2', 'q1', 4),"
		 " ('VR0', 'v1', 'q1', 3), ('VR1', 'v1', 'q1', 4),"
		 " ('VR0', 'v2', 'q1', 2), ('VR1', 'v2', 'q1', 3),"
		 " ('VR0', 'v3', 'q1', 4), ('VR1', 'v3', 'q1', 5);");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* A1 pairs (T0 from RQ0 + RQ0b, T1 from RQ1; RQ1b is D+1):
	 *   e1 T0 (2 + 3 + 4) / 3 = 3, T1 (4 + 4) / 2 = 4 -> d = 1
	 *   e2 T0 3, T1 3.5 -> d = 0.5;  e3 4 -> 2: d = -2;  e4 2 -> 5: d = 3;
	 *   e8 3 -> 3: d = 0.
	 *   Not pairs: e5 (T0 only), e6 (T1 only), e7 (T1 item unanswered, its RQ1b
	 *   answer is D+1), g1 (T0 in A1, T1 in A2: different agreements).
	 * n = 5, mean d = 2.5 / 5 = 0.5; squared deviations 0.25 + 0 + 6.25 + 6.25 +
	 * 0.25 = 13, s^2 = 3.25, s = 1.8027756, se = s/sqrt(5) = 0.8062258;
	 * t = 0.5 / 0.8062258 = 0.6201737, df 4; two-sided p: for df 4,
	 * x = t/sqrt(t^2 + 4) = 0.2961744, p = 1 - x(3 - x^2)/2 = 0.5687284;
	 * effect = 0.5 / 1.8027756 = 0.2773501;
	 * interval 0.5 -+ 2.776445 * 0.8062258 = 0.5 -+ 2.2384416.
	 * Withheld, with its p-value and effect size: A2 (n 2, below) is primary
	 * and {A2} is completed with A1, the only other agreement: 2 + 5 = 7 >= 3.
	 * improved (T1 > T0): e1, e2, e4 -> 3 / 5 = 60 % (e8 equal is not
	 * improved), withheld the same way. */
	SECONDARY(a1, "soc.relationship_change", 5);
	SECONDARY(a1, "soc.relationship_improved_share", 5);

	/* A2 pairs: e1 2 -> 4 (d = 2; the same id as in A1 but another agreement),
	 * f2 4 -> 4 (d = 0); g1 T1 only. n = 2 < 3 -> suppressed */
	SUPPRESSED(a2, "soc.relationship_change", 2);
	SUPPRESSED(a2, "soc.relationship_improved_share", 2);

	/* P: pairs of both agreements, d = {1, 0.5, -2, 3, 0, 2, 0}, n = 7;
	 * mean 4.5 / 7 = 0.6428571; s = 1.5998512 (squared deviations 15.357143, s^2 = 15.357143 /
	 * 6 = 2.5595238), se = 0.6046866, t = 1.0631240, df 6, two-sided p = 0.3286297; effect
	 * 0.6428571 / 1.5998512 = 0.4018231; interval 0.6428571 -+ t(0.975, 6) 2.446912 * 0.6046866
	 * = -+ 1.4796156 */
	VAL(p, "soc.relationship_change", 4.5 / 7.0, EXACT);
	N_IS(p, "soc.relationship_change", 7);
	CI(p, "soc.relationship_change", -0.836758422195711, 2.122472707909997, STAT);
	P_IS(p, "soc.relationship_change", 0.328629702560246, STAT);
	EFFECT_IS(p, "soc.relationship_change", 0.401823087962767, STAT);
	/* P improved: e1, e2, e4 of A1 and e1 of A2 -> 4 / 7 = 57.142857 %;
	 * Wilson p = 4/7, n = 7: z^2/n = 0.5487799, centre (0.5714286 + 0.2743900) /
	 * 1.5487799 = 0.5461193, half 1.959964 / 1.5487799 * sqrt(0.2448980/7 +
	 * 3.841459/196) = 0.2956609 -> [25.0458363, 84.1780146] % */
	VAL(p, "soc.relationship_improved_share", 400.0 / 7.0, EXACT);
	N_IS(p, "soc.relationship_improved_share", 7);
	CI(p, "soc.relationship_improved_share", 25.0458362753036, 84.1780146007555, STAT);
	ind_result_free(r);

	/* Policy V: V1 pairs 3 -> 4, 2 -> 3, 4 -> 5: every d = 1, sd 0 -> value 1,
	 * n 3, interval 1 -+ t * 0 = [1, 1], p_value and effect_size null */
	r = compute(c, "V", "2024-Q2");
	v1 = agreement(r, "V1");
	VAL(v1, "soc.relationship_change", 1, EXACT);
	N_IS(v1, "soc.relationship_change", 3);
	CI(v1, "soc.relationship_change", 1, 1, STAT);
	P_NULL(v1, "soc.relationship_change");
	EFFECT_NULL(v1, "soc.relationship_change");
	/* improved 3 / 3 = 100 %; Wilson with p = 1, n = 3: z^2/n = 1.2804863,
	 * lower = 1 / 2.2804863 = 0.4385030, upper = 1 -> [43.8502964, 100] % */
	VAL(v1, "soc.relationship_improved_share", 100, EXACT);
	CI(v1, "soc.relationship_improved_share", 43.8502964360680, 100, STAT);
	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- social: Welch ------------------------------------------------------------- */

START_TEST(test_compute_welch)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2, *v1;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3),"
		 "        ('V', 'Policy V', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('A1', 'T', 'a1', '2024-01-01'), ('A2', 'T', 'a2', '2024-01-01'),"
		 " ('V1', 'V', 'v1', '2024-01-01');"
		 "INSERT INTO survey (code, policy_code, agreement_code, instrument, wave,"
		 "                    fielded_on) VALUES"
		 " ('QL0', 'T', 'A1', 'quality_of_life', 'T0', '2024-01-20'),"
		 " ('QL1', 'T', 'A1', 'quality_of_life', 'T1', '2024-06-25'),"
		 " ('QL1b', 'T', 'A1', 'quality_of_life', 'T1', '2024-07-01'),"
		 " ('QLo', 'T', 'A1', 'quality_of_life', 'once', '2024-05-01'),"
		 " ('QL20', 'T', 'A2', 'quality_of_life', 'T0', '2024-02-01'),"
		 " ('QL21', 'T', 'A2', 'quality_of_life', 'T1', '2024-06-30'),"
		 " ('VQ0', 'V', 'V1', 'quality_of_life', 'T0', '2024-02-01'),"
		 " ('VQ1', 'V', 'V1', 'quality_of_life', 'T1', '2024-05-01');"
		 "INSERT INTO response (survey_code, respondent, item, score) VALUES"
		 " ('QL0', 'h1', 'q1', 3), ('QL0', 'h2', 'q1', 2), ('QL0', 'h3', 'q1', 4),"
		 " ('QL0', 'h4', 'q1', 3), ('QL0', 'h4', 'q2', 4),"
		 " ('QL1', 'h1', 'q1', 4), ('QL1', 'h5', 'q1', 5), ('QL1', 'h6', 'q1', 4),"
		 " ('QL1', 'h7', 'q1', NULL),"
		 " ('QL1b', 'h8', 'q1', 1), ('QL1b', 'h5', 'q1', 1),"
		 " ('QLo', 'h9', 'q1', 1),"
		 " ('QL20', 'i1', 'q1', 4), ('QL20', 'i2', 'q1', 3), ('QL20', 'i3', 'q1', 5),"
		 " ('QL21', 'i1', 'q1', 4), ('QL21', 'i4', 'q1', 2),"
		 " ('VQ0', 'w1', 'q1', 3), ('VQ0', 'w2', 'q1', 3), ('VQ0', 'w3', 'q1', 3),"
		 " ('VQ1', 'w1', 'q1', 4), ('VQ1', 'w4', 'q1', 4), ('VQ1', 'w5', 'q1', 4);");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* A1 T0 (QL0): h1 3, h2 2, h3 4, h4 (3 + 4) / 2 = 3.5 -> n0 = 4, mean 3.125,
	 *   s0^2 = (0.015625 + 1.265625 + 0.765625 + 0.140625) / 3 = 0.7291667.
	 * A1 T1 (QL1; QL1b is D+1, QLo is neither wave): h1 4, h5 5, h6 4; h7 answered
	 *   nothing -> n1 = 3, mean 13/3 = 4.3333333, s1^2 = (1/9 + 4/9 + 1/9) / 2 = 1/3.
	 * diff = 4.3333333 - 3.125 = 1.2083333 (29/24).
	 * se^2 = 0.7291667/4 + (1/3)/3 = 0.1822917 + 0.1111111 = 0.2934028, se = 13/24
	 * = 0.5416667. Welch df = 0.2934028^2 / (0.1822917^2/3 + 0.1111111^2/2)
	 * = 0.0860852 / (0.0110766 + 0.0061728) = 4.990564.
	 * interval 1.2083333 -+ t(0.975, 4.990564) 2.572044 * 0.5416667
	 * = 1.2083333 -+ 1.3931907. n = n0 + n1 = 7. No p-value, no effect size.
	 * Withheld (secondary), see A2. */
	SECONDARY(a1, "soc.quality_of_life_change", 7);

	/* A2: T0 i1 4, i2 3, i3 5 (n0 = 3); T1 i1 4, i4 2 (n1 = 2 < 3) -> suppressed
	 * although n0 >= min_cell; n = 5 published. {A2} alone is one agreement
	 * with n1 2 < 3: completed with A1 (n0 4, n1 3): n0 3 + 4 = 7 >= 3 and
	 * n1 2 + 3 = 5 >= 3 -> A1 secondary, P published */
	SUPPRESSED(a2, "soc.quality_of_life_change", 5);

	/* P: T0 scores {3, 2, 4, 3.5, 4, 3, 5} (n0 = 7, mean 24.5/7 = 3.5,
	 * s0^2 = 5.5/6 = 0.9166667); T1 {4, 5, 4, 4, 2} (n1 = 5, mean 19/5 = 3.8,
	 * s1^2 = 4.8/4 = 1.2). diff = 0.3; se^2 = 0.1309524 + 0.24 = 0.3709524,
	 * se = 0.6090586; df = 0.3709524^2 / (0.1309524^2/6 + 0.24^2/4)
	 * = 0.1376057 / (0.0028581 + 0.0144) = 7.973402;
	 * interval 0.3 -+ t(0.975, 7.973402) 2.307344 * 0.6090586 = 0.3 -+ 1.4053076;
	 * n = 12 */
	VAL(p, "soc.quality_of_life_change", 0.3, EXACT);
	N_IS(p, "soc.quality_of_life_change", 12);
	CI(p, "soc.quality_of_life_change", -1.105307591854313, 1.705307591854313, STAT);
	ind_result_free(r);

	/* V1: T0 {3, 3, 3}, T1 {4, 4, 4}: both variances 0 -> diff 1, interval
	 * [1, 1] (spec: zero-width when both variances are 0), n = 6 */
	r = compute(c, "V", "2024-Q2");
	v1 = agreement(r, "V1");
	VAL(v1, "soc.quality_of_life_change", 1, EXACT);
	N_IS(v1, "soc.quality_of_life_change", 6);
	CI(v1, "soc.quality_of_life_change", 1, 1, EXACT);
	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- social: signatories ------------------------------------------------------ */

START_TEST(test_compute_partners)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3),"
		 "        ('U', 'Policy U', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('A1', 'T', 'a1', '2024-01-01'), ('A2', 'T', 'a2', '2024-01-01'),"
		 " ('U1', 'U', 'u1', '2023-01-01');"
		 "INSERT INTO signatory (code, kind) VALUES ('X1', 'association'),"
		 " ('X2', 'association'), ('X3', 'business'), ('X4', 'volunteer'),"
		 " ('X5', 'association'), ('X7', 'business'), ('X8', 'other');"
		 "INSERT INTO signature (agreement_code, signatory_code, signed_on) VALUES"
		 " ('U1', 'X1', '2024-01-01'), ('A1', 'X1', '2024-05-01'),"
		 " ('A1', 'X2', '2024-04-01'), ('A2', 'X2', '2024-04-01'),"
		 " ('A1', 'X3', '2024-02-01'), ('A2', 'X3', '2024-06-30'),"
		 " ('A2', 'X4', '2024-05-01'),"
		 " ('A1', 'X5', '2024-07-01'), ('A2', 'X5', '2024-06-01'),"
		 " ('U1', 'X7', '2024-04-10'), ('A1', 'X7', '2024-04-10'),"
		 " ('U1', 'X8', '2023-12-01'), ('A2', 'X8', '2024-06-01');");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* A1 signatories <= D: X1, X2, X3, X7 (X5's A1 signature is 07-01 = D+1) -> 4.
	 * New (earliest signature anywhere is to A1, ties count):
	 *   X1 no (U1, another policy, 2024-01-01 is earlier);
	 *   X2 yes (A1 and A2 both 04-01: a tie counts for each);
	 *   X3 yes (A1 02-01 is its earliest);
	 *   X7 yes (tie with U1 on 04-10).
	 * -> 3 / 4 = 75 %.
	 * Bridging (two or more distinct agreements of T by D): X2 (A1, A2), X3 (A1,
	 * A2 on 06-30 = D); X1 and X7 signed A1 and U1 -> U1 is not T's -> 2 / 4 = 50 % */
	VAL(a1, "out.signatories", 4, EXACT);
	VAL(a1, "soc.new_partners_share", 75, EXACT);
	VAL(a1, "soc.bridging_share", 50, EXACT);
	/* A2 signatories <= D: X2, X3, X4, X5, X8 -> 5.
	 * New: X2 yes (tie); X3 no (A1 02-01 earlier); X4 yes; X5 yes (06-01, its A1
	 * signature is later); X8 no (U1 2023-12-01) -> 3 / 5 = 60 %.
	 * Bridging: X2, X3 -> 2 / 5 = 40 % (X5 signed A1 only after D) */
	VAL(a2, "out.signatories", 5, EXACT);
	VAL(a2, "soc.new_partners_share", 60, EXACT);
	VAL(a2, "soc.bridging_share", 40, EXACT);
	/* P: distinct signatories {X1, X2, X3, X4, X5, X7, X8} = 7, bridging X2 and
	 * X3 -> 2 / 7 * 100 = 28.571428...; new_partners_share is agreement-only */
	VAL(p, "out.signatories", 7, EXACT);
	VAL(p, "soc.bridging_share", 200.0 / 7.0, EXACT);
	ck_assert_ptr_null(sc_get(p, "soc.new_partners_share"));
	/* previous (2024-03-31): A1 has X3 (02-01) only: new (earliest is A1) -> 100 %,
	 * bridging 0 % (X3's A2 signature is 06-30); A2 has none -> 0 / 0 -> null */
	PREV(a1, "soc.new_partners_share", 100, EXACT);
	PREV(a1, "soc.bridging_share", 0, EXACT);
	PREV_NULL(a2, "soc.new_partners_share");
	PREV_NULL(a2, "soc.bridging_share");

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- previous ------------------------------------------------------------------ */

START_TEST(test_compute_previous)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* Previous = as of 2024-03-31 (inclusive). The model has no delta field
	 * (delta = value - previous is derived by the renderers), so previous is
	 * what is checked. In scope at 03-31: A1 only (A2 lab 2024-04-15). */

	/* A1: M0 (03-31) -> meetings 1, hours 1, participants 1 (p2; s1 staff) */
	PREV(a1, "out.meetings", 1, EXACT);
	PREV(a1, "out.meeting_hours", 1, EXACT);
	PREV(a1, "out.participants", 1, EXACT);
	/* A1: SA1 (01-10) -> signatories 1, association 1 */
	PREV(a1, "out.signatories", 1, EXACT);
	PREV(a1, "out.signatories.association", 1, EXACT);
	/* A1: PR1 (02-01, community) -> projects 1; none completed */
	PREV(a1, "out.projects", 1, EXACT);
	PREV(a1, "out.projects.community_care", 1, EXACT);
	PREV(a1, "out.projects_completed", 0, EXACT);
	/* areas are not dated: population 3000, rate 1 / 3000 * 1000 */
	PREV(a1, "out.population", 3000, EXACT);
	PREV(a1, "out.participation_rate", 1.0 / 3.0, EXACT);
	/* A1 finance at 03-31: allocated 1000 (01-15), nothing committed or spent ->
	 * commitment_rate 0 / 1000 = 0, cost 0 / 1 = 0, leverage x / 0 -> null */
	PREV(a1, "eff.allocated_eur", 1000, EXACT);
	PREV(a1, "eff.committed_eur", 0, EXACT);
	PREV(a1, "eff.commitment_rate", 0, EXACT);
	PREV(a1, "eff.cost_per_participant", 0, EXACT);
	/* A1 resources at 03-31: in_kind 50 (03-31) -> community value 50 */
	PREV(a1, "eff.community_value_eur", 50, EXACT);
	PREV(a1, "eff.staff_hours", 0, EXACT);
	PREV_NULL(a1, "eff.leverage");
	/* approved 03-01 but signed 06-30 > 03-31 -> null */
	PREV_NULL(a1, "eff.days_to_signature");
	/* no milestone due by 03-31 -> null */
	PREV_NULL(a1, "eft.milestones_on_time");

	/* A2 was not in scope at 03-31 but still gets its previous values:
	 * population N2 + N4 = 2400; participants 0 -> rate 0 / 2400 = 0;
	 * community value 10 h * 20 (02-01) = 200; allocated 0 -> commitment null */
	PREV(a2, "out.population", 2400, EXACT);
	PREV(a2, "out.participants", 0, EXACT);
	PREV(a2, "out.participation_rate", 0, EXACT);
	PREV(a2, "eff.community_value_eur", 200, EXACT);
	PREV(a2, "eff.allocated_eur", 0, EXACT);
	PREV_NULL(a2, "eff.commitment_rate");

	/* P at 03-31 reads A1 only (plus the policy's own org events):
	 * population 3000 (not 3400), participants 1, meetings 1,
	 * community value 50 (not 50 + 200), allocated 1000 */
	PREV(p, "out.population", 3000, EXACT);
	PREV(p, "out.participants", 1, EXACT);
	PREV(p, "out.meetings", 1, EXACT);
	PREV(p, "out.participation_rate", 1.0 / 3.0, EXACT);
	PREV(p, "eff.community_value_eur", 50, EXACT);
	PREV(p, "eff.allocated_eur", 1000, EXACT);
	/* no agreement signed by 03-31; no days value -> median null */
	PREV(p, "out.agreements_signed", 0, EXACT);
	PREV_NULL(p, "eff.days_to_signature");
	/* org: the policy-wide process_change 3 (03-15, Segreteria) -> 3, one
	 * department; A1's first event is 04-01 */
	PREV(p, "org.process_changes", 3, EXACT);
	PREV(p, "org.departments", 1, EXACT);
	PREV(a1, "org.new_solutions", 0, EXACT);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- decision model ------------------------------------------------------------ */

START_TEST(test_compute_decision)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	/* min_cell 2. A1: 4 meetings (6 h), participants p1 p2, spent 110 of 200
	 * allocated (150 committed), signed 20 days after approval, two relationship
	 * pairs each 1 point worse, new_solution 3. A2: 3 meetings (7.5 h),
	 * participants p1 p3 p4 (p5 staff), no finance, signed 70 days after approval,
	 * one relationship pair (suppressed), new_solution 1. */
	exec_sql(
		c,
		"INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		" VALUES ('T', 'Policy T', '2023-01-01', 10, 2);"
		"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		"                       signed_on) VALUES"
		" ('A1', 'T', 'a1', '2024-01-01', '2024-03-01', '2024-03-21'),"
		" ('A2', 'T', 'a2', '2024-01-01', '2024-03-01', '2024-05-10');"
		"INSERT INTO meeting (code, agreement_code, held_on, kind, hours) VALUES"
		" ('DM1', 'A1', '2024-04-01', 'workshop', 3), ('DM2', 'A1', '2024-05-01', "
		"'workshop', 2),"
		" ('DM3', 'A1', '2024-06-01', 'workshop', 0.5),"
		" ('DM4', 'A1', '2024-06-30', 'workshop', 0.5),"
		" ('DM5', 'A2', '2024-04-10', 'workshop', 4), ('DM6', 'A2', '2024-05-10', "
		"'workshop', 3),"
		" ('DM7', 'A2', '2024-06-10', 'workshop', 0.5);"
		"INSERT INTO attendance (meeting_code, person, role) VALUES"
		" ('DM1', 'p1', 'citizen'), ('DM1', 'p2', 'citizen'),"
		" ('DM5', 'p1', 'citizen'), ('DM5', 'p3', 'citizen'), ('DM5', 'p4', 'citizen'),"
		" ('DM5', 'p5', 'staff');"
		"INSERT INTO project (code, agreement_code, kind, title, defined_on) VALUES"
		" ('DP1', 'A1', 'community_care', 'dp1', '2024-02-01');"
		"INSERT INTO finance (project_code, booked_on, stage, amount_eur) VALUES"
		" ('DP1', '2024-04-01', 'allocated', 200), ('DP1', '2024-04-02', 'committed', 150),"
		" ('DP1', '2024-05-01', 'spent', 110);"
		"INSERT INTO survey (code, policy_code, agreement_code, instrument, wave,"
		"                    fielded_on) VALUES"
		" ('DR0', 'T', 'A1', 'relationship_quality', 'T0', '2024-02-01'),"
		" ('DR1', 'T', 'A1', 'relationship_quality', 'T1', '2024-06-01'),"
		" ('DR20', 'T', 'A2', 'relationship_quality', 'T0', '2024-02-01'),"
		" ('DR21', 'T', 'A2', 'relationship_quality', 'T1', '2024-06-01');"
		"INSERT INTO response (survey_code, respondent, item, score) VALUES"
		" ('DR0', 'k1', 'q1', 4), ('DR1', 'k1', 'q1', 3),"
		" ('DR0', 'k2', 'q1', 5), ('DR1', 'k2', 'q1', 4),"
		" ('DR20', 'k3', 'q1', 3), ('DR21', 'k3', 'q1', 3);"
		"INSERT INTO org_event (policy_code, agreement_code, occurred_on, kind, department,"
		"                       quantity) VALUES"
		" ('T', 'A1', '2024-05-01', 'new_solution', 'Welfare', 3),"
		" ('T', 'A2', '2024-05-01', 'new_solution', 'Welfare', 1);"
		"INSERT INTO target (policy_code, indicator, level, target) VALUES"
		" ('T', 'out.meetings', 'agreement', 4),"
		" ('T', 'out.participants', 'agreement', 0),"
		" ('T', 'eff.cost_per_participant', 'agreement', 50),"
		" ('T', 'eff.commitment_rate', 'agreement', 80),"
		" ('T', 'eff.days_to_signature', 'agreement', 25),"
		" ('T', 'soc.relationship_change', 'agreement', 0),"
		" ('T', 'org.new_solutions', 'agreement', 2),"
		" ('T', 'org.process_changes', 'agreement', 0),"
		" ('T', 'out.meetings', 'policy', 8),"
		" ('T', 'eff.days_to_signature', 'policy', 37.5);"
		"INSERT INTO target (policy_code, indicator, level, target, amber_ratio) VALUES"
		" ('T', 'out.meeting_hours', 'agreement', 10, 0.5),"
		" ('T', 'out.meeting_hours', 'policy', 45, 0.3),"
		" ('T', 'out.participants', 'policy', 5, 0.9);"
		"INSERT INTO weight (policy_code, item, weight) VALUES"
		" ('T', 'out.meetings', 2), ('T', 'out.participants', 0),"
		" ('T', 'output', 2), ('T', 'organisational_impact', 0.5);");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");

	/* --- A1 --- */
	/* out.meetings 4, t 4 (higher, r 0.8 by default): 4 >= 4 -> green, 100 */
	VAL(a1, "out.meetings", 4, EXACT);
	DECIDE(a1, "out.meetings", ST_GREEN, 100);
	num_is(ind_at(a1, "out.meetings", __LINE__)->target, 4, EXACT, "target", "out.meetings", a1,
	       __LINE__);
	ck_assert(fabs(ind_at(a1, "out.meetings", __LINE__)->amber_ratio - 0.8) < EXACT);
	num_is(ind_at(a1, "out.meetings", __LINE__)->weight, 2, EXACT, "weight", "out.meetings", a1,
	       __LINE__);
	/* out.meeting_hours 3 + 2 + 0.5 + 0.5 = 6, t 10, r 0.5: amber from
	 * 10 - 0.5 * 10 = 5; 6 >= 5 -> amber, 100 * (1 - 4/10) = 60 */
	VAL(a1, "out.meeting_hours", 6, EXACT);
	DECIDE(a1, "out.meeting_hours", ST_AMBER, 60);
	/* out.participants 2, t 0 (higher): 2 >= 0 -> green, 100; weight 0 */
	DECIDE(a1, "out.participants", ST_GREEN, 100);
	num_is(ind_at(a1, "out.participants", __LINE__)->weight, 0, EXACT, "weight",
	       "out.participants", a1, __LINE__);
	/* output = (2 * 100 + 1 * 60 + 0 * 100) / (2 + 1 + 0) = 260/3; coverage
	 * (2 + 1 + 0) / (2 + 1 + 0) = 1 */
	DIM_IS(a1, DIM_OUTPUT, 260.0 / 3.0, 1);

	/* eff.cost_per_participant 110 / 2 = 55, t 50 (lower): green if <= 50, amber
	 * if <= 50 + 0.2 * 50 = 60 -> amber, 100 * (1 - 5/50) = 90 */
	VAL(a1, "eff.cost_per_participant", 55, EXACT);
	DECIDE(a1, "eff.cost_per_participant", ST_AMBER, 90);
	/* eff.commitment_rate 150 / 200 * 100 = 75, t 80: amber from 80 - 16 = 64 ->
	 * amber, 100 * (1 - 5/80) = 93.75 */
	VAL(a1, "eff.commitment_rate", 75, EXACT);
	DECIDE(a1, "eff.commitment_rate", ST_AMBER, 93.75);
	/* eff.days_to_signature 03-01 -> 03-21 = 20, t 25 (lower): green, 100 */
	VAL(a1, "eff.days_to_signature", 20, EXACT);
	DECIDE(a1, "eff.days_to_signature", ST_GREEN, 100);
	/* neutral indicators never get a status */
	DECIDE_NONE(a1, "eff.spent_eur");
	/* efficiency = (90 + 93.75 + 100) / 3 = 94.583333; coverage 1 */
	DIM_IS(a1, DIM_EFFICIENCY, 283.75 / 3.0, 1);

	/* no effectiveness indicator has a target: score and coverage null */
	DIM_NULL(a1, DIM_EFFECTIVENESS);

	/* soc.relationship_change: k1 4 -> 3, k2 5 -> 4: d = -1, -1, n 2 = min_cell;
	 * but A2's single pair is suppressed (primary) and {A2} is completed with
	 * A1 (1 + 2 = 3 >= 2): A1 is secondary, so no status, no normalised
	 * score; social score null and coverage 0 / 1 = 0, as for A2 */
	SECONDARY(a1, "soc.relationship_change", 2);
	DECIDE_NONE(a1, "soc.relationship_change");
	num_null(a1->dims[DIM_SOCIAL_IMPACT].score, "score", "social_impact", a1, __LINE__);
	num_is(a1->dims[DIM_SOCIAL_IMPACT].coverage, 0, EXACT, "coverage", "social_impact", a1,
	       __LINE__);

	/* org.new_solutions 3 >= 2 -> green 100; org.process_changes 0, t 0:
	 * 0 >= 0 -> green 100. organisational = 100, coverage 1 */
	DECIDE(a1, "org.new_solutions", ST_GREEN, 100);
	VAL(a1, "org.process_changes", 0, EXACT);
	DECIDE(a1, "org.process_changes", ST_GREEN, 100);
	DIM_IS(a1, DIM_ORGANISATIONAL_IMPACT, 100, 1);

	/* index = (2 * 260/3 + 1 * 283.75/3 + 0.5 * 100) / (2 + 1 + 0.5)
	 * = (173.333333 + 94.583333 + 50) / 3.5 = 90.833333 (effectiveness and
	 * social null: left out with their weights) */
	INDEX_IS(a1, (2.0 * 260.0 / 3.0 + 283.75 / 3.0 + 0.5 * 100.0) / 3.5);
	num_is(a1->dims[DIM_OUTPUT].weight, 2, EXACT, "weight", "output", a1, __LINE__);

	/* --- A2 --- */
	/* out.meetings 3 < 4 - 0.8 = 3.2 -> red, 100 * (1 - 1/4) = 75 */
	DECIDE(a2, "out.meetings", ST_RED, 75);
	/* out.meeting_hours 4 + 3 + 0.5 = 7.5 >= 5 -> amber, 100 * (1 - 2.5/10) = 75 */
	VAL(a2, "out.meeting_hours", 7.5, EXACT);
	DECIDE(a2, "out.meeting_hours", ST_AMBER, 75);
	/* participants 3 (p5 staff) -> green */
	DECIDE(a2, "out.participants", ST_GREEN, 100);
	/* output = (2 * 75 + 1 * 75 + 0 * 100) / 3 = 75, coverage 1 */
	DIM_IS(a2, DIM_OUTPUT, 75, 1);
	/* cost_per_participant 0 / 3 = 0 <= 50 -> green 100 (lower) */
	VAL(a2, "eff.cost_per_participant", 0, EXACT);
	DECIDE(a2, "eff.cost_per_participant", ST_GREEN, 100);
	/* commitment_rate: nothing allocated -> null -> none, normalised null, but
	 * the target is still attached */
	VAL_NULL(a2, "eff.commitment_rate");
	DECIDE_NONE(a2, "eff.commitment_rate");
	num_is(ind_at(a2, "eff.commitment_rate", __LINE__)->target, 80, EXACT, "target",
	       "eff.commitment_rate", a2, __LINE__);
	/* days 03-01 -> 05-10 = 30 + 30 + 10 = 70 (to 03-31: 30, to 04-30: 60, to
	 * 05-10: 70); t 25 lower: amber up to 30 -> red; 100 * max(0, 1 - 45/25) = 0 */
	VAL(a2, "eff.days_to_signature", 70, EXACT);
	DECIDE(a2, "eff.days_to_signature", ST_RED, 0);
	/* efficiency = (100 + 0) / 2 = 50; coverage = 2 used / 3 targeted */
	DIM_IS(a2, DIM_EFFICIENCY, 50, 2.0 / 3.0);
	/* relationship_change: one pair (k3 3 -> 3), n 1 < 2 -> suppressed -> none;
	 * social score null, coverage 0 / 1 = 0 */
	SUPPRESSED(a2, "soc.relationship_change", 1);
	DECIDE_NONE(a2, "soc.relationship_change");
	num_null(a2->dims[DIM_SOCIAL_IMPACT].score, "score", "social_impact", a2, __LINE__);
	num_is(a2->dims[DIM_SOCIAL_IMPACT].coverage, 0, EXACT, "coverage", "social_impact", a2,
	       __LINE__);
	/* new_solutions 1 < 2 - 0.4 = 1.6 -> red, 100 * (1 - 1/2) = 50;
	 * process_changes 0 -> green 100; organisational = 75 */
	DECIDE(a2, "org.new_solutions", ST_RED, 50);
	DIM_IS(a2, DIM_ORGANISATIONAL_IMPACT, 75, 1);
	/* index = (2 * 75 + 1 * 50 + 0.5 * 75) / (2 + 1 + 0.5) = 237.5 / 3.5
	 * = 67.857143 (social and effectiveness null) */
	INDEX_IS(a2, 237.5 / 3.5);

	/* ranks: A1 90.833 > A2 67.857 */
	ck_assert_int_eq(p->n_ranks, 2);
	ck_assert_str_eq(p->ranks[0].agreement_code, "A1");
	ck_assert_int_eq(rank_of(p, "A1")->rank, 1);
	ck_assert_int_eq(rank_of(p, "A2")->rank, 2);

	/* --- P (policy-level targets only) --- */
	/* out.meetings 4 + 3 = 7, t 8: amber from 8 - 1.6 = 6.4 -> amber,
	 * 100 * (1 - 1/8) = 87.5, weight 2 */
	VAL(p, "out.meetings", 7, EXACT);
	DECIDE(p, "out.meetings", ST_AMBER, 87.5);
	/* out.meeting_hours 6 + 7.5 = 13.5, t 45, r 0.3: amber from 45 - 0.7 * 45 =
	 * 13.5 exactly (in doubles 45 - (1 - 0.3) * 45 = 13.500000000000004: the
	 * 1e-9 tolerance decides) -> amber, 100 * (1 - 31.5/45) = 30 */
	VAL(p, "out.meeting_hours", 13.5, EXACT);
	DECIDE(p, "out.meeting_hours", ST_AMBER, 30);
	/* out.participants distinct {p1, p2, p3, p4} = 4, t 5, r 0.9: amber from
	 * 5 - 0.5 = 4.5 -> red, 100 * (1 - 1/5) = 80; weight 0 */
	VAL(p, "out.participants", 4, EXACT);
	DECIDE(p, "out.participants", ST_RED, 80);
	/* output = (2 * 87.5 + 1 * 30 + 0 * 80) / (2 + 1 + 0) = 205/3, coverage 1 */
	DIM_IS(p, DIM_OUTPUT, 205.0 / 3.0, 1);
	/* eff.days_to_signature median of {20, 70} = 45, t 37.5 (lower): amber up to
	 * 37.5 + 7.5 = 45 -> amber (boundary), 100 * (1 - 7.5/37.5) = 80 */
	VAL(p, "eff.days_to_signature", 45, EXACT);
	DECIDE(p, "eff.days_to_signature", ST_AMBER, 80);
	DIM_IS(p, DIM_EFFICIENCY, 80, 1);
	/* agreement-level targets do not apply to P */
	DECIDE_NONE(p, "eff.cost_per_participant");
	DECIDE_NONE(p, "org.new_solutions");
	DIM_NULL(p, DIM_SOCIAL_IMPACT);
	DIM_NULL(p, DIM_ORGANISATIONAL_IMPACT);
	/* index = (2 * 205/3 + 1 * 80) / (2 + 1) = (136.666667 + 80) / 3 = 72.222222 */
	INDEX_IS(p, (2.0 * 205.0 / 3.0 + 80.0) / 3.0);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- sensitivity --------------------------------------------------------------- */

START_TEST(test_compute_sensitivity)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p;
	static const struct {
		const char *code;
		double index;
		int rank;
	} want[] = {
		/* one targeted indicator (out.meetings, t 4) in one dimension: whatever
		 * the (perturbed) weights, index = output score = its normalised score:
		 * S1 4 meetings -> green 100; S2, S3 3 -> 100 * (1 - 1/4) = 75;
		 * S4 1 -> 100 * (1 - 3/4) = 25. Ranks 1, 2, 2 (tie: best rank), 4 in
		 * every draw, so p05 = p95 = the rank. */
		{"S1", 100, 1},
		{"S2", 75, 2},
		{"S3", 75, 2},
		{"S4", 25, 4},
	};
	unsigned i;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('S1', 'T', 's1', '2024-01-01'), ('S2', 'T', 's2', '2024-01-01'),"
		 " ('S3', 'T', 's3', '2024-01-01'), ('S4', 'T', 's4', '2024-01-01');"
		 "INSERT INTO meeting (code, agreement_code, held_on, kind, hours)"
		 " SELECT a || '-' || g, a, '2024-05-01', 'workshop', 1"
		 " FROM (VALUES ('S1', 4), ('S2', 3), ('S3', 3), ('S4', 1)) v(a, k),"
		 "      generate_series(1, k) g;"
		 "INSERT INTO target (policy_code, indicator, level, target) VALUES"
		 " ('T', 'out.meetings', 'agreement', 4), ('T', 'out.meetings', 'policy', 20);"
		 "INSERT INTO weight (policy_code, item, weight) VALUES"
		 " ('T', 'out.meetings', 3), ('T', 'output', 0.5);");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;

	ck_assert_int_eq(p->n_ranks, 4);
	ck_assert_str_eq(p->ranks[0].agreement_code, "S1"); /* best index first */
	ck_assert_str_eq(p->ranks[3].agreement_code, "S4");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct sc_rank *k = rank_of(p, want[i].code);

		INDEX_IS(agreement(r, want[i].code), want[i].index);
		ck_assert_msg(k->rank == want[i].rank, "%s rank %d, expected %d", want[i].code,
			      k->rank, want[i].rank);
		num_is(k->rank_p05, want[i].rank, EXACT, "rank_p05", want[i].code, p, __LINE__);
		num_is(k->rank_p95, want[i].rank, EXACT, "rank_p95", want[i].code, p, __LINE__);
	}
	/* P: meetings 4 + 3 + 3 + 1 = 11, t 20: amber from 16 -> red,
	 * 100 * (1 - 9/20) = 55; the only targeted indicator -> index 55 in every
	 * draw: p05 = p95 = 55 */
	VAL(p, "out.meetings", 11, EXACT);
	DECIDE(p, "out.meetings", ST_RED, 55);
	INDEX_IS(p, 55);
	num_is(p->index_p05, 55, EXACT, "p05", "index", p, __LINE__);
	num_is(p->index_p95, 55, EXACT, "p95", "index", p, __LINE__);

	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- territory (level N) -------------------------------------------------------
 * Policy W (started 2024-01-01, volunteer hour 10 eur, min_cell 2), 2024-Q2:
 * the as-of dates are D = 2024-06-30 and 2024-03-31 (2023-Q4 is before the
 * start). Neighbourhoods NA 1000, NB 4000, NZ 300 (covered by nothing).
 *   B1 lab 2024-01-10, approved 2024-02-01, signed 2024-03-01: NA and NB
 *   B2 lab 2024-02-01, approved 2024-04-01, signed 2024-05-01: NA
 *   B3 lab 2024-04-10, approved 2024-05-01, signed 2024-06-10: NA (not in
 *      scope at 2024-03-31)
 * So NA is covered by B1, B2, B3 and NB by B1 only. p1 attends B1 and B2.
 * A policy-wide org event and a policy-wide org_culture survey must not be
 * read at N. */
static const char territory_sql[] =
	"INSERT INTO policy (code, name, started_on, locale, volunteer_hour_value_eur, min_cell)"
	" VALUES ('W', 'Policy W', '2024-01-01', 'en', 10, 2);"
	"INSERT INTO neighbourhood (code, name, population) VALUES"
	" ('NA', 'Alpha', 1000), ('NB', 'Beta', 4000), ('NZ', 'Zeta', 300);"
	"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on, signed_on)"
	" VALUES ('B1', 'W', 'Both', '2024-01-10', '2024-02-01', '2024-03-01'),"
	"        ('B2', 'W', 'Alpha two', '2024-02-01', '2024-04-01', '2024-05-01'),"
	"        ('B3', 'W', 'Alpha three', '2024-04-10', '2024-05-01', '2024-06-10');"
	"INSERT INTO agreement_area (agreement_code, neighbourhood_code) VALUES"
	" ('B1', 'NA'), ('B1', 'NB'), ('B2', 'NA'), ('B3', 'NA');"
	"INSERT INTO meeting (code, agreement_code, held_on, kind, hours) VALUES"
	" ('MB1a', 'B1', '2024-03-10', 'workshop', 2), ('MB1b', 'B1', '2024-05-10', 'assembly', 1),"
	" ('MB2', 'B2', '2024-04-20', 'workshop', 3), ('MB3', 'B3', '2024-06-20', 'event', 1.5),"
	" ('MB3x', 'B3', '2024-07-01', 'event', 9);"
	"INSERT INTO attendance (meeting_code, person, role) VALUES"
	" ('MB1a', 'p1', 'citizen'), ('MB1a', 'p2', 'citizen'), ('MB1a', 's1', 'staff'),"
	" ('MB1b', 'p1', 'citizen'), ('MB1b', 'p3', 'association'),"
	" ('MB2', 'p1', 'citizen'), ('MB2', 'p4', 'business'),"
	" ('MB3', 'p5', 'citizen'), ('MB3x', 'p6', 'citizen');"
	"INSERT INTO signatory (code, kind, name) VALUES ('SG1', 'association', 'Assoc'),"
	" ('SG2', 'volunteer', NULL), ('SG3', 'business', 'Shop');"
	"INSERT INTO signature (agreement_code, signatory_code, signed_on) VALUES"
	" ('B1', 'SG1', '2024-02-15'), ('B2', 'SG1', '2024-04-05'), ('B3', 'SG2', '2024-06-10'),"
	" ('B1', 'SG3', '2024-03-01');"
	"INSERT INTO project (code, agreement_code, kind, title, defined_on, completed_on) VALUES"
	" ('PJ1', 'B1', 'community_care', 'J1', '2024-02-01', '2024-06-01'),"
	" ('PJ2', 'B2', 'city_care', 'J2', '2024-04-10', NULL);"
	"INSERT INTO finance (project_code, booked_on, stage, amount_eur) VALUES"
	" ('PJ1', '2024-02-01', 'allocated', 1000), ('PJ1', '2024-03-01', 'committed', 800),"
	" ('PJ1', '2024-05-01', 'spent', 400), ('PJ2', '2024-04-10', 'allocated', 500),"
	" ('PJ2', '2024-06-01', 'spent', 100);"
	"INSERT INTO milestone (code, project_code, title, due_on, achieved_on) VALUES"
	" ('MJ1', 'PJ1', 'm1', '2024-05-15', '2024-05-10'),"
	" ('MJ2', 'PJ2', 'm2', '2024-06-15', '2024-06-20');"
	"INSERT INTO resource (agreement_code, recorded_on, kind, quantity) VALUES"
	" ('B1', '2024-04-01', 'staff_hours', 10), ('B1', '2024-05-01', 'volunteer_hours', 5),"
	" ('B2', '2024-05-01', 'in_kind_eur', 50), ('B3', '2024-06-01', 'staff_hours', 4);"
	"INSERT INTO org_event (policy_code, agreement_code, occurred_on, kind, department,"
	"                       quantity) VALUES"
	" ('W', 'B1', '2024-04-01', 'new_solution', 'Welfare', 2),"
	" ('W', 'B2', '2024-05-01', 'training', 'HR', 3),"
	" ('W', NULL, '2024-04-15', 'process_change', 'Segreteria', 4);"
	/* every covering agreement has min_cell respondents on each instrument
	 * but agreement_quality and org_culture (none at all), so nothing is
	 * withheld at A for them */
	"INSERT INTO survey (code, policy_code, agreement_code, instrument, wave, fielded_on)"
	" VALUES ('SV1', 'W', 'B1', 'satisfaction', 'once', '2024-05-01'),"
	"        ('SV2', 'W', 'B2', 'satisfaction', 'once', '2024-05-15'),"
	"        ('SV3', 'W', 'B3', 'satisfaction', 'once', '2024-06-15'),"
	"        ('RQ0', 'W', 'B1', 'relationship_quality', 'T0', '2024-02-01'),"
	"        ('RQ1', 'W', 'B1', 'relationship_quality', 'T1', '2024-06-01'),"
	"        ('RQ2', 'W', 'B2', 'relationship_quality', 'T0', '2024-04-20'),"
	"        ('RQ3', 'W', 'B2', 'relationship_quality', 'T1', '2024-06-20'),"
	"        ('RQ4', 'W', 'B3', 'relationship_quality', 'T0', '2024-04-20'),"
	"        ('RQ5', 'W', 'B3', 'relationship_quality', 'T1', '2024-06-20'),"
	"        ('QLa', 'W', 'B1', 'quality_of_life', 'T0', '2024-02-10'),"
	"        ('QLb', 'W', 'B1', 'quality_of_life', 'T1', '2024-06-10'),"
	"        ('QL0', 'W', 'B2', 'quality_of_life', 'T0', '2024-04-20'),"
	"        ('QL1', 'W', 'B2', 'quality_of_life', 'T1', '2024-06-20'),"
	"        ('QLc', 'W', 'B3', 'quality_of_life', 'T0', '2024-04-20'),"
	"        ('QLd', 'W', 'B3', 'quality_of_life', 'T1', '2024-06-20'),"
	"        ('OC0', 'W', NULL, 'org_culture', 'once', '2024-05-01');"
	"INSERT INTO response (survey_code, respondent, item, score) VALUES"
	" ('SV1', 'r1', 'q1', 4), ('SV1', 'r1', 'q2', 5), ('SV1', 'r2', 'q1', 3),"
	" ('SV2', 'r1', 'q1', 5), ('SV2', 'r3', 'q1', 4), ('SV2', 'r3', 'q2', 2),"
	" ('SV3', 'r4', 'q1', 4), ('SV3', 'r5', 'q1', 2),"
	" ('RQ0', 'q1', 'i', 3), ('RQ0', 'q2', 'i', 2), ('RQ1', 'q1', 'i', 4), ('RQ1', 'q2', 'i', "
	"4),"
	" ('RQ2', 'q3', 'i', 2), ('RQ2', 'q4', 'i', 1), ('RQ3', 'q3', 'i', 2), ('RQ3', 'q4', 'i', "
	"3),"
	" ('RQ4', 'q5', 'i', 3), ('RQ4', 'q6', 'i', 2), ('RQ5', 'q5', 'i', 2), ('RQ5', 'q6', 'i', "
	"4),"
	" ('QLa', 'v1', 'i', 3), ('QLa', 'v2', 'i', 4), ('QLb', 'v3', 'i', 4), ('QLb', 'v4', 'i', "
	"5),"
	" ('QL0', 'w1', 'i', 2), ('QL0', 'w2', 'i', 3),"
	" ('QL1', 'w3', 'i', 4), ('QL1', 'w4', 'i', 4), ('QL1', 'w5', 'i', 3),"
	" ('QLc', 'u1', 'i', 1), ('QLc', 'u2', 'i', 2), ('QLd', 'u3', 'i', 3), ('QLd', 'u4', 'i', "
	"3),"
	" ('OC0', 'r7', 'i', 2), ('OC0', 'r8', 'i', 4);"
	/* a target at each level: only the neighbourhood's applies at N */
	"INSERT INTO target (policy_code, indicator, level, target) VALUES"
	" ('W', 'out.participants', 'neighbourhood', 4), ('W', 'out.participants', 'policy', 10),"
	" ('W', 'out.participants', 'agreement', 1);";

static struct scorecard *find_neighbourhood(struct ind_result *r, const char *code)
{
	int i;

	for (i = 0; i < r->n_neighbourhoods; i++)
		if (strcmp(r->neighbourhoods[i]->neighbourhood.code, code) == 0)
			return r->neighbourhoods[i];
	ck_abort_msg("no scorecard for neighbourhood %s", code);
	return NULL;
}

START_TEST(test_compute_territory)
{
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *p, *na, *nb;
	const struct sc_territory *t;

	testdb_create(&ci, &c);
	exec_sql(c, territory_sql);
	r = compute(c, "W", "2024-Q2");
	p = r->policy;
	/* one card per neighbourhood covered at D, by code; NZ has none */
	ck_assert_int_eq(r->n_agreements, 3);
	ck_assert_int_eq(r->n_neighbourhoods, 2);
	ck_assert_str_eq(r->neighbourhoods[0]->neighbourhood.code, "NA");
	ck_assert_str_eq(r->neighbourhoods[1]->neighbourhood.code, "NB");
	na = find_neighbourhood(r, "NA");
	nb = find_neighbourhood(r, "NB");
	ck_assert_int_eq(na->level, CAT_NEIGHBOURHOOD);
	ck_assert_str_eq(na->neighbourhood.name, "Alpha");
	ck_assert_int_eq(na->neighbourhood.population, 1000);
	ck_assert_int_eq(na->n_covering, 3);
	ck_assert_str_eq(na->covering[0].code, "B1");
	ck_assert_str_eq(na->covering[1].code, "B2");
	ck_assert_str_eq(na->covering[2].code, "B3");
	ck_assert_str_eq(na->covering[2].title, "Alpha three");
	ck_assert_int_eq(nb->n_covering, 1);
	ck_assert_str_eq(nb->covering[0].code, "B1");
	ck_assert_ptr_null(na->agreement_code);
	ck_assert_int_eq(na->n_trend, 2);
	/* a neighbourhood card's notes: the four of every card, then the
	 * territory rule */
	ck_assert_int_eq(na->n_notes, 5);
	ck_assert_int_eq(na->notes[4], SC_NOTE_TERRITORY);

	/* ---- output */
	/* signed <= D among the covering: NA B1 03-01, B2 05-01, B3 06-10 -> 3;
	 * at 03-31 B1 only (B2 signs later, B3 not in scope) -> 1. NB: B1 -> 1 */
	VAL(na, "out.agreements_signed", 3, EXACT);
	PREV(na, "out.agreements_signed", 1, EXACT);
	VAL(nb, "out.agreements_signed", 1, EXACT);
	VAL(p, "out.agreements_signed", 3, EXACT);
	/* NA: B1 {p1, p2, p3}, B2 {p1, p4}, B3 {p5} (p6 after D, s1 staff) -> 5
	 * distinct, p1 once; at 03-31: MB1a {p1, p2} -> 2. NB: B1 -> 3, prev 2 */
	VAL(na, "out.participants", 5, EXACT);
	PREV(na, "out.participants", 2, EXACT);
	VAL(nb, "out.participants", 3, EXACT);
	PREV(nb, "out.participants", 2, EXACT);
	/* NA: MB1a, MB1b, MB2, MB3 -> 4 meetings, 2 + 1 + 3 + 1.5 = 7.5 hours; at
	 * 03-31 MB1a -> 1, 2. NB: MB1a, MB1b -> 2, 3 hours */
	VAL(na, "out.meetings", 4, EXACT);
	PREV(na, "out.meetings", 1, EXACT);
	VAL(na, "out.meeting_hours", 7.5, EXACT);
	PREV(na, "out.meeting_hours", 2, EXACT);
	VAL(nb, "out.meetings", 2, EXACT);
	VAL(nb, "out.meeting_hours", 3, EXACT);
	/* NA: SG1 (B1, B2), SG3 (B1), SG2 (B3) -> 3 distinct, one of each kind;
	 * at 03-31 SG1, SG3 -> 2. NB: SG1, SG3 -> 2 */
	VAL(na, "out.signatories", 3, EXACT);
	PREV(na, "out.signatories", 2, EXACT);
	VAL(na, "out.signatories.association", 1, EXACT);
	VAL(na, "out.signatories.volunteer", 1, EXACT);
	VAL(na, "out.signatories.business", 1, EXACT);
	VAL(nb, "out.signatories", 2, EXACT);
	VAL(nb, "out.signatories.association", 1, EXACT);
	VAL(nb, "out.signatories.volunteer", 0, EXACT);
	VAL(nb, "out.signatories.business", 1, EXACT);
	/* NA: PJ1 (community, completed 06-01), PJ2 (city) -> 2, 1, 1, completed 1.
	 * NB: PJ1 -> 1, 1, 0, 1 */
	VAL(na, "out.projects", 2, EXACT);
	VAL(na, "out.projects.community_care", 1, EXACT);
	VAL(na, "out.projects.city_care", 1, EXACT);
	VAL(na, "out.projects_completed", 1, EXACT);
	PREV(na, "out.projects", 1, EXACT);
	PREV(na, "out.projects_completed", 0, EXACT);
	VAL(nb, "out.projects", 1, EXACT);
	VAL(nb, "out.projects.community_care", 1, EXACT);
	VAL(nb, "out.projects.city_care", 0, EXACT);
	VAL(nb, "out.projects_completed", 1, EXACT);
	/* the neighbourhood's own population (covered since 2024-01-10, so at
	 * both dates); the policy's: NA + NB = 5000 */
	VAL(na, "out.population", 1000, EXACT);
	PREV(na, "out.population", 1000, EXACT);
	VAL(nb, "out.population", 4000, EXACT);
	VAL(p, "out.population", 5000, EXACT);
	/* participants of the covering agreements per 1000 of the neighbourhood's
	 * own: NA 5 * 1000 / 1000 = 5, prev 2; NB 3 * 1000 / 4000 = 0.75, prev
	 * 2 * 1000 / 4000 = 0.5 */
	VAL(na, "out.participation_rate", 5, EXACT);
	PREV(na, "out.participation_rate", 2, EXACT);
	VAL(nb, "out.participation_rate", 0.75, EXACT);
	PREV(nb, "out.participation_rate", 0.5, EXACT);

	/* ---- efficiency */
	/* NA: allocated 1000 + 500 = 1500 (community 1000, city 500), committed
	 * 800 (community), spent 400 + 100 = 500 (community 400, city 100). NB:
	 * PJ1 only: 1000, 800, 400 */
	VAL(na, "eff.allocated_eur", 1500, EXACT);
	VAL(na, "eff.allocated_eur.community_care", 1000, EXACT);
	VAL(na, "eff.allocated_eur.city_care", 500, EXACT);
	VAL(na, "eff.committed_eur", 800, EXACT);
	VAL(na, "eff.committed_eur.community_care", 800, EXACT);
	VAL(na, "eff.committed_eur.city_care", 0, EXACT);
	VAL(na, "eff.spent_eur", 500, EXACT);
	VAL(na, "eff.spent_eur.community_care", 400, EXACT);
	VAL(na, "eff.spent_eur.city_care", 100, EXACT);
	PREV(na, "eff.allocated_eur", 1000, EXACT);
	PREV(na, "eff.spent_eur", 0, EXACT);
	VAL(nb, "eff.allocated_eur", 1000, EXACT);
	VAL(nb, "eff.committed_eur", 800, EXACT);
	VAL(nb, "eff.spent_eur", 400, EXACT);
	VAL(nb, "eff.allocated_eur.city_care", 0, EXACT);
	/* rates: NA 800 / 1500 * 100 = 53.333..., 500 / 1500 * 100 = 33.333...,
	 * 500 / 5 participants = 100; NB 80, 40, 400 / 3 = 133.333... */
	VAL(na, "eff.commitment_rate", 800.0 * 100 / 1500, EXACT);
	VAL(na, "eff.spend_rate", 500.0 * 100 / 1500, EXACT);
	VAL(na, "eff.cost_per_participant", 100, EXACT);
	VAL(nb, "eff.commitment_rate", 80, EXACT);
	VAL(nb, "eff.spend_rate", 40, EXACT);
	VAL(nb, "eff.cost_per_participant", 400.0 / 3, EXACT);
	/* staff hours NA 10 + 4 = 14, NB 10; community value NA 5 h * 10 + 50 =
	 * 100, NB 5 * 10 = 50; leverage NA 100 / 500 = 0.2, NB 50 / 400 = 0.125 */
	VAL(na, "eff.staff_hours", 14, EXACT);
	VAL(nb, "eff.staff_hours", 10, EXACT);
	VAL(na, "eff.community_value_eur", 100, EXACT);
	VAL(nb, "eff.community_value_eur", 50, EXACT);
	VAL(na, "eff.leverage", 0.2, EXACT);
	VAL(nb, "eff.leverage", 0.125, EXACT);
	/* median days approval -> signature over the covering agreements: NA
	 * B1 29 (2024 is a leap year), B2 30, B3 40 -> 30; at 03-31 B1 -> 29.
	 * NB: 29 */
	VAL(na, "eff.days_to_signature", 30, EXACT);
	PREV(na, "eff.days_to_signature", 29, EXACT);
	VAL(nb, "eff.days_to_signature", 29, EXACT);

	/* ---- effectiveness */
	/* satisfaction, each covering agreement a group: B1 r1 (4 + 5) / 2 = 4.5,
	 * r2 3; B2 r1 5 (again: another agreement), r3 (4 + 2) / 2 = 3; B3 r4 4,
	 * r5 2. NA: n 6, mean 21.5 / 6 = 3.5833333, sd 1.1143010, t(0.975, 5) =
	 * 2.5705818 -> [2.4139462, 4.7527205]; satisfied (>= 4) r1, r1, r4 ->
	 * 3 / 6 = 50%, Wilson [18.7616305, 81.2383695]. NB (B1): n 2, mean 3.75,
	 * sd 1.0606602, t(0.975, 1) = 12.7062047 -> [-5.7796536, 13.2796536];
	 * 1 / 2 = 50%, Wilson [9.4531205, 90.5468795]. None before 03-31 */
	VAL(na, "eft.satisfaction", 21.5 / 6, EXACT);
	N_IS(na, "eft.satisfaction", 6);
	CI(na, "eft.satisfaction", 2.4139462, 4.7527205, STAT);
	PREV_NULL(na, "eft.satisfaction");
	VAL(na, "eft.satisfied_share", 50, EXACT);
	N_IS(na, "eft.satisfied_share", 6);
	CI(na, "eft.satisfied_share", 18.7616305, 81.2383695, STAT);
	VAL(nb, "eft.satisfaction", 3.75, EXACT);
	N_IS(nb, "eft.satisfaction", 2);
	CI(nb, "eft.satisfaction", -5.7796536, 13.2796536, STAT);
	VAL(nb, "eft.satisfied_share", 50, EXACT);
	CI(nb, "eft.satisfied_share", 9.4531205, 90.5468795, STAT);
	/* no agreement_quality survey: n 0, below min_cell */
	SUPPRESSED(na, "eft.agreement_quality", 0);
	SUPPRESSED(nb, "eft.agreement_quality", 0);
	/* milestones due <= D: NA MJ1 (on time), MJ2 (late) -> 1 / 2 = 50%, n 2;
	 * NB MJ1 -> 100%, n 1 */
	VAL(na, "eft.milestones_on_time", 50, EXACT);
	N_IS(na, "eft.milestones_on_time", 2);
	VAL(nb, "eft.milestones_on_time", 100, EXACT);
	N_IS(nb, "eft.milestones_on_time", 1);

	/* ---- social impact */
	/* pairs T1 - T0: B1 q1 1, q2 2; B2 q3 0, q4 2; B3 q5 -1, q6 2. NA: n 6,
	 * mean 1, sd 1.2649111, t(0.975, 5) -> [-0.3274428, 2.3274428], t =
	 * 1.9364917 on 5 df: p 0.1105667, effect 1 / 1.2649111 = 0.7905694;
	 * improved (> 0) 4 of 6 = 66.67%, Wilson [29.9993313, 90.3228590]. NB:
	 * B1's two: mean 1.5, sd 0.7071068, t(0.975, 1) -> [-4.8531024,
	 * 7.8531024], p = 1 - 2 atan(3) / pi = 0.2048328, effect 2.1213203, both
	 * improved -> 100%, Wilson [34.2380224, 100] */
	VAL(na, "soc.relationship_change", 1, EXACT);
	N_IS(na, "soc.relationship_change", 6);
	CI(na, "soc.relationship_change", -0.3274428, 2.3274428, STAT);
	P_IS(na, "soc.relationship_change", 0.1105667, STAT);
	EFFECT_IS(na, "soc.relationship_change", 0.7905694, STAT);
	VAL(na, "soc.relationship_improved_share", 400.0 / 6, EXACT);
	CI(na, "soc.relationship_improved_share", 29.9993313, 90.3228590, STAT);
	VAL(nb, "soc.relationship_change", 1.5, EXACT);
	N_IS(nb, "soc.relationship_change", 2);
	CI(nb, "soc.relationship_change", -4.8531024, 7.8531024, STAT);
	P_IS(nb, "soc.relationship_change", 0.2048328, STAT);
	EFFECT_IS(nb, "soc.relationship_change", 2.1213203, STAT);
	VAL(nb, "soc.relationship_improved_share", 100, EXACT);
	CI(nb, "soc.relationship_improved_share", 34.2380224, 100, STAT);
	/* quality of life, T0 and T1 pooled over the covering agreements: NA T0
	 * {3, 4, 2, 3, 1, 2} mean 2.5, T1 {4, 5, 4, 4, 3, 3, 3} mean 26 / 7;
	 * diff 26 / 7 - 2.5 = 1.2142857, n 6 + 7 = 13, Welch df 8.9631219, t
	 * 2.2635767 -> [0.0491130, 2.3794584]. NB (B1): T0 {3, 4}, T1 {4, 5}:
	 * diff 1, df 2, t(0.975, 2) 4.3026527 * sqrt(0.5 / 2 + 0.5 / 2) ->
	 * [-2.0424349, 4.0424349] */
	VAL(na, "soc.quality_of_life_change", 26.0 / 7 - 2.5, EXACT);
	N_IS(na, "soc.quality_of_life_change", 13);
	CI(na, "soc.quality_of_life_change", 0.0491130, 2.3794584, STAT);
	VAL(nb, "soc.quality_of_life_change", 1, EXACT);
	N_IS(nb, "soc.quality_of_life_change", 4);
	CI(nb, "soc.quality_of_life_change", -2.0424349, 4.0424349, STAT);
	/* bridging: signatories with two signatures among the covering
	 * agreements: NA SG1 (B1, B2) of 3 -> 33.33%, at 03-31 none of 2 -> 0;
	 * NB: SG1 has one in B1 -> 0 of 2 */
	VAL(na, "soc.bridging_share", 100.0 / 3, EXACT);
	PREV(na, "soc.bridging_share", 0, EXACT);
	VAL(nb, "soc.bridging_share", 0, EXACT);
	/* not a policy indicator, so not at N */
	ck_assert_ptr_null(sc_get(na, "soc.new_partners_share"));
	ck_assert_ptr_null(sc_get(na, "ex_ante.mean"));

	/* ---- organisational impact: the covering agreements' events only, not
	 * the policy's own process change (4, Segreteria) */
	VAL(na, "org.new_solutions", 2, EXACT);
	VAL(na, "org.staff_trained", 3, EXACT);
	VAL(na, "org.process_changes", 0, EXACT);
	VAL(na, "org.new_methods", 0, EXACT);
	VAL(na, "org.departments", 2, EXACT); /* Welfare, HR */
	PREV(na, "org.departments", 0, EXACT);
	VAL(nb, "org.new_solutions", 2, EXACT);
	VAL(nb, "org.staff_trained", 0, EXACT);
	VAL(nb, "org.departments", 1, EXACT); /* Welfare */
	VAL(p, "org.process_changes", 4, EXACT);
	VAL(p, "org.departments", 3, EXACT);
	/* the policy-wide org_culture survey (r7 2, r8 4) is the policy's: n 2
	 * (its value withheld: every agreement's n is 0, primary, and all of
	 * them together fall short of min_cell); a neighbourhood reads none of
	 * it: n 0 */
	SECONDARY(p, "org.culture_score", 2);
	SUPPRESSED(na, "org.culture_score", 0);
	SUPPRESSED(nb, "org.culture_score", 0);

	/* ---- targets: the neighbourhood level's (4) at N, the policy's (10) at P
	 * NA 5 >= 4 green, 100; NB 3 < 0.8 * 4 red, 100 (1 - 1/4) = 75; one
	 * target, so the index is that score. P 5 of 10: red, 50 */
	DECIDE(na, "out.participants", ST_GREEN, 100);
	DECIDE(nb, "out.participants", ST_RED, 75);
	INDEX_IS(na, 100);
	INDEX_IS(nb, 75);
	DECIDE(p, "out.participants", ST_RED, 50);
	DECIDE_NONE(na, "out.meetings");

	/* ---- the policy card's territories: each neighbourhood's own figures */
	ck_assert_int_eq(p->n_territories, 2);
	t = &p->territories[0];
	ck_assert_str_eq(t->code, "NA");
	ck_assert_str_eq(t->name, "Alpha");
	ck_assert_int_eq(t->population, 1000);
	ck_assert_int_eq(t->agreements, 3);
	num_is(t->participants, 5, EXACT, "participants", "territory", p, __LINE__);
	num_is(t->participation_rate, 5, EXACT, "participation_rate", "territory", p, __LINE__);
	num_is(t->quality_of_life_change, 26.0 / 7 - 2.5, EXACT, "qol", "territory", p, __LINE__);
	num_is(t->index, 100, EXACT, "index", "territory", p, __LINE__);
	t = &p->territories[1];
	ck_assert_str_eq(t->code, "NB");
	ck_assert_int_eq(t->agreements, 1);
	num_is(t->participation_rate, 0.75, EXACT, "participation_rate", "territory", p, __LINE__);
	num_is(t->quality_of_life_change, 1, EXACT, "qol", "territory", p, __LINE__);
	num_is(t->index, 75, EXACT, "index", "territory", p, __LINE__);
	ind_result_free(r);

	/* one neighbourhood asked for: its card and the policy's only */
	r = compute_opt(c, &(struct run_options){
				   .policy = "W", .period = "2024-Q2", .neighbourhood = "NB"});
	ck_assert_int_eq(r->n_agreements, 0);
	ck_assert_int_eq(r->n_neighbourhoods, 1);
	ck_assert_str_eq(r->neighbourhoods[0]->neighbourhood.code, "NB");
	VAL(r->neighbourhoods[0], "out.participants", 3, EXACT);
	ck_assert_int_eq(r->policy->n_territories, 2);
	ind_result_free(r);
	/* covered by nothing, unknown, or covered only by an agreement not yet in
	 * scope at the period's end (B3 covers NA only from 2024-04-10) */
	ck_assert_int_eq(run_compute(c,
				     &(struct run_options){.policy = "W",
							   .period = "2024-Q2",
							   .neighbourhood = "NZ"},
				     &r),
			 ERR_NOTFOUND);
	ck_assert_str_eq(err_last(), "neighbourhood NZ is not covered by an agreement of policy W "
				     "in scope at 2024-06-30");
	ck_assert_int_eq(run_compute(c,
				     &(struct run_options){.policy = "W",
							   .period = "2024-Q2",
							   .neighbourhood = "NOPE"},
				     &r),
			 ERR_NOTFOUND);
	exec_sql(c, "INSERT INTO agreement (code, policy_code, title, lab_started_on)"
		    " VALUES ('B9', 'W', 'Later', '2024-07-01');"
		    "INSERT INTO agreement_area VALUES ('B9', 'NZ');");
	ck_assert_int_eq(run_compute(c,
				     &(struct run_options){.policy = "W",
							   .period = "2024-Q2",
							   .neighbourhood = "NZ"},
				     &r),
			 ERR_NOTFOUND);
	/* in 2024-Q3 B9 is in scope: NZ is covered, with B9's (no) records */
	r = compute_opt(c, &(struct run_options){
				   .policy = "W", .period = "2024-Q3", .neighbourhood = "NZ"});
	VAL(r->neighbourhoods[0], "out.population", 300, EXACT);
	PREV(r->neighbourhoods[0], "out.population", 0, EXACT); /* not covered at 2024-06-30 */
	VAL(r->neighbourhoods[0], "out.participants", 0, EXACT);
	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* ---- suppression at N ---------------------------------------------------------
 * Policy V (started 2023-07-01, min_cell 3), 2024-Q2: as-of dates 2024-06-30,
 * 2024-03-31, 2023-12-31, 2023-09-30. Agreements enter scope when their
 * first satisfaction survey is in, so every agreement in scope has
 * respondents (an agreement with none holds no unknown to protect):
 *   C1 lab 2023-08-01, a1..a5 {4, 5, 3, 4, 2} 2023-09-15: n 5, mean 3.6
 *   C2 lab 2023-11-01, b1 5, b2 2 on 2023-12-01: n 2 < 3, primary
 *   C3 lab 2024-02-01, c1..c4 {4, 3, 5, 1} on 2024-03-01 (n 4), c5 2 on
 *      2024-05-01 (n 5)
 * Coverage: NA {C1, C2}, NB {C1}, NC {C3}, ND {C1, C3}.
 * Complementary suppression at A, then the territory rule:
 *   2023-09-30: C1 only, published; NA, NB, ND = C1's value, published.
 *   2023-12-31: S = {C2} + C1 (the only published) -> C1 secondary; policy
 *     published (n 7 pooled over two withheld). NA, NB, ND withheld: NB alone
 *     would be C1's value, and the policy less NB C2's.
 *   2024-03-31: S = {C2} + C3 (n 4 < C1's 5) -> C1 published, C3 secondary.
 *     NB published (= C1), NA, NC, ND withheld.
 *   2024-06-30: C1 and C3 tie at n 5: C1 first (byte order) joins S -> C3
 *     published, C1 secondary. NA, NB, ND withheld; NC published (= C3). */
static const char territory_suppression_sql[] =
	"INSERT INTO policy (code, name, started_on, locale, volunteer_hour_value_eur, min_cell)"
	" VALUES ('V', 'Policy V', '2023-07-01', 'en', 10, 3);"
	"INSERT INTO neighbourhood (code, name, population) VALUES"
	" ('NA', 'A', 100), ('NB', 'B', 100), ('NC', 'C', 100), ('ND', 'D', 100);"
	"INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
	" ('C1', 'V', 'c1', '2023-08-01'), ('C2', 'V', 'c2', '2023-11-01'),"
	" ('C3', 'V', 'c3', '2024-02-01');"
	"INSERT INTO agreement_area (agreement_code, neighbourhood_code) VALUES"
	" ('C1', 'NA'), ('C2', 'NA'), ('C1', 'NB'), ('C3', 'NC'), ('C1', 'ND'), ('C3', 'ND');"
	"INSERT INTO survey (code, policy_code, agreement_code, instrument, wave, fielded_on)"
	" VALUES ('S1', 'V', 'C1', 'satisfaction', 'once', '2023-09-15'),"
	"        ('S2', 'V', 'C2', 'satisfaction', 'once', '2023-12-01'),"
	"        ('S3', 'V', 'C3', 'satisfaction', 'once', '2024-03-01'),"
	"        ('S3b', 'V', 'C3', 'satisfaction', 'once', '2024-05-01');"
	"INSERT INTO response (survey_code, respondent, item, score) VALUES"
	" ('S1', 'a1', 'q', 4), ('S1', 'a2', 'q', 5), ('S1', 'a3', 'q', 3), ('S1', 'a4', 'q', 4),"
	" ('S1', 'a5', 'q', 2), ('S2', 'b1', 'q', 5), ('S2', 'b2', 'q', 2),"
	" ('S3', 'c1', 'q', 4), ('S3', 'c2', 'q', 3), ('S3', 'c3', 'q', 5), ('S3', 'c4', 'q', 1),"
	" ('S3b', 'c5', 'q', 2);";

enum { ATK_AGREEMENTS = 3, ATK_DATES = 4, ATK_ROWS = 16 };

/* The published aggregates of one indicator at one date, each as the set
 * of agreements it pools (its coefficients over their unknown sums). */
struct attack {
	double row[ATK_ROWS][ATK_AGREEMENTS];
	int nrows;
	int withheld[ATK_AGREEMENTS];
};

/* Rank of the first n rows of m (Gaussian elimination; the entries are
 * small integers, so 1e-9 tells zero apart). */
static int matrix_rank(double m[][ATK_AGREEMENTS], int n)
{
	int rank = 0, col, i, k;

	for (col = 0; col < ATK_AGREEMENTS && rank < n; col++) {
		int pivot = -1;

		for (i = rank; i < n && pivot < 0; i++)
			if (fabs(m[i][col]) > 1e-9)
				pivot = i;
		if (pivot < 0)
			continue;
		for (k = 0; k < ATK_AGREEMENTS; k++) {
			double t = m[rank][k];

			m[rank][k] = m[pivot][k];
			m[pivot][k] = t;
		}
		for (i = 0; i < n; i++) {
			double f = m[i][col] / m[rank][col];

			if (i == rank)
				continue;
			for (k = 0; k < ATK_AGREEMENTS; k++)
				m[i][k] -= f * m[rank][k];
		}
		rank++;
	}
	return rank;
}

/* True when agreement a's sum is a linear combination of the published
 * aggregates: adding its unit row does not raise the rank. */
static int recoverable(const struct attack *at, int a)
{
	double m[ATK_ROWS + 1][ATK_AGREEMENTS];
	int r0, r1;

	memcpy(m, at->row, sizeof(at->row));
	r0 = matrix_rank(m, at->nrows);
	memcpy(m, at->row, sizeof(at->row));
	memset(m[at->nrows], 0, sizeof(m[at->nrows]));
	m[at->nrows][a] = 1;
	r1 = matrix_rank(m, at->nrows + 1);
	return r1 == r0;
}

/* Files one card's value of an indicator at a date: a published value is
 * one more equation over the agreements it pools; a withheld agreement
 * value marks that agreement. */
static void attack_add(struct attack *at, const unsigned *pool, int agreement, struct sc_num v)
{
	int k;

	if (!v.set) {
		if (agreement >= 0)
			at->withheld[agreement] = 1;
		return;
	}
	ck_assert_int_lt(at->nrows, ATK_ROWS);
	for (k = 0; k < ATK_AGREEMENTS; k++)
		at->row[at->nrows][k] = (*pool >> k) & 1;
	at->nrows++;
}

START_TEST(test_compute_territory_no_suppressed_value_recoverable)
{
	/* the agreements in scope at each date (bit k: C(k+1)), newest first */
	static const unsigned scope[ATK_DATES] = {7, 7, 3, 1};
	static const char *const codes[] = {"eft.satisfaction", "eft.satisfied_share"};
	char *ci;
	db *c;
	struct ind_result *r;
	struct scorecard *cards[1 + ATK_AGREEMENTS + 4];
	unsigned pool[1 + ATK_AGREEMENTS + 4];
	int agreement_of[1 + ATK_AGREEMENTS + 4];
	struct scorecard *nb;
	int ncards = 0, i, di, k, q, trend_k = -1, withheld_total = 0;

	testdb_create(&ci, &c);
	exec_sql(c, territory_suppression_sql);
	r = compute(c, "V", "2024-Q2");
	ck_assert_int_eq(r->n_agreements, 3);
	ck_assert_int_eq(r->n_neighbourhoods, 4);
	cards[ncards] = r->policy;
	pool[ncards] = 7;
	agreement_of[ncards++] = -1;
	for (i = 0; i < 3; i++) {
		cards[ncards] = r->agreements[i];
		pool[ncards] = 1u << i;
		agreement_of[ncards++] = i;
	}
	for (i = 0; i < 4; i++) {
		static const unsigned covers[4] = {3, 1, 4, 5}; /* NA, NB, NC, ND */

		cards[ncards] = r->neighbourhoods[i];
		pool[ncards] = covers[i];
		agreement_of[ncards++] = -1;
	}
	for (k = 0; k < sc_trend_count; k++)
		if (sc_trend_ids[k] == IND_EFT_SATISFACTION)
			trend_k = k;
	ck_assert_int_ge(trend_k, 0);

	/* the states worked out above */
	nb = find_neighbourhood(r, "NB");
	SECONDARY(nb, "eft.satisfaction", 5);
	PREV(nb, "eft.satisfaction", 3.6, EXACT); /* = C1's, published then */
	SECONDARY(find_neighbourhood(r, "NA"), "eft.satisfaction", 7);
	SECONDARY(find_neighbourhood(r, "ND"), "eft.satisfaction", 10);
	/* NC = C3: (4 + 3 + 5 + 1 + 2) / 5 = 3 */
	VAL(find_neighbourhood(r, "NC"), "eft.satisfaction", 3, EXACT);
	PREV_NULL(find_neighbourhood(r, "NC"), "eft.satisfaction");
	ck_assert_int_eq(nb->n_trend, 4);
	ck_assert_str_eq(nb->trend[1].period, "2023-Q4");
	ck_assert(!nb->trend[1].values[trend_k].set); /* C1 withheld then */
	num_is(nb->trend[0].values[trend_k], 3.6, EXACT, "trend 2023-Q3", "eft.satisfaction", nb,
	       __LINE__);

	/* every indicator and date each card shows: value (D), previous
	 * (2024-03-31), and the satisfaction trend (every date) */
	for (q = 0; q < 2; q++) {
		for (di = 0; di < ATK_DATES; di++) {
			struct attack at;

			memset(&at, 0, sizeof(at));
			for (i = 0; i < ncards; i++) {
				const struct sc_indicator *x = sc_get(cards[i], codes[q]);
				struct sc_num v = {0, 0};
				int shown = 0;

				if ((pool[i] & scope[di]) == 0)
					continue; /* pools no agreement in scope then */
				if (di == 0) {
					v = x->value;
					shown = 1;
				} else if (di == 1) {
					v = x->previous;
					shown = 1;
				}
				if (q == 0) { /* the trend, oldest first */
					struct sc_num tv =
						cards[i]->trend[ATK_DATES - 1 - di].values[trend_k];

					ck_assert_msg(!shown || tv.set == v.set,
						      "trend and value disagree");
					v = tv;
					shown = 1;
				}
				if (!shown)
					continue;
				attack_add(&at, &pool[i], agreement_of[i], v);
			}
			for (k = 0; k < ATK_AGREEMENTS; k++) {
				if (!at.withheld[k] || !((scope[di] >> k) & 1))
					continue;
				withheld_total++;
				ck_assert_msg(!recoverable(&at, k),
					      "%s of C%d at date %d comes back from the published "
					      "values",
					      codes[q], k + 1, di);
			}
		}
	}
	/* the attack had something to attack: C1 and C2 at D, C2 and C3 at
	 * 2024-03-31 (both indicators), and C1 and C2 at 2023-12-31 (the
	 * satisfaction trend) */
	ck_assert_int_eq(withheld_total, 2 * 2 + 2 * 2 + 2);
	ind_result_free(r);

	/* the same run without the territory rule would leak: NB published at
	 * 2023-12-31 is C1's value, and policy less NB gives C2's. Checked on the
	 * equations: with NB's row added, C2 becomes recoverable */
	{
		struct attack at;

		memset(&at, 0, sizeof(at));
		attack_add(&at, &(unsigned){3}, -1,
			   (struct sc_num){1, 3.0}); /* the policy, {C1, C2} */
		attack_add(&at, &(unsigned){1}, -1, (struct sc_num){1, 3.6}); /* NB = {C1} */
		ck_assert(recoverable(&at, 1));
	}
	testdb_drop(ci, c);
}
END_TEST

/* compute --neighbourhood prints one neighbourhood's table; a neighbourhood
 * not covered is one line on stderr and exit 1; with --agreement, exit 2. */
START_TEST(test_compute_neighbourhood_command)
{
	char *ci, *out = NULL, *err = NULL;
	db *c;
	int rc;

	testdb_create(&ci, &c);
	exec_sql(c, territory_sql);
	rc = testdb_run((const char *[]){"cruscotto", "compute", "-q", "--db", ci, "--policy", "W",
					 "--period", "2024-Q2", "--neighbourhood", "NA", NULL},
			(const char *[]){"NO_COLOR=1", NULL}, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_msg(strstr(out, "NA — Alpha (1,000 inhabitants)") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "B1, B2, B3\n") != NULL, "%s", out);
	/* one table: the policy's agreements ranking is not printed */
	ck_assert_ptr_null(strstr(out, "Both"));
	free(out);
	free(err);
	rc = testdb_run((const char *[]){"cruscotto", "compute", "-q", "--db", ci, "--policy", "W",
					 "--period", "2024-Q2", "--neighbourhood", "NZ", NULL},
			NULL, &out, &err);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "cruscotto: neighbourhood NZ is not covered by an agreement of "
			      "policy W in scope at 2024-06-30\n");
	free(out);
	free(err);
	rc = testdb_run((const char *[]){"cruscotto", "compute", "-q", "--db", ci, "--policy", "W",
					 "--period", "2024-Q2", "--neighbourhood", "NA",
					 "--agreement", "B1", NULL},
			NULL, NULL, &err);
	ck_assert_int_eq(rc, 2);
	ck_assert_str_eq(err, "cruscotto: compute: --agreement and --neighbourhood exclude each "
			      "other\n");
	free(err);
	testdb_drop(ci, c);
}
END_TEST

/* ---- bad input ----------------------------------------------------------------- */

static int try_compute(db *c, const char *policy, const char *period, const char *only)
{
	struct ind_result *res = NULL;
	int rc = run_compute(
		c, &(struct run_options){.policy = policy, .period = period, .agreement = only},
		&res);

	if (rc == 0)
		ind_result_free(res);
	return rc;
}

START_TEST(test_compute_bad_input)
{
	char *ci;
	db *c;
	struct ind_result *r;

	testdb_create(&ci, &c);
	exec_sql(c,
		 "INSERT INTO policy (code, name, started_on, volunteer_hour_value_eur, min_cell)"
		 " VALUES ('T', 'Policy T', '2023-09-30', 10, 3),"
		 "        ('U', 'Policy U', '2023-01-01', 10, 3);"
		 "INSERT INTO agreement (code, policy_code, title, lab_started_on) VALUES"
		 " ('A1', 'T', 'a1', '2024-01-01'), ('A2', 'T', 'a2', '2024-02-01'),"
		 " ('A3', 'T', 'a3', '2024-07-01'), ('U1', 'U', 'u1', '2024-01-01');");

	ck_assert_int_eq(try_compute(c, "NOPE", "2024-Q2", NULL), ERR_NOTFOUND);
	ck_assert_str_eq(err_last(), "unknown policy NOPE");
	/* the three refusals of an agreement, each by its own message */
	ck_assert_int_eq(try_compute(c, "T", "2024-Q2", "NOPE"), ERR_NOTFOUND);
	ck_assert_str_eq(err_last(), "unknown agreement NOPE");
	/* A3 exists but is not in scope at 2024-06-30 (lab 2024-07-01) */
	ck_assert_int_eq(try_compute(c, "T", "2024-Q2", "A3"), ERR_NOTFOUND);
	ck_assert_str_eq(
		err_last(),
		"agreement A3 is not in scope at 2024-06-30: its lab starts on 2024-07-01");
	/* U1 exists but belongs to policy U */
	ck_assert_int_eq(try_compute(c, "T", "2024-Q2", "U1"), ERR_NOTFOUND);
	ck_assert_str_eq(err_last(), "agreement U1 belongs to policy U, not to T");
	/* 2024-Q3 ends 2024-09-30, on or after A3's lab: A3 is in scope then */
	ck_assert_int_eq(try_compute(c, "T", "2024-Q3", "A3"), 0);
	ck_assert_int_eq(try_compute(c, "T", "2024-Q5", NULL), ERR_USAGE);
	ck_assert_int_eq(try_compute(c, "T", "2024Q1", NULL), ERR_USAGE);
	/* 2023-Q2 ends 2023-06-30, before T started (2023-09-30) */
	ck_assert_int_eq(try_compute(c, "T", "2023-Q2", NULL), ERR_NOTFOUND);

	/* 2023-Q3 ends on 2023-09-30 = started_on: valid, with no agreement in scope */
	r = compute(c, "T", "2023-Q3");
	ck_assert_int_eq(r->n_agreements, 0);
	ind_result_free(r);

	/* one agreement: its scorecard only, the policy's still computed */
	r = compute_opt(
		c, &(struct run_options){.policy = "T", .period = "2024-Q2", .agreement = "A1"});
	ck_assert_int_eq(r->n_agreements, 1);
	ck_assert_str_eq(r->agreements[0]->agreement_code, "A1");
	ck_assert_int_eq(r->policy->level, CAT_POLICY);
	ind_result_free(r);

	testdb_drop(ci, c);
}
END_TEST

/* ---- qualitative evidence ------------------------------------------------------ */

/* The codes a scorecard lists, space-separated, into buf. */
static const char *evidence_list(const struct scorecard *sc, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < sc->n_evidence; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? " " : "",
			 sc->evidence[i].code);
	return buf;
}

START_TEST(test_compute_evidence)
{
	char *ci, buf[128];
	db *c;
	struct ind_result *r;
	struct scorecard *p, *a1, *a2;

	testdb_create(&ci, &c);
	base_dataset(c);
	exec_sql(c, "INSERT INTO evidence (code, policy_code, agreement_code, neighbourhood_code,"
		    " recorded_on, kind, title, summary, participants) VALUES"
		    " ('EV1', 'T', 'A1', NULL, '2024-06-30', 'interview', 'I', 'Riga\nriga', 1),"
		    " ('EV2', 'T', 'A1', NULL, '2024-07-01', 'interview', 'I', 'Dopo', NULL),"
		    " ('EV3', 'T', NULL, 'N2', '2024-04-01', 'focus_group', 'F', 'N2', 9),"
		    " ('EV4', 'T', NULL, NULL, '2024-03-31', 'document', 'D', 'Prima', NULL),"
		    " ('EV5', 'T', 'A3', NULL, '2024-06-15', 'observation', 'O', 'A3', NULL),"
		    " ('EV6', 'U', 'U1', NULL, '2024-05-01', 'interview', 'I', 'U', 2),"
		    " ('EV7', 'T', 'A2', NULL, '2024-05-01', 'interview', 'I', 'A2', NULL)");
	r = compute(c, "T", "2024-Q2");
	p = r->policy;
	a1 = agreement(r, "A1");
	a2 = agreement(r, "A2");
	/* P lists T's records within 2024-04-01..D, newest first: EV1 (D), EV5
	 * (A3 is not in scope at D, its record is still the policy's), EV7,
	 * EV3 (the first day); not EV4 (03-31), EV2 (D+1) nor U's EV6. Recorded
	 * by D: EV1, EV3, EV4, EV5, EV7 = 5 */
	ck_assert_str_eq(evidence_list(p, buf, sizeof(buf)), "EV1 EV5 EV7 EV3");
	ck_assert_int_eq(p->evidence_total, 5);
	/* A1: EV1 (EV2 is D+1); A2: EV7 */
	ck_assert_str_eq(evidence_list(a1, buf, sizeof(buf)), "EV1");
	ck_assert_int_eq(a1->evidence_total, 1);
	ck_assert_str_eq(a1->evidence[0].summary, "Riga\nriga");
	ck_assert(a1->evidence[0].participants.set && a1->evidence[0].participants.v == 1);
	ck_assert_str_eq(evidence_list(a2, buf, sizeof(buf)), "EV7");
	ck_assert_int_eq(a2->evidence_total, 1);
	/* evidence never changes a number: out.meetings of A1 is still 3 (M0,
	 * M1, M2), as in test_compute_output */
	VAL(a1, "out.meetings", 3, EXACT);
	ind_result_free(r);

	/* 2024-Q1 (2024-01-01..03-31): P lists EV4 alone, recorded 1; A1 none */
	r = compute(c, "T", "2024-Q1");
	ck_assert_str_eq(evidence_list(r->policy, buf, sizeof(buf)), "EV4");
	ck_assert_int_eq(r->policy->evidence_total, 1);
	a1 = agreement(r, "A1");
	ck_assert_str_eq(evidence_list(a1, buf, sizeof(buf)), "");
	ck_assert_int_eq(a1->evidence_total, 0);
	ind_result_free(r);
	testdb_drop(ci, c);
}
END_TEST

/* What db_exec_parts handed on: the parts' sizes and the sum of their
 * column n; fail_at (when > 0) makes the part numbered so fail. */
struct parts_seen {
	int nparts, sizes[8];
	long long sum;
	int fail_at;
};

static int see_part(void *ctx, rows *part)
{
	struct parts_seen *s = ctx;
	long long v;
	int i;

	ck_assert_int_lt(s->nparts, 8);
	s->sizes[s->nparts++] = part->nrows;
	for (i = 0; i < part->nrows; i++) {
		ck_assert_int_eq(rows_get_long(part, i, rows_col(part, "n"), &v), 0);
		s->sum += v;
	}
	rows_free(part);
	return s->nparts == s->fail_at ? err_set(ERR_FAIL, "part %d refused", s->nparts) : 0;
}

/* The rows of a statement come in parts of exactly part_rows and a shorter
 * last one (empty when they divide evenly), in order; a failure of the
 * server after some parts, or of the taker, is returned and leaves the
 * connection ready for the next statement. */
START_TEST(test_compute_rows_in_parts)
{
	const char *sql = "SELECT g AS n FROM generate_series(1, $1::int) g ORDER BY g";
	const char *seven[] = {"7"}, *six[] = {"6"}, *none[] = {"0"};
	struct parts_seen s = {0};
	char *ci = NULL;
	db *c = NULL;
	long long v = 0;

	testdb_create(&ci, &c);
	/* 7 rows in parts of 3: 3, 3, 1; 1 + ... + 7 = 28 */
	ck_assert_msg(db_exec_parts(c, sql, 1, seven, 3, see_part, &s) == 0, "%s", err_last());
	ck_assert_int_eq(s.nparts, 3);
	ck_assert_int_eq(s.sizes[0], 3);
	ck_assert_int_eq(s.sizes[1], 3);
	ck_assert_int_eq(s.sizes[2], 1);
	ck_assert_int_eq(s.sum, 28);
	/* 6 rows: 3, 3 and an empty last part; 1 + ... + 6 = 21 */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(db_exec_parts(c, sql, 1, six, 3, see_part, &s), 0);
	ck_assert_int_eq(s.nparts, 3);
	ck_assert_int_eq(s.sizes[2], 0);
	ck_assert_int_eq(s.sum, 21);
	/* no rows: one empty part, with the columns */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(db_exec_parts(c, sql, 1, none, 3, see_part, &s), 0);
	ck_assert_int_eq(s.nparts, 1);
	ck_assert_int_eq(s.sizes[0], 0);
	/* the taker refuses the first part: nothing more is handed on */
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;
	ck_assert_int_eq(db_exec_parts(c, sql, 1, seven, 3, see_part, &s), ERR_FAIL);
	ck_assert_str_eq(err_last(), "part 1 refused");
	ck_assert_int_eq(s.nparts, 1);
	ck_assert_int_eq(db_exec_long(c, "SELECT 42", &v), 0);
	ck_assert_int_eq(v, 42);
	/* the server fails at row 4 (12 / 0) after rows 1-3 were sent; rows 1-2
	 * were handed on as one part: 12 / 3 + 12 / 2 = 10 */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(db_exec_parts(c, "SELECT 12 / (4 - g) AS n FROM generate_series(1, 6) g",
				       0, NULL, 2, see_part, &s),
			 ERR_FAIL);
	ck_assert_str_eq(err_last(), "division by zero");
	ck_assert_int_eq(s.nparts, 1);
	ck_assert_int_eq(s.sum, 10);
	ck_assert_int_eq(db_exec_long(c, "SELECT 43", &v), 0);
	ck_assert_int_eq(v, 43);
	testdb_drop(ci, c);
}
END_TEST

Suite *compute_suite(void)
{
	Suite *s = suite_create("compute");
	TCase *tc = tcase_create("compute");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_compute_output);
	tcase_add_test(tc, test_compute_efficiency);
	tcase_add_test(tc, test_compute_days_to_signature_median);
	tcase_add_test(tc, test_compute_zero_denominators);
	tcase_add_test(tc, test_compute_milestones);
	tcase_add_test(tc, test_compute_organisational);
	tcase_add_test(tc, test_compute_ex_ante_status);
	tcase_add_test(tc, test_compute_surveys);
	tcase_add_test(tc, test_compute_paired_change);
	tcase_add_test(tc, test_compute_welch);
	tcase_add_test(tc, test_compute_partners);
	tcase_add_test(tc, test_compute_previous);
	tcase_add_test(tc, test_compute_decision);
	tcase_add_test(tc, test_compute_sensitivity);
	tcase_add_test(tc, test_compute_bad_input);
	tcase_add_test(tc, test_compute_evidence);
	tcase_add_test(tc, test_compute_territory);
	tcase_add_test(tc, test_compute_neighbourhood_command);
	tcase_add_test(tc, test_compute_territory_no_suppressed_value_recoverable);
	tcase_add_test(tc, test_compute_rows_in_parts);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(compute_suite)

/* Unit tests of indicators/suppress: complementary suppression on hand-made
 * cells. Each expectation is worked out in the comment beside it from
 * docs/METHOD.md ("Complementary suppression"): S starts as the primary
 * cells; while S has fewer than two agreements or its n (Welch: n0 and n1)
 * sum below min_cell, the published cell with the smallest n (ties: code in
 * byte order) joins S as secondary; when none is left, the policy's value is
 * withheld too. */
#include "check_main.h"

#include "err.h"
#include "suppress.h"

#include <string.h>

/* A cell whose count is its n (every indicator but Welch). */
static struct sup_cell cell(const char *code, long long n, enum sc_suppression s)
{
	struct sup_cell c = {code, n, {n, 0}, s};

	return c;
}

/* A Welch cell: n = n0 + n1, as the scorecard publishes it. */
static struct sup_cell welch(const char *code, long long n0, long long n1, enum sc_suppression s)
{
	struct sup_cell c = {code, n0 + n1, {n0, n1}, s};

	return c;
}

/* Runs the rule and returns *policy (asserting success). */
static int complete(struct sup_cell *cells, int n, int ncounts, long long min_cell)
{
	int policy = -1;

	ck_assert_msg(sup_complete(cells, n, ncounts, min_cell, &policy) == 0, "%s", err_last());
	ck_assert(policy == 0 || policy == 1);
	return policy;
}

/* The suppression of the cell with that code after the rule. */
static enum sc_suppression of(const struct sup_cell *cells, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(cells[i].code, code) == 0)
			return cells[i].suppression;
	ck_abort_msg("no cell %s", code);
	return SUP_NONE;
}

START_TEST(test_suppress_nothing_without_primary)
{
	/* min_cell 5, every n >= 5 and nothing primary: S is empty, nothing
	 * changes, the policy is published */
	struct sup_cell c[] = {cell("A", 5, SUP_NONE), cell("B", 9, SUP_NONE)};

	ck_assert_int_eq(complete(c, 2, 1, 5), 0);
	ck_assert_int_eq(of(c, 2, "A"), SUP_NONE);
	ck_assert_int_eq(of(c, 2, "B"), SUP_NONE);
	/* no cell at all (no agreement in scope): nothing to do */
	ck_assert_int_eq(complete(c, 0, 1, 5), 0);
}
END_TEST

START_TEST(test_suppress_one_primary)
{
	/* min_cell 5. S = {A} (n 2, primary): one agreement only, so the
	 * smallest published n joins: C (7) before D (9) and B (12).
	 * S = {A, C}: two agreements, 2 + 7 = 9 >= 5 -> done. Without C, the
	 * policy value x n minus B's and D's would give A's value back. */
	struct sup_cell c[] = {cell("A", 2, SUP_PRIMARY), cell("B", 12, SUP_NONE),
			       cell("C", 7, SUP_NONE), cell("D", 9, SUP_NONE)};

	ck_assert_int_eq(complete(c, 4, 1, 5), 0);
	ck_assert_int_eq(of(c, 4, "A"), SUP_PRIMARY);
	ck_assert_int_eq(of(c, 4, "B"), SUP_NONE);
	ck_assert_int_eq(of(c, 4, "C"), SUP_SECONDARY);
	ck_assert_int_eq(of(c, 4, "D"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_two_primary_below_min_cell)
{
	/* min_cell 5. S = {A (1), B (2)}: two agreements but 1 + 2 = 3 < 5: their
	 * pooled value would come back from the policy's. The smallest published
	 * n joins: C (6, before D 8). S = {A, B, C}: 1 + 2 + 6 = 9 >= 5 -> done */
	struct sup_cell c[] = {cell("D", 8, SUP_NONE), cell("A", 1, SUP_PRIMARY),
			       cell("C", 6, SUP_NONE), cell("B", 2, SUP_PRIMARY)};

	ck_assert_int_eq(complete(c, 4, 1, 5), 0);
	ck_assert_int_eq(of(c, 4, "A"), SUP_PRIMARY);
	ck_assert_int_eq(of(c, 4, "B"), SUP_PRIMARY);
	ck_assert_int_eq(of(c, 4, "C"), SUP_SECONDARY);
	ck_assert_int_eq(of(c, 4, "D"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_two_primary_enough)
{
	/* min_cell 5. S = {A (2), B (3)}: two agreements and 2 + 3 = 5, exactly
	 * min_cell (the rule asks "at least") -> nothing more is withheld */
	struct sup_cell c[] = {cell("A", 2, SUP_PRIMARY), cell("B", 3, SUP_PRIMARY),
			       cell("C", 6, SUP_NONE)};

	ck_assert_int_eq(complete(c, 3, 1, 5), 0);
	ck_assert_int_eq(of(c, 3, "C"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_welch_n1_short)
{
	/* min_cell 5, Welch. A (n0 4, n1 1) and B (n0 3, n1 2) are primary.
	 * S = {A, B}: n0 4 + 3 = 7 >= 5 suffices, n1 1 + 2 = 3 < 5 does not. The
	 * smallest published n = n0 + n1 joins: D (5 + 6 = 11) before C (9 + 5 =
	 * 14), though C has the smaller n1. S = {A, B, D}: n0 12, n1 9 -> done */
	struct sup_cell c[] = {welch("A", 4, 1, SUP_PRIMARY), welch("B", 3, 2, SUP_PRIMARY),
			       welch("C", 9, 5, SUP_NONE), welch("D", 5, 6, SUP_NONE)};
	struct sup_cell n0_only[4];

	memcpy(n0_only, c, sizeof(c));
	ck_assert_int_eq(complete(c, 4, 2, 5), 0);
	ck_assert_int_eq(of(c, 4, "C"), SUP_NONE);
	ck_assert_int_eq(of(c, 4, "D"), SUP_SECONDARY);
	/* Counting n0 alone (ncounts 1), the same S would be enough: n1 is what
	 * made D join */
	ck_assert_int_eq(complete(n0_only, 4, 1, 5), 0);
	ck_assert_int_eq(of(n0_only, 4, "C"), SUP_NONE);
	ck_assert_int_eq(of(n0_only, 4, "D"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_policy_withheld)
{
	/* min_cell 5. The policy's only agreements A (1) and B (2) are both
	 * primary: S = {A, B} holds 3 < 5 and no agreement is left to add, so the
	 * policy's value (pooling exactly these 3 respondents) is withheld */
	struct sup_cell c[] = {cell("A", 1, SUP_PRIMARY), cell("B", 2, SUP_PRIMARY)};
	/* One agreement in scope, n 3: S = {A} can never hold two agreements;
	 * the policy's value is A's */
	struct sup_cell one[] = {cell("A", 3, SUP_PRIMARY)};
	/* min_cell 5, Welch: A (n0 2, n1 3) and B (n0 6, n1 1) are both
	 * primary (A: n0 2 < 5, B: n1 1 < 5); S = {A, B}: n0 8 >= 5 but n1 4 < 5, nothing
	 * left -> the policy is withheld */
	struct sup_cell w[] = {welch("A", 2, 3, SUP_PRIMARY), welch("B", 6, 1, SUP_PRIMARY)};

	ck_assert_int_eq(complete(c, 2, 1, 5), 1);
	ck_assert_int_eq(of(c, 2, "A"), SUP_PRIMARY);
	ck_assert_int_eq(of(c, 2, "B"), SUP_PRIMARY);
	ck_assert_int_eq(complete(one, 1, 1, 5), 1);
	ck_assert_int_eq(complete(w, 2, 2, 5), 1);
}
END_TEST

START_TEST(test_suppress_policy_withheld_after_adding)
{
	/* min_cell 10 (cells as a caller might hand them in, with a published n
	 * below it). S = {A (1)}; B (3) joins as the smallest: {A, B} = 4 < 10;
	 * C (4) joins: 8 < 10; nothing left -> B and C secondary, policy withheld */
	struct sup_cell c[] = {cell("C", 4, SUP_NONE), cell("A", 1, SUP_PRIMARY),
			       cell("B", 3, SUP_NONE)};

	ck_assert_int_eq(complete(c, 3, 1, 10), 1);
	ck_assert_int_eq(of(c, 3, "A"), SUP_PRIMARY);
	ck_assert_int_eq(of(c, 3, "B"), SUP_SECONDARY);
	ck_assert_int_eq(of(c, 3, "C"), SUP_SECONDARY);
}
END_TEST

START_TEST(test_suppress_n_zero_is_primary)
{
	/* min_cell 5. A has no respondent (n 0, primary by the rule above):
	 * S = {A} is one agreement, so the smallest published joins, B (5) before
	 * C (8): {A, B} = 0 + 5 = 5 >= 5 -> done */
	struct sup_cell c[] = {cell("C", 8, SUP_NONE), cell("B", 5, SUP_NONE),
			       cell("A", 0, SUP_PRIMARY)};

	ck_assert_int_eq(complete(c, 3, 1, 5), 0);
	ck_assert_int_eq(of(c, 3, "B"), SUP_SECONDARY);
	ck_assert_int_eq(of(c, 3, "C"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_ties_by_code)
{
	/* min_cell 5. S = {QUA-03 (2)}. QUA-10 and QUA-09 tie on n 6: byte order
	 * puts "QUA-09" first ('0' 0x30 < '1' 0x31) -> QUA-09 secondary, QUA-10
	 * and QUA-11 (7) not. */
	struct sup_cell c[] = {cell("QUA-10", 6, SUP_NONE), cell("QUA-11", 7, SUP_NONE),
			       cell("QUA-09", 6, SUP_NONE), cell("QUA-03", 2, SUP_PRIMARY)};
	/* Byte order, not a locale's: "Zeta" (0x5A) comes before "alfa" (0x61),
	 * though a case-insensitive collation would put alfa first */
	struct sup_cell b[] = {cell("alfa", 6, SUP_NONE), cell("Zeta", 6, SUP_NONE),
			       cell("mu", 1, SUP_PRIMARY)};

	ck_assert_int_eq(complete(c, 4, 1, 5), 0);
	ck_assert_int_eq(of(c, 4, "QUA-09"), SUP_SECONDARY);
	ck_assert_int_eq(of(c, 4, "QUA-10"), SUP_NONE);
	ck_assert_int_eq(of(c, 4, "QUA-11"), SUP_NONE);
	ck_assert_int_eq(complete(b, 3, 1, 5), 0);
	ck_assert_int_eq(of(b, 3, "Zeta"), SUP_SECONDARY);
	ck_assert_int_eq(of(b, 3, "alfa"), SUP_NONE);
}
END_TEST

START_TEST(test_suppress_bad_arguments)
{
	struct sup_cell c[] = {cell("A", 1, SUP_PRIMARY), cell("B", 9, SUP_NONE)};
	int policy = 7;

	/* ncounts must be 1 or 2, ncells >= 0: refused, nothing written */
	ck_assert_int_eq(sup_complete(c, 2, 3, 5, &policy), ERR_FAIL);
	ck_assert_int_eq(sup_complete(c, 2, 0, 5, &policy), ERR_FAIL);
	ck_assert_int_eq(sup_complete(c, -1, 1, 5, &policy), ERR_FAIL);
	ck_assert_int_eq(policy, 7);
	ck_assert_int_eq(of(c, 2, "B"), SUP_NONE);
	ck_assert_ptr_nonnull(strstr(err_last(), "complementary suppression"));
}
END_TEST

/* ---- the territory rule: a neighbourhood's value is withheld unless every
 * covering agreement with respondents has its value published ---------- */

/* Runs sup_territory and returns *withhold (asserting success). */
static int territory(const struct sup_cell *cells, int n)
{
	int hide = -1;

	ck_assert_msg(sup_territory(cells, n, &hide) == 0, "%s", err_last());
	ck_assert(hide == 0 || hide == 1);
	return hide;
}

START_TEST(test_suppress_territory_all_published)
{
	/* both covering agreements published: the neighbourhood tells nothing
	 * they do not, so it is published */
	struct sup_cell c[] = {cell("A", 5, SUP_NONE), cell("B", 9, SUP_NONE)};

	ck_assert_int_eq(territory(c, 2), 0);
	/* no covering agreement in scope at that date: nothing to protect */
	ck_assert_int_eq(territory(c, 0), 0);
}
END_TEST

START_TEST(test_suppress_territory_one_withheld)
{
	/* B withheld, primary or secondary: the neighbourhood's pooled value
	 * less A's would give B back, so it is withheld */
	struct sup_cell p[] = {cell("A", 5, SUP_NONE), cell("B", 2, SUP_PRIMARY)};
	struct sup_cell s2[] = {cell("A", 5, SUP_NONE), cell("B", 7, SUP_SECONDARY)};

	ck_assert_int_eq(territory(p, 2), 1);
	ck_assert_int_eq(territory(s2, 2), 1);
	/* a single covering agreement withheld: the neighbourhood is that
	 * agreement */
	ck_assert_int_eq(territory(&s2[1], 1), 1);
}
END_TEST

START_TEST(test_suppress_territory_no_respondents)
{
	/* B has no respondent at all (n 0: primary, but it adds nothing to the
	 * pool): the neighbourhood is A's value, published */
	struct sup_cell c[] = {cell("A", 5, SUP_NONE), cell("B", 0, SUP_PRIMARY)};
	/* Welch: n0 0 and n1 3 is respondents all the same */
	struct sup_cell w[] = {welch("A", 4, 4, SUP_NONE), welch("B", 0, 3, SUP_PRIMARY)};
	struct sup_cell z[] = {welch("A", 4, 4, SUP_NONE), welch("B", 0, 0, SUP_PRIMARY)};

	ck_assert_int_eq(territory(c, 2), 0);
	ck_assert_int_eq(territory(w, 2), 1);
	ck_assert_int_eq(territory(z, 2), 0);
}
END_TEST

START_TEST(test_suppress_territory_bad_arguments)
{
	struct sup_cell c[] = {cell("A", 5, SUP_PRIMARY)};
	int hide = 7;

	ck_assert_int_eq(sup_territory(c, -1, &hide), ERR_FAIL);
	ck_assert_int_eq(hide, 7); /* unchanged on failure */
}
END_TEST

Suite *suppress_suite(void)
{
	Suite *s = suite_create("suppress");
	TCase *tc = tcase_create("suppress");

	tcase_add_test(tc, test_suppress_nothing_without_primary);
	tcase_add_test(tc, test_suppress_one_primary);
	tcase_add_test(tc, test_suppress_two_primary_below_min_cell);
	tcase_add_test(tc, test_suppress_two_primary_enough);
	tcase_add_test(tc, test_suppress_welch_n1_short);
	tcase_add_test(tc, test_suppress_policy_withheld);
	tcase_add_test(tc, test_suppress_policy_withheld_after_adding);
	tcase_add_test(tc, test_suppress_n_zero_is_primary);
	tcase_add_test(tc, test_suppress_ties_by_code);
	tcase_add_test(tc, test_suppress_bad_arguments);
	tcase_add_test(tc, test_suppress_territory_all_published);
	tcase_add_test(tc, test_suppress_territory_one_withheld);
	tcase_add_test(tc, test_suppress_territory_no_respondents);
	tcase_add_test(tc, test_suppress_territory_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suppress_suite)

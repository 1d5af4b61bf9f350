/* Unit tests of the evidence index (indicators/evidence.c) with rows built
 * by hand: which records each level lists, the period's bounds, the order,
 * the totals. No database.
 *
 * The period is 2024-Q2: start 2024-04-01, end 2024-06-30. The records, in
 * no particular order (the index sorts them):
 *
 *   code kind         recorded_on place          participants
 *   E06  focus_group  2024-07-01  N1             -   after the end
 *   E03  observation  2024-04-01  policy         -   on the start
 *   E09  observation  2024-05-10  A1             -
 *   E02  interview    2024-06-30  A1             1   on the end
 *   E07  interview    2024-02-01  A1             -   before the start
 *   E05  interview    2024-05-10  A2             -
 *   E01  focus_group  2024-05-10  N1            12
 *   E04  document     2024-03-31  policy         -   the day before the start
 *   E08  focus_group  2024-06-01  N2             7
 *
 * E01, E05 and E09 share a date: their order is by code. */
#include "check_main.h"

#include "err.h"
#include "evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cols[] = {"code",    "kind",	      "recorded_on", "title",
				   "summary", "participants", "agreement",   "neighbourhood"};

static const char *const cells[9][8] = {
	{"E06", "focus_group", "2024-07-01", "Dopo il periodo", "Fuori", NULL, NULL, "N1"},
	{"E03", "observation", "2024-04-01", "Inizio", "Il primo giorno", NULL, NULL, NULL},
	{"E09", "observation", "2024-05-10", "Cantiere", "Lavori al parco", NULL, "A1", NULL},
	{"E02", "interview", "2024-06-30", "Referente", "Riga uno\n\triga due", "1", "A1", NULL},
	{"E07", "interview", "2024-02-01", "Prima", "Prima del periodo", NULL, "A1", NULL},
	{"E05", "interview", "2024-05-10", "Custode", "Il custode", NULL, "A2", NULL},
	{"E01", "focus_group", "2024-05-10", "Qualità della vita", "Città «sicura»", "12", NULL,
	 "N1"},
	{"E04", "document", "2024-03-31", "Relazione", "Il giorno prima", NULL, NULL, NULL},
	{"E08", "focus_group", "2024-06-01", "Gruppo N2", "Ospizio", "7", NULL, "N2"},
};

static rows *records;
static struct ind_evidence *index_;

static void setup(void)
{
	ck_assert_int_eq(rows_from_strings(9, 8, cols, &cells[0][0], &records), 0);
	ck_assert_msg(ind_evidence_new(records, &index_) == 0, "%s", err_last());
}

static void teardown(void)
{
	ind_evidence_free(index_);
	rows_free(records);
	index_ = NULL;
	records = NULL;
}

/* A scorecard of `level` for 2024-Q2 (no place set). */
static struct scorecard *card(enum cat_level level)
{
	struct scorecard *sc = NULL;

	ck_assert_int_eq(sc_new(level, &sc), 0);
	snprintf(sc->period_start, sizeof(sc->period_start), "2024-04-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2024-06-30");
	return sc;
}

/* A neighbourhood's card covered by `n` agreements. */
static struct scorecard *neighbourhood_card(const char *code, const char *const *covering, int n)
{
	struct scorecard *sc = card(CAT_NEIGHBOURHOOD);
	int i;

	sc->neighbourhood.code = strdup(code);
	sc->covering = calloc(n ? n : 1, sizeof(*sc->covering));
	ck_assert(sc->neighbourhood.code && sc->covering);
	for (i = 0; i < n; i++) {
		sc->covering[i].code = strdup(covering[i]);
		ck_assert(sc->covering[i].code);
	}
	sc->n_covering = n;
	return sc;
}

static void fill(struct scorecard *sc)
{
	ck_assert_msg(ind_evidence_fill(index_, sc) == 0, "%s", err_last());
}

/* The codes listed, space-separated, into buf. */
static const char *listed(const struct scorecard *sc, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < sc->n_evidence; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? " " : "",
			 sc->evidence[i].code);
	return buf;
}

#define LISTS(sc, expected)                                                                        \
	do {                                                                                       \
		char buf_[256];                                                                    \
		ck_assert_str_eq(listed(sc, buf_, sizeof(buf_)), expected);                        \
	} while (0)

START_TEST(test_evidence_agreement)
{
	struct scorecard *a1 = card(CAT_AGREEMENT), *a2 = card(CAT_AGREEMENT),
			 *a3 = card(CAT_AGREEMENT);

	a1->agreement_code = strdup("A1");
	a2->agreement_code = strdup("A2");
	a3->agreement_code = strdup("A3");
	fill(a1);
	fill(a2);
	fill(a3);
	/* A1's records are E02, E07, E09: E02 (on the end) and E09 are within
	 * the period, newest first; E07 (2024-02-01) is before its start but
	 * recorded by its end, so the total is 3. The policy's and the
	 * neighbourhoods' records are not A1's. */
	LISTS(a1, "E02 E09");
	ck_assert_int_eq(a1->evidence_total, 3);
	/* A2: E05 alone */
	LISTS(a2, "E05");
	ck_assert_int_eq(a2->evidence_total, 1);
	/* A3 has none: an empty list, a total of 0 */
	LISTS(a3, "");
	ck_assert_int_eq(a3->evidence_total, 0);
	sc_free(a1);
	sc_free(a2);
	sc_free(a3);
}
END_TEST

START_TEST(test_evidence_policy)
{
	struct scorecard *p = card(CAT_POLICY);

	fill(p);
	/* every record within 2024-04-01..2024-06-30, newest first: E02
	 * (06-30), E08 (06-01), then E01, E05, E09 (05-10, by code), E03
	 * (04-01, the start itself); not E04 (03-31), E07 (02-01), E06
	 * (07-01) */
	LISTS(p, "E02 E08 E01 E05 E09 E03");
	/* recorded by the end: all but E06, 8 of 9 */
	ck_assert_int_eq(p->evidence_total, 8);
	sc_free(p);
}
END_TEST

START_TEST(test_evidence_neighbourhood)
{
	static const char *const n1_covering[] = {"A2", "A1"};
	static const char *const twice[] = {"A1", "A2", "A1"};
	static const char *const none[] = {"A3"};
	struct scorecard *n1 = neighbourhood_card("N1", n1_covering, 2),
			 *n1_twice = neighbourhood_card("N1", twice, 3),
			 *n2 = neighbourhood_card("N2", NULL, 0),
			 *n3 = neighbourhood_card("N3", none, 1);

	fill(n1);
	fill(n1_twice);
	fill(n2);
	fill(n3);
	/* N1's own (E01; E06 is after the end) and its covering agreements'
	 * (A1: E02, E09, E07 before the start; A2: E05), merged newest first:
	 * E02 (06-30), then E01, E05, E09 (05-10, by code) */
	LISTS(n1, "E02 E01 E05 E09");
	/* recorded by the end: E01, E02, E05, E07, E09 */
	ck_assert_int_eq(n1->evidence_total, 5);
	/* an agreement named twice adds its records once */
	LISTS(n1_twice, "E02 E01 E05 E09");
	ck_assert_int_eq(n1_twice->evidence_total, 5);
	/* N2: its own E08; not the policy-wide E03 and E04 */
	LISTS(n2, "E08");
	ck_assert_int_eq(n2->evidence_total, 1);
	/* N3 and A3 have none */
	LISTS(n3, "");
	ck_assert_int_eq(n3->evidence_total, 0);
	sc_free(n1);
	sc_free(n1_twice);
	sc_free(n2);
	sc_free(n3);
}
END_TEST

START_TEST(test_evidence_copies_fields)
{
	struct scorecard *p = card(CAT_POLICY);
	const struct sc_evidence *e;

	fill(p);
	/* E02, first: an interview of A1 with 1 participant; the summary as
	 * written, newline and tab kept */
	e = &p->evidence[0];
	ck_assert_str_eq(e->code, "E02");
	ck_assert_str_eq(e->kind, "interview");
	ck_assert_str_eq(e->recorded_on, "2024-06-30");
	ck_assert_str_eq(e->title, "Referente");
	ck_assert_str_eq(e->summary, "Riga uno\n\triga due");
	ck_assert(e->participants.set && e->participants.v == 1);
	ck_assert_str_eq(e->agreement_code, "A1");
	ck_assert_ptr_null(e->neighbourhood_code);
	/* E01, third: N1's focus group of 12 */
	e = &p->evidence[2];
	ck_assert_str_eq(e->code, "E01");
	ck_assert_str_eq(e->summary, "Città «sicura»");
	ck_assert(e->participants.set && e->participants.v == 12);
	ck_assert_ptr_null(e->agreement_code);
	ck_assert_str_eq(e->neighbourhood_code, "N1");
	/* E03, last: policy-wide, no participants */
	e = &p->evidence[5];
	ck_assert_str_eq(e->code, "E03");
	ck_assert(!e->participants.set);
	ck_assert_ptr_null(e->agreement_code);
	ck_assert_ptr_null(e->neighbourhood_code);
	/* copies: the rows may go, the card keeps its text */
	ind_evidence_free(index_);
	rows_free(records);
	index_ = NULL;
	records = NULL;
	ck_assert_str_eq(p->evidence[1].title, "Gruppo N2");
	sc_free(p);
}
END_TEST

START_TEST(test_evidence_period_bounds)
{
	struct scorecard *p = card(CAT_POLICY);

	/* the period 2024-Q1 (01-01..03-31): E04 on its end and E07; every
	 * record up to 03-31 is one of those two */
	snprintf(p->period_start, sizeof(p->period_start), "2024-01-01");
	snprintf(p->period_end, sizeof(p->period_end), "2024-03-31");
	fill(p);
	LISTS(p, "E04 E07");
	ck_assert_int_eq(p->evidence_total, 2);
	/* filled again for 2024-Q3 (07-01..09-30): the list is replaced by E06
	 * alone, and the total is every record, 9 */
	snprintf(p->period_start, sizeof(p->period_start), "2024-07-01");
	snprintf(p->period_end, sizeof(p->period_end), "2024-09-30");
	fill(p);
	LISTS(p, "E06");
	ck_assert_int_eq(p->evidence_total, 9);
	sc_free(p);
}
END_TEST

START_TEST(test_evidence_no_rows)
{
	struct ind_evidence *empty = NULL;
	struct scorecard *p = card(CAT_POLICY), *a = card(CAT_AGREEMENT);
	rows *r = NULL;

	ck_assert_int_eq(rows_new(0, 8, cols, &r), 0);
	ck_assert_int_eq(ind_evidence_new(r, &empty), 0);
	a->agreement_code = strdup("A1");
	ck_assert_int_eq(ind_evidence_fill(empty, p), 0);
	ck_assert_int_eq(ind_evidence_fill(empty, a), 0);
	ck_assert_int_eq(p->n_evidence + a->n_evidence, 0);
	ck_assert_int_eq(p->evidence_total + a->evidence_total, 0);
	ind_evidence_free(empty);
	rows_free(r);
	sc_free(p);
	sc_free(a);
}
END_TEST

START_TEST(test_evidence_missing_column)
{
	struct ind_evidence *ev = NULL;
	rows *r = NULL;

	/* the first seven columns only: no neighbourhood */
	ck_assert_int_eq(rows_new(0, 7, cols, &r), 0);
	ck_assert_int_eq(ind_evidence_new(r, &ev), ERR_FAIL);
	ck_assert_ptr_null(ev);
	ck_assert_str_eq(err_last(), "query evidence: no column neighbourhood");
	rows_free(r);
}
END_TEST

/* 10,000 agreements with two records each, in a third of the cases one of
 * them before the period: each card lists its own, found by bisection. */
START_TEST(test_evidence_many_agreements)
{
	enum { N = 10000 };
	struct ind_evidence *ev = NULL;
	rows *r = NULL;
	char buf[64];
	int i, k;

	ck_assert_int_eq(rows_new(2 * N, 8, cols, &r), 0);
	for (i = 0; i < N; i++)
		for (k = 0; k < 2; k++) {
			int row = 2 * i + k;

			snprintf(buf, sizeof(buf), "E%05d-%d", i, k);
			ck_assert_int_eq(rows_set(r, row, 0, buf), 0);
			ck_assert_int_eq(rows_set(r, row, 1, "interview"), 0);
			/* record 0 on 05-01, record 1 on 06-01, or on 01-01 (before
			 * the period) when i is a multiple of 3 */
			ck_assert_int_eq(rows_set(r, row, 2,
						  k == 0       ? "2024-05-01"
						  : i % 3 == 0 ? "2024-01-01"
							       : "2024-06-01"),
					 0);
			ck_assert_int_eq(rows_set(r, row, 3, "T"), 0);
			ck_assert_int_eq(rows_set(r, row, 4, "S"), 0);
			ck_assert_int_eq(rows_set(r, row, 5, NULL), 0);
			snprintf(buf, sizeof(buf), "A%05d", i);
			ck_assert_int_eq(rows_set(r, row, 6, buf), 0);
			ck_assert_int_eq(rows_set(r, row, 7, NULL), 0);
		}
	ck_assert_int_eq(ind_evidence_new(r, &ev), 0);
	for (i = 0; i < N; i++) {
		struct scorecard *a = card(CAT_AGREEMENT);
		char expected[32];

		snprintf(buf, sizeof(buf), "A%05d", i);
		a->agreement_code = strdup(buf);
		ck_assert_int_eq(ind_evidence_fill(ev, a), 0);
		/* both recorded by the end; the second listed first when it is
		 * the newer (06-01), left out when it is before the start */
		if (i % 3 == 0)
			snprintf(expected, sizeof(expected), "E%05d-0", i);
		else
			snprintf(expected, sizeof(expected), "E%05d-1 E%05d-0", i, i);
		LISTS(a, expected);
		ck_assert_int_eq(a->evidence_total, 2);
		sc_free(a);
	}
	ind_evidence_free(ev);
	rows_free(r);
}
END_TEST

static Suite *evidence_suite(void)
{
	Suite *s = suite_create("evidence");
	TCase *tc = tcase_create("evidence");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_evidence_agreement);
	tcase_add_test(tc, test_evidence_policy);
	tcase_add_test(tc, test_evidence_neighbourhood);
	tcase_add_test(tc, test_evidence_copies_fields);
	tcase_add_test(tc, test_evidence_period_bounds);
	tcase_add_test(tc, test_evidence_no_rows);
	tcase_add_test(tc, test_evidence_missing_column);
	tcase_add_test(tc, test_evidence_many_agreements);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(evidence_suite)

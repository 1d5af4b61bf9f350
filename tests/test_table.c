/* table: colour only when asked, columns aligned by display width. */
#include "check_main.h"
#include "format.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_num(struct sc_num *n, double v)
{
	n->set = 1;
	n->v = v;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

static struct scorecard *card(enum cat_level level, const char *locale)
{
	struct scorecard *sc = NULL;
	struct sc_indicator *x;

	ck_assert_int_eq(sc_new(level, &sc), 0);
	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Quartieri in comune");
	sc->locale = xstrdup(locale);
	snprintf(sc->period, sizeof(sc->period), "2024-Q2");
	snprintf(sc->period_start, sizeof(sc->period_start), "2024-04-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2024-06-30");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2024-Q1");
	sc->snapshot = xstrdup("batch 42, 2024-07-02 10:00");

	x = sc_get(sc, "out.participants"); /* plain label */
	set_num(&x->value, 2415);
	set_num(&x->previous, 2301);
	set_num(&x->target, 2500);
	x->status = ST_AMBER;
	x = sc_get(sc, "out.signatories.business"); /* accented label */
	set_num(&x->value, 7);
	set_num(&x->target, 5);
	x->status = ST_GREEN;
	x = sc_get(sc, "eff.spent_eur.community_care"); /* accented label */
	set_num(&x->value, 1290000);
	x = sc_get(sc, "eft.milestones_on_time");
	set_num(&x->value, 40);
	set_num(&x->target, 80);
	x->status = ST_RED;
	x = sc_get(sc, "eft.agreement_quality");
	set_num(&x->value, 3.5);
	set_num(&x->n, 12);
	set_num(&x->ci_low, 3.12);
	set_num(&x->ci_high, 3.88);
	x = sc_get(sc, "eft.satisfaction");
	x->suppressed = 1;
	set_num(&x->n, 3);
	set_num(&sc->dims[DIM_OUTPUT].score, 91.2);
	set_num(&sc->dims[DIM_OUTPUT].coverage, 1.0);
	set_num(&sc->index, 78.4);
	sc_add_note(sc, SC_NOTE_AS_OF);
	if (level == CAT_AGREEMENT) {
		sc->agreement_code = xstrdup("QUA-01");
		sc->agreement_title = xstrdup("Piazza della comunità");
		sc->agreement_status = xstrdup("signed");
		sc->signed_on = xstrdup("2024-01-15");
		set_num(&sc->ex_ante[0], 4);
		set_num(&sc->ex_ante_mean, 4);
	} else {
		set_num(&sc->index_p05, 75.0);
		set_num(&sc->index_p95, 81.0);
		sc->ranks = calloc(1, sizeof(*sc->ranks));
		ck_assert_ptr_nonnull(sc->ranks);
		sc->n_ranks = 1;
		sc->ranks[0].agreement_code = xstrdup("QUA-01");
		sc->ranks[0].agreement_title = xstrdup("Piazza della comunità");
		set_num(&sc->ranks[0].index, 80.5);
		sc->ranks[0].rank = 1;
		set_num(&sc->ranks[0].rank_p05, 1);
		set_num(&sc->ranks[0].rank_p95, 2.5);
	}
	return sc;
}

static char *render(const struct scorecard *sc, int color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(rep_table_write(sc, f, color), 0);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

/* The line of `text` that contains `needle`, copied. */
static char *line_with(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle), *start, *end;

	ck_assert_msg(hit != NULL, "no line with %s in:\n%s", needle, text);
	for (start = hit; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(hit, '\n');
	return strndup(start, (size_t)(end ? end - start : (long)strlen(start)));
}

/* The display column just after the first `cell` following the label. */
static size_t end_col(const char *line, const char *label, const char *cell)
{
	const char *from = strstr(line, label), *hit;
	char *prefix;
	size_t w;

	ck_assert_ptr_nonnull(from);
	hit = strstr(from + strlen(label), cell);
	ck_assert_msg(hit != NULL, "%s not in %s", cell, line);
	prefix = strndup(line, (size_t)(hit - line) + strlen(cell));
	w = fmt_width(prefix);
	free(prefix);
	return w;
}

START_TEST(test_table_color_only_when_asked)
{
	struct scorecard *sc = card(CAT_AGREEMENT, "it");
	char *plain = render(sc, 0), *colour = render(sc, 1);

	ck_assert_ptr_null(strchr(plain, '\033'));
	ck_assert_ptr_nonnull(strstr(plain, "▲ giallo"));
	ck_assert_ptr_nonnull(strstr(colour, "\033[33m▲ giallo\033[0m"));
	ck_assert_ptr_nonnull(strstr(colour, "\033[32m● verde\033[0m"));
	ck_assert_ptr_nonnull(strstr(colour, "\033[31m■ rosso\033[0m"));
	/* stripped of its escapes, the coloured table is the plain one */
	{
		char *s = colour, *d = colour;

		while (*s) {
			if (*s == '\033') {
				while (*s && *s != 'm')
					s++;
				if (*s)
					s++;
				continue;
			}
			*d++ = *s++;
		}
		*d = '\0';
	}
	ck_assert_str_eq(colour, plain);
	free(plain);
	free(colour);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_alignment)
{
	struct scorecard *sc = card(CAT_AGREEMENT, "it");
	char *text = render(sc, 0);
	char *head = line_with(text, "Indicatore");
	char *plain = line_with(text, "Partecipanti ai percorsi");
	char *accented = line_with(text, "Sottoscrittori: attività economiche");
	char *eur = line_with(text, "Spesa sostenuta: cura della comunità");
	char *sup = line_with(text, "Soddisfazione per i progetti");
	size_t value_end = end_col(head, "Indicatore", "Valore");
	size_t target_end = end_col(head, "Indicatore", "Obiettivo");
	size_t status_start = end_col(head, "Indicatore", "Obiettivo") + 2;

	/* right-aligned numbers end where their heading ends */
	ck_assert_uint_eq(end_col(plain, "percorsi", "2.415"), value_end);
	ck_assert_uint_eq(end_col(accented, "economiche", "7"), value_end);
	ck_assert_uint_eq(end_col(eur, "comunità", "1.290.000 €"), value_end);
	ck_assert_uint_eq(end_col(sup, "progetti", "soppresso"), value_end);
	ck_assert_uint_eq(end_col(plain, "percorsi", "2.500"), target_end);
	ck_assert_uint_eq(end_col(accented, "economiche", "5"), target_end);
	/* left-aligned status starts at the same column */
	ck_assert_uint_eq(end_col(plain, "percorsi", "▲") - 1, status_start);
	ck_assert_uint_eq(end_col(accented, "economiche", "●") - 1, status_start);
	ck_assert_ptr_nonnull(strstr(plain, "+114"));
	ck_assert_ptr_nonnull(strstr(text, "[3,12 – 3,88]"));
	free(head);
	free(plain);
	free(accented);
	free(eur);
	free(sup);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_no_trailing_blanks)
{
	struct scorecard *sc = card(CAT_POLICY, "en");
	char *text = render(sc, 0), *p;

	for (p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
		ck_assert_msg(p == text || p[-1] != ' ', "trailing blank before offset %ld",
			      (long)(p - text));
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_agreement_sections)
{
	struct scorecard *sc = card(CAT_AGREEMENT, "it");
	char *text = render(sc, 0);

	ck_assert_ptr_nonnull(strstr(text, "QUA — Quartieri in comune"));
	ck_assert_ptr_nonnull(strstr(text, "QUA-01 — Piazza della comunità (sottoscritto)"));
	ck_assert_ptr_nonnull(strstr(text, "2024-Q2, dal 01/04/2024 al 30/06/2024"));
	ck_assert_ptr_nonnull(strstr(text, "30 giugno 2024"));
	ck_assert_ptr_nonnull(strstr(text, "sottoscritto 15/01/2024"));
	ck_assert_ptr_nonnull(strstr(text, "Efficienza\n"));
	ck_assert_ptr_nonnull(strstr(text, "soppresso"));
	ck_assert_ptr_nonnull(strstr(text, "Indice: 78,4"));
	ck_assert_ptr_nonnull(strstr(text, "Valutazione ex ante"));
	ck_assert_ptr_nonnull(strstr(text, "Fattibilità"));
	ck_assert_ptr_nonnull(strstr(text, "non superata"));
	/* the note on the as-of date, its fact period_end worded */
	ck_assert_ptr_nonnull(strstr(text, "  - Valori al 2024-06-30: contano tutti i dati"));
	ck_assert_ptr_null(strstr(text, "Accordi per indice"));
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_policy_sections)
{
	struct scorecard *sc = card(CAT_POLICY, "en");
	char *text = render(sc, 0);

	ck_assert_ptr_nonnull(strstr(text, "Policy"));
	ck_assert_ptr_null(strstr(text, "\nAgreement "));
	ck_assert_ptr_null(strstr(text, "\nLifecycle "));
	ck_assert_ptr_nonnull(strstr(text, "As of"));
	ck_assert_ptr_nonnull(strstr(text, "30 June 2024"));
	ck_assert_ptr_nonnull(strstr(text, "suppressed"));
	ck_assert_ptr_nonnull(strstr(text, "€1,290,000"));
	ck_assert_ptr_nonnull(strstr(text, "Index: 78.4 (weight sensitivity"));
	ck_assert_ptr_nonnull(strstr(text, "75.0 – 81.0"));
	ck_assert_ptr_nonnull(strstr(text, "Agreements by index"));
	ck_assert_ptr_nonnull(strstr(text, "1–2.5"));
	ck_assert_ptr_null(strstr(text, "Ex-ante"));
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_secondary_like_primary)
{
	/* eft.satisfaction is primary (card(): n 3). eft.agreement_quality is made
	 * secondary with the same n while the model still holds its value 3.5 and
	 * interval: after the label, both rows must read the same, "suppressed"
	 * with n 3 and no value, change, status or interval. */
	struct scorecard *sc = card(CAT_AGREEMENT, "en");
	struct sc_indicator *x = sc_get(sc, "eft.agreement_quality");
	char *text, *aq, *sat, *a, *b;

	x->suppressed = 1;
	x->suppression = SUP_SECONDARY;
	set_num(&x->n, 3);
	x->status = ST_GREEN;
	text = render(sc, 0);
	aq = line_with(text, "Agreement quality (survey)");
	sat = line_with(text, "Satisfaction with the projects");
	a = strstr(aq, "Agreement quality (survey)") + strlen("Agreement quality (survey)");
	b = strstr(sat, "Satisfaction with the projects") +
	    strlen("Satisfaction with the projects");
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "suppressed"));
	ck_assert_ptr_null(strstr(aq, "3.5"));
	ck_assert_ptr_null(strstr(aq, "3.12"));
	free(aq);
	free(sat);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_table_rows_aligned)
{
	static const char *const names[] = {"period", "revision", "by"};
	static const char *const cells[] = {"2024-Q2", "12", "anna", "2024-Q1", "3", NULL};
	static const char *const heads[] = {"PERIOD", "REVISION", "BY"};
	static const int right[] = {0, 1, 0};
	rows *r = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(rows_from_strings(2, 3, names, cells, &r), 0);
	f = open_memstream(&text, &len);
	ck_assert_int_eq(rep_table_write_rows(r, 3, heads, right, f), 0);
	fclose(f);
	/* widths: PERIOD 7 ("2024-Q2"), REVISION 8 (its heading), BY 4
	 * ("anna"); columns two spaces apart, REVISION right-aligned (6 and 7
	 * blanks before "12" and "3"), the null as "-", the last column
	 * unpadded: no trailing blank */
	ck_assert_str_eq(text, "PERIOD   REVISION  BY\n"
			       "2024-Q2        12  anna\n"
			       "2024-Q1         3  -\n");
	free(text);
	rows_free(r);
}
END_TEST

Suite *table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_table_color_only_when_asked);
	tcase_add_test(tc, test_table_alignment);
	tcase_add_test(tc, test_table_no_trailing_blanks);
	tcase_add_test(tc, test_table_agreement_sections);
	tcase_add_test(tc, test_table_policy_sections);
	tcase_add_test(tc, test_table_secondary_like_primary);
	tcase_add_test(tc, test_table_rows_aligned);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(table_suite)

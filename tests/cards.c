/* cards: see cards.h. */
#include "cards.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *card_strdup(const char *s)
{
	char *c = strdup(s);

	ck_assert_ptr_nonnull(c);
	return c;
}

struct sc_num card_num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

/* Sets an indicator: value, previous, target (NaN: none) and status. */
struct sc_indicator *card_set(struct scorecard *sc, const char *code, double value, double previous,
			      double target, enum sc_status status)
{
	struct sc_indicator *x = sc_get(sc, code);

	ck_assert_msg(x != NULL, "no indicator %s", code);
	x->value = card_num(value);
	if (!isnan(previous))
		x->previous = card_num(previous);
	if (!isnan(target)) {
		x->target = card_num(target);
		x->normalised = card_num(status == ST_GREEN ? 100.0 : 80.0);
	}
	x->status = status;
	return x;
}

void card_survey(struct sc_indicator *x, double n, double lo, double hi)
{
	x->n = card_num(n);
	x->ci_low = card_num(lo);
	x->ci_high = card_num(hi);
}

/* What both levels share: period, indicators, scores, trend, notes. */
void card_fill_common(struct scorecard *sc, const char *locale)
{
	const double nan = NAN;
	struct sc_indicator *x;
	int i, k;

	sc->policy_code = card_strdup("QUA");
	sc->policy_name = card_strdup("Città bene comune «prova»");
	sc->locale = card_strdup(locale);
	sc->min_cell = 5;
	snprintf(sc->period, sizeof(sc->period), "2018-Q4");
	snprintf(sc->period_start, sizeof(sc->period_start), "2018-10-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2018-12-31");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2018-Q3");

	card_set(sc, "out.participants", 2415, 2301, 2500, ST_AMBER);
	card_set(sc, "out.meetings", 312, 280, 300, ST_GREEN);
	card_set(sc, "out.meeting_hours", 624.5, 560, nan, ST_NONE);
	card_set(sc, "out.signatories", 695, 650, 700, ST_AMBER);
	card_set(sc, "out.signatories.association", 375, 350, nan, ST_NONE);
	card_set(sc, "out.signatories.volunteer", 300, 282, nan, ST_NONE);
	card_set(sc, "out.signatories.business", 20, 18, nan, ST_NONE);
	card_set(sc, "out.projects", 154, 140, 150, ST_GREEN);
	card_set(sc, "out.projects.community_care", 131, 120, nan, ST_NONE);
	card_set(sc, "out.projects.city_care", 23, 20, nan, ST_NONE);
	card_set(sc, "out.projects_completed", 61, 48, 80, ST_RED);
	card_set(sc, "out.population", 134893, 120000, nan, ST_NONE);
	card_set(sc, "out.participation_rate", 17.9, 19.2, 20, ST_AMBER);
	card_set(sc, "eff.allocated_eur", 1810800, 1700000, nan, ST_NONE);
	card_set(sc, "eff.allocated_eur.community_care", 520800, 480000, nan, ST_NONE);
	card_set(sc, "eff.allocated_eur.city_care", 1290000, 1220000, nan, ST_NONE);
	card_set(sc, "eff.committed_eur", 827500, 700000, nan, ST_NONE);
	card_set(sc, "eff.committed_eur.community_care", 237500, 200000, nan, ST_NONE);
	card_set(sc, "eff.committed_eur.city_care", 590000, 500000, nan, ST_NONE);
	card_set(sc, "eff.spent_eur", 402000, 350000, nan, ST_NONE);
	card_set(sc, "eff.spent_eur.community_care", 182000, 150000, nan, ST_NONE);
	card_set(sc, "eff.spent_eur.city_care", 220000, 200000, nan, ST_NONE);
	card_set(sc, "eff.commitment_rate", 45.7, 41.2, 60, ST_RED);
	card_set(sc, "eff.spend_rate", 22.2, 20.6, 30, ST_RED);
	card_set(sc, "eff.cost_per_participant", 166.46, 152.1, 150, ST_AMBER);
	card_set(sc, "eff.staff_hours", 1840, 1600, nan, ST_NONE);
	card_set(sc, "eff.community_value_eur", 96500, 80000, 90000, ST_GREEN);
	card_set(sc, "eff.leverage", 0.24, 0.23, 0.2, ST_GREEN);
	card_set(sc, "eff.days_to_signature", 42, 45, 30, ST_RED);
	x = card_set(sc, "eft.agreement_quality", 3.92, 3.85, 3.5, ST_GREEN);
	card_survey(x, 148, 3.78, 4.06);
	x = sc_get(sc, "eft.satisfaction");
	x->suppressed = 1;
	x->n = card_num(3);
	x->target = card_num(4);
	x->previous = card_num(4.1);
	x = card_set(sc, "eft.satisfied_share", 72.4, 70.1, 75, ST_AMBER);
	card_survey(x, 116, 63.6, 79.7);
	x = card_set(sc, "eft.milestones_on_time", 81.3, 78, 85, ST_AMBER);
	x->n = card_num(48);
	x = card_set(sc, "soc.relationship_change", 0.35, 0.21, 0.3, ST_GREEN);
	card_survey(x, 64, 0.12, 0.58);
	sc_get(sc, "soc.relationship_change")->p_value = card_num(0.004);
	x = card_set(sc, "soc.relationship_improved_share", 58.2, 55, 60, ST_AMBER);
	card_survey(x, 64, 45.9, 69.5);
	x = card_set(sc, "soc.quality_of_life_change", -0.12, 0.05, 0.2, ST_RED);
	card_survey(x, 210, -0.31, 0.07);
	card_set(sc, "soc.bridging_share", 12.5, 11.8, 15, ST_AMBER);
	card_set(sc, "org.new_solutions", 14, 11, 10, ST_GREEN);
	card_set(sc, "org.process_changes", 6, 5, 8, ST_AMBER);
	card_set(sc, "org.new_methods", 4, 3, 5, ST_AMBER);
	card_set(sc, "org.staff_trained", 57, 40, 50, ST_GREEN);
	card_set(sc, "org.departments", 9, 8, nan, ST_NONE);
	x = card_set(sc, "org.culture_score", 3.41, 3.3, 3.5, ST_AMBER);
	card_survey(x, 38, 3.12, 3.7);

	for (i = 0; i < DIM_COUNT; i++) {
		sc->dims[i].score = card_num(60.0 + 8.0 * i);
		sc->dims[i].coverage = card_num(i == 2 ? 0.75 : 1.0);
	}
	sc->dims[DIM_SOCIAL_IMPACT].score.set = 0;
	sc->index = card_num(78.4);

	sc->n_trend = 8;
	sc->trend = calloc(8, sizeof(*sc->trend));
	ck_assert_ptr_nonnull(sc->trend);
	for (i = 0; i < 8; i++) {
		struct sc_trend_point *tp = &sc->trend[i];

		/* 2017-Q1 to 2018-Q4, the period last, with the period's values. */
		snprintf(tp->period, sizeof(tp->period), "%d-Q%d", 2017 + i / 4, i % 4 + 1);
		tp->values = calloc((size_t)sc_trend_count, sizeof(*tp->values));
		ck_assert_ptr_nonnull(tp->values);
		if (i != 2) /* a quarter without an index: a gap in the line */
			tp->index = card_num(55.0 + 3.0 * i);
		for (k = 0; k < sc_trend_count; k++) {
			const struct sc_indicator *ind = sc_ind(sc, sc_trend_ids[k]);

			if (ind->value.set)
				tp->values[k] = card_num(ind->value.v * (0.45 + 0.55 * i / 7.0));
		}
		/* Satisfaction: surveyed from 2017-Q4, suppressed now. */
		if (i >= 3 && i < 7)
			tp->values[4] = card_num(3.6 + 0.1 * (i - 3));
	}
	sc->trend[7].index = sc->index;

	sc_add_note(sc, SC_NOTE_AS_OF);
	sc_add_note(sc, SC_NOTE_MIN_CELL);
	sc->batch_id = 42;
	sc->batch_at = card_strdup("2019-01-15 09:30:00");
	sc->snapshot = card_strdup("batch 42 (2019-01-15 09:30:00 UTC)");
}

const char card_long_title[] =
	"Accordo di cittadinanza per la cura della comunità e della città nel quartiere "
	"Santa Croce: orti condivisi, portierato sociale e riqualificazione del parco "
	"di via Adua con le associazioni del territorio";

struct scorecard *card_policy(const char *locale, int n_ranks)
{
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	card_fill_common(sc, locale);
	card_set(sc, "out.agreements_signed", 25, 22, 24, ST_GREEN);
	sc->index_p05 = card_num(75.0);
	sc->index_p95 = card_num(81.0);
	sc->n_ranks = n_ranks;
	sc->ranks = calloc((size_t)n_ranks, sizeof(*sc->ranks));
	ck_assert_ptr_nonnull(sc->ranks);
	for (i = 0; i < n_ranks; i++) {
		struct sc_rank *k = &sc->ranks[i];
		char buf[512];

		snprintf(buf, sizeof(buf), "AGR-%03d", i + 1);
		k->agreement_code = card_strdup(buf);
		/* Every seventh title is long enough to wrap; the last
		 * agreement has no index and no rank. */
		snprintf(buf, sizeof(buf), "%s %d",
			 i % 7 == 3 ? card_long_title : "Laboratorio di quartiere — città", i + 1);
		k->agreement_title = card_strdup(buf);
		if (i == n_ranks - 1 && n_ranks > 1)
			continue;
		k->index = card_num(95.0 - 80.0 * i / n_ranks);
		k->rank = i + 1;
		k->rank_p05 = card_num(i + 1 > 3 ? i - 2 : 1);
		k->rank_p95 = card_num(i + 1 + 4 < n_ranks ? i + 4.5 : n_ranks);
	}
	return sc;
}

struct scorecard *card_agreement(const char *locale)
{
	static const char *const kinds[2] = {"community_care", "city_care"};
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_AGREEMENT, &sc), 0);
	card_fill_common(sc, locale);
	card_set(sc, "soc.new_partners_share", 33.3, 30, 25, ST_GREEN);
	sc->agreement_code = card_strdup("AGR-007");
	sc->agreement_title = card_strdup(card_long_title);
	sc->agreement_status = card_strdup("signed");
	sc->lab_started_on = card_strdup("2018-01-15");
	sc->approved_on = card_strdup("2018-05-02");
	sc->signed_on = card_strdup("2018-06-20");
	sc->n_neighbourhoods = 2;
	sc->neighbourhoods = calloc(2, sizeof(*sc->neighbourhoods));
	ck_assert_ptr_nonnull(sc->neighbourhoods);
	sc->neighbourhoods[0].code = card_strdup("SC");
	sc->neighbourhoods[0].name = card_strdup("Santa Croce");
	sc->neighbourhoods[0].population = 9876;
	sc->neighbourhoods[1].code = card_strdup("OSP");
	sc->neighbourhoods[1].name = card_strdup("Ospizio");
	sc->neighbourhoods[1].population = 7345;
	sc->ex_ante[0] = card_num(4);
	sc->ex_ante[1] = card_num(3.5);
	sc->ex_ante[2] = card_num(5);
	sc->ex_ante_mean = card_num(12.5 / 3);
	sc->ex_ante_passed = 1;
	sc->n_projects = 4;
	sc->projects = calloc(4, sizeof(*sc->projects));
	ck_assert_ptr_nonnull(sc->projects);
	for (i = 0; i < 4; i++) {
		struct sc_project *pr = &sc->projects[i];
		char buf[256];

		snprintf(buf, sizeof(buf), "PRJ-%02d", i + 1);
		pr->code = card_strdup(buf);
		pr->title =
			card_strdup(i == 1   ? "Riqualificazione del parco di via Adua: nuove "
					       "panchine, illuminazione e un'area giochi accessibile"
				    : i == 0 ? "Orti condivisi della comunità"
					     : "Portierato sociale di quartiere");
		pr->kind = card_strdup(kinds[i % 2]);
		pr->defined_on = card_strdup("2018-06-20");
		if (i == 0)
			pr->completed_on = card_strdup("2018-11-30");
		pr->allocated = i == 1 ? 1290000 : 20000.0 * (i + 1);
		pr->committed = i == 1 ? 590000 : 15000.0 * (i + 1);
		pr->spent = i == 1 ? 220000 : 9000.0 * (i + 1) * (i == 3 ? 0 : 1);
		pr->milestones_total = 3 + i;
		pr->milestones_due = 2 + i % 2;
		pr->milestones_on_time = 1 + i % 2;
	}
	sc->n_milestones = 5;
	sc->milestones = calloc(5, sizeof(*sc->milestones));
	ck_assert_ptr_nonnull(sc->milestones);
	for (i = 0; i < 5; i++) {
		struct sc_milestone *m = &sc->milestones[i];
		static const char *const due[5] = {"2018-07-31", "2018-09-30", "2018-11-15",
						   "2018-12-20", "2019-03-31"};
		static const char *const done[5] = {"2018-07-20", "2018-10-12", NULL, NULL, NULL};

		m->project_code = card_strdup(i < 2 ? "PRJ-01" : "PRJ-02");
		m->title = card_strdup(i == 2 ? "Progetto esecutivo approvato dal Servizio Lavori "
						"Pubblici della città"
					      : "Inaugurazione con la comunità");
		m->due_on = card_strdup(due[i]);
		if (done[i])
			m->achieved_on = card_strdup(done[i]);
	}
	return sc;
}

/* Code points of a UTF-8 string. */
static size_t card_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *card_long_summary(void)
{
	static char buf[16384];
	size_t o = 0;
	int i;

	/* 138 lines of 27 characters and 137 newlines: 3,863 characters. */
	for (i = 1; i <= CARD_LONG_SUMMARY_LINES; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%03d\tcittà «viva» 5 € l’orto",
				      i > 1 ? "\n" : "", i);
	ck_assert_uint_le(card_chars(buf), 4000);
	return buf;
}

const char *card_prose_summary(void)
{
	static const char sentence[] =
		"Nel quartiere la piazza è tornata un luogo d’incontro: «prima non ci si "
		"fermava», dice una partecipante, e il mercato del sabato porta 300 € di "
		"spesa in più alle botteghe della città. ";
	static char buf[16384];
	size_t o = 0;
	int i;

	/* Sentences up to 3,900 characters, a blank line after the ninth. */
	for (i = 0; card_chars(buf) + card_chars(sentence) + 2 <= 3900; i++) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i == 9 ? "\n\n" : "",
				      sentence);
	}
	ck_assert_uint_le(card_chars(buf), 4000);
	return buf;
}

static void card_evidence(struct sc_evidence *e, const char *code, const char *kind, const char *on,
			  const char *title, const char *summary, double participants,
			  const char *agreement, const char *neighbourhood)
{
	e->code = card_strdup(code);
	e->kind = card_strdup(kind);
	e->recorded_on = card_strdup(on);
	e->title = card_strdup(title);
	e->summary = card_strdup(summary);
	if (!isnan(participants))
		e->participants = card_num(participants);
	if (agreement)
		e->agreement_code = card_strdup(agreement);
	if (neighbourhood)
		e->neighbourhood_code = card_strdup(neighbourhood);
}

void card_add_evidence(struct scorecard *sc, int long_summary)
{
	int n = long_summary ? 4 : 3, i = 0;

	sc->evidence = calloc((size_t)n, sizeof(*sc->evidence));
	ck_assert_ptr_nonnull(sc->evidence);
	sc->n_evidence = n;
	sc->evidence_total = n + 4;
	card_evidence(&sc->evidence[i++], "EV-014", "focus_group", "2018-12-12",
		      "Focus group sulla qualità della vita a Santa Croce",
		      "Dodici residenti, tre associazioni.\n\tLa piazza «di sotto» è più viva "
		      "la sera.\nL’orto costa 1.200 € l’anno; la città è più curata.",
		      12, NULL, "SC");
	card_evidence(&sc->evidence[i++], "EV-011", "interview", "2018-11-20",
		      "Intervista alla referente dell’associazione Amici del parco",
		      "Il portierato sociale ha reso più semplice chiedere aiuto.", NAN, "AGR-002",
		      NULL);
	if (long_summary)
		card_evidence(&sc->evidence[i++], "EV-010", "focus_group", "2018-10-30",
			      "Trascrizione del focus group al centro civico", card_long_summary(),
			      9, "AGR-001", NULL);
	card_evidence(&sc->evidence[i++], "EV-009", "observation", "2018-10-05",
		      "Osservazione al mercato di via Adua", card_prose_summary(), 40, NULL, "SC");
}

struct scorecard *card_neighbourhood(const char *locale, int long_summary)
{
	static const char *const codes[3] = {"AGR-001", "AGR-002", "AGR-007"};
	static const char *const titles[3] = {"Orti condivisi di Santa Croce",
					      "Portierato sociale — Amici del parco", NULL};
	const double nan = NAN;
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_NEIGHBOURHOOD, &sc), 0);
	card_fill_common(sc, locale);
	card_set(sc, "out.agreements_signed", 3, 2, nan, ST_NONE);
	card_set(sc, "out.population", 9876, 9876, nan, ST_NONE);
	/* 2,415 / 9,876 × 1,000 = 244.53 */
	card_set(sc, "out.participation_rate", 244.53, 233.0, 200, ST_GREEN);
	sc->neighbourhood.code = card_strdup("SC");
	sc->neighbourhood.name = card_strdup("Santa Croce");
	sc->neighbourhood.population = 9876;
	sc->n_covering = 3;
	sc->covering = calloc(3, sizeof(*sc->covering));
	ck_assert_ptr_nonnull(sc->covering);
	for (i = 0; i < 3; i++) {
		sc->covering[i].code = card_strdup(codes[i]);
		sc->covering[i].title = card_strdup(titles[i] ? titles[i] : card_long_title);
	}
	card_add_evidence(sc, long_summary);
	return sc;
}

const char *const card_territory_names[CARD_TERRITORIES] = {
	"Aurora",  "Borgo", "Centro",	 "Darsena", "Esterna",	"Foro",	     "Gaiano",
	"Ospizio", "Pieve", "Quaresimo", "Rosta",   "Sabbione", "Tribunale", "Villaggio"};
const double card_territory_rates[CARD_TERRITORIES] = {12.4, 31.0, 8.7, NAN,  17.9, 44.2, 5.1,
						       22.6, 27.3, 0.0, 9.95, 61.8, 14.0, 3.3};

void card_add_territories(struct scorecard *sc)
{
	int i;

	sc->n_territories = CARD_TERRITORIES;
	sc->territories = calloc(CARD_TERRITORIES, sizeof(*sc->territories));
	ck_assert_ptr_nonnull(sc->territories);
	for (i = 0; i < CARD_TERRITORIES; i++) {
		struct sc_territory *t = &sc->territories[i];
		char code[16];

		snprintf(code, sizeof(code), "Q%02d", i + 1);
		t->code = card_strdup(code);
		t->name = card_strdup(card_territory_names[i]);
		t->population = 5000 + 731 * i;
		t->agreements = 1 + i % 4;
		if (!isnan(card_territory_rates[i])) {
			t->participation_rate = card_num(card_territory_rates[i]);
			t->participants = card_num(
				round(card_territory_rates[i] * (double)t->population / 1000));
		}
		if (i != 6) /* Gaiano: quality of life withheld */
			t->quality_of_life_change = card_num(-0.2 + 0.05 * i);
		if (i != 9) /* Quaresimo: no index */
			t->index = card_num(50.0 + 3.0 * i);
	}
}

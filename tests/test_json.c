/* json: a scorecard built by hand, rendered, parsed back and checked key by
 * key against docs/scorecard.schema.json. */
#include "check_main.h"
#include "err.h"
#include "json.h"
#include "method.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const indicator_keys[] = {
	"dimension",   "label",	 "unit",   "polarity",	"value",       "previous",
	"delta",       "n",	 "ci",	   "p_value",	"effect_size", "suppressed",
	"suppression", "target", "status", "normalised"};

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

/* The common part of both levels. */
static void fill_common(struct scorecard *sc, const char *locale)
{
	struct sc_indicator *x;

	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Quartieri in comune");
	sc->locale = xstrdup(locale);
	sc->min_cell = 5;
	snprintf(sc->period, sizeof(sc->period), "2024-Q2");
	snprintf(sc->period_start, sizeof(sc->period_start), "2024-04-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2024-06-30");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2024-Q1");

	x = sc_get(sc, "out.participants");
	ck_assert_ptr_nonnull(x);
	set_num(&x->value, 2415);
	set_num(&x->previous, 2301);
	set_num(&x->target, 2500);
	x->status = ST_AMBER;
	set_num(&x->normalised, 96.6);

	x = sc_get(sc, "eff.leverage");
	set_num(&x->value, 0.1 + 0.2);
	set_num(&x->previous, 2.0 / 3.0);

	x = sc_get(sc, "eft.agreement_quality");
	set_num(&x->value, 3.5);
	set_num(&x->n, 12);
	set_num(&x->ci_low, 3.12);
	set_num(&x->ci_high, 3.88);

	/* Suppressed, with numbers left in the model on purpose: none may
	 * reach the JSON. */
	x = sc_get(sc, "eft.satisfaction");
	x->suppressed = 1;
	set_num(&x->value, 4.2);
	set_num(&x->previous, 4.0);
	set_num(&x->n, 3);
	set_num(&x->ci_low, 3.0);
	set_num(&x->ci_high, 5.0);
	set_num(&x->target, 4.0);
	x->status = ST_GREEN;
	set_num(&x->normalised, 100);

	x = sc_get(sc, "soc.relationship_change");
	set_num(&x->value, 0.35);
	set_num(&x->n, 20);
	set_num(&x->ci_low, -0.1);
	set_num(&x->ci_high, 0.8);
	set_num(&x->p_value, 0.012);
	set_num(&x->effect_size, 0.61);

	x = sc_get(sc, "eff.staff_hours");
	set_num(&x->value, NAN); /* must not happen; must not break JSON either */

	set_num(&sc->dims[DIM_OUTPUT].score, 91.2);
	set_num(&sc->dims[DIM_OUTPUT].coverage, 1.0);
	set_num(&sc->index, 78.4);
	sc_add_note(sc, SC_NOTE_AS_OF);
	sc_add_note(sc, SC_NOTE_MIN_CELL);
	sc_add_note(sc, SC_NOTE_AS_OF); /* once only */
}

static struct scorecard *agreement_card(const char *locale)
{
	struct scorecard *sc = NULL;

	ck_assert_int_eq(sc_new(CAT_AGREEMENT, &sc), 0);
	fill_common(sc, locale);
	sc->agreement_code = xstrdup("QUA-01");
	sc->agreement_title = xstrdup("Piazza della comunità");
	sc->agreement_status = xstrdup("signed");
	sc->lab_started_on = xstrdup("2023-09-01");
	sc->signed_on = xstrdup("2024-01-15");
	sc->neighbourhoods = calloc(2, sizeof(*sc->neighbourhoods));
	ck_assert_ptr_nonnull(sc->neighbourhoods);
	sc->n_neighbourhoods = 2;
	sc->neighbourhoods[0].code = xstrdup("N1");
	sc->neighbourhoods[0].name = xstrdup("Borgo San Pietro");
	sc->neighbourhoods[0].population = 12000;
	sc->neighbourhoods[1].code = xstrdup("N2");
	sc->neighbourhoods[1].name = xstrdup("Città Giardino");
	sc->neighbourhoods[1].population = 8000;
	set_num(&sc->ex_ante[0], 4);
	set_num(&sc->ex_ante[1], 3);
	set_num(&sc->ex_ante[2], 5);
	set_num(&sc->ex_ante_mean, 4.0);
	sc->ex_ante_passed = 1;
	return sc;
}

static struct scorecard *policy_card(void)
{
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	fill_common(sc, "it");
	set_num(&sc->index_p05, 75.0);
	set_num(&sc->index_p95, 81.0);
	sc->ranks = calloc(2, sizeof(*sc->ranks));
	ck_assert_ptr_nonnull(sc->ranks);
	sc->n_ranks = 2;
	sc->ranks[0].agreement_code = xstrdup("QUA-01");
	sc->ranks[0].agreement_title = xstrdup("Piazza della comunità");
	set_num(&sc->ranks[0].index, 80.5);
	sc->ranks[0].rank = 1;
	set_num(&sc->ranks[0].rank_p05, 1);
	set_num(&sc->ranks[0].rank_p95, 3);
	sc->ranks[1].agreement_code = xstrdup("QUA-02");
	sc->ranks[1].agreement_title = xstrdup("Orti urbani");
	sc->trend = calloc(1, sizeof(*sc->trend));
	ck_assert_ptr_nonnull(sc->trend);
	sc->n_trend = 1;
	snprintf(sc->trend[0].period, sizeof(sc->trend[0].period), "2024-Q2");
	set_num(&sc->trend[0].index, 78.4);
	sc->trend[0].values = calloc((size_t)sc_trend_count, sizeof(struct sc_num));
	ck_assert_ptr_nonnull(sc->trend[0].values);
	for (i = 0; i < sc_trend_count; i++)
		set_num(&sc->trend[0].values[i], i + 0.5);
	return sc;
}

static cJSON *render_parse(const struct scorecard *sc, char **text)
{
	cJSON *root;

	ck_assert_int_eq(rep_json_render(sc, text), 0);
	root = cJSON_Parse(*text);
	ck_assert_msg(root != NULL, "not JSON: %s", *text);
	return root;
}

static cJSON *get(const cJSON *obj, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(item != NULL, "key %s missing", key);
	return item;
}

static void assert_num(const cJSON *obj, const char *key, double v)
{
	cJSON *item = get(obj, key);

	ck_assert_msg(cJSON_IsNumber(item), "%s is not a number", key);
	ck_assert_msg(item->valuedouble == v, "%s: %.17g != %.17g", key, item->valuedouble, v);
}

static void assert_null(const cJSON *obj, const char *key)
{
	ck_assert_msg(cJSON_IsNull(get(obj, key)), "%s is not null", key);
}

static void assert_str(const cJSON *obj, const char *key, const char *v)
{
	cJSON *item = get(obj, key);

	ck_assert_msg(cJSON_IsString(item), "%s is not a string", key);
	ck_assert_str_eq(item->valuestring, v);
}

/* A card reused through sc_init is the card sc_new makes, whatever it
 * held: at the policy level out.agreements_signed is present (level P),
 * weights are 1 and set, the amber ratio 0.8, every value null. */
START_TEST(test_json_scorecard_reused)
{
	struct scorecard *used = NULL, *fresh = NULL;
	struct sc_indicator *x;

	ck_assert_int_eq(sc_new(CAT_AGREEMENT, &used), 0);
	ck_assert_int_eq(sc_new(CAT_POLICY, &fresh), 0);
	ck_assert(!used->ind[IND_OUT_AGREEMENTS_SIGNED].present); /* P only */
	used->index.set = 1;
	used->index.v = 71.5;
	used->ind[IND_OUT_PARTICIPANTS].value.set = 1;
	used->ind[IND_OUT_PARTICIPANTS].status = ST_RED;
	used->ind[IND_OUT_PARTICIPANTS].normalised.set = 1;
	used->dims[0].weight.v = 3;
	sc_init(used, CAT_POLICY);
	ck_assert(memcmp(used, fresh, sizeof(*used)) == 0);
	x = &used->ind[IND_OUT_AGREEMENTS_SIGNED];
	ck_assert(x->present);
	ck_assert(x->weight.set && x->weight.v == 1.0);
	ck_assert(x->amber_ratio == 0.8);
	ck_assert(!x->value.set && x->status == ST_NONE);
	ck_assert(!used->index.set && used->dims[0].weight.v == 1.0);
	ck_assert_int_eq(used->level, CAT_POLICY);
	sc_free(used);
	sc_free(fresh);
}
END_TEST

START_TEST(test_json_contract_keys)
{
	struct scorecard *sc = agreement_card("it");
	char *text = NULL;
	cJSON *root = render_parse(sc, &text), *inds, *ind, *dims, *o;
	int i, d, present = 0, listed = 0;

	assert_str(root, "format", "cruscotto.scorecard/1");
	assert_str(root, "level", "agreement");
	o = get(root, "policy");
	assert_str(o, "code", "QUA");
	assert_str(o, "name", "Quartieri in comune");
	o = get(root, "period");
	assert_str(o, "id", "2024-Q2");
	assert_str(o, "start", "2024-04-01");
	assert_str(o, "end", "2024-06-30");
	assert_str(o, "previous", "2024-Q1");
	assert_str(root, "locale", "it");
	assert_num(root, "index", 78.4);
	o = get(root, "notes");
	ck_assert(cJSON_IsArray(o));
	ck_assert_int_eq(cJSON_GetArraySize(o), 2);
	/* the notes' facts in words: period_end 2024-06-30, previous 2024-Q1,
	 * min_cell 5, in the card's locale */
	ck_assert_str_eq(
		cJSON_GetArrayItem(o, 0)->valuestring,
		"Valori al 2024-06-30: contano tutti i dati con data fino a quel giorno "
		"compreso; il valore precedente è calcolato allo stesso modo alla fine del "
		"trimestre 2024-Q1.");
	ck_assert_str_eq(
		cJSON_GetArrayItem(o, 1)->valuestring,
		"Gli indicatori da questionario con meno di 5 rispondenti (o coppie T0-T1) "
		"non sono pubblicati: valore e intervallo sono soppressi, n resta "
		"indicato.");

	/* every catalogue indicator of the level, each with every key */
	inds = get(root, "indicators");
	for (i = 0; i < cat_count; i++) {
		if (!(cat_indicators[i].levels & CAT_AGREEMENT)) {
			ck_assert_ptr_null(
				cJSON_GetObjectItemCaseSensitive(inds, cat_indicators[i].code));
			continue;
		}
		present++;
		ind = get(inds, cat_indicators[i].code);
		for (d = 0; d < (int)(sizeof(indicator_keys) / sizeof(indicator_keys[0])); d++)
			get(ind, indicator_keys[d]);
		assert_str(ind, "unit", cat_indicators[i].unit);
		assert_str(ind, "dimension", cat_dimension_code(cat_indicators[i].dimension));
		assert_str(ind, "polarity", cat_polarity_name(cat_indicators[i].polarity));
		assert_str(ind, "label", rep_label(&cat_indicators[i], "it"));
	}
	listed = cJSON_GetArraySize(inds);
	ck_assert_int_eq(listed, present);
	ck_assert_int_eq(present, cat_count - 1); /* out.agreements_signed is policy only */

	ind = get(inds, "out.participants");
	assert_str(ind, "dimension", "output");
	assert_str(ind, "label", "Partecipanti ai percorsi");
	assert_str(ind, "unit", "count");
	assert_str(ind, "polarity", "higher");
	assert_num(ind, "value", 2415);
	assert_num(ind, "previous", 2301);
	assert_num(ind, "delta", 114);
	assert_null(ind, "n");
	assert_null(ind, "ci");
	assert_null(ind, "p_value");
	assert_null(ind, "effect_size");
	ck_assert(cJSON_IsFalse(get(ind, "suppressed")));
	assert_null(ind, "suppression");
	assert_num(ind, "target", 2500);
	assert_str(ind, "status", "amber");
	assert_num(ind, "normalised", 96.6);

	/* nulls are written, never omitted */
	ind = get(inds, "out.meetings");
	assert_null(ind, "value");
	assert_null(ind, "previous");
	assert_null(ind, "delta");
	assert_null(ind, "target");
	assert_null(ind, "normalised");
	assert_str(ind, "status", "none");

	/* delta null when previous is */
	ind = get(inds, "soc.relationship_change");
	assert_num(ind, "value", 0.35);
	assert_null(ind, "delta");
	assert_num(ind, "n", 20);
	assert_num(ind, "p_value", 0.012);
	assert_num(ind, "effect_size", 0.61);
	o = get(ind, "ci");
	ck_assert(cJSON_IsArray(o));
	ck_assert_int_eq(cJSON_GetArraySize(o), 2);
	ck_assert(cJSON_GetArrayItem(o, 0)->valuedouble == -0.1);
	ck_assert(cJSON_GetArrayItem(o, 1)->valuedouble == 0.8);

	ind = get(inds, "eft.agreement_quality");
	o = get(ind, "ci");
	ck_assert(cJSON_GetArrayItem(o, 0)->valuedouble == 3.12);
	ck_assert(cJSON_GetArrayItem(o, 1)->valuedouble == 3.88);
	assert_num(ind, "n", 12);

	/* NaN in the model: null, and still valid JSON */
	assert_null(get(inds, "eff.staff_hours"), "value");

	dims = get(root, "dimensions");
	ck_assert_int_eq(cJSON_GetArraySize(dims), DIM_COUNT);
	for (d = 0; d < DIM_COUNT; d++) {
		o = get(dims, cat_dimension_code((enum cat_dimension)d));
		get(o, "score");
		get(o, "coverage");
	}
	assert_num(get(dims, "output"), "score", 91.2);
	assert_num(get(dims, "output"), "coverage", 1.0);
	assert_null(get(dims, "efficiency"), "score");
	assert_null(get(dims, "efficiency"), "coverage");

	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_suppressed)
{
	struct scorecard *sc = agreement_card("it");
	char *text = NULL;
	cJSON *root = render_parse(sc, &text);
	cJSON *ind = get(get(root, "indicators"), "eft.satisfaction");

	ck_assert(cJSON_IsTrue(get(ind, "suppressed")));
	assert_str(ind, "suppression", "primary");
	assert_null(ind, "value");
	assert_null(ind, "delta");
	assert_null(ind, "ci");
	assert_null(ind, "p_value");
	assert_null(ind, "effect_size");
	assert_null(ind, "normalised");
	assert_str(ind, "status", "none");
	assert_num(ind, "n", 3); /* n itself is published */
	assert_num(ind, "target", 4.0);
	ck_assert_ptr_null(strstr(text, "4.2"));
	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_full_precision)
{
	struct scorecard *sc = agreement_card("it");
	char *text = NULL;
	cJSON *root = render_parse(sc, &text);
	cJSON *ind = get(get(root, "indicators"), "eff.leverage");

	assert_num(ind, "value", 0.1 + 0.2);
	assert_num(ind, "previous", 2.0 / 3.0);
	assert_num(ind, "delta", (0.1 + 0.2) - 2.0 / 3.0);
	ck_assert_ptr_nonnull(strstr(text, "0.30000000000000004"));
	ck_assert_ptr_nonnull(strstr(text, "0.6666666666666666"));
	/* shortest form: no noise digits on short decimals, no ".0" */
	ck_assert_ptr_nonnull(strstr(text, "96.6,"));
	ck_assert_ptr_nonnull(strstr(text, "2415,"));
	ck_assert_ptr_null(strstr(text, "2415.0"));
	ck_assert_ptr_nonnull(strstr(text, "2500,"));
	ck_assert_ptr_null(strstr(text, "e+"));
	ck_assert_ptr_null(strstr(text, "12.0"));
	ck_assert_ptr_null(strstr(text, "NaN"));
	ck_assert_ptr_null(strstr(text, "nan"));
	ck_assert_ptr_null(strstr(text, "inf"));
	ck_assert_int_eq(text[strlen(text) - 1], '\n');
	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_agreement_level)
{
	struct scorecard *sc = agreement_card("en");
	char *text = NULL;
	cJSON *root = render_parse(sc, &text), *a, *nb, *ea;

	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "sensitivity"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "ranks"));
	assert_str(root, "locale", "en");
	assert_str(get(get(root, "indicators"), "out.participants"), "label", "Participants");
	assert_str(get(get(root, "dimensions"), "output"), "label", "Output");
	a = get(root, "agreement");
	assert_str(a, "code", "QUA-01");
	assert_str(a, "title", "Piazza della comunità");
	assert_str(a, "status", "signed");
	assert_str(a, "lab_started_on", "2023-09-01");
	assert_null(a, "approved_on");
	assert_str(a, "signed_on", "2024-01-15");
	nb = get(a, "neighbourhoods");
	ck_assert_int_eq(cJSON_GetArraySize(nb), 2);
	assert_str(cJSON_GetArrayItem(nb, 1), "code", "N2");
	assert_str(cJSON_GetArrayItem(nb, 1), "name", "Città Giardino");
	ea = get(root, "ex_ante");
	assert_num(ea, "feasibility", 4);
	assert_num(ea, "opportunity", 3);
	assert_num(ea, "relevance", 5);
	assert_num(ea, "mean", 4.0);
	ck_assert(cJSON_IsTrue(get(ea, "passed")));
	ck_assert(cJSON_IsArray(get(root, "projects")));
	ck_assert(cJSON_IsArray(get(root, "milestones")));
	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_policy_level)
{
	struct scorecard *sc = policy_card();
	char *text = NULL;
	cJSON *root = render_parse(sc, &text), *s, *r, *t;

	assert_str(root, "level", "policy");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "agreement"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "ex_ante"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "projects"));
	get(get(root, "indicators"), "out.agreements_signed");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(get(root, "indicators"),
							    "soc.new_partners_share"));
	s = get(root, "sensitivity");
	assert_num(s, "index_p05", 75.0);
	assert_num(s, "index_p95", 81.0);
	r = get(s, "ranks");
	ck_assert_int_eq(cJSON_GetArraySize(r), 2);
	ck_assert(cJSON_IsArray(get(r, "QUA-01")));
	ck_assert(cJSON_GetArrayItem(get(r, "QUA-01"), 0)->valuedouble == 1);
	ck_assert(cJSON_GetArrayItem(get(r, "QUA-01"), 1)->valuedouble == 3);
	ck_assert(cJSON_IsNull(get(r, "QUA-02"))); /* not ranked */
	r = get(root, "ranks");
	ck_assert_int_eq(cJSON_GetArraySize(r), 2);
	assert_num(cJSON_GetArrayItem(r, 0), "rank", 1);
	assert_null(cJSON_GetArrayItem(r, 1), "rank");
	t = get(root, "trend");
	ck_assert_int_eq(cJSON_GetArraySize(t), 1);
	assert_str(cJSON_GetArrayItem(t, 0), "period", "2024-Q2");
	assert_num(get(cJSON_GetArrayItem(t, 0), "values"), "eft.satisfaction", 4.5);
	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

/* A policy of 2,000 ranked agreements prints to more than the 64 kB a card
 * is printed into first (each entry of "ranks" alone takes some 150 bytes),
 * so its text takes cJSON's own buffer: whole, parsed back with every
 * rank, and ending in one newline as a small card's does. */
START_TEST(test_json_large_policy_whole)
{
	struct scorecard *sc = policy_card();
	char *text = NULL, *small = NULL;
	size_t len;
	cJSON *root, *r;
	int i;

	ck_assert_int_eq(rep_json_render(sc, &small), 0);
	len = strlen(small);
	ck_assert_uint_lt(len, 65536);
	ck_assert(small[len - 1] == '\n' && small[len - 2] == '}');
	for (i = 0; i < sc->n_ranks; i++) {
		free(sc->ranks[i].agreement_code);
		free(sc->ranks[i].agreement_title);
	}
	free(sc->ranks);
	sc->n_ranks = 2000;
	sc->ranks = calloc(2000, sizeof(*sc->ranks));
	ck_assert_ptr_nonnull(sc->ranks);
	for (i = 0; i < 2000; i++) {
		char code[16];

		snprintf(code, sizeof(code), "A%04d", i + 1);
		sc->ranks[i].agreement_code = xstrdup(code);
		sc->ranks[i].agreement_title = xstrdup("Accordo di cittadinanza");
		/* index 100 - i / 20: rank i + 1 */
		set_num(&sc->ranks[i].index, 100.0 - i / 20.0);
		sc->ranks[i].rank = i + 1;
	}
	root = render_parse(sc, &text);
	len = strlen(text);
	ck_assert_uint_gt(len, 65536);
	ck_assert(text[len - 1] == '\n' && text[len - 2] == '}');
	r = get(root, "ranks");
	ck_assert_int_eq(cJSON_GetArraySize(r), 2000);
	assert_str(cJSON_GetArrayItem(r, 1999), "agreement", "A2000");
	/* 100 - 1999 / 20 = 0.05 */
	assert_num(cJSON_GetArrayItem(r, 1999), "index", 100.0 - 1999 / 20.0);
	assert_num(cJSON_GetArrayItem(r, 1999), "rank", 2000);
	cJSON_Delete(root);
	free(text);
	free(small);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_evidence)
{
	struct scorecard *sc = agreement_card("it"), *p = policy_card();
	char *text = NULL, *ptext = NULL;
	cJSON *root, *list, *e;

	/* two records as the model lists them: the summary as written (a
	 * newline, a tab, quotes), one with participants and an agreement,
	 * one with a neighbourhood and no participants */
	sc->evidence = calloc(2, sizeof(*sc->evidence));
	ck_assert_ptr_nonnull(sc->evidence);
	sc->n_evidence = 2;
	sc->evidence[0].code = xstrdup("EV-02");
	sc->evidence[0].kind = xstrdup("interview");
	sc->evidence[0].recorded_on = xstrdup("2024-06-12");
	sc->evidence[0].title = xstrdup("Intervista al custode");
	sc->evidence[0].summary = xstrdup("Prima riga\n\t«Il parco è \"nostro\"»");
	set_num(&sc->evidence[0].participants, 1);
	sc->evidence[0].agreement_code = xstrdup("QUA-01");
	sc->evidence[1].code = xstrdup("EV-01");
	sc->evidence[1].kind = xstrdup("focus_group");
	sc->evidence[1].recorded_on = xstrdup("2024-04-03");
	sc->evidence[1].title = xstrdup("Qualità della vita");
	sc->evidence[1].summary = xstrdup("Sintesi");
	sc->evidence[1].neighbourhood_code = xstrdup("N1");
	sc->evidence_total = 5;
	root = render_parse(sc, &text);
	list = get(root, "evidence");
	ck_assert(cJSON_IsArray(list));
	ck_assert_int_eq(cJSON_GetArraySize(list), 2);
	e = cJSON_GetArrayItem(list, 0);
	ck_assert_int_eq(cJSON_GetArraySize(e), 8);
	assert_str(e, "code", "EV-02");
	assert_str(e, "kind", "interview");
	assert_str(e, "recorded_on", "2024-06-12");
	assert_str(e, "title", "Intervista al custode");
	assert_str(e, "summary", "Prima riga\n\t«Il parco è \"nostro\"»");
	assert_num(e, "participants", 1);
	assert_str(e, "agreement", "QUA-01");
	assert_null(e, "neighbourhood");
	e = cJSON_GetArrayItem(list, 1);
	assert_str(e, "code", "EV-01");
	assert_null(e, "participants");
	assert_null(e, "agreement");
	assert_str(e, "neighbourhood", "N1");
	assert_num(root, "evidence_total", 5);
	/* escaped on one line, the count an integer */
	ck_assert_ptr_nonnull(strstr(text, "\"Prima riga\\n\\t«Il parco è \\\"nostro\\\"»\""));
	ck_assert_ptr_nonnull(strstr(text, "\"participants\":\t1,"));
	cJSON_Delete(root);
	/* a card listing none still has both keys */
	root = render_parse(p, &ptext);
	ck_assert(cJSON_IsArray(get(root, "evidence")));
	ck_assert_int_eq(cJSON_GetArraySize(get(root, "evidence")), 0);
	assert_num(root, "evidence_total", 0);
	cJSON_Delete(root);
	free(text);
	free(ptext);
	sc_free(sc);
	sc_free(p);
}
END_TEST

/* The territory level: the neighbourhood and its covering agreements by
 * code (docs/scorecard.schema.json), every policy indicator, and none of the keys of the
 * other levels. */
START_TEST(test_json_neighbourhood_level)
{
	struct scorecard *sc = NULL;
	char *text = NULL;
	cJSON *root, *nb, *list;

	ck_assert_int_eq(sc_new(CAT_NEIGHBOURHOOD, &sc), 0);
	fill_common(sc, "it");
	sc->neighbourhood.code = xstrdup("CEN");
	sc->neighbourhood.name = xstrdup("Centro storico");
	sc->neighbourhood.population = 17650;
	sc->covering = calloc(2, sizeof(*sc->covering));
	ck_assert_ptr_nonnull(sc->covering);
	sc->covering[0].code = xstrdup("QUA-11");
	sc->covering[0].title = xstrdup("Undici");
	sc->covering[1].code = xstrdup("QUA-21");
	sc->covering[1].title = xstrdup("Ventuno");
	sc->n_covering = 2;
	root = render_parse(sc, &text);
	assert_str(root, "level", "neighbourhood");
	nb = get(root, "neighbourhood");
	assert_str(nb, "code", "CEN");
	assert_str(nb, "name", "Centro storico");
	assert_num(nb, "population", 17650);
	ck_assert_int_eq(cJSON_GetArraySize(nb), 3);
	list = get(root, "agreements");
	ck_assert_int_eq(cJSON_GetArraySize(list), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(list, 0)->valuestring, "QUA-11");
	ck_assert_str_eq(cJSON_GetArrayItem(list, 1)->valuestring, "QUA-21");
	/* the policy's indicators, out.agreements_signed included */
	get(get(root, "indicators"), "out.agreements_signed");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(get(root, "indicators"),
							    "soc.new_partners_share"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "agreement"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "ex_ante"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "sensitivity"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "ranks"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "projects"));
	cJSON_Delete(root);
	free(text);
	sc_free(sc);
}
END_TEST

START_TEST(test_json_deterministic)
{
	struct scorecard *a = policy_card(), *b = policy_card();
	char *ta = NULL, *tb = NULL;

	ck_assert_int_eq(rep_json_render(a, &ta), 0);
	ck_assert_int_eq(rep_json_render(b, &tb), 0);
	ck_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
	sc_free(a);
	sc_free(b);
}
END_TEST

START_TEST(test_json_write_atomic)
{
	struct scorecard *sc = agreement_card("it");
	char dir[] = "/tmp/cruscotto-json-XXXXXX", path[64], *text = NULL, *read = NULL;
	struct dirent *e;
	FILE *f;
	DIR *d;
	long n;
	int entries = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/QUA-01.json", dir);
	ck_assert_int_eq(rep_json_write(sc, path), 0);
	ck_assert_int_eq(rep_json_write(sc, path), 0); /* replaces */
	ck_assert_int_eq(rep_json_render(sc, &text), 0);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	read = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(read);
	ck_assert_uint_eq(fread(read, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	ck_assert_str_eq(read, text);
	d = opendir(dir);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			entries++;
	closedir(d);
	ck_assert_int_eq(entries, 1); /* no temporary left */
	snprintf(path, sizeof(path), "%s/missing/QUA-01.json", dir);
	ck_assert_int_eq(rep_json_write(sc, path), ERR_FAIL);
	snprintf(path, sizeof(path), "%s/QUA-01.json", dir);
	unlink(path);
	rmdir(dir);
	free(read);
	free(text);
	sc_free(sc);
}
END_TEST

/* The model the renderer reads: sc_new's defaults and sc_get's lookups. */
START_TEST(test_json_scorecard_model)
{
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	for (i = 0; i < cat_count; i++) {
		ck_assert_ptr_eq(sc->ind[i].ind, &cat_indicators[i]);
		ck_assert_int_eq(sc->ind[i].present, (cat_indicators[i].levels & CAT_POLICY) != 0);
		ck_assert(!sc->ind[i].value.set);
		ck_assert(sc->ind[i].weight.set && sc->ind[i].weight.v == 1.0);
		ck_assert_int_eq(sc->ind[i].status, ST_NONE);
	}
	for (i = 0; i < DIM_COUNT; i++)
		ck_assert(sc->dims[i].weight.set && sc->dims[i].weight.v == 1.0);
	ck_assert_ptr_nonnull(sc_get(sc, "out.agreements_signed"));
	ck_assert_ptr_null(sc_get(sc, "soc.new_partners_share"));
	ck_assert_ptr_null(sc_cget(sc, "no.such"));
	ck_assert_str_eq(sc_status_name(ST_AMBER), "amber");
	ck_assert_str_eq(sc_ex_ante_criteria[2], "relevance");
	for (i = 0; i < sc_trend_count; i++)
		ck_assert_ptr_nonnull(sc_ind(sc, sc_trend_ids[i]));
	sc_free(sc);
	sc_free(NULL);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_json_scorecard_model);
	tcase_add_test(tc, test_json_scorecard_reused);
	tcase_add_test(tc, test_json_contract_keys);
	tcase_add_test(tc, test_json_suppressed);
	tcase_add_test(tc, test_json_full_precision);
	tcase_add_test(tc, test_json_agreement_level);
	tcase_add_test(tc, test_json_policy_level);
	tcase_add_test(tc, test_json_large_policy_whole);
	tcase_add_test(tc, test_json_evidence);
	tcase_add_test(tc, test_json_neighbourhood_level);
	tcase_add_test(tc, test_json_deterministic);
	tcase_add_test(tc, test_json_write_atomic);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(json_suite)

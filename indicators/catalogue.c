#include "catalogue.h"

#include <string.h>

#define A CAT_AGREEMENT
/* every policy-level indicator exists at the territory level too */
#define P (CAT_POLICY | CAT_NEIGHBOURHOOD)
#define AP (CAT_AGREEMENT | CAT_POLICY | CAT_NEIGHBOURHOOD)

const struct cat_indicator cat_indicators[] = {
	/* Output — how much did we do */
	{"out.agreements_signed", DIM_OUTPUT, P, "count", POL_HIGHER, METHOD_COUNT,
	 "Accordi di cittadinanza sottoscritti", "Citizenship agreements signed"},
	{"out.participants", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Partecipanti ai percorsi", "Participants"},
	{"out.meetings", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT, "Incontri realizzati",
	 "Meetings held"},
	{"out.meeting_hours", DIM_OUTPUT, AP, "hours", POL_HIGHER, METHOD_COUNT, "Ore di incontro",
	 "Meeting hours"},
	{"out.signatories", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Sottoscrittori degli accordi", "Signatories"},
	{"out.signatories.association", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Sottoscrittori: associazioni", "Signatories: associations"},
	{"out.signatories.volunteer", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Sottoscrittori: volontari", "Signatories: volunteers"},
	{"out.signatories.business", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Sottoscrittori: attività economiche", "Signatories: businesses"},
	{"out.projects", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT, "Progetti definiti",
	 "Projects defined"},
	{"out.projects.community_care", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Progetti di cura della comunità", "Community-care projects"},
	{"out.projects.city_care", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Progetti di cura della città", "City-care projects"},
	{"out.projects_completed", DIM_OUTPUT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Progetti completati", "Projects completed"},
	{"out.population", DIM_OUTPUT, AP, "persons", POL_HIGHER, METHOD_COUNT,
	 "Popolazione di riferimento", "Population of the areas involved"},
	{"out.participation_rate", DIM_OUTPUT, AP, "per_1000", POL_HIGHER, METHOD_RATIO,
	 "Partecipanti ogni 1.000 abitanti", "Participants per 1,000 inhabitants"},

	/* Efficiency — what did it cost, what did it mobilise */
	{"eff.allocated_eur", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget stanziato", "Budget allocated"},
	{"eff.allocated_eur.community_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget stanziato: cura della comunità", "Budget allocated: community care"},
	{"eff.allocated_eur.city_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget stanziato: cura della città", "Budget allocated: city care"},
	{"eff.committed_eur", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget impegnato", "Budget committed"},
	{"eff.committed_eur.community_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget impegnato: cura della comunità", "Budget committed: community care"},
	{"eff.committed_eur.city_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Budget impegnato: cura della città", "Budget committed: city care"},
	{"eff.spent_eur", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT, "Spesa sostenuta",
	 "Budget spent"},
	{"eff.spent_eur.community_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Spesa sostenuta: cura della comunità", "Budget spent: community care"},
	{"eff.spent_eur.city_care", DIM_EFFICIENCY, AP, "eur", POL_NEUTRAL, METHOD_COUNT,
	 "Spesa sostenuta: cura della città", "Budget spent: city care"},
	{"eff.commitment_rate", DIM_EFFICIENCY, AP, "percent", POL_HIGHER, METHOD_RATIO,
	 "Tasso di impegno", "Commitment rate"},
	{"eff.spend_rate", DIM_EFFICIENCY, AP, "percent", POL_HIGHER, METHOD_RATIO,
	 "Tasso di spesa", "Spend rate"},
	{"eff.cost_per_participant", DIM_EFFICIENCY, AP, "eur", POL_LOWER, METHOD_RATIO,
	 "Costo per partecipante", "Cost per participant"},
	{"eff.staff_hours", DIM_EFFICIENCY, AP, "hours", POL_NEUTRAL, METHOD_COUNT,
	 "Ore di lavoro del personale comunale", "Staff hours"},
	{"eff.community_value_eur", DIM_EFFICIENCY, AP, "eur", POL_HIGHER, METHOD_COUNT,
	 "Valore delle risorse della comunità", "Value of community resources"},
	{"eff.leverage", DIM_EFFICIENCY, AP, "ratio", POL_HIGHER, METHOD_RATIO,
	 "Effetto leva (valore comunità / spesa)", "Leverage (community value / spending)"},
	{"eff.days_to_signature", DIM_EFFICIENCY, AP, "days", POL_LOWER, METHOD_MEDIAN,
	 "Giorni dall'approvazione alla firma", "Days from approval to signature"},

	/* Effectiveness — how well did we do it */
	{"eft.agreement_quality", DIM_EFFECTIVENESS, AP, "score", POL_HIGHER, METHOD_MEAN,
	 "Qualità dell'accordo (questionario)", "Agreement quality (survey)"},
	{"eft.satisfaction", DIM_EFFECTIVENESS, AP, "score", POL_HIGHER, METHOD_MEAN,
	 "Soddisfazione per i progetti", "Satisfaction with the projects"},
	{"eft.satisfied_share", DIM_EFFECTIVENESS, AP, "percent", POL_HIGHER, METHOD_SHARE,
	 "Quota di rispondenti soddisfatti", "Share of satisfied respondents"},
	{"eft.milestones_on_time", DIM_EFFECTIVENESS, AP, "percent", POL_HIGHER, METHOD_PERCENT,
	 "Tappe raggiunte nei tempi", "Milestones achieved on time"},

	/* Social impact — is anyone better off */
	{"soc.relationship_change", DIM_SOCIAL_IMPACT, AP, "score_diff", POL_HIGHER, METHOD_PAIRED,
	 "Variazione della qualità della relazione (T0→T1)",
	 "Change in relationship quality (T0→T1)"},
	{"soc.relationship_improved_share", DIM_SOCIAL_IMPACT, AP, "percent", POL_HIGHER,
	 METHOD_SHARE, "Quota con relazione migliorata", "Share with improved relationship"},
	{"soc.quality_of_life_change", DIM_SOCIAL_IMPACT, AP, "score_diff", POL_HIGHER,
	 METHOD_WELCH, "Variazione della qualità della vita percepita (T0→T1)",
	 "Change in perceived quality of life (T0→T1)"},
	{"soc.new_partners_share", DIM_SOCIAL_IMPACT, A, "percent", POL_HIGHER, METHOD_RATIO,
	 "Quota di nuovi sottoscrittori", "Share of first-time signatories"},
	{"soc.bridging_share", DIM_SOCIAL_IMPACT, AP, "percent", POL_HIGHER, METHOD_RATIO,
	 "Quota di sottoscrittori di più accordi", "Share of signatories of several agreements"},

	/* Organisational impact — what changed inside the administration */
	{"org.new_solutions", DIM_ORGANISATIONAL_IMPACT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Nuove soluzioni adottate", "New solutions adopted"},
	{"org.process_changes", DIM_ORGANISATIONAL_IMPACT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Processi e programmazione innovati", "Process changes"},
	{"org.new_methods", DIM_ORGANISATIONAL_IMPACT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Nuovi metodi di lavoro", "New working methods"},
	{"org.staff_trained", DIM_ORGANISATIONAL_IMPACT, AP, "persons", POL_HIGHER, METHOD_COUNT,
	 "Personale formato", "Staff trained"},
	{"org.departments", DIM_ORGANISATIONAL_IMPACT, AP, "count", POL_HIGHER, METHOD_COUNT,
	 "Servizi comunali coinvolti", "Departments involved"},
	{"org.culture_score", DIM_ORGANISATIONAL_IMPACT, AP, "score", POL_HIGHER, METHOD_MEAN,
	 "Cultura organizzativa (questionario)", "Organisational culture (survey)"},
};

const int cat_count = sizeof(cat_indicators) / sizeof(cat_indicators[0]);

static const char *const dimension_codes[DIM_COUNT] = {"output", "efficiency", "effectiveness",
						       "social_impact", "organisational_impact"};
static const char *const dimension_it[DIM_COUNT] = {"Output", "Efficienza", "Efficacia",
						    "Impatto sociale", "Impatto organizzativo"};
static const char *const dimension_en[DIM_COUNT] = {"Output", "Efficiency", "Effectiveness",
						    "Social impact", "Organisational impact"};

int cat_index(const char *code)
{
	int i;

	for (i = 0; i < cat_count; i++)
		if (strcmp(cat_indicators[i].code, code) == 0)
			return i;
	return -1;
}

const struct cat_indicator *cat_find(const char *code)
{
	int i = cat_index(code);

	return i < 0 ? NULL : &cat_indicators[i];
}

int cat_is_survey(const struct cat_indicator *ind)
{
	return ind->method == METHOD_MEAN || ind->method == METHOD_SHARE ||
	       ind->method == METHOD_PAIRED || ind->method == METHOD_WELCH;
}

const char *cat_dimension_code(enum cat_dimension d)
{
	return d < DIM_COUNT ? dimension_codes[d] : "";
}

const char *cat_dimension_label(enum cat_dimension d, const char *locale)
{
	if (d >= DIM_COUNT)
		return "";
	return locale && strcmp(locale, "en") == 0 ? dimension_en[d] : dimension_it[d];
}

int cat_dimension_find(const char *code)
{
	int d;

	for (d = 0; d < DIM_COUNT; d++)
		if (strcmp(dimension_codes[d], code) == 0)
			return d;
	return -1;
}

const char *cat_polarity_name(enum cat_polarity p)
{
	switch (p) {
	case POL_HIGHER:
		return "higher";
	case POL_LOWER:
		return "lower";
	default:
		return "neutral";
	}
}

const char *cat_level_name(enum cat_level l)
{
	switch (l) {
	case CAT_POLICY:
		return "policy";
	case CAT_NEIGHBOURHOOD:
		return "neighbourhood";
	default:
		return "agreement";
	}
}

const char *cat_label(const struct cat_indicator *ind, const char *locale)
{
	return locale && strcmp(locale, "en") == 0 ? ind->label_en : ind->label_it;
}

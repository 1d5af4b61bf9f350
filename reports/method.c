#include "method.h"

#include "err.h"
#include "fmt.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A text in both locales. */
struct words {
	const char *it, *en;
};

/* An indicator's words: its label and its definition as of the as-of date
 * D, in the catalogue's order; "A:", "P:" and "N:" name what differs by
 * level. */
struct indicator_words {
	struct words label, definition;
};

static const struct indicator_words indicator_words[CAT_COUNT] = {
	[IND_OUT_AGREEMENTS_SIGNED] =
		{{"Accordi di cittadinanza sottoscritti", "Citizenship agreements signed"},
		 {"accordi con data di firma ≤ D (N: gli accordi che coprono il quartiere)",
		  "agreements with signed_on ≤ D (N: the agreements covering the neighbourhood)"}},
	[IND_OUT_PARTICIPANTS] = {{"Partecipanti ai percorsi", "Participants"},
				  {"persone distinte presenti, con un ruolo diverso da staff, agli "
				   "incontri tenuti ≤ D "
				   "(chi è staff a un incontro e cittadino a un altro conta)",
				   "distinct persons attending with a role other than staff the "
				   "meetings held ≤ D (staff "
				   "at one meeting and citizen at another counts)"}},
	[IND_OUT_MEETINGS] = {{"Incontri realizzati", "Meetings held"},
			      {"incontri tenuti ≤ D", "meetings held ≤ D"}},
	[IND_OUT_MEETING_HOURS] = {{"Ore di incontro", "Meeting hours"},
				   {"somma delle ore di quegli incontri",
				    "sum of the hours of those meetings"}},
	[IND_OUT_SIGNATORIES] = {{"Sottoscrittori degli accordi", "Signatories"},
				 {"sottoscrittori distinti con una firma ≤ D",
				  "distinct signatories with a signature ≤ D"}},
	[IND_OUT_SIGNATORIES_ASSOCIATION] =
		{{"Sottoscrittori: associazioni", "Signatories: associations"},
		 {"out.signatories dei sottoscrittori di tipo associazione",
		  "out.signatories of the signatories of kind association"}},
	[IND_OUT_SIGNATORIES_VOLUNTEER] =
		{{"Sottoscrittori: volontari", "Signatories: volunteers"},
		 {"out.signatories dei sottoscrittori di tipo volontario",
		  "out.signatories of the signatories of kind volunteer"}},
	[IND_OUT_SIGNATORIES_BUSINESS] =
		{{"Sottoscrittori: attività economiche", "Signatories: businesses"},
		 {"out.signatories dei sottoscrittori di tipo attività economica",
		  "out.signatories of the signatories of kind business"}},
	[IND_OUT_PROJECTS] = {{"Progetti definiti", "Projects defined"},
			      {"progetti definiti ≤ D", "projects defined ≤ D"}},
	[IND_OUT_PROJECTS_COMMUNITY_CARE] = {{"Progetti di cura della comunità",
					      "Community-care projects"},
					     {"out.projects dei progetti di cura della comunità",
					      "out.projects of the community-care projects"}},
	[IND_OUT_PROJECTS_CITY_CARE] = {{"Progetti di cura della città", "City-care projects"},
					{"out.projects dei progetti di cura della città",
					 "out.projects of the city-care projects"}},
	[IND_OUT_PROJECTS_COMPLETED] = {{"Progetti completati", "Projects completed"},
					{"progetti completati ≤ D", "projects completed ≤ D"}},
	[IND_OUT_POPULATION] = {{"Popolazione di riferimento", "Population of the areas involved"},
				{"somma della popolazione dei quartieri distinti collegati agli "
				 "accordi nel perimetro "
				 "(N: la popolazione del quartiere)",
				 "sum of the population of the distinct neighbourhoods linked to "
				 "the agreements in scope "
				 "(N: the neighbourhood's own population)"}},
	[IND_OUT_PARTICIPATION_RATE] =
		{{"Partecipanti ogni 1.000 abitanti", "Participants per 1,000 inhabitants"},
		 {"out.participants / out.population × 1000; nullo se la popolazione è 0 (N: i "
		  "partecipanti "
		  "degli accordi che coprono il quartiere, ovunque abitino, sulla popolazione del "
		  "quartiere)",
		  "out.participants / out.population × 1000; null if the population is 0 (N: the "
		  "participants of the covering agreements, wherever they live, over the "
		  "neighbourhood's "
		  "population)"}},
	[IND_EFF_ALLOCATED_EUR] =
		{{"Budget stanziato", "Budget allocated"},
		 {"somma dei movimenti finanziari di fase stanziato registrati ≤ D",
		  "sum of the finance movements of stage allocated booked ≤ D"}},
	[IND_EFF_ALLOCATED_EUR_COMMUNITY_CARE] =
		{{"Budget stanziato: cura della comunità", "Budget allocated: community care"},
		 {"eff.allocated_eur dei progetti di cura della comunità",
		  "eff.allocated_eur of the community-care projects"}},
	[IND_EFF_ALLOCATED_EUR_CITY_CARE] = {{"Budget stanziato: cura della città",
					      "Budget allocated: city care"},
					     {"eff.allocated_eur dei progetti di cura della città",
					      "eff.allocated_eur of the city-care projects"}},
	[IND_EFF_COMMITTED_EUR] = {{"Budget impegnato", "Budget committed"},
				   {"come eff.allocated_eur, fase impegnato",
				    "as eff.allocated_eur, stage committed"}},
	[IND_EFF_COMMITTED_EUR_COMMUNITY_CARE] =
		{{"Budget impegnato: cura della comunità", "Budget committed: community care"},
		 {"eff.committed_eur dei progetti di cura della comunità",
		  "eff.committed_eur of the community-care projects"}},
	[IND_EFF_COMMITTED_EUR_CITY_CARE] = {{"Budget impegnato: cura della città",
					      "Budget committed: city care"},
					     {"eff.committed_eur dei progetti di cura della città",
					      "eff.committed_eur of the city-care projects"}},
	[IND_EFF_SPENT_EUR] = {{"Spesa sostenuta", "Budget spent"},
			       {"come eff.allocated_eur, fase speso",
				"as eff.allocated_eur, stage spent"}},
	[IND_EFF_SPENT_EUR_COMMUNITY_CARE] = {{"Spesa sostenuta: cura della comunità",
					       "Budget spent: community care"},
					      {"eff.spent_eur dei progetti di cura della comunità",
					       "eff.spent_eur of the community-care projects"}},
	[IND_EFF_SPENT_EUR_CITY_CARE] = {{"Spesa sostenuta: cura della città",
					  "Budget spent: city care"},
					 {"eff.spent_eur dei progetti di cura della città",
					  "eff.spent_eur of the city-care projects"}},
	[IND_EFF_COMMITMENT_RATE] = {{"Tasso di impegno", "Commitment rate"},
				     {"impegnato / stanziato × 100; nullo se lo stanziato è 0",
				      "committed / allocated × 100; null if allocated is 0"}},
	[IND_EFF_SPEND_RATE] = {{"Tasso di spesa", "Spend rate"},
				{"speso / stanziato × 100; nullo se lo stanziato è 0",
				 "spent / allocated × 100; null if allocated is 0"}},
	[IND_EFF_COST_PER_PARTICIPANT] =
		{{"Costo per partecipante", "Cost per participant"},
		 {"speso / out.participants; nullo senza partecipanti",
		  "spent / out.participants; null if there are no participants"}},
	[IND_EFF_STAFF_HOURS] = {{"Ore di lavoro del personale comunale", "Staff hours"},
				 {"somma delle ore del personale comunale registrate ≤ D",
				  "sum of the staff hours of the resources recorded ≤ D"}},
	[IND_EFF_COMMUNITY_VALUE_EUR] = {{"Valore delle risorse della comunità",
					  "Value of community resources"},
					 {"ore di volontariato × valore di un'ora di volontariato "
					  "della policy + valore in natura, "
					  "registrati ≤ D",
					  "volunteer hours × the policy's value of a volunteer "
					  "hour + in-kind value, recorded ≤ "
					  "D"}},
	[IND_EFF_LEVERAGE] = {{"Effetto leva (valore comunità / spesa)",
			       "Leverage (community value / spending)"},
			      {"eff.community_value_eur / eff.spent_eur; nullo se lo speso è 0",
			       "eff.community_value_eur / eff.spent_eur; null if spent is 0"}},
	[IND_EFF_DAYS_TO_SIGNATURE] =
		{{"Giorni dall'approvazione alla firma", "Days from approval to signature"},
		 {"A: data di firma − data di approvazione, quando entrambe ≤ D, altrimenti nullo; "
		  "P, N: "
		  "mediana dei valori degli accordi (media dei due centrali per un numero pari)",
		  "A: signed_on − approved_on when both ≤ D, else null; P, N: median of the "
		  "agreements' "
		  "values (mean of the two middle ones for an even count)"}},
	[IND_EFT_AGREEMENT_QUALITY] =
		{{"Qualità dell'accordo (questionario)", "Agreement quality (survey)"},
		 {"media dei punteggi dei rispondenti, questionario agreement_quality, con "
		  "intervallo t",
		  "mean respondent score, instrument agreement_quality, with a t interval"}},
	[IND_EFT_SATISFACTION] =
		{{"Soddisfazione per i progetti", "Satisfaction with the projects"},
		 {"media dei punteggi dei rispondenti, questionario satisfaction, con intervallo t",
		  "mean respondent score, instrument satisfaction, with a t interval"}},
	[IND_EFT_SATISFIED_SHARE] =
		{{"Quota di rispondenti soddisfatti", "Share of satisfied respondents"},
		 {"% dei punteggi di soddisfazione ≥ 4,0; intervallo di Wilson",
		  "% of the satisfaction respondent scores ≥ 4.0; Wilson interval"}},
	[IND_EFT_MILESTONES_ON_TIME] = {{"Tappe raggiunte nei tempi",
					 "Milestones achieved on time"},
					{"delle tappe con scadenza ≤ D, % raggiunte entro la "
					 "scadenza (e ≤ D); nullo se nessuna è "
					 "scaduta; n = tappe scadute",
					 "of the milestones due ≤ D, % achieved by their due date "
					 "(and ≤ D); null if none is due; "
					 "n = milestones due"}},
	[IND_SOC_RELATIONSHIP_CHANGE] = {{"Variazione della qualità della relazione (T0→T1)",
					  "Change in relationship quality (T0→T1)"},
					 {"variazione appaiata T0→T1, questionario "
					  "relationship_quality, con intervallo t, p-value "
					  "ed effect size",
					  "paired T0→T1 change, instrument relationship_quality, "
					  "with a t interval, p-value and "
					  "effect size"}},
	[IND_SOC_RELATIONSHIP_IMPROVED_SHARE] =
		{{"Quota con relazione migliorata", "Share with improved relationship"},
		 {"% delle coppie con T1 > T0; intervallo di Wilson",
		  "% of those pairs with T1 > T0; Wilson interval"}},
	[IND_SOC_QUALITY_OF_LIFE_CHANGE] =
		{{"Variazione della qualità della vita percepita (T0→T1)",
		  "Change in perceived quality of life (T0→T1)"},
		 {"media dei punteggi T1 − media dei punteggi T0, questionario quality_of_life, "
		  "campioni "
		  "indipendenti; intervallo di Welch; n = n0 + n1",
		  "mean T1 respondent score − mean T0 respondent score, instrument "
		  "quality_of_life, "
		  "independent samples; Welch interval; n = n0 + n1"}},
	[IND_SOC_NEW_PARTNERS_SHARE] = {{"Quota di nuovi sottoscrittori",
					 "Share of first-time signatories"},
					{"% dei sottoscrittori dell'accordo (firma ≤ D) la cui "
					 "prima firma in assoluto, in "
					 "qualunque accordo di qualunque policy, è a questo "
					 "accordo (a pari data conta per "
					 "ciascun accordo)",
					 "% of the agreement's signatories (signed ≤ D) whose "
					 "earliest signature anywhere, any "
					 "agreement of any policy, is to this agreement (a tie on "
					 "the date counts for each tied "
					 "agreement)"}},
	[IND_SOC_BRIDGING_SHARE] = {{"Quota di sottoscrittori di più accordi",
				     "Share of signatories of several agreements"},
				    {"% dei sottoscrittori (firma ≤ D) che hanno firmato due o più "
				     "accordi distinti della "
				     "policy entro D",
				     "% of the signatories (signed ≤ D) who signed two or more "
				     "distinct agreements of the "
				     "policy by D"}},
	[IND_ORG_NEW_SOLUTIONS] = {{"Nuove soluzioni adottate", "New solutions adopted"},
				   {"somma delle quantità degli eventi organizzativi new_solution "
				    "avvenuti ≤ D (A: quelli "
				    "dell'accordo; P: tutti quelli della policy)",
				    "sum of the quantities of the org events of kind new_solution "
				    "occurred ≤ D (A: the "
				    "agreement's; P: all the policy's)"}},
	[IND_ORG_PROCESS_CHANGES] = {{"Processi e programmazione innovati", "Process changes"},
				     {"come org.new_solutions, tipo process_change",
				      "as org.new_solutions, kind process_change"}},
	[IND_ORG_NEW_METHODS] = {{"Nuovi metodi di lavoro", "New working methods"},
				 {"come org.new_solutions, tipo new_method",
				  "as org.new_solutions, kind new_method"}},
	[IND_ORG_STAFF_TRAINED] = {{"Personale formato", "Staff trained"},
				   {"come org.new_solutions, tipo training",
				    "as org.new_solutions, kind training"}},
	[IND_ORG_DEPARTMENTS] = {{"Servizi comunali coinvolti", "Departments involved"},
				 {"servizi distinti tra gli eventi dei quattro tipi",
				  "distinct departments among the events of the four kinds"}},
	[IND_ORG_CULTURE_SCORE] = {{"Cultura organizzativa (questionario)",
				    "Organisational culture (survey)"},
				   {"media dei punteggi dei rispondenti, questionario org_culture "
				    "(A: quelli dell'accordo; "
				    "P: "
				    "tutti quelli della policy), con intervallo t",
				    "mean respondent score, instrument org_culture (A: the "
				    "agreement's surveys; P: all the "
				    "policy's), with a t interval"}},
};

/* A section of rules, in the order the document gives them. */
struct section {
	const char *id;
	struct words title;
	const struct words *rules;
	int nrules;
};

static const struct words periods[] = {
	{"Un periodo è un trimestre, scritto AAAA-Qn; la sua data di riferimento D è l'ultimo "
	 "giorno "
	 "del trimestre. Ogni valore è calcolato su tutti i record datati ≤ D (date incluse); "
	 "`previous` è lo stesso calcolo alla fine del trimestre precedente e `delta` = valore − "
	 "precedente (nullo se uno dei due è nullo).",
	 "A period is a calendar quarter, written YYYY-Qn; its as-of date D is the quarter's last "
	 "day. Every value is computed over all records dated on or before D (dates are "
	 "inclusive); "
	 "`previous` is the same computation as of the previous quarter's end and `delta` = value "
	 "− "
	 "previous (null if either is null)."},
	{"Un accordo è nel perimetro a D quando il laboratorio è iniziato ≤ D. Livelli: A, la "
	 "scheda di ogni accordo nel perimetro; P, la scheda della policy (i record degli accordi "
	 "nel "
	 "perimetro, più quelli della policy che non appartengono ad alcun accordo); N, la scheda "
	 "di "
	 "ogni quartiere coperto a D.",
	 "An agreement is in scope at D when its lab started ≤ D. Levels: A, the scorecard of each "
	 "agreement in scope; P, the policy's scorecard (the records of the agreements in scope, "
	 "plus "
	 "the policy's records that belong to no agreement); N, the scorecard of each "
	 "neighbourhood "
	 "covered at D."},
	{"Una somma su nessun record è 0; un rapporto con denominatore 0 è nullo; le deviazioni "
	 "standard sono campionarie (n − 1); i conteggi sono distinti dove la definizione lo dice "
	 "(chi ha partecipato agli incontri di due accordi è un solo partecipante della policy).",
	 "A sum over no records is 0; a ratio whose denominator is 0 is null; standard deviations "
	 "are sample ones (n − 1); counts are distinct where the definition says so (a person who "
	 "attended two agreements' meetings is one participant of the policy)."},
	{"I confronti che decidono uno stato, una quota (punteggio ≥ 4,0, T1 > T0) o se una "
	 "deviazione standard è 0 usano una tolleranza di 1e-9 (relativa a max(1, |t|) per i "
	 "target), così che l'arrotondamento non li decida mai.",
	 "Comparisons that decide a status, a share (score ≥ 4.0, T1 > T0) or whether a standard "
	 "deviation is 0 use a tolerance of 1e-9 (relative to max(1, |t|) for targets), so that "
	 "floating-point rounding never decides them."},
};

static const struct words territory[] = {
	{"Un quartiere è coperto a D quando è collegato ad almeno un accordo della policy nel "
	 "perimetro a D. I suoi record sono quelli degli accordi nel perimetro che lo coprono, "
	 "letti "
	 "come al livello P; i record che non appartengono ad alcun accordo non sono letti.",
	 "A neighbourhood is covered at D when it is linked to at least one agreement of the "
	 "policy "
	 "in scope at D. Its records are those of the in-scope agreements that cover it, read "
	 "exactly as at P; records that belong to no agreement are not read."},
	{"Un accordo che copre più quartieri conta per intero in ciascuno: i valori dei quartieri "
	 "non si sommano a quelli della policy. Ogni indicatore P esiste a N con la definizione P; "
	 "i target di livello neighbourhood valgono per ogni quartiere, i pesi sono quelli della "
	 "policy.",
	 "An agreement that covers several neighbourhoods counts whole in each of them: "
	 "neighbourhood figures do not add up to the policy's. Every P indicator exists at N with "
	 "the P definition; targets at level neighbourhood apply to every neighbourhood, weights "
	 "are the policy's."},
};

static const struct words survey[] = {
	{"Punteggio del rispondente: la media delle sue risposte date nei questionari che "
	 "l'indicatore legge; chi non ha risposto ad alcuna domanda non è contato. A livello P un "
	 "rispondente conta una volta per accordo (i questionari org_culture della policy: una "
	 "volta per la policy).",
	 "Respondent score: the mean of a respondent's answered items within the surveys that the "
	 "indicator reads; a respondent with no answered item is not counted. At P a respondent is "
	 "counted once per agreement (the policy-wide org_culture surveys: once per policy)."},
	{"Medie (eft.agreement_quality, eft.satisfaction, org.culture_score): valore = media dei "
	 "punteggi; n = rispondenti; intervallo al 95% = media ± t(0,975; n−1)·s/√n (nullo se "
	 "n < 2). Ogni accordo è un gruppo, e i questionari org_culture della policy un gruppo in "
	 "più.",
	 "Means (eft.agreement_quality, eft.satisfaction, org.culture_score): value = mean of the "
	 "respondent scores; n = respondents; 95% interval = mean ± t(0.975, n−1)·s/√n (null if "
	 "n < 2). Each agreement is a group, and the policy-wide org_culture surveys one more "
	 "group."},
	{"Quote (eft.satisfied_share, soc.relationship_improved_share): valore = 100·k/n; "
	 "intervallo di Wilson al 95% (z = 1,959964), in percentuale. Le altre percentuali non "
	 "hanno "
	 "intervallo.",
	 "Shares (eft.satisfied_share, soc.relationship_improved_share): value = 100·k/n; 95% "
	 "Wilson score interval (z = 1.959964), in percent. Other percentages have no interval."},
	{"Variazione appaiata (soc.relationship_change): una coppia è un rispondente con un "
	 "punteggio T0 e uno T1 nello stesso accordo; d = T1 − T0; valore = media di d; n = "
	 "coppie; "
	 "intervallo t come sopra; p-value (test t appaiato a due code; nullo se n < 2 o la "
	 "deviazione standard è 0) ed effect size (media di d / deviazione standard di d; nullo se "
	 "questa è 0).",
	 "Paired change (soc.relationship_change): a pair is a respondent with a T0 score and a T1 "
	 "score in the same agreement; d = T1 − T0; value = mean d; n = pairs; t interval as "
	 "above; "
	 "p_value (two-sided paired t-test; null if n < 2 or the standard deviation is 0) and "
	 "effect_size (mean d / sd of d; null if sd is 0)."},
	{"Welch (soc.quality_of_life_change): intervallo con i gradi di libertà di "
	 "Welch–Satterthwaite; niente p-value né effect size. Una deviazione standard 0 dà un "
	 "intervallo di ampiezza zero.",
	 "Welch (soc.quality_of_life_change): interval with Welch–Satterthwaite degrees of "
	 "freedom; "
	 "no p_value or effect_size. A standard deviation of 0 gives a zero-width interval."},
};

static const struct words suppression[] = {
	{"Primaria: un indicatore da questionario con n (per Welch: n0 o n1) sotto il `min_cell` "
	 "della policy ha valore, intervallo, p-value ed effect size nulli ed è segnato come "
	 "soppresso; anche n = 0 è sotto min_cell. n resta pubblicato; i conteggi di record non "
	 "sono mai soppressi.",
	 "Primary: a survey-based indicator whose n (for Welch: n0 or n1) is below the policy's "
	 "`min_cell` has value, interval, p_value and effect_size null and shows as suppressed; "
	 "n = 0 is below min_cell too. n itself is published; counts of records are never "
	 "suppressed."},
	{"Complementare (secondaria), livelli A e P: a ogni data e per ogni indicatore da "
	 "questionario, sia S l'insieme degli accordi soppressi in via primaria. Se S non è vuoto, "
	 "vi si aggiunge uno alla volta l'accordo non soppresso con n minore (a pari n, il codice "
	 "in ordine di byte) finché S conta almeno due accordi e i loro n sommano almeno min_cell "
	 "(Welch: n0 e n1 ciascuno). Gli accordi aggiunti sono soppressi anch'essi; se S prende "
	 "tutti gli accordi e non basta, è soppresso anche il valore della policy.",
	 "Complementary (secondary), levels A and P: at each date and for each survey-based "
	 "indicator, let S be the agreements suppressed by the primary rule. If S is not empty, "
	 "add to it one at a time the not-suppressed agreement with the smallest n (ties: code in "
	 "byte order) until S holds at least two agreements and their n sum to at least min_cell "
	 "(Welch: n0 and n1 each). The agreements added are suppressed too; if S takes every "
	 "agreement and still falls short, the policy's value is suppressed as well."},
	{"Livello N: la regola primaria vale come a P. Un valore N da questionario è soppresso "
	 "anche (secondaria) a meno che ogni accordo che copre il quartiere con n sopra 0 abbia "
	 "pubblicato il valore di quell'indicatore: così un valore N non dice nulla che i valori "
	 "degli accordi non dicano già.",
	 "Level N: the primary rule applies as at P. A survey-based N value is also suppressed "
	 "(secondary) unless every covering agreement whose n is above 0 has that indicator's "
	 "value published: an N value then tells nothing that the agreement values do not."},
	{"Un valore soppresso, primario o secondario, non ha stato né punteggio normalizzato e non "
	 "entra nei punteggi di dimensione né nell'indice; il valore precedente e le serie seguono "
	 "la stessa regola alla propria data, e delta è nullo se uno dei due lati è soppresso.",
	 "A suppressed value, primary or secondary, has no status and no normalised score and "
	 "takes "
	 "no part in dimension scores or the index; the previous value and every trend value "
	 "follow "
	 "the same rule at their own date, and delta is null when either side is suppressed."},
};

static const struct words evidence[] = {
	{"Focus group, interviste, osservazioni e documenti registrati nel periodo (inizio ≤ data "
	 "≤ D), dal più recente: a livello A quelli dell'accordo; a N quelli del quartiere e degli "
	 "accordi che lo coprono; a P tutti quelli della policy; con il conteggio di quelli "
	 "registrati ≤ D. Le evidenze non cambiano mai un numero.",
	 "Focus groups, interviews, observations and documents recorded within the period (start "
	 "≤ recorded_on ≤ D), newest first: at A the agreement's own; at N the neighbourhood's own "
	 "and that of the covering agreements; at P all of the policy's; with the count recorded "
	 "≤ D. Evidence never changes a number."},
};

static const struct words targets[] = {
	{"Un target vale per un indicatore a un livello. Con target t, rapporto ambra r (0,8 se "
	 "non indicato) e valore v: polarità higher, verde se v ≥ t, giallo se v ≥ t − (1−r)·|t|, "
	 "altrimenti rosso; lower, verde se v ≤ t, giallo se v ≤ t + (1−r)·|t|, altrimenti rosso. "
	 "Senza target, o con valore nullo o soppresso: stato none. Gli indicatori neutral non "
	 "hanno target.",
	 "A target applies to an indicator at a level. With target t, amber ratio r (default 0.8) "
	 "and value v: polarity higher, green if v ≥ t, amber if v ≥ t − (1−r)·|t|, else red; "
	 "lower, green if v ≤ t, amber if v ≤ t + (1−r)·|t|, else red. No target, or a null or "
	 "suppressed value: status none. Neutral indicators take no target."},
	{"Punteggio normalizzato, 0-100: 100 se verde; altrimenti 100·max(0, 1 − scarto/|t|) con "
	 "scarto = t − v (higher) o v − t (lower); se t = 0 e non verde, 0. Nullo senza target o "
	 "con valore nullo o soppresso.",
	 "Normalised score, 0-100: 100 if green; otherwise 100·max(0, 1 − gap/|t|) with gap = "
	 "t − v (higher) or v − t (lower); if t = 0 and not green, 0. Null without a target, or "
	 "when the value is null or suppressed."},
};

static const struct words decision[] = {
	{"Punteggio di dimensione: media pesata dei punteggi normalizzati degli indicatori della "
	 "dimensione con target e valore non nullo né soppresso (pesi da weights.csv, 1 se non "
	 "indicati); nullo se non ce n'è o i pesi sommano 0. Copertura = pesi usati / pesi degli "
	 "indicatori della dimensione con target.",
	 "Dimension score: weighted mean of the normalised scores of the dimension's indicators "
	 "that have a target and a non-null, non-suppressed value (weights from weights.csv, "
	 "default 1); null if there is none or their weights sum to 0. Coverage = weights used / "
	 "weights of the dimension's indicators that have a target."},
	{"Indice: media pesata dei punteggi di dimensione non nulli (pesi delle dimensioni da "
	 "weights.csv, 1 se non indicati); nullo se non ce n'è o i pesi sommano 0.",
	 "Index: weighted mean of the non-null dimension scores (dimension weights from "
	 "weights.csv, default 1); null if there is none or their weights sum to 0."},
	{"Sensibilità (scheda della policy): l'indice e il rango di ogni accordo ricalcolati su "
	 "1000 estrazioni in cui ogni peso è moltiplicato per un fattore uniforme indipendente in "
	 "[0,75; 1,25] (seme fisso, riproducibile); si riportano il 5° e il 95° percentile "
	 "(interpolazione lineare). Rango 1 è l'indice più alto; a pari indice il rango migliore "
	 "(1, 2, 2, 4); gli accordi con indice nullo non sono classificati.",
	 "Sensitivity (policy scorecard): the index and every agreement's rank recomputed over "
	 "1000 draws in which each weight is multiplied by an independent uniform factor in "
	 "[0.75, 1.25] (fixed seed, reproducible); the 5th and 95th percentiles are reported "
	 "(linear interpolation). Rank 1 is the highest index; tied agreements share the best rank "
	 "(1, 2, 2, 4); agreements whose index is null are not ranked."},
};

#define RULES(a) a, (int)(sizeof(a) / sizeof(a[0]))

static const struct section sections[] = {
	{"periods",
	 {"Periodi, perimetro e regole generali", "Periods, scope and general rules"},
	 RULES(periods)},
	{"territory", {"Livello territoriale N", "Territory level N"}, RULES(territory)},
	{"survey_statistics", {"Statistiche dei questionari", "Survey statistics"}, RULES(survey)},
	{"suppression", {"Soppressione", "Suppression"}, RULES(suppression)},
	{"evidence", {"Evidenze qualitative", "Qualitative evidence"}, RULES(evidence)},
	{"targets",
	 {"Target, stato e normalizzazione", "Targets, status and normalisation"},
	 RULES(targets)},
	{"decision_model", {"Modello decisionale", "Decision model"}, RULES(decision)},
};

/* Words of the document itself. */
static const struct words w_title = {"Metodo", "Method"};
static const struct words w_indicators = {"Indicatori", "Indicators"};
static const struct words w_head = {
	"| codice | indicatore | livelli | unità | polarità | definizione alla data D |",
	"| code | indicator | levels | unit | polarity | definition as of D |"};

static const char *pick(const struct words *w, const char *locale)
{
	return fmt_is_en(locale) ? w->en : w->it;
}

/* How a value is finished, by its statistic: the JSON's "statistic". */
static const char *statistic_name(enum cat_method m)
{
	static const char *const names[] = {"count", "ratio",  "median", "mean",
					    "share", "paired", "welch",	 "percent"};

	return (size_t)m < sizeof(names) / sizeof(names[0]) ? names[m] : "";
}

/* The words of the catalogue entry `ind`, or NULL outside the catalogue. */
static const struct indicator_words *words_of(const struct cat_indicator *ind)
{
	ptrdiff_t i = ind ? ind - cat_indicators : -1;

	return i >= 0 && i < CAT_COUNT ? &indicator_words[i] : NULL;
}

/* pick, with "" for words a catalogue entry lacks (the method test catches
 * them). */
static const char *pick_or_empty(const struct words *w, const char *locale)
{
	const char *s = w->it ? pick(w, locale) : NULL;

	return s ? s : "";
}

const char *rep_method_definition(const struct cat_indicator *ind, const char *locale)
{
	const struct indicator_words *w = words_of(ind);

	return w ? pick_or_empty(&w->definition, locale) : "";
}

const char *rep_label(const struct cat_indicator *ind, const char *locale)
{
	const struct indicator_words *w = words_of(ind);

	return w ? pick_or_empty(&w->label, locale) : "";
}

const char *rep_dimension_label(enum cat_dimension d, const char *locale)
{
	static const struct words dimension[DIM_COUNT] = {
		{"Output", "Output"},
		{"Efficienza", "Efficiency"},
		{"Efficacia", "Effectiveness"},
		{"Impatto sociale", "Social impact"},
		{"Impatto organizzativo", "Organisational impact"}};

	return (unsigned)d < DIM_COUNT ? pick(&dimension[d], locale) : "";
}

/* "A, P, N": the levels of an indicator as the spec's letters. */
static void level_letters(unsigned levels, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s", levels & CAT_AGREEMENT ? "A" : "",
		 (levels & CAT_AGREEMENT) && (levels & CAT_POLICY) ? ", " : "",
		 levels & CAT_POLICY ? "P" : "", levels & CAT_NEIGHBOURHOOD ? ", " : "",
		 levels & CAT_NEIGHBOURHOOD ? "N" : "");
}

static void write_md_locale(FILE *f, const char *locale)
{
	char lv[16];
	int d, i, k;
	size_t s;

	fprintf(f, "## %s\n\n### %s\n", fmt_is_en(locale) ? "English" : "Italiano",
		pick(&w_indicators, locale));
	for (d = 0; d < DIM_COUNT; d++) {
		fprintf(f, "\n#### %s (`%s`)\n\n%s\n|---|---|---|---|---|---|\n",
			rep_dimension_label(d, locale), cat_dimension_code(d),
			pick(&w_head, locale));
		for (i = 0; i < cat_count; i++) {
			const struct cat_indicator *ind = &cat_indicators[i];

			if ((int)ind->dimension != d)
				continue;
			level_letters(ind->levels, lv, sizeof(lv));
			fprintf(f, "| `%s` | %s | %s | %s | %s | %s |\n", ind->code,
				rep_label(ind, locale), lv, ind->unit,
				cat_polarity_name(ind->polarity),
				rep_method_definition(ind, locale));
		}
	}
	for (s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		fprintf(f, "\n### %s\n\n", pick(&sections[s].title, locale));
		for (k = 0; k < sections[s].nrules; k++)
			fprintf(f, "- %s\n", pick(&sections[s].rules[k], locale));
	}
}

int rep_method_write_md(FILE *f, const char *locale)
{
	fprintf(f, "# %s — %s\n\n", w_title.it, w_title.en);
	fprintf(f, "<!-- Generated by `cruscotto catalogue --format md`; do not edit: "
		   "regenerate it. -->\n\n");
	fprintf(f, "Livelli / levels: A accordo / agreement, P policy, N quartiere / "
		   "neighbourhood.\n\n");
	if (!locale || !fmt_is_en(locale))
		write_md_locale(f, "it");
	if (!locale)
		fputc('\n', f);
	if (!locale || fmt_is_en(locale))
		write_md_locale(f, "en");
	if (fflush(f) != 0 || ferror(f))
		return err_set(ERR_FAIL, "cannot write the method");
	return 0;
}

/* {"it": ..., "en": ...}, or the one locale asked for. */
static cJSON *texts(const char *it, const char *en, const char *locale)
{
	cJSON *o = cJSON_CreateObject();

	if (o && (!locale || !fmt_is_en(locale)))
		cJSON_AddStringToObject(o, "it", it);
	if (o && (!locale || fmt_is_en(locale)))
		cJSON_AddStringToObject(o, "en", en);
	return o;
}

/* Notes a failed cJSON allocation: the adders accept a NULL parent or item,
 * so the tree is built whole and judged once at the end. */
#define ADD(x)                                                                                     \
	do {                                                                                       \
		if (!(x))                                                                          \
			bad = 1;                                                                   \
	} while (0)

/* The document as a cJSON tree, or NULL when out of memory. */
static cJSON *method_json(const char *locale)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o, *lv, *rules;
	int i, l, k, bad = !root;
	size_t s;

	ADD(cJSON_AddStringToObject(root, "format", "cruscotto.method/1"));
	arr = cJSON_AddArrayToObject(root, "locales");
	ADD(arr);
	if (!locale || !fmt_is_en(locale))
		ADD(cJSON_AddItemToArray(arr, cJSON_CreateString("it")));
	if (!locale || fmt_is_en(locale))
		ADD(cJSON_AddItemToArray(arr, cJSON_CreateString("en")));
	arr = cJSON_AddArrayToObject(root, "indicators");
	ADD(arr);
	for (i = 0; i < cat_count; i++) {
		const struct cat_indicator *ind = &cat_indicators[i];

		o = cJSON_CreateObject();
		ADD(o);
		ADD(cJSON_AddItemToArray(arr, o));
		ADD(cJSON_AddStringToObject(o, "code", ind->code));
		ADD(cJSON_AddStringToObject(o, "dimension", cat_dimension_code(ind->dimension)));
		ADD(cJSON_AddStringToObject(o, "unit", ind->unit));
		ADD(cJSON_AddStringToObject(o, "polarity", cat_polarity_name(ind->polarity)));
		ADD(cJSON_AddStringToObject(o, "statistic", statistic_name(ind->method)));
		lv = cJSON_AddArrayToObject(o, "levels");
		ADD(lv);
		for (l = CAT_AGREEMENT; l <= CAT_NEIGHBOURHOOD; l <<= 1)
			if (ind->levels & (unsigned)l)
				ADD(cJSON_AddItemToArray(lv,
							 cJSON_CreateString(cat_level_name(l))));
		ADD(cJSON_AddItemToObject(
			o, "label", texts(rep_label(ind, "it"), rep_label(ind, "en"), locale)));
		ADD(cJSON_AddItemToObject(o, "definition",
					  texts(rep_method_definition(ind, "it"),
						rep_method_definition(ind, "en"), locale)));
	}
	arr = cJSON_AddArrayToObject(root, "dimensions");
	ADD(arr);
	for (i = 0; i < DIM_COUNT; i++) {
		o = cJSON_CreateObject();
		ADD(o);
		ADD(cJSON_AddItemToArray(arr, o));
		ADD(cJSON_AddStringToObject(o, "code", cat_dimension_code(i)));
		ADD(cJSON_AddItemToObject(
			o, "label",
			texts(rep_dimension_label(i, "it"), rep_dimension_label(i, "en"), locale)));
	}
	arr = cJSON_AddArrayToObject(root, "sections");
	ADD(arr);
	for (s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		o = cJSON_CreateObject();
		ADD(o);
		ADD(cJSON_AddItemToArray(arr, o));
		ADD(cJSON_AddStringToObject(o, "id", sections[s].id));
		ADD(cJSON_AddItemToObject(
			o, "title", texts(sections[s].title.it, sections[s].title.en, locale)));
		rules = cJSON_AddArrayToObject(o, "rules");
		ADD(rules);
		for (k = 0; k < sections[s].nrules; k++)
			ADD(cJSON_AddItemToArray(rules, texts(sections[s].rules[k].it,
							      sections[s].rules[k].en, locale)));
	}
	if (bad) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int rep_method_write_json(FILE *f, const char *locale)
{
	cJSON *root = method_json(locale);
	char *text = root ? cJSON_Print(root) : NULL;
	int rc = 0;

	if (!text) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	if (fputs(text, f) < 0 || fputc('\n', f) == EOF || fflush(f) != 0)
		rc = err_set(ERR_FAIL, "cannot write the method");
out:
	free(text);
	cJSON_Delete(root);
	return rc;
}

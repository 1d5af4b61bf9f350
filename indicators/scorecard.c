#include "scorecard.h"

#include "decision.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

const char *const sc_ex_ante_criteria[3] = {"feasibility", "opportunity", "relevance"};

/* The key figures of docs/METHOD.md's output and efficiency dimensions plus the
 * headline survey figure: all exist at both levels, so one chart layout
 * serves both scorecards. */
const enum cat_id sc_trend_ids[] = {IND_OUT_PARTICIPANTS, IND_OUT_SIGNATORIES, IND_OUT_PROJECTS,
				    IND_EFF_SPENT_EUR, IND_EFT_SATISFACTION};
const int sc_trend_count = sizeof(sc_trend_ids) / sizeof(sc_trend_ids[0]);

const char *sc_status_name(enum sc_status s)
{
	switch (s) {
	case ST_GREEN:
		return "green";
	case ST_AMBER:
		return "amber";
	case ST_RED:
		return "red";
	default:
		return "none";
	}
}

const char *sc_suppression_name(enum sc_suppression s)
{
	switch (s) {
	case SUP_PRIMARY:
		return "primary";
	case SUP_SECONDARY:
		return "secondary";
	default:
		return NULL;
	}
}

int sc_new(enum cat_level level, struct scorecard **out)
{
	struct scorecard *sc = malloc(sizeof(*sc));

	if (!sc)
		return err_set(ERR_FAIL, "out of memory");
	sc_init(sc, level);
	*out = sc;
	return 0;
}

void sc_init(struct scorecard *sc, enum cat_level level)
{
	int i;

	memset(sc, 0, sizeof(*sc));
	sc->level = level;
	for (i = 0; i < CAT_COUNT; i++) {
		struct sc_indicator *x = &sc->ind[i];

		x->ind = &cat_indicators[i];
		x->present = (cat_indicators[i].levels & (unsigned)level) != 0;
		x->status = ST_NONE;
		x->amber_ratio = DEC_AMBER_RATIO_DEFAULT;
		x->weight.set = 1;
		x->weight.v = 1.0;
	}
	for (i = 0; i < DIM_COUNT; i++) {
		sc->dims[i].weight.set = 1;
		sc->dims[i].weight.v = 1.0;
	}
}

const struct sc_indicator *sc_ind(const struct scorecard *sc, enum cat_id id)
{
	return (int)id >= 0 && id < CAT_COUNT && sc->ind[id].present ? &sc->ind[id] : NULL;
}

const struct sc_indicator *sc_cget(const struct scorecard *sc, const char *code)
{
	int i = cat_index(code);

	return i < 0 ? NULL : sc_ind(sc, (enum cat_id)i);
}

struct sc_indicator *sc_get(struct scorecard *sc, const char *code)
{
	int i = cat_index(code);

	return i < 0 || !sc->ind[i].present ? NULL : &sc->ind[i];
}

void sc_add_note(struct scorecard *sc, enum sc_note note)
{
	int i;

	for (i = 0; i < sc->n_notes; i++)
		if (sc->notes[i] == note)
			return;
	if (sc->n_notes < SC_NOTE_COUNT)
		sc->notes[sc->n_notes++] = note;
}

void sc_free(struct scorecard *sc)
{
	int i;

	if (!sc)
		return;
	free(sc->policy_code);
	free(sc->policy_name);
	free(sc->locale);
	free(sc->agreement_code);
	free(sc->agreement_title);
	free(sc->agreement_status);
	free(sc->lab_started_on);
	free(sc->approved_on);
	free(sc->signed_on);
	free(sc->closed_on);
	free(sc->published_on);
	for (i = 0; sc->neighbourhoods && i < sc->n_neighbourhoods; i++) {
		free(sc->neighbourhoods[i].code);
		free(sc->neighbourhoods[i].name);
	}
	free(sc->neighbourhoods);
	for (i = 0; sc->projects && i < sc->n_projects; i++) {
		free(sc->projects[i].code);
		free(sc->projects[i].title);
		free(sc->projects[i].kind);
		free(sc->projects[i].defined_on);
		free(sc->projects[i].completed_on);
	}
	free(sc->projects);
	for (i = 0; sc->milestones && i < sc->n_milestones; i++) {
		free(sc->milestones[i].project_code);
		free(sc->milestones[i].title);
		free(sc->milestones[i].due_on);
		free(sc->milestones[i].achieved_on);
	}
	free(sc->milestones);
	for (i = 0; sc->ranks && i < sc->n_ranks; i++) {
		free(sc->ranks[i].agreement_code);
		free(sc->ranks[i].agreement_title);
	}
	free(sc->ranks);
	free(sc->neighbourhood.code);
	free(sc->neighbourhood.name);
	for (i = 0; sc->covering && i < sc->n_covering; i++) {
		free(sc->covering[i].code);
		free(sc->covering[i].title);
	}
	free(sc->covering);
	for (i = 0; sc->territories && i < sc->n_territories; i++) {
		free(sc->territories[i].code);
		free(sc->territories[i].name);
	}
	free(sc->territories);
	for (i = 0; sc->evidence && i < sc->n_evidence; i++) {
		free(sc->evidence[i].code);
		free(sc->evidence[i].kind);
		free(sc->evidence[i].recorded_on);
		free(sc->evidence[i].title);
		free(sc->evidence[i].summary);
		free(sc->evidence[i].agreement_code);
		free(sc->evidence[i].neighbourhood_code);
	}
	free(sc->evidence);
	for (i = 0; sc->trend && i < sc->n_trend; i++)
		free(sc->trend[i].values);
	free(sc->trend);
	free(sc->batch_at);
	free(sc->snapshot);
	free(sc);
}

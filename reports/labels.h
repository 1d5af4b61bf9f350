/* labels: the words and formatted figures that the human-readable
 * scorecards (PDF and HTML) share, so that both read the same: the period
 * and lifecycle lines, the headline tiles, an indicator's row, a rank's
 * range, a project's budget and milestones, a milestone's outcome.
 *
 * Everything is in the scorecard's locale and goes through format.h. Text
 * written into caller buffers is UTF-8 and may hold no-break spaces
 * (U+00A0) where a line must not break ("firma 20/06/2018"); too long, it
 * is cut between code points. Nothing here escapes for a markup language:
 * the renderer does. */
#ifndef CR_LABELS_H
#define CR_LABELS_H

#include "scorecard.h"

#include <stdarg.h>
#include <stddef.h>

/* Size of the buffers below: the longest text is a sentence of ~100 chars. */
#define LBL_CELL 192

/* snprintf for text: too long, it is cut between code points, never inside
 * one. lbl_append writes after what buf already holds. */
void lbl_vsay(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void lbl_say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void lbl_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Drops an incomplete code point at the end of s (left by a cut). */
void lbl_utf8_trim(char *s);

/* `it` or `en` by the locale (format.h: anything but "en" is Italian). */
const char *lbl_tr(const char *locale, const char *it, const char *en);

/* "soppresso" / "suppressed": what a withheld value reads, whether it was
 * withheld for itself (primary) or to protect another (secondary). */
const char *lbl_suppressed(const char *locale);

/* The formatted value of indicator id of sc: "—" when absent or null,
 * lbl_suppressed when suppressed. Returns 0 or ERR_FAIL. */
int lbl_indicator_value(const struct scorecard *sc, enum cat_id id, char *buf, size_t size);

/* A 0-100 score (dimension, index): one decimal, "—" when null. */
int lbl_score(struct sc_num v, const char *locale, char *buf, size_t size);

/* "75,0 – 81,0", the index's 5th-95th percentile range; "—" when both
 * bounds are null. */
int lbl_score_range(struct sc_num lo, struct sc_num hi, const char *locale, char *buf, size_t size);

/* "Trimestre dal 1º ottobre 2018 al 31 dicembre 2018 · confronto con il
 * 2018-Q3". Returns 0 or ERR_FAIL (a malformed date). */
int lbl_period(const struct scorecard *sc, char *buf, size_t size);

/* "avvio del laboratorio 15/01/2018 · approvazione 02/05/2018 · ...", the
 * agreement's lifecycle dates that are set; "—" when none. */
int lbl_lifecycle(const struct scorecard *sc, char *buf, size_t size);

/* "Santa Croce, Ospizio": the neighbourhoods' names (codes when unnamed). */
void lbl_neighbourhoods(const struct scorecard *sc, char *buf, size_t size);

/* Copies src replacing its spaces with no-break spaces. */
void lbl_glue(char *dst, size_t size, const char *src);

/* One headline tile: a figure, what it is, and its breakdown (or ""). */
struct lbl_tile {
	const char *code; /* the indicator shown */
	char value[LBL_CELL];
	const char *label;
	char sub[2 * LBL_CELL];
};

/* The headline tiles, in order: agreements signed (policy; neighbourhood:
 * the covering agreements signed), participants, population, signatories
 * by kind, projects by kind, and the budgets of community and city care
 * with what is committed and spent.
 * Writes *n (6 or 7). Returns 0 or ERR_FAIL. */
#define LBL_MAX_TILES 7
int lbl_tiles(const struct scorecard *sc, struct lbl_tile tiles[LBL_MAX_TILES], int *n);

/* One row of a dimension's table. A suppressed indicator shows nothing
 * derived from its value: value lbl_suppressed, change, status and interval
 * empty ("—" and ST_NONE); n and previous are shown. */
struct lbl_row {
	const char *label;
	int breakdown;	/* a part of the total above it (out.signatories.association) */
	int suppressed; /* 1: value reads lbl_suppressed */
	char value[LBL_CELL], previous[LBL_CELL], delta[LBL_CELL], target[LBL_CELL];
	int direction; /* sign of the printed change: 1, -1 or 0 */
	enum sc_status status;
	char n[LBL_CELL], interval[LBL_CELL];
};

int lbl_row(const struct scorecard *sc, const struct sc_indicator *x, struct lbl_row *out);

/* True when the table of dimension d shows n and the 95% interval: some
 * indicator of it is a survey or has n or an interval. */
int lbl_dimension_has_stats(const struct scorecard *sc, enum cat_dimension d);

/* "punteggio 68,0 · copertura degli obiettivi 75,0%": the aside of a
 * dimension's table. */
int lbl_dimension_aside(const struct scorecard *sc, enum cat_dimension d, char *buf, size_t size);

/* What each status means, for the legend: "obiettivo raggiunto", ... */
const char *lbl_status_meaning(enum sc_status s, const char *locale);

/* A rank: "15", or "—" when not ranked. */
int lbl_rank(const struct sc_rank *k, const char *locale, char *buf, size_t size);

/* A rank's 5th-95th percentile range "12–18", "—" when ranked without one,
 * "non classificato" / "not ranked" when not ranked. */
int lbl_rank_range(const struct sc_rank *k, const char *locale, char *buf, size_t size);

/* The worst rank or 95th percentile of the policy, at least 1: the scale of
 * the rank range bars. */
double lbl_rank_scale(const struct scorecard *sc);

/* "cura della comunità" / "community care" for a project kind. */
const char *lbl_project_kind(const char *kind, const char *locale);

/* The texts of a project's row. */
struct lbl_project {
	char sub[LBL_CELL];	       /* "PRJ-01 · cura della comunità · completato il …" */
	char budget[2 * LBL_CELL];     /* "stanziati 20.000 € · impegnati … · spesi …" */
	char milestones[LBL_CELL];     /* "1 nei tempi su 2 scadute" */
	char milestones_sub[LBL_CELL]; /* "3 in totale" */
};

int lbl_project(const struct sc_project *pr, const char *locale, struct lbl_project *out);

/* A milestone's outcome as of the scorecard's date: on time (green),
 * achieved late (amber), overdue (red), not yet due (none); *word is its
 * text. `achieved` says whether achieved_on counts (on or before the date). */
enum sc_status lbl_milestone(const struct scorecard *sc, const struct sc_milestone *m,
			     int *achieved, const char **word);

/* The ex-ante outcome: passed, not passed, or not passed because a
 * criterion is missing. */
const char *lbl_ex_ante_outcome(const struct scorecard *sc);

/* The value of trend series k (-1: the index, else sc_trend_ids[k]) at
 * trend point i. */
struct sc_num lbl_trend_value(const struct scorecard *sc, int k, int i);

/* The vertical range a trend chart of series k draws, as the PDF and HTML
 * both scale it: the index on 0-100, scores on at least their 1-5 range,
 * everything else (cumulative counts and euros) from 0 to the largest
 * value. Returns 1 when the series has a drawable value, else 0. */
int lbl_trend_scale(const struct scorecard *sc, int k, double *lo, double *hi);

/* "Focus group", "Intervista" / "Interview", "Osservazione" /
 * "Observation", "Documento" / "Document": an evidence kind as a word of
 * the locale; an unknown kind is returned as is, NULL gives "—". */
const char *lbl_evidence_kind(const char *kind, const char *locale);

/* "14 partecipanti" / "14 participants", "1 partecipante" / "1
 * participant", "partecipanti: —" / "participants: —" when not recorded. */
int lbl_evidence_participants(const struct sc_evidence *e, const char *locale, char *buf,
			      size_t size);

/* "12 registrate fino al 31/12/2018" / "12 recorded up to 31/12/2018":
 * the evidence recorded up to the scorecard's date (evidence_total).
 * Returns 0 or ERR_FAIL (a malformed date). */
int lbl_evidence_total(const struct scorecard *sc, char *buf, size_t size);

/* The method note on evidence: summaries are published as written and
 * change no number. */
const char *lbl_evidence_note(const char *locale);

/* The line above a scorecard's title, by its level: "CRUSCOTTO DI
 * VALUTAZIONE · POLITICA" / "EVALUATION SCORECARD · POLICY", "... ·
 * ACCORDO DI CITTADINANZA", "... · QUARTIERE". */
const char *lbl_kicker(const struct scorecard *sc);

/* "AGR-001 Orti condivisi · AGR-002 ...": the covering agreements of a
 * neighbourhood scorecard, code and title, in the model's order; "—" when
 * none. */
void lbl_covering(const struct scorecard *sc, char *buf, size_t size);

#endif

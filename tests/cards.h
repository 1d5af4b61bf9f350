/* cards: scorecards built by hand for the renderers' tests (PDF, HTML), like
 * the demo's: every indicator of the level set, surveys with n and interval,
 * eft.satisfaction primary-suppressed (n 3), trends with a gap, and at
 * agreement level projects and milestones. Allocation failures fail the
 * test (Check). Free a card with sc_free. */
#ifndef CR_TEST_CARDS_H
#define CR_TEST_CARDS_H

#include "scorecard.h"

/* A title long enough to wrap. */
extern const char card_long_title[];

char *card_strdup(const char *s);
struct sc_num card_num(double v);

/* Sets an indicator: value, previous, target (NaN: none) and status. */
struct sc_indicator *card_set(struct scorecard *sc, const char *code, double value, double previous,
			      double target, enum sc_status status);

/* Gives a survey indicator its n and 95% interval. */
void card_survey(struct sc_indicator *x, double n, double lo, double hi);

/* What both levels share: period, indicators, scores, trend, notes. */
void card_fill_common(struct scorecard *sc, const char *locale);

/* A policy card ranking n_ranks agreements AGR-001...; the last one (when
 * more than one) has no index and no rank. */
struct scorecard *card_policy(const char *locale, int n_ranks);

/* The agreement AGR-007 with card_long_title as its title. */
struct scorecard *card_agreement(const char *locale);

/* Adds evidence to a card: a focus group whose summary holds newlines, a
 * tab and « » € ’ città, an interview without participants, an
 * observation of a neighbourhood; with `long_summary` also a focus group
 * whose summary is card_long_summary. evidence_total is n_evidence + 4
 * (recorded before the period). */
void card_add_evidence(struct scorecard *sc, int long_summary);

/* The lines of card_long_summary, one per newline, none of them wrapping
 * at full width: "001 …" to "138 …" (see test_pdf). */
#define CARD_LONG_SUMMARY_LINES 138
extern const char *card_long_summary(void);

/* A ~4,000-character summary of prose, with two paragraphs. */
extern const char *card_prose_summary(void);

/* The neighbourhood SC (Santa Croce, 9,876 inhabitants) covered by three
 * agreements, one with card_long_title; with card_add_evidence(sc,
 * long_summary). */
struct scorecard *card_neighbourhood(const char *locale, int long_summary);

/* Gives a policy card the 14 territories of card_territory_names with the
 * rates of card_territory_rates (NaN: null). */
#define CARD_TERRITORIES 14
extern const char *const card_territory_names[CARD_TERRITORIES];
extern const double card_territory_rates[CARD_TERRITORIES];
void card_add_territories(struct scorecard *sc);

#endif

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

#endif

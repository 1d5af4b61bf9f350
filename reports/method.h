/* method: the methodology in words, for the people who cite a figure — every
 * indicator of the catalogue (code, label, dimension, unit, polarity, levels
 * and its definition), the survey statistics, the suppression rules, the
 * qualitative evidence, targets and status, and the decision model — in
 * Italian and English. `cruscotto catalogue` prints it; docs/METHOD.md is
 * its Markdown, both locales.
 *
 * JSON (cJSON), one object:
 *   {"format": "cruscotto.method/1",
 *    "locales": ["it", "en"],
 *    "indicators": [{"code", "dimension", "unit", "polarity", "statistic",
 *                    "levels": ["agreement", "policy", "neighbourhood"],
 *                    "label": {"it", "en"}, "definition": {"it", "en"}}],
 *    "dimensions": [{"code", "label": {"it", "en"}}],
 *    "sections": [{"id", "title": {"it", "en"}, "rules": [{"it", "en"}]}]}
 * Texts are objects keyed by locale; with one locale asked for, they hold
 * that key only. */
#ifndef CR_METHOD_H
#define CR_METHOD_H

#include "catalogue.h"

#include <stdio.h>

/* The indicator's definition as of the as-of date D, in `locale` ("en";
 * anything else is Italian); "" when the catalogue has an indicator that
 * the definitions lack (the method test catches it). */
const char *rep_method_definition(const struct cat_indicator *ind, const char *locale);

/* The indicator's label in `locale` ("en"; anything else is Italian), e.g.
 * "Partecipanti ai percorsi" / "Participants"; "" outside the catalogue. */
const char *rep_label(const struct cat_indicator *ind, const char *locale);

/* A dimension's name in `locale`: "Efficienza" / "Efficiency", ... */
const char *rep_dimension_label(enum cat_dimension d, const char *locale);

/* Writes the methodology as Markdown to f: the locale asked for ("it" or
 * "en"), or both, Italian first, when `locale` is NULL. Returns 0, or
 * ERR_FAIL when writing failed. */
int rep_method_write_md(FILE *f, const char *locale);

/* Writes the methodology as JSON (layout above) to f, for `locale` or both
 * when NULL. Returns 0, or ERR_FAIL (out of memory, write error). */
int rep_method_write_json(FILE *f, const char *locale);

#endif

/* format: numbers, dates and words for humans (terminal table and PDF), in
 * the scorecard's locale. JSON never uses this: it carries full precision.
 *
 * Locales: "en" is English; anything else, NULL included, is Italian (the
 * policies' default, as rep_label does).
 *
 * Choices, so that every output reads the same:
 * - Separators: it 1.290.000,5 — en 1,290,000.5. Thousands are always
 *   grouped, also with four digits (2.415), so that columns line up.
 * - Rounding is half away from zero on the shortest decimal form of the
 *   double (the digits that print back to it): 0.15 → "0,2" and 2.675 →
 *   "2,68", as a reader checking by hand expects, although the doubles lie
 *   a hair below. A result that rounds to zero has no sign ("0,0", never
 *   "-0,0").
 * - Minus is ASCII '-' (survives every font and pastes into spreadsheets);
 *   deltas carry an explicit '+' or '-'.
 * - Null, NaN and infinities print as "—" (U+2014).
 * - By unit (fmt_value):
 *     count, persons   0 decimals                        2.415
 *     eur              0 decimals when |v| ≥ 1000,       it 1.290.000 €   en €1,290,000
 *                      else 2 (cost per participant)     it 12,35 €       en €12.35
 *     percent          1 decimal and %, no space         it 45,7%         en 45.7%
 *     per_1000         1 decimal                         12,3
 *     ratio, score     2 decimals                        3,42
 *     score_diff       2 decimals, always signed         +0,35  -0,12  0,00
 *     hours, days      1 decimal, dropped when it is 0   12,5   12
 *     anything else    2 decimals
 *   The space before € is an ordinary space (U+0020).
 * - Deltas (fmt_delta) use the value's decimals, always signed; a delta of
 *   percentages is in percentage points: "+2,3 p.p." / "+2.3 pp".
 * - Intervals: "[3,12 – 3,88]" (en dash U+2013 between spaces), each bound
 *   formatted like a value of the unit but never with an explicit '+'.
 * - Dates: short "31/12/2018" in both locales (day first, as in Italy and
 *   the UK); long "31 dicembre 2018" / "31 December 2018", and Italian
 *   writes the first of a month as an ordinal: "1º gennaio 2019".
 * - Status: words it verde/giallo/rosso/nessuno, en green/amber/red/none;
 *   a mark that survives grayscale print and colour blindness by shape:
 *   ● green (U+25CF), ▲ amber (U+25B2), ■ red (U+25A0), — none.
 *
 * Every function writing into a caller buffer writes a NUL-terminated UTF-8
 * string and returns 0, or returns ERR_FAIL (message set, buffer contents
 * unspecified) when it does not fit or the input is malformed. */
#ifndef CR_FORMAT_H
#define CR_FORMAT_H

#include "fmt.h"
#include "scorecard.h"

#include <stddef.h>

/* Formats `v` with `decimals` (0-15) decimals, grouped thousands and the
 * locale's separators; no unit. Non-finite values give "—". */
int fmt_number(double v, int decimals, const char *locale, char *buf, size_t size);

/* Formats a value of an indicator by its catalogue unit (table above);
 * a null value gives "—". */
int fmt_value(struct sc_num v, const char *unit, const char *locale, char *buf, size_t size);

/* Formats a change (value − previous) of an indicator of `unit`: always
 * signed unless it rounds to zero; percent in percentage points. Null gives
 * "—". */
int fmt_delta(struct sc_num d, const char *unit, const char *locale, char *buf, size_t size);

/* Formats an interval "[low – high]" with the unit's decimals; "—" unless
 * both bounds are set. */
int fmt_interval(struct sc_num low, struct sc_num high, const char *unit, const char *locale,
		 char *buf, size_t size);

/* The status as a word of the locale: verde, giallo, rosso, nessuno /
 * green, amber, red, none. Static string. */
const char *fmt_status_word(enum sc_status s, const char *locale);

/* The status as a mark that reads without colour: ●, ▲, ■, —. Static string. */
const char *fmt_status_mark(enum sc_status s);

/* The catalogue unit as words of the locale ("ore" / "hours", "euro",
 * "%", "per 1.000 abitanti" / "per 1,000 inhabitants", ...); an unknown
 * unit is returned as is. Static string (or `unit`). */
const char *fmt_unit_label(const char *unit, const char *locale);

/* An agreement status (lab, approved, signed, closed, published) as a word
 * of the locale ("sottoscritto" / "signed"); NULL gives "—", an unknown
 * status is returned as is. */
const char *fmt_agreement_status(const char *status, const char *locale);

/* The ex-ante criterion i (0-2, the order of sc_ex_ante_criteria) as a
 * capitalised word of the locale ("Fattibilità" / "Feasibility"). */
const char *fmt_ex_ante_label(int i, const char *locale);

/* Formats a rank or a rank percentile: a whole number as such, else one
 * decimal ("15", "12,5"), and a value within 0.05 of a whole number as that
 * number (14.95 reads "15", never "15,0"). Null gives "—". */
int fmt_rank(struct sc_num v, const char *locale, char *buf, size_t size);

/* Display width of a UTF-8 string in a terminal: its code points, not
 * counting continuation bytes (labels are precomposed: "à" is one). */
size_t fmt_width(const char *s);

#endif

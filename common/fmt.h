/* fmt: the locale, and the formatting that needs no scorecard (dates), for
 * both the renderers (reports/format.h builds on it) and the server's page.
 *
 * Locales: "en" is English; anything else, NULL included, is Italian (the
 * policies' default, as rep_label does). Dates: short "31/12/2018" in both
 * locales (day first, as in Italy and the UK); long "31 dicembre 2018" /
 * "31 December 2018", and Italian writes the first of a month as an
 * ordinal: "1º gennaio 2019". */
#ifndef CR_FMT_H
#define CR_FMT_H

#include <stddef.h>

/* "—": what a null value prints as. */
extern const char fmt_null[];

/* True when `locale` selects English. */
int fmt_is_en(const char *locale);

enum fmt_date_style {
	FMT_DATE_SHORT, /* 31/12/2018 */
	FMT_DATE_LONG,	/* 31 dicembre 2018, 31 December 2018 */
};

/* Formats a YYYY-MM-DD date into buf (NUL-terminated UTF-8); NULL or ""
 * gives "—". Returns 0, or ERR_FAIL when `iso` is not a valid calendar date
 * or the text does not fit in `size` bytes. */
int fmt_date(const char *iso, enum fmt_date_style style, const char *locale, char *buf,
	     size_t size);

/* Room for any text of fmt_number_json, its NUL included. */
#define FMT_NUMBER_SIZE 40

/* A finite double as the JSON scorecards and the open-data CSV carry it,
 * at full precision: an integer below 2^53 in full ("2500", never
 * "2.5e+03"; -0 as "0"), any other number as the "%.{p}g" of the least p
 * (1 to 17) that strtod reads back as the same double (0.1 + 0.2 →
 * "0.30000000000000004", 0.1 → "0.1", 1e20 → "1e+20"), with '.' whatever
 * LC_NUMERIC says. The caller prints non-finite numbers as it must (null,
 * empty). */
void fmt_number_json(double v, char buf[FMT_NUMBER_SIZE]);

#endif

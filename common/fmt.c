#include "fmt.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fmt_null[] = "—";

int fmt_is_en(const char *locale)
{
	return locale && strcmp(locale, "en") == 0;
}

static const char *const months_it[12] = {"gennaio",   "febbraio", "marzo",    "aprile",
					  "maggio",    "giugno",   "luglio",   "agosto",
					  "settembre", "ottobre",  "novembre", "dicembre"};
static const char *const months_en[12] = {"January",   "February", "March",    "April",
					  "May",       "June",	   "July",     "August",
					  "September", "October",  "November", "December"};

/* Parses a strict YYYY-MM-DD calendar date. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int i, leap, last;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	if (*m < 1 || *m > 12 || *d < 1)
		return -1;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	last = mdays[*m - 1] + (*m == 2 && leap);
	return *d <= last ? 0 : -1;
}

int fmt_date(const char *iso, enum fmt_date_style style, const char *locale, char *buf, size_t size)
{
	char tmp[48];
	int y, m, d;

	if (!iso || !*iso)
		snprintf(tmp, sizeof(tmp), "%s", fmt_null);
	else if (parse_date(iso, &y, &m, &d) < 0)
		return err_set(ERR_FAIL, "not a date: %.40s", iso);
	else if (style == FMT_DATE_SHORT)
		snprintf(tmp, sizeof(tmp), "%02d/%02d/%04d", d, m, y);
	else if (fmt_is_en(locale))
		snprintf(tmp, sizeof(tmp), "%d %s %04d", d, months_en[m - 1], y);
	else if (d == 1)
		snprintf(tmp, sizeof(tmp), "1º %s %04d", months_it[m - 1], y);
	else
		snprintf(tmp, sizeof(tmp), "%d %s %04d", d, months_it[m - 1], y);
	if (strlen(tmp) + 1 > size)
		return err_set(ERR_FAIL, "formatted text does not fit in %zu bytes", size);
	memcpy(buf, tmp, strlen(tmp) + 1);
	return 0;
}

#include "fmt.h"

#include "err.h"

#include <float.h>
#include <locale.h>
#include <math.h>
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

/* The digits of an integer |v| < 2^63, as "%lld" prints it. */
static void put_integer(long long v, char *buf)
{
	char rev[24];
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	int n = 0;

	do {
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*buf++ = '-';
	while (n)
		*buf++ = rev[--n];
	*buf = '\0';
}

/* True when s is an optional '-' and digits ending in '0'. */
static int digits_ending_in_zero(const char *s)
{
	const char *p = s + (*s == '-');

	if (!*p)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return p[-1] == '0';
}

void fmt_number_json(double v, char buf[FMT_NUMBER_SIZE])
{
	const char *dp;
	char *p;
	int prec = 1, found = 0;

	if (v == 0.0)
		v = 0.0; /* -0 reads as 0 to every consumer; print it so */
	/* Below 2^53 every integer is exact, so its digits are the number. */
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		put_integer((long long)v, buf);
		return;
	}
	/* Between the normal doubles a decimal of at most DBL_DIG = 15
	 * significant digits comes back unchanged through a double. So when the
	 * %.15g of v reads back as v, no %.{p}g with p < 15 that reads back as v
	 * can differ from it as a number (both would be decimals of ≤ 15 digits
	 * of v, and %.15g gives back either), and %.15g has already dropped
	 * trailing zeros: it is the least p's text too, unless the two choose
	 * different styles, which only an integral text ending in 0 could
	 * (%.15g "150000", %.2g "1.5e+05"; no such v reaches here, but the
	 * search settles it). When it does not read back, neither does any
	 * shorter one, and the search goes on from 16. */
	if (fabs(v) >= DBL_MIN) {
		snprintf(buf, FMT_NUMBER_SIZE, "%.15g", v);
		if (strtod(buf, NULL) != v)
			prec = 16;
		else
			found = !digits_ending_in_zero(buf);
	}
	for (; !found && prec <= 17; prec++) {
		snprintf(buf, FMT_NUMBER_SIZE, "%.*g", prec, v);
		found = strtod(buf, NULL) == v;
	}
	/* printf and strtod follow LC_NUMERIC; JSON and CSV want '.'. */
	dp = localeconv()->decimal_point;
	if (dp && *dp && strcmp(dp, ".") != 0 && (p = strstr(buf, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + strlen(dp), strlen(p + strlen(dp)) + 1);
	}
}

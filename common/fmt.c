#include "fmt.h"

#include "err.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
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

/* Writes the %.{p}g text of the p significant digits r[0 .. p-1] (r[0]
 * not '0') with decimal exponent x: C's rules for %g without '#' (style e
 * when x < -4 or x >= p, else style f; trailing zeros of the fraction
 * dropped, and the point with them), '.' as the point. */
static void put_g(int neg, const char *r, int p, int x, char *buf)
{
	char *o = buf;
	int n = p, i;

	while (n > 1 && r[n - 1] == '0')
		n--;
	if (neg)
		*o++ = '-';
	if (x < -4 || x >= p) {
		*o++ = r[0];
		if (n > 1) {
			*o++ = '.';
			memcpy(o, r + 1, (size_t)n - 1);
			o += n - 1;
		}
		sprintf(o, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		return;
	}
	if (x >= 0) {
		memcpy(o, r, (size_t)x + 1);
		o += x + 1;
		if (n > x + 1) {
			*o++ = '.';
			memcpy(o, r + x + 1, (size_t)(n - x - 1));
			o += n - x - 1;
		}
	} else {
		*o++ = '0';
		*o++ = '.';
		for (i = 0; i < -x - 1; i++)
			*o++ = '0';
		memcpy(o, r, (size_t)n);
		o += n;
	}
	*o = '\0';
}

/* The %.{p}g text (p < 17) of the double whose 17 significant digits,
 * correctly rounded, are d[0 .. 16] with decimal exponent x, rounding
 * those digits to p. Rounding twice gives what rounding the double once
 * would unless the digits dropped are exactly a half, which only the
 * double's exact value can settle: then -1, and nothing written. */
static int g_of_17(int neg, const char d[17], int x, int p, char *buf)
{
	char r[17];
	int i, up = d[p] > '5';

	if (d[p] == '5') {
		for (i = p + 1; i < 17 && d[i] == '0'; i++)
			;
		if (i == 17)
			return -1;
		up = 1;
	}
	memcpy(r, d, (size_t)p);
	if (up) {
		for (i = p - 1; i >= 0 && r[i] == '9'; i--)
			r[i] = '0';
		if (i < 0) {
			r[0] = '1';
			x++;
		} else {
			r[i]++;
		}
	}
	put_g(neg, r, p, x, buf);
	return 0;
}

/* What the search of fmt_number_json finds for a normal double that is not
 * an integer below 2^53, from one conversion (%.16e: the 17 significant
 * digits) rather than one for each p tried: the texts for 15 and 16 digits
 * are those digits rounded (g_of_17), 17 digits always read back. Returns
 * -1, and the search decides, when a rounding is a tie, when 15 digits read
 * back as an integral text (the search looks further down then), or when
 * the point is not '.' (strtod would not read ours). */
static int least_g(double v, char buf[FMT_NUMBER_SIZE])
{
	char e[48], d[17];
	const char *s = e;
	const char *dp = localeconv()->decimal_point;
	int neg, x, p;

	if (!dp || strcmp(dp, ".") != 0)
		return -1;
	snprintf(e, sizeof(e), "%.16e", v);
	neg = *s == '-';
	s += neg;
	d[0] = *s++;
	if (*s++ != '.')
		return -1;
	memcpy(d + 1, s, 16);
	s += 16;
	if (*s++ != 'e')
		return -1;
	x = atoi(s);
	for (p = 15; p < 17; p++) {
		if (g_of_17(neg, d, x, p, buf) < 0)
			return -1;
		if (strtod(buf, NULL) == v)
			return p == 15 && digits_ending_in_zero(buf) ? -1 : 0;
	}
	put_g(neg, d, 17, x, buf);
	return 0;
}

/* fmt_number_json for a double that is not an integer below 2^53. */
static void number_text(double v, char buf[FMT_NUMBER_SIZE])
{
	const char *dp;
	char *p;
	int prec = 1, found = 0;

	if (fabs(v) >= DBL_MIN && least_g(v, buf) == 0)
		return;
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

/* The texts number_text made last in this thread, by the double's bits (the
 * slot from its hash): a scorecard repeats about two in five of its
 * fractional numbers (a value in its trend, a policy figure in every
 * agreement's card), and number_text costs a conversion to 17 digits and
 * one or two strtod. The text does not depend on the locale (its point is
 * always '.'), so a text once made holds for good. Bits 0 are +0, which is
 * never looked up here: a zeroed slot is an empty one. */
#define MEMO_BITS 10
static _Thread_local struct memo {
	uint64_t bits;
	char text[FMT_NUMBER_SIZE];
} memo[1 << MEMO_BITS];

void fmt_number_json(double v, char buf[FMT_NUMBER_SIZE])
{
	struct memo *m;
	uint64_t bits;

	if (v == 0.0)
		v = 0.0; /* -0 reads as 0 to every consumer; print it so */
	/* Below 2^53 every integer is exact, so its digits are the number. */
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		put_integer((long long)v, buf);
		return;
	}
	memcpy(&bits, &v, sizeof(bits));
	m = &memo[(bits * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - MEMO_BITS)];
	if (m->bits != bits) {
		number_text(v, m->text);
		m->bits = bits;
	}
	memcpy(buf, m->text, FMT_NUMBER_SIZE);
}

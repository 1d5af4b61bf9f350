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

typedef unsigned __int128 u128;

/* 10^i for i <= 38, the powers below 2^128. */
static u128 pow10_u128(int i)
{
	u128 p = 1;

	while (i-- > 0)
		p *= 10;
	return p;
}

/* Writes the p digits of n (< 10^p) into r. */
static void digits_of(uint64_t n, int p, char *r)
{
	while (p-- > 0) {
		r[p] = (char)('0' + n % 10);
		n /= 10;
	}
}

/* Whether the decimal c = C · 10^(x − 16) reads back as v = W · 10^−(16 − x)
 * · 2^−k, a double that is not a power of two, given Q = ⌊W / 2^k⌋ and
 * R = W mod 2^k: 1 yes, 0 no, −1 when c is on the edge of v's rounding
 * interval (strtod's tie rule would decide). The interval reaches half the
 * gap to each neighbour, 10^s / 2 in units of W (s = 16 − x): a power of two,
 * whose lower neighbour is nearer, is left to number_text. */
static int reads_back(uint64_t C, uint64_t Q, u128 R, int k, u128 ten_s)
{
	__int128 delta = (__int128)((int64_t)C - (int64_t)Q) * ((__int128)1 << k) - (__int128)R;
	u128 twice = (delta < 0 ? (u128)-delta : (u128)delta) << 1;

	if (twice == ten_s)
		return -1;
	return twice < ten_s;
}

/* What fmt_number_json gives a normal double v that is not an integer
 * below 2^53, in integers alone: v = m · 2^−k exactly, and W = m · 10^s
 * scaled so that ⌊W / 2^k⌋ has the 17 digits of v; each candidate of 15, 16
 * and 17 digits is rounded from W itself (no second rounding) and checked
 * against v's rounding interval, which is what strtod reading it back
 * decides. Returns −1, and number_text decides, when W would not fit in
 * 128 bits (v below 10^−6, or 2^53 and above), for a power of two, when
 * a rounding or the check is an exact tie (left to printf's and strtod's
 * own rules), or when 15 digits read back as an integral text (number_text
 * looks further down then). */
static int exact_g(double v, char buf[FMT_NUMBER_SIZE])
{
	static const uint64_t ten17 = 100000000000000000u, ten16 = 10000000000000000u;
	char r[17];
	uint64_t bits, frac, m, Q, T, C;
	u128 W, R, ten_s, half, twice_rest;
	int neg, k, x, s, p, tries, rc;

	memcpy(&bits, &v, sizeof(bits));
	neg = (int)(bits >> 63);
	frac = bits & ((UINT64_C(1) << 52) - 1);
	k = 1075 - (int)((bits >> 52) & 0x7ff);
	if ((bits >> 52 & 0x7ff) == 0 || frac == 0 || k <= 0)
		return -1;
	m = frac | UINT64_C(1) << 52;
	x = (int)floor(log10(fabs(v)));
	/* log10 may miss by one next to a power of ten: Q then has 16 or 18
	 * digits, and x moves */
	for (tries = 0;; tries++) {
		s = 16 - x;
		if (tries == 2 || s < 0 || s > 38 || k >= 128)
			return -1;
		ten_s = pow10_u128(s);
		if (ten_s > ~(u128)0 / m)
			return -1;
		W = (u128)m * ten_s;
		if ((W >> k) >= ten17)
			x++;
		else if ((W >> k) < ten16)
			x--;
		else
			break;
	}
	Q = (uint64_t)(W >> k);
	R = W & (((u128)1 << k) - 1);
	for (p = 15; p <= 17; p++) {
		uint64_t rest;

		T = (uint64_t)pow10_u128(17 - p);
		/* round Q + R/2^k to a multiple of T: the rest against T/2,
		 * both times 2^(k+1) */
		C = Q / T * T;
		rest = Q - C;
		half = (u128)T << k;
		twice_rest = (((u128)rest << k) + R) << 1;
		if (twice_rest == half)
			return -1;
		if (twice_rest > half)
			C += T;
		rc = p == 17 ? 1 : reads_back(C, Q, R, k, ten_s);
		if (rc < 0)
			return -1;
		if (rc) {
			int xp = x;

			if (C == ten17) {
				/* rounded up to the next power of ten */
				C = ten16;
				xp++;
			}
			digits_of(C / T, p, r);
			put_g(neg, r, p, xp, buf);
			return p == 15 && digits_ending_in_zero(buf) ? -1 : 0;
		}
	}
	return -1;
}

/* fmt_number_json for a double that is not an integer below 2^53. */
static void number_text(double v, char buf[FMT_NUMBER_SIZE])
{
	const char *dp;
	char *p;
	int prec = 1, found = 0;

	if (fabs(v) >= DBL_MIN && (exact_g(v, buf) == 0 || least_g(v, buf) == 0))
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
 * agreement's card), and number_text costs 128-bit products and divisions
 * (exact_g), or for the rest a conversion to 17 digits and strtod. The text
 * does not depend on the locale (its point is always '.'), so a text once
 * made holds for good. Bits 0 are +0, which is never looked up here: a
 * zeroed slot is an empty one. */
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

/* format: exact strings in both locales. */
#include "check_main.h"
#include "err.h"
#include "fmt.h"
#include "format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[128];

static struct sc_num val(double v)
{
	struct sc_num n = {1, v};

	return n;
}

static const struct sc_num null_num = {0, 0.0};

/* fmt_value into buf, asserting success. */
static const char *value(double v, const char *unit, const char *locale)
{
	ck_assert_int_eq(fmt_value(val(v), unit, locale, buf, sizeof(buf)), 0);
	return buf;
}

static const char *number(double v, int decimals, const char *locale)
{
	ck_assert_int_eq(fmt_number(v, decimals, locale, buf, sizeof(buf)), 0);
	return buf;
}

static const char *delta(double v, const char *unit, const char *locale)
{
	ck_assert_int_eq(fmt_delta(val(v), unit, locale, buf, sizeof(buf)), 0);
	return buf;
}

START_TEST(test_format_eur)
{
	ck_assert_str_eq(value(1290000, "eur", "it"), "1.290.000 €");
	ck_assert_str_eq(value(1290000, "eur", "en"), "€1,290,000");
	ck_assert_str_eq(value(-1290000, "eur", "it"), "-1.290.000 €");
	ck_assert_str_eq(value(-1290000, "eur", "en"), "-€1,290,000");
	ck_assert_str_eq(value(1290000.49, "eur", "it"), "1.290.000 €");
	ck_assert_str_eq(value(1000, "eur", "it"), "1.000 €");
	ck_assert_str_eq(value(12.345, "eur", "it"), "12,35 €");
	ck_assert_str_eq(value(12.345, "eur", "en"), "€12.35");
	ck_assert_str_eq(value(999.5, "eur", "it"), "999,50 €");
	ck_assert_str_eq(value(0, "eur", "en"), "€0.00");
	ck_assert_str_eq(value(-0.001, "eur", "it"), "0,00 €");
}
END_TEST

START_TEST(test_format_percent)
{
	ck_assert_str_eq(value(45.7, "percent", "it"), "45,7%");
	ck_assert_str_eq(value(45.7, "percent", "en"), "45.7%");
	ck_assert_str_eq(value(100, "percent", "it"), "100,0%");
	ck_assert_str_eq(value(-12.34, "percent", "it"), "-12,3%");
	ck_assert_str_eq(value(-0.04, "percent", "it"), "0,0%");
}
END_TEST

/* Half away from zero on the digits as written, although the doubles 0.15,
 * 2.675, 1.005 lie a hair below those decimals. */
START_TEST(test_format_rounding_half)
{
	ck_assert_str_eq(number(0.05, 1, "it"), "0,1");
	ck_assert_str_eq(number(0.15, 1, "it"), "0,2");
	ck_assert_str_eq(number(0.25, 1, "en"), "0.3");
	ck_assert_str_eq(number(-0.05, 1, "it"), "-0,1");
	ck_assert_str_eq(number(-0.15, 1, "en"), "-0.2");
	ck_assert_str_eq(number(45.65, 1, "it"), "45,7");
	ck_assert_str_eq(number(2.675, 2, "it"), "2,68");
	ck_assert_str_eq(number(1.005, 2, "en"), "1.01");
	ck_assert_str_eq(number(0.045, 1, "it"), "0,0");
	ck_assert_str_eq(number(0.5, 0, "it"), "1");
	ck_assert_str_eq(number(-0.5, 0, "it"), "-1");
	ck_assert_str_eq(number(0.49999, 0, "it"), "0");
	ck_assert_str_eq(number(9.96, 1, "it"), "10,0");
	ck_assert_str_eq(number(999.5, 0, "it"), "1.000");
	ck_assert_str_eq(number(999999.95, 1, "en"), "1,000,000.0");
	ck_assert_str_eq(value(45.65, "percent", "en"), "45.7%");
	ck_assert_str_eq(value(0.35, "score", "it"), "0,35");
	ck_assert_str_eq(value(0.125, "ratio", "it"), "0,13");
}
END_TEST

START_TEST(test_format_number)
{
	ck_assert_str_eq(number(1234567.891, 2, "it"), "1.234.567,89");
	ck_assert_str_eq(number(1234567.891, 2, "en"), "1,234,567.89");
	ck_assert_str_eq(number(-1234567.891, 0, "it"), "-1.234.568");
	ck_assert_str_eq(number(0, 2, "it"), "0,00");
	ck_assert_str_eq(number(-0.0, 0, "it"), "0");
	ck_assert_str_eq(number(-0.004, 2, "en"), "0.00");
	ck_assert_str_eq(number(123, 0, "it"), "123");
	ck_assert_str_eq(number(1234, 0, "it"), "1.234");
	ck_assert_str_eq(number(0.1 + 0.2, 2, "it"), "0,30");
	ck_assert_str_eq(number(1e-20, 3, "it"), "0,000");
	ck_assert_str_eq(number(3.5, 3, "en"), "3.500");
	ck_assert_str_eq(number(1e15, 0, "en"), "1,000,000,000,000,000");
	ck_assert_str_eq(number(NAN, 1, "it"), "—");
	ck_assert_str_eq(number(INFINITY, 1, "en"), "—");
	ck_assert_str_eq(number(1.5, 1, NULL), "1,5"); /* default: Italian */
	ck_assert_str_eq(number(1.5, 1, "de"), "1,5");
	ck_assert_int_eq(fmt_number(1, 16, "it", buf, sizeof(buf)), ERR_FAIL);
}
END_TEST

START_TEST(test_format_units)
{
	ck_assert_str_eq(value(2415, "count", "it"), "2.415");
	ck_assert_str_eq(value(2415, "count", "en"), "2,415");
	ck_assert_str_eq(value(123456, "persons", "it"), "123.456");
	ck_assert_str_eq(value(12.345, "per_1000", "it"), "12,3");
	ck_assert_str_eq(value(3.4159, "ratio", "it"), "3,42");
	ck_assert_str_eq(value(3.4159, "ratio", "en"), "3.42");
	ck_assert_str_eq(value(3.999, "score", "it"), "4,00");
	ck_assert_str_eq(value(0.35, "score_diff", "it"), "+0,35");
	ck_assert_str_eq(value(-0.12, "score_diff", "en"), "-0.12");
	ck_assert_str_eq(value(0.001, "score_diff", "it"), "0,00");
	ck_assert_str_eq(value(12, "hours", "it"), "12");
	ck_assert_str_eq(value(12.5, "hours", "it"), "12,5");
	ck_assert_str_eq(value(12.04, "hours", "en"), "12");
	ck_assert_str_eq(value(1234.5, "hours", "en"), "1,234.5");
	ck_assert_str_eq(value(10.5, "days", "it"), "10,5");
	ck_assert_str_eq(value(10, "days", "en"), "10");
}
END_TEST

START_TEST(test_format_null)
{
	static const char *const units[] = {"count",   "persons",  "hours", "days",  "eur",
					    "percent", "per_1000", "ratio", "score", "score_diff"};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		ck_assert_int_eq(fmt_value(null_num, units[i], "it", buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "—");
		ck_assert_int_eq(fmt_delta(null_num, units[i], "en", buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "—");
	}
	ck_assert_str_eq(value(NAN, "count", "it"), "—");
	ck_assert_int_eq(fmt_interval(val(1), null_num, "score", "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "—");
	ck_assert_str_eq(fmt_null, "—");
}
END_TEST

START_TEST(test_format_delta)
{
	ck_assert_str_eq(delta(114, "count", "it"), "+114");
	ck_assert_str_eq(delta(-1114, "count", "it"), "-1.114");
	ck_assert_str_eq(delta(0, "count", "en"), "0");
	ck_assert_str_eq(delta(2.34, "percent", "it"), "+2,3 p.p.");
	ck_assert_str_eq(delta(2.34, "percent", "en"), "+2.3 pp");
	ck_assert_str_eq(delta(-1500, "eur", "it"), "-1.500 €");
	ck_assert_str_eq(delta(-1500, "eur", "en"), "-€1,500");
	ck_assert_str_eq(delta(2.5, "eur", "en"), "+€2.50");
	ck_assert_str_eq(delta(0.35, "score", "it"), "+0,35");
	ck_assert_str_eq(delta(-0.004, "score", "it"), "0,00");
	ck_assert_str_eq(delta(1.5, "hours", "it"), "+1,5");
}
END_TEST

START_TEST(test_format_interval)
{
	ck_assert_int_eq(fmt_interval(val(3.12), val(3.88), "score", "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "[3,12 – 3,88]");
	ck_assert_int_eq(fmt_interval(val(3.12), val(3.88), "score", "en", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "[3.12 – 3.88]");
	ck_assert_int_eq(fmt_interval(val(-0.12), val(0.35), "score_diff", "it", buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(buf, "[-0,12 – 0,35]");
	ck_assert_int_eq(fmt_interval(val(40.06), val(51.25), "percent", "en", buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(buf, "[40.1% – 51.3%]");
}
END_TEST

START_TEST(test_format_number_json)
{
	char buf[FMT_NUMBER_SIZE];
	double third = 2.0 / 3.0, sum = 0.1 + 0.2;

	/* Integers below 2^53 in full; -0 as 0; 2^53 − 1 = 9007199254740991
	 * is the largest. */
	fmt_number_json(2500, buf);
	ck_assert_str_eq(buf, "2500");
	fmt_number_json(-0.0, buf);
	ck_assert_str_eq(buf, "0");
	fmt_number_json(-42, buf);
	ck_assert_str_eq(buf, "-42");
	fmt_number_json(9007199254740991.0, buf);
	ck_assert_str_eq(buf, "9007199254740991");
	/* Short decimals: %.15g already reads back, trailing zeros dropped. */
	fmt_number_json(0.1, buf);
	ck_assert_str_eq(buf, "0.1");
	fmt_number_json(-1234.5, buf);
	ck_assert_str_eq(buf, "-1234.5");
	fmt_number_json(1.5e-7, buf);
	ck_assert_str_eq(buf, "1.5e-07");
	/* 1e20 is past 2^53: %g's style, and "1e+20" reads back. */
	fmt_number_json(1e20, buf);
	ck_assert_str_eq(buf, "1e+20");
	/* 2/3 is 0.66666666666666662965…: %.15g 0.666666666666667 lies
	 * 3.7e-16 off, beyond half the spacing of doubles there (2^-53 ≈
	 * 1.1e-16 each side), so 16 digits: 0.6666666666666666 lies 3e-17 off
	 * and reads back. */
	fmt_number_json(third, buf);
	ck_assert_str_eq(buf, "0.6666666666666666");
	/* 0.1 + 0.2 is 0.3000000000000000444…: 16 digits give 0.3 again (not
	 * this double), 17 give it. */
	fmt_number_json(sum, buf);
	ck_assert_str_eq(buf, "0.30000000000000004");
	/* 2^53 = 9007199254740992 (not below 2^53, so %g): %.15g has exponent
	 * 15 ≥ 15, so "9.00719925474099e+15", 2 short; %.16g has every digit
	 * and, exponent 15 < 16, %f's style. */
	fmt_number_json(9007199254740992.0, buf);
	ck_assert_str_eq(buf, "9007199254740992");
	/* The least subnormal 2^-1074 ≈ 4.94e-324: "5e-324" reads back. */
	fmt_number_json(4.9406564584124654e-324, buf);
	ck_assert_str_eq(buf, "5e-324");
}
END_TEST

/* What fmt.h promises, written as it says it: the %.{p}g of the least p
 * that strtod reads back (an integer below 2^53 in full). */
static void least_p_g(double v, char out[FMT_NUMBER_SIZE])
{
	int p;

	if (v == 0.0)
		v = 0.0;
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		snprintf(out, FMT_NUMBER_SIZE, "%lld", (long long)v);
		return;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(out, FMT_NUMBER_SIZE, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

START_TEST(test_format_number_json_least_digits)
{
	char want[FMT_NUMBER_SIZE];
	uint64_t x = 88172645463325252u;
	long i, checked = 0;

	/* 1234567890123456.5 is a double (below 2^51, spacing 0.25), 17 digits
	 * exactly: 15 of them round up to 1.23456789012346e+15, another double;
	 * at 16 the dropped digit is a 5 with nothing after it, a tie that
	 * %.16g breaks to even, 1234567890123456, another double again; so all
	 * 17. */
	fmt_number_json(1234567890123456.5, buf);
	ck_assert_str_eq(buf, "1234567890123456.5");
	/* 1.5 · 2^-20 = 0.000001430511474609375 exactly: %.15g's exponent -6
	 * is below -4, so style e, and 1.430511474609375e-06 has 16 digits,
	 * all needed. */
	fmt_number_json(1.5 / 1048576.0, buf);
	ck_assert_str_eq(buf, "1.430511474609375e-06");
	/* Doubles of every kind the scorecards carry, any bit pattern, and
	 * the edges of the integer path (exact_g in fmt.c): powers of two,
	 * whose lower neighbour is nearer, doubles next to a power of ten,
	 * where log10 may miss the exponent by one, and mantissas of few bits,
	 * whose digits end in ties. Each the text of the definition. */
	for (i = 0; i < 100000; i++) {
		uint64_t b;
		double v;
		int d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 8) {
		case 0: /* any finite double, subnormals included */
			memcpy(&v, &x, sizeof(v));
			if (!isfinite(v))
				continue;
			break;
		case 1: /* a share or a mean of a few scores */
			v = (double)(x % 100000) / (double)(1 + (x >> 32) % 997);
			break;
		case 2: /* a difference of two such */
			v = (double)(x % 1000) / (double)(1 + (x >> 20) % 97) -
			    (double)((x >> 40) % 1000) / (double)(1 + (x >> 50) % 89);
			break;
		case 3: /* euros and hours, to the cent, in every range */
			v = (double)((int64_t)(x % 2000000001) - 1000000000) / 100.0 *
			    pow(10.0, (double)((x >> 40) % 13) - 6.0);
			break;
		case 4: /* a power of two, or a small odd multiple of one */
			v = ldexp(1.0 + 2.0 * (double)((x >> 8) % 5), -(int)(x % 70));
			break;
		case 5: /* up to 3 doubles either side of 10^-10 .. 10^19 */
			v = pow(10.0, (double)((int)(x % 30) - 10));
			for (d = (int)((x >> 8) % 7) - 3; d > 0; d--)
				v = nextafter(v, INFINITY);
			for (; d < 0; d++)
				v = nextafter(v, 0.0);
			break;
		case 6: /* any mantissa, exponent within 2^-30 .. 2^29, either sign */
			b = (uint64_t)(993 + (x >> 50) % 60) << 52 |
			    (x >> 4 & ((UINT64_C(1) << 52) - 1)) | (x & 1) << 63;
			memcpy(&v, &b, sizeof(v));
			break;
		default: /* 16 bits of mantissa anywhere: short texts and ties */
			b = x >> 4 & 0xffff;
			b = (uint64_t)(998 + (x >> 50) % 50) << 52 | b << (x >> 30) % 37;
			memcpy(&v, &b, sizeof(v));
			break;
		}
		fmt_number_json(v, buf);
		least_p_g(v, want);
		if (strcmp(buf, want) != 0)
			ck_abort_msg("%.17g: %s, not %s", v, buf, want);
		checked++;
	}
	ck_assert_int_gt(checked, 97000);
}
END_TEST

/* fmt_number_json keeps the texts it made in a table of 1,024 slots by the
 * double's bits: 5,000 distinct fractions must share slots (at least 3,976
 * of them find their slot taken by another), so a text given back for the
 * wrong double, or a slot that outlives its double, shows. */
START_TEST(test_format_number_json_remembered)
{
	enum { N = 5000 };
	static char want[N][FMT_NUMBER_SIZE];
	int i, round;

	for (i = 0; i < N; i++)
		least_p_g((i + 0.5) / 7.0, want[i]);
	/* first made, then given back in another order, then made again */
	for (round = 0; round < 3; round++)
		for (i = 0; i < N; i++) {
			int k = round == 1 ? N - 1 - i : i;

			fmt_number_json((k + 0.5) / 7.0, buf);
			if (strcmp(buf, want[k]) != 0)
				ck_abort_msg("round %d, %.17g: %s, not %s", round, (k + 0.5) / 7.0,
					     buf, want[k]);
			/* at once again: from the slot just filled */
			fmt_number_json((k + 0.5) / 7.0, buf);
			ck_assert_str_eq(buf, want[k]);
		}
	/* (0 + 0.5) / 7 = 0.07142857142857142...: 16 digits read back */
	ck_assert_str_eq(want[0], "0.07142857142857142");
}
END_TEST

START_TEST(test_format_date)
{
	ck_assert_int_eq(fmt_date("2018-12-31", FMT_DATE_LONG, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "31 dicembre 2018");
	ck_assert_int_eq(fmt_date("2018-12-31", FMT_DATE_LONG, "en", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "31 December 2018");
	ck_assert_int_eq(fmt_date("2026-11-23", FMT_DATE_SHORT, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "23/11/2026");
	ck_assert_int_eq(fmt_date("2026-11-03", FMT_DATE_SHORT, "en", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "03/11/2026");
	ck_assert_int_eq(fmt_date("2019-01-01", FMT_DATE_LONG, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1º gennaio 2019");
	ck_assert_int_eq(fmt_date("2019-01-01", FMT_DATE_LONG, "en", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1 January 2019");
	ck_assert_int_eq(fmt_date("2020-02-29", FMT_DATE_LONG, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "29 febbraio 2020");
	ck_assert_int_eq(fmt_date(NULL, FMT_DATE_LONG, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "—");
	ck_assert_int_eq(fmt_date("2019-02-29", FMT_DATE_LONG, "it", buf, sizeof(buf)), ERR_FAIL);
	ck_assert_int_eq(fmt_date("2019-13-01", FMT_DATE_SHORT, "it", buf, sizeof(buf)), ERR_FAIL);
	ck_assert_int_eq(fmt_date("2019-1-01", FMT_DATE_SHORT, "it", buf, sizeof(buf)), ERR_FAIL);
	ck_assert_int_eq(fmt_date("2019-01-0x", FMT_DATE_SHORT, "it", buf, sizeof(buf)), ERR_FAIL);
}
END_TEST

START_TEST(test_format_status)
{
	ck_assert_str_eq(fmt_status_word(ST_GREEN, "it"), "verde");
	ck_assert_str_eq(fmt_status_word(ST_AMBER, "it"), "giallo");
	ck_assert_str_eq(fmt_status_word(ST_RED, "it"), "rosso");
	ck_assert_str_eq(fmt_status_word(ST_NONE, "it"), "nessuno");
	ck_assert_str_eq(fmt_status_word(ST_GREEN, "en"), "green");
	ck_assert_str_eq(fmt_status_word(ST_AMBER, "en"), "amber");
	ck_assert_str_eq(fmt_status_word(ST_RED, "en"), "red");
	ck_assert_str_eq(fmt_status_word(ST_NONE, "en"), "none");
	ck_assert_str_eq(fmt_status_mark(ST_GREEN), "●");
	ck_assert_str_eq(fmt_status_mark(ST_AMBER), "▲");
	ck_assert_str_eq(fmt_status_mark(ST_RED), "■");
	ck_assert_str_eq(fmt_status_mark(ST_NONE), "—");
}
END_TEST

START_TEST(test_format_labels)
{
	ck_assert_str_eq(fmt_unit_label("hours", "it"), "ore");
	ck_assert_str_eq(fmt_unit_label("hours", "en"), "hours");
	ck_assert_str_eq(fmt_unit_label("per_1000", "it"), "per 1.000 abitanti");
	ck_assert_str_eq(fmt_unit_label("per_1000", "en"), "per 1,000 inhabitants");
	ck_assert_str_eq(fmt_unit_label("furlongs", "en"), "furlongs");
	ck_assert_str_eq(fmt_agreement_status("signed", "it"), "sottoscritto");
	ck_assert_str_eq(fmt_agreement_status("signed", "en"), "signed");
	ck_assert_str_eq(fmt_agreement_status(NULL, "en"), "—");
	ck_assert_str_eq(fmt_ex_ante_label(0, "it"), "Fattibilità");
	ck_assert_str_eq(fmt_ex_ante_label(2, "en"), "Relevance");
}
END_TEST

START_TEST(test_format_buffer_too_small)
{
	char small[10];

	/* "1.290.000" is 9 bytes plus the NUL */
	ck_assert_int_eq(fmt_number(1290000, 0, "it", small, 10), 0);
	ck_assert_str_eq(small, "1.290.000");
	ck_assert_int_eq(fmt_number(1290000, 0, "it", small, 9), ERR_FAIL);
	ck_assert_int_eq(fmt_value(val(1290000), "eur", "it", small, sizeof(small)), ERR_FAIL);
	ck_assert_int_eq(fmt_value(val(1), "count", "it", small, 0), ERR_FAIL);
	ck_assert_int_eq(fmt_date("2018-12-31", FMT_DATE_LONG, "it", small, sizeof(small)),
			 ERR_FAIL);
	ck_assert_ptr_ne(strstr(err_last(), "does not fit"), NULL);
}
END_TEST

START_TEST(test_format_width)
{
	ck_assert_uint_eq(fmt_width("città — €"), 9);
	ck_assert_uint_eq(fmt_width("Sottoscrittori: attività economiche"), 35);
	ck_assert_uint_eq(fmt_width(""), 0);
}
END_TEST

/* Rank percentiles are interpolated between whole ranks: they print whole
 * when within a tenth's rounding of a whole rank, else with one decimal. */
START_TEST(test_format_rank)
{
	char buf[32];
	struct sc_num fifteen_ish = {1, 14.95}, half = {1, 12.5}, three = {1, 3}, none = {0, 0};

	/* 14.95 rounds to 15.0 at one decimal: a whole rank, "15" not "15,0" */
	ck_assert_int_eq(fmt_rank(fifteen_ish, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "15");
	/* 12.5 keeps its decimal, with the locale's separator */
	ck_assert_int_eq(fmt_rank(half, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "12,5");
	ck_assert_int_eq(fmt_rank(half, "en", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "12.5");
	ck_assert_int_eq(fmt_rank(three, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "3");
	ck_assert_int_eq(fmt_rank(none, "it", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "\u2014");
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_format_eur);
	tcase_add_test(tc, test_format_percent);
	tcase_add_test(tc, test_format_rounding_half);
	tcase_add_test(tc, test_format_number);
	tcase_add_test(tc, test_format_units);
	tcase_add_test(tc, test_format_null);
	tcase_add_test(tc, test_format_delta);
	tcase_add_test(tc, test_format_interval);
	tcase_add_test(tc, test_format_number_json);
	tcase_add_test(tc, test_format_number_json_least_digits);
	tcase_add_test(tc, test_format_number_json_remembered);
	tcase_add_test(tc, test_format_date);
	tcase_add_test(tc, test_format_status);
	tcase_add_test(tc, test_format_labels);
	tcase_add_test(tc, test_format_buffer_too_small);
	tcase_add_test(tc, test_format_width);
	tcase_add_test(tc, test_format_rank);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(format_suite)

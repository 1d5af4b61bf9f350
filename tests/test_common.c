/* Unit tests of common/: the UTF-8 check, SHA-256 as hex and the code rule.
 * Byte sequences are worked out by hand from RFC 3629's table; digests are
 * the test vectors of FIPS 180-2, appendix B. */
#include "check_main.h"

#include "code.h"
#include "err.h"
#include "rows.h"
#include "sha256.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* utf8_valid over a C string. */
static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

START_TEST(test_common_utf8_accepts_well_formed)
{
	ck_assert(valid(""));
	ck_assert(valid("Reggio Emilia, 1º gennaio"));
	/* € U+20AC = 0010 0000 1010 1100 → 1110 0010, 10 000010, 10 101100 */
	ck_assert(valid("\xE2\x82\xAC"));
	/* 😀 U+1F600 = 0 0001 1111 0110 0000 0000 → F0 9F 98 80 */
	ck_assert(valid("\xF0\x9F\x98\x80"));
	/* the edges next to what is refused: U+0080 (C2 80), U+0800 (E0 A0
	 * 80), U+D7FF (ED 9F BF), U+E000 (EE 80 80), U+10000 (F0 90 80 80),
	 * U+10FFFF (F4 8F BF BF) */
	ck_assert(valid("\xC2\x80"));
	ck_assert(valid("\xE0\xA0\x80"));
	ck_assert(valid("\xED\x9F\xBF"));
	ck_assert(valid("\xEE\x80\x80"));
	ck_assert(valid("\xF0\x90\x80\x80"));
	ck_assert(valid("\xF4\x8F\xBF\xBF"));
	/* a NUL is a character when the length says so */
	ck_assert(utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(test_common_utf8_refuses_malformed)
{
	/* overlong '/' (U+002F): C0 AF in two bytes, E0 80 AF in three, F0 80
	 * 80 AF in four; U+FFFF in four bytes (F0 8F BF BF) is overlong too */
	ck_assert(!valid("\xC0\xAF"));
	ck_assert(!valid("\xC1\xBF"));
	ck_assert(!valid("\xE0\x80\xAF"));
	ck_assert(!valid("\xE0\x9F\xBF"));
	ck_assert(!valid("\xF0\x80\x80\xAF"));
	ck_assert(!valid("\xF0\x8F\xBF\xBF"));
	/* surrogates U+D800 (ED A0 80) and U+DFFF (ED BF BF) */
	ck_assert(!valid("\xED\xA0\x80"));
	ck_assert(!valid("\xED\xBF\xBF"));
	/* above U+10FFFF: F4 90 80 80 is U+110000; F5 can only start more */
	ck_assert(!valid("\xF4\x90\x80\x80"));
	ck_assert(!valid("\xF5\x80\x80\x80"));
	ck_assert(!valid("\xFF"));
	/* a lone continuation byte, a sequence cut short, a bad continuation */
	ck_assert(!valid("\x80"));
	ck_assert(!valid("ab\xE2\x82"));
	ck_assert(!valid("\xE2\x82x"));
	ck_assert(!utf8_valid("\xE2\x82\xAC", 2));
	ck_assert(!utf8_valid("\xF0\x9F\x98\x80", 3));
}
END_TEST

START_TEST(test_common_sha256_vectors)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	/* FIPS 180-2 B.1 */
	ck_assert_int_eq(sha256_hex("abc", 3, hex), 0);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* FIPS 180-2 B.2: 448 bits, two blocks once padded */
	ck_assert_int_eq(sha256_hex(two_blocks, strlen(two_blocks), hex), 0);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* the empty message (FIPS 180-4's example set) */
	ck_assert_int_eq(sha256_hex("", 0, hex), 0);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_common_sha256_in_pieces)
{
	sha256 *h = NULL;
	char hex[65];

	/* "a", "", "bc" fed one after the other is "abc" */
	ck_assert_int_eq(sha256_new(&h), 0);
	ck_assert_int_eq(sha256_update(h, "a", 1), 0);
	ck_assert_int_eq(sha256_update(h, "", 0), 0);
	ck_assert_int_eq(sha256_update(h, "bc", 2), 0);
	ck_assert_int_eq(sha256_final(h, hex), 0);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_free(h);
	sha256_free(NULL);
}
END_TEST

START_TEST(test_common_code_rule)
{
	char code[CODE_MAX + 2];

	ck_assert(code_valid("QUA"));
	ck_assert(code_valid("A-z_0.9"));
	ck_assert(!code_valid(""));
	ck_assert(!code_valid("QUA 1"));
	ck_assert(!code_valid("QUA/1"));
	ck_assert(!code_valid("caffè"));
	/* 64 characters are a code, 65 are not */
	memset(code, 'x', CODE_MAX);
	code[CODE_MAX] = '\0';
	ck_assert(code_valid(code));
	code[CODE_MAX] = 'x';
	code[CODE_MAX + 1] = '\0';
	ck_assert(!code_valid(code));
}
END_TEST

/* rows_strtod gives strtod's double and end for every text: the plain
 * decimals it reads itself and whatever it hands on. */
START_TEST(test_common_rows_strtod)
{
	static const char *const texts[] = {
		"12.5",			/* 125 / 10 */
		"0.1",			/* 1 / 10, rounded once: strtod's 0.1 */
		"-0",			/* negative zero, as strtod */
		"5.",			/* the point ends the number and is read */
		".5",			/* 5 / 10 */
		"123456789012345",	/* 15 digits: exact */
		"0.000123456789012345", /* 15 significant digits, 18 decimals */
		"1234567890123456",	/* 16 digits: strtod's */
		"0.30000000000000004",	/* 17 digits: strtod's */
		"1e3",			/* an exponent: strtod's, 1000 */
		"12abc",		/* stops at a: 12, end after 2 characters */
		"",			/* nothing read: 0, end at the start */
		"-",			/* nothing read */
		".",			/* nothing read */
		" 7",			/* strtod skips the space */
		"+7",			/* strtod reads the sign */
	};
	char *e1, *e2;
	double a, b;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		a = strtod(texts[i], &e1);
		b = rows_strtod(texts[i], &e2);
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s: %.17g, strtod %.17g", texts[i],
			      b, a);
		ck_assert_ptr_eq(e1, e2);
	}
	/* and the values, by hand */
	ck_assert(rows_strtod("12.5", NULL) == 12.5);
	ck_assert(rows_strtod("-0", NULL) == 0 && signbit(rows_strtod("-0", NULL)));
	ck_assert(rows_strtod("5.", &e2) == 5 && *e2 == '\0');
	ck_assert(rows_strtod("123456789012345", NULL) == 123456789012345.0);
	ck_assert(rows_strtod("1e3", NULL) == 1000);
	ck_assert(rows_strtod("12abc", &e2) == 12 && *e2 == 'a');
}
END_TEST

Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_common_utf8_accepts_well_formed);
	tcase_add_test(tc, test_common_utf8_refuses_malformed);
	tcase_add_test(tc, test_common_sha256_vectors);
	tcase_add_test(tc, test_common_sha256_in_pieces);
	tcase_add_test(tc, test_common_code_rule);
	tcase_add_test(tc, test_common_rows_strtod);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(common_suite)

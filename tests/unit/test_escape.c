/* UTF-8 repair and the XML and JSON escapers: valid sequences of every
 * length pass, overlong forms, surrogates, code points above U+10FFFF, stray
 * continuation bytes and cut sequences become U+FFFD, one per bad byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/escape.h"

#define R "\xef\xbf\xbd"

static void test_repair(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: valid as is */
	} cases[] = {
		{ "plain", NULL },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5", NULL }, /* 2, 3, 4 bytes */
		{ "\xf4\x8f\xbf\xbf", NULL },			       /* U+10FFFF */
		{ "a\xffz", "a" R "z" },
		{ "\xc0\x80", R R },		 /* overlong NUL */
		{ "\xe0\x80\x80", R R R },	 /* overlong */
		{ "\xed\xa0\x80", R R R },	 /* UTF-16 surrogate */
		{ "\xf4\x90\x80\x80", R R R R }, /* above U+10FFFF */
		{ "\x80x", R "x" },		 /* stray continuation */
		{ "x\xe2\x82", "x" R R },	 /* cut at the end */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = utf8__repair(cases[i].in);

		if (!cases[i].out) {
			assert_null(got);
		} else {
			assert_non_null(got);
			assert_string_equal(got, cases[i].out);
		}
		free(got);
	}
}

static char *capture(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, s);
	fclose(f);
	return buf;
}

static void xml_keep(FILE *f, const char *s)
{
	escape__xml(f, s, 1);
}

static void xml_flat(FILE *f, const char *s)
{
	escape__xml(f, s, 0);
}

static void test_xml(void **state)
{
	char *s;

	(void)state;
	s = capture(xml_keep, "<a & 'b'>\n\"c\"\x01\x7f\t\xff");
	assert_string_equal(s, "&lt;a &amp; &#39;b&#39;&gt;\n&quot;c&quot; " R);
	free(s);
	s = capture(xml_flat, "a\nb");
	assert_string_equal(s, "a b");
	free(s);
}

static void test_json(void **state)
{
	char *s;

	(void)state;
	s = capture(escape__json, "q\"b\\n\n\x01\x7f\xc3\xa9\xff");
	assert_string_equal(s, "q\\\"b\\\\n\\n\\u0001\\u007f\xc3\xa9" R);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

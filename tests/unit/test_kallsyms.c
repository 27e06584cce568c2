/* Unit tests for core/symbol/kallsyms.c: synthetic text with modules, non-text
 * and malformed lines, kptr_restrict, and the running kernel's table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "symbol/kallsyms.h"
#include "symbol/symtab.h"
#include "util/err.h"
#include "util/file.h"

static const char *name_at(const struct symtab *st, uint64_t addr)
{
	const struct tp_sym *s = symtab__find(st, addr);

	return s ? s->name : NULL;
}

static void test_synthetic(void **state)
{
	static const char text[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000100 t local_func\n"
		"ffffffff81000200 D some_data\n"
		"ffffffff81000300 W weak_func\n"
		"ffffffff81000400 r rodata_thing\n"
		"ffffffff81000500 A abs_thing\n"
		"ffffffffc0001000 t mod_func\t[mymod]\n"
		"ffffffffc0001100 T mod_func2\t[mymod]\n"
		"garbage line\n"
		"zz T bad_addr\n"
		"ffffffff81000600 T\n"
		"ffffffff81000700 TT two_letter_type\n"
		"ffffffff81000800 T name trailing_junk\n"
		"1ffffffff81000900 T seventeen_digits\n"
		"\n"
		"ffffffffc0002000 w last_func\t[other_mod]"; /* no final newline */
	struct symtab *st = NULL;
	size_t bad = 99;

	(void)state;
	assert_int_equal(kallsyms__parse(text, strlen(text), &st, &bad), 0);
	assert_non_null(st);
	assert_int_equal(bad, 6);
	assert_int_equal(symtab__count(st), 6);

	assert_string_equal(name_at(st, 0xffffffff81000000), "_stext");
	/* Data symbols are filtered out, so local_func reaches weak_func. */
	assert_string_equal(name_at(st, 0xffffffff81000150), "local_func");
	assert_string_equal(name_at(st, 0xffffffff81000250), "local_func");
	assert_string_equal(name_at(st, 0xffffffff81000300), "weak_func");
	/* Module symbols lose the module. */
	assert_string_equal(name_at(st, 0xffffffffc0001050), "mod_func");
	assert_string_equal(name_at(st, 0xffffffffc0001100), "mod_func2");
	assert_string_equal(name_at(st, 0xffffffffc0002000), "last_func");
	assert_null(name_at(st, 0xffffffff80ffffff));
	symtab__delete(st);
}

static void test_aliases_and_crlf(void **state)
{
	static const char text[] = "ffffffff81000000 t __local_alias\r\n"
				   "ffffffff81000000 T public_name\r\n"
				   "ffffffff81000000 T _stext\r\n"
				   "ffffffff81000040 T next\r\n";
	struct symtab *st;
	size_t bad;

	(void)state;
	assert_int_equal(kallsyms__parse(text, strlen(text), &st, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(symtab__count(st), 2);
	assert_string_equal(name_at(st, 0xffffffff81000010), "public_name");
	assert_string_equal(name_at(st, 0xffffffff81000040), "next");
	symtab__delete(st);
}

static void test_restricted(void **state)
{
	static const char text[] = "0000000000000000 T _stext\n"
				   "0000000000000000 t local_func\n"
				   "0000000000000000 D data\n";
	struct symtab *st = (struct symtab *)&st; /* must be reset */
	size_t bad;

	(void)state;
	assert_int_equal(kallsyms__parse(text, strlen(text), &st, &bad), TP_ERR_NO_SYMBOLS);
	assert_null(st);
	assert_int_equal(bad, 0);
}

static void test_malformed(void **state)
{
	static const char garbage[] = "this is not\nkallsyms at all\n\x01\x02\x03";
	struct symtab *st;
	size_t bad;

	(void)state;
	assert_int_equal(kallsyms__parse("", 0, &st, &bad), TP_ERR_BAD_FORMAT);
	assert_null(st);
	assert_int_equal(bad, 0);
	assert_int_equal(kallsyms__parse("\n\n", 2, &st, NULL), TP_ERR_BAD_FORMAT);
	assert_int_equal(kallsyms__parse(garbage, sizeof(garbage) - 1, &st, &bad),
			 TP_ERR_BAD_FORMAT);
	assert_null(st);
	assert_int_equal(bad, 3);
	/* Only data symbols: parses, but nothing to symbolize with. */
	assert_int_equal(kallsyms__parse("ffffffff81000000 D d\n", 21, &st, &bad),
			 TP_ERR_NO_SYMBOLS);
	/* The length bounds the parse: no reading past it, no NUL needed. */
	assert_int_equal(kallsyms__parse("ffffffff81000000 T abcdef", 21, &st, &bad), 0);
	assert_string_equal(name_at(st, 0xffffffff81000000), "ab");
	symtab__delete(st);
}

/* The address of " T|t NAME" as the text gives it, or 0. */
static uint64_t find_in_text(const char *text, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= 19 + nlen && (p[17] == 'T' || p[17] == 't') &&
		    !memcmp(p + 19, name, nlen) && (len == 19 + nlen || p[19 + nlen] == '\t'))
			return strtoull(p, NULL, 16);
		p = eol ? eol + 1 : NULL;
	}
	return 0;
}

static void test_proc_kallsyms(void **state)
{
	struct symtab *st;
	uint64_t addr;
	size_t len, bad;
	char *text;
	int err;

	(void)state;
	if (tp_read_file("/proc/kallsyms", &text, &len)) {
		skip();
		return;
	}
	err = kallsyms__parse(text, len, &st, &bad);
	if (err == TP_ERR_NO_SYMBOLS) {
		free(text);
		skip(); /* kptr_restrict: addresses are hidden from us */
		return;
	}
	assert_int_equal(err, 0);
	assert_int_equal(bad, 0);
	assert_true(symtab__count(st) > 1000);

	addr = find_in_text(text, "schedule");
	if (addr) {
		const struct tp_sym *s = symtab__find(st, addr + 1);

		assert_non_null(s);
		assert_string_equal(s->name, "schedule");
		assert_int_equal(s->start, addr);
	}
	symtab__delete(st);
	free(text);
	if (!addr)
		skip();
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_aliases_and_crlf),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_proc_kallsyms),
	};

	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for plugins/hotspot/hs_methods.c: the JVMTI agent's method
 * table as JDK 17 and JDK 25 really write it (tests/fixtures/hotspot), keys
 * spelled as the compiled code's, and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_methods.h"
#include "fixture.h"

struct seen {
	size_t n;
	uint64_t method[64];
	char key[64][256];
	int64_t last_sp;
	int stop_after; /* 0 = never */
};

static int on_method(void *ctx, uint64_t method, const char *key, size_t key_len)
{
	struct seen *s = ctx;

	assert_int_equal(strlen(key), key_len);
	if (s->n < 64) {
		s->method[s->n] = method;
		snprintf(s->key[s->n], sizeof(s->key[0]), "%s", key);
	}
	s->n++;
	return s->stop_after && (int)s->n >= s->stop_after ? -42 : 0;
}

static void on_constant(void *ctx, const char *name, size_t n, int64_t v)
{
	static const char want[] = "frame::interpreter_frame_last_sp_offset";

	if (n == sizeof(want) - 1 && !memcmp(name, want, n))
		((struct seen *)ctx)->last_sp = v;
}

static const struct hs_methods_cb cb = { .method = on_method, .constant = on_constant };

static int parse(const char *text, struct seen *s, struct hs_methods_info *info)
{
	return hs_methods__parse(text, strlen(text), &cb, s, info);
}

static const char *key_of(const struct seen *s, uint64_t method)
{
	for (size_t i = 0; i < s->n && i < 64; i++) {
		if (s->method[i] == method)
			return s->key[i];
	}
	return NULL;
}

static void real_file(const char *name, uint64_t checksum, const char *vm)
{
	size_t len = 0;
	char *text = fixture_read(name, &len);
	struct seen s = { 0 };
	struct hs_methods_info info;

	assert_non_null(text);
	assert_int_equal(hs_methods__parse(text, len, &cb, &s, &info), 0);
	assert_int_equal(info.bad_lines, 0);
	assert_int_equal(info.methods, s.n);
	assert_int_equal(s.n, 11);
	assert_int_equal(s.last_sp, -2);
	assert_int_equal(info.vm_len, strlen(vm));
	assert_memory_equal(info.vm, vm, info.vm_len);
	/* The compiled code's key: SteadyHot::checksum(long, int). */
	assert_string_equal(key_of(&s, checksum), "SteadyHot::checksum(long, int)");
	/* Hidden classes keep the '/' suffix, as the perf map spells them. */
	assert_non_null(strstr(s.key[0], "java.lang.invoke.LambdaForm$MH/0x"));
	free(text);
}

static void test_real_jdk17(void **state)
{
	(void)state;
	real_file("hotspot/jdk17-agent-methods.tsv", 0x7f15eb400448ull,
		  "17.0.15+6-Debian-1deb12u1");
}

static void test_real_jdk25(void **state)
{
	(void)state;
	real_file("hotspot/jdk25-agent-methods.tsv", 0x7fa358400448ull, "25.0.3+9-LTS");
}

static void test_keys(void **state)
{
	struct seen s = { 0 };
	struct hs_methods_info info;

	(void)state;
	assert_int_equal(parse("# tierprof-hotspot-methods 1\n"
			       "m\t0x10\tpkg.Outer$Inner\trun\t([I[[Ljava/lang/String;JZ)V\n"
			       "m\t20\tA\t<init>\t()V\n"
			       "future\tsomething\tnew\n"
			       "\n"
			       "# comment\n"
			       "m\t0x30\tB\tf\t(D)I", /* no final newline */
			       &s, &info),
			 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(info.bad_lines, 0);
	assert_string_equal(key_of(&s, 0x10),
			    "pkg.Outer$Inner::run(int[], java.lang.String[][], long, boolean)");
	assert_string_equal(key_of(&s, 0x20), "A::<init>()");
	assert_string_equal(key_of(&s, 0x30), "B::f(double)");
	assert_null(info.vm);
}

static void test_malformed(void **state)
{
	static const char *const bad_lines[] = {
		"m\t0x10\tA\tf\n",		       /* a field short */
		"m\t0x10\tA\tf\t()V\textra\n",	       /* a field too many */
		"m\tzz\tA\tf\t()V\n",		       /* not hex */
		"m\t0x\tA\tf\t()V\n",		       /* no digits */
		"m\t0x0\tA\tf\t()V\n",		       /* NULL Method* */
		"m\t0x11112222333344445\tA\tf\t()V\n", /* over 64 bits */
		"m\t0x10\tA\tf\t(Q)V\n",	       /* bad descriptor */
		"m\t0x10\tA\tf\t(I\n",		       /* unterminated */
		"m\t0x10\tA\tf x\t()V\n",	       /* space in a name */
		"m\t0x10\t\tf\t()V\n",		       /* empty class */
		"const\tname\tminus\n",		       /* not a number */
		"const\tname\n",		       /* no value */
		"vm\n",				       /* no version */
	};
	struct hs_methods_info info;
	struct seen s = { 0 };
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		memset(&s, 0, sizeof(s));
		snprintf(text, sizeof(text), "# tierprof-hotspot-methods 1\nm\t0x1\tA\tg\t()V\n%s",
			 bad_lines[i]);
		assert_int_equal(parse(text, &s, &info), 0);
		if (info.bad_lines != 1 || info.first_bad_line != 3)
			fail_msg("line %zu (%s): %zu bad lines, first %zu", i, bad_lines[i],
				 info.bad_lines, info.first_bad_line);
		assert_int_equal(s.n, 1); /* the good line still counts */
	}
	/* Not a method table at all: refused with a reason. */
	assert_int_equal(parse("", &s, &info), -1);
	assert_non_null(strstr(info.error, "not a method table"));
	assert_int_equal(parse("# tierprof-hotspot-methods 2\nm\t0x1\tA\tg\t()V\n", &s, &info), -1);
	assert_int_equal(parse("# tierprof-hotspot-methods 10\n", &s, &info), -1);
	assert_int_equal(parse("m\t0x1\tA\tg\t()V\n", &s, &info), -1);
	/* A header alone is an empty table. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("# tierprof-hotspot-methods 1", &s, &info), 0);
	assert_int_equal(s.n, 0);
	/* Embedded NUL: the line is bad, not cut short. */
	{
		static const char nul[] = "# tierprof-hotspot-methods 1\nm\t0x1\tA\0B\tg\t()V\n";

		memset(&s, 0, sizeof(s));
		assert_int_equal(hs_methods__parse(nul, sizeof(nul) - 1, &cb, &s, &info), 0);
		assert_int_equal(info.bad_lines, 1);
		assert_int_equal(s.n, 0);
	}
	/* A callback's error stops the parse. */
	memset(&s, 0, sizeof(s));
	s.stop_after = 1;
	assert_int_equal(
		parse("# tierprof-hotspot-methods 1\nm\t0x1\tA\tg\t()V\nm\t0x2\tA\th\t()V\n", &s,
		      &info),
		-42);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_jdk17),
		cmocka_unit_test(test_real_jdk25),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

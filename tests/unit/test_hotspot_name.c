/* Unit tests for plugins/hotspot/hs_name.c: the perf map's and the log's
 * spellings of a method meet in one key (every method line of the real JDK 17
 * exit map parses), tagged names, and what is not a method. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_name.h"
#include "fixture.h"

static void want_map(const char *name, const char *key)
{
	char got[256];
	int ret = hs_name__from_perfmap(name, strlen(name), got, sizeof(got));

	if (!key) {
		if (ret != -1)
			fail_msg("\"%s\" taken for a method: %s", name, got);
		return;
	}
	if (ret)
		fail_msg("\"%s\" refused", name);
	assert_string_equal(got, key);
}

static void want_log(const char *name, const char *key)
{
	char got[256];
	int ret = hs_name__from_log(name, strlen(name), got, sizeof(got));

	if (!key) {
		if (ret != -1)
			fail_msg("\"%s\" accepted: %s", name, got);
		return;
	}
	if (ret)
		fail_msg("\"%s\" refused", name);
	assert_string_equal(got, key);
}

static void test_same_key(void **state)
{
	(void)state;
	want_map("int Workload.runHot(int, int)", "Workload::runHot(int, int)");
	want_log("Workload runHot (II)I", "Workload::runHot(int, int)");
	want_map("int Workload.runPoly(Workload$Shape, int)",
		 "Workload::runPoly(Workload$Shape, int)");
	want_log("Workload runPoly (LWorkload$Shape;I)I", "Workload::runPoly(Workload$Shape, int)");
	want_map("void java.lang.Object.<init>()", "java.lang.Object::<init>()");
	want_log("java.lang.Object <init> ()V", "java.lang.Object::<init>()");
	want_map("java.lang.Object jdk.internal.misc.Unsafe.getReferenceVolatile(java.lang.Object, "
		 "long)",
		 "jdk.internal.misc.Unsafe::getReferenceVolatile(java.lang.Object, long)");
	want_log("jdk.internal.misc.Unsafe getReferenceVolatile "
		 "(Ljava/lang/Object;J)Ljava/lang/Object;",
		 "jdk.internal.misc.Unsafe::getReferenceVolatile(java.lang.Object, long)");
	want_map("int[][] A.f(byte[], java.lang.String[][], boolean)",
		 "A::f(byte[], java.lang.String[][], boolean)");
	want_log("A f ([B[[Ljava/lang/String;Z)[[I", "A::f(byte[], java.lang.String[][], boolean)");
	want_log("A g (CDFJSZ)V", "A::g(char, double, float, long, short, boolean)");
	/* Hidden classes keep their address. */
	want_map(
		"int java.lang.invoke.LambdaForm$MH/0x00007f4ef4007400.invoke(java.lang.Object, "
		"int)",
		"java.lang.invoke.LambdaForm$MH/0x00007f4ef4007400::invoke(java.lang.Object, int)");
	want_log(
		"java.lang.invoke.LambdaForm$MH/0x00007f4ef4007400 invoke (Ljava/lang/Object;I)I",
		"java.lang.invoke.LambdaForm$MH/0x00007f4ef4007400::invoke(java.lang.Object, int)");
}

static void test_not_methods(void **state)
{
	(void)state;
	want_map("Interpreter", NULL);
	want_map("StubRoutines (1)", NULL);
	want_map("I2C/C2I adapters", NULL);
	want_map("vtable chunks", NULL);
	want_map("throw_div0_exception Runtime1 stub", NULL);
	want_map("int noclass(int)", NULL);
	want_map("int A.(int)", NULL);
	want_map("A.f(int)", NULL); /* no return type */
	want_map("int A.f(int", NULL);
	want_log("", NULL);
	want_log("A", NULL);
	want_log("A f", NULL);
	want_log("A f ()", NULL);
	want_log("A f (Q)V", NULL);
	want_log("A f (Ljava/lang/String)V", NULL);
	want_log("A f (L;)V", NULL);
	want_log("A f ()VV", NULL);
	want_log("A f (I)", NULL);
}

static void test_overflow(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(
		hs_name__from_perfmap("int Workload.runHot(int, int)", 29, small, sizeof(small)),
		-1);
	assert_int_equal(hs_name__from_log("Workload runHot (II)I", 21, small, sizeof(small)), -1);
}

static void test_tagged(void **state)
{
	size_t kl;
	int level, osr;
	const char *s = "Workload::runHot(int, int) [C2 OSR]";

	(void)state;
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), 0);
	assert_int_equal(kl, strlen("Workload::runHot(int, int)"));
	assert_int_equal(level, 4);
	assert_true(osr);
	s = "A::b() [C1 L3]";
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), 0);
	assert_int_equal(level, 3);
	assert_false(osr);
	s = "A::b() [native wrapper]";
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), 0);
	assert_int_equal(level, 0);
	s = "A::b() [C1 L4]";
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), -1);
	s = "[C2]";
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), -1);
	s = "int[] A.f()";
	assert_int_equal(hs_name__parse_tagged(s, strlen(s), &kl, &level, &osr), -1);
	assert_int_equal(hs_name__short("A::b(int)", 9), 4);
	assert_int_equal(hs_name__short("A::b", 4), 4);
}

/* Every line of the real exit map: methods parse, blobs do not. */
static void test_real_map(void **state)
{
	size_t len = 0, methods = 0, blobs = 0;
	char *buf = fixture_read("hotspot/jdk17-perf-map-DumpPerfMapAtExit.map.gz", &len), *p,
	     key[1024];

	(void)state;
	assert_non_null(buf);
	for (p = buf; p < buf + len;) {
		char *nl = memchr(p, '\n', (size_t)(buf + len - p)), *eol = nl ? nl : buf + len;

		if (eol - p > 38 && p[0] == '0') {
			if (hs_name__from_perfmap(p + 38, (size_t)(eol - p - 38), key,
						  sizeof(key)) == 0)
				methods++;
			else
				blobs++;
		}
		p = nl ? nl + 1 : eol;
	}
	/* grep -c '^0x' = grep -cE '^0x\S+ \S+ \S+ \S+\(.*\)$' = 3126: this
	 * head of the map holds methods only. */
	assert_int_equal(methods, 3126);
	assert_int_equal(blobs, 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_key), cmocka_unit_test(test_not_methods),
		cmocka_unit_test(test_overflow), cmocka_unit_test(test_tagged),
		cmocka_unit_test(test_real_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

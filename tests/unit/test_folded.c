/* Folded stacks with --annotate: the suffixes FlameGraph's and inferno's
 * palettes read, _[i] for inlined frames whatever their tier; without
 * --annotate, stacks that differ only in tier print as one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/output.h"
#include "output_fixture.h"

static char *folded(const struct profile *p, int annotate)
{
	struct report_opts o = { .annotate = annotate };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(output_folded(f, p, &o), 0);
	fclose(f);
	return buf;
}

static void test_annotations(void **state)
{
	struct profile p;
	uint32_t fmain, run_opt, run_int, run_base, inl, sys;
	char *out;

	(void)state;
	profile__init(&p, NULL);
	fmain = fx_frame(&p, "main", TP_TIER_NATIVE, "", 0);
	run_opt = fx_frame(&p, "run", TP_TIER_OPTIMIZED, "TurboFan", 0);
	run_int = fx_frame(&p, "run", TP_TIER_INTERPRETER, "Ignition", 0);
	run_base = fx_frame(&p, "run", TP_TIER_BASELINE, "Sparkplug", 0);
	inl = fx_frame(&p, "helper", TP_TIER_OPTIMIZED, "TurboFan", TP_FRAME_INLINED);
	sys = fx_frame(&p, "sys_read", TP_TIER_KERNEL, "", 0);
	fx_samples(&p, (uint32_t[]){ fmain, run_opt, inl }, 3, 3, 1, 1, "app", 0);
	fx_samples(&p, (uint32_t[]){ fmain, run_int }, 2, 2, 1, 1, "app", 0);
	fx_samples(&p, (uint32_t[]){ fmain, run_base }, 2, 4, 1, 1, "app", 0);
	fx_samples(&p, (uint32_t[]){ fmain, run_opt, sys }, 3, 1, 1, 1, "app", 0);

	out = folded(&p, 1);
	assert_string_equal(out, "app;main;run_[0] 2\n"
				 "app;main;run_[1] 4\n"
				 "app;main;run_[j];helper_[i] 3\n"
				 "app;main;run_[j];sys_read_[k] 1\n");
	free(out);
	out = folded(&p, 0);
	assert_string_equal(out, "app;main;run 6\n"
				 "app;main;run;helper 3\n"
				 "app;main;run;sys_read 1\n");
	free(out);
	profile__exit(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_annotations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

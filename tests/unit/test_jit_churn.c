/* JIT churn ("freed ≈ total"): a process is flagged when at least 80% of at
 * least 50 compiled loops were freed again. The thresholds over hand-made
 * figures, then a capture holding two real PyPy 7.3 bundles (the invalidate
 * workload: 773 of 841 loops freed; the steady one: 1 loop, none freed)
 * loaded through the pypy plugin as `tierprof report` does, in text and
 * JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "analysis/churn.h"
#include "analysis/findings.h"
#include "analysis/functions.h"
#include "capture/synth.h"
#include "model/load.h"
#include "model/profile.h"
#include "output/output.h"
#include "plugin/host.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEC 1000000000ull

static size_t churns_of(double compiled, double freed, int with_freed, struct jit_churn **out)
{
	struct profile p;
	size_t n;

	profile__init(&p, NULL);
	profile__add_stat(&p, 11, "pypy", "loops compiled", compiled, "");
	if (with_freed)
		profile__add_stat(&p, 11, "pypy", "loops freed", freed, "");
	n = jit_churn__find(&p, out);
	profile__exit(&p);
	return n;
}

static void test_thresholds(void **state)
{
	struct jit_churn *c;

	(void)state;
	assert_int_equal(churns_of(50, 40, 1, &c), 1); /* 80% of 50 */
	assert_true(c[0].compiled == 50 && c[0].freed == 40 && c[0].invalidated < 0);
	assert_int_equal(c[0].pid, 11);
	free(c);
	assert_int_equal(churns_of(50, 39, 1, &c), 0); /* 78% */
	assert_null(c);
	assert_int_equal(churns_of(49, 49, 1, &c), 0); /* too few loops */
	assert_int_equal(churns_of(1000, 0, 1, &c), 0);
	assert_int_equal(churns_of(1000, 0, 0, &c), 0); /* no "loops freed" figure */
	assert_null(c);
}

static void test_fix(void **state)
{
	struct jit_churn inv = { .compiled = 100, .freed = 95, .invalidated = 90 };
	struct jit_churn old = { .compiled = 100, .freed = 95, .invalidated = 3 };

	(void)state;
	assert_non_null(strstr(jit_churn__fix("pypy", &inv), "quasi-immutable"));
	assert_non_null(strstr(jit_churn__fix("pypy", &old), "loop_longevity"));
	assert_non_null(strstr(jit_churn__fix("other", &inv), "tierprof deopts"));
	assert_non_null(strstr(jit_churn__fix(NULL, &inv), "tierprof deopts"));
}

static char capture_path[] = "/tmp/tierprof-test-churn-XXXXXX";

/* pid 7 ran invalidate.py, pid 8 steady.py: each bundle is the plugin's
 * side file of one real run. */
static void build_capture(void)
{
	size_t inv_len = 0, steady_len = 0;
	char *inv = fixture_read("pypy/pypy73-invalidate.bundle.gz", &inv_len);
	char *steady = fixture_read("pypy/pypy73-steady.bundle", &steady_len);
	struct synth *s;
	uint64_t t = 2 * SEC;
	int fd = mkstemp(capture_path);

	assert_true(fd >= 0);
	close(fd);
	assert_non_null(inv);
	assert_non_null(steady);
	assert_int_equal(synth__open(capture_path, "command=pypy3 invalidate.py\n", 0, &s), 0);
	for (uint32_t pid = 7; pid <= 8; pid++) {
		uint64_t ip = 0x7f0000001000ull;

		assert_int_equal(synth__comm(s, pid, pid, "pypy3", SEC), 0);
		assert_int_equal(synth__mmap(s, pid, 0x7f0000000000ull, 0x100000, 0, "//anon", SEC),
				 0);
		for (int i = 0; i < 10; i++, t += 10000000ull)
			assert_int_equal(synth__sample(s, pid, pid, t, 1, &ip, 1), 0);
	}
	assert_int_equal(synth__side_file(s, 7, t, "/tmp/tierprof-side/pypy-7.bundle",
					  "pypy-bundle", inv, inv_len),
			 0);
	assert_int_equal(synth__side_file(s, 8, t, "/tmp/tierprof-side/pypy-8.bundle",
					  "pypy-bundle", steady, steady_len),
			 0);
	assert_int_equal(synth__close(s, t, 0), 0);
	free(inv);
	free(steady);
}

static void test_real_bundles(void **state)
{
	char *extra[] = { TP_PYPY_PLUGIN };
	struct plugin_host_opts ho = { .extra = extra, .nextra = 1, .no_builtin = 1 };
	struct plugin_host *host;
	struct load_filter filter;
	struct profile p;
	struct func_table t;
	struct findings fd;
	struct report_opts ro = { .limit = 20 };
	char err[512], *json = NULL, *text = NULL;
	size_t json_len = 0, text_len = 0;
	FILE *mf;
	json_t *root, *arr, *c;

	(void)state;
	unsetenv("TIERPROF_PLUGIN_PATH");
	assert_int_equal(plugin_host__new(&ho, &host), 0);
	filter = (struct load_filter){ .plugins = host };
	build_capture();
	profile__init(&p, NULL);
	assert_int_equal(profile__load(&p, capture_path, &filter, err, sizeof(err)), 0);
	func_table__build(&t, &p);
	findings__build(&fd, &p, &t, NULL);

	/* The invalidate run only: the steady one keeps its one loop. */
	assert_int_equal(fd.nchurns, 1);
	assert_int_equal(fd.churns[0].pid, 7);
	assert_string_equal(profile__str(&p, fd.churns[0].runtime), "pypy");
	assert_true(fd.churns[0].compiled == 841);
	assert_true(fd.churns[0].freed == 773);
	assert_true(fd.churns[0].invalidated >= 800);

	mf = open_memstream(&text, &text_len);
	output_findings_text(mf, &p, &fd);
	fclose(mf);
	assert_non_null(strstr(text, "JIT CHURN [pypy] pid 7: 773 of 841 compiled loops freed "
				     "again (91.9%), "));
	assert_non_null(strstr(text, "loop invalidations logged\n     churn = at least 80% of at "
				     "least 50 compiled loops freed"));
	assert_non_null(strstr(text, "fix: most loops died of invalidations"));
	assert_null(strstr(text, "pid 8:"));

	mf = open_memstream(&json, &json_len);
	assert_int_equal(output_json(mf, &p, &t, &fd, &ro), 0);
	fclose(mf);
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	arr = json_object_get(root, "jit_churn");
	assert_int_equal(json_array_size(arr), 1);
	c = json_array_get(arr, 0);
	assert_int_equal(json_integer_value(json_object_get(c, "pid")), 7);
	assert_string_equal(json_string_value(json_object_get(c, "runtime")), "pypy");
	assert_int_equal(json_integer_value(json_object_get(c, "loops_compiled")), 841);
	assert_int_equal(json_integer_value(json_object_get(c, "loops_freed")), 773);
	assert_true(json_real_value(json_object_get(c, "freed_pct")) > 91.9 &&
		    json_real_value(json_object_get(c, "freed_pct")) < 92.0);
	assert_true(json_integer_value(json_object_get(c, "loops_invalidated")) >= 800);
	assert_non_null(strstr(json_string_value(json_object_get(c, "fix")), "quasi-immutable"));
	json_decref(root);
	free(json);
	free(text);

	findings__exit(&fd);
	func_table__exit(&t);
	profile__exit(&p);
	plugin_host__delete(host);
	unlink(capture_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_fix),
		cmocka_unit_test(test_real_bundles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

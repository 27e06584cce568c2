/* The check rules parser: every rule and setting, comments, quotes, CRLF,
 * and malformed input rejected with file and line; the health JSON reader
 * on malformed statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/rules.h"
#include "output/health.h"

static int parse(struct rules *r, const char *text, char *err, size_t n)
{
	return rules__parse(r, text, strlen(text), "r.rules", err, n);
}

static void test_good(void **state)
{
	const char *text =
		"# gate\n"
		"max-interpreter-share 5%\n"
		"  max-not-optimized-share 50 for \"sum Areas*\"   # trailing comment\r\n"
		"max-baseline-share 12.5% for sum*\n"
		"\n"
		"no-deopt-loops\n"
		"no-deopt-loops for hot*\n"
		"max-unknown-share 2%\n"
		"max-lost 100\n"
		"max-lost 1%\n"
		"no-regression\n"
		"set confidence 0.99\n"
		"set correction bh\n"
		"set min-effect 1\n"
		"set slices 20\n"
		"set min-samples 50\n";
	struct rules r;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse(&r, text, err, sizeof(err)), 0);
	assert_int_equal(r.n, 9);
	assert_int_equal(r.v[0].kind, RULE_MAX_TIER_SHARE);
	assert_int_equal(r.v[0].line, 2);
	assert_true(r.v[0].limit > 0.0499 && r.v[0].limit < 0.0501);
	assert_null(r.v[0].glob);
	assert_int_equal(r.v[1].tiers, (1u << TP_TIER_INTERPRETER) | (1u << TP_TIER_BASELINE));
	assert_string_equal(r.v[1].glob, "sum Areas*");
	assert_int_equal(r.v[1].line, 3);
	assert_string_equal(r.v[2].glob, "sum*");
	assert_int_equal(r.v[3].kind, RULE_NO_DEOPT_LOOPS);
	assert_string_equal(r.v[4].glob, "hot*");
	assert_int_equal(r.v[6].kind, RULE_MAX_LOST);
	assert_true(r.v[6].limit_is_count && r.v[6].limit == 100);
	assert_false(r.v[7].limit_is_count);
	assert_int_equal(r.v[8].kind, RULE_NO_REGRESSION);
	assert_true(r.stat.confidence == 0.99);
	assert_int_equal(r.stat.correction, STAT_BH);
	assert_true(r.stat.min_effect == 0.01);
	assert_int_equal(r.slices, 20);
	assert_int_equal(r.stat.min_samples, 50);
	assert_string_equal(rule_kind__name(&r.v[1]), "max-not-optimized-share");
	rules__exit(&r);
}

static void expect_error(const char *text, const char *what)
{
	struct rules r;
	char err[256] = "";

	if (rules__parse(&r, text, strlen(text), "r.rules", err, sizeof(err)) != -1 ||
	    !strstr(err, what)) {
		print_error("input '%s': error '%s', wanted '%s'\n", text, err, what);
		fail();
	}
	assert_int_equal(r.n, 0);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("", "r.rules:0: no rules");
	expect_error("# only a comment\n", "no rules");
	expect_error("max-bogus 3\n", "r.rules:1: unknown rule 'max-bogus'");
	expect_error("\n\nmax-interpreter-share\n",
		     "r.rules:3: max-interpreter-share needs a percentage");
	expect_error("max-interpreter-share 101%\n", "not a percentage from 0 to 100");
	expect_error("max-interpreter-share -1\n", "not a percentage");
	expect_error("max-interpreter-share 5%%\n", "not a percentage");
	expect_error("max-interpreter-share ten\n", "not a percentage");
	expect_error("max-interpreter-share 5 for\n", "'for' needs a function name pattern");
	expect_error("max-interpreter-share 5 for \"\"\n", "'for' needs a function name pattern");
	expect_error("max-interpreter-share 5 when x\n", "unexpected 'when'");
	expect_error("max-interpreter-share 5 for a b\n", "unexpected 'b' after the pattern");
	expect_error("max-unknown-share 5 for x\n", "applies to the whole capture");
	expect_error("max-lost 1.5\n", "not a count or a percentage");
	expect_error("max-lost\n", "max-lost needs");
	expect_error("no-deopt-loops for \"abc\n", "unterminated quote");
	expect_error("no-deopt-loops for \"a\"b\n", "a space must follow the closing quote");
	expect_error("no-regression please\n", "unexpected 'please'");
	expect_error("a b c d e f g h i\n", "too many words");
	expect_error("set confidence 1.5\n", "confidence: 1.5 is not in [0.5, 1)");
	expect_error("set confidence\n", "'set' takes a name and a value");
	expect_error("set speed 3\n", "unknown setting 'speed'");
	expect_error("set correction bonferroni\n", "not holm or bh");
	expect_error("set slices 1\n", "slices: 1 is not a whole number");
	expect_error("set min-samples 2.5\n", "min-samples: 2.5 is not a whole number");
	expect_error("set confidence 0.9\nset confidence 0.99\n",
		     "r.rules:2: 'confidence' is set twice");
	{
		char big[RULES_MAX_LINE + 20];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		expect_error(big, "r.rules:1: line longer than");
	}
}

static void test_nul_inside(void **state)
{
	static const char text[] = "no-deopt-loops\nmax-lost 1\0zz\n";
	struct rules r;
	char err[256] = "";

	(void)state;
	assert_int_equal(rules__parse(&r, text, sizeof(text) - 1, "r.rules", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "r.rules:2: a NUL byte"));
}

/* A CR before the newline is not a line of its own, and a last line may
 * end in a bare CR. */
static void test_crlf(void **state)
{
	static const char text[] = "no-deopt-loops\r\n\r\nmax-lost 1\r\nmax-bogus\r";
	struct rules r;
	char err[256] = "";

	(void)state;
	assert_int_equal(rules__parse(&r, text, sizeof(text) - 1, "r.rules", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "r.rules:4: unknown rule 'max-bogus'"));
	assert_int_equal(rules__parse(&r, text, sizeof(text) - 12, "r.rules", err, sizeof(err)), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[1].line, 3);
	rules__exit(&r);
}

static void expect_json_error(const char *json, const char *what)
{
	struct diff_side s;
	char err[256] = "";

	if (health_json__parse_side(json, strlen(json), "h.json", NULL, NULL, &s, err,
				    sizeof(err)) != -1 ||
	    !strstr(err, what)) {
		print_error("input '%s': error '%s', wanted '%s'\n", json, err, what);
		fail();
	}
}

#define HEAD "{\"schema\":1,\"kind\":\"health\",\"captures\":[{\"name\":\"a\",\"stats\":"

static void test_health_reader(void **state)
{
	const char *good =
		HEAD "{\"slices\":2,\"slice_samples\":\"10 10\",\"items\":["
		     "{\"kind\":\"leaf\",\"tier\":\"interpreter\",\"counts\":\"1 2\"},"
		     "{\"kind\":\"function\",\"tier\":\"all\",\"id\":\"v8\\tf\\t\","
		     "\"name\":\"f\",\"runtime\":\"v8\",\"counts\":\"5 6\"}],"
		     "\"deopt_loops\":[{\"id\":\"v8\\tf\\t\",\"name\":\"f\",\"cycles\":4}]}}]}";
	struct diff_side s;
	char err[256] = "";

	(void)state;
	assert_int_equal(health_json__parse_side(good, strlen(good), "h.json", NULL, NULL, &s, err,
						 sizeof(err)),
			 0);
	assert_int_equal(s.samples, 20);
	assert_int_equal(s.nitems, 2);
	assert_int_equal(s.nloops, 1);
	assert_int_equal(diff_side__find(&s, DIFF_ITEM_FUNC_TOTAL, 0, "v8\tf\t")->total, 11);
	diff_side__exit(&s);

	expect_json_error("", "h.json: line");
	expect_json_error("[1]", "not a JSON object");
	expect_json_error("{\"schema\":2,\"kind\":\"health\"}", "not a tierprof health JSON");
	expect_json_error("{\"schema\":1,\"kind\":\"health\",\"captures\":[]}",
			  "captures: expected");
	expect_json_error(HEAD "{\"slices\":1}}]}", "stats.slices");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"10\"}}]}", "slice_samples");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"10 x\"}}]}", "not a number");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"10 10 10\"}}]}", "more than 2");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"0 0\",\"items\":[]}}]}",
			  "no samples");
	expect_json_error(HEAD
			  "{\"slices\":2,\"slice_samples\":\"10 10\",\"items\":[{\"kind\":\"leaf\","
			  "\"tier\":\"warp\",\"counts\":\"1 1\"}]}}]}",
			  "unknown tier 'warp'");
	expect_json_error(HEAD
			  "{\"slices\":2,\"slice_samples\":\"10 10\",\"items\":[{\"kind\":\"leaf\","
			  "\"tier\":\"kernel\",\"counts\":\"11 1\"}]}}]}",
			  "more than the slice's");
	expect_json_error(
		HEAD "{\"slices\":2,\"slice_samples\":\"10 10\",\"items\":[{\"kind\":\"function\","
		     "\"tier\":\"all\",\"counts\":\"1 1\"}]}}]}",
		"needs id, name and runtime");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"10 10\",\"items\":[],"
			       "\"deopt_loops\":[{\"id\":\"x\"}]}}]}",
			  "stats.deopt_loops[0]");
	expect_json_error(HEAD "{\"slices\":2,\"slice_samples\":\"99999999999999999999999 1\"}}]}",
			  "too large");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),	      cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_inside),    cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_health_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* speedscope output parsed back (jansson): the schema's required fields, one
 * sampled profile per thread, stacks root first over shared frames named with
 * their tier, weights in nanoseconds, consecutive equal stacks merged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <cmocka.h>

#include "output/speedscope.h"
#include "output_fixture.h"

static json_t *write_and_parse(const struct profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t err;
	json_t *j;

	assert_int_equal(output_speedscope(f, p), 0);
	fclose(f);
	j = json_loadb(buf, len, 0, &err);
	if (!j)
		fail_msg("invalid JSON: %s at %d: %.200s", err.text, err.position, buf);
	free(buf);
	return j;
}

static const char *frame_name(json_t *frames, json_t *idx)
{
	return json_string_value(
		json_object_get(json_array_get(frames, json_integer_value(idx)), "name"));
}

static void test_profiles(void **state)
{
	struct profile p;
	uint32_t fmain, a_opt, a_int, b;
	json_t *j, *frames, *profiles, *prof, *samples, *weights;
	json_int_t total = 0;

	(void)state;
	profile__init(&p, NULL);
	p.info.freq_hz = 1000;
	p.info.path = strdup("cap.data");
	fmain = fx_frame(&p, "main", TP_TIER_NATIVE, "", 0);
	a_opt = fx_frame(&p, "a", TP_TIER_OPTIMIZED, "TurboFan", 0);
	a_int = fx_frame(&p, "a", TP_TIER_INTERPRETER, "", 0);
	b = fx_frame(&p, "b\"q", TP_TIER_NATIVE, "", 0);
	/* thread 7: main;a(opt) x3, main;b x1, main;a(opt) x2 (t order);
	 * thread 8: main;a(int) x4 */
	fx_samples(&p, (uint32_t[]){ fmain, a_opt }, 2, 3, 5, 7, "app", 1000000000);
	fx_samples(&p, (uint32_t[]){ fmain, b }, 2, 1, 5, 7, "app", 1003000000);
	fx_samples(&p, (uint32_t[]){ fmain, a_opt }, 2, 2, 5, 7, "app", 1004000000);
	fx_samples(&p, (uint32_t[]){ fmain, a_int }, 2, 4, 5, 8, "wrk", 1000000000);
	p.info.start_ns = 1000000000;
	p.info.end_ns = 1010000000;

	j = write_and_parse(&p);
	assert_string_equal(json_string_value(json_object_get(j, "$schema")),
			    "https://www.speedscope.app/file-format-schema.json");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "cap.data");
	frames = json_object_get(json_object_get(j, "shared"), "frames");
	assert_int_equal(json_array_size(frames), 4);
	profiles = json_object_get(j, "profiles");
	assert_int_equal(json_array_size(profiles), 2);

	prof = json_array_get(profiles, 0);
	assert_string_equal(json_string_value(json_object_get(prof, "type")), "sampled");
	assert_string_equal(json_string_value(json_object_get(prof, "unit")), "nanoseconds");
	assert_string_equal(json_string_value(json_object_get(prof, "name")), "app (pid 5, tid 7)");
	samples = json_object_get(prof, "samples");
	weights = json_object_get(prof, "weights");
	/* three runs in time order: a x3, b x1, a x2 */
	assert_int_equal(json_array_size(samples), 3);
	assert_int_equal(json_array_size(weights), 3);
	assert_int_equal(json_integer_value(json_array_get(weights, 0)), 3000000);
	assert_int_equal(json_integer_value(json_array_get(weights, 1)), 1000000);
	assert_int_equal(json_integer_value(json_array_get(weights, 2)), 2000000);
	/* root first */
	assert_string_equal(frame_name(frames, json_array_get(json_array_get(samples, 0), 0)),
			    "main");
	assert_string_equal(frame_name(frames, json_array_get(json_array_get(samples, 0), 1)),
			    "a [TurboFan]");
	assert_string_equal(frame_name(frames, json_array_get(json_array_get(samples, 1), 1)),
			    "b\"q");
	assert_int_equal(json_integer_value(json_object_get(prof, "startValue")), 0);
	assert_true(json_integer_value(json_object_get(prof, "endValue")) >= 6000000);

	prof = json_array_get(profiles, 1);
	samples = json_object_get(prof, "samples");
	assert_int_equal(json_array_size(samples), 1);
	assert_string_equal(frame_name(frames, json_array_get(json_array_get(samples, 0), 1)),
			    "a [interpreter]");
	for (size_t i = 0; i < json_array_size(profiles); i++) {
		json_t *w = json_object_get(json_array_get(profiles, i), "weights");

		for (size_t k = 0; k < json_array_size(w); k++)
			total += json_integer_value(json_array_get(w, k));
	}
	assert_int_equal(total, 10 * 1000000);
	json_decref(j);
	profile__exit(&p);
}

static void test_empty(void **state)
{
	struct profile p;
	json_t *j;

	(void)state;
	profile__init(&p, NULL);
	j = write_and_parse(&p);
	assert_int_equal(json_array_size(json_object_get(j, "profiles")), 0);
	json_decref(j);
	profile__exit(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

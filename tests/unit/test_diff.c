/* tierprof diff over hand-built profiles: a function whose share moves from
 * 50% to 10% is a significant change, an identical profile is not, items
 * absent from one side compare against zero, --focus gives the verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/diff.h"
#include "model/profile.h"

/* n samples, 1 ms apart; every k-th of them in "hot" (interpreted), the rest
 * in "cold" (optimized), both under "main". */
static void build(struct profile *p, unsigned n, unsigned every)
{
	uint32_t fmain, fhot, fcold, nmain, nhot, ncold;

	profile__init(p, NULL);
	fmain = profile__function(p, "main", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	fhot = profile__function(p, "hot", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	fcold = profile__function(p, "cold", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	nmain = profile__child(p, PROFILE_ROOT, profile__frame(p, fmain, TP_TIER_NATIVE));
	nhot = profile__child(p, nmain, profile__frame(p, fhot, TP_TIER_INTERPRETER));
	ncold = profile__child(p, nmain, profile__frame(p, fcold, TP_TIER_OPTIMIZED));
	p->info.start_ns = 1000000;
	p->info.end_ns = 1000000 + (uint64_t)n * 1000000;
	for (unsigned i = 0; i < n; i++) {
		struct sample s = { .node = i % every == 0 ? nhot : ncold,
				    .pid = 1,
				    .tid = 1,
				    .time = 1000000 + (uint64_t)i * 1000000 };

		if (p->nsamples == p->samples_cap) {
			p->samples_cap = p->samples_cap ? 2 * p->samples_cap : 256;
			p->samples = realloc(p->samples, p->samples_cap * sizeof(s));
		}
		p->samples[p->nsamples++] = s;
	}
}

static const struct diff_row *row_of(const struct diff_result *r, const char *name,
				     enum diff_item_kind kind, unsigned tier)
{
	for (size_t i = 0; i < r->nrows; i++) {
		if (!strcmp(r->rows[i].name, name) && r->rows[i].kind == kind &&
		    (kind == DIFF_ITEM_FUNC_TOTAL || r->rows[i].tier == tier))
			return &r->rows[i];
	}
	return NULL;
}

static void test_change_and_noise(void **state)
{
	struct profile a, b;
	struct diff_side sa, sb, sa2;
	struct diff_result r;
	struct diff_focus f;
	const struct diff_row *row;

	(void)state;
	build(&a, 2000, 2);  /* hot: 50% */
	build(&b, 1200, 10); /* hot: 10%, and fewer samples */
	diff_side__from_profile(&sa, &a, DIFF_DEFAULT_SLICES, 1);
	diff_side__from_profile(&sb, &b, DIFF_DEFAULT_SLICES, 1);
	assert_int_equal(sa.nslices, DIFF_DEFAULT_SLICES);
	assert_int_equal(sa.slice_n[0], 200);
	assert_non_null(diff_side__find(&sa, DIFF_ITEM_FUNC_TOTAL, 0, "native\thot\t"));

	diff__compare(&r, &sa, &sb, NULL);
	row = row_of(&r, "hot", DIFF_ITEM_FUNC_TOTAL, 0);
	assert_non_null(row);
	assert_int_equal(row->direction, DIFF_DOWN);
	assert_true(row->w.diff < -0.39 && row->w.diff > -0.41);
	row = row_of(&r, "cold", DIFF_ITEM_FUNC_TIER, TP_TIER_OPTIMIZED);
	assert_non_null(row);
	assert_int_equal(row->direction, DIFF_UP);
	assert_int_equal(r.headline[TP_TIER_INTERPRETER].direction, DIFF_DOWN);
	assert_int_equal(r.cpu.direction, DIFF_DOWN);
	assert_int_equal(r.cpu.a, 2000);
	assert_int_equal(r.cpu.b, 1200);
	/* main is 100% in both: tested, no change */
	row = row_of(&r, "main", DIFF_ITEM_FUNC_TOTAL, 0);
	assert_non_null(row);
	assert_int_equal(row->direction, DIFF_SAME);

	/* hot: 1000 -> 120 samples, CPU 2000 -> 1200: both */
	assert_int_equal(diff__focus(&f, &r, "hot"), 0);
	assert_int_equal(f.local.a, 1000);
	assert_int_equal(f.local.b, 120);
	assert_int_equal(f.verdict, FOCUS_BOTH);
	/* cold: 1000 -> 1080 samples: did not shrink; CPU did */
	assert_int_equal(diff__focus(&f, &r, "cold"), 0);
	assert_int_equal(f.verdict, FOCUS_HEADLINE);
	assert_int_equal(diff__focus(&f, &r, "nosuch"), -1);
	diff_result__exit(&r);

	/* The same profile twice: nothing significant. */
	diff_side__from_profile(&sa2, &a, DIFF_DEFAULT_SLICES, 1);
	diff__compare(&r, &sa, &sa2, NULL);
	assert_int_equal(r.nsignificant, 0);
	assert_int_equal(r.cpu.direction, DIFF_SAME);
	for (unsigned t = 0; t < TP_TIER__COUNT; t++)
		assert_int_equal(r.headline[t].direction, DIFF_SAME);
	assert_int_equal(diff__focus(&f, &r, "hot"), 0);
	assert_int_equal(f.verdict, FOCUS_NEITHER);
	diff_result__exit(&r);

	diff_side__exit(&sa);
	diff_side__exit(&sa2);
	diff_side__exit(&sb);
	profile__exit(&a);
	profile__exit(&b);
}

static void test_side_add(void **state)
{
	struct diff_side s;
	const uint64_t c[] = { 1, 2, 3 };
	struct side_item *it;

	(void)state;
	diff_side__init(&s, "x", 3);
	it = diff_side__add(&s, DIFF_ITEM_FUNC_TIER, TP_TIER_BASELINE, "v8\tf\t", "f", "v8", c);
	assert_non_null(it);
	assert_int_equal(it->total, 6);
	assert_null(
		diff_side__add(&s, DIFF_ITEM_FUNC_TIER, TP_TIER_BASELINE, "v8\tf\t", "f", "v8", c));
	assert_null(diff_side__find(&s, DIFF_ITEM_FUNC_TIER, TP_TIER_OPTIMIZED, "v8\tf\t"));
	assert_non_null(diff_side__find(&s, DIFF_ITEM_FUNC_TIER, TP_TIER_BASELINE, "v8\tf\t"));
	diff_side__exit(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_and_noise),
		cmocka_unit_test(test_side_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

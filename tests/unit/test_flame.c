/* The flame graph: the tree merges a function's tiers at one call path and
 * keeps the mix; inverted trees start at the leaves; the SVG carries the
 * geometry, tooltips and mix bars the script reads, escapes names, merges
 * narrow boxes, and stays small for 100k distinct stacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "output/flame_svg.h"
#include "output/flame_tree.h"
#include "output_fixture.h"

static uint32_t find_child(const struct flame_tree *t, const struct profile *p, uint32_t parent,
			   const char *name)
{
	for (uint32_t c = t->nodes[parent].first_child; c != FLAME_NONE;
	     c = t->nodes[c].next_sibling) {
		const char *n = t->nodes[c].func == FLAME_NONE
					? profile__str(p, t->nodes[c].label)
					: profile__func_name(p, t->nodes[c].func);

		if (!strcmp(n, name))
			return c;
	}
	fail_msg("no child %s", name);
	return FLAME_NONE;
}

static uint64_t mix_of(const struct flame_tree *t, uint32_t node, unsigned tier)
{
	uint64_t k = 0;

	for (uint32_t m = t->nodes[node].mix; m != FLAME_NONE; m = t->mix[m].next)
		if (t->mix[m].tier == tier)
			k += t->mix[m].count;
	return k;
}

/* main;a(TurboFan) x6, main;a(Ignition) x2, main;b x2, all on thread "app" */
static void build(struct profile *p)
{
	uint32_t fmain, a_opt, a_int, b;

	profile__init(p, NULL);
	p->info.freq_hz = 1000;
	fmain = fx_frame(p, "main", TP_TIER_NATIVE, "", 0);
	a_opt = fx_frame(p, "a", TP_TIER_OPTIMIZED, "TurboFan", 0);
	a_int = fx_frame(p, "a", TP_TIER_INTERPRETER, "Ignition", 0);
	b = fx_frame(p, "b", TP_TIER_NATIVE, "", 0);
	fx_samples(p, (uint32_t[]){ fmain, a_opt }, 2, 6, 1, 1, "app", 0);
	fx_samples(p, (uint32_t[]){ fmain, a_int }, 2, 2, 1, 1, "app", 0);
	fx_samples(p, (uint32_t[]){ fmain, b }, 2, 2, 1, 1, "app", 0);
}

static void test_tree(void **state)
{
	struct profile p;
	struct flame_tree t;
	uint32_t app, m, a, b;

	(void)state;
	build(&p);
	flame_tree__build(&t, &p, 0);
	assert_int_equal(t.nodes[FLAME_ROOT].total, 10);
	app = find_child(&t, &p, FLAME_ROOT, "app");
	m = find_child(&t, &p, app, "main");
	a = find_child(&t, &p, m, "a");
	b = find_child(&t, &p, m, "b");
	assert_int_equal(t.nodes[m].total, 10);
	/* both tiers of a at main;a are one node with the mix kept */
	assert_int_equal(t.nodes[a].total, 8);
	assert_int_equal(t.nodes[a].self, 8);
	assert_int_equal(mix_of(&t, a, TP_TIER_OPTIMIZED), 6);
	assert_int_equal(mix_of(&t, a, TP_TIER_INTERPRETER), 2);
	assert_int_equal(t.nodes[b].total, 2);
	/* children in name order */
	assert_int_equal(t.nodes[m].first_child, a);
	assert_int_equal(t.nodes[a].next_sibling, b);
	assert_int_equal(t.max_depth, 3);
	flame_tree__exit(&t);

	flame_tree__build(&t, &p, 1);
	a = find_child(&t, &p, FLAME_ROOT, "a");
	b = find_child(&t, &p, FLAME_ROOT, "b");
	assert_int_equal(t.nodes[a].total, 8);
	assert_int_equal(mix_of(&t, a, TP_TIER_INTERPRETER), 2);
	m = find_child(&t, &p, a, "main");
	assert_int_equal(t.nodes[m].total, 8);
	assert_int_equal(mix_of(&t, m, TP_TIER_NATIVE), 8);
	assert_int_equal(t.nodes[m].self, 8);
	assert_int_equal(t.max_depth, 2);
	flame_tree__exit(&t);
	profile__exit(&p);
}

static const char *tp_concat(const char *a, const char *b)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", a, b);
	return buf;
}

static char *render(const struct profile *p, int inverted, double minwidth,
		    struct flame_svg_stats *st)
{
	struct flame_svg_opts o = {
		.width = 1200, .minwidth = minwidth, .inverted = inverted, .subtitle = "sub <&>"
	};
	struct flame_tree t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	flame_tree__build(&t, p, inverted);
	assert_int_equal(flame_svg__write(f, p, &t, &o, st), 0);
	fclose(f);
	flame_tree__exit(&t);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *at = s; (at = strstr(at, what)); at += strlen(what))
		n++;
	return n;
}

static void test_svg(void **state)
{
	struct profile p;
	struct flame_svg_stats st;
	char *svg;

	(void)state;
	build(&p);
	svg = render(&p, 0, 0.1, &st);
	assert_non_null(strstr(svg, "data-total=\"10\""));
	/* root, thread, main, a, b */
	assert_int_equal(count(svg, "<g data-x="), 5);
	assert_int_equal(st.boxes, 5);
	assert_int_equal(st.merged, 0);
	/* the root comes first: the script takes it for "all" */
	assert_true(strstr(svg, "<g data-x=\"0\" data-w=\"10\" data-d=\"0\"><title>all\n") != NULL);
	/* a's tooltip: samples, self, and the mix by sub-tier */
	assert_non_null(strstr(svg, "<title>a\n8 samples (80%), self 8 (80%)\n"
				    "75% TurboFan, 25% Ignition</title>"));
	/* one mix bar: a is the only box in two tiers */
	assert_int_equal(count(svg, "preserveAspectRatio=\"none\""), 1);
	assert_non_null(strstr(svg, "sub &lt;&amp;&gt;"));
	assert_non_null(strstr(svg, "<script type=\"text/ecmascript\"><![CDATA["));
	/* self-contained: no URL but the SVG namespace */
	assert_int_equal(count(svg, "http"), count(svg, "http://www.w3.org/2000/svg"));
	/* legend: tiers present with their leaf share, sub-tiers as shades */
	assert_non_null(strstr(svg, ">optimized 60.0%</text>"));
	assert_non_null(strstr(svg, ">interpreter 20.0%</text>"));
	assert_non_null(strstr(svg, ">TurboFan</text>"));
	free(svg);

	svg = render(&p, 1, 0.1, &st);
	assert_non_null(strstr(svg, "data-inverted=\"1\""));
	assert_int_equal(st.boxes, 5); /* root, a, b, main under each */
	free(svg);
	profile__exit(&p);
}

/* Names are escaped and repaired: the SVG stays well-formed XML. */
static void test_escaping(void **state)
{
	struct profile p;
	uint32_t fr;
	char *svg;

	(void)state;
	profile__init(&p, NULL);
	fr = fx_frame(&p, "op<T&U>\"'\x01\xff", TP_TIER_NATIVE, "", 0);
	fx_samples(&p, &fr, 1, 3, 1, 1, "th]]>", 0);
	svg = render(&p, 0, 0.1, NULL);
	assert_non_null(strstr(svg, "<title>op&lt;T&amp;U&gt;&quot;&#39;\xef\xbf\xbd\n"));
	assert_null(strstr(svg, "\x01"));
	assert_non_null(strstr(svg, "<title>th]]&gt;\n"));
	free(svg);
	profile__exit(&p);
}

/* 1000 one-sample siblings next to a 10000-sample one: at 1200 px the small
 * ones are 0.1 px each and become one merged box. */
static void test_minwidth(void **state)
{
	struct profile p;
	struct flame_svg_stats st;
	uint32_t fmain, big;
	char *svg, name[32];

	(void)state;
	profile__init(&p, NULL);
	fmain = fx_frame(&p, "main", TP_TIER_NATIVE, "", 0);
	big = fx_frame(&p, "big", TP_TIER_OPTIMIZED, "", 0);
	fx_samples(&p, (uint32_t[]){ fmain, big }, 2, 10000, 1, 1, "app", 0);
	for (int i = 0; i < 1000; i++) {
		uint32_t fr;

		snprintf(name, sizeof(name), "small%d", i);
		fr = fx_frame(&p, name, i % 2 ? TP_TIER_INTERPRETER : TP_TIER_BASELINE, "", 0);
		fx_samples(&p, (uint32_t[]){ fmain, fr }, 2, 1, 1, 1, "app", 0);
	}
	svg = render(&p, 0, 1.0, &st);
	assert_int_equal(st.merged, 1);
	assert_int_equal(st.boxes, 5); /* root, thread, main, big, [+1000 narrow] */
	assert_int_equal(st.hidden, 1000);
	assert_non_null(strstr(svg, "<title>[+1000 narrow]\n1000 samples"));
	/* the merged box keeps the mix of what it stands for */
	assert_non_null(strstr(svg, "50% interpreter, 50% baseline"));
	free(svg);
	svg = render(&p, 0, 0, &st);
	assert_int_equal(st.merged, 0);
	assert_int_equal(st.boxes, 1004);
	free(svg);
	profile__exit(&p);
}

static uint64_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/* 100k distinct stacks, 8 to 31 frames of 2000 functions in four tiers, with
 * shared prefixes as real programs have (the outer frames come from few
 * functions). Weights: Zipf-like (the k-th stack gets 1 + 200000/k samples)
 * or uniform (one sample each, the worst case for merging). The SVG must
 * stay a size a browser opens quickly; docs/flame.md has the numbers.
 * TP_FLAME_BENCH_OUT=DIR keeps the SVGs for a look in a browser. */
static void large(int zipf, size_t max_bytes)
{
	struct profile p;
	struct flame_svg_stats st;
	uint32_t frames[2000], path[32];
	uint64_t seed = 42;
	struct timespec t0, t1;
	size_t bytes, samples;
	const char *dir = getenv("TP_FLAME_BENCH_OUT");
	char *svg, name[64];

	profile__init(&p, NULL);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "fn_%d", i);
		frames[i] = fx_frame(&p, name,
				     (unsigned[]){ TP_TIER_INTERPRETER, TP_TIER_BASELINE,
						   TP_TIER_OPTIMIZED, TP_TIER_NATIVE }[i % 4],
				     "", 0);
	}
	for (uint32_t k = 0; k < 100000; k++) {
		size_t depth = 8 + rnd(&seed) % 24;

		for (size_t d = 0; d < depth; d++)
			path[d] = frames[rnd(&seed) % (d < 2 ? 3 : d < 5 ? 40 : 2000)];
		fx_samples(&p, path, depth, zipf ? 1 + 200000 / (k + 1) : 1, 1, 1, "app", 0);
	}
	samples = p.nsamples;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	svg = render(&p, 0, FLAME_DEFAULT_MINWIDTH, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	bytes = strlen(svg);
	print_message("# 100k stacks (%s), %zu samples, %zu trie nodes: %zu bytes, %llu boxes "
		      "(%llu merged), %llu nodes not drawn, %.2f s\n",
		      zipf ? "zipf" : "uniform", samples, p.nnodes, bytes,
		      (unsigned long long)st.boxes, (unsigned long long)st.merged,
		      (unsigned long long)st.hidden,
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (dir) {
		FILE *f;

		snprintf(name, sizeof(name), "/large-%s.svg", zipf ? "zipf" : "uniform");
		f = fopen(tp_concat(dir, name), "w");
		if (f) {
			fputs(svg, f);
			fclose(f);
		}
	}
	assert_true(p.nnodes > 1000000);
	assert_true(bytes < max_bytes);
	free(svg);
	profile__exit(&p);
}

static void test_large_zipf(void **state)
{
	(void)state;
	large(1, 8 << 20);
}

static void test_large_uniform(void **state)
{
	(void)state;
	large(0, 8 << 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),	   cmocka_unit_test(test_svg),
		cmocka_unit_test(test_escaping),   cmocka_unit_test(test_minwidth),
		cmocka_unit_test(test_large_zipf), cmocka_unit_test(test_large_uniform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

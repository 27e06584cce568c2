/* Runtime stacks (core/model/rstacks.c) over a hand-built profile: the
 * arguments rstacks__add refuses, the nearest-match window's edges, and a
 * replace group (libpypy) beside a keep-leaf group (JIT code) in one
 * process. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/profile.h"
#include "model/rstacks.h"

#define SPAN_START 1000
#define SPAN_END 2000000

static void add_sample(struct profile *p, uint32_t pid, uint64_t time, uint32_t node)
{
	struct sample s = { .time = time, .pid = pid, .tid = pid, .node = node };

	if (p->nsamples == p->samples_cap) {
		p->samples_cap = p->samples_cap ? 2 * p->samples_cap : 64;
		p->samples = realloc(p->samples, p->samples_cap * sizeof(s));
		assert_non_null(p->samples);
	}
	p->samples[p->nsamples++] = s;
}

static uint32_t stack(struct profile *p, const uint32_t *frames, size_t n)
{
	uint32_t node = PROFILE_ROOT;

	for (size_t i = 0; i < n; i++)
		node = profile__child(p, node, frames[i]);
	return node;
}

static int add(struct rstacks *r, struct profile *p, uint32_t pid, uint64_t end, double pos,
	       const char *target, uint32_t flags, const char *const *keys, uint32_t n)
{
	struct tp_runtime_frame f[8];
	struct tp_runtime_stack s = { .size = sizeof(s),
				      .pid = pid,
				      .start_ns = SPAN_START,
				      .end_ns = end,
				      .position = pos,
				      .target_key = target,
				      .runtime = "pypy",
				      .nframes = n,
				      .flags = flags,
				      .frames = f };

	for (uint32_t i = 0; i < n; i++)
		f[i] = (struct tp_runtime_frame){ .tier = TP_TIER_INTERPRETER,
						  .function_key = keys[i],
						  .display_name = keys[i],
						  .subtier = "interpreted (vmprof)" };
	return rstacks__add(r, p, "pypy", &s);
}

static double stat(const struct profile *p, uint32_t pid, const char *name)
{
	for (size_t i = 0; i < p->nstats; i++) {
		if (p->stats[i].pid == pid && !strcmp(profile__str(p, p->stats[i].name), name))
			return p->stats[i].value;
	}
	return -1;
}

static int has_stat(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nstats; i++) {
		if (!strcmp(profile__str(p, p->stats[i].name), name))
			return 1;
	}
	return 0;
}

/* The sample's frames, root first, as "key/subtier;..." */
static const char *path(const struct profile *p, uint32_t node, char *buf, size_t len)
{
	uint32_t frames[32];
	size_t n = 0, at = 0;

	for (; node != PROFILE_ROOT && n < 32; node = p->nodes[node].parent)
		frames[n++] = p->nodes[node].frame;
	buf[0] = '\0';
	while (n-- > 0) {
		const struct frame *f = &p->frames[frames[n]];

		at += (size_t)snprintf(buf + at, len - at, "%s%s/%s", at ? ";" : "",
				       profile__str(p, p->funcs[f->func].key),
				       profile__str(p, f->subtier));
	}
	return buf;
}

static void test_bad_arguments(void **state)
{
	static const char *const one[] = { "main" };
	struct profile p;
	struct rstacks r = { 0 };

	(void)state;
	profile__init(&p, NULL);
	assert_int_equal(add(&r, &p, 1, SPAN_END, 0.5, "pypy libpypy", 0, one, 1), 0);
	/* Unknown flags. */
	assert_int_equal(add(&r, &p, 1, SPAN_END, 0.5, "pypy libpypy", 2, one, 1), -EINVAL);
	/* Another span in the same process, for any target. */
	assert_int_equal(add(&r, &p, 1, SPAN_END + 1, 0.5, "pypy libpypy", 0, one, 1), -EINVAL);
	assert_int_equal(add(&r, &p, 1, SPAN_END + 1, 0.5, "f", 0, one, 1), -EINVAL);
	/* The same target with other flags. */
	assert_int_equal(
		add(&r, &p, 1, SPAN_END, 0.5, "pypy libpypy", TP_RUNTIME_STACK_KEEP_LEAF, one, 1),
		-EINVAL);
	/* Another target in the same span, and another process's span: fine. */
	assert_int_equal(add(&r, &p, 1, SPAN_END, 0.5, "f", TP_RUNTIME_STACK_KEEP_LEAF, one, 1), 0);
	assert_int_equal(add(&r, &p, 2, SPAN_END + 1, 0.5, "pypy libpypy", 0, one, 1), 0);
	assert_int_equal(r.ngroups, 3);
	rstacks__apply(&r, &p); /* no samples: nothing, no figures */
	assert_int_equal(p.nstats, 0);
	rstacks__exit(&r);
	profile__exit(&p);
}

/* 1000 samples, one stack at 0.5: only samples within 0.02 of it (positions
 * (i + 0.5) / 1000, i = 480 .. 519) are named. */
static void test_window_edges(void **state)
{
	static const char *const callers[] = { "eval_sum", "main" };
	struct profile p;
	struct rstacks r = { 0 };
	uint32_t lib, leaf, named = 0;
	char buf[512];

	(void)state;
	profile__init(&p, NULL);
	lib = profile__frame_ex(
		&p,
		profile__function_keyed(&p, "pypy libpypy", "[libpypy]", "pypy", PROFILE_NO_DSO),
		TP_TIER_INTERPRETER, "libpypy, stripped", 0);
	leaf = stack(&p, &lib, 1);
	for (uint32_t i = 0; i < 1000; i++)
		add_sample(&p, 7, SPAN_START + 1 + i, leaf);
	add_sample(&p, 7, SPAN_END + 1, leaf);	 /* after the span: not counted, left */
	add_sample(&p, 8, SPAN_START + 1, leaf); /* another process: left */
	assert_int_equal(add(&r, &p, 7, SPAN_END, 0.5, "pypy libpypy", 0, callers, 2), 0);
	rstacks__apply(&r, &p);
	for (uint32_t i = 0; i < 1000; i++) {
		int in = i >= 480 && i < 520;

		if (p.samples[i].node != leaf)
			named++;
		assert_int_equal(p.samples[i].node != leaf, in);
	}
	assert_int_equal(named, 40);
	assert_string_equal(path(&p, p.samples[500].node, buf, sizeof(buf)),
			    "main/interpreted (vmprof);eval_sum/interpreted (vmprof)");
	assert_int_equal(p.samples[1000].node, leaf);
	assert_int_equal(p.samples[1001].node, leaf);
	assert_true(stat(&p, 7, "runtime stacks (samples)") == 1);
	assert_true(stat(&p, 7, "native samples named by them") == 40);
	assert_true(stat(&p, 7, "native samples left unnamed (none near)") == 960);
	assert_false(has_stat(&p, "JIT samples given callers by them"));
	rstacks__exit(&r);
	profile__exit(&p);
}

/* One process: libpypy samples get their user frames replaced, JIT samples
 * of f keep their JIT frame (and sub-tier) under the callers, a JIT sample
 * of g (no stacks of its own) is left alone, kernel frames stay. */
static void test_keep_leaf_vs_replace(void **state)
{
	static const char *const interp[] = { "eval_sum", "main", "<module>" };
	static const char *const callers[] = { "main", "<module>" };
	struct profile p;
	struct rstacks r = { 0 };
	uint32_t lib, f_jit, g_jit, unknown, kern, lib_leaf, f_leaf, g_leaf;
	char buf[512];

	(void)state;
	profile__init(&p, NULL);
	lib = profile__frame_ex(
		&p,
		profile__function_keyed(&p, "pypy libpypy", "[libpypy]", "pypy", PROFILE_NO_DSO),
		TP_TIER_INTERPRETER, "libpypy, stripped", 0);
	f_jit = profile__frame_ex(&p, profile__function_keyed(&p, "f", "f", "pypy", PROFILE_NO_DSO),
				  TP_TIER_OPTIMIZED, "JIT loop", 0);
	g_jit = profile__frame_ex(&p, profile__function_keyed(&p, "g", "g", "pypy", PROFILE_NO_DSO),
				  TP_TIER_OPTIMIZED, "JIT bridge", 0);
	unknown = profile__frame(
		&p, profile__function(&p, "[unknown]", PROFILE_NO_DSO, UNKNOWN_NO_SYMBOLS, 0),
		TP_TIER_UNKNOWN);
	kern = profile__frame(
		&p, profile__function(&p, "do_syscall_64", PROFILE_NO_DSO, UNKNOWN_NONE, 1),
		TP_TIER_KERNEL);
	lib_leaf = stack(&p, (uint32_t[]){ unknown, lib, kern }, 3);
	f_leaf = stack(&p, (uint32_t[]){ unknown, f_jit, kern }, 3);
	g_leaf = stack(&p, (uint32_t[]){ unknown, g_jit }, 2);
	/* Positions 0.125 (libpypy), 0.375 (f), 0.625 (g), 0.875 (f). */
	add_sample(&p, 3, SPAN_START + 1, lib_leaf);
	add_sample(&p, 3, SPAN_START + 2, f_leaf);
	add_sample(&p, 3, SPAN_START + 3, g_leaf);
	add_sample(&p, 3, SPAN_START + 4, f_leaf);
	assert_int_equal(add(&r, &p, 3, SPAN_END, 0.13, "pypy libpypy", 0, interp, 3), 0);
	/* Nearer to the g sample than any f stack, but of another target. */
	assert_int_equal(add(&r, &p, 3, SPAN_END, 0.62, "pypy libpypy", 0, interp, 3), 0);
	assert_int_equal(
		add(&r, &p, 3, SPAN_END, 0.37, "f", TP_RUNTIME_STACK_KEEP_LEAF, callers, 2), 0);
	assert_int_equal(add(&r, &p, 3, SPAN_END, 0.5, "f", TP_RUNTIME_STACK_KEEP_LEAF, callers, 2),
			 0);
	rstacks__apply(&r, &p);
	assert_string_equal(path(&p, p.samples[0].node, buf, sizeof(buf)),
			    "<module>/interpreted (vmprof);main/interpreted (vmprof);"
			    "eval_sum/interpreted (vmprof);do_syscall_64/");
	assert_string_equal(path(&p, p.samples[1].node, buf, sizeof(buf)),
			    "<module>/interpreted (vmprof);main/interpreted (vmprof);"
			    "f/JIT loop;do_syscall_64/");
	assert_int_equal(p.samples[2].node, g_leaf);
	/* 0.875 is 0.375 from the nearest f stack: outside the window. */
	assert_int_equal(p.samples[3].node, f_leaf);
	assert_true(stat(&p, 3, "runtime stacks (samples)") == 4);
	assert_true(stat(&p, 3, "native samples named by them") == 1);
	assert_true(stat(&p, 3, "native samples left unnamed (none near)") == 0);
	assert_true(stat(&p, 3, "JIT samples given callers by them") == 1);
	assert_true(stat(&p, 3, "JIT samples left without callers") == 1);
	rstacks__exit(&r);
	profile__exit(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_keep_leaf_vs_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

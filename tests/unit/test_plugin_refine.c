/* ABI 1.3 per-sample refinement, host side: the descriptor and flag rules
 * for old and new plugins, the checked refine_key / refine calls, and the
 * core's refiner (frame pointers from the sampled stack, cache) against the
 * fake plugins of tests/plugins (refiner.c, legacy.c, refine_short.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/refine.h"
#include "plugin/host.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE(x) TP_FAKE_PLUGIN_DIR "/" x ".so"

static void quiet(enum tp_log_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
}

static struct plugin_host *host_of(const char *path)
{
	char *paths[] = { (char *)path };
	struct plugin_host_opts o = { .extra = paths, .nextra = 1, .no_builtin = 1 };
	struct plugin_host *h = NULL;

	tp_log_set_sink(quiet);
	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_non_null(h);
	return h;
}

static int classify(struct plugin_host *h, const char *name, struct tp_classification *c,
		    const char **plugin)
{
	struct tp_frame_info fi = {
		.size = sizeof(fi), .pid = 7, .addr = 0x1000, .name = name, .dso = "//anon"
	};

	return plugin_host__classify(h, &fi, c, plugin);
}

static void test_flags_and_descriptors(void **state)
{
	struct plugin_host *h;
	struct tp_classification c;
	const char *who;

	(void)state;
	h = host_of(FAKE("refiner"));
	assert_int_equal(plugin_host__status(h, 0)->loaded, 1);
	assert_int_equal(classify(h, "interp", &c, &who), 1);
	assert_string_equal(who, "refiner");
	assert_int_equal(c.flags, TP_FRAME_NEEDS_CONTEXT);
	plugin_host__delete(h);

	/* A 1.2 plugin loads; the bit it could not have meant is cleared. */
	h = host_of(FAKE("legacy"));
	assert_int_equal(plugin_host__status(h, 0)->loaded, 1);
	assert_int_equal(classify(h, "legacy", &c, NULL), 1);
	assert_int_equal(c.flags, 0);
	plugin_host__delete(h);

	h = host_of(FAKE("refine_short"));
	assert_int_equal(plugin_host__status(h, 0)->loaded, 0);
	assert_non_null(strstr(plugin_host__status(h, 0)->reason,
			       "announces capability refine but its descriptor"));
	plugin_host__delete(h);
}

/* A sampled stack of 32 words at SP: word i holds words[i]. */
#define SP 0x7ff000ull
static uint64_t words[32];

static int host_read(const struct tp_frame_ctx *ctx, uint64_t addr, void *buf, uint64_t len)
{
	(void)ctx;
	if (addr < SP || addr + len > SP + sizeof(words))
		return -EFAULT;
	memcpy(buf, (const char *)words + (addr - SP), len);
	return 0;
}

static void test_refine_calls(void **state)
{
	struct plugin_host *h = host_of(FAKE("refiner"));
	struct tp_frame_info fi = {
		.size = sizeof(fi), .pid = 7, .addr = 0x1000, .name = "interp"
	};
	struct tp_frame_ctx ctx = { .size = sizeof(ctx),
				    .ip = 0x1000,
				    .fp = SP + 8 * 4,
				    .sp = SP,
				    .stack_len = sizeof(words),
				    .read_stack = host_read };
	struct tp_classification c;
	uint64_t key = 0;

	(void)state;
	memset(words, 0, sizeof(words));
	words[3] = 0xabc;
	assert_int_equal(plugin_host__refine_key(h, "refiner", &fi, &ctx, &key), 1);
	assert_int_equal(key, 0xabc);
	/* Unknown plugin, slot outside the stack, nothing there. */
	assert_int_equal(plugin_host__refine_key(h, "nosuch", &fi, &ctx, &key), 0);
	ctx.fp = SP;
	assert_int_equal(plugin_host__refine_key(h, "refiner", &fi, &ctx, &key), 0);
	ctx.fp = SP + 8 * 2;
	assert_int_equal(plugin_host__refine_key(h, "refiner", &fi, &ctx, &key), 0);

	assert_int_equal(plugin_host__refine(h, "refiner", &fi, 0xabc, &c), 1);
	assert_string_equal(c.function_key, "fn_abc");
	assert_string_equal(c.runtime, "refiner");
	assert_int_equal(c.flags, 0); /* no refinement of a refinement */
	assert_int_equal(plugin_host__refine(h, "refiner", &fi, 0x404, &c), 0);
	assert_int_equal(plugin_host__refine(h, "refiner", &fi, 0x505, &c), 0); /* tier 99 */
	assert_int_equal(c.tier, 0);

	/* Errors count toward disabling the plugin, as any callback's. */
	words[1] = 0xbad;
	for (int i = 0; i < PLUGIN_MAX_CONSECUTIVE_FAILURES; i++)
		assert_int_equal(plugin_host__refine_key(h, "refiner", &fi, &ctx, &key), 0);
	assert_int_equal(plugin_host__status(h, 0)->disabled, 1);
	words[1] = 0xabc;
	assert_int_equal(plugin_host__refine_key(h, "refiner", &fi, &ctx, &key), 0);
	plugin_host__delete(h);
}

/* --- the core's refiner --- */

struct made {
	char names[16][512];
	uint32_t n;
};

static uint32_t make(void *ctx, const struct tp_classification *c, uint32_t dso)
{
	struct made *m = ctx;

	assert_int_equal(dso, 42);
	assert_true(m->n < 16);
	snprintf(m->names[m->n], sizeof(m->names[0]), "%s", c->display_name);
	return 1000 + m->n++;
}

static void test_refiner(void **state)
{
	struct plugin_host *h = host_of(FAKE("refiner"));
	struct made m = { .n = 0 };
	struct refiner *r = refiner__new(h, make, &m);
	struct tp_classification c;
	struct tp_frame_info fi = {
		.size = sizeof(fi), .pid = 7, .addr = 0x1000, .name = "interp"
	};
	const char *who;
	/* Frame chain: leaf fp = word 4 (slot: word 3 = 0xaaa), link to word
	 * 12 (slot word 11 = 0xbbb), link to word 20 (slot 0: nothing). */
	uint64_t ips[4] = { 0x1000, 0x2001, 0x3001, 0x4001 };
	uint32_t chain[4];
	struct refine_sample s = { .pid = 7,
				   .time = 5,
				   .have_regs = 1,
				   .bp = SP + 8 * 4,
				   .sp = SP,
				   .stack = (const unsigned char *)words,
				   .stack_size = sizeof(words) };
	const struct refine_stats *st;

	(void)state;
	memset(words, 0, sizeof(words));
	words[3] = 0xaaa;
	words[4] = SP + 8 * 12;
	words[5] = 0x2001;
	words[11] = 0xbbb;
	words[12] = SP + 8 * 20;
	words[13] = 0x3001;
	words[20] = SP + 8 * 40; /* leaves the slice */
	words[21] = 0x4001;

	assert_int_equal(classify(h, "interp", &c, &who), 1);
	assert_false(refiner__wants(r, 5));
	refiner__note(r, 5, who, &fi, 42);
	assert_true(refiner__wants(r, 5));

	for (int round = 0; round < 2; round++) {
		chain[0] = 5, chain[1] = 5, chain[2] = 5, chain[3] = 9;
		refiner__sample(r, &s, ips, chain, 4);
		assert_int_equal(chain[0], 1000);
		assert_int_equal(chain[1], 1001);
		assert_int_equal(chain[2], 5); /* its slot holds nothing */
		assert_int_equal(chain[3], 9); /* not a frame that needs context */
	}
	assert_int_equal(m.n, 2); /* the second sample came from the cache */
	assert_string_equal(m.names[0], "fn_aaa#1");
	assert_string_equal(m.names[1], "fn_bbb#2");
	st = refiner__stats(r);
	assert_int_equal(st->frames, 6);
	assert_int_equal(st->refined, 4);
	assert_int_equal(st->leaf_frames, 2);
	assert_int_equal(st->leaf_refined, 2);
	assert_int_equal(st->refine_calls, 2);

	/* Another process: its own keys. A return address the chain does not
	 * hold: no frame pointer. No registers: nothing happens. */
	s.pid = 8;
	ips[1] = 0x9999;
	chain[0] = 5, chain[1] = 5;
	refiner__sample(r, &s, ips, chain, 2);
	assert_int_equal(chain[0], 1002);
	assert_int_equal(chain[1], 5);
	assert_int_equal(refiner__stats(r)->no_fp, 1);
	s.have_regs = 0;
	chain[0] = 5;
	refiner__sample(r, &s, ips, chain, 1);
	assert_int_equal(chain[0], 5);
	/* A stack shorter than the slot's offset. */
	s.have_regs = 1;
	s.stack_size = 16;
	chain[0] = 5;
	refiner__sample(r, &s, ips, chain, 1);
	assert_int_equal(chain[0], 5);

	refiner__delete(r);
	refiner__delete(NULL);
	plugin_host__delete(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_and_descriptors),
		cmocka_unit_test(test_refine_calls),
		cmocka_unit_test(test_refiner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

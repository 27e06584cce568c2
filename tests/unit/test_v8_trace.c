/* Unit tests for plugins/v8/v8_trace.c: every template of FORMATS.md §1.4
 * on real lines, the counts over the real Node 20 --trace-* captures, the
 * verbose ";;; deoptimize at" lines, the Crankshaft-era traces of irhydra,
 * program output in between, and malformed lines. Expected counts were
 * computed with grep over the same files (commands next to them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v8_trace.h"
#include "fixture.h"

/* Copies of the events (their strings live during the callback only). */
struct ev {
	enum v8_trace_kind kind;
	char function[64], target[32], reason[128], deopt_kind[32], position[128], inlined_at[128],
		mode[64], verb[64];
	int has_position, osr, opt_id, bytecode_offset, deopt_exit;
	uint64_t function_addr, sfi, pc, code_addr;
	unsigned line_no;
};

struct got {
	struct ev *v;
	size_t n, cap;
	size_t by_kind[V8_TRACE_OSR + 1], osr_flag, done_verb_compiling;
	int stop_after;
};

static void copy(char *dst, size_t size, const char *s, size_t n)
{
	assert_true(s != NULL || n == 0);
	snprintf(dst, size, "%.*s", (int)n, s ? s : "");
}

static int on_event(void *ctx, const struct v8_trace_event *e)
{
	struct got *g = ctx;
	struct ev *r;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		assert_non_null(g->v);
	}
	r = &g->v[g->n++];
	memset(r, 0, sizeof(*r));
	r->kind = e->kind;
	copy(r->function, sizeof(r->function), e->function, e->function_len);
	copy(r->target, sizeof(r->target), e->target, e->target_len);
	copy(r->reason, sizeof(r->reason), e->reason, e->reason_len);
	copy(r->deopt_kind, sizeof(r->deopt_kind), e->deopt_kind, e->deopt_kind_len);
	copy(r->position, sizeof(r->position), e->position, e->position_len);
	copy(r->inlined_at, sizeof(r->inlined_at), e->inlined_at, e->inlined_at_len);
	copy(r->mode, sizeof(r->mode), e->mode, e->mode_len);
	copy(r->verb, sizeof(r->verb), e->verb, e->verb_len);
	r->has_position = e->position != NULL;
	r->osr = e->osr;
	r->opt_id = e->opt_id;
	r->bytecode_offset = e->bytecode_offset;
	r->deopt_exit = e->deopt_exit;
	r->function_addr = e->function_addr;
	r->sfi = e->sfi;
	r->pc = e->pc;
	r->code_addr = e->code_addr;
	r->line_no = e->line_no;
	assert_true(e->kind >= V8_TRACE_MARK && e->kind <= V8_TRACE_OSR);
	g->by_kind[e->kind]++;
	g->osr_flag += e->osr;
	g->done_verb_compiling += e->kind == V8_TRACE_COMPILE_DONE && !strcmp(r->verb, "compiling");
	return g->stop_after && (int)g->n == g->stop_after ? 9 : 0;
}

static int parse_text(const char *text, size_t len, struct got *g, struct v8_trace_stats *st)
{
	memset(g, 0, sizeof(*g));
	return v8_trace__parse(text, len, on_event, g, st);
}

static int parse_fixture(const char *name, struct got *g, struct v8_trace_stats *st)
{
	size_t len;
	char *buf = fixture_read(name, &len);
	int ret;

	assert_non_null(buf);
	ret = parse_text(buf, len, g, st);
	free(buf);
	return ret;
}

#define W "/home/dev/tierprof-lab/app/workloads/workload.js"

/* One real line of each Node 20 template (FORMATS §1.4 and the captures),
 * the V8 <= 9 spellings, and a Crankshaft one. */
static void test_templates(void **state)
{
	static const char text[] =
		/* 1 */
		"[marking 0x3707446e04d1 <JSFunction runHot (sfi = 0x14f68eb63171)> for "
		"optimization to TURBOFAN, ConcurrencyMode::kConcurrent, reason: small function]\n"
		/* 2 */ "[compiling method 0x303a67ca04f9 <JSFunction runHot (sfi = "
		"0x1cb72ab63271)> "
		"(target TURBOFAN) OSR, mode: ConcurrencyMode::kConcurrent]\n"
		/* 3 */ "[completed compiling 0x303a67ca0479 <JSFunction hotAdd (sfi = "
		"0x1cb72ab631d1)> (target TURBOFAN) - took 0.002, 0.587, 0.006 ms]\n"
		/* 4 */ "[completed optimizing 0x13a5c25c2a11 <JSFunction runHot (sfi = "
		"0x14f68eb63171)> (target TURBOFAN) OSR]\n"
		/* 5 */ "[aborted optimizing 0x32b058e42a41 <JSFunction runPoly (sfi = "
		"0x1cb72ab632c1)> "
		"(target TURBOFAN) OSR because: Bailed out due to dependency change - took 0.008, "
		"2.439, 0.007 ms]\n"
		/* 6 */ "[bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing "
		"0x3d9d54ec1971 <JSFunction polySum (sfi = 0x3fc71d23221)>, 0x03fc71d26849 <Code "
		"TURBOFAN>, opt id 3, bytecode offset 0, deopt exit 1, FP to SP delta 32, caller "
		"SP "
		"0x7fff3e7c67f8, pc 0x7fc5a37c76f8]\n"
		/* 7 */ "[marking dependent code 0x03fc71d26da1 <Code TURBOFAN> (0x03fc71d232c1 "
		"<SharedFunctionInfo runPoly>) (opt id 2) for deoptimization, reason: code "
		"dependencies]\n"
		/* 8: FORMATS §1.4, an anonymous top-level frame (not in the captures). */
		"[bailout (kind: deopt-lazy, reason: (unknown)): begin. deoptimizing 0x2a "
		"<JSFunction "
		"(sfi = 0x2b)>, 0x2c <Code TURBOFAN>, opt id 9, bytecode offset -1, deopt exit 4, "
		"FP "
		"to SP delta 104, caller SP 0x7ffd00000000, pc 0x7f0000000001]\n"
		/* 9: the template string of the node binary, filled in. */
		"[evicting optimized code marked for deoptimization (code dependencies) for "
		"<SharedFunctionInfo runPoly>]\n"
		/* 10 */ "[OSR - compilation started. function: runPoly, osr offset: 28, mode: "
		"ConcurrencyMode::kConcurrent]\n"
		/* 11 */ "[OSR - entry. function: runHot, osr offset: 28]\n"
		/* 12 */ "[OSR - setting osr urgency. function: runHot, old urgency: 0, new "
		"urgency: 1]\n"
		/* 13 */ "[OSR - unavailable (failed or in progress). function: runPoly, osr "
		"offset: "
		"28, mode: ConcurrencyMode::kConcurrent]\n"
		/* 14: V8 <= 9 spellings. */
		"[marking 0x1f <JSFunction f (sfi = 0x2f)> for optimized recompilation, reason: "
		"small "
		"function, ICs with typeinfo: 1/1 (100%), generic ICs: 0/1 (0%)]\n"
		/* 15 */ "[compiling method 0x1f <JSFunction f (sfi = 0x2f)> using TurboFan OSR]\n"
		/* 16 */ "[completed optimizing 0x1f <JSFunction get foo (sfi = 0x2f)>]\n"
		/* 17 */ "[marking dependent code 0x3f (opt #3) for deoptimization, reason: "
		"prototype-check]\n"
		/* 18: V8 7-8 deopt, reason on the verbose line. */
		"[deoptimizing (DEOPT soft): begin 0x2d0d3c4e1d11 <JSFunction addAny (sfi = "
		"0x3973f3e56e18)> (opt #2) @11, FP to SP delta: 96, caller sp: 0x7ffe2fc0e0a8]\n"
		/* 19 */ "            ;;; deoptimize at </tmp/adders.js:93:27> inlined at "
		"</tmp/adders.js:137:21>, Insufficient type feedback for generic named access\n"
		/* 20: Crankshaft (irhydra). */
		"[deoptimizing (DEOPT eager): begin 0x39018d91 Vec2.len (opt #6) @2, FP to SP "
		"delta: "
		"12]\n";
	struct v8_trace_stats st;
	struct got g;
	const struct ev *e;

	(void)state;
	assert_int_equal(parse_text(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(st.lines, 20);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.events, 19);
	assert_int_equal(g.n, 19);

	e = &g.v[0];
	assert_int_equal(e->kind, V8_TRACE_MARK);
	assert_string_equal(e->function, "runHot");
	assert_int_equal(e->function_addr, 0x3707446e04d1);
	assert_int_equal(e->sfi, 0x14f68eb63171);
	assert_string_equal(e->target, "TURBOFAN");
	assert_string_equal(e->mode, "ConcurrencyMode::kConcurrent");
	assert_string_equal(e->reason, "small function");
	assert_int_equal(e->osr, 0);
	assert_int_equal(e->opt_id, -1);
	assert_int_equal(e->line_no, 1);

	e = &g.v[1];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_START);
	assert_string_equal(e->target, "TURBOFAN");
	assert_int_equal(e->osr, 1);
	assert_string_equal(e->mode, "ConcurrencyMode::kConcurrent");

	e = &g.v[2];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_DONE);
	assert_string_equal(e->function, "hotAdd");
	assert_string_equal(e->verb, "compiling");
	assert_int_equal(e->osr, 0);

	e = &g.v[3];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_DONE);
	assert_string_equal(e->verb, "optimizing");
	assert_int_equal(e->osr, 1);
	assert_int_equal(e->sfi, 0x14f68eb63171);

	e = &g.v[4];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_ABORT);
	assert_string_equal(e->function, "runPoly");
	assert_int_equal(e->osr, 1);
	assert_string_equal(e->reason, "Bailed out due to dependency change");

	e = &g.v[5];
	assert_int_equal(e->kind, V8_TRACE_BAILOUT);
	assert_string_equal(e->deopt_kind, "deopt-eager");
	assert_string_equal(e->reason, "wrong map");
	assert_string_equal(e->function, "polySum");
	assert_int_equal(e->function_addr, 0x3d9d54ec1971);
	assert_int_equal(e->sfi, 0x3fc71d23221);
	assert_int_equal(e->code_addr, 0x03fc71d26849);
	assert_string_equal(e->target, "TURBOFAN");
	assert_int_equal(e->opt_id, 3);
	assert_int_equal(e->bytecode_offset, 0);
	assert_int_equal(e->deopt_exit, 1);
	assert_int_equal(e->pc, 0x7fc5a37c76f8);
	assert_int_equal(e->has_position, 0);
	assert_int_equal(e->line_no, 6);

	e = &g.v[6];
	assert_int_equal(e->kind, V8_TRACE_DEPENDENCY);
	assert_int_equal(e->code_addr, 0x03fc71d26da1);
	assert_string_equal(e->target, "TURBOFAN");
	assert_int_equal(e->sfi, 0x03fc71d232c1);
	assert_string_equal(e->function, "runPoly");
	assert_int_equal(e->opt_id, 2);
	assert_string_equal(e->reason, "code dependencies");

	e = &g.v[7];
	assert_int_equal(e->kind, V8_TRACE_BAILOUT);
	assert_string_equal(e->deopt_kind, "deopt-lazy");
	assert_string_equal(e->reason, "(unknown)");
	assert_string_equal(e->function, "");
	assert_int_equal(e->sfi, 0x2b);
	assert_int_equal(e->bytecode_offset, -1);
	assert_int_equal(e->deopt_exit, 4);

	e = &g.v[8];
	assert_int_equal(e->kind, V8_TRACE_EVICT);
	assert_string_equal(e->reason, "code dependencies");
	assert_string_equal(e->function, "runPoly");

	e = &g.v[9];
	assert_int_equal(e->kind, V8_TRACE_OSR);
	assert_string_equal(e->verb, "compilation started");
	assert_string_equal(e->function, "runPoly");
	assert_int_equal(e->bytecode_offset, 28);
	assert_string_equal(e->mode, "ConcurrencyMode::kConcurrent");
	assert_int_equal(e->osr, 1);
	assert_string_equal(g.v[10].verb, "entry");
	assert_string_equal(g.v[10].function, "runHot");
	assert_string_equal(g.v[11].verb, "setting osr urgency");
	assert_int_equal(g.v[11].bytecode_offset, -1);
	assert_string_equal(g.v[12].verb, "unavailable (failed or in progress)");

	e = &g.v[13];
	assert_int_equal(e->kind, V8_TRACE_MARK);
	assert_string_equal(e->target, "");
	assert_true(!strncmp(e->reason, "small function, ICs with typeinfo", 33));
	e = &g.v[14];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_START);
	assert_string_equal(e->target, "TurboFan");
	assert_int_equal(e->osr, 1);
	e = &g.v[15];
	assert_int_equal(e->kind, V8_TRACE_COMPILE_DONE);
	assert_string_equal(e->function, "get foo");
	e = &g.v[16];
	assert_int_equal(e->kind, V8_TRACE_DEPENDENCY);
	assert_int_equal(e->code_addr, 0x3f);
	assert_int_equal(e->opt_id, 3);
	assert_string_equal(e->function, "");
	assert_string_equal(e->reason, "prototype-check");

	e = &g.v[17];
	assert_int_equal(e->kind, V8_TRACE_BAILOUT);
	assert_string_equal(e->deopt_kind, "soft");
	assert_string_equal(e->function, "addAny");
	assert_int_equal(e->sfi, 0x3973f3e56e18);
	assert_int_equal(e->opt_id, 2);
	assert_int_equal(e->deopt_exit, 11);
	assert_string_equal(e->position, "/tmp/adders.js:93:27");
	assert_string_equal(e->inlined_at, "/tmp/adders.js:137:21");
	assert_string_equal(e->reason, "Insufficient type feedback for generic named access");
	assert_int_equal(e->line_no, 18);

	e = &g.v[18];
	assert_int_equal(e->kind, V8_TRACE_BAILOUT);
	assert_string_equal(e->deopt_kind, "eager");
	assert_string_equal(e->function, "Vec2.len");
	assert_int_equal(e->function_addr, 0x39018d91);
	assert_int_equal(e->opt_id, 6);
	assert_int_equal(e->deopt_exit, 2);
	assert_int_equal(e->has_position, 0);
	free(g.v);
}

/* Counts over the real captures, against grep over the same files:
 *   marks  = grep -c '^\[marking 0x'        start = grep -c '^\[compiling method '
 *   done   = grep -c '^\[completed compiling ' (+ the same for optimizing)
 *   aborts = grep -c '^\[aborted optimizing '  bails = grep -c '^\[bailout (kind: '
 *   deps   = grep -c '^\[marking dependent code '  osr = grep -c '^\[OSR - '
 *   OSR flag: grep -c '^\[compiling method .* OSR, mode' + '^\[completed compiling .* OSR
 *   - took' + '^\[completed optimizing .* OSR\]$' + '^\[aborted optimizing .* OSR because'
 * The one other line of each is the workload's own output ("acc ... s number"). */
static void test_counts(void **state)
{
	struct v8_trace_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_fixture("v8/node20-trace-opt-deopt.log.gz", &g, &st), 0);
	assert_int_equal(st.lines, 986);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.truncated, 0);
	assert_int_equal(g.by_kind[V8_TRACE_MARK], 135);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_START], 326);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_DONE], 102 + 102);
	assert_int_equal(g.done_verb_compiling, 102);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_ABORT], 224);
	assert_int_equal(g.by_kind[V8_TRACE_BAILOUT], 5);
	assert_int_equal(g.by_kind[V8_TRACE_DEPENDENCY], 91);
	assert_int_equal(g.by_kind[V8_TRACE_OSR], 0);
	assert_int_equal(st.events, 985);
	assert_int_equal(g.osr_flag, 191 + 5 + 5 + 186);
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.v[i].target, "TURBOFAN");
		if (g.v[i].kind == V8_TRACE_DEPENDENCY) {
			assert_string_equal(g.v[i].function, "runPoly");
			assert_string_equal(g.v[i].reason, "code dependencies");
		}
		if (g.v[i].kind == V8_TRACE_BAILOUT) {
			assert_string_equal(g.v[i].reason, "wrong map");
			assert_int_equal(g.v[i].has_position, 0);
		}
		if (i)
			assert_true(g.v[i].line_no > g.v[i - 1].line_no);
	}
	/* grep -o 'opt id [0-9]*)' | sort -n: the last dependency is opt id 325. */
	free(g.v);

	assert_int_equal(parse_fixture("v8/node20-trace-opt.log.gz", &g, &st), 0);
	assert_int_equal(st.lines, 1007);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.by_kind[V8_TRACE_MARK], 136);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_START], 344);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_DONE], 182 + 182);
	assert_int_equal(g.by_kind[V8_TRACE_COMPILE_ABORT], 162);
	assert_int_equal(g.by_kind[V8_TRACE_BAILOUT] + g.by_kind[V8_TRACE_DEPENDENCY], 0);
	assert_int_equal(g.osr_flag, 208 + 80 + 80 + 128);
	free(g.v);

	assert_int_equal(parse_fixture("v8/node20-trace-deopt.log", &g, &st), 0);
	assert_int_equal(st.lines, 62);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.by_kind[V8_TRACE_BAILOUT], 5);
	assert_int_equal(g.by_kind[V8_TRACE_DEPENDENCY], 56);
	assert_int_equal(st.events, 61);
	free(g.v);

	/* grep -o '^\[OSR - [^.]*\.' | sort | uniq -c */
	assert_int_equal(parse_fixture("v8/node20-trace-osr.log.gz", &g, &st), 0);
	assert_int_equal(st.lines, 507);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.by_kind[V8_TRACE_OSR], 506);
	{
		size_t started = 0, entry = 0, finished = 0, urgency = 0, unavailable = 0;
		size_t run_poly = 0;

		for (size_t i = 0; i < g.n; i++) {
			const char *v = g.v[i].verb;

			started += !strcmp(v, "compilation started");
			entry += !strcmp(v, "entry");
			finished += !strcmp(v, "compilation finished");
			urgency += !strcmp(v, "setting osr urgency");
			unavailable += !strcmp(v, "unavailable (failed or in progress)");
			run_poly += !strcmp(g.v[i].function, "runPoly");
			if (!strcmp(v, "entry"))
				assert_int_not_equal(g.v[i].bytecode_offset, -1);
		}
		assert_int_equal(started, 161);
		assert_int_equal(entry, 12);
		assert_int_equal(finished, 11);
		assert_int_equal(urgency, 161);
		assert_int_equal(unavailable, 161);
		assert_int_equal(run_poly, 500); /* grep -c runPoly */
	}
	free(g.v);

	/* --prof --log-deopt leaks the bailout lines to stdout (FORMATS §1.5). */
	assert_int_equal(parse_fixture("v8/node20-prof-log-deopt.stdout.txt", &g, &st), 0);
	assert_int_equal(st.lines, 6);
	assert_int_equal(g.by_kind[V8_TRACE_BAILOUT], 5);
	assert_int_equal(st.bad_lines, 0);
	free(g.v);
}

/* --trace-deopt-verbose: each bailout gets the position of the
 * ";;; deoptimize at" line after it (grep -o 'deoptimize at <[^>]*>'), and
 * is reported before the next trace line, so the order of the file stays. */
static void test_verbose(void **state)
{
	static const struct {
		const char *function;
		int opt_id, line;
	} want[] = {
		{ "polySum", 3, 11 }, { "getX", 4, 9 },	     { "polySum", 7, 11 }, { "getX", 8, 9 },
		{ "getX", 13, 9 },    { "polySum", 15, 11 }, { "getX", 16, 9 },
	};
	struct v8_trace_stats st;
	struct got g;
	size_t b = 0;
	char pos[128];

	(void)state;
	assert_int_equal(parse_fixture("v8/node20-trace-deopt-verbose.log", &g, &st), 0);
	assert_int_equal(st.lines, 191);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.by_kind[V8_TRACE_BAILOUT], 7);
	assert_int_equal(g.by_kind[V8_TRACE_DEPENDENCY], 38);
	assert_int_equal(st.events, 45);
	for (size_t i = 0; i < g.n; i++) {
		if (i)
			assert_true(g.v[i].line_no > g.v[i - 1].line_no);
		if (g.v[i].kind != V8_TRACE_BAILOUT)
			continue;
		assert_true(b < 7);
		assert_string_equal(g.v[i].function, want[b].function);
		assert_int_equal(g.v[i].opt_id, want[b].opt_id);
		snprintf(pos, sizeof(pos), W ":%d:32", want[b].line);
		assert_int_equal(g.v[i].has_position, 1);
		assert_string_equal(g.v[i].position, pos);
		assert_string_equal(g.v[i].inlined_at, "");
		assert_string_equal(g.v[i].reason, "wrong map");
		b++;
	}
	assert_int_equal(g.v[0].line_no, 1);
	free(g.v);
}

/* Crankshaft-era --trace-deopt --print-opt-code output of irhydra: the
 * begin lines (grep -n '^\[deoptimizing (DEOPT') among disassembly, frame
 * dumps, "[deoptimizing (K): end" and "[deoptimizer unlinked" lines. */
static void test_irhydra(void **state)
{
	static const struct {
		const char *function;
		uint64_t addr;
		int opt_id, exit;
		unsigned line;
	} eager[] = {
		{ "loop", 0x39018cd9, 5, 5, 719 },     { "len", 0x39018ca5, 4, 2, 732 },
		{ "Vec2.len", 0x39018d91, 6, 2, 929 }, { "Vec2.len2", 0x39018d6d, 7, 2, 1109 },
		{ "x", 0x5a014e3d, 8, 2, 1241 },       { "y", 0x5a014e61, 3, 2, 1250 },
	};
	struct v8_trace_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_fixture("v8/irhydra-deopt-eager.code.asm.gz", &g, &st), 0);
	assert_int_equal(st.lines, 2369);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(g.v[i].kind, V8_TRACE_BAILOUT);
		assert_string_equal(g.v[i].deopt_kind, "eager");
		assert_string_equal(g.v[i].function, eager[i].function);
		assert_int_equal(g.v[i].function_addr, eager[i].addr);
		assert_int_equal(g.v[i].opt_id, eager[i].opt_id);
		assert_int_equal(g.v[i].deopt_exit, eager[i].exit);
		assert_int_equal(g.v[i].line_no, eager[i].line);
		assert_int_equal(g.v[i].has_position, 0);
	}
	free(g.v);
	assert_int_equal(parse_fixture("v8/irhydra-deopt-lazy.code.asm.gz", &g, &st), 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[0].deopt_kind, "lazy");
	assert_string_equal(g.v[0].function, "loop1");
	assert_int_equal(g.v[0].line_no, 315);
	assert_string_equal(g.v[1].function, "loop2");
	assert_int_equal(g.v[1].opt_id, 6);
	assert_int_equal(g.v[1].deopt_exit, 5);
	free(g.v);
	assert_int_equal(parse_fixture("v8/irhydra-deopt-soft.code.asm.gz", &g, &st), 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0].deopt_kind, "soft");
	assert_string_equal(g.v[0].function, "loop");
	assert_int_equal(g.v[0].deopt_exit, 8);
	free(g.v);
}

/* Program output around the trace lines; a pending bailout is reported at
 * the first line that is not verbose output, or at the end. */
static void test_mixed(void **state)
{
	static const char text[] =
		"hello from the program\n"
		"[bailout (kind: deopt-eager, reason: not a Smi): begin. deoptimizing 0x1 "
		"<JSFunction "
		"f (sfi = 0x2)>, 0x3 <Code MAGLEV>, opt id 1, bytecode offset 5, deopt exit 0, FP "
		"to "
		"SP delta 16, caller SP 0x4, pc 0x5]\n"
		"program output in between\n"
		"            ;;; deoptimize at <" W ":1:2>\n" /* too late: not the bailout's */
		"[ not a trace line ]\n"
		"\n"
		"[bailout (kind: deopt-lazy, reason: wrong call target): begin. deoptimizing 0x6 "
		"<JSFunction g (sfi = 0x7)>, 0x8 <Code TURBOFAN>, opt id 2, bytecode offset 7, "
		"deopt "
		"exit 3, FP to SP delta 16, caller SP 0x9, pc 0xa]\r\n"
		"  reading input frame g => bytecode_offset=7, args=1, height=0; inputs:\n"
		"      0: 0x3d8a05643589 ;  [fp -  16]  0x3d8a05643589 <JSFunction g (sfi = 0x7)>\n"
		"            ;;; deoptimize at <" W ":3:4> inlined at <" W ":5:6>\r\n"
		"            ;;; deoptimize at <" W ":7:8>\n" /* only the first counts */
		"[marking 0xb <JSFunction h (sfi = 0xc)> for optimization to MAGLEV, "
		"ConcurrencyMode::kSynchronous, reason: hot and stable]"; /* no '\n': cut */
	struct v8_trace_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_text(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(st.lines, 11);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[0].target, "MAGLEV");
	assert_string_equal(g.v[0].reason, "not a Smi");
	assert_int_equal(g.v[0].has_position, 0);
	assert_int_equal(g.v[0].line_no, 2);
	assert_string_equal(g.v[1].deopt_kind, "deopt-lazy");
	assert_string_equal(g.v[1].position, W ":3:4");
	assert_string_equal(g.v[1].inlined_at, W ":5:6");
	assert_int_equal(g.v[1].pc, 0xa);
	free(g.v);
}

struct bad_case {
	const char *line, *why;
};

static void test_malformed(void **state)
{
	static const struct bad_case cases[] = {
		{ "[marking 0x1 <JSFunction f (sfi = 0x2)> for optimization to TURBOFAN",
		  "marking: no closing ]" },
		{ "[marking garbage]", "marking: does not match the template" },
		{ "[marking 0x1 f for optimization]", "marking: does not match the template" },
		{ "[marking 0x1 <JSFunction f (sfi = 0xzz)> for x]",
		  "marking: does not match the template" },
		{ "[marking 0x10000000000000000 <JSFunction f (sfi = 0x2)> for x]",
		  "marking: does not match the template" },
		{ "[compiling method 0x1 <JSFunction f (sfi = 0x2)> (target TURBOFAN]",
		  "compiling method: does not match the template" },
		{ "[completed compiling 0x1 <JSFunction f (sfi = 0x2)> (target T) junk]",
		  "completed compiling: does not match the template" },
		{ "[aborted optimizing 0x1 <JSFunction f (sfi = 0x2)> (target T)]",
		  "aborted optimizing: does not match the template" },
		{ "[bailout (kind: deopt-eager): begin. deoptimizing 0x1 <JSFunction f (sfi = "
		  "0x2)>]",
		  "bailout: does not match the template" },
		{ "[bailout (kind: k, reason: r): begin. deoptimizing 0x1 <JSFunction f (sfi = "
		  "0x2)>, "
		  "opt id x]",
		  "bailout: does not match the template" },
		{ "[bailout (kind: k, reason: r): begin. deoptimizing 0x1 <JSFunction f (sfi = "
		  "0x2)>, "
		  "opt id 99999999999]",
		  "bailout: does not match the template" },
		/* Found by the fuzzer: opt ids are never negative (-1 means absent). */
		{ "[bailout (kind: k, reason: r): begin. deoptimizing 0x1 <JSFunction f (sfi = "
		  "0x2)>, "
		  "opt id -7]",
		  "bailout: does not match the template" },
		{ "[deoptimizing (DEOPT eager): begin 0x1 loop @5]",
		  "deoptimizing: does not match the template" },
		{ "[marking dependent code zz for deoptimization]",
		  "marking dependent code: does not match the template" },
		{ "[evicting optimized code marked for deoptimization code for f]",
		  "evicting: does not match the template" },
		{ "[OSR - entry. function: f, osr offset: x]", "OSR: does not match the template" },
	};
	char text[512];
	struct v8_trace_stats st;
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(text, sizeof(text),
				 "program output\n%s\n[OSR - entry. function: "
				 "f, osr offset: 1]\n",
				 cases[i].line);

		assert_int_equal(parse_text(text, (size_t)n, &g, &st), 0);
		if (st.bad_lines != 1 || strcmp(st.first_bad_why, cases[i].why))
			fail_msg("%s: %zu bad, \"%s\", want \"%s\"", cases[i].line, st.bad_lines,
				 st.first_bad_why, cases[i].why);
		assert_int_equal(st.first_bad_line, 2);
		assert_int_equal(g.n, 1); /* the good line after it */
		free(g.v);
	}
}

static void test_stop_and_edges(void **state)
{
	static const char text[] = "[OSR - entry. function: a, osr offset: 1]\n"
				   "[bailout (kind: k, reason: r): begin. deoptimizing 0x1 "
				   "<JSFunction f (sfi = 0x2)>]\n"
				   "[OSR - entry. function: c, osr offset: 3]\n";
	static const char last[] = "[bailout (kind: k, reason: r): begin. deoptimizing 0x1 "
				   "<JSFunction f (sfi = 0x2)>]\n";
	struct v8_trace_stats st;
	struct got g;

	(void)state;
	/* The pending bailout's report is the one that stops. */
	memset(&g, 0, sizeof(g));
	g.stop_after = 2;
	assert_int_equal(v8_trace__parse(text, sizeof(text) - 1, on_event, &g, &st), 9);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.v[1].kind, V8_TRACE_BAILOUT);
	free(g.v);
	/* At the end of the buffer. */
	memset(&g, 0, sizeof(g));
	g.stop_after = 1;
	assert_int_equal(v8_trace__parse(last, sizeof(last) - 1, on_event, &g, &st), 9);
	assert_int_equal(g.n, 1);
	free(g.v);
	assert_int_equal(v8_trace__parse("", 0, NULL, NULL, NULL), 0);
	assert_int_equal(v8_trace__parse(text, sizeof(text) - 1, NULL, NULL, &st), 0);
	assert_int_equal(st.events, 3);
	assert_int_equal(v8_trace__parse("\0\xff\n]\n[\n", 8, NULL, NULL, &st), 0);
	assert_int_equal(st.events + st.bad_lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates),      cmocka_unit_test(test_counts),
		cmocka_unit_test(test_verbose),	       cmocka_unit_test(test_irhydra),
		cmocka_unit_test(test_mixed),	       cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_stop_and_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

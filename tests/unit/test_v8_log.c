/* Unit tests for plugins/v8/v8_log.c: the Node 20 --prof logs (FORMATS.md
 * §1.5), the Node 8.5 log of speedscope (quoted names), the Node 12 logs of
 * v8-deopt-viewer with the counts and entries its parser test asserts, and
 * synthetic text for escapes, truncation, malformed lines and non-logs.
 * Expected figures were computed independently (grep/awk/python over the
 * same files); the command or source is quoted next to each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v8_log.h"
#include "v8_name.h"
#include "fixture.h"

/* Copies of what the callbacks saw (their strings die with the call). */
struct rec {
	char type[32], name[512], bailout[32], position[256], inlined_at[256], reason[128];
	int is_deopt, kind, inlining_id;
	char marker;
	uint64_t time_us, start, size, sfi;
	long script_offset;
	unsigned line_no;
};

struct got {
	struct rec *v;
	size_t n, cap;
	size_t moves, deletes, marker[5];
	uint64_t last_move_from, last_move_to, last_delete;
	int stop_after; /* return 42 from the n-th callback */
};

static void copy(char *dst, size_t size, const char *s, size_t n)
{
	snprintf(dst, size, "%.*s", (int)n, s ? s : "");
}

static struct rec *push(struct got *g)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1024;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		assert_non_null(g->v);
	}
	memset(&g->v[g->n], 0, sizeof(g->v[0]));
	return &g->v[g->n++];
}

static int marker_index(char m)
{
	return m == '~' ? 1 : m == '^' ? 2 : m == '+' ? 3 : m == '*' ? 4 : 0;
}

static int on_creation(void *ctx, const struct v8_log_code_creation *c)
{
	struct got *g = ctx;
	struct rec *r = push(g);

	copy(r->type, sizeof(r->type), c->type, c->type_len);
	copy(r->name, sizeof(r->name), c->name, c->name_len);
	r->kind = c->kind;
	r->marker = c->marker;
	r->time_us = c->time_us;
	r->start = c->start;
	r->size = c->size;
	r->sfi = c->sfi;
	r->line_no = c->line_no;
	g->marker[marker_index(c->marker)]++;
	return g->stop_after && (int)g->n == g->stop_after ? 42 : 0;
}

static int on_deopt(void *ctx, const struct v8_log_code_deopt *d)
{
	struct got *g = ctx;
	struct rec *r = push(g);

	r->is_deopt = 1;
	copy(r->bailout, sizeof(r->bailout), d->bailout, d->bailout_len);
	copy(r->position, sizeof(r->position), d->position, d->position_len);
	copy(r->inlined_at, sizeof(r->inlined_at), d->inlined_at, d->inlined_at_len);
	copy(r->reason, sizeof(r->reason), d->reason, d->reason_len);
	assert_true(!d->inlined_at == !d->inlined_at_len);
	r->time_us = d->time_us;
	r->size = d->code_size;
	r->start = d->start;
	r->inlining_id = d->inlining_id;
	r->script_offset = d->script_offset;
	r->line_no = d->line_no;
	return 0;
}

static int on_move(void *ctx, const struct v8_log_code_move *m)
{
	struct got *g = ctx;

	g->moves++;
	g->last_move_from = m->from;
	g->last_move_to = m->to;
	return 0;
}

static int on_delete(void *ctx, const struct v8_log_code_delete *d)
{
	struct got *g = ctx;

	g->deletes++;
	g->last_delete = d->start;
	return 0;
}

static const struct v8_log_callbacks cbs = { on_creation, on_deopt, on_move, on_delete };

static int parse_text(const char *text, size_t len, struct got *g, struct v8_log_stats *st)
{
	memset(g, 0, sizeof(*g));
	return v8_log__parse(text, len, &cbs, g, st);
}

static int parse_fixture(const char *name, struct got *g, struct v8_log_stats *st)
{
	size_t len;
	char *buf = fixture_read(name, &len);
	int ret;

	assert_non_null(buf);
	ret = parse_text(buf, len, g, st);
	free(buf);
	return ret;
}

static size_t count(const struct got *g, const char *type, const char *bailout)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++) {
		if (type && !g->v[i].is_deopt && !strcmp(g->v[i].type, type))
			n++;
		if (bailout && g->v[i].is_deopt && !strcmp(g->v[i].bailout, bailout))
			n++;
	}
	return n;
}

static const struct rec *find_line(const struct got *g, unsigned line_no)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->v[i].line_no == line_no)
			return &g->v[i];
	}
	fail_msg("no record at line %u", line_no);
	return NULL;
}

/* All JS/Eval/RegExp code-creation and code-deopt lines of a Node 20 run
 * (FORMATS §1.5). Figures: cut -d, -f1 | sort | uniq -c; awk -F,
 * '/^code-creation/ {print $NF}' | sort | uniq -c; cut -d, -f7 of code-deopt. */
static void test_node20_js_and_deopt(void **state)
{
	struct v8_log_stats st;
	struct got g;
	const struct rec *r;
	size_t joined = 0, parsed = 0;

	(void)state;
	assert_int_equal(parse_fixture("v8/node20-prof-isolate-js-and-deopt-lines.log.gz", &g, &st),
			 0);
	assert_int_equal(st.lines, 664);
	assert_int_equal(st.code_creations, 476);
	assert_int_equal(st.code_deopts, 188);
	assert_int_equal(st.other_lines, 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.truncated, 0);
	assert_true(st.looks_like_v8_log);
	assert_string_equal(st.v8_version, ""); /* an excerpt: no v8-version line */
	assert_int_equal(g.marker[1], 255);	/* 232 JS:~ + 23 Eval:~ */
	assert_int_equal(g.marker[2], 26);
	assert_int_equal(g.marker[3], 0); /* no Maglev in Node 20.20.2 */
	assert_int_equal(g.marker[4], 194);
	assert_int_equal(g.marker[0], 1); /* the RegExp */
	assert_int_equal(count(&g, "JS", NULL), 452);
	assert_int_equal(count(&g, "Eval", NULL), 23);
	assert_int_equal(count(&g, "RegExp", NULL), 1);
	/* FORMATS: "the loop is 183 dependency-change + 5 deopt-eager lines". */
	assert_int_equal(count(&g, NULL, "dependency-change"), 183);
	assert_int_equal(count(&g, NULL, "deopt-eager"), 5);

	r = find_line(&g, 1);
	assert_string_equal(r->type, "Eval");
	assert_int_equal(r->kind, 10);
	assert_int_equal(r->time_us, 13768);
	assert_int_equal(r->start, 0x28d25d58ac76);
	assert_int_equal(r->size, 5);
	assert_string_equal(r->name, " node:internal/main/run_main_module:1:1");
	assert_int_equal(r->sfi, 0x28d25d58ab30);
	assert_int_equal(r->marker, '~');
	for (size_t i = 0; i < g.n; i++) {
		struct v8_name n;

		r = &g.v[i];
		if (!strcmp(r->type, "RegExp")) {
			/* "(\\d+)-(\\w+)" in the file. */
			assert_string_equal(r->name, "(\\d+)-(\\w+)");
			assert_int_equal(r->kind, 3);
		}
		if (!r->is_deopt) {
			assert_int_equal(v8_name__parse_log(r->type, strlen(r->type), r->marker,
							    r->name, strlen(r->name), &n),
					 0);
			if (n.tier != V8_TIER_NONE && n.line && n.column)
				parsed++;
			continue;
		}
		assert_int_equal(r->inlining_id, -1);
		assert_string_equal(r->inlined_at, "");
		assert_string_equal(r->reason, !strcmp(r->bailout, "deopt-eager")
						       ? "wrong map"
						       : "code dependencies");
		/* Every deopt's code start is a code-creation start seen before. */
		for (size_t j = 0; j < i; j++) {
			if (!g.v[j].is_deopt && g.v[j].start == r->start) {
				joined++;
				break;
			}
		}
	}
	assert_int_equal(parsed, 475);
	assert_int_equal(joined, 188);
	/* The line quoted in FORMATS §1.5. */
	r = find_line(&g, 172);
	assert_true(r->is_deopt);
	assert_int_equal(r->time_us, 67888);
	assert_int_equal(r->size, 320);
	assert_int_equal(r->start, 0x7f96c67c8000);
	assert_int_equal(r->script_offset, 834);
	assert_string_equal(r->bailout, "dependency-change");
	assert_string_equal(r->position, "/home/dev/tierprof-lab/app/workloads/workload.js:13:17");
	free(g.v);
}

/* The head and middle of a full Node 20 --prof --log-deopt log, with the
 * capture's two "### TRUNCATED" marker lines (unknown records). */
static void test_node20_full_log(void **state)
{
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_fixture("v8/node20-prof-log-deopt-isolate.log.gz", &g, &st), 0);
	assert_string_equal(st.v8_version, "11.3.244.8");
	assert_int_equal(st.lines, 2899);
	assert_int_equal(st.code_creations, 2211);
	assert_int_equal(st.code_deopts, 26);
	assert_int_equal(st.other_lines, 662); /* 597 tick, 28 code-source-info, 17 new, ... */
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(count(&g, "Builtin", NULL), 1699);
	assert_int_equal(count(&g, "BytecodeHandler", NULL), 483);
	assert_int_equal(count(&g, "JS", NULL), 28);
	assert_int_equal(count(&g, "Eval", NULL), 1);
	assert_int_equal(g.marker[0], 2182);
	assert_int_equal(g.marker[1], 3);
	assert_int_equal(g.marker[4], 26);
	assert_int_equal(count(&g, NULL, "dependency-change"), 26);
	free(g.v);

	/* The side effect of --perf-prof: only heap records. */
	assert_int_equal(parse_fixture("v8/node20-perf-prof-side-effect-isolate.log", &g, &st), 0);
	assert_true(st.looks_like_v8_log);
	assert_string_equal(st.v8_version, "11.3.244.8");
	assert_int_equal(st.lines, 77);
	assert_int_equal(st.other_lines, 77);
	assert_int_equal(st.code_creations + st.code_deopts + st.bad_lines, 0);
	free(g.v);
}

/* Node 8.5 (V8 6.0): quoted string fields, empty marker field. Figures:
 * python csv over the file (2397 code-creation: 560 '~', 4 '*', 442 empty
 * marker, 1391 without one). */
static void test_node8_quoted(void **state)
{
	struct v8_log_stats st;
	struct got g;
	const struct rec *r;
	struct v8_name n;
	size_t natives = 0;

	(void)state;
	assert_int_equal(
		parse_fixture("v8/speedscope-node8.5-isolate-0x102802600-v8.log.gz", &g, &st), 0);
	assert_string_equal(st.v8_version, "6.0.287.53");
	assert_int_equal(st.lines, 2540);
	assert_int_equal(st.code_creations, 2397);
	assert_int_equal(st.other_lines,
			 143); /* 93 tick, 47 shared-library, 2 profiler, v8-version */
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.marker[1], 560);
	assert_int_equal(g.marker[4], 4);
	assert_int_equal(g.marker[0], 1833);
	assert_int_equal(count(&g, "LazyCompile", NULL), 651);
	assert_int_equal(count(&g, "Function", NULL), 305);
	assert_int_equal(count(&g, "Script", NULL), 50);

	/* code-creation,LazyCompile,5,14007,0x3a8437e04300,166," :1:1",0x4555f887960, */
	r = find_line(&g, 1436);
	assert_string_equal(r->type, "LazyCompile");
	assert_int_equal(r->kind, 5);
	assert_int_equal(r->start, 0x3a8437e04300);
	assert_string_equal(r->name, " :1:1");
	assert_int_equal(r->sfi, 0x4555f887960);
	assert_int_equal(r->marker, 0);
	for (size_t i = 0; i < g.n; i++) {
		r = &g.v[i];
		assert_null(strchr(r->name, '"'));
		assert_int_equal(v8_name__parse_log(r->type, strlen(r->type), r->marker, r->name,
						    strlen(r->name), &n),
				 0);
		if (n.script_len > 7 && !memcmp(n.script, "native ", 7))
			natives++;
		if (!strcmp(r->name, "set native collection.js:247:16")) {
			assert_int_equal(n.func_len, 3);
			assert_int_equal(n.line, 247);
		}
	}
	/* grep -c '"[^"]* native [^"]*\.js:' (names of V8's own natives) */
	assert_int_equal(natives, 48);
	/* "d /Users/.../simple.js:20:11", optimized. */
	r = find_line(&g, 2506);
	assert_int_equal(r->marker, '*');
	assert_string_equal(
		r->name,
		"d /Users/jlfwong/code/speedscope/sample/programs/javascript/simple.js:20:11");
	free(g.v);
}

static void test_escapes(void **state)
{
	static const char text[] =
		"code-creation,JS,10,1,0x10,2,f\\x2Cg /a\\x2Cb.js:1:2,0x20,~\n"
		"code-creation,RegExp,3,2,0x30,4,\\\\d\\n\\x41\\xe9\\u20ac\\ud83d\\ude00\\ud800x\n"
		"code-creation,RegExp,3,3,0x40,4,\\q\\x4\\u12\\\n"
		"code-deopt,5,6,0x10,2,7,deopt-eager,</a\\x2Cb.js:1:2> inlined at </c.js:3:4> "
		"inlined at </d.js:5:6>,Insufficient type feedback for call\\x2C twice\n"
		"code-creation,Builtin,2,4,0x50,6,\"quoted\"\n";
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_text(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.v[0].name, "f,g /a,b.js:1:2");
	/* \xe9 is the code unit U+00E9, \u20ac the euro sign, a pair one code
	 * point, a lone surrogate U+FFFD: all as UTF-8. */
	assert_string_equal(g.v[1].name, "\\d\nA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbdx");
	/* Escapes V8 never writes are kept as they are. */
	assert_string_equal(g.v[2].name, "\\q\\x4\\u12\\");
	assert_string_equal(g.v[3].position, "/a,b.js:1:2");
	assert_string_equal(g.v[3].inlined_at, "/c.js:3:4");
	assert_int_equal(g.v[3].inlining_id, 2);
	assert_string_equal(g.v[3].reason, "Insufficient type feedback for call, twice");
	/* No v8-version: quotes are CSV quotes (V8 < 7). */
	assert_string_equal(g.v[4].name, "quoted");
	free(g.v);
}

static void test_quotes_by_version(void **state)
{
	static const char old[] = "v8-version,6,0,287,53,0\n"
				  "code-creation,LazyCompile,5,1,0x10,2,\"a, b \"\"c\"\" \\\"d\\\" "
				  "/x.js:1:1\",0x20,~\n"
				  "code-creation,Stub,3,2,0x30,4,\"unterminated field\n"
				  "code-creation,Stub,3,3,0x40,4,\"\",0x50,\n";
	static const char modern[] = "v8-version,11,3,244,8,-node.38,0\n"
				     "code-creation,RegExp,3,1,0x10,2,\"x\"\n";
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_text(old, sizeof(old) - 1, &g, &st), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.v[0].name, "a, b \"c\" \"d\" /x.js:1:1");
	assert_int_equal(g.v[0].sfi, 0x20);
	assert_int_equal(g.v[0].marker, '~');
	/* No closing quote: an ordinary field. */
	assert_string_equal(g.v[1].name, "\"unterminated field");
	assert_string_equal(g.v[2].name, "");
	assert_int_equal(g.v[2].sfi, 0x50);
	assert_int_equal(g.v[2].marker, 0);
	free(g.v);
	/* From V8 7 on a quote is data: a regexp /"x"/ keeps its quotes. */
	assert_int_equal(parse_text(modern, sizeof(modern) - 1, &g, &st), 0);
	assert_string_equal(g.v[0].name, "\"x\"");
	free(g.v);
}

static void test_layouts_and_records(void **state)
{
	static const char text[] =
		"code-creation,Stub,0x1000,32,\"old stub\"\n" /* type,start,size,name */
		"code-creation,LazyCompile,0,0x2000,64,f /x.js:1:1,0x3000,*\n" /* no time */
		"code-move,0x2000,0x4000\n"
		"code-delete,0x4000\n"
		"sfi-move,0x1,0x2\n"
		"tick,0x1266ba8,2600,0,0x0,6\n"
		"\n"
		"code-creation,Builtin,2,5,0x5000,10,RecordWrite\r\n"; /* CRLF */
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_text(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(st.lines, 8);
	assert_int_equal(st.code_creations, 3);
	assert_int_equal(st.code_moves, 1);
	assert_int_equal(st.code_deletes, 1);
	assert_int_equal(st.other_lines, 2);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.v[0].kind, -1);
	assert_int_equal(g.v[0].time_us, 0);
	assert_int_equal(g.v[0].start, 0x1000);
	assert_int_equal(g.v[0].size, 32);
	assert_string_equal(g.v[0].name, "old stub");
	assert_int_equal(g.v[1].kind, 0);
	assert_int_equal(g.v[1].start, 0x2000);
	assert_int_equal(g.v[1].marker, '*');
	assert_int_equal(g.last_move_from, 0x2000);
	assert_int_equal(g.last_move_to, 0x4000);
	assert_int_equal(g.last_delete, 0x4000);
	assert_string_equal(g.v[2].name, "RecordWrite");
	assert_int_equal(g.v[2].line_no, 8);
	free(g.v);
}

static void test_truncated(void **state)
{
	static const char text[] = "v8-version,11,3,244,8,-node.38,0\n"
				   "code-creation,JS,10,1,0x10,2,f /x.js:1:1,0x20,~\n"
				   "code-creation,JS,10,2,0x30,2,g /x.js:2"; /* killed here */
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_text(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.code_creations, 1);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(g.n, 1);
	free(g.v);
	/* The same with its newline is complete. */
	assert_int_equal(parse_text(text, sizeof(text) - 2, &g, &st), 0);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.code_creations, 1);
	free(g.v);
}

struct bad_case {
	const char *line;
	const char *why;
};

static void test_malformed(void **state)
{
	static const struct bad_case cases[] = {
		{ "code-creation,JS,10,1,0xZZ,2,f,0x1,~",
		  "code-creation: start: not a 0x hex number" },
		{ "code-creation,JS,10,1,0x10000000000000000,2,f",
		  "code-creation: start: hex number overflows 64 bits" },
		{ "code-creation,JS,10,1,10,2,f", "code-creation: start: not a 0x hex number" },
		{ "code-creation,JS,10,1,0x,2,f", "code-creation: start: not a 0x hex number" },
		{ "code-creation,JS,10,1,0x10", "code-creation: missing fields" },
		{ "code-creation", "code-creation: missing fields" },
		{ "code-creation,JS,x,1,0x10,2,f", "code-creation: kind: not a decimal number" },
		{ "code-creation,JS,-1,1,0x10,2,f", "code-creation: kind: number out of range" },
		{ "code-creation,JS,10,18446744073709551616,0x10,2,f",
		  "code-creation: time: number overflows 64 bits" },
		{ "code-creation,JS,10,1,0x10,-2,f", "code-creation: size: not a decimal number" },
		{ "code-creation,JS,10,1,0x10,2,f,sfi,~",
		  "code-creation: sfi: not a 0x hex number" },
		{ "code-creation,JS,10,1,0x10,2,f,0x1,!",
		  "code-creation: marker: not one of ~ ^ + *" },
		{ "code-creation,JS,10,1,0x10,2,f,0x1,~~",
		  "code-creation: marker: not one of ~ ^ + *" },
		{ "code-creation,,10,1,0x10,2,f", "code-creation: empty type" },
		{ "code-deopt,1,2,0x3,-1,4,deopt-eager,</x.js:1:2>", "code-deopt: missing fields" },
		{ "code-deopt,1,2,0x3,-2,4,deopt-eager,</x.js:1:2>,r",
		  "code-deopt: inlining id: number out of range" },
		{ "code-deopt,1,2,0x3,-1,99999999999999999999,deopt-eager,</x.js:1:2>,r",
		  "code-deopt: script offset: number out of range" },
		{ "code-deopt,1,2,0x3,-1,4,deopt-eager,/x.js:1:2,r",
		  "code-deopt: position: not <file:line:col>" },
		{ "code-deopt,1,2,0x3,-1,4,,</x.js:1:2>,r", "code-deopt: empty bailout kind" },
		{ "code-deopt,1,2,3,-1,4,deopt-eager,</x.js:1:2>,r",
		  "code-deopt: start: not a 0x hex number" },
		{ "code-move,0x1", "code-move: missing fields" },
		{ "code-move,0x1,0xfffffffffffffffff",
		  "code-move: to: hex number overflows 64 bits" },
		{ "code-delete", "code-delete: missing fields" },
		{ "code-delete,zz", "code-delete: start: not a 0x hex number" },
		{ "v8-version,11,3", "v8-version: missing fields" },
		{ "v8-version,11,x,244,8,-node.38,0", "v8-version: not a version number" },
	};
	char text[256];
	struct v8_log_stats st;
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(text, sizeof(text), "v8-version,11,3,244,8,-node.38,0\n%s\n",
				 cases[i].line);

		assert_int_equal(parse_text(text, (size_t)n, &g, &st), 0);
		if (st.bad_lines != 1 || strcmp(st.first_bad_why, cases[i].why))
			fail_msg("%s: %zu bad, \"%s\", want \"%s\"", cases[i].line, st.bad_lines,
				 st.first_bad_why, cases[i].why);
		assert_int_equal(st.first_bad_line, 2);
		assert_int_equal(g.n + g.moves + g.deletes, 0);
		free(g.v);
	}
}

static void test_long_and_nul(void **state)
{
	size_t name_len = 64 << 10, big = V8_LOG_MAX_RECORD + 100, len;
	char *text = malloc(name_len + big + 512), *p;
	struct v8_log_stats st;
	struct got g;

	(void)state;
	assert_non_null(text);
	/* A 64 KiB name parses; a line over V8_LOG_MAX_RECORD is bad. */
	p = text + sprintf(text, "code-creation,JS,10,1,0x10,2,");
	memset(p, 'a', name_len);
	p += name_len;
	p += sprintf(p, ",0x20,~\ncode-creation,JS,10,1,0x10,2,");
	memset(p, 'b', big);
	p += big;
	p += sprintf(p, "\ncode-deopt,1,2,0x3,-1,4,k,<x>,r\xff\n");
	/* A NUL byte: binary data in a known record, after the log is recognised. */
	len = (size_t)(p - text);
	memcpy(p, "code-move,0x1,\0x2\n", 18);
	len += 18;
	assert_int_equal(parse_text(text, len, &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(strlen(g.v[0].name), sizeof(g.v[0].name) - 1); /* our copy's limit */
	assert_int_equal(g.v[1].is_deopt, 1);
	assert_int_equal(st.bad_lines, 2);
	assert_int_equal(st.first_bad_line, 2);
	assert_string_equal(st.first_bad_why, "code-creation: line too long");
	free(g.v);
	free(text);
}

static int count_calls(void *ctx, const struct v8_log_code_creation *c)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}

static void test_not_a_log(void **state)
{
	static const struct v8_log_callbacks count_cb = { .code_creation = count_calls };
	static const char garbage[] = "\x7f"
				      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
	static const char text[] = "hello, world\nthis is not a log\n";
	static const char cut[] = "code-creation,JS,10,1,0x10,2,f";
	char *many;
	size_t n = 0;
	struct v8_log_stats st;
	int calls = 0;

	(void)state;
	assert_int_equal(v8_log__parse(text, sizeof(text) - 1, &count_cb, &calls, &st), -1);
	assert_int_equal(st.looks_like_v8_log, 0);
	assert_int_equal(v8_log__parse(garbage, sizeof(garbage) - 1, &count_cb, &calls, &st), -1);
	assert_int_equal(v8_log__parse("", 0, &count_cb, &calls, &st), 0);
	assert_int_equal(st.looks_like_v8_log, 0);
	assert_int_equal(st.lines, 0);
	assert_int_equal(v8_log__parse("\n\n", 2, &count_cb, &calls, &st), 0);
	assert_int_equal(st.lines, 2);
	assert_int_equal(v8_log__parse(NULL, 0, NULL, NULL, NULL), 0);
	/* A cut first line of a V8 record: a log, nothing to report yet. */
	assert_int_equal(v8_log__parse(cut, sizeof(cut) - 1, &count_cb, &calls, &st), 0);
	assert_int_equal(st.looks_like_v8_log, 1);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(calls, 0);

	/* 63 lines of something else, then a V8 record: still a log. */
	many = malloc(100 * 32);
	assert_non_null(many);
	for (int i = 0; i < 63; i++)
		n += (size_t)sprintf(many + n, "line %d\n", i);
	n += (size_t)sprintf(many + n, "code-creation,JS,10,1,0x10,2,f\n");
	assert_int_equal(v8_log__parse(many, n, &count_cb, &calls, &st), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(st.other_lines, 63);
	/* 64 of them: not a log, and nothing reported. */
	n = 0;
	for (int i = 0; i < 64; i++)
		n += (size_t)sprintf(many + n, "line %d\n", i);
	n += (size_t)sprintf(many + n, "code-creation,JS,10,1,0x10,2,f\n");
	calls = 0;
	assert_int_equal(v8_log__parse(many, n, &count_cb, &calls, &st), -1);
	assert_int_equal(calls, 0);
	free(many);
}

static void test_stop(void **state)
{
	static const char text[] = "code-creation,JS,10,1,0x10,2,a\n"
				   "code-creation,JS,10,2,0x20,2,b\n"
				   "code-creation,JS,10,3,0x30,2,c\n"
				   "code-creation,JS,10,4,0x40,2,d\n";
	struct v8_log_stats st;
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.stop_after = 3;
	assert_int_equal(v8_log__parse(text, sizeof(text) - 1, &cbs, &g, &st), 42);
	assert_int_equal(g.n, 3);
	assert_int_equal(st.lines, 3);
	free(g.v);
}

/* v8-deopt-viewer conformance. Its parser test (peer-data README) asserts,
 * for user-script entries only: adders 16 codes / 7 deopts, html-external
 * 16 / 6, html-inline 15 / 6, two-modules 16 / 7. Its DeoptLogReader keys
 * codes by "func file:line:col" over code-creation of type LazyCompile (and
 * Script at 1:1), deopts by the innermost position "file:line:col"; a deopt
 * entry is named after the code at its start address when first seen. The
 * tables are its snapshots/<log>.json (file basename, line, column, number
 * of updates). */
struct want_entry {
	const char *func, *file;
	unsigned line, column;
	size_t updates;
};

static const struct want_entry adders_codes[] = {
	{ "", "adders.js", 1, 1, 4 },
	{ "Object1", "adders.js", 6, 14, 1 },
	{ "Object2", "adders.js", 13, 14, 2 },
	{ "Object3", "adders.js", 20, 14, 2 },
	{ "Object4", "adders.js", 28, 14, 2 },
	{ "Object5", "adders.js", 36, 14, 2 },
	{ "Object6", "adders.js", 44, 14, 2 },
	{ "Object7", "adders.js", 53, 14, 2 },
	{ "Object8", "adders.js", 62, 14, 2 },
	{ "addSmis", "adders.js", 75, 17, 2 },
	{ "addNumbers", "adders.js", 80, 20, 2 },
	{ "addStrings", "adders.js", 85, 20, 2 },
	{ "addAny", "adders.js", 90, 16, 8 },
	{ "processResult", "adders.js", 101, 23, 3 },
	{ "addObjects", "adders.js", 134, 20, 11 },
	{ "log", "adders.js", 151, 13, 1 },
};
static const struct want_entry adders_deopts[] = {
	{ "addAny", "adders.js", 93, 27, 8 }, { "addAny", "adders.js", 94, 12, 2 },
	{ "", "adders.js", 104, 11, 2 },      { "", "adders.js", 120, 19, 1 },
	{ "", "adders.js", 127, 19, 1 },      { "addObjects", "adders.js", 137, 28, 1 },
	{ "", "adders.js", 141, 1, 1 },
};

static const struct want_entry html_external_codes[] = {
	{ "", "objects.js", 1, 1, 1 },
	{ "", "adders.js", 1, 1, 5 },
	{ "Object1", "objects.js", 4, 14, 1 },
	{ "Object2", "objects.js", 11, 14, 2 },
	{ "Object3", "objects.js", 18, 14, 2 },
	{ "addSmis", "adders.js", 20, 17, 2 },
	{ "addNumbers", "adders.js", 25, 20, 2 },
	{ "Object4", "objects.js", 26, 14, 2 },
	{ "addStrings", "adders.js", 30, 20, 2 },
	{ "Object5", "objects.js", 34, 14, 2 },
	{ "addAny", "adders.js", 35, 16, 8 },
	{ "Object6", "objects.js", 42, 14, 2 },
	{ "processResult", "adders.js", 46, 23, 3 },
	{ "Object7", "objects.js", 51, 14, 2 },
	{ "Object8", "objects.js", 60, 14, 2 },
	{ "addObjects", "adders.js", 79, 20, 10 },
};
static const struct want_entry html_external_deopts[] = {
	{ "addAny", "adders.js", 38, 27, 10 }, { "addAny", "adders.js", 39, 12, 2 },
	{ "", "adders.js", 51, 37, 1 },	       { "", "adders.js", 65, 19, 1 },
	{ "", "adders.js", 72, 19, 1 },	       { "addObjects", "adders.js", 82, 28, 1 },
};

static const struct want_entry html_inline_codes[] = {
	{ "", "adders.html", 9, 27, 4 },
	{ "Object1", "adders.html", 11, 20, 1 },
	{ "Object2", "adders.html", 18, 20, 2 },
	{ "Object3", "adders.html", 25, 20, 2 },
	{ "Object4", "adders.html", 33, 20, 2 },
	{ "Object5", "adders.html", 41, 20, 2 },
	{ "Object6", "adders.html", 49, 20, 2 },
	{ "Object7", "adders.html", 58, 20, 2 },
	{ "Object8", "adders.html", 67, 20, 2 },
	{ "addSmis", "adders.html", 80, 23, 2 },
	{ "addNumbers", "adders.html", 85, 26, 2 },
	{ "addStrings", "adders.html", 90, 26, 2 },
	{ "addAny", "adders.html", 95, 22, 9 },
	{ "processResult", "adders.html", 106, 29, 3 },
	{ "addObjects", "adders.html", 139, 26, 10 },
};
static const struct want_entry html_inline_deopts[] = {
	{ "addAny", "adders.html", 98, 33, 11 }, { "addAny", "adders.html", 99, 18, 2 },
	{ "", "adders.html", 109, 17, 2 },	 { "", "adders.html", 125, 25, 1 },
	{ "", "adders.html", 132, 25, 1 },	 { "addObjects", "adders.html", 142, 34, 1 },
};

static const struct want_entry two_modules_codes[] = {
	{ "", "adders.js", 1, 1, 4 },
	{ "Object1", "objects.js", 2, 14, 1 },
	{ "Object2", "objects.js", 9, 14, 2 },
	{ "Object3", "objects.js", 16, 14, 2 },
	{ "addSmis", "adders.js", 20, 17, 2 },
	{ "Object4", "objects.js", 24, 14, 2 },
	{ "addNumbers", "adders.js", 25, 20, 2 },
	{ "addStrings", "adders.js", 30, 20, 2 },
	{ "Object5", "objects.js", 32, 14, 2 },
	{ "addAny", "adders.js", 35, 16, 7 },
	{ "Object6", "objects.js", 40, 14, 2 },
	{ "processResult", "adders.js", 46, 23, 3 },
	{ "Object7", "objects.js", 49, 14, 2 },
	{ "Object8", "objects.js", 58, 14, 2 },
	{ "addObjects", "adders.js", 79, 20, 11 },
	{ "log", "adders.js", 95, 13, 1 },
};
static const struct want_entry two_modules_deopts[] = {
	{ "addAny", "adders.js", 38, 27, 7 }, { "addAny", "adders.js", 39, 12, 2 },
	{ "", "adders.js", 49, 11, 2 },	      { "", "adders.js", 65, 19, 1 },
	{ "", "adders.js", 72, 19, 1 },	      { "addObjects", "adders.js", 82, 28, 1 },
	{ "", "adders.js", 86, 1, 1 },
};

struct entry {
	char func[128], file[256];
	unsigned line, column;
	size_t updates;
	char first_bailout[32], first_reason[128];
};

static int user_script(const char *s, size_t n)
{
	static const char *const roots[] = { "/tmp/v8-deopt-viewer/examples/",
					     "file:///tmp/v8-deopt-viewer/examples/" };

	for (int i = 0; i < 2; i++) {
		if (n > strlen(roots[i]) && !memcmp(s, roots[i], strlen(roots[i])))
			return 1;
	}
	return 0;
}

static struct entry *entry_get(struct entry *v, size_t *n, const char *func, const char *file,
			       size_t file_len, unsigned line, unsigned column)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp(v[i].func, func) && strlen(v[i].file) == file_len &&
		    !memcmp(v[i].file, file, file_len) && v[i].line == line &&
		    v[i].column == column)
			return &v[i];
	}
	assert_true(*n < 64);
	memset(&v[*n], 0, sizeof(v[0]));
	snprintf(v[*n].func, sizeof(v[0].func), "%s", func);
	snprintf(v[*n].file, sizeof(v[0].file), "%.*s", (int)file_len, file);
	v[*n].line = line;
	v[*n].column = column;
	return &v[(*n)++];
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void check_entries(const char *log, const char *what, const struct entry *got, size_t n,
			  const struct want_entry *want, size_t n_want)
{
	if (n != n_want)
		fail_msg("%s: %zu %s, want %zu", log, n, what, n_want);
	for (size_t i = 0; i < n_want; i++) {
		size_t j;

		for (j = 0; j < n; j++) {
			if (!strcmp(got[j].func, want[i].func) &&
			    !strcmp(basename_of(got[j].file), want[i].file) &&
			    got[j].line == want[i].line && got[j].column == want[i].column)
				break;
		}
		if (j == n)
			fail_msg("%s: no %s entry %s %s:%u:%u", log, what, want[i].func,
				 want[i].file, want[i].line, want[i].column);
		if (got[j].updates != want[i].updates)
			fail_msg("%s: %s %s:%u:%u has %zu updates, want %zu", log, what,
				 want[i].file, want[i].line, want[i].column, got[j].updates,
				 want[i].updates);
	}
}

static void viewer_log(const char *log, const struct want_entry *want_codes, size_t n_codes,
		       const struct want_entry *want_deopts, size_t n_deopts, struct entry *deopts,
		       size_t *n_deopt_out)
{
	struct entry codes[64];
	size_t nc = 0, nd = 0;
	struct v8_log_stats st;
	struct got g;

	assert_int_equal(parse_fixture(log, &g, &st), 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.truncated, 0);
	assert_int_equal(st.code_deopts, count(&g, NULL, "eager") + count(&g, NULL, "soft") +
						 count(&g, NULL, "lazy"));
	for (size_t i = 0; i < g.n; i++) {
		const struct rec *r = &g.v[i];
		struct v8_name n;
		struct entry *e;

		if (!r->is_deopt) {
			int is_script = !strcmp(r->type, "Script");

			if ((strcmp(r->type, "LazyCompile") && !is_script) || !r->sfi)
				continue;
			assert_int_equal(v8_name__parse_log(r->type, strlen(r->type), r->marker,
							    r->name, strlen(r->name), &n),
					 0);
			if (!user_script(n.script, n.script_len) ||
			    (is_script && (n.line != 1 || n.column != 1)))
				continue;
			{
				char func[128];

				snprintf(func, sizeof(func), "%.*s", (int)n.func_len, n.func);
				e = entry_get(codes, &nc, func, n.script, n.script_len, n.line,
					      n.column);
			}
			e->updates++;
			continue;
		}
		/* The innermost position "file:line:col". */
		{
			char pos[sizeof(r->position) + 1];
			struct v8_name p;
			char func[128] = "";

			snprintf(pos, sizeof(pos), " %s", r->position);
			assert_int_equal(v8_name__parse_log("JS", 2, 0, pos, strlen(pos), &p), 0);
			if (!user_script(p.script, p.script_len))
				continue;
			/* Named after the code at the deopt's start, the last created there. */
			for (size_t j = i; j-- > 0;) {
				if (!g.v[j].is_deopt && g.v[j].start == r->start) {
					assert_int_equal(
						v8_name__parse_log(g.v[j].type, strlen(g.v[j].type),
								   0, g.v[j].name,
								   strlen(g.v[j].name), &n),
						0);
					snprintf(func, sizeof(func), "%.*s", (int)n.func_len,
						 n.func);
					break;
				}
			}
			for (size_t j = 0; j < nd; j++) {
				if (strlen(deopts[j].file) == p.script_len &&
				    !memcmp(deopts[j].file, p.script, p.script_len) &&
				    deopts[j].line == p.line && deopts[j].column == p.column) {
					e = &deopts[j];
					goto found;
				}
			}
			e = entry_get(deopts, &nd, func, p.script, p.script_len, p.line, p.column);
			snprintf(e->first_bailout, sizeof(e->first_bailout), "%s", r->bailout);
			snprintf(e->first_reason, sizeof(e->first_reason), "%s", r->reason);
found:
			e->updates++;
		}
	}
	check_entries(log, "codes", codes, nc, want_codes, n_codes);
	check_entries(log, "deopts", deopts, nd, want_deopts, n_deopts);
	*n_deopt_out = nd;
	free(g.v);
}

#define VIEWER(log, name, deopts, nd)                                             \
	viewer_log("v8/v8-deopt-viewer-" log ".v8.log.gz", name##_codes,          \
		   sizeof(name##_codes) / sizeof(name##_codes[0]), name##_deopts, \
		   sizeof(name##_deopts) / sizeof(name##_deopts[0]), deopts, nd)

static void test_deopt_viewer(void **state)
{
	struct entry deopts[64];
	size_t nd;
	struct got g;
	struct v8_log_stats st;
	const struct rec *r;

	(void)state;
	VIEWER("adders", adders, deopts, &nd);
	assert_int_equal(nd, 7);
	/* The entry its test asserts: addObjects, line 137, col 28, eager,
	 * "wrong call target"; and the first, 93:27, with its 8 updates. */
	for (size_t i = 0; i < nd; i++) {
		if (deopts[i].line == 137) {
			assert_string_equal(deopts[i].func, "addObjects");
			assert_int_equal(deopts[i].column, 28);
			assert_string_equal(deopts[i].first_bailout, "eager");
			assert_string_equal(deopts[i].first_reason, "wrong call target");
		}
		if (deopts[i].line == 93) {
			assert_string_equal(deopts[i].func, "addAny");
			assert_string_equal(deopts[i].first_bailout, "soft");
			assert_string_equal(deopts[i].first_reason,
					    "Insufficient type feedback for generic named access");
		}
	}
	VIEWER("html-external", html_external, deopts, &nd);
	assert_int_equal(nd, 6);
	VIEWER("html-inline", html_inline, deopts, &nd);
	assert_int_equal(nd, 6);
	VIEWER("two-modules", two_modules, deopts, &nd);
	assert_int_equal(nd, 7);

	/* Node 12 figures (awk over the log): 2246 lines, 1960 code-creation,
	 * 16 code-deopt (12 eager, 4 soft; 4 inlined), 270 other. */
	assert_int_equal(parse_fixture("v8/v8-deopt-viewer-adders.v8.log.gz", &g, &st), 0);
	assert_string_equal(st.v8_version, "7.7.299.13");
	assert_int_equal(st.lines, 2246);
	assert_int_equal(st.code_creations, 1960);
	assert_int_equal(st.code_deopts, 16);
	assert_int_equal(st.other_lines, 270);
	assert_int_equal(count(&g, NULL, "eager"), 12);
	assert_int_equal(count(&g, NULL, "soft"), 4);
	/* code-deopt,84325,4704,0x2dc86bf84640,8,1549,eager,</tmp/.../adders.js:104:11>
	 * inlined at </tmp/.../adders.js:112:5>,wrong map */
	r = find_line(&g, 2022);
	assert_true(r->is_deopt);
	assert_int_equal(r->time_us, 84325);
	assert_int_equal(r->size, 4704);
	assert_int_equal(r->start, 0x2dc86bf84640);
	assert_int_equal(r->inlining_id, 8);
	assert_int_equal(r->script_offset, 1549);
	assert_string_equal(r->position, "/tmp/v8-deopt-viewer/examples/simple/adders.js:104:11");
	assert_string_equal(r->inlined_at, "/tmp/v8-deopt-viewer/examples/simple/adders.js:112:5");
	assert_string_equal(r->reason, "wrong map");
	/* (?:^|\\/)\\.?\\.$ */
	for (size_t i = 0; i < g.n; i++) {
		if (!strcmp(g.v[i].type, "RegExp") && g.v[i].start == 0x2dc86bf828e0)
			assert_string_equal(g.v[i].name, "(?:^|\\/)\\.?\\.$");
	}
	free(g.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node20_js_and_deopt),
		cmocka_unit_test(test_node20_full_log),
		cmocka_unit_test(test_node8_quoted),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_quotes_by_version),
		cmocka_unit_test(test_layouts_and_records),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_and_nul),
		cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_deopt_viewer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

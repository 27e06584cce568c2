/* Unit tests for plugins/v8/v8_name.c: every name form of FORMATS.md §1.1
 * (and the older ones of Node 8/12 logs), every name of the real Node 20
 * perf maps of tests/fixtures/jit, and the ELF builtin rule over the node
 * binary's real symbol table (tests/fixtures/v8/node20-nm-builtins.txt.gz)
 * checked against the perf map, which names each address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v8_name.h"
#include "fixture.h"

struct name_case {
	const char *in;
	int ret;
	const char *kind;
	enum v8_code_tier tier;
	const char *func, *script;
	unsigned line, column;
	const char *rest;
};

static void check_str(const char *what, const char *in, const char *got, size_t got_len,
		      const char *want)
{
	if (got_len != strlen(want) || memcmp(got, want, got_len)) {
		fprintf(stderr, "%s of \"%s\": got \"%.*s\", want \"%s\"\n", what, in, (int)got_len,
			got, want);
		fail();
	}
}

static void check_case(const struct name_case *c)
{
	struct v8_name n;
	size_t len = strlen(c->in);
	int ret = v8_name__parse(c->in, len, &n);

	if (ret != c->ret) {
		fprintf(stderr, "\"%s\": returned %d, want %d\n", c->in, ret, c->ret);
		fail();
	}
	if (ret)
		return;
	assert_string_equal(n.kind, c->kind);
	if (n.tier != c->tier) {
		fprintf(stderr, "\"%s\": tier %d, want %d\n", c->in, n.tier, c->tier);
		fail();
	}
	check_str("func", c->in, n.func, n.func_len, c->func);
	check_str("script", c->in, n.script, n.script_len, c->script);
	check_str("rest", c->in, n.rest, n.rest_len, c->rest);
	if (n.line != c->line || n.column != c->column) {
		fprintf(stderr, "\"%s\": position %u:%u, want %u:%u\n", c->in, n.line, n.column,
			c->line, c->column);
		fail();
	}
	/* Every pointer stays inside the input. */
	assert_true(n.rest >= c->in && n.rest + n.rest_len <= c->in + len);
	assert_true(n.func >= c->in && n.func + n.func_len <= c->in + len);
	assert_true(n.script >= c->in && n.script + n.script_len <= c->in + len);
}

#define W "/home/dev/tierprof-lab/app/workloads/workload.js"
#define NOT_V8(s)                                         \
	{                                                 \
		s, -1, "", V8_TIER_NONE, "", "", 0, 0, "" \
	}

static void test_forms(void **state)
{
	static const struct name_case cases[] = {
		/* FORMATS §1.1, real lines. */
		{ "JS:~runHot " W ":12:16", 0, "JS", V8_TIER_IGNITION, "runHot", W, 12, 16,
		  "runHot " W ":12:16" },
		{ "JS:^runHot " W ":12:16", 0, "JS", V8_TIER_SPARKPLUG, "runHot", W, 12, 16,
		  "runHot " W ":12:16" },
		{ "JS:*runHot " W ":12:16", 0, "JS", V8_TIER_TURBOFAN, "runHot", W, 12, 16,
		  "runHot " W ":12:16" },
		{ "JS:+runHot " W ":12:16", 0, "JS", V8_TIER_MAGLEV, "runHot", W, 12, 16,
		  "runHot " W ":12:16" },
		{ "Eval:~ " W ":1:1", 0, "Eval", V8_TIER_IGNITION, "", W, 1, 1, " " W ":1:1" },
		{ "Builtin:DeoptimizationEntry_Eager", 0, "Builtin", V8_TIER_NONE, "", "", 0, 0,
		  "DeoptimizationEntry_Eager" },
		{ "BytecodeHandler:Wide", 0, "BytecodeHandler", V8_TIER_NONE, "", "", 0, 0,
		  "Wide" },
		{ "BytecodeHandler:LdaZero.Wide", 0, "BytecodeHandler", V8_TIER_NONE, "", "", 0, 0,
		  "LdaZero.Wide" },
		{ "BytecodeHandler:Star.ExtraWide", 0, "BytecodeHandler", V8_TIER_NONE, "", "", 0,
		  0, "Star.ExtraWide" },
		{ "RegExp:(\\d+)-(\\w+)", 0, "RegExp", V8_TIER_NONE, "", "", 0, 0,
		  "(\\d+)-(\\w+)" },
		/* A regexp is not JS: commas, spaces, colons, a leading '~' are its source. */
		{ "RegExp:a, b: c:1:2", 0, "RegExp", V8_TIER_NONE, "", "", 0, 0, "a, b: c:1:2" },
		{ "RegExp:~x*", 0, "RegExp", V8_TIER_NONE, "", "", 0, 0, "~x*" },
		/* new Function: empty name and empty script. */
		{ "JS:* :1:20", 0, "JS", V8_TIER_TURBOFAN, "", "", 1, 20, " :1:20" },
		{ "JS:^ :1:20", 0, "JS", V8_TIER_SPARKPLUG, "", "", 1, 20, " :1:20" },
		{ "JS:~ /path/w.js:1:1", 0, "JS", V8_TIER_IGNITION, "", "/path/w.js", 1, 1,
		  " /path/w.js:1:1" },
		/* Scripts with colons. */
		{ "JS:~Module._compile node:internal/modules/cjs/loader:1483:37", 0, "JS",
		  V8_TIER_IGNITION, "Module._compile", "node:internal/modules/cjs/loader", 1483, 37,
		  "Module._compile node:internal/modules/cjs/loader:1483:37" },
		{ "JS:~ node:internal/main/run_main_module:1:1", 0, "JS", V8_TIER_IGNITION, "",
		  "node:internal/main/run_main_module", 1, 1,
		  " node:internal/main/run_main_module:1:1" },
		{ "JS:*addAny file:///tmp/v8-deopt-viewer/examples/html-external/adders.js:35:16",
		  0, "JS", V8_TIER_TURBOFAN, "addAny",
		  "file:///tmp/v8-deopt-viewer/examples/html-external/adders.js", 35, 16,
		  "addAny file:///tmp/v8-deopt-viewer/examples/html-external/adders.js:35:16" },
		{ "JS:^g http://host:8080/x.js:3:10", 0, "JS", V8_TIER_SPARKPLUG, "g",
		  "http://host:8080/x.js", 3, 10, "g http://host:8080/x.js:3:10" },
		{ "JS:~ https://a.b:443/c d/e.js:7:9", 0, "JS", V8_TIER_IGNITION, "",
		  "https://a.b:443/c d/e.js", 7, 9, " https://a.b:443/c d/e.js:7:9" },
		/* Spaces: in the function name (getters), in the script path. */
		{ "JS:~get foo /home/dev/x.js:5:7", 0, "JS", V8_TIER_IGNITION, "get foo",
		  "/home/dev/x.js", 5, 7, "get foo /home/dev/x.js:5:7" },
		{ "JS:*foo /home/my dir/x.js:3:4", 0, "JS", V8_TIER_TURBOFAN, "foo",
		  "/home/my dir/x.js", 3, 4, "foo /home/my dir/x.js:3:4" },
		{ "Function:~get entryType perf_hooks.js:86:16", 0, "Function", V8_TIER_IGNITION,
		  "get entryType", "perf_hooks.js", 86, 16, "get entryType perf_hooks.js:86:16" },
		/* Node <= 8 natives ("native X.js"). */
		{ "LazyCompile:~set native collection.js:247:16", 0, "LazyCompile",
		  V8_TIER_IGNITION, "set", "native collection.js", 247, 16,
		  "set native collection.js:247:16" },
		{ "Function:~ native collection.js:1:1", 0, "Function", V8_TIER_IGNITION, "",
		  "native collection.js", 1, 1, " native collection.js:1:1" },
		/* Older kinds and positions. */
		{ "LazyCompile:*f /x.js:3:10", 0, "LazyCompile", V8_TIER_TURBOFAN, "f", "/x.js", 3,
		  10, "f /x.js:3:10" },
		{ "LazyCompile:~foo /x.js:3", 0, "LazyCompile", V8_TIER_IGNITION, "foo", "/x.js", 3,
		  0, "foo /x.js:3" },
		{ "LazyCompile:~foo", 0, "LazyCompile", V8_TIER_IGNITION, "foo", "", 0, 0, "foo" },
		{ "LazyCompile:", 0, "LazyCompile", V8_TIER_NONE, "", "", 0, 0, "" },
		{ "LazyCompile:~foo bar.js", 0, "LazyCompile", V8_TIER_IGNITION, "foo", "bar.js", 0,
		  0, "foo bar.js" },
		{ "Script:~bootstrap_node.js", 0, "Script", V8_TIER_IGNITION, "",
		  "bootstrap_node.js", 0, 0, "bootstrap_node.js" },
		{ "Script:~ v8/gc:1:1", 0, "Script", V8_TIER_IGNITION, "", "v8/gc", 1, 1,
		  " v8/gc:1:1" },
		{ "Stub:RecordWriteStub", 0, "Stub", V8_TIER_NONE, "", "", 0, 0,
		  "RecordWriteStub" },
		{ "Handler:An IC handler from the snapshot", 0, "Handler", V8_TIER_NONE, "", "", 0,
		  0, "An IC handler from the snapshot" },
		{ "Callback:~x", 0, "Callback", V8_TIER_NONE, "", "", 0, 0, "~x" },
		/* A line that does not fit is no position; a column alone is a line. */
		{ "JS:~f /x.js:99999999999:1", 0, "JS", V8_TIER_IGNITION, "f",
		  "/x.js:99999999999:1", 0, 0, "f /x.js:99999999999:1" },
		{ "JS:~f /x.js:4294967295:4294967295", 0, "JS", V8_TIER_IGNITION, "f", "/x.js",
		  4294967295u, 4294967295u, "f /x.js:4294967295:4294967295" },
		{ "JS:~f:12", 0, "JS", V8_TIER_IGNITION, "", "f", 12, 0, "f:12" },
		/* Not V8 code names. */
		NOT_V8("main"),
		NOT_V8("[unknown]"),
		NOT_V8(""),
		NOT_V8(":x"),
		NOT_V8("JS"),
		NOT_V8("1JS:x"),
		NOT_V8("std::vector<int>::push_back"),
		NOT_V8("_ZN2v88internal7Isolate4InitEv"),
		NOT_V8("Builtins_LdaZeroHandler"),
		NOT_V8("ABCDEFGHIJKLMNOPQRSTUVWXYZ:x"), /* a kind of 26 letters */
		NOT_V8("JS :~f /x.js:1:1"),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

static void test_parse_log(void **state)
{
	static const char js[] = "runPoly " W ":13:17";
	struct v8_name n;

	(void)state;
	assert_int_equal(v8_name__parse_log("JS", 2, '*', js, strlen(js), &n), 0);
	assert_string_equal(n.kind, "JS");
	assert_int_equal(n.tier, V8_TIER_TURBOFAN);
	check_str("func", js, n.func, n.func_len, "runPoly");
	check_str("script", js, n.script, n.script_len, W);
	assert_int_equal(n.line, 13);
	assert_int_equal(n.column, 17);
	/* The marker field decides, not the name's first character. */
	assert_int_equal(v8_name__parse_log("JS", 2, 0, "~f /x.js:1:2", 12, &n), 0);
	assert_int_equal(n.tier, V8_TIER_NONE);
	check_str("func", "~f", n.func, n.func_len, "~f");
	assert_int_equal(v8_name__parse_log("LazyCompile", 11, '~', "", 0, &n), 0);
	assert_int_equal(n.func_len + n.script_len, 0);
	assert_int_equal(v8_name__parse_log("Builtin", 7, 0, "RecordWrite", 11, &n), 0);
	check_str("rest", "RecordWrite", n.rest, n.rest_len, "RecordWrite");
	assert_int_equal(n.tier, V8_TIER_NONE);
	assert_int_equal(v8_name__parse_log("Bad type", 8, 0, "x", 1, &n), -1);
	assert_int_equal(v8_name__parse_log("", 0, 0, "x", 1, &n), -1);
	assert_int_equal(v8_name__tier('+'), V8_TIER_MAGLEV);
	assert_int_equal(v8_name__tier('x'), V8_TIER_NONE);
}

struct map_counts {
	size_t lines, bad, js[5], eval_ignition, script_ignition, regexp, builtin, handler, other;
	size_t anonymous, empty_script, node_script, abs_script, no_position;
};

/* Every name of a perf map, counted by kind and tier. */
static void count_map(const char *file, struct map_counts *mc)
{
	size_t len;
	char *buf = fixture_read(file, &len), *line, *save = NULL;

	assert_non_null(buf);
	memset(mc, 0, sizeof(*mc));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = strchr(line, ' ');
		struct v8_name n;

		assert_non_null(name);
		name = strchr(name + 1, ' ');
		assert_non_null(name);
		name++;
		mc->lines++;
		if (v8_name__parse(name, strlen(name), &n)) {
			fprintf(stderr, "%s: not a V8 name: %s\n", file, name);
			mc->bad++;
			continue;
		}
		if (!strcmp(n.kind, "JS"))
			mc->js[n.tier]++;
		else if (!strcmp(n.kind, "Eval") && n.tier == V8_TIER_IGNITION)
			mc->eval_ignition++;
		else if (!strcmp(n.kind, "Script") && n.tier == V8_TIER_IGNITION)
			mc->script_ignition++;
		else if (!strcmp(n.kind, "RegExp"))
			mc->regexp++;
		else if (!strcmp(n.kind, "Builtin"))
			mc->builtin++;
		else if (!strcmp(n.kind, "BytecodeHandler"))
			mc->handler++;
		else
			mc->other++;
		if (n.tier == V8_TIER_NONE)
			continue;
		mc->anonymous += !n.func_len;
		mc->empty_script += !n.script_len;
		mc->node_script += n.script_len > 5 && !memcmp(n.script, "node:", 5);
		mc->abs_script += n.script_len && n.script[0] == '/';
		mc->no_position += !n.line || !n.column;
	}
	free(buf);
}

/* Expected figures: FORMATS §1.1/§1.2 and tests/fixtures/jit/README.md for
 * the kinds; for the rest, grep over the same files, e.g. anonymous =
 * grep -c ' \(JS\|Eval\|Script\):[~^+*] ', empty script =
 * grep -c ' \(JS\|Eval\|Script\):[~^+*] :[0-9]*:[0-9]*$', node: scripts =
 * grep ' \(JS\|Eval\|Script\):' | grep -c ' node:[^ ]*:[0-9]*:[0-9]*$'. */
static void test_perf_maps(void **state)
{
	struct map_counts mc;

	(void)state;
	count_map("jit/node20-perf-basic-prof.map", &mc);
	assert_int_equal(mc.lines, 2591);
	assert_int_equal(mc.bad, 0);
	assert_int_equal(mc.js[V8_TIER_IGNITION], 266);
	assert_int_equal(mc.js[V8_TIER_SPARKPLUG], 26);
	assert_int_equal(mc.js[V8_TIER_MAGLEV], 0);
	assert_int_equal(mc.js[V8_TIER_TURBOFAN], 88);
	assert_int_equal(mc.js[V8_TIER_NONE], 0);
	assert_int_equal(mc.eval_ignition, 28);
	assert_int_equal(mc.regexp, 1);
	assert_int_equal(mc.builtin, 1699);
	assert_int_equal(mc.handler, 483);
	assert_int_equal(mc.other, 0);
	assert_int_equal(mc.anonymous, 72);
	assert_int_equal(mc.empty_script, 0);
	assert_int_equal(mc.node_script, 305);
	assert_int_equal(mc.abs_script, 103);
	assert_int_equal(mc.no_position, 0);

	count_map("jit/node20-perf-basic-prof-ifns.map", &mc);
	assert_int_equal(mc.lines, 2828);
	assert_int_equal(mc.bad, 0);
	assert_int_equal(mc.js[V8_TIER_IGNITION], 532);
	assert_int_equal(mc.js[V8_TIER_SPARKPLUG], 26);
	assert_int_equal(mc.js[V8_TIER_TURBOFAN], 31);
	assert_int_equal(mc.eval_ignition, 56);
	assert_int_equal(mc.regexp, 1);
	assert_int_equal(mc.builtin, 1699);
	assert_int_equal(mc.handler, 483);
	assert_int_equal(mc.other, 0);
	assert_int_equal(mc.anonymous, 142);
	assert_int_equal(mc.empty_script, 0);
	assert_int_equal(mc.node_script, 591);
	assert_int_equal(mc.abs_script, 54);
	assert_int_equal(mc.no_position, 0);

	count_map("jit/node20-perf-basic-prof-churn-addr-reuse.map", &mc);
	assert_int_equal(mc.lines, 3947);
	assert_int_equal(mc.bad, 0);
	assert_int_equal(mc.js[V8_TIER_IGNITION], 625);
	assert_int_equal(mc.js[V8_TIER_SPARKPLUG], 311);
	assert_int_equal(mc.js[V8_TIER_TURBOFAN], 405);
	assert_int_equal(mc.eval_ignition, 423);
	assert_int_equal(mc.script_ignition, 1); /* "Script:~ v8/gc:1:1" */
	assert_int_equal(mc.builtin, 1699);
	assert_int_equal(mc.handler, 483);
	assert_int_equal(mc.other, 0);
	assert_int_equal(mc.anonymous, 1559);
	assert_int_equal(mc.empty_script, 1492); /* new Function: "JS:* :1:20" */
	assert_int_equal(mc.node_script, 265);
	assert_int_equal(mc.abs_script, 7);
	assert_int_equal(mc.no_position, 0);
}

struct sym_case {
	const char *sym;
	enum v8_builtin_kind kind;
	const char *base;
	unsigned scale;
};

static void test_elf_builtin(void **state)
{
	static const struct sym_case cases[] = {
		{ "Builtins_InterpreterEntryTrampoline", V8_BUILTIN, "InterpreterEntryTrampoline",
		  0 },
		{ "Builtins_LdaZeroHandler", V8_BYTECODE_HANDLER, "LdaZero", 1 },
		{ "Builtins_LdaZeroWideHandler", V8_BYTECODE_HANDLER, "LdaZero", 2 },
		{ "Builtins_GetNamedPropertyExtraWideHandler", V8_BYTECODE_HANDLER,
		  "GetNamedProperty", 4 },
		{ "Builtins_GetNamedPropertyHandler", V8_BYTECODE_HANDLER, "GetNamedProperty", 1 },
		/* Prefix bytecodes, whose names end in Wide themselves. */
		{ "Builtins_WideHandler", V8_BYTECODE_HANDLER, "Wide", 1 },
		{ "Builtins_ExtraWideHandler", V8_BYTECODE_HANDLER, "ExtraWide", 1 },
		{ "Builtins_DebugBreakWideHandler", V8_BYTECODE_HANDLER, "DebugBreakWide", 1 },
		{ "Builtins_DebugBreakExtraWideHandler", V8_BYTECODE_HANDLER, "DebugBreakExtraWide",
		  1 },
		{ "Builtins_DebugBreak1WideHandler", V8_BYTECODE_HANDLER, "DebugBreak1", 2 },
		/* perf map: BytecodeHandler:Star0 at the same address. */
		{ "Builtins_ShortStarHandler", V8_BYTECODE_HANDLER, "ShortStar", 1 },
		/* No builtin of Node 20 ends in "Handler" (see test_node20_symbols);
		 * the nearest real names: */
		{ "Builtins_Illegal", V8_BUILTIN, "Illegal", 0 },
		{ "Builtins_DebugBreakTrampoline", V8_BUILTIN, "DebugBreakTrampoline", 0 },
		{ "Builtins_HandleApiCallOrConstruct", V8_BUILTIN, "HandleApiCallOrConstruct", 0 },
		{ "Builtins_DeoptimizationEntry_Eager", V8_BUILTIN, "DeoptimizationEntry_Eager",
		  0 },
		{ "Builtins_Handler", V8_BUILTIN, "Handler", 0 },
		/* Not builtins. */
		{ "Builtins_", V8_BUILTIN_NONE, NULL, 0 },
		{ "Builtins", V8_BUILTIN_NONE, NULL, 0 },
		{ "main", V8_BUILTIN_NONE, NULL, 0 },
		{ "_ZN2v88internal8Builtins4NameENS0_7BuiltinE", V8_BUILTIN_NONE, NULL, 0 },
		{ "Builtins_Foo.cold", V8_BUILTIN_NONE, NULL, 0 },
		{ "uv_signal_handler", V8_BUILTIN_NONE, NULL, 0 },
		{ "", V8_BUILTIN_NONE, NULL, 0 },
	};

	(void)state;
	assert_int_equal(v8_name__elf_builtin(NULL, NULL, NULL), V8_BUILTIN_NONE);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *base = NULL;
		size_t base_len = 0;
		unsigned scale = 99;
		enum v8_builtin_kind k =
			v8_name__elf_builtin_scale(cases[i].sym, &base, &base_len, &scale);

		if (k != cases[i].kind) {
			fprintf(stderr, "%s: kind %d, want %d\n", cases[i].sym, k, cases[i].kind);
			fail();
		}
		assert_int_equal(scale, cases[i].scale);
		assert_int_equal(v8_name__elf_builtin(cases[i].sym, NULL, NULL), k);
		if (k != V8_BUILTIN_NONE)
			check_str("base", cases[i].sym, base, base_len, cases[i].base);
	}
}

/* The perf map of the same binary names every builtin address
 * ("Builtin:X") and every bytecode handler ("BytecodeHandler:X[.Wide]").
 * Classify each Builtins_* ELF symbol of node (nm, 2182 of them) and
 * compare with the name the map gives its address. */
struct map_entry {
	uint64_t addr;
	const char *name;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static void test_node20_symbols(void **state)
{
	size_t map_len, nm_len, nmap = 0, handlers_ok = 0, builtins_ok = 0, alias = 0, syms = 0;
	char *map = fixture_read("jit/node20-perf-basic-prof.map", &map_len);
	char *nm = fixture_read("v8/node20-nm-builtins.txt.gz", &nm_len);
	struct map_entry *e = calloc(4096, sizeof(*e));
	char *line, *save = NULL;

	(void)state;
	assert_non_null(map);
	assert_non_null(nm);
	assert_non_null(e);
	for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(strchr(line, ' ') + 1, ' ');

		assert_true(nmap < 4096);
		e[nmap].addr = strtoull(line, NULL, 16);
		e[nmap++].name = sp + 1;
	}
	qsort(e, nmap, sizeof(*e), cmp_entry);
	save = NULL;
	for (line = strtok_r(nm, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct map_entry key = { .addr = strtoull(line, NULL, 16) }, *hit;
		const char *sym = strchr(line, ' ') + 1, *base;
		size_t base_len;
		unsigned scale;
		char want[160];
		enum v8_builtin_kind k = v8_name__elf_builtin_scale(sym, &base, &base_len, &scale);

		syms++;
		hit = bsearch(&key, e, nmap, sizeof(*e), cmp_entry);
		assert_non_null(hit);
		if (k == V8_BYTECODE_HANDLER) {
			snprintf(want, sizeof(want), "BytecodeHandler:%.*s%s", (int)base_len, base,
				 scale == 4   ? ".ExtraWide"
				 : scale == 2 ? ".Wide"
					      : "");
			if (!strcmp(sym, "Builtins_ShortStarHandler") &&
			    !strcmp(hit->name, "BytecodeHandler:Star0")) {
				alias++;
				continue;
			}
			if (strcmp(hit->name, want))
				fprintf(stderr, "%s: map says %s, want %s\n", sym, hit->name, want);
			handlers_ok += !strcmp(hit->name, want);
		} else {
			assert_int_equal(k, V8_BUILTIN);
			snprintf(want, sizeof(want), "Builtin:%.*s", (int)base_len, base);
			if (strcmp(hit->name, want))
				fprintf(stderr, "%s: map says %s, want %s\n", sym, hit->name, want);
			builtins_ok += !strcmp(hit->name, want);
		}
	}
	/* The map has 483 BytecodeHandler and 1699 Builtin entries (FORMATS
	 * §1.1): all are matched, the ShortStar/Star0 alias aside. */
	assert_int_equal(syms, 2182);
	assert_int_equal(handlers_ok, 482);
	assert_int_equal(alias, 1);
	assert_int_equal(builtins_ok, 1699);
	free(e);
	free(map);
	free(nm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),	       cmocka_unit_test(test_parse_log),
		cmocka_unit_test(test_perf_maps),      cmocka_unit_test(test_elf_builtin),
		cmocka_unit_test(test_node20_symbols),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

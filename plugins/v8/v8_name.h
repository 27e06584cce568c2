/* V8 code names, as V8 writes them into perf maps (--perf-basic-prof),
 * jitdump CODE_LOAD records (--perf-prof) and, without the "KIND:" prefix,
 * the name field of the --prof log's code-creation lines (FORMATS.md §1.1,
 * §1.3, §1.5):
 *
 *	NAME := KIND ":" [TIER] REST          KIND := [A-Za-z]+
 *	TIER := "~" | "^" | "+" | "*"         only for JS-like kinds (JS, Eval,
 *	                                      LazyCompile, Function, Script)
 *	REST (JS-like) := [funcname SP] script [":" line [":" column]]
 *	REST (others)  := builtin name, bytecode name (".Wide"/".ExtraWide"),
 *	                  regexp source, ...
 *
 * The parser is pure: no allocation, no state, no I/O. Output pointers point
 * into the caller's input and live as long as it does.
 * async-signal-safe: yes (no allocation, no locks), though not meant for it. */
#ifndef TP_V8_V8_NAME_H
#define TP_V8_V8_NAME_H

#include <stddef.h>

enum v8_code_tier {
	V8_TIER_NONE = 0,
	V8_TIER_IGNITION,  /* "~": bytecode (interpreter), or unoptimized code before V8 9 */
	V8_TIER_SPARKPLUG, /* "^": baseline */
	V8_TIER_MAGLEV,	   /* "+": mid-tier optimizing */
	V8_TIER_TURBOFAN,  /* "*": optimized */
};

struct v8_name {
	char kind[24];		/* "JS", "Builtin", ...; NUL-terminated */
	enum v8_code_tier tier; /* JS-like kinds only, else V8_TIER_NONE */
	const char *func;	/* function name; may be empty (top level, anonymous) */
	size_t func_len;
	const char *script; /* script path or URL; may be empty (new Function) */
	size_t script_len;
	unsigned line, column; /* 0 when absent */
	const char *rest;      /* everything after "KIND:" and the tier marker */
	size_t rest_len;
};

/* Parse name[0..len). Returns 0, or -1 when the name does not start with
 * "KIND:" (KIND = 1..23 ASCII letters, not followed by a second ':' as in
 * the C++ "std::"). For JS-like kinds, REST is split into func, script, line
 * and column: a trailing ":digits[:digits]" is the position, and func is what
 * precedes the script's separating space. That space is the first one
 * followed by an absolute path or a URL ("/...", "scheme://..."), so scripts
 * with spaces in their path work; otherwise it is the last space, so function
 * names with spaces ("get foo") work. Node <= 8 named its own libraries
 * "native X.js": "set native collection.js:247:16" is func "set", script
 * "native collection.js". Without a space and a position, REST is the
 * function name (the script name for Script). */
int v8_name__parse(const char *name, size_t len, struct v8_name *out);

/* The same for a --prof log code-creation line, whose name field has no
 * "KIND:" prefix and whose tier marker is a separate field: type is the
 * line's <type> ("JS", "LazyCompile", ...), marker its last field ('~', '^',
 * '+', '*' or 0) and name the unescaped name field. Returns -1 only when type
 * is not 1..23 letters. */
int v8_name__parse_log(const char *type, size_t type_len, char marker, const char *name, size_t len,
		       struct v8_name *out);

/* The tier of a marker character, V8_TIER_NONE for anything else. */
enum v8_code_tier v8_name__tier(char marker);

/* Embedded builtins are ELF symbols of the node binary (FORMATS §1.1):
 * "Builtins_X" is builtin X (perf map "Builtin:X"); "Builtins_XHandler",
 * "Builtins_XWideHandler" and "Builtins_XExtraWideHandler" are the handlers of
 * bytecode X at operand scale 1, 2 and 4 (perf map "BytecodeHandler:X",
 * "X.Wide", "X.ExtraWide"). The rule is the suffix: in Node 20.20.2 all 483
 * Builtins_*Handler symbols are bytecode handlers and none of the other 1699
 * builtins ends in "Handler". The prefix bytecodes Wide, ExtraWide,
 * DebugBreakWide and DebugBreakExtraWide keep their suffix. One alias: V8
 * names the handler of all short Star bytecodes "ShortStar" in ELF and
 * "Star0" in the perf map.
 * base and base_len (either may be NULL) get X, pointing into sym. */
enum v8_builtin_kind { V8_BUILTIN_NONE = 0, V8_BUILTIN, V8_BYTECODE_HANDLER };
enum v8_builtin_kind v8_name__elf_builtin(const char *sym, const char **base, size_t *base_len);

/* Like v8_name__elf_builtin(), and *scale (may be NULL) gets the operand
 * scale of a bytecode handler (1, 2 for Wide, 4 for ExtraWide), 0 otherwise. */
enum v8_builtin_kind v8_name__elf_builtin_scale(const char *sym, const char **base,
						size_t *base_len, unsigned *scale);

#endif

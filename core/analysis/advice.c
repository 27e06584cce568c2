/* The fix family for each finding, from the runtime's own words for why code
 * was thrown away. Kept short: the report shows the evidence beside it. */
#include "findings.h"

#include <string.h>

static const struct {
	const char *word; /* found in the reason (case-sensitive, as runtimes print it) */
	const char *fix;
} deopt_fixes[] = {
	{ "dependenc", "stop changing what the optimized code depends on once warm: do not "
		       "add or delete properties of prototypes, redefine constants or swap "
		       "call-site targets in the hot path" },
	{ "quasi-immutable", "stop writing, in the hot path, to what PyPy's loops treat as "
			     "constant (class attributes, module globals, the field named above): "
			     "each write throws the loops away; keep changing state on instances "
			     "or in locals" },
	{ "call_site_target", "stop swapping the call-site target in the hot path" },
	{ "map", "stabilise types and shapes: build objects with the same properties in the "
		 "same order, do not add properties later, keep each call site monomorphic" },
	{ "type feedback", "warm the code with the types it will see, or keep rarely used "
			   "branches out of the hot function" },
	{ "class_check", "stabilise receiver types: keep each call site monomorphic" },
	{ "Smi", "keep numbers in one representation: small integers or doubles, not both" },
	{ "Number", "keep arguments of one type: numbers stay numbers" },
	{ "heap number", "keep numbers in one representation: small integers or doubles" },
	{ "overflow", "keep integer arithmetic in range, or use doubles from the start" },
	{ "precision", "keep numbers in one representation: small integers or doubles" },
	{ "minus zero", "avoid producing -0 in integer code" },
	{ "out of bounds", "keep array accesses in bounds and arrays dense" },
	{ "hole", "keep arrays dense: no holes, no delete" },
	{ "wrong call target", "keep the callee at each call site the same function" },
	{ "unstable_if", "a branch the compiler assumed never taken is taken: warm it up or "
			 "move it out of the hot method" },
};

const char *findings__deopt_fix(const char *reason, const char *detail)
{
	if (detail && !strcmp(detail, "dependency-change"))
		return deopt_fixes[0].fix;
	for (size_t i = 0; reason && i < sizeof(deopt_fixes) / sizeof(deopt_fixes[0]); i++) {
		if (strstr(reason, deopt_fixes[i].word))
			return deopt_fixes[i].fix;
	}
	return "stabilise types and shapes where the code deoptimizes (the positions above)";
}

const char *findings__abort_fix(const char *reason)
{
	if (reason && strstr(reason, "too long"))
		return "make the traced loop shorter: split its body into functions PyPy can "
		       "trace apart, or raise the limit (pypy --jit trace_limit=N)";
	if (reason && strstr(reason, "quasi-immutable"))
		return "keep eval/exec, class and global writes and other dynamic features out "
		       "of the hot loop: compile the code once outside it";
	return "keep what makes the JIT give up (the reason above) out of the hot loop";
}

int findings__is_tiering_runtime(const char *runtime)
{
	return runtime && !strcmp(runtime, "dotnet");
}

const char *findings__tier0_fix(const char *runtime)
{
	(void)runtime;
	return "hot tier-0 code has not been promoted to tier 1 yet: CoreCLR promotes a "
	       "method after 30 calls (DOTNET_TC_CallCountThreshold) once JIT activity settles "
	       "(DOTNET_TC_CallCountingDelayMs, 100 ms), so profile the steady state, not "
	       "startup; to start in optimized code use ReadyToRun images or "
	       "DOTNET_TieredCompilation=0 (slower startup); DOTNET_TieredPGO=0 skips the "
	       "instrumented tier";
}

const char *findings__osr_note(const char *runtime)
{
	(void)runtime;
	return "OSR code (OptimizedTier1OSR) is a hot loop's method moved to optimized code "
	       "mid-loop; much time there means long-running loops in methods called "
	       "rarely: move the loop into a method of its own so it tiers up normally";
}

const char *findings__interpreter_fix(const char *runtime)
{
	if (findings__is_tiering_runtime(runtime))
		return findings__tier0_fix(runtime);
	if (runtime && !strcmp(runtime, "v8"))
		return "let TurboFan take it: keep it small (V8 does not optimize functions "
		       "with more than 60 KB of bytecode) and free of what makes V8 give up; "
		       "`node --trace-opt` says why it is not optimized";
	if (runtime && !strcmp(runtime, "pypy"))
		return "PyPy's JIT does not cover this time: see the trace aborts below and in "
		       "`tierprof deopts` for functions PyPy gives up tracing (eval/exec in a "
		       "loop, traces too long: split the loop body); libpypy is stripped, so "
		       "interpreter, GC and tracing time are one figure";
	if (runtime && !strcmp(runtime, "hotspot"))
		return "let C2 take it: HotSpot never compiles a method over 8000 bytes of "
		       "bytecode (HugeMethodLimit; split it, or -XX:-DontCompileHugeMethods), "
		       "and leaves methods in the interpreter or C1 after repeated deopts or "
		       "failed compiles (`tierprof deopts`: COMPILE SKIPPED, recompilation "
		       "loops); an unnamed `Interpreter` row is interpreted code tierprof could "
		       "not name (a JVM it did not launch, see its hint)";
	return "let the optimizing compiler take it: keep the function small and its types "
	       "stable, and check the runtime's compilation log for why it stays in a low tier";
}

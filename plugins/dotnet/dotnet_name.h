/* Names CoreCLR gives its code in perf maps and jitdump files
 * (FORMATS.md section 6; src/coreclr/vm/perfmap.cpp):
 *   method  "[static|instance] RET [Assembly] Namespace.Type::Method(ARGS)[Tier]"
 *           with DOTNET_PerfMapShowOptimizationTiers=1; without it, no "[Tier]"
 *   stub    "stub<N> Kind<Owner>" (one per stub) or "stub Kind<Owner>" (grouped)
 * and the ReadyToRun image list perfinfo-PID.map:
 *   "ImageLoad;PATH;MVID;BASE;" per loaded assembly.
 * Pure functions over byte ranges (no NUL needed), libc only; every pointer
 * returned points into the input. */
#ifndef TP_DOTNET_NAME_H
#define TP_DOTNET_NAME_H

#include <stddef.h>
#include <stdint.h>

/* The tier strings of GetJitOptimizationTierStr (exact spelling). */
enum dotnet_tier {
	DOTNET_TIER_NONE = 0,	      /* no suffix: tiers not shown */
	DOTNET_TIER_UNKNOWN,	      /* "Unknown" */
	DOTNET_TIER_MINOPT,	      /* "MinOptJitted": tier 0 by policy or fallback */
	DOTNET_TIER_OPTIMIZED,	      /* "Optimized": fully optimized, no tiering */
	DOTNET_TIER_QUICK,	      /* "QuickJitted": tier 0 */
	DOTNET_TIER_TIER1,	      /* "OptimizedTier1" */
	DOTNET_TIER_TIER1_OSR,	      /* "OptimizedTier1OSR": on-stack replacement */
	DOTNET_TIER_INSTRUMENTED,     /* "InstrumentedTier": tier 0 with PGO probes */
	DOTNET_TIER_INSTRUMENTED_OPT, /* "InstrumentedTierOptimized" */
	DOTNET_TIER_PREJIT,	      /* "PreJIT": ReadyToRun code */
	DOTNET_TIER_PREJIT_COLD,      /* "PreJit-cold": ReadyToRun cold part */
	DOTNET_TIER_OTHER,	      /* a bracketed word this parser does not know */
	DOTNET_TIER__COUNT,
};

enum dotnet_name_kind {
	DOTNET_NAME_METHOD = 1,
	DOTNET_NAME_STUB = 2,
};

struct dotnet_name {
	enum dotnet_name_kind kind;
	enum dotnet_tier tier;
	const char *tier_str; /* the suffix's word ("OptimizedTier1"); 0 length when none */
	size_t tier_len;
	/* METHOD: the name without the tier suffix (what makes a method's
	 * tiers one function), its assembly ("" when absent) and
	 * "Namespace.Type::Method(ARGS)". STUB: sig = method = "Kind<Owner>",
	 * the stub number dropped so that all stubs of a kind are one. */
	const char *sig;
	size_t sig_len;
	const char *assembly;
	size_t assembly_len;
	const char *method;
	size_t method_len;
};

/* Parse one name. Returns 0, or -1 when s is not a CoreCLR method or stub
 * name (a method needs "Type::Method(" and either a tier suffix or an
 * "[Assembly] " before its type). */
int dotnet_name__parse(const char *s, size_t n, struct dotnet_name *out);

/* "QuickJitted", ...; "" for DOTNET_TIER_NONE and DOTNET_TIER_OTHER. */
const char *dotnet_tier__name(enum dotnet_tier t);

/* A tier string (exact, case-sensitive) -> enum; DOTNET_TIER_OTHER if unknown. */
enum dotnet_tier dotnet_tier__from(const char *s, size_t n);

/* One perfinfo-PID.map line that names a loaded image. */
struct dotnet_image {
	const char *path;
	size_t path_len;
	uint64_t base; /* 0 when absent or unreadable */
	size_t line_no;
};

struct dotnet_perfinfo_stats {
	size_t images;	  /* ImageLoad lines reported */
	size_t other;	  /* well-formed lines of other types, skipped */
	size_t bad_lines; /* lines that are not TYPE;...; */
	size_t first_bad_line;
};

/* Walk perfinfo text, calling on_image for every ImageLoad line. Returns 0
 * (bad lines are counted, not fatal) or -1 when nothing in it was a
 * perfinfo line at all. */
int dotnet_perfinfo__parse(const char *text, size_t len,
			   void (*on_image)(void *ctx, const struct dotnet_image *img), void *ctx,
			   struct dotnet_perfinfo_stats *st);

#endif

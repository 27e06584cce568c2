/* Frame -> tier for CoreCLR (FORMATS.md section 6, DESIGN.md section 4):
 *   QuickJitted, MinOptJitted, InstrumentedTier           baseline (tier 0)
 *   OptimizedTier1, Optimized, InstrumentedTierOptimized  optimized
 *   OptimizedTier1OSR                                     optimized, TP_FRAME_OSR
 *   PreJIT, PreJit-cold (ReadyToRun)                      native
 *   stub<N> Kind<Owner>                                   runtime (stubs)
 *   libcoreclr.so, libclrjit.so, libclrgc.so, the host    runtime
 * A method's identity is its full name without the "[Tier]" suffix, so its
 * tiers add up to one function; reports show "Namespace.Type::Method(ARGS)".
 * Code in an image with no perf map entry (ReadyToRun code run from the
 * mapped .dll) is named by its image. */
#include "plugin_probe.h"
#include "dotnet_state.h"
#include "dotnet_name.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void set(struct tp_classification *out, uint32_t tier, const char *subtier, uint32_t flags)
{
	out->tier = tier;
	out->flags = flags;
	snprintf(out->subtier, sizeof(out->subtier), "%s", subtier);
	snprintf(out->runtime, sizeof(out->runtime), "%s", DOTNET_RUNTIME);
}

int dotnet_is_comm(const char *comm)
{
	return comm && (!strcmp(comm, "dotnet") || !strncmp(comm, ".NET ", 5));
}

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcasecmp(s + n - k, suffix);
}

static int is_image(const struct dotnet_state *s, uint32_t pid, const char *dso)
{
	for (size_t i = 0; i < s->nimages; i++) {
		if (s->images[i].pid == pid && !strcmp(s->images[i].path, dso))
			return 1;
	}
	return ends_with_ci(dso, ".dll");
}

static int classify_method(const char *name, struct tp_classification *out)
{
	struct dotnet_name n;
	char word[32];

	if (dotnet_name__parse(name, strlen(name), &n))
		return 0;
	if (n.kind == DOTNET_NAME_STUB) {
		set(out, TP_TIER_RUNTIME, "stub", 0);
		snprintf(out->display_name, sizeof(out->display_name), "stub %.*s",
			 (int)n.method_len, n.method);
		snprintf(out->function_key, sizeof(out->function_key), "[stub] %.*s",
			 (int)n.method_len, n.method);
		return 1;
	}
	snprintf(word, sizeof(word), "%.*s", (int)n.tier_len, n.tier_str);
	switch (n.tier) {
	case DOTNET_TIER_QUICK:
	case DOTNET_TIER_MINOPT:
	case DOTNET_TIER_INSTRUMENTED:
		set(out, TP_TIER_BASELINE, word, 0);
		break;
	case DOTNET_TIER_TIER1:
	case DOTNET_TIER_OPTIMIZED:
	case DOTNET_TIER_INSTRUMENTED_OPT:
		set(out, TP_TIER_OPTIMIZED, word, 0);
		break;
	case DOTNET_TIER_TIER1_OSR:
		set(out, TP_TIER_OPTIMIZED, word, TP_FRAME_OSR);
		break;
	case DOTNET_TIER_PREJIT:
	case DOTNET_TIER_PREJIT_COLD:
		set(out, TP_TIER_NATIVE, "ReadyToRun", 0);
		break;
	case DOTNET_TIER_NONE:
		set(out, TP_TIER_UNKNOWN, "", 0);
		snprintf(out->hint, sizeof(out->hint),
			 ".NET method names without their tier: the runtime ran with "
			 "DOTNET_PerfMapShowOptimizationTiers=0; set it to 1, or let tierprof "
			 "launch the program");
		break;
	case DOTNET_TIER_UNKNOWN:
	case DOTNET_TIER_OTHER:
	case DOTNET_TIER__COUNT:
		set(out, TP_TIER_UNKNOWN, word, 0);
		snprintf(out->hint, sizeof(out->hint),
			 "the runtime named this code's tier \"%s\", which tierprof does not "
			 "map to a tier",
			 word);
		break;
	}
	snprintf(out->function_key, sizeof(out->function_key), "%.*s", (int)n.sig_len, n.sig);
	snprintf(out->display_name, sizeof(out->display_name), "%.*s", (int)n.method_len, n.method);
	return 1;
}

/* The runtime's own native code, by library. */
static int classify_elf(const char *name, const char *dso, struct tp_classification *out)
{
	const char *lib = plugin_base_name(dso);

	if (!strcmp(lib, "libclrjit.so")) {
		set(out, TP_TIER_RUNTIME, "JIT compiler", 0);
	} else if (!strcmp(lib, "libclrgc.so") || !strcmp(lib, "libclrgcexp.so")) {
		set(out, TP_TIER_RUNTIME, "GC", 0);
	} else if (!strcmp(lib, "libcoreclr.so")) {
		if (strstr(name, "gc_heap") || !strncmp(name, "WKS::", 5) ||
		    !strncmp(name, "SVR::", 5) || strstr(name, "GCHeap"))
			set(out, TP_TIER_RUNTIME, "GC", 0);
		else
			set(out, TP_TIER_RUNTIME, "VM", 0);
	} else if (!strcmp(lib, "libhostfxr.so") || !strcmp(lib, "libhostpolicy.so")) {
		set(out, TP_TIER_RUNTIME, "host", 0);
	} else {
		return 0;
	}
	return 1;
}

static int classify_unnamed(struct dotnet_state *s, const struct tp_frame_info *f,
			    struct tp_classification *out)
{
	const char *comm = TP_HAS(f, comm) ? f->comm : NULL;
	const char *cause = TP_HAS(f, unknown_cause) ? f->unknown_cause : NULL;

	if (!f->dso)
		return 0;
	if (strcmp(f->dso, "//anon") && f->dso[0] == '/' && is_image(s, f->pid, f->dso)) {
		/* ReadyToRun code runs from the mapped image, which is not ELF. */
		set(out, TP_TIER_NATIVE, "ReadyToRun", 0);
		snprintf(out->display_name, sizeof(out->display_name), "[%s]",
			 plugin_base_name(f->dso));
		snprintf(out->function_key, sizeof(out->function_key), "[%s]", f->dso);
		return 1;
	}
	if (!dotnet_is_comm(comm) || strcmp(f->dso, "//anon") || !cause)
		return 0;
	set(out, TP_TIER_UNKNOWN, "", 0);
	if (!strcmp(cause, "jit-no-perfmap"))
		snprintf(out->hint, sizeof(out->hint),
			 ".NET JIT code without a perf map: run it with DOTNET_PerfMapEnabled=1 "
			 "DOTNET_PerfMapShowOptimizationTiers=1, or let tierprof launch it "
			 "(tierprof record -- dotnet ...)");
	else
		snprintf(out->hint, sizeof(out->hint),
			 ".NET JIT code its perf map does not cover: perf maps enabled after "
			 "the code was compiled (attach), or a stub the map leaves out "
			 "(DOTNET_PerfMapStubGranularity)");
	return 1;
}

int dotnet_classify(void *state, const struct tp_frame_info *f, struct tp_classification *out)
{
	struct dotnet_state *s = state;

	if (!f->name)
		return classify_unnamed(s, f, out);
	if (f->source == TP_SYM_ELF)
		return f->dso ? classify_elf(f->name, f->dso, out) : 0;
	if (f->source == TP_SYM_PERFMAP || f->source == TP_SYM_JITDUMP ||
	    f->source == TP_SYM_PLUGIN)
		return classify_method(f->name, out);
	return 0;
}

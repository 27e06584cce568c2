/* Where names are missing: [unknown] frames grouped by cause and fix, plus
 * frames a runtime plugin could only name in part (an interpreter frame
 * without its function), each with the fix the core or the plugin knows. */
#ifndef TP_ANALYSIS_GAPS_H
#define TP_ANALYSIS_GAPS_H

#include <stddef.h>
#include <stdint.h>

struct profile;
struct func_table;

struct gap {
	const char *cause; /* "jit-no-perfmap", ..., "partly-named" */
	const char *hint;  /* the fix */
	uint64_t samples;  /* samples with such a frame on the stack */
	uint64_t leaf;	   /* samples with it as the leaf */
};

/* Gaps by samples, descending. Returns the count; free *out. */
size_t gaps__build(const struct profile *p, const struct func_table *t, struct gap **out);

#endif

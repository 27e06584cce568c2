/* libFuzzer target for the tierprof check rules parser (core/analysis/
 * rules.c): parse, and on success check the invariants; on failure the
 * message names the file and a line. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analysis/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules r;
	char err[512];

	err[0] = '\0';
	if (rules__parse(&r, (const char *)data, size, "f.rules", err, sizeof(err))) {
		if (strncmp(err, "f.rules:", 8) || r.n || r.v)
			__builtin_trap();
		return 0;
	}
	if (!r.n)
		__builtin_trap();
	for (size_t i = 0; i < r.n; i++) {
		const struct rule *ru = &r.v[i];

		if (!ru->line || !ru->text || (ru->glob && !*ru->glob) ||
		    (!ru->limit_is_count && (ru->limit < 0 || ru->limit > 1)) ||
		    (i && ru->line <= r.v[i - 1].line) || !rule_kind__name(ru))
			__builtin_trap();
	}
	if (r.stat.confidence < 0.5 || r.stat.confidence >= 1 || r.slices < 2)
		__builtin_trap();
	rules__exit(&r);
	return 0;
}

/* libFuzzer target for the health JSON reader (core/output/health_json.c),
 * the baseline of check and health: read, and on success check the side's
 * invariants (counts within their slices, totals add up). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analysis/diff.h"
#include "output/health.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_side s;
	char err[512];
	uint64_t sum = 0;

	err[0] = '\0';
	if (health_json__parse_side((const char *)data, size, "f.json", NULL, "x/a.data", &s, err,
				    sizeof(err))) {
		if (strncmp(err, "f.json: ", 8))
			__builtin_trap();
		return 0;
	}
	if (s.nslices < 2 || !s.samples)
		__builtin_trap();
	for (unsigned k = 0; k < s.nslices; k++)
		sum += s.slice_n[k];
	if (sum != s.samples)
		__builtin_trap();
	for (size_t i = 0; i < s.nitems; i++) {
		uint64_t t = 0;

		for (unsigned k = 0; k < s.nslices; k++) {
			if (s.items[i].counts[k] > s.slice_n[k])
				__builtin_trap();
			t += s.items[i].counts[k];
		}
		if (t != s.items[i].total ||
		    (s.items[i].kind != DIFF_ITEM_LEAF_TIER && !s.items[i].func))
			__builtin_trap();
	}
	diff_side__exit(&s);
	return 0;
}

/* libFuzzer target for the /proc/PID/maps parser. */
#include "proc/maps.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_maps m;
	size_t lines = 1, sum = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (proc_maps__parse((const char *)data, size, &m) == 0) {
		/* What the parser promises, checked on every input. */
		if (m.n + m.bad_lines > lines || (m.bad_lines && !m.first_bad_line) ||
		    m.first_bad_line > lines)
			abort();
		for (size_t i = 0; i < m.n; i++) {
			const struct proc_map *p = &m.maps[i];

			if (p->start >= p->end || !p->path)
				abort();
			sum += strlen(p->path);
		}
		if (sum > size)
			abort(); /* paths are pieces of the input */
	} else if (size == 0 || m.n || m.maps || m.strings) {
		abort();
	}
	proc_maps__free(&m);
	return 0;
}

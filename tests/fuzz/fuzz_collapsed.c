/* libFuzzer target for core/capture/collapsed.c: every frame points into
 * the input and holds no ';' or newline, annotations are the five known
 * ones, counts add up to the total, and an error names a line of the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture/collapsed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	const char *lo, *hi;
	uint64_t total;
	size_t stacks, last_line;
};

static volatile unsigned char sink;

static int on_stack(void *arg, const struct collapsed_frame *frames, size_t n, uint64_t count,
		    size_t line_no)
{
	struct ctx *c = arg;

	if (!n || n > COLLAPSED_MAX_DEPTH || count > COLLAPSED_MAX_COUNT || line_no <= c->last_line)
		__builtin_trap();
	c->last_line = line_no;
	for (size_t i = 0; i < n; i++) {
		const struct collapsed_frame *f = &frames[i];

		if (f->name < c->lo || f->len > (size_t)(c->hi - f->name) ||
		    memchr(f->name, ';', f->len) || memchr(f->name, '\n', f->len))
			__builtin_trap();
		if (f->ann && !strchr("01jik", f->ann))
			__builtin_trap();
		for (size_t k = 0; k < f->len; k++)
			sink ^= (unsigned char)f->name[k];
	}
	c->total += count;
	c->stacks++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { .lo = (const char *)data, .hi = (const char *)data + size };
	struct collapsed_stats st;
	int ret = collapsed__parse((const char *)data, size, on_stack, &c, &st);

	if (ret) {
		if (!st.error_line || st.error_line > st.lines || !st.error[0])
			__builtin_trap();
	} else if (st.error_line || c.stacks != st.stacks || c.total != st.total) {
		__builtin_trap();
	}
	return 0;
}

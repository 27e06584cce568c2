/* libFuzzer target for core/symbol/perfmap.c, and jitmap.c behind it: parse,
 * check what each entry looks like, load a jitmap with the line number as
 * the time (the order the runtime wrote the lines), and check lookups
 * against the rule of jitmap.h by brute force. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symbol/jitmap.h"
#include "symbol/perfmap.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	const char *text;
	size_t len;
	struct jitmap *m;
	size_t last_line;
};

static void on_entry(void *p, uint64_t start, uint64_t size, const char *name, size_t name_len,
		     size_t line_no)
{
	struct ctx *c = p;
	uint64_t end;

	if (!name_len || name < c->text || name + name_len > c->text + c->len ||
	    memchr(name, '\0', name_len) || memchr(name, '\n', name_len) ||
	    __builtin_add_overflow(start, size, &end) || line_no <= c->last_line)
		__builtin_trap();
	c->last_line = line_no;
	jitmap__add_len(c->m, start, size, name, name_len, line_no);
}

static const struct jit_entry *oracle(const struct jitmap *m, uint64_t addr, uint64_t t)
{
	const struct jit_entry *best = NULL, *first = NULL;

	for (size_t i = 0; i < jitmap__count(m); i++) {
		const struct jit_entry *e = jitmap__at(m, i);

		if (!e->size || addr < e->start || addr - e->start >= e->size)
			continue;
		if (e->time_ns <= t && (!best || e->time_ns >= best->time_ns))
			best = e;
		if (!first || e->time_ns < first->time_ns)
			first = e;
	}
	return best ? best : first;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { .text = (const char *)data, .len = size, .m = jitmap__new() };
	struct perfmap_stats st;
	int ret;

	ret = perfmap__parse(c.text, size, on_entry, &c, &st);
	if (st.entries + st.bad_lines > st.lines || (st.bad_lines && !st.first_bad_line) ||
	    st.zero_size > st.entries || st.entries != jitmap__count(c.m) ||
	    (ret && (ret != TP_ERR_BAD_FORMAT || st.entries)))
		__builtin_trap();
	jitmap__finalize(c.m);
	for (size_t i = 0; i < jitmap__count(c.m); i++) {
		const struct jit_entry *e = jitmap__at(c.m, i);
		uint64_t probes[] = { e->start, e->start + e->size / 2, e->start + e->size - 1 };

		/* Lines have distinct times: at its own time an entry owns its range. */
		if (e->size && jitmap__find(c.m, e->start, e->time_ns) != e)
			__builtin_trap();
		if (jitmap__count(c.m) > 48)
			continue;
		for (size_t a = 0; a < 3; a++) {
			if (jitmap__find(c.m, probes[a], 0) != oracle(c.m, probes[a], 0) ||
			    jitmap__find(c.m, probes[a], e->time_ns - 1) !=
				    oracle(c.m, probes[a], e->time_ns - 1) ||
			    jitmap__find(c.m, probes[a], UINT64_MAX) !=
				    oracle(c.m, probes[a], UINT64_MAX))
				__builtin_trap();
		}
	}
	jitmap__delete(c.m);
	return 0;
}

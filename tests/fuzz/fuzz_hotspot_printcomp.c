/* libFuzzer target for plugins/hotspot/hs_printcomp.c: parse the input as
 * PrintCompilation output, touch every string handed to the callback, check
 * each line's invariants and the stats, parse again without a callback and
 * expect the same stats, and stop early through the callback's value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hs_printcomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct ctx {
	size_t calls, stop_at;
	unsigned last_line;
	const char *buf;
	size_t size;
};

static void within(const struct ctx *c, const char *p, size_t n)
{
	if (n && (!p || p < c->buf || p + n > c->buf + c->size))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static int on_line(void *p, const struct hs_pc_line *l)
{
	struct ctx *c = p;

	within(c, l->method, l->method_len);
	within(c, l->why, l->why_len);
	if (!l->method_len || !memchr(l->method, ':', l->method_len) || l->level < -1 ||
	    l->level > 4 || l->flags > 31 || l->bytes < -1 || l->osr_bci < -1 ||
	    l->msg > HS_PC_MSG_OTHER || !l->line_no || l->line_no <= c->last_line ||
	    (l->mono_ns && !l->has_uptime))
		__builtin_trap();
	c->last_line = l->line_no;
	return ++c->calls == c->stop_at ? 9 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ctx c = { .buf = buf, .size = size };
	struct hs_pc_stats st, again;

	if (hs_pc__parse(buf, size, on_line, &c, &st) != 0)
		__builtin_trap();
	if (c.calls != st.compiles + st.not_entrant + st.skipped + st.other_msgs ||
	    c.calls + st.other_lines != st.lines || st.lines > size + 1)
		__builtin_trap();
	if (hs_pc__parse(buf, size, NULL, NULL, &again) != 0 || st.lines != again.lines ||
	    st.compiles != again.compiles || st.not_entrant != again.not_entrant ||
	    st.skipped != again.skipped || st.other_msgs != again.other_msgs ||
	    st.other_lines != again.other_lines || st.truncated != again.truncated)
		__builtin_trap();
	if (c.calls) {
		struct ctx half = { .buf = buf, .size = size, .stop_at = (c.calls + 1) / 2 };

		if (hs_pc__parse(buf, size, on_line, &half, NULL) != 9 ||
		    half.calls != half.stop_at)
			__builtin_trap();
	}
	return 0;
}

/* libFuzzer target for plugins/v8/v8_trace.c: parse the input as
 * --trace-opt/--trace-deopt text, touch every string of every event, check
 * that each points into the input (or is the empty default), that events come
 * in line order, the stats, and stopping through the callback's value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "v8_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct ctx {
	const char *lo, *hi;
	size_t calls, stop_at;
	unsigned last_line;
};

static void check_str(const struct ctx *c, const char *p, size_t n, int may_be_null)
{
	if (!p) {
		if (!may_be_null || n)
			__builtin_trap();
		return;
	}
	if (n && (p < c->lo || n > (size_t)(c->hi - p)))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static int on_event(void *p, const struct v8_trace_event *ev)
{
	struct ctx *c = p;

	if (ev->kind < V8_TRACE_MARK || ev->kind > V8_TRACE_OSR || !ev->line_no ||
	    ev->line_no < c->last_line || ev->opt_id < -1 || (ev->osr != 0 && ev->osr != 1))
		__builtin_trap();
	c->last_line = ev->line_no;
	check_str(c, ev->function, ev->function_len, 0);
	check_str(c, ev->target, ev->target_len, 0);
	check_str(c, ev->reason, ev->reason_len, 0);
	check_str(c, ev->deopt_kind, ev->deopt_kind_len, 1);
	check_str(c, ev->position, ev->position_len, 1);
	check_str(c, ev->inlined_at, ev->inlined_at_len, 1);
	check_str(c, ev->mode, ev->mode_len, 0);
	check_str(c, ev->verb, ev->verb_len, 0);
	if (ev->position && ev->kind != V8_TRACE_BAILOUT)
		__builtin_trap();
	return ++c->calls == c->stop_at ? 5 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ctx c = { .lo = buf, .hi = buf + size };
	struct v8_trace_stats st, again;

	if (v8_trace__parse(buf, size, on_event, &c, &st) != 0)
		__builtin_trap();
	if (c.calls != st.events || st.events + st.bad_lines > st.lines ||
	    (st.bad_lines && (!st.first_bad_line || !st.first_bad_why[0])) ||
	    st.first_bad_line > st.lines || c.last_line > st.lines ||
	    !memchr(st.first_bad_why, '\0', sizeof(st.first_bad_why)))
		__builtin_trap();
	if (v8_trace__parse(buf, size, NULL, NULL, &again) != 0 || memcmp(&st, &again, sizeof(st)))
		__builtin_trap();
	if (c.calls) {
		struct ctx half = { .lo = buf, .hi = buf + size, .stop_at = (c.calls + 1) / 2 };

		if (v8_trace__parse(buf, size, on_event, &half, &again) != 5 ||
		    half.calls != half.stop_at)
			__builtin_trap();
	}
	return 0;
}

/* libFuzzer target for plugins/v8/v8_log.c (and v8_name.c behind it):
 * parse the input as a V8 log, touch every string handed to a callback,
 * check the record invariants and the stats, run every code-creation name
 * through the name parser, parse again and expect the same stats, and stop
 * early through a callback's return value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "v8_log.h"
#include "v8_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct ctx {
	size_t calls, stop_at;
	unsigned last_line;
};

static void touch(const char *p, size_t n)
{
	if (n && !p)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static int next(struct ctx *c, unsigned line_no)
{
	if (!line_no || line_no <= c->last_line)
		__builtin_trap();
	c->last_line = line_no;
	return ++c->calls == c->stop_at ? 7 : 0;
}

static int on_creation(void *p, const struct v8_log_code_creation *cc)
{
	struct v8_name n;

	touch(cc->type, cc->type_len);
	touch(cc->name, cc->name_len);
	if (!cc->type_len || cc->kind < -1 || (cc->marker && !strchr("~^+*", cc->marker)))
		__builtin_trap();
	if (!v8_name__parse_log(cc->type, cc->type_len, cc->marker, cc->name, cc->name_len, &n)) {
		touch(n.func, n.func_len);
		touch(n.script, n.script_len);
		if (n.rest != cc->name || n.rest_len > cc->name_len)
			__builtin_trap();
	}
	return next(p, cc->line_no);
}

static int on_deopt(void *p, const struct v8_log_code_deopt *d)
{
	touch(d->bailout, d->bailout_len);
	touch(d->position, d->position_len);
	touch(d->inlined_at, d->inlined_at_len);
	touch(d->reason, d->reason_len);
	if (!d->bailout_len || !d->position || d->inlining_id < -1 ||
	    (!d->inlined_at && d->inlined_at_len))
		__builtin_trap();
	return next(p, d->line_no);
}

static int on_move(void *p, const struct v8_log_code_move *m)
{
	return next(p, m->line_no);
}

static int on_delete(void *p, const struct v8_log_code_delete *d)
{
	return next(p, d->line_no);
}

static void check_stats(const struct v8_log_stats *st, int ret)
{
	size_t sum = st->code_creations + st->code_deopts + st->code_moves + st->code_deletes;

	if (sum + st->other_lines + st->bad_lines > st->lines ||
	    (st->bad_lines && (!st->first_bad_line || !st->first_bad_why[0])) ||
	    (!st->bad_lines && st->first_bad_line) || st->first_bad_line > st->lines ||
	    !memchr(st->first_bad_why, '\0', sizeof(st->first_bad_why)) ||
	    !memchr(st->v8_version, '\0', sizeof(st->v8_version)) ||
	    (ret == -1 && (sum || st->looks_like_v8_log)) ||
	    (ret != -1 && sum && !st->looks_like_v8_log))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct v8_log_callbacks cb = { on_creation, on_deopt, on_move, on_delete };
	const char *buf = (const char *)data;
	struct ctx c = { 0 };
	struct v8_log_stats st, again;
	int ret;

	ret = v8_log__parse(buf, size, &cb, &c, &st);
	if (ret != 0 && ret != -1)
		__builtin_trap();
	check_stats(&st, ret);
	if (c.calls != st.code_creations + st.code_deopts + st.code_moves + st.code_deletes)
		__builtin_trap();
	/* Same input, no callbacks: same figures. */
	if (v8_log__parse(buf, size, NULL, NULL, &again) != ret || memcmp(&st, &again, sizeof(st)))
		__builtin_trap();
	/* Stop halfway: the callback's value comes back, nothing after it. */
	if (c.calls) {
		struct ctx half = { .stop_at = (c.calls + 1) / 2 };

		if (v8_log__parse(buf, size, &cb, &half, &again) != 7 || half.calls != half.stop_at)
			__builtin_trap();
	}
	return 0;
}

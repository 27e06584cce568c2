/* Parser of V8 --trace-opt / --trace-deopt / --trace-osr text (v8_trace.h). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "v8_trace.h"

#define NPOS ((size_t)-1)

/* What is left of the line being parsed. */
struct cur {
	const char *s;
	size_t n;
};

struct parser {
	int (*cb)(void *ctx, const struct v8_trace_event *ev);
	void *ctx;
	struct v8_trace_stats *st;
	struct v8_trace_event pending; /* a bailout waiting for its verbose lines */
	int has_pending;
	unsigned line_no;
};

static size_t find(const struct cur *c, const char *lit)
{
	size_t m = strlen(lit);

	for (size_t i = 0; i + m <= c->n; i++) {
		if (c->s[i] == lit[0] && !memcmp(c->s + i, lit, m))
			return i;
	}
	return NPOS;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	return n >= m && !memcmp(s, lit, m);
}

static int eat(struct cur *c, const char *lit)
{
	size_t m = strlen(lit);

	if (c->n < m || memcmp(c->s, lit, m))
		return 0;
	c->s += m;
	c->n -= m;
	return 1;
}

static void skip(struct cur *c, size_t k)
{
	c->s += k;
	c->n -= k;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "0x" + 1..n hex digits that fit 64 bits. */
static int eat_hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 2;

	if (c->n < 3 || c->s[0] != '0' || c->s[1] != 'x' || hexval(c->s[2]) < 0)
		return -1;
	for (; i < c->n && hexval(c->s[i]) >= 0; i++) {
		if (x >> 60)
			return -1;
		x = x << 4 | (uint64_t)hexval(c->s[i]);
	}
	skip(c, i);
	*v = x;
	return 0;
}

/* An optionally negative decimal that fits an int. */
static int eat_int(struct cur *c, int *v)
{
	long long x = 0;
	size_t i = c->n && c->s[0] == '-';
	size_t first = i;

	for (; i < c->n && c->s[i] >= '0' && c->s[i] <= '9'; i++) {
		x = x * 10 + (c->s[i] - '0');
		if (x > (long long)INT_MAX + 1)
			return -1;
	}
	if (i == first || (!first && x > INT_MAX))
		return -1;
	*v = (int)(first ? -x : x);
	skip(c, i);
	return 0;
}

/* A non-negative int: opt ids and deopt exits, where -1 means absent. */
static int eat_count(struct cur *c, int *v)
{
	return c->n && c->s[0] == '-' ? -1 : eat_int(c, v);
}

/* The text up to lit (excluded), consumed together with lit. */
static int take_until(struct cur *c, const char *lit, const char **s, size_t *n)
{
	size_t i = find(c, lit);

	if (i == NPOS)
		return -1;
	*s = c->s;
	*n = i;
	skip(c, i + strlen(lit));
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (*s)[0] == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n && (*s)[*n - 1] == ' ')
		(*n)--;
}

/* "<JSFunction NAME (sfi = ADDR)>", "<JSFunction (sfi = ADDR)>", or, before
 * V8 7, "<JSFunction NAME>". */
static int eat_jsfunction(struct cur *c, struct v8_trace_event *ev)
{
	size_t i;

	if (!eat(c, "<JSFunction"))
		return -1;
	i = find(c, "(sfi = ");
	if (i != NPOS) {
		ev->function = c->s;
		ev->function_len = i;
		skip(c, i + 7);
		if (eat_hex(c, &ev->sfi) || !eat(c, ")>"))
			return -1;
	} else {
		i = find(c, ">");
		if (i == NPOS)
			return -1;
		ev->function = c->s;
		ev->function_len = i;
		skip(c, i + 1);
	}
	trim(&ev->function, &ev->function_len);
	return 0;
}

/* "ADDR <JSFunction ...>": the function of most templates. */
static int eat_function(struct cur *c, struct v8_trace_event *ev)
{
	return eat_hex(c, &ev->function_addr) || !eat(c, " ") || eat_jsfunction(c, ev) ? -1 : 0;
}

/* " (target T)" (V8 >= 10) or " using T" (older), then " OSR". */
static int eat_target(struct cur *c, struct v8_trace_event *ev)
{
	if (eat(c, " (target ")) {
		if (take_until(c, ")", &ev->target, &ev->target_len))
			return -1;
	} else if (eat(c, " using ")) {
		size_t i = 0;

		while (i < c->n && c->s[i] != ' ' && c->s[i] != ',')
			i++;
		ev->target = c->s;
		ev->target_len = i;
		skip(c, i);
	}
	if (eat(c, " OSR"))
		ev->osr = 1;
	return 0;
}

static int parse_mark(struct cur *c, struct v8_trace_event *ev)
{
	size_t i;

	ev->kind = V8_TRACE_MARK;
	if (eat_function(c, ev) || !eat(c, " for "))
		return -1;
	if (eat(c, "optimization to ")) {
		i = 0;
		while (i < c->n && c->s[i] != ',')
			i++;
		ev->target = c->s;
		ev->target_len = i;
		skip(c, i);
		if (eat(c, ", ") && !starts(c->s, c->n, "reason: ")) {
			i = find(c, ",");
			ev->mode = c->s;
			ev->mode_len = i == NPOS ? c->n : i;
			skip(c, ev->mode_len);
			eat(c, ", ");
		}
	}
	i = find(c, "reason: ");
	if (i != NPOS) {
		ev->reason = c->s + i + 8;
		ev->reason_len = c->n - i - 8;
	}
	return 0;
}

static int parse_compile(struct cur *c, struct v8_trace_event *ev)
{
	ev->kind = V8_TRACE_COMPILE_START;
	if (eat_function(c, ev) || eat_target(c, ev))
		return -1;
	if (eat(c, ", mode: ")) {
		ev->mode = c->s;
		ev->mode_len = c->n;
	}
	return 0;
}

static int parse_done(struct cur *c, struct v8_trace_event *ev)
{
	ev->kind = V8_TRACE_COMPILE_DONE;
	if (eat_function(c, ev) || eat_target(c, ev))
		return -1;
	/* The rest is " - took A, B, C ms" or nothing. */
	return c->n && !eat(c, " - took ") ? -1 : 0;
}

static int parse_abort(struct cur *c, struct v8_trace_event *ev)
{
	size_t i;

	ev->kind = V8_TRACE_COMPILE_ABORT;
	if (eat_function(c, ev) || eat_target(c, ev) || !eat(c, " because: "))
		return -1;
	i = find(c, " - took ");
	ev->reason = c->s;
	ev->reason_len = i == NPOS ? c->n : i;
	return 0;
}

/* The ", "-separated tail of a V8 >= 9 bailout line. */
static int parse_bailout_fields(struct cur *c, struct v8_trace_event *ev)
{
	while (c->n) {
		int dummy;

		if (!eat(c, ", "))
			return -1;
		if (starts(c->s, c->n, "0x")) {
			if (eat_hex(c, &ev->code_addr) || !eat(c, " <Code") ||
			    take_until(c, ">", &ev->target, &ev->target_len))
				return -1;
			trim(&ev->target, &ev->target_len);
		} else if (eat(c, "opt id ")) {
			if (eat_count(c, &ev->opt_id))
				return -1;
		} else if (eat(c, "bytecode offset ")) {
			if (eat_int(c, &ev->bytecode_offset))
				return -1;
		} else if (eat(c, "deopt exit ")) {
			if (eat_count(c, &ev->deopt_exit))
				return -1;
		} else if (eat(c, "FP to SP delta ")) {
			if (eat_int(c, &dummy))
				return -1;
		} else if (eat(c, "pc ")) {
			if (eat_hex(c, &ev->pc))
				return -1;
		} else {
			/* "caller SP ..." and fields of later versions. */
			size_t i = find(c, ", ");

			skip(c, i == NPOS ? c->n : i);
		}
	}
	return 0;
}

static int parse_bailout(struct cur *c, struct v8_trace_event *ev)
{
	ev->kind = V8_TRACE_BAILOUT;
	if (take_until(c, ", reason: ", &ev->deopt_kind, &ev->deopt_kind_len) ||
	    take_until(c, "): begin. deoptimizing ", &ev->reason, &ev->reason_len) ||
	    eat_function(c, ev))
		return -1;
	return parse_bailout_fields(c, ev);
}

/* V8 <= 8: "(DEOPT K): begin ADDR F (opt #N) @N, FP to SP delta: N[, caller sp: ADDR]". */
static int parse_deoptimizing(struct cur *c, struct v8_trace_event *ev)
{
	size_t i;

	ev->kind = V8_TRACE_BAILOUT;
	if (take_until(c, "): begin ", &ev->deopt_kind, &ev->deopt_kind_len) ||
	    eat_hex(c, &ev->function_addr) || !eat(c, " "))
		return -1;
	if (starts(c->s, c->n, "<JSFunction")) {
		if (eat_jsfunction(c, ev))
			return -1;
	} else {
		/* Crankshaft prints the bare name, which may hold dots and spaces. */
		i = find(c, " (opt #");
		if (i == NPOS)
			return -1;
		ev->function = c->s;
		ev->function_len = i;
		skip(c, i);
	}
	if (!eat(c, " (opt #") || eat_count(c, &ev->opt_id) || !eat(c, ")"))
		return -1;
	if (eat(c, " @") && eat_count(c, &ev->deopt_exit))
		return -1;
	return 0;
}

/* "ADDR <Code T> (ADDR <SharedFunctionInfo F>) (opt id N) for deoptimization,
 * reason: G"; V8 <= 9 lacks the Code and SharedFunctionInfo parts. */
static int parse_dependency(struct cur *c, struct v8_trace_event *ev)
{
	size_t i;

	ev->kind = V8_TRACE_DEPENDENCY;
	if (eat_hex(c, &ev->code_addr))
		return -1;
	if (eat(c, " <Code")) {
		if (take_until(c, ">", &ev->target, &ev->target_len))
			return -1;
		trim(&ev->target, &ev->target_len);
	}
	if (starts(c->s, c->n, " (0x")) {
		skip(c, 2);
		if (eat_hex(c, &ev->sfi) || !eat(c, " <SharedFunctionInfo") ||
		    take_until(c, ">)", &ev->function, &ev->function_len))
			return -1;
		trim(&ev->function, &ev->function_len);
	}
	if (eat(c, " (opt id ") || eat(c, " (opt #")) {
		if (eat_count(c, &ev->opt_id) || !eat(c, ")"))
			return -1;
	}
	if (!eat(c, " for deoptimization"))
		return -1;
	i = find(c, "reason: ");
	if (i != NPOS) {
		ev->reason = c->s + i + 8;
		ev->reason_len = c->n - i - 8;
	}
	return 0;
}

/* "(R) for <SharedFunctionInfo F>" (or <JSFunction ...>, or a bare name). */
static int parse_evict(struct cur *c, struct v8_trace_event *ev)
{
	ev->kind = V8_TRACE_EVICT;
	if (!eat(c, "(") || take_until(c, ") for ", &ev->reason, &ev->reason_len))
		return -1;
	if (starts(c->s, c->n, "<JSFunction"))
		return eat_jsfunction(c, ev);
	if (eat(c, "<SharedFunctionInfo")) {
		if (!c->n || c->s[c->n - 1] != '>')
			return -1;
		c->n--;
	}
	ev->function = c->s;
	ev->function_len = c->n;
	trim(&ev->function, &ev->function_len);
	return 0;
}

/* "WHAT. function: F, osr offset: N, mode: M" and variants. */
static int parse_osr(struct cur *c, struct v8_trace_event *ev)
{
	size_t i = find(c, ". function: ");

	ev->kind = V8_TRACE_OSR;
	ev->osr = 1;
	if (i == NPOS) {
		ev->verb = c->s;
		ev->verb_len = c->n;
		return 0;
	}
	ev->verb = c->s;
	ev->verb_len = i;
	skip(c, i + 12);
	i = find(c, ", ");
	ev->function = c->s;
	ev->function_len = i == NPOS ? c->n : i;
	skip(c, ev->function_len);
	while (eat(c, ", ")) {
		if (eat(c, "osr offset: ")) {
			if (eat_int(c, &ev->bytecode_offset))
				return -1;
		} else if (eat(c, "mode: ")) {
			i = find(c, ", ");
			ev->mode = c->s;
			ev->mode_len = i == NPOS ? c->n : i;
			skip(c, ev->mode_len);
		} else {
			i = find(c, ", ");
			skip(c, i == NPOS ? c->n : i);
		}
	}
	return c->n ? -1 : 0;
}

struct template
{
	const char *prefix, *name;
	int (*parse)(struct cur * c, struct v8_trace_event * ev);
	const char *verb; /* COMPILE_DONE: the word after "[completed " */
};

/* Longest prefix first where one extends another. */
static const struct template templates[] = {
	{ "[marking dependent code ", "marking dependent code", parse_dependency, NULL },
	{ "[marking ", "marking", parse_mark, NULL },
	{ "[compiling method ", "compiling method", parse_compile, NULL },
	{ "[completed compiling ", "completed compiling", parse_done, "compiling" },
	{ "[completed optimizing ", "completed optimizing", parse_done, "optimizing" },
	{ "[aborted optimizing ", "aborted optimizing", parse_abort, NULL },
	{ "[bailout (kind: ", "bailout", parse_bailout, NULL },
	{ "[deoptimizing (DEOPT ", "deoptimizing", parse_deoptimizing, NULL },
	{ "[evicting optimized code marked for deoptimization ", "evicting", parse_evict, NULL },
	{ "[evicting entry from optimizing code feedback slot ", "evicting", parse_evict, NULL },
	{ "[OSR - ", "OSR", parse_osr, NULL },
};

static void bad(struct parser *p, const char *what, const char *why)
{
	struct v8_trace_stats *st = p->st;

	st->bad_lines++;
	if (!st->first_bad_line) {
		st->first_bad_line = p->line_no;
		snprintf(st->first_bad_why, sizeof(st->first_bad_why), "%s: %s", what, why);
	}
}

static int report(struct parser *p, const struct v8_trace_event *ev)
{
	p->st->events++;
	return p->cb ? p->cb(p->ctx, ev) : 0;
}

static int flush(struct parser *p)
{
	if (!p->has_pending)
		return 0;
	p->has_pending = 0;
	return report(p, &p->pending);
}

/* ";;; deoptimize at <pos>[ inlined at <pos>...][, REASON]" for the pending
 * bailout. */
static void fill_position(struct parser *p, const char *s, size_t n)
{
	struct v8_trace_event *ev = &p->pending;
	struct cur c = { s, n };
	size_t end = n, i;

	while (end && s[end - 1] != '>')
		end--;
	if (ev->position || !end || s[0] != '<')
		return;
	c.n = end - 1;
	skip(&c, 1);
	i = find(&c, "> inlined at <");
	ev->position = c.s;
	ev->position_len = i == NPOS ? c.n : i;
	if (i != NPOS) {
		skip(&c, i + 14);
		i = find(&c, "> inlined at <");
		ev->inlined_at = c.s;
		ev->inlined_at_len = i == NPOS ? c.n : i;
	}
	/* V8 <= 8 appends the reason here instead of in the bailout line. */
	if (!ev->reason_len && n - end > 2 && s[end] == ',' && s[end + 1] == ' ') {
		ev->reason = s + end + 2;
		ev->reason_len = n - end - 2;
	}
}

static void init_event(struct v8_trace_event *ev, unsigned line_no)
{
	memset(ev, 0, sizeof(*ev));
	ev->function = ev->target = ev->reason = ev->deopt_kind = ev->mode = ev->verb = "";
	ev->opt_id = ev->bytecode_offset = ev->deopt_exit = -1;
	ev->line_no = line_no;
}

static int parse_line(struct parser *p, const char *line, size_t n)
{
	const char *s = line;
	size_t k = n;
	int indented = n && (line[0] == ' ' || line[0] == '\t');
	const struct template *t = NULL;
	struct v8_trace_event ev;
	struct cur c;
	int ret;

	while (k && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		k--;
	}
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		if (starts(s, k, templates[i].prefix)) {
			t = &templates[i];
			break;
		}
	}
	if (!t) {
		if (!p->has_pending)
			return 0;
		if (starts(s, k, ";;; deoptimize at ")) {
			fill_position(p, s + 18, k - 18);
			return 0;
		}
		/* The end of a verbose bailout block. */
		if (starts(s, k, "[bailout end") ||
		    (starts(s, k, "[deoptimizing (") &&
		     find(&(struct cur){ s, k }, "): end ") != NPOS))
			return flush(p);
		if (indented || !k || starts(s, k, ";;; ") || starts(s, k, "reading input frame") ||
		    starts(s, k, "translating "))
			return 0;
		return flush(p);
	}
	ret = flush(p);
	if (ret)
		return ret;
	if (!k || s[k - 1] != ']') {
		bad(p, t->name, "no closing ]");
		return 0;
	}
	init_event(&ev, p->line_no);
	if (t->verb) {
		/* The word after "[completed ", in the input like every string. */
		ev.verb = s + 11;
		ev.verb_len = strlen(t->verb);
	}
	c.s = s + strlen(t->prefix);
	c.n = k - strlen(t->prefix) - 1;
	if (t->parse(&c, &ev)) {
		bad(p, t->name, "does not match the template");
		return 0;
	}
	if (ev.kind == V8_TRACE_BAILOUT) {
		p->pending = ev;
		p->has_pending = 1;
		return 0;
	}
	return report(p, &ev);
}

int v8_trace__parse(const char *buf, size_t len,
		    int (*cb)(void *ctx, const struct v8_trace_event *ev), void *ctx,
		    struct v8_trace_stats *st)
{
	struct v8_trace_stats local;
	struct parser p = { .cb = cb, .ctx = ctx };
	size_t off = 0;
	int ret;

	p.st = st ? st : &local;
	memset(p.st, 0, sizeof(*p.st));
	while (off < len) {
		const char *line = buf + off, *nl = memchr(line, '\n', len - off);
		size_t n = nl ? (size_t)(nl - line) : len - off;

		off += n + (nl != NULL);
		if (!nl) {
			/* Cut mid-line (process killed): the fields would lie. */
			p.st->truncated = 1;
			break;
		}
		if (p.line_no < UINT_MAX)
			p.line_no++;
		p.st->lines++;
		if (n && line[n - 1] == '\r')
			n--;
		ret = parse_line(&p, line, n);
		if (ret)
			return ret;
	}
	return flush(&p);
}

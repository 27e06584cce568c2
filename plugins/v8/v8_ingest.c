/* Side files -> events. A V8 log (--log-deopt --log-code --logfile) gives
 * code-creation per tier and code-deopt with kind, reason and position, on
 * the isolate's own clock (microseconds since its logger started). That clock
 * is put on CLOCK_MONOTONIC through the perf map: each line of it was first
 * seen between two reads whose times the capture holds, and the same code
 * appears in the log with its log time, so every pair bounds the offset.
 * --trace-opt / --trace-deopt text has no times and no positions of
 * functions; its events are joined to functions by SharedFunctionInfo
 * address or by a name only one function has. */
#include "v8_log.h"
#include "v8_state.h"
#include "v8_trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct v8_proc *v8_state__proc(struct v8_state *s, uint32_t pid)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	}
	if (s->nprocs == s->procs_cap) {
		size_t cap = s->procs_cap ? s->procs_cap * 2 : 8;
		struct v8_proc *p = realloc(s->procs, cap * sizeof(*p));

		if (!p)
			return NULL;
		s->procs = p;
		s->procs_cap = cap;
	}
	memset(&s->procs[s->nprocs], 0, sizeof(s->procs[0]));
	s->procs[s->nprocs].pid = pid;
	return &s->procs[s->nprocs++];
}

static uint64_t code_hash(uint64_t start, const char *name, size_t len)
{
	return plugin_hash(name, len) ^ (start * 0x9e3779b97f4a7c15ull);
}

/* --- perf map chunks: when each line appeared --- */

static void note_map_line(struct v8_proc *p, uint64_t start, const char *name, size_t len,
			  uint64_t read_ns)
{
	uint64_t h = code_hash(start, name, len), idx;

	if (plugin_u64map__get(&p->windows, h, &idx))
		return; /* the first sighting bounds best */
	if (p->nwin == p->win_cap) {
		size_t cap = p->win_cap ? p->win_cap * 2 : 1024;
		struct v8_map_window *w = realloc(p->win, cap * sizeof(*w));

		if (!w)
			return;
		p->win = w;
		p->win_cap = cap;
	}
	p->win[p->nwin] = (struct v8_map_window){ .prev_ns = p->last_read_ns,
						  .read_ns = read_ns,
						  .name_hash = h };
	if (plugin_u64map__put(&p->windows, h, p->nwin) == 0)
		p->nwin++;
}

static int parse_hex(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int n = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; p < end && n < 17; p++, n++) {
		int d = *p >= '0' && *p <= '9'	 ? *p - '0'
			: *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
			: *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
						 : -1;
		if (d < 0)
			break;
		x = x << 4 | (uint64_t)d;
	}
	if (!n || n > 16)
		return -1;
	*v = x;
	*s = p;
	return 0;
}

static void ingest_perfmap(struct v8_state *s, const struct tp_side_file *f)
{
	struct v8_proc *p = v8_state__proc(s, f->pid);
	const char *c = (const char *)f->data, *end = c + f->len;

	if (!p)
		return;
	while (c < end) {
		const char *nl = memchr(c, '\n', (size_t)(end - c)), *eol = nl ? nl : end;
		uint64_t start, size;
		const char *q = c;

		/* Only JS code matters for the clock; builtins sit at time 0. */
		if (!parse_hex(&q, eol, &start) && q < eol && *q++ == ' ' &&
		    !parse_hex(&q, eol, &size) && q < eol && *q++ == ' ' &&
		    (eol - q > 3 && (!memcmp(q, "JS:", 3) || !memcmp(q, "Eval:", 5))))
			note_map_line(p, start, q, (size_t)(eol - q), f->time_ns);
		c = eol + (nl ? 1 : 0);
	}
	p->last_read_ns = f->time_ns;
}

/* --- V8 log --- */

struct code {
	char *key;
	uint32_t tier;
};

struct log_ctx {
	struct v8_state *s;
	struct v8_proc *proc;
	const struct tp_side_file *file;
	struct plugin_u64map by_start; /* code start -> codes[] index (latest creation) */
	struct code *codes;
	size_t ncodes, codes_cap;
	/* clock offset bounds, ns: monotonic = log_us * 1000 + offset */
	int64_t lo, hi;
	size_t matches;
	int pass; /* 1: find the clock, 2: emit */
	int64_t offset;
	int have_offset;
	size_t events;
	char key[512], display[512];
};

static uint32_t tier_of(char marker)
{
	switch (marker) {
	case '~':
		return TP_TIER_INTERPRETER;
	case '^':
		return TP_TIER_BASELINE;
	case '+':
	case '*':
		return TP_TIER_OPTIMIZED;
	default:
		return TP_TIER_UNKNOWN;
	}
}

static const char *tier_word(char marker)
{
	switch (marker) {
	case '^':
		return "Sparkplug";
	case '+':
		return "Maglev";
	case '*':
		return "TurboFan";
	default:
		return "Ignition";
	}
}

static uint64_t log_time(const struct log_ctx *c, uint64_t us)
{
	int64_t t;

	if (!c->have_offset)
		return 0;
	t = (int64_t)(us * 1000) + c->offset;
	return t > 0 ? (uint64_t)t : 0;
}

static void clock_bound(struct log_ctx *c, const struct v8_log_code_creation *cc)
{
	char name[600];
	int n;
	uint64_t idx;
	const struct v8_map_window *w;
	int64_t t = (int64_t)(cc->time_us * 1000);

	if (!c->proc || !c->proc->nwin)
		return;
	n = snprintf(name, sizeof(name), "%.*s:%s%.*s", (int)cc->type_len, cc->type,
		     cc->marker ? (char[]){ cc->marker, 0 } : "", (int)cc->name_len, cc->name);
	if (n < 0 || (size_t)n >= sizeof(name) ||
	    !plugin_u64map__get(&c->proc->windows, code_hash(cc->start, name, (size_t)n), &idx))
		return;
	w = &c->proc->win[idx];
	if ((int64_t)w->read_ns - t < c->hi)
		c->hi = (int64_t)w->read_ns - t;
	if (w->prev_ns && (int64_t)w->prev_ns - t > c->lo)
		c->lo = (int64_t)w->prev_ns - t;
	c->matches++;
}

static int emit(struct log_ctx *c, uint32_t kind, uint32_t tier, uint64_t time_ns, uint64_t addr,
		uint64_t size, const char *key, const char *reason, const char *detail,
		const char *position)
{
	struct tp_event ev = { .size = sizeof(ev),
			       .kind = kind,
			       .pid = c->file->pid,
			       .tier = tier,
			       .time_ns = time_ns,
			       .code_addr = addr,
			       .code_size = size,
			       .function_key = key,
			       .reason = reason,
			       .detail = detail,
			       .position = position };

	if (c->s->api->emit_event(c->s->host, &ev) == 0)
		c->events++;
	return 0;
}

static int on_code_creation(void *ctx, const struct v8_log_code_creation *cc)
{
	struct log_ctx *c = ctx;
	struct v8_name n;
	char full[600];
	int len;
	uint32_t tier = tier_of(cc->marker);

	if (c->pass == 1) {
		clock_bound(c, cc);
		return 0;
	}
	len = snprintf(full, sizeof(full), "%.*s:%s%.*s", (int)cc->type_len, cc->type,
		       cc->marker ? (char[]){ cc->marker, 0 } : "", (int)cc->name_len, cc->name);
	if (len < 0 || (size_t)len >= sizeof(full) || v8_name__parse(full, (size_t)len, &n) ||
	    n.tier == V8_TIER_NONE)
		return 0; /* builtins, handlers, RegExp: not functions */
	v8_identity(&n, c->key, sizeof(c->key), c->display, sizeof(c->display));
	if (c->ncodes == c->codes_cap) {
		size_t cap = c->codes_cap ? c->codes_cap * 2 : 1024;
		struct code *codes = realloc(c->codes, cap * sizeof(*codes));

		if (!codes)
			return -ENOMEM;
		c->codes = codes;
		c->codes_cap = cap;
	}
	c->codes[c->ncodes] = (struct code){ .key = strdup(c->key), .tier = tier };
	if (!c->codes[c->ncodes].key)
		return -ENOMEM;
	plugin_u64map__put(&c->by_start, cc->start, c->ncodes++);
	if (cc->sfi && c->proc) {
		char sfi[40];
		int sl = snprintf(sfi, sizeof(sfi), "%" PRIx64, cc->sfi);

		plugin_strmap__put(&c->proc->sfi_keys, sfi, (size_t)sl, c->key);
	}
	/* Compiled code is what a loop recompiles; the interpreter's bytecode
	 * and trampoline copies are not. */
	if (tier == TP_TIER_BASELINE || tier == TP_TIER_OPTIMIZED)
		emit(c, TP_EVENT_COMPILE, tier, log_time(c, cc->time_us), cc->start, cc->size,
		     c->key, "", tier_word(cc->marker), "");
	return 0;
}

static int on_code_deopt(void *ctx, const struct v8_log_code_deopt *d)
{
	struct log_ctx *c = ctx;
	char reason[256], detail[64], pos[600], key[600];
	const char *fkey;
	uint64_t idx;
	uint32_t tier = TP_TIER_OPTIMIZED;
	int invalidation;

	if (c->pass == 1)
		return 0;
	snprintf(reason, sizeof(reason), "%.*s", (int)d->reason_len, d->reason);
	snprintf(detail, sizeof(detail), "%.*s", (int)d->bailout_len, d->bailout);
	if (d->inlined_at_len)
		snprintf(pos, sizeof(pos), "%.*s (inlined at %.*s)", (int)d->position_len,
			 d->position, (int)d->inlined_at_len, d->inlined_at);
	else
		snprintf(pos, sizeof(pos), "%.*s", (int)d->position_len, d->position);
	if (plugin_u64map__get(&c->by_start, d->start, &idx)) {
		fkey = c->codes[idx].key;
		tier = c->codes[idx].tier;
	} else {
		/* Code created before the log started: all we know is where. */
		snprintf(key, sizeof(key), "(code at 0x%" PRIx64 ")", d->start);
		fkey = key;
	}
	invalidation = !strcmp(detail, "dependency-change");
	return emit(c, invalidation ? TP_EVENT_INVALIDATE : TP_EVENT_DEOPT, tier,
		    log_time(c, d->time_us), d->start, d->code_size, fkey, reason, detail, pos);
}

static void log_ctx__free(struct log_ctx *c)
{
	for (size_t i = 0; i < c->ncodes; i++)
		free(c->codes[i].key);
	free(c->codes);
	plugin_u64map__free(&c->by_start);
}

static int ingest_log(struct v8_state *s, const struct tp_side_file *f)
{
	static const struct v8_log_callbacks cb = { .code_creation = on_code_creation,
						    .code_deopt = on_code_deopt };
	struct log_ctx c = { .s = s,
			     .proc = v8_state__proc(s, f->pid),
			     .file = f,
			     .lo = INT64_MIN,
			     .hi = INT64_MAX,
			     .pass = 1 };
	struct v8_log_stats st;
	int ret;

	ret = v8_log__parse((const char *)f->data, (size_t)f->len, &cb, &c, &st);
	if (ret == -1)
		return -2; /* not a log: maybe trace text */
	if (c.matches) {
		c.have_offset = 1;
		/* Upper bounds always hold; a lower bound only when a line was
		 * first seen after an earlier read, and a late flush can break it. */
		c.offset = c.lo != INT64_MIN && c.lo <= c.hi ? c.lo + (c.hi - c.lo) / 2 : c.hi;
	}
	c.pass = 2;
	ret = v8_log__parse((const char *)f->data, (size_t)f->len, &cb, &c, &st);
	if (st.bad_lines)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu malformed lines skipped (first: line %u: %s)", f->name,
			    st.bad_lines, st.first_bad_line, st.first_bad_why);
	if (st.truncated)
		s->api->log(s->host, TP_PLOG_INFO, "%s: last line incomplete (process killed?)",
			    f->name);
	s->api->log(s->host, TP_PLOG_DEBUG,
		    "%s: %zu code creations, %zu deopts, %zu events; clock %s (%zu matches, "
		    "window %.3f ms)",
		    f->name, st.code_creations, st.code_deopts, c.events,
		    c.have_offset ? "aligned" : "unknown", c.matches,
		    c.have_offset && c.lo != INT64_MIN && c.lo <= c.hi ? (double)(c.hi - c.lo) / 1e6
								       : -1.0);
	log_ctx__free(&c);
	return ret < 0 ? ret : 0;
}

/* --- --trace-opt / --trace-deopt text --- */

struct trace_ctx {
	struct v8_state *s;
	const struct tp_side_file *file;
	size_t events;
	int saw_optimizing; /* the trace prints both completion lines */
};

static const char *trace_key(struct trace_ctx *c, const struct v8_trace_event *ev, char *buf,
			     size_t size)
{
	const char *k;
	char sfi[40];
	int n;

	if (ev->sfi) {
		n = snprintf(sfi, sizeof(sfi), "%" PRIx64, ev->sfi);
		for (size_t i = 0; i < c->s->nprocs; i++) {
			k = plugin_strmap__get(&c->s->procs[i].sfi_keys, sfi, (size_t)n);
			if (k)
				return k;
		}
	}
	if (ev->function_len) {
		k = plugin_strmap__get(&c->s->name_keys, ev->function, ev->function_len);
		if (k && k[0])
			return k;
		snprintf(buf, size, "%.*s", (int)ev->function_len, ev->function);
	} else {
		snprintf(buf, size, "(anonymous)");
	}
	return buf;
}

static int on_trace(void *ctx, const struct v8_trace_event *ev)
{
	struct trace_ctx *c = ctx;
	char keybuf[512], reason[256], detail[64], pos[512];
	struct tp_event e = { .size = sizeof(e), .pid = c->file->pid, .tier = TP_TIER_OPTIMIZED };

	switch (ev->kind) {
	case V8_TRACE_COMPILE_DONE:
		/* V8 11 prints "completed compiling" and "completed optimizing"
		 * for one compile; older versions only the first. */
		if (c->saw_optimizing &&
		    !(ev->verb_len == 10 && !memcmp(ev->verb, "optimizing", 10)))
			return 0;
		e.kind = TP_EVENT_COMPILE;
		break;
	case V8_TRACE_BAILOUT:
		e.kind = TP_EVENT_DEOPT;
		break;
	case V8_TRACE_DEPENDENCY:
		e.kind = TP_EVENT_INVALIDATE;
		break;
	case V8_TRACE_COMPILE_ABORT:
		e.kind = TP_EVENT_ABORT;
		break;
	default:
		return 0;
	}
	snprintf(reason, sizeof(reason), "%.*s", (int)ev->reason_len, ev->reason ? ev->reason : "");
	if (ev->kind == V8_TRACE_DEPENDENCY)
		snprintf(detail, sizeof(detail), "dependency-change");
	else if (ev->kind == V8_TRACE_BAILOUT)
		snprintf(detail, sizeof(detail), "%.*s", (int)ev->deopt_kind_len,
			 ev->deopt_kind ? ev->deopt_kind : "");
	else
		snprintf(detail, sizeof(detail), "%.*s%s", (int)ev->target_len,
			 ev->target ? ev->target : "", ev->osr ? " OSR" : "");
	snprintf(pos, sizeof(pos), "%.*s", (int)ev->position_len, ev->position ? ev->position : "");
	e.function_key = trace_key(c, ev, keybuf, sizeof(keybuf));
	e.reason = reason;
	e.detail = detail;
	e.position = pos;
	if (c->s->api->emit_event(c->s->host, &e) == 0)
		c->events++;
	return 0;
}

static int ingest_trace(struct v8_state *s, const struct tp_side_file *f)
{
	struct trace_ctx c = { .s = s,
			       .file = f,
			       .saw_optimizing = memmem(f->data, (size_t)f->len,
							"[completed optimizing", 21) != NULL };
	struct v8_trace_stats st;

	v8_trace__parse((const char *)f->data, (size_t)f->len, on_trace, &c, &st);
	if (st.bad_lines)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu malformed trace lines skipped (first: line %u: %s)", f->name,
			    st.bad_lines, st.first_bad_line, st.first_bad_why);
	if (!st.events) {
		s->api->log(s->host, TP_PLOG_ERROR,
			    "%s: neither a V8 log (--logfile) nor --trace-opt/--trace-deopt output",
			    f->name);
		return -EINVAL;
	}
	return 0;
}

int v8_ingest(void *state, const struct tp_side_file *f)
{
	struct v8_state *s = state;
	int ret;

	if (!strcmp(f->kind, "perfmap")) {
		ingest_perfmap(s, f);
		return 0;
	}
	if (!strcmp(f->kind, V8_TRACE_KIND))
		return ingest_trace(s, f);
	if (strcmp(f->kind, V8_LOG_KIND))
		return 0;
	ret = ingest_log(s, f);
	return ret == -2 ? ingest_trace(s, f) : ret;
}

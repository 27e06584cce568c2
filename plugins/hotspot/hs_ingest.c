/* Side files -> code ranges and events.
 *
 * Clock: LogCompilation stamps and PrintCompilation's uptime count from VM
 * start (os::elapsedTime). The PrintCompilation log tierprof asks for
 * (-Xlog:jit+compilation with timenanos and uptimenanos decorations) carries
 * CLOCK_MONOTONIC, the samples' clock, beside uptime on every line: their
 * difference is the VM's start on the capture clock. It is read first
 * (hs_plugin.c collects it first). Without it, the VM's last stamp
 * (<hotspot_log_done>) is taken as the time the file was collected: late by
 * the time between the VM's exit and the collection, a few ms.
 *
 * LogCompilation: every <nmethod> becomes a code range, valid from its
 * install time and named "KEY [C1 L3]" / "KEY [C2 OSR]", so code freed
 * before the exit perf map was written is named too, and reused addresses
 * resolve by time; and a COMPILE event. <make_not_entrant> is told apart by
 * what precedes it:
 *   an uncommon trap hit in that nmethod (same compile_id)  -> INVALIDATE,
 *                                         reason = the trap's reason
 *   a <dependency_failed> within 1 ms    -> INVALIDATE, reason = the
 *                                         dependency type (call_site_target_value, ...)
 *   neither, C1 code                     -> tier-up replacement: no event
 *   neither, C2 code                     -> INVALIDATE "made not entrant"
 * Traps hit are DEOPT events (reason, action, bci); deoptimized C2 frames
 * too; failed compilations ABORT events.
 *
 * PrintCompilation alone (no XML): compiles, "made not entrant" of C2 code
 * (JDK 21+ say why; "not used" / "OSR invalidation of lower level" are
 * tier-ups), COMPILE SKIPPED as ABORT. Its names have no signature: joined
 * to the full key when only one method of that name exists. */
#include "hs_logc.h"
#include "hs_name.h"
#include "hs_printcomp.h"
#include "hs_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEP_WINDOW_NS 1000000ull

void hs_note_key(struct hs_state *s, const char *key)
{
	size_t n = strlen(key), sn = hs_name__short(key, n);
	const char *old = plugin_strmap__get(&s->short_keys, key, sn);

	if (!old)
		plugin_strmap__put(&s->short_keys, key, sn, key);
	else if (old[0] && strcmp(old, key))
		plugin_strmap__put(&s->short_keys, key, sn, ""); /* overloaded */
}

static uint64_t mono(const struct hs_proc *p, uint64_t uptime_ns)
{
	int64_t t;

	if (!p->have_clock)
		return 0;
	t = (int64_t)uptime_ns + p->clock_offset;
	return t > 0 ? (uint64_t)t : 0;
}

struct ingest_ctx {
	struct hs_state *s;
	struct hs_proc *p;
	const struct tp_side_file *f;
	size_t events, codes, tierups, not_entrant_unknown;
	/* The last trap hit per compile id: the make_not_entrant it causes
	 * follows it. */
	uint32_t trap_id;
	char trap_reason[128], trap_action[64], trap_pos[600];
	/* The last failed dependency. */
	uint64_t dep_stamp;
	int have_dep;
	char dep_type[128], dep_detail[300];
	char key[512], name[600], reason[300], detail[128], pos[600];
};

/* Report one event; 1 when the host took it. */
static int send(struct hs_state *s, uint32_t pid, uint32_t kind, uint32_t tier, uint64_t time_ns,
		uint64_t addr, uint64_t size, const char *key, const char *reason,
		const char *detail, const char *position)
{
	struct tp_event ev = { .size = sizeof(ev),
			       .kind = kind,
			       .pid = pid,
			       .tier = tier,
			       .time_ns = time_ns,
			       .code_addr = addr,
			       .code_size = size,
			       .function_key = key,
			       .reason = reason,
			       .detail = detail,
			       .position = position };

	return s->api->emit_event(s->host, &ev) == 0;
}

static void emit(struct ingest_ctx *c, uint32_t kind, uint32_t tier, uint64_t time_ns,
		 uint64_t addr, uint64_t size, const char *key, const char *reason,
		 const char *detail, const char *position)
{
	c->events += (size_t)send(c->s, c->f->pid, kind, tier, time_ns, addr, size, key, reason,
				  detail, position);
}

static const struct hs_code *code_by_id(const struct hs_proc *p, uint32_t id)
{
	uint64_t idx;

	return plugin_u64map__get(&p->by_id, id, &idx) ? &p->codes[idx] : NULL;
}

static int add_code(struct ingest_ctx *c, const struct hs_logc_rec *r, const char *key, uint64_t t)
{
	struct hs_proc *p = c->p;
	struct hs_code *code;
	char top[2];
	const char *old;

	if (p->ncodes == p->codes_cap) {
		size_t cap = p->codes_cap ? p->codes_cap * 2 : 1024;
		struct hs_code *codes = realloc(p->codes, cap * sizeof(*codes));

		if (!codes)
			return -ENOMEM;
		p->codes = codes;
		p->codes_cap = cap;
	}
	code = &p->codes[p->ncodes];
	*code = (struct hs_code){ .start = r->entry,
				  .end = r->code_end,
				  .time_ns = t,
				  .compile_id = r->compile_id,
				  .level = (int8_t)(r->native ? 0 : r->level),
				  .osr = (uint8_t)r->osr,
				  .key = strdup(key) };
	if (!code->key)
		return -ENOMEM;
	plugin_u64map__put(&p->by_id, r->compile_id, p->ncodes);
	p->ncodes++;
	p->sorted = 0;
	old = plugin_strmap__get(&p->top, key, strlen(key));
	if (!r->osr && code->level >= 1 && (!old || old[0] - '0' < code->level)) {
		top[0] = (char)('0' + code->level);
		top[1] = '\0';
		plugin_strmap__put(&p->top, key, strlen(key), top);
	}
	return 0;
}

static void trap_position(struct ingest_ctx *c, const struct hs_logc_rec *r)
{
	char where[512];

	c->pos[0] = '\0';
	if (r->method[0] &&
	    hs_name__from_log(r->method, strlen(r->method), where, sizeof(where)) == 0)
		snprintf(c->pos, sizeof(c->pos), "bci %" PRId64 " in %s", r->bci, where);
	else if (r->bci >= 0)
		snprintf(c->pos, sizeof(c->pos), "bci %" PRId64, r->bci);
}

static void on_not_entrant(struct ingest_ctx *c, const struct hs_logc_rec *r)
{
	const struct hs_code *code = code_by_id(c->p, r->compile_id);
	uint64_t t = r->has_stamp ? mono(c->p, r->stamp_ns) : 0;
	int level = code ? code->level : r->level;
	uint32_t tier = hs_level_tier(level);
	const char *key;

	if (!code || level == 0)
		return; /* code from before the log, or a native wrapper */
	key = code->key;
	if (c->trap_id == r->compile_id) {
		snprintf(c->detail, sizeof(c->detail), "uncommon trap (%s)", c->trap_action);
		emit(c, TP_EVENT_INVALIDATE, tier, t, code->start, code->end - code->start, key,
		     c->trap_reason, c->detail, c->trap_pos);
		c->trap_id = 0;
		return;
	}
	if (c->have_dep && r->has_stamp && r->stamp_ns >= c->dep_stamp &&
	    r->stamp_ns - c->dep_stamp <= DEP_WINDOW_NS) {
		emit(c, TP_EVENT_INVALIDATE, tier, t, code->start, code->end - code->start, key,
		     c->dep_type, c->dep_detail, "");
		return;
	}
	if (level < 4 || code->osr) {
		/* Replaced by a higher tier (or OSR code by the method's own):
		 * the normal way up, not a deopt. */
		c->tierups++;
		return;
	}
	c->not_entrant_unknown++;
	emit(c, TP_EVENT_INVALIDATE, tier, t, code->start, code->end - code->start, key,
	     "made not entrant", "not entrant", "");
}

static int on_logc(void *ctx, const struct hs_logc_rec *r)
{
	struct ingest_ctx *c = ctx;
	uint64_t t = r->has_stamp ? mono(c->p, r->stamp_ns) : 0;
	const struct hs_code *code;
	const char *key;

	switch (r->kind) {
	case HS_LOGC_ROOT:
		if (r->process && c->f->pid && r->process != c->f->pid)
			c->s->api->log(c->s->host, TP_PLOG_WARN,
				       "%s: log of process %u, embedded for process %u", c->f->name,
				       r->process, c->f->pid);
		return 0;
	case HS_LOGC_NMETHOD: {
		int level = r->native ? 0 : r->level;

		if (hs_name__from_log(r->method, strlen(r->method), c->key, sizeof(c->key)))
			return 0;
		hs_note_key(c->s, c->key);
		if (add_code(c, r, c->key, t))
			return -ENOMEM;
		snprintf(c->name, sizeof(c->name), "%s [%s%s]", c->key, hs_level_label(level),
			 r->osr ? " OSR" : "");
		if (level >= 0 && level <= 4 &&
		    c->s->api->add_code(c->s->host, c->f->pid, r->entry, r->code_end - r->entry,
					c->name, t) == 0)
			c->codes++;
		if (level >= 1)
			emit(c, TP_EVENT_COMPILE, hs_level_tier(level), t, r->entry,
			     r->code_end - r->entry, c->key, "", c->name + strlen(c->key) + 1, "");
		return 0;
	}
	case HS_LOGC_TRAP:
		code = code_by_id(c->p, r->compile_id);
		if (!code)
			return 0;
		c->trap_id = strcmp(r->action, "none") ? r->compile_id : 0;
		snprintf(c->trap_reason, sizeof(c->trap_reason), "%s", r->reason);
		snprintf(c->trap_action, sizeof(c->trap_action), "%s", r->action);
		trap_position(c, r);
		snprintf(c->trap_pos, sizeof(c->trap_pos), "%s", c->pos);
		snprintf(c->detail, sizeof(c->detail), "uncommon trap (%s)", r->action);
		emit(c, TP_EVENT_DEOPT, hs_level_tier(code->level), t, code->start,
		     code->end - code->start, code->key, r->reason, c->detail, c->pos);
		return 0;
	case HS_LOGC_DEOPTIMIZED:
		code = code_by_id(c->p, r->compile_id);
		/* C1 frames leave code made not entrant for a tier-up too. */
		if (!code || code->level != 4)
			return 0;
		trap_position(c, r);
		emit(c, TP_EVENT_DEOPT, TP_TIER_OPTIMIZED, t, code->start, code->end - code->start,
		     code->key, r->reason, "frame deoptimized", c->pos);
		return 0;
	case HS_LOGC_DEP_FAILED:
		c->have_dep = r->has_stamp;
		c->dep_stamp = r->stamp_ns;
		snprintf(c->dep_type, sizeof(c->dep_type), "%s", r->reason);
		if (r->witness && r->witness[0])
			snprintf(c->dep_detail, sizeof(c->dep_detail),
				 "dependency failed (witness %s)", r->witness);
		else
			snprintf(c->dep_detail, sizeof(c->dep_detail), "dependency failed");
		return 0;
	case HS_LOGC_NOT_ENTRANT:
		on_not_entrant(c, r);
		return 0;
	case HS_LOGC_COMPILE_FAILED:
		if (hs_name__from_log(r->method, strlen(r->method), c->key, sizeof(c->key)))
			return 0;
		key = c->key;
		emit(c, TP_EVENT_ABORT, TP_TIER_OPTIMIZED, t, 0, 0, key, r->reason,
		     "compilation failed", "");
		return 0;
	default:
		return 0;
	}
}

static int ingest_logc(struct hs_state *s, const struct tp_side_file *f)
{
	struct ingest_ctx *c = calloc(1, sizeof(*c));
	struct hs_logc_stats st;
	struct hs_logc *l;
	int ret;

	if (!c)
		return -ENOMEM;
	c->s = s;
	c->f = f;
	c->p = hs_state__proc(s, f->pid, 1);
	if (!c->p) {
		free(c);
		return -ENOMEM;
	}
	if (!c->p->have_clock) {
		/* No clock log: the VM's last stamp is about when the file
		 * was collected. */
		const char *done = NULL;
		size_t tail = f->len < 4096 ? (size_t)f->len : 4096;
		const char *base = (const char *)f->data + f->len - tail;

		done = memmem(base, tail, "<hotspot_log_done stamp='", 25);
		if (done) {
			double sec = strtod(done + 25, NULL);

			if (sec > 0 && sec < 1e7 && f->time_ns > (uint64_t)(sec * 1e9)) {
				c->p->clock_offset = (int64_t)(f->time_ns - (uint64_t)(sec * 1e9));
				c->p->have_clock = 1;
				s->api->log(s->host, TP_PLOG_INFO,
					    "%s: no clock log; event times from the VM's exit "
					    "(a few ms late)",
					    f->name);
			}
		}
	}
	l = hs_logc__new(on_logc, c);
	if (!l) {
		free(c);
		return -ENOMEM;
	}
	ret = 0;
	for (uint64_t off = 0; off < f->len && !ret;) {
		size_t n = f->len - off < 1u << 20 ? (size_t)(f->len - off) : 1u << 20;

		ret = hs_logc__feed(l, (const char *)f->data + off, n);
		off += n;
	}
	hs_logc__finish(l, &st);
	hs_logc__delete(l);
	if (!ret && !st.looks_like_log) {
		s->api->log(s->host, TP_PLOG_ERROR,
			    "%s: not a HotSpot LogCompilation file (no <hotspot_log> element)",
			    f->name);
		ret = -EINVAL;
	}
	if (st.xml.bad || st.bad_records)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu damaged elements skipped (first at offset %" PRIu64 ": %s)",
			    f->name, st.xml.bad + st.bad_records,
			    st.xml.bad ? st.xml.first_bad_offset : st.first_bad_offset,
			    st.xml.bad ? st.xml.first_bad_why : st.first_bad_why);
	if (st.xml.truncated)
		s->api->log(s->host, TP_PLOG_INFO,
			    "%s: ends inside an element (VM killed?); read up to it", f->name);
	s->api->log(s->host, TP_PLOG_DEBUG,
		    "%s: %zu nmethods (%zu code ranges), %zu not entrant (%zu tier-ups, %zu "
		    "without cause), %zu traps, %zu dependency failures, %zu events",
		    f->name, st.records[HS_LOGC_NMETHOD], c->codes, st.records[HS_LOGC_NOT_ENTRANT],
		    c->tierups, c->not_entrant_unknown, st.records[HS_LOGC_TRAP],
		    st.records[HS_LOGC_DEP_FAILED], c->events);
	free(c);
	return ret < 0 ? ret : 0;
}

/* --- PrintCompilation text --- */

struct pc_ctx {
	struct hs_state *s;
	struct hs_proc *p;
	const struct tp_side_file *f;
	int events_too;
	size_t events, tierups;
	char key[512], reason[300], detail[64];
};

static const char *pc_key(struct pc_ctx *c, const struct hs_pc_line *l)
{
	const char *k = plugin_strmap__get(&c->s->short_keys, l->method, l->method_len);

	if (k && k[0])
		return k;
	snprintf(c->key, sizeof(c->key), "%.*s", (int)l->method_len, l->method);
	return c->key;
}

static int on_pc(void *ctx, const struct hs_pc_line *l)
{
	struct pc_ctx *c = ctx;
	uint64_t t;
	const char *why = l->why;
	int n = (int)l->why_len;

	if (l->mono_ns && l->has_uptime && !c->p->have_clock) {
		c->p->clock_offset = (int64_t)l->mono_ns - (int64_t)l->uptime_ns;
		c->p->have_clock = 1;
	}
	if (!c->events_too)
		return 0;
	t = l->mono_ns ? l->mono_ns : l->has_uptime ? mono(c->p, l->uptime_ns) : 0;
	switch (l->msg) {
	case HS_PC_MSG_NONE:
		if (l->level < 1)
			return 0;
		snprintf(c->detail, sizeof(c->detail), "%s%s", hs_level_label(l->level),
			 l->flags & HS_PC_OSR ? " OSR" : "");
		c->events +=
			(size_t)send(c->s, c->f->pid, TP_EVENT_COMPILE, hs_level_tier(l->level), t,
				     0, 0, pc_key(c, l), "", c->detail, "");
		return 0;
	case HS_PC_MSG_NOT_ENTRANT:
		if ((n == 8 && !memcmp(why, "not used", 8)) ||
		    (n >= 16 && !memcmp(why, "OSR invalidation", 16)) || (!n && l->level < 4) ||
		    l->level < 1) {
			c->tierups++;
			return 0;
		}
		if (n)
			snprintf(c->reason, sizeof(c->reason), "%.*s", n, why);
		else
			snprintf(c->reason, sizeof(c->reason), "made not entrant");
		c->events += (size_t)send(c->s, c->f->pid, TP_EVENT_INVALIDATE,
					  hs_level_tier(l->level), t, 0, 0, pc_key(c, l), c->reason,
					  n >= 25 && !memcmp(why, "marked for deoptimization", 25)
						  ? "dependency-change"
						  : "not entrant",
					  "");
		return 0;
	case HS_PC_MSG_SKIPPED:
		snprintf(c->reason, sizeof(c->reason), "%.*s", n, why);
		c->events +=
			(size_t)send(c->s, c->f->pid, TP_EVENT_ABORT,
				     l->level >= 1 ? hs_level_tier(l->level) : TP_TIER_OPTIMIZED, t,
				     0, 0, pc_key(c, l), c->reason, "COMPILE SKIPPED", "");
		return 0;
	default:
		return 0;
	}
}

static int ingest_pc(struct hs_state *s, const struct tp_side_file *f, int events_too)
{
	struct pc_ctx c = { .s = s, .f = f, .events_too = events_too };
	struct hs_pc_stats st;

	c.p = hs_state__proc(s, f->pid, 1);
	if (!c.p)
		return -ENOMEM;
	hs_pc__parse((const char *)f->data, (size_t)f->len, on_pc, &c, &st);
	if (!st.compiles && !st.not_entrant && !st.skipped && st.lines) {
		s->api->log(s->host, TP_PLOG_ERROR,
			    "%s: no PrintCompilation line in %zu lines (expected e.g. "
			    "\"    44  111 %%     3       Workload::runHot @ 2 (21 bytes)\")",
			    f->name, st.lines);
		return -EINVAL;
	}
	s->api->log(s->host, TP_PLOG_DEBUG,
		    "%s: %zu compiles, %zu not entrant (%zu tier-ups), %zu skipped, %zu other "
		    "lines; clock %s",
		    f->name, st.compiles, st.not_entrant, c.tierups, st.skipped, st.other_lines,
		    c.p->have_clock ? "known" : "unknown");
	return 0;
}

/* The exit perf map: full keys of the live methods, for PrintCompilation's
 * signature-less names. */
static void ingest_perfmap(struct hs_state *s, const struct tp_side_file *f)
{
	const char *p = (const char *)f->data, *end = p + f->len;
	char key[512];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		const char *sp1 = memchr(p, ' ', (size_t)(eol - p)), *sp2;

		sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
		if (sp2 &&
		    hs_name__from_perfmap(sp2 + 1, (size_t)(eol - sp2 - 1), key, sizeof(key)) == 0)
			hs_note_key(s, key);
		p = nl ? nl + 1 : end;
	}
}

int hs_ingest(void *state, const struct tp_side_file *f)
{
	struct hs_state *s = state;

	if (!strcmp(f->kind, "perfmap")) {
		ingest_perfmap(s, f);
		return 0;
	}
	if (!strcmp(f->kind, HS_LOGC_KIND))
		return ingest_logc(s, f);
	if (!strcmp(f->kind, HS_PC_KIND))
		return ingest_pc(s, f, 1);
	if (!strcmp(f->kind, HS_CLOCK_KIND))
		return ingest_pc(s, f, 0);
	if (!strcmp(f->kind, HS_METHODS_KIND))
		return hs_ingest_methods(s, f);
	return 0;
}

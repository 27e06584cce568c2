/* A process's bundle (pypy_hook.h) -> code ranges, events and figures:
 *   - every loop and bridge the startup hook saw: add_code from its compile
 *     time (PyPy reuses addresses massively), and a compile event;
 *   - a loop traced again for the same Python function after PyPy logged a
 *     quasi-immutable invalidation: an invalidate event naming the field,
 *     placed at that invalidation (PyPy does not say which loops a write
 *     killed; the retrace does);
 *   - every trace PyPy gave up on (abort hook): an abort event with PyPy's
 *     reason; segmented traces are not failures (PyPy compiles them in parts);
 *   - jit-summary and the plugin's own counts: add_stat (ABI 1.2).
 * PYPYLOG times are TSC ticks: converted with the clock pairs the plugin
 * took around the run, else fitted on loops both the hook and the log saw. */
#include "pypy_log.h"
#include "pypy_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct invalidation {
	uint64_t tsc;
	uint64_t count;
	const char *field;
	size_t field_len;
};

struct log_loop {
	uint64_t tsc, loop_no;
	struct pypy_code_addr a;
};

struct ingest {
	struct pypy_state *s;
	uint32_t pid;
	struct pypy_hook_code *codes;
	size_t ncodes, codes_cap;
	struct log_loop *loops;
	size_t nloops, loops_cap;
	struct invalidation *invs;
	size_t ninvs, invs_cap;
	uint64_t aborts, segmented;
	uint64_t vmprof_start, vmprof_stop, hook_end; /* CLOCK_MONOTONIC; 0 = not seen */
	int oom;
	/* tsc -> ns: ns = (tsc - tsc0) * slope + ns0 */
	int have_clock;
	double slope;
	uint64_t tsc0, ns0;
};

static int grow(void **v, size_t *cap, size_t n, size_t elem)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(*v, ncap * elem);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

#define PUSH(in, arr, n, cap, val)                                        \
	do {                                                              \
		if (grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))) { \
			(in)->oom = 1;                                    \
			break;                                            \
		}                                                         \
		(arr)[(n)++] = (val);                                     \
	} while (0)

static void on_code(void *ctx, const struct pypy_hook_code *c)
{
	struct ingest *in = ctx;

	PUSH(in, in->codes, in->ncodes, in->codes_cap, *c);
}

static void on_vmprof(void *ctx, uint64_t t, int started)
{
	struct ingest *in = ctx;

	if (started && !in->vmprof_start)
		in->vmprof_start = t;
	else if (!started)
		in->vmprof_stop = t;
}

static void on_end(void *ctx, uint64_t t)
{
	((struct ingest *)ctx)->hook_end = t;
}

static uint64_t to_ns(const struct ingest *in, uint64_t tsc)
{
	double d;

	if (!in->have_clock)
		return 0;
	d = ((double)tsc - (double)in->tsc0) * in->slope + (double)in->ns0;
	return d > 0 ? (uint64_t)d : 0;
}

static void position(const struct pypy_where *w, char *buf, size_t len)
{
	if (w->func)
		snprintf(buf, len, "%.*s:%llu", (int)w->file_len, w->file,
			 (unsigned long long)w->line);
	else
		buf[0] = '\0';
}

/* PyPy's ABORT_* words, as jit-summary spells them. */
static const char *abort_reason(const char *r, size_t n, char *buf, size_t len)
{
	static const struct {
		const char *code, *words;
	} names[] = {
		{ "ABORT_TOO_LONG", "trace too long" },
		{ "ABORT_BRIDGE", "bridge" },
		{ "ABORT_BAD_LOOP", "bad loop" },
		{ "ABORT_ESCAPE", "virtualizable escape" },
		{ "ABORT_FORCE_QUASIIMMUT", "force quasi-immutable" },
		{ "ABORT_SEGMENTED_TRACE", "segmenting trace" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].code) == n && !memcmp(r, names[i].code, n))
			return names[i].words;
	}
	snprintf(buf, len, "%.*s", (int)n, r);
	return buf;
}

static void on_abort(void *ctx, uint64_t t, const char *reason, size_t rlen,
		     const struct pypy_where *w)
{
	struct ingest *in = ctx;
	char key[512], display[512], pos[512], rbuf[64];
	const char *why = abort_reason(reason, rlen, rbuf, sizeof(rbuf));
	struct tp_event ev = { .size = sizeof(ev),
			       .kind = TP_EVENT_ABORT,
			       .pid = in->pid,
			       .tier = TP_TIER_OPTIMIZED,
			       .time_ns = t,
			       .function_key = key,
			       .reason = why,
			       .detail = "trace-abort",
			       .position = pos };

	if (!strcmp(why, "segmenting trace")) {
		in->segmented++; /* retried in parts, then compiled */
		return;
	}
	in->aborts++;
	pypy_identity(w, key, sizeof(key), display, sizeof(display));
	position(w, pos, sizeof(pos));
	in->s->api->emit_event(in->s->host, &ev);
}

static void on_code_addr(void *ctx, uint64_t tsc, const struct pypy_code_addr *a)
{
	struct ingest *in = ctx;

	if (!a->is_bridge)
		PUSH(in, in->loops, in->nloops, in->loops_cap,
		     ((struct log_loop){ .tsc = tsc, .loop_no = a->loop_no, .a = *a }));
}

static void on_invalidate(void *ctx, uint64_t tsc, const char *field, size_t flen, uint64_t n)
{
	struct ingest *in = ctx;

	if (n)
		PUSH(in, in->invs, in->ninvs, in->invs_cap,
		     ((struct invalidation){
			     .tsc = tsc, .count = n, .field = field, .field_len = flen }));
}

static void add_figure(struct ingest *in, const char *name, double v, const char *unit)
{
	if (TP_HAS(in->s->api, add_stat) && in->s->api->add_stat)
		in->s->api->add_stat(in->s->host, in->pid, name, v, unit);
}

/* jit-summary lines worth a line in the report, with their report names. */
static void on_summary(void *ctx, const char *key, size_t klen, const double *v, int nv)
{
	static const struct {
		const char *key, *count, *seconds;
	} keys[] = {
		{ "Tracing", "traces", "tracing time" },
		{ "Backend", "backend compiles", "backend time" },
		{ "TOTAL", NULL, "run time (jit-summary TOTAL)" },
		{ "Total # of loops", "loops compiled", NULL },
		{ "Total # of bridges", "bridges compiled", NULL },
		{ "Freed # of loops", "loops freed", NULL },
		{ "Freed # of bridges", "bridges freed", NULL },
	};
	struct ingest *in = ctx;
	char name[64];

	while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
		klen--;
	if (klen > 7 && !memcmp(key, "abort: ", 7)) {
		snprintf(name, sizeof(name), "aborts: %.*s", (int)(klen - 7), key + 7);
		add_figure(in, name, v[nv - 1], "");
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strlen(keys[i].key) != klen || memcmp(key, keys[i].key, klen))
			continue;
		if (keys[i].count)
			add_figure(in, keys[i].count, v[0], "");
		if (keys[i].seconds)
			add_figure(in, keys[i].seconds, v[nv - 1], "s");
	}
}

/* TSC -> CLOCK_MONOTONIC: the plugin's own clock pairs (read around the
 * run) when there are two; else a least-squares line through the loops
 * the hook (monotonic) and jit-backend-addr (TSC) both saw. */
static void fit_clock(struct ingest *in, const struct pypy_bundle *b)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, x0, y0, den;

	if (b->nclocks >= 2 && b->clocks[b->nclocks - 1].tsc > b->clocks[0].tsc) {
		const struct pypy_clock_pair *a = &b->clocks[0], *z = &b->clocks[b->nclocks - 1];

		in->tsc0 = a->tsc;
		in->ns0 = a->mono_ns;
		in->slope = ((double)z->mono_ns - (double)a->mono_ns) / (double)(z->tsc - a->tsc);
		in->have_clock = in->slope > 0;
		return;
	}
	if (!in->nloops || !in->ncodes)
		return;
	x0 = (double)in->loops[0].tsc;
	y0 = (double)in->codes[0].time_ns;
	for (size_t i = 0, j = 0; i < in->ncodes; i++) {
		const struct pypy_hook_code *c = &in->codes[i];

		if (c->kind == PYPY_BRIDGE)
			continue;
		/* Both are in compile order: walk them together. */
		while (j < in->nloops && in->loops[j].loop_no < c->id)
			j++;
		if (j == in->nloops)
			break;
		if (in->loops[j].loop_no != c->id)
			continue;
		double x = (double)in->loops[j].tsc - x0, y = (double)c->time_ns - y0;

		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	den = n * sxx - sx * sx;
	if (n < 2 || den <= 0)
		return;
	in->slope = (n * sxy - sx * sy) / den;
	if (in->slope <= 0)
		return;
	in->tsc0 = (uint64_t)x0;
	in->ns0 = (uint64_t)(y0 + (sy - in->slope * sx) / n);
	in->have_clock = 1;
}

/* The last invalidation in (after, before], by index into invs (sorted). */
static const struct invalidation *invalidation_between(const struct ingest *in, uint64_t after,
						       uint64_t before)
{
	const struct invalidation *found = NULL;

	for (size_t i = 0; i < in->ninvs; i++) {
		uint64_t t = to_ns(in, in->invs[i].tsc);

		if (t > before)
			break;
		if (t > after)
			found = &in->invs[i];
	}
	return found;
}

struct seen {
	char key[512];
	uint64_t last_loop_ns;
};

/* The Python functions' loops so far (linear: few distinct functions get
 * loops; each is looked up once per loop compiled). */
static struct seen *seen_of(struct seen **v, size_t *n, size_t *cap, const char *key, int *oom)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i].key, key))
			return &(*v)[i];
	}
	if (grow((void **)v, cap, *n, sizeof(**v))) {
		*oom = 1;
		return NULL;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	snprintf((*v)[*n].key, sizeof((*v)[*n].key), "%s", key);
	return &(*v)[(*n)++];
}

static void emit_code(struct ingest *in)
{
	struct seen *seen = NULL;
	size_t nseen = 0, seen_cap = 0;
	uint64_t retraced = 0, attributed = 0;

	for (size_t i = 0; i < in->ncodes; i++) {
		const struct pypy_hook_code *c = &in->codes[i];
		char name[1024], key[512], display[512], pos[512], reason[160];
		struct tp_event ev = { .size = sizeof(ev),
				       .pid = in->pid,
				       .tier = TP_TIER_OPTIMIZED,
				       .function_key = key,
				       .position = pos };
		struct seen *sn;

		pypy_name__format(name, sizeof(name), c->kind, &c->where);
		in->s->api->add_code(in->s->host, in->pid, c->addr, c->len, name, c->time_ns);
		pypy_identity(&c->where, key, sizeof(key), display, sizeof(display));
		position(&c->where, pos, sizeof(pos));
		if (c->kind == PYPY_LOOP &&
		    (sn = seen_of(&seen, &nseen, &seen_cap, key, &in->oom))) {
			if (sn->last_loop_ns) {
				const struct invalidation *inv =
					invalidation_between(in, sn->last_loop_ns, c->time_ns);

				retraced++;
				ev.kind = TP_EVENT_INVALIDATE;
				ev.detail = "quasi-immutable";
				if (inv) {
					snprintf(reason, sizeof(reason),
						 "quasi-immutable field %.*s changed",
						 (int)(inv->field_len < 100 ? inv->field_len : 100),
						 inv->field);
					ev.time_ns = to_ns(in, inv->tsc);
					ev.reason = reason;
					attributed++;
					in->s->api->emit_event(in->s->host, &ev);
				} else if (!in->have_clock) {
					/* No time to place PyPy's log on: the retrace alone. */
					ev.time_ns = c->time_ns;
					ev.reason = "loop traced again";
					ev.detail = "retrace";
					in->s->api->emit_event(in->s->host, &ev);
				}
			}
			sn->last_loop_ns = c->time_ns;
		}
		ev.kind = TP_EVENT_COMPILE;
		ev.time_ns = c->time_ns;
		ev.code_addr = c->addr;
		ev.code_size = c->len;
		ev.reason = NULL;
		ev.detail = c->kind == PYPY_LOOP     ? "loop"
			    : c->kind == PYPY_BRIDGE ? "bridge"
						     : "entry bridge";
		in->s->api->emit_event(in->s->host, &ev);
	}
	add_figure(in, "loops re-traced", (double)retraced, "");
	add_figure(in, "re-traces after invalidation", (double)attributed, "");
	free(seen);
}

static void log_warn(struct ingest *in, const struct tp_side_file *f, const char *part, size_t bad,
		     size_t first)
{
	if (bad)
		in->s->api->log(in->s->host, TP_PLOG_WARN,
				"%s: %zu malformed lines in its %s skipped (first: line %zu)",
				f->name, bad, part, first);
}

int pypy_ingest(void *state, const struct tp_side_file *f)
{
	struct ingest in = { .s = state, .pid = f->pid };
	struct pypy_bundle b;
	size_t bad_at;
	uint64_t invalidated = 0;
	int err;

	if (!f->kind || strcmp(f->kind, PYPY_BUNDLE_KIND))
		return 0;
	err = pypy_bundle__parse((const char *)f->data, f->len, &b, &bad_at);
	if (err) {
		in.s->api->log(in.s->host, TP_PLOG_WARN,
			       "%s: not a PyPy bundle (damaged at offset %zu)", f->name, bad_at);
		return err;
	}
	if (b.pypylog) {
		struct pypy_log_cb cb = { .ctx = &in,
					  .code_addr = on_code_addr,
					  .invalidate = on_invalidate,
					  .summary = on_summary };
		struct pypy_log_stats st;

		if (pypy_log__parse(b.pypylog, b.pypylog_len, &cb, &st))
			in.s->api->log(in.s->host, TP_PLOG_WARN,
				       "%s: its PYPYLOG part is not a PYPYLOG", f->name);
		log_warn(&in, f, "PYPYLOG", st.bad_lines, st.first_bad_line);
	}
	if (b.hook) {
		struct pypy_hook_cb cb = {
			.ctx = &in, .code = on_code, .vmprof = on_vmprof, .end = on_end
		};
		struct pypy_hook_stats st;

		if (pypy_hook__parse(b.hook, b.hook_len, &cb, &st))
			in.s->api->log(in.s->host, TP_PLOG_WARN,
				       "%s: its hook part lacks the hook's header", f->name);
		log_warn(&in, f, "hook records", st.bad_lines, st.first_bad_line);
		fit_clock(&in, &b);
		emit_code(&in);
		cb = (struct pypy_hook_cb){ .ctx = &in, .abort = on_abort };
		pypy_hook__parse(b.hook, b.hook_len, &cb, &st);
	} else if (b.pypylog) {
		in.s->api->log(in.s->host, TP_PLOG_INFO,
			       "%s: no startup hook output (pypy run with -E or -I?): JIT code "
			       "stays unnamed",
			       f->name);
	}
	if (b.vmprof && in.vmprof_start) {
		/* A process killed before its exit hook ran has no stop record. */
		uint64_t end = in.vmprof_stop ? in.vmprof_stop
			       : in.hook_end  ? in.hook_end
			       : b.nclocks    ? b.clocks[b.nclocks - 1].mono_ns
					      : 0;

		pypy_vmprof_ingest(in.s, f, (const unsigned char *)b.vmprof, b.vmprof_len,
				   in.vmprof_start, end);
	}
	for (size_t i = 0; i < in.ninvs; i++)
		invalidated += in.invs[i].count;
	if (b.pypylog) {
		add_figure(&in, "quasi-immutable invalidations", (double)in.ninvs, "");
		add_figure(&in, "loops killed by invalidations", (double)invalidated, "");
	}
	if (b.hook) {
		add_figure(&in, "trace aborts (hook)", (double)in.aborts, "");
		add_figure(&in, "segmented traces (hook)", (double)in.segmented, "");
	}
	free(in.codes);
	free(in.loops);
	free(in.invs);
	return in.oom ? -ENOMEM : 0;
}

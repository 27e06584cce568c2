/* JSON report, schema 1 (docs/json-schema.md). Fields may be added, never
 * renamed. The only file that writes JSON through jansson. */
#include "output.h"
#include "../analysis/churn.h"
#include "../analysis/findings.h"
#include "../analysis/functions.h"
#include "../analysis/gaps.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "jit_threads.h"
#include "../util/mem.h"

#include <jansson.h>
#include <string.h>

#define JSON_SCHEMA 1

/* Symbol names are bytes, not always UTF-8, and jansson refuses invalid
 * UTF-8: keep the ASCII and mark the rest. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j)
		return j;
	copy = tp_xstrdup(s);
	for (char *c = copy; *c; c++) {
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	}
	j = json_string(copy);
	free(copy);
	return j;
}

static json_t *tiers_object(const uint64_t *counts)
{
	json_t *o = json_object();

	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		json_object_set_new(o, tier__name(t), json_integer((json_int_t)counts[t]));
	}
	return o;
}

/* The figures runtime plugins reported for one process (ABI 1.2 add_stat). */
static json_t *stats_array(const struct profile *p, uint32_t pid)
{
	json_t *a = json_array();

	for (size_t i = 0; i < p->nstats; i++) {
		const struct runtime_stat *st = &p->stats[i];
		json_t *j;

		if (st->pid != pid)
			continue;
		j = json_object();
		json_object_set_new(j, "name", jstr(profile__str(p, st->name)));
		json_object_set_new(j, "value", json_real(st->value));
		json_object_set_new(j, "unit", jstr(profile__str(p, st->unit)));
		json_object_set_new(j, "runtime", jstr(profile__str(p, st->runtime)));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *capture_object(const struct profile *p, const struct func_table *t,
			      const struct findings *fd)
{
	const struct profile_info *in = &p->info;
	json_t *c = json_object(), *procs = json_array(), *threads = json_array();
	double dur = in->end_ns > in->start_ns ? (double)(in->end_ns - in->start_ns) / 1e9 : 0;

	json_object_set_new(c, "file", jstr(in->path));
	json_object_set_new(c, "command", in->command ? jstr(in->command) : json_null());
	json_object_set_new(c, "samples", json_integer((json_int_t)t->samples));
	json_object_set_new(c, "samples_total", json_integer((json_int_t)in->samples_total));
	json_object_set_new(c, "lost", json_integer((json_int_t)in->lost));
	json_object_set_new(c, "throttled", json_integer((json_int_t)in->throttled));
	json_object_set_new(c, "frameless_repaired",
			    json_integer((json_int_t)in->frameless_repaired));
	json_object_set_new(c, "unwind",
			    in->unwind_mode ? json_string(in->unwind_mode) : json_null());
	json_object_set_new(c, "stack_bytes", json_integer((json_int_t)in->stack_user));
	json_object_set_new(c, "dwarf_unwound", json_integer((json_int_t)in->dwarf_unwound));
	json_object_set_new(c, "context_frames", json_integer((json_int_t)in->context_frames));
	json_object_set_new(c, "context_named", json_integer((json_int_t)in->context_named));
	json_object_set_new(c, "context_leaf_frames",
			    json_integer((json_int_t)in->context_leaf_frames));
	json_object_set_new(c, "context_leaf_named",
			    json_integer((json_int_t)in->context_leaf_named));
	json_object_set_new(c, "duration_s", json_real(dur));
	json_object_set_new(c, "frequency_hz", json_integer(in->freq_hz));
	json_object_set_new(c, "complete", json_boolean(in->complete));
	json_object_set_new(c, "kernel_recorded", json_boolean(!in->exclude_kernel));
	json_object_set_new(c, "exit_status",
			    in->exit_status >= 0 ? json_integer(in->exit_status) : json_null());
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct thread *th = &p->threads[i];
		uint64_t proc_samples = 0;

		if (!th->samples && th->pid != th->tid)
			continue;
		if (th->pid == th->tid) {
			for (size_t j = 0; j < p->nthreads; j++) {
				if (p->threads[j].pid == th->pid)
					proc_samples += p->threads[j].samples;
			}
			if (proc_samples) {
				json_t *pr = json_object();

				json_object_set_new(pr, "pid", json_integer(th->pid));
				json_object_set_new(pr, "comm", jstr(profile__str(p, th->comm)));
				uint32_t rt = findings__process_runtime(fd, th->pid);

				json_object_set_new(pr, "runtime",
						    rt != UINT32_MAX ? jstr(profile__str(p, rt))
								     : json_string("native"));
				json_object_set_new(pr, "samples",
						    json_integer((json_int_t)proc_samples));
				json_object_set_new(pr, "stats", stats_array(p, th->pid));
				{
					uint64_t jit = jit_threads__samples(p, th->pid);

					json_object_set_new(pr, "compiler_thread_samples",
							    json_integer((json_int_t)jit));
					json_object_set_new(
						pr, "compiler_threads_share",
						json_real((double)jit / (double)proc_samples));
				}
				json_array_append_new(procs, pr);
			}
		}
		if (th->samples) {
			json_t *tj = json_object();

			json_object_set_new(tj, "pid", json_integer(th->pid));
			json_object_set_new(tj, "tid", json_integer(th->tid));
			json_object_set_new(tj, "comm", jstr(profile__str(p, th->comm)));
			json_object_set_new(tj, "samples", json_integer((json_int_t)th->samples));
			json_array_append_new(threads, tj);
		}
	}
	json_object_set_new(c, "processes", procs);
	json_object_set_new(c, "threads", threads);
	return c;
}

static json_t *flags_array(unsigned flags)
{
	json_t *a = json_array();

	if (flags & FINDING_INTERPRETER_DOMINATED)
		json_array_append_new(a, json_string("interpreter-dominated"));
	if (flags & FINDING_DEOPT_LOOP)
		json_array_append_new(a, json_string("deopt-loop"));
	if (flags & FINDING_JIT_ABORTS)
		json_array_append_new(a, json_string("jit-aborts"));
	return a;
}

static json_t *functions_array(const struct profile *p, const struct func_table *t,
			       const struct findings *fd, const struct report_opts *o)
{
	json_t *arr = json_array();
	size_t n;
	uint32_t *ids = func_table__sorted(t, 1, &n);
	uint64_t *deopts = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof(*deopts));
	struct tp_u64map by_key; /* function key string id -> function */

	/* Deopts and invalidations reported by runtime plugins, per function. */
	u64map__init(&by_key);
	for (uint32_t f = 0; f < p->nfuncs; f++)
		*u64map__slot(&by_key, p->funcs[f].key, NULL) = f;
	for (size_t e = 0; e < p->nevents; e++) {
		const struct runtime_event *ev = &p->events[e];
		uint64_t *f = u64map__find(&by_key, ev->function);

		if (f && (ev->kind == TP_EVENT_DEOPT || ev->kind == TP_EVENT_INVALIDATE))
			deopts[*f]++;
	}
	u64map__exit(&by_key);

	for (size_t i = 0; i < n && i < o->limit; i++) {
		const struct func_stats *s = &t->funcs[ids[i]];
		const struct function *fn = &p->funcs[ids[i]];
		json_t *j = json_object();

		json_object_set_new(j, "name", jstr(profile__func_name(p, ids[i])));
		json_object_set_new(j, "dso", jstr(profile__func_dso(p, ids[i])));
		json_object_set_new(j, "runtime", jstr(profile__str(p, fn->runtime)));
		json_object_set_new(j, "self", json_integer((json_int_t)s->self));
		json_object_set_new(j, "total", json_integer((json_int_t)s->total));
		json_object_set_new(
			j, "self_pct",
			json_real(t->samples ? 100.0 * (double)s->self / (double)t->samples : 0));
		json_object_set_new(
			j, "total_pct",
			json_real(t->samples ? 100.0 * (double)s->total / (double)t->samples : 0));
		json_object_set_new(j, "self_tiers", tiers_object(s->self_tiers));
		json_object_set_new(j, "total_tiers", tiers_object(s->total_tiers));
		json_object_set_new(j, "stderr",
				    json_real(100.0 * share_stderr(s->self, t->samples)));
		json_object_set_new(j, "total_stderr",
				    json_real(100.0 * share_stderr(s->total, t->samples)));
		json_object_set_new(j, "deopts", json_integer((json_int_t)deopts[ids[i]]));
		json_object_set_new(j, "key", jstr(profile__str(p, fn->key)));
		json_object_set_new(j, "own", json_integer((json_int_t)fd->own[ids[i]].total));
		json_object_set_new(j, "own_tiers", tiers_object(fd->own[ids[i]].tiers));
		json_object_set_new(j, "flags", flags_array(fd->flags[ids[i]]));
		if (fn->cause != UNKNOWN_NONE)
			json_object_set_new(j, "unknown_cause",
					    json_string(unknown_cause__name(fn->cause)));
		json_array_append_new(arr, j);
	}
	free(ids);
	free(deopts);
	return arr;
}

static json_t *unknown_object(const struct profile *p, const struct func_table *t)
{
	uint64_t leaf = 0;
	json_t *u = json_object(), *causes = json_array();
	struct gap *g;
	size_t n = gaps__build(p, t, &g);

	for (uint32_t i = 0; i < p->nfuncs; i++) {
		if (p->funcs[i].cause != UNKNOWN_NONE)
			leaf += t->funcs[i].self;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object();

		json_object_set_new(j, "cause", json_string(g[i].cause));
		json_object_set_new(j, "samples", json_integer((json_int_t)g[i].samples));
		json_object_set_new(j, "leaf", json_integer((json_int_t)g[i].leaf));
		json_object_set_new(j, "hint", jstr(g[i].hint));
		json_array_append_new(causes, j);
	}
	free(g);
	json_object_set_new(u, "samples", json_integer((json_int_t)leaf));
	json_object_set_new(u, "causes", causes);
	return u;
}

static json_t *reasons_array(const struct profile *p, const struct deopt_history *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->nreasons; i++) {
		const struct deopt_reason *r = &h->reasons[i];
		json_t *j = json_object();

		json_object_set_new(j, "reason", jstr(profile__str(p, r->reason)));
		json_object_set_new(j, "kind", jstr(profile__str(p, r->detail)));
		json_object_set_new(j, "position", jstr(profile__str(p, r->position)));
		json_object_set_new(j, "count", json_integer(r->count));
		json_array_append_new(a, j);
	}
	return a;
}

/* One deopt history: what deopt_loops[] and deopts' JSON share. */
static json_t *deopt_history_json(const struct profile *p, const struct findings *fd,
				  const struct deopt_history *h)
{
	json_t *j = json_object(), *reasons = json_object();
	const struct own_time *o = h->func != UINT32_MAX ? &fd->own[h->func] : NULL;

	json_object_set_new(j, "function",
			    jstr(h->func != UINT32_MAX ? profile__func_name(p, h->func)
						       : profile__str(p, h->key)));
	json_object_set_new(j, "key", jstr(profile__str(p, h->key)));
	json_object_set_new(j, "runtime", jstr(profile__str(p, h->runtime)));
	json_object_set_new(j, "cycles", json_integer(h->cycles));
	json_object_set_new(j, "deopts", json_integer(h->deopts));
	json_object_set_new(j, "invalidations", json_integer(h->invalidations));
	json_object_set_new(j, "compiles", json_integer(h->compiles));
	json_object_set_new(j, "aborts", json_integer(h->aborts));
	json_object_set_new(j, "source", json_string(h->from_timeline ? "samples" : "events"));
	for (size_t i = 0; i < h->nreasons; i++) {
		const char *r = profile__str(p, h->reasons[i].reason);
		json_t *old = json_object_get(reasons, r);

		json_object_set_new(
			reasons, r,
			json_integer((old ? json_integer_value(old) : 0) + h->reasons[i].count));
	}
	json_object_set_new(j, "reasons", reasons);
	json_object_set_new(j, "events_by_reason", reasons_array(p, h));
	json_object_set_new(j, "samples_not_optimized",
			    json_integer(o ? (json_int_t)(o->tiers[TP_TIER_INTERPRETER] +
							  o->tiers[TP_TIER_BASELINE])
					   : 0));
	json_object_set_new(j, "samples_own", json_integer(o ? (json_int_t)o->total : 0));
	return j;
}

static json_t *deopt_loops_array(const struct profile *p, const struct findings *fd)
{
	json_t *a = json_array();

	for (size_t i = 0; i < fd->nitems; i++) {
		if (fd->items[i].kind == FINDING_KIND_DEOPT_LOOP)
			json_array_append_new(a, deopt_history_json(p, fd, fd->items[i].history));
	}
	return a;
}

static json_t *findings_array(const struct profile *p, const struct findings *fd)
{
	json_t *a = json_array();

	for (size_t i = 0; i < fd->nitems; i++) {
		const struct finding *it = &fd->items[i];
		const struct own_time *o = it->func != UINT32_MAX ? &fd->own[it->func] : NULL;
		const struct deopt_reason *top =
			it->history && it->history->nreasons ? &it->history->reasons[0] : NULL;
		json_t *j = json_object();

		json_object_set_new(j, "kind", json_string(finding_kind__name(it->kind)));
		json_object_set_new(j, "function",
				    jstr(it->func != UINT32_MAX
						 ? profile__func_name(p, it->func)
						 : profile__str(p, it->history->key)));
		json_object_set_new(j, "share_pct", json_real(100.0 * it->share));
		json_object_set_new(j, "samples_own", json_integer(o ? (json_int_t)o->total : 0));
		json_object_set_new(j, "samples_not_optimized",
				    json_integer((json_int_t)it->lower));
		json_object_set_new(j, "own_tiers", o ? tiers_object(o->tiers) : json_object());
		json_object_set_new(
			j, "fix",
			json_string(it->kind == FINDING_KIND_JIT_ABORTS
					    ? findings__abort_fix(top ? profile__str(p, top->reason)
								      : NULL)
				    : it->kind == FINDING_KIND_DEOPT_LOOP
					    ? findings__deopt_fix(
						      top ? profile__str(p, top->reason) : NULL,
						      top ? profile__str(p, top->detail) : NULL)
					    : findings__interpreter_fix(profile__str(
						      p, p->funcs[it->func].runtime))));
		if (it->history)
			json_object_set_new(j, "deopts", deopt_history_json(p, fd, it->history));
		json_array_append_new(a, j);
	}
	return a;
}

/* Tiering runtimes (.NET): tier-0 share of the hot methods, OSR use. */
static json_t *tier_up_array(const struct profile *p, const struct findings *fd)
{
	json_t *a = json_array();

	for (size_t i = 0; i < fd->ntier_ups; i++) {
		const struct tier_up *u = &fd->tier_ups[i];
		json_t *j = json_object();

		json_object_set_new(j, "runtime", jstr(profile__str(p, u->runtime)));
		json_object_set_new(j, "samples_own", json_integer((json_int_t)u->own));
		json_object_set_new(j, "hot_functions", json_integer(u->hot));
		json_object_set_new(j, "hot_functions_mostly_tier0",
				    json_integer(u->hot_mostly_tier0));
		json_object_set_new(j, "hot_samples_own", json_integer((json_int_t)u->hot_own));
		json_object_set_new(j, "hot_samples_tier0", json_integer((json_int_t)u->hot_tier0));
		json_object_set_new(
			j, "hot_tier0_pct",
			json_real(u->hot_own ? 100.0 * (double)u->hot_tier0 / (double)u->hot_own
					     : 0.0));
		json_object_set_new(j, "osr_samples", json_integer((json_int_t)u->osr));
		json_object_set_new(
			j, "osr_pct",
			json_real(u->own ? 100.0 * (double)u->osr / (double)u->own : 0.0));
		json_object_set_new(j, "osr_functions", json_integer(u->osr_methods));
		json_object_set_new(j, "top_osr_function",
				    u->top_osr != UINT32_MAX
					    ? jstr(profile__func_name(p, u->top_osr))
					    : json_null());
		json_object_set_new(j, "fix",
				    json_string(findings__tier0_fix(profile__str(p, u->runtime))));
		json_array_append_new(a, j);
	}
	return a;
}

/* Processes whose JIT frees nearly every loop it compiles. */
static json_t *jit_churn_array(const struct profile *p, const struct findings *fd)
{
	json_t *a = json_array();

	for (size_t i = 0; i < fd->nchurns; i++) {
		const struct jit_churn *c = &fd->churns[i];
		const char *rt = profile__str(p, c->runtime);
		json_t *j = json_object();

		json_object_set_new(j, "pid", json_integer(c->pid));
		json_object_set_new(j, "runtime", jstr(rt));
		json_object_set_new(j, "loops_compiled", json_integer((json_int_t)c->compiled));
		json_object_set_new(j, "loops_freed", json_integer((json_int_t)c->freed));
		json_object_set_new(j, "freed_pct", json_real(100.0 * c->freed / c->compiled));
		json_object_set_new(j, "loops_invalidated",
				    c->invalidated >= 0 ? json_integer((json_int_t)c->invalidated)
							: json_null());
		json_object_set_new(j, "fix", json_string(jit_churn__fix(rt, c)));
		json_array_append_new(a, j);
	}
	return a;
}

static int write_root(FILE *f, json_t *root)
{
	int err =
		json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));

	fputc('\n', f);
	json_decref(root);
	return err || ferror(f) ? -1 : 0;
}

int output_json(FILE *f, const struct profile *p, const struct func_table *t,
		const struct findings *fd, const struct report_opts *o)
{
	json_t *root = json_object();

	json_object_set_new(root, "schema", json_integer(JSON_SCHEMA));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	json_object_set_new(root, "capture", capture_object(p, t, fd));
	json_object_set_new(root, "tiers", tiers_object(t->leaf_tiers));
	json_object_set_new(root, "findings", findings_array(p, fd));
	json_object_set_new(root, "functions", functions_array(p, t, fd, o));
	json_object_set_new(root, "deopt_loops", deopt_loops_array(p, fd));
	json_object_set_new(root, "tier_up", tier_up_array(p, fd));
	json_object_set_new(root, "jit_churn", jit_churn_array(p, fd));
	json_object_set_new(root, "unknown", unknown_object(p, t));
	return write_root(f, root);
}

int output_deopts_json(FILE *f, const struct profile *p, const struct findings *fd)
{
	json_t *root = json_object(), *arr = json_array();
	size_t n;
	const struct deopt_history **order = findings__histories_sorted(fd, &n);

	json_object_set_new(root, "schema", json_integer(JSON_SCHEMA));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	json_object_set_new(root, "events", json_integer((json_int_t)fd->events));
	for (size_t i = 0; i < n; i++) {
		json_t *j = deopt_history_json(p, fd, order[i]);

		json_object_set_new(
			j, "loop",
			json_boolean(fd->flags && order[i]->func != UINT32_MAX
					     ? fd->flags[order[i]->func] & FINDING_DEOPT_LOOP
					     : 0));
		json_array_append_new(arr, j);
	}
	free(order);
	json_object_set_new(root, "functions", arr);
	return write_root(f, root);
}

/* JSON report, schema 1 (docs/json-schema.md). Fields may be added, never
 * renamed. The only file that writes JSON through jansson. */
#include "output.h"
#include "../analysis/functions.h"
#include "../model/profile.h"
#include "../model/tier.h"
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

static json_t *capture_object(const struct profile *p, const struct func_table *t)
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
				json_object_set_new(pr, "runtime", json_string("native"));
				json_object_set_new(pr, "samples",
						    json_integer((json_int_t)proc_samples));
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

static json_t *functions_array(const struct profile *p, const struct func_table *t,
			       const struct report_opts *o)
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
		json_object_set_new(j, "flags", json_array());
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
	uint64_t by_cause[UNKNOWN__COUNT] = { 0 }, leaf = 0;
	json_t *u = json_object(), *causes = json_array();

	for (uint32_t i = 0; i < p->nfuncs; i++) {
		if (p->funcs[i].cause == UNKNOWN_NONE)
			continue;
		by_cause[p->funcs[i].cause] += t->funcs[i].total;
		leaf += t->funcs[i].self;
	}
	for (unsigned c = 1; c < UNKNOWN__COUNT; c++) {
		json_t *j;

		if (!by_cause[c])
			continue;
		j = json_object();
		json_object_set_new(j, "cause", json_string(unknown_cause__name(c)));
		json_object_set_new(j, "samples", json_integer((json_int_t)by_cause[c]));
		json_object_set_new(j, "hint", json_string(unknown_cause__hint(c)));
		json_array_append_new(causes, j);
	}
	json_object_set_new(u, "samples", json_integer((json_int_t)leaf));
	json_object_set_new(u, "causes", causes);
	return u;
}

int output_json(FILE *f, const struct profile *p, const struct func_table *t,
		const struct report_opts *o)
{
	json_t *root = json_object();
	int err;

	json_object_set_new(root, "schema", json_integer(JSON_SCHEMA));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	json_object_set_new(root, "capture", capture_object(p, t));
	json_object_set_new(root, "tiers", tiers_object(t->leaf_tiers));
	json_object_set_new(root, "functions", functions_array(p, t, o));
	json_object_set_new(root, "deopt_loops", json_array());
	json_object_set_new(root, "unknown", unknown_object(p, t));
	err = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	fputc('\n', f);
	json_decref(root);
	return err || ferror(f) ? -1 : 0;
}

/* The health JSON, schema 1 (docs/health-schema.md): keys in a fixed order,
 * no timestamp unless asked, so that a capture's report is reproducible
 * and a baseline diff of two reports shows only what changed. The "stats"
 * of each capture are what a later run compares against. */
#include "health.h"
#include "json_util.h"
#include "../analysis/diff.h"
#include "../analysis/health.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/mem.h"

#include <jansson.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

static json_t *tiers_json(const uint64_t *counts)
{
	json_t *o = json_object();
	uint64_t sum = 0;

	for (unsigned t = 0; t < TP_TIER__COUNT; t++)
		sum += counts[t];
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		json_object_set_new(o, tier__name(t),
				    json_pack("{s:I,s:f}", "samples", (json_int_t)counts[t], "pct",
					      sum ? 100.0 * (double)counts[t] / (double)sum : 0.0));
	}
	return o;
}

static json_t *procs_json(const struct health *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->nprocs; i++) {
		const struct health_proc *pr = &h->procs[i];
		json_t *j = json_object();

		json_object_set_new(j, "pid", json_integer(pr->pid));
		json_object_set_new(j, "comm", tp_json_str(profile__str(h->p, pr->comm)));
		json_object_set_new(j, "runtime",
				    tp_json_str(pr->runtime != UINT32_MAX
							? profile__str(h->p, pr->runtime)
							: "native"));
		json_object_set_new(j, "samples", json_integer((json_int_t)pr->samples));
		json_object_set_new(j, "tiers", tiers_json(pr->tiers));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *findings_json(const struct health *h, enum finding_kind kind)
{
	json_t *a = json_array();
	size_t n = 0;

	for (size_t i = 0; i < h->fd.nitems && n < HEALTH_TOP; i++) {
		const struct finding *it = &h->fd.items[i];
		const struct own_time *o = it->func != UINT32_MAX ? &h->fd.own[it->func] : NULL;
		json_t *j;

		if (it->kind != kind)
			continue;
		j = json_object();
		n++;
		json_object_set_new(j, "function",
				    tp_json_str(it->func != UINT32_MAX
							? profile__func_name(h->p, it->func)
							: profile__str(h->p, it->history->key)));
		json_object_set_new(
			j, "runtime",
			tp_json_str(it->func != UINT32_MAX
					    ? profile__str(h->p, h->p->funcs[it->func].runtime)
					    : profile__str(h->p, it->history->runtime)));
		json_object_set_new(j, "own_samples", json_integer(o ? (json_int_t)o->total : 0));
		json_object_set_new(j, "share_pct", json_real(100 * it->share));
		json_object_set_new(j, "samples_not_optimized",
				    json_integer((json_int_t)it->lower));
		if (kind == FINDING_KIND_DEOPT_LOOP) {
			json_t *reasons = json_object();

			json_object_set_new(j, "cycles",
					    json_integer(it->history ? it->history->cycles : 0));
			for (size_t r = 0; it->history && r < it->history->nreasons; r++) {
				const char *why =
					profile__str(h->p, it->history->reasons[r].reason);
				json_t *old = json_object_get(reasons, why);

				json_object_set_new(
					reasons, why,
					json_integer((old ? json_integer_value(old) : 0) +
						     it->history->reasons[r].count));
			}
			json_object_set_new(j, "reasons", reasons);
			json_object_set_new(j, "source",
					    json_string(it->history && it->history->from_timeline
								? "samples"
								: "events"));
		}
		json_object_set_new(j, "own_tiers", o ? tiers_json(o->tiers) : json_object());
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *unknown_json(const struct health *h)
{
	json_t *u = json_object(), *causes = json_array();

	json_object_set_new(u, "samples",
			    json_integer((json_int_t)h->t.leaf_tiers[TP_TIER_UNKNOWN]));
	json_object_set_new(u, "pct",
			    json_real(h->t.samples
					      ? 100.0 * (double)h->t.leaf_tiers[TP_TIER_UNKNOWN] /
							(double)h->t.samples
					      : 0));
	for (size_t i = 0; i < h->ngaps; i++) {
		json_array_append_new(causes,
				      json_pack("{s:s,s:I,s:I,s:o}", "cause", h->gaps[i].cause,
						"samples", (json_int_t)h->gaps[i].samples, "leaf",
						(json_int_t)h->gaps[i].leaf, "hint",
						tp_json_str(h->gaps[i].hint)));
	}
	json_object_set_new(u, "causes", causes);
	return u;
}

static json_t *timelines_json(const struct health *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->ntimelines; i++) {
		const struct health_timeline *tl = &h->timelines[i];

		json_array_append_new(a, json_pack("{s:o,s:s}", "function",
						   tp_json_str(profile__func_name(h->p, tl->func)),
						   "bins", tl->bins));
	}
	return a;
}

/* Per-slice counts as one string of space-separated integers: one line
 * per item in the indented JSON instead of one per slice. */
static json_t *counts_json(const uint64_t *c, unsigned n)
{
	char *buf = tp_xmalloc((size_t)n * 21 + 1);
	size_t len = 0;
	json_t *j;

	buf[0] = '\0';
	for (unsigned k = 0; k < n; k++)
		len += (size_t)snprintf(buf + len, 22, k ? " %llu" : "%llu",
					(unsigned long long)c[k]);
	j = json_string(buf);
	free(buf);
	return j;
}

static json_t *stats_json(const struct diff_side *s)
{
	json_t *j = json_object(), *items = json_array(), *loops = json_array();

	json_object_set_new(j, "slices", json_integer(s->nslices));
	json_object_set_new(j, "slice_samples", counts_json(s->slice_n, s->nslices));
	json_object_set_new(j, "min_item_samples", json_integer(HEALTH_SIDE_MIN));
	for (size_t i = 0; i < s->nitems; i++) {
		const struct side_item *it = &s->items[i];
		json_t *o = json_object();

		json_object_set_new(
			o, "kind",
			json_string(it->kind == DIFF_ITEM_LEAF_TIER ? "leaf" : "function"));
		json_object_set_new(o, "tier",
				    json_string(it->kind == DIFF_ITEM_FUNC_TOTAL
							? "all"
							: tier__name(it->tier)));
		if (it->kind != DIFF_ITEM_LEAF_TIER) {
			json_object_set_new(o, "id", tp_json_str(it->func));
			json_object_set_new(o, "name", tp_json_str(it->name));
			json_object_set_new(o, "runtime", tp_json_str(it->runtime));
		}
		json_object_set_new(o, "counts", counts_json(it->counts, s->nslices));
		json_array_append_new(items, o);
	}
	json_object_set_new(j, "items", items);
	for (size_t i = 0; i < s->nloops; i++)
		json_array_append_new(loops, json_pack("{s:o,s:o,s:i}", "id",
						       tp_json_str(s->loops[i].func), "name",
						       tp_json_str(s->loops[i].name), "cycles",
						       (int)s->loops[i].cycles));
	json_object_set_new(j, "deopt_loops", loops);
	return j;
}

static json_t *capture_json(const struct health_entry *e)
{
	const struct health *h = e->h;
	const struct profile_info *in = &h->p->info;
	json_t *j = json_object();
	uint64_t all = in->samples_total + in->lost;

	json_object_set_new(j, "name", tp_json_str(h->name));
	json_object_set_new(j, "file", tp_json_str(in->path));
	json_object_set_new(j, "command", in->command ? tp_json_str(in->command) : json_null());
	json_object_set_new(j, "samples", json_integer((json_int_t)h->t.samples));
	json_object_set_new(j, "samples_total", json_integer((json_int_t)in->samples_total));
	json_object_set_new(j, "lost", json_integer((json_int_t)in->lost));
	json_object_set_new(j, "lost_pct",
			    json_real(all ? 100.0 * (double)in->lost / (double)all : 0));
	json_object_set_new(j, "duration_s", json_real(h->side.duration_s));
	json_object_set_new(j, "frequency_hz", json_integer(in->freq_hz));
	json_object_set_new(j, "complete", json_boolean(in->complete));
	json_object_set_new(j, "tiers", tiers_json(h->t.leaf_tiers));
	json_object_set_new(j, "processes", procs_json(h));
	json_object_set_new(j, "interpreter_dominated", findings_json(h, FINDING_KIND_INTERPRETER));
	json_object_set_new(j, "deopt_loops", findings_json(h, FINDING_KIND_DEOPT_LOOP));
	json_object_set_new(j, "unknown", unknown_json(h));
	json_object_set_new(j, "timelines", timelines_json(h));
	json_object_set_new(j, "comparison", e->cmp ? diff_result__json(e->cmp, 0) : json_null());
	json_object_set_new(j, "stats", stats_json(&h->side));
	return j;
}

int output_health_json(FILE *f, const struct health_entry *e, size_t n, const char *baseline,
		       int timestamp)
{
	json_t *root = json_object(), *caps = json_array();

	json_object_set_new(root, "schema", json_integer(HEALTH_SCHEMA));
	json_object_set_new(root, "kind", json_string("health"));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	if (timestamp) {
		char buf[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(root, "generated", json_string(buf));
	}
	json_object_set_new(root, "baseline", baseline ? tp_json_str(baseline) : json_null());
	for (size_t i = 0; i < n; i++)
		json_array_append_new(caps, capture_json(&e[i]));
	json_object_set_new(root, "captures", caps);
	return tp_json_write(f, root);
}

/* --- reader --- */

struct reader {
	const char *path;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s: ", r->path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* "3 0 12": exactly n decimal counts separated by single spaces. */
static int get_counts(struct reader *r, json_t *a, unsigned n, uint64_t *out, const char *where)
{
	const char *s = json_is_string(a) ? json_string_value(a) : NULL;

	if (!s)
		return bad(r, "%s: expected a string of %u counts", where, n);
	for (unsigned k = 0; k < n; k++) {
		uint64_t v = 0;

		if (k && *s++ != ' ')
			return bad(r, "%s: expected %u counts separated by spaces", where, n);
		if (*s < '0' || *s > '9')
			return bad(r, "%s: count %u is not a number", where, k);
		for (; *s >= '0' && *s <= '9'; s++) {
			if (v > (UINT64_MAX - 9) / 10)
				return bad(r, "%s: count %u is too large", where, k);
			v = v * 10 + (uint64_t)(*s - '0');
		}
		out[k] = v;
	}
	if (*s)
		return bad(r, "%s: more than %u counts, or junk at the end", where, n);
	return 0;
}

static int tier_of(const char *s)
{
	for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
		if (!strcmp(s, tier__name(t)))
			return (int)t;
	}
	return -1;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int read_item(struct reader *r, struct diff_side *s, json_t *it, size_t i, uint64_t *counts)
{
	const char *kind = get_str(it, "kind"), *tier = get_str(it, "tier");
	const char *id = get_str(it, "id"), *name = get_str(it, "name"),
		   *rt = get_str(it, "runtime");
	char where[64];
	int t, leaf;

	snprintf(where, sizeof(where), "stats.items[%zu]", i);
	if (!json_is_object(it) || !kind || !tier)
		return bad(r, "%s: expected an object with kind and tier", where);
	leaf = !strcmp(kind, "leaf");
	if (!leaf && strcmp(kind, "function"))
		return bad(r, "%s.kind: '%s' is not leaf or function", where, kind);
	t = !strcmp(tier, "all") && !leaf ? 0 : tier_of(tier);
	if (t < 0)
		return bad(r, "%s.tier: unknown tier '%s'", where, tier);
	if (!leaf && (!id || !name || !rt))
		return bad(r, "%s: a function item needs id, name and runtime strings", where);
	snprintf(where, sizeof(where), "stats.items[%zu].counts", i);
	if (get_counts(r, json_object_get(it, "counts"), s->nslices, counts, where))
		return -1;
	for (unsigned k = 0; k < s->nslices; k++) {
		if (counts[k] > s->slice_n[k])
			return bad(r, "%s[%u]: %llu is more than the slice's %llu samples", where,
				   k, (unsigned long long)counts[k],
				   (unsigned long long)s->slice_n[k]);
	}
	if (!diff_side__add(s,
			    leaf		   ? DIFF_ITEM_LEAF_TIER
			    : !strcmp(tier, "all") ? DIFF_ITEM_FUNC_TOTAL
						   : DIFF_ITEM_FUNC_TIER,
			    (unsigned)t, leaf ? NULL : id, name, rt, counts))
		return bad(r, "stats.items[%zu]: the same item twice", i);
	return 0;
}

static json_t *pick_capture(struct reader *r, json_t *caps, const char *name, const char *current)
{
	char *cur = current ? health__name_of(current) : NULL;
	json_t *found = NULL;

	for (size_t i = 0; i < json_array_size(caps) && !found; i++) {
		const char *n = get_str(json_array_get(caps, i), "name");

		if (n && name && !strcmp(n, name))
			found = json_array_get(caps, i);
	}
	for (size_t i = 0; i < json_array_size(caps) && !found && !name && cur; i++) {
		const char *n = get_str(json_array_get(caps, i), "name");

		if (n && !strcmp(n, cur))
			found = json_array_get(caps, i);
	}
	free(cur);
	if (!found && name) {
		bad(r, "no capture named '%s'", name);
		return NULL;
	}
	return found ? found : json_array_get(caps, 0);
}

static int read_side(struct reader *r, json_t *root, const char *name, const char *current,
		     struct diff_side *s)
{
	json_t *caps, *cap, *stats, *items, *loops, *v;
	const char *label;
	uint64_t *counts;
	json_int_t k;

	if (!json_is_object(root))
		return bad(r, "not a JSON object");
	v = json_object_get(root, "schema");
	if (!json_is_integer(v) || json_integer_value(v) != HEALTH_SCHEMA ||
	    !get_str(root, "kind") || strcmp(get_str(root, "kind"), "health"))
		return bad(r, "not a tierprof health JSON of schema %d", HEALTH_SCHEMA);
	caps = json_object_get(root, "captures");
	if (!json_is_array(caps) || !json_array_size(caps))
		return bad(r, "captures: expected a non-empty array");
	cap = pick_capture(r, caps, name, current);
	if (!cap)
		return -1;
	label = get_str(cap, "name");
	stats = json_object_get(cap, "stats");
	if (!label || !json_is_object(stats))
		return bad(r, "captures[]: expected name and stats");
	v = json_object_get(stats, "slices");
	k = json_is_integer(v) ? json_integer_value(v) : -1;
	if (k < 2 || k > DIFF_MAX_SLICES)
		return bad(r, "stats.slices: expected an integer from 2 to %d", DIFF_MAX_SLICES);
	diff_side__init(s, label, (unsigned)k);
	counts = tp_xcalloc((size_t)k, sizeof(*counts));
	if (get_counts(r, json_object_get(stats, "slice_samples"), s->nslices, s->slice_n,
		       "stats.slice_samples"))
		goto fail;
	for (unsigned i = 0; i < s->nslices; i++) {
		if (s->slice_n[i] > UINT32_MAX || s->samples + s->slice_n[i] < s->samples) {
			bad(r, "stats.slice_samples[%u]: too large", i);
			goto fail;
		}
		s->samples += s->slice_n[i];
	}
	if (!s->samples) {
		bad(r, "stats.slice_samples: no samples");
		goto fail;
	}
	v = json_object_get(cap, "lost");
	s->lost = json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v)
								  : 0;
	v = json_object_get(cap, "duration_s");
	s->duration_s = json_is_number(v) ? json_number_value(v) : 0;
	items = json_object_get(stats, "items");
	if (!json_is_array(items)) {
		bad(r, "stats.items: expected an array");
		goto fail;
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		if (read_item(r, s, json_array_get(items, i), i, counts))
			goto fail;
	}
	loops = json_object_get(stats, "deopt_loops");
	if (!json_is_array(loops)) {
		bad(r, "stats.deopt_loops: expected an array");
		goto fail;
	}
	for (size_t i = 0; i < json_array_size(loops); i++) {
		json_t *l = json_array_get(loops, i), *c = json_object_get(l, "cycles");
		const char *id = get_str(l, "id"), *nm = get_str(l, "name");

		if (!id || !nm || !json_is_integer(c) || json_integer_value(c) < 0 ||
		    json_integer_value(c) > UINT_MAX) {
			bad(r, "stats.deopt_loops[%zu]: expected id, name and cycles", i);
			goto fail;
		}
		TP_VEC_PUSH(s->loops, s->nloops, s->loops_cap,
			    ((struct side_loop){ .func = tp_xstrdup(id),
						 .name = tp_xstrdup(nm),
						 .cycles = (unsigned)json_integer_value(c) }));
	}
	free(counts);
	return 0;
fail:
	free(counts);
	diff_side__exit(s);
	return -1;
}

int health_json__parse_side(const char *buf, size_t len, const char *path, const char *name,
			    const char *current, struct diff_side *s, char *err, size_t errlen)
{
	struct reader r = { .path = path, .err = err, .errlen = errlen };
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	int ret;

	memset(s, 0, sizeof(*s));
	if (!root)
		return bad(&r, "line %d, column %d: %s", je.line, je.column, je.text);
	ret = read_side(&r, root, name, current, s);
	json_decref(root);
	return ret;
}

int health_json__read_side(const char *path, const char *name, const char *current,
			   struct diff_side *s, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		tp_xgrow((void **)&buf, &cap, len + 65536, 1);
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	ret = health_json__parse_side(buf, len, path, name, current, s, err, errlen);
	free(buf);
	return ret;
}

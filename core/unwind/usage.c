#include "usage.h"
#include "stitch.h"
#include "../util/mem.h"

#include <jansson.h>
#include <string.h>

const uint32_t stack_usage_sizes[STACK_USAGE_NSIZES] = { 256,  512,   1024,  2048, 4096,
							 8192, 16384, 32768, 65528 };

static void dist_add(struct usage_dist *d, uint64_t v)
{
	TP_VEC_PUSH(d->v, d->n, d->cap, v);
}

/* scratch[0..k*len) as k arrays of len entries. */
static uint64_t *scratch(struct stack_usage *su, size_t k, size_t len)
{
	tp_xgrow((void **)&su->scratch, &su->scratch_cap, k * len, sizeof(*su->scratch));
	return su->scratch;
}

/* The input with its slice cut to size bytes. */
static struct unwind_input cut(const struct unwind_input *in, uint64_t size)
{
	struct unwind_input c = *in;

	if (c.stack_size > size)
		c.stack_size = size;
	return c;
}

static void note_sample(struct stack_usage *su, enum stack_usage_kind kind,
			const struct unwind_input *in)
{
	su->kind = kind;
	su->samples++;
	if (in->stack_size > su->slice_max)
		su->slice_max = in->stack_size;
}

/* The repaired chain (into out, capacity n + max) from a walk of in. */
static size_t repaired(struct unwinder *u, const struct unwind_input *in, const uint64_t *chain,
		       size_t n, size_t max, uint64_t *walked, uint64_t *need, uint64_t *out)
{
	struct unwind_need nd = { .frames = need };
	size_t nw;

	unwinder__walk_measured(u, in, 0, walked, max, &nw, &nd);
	memcpy(out, chain, n * sizeof(*out));
	return stitch__repair(out, n, n + max, walked, nw);
}

void stack_usage__repair(struct stack_usage *su, struct unwinder *u, const struct unwind_input *in,
			 const uint64_t *chain, size_t n, size_t max)
{
	size_t len = n + max, nfull, ncut;
	uint64_t *s, *walked, *need, *full, *other;

	if (!n)
		return;
	s = scratch(su, 4, len);
	walked = s, need = s + len, full = s + 2 * len, other = s + 3 * len;
	note_sample(su, STACK_USAGE_REPAIR, in);
	nfull = repaired(u, in, chain, n, max, walked, need, full);
	if (nfull == n)
		return; /* nothing to repair: a smaller slice cannot change that */
	su->repaired++;
	/* the inserted frames are walked[1..nfull - n] */
	dist_add(&su->repair, need[nfull - n]);
	for (size_t i = 0; i < STACK_USAGE_NSIZES; i++) {
		struct unwind_input c = cut(in, stack_usage_sizes[i]);

		ncut = repaired(u, &c, chain, n, max, walked, need, other);
		su->same[i] += ncut == nfull && !memcmp(other, full, nfull * sizeof(*full));
	}
}

/* A DWARF walk as the loader makes it: continued with the kernel's chain in
 * mixed mode when it stopped early. */
static size_t dwarf_walk(struct unwinder *u, const struct unwind_input *in, unsigned flags,
			 const uint64_t *chain, size_t n, size_t max, uint64_t *ips,
			 struct unwind_need *need, size_t *nwalked, enum unwind_stop *st,
			 enum unwind_stop *walk_st)
{
	size_t nw;

	*st = *walk_st = unwinder__walk_measured(u, in, flags, ips, max, &nw, need);
	*nwalked = nw;
	if (nw && *st != UNWIND_STOP_END && *st != UNWIND_STOP_MAX &&
	    (flags & UNWIND_FP_THROUGH_JIT)) {
		size_t joined = stitch__continue(ips, nw, max, chain, n);

		if (joined != nw) {
			nw = joined;
			*st = nw == max ? UNWIND_STOP_MAX : UNWIND_STOP_END;
		}
	}
	return nw;
}

void stack_usage__dwarf(struct stack_usage *su, struct unwinder *u, const struct unwind_input *in,
			unsigned flags, const uint64_t *chain, size_t n, size_t max)
{
	uint64_t *s = scratch(su, 3, max), *full = s, *frames = s + max, *other = s + 2 * max;
	struct unwind_need need = { .frames = frames };
	enum unwind_stop st, st_cut, walk_st;
	size_t nfull, nwalked, ncut, k;

	nfull = dwarf_walk(u, in, flags, chain, n, max, full, &need, &nwalked, &st, &walk_st);
	if (!nfull)
		return;
	note_sample(su, STACK_USAGE_DWARF, in);
	su->mixed = !!(flags & UNWIND_FP_THROUGH_JIT);
	su->stops[walk_st]++; /* the walk's own end, before any continuation */
	dist_add(&su->walk, need.total);
	for (size_t i = 0; i < nwalked; i++) {
		struct unwind_code c;

		unwinder__code(u, in->pid, full[i], &c);
		if (c.kind == UNWIND_CODE_JIT) {
			if (i) /* a JIT leaf takes no stack to reach */
				dist_add(&su->to_jit, frames[i]);
			break;
		}
	}
	for (size_t i = 0; i < STACK_USAGE_NSIZES; i++) {
		struct unwind_input c = cut(in, stack_usage_sizes[i]);

		ncut = dwarf_walk(u, &c, flags, chain, n, max, other, NULL, &k, &st_cut, &walk_st);
		su->same[i] += st_cut == st && ncut == nfull &&
			       !memcmp(other, full, nfull * sizeof(*full));
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentiles of d (sorted in place). */
struct pct {
	uint64_t p50, p90, p99, max;
};

static struct pct percentiles(const struct usage_dist *d)
{
	struct pct p = { 0 };

	if (!d->n)
		return p;
	qsort(d->v, d->n, sizeof(*d->v), cmp_u64);
	p.p50 = d->v[(d->n * 50 + 99) / 100 - 1];
	p.p90 = d->v[(d->n * 90 + 99) / 100 - 1];
	p.p99 = d->v[(d->n * 99 + 99) / 100 - 1];
	p.max = d->v[d->n - 1];
	return p;
}

/* Sizes above the smallest candidate that holds every slice measure nothing:
 * the cut leaves the slice whole. */
static int size_shown(const struct stack_usage *su, size_t i)
{
	return !i || stack_usage_sizes[i - 1] < su->slice_max;
}

static double pct_of(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* The denominator of same[]: repaired samples, or all walks. */
static uint64_t judged(const struct stack_usage *su)
{
	return su->kind == STACK_USAGE_REPAIR ? su->repaired : su->samples;
}

static void print_dist(FILE *f, const char *what, const struct usage_dist *d)
{
	struct pct p = percentiles(d);

	fprintf(f, "  %-28s %8zu %7llu %7llu %7llu %7llu\n", what, d->n, (unsigned long long)p.p50,
		(unsigned long long)p.p90, (unsigned long long)p.p99, (unsigned long long)p.max);
}

void stack_usage__print_text(const struct stack_usage *su, FILE *f)
{
	if (su->kind == STACK_USAGE_NONE) {
		fprintf(f, "no sample carries registers and a stack slice: record with "
			   "--call-graph fp,SIZE or dwarf,SIZE\n");
		return;
	}
	fprintf(f, "%llu samples unwound (%s), largest slice %llu bytes\n",
		(unsigned long long)su->samples,
		su->kind == STACK_USAGE_REPAIR ? "first-frame repair"
		: su->mixed		       ? "dwarf"
					       : "dwarf-strict",
		(unsigned long long)su->slice_max);
	fprintf(f, "stack bytes needed           %8s %7s %7s %7s %7s\n", "samples", "p50", "p90",
		"p99", "max");
	if (su->kind == STACK_USAGE_REPAIR) {
		print_dist(f, "by the repair", &su->repair);
		fprintf(f, "%llu samples repaired (%.1f %%)\n", (unsigned long long)su->repaired,
			pct_of(su->repaired, su->samples));
	} else {
		print_dist(f, "by the whole walk", &su->walk);
		print_dist(f, "to a JIT caller", &su->to_jit);
		fprintf(f,
			"walks (before mixed mode continues them) reaching the root %.1f %%, out "
			"of slice %.1f %%, at JIT code "
			"%.1f %%, at native code without CFI %.1f %%\n",
			pct_of(su->stops[UNWIND_STOP_END], su->samples),
			pct_of(su->stops[UNWIND_STOP_SLICE], su->samples),
			pct_of(su->stops[UNWIND_STOP_JIT_NO_CFI], su->samples),
			pct_of(su->stops[UNWIND_STOP_NO_CFI], su->samples));
	}
	fprintf(f, "slice bytes  %s\n",
		su->kind == STACK_USAGE_REPAIR ? "repairs kept" : "same stack as the whole slice");
	for (size_t i = 0; i < STACK_USAGE_NSIZES; i++) {
		if (!size_shown(su, i))
			break;
		fprintf(f, "  %7u    %5.1f %%\n", stack_usage_sizes[i],
			pct_of(su->same[i], judged(su)));
	}
}

static json_t *dist_json(const struct usage_dist *d)
{
	struct pct p = percentiles(d);

	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "samples", (json_int_t)d->n, "p50",
			 (json_int_t)p.p50, "p90", (json_int_t)p.p90, "p99", (json_int_t)p.p99,
			 "max", (json_int_t)p.max);
}

int stack_usage__print_json(const struct stack_usage *su, FILE *f)
{
	json_t *o = json_object(), *sizes = json_object(), *stops = json_object();
	static const char *const mode[] = { "none", "repair", "dwarf" };
	char key[16];
	int ret = -1;

	if (!o || !sizes || !stops)
		goto out;
	for (size_t i = 0; i < STACK_USAGE_NSIZES; i++) {
		if (!size_shown(su, i))
			break;
		snprintf(key, sizeof(key), "%u", stack_usage_sizes[i]);
		json_object_set_new(sizes, key, json_real(pct_of(su->same[i], judged(su))));
	}
	json_object_set_new(o, "mode",
			    json_string(su->kind == STACK_USAGE_DWARF && !su->mixed
						? "dwarf-strict"
						: mode[su->kind]));
	json_object_set_new(o, "samples", json_integer((json_int_t)su->samples));
	json_object_set_new(o, "slice_max", json_integer((json_int_t)su->slice_max));
	if (su->kind == STACK_USAGE_REPAIR) {
		json_object_set_new(o, "repaired", json_integer((json_int_t)su->repaired));
		json_object_set_new(o, "repair", dist_json(&su->repair));
	} else {
		json_object_set_new(o, "walk", dist_json(&su->walk));
		json_object_set_new(o, "to_jit", dist_json(&su->to_jit));
		/* the unknown-cause words of the report, "root" for a complete walk */
		static const char *const stop_key[UNWIND_STOP_BAD + 1] = {
			[UNWIND_STOP_END] = "root",
			[UNWIND_STOP_MAX] = "truncated",
			[UNWIND_STOP_JIT_NO_CFI] = "jit-no-cfi",
			[UNWIND_STOP_SLICE] = "stack-slice",
			[UNWIND_STOP_NO_CFI] = "native-no-cfi",
			[UNWIND_STOP_BAD] = "no-mapping",
		};

		for (int s = 0; s <= UNWIND_STOP_BAD; s++)
			json_object_set_new(stops, stop_key[s],
					    json_integer((json_int_t)su->stops[s]));
		json_object_set_new(o, "stops", stops);
		stops = NULL;
	}
	json_object_set_new(o, "same_percent", sizes);
	sizes = NULL;
	if (json_dumpf(o, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF)
		ret = 0;
out:
	json_decref(o);
	json_decref(sizes);
	json_decref(stops);
	return ret;
}

void stack_usage__exit(struct stack_usage *su)
{
	free(su->repair.v);
	free(su->walk.v);
	free(su->to_jit.v);
	free(su->scratch);
	memset(su, 0, sizeof(*su));
}

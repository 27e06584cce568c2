/* The human report: a header about the capture, the tier mix, bottom-up and
 * top-down tables with standard errors, a pruned call tree, and where the
 * unknown frames came from. */
#include "output.h"
#include "jit_threads.h"
#include "../analysis/functions.h"
#include "../analysis/gaps.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>

#define NAME_WIDTH 48

static double pct(uint64_t k, uint64_t n)
{
	return n ? 100.0 * (double)k / (double)n : 0.0;
}

static void print_header(FILE *f, const struct profile *p, const struct func_table *t)
{
	const struct profile_info *in = &p->info;
	double dur = in->end_ns > in->start_ns ? (double)(in->end_ns - in->start_ns) / 1e9 : 0;
	size_t nproc = 0, nthr = 0;

	for (size_t i = 0; i < p->nthreads; i++) {
		if (!p->threads[i].samples)
			continue;
		nthr++;
		nproc += p->threads[i].pid == p->threads[i].tid;
	}
	fprintf(f, "# tierprof report of %s\n", in->path);
	if (in->command)
		fprintf(f, "# command: %s\n", in->command);
	fprintf(f, "# duration %.2f s, %u Hz, %llu samples shown of %llu", dur, in->freq_hz,
		(unsigned long long)t->samples, (unsigned long long)in->samples_total);
	fprintf(f, " (%zu threads in %zu processes)\n", nthr, nproc ? nproc : (nthr ? 1 : 0));
	if (in->lost || in->throttled)
		fprintf(f, "# WARNING: the kernel lost %llu samples and throttled %llu times\n",
			(unsigned long long)in->lost, (unsigned long long)in->throttled);
	if (!in->complete)
		fprintf(f, "# WARNING: capture incomplete (%s); figures cover what was read\n",
			in->damage_err ? "damaged" : "not finalized");
	if (in->exclude_kernel)
		fprintf(f, "# note: kernel frames were not recorded (insufficient privilege)\n");
	if (in->frameless_repaired)
		fprintf(f,
			"# %llu samples had a frameless leaf whose caller was recovered from the "
			"sampled stack\n",
			(unsigned long long)in->frameless_repaired);
	if (in->context_frames)
		fprintf(f,
			"# %llu of %llu interpreter frames named from the sampled stack (leaves: "
			"%llu of %llu)\n",
			(unsigned long long)in->context_named,
			(unsigned long long)in->context_frames,
			(unsigned long long)in->context_leaf_named,
			(unsigned long long)in->context_leaf_frames);
	if (in->dwarf_unwound)
		fprintf(f,
			"# %llu user stacks unwound with DWARF CFI (--unwind %s, %u-byte stack)\n",
			(unsigned long long)in->dwarf_unwound, in->unwind_mode, in->stack_user);
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct thread *th = &p->threads[i];
		uint64_t jit, all = 0;

		if (th->pid != th->tid || !(jit = jit_threads__samples(p, th->pid)))
			continue;
		for (size_t j = 0; j < p->nthreads; j++)
			all += p->threads[j].pid == th->pid ? p->threads[j].samples : 0;
		fprintf(f,
			"# pid %u (%s): JIT compiler threads %.1f%% of its samples (%llu of "
			"%llu)%s\n",
			th->pid, profile__str(p, th->comm), pct(jit, all), (unsigned long long)jit,
			(unsigned long long)all,
			4 * jit >= all ? "; this much after warm-up is a recompilation-loop symptom"
				       : "");
	}
	if (t->samples && t->samples < 100)
		fprintf(f, "# note: fewer than 100 samples: shares are rough (see the ± column)\n");
	fprintf(f, "\n");
}

static void print_tiers(FILE *f, const struct func_table *t)
{
	fprintf(f, "Tier mix (leaf frames):");
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned tier = tier__display_order[k];

		if (t->leaf_tiers[tier])
			fprintf(f, "  %s %.1f%%", tier__name(tier),
				pct(t->leaf_tiers[tier], t->samples));
	}
	fprintf(f, "\n\n");
}

static void print_name(FILE *f, const struct profile *p, uint32_t func)
{
	const char *name = profile__func_name(p, func);
	int len = (int)strlen(name);

	if (len > NAME_WIDTH)
		fprintf(f, "%.*s...", NAME_WIDTH - 3, name);
	else
		fprintf(f, "%-*s", NAME_WIDTH, name);
}

/* One column per tier present in the profile: the share of each function's
 * samples spent in that tier, so an interpreter-bound function stands out. */
static void print_table(FILE *f, const struct profile *p, const struct func_table *t,
			const struct report_opts *o, int by_total)
{
	size_t n;
	uint32_t *ids = func_table__sorted(t, by_total, &n);
	unsigned cols[TP_TIER__COUNT], ncols = 0;

	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned tier = tier__display_order[k];

		for (size_t i = 0; i < n; i++) {
			const struct func_stats *s = &t->funcs[ids[i]];

			if ((by_total ? s->total_tiers : s->self_tiers)[tier]) {
				cols[ncols++] = tier;
				break;
			}
		}
	}
	fprintf(f, "%s\n%s     ± %s   samples ",
		by_total
			? "Top-down: total time (function and its callees); tier columns: share of "
			  "its total"
			: "Bottom-up: self time (hot leaves first); tier columns: share of its "
			  "self "
			  "time",
		by_total ? " total%" : "  self%", by_total ? " self%" : "total%");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(f, " %6s", tier__short_name(cols[c]));
	fprintf(f, "  %-*s  %s\n", NAME_WIDTH, "function", "dso");
	for (size_t i = 0; i < n && i < o->limit; i++) {
		const struct func_stats *s = &t->funcs[ids[i]];
		uint64_t main_k = by_total ? s->total : s->self;
		uint64_t other_k = by_total ? s->self : s->total;
		const uint64_t *tiers = by_total ? s->total_tiers : s->self_tiers;

		if (!main_k)
			break;
		fprintf(f, "%6.2f%% %5.2f %6.2f%% %9llu ", pct(main_k, t->samples),
			100.0 * share_stderr(main_k, t->samples), pct(other_k, t->samples),
			(unsigned long long)main_k);
		for (unsigned c = 0; c < ncols; c++) {
			if (tiers[cols[c]])
				fprintf(f, " %5.0f%%", pct(tiers[cols[c]], main_k));
			else
				fprintf(f, " %6s", "-");
		}
		fprintf(f, "  ");
		print_name(f, p, ids[i]);
		fprintf(f, "  %s\n", profile__func_dso(p, ids[i]));
	}
	if (n > o->limit)
		fprintf(f, "  ... %zu more functions (--limit)\n", n - o->limit);
	fprintf(f, "\n");
	free(ids);
}

static void print_tree_node(FILE *f, const struct profile *p, const struct func_table *t,
			    const struct report_opts *o, uint32_t **children, const size_t *nchild,
			    uint32_t node, unsigned indent)
{
	const struct frame *fr = &p->frames[p->nodes[node].frame];

	fprintf(f, "%6.2f%% %*s%s", pct(t->node_total[node], t->samples), (int)indent * 2, "",
		profile__func_name(p, fr->func));
	if (fr->tier != TP_TIER_NATIVE)
		fprintf(f, " [%s]", tier__name(fr->tier));
	if (t->node_self[node])
		fprintf(f, "  (self %.2f%%)", pct(t->node_self[node], t->samples));
	fprintf(f, "\n");
	for (size_t i = 0; i < nchild[node]; i++) {
		uint32_t c = children[node][i];

		if (pct(t->node_total[c], t->samples) >= o->min_percent)
			print_tree_node(f, p, t, o, children, nchild, c, indent + 1);
	}
}

static int cmp_child(const void *a, const void *b, void *arg)
{
	const struct func_table *t = arg;
	uint64_t x = t->node_total[*(const uint32_t *)a];
	uint64_t y = t->node_total[*(const uint32_t *)b];

	return (x < y) - (x > y);
}

/* Top-down call tree, children sorted by total, pruned by --min-percent. */
static void print_tree(FILE *f, const struct profile *p, const struct func_table *t,
		       const struct report_opts *o)
{
	uint32_t **children = tp_xcalloc(p->nnodes, sizeof(*children));
	size_t *nchild = tp_xcalloc(p->nnodes, sizeof(*nchild));
	size_t *cap = tp_xcalloc(p->nnodes, sizeof(*cap));

	for (uint32_t n = 1; n < p->nnodes; n++) {
		uint32_t par = p->nodes[n].parent;

		if (t->node_total[n])
			TP_VEC_PUSH(children[par], nchild[par], cap[par], n);
	}
	for (uint32_t n = 0; n < p->nnodes; n++) {
		if (nchild[n] > 1)
			qsort_r(children[n], nchild[n], sizeof(uint32_t), cmp_child, (void *)t);
	}
	fprintf(f, "Call tree (top-down, nodes of at least %.1f%%)\n", o->min_percent);
	for (size_t i = 0; i < nchild[PROFILE_ROOT]; i++) {
		uint32_t c = children[PROFILE_ROOT][i];

		if (pct(t->node_total[c], t->samples) >= o->min_percent)
			print_tree_node(f, p, t, o, children, nchild, c, 0);
	}
	fprintf(f, "\n");
	for (uint32_t n = 0; n < p->nnodes; n++)
		free(children[n]);
	free(children);
	free(nchild);
	free(cap);
}

/* Figures the runtime plugins reported, per process (ABI 1.2 add_stat). */
static void print_runtime_stats(FILE *f, const struct profile *p)
{
	uint8_t *done;

	if (!p->nstats)
		return;
	done = tp_xcalloc(p->nstats, 1);
	fprintf(f, "Runtime figures (reported by the runtime)\n");
	for (size_t i = 0; i < p->nstats; i++) {
		const struct runtime_stat *first = &p->stats[i];

		if (done[i])
			continue;
		fprintf(f, "  pid %u, %s\n", first->pid, profile__str(p, first->runtime));
		for (size_t j = i; j < p->nstats; j++) {
			const struct runtime_stat *st = &p->stats[j];
			double v = st->value;

			if (done[j] || st->pid != first->pid || st->runtime != first->runtime)
				continue;
			done[j] = 1;
			fprintf(f, "    %-34s ", profile__str(p, st->name));
			if (v == (double)(long long)v && v < 1e15 && v > -1e15)
				fprintf(f, "%14lld", (long long)v);
			else
				fprintf(f, "%14.6g", v);
			fprintf(f, " %s\n", profile__str(p, st->unit));
		}
	}
	fprintf(f, "\n");
	free(done);
}

static void print_unknown(FILE *f, const struct profile *p, const struct func_table *t)
{
	struct gap *g;
	size_t n = gaps__build(p, t, &g);

	if (n) {
		fprintf(f, "Unknown and partly named frames (samples with such a frame anywhere "
			   "on the stack, by cause)\n");
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%6.2f%% %-16s %s\n", pct(g[i].samples, t->samples), g[i].cause,
				g[i].hint);
		fprintf(f, "\n");
	}
	free(g);
}

int output_text(FILE *f, const struct profile *p, const struct func_table *t,
		const struct findings *fd, const struct report_opts *o)
{
	print_header(f, p, t);
	if (!t->samples) {
		fprintf(f, "No samples%s.\n", p->info.samples_total ? " match the filters" : "");
		return ferror(f) ? -1 : 0;
	}
	if (fd)
		output_findings_text(f, p, fd);
	print_tiers(f, t);
	if (o->bottom_up)
		print_table(f, p, t, o, 0);
	if (o->top_down)
		print_table(f, p, t, o, 1);
	if (o->tree)
		print_tree(f, p, t, o);
	print_runtime_stats(f, p);
	print_unknown(f, p, t);
	return ferror(f) ? -1 : 0;
}

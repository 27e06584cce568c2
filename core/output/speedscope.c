#include "speedscope.h"
#include "escape.h"
#include "frame_label.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>

#define SPEEDSCOPE_SCHEMA "https://www.speedscope.app/file-format-schema.json"

#ifndef TP_VERSION
#define TP_VERSION "0.0.0"
#endif

/* Threads in (pid, tid) order, then samples in time order. */
static int cmp_sample(const void *a, const void *b, void *arg)
{
	const struct sample *s = arg;
	const struct sample *x = &s[*(const uint32_t *)a], *y = &s[*(const uint32_t *)b];

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	if (x->tid != y->tid)
		return (x->tid > y->tid) - (x->tid < y->tid);
	if (x->time != y->time)
		return (x->time > y->time) - (x->time < y->time);
	return (*(const uint32_t *)a > *(const uint32_t *)b) -
	       (*(const uint32_t *)a < *(const uint32_t *)b);
}

static void write_frames(FILE *f, const struct profile *p, const uint32_t *index)
{
	int first = 1;

	fputs("\"shared\":{\"frames\":[", f);
	for (uint32_t fr = 0; fr < p->nframes; fr++) {
		char *name;
		const char *file;

		if (index[fr] == UINT32_MAX)
			continue;
		name = frame_label__with_tier(p, fr);
		file = profile__func_dso(p, p->frames[fr].func);
		fputs(first ? "\n{\"name\":\"" : ",\n{\"name\":\"", f);
		escape__json(f, name);
		fputc('"', f);
		if (file[0]) {
			fputs(",\"file\":\"", f);
			escape__json(f, file);
			fputc('"', f);
		}
		fputc('}', f);
		first = 0;
		free(name);
	}
	fputs("]}", f);
}

/* Root first: speedscope reads each stack from the outermost frame. */
static void write_stack(FILE *f, const struct profile *p, const uint32_t *index, uint32_t node,
			uint32_t **path, size_t *cap)
{
	size_t depth = 0;

	for (uint32_t n = node; n != PROFILE_ROOT; n = p->nodes[n].parent)
		TP_VEC_PUSH(*path, depth, *cap, index[p->nodes[n].frame]);
	fputc('[', f);
	while (depth) {
		fprintf(f, "%u", (*path)[--depth]);
		if (depth)
			fputc(',', f);
	}
	fputc(']', f);
}

static void write_profile(FILE *f, const struct profile *p, const uint32_t *index,
			  const uint32_t *order, size_t from, size_t to, uint32_t **path,
			  size_t *cap)
{
	const struct sample *first = &p->samples[order[from]];
	uint64_t dflt = p->info.freq_hz ? 1000000000ull / p->info.freq_hz : 1;
	uint64_t *weights = NULL, start, end, total = 0;
	size_t nw = 0, wcap = 0;

	/* Relative to the capture's start, so the threads line up. */
	start = p->info.start_ns && p->info.start_ns <= first->time ? p->info.start_ns
								    : first->time;
	end = p->samples[order[to - 1]].time;
	fputs("{\"type\":\"sampled\",\"name\":\"", f);
	escape__json(f, profile__str(p, first->comm));
	fprintf(f, " (pid %u, tid %u)\",\"unit\":\"nanoseconds\",\"startValue\":%llu,", first->pid,
		first->tid, (unsigned long long)(first->time - start));
	fputs("\"samples\":[", f);
	for (size_t i = from; i < to; i++) {
		const struct sample *s = &p->samples[order[i]];
		uint64_t w = s->period ? s->period : dflt * sample__weight(s);

		if (i > from && s->node == p->samples[order[i - 1]].node) {
			weights[nw - 1] += w;
			continue;
		}
		if (nw)
			fputc(',', f);
		write_stack(f, p, index, s->node, path, cap);
		TP_VEC_PUSH(weights, nw, wcap, w);
	}
	fputs("],\"weights\":[", f);
	for (size_t i = 0; i < nw; i++) {
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)weights[i]);
		total += weights[i];
	}
	/* The time axis must cover every sample's weight, not only the span
	 * from the first sample to the last. */
	end = end - start > first->time - start + total ? end - start : first->time - start + total;
	fprintf(f, "],\"endValue\":%llu}", (unsigned long long)end);
	free(weights);
}

int output_speedscope(FILE *f, const struct profile *p)
{
	uint32_t *order = tp_xmalloc((p->nsamples ? p->nsamples : 1) * sizeof(*order));
	uint32_t *index = tp_xmalloc((p->nframes ? p->nframes : 1) * sizeof(*index));
	uint8_t *seen = tp_xcalloc(p->nnodes ? p->nnodes : 1, 1);
	uint32_t *path = NULL, next = 0;
	size_t cap = 0, nprofiles = 0;

	/* Shared frames: only those some sample uses, numbered densely. A node
	 * seen before means its whole path to the root was marked already. */
	memset(index, 0xff, (p->nframes ? p->nframes : 1) * sizeof(*index));
	for (size_t i = 0; i < p->nsamples; i++) {
		for (uint32_t n = p->samples[i].node; n != PROFILE_ROOT && !seen[n];
		     n = p->nodes[n].parent) {
			seen[n] = 1;
			index[p->nodes[n].frame] = 0;
		}
	}
	free(seen);
	for (uint32_t fr = 0; fr < p->nframes; fr++) {
		if (index[fr] != UINT32_MAX)
			index[fr] = next++;
	}
	for (size_t i = 0; i < p->nsamples; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, p->nsamples, sizeof(*order), cmp_sample, p->samples);

	fprintf(f, "{\"$schema\":\"%s\",\"exporter\":\"tierprof %s\",\"name\":\"",
		SPEEDSCOPE_SCHEMA, TP_VERSION);
	escape__json(f, p->info.command ? p->info.command : p->info.path ? p->info.path : "");
	fputs("\",\"activeProfileIndex\":0,\n", f);
	write_frames(f, p, index);
	fputs(",\n\"profiles\":[", f);
	for (size_t i = 0; i < p->nsamples;) {
		size_t j = i + 1;

		while (j < p->nsamples && p->samples[order[j]].pid == p->samples[order[i]].pid &&
		       p->samples[order[j]].tid == p->samples[order[i]].tid)
			j++;
		if (nprofiles++)
			fputc(',', f);
		fputc('\n', f);
		write_profile(f, p, index, order, i, j, &path, &cap);
		i = j;
	}
	fputs("]}\n", f);
	free(path);
	free(order);
	free(index);
	return ferror(f) ? -1 : 0;
}

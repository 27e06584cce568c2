/* The nightly JIT-health report as one static HTML file: inline CSS and
 * inline SVG charts, no script and no external resource, so it opens
 * offline, from a CI artifact, or attached to a mail. */
#include "health.h"
#include "diff_out.h"
#include "escape.h"
#include "../analysis/diff.h"
#include "../analysis/health.h"
#include "../model/profile.h"
#include "../model/tier.h"

#include <string.h>

static const char *const tier_fill[TP_TIER__COUNT] = {
	[TP_TIER_UNKNOWN] = "#b8b8b8",	[TP_TIER_INTERPRETER] = "#e8625a",
	[TP_TIER_BASELINE] = "#f3c42d", [TP_TIER_OPTIMIZED] = "#5cb860",
	[TP_TIER_RUNTIME] = "#b58fd1",	[TP_TIER_NATIVE] = "#7fb3e0",
	[TP_TIER_KERNEL] = "#b98a5f",
};

static void esc(FILE *f, const char *s)
{
	escape__xml(f, s ? s : "", 0);
}

#define BAR_W 600

/* A stacked bar of the tier mix, with a <title> per segment. */
static void tier_bar(FILE *f, const uint64_t *tiers, const char *label)
{
	uint64_t sum = 0;
	double x = 0;

	for (unsigned t = 0; t < TP_TIER__COUNT; t++)
		sum += tiers[t];
	fprintf(f, "<div class=\"bar\"><span class=\"lbl\">");
	esc(f, label);
	fprintf(f, "</span><svg class=\"tiermix\" width=\"%d\" height=\"18\" role=\"img\">", BAR_W);
	for (unsigned k = 0; k < TP_TIER__COUNT && sum; k++) {
		unsigned t = tier__display_order[k];
		double w = BAR_W * (double)tiers[t] / (double)sum;

		if (!tiers[t])
			continue;
		fprintf(f,
			"<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
			"<title>%s %.1f%% (%llu samples)</title></rect>",
			x, w, tier_fill[t], tier__name(t), 100.0 * (double)tiers[t] / (double)sum,
			(unsigned long long)tiers[t]);
		x += w;
	}
	fprintf(f, "</svg><span class=\"num\">%llu samples</span></div>\n",
		(unsigned long long)sum);
}

static void legend(FILE *f)
{
	fputs("<p class=\"legend\">", f);
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		fprintf(f, "<span><i style=\"background:%s\"></i>%s</span> ", tier_fill[t],
			tier__name(t));
	}
	fputs("</p>\n", f);
}

/* One column per bin, stacked bottom-up: optimized, baseline, interpreter,
 * in proportion; a deopt loop shows as stripes or as columns of mixed colour. */
static void timeline(FILE *f, const struct health *h, const struct health_timeline *tl)
{
	const double bw = 8, bh = 16;
	static const unsigned order[3] = { 2, 1, 0 };
	static const unsigned tiers[3] = { TP_TIER_INTERPRETER, TP_TIER_BASELINE,
					   TP_TIER_OPTIMIZED };

	fputs("<tr><td class=\"fn\">", f);
	esc(f, profile__func_name(h->p, tl->func));
	fprintf(f, "</td><td><svg class=\"timeline\" width=\"%.0f\" height=\"%.0f\" role=\"img\">",
		bw * HEALTH_BINS, bh);
	for (size_t b = 0; b < HEALTH_BINS; b++) {
		const uint32_t *c = tl->counts[b];
		double sum = (double)c[0] + c[1] + c[2], y = bh;

		for (unsigned k = 0; k < 3 && sum > 0; k++) {
			double part = bh * c[order[k]] / sum;

			if (!c[order[k]])
				continue;
			y -= part;
			fprintf(f,
				"<rect x=\"%.0f\" y=\"%.2f\" width=\"%.0f\" height=\"%.2f\" "
				"fill=\"%s\"/>",
				bw * (double)b, y, bw, part, tier_fill[tiers[order[k]]]);
		}
	}
	fputs("</svg></td></tr>\n", f);
}

static void findings_table(FILE *f, const struct health *h, enum finding_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < h->fd.nitems; i++)
		n += h->fd.items[i].kind == kind;
	if (!n) {
		fputs("<p class=\"ok\">none</p>\n", f);
		return;
	}
	fprintf(f,
		"<table><tr><th>function</th><th>share</th><th>own samples</th>"
		"<th>not optimized</th>%s</tr>\n",
		kind == FINDING_KIND_DEOPT_LOOP ? "<th>cycles</th><th>main reason</th>" : "");
	n = 0;
	for (size_t i = 0; i < h->fd.nitems && n < HEALTH_TOP; i++) {
		const struct finding *it = &h->fd.items[i];
		const struct own_time *o = it->func != UINT32_MAX ? &h->fd.own[it->func] : NULL;

		if (it->kind != kind)
			continue;
		n++;
		fputs("<tr><td class=\"fn\">", f);
		esc(f, it->func != UINT32_MAX ? profile__func_name(h->p, it->func)
					      : profile__str(h->p, it->history->key));
		fprintf(f, "</td><td>%.1f%%</td><td>%llu</td><td>%llu</td>", 100 * it->share,
			(unsigned long long)(o ? o->total : 0), (unsigned long long)it->lower);
		if (kind == FINDING_KIND_DEOPT_LOOP) {
			fprintf(f, "<td>%u</td><td>", it->history ? it->history->cycles : 0);
			if (it->history && it->history->nreasons)
				esc(f, profile__str(h->p, it->history->reasons[0].reason));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static const char *verdict_class(int direction, int up_bad)
{
	if (!direction)
		return "same";
	return (direction > 0) == up_bad ? "worse" : "better";
}

static void comparison(FILE *f, const struct diff_result *d, const char *baseline)
{
	fputs("<h3>Compared with the baseline</h3>\n<p>Baseline ", f);
	esc(f, baseline);
	fprintf(f, " (capture ");
	esc(f, d->a->label);
	fprintf(f,
		"). A change is shown when significant at %g%% confidence (%s correction, "
		"time-slice Welch test) and at least %g pp.</p>\n"
		"<table><tr><th>figure</th><th>baseline</th><th>now</th><th>change</th>"
		"<th>p (adj.)</th><th></th></tr>\n",
		100 * d->opts.confidence, stat_correction__name(d->opts.correction),
		100 * d->opts.min_effect);
	fprintf(f,
		"<tr class=\"%s\"><td>CPU samples</td><td>%llu</td><td>%llu</td><td>%+.1f%%</td>"
		"<td>%.3g</td><td>%s</td></tr>\n",
		verdict_class(d->cpu.direction, 1), (unsigned long long)d->cpu.a,
		(unsigned long long)d->cpu.b, d->cpu.a ? 100 * (d->cpu.ratio - 1) : 0, d->cpu.p_adj,
		d->cpu.direction ? (d->cpu.direction > 0 ? "up" : "down")
				 : "no significant change");
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];
		const struct diff_row *r = &d->headline[t];

		fprintf(f,
			"<tr class=\"%s\"><td>%s share</td><td>%.1f%%</td><td>%.1f%%</td>"
			"<td>%+.1f pp</td><td>%.3g</td><td>%s</td></tr>\n",
			verdict_class(r->direction, t == TP_TIER_INTERPRETER ||
							    t == TP_TIER_BASELINE ||
							    t == TP_TIER_UNKNOWN),
			tier__name(t), 100 * r->ea.share, 100 * r->eb.share, 100 * r->w.diff,
			r->p_adj, diff_direction__word(r->direction, r->kind, t));
	}
	fprintf(f,
		"<tr class=\"%s\"><td>deopt loops</td><td>%zu</td><td>%zu</td><td>%zu new, "
		"%zu gone</td><td></td><td></td></tr>\n</table>\n",
		d->nloops_new	 ? "worse"
		: d->nloops_gone ? "better"
				 : "same",
		d->a->nloops, d->b->nloops, d->nloops_new, d->nloops_gone);
	fprintf(f, "<p>Functions: %zu significant changes of %zu tested.</p>\n", d->nsignificant,
		d->ntested);
	if (!d->nsignificant)
		return;
	fputs("<table><tr><th>function</th><th>tier</th><th>baseline</th><th>now</th>"
	      "<th>change</th><th>p (adj.)</th></tr>\n",
	      f);
	for (size_t i = 0; i < d->nrows && i < 25 && d->rows[i].direction; i++) {
		const struct diff_row *r = &d->rows[i];

		fprintf(f, "<tr class=\"%s\"><td class=\"fn\">",
			r->w.diff > 0 ? "worse" : "better");
		esc(f, r->name);
		fprintf(f,
			"</td><td>%s</td><td>%.1f%%</td><td>%.1f%%</td><td>%+.1f pp</td>"
			"<td>%.3g</td></tr>\n",
			r->kind == DIFF_ITEM_FUNC_TOTAL ? "all" : tier__name(r->tier),
			100 * r->ea.share, 100 * r->eb.share, 100 * r->w.diff, r->p_adj);
	}
	fputs("</table>\n", f);
}

static void capture_section(FILE *f, const struct health_entry *e, const char *baseline)
{
	const struct health *h = e->h;
	const struct profile_info *in = &h->p->info;
	uint64_t all = in->samples_total + in->lost;

	fputs("<section class=\"capture\"><h2>", f);
	esc(f, h->name);
	fputs("</h2>\n<p class=\"meta\">", f);
	esc(f, in->command ? in->command : in->path);
	fprintf(f, "<br>%llu samples in %.2f s at %u Hz; %llu lost (%.2f%%)%s</p>\n",
		(unsigned long long)h->t.samples, h->side.duration_s, in->freq_hz,
		(unsigned long long)in->lost, all ? 100.0 * (double)in->lost / (double)all : 0,
		in->complete ? "" : "; the capture is damaged or incomplete");
	fputs("<h3>Tier mix</h3>\n", f);
	legend(f);
	tier_bar(f, h->t.leaf_tiers, "all processes");
	for (size_t i = 0; i < h->nprocs; i++) {
		const struct health_proc *pr = &h->procs[i];
		char label[128];

		snprintf(label, sizeof(label), "%s %u (%s)", profile__str(h->p, pr->comm), pr->pid,
			 pr->runtime != UINT32_MAX ? profile__str(h->p, pr->runtime) : "native");
		tier_bar(f, pr->tiers, label);
	}
	if (e->cmp)
		comparison(f, e->cmp, baseline);
	fputs("<h3>Deopt loops</h3>\n", f);
	findings_table(f, h, FINDING_KIND_DEOPT_LOOP);
	fputs("<h3>Interpreter-dominated functions</h3>\n", f);
	findings_table(f, h, FINDING_KIND_INTERPRETER);
	fputs("<h3>Tier timelines</h3>\n", f);
	if (!h->ntimelines) {
		fputs("<p class=\"ok\">no function with a finding</p>\n", f);
	} else {
		fprintf(f,
			"<p>Own time of each function over the run, %d bins: green optimized, "
			"yellow baseline, red interpreter. A deopt loop shows as stripes.</p>\n"
			"<table class=\"timelines\">\n",
			HEALTH_BINS);
		for (size_t i = 0; i < h->ntimelines; i++)
			timeline(f, h, &h->timelines[i]);
		fputs("</table>\n", f);
	}
	fputs("<h3>Unknown frames</h3>\n", f);
	if (!h->ngaps) {
		fputs("<p class=\"ok\">none</p>\n", f);
	} else {
		fputs("<table><tr><th>cause</th><th>samples</th><th>as "
		      "leaf</th><th>fix</th></tr>\n",
		      f);
		for (size_t i = 0; i < h->ngaps; i++) {
			fputs("<tr><td>", f);
			esc(f, h->gaps[i].cause);
			fprintf(f, "</td><td>%llu</td><td>%llu</td><td>",
				(unsigned long long)h->gaps[i].samples,
				(unsigned long long)h->gaps[i].leaf);
			esc(f, h->gaps[i].hint);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("</section>\n", f);
}

int output_health_html(FILE *f, const struct health_entry *e, size_t n, const char *baseline)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n"
	      "<title>tierprof JIT-health report</title>\n<style>\n"
	      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}\n"
	      "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc}\n"
	      "h3{font-size:15px;margin-top:20px}\n"
	      "table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 8px;text-align:left;"
	      "border-bottom:1px solid #eee}\n"
	      "td.fn{font-family:monospace;max-width:560px;overflow-wrap:anywhere}\n"
	      ".bar{display:flex;align-items:center;gap:8px;margin:3px 0}"
	      ".bar .lbl{width:260px;font-family:monospace;overflow:hidden}"
	      ".bar .num{color:#666}\n"
	      ".legend span{margin-right:10px}.legend i{display:inline-block;width:12px;"
	      "height:12px;margin-right:4px;vertical-align:middle}\n"
	      "tr.worse td{background:#fde4e1}tr.better td{background:#e3f4e3}\n"
	      ".ok{color:#3a7d3a}.meta{color:#555;font-family:monospace}\n"
	      "</style></head><body>\n<h1>tierprof JIT-health report</h1>\n",
	      f);
	fprintf(f, "<p>tierprof %s; %zu capture%s", TP_VERSION, n, n == 1 ? "" : "s");
	if (baseline) {
		fputs("; baseline ", f);
		esc(f, baseline);
	}
	fputs(".</p>\n", f);
	for (size_t i = 0; i < n; i++)
		capture_section(f, &e[i], baseline);
	fputs("</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}

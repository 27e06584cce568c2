/* tierprof diff --format json (docs/json-schema.md, "diff"). */
#include "diff_out.h"
#include "json_util.h"
#include "../analysis/diff.h"
#include "../model/tier.h"

#include <jansson.h>
#include <math.h>

static const char *dir_word(int d)
{
	return d > 0 ? "up" : d < 0 ? "down" : "none";
}

static json_t *side_json(const struct diff_side *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "label", tp_json_str(s->label));
	json_object_set_new(j, "samples", json_integer((json_int_t)s->samples));
	json_object_set_new(j, "lost", json_integer((json_int_t)s->lost));
	json_object_set_new(j, "duration_s", json_real(s->duration_s));
	json_object_set_new(j, "slices", json_integer(s->nslices));
	json_object_set_new(j, "deopt_loops", json_integer((json_int_t)s->nloops));
	return j;
}

static json_t *count_json(const struct diff_count *c)
{
	json_t *j = json_object();

	json_object_set_new(j, "base", json_integer((json_int_t)c->a));
	json_object_set_new(j, "new", json_integer((json_int_t)c->b));
	json_object_set_new(j, "ratio", c->a ? json_real(c->ratio) : json_null());
	json_object_set_new(j, "p", json_real(c->p));
	json_object_set_new(j, "p_adj", json_real(c->p_adj));
	json_object_set_new(j, "change", json_string(dir_word(c->direction)));
	return j;
}

static json_t *row_json(const struct diff_row *row)
{
	json_t *j = json_object();

	if (row->name) {
		json_object_set_new(j, "function", tp_json_str(row->name));
		json_object_set_new(j, "runtime", tp_json_str(row->runtime));
		json_object_set_new(j, "id", tp_json_str(row->func));
		json_object_set_new(j, "tier",
				    json_string(row->kind == DIFF_ITEM_FUNC_TOTAL
							? "all"
							: tier__name(row->tier)));
	}
	json_object_set_new(j, "base_pct", json_real(100 * row->ea.share));
	json_object_set_new(j, "new_pct", json_real(100 * row->eb.share));
	json_object_set_new(j, "change_pp", json_real(100 * row->w.diff));
	json_object_set_new(j, "base_samples", json_integer((json_int_t)row->ea.count));
	json_object_set_new(j, "new_samples", json_integer((json_int_t)row->eb.count));
	json_object_set_new(j, "t", json_real(row->w.t));
	json_object_set_new(j, "df", json_real(row->w.df >= STAT_DF_INF ? -1 : row->w.df));
	json_object_set_new(j, "p", json_real(row->w.p));
	json_object_set_new(j, "p_adj", json_real(row->p_adj));
	json_object_set_new(j, "change", json_string(dir_word(row->direction)));
	return j;
}

static json_t *loops_json(const struct diff_side *s, const size_t *idx, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object();

		json_object_set_new(j, "function", tp_json_str(s->loops[idx[i]].name));
		json_object_set_new(j, "cycles", json_integer(s->loops[idx[i]].cycles));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *focus_json(const struct diff_focus *fo)
{
	json_t *j = json_object();

	json_object_set_new(j, "function", tp_json_str(fo->name));
	json_object_set_new(j, "matches", json_integer((json_int_t)fo->nmatches));
	json_object_set_new(j, "local", count_json(&fo->local));
	json_object_set_new(j, "local_share_base_pct", json_real(100 * fo->share_a));
	json_object_set_new(j, "local_share_new_pct", json_real(100 * fo->share_b));
	json_object_set_new(j, "headline", count_json(&fo->headline));
	json_object_set_new(j, "verdict", json_string(focus_verdict__name(fo->verdict)));
	json_object_set_new(j, "verdict_text", json_string(focus_verdict__words(fo->verdict)));
	return j;
}

json_t *diff_result__json(const struct diff_result *r, int all_rows)
{
	json_t *root = json_object(), *opts = json_object(), *head = json_object();
	json_t *tiers = json_object(), *loops = json_object(), *rows = json_array();
	const struct diff_opts *o = &r->opts;

	json_object_set_new(opts, "confidence", json_real(o->confidence));
	json_object_set_new(opts, "correction", json_string(stat_correction__name(o->correction)));
	json_object_set_new(opts, "min_effect_pp", json_real(100 * o->min_effect));
	json_object_set_new(opts, "min_cpu_change_pct", json_real(100 * o->min_cpu_change));
	json_object_set_new(opts, "cpu_noise_pct", json_real(100 * o->cpu_noise));
	json_object_set_new(opts, "min_samples", json_integer((json_int_t)o->min_samples));
	json_object_set_new(root, "base", side_json(r->a));
	json_object_set_new(root, "new", side_json(r->b));
	json_object_set_new(root, "options", opts);

	json_object_set_new(head, "cpu_samples", count_json(&r->cpu));
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		json_object_set_new(tiers, tier__name(t), row_json(&r->headline[t]));
	}
	json_object_set_new(head, "tier_shares", tiers);
	json_object_set_new(head, "lost",
			    json_pack("{s:I,s:I}", "base", (json_int_t)r->a->lost, "new",
				      (json_int_t)r->b->lost));
	json_object_set_new(root, "headline", head);
	json_object_set_new(loops, "new", loops_json(r->b, r->loops_new, r->nloops_new));
	json_object_set_new(loops, "gone", loops_json(r->a, r->loops_gone, r->nloops_gone));
	json_object_set_new(loops, "kept", loops_json(r->b, r->loops_kept, r->nloops_kept));
	json_object_set_new(root, "deopt_loops", loops);
	json_object_set_new(root, "tested", json_integer((json_int_t)r->ntested));
	json_object_set_new(root, "significant", json_integer((json_int_t)r->nsignificant));
	for (size_t i = 0; i < r->nrows; i++) {
		if (all_rows || r->rows[i].direction != DIFF_SAME)
			json_array_append_new(rows, row_json(&r->rows[i]));
	}
	json_object_set_new(root, "functions", rows);
	return root;
}

int output_diff_json(FILE *f, const struct diff_result *r, const struct diff_focus *focus,
		     const struct diff_out_opts *o)
{
	json_t *root = json_object(), *body = diff_result__json(r, o->all_rows);

	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "kind", json_string("diff"));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	json_object_update(root, body);
	json_decref(body);
	if (focus)
		json_object_set_new(root, "focus", focus_json(focus));
	return tp_json_write(f, root);
}

/* tierprof check's outputs: a readable summary, JSON for CI annotations,
 * and GitHub Actions workflow commands (::error file=...,line=...::). */
#include "check_out.h"
#include "json_util.h"
#include "../analysis/check.h"
#include "../analysis/rules.h"

#include <jansson.h>
#include <string.h>

#include "../util/mem.h"

static const char *status(const struct rule_outcome *o)
{
	return o->skipped ? "skipped" : o->nv ? "fail" : "pass";
}

int output_check_text(FILE *f, const struct check_result *c, const struct check_info *in)
{
	fprintf(f, "# tierprof check of %s, rules %s%s%s\n", in->capture, in->rules_file,
		in->baseline ? ", baseline " : "", in->baseline ? in->baseline : "");
	for (size_t i = 0; i < c->n; i++) {
		const struct rule_outcome *o = &c->o[i];
		const char *st = o->skipped ? "SKIP" : o->nv ? "FAIL" : "PASS";

		fprintf(f, "%s  %s:%u  %-36s %s\n", st, in->rules_file, o->rule->line,
			o->rule->text, o->summary ? o->summary : "");
		for (size_t k = 0; k < o->nv; k++)
			fprintf(f, "        %s: %s\n", o->v[k].subject, o->v[k].message);
	}
	if (c->failed)
		fprintf(f, "check: FAILED, %zu of %zu rules violated\n", c->failed, c->n);
	else
		fprintf(f, "check: passed, %zu rules\n", c->n);
	return ferror(f) ? -1 : 0;
}

int output_check_json(FILE *f, const struct check_result *c, const struct check_info *in)
{
	json_t *root = json_object(), *rules = json_array(), *ann = json_array();

	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "kind", json_string("check"));
	json_object_set_new(root, "tierprof_version", json_string(TP_VERSION));
	json_object_set_new(root, "capture", tp_json_str(in->capture));
	json_object_set_new(root, "rules_file", tp_json_str(in->rules_file));
	json_object_set_new(root, "baseline",
			    in->baseline ? tp_json_str(in->baseline) : json_null());
	json_object_set_new(root, "passed", json_boolean(!c->failed));
	json_object_set_new(root, "failed_rules", json_integer((json_int_t)c->failed));
	for (size_t i = 0; i < c->n; i++) {
		const struct rule_outcome *o = &c->o[i];
		json_t *j = json_object(), *vs = json_array();

		json_object_set_new(j, "line", json_integer(o->rule->line));
		json_object_set_new(j, "rule", json_string(rule_kind__name(o->rule)));
		json_object_set_new(j, "text", tp_json_str(o->rule->text));
		json_object_set_new(j, "status", json_string(status(o)));
		json_object_set_new(j, "summary", tp_json_str(o->summary));
		for (size_t k = 0; k < o->nv; k++) {
			json_t *v = json_object(), *a = json_object();
			char *msg;

			json_object_set_new(v, "subject", tp_json_str(o->v[k].subject));
			json_object_set_new(v, "message", tp_json_str(o->v[k].message));
			json_array_append_new(vs, v);
			/* One annotation per violation, at the rule's line. */
			json_object_set_new(a, "path", tp_json_str(in->rules_file));
			json_object_set_new(a, "start_line", json_integer(o->rule->line));
			json_object_set_new(a, "end_line", json_integer(o->rule->line));
			json_object_set_new(a, "annotation_level", json_string("failure"));
			json_object_set_new(a, "title", tp_json_str(o->rule->text));
			msg = tp_xasprintf("%s: %s", o->v[k].subject, o->v[k].message);
			json_object_set_new(a, "message", tp_json_str(msg));
			free(msg);
			json_array_append_new(ann, a);
		}
		json_object_set_new(j, "violations", vs);
		json_array_append_new(rules, j);
	}
	json_object_set_new(root, "rules", rules);
	json_object_set_new(root, "annotations", ann);
	return tp_json_write(f, root);
}

/* Workflow command values: %, \r, \n escaped; properties also : and ,. */
static void gh_escape(FILE *f, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

int output_check_github(FILE *f, const struct check_result *c, const struct check_info *in)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct rule_outcome *o = &c->o[i];

		for (size_t k = 0; k < o->nv; k++) {
			fputs("::error file=", f);
			gh_escape(f, in->rules_file, 1);
			fprintf(f, ",line=%u,title=", o->rule->line);
			gh_escape(f, o->rule->text, 1);
			fputs("::", f);
			gh_escape(f, o->v[k].subject, 0);
			fputs(": ", f);
			gh_escape(f, o->v[k].message, 0);
			fputc('\n', f);
		}
	}
	return output_check_text(f, c, in);
}

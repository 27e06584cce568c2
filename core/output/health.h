/* tierprof health outputs: the health JSON (docs/health-schema.md), its
 * reader (a baseline for check and health), and the static HTML report. */
#ifndef TP_OUTPUT_HEALTH_H
#define TP_OUTPUT_HEALTH_H

#include <stddef.h>
#include <stdio.h>

struct health;
struct diff_result;
struct diff_side;

#define HEALTH_SCHEMA 1

/* One report entry: a capture's health and, with a baseline, its diff. */
struct health_entry {
	const struct health *h;
	const struct diff_result *cmp; /* NULL without a baseline */
};

/* timestamp: add "generated" (UTC, ISO 8601); without it the output of one
 * capture is byte-for-byte the same on every run. */
int output_health_json(FILE *f, const struct health_entry *e, size_t n, const char *baseline,
		       int timestamp);
int output_health_html(FILE *f, const struct health_entry *e, size_t n, const char *baseline);

/* Read the statistics of one capture of a health JSON into s: the entry
 * named name, else the one named like current's file, else the first.
 * Returns 0, or -1 with "PATH: where: what" in err. */
int health_json__read_side(const char *path, const char *name, const char *current,
			   struct diff_side *s, char *err, size_t errlen);
/* The same from a buffer (the fuzz target); path only names it in errors. */
int health_json__parse_side(const char *buf, size_t len, const char *path, const char *name,
			    const char *current, struct diff_side *s, char *err, size_t errlen);

#endif

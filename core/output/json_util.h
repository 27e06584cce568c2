/* Small jansson helpers shared by the JSON writers of diff, check and
 * health (json.c keeps its own for the report). */
#ifndef TP_OUTPUT_JSON_UTIL_H
#define TP_OUTPUT_JSON_UTIL_H

#include <jansson.h>
#include <stdio.h>

struct diff_result;

/* A JSON string of s: invalid UTF-8 bytes become '?'; NULL gives "". */
json_t *tp_json_str(const char *s);
/* Dump root (indented, keys in insertion order, 6 significant digits) and a
 * newline, then release root. Returns 0, or -1 on a write error. */
int tp_json_write(FILE *f, json_t *root);
/* The body of tierprof diff's JSON (no schema header): also embedded in
 * check's and health's outputs. all_rows: every tested function row. */
json_t *diff_result__json(const struct diff_result *r, int all_rows);

#endif

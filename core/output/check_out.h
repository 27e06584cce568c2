/* Writers of tierprof check (text, json, github). */
#ifndef TP_OUTPUT_CHECK_OUT_H
#define TP_OUTPUT_CHECK_OUT_H

#include <stdio.h>

struct check_result;

struct check_info {
	const char *capture, *rules_file, *baseline; /* baseline may be NULL */
};

int output_check_text(FILE *f, const struct check_result *c, const struct check_info *in);
int output_check_json(FILE *f, const struct check_result *c, const struct check_info *in);
/* ::error workflow commands, one per violation at its rule's line, then
 * the text summary. */
int output_check_github(FILE *f, const struct check_result *c, const struct check_info *in);

#endif

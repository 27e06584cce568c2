/* A baseline for comparisons (check --baseline, health --baseline): a
 * capture, or one capture's entry of a health JSON (output/health.h),
 * told apart by the first byte ('{' is JSON). */
#ifndef TP_CLI_BASELINE_H
#define TP_CLI_BASELINE_H

struct diff_side;
struct load_opts;

/* Load path into s. From a health JSON, take the capture named name, else
 * the one whose name matches current's file name, else the first. Returns 0,
 * or -1 after printing why (the message names the file). */
int baseline__load(struct diff_side *s, const char *path, const char *name, const char *current,
		   unsigned slices, const struct load_opts *lo);

#endif

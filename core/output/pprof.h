/* pprof output: the gzipped profile.proto that `go tool pprof`, Pyroscope
 * and Parca read (https://github.com/google/pprof/blob/main/proto/profile.proto).
 *
 * Two sample types, samples/count and cpu/nanoseconds (each sample's
 * period; the last type is pprof's default). Every sample carries the labels
 * tier and, when the plugin gave one, subtier (of its leaf frame), thread
 * (the thread's name), and the numbers pid and tid. Function names are the
 * plain names by default, so a function keeps one identity across tiers and
 * runs; with tier_in_name they read "add [TurboFan]", and pprof's tables and
 * graphs split every function by tier. docs/flame.md shows both. */
#ifndef TP_OUTPUT_PPROF_H
#define TP_OUTPUT_PPROF_H

#include <stdio.h>

struct profile;
struct pb_buf;

struct pprof_opts {
	int tier_in_name; /* "add [TurboFan]" instead of "add" */
};

/* Encode the profile, uncompressed, into out (initialised by the caller). */
void pprof__encode(const struct profile *p, const struct pprof_opts *o, struct pb_buf *out);
/* Write it gzipped to f. Returns 0 or -1 (a write or zlib error). */
int output_pprof(FILE *f, const struct profile *p, const struct pprof_opts *o);

#endif

/* tierprof import --collapsed: a capture of collapsed stacks (collapsed.h)
 * for every analysis and output. Each distinct frame, in the tier its
 * annotation gives, becomes a code range of one synthetic process: user
 * frames in an anonymous mapping, named by a "collapsed-frames" side file
 * that the built-in collapsed plugin (plugins/collapsed) ingests and
 * classifies; kernel frames at kernel addresses, named by a "kallsyms" side
 * file. Each line is one sample weighted by its count (sample_weight=period).
 * Tiers: _[0] interpreter, _[1] baseline, _[j] optimized, _[i] the tier of
 * the compiled frame it is inlined into (optimized when none) flagged
 * inlined, _[k] kernel, no annotation native; in a file with no annotation
 * at all, unknown. */
#ifndef TP_CLI_IMPORT_COLLAPSED_H
#define TP_CLI_IMPORT_COLLAPSED_H

/* Write the capture of the collapsed file in to out (through a temporary
 * file: nothing is left half-written; an existing out is kept as out.old).
 * meta: extra META lines. Returns 0, or -1 after printing what was wrong
 * (the file and line). */
int import_collapsed(const char *in, const char *out, const char *meta);

#endif

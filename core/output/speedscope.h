/* speedscope output (https://www.speedscope.app/file-format-schema.json):
 * one "sampled" profile per thread, in time order, weighted in nanoseconds
 * (each sample's period), over one shared frame list. A frame is a function
 * in one tier, named "add [TurboFan]" (frame_label.h) with its DSO as the
 * file, so speedscope's views keep the tiers apart. Consecutive samples with
 * the same stack are written once with the summed weight, as speedscope
 * itself stores them. */
#ifndef TP_OUTPUT_SPEEDSCOPE_H
#define TP_OUTPUT_SPEEDSCOPE_H

#include <stdio.h>

struct profile;

/* Returns 0 or -1 on a write error. */
int output_speedscope(FILE *f, const struct profile *p);

#endif

/* Per-sample refinement of frames whose function depends on the sample (ABI
 * 1.3, TP_FRAME_NEEDS_CONTEXT): an interpreter's one code blob runs many
 * functions, and which one is written in its frame on the stack.
 *
 * For each such frame of a sample, the refiner works out the frame's frame
 * pointer (the leaf's from the sampled BP register, a caller's from the
 * frame-pointer chain found in the sampled stack), asks the classifying
 * plugin for a key (refine_key: what its stack slot holds), and replaces the
 * frame with the one refine() made of (pid, frame, key): computed once per
 * distinct triple, then served from a cache, so a report over a big capture
 * pays a plugin call and a hash lookup per such frame.
 *
 * Ownership: the refiner borrows the profile and plugin host; frames are
 * made through the make callback. Not thread-safe. async-signal-safe: no. */
#ifndef TP_MODEL_REFINE_H
#define TP_MODEL_REFINE_H

#include <tierprof/plugin.h>

#include <stddef.h>
#include <stdint.h>

struct plugin_host;
struct refiner;

/* Turn a refined classification into a profile frame; dso is the frame's
 * as noted (refiner__note). */
typedef uint32_t (*refine_make_frame_fn)(void *ctx, const struct tp_classification *c,
					 uint32_t dso);

/* What one sample holds for refinement. */
struct refine_sample {
	uint32_t pid;
	uint64_t time;
	const char *comm;
	int have_regs; /* bp and sp were sampled */
	uint64_t bp, sp;
	const unsigned char *stack; /* the user stack copy at sp */
	uint64_t stack_size;
};

/* Figures of one load (what the refinement achieved). */
struct refine_stats {
	uint64_t frames;      /* frame occurrences that needed context */
	uint64_t refined;     /* ... named by their plugin */
	uint64_t no_fp;	      /* ... whose frame pointer was unknown */
	uint64_t no_key;      /* ... whose plugin found nothing usable */
	uint64_t leaf_frames; /* leaf occurrences, and of them refined */
	uint64_t leaf_refined;
	uint64_t refine_calls; /* refine() calls (cache misses) */
};

struct refiner *refiner__new(struct plugin_host *h, refine_make_frame_fn make, void *make_ctx);
void refiner__delete(struct refiner *r); /* NULL ok */

/* Remember frame as the plugin named plugin classified it, with the
 * TP_FRAME_NEEDS_CONTEXT flag: fi as classify saw it (copied), dso the
 * frame's dso id. The first note of a frame wins. */
void refiner__note(struct refiner *r, uint32_t frame, const char *plugin,
		   const struct tp_frame_info *fi, uint32_t dso);
/* Whether frame was noted. */
int refiner__wants(const struct refiner *r, uint32_t frame);

/* Refine the user frames of one sample in place: chain[i] is the frame of
 * ips[i] (leaf first; a caller's ips[i] is its return address), n entries. */
void refiner__sample(struct refiner *r, const struct refine_sample *s, const uint64_t *ips,
		     uint32_t *chain, size_t n);

const struct refine_stats *refiner__stats(const struct refiner *r);

#endif

/* Per-sample refinement of frames that need their sample's context
 * (refine.h). */
#include "refine.h"
#include "../plugin/host.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <errno.h>
#include <string.h>

/* Frame-pointer links followed up the sampled stack; a 64 KiB slice holds
 * fewer real frames than this. */
#define FP_LINKS_MAX 256
#define KEEP_FRAME UINT32_MAX

struct note {
	const char *plugin; /* the host's string */
	char *name, *dso_path, *cause;
	uint32_t source, dso;
};

struct cached {
	uint32_t pid, frame;
	uint64_t key;
	uint32_t result; /* frame id, or KEEP_FRAME */
};

struct fp_link {
	uint64_t ra, next; /* return address at fp + 8, saved caller fp at fp */
};

struct refiner {
	struct plugin_host *host;
	refine_make_frame_fn make;
	void *make_ctx;
	struct note *notes;
	size_t nnotes, notes_cap;
	struct tp_u64map by_frame; /* frame -> notes index + 1 */
	struct cached *cache;
	size_t ncache, cache_cap;
	struct tp_u64map by_key; /* hash(pid, frame, key) -> cache index + 1 */
	struct fp_link links[FP_LINKS_MAX];
	struct refine_stats st;
};

/* The sampled stack a ctx reads from. */
struct stack_view {
	uint64_t sp, len;
	const unsigned char *data;
};

static int view_read(const struct stack_view *v, uint64_t addr, void *buf, uint64_t len)
{
	uint64_t end;

	if (!v->data || addr < v->sp || __builtin_add_overflow(addr, len, &end) ||
	    end > v->sp + v->len)
		return -EFAULT;
	memcpy(buf, v->data + (addr - v->sp), len);
	return 0;
}

static int ctx_read_stack(const struct tp_frame_ctx *ctx, uint64_t addr, void *buf, uint64_t len)
{
	if (!ctx || !ctx->host_ctx || (!buf && len))
		return -EFAULT;
	return view_read(ctx->host_ctx, addr, buf, len);
}

struct refiner *refiner__new(struct plugin_host *h, refine_make_frame_fn make, void *make_ctx)
{
	struct refiner *r = tp_xcalloc(1, sizeof(*r));

	r->host = h;
	r->make = make;
	r->make_ctx = make_ctx;
	u64map__init(&r->by_frame);
	u64map__init(&r->by_key);
	return r;
}

void refiner__delete(struct refiner *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nnotes; i++) {
		free(r->notes[i].name);
		free(r->notes[i].dso_path);
		free(r->notes[i].cause);
	}
	free(r->notes);
	free(r->cache);
	u64map__exit(&r->by_frame);
	u64map__exit(&r->by_key);
	free(r);
}

void refiner__note(struct refiner *r, uint32_t frame, const char *plugin,
		   const struct tp_frame_info *fi, uint32_t dso)
{
	int is_new;
	uint64_t *slot;
	struct note n;

	if (!r || !plugin || !fi)
		return;
	slot = u64map__slot(&r->by_frame, frame, &is_new);
	if (!is_new)
		return;
	n = (struct note){ .plugin = plugin,
			   .name = fi->name ? tp_xstrdup(fi->name) : NULL,
			   .dso_path = fi->dso ? tp_xstrdup(fi->dso) : NULL,
			   .cause = fi->unknown_cause ? tp_xstrdup(fi->unknown_cause) : NULL,
			   .source = fi->source,
			   .dso = dso };
	TP_VEC_PUSH(r->notes, r->nnotes, r->notes_cap, n);
	*slot = r->nnotes;
}

int refiner__wants(const struct refiner *r, uint32_t frame)
{
	return r && r->nnotes && u64map__find(&r->by_frame, frame) != NULL;
}

const struct refine_stats *refiner__stats(const struct refiner *r)
{
	return &r->st;
}

/* The frame-pointer chain inside the sampled stack, from bp up; returns the
 * number of links. A link outside the slice, or one not going up the stack,
 * ends it. */
static size_t fp_chain(struct refiner *r, const struct refine_sample *s, const struct stack_view *v)
{
	uint64_t fp = s->bp;
	size_t n = 0;

	while (n < FP_LINKS_MAX) {
		uint64_t w[2];

		if (view_read(v, fp, w, sizeof(w)))
			break;
		r->links[n].next = w[0];
		r->links[n].ra = w[1];
		n++;
		if (w[0] <= fp)
			break;
		fp = w[0];
	}
	return n;
}

/* The frame (of pid's frame with key) refine() made, through the cache. */
static uint32_t refined_frame(struct refiner *r, const struct note *nt,
			      const struct tp_frame_info *fi, uint32_t frame, uint64_t key)
{
	uint64_t h = tp_hash_u64(key ^ tp_hash_u64(((uint64_t)fi->pid << 32) | frame));
	int is_new;
	uint64_t *slot = u64map__slot(&r->by_key, h, &is_new);
	struct tp_classification c;
	uint32_t result = KEEP_FRAME;
	struct cached *e;

	if (!is_new) {
		e = &r->cache[*slot - 1];
		if (e->pid == fi->pid && e->frame == frame && e->key == key)
			return e->result;
	}
	r->st.refine_calls++;
	if (plugin_host__refine(r->host, nt->plugin, fi, key, &c) == 1)
		result = r->make(r->make_ctx, &c, nt->dso);
	/* A colliding hash keeps its first owner; the other is recomputed. */
	if (is_new) {
		TP_VEC_PUSH(
			r->cache, r->ncache, r->cache_cap,
			((struct cached){
				.pid = fi->pid, .frame = frame, .key = key, .result = result }));
		*slot = r->ncache; /* by_key had no insert since */
	}
	return result;
}

void refiner__sample(struct refiner *r, const struct refine_sample *s, const uint64_t *ips,
		     uint32_t *chain, size_t n)
{
	struct stack_view v = { .sp = s->sp, .len = s->stack_size, .data = s->stack };
	size_t nlinks = 0, cursor = 0;
	int chain_done = 0;

	if (!r || !r->nnotes || !s->have_regs)
		return;
	for (size_t i = 0; i < n; i++) {
		const uint64_t *slot = u64map__find(&r->by_frame, chain[i]);
		const struct note *nt;
		struct tp_frame_info fi;
		struct tp_frame_ctx ctx;
		uint64_t fp = 0, key;
		uint32_t f;

		/* The chain's links match callers by return address, in order. */
		if (i > 0) {
			if (!chain_done) {
				nlinks = fp_chain(r, s, &v);
				chain_done = 1;
			}
			for (size_t k = cursor; k < nlinks; k++) {
				if (r->links[k].ra == ips[i]) {
					fp = r->links[k].next;
					cursor = k + 1;
					break;
				}
			}
		} else {
			fp = s->bp;
		}
		if (!slot)
			continue;
		nt = &r->notes[*slot - 1];
		r->st.frames++;
		r->st.leaf_frames += i == 0;
		if (!fp) {
			r->st.no_fp++;
			continue;
		}
		fi = (struct tp_frame_info){ .size = sizeof(fi),
					     .pid = s->pid,
					     .addr = ips[i],
					     .time_ns = s->time,
					     .name = nt->name,
					     .dso = nt->dso_path,
					     .source = nt->source,
					     .comm = s->comm ? s->comm : "",
					     .unknown_cause = nt->cause };
		ctx = (struct tp_frame_ctx){ .size = sizeof(ctx),
					     .depth = (uint32_t)i,
					     .ip = ips[i],
					     .fp = fp,
					     .sp = s->sp,
					     .stack_len = s->stack ? s->stack_size : 0,
					     .read_stack = ctx_read_stack,
					     .host_ctx = &v };
		if (plugin_host__refine_key(r->host, nt->plugin, &fi, &ctx, &key) != 1) {
			r->st.no_key++;
			continue;
		}
		f = refined_frame(r, nt, &fi, chain[i], key);
		if (f == KEEP_FRAME) {
			r->st.no_key++;
			continue;
		}
		chain[i] = f;
		r->st.refined++;
		r->st.leaf_refined += i == 0;
	}
}

#include "pprof.h"
#include "escape.h"
#include "frame_label.h"
#include "protobuf.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifndef TP_VERSION
#define TP_VERSION "0.0.0"
#endif

/* Field numbers of profile.proto. */
enum {
	PROFILE_SAMPLE_TYPE = 1,
	PROFILE_SAMPLE = 2,
	PROFILE_MAPPING = 3,
	PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5,
	PROFILE_STRING_TABLE = 6,
	PROFILE_DURATION_NANOS = 10,
	PROFILE_PERIOD_TYPE = 11,
	PROFILE_PERIOD = 12,
	PROFILE_COMMENT = 13,
	VALUE_TYPE_TYPE = 1,
	VALUE_TYPE_UNIT = 2,
	SAMPLE_LOCATION_ID = 1,
	SAMPLE_VALUE = 2,
	SAMPLE_LABEL = 3,
	LABEL_KEY = 1,
	LABEL_STR = 2,
	LABEL_NUM = 3,
	MAPPING_ID = 1,
	MAPPING_FILENAME = 5,
	MAPPING_BUILD_ID = 6,
	MAPPING_HAS_FUNCTIONS = 7,
	LOCATION_ID = 1,
	LOCATION_MAPPING_ID = 2,
	LOCATION_LINE = 4,
	LINE_FUNCTION_ID = 1,
	FUNCTION_ID = 1,
	FUNCTION_NAME = 2,
	FUNCTION_SYSTEM_NAME = 3,
};

struct pprof_ctx {
	const struct profile *p;
	const struct pprof_opts *o;
	struct pb_buf *b;
	struct tp_strtab strs; /* the string table; id 0 is "" as pprof requires */
	uint8_t *func_done;    /* per pprof function id - 1 */
	uint8_t *loc_done;     /* per frame */
	uint8_t *map_done;     /* per dso */
};

/* Index of s in the string table, repaired to UTF-8 (proto3 strings). */
static int64_t str_id(struct pprof_ctx *c, const char *s)
{
	char *fixed = utf8__repair(s);
	const char *v = fixed ? fixed : s;
	uint32_t id = strtab__intern(&c->strs, v, strlen(v));

	free(fixed);
	return id;
}

static void value_type(struct pprof_ctx *c, uint32_t field, const char *type, const char *unit)
{
	size_t m = pb__begin(c->b, field);

	pb__int(c->b, VALUE_TYPE_TYPE, str_id(c, type));
	pb__int(c->b, VALUE_TYPE_UNIT, str_id(c, unit));
	pb__end(c->b, m);
}

static void mapping(struct pprof_ctx *c, uint32_t dso)
{
	const struct dso *d = &c->p->dsos.dsos[dso];
	char hex[2 * sizeof(d->build_id) + 1];
	size_t m;

	if (c->map_done[dso])
		return;
	c->map_done[dso] = 1;
	for (size_t i = 0; i < d->build_id_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->build_id[i]);
	hex[2 * d->build_id_len] = '\0';
	m = pb__begin(c->b, PROFILE_MAPPING);
	pb__uint(c->b, MAPPING_ID, (uint64_t)dso + 1);
	pb__int(c->b, MAPPING_FILENAME, str_id(c, d->path));
	if (d->build_id_len)
		pb__int(c->b, MAPPING_BUILD_ID, str_id(c, hex));
	/* Names come with the profile: pprof must not try to symbolize. */
	pb__uint(c->b, MAPPING_HAS_FUNCTIONS, 1);
	pb__end(c->b, m);
}

/* pprof function id of a frame: one per profile function, or one per frame
 * (function, tier, sub-tier) with tier_in_name. */
static uint64_t function(struct pprof_ctx *c, uint32_t frame)
{
	const struct frame *fr = &c->p->frames[frame];
	uint64_t id = (c->o->tier_in_name ? frame : fr->func) + 1;
	char *name, *plain;
	size_t m;

	if (c->func_done[id - 1])
		return id;
	c->func_done[id - 1] = 1;
	plain = frame_label__function(c->p, fr->func);
	name = c->o->tier_in_name ? frame_label__with_tier(c->p, frame) : tp_xstrdup(plain);
	m = pb__begin(c->b, PROFILE_FUNCTION);
	pb__uint(c->b, FUNCTION_ID, id);
	pb__int(c->b, FUNCTION_NAME, str_id(c, name));
	pb__int(c->b, FUNCTION_SYSTEM_NAME, str_id(c, plain));
	pb__end(c->b, m);
	free(name);
	free(plain);
	return id;
}

/* One location per frame: the model keeps no addresses past symbolization. */
static uint64_t location(struct pprof_ctx *c, uint32_t frame)
{
	const struct frame *fr = &c->p->frames[frame];
	uint32_t dso = c->p->funcs[fr->func].dso;
	uint64_t fid;
	size_t m, line;

	if (c->loc_done[frame])
		return (uint64_t)frame + 1;
	c->loc_done[frame] = 1;
	if (dso != PROFILE_NO_DSO)
		mapping(c, dso);
	fid = function(c, frame);
	m = pb__begin(c->b, PROFILE_LOCATION);
	pb__uint(c->b, LOCATION_ID, (uint64_t)frame + 1);
	if (dso != PROFILE_NO_DSO)
		pb__uint(c->b, LOCATION_MAPPING_ID, (uint64_t)dso + 1);
	line = pb__begin(c->b, LOCATION_LINE);
	pb__uint(c->b, LINE_FUNCTION_ID, fid);
	pb__end(c->b, line);
	pb__end(c->b, m);
	return (uint64_t)frame + 1;
}

/* pprof takes the first mapping for the main binary ("File:" in its
 * reports): put the launched command's executable first when it is known. */
static void main_mapping(struct pprof_ctx *c)
{
	const char *cmd = c->p->info.command, *end, *base;
	size_t len;

	if (!cmd)
		return;
	end = cmd + strcspn(cmd, " ");
	for (base = end; base > cmd && base[-1] != '/'; base--)
		;
	len = (size_t)(end - base);
	for (uint32_t d = 0; len && d < c->p->dsos.n; d++) {
		const char *name = c->p->dsos.dsos[d].short_name;

		if (c->p->dsos.dsos[d].kind == DSO_FILE && strlen(name) == len &&
		    !memcmp(name, base, len)) {
			mapping(c, d);
			return;
		}
	}
}

static void label_str(struct pprof_ctx *c, const char *key, const char *val)
{
	size_t m = pb__begin(c->b, SAMPLE_LABEL);

	pb__int(c->b, LABEL_KEY, str_id(c, key));
	pb__int(c->b, LABEL_STR, str_id(c, val));
	pb__end(c->b, m);
}

static void label_num(struct pprof_ctx *c, const char *key, int64_t num)
{
	size_t m = pb__begin(c->b, SAMPLE_LABEL);

	pb__int(c->b, LABEL_KEY, str_id(c, key));
	pb__int(c->b, LABEL_NUM, num);
	pb__end(c->b, m);
}

static int cmp_sample(const void *a, const void *b, void *arg)
{
	const struct sample *s = arg;
	const struct sample *x = &s[*(const uint32_t *)a], *y = &s[*(const uint32_t *)b];

	if (x->node != y->node)
		return (x->node > y->node) - (x->node < y->node);
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	if (x->tid != y->tid)
		return (x->tid > y->tid) - (x->tid < y->tid);
	return (x->comm > y->comm) - (x->comm < y->comm);
}

static int same_key(const struct sample *x, const struct sample *y)
{
	return x->node == y->node && x->pid == y->pid && x->tid == y->tid && x->comm == y->comm;
}

/* Samples with the same stack, thread and name become one pprof sample. */
static void samples(struct pprof_ctx *c)
{
	const struct profile *p = c->p;
	uint64_t dflt = p->info.freq_hz ? 1000000000ull / p->info.freq_hz : 0;
	uint32_t *order = tp_xmalloc((p->nsamples ? p->nsamples : 1) * sizeof(*order));
	uint64_t *locs = NULL;
	size_t locs_cap = 0;

	for (size_t i = 0; i < p->nsamples; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, p->nsamples, sizeof(*order), cmp_sample, p->samples);
	for (size_t i = 0; i < p->nsamples;) {
		const struct sample *s = &p->samples[order[i]];
		const struct frame *leaf = &p->frames[p->nodes[s->node].frame];
		uint64_t vals[2] = { 0, 0 };
		size_t nlocs = 0, m;

		for (; i < p->nsamples && same_key(s, &p->samples[order[i]]); i++) {
			const struct sample *si = &p->samples[order[i]];

			vals[0] += sample__weight(si);
			vals[1] += si->period ? si->period : dflt * sample__weight(si);
		}
		for (uint32_t n = s->node; n != PROFILE_ROOT; n = p->nodes[n].parent)
			TP_VEC_PUSH(locs, nlocs, locs_cap, location(c, p->nodes[n].frame));
		m = pb__begin(c->b, PROFILE_SAMPLE);
		pb__packed(c->b, SAMPLE_LOCATION_ID, locs, nlocs); /* leaf first */
		pb__packed(c->b, SAMPLE_VALUE, vals, 2);
		if (s->node != PROFILE_ROOT) {
			label_str(c, "tier", tier__name(leaf->tier));
			if (profile__str(p, leaf->subtier)[0])
				label_str(c, "subtier", profile__str(p, leaf->subtier));
		}
		label_str(c, "thread", profile__str(p, s->comm));
		label_num(c, "pid", s->pid);
		label_num(c, "tid", s->tid);
		pb__end(c->b, m);
	}
	free(locs);
	free(order);
}

void pprof__encode(const struct profile *p, const struct pprof_opts *o, struct pb_buf *out)
{
	struct pprof_ctx c = { .p = p, .o = o, .b = out };
	size_t nfunc = o->tier_in_name ? p->nframes : p->nfuncs;
	char *comment;

	strtab__init(&c.strs);
	strtab__intern(&c.strs, "", 0);
	c.func_done = tp_xcalloc(nfunc + 1, 1);
	c.loc_done = tp_xcalloc(p->nframes + 1, 1);
	c.map_done = tp_xcalloc(p->dsos.n + 1, 1);

	value_type(&c, PROFILE_SAMPLE_TYPE, "samples", "count");
	value_type(&c, PROFILE_SAMPLE_TYPE, "cpu", "nanoseconds");
	value_type(&c, PROFILE_PERIOD_TYPE, "cpu", "nanoseconds");
	if (p->info.freq_hz)
		pb__int(out, PROFILE_PERIOD, 1000000000ll / p->info.freq_hz);
	if (p->info.end_ns > p->info.start_ns)
		pb__int(out, PROFILE_DURATION_NANOS, (int64_t)(p->info.end_ns - p->info.start_ns));
	comment = tp_xasprintf("tierprof %s", TP_VERSION);
	pb__int(out, PROFILE_COMMENT, str_id(&c, comment));
	free(comment);
	if (p->info.command) {
		comment = tp_xasprintf("command: %s", p->info.command);
		pb__int(out, PROFILE_COMMENT, str_id(&c, comment));
		free(comment);
	}
	main_mapping(&c);
	samples(&c);
	/* Last, once every string is known; readers resolve ids after decoding. */
	for (size_t i = 0; i < c.strs.len; i++)
		pb__string(out, PROFILE_STRING_TABLE, strtab__str(&c.strs, (uint32_t)i));

	free(c.func_done);
	free(c.loc_done);
	free(c.map_done);
	strtab__exit(&c.strs);
}

static int write_gzip(FILE *f, const uint8_t *data, size_t len)
{
	z_stream z;
	unsigned char out[1 << 16];
	int ret, flush;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip wrapper, what pprof expects in .pb.gz */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)data;
	do {
		/* avail_in is a uInt: feed inputs above 4 GiB in slices */
		if (!z.avail_in && len) {
			z.avail_in = len > (1u << 30) ? (1u << 30) : (uInt)len;
			len -= z.avail_in;
		}
		flush = len ? Z_NO_FLUSH : Z_FINISH;
		z.next_out = out;
		z.avail_out = sizeof(out);
		ret = deflate(&z, flush);
		if (ret == Z_STREAM_ERROR ||
		    fwrite(out, 1, sizeof(out) - z.avail_out, f) != sizeof(out) - z.avail_out) {
			deflateEnd(&z);
			return -1;
		}
	} while (ret != Z_STREAM_END);
	deflateEnd(&z);
	return 0;
}

int output_pprof(FILE *f, const struct profile *p, const struct pprof_opts *o)
{
	struct pb_buf b;
	int err;

	pb__init(&b);
	pprof__encode(p, o, &b);
	err = write_gzip(f, b.data, b.len);
	pb__exit(&b);
	return err || ferror(f) ? -1 : 0;
}

#include "perf_rec.h"
#include "../util/err.h"

#include <string.h>

#define KNOWN_SAMPLE_BITS                                                                          \
	(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | \
	 PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN |    \
	 PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER | PERF_SAMPLE_IDENTIFIER)

int perf_layout__init(struct perf_layout *l, const struct perf_event_attr *attr, size_t attr_len)
{
	struct perf_event_attr a = { 0 };
	uint64_t t;

	/* Every attr the kernel accepts is at least VER0 (sample_type and the
	 * flag bits included); a shorter one would read as all zeros. */
	if (!attr || attr_len < PERF_ATTR_SIZE_VER0)
		return TP_ERR_BAD_FORMAT;
	memcpy(&a, attr, attr_len < sizeof(a) ? attr_len : sizeof(a));
	t = a.sample_type;
	if (t & ~(uint64_t)KNOWN_SAMPLE_BITS)
		return TP_ERR_BAD_FORMAT;
	memset(l, 0, sizeof(*l));
	l->sample_type = t;
	l->regs_user_mask = a.sample_regs_user;
	l->sample_id_all = a.sample_id_all;
	if (l->sample_id_all) {
		l->id_size += (t & PERF_SAMPLE_TID) ? 8 : 0;
		l->id_size += (t & PERF_SAMPLE_TIME) ? 8 : 0;
		l->id_size += (t & PERF_SAMPLE_ID) ? 8 : 0;
		l->id_size += (t & PERF_SAMPLE_STREAM_ID) ? 8 : 0;
		l->id_size += (t & PERF_SAMPLE_CPU) ? 8 : 0;
		l->id_size += (t & PERF_SAMPLE_IDENTIFIER) ? 8 : 0;
	}
	return 0;
}

struct cursor {
	const unsigned char *p, *end;
};

static int take(struct cursor *c, void *dst, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	if (dst)
		memcpy(dst, c->p, n);
	c->p += n;
	return 0;
}

static int take_u64(struct cursor *c, uint64_t *v)
{
	return take(c, v, 8);
}

int perf_sample__parse(const struct perf_layout *l, const struct perf_event_header *h,
		       struct perf_sample *s)
{
	struct cursor c;
	uint64_t t = l->sample_type, v;

	memset(s, 0, sizeof(*s));
	/* The kernel keeps records 8-aligned and 8-sized; the callchain, regs
	 * and stack pointers handed out rely on it. */
	if (((uintptr_t)h & 7) || h->size < sizeof(*h) || h->size % 8)
		return TP_ERR_BAD_FORMAT;
	c.p = (const unsigned char *)(h + 1);
	c.end = (const unsigned char *)h + h->size;
	if ((t & PERF_SAMPLE_IDENTIFIER) && take_u64(&c, NULL))
		return TP_ERR_BAD_FORMAT;
	if ((t & PERF_SAMPLE_IP) && take_u64(&c, &s->ip))
		return TP_ERR_BAD_FORMAT;
	if (t & PERF_SAMPLE_TID) {
		if (take(&c, &s->pid, 4) || take(&c, &s->tid, 4))
			return TP_ERR_BAD_FORMAT;
	}
	if ((t & PERF_SAMPLE_TIME) && take_u64(&c, &s->time))
		return TP_ERR_BAD_FORMAT;
	if ((t & PERF_SAMPLE_ADDR) && take_u64(&c, NULL))
		return TP_ERR_BAD_FORMAT;
	if ((t & PERF_SAMPLE_ID) && take_u64(&c, NULL))
		return TP_ERR_BAD_FORMAT;
	if ((t & PERF_SAMPLE_STREAM_ID) && take_u64(&c, NULL))
		return TP_ERR_BAD_FORMAT;
	if (t & PERF_SAMPLE_CPU) {
		if (take(&c, &s->cpu, 4) || take(&c, NULL, 4))
			return TP_ERR_BAD_FORMAT;
	}
	if ((t & PERF_SAMPLE_PERIOD) && take_u64(&c, &s->period))
		return TP_ERR_BAD_FORMAT;
	if (t & PERF_SAMPLE_CALLCHAIN) {
		if (take_u64(&c, &s->nr) || s->nr > (uint64_t)(c.end - c.p) / 8)
			return TP_ERR_BAD_FORMAT;
		s->callchain = (const uint64_t *)c.p;
		c.p += s->nr * 8;
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		if (take_u64(&c, &s->regs_abi))
			return TP_ERR_BAD_FORMAT;
		if (s->regs_abi) {
			s->nregs = (uint64_t)__builtin_popcountll(l->regs_user_mask);
			if (s->nregs > (uint64_t)(c.end - c.p) / 8)
				return TP_ERR_BAD_FORMAT;
			s->regs = (const uint64_t *)c.p;
			c.p += s->nregs * 8;
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		if (take_u64(&c, &v) || v > (uint64_t)(c.end - c.p))
			return TP_ERR_BAD_FORMAT;
		if (v) {
			const unsigned char *data = c.p;

			c.p += v;
			if (take_u64(&c, &s->stack_size) || s->stack_size > v)
				return TP_ERR_BAD_FORMAT;
			s->stack = data;
		}
	}
	return 0;
}

size_t perf_rec__body_size(const struct perf_layout *l, const struct perf_event_header *h)
{
	size_t trailer = l->sample_id_all ? l->id_size : 0;

	if (h->size < sizeof(*h) + trailer)
		return 0;
	return h->size - sizeof(*h) - trailer;
}

int perf_id__parse(const struct perf_layout *l, const struct perf_event_header *h,
		   struct perf_id *id)
{
	struct cursor c;
	uint64_t t = l->sample_type;

	memset(id, 0, sizeof(*id));
	if (!l->sample_id_all)
		return 0;
	if (h->size < sizeof(*h) + l->id_size || h->size % 8)
		return TP_ERR_BAD_FORMAT;
	c.end = (const unsigned char *)h + h->size;
	c.p = c.end - l->id_size;
	if (t & PERF_SAMPLE_TID) {
		take(&c, &id->pid, 4);
		take(&c, &id->tid, 4);
	}
	if (t & PERF_SAMPLE_TIME)
		take_u64(&c, &id->time);
	if (t & PERF_SAMPLE_ID)
		take_u64(&c, NULL);
	if (t & PERF_SAMPLE_STREAM_ID)
		take_u64(&c, NULL);
	if (t & PERF_SAMPLE_CPU)
		take(&c, &id->cpu, 4);
	id->valid = 1;
	return 0;
}

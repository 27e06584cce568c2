#include "symtab.h"

#include "util/mem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Names live in chunks that never move, so a tp_sym's name pointer stays
 * valid while the table grows: no per-symbol malloc and no fix-up pass. */
#define ARENA_CHUNK (256 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

/* The tp_sym comes first so that &ent->sym is what callers see. aux holds the
 * insertion order while sorting (stable alias choice) and, once finalized,
 * the index of the nearest earlier symbol that covers this one's start
 * (NO_PARENT if none): the chain __find walks for nested ranges. */
struct sym_ent {
	struct tp_sym sym;
	uint32_t aux;
	uint8_t prio;
	uint8_t inferred; /* size was 0 in the input */
};

#define NO_PARENT UINT32_MAX

struct symtab {
	struct sym_ent *ents;
	size_t n, cap;
	struct arena_chunk *chunks;
	bool finalized;
};

struct symtab *symtab__new(void)
{
	return tp_xcalloc(1, sizeof(struct symtab));
}

static const char *arena__copy(struct symtab *st, const char *s, size_t len)
{
	struct arena_chunk *c = st->chunks;
	char *p;

	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;

		c = tp_xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		/* Keep the partly used chunk at the head when a huge name gets a
		 * chunk of its own, so its free space is not wasted. */
		if (st->chunks && cap > ARENA_CHUNK) {
			c->next = st->chunks->next;
			st->chunks->next = c;
		} else {
			c->next = st->chunks;
			st->chunks = c;
		}
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

void symtab__add_len(struct symtab *st, uint64_t start, uint64_t size, const char *name, size_t len,
		     enum symtab_prio prio)
{
	struct sym_ent e;

	/* aux is 32 bits and NO_PARENT is reserved; four billion symbols is
	 * not a table anyone can symbolize with, so the excess is dropped. */
	if (st->n >= NO_PARENT - 1)
		return;
	e.sym.start = start;
	e.sym.size = size;
	e.sym.name = arena__copy(st, name ? name : "", name ? len : 0);
	e.aux = 0;
	e.prio = (uint8_t)prio;
	e.inferred = size == 0;
	TP_VEC_PUSH(st->ents, st->n, st->cap, e);
	st->finalized = false;
}

void symtab__add_prio(struct symtab *st, uint64_t start, uint64_t size, const char *name,
		      enum symtab_prio prio)
{
	symtab__add_len(st, start, size, name, name ? strlen(name) : 0, prio);
}

void symtab__add(struct symtab *st, uint64_t start, uint64_t size, const char *name)
{
	symtab__add_prio(st, start, size, name, SYMTAB_PRIO_GLOBAL);
}

static unsigned int leading_underscores(const char *s)
{
	unsigned int n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

/* By address; at one address the preferred alias first: a sized symbol over
 * a label, then the stronger binding, then the name with fewer leading
 * underscores (malloc over __libc_malloc, as perf does), then the one added
 * first. */
static int ent__cmp(const void *pa, const void *pb)
{
	const struct sym_ent *a = pa, *b = pb;
	unsigned int ua, ub;
	bool za, zb;

	if (a->sym.start != b->sym.start)
		return (a->sym.start > b->sym.start) - (a->sym.start < b->sym.start);
	za = a->sym.size == 0;
	zb = b->sym.size == 0;
	if (za != zb)
		return za - zb;
	if (a->prio != b->prio)
		return (a->prio < b->prio) - (a->prio > b->prio);
	ua = leading_underscores(a->sym.name);
	ub = leading_underscores(b->sym.name);
	if (ua != ub)
		return (ua > ub) - (ua < ub);
	return (a->aux > b->aux) - (a->aux < b->aux);
}

/* Without computing start + size, which may wrap past UINT64_MAX. */
static bool ent__covers(const struct sym_ent *e, uint64_t addr)
{
	return addr >= e->sym.start && addr - e->sym.start < e->sym.size;
}

static uint64_t ent__end(const struct sym_ent *e)
{
	uint64_t end;

	if (__builtin_add_overflow(e->sym.start, e->sym.size, &end))
		return UINT64_MAX;
	return end;
}

void symtab__finalize(struct symtab *st)
{
	uint64_t covered = 0; /* end of the sized symbols so far */
	size_t i, out = 0;

	if (st->finalized)
		return;
	/* Symbols added after an earlier __finalize may split inferred ranges:
	 * infer them again from scratch. The position is the insertion order
	 * (earlier survivors keep their precedence). */
	for (i = 0; i < st->n; i++) {
		st->ents[i].aux = (uint32_t)i;
		if (st->ents[i].inferred)
			st->ents[i].sym.size = 0;
	}
	if (st->n)
		qsort(st->ents, st->n, sizeof(*st->ents), ent__cmp);

	/* Collapse each run of one address into its first, preferred, entry. */
	for (i = 0; i < st->n;) {
		size_t j = i + 1;

		while (j < st->n && st->ents[j].sym.start == st->ents[i].sym.start)
			j++;
		st->ents[out] = st->ents[i];
		out++;
		i = j;
	}
	st->n = out;

	/* A label inside a sized symbol is a jump target or a data table of
	 * that function, not a function: sized up to the next symbol it would
	 * steal the rest of its function's samples. */
	for (i = 0, out = 0; i < st->n; i++) {
		struct sym_ent *e = &st->ents[i];

		if (e->sym.size == 0 && e->sym.start < covered)
			continue;
		if (e->sym.size && ent__end(e) > covered)
			covered = ent__end(e);
		st->ents[out++] = *e;
	}
	st->n = out;

	/* Zero sizes reach the next symbol. The last one gets the rest of its
	 * page and one more, perf's guess for a trailing assembly label. */
	for (i = 0; i < st->n; i++) {
		struct sym_ent *e = &st->ents[i];

		if (!e->inferred || e->sym.size)
			continue;
		if (i + 1 < st->n) {
			e->sym.size = st->ents[i + 1].sym.start - e->sym.start;
		} else {
			uint64_t end = (e->sym.start | 4095) + 1 + 4096;

			/* Near the top of the address space: up to its end. */
			e->sym.size = end > e->sym.start ? end - e->sym.start : 0 - e->sym.start;
		}
	}

	/* parent(i) = the nearest j < i whose range covers start(i). Every
	 * earlier symbol that covers start(i) is on that chain, because it
	 * also covers the start of anything between; so __find walks the
	 * chain instead of scanning backwards. */
	for (i = 0; i < st->n; i++) {
		uint32_t p = i ? (uint32_t)(i - 1) : NO_PARENT;

		while (p != NO_PARENT && !ent__covers(&st->ents[p], st->ents[i].sym.start))
			p = st->ents[p].aux;
		st->ents[i].aux = p;
	}
	st->finalized = true;
}

const struct tp_sym *symtab__find(const struct symtab *st, uint64_t addr)
{
	size_t lo = 0, hi;
	uint32_t i;

	if (!st->finalized || !st->n)
		return NULL;
	/* The last symbol with start <= addr. */
	hi = st->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->ents[mid].sym.start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	for (i = (uint32_t)(lo - 1); i != NO_PARENT; i = st->ents[i].aux) {
		if (ent__covers(&st->ents[i], addr))
			return &st->ents[i].sym;
	}
	return NULL;
}

size_t symtab__count(const struct symtab *st)
{
	return st->n;
}

const struct tp_sym *symtab__at(const struct symtab *st, size_t i)
{
	return i < st->n ? &st->ents[i].sym : NULL;
}

void symtab__delete(struct symtab *st)
{
	struct arena_chunk *c, *next;

	if (!st)
		return;
	for (c = st->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(st->ents);
	free(st);
}

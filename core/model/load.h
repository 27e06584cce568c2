/* Turn a capture into a profile: replay the mmap/fork/exec/comm records in
 * time order, resolve every sample's callchain against the address space its
 * process had at that moment, and build the stack trie. Each distinct address
 * is symbolized once. */
#ifndef TP_MODEL_LOAD_H
#define TP_MODEL_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct profile;
struct plugin_host;
struct stack_usage;

/* How user stacks are built from what each sample carries. */
enum load_unwind {
	LOAD_UNWIND_AUTO,	  /* dwarf for --call-graph dwarf captures, else repair */
	LOAD_UNWIND_FP,		  /* the kernel's frame-pointer chain as recorded */
	LOAD_UNWIND_REPAIR,	  /* that chain, first frames repaired with CFI */
	LOAD_UNWIND_DWARF,	  /* DWARF, frame pointers through JIT code */
	LOAD_UNWIND_DWARF_STRICT, /* DWARF only: stops at code without CFI */
};

/* Parse a --unwind word; returns 0 or -1. */
int load_unwind__parse(const char *s, enum load_unwind *out);
const char *load_unwind__name(enum load_unwind u);

struct load_filter {
	const uint32_t *pids;
	size_t npids;
	const uint32_t *tids;
	size_t ntids;
	char *const *comms; /* thread or process name */
	size_t ncomms;
	struct plugin_host *plugins; /* classify frames and ingest side files; may be NULL */
	enum load_unwind unwind;
	struct stack_usage *usage; /* measure the stack bytes unwinding needs; may be NULL */
};

/* Load path into p (initialised by the caller). Returns 0 when something was
 * read, even from a damaged capture (p->info tells: complete, damage_offset);
 * otherwise a negative error, with a message naming the file in errbuf. */
int profile__load(struct profile *p, const char *path, const struct load_filter *filter,
		  char *errbuf, size_t errlen);

#endif

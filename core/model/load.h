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

struct load_filter {
	const uint32_t *pids;
	size_t npids;
	const uint32_t *tids;
	size_t ntids;
	char *const *comms; /* thread or process name */
	size_t ncomms;
	struct plugin_host *plugins; /* classify frames and ingest side files; may be NULL */
};

/* Load path into p (initialised by the caller). Returns 0 when something was
 * read, even from a damaged capture (p->info tells: complete, damage_offset);
 * otherwise a negative error, with a message naming the file in errbuf. */
int profile__load(struct profile *p, const char *path, const struct load_filter *filter,
		  char *errbuf, size_t errlen);

#endif

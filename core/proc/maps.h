/* /proc/PID/maps parser:
 *   START-END PERMS OFFSET MAJ:MIN INODE [PATH]
 * PATH may contain spaces and may end in " (deleted)", which is kept as part
 * of the path. Lines that do not parse are skipped and counted; the first bad
 * line number is kept for the message.
 * Ownership: proc_maps__parse fills *out; free it with proc_maps__free. */
#ifndef TP_PROC_MAPS_H
#define TP_PROC_MAPS_H

#include <stddef.h>
#include <stdint.h>

#define PROC_MAP_READ 0x1
#define PROC_MAP_WRITE 0x2
#define PROC_MAP_EXEC 0x4
#define PROC_MAP_SHARED 0x8

struct proc_map {
	uint64_t start, end; /* [start, end) */
	uint64_t pgoff;	     /* file offset of start */
	uint32_t prot;	     /* PROC_MAP_* */
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	const char *path; /* "" for anonymous memory; "[vdso]", "[heap]"... kept verbatim */
};

struct proc_maps {
	struct proc_map *maps;
	size_t n;
	size_t bad_lines;
	size_t first_bad_line; /* 1-based; 0 when none */
	char *strings;	       /* storage behind the path pointers */
};

/* Returns 0 (even with bad lines; see bad_lines) or TP_ERR_BAD_FORMAT when
 * the text is non-empty and no line parses. */
int proc_maps__parse(const char *text, size_t len, struct proc_maps *out);
void proc_maps__free(struct proc_maps *m);

#endif

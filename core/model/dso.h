/* Mapped objects ("DSOs"): executables, libraries, the vdso, anonymous
 * memory. Each distinct (path, build id) gets a dense id. ELF symbols are
 * loaded lazily, once, the first time an address in the DSO is resolved.
 * Ownership: the registry owns every dso and what hangs off it. */
#ifndef TP_MODEL_DSO_H
#define TP_MODEL_DSO_H

#include <stddef.h>
#include <stdint.h>

#include "../util/hash.h"

struct elf_file;

enum dso_kind {
	DSO_FILE,   /* a file on disk (ELF, we hope) */
	DSO_ANON,   /* anonymous or memfd memory: JIT code lives here */
	DSO_VDSO,   /* the kernel's [vdso] */
	DSO_SPECIAL /* [heap], [stack], [vsyscall]...: no code to name */
};

enum dso_load {
	DSO_LOAD_NOT_TRIED,
	DSO_LOAD_OK,
	DSO_LOAD_NO_SYMBOLS, /* stripped, no debug file found */
	DSO_LOAD_MISSING,    /* file gone or unreadable */
	DSO_LOAD_BAD,	     /* not ELF, or corrupt */
	DSO_LOAD_MISMATCH,   /* file on disk has another build id than recorded */
};

struct dso {
	char *path;
	const char *short_name; /* basename, points into path */
	enum dso_kind kind;
	unsigned char build_id[20];
	uint8_t build_id_len;
	enum dso_load load;
	struct elf_file *elf;
};

struct dso_registry {
	struct dso *dsos;
	size_t n, cap;
	struct tp_strtab keys; /* path + build id -> index */
	const char *debug_root;
};

void dso_registry__init(struct dso_registry *r, const char *debug_root);
void dso_registry__exit(struct dso_registry *r);
/* Id of the dso for path and (optional) build id, creating it if new. */
uint32_t dso_registry__get(struct dso_registry *r, const char *path, const unsigned char *build_id,
			   size_t build_id_len);
static inline struct dso *dso_registry__dso(struct dso_registry *r, uint32_t id)
{
	return &r->dsos[id];
}
/* Load ELF symbols if not tried yet; returns the outcome. Warns once per dso. */
enum dso_load dso__load(struct dso_registry *r, struct dso *d);
/* One line on what a load outcome means for the user, with the fix. */
const char *dso_load__hint(enum dso_load load);

#endif

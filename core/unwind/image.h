/* A DSO's file as the offline unwinder reads it: mapped read-only once and
 * parsed for its CFI table (cfi_table.h). The vdso has no file: this
 * process's own copy is used, which is the recording's when the kernel is the
 * same (the loader checks). Ownership: callers own what __open returns and
 * free it with __delete. async-signal-safe: no. */
#ifndef TP_UNWIND_IMAGE_H
#define TP_UNWIND_IMAGE_H

#include "cfi_table.h"

struct unwind_image {
	void *map; /* whole file, PROT_READ; NULL for the vdso (not owned) */
	size_t map_len;
	struct cfi_table cfi;
	int status; /* 0: CFI usable; TP_ERR_NOT_FOUND: none; another error: unreadable */
};

/* Map path and parse it. Always returns an image (status says what was
 * found), or NULL with errno set when memory runs out. */
struct unwind_image *unwind_image__open(const char *path);
/* This process's vdso, or an image with status TP_ERR_NOT_FOUND. */
struct unwind_image *unwind_image__open_vdso(void);
void unwind_image__delete(struct unwind_image *img); /* NULL-safe */

#endif

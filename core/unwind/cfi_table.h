/* Where an ELF file keeps the call frame information an offline unwinder
 * needs: the binary-search table of .eh_frame_hdr (found through the
 * PT_GNU_EH_FRAME program header) and how the file's link-time addresses map
 * to file offsets (PT_LOAD). Parsed from the program headers alone, over a
 * read-only image of the whole file; every offset and size taken from the
 * file is checked against the image, so an arbitrary file is safe to parse.
 * Ownership: the table borrows the image; it lives as long as the image.
 * async-signal-safe: no (but allocation-free). */
#ifndef TP_UNWIND_CFI_TABLE_H
#define TP_UNWIND_CFI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define CFI_TABLE_MAX_SEGMENTS 16

struct cfi_segment {
	uint64_t vaddr, memsz;	 /* link-time address range */
	uint64_t offset, filesz; /* file bytes backing its start */
	uint32_t exec;		 /* PF_X */
};

struct cfi_table {
	const unsigned char *image; /* the whole file (borrowed) */
	size_t size;
	struct cfi_segment segs[CFI_TABLE_MAX_SEGMENTS];
	size_t nsegs;
	uint64_t text_lo, text_hi; /* link-time range of the executable segments */
	uint64_t eh_frame_hdr;	   /* link-time address of .eh_frame_hdr */
	uint64_t table;		   /* link-time address of its search table */
	uint64_t fde_count;	   /* entries of 8 bytes (datarel sdata4 pairs) */
	uint64_t entry;		   /* link-time entry point (e_entry), 0 if none */
};

/* Return addresses this close above a file's entry point are in its entry
 * code (ld.so's _start calls _dl_start first), which nothing called: the
 * walk has reached the process's first frame even without CFI saying so. */
#define CFI_ENTRY_REACH 64

/* Parse image (size bytes, a complete ELF file). Returns 0 with *out filled;
 * TP_ERR_BAD_FORMAT when it is not a sane little-endian ELF64 file or its
 * headers point outside it; TP_ERR_NOT_FOUND when it is valid but has no
 * usable .eh_frame_hdr search table (no CFI to unwind with). */
int cfi_table__parse(const void *image, size_t size, struct cfi_table *out);
/* Copy n bytes at link-time address vaddr from the file image. Returns 0, or
 * -1 when they are not all backed by file bytes of one segment. */
int cfi_table__read(const struct cfi_table *t, uint64_t vaddr, void *dst, size_t n);
/* Link-time address of file offset off within a PT_LOAD, as the kernel maps
 * it. Returns 0 or -1 when no segment covers off. */
int cfi_table__offset_to_vaddr(const struct cfi_table *t, uint64_t off, uint64_t *vaddr);

#endif

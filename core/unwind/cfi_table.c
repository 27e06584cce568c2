#include "cfi_table.h"
#include "../util/err.h"

#include <elf.h>
#include <string.h>

#ifndef PT_GNU_EH_FRAME
#define PT_GNU_EH_FRAME 0x6474e550
#endif

/* DWARF pointer encodings (LSB 3.0, .eh_frame_hdr). */
#define DW_EH_PE_omit 0xff
#define DW_EH_PE_datarel_sdata4 0x3b

static int in_image(size_t size, uint64_t off, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && end <= size;
}

int cfi_table__read(const struct cfi_table *t, uint64_t vaddr, void *dst, size_t n)
{
	for (size_t i = 0; i < t->nsegs; i++) {
		const struct cfi_segment *s = &t->segs[i];
		uint64_t rel;

		if (vaddr < s->vaddr)
			continue;
		rel = vaddr - s->vaddr;
		if (rel >= s->filesz || n > s->filesz - rel)
			continue;
		/* segment bounds were checked against the image at parse time */
		memcpy(dst, t->image + s->offset + rel, n);
		return 0;
	}
	return -1;
}

int cfi_table__offset_to_vaddr(const struct cfi_table *t, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < t->nsegs; i++) {
		const struct cfi_segment *s = &t->segs[i];

		if (off >= s->offset &&
		    off - s->offset < (s->filesz > s->memsz ? s->filesz : s->memsz)) {
			*vaddr = s->vaddr + (off - s->offset);
			return 0;
		}
	}
	return -1;
}

/* Size in bytes of a value of encoding enc in .eh_frame_hdr, 0 if unknown. */
static size_t enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00: /* absptr */
	case 0x04: /* udata8 */
	case 0x0c: /* sdata8 */
		return 8;
	case 0x03: /* udata4 */
	case 0x0b: /* sdata4 */
		return 4;
	case 0x02: /* udata2 */
	case 0x0a: /* sdata2 */
		return 2;
	default:
		return 0;
	}
}

static int parse_eh_frame_hdr(struct cfi_table *t, uint64_t vaddr, uint64_t memsz)
{
	unsigned char h[4];
	size_t ptr_size, count_size;
	uint64_t count = 0, table_bytes;

	if (memsz < 4 || cfi_table__read(t, vaddr, h, 4))
		return TP_ERR_BAD_FORMAT;
	if (h[0] != 1)
		return TP_ERR_NOT_FOUND; /* unknown version: not ours to read */
	if (h[3] != DW_EH_PE_datarel_sdata4 || h[2] == DW_EH_PE_omit)
		return TP_ERR_NOT_FOUND; /* no binary-search table */
	ptr_size = enc_size(h[1]);
	count_size = enc_size(h[2]);
	if (!ptr_size || !count_size || h[2] & 0x70) /* count must be absolute */
		return TP_ERR_NOT_FOUND;
	if (cfi_table__read(t, vaddr + 4 + ptr_size, &count, count_size))
		return TP_ERR_BAD_FORMAT;
	if ((h[2] & 0x08) && count_size < 8 && (count >> (count_size * 8 - 1)))
		return TP_ERR_BAD_FORMAT; /* a negative signed count */
	t->eh_frame_hdr = vaddr;
	t->table = vaddr + 4 + ptr_size + count_size;
	t->fde_count = count;
	if (__builtin_mul_overflow(count, 8, &table_bytes))
		return TP_ERR_BAD_FORMAT;
	/* The whole table must be file-backed, or every lookup would fail. */
	if (count == 0)
		return TP_ERR_NOT_FOUND;
	{
		unsigned char probe;

		if (cfi_table__read(t, t->table, &probe, 1) ||
		    cfi_table__read(t, t->table + table_bytes - 1, &probe, 1))
			return TP_ERR_BAD_FORMAT;
	}
	return 0;
}

int cfi_table__parse(const void *image, size_t size, struct cfi_table *out)
{
	const unsigned char *img = image;
	Elf64_Ehdr eh;
	uint64_t hdr_vaddr = 0, hdr_memsz = 0;
	int have_hdr = 0;

	memset(out, 0, sizeof(*out));
	out->image = img;
	out->size = size;
	out->text_lo = UINT64_MAX;
	if (!img || size < sizeof(eh))
		return TP_ERR_BAD_FORMAT;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_image(size, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr)))
		return TP_ERR_BAD_FORMAT;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_GNU_EH_FRAME) {
			hdr_vaddr = ph.p_vaddr;
			hdr_memsz = ph.p_memsz;
			have_hdr = 1;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (out->nsegs == CFI_TABLE_MAX_SEGMENTS || ph.p_filesz > ph.p_memsz ||
		    !in_image(size, ph.p_offset, ph.p_filesz) ||
		    ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
			return TP_ERR_BAD_FORMAT;
		out->segs[out->nsegs++] = (struct cfi_segment){ .vaddr = ph.p_vaddr,
								.memsz = ph.p_memsz,
								.offset = ph.p_offset,
								.filesz = ph.p_filesz,
								.exec = !!(ph.p_flags & PF_X) };
		if (ph.p_flags & PF_X) {
			if (ph.p_vaddr < out->text_lo)
				out->text_lo = ph.p_vaddr;
			if (ph.p_vaddr + ph.p_memsz > out->text_hi)
				out->text_hi = ph.p_vaddr + ph.p_memsz;
		}
	}
	if (!out->nsegs || out->text_lo == UINT64_MAX)
		return TP_ERR_BAD_FORMAT;
	out->entry = eh.e_entry;
	if (!have_hdr)
		return TP_ERR_NOT_FOUND;
	return parse_eh_frame_hdr(out, hdr_vaddr, hdr_memsz);
}

#include "elf.h"
#include "symtab.h"

#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define DEFAULT_DEBUG_ROOT "/usr/lib/debug"
#define BUILD_ID_MAX 64 /* sha1 is 20 bytes; leave room for md5/uuid/custom ids */

struct load_seg {
	uint64_t off, vaddr, filesz;
};

struct elf_file {
	struct symtab *syms;
	struct load_seg *segs;
	size_t nr_segs, segs_cap;
	unsigned char build_id[BUILD_ID_MAX];
	size_t build_id_len;
	char *path;	  /* "[memory]" for __open_mem */
	char *sym_source; /* path, or the debug file's path */
};

/* One ELF opened through libelf, valid while we load from it. */
struct elf_image {
	Elf *elf;
	int fd; /* -1 for memory images */
	const char *path;
	bool quiet;    /* a debug-file candidate: its flaws are not the user's */
	uint64_t size; /* of the whole file: every offset is checked against it */
	size_t shnum;
	GElf_Ehdr ehdr;
	uint8_t *sec_exec; /* per section: SHF_EXECINSTR set */
	struct stat st;	   /* dev/ino, to skip a debug link that names the file itself */
};

static void elf_lib__init(void)
{
	/* Idempotent; libelf needs it once before elf_begin/elf_memory. */
	elf_version(EV_CURRENT);
}

static int image__bad(const struct elf_image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Log what is wrong with the file and return TP_ERR_BAD_FORMAT. */
static int image__bad(const struct elf_image *img, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (img->quiet)
		pr_debug("%s: %s", img->path, msg);
	else
		pr_warn("%s: %s", img->path, msg);
	return TP_ERR_BAD_FORMAT;
}

static bool range_in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && end <= img->size;
}

/* Header and section table sanity, done once so that the loaders below can
 * trust every section they touch. libelf checks some of this, but not all of
 * it in every version, and its errors do not say which table is broken. */
static int image__check(struct elf_image *img)
{
	size_t phnum, shentsize, phentsize, i;

	if (elf_kind(img->elf) != ELF_K_ELF)
		return image__bad(img, "not an ELF file");
	if (!gelf_getehdr(img->elf, &img->ehdr))
		return image__bad(img, "bad ELF header: %s", elf_errmsg(-1));
	if (elf_getshdrnum(img->elf, &img->shnum) || elf_getphdrnum(img->elf, &phnum))
		return image__bad(img, "bad header table counts: %s", elf_errmsg(-1));

	shentsize = gelf_fsize(img->elf, ELF_T_SHDR, 1, EV_CURRENT);
	phentsize = gelf_fsize(img->elf, ELF_T_PHDR, 1, EV_CURRENT);
	/* libelf reports a table that does not fit in the file as empty; the
	 * header's own counts tell (0 and PN_XNUM defer to section 0). */
	if ((img->ehdr.e_shnum && img->shnum != img->ehdr.e_shnum) ||
	    (img->ehdr.e_shoff && !img->shnum &&
	     !range_in_file(img, img->ehdr.e_shoff, shentsize)) ||
	    (img->ehdr.e_phnum != PN_XNUM && phnum != img->ehdr.e_phnum))
		return image__bad(img,
				  "header tables truncated (%zu of %u sections, %zu of %u "
				  "program headers readable)",
				  img->shnum, (unsigned int)img->ehdr.e_shnum, phnum,
				  (unsigned int)img->ehdr.e_phnum);
	if (img->shnum &&
	    (img->ehdr.e_shentsize != shentsize || img->shnum > img->size / shentsize ||
	     !range_in_file(img, img->ehdr.e_shoff, img->shnum * shentsize)))
		return image__bad(img,
				  "section header table (offset %#" PRIx64
				  ", %zu entries) is truncated or malformed",
				  (uint64_t)img->ehdr.e_shoff, img->shnum);
	if (phnum && (img->ehdr.e_phentsize != phentsize || phnum > img->size / phentsize ||
		      !range_in_file(img, img->ehdr.e_phoff, phnum * phentsize)))
		return image__bad(img,
				  "program header table (offset %#" PRIx64
				  ", %zu entries) is truncated or malformed",
				  (uint64_t)img->ehdr.e_phoff, phnum);

	img->sec_exec = tp_xcalloc(img->shnum, 1);
	for (i = 0; i < img->shnum; i++) {
		Elf_Scn *scn = elf_getscn(img->elf, i);
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh))
			return image__bad(img, "section %zu: unreadable header", i);
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    !range_in_file(img, sh.sh_offset, sh.sh_size))
			return image__bad(img,
					  "section %zu: offset %#" PRIx64 " size %#" PRIx64
					  " past the end of the file (%#" PRIx64 ")",
					  i, (uint64_t)sh.sh_offset, (uint64_t)sh.sh_size,
					  img->size);
		img->sec_exec[i] = !!(sh.sh_flags & SHF_EXECINSTR);
	}
	return 0;
}

static void image__close(struct elf_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	zfree(&img->sec_exec);
	img->elf = NULL;
	img->fd = -1;
}

static int image__open(struct elf_image *img, const char *path, bool quiet)
{
	int err;

	memset(img, 0, sizeof(*img));
	img->path = path;
	img->quiet = quiet;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return -errno;
	if (fstat(img->fd, &img->st) < 0) {
		err = -errno;
		goto out_close;
	}
	if (!S_ISREG(img->st.st_mode)) {
		err = -EINVAL;
		goto out_close;
	}
	img->size = (uint64_t)img->st.st_size;
	if (img->size < EI_NIDENT) {
		err = image__bad(img, "too short for an ELF file (%" PRIu64 " bytes)", img->size);
		goto out_close;
	}
	img->elf = elf_begin(img->fd, ELF_C_READ_MMAP, NULL);
	if (!img->elf) {
		err = image__bad(img, "%s", elf_errmsg(-1));
		goto out_close;
	}
	err = image__check(img);
	if (err)
		goto out_close;
	return 0;

out_close:
	image__close(img);
	return err;
}

static Elf_Scn *image__find_section(const struct elf_image *img, GElf_Word type, GElf_Shdr *sh)
{
	size_t i;

	for (i = 1; i < img->shnum; i++) {
		Elf_Scn *scn = elf_getscn(img->elf, i);

		if (scn && gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	}
	return NULL;
}

static enum symtab_prio binding__prio(unsigned int bind)
{
	switch (bind) {
	case STB_GLOBAL:
	case STB_GNU_UNIQUE:
		return SYMTAB_PRIO_GLOBAL;
	case STB_WEAK:
		return SYMTAB_PRIO_WEAK;
	default:
		return SYMTAB_PRIO_LOCAL;
	}
}

/* Code symbols of one symbol table into st, in one pass; names are copied
 * straight out of the mapped string table. Returns the number added or
 * TP_ERR_BAD_FORMAT. */
static int image__load_symbols(const struct elf_image *img, Elf_Scn *scn, const GElf_Shdr *sh,
			       struct symtab *st)
{
	size_t symsz = gelf_fsize(img->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t idx = elf_ndxscn(scn), nr, i;
	Elf_Data *data, *strdata, *xdata = NULL;
	GElf_Shdr strsh;
	Elf_Scn *strscn;
	const char *strs;
	int added = 0;

	/* The entry count is sh_size / sh_entsize: a zero or foreign entsize
	 * is corruption (libbpf trusts it and divides). */
	if (sh->sh_entsize != symsz)
		return image__bad(img, "section %zu: symbol entry size %" PRIu64 ", want %zu", idx,
				  (uint64_t)sh->sh_entsize, symsz);
	if (sh->sh_link == 0 || sh->sh_link >= img->shnum)
		return image__bad(img, "section %zu: string table index %u out of range", idx,
				  (unsigned int)sh->sh_link);
	strscn = elf_getscn(img->elf, sh->sh_link);
	if (!strscn || !gelf_getshdr(strscn, &strsh) || strsh.sh_type != SHT_STRTAB)
		return image__bad(img, "section %zu: link %u is not a string table", idx,
				  (unsigned int)sh->sh_link);
	if ((sh->sh_flags | strsh.sh_flags) & SHF_COMPRESSED) {
		/* Never produced by the usual toolchains for symbol tables. */
		pr_debug("%s: section %zu: compressed symbol table ignored", img->path, idx);
		return 0;
	}
	data = elf_getdata(scn, NULL);
	strdata = elf_getdata(strscn, NULL);
	if (!data || !strdata || (!data->d_buf && data->d_size) ||
	    (!strdata->d_buf && strdata->d_size))
		return image__bad(img, "section %zu: unreadable symbol table: %s", idx,
				  elf_errmsg(-1));
	strs = strdata->d_buf;

	/* Symbols in sections numbered past SHN_LORESERVE keep their index in
	 * a companion SHT_SYMTAB_SHNDX section. */
	for (i = 1; i < img->shnum; i++) {
		Elf_Scn *x = elf_getscn(img->elf, i);
		GElf_Shdr xsh;

		if (x && gelf_getshdr(x, &xsh) && xsh.sh_type == SHT_SYMTAB_SHNDX &&
		    xsh.sh_link == idx) {
			xdata = elf_getdata(x, NULL);
			break;
		}
	}

	nr = sh->sh_size / symsz;
	if (nr > INT_MAX)
		nr = INT_MAX; /* libelf indexes with int */
	for (i = 1; i < nr; i++) {
		GElf_Sym sym;
		GElf_Word xndx = 0;
		unsigned int type;
		size_t shndx, len;
		const char *name;

		if (!gelf_getsymshndx(data, xdata, (int)i, &sym, &xndx))
			break;
		if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0 || sym.st_name >= strdata->d_size)
			continue;
		if (sym.st_shndx == SHN_XINDEX)
			shndx = xndx;
		else if (sym.st_shndx >= SHN_LORESERVE)
			continue; /* SHN_ABS, SHN_COMMON: not code */
		else
			shndx = sym.st_shndx;
		if (shndx >= img->shnum)
			continue;

		name = strs + sym.st_name;
		len = strnlen(name, strdata->d_size - sym.st_name);
		if (len == strdata->d_size - sym.st_name)
			continue; /* runs off the end of the string table */

		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_NOTYPE) {
			/* Untyped labels count in code sections (hand-written
			 * assembly), but not the ARM mapping symbols ($x, $d, $t)
			 * nor assembler-local .L labels. */
			if (!img->sec_exec[shndx] || name[0] == '$' ||
			    (name[0] == '.' && name[1] == 'L'))
				continue;
		} else if (type != STT_FUNC && type != STT_GNU_IFUNC) {
			continue;
		}
		/* Thumb functions carry the mode in bit 0 of their address. */
		if (img->ehdr.e_machine == EM_ARM && type != STT_NOTYPE)
			sym.st_value &= ~(GElf_Addr)1;
		symtab__add_len(st, sym.st_value, sym.st_size, name, len,
				binding__prio(GELF_ST_BIND(sym.st_info)));
		if (added < INT_MAX)
			added++;
	}
	return added;
}

static bool note_is_build_id(const Elf_Data *data, const GElf_Nhdr *nh, size_t name_off)
{
	return nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == sizeof("GNU") &&
	       !memcmp((const char *)data->d_buf + name_off, "GNU", sizeof("GNU")) &&
	       nh->n_descsz > 0 && nh->n_descsz <= BUILD_ID_MAX;
}

static bool notes__build_id(Elf_Data *data, unsigned char *id, size_t *len)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	if (!data || !data->d_buf)
		return false;
	while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (note_is_build_id(data, &nh, name_off)) {
			memcpy(id, (const char *)data->d_buf + desc_off, nh.n_descsz);
			*len = nh.n_descsz;
			return true;
		}
		off = next;
	}
	return false;
}

/* NT_GNU_BUILD_ID from the note sections, or from PT_NOTE when the section
 * headers are gone (sstrip). */
static size_t image__build_id(const struct elf_image *img, unsigned char *id)
{
	size_t len = 0, i, phnum;

	for (i = 1; i < img->shnum; i++) {
		Elf_Scn *scn = elf_getscn(img->elf, i);
		GElf_Shdr sh;

		if (scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE &&
		    notes__build_id(elf_getdata(scn, NULL), id, &len))
			return len;
	}
	if (elf_getphdrnum(img->elf, &phnum))
		return 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(img->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    !range_in_file(img, ph.p_offset, ph.p_filesz))
			continue;
		if (notes__build_id(
			    elf_getdata_rawchunk(img->elf, (int64_t)ph.p_offset, ph.p_filesz,
						 ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR),
			    id, &len))
			return len;
	}
	return 0;
}

static void elf_file__load_segments(struct elf_file *ef, const struct elf_image *img)
{
	size_t i, phnum;

	if (elf_getphdrnum(img->elf, &phnum))
		return;
	for (i = 0; i < phnum; i++) {
		struct load_seg seg;
		GElf_Phdr ph;
		uint64_t end;

		if (!gelf_getphdr(img->elf, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_filesz ||
		    __builtin_add_overflow(ph.p_offset, ph.p_filesz, &end) ||
		    __builtin_add_overflow(ph.p_vaddr, ph.p_filesz, &end))
			continue;
		seg.off = ph.p_offset;
		seg.vaddr = ph.p_vaddr;
		seg.filesz = ph.p_filesz;
		TP_VEC_PUSH(ef->segs, ef->nr_segs, ef->segs_cap, seg);
	}
}

/* The .gnu_debuglink section: a file name, NUL, padding to 4, then the
 * CRC32 of the debug file in the target's byte order. */
static char *image__debuglink(const struct elf_image *img, uint32_t *crc)
{
	size_t shstrndx, i;

	if (elf_getshdrstrndx(img->elf, &shstrndx))
		return NULL;
	for (i = 1; i < img->shnum; i++) {
		Elf_Scn *scn = elf_getscn(img->elf, i);
		const unsigned char *b;
		const char *name;
		Elf_Data *data;
		size_t len, crc_off;
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(img->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".gnu_debuglink"))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			return NULL;
		b = data->d_buf;
		len = strnlen((const char *)b, data->d_size);
		crc_off = (len + 4) & ~(size_t)3;
		/* Only a bare file name: the link must not lead elsewhere. */
		if (!len || crc_off > data->d_size || data->d_size - crc_off < 4 ||
		    memchr(b, '/', len))
			return NULL;
		b += crc_off;
		if (img->ehdr.e_ident[EI_DATA] == ELFDATA2MSB)
			*crc = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
			       b[3];
		else
			*crc = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 |
			       b[0];
		return tp_xstrndup(data->d_buf, len);
	}
	return NULL;
}

static uint32_t image__crc32(const struct elf_image *img)
{
	const unsigned char *p;
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t n;

	p = (const unsigned char *)elf_rawfile(img->elf, &n);
	if (!p)
		return 0;
	while (n) {
		uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;

		crc = crc32(crc, p, chunk);
		p += chunk;
		n -= chunk;
	}
	return (uint32_t)crc;
}

/* Is the file at path the debug file of orig? A build id match is enough
 * (and saves reading a large debug file for its CRC); otherwise, only for a
 * debug link, the CRC must match. On success img is open: close it. */
static bool debug_file__accept(struct elf_image *img, const char *path,
			       const struct elf_image *orig, const unsigned char *id, size_t id_len,
			       bool check_crc, uint32_t crc)
{
	unsigned char cand_id[BUILD_ID_MAX];
	size_t cand_len;
	GElf_Shdr sh;

	if (image__open(img, path, true))
		return false;
	if (img->st.st_dev == orig->st.st_dev && img->st.st_ino == orig->st.st_ino)
		goto out_reject;
	if (img->ehdr.e_ident[EI_CLASS] != orig->ehdr.e_ident[EI_CLASS] ||
	    img->ehdr.e_machine != orig->ehdr.e_machine ||
	    !image__find_section(img, SHT_SYMTAB, &sh))
		goto out_reject;
	cand_len = image__build_id(img, cand_id);
	if (id_len && cand_len == id_len && !memcmp(cand_id, id, id_len))
		return true;
	if (check_crc && image__crc32(img) == crc)
		return true;
	pr_debug("%s: not the debug file of %s (build id or CRC differ)", path, orig->path);

out_reject:
	image__close(img);
	return false;
}

static char *build_id__path(const char *root, const unsigned char *id, size_t len)
{
	/* ROOT/.build-id/xx/yyyy.debug, the layout of distribution -dbg
	 * packages and debuginfod caches. */
	char hex[2 * BUILD_ID_MAX + 1];
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return tp_xasprintf("%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);
}

/* Find and open the separate debug file of orig; on success returns its
 * path (to free) with img open. */
static char *debug_file__find(struct elf_image *img, const struct elf_image *orig,
			      const unsigned char *id, size_t id_len, const char *root)
{
	char *link, *dir, *cand[3];
	uint32_t crc = 0;
	size_t i, n = 0;
	const char *slash;

	if (id_len >= 2) {
		char *p = build_id__path(root, id, id_len);

		if (debug_file__accept(img, p, orig, id, id_len, false, 0))
			return p;
		free(p);
	}

	link = image__debuglink(orig, &crc);
	if (!link)
		return NULL;
	/* gdb's search order. The directory is taken as given, not resolved:
	 * a /proc/PID/root/... path must stay inside the target's mount
	 * namespace. DEBUG_ROOT + dir only makes sense for an absolute dir. */
	slash = strrchr(orig->path, '/');
	dir = slash ? tp_xstrndup(orig->path, (size_t)(slash - orig->path)) : tp_xstrdup(".");
	cand[n++] = tp_xasprintf("%s/%s", dir, link);
	cand[n++] = tp_xasprintf("%s/.debug/%s", dir, link);
	if (slash && orig->path[0] == '/')
		cand[n++] = tp_xasprintf("%s%s/%s", root, dir, link);
	free(dir);
	free(link);

	for (i = 0; i < n; i++) {
		if (debug_file__accept(img, cand[i], orig, id, id_len, true, crc))
			break;
	}
	for (size_t j = 0; j < n; j++) {
		if (j != i)
			free(cand[j]);
	}
	return i < n ? cand[i] : NULL;
}

/* Symbols from scn into a fresh table that replaces ef's on success. */
static int elf_file__take_symbols(struct elf_file *ef, const struct elf_image *img, Elf_Scn *scn,
				  const GElf_Shdr *sh)
{
	struct symtab *st = symtab__new();
	int n = image__load_symbols(img, scn, sh, st);

	if (n <= 0) {
		symtab__delete(st);
		return n;
	}
	symtab__finalize(st);
	symtab__delete(ef->syms);
	ef->syms = st;
	return n;
}

/* Everything but the file access: segments and build id from the image
 * itself, symbols from .symtab, else a debug file (when debug_root is set),
 * else .dynsym. */
static int elf_file__load(struct elf_file *ef, const struct elf_image *img, const char *debug_root)
{
	Elf_Scn *scn;
	GElf_Shdr sh;
	int n = 0;

	elf_file__load_segments(ef, img);
	ef->build_id_len = image__build_id(img, ef->build_id);

	scn = image__find_section(img, SHT_SYMTAB, &sh);
	if (scn) {
		n = elf_file__take_symbols(ef, img, scn, &sh);
		if (n < 0)
			return n;
	} else if (debug_root) {
		struct elf_image dbg;
		char *dpath =
			debug_file__find(&dbg, img, ef->build_id, ef->build_id_len, debug_root);

		if (dpath) {
			scn = image__find_section(&dbg, SHT_SYMTAB, &sh);
			/* A broken debug file is not the binary's fault: fall
			 * back to .dynsym rather than fail. */
			n = scn ? elf_file__take_symbols(ef, &dbg, scn, &sh) : 0;
			image__close(&dbg);
			if (n > 0) {
				free(ef->sym_source);
				ef->sym_source = dpath;
				return 0;
			}
			pr_debug("%s: no usable symbols in %s", img->path, dpath);
			free(dpath);
			n = 0;
		}
	}
	if (n == 0) {
		scn = image__find_section(img, SHT_DYNSYM, &sh);
		if (scn) {
			n = elf_file__take_symbols(ef, img, scn, &sh);
			if (n < 0)
				return n;
		}
	}
	return n > 0 ? 0 : TP_ERR_NO_SYMBOLS;
}

static struct elf_file *elf_file__alloc(const char *path)
{
	struct elf_file *ef = tp_xcalloc(1, sizeof(*ef));

	ef->path = tp_xstrdup(path);
	ef->sym_source = tp_xstrdup(path);
	ef->syms = symtab__new();
	symtab__finalize(ef->syms);
	return ef;
}

/* Keep ef when it is usable (0 or TP_ERR_NO_SYMBOLS), else drop it. */
static int elf_file__finish(struct elf_file *ef, int err, struct elf_file **out)
{
	if (err && err != TP_ERR_NO_SYMBOLS) {
		elf_file__delete(ef);
		return err;
	}
	*out = ef;
	return err;
}

int elf_file__open(const char *path, const struct elf_open_opts *opts, struct elf_file **out)
{
	const char *root = opts && opts->debug_root ? opts->debug_root : DEFAULT_DEBUG_ROOT;
	struct elf_image img;
	struct elf_file *ef;
	int err;

	*out = NULL;
	elf_lib__init();
	err = image__open(&img, path, false);
	if (err)
		return err;
	ef = elf_file__alloc(path);
	err = elf_file__load(ef, &img, root);
	image__close(&img);
	return elf_file__finish(ef, err, out);
}

int elf_file__open_mem(const void *data, size_t len, struct elf_file **out)
{
	struct elf_image img;
	struct elf_file *ef;
	int err;

	*out = NULL;
	elf_lib__init();
	memset(&img, 0, sizeof(img));
	img.fd = -1;
	img.path = "[memory]";
	img.size = len;
	if (!data || len < EI_NIDENT)
		return image__bad(&img, "too short for an ELF file (%zu bytes)", len);
	/* libelf only reads a READ_MMAP_PRIVATE image (byte-swapped or
	 * misaligned data is converted into its own copies): the cast is safe. */
	img.elf = elf_memory((char *)data, len);
	if (!img.elf)
		return image__bad(&img, "%s", elf_errmsg(-1));
	err = image__check(&img);
	if (err) {
		image__close(&img);
		return err;
	}
	ef = elf_file__alloc(img.path);
	err = elf_file__load(ef, &img, NULL);
	image__close(&img);
	return elf_file__finish(ef, err, out);
}

int elf_file__offset_to_vaddr(const struct elf_file *ef, uint64_t file_off, uint64_t *vaddr)
{
	size_t i;

	for (i = 0; i < ef->nr_segs; i++) {
		const struct load_seg *s = &ef->segs[i];

		if (file_off >= s->off && file_off - s->off < s->filesz) {
			*vaddr = s->vaddr + (file_off - s->off);
			return 0;
		}
	}
	return TP_ERR_NOT_FOUND;
}

const struct tp_sym *elf_file__find(const struct elf_file *ef, uint64_t vaddr)
{
	return symtab__find(ef->syms, vaddr);
}

size_t elf_file__nr_symbols(const struct elf_file *ef)
{
	return symtab__count(ef->syms);
}

const char *elf_file__symbol_source(const struct elf_file *ef)
{
	return ef->sym_source;
}

void elf_file__build_id(const struct elf_file *ef, const unsigned char **id, size_t *len)
{
	*id = ef->build_id;
	*len = ef->build_id_len;
}

void elf_file__delete(struct elf_file *ef)
{
	if (!ef)
		return;
	symtab__delete(ef->syms);
	free(ef->segs);
	free(ef->path);
	free(ef->sym_source);
	free(ef);
}

#include "image.h"
#include "../util/err.h"
#include "../util/mem.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct unwind_image *unwind_image__open(const char *path)
{
	struct unwind_image *img = tp_xcalloc(1, sizeof(*img));
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	img->status = -ENOENT;
	if (fd < 0) {
		img->status = -errno;
		return img;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		img->status = -EINVAL;
		goto out;
	}
	img->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img->map == MAP_FAILED) {
		img->map = NULL;
		img->status = -errno;
		goto out;
	}
	img->map_len = (size_t)st.st_size;
	img->status = cfi_table__parse(img->map, img->map_len, &img->cfi);
out:
	close(fd);
	return img;
}

struct unwind_image *unwind_image__open_vdso(void)
{
	struct unwind_image *img = tp_xcalloc(1, sizeof(*img));
	const unsigned char *base = (const void *)getauxval(AT_SYSINFO_EHDR);
	Elf64_Ehdr eh;
	size_t len = 0;

	img->status = TP_ERR_NOT_FOUND;
	if (!base)
		return img;
	/* The vdso's extent is its program headers' (it has no file size). */
	memcpy(&eh, base, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phentsize != sizeof(Elf64_Phdr))
		return img;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, base + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > len)
			len = ph.p_offset + ph.p_filesz;
	}
	img->status = cfi_table__parse(base, len, &img->cfi);
	return img;
}

void unwind_image__delete(struct unwind_image *img)
{
	if (!img)
		return;
	if (img->map)
		munmap(img->map, img->map_len);
	free(img);
}

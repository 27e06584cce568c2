#include "plugin_probe.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *plugin_base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

int plugin_maps_lib(uint32_t pid, const char *lib)
{
	char path[64], line[4400];
	size_t lib_len = strlen(lib);
	FILE *f;
	int found = 0;

	if (!pid)
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");

		found = len > lib_len && line[len - lib_len - 1] == '/' &&
			!memcmp(line + len - lib_len, lib, lib_len);
	}
	fclose(f);
	return found;
}

int plugin_elf_contains(const char *path, const char *needle, size_t max_size)
{
	struct stat st;
	void *m;
	int found, fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 4 ||
	    (uint64_t)st.st_size > max_size) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 0;
	found = memcmp(m, "\177ELF", 4) == 0 &&
		memmem(m, (size_t)st.st_size, needle, strlen(needle)) != NULL;
	munmap(m, (size_t)st.st_size);
	return found;
}

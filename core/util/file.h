/* Whole-file input helpers. */
#ifndef TP_UTIL_FILE_H
#define TP_UTIL_FILE_H

#include <stddef.h>

/* Read a whole file (regular or /proc) into a NUL-terminated malloc'd buffer.
 * Returns 0 or -errno; *out is owned by the caller. */
int tp_read_file(const char *path, char **out, size_t *len);

/* Read-only mapping of a whole file; unmap with tp_unmap_file. Returns 0 or
 * -errno. An empty file gives data == NULL, len == 0. */
int tp_map_file(const char *path, const void **data, size_t *len);
void tp_unmap_file(const void *data, size_t len);

#endif

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

/* 1 when path exists and is not a regular file (/dev/null, a FIFO, a tty):
 * such an output is written in place, never renamed over or backed up, since
 * rename() would replace the device node itself. */
int tp_path_is_special(const char *path);

#endif

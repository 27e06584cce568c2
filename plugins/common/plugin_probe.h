/* What the built-in plugins' detect() looks at: a process's name, its
 * mappings, and its executable's bytes. */
#ifndef TP_PLUGIN_PROBE_H
#define TP_PLUGIN_PROBE_H

#include <stddef.h>
#include <stdint.h>

/* The last path component; NULL for NULL. */
const char *plugin_base_name(const char *path);

/* 1 when /proc/PID/maps maps a file whose name is lib ("libjvm.so"). */
int plugin_maps_lib(uint32_t pid, const char *lib);

/* 1 when path is an ELF file of at most max_size bytes that contains needle
 * (a symbol or a library name its code refers to). */
int plugin_elf_contains(const char *path, const char *needle, size_t max_size);

#endif

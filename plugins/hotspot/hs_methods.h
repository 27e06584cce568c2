/* Parser of the method table tierprof's JVMTI agent writes at VMDeath
 * (plugins/hotspot/agent/tierprof_jvmti.c has the format):
 *
 *   # tierprof-hotspot-methods 1
 *   vm	17.0.15+6-Debian-1deb12u1
 *   const	frame::interpreter_frame_last_sp_offset	-2
 *   m	0x7f3a10c2f8a8	java.lang.String	hashCode	()I
 *
 * Each method line gives a Method* and the method's function key, spelled as
 * hs_name.h's keys ("java.lang.String::hashCode()"). The header line must
 * come first and name version 1; records of another kind are skipped
 * (a later agent may add some); malformed lines are counted and skipped.
 *
 * No I/O, no allocation, no state between calls. async-signal-safe: yes. */
#ifndef TP_HOTSPOT_HS_METHODS_H
#define TP_HOTSPOT_HS_METHODS_H

#include <stddef.h>
#include <stdint.h>

#define HS_METHODS_HEADER "# tierprof-hotspot-methods 1"

struct hs_methods_cb {
	/* A method: its Method* and key (NUL-terminated, borrowed). <0 stops
	 * the parse with that result. */
	int (*method)(void *ctx, uint64_t method, const char *key, size_t key_len);
	/* A frame constant HotSpot published (name borrowed, not terminated). */
	void (*constant)(void *ctx, const char *name, size_t name_len, int64_t value);
};

struct hs_methods_info {
	size_t methods;	       /* method lines given to the callback */
	size_t bad_lines;      /* malformed lines skipped */
	size_t first_bad_line; /* 1-based; 0 when none */
	size_t vm_len;	       /* the vm line's version (in the input), if any */
	const char *vm;
	char error[128]; /* why the file was refused (return -1) */
};

/* Parse len bytes of data. 0, -1 when the file is not a version-1 method
 * table (info->error says why), or a callback's <0 result. */
int hs_methods__parse(const char *data, size_t len, const struct hs_methods_cb *cb, void *ctx,
		      struct hs_methods_info *info);

#endif

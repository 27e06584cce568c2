/* Jitdump files (perf's tools/perf/Documentation/jitdump-specification.txt),
 * written by V8 --perf-prof, .NET (DOTNET_PerfMapEnabled=1/2), Julia, Wasmtime.
 *
 * Layout, little endian: a header (magic "JiTD" as the u32 0x4A695444,
 * version, header total_size, elf_mach, pad1, pid, timestamp, flags), then
 * records, each starting with { u32 id, u32 total_size, u64 timestamp }.
 * Record timestamps are CLOCK_MONOTONIC ns unless the header has
 * JITDUMP_FLAGS_ARCH_TIMESTAMP (then they are TSC ticks and must not be
 * compared with sample times without a conversion).
 *
 * The parser reads an in-memory copy (a capture's side file or a mapped file)
 * and calls back once per well-formed record, in file order. It trusts no
 * length: every size is checked against the bytes that remain, names must be
 * NUL-terminated inside their record.
 * Ownership: every pointer handed to a callback points into the input (or,
 * for debug entries, into a scratch array) and is valid only during the
 * callback. async-signal-safe: no. */
#ifndef TP_SYMBOL_JITDUMP_H
#define TP_SYMBOL_JITDUMP_H

#include <stddef.h>
#include <stdint.h>

#define JITDUMP_MAGIC 0x4A695444u	  /* bytes "DTiJ" on disk */
#define JITDUMP_MAGIC_SWAPPED 0x4454694Au /* written by a big-endian machine */
#define JITDUMP_VERSION 1
#define JITDUMP_HEADER_SIZE 40
#define JITDUMP_PREFIX_SIZE 16
#define JITDUMP_FLAGS_ARCH_TIMESTAMP (1ULL << 0)

/* Record ids; the numbers are the file format's. */
enum jitdump_record_id {
	JITDUMP_CODE_LOAD = 0,
	JITDUMP_CODE_MOVE = 1,
	JITDUMP_CODE_DEBUG_INFO = 2,
	JITDUMP_CODE_CLOSE = 3,
	JITDUMP_CODE_UNWINDING_INFO = 4,
	JITDUMP_NR_RECORD_IDS,
};

struct jitdump_code_load {
	size_t offset; /* of the record in the input */
	uint64_t timestamp;
	uint32_t pid, tid;
	uint64_t vma, code_addr, code_size, code_index;
	const char *name; /* NUL-terminated; may be empty */
	size_t name_len;
	const uint8_t *code; /* the code bytes present: code_len <= code_size */
	size_t code_len;
};

struct jitdump_code_move {
	size_t offset;
	uint64_t timestamp;
	uint32_t pid, tid;
	uint64_t vma, old_code_addr, new_code_addr, code_size, code_index;
};

/* One line-table row. V8 stores the column in discrim. */
struct jitdump_debug_entry {
	uint64_t addr;
	uint32_t line, discrim;
	const char *filename; /* NUL-terminated */
};

/* Debug info describes the CODE_LOAD of code_addr that follows it. */
struct jitdump_debug_info {
	size_t offset;
	uint64_t timestamp;
	uint64_t code_addr;
	uint64_t nr_entry;
	const struct jitdump_debug_entry *entries; /* nr_entry of them */
};

struct jitdump_unwinding_info {
	size_t offset;
	uint64_t timestamp;
	uint64_t unwinding_size, eh_frame_hdr_size, mapped_size;
	const uint8_t *data; /* unwinding_size bytes: .eh_frame then .eh_frame_hdr */
};

/* Every callback is optional. Return 0 to go on; any other value stops the
 * parse and jitdump__parse returns it. */
struct jitdump_callbacks {
	int (*code_load)(void *ctx, const struct jitdump_code_load *r);
	int (*code_move)(void *ctx, const struct jitdump_code_move *r);
	int (*debug_info)(void *ctx, const struct jitdump_debug_info *r);
	int (*unwinding_info)(void *ctx, const struct jitdump_unwinding_info *r);
	int (*code_close)(void *ctx, size_t offset, uint64_t timestamp);
};

struct jitdump_info {
	/* the header */
	uint32_t version;
	uint32_t header_size; /* total_size: > 40 for a newer writer, the rest is skipped */
	uint32_t elf_mach;    /* EM_X86_64 = 62 ... */
	uint32_t pad1;
	uint32_t pid;
	uint64_t timestamp; /* the writer's choice: V8 µs wall clock, .NET/Julia monotonic */
	uint64_t flags;
	/* the records */
	uint64_t records[JITDUMP_NR_RECORD_IDS]; /* well-formed records per id */
	uint64_t unknown_records;		 /* ids >= JITDUMP_NR_RECORD_IDS, skipped */
	uint64_t bad_records;	 /* framed records with an inconsistent body, skipped */
	size_t first_bad_offset; /* offset of the first of them (valid if bad_records) */
	int truncated;		 /* the input ends inside a record (a dump still being written,
				    or a crashed writer): everything before it was reported */
	size_t truncated_at;	 /* offset where that incomplete record starts */
	size_t end_offset;	 /* where reading stopped */
	/* Why the parse failed, stopped early or skipped something, with the
	 * offset and what was expected; "" when the input was clean. */
	char error[192];
};

/* Parse len bytes of a jitdump. cb may be NULL (validate and count only);
 * info is required and is always filled as far as the parse got.
 * Returns:
 *   0                   read to the end or to a truncated tail (info->truncated);
 *                       records with a bad body were skipped (info->bad_records)
 *   TP_ERR_TRUNCATED    the input ends inside the header (an empty file too)
 *   TP_ERR_BAD_MAGIC    not a jitdump
 *   TP_ERR_BAD_FORMAT   byte-swapped (big-endian) dump, header size < 40,
 *                       version 0, reserved flag bits set; or a record whose
 *                       total_size is below the 16-byte prefix, after which no
 *                       record can be found (those before it were reported)
 *   TP_ERR_BAD_VERSION  version newer than JITDUMP_VERSION
 *   other               what a callback returned
 * info->error says which, where and why. */
int jitdump__parse(const void *data, size_t len, const struct jitdump_callbacks *cb, void *ctx,
		   struct jitdump_info *info);

/* Name of a record id ("CODE_LOAD"), or "unknown". Static storage. */
const char *jitdump__record_name(uint32_t id);

#endif

#include "jitdump.h"

#include "util/err.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fixed body sizes after the 16-byte prefix (perf's jr_code_* structs). */
#define LOAD_BODY 40   /* pid, tid, vma, code_addr, code_size, code_index */
#define MOVE_BODY 48   /* pid, tid, vma, old_code_addr, new_code_addr, code_size, code_index */
#define DEBUG_BODY 16  /* code_addr, nr_entry */
#define DEBUG_ENTRY 17 /* addr, lineno, discrim, at least the name's NUL */
#define UNWIND_BODY 24 /* unwinding_size, eh_frame_hdr_size, mapped_size */

/* Byte-wise little-endian loads: the input has no alignment guarantee and the
 * format is little endian whatever the host. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void set_error(struct jitdump_info *info, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct jitdump_info *info, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->error, sizeof(info->error), fmt, ap);
	va_end(ap);
}

/* Non-fatal problems: the first one keeps the message, the counters tell the rest. */
#define note_error(info, ...)                         \
	do {                                          \
		if (!(info)->error[0])                \
			set_error(info, __VA_ARGS__); \
	} while (0)

const char *jitdump__record_name(uint32_t id)
{
	static const char *const names[] = {
		[JITDUMP_CODE_LOAD] = "CODE_LOAD",
		[JITDUMP_CODE_MOVE] = "CODE_MOVE",
		[JITDUMP_CODE_DEBUG_INFO] = "CODE_DEBUG_INFO",
		[JITDUMP_CODE_CLOSE] = "CODE_CLOSE",
		[JITDUMP_CODE_UNWINDING_INFO] = "CODE_UNWINDING_INFO",
	};

	return id < TP_ARRAY_SIZE(names) ? names[id] : "unknown";
}

static int parse_header(const uint8_t *p, size_t len, struct jitdump_info *info)
{
	uint32_t magic;

	if (len < 4) {
		/* A prefix of the magic is a dump cut right at its start. */
		if (len && !memcmp(p, "DTiJ", len)) {
			set_error(info, "jitdump header truncated: %zu of %d bytes", len,
				  JITDUMP_HEADER_SIZE);
			return TP_ERR_TRUNCATED;
		}
		if (!len) {
			set_error(info, "empty jitdump");
			return TP_ERR_TRUNCATED;
		}
		set_error(info, "not a jitdump: %zu bytes", len);
		return TP_ERR_BAD_MAGIC;
	}
	magic = le32(p);
	if (magic == JITDUMP_MAGIC_SWAPPED) {
		set_error(info,
			  "byte-swapped jitdump (magic 0x%08" PRIx32
			  " read as little endian): written by a big-endian machine, "
			  "not supported",
			  magic);
		return TP_ERR_BAD_FORMAT;
	}
	if (magic != JITDUMP_MAGIC) {
		set_error(info, "not a jitdump: magic 0x%08" PRIx32 ", expected 0x%08x ('JiTD')",
			  magic, JITDUMP_MAGIC);
		return TP_ERR_BAD_MAGIC;
	}
	if (len < JITDUMP_HEADER_SIZE) {
		set_error(info, "jitdump header truncated: %zu of %d bytes", len,
			  JITDUMP_HEADER_SIZE);
		return TP_ERR_TRUNCATED;
	}
	info->version = le32(p + 4);
	info->header_size = le32(p + 8);
	info->elf_mach = le32(p + 12);
	info->pad1 = le32(p + 16);
	info->pid = le32(p + 20);
	info->timestamp = le64(p + 24);
	info->flags = le64(p + 32);
	if (info->version == 0) {
		set_error(info, "jitdump version 0 is invalid (expected %d)", JITDUMP_VERSION);
		return TP_ERR_BAD_FORMAT;
	}
	if (info->version > JITDUMP_VERSION) {
		set_error(info, "jitdump version %" PRIu32 " is newer than supported (%d)",
			  info->version, JITDUMP_VERSION);
		return TP_ERR_BAD_VERSION;
	}
	if (info->header_size < JITDUMP_HEADER_SIZE) {
		set_error(info, "jitdump header size %" PRIu32 " is below the minimum %d",
			  info->header_size, JITDUMP_HEADER_SIZE);
		return TP_ERR_BAD_FORMAT;
	}
	/* Unknown flags could change what timestamps mean: refuse, as perf does,
	 * rather than resolve samples against the wrong clock. */
	if (info->flags & ~JITDUMP_FLAGS_ARCH_TIMESTAMP) {
		set_error(info,
			  "jitdump header has unsupported flags 0x%" PRIx64
			  " (only bit 0, ARCH_TIMESTAMP, is defined)",
			  info->flags);
		return TP_ERR_BAD_FORMAT;
	}
	if (info->header_size > len) {
		set_error(info, "jitdump header truncated: header size %" PRIu32 ", file %zu bytes",
			  info->header_size, len);
		return TP_ERR_TRUNCATED;
	}
	return 0;
}

/* Scratch space for one debug-info record's entries, reused across records. */
struct debug_scratch {
	struct jitdump_debug_entry *v;
	size_t cap;
};

/* The body checks return NULL when the record is fine, or what is wrong. */

static const char *check_load(const uint8_t *r, size_t size, struct jitdump_code_load *out)
{
	const uint8_t *b = r + JITDUMP_PREFIX_SIZE, *end = r + size, *nul;

	if (size < JITDUMP_PREFIX_SIZE + LOAD_BODY + 1)
		return "CODE_LOAD shorter than its fixed fields and a name";
	out->pid = le32(b);
	out->tid = le32(b + 4);
	out->vma = le64(b + 8);
	out->code_addr = le64(b + 16);
	out->code_size = le64(b + 24);
	out->code_index = le64(b + 32);
	out->name = (const char *)(b + LOAD_BODY);
	nul = memchr(out->name, '\0', (size_t)(end - (b + LOAD_BODY)));
	if (!nul)
		return "CODE_LOAD name not NUL-terminated inside the record";
	out->name_len = (size_t)(nul - (b + LOAD_BODY));
	if (out->code_addr + out->code_size < out->code_addr)
		return "CODE_LOAD code_addr + code_size overflows";
	/* Writers differ on whether the code follows (V8: yes); keep what is there. */
	out->code = nul + 1;
	out->code_len = (size_t)(end - out->code);
	if (out->code_len > out->code_size)
		out->code_len = (size_t)out->code_size;
	return NULL;
}

static const char *check_move(const uint8_t *r, size_t size, struct jitdump_code_move *out)
{
	const uint8_t *b = r + JITDUMP_PREFIX_SIZE;

	if (size < JITDUMP_PREFIX_SIZE + MOVE_BODY)
		return "CODE_MOVE shorter than its fixed fields";
	out->pid = le32(b);
	out->tid = le32(b + 4);
	out->vma = le64(b + 8);
	out->old_code_addr = le64(b + 16);
	out->new_code_addr = le64(b + 24);
	out->code_size = le64(b + 32);
	out->code_index = le64(b + 40);
	if (out->new_code_addr + out->code_size < out->new_code_addr)
		return "CODE_MOVE new_code_addr + code_size overflows";
	return NULL;
}

static const char *check_debug(const uint8_t *r, size_t size, struct debug_scratch *s,
			       struct jitdump_debug_info *out)
{
	const uint8_t *p = r + JITDUMP_PREFIX_SIZE, *end = r + size;

	if (size < JITDUMP_PREFIX_SIZE + DEBUG_BODY)
		return "CODE_DEBUG_INFO shorter than its fixed fields";
	out->code_addr = le64(p);
	out->nr_entry = le64(p + 8);
	p += DEBUG_BODY;
	/* Bound nr_entry by the bytes present before allocating anything. */
	if (out->nr_entry > (uint64_t)(end - p) / DEBUG_ENTRY)
		return "CODE_DEBUG_INFO nr_entry does not fit in the record";
	tp_xgrow((void **)&s->v, &s->cap, (size_t)out->nr_entry, sizeof(*s->v));
	for (uint64_t i = 0; i < out->nr_entry; i++) {
		struct jitdump_debug_entry *e = &s->v[i];
		const uint8_t *nul;

		if (end - p < DEBUG_ENTRY)
			return "CODE_DEBUG_INFO entries run past the record";
		e->addr = le64(p);
		e->line = le32(p + 8);
		e->discrim = le32(p + 12);
		e->filename = (const char *)(p + 16);
		nul = memchr(p + 16, '\0', (size_t)(end - (p + 16)));
		if (!nul)
			return "CODE_DEBUG_INFO file name not NUL-terminated inside the record";
		p = nul + 1;
	}
	out->entries = s->v;
	return NULL;
}

static const char *check_unwind(const uint8_t *r, size_t size, struct jitdump_unwinding_info *out)
{
	const uint8_t *b = r + JITDUMP_PREFIX_SIZE;

	if (size < JITDUMP_PREFIX_SIZE + UNWIND_BODY)
		return "CODE_UNWINDING_INFO shorter than its fixed fields";
	out->unwinding_size = le64(b);
	out->eh_frame_hdr_size = le64(b + 8);
	out->mapped_size = le64(b + 16);
	out->data = b + UNWIND_BODY;
	if (out->unwinding_size > size - JITDUMP_PREFIX_SIZE - UNWIND_BODY)
		return "CODE_UNWINDING_INFO unwinding_size runs past the record";
	if (out->eh_frame_hdr_size > out->unwinding_size)
		return "CODE_UNWINDING_INFO eh_frame_hdr_size exceeds unwinding_size";
	return NULL;
}

/* One framed record: validate its body, count it, call back. */
static int do_record(const uint8_t *r, size_t off, uint32_t id, size_t size, uint64_t ts,
		     const struct jitdump_callbacks *cb, void *ctx, struct debug_scratch *scratch,
		     struct jitdump_info *info)
{
	const char *why = NULL;
	int ret = 0;

	switch (id) {
	case JITDUMP_CODE_LOAD: {
		struct jitdump_code_load l = { .offset = off, .timestamp = ts };

		why = check_load(r, size, &l);
		if (!why && cb && cb->code_load)
			ret = cb->code_load(ctx, &l);
		break;
	}
	case JITDUMP_CODE_MOVE: {
		struct jitdump_code_move m = { .offset = off, .timestamp = ts };

		why = check_move(r, size, &m);
		if (!why && cb && cb->code_move)
			ret = cb->code_move(ctx, &m);
		break;
	}
	case JITDUMP_CODE_DEBUG_INFO: {
		struct jitdump_debug_info d = { .offset = off, .timestamp = ts };

		why = check_debug(r, size, scratch, &d);
		if (!why && cb && cb->debug_info)
			ret = cb->debug_info(ctx, &d);
		break;
	}
	case JITDUMP_CODE_CLOSE:
		if (cb && cb->code_close)
			ret = cb->code_close(ctx, off, ts);
		break;
	case JITDUMP_CODE_UNWINDING_INFO: {
		struct jitdump_unwinding_info u = { .offset = off, .timestamp = ts };

		why = check_unwind(r, size, &u);
		if (!why && cb && cb->unwinding_info)
			ret = cb->unwinding_info(ctx, &u);
		break;
	}
	default:
		/* A newer writer's record: the prefix says how far to skip. */
		info->unknown_records++;
		return 0;
	}
	if (why) {
		if (!info->bad_records++) {
			info->first_bad_offset = off;
			note_error(info, "record at offset 0x%zx (%zu bytes): %s; skipped", off,
				   size, why);
		}
		return 0;
	}
	info->records[id]++;
	return ret;
}

int jitdump__parse(const void *data, size_t len, const struct jitdump_callbacks *cb, void *ctx,
		   struct jitdump_info *info)
{
	const uint8_t *p = data;
	struct debug_scratch scratch = { 0 };
	size_t off;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = parse_header(p, len, info);
	if (ret) {
		info->truncated = ret == TP_ERR_TRUNCATED;
		return ret;
	}
	/* A newer writer may append header fields: total_size says where records start. */
	off = info->header_size;
	while (off < len) {
		size_t left = len - off;
		uint32_t id, size;

		if (left < JITDUMP_PREFIX_SIZE) {
			info->truncated = 1;
			info->truncated_at = off;
			note_error(info,
				   "truncated at offset 0x%zx: %zu bytes left, a record prefix "
				   "needs %d",
				   off, left, JITDUMP_PREFIX_SIZE);
			break;
		}
		id = le32(p + off);
		size = le32(p + off + 4);
		if (size < JITDUMP_PREFIX_SIZE) {
			/* No way to find the next record: stop at the damage. */
			set_error(info,
				  "record at offset 0x%zx: total_size %" PRIu32
				  " is below the %d-byte prefix (id %" PRIu32
				  "); the rest of the file cannot be read",
				  off, size, JITDUMP_PREFIX_SIZE, id);
			info->end_offset = off;
			free(scratch.v);
			return TP_ERR_BAD_FORMAT;
		}
		if (size > left) {
			info->truncated = 1;
			info->truncated_at = off;
			note_error(info,
				   "truncated at offset 0x%zx: %s record of %" PRIu32
				   " bytes, %zu left",
				   off, jitdump__record_name(id), size, left);
			break;
		}
		ret = do_record(p + off, off, id, size, le64(p + off + 8), cb, ctx, &scratch, info);
		off += size;
		if (ret)
			break;
	}
	info->end_offset = off;
	free(scratch.v);
	return ret;
}

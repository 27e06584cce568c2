/* On-disk layout of a tierprof capture (tierprof.data). Documented for users in
 * docs/capture-format.md; keep the two in step. All integers are little endian
 * (the host order of every platform tierprof runs on; the header's byte-order
 * mark lets a reader refuse a foreign file instead of misreading it).
 *
 *   file   := header record*
 *   record := tp_rec_hdr payload padding-to-8
 *
 * Record type numbers are ABI: never reuse or renumber, only append. Readers
 * skip types they do not know by the size field. */
#ifndef TP_CAPTURE_FORMAT_H
#define TP_CAPTURE_FORMAT_H

#include <stdint.h>

#define TP_CAPTURE_MAGIC "TIERPROF"
#define TP_CAPTURE_VERSION 1
#define TP_CAPTURE_BOM 0x01020304u

struct tp_file_hdr {
	char magic[8];	      /* "TIERPROF" */
	uint32_t version;     /* TP_CAPTURE_VERSION; readers refuse a larger major */
	uint32_t hdr_size;    /* sizeof(struct tp_file_hdr) as written; records start here */
	uint32_t bom;	      /* TP_CAPTURE_BOM in the writer's byte order */
	uint32_t flags;	      /* none defined yet; must be 0 */
	uint64_t reserved[5]; /* zero */
};

struct tp_rec_hdr {
	uint32_t type;	/* enum tp_rec_type */
	uint32_t flags; /* none defined yet */
	uint64_t size;	/* whole record including this header; multiple of 8 */
};

enum tp_rec_type {
	TP_REC_META = 1,      /* text: "key=value\n" lines (recording metadata) */
	TP_REC_ATTR = 2,      /* struct perf_event_attr as passed to the kernel (attr.size bytes) */
	TP_REC_PERF = 3,      /* struct tp_rec_perf + raw kernel perf records from one ring */
	TP_REC_PROC_MAPS = 4, /* struct tp_rec_proc_maps + /proc/PID/maps text */
	TP_REC_TASK = 5,      /* struct tp_rec_task: a thread that existed at attach time */
	TP_REC_SIDE_FILE = 6, /* struct tp_rec_side_file + name + kind + data */
	TP_REC_FINISH = 7,    /* struct tp_rec_finish: written last; absent = not finalized */
};

struct tp_rec_perf {
	uint32_t ring; /* index of the ring buffer (one per CPU) */
	uint32_t pad;
	/* followed by whole perf records, each starting with struct perf_event_header */
};

struct tp_rec_proc_maps {
	uint32_t pid;
	uint32_t pad;
	uint64_t time_ns; /* CLOCK_MONOTONIC when read */
			  /* followed by the text of /proc/PID/maps (no NUL) */
};

struct tp_rec_task {
	uint32_t pid;
	uint32_t tid;
	uint64_t time_ns;
	char comm[16]; /* NUL-padded */
};

enum tp_side_compression {
	TP_SIDE_RAW = 0,
	TP_SIDE_ZLIB = 1,
};

struct tp_rec_side_file {
	uint32_t pid;	      /* process the file belongs to; 0 = system-wide */
	uint32_t compression; /* enum tp_side_compression */
	uint64_t time_ns;     /* CLOCK_MONOTONIC when collected */
	uint64_t raw_size;    /* size after decompression */
	uint64_t data_size;   /* bytes of data stored below */
	uint32_t name_len;    /* bytes of name (no NUL), e.g. "/tmp/perf-123.map" */
	uint32_t kind_len;    /* bytes of kind (no NUL), e.g. "kallsyms", "perfmap", "jitdump" */
			      /* followed by name, kind, data */
};

enum tp_stop_reason {
	TP_STOP_COMMAND_EXITED = 1,
	TP_STOP_SIGNAL = 2,
	TP_STOP_DURATION = 3,
	TP_STOP_TARGETS_GONE = 4,
	TP_STOP_ERROR = 5,
};

struct tp_rec_finish {
	uint64_t end_time_ns; /* CLOCK_MONOTONIC */
	uint64_t samples;     /* PERF_RECORD_SAMPLE records written */
	uint64_t lost;	      /* samples the kernel reported lost (PERF_RECORD_LOST) */
	uint64_t lost_records;
	uint64_t throttle;    /* PERF_RECORD_THROTTLE records */
	uint64_t unthrottle;  /* PERF_RECORD_UNTHROTTLE records */
	uint32_t stop_reason; /* enum tp_stop_reason */
	int32_t exit_status;  /* the command's exit code (128+N for signal N), -1 if none */
	uint64_t reserved[4];
};

#endif

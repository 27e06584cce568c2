/* Capture writer: appends records to a capture file through one large buffer.
 * No allocation after __open, so the sampler's drain loop can call it freely.
 * async-signal-safe: no. */
#ifndef TP_CAPTURE_WRITER_H
#define TP_CAPTURE_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct capture_writer;

/* Create (truncate) path and write the file header. Returns 0 or -errno. */
int capture_writer__open(const char *path, struct capture_writer **out);
/* Append one record whose payload is the concatenation of parts; padding is
 * added. Returns 0 or -errno (the first write error is sticky). */
int capture_writer__append(struct capture_writer *w, uint32_t type, const struct iovec *parts,
			   int nparts);
/* Convenience: one contiguous payload. */
int capture_writer__append1(struct capture_writer *w, uint32_t type, const void *data, size_t len);
/* Append a side file, zlib-compressed when that makes it smaller. */
int capture_writer__side_file(struct capture_writer *w, uint32_t pid, uint64_t time_ns,
			      const char *name, const char *kind, const void *data, size_t len);
int capture_writer__flush(struct capture_writer *w);
/* Bytes written so far, buffered included. */
uint64_t capture_writer__size(const struct capture_writer *w);
/* Flush, fsync-free close and free. Returns the first error seen, or 0. NULL-safe. */
int capture_writer__close(struct capture_writer *w);

#endif

/* Capture reader: walks the records of a capture held in memory (a mapped
 * file, or a buffer for the fuzzer). It never trusts a size: a record that
 * runs past the end stops the walk as truncated, one with an impossible size
 * stops it as corrupt, and the offset of the damage is kept for the message.
 * Pointers handed out point into the mapping and live until __close. */
#ifndef TP_CAPTURE_READER_H
#define TP_CAPTURE_READER_H

#include <stddef.h>
#include <stdint.h>

struct capture_reader;

struct capture_rec {
	uint32_t type;
	uint64_t offset;  /* of the record header in the file */
	const void *data; /* payload */
	uint64_t len;	  /* payload bytes (padding included) */
};

/* Map and validate the file header. Returns 0, -errno, or TP_ERR_BAD_MAGIC /
 * TP_ERR_BAD_VERSION / TP_ERR_TRUNCATED / TP_ERR_BAD_FORMAT. */
int capture_reader__open(const char *path, struct capture_reader **out);
/* Same over a caller-owned buffer that must outlive the reader. */
int capture_reader__open_mem(const void *data, size_t len, struct capture_reader **out);
/* Next record: 1 = got one, 0 = clean end, <0 = damage (TP_ERR_TRUNCATED or
 * TP_ERR_BAD_FORMAT); __damage_offset tells where. */
int capture_reader__next(struct capture_reader *r, struct capture_rec *rec);
/* Restart the walk from the first record. */
void capture_reader__rewind(struct capture_reader *r);
uint64_t capture_reader__damage_offset(const struct capture_reader *r);
uint64_t capture_reader__file_size(const struct capture_reader *r);
uint32_t capture_reader__version(const struct capture_reader *r);
void capture_reader__close(struct capture_reader *r);

/* A decoded side-file record. data is owned by the caller (free). */
struct capture_side_file {
	uint32_t pid;
	uint64_t time_ns;
	char *name;
	char *kind;
	unsigned char *data;
	size_t len;
};
/* Decode (and decompress) a TP_REC_SIDE_FILE payload. Returns 0 or a negative
 * error (TP_ERR_BAD_FORMAT, TP_ERR_TOO_BIG). */
int capture_side_file__decode(const struct capture_rec *rec, struct capture_side_file *out);
void capture_side_file__free(struct capture_side_file *sf);

#endif

#include "reader.h"
#include "format.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/mem.h"

#include <string.h>
#include <zlib.h>

/* Decompressed side files beyond this are refused rather than trusted. */
#define SIDE_FILE_MAX (1ull << 32)
/* deflate cannot expand one input byte to more than 1032 output bytes (a
 * 258-byte match in 2 bits), so a raw_size above this is a lie, found out
 * before a buffer of that size is allocated. */
#define ZLIB_MAX_RATIO 1032
/* No writer makes a record this large (a ring drain or a side file of at
 * most SIDE_FILE_MAX); a size above it is corruption, not truncation. */
#define REC_SIZE_MAX (1ull << 40)

struct capture_reader {
	const unsigned char *data;
	size_t len;
	int mapped;
	uint32_t version;
	uint64_t first, pos, damage;
	int damage_err; /* what __next returns again once damage is found */
};

static int reader__init(struct capture_reader *r)
{
	struct tp_file_hdr hdr;

	if (r->len < sizeof(hdr))
		return r->len >= 8 && !memcmp(r->data, TP_CAPTURE_MAGIC, 8) ? TP_ERR_TRUNCATED
									    : TP_ERR_BAD_MAGIC;
	memcpy(&hdr, r->data, sizeof(hdr));
	if (memcmp(hdr.magic, TP_CAPTURE_MAGIC, 8))
		return TP_ERR_BAD_MAGIC;
	if (hdr.bom != TP_CAPTURE_BOM)
		return TP_ERR_BAD_FORMAT;
	if (hdr.version == 0 || hdr.version > TP_CAPTURE_VERSION)
		return TP_ERR_BAD_VERSION;
	if (hdr.hdr_size < sizeof(hdr) || hdr.hdr_size > r->len || hdr.hdr_size % 8)
		return TP_ERR_BAD_FORMAT;
	r->version = hdr.version;
	r->first = r->pos = hdr.hdr_size;
	return 0;
}

int capture_reader__open_mem(const void *data, size_t len, struct capture_reader **out)
{
	struct capture_reader *r = tp_xcalloc(1, sizeof(*r));
	int err;

	r->data = data;
	r->len = len;
	err = reader__init(r);
	if (err) {
		free(r);
		return err;
	}
	*out = r;
	return 0;
}

int capture_reader__open(const char *path, struct capture_reader **out)
{
	const void *data;
	size_t len;
	int err = tp_map_file(path, &data, &len);

	if (err)
		return err;
	err = capture_reader__open_mem(data, len, out);
	if (err) {
		tp_unmap_file(data, len);
		return err;
	}
	(*out)->mapped = 1;
	return 0;
}

static int reader__damage(struct capture_reader *r, int err)
{
	r->damage = r->pos;
	r->damage_err = err;
	return err;
}

int capture_reader__next(struct capture_reader *r, struct capture_rec *rec)
{
	struct tp_rec_hdr hdr;
	uint64_t left = r->len - r->pos;

	if (r->damage_err)
		return r->damage_err;
	if (left == 0)
		return 0;
	if (left < sizeof(hdr))
		return reader__damage(r, TP_ERR_TRUNCATED);
	memcpy(&hdr, r->data + r->pos, sizeof(hdr));
	if (hdr.size < sizeof(hdr) || hdr.size % 8 || hdr.size > REC_SIZE_MAX)
		return reader__damage(r, TP_ERR_BAD_FORMAT);
	if (hdr.size > left)
		return reader__damage(r, TP_ERR_TRUNCATED);
	rec->type = hdr.type;
	rec->offset = r->pos;
	rec->data = r->data + r->pos + sizeof(hdr);
	rec->len = hdr.size - sizeof(hdr);
	r->pos += hdr.size;
	return 1;
}

void capture_reader__rewind(struct capture_reader *r)
{
	r->pos = r->first;
	r->damage = 0;
	r->damage_err = 0;
}

uint64_t capture_reader__damage_offset(const struct capture_reader *r)
{
	return r->damage;
}

uint64_t capture_reader__file_size(const struct capture_reader *r)
{
	return r->len;
}

uint32_t capture_reader__version(const struct capture_reader *r)
{
	return r->version;
}

void capture_reader__close(struct capture_reader *r)
{
	if (!r)
		return;
	if (r->mapped)
		tp_unmap_file(r->data, r->len);
	free(r);
}

int capture_side_file__decode(const struct capture_rec *rec, struct capture_side_file *out)
{
	struct tp_rec_side_file sf;
	const unsigned char *p = rec->data;
	uint64_t need;

	memset(out, 0, sizeof(*out));
	if (rec->len < sizeof(sf))
		return TP_ERR_BAD_FORMAT;
	memcpy(&sf, p, sizeof(sf));
	need = (uint64_t)sizeof(sf) + sf.name_len + sf.kind_len;
	if (need > rec->len || sf.data_size > rec->len - need)
		return TP_ERR_BAD_FORMAT;
	if (sf.raw_size > SIDE_FILE_MAX)
		return TP_ERR_TOO_BIG;
	/* Check what can be checked before allocating raw_size bytes. */
	switch (sf.compression) {
	case TP_SIDE_RAW:
		if (sf.data_size != sf.raw_size)
			return TP_ERR_BAD_FORMAT;
		break;
	case TP_SIDE_ZLIB:
		if (sf.raw_size / ZLIB_MAX_RATIO > sf.data_size)
			return TP_ERR_BAD_FORMAT;
		break;
	default:
		return TP_ERR_BAD_FORMAT;
	}
	p += sizeof(sf);
	out->pid = sf.pid;
	out->time_ns = sf.time_ns;
	out->name = tp_xstrndup((const char *)p, sf.name_len);
	out->kind = tp_xstrndup((const char *)p + sf.name_len, sf.kind_len);
	p += sf.name_len + sf.kind_len;
	out->len = (size_t)sf.raw_size;
	out->data = tp_xmalloc(out->len + 1);
	if (sf.compression == TP_SIDE_RAW) {
		memcpy(out->data, p, out->len);
	} else {
		uLongf dlen = out->len;

		if (uncompress(out->data, &dlen, p, sf.data_size) != Z_OK || dlen != out->len)
			goto bad;
	}
	out->data[out->len] = '\0';
	return 0;
bad:
	capture_side_file__free(out);
	return TP_ERR_BAD_FORMAT;
}

void capture_side_file__free(struct capture_side_file *sf)
{
	zfree(&sf->name);
	zfree(&sf->kind);
	zfree(&sf->data);
	sf->len = 0;
}

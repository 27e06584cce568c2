#include "writer.h"
#include "format.h"
#include "../util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define WRITER_BUF_SIZE (4u << 20)

struct capture_writer {
	int fd;
	int err;
	size_t used;
	uint64_t written;
	unsigned char buf[];
};

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int capture_writer__flush(struct capture_writer *w)
{
	if (!w->err && w->used)
		w->err = write_all(w->fd, w->buf, w->used);
	w->used = 0;
	return w->err;
}

static void put(struct capture_writer *w, const void *data, size_t len)
{
	const unsigned char *p = data;

	w->written += len;
	while (len) {
		size_t room = WRITER_BUF_SIZE - w->used, n = len < room ? len : room;

		memcpy(w->buf + w->used, p, n);
		w->used += n;
		p += n;
		len -= n;
		if (w->used == WRITER_BUF_SIZE)
			capture_writer__flush(w);
	}
}

int capture_writer__open(const char *path, struct capture_writer **out)
{
	struct tp_file_hdr hdr = { .version = TP_CAPTURE_VERSION,
				   .hdr_size = sizeof(struct tp_file_hdr),
				   .bom = TP_CAPTURE_BOM };
	struct capture_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	w = tp_xmalloc(sizeof(*w) + WRITER_BUF_SIZE);
	w->fd = fd;
	w->err = 0;
	w->used = 0;
	w->written = 0;
	memcpy(hdr.magic, TP_CAPTURE_MAGIC, sizeof(hdr.magic));
	put(w, &hdr, sizeof(hdr));
	*out = w;
	return 0;
}

int capture_writer__append(struct capture_writer *w, uint32_t type, const struct iovec *parts,
			   int nparts)
{
	static const unsigned char zeros[8];
	struct tp_rec_hdr hdr = { .type = type };
	uint64_t len = 0;

	for (int i = 0; i < nparts; i++)
		len += parts[i].iov_len;
	hdr.size = sizeof(hdr) + ((len + 7) & ~(uint64_t)7);
	put(w, &hdr, sizeof(hdr));
	for (int i = 0; i < nparts; i++)
		put(w, parts[i].iov_base, parts[i].iov_len);
	put(w, zeros, (size_t)(hdr.size - sizeof(hdr) - len));
	return w->err;
}

int capture_writer__append1(struct capture_writer *w, uint32_t type, const void *data, size_t len)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };

	return capture_writer__append(w, type, &iov, 1);
}

int capture_writer__side_file(struct capture_writer *w, uint32_t pid, uint64_t time_ns,
			      const char *name, const char *kind, const void *data, size_t len)
{
	struct tp_rec_side_file sf = { .pid = pid, .time_ns = time_ns, .raw_size = len };
	uLongf zlen = compressBound(len);
	unsigned char *z = tp_xmalloc(zlen);
	struct iovec iov[4];
	int err;

	sf.name_len = (uint32_t)strlen(name);
	sf.kind_len = (uint32_t)strlen(kind);
	iov[0] = (struct iovec){ &sf, sizeof(sf) };
	iov[1] = (struct iovec){ (void *)name, sf.name_len };
	iov[2] = (struct iovec){ (void *)kind, sf.kind_len };
	if (compress2(z, &zlen, data, len, Z_BEST_SPEED) == Z_OK && zlen < len) {
		sf.compression = TP_SIDE_ZLIB;
		sf.data_size = zlen;
		iov[3] = (struct iovec){ z, zlen };
	} else {
		sf.compression = TP_SIDE_RAW;
		sf.data_size = len;
		iov[3] = (struct iovec){ (void *)data, len };
	}
	err = capture_writer__append(w, TP_REC_SIDE_FILE, iov, 4);
	free(z);
	return err;
}

uint64_t capture_writer__size(const struct capture_writer *w)
{
	return w->written;
}

int capture_writer__close(struct capture_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = capture_writer__flush(w);
	if (close(w->fd) < 0 && !err)
		err = -errno;
	free(w);
	return err;
}

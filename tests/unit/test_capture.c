/* Capture writer and reader: round trips, forward compatibility (unknown
 * records, larger headers), and damage of every kind the reader must report
 * without crashing: truncation anywhere, lying sizes, foreign headers,
 * corrupt side files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/format.h"
#include "capture/perf_rec.h"
#include "capture/reader.h"
#include "capture/writer.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define HDR_SIZE sizeof(struct tp_file_hdr)
#define UNKNOWN_TYPE 0x7fff0001u

struct fixture {
	char path[64];
	char *buf; /* the whole file */
	size_t len;
	/* what was written, record by record */
	struct expect {
		uint32_t type;
		uint64_t offset;
		uint64_t len; /* payload without padding */
	} recs[16];
	size_t nrecs;
};

static const char meta_text[] = "tierprof_version=0.1.0\nclock=monotonic\nfrequency_hz=99\n";
static const char maps_text[] = "00400000-00401000 r-xp 00000000 08:01 42 /bin/true\n";
static const char side_raw[] = "abc"; /* too small to compress: stored raw */

static char *big_text(size_t *len)
{
	char *t = malloc(64 * 1024);
	size_t n = 0;

	for (int i = 0; n + 64 < 64 * 1024; i++)
		n += (size_t)sprintf(t + n, "ffffffff%08x T symbol_number_%d\n", i * 16, i);
	*len = n;
	return t;
}

static void sample_record(uint64_t *words, size_t *len)
{
	/* PERF_RECORD_SAMPLE for IP TID TIME CPU PERIOD CALLCHAIN, nr = 2 */
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .size = 8 + 7 * 8 };

	memcpy(&words[0], &h, 8);
	words[1] = 0x401000;
	words[2] = 42ull | 43ull << 32;
	words[3] = 1000;
	words[4] = 2;
	words[5] = 10101;
	words[6] = 1;
	words[7] = 0x401000;
	*len = h.size;
}

static void fixture__note(struct fixture *f, uint32_t type, uint64_t before, uint64_t len)
{
	f->recs[f->nrecs++] = (struct expect){ type, before, len };
}

/* Writes META, ATTR, PERF, PROC_MAPS, TASK, an unknown type, an empty
 * record, a raw and a zlib side file, FINISH. */
static int setup_capture(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct capture_writer *w;
	struct perf_event_attr attr = { .size = sizeof(attr),
					.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
						       PERF_SAMPLE_TIME | PERF_SAMPLE_CPU |
						       PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN,
					.sample_id_all = 1 };
	struct tp_rec_perf rp = { .ring = 1 };
	struct tp_rec_proc_maps pm = { .pid = 42, .time_ns = 5 };
	struct tp_rec_task task = { .pid = 42, .tid = 43, .time_ns = 6, .comm = "worker" };
	struct tp_rec_finish fin = { .end_time_ns = 99, .samples = 1, .stop_reason = 1 };
	uint64_t words[8];
	size_t slen, blen;
	char *big = big_text(&blen);
	uint64_t at;
	int fd;

	strcpy(f->path, "/tmp/tp_test_capture_XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	sample_record(words, &slen);
	assert_int_equal(capture_writer__open(f->path, &w), 0);
	assert_int_equal(capture_writer__size(w), HDR_SIZE);

#define APPEND(type, len, call)                  \
	do {                                     \
		at = capture_writer__size(w);    \
		assert_int_equal(call, 0);       \
		fixture__note(f, type, at, len); \
	} while (0)
	APPEND(TP_REC_META, strlen(meta_text),
	       capture_writer__append1(w, TP_REC_META, meta_text, strlen(meta_text)));
	APPEND(TP_REC_ATTR, sizeof(attr),
	       capture_writer__append1(w, TP_REC_ATTR, &attr, sizeof(attr)));
	{
		struct iovec iov[2] = { { &rp, sizeof(rp) }, { words, slen } };

		APPEND(TP_REC_PERF, sizeof(rp) + slen,
		       capture_writer__append(w, TP_REC_PERF, iov, 2));
	}
	{
		struct iovec iov[2] = { { &pm, sizeof(pm) },
					{ (void *)maps_text, strlen(maps_text) } };

		APPEND(TP_REC_PROC_MAPS, sizeof(pm) + strlen(maps_text),
		       capture_writer__append(w, TP_REC_PROC_MAPS, iov, 2));
	}
	APPEND(TP_REC_TASK, sizeof(task),
	       capture_writer__append1(w, TP_REC_TASK, &task, sizeof(task)));
	APPEND(UNKNOWN_TYPE, 13, capture_writer__append1(w, UNKNOWN_TYPE, "future record", 13));
	APPEND(TP_REC_META, 0, capture_writer__append(w, TP_REC_META, NULL, 0));
	APPEND(TP_REC_SIDE_FILE, 0,
	       capture_writer__side_file(w, 42, 7, "/tmp/perf-42.map", "perfmap", side_raw, 3));
	APPEND(TP_REC_SIDE_FILE, 0,
	       capture_writer__side_file(w, 0, 8, "/proc/kallsyms", "kallsyms", big, blen));
	APPEND(TP_REC_FINISH, sizeof(fin),
	       capture_writer__append1(w, TP_REC_FINISH, &fin, sizeof(fin)));
#undef APPEND
	at = capture_writer__size(w);
	assert_int_equal(capture_writer__close(w), 0);
	assert_int_equal(tp_read_file(f->path, &f->buf, &f->len), 0);
	assert_int_equal(f->len, at);
	free(big);
	*state = f;
	return 0;
}

static int teardown_capture(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	free(f->buf);
	free(f);
	return 0;
}

/* The whole file as the writer laid it out. */
static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct capture_reader *r;
	struct capture_rec rec;
	size_t i = 0;
	int ret;

	assert_int_equal(capture_reader__open(f->path, &r), 0);
	assert_int_equal(capture_reader__version(r), TP_CAPTURE_VERSION);
	assert_int_equal(capture_reader__file_size(r), f->len);
	while ((ret = capture_reader__next(r, &rec)) == 1) {
		const struct expect *e = &f->recs[i++];

		assert_true(i <= f->nrecs);
		assert_int_equal(rec.type, e->type);
		assert_int_equal(rec.offset, e->offset);
		assert_int_equal(rec.offset % 8, 0);
		assert_int_equal(rec.len % 8, 0);
		if (e->type != TP_REC_SIDE_FILE) {
			assert_int_equal(rec.len, (e->len + 7) & ~7ull);
			/* padding is zero */
			for (uint64_t j = e->len; j < rec.len; j++)
				assert_int_equal(((const unsigned char *)rec.data)[j], 0);
		}
		switch (rec.type) {
		case TP_REC_META:
			if (rec.len)
				assert_memory_equal(rec.data, meta_text, strlen(meta_text));
			break;
		case TP_REC_ATTR: {
			struct perf_layout l;

			assert_int_equal(perf_layout__init(&l, rec.data, rec.len), 0);
			assert_true(l.sample_id_all);
			break;
		}
		case TP_REC_PERF: {
			const struct tp_rec_perf *rp = rec.data;
			const struct perf_event_header *h = (const void *)(rp + 1);
			struct perf_layout l = { .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
								PERF_SAMPLE_TIME | PERF_SAMPLE_CPU |
								PERF_SAMPLE_PERIOD |
								PERF_SAMPLE_CALLCHAIN };
			struct perf_sample s;

			assert_int_equal(rp->ring, 1);
			assert_int_equal(perf_sample__parse(&l, h, &s), 0);
			assert_int_equal(s.pid, 42);
			assert_int_equal(s.tid, 43);
			assert_int_equal(s.nr, 1);
			break;
		}
		case TP_REC_PROC_MAPS: {
			const struct tp_rec_proc_maps *pm = rec.data;

			assert_int_equal(pm->pid, 42);
			assert_memory_equal(pm + 1, maps_text, strlen(maps_text));
			break;
		}
		case TP_REC_TASK: {
			const struct tp_rec_task *t = rec.data;

			assert_int_equal(t->tid, 43);
			assert_string_equal(t->comm, "worker");
			break;
		}
		case TP_REC_FINISH: {
			const struct tp_rec_finish *fin = rec.data;

			assert_int_equal(fin->samples, 1);
			assert_int_equal(fin->end_time_ns, 99);
			break;
		}
		}
	}
	assert_int_equal(ret, 0);
	assert_int_equal(i, f->nrecs);
	assert_int_equal(capture_reader__damage_offset(r), 0);
	/* A clean end stays a clean end. */
	assert_int_equal(capture_reader__next(r, &rec), 0);
	/* Rewind walks the same records again. */
	capture_reader__rewind(r);
	assert_int_equal(capture_reader__next(r, &rec), 1);
	assert_int_equal(rec.type, TP_REC_META);
	assert_int_equal(rec.offset, HDR_SIZE);
	capture_reader__close(r);
}

static const struct capture_rec *find_side(struct capture_reader *r, const char *kind,
					   struct capture_rec *rec)
{
	capture_reader__rewind(r);
	while (capture_reader__next(r, rec) == 1) {
		const struct tp_rec_side_file *sf = rec->data;

		if (rec->type == TP_REC_SIDE_FILE && sf->kind_len == strlen(kind) &&
		    !memcmp((const char *)(sf + 1) + sf->name_len, kind, sf->kind_len))
			return rec;
	}
	fail_msg("no side file of kind %s", kind);
	return NULL;
}

static void test_side_files(void **state)
{
	struct fixture *f = *state;
	struct capture_reader *r;
	struct capture_rec rec;
	struct capture_side_file sf;
	const struct tp_rec_side_file *hdr;
	size_t blen;
	char *big = big_text(&blen);

	assert_int_equal(capture_reader__open_mem(f->buf, f->len, &r), 0);

	find_side(r, "perfmap", &rec);
	hdr = rec.data;
	assert_int_equal(hdr->compression, TP_SIDE_RAW);
	assert_int_equal(capture_side_file__decode(&rec, &sf), 0);
	assert_int_equal(sf.pid, 42);
	assert_int_equal(sf.time_ns, 7);
	assert_string_equal(sf.name, "/tmp/perf-42.map");
	assert_string_equal(sf.kind, "perfmap");
	assert_int_equal(sf.len, 3);
	assert_memory_equal(sf.data, side_raw, 3);
	assert_int_equal(sf.data[3], '\0'); /* text side files can be used as strings */
	capture_side_file__free(&sf);
	assert_null(sf.data);
	capture_side_file__free(&sf); /* twice is fine */

	find_side(r, "kallsyms", &rec);
	hdr = rec.data;
	assert_int_equal(hdr->compression, TP_SIDE_ZLIB);
	assert_true(hdr->data_size < hdr->raw_size);
	assert_int_equal(hdr->raw_size, blen);
	assert_int_equal(capture_side_file__decode(&rec, &sf), 0);
	assert_string_equal(sf.name, "/proc/kallsyms");
	assert_int_equal(sf.len, blen);
	assert_memory_equal(sf.data, big, blen);
	capture_side_file__free(&sf);

	capture_reader__close(r);
	free(big);
}

/* Records of types this reader does not know are handed out like any other
 * and stepped over by their size; the walk goes on behind them. */
static void test_unknown_skipped(void **state)
{
	struct fixture *f = *state;
	struct capture_reader *r;
	struct capture_rec rec;
	char *copy = malloc(f->len);
	int seen_unknown = 0, after = 0;

	/* Give the TASK record an unknown type and flags as well. */
	memcpy(copy, f->buf, f->len);
	for (size_t i = 0; i < f->nrecs; i++) {
		if (f->recs[i].type == TP_REC_TASK) {
			struct tp_rec_hdr *h = (struct tp_rec_hdr *)(copy + f->recs[i].offset);

			h->type = 0xffffffffu;
			h->flags = 0xffffffffu;
		}
	}
	assert_int_equal(capture_reader__open_mem(copy, f->len, &r), 0);
	while (capture_reader__next(r, &rec) == 1) {
		switch (rec.type) {
		case TP_REC_META:
		case TP_REC_ATTR:
		case TP_REC_PERF:
		case TP_REC_PROC_MAPS:
		case TP_REC_TASK:
		case TP_REC_SIDE_FILE:
		case TP_REC_FINISH:
			after += seen_unknown > 0;
			break;
		default:
			seen_unknown++;
			assert_true(rec.type == UNKNOWN_TYPE || rec.type == 0xffffffffu);
			if (rec.type == UNKNOWN_TYPE) {
				assert_int_equal(rec.len, 16);
				assert_memory_equal(rec.data, "future record", 13);
			}
		}
	}
	assert_int_equal(seen_unknown, 2);
	assert_int_equal(after, 4); /* empty META, two side files, FINISH */
	assert_int_equal(capture_reader__damage_offset(r), 0);
	capture_reader__close(r);
	free(copy);
}

/* Cut the file at every offset: each cut gives a clean prefix of records,
 * then either a clean end (cut on a record boundary) or TP_ERR_TRUNCATED at
 * the record the cut falls in. Each cut gets a buffer of exactly that size,
 * so ASan sees any read past it. */
static void test_truncated_everywhere(void **state)
{
	struct fixture *f = *state;

	for (size_t cut = 0; cut < f->len; cut++) {
		char *buf = malloc(cut ? cut : 1);
		struct capture_reader *r;
		struct capture_rec rec;
		size_t i = 0;
		int ret;

		memcpy(buf, f->buf, cut);
		ret = capture_reader__open_mem(buf, cut, &r);
		if (cut < HDR_SIZE) {
			assert_int_equal(ret, cut >= 8 ? TP_ERR_TRUNCATED : TP_ERR_BAD_MAGIC);
			free(buf);
			continue;
		}
		assert_int_equal(ret, 0);
		while ((ret = capture_reader__next(r, &rec)) == 1) {
			assert_true(i < f->nrecs);
			assert_int_equal(rec.type, f->recs[i].type);
			assert_int_equal(rec.offset, f->recs[i].offset);
			assert_true(rec.offset + 16 + rec.len <= cut);
			assert_memory_equal(rec.data, f->buf + rec.offset + 16, rec.len);
			i++;
		}
		if (i < f->nrecs && f->recs[i].offset == cut) {
			assert_int_equal(ret, 0);
			assert_int_equal(capture_reader__damage_offset(r), 0);
		} else {
			if (ret != TP_ERR_TRUNCATED)
				fail_msg("cut at %zu: got %d after %zu records", cut, ret, i);
			assert_true(i < f->nrecs);
			assert_int_equal(capture_reader__damage_offset(r), f->recs[i].offset);
			/* The damage is sticky and reported the same way again. */
			assert_int_equal(capture_reader__next(r, &rec), TP_ERR_TRUNCATED);
		}
		capture_reader__close(r);
		free(buf);
	}
}

/* A damaged size in the middle of an otherwise whole file. */
static void test_corrupt_sizes(void **state)
{
	static const struct {
		uint64_t size;
		int err;
	} cases[] = {
		{ 0, TP_ERR_BAD_FORMAT },
		{ 8, TP_ERR_BAD_FORMAT }, /* smaller than the header */
		{ 12, TP_ERR_BAD_FORMAT },
		{ 20, TP_ERR_BAD_FORMAT }, /* not a multiple of 8 */
		{ 16 + 57, TP_ERR_BAD_FORMAT },
		{ UINT64_MAX, TP_ERR_BAD_FORMAT },
		{ UINT64_MAX & ~7ull, TP_ERR_BAD_FORMAT }, /* beyond any real record */
		{ 1ull << 41, TP_ERR_BAD_FORMAT },
		{ 1ull << 30, TP_ERR_TRUNCATED }, /* plausible, past the end */
	};
	struct fixture *f = *state;
	char *copy = malloc(f->len);
	uint64_t at = f->recs[2].offset; /* the PERF record */

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct capture_reader *r;
		struct capture_rec rec;
		int ret, n = 0;

		memcpy(copy, f->buf, f->len);
		memcpy(copy + at + 8, &cases[i].size, 8);
		assert_int_equal(capture_reader__open_mem(copy, f->len, &r), 0);
		while ((ret = capture_reader__next(r, &rec)) == 1)
			n++;
		assert_int_equal(n, 2);
		if (ret != cases[i].err)
			fail_msg("size %llu: got %d", (unsigned long long)cases[i].size, ret);
		assert_int_equal(capture_reader__damage_offset(r), at);
		assert_int_equal(capture_reader__next(r, &rec), cases[i].err);
		/* Rewind forgets the damage; the walk stops there again. */
		capture_reader__rewind(r);
		assert_int_equal(capture_reader__next(r, &rec), 1);
		capture_reader__close(r);
	}
	free(copy);
}

static void write_hdr(char *buf, const struct tp_file_hdr *h)
{
	memcpy(buf, h, sizeof(*h));
}

static struct tp_file_hdr good_hdr(void)
{
	struct tp_file_hdr h = { .version = TP_CAPTURE_VERSION,
				 .hdr_size = sizeof(h),
				 .bom = TP_CAPTURE_BOM };

	memcpy(h.magic, TP_CAPTURE_MAGIC, 8);
	return h;
}

static int open_with(const struct tp_file_hdr *h, const char *tail, size_t tail_len,
		     struct capture_reader **r)
{
	static char buf[256];

	memset(buf, 0, sizeof(buf));
	write_hdr(buf, h);
	if (tail_len)
		memcpy(buf + sizeof(*h), tail, tail_len);
	return capture_reader__open_mem(buf, sizeof(*h) + tail_len, r);
}

static void test_bad_headers(void **state)
{
	struct capture_reader *r = NULL;
	struct tp_file_hdr h;
	uint32_t swapped = __builtin_bswap32(TP_CAPTURE_BOM);

	(void)state;
	h = good_hdr();
	assert_int_equal(open_with(&h, NULL, 0, &r), 0);
	capture_reader__close(r);

	h = good_hdr();
	memcpy(h.magic, "PERFILE2", 8); /* a perf.data file */
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_MAGIC);

	h = good_hdr();
	h.version = TP_CAPTURE_VERSION + 1; /* from a newer tierprof */
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_VERSION);
	h.version = 0;
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_VERSION);
	h.version = UINT32_MAX;
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_VERSION);

	/* Written on a big-endian machine: the mark reads byte-swapped. */
	h = good_hdr();
	h.bom = swapped;
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_FORMAT);
	h.bom = 0;
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_FORMAT);

	h = good_hdr();
	h.hdr_size = 40; /* smaller than the header */
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_FORMAT);
	h.hdr_size = sizeof(h) + 4; /* records would be misaligned */
	assert_int_equal(open_with(&h, "\0\0\0\0", 4, &r), TP_ERR_BAD_FORMAT);
	h.hdr_size = sizeof(h) + 8; /* past the end of the file */
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_FORMAT);
	h.hdr_size = UINT32_MAX;
	assert_int_equal(open_with(&h, NULL, 0, &r), TP_ERR_BAD_FORMAT);

	/* Too short for a header: garbage, or a capture cut inside it. */
	assert_int_equal(capture_reader__open_mem("", 0, &r), TP_ERR_BAD_MAGIC);
	assert_int_equal(capture_reader__open_mem("TIER", 4, &r), TP_ERR_BAD_MAGIC);
	assert_int_equal(capture_reader__open_mem("TIERPROF\1\0\0\0", 12, &r), TP_ERR_TRUNCATED);
	assert_int_equal(capture_reader__open_mem("garbage garbage garbage garbage garbage "
						  "garbage garbage",
						  55, &r),
			 TP_ERR_BAD_MAGIC);
}

/* A header grown by a later minor revision: records start at hdr_size. */
static void test_larger_header(void **state)
{
	struct capture_reader *r;
	struct capture_rec rec;
	struct tp_file_hdr h = good_hdr();
	char tail[8 + 16 + 8] = { 0 };
	struct tp_rec_hdr rh = { .type = TP_REC_META, .size = 24 };

	(void)state;
	h.hdr_size = sizeof(h) + 8;
	memset(tail, 0x5a, 8); /* the newer header's extra field */
	memcpy(tail + 8, &rh, sizeof(rh));
	memcpy(tail + 24, "a=b\n\0\0\0\0", 8);
	assert_int_equal(open_with(&h, tail, sizeof(tail), &r), 0);
	assert_int_equal(capture_reader__next(r, &rec), 1);
	assert_int_equal(rec.offset, sizeof(h) + 8);
	assert_int_equal(rec.type, TP_REC_META);
	assert_int_equal(rec.len, 8);
	assert_int_equal(capture_reader__next(r, &rec), 0);
	capture_reader__close(r);
}

static void test_open_errors(void **state)
{
	struct capture_reader *r;
	char path[] = "/tmp/tp_test_empty_XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(capture_reader__open(path, &r), TP_ERR_BAD_MAGIC);
	unlink(path);
	assert_int_equal(capture_reader__open("/nonexistent/tierprof.data", &r), -ENOENT);
	assert_int_equal(capture_reader__open("/tmp", &r), -EINVAL);
	capture_reader__close(NULL);
}

/* A side-file payload built by hand, so every field can lie. */
struct side {
	uint64_t words[128];
	struct capture_rec rec;
};

static void side_build(struct side *s, const char *name, const char *kind, uint32_t compression,
		       uint64_t raw_size, const void *data, size_t data_len)
{
	struct tp_rec_side_file sf = { .pid = 1,
				       .compression = compression,
				       .time_ns = 2,
				       .raw_size = raw_size,
				       .data_size = data_len,
				       .name_len = (uint32_t)strlen(name),
				       .kind_len = (uint32_t)strlen(kind) };
	char *p = (char *)s->words;

	memset(s, 0, sizeof(*s));
	memcpy(p, &sf, sizeof(sf));
	p += sizeof(sf);
	memcpy(p, name, sf.name_len);
	p += sf.name_len;
	memcpy(p, kind, sf.kind_len);
	p += sf.kind_len;
	memcpy(p, data, data_len);
	p += data_len;
	s->rec.type = TP_REC_SIDE_FILE;
	s->rec.data = s->words;
	s->rec.len = (uint64_t)(p - (char *)s->words + 7) & ~7ull;
	assert_true(s->rec.len <= sizeof(s->words));
}

static struct tp_rec_side_file *side_hdr(struct side *s)
{
	return (struct tp_rec_side_file *)s->words;
}

static void expect_side_err(struct side *s, int err)
{
	struct capture_side_file sf;

	assert_int_equal(capture_side_file__decode(&s->rec, &sf), err);
	/* Nothing is left allocated on failure. */
	assert_null(sf.name);
	assert_null(sf.kind);
	assert_null(sf.data);
	capture_side_file__free(&sf);
}

static void test_side_file_corrupt(void **state)
{
	static const char text[] = "hello hello hello hello hello hello hello hello\n";
	unsigned char z[128];
	uLongf zlen = sizeof(z);
	struct capture_side_file sf;
	struct side s;

	(void)state;
	assert_int_equal(compress2(z, &zlen, (const Bytef *)text, sizeof(text) - 1, 9), Z_OK);

	/* The good ones first. */
	side_build(&s, "n", "log", TP_SIDE_ZLIB, sizeof(text) - 1, z, zlen);
	assert_int_equal(capture_side_file__decode(&s.rec, &sf), 0);
	assert_string_equal((char *)sf.data, text);
	capture_side_file__free(&sf);
	side_build(&s, "", "", TP_SIDE_RAW, 0, "", 0);
	assert_int_equal(capture_side_file__decode(&s.rec, &sf), 0);
	assert_string_equal(sf.name, "");
	assert_int_equal(sf.len, 0);
	capture_side_file__free(&sf);

	/* Payload shorter than the fixed part. */
	side_build(&s, "n", "log", TP_SIDE_RAW, 3, "abc", 3);
	s.rec.len = sizeof(struct tp_rec_side_file) - 8;
	expect_side_err(&s, TP_ERR_BAD_FORMAT);

	/* Lengths that run past the payload. */
	side_build(&s, "n", "log", TP_SIDE_RAW, 3, "abc", 3);
	side_hdr(&s)->name_len = 1000;
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_RAW, 3, "abc", 3);
	side_hdr(&s)->name_len = UINT32_MAX;
	side_hdr(&s)->kind_len = UINT32_MAX;
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_RAW, 3, "abc", 3);
	side_hdr(&s)->data_size = 1000;
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_RAW, 3, "abc", 3);
	side_hdr(&s)->data_size = UINT64_MAX;
	expect_side_err(&s, TP_ERR_BAD_FORMAT);

	/* raw_size lies about stored data. */
	side_build(&s, "n", "log", TP_SIDE_RAW, 4, "abc", 3);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_RAW, 2, "abc", 3);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_ZLIB, sizeof(text), z, zlen); /* one more */
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", TP_SIDE_ZLIB, sizeof(text) - 2, z, zlen); /* one less */
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	/* More than deflate could ever expand to: refused before allocating. */
	side_build(&s, "n", "log", TP_SIDE_ZLIB, 1ull << 31, z, zlen);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	/* Beyond the side-file limit. */
	side_build(&s, "n", "log", TP_SIDE_ZLIB, (1ull << 32) + 1, z, zlen);
	expect_side_err(&s, TP_ERR_TOO_BIG);
	side_build(&s, "n", "log", TP_SIDE_RAW, UINT64_MAX, "abc", 3);
	expect_side_err(&s, TP_ERR_TOO_BIG);

	/* Bad zlib streams. */
	side_build(&s, "n", "log", TP_SIDE_ZLIB, 3, "abcdefgh", 8);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	{
		unsigned char bad[128];

		memcpy(bad, z, zlen);
		bad[zlen / 2] ^= 0xff;
		side_build(&s, "n", "log", TP_SIDE_ZLIB, sizeof(text) - 1, bad, zlen);
		expect_side_err(&s, TP_ERR_BAD_FORMAT);
		side_build(&s, "n", "log", TP_SIDE_ZLIB, sizeof(text) - 1, z, zlen - 4);
		expect_side_err(&s, TP_ERR_BAD_FORMAT); /* stream cut */
	}
	side_build(&s, "n", "log", TP_SIDE_ZLIB, 0, "", 0);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);

	/* Unknown compression. */
	side_build(&s, "n", "log", 2, 3, "abc", 3);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
	side_build(&s, "n", "log", UINT32_MAX, 3, "abc", 3);
	expect_side_err(&s, TP_ERR_BAD_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_side_files, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unknown_skipped, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_truncated_everywhere, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_corrupt_sizes, setup_capture,
						teardown_capture),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_larger_header),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_side_file_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

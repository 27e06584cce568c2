/* pprof output read back with the tests' own protobuf reader: string table,
 * sample types, one pprof sample per (stack, thread), values and periods,
 * leaf-first locations, tier labels, function names plain or with the tier,
 * and the gzip wrapper inflated with zlib. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "output/pprof.h"
#include "output/protobuf.h"
#include "output_fixture.h"
#include "pb_decode.h"

#define MAX 64

struct decoded {
	char *strings[MAX];
	size_t nstrings;
	int64_t sample_type[4][2];
	size_t ntypes;
	struct {
		uint64_t locs[16];
		size_t nlocs;
		int64_t vals[2];
		int64_t labels[8][3]; /* key, str, num */
		size_t nlabels;
	} samples[MAX];
	size_t nsamples;
	uint64_t loc_func[MAX + 1]; /* location id -> function id */
	int64_t func_name[MAX + 1]; /* function id -> name string */
	int64_t func_sys[MAX + 1];  /* function id -> system_name string */
	int64_t period;
};

static void packed_or_single(const struct pbd_field *f, uint64_t *out, size_t *n, size_t max)
{
	if (f->wire == 0) {
		assert_true(*n < max);
		out[(*n)++] = f->v;
		return;
	}
	for (struct pbd d = pbd_sub(f); d.p < d.end;) {
		assert_true(*n < max);
		assert_int_equal(pbd_varint(&d, &out[(*n)++]), 0);
	}
}

static void decode(const uint8_t *data, size_t len, struct decoded *o)
{
	struct pbd d = { data, data + len }, s, t;
	struct pbd_field f, g, h;
	int r;

	memset(o, 0, sizeof(*o));
	while ((r = pbd_next(&d, &f)) == 1) {
		switch (f.num) {
		case 1: /* sample_type */
			s = pbd_sub(&f);
			while (pbd_next(&s, &g) == 1)
				o->sample_type[o->ntypes][g.num - 1] = (int64_t)g.v;
			o->ntypes++;
			break;
		case 2: { /* sample */
			uint64_t vals[2];
			size_t nv = 0;

			assert_true(o->nsamples < MAX);
			s = pbd_sub(&f);
			while (pbd_next(&s, &g) == 1) {
				if (g.num == 1)
					packed_or_single(&g, o->samples[o->nsamples].locs,
							 &o->samples[o->nsamples].nlocs, 16);
				else if (g.num == 2)
					packed_or_single(&g, vals, &nv, 2);
				else if (g.num == 3) {
					size_t k = o->samples[o->nsamples].nlabels++;

					t = pbd_sub(&g);
					while (pbd_next(&t, &h) == 1)
						o->samples[o->nsamples].labels[k][h.num - 1] =
							(int64_t)h.v;
				}
			}
			assert_int_equal(nv, 2);
			o->samples[o->nsamples].vals[0] = (int64_t)vals[0];
			o->samples[o->nsamples].vals[1] = (int64_t)vals[1];
			o->nsamples++;
			break;
		}
		case 4: { /* location */
			uint64_t id = 0, fid = 0;

			s = pbd_sub(&f);
			while (pbd_next(&s, &g) == 1) {
				if (g.num == 1)
					id = g.v;
				if (g.num == 4) {
					t = pbd_sub(&g);
					while (pbd_next(&t, &h) == 1)
						if (h.num == 1)
							fid = h.v;
				}
			}
			assert_true(id > 0 && id <= MAX);
			o->loc_func[id] = fid;
			break;
		}
		case 5: { /* function */
			uint64_t id = 0;
			int64_t name = 0, sys = 0;

			s = pbd_sub(&f);
			while (pbd_next(&s, &g) == 1) {
				if (g.num == 1)
					id = g.v;
				else if (g.num == 2)
					name = (int64_t)g.v;
				else if (g.num == 3)
					sys = (int64_t)g.v;
			}
			assert_true(id > 0 && id <= MAX);
			o->func_name[id] = name;
			o->func_sys[id] = sys;
			break;
		}
		case 6:
			assert_true(o->nstrings < MAX);
			o->strings[o->nstrings++] = strndup((const char *)f.data, f.len);
			break;
		case 12:
			o->period = (int64_t)f.v;
			break;
		}
	}
	assert_int_equal(r, 0);
}

static void decoded_free(struct decoded *o)
{
	for (size_t i = 0; i < o->nstrings; i++)
		free(o->strings[i]);
}

static const char *str(const struct decoded *o, int64_t i)
{
	assert_true(i >= 0 && (size_t)i < o->nstrings);
	return o->strings[i];
}

static const char *label(const struct decoded *o, size_t s, const char *key, int64_t *num)
{
	for (size_t i = 0; i < o->samples[s].nlabels; i++) {
		if (!strcmp(str(o, o->samples[s].labels[i][0]), key)) {
			if (num)
				*num = o->samples[s].labels[i][2];
			return str(o, o->samples[s].labels[i][1]);
		}
	}
	return NULL;
}

static const char *leaf_name(const struct decoded *o, size_t s)
{
	return str(o, o->func_name[o->loc_func[o->samples[s].locs[0]]]);
}

/* main;run(TurboFan) x5 and main;run(Ignition) x3 on thread 10, main;run(Ignition)
 * x2 on thread 11, main;[k]sys x1. */
static void build(struct profile *p)
{
	uint32_t fmain, run_opt, run_int, sys;

	profile__init(p, NULL);
	p->info.freq_hz = 1000;
	p->info.start_ns = 1;
	p->info.end_ns = 1 + 20000000;
	fmain = fx_frame(p, "main", TP_TIER_NATIVE, "", 0);
	run_opt = fx_frame(p, "run", TP_TIER_OPTIMIZED, "TurboFan", 0);
	run_int = fx_frame(p, "run", TP_TIER_INTERPRETER, "Ignition", 0);
	sys = fx_frame(p, "sys", TP_TIER_KERNEL, "", 0);
	fx_samples(p, (uint32_t[]){ fmain, run_opt }, 2, 5, 1, 10, "app", 100);
	fx_samples(p, (uint32_t[]){ fmain, run_int }, 2, 3, 1, 10, "app", 200);
	fx_samples(p, (uint32_t[]){ fmain, run_int }, 2, 2, 1, 11, "worker", 300);
	fx_samples(p, (uint32_t[]){ fmain, sys }, 2, 1, 1, 10, "app", 400);
}

static void test_encode(void **state)
{
	struct pprof_opts o = { 0 };
	struct profile p;
	struct pb_buf b;
	struct decoded *d = calloc(1, sizeof(*d));
	int64_t count = 0, ns = 0, num;
	int seen_int10 = 0, seen_int11 = 0;

	(void)state;
	build(&p);
	pb__init(&b);
	pprof__encode(&p, &o, &b);
	decode(b.data, b.len, d);

	assert_string_equal(str(d, 0), "");
	assert_int_equal(d->ntypes, 2);
	assert_string_equal(str(d, d->sample_type[0][0]), "samples");
	assert_string_equal(str(d, d->sample_type[0][1]), "count");
	assert_string_equal(str(d, d->sample_type[1][0]), "cpu");
	assert_string_equal(str(d, d->sample_type[1][1]), "nanoseconds");
	assert_int_equal(d->period, 1000000);
	/* one pprof sample per (stack, pid, tid, thread name) */
	assert_int_equal(d->nsamples, 4);
	for (size_t i = 0; i < d->nsamples; i++) {
		const char *leaf = leaf_name(d, i), *tier = label(d, i, "tier", NULL);

		count += d->samples[i].vals[0];
		ns += d->samples[i].vals[1];
		assert_int_equal(d->samples[i].nlocs, 2);
		/* leaf first, the caller last */
		assert_string_equal(str(d, d->func_name[d->loc_func[d->samples[i].locs[1]]]),
				    "main");
		label(d, i, "tid", &num);
		if (!strcmp(leaf, "sys")) {
			assert_string_equal(tier, "kernel");
			assert_null(label(d, i, "subtier", NULL));
		} else if (!strcmp(tier, "optimized")) {
			assert_string_equal(leaf, "run");
			assert_string_equal(label(d, i, "subtier", NULL), "TurboFan");
			assert_int_equal(d->samples[i].vals[0], 5);
		} else {
			assert_string_equal(tier, "interpreter");
			assert_string_equal(label(d, i, "subtier", NULL), "Ignition");
			if (num == 10) {
				seen_int10 = 1;
				assert_int_equal(d->samples[i].vals[0], 3);
				assert_string_equal(label(d, i, "thread", NULL), "app");
			} else {
				seen_int11 = 1;
				assert_int_equal(num, 11);
				assert_int_equal(d->samples[i].vals[0], 2);
				assert_string_equal(label(d, i, "thread", NULL), "worker");
			}
		}
		label(d, i, "pid", &num);
		assert_int_equal(num, 1);
	}
	assert_true(seen_int10 && seen_int11);
	assert_int_equal(count, 11);
	assert_int_equal(ns, 11 * 1000000);
	/* plain names: both tiers of run are one function */
	for (size_t i = 0; i < d->nsamples; i++) {
		const char *leaf = leaf_name(d, i);

		assert_true(!strcmp(leaf, "run") || !strcmp(leaf, "sys"));
	}

	decoded_free(d);
	memset(d, 0, sizeof(*d));
	pb__exit(&b);
	pb__init(&b);
	o.tier_in_name = 1;
	pprof__encode(&p, &o, &b);
	decode(b.data, b.len, d);
	for (size_t i = 0; i < d->nsamples; i++) {
		const char *leaf = leaf_name(d, i), *tier = label(d, i, "tier", NULL);
		uint64_t fid = d->loc_func[d->samples[i].locs[0]];

		if (!strcmp(tier, "optimized"))
			assert_string_equal(leaf, "run [TurboFan]");
		else if (!strcmp(tier, "interpreter"))
			assert_string_equal(leaf, "run [Ignition]");
		else
			assert_string_equal(leaf, "sys"); /* kernel frames carry no tier word */
		/* system_name keeps the plain name */
		assert_string_equal(str(d, d->func_sys[fid]),
				    !strcmp(tier, "kernel") ? "sys" : "run");
	}
	decoded_free(d);
	free(d);
	pb__exit(&b);
	profile__exit(&p);
}

/* output_pprof gzips exactly what pprof__encode produces. */
static void test_gzip(void **state)
{
	struct pprof_opts o = { 0 };
	struct profile p;
	struct pb_buf b;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	z_stream z;
	uint8_t out[1 << 16];

	(void)state;
	build(&p);
	assert_int_equal(output_pprof(f, &p, &o), 0);
	fclose(f);
	assert_true(len > 18);
	assert_int_equal((uint8_t)buf[0], 0x1f); /* gzip magic */
	assert_int_equal((uint8_t)buf[1], 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)buf;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = sizeof(out);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	pb__init(&b);
	pprof__encode(&p, &o, &b);
	assert_int_equal(z.total_out, b.len);
	assert_memory_equal(out, b.data, b.len);
	inflateEnd(&z);
	pb__exit(&b);
	free(buf);
	profile__exit(&p);
}

/* Names that are not UTF-8 reach the string table repaired. */
static void test_utf8_names(void **state)
{
	struct pprof_opts o = { 0 };
	struct profile p;
	struct pb_buf b;
	struct decoded *d = calloc(1, sizeof(*d));
	uint32_t fr;
	int found = 0;

	(void)state;
	profile__init(&p, NULL);
	fr = fx_frame(&p, "bad\xff", TP_TIER_NATIVE, "", 0);
	fx_samples(&p, &fr, 1, 1, 1, 1, "x", 0);
	pb__init(&b);
	pprof__encode(&p, &o, &b);
	decode(b.data, b.len, d);
	for (size_t i = 0; i < d->nstrings; i++)
		found |= !strcmp(d->strings[i], "bad\xef\xbf\xbd");
	assert_true(found);
	decoded_free(d);
	free(d);
	pb__exit(&b);
	profile__exit(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_utf8_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Descriptor rules (plugin_descriptor__validate): every refusal the ABI
 * promises, what is tolerated (newer minors, unknown caps), and that a short
 * descriptor is never read past its size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plugin/host.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static int d_init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	(void)api, (void)host, (void)state, (void)err, (void)errlen;
	return 0;
}

static int d_detect(void *state, const struct tp_process *proc)
{
	(void)state, (void)proc;
	return 0;
}

static int d_launch(void *state, const struct tp_launch *l)
{
	(void)state, (void)l;
	return 0;
}

static int d_collect(void *state, const struct tp_process *proc)
{
	(void)state, (void)proc;
	return 0;
}

static int d_classify(void *state, const struct tp_frame_info *f, struct tp_classification *c)
{
	(void)state, (void)f, (void)c;
	return 0;
}

static int d_ingest(void *state, const struct tp_side_file *f)
{
	(void)state, (void)f;
	return 0;
}

static struct tp_plugin base(void)
{
	return (struct tp_plugin){
		.size = sizeof(struct tp_plugin),
		.abi_major = TP_PLUGIN_ABI_MAJOR,
		.abi_minor = TP_PLUGIN_ABI_MINOR,
		.name = "v8",
		.version = "1.0",
		.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
			TP_CAP_INGEST,
		.init = d_init,
		.detect = d_detect,
		.prepare_launch = d_launch,
		.collect = d_collect,
		.classify = d_classify,
		.ingest = d_ingest,
	};
}

/* Expect ret and, when want is set, a reason containing it. */
static void check(const struct tp_plugin *p, int ret, const char *want)
{
	char why[256];
	int got = plugin_descriptor__validate(p, why, sizeof(why));

	if (got != ret || (want && !strstr(why, want)))
		fail_msg("got %d '%s', want %d '%s'", got, why, ret, want ? want : "");
	if (!ret)
		assert_string_equal(why, "");
}

static void test_good(void **state)
{
	struct tp_plugin p = base();

	(void)state;
	check(&p, 0, NULL);
	p.size = TP_PLUGIN_SIZE_1_0; /* exactly the 1.0 struct */
	check(&p, 0, NULL);
	p.abi_minor = 0; /* plugins built against 1.0 and 1.1 keep loading */
	check(&p, 0, NULL);
	p.abi_minor = 1;
	check(&p, 0, NULL);
	p = base();
	p.abi_minor = TP_PLUGIN_ABI_MINOR + 7; /* a newer minor: fields we ignore */
	check(&p, 0, NULL);
	p.caps |= 1ull << 63 | 1ull << 20; /* unknown bits are ignored */
	check(&p, 0, NULL);
	p = base();
	p.caps = 0; /* callbacks without their bit: unused, fine */
	check(&p, 0, NULL);
	p.version = NULL;
	p.name = "my-vm_2";
	check(&p, 0, NULL);
	p.name = "abcdefghijklmnopqrstuvwxyz01234"; /* 31 */
	check(&p, 0, NULL);
}

static void test_size_and_version(void **state)
{
	struct tp_plugin p = base();

	(void)state;
	check(NULL, TP_ERR_BAD_FORMAT, "returned NULL");
	p.size = 4;
	check(&p, TP_ERR_BAD_FORMAT, "size 4 is too small");
	p = base();
	p.abi_major = 2;
	p.abi_minor = 5;
	check(&p, TP_ERR_BAD_VERSION, "built for plugin ABI 2.5; this tierprof speaks ABI 1.3");
	p.abi_major = 0;
	check(&p, TP_ERR_BAD_VERSION, "ABI 0.5");
	p = base();
	p.size = TP_PLUGIN_SIZE_1_0 - 1;
	check(&p, TP_ERR_BAD_FORMAT, "smaller than ABI 1.0");
	p.size = offsetof(struct tp_plugin, name);
	check(&p, TP_ERR_BAD_FORMAT, "smaller than ABI 1.0");
	p.size = 70000;
	check(&p, TP_ERR_BAD_FORMAT, "implausible");
}

static void test_names(void **state)
{
	static const struct {
		const char *name, *why;
	} bad[] = {
		{ NULL, "name is NULL" },
		{ "", "empty name" },
		{ "abcdefghijklmnopqrstuvwxyz012345", "longer than 31" },
		{ "V8", "outside [a-z0-9_-] at 0" },
		{ "my vm", "outside [a-z0-9_-] at 2" },
		{ "v8/x", "outside" },
		{ "caf\xc3\xa9", "outside" },
		{ "a\nb", "outside" },
	};
	struct tp_plugin p = base();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p.name = bad[i].name;
		check(&p, TP_ERR_BAD_FORMAT, bad[i].why);
	}
}

static void test_callbacks(void **state)
{
	struct tp_plugin p = base();

	(void)state;
	p.init = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "no init");
	p = base();
	p.detect = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "announces capability detect but detect is NULL");
	p = base();
	p.prepare_launch = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "prepare_launch is NULL");
	p = base();
	p.collect = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "collect is NULL");
	p = base();
	p.classify = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "classify is NULL");
	p = base();
	p.ingest = NULL;
	check(&p, TP_ERR_BAD_FORMAT, "ingest is NULL");
	/* prepare_launch and collect run only for detected processes. */
	p = base();
	p.caps &= ~TP_CAP_DETECT;
	check(&p, TP_ERR_BAD_FORMAT, "prepare_launch without detect");
	p.caps &= ~TP_CAP_PREPARE_LAUNCH;
	check(&p, TP_ERR_BAD_FORMAT, "collect without detect");
	p.caps &= ~TP_CAP_COLLECT;
	check(&p, 0, NULL);
}

/* A descriptor as short as it says: ASan proves nothing past it is read. */
static void test_reads_within_size(void **state)
{
	struct tp_plugin full = base();
	char why[256];
	void *mem;

	(void)state;
	for (uint32_t size = 4; size < TP_PLUGIN_SIZE_1_0; size += 4) {
		mem = malloc(size);
		full.size = size;
		full.abi_major = size % 8 ? 1 : 3;
		memcpy(mem, &full, size);
		assert_true(plugin_descriptor__validate(mem, why, sizeof(why)) < 0);
		free(mem);
	}
}

static void test_why_buffer(void **state)
{
	struct tp_plugin p = base();
	char why[8];

	(void)state;
	p.init = NULL;
	assert_int_equal(plugin_descriptor__validate(&p, why, sizeof(why)), TP_ERR_BAD_FORMAT);
	assert_int_equal(strlen(why), sizeof(why) - 1);
	assert_int_equal(plugin_descriptor__validate(&p, NULL, 0), TP_ERR_BAD_FORMAT);
}

static void test_caps_words(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(plugin_caps__str(0, buf, sizeof(buf)), "");
	assert_string_equal(plugin_caps__str(TP_CAP_DETECT | TP_CAP_INGEST, buf, sizeof(buf)),
			    "detect ingest");
	assert_string_equal(plugin_caps__str(TP_CAP_CLASSIFY | 1ull << 40, buf, sizeof(buf)),
			    "classify 0x10000000000");
	plugin_caps__str(~0ull, buf, 10); /* truncates, terminated */
	assert_true(strlen(buf) < 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_size_and_version),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_reads_within_size),
		cmocka_unit_test(test_why_buffer),
		cmocka_unit_test(test_caps_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "dso.h"
#include "../symbol/elf.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

void dso_registry__init(struct dso_registry *r, const char *debug_root)
{
	memset(r, 0, sizeof(*r));
	strtab__init(&r->keys);
	r->debug_root = debug_root;
}

void dso_registry__exit(struct dso_registry *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->dsos[i].path);
		elf_file__delete(r->dsos[i].elf);
	}
	free(r->dsos);
	strtab__exit(&r->keys);
	memset(r, 0, sizeof(*r));
}

static enum dso_kind classify_path(const char *path)
{
	if (!strcmp(path, "[vdso]"))
		return DSO_VDSO;
	if (path[0] == '/' && strncmp(path, "/memfd:", 7) && strncmp(path, "//anon", 6))
		return DSO_FILE;
	if (path[0] == '[' && strncmp(path, "[anon", 5))
		return DSO_SPECIAL;
	return DSO_ANON; /* "", //anon, /memfd:..., [anon:...] */
}

uint32_t dso_registry__get(struct dso_registry *r, const char *path, const unsigned char *build_id,
			   size_t build_id_len)
{
	char key[4096 + 48];
	size_t plen = strlen(path), klen;
	uint32_t id;

	if (build_id_len > 20)
		build_id_len = 20;
	if (plen > 4096)
		plen = 4096;
	memcpy(key, path, plen);
	klen = plen;
	key[klen++] = '\0' + 1; /* separator that cannot occur in a path */
	for (size_t i = 0; i < build_id_len; i++)
		klen += (size_t)snprintf(key + klen, 3, "%02x", build_id[i]);
	id = strtab__intern(&r->keys, key, klen);
	if (id == r->n) {
		struct dso d = { .path = tp_xstrndup(path, plen) };
		const char *slash = strrchr(d.path, '/');

		d.short_name = slash && slash[1] ? slash + 1 : d.path;
		d.kind = classify_path(d.path);
		if (build_id_len)
			memcpy(d.build_id, build_id, build_id_len);
		d.build_id_len = (uint8_t)build_id_len;
		TP_VEC_PUSH(r->dsos, r->n, r->cap, d);
	}
	return id;
}

/* The vdso is the same image for every process on one kernel: read it from
 * our own address space. Only right when analysing on the recording machine's
 * kernel; a build-id check guards that. */
static int load_vdso(struct dso *d)
{
	const void *base = (const void *)getauxval(AT_SYSINFO_EHDR);
	const unsigned char *id;
	size_t len;

	if (!base)
		return TP_ERR_NOT_FOUND;
	/* Two pages covers every x86-64 vdso image. */
	if (elf_file__open_mem(base, 8192, &d->elf))
		return TP_ERR_BAD_FORMAT;
	elf_file__build_id(d->elf, &id, &len);
	if (d->build_id_len && (len != d->build_id_len || memcmp(id, d->build_id, len)))
		return TP_ERR_NOT_FOUND;
	return 0;
}

enum dso_load dso__load(struct dso_registry *r, struct dso *d)
{
	struct elf_open_opts opts = { .debug_root = r->debug_root };
	const unsigned char *id;
	size_t len;
	int err;

	if (d->load != DSO_LOAD_NOT_TRIED)
		return d->load;
	if (d->kind == DSO_VDSO) {
		d->load = load_vdso(d) ? DSO_LOAD_MISSING : DSO_LOAD_OK;
		return d->load;
	}
	if (d->kind != DSO_FILE) {
		d->load = DSO_LOAD_MISSING;
		return d->load;
	}
	err = elf_file__open(d->path, &opts, &d->elf);
	if (err == 0 || err == TP_ERR_NO_SYMBOLS) {
		elf_file__build_id(d->elf, &id, &len);
		if (d->build_id_len && len &&
		    (len != d->build_id_len || memcmp(id, d->build_id, len))) {
			pr_warn("%s changed since the recording (build id differs): its frames "
				"stay "
				"unnamed",
				d->path);
			elf_file__delete(d->elf);
			d->elf = NULL;
			d->load = DSO_LOAD_MISMATCH;
		} else {
			d->load = err ? DSO_LOAD_NO_SYMBOLS : DSO_LOAD_OK;
		}
	} else if (err == TP_ERR_BAD_FORMAT) {
		d->load = DSO_LOAD_BAD;
	} else {
		d->load = DSO_LOAD_MISSING;
		pr_debug("cannot open %s: %s", d->path, tp_strerror(err));
	}
	return d->load;
}

const char *dso_load__hint(enum dso_load load)
{
	switch (load) {
	case DSO_LOAD_NO_SYMBOLS:
		return "stripped binary without debug symbols: install its -dbgsym/-dbg package";
	case DSO_LOAD_MISSING:
		return "file not found at analysis time: analyse on the recording machine";
	case DSO_LOAD_BAD:
		return "file is not a readable ELF object";
	case DSO_LOAD_MISMATCH:
		return "file changed since the recording (build id differs): re-record";
	default:
		return "";
	}
}

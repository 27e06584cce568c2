#include "jit_sources.h"
#include "writer.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PERF_MAP_DIR "/tmp"
#define UID_UNKNOWN ((uid_t)-1)

struct watched {
	uint32_t pid;
	uid_t uid;	 /* owner of the process, UID_UNKNOWN if it was gone */
	uint64_t offset; /* bytes of its perf map embedded so far */
	int refused;	 /* map owned by someone else: warned, ignored */
};

struct jitdump_file {
	uint32_t pid;
	char *path;
};

struct jit_sources {
	struct capture_writer *w;
	struct watched *procs;
	size_t nprocs, procs_cap;
	struct jitdump_file *dumps;
	size_t ndumps, dumps_cap;
};

struct jit_sources *jit_sources__new(struct capture_writer *w)
{
	struct jit_sources *js = tp_xcalloc(1, sizeof(*js));

	js->w = w;
	return js;
}

static uid_t process_uid(uint32_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u", pid);
	return stat(path, &st) ? UID_UNKNOWN : st.st_uid;
}

void jit_sources__add_pid(struct jit_sources *js, uint32_t pid)
{
	for (size_t i = 0; i < js->nprocs; i++) {
		if (js->procs[i].pid == pid)
			return;
	}
	TP_VEC_PUSH(js->procs, js->nprocs, js->procs_cap,
		    ((struct watched){ .pid = pid, .uid = process_uid(pid) }));
}

static int is_jitdump_name(const char *path, uint32_t pid)
{
	const char *base = strrchr(path, '/');
	char want[32];

	snprintf(want, sizeof(want), "jit-%u.dump", pid);
	return !strcmp(base ? base + 1 : path, want);
}

void jit_sources__on_record(void *ctx, const struct perf_event_header *h)
{
	struct jit_sources *js = ctx;
	const unsigned char *b = (const unsigned char *)(h + 1);
	size_t body = h->size - sizeof(*h);
	uint32_t pid;

	if (body < 4)
		return;
	memcpy(&pid, b, sizeof(pid));
	if (h->type == PERF_RECORD_COMM || h->type == PERF_RECORD_FORK) {
		jit_sources__add_pid(js, pid);
	} else if (h->type == PERF_RECORD_MMAP2 && body > 64) {
		/* pid tid addr len pgoff, 24 bytes of ids, prot flags, then the name */
		const char *name = (const char *)b + 64;
		size_t n = strnlen(name, body - 64);
		char path[4096];

		if (n >= sizeof(path))
			return;
		memcpy(path, name, n);
		path[n] = '\0';
		if (!is_jitdump_name(path, pid))
			return;
		for (size_t i = 0; i < js->ndumps; i++) {
			if (!strcmp(js->dumps[i].path, path))
				return;
		}
		TP_VEC_PUSH(js->dumps, js->ndumps, js->dumps_cap,
			    ((struct jitdump_file){ .pid = pid, .path = tp_xstrdup(path) }));
	}
}

/* A side file is trusted only when the process's user (or root) owns it:
 * anyone can write /tmp/perf-PID.map for someone else's PID. */
static int trusted(const struct stat *st, uid_t proc_uid)
{
	return st->st_uid == 0 || st->st_uid == proc_uid ||
	       (proc_uid == UID_UNKNOWN && st->st_uid == geteuid());
}

static void read_map(struct jit_sources *js, struct watched *p, uint64_t now_ns, int final)
{
	char path[64];
	struct stat st;
	char *buf;
	ssize_t n;
	size_t want, keep;
	int fd;

	if (p->refused)
		return;
	snprintf(path, sizeof(path), PERF_MAP_DIR "/perf-%u.map", p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= p->offset) {
		close(fd);
		return;
	}
	if (!trusted(&st, p->uid)) {
		pr_warn("%s is owned by uid %u, not by the process's user: ignored", path,
			(unsigned)st.st_uid);
		p->refused = 1;
		close(fd);
		return;
	}
	want = (size_t)((uint64_t)st.st_size - p->offset);
	buf = tp_xmalloc(want);
	n = pread(fd, buf, want, (off_t)p->offset);
	close(fd);
	if (n <= 0) {
		free(buf);
		return;
	}
	/* Only whole lines until the end: the runtime may be mid-write. */
	keep = (size_t)n;
	if (!final) {
		while (keep && buf[keep - 1] != '\n')
			keep--;
	}
	if (keep) {
		capture_writer__side_file(js->w, p->pid, now_ns, path, "perfmap", buf, keep);
		p->offset += keep;
	}
	free(buf);
}

void jit_sources__poll(struct jit_sources *js, uint64_t now_ns)
{
	for (size_t i = 0; i < js->nprocs; i++)
		read_map(js, &js->procs[i], now_ns, 0);
}

void jit_sources__finish(struct jit_sources *js, uint64_t now_ns)
{
	for (size_t i = 0; i < js->nprocs; i++)
		read_map(js, &js->procs[i], now_ns, 1);
	for (size_t i = 0; i < js->ndumps; i++) {
		struct jitdump_file *d = &js->dumps[i];
		uid_t uid = UID_UNKNOWN;
		struct stat st;
		char *data;
		size_t len;

		for (size_t j = 0; j < js->nprocs; j++) {
			if (js->procs[j].pid == d->pid)
				uid = js->procs[j].uid;
		}
		if (stat(d->path, &st)) {
			pr_warn("jitdump %s is gone: its JIT frames stay unnamed", d->path);
			continue;
		}
		if (!trusted(&st, uid)) {
			pr_warn("%s is owned by uid %u, not by the process's user: ignored",
				d->path, (unsigned)st.st_uid);
			continue;
		}
		if (tp_read_file(d->path, &data, &len)) {
			pr_warn("cannot read %s: %s", d->path, strerror(errno));
			continue;
		}
		capture_writer__side_file(js->w, d->pid, now_ns, d->path, "jitdump", data, len);
		free(data);
	}
}

size_t jit_sources__nr_pids(const struct jit_sources *js)
{
	return js->nprocs;
}

uint32_t jit_sources__pid(const struct jit_sources *js, size_t i)
{
	return js->procs[i].pid;
}

void jit_sources__delete(struct jit_sources *js)
{
	if (!js)
		return;
	for (size_t i = 0; i < js->ndumps; i++)
		free(js->dumps[i].path);
	free(js->dumps);
	free(js->procs);
	free(js);
}

#include "hs_logc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_MAX 1024

/* A trap or deoptimized element waits for its <jvms> children. */
struct pending {
	int active;
	struct hs_logc_rec rec;
	int have_jvms;
	char reason[128], action[64], compiler[16], method[STR_MAX];
};

struct hs_logc {
	hs_logc_fn cb;
	void *ctx;
	struct hs_xml *xml;
	struct hs_logc_stats st;
	int in_task;
	uint32_t task_id;
	uint64_t task_stamp;
	int task_has_stamp;
	char task_method[STR_MAX];
	struct pending pend;
	char method[STR_MAX], s1[128], s2[256], comp[16]; /* decoded values of one record */
};

static int name_is(const char *n, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(n, want, len);
}

static void bad(struct hs_logc *l, const char *why)
{
	if (!l->st.bad_records++) {
		l->st.first_bad_offset = hs_xml__offset(l->xml);
		snprintf(l->st.first_bad_why, sizeof(l->st.first_bad_why), "%s", why);
	}
}

static const struct hs_xml_attr *attr(const struct hs_xml_attr *a, size_t n, const char *name)
{
	return hs_xml__attr(a, n, name);
}

/* Unsigned decimal or 0x-hex attribute value. */
static int parse_u64(const struct hs_xml_attr *a, uint64_t *v)
{
	const char *p, *end;
	uint64_t x = 0;
	int hex = 0, digits = 0;

	if (!a || !a->value_len)
		return -1;
	p = a->value;
	end = p + a->value_len;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = 1;
		p += 2;
	}
	for (; p < end; p++, digits++) {
		int d = *p >= '0' && *p <= '9'		? *p - '0'
			: hex && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
			: hex && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
							: -1;

		if (d < 0 || digits >= (hex ? 16 : 19))
			return -1;
		x = x * (hex ? 16u : 10u) + (uint64_t)d;
	}
	*v = x;
	return 0;
}

/* "12.345" seconds -> ns. */
static int parse_stamp(const struct hs_xml_attr *a, uint64_t *ns)
{
	const char *p, *end;
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;
	int digits = 0;

	if (!a || !a->value_len)
		return -1;
	p = a->value;
	end = p + a->value_len;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits >= 9)
			return -1;
		sec = sec * 10 + (uint64_t)(*p - '0');
	}
	if (!digits)
		return -1;
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (p != end)
		return -1;
	*ns = sec * 1000000000ull + frac;
	return 0;
}

static void copy(char *dst, size_t size, const struct hs_xml_attr *a)
{
	size_t n = a ? a->value_len : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, a->value, n);
	dst[n] = '\0';
}

/* Attributes every code-related element shares. */
static void common(struct hs_logc_rec *r, const struct hs_xml_attr *a, size_t n)
{
	const struct hs_xml_attr *kind = attr(a, n, "compile_kind");
	uint64_t v;

	r->has_stamp = parse_stamp(attr(a, n, "stamp"), &r->stamp_ns) == 0;
	if (parse_u64(attr(a, n, "thread"), &r->thread))
		r->thread = 0;
	if (parse_u64(attr(a, n, "compile_id"), &v) == 0 && v <= UINT32_MAX)
		r->compile_id = (uint32_t)v;
	r->level = parse_u64(attr(a, n, "level"), &v) == 0 && v <= 4 ? (int)v : -1;
	r->osr = kind && kind->value_len == 3 && !memcmp(kind->value, "osr", 3);
	r->native = kind && kind->value_len == 3 && !memcmp(kind->value, "c2n", 3);
}

static int emit(struct hs_logc *l, struct hs_logc_rec *r)
{
	l->st.records[r->kind]++;
	l->st.looks_like_log = 1;
	r->offset = r->offset ? r->offset : hs_xml__offset(l->xml);
	return l->cb ? l->cb(l->ctx, r) : 0;
}

static int nmethod(struct hs_logc *l, const struct hs_xml_attr *a, size_t n, char *method)
{
	struct hs_logc_rec r = { .kind = HS_LOGC_NMETHOD, .bci = -1 };
	uint64_t insts = 0, end = UINT64_MAX, v;
	int have_insts;

	common(&r, a, n);
	copy(method, STR_MAX, attr(a, n, "method"));
	r.method = method;
	r.compiler = "";
	if (attr(a, n, "compiler") && attr(a, n, "compiler")->value_len < 16) {
		copy(l->comp, sizeof(l->comp), attr(a, n, "compiler"));
		r.compiler = l->comp;
	}
	if (!r.compile_id || parse_u64(attr(a, n, "address"), &r.address) ||
	    parse_u64(attr(a, n, "size"), &r.size) || !method[0]) {
		bad(l, "nmethod without compile_id, address, size or method");
		return 0;
	}
	have_insts = parse_u64(attr(a, n, "insts_offset"), &insts) == 0;
	if (parse_u64(attr(a, n, "entry"), &r.entry)) {
		if (!have_insts) {
			bad(l, "nmethod without entry or insts_offset");
			return 0;
		}
		r.entry = r.address + insts;
	}
	if (!have_insts)
		insts = r.entry - r.address;
	/* The code ends where the first section after the stubs begins
	 * (what the perf map's SIZE measures). */
	for (size_t i = 0; i < n; i++) {
		size_t nl = a[i].name_len;

		if (nl > 7 && !memcmp(a[i].name + nl - 7, "_offset", 7) &&
		    !(nl == 11 && !memcmp(a[i].name, "stub_offset", 11)) &&
		    parse_u64(&a[i], &v) == 0 && v > insts && v < end)
			end = v;
	}
	if (end == UINT64_MAX)
		end = r.size;
	if (r.entry < r.address || end > r.size || r.address + end < r.entry ||
	    r.address > UINT64_MAX - r.size) {
		bad(l, "nmethod sections out of order");
		return 0;
	}
	r.code_end = r.address + end;
	return emit(l, &r);
}

static int on_start(void *ctx, const char *name, size_t len, const struct hs_xml_attr *a, size_t n,
		    int empty)
{
	struct hs_logc *l = ctx;
	char *method = l->method, *s1 = l->s1, *s2 = l->s2;
	struct hs_logc_rec r = { .bci = -1, .level = -1, .compiler = "", .method = "" };
	uint64_t v;

	if (name_is(name, len, "hotspot_log")) {
		r.kind = HS_LOGC_ROOT;
		if (parse_u64(attr(a, n, "process"), &v) == 0 && v <= UINT32_MAX)
			r.process = (uint32_t)v;
		if (parse_u64(attr(a, n, "time_ms"), &v) == 0)
			r.time_ms = v;
		return emit(l, &r);
	}
	if (name_is(name, len, "task")) {
		if (empty)
			return 0;
		l->in_task = 1;
		l->task_id = parse_u64(attr(a, n, "compile_id"), &v) == 0 && v <= UINT32_MAX
				     ? (uint32_t)v
				     : 0;
		l->task_has_stamp = parse_stamp(attr(a, n, "stamp"), &l->task_stamp) == 0;
		copy(l->task_method, sizeof(l->task_method), attr(a, n, "method"));
		return 0;
	}
	if (name_is(name, len, "nmethod"))
		return nmethod(l, a, n, method);
	if (name_is(name, len, "task_queued") || name_is(name, len, "make_not_entrant")) {
		r.kind = name[0] == 't' ? HS_LOGC_TASK_QUEUED : HS_LOGC_NOT_ENTRANT;
		common(&r, a, n);
		copy(method, sizeof(l->method), attr(a, n, "method"));
		r.method = method;
		copy(s1, sizeof(l->s1), attr(a, n, "compiler"));
		r.compiler = s1;
		if (parse_u64(attr(a, n, "decompiles"), &v) == 0 && v <= 1000000)
			r.decompiles = (unsigned)v;
		if (!r.compile_id) {
			bad(l, "no compile_id");
			return 0;
		}
		return emit(l, &r);
	}
	if ((name_is(name, len, "uncommon_trap") && attr(a, n, "thread")) ||
	    name_is(name, len, "deoptimized")) {
		struct pending *p = &l->pend;

		if (l->in_task)
			return 0; /* a trap compiled into code, not one hit */
		memset(p, 0, sizeof(*p));
		p->rec = r;
		p->rec.kind = name[0] == 'u' ? HS_LOGC_TRAP : HS_LOGC_DEOPTIMIZED;
		common(&p->rec, a, n);
		p->rec.offset = hs_xml__offset(l->xml);
		copy(p->reason, sizeof(p->reason), attr(a, n, "reason"));
		copy(p->action, sizeof(p->action), attr(a, n, "action"));
		copy(p->compiler, sizeof(p->compiler), attr(a, n, "compiler"));
		if (!p->reason[0]) {
			bad(l, "trap without reason");
			return 0;
		}
		p->active = 1;
		if (empty) {
			p->active = 0;
			p->rec.reason = p->reason;
			p->rec.action = p->action;
			p->rec.compiler = p->compiler;
			p->rec.method = p->method;
			return emit(l, &p->rec);
		}
		return 0;
	}
	if (name_is(name, len, "jvms")) {
		struct pending *p = &l->pend;

		/* The first jvms is the innermost scope: where the trap is. */
		if (p->active && !p->have_jvms) {
			p->have_jvms = 1;
			copy(p->method, sizeof(p->method), attr(a, n, "method"));
			if (parse_u64(attr(a, n, "bci"), &v) == 0 && v <= INT32_MAX)
				p->rec.bci = (int64_t)v;
		}
		return 0;
	}
	if (name_is(name, len, "dependency_failed")) {
		r.kind = HS_LOGC_DEP_FAILED;
		common(&r, a, n);
		copy(s1, sizeof(l->s1), attr(a, n, "type"));
		copy(s2, sizeof(l->s2), attr(a, n, "witness"));
		r.reason = s1;
		r.witness = s2;
		if (!s1[0]) {
			bad(l, "dependency_failed without type");
			return 0;
		}
		return emit(l, &r);
	}
	if (name_is(name, len, "failure") && l->in_task) {
		r.kind = HS_LOGC_COMPILE_FAILED;
		copy(s1, sizeof(l->s1), attr(a, n, "reason"));
		r.reason = s1;
		r.compile_id = l->task_id;
		r.method = l->task_method;
		r.stamp_ns = l->task_stamp;
		r.has_stamp = l->task_has_stamp;
		return emit(l, &r);
	}
	if (name_is(name, len, "hotspot_log_done")) {
		r.kind = HS_LOGC_DONE;
		r.has_stamp = parse_stamp(attr(a, n, "stamp"), &r.stamp_ns) == 0;
		return emit(l, &r);
	}
	return 0;
}

static int on_end(void *ctx, const char *name, size_t len)
{
	struct hs_logc *l = ctx;
	struct pending *p = &l->pend;

	if (name_is(name, len, "task")) {
		l->in_task = 0;
		return 0;
	}
	if (p->active &&
	    (name_is(name, len, "uncommon_trap") || name_is(name, len, "deoptimized"))) {
		p->active = 0;
		p->rec.reason = p->reason;
		p->rec.action = p->action;
		p->rec.compiler = p->compiler;
		p->rec.method = p->method;
		return emit(l, &p->rec);
	}
	return 0;
}

static const struct hs_xml_callbacks xml_cb = { .start = on_start, .end = on_end };

struct hs_logc *hs_logc__new(hs_logc_fn cb, void *ctx)
{
	struct hs_logc *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cb = cb;
	l->ctx = ctx;
	l->xml = hs_xml__new(&xml_cb, l);
	if (!l->xml) {
		free(l);
		return NULL;
	}
	return l;
}

int hs_logc__feed(struct hs_logc *l, const char *buf, size_t len)
{
	return hs_xml__feed(l->xml, buf, len);
}

void hs_logc__finish(struct hs_logc *l, struct hs_logc_stats *stats)
{
	hs_xml__finish(l->xml, &l->st.xml);
	if (stats)
		*stats = l->st;
}

void hs_logc__delete(struct hs_logc *l)
{
	if (!l)
		return;
	hs_xml__delete(l->xml);
	free(l);
}

int hs_logc__parse(const char *buf, size_t len, hs_logc_fn cb, void *ctx,
		   struct hs_logc_stats *stats)
{
	struct hs_logc *l = hs_logc__new(cb, ctx);
	int ret = 0;

	if (!l)
		return -ENOMEM;
	for (size_t off = 0; off < len && !ret;) {
		size_t n = len - off < 65536 ? len - off : 65536;

		ret = hs_logc__feed(l, buf + off, n);
		off += n;
	}
	hs_logc__finish(l, stats);
	hs_logc__delete(l);
	return ret;
}

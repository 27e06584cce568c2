/* tierprof's JVMTI agent: names for the Java methods HotSpot interprets.
 *
 * HotSpot's template interpreter keeps the running method's Method* in its
 * frame; a profiler that samples the stack finds that pointer, but only the
 * JVM knows whose method it is. At VMDeath this agent writes one line per
 * method of every loaded class, pairing its Method* with its class, name
 * and signature, into SIDE_DIR/hotspot-methods-PID.tsv (the side directory
 * is the agent's option: -agentpath:libtierprof_jvmti.so=SIDE_DIR). The
 * HotSpot plugin reads it back (hs_methods.c, docs/runtimes/hotspot.md).
 *
 * A HotSpot implementation detail it relies on: a jmethodID is a pointer to
 * a slot holding the method's Method* (JNIMethodBlock), so dereferencing it
 * gives the value interpreter frames hold. The plugin only trusts a stack
 * value that is in this table, so another JVM yields no names, not wrong ones.
 *
 * Costs nothing while the program runs: no capabilities, one event
 * (VMDeath). It never writes to the program's stdout or stderr; the file
 * appears whole or not at all (written beside, then renamed).
 *
 * Format (text, tab-separated, one record per line):
 *   # tierprof-hotspot-methods 1
 *   vm	VERSION                       java.vm.version
 *   const	NAME	VALUE             HotSpot's own frame constants (vmStructs)
 *   m	0xMETHOD	CLASS	NAME	SIGNATURE
 * CLASS is the binary name with '.' ("java.util.HashMap$Node"; a hidden
 * class keeps its '/' suffix: "Foo$$Lambda/0x0000000801001000"), as
 * LogCompilation writes it; SIGNATURE the JVM descriptor ("(IJ)V"). */
#include <jvmti.h>

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_PREFIX "hotspot-methods-"

static char side_dir[4096];

/* "Ljava/util/Map$Entry;" -> "java.util.Map$Entry". The internal form uses
 * '/' between packages and '.' only before a hidden class's suffix; the
 * binary name swaps them. 0, or -1 for arrays, primitives, or no room. */
static int class_name(const char *sig, char *out, size_t size)
{
	size_t n = strlen(sig), j = 0;

	if (n < 3 || sig[0] != 'L' || sig[n - 1] != ';' || n - 2 >= size)
		return -1;
	for (size_t i = 1; i < n - 1; i++) {
		char c = sig[i];

		out[j++] = c == '/' ? '.' : c == '.' ? '/' : c;
	}
	out[j] = '\0';
	return 0;
}

/* HotSpot's exported vmStructs table (for its serviceability agent): the
 * interpreter frame constants it publishes, written for the plugin to check
 * its frame layout against. Absent in other JVMs: nothing written. */
static void write_constants(FILE *f)
{
	static const char *const wanted[] = { "frame::interpreter_frame_sender_sp_offset",
					      "frame::interpreter_frame_last_sp_offset" };
	const char *const *base = dlsym(RTLD_DEFAULT, "gHotSpotVMIntConstants");
	const uint64_t *stride = dlsym(RTLD_DEFAULT, "gHotSpotVMIntConstantEntryArrayStride");
	const uint64_t *name_off = dlsym(RTLD_DEFAULT, "gHotSpotVMIntConstantEntryNameOffset");
	const uint64_t *value_off = dlsym(RTLD_DEFAULT, "gHotSpotVMIntConstantEntryValueOffset");
	const char *p;

	if (!base || !*base || !stride || !name_off || !value_off || !*stride)
		return;
	/* The table ends with an entry whose name is NULL. */
	for (p = *base;; p += *stride) {
		const char *name;
		int32_t value;

		memcpy(&name, p + *name_off, sizeof(name));
		if (!name)
			break;
		for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
			if (strcmp(name, wanted[i]))
				continue;
			memcpy(&value, p + *value_off, sizeof(value));
			fprintf(f, "const\t%s\t%d\n", name, value);
		}
	}
}

static void write_class(jvmtiEnv *jvmti, FILE *f, jclass k)
{
	char *sig = NULL, cls[4096];
	jint nmethods = 0, status = 0;
	jmethodID *methods = NULL;

	if ((*jvmti)->GetClassStatus(jvmti, k, &status) != JVMTI_ERROR_NONE ||
	    !(status & JVMTI_CLASS_STATUS_PREPARED) ||
	    (status & (JVMTI_CLASS_STATUS_ARRAY | JVMTI_CLASS_STATUS_PRIMITIVE)))
		return;
	if ((*jvmti)->GetClassSignature(jvmti, k, &sig, NULL) != JVMTI_ERROR_NONE)
		return;
	if (class_name(sig, cls, sizeof(cls)) == 0 &&
	    (*jvmti)->GetClassMethods(jvmti, k, &nmethods, &methods) == JVMTI_ERROR_NONE) {
		for (jint i = 0; i < nmethods; i++) {
			char *name = NULL, *msig = NULL;
			void *method;

			if (!methods[i] || (*jvmti)->GetMethodName(jvmti, methods[i], &name, &msig,
								   NULL) != JVMTI_ERROR_NONE)
				continue;
			/* HotSpot: jmethodID -> Method* slot (see above). */
			memcpy(&method, (const void *)methods[i], sizeof(method));
			if (method)
				fprintf(f, "m\t%p\t%s\t%s\t%s\n", method, cls, name, msig);
			(*jvmti)->Deallocate(jvmti, (unsigned char *)name);
			(*jvmti)->Deallocate(jvmti, (unsigned char *)msig);
		}
		(*jvmti)->Deallocate(jvmti, (unsigned char *)methods);
	}
	(*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
}

static void write_methods(jvmtiEnv *jvmti, JNIEnv *jni)
{
	char tmp[4200], path[4200], *vm = NULL;
	int n;
	jint nclasses = 0;
	jclass *classes = NULL;
	FILE *f;
	int ok;

	n = snprintf(path, sizeof(path), "%s/" OUT_PREFIX "%d.tsv", side_dir, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/." OUT_PREFIX "%d.tmp", side_dir, (int)getpid()) >=
		    (int)sizeof(tmp))
		return;
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "# tierprof-hotspot-methods 1\n");
	if ((*jvmti)->GetSystemProperty(jvmti, "java.vm.version", &vm) == JVMTI_ERROR_NONE) {
		fprintf(f, "vm\t%s\n", vm);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)vm);
	}
	write_constants(f);
	if ((*jvmti)->GetLoadedClasses(jvmti, &nclasses, &classes) == JVMTI_ERROR_NONE) {
		for (jint i = 0; i < nclasses; i++) {
			write_class(jvmti, f, classes[i]);
			(*jni)->DeleteLocalRef(jni, classes[i]);
		}
		(*jvmti)->Deallocate(jvmti, (unsigned char *)classes);
	}
	ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path))
		unlink(tmp);
}

static void JNICALL on_vm_death(jvmtiEnv *jvmti, JNIEnv *jni)
{
	write_methods(jvmti, jni);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved)
{
	jvmtiEventCallbacks cb;
	jvmtiEnv *jvmti = NULL;

	(void)reserved;
	/* Without a side directory there is nowhere to write: stay inert (a
	 * JVM must never fail to start because of us). */
	if (!options || !*options || strlen(options) >= sizeof(side_dir))
		return JNI_OK;
	snprintf(side_dir, sizeof(side_dir), "%s", options);
	if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK || !jvmti)
		return JNI_OK;
	memset(&cb, 0, sizeof(cb));
	cb.VMDeath = on_vm_death;
	if ((*jvmti)->SetEventCallbacks(jvmti, &cb, (jint)sizeof(cb)) == JVMTI_ERROR_NONE)
		(*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_DEATH, NULL);
	return JNI_OK;
}

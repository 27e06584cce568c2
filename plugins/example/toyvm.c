/* toyvm: a toy "runtime" for the plugin SDK example (docs/plugin-sdk.md).
 *
 * It runs a tiny bytecode program in a loop. Each operation (add, mul) starts
 * in the interpreter (toy_interp_* functions), is "compiled" after HOT calls
 * (execution moves to the matching toy_jit_* function) and is deoptimized when
 * the type of its operands changes, which happens every FLIP iterations: a
 * deopt loop, like the ones tierprof reports for real JITs.
 *
 * With --log it writes its compiler log to $TOYVM_LOG_DIR/toyvm-PID.log
 * (default directory: .), one event per line:
 *   <CLOCK_MONOTONIC ns> compile toy_jit_add tier=optimized
 *   <CLOCK_MONOTONIC ns> deopt toy_jit_add reason=type-change
 *
 * usage: toyvm [--log] [ITERATIONS]   (default 40000000: under a second) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOT 100000     /* calls before an operation is compiled */
#define FLIP 2000000   /* iterations between operand type changes */
#define INTERP_WORK 32 /* the interpreter's per-operation cost, in loop turns */
#define JIT_WORK 4     /* the compiled code's, 8 times less */

enum op { OP_ADD, OP_MUL, OP__COUNT };

struct op_state {
	const char *jit_name;
	unsigned long calls;
	int compiled;
	int type; /* operand type the compiled code was specialised for */
};

static struct op_state ops[OP__COUNT] = {
	[OP_ADD] = { "toy_jit_add", 0, 0, 0 },
	[OP_MUL] = { "toy_jit_mul", 0, 0, 0 },
};
static FILE *log_file;
static volatile uint64_t sink;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void log_event(const char *what, const char *fn, const char *detail)
{
	if (log_file)
		fprintf(log_file, "%llu %s %s %s\n", (unsigned long long)now_ns(), what, fn,
			detail);
}

/* The interpreter's handlers: slow, generic. */
__attribute__((noinline)) uint64_t toy_interp_add(uint64_t a, uint64_t b);
__attribute__((noinline)) uint64_t toy_interp_add(uint64_t a, uint64_t b)
{
	volatile uint64_t r = a;

	for (int i = 0; i < INTERP_WORK; i++)
		r = r + (b >> (i & 7)) - (b >> (i & 7));
	return r + b;
}

__attribute__((noinline)) uint64_t toy_interp_mul(uint64_t a, uint64_t b);
__attribute__((noinline)) uint64_t toy_interp_mul(uint64_t a, uint64_t b)
{
	volatile uint64_t r = a;

	for (int i = 0; i < INTERP_WORK; i++)
		r = r ^ (b << (i & 7)) ^ (b << (i & 7));
	return r * (b | 1);
}

/* The "compiled" code: fast, specialised. */
__attribute__((noinline)) uint64_t toy_jit_add(uint64_t a, uint64_t b);
__attribute__((noinline)) uint64_t toy_jit_add(uint64_t a, uint64_t b)
{
	volatile uint64_t r = a;

	for (int i = 0; i < JIT_WORK; i++)
		r = r + (b >> (i & 7)) - (b >> (i & 7));
	return r + b;
}

__attribute__((noinline)) uint64_t toy_jit_mul(uint64_t a, uint64_t b);
__attribute__((noinline)) uint64_t toy_jit_mul(uint64_t a, uint64_t b)
{
	volatile uint64_t r = a;

	for (int i = 0; i < JIT_WORK; i++)
		r = r ^ (b << (i & 7)) ^ (b << (i & 7));
	return r * (b | 1);
}

static uint64_t run_op(enum op op, uint64_t a, uint64_t b, int type)
{
	struct op_state *s = &ops[op];

	if (s->compiled && s->type != type) {
		log_event("deopt", s->jit_name, "reason=type-change");
		s->compiled = 0;
		s->calls = 0;
	}
	if (!s->compiled && ++s->calls >= HOT) {
		log_event("compile", s->jit_name, "tier=optimized");
		s->compiled = 1;
		s->type = type;
	}
	if (s->compiled)
		return op == OP_ADD ? toy_jit_add(a, b) : toy_jit_mul(a, b);
	return op == OP_ADD ? toy_interp_add(a, b) : toy_interp_mul(a, b);
}

/* The dispatch loop: fetch, decode, run. */
__attribute__((noinline)) uint64_t toy_interp_loop(unsigned long iterations);
__attribute__((noinline)) uint64_t toy_interp_loop(unsigned long iterations)
{
	static const enum op program[] = { OP_ADD, OP_MUL, OP_ADD };
	uint64_t acc = 1;

	for (unsigned long i = 0; i < iterations; i++) {
		int type = (int)((i / FLIP) & 1);

		for (size_t pc = 0; pc < sizeof(program) / sizeof(program[0]); pc++)
			acc = run_op(program[pc], acc, i + pc, type);
	}
	return acc;
}

static FILE *open_log(void)
{
	const char *dir = getenv("TOYVM_LOG_DIR");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/toyvm-%d.log", dir && *dir ? dir : ".", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		perror(path);
	return f;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 40000000;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--log")) {
			log_file = open_log();
		} else if (argv[i][0] >= '0' && argv[i][0] <= '9') {
			iterations = strtoul(argv[i], NULL, 10);
		} else {
			fprintf(stderr, "usage: toyvm [--log] [ITERATIONS]\n");
			return 2;
		}
	}
	sink = toy_interp_loop(iterations);
	printf("toyvm: %lu iterations, result %llu\n", iterations, (unsigned long long)sink);
	if (log_file)
		fclose(log_file);
	return 0;
}

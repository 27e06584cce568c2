/* threads: the main thread spins briefly (so a profiler launching us is
 * already recording), then starts N worker threads. Worker K names itself
 * "worker-K" and burns about SECONDS of its own CPU time in its own function,
 * thread_fn_K, so a profiler must follow threads created mid-run and attribute
 * each one's samples to the right tid, comm and function.
 *
 *   usage: threads [N [SECONDS]]     (default 4 threads, 1.0 s of CPU each; N <= 8)
 */
#include "work.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 8
#define CHUNK 2000000ull /* ~3 ms of work between clock checks */

volatile uint64_t tp_wl_sink;
static double cpu_seconds = 1.0;

static double thread_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One distinct function per thread: the name is what the tests look for. */
#define THREAD_FN(k)                                              \
	__attribute__((noinline)) void *thread_fn_##k(void *arg); \
	void *thread_fn_##k(void *arg)                            \
	{                                                         \
		double end;                                       \
		(void)arg;                                        \
		pthread_setname_np(pthread_self(), "worker-" #k); \
		end = thread_cpu_now() + cpu_seconds;             \
		do {                                              \
			TP_WL_BURN(CHUNK);                        \
		} while (thread_cpu_now() < end);                 \
		return NULL;                                      \
	}
THREAD_FN(0)
THREAD_FN(1)
THREAD_FN(2)
THREAD_FN(3)
THREAD_FN(4)
THREAD_FN(5)
THREAD_FN(6)
THREAD_FN(7)

static void *(*const thread_fns[MAX_THREADS])(void *) = {
	thread_fn_0, thread_fn_1, thread_fn_2, thread_fn_3,
	thread_fn_4, thread_fn_5, thread_fn_6, thread_fn_7,
};

/* The "short delay" before the threads start: spent on CPU so the main
 * thread has samples of its own. */
__attribute__((noinline)) void main_spin(double seconds);

void main_spin(double seconds)
{
	double end = thread_cpu_now() + seconds;

	do {
		TP_WL_BURN(CHUNK);
	} while (thread_cpu_now() < end);
}

int main(int argc, char **argv)
{
	pthread_t tids[MAX_THREADS];
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 4;

	if (argc > 2)
		cpu_seconds = strtod(argv[2], NULL);
	if (n < 1 || n > MAX_THREADS || !(cpu_seconds > 0)) {
		fprintf(stderr, "usage: threads [N (1-%d) [SECONDS]]\n", MAX_THREADS);
		return 2;
	}
	main_spin(0.3);
	for (long k = 0; k < n; k++) {
		if (pthread_create(&tids[k], NULL, thread_fns[k], NULL)) {
			perror("pthread_create");
			return 1;
		}
	}
	for (long k = 0; k < n; k++)
		pthread_join(tids[k], NULL);
	return 0;
}

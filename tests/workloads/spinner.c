/* spinner: prints its pid on stdout, then spins in spin_forever on the main
 * thread and spin_helper on a second thread until killed: the target of the
 * attach and signal tests. As a safety net it exits by itself after
 * MAX_SECONDS (default 300) so a failed test cannot leave it running.
 *
 *   usage: spinner [MAX_SECONDS]
 */
#include "work.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK 1000000ull

volatile uint64_t tp_wl_sink;

__attribute__((noinline)) void *spin_helper(void *arg);
__attribute__((noinline)) void spin_forever(void);

void *spin_helper(void *arg)
{
	(void)arg;
	for (;;)
		TP_WL_BURN(CHUNK);
	return NULL;
}

void spin_forever(void)
{
	for (;;)
		TP_WL_BURN(CHUNK);
}

int main(int argc, char **argv)
{
	pthread_t helper;
	long max_seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 300;

	if (max_seconds > 0)
		alarm((unsigned)max_seconds);
	if (pthread_create(&helper, NULL, spin_helper, NULL)) {
		perror("pthread_create");
		return 1;
	}
	pthread_setname_np(helper, "spin-helper");
	printf("%d\n", (int)getpid());
	fflush(stdout);
	spin_forever();
	return 0;
}

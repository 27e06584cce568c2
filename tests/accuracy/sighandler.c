/* sighandler: work done half in a signal handler. Each round, interrupted
 * does one unit of work, then raises SIGUSR1, whose handler does one unit.
 * The handler runs on top of interrupted's stack (raise -> kernel -> the
 * signal frame -> on_signal). True inclusive shares: on_signal 1/2,
 * interrupted 100 %.
 *
 *   usage: sighandler [ROUNDS]   (default 450, about 2 s)
 */
#include "acc_work.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

volatile uint64_t acc_sink;

__attribute__((noinline)) uint64_t sig_leaf(uint64_t n, uint64_t x)
{
	for (uint64_t i = 0; i < n; i++)
		x = acc_mix(x, i);
	return x;
}

__attribute__((noinline)) static void on_signal(int sig)
{
	acc_sink ^= sig_leaf(ACC_UNIT, (uint64_t)sig);
}

__attribute__((noinline)) void interrupted(uint64_t seed)
{
	acc_sink ^= sig_leaf(ACC_UNIT, seed);
	raise(SIGUSR1);
	acc_sink++; /* no tail call: interrupted stays on the stack */
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 450;
	struct sigaction sa = { .sa_handler = on_signal };

	if (rounds <= 0) {
		fprintf(stderr, "usage: sighandler [ROUNDS]\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (long r = 0; r < rounds; r++)
		interrupted((uint64_t)r);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * A process for uprobe tests: calls bpfwasm_target_add(i, 2 * i) for i = 1..count, one call every interval_ms.
 *
 * Usage: uprobe_target [count (default 10)] [interval_ms (default 100)] [start_delay_ms (default 0)]
 * Prints "uprobe_target pid=<pid>" first and "uprobe_target done sum=<sum>" at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Global, not inlined, and kept: the uprobe attaches to this symbol by name. */
__attribute__((noinline, used)) int bpfwasm_target_add(int a, int b)
{
	__asm__ volatile("" ::: "memory"); /* keeps the call from being folded away */
	return a + b;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 10;
	int interval_ms = argc > 2 ? atoi(argv[2]) : 100;
	int delay_ms = argc > 3 ? atoi(argv[3]) : 0;
	printf("uprobe_target pid=%d\n", getpid());
	fflush(stdout);
	if (delay_ms > 0)
		usleep(delay_ms * 1000);
	long sum = 0;
	for (int i = 1; i <= count; i++) {
		sum += bpfwasm_target_add(i, 2 * i);
		if (interval_ms > 0)
			usleep(interval_ms * 1000);
	}
	printf("uprobe_target done sum=%ld\n", sum);
	return 0;
}

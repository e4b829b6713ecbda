// SPDX-License-Identifier: Apache-2.0
/*
 * Event source for the Wasm side of the ring buffer benchmark (bench/run.sh): prints its pid (the guest's -p), then
 * for every line "<n>" on stdin calls getppid() n times as fast as it can and prints "done <ns>" (the time it took).
 * The same loop as the C baseline's own trigger, so both sides face the same producer.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	printf("pid %d\n", getpid());
	fflush(stdout);
	unsigned long long n;
	while (scanf("%llu", &n) == 1) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (unsigned long long i = 0; i < n; i++)
			syscall(SYS_getppid);
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("done %lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
		fflush(stdout);
	}
	return 0;
}

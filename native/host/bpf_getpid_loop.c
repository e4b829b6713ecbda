// SPDX-License-Identifier: Apache-2.0
/* Test helper: waits for a count on stdin (so the test can register this pid with its BPF program first), then
 * issues that many getpid() system calls and prints "done". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long n;
	if (scanf("%ld", &n) != 1 || n < 0) {
		fprintf(stderr, "usage: echo COUNT | bpf_getpid_loop\n");
		return 2;
	}
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	printf("done\n");
	return 0;
}

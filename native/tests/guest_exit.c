// SPDX-License-Identifier: Apache-2.0
/* Prints argv, the environment variable GREETING and whether the WASI clock and random source work, then exits 3. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	const char *greeting = getenv("GREETING");
	printf("GREETING=%s\n", greeting ? greeting : "(unset)");
	struct timespec ts;
	printf("clock=%s\n", clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1700000000 ? "ok" : "broken");
	unsigned char a[16] = {0}, b[16] = {0};
	int differ = 0;
	if (getentropy(a, sizeof(a)) == 0 && getentropy(b, sizeof(b)) == 0)
		for (int i = 0; i < 16; i++)
			differ |= a[i] != b[i];
	printf("random=%s\n", differ ? "ok" : "broken");
	fprintf(stderr, "exiting with 3\n");
	exit(3);
}

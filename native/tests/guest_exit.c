// SPDX-License-Identifier: Apache-2.0
/* Prints argv and the environment variable GREETING, then exits with code 3. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	const char *greeting = getenv("GREETING");
	printf("GREETING=%s\n", greeting ? greeting : "(unset)");
	fprintf(stderr, "exiting with 3\n");
	exit(3);
}

// SPDX-License-Identifier: Apache-2.0
/* Allocates 1 MiB blocks (touching each) until malloc fails, prints how many it got, then exits with code 12. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	int blocks = 0;
	for (;;) {
		char *p = malloc(1 << 20);
		if (!p)
			break;
		memset(p, 1, 1 << 20);
		blocks++;
	}
	printf("allocated %d MiB before malloc failed\n", blocks);
	return 12;
}

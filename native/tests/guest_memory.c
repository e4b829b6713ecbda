// SPDX-License-Identifier: Apache-2.0
/* Allocates 1 MiB blocks (touching each) until malloc fails, prints how many it got, then exits with code 12. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *volatile blocks[4096]; /* volatile: the compiler must not elide the allocations */

int main(void)
{
	int n = 0;
	while (n < 4096) {
		char *p = malloc(1 << 20);
		if (!p)
			break;
		memset(p, 1, 1 << 20);
		blocks[n++] = p;
	}
	printf("allocated %d MiB before malloc failed\n", n);
	return 12;
}

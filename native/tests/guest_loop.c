// SPDX-License-Identifier: Apache-2.0
/* Prints a line (without flushing: it must arrive because stdout is line-buffered), then spins forever. */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;
	printf("looping\n");
	for (;;)
		n++;
}

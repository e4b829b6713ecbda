/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between tccount.bpf.c and the guest: indexes of the counters array map. */
#ifndef TCCOUNT_H
#define TCCOUNT_H

enum tccount_counter {
	COUNTER_PACKETS = 0,
	COUNTER_BYTES = 1,
	COUNTER_COUNT
};

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between xdpcount.bpf.c and the guest: indexes of the counters array map. */
#ifndef XDPCOUNT_H
#define XDPCOUNT_H

enum xdpcount_counter {
	COUNTER_PACKETS = 0,
	COUNTER_BYTES = 1,
	COUNTER_COUNT
};

#endif

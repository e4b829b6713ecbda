/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between cgroupcount.bpf.c and the guest: indexes of the counters array map. */
#ifndef CGROUPCOUNT_H
#define CGROUPCOUNT_H

enum cgroupcount_counter {
	COUNTER_INGRESS_PACKETS = 0,
	COUNTER_INGRESS_BYTES,
	COUNTER_EGRESS_PACKETS,
	COUNTER_EGRESS_BYTES,
	COUNTER_COUNT
};

#endif

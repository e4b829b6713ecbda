/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between ringbench.bpf.c, its C baseline (host/ringbench.c) and its guest (bench/ringbench_guest.c). */
#ifndef RINGBENCH_H
#define RINGBENCH_H

/* One ring buffer record: 16 bytes of payload (+ 8 bytes of ring header). */
struct ring_event {
	unsigned long long seq; /* 0, 1, 2, ... per loaded object */
	unsigned long long ts;  /* bpf_ktime_get_ns() at submit */
};

/* Indexes of the stats array map. */
enum ringbench_stat {
	STAT_SUBMITTED = 0, /* records submitted to the ring */
	STAT_DROPPED = 1,   /* reservations that failed because the ring was full */
	STAT_COUNT
};

/* Default ring size: holds 1e6 queued records (24 bytes each with the header) for the drain benchmark. */
#define RING_DEFAULT_BYTES (32 * 1024 * 1024)

/* The key the lookup benchmark reads from the lookup hash map (inserted by the consumer first). */
#define LOOKUP_KEY 1

#endif

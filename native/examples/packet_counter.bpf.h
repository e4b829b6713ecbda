/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The BPF side shared by the packet-counting examples (xdpcount, tccount, cgroupcount): the "counters" array map
 * their guest side (packet_counter.h) reports, and add() to count into it. Include the example's header first: it
 * defines COUNTER_COUNT.
 */
#ifndef PACKET_COUNTER_BPF_H
#define PACKET_COUNTER_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void add(__u32 counter, __u64 amount)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &counter);
	if (value)
		__sync_fetch_and_add(value, amount);
}

#endif

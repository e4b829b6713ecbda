// SPDX-License-Identifier: Apache-2.0
/* Counts the packets and bytes an interface receives, at the XDP hook; every packet passes on unchanged. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xdpcount.h"

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

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	add(COUNTER_PACKETS, 1);
	add(COUNTER_BYTES, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// SPDX-License-Identifier: Apache-2.0
/* Counts the packets and bytes an interface receives, at the XDP hook; every packet passes on unchanged. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xdpcount.h"
#include "packet_counter.bpf.h"

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	add(COUNTER_PACKETS, 1);
	add(COUNTER_BYTES, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

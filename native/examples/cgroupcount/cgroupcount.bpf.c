// SPDX-License-Identifier: Apache-2.0
/*
 * Counts the packets and bytes that sockets of one cgroup receive and send (cgroup_skb programs; the cgroup is the
 * attach target). Every packet is allowed.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "cgroupcount.h"
#include "packet_counter.bpf.h"

SEC("cgroup_skb/ingress")
int count_ingress(struct __sk_buff *skb)
{
	add(COUNTER_INGRESS_PACKETS, 1);
	add(COUNTER_INGRESS_BYTES, skb->len);
	return 1; /* allow */
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	add(COUNTER_EGRESS_PACKETS, 1);
	add(COUNTER_EGRESS_BYTES, skb->len);
	return 1; /* allow */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

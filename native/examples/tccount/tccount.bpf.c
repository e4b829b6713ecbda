// SPDX-License-Identifier: Apache-2.0
/* Counts the packets and bytes that pass one direction of an interface, as a tc classifier (a TCX link, or a filter
 * on the clsact qdisc on kernels before 6.6); every packet goes on unchanged. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tccount.h"
#include "packet_counter.bpf.h"

#define TC_ACT_OK 0 /* linux/pkt_cls.h: a #define, so not in vmlinux.h */

SEC("tc")
int count_packets(struct __sk_buff *skb)
{
	add(COUNTER_PACKETS, 1);
	add(COUNTER_BYTES, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

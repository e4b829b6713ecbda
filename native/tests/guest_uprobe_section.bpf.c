// SPDX-License-Identifier: Apache-2.0
/*
 * A uprobe whose target is in its section name, "uprobe/<binary>:<function>", so it attaches without a target
 * (AttachExamplesIT). The Makefile passes the absolute path of build/host/uprobe_target as UPROBE_TARGET.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#ifndef UPROBE_TARGET
#error "UPROBE_TARGET (absolute path of build/host/uprobe_target) must be defined"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("uprobe/" UPROBE_TARGET ":bpfwasm_target_add")
int on_add(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&calls, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

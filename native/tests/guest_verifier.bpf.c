// SPDX-License-Identifier: GPL-2.0
/* A program the verifier rejects: it reads past the end of a map value. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int unchecked_lookup(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);
	if (!v)
		return 0;
	return (int)v[1]; /* 8 bytes beyond the 8-byte value */
}

char LICENSE[] SEC("license") = "GPL";

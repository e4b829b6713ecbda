// SPDX-License-Identifier: Apache-2.0
/* The verifier must reject this object: the program reads past the end of a map value. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int read_out_of_bounds(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);
	if (!v)
		return 0;
	/* v[1] lies 8 bytes beyond the 8-byte value. */
	return (int)v[1];
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

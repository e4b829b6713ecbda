// SPDX-License-Identifier: Apache-2.0
/* Counts system calls by number in a hash map; the guest reads and prints the counts. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "syscount.h"

/* Set by the guest before load (patched in .rodata); 0 counts every process. */
const volatile int target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tracepoint/raw_syscalls/sys_enter")
int count_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (target_tgid && (int)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (ctx->id < 0)
		return 0;
	__u32 nr = (__u32)ctx->id;
	__u64 *count = bpf_map_lookup_elem(&counts, &nr);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	/* First call of this syscall: insert 1; if another CPU inserted it meanwhile, add to its entry. */
	__u64 one = 1;
	if (bpf_map_update_elem(&counts, &nr, &one, BPF_NOEXIST) < 0) {
		count = bpf_map_lookup_elem(&counts, &nr);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

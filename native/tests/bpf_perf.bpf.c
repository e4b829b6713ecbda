// SPDX-License-Identifier: Apache-2.0
/* Sends one sequence-numbered u64 per getpid() of the process named in params[0] through a perf event array. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

/* params[0]: target tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} params SEC(".maps");

__u64 sent = 0;

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 zero = 0;
	__u32 *tgid = bpf_map_lookup_elem(&params, &zero);
	if (!tgid || (__u32)(bpf_get_current_pid_tgid() >> 32) != *tgid)
		return 0;
	__u64 seq = __sync_fetch_and_add(&sent, 1);
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &seq, sizeof(seq));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

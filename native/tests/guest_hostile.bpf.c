// SPDX-License-Identifier: GPL-2.0
/* BPF side of guest_hostile: one exec event per exec into a ring buffer, and a small hash map to operate on. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct hostile_event {
	__u32 pid;
	__u32 seq;
	__u64 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__u32 seq;

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct hostile_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->seq = seq++; /* racy across CPUs; only informative */
	e->pad[0] = 0x1122334455667788ULL;
	e->pad[1] = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

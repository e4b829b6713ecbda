// SPDX-License-Identifier: Apache-2.0
/*
 * Traces calls of a user-space function: the uprobe remembers the first two arguments per thread, the uretprobe adds
 * the return value and the duration and submits an event. The function is chosen at attach time: the guest passes
 * the target "<binary>:<function>" to wasm_attach_bpf_program for both programs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "uprobe.h"

/* Set by the guest before load (patched in .rodata); 0 traces every process. */
const volatile int target_tgid = 0;

struct call_args {
	long long arg0;
	long long arg1;
	__u64 start_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct call_args);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("uprobe")
int BPF_KPROBE(on_call, long long arg0, long long arg1)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (target_tgid && (int)(id >> 32) != target_tgid)
		return 0;
	__u32 tid = (__u32)id;
	struct call_args args = { .arg0 = arg0, .arg1 = arg1, .start_ns = bpf_ktime_get_ns() };
	bpf_map_update_elem(&in_flight, &tid, &args, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_return, long long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct call_args *args = bpf_map_lookup_elem(&in_flight, &tid);
	if (!args)
		return 0;
	struct call_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = id >> 32;
		e->tid = tid;
		e->arg0 = args->arg0;
		e->arg1 = args->arg1;
		e->ret = ret;
		e->duration_ns = bpf_ktime_get_ns() - args->start_ns;
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&in_flight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

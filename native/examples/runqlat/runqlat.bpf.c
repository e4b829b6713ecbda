// SPDX-License-Identifier: Apache-2.0
/*
 * Run-queue latency: the time from a task becoming runnable (woken, newly created, or preempted while still
 * runnable) to it running on a CPU, as a log2 histogram of microseconds.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "runqlat.h"

#define TASK_RUNNING 0

/* Set by the guest before load (patched in .rodata); 0 measures every process. */
const volatile int target_tgid = 0;

/* pid -> time it became runnable (ns). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

static __always_inline void mark_runnable(struct task_struct *p)
{
	if (target_tgid && p->tgid != target_tgid)
		return;
	__u32 pid = p->pid;
	if (!pid) /* the idle task */
		return;
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &now, BPF_ANY);
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;
	for (int i = 0; i < MAX_SLOTS - 1 && v > 1; i++) {
		v >>= 1;
		slot++;
	}
	return slot;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	mark_runnable(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p)
{
	mark_runnable(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	/* A task preempted while runnable goes straight back to the run queue. */
	if (prev->__state == TASK_RUNNING)
		mark_runnable(prev);

	__u32 pid = next->pid;
	__u64 *ts = bpf_map_lookup_elem(&start, &pid);
	if (!ts)
		return 0;
	__u64 delta_us = (bpf_ktime_get_ns() - *ts) / 1000;
	bpf_map_delete_elem(&start, &pid);

	__u32 slot = log2_slot(delta_us);
	__u64 *count = bpf_map_lookup_elem(&hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// SPDX-License-Identifier: Apache-2.0
/*
 * Ring buffer benchmark producer: every getppid() of the target process submits one 16-byte record. The same object
 * is consumed by a plain C libbpf program (host/ringbench.c) and by a Wasm guest (bench/ringbench_guest.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "ringbench.h"

/* Set before load (patched in .rodata). */
const volatile int target_tgid = 0; /* 0 = every process */
const volatile int no_wakeup = 0;   /* 1 = submit with BPF_RB_NO_WAKEUP: consumers must busy-poll */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_DEFAULT_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Read by the lookup benchmark only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} lookup SEC(".maps");

/* Sequence numbers are exact when one thread triggers (what the benchmarks do); not atomic across CPUs. */
__u64 next_seq = 0;

static __always_inline void count(__u32 stat)
{
	__u64 *value = bpf_map_lookup_elem(&stats, &stat);
	if (value)
		__sync_fetch_and_add(value, 1);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	if (target_tgid && (int)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	struct ring_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(STAT_DROPPED);
		return 0;
	}
	e->seq = next_seq++;
	e->ts = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, no_wakeup ? BPF_RB_NO_WAKEUP : 0);
	count(STAT_SUBMITTED);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

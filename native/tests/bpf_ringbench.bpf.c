// SPDX-License-Identifier: Apache-2.0
/* Submits one sequence-numbered record per getpid() of the process named in params[0]; params[1] != 0 submits
 * without a wakeup (the consumer drains). Tests set params through the map after load. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_ringbench.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 * 1024 * 1024); /* room for 1e6 queued 24-byte records */
} records SEC(".maps");

/* params[0]: target tgid, params[1]: no-wakeup flag. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} params SEC(".maps");

/* stats[0]: records submitted, stats[1]: records dropped because the ring was full. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 k_tgid = 0, k_wakeup = 1, k_dropped = 1;
	__u32 *tgid = bpf_map_lookup_elem(&params, &k_tgid);
	__u32 *no_wakeup = bpf_map_lookup_elem(&params, &k_wakeup);
	__u64 *submitted = bpf_map_lookup_elem(&stats, &k_tgid);
	__u64 *dropped = bpf_map_lookup_elem(&stats, &k_dropped);
	if (!tgid || !no_wakeup || !submitted || !dropped)
		return 0;
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != *tgid)
		return 0;

	struct ringbench_event *e = bpf_ringbuf_reserve(&records, sizeof(*e), 0);
	if (!e) {
		*dropped += 1;
		return 0;
	}
	e->seq = *submitted;
	e->pid = *tgid;
	e->pad = 0;
	*submitted += 1;
	bpf_ringbuf_submit(e, *no_wakeup ? BPF_RB_NO_WAKEUP : 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

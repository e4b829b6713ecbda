// SPDX-License-Identifier: Apache-2.0
/* One program per attach path the object model supports: raw_tp with an explicit target, raw_tp and tp_btf
 * attached by section name. Each counts its hits in its own slot of `hits`. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static void hit(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
}

/* No hook in the section: needs an explicit target such as "sys_enter". */
SEC("raw_tp")
int on_raw_target(void *ctx)
{
	hit(0);
	return 0;
}

SEC("raw_tp/sys_exit")
int on_raw_sys_exit(void *ctx)
{
	hit(1);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	hit(2);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

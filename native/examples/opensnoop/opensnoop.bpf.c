// SPDX-License-Identifier: Apache-2.0
/*
 * Reports every openat() with its filename, flags and result: the entry tracepoint remembers the arguments per
 * thread, the exit tracepoint adds the result and submits the event to a ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "opensnoop.h"

/* Set by the guest before load (patched in .rodata). */
const volatile int target_tgid = 0;  /* 0 = every process */
const volatile int failed_only = 0;  /* 1 = only opens that returned an error */

struct open_args {
	const char *filename;
	int flags;
};

/* thread id -> arguments of its openat() in progress. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct open_args);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (target_tgid && (int)(id >> 32) != target_tgid)
		return 0;
	__u32 tid = (__u32)id;
	struct open_args args = {
		.filename = (const char *)ctx->args[1],
		.flags = (int)ctx->args[2],
	};
	bpf_map_update_elem(&in_flight, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int on_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct open_args *args = bpf_map_lookup_elem(&in_flight, &tid);
	if (!args)
		return 0;
	int ret = (int)ctx->ret;
	if (failed_only && ret >= 0)
		goto out;

	struct open_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		goto out;
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (unsigned int)bpf_get_current_uid_gid();
	e->ret = ret;
	e->flags = args->flags;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* The path is still in user memory: the syscall has returned but the caller has not reused the buffer. */
	if (bpf_probe_read_user_str(e->filename, sizeof(e->filename), args->filename) < 0)
		e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
out:
	bpf_map_delete_elem(&in_flight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

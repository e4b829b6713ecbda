// SPDX-License-Identifier: Apache-2.0
/* An fentry program: valid, but this kernel refuses to load the tracing type (EPERM). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("fentry/do_unlinkat")
int BPF_PROG(on_unlinkat, int dfd, struct filename *name)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

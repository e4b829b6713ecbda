// SPDX-License-Identifier: GPL-2.0
/* An fentry program: this machine's kernel refuses to load it (EPERM). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("fentry/do_nanosleep")
int on_nanosleep(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

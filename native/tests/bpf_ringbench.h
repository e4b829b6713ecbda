/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between bpf_ringbench.bpf.c and its tests: one 16-byte record per getpid() of the target process. */
#ifndef BPF_RINGBENCH_H
#define BPF_RINGBENCH_H

struct ringbench_event {
	unsigned long long seq;
	unsigned int pid;
	unsigned int pad;
};

#endif

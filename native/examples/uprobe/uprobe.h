/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between uprobe.bpf.c and the guest: one event per completed call of the probed function. */
#ifndef UPROBE_H
#define UPROBE_H

struct call_event {
	int pid;
	int tid;
	long long arg0;   /* first two integer arguments at entry */
	long long arg1;
	long long ret;    /* return value */
	unsigned long long duration_ns;
};

#endif

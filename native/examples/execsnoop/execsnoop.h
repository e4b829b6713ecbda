/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between execsnoop.bpf.c and the guest: one event per successful exec. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define TASK_COMM_LEN 16
#define FILENAME_LEN 128

struct exec_event {
	int pid;
	int ppid;
	unsigned int uid;
	char comm[TASK_COMM_LEN];
	char filename[FILENAME_LEN];
};

#endif

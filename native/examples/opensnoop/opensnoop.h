/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between opensnoop.bpf.c and the guest: one event per completed openat(). */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#define TASK_COMM_LEN 16
#define FILENAME_LEN 256

struct open_event {
	int pid;  /* process (tgid) */
	int tid;  /* thread */
	unsigned int uid;
	int ret;  /* the new fd, or a negative Linux errno */
	int flags; /* openat's flags argument (Linux O_* values) */
	char comm[TASK_COMM_LEN];
	char filename[FILENAME_LEN];
};

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between syscount.bpf.c and the guest: the counts map is syscall number -> count. */
#ifndef SYSCOUNT_H
#define SYSCOUNT_H

/* More than any architecture's syscall numbers in use (x86_64 has ~470). */
#define MAX_SYSCALLS 1024

#endif

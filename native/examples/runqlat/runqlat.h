/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between runqlat.bpf.c and the guest: the histogram is an array of MAX_SLOTS counters, slot = log2(usecs). */
#ifndef RUNQLAT_H
#define RUNQLAT_H

/* Slot i counts latencies in [2^i, 2^(i+1)) microseconds (slot 0 also counts 0); the last slot takes the rest. */
#define MAX_SLOTS 27

#endif

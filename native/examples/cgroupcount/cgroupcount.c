// SPDX-License-Identifier: Apache-2.0
/*
 * cgroupcount guest: counts the packets and bytes the sockets of one cgroup (v2) receive and send
 * (cgroupcount.bpf.c) and prints the totals every interval.
 *
 * Usage: cgroupcount [-i seconds] [-n reports] <cgroup directory>
 *   -i  seconds between reports (default 1)
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   e.g. cgroupcount /sys/fs/cgroup/unified/myservice
 *
 * Output (stable: tests parse it):
 *   cgroupcount: counting on <cgroup directory>
 *   interval <k> ingress_packets=<n> ingress_bytes=<n> egress_packets=<n> egress_bytes=<n>   (totals since start)
 */
#include "packet_counter.h"
#include "cgroupcount.h"
#include "cgroupcount.bpf.obj.h"

static const char *const programs[] = { "count_ingress", "count_egress" };
static const char *const counters[] = { [COUNTER_INGRESS_PACKETS] = "ingress_packets", [COUNTER_INGRESS_BYTES] = "ingress_bytes", [COUNTER_EGRESS_PACKETS] = "egress_packets", [COUNTER_EGRESS_BYTES] = "egress_bytes" };

int main(int argc, char **argv)
{
	const struct packet_counter pc = {
		.name = "cgroupcount",
		.target_syntax = "<cgroup directory>",
		.object = cgroupcount_bpf_o,
		.object_len = cgroupcount_bpf_o_len,
		.programs = programs,
		.program_count = sizeof(programs) / sizeof(programs[0]),
		.counters = counters,
		.counter_count = COUNTER_COUNT,
	};
	return packet_counter_main(&pc, argc, argv);
}

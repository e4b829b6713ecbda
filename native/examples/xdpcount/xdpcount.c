// SPDX-License-Identifier: Apache-2.0
/*
 * xdpcount guest: counts the packets an interface receives (xdpcount.bpf.c at its XDP hook) and prints the totals
 * every interval.
 *
 * Usage: xdpcount [-i seconds] [-n reports] <interface>[:generic|:native]
 *   -i  seconds between reports (default 1)
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   without a mode the kernel attaches in native mode where the driver has it, else generic
 *
 * Output (stable: tests parse it):
 *   xdpcount: counting on <interface>
 *   interval <k> packets=<total since start> bytes=<total since start>
 */
#include "packet_counter.h"
#include "xdpcount.h"
#include "xdpcount.bpf.obj.h"

static const char *const programs[] = { "count_packets" };
static const char *const counters[] = { [COUNTER_PACKETS] = "packets", [COUNTER_BYTES] = "bytes" };

int main(int argc, char **argv)
{
	const struct packet_counter pc = {
		.name = "xdpcount",
		.target_syntax = "<interface>[:generic|:native]",
		.object = xdpcount_bpf_o,
		.object_len = xdpcount_bpf_o_len,
		.programs = programs,
		.program_count = sizeof(programs) / sizeof(programs[0]),
		.counters = counters,
		.counter_count = COUNTER_COUNT,
	};
	return packet_counter_main(&pc, argc, argv);
}

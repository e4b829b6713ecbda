// SPDX-License-Identifier: Apache-2.0
/*
 * tccount guest: counts the packets that pass one direction of an interface (tccount.bpf.c, a tc classifier) and
 * prints the totals every interval.
 *
 * Usage: tccount [-i seconds] [-n reports] <interface>[:ingress|:egress]
 *   -i  seconds between reports (default 1)
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   the direction is ingress unless given; the host attaches a TCX link (kernel 6.6 and later), else a filter on the
 *   interface's clsact qdisc (created if the interface has none, removed again when the object is closed)
 *
 * Output (stable: tests parse it):
 *   tccount: counting on <interface>[:direction]
 *   interval <k> packets=<total since start> bytes=<total since start>
 */
#include "packet_counter.h"
#include "tccount.h"
#include "tccount.bpf.obj.h"

static const char *const programs[] = { "count_packets" };
static const char *const counters[] = { [COUNTER_PACKETS] = "packets", [COUNTER_BYTES] = "bytes" };

int main(int argc, char **argv)
{
	const struct packet_counter pc = {
		.name = "tccount",
		.target_syntax = "<interface>[:ingress|:egress]",
		.object = tccount_bpf_o,
		.object_len = tccount_bpf_o_len,
		.programs = programs,
		.program_count = sizeof(programs) / sizeof(programs[0]),
		.counters = counters,
		.counter_count = COUNTER_COUNT,
	};
	return packet_counter_main(&pc, argc, argv);
}

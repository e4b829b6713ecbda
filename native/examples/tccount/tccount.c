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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "tccount.h"
#include "tccount.bpf.obj.h"

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "tccount: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int interval = 1, reports = 0, opt;
	while ((opt = getopt(argc, argv, "i:n:")) != -1) {
		switch (opt) {
		case 'i': interval = parse_int(optarg, "interval", 1); break;
		case 'n': reports = parse_int(optarg, "count", 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	const char *target = argv[optind];

	uint64_t obj = wasm_load_bpf_object(tccount_bpf_o, (int)tccount_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "tccount: failed to load the BPF object\n");
		return 1;
	}
	int err = wasm_attach_bpf_program(obj, "count_packets", target);
	if (err < 0) {
		fprintf(stderr, "tccount: attach count_packets to %s: %s\n", target, strerror(-err));
		wasm_close_bpf_object(obj);
		return 1;
	}
	int counters = wasm_bpf_map_fd_by_name(obj, "counters");
	if (counters < 0) {
		fprintf(stderr, "tccount: map counters: %s\n", strerror(-counters));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("tccount: counting on %s\n", target);
	fflush(stdout);

	int status = 0;
	for (int k = 1; reports == 0 || k <= reports; k++) {
		sleep(interval);
		uint64_t values[COUNTER_COUNT];
		for (uint32_t i = 0; i < COUNTER_COUNT && status == 0; i++) {
			err = bpfwasm_map_lookup(counters, &i, &values[i]);
			if (err < 0) {
				fprintf(stderr, "tccount: map counters: %s\n", strerror(-err));
				status = 1;
			}
		}
		if (status)
			break;
		printf("interval %d packets=%llu bytes=%llu\n", k, (unsigned long long)values[COUNTER_PACKETS],
		       (unsigned long long)values[COUNTER_BYTES]);
		fflush(stdout);
	}
	wasm_close_bpf_object(obj);
	return status;

usage:
	fprintf(stderr, "usage: tccount [-i seconds] [-n reports] <interface>[:ingress|:egress]\n");
	return 2;
}

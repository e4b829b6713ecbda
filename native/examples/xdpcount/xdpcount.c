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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "xdpcount.h"
#include "xdpcount.bpf.obj.h"

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "xdpcount: invalid %s '%s'\n", what, s);
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
	const char *interface = argv[optind];

	uint64_t obj = wasm_load_bpf_object(xdpcount_bpf_o, (int)xdpcount_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "xdpcount: failed to load the BPF object\n");
		return 1;
	}
	int err = wasm_attach_bpf_program(obj, "count_packets", interface);
	if (err < 0) {
		fprintf(stderr, "xdpcount: attach count_packets to %s: %s\n", interface, strerror(-err));
		wasm_close_bpf_object(obj);
		return 1;
	}
	int counters = wasm_bpf_map_fd_by_name(obj, "counters");
	if (counters < 0) {
		fprintf(stderr, "xdpcount: map counters: %s\n", strerror(-counters));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("xdpcount: counting on %s\n", interface);
	fflush(stdout);

	int status = 0;
	for (int k = 1; reports == 0 || k <= reports; k++) {
		sleep(interval);
		uint64_t values[COUNTER_COUNT];
		for (uint32_t i = 0; i < COUNTER_COUNT && status == 0; i++) {
			err = bpfwasm_map_lookup(counters, &i, &values[i]);
			if (err < 0) {
				fprintf(stderr, "xdpcount: map counters: %s\n", strerror(-err));
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
	fprintf(stderr, "usage: xdpcount [-i seconds] [-n reports] <interface>[:generic|:native]\n");
	return 2;
}
